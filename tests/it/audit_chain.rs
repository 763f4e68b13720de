//! The audit log's hash chain: every row is chained to the one before it, and a row removed or
//! altered outside the app (triggers dropped, raw SQL) is reported by `check` at that row.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, open, temp_db, TempDb};
use needlepoint::store::{AuditChain, GENESIS_HASH};
use rusqlite::Connection;

/// A database with `n` clients, each created then updated: 2n audit rows.
fn with_rows(n: usize) -> TempDb {
    let db = temp_db();
    let mut store = open(&db);
    for i in 0..n {
        let c = client(&format!("Client {i}"), "1980-01-01", None);
        store.write("Reception", |w| w.insert_client(&c)).expect("save");
        let mut after = c.details.clone();
        after.notes = format!("note {i}");
        store
            .write("Reception", |w| w.update_client(c.id, &c.details, &after))
            .expect("update");
    }
    db
}

/// A raw connection with the append-only triggers removed, as a tamperer would.
fn tamper(db: &TempDb, sql: &str) {
    let conn = Connection::open(&db.path).expect("raw open");
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .expect("drop triggers");
    conn.execute_batch(sql).expect("tamper");
}

fn chain(db: &TempDb) -> AuditChain {
    open(db).check().expect("check").audit_chain
}

#[test]
fn an_untouched_log_verifies_and_rows_are_chained() {
    let db = with_rows(5);
    assert_eq!(chain(&db), AuditChain::Intact { rows: 10 });
    let conn = Connection::open(&db.path).expect("raw");
    let first: String = conn
        .query_row("SELECT prev_hash FROM audit_log WHERE seq = 1", [], |r| r.get(0))
        .expect("row");
    assert_eq!(first, GENESIS_HASH);
    let linked: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1 WHERE b.prev_hash = a.row_hash",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(linked, 9);
    assert!(open(&db).check().expect("check").is_clean());
}

#[test]
fn a_deleted_row_is_reported_at_its_seq() {
    let db = with_rows(5);
    tamper(&db, "DELETE FROM audit_log WHERE seq = 4");
    let found = chain(&db);
    assert!(matches!(&found, AuditChain::Broken { seq: 4, .. }), "{found:?}");
    assert!(found.to_string().contains("missing"), "{found}");
    assert!(!open(&db).check().expect("check").is_clean());
}

#[test]
fn a_deleted_last_row_is_reported() {
    let db = with_rows(3);
    tamper(&db, "DELETE FROM audit_log WHERE seq = 6");
    let found = chain(&db);
    assert!(matches!(&found, AuditChain::Broken { seq: 6, .. }), "{found:?}");
    // New rows do not hide the gap.
    let mut store = open(&db);
    let c = client("Later Client", "1990-02-02", None);
    store.write("Reception", |w| w.insert_client(&c)).expect("save");
    assert!(matches!(chain(&db), AuditChain::Broken { seq: 6, .. }));
}

#[test]
fn an_altered_row_is_reported_at_its_seq() {
    let db = with_rows(5);
    tamper(&db, "UPDATE audit_log SET actor = 'Someone else' WHERE seq = 7");
    let found = chain(&db);
    assert!(matches!(&found, AuditChain::Broken { seq: 7, .. }), "{found:?}");
    assert!(found.to_string().contains("changed"), "{found}");
}

#[test]
fn a_forged_row_hash_is_reported_at_its_seq() {
    let db = with_rows(3);
    tamper(
        &db,
        "UPDATE audit_log SET detail = 'forged', row_hash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE seq = 2",
    );
    let found = chain(&db);
    // Row 2's own hash no longer matches its fields.
    assert!(matches!(&found, AuditChain::Broken { seq: 2, .. }), "{found:?}");
}

#[test]
fn the_cli_check_names_the_broken_row_and_fails() {
    let db = with_rows(4);
    tamper(&db, "DELETE FROM audit_log WHERE seq = 3");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(["check", "--db"])
        .arg(&db.path)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Audit log: BROKEN at row 3"), "{stdout}");
}
