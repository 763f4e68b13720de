//! Starting Needlepoint, shared by the window, the command line and the bench: which database
//! file, which protocol, opening the store (or saying why not, with the way back), logging,
//! and standard output that survives a closed pipe. One floor below `ui`, `cli` and `bench`,
//! so none of them reaches into another.

pub mod desk_database;
pub mod output;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::protocol::{Protocol, ProtocolError};
use crate::store::{Store, StoreError};

/// Why Needlepoint could not start, worded for whoever reads the console or the problem window.
#[derive(Debug, Error)]
pub enum StartupError {
    #[error("No data folder could be found for this user. Give a database file with --db PATH.")]
    NoDataFolder,
    #[error("Could not create the data folder {}: {source}", dir.display())]
    DataFolder { dir: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// The database did not open; `message` already names the newest good backup, if any.
    #[error("{message}")]
    Open {
        message: String,
        #[source]
        source: StoreError,
    },
    #[error(transparent)]
    DeskFile(#[from] desk_database::DeskFileError),
    #[error("Could not open the window: {0}")]
    Window(String),
}

/// The database from `--db`, else the clinic server chosen for this desk in Settings, else
/// the default file in the data folder (the folder created if missing).
pub fn resolve_db(db: Option<PathBuf>) -> Result<PathBuf, StartupError> {
    if let Some(path) = db {
        return Ok(path);
    }
    if let Some(dir) = crate::paths::data_dir() {
        if let Some(server) = desk_database::chosen_database(&dir)? {
            return Ok(server);
        }
    }
    let path = crate::paths::default_db().ok_or(StartupError::NoDataFolder)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| StartupError::DataFolder {
            dir: dir.to_owned(),
            source,
        })?;
    }
    Ok(path)
}

/// The protocol the app uses: the clinic's own file in the data folder, else the shipped one.
pub fn load_protocol() -> Result<Protocol, StartupError> {
    Ok(Protocol::for_clinic(crate::paths::data_dir().as_deref())?)
}

/// Opens the database, or explains why not; when the file is damaged and a good backup exists
/// beside it, the message names that backup and the command that restores it.
pub fn open_store(path: &Path) -> Result<Store, StartupError> {
    with_server_password(path, |_| Store::open(path)).map_err(|source| StartupError::Open {
        message: open_failure_message(path, &source),
        source,
    })
}

/// Runs `connect`; where a clinic server refuses the sign-in and someone is at the terminal,
/// asks for the password (never echoed, never on the command line), keeps it for this run and
/// tries once more. `connect` is given the password typed, if any.
pub fn with_server_password<T>(
    path: &Path,
    connect: impl Fn(Option<&str>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    use std::io::IsTerminal;
    match connect(None) {
        Err(StoreError::ServerSignIn { address, problem }) if std::io::stdin().is_terminal() => {
            let Ok(Some(target)) = crate::store::server_target(path) else {
                return Err(StoreError::ServerSignIn { address, problem });
            };
            let password =
                rpassword::prompt_password(format!("Password for {}: ", target.shown())).map_err(|e| {
                    StoreError::ServerSignIn {
                        address: address.clone(),
                        problem: format!("the password could not be read ({e})"),
                    }
                })?;
            crate::store::remember_password(&target, &password);
            connect(Some(&password))
        }
        other => other,
    }
}

/// The message for a database that did not open, with the way back when there is one.
pub fn open_failure_message(path: &Path, e: &StoreError) -> String {
    let mut message = e.to_string();
    if matches!(
        e,
        StoreError::NotADatabase { .. } | StoreError::Damaged { .. } | StoreError::Open { .. }
    ) {
        if let Some(good) = crate::store::newest_good_backup(path) {
            message.push_str(&format!(
                "\n\nThe newest good backup is {} (taken {} UTC). To restore it, close Needlepoint and run:\n  needlepoint restore \"{}\" --db \"{}\"",
                good.path.display(),
                good.taken_at.format("%Y-%m-%d %H:%M"),
                good.path.display(),
                path.display()
            ));
        }
    }
    message
}

/// Logs to standard error; `NEEDLEPOINT_LOG` sets the level (default: warnings).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEEDLEPOINT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // A second call (tests) keeps the first subscriber.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init()
        .ok();
}
