//! `needlepoint recall` on a demo database: the list, the CSV file, and an unknown lot.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint_as_demo_lead, text};

#[test]
fn recall_a_demo_lot_to_csv_and_say_so_for_an_unknown_lot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db_s = db.to_str().unwrap();
    let demo = needlepoint_as_demo_lead(&["demo", "--clients", "40", "--db", db_s, "--today", "2026-11-22"]);
    assert!(demo.status.success(), "{}", text(&demo));

    let store = needlepoint::store::Store::open(&db).unwrap();
    let serum = store
        .products(true)
        .unwrap()
        .into_iter()
        .find(|p| {
            p.kind == needlepoint::domain::ProductKind::Serum
                && !store.recall_by_lot(&p.lot_number).unwrap().is_empty()
        })
        .expect("a serum lot in use");
    let expected = store.recall_by_lot(&serum.lot_number).unwrap().len();
    drop(store);

    let csv = dir.path().join("recall.csv");
    let out = needlepoint_as_demo_lead(&[
        "recall",
        "--db",
        db_s,
        "--lot",
        &serum.lot_number,
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("{expected} session(s) with lot {}", serum.lot_number)),
        "{}",
        text(&out)
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        written.lines().count(),
        expected + 1,
        "a header and one line per session"
    );
    let audit = needlepoint::store::Store::open(&db)
        .unwrap()
        .audit_for_record(&serum.lot_number)
        .unwrap();
    assert_eq!(audit.len(), 1, "exactly one audit row for the export: {audit:?}");
    assert_eq!(audit[0].action, needlepoint::domain::AuditAction::Export);
    assert_eq!(audit[0].actor, crate::common::LEAD, "the person named by --as");
    assert!(audit[0].actor_id.is_some(), "by their account");
    assert_eq!(
        audit[0].detail,
        format!(
            "recall of lot {} ({expected} sessions) to {}",
            serum.lot_number,
            csv.display()
        )
    );

    let listed = needlepoint_as_demo_lead(&["recall", "--db", db_s, "--lot", &serum.lot_number]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), expected);

    let none = needlepoint_as_demo_lead(&["recall", "--db", db_s, "--lot", "NO-SUCH-LOT"]);
    assert!(none.status.success());
    assert!(
        text(&none).contains("No done session used lot NO-SUCH-LOT."),
        "{}",
        text(&none)
    );

    let missing = needlepoint_as_demo_lead(&[
        "recall",
        "--db",
        dir.path().join("nope.db").to_str().unwrap(),
        "--lot",
        "X",
    ]);
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("There is no database at"),
        "{}",
        text(&missing)
    );
}

/// A demo database and a lot that some done session used.
fn demo_with_a_used_lot(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let db = dir.join("x.db");
    let demo = needlepoint_as_demo_lead(&[
        "demo",
        "--clients",
        "20",
        "--db",
        db.to_str().unwrap(),
        "--today",
        "2026-11-22",
    ]);
    assert!(demo.status.success(), "{}", text(&demo));
    let store = needlepoint::store::Store::open(&db).unwrap();
    let lot = store
        .products(true)
        .unwrap()
        .into_iter()
        .map(|p| p.lot_number)
        .find(|lot| !store.recall_by_lot(lot).unwrap().is_empty())
        .expect("a lot in use");
    (db, lot)
}

#[test]
fn recall_to_a_folder_that_cannot_be_made_says_so_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, lot) = demo_with_a_used_lot(dir.path());
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let csv = blocker.join("recall.csv");
    let out = needlepoint_as_demo_lead(&[
        "recall",
        "--db",
        db.to_str().unwrap(),
        "--lot",
        &lot,
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("Could not write"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "a file");
    let store = needlepoint::store::Store::open(&db).unwrap();
    assert!(
        store.audit_for_record(&lot).unwrap().is_empty(),
        "nothing recorded"
    );
}

#[test]
fn recall_whose_audit_row_cannot_be_saved_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, lot) = demo_with_a_used_lot(dir.path());
    crate::exports::refuse_audit_rows(&needlepoint::store::Store::open(&db).unwrap());
    let csv = dir.path().join("exports").join("recall.csv");
    let out = needlepoint_as_demo_lead(&[
        "recall",
        "--db",
        db.to_str().unwrap(),
        "--lot",
        &lot,
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("The audit log refused the row."),
        "{}",
        text(&out)
    );
    assert!(!csv.exists(), "no list of clients without its audit row");
    assert_eq!(
        std::fs::read_dir(dir.path().join("exports")).map_or(0, Iterator::count),
        0,
        "no temporary file either"
    );
}
