//! The outcome engine: a screening's answers, the areas planned for today and today's date
//! give the outcome. Pure: no store, no clock.
//!
//! How answers become findings:
//! - A "yes" reveals the contraindications the answer names in `conditions`; a question that
//!   screens for exactly one needs no name. The herpes question reveals an active cold sore
//!   when its `outbreak_now` follow-up is "yes", otherwise a history of cold sores.
//! - Two questions read the other way round: "Are you 22 or older?" reveals `under_22` with a
//!   "no", and a "no" to the consent question blocks treatment.
//! - A dated wait counts from the answer's first date follow-up (`stopped_on`, `when`,
//!   `last_used`; never `clearance_on`). `still_taking` = "yes" means no wait has started:
//!   do not treat while taking it (R3).
//! - An area-limited rule removes the answer's `area` from today's session; an area that is
//!   not planned today leaves the session untouched; no area at all limits the whole visit.
//! - A written clearance comes from the clearances on file or from the answer's
//!   `clearance_by` and `clearance_on` follow-ups.
//! - Skin type III–VI and an age under 22 on the day add cautions. An answer to "Are you 22 or
//!   older?" that contradicts the date of birth on record is refused.
//!
//! Every finding names its rule, sources, tier and any disagreement between sources;
//! [`Outcome::from_findings`] decides.

use chrono::NaiveDate;
use thiserror::Error;

use super::model::{Contraindication, Deferral, FollowUpKind, IntakeQuestion, Protocol, Tier};
use crate::domain::{Answer, Answers, Clearance, Finding, Outcome, OutcomeKind, SkinType};

/// What the engine needs to know besides the answers.
#[derive(Debug, Clone, Copy)]
pub struct ScreeningInput<'a> {
    pub answers: &'a Answers,
    /// Protocol area ids planned for today's session.
    pub planned_areas: &'a [String],
    pub today: NaiveDate,
    pub skin_type: Option<SkinType>,
    pub date_of_birth: Option<NaiveDate>,
    /// Written clearances on file (who gave them, when), by contraindication id.
    pub clearances: &'a [Clearance],
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScreeningError {
    #[error("{} question(s) are not answered yet: {}. Every question needs an answer.", .0.len(), .0.join("; "))]
    Unanswered(Vec<String>),
    #[error("{0}")]
    Invalid(String),
}

/// The consent question: a "no" blocks treatment.
pub const CONSENT_QUESTION: &str = "consent";
/// The rule id of the finding a missing consent gives.
pub const NO_CONSENT_RULE: &str = "no_written_consent";
/// "Are you 22 or older?": a "no" reveals [`UNDER_22`].
pub const AGE_QUESTION: &str = "age";
/// The contraindication for an age under the devices' cleared 22 years.
pub const UNDER_22: &str = "under_22";
/// The rule id of the built-in skin-type caution.
pub const SKIN_TYPE_RULE: &str = "skin_type_iii_vi";
/// The rule id of the caution for a skin type outside a device's cleared types in an area.
pub const DEVICE_SCOPE_RULE: &str = "device_skin_type_scope";
/// The question whose `skin_type` follow-up may hold the Fitzpatrick type.
pub const FITZPATRICK_QUESTION: &str = "fitzpatrick";

pub(super) const SKIN_TYPE_FOLLOW_UP: &str = "skin_type";
const ACTIVE_HERPES: &str = "active_herpes";
const HERPES_HISTORY: &str = "herpes_history";
const OUTBREAK_NOW: &str = "outbreak_now";
const STILL_TAKING: &str = "still_taking";
const CLEARANCE_BY: &str = "clearance_by";
const CLEARANCE_ON: &str = "clearance_on";
const CLEARED_AGE_YEARS: u32 = 22;

/// §6.2 of the evidence digest: darker skin and post-inflammatory hyperpigmentation (P47: from
/// type III).
pub(super) const SKIN_TYPE_SOURCES: [&str; 4] = ["P8", "P16", "P41", "P47"];
pub(super) const SKIN_TYPE_DISAGREEMENT: &str =
    "Sources differ in emphasis: darker skin is a risk factor for adverse \
events including PIH (P8), while microneedling is called safer for dark skin than resurfacing that damages \
the epidermis (P3, P40).";

