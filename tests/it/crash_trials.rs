//! Crash trials: a writer process saves realistic records (clients with concerns, plans,
//! sessions and signed screenings, one transaction each; and updates of clients' notes) and
//! reports each after its commit returns; it is killed with SIGKILL at a random moment. Every
//! reported commit must survive, and the file must pass `integrity_check`, `foreign_key_check` and the audit chain,
//! and open with `Store::open`. 30 trials by default; `NEEDLEPOINT_CRASH_TRIALS=N` runs N.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use needlepoint::store::Store;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Trials that share one database file.
const TRIALS_PER_FILE: usize = 100;

fn trials() -> usize {
    std::env::var("NEEDLEPOINT_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

/// Runs the writer for `delay` and kills it; returns the ids it reported as committed.
fn one_trial(db: &std::path::Path, seed: u64, delay: Duration) -> Vec<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(["crash-writer", "--seed", &seed.to_string(), "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn writer");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    std::thread::sleep(delay);
    // SIGKILL on Unix: no destructors, no flush, no checkpoint.
    let _ = child.kill();
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let text = reader.join().expect("reader");
    // A writer that stopped by itself failed: that is a finding, not a crash.
    assert!(
        status.code().is_none() || status.success(),
        "writer exited by itself: {status:?}\n{stderr}"
    );
    // Only complete lines are reports; a line cut by the kill was not fully written.
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    complete.lines().map(str::to_owned).collect()
}

/// What the writers reported: clients saved, and the latest notes update reported per client.
#[derive(Default)]
struct Reported {
    clients: Vec<String>,
    notes: HashMap<String, u64>,
}

impl Reported {
    fn add(&mut self, lines: &[String]) {
        for line in lines {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["client", id] => self.clients.push((*id).to_owned()),
                ["notes", id, n] => {
                    let n: u64 = n.parse().expect("number");
                    let e = self.notes.entry((*id).to_owned()).or_default();
                    *e = (*e).max(n);
                }
                _ => panic!("unexpected report {line:?}"),
            }
        }
    }
}

fn check_file(db: &std::path::Path, reported: &Reported, trial: usize) {
    {
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE).expect("raw open");
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity");
        assert_eq!(integrity, "ok", "trial {trial}");
        let fk: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 0, "trial {trial}: foreign key problems");
    }
    // A kill while the file was being created leaves no tables yet: opening finishes that.
    let store = Store::open(db).unwrap_or_else(|e| panic!("trial {trial}: Store::open: {e}"));
    let report = store.check().expect("check");
    assert!(report.is_clean(), "trial {trial}: {report:?}");
    drop(store);
    {
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("raw open");
        let mut stmt = conn
            .prepare("SELECT count(*) FROM clients WHERE id = ?1")
            .expect("prepare");
        for id in &reported.clients {
            let n: i64 = stmt.query_row([id], |r| r.get(0)).expect("query");
            assert_eq!(n, 1, "trial {trial}: reported client {id} is missing");
        }
        // A reported update is there (or a later one, committed just before the kill).
        let mut stmt = conn
            .prepare("SELECT notes FROM clients WHERE id = ?1")
            .expect("prepare");
        for (id, n) in &reported.notes {
            let notes: String = stmt.query_row([id], |r| r.get(0)).expect("query");
            let found: u64 = notes
                .strip_prefix("Visit note ")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("trial {trial}: client {id} lost its notes update {n}: {notes:?}"));
            assert!(
                found >= *n,
                "trial {trial}: client {id} has update {found}, {n} was reported"
            );
        }
        // Each saved client was saved whole: with its audit row.
        let orphans: i64 = conn
            .query_row(
                "SELECT count(*) FROM clients c WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.record_id = c.id)",
                [],
                |r| r.get(0),
            )
            .expect("orphans");
        assert_eq!(orphans, 0, "trial {trial}: a client without its audit row");
    }
}

#[test]
fn killed_writers_lose_nothing_they_reported_and_leave_a_whole_file() {
    let n = trials();
    let dir = tempfile::tempdir().expect("dir");
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        std::env::var("NEEDLEPOINT_CRASH_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20261122),
    );
    let started = Instant::now();
    let mut all = Reported::default();
    let (mut clients, mut notes) = (0, 0);
    let mut killed_mid_run = 0;
    let mut updates = 0;
    for trial in 0..n {
        // A fresh file every TRIALS_PER_FILE trials keeps a long run's checks from growing with
        // every trial; each file still sees a hundred kills on top of each other.
        if trial % TRIALS_PER_FILE == 0 {
            clients += all.clients.len();
            notes += all.notes.len();
            all = Reported::default();
        }
        let db = dir.path().join(format!("crash-{}.db", trial / TRIALS_PER_FILE));
        let delay = Duration::from_millis(rng.random_range(10..=300));
        let reported = one_trial(&db, trial as u64 + 1, delay);
        if !reported.is_empty() {
            killed_mid_run += 1;
        }
        updates += reported.iter().filter(|l| l.starts_with("notes ")).count();
        all.add(&reported);
        check_file(&db, &all, trial);
    }
    clients += all.clients.len();
    notes += all.notes.len();
    eprintln!(
        "{n} crash trials in {:.1} s: {clients} committed clients and {updates} updates reported, all present; {killed_mid_run} trials killed after at least one commit",
        started.elapsed().as_secs_f64(),
    );
    assert!(clients > 0, "no trial got as far as a commit");
    assert!(notes > 0, "no trial got as far as an update");
}

#[test]
fn the_crash_writer_is_hidden_from_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .arg("--help")
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("backup") && help.contains("restore"), "{help}");
    assert!(!help.contains("crash"), "{help}");
}

#[test]
fn a_backup_killed_midway_never_leaves_a_bad_file_under_a_backups_name() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("clinic.db");
    let made = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(["demo", "--clients", "800", "--today", "2026-11-22", "--db"])
        .arg(&db)
        .output()
        .expect("demo");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let mut rng = rand::rngs::SmallRng::seed_from_u64(11);
    let started = Instant::now();
    for trial in 0..10 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
            .args(["backup", "--db"])
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.random_range(5..=400)));
        let _ = child.kill();
        let _ = child.wait();
        for b in needlepoint::store::list_backups(&db).expect("list") {
            let conn = Connection::open_with_flags(&b.path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
            let ok: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .expect("check");
            assert_eq!(
                ok,
                "ok",
                "trial {trial}: {} is a backup's name on a bad file",
                b.path.display()
            );
        }
        let store = Store::open(&db).expect("open");
        assert!(store.check().expect("check").is_clean(), "trial {trial}");
    }
    let finished = needlepoint::store::list_backups(&db).expect("list").len();
    let partial = std::fs::read_dir(dir.path().join("backups"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
                .count()
        })
        .unwrap_or(0);
    eprintln!(
        "10 killed backups in {:.1} s: {finished} finished and verified, {partial} half-written copies left under a temporary name",
        started.elapsed().as_secs_f64()
    );
}
