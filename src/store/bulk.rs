//! Bulk loading for demo data. Filling a large demo database row by row through triggers costs
//! most of the time: FTS5 flushes its pending terms at every statement savepoint, so each new
//! client wrote two tiny index segments that were then merged again and again; and every new
//! session rebuilt its plan's row of `next_sessions`. While bulk mode is on, the triggers that
//! keep this derived data are set aside, and the search index and `next_sessions` are rebuilt
//! once at the end (FTS5's `rebuild` command, one INSERT ... SELECT).
//!
//! Set aside means: each trigger's SQL is read from the schema and kept in `settings` in the
//! same transaction that drops it, so a process killed midway leaves notes that
//! [`repair_derived_data`] (run by every read-write open) acts on. Derived data can lag
//! behind, never stay wrong.

use rusqlite::Connection;

use super::error::StoreResult;
use super::Store;

/// Settings keys holding a set-aside trigger's SQL while bulk mode is on: this prefix and the
/// trigger's name. (Version 3 files used `bulk.suspended_search_trigger`, which matches too.)
const SUSPENDED_PREFIX: &str = "bulk.suspended_";
/// `LIKE` pattern for [`SUSPENDED_PREFIX`] (`_` is a wildcard in LIKE, hence the escape).
const SUSPENDED_LIKE: &str = "bulk.suspended\\_%";
/// The triggers set aside: the one that adds each new client to both search indexes, and
/// those that keep `next_sessions`.
const SUSPENDED_TRIGGERS: &str =
    "name = 'clients_search_insert' OR name LIKE 'next\\_sessions\\_%' ESCAPE '\\'";

/// Every row `next_sessions` should hold, from the tables it is derived from (migration 0004's
/// view). `check` compares the table with it.
pub(super) const DERIVED_NEXT_SESSIONS: &str = "SELECT * FROM next_sessions_derived";
/// The columns `next_sessions` and its view share (a server's table may have more).
pub(super) const NEXT_SESSIONS_COLUMNS: &str =
    "latest_on, plan_id, earliest_on, target_on, status, booked_on, \
     session_id, number, sessions_planned, title, client_id, full_name";

impl Store {
    /// Demo data only: while `on`, commits are not flushed to disk (`synchronous=OFF`), the
    /// page cache is larger, and the search index is rebuilt once at the end instead of row by
    /// row. A crash meanwhile can lose the demo rows being written, never a clinic's committed
    /// records: the app never turns this on for clinical work, and `off` restores
    /// `synchronous=FULL`, rebuilds the search index and checkpoints the WAL.
    pub fn bulk_demo_mode(&mut self, on: bool) -> StoreResult<()> {
        // A server keeps its own durability; nothing to suspend there.
        let Some(conn) = self.conn.sqlite_mut() else {
            return Ok(());
        };
        if on {
            conn.pragma_update(None, "synchronous", "OFF")?;
            conn.pragma_update(None, "wal_autocheckpoint", 20000)?;
            // A bigger page cache while generating: the indexes being filled stay in memory.
            conn.pragma_update(None, "cache_size", -262_144)?;
            suspend_derived_triggers(conn)?;
        } else {
            let repaired = repair_derived_data(conn);
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
            conn.pragma_update(None, "cache_size", -32768)?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            repaired?;
        }
        Ok(())
    }
}

fn suspend_derived_triggers(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let triggers: Vec<(String, String)> = tx
        .prepare(&format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ({SUSPENDED_TRIGGERS})"
        ))?
        .query_map([], |r| Ok((r.get("name")?, r.get("sql")?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Already set aside (a previous run was killed and not reopened since): keep those notes.
    for (name, sql) in triggers {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [format!("{SUSPENDED_PREFIX}{name}"), sql],
        )?;
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    tx.commit()?;
    Ok(())
}

/// Puts set-aside triggers back and rebuilds both search indexes and `next_sessions` from the
/// tables, in one transaction. Does nothing when nothing was set aside.
pub(super) fn repair_derived_data(conn: &mut Connection) -> StoreResult<()> {
    let like = format!("key LIKE '{SUSPENDED_LIKE}' ESCAPE '\\'");
    // Every open asks; only a file that needs the repair takes the write lock.
    let needed: bool = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM settings WHERE {like})"),
        [],
        |r| r.get(0),
    )?;
    if !needed {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let triggers: Vec<String> = tx
        .prepare(&format!("SELECT value FROM settings WHERE {like}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for sql in triggers {
        tx.execute_batch(&sql)?;
    }
    tx.execute_batch(&format!(
        "INSERT INTO clients_search (clients_search) VALUES ('rebuild');
         INSERT INTO clients_words (clients_words) VALUES ('rebuild');
         DELETE FROM next_sessions;
         INSERT INTO next_sessions {DERIVED_NEXT_SESSIONS};"
    ))?;
    tx.execute(&format!("DELETE FROM settings WHERE {like}"), [])?;
    tx.commit()?;
    Ok(())
}

impl super::Writer<'_> {
    /// Demo data only: runs `f` at `at` (as [`Self::demo_as_of`]) as `actor`, so each demo
    /// record is signed by the demo team member who did it.
    pub fn demo_signed<T>(
        &mut self,
        at: chrono::DateTime<chrono::Utc>,
        actor: &crate::domain::Actor,
        f: impl FnOnce(&mut Self) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let real = std::mem::replace(&mut self.actor, actor.clone());
        let result = self.demo_as_of(at, f);
        self.actor = real;
        result
    }

    /// Demo data only (the window and the subcommands never call it): runs `f` with this
    /// transaction's time set to `at`, so a demo screening or session from November is signed
    /// in November, not at the moment the demo was made. The time is put back afterwards.
    pub fn demo_as_of<T>(
        &mut self,
        at: chrono::DateTime<chrono::Utc>,
        f: impl FnOnce(&mut Self) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let real = std::mem::replace(&mut self.now, super::format_time(at));
        let result = f(self);
        self.now = real;
        result
    }
}
