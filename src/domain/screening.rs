//! Pre-treatment screenings: the answers to the intake checklist and what they mean for today.
//!
//! The outcome engine that turns answers into an outcome builds on these types; a screening is
//! stored with its answers, its outcome and its signature, and never changes once signed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::{ClientId, DomainError, ScreeningId};

/// One answer of the checklist: yes or no, plus the follow-up details a "yes" needs
/// (e.g. `stopped_on` for isotretinoin), keyed by the protocol's follow-up id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub yes: bool,
    /// For a question that screens for several conditions, which of them the "yes" is about
    /// (protocol contraindication ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
    /// More of the same for a question that takes several (recent procedures): each with its
    /// own conditions and details, e.g. its own date and area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more: Vec<AnswerEntry>,
}

/// One more entry of an answer that takes several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerEntry {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

impl Answer {
    pub fn no() -> Self {
        Self {
            yes: false,
            conditions: Vec::new(),
            details: BTreeMap::new(),
            more: Vec::new(),
        }
    }

    /// The answer and each of its further entries as answers of their own ("yes", one entry's
    /// conditions and details).
    pub fn entries(&self) -> Vec<Answer> {
        let mut all = vec![Answer {
            more: Vec::new(),
            ..self.clone()
        }];
        all.extend(self.more.iter().map(|e| Answer {
            yes: true,
            conditions: e.conditions.clone(),
            details: e.details.clone(),
            more: Vec::new(),
        }));
        all
    }

    pub fn yes() -> Self {
        Self {
            yes: true,
            ..Self::no()
        }
    }
}

/// All answers of one screening, keyed by intake-question id.
pub type Answers = BTreeMap<String, Answer>;

/// What a screening allows, from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Clear,
    Caution,
    NeedsClearance,
    Defer,
    DoNotTreat,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::Clear,
        OutcomeKind::Caution,
        OutcomeKind::NeedsClearance,
        OutcomeKind::Defer,
        OutcomeKind::DoNotTreat,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutcomeKind::Clear => "clear",
            OutcomeKind::Caution => "caution",
            OutcomeKind::NeedsClearance => "needs_clearance",
            OutcomeKind::Defer => "defer",
            OutcomeKind::DoNotTreat => "do_not_treat",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Screening outcome",
                entered: code.to_owned(),
            })
    }

    /// Whether a session may go ahead today with this outcome.
    pub fn allows_treatment(self) -> bool {
        matches!(self, OutcomeKind::Clear | OutcomeKind::Caution)
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutcomeKind::Clear => "Clear",
            OutcomeKind::Caution => "Proceed with caution",
            OutcomeKind::NeedsClearance => "Needs written clearance",
            OutcomeKind::Defer => "Defer",
            OutcomeKind::DoNotTreat => "Do not treat",
        })
    }
}

/// One reason behind an outcome: which rule, what it means, on what evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The protocol contraindication id.
    pub rule: String,
    pub kind: OutcomeKind,
    pub message: String,
    /// The area it is limited to, if any; that area is removed from today's session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defer_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_from: Option<String>,
    pub sources: Vec<String>,
    pub tier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

