//! Drafts typed while the clinic server is away, kept on this desk until it is back. A draft
//! is scratch, never a record (`drafts.rs`), so keeping one locally accepts nothing signed: the
//! desk's folder holds the form's text, and the server gets it as soon as it answers again (or
//! when the desk next starts). Only a server database has such a folder; a file's drafts are
//! in the file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::drafts::{Draft, DraftKind};
use super::error::{StoreError, StoreResult};
use super::Store;

/// A draft as kept on the desk.
#[derive(Debug, Serialize, Deserialize)]
struct KeptDraft {
    kind: String,
    subject: String,
    client_id: String,
    body: String,
    saved_at: DateTime<Utc>,
    saved_by: String,
    /// Discarded while the server was away: the server's older copy is removed when it is back
    /// (and never offered meanwhile).
    #[serde(default)]
    discarded: bool,
}

/// What this desk keeps for one form while the server is away.
pub(super) enum OnDesk {
    Draft(Draft),
    Discarded,
}

/// Where a draft was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKept {
    /// In the database, as always.
    InDatabase,
    /// On this desk, the server being away; it goes to the server when it is back.
    OnThisDesk,
}

/// The folder a desk keeps a server's drafts in while it is away: one per server address, in
/// the data folder.
pub(super) fn default_folder(address: &str) -> Option<PathBuf> {
    let name: String = address
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    crate::paths::data_dir().map(|d| d.join("offline-drafts").join(name))
}

fn file_of(folder: &Path, kind: DraftKind, subject: &str) -> PathBuf {
    let subject: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    folder.join(format!("{}-{subject}.json", kind.code()))
}

fn kept_problem(path: &Path, problem: impl std::fmt::Display) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        reason: format!("a draft kept on this desk while the server was away cannot be used ({problem})"),
    }
}

impl Store {
    /// Keeps this server database's offline drafts in `folder` instead of the data folder.
    #[doc(hidden)]
    pub fn keep_offline_drafts_in(&mut self, folder: PathBuf) {
        self.offline_drafts = Some(folder);
    }

    /// Keeps a draft on this desk (the server being away).
    pub(super) fn keep_draft_on_desk(
        &self,
        kind: DraftKind,
        subject: &str,
        client: crate::domain::ClientId,
        body: &str,
        by: &str,
    ) -> StoreResult<DraftKept> {
        self.keep_on_desk(kind, subject, client, body, by, false)
    }

    /// Notes on this desk that the form's draft was discarded (the server being away), so the
    /// server's older copy is not offered again and is removed when the server is back.
    pub(super) fn keep_discarded_on_desk(&self, kind: DraftKind, subject: &str) -> StoreResult<()> {
        let nobody = crate::domain::ClientId(uuid::Uuid::nil());
        self.keep_on_desk(kind, subject, nobody, "", "", true).map(|_| ())
    }

    fn keep_on_desk(
        &self,
        kind: DraftKind,
        subject: &str,
        client: crate::domain::ClientId,
        body: &str,
        by: &str,
        discarded: bool,
    ) -> StoreResult<DraftKept> {
        let Some(folder) = &self.offline_drafts else {
            return Err(StoreError::Refused(
                "This desk has no data folder to keep the draft in until the server is back.".to_owned(),
            ));
        };
        let kept = KeptDraft {
            kind: kind.code().to_owned(),
            subject: subject.to_owned(),
            client_id: client.to_string(),
            body: body.to_owned(),
            saved_at: self.now(),
            saved_by: by.to_owned(),
            discarded,
        };
        let path = file_of(folder, kind, subject);
        let json = serde_json::to_vec(&kept).map_err(|e| kept_problem(&path, e))?;
        crate::paths::write_whole_file(&path, &json)
            .map_err(|e| kept_problem(&path, crate::paths::describe_io(&e)))?;
        Ok(DraftKept::OnThisDesk)
    }

    /// What this desk keeps for this form, if anything: a draft, or that it was discarded.
    pub(super) fn draft_on_desk(&self, kind: DraftKind, subject: &str) -> StoreResult<Option<OnDesk>> {
        let Some(folder) = &self.offline_drafts else {
            return Ok(None);
        };
        let path = file_of(folder, kind, subject);
        match std::fs::read(&path) {
            Ok(bytes) => read_kept(&path, &bytes).map(|(_, _, kept)| Some(kept)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(kept_problem(&path, crate::paths::describe_io(&e))),
        }
    }

    /// Forgets the draft kept on this desk for this form (discarded, signed, or on the server).
    pub(super) fn forget_draft_on_desk(&self, kind: DraftKind, subject: &str) {
        if let Some(folder) = &self.offline_drafts {
            let path = file_of(folder, kind, subject);
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!("could not remove {}: {e}", path.display());
                }
            }
        }
    }

    /// Saves on the server every draft this desk kept while it was away (and removes the ones
    /// discarded meanwhile), each then removed from the desk. Returns how many went; a server still away leaves them where they are.
    pub fn send_offline_drafts(&self) -> StoreResult<usize> {
        let Some(folder) = &self.offline_drafts else {
            return Ok(0);
        };
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(kept_problem(folder, crate::paths::describe_io(&e))),
        };
        let mut sent = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let bytes =
                std::fs::read(&path).map_err(|e| kept_problem(&path, crate::paths::describe_io(&e)))?;
            let (kind, subject, kept) = read_kept(&path, &bytes)?;
            match kept {
                OnDesk::Draft(draft) => self.save_draft_in_database(
                    kind,
                    &subject,
                    draft.client_id,
                    &draft.body,
                    &draft.saved_by,
                    draft.saved_at,
                )?,
                OnDesk::Discarded => self.discard_draft_in_database(kind, &subject)?,
            }
            self.forget_draft_on_desk(kind, &subject);
            sent += 1;
        }
        Ok(sent)
    }
}

fn read_kept(path: &Path, bytes: &[u8]) -> StoreResult<(DraftKind, String, OnDesk)> {
    let kept: KeptDraft = serde_json::from_slice(bytes).map_err(|e| kept_problem(path, e))?;
    let kind = DraftKind::from_code(&kept.kind).ok_or_else(|| kept_problem(path, "unknown form"))?;
    if kept.discarded {
        return Ok((kind, kept.subject, OnDesk::Discarded));
    }
    let client_id = kept
        .client_id
        .parse()
        .map_err(|_| kept_problem(path, "its client id"))?;
    Ok((
        kind,
        kept.subject,
        OnDesk::Draft(Draft {
            client_id,
            body: kept.body,
            saved_at: kept.saved_at,
            saved_by: kept.saved_by,
        }),
    ))
}
