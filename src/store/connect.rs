//! Opening SQLite connections to a clinic file: the first read that shows a foreign or damaged
//! file, the read-only and immutable opens, and why a file did not open in the desk's words.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;

use super::error::{StoreError, StoreResult};
use super::{migrations, BUSY_TIMEOUT};

/// Reads the schema version: the first read of the file, where a foreign or damaged file shows.
pub(super) fn read_version(conn: &Connection, shown: &str) -> StoreResult<i64> {
    let version = migrations::user_version(conn).map_err(StoreError::from)?;
    // The schema itself must be readable too (a damaged first page fails here).
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(StoreError::from)
        .map_err(|e| match e {
            StoreError::NotADatabase { .. } => StoreError::NotADatabase {
                path: shown.to_owned(),
            },
            other => other,
        })?;
    Ok(version)
}

pub(super) fn is_cant_open(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ffi::ErrorCode::CannotOpen)
}

pub(super) fn open_read_only_connection(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open {
        path: path.display().to_string(),
        reason: open_reason(path, &e),
    })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Opens the file as unchanging (`immutable=1`): no journal or lock files are needed.
pub(super) fn open_immutable(path: &Path) -> StoreResult<Connection> {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            '\\' => uri.push('/'),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open {
        path: path.display().to_string(),
        reason: open_reason(path, &e),
    })?;
    Ok(conn)
}

/// Why a file did not open, in words the front desk can act on.
pub(super) fn open_reason(path: &Path, e: &rusqlite::Error) -> String {
    if is_cant_open(e) {
        match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) if !dir.exists() => format!("the folder {} does not exist", dir.display()),
            Some(dir) => format!(
                "it could not be opened or created. Check that the folder {} exists and may be written to",
                dir.display()
            ),
            None => "it could not be opened or created. Check the folder's permissions".to_owned(),
        }
    } else {
        e.to_string()
    }
}
