//! Issue 16, round two of data safety: copies kept before a restore live outside the rotation,
//! an empty database's backup never displaces a good one, a damaged database (or one with
//! another database's journal beside it) can be restored over, backups are ordered by what
//! they hold, files are owner-only, and a read-only database or a folder is refused by name.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, open, temp_db, TempDb};
use needlepoint::domain::Client;
use needlepoint::store::{self, list_backups, Previous, Store};
use std::path::Path;

fn with_client(db: &TempDb, name: &str) -> Client {
    let mut s = open(db);
    let c = client(name, "1980-01-01", None);
    s.write("Reception", |w| w.insert_client(&c)).expect("save");
    c
}

fn has_client(path: &Path, c: &Client) -> bool {
    Store::open(path)
        .expect("open")
        .client(c.id)
        .expect("read")
        .is_some()
}

fn later() -> chrono::DateTime<chrono::Utc> {
    crate::common::fixed_now() + chrono::Duration::hours(2)
}

#[test]
fn the_copy_a_restore_keeps_survives_the_next_backups() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    let grace = with_client(&db, "Grace Hopper");
    let report = store::restore(&db.path, &backup.path, "Reception").expect("restore");
    let kept = report.previous_kept_at.expect("kept");
    assert_eq!(report.previous, Previous::Verified);
    assert!(kept.starts_with(store::kept_dir(&db.path)), "{}", kept.display());
    // Two more backups the same day: the rotation keeps one of that day, and never the kept copy.
    let mut s = Store::open_with_clock(&db.path, later).expect("open");
    s.backup_now("Reception").expect("backup");
    s.backup_now("Reception").expect("backup");
    drop(s);
    assert!(kept.exists(), "the copy kept before the restore was rotated away");
    assert!(has_client(&kept, &grace));
}

#[test]
fn a_backup_of_an_empty_database_never_displaces_a_good_one() {
    let db = temp_db();
    let ada = with_client(&db, "Ada Lovelace");
    let good = open(&db).backup_now("Reception").expect("backup").backup;
    assert!(good.holds_data());
    // The database is replaced by an empty one (lost, or a new file) and backed up that day.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.path.display()));
    }
    let mut s = Store::open_with_clock(&db.path, later).expect("new empty database");
    let empty = s.backup_now("Reception").expect("backup").backup;
    s.backup_now("Reception").expect("backup");
    drop(s);
    assert!(!empty.holds_data());
    assert!(
        good.path.exists(),
        "the empty database's backup rotated the good one away"
    );
    assert!(has_client(&good.path, &ada));
    // And the good one is the one offered when the database is lost.
    assert_eq!(
        store::newest_good_backup(&db.path).map(|b| b.path),
        Some(good.path)
    );
}

#[test]
fn a_damaged_database_that_still_opens_can_be_restored_over_and_its_bytes_are_kept() {
    let db = temp_db();
    let ada = with_client(&db, "Ada Lovelace");
    for n in 0..200 {
        with_client(&db, &format!("Client Number{n}"));
    }
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    drop(open(&db));
    // Scribble over pages in the middle of the file; the header stays good, so it still opens.
    let mut bytes = std::fs::read(&db.path).expect("read");
    let page = 4096;
    let pages = bytes.len() / page;
    for b in &mut bytes[page * (pages / 2)..page * (pages / 2 + 2)] {
        *b = 0x5a;
    }
    std::fs::write(&db.path, &bytes).expect("write");
    let report = store::restore(&db.path, &backup.path, "Reception").expect("restore over damage");
    assert!(
        matches!(report.previous, Previous::Damaged(_)),
        "{:?}",
        report.previous
    );
    let kept = report.previous_kept_at.expect("kept");
    assert_eq!(
        std::fs::read(&kept).expect("kept bytes"),
        bytes,
        "kept byte for byte"
    );
    assert!(has_client(&db.path, &ada));
    assert!(Store::open(&db.path)
        .expect("open")
        .check()
        .expect("check")
        .is_clean());
}

