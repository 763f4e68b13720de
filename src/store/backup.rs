//! Backups. A backup is an online copy made with SQLite's backup API (the app keeps working
//! meanwhile), written under a temporary name, converted to a single self-contained file,
//! checked with `PRAGMA integrity_check`, and only then given its dated name in `backups/`
//! beside the database. A copy that fails its check is deleted and the failure reported.
//! Restoring one is `restore.rs`; the file helpers here serve both.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::{StoreError, StoreResult};
use super::Store;
use crate::domain::{Actor, AuditAction, Retention};

/// The folder beside the database that holds its backups.
pub const BACKUP_DIR: &str = "backups";
/// How old the newest backup may be before the app makes a new one at start.
pub const AUTOMATIC_AFTER: chrono::Duration = chrono::Duration::days(1);

pub(super) const NAME_TIME: &str = "%Y-%m-%d-%H%M%S-%3f";
/// `2026-11-22-093000-123`: the length of a formatted [`NAME_TIME`].
const NAME_TIME_LEN: usize = 21;
pub(super) const AUDIT_TABLE: &str = "database";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was taken (UTC), from its file name. A clock set wrong makes this wrong too, so
    /// backups are ordered by [`BackupInfo::content_time`].
    pub taken_at: DateTime<Utc>,
    /// Size in bytes.
    pub size: u64,
    /// What the file holds, read from the file itself; `None` when it could not be read.
    pub content: Option<BackupContent>,
    /// Set when the backup was written and verified but its entry in the audit log could not
    /// be written (another window was saving): says so, for the person who asked.
    pub note: Option<String>,
}

/// What a backup file holds: its clients and the head of its audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupContent {
    /// Clients in it (archived ones too).
    pub clients: i64,
    /// Rows in its audit log.
    pub audit_rows: i64,
    /// The time of its newest audit row: when its content last changed.
    pub last_change: Option<DateTime<Utc>>,
    /// The hash of its newest audit row (the chain's head).
    pub head_hash: Option<String>,
}

/// A backup whose name is more than this far ahead of the clock is named in the future.
const FUTURE_SLACK: chrono::Duration = chrono::Duration::hours(1);

impl BackupInfo {
    /// When its content last changed (the audit head's time), which a wrong clock at backup
    /// time cannot move; the time in its name when the file could not be read.
    pub fn content_time(&self) -> DateTime<Utc> {
        self.content
            .as_ref()
            .and_then(|c| c.last_change)
            .unwrap_or(self.taken_at)
    }

    /// Whether it holds clients: a backup of an empty (or unreadable) file is not a good one.
    pub fn holds_data(&self) -> bool {
        self.content.as_ref().is_some_and(|c| c.clients > 0)
    }

    /// Whether its name is dated after `now` (it was made while the clock was wrong).
    pub fn named_in_future(&self, now: DateTime<Utc>) -> bool {
        self.taken_at > now + FUTURE_SLACK
    }

    /// A warning for a backup named in the future, or `None`.
    pub fn future_warning(&self, now: DateTime<Utc>) -> Option<String> {
        self.named_in_future(now).then(|| {
            format!(
                "{} is named with a date in the future ({} UTC): the computer's clock was probably \
                 wrong when it was made. Backups are ordered by what they hold (its last change: {} UTC), not by name.",
                self.path.display(),
                self.taken_at.format("%Y-%m-%d %H:%M"),
                self.content_time().format("%Y-%m-%d %H:%M")
            )
        })
    }

    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What [`Store::backup_now`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub backup: BackupInfo,
    /// Older backups removed by the rotation (7 daily, 4 weekly, 12 monthly).
    pub removed: Vec<PathBuf>,
    /// Set when the backup folder looks like a network share or a cloud-synced folder.
    pub location_warning: Option<String>,
    /// Warnings for backups named in the future (a wrong clock).
    pub future_warnings: Vec<String>,
}

/// Reads what a backup holds; `None` when it cannot be read.
pub fn read_content(path: &Path) -> Option<BackupContent> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let clients: i64 = conn
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .ok()?;
    let audit_rows: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .ok()?;
    let head: Option<(String, String)> = conn
        .query_row(
            "SELECT at, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    Some(BackupContent {
        clients,
        audit_rows,
        last_change: head
            .as_ref()
            .and_then(|(at, _)| DateTime::parse_from_rfc3339(at).ok())
            .map(|t| t.with_timezone(&Utc)),
        head_hash: head.map(|(_, h)| h),
    })
}

