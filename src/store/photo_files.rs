//! Photo files: `photos/` beside the database, each original named by the SHA-256 of its bytes
//! (`photos/ab/ab12….jpg`), owner-only. A file is written whole before its row is saved, is
//! never rewritten, and is verified by its name whenever it is read, backed up or restored.
//! Backups keep their photos in `photos/` beside the backup files (each picture once, however
//! many backups refer to it); the rotation removes the ones no backup refers to any more.

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::{StoreError, StoreResult};

pub const PHOTO_DIR: &str = "photos";

/// A photo file that could not be written or read, in the clinic's words.
fn io_error(doing: &str, path: &Path, e: &std::io::Error) -> StoreError {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return StoreError::DiskFull;
    }
    let advice = if e.kind() == std::io::ErrorKind::PermissionDenied {
        "; check that this folder may be written to"
    } else {
        ""
    };
    StoreError::PhotoFile {
        path: path.display().to_string(),
        reason: format!("could not {doing} ({e}){advice}"),
    }
}

/// `photos/` beside a database (or a backup) file.
pub fn photos_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or_else(|| Path::new(".")).join(PHOTO_DIR)
}

/// Where a photo's original lives under `dir`.
pub fn photo_path(dir: &Path, sha256: &str, format: &str) -> PathBuf {
    let ext = if format == "png" { "png" } else { "jpg" };
    dir.join(sha256.get(..2).unwrap_or("00"))
        .join(format!("{sha256}.{ext}"))
}

/// The file as messages name it: `photos/ab/ab12….jpg`.
pub fn shown_path(sha256: &str, format: &str) -> String {
    photo_path(Path::new(PHOTO_DIR), sha256, format)
        .display()
        .to_string()
}

/// What a photo file is like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Intact,
    Missing,
    /// Its bytes are not the ones its name (the hash) says.
    Altered,
}

/// Hashes the file at `path` as it is read (a photo never needs to be in memory to verify it).
pub fn file_state(path: &Path, sha256: &str) -> FileState {
    let Ok(mut file) = std::fs::File::open(path) else {
        return FileState::Missing;
    };
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(_) => return FileState::Altered,
        }
    }
    let got: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if got == sha256 {
        FileState::Intact
    } else {
        FileState::Altered
    }
}

/// Puts a photo's bytes under `dir` (once: a file already there with the right bytes is kept).
pub fn put(dir: &Path, sha256: &str, format: &str, bytes: &[u8]) -> StoreResult<PathBuf> {
    let path = photo_path(dir, sha256, format);
    if file_state(&path, sha256) == FileState::Intact {
        return Ok(path);
    }
    if let Some(shard) = path.parent() {
        crate::paths::create_private_dir(dir).map_err(|e| io_error("create the photos folder", dir, &e))?;
        crate::paths::create_private_dir(shard)
            .map_err(|e| io_error("create the photos folder", shard, &e))?;
    }
    crate::paths::write_whole_file(&path, bytes).map_err(|e| io_error("store the photo", &path, &e))?;
    Ok(path)
}

/// The original's bytes, verified against its name.
pub fn read_verified(dir: &Path, sha256: &str, format: &str) -> StoreResult<Vec<u8>> {
    let path = photo_path(dir, sha256, format);
    let bytes = std::fs::read(&path).map_err(|_| {
        StoreError::Refused(format!(
            "The photo's file {} is missing. Restore it from a backup (needlepoint check lists every missing photo).",
            shown_path(sha256, format)
        ))
    })?;
    let got: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if got != sha256 {
        return Err(StoreError::Refused(format!(
            "The photo's file {} was changed after it was stored; it is not shown. Restore it from a backup.",
            shown_path(sha256, format)
        )));
    }
    Ok(bytes)
}

/// Copies a photo file from `from` to `to` (folders of originals), verifying the copy's bytes
/// against the name. Returns whether it is now in `to`.
pub fn copy_verified(from: &Path, to: &Path, sha256: &str, format: &str) -> StoreResult<bool> {
    if file_state(&photo_path(to, sha256, format), sha256) == FileState::Intact {
        return Ok(true);
    }
    let Ok(bytes) = read_verified(from, sha256, format) else {
        return Ok(false);
    };
    put(to, sha256, format, &bytes)?;
    Ok(true)
}

/// The (hash, format) of every photo a database file holds a picture of (not erased ones).
pub fn pictures_in(conn: &Connection) -> StoreResult<Vec<(String, String)>> {
    let has_photos: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'photos'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)?;
    if !has_photos {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT DISTINCT sha256, format FROM photos p
          WHERE NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Copies the pictures a backup file refers to into `photos/` beside it, from the live folder.
/// Returns the ones that could not be copied (missing or changed in the live folder), by name.
pub fn back_up_pictures(db: &Path, backup: &Path) -> StoreResult<Vec<String>> {
    let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (live, kept) = (photos_dir(db), photos_dir(backup));
    let mut missing = Vec::new();
    for (sha, format) in pictures_in(&conn)? {
        if !copy_verified(&live, &kept, &sha, &format)? {
            missing.push(shown_path(&sha, &format));
        }
    }
    Ok(missing)
}

/// Brings the pictures a restored file refers to into the live `photos/`, from the folder
/// beside the backup or the backups' folder. Returns those found nowhere intact.
pub fn restore_pictures(db: &Path, restored: &Connection, sources: &[PathBuf]) -> StoreResult<Vec<String>> {
    let live = photos_dir(db);
    let mut missing = Vec::new();
    for (sha, format) in pictures_in(restored)? {
        let mut found = file_state(&photo_path(&live, &sha, &format), &sha) == FileState::Intact;
        for source in sources {
            if found {
                break;
            }
            found = copy_verified(source, &live, &sha, &format)?;
        }
        if !found {
            missing.push(shown_path(&sha, &format));
        }
    }
    Ok(missing)
}

/// Removes pictures from a backups' `photos/` that none of `backups` refers to any more.
pub fn prune_backup_pictures(dir: &Path, backups: &[PathBuf]) -> StoreResult<usize> {
    let kept = dir.join(PHOTO_DIR);
    if !kept.exists() {
        return Ok(0);
    }
    let mut wanted = HashSet::new();
    for b in backups {
        // A backup that cannot be read keeps every picture: nothing is removed on a guess.
        let Ok(conn) = Connection::open_with_flags(b, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
            return Ok(0);
        };
        let Ok(pictures) = pictures_in(&conn) else {
            return Ok(0);
        };
        wanted.extend(pictures.into_iter().map(|(sha, _)| sha));
    }
    let mut removed = 0;
    for shard in std::fs::read_dir(&kept).map_err(|e| io_error("read the backup photos", &kept, &e))? {
        let Ok(shard) = shard else { continue };
        let Ok(files) = std::fs::read_dir(shard.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let sha = name.split('.').next().unwrap_or_default();
            if sha.len() == 64 && !wanted.contains(sha) && std::fs::remove_file(file.path()).is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}
