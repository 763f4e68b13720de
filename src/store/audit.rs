//! Reading `audit_log`, and its hash chain. Rows are written by [`super::Writer::audit`]
//! inside each action; each carries `prev_hash` (the previous row's `row_hash`) and `row_hash`
//! (SHA-256 over `prev_hash` and the row's own fields), so a row removed or altered outside the
//! app breaks the chain at that row.

use super::db::{Db, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use super::error::{StoreError, StoreResult};
use super::{rows, Store};
use crate::domain::{AuditAction, AuditEntry, ClientId};

/// The `prev_hash` of the first audit row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one audit row, as hashed.
pub(super) struct ChainRow<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub table: &'a str,
    pub record_id: &'a str,
    pub client_id: Option<&'a str>,
    pub detail: &'a str,
    /// The hash of the signed content, on a row that records a signing (migration 0006 on).
    pub content_hash: Option<&'a str>,
    /// The acting staff account's id, on rows written since sign-in (migration 0012 on).
    pub actor_id: Option<String>,
}

impl ChainRow<'_> {
    /// SHA-256, as lowercase hex, over the previous hash and every field, each field prefixed
    /// with its length so that no two different rows hash the same bytes.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(b"needlepoint-audit-v1\n");
        h.update(prev_hash.as_bytes());
        h.update(self.seq.to_be_bytes());
        let mut field = |bytes: Option<&[u8]>| match bytes {
            Some(b) => {
                h.update([1u8]);
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
            None => h.update([0u8]),
        };
        field(Some(self.at.as_bytes()));
        field(Some(self.actor.as_bytes()));
        field(Some(self.action.as_bytes()));
        field(Some(self.table.as_bytes()));
        field(Some(self.record_id.as_bytes()));
        field(self.client_id.map(str::as_bytes));
        field(Some(self.detail.as_bytes()));
        // Only rows that carry one hash it, so rows written before 0006 keep their hashes.
        if let Some(content) = self.content_hash {
            field(Some(content.as_bytes()));
        }
        // Likewise the account; tagged, so it can never read as a content hash.
        if let Some(id) = &self.actor_id {
            field(Some(format!("actor:{id}").as_bytes()));
        }
        hex(&h.finalize())
    }
}

/// Appends one row to the chain after `head` (seq, row_hash; read from the file when `None`)
/// and returns the new head. `row.seq` is ignored: the row takes the next one.
pub(super) fn append(
    conn: &Db,
    head: Option<(i64, String)>,
    row: ChainRow<'_>,
) -> StoreResult<(i64, String)> {
    let (last_seq, prev_hash) = match head {
        Some(head) => head,
        None => chain_head(conn)?,
    };
    let row = ChainRow {
        seq: last_seq + 1,
        ..row
    };
    let row_hash = row.hash(&prev_hash);
    // A row without an account names no `actor_id` column: the upgrade to 0006 appends rows
    // before migration 0012 adds it.
    let sql = if row.actor_id.is_some() {
        "INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash,
                                content_hash, actor_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    } else {
        "INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash,
                                content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let fields = rusqlite::params![
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.table,
        row.record_id,
        row.client_id,
        row.detail,
        prev_hash,
        row_hash,
        row.content_hash,
        row.actor_id
    ];
    let count = if row.actor_id.is_some() { 12 } else { 11 };
    stmt.execute(&fields[..count])?;
    Ok((row.seq, row_hash))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The highest seq ever handed out (rows removed from the end still count) and the hash of the
/// last row present: where the next row attaches.
pub(super) fn chain_head(conn: &Db) -> StoreResult<(i64, String)> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get("seq")?, r.get("row_hash")?)))
        .optional()?;
    let handed_out = highest_seq_handed_out(conn)?;
    Ok(match last {
        Some((seq, hash)) => (seq.max(handed_out), hash),
        None => (handed_out, GENESIS_HASH.to_owned()),
    })
}

