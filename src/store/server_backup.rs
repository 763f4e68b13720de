//! `needlepoint backup` on a clinic server: the server's database copied into a new SQLite
//! file (the format every Needlepoint opens, checks and restores), photos beside it in
//! `photos/`, then verified as a file backup is — integrity, references, the audit chain, every
//! signed record's hash and every photo — before it takes its name. The server's own backups
//! (`pg_dump`, point-in-time recovery) stay the clinic's main ones; this is a copy a desk can
//! carry away and open anywhere.

use std::path::Path;

use chrono::Utc;
use rusqlite::types::Value;
use rusqlite::Connection;

use super::db::Db;
use super::error::{StoreError, StoreResult};
use super::photo_files;
use super::Store;

/// What a server backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBackup {
    pub clients: i64,
    pub audit_rows: i64,
    pub photos: usize,
}

impl Store {
    /// Copies this server database into a new SQLite file at `dest`, verified; `progress` is
    /// told each table as it is copied.
    pub fn backup_server_to(&self, dest: &Path, mut progress: impl FnMut(&str)) -> StoreResult<ServerBackup> {
        let Db::Postgres(pg) = self.conn() else {
            return Err(StoreError::Refused(
                "This is a database file: back it up with `needlepoint backup`.".to_owned(),
            ));
        };
        let failed = |reason: String| StoreError::Backup {
            path: dest.display().to_string(),
            reason,
        };
        if dest.exists() {
            return Err(failed(
                "a file with that name is already there; choose another name".to_owned(),
            ));
        }
        let partial = dest.with_extension(format!(
            "partial-{}",
            Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        let written = (|| {
            Store::open_with_clock(&partial, self.clock)?.close_without_anchor()?;
            let mut file = Connection::open(&partial)?;
            copy_rows(pg, &mut file, &mut progress)?;
            drop(file);
            let photos = self.copy_originals_beside(&partial, &mut progress)?;
            super::backup::check_file(&partial, true)?;
            let copy = Store::open_read_only(&partial)?;
            let report = copy.check()?;
            copy.close()?;
            if !report.audit_chain.is_intact()
                || report.signed_content_problems.0 > 0
                || !report.photo_problems.is_empty()
                || report.next_sessions_out_of_step != 0
            {
                return Err(failed(format!(
                    "the copy did not check clean (audit log: {}; signed records: {}; photos: {})",
                    report.audit_chain,
                    report.signed_content_problems.0,
                    report.photo_problems.len()
                )));
            }
            let count = |t: &str| {
                report
                    .row_counts
                    .iter()
                    .find(|(n, _)| n == t)
                    .map_or(0, |(_, n)| *n)
            };
            Ok(ServerBackup {
                clients: count("clients"),
                audit_rows: count("audit_log"),
                photos,
            })
        })();
        match written {
            Ok(report) => {
                std::fs::rename(&partial, dest).map_err(|e| failed(e.to_string()))?;
                Ok(report)
            }
            Err(e) => {
                for suffix in ["", "-wal", "-shm", ".lock", ".anchor"] {
                    let mut p = partial.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
                Err(e)
            }
        }
    }

    /// Every photo original not erased, from the server into `photos/` beside `file`.
    fn copy_originals_beside(&self, file: &Path, progress: &mut impl FnMut(&str)) -> StoreResult<usize> {
        let wanted: Vec<(String, String)> =
            self.conn().query_all(super::originals::KEPT_ORIGINALS, [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        progress("photo originals");
        let dir = photo_files::photos_dir(file);
        for (sha, format) in &wanted {
            let bytes = self.read_original(sha, format)?;
            photo_files::put(&dir, sha, format, &bytes)?;
        }
        Ok(wanted.len())
    }
}

/// Every table both have, row for row, with the file's triggers set aside while it is written
/// and put back after; the derived tables are rebuilt from what was copied.
fn copy_rows(
    pg: &super::db::PgDb,
    file: &mut Connection,
    progress: &mut impl FnMut(&str),
) -> StoreResult<()> {
    file.pragma_update(None, "foreign_keys", false)?;
    let tx = file.transaction()?;
    let triggers: Vec<String> = tx
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let names: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in &names {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    // Ordinary tables only: the search indexes and their shadows are rebuilt below.
    let tables: Vec<(String, bool)> = tx
        .prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?
        .collect::<rusqlite::Result<_>>()?;
    for (table, without_rowid) in &tables {
        if table == "next_sessions" || table == "schema_migrations" {
            continue;
        }
        let on_server = pg.query(
            "SELECT column_name::text FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = ?1",
            &[table],
        )?;
        if on_server.is_empty() {
            continue;
        }
        let server_columns: Vec<String> = on_server.iter().map(|r| r.get::<_, String>(0)).collect();
        let mut columns: Vec<String> = tx
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !*without_rowid && server_columns.iter().any(|c| c == "rowid") {
            columns.push("rowid".to_owned());
        }
        progress(table);
        tx.execute(&format!("DELETE FROM {table}"), [])?;
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        ))?;
        let select = format!("SELECT {} FROM {table}", columns.join(", "));
        pg.stream(&select, |row| {
            let values: Vec<Value> = (0..columns.len())
                .map(|i| row.value(i))
                .collect::<rusqlite::Result<_>>()?;
            insert.execute(rusqlite::params_from_iter(values))?;
            Ok(())
        })?;
    }
    for sql in &triggers {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(&format!(
        "INSERT INTO clients_search (clients_search) VALUES ('rebuild');
         INSERT INTO clients_words (clients_words) VALUES ('rebuild');
         DELETE FROM next_sessions;
         INSERT INTO next_sessions {};",
        super::bulk::DERIVED_NEXT_SESSIONS
    ))?;
    tx.commit()?;
    file.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}