#[test]
fn a_journal_from_another_database_is_named_as_such_and_not_applied() {
    let db = temp_db();
    let ada = with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    drop(open(&db));
    // Another clinic's database, with changes still in its journal (open connection).
    let other = db.dir.path().join("other").join("clinic.db");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    let mut o = Store::open_with_clock(&other, crate::common::fixed_now).expect("other");
    for n in 0..50 {
        let c = client(&format!("Other Person{n}"), "1970-01-01", None);
        o.write("Reception", |w| w.insert_client(&c)).expect("save");
    }
    let wal = format!("{}-wal", other.display());
    assert!(std::fs::metadata(&wal).expect("wal").len() > 32);
    std::fs::copy(&wal, format!("{}-wal", db.path.display())).expect("copy wal");
    drop(o);
    let report = store::restore(&db.path, &backup.path, "Reception").expect("restore");
    assert_eq!(report.previous, Previous::ForeignJournal, "{:?}", report.previous);
    let kept = report.previous_kept_at.expect("kept");
    assert!(
        Path::new(&format!("{}-wal", kept.display())).exists(),
        "the journal is kept with it"
    );
    assert!(has_client(&db.path, &ada));
    let out = crate::common::cli::needlepoint_as_lead(&[
        "restore",
        backup.path.to_str().unwrap(),
        "--db",
        db.path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn backups_are_ordered_by_content_and_a_future_name_is_warned_about() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let old = open(&db).backup_now("Reception").expect("backup").backup;
    // The clock was wrong once: an old backup carries a 2099 name.
    let future = store::backup_dir(&db.path).join("clinic-2099-01-01-000000-000.db");
    std::fs::rename(&old.path, &future).expect("rename");
    // Changes later, and a backup with the right clock.
    let mut s = Store::open_with_clock(&db.path, later).expect("open");
    let c = client("Grace Hopper", "1906-12-09", None);
    s.write("Reception", |w| w.insert_client(&c)).expect("save");
    let report = s.backup_now("Reception").expect("backup");
    let listed = list_backups(&db.path).expect("list");
    assert_eq!(
        listed[0].path, report.backup.path,
        "the newest content comes first"
    );
    assert!(
        report
            .future_warnings
            .iter()
            .any(|w| w.contains("2099") && w.contains("clock")),
        "{:?}",
        report.future_warnings
    );
    assert_eq!(
        store::newest_good_backup(&db.path).map(|b| b.path),
        Some(report.backup.path.clone())
    );
    // Its content is from the same day as the new backup: the rotation may remove it.
    assert!(report.removed.contains(&future), "{:?}", report.removed);
}

#[cfg(unix)]
#[test]
fn the_database_backups_and_restored_file_are_owner_only_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    assert_eq!(mode(&db.path), 0o600, "a new database");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    assert_eq!(mode(&backup.path), 0o600, "a backup");
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o640)).unwrap();
    store::restore(&db.path, &backup.path, "Reception").expect("restore");
    assert_eq!(
        mode(&db.path),
        0o640,
        "the restored file keeps the mode of the one it replaced"
    );
    let csv = db.dir.path().join("out").join("recall.csv");
    needlepoint::paths::write_whole_file(&csv, b"a,b\n").expect("write");
    assert_eq!(mode(&csv), 0o600, "an export");
}

#[test]
fn a_write_that_fails_leaves_no_half_file_under_the_real_name() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("recall.csv");
    // The real name is a folder: the rename fails after the bytes are written.
    std::fs::create_dir(&target).unwrap();
    assert!(needlepoint::paths::write_whole_file(&target, b"x").is_err());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[cfg(unix)]
#[test]
fn restore_refuses_a_read_only_database_and_a_folder_with_a_message() {
    use std::os::unix::fs::PermissionsExt;
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    drop(open(&db));
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db.path).unwrap();
    let e = store::restore(&db.path, &backup.path, "Reception")
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("write-protected") && e.contains("Nothing was changed"),
        "{e}"
    );
    assert!(!e.contains(".."), "{e}");
    assert_eq!(std::fs::read(&db.path).unwrap(), before);
    let folder = db.dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let e = store::restore(&folder, &backup.path, "Reception")
        .expect_err("refused")
        .to_string();
    assert!(e.contains("is a folder") && !e.contains("restoring"), "{e}");
}

#[test]
fn a_restore_is_refused_while_the_database_is_open_in_this_process_too() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    let s = open(&db);
    let e = store::restore(&db.path, &backup.path, "Reception")
        .expect_err("refused")
        .to_string();
    assert!(e.contains("open in another Needlepoint window"), "{e}");
    drop(s);
    store::restore(&db.path, &backup.path, "Reception").expect("restore once closed");
}

#[test]
fn a_backup_while_another_window_is_saving_is_reported_as_written_not_as_nothing_saved() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let mut s = open(&db);
    // Another window in the middle of a long import: it holds the write lock.
    let other = rusqlite::Connection::open(&db.path).expect("other");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let backup = s
        .backup_now("Reception")
        .expect("the backup itself is made")
        .backup;
    other.execute_batch("ROLLBACK").expect("unlock");
    assert!(backup.path.exists());
    let note = backup.note.expect("a note");
    assert!(
        note.contains("written and verified") && note.contains("audit log"),
        "{note}"
    );
    assert!(!note.contains("Nothing was saved.."), "{note}");
}
