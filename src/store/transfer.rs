//! Moving a clinic from its file onto a server (`needlepoint migrate`): the schema written into
//! an empty database, every row copied as it is (signed rows, audit chain and all), then
//! verified on the server — row counts, the chain, every signed row's hash, the derived table
//! and the schema's safeguards — before anything is kept. One transaction: a failure leaves
//! the server database empty.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::db::{Db, PgDb, PgTarget};
use super::error::{StoreError, StoreResult};
use super::server::{create_schema, in_transaction};
use super::{audit, signed, AuditChain, Store};

/// Where a copy has got to, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub table: String,
    pub rows_done: u64,
    pub rows_total: u64,
}

/// What was copied and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    /// Each table with its rows, the same on both sides.
    pub tables: Vec<(String, i64)>,
    /// The audit chain as verified on the server.
    pub audit_rows: i64,
    /// Signed rows whose hash was verified on the server.
    pub signed_verified: bool,
}

/// Tables the server keeps for itself: never copied from a file.
const SERVER_ONLY: &[&str] = &[
    "needlepoint_schema",
    "needlepoint_catalog",
    "audit_chain_head",
    "photo_originals",
    // Derived from `clients` (rebuilt after the copy).
    "client_search_text",
    "client_search_words",
];

/// Copies the clinic in `from` (a file of this version, opened read-only) into the empty
/// server database at `to`.
pub fn migrate_to_server(
    from: &Path,
    to: &PgTarget,
    password: Option<&str>,
    now: DateTime<Utc>,
    mut progress: impl FnMut(&Progress),
) -> StoreResult<MigrateReport> {
    let source = Store::open_read_only(from)?;
    let file = source
        .conn()
        .sqlite()
        .ok_or_else(|| StoreError::Refused("`migrate --from` takes a database file.".to_owned()))?;
    let before = source.check()?;
    if !before.audit_chain.is_intact() || before.signed_content_problems.0 > 0 {
        return Err(StoreError::Refused(format!(
            "{} does not check clean (audit log: {}; signed records with problems: {}), so it was not copied. \
             Run `needlepoint check --db {}` and restore a good backup first.",
            from.display(),
            before.audit_chain,
            before.signed_content_problems.0,
            from.display()
        )));
    }
    if !before.photo_problems.is_empty() {
        return Err(StoreError::Refused(format!(
            "{} has photos whose files are missing or changed ({}), so it was not copied. Run \
             `needlepoint check --db {}` and restore the photos first.",
            from.display(),
            before.photo_problems.len(),
            from.display()
        )));
    }
    let pg = to.connect(password)?;
    let db = Db::Postgres(Box::new(pg));
    let report = in_transaction(&db, || {
        create_schema(&db, to, now)?;
        let order = tables_in_order(&db)?;
        let totals: BTreeMap<String, u64> = order
            .iter()
            .map(|t| Ok((t.clone(), count_file(file, t)?)))
            .collect::<StoreResult<_>>()?;
        // The copy writes rows exactly as they are; the triggers that would re-sign, re-chain
        // or re-derive them are off until it ends (inside this transaction only).
        for table in &order {
            db.execute_batch(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))?;
        }
        for table in order.iter().rev() {
            db.execute_batch(&format!("DELETE FROM {table}"))?;
        }
        let Db::Postgres(pg) = &db else {
            unreachable!("connected to a server above")
        };
        for table in &order {
            copy_table(file, pg, table, totals[table], &mut progress)?;
        }
        for table in &order {
            db.execute_batch(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))?;
        }
        db.execute_batch("SELECT client_search_text_rebuild()")?;
        copy_originals(file, from, &db, &mut progress)?;
        // The head row moves only with an appended row; set it once, to the last row copied.
        db.execute_batch("ALTER TABLE audit_chain_head DISABLE TRIGGER USER")?;
        move_chain_head(&db)?;
        db.execute_batch("ALTER TABLE audit_chain_head ENABLE TRIGGER USER")?;
        restart_identities(&db)?;
        verify(&db, file, &order)
    })?;
    // Fresh tables have no statistics yet: gather them so the server plans the first searches
    // with its indexes, not after autovacuum gets round to it.
    db.execute_batch("ANALYZE")?;
    Ok(report)
}