pub use super::answers_file::{answers_from_json, parse_iso_date};

/// A follow-up value as given, or `None` when blank.
pub(super) fn detail<'a>(answer: &'a Answer, id: &str) -> Option<&'a str> {
    answer.details.get(id).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn said_yes(answer: &Answer, id: &str) -> bool {
    detail(answer, id).is_some_and(|v| v.eq_ignore_ascii_case("yes"))
}

/// How a question is named in messages: `Question 5 (isotretinoin)`.
fn named(q: &IntakeQuestion) -> String {
    format!("Question {} ({})", q.number, q.id)
}

impl Protocol {
    /// Intake questions that `answers` does not answer, in checklist order (their texts). With
    /// the date of birth on file, "Are you 22 or older?" is not asked: the date answers it.
    pub fn unanswered(&self, answers: &Answers, date_of_birth: Option<NaiveDate>) -> Vec<String> {
        self.intake_questions
            .iter()
            .filter(|q| !(q.id == AGE_QUESTION && date_of_birth.is_some()))
            .filter(|q| !answers.contains_key(&q.id))
            .map(|q| q.text.clone())
            .collect()
    }

    /// The outcome of a screening.
    pub fn screen(&self, input: &ScreeningInput<'_>) -> Result<Outcome, ScreeningError> {
        let unanswered = self.unanswered(input.answers, input.date_of_birth);
        if !unanswered.is_empty() {
            return Err(ScreeningError::Unanswered(unanswered));
        }
        let problems = self.problems(input);
        if !problems.is_empty() {
            return Err(ScreeningError::Invalid(problems.join("\n")));
        }
        let mut findings = Vec::new();
        for q in &self.intake_questions {
            if let Some(answer) = input.answers.get(&q.id) {
                self.answer_findings(q, answer, input, &mut findings);
            }
        }
        if let Some(f) = self.age_finding(input) {
            push(&mut findings, f);
        }
        if let Some(f) = self.skin_type_finding(input) {
            push(&mut findings, f);
        }
        for f in self.device_scope_findings(input) {
            push(&mut findings, f);
        }
        Ok(Outcome::for_planned_areas(findings, input.planned_areas))
    }

    /// Every problem with the input, each naming the question and field.
    fn problems(&self, input: &ScreeningInput<'_>) -> Vec<String> {
        let mut problems = Vec::new();
        for id in input.answers.keys().filter(|id| self.question(id).is_none()) {
            problems.push(format!(
                "There is an answer for \"{id}\", which is not a question of protocol {}.",
                self.version
            ));
        }
        for area in input.planned_areas.iter().filter(|a| self.area(a).is_none()) {
            problems.push(format!(
                "The planned area \"{area}\" is not an area of protocol {}. Known areas: {}.",
                self.version,
                self.area_ids()
            ));
        }
        if let Some(born) = input.date_of_birth.filter(|b| *b > input.today) {
            problems.push(format!(
                "The date of birth {born} is after the screening date {}. Check the year.",
                input.today
            ));
        }
        if let Some(problem) = self.age_contradiction(input) {
            problems.push(problem);
        }
        for q in &self.intake_questions {
            if let Some(answer) = input.answers.get(&q.id) {
                self.answer_problems(q, answer, input.today, &mut problems);
            }
        }
        problems
    }

