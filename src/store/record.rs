//! A client's whole record as the desk opens it: details, concerns, plans with their sessions,
//! what was done in each, signed corrections, screenings, history and printed sheets.

use std::collections::HashMap;

use crate::domain::{
    Client, ClientConcern, ClientId, DocumentKind, PrintedDocument, PrintedFor, Screening, Session,
    SessionArea, SessionId, SessionStatus, TreatmentPlan,
};

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

impl Store {
    /// The client's whole record, or `None` when no client has this id.
    pub fn client_record(&self, id: ClientId) -> StoreResult<Option<ClientRecord>> {
        let Some(client) = self.client(id)? else {
            return Ok(None);
        };
        let mut plans = Vec::new();
        for plan in self.plans_of(id)? {
            let sessions = self.sessions_of(plan.id)?;
            let mut treated = HashMap::new();
            let mut amendments = HashMap::new();
            for s in sessions.iter().filter(|s| s.status == SessionStatus::Done) {
                treated.insert(s.id, self.session_areas(s.id)?);
                let a = self.session_amendments(s.id)?;
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
            plans,
            client,
        }))
    }
}