/// Every table of the schema, each after the tables it refers to.
fn tables_in_order(db: &Db) -> StoreResult<Vec<String>> {
    let tables: Vec<String> = db.query_all(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        [],
        |r| r.get(0),
    )?;
    let refs: Vec<(String, String)> = db.query_all(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
          WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut left: BTreeSet<String> = tables
        .into_iter()
        .filter(|t| !SERVER_ONLY.contains(&t.as_str()))
        .collect();
    let mut order = Vec::new();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                !refs
                    .iter()
                    .any(|(child, parent)| child == *t && parent != *t && left.contains(parent))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Migration(format!(
                "the server's tables refer to each other in a circle ({left:?})"
            )));
        }
        for t in ready {
            left.remove(&t);
            order.push(t);
        }
    }
    Ok(order)
}

fn count_file(file: &rusqlite::Connection, table: &str) -> StoreResult<u64> {
    // Table names come from the server's catalog of Needlepoint's own schema.
    let n: i64 = file.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The columns both sides have, and whether the server's `rowid` takes the file's rowid.
fn shared_columns(file: &rusqlite::Connection, pg: &PgDb, table: &str) -> StoreResult<(Vec<String>, bool)> {
    let in_file: Vec<String> = file
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rows = pg.query(
        "SELECT column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ?1 AND is_generated = 'NEVER'
          ORDER BY ordinal_position",
        &[&table],
    )?;
    let on_server: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    if let Some(missing) = on_server.iter().find(|c| *c != "rowid" && !in_file.contains(c)) {
        return Err(StoreError::Migration(format!(
            "the file's {table} has no {missing} column: open it in this version of Needlepoint first"
        )));
    }
    let with_rowid = on_server.iter().any(|c| c == "rowid") && !in_file.iter().any(|c| c == "rowid");
    let columns = on_server.into_iter().filter(|c| c != "rowid").collect();
    Ok((columns, with_rowid))
}

fn copy_table(
    file: &rusqlite::Connection,
    pg: &PgDb,
    table: &str,
    total: u64,
    progress: &mut impl FnMut(&Progress),
) -> StoreResult<()> {
    let (columns, with_rowid) = shared_columns(file, pg, table)?;
    let mut select: Vec<String> = columns.clone();
    let mut insert = columns.clone();
    if with_rowid {
        select.push("rowid".to_owned());
        insert.push("rowid".to_owned());
    }
    let copy = format!("COPY {table} ({}) FROM STDIN", insert.join(", "));
    let mut stmt = file.prepare(&format!("SELECT {} FROM {table}", select.join(", ")))?;
    let n = select.len();
    let mut done = 0u64;
    let gone = |e: std::io::Error| StoreError::ServerGone {
        address: pg.target().shown().to_owned(),
        problem: e.to_string(),
    };
    pg.copy_in(&copy, |out| {
        let mut rows = stmt.query([])?;
        let mut line = String::new();
        while let Some(row) = rows.next()? {
            line.clear();
            for i in 0..n {
                if i > 0 {
                    line.push('\t');
                }
                copy_text(
                    &mut line,
                    &Value::try_from(row.get_ref(i)?).map_err(|e| {
                        StoreError::Migration(format!(
                            "{table}: a value is not text the server can take ({e})"
                        ))
                    })?,
                );
            }
            line.push('\n');
            std::io::Write::write_all(out, line.as_bytes()).map_err(gone)?;
            done += 1;
            if done.is_multiple_of(5_000) || done == total {
                progress(&Progress {
                    table: table.to_owned(),
                    rows_done: done,
                    rows_total: total,
                });
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// The photo originals beside the file, each verified against its name, into the server's
/// `photo_originals` (erased photos have none).
fn copy_originals(
    file: &rusqlite::Connection,
    from: &Path,
    db: &Db,
    progress: &mut impl FnMut(&Progress),
) -> StoreResult<()> {
    let wanted: Vec<(String, String)> = file
        .prepare(super::originals::KEPT_ORIGINALS)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let dir = super::photo_files::photos_dir(from);
    let total = u64::try_from(wanted.len()).unwrap_or(0);
    for (done, (sha, format)) in wanted.iter().enumerate() {
        let bytes = super::photo_files::read_verified(&dir, sha, format)?;
        db.execute(
            "INSERT INTO photo_originals (sha256, format, bytes) VALUES (?1, ?2, ?3)",
            rusqlite::params![sha, format, bytes],
        )?;
        progress(&Progress {
            table: "photo originals".to_owned(),
            rows_done: u64::try_from(done + 1).unwrap_or(0),
            rows_total: total,
        });
    }
    Ok(())
}

/// One value in COPY's text format.
fn copy_text(line: &mut String, value: &Value) {
    match value {
        Value::Null => line.push_str("\\N"),
        Value::Integer(v) => line.push_str(&v.to_string()),
        Value::Real(v) => line.push_str(&format!("{v:?}")),
        Value::Text(t) => {
            for c in t.chars() {
                match c {
                    '\\' => line.push_str("\\\\"),
                    '\t' => line.push_str("\\t"),
                    '\n' => line.push_str("\\n"),
                    '\r' => line.push_str("\\r"),
                    c => line.push(c),
                }
            }
        }
        Value::Blob(b) => {
            line.push_str("\\\\x");
            for byte in b {
                line.push_str(&format!("{byte:02x}"));
            }
        }
    }
}

/// The chain's head row set to the last row copied (its trigger was off during the copy).
fn move_chain_head(db: &Db) -> StoreResult<()> {
    let (seq, hash) = audit::chain_head_of_rows(db)?;
    db.execute(
        "UPDATE audit_chain_head SET seq = ?1, row_hash = ?2",
        rusqlite::params![seq, hash],
    )?;
    Ok(())
}

/// Identity columns continue after the highest value copied.
fn restart_identities(db: &Db) -> StoreResult<()> {
    let identities: Vec<(String, String)> = db.query_all(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND is_identity = 'YES'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (table, column) in identities {
        db.query_row(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)::bigint"
            ),
            [],
            |r| r.get::<_, i64>(0),
        )?;
    }
    Ok(())
}

/// Row counts equal on both sides, the chain intact on the server, every signed row's hash as
/// recorded, the derived table in step.
fn verify(db: &Db, file: &rusqlite::Connection, order: &[String]) -> StoreResult<MigrateReport> {
    let mut tables = Vec::new();
    for table in order {
        let on_file = count_file(file, table)?;
        let on_server: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if u64::try_from(on_server).ok() != Some(on_file) {
            return Err(StoreError::Migration(format!(
                "{table}: {on_file} rows in the file but {on_server} on the server"
            )));
        }
        tables.push((table.clone(), on_server));
    }
    let audit_rows = match audit::verify_chain(db)? {
        AuditChain::Intact { rows } => rows,
        AuditChain::Broken { seq, problem } => {
            return Err(StoreError::Migration(format!(
                "the audit log on the server breaks at row {seq}: {problem}"
            )))
        }
    };
    let (problems, shown) = signed::verify_all(db, 5)?;
    if problems > 0 {
        return Err(StoreError::Migration(format!(
            "{problems} signed records differ on the server: {}",
            shown.join("; ")
        )));
    }
    let originals_missing: i64 = db.query_row(
        "SELECT count(DISTINCT p.sha256) FROM photos p
          WHERE NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')
            AND NOT EXISTS (SELECT 1 FROM photo_originals o WHERE o.sha256 = p.sha256)",
        [],
        |r| r.get(0),
    )?;
    if originals_missing > 0 {
        return Err(StoreError::Migration(format!(
            "{originals_missing} photo originals did not reach the server"
        )));
    }
    let out_of_step = super::check::next_sessions_out_of_step(db)?;
    if out_of_step > 0 {
        return Err(StoreError::Migration(format!(
            "{out_of_step} rows of the Today lists' table differ on the server"
        )));
    }
    Ok(MigrateReport {
        tables,
        audit_rows,
        signed_verified: true,
    })
}
