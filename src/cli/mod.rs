//! The command line: the arguments `main.rs` parses, and the subcommands that fill, check and
//! inspect data. Opening the window (no subcommand) and `bench` are rooms of their own, chosen
//! by `main.rs`.

use crate::startup::output::outln;
pub(crate) use crate::startup::{load_protocol, open_store, resolve_db};

mod backup;
mod check;
mod crash;
mod day;
mod demo;
mod photo;
mod print;
mod recall;
mod rights;
mod screen;
mod server;
mod staff;
pub mod who;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::protocol::Protocol;

#[derive(Debug, Parser)]
#[command(
    name = "needlepoint",
    version,
    about = "Client records, screening, depth planning and aftercare for microneedling clinics"
)]
pub struct Cli {
    /// The database file (default: needlepoint.db in the OS data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who runs a command that changes the database: a staff account's name (the password is
    /// asked for). Commands that only read record the operating-system user.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub as_name: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a database with realistic demo clients, plans, sessions and screenings.
    Demo {
        /// How many clients to create.
        #[arg(long, value_name = "N")]
        clients: usize,
        /// Seed for the random choices, so the same demo can be made again.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The date the demo is made "as of" (year-month-day); default today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Check the database file: integrity, foreign keys, audit log chain, schema version, rows per table.
    Check,
    /// Back the database up (verified copy). Default: a dated file in `backups/` beside the
    /// database, keeping 7 daily, 4 weekly and 12 monthly backups.
    Backup {
        /// Write the backup to this file (or into this folder) instead.
        #[arg(long, value_name = "PATH")]
        to: Option<PathBuf>,
    },
    /// Replace the database with a backup. The backup is checked first and the current file is
    /// backed up before it is replaced. Close Needlepoint first.
    Restore {
        /// The backup file to restore.
        from: PathBuf,
    },
    /// Screen a client from an answers file and print the outcome as JSON (writes nothing).
    Screen {
        /// The answers file: a JSON object keyed by question id (see docs/screening-answers.md).
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
        /// The areas planned for the session, as protocol area ids separated by commas.
        #[arg(long, value_name = "AREAS")]
        areas: String,
        /// The screening date (year-month-day).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The client's Fitzpatrick skin type, I to VI.
        #[arg(long, value_name = "TYPE")]
        skin_type: Option<String>,
        /// The client's date of birth (year-month-day).
        #[arg(long, value_name = "DATE")]
        born: Option<String>,
        /// A client in the database (`--db`): their skin type, date of birth and the written
        /// clearances on their file are used (instead of --skin-type and --born).
        #[arg(long, value_name = "ID", conflicts_with_all = ["skin_type", "born"])]
        client: Option<String>,
    },
    /// List every client who received a product lot (serum, cartridge or numbing cream).
    Recall {
        /// The lot number, as printed on the product.
        #[arg(long, value_name = "LOT")]
        lot: String,
        /// Write the list as CSV to this file instead of printing it.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Write a client's complete record (details, concerns, plans, sessions, screenings,
    /// amendments, audit entries) as JSON. The export is recorded in the audit log.
    Export {
        /// The client's id (shown under the name in the client record).
        #[arg(long, value_name = "ID")]
        client: String,
        /// Write to this file instead of printing.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add clients from a spreadsheet saved as CSV. Without --apply, only shows what would be
    /// added and every line's problems; adds nothing.
    Import {
        /// The CSV file; its first line names the columns (see the README).
        file: PathBuf,
        /// Add the good lines (in one transaction); lines with problems and existing clients are skipped.
        #[arg(long)]
        apply: bool,
    },
    /// Anonymise a client: remove their name, phone, email and notes, keep only the year of
    /// birth; their clinical records stay for statistics. Cannot be undone.
    #[command(alias = "anonymize")]
    Anonymise {
        /// The client's id (shown under the name in the client record).
        #[arg(long, value_name = "ID")]
        client: String,
        /// Confirm: without it nothing is changed.
        #[arg(long)]
        yes: bool,
    },
    /// Crash trials only: writes clients with their records in a loop, printing each committed
    /// client's id.
    #[command(hide = true)]
    CrashWriter {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many clients.
        #[arg(long, default_value_t = u64::MAX)]
        max: u64,
    },
    /// Measure the front desk's hot paths (search, frames, records, screening, saving) on a
    /// database of N clients, made once if needed; prints medians and 95th percentiles.
    Bench {
        /// How many clients the measured database holds.
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        clients: usize,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a sheet as PDF: aftercare for a completed session, preparation for a booked one,
    /// or a copy of a signed screening. The print is recorded in the client's record.
    Print {
        #[command(subcommand)]
        sheet: PrintCommand,
    },
    /// The day list as PDF: each practitioner's appointments with time, client, phone,
    /// treatment, room, pen, notes and flags. Recorded in the audit log.
    Day {
        /// The day (year-month-day); default today.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// The PDF file to write; default `documents/day-list-DATE.pdf` beside the database.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A day's bookings (default tomorrow) as CSV for an SMS or e-mail service: date, time,
    /// client, phone, e-mail, treatment. Nothing is sent. Recorded in the audit log.
    Reminders {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Before-and-after photos: import files, list a client's, export one.
    Photo {
        #[command(subcommand)]
        action: photo::PhotoCommand,
    },
    /// Copy a clinic's database file onto an empty clinic server database, verified there.
    Migrate {
        /// The clinic's database file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The server database: postgres://user@host/clinic (password from ~/.pgpass or asked).
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
    /// A clinic server (PostgreSQL) for several desks: create its tables.
    Server {
        #[command(subcommand)]
        action: server::ServerCommand,
    },
    /// Staff accounts: add, list, deactivate, reset a password or PIN.
    Staff {
        #[command(subcommand)]
        action: staff::StaffCommand,
    },
    /// Work with the protocol library.
    Protocol {
        #[command(subcommand)]
        action: ProtocolCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProtocolCommand {
    /// Validate a protocol file (default: the one the app would use) and summarise it.
    Check {
        /// A clinic's protocol file to validate.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// The aftercare sheet of a completed session.
    Aftercare {
        /// The session's id.
        #[arg(long, value_name = "ID")]
        session: String,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The preparation sheet of a booked session.
    Prep {
        /// The session's id.
        #[arg(long, value_name = "ID")]
        session: String,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A signed consent (or its withdrawal) with the document as signed, the drawn signature,
    /// name, date, witness and the document's hash.
    Consent {
        /// The consent's id.
        #[arg(long, value_name = "ID")]
        consent: String,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A client's progress report: before-and-after photo pairs with their dates and the
    /// treatments between them.
    Progress {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: String,
        /// A pair to print, "BEFORE_ID,AFTER_ID" (repeat for more); default the first and last
        /// photo of each area and view.
        #[arg(long, value_name = "BEFORE,AFTER")]
        pair: Vec<String>,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A copy of a signed screening for the paper file.
    Screening {
        /// The screening's id.
        #[arg(long, value_name = "ID")]
        screening: String,
        /// The PDF file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// The database a command works on, which must already exist: a file that is there, or a
/// clinic server's address (the server says itself whether the database is there). A command
/// never makes an empty database by mistake.
pub(crate) fn existing_db(db: Option<PathBuf>) -> Result<PathBuf, CliError> {
    let path = resolve_db(db)?;
    if crate::store::server_target(&path)?.is_none() && !path.exists() {
        return Err(CliError {
            message: format!("There is no database at {}. Check the path.", path.display()),
            code: 2,
        });
    }
    Ok(path)
}

/// Problems a command reports to the user, with the exit code to use.
pub struct CliError {
    pub message: String,
    pub code: u8,
}

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        Self {
            message: e.to_string(),
            code: 2,
        }
    }
}

/// Runs a subcommand (not `bench`, which `main.rs` hands to its own room) and turns its
/// result into the process's exit code, saying any problem on standard error.
pub fn run(db: Option<PathBuf>, as_name: Option<String>, command: Command) -> ExitCode {
    let who = as_name.as_deref();
    let result = match command {
        Command::Staff { action } => staff::run(db, who, action),
        Command::Server { action } => server::run(db, action),
        Command::Migrate { from, to } => server::migrate(&from, &to),
        Command::Photo { action } => photo::run(db, who, action),
        Command::Demo { clients, seed, today } => demo::run(db, clients, seed, today.as_deref()),
        Command::Check => check::run(db),
        Command::CrashWriter { seed, max } => crash::run(db, seed, max),
        Command::Backup { to } => backup::backup(db, who, to),
        Command::Restore { from } => backup::restore(db, who, &from),
        Command::Screen {
            answers,
            areas,
            date,
            skin_type,
            born,
            client,
        } => {
            let who = match client {
                Some(id) => screen::Who::OnFile { db, client: id },
                None => screen::Who::Given { skin_type, born },
            };
            screen::run(&answers, &areas, &date, who)
        }
        Command::Export { client, out } => rights::export(db, who, &client, out.as_deref()),
        Command::Import { file, apply } => rights::import(db, who, &file, apply),
        Command::Anonymise { client, yes } => rights::anonymise(db, who, &client, yes),
        Command::Bench { .. } => Err(CliError {
            message: "bench is run by the needlepoint program itself".to_owned(),
            code: 2,
        }),
        Command::Recall { lot, csv } => recall::run(db, who, &lot, csv.as_deref()),
        Command::Day { date, out } => day::day(db, who, date.as_deref(), out.as_deref()),
        Command::Reminders { date, out } => day::reminders_file(db, who, date.as_deref(), &out),
        Command::Print { sheet } => match sheet {
            PrintCommand::Aftercare { session, out } => {
                print::run(db, who, print::Kind::Aftercare, &session, &out)
            }
            PrintCommand::Prep { session, out } => print::run(db, who, print::Kind::Prep, &session, &out),
            PrintCommand::Consent { consent, out } => print::consent(db, who, &consent, &out),
            PrintCommand::Progress { client, pair, out } => print::progress(db, who, &client, &pair, &out),
            PrintCommand::Screening { screening, out } => {
                print::run(db, who, print::Kind::Screening, &screening, &out)
            }
        },
        Command::Protocol {
            action: ProtocolCommand::Check { file },
        } => protocol_check(file),
    };
    exit_code(result)
}

/// Exit 0, or say the problem on standard error and exit with its code.
pub fn exit_code(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", crate::startup::output::printable(&e.message));
            ExitCode::from(e.code)
        }
    }
}

fn protocol_check(file: Option<PathBuf>) -> Result<(), CliError> {
    let protocol = match &file {
        Some(path) => Protocol::from_file(path)?,
        None => load_protocol()?,
    };
    let gaps = protocol.areas.iter().filter(|a| a.typical_depth.is_gap()).count()
        + protocol.areas.iter().filter(|a| a.max_depth.is_gap()).count()
        + protocol.concerns.iter().filter(|c| c.depth.is_gap()).count();
    outln!("Protocol {} is valid: {}", protocol.version, protocol.title);
    outln!(
        "  {} sources, {} areas, {} concerns, {} contraindications, {} serums, {} intake questions",
        protocol.sources.len(),
        protocol.areas.len(),
        protocol.concerns.len(),
        protocol.contraindications.len(),
        protocol.serums.len(),
        protocol.intake_questions.len()
    );
    outln!("  {gaps} depth values with no published value (any depth there needs a written reason)");
    Ok(())
}
