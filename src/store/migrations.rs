//! The schema's history: the SQL files of `migrations/`, embedded, applied in order.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rusqlite_migration::{HookError, HookResult, Migrations, M};
use sha2::{Digest, Sha256};

use super::error::{StoreError, StoreResult};

/// (name, SQL) of every migration, in order. Append only; never edit a released one.
const FILES: &[(&str, &str)] = &[
    ("0001_initial", include_str!("../../migrations/0001_initial.sql")),
    (
        "0002_printed_documents",
        include_str!("../../migrations/0002_printed_documents.sql"),
    ),
    (
        "0003_data_rights",
        include_str!("../../migrations/0003_data_rights.sql"),
    ),
    (
        "0004_next_sessions",
        include_str!("../../migrations/0004_next_sessions.sql"),
    ),
    (
        "0006_signed_content",
        include_str!("../../migrations/0006_signed_content.sql"),
    ),
    ("0007_drafts", include_str!("../../migrations/0007_drafts.sql")),
    (
        "0008_client_list_by_birth",
        include_str!("../../migrations/0008_client_list_by_birth.sql"),
    ),
    (
        "0009_clearances",
        include_str!("../../migrations/0009_clearances.sql"),
    ),
    (
        "0010_plan_prescriber",
        include_str!("../../migrations/0010_plan_prescriber.sql"),
    ),
    (
        "0011_plan_review",
        include_str!("../../migrations/0011_plan_review.sql"),
    ),
    ("0012_staff", include_str!("../../migrations/0012_staff.sql")),
    ("0013_diary", include_str!("../../migrations/0013_diary.sql")),
    ("0014_consent", include_str!("../../migrations/0014_consent.sql")),
    ("0015_photos", include_str!("../../migrations/0015_photos.sql")),
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
    migrate_to(conn, now, FILES.len())
}

/// A database as an older Needlepoint left it: set up to migration `version` only (tests of
/// upgrades, such as signatures from before sign-in).
#[doc(hidden)]
pub fn create_at_version(path: &std::path::Path, version: usize) -> StoreResult<()> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate_to(&mut conn, "2026-01-01T00:00:00.000Z", version.min(FILES.len()))
}

fn migrate_to(conn: &mut Connection, now: &str, version: usize) -> StoreResult<()> {
    let migrations = Migrations::new(
        FILES
            .iter()
            // By the name's end: the number may change when branches are merged.
            .map(|(name, sql)| {
                if name.ends_with("_data_rights") {
                    M::up_with_hook(sql, widen_audit_actions)
                } else if name.ends_with("_photos") {
                    M::up_with_hook(sql, |tx: &Transaction<'_>| {
                        widen_audit_actions_from(tx, ACTIONS_AFTER, ACTIONS_WITH_VIEW, "'view'")
                    })
                } else if name.ends_with("_signed_content") {
                    let now = now.to_owned();
                    M::up_with_hook(sql, move |tx: &Transaction<'_>| hash_signed_rows(tx, &now))
                } else {
                    M::up(sql)
                }
            })
            .collect(),
    );
    migrations.to_version(conn, version)?;
    for (index, (name, sql)) in FILES.iter().enumerate().take(version) {
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

/// The action list of `audit_log` as 0001 wrote it, and with 'anonymise' added.
const ACTIONS_BEFORE: &str = "'backup', 'restore'))";
const ACTIONS_AFTER: &str = "'backup', 'restore', 'anonymise'))";
/// 0015: and 'view' (a photo opened at full size).
const ACTIONS_WITH_VIEW: &str = "'backup', 'restore', 'anonymise', 'view'))";

/// 0003: lets `audit_log` accept the action 'anonymise' without copying the log (see the
/// migration's comments). SQLite's procedure for changing a CHECK constraint in place: edit the
/// stored definition and bump the schema version, inside the migration's transaction. Widening
/// the list cannot make a stored row invalid. Refuses, changing nothing, if the definition is
/// not the one 0001 wrote.
fn widen_audit_actions(tx: &Transaction<'_>) -> HookResult {
    widen_audit_actions_from(tx, ACTIONS_BEFORE, ACTIONS_AFTER, "'anonymise'")
}

/// Replaces the action list `before` with `after` in `audit_log`'s stored definition (once:
/// nothing is done when it already holds `added`).
fn widen_audit_actions_from(tx: &Transaction<'_>, before: &str, after: &str, added: &str) -> HookResult {
    let sql: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'",
        [],
        |r| r.get(0),
    )?;
    if sql.contains(added) {
        return Ok(());
    }
    if sql.matches(before).count() != 1 {
        return Err(HookError::Hook(
            "the audit log's definition is not the one Needlepoint wrote".to_owned(),
        ));
    }
    let widened = sql.replace(before, after);
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    let changed = tx.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'audit_log'",
        [&widened],
    );
    // Whatever happened, schema editing is switched off again before anything else runs.
    let bumped = tx.pragma_update(None, "schema_version", version + 1);
    tx.pragma_update(None, "writable_schema", false)?;
    if changed? != 1 {
        return Err(HookError::Hook(
            "the audit log's definition could not be updated".to_owned(),
        ));
    }
    bumped?;
    Ok(())
}

