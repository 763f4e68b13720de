//! Unsigned drafts of the forms being filled in (a screening, a session record), saved a few
//! seconds after each change so that typed work survives a crash or a closed window
//! (migration 0007). A draft is scratch, not a record: it is written outside the audited
//! [`Store::write`] (an audit row every few seconds would bury the log), never signed, never in
//! a client's export, and removed in the same transaction as the signature that replaces it.

use super::db::OptionalExtension;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::error::StoreResult;
use super::offline_drafts::{DraftKept, OnDesk};
use super::{format_time, Store, StoreError, Writer};
use crate::domain::ClientId;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    /// A screening: keyed by the client, or by the signed screening it amends.
    Screening,
    /// A session record: keyed by the session.
    Session,
}

impl DraftKind {
    pub(super) fn code(self) -> &'static str {
        match self {
            DraftKind::Screening => "screening",
            DraftKind::Session => "session",
        }
    }

    pub(super) fn from_code(code: &str) -> Option<Self> {
        [DraftKind::Screening, DraftKind::Session]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// A saved draft: the form's contents as JSON, and when and by whom it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub client_id: ClientId,
    pub body: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

impl Store {
    /// Saves (or replaces) the draft of one form, in one statement of its own. While a clinic
    /// server is away the draft is kept on this desk instead (`offline_drafts.rs`), and goes to
    /// the server when it is back.
    pub fn save_draft(
        &self,
        kind: DraftKind,
        subject: &str,
        client: ClientId,
        body: &str,
        by: &str,
    ) -> StoreResult<DraftKept> {
        if self.is_read_only() {
            return Err(StoreError::ReadOnly);
        }
        match self.save_draft_in_database(kind, subject, client, body, by, self.now()) {
            Ok(()) => {
                // What the server now holds is newer than anything kept here meanwhile.
                self.forget_draft_on_desk(kind, subject);
                Ok(DraftKept::InDatabase)
            }
            Err(e) if e.is_server_gone() && self.offline_drafts.is_some() => {
                self.keep_draft_on_desk(kind, subject, client, body, by)
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn save_draft_in_database(
        &self,
        kind: DraftKind,
        subject: &str,
        client: ClientId,
        body: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.conn().execute(
            "INSERT INTO drafts (kind, subject_id, client_id, body, saved_at, saved_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (kind, subject_id) DO UPDATE SET
                client_id = excluded.client_id, body = excluded.body,
                saved_at = excluded.saved_at, saved_by = excluded.saved_by",
            params![
                kind.code(),
                subject,
                client.to_string(),
                body,
                format_time(at),
                by
            ],
        )?;
        Ok(())
    }

    /// The draft of one form, if one was saved: the one kept on this desk while the server
    /// was away, being the newer, else the database's.
    pub fn draft(&self, kind: DraftKind, subject: &str) -> StoreResult<Option<Draft>> {
        match self.draft_on_desk(kind, subject)? {
            Some(OnDesk::Draft(kept)) => return Ok(Some(kept)),
            Some(OnDesk::Discarded) => return Ok(None),
            None => {}
        }
        let row = self
            .conn()
            .query_row(
                "SELECT client_id, body, saved_at, saved_by FROM drafts
                 WHERE kind = ?1 AND subject_id = ?2",
                params![kind.code(), subject],
                |r| {
                    Ok((
                        r.get::<_, String>("client_id")?,
                        r.get::<_, String>("body")?,
                        r.get::<_, String>("saved_at")?,
                        r.get::<_, String>("saved_by")?,
                    ))
                },
            )
            .optional()?;
        let Some((client, body, saved_at, saved_by)) = row else {
            return Ok(None);
        };
        let bad = |field: &str| StoreError::BadRow {
            table: "drafts",
            id: subject.to_owned(),
            problem: format!("{field} is not readable"),
        };
        Ok(Some(Draft {
            client_id: client.parse().map_err(|_| bad("client_id"))?,
            body,
            saved_at: DateTime::parse_from_rfc3339(&saved_at)
                .map_err(|_| bad("saved_at"))?
                .with_timezone(&Utc),
            saved_by,
        }))
    }

    /// Removes the draft of one form (discarded by the user).
    pub fn discard_draft(&self, kind: DraftKind, subject: &str) -> StoreResult<()> {
        if self.is_read_only() {
            return Ok(());
        }
        self.forget_draft_on_desk(kind, subject);
        match self.discard_draft_in_database(kind, subject) {
            // The server's copy goes when it is back; until then it is not offered again.
            Err(e) if e.is_server_gone() && self.offline_drafts.is_some() => {
                self.keep_discarded_on_desk(kind, subject)
            }
            done => done,
        }
    }

    pub(super) fn discard_draft_in_database(&self, kind: DraftKind, subject: &str) -> StoreResult<()> {
        self.conn().execute(
            "DELETE FROM drafts WHERE kind = ?1 AND subject_id = ?2",
            params![kind.code(), subject],
        )?;
        Ok(())
    }
}

impl Writer<'_> {
    /// Removes a form's draft in the transaction that signs what it became.
    pub fn discard_draft(&self, kind: DraftKind, subject: &str) -> StoreResult<()> {
        self.exec(
            "DELETE FROM drafts WHERE kind = ?1 AND subject_id = ?2",
            params![kind.code(), subject],
        )?;
        Ok(())
    }
}
