//! Who runs a command, for the audit log. A command that changes the database runs as a staff
//! account: `--as NAME`, with that person's password typed at a prompt (or, when standard input
//! is not a terminal, read from its first line, for scripts). A command that only reads needs no
//! one and records nothing. On a database with no accounts yet (made before sign-in existed),
//! changes are recorded under the operating-system user until the first account is made.

use std::io::{BufRead, IsTerminal};

use super::CliError;
use crate::credentials;
use crate::domain::{Act, Actor};
use crate::store::Store;

/// The operating-system user, as the audit log names them.
pub fn os_user() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    Actor::named(&format!("OS user {user} (command line)"))
}

/// Reads a secret: a prompt without echo on a terminal, else the next line of standard input.
pub fn read_secret(prompt: &str) -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map_err(CliError::from);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

fn refused(message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code: 2,
    }
}

/// The actor of a command that changes the database and needs `act`.
pub fn writer(store: &mut Store, as_name: Option<&str>, act: Act) -> Result<Actor, CliError> {
    if !store.has_staff()? {
        return Ok(os_user());
    }
    let Some(name) = as_name else {
        return Err(refused(
            "Say who you are: add --as \"YOUR NAME\" (your staff account); you will be asked for your password.",
        ));
    };
    let member = store.staff_by_name(name)?;
    let password = read_secret(&format!("Password for {name}: "))?;
    // A name with no account is checked against nothing and refused in the same words.
    let right = match &member {
        Some(m) => credentials::verify_secret(&password, &store.stored_secrets(m.id)?.password_hash),
        None => false,
    };
    let Some(member) = member.filter(|_| right) else {
        return Err(refused(
            "The name or password is not right. Check both and try again.",
        ));
    };
    if !member.active {
        return Err(refused(format!(
            "{}'s account is inactive. Ask the clinical lead to reactivate it.",
            member.name
        )));
    }
    if !member.role.may(act) {
        return Err(refused(member.role.refusal(act)));
    }
    // Recorded when it can be; a file that refuses it refuses the command's own change too.
    if let Err(e) = store.write(member.actor(), |w| w.record_sign_in(member.id)) {
        tracing::warn!("the sign-in of {} was not recorded: {e}", member.name);
    }
    Ok(member.actor())
}
