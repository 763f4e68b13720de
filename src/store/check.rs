//! `needlepoint check`: is the file whole, and what is in it.

use super::db::Db;
use super::error::StoreResult;
use super::{migrations, Store};

/// Every table a clinic's data lives in, in the order `check` reports them.
pub const TABLES: &[&str] = &[
    "clients",
    "client_concerns",
    "treatment_plans",
    "plan_concerns",
    "plan_areas",
    "sessions",
    "session_areas",
    "session_amendments",
    "clearances",
    "screenings",
    "products",
    "printed_documents",
    "next_sessions",
    "staff",
    "appointments",
    "consents",
    "photos",
    "rooms",
    "devices",
    "audit_log",
    "settings",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: i64,
    pub journal_mode: String,
    /// "ok", or SQLite's list of problems.
    pub integrity: Vec<String>,
    /// Rows whose reference points at nothing: (table, rowid, parent table).
    pub foreign_key_problems: Vec<(String, i64, String)>,
    pub row_counts: Vec<(String, i64)>,
    /// The audit log's hash chain: intact, or the first row where it breaks.
    pub audit_chain: super::AuditChain,
    /// Rows of `next_sessions` (the Today lists' table, kept by triggers) that differ from what
    /// the sessions, plans and clients say: missing, extra or out of date. 0 when in step.
    pub next_sessions_out_of_step: i64,
    /// Pairs of appointments holding the same room, pen or client at once (the triggers refuse
    /// them; one here was written past them).
    pub diary_clashes: i64,
    /// Signed rows whose content is not what was signed (or whose signing is not recorded), and
    /// signed rows that are gone: how many, and the first few described.
    pub signed_content_problems: (usize, Vec<String>),
    /// Triggers and indexes this version's schema has that the file lacks or holds changed,
    /// and ones the file holds that it should not.
    pub schema_problems: Vec<String>,
    /// The log compared with the newest anchor of its head kept outside the file.
    pub anchor: super::AnchorCheck,
    /// Photo files missing or changed (each verified against its hash), by name.
    pub photo_problems: Vec<String>,
}

/// How many signed-content problems `check` describes (all are counted).
const SIGNED_LISTED: usize = 20;

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.integrity == ["ok"]
            && self.foreign_key_problems.is_empty()
            && self.audit_chain.is_intact()
            && self.next_sessions_out_of_step == 0
            && self.diary_clashes == 0
            && self.signed_content_problems.0 == 0
            && self.schema_problems.is_empty()
            && self.anchor.is_ok()
            && self.photo_problems.is_empty()
    }
}

impl Store {
    pub fn check(&self) -> StoreResult<CheckReport> {
        let conn = self.conn();
        let Some(file) = conn.sqlite() else {
            return self.check_server();
        };
        let integrity = file
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let foreign_key_problems = file
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>("table")?,
                    r.get::<_, Option<i64>>("rowid")?.unwrap_or(0),
                    r.get::<_, String>("parent")?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let journal_mode: String = file.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let mut row_counts = Vec::new();
        for table in TABLES {
            // Table names come from the constant list above, never from input.
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            row_counts.push(((*table).to_owned(), n));
        }
        Ok(CheckReport {
            schema_version: migrations::user_version(file)?,
            journal_mode,
            integrity,
            foreign_key_problems,
            row_counts,
            audit_chain: super::audit::verify_chain(conn)?,
            next_sessions_out_of_step: next_sessions_out_of_step(conn)?,
            diary_clashes: conn.query_row(DIARY_CLASHES, [], |r| r.get(0))?,
            signed_content_problems: super::signed::verify_all(conn, SIGNED_LISTED)?,
            schema_problems: schema_problems(file)?,
            anchor: if self.path == std::path::Path::new(":memory:") {
                super::AnchorCheck::NoAnchor
            } else {
                super::anchor::compare(file, &self.path)?
            },
            photo_problems: self.photo_file_problems()?,
        })
    }

    /// Pragmas in force on this connection, for tests and `check`.
    pub fn pragma_text(&self, name: &str) -> StoreResult<String> {
        let allowed = [
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "user_version",
        ];
        if !allowed.contains(&name) {
            return Err(super::StoreError::Refused(format!("unknown pragma {name}")));
        }
        let v: rusqlite::types::Value = self
            .conn()
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?;
        Ok(match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
    }
}

/// Pairs of live appointments holding the same room, pen or client at the same time.
pub(super) const DIARY_CLASHES: &str =
    "SELECT count(*) FROM appointments AS a JOIN appointments AS b INDEXED BY appointments_by_day
        ON b.day = a.day AND b.id > a.id
       AND b.start_minute < a.start_minute + a.minutes AND a.start_minute < b.start_minute + b.minutes
     WHERE a.start_minute IS NOT NULL AND a.status NOT IN ('cancelled', 'no_show')
       AND b.status NOT IN ('cancelled', 'no_show')
       AND (a.room_id = b.room_id OR a.device_id = b.device_id OR a.client_id = b.client_id)";

/// Rows of `next_sessions` that differ from what the sessions say, both ways.
pub(super) fn next_sessions_out_of_step(conn: &Db) -> StoreResult<i64> {
    let columns = super::bulk::NEXT_SESSIONS_COLUMNS;
    conn.query_row(
        &format!(
            "SELECT (SELECT count(*) FROM (SELECT {columns} FROM next_sessions
                                          EXCEPT SELECT {columns} FROM ({derived}) AS d) AS extra)
                  + (SELECT count(*) FROM (SELECT {columns} FROM ({derived}) AS d
                                          EXCEPT SELECT {columns} FROM next_sessions) AS missing)",
            derived = super::bulk::DERIVED_NEXT_SESSIONS
        ),
        [],
        |r| r.get(0),
    )
}

/// A trigger, index or view: (type, name, SQL).
type SchemaObject = (String, String, Option<String>);

fn schema_objects(conn: &rusqlite::Connection) -> StoreResult<Vec<SchemaObject>> {
    Ok(conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('trigger', 'index', 'view') ORDER BY type, name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Compares the file's triggers, indexes and views with those of a new database of this
/// version: a trigger that refuses changing a signed row, dropped or rewritten, shows here.
fn schema_problems(conn: &rusqlite::Connection) -> StoreResult<Vec<String>> {
    let mut fresh = rusqlite::Connection::open_in_memory()?;
    migrations::migrate(&mut fresh, "1970-01-01T00:00:00.000Z")?;
    let expected = schema_objects(&fresh)?;
    let found = schema_objects(conn)?;
    // Set aside by demo loading that was interrupted: the next read-write open puts them back.
    let set_aside: Vec<String> = conn
        .prepare("SELECT key FROM settings WHERE key LIKE 'bulk.suspended\\_%' ESCAPE '\\'")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut problems = Vec::new();
    for (kind, name, sql) in &expected {
        match found.iter().find(|(k, n, _)| k == kind && n == name) {
            None if set_aside.iter().any(|k| k.ends_with(name.as_str())) => problems.push(format!(
                "{kind} {name} is set aside by a demo load that did not finish (opening the database in Needlepoint puts it back)"
            )),
            None => problems.push(format!("{kind} {name} is missing")),
            Some((_, _, s)) if s != sql => problems.push(format!("{kind} {name} was changed")),
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
