//! Signed records against someone with the file and a SQLite tool: replacing a signed row is
//! refused by the file itself (issue 16, point 5), and every other change `check` reports
//! (point 6): signed content that differs from what was signed, safeguards (triggers) removed,
//! the log's end removed with its counter lowered, and the whole chain recomputed.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::{fixture, Fixture};
use crate::common::{date, open, temp_db, TempDb};
use needlepoint::domain::{AreaDraft, SessionRecordDraft};
use needlepoint::store::{AnchorCheck, CheckReport};
use rusqlite::Connection;

/// A client with a signed screening, a signed, completed session with two areas, and a signed
/// amendment of it; the store closed (so the anchor beside the file is written).
fn signed_records() -> (TempDb, String, String) {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let screening = f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let session = f.session(1);
    let record = f.validated_record(&draft(&f), &session, &screening, date("2026-11-22"));
    f.try_complete(1, &record, &screening).expect("complete");
    let client = f.client.id;
    f.store
        .write(crate::common::lead(), |w| {
            w.amend_session(
                needlepoint::domain::AmendmentId::new(),
                session.id,
                client,
                "Chin passes",
                "Chin: 3 passes.",
            )
        })
        .expect("amend");
    let Fixture { store, .. } = f;
    store.close().expect("close");
    (db, screening.id.to_string(), session.id.to_string())
}