/// The decision of a screening: the strictest finding decides, all are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defer_until: Option<NaiveDate>,
    /// Areas removed from today's session by area-limited findings.
    #[serde(default)]
    pub excluded_areas: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// Combines findings as [`Outcome::from_findings`] does, and says what that leaves of
    /// today's session: when area-limited findings leave out every planned area, nothing can be
    /// treated today, so the outcome is not "caution" but the least strict of those areas'
    /// findings — a deferral until the first of them can be treated, or "do not treat" when none
    /// has a date.
    pub fn for_planned_areas(findings: Vec<Finding>, planned_areas: &[String]) -> Self {
        let mut outcome = Self::from_findings(findings);
        if planned_areas.is_empty() || planned_areas.iter().any(|a| !outcome.excluded_areas.contains(a)) {
            return outcome;
        }
        // Per planned area: how strict its leaving-out is, and until when (None: no date).
        let blocked: Vec<(OutcomeKind, Option<NaiveDate>)> = planned_areas
            .iter()
            .map(|area| {
                let here: Vec<&Finding> = outcome
                    .findings
                    .iter()
                    .filter(|f| f.area.as_deref() == Some(area.as_str()) && !f.kind.allows_treatment())
                    .collect();
                let kind = here.iter().map(|f| f.kind).max().unwrap_or(OutcomeKind::Defer);
                let until = if here.iter().any(|f| f.defer_until.is_none()) {
                    None
                } else {
                    here.iter().filter_map(|f| f.defer_until).max()
                };
                (kind, until)
            })
            .collect();
        let soonest = blocked
            .iter()
            .filter(|(kind, until)| *kind == OutcomeKind::Defer && until.is_some())
            .filter_map(|(_, until)| *until)
            .min();
        let today_kind = match soonest {
            Some(_) => OutcomeKind::Defer,
            None => blocked
                .iter()
                .map(|(k, _)| *k)
                .min()
                .unwrap_or(OutcomeKind::Defer),
        };
        if today_kind > outcome.kind {
            outcome.kind = today_kind;
            outcome.defer_until = soonest.filter(|_| today_kind == OutcomeKind::Defer);
        }
        outcome
    }

    /// Combines findings: the strictest kind wins; for deferrals, the latest date wins.
    pub fn from_findings(findings: Vec<Finding>) -> Self {
        let whole_visit = findings.iter().filter(|f| f.area.is_none());
        let kind = whole_visit
            .clone()
            .map(|f| f.kind)
            .max()
            .unwrap_or(OutcomeKind::Clear);
        let latest_deferral = whole_visit.filter_map(|f| f.defer_until).max();
        let mut excluded_areas: Vec<String> = findings
            .iter()
            .filter(|f| !f.kind.allows_treatment())
            .filter_map(|f| f.area.clone())
            .collect();
        excluded_areas.sort();
        excluded_areas.dedup();
        let kind = if kind == OutcomeKind::Clear && findings.iter().any(|f| f.area.is_some()) {
            OutcomeKind::Caution
        } else {
            kind
        };
        // A date only means something when deferral is what decides.
        let defer_until = latest_deferral.filter(|_| kind == OutcomeKind::Defer);
        Self {
            kind,
            defer_until,
            excluded_areas,
            findings,
        }
    }
}

/// A written clearance from a named professional for one contraindication (`rule`): kept on
/// the client's file (with the role and an expiry) or given on a screening answer (who and
/// when only). A screening stores the clearances its outcome relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clearance {
    pub rule: String,
    pub given_by: String,
    pub given_on: NaiveDate,
    /// The clearer's role, e.g. "GP" or "haematologist".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The last day it holds; none for a clearance given on the answer itself (that day only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
}

/// Whether a clearance can be relied on on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClearanceState {
    /// Dated after the day: not given yet.
    NotYet,
    InForce,
    Expired,
}

impl Clearance {
    pub fn state_on(&self, day: NaiveDate) -> ClearanceState {
        if self.given_on > day {
            ClearanceState::NotYet
        } else if self.expires_on.is_some_and(|e| day > e) {
            ClearanceState::Expired
        } else {
            ClearanceState::InForce
        }
    }

    /// "Dr Amara Obi (GP) on 2026-11-02, until 2027-05-01".
    pub fn described(&self) -> String {
        let role = self
            .role
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let until = self
            .expires_on
            .map(|e| format!(", until {e}"))
            .unwrap_or_default();
        format!("{}{role} on {}{until}", self.given_by, self.given_on)
    }

