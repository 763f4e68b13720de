//! Who may use the database file while a restore replaces it. Every open store holds a shared
//! OS file lock on `<database>.lock` beside the database for as long as it is open; a restore
//! takes that lock exclusively from its first check to its final rename. So a restore refuses
//! while any window or command has the database open, two restores cannot overlap, and a writer
//! that starts during a restore waits for it (then opens the restored file) or, after
//! [`WAIT`], gives up with a message — it never writes into the file being replaced.
//!
//! The lock file is never renamed or deleted (its identity is what is locked). Where it cannot
//! be created (a read-only folder) there is no lock: nothing can be written there anyway.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::{StoreError, StoreResult};

/// How long an open waits for a restore in progress before giving up.
const WAIT: Duration = Duration::from_secs(20);

/// A held lock on a database's lock file; released when dropped.
#[derive(Debug)]
pub(crate) struct DbLock {
    _file: File,
}

/// `clinic.db.lock` for `clinic.db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

fn open_lock_file(db: &Path) -> Option<File> {
    let path = lock_path(db);
    let mut options = File::options();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&path).ok().or_else(|| File::open(&path).ok())
}

/// The shared lock every open store holds. Waits up to [`WAIT`] while a restore holds it.
/// `None` when no lock file can be made (a read-only folder, a missing folder).
pub(crate) fn shared(db: &Path) -> StoreResult<Option<DbLock>> {
    shared_waiting(db, WAIT)
}

pub(crate) fn shared_waiting(db: &Path, wait: Duration) -> StoreResult<Option<DbLock>> {
    let Some(file) = open_lock_file(db) else {
        return Ok(None);
    };
    let started = Instant::now();
    loop {
        match file.try_lock_shared() {
            Ok(()) => return Ok(Some(DbLock { _file: file })),
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::BeingRestored {
                    path: db.display().to_string(),
                })
            }
            // A file system without locks: carry on without one, as before.
            Err(TryLockError::Error(e)) => {
                tracing::warn!("no lock on {}: {e}", lock_path(db).display());
                return Ok(None);
            }
        }
    }
}

/// The exclusive lock a restore holds. Refused at once while anything has the database open.
pub(crate) fn exclusive(db: &Path) -> StoreResult<DbLock> {
    let Some(file) = open_lock_file(db) else {
        return Err(StoreError::Backup {
            path: lock_path(db).display().to_string(),
            reason: "could not create the lock file beside the database; check that its folder \
                     exists and may be written to"
                .to_owned(),
        });
    };
    match file.try_lock() {
        Ok(()) => Ok(DbLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse {
            path: db.display().to_string(),
        }),
        Err(TryLockError::Error(e)) => Err(StoreError::Backup {
            path: lock_path(db).display().to_string(),
            reason: format!("could not lock the database for the restore ({e})"),
        }),
    }
}
