//! What can go wrong with the clinic's data file, said so the front desk knows what to do.

use thiserror::Error;

use crate::domain::DomainError;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("Could not open {path}: {reason}")]
    Open { path: String, reason: String },

    #[error("{path} is not a Needlepoint database (or it is damaged). Nothing was changed. Choose another file or restore a backup.")]
    NotADatabase { path: String },

    #[error("{path} was written by a newer version of Needlepoint (data version {found}; this version knows up to {supported}). Nothing was changed. Update Needlepoint to open it.")]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },

    #[error("The database's setup step {version} ({name}) differs from the one this version of Needlepoint ships. Nothing was changed. Contact support before using this file.")]
    MigrationChanged { version: i64, name: String },

    #[error("Could not update the database to this version of Needlepoint: {0}")]
    Migration(String),

    #[error(
        "The disk is full, so nothing was saved. Free some space and save again; what you typed is kept."
    )]
    DiskFull,

    #[error(
        "The database is read-only, so nothing was saved. Check the permissions of the file and its folder."
    )]
    ReadOnly,

    #[error("Another Needlepoint window is busy saving. Nothing was saved; try again in a moment.")]
    Busy,

    #[error("{path} is damaged ({problem}). Nothing was changed. Restore a backup (Settings, Backups; or `needlepoint restore`).")]
    Damaged { path: String, problem: String },

    #[error("The backup to {path} failed: {}. The database itself is unchanged.", reason.trim_end_matches('.'))]
    Backup { path: String, reason: String },

    #[error("The backup written to {path} failed its check ({problem}), so it was deleted. The database itself is unchanged; run `needlepoint check`, free disk space, and back up again.")]
    BackupDamaged { path: String, problem: String },

    #[error("{from} was not restored: {}. Nothing was changed.", reason.trim_end_matches('.'))]
    RestoreRefused { from: String, reason: String },

    #[error("{path} is open in another Needlepoint window or command. Close it (or wait until it has finished) and try again.")]
    InUse { path: String },

    #[error("{path} is being restored from a backup by another Needlepoint window or command. Nothing was saved; wait until the restore has finished and try again.")]
    BeingRestored { path: String },

    #[error("The photo could not be stored in {path}: {reason}. Nothing was saved.")]
    PhotoFile { path: String, reason: String },

    #[error("{0}")]
    Refused(String),

    /// Another desk saved the same record since this form was opened: nothing was saved, and
    /// the form keeps what was typed (the message says who and when).
    #[error("{by} changed this {what} at {at} ({detail}) since you opened it, so your changes were not saved. What you typed is still here: look at their change, then save again to keep yours.")]
    ChangedElsewhere {
        what: &'static str,
        by: String,
        at: String,
        detail: String,
    },

    /// The same record saved a second time: its first save reached the database, but the
    /// answer was lost (the network went away). Nothing was saved twice.
    #[error("This {what} was saved already: the first save reached the clinic's database, only its answer was lost. Nothing was saved twice; it is in the client's record.")]
    AlreadySaved { what: &'static str },

    /// A booking lost its slot to another appointment (the message names it).
    #[error("{0}")]
    SlotTaken(String),

    /// A booking that needs a written reason (a practitioner double-booked, outside their hours).
    #[error("{0}")]
    NeedsReason(String),

    #[error("{0}")]
    Invalid(#[from] DomainError),

    #[error("The {what} was not found. It may have been archived or opened from another database.")]
    NotFound { what: &'static str },

    #[error("A stored {table} record ({id}) could not be read: {problem}. Run `needlepoint check` and restore a backup if it reports damage.")]
    BadRow {
        table: &'static str,
        id: String,
        problem: String,
    },

    #[error("Database error: {0}")]
    Sqlite(rusqlite::Error),

    #[error("\"{address}\" is not a clinic server address: {problem}.")]
    ServerAddress { address: String, problem: String },

    /// The server could not be reached, or the connection to it broke: nothing was saved.
    #[error("The clinic server ({address}) cannot be reached: {problem}. Nothing was saved; what you typed is kept. Needlepoint connects again by itself.")]
    ServerGone { address: String, problem: String },

    #[error("The clinic server ({address}) refused the sign-in: {problem}. Check the user name and the password in ~/.pgpass (or type it again).")]
    ServerSignIn { address: String, problem: String },

    #[error("The clinic server ({address}) said: {problem}")]
    Server { address: String, problem: String },
}

impl StoreError {
    /// The server's answer in the clinic's words: a trigger's refusal as the same message
    /// SQLite gives, a lost connection as such, anything else with the server's own text.
    pub fn from_postgres(address: &str, e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        let address = address.to_owned();
        let Some(db) = e.as_db_error() else {
            let problem = std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string());
            // The server asked for a password and this desk has none (no .pgpass line, none
            // typed): the driver says so in these words, before any network trouble could.
            if problem == "password missing" {
                return StoreError::ServerSignIn {
                    address,
                    problem: "the server asks for a password".to_owned(),
                };
            }
            return StoreError::ServerGone { address, problem };
        };
        let code = db.code();
        if *code == SqlState::RAISE_EXCEPTION {
            return StoreError::Refused(db.message().to_owned());
        }
        if *code == SqlState::DISK_FULL {
            return StoreError::DiskFull;
        }
        if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
            return StoreError::ReadOnly;
        }
        if [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::LOCK_NOT_AVAILABLE,
        ]
        .contains(code)
        {
            return StoreError::Busy;
        }
        if [
            SqlState::INVALID_PASSWORD,
            SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
        ]
        .contains(code)
        {
            return StoreError::ServerSignIn {
                address,
                problem: db.message().to_owned(),
            };
        }
        if code.code().starts_with("08") || code.code().starts_with("57P") {
            return StoreError::ServerGone {
                address,
                problem: db.message().to_owned(),
            };
        }
        StoreError::Server {
            address,
            problem: db.message().to_owned(),
        }
    }

    /// Whether the server went away (the desk shows its banner and reconnects).
    pub fn is_server_gone(&self) -> bool {
        matches!(self, StoreError::ServerGone { .. })
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, message) = &e {
            match f.code {
                ErrorCode::DiskFull => return StoreError::DiskFull,
                ErrorCode::ReadOnly => return StoreError::ReadOnly,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return StoreError::Busy,
                ErrorCode::DatabaseCorrupt => {
                    return StoreError::Damaged {
                        path: "The file".to_owned(),
                        problem: "SQLite found damaged pages".to_owned(),
                    }
                }
                ErrorCode::NotADatabase => {
                    return StoreError::NotADatabase {
                        path: "The file".to_owned(),
                    }
                }
                // A trigger's RAISE(ABORT, ...) speaks the clinic's words already.
                ErrorCode::ConstraintViolation => {
                    if let Some(m) = message
                        .as_deref()
                        .filter(|m| !m.starts_with("CHECK") && !m.contains("constraint failed"))
                    {
                        return StoreError::Refused(m.to_owned());
                    }
                }
                _ => {}
            }
        }
        StoreError::Sqlite(e)
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
            other => StoreError::Migration(other.to_string()),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// SQLite says "disk I/O error" for a full disk in several places (the shared-memory file, a
/// journal). When the database's folder has no room for a small file, say the disk is full.
pub(super) fn explain_io(db: &std::path::Path, e: StoreError) -> StoreError {
    let io = match &e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code == rusqlite::ffi::ErrorCode::SystemIoFailure
        }
        StoreError::Open { reason, .. } => reason.contains("disk I/O error"),
        _ => false,
    };
    if io && db != std::path::Path::new(":memory:") && disk_is_full(db) {
        StoreError::DiskFull
    } else {
        e
    }
}

/// Whether 64 KB cannot be written beside `db` because the disk is full.
fn disk_is_full(db: &std::path::Path) -> bool {
    use std::io::Write;
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let probe = dir.join(format!(".needlepoint-space-{}", std::process::id()));
    let result = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| {
            f.write_all(&[0u8; 65_536])?;
            f.sync_all()
        });
    let _ = std::fs::remove_file(&probe);
    matches!(result, Err(e) if e.kind() == std::io::ErrorKind::StorageFull)
}
