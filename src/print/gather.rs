//! Reading what a sheet needs from the store (no SQL here: the store's own queries).

use chrono::NaiveDate;

use super::build::{ScreeningFacts, SessionFacts};
use super::PrintError;
use crate::domain::{ScreeningId, SessionId, SessionStatus};
use crate::store::Store;

/// The session, its client, plan, treated areas, serum lot, the plan's concerns, the next open
/// session of the series and the clinic's settings.
pub fn session_facts(
    store: &Store,
    id: SessionId,
    printed_on: NaiveDate,
) -> Result<SessionFacts, PrintError> {
    let not_found = |what| PrintError::NotFound {
        what,
        id: id.to_string(),
    };
    let session = store.session(id)?.ok_or_else(|| not_found("session"))?;
    let plan = store
        .plan(session.plan_id)?
        .ok_or_else(|| not_found("treatment plan for the session"))?;
    let client = store
        .client(plan.client_id)?
        .ok_or_else(|| not_found("client for the session"))?;
    let sessions = store.sessions_of(plan.id)?;
    let areas = if session.status == SessionStatus::Done {
        store.session_areas(session.id)?
    } else {
        Vec::new()
    };
    let serum = match session.serum_product_id {
        Some(p) => store.product(p)?,
        None => None,
    };
    let concerns = store
        .concerns_of(client.id)?
        .into_iter()
        .filter(|c| plan.concerns.contains(&c.id))
        .collect();
    let next = sessions
        .iter()
        .filter(|s| s.number > session.number)
        .filter(|s| matches!(s.status, SessionStatus::Planned | SessionStatus::Booked))
        .min_by_key(|s| s.number)
        .cloned();
    let done_after = sessions
        .iter()
        .any(|s| s.number > session.number && s.status == SessionStatus::Done);
    let next_time = match &next {
        Some(n) => store.booked_time(n.id)?,
        None => None,
    };
    Ok(SessionFacts {
        next_time,
        own_time: store.booked_time(session.id)?,
        done_after,
        clinic: store.clinic_settings()?,
        sessions_in_plan: sessions.len(),
        client,
        plan,
        session,
        areas,
        serum,
        concerns,
        next,
        printed_on,
    })
}

/// The screening, its client and the clinic's settings.
pub fn screening_facts(
    store: &Store,
    id: ScreeningId,
    printed_on: NaiveDate,
) -> Result<ScreeningFacts, PrintError> {
    let screening = store.screening(id)?.ok_or_else(|| PrintError::NotFound {
        what: "screening",
        id: id.to_string(),
    })?;
    let client = store
        .client(screening.client_id)?
        .ok_or_else(|| PrintError::NotFound {
            what: "client for the screening",
            id: id.to_string(),
        })?;
    Ok(ScreeningFacts {
        clinic: store.clinic_settings()?,
        client,
        screening,
        printed_on,
    })
}