/// `backups/` beside the database file.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or_else(|| Path::new(".")).join(BACKUP_DIR)
}

pub(super) fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "needlepoint".to_owned())
}

/// `clinic-2026-11-22-093000-123.db` for `clinic.db` at that time (UTC).
pub fn backup_file_name(db: &Path, at: DateTime<Utc>) -> String {
    format!("{}-{}.db", stem(db), at.format(NAME_TIME))
}

/// The time in a backup's file name, if it is a backup of `db`.
pub fn parse_backup_file_name(db: &Path, file_name: &str) -> Option<DateTime<Utc>> {
    let rest = file_name.strip_prefix(&stem(db))?.strip_prefix('-')?;
    let time = rest.strip_suffix(".db")?;
    if time.len() != NAME_TIME_LEN {
        return None;
    }
    NaiveDateTime::parse_from_str(time, NAME_TIME)
        .ok()
        .map(|t| t.and_utc())
}

/// The backups of `db` in its backup folder, newest first. A missing folder is no backups.
pub fn list_backups(db: &Path) -> StoreResult<Vec<BackupInfo>> {
    let dir = backup_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("read the backup folder", &dir, &e)),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(taken_at) = parse_backup_file_name(db, &name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file() {
            let path = entry.path();
            found.push(BackupInfo {
                content: read_content(&path),
                path,
                taken_at,
                size: meta.len(),
                note: None,
            });
        }
    }
    // Newest first by content; the name's time only breaks ties (and orders unreadable files).
    found.sort_by_key(|b| std::cmp::Reverse((b.content_time(), b.taken_at)));
    Ok(found)
}

/// Whether the app should make a backup now: none yet, or the newest is older than a day. A
/// backup named in the future counts by its content's time.
pub fn backup_due(backups: &[BackupInfo], now: DateTime<Utc>) -> bool {
    backups
        .iter()
        .map(|b| {
            if b.named_in_future(now) {
                b.content_time()
            } else {
                b.taken_at
            }
        })
        .max()
        .is_none_or(|newest| now - newest >= AUTOMATIC_AFTER)
}

/// The newest backup of `db` that passes SQLite's integrity check, to offer when the database
/// itself cannot be opened: one that holds clients if there is one.
pub fn newest_good_backup(db: &Path) -> Option<BackupInfo> {
    let backups = list_backups(db).ok()?;
    let good = |b: &&BackupInfo| check_file(&b.path, false).is_ok();
    backups
        .iter()
        .filter(|b| b.holds_data())
        .find(good)
        .or_else(|| backups.iter().find(good))
        .cloned()
}

/// Removes the backups the rotation no longer keeps; returns what was removed. Backups are
/// placed by their content's time (not their names), and backups of an empty or unreadable
/// file are rotated among themselves: they never take the place of a backup that holds data.
pub fn rotate_backups(db: &Path, now: DateTime<Utc>) -> StoreResult<Vec<PathBuf>> {
    let backups = list_backups(db)?;
    let mut removed = Vec::new();
    for good in [true, false] {
        let group: Vec<&BackupInfo> = backups.iter().filter(|b| b.holds_data() == good).collect();
        let times: Vec<_> = group.iter().map(|b| b.content_time()).collect();
        for i in Retention::default().to_delete(&times, now) {
            let path = &group[i].path;
            std::fs::remove_file(path).map_err(|e| io_error("remove the old backup", path, &e))?;
            std::fs::remove_file(super::anchor::anchor_path(path)).ok();
            removed.push(path.clone());
        }
    }
    removed.sort();
    Ok(removed)
}

