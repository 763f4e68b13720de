//! `needlepoint server init`: Needlepoint's tables in an empty database on a clinic server.

use clap::Subcommand;
use std::path::PathBuf;

use super::{outln, CliError};
use crate::store::{server_target, StoreError};

/// `needlepoint migrate --from clinic.db --to postgres://…`: the clinic copied onto its server.
pub fn migrate(from: &std::path::Path, to: &str) -> Result<(), CliError> {
    let target = crate::store::PgTarget::parse(to)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>22} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let report = crate::startup::with_server_password(std::path::Path::new(to), |password| {
        crate::store::migrate_to_server(from, &target, password, chrono::Utc::now(), |p| {
            bar.set_length(p.rows_total);
            bar.set_position(p.rows_done);
            bar.set_message(p.table.clone());
        })
    })
    .map_err(|e| CliError {
        message: e.to_string(),
        code: 2,
    });
    bar.finish_and_clear();
    let report = report?;
    outln!("Copied {} onto {}:", from.display(), target.shown());
    for (table, rows) in &report.tables {
        outln!("  {table}: {rows} rows (the same on both)");
    }
    outln!(
        "Verified on the server: the audit log ({} rows, chain unbroken), every signed record as it was signed, the Today lists in step.",
        report.audit_rows
    );
    outln!(
        "The file is unchanged. Desks now connect with --db {}",
        target.shown()
    );
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create Needlepoint's tables in an empty server database (--db postgres://user@host/clinic).
    /// Refused if the database holds anything already.
    Init,
}

pub fn run(db: Option<PathBuf>, action: ServerCommand) -> Result<(), CliError> {
    let ServerCommand::Init = action;
    let Some(path) = db else {
        return Err(CliError {
            message: "Give the server database with --db postgres://user@host/clinic".to_owned(),
            code: 2,
        });
    };
    let Some(target) = server_target(&path)? else {
        return Err(CliError {
            message: format!(
                "{} is a file; `server init` creates the tables on a clinic server. Give --db postgres://user@host/clinic \
                 (a file is set up by opening it)",
                path.display()
            ),
            code: 2,
        });
    };
    let made = crate::startup::with_server_password(&path, |password| {
        crate::store::init_server(&target, password, chrono::Utc::now())
    })
    .map_err(|e: StoreError| CliError {
        message: e.to_string(),
        code: 2,
    })?;
    outln!(
        "Created Needlepoint's tables on {} (server schema version {}). Desks connect with --db {}",
        made.address,
        made.version,
        made.address
    );
    Ok(())
}