    fn answer_problems(&self, q: &IntakeQuestion, answer: &Answer, today: NaiveDate, out: &mut Vec<String>) {
        if !answer.more.is_empty() {
            if !q.repeatable || !answer.yes {
                out.push(format!(
                    "{} takes one answer, but {} more entries are given. Put them in one answer.",
                    named(q),
                    answer.more.len()
                ));
                return;
            }
            for entry in answer.entries() {
                self.answer_problems(q, &entry, today, out);
            }
            return;
        }
        // Messages are only formatted when there is a problem: the valid path allocates nothing.
        let at = || named(q);
        for (key, value) in &answer.details {
            let Some(f) = q.follow_ups.iter().find(|f| &f.id == key) else {
                let known: Vec<&str> = q.follow_ups.iter().map(|f| f.id.as_str()).collect();
                out.push(if known.is_empty() {
                    format!(
                        "{} has no follow-up details, but the answer gives \"{key}\".",
                        at()
                    )
                } else {
                    format!(
                        "{} has no follow-up \"{key}\". Its follow-ups are: {}.",
                        at(),
                        known.join(", ")
                    )
                });
                continue;
            };
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            let field = || format!("{}, \"{}\" ({})", at(), f.label, f.id);
            match f.kind {
                FollowUpKind::Date => match parse_iso_date(v) {
                    None => out.push(format!(
                        "{}: \"{v}\" is not a date. Write it as YYYY-MM-DD, for example 2026-09-01.",
                        field()
                    )),
                    Some(d) if d > today => out.push(format!(
                        "{}: {d} is after the screening date {today}. Give the date it happened.",
                        field()
                    )),
                    Some(_) => {}
                },
                FollowUpKind::Area if self.area(v).is_none() => out.push(format!(
                    "{}: \"{v}\" is not an area of the protocol. Known areas: {}.",
                    field(),
                    self.area_ids()
                )),
                FollowUpKind::YesNo if !(v.eq_ignore_ascii_case("yes") || v.eq_ignore_ascii_case("no")) => {
                    out.push(format!("{}: answer \"yes\" or \"no\", not \"{v}\".", field()));
                }
                FollowUpKind::Text
                    if q.id == FITZPATRICK_QUESTION
                        && f.id == SKIN_TYPE_FOLLOW_UP
                        && SkinType::parse(v).is_err() =>
                {
                    out.push(format!(
                        "{}: \"{v}\" is not a Fitzpatrick skin type. Write I, II, III, IV, V or VI.",
                        field()
                    ));
                }
                _ => {}
            }
        }
        match (detail(answer, CLEARANCE_BY), detail(answer, CLEARANCE_ON)) {
            (Some(_), None) => out.push(format!(
                "{}: a written clearance needs its date (clearance_on) as well as who gave it.",
                at()
            )),
            (None, Some(_)) => out.push(format!(
                "{}: a written clearance needs who gave it (clearance_by) as well as its date.",
                at()
            )),
            _ => {}
        }
        let known = || q.screens_for.join(", ");
        for c in answer.conditions.iter().filter(|c| !q.screens_for.contains(c)) {
            out.push(if q.screens_for.is_empty() {
                format!(
                    "{} does not screen for any condition, but the answer names \"{c}\".",
                    at()
                )
            } else {
                format!(
                    "{}: \"{c}\" is not a condition this question screens for ({}).",
                    at(),
                    known()
                )
            });
        }
        if !answer.conditions.is_empty() && (!answer.yes || q.id == AGE_QUESTION) {
            out.push(format!(
                "{} is answered \"{}\" but names conditions ({}). Conditions only go with a \"yes\" \
                 that reveals them: answer \"yes\" or remove them.",
                at(),
                if answer.yes { "yes" } else { "no" },
                answer.conditions.join(", ")
            ));
        }
        if answer.yes
            && answer.conditions.is_empty()
            && q.screens_for.len() > 1
            && !self.is_herpes_question(q)
            && !q.follow_ups.iter().any(|f| f.chooses.is_some())
            && q.id != AGE_QUESTION
        {
            out.push(format!(
                "{} is answered \"yes\" but screens for several conditions: say which condition it is \
                 ({}).",
                at(),
                known()
            ));
        }
    }

    fn is_herpes_question(&self, q: &IntakeQuestion) -> bool {
        q.screens_for.iter().any(|c| c == ACTIVE_HERPES) && q.screens_for.iter().any(|c| c == HERPES_HISTORY)
    }

