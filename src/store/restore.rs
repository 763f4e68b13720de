//! Restoring a backup: the chosen file is copied beside the database and checked (integrity,
//! foreign keys, schema, audit chain) before anything is replaced; the current file is backed
//! up; then the database is replaced with one atomic rename.

use chrono::Utc;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

use super::backup::{
    backup_dir, check_file, copy_database, io_error, remove_sidecars, sidecar, stem, sync_dir, sync_file,
    with_suffix, AUDIT_TABLE, NAME_TIME,
};
use super::error::{StoreError, StoreResult};
use super::{lock, migrations, Store};
use crate::domain::{Actor, AuditAction};

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// Where the file that was replaced was kept (`None` when there was no file). Kept copies
    /// live in `backups/kept/`, outside the rotation, and are never removed by the app.
    pub previous_kept_at: Option<PathBuf>,
    /// What the replaced file was like.
    pub previous: Previous,
}

/// The state of the file a restore replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// There was no file.
    None,
    /// It was backed up and the copy verified.
    Verified,
    /// It did not pass its check (or did not open): its bytes were kept as they were.
    Damaged(String),
    /// Its journal (`-wal`) belonged to another database: the file and that journal were kept
    /// as they were, and the journal was not applied.
    ForeignJournal,
}

/// The folder, inside `backups/`, for copies kept before a restore: outside the rotation.
pub const KEPT_DIR: &str = "kept";

/// `backups/kept/` beside the database.
pub fn kept_dir(db: &Path) -> PathBuf {
    backup_dir(db).join(KEPT_DIR)
}

