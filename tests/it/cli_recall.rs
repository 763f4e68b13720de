//! `needlepoint recall` on a demo database: the list, the CSV file, and an unknown lot.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint, text};

#[test]
fn recall_a_demo_lot_to_csv_and_say_so_for_an_unknown_lot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db_s = db.to_str().unwrap();
    let demo = needlepoint(&["demo", "--clients", "40", "--db", db_s, "--today", "2026-11-22"]);
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
    let out = needlepoint(&[
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

    let listed = needlepoint(&["recall", "--db", db_s, "--lot", &serum.lot_number]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), expected);

    let none = needlepoint(&["recall", "--db", db_s, "--lot", "NO-SUCH-LOT"]);
    assert!(none.status.success());
    assert!(
        text(&none).contains("No done session used lot NO-SUCH-LOT."),
        "{}",
        text(&none)
    );

    let missing = needlepoint(&[
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
