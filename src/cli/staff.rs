//! `needlepoint staff add|list|deactivate|reset`: accounts for a scripted set-up. Passwords and
//! PINs are read from a prompt (or standard input's lines), never from the command line.

use std::path::PathBuf;

use clap::Subcommand;

use super::who::{read_secret, writer};
use super::{open_store, outln, resolve_db, CliError};
use crate::domain::{Act, Role, StaffDraft};

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add an account; its password and PIN are asked for (or read from standard input's first
    /// two lines). The first account of a database must be the clinical lead's.
    Add {
        #[arg(long)]
        name: String,
        /// clinical_lead, practitioner, front_desk or admin.
        #[arg(long)]
        role: String,
        /// Professional registration number.
        #[arg(long)]
        registration: Option<String>,
    },
    /// List the accounts.
    List,
    /// Deactivate an account (its signatures stay; it can no longer sign in or sign).
    Deactivate {
        #[arg(long)]
        name: String,
    },
    /// Set a new password (--password) or PIN (--pin) for an account, asked for at a prompt.
    Reset {
        #[arg(long)]
        name: String,
        #[arg(long, conflicts_with = "pin")]
        password: bool,
        #[arg(long)]
        pin: bool,
    },
}

pub fn run(db: Option<PathBuf>, as_name: Option<&str>, command: StaffCommand) -> Result<(), CliError> {
    let path = resolve_db(db)?;
    let mut store = open_store(&path)?;
    match command {
        StaffCommand::List => {
            for s in store.staff()? {
                outln!(
                    "{}\t{}\t{}\t{}",
                    s.name,
                    s.role,
                    s.registration.as_deref().unwrap_or("-"),
                    if s.active { "active" } else { "inactive" }
                );
            }
        }
        StaffCommand::Add {
            name,
            role,
            registration,
        } => {
            let role = Role::from_code(role.trim()).ok_or_else(|| CliError {
                message: format!(
                    "\"{role}\" is not a role: use clinical_lead, practitioner, front_desk or admin."
                ),
                code: 2,
            })?;
            let actor = writer(&mut store, as_name, Act::ManageStaff)?;
            let password = read_secret(&format!("Password for {name} (10 characters or more): "))?;
            let pin = read_secret(&format!("PIN for {name} (4 to 8 digits): "))?;
            let draft = StaffDraft {
                name,
                role: Some(role),
                registration: registration.unwrap_or_default(),
                password_again: password.clone(),
                password,
                pin,
            };
            let new = draft.validate()?;
            let added = store.write(&actor, |w| w.add_staff(&new))?;
            outln!("Added {} as {}", added.name, added.role);
        }
        StaffCommand::Deactivate { name } => {
            let actor = writer(&mut store, as_name, Act::ManageStaff)?;
            let member = found(&store, &name)?;
            store.write(&actor, |w| w.set_staff_active(member.id, false))?;
            outln!("Deactivated {}", member.name);
        }
        StaffCommand::Reset { name, password, pin } => {
            let actor = writer(&mut store, as_name, Act::ManageStaff)?;
            let member = found(&store, &name)?;
            if pin {
                let new = read_secret(&format!("New PIN for {}: ", member.name))?;
                store.write(&actor, |w| w.reset_pin(member.id, &new))?;
                outln!("PIN reset for {}", member.name);
            } else if password {
                let new = read_secret(&format!("New password for {}: ", member.name))?;
                store.write(&actor, |w| w.reset_password(member.id, &new))?;
                outln!("Password reset for {}", member.name);
            } else {
                return Err(CliError {
                    message: "Say what to reset: --password or --pin.".to_owned(),
                    code: 2,
                });
            }
        }
    }
    store.close()?;
    Ok(())
}

fn found(store: &crate::store::Store, name: &str) -> Result<crate::domain::StaffMember, CliError> {
    store.staff_by_name(name)?.ok_or_else(|| CliError {
        message: format!("No account is called \"{name}\". `needlepoint staff list` shows them."),
        code: 2,
    })
}