/// Replaces the database at `db` with the backup `from`. The backup is copied beside `db` and
/// checked (integrity, foreign keys, schema version and setup steps, audit chain) before
/// anything is replaced; the current file is kept first (`backups/kept/`); the replacement is
/// one rename. The whole restore holds the database's lock exclusively (`lock.rs`): it is
/// refused while any window or command has the database open, and a command that starts
/// meanwhile waits for it.
pub fn restore(db: &Path, from: &Path, actor: impl Into<Actor>) -> StoreResult<RestoreReport> {
    let actor: Actor = actor.into();
    let shown_from = from.display().to_string();
    let refuse = |reason: String| StoreError::RestoreRefused {
        from: shown_from.clone(),
        reason,
    };
    if !from.is_file() {
        return Err(refuse("there is no such file".to_owned()));
    }
    if db.is_dir() {
        return Err(refuse(format!(
            "{} is a folder; give the path of the database file itself (for example {}/needlepoint.db)",
            db.display(),
            db.display()
        )));
    }
    if same_file(db, from) {
        return Err(refuse("it is the database itself".to_owned()));
    }
    if std::fs::metadata(db).is_ok_and(|m| m.permissions().readonly()) {
        return Err(refuse(format!(
            "the database {} is write-protected (read-only). If you mean to replace it, make it writable first (on Linux or macOS: chmod u+w)",
            db.display()
        )));
    }
    let _lock = lock::exclusive(db).map_err(|e| match e {
        StoreError::InUse { .. } => refuse(
            "the database is open in another Needlepoint window or command; close it (or wait until it has finished) and try again"
                .to_owned(),
        ),
        other => other,
    })?;
    // Holding the lock, no other restore is running: any staged copy is a killed one's.
    remove_stale_staged(db);
    let staged = with_suffix(
        db,
        &format!(
            ".restoring-{}-{}",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ),
    );
    let result = stage_and_replace(db, from, &staged, &actor);
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

/// Removes `clinic.db.restoring…` files (and their journals) left by a killed restore.
fn remove_stale_staged(db: &Path) {
    let Some(name) = db.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match db.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let prefix = format!("{name}.restoring");
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn stage_and_replace(db: &Path, from: &Path, staged: &Path, actor: &Actor) -> StoreResult<RestoreReport> {
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
    // 3. The photos it refers to into `photos/`, from beside the backup or the backups' folder,
    // each verified against its hash; a restore that would leave a photo without its file is refused.
    {
        let conn = Connection::open_with_flags(staged, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let sources = [
            super::photo_files::photos_dir(from),
            super::photo_files::photos_dir(&backup_dir(db).join("any")),
            super::photo_files::photos_dir(&kept_dir(db).join("any")),
        ];
        let missing = super::photo_files::restore_pictures(db, &conn, &sources)?;
        if !missing.is_empty() {
            return Err(StoreError::RestoreRefused {
                from: from.display().to_string(),
                reason: format!(
                    "{} photo file(s) it refers to are neither beside it (in photos/) nor in the backups' photos/: {}. \
                     Copy the backup's photos/ folder beside it and restore again",
                    missing.len(),
                    missing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    {
        let store = Store::open_unlocked(staged, Utc::now)?;
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
            if !report.photo_problems.is_empty() {
                problems.push(format!("photos: {}", report.photo_problems.join("; ")));
            }
            return Err(StoreError::RestoreRefused {
                from: from.display().to_string(),
                reason: format!("it did not pass its check: {}", problems.join(", ")),
            });
        }
        store.close()?;
    }
    // 3. Keep the current file: a verified backup if it passes its check, else its bytes.
    let (previous_kept_at, previous) = if db.exists() {
        let (path, previous) = keep_current(db, actor)?;
        (Some(path), previous)
    } else {
        (None, Previous::None)
    };
    // 4. Record the restore in the restored file's own audit log.
    {
        let mut store = Store::open_unlocked(staged, Utc::now)?;
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
    // The restored file keeps the mode of the one it replaces (owner-only for a new one).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o600);
        std::fs::set_permissions(staged, std::fs::Permissions::from_mode(mode))
            .map_err(|e| io_error("set the restored file's permissions", staged, &e))?;
    }
    sync_file(staged)?;
    // 5. The anchor first (naming the head it replaces), then the file: killed in between,
    // whichever file is under the database's name matches the anchor (crash trials, 2026-12-05).
    super::anchor::hand_over(db, staged)?;
    crate::paths::crash_point("restore-anchor-moved");
    // Stale journal files of the old database must not be applied to the restored one.
    remove_sidecars(db);
    std::fs::rename(staged, db).map_err(|e| io_error("put the restored file in place", db, &e))?;
    crate::paths::crash_point("restore-file-moved");
    // The restored log's head (written when the checked copy closed) is the database's anchor now.
    let _ = std::fs::rename(super::anchor::anchor_path(staged), super::anchor::anchor_path(db));
    sync_dir(db);
    Ok(RestoreReport {
        restored_from: from.to_path_buf(),
        previous_kept_at,
        previous,
    })
}

/// Keeps the database about to be replaced in `backups/kept/`, outside the rotation. Nothing
/// else has it open (the restore holds its lock). A file that passes its check is kept as a
/// verified backup; one that does not (damaged, or with another database's journal beside it)
/// is kept byte for byte, with its journal, and the restore goes on.
fn keep_current(db: &Path, actor: &Actor) -> StoreResult<(PathBuf, Previous)> {
    let dir = kept_dir(db);
    crate::paths::create_private_dir(&dir)
        .map_err(|e| io_error("create the folder for kept copies", &dir, &e))?;
    let at = Utc::now().format(NAME_TIME);
    let wal = sidecar(db, "-wal");
    let has_journal = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 32);
    // A journal left beside the file: before anything opens it (and applies the journal), keep
    // the bytes as found and find out whether the journal is this file's own.
    if has_journal {
        let raw = dir.join(format!("{}-before-restore-{at}-as-found.db", stem(db)));
        copy_raw(db, &raw)?;
        let probe = with_suffix(&raw, ".probe");
        let plain_ok = std::fs::copy(db, &probe).is_ok() && check_file(&probe, false).is_ok();
        let plain_identity = plain_ok.then(|| first_audit_hash(&probe)).flatten();
        let _ = std::fs::remove_file(&probe);
        remove_sidecars(&probe);
        match check_file(&raw, false) {
            // A journal holding every page of another database reads as a whole database:
            // whose it is shows in the audit log's first row, which no two databases share.
            Ok(()) if plain_identity.is_some() && first_audit_hash(&raw) != plain_identity => {
                return Ok((raw, Previous::ForeignJournal));
            }
            Ok(()) => {
                // The journal is the file's own (a crash left it): keep a verified copy below.
                let _ = std::fs::remove_file(&raw);
                remove_sidecars(&raw);
            }
            Err(_) if plain_ok => return Ok((raw, Previous::ForeignJournal)),
            Err(e) => return Ok((raw, Previous::Damaged(problem_of(e)))),
        }
    }
    let dest = dir.join(format!("{}-before-restore-{at}.db", stem(db)));
    let verified = Store::open_unlocked(db, Utc::now).and_then(|mut store| {
        let info = store.backup_to(&dest, actor);
        let closed = store.close();
        let info = info?;
        closed?;
        Ok(info.path)
    });
    match verified {
        Ok(path) => Ok((path, Previous::Verified)),
        Err(e) => {
            let raw = dir.join(format!("{}-damaged-{at}.db", stem(db)));
            copy_raw(db, &raw)?;
            Ok((raw, Previous::Damaged(problem_of(e))))
        }
    }
}

/// Copies the file and its journal files byte for byte.
/// The hash of the first row of a database file's audit log (read as the file is, with any
/// journal beside it): a database's identity, since every log starts from its own first action.
fn first_audit_hash(path: &Path) -> Option<String> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.query_row("SELECT row_hash FROM audit_log ORDER BY seq LIMIT 1", [], |r| {
        r.get::<_, String>("row_hash")
    })
    .ok()
}

fn copy_raw(db: &Path, to: &Path) -> StoreResult<()> {
    std::fs::copy(db, to).map_err(|e| io_error("keep a copy of the current file", to, &e))?;
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(db, suffix);
        if side.exists() {
            std::fs::copy(&side, sidecar(to, suffix))
                .map_err(|e| io_error("keep a copy of the current file's journal", to, &e))?;
        }
    }
    sync_file(to)?;
    sync_dir(to);
    Ok(())
}

fn problem_of(e: StoreError) -> String {
    match e {
        StoreError::BackupDamaged { problem, .. } | StoreError::Damaged { problem, .. } => problem,
        other => other.to_string(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
