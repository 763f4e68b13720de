//! `needlepoint print aftercare|prep|screening`: a sheet as PDF, recorded as printed.

use super::outln;
use std::path::{Path, PathBuf};

use super::{load_protocol, open_store, CliError};
use crate::print::{print_to_file, PrintRequest, Templates};

/// Which sheet `needlepoint print` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Aftercare,
    Prep,
    Screening,
}

pub fn run(db: Option<PathBuf>, who: Option<&str>, kind: Kind, id: &str, out: &Path) -> Result<(), CliError> {
    let refuse = |message: String| CliError { message, code: 2 };
    let request = match kind {
        Kind::Aftercare => PrintRequest::Aftercare(id.trim().parse().map_err(|_| {
            refuse(format!(
                "\"{id}\" is not a session id. Copy the id from the client record."
            ))
        })?),
        Kind::Prep => PrintRequest::Preparation(id.trim().parse().map_err(|_| {
            refuse(format!(
                "\"{id}\" is not a session id. Copy the id from the client record."
            ))
        })?),
        Kind::Screening => PrintRequest::Screening(id.trim().parse().map_err(|_| {
            refuse(format!(
                "\"{id}\" is not a screening id. Copy the id from the client record."
            ))
        })?),
    };
    let path = super::existing_db(db)?;
    let mut store = open_store(&path)?;
    let protocol = load_protocol()?;
    let templates = Templates::beside_database(&path);
    let today = chrono::Local::now().date_naive();
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Print)?;
    let printed = print_to_file(&mut store, &protocol, &templates, request, today, out, &actor)?;
    for warning in &printed.warnings {
        eprintln!("Warning: {warning}");
    }
    outln!(
        "{} for {} written to {} ({} page{}).",
        printed.record.kind,
        store
            .client(printed.record.client_id)?
            .map(|c| c.details.full_name)
            .unwrap_or_default(),
        printed.path.display(),
        printed.pages,
        if printed.pages == 1 { "" } else { "s" }
    );
    Ok(())
}

/// `needlepoint print consent --consent ID --out FILE`.
pub fn consent(db: Option<PathBuf>, who: Option<&str>, id: &str, out: &Path) -> Result<(), CliError> {
    let refuse = |message: String| CliError { message, code: 2 };
    let consent: crate::domain::ConsentId = id.trim().parse().map_err(|_| {
        refuse(format!(
            "\"{id}\" is not a consent id. Copy the id from the client record's Consent section."
        ))
    })?;
    let path = super::existing_db(db)?;
    let mut store = open_store(&path)?;
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Print)?;
    let today = chrono::Local::now().date_naive();
    let pages = crate::print::consent::print_consent(
        &mut store,
        &Templates::beside_database(&path),
        consent,
        today,
        out,
        &actor,
    )?;
    outln!("Signed consent written to {} ({pages} page(s)).", out.display());
    Ok(())
}

/// The progress report of `client`: the given pairs ("BEFORE_ID,AFTER_ID"), or the first and
/// last photo of each area and view.
pub fn progress(
    db: Option<PathBuf>,
    who: Option<&str>,
    client: &str,
    pairs: &[String],
    out: &Path,
) -> Result<(), CliError> {
    let refuse = |message: String| CliError { message, code: 2 };
    let client = super::rights::client_id(client)?;
    let mut chosen = Vec::new();
    for pair in pairs {
        let ids: Vec<_> = pair
            .split(',')
            .map(|p| p.trim().parse::<crate::domain::PhotoId>())
            .collect();
        match ids[..] {
            [Ok(a), Ok(b)] => chosen.push((a, b)),
            _ => {
                return Err(refuse(format!(
                "--pair \"{pair}\" is not two photo ids separated by a comma (see `needlepoint photo list`)."
            )))
            }
        }
    }
    let protocol = super::load_protocol()?;
    let mut store = super::rights::existing_store(db)?;
    let path = store.path().to_path_buf();
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Print)?;
    if chosen.is_empty() {
        chosen = crate::print::progress_report::default_pairs(&store.photos_of(client)?);
    }
    let today = chrono::Local::now().date_naive();
    let pages = crate::print::progress_report::print_progress_report(
        &mut store,
        &Templates::beside_database(&path),
        &protocol,
        client,
        &chosen,
        today,
        out,
        &actor,
    )?;
    outln!("Progress report written to {} ({pages} page(s)).", out.display());
    Ok(())
}
