//! Backups and restore: verified dated copies beside the database, rotation, a bad copy
//! deleted and reported, restore checked before it replaces anything, CLI commands.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, open, temp_db, TempDb};
use needlepoint::domain::{AuditAction, Client};
use needlepoint::store::{self, list_backups, Store, StoreError};
use rusqlite::Connection;
use std::path::Path;

fn with_client(db: &TempDb, name: &str) -> Client {
    let mut s = open(db);
    let c = client(name, "1980-01-01", None);
    s.write("Reception", |w| w.insert_client(&c)).expect("save");
    c
}

fn has_client(path: &Path, c: &Client) -> bool {
    let s = Store::open(path).expect("open");
    s.client(c.id).expect("read").is_some()
}

fn integrity(path: &Path) -> String {
    let conn = Connection::open(path).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check")
}

fn cli(args: &[&str], db: &Path) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    let db = db.to_str().expect("path");
    all.extend(["--db", db]);
    crate::common::cli::needlepoint_as_lead(&all)
}

#[test]
fn a_backup_is_a_verified_dated_copy_in_backups_with_an_audit_row() {
    let db = temp_db();
    let c = with_client(&db, "Ada Lovelace");
    let mut s = open(&db);
    let report = s.backup_now("Reception").expect("backup");
    let b = &report.backup;
    assert_eq!(b.path.parent().expect("dir"), db.dir.path().join("backups"));
    assert_eq!(b.file_name(), "clinic-2026-11-22-093000-000.db");
    assert!(b.size > 0);
    assert_eq!(integrity(&b.path), "ok");
    assert!(has_client(&b.path, &c));
    // A single self-contained file: no journal beside it.
    assert!(!db
        .dir
        .path()
        .join("backups/clinic-2026-11-22-093000-000.db-wal")
        .exists());
    let listed = list_backups(&db.path).expect("list");
    assert_eq!(listed, vec![b.clone()]);
    let audit = s.audit_for_record(&b.file_name()).expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Backup);
    // A second backup at the same (fixed) time gets the next free name.
    let second = s.backup_now("Reception").expect("backup");
    assert_ne!(second.backup.path, b.path);
    assert!(second.backup.path.exists());
}

#[test]
fn a_copy_that_fails_its_check_is_deleted_and_reported() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let mut s = open(&db);
    let dest = db.dir.path().join("backups").join("bad.db");
    let e = s
        .backup_to_with_hook(&dest, &needlepoint::domain::Actor::named("Reception"), |copy| {
            // Scribble over the second half of the copy.
            let mut bytes = std::fs::read(copy).expect("read");
            let half = bytes.len() / 2;
            for b in &mut bytes[half..] {
                *b = 0x5a;
            }
            std::fs::write(copy, bytes).expect("write");
        })
        .expect_err("refused");
    assert!(matches!(e, StoreError::BackupDamaged { .. }), "{e:?}");
    assert!(e.to_string().contains("deleted"), "{e}");
    let left: Vec<_> = std::fs::read_dir(db.dir.path().join("backups"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(s.audit_for_record("bad.db").expect("audit").is_empty());
}

#[test]
fn copies_left_half_written_by_an_interrupted_backup_are_cleared_when_old() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let dir = store::backup_dir(&db.path);
    std::fs::create_dir_all(&dir).expect("dir");
    let old = dir.join("clinic-2026-11-01-093000-000.db.partial");
    let fresh = dir.join("clinic-2026-11-22-093000-500.db.partial");
    std::fs::write(&old, b"half").expect("write");
    std::fs::write(&fresh, b"half").expect("write");
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .expect("open")
        .set_modified(two_hours_ago)
        .expect("age it");
    open(&db).backup_now("Reception").expect("backup");
    assert!(!old.exists(), "an old half-written copy is removed");
    assert!(fresh.exists(), "one being written now is left alone");
}

