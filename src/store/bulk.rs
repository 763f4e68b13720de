//! Bulk loading for demo data. Filling a large demo database row by row through the search
//! index costs most of the time: FTS5 flushes its pending terms at every statement savepoint,
//! so each new client wrote two tiny index segments that were then merged again and again.
//! While bulk mode is on, the insert trigger that feeds the search index is set aside and the
//! index is rebuilt once at the end, which is what FTS5's `rebuild` command is for.
//!
//! Set aside means: the trigger's SQL is read from the schema and kept in `settings` in the
//! same transaction that drops it, so a process killed midway leaves a note that
//! [`repair_search_index`] (run by every read-write open) acts on. The index can lag behind,
//! never stay wrong.

use rusqlite::{Connection, OptionalExtension};

use super::error::StoreResult;
use super::Store;

/// The settings key holding the set-aside trigger's SQL while bulk mode is on.
const SUSPENDED_KEY: &str = "bulk.suspended_search_trigger";
/// The trigger that adds each new client to both search indexes.
const INSERT_TRIGGER: &str = "clients_search_insert";

impl Store {
    /// Demo data only: while `on`, commits are not flushed to disk (`synchronous=OFF`), the
    /// page cache is larger, and the search index is rebuilt once at the end instead of row by
    /// row. A crash meanwhile can lose the demo rows being written, never a clinic's committed
    /// records: the app never turns this on for clinical work, and `off` restores
    /// `synchronous=FULL`, rebuilds the search index and checkpoints the WAL.
    pub fn bulk_demo_mode(&mut self, on: bool) -> StoreResult<()> {
        if on {
            self.conn.pragma_update(None, "synchronous", "OFF")?;
            self.conn.pragma_update(None, "wal_autocheckpoint", 20000)?;
            // A bigger page cache while generating: the indexes being filled stay in memory.
            self.conn.pragma_update(None, "cache_size", -262_144)?;
            suspend_search_index(&mut self.conn)?;
        } else {
            let repaired = repair_search_index(&mut self.conn);
            self.conn.pragma_update(None, "synchronous", "FULL")?;
            self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
            self.conn.pragma_update(None, "cache_size", -32768)?;
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            repaired?;
        }
        Ok(())
    }
}

fn suspend_search_index(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let sql: Option<String> = tx
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
            [INSERT_TRIGGER],
            |r| r.get(0),
        )
        .optional()?;
    // Already set aside (a previous run was killed and not reopened since): keep that note.
    let Some(sql) = sql else {
        return Ok(());
    };
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [SUSPENDED_KEY, sql.as_str()],
    )?;
    tx.execute_batch(&format!("DROP TRIGGER {INSERT_TRIGGER}"))?;
    tx.commit()?;
    Ok(())
}

/// Puts a set-aside search trigger back and rebuilds both search indexes from `clients`, in one
/// transaction. Does nothing when nothing was set aside.
pub(super) fn repair_search_index(conn: &mut Connection) -> StoreResult<()> {
    // Every open asks; only a file that needs the repair takes the write lock.
    let needed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)",
        [SUSPENDED_KEY],
        |r| r.get(0),
    )?;
    if !needed {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let sql: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SUSPENDED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let Some(sql) = sql else {
        return Ok(());
    };
    tx.execute_batch(&format!(
        "{sql};
         INSERT INTO clients_search (clients_search) VALUES ('rebuild');
         INSERT INTO clients_words (clients_words) VALUES ('rebuild');"
    ))?;
    tx.execute("DELETE FROM settings WHERE key = ?1", [SUSPENDED_KEY])?;
    tx.commit()?;
    Ok(())
}
