//! Crash trials: a writer process saves realistic records (clients with concerns, plans,
//! sessions and signed screenings, one transaction each; updates of clients' notes; imports of
//! 20 clients from a CSV; backups with their rotation; restores of its newest backup) and
//! reports each after it returns; it is killed with SIGKILL at a random moment. Every reported
//! change must survive (a reported restore resets what is expected to that backup's content),
//! an import is all or nothing, every file under a backup's name is whole, and the database
//! must pass `integrity_check`, `foreign_key_check` and the audit chain, and open with
//! `Store::open`. 30 trials by default; `NEEDLEPOINT_CRASH_TRIALS=N` runs N,
//! `NEEDLEPOINT_CRASH_SEED` picks the random delays, `NEEDLEPOINT_CRASH_FIRST` the first trial
//! number (trial t runs the writer with seed t + 1), and `NEEDLEPOINT_BIN` a copy of the program
//! (so a long run is not disturbed by a rebuild).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use needlepoint::store::Store;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, OpenFlags};
use std::collections::{HashMap, HashSet};
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
    let bin =
        std::env::var("NEEDLEPOINT_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_needlepoint").to_owned());
    let mut child = Command::new(bin)
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

/// What the writers reported: clients saved, the latest notes update reported per client,
/// imports done; the same for each backup made (what a restore of it brings back); and the
/// operation a kill interrupted, if any.
#[derive(Default, Clone)]
struct Reported {
    clients: HashSet<String>,
    notes: HashMap<String, u64>,
    imports: HashMap<String, i64>,
}

#[derive(Default)]
struct Model {
    now: Reported,
    backups: HashMap<String, Reported>,
    /// `importing` or `restoring` with no report of its end: the kill came during it.
    pending: Option<(String, String, i64)>,
    restores: usize,
    imports: usize,
    backups_made: usize,
}

impl Model {
    fn add(&mut self, lines: &[String]) {
        self.pending = None;
        for line in lines {
            let parts: Vec<&str> = line.splitn(3, ' ').collect();
            match parts.as_slice() {
                ["client", id] => {
                    self.now.clients.insert((*id).to_owned());
                }
                ["notes", id, n] => {
                    let n: u64 = n.parse().expect("number");
                    let e = self.now.notes.entry((*id).to_owned()).or_default();
                    *e = (*e).max(n);
                }
                ["backup", path] => {
                    self.backups.insert((*path).to_owned(), self.now.clone());
                    self.backups_made += 1;
                }
                ["importing", tag, k] => {
                    self.pending = Some(("import".to_owned(), (*tag).to_owned(), k.parse().expect("k")));
                }
                ["imported", tag, k] => {
                    self.pending = None;
                    self.now.imports.insert((*tag).to_owned(), k.parse().expect("k"));
                    self.imports += 1;
                }
                ["restoring", path] => self.pending = Some(("restore".to_owned(), (*path).to_owned(), 0)),
                ["restored", path] => {
                    self.pending = None;
                    self.now = self
                        .backups
                        .get(*path)
                        .cloned()
                        .expect("a restore of a reported backup");
                    self.restores += 1;
                }
                _ => panic!("unexpected report {line:?}"),
            }
        }
    }

    /// Settles an operation the kill interrupted by what the file holds: it happened or not.
    fn settle(&mut self, db: &std::path::Path) {
        let Some((what, name, k)) = self.pending.take() else {
            return;
        };
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("raw open");
        if what == "import" {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM clients WHERE full_name LIKE ?1",
                    [format!("Crash Import {name} %")],
                    |r| r.get(0),
                )
                .expect("count");
            assert!(
                n == 0 || n == k,
                "an interrupted import left {n} of its {k} clients"
            );
            if n == k {
                self.now.imports.insert(name, k);
            }
        } else {
            let file = std::path::Path::new(&name)
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let done: i64 = conn
                .query_row(
                    "SELECT count(*) FROM audit_log WHERE action = 'restore' AND record_id = ?1",
                    [file],
                    |r| r.get(0),
                )
                .expect("count");
            if done > 0 {
                self.now = self
                    .backups
                    .get(&name)
                    .cloned()
                    .expect("a restore of a reported backup");
            }
        }
    }
}

