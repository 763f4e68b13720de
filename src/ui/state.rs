//! What the app holds between frames, apart from the store: the client list's loaded rows,
//! the open client record, the open dialog, the status line.

use std::collections::HashMap;

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

pub use crate::store::{ClientRecord, PlanWithSessions};

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
