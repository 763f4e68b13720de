//! `needlepoint screen`: the outcome of a screening from an answers file, printed as JSON.
//! Reads the answers and the protocol; writes nothing.

use super::outln;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

use super::CliError;
use crate::domain::{Answers, Clearance, Outcome, SkinType};
use crate::protocol::screening::{answers_from_json, parse_iso_date, ScreeningError, ScreeningInput};
use crate::protocol::Protocol;

/// The printed report: the outcome with the protocol version it was computed under.
#[derive(Serialize)]
struct Report<'a> {
    protocol_version: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

fn bad(message: String) -> CliError {
    CliError { message, code: 2 }
}

/// Whom the screening is for: described on the command line, or a client in the database.
pub enum Who {
    Given {
        skin_type: Option<String>,
        born: Option<String>,
    },
    OnFile {
        db: Option<PathBuf>,
        client: String,
    },
}

pub fn run(answers: &Path, areas: &str, date: &str, who: Who) -> Result<(), CliError> {
    let today = date_arg("--date", date)?;
    let (skin_type, born, clearances) = match who {
        Who::Given { skin_type, born } => {
            let born = born.map(|b| date_arg("--born", &b)).transpose()?;
            let skin_type = skin_type
                .map(|s| SkinType::parse(&s).map_err(|e| bad(format!("--skin-type: {e}"))))
                .transpose()?;
            (skin_type, born, Vec::new())
        }
        Who::OnFile { db, client } => on_file(db, &client)?,
    };
    let answers = read_answers(answers)?;
    let protocol = super::load_protocol()?;
    let planned = planned_areas(&protocol, areas)?;
    let input = ScreeningInput {
        answers: &answers,
        planned_areas: &planned,
        today,
        skin_type,
        date_of_birth: born,
        clearances: &clearances,
    };
    let outcome = protocol.screen(&input).map_err(|e| match e {
        ScreeningError::Unanswered(_) => bad(unanswered_list(&protocol, &answers)),
        ScreeningError::Invalid(message) => bad(format!("The answers cannot be screened:\n{message}")),
    })?;
    let report = Report {
        protocol_version: &protocol.version,
        outcome: &outcome,
    };
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| bad(format!("Could not write the outcome as JSON: {e}")))?;
    outln!("{json}");
    Ok(())
}

/// A client's skin type, date of birth and written clearances.
type OnFile = (Option<SkinType>, Option<NaiveDate>, Vec<Clearance>);

/// The client's skin type, date of birth and written clearances, read (never written) from
/// the database.
fn on_file(db: Option<PathBuf>, client: &str) -> Result<OnFile, CliError> {
    let id = super::rights::client_id(client)?;
    let path = super::existing_db(db)?;
    let store = crate::store::Store::open_read_only(&path)?;
    let found = store.client(id)?.ok_or_else(|| {
        bad(format!(
            "There is no client {client} in {}. Check the id.",
            path.display()
        ))
    })?;
    let clearances = store
        .clearances_of(id)?
        .into_iter()
        .map(|c| c.clearance)
        .collect();
    Ok((
        Some(found.details.skin_type),
        Some(found.details.date_of_birth),
        clearances,
    ))
}

fn date_arg(flag: &str, text: &str) -> Result<NaiveDate, CliError> {
    parse_iso_date(text.trim()).ok_or_else(|| {
        bad(format!(
            "{flag} \"{text}\" is not a date. Write it as YYYY-MM-DD, for example 2026-11-22."
        ))
    })
}

fn read_answers(path: &Path) -> Result<Answers, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad(format!("Could not read the answers file {}: {e}", path.display())))?;
    answers_from_json(&text).map_err(|problem| bad(format!("The answers file {} {problem}", path.display())))
}

fn planned_areas(protocol: &Protocol, list: &str) -> Result<Vec<String>, CliError> {
    let mut planned = Vec::new();
    for area in list.split(',').map(str::trim) {
        if area.is_empty() {
            return Err(bad(format!(
                "--areas \"{list}\" has an empty entry. Separate area ids with commas, e.g. cheeks,forehead."
            )));
        }
        if protocol.area(area).is_none() {
            let known: Vec<&str> = protocol.areas.iter().map(|a| a.id.as_str()).collect();
            return Err(bad(format!(
                "--areas: \"{area}\" is not an area of protocol {}. Known areas: {}.",
                protocol.version,
                known.join(", ")
            )));
        }
        if !planned.iter().any(|p| p == area) {
            planned.push(area.to_owned());
        }
    }
    Ok(planned)
}

/// The unanswered questions, one a line with the id the answers file needs.
fn unanswered_list(protocol: &Protocol, answers: &Answers) -> String {
    let missing: Vec<String> = protocol
        .intake_questions
        .iter()
        .filter(|q| !answers.contains_key(&q.id))
        .map(|q| format!("  {} (question {}): {}", q.id, q.number, q.text))
        .collect();
    format!(
        "{} question(s) are not answered yet. Every question needs an answer:\n{}",
        missing.len(),
        missing.join("\n")
    )
}
