//! `needlepoint demo --clients N`.

use super::outln;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Instant;

use super::{load_protocol, resolve_db, CliError};
use crate::domain::client::parse_date;

/// Above this many clients a progress bar is worth showing.
const PROGRESS_FROM: usize = 2_000;

pub fn run(db: Option<PathBuf>, clients: usize, seed: u64, today: Option<&str>) -> Result<(), CliError> {
    if clients == 0 {
        return Err(CliError {
            message: "Give at least one client: --clients 1000".to_owned(),
            code: 2,
        });
    }
    let today = match today {
        Some(t) => parse_date(t)?,
        None => chrono::Local::now().date_naive(),
    };
    let path = resolve_db(db)?;
    let protocol = load_protocol()?;
    let mut store = super::open_store(&path)?;
    let bar = if clients >= PROGRESS_FROM {
        let bar = ProgressBar::new(u64::try_from(clients).unwrap_or(u64::MAX));
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} clients ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("Creating demo data");
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let summary = crate::demo::generate(&mut store, &protocol, clients, today, seed, |done, _| {
        bar.set_position(u64::try_from(done).unwrap_or(u64::MAX));
    })?;
    bar.finish_and_clear();
    outln!(
        "Created {} clients, {} plans, {} sessions, {} screenings and {} photos in {} in {:.1} s",
        summary.clients,
        summary.plans,
        summary.sessions,
        summary.screenings,
        summary.photos,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
