//! A clinic database on a PostgreSQL server: its schema created (`server init`), brought up to
//! date and verified when a desk opens it, and checked as thoroughly as a file is.
//!
//! The server's schema history is its own (`migrations/postgres/`), append-only and
//! checksummed like the file's; its first step already holds every table the file's fifteen do.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

use super::check::{next_sessions_out_of_step, CheckReport, DIARY_CLASHES, TABLES};
use super::db::{Db, PgDb, PgTarget};
use super::error::{StoreError, StoreResult};
use super::{audit, signed, AnchorCheck, AuditChain, Store};

/// (name, SQL) of every server schema step, in order. Append only; never edit a released one.
const SERVER_FILES: &[(&str, &str)] = &[
    (
        "0001_schema",
        include_str!("../../migrations/postgres/0001_schema.sql"),
    ),
    (
        "0002_next_session_by_plan",
        include_str!("../../migrations/postgres/0002_next_session_by_plan.sql"),
    ),
    (
        "0003_search_text",
        include_str!("../../migrations/postgres/0003_search_text.sql"),
    ),
    (
        "0004_search_words",
        include_str!("../../migrations/postgres/0004_search_words.sql"),
    ),
];

/// Takes a lock that only schema changes use, so two desks starting at once never both apply
/// the same step (a number of Needlepoint's own in PostgreSQL's advisory-lock space).
const SCHEMA_LOCK: &str = "SELECT pg_advisory_xact_lock(7401190811)";

/// The server schema version this build writes.
pub fn server_latest_version() -> i64 {
    i64::try_from(SERVER_FILES.len()).unwrap_or(i64::MAX)
}

fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Passwords typed in this run, by server address: the window's background readers and every
/// later connection use them without asking again. Kept in memory only.
static PASSWORDS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

/// Keeps the password typed for `target` for the rest of this run.
pub fn remember_password(target: &PgTarget, password: &str) {
    if let Ok(mut kept) = PASSWORDS.lock() {
        kept.retain(|(address, _)| address != target.shown());
        kept.push((target.shown().to_owned(), password.to_owned()));
    }
}

pub(super) fn remembered_password(target: &PgTarget) -> Option<String> {
    PASSWORDS
        .lock()
        .ok()?
        .iter()
        .find(|(address, _)| address == target.shown())
        .map(|(_, p)| p.clone())
}

/// What `server init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInit {
    pub address: String,
    pub version: i64,
}

/// The bookkeeping table of applied steps, and the catalog `check` compares with.
const BOOKKEEPING: &str = "
CREATE TABLE needlepoint_schema (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    applied_at TEXT NOT NULL
);
CREATE TABLE needlepoint_catalog (
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);";

/// Every trigger (with whether it is enabled), function, index and constraint Needlepoint's
/// schema holds: what `check` compares with the catalog taken when the schema was written.
const CATALOG: &str = "
SELECT 'trigger' AS kind, c.relname || '.' || t.tgname AS name,
       pg_get_triggerdef(t.oid) || ' [' || t.tgenabled::text || ']' AS definition
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'function', p.proname, pg_get_functiondef(p.oid)
  FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND conrelid <> 0
ORDER BY 1, 2";

type CatalogEntry = (String, String, String);

