//! Files that carry client data out of the clinic — a client's complete record, a lot's recall
//! list — are written whole and never left without their audit row: if the row cannot be
//! saved, the file is removed again.

use std::path::Path;

use thiserror::Error;

use super::error::StoreError;
use super::{Store, Writer};
use crate::domain::{Actor, AuditAction, ClientId};

/// What an export holds, for its audit row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOf<'a> {
    /// A client's complete record (`needlepoint export`, the record's Export button).
    ClientRecord(ClientId),
    /// The clients who received a lot: the lot as searched, and how many sessions it lists.
    Recall { lot: &'a str, sessions: usize },
}

#[derive(Debug, Error)]
pub enum ExportError {
    /// The file could not be written; nothing was recorded and no part of it is left.
    #[error("Could not write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The audit row could not be saved, so no file is left (removed again, or never written
    /// when the database is read-only).
    #[error("{0}")]
    NotRecorded(StoreError),
}

impl Store {
    /// Writes a client's complete record to `path` as JSON, with the originals of their photos
    /// in a folder beside it (`NAME-photos/`), and records the export. If the audit row cannot
    /// be saved, what was written is removed again.
    pub fn write_client_export(
        &mut self,
        actor: impl Into<Actor>,
        id: ClientId,
        path: &Path,
    ) -> Result<super::ClientExport, ExportError> {
        let mut export = self
            .client_export(id)
            .map_err(ExportError::NotRecorded)?
            .ok_or(ExportError::NotRecorded(StoreError::NotFound { what: "client" }))?;
        let folder = photo_folder(path);
        for p in &export.photos {
            let name = format!(
                "{}-{}-{}-{}.{}",
                p.taken_on,
                p.area,
                p.view.code(),
                &p.sha256[..8],
                if p.format == "png" { "png" } else { "jpg" }
            );
            let written = if p.erased {
                Err("erased when the client was anonymised".to_owned())
            } else {
                self.read_original(&p.sha256, &p.format)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        crate::paths::write_whole_file(&folder.join(&name), &bytes).map_err(|e| e.to_string())
                    })
            };
            let shown = |name: &str| {
                format!(
                    "{}/{name}",
                    folder
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )
            };
            export.photo_files.push(match written {
                Ok(()) => super::rights::ExportedPhoto {
                    photo_id: p.id,
                    file: Some(shown(&name)),
                    problem: None,
                },
                Err(problem) => super::rights::ExportedPhoto {
                    photo_id: p.id,
                    file: None,
                    problem: Some(problem),
                },
            });
        }
        let json = serde_json::to_string_pretty(&export).map_err(|e| ExportError::Write {
            path: path.display().to_string(),
            source: std::io::Error::other(e),
        })?;
        let written = self.write_export(actor, path, json.as_bytes(), ExportOf::ClientRecord(id));
        if written.is_err() {
            std::fs::remove_dir_all(&folder).ok();
        }
        written.map(|()| export)
    }

    /// Writes `bytes` to `path` whole (a temporary name, flushed, renamed) and records the
    /// export in the audit log; if the row cannot be saved the file is removed again and the
    /// error returned. The file is written before the transaction opens, so a slow folder
    /// (a network share) never holds other windows' saves.
    pub fn write_export(
        &mut self,
        actor: impl Into<Actor>,
        path: &Path,
        bytes: &[u8],
        what: ExportOf<'_>,
    ) -> Result<(), ExportError> {
        if self.is_read_only() {
            return Err(ExportError::NotRecorded(StoreError::ReadOnly));
        }
        crate::paths::write_whole_file(path, bytes).map_err(|source| ExportError::Write {
            path: path.display().to_string(),
            source,
        })?;
        self.record_written_export(actor, path, what)
    }

    /// Records an export already written whole to `path` (by a background job, say); if the
    /// row cannot be saved, the file is removed again and the error returned.
    pub fn record_written_export(
        &mut self,
        actor: impl Into<Actor>,
        path: &Path,
        what: ExportOf<'_>,
    ) -> Result<(), ExportError> {
        let destination = path.display().to_string();
        let recorded = self.write(actor, |w| match what {
            ExportOf::ClientRecord(client) => w.record_export(client, &destination),
            ExportOf::Recall { lot, sessions } => w.record_recall_export(lot, sessions, &destination),
        });
        recorded.map_err(|e| {
            // No list of clients leaves without its audit row.
            std::fs::remove_file(path).ok();
            ExportError::NotRecorded(e)
        })
    }
}

/// `record.json` → `record-photos/` beside it.
pub fn photo_folder(path: &Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "record".to_owned());
    path.with_file_name(format!("{stem}-photos"))
}

impl Writer<'_> {
    /// Records that the clients who received `lot` were exported, and where to.
    pub fn record_recall_export(
        &mut self,
        lot: &str,
        sessions: usize,
        destination: &str,
    ) -> Result<(), StoreError> {
        let lot = lot.trim();
        let detail = format!("recall of lot {lot} ({sessions} sessions) to {destination}");
        self.audit(AuditAction::Export, "products", lot, None, &detail)
    }
}
