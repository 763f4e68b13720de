//! `needlepoint crash-writer` (hidden): writes realistic changes through the store in a loop
//! and reports each one on stdout after it returns, for the crash trials
//! (`tests/it/crash_trials.rs`), which kill it at a random moment and check what survived.
//!
//! Reports, one a line:
//! - `client ID`: a client saved with concerns, plan, sessions and screenings in one transaction;
//! - `notes ID N`: that client's notes updated to `Visit note N` (N grows within a run);
//! - `backup PATH`: a verified backup made (`backup_now`, with its rotation);
//! - `importing TAG K`, then `imported TAG K`: K clients named `Crash Import TAG …` about to be
//!   imported from a CSV, then imported (one transaction: all K or none);
//! - `restoring PATH`, then `restored PATH`: this run's newest backup about to be restored,
//!   then restored (the database is that backup's content from then on).
//!
//! The operations follow from `--seed`, so a failing trial can be replayed.

use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use super::{load_protocol, open_store, resolve_db, CliError};
use crate::demo::DemoWriter;
use crate::store::StoreError;

/// Clients in each import.
const IMPORT_CLIENTS: usize = 20;

fn say(out: &mut impl Write, line: &str) -> std::io::Result<()> {
    writeln!(out, "{line}").and_then(|()| out.flush())
}

pub fn run(db: Option<PathBuf>, seed: u64, max: u64) -> Result<(), CliError> {
    let path = resolve_db(db)?;
    if crate::store::server_target(&path)?.is_some() {
        return run_on_server(&path, seed, max);
    }
    let protocol = load_protocol()?;
    let mut store = open_store(&path)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut writer = DemoWriter::new(&mut store, today, seed)?;
    let mut rng = rand::rngs::SmallRng::seed_from_u64(seed ^ 0x5eed);
    let mut out = std::io::stdout().lock();
    let mut saved = Vec::new();
    // This run's backups, with how many of `saved` each holds.
    let mut backups: Vec<(PathBuf, usize)> = Vec::new();
    let mut restored_from: HashMap<PathBuf, ()> = HashMap::new();
    for n in 0..max {
        let id = writer.next_client(&mut store, &protocol)?;
        // Only now is the client committed: report it, and make sure the report is out.
        say(&mut out, &format!("client {id}"))?;
        saved.push(id);
        // Every other round, update an earlier client of this run.
        if n % 2 == 1 {
            let Some(&target) = saved.get(usize::try_from(n).unwrap_or(0) % saved.len()) else {
                continue;
            };
            let before = store
                .client(target)?
                .ok_or(StoreError::NotFound { what: "client" })?;
            let mut after = before.details.clone();
            after.notes = format!("Visit note {n}");
            store.write("Crash trial", |w| {
                w.update_client(target, &before.details, &after)
            })?;
            say(&mut out, &format!("notes {target} {n}"))?;
        }
        match rng.random_range(0..12) {
            0..=2 => {
                let report = store.backup_now("Crash trial")?;
                say(&mut out, &format!("backup {}", report.backup.path.display()))?;
                backups.push((report.backup.path, saved.len()));
            }
            3 | 4 => {
                let tag = format!("{seed}x{n}");
                let mut csv = String::from("full_name,date_of_birth,skin_type\n");
                for k in 0..IMPORT_CLIENTS {
                    csv.push_str(&format!("Crash Import {tag} {k},1980-01-01,III\n"));
                }
                say(&mut out, &format!("importing {tag} {IMPORT_CLIENTS}"))?;
                let preview = crate::import::preview(csv.as_bytes(), "crash.csv", &store, today)?;
                let report = crate::import::apply(&preview, &mut store, "Crash trial")?;
                if report.added.len() != IMPORT_CLIENTS {
                    return Err(CliError {
                        message: format!("import added {} of {IMPORT_CLIENTS}", report.added.len()),
                        code: 2,
                    });
                }
                say(&mut out, &format!("imported {tag} {IMPORT_CLIENTS}"))?;
            }
            5 => {
                // Restore this run's newest backup, once (rotation keeps the newest).
                let Some((from, held)) = backups.last().cloned() else {
                    continue;
                };
                if restored_from.contains_key(&from) || !from.exists() {
                    continue;
                }
                restored_from.insert(from.clone(), ());
                say(&mut out, &format!("restoring {}", from.display()))?;
                store.close()?;
                crate::store::restore(&path, &from, "Crash trial")?;
                say(&mut out, &format!("restored {}", from.display()))?;
                store = open_store(&path)?;
                saved.truncate(held);
            }
            _ => {}
        }
    }
    Ok(())
}

/// On a clinic server (the multi-desk trials, `tests/it/server_desks.rs`): clients and notes
/// only (backups and restores are the server's own), and a server that goes away mid-write is
/// waited for: the failed write is not reported (it may or may not have been kept; a retry is
/// a new client, so nothing is ever saved twice) and the loop carries on once it is back.
fn run_on_server(path: &std::path::Path, seed: u64, max: u64) -> Result<(), CliError> {
    let protocol = load_protocol()?;
    let mut store = open_store(path)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut writer = loop {
        match DemoWriter::new(&mut store, today, seed) {
            Ok(w) => break w,
            Err(e) if e.is_server_gone() => std::thread::sleep(std::time::Duration::from_millis(200)),
            Err(e) => return Err(e.into()),
        }
    };
    let mut out = std::io::stdout().lock();
    let mut saved = Vec::new();
    for n in 0..max {
        match writer.next_client(&mut store, &protocol) {
            Ok(id) => {
                say(&mut out, &format!("client {id}"))?;
                saved.push(id);
            }
            Err(e) if e.is_server_gone() || matches!(e, StoreError::Busy) => {
                say(&mut out, &format!("lost {e}"))?;
                std::thread::sleep(std::time::Duration::from_millis(200));
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        if n % 2 == 1 {
            let Some(&target) = saved.get(usize::try_from(n).unwrap_or(0) % saved.len()) else {
                continue;
            };
            let result = store.client(target).and_then(|before| {
                let before = before.ok_or(StoreError::NotFound { what: "client" })?;
                let mut after = before.details.clone();
                after.notes = format!("Visit note {n}");
                store.write("Crash trial", |w| {
                    w.update_client(target, &before.details, &after)
                })
            });
            match result {
                Ok(()) => say(&mut out, &format!("notes {target} {n}"))?,
                Err(e) if e.is_server_gone() || matches!(e, StoreError::Busy) => {
                    say(&mut out, &format!("lost {e}"))?;
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