#[test]
fn rotation_removes_backups_the_policy_does_not_keep() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let mut s = open(&db);
    let first = s.backup_now("Reception").expect("backup").backup;
    let dir = store::backup_dir(&db.path);
    // Three backups on one old day, and one each on 20 older days.
    let now = crate::common::fixed_now();
    let mut made = Vec::new();
    for h in 0..3 {
        made.push(now - chrono::Duration::days(40) - chrono::Duration::hours(h));
    }
    for d in 0..20 {
        made.push(now - chrono::Duration::days(2 + d));
    }
    for t in &made {
        std::fs::copy(&first.path, dir.join(store::backup_file_name(&db.path, *t))).expect("copy");
    }
    std::fs::write(dir.join("notes.txt"), "not a backup").expect("write");
    let removed = store::rotate_backups(&db.path, now).expect("rotate");
    let left = list_backups(&db.path).expect("list");
    assert_eq!(left.len() + removed.len(), 24);
    assert!(left.len() <= 7 + 4 + 12, "{}", left.len());
    assert!(left.iter().any(|b| b.path == first.path), "today's backup kept");
    // Of the three on one day, only the newest stays.
    let old_day = (now - chrono::Duration::days(40)).date_naive();
    assert!(left.iter().filter(|b| b.taken_at.date_naive() == old_day).count() <= 1);
    assert!(dir.join("notes.txt").exists(), "other files are left alone");
}

#[test]
fn backup_due_after_a_day() {
    let now = crate::common::fixed_now();
    assert!(store::backup_due(&[], now));
    let b = |hours: i64| store::BackupInfo {
        path: "x".into(),
        taken_at: now - chrono::Duration::hours(hours),
        size: 1,
        content: None,
        note: None,
    };
    assert!(!store::backup_due(&[b(23)], now));
    assert!(store::backup_due(&[b(25)], now));
    assert!(!store::backup_due(&[b(25), b(2)], now));
}

#[test]
fn restore_brings_back_the_backup_and_keeps_the_replaced_file() {
    let db = temp_db();
    let kept = with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    let later = with_client(&db, "Grace Hopper");
    let report = store::restore(&db.path, &backup.path, "Reception").expect("restore");
    assert!(has_client(&db.path, &kept));
    assert!(!has_client(&db.path, &later), "the restored file is the backup's");
    let previous = report.previous_kept_at.expect("kept");
    assert!(
        has_client(&previous, &later),
        "the replaced file was backed up first"
    );
    let s = open(&db);
    let report = s.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    let name = backup.file_name();
    let audit = s.audit_for_record(&name).expect("audit");
    assert!(
        audit.iter().any(|a| a.action == AuditAction::Restore),
        "{audit:?}"
    );
    assert!(!db.dir.path().join("clinic.db.restoring").exists());
}

