//! Files that are not a Needlepoint database (issue 16, point 7) and `check` changing nothing
//! (point 11): another program's SQLite file or an empty file is refused by every command and
//! left byte for byte, with the newest backup named; only a path where nothing exists becomes
//! a new database; `check` opens read-only.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint, text};
use crate::common::{client, temp_db};
use needlepoint::store::{Store, StoreError};
use std::path::{Path, PathBuf};

/// Every file in `dir` (recursively) with its bytes, to prove nothing changed or appeared.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// A clinic database with one backup, then replaced by `replace` (another app's file, an
/// emptied file): the state a front desk meets.
fn replaced_database(replace: impl FnOnce(&Path)) -> (crate::common::TempDb, PathBuf) {
    let db = temp_db();
    let mut store = Store::open(&db.path).unwrap();
    let c = client("Ada Lovelace", "1980-01-01", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    let backup = store.backup_now("Reception").unwrap().backup.path;
    store.close().unwrap();
    std::fs::remove_file(&db.path).unwrap();
    replace(&db.path);
    (db, backup)
}

fn other_apps_file(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO recipes (name) VALUES ('bread');",
    )
    .unwrap();
}

fn every_command_refuses(db: &Path, backup: &Path, expected: &str) {
    let before = snapshot(db.parent().unwrap());
    let elsewhere = tempfile::tempdir().unwrap();
    let csv = elsewhere.path().join("clients.csv");
    std::fs::write(
        &csv,
        "full_name,date_of_birth,skin_type\nGrace Hopper,1906-12-09,II\n",
    )
    .unwrap();
    let d = db.to_str().unwrap();
    for args in [
        vec!["check", "--db", d],
        vec!["demo", "--clients", "3", "--db", d],
        vec!["import", csv.to_str().unwrap(), "--db", d],
        vec!["import", csv.to_str().unwrap(), "--apply", "--db", d],
        vec!["backup", "--db", d],
        vec!["recall", "--lot", "LOT-1", "--db", d],
    ] {
        let out = needlepoint(&args);
        let said = text(&out);
        assert!(!out.status.success(), "{args:?} succeeded: {said}");
        assert!(said.contains(expected), "{args:?}: {said}");
        assert!(
            said.contains(&backup.display().to_string()),
            "{args:?} names no backup: {said}"
        );
        assert_eq!(snapshot(db.parent().unwrap()), before, "{args:?} changed a file");
    }
    assert!(Store::open(db).is_err());
    assert_eq!(snapshot(db.parent().unwrap()), before);
}

#[test]
fn another_apps_sqlite_file_is_refused_by_every_command_and_left_as_it_was() {
    let (db, backup) = replaced_database(other_apps_file);
    every_command_refuses(&db.path, &backup, "not a Needlepoint database");
}

#[test]
fn an_empty_file_does_not_become_a_new_database() {
    let (db, backup) = replaced_database(|p| std::fs::write(p, b"").unwrap());
    every_command_refuses(&db.path, &backup, "empty (0 bytes)");
}

#[test]
fn an_empty_sqlite_file_of_no_program_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(!before.is_empty());
    assert!(matches!(Store::open(&path), Err(StoreError::NotADatabase { .. })));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn only_a_path_where_nothing_exists_becomes_a_new_database_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert!(store.check().unwrap().is_clean());
    drop(store);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".new-")), "{names:?}");
    // A folder that does not exist is said so, and nothing is made.
    let missing = dir.path().join("nowhere").join("x.db");
    let err = Store::open(&missing).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn check_opens_read_only_and_changes_nothing() {
    let db = temp_db();
    let mut store = Store::open(&db.path).unwrap();
    let c = client("Ada Lovelace", "1980-01-01", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    // A backup is a single file in rollback-journal mode; checking it must not switch it to WAL.
    let backup = store.backup_now("Reception").unwrap().backup.path;
    store.close().unwrap();
    let dir = db.dir.path();
    let before = snapshot(dir);
    for target in [&db.path, &backup] {
        let out = needlepoint(&["check", "--db", target.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("Journal mode"), "{}", text(&out));
    }
    let after: Vec<_> = snapshot(dir)
        .into_iter()
        // SQLite's shared-memory index of a WAL file is not the database; it may appear.
        .filter(|(p, _)| !p.to_string_lossy().ends_with("-shm") && !p.to_string_lossy().ends_with("-wal"))
        .collect();
    assert_eq!(after, before, "check changed or added a file");
    let mode: String = rusqlite::Connection::open(&backup)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the backup stays a single file");
}

#[test]
fn a_creation_killed_midway_leaves_litter_that_the_next_creation_clears() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    // What a kill before the new file was named leaves: a temporary file, no database.
    let abandoned = dir.path().join("clinic.db.new-4242");
    let young = dir.path().join("clinic.db.new-4343");
    for f in [&abandoned, &young] {
        std::fs::write(f, b"half made").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&abandoned)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    Store::open(&db).unwrap().close().unwrap();
    assert!(db.exists());
    assert!(
        !abandoned.exists(),
        "an hour-old temporary file of a killed creation is removed"
    );
    // A young one may be another process creating the database right now.
    assert!(young.exists());
}