fn draft(f: &Fixture) -> SessionRecordDraft {
    SessionRecordDraft {
        areas: vec![
            AreaDraft {
                area: "cheeks".to_owned(),
                depth: "1.00".to_owned(),
                passes: "2".to_owned(),
                ..AreaDraft::default()
            },
            AreaDraft {
                area: "chin_jawline".to_owned(),
                depth: "0.75".to_owned(),
                passes: "2".to_owned(),
                ..AreaDraft::default()
            },
        ],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        numbing: Some(f.numbing.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    }
}

fn raw(db: &TempDb) -> Connection {
    Connection::open(&db.path).expect("raw open")
}

fn check(db: &TempDb) -> CheckReport {
    open(db).check().expect("check")
}

/// Runs `sql` with every trigger dropped, then puts the triggers back exactly as they were:
/// only what was changed is left for `check` to find.
fn behind_the_triggers(db: &TempDb, sql: &str) {
    let conn = raw(db);
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    conn.execute_batch(sql).expect("tamper");
    for (_, sql) in &triggers {
        conn.execute_batch(sql).unwrap();
    }
}

fn signed_problems(r: &CheckReport) -> String {
    assert!(
        r.signed_content_problems.0 > 0,
        "no signed-content problem found: {r:?}"
    );
    r.signed_content_problems.1.join("\n")
}

#[test]
fn untouched_signed_records_check_clean_with_their_anchor() {
    let (db, _, _) = signed_records();
    let r = check(&db);
    assert!(r.is_clean(), "{r:?}");
    assert!(matches!(r.anchor, AnchorCheck::Matches { .. }), "{:?}", r.anchor);
    assert!(needlepoint::store::anchor_path(&db.path).exists());
}

// Point 5: replace and upsert of signed rows, with the triggers in place.

#[test]
fn insert_or_replace_of_a_signed_screening_is_refused_by_the_file() {
    let (db, screening, _) = signed_records();
    let conn = raw(&db);
    let before: String = conn
        .query_row(
            "SELECT outcome_detail FROM screenings WHERE id = ?1",
            [&screening],
            |r| r.get(0),
        )
        .unwrap();
    let err = conn
        .execute_batch(&format!(
            "CREATE TEMP TABLE t AS SELECT * FROM screenings WHERE id = '{screening}';
             UPDATE t SET outcome = 'caution';
             INSERT OR REPLACE INTO screenings SELECT * FROM t;"
        ))
        .expect_err("replace refused");
    assert!(err.to_string().contains("cannot be replaced"), "{err}");
    let after: String = conn
        .query_row(
            "SELECT outcome_detail FROM screenings WHERE id = ?1",
            [&screening],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(before, after);
    drop(conn);
    assert!(check(&db).is_clean());
}

#[test]
fn every_form_of_replace_or_upsert_of_signed_rows_is_refused() {
    let (db, _, session) = signed_records();
    let conn = raw(&db);
    let attempts = [
        format!(
            "CREATE TEMP TABLE t AS SELECT * FROM sessions WHERE id = '{session}';
             UPDATE t SET practitioner = 'Someone Else';
             REPLACE INTO sessions SELECT * FROM t;"
        ),
        // A new session under the signed one's (plan, number).
        format!(
            "CREATE TEMP TABLE t AS SELECT * FROM sessions WHERE id = '{session}';
             UPDATE t SET id = '00000000-0000-7000-8000-000000000001', signed_by = NULL, signed_at = NULL;
             INSERT OR REPLACE INTO sessions SELECT * FROM t;"
        ),
        // An unsigned session moved onto the signed one's number.
        format!(
            "UPDATE OR REPLACE sessions SET number = 1
             WHERE plan_id = (SELECT plan_id FROM sessions WHERE id = '{session}') AND number = 2;"
        ),
        format!(
            "CREATE TEMP TABLE t AS SELECT * FROM session_areas WHERE session_id = '{session}' LIMIT 1;
             UPDATE t SET depth_hundredths = 250;
             INSERT OR REPLACE INTO session_areas SELECT * FROM t;"
        ),
        format!(
            "CREATE TEMP TABLE t AS SELECT * FROM session_amendments WHERE session_id = '{session}';
             UPDATE t SET correction = 'nothing to correct';
             INSERT OR REPLACE INTO session_amendments SELECT * FROM t;"
        ),
        format!(
            "INSERT INTO sessions SELECT * FROM sessions WHERE id = '{session}'
             ON CONFLICT (id) DO UPDATE SET practitioner = 'Someone Else';"
        ),
        "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq = 1;
         UPDATE t SET detail = 'nothing happened';
         INSERT OR REPLACE INTO audit_log SELECT * FROM t;"
            .to_owned(),
    ];
    for sql in attempts {
        conn.execute_batch("DROP TABLE IF EXISTS temp.t").unwrap();
        let err = conn.execute_batch(&sql).expect_err(&sql);
        let text = err.to_string();
        assert!(
            text.contains("cannot be replaced")
                || text.contains("cannot be changed")
                || text.contains("append-only"),
            "{sql}: {text}"
        );
    }
    drop(conn);
    assert!(check(&db).is_clean(), "{:?}", check(&db));
}

// Point 6: what `check` sees.

#[test]
fn a_changed_signed_depth_is_reported() {
    let (db, _, session) = signed_records();
    behind_the_triggers(
        &db,
        &format!("UPDATE session_areas SET depth_hundredths = 250 WHERE session_id = '{session}'"),
    );
    let r = check(&db);
    assert!(
        signed_problems(&r).contains(&format!("session {session}")),
        "{r:?}"
    );
    assert!(r.schema_problems.is_empty(), "{:?}", r.schema_problems);
    assert!(!r.is_clean());
}

#[test]
fn a_changed_signed_outcome_is_reported() {
    let (db, screening, _) = signed_records();
    behind_the_triggers(
        &db,
        &format!("UPDATE screenings SET outcome = 'caution' WHERE id = '{screening}'"),
    );
    let r = check(&db);
    assert!(
        signed_problems(&r).contains(&format!("screening {screening}, signed at")),
        "{r:?}"
    );
    assert!(signed_problems(&r).contains("was changed after it was signed"));
}

#[test]
fn a_changed_practitioner_is_reported() {
    let (db, _, session) = signed_records();
    behind_the_triggers(
        &db,
        &format!("UPDATE sessions SET practitioner = 'Someone Else' WHERE id = '{session}'"),
    );
    assert!(signed_problems(&check(&db)).contains(&format!("session {session}")));
}

#[test]
fn a_signed_sessions_deleted_areas_are_reported() {
    let (db, _, session) = signed_records();
    behind_the_triggers(
        &db,
        &format!("DELETE FROM session_areas WHERE session_id = '{session}'"),
    );
    assert!(signed_problems(&check(&db)).contains(&format!("session {session}")));
}

#[test]
fn a_signed_row_unsigned_or_removed_is_reported() {
    let (db, screening, _) = signed_records();
    behind_the_triggers(
        &db,
        &format!("UPDATE screenings SET signed_by = NULL, signed_at = NULL WHERE id = '{screening}'"),
    );
    assert!(signed_problems(&check(&db)).contains("changed after it was signed"));
    let (db, _, session) = signed_records();
    behind_the_triggers(
        &db,
        &format!(
            "DELETE FROM session_amendments WHERE session_id = '{session}';
             DELETE FROM session_areas WHERE session_id = '{session}';
             DELETE FROM sessions WHERE id = '{session}';"
        ),
    );
    let text = signed_problems(&check(&db));
    assert!(text.contains("is missing: it was removed"), "{text}");
}

#[test]
fn a_signed_row_added_outside_the_app_is_reported() {
    let (db, screening, _) = signed_records();
    behind_the_triggers(
        &db,
        &format!(
            "CREATE TEMP TABLE t AS SELECT * FROM screenings WHERE id = '{screening}';
             UPDATE t SET id = '00000000-0000-7000-8000-000000000002';
             INSERT INTO screenings SELECT * FROM t;"
        ),
    );
    assert!(signed_problems(&check(&db)).contains("no signing of it is in the audit log"));
}

#[test]
fn dropped_or_rewritten_triggers_are_reported() {
    let (db, _, _) = signed_records();
    raw(&db)
        .execute_batch(
            "DROP TRIGGER sessions_signed_no_update;
             DROP TRIGGER screenings_signed_no_replace;
             DROP TRIGGER audit_log_no_delete;
             CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0 BEGIN SELECT 1; END;
             DROP INDEX audit_log_by_record;",
        )
        .unwrap();
    let r = check(&db);
    let text = r.schema_problems.join("\n");
    for expected in [
        "trigger sessions_signed_no_update is missing",
        "trigger screenings_signed_no_replace is missing",
        "trigger audit_log_no_delete was changed",
        "index audit_log_by_record is missing",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(!r.is_clean());
    assert!(r.signed_content_problems.0 == 0 && r.audit_chain.is_intact());
}

#[test]
fn the_logs_end_removed_with_its_counter_lowered_is_reported_by_the_anchor() {
    let (db, _, _) = signed_records();
    behind_the_triggers(
        &db,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log);
         UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit_log) WHERE name = 'audit_log';",
    );
    let r = check(&db);
    assert!(
        r.audit_chain.is_intact(),
        "the chain alone cannot see it: {:?}",
        r.audit_chain
    );
    match &r.anchor {
        AnchorCheck::Broken { problem, .. } => assert!(problem.contains("rows were removed"), "{problem}"),
        other => panic!("not reported: {other:?}"),
    }
    assert!(!r.is_clean());
    // Using the database afterwards does not overwrite the anchor that shows it.
    let mut store = open(&db);
    let c = crate::common::client("Later Client", "1990-02-02", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    store.close().unwrap();
    assert!(!check(&db).anchor.is_ok());
}

#[test]
fn a_recomputed_chain_is_reported_by_the_anchor() {
    let (db, _, _) = signed_records();
    let conn = raw(&db);
    conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    conn.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2", [])
        .unwrap();
    // Recompute every hash, as someone with the code can.
    crate::common::rechain(&conn, true);
    conn.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;",
    )
    .unwrap();
    drop(conn);
    let r = check(&db);
    assert!(
        r.audit_chain.is_intact(),
        "the forged chain verifies: {:?}",
        r.audit_chain
    );
    assert!(r.schema_problems.is_empty(), "{:?}", r.schema_problems);
    match &r.anchor {
        AnchorCheck::Broken { problem, .. } => assert!(problem.contains("rewritten"), "{problem}"),
        other => panic!("not reported: {other:?}"),
    }
}

#[test]
fn every_backup_carries_the_chain_head_and_check_uses_the_newest_anchor() {
    let (db, _, _) = signed_records();
    let mut store = open(&db);
    let report = store.backup_now("Reception").expect("backup");
    let anchor = needlepoint::store::read_anchor(&needlepoint::store::anchor_path(&report.backup.path))
        .expect("anchor");
    assert!(anchor.rows > 0);
    drop(store);
    // With the database's own anchor gone, the backup's still catches a shortened log.
    std::fs::remove_file(needlepoint::store::anchor_path(&db.path)).unwrap();
    behind_the_triggers(
        &db,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 5 FROM audit_log);
         UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit_log) WHERE name = 'audit_log';",
    );
    match check(&db).anchor {
        AnchorCheck::Broken { source, .. } => {
            assert_eq!(source, needlepoint::store::anchor_path(&report.backup.path))
        }
        other => panic!("not reported: {other:?}"),
    }
}
