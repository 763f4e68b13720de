//! The audit chain's head kept outside the database: in a small file beside it (`<db>.anchor`,
//! written when the store closes) and beside every backup (`<backup>.anchor`, the head of the
//! copy). Someone who rewrites the log inside the file (removes its end, or recomputes every
//! hash) cannot make it match a head they did not also rewrite, so `check` compares the log
//! with the newest anchor: the row the anchor names must still be there with the same hash.
//!
//! An anchor is evidence, not data: failing to write one is logged, never a failed save.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::audit::GENESIS_HASH;
use super::backup::{list_backups, with_suffix};
use super::error::StoreResult;

const FORMAT: &str = "needlepoint-audit-anchor";
const SUFFIX: &str = ".anchor";

/// The audit chain's head at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub format: String,
    /// The seq of the last audit row (the log's row count when the chain is intact).
    pub rows: i64,
    /// That row's `row_hash` (64 zeros for an empty log).
    pub head_hash: String,
    /// When the anchor was written (the computer's clock, RFC 3339).
    pub written_at: String,
    /// During a restore only: the head of the file being replaced. The anchor moves before
    /// the file does, so a crash between the two leaves either file under the database's name
    /// matching the anchor; the restore's last step drops this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Head>,
}

/// A chain's head: the last row's seq and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub rows: i64,
    pub head_hash: String,
}

/// The anchor file beside a database or a backup.
pub fn anchor_path(file: &Path) -> PathBuf {
    with_suffix(file, SUFFIX)
}

/// The chain's head as the file holds it now.
pub(super) fn head(conn: &Connection) -> StoreResult<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
}

/// Writes the head of `conn`'s log to the anchor beside `file`. Failures are logged. An anchor
/// the log no longer continues is left as it is: overwriting it would hide what `check` must
/// report (a restore, which replaces the log legitimately, moves its own anchor into place).
pub(super) fn write(conn: &Connection, file: &Path) {
    let path = anchor_path(file);
    let old = read(&path);
    if let Some(old) = &old {
        if let Ok(Some(problem)) = mismatch(conn, old) {
            tracing::warn!(
                "the audit log does not continue the anchor in {}: {problem}; anchor kept",
                path.display()
            );
            return;
        }
    }
    let written = head(conn)
        .map_err(|e| e.to_string())
        .and_then(|(rows, head_hash)| {
            // Unchanged: keep the anchor's time, so a file merely opened (a backup looked at)
            // does not become the newest anchor.
            if old
                .as_ref()
                .is_some_and(|a| a.rows == rows && a.head_hash == head_hash)
            {
                return Ok(());
            }
            let anchor = Anchor {
                format: FORMAT.to_owned(),
                rows,
                head_hash,
                written_at: super::format_time(chrono::Utc::now()),
                replaces: None,
            };
            let text = serde_json::to_vec_pretty(&anchor).map_err(|e| e.to_string())?;
            crate::paths::write_whole_file(&path, &text).map_err(|e| e.to_string())
        });
    if let Err(e) = written {
        tracing::warn!("could not write the audit anchor beside {}: {e}", file.display());
    }
}

/// Reads an anchor file; `None` when it is missing or not an anchor.
pub fn read(path: &Path) -> Option<Anchor> {
    let text = std::fs::read(path).ok()?;
    let anchor: Anchor = serde_json::from_slice(&text).ok()?;
    (anchor.format == FORMAT).then_some(anchor)
}

/// The newest anchor of `db` (its own, and its backups'), with the file it came from. The
/// database's own anchor wins a tie: it is written last (on close, after any backup).
pub fn newest(db: &Path) -> Option<(Anchor, PathBuf)> {
    let mut found: Vec<(Anchor, PathBuf)> = Vec::new();
    let own = anchor_path(db);
    if let Some(a) = read(&own) {
        found.push((a, own));
    }
    for b in list_backups(db).unwrap_or_default() {
        let path = anchor_path(&b.path);
        if let Some(a) = read(&path) {
            found.push((a, path));
        }
    }
    // Stable: among equal times the first (the database's own) stays first.
    found.sort_by(|a, b| b.0.written_at.cmp(&a.0.written_at));
    found.into_iter().next()
}