#[test]
fn restore_refuses_a_damaged_or_foreign_or_newer_file_and_changes_nothing() {
    let db = temp_db();
    with_client(&db, "Ada Lovelace");
    let good = open(&db).backup_now("Reception").expect("backup").backup;
    drop(open(&db));
    let before = std::fs::read(&db.path).expect("read");
    let backups_before = list_backups(&db.path).expect("list").len();

    let damaged = db.dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good.path).expect("read");
    let n = bytes.len();
    for b in &mut bytes[n / 2..] {
        *b = 0xa5;
    }
    std::fs::write(&damaged, bytes).expect("write");
    let foreign = db.dir.path().join("notes.db");
    std::fs::write(&foreign, "Ada,1985-12-10\n".repeat(500)).expect("write");
    let newer = db.dir.path().join("newer.db");
    std::fs::copy(&good.path, &newer).expect("copy");
    Connection::open(&newer)
        .expect("open")
        .execute_batch("PRAGMA user_version = 99")
        .expect("bump");
    let missing = db.dir.path().join("missing.db");

    for (from, words) in [
        (&damaged, "damaged"),
        (&foreign, "not a Needlepoint database"),
        (&newer, "newer version"),
        (&missing, "no such file"),
    ] {
        let e = store::restore(&db.path, from, "Reception").expect_err("refused");
        assert!(matches!(e, StoreError::RestoreRefused { .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.contains(words) && text.contains("Nothing was changed"),
            "{text}"
        );
        assert_eq!(
            std::fs::read(&db.path).expect("read"),
            before,
            "{from:?} changed the file"
        );
        assert_eq!(list_backups(&db.path).expect("list").len(), backups_before);
        assert!(!db.dir.path().join("clinic.db.restoring").exists());
    }
}

#[test]
fn restore_removes_a_stale_journal_of_the_replaced_file() {
    let db = temp_db();
    let kept = with_client(&db, "Ada Lovelace");
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    with_client(&db, "Grace Hopper");
    // A journal left by something else: garbage that must not be applied to the restored file.
    let wal = db.dir.path().join("clinic.db-wal");
    std::fs::write(&wal, vec![7u8; 4096]).expect("write");
    store::restore(&db.path, &backup.path, "Reception").expect("restore");
    assert!(has_client(&db.path, &kept));
    assert!(open(&db).check().expect("check").is_clean());
}

#[test]
fn cli_backup_and_restore() {
    let db = temp_db();
    let kept = with_client(&db, "Ada Lovelace");
    let out = cli(&["backup"], &db.path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Backup written and verified"), "{stdout}");
    let to = db.dir.path().join("usb");
    std::fs::create_dir(&to).expect("dir");
    let out = cli(&["backup", "--to", to.to_str().expect("utf8")], &db.path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy = std::fs::read_dir(&to)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        // Beside it: the `.anchor` file with its audit head.
        .find(|p| p.extension().is_some_and(|x| x == "db"))
        .expect("a file");
    assert_eq!(integrity(&copy), "ok");

    let later = with_client(&db, "Grace Hopper");
    let out = cli(&["restore", copy.to_str().expect("utf8")], &db.path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("was kept at"));
    assert!(has_client(&db.path, &kept));
    assert!(!has_client(&db.path, &later));

    let out = cli(&["restore", "/nonexistent/backup.db"], &db.path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was not restored"));
}

mod in_the_app {
    use super::*;
    use egui_kittest::kittest::Queryable;
    use egui_kittest::Harness;
    use needlepoint::protocol::Protocol;
    use needlepoint::ui::NeedlepointApp;

    fn harness(db: &TempDb) -> Harness<'static, NeedlepointApp> {
        let app = NeedlepointApp::new(
            open(db),
            Protocol::shipped().expect("protocol"),
            crate::common::date("2026-11-22"),
        )
        .signed_in_as(crate::common::LEAD);
        let mut h = Harness::builder()
            .with_max_steps(10_000)
            .with_size(egui::vec2(1280.0, 960.0))
            .build_eframe(|cc| {
                needlepoint::ui::fonts::install(&cc.egui_ctx);
                app
            });
        h.run();
        h
    }

    #[test]
    fn settings_lists_backups_and_restores_one_after_confirming() {
        let db = temp_db();
        let kept = with_client(&db, "Ada Lovelace");
        let backup = open(&db).backup_now("Reception").expect("backup").backup;
        let later = with_client(&db, "Grace Hopper");
        let mut h = harness(&db);
        h.get_by_label("Settings").click();
        h.run();
        h.get_by_label_contains("Taken (UTC)");
        let when = backup.taken_at.format("%Y-%m-%d %H:%M:%S").to_string();
        h.get_by_label(&format!("Restore {when}")).click();
        h.run();
        h.get_by_label("Restore this backup?");
        h.get_by_label("Restore this backup").click();
        h.run();
        let status = h.state().status_text().unwrap_or_default().to_owned();
        assert!(status.contains("Restored the backup"), "{status}");
        assert!(h.state().store().client(kept.id).expect("read").is_some());
        assert!(h.state().store().client(later.id).expect("read").is_none());
        // The data it replaced is kept in backups/kept, outside the rotation (not in the list).
        assert_eq!(h.state().backups().len(), 1, "{:?}", h.state().backups());
        // One kept database (beside it, its audit anchor).
        let kept_copies = std::fs::read_dir(store::kept_dir(&db.path))
            .expect("kept")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "db"))
            })
            .count();
        assert_eq!(kept_copies, 1);
        assert!(h.state().store().check().expect("check").is_clean());
    }

    #[test]
    fn a_damaged_backup_is_not_restored_and_the_app_keeps_working() {
        let db = temp_db();
        let kept = with_client(&db, "Ada Lovelace");
        let good = open(&db).backup_now("Reception").expect("backup").backup;
        // A file with a backup's name whose second half is scribbled over.
        let taken = crate::common::fixed_now() - chrono::Duration::days(3);
        let bad = store::backup_dir(&db.path).join(store::backup_file_name(&db.path, taken));
        let mut bytes = std::fs::read(&good.path).expect("read");
        let n = bytes.len();
        bytes[n / 2..].fill(0x33);
        std::fs::write(&bad, bytes).expect("write");
        let mut h = harness(&db);
        h.get_by_label("Settings").click();
        h.run();
        let when = taken.format("%Y-%m-%d %H:%M:%S").to_string();
        h.get_by_label(&format!("Restore {when}")).click();
        h.run();
        h.get_by_label("Restore this backup").click();
        h.run();
        let status = h.state().status_text().unwrap_or_default().to_owned();
        assert!(
            status.contains("was not restored") && status.contains("Nothing was changed"),
            "{status}"
        );
        assert!(h.state().store().client(kept.id).expect("read").is_some());
        assert!(!h.state().store().is_read_only());
        assert_eq!(h.state().backups().len(), 2, "nothing new, nothing lost");
    }

    #[test]
    fn back_up_now_runs_in_the_background_and_lists_the_new_backup() {
        let db = temp_db();
        with_client(&db, "Ada Lovelace");
        let mut h = harness(&db);
        h.get_by_label("Settings").click();
        h.run();
        h.get_by_label_contains("No backups yet.");
        h.get_by_label("Back up now").click();
        h.run();
        h.state_mut().wait_for_backup();
        h.run();
        assert_eq!(h.state().backups().len(), 1);
        let status = h.state().status_text().unwrap_or_default().to_owned();
        assert!(status.contains("Backup saved and checked"), "{status}");
    }

    #[test]
    fn closing_the_window_makes_a_backup() {
        use eframe::App;
        let db = temp_db();
        let c = with_client(&db, "Ada Lovelace");
        let mut app = NeedlepointApp::new(
            open(&db),
            Protocol::shipped().expect("protocol"),
            crate::common::date("2026-11-22"),
        )
        .signed_in_as(crate::common::LEAD);
        app.on_exit(None);
        let list = list_backups(&db.path).expect("list");
        assert_eq!(list.len(), 1);
        assert!(has_client(&list[0].path, &c));
    }

    #[test]
    fn an_automatic_backup_runs_only_when_the_newest_is_over_a_day_old() {
        let db = temp_db();
        with_client(&db, "Ada Lovelace");
        let ctx = egui::Context::default();
        let mk = || {
            NeedlepointApp::new(
                open(&db),
                Protocol::shipped().expect("protocol"),
                crate::common::date("2026-11-22"),
            )
            .signed_in_as(crate::common::LEAD)
        };
        let mut app = mk().with_automatic_backup(&ctx);
        assert!(app.backup_running(), "no backup yet: one is made");
        app.wait_for_backup();
        assert_eq!(app.backups().len(), 1);
        // The clock is fixed: the backup just made is newer than a day.
        let app = mk().with_automatic_backup(&ctx);
        assert!(!app.backup_running());
    }

    #[test]
    fn a_failed_automatic_backup_is_reported_in_the_status_line() {
        let db = temp_db();
        with_client(&db, "Ada Lovelace");
        // A file where the backup folder should be: the backup cannot be written.
        std::fs::write(db.dir.path().join("backups"), "in the way").expect("write");
        let mut h = harness(&db);
        let ctx = h.ctx.clone();
        let mut app = std::mem::replace(
            h.state_mut(),
            NeedlepointApp::new(
                Store::open_in_memory().expect("memory"),
                Protocol::shipped().expect("protocol"),
                crate::common::date("2026-11-22"),
            )
            .signed_in_as(crate::common::LEAD),
        )
        .with_automatic_backup(&ctx);
        assert!(app.backup_running());
        app.wait_for_backup();
        let status = app.status_text().unwrap_or_default().to_owned();
        assert!(status.contains("The backup failed"), "{status}");
    }
}
