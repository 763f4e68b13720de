//! `needlepoint bench [--clients N] [--db PATH] [--json]`.

use super::outln;
use std::path::PathBuf;

use super::{load_protocol, CliError};

pub fn run(db: Option<PathBuf>, clients: usize, json: bool) -> Result<(), CliError> {
    let protocol = load_protocol()?;
    // A bench database of its own by default: the bench adds (and archives) a few bench clients.
    let path = match db {
        Some(p) => p,
        None => std::env::temp_dir().join(format!("needlepoint-bench-{clients}.db")),
    };
    let today = chrono::Local::now().date_naive();
    let existing = if path.exists() {
        super::open_store(&path)?.client_count(true)?
    } else {
        0
    };
    if existing < clients {
        if existing > 0 {
            return Err(CliError {
                message: format!(
                    "{} holds {existing} clients, fewer than the {clients} asked for. Give another --db, or \
                     delete it to have it made again.",
                    path.display()
                ),
                code: 2,
            });
        }
        eprintln!(
            "Making a database of {clients} demo clients in {} (once) …",
            path.display()
        );
        super::demo::run(Some(path.clone()), clients, 42, None)?;
    }
    let report =
        crate::bench::run(&path, &protocol, today, |what| eprintln!("measuring: {what}")).map_err(|e| {
            CliError {
                message: e.to_string(),
                code: 2,
            }
        })?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        super::output::out_text(format_args!("{}", crate::bench::table(&report)));
    }
    Ok(())
}
