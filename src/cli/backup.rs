//! `needlepoint backup` and `needlepoint restore`.

use super::outln;
use crate::domain::text::human_size;
use std::path::{Path, PathBuf};

use super::{existing_db, open_store, resolve_db, CliError};
use crate::store::{self, BackupInfo};

pub fn backup(db: Option<PathBuf>, who: Option<&str>, to: Option<PathBuf>) -> Result<(), CliError> {
    let path = existing_db(db)?;
    let mut store = open_store(&path)?;
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Backups)?;
    if store.is_server() {
        return server_copy(&store, &path, to);
    }
    match to {
        None => {
            let report = store.backup_now(&actor)?;
            print_backup(&report.backup);
            for removed in &report.removed {
                outln!(
                    "Removed old backup {} (keeping 7 daily, 4 weekly, 12 monthly)",
                    removed.display()
                );
            }
            if let Some(w) = report.location_warning {
                outln!("Warning: {w}");
            }
            for w in &report.future_warnings {
                outln!("Warning: {w}");
            }
        }
        Some(to) => {
            let dest = if to.is_dir() {
                to.join(store::backup_file_name(&path, store.now()))
            } else {
                to
            };
            let info = store.backup_to(&dest, &actor)?;
            print_backup(&info);
            if let Some(w) = dest.parent().and_then(crate::paths::risky_location) {
                outln!("Warning: {w}");
            }
        }
    }
    Ok(())
}

/// A clinic server's database copied into a SQLite file the clinic chooses (its photos in
/// `photos/` beside it), verified. The server's own backups are `pg_dump` and point-in-time
/// recovery (README); this copy opens in any Needlepoint.
fn server_copy(store: &store::Store, path: &Path, to: Option<PathBuf>) -> Result<(), CliError> {
    let Some(to) = to else {
        return Err(CliError {
            message: format!(
                "{} is a clinic server: its backups are the server's own (pg_dump; see the README). To take a \
                 verified copy as a database file, give --to FILE (or a folder).",
                path.display()
            ),
            code: 2,
        });
    };
    let dest = if to.is_dir() {
        to.join(format!(
            "clinic-server-{}.db",
            store.now().format("%Y-%m-%d-%H%M%S")
        ))
    } else {
        to
    };
    let report = store.backup_server_to(&dest, |table| eprintln!("copying {table} …"))?;
    outln!(
        "Copied {} into {} and verified it: {} clients, {} audit rows (chain unbroken), {} photos in {}.",
        path.display(),
        dest.display(),
        report.clients,
        report.audit_rows,
        report.photos,
        store::photo_files::photos_dir(&dest).display()
    );
    Ok(())
}

fn print_backup(info: &BackupInfo) {
    outln!(
        "Backup written and verified: {} ({})",
        info.path.display(),
        human_size(info.size)
    );
    if let Some(note) = &info.note {
        outln!("Note: {note}.");
    }
}

pub fn restore(db: Option<PathBuf>, who: Option<&str>, from: &Path) -> Result<(), CliError> {
    let path = resolve_db(db)?;
    // A database that does not open (the usual reason to restore) cannot say who may: the
    // operating-system user is recorded.
    let actor = match open_store(&path) {
        Ok(mut current) => {
            let actor = super::who::writer(&mut current, who, crate::domain::Act::Backups)?;
            current.close()?;
            actor
        }
        Err(_) => super::who::os_user(),
    };
    let report = store::restore(&path, from, &actor)?;
    outln!(
        "Restored {} from {}",
        path.display(),
        report.restored_from.display()
    );
    if let Some(kept) = report.previous_kept_at {
        match report.previous {
            store::Previous::Damaged(problem) => outln!(
                "The file it replaced did not pass its check ({problem}); its bytes were kept as they were at {}",
                kept.display()
            ),
            store::Previous::ForeignJournal => outln!(
                "The file it replaced had a journal file (-wal) from another database beside it; \
                 the journal was not applied, and both were kept as they were at {}",
                kept.display()
            ),
            store::Previous::None | store::Previous::Verified => {
                outln!("The file it replaced was kept at {}", kept.display());
            }
        }
    }
    Ok(())
}