/// What comparing the log with its newest anchor found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// No anchor beside the database or its backups (a new database, or one moved here).
    NoAnchor,
    /// A clinic server's database: the server keeps the chain's head itself (`audit_chain_head`,
    /// checked with the chain), so there is no anchor file.
    OnServer,
    /// The log still holds the anchored row, unchanged.
    Matches { source: PathBuf, rows: i64 },
    /// The log no longer holds the anchored row as it was.
    Broken { source: PathBuf, problem: String },
}

impl AnchorCheck {
    pub fn is_ok(&self) -> bool {
        !matches!(self, AnchorCheck::Broken { .. })
    }
}

impl std::fmt::Display for AnchorCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnchorCheck::NoAnchor => write!(f, "no anchor yet (one is written when Needlepoint closes)"),
            AnchorCheck::OnServer => {
                write!(f, "kept by the server (its chain-head row, checked with the log)")
            }
            AnchorCheck::Matches { source, rows } => {
                write!(f, "ok (row {rows} matches the anchor in {})", source.display())
            }
            AnchorCheck::Broken { source, problem } => {
                write!(f, "DOES NOT MATCH the anchor in {}: {problem}", source.display())
            }
        }
    }
}

/// Compares `conn`'s log with the newest anchor of `db`.
pub(super) fn compare(conn: &Connection, db: &Path) -> StoreResult<AnchorCheck> {
    let Some((anchor, source)) = newest(db) else {
        return Ok(AnchorCheck::NoAnchor);
    };
    Ok(match mismatch(conn, &anchor)? {
        None => AnchorCheck::Matches {
            source,
            rows: anchor.rows.max(0),
        },
        Some(problem) => AnchorCheck::Broken { source, problem },
    })
}

/// Before a restore renames its checked copy over `db`: the copy's anchor goes into place
/// first, carrying the head of the file it replaces (read from `db`, which nothing has open).
/// Killed between this and the rename, the old file still matches the anchor.
pub(super) fn hand_over(db: &Path, staged: &Path) -> StoreResult<()> {
    let Some(mut anchor) = read(&anchor_path(staged)) else {
        return Ok(());
    };
    let replaced = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .and_then(|conn| head(&conn).ok());
    anchor.replaces = replaced.map(|(rows, head_hash)| Head { rows, head_hash });
    let text = serde_json::to_vec_pretty(&anchor).map_err(|e| super::StoreError::Refused(e.to_string()))?;
    crate::paths::write_whole_file(&anchor_path(db), &text)
        .map_err(|e| super::backup::io_error("move the audit anchor", &anchor_path(db), &e))
}

/// What is wrong when `conn`'s log does not hold `anchor`'s row as it was; `None` when it does
/// (or, while a restore hands over, holds the replaced file's head instead).
fn mismatch(conn: &Connection, anchor: &Anchor) -> StoreResult<Option<String>> {
    let found = mismatch_at(conn, anchor.rows, &anchor.head_hash, &anchor.written_at)?;
    if found.is_some() {
        if let Some(old) = &anchor.replaces {
            if mismatch_at(conn, old.rows, &old.head_hash, &anchor.written_at)?.is_none() {
                return Ok(None);
            }
        }
    }
    Ok(found)
}

fn mismatch_at(conn: &Connection, rows: i64, head_hash: &str, at: &str) -> StoreResult<Option<String>> {
    let n = rows;
    if n <= 0 {
        return Ok(None);
    }
    let found: Option<String> = conn
        .query_row("SELECT row_hash FROM audit_log WHERE seq = ?1", [n], |r| r.get(0))
        .optional()?;
    Ok(match found {
        Some(hash) if hash == head_hash => None,
        Some(_) => Some(format!(
            "audit row {n} is not the row it was at {at}: the log was rewritten \
             (or this database is not the one the anchor was written for)"
        )),
        None => {
            let (last, _) = head(conn)?;
            Some(format!(
                "the log held {n} rows at {at} but row {n} is gone now (the log ends at row {last}): rows were removed"
            ))
        }
    })
}
