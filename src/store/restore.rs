//! Restoring a backup: the chosen file is copied beside the database and checked (integrity,
//! foreign keys, schema, audit chain) before anything is replaced; the current file is backed
//! up; then the database is replaced with one atomic rename.

use chrono::Utc;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

use super::backup::{
    backup_dir, check_file, copy_database, io_error, remove_if_present, remove_sidecars, sidecar, stem,
    sync_dir, sync_file, with_suffix, AUDIT_TABLE, NAME_TIME,
};
use super::error::{StoreError, StoreResult};
use super::{migrations, Store};
use crate::domain::AuditAction;

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// Where the file that was replaced was kept (`None` when there was no file).
    pub previous_kept_at: Option<PathBuf>,
}

/// Replaces the database at `db` with the backup `from`. The backup is copied beside `db` and
/// checked (integrity, foreign keys, schema version and setup steps, audit chain) before
/// anything is replaced; the current file is backed up first; the replacement is one rename.
/// The database must not be open anywhere (the app closes its own store first).
pub fn restore(db: &Path, from: &Path, actor: &str) -> StoreResult<RestoreReport> {
    let shown_from = from.display().to_string();
    let refuse = |reason: String| StoreError::RestoreRefused {
        from: shown_from.clone(),
        reason,
    };
    if !from.is_file() {
        return Err(refuse("there is no such file".to_owned()));
    }
    if same_file(db, from) {
        return Err(refuse("it is the database itself".to_owned()));
    }
    let staged = with_suffix(db, ".restoring");
    remove_if_present(&staged)?;
    remove_sidecars(&staged);
    let result = stage_and_replace(db, from, &staged, actor);
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
        remove_sidecars(&staged);
        let _ = std::fs::remove_file(super::anchor::anchor_path(&staged));
    }
    result.map_err(|e| match e {
        e @ (StoreError::RestoreRefused { .. } | StoreError::Backup { .. } | StoreError::BackupDamaged { .. }) => e,
        StoreError::NewerSchema { found, supported, .. } => refuse(format!(
            "it was written by a newer version of Needlepoint (data version {found}; this version knows up to {supported})"
        )),
        StoreError::NotADatabase { .. } => refuse("it is not a Needlepoint database, or it is damaged".to_owned()),
        other => refuse(other.to_string()),
    })
}

fn stage_and_replace(db: &Path, from: &Path, staged: &Path, actor: &str) -> StoreResult<RestoreReport> {
    // 1. Copy the backup beside the database (same folder, so the final rename is atomic).
    {
        let src = Connection::open_with_flags(
            from,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::RestoreRefused {
            from: from.display().to_string(),
            reason: format!("it could not be opened ({e})"),
        })?;
        let version = migrations::user_version(&src).map_err(StoreError::from)?;
        if version > migrations::latest_version() {
            return Err(StoreError::NewerSchema {
                path: from.display().to_string(),
                found: version,
                supported: migrations::latest_version(),
            });
        }
        copy_database(&src, staged)?;
    }
    // 2. Check the copy before anything is replaced.
    let _ = std::fs::remove_file(super::anchor::anchor_path(staged));
    check_file(staged, true).map_err(|e| StoreError::RestoreRefused {
        from: from.display().to_string(),
        reason: match e {
            StoreError::BackupDamaged { problem, .. } => format!("it is damaged ({problem})"),
            other => other.to_string(),
        },
    })?;
    {
        let store = Store::open(staged)?;
        let report = store.check()?;
        if !report.is_clean() {
            let mut problems = Vec::new();
            if report.integrity != ["ok"] {
                problems.push(format!("integrity: {}", report.integrity.join("; ")));
            }
            if !report.foreign_key_problems.is_empty() {
                problems.push(format!(
                    "{} records point at missing records",
                    report.foreign_key_problems.len()
                ));
            }
            if !report.audit_chain.is_intact() {
                problems.push(format!("audit log {}", report.audit_chain));
            }
            if report.signed_content_problems.0 > 0 {
                problems.push(format!(
                    "{} signed records are not as they were signed",
                    report.signed_content_problems.0
                ));
            }
            if !report.schema_problems.is_empty() {
                problems.push(format!("safeguards: {}", report.schema_problems.join("; ")));
            }
            if !report.anchor.is_ok() {
                problems.push(format!("audit anchor {}", report.anchor));
            }
            return Err(StoreError::RestoreRefused {
                from: from.display().to_string(),
                reason: format!("it did not pass its check: {}", problems.join(", ")),
            });
        }
        store.close()?;
    }
    // 3. Keep the current file: a verified backup if it opens, else a plain copy.
    let previous_kept_at = if db.exists() {
        Some(keep_current(db, actor)?)
    } else {
        None
    };
    // 4. Record the restore in the restored file's own audit log.
    {
        let mut store = Store::open(staged)?;
        let name: String = from
            .file_name()
            .map(|n| n.to_string_lossy().chars().take(100).collect())
            .unwrap_or_else(|| "backup".to_owned());
        let detail: String = match &previous_kept_at {
            Some(p) => format!(
                "restored from {}; the file it replaced was kept at {}",
                from.display(),
                p.display()
            ),
            None => format!("restored from {}", from.display()),
        }
        .chars()
        .take(4000)
        .collect();
        store.write(actor, |w| {
            w.audit(AuditAction::Restore, AUDIT_TABLE, &name, None, &detail)
        })?;
        store.close()?;
    }
    if sidecar(staged, "-wal").exists() {
        return Err(StoreError::RestoreRefused {
            from: from.display().to_string(),
            reason: "the checked copy could not be closed cleanly".to_owned(),
        });
    }
    sync_file(staged)?;
    // 5. Stale journal files of the old database must not be applied to the restored one.
    remove_sidecars(db);
    std::fs::rename(staged, db).map_err(|e| io_error("put the restored file in place", db, &e))?;
    // The restored log's head (written when the checked copy closed) is the database's anchor now.
    let _ = std::fs::rename(super::anchor::anchor_path(staged), super::anchor::anchor_path(db));
    sync_dir(db);
    Ok(RestoreReport {
        restored_from: from.to_path_buf(),
        previous_kept_at,
    })
}

/// Backs up the database about to be replaced. It must not be open anywhere else: its journal
/// (`-wal`) is folded in and removed here, and a journal left behind means another window has
/// it open.
fn keep_current(db: &Path, actor: &str) -> StoreResult<PathBuf> {
    match Store::open(db) {
        Ok(mut store) => {
            let report = store.backup_now(actor)?;
            store.close()?;
            if std::fs::metadata(sidecar(db, "-wal")).is_ok_and(|m| m.len() > 0) {
                return Err(StoreError::RestoreRefused {
                    from: db.display().to_string(),
                    reason: "the database is open in another Needlepoint window; close it and try again"
                        .to_owned(),
                });
            }
            Ok(report.backup.path)
        }
        Err(_) => {
            // Damaged or foreign: keep its bytes (and journal) as they are, under a name the
            // backup list does not show, since it is not a verified backup.
            let dir = backup_dir(db);
            std::fs::create_dir_all(&dir).map_err(|e| io_error("create the backup folder", &dir, &e))?;
            let name = format!("{}-replaced-{}.db", stem(db), Utc::now().format(NAME_TIME));
            let kept = dir.join(name);
            std::fs::copy(db, &kept).map_err(|e| io_error("keep a copy of the current file", &kept, &e))?;
            for suffix in ["-wal", "-shm"] {
                let side = sidecar(db, suffix);
                if side.exists() {
                    let _ = std::fs::copy(&side, sidecar(&kept, suffix));
                }
            }
            Ok(kept)
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
