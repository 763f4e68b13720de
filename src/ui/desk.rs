//! What every area of the window shares: the store, the protocol, the desk's date, who is at the
//! desk, the status line, how printed sheets are handed over, and the waker background jobs use.
//! An area's `apply` borrows it; no area reaches into another's state.

use chrono::NaiveDate;

use crate::domain::text::one_full_stop;
use crate::print::deliver::Delivery;
use crate::protocol::Protocol;
use crate::store::{Store, StoreError};

use super::jobs::Waker;

pub(crate) struct Desk {
    pub store: Store,
    pub protocol: Protocol,
    /// The desk's date; the window passes the clock's.
    pub today: NaiveDate,
    /// Who is at the desk, as typed ("At the desk"); see [`Desk::actor`].
    pub user: String,
    /// The line at the bottom of the window.
    pub status: Option<Status>,
    /// What failed and has not been marked as read, oldest first: a later message in the
    /// status line never hides a failure.
    pub unread_failures: Vec<String>,
    /// Open printed sheets (or send them to `lp`), or only save them (tests, the bench).
    pub delivery: Delivery,
    /// Wakes the window when a background job finishes.
    pub waker: Waker,
    /// How long after the last change a form's draft is saved.
    pub draft_delay: std::time::Duration,
}

impl Desk {
    pub fn new(store: Store, protocol: Protocol, today: NaiveDate) -> Self {
        Self {
            store,
            protocol,
            today,
            user: String::new(),
            status: None,
            unread_failures: Vec::new(),
            delivery: Delivery::System,
            waker: Waker::default(),
            draft_delay: super::autosave::DRAFT_DELAY,
        }
    }

    /// The name written into the audit log.
    pub fn actor(&self) -> String {
        let user = self.user.trim();
        if user.is_empty() {
            "Front desk".to_owned()
        } else {
            user.to_owned()
        }
    }

    pub fn read_only(&self) -> bool {
        self.store.is_read_only()
    }

    /// A message for the status line (one full stop per sentence, whatever it was built from).
    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status::Info(one_full_stop(&text.into())));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        /// Enough to see what went wrong today without the list taking over the window.
        const KEPT: usize = 20;
        let text = one_full_stop(&text.into());
        if self.unread_failures.last() != Some(&text) {
            self.unread_failures.push(text.clone());
            if self.unread_failures.len() > KEPT {
                self.unread_failures.remove(0);
            }
        }
        self.status = Some(Status::Error(text));
    }

    /// A store error, in the status line.
    pub fn fail(&mut self, e: &StoreError) {
        self.error(e.to_string());
    }
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