/// The refusal for a record another desk saved since a form was opened: who, when, what, from
/// the newest audit row about it.
pub(super) fn changed_elsewhere(conn: &Db, what: &'static str, table: &str, record_id: &str) -> StoreError {
    let last = conn.query_one(
        "SELECT actor, at, detail FROM audit_log WHERE table_name = ?1 AND record_id = ?2 ORDER BY seq DESC LIMIT 1",
        [table, record_id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    );
    let (by, at, detail) = match last {
        Ok(Some((by, at, detail))) => (by, at, detail),
        _ => (
            "Someone at another desk".to_owned(),
            "a moment ago".to_owned(),
            "details".to_owned(),
        ),
    };
    // The time as the desk shows times: the day and the minute, in UTC as stored.
    let at = chrono::DateTime::parse_from_rfc3339(&at)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or(at);
    let detail = if detail.is_empty() {
        "a change".to_owned()
    } else {
        detail
    };
    StoreError::ChangedElsewhere { what, by, at, detail }
}

/// The last row present (seq, row_hash), or the genesis before any row.
pub(super) fn chain_head_of_rows(conn: &Db) -> StoreResult<(i64, String)> {
    Ok(conn
        .query_one(
            "SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
}

fn highest_seq_handed_out(conn: &Db) -> StoreResult<i64> {
    // SQLite keeps it for AUTOINCREMENT; the server moves its chain-head row with every append.
    let sql = match conn.engine() {
        super::Engine::Sqlite => "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'",
        super::Engine::Postgres => "SELECT seq FROM audit_chain_head",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0))
}

/// What verifying the audit log's hash chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditChain {
    /// Every row from 1 to `rows` is present and unchanged.
    Intact { rows: i64 },
    /// The first row where the chain breaks, and how.
    Broken { seq: i64, problem: String },
}

impl AuditChain {
    pub fn is_intact(&self) -> bool {
        matches!(self, AuditChain::Intact { .. })
    }
}

impl std::fmt::Display for AuditChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditChain::Intact { rows } => write!(f, "ok ({rows} rows, chain unbroken)"),
            AuditChain::Broken { seq, problem } => write!(f, "BROKEN at row {seq}: {problem}"),
        }
    }
}

/// Walks the whole log in order and reports the first row that is missing, altered, or does
/// not follow the row before it.
pub(super) fn verify_chain(conn: &Db) -> StoreResult<AuditChain> {
    let walked = conn.with_rows(
        "SELECT seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash, content_hash,
                actor_id
         FROM audit_log ORDER BY seq",
        [],
        |rows| {
    let mut expected_seq = 1;
    let mut expected_prev = GENESIS_HASH.to_owned();
    while let Some(r) = rows.next()? {
        let LinkRow {
            row,
            prev_hash,
            row_hash,
            content_hash,
        } = LinkRow::from_row(&r)?;
        let seq = row.seq;
        if seq != expected_seq {
            let problem = if seq == expected_seq + 1 {
                format!("row {expected_seq} is missing: it was removed from the file")
            } else {
                format!(
                    "rows {expected_seq} to {} are missing: they were removed from the file",
                    seq - 1
                )
            };
            return Ok(Err(AuditChain::Broken {
                seq: expected_seq,
                problem,
            }));
        }
        if prev_hash != expected_prev {
            return Ok(Err(AuditChain::Broken {
                seq,
                problem:
                    "this row does not follow the row before it (a row was replaced or the log was edited)"
                        .to_owned(),
            }));
        }
        if row.as_chain_row(content_hash.as_deref()).hash(&prev_hash) != row_hash {
            return Ok(Err(AuditChain::Broken {
                seq,
                problem: "this row was changed after it was written".to_owned(),
            }));
        }
        expected_seq += 1;
        expected_prev = row_hash;
    }
    Ok(Ok((expected_seq, expected_prev)))
        },
    )?;
    let (expected_seq, _) = match walked {
        Ok(state) => state,
        Err(broken) => return Ok(broken),
    };
    let last = expected_seq - 1;
    let handed_out = highest_seq_handed_out(conn)?;
    if handed_out > last {
        return Ok(AuditChain::Broken {
            seq: last + 1,
            problem: format!(
                "rows {} to {handed_out} are missing: the end of the log was removed",
                last + 1
            ),
        });
    }
    Ok(AuditChain::Intact { rows: last })
}

const TABLE: &str = "audit_log";

impl Store {
    /// Verifies the audit log's hash chain from its first row to its last.
    pub fn verify_audit_chain(&self) -> StoreResult<AuditChain> {
        verify_chain(self.conn())
    }

    /// Audit rows about one record, oldest first.
    pub fn audit_for_record(&self, record_id: &str) -> StoreResult<Vec<AuditEntry>> {
        self.audit_query(
            &format!("SELECT {COLUMNS} FROM audit_log WHERE record_id = ?1 ORDER BY seq"),
            rusqlite::params![record_id],
        )
    }

