//! `needlepoint server init`: Needlepoint's tables in an empty database on a clinic server.

use clap::Subcommand;
use std::path::PathBuf;

use super::{outln, CliError};
use crate::store::{server_target, StoreError};

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