fn catalog(db: &Db) -> StoreResult<Vec<CatalogEntry>> {
    db.query_all(CATALOG, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
}

fn remember_catalog(db: &Db) -> StoreResult<()> {
    db.execute("DELETE FROM needlepoint_catalog", [])?;
    for (kind, name, definition) in catalog(db)? {
        db.execute(
            "INSERT INTO needlepoint_catalog (kind, name, definition) VALUES (?1, ?2, ?3)",
            [&kind, &name, &definition],
        )?;
    }
    Ok(())
}

fn has_schema(db: &Db) -> StoreResult<bool> {
    db.query_row("SELECT to_regclass('needlepoint_schema') IS NOT NULL", [], |r| {
        r.get::<_, bool>(0)
    })
}

/// Creates Needlepoint's tables in an empty server database. Refused where anything is there
/// already: a clinic's data is never written over.
pub fn init_server(target: &PgTarget, password: Option<&str>, now: DateTime<Utc>) -> StoreResult<ServerInit> {
    let db = Db::Postgres(Box::new(target.connect(password)?));
    in_transaction(&db, || create_schema(&db, target, now))?;
    Ok(ServerInit {
        address: target.shown().to_owned(),
        version: server_latest_version(),
    })
}

/// Runs `work` in one transaction: all of it is kept, or none.
pub(super) fn in_transaction<T>(db: &Db, work: impl FnOnce() -> StoreResult<T>) -> StoreResult<T> {
    db.execute_batch("BEGIN")?;
    match work().and_then(|v| db.execute_batch("COMMIT").map(|()| v)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Refuses a database that holds anything, then writes every schema step (the caller holds
/// the transaction).
pub(super) fn create_schema(db: &Db, target: &PgTarget, now: DateTime<Utc>) -> StoreResult<()> {
    let tables: i64 = db.query_row(
        "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace
            AND relkind IN ('r', 'v', 'm', 'p')",
        [],
        |r| r.get(0),
    )?;
    if tables > 0 {
        return Err(StoreError::Open {
            path: target.shown().to_owned(),
            reason: format!(
                "it is not empty ({tables} tables or views are already there), and `server init` only writes into an \
                 empty database. Create a new one (createdb -O {} clinic) and give its address",
                target.user()
            ),
        });
    }
    db.execute_batch(SCHEMA_LOCK)?;
    db.execute_batch(BOOKKEEPING)?;
    apply_steps(db, 0, &super::format_time(now))
}

/// Applies the steps after `from`, recording each; the caller holds the transaction.
fn apply_steps(db: &Db, from: i64, now: &str) -> StoreResult<()> {
    for (at, (name, sql)) in SERVER_FILES
        .iter()
        .enumerate()
        .skip(usize::try_from(from).unwrap_or(0))
    {
        let version = i64::try_from(at + 1).unwrap_or(i64::MAX);
        db.execute_batch(sql)
            .map_err(|e| StoreError::Migration(format!("server step {name}: {e}")))?;
        db.execute(
            "INSERT INTO needlepoint_schema (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![version, name, checksum(sql), now],
        )?;
    }
    remember_catalog(db)
}

/// Checks the recorded steps against the ones this build ships; the version found.
fn verify_steps(db: &Db, shown: &str) -> StoreResult<i64> {
    let applied: Vec<(i64, String, String)> = db.query_all(
        "SELECT version, name, checksum FROM needlepoint_schema ORDER BY version",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let found = applied.last().map_or(0, |(v, _, _)| *v);
    let supported = server_latest_version();
    if found > supported {
        return Err(StoreError::NewerSchema {
            path: shown.to_owned(),
            found,
            supported,
        });
    }
    for (version, name, sum) in &applied {
        let shipped = usize::try_from(*version - 1)
            .ok()
            .and_then(|i| SERVER_FILES.get(i));
        match shipped {
            Some((n, sql)) if n == name && checksum(sql) == *sum => {}
            _ => {
                return Err(StoreError::MigrationChanged {
                    version: *version,
                    name: name.clone(),
                })
            }
        }
    }
    Ok(found)
}

impl Store {
    /// Opens the clinic's database on a server, bringing its schema up to this version (one
    /// desk at a time). A server database without Needlepoint's tables is refused with how to
    /// create them.
    pub fn open_server(
        target: &PgTarget,
        password: Option<&str>,
        clock: fn() -> DateTime<Utc>,
    ) -> StoreResult<Self> {
        let pg: PgDb = target.connect(password)?;
        let db = Db::Postgres(Box::new(pg));
        let shown = target.shown().to_owned();
        if !has_schema(&db)? {
            return Err(StoreError::Open {
                path: shown.clone(),
                reason: format!(
                    "it has no Needlepoint tables yet. Create them once with `needlepoint server init --db {shown}`"
                ),
            });
        }
        let found = verify_steps(&db, &shown)?;
        if found < server_latest_version() {
            db.execute_batch("BEGIN")?;
            let done = (|| {
                db.execute_batch(SCHEMA_LOCK)?;
                // Another desk may have updated it while this one waited for the lock.
                let now_found = verify_steps(&db, &shown)?;
                apply_steps(&db, now_found, &super::format_time(clock()))?;
                db.execute_batch("COMMIT")
            })();
            if done.is_err() {
                let _ = db.execute_batch("ROLLBACK");
            }
            done?;
        }
        Ok(Self {
            conn: db,
            path: PathBuf::from(shown),
            clock,
            read_only: false,
            // The chain's head is kept on the server (its `audit_chain_head` row), not in a file.
            anchored: true,
            offline_drafts: super::offline_drafts::default_folder(target.shown()),
            _lock: None,
        })
    }

    /// Whether this store is a server database (several desks) rather than a file.
    pub fn is_server(&self) -> bool {
        matches!(self.conn, Db::Postgres(_))
    }

    /// Every check the file's `check` makes, on the server: constraints valid and enforced,
    /// the audit chain and its head row, signed content, the derived table, the diary, and the
    /// schema's triggers, functions, indexes and constraints as written.
    pub(super) fn check_server(&self) -> StoreResult<CheckReport> {
        let conn = self.conn();
        let mut integrity: Vec<String> = conn.query_all(
            "SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' is not validated'
               FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND NOT convalidated
             UNION ALL
             SELECT 'index ' || indexrelid::regclass::text || ' is not valid' FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
              WHERE c.relnamespace = current_schema()::regnamespace AND NOT (i.indisvalid AND i.indisready)
             UNION ALL
             SELECT 'trigger ' || c.relname || '.' || t.tgname || ' is disabled' FROM pg_trigger t
               JOIN pg_class c ON c.oid = t.tgrelid
              WHERE c.relnamespace = current_schema()::regnamespace AND t.tgenabled = 'D'",
            [],
            |r| r.get(0),
        )?;
        let search_out_of_step: i64 = conn.query_row(SEARCH_OUT_OF_STEP, [], |r| r.get(0))?;
        if search_out_of_step > 0 {
            integrity.push(format!(
                "the client search table is out of step with the clients ({search_out_of_step} rows differ): \
                 a search may miss clients; mend it with SELECT client_search_text_rebuild()"
            ));
        }
        if integrity.is_empty() {
            integrity.push("ok".to_owned());
        }
        let journal_mode: String = conn.query_row(
            "SELECT 'server, PostgreSQL ' || current_setting('server_version')",
            [],
            |r| r.get(0),
        )?;
        let mut row_counts = Vec::new();
        for table in TABLES {
            // Table names come from the constant list, never from input.
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            row_counts.push(((*table).to_owned(), n));
        }
        Ok(CheckReport {
            schema_version: verify_steps(conn, &self.path.display().to_string())?,
            journal_mode,
            integrity,
            foreign_key_problems: Vec::new(),
            row_counts,
            audit_chain: chain_with_head(conn)?,
            next_sessions_out_of_step: next_sessions_out_of_step(conn)?,
            diary_clashes: conn.query_row(DIARY_CLASHES, [], |r| r.get(0))?,
            signed_content_problems: signed::verify_all(conn, 20)?,
            schema_problems: catalog_problems(conn)?,
            anchor: AnchorCheck::OnServer,
            photo_problems: self.photo_file_problems()?,
        })
    }
}

/// Rows of the search's tables (server steps 0003, 0004) that differ from the active clients,
/// both ways.
const SEARCH_OUT_OF_STEP: &str = "
WITH derived AS (
    SELECT rowid, client_search_text_of(full_name, phone_digits, email, date_of_birth) AS search_text,
           client_search_words_of(full_name) AS name_words
      FROM clients WHERE archived_at IS NULL
), derived_words AS (
    SELECT word, rowid FROM clients, client_search_word_list(full_name) AS word WHERE archived_at IS NULL
)
SELECT (SELECT count(*) FROM (SELECT rowid, search_text, name_words FROM client_search_text
                              EXCEPT SELECT rowid, search_text, name_words FROM derived) AS extra)
     + (SELECT count(*) FROM (SELECT rowid, search_text, name_words FROM derived
                              EXCEPT SELECT rowid, search_text, name_words FROM client_search_text) AS missing)
     + (SELECT count(*) FROM (SELECT word, rowid FROM client_search_words
                              EXCEPT SELECT word, rowid FROM derived_words) AS extra_words)
     + (SELECT count(*) FROM (SELECT word, rowid FROM derived_words
                              EXCEPT SELECT word, rowid FROM client_search_words) AS missing_words)";

/// The chain verified row by row, then its head row compared with the last row: a log cut
/// short at its end shows even though every remaining row links.
fn chain_with_head(conn: &Db) -> StoreResult<AuditChain> {
    let chain = audit::verify_chain(conn)?;
    let AuditChain::Intact { rows } = chain else {
        return Ok(chain);
    };
    let (head_seq, head_hash): (i64, String) =
        conn.query_row("SELECT seq, row_hash FROM audit_chain_head", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let last_hash: String = conn
        .query_one("SELECT row_hash FROM audit_log WHERE seq = ?1", [rows], |r| {
            r.get(0)
        })?
        .unwrap_or_else(|| audit::GENESIS_HASH.to_owned());
    if head_seq != rows || head_hash != last_hash {
        return Ok(AuditChain::Broken {
            seq: rows + 1,
            problem: format!(
                "the chain's head on the server is row {head_seq}, but the log ends at row {rows}: rows were removed \
                 or the head was edited"
            ),
        });
    }
    Ok(chain)
}

/// The schema's objects compared with the catalog taken when Needlepoint wrote them.
fn catalog_problems(conn: &Db) -> StoreResult<Vec<String>> {
    let expected: Vec<CatalogEntry> = conn.query_all(
        "SELECT kind, name, definition FROM needlepoint_catalog ORDER BY kind, name",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let found = catalog(conn)?;
    let mut problems = Vec::new();
    for (kind, name, definition) in &expected {
        match found.iter().find(|(k, n, _)| k == kind && n == name) {
            None => problems.push(format!("{kind} {name} is missing")),
            Some((_, _, d)) if d != definition => problems.push(format!("{kind} {name} was changed")),
            Some(_) => {}
        }
    }
    for (kind, name, _) in &found {
        if !expected.iter().any(|(k, n, _)| k == kind && n == name) {
            problems.push(format!("{kind} {name} is not one Needlepoint made"));
        }
    }
    Ok(problems)
}