    fn area_ids(&self) -> String {
        self.areas
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The findings of one (valid) answer.
    fn answer_findings(
        &self,
        q: &IntakeQuestion,
        answer: &Answer,
        input: &ScreeningInput<'_>,
        out: &mut Vec<Finding>,
    ) {
        if !answer.more.is_empty() {
            // Each entry counts on its own: its own date, its own area.
            for entry in answer.entries() {
                self.answer_findings(q, &entry, input, out);
            }
            return;
        }
        if q.id == CONSENT_QUESTION {
            if !answer.yes {
                push(out, self.no_consent(q));
            }
            return;
        }
        // The age question reads the other way round; `age_finding` handles it.
        if q.id == AGE_QUESTION || !answer.yes || q.screens_for.is_empty() {
            return;
        }
        // The dated event a wait counts from: the first date follow-up that is not a clearance.
        let event_on = q
            .follow_ups
            .iter()
            .find(|f| f.kind == FollowUpKind::Date && f.id != CLEARANCE_ON)
            .and_then(|f| detail(answer, &f.id))
            .and_then(parse_iso_date);
        let area = q
            .follow_ups
            .iter()
            .find(|f| f.kind == FollowUpKind::Area)
            .and_then(|f| detail(answer, &f.id));
        let answer_clearance = match (detail(answer, CLEARANCE_BY), detail(answer, CLEARANCE_ON)) {
            (Some(by), Some(on)) => parse_iso_date(on).map(|on| (by, on)),
            _ => None,
        };
        let taking_now = said_yes(answer, STILL_TAKING);

        for c in self.revealed(q, answer) {
            // A clearance given on the answer holds for this screening; one on file holds
            // until it expires. One in force wins over one that is not.
            let mut known: Vec<Clearance> = input.clearances.to_vec();
            if let Some((by, on)) = answer_clearance {
                known.push(Clearance {
                    rule: c.id.clone(),
                    given_by: by.to_owned(),
                    given_on: on,
                    role: None,
                    expires_on: None,
                });
            }
            let clearance = Clearance::pick(&known, &c.id, input.today).cloned();
            let f = if taking_now {
                self.taking_now(c, input.today)
            } else {
                let area = area.filter(|_| c.area_limited);
                let f = self.finding_for(c, input.today, event_on, area, clearance.as_ref());
                let f = super::findings::unconfirmed(q, c, answer, f);
                match area {
                    Some(a) if f.area.is_some() && !input.planned_areas.iter().any(|p| p == a) => {
                        self.not_planned(f, a, input.planned_areas.is_empty())
                    }
                    _ => f,
                }
            };
            push(out, f);
        }
    }

    /// The contraindications a "yes" reveals, in the question's order.
    fn revealed<'a>(&'a self, q: &'a IntakeQuestion, answer: &'a Answer) -> Vec<&'a Contraindication> {
        let ids: Vec<&str> = if self.is_herpes_question(q) {
            let active = said_yes(answer, OUTBREAK_NOW);
            q.screens_for
                .iter()
                .map(String::as_str)
                .filter(|id| {
                    answer.conditions.iter().any(|c| c == id)
                        || (*id == ACTIVE_HERPES && active)
                        || (*id == HERPES_HISTORY && !active && answer.conditions.is_empty())
                })
                .collect()
        } else if let Some(choice) = q
            .follow_ups
            .iter()
            .find_map(|f| f.chooses.as_ref().map(|c| (c, said_yes(answer, &f.id))))
        {
            // The follow-up decides between its two conditions; any others are named.
            let (c, yes) = choice;
            let chosen = if yes { c.yes.as_str() } else { c.otherwise.as_str() };
            q.screens_for
                .iter()
                .map(String::as_str)
                .filter(|id| *id == chosen || answer.conditions.iter().any(|c| c == id))
                .collect()
        } else if answer.conditions.is_empty() {
            match q.screens_for.as_slice() {
                [one] => vec![one.as_str()],
                _ => Vec::new(),
            }
        } else {
            q.screens_for
                .iter()
                .map(String::as_str)
                .filter(|id| answer.conditions.iter().any(|c| c == id))
                .collect()
        };
        ids.into_iter()
            .filter_map(|id| self.contraindication(id))
            .collect()
    }

    /// Taking the medicine now: no wait has started, do not treat while taking it.
    fn taking_now(&self, c: &Contraindication, today: NaiveDate) -> Finding {
        let mut f = self.finding_for(c, today, None, None, None);
        let after = match &c.deferral.value {
            Some(Deferral::Period { period, after }) => {
                format!(" Treatment may start {period} after {after}.")
            }
            _ => String::new(),
        };
        f.kind = OutcomeKind::DoNotTreat;
        f.defer_until = None;
        f.area = None;
        f.message = format!(
            "{}: taken now. Do not treat while it is being taken.{after}",
            c.name
        );
        f
    }

    /// An area-limited finding in an area that is not planned today. With no areas planned at
    /// all, the area stays excluded (the session's areas are not known yet).
    fn not_planned(&self, mut f: Finding, area: &str, nothing_planned: bool) -> Finding {
        if nothing_planned {
            return f;
        }
        f.message = format!(
            "{} The {} is not planned today, so this does not change today's session.",
            f.message,
            self.area_name(area).to_lowercase()
        );
        f.kind = OutcomeKind::Clear;
        f.area = None;
        f.defer_until = None;
        f
    }

    fn no_consent(&self, q: &IntakeQuestion) -> Finding {
        Finding {
            rule: NO_CONSENT_RULE.to_owned(),
            kind: OutcomeKind::DoNotTreat,
            message: "No written informed consent: the client must read and sign the consent, including \
                      the risks, before any treatment."
                .to_owned(),
            area: None,
            defer_until: None,
            clearance_from: None,
            sources: q.sources.clone(),
            tier: self
                .strongest_tier(&q.sources)
                .map_or_else(String::new, |t| format!("{t:?}")),
            disagreement: None,
        }
    }

    /// "Are you 22 or older?" answered against the date of birth on record: one of them is wrong,
    /// and a signed screening must not keep both.
    fn age_contradiction(&self, input: &ScreeningInput<'_>) -> Option<String> {
        let q = self.question(AGE_QUESTION)?;
        let answer = input.answers.get(AGE_QUESTION)?;
        let born = input.date_of_birth?;
        let years = input.today.years_since(born)?;
        if answer.yes == (years >= CLEARED_AGE_YEARS) {
            return None;
        }
        Some(format!(
            "{} is answered \"{}\", but the date of birth {born} makes the client {years} on {}. \
             Correct the answer or the date of birth.",
            named(q),
            if answer.yes { "yes" } else { "no" },
            input.today
        ))
    }

    /// Under 22 on the day by the date of birth, or by a "no" to "Are you 22 or older?".
    fn age_finding(&self, input: &ScreeningInput<'_>) -> Option<Finding> {
        let c = self.contraindication(UNDER_22)?;
        let age = input.date_of_birth.and_then(|born| input.today.years_since(born));
        let says_under =
            input.answers.get(AGE_QUESTION).is_some_and(|a| !a.yes) && self.question(AGE_QUESTION).is_some();
        let why = match age {
            Some(years) if years < CLEARED_AGE_YEARS => {
                format!(" The client is {years} on {} (date of birth).", input.today)
            }
            _ if says_under => " The client answered that they are under 22.".to_owned(),
            _ => return None,
        };
        let clearance = Clearance::pick(input.clearances, &c.id, input.today);
        let mut f = self.finding_for(c, input.today, None, None, clearance);
        f.message.push_str(&why);
        Some(f)
    }

    pub(super) fn strongest_tier(&self, sources: &[String]) -> Option<Tier> {
        sources
            .iter()
            .filter_map(|id| self.source(id))
            .map(|s| s.tier)
            .min()
    }
}

/// Adds a finding unless the same one is already listed (two questions may reveal one rule).
fn push(findings: &mut Vec<Finding>, f: Finding) {
    if !findings.contains(&f) {
        findings.push(f);
    }
}
