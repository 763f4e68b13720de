//! Faults and bad input: damaged, truncated, foreign and newer files are refused untouched
//! (and the command line points at the newest good backup); read-only files and folders open
//! read-only; a full disk fails a save cleanly; two windows share one file; every text field
//! of a client keeps any script, and over-long fields are refused by name.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, open, temp_db, TempDb};
use needlepoint::domain::{ClientDetails, DomainError};
use needlepoint::store::{Store, StoreError};
use rand::{RngCore, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A database with a few clients, closed.
fn filled() -> TempDb {
    let db = temp_db();
    let mut s = open(&db);
    for i in 0..40 {
        let c = client(&format!("Client {i}"), "1980-01-01", Some("0412 555 010"));
        s.write("Reception", |w| w.insert_client(&c)).expect("save");
    }
    s.close().expect("close");
    db
}

fn cli_check(db: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(["check", "--db"])
        .arg(db)
        .output()
        .expect("run")
}

/// Opens `db`, expects a refusal, and checks the file's bytes did not change.
fn refused_untouched(db: &TempDb) -> StoreError {
    let before = std::fs::read(&db.path).expect("read");
    let e = Store::open(&db.path).expect_err("refused");
    assert_eq!(std::fs::read(&db.path).expect("read"), before, "the file changed");
    e
}

#[test]
fn random_bytes_over_the_header_are_refused_untouched_with_the_backup_named() {
    let db = filled();
    let backup = open(&db).backup_now("Reception").expect("backup").backup;
    let mut bytes = std::fs::read(&db.path).expect("read");
    rand::rngs::SmallRng::seed_from_u64(7).fill_bytes(&mut bytes[..100]);
    std::fs::write(&db.path, &bytes).expect("write");
    let e = refused_untouched(&db);
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
    assert!(e.to_string().contains("restore a backup"), "{e}");

    let out = cli_check(&db.path);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a Needlepoint database"), "{stderr}");
    assert!(stderr.contains(&backup.path.display().to_string()), "{stderr}");
    assert!(stderr.contains("needlepoint restore"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read(&db.path).expect("read"), bytes);
}

#[test]
fn a_truncated_file_is_refused_untouched() {
    let db = filled();
    let bytes = std::fs::read(&db.path).expect("read");
    assert!(bytes.len() > 8192, "{}", bytes.len());
    std::fs::write(&db.path, &bytes[..bytes.len() / 2]).expect("write");
    let e = refused_untouched(&db);
    assert!(matches!(e, StoreError::Damaged { .. }), "{e:?}");
    assert!(e.to_string().contains("cut short"), "{e}");
    // No backup beside it: the message says what is wrong without pointing at one.
    let out = cli_check(&db.path);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("damaged") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn a_file_cut_to_a_few_bytes_or_not_a_database_is_refused_untouched() {
    for content in [
        b"SQLite".to_vec(),
        b"name,born\nAda,1985-12-10\n".repeat(300),
        vec![0u8; 4096],
    ] {
        let db = temp_db();
        std::fs::write(&db.path, &content).expect("write");
        let e = refused_untouched(&db);
        assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
        assert!(!db.dir.path().join("clinic.db-wal").exists());
    }
}

#[test]
fn a_newer_schema_is_refused_untouched_from_the_cli_too() {
    let db = filled();
    open(&db).execute_raw("PRAGMA user_version = 42").expect("bump");
    let e = refused_untouched(&db);
    assert!(matches!(e, StoreError::NewerSchema { found: 42, .. }), "{e:?}");
    let out = cli_check(&db.path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer version of Needlepoint"));
}

/// Makes paths unwritable for this process: permissions, or (as root, whom permissions do not
/// stop) the immutable attribute. Undone on drop.
struct ReadOnly {
    immutable: Vec<PathBuf>,
    chmodded: Vec<(PathBuf, u32)>,
}

impl ReadOnly {
    fn make(paths: &[&Path]) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        let mut guard = ReadOnly {
            immutable: Vec::new(),
            chmodded: Vec::new(),
        };
        for p in paths {
            let mode = std::fs::metadata(p).expect("meta").permissions().mode();
            let ro = if p.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(ro)).expect("chmod");
            guard.chmodded.push((p.to_path_buf(), mode));
        }
        if paths.iter().all(|p| !writable(p)) {
            return Some(guard);
        }
        for p in paths {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(p)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("cannot make {} read-only here (no chattr); skipping", p.display());
                return None;
            }
            guard.immutable.push(p.to_path_buf());
        }
        paths.iter().all(|p| !writable(p)).then_some(guard)
    }
}

fn writable(p: &Path) -> bool {
    if p.is_dir() {
        let probe = p.join(".probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(probe);
        ok
    } else {
        std::fs::OpenOptions::new().append(true).open(p).is_ok()
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for p in self.immutable.iter().rev() {
            let _ = Command::new("chattr").arg("-i").arg(p).status();
        }
        for (p, mode) in self.chmodded.iter().rev() {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(*mode));
        }
    }
}

fn assert_reads_but_refuses_writes(db: &TempDb, before: &[u8]) {
    let mut s = Store::open(&db.path).expect("opens read-only");
    assert!(s.is_read_only());
    assert_eq!(s.client_count(false).expect("read"), 40);
    let c = client("New Client", "1990-01-01", None);
    let e = s
        .write("Reception", |w| w.insert_client(&c))
        .expect_err("refused");
    assert!(matches!(e, StoreError::ReadOnly), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");
    assert!(s.check().expect("check").is_clean());
    drop(s);
    assert_eq!(std::fs::read(&db.path).expect("read"), before);
}

#[test]
fn a_read_only_file_opens_read_only() {
    let db = filled();
    let before = std::fs::read(&db.path).expect("read");
    let Some(_guard) = ReadOnly::make(&[&db.path]) else {
        return;
    };
    assert_reads_but_refuses_writes(&db, &before);
}

#[test]
fn a_read_only_database_writes_no_export_it_cannot_record() {
    let db = filled();
    let out_dir = tempfile::tempdir().expect("dir");
    let out = out_dir.path().join("recall.csv");
    let Some(_guard) = ReadOnly::make(&[&db.path]) else {
        return;
    };
    let mut s = Store::open(&db.path).expect("opens read-only");
    let recall = needlepoint::store::ExportOf::Recall {
        lot: "HA-2611",
        sessions: 1,
    };
    let e = s
        .write_export("Reception", &out, b"a,b\n", recall)
        .expect_err("refused");
    assert!(
        matches!(
            e,
            needlepoint::store::ExportError::NotRecorded(StoreError::ReadOnly)
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("read-only"), "{e}");
    assert!(!out.exists(), "no export without its audit row");
}

#[test]
fn a_read_only_folder_opens_read_only() {
    let db = filled();
    let before = std::fs::read(&db.path).expect("read");
    assert!(!db.dir.path().join("clinic.db-wal").exists());
    let Some(_guard) = ReadOnly::make(&[&db.path, db.dir.path()]) else {
        return;
    };
    assert_reads_but_refuses_writes(&db, &before);
}

#[test]
fn a_read_only_folder_with_unsaved_journal_is_refused_with_a_clear_message() {
    let db = filled();
    // Changes still in the journal (-wal), as after a crash: copy the file and its journal
    // while a connection holds them, into a folder of their own.
    let away = tempfile::tempdir().expect("dir");
    let moved = away.path().join("clinic.db");
    {
        let conn = rusqlite::Connection::open(&db.path).expect("raw");
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; UPDATE clients SET notes = 'late change';")
            .expect("write");
        std::fs::copy(&db.path, &moved).expect("copy");
        std::fs::copy(
            db.dir.path().join("clinic.db-wal"),
            away.path().join("clinic.db-wal"),
        )
        .expect("copy wal");
    }
    let Some(_guard) = ReadOnly::make(&[&moved, &away.path().join("clinic.db-wal"), away.path()]) else {
        return;
    };
    match Store::open(&moved) {
        // SQLite managed to read the journal: then the late change must be visible.
        Ok(s) => {
            assert!(s.is_read_only());
            let hits = s.client_page(0, 1, false).expect("page");
            let c = s.client(hits[0].id).expect("read").expect("found");
            assert_eq!(c.details.notes, "late change");
        }
        Err(e) => {
            let text = e.to_string();
            eprintln!("refused: {text}");
            assert!(text.contains("-wal") && text.contains("read-only"), "{text}");
        }
    }
}

#[test]
fn a_read_only_database_shows_a_banner_and_refuses_saving_in_the_app() {
    use egui_kittest::kittest::Queryable;
    let db = filled();
    let Some(_guard) = ReadOnly::make(&[&db.path]) else {
        return;
    };
    let store = Store::open(&db.path).expect("open");
    let app = needlepoint::ui::NeedlepointApp::new(
        store,
        needlepoint::protocol::Protocol::shipped().expect("protocol"),
        crate::common::date("2026-11-22"),
    )
    .signed_in_as(crate::common::LEAD);
    let mut h = egui_kittest::Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1280.0, 960.0))
        .build_eframe(|_| app);
    h.run();
    h.get_by_label_contains("Read-only:");
    // Ctrl+N would open the new-client form: refused with the reason instead.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    let status = h.state().status_text().unwrap_or_default().to_owned();
    assert!(status.contains("read-only"), "{status}");
    assert!(h.query_by_label("Save client").is_none());
}

#[test]
fn a_full_disk_fails_the_save_cleanly() {
    let db = temp_db();
    let mut s = open(&db);
    // Room for a little more than the schema.
    s.set_max_page_count(60).expect("limit");
    let mut saved = Vec::new();
    let failure = loop {
        let mut c = client(&format!("Client {}", saved.len()), "1980-01-01", None);
        c.details.notes = "x".repeat(3000);
        match s.write("Reception", |w| w.insert_client(&c)) {
            Ok(()) => saved.push(c),
            Err(e) => break (e, c),
        }
        assert!(saved.len() < 10_000, "never filled");
    };
    let (e, lost) = failure;
    assert!(matches!(e, StoreError::DiskFull), "{e:?}");
    assert!(e.to_string().starts_with("The disk is full"), "{e}");
    // Nothing half-written: the failed client and its audit row are absent, the rest intact.
    assert_eq!(s.client(lost.id).expect("read"), None);
    assert!(s
        .audit_for_record(&lost.id.to_string())
        .expect("audit")
        .is_empty());
    for c in &saved {
        assert!(s.client(c.id).expect("read").is_some());
    }
    let report = s.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    drop(s);
    let s = open(&db);
    assert_eq!(s.client_count(false).expect("count"), saved.len());
}

#[test]
fn two_stores_on_one_file_write_alternately_and_see_each_other() {
    let db = temp_db();
    let mut a = open(&db);
    let mut b = open(&db);
    let mut ids = Vec::new();
    for i in 0..50 {
        let c = client(&format!("Client {i}"), "1980-01-01", None);
        let (writer, reader) = if i % 2 == 0 { (&mut a, &b) } else { (&mut b, &a) };
        writer
            .write("Reception", |w| w.insert_client(&c))
            .expect("no busy error");
        assert_eq!(
            reader.client(c.id).expect("read"),
            Some(c.clone()),
            "the other sees it"
        );
        ids.push(c.id);
    }
    assert_eq!(a.client_count(false).expect("count"), 50);
    assert!(a.check().expect("check").is_clean());
}

#[test]
fn two_stores_writing_at_once_from_two_threads_do_not_fail_with_busy() {
    let db = temp_db();
    drop(open(&db));
    let path = db.path.clone();
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open_with_clock(&path, crate::common::fixed_now).expect("open");
                for i in 0..40 {
                    let c = client(&format!("Thread {t} client {i}"), "1980-01-01", None);
                    s.write("Reception", |w| w.insert_client(&c)).expect("save");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let s = open(&db);
    assert_eq!(s.client_count(false).expect("count"), 80);
    assert!(s.check().expect("check").is_clean());
}

const SCRIPTS: &[&str] = &[
    "Zoë 👩🏽‍⚕️ Łukasz",
    "محمد عبد الله",
    "שָׁלוֹם עֲלֵיכֶם",
    "Nguyễn Thị Bích",
    "e\u{301}\u{302}\u{303} a\u{20dd}",
    "李雷 김민지 山田太郎",
    "\u{202e}reversed\u{202c} and \u{200d}joiner",
];

#[test]
fn every_text_field_of_a_client_keeps_any_script() {
    let db = temp_db();
    let mut s = open(&db);
    for (i, text) in SCRIPTS.iter().enumerate() {
        let mut c = client(text, "1980-01-01", None);
        c.details.phone = Some(format!("+61 ☎ {i} ٠٤١٢"));
        c.details.email = Some(format!("{}@例え.jp", text.replace(' ', "")));
        c.details.notes = format!("{text}\n{text}\t🩹 notes");
        s.write("Reception 👩‍💼", |w| w.insert_client(&c)).expect("save");
        assert_eq!(s.client(c.id).expect("read"), Some(c.clone()), "{text}");
        let mut after = c.details.clone();
        after.full_name = format!("{text} ✓");
        s.write("Reception", |w| w.update_client(c.id, &c.details, &after))
            .expect("update");
        assert_eq!(s.client(c.id).expect("read").expect("found").details, after);
    }
    drop(s);
    let s = open(&db);
    assert_eq!(s.client_count(false).expect("count"), SCRIPTS.len());
    assert!(s.check().expect("check").is_clean());
}

type Spoil = Box<dyn Fn(&mut ClientDetails)>;

#[test]
fn over_long_fields_are_refused_with_the_fields_name() {
    let db = temp_db();
    let mut s = open(&db);
    let base = client("Ada Lovelace", "1980-01-01", None);
    // At the limit, counted in characters (each emoji is one): accepted.
    let mut at_limit = base.clone();
    at_limit.details.full_name = "👩".repeat(120);
    s.write("Reception", |w| w.insert_client(&at_limit))
        .expect("120 characters fit");
    let cases: Vec<(&str, Spoil)> = vec![
        ("Full name", Box::new(|d| d.full_name = "é".repeat(121))),
        ("Phone", Box::new(|d| d.phone = Some("1".repeat(41)))),
        (
            "Email",
            Box::new(|d| d.email = Some(format!("{}@example.com", "a".repeat(250)))),
        ),
        ("Notes", Box::new(|d| d.notes = "🩹".repeat(4001))),
    ];
    for (field, spoil) in cases {
        let mut c = base.clone();
        c.id = needlepoint::domain::ClientId::new();
        spoil(&mut c.details);
        let e = s
            .write("Reception", |w| w.insert_client(&c))
            .expect_err("refused");
        assert!(
            matches!(&e, StoreError::Invalid(DomainError::TooLong { field: f, .. }) if *f == field),
            "{field}: {e:?}"
        );
        assert!(e.to_string().contains(field), "{e}");
        assert_eq!(s.client(c.id).expect("read"), None);
        // An update is refused the same way.
        let e = s
            .write("Reception", |w| {
                w.update_client(at_limit.id, &at_limit.details, &c.details)
            })
            .expect_err("refused");
        assert!(e.to_string().contains(field), "{e}");
    }
}

#[test]
fn the_problem_window_shows_the_message_and_closes() {
    use egui_kittest::kittest::Queryable;
    let message = "clinic.db is not a Needlepoint database (or it is damaged).".to_owned();
    let mut closed = false;
    let mut h = egui_kittest::Harness::new_ui(|ui| {
        closed |= needlepoint::ui::problem_ui(ui, &message);
    });
    h.run();
    h.get_by_label_contains("could not open the clinic's database");
    h.get_by_label_contains("is not a Needlepoint database");
    h.get_by_label("Close").click();
    h.run();
    drop(h);
    assert!(closed);
}
