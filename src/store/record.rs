//! A client's whole record as the desk opens it: details, concerns, plans with their sessions,
//! what was done in each, signed corrections, screenings, history and printed sheets.

use std::collections::HashMap;

use super::db::Db;

use crate::domain::{
    Client, ClientConcern, ClientId, DocumentKind, PlanId, PrintedDocument, PrintedFor, Screening, Session,
    SessionArea, SessionId, SessionStatus, TreatmentPlan,
};

use super::plan_rows::{plans_of_client, session_areas_of_client, sessions_of_client};
use super::sessions::amendments_of_client;
use super::{ClientHistory, SessionAmendment, Store, StoreResult, HISTORY_LIMIT};

/// A plan with its sessions, as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWithSessions {
    pub plan: TreatmentPlan,
    pub sessions: Vec<Session>,
    /// What was done in each done session, by session id.
    pub treated: HashMap<SessionId, Vec<SessionArea>>,
    /// Signed corrections, by session id.
    pub amendments: HashMap<SessionId, Vec<SessionAmendment>>,
}

/// The open client's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub client: Client,
    pub concerns: Vec<ClientConcern>,
    pub plans: Vec<PlanWithSessions>,
    /// Newest first.
    pub screenings: Vec<Screening>,
    /// The newest audit entries about the client and their records.
    pub history: ClientHistory,
    /// Every sheet printed for the client, oldest first.
    pub printed: Vec<PrintedDocument>,
    /// Written clearances on file, newest given first.
    pub clearances: Vec<crate::domain::ClearanceOnFile>,
    /// Consents and withdrawals, oldest first.
    pub consents: Vec<crate::domain::Consent>,
    /// How many months a consent stays in force.
    pub consent_renewal_months: u32,
    /// The client's photos (their tags; the pictures are read when shown).
    pub photos: Vec<crate::domain::Photo>,
}

impl ClientRecord {
    /// The latest print of this kind for a session or screening.
    pub fn last_printed(&self, kind: DocumentKind, of: PrintedFor) -> Option<&PrintedDocument> {
        self.printed
            .iter()
            .rev()
            .find(|p| p.kind == kind && p.printed_for == of)
    }
}

/// Everything below a client's plans, read in a fixed number of queries however many plans
/// and sessions there are: the plans (with their concerns and areas), their sessions, what
/// was done in each session, and the amendments. Each list keeps the order of the per-item
/// readers (`plans_of`, `sessions_of`, `session_areas`, `session_amendments`).
pub(super) struct ClientPlans {
    plans: Vec<TreatmentPlan>,
    sessions: HashMap<PlanId, Vec<Session>>,
    areas: HashMap<SessionId, Vec<SessionArea>>,
    amendments: HashMap<SessionId, Vec<SessionAmendment>>,
}

impl ClientPlans {
    pub fn read(conn: &Db, client: ClientId) -> StoreResult<Self> {
        Ok(Self {
            plans: plans_of_client(conn, client)?,
            sessions: sessions_of_client(conn, client)?,
            areas: session_areas_of_client(conn, client)?,
            amendments: amendments_of_client(conn, client)?,
        })
    }

    /// The plans, newest start first (taken out).
    pub fn take_plans(&mut self) -> Vec<TreatmentPlan> {
        std::mem::take(&mut self.plans)
    }

    /// A plan's sessions by number (taken out: each plan is asked once).
    pub fn take_sessions(&mut self, plan: PlanId) -> Vec<Session> {
        self.sessions.remove(&plan).unwrap_or_default()
    }

    /// What was done in a session, as recorded (taken out).
    pub fn take_areas(&mut self, session: SessionId) -> Vec<SessionArea> {
        self.areas.remove(&session).unwrap_or_default()
    }

    /// A session's amendments, oldest first (taken out).
    pub fn take_amendments(&mut self, session: SessionId) -> Vec<SessionAmendment> {
        self.amendments.remove(&session).unwrap_or_default()
    }
}

impl Store {
    /// The client's whole record, or `None` when no client has this id. A fixed number of
    /// queries, however many plans and sessions the client has.
    pub fn client_record(&self, id: ClientId) -> StoreResult<Option<ClientRecord>> {
        let Some(client) = self.client(id)? else {
            return Ok(None);
        };
        let mut below = ClientPlans::read(self.conn(), id)?;
        let mut plans = Vec::new();
        for plan in below.take_plans() {
            let sessions = below.take_sessions(plan.id);
            let mut treated = HashMap::new();
            let mut amendments = HashMap::new();
            for s in sessions.iter().filter(|s| s.status == SessionStatus::Done) {
                treated.insert(s.id, below.take_areas(s.id));
                let a = below.take_amendments(s.id);
                if !a.is_empty() {
                    amendments.insert(s.id, a);
                }
            }
            plans.push(PlanWithSessions {
                plan,
                sessions,
                treated,
                amendments,
            });
        }
        Ok(Some(ClientRecord {
            history: self.client_history(id, HISTORY_LIMIT)?,
            concerns: self.concerns_of(id)?,
            screenings: self.screenings_of(id)?,
            printed: self.printed_for_client(id)?,
            clearances: super::clearances::clearances_of(self.conn(), id)?,
            consents: self.consents_of(id)?,
            consent_renewal_months: self.consent_renewal_months()?,
            photos: self.photos_of(id)?,
            plans,
            client,
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::plan_rows::{
        client_plan_areas_sql, client_plan_concerns_sql, client_plans_sql, client_session_areas_sql,
        client_sessions_sql,
    };
    use super::super::sessions::client_amendments_sql;
    use super::*;

    /// Each client-wide read seeks its indexes from the client's id: no query reads a whole table.
    #[test]
    fn the_client_wide_reads_scan_no_table() {
        let store = Store::open_in_memory().expect("store");
        for sql in [
            client_plans_sql(),
            client_plan_concerns_sql(),
            client_plan_areas_sql(),
            client_sessions_sql(),
            client_session_areas_sql(),
            client_amendments_sql(),
        ] {
            let plan: Vec<String> = store
                .conn()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(["x"], |r| r.get::<_, String>("detail"))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(!plan.is_empty(), "{sql}");
            assert!(
                plan.iter().all(|line| !line.starts_with("SCAN")),
                "{sql}\n{plan:#?}"
            );
        }
    }
}