/// Checks the folder's database after a kill; false when the kill came before it existed.
fn check_file(db: &std::path::Path, reported: &Reported, trial: usize) -> bool {
    // A kill while the first writer of a folder was still creating the database leaves no
    // file under its name (it is made whole under a temporary name first): nothing was
    // committed there yet, so nothing can be missing; the next writer creates it.
    if !db.exists() {
        assert!(
            reported.clients.is_empty() && reported.notes.is_empty() && reported.imports.is_empty(),
            "trial {trial}: {} is gone although commits to it were reported",
            db.display()
        );
        return false;
    }
    // Every file under a backup's name is whole.
    for b in needlepoint::store::list_backups(db).expect("list") {
        let conn =
            Connection::open_with_flags(&b.path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open backup");
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(
            ok,
            "ok",
            "trial {trial}: {} is a backup's name on a bad file",
            b.path.display()
        );
    }
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
        for (tag, k) in &reported.imports {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM clients WHERE full_name LIKE ?1",
                    [format!("Crash Import {tag} %")],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(n, *k, "trial {trial}: import {tag} has {n} of its {k} clients");
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
    true
}

#[test]
fn killed_writers_lose_nothing_they_reported_and_leave_a_whole_file() {
    let n = trials();
    let first: usize = std::env::var("NEEDLEPOINT_CRASH_FIRST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let dir = tempfile::tempdir().expect("dir");
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        std::env::var("NEEDLEPOINT_CRASH_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20261122),
    );
    let started = Instant::now();
    let mut model = Model::default();
    let (mut clients, mut notes, mut restores, mut imports, mut backups) = (0, 0, 0, 0, 0);
    let mut killed_mid_run = 0;
    let mut updates = 0;
    let mut interrupted = 0;
    let mut before_the_file = 0;
    for trial in first..first + n {
        // A fresh folder every TRIALS_PER_FILE trials keeps a long run's checks (and its kept
        // copies) from growing with every trial; each file still sees a hundred kills on top of
        // each other.
        let folder = dir.path().join(format!("file-{}", trial / TRIALS_PER_FILE));
        if trial % TRIALS_PER_FILE == 0 || trial == first {
            clients += model.now.clients.len();
            notes += model.now.notes.len();
            (restores, imports, backups) = (
                restores + model.restores,
                imports + model.imports,
                backups + model.backups_made,
            );
            model = Model::default();
            if trial > first {
                let _ =
                    std::fs::remove_dir_all(dir.path().join(format!("file-{}", trial / TRIALS_PER_FILE - 1)));
            }
            std::fs::create_dir_all(&folder).expect("folder");
        }
        let db = folder.join("crash.db");
        let delay = Duration::from_millis(rng.random_range(10..=400));
        let reported = one_trial(&db, trial as u64 + 1, delay);
        if !reported.is_empty() {
            killed_mid_run += 1;
        }
        updates += reported.iter().filter(|l| l.starts_with("notes ")).count();
        model.add(&reported);
        if model.pending.is_some() {
            interrupted += 1;
        }
        model.settle(&db);
        if !check_file(&db, &model.now, trial) {
            before_the_file += 1;
        }
    }
    clients += model.now.clients.len();
    notes += model.now.notes.len();
    (restores, imports, backups) = (
        restores + model.restores,
        imports + model.imports,
        backups + model.backups_made,
    );
    eprintln!(
        "{n} crash trials (from {first}) in {:.1} s: {clients} committed clients, {updates} updates, {imports} imports, {backups} backups and {restores} restores reported, all present; {interrupted} kills during an import or a restore; {killed_mid_run} trials killed after at least one commit; {before_the_file} killed while creating the database (no file under its name, as it should be)",
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
                .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
                .count()
        })
        .unwrap_or(0);
    eprintln!(
        "10 killed backups in {:.1} s: {finished} finished and verified, {partial} half-written copies left under a temporary name",
        started.elapsed().as_secs_f64()
    );
}
