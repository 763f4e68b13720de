//! An export — a client's record, a recall list — is written whole with its audit row, or not
//! at all: a folder that cannot be written records nothing, and an audit row that cannot be
//! saved removes the file again.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, file_only, open, temp_db};
use needlepoint::domain::AuditAction;
use needlepoint::store::{ExportError, ExportOf, Store, StoreError};

/// Makes every audit row fail to save, as a damaged or tampered file might.
pub fn refuse_audit_rows(store: &Store) {
    store
        .execute_raw(
            "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log
             BEGIN SELECT RAISE(ABORT, 'The audit log refused the row.'); END",
        )
        .unwrap();
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn an_export_is_written_whole_with_exactly_one_audit_row() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Ada Lovelace", "1985-12-10", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    let out = db.dir.path().join("exports").join("ada.json");
    store
        .write_export(
            "Reception",
            &out,
            b"{\"whole\": true}",
            ExportOf::ClientRecord(c.id),
        )
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"{\"whole\": true}");
    assert_eq!(
        files_in(&db.dir.path().join("exports")),
        ["ada.json"],
        "no temporary file left"
    );
    let audit = store.audit_for_record(&c.id.to_string()).unwrap();
    let exports: Vec<_> = audit.iter().filter(|a| a.action == AuditAction::Export).collect();
    assert_eq!(exports.len(), 1);
    assert_eq!(
        exports[0].detail,
        format!("complete record exported to {}", out.display())
    );

    let csv = db.dir.path().join("recall.csv");
    let recall = ExportOf::Recall {
        lot: "  HA-2611 ",
        sessions: 3,
    };
    store.write_export("Reception", &csv, b"a,b\n", recall).unwrap();
    let audit = store.audit_for_record("HA-2611").unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Export);
    assert_eq!(audit[0].table, "products");
    assert_eq!(
        audit[0].detail,
        format!("recall of lot HA-2611 (3 sessions) to {}", csv.display())
    );
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn a_folder_that_cannot_be_made_records_nothing_and_leaves_nothing() {
    let db = temp_db();
    let mut store = open(&db);
    let blocker = db.dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let out = blocker.join("recall.csv");
    let recall = ExportOf::Recall {
        lot: "HA-2611",
        sessions: 1,
    };
    let e = store
        .write_export("Reception", &out, b"a,b\n", recall)
        .unwrap_err();
    assert!(matches!(e, ExportError::Write { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with(&format!("Could not write {}", out.display())),
        "{e}"
    );
    assert!(store.audit_for_record("HA-2611").unwrap().is_empty());
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "a file");
}

#[test]
fn an_audit_row_that_cannot_be_saved_removes_the_file_again() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let mut store = open(&db);
    refuse_audit_rows(&store);
    let out = db.dir.path().join("exports").join("recall.csv");
    let recall = ExportOf::Recall {
        lot: "HA-2611",
        sessions: 1,
    };
    let e = store
        .write_export("Reception", &out, b"a,b\n", recall)
        .unwrap_err();
    assert!(
        matches!(e, ExportError::NotRecorded(StoreError::Refused(_))),
        "{e:?}"
    );
    assert!(e.to_string().contains("The audit log refused the row."), "{e}");
    assert!(!out.exists(), "no export without its audit row");
    assert!(
        files_in(&db.dir.path().join("exports")).is_empty(),
        "nothing left behind"
    );
    store.execute_raw("DROP TRIGGER test_refuse_audit").unwrap();
    assert!(store.audit_for_record("HA-2611").unwrap().is_empty());

    // A file written by a background job is removed the same way.
    refuse_audit_rows(&store);
    std::fs::write(&out, "a,b\n").unwrap();
    let e = store
        .record_written_export("Reception", &out, recall)
        .unwrap_err();
    assert!(matches!(e, ExportError::NotRecorded(_)), "{e:?}");
    assert!(!out.exists());
}
