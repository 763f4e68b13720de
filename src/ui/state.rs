//! What the app holds between frames, apart from the store: the client list's loaded rows,
//! the open client record, the open dialog, the status line.

use std::collections::HashMap;

use crate::domain::{Client, ClientConcern, Screening, Session, TreatmentPlan};
use crate::store::ClientSummary;

use super::views::client_form::ClientForm;
use super::views::concern_form::ConcernForm;
use super::views::plan_form::{BookingForm, PlanForm};

/// Rows of the client list are loaded a page at a time as they scroll into view.
pub const PAGE: usize = 100;
/// The most search results listed; more means the search should be narrowed.
pub const MAX_HITS: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct ClientList {
    pub query: String,
    /// Search results, best first (when `query` is not blank).
    pub hits: Vec<ClientSummary>,
    /// All active clients (when `query` is blank).
    pub total: usize,
    pub pages: HashMap<usize, Vec<ClientSummary>>,
}

impl ClientList {
    pub fn searching(&self) -> bool {
        !self.query.trim().is_empty()
    }

    pub fn len(&self) -> usize {
        if self.searching() {
            self.hits.len()
        } else {
            self.total
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`, if loaded.
    pub fn row(&self, i: usize) -> Option<&ClientSummary> {
        if self.searching() {
            self.hits.get(i)
        } else {
            self.pages.get(&(i / PAGE)).and_then(|p| p.get(i % PAGE))
        }
    }
}

/// A plan with its sessions, as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWithSessions {
    pub plan: TreatmentPlan,
    pub sessions: Vec<Session>,
    /// What was done in each done session, by session id.
    pub treated: HashMap<crate::domain::SessionId, Vec<crate::domain::SessionArea>>,
    /// Signed corrections, by session id.
    pub amendments: HashMap<crate::domain::SessionId, Vec<crate::store::SessionAmendment>>,
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
    pub history: crate::store::ClientHistory,
    /// Every sheet printed for the client, oldest first.
    pub printed: Vec<crate::domain::PrintedDocument>,
}

impl ClientRecord {
    /// The latest print of this kind for a session or screening.
    pub fn last_printed(
        &self,
        kind: crate::domain::DocumentKind,
        of: crate::domain::PrintedFor,
    ) -> Option<&crate::domain::PrintedDocument> {
        self.printed
            .iter()
            .rev()
            .find(|p| p.kind == kind && p.printed_for == of)
    }
}

#[derive(Debug, Clone)]
pub enum Dialog {
    Client(Box<ClientForm>),
    Concern(Box<ConcernForm>),
    Plan(Box<PlanForm>),
    Booking(Box<BookingForm>),
    SessionAmendment(Box<super::views::session_amendment::SessionAmendmentForm>),
    ConfirmArchive,
    /// Where to write the open client's complete record.
    Export(Box<super::views::data_rights::ExportForm>),
    /// Anonymise the open client? Names the consequence first.
    ConfirmAnonymise,
    /// Clients from a CSV file: the file, its preview, the confirmation.
    Import(Box<super::views::import::ImportForm>),
    /// Restore this backup over the current data?
    ConfirmRestore(crate::store::BackupInfo),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

impl Status {
    pub fn text(&self) -> &str {
        match self {
            Status::Info(t) | Status::Error(t) => t,
        }
    }
}