    /// A client's history: every audit row that concerns them, oldest first (for the export).
    pub fn audit_for_client(&self, client_id: &str) -> StoreResult<Vec<AuditEntry>> {
        self.audit_query(
            &format!("SELECT {COLUMNS} FROM audit_log WHERE client_id = ?1 ORDER BY seq"),
            rusqlite::params![client_id],
        )
    }

    /// The newest `limit` audit rows of a client (their own row and every row belonging to them:
    /// concerns, plans, sessions, screenings, amendments), newest first, and whether there are
    /// older ones. One seek into `audit_log_by_client` read backwards, so a record opens in the
    /// same time whatever the size of the log.
    pub fn client_history(&self, client: ClientId, limit: usize) -> StoreResult<ClientHistory> {
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let mut entries = self.audit_query(CLIENT_HISTORY, rusqlite::params![client.to_string(), fetch])?;
        let more = entries.len() > limit;
        entries.truncate(limit);
        Ok(ClientHistory { entries, more })
    }

    fn audit_query(&self, sql: &str, params: impl super::db::Params) -> StoreResult<Vec<AuditEntry>> {
        rows::read_all(self.conn(), sql, params, AuditRow::from_row)?
            .into_iter()
            .map(AuditRow::into_entry)
            .collect()
    }
}

/// An `audit_log` row as stored, without its hashes.
struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    table_name: String,
    record_id: String,
    client_id: Option<String>,
    detail: String,
    actor_id: Option<String>,
}

impl AuditRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            seq: r.get("seq")?,
            at: r.get("at")?,
            actor: r.get("actor")?,
            action: r.get("action")?,
            table_name: r.get("table_name")?,
            record_id: r.get("record_id")?,
            client_id: r.get("client_id")?,
            detail: r.get("detail")?,
            actor_id: r.get("actor_id")?,
        })
    }

    /// The fields as hashed into the chain.
    fn as_chain_row<'a>(&'a self, content_hash: Option<&'a str>) -> ChainRow<'a> {
        ChainRow {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            table: &self.table_name,
            record_id: &self.record_id,
            client_id: self.client_id.as_deref(),
            detail: &self.detail,
            content_hash,
            actor_id: self.actor_id.clone(),
        }
    }

    fn into_entry(self) -> StoreResult<AuditEntry> {
        let key = self.seq.to_string();
        Ok(AuditEntry {
            seq: self.seq,
            at: rows::time(TABLE, &key, &self.at)?,
            actor: self.actor,
            action: AuditAction::from_code(&self.action).map_err(|e| rows::bad(TABLE, &key, e))?,
            table: self.table_name,
            record_id: self.record_id,
            client_id: self.client_id,
            detail: self.detail,
            actor_id: self
                .actor_id
                .map(|id| rows::parse(TABLE, &key, "actor_id", &id))
                .transpose()?,
        })
    }
}

/// An `audit_log` row with the hashes that chain it to the row before.
struct LinkRow {
    row: AuditRow,
    prev_hash: String,
    row_hash: String,
    content_hash: Option<String>,
}

impl LinkRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            row: AuditRow::from_row(r)?,
            prev_hash: r.get("prev_hash")?,
            row_hash: r.get("row_hash")?,
            content_hash: r.get("content_hash")?,
        })
    }
}

const COLUMNS: &str = "seq, at, actor, action, table_name, record_id, client_id, detail, actor_id";

const CLIENT_HISTORY: &str =
    "SELECT seq, at, actor, action, table_name, record_id, client_id, detail, actor_id
     FROM audit_log WHERE client_id = ?1 ORDER BY seq DESC LIMIT ?2";

/// How many history rows the client record shows; the export has all of them.
pub const HISTORY_LIMIT: usize = 200;

/// The newest part of a client's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientHistory {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// Older entries exist beyond `entries`.
    pub more: bool,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The history read must seek the client index and read it in order: no scan, no sort.
    #[test]
    fn client_history_reads_the_client_index_without_sorting() {
        let store = Store::open_in_memory().expect("store");
        let plan: Vec<String> = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {CLIENT_HISTORY}"))
            .unwrap()
            .query_map(rusqlite::params!["x", 201], |r| r.get::<_, String>("detail"))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let text = plan.join("\n");
        assert!(text.contains("USING INDEX audit_log_by_client"), "{text}");
        assert!(!text.contains("TEMP B-TREE"), "{text}");
        assert!(!text.starts_with("SCAN"), "{text}");
    }
}
