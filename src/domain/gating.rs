//! Whether a session may start: only after a signed screening of the same day whose outcome
//! allows treatment.

use chrono::NaiveDate;
use thiserror::Error;

use super::{OutcomeKind, Screening};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GateRefusal {
    #[error("No signed screening today: screen the client and sign the checklist before starting.")]
    NoScreeningToday,
    #[error("Today's screening says \"{kind}\": the session cannot start. {reasons}")]
    OutcomeRefuses { kind: OutcomeKind, reasons: String },
}

/// The screening that allows a session on `today`: the newest signed screening of that day
/// (an amendment supersedes what it corrects). `screenings` may be in any order.
pub fn screening_for_session(screenings: &[Screening], today: NaiveDate) -> Result<&Screening, GateRefusal> {
    let latest = screenings
        .iter()
        .filter(|s| s.screened_on == today && s.is_signed())
        .max_by_key(|s| s.signed_at)
        .ok_or(GateRefusal::NoScreeningToday)?;
    if latest.outcome.kind.allows_treatment() {
        Ok(latest)
    } else {
        let reasons = latest
            .outcome
            .findings
            .iter()
            .filter(|f| !f.kind.allows_treatment() && f.area.is_none())
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Err(GateRefusal::OutcomeRefuses {
            kind: latest.outcome.kind,
            reasons,
        })
    }
}
