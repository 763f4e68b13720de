//! `needlepoint bench [--clients N] [--db PATH] [--json]`: makes the bench database once if
//! needed, measures, prints the table (or JSON).

use std::path::PathBuf;

use crate::startup::output::{out_text, outln};
use crate::startup::{load_protocol, open_store};

use super::BenchError;

/// The seed of the bench's demo data, so every bench database of one size is the same.
const DEMO_SEED: u64 = 42;

pub fn run(db: Option<PathBuf>, clients: usize, json: bool) -> Result<(), BenchError> {
    let protocol = load_protocol()?;
    // A bench database of its own by default: the bench adds (and archives) a few bench clients.
    let path = match db {
        Some(p) => p,
        None => std::env::temp_dir().join(format!("needlepoint-bench-{clients}.db")),
    };
    let today = chrono::Local::now().date_naive();
    let on_server = crate::store::server_target(&path)
        .map_err(|e| BenchError::Setup(e.to_string()))?
        .is_some();
    let existing = if on_server || path.exists() {
        open_store(&path)?.client_count(true)?
    } else {
        0
    };
    if existing < clients {
        if existing > 0 {
            return Err(BenchError::Setup(format!(
                "{} holds {existing} clients, fewer than the {clients} asked for. Give another --db, or \
                 delete it to have it made again.",
                path.display()
            )));
        }
        eprintln!(
            "Making a database of {clients} demo clients in {} (once) …",
            path.display()
        );
        let mut store = open_store(&path)?;
        // Progress about every 5 %, so a million-client run shows it is still going.
        let step = (clients / 20).max(1);
        let mut next_report = step;
        crate::demo::generate(&mut store, &protocol, clients, today, DEMO_SEED, |done, total| {
            if done >= next_report {
                eprintln!("  {done} of {total} clients");
                next_report = done + step;
            }
        })?;
    }
    let report = super::run(&path, &protocol, today, |what| eprintln!("measuring: {what}"))?;
    if json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| BenchError::Setup(e.to_string()))?;
        outln!("{text}");
    } else {
        out_text(format_args!("{}", super::table(&report)));
    }
    Ok(())
}