impl Store {
    /// Backs the database up into its `backups/` folder under a dated name, verifies the copy,
    /// records it in the audit log and removes backups the rotation no longer keeps.
    pub fn backup_now(&mut self, actor: impl Into<Actor>) -> StoreResult<BackupReport> {
        let actor: Actor = actor.into();
        if self.path == Path::new(":memory:") {
            return Err(StoreError::Backup {
                path: BACKUP_DIR.to_owned(),
                reason: "no database file is open".to_owned(),
            });
        }
        let dir = backup_dir(&self.path);
        crate::paths::create_private_dir(&dir).map_err(|e| io_error("create the backup folder", &dir, &e))?;
        let now = self.now();
        // Two backups in one millisecond (or a fixed test clock): take the next free name.
        let mut at = now;
        let mut dest = dir.join(backup_file_name(&self.path, at));
        while dest.exists() {
            at += chrono::Duration::milliseconds(1);
            dest = dir.join(backup_file_name(&self.path, at));
        }
        remove_stale_partials(&self.path, &dir);
        let backup = self.backup_to(&dest, &actor)?;
        // Warned about before the rotation, which may remove them (by their content's time).
        let future_warnings = list_backups(&self.path)?
            .iter()
            .filter_map(|b| b.future_warning(now))
            .collect();
        let removed = rotate_backups(&self.path, now)?;
        if !removed.is_empty() {
            let remaining: Vec<PathBuf> = list_backups(&self.path)?.into_iter().map(|b| b.path).collect();
            super::photo_files::prune_backup_pictures(&dir, &remaining)?;
        }
        Ok(BackupReport {
            backup,
            removed,
            location_warning: crate::paths::risky_location(&dir),
            future_warnings,
        })
    }

    /// Backs the database up to `dest` (a file that must not exist yet), verifies the copy and
    /// records the backup in the audit log (unless the database is open read-only).
    pub fn backup_to(&mut self, dest: &Path, actor: impl Into<Actor>) -> StoreResult<BackupInfo> {
        self.backup_to_with_hook(dest, &actor.into(), |_| {})
    }

    /// [`Store::backup_to`] with a hook called on the written copy before it is verified; tests
    /// use it to damage the copy.
    #[doc(hidden)]
    pub fn backup_to_with_hook(
        &mut self,
        dest: &Path,
        actor: &Actor,
        before_verify: impl FnOnce(&Path),
    ) -> StoreResult<BackupInfo> {
        if dest.exists() {
            return Err(StoreError::Backup {
                path: dest.display().to_string(),
                reason: "a file with that name is already there; choose another name".to_owned(),
            });
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::paths::create_private_dir(dir)
                .map_err(|e| io_error("create the backup folder", dir, &e))?;
        }
        // A name of its own: two backups at once (two windows) never share a temporary file.
        let partial = with_suffix(
            dest,
            &format!(
                ".partial-{}-{}",
                std::process::id(),
                Utc::now().timestamp_nanos_opt().unwrap_or_default()
            ),
        );
        remove_if_present(&partial)?;
        let Some(conn) = self.conn.sqlite() else {
            return Err(StoreError::Backup {
                path: dest.display().to_string(),
                reason: "a clinic server's database is backed up on the server (pg_dump); see the README"
                    .to_owned(),
            });
        };
        let written = copy_database(conn, &partial)
            .and_then(|()| {
                before_verify(&partial);
                check_file(&partial, true)
            })
            .and_then(|()| sync_file(&partial));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            remove_sidecars(&partial);
            return Err(match e {
                StoreError::BackupDamaged { problem, .. } => StoreError::BackupDamaged {
                    path: dest.display().to_string(),
                    problem,
                },
                StoreError::Backup { reason, .. } => StoreError::Backup {
                    path: dest.display().to_string(),
                    reason,
                },
                other => StoreError::Backup {
                    path: dest.display().to_string(),
                    reason: other.to_string(),
                },
            });
        }
        std::fs::rename(&partial, dest).map_err(|e| io_error("name the backup", dest, &e))?;
        sync_dir(dest);
        // The photos it refers to go beside it (each picture once for all the backups there).
        let missing_photos = super::photo_files::back_up_pictures(&self.path, dest)?;
        // The copy's audit head, kept beside it: `check` compares the live log with it.
        if let Ok(copy) = Connection::open_with_flags(dest, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) {
            super::anchor::write(&copy, dest);
        }
        let size = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        let taken_at = self.now();
        let mut note = (!missing_photos.is_empty()).then(|| {
            format!(
                "{} photo file(s) could not be copied into the backup (missing or changed; `needlepoint check` lists them): {}",
                missing_photos.len(),
                missing_photos.join(", ")
            )
        });
        if !self.read_only {
            let name = dest
                .file_name()
                .map(|n| n.to_string_lossy().chars().take(100).collect::<String>())
                .unwrap_or_else(|| "backup".to_owned());
            let detail: String = format!("backup written to {} ({size} bytes), verified", dest.display())
                .chars()
                .take(4000)
                .collect();
            // The backup is written and verified: a busy database (a long import in another
            // window) must not make it look failed. Say that only its audit entry is missing.
            if let Err(e) = self.write(actor, |w| {
                w.audit(AuditAction::Backup, AUDIT_TABLE, &name, None, &detail)
            }) {
                tracing::warn!("backup {name} not noted in the audit log: {e}");
                note = Some(format!(
                    "The backup is written and verified, but it could not be noted in the audit log now ({})",
                    e.to_string().trim_end_matches('.')
                ));
            }
        }
        Ok(BackupInfo {
            content: read_content(dest),
            path: dest.to_path_buf(),
            taken_at,
            size,
            note,
        })
    }
}

