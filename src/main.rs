//! The `needlepoint` program: with no subcommand it opens the window, `bench` measures the
//! desk's hot paths, anything else is a command-line subcommand.

use std::process::ExitCode;

use clap::Parser;
use needlepoint::cli::{self, Cli, CliError, Command};

fn main() -> ExitCode {
    let args = Cli::parse();
    needlepoint::startup::init_logging();
    match args.command {
        None => cli::exit_code(needlepoint::ui::run(args.db).map_err(CliError::from)),
        Some(Command::Bench { clients, json }) => {
            cli::exit_code(needlepoint::bench::command::run(args.db, clients, json).map_err(CliError::from))
        }
        Some(command) => cli::run(args.db, args.as_name, command),
    }
}
