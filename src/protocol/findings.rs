//! Turning one contraindication that applies to a client into a screening finding: what it
//! means for today, on what evidence. The outcome engine combines these.

use chrono::NaiveDate;

use super::model::{Contraindication, ContraindicationClass, Deferral, IntakeQuestion, Protocol};
use crate::domain::{Answer, Clearance, ClearanceState, Finding, OutcomeKind};

impl Protocol {
    /// The finding for contraindication `c` found at a screening on `today`.
    /// `event_on` is the dated event a deferral counts from (e.g. the last isotretinoin dose);
    /// `area` limits an area-limited finding; `clearance` is a written clearance on file.
    ///
    /// A dated wait decides first, whatever the class: inside it the visit is deferred to its
    /// end, after it the rule no longer applies. Otherwise the class decides.
    ///
    /// The area is kept only for an area-limited rule that still restricts something: a finding
    /// that clears (the wait is over) limits no area, so it does not change today's session.
    pub fn finding_for(
        &self,
        c: &Contraindication,
        today: NaiveDate,
        event_on: Option<NaiveDate>,
        area: Option<&str>,
        clearance: Option<&Clearance>,
    ) -> Finding {
        // The area this finding is limited to, by its display name.
        let in_area = if c.area_limited { area } else { None };
        let where_ = in_area.map(|a| format!("the {} ", self.area_name(a).to_lowercase()));
        let (kind, message, defer_until) = match (&c.deferral.value, event_on) {
            (Some(Deferral::Period { period, after }), Some(on)) => match period.after(on) {
                Some(end) if end > today => (
                    OutcomeKind::Defer,
                    format!(
                        "{}: do not treat {}before {end} ({period} after {after}).",
                        c.name,
                        where_.as_deref().unwrap_or_default()
                    ),
                    Some(end),
                ),
                Some(end) => (
                    OutcomeKind::Clear,
                    format!("{}: the {period} wait after {after} ended on {end}.", c.name),
                    None,
                ),
                None => (
                    OutcomeKind::DoNotTreat,
                    format!(
                        "{}: the end of the {period} wait could not be worked out.",
                        c.name
                    ),
                    None,
                ),
            },
            (deferral, _) => {
                let (kind, message) = by_class(c, deferral.as_ref(), where_.as_deref(), clearance, today);
                (kind, message, None)
            }
        };
        // When a dated wait decides, its length is what the finding asserts: its sources come
        // first and its tier and disagreement are shown; otherwise the class's.
        let dated = matches!(
            (&c.deferral.value, event_on),
            (Some(Deferral::Period { .. }), Some(_))
        );
        let (sources, tier, disagreement) = if dated {
            let mut sources = c.deferral.sources.clone();
            sources.extend(
                c.class
                    .sources
                    .iter()
                    .filter(|s| !c.deferral.sources.contains(s))
                    .cloned(),
            );
            let disagreement = c.deferral.disagreement.as_ref().or(c.class.disagreement.as_ref());
            (sources, c.deferral.tier, disagreement)
        } else {
            let disagreement = c.class.disagreement.as_ref().or(c.deferral.disagreement.as_ref());
            (c.class.sources.clone(), c.class.tier, disagreement)
        };
        Finding {
            rule: c.id.clone(),
            kind,
            message,
            area: in_area.filter(|_| kind != OutcomeKind::Clear).map(str::to_owned),
            defer_until,
            clearance_from: c.clearance_from.clone(),
            sources,
            tier: format!("{tier:?}"),
            disagreement: disagreement.map(|d| d.summary.clone()),
        }
    }
}

fn by_class(
    c: &Contraindication,
    deferral: Option<&Deferral>,
    in_area: Option<&str>,
    clearance: Option<&Clearance>,
    today: NaiveDate,
) -> (OutcomeKind, String) {
    let Some(class) = c.class.value else {
        // The digest's own gap note says what is and is not known.
        let gap = c
            .class
            .note
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        return (
            OutcomeKind::Caution,
            format!(
                "{}: no published guidance (a gap in the evidence).{gap} Decide with care and record why.",
                c.name
            ),
        );
    };
    match (class, deferral) {
        (ContraindicationClass::Clearance, _) => {
            let from = c.clearance_from.as_deref().unwrap_or("doctor");
            match clearance.map(|cl| (cl, cl.state_on(today))) {
                Some((cl, ClearanceState::InForce)) => (
                    OutcomeKind::Caution,
                    format!("{}: cleared by {}.", c.name, cl.described()),
                ),
                Some((cl, ClearanceState::Expired)) => (
                    OutcomeKind::NeedsClearance,
                    format!(
                        "{}: the written clearance from {} ended on {}; a new one from the client's {from} is needed before treatment.",
                        c.name,
                        cl.given_by,
                        cl.expires_on.map_or_else(String::new, |e| e.to_string())
                    ),
                ),
                Some((cl, ClearanceState::NotYet)) => (
                    OutcomeKind::NeedsClearance,
                    format!(
                        "{}: the written clearance from {} is dated {}, after today; it cannot be relied on yet.",
                        c.name, cl.given_by, cl.given_on
                    ),
                ),
                None => (
                    OutcomeKind::NeedsClearance,
                    format!(
                        "{}: needs written clearance from the client's {from} before treatment.",
                        c.name
                    ),
                ),
            }
        }
        (ContraindicationClass::Relative, _) => (
            OutcomeKind::Caution,
            format!(
                "{}: {}",
                c.name,
                c.caution.as_deref().unwrap_or("treat with caution.")
            ),
        ),
        (ContraindicationClass::Absolute, Some(Deferral::Period { period, after })) => (
            OutcomeKind::DoNotTreat,
            format!(
                "{}: do not treat until the date of {after} is known ({period} wait).",
                c.name
            ),
        ),
        (ContraindicationClass::Absolute, Some(Deferral::UntilResolved { condition })) => (
            OutcomeKind::DoNotTreat,
            format!(
                "{}: do not treat {}until {condition}.",
                c.name,
                in_area.unwrap_or("today ")
            ),
        ),
        (ContraindicationClass::Absolute, None) => {
            (OutcomeKind::DoNotTreat, format!("{}: do not treat.", c.name))
        }
    }
}

/// A caution whose rule asks for a confirmation (e.g. the antiviral has been started) that the
/// answer does not give: the visit waits for it.
pub(super) fn unconfirmed(
    q: &IntakeQuestion,
    c: &Contraindication,
    answer: &Answer,
    mut f: Finding,
) -> Finding {
    let Some(id) = c.confirmed_by.as_deref() else {
        return f;
    };
    if f.kind != OutcomeKind::Caution
        || answer
            .details
            .get(id)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"))
    {
        return f;
    }
    let asked = q
        .follow_ups
        .iter()
        .find(|x| x.id == id)
        .map_or(id, |x| x.label.as_str());
    f.kind = OutcomeKind::NeedsClearance;
    f.message = format!(
        "{} Not confirmed yet: \"{asked}\" must be answered yes before treatment.",
        f.message
    );
    f
}