/// Copies the whole of `src` into a new file at `dest` with SQLite's online backup, then makes
/// the copy one self-contained file (rollback journal rather than WAL).
pub(super) fn copy_database(src: &Connection, dest: &Path) -> StoreResult<()> {
    let mut out = Connection::open(dest).map_err(|e| StoreError::Backup {
        path: dest.display().to_string(),
        reason: e.to_string(),
    })?;
    // Owner-only before any client's data is in it (its journal files take the same mode).
    crate::paths::make_private(dest).map_err(|e| io_error("make the copy private", dest, &e))?;
    {
        let backup = Backup::new(src, &mut out)?;
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => {
                    waits += 1;
                    if waits > 100 {
                        return Err(StoreError::Busy);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
    out.pragma_update(None, "journal_mode", "DELETE")?;
    out.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(())
}

/// Runs `integrity_check` (and, when `full`, `foreign_key_check`) on the file at `path`.
pub(super) fn check_file(path: &Path, full: bool) -> StoreResult<()> {
    let damaged = |problem: String| StoreError::BackupDamaged {
        path: path.display().to_string(),
        problem,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| damaged(e.to_string()))?;
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(|e| damaged(e.to_string()))?;
    if integrity != ["ok"] {
        return Err(damaged(
            integrity.into_iter().take(3).collect::<Vec<_>>().join("; "),
        ));
    }
    if full {
        let fk: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if fk > 0 {
            return Err(damaged(format!("{fk} records point at missing records")));
        }
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('clients', 'audit_log', 'schema_migrations')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| damaged(e.to_string()))?;
        if tables != 3 {
            return Err(damaged("it holds no Needlepoint data".to_owned()));
        }
    }
    Ok(())
}

/// Copies left half-written by a backup that was interrupted (power cut, killed process): they
/// never got a backup's name, so they are only clutter. Ones younger than an hour are left
/// alone, as another window may be writing them now.
fn remove_stale_partials(db: &Path, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{}-", stem(db));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(&prefix) || !name.contains(".db.partial") {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(super) fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    with_suffix(db, suffix)
}

pub(super) fn remove_sidecars(db: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sidecar(db, suffix));
    }
}

pub(super) fn remove_if_present(path: &Path) -> StoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove a leftover file", path, &e)),
    }
}

pub(super) fn sync_file(path: &Path) -> StoreResult<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("write the file to disk", path, &e))
}

/// Makes a rename durable (Unix: sync the folder; elsewhere nothing to do).
pub(super) fn sync_dir(path: &Path) {
    crate::paths::sync_parent(path);
}

pub(super) fn io_error(doing: &str, path: &Path, e: &std::io::Error) -> StoreError {
    use std::io::ErrorKind;
    let advice = match e.kind() {
        ErrorKind::PermissionDenied => "; check that this folder may be written to",
        ErrorKind::StorageFull => "; the disk is full: free some space and try again",
        _ => "",
    };
    StoreError::Backup {
        path: path.display().to_string(),
        reason: format!("could not {doing} ({e}){advice}"),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_carry_the_time_and_parse_back() {
        let db = Path::new("/data/clinic.db");
        let at = Utc
            .with_ymd_and_hms(2026, 11, 22, 9, 30, 5)
            .single()
            .expect("time")
            + chrono::Duration::milliseconds(123);
        let name = backup_file_name(db, at);
        assert_eq!(name, "clinic-2026-11-22-093005-123.db");
        assert_eq!(parse_backup_file_name(db, &name), Some(at));
        assert_eq!(parse_backup_file_name(Path::new("/data/other.db"), &name), None);
        assert_eq!(
            parse_backup_file_name(db, "clinic-replaced-2026-11-22-093005-123.db"),
            None
        );
        assert_eq!(
            parse_backup_file_name(db, "clinic-2026-11-22-093005-123.db.partial"),
            None
        );
    }
}
