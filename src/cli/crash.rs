//! `needlepoint crash-writer` (hidden): writes realistic changes through the store in a loop
//! and reports each one on stdout after its commit returns, for the crash trials
//! (`tests/it/crash_trials.rs`), which kill it at a random moment and check what survived.
//!
//! Reports, one a line: `client ID` (a client saved with concerns, plan, sessions and
//! screenings in one transaction) and `notes ID N` (that client's notes updated to
//! `Visit note N`; N grows within a run).

use std::io::Write;
use std::path::PathBuf;

use super::{load_protocol, open_store, resolve_db, CliError};
use crate::demo::DemoWriter;
use crate::store::StoreError;

pub fn run(db: Option<PathBuf>, seed: u64, max: u64) -> Result<(), CliError> {
    let path = resolve_db(db)?;
    let protocol = load_protocol()?;
    let mut store = open_store(&path)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut writer = DemoWriter::new(&mut store, today, seed)?;
    let mut out = std::io::stdout().lock();
    let mut saved = Vec::new();
    for n in 0..max {
        let id = writer.next_client(&mut store, &protocol)?;
        // Only now is the client committed: report it, and make sure the report is out.
        writeln!(out, "client {id}").and_then(|()| out.flush())?;
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
            writeln!(out, "notes {target} {n}").and_then(|()| out.flush())?;
        }
    }
    Ok(())
}
