//! The schema's history: the SQL files of `migrations/`, embedded, applied in order.

use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use sha2::{Digest, Sha256};

use super::error::{StoreError, StoreResult};

/// (name, SQL) of every migration, in order. Append only; never edit a released one.
const FILES: &[(&str, &str)] = &[
    ("0001_initial", include_str!("../../migrations/0001_initial.sql")),
    (
        "0002_printed_documents",
        include_str!("../../migrations/0002_printed_documents.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    i64::try_from(FILES.len()).unwrap_or(i64::MAX)
}

pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks, without writing, that every migration recorded in the file is the one this build
/// ships (for a file opened read-only).
pub fn verify(conn: &Connection) -> StoreResult<()> {
    for (index, (name, sql)) in FILES.iter().enumerate() {
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let stored: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        if stored.is_some_and(|s| s != checksum(sql)) {
            return Err(StoreError::MigrationChanged {
                version,
                name: (*name).to_owned(),
            });
        }
    }
    Ok(())
}

/// Applies what is missing, then checks that what was applied before is what this build ships.
pub fn migrate(conn: &mut Connection, now: &str) -> StoreResult<()> {
    let migrations = Migrations::new(FILES.iter().map(|(_, sql)| M::up(sql)).collect());
    migrations.to_latest(conn)?;
    for (index, (name, sql)) in FILES.iter().enumerate() {
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let sum = checksum(sql);
        let stored: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            Some(s) if s == sum => {}
            Some(_) => {
                return Err(StoreError::MigrationChanged {
                    version,
                    name: (*name).to_owned(),
                })
            }
            None => {
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
                    params![version, name, sum, now],
                )?;
            }
        }
    }
    Ok(())
}