    /// The clearance for `rule` to rely on on `day`: one in force if any (the latest given),
    /// else the latest given (so an expired one can be named).
    pub fn pick<'a>(clearances: &'a [Clearance], rule: &str, day: NaiveDate) -> Option<&'a Clearance> {
        let mut for_rule: Vec<&Clearance> = clearances.iter().filter(|c| c.rule == rule).collect();
        for_rule.sort_by_key(|c| c.given_on);
        for_rule
            .iter()
            .rev()
            .find(|c| c.state_on(day) == ClearanceState::InForce)
            .or_else(|| for_rule.last())
            .copied()
    }
}

/// A written clearance kept on a client's file: never changed or removed once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearanceOnFile {
    pub id: String,
    pub client_id: ClientId,
    pub clearance: Clearance,
    /// What the clearance covers, in the clearer's words (e.g. "microneedling while on apixaban").
    pub covers: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A screening as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    pub id: ScreeningId,
    pub client_id: ClientId,
    pub screened_on: NaiveDate,
    pub answers: Answers,
    pub planned_areas: Vec<String>,
    pub outcome: Outcome,
    pub clearances: Vec<Clearance>,
    pub protocol_version: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    /// The screening this one corrects, and why.
    pub amends: Option<ScreeningId>,
    pub amendment_reason: Option<String>,
}

impl Screening {
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }
}

/// How urgent an alert on the client's record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlertLevel {
    /// Treatment must not go ahead.
    Stop,
    /// Treatment needs something first, or an adjustment.
    Warn,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub level: AlertLevel,
    pub text: String,
}

/// What the client's header must say about treating today, from their newest signed
/// screening (`screenings` newest first).
pub fn treatment_alerts(screenings: &[Screening], today: NaiveDate) -> Vec<Alert> {
    let Some(latest) = screenings.iter().find(|s| s.is_signed()) else {
        return vec![Alert {
            level: AlertLevel::Info,
            text: "No signed screening on file: screen the client before the first session.".to_owned(),
        }];
    };
    let on = latest.screened_on;
    let mut alerts = Vec::new();
    let o = &latest.outcome;
    let whole_visit = o.findings.iter().filter(|f| f.area.is_none());
    match o.kind {
        OutcomeKind::Defer => match o.defer_until {
            Some(until) if until > today => {
                let why = whole_visit
                    .clone()
                    .filter(|f| f.kind == OutcomeKind::Defer)
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                alerts.push(Alert {
                    level: AlertLevel::Stop,
                    text: format!("Do not treat before {until}. {why}"),
                });
            }
            Some(until) => alerts.push(Alert {
                level: AlertLevel::Info,
                text: format!("The deferral found on {on} ended on {until}: screen again before treating."),
            }),
            None => {}
        },
        OutcomeKind::DoNotTreat => {
            for f in whole_visit.clone().filter(|f| f.kind == OutcomeKind::DoNotTreat) {
                alerts.push(Alert {
                    level: AlertLevel::Stop,
                    text: format!("Screening of {on}: {}", f.message),
                });
            }
        }
        _ => {}
    }
    for f in whole_visit.filter(|f| matches!(f.kind, OutcomeKind::NeedsClearance | OutcomeKind::Caution)) {
        let text = if f.kind == OutcomeKind::NeedsClearance {
            format!("Clearance missing: {}", f.message)
        } else {
            format!("Caution: {}", f.message)
        };
        alerts.push(Alert {
            level: AlertLevel::Warn,
            text,
        });
    }
    for f in o
        .findings
        .iter()
        .filter(|f| f.area.is_some() && !f.kind.allows_treatment())
    {
        let area = f.area.as_deref().unwrap_or_default();
        alerts.push(Alert {
            level: AlertLevel::Warn,
            text: format!("Leave out {area}: {}", f.message),
        });
    }
    if on < today {
        alerts.push(Alert {
            level: AlertLevel::Info,
            text: format!("Last screened on {on}: screen again on the day of the next session."),
        });
    }
    alerts
}
