//! The command line as a clinic's IT person uses it: make a demo database, check it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint, text};

#[test]
fn demo_then_check_reports_the_clients_wal_and_clean_checks() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("x.db");
    let db = db.to_str().expect("utf-8 path");
    let demo = needlepoint(&["demo", "--clients", "1000", "--db", db, "--today", "2026-11-22"]);
    assert!(demo.status.success(), "{}", text(&demo));
    assert!(text(&demo).contains("Created 1000 clients"), "{}", text(&demo));

    let check = needlepoint(&["check", "--db", db]);
    let out = text(&check);
    assert!(check.status.success(), "{out}");
    assert!(out.contains("Journal mode: wal"), "{out}");
    assert!(out.contains("Integrity check: ok"), "{out}");
    assert!(out.contains("Foreign key check: ok"), "{out}");
    let clients_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("clients "))
        .expect("clients row");
    assert!(clients_line.trim_end().ends_with(" 1000"), "{clients_line}");
    for table in [
        "sessions",
        "session_areas",
        "screenings",
        "audit_log",
        "treatment_plans",
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{table} ")))
            .expect("row");
        let n: u64 = line
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .expect("count");
        assert!(n > 0, "{table} is empty: {out}");
    }
}

#[test]
fn check_refuses_a_file_that_is_not_a_database_without_changing_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "just some notes, not a database ".repeat(100)).expect("write");
    let before = std::fs::read(&path).expect("read");
    let out = needlepoint(&["check", "--db", path.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a Needlepoint database"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn bad_arguments_get_a_message_not_a_panic() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("y.db");
    let out = needlepoint(&[
        "demo",
        "--clients",
        "10",
        "--db",
        db.to_str().expect("p"),
        "--today",
        "22/11/2026",
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("year-month-day"), "{}", text(&out));
    let out = needlepoint(&["check", "--db", "/no/such/folder/clinic.db"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("no database"), "{}", text(&out));
    let out = needlepoint(&["protocol", "check"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("is valid"), "{}", text(&out));
}

#[test]
fn check_piped_into_a_reader_that_quits_early_ends_quietly() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("x.db");
    let db = db.to_str().expect("utf-8 path");
    let demo = needlepoint(&["demo", "--clients", "20", "--db", db, "--today", "2026-11-22"]);
    assert!(demo.status.success(), "{}", text(&demo));

    // As `needlepoint check | head -0`: the reader has gone before the first line is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(["check", "--db", db])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run needlepoint");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "status {:?}: {stderr}", out.status);
}
