//! Which files may become, or be opened as, a clinic's database: only a path where nothing
//! exists yet becomes a new database, and it is made whole under a temporary name first, so a
//! crash while creating it never leaves an empty or half-made file under the real name.
//! Anything else that is not a Needlepoint database (another program's SQLite file, an empty
//! file) is refused before a byte of it is written.

use rusqlite::Connection;
use std::path::{Path, PathBuf};

use super::backup::with_suffix;
use super::error::{StoreError, StoreResult};
use super::Store;
use chrono::{DateTime, Utc};

/// Makes a new database at `path` (where nothing exists): set up beside it under a temporary
/// name, closed, then given its name (never over a file another process made meanwhile).
pub(super) fn create_new(path: &Path, clock: fn() -> DateTime<Utc>) -> StoreResult<()> {
    let temp = with_suffix(path, &format!(".new-{}", std::process::id()));
    let remove_temp = || {
        let _ = std::fs::remove_file(&temp);
        super::backup::remove_sidecars(&temp);
    };
    remove_temp();
    remove_abandoned_temps(path);
    let made = Store::set_up(&temp, clock).and_then(|store| store.close_without_anchor());
    if let Err(e) = made {
        remove_temp();
        return Err(match e {
            StoreError::Sqlite(e) => StoreError::Open {
                path: path.display().to_string(),
                reason: super::connect::open_reason(path, &e),
            },
            other => other,
        });
    }
    let io = |e: std::io::Error| StoreError::Open {
        path: path.display().to_string(),
        reason: format!("the new database could not be given its name ({e})"),
    };
    super::backup::sync_file(&temp)?;
    // A hard link fails if the name was taken meanwhile; where links are not supported
    // (some USB drives), a rename.
    match std::fs::hard_link(&temp, path) {
        Ok(()) => remove_temp(),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => remove_temp(),
        Err(_) => std::fs::rename(&temp, path).map_err(|e| {
            remove_temp();
            io(e)
        })?,
    }
    super::backup::sync_dir(path);
    Ok(())
}

/// Removes `<name>.new-<pid>` files (and journals) that a creation killed midway left. Only old
/// ones: a young one may belong to another process creating the same database right now.
fn remove_abandoned_temps(path: &Path) {
    const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let prefix = format!("{name}.new-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED_AFTER);
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether the open file is a Needlepoint database (of this or an older version); `new_file`
/// when this open created it. Read before anything is written.
pub(super) fn ensure_needlepoint(
    conn: &Connection,
    version: i64,
    new_file: bool,
    shown: &str,
) -> StoreResult<()> {
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let ours = if version == 0 {
        new_file && objects == 0
    } else {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('schema_migrations', 'audit_log', 'clients')",
            [],
            |r| r.get(0),
        )?;
        tables == 3
    };
    if ours {
        Ok(())
    } else {
        Err(StoreError::NotADatabase {
            path: shown.to_owned(),
        })
    }
}

/// Checks the first 100 bytes before SQLite sees the file: a file that is not SQLite at all, or
/// one cut short (its header promises more pages than it holds, with no journal to supply
/// them), is refused without being opened.
pub(super) fn preflight(path: &Path) -> StoreResult<()> {
    use std::io::Read;
    let shown = path.display().to_string();
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) => return Ok(()), // missing (to be created) or unreadable: SQLite reports it
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_has_frames = std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 32);
    if len == 0 && !wal_has_frames {
        // Only a path where nothing exists becomes a new database; an emptied one is damage.
        return Err(StoreError::Damaged {
            path: shown,
            problem: "the file is empty (0 bytes)".to_owned(),
        });
    }
    if len == 0 {
        return Ok(()); // SQLite reads it from its journal
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotADatabase { path: shown });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let change_counter = &header[24..28];
    let valid_for = &header[92..96];
    if change_counter == valid_for && !wal_has_frames && pages * page_size > len {
        return Err(StoreError::Damaged {
            path: shown,
            problem: format!(
                "the file is cut short: it holds {len} bytes of the {} it should",
                pages * page_size
            ),
        });
    }
    Ok(())
}
