//! `printed_documents`: which sheet was printed for which session or screening, and the
//! `print` audit row written with it in the same transaction.

use super::db::Row;
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::text::{self, limits};
use crate::domain::{AuditAction, ClientId, DocumentKind, PrintedDocument, PrintedFor};

const TABLE: &str = "printed_documents";

/// The longest path recorded for a printed sheet.
const PATH_MAX: usize = 4000;

impl Writer<'_> {
    /// Records that a sheet was printed (saved to `path`), with its audit row. Returns the
    /// record as saved.
    pub fn record_print(
        &mut self,
        kind: DocumentKind,
        client: ClientId,
        printed_for: PrintedFor,
        path: &str,
    ) -> StoreResult<PrintedDocument> {
        let path = text::required("Where the sheet was saved", path, PATH_MAX)?;
        let (session, screening) = match printed_for {
            PrintedFor::Session(s) => (Some(s.to_string()), None),
            PrintedFor::Screening(s) => (None, Some(s.to_string())),
        };
        if (kind == DocumentKind::Screening) != screening.is_some() {
            return Err(StoreError::Refused(format!(
                "A {} belongs to a {}.",
                kind.to_string().to_lowercase(),
                if kind == DocumentKind::Screening {
                    "screening"
                } else {
                    "session"
                }
            )));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let printed_by = text::required("Your name", &self.actor.name, limits::NAME)?;
        self.tx
            .prepare_cached(
                "INSERT INTO printed_documents (id, kind, client_id, session_id, screening_id, path, printed_at, printed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                kind.code(),
                client.to_string(),
                session,
                screening,
                path,
                self.now,
                printed_by
            ])?;
        let record_id = session.or(screening).unwrap_or_default();
        self.audit(
            AuditAction::Print,
            TABLE,
            &id,
            Some(&client.to_string()),
            &format!("{} for {record_id} saved to {path}", kind.code()),
        )?;
        Ok(PrintedDocument {
            printed_at: rows::time(TABLE, &id, &self.now)?,
            id,
            kind,
            client_id: client,
            printed_for,
            path,
            printed_by,
        })
    }
}

impl Store {
    /// Every sheet printed for a client, oldest first.
    pub fn printed_for_client(&self, client: ClientId) -> StoreResult<Vec<PrintedDocument>> {
        rows::read_all(
            self.conn(),
            "SELECT id, kind, session_id, screening_id, path, printed_at, printed_by FROM printed_documents
             WHERE client_id = ?1 ORDER BY printed_at, rowid",
            [client.to_string()],
            PrintedRow::from_row,
        )?
        .into_iter()
        .map(|row| row.into_document(client))
        .collect()
    }
}

/// A `printed_documents` row as stored.
struct PrintedRow {
    id: String,
    kind: String,
    session_id: Option<String>,
    screening_id: Option<String>,
    path: String,
    printed_at: String,
    printed_by: String,
}

impl PrintedRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            kind: r.get("kind")?,
            session_id: r.get("session_id")?,
            screening_id: r.get("screening_id")?,
            path: r.get("path")?,
            printed_at: r.get("printed_at")?,
            printed_by: r.get("printed_by")?,
        })
    }

    fn into_document(self, client: ClientId) -> StoreResult<PrintedDocument> {
        let id = self.id;
        let printed_for = match (self.session_id, self.screening_id) {
            (Some(s), None) => PrintedFor::Session(rows::parse(TABLE, &id, "session", &s)?),
            (None, Some(s)) => PrintedFor::Screening(rows::parse(TABLE, &id, "screening", &s)?),
            _ => return Err(rows::bad(TABLE, &id, "names neither a session nor a screening")),
        };
        Ok(PrintedDocument {
            kind: DocumentKind::from_code(&self.kind).map_err(|e| rows::bad(TABLE, &id, e))?,
            printed_at: rows::time(TABLE, &id, &self.printed_at)?,
            client_id: client,
            printed_for,
            path: self.path,
            printed_by: self.printed_by,
            id,
        })
    }
}