/// Who the audit rows written by an upgrade name as their actor.
pub(super) const UPGRADE_ACTOR: &str = "Needlepoint (upgrade)";
/// The detail of the audit row carrying the hash of a row signed before hashes were recorded.
pub(super) const HASH_TAKEN_AT_UPGRADE: &str =
    "content hash taken at upgrade: signed before Needlepoint recorded what was signed";

/// 0006: every row signed before this version gets an audit row carrying the hash of its
/// signed content as it is now, in the migration's transaction, saying the hash was taken at
/// the upgrade (a change made before it cannot be seen; one made after it can).
fn hash_signed_rows(tx: &Transaction<'_>, now: &str) -> HookResult {
    let fail = |e: StoreError| HookError::Hook(e.to_string());
    let mut head = None;
    // The kinds signed before 0006: later ones (written clearances) are hashed as they are
    // written, and their tables do not exist yet when this runs.
    for kind in super::signed::SIGNED_BEFORE_0006 {
        let ids: Vec<String> = tx
            .prepare(kind.signed_ids_sql())?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let content = super::signed::content_hash_of(&super::Db::lent(tx), kind, &id, false)
                .map_err(fail)?
                .ok_or_else(|| HookError::Hook(format!("{} {id} vanished", kind.words())))?;
            let client: Option<String> = tx.query_row(kind.client_sql(), [&id], |r| r.get(0)).optional()?;
            let row = super::audit::ChainRow {
                seq: 0,
                at: now,
                actor: UPGRADE_ACTOR,
                action: crate::domain::AuditAction::Sign.code(),
                table: kind.table(),
                record_id: &id,
                client_id: client.as_deref(),
                detail: HASH_TAKEN_AT_UPGRADE,
                content_hash: Some(&content),
                actor_id: None,
            };
            head = Some(super::audit::append(&super::Db::lent(tx), head, row).map_err(fail)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn widening_changes_only_the_action_list_and_the_new_action_is_accepted() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(FILES[0].1).unwrap();
        let tx = conn.transaction().unwrap();
        widen_audit_actions(&tx).unwrap();
        tx.commit().unwrap();
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'audit_log'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let original = FILES[0].1;
        let start = original.find("CREATE TABLE audit_log").unwrap();
        let end = start + original[start..].find(") STRICT").unwrap() + ") STRICT".len();
        assert_eq!(sql, original[start..end].replace(ACTIONS_BEFORE, ACTIONS_AFTER));
        let insert = |action: &str| {
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, table_name, record_id, prev_hash, row_hash)
                 VALUES ('t', 'a', ?1, 'clients', 'x', printf('%064d', 0), printf('%064d', 0))",
                [action],
            )
        };
        insert("anonymise").unwrap();
        assert!(insert("erase").is_err(), "the list is widened, not removed");
        // Running it again finds the work done.
        let tx = conn.transaction().unwrap();
        widen_audit_actions(&tx).unwrap();
    }

    /// A row signed before 0006 has no content hash; the upgrade records one, saying so, and
    /// `check` then holds the row to it.
    #[test]
    fn rows_signed_before_content_hashes_get_one_at_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, "2026-01-01T00:00:00.000Z").unwrap();
        // A row signed by a version before staff accounts (0012), which had no signer check.
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER screenings_signer_may_sign;
             INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail,
                protocol_version, signed_by, signed_at, created_at)
             VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', '2025-05-01',
                '{}', '[]', 'clear', '{}', 'v1', 'Dr. A', '2025-05-01T10:00:00.000Z', '2025-05-01T10:00:00.000Z')",
        )
        .unwrap();
        let (n, problems) = super::super::signed::verify_all(&super::super::Db::lent(&conn), 5).unwrap();
        assert_eq!(n, 1, "{problems:?}");
        let tx = conn.transaction().unwrap();
        hash_signed_rows(&tx, "2026-01-02T00:00:00.000Z").unwrap();
        tx.commit().unwrap();
        assert_eq!(
            super::super::signed::verify_all(&super::super::Db::lent(&conn), 5)
                .unwrap()
                .0,
            0
        );
        assert!(super::super::audit::verify_chain(&super::super::Db::lent(&conn))
            .unwrap()
            .is_intact());
        let (actor, detail): (String, String) = conn
            .query_row(
                "SELECT actor, detail FROM audit_log WHERE content_hash IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (actor.as_str(), detail.as_str()),
            (UPGRADE_ACTOR, HASH_TAKEN_AT_UPGRADE)
        );
        // Changed afterwards: reported.
        conn.execute_batch(
            "DROP TRIGGER screenings_signed_no_update; UPDATE screenings SET outcome = 'caution';",
        )
        .unwrap();
        assert_eq!(
            super::super::signed::verify_all(&super::super::Db::lent(&conn), 5)
                .unwrap()
                .0,
            1
        );
    }

    #[test]
    fn widening_refuses_an_audit_log_it_did_not_write() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, action TEXT CHECK (action IN ('x')))",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        assert!(widen_audit_actions(&tx).is_err());
    }
}
