//! Printed sheets: aftercare for a completed session, preparation for a booked one, and a copy
//! of a signed screening, as PDF made with Typst.
//!
//! `gather` reads the records from the store, `build` turns them and the protocol into plain
//! data (`model`; every date computed by `dates` from the treatment or appointment date),
//! `render` sets that data in a template from `assets/print/` (or the clinic's own copy), and
//! `deliver` opens the PDF or sends it to the printer. It reads through store and uses domain
//! and protocol; only ui, cli and bench use it.

pub mod build;
pub mod consent;
pub mod dates;
pub mod day_list;
pub mod deliver;
mod error;
pub mod gather;
pub mod model;
pub mod progress_report;
pub mod render;

pub use error::PrintError;
pub use model::Sheet;
pub use render::{render, render_with_files, Rendered, Templates};

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    Actor, ClientId, DocumentKind, PrintSettings, PrintedDocument, PrintedFor, ScreeningId, SessionId,
};
use crate::protocol::Protocol;
use crate::store::Store;

/// Which sheet, for which record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintRequest {
    Aftercare(SessionId),
    Preparation(SessionId),
    Screening(ScreeningId),
}

impl PrintRequest {
    pub fn kind(self) -> DocumentKind {
        match self {
            PrintRequest::Aftercare(_) => DocumentKind::Aftercare,
            PrintRequest::Preparation(_) => DocumentKind::Preparation,
            PrintRequest::Screening(_) => DocumentKind::Screening,
        }
    }

    pub fn printed_for(self) -> PrintedFor {
        match self {
            PrintRequest::Aftercare(s) | PrintRequest::Preparation(s) => PrintedFor::Session(s),
            PrintRequest::Screening(s) => PrintedFor::Screening(s),
        }
    }
}

/// Reads the records and builds the sheet; gives the client it is for as well.
pub fn sheet(
    store: &Store,
    protocol: &Protocol,
    request: PrintRequest,
    printed_on: NaiveDate,
) -> Result<(Sheet, ClientId), PrintError> {
    Ok(match request {
        PrintRequest::Aftercare(id) => {
            let facts = gather::session_facts(store, id, printed_on)?;
            (
                Sheet::Aftercare(build::aftercare(&facts, protocol)?),
                facts.client.id,
            )
        }
        PrintRequest::Preparation(id) => {
            let facts = gather::session_facts(store, id, printed_on)?;
            (
                Sheet::Preparation(build::preparation(&facts, protocol)?),
                facts.client.id,
            )
        }
        PrintRequest::Screening(id) => {
            let facts = gather::screening_facts(store, id, printed_on)?;
            (
                Sheet::Screening(build::screening(&facts, protocol)?),
                facts.client.id,
            )
        }
    })
}

/// A sheet saved and recorded.
#[derive(Debug, Clone)]
pub struct Printed {
    pub path: PathBuf,
    pub pages: usize,
    /// Template warnings and characters the fonts could not draw (the sheet is saved anyway).
    pub warnings: Vec<String>,
    pub record: PrintedDocument,
}

/// Builds, renders and saves the sheet to `out`, then records the print (a `printed_documents`
/// row and its `print` audit row, in one transaction). A sheet whose print cannot be recorded
/// is removed again, so every saved sheet is on record.
pub fn print_to_file(
    store: &mut Store,
    protocol: &Protocol,
    templates: &Templates,
    request: PrintRequest,
    printed_on: NaiveDate,
    out: &Path,
    actor: impl Into<Actor>,
) -> Result<Printed, PrintError> {
    print_with(
        store,
        protocol,
        templates,
        request,
        printed_on,
        &actor.into(),
        |_, _| out.to_path_buf(),
    )
}

/// As [`print_to_file`], into `folder` under a name made from the sheet, the client and the
/// time ([`file_name`]).
pub fn print_into_folder(
    store: &mut Store,
    protocol: &Protocol,
    templates: &Templates,
    request: PrintRequest,
    printed_on: NaiveDate,
    folder: &Path,
    actor: impl Into<Actor>,
) -> Result<Printed, PrintError> {
    print_with(
        store,
        protocol,
        templates,
        request,
        printed_on,
        &actor.into(),
        |sheet, now| folder.join(file_name(request.kind(), sheet.client(), now)),
    )
}

fn print_with(
    store: &mut Store,
    protocol: &Protocol,
    templates: &Templates,
    request: PrintRequest,
    printed_on: NaiveDate,
    actor: &Actor,
    out: impl FnOnce(&Sheet, DateTime<Utc>) -> PathBuf,
) -> Result<Printed, PrintError> {
    let (sheet, client) = sheet(store, protocol, request, printed_on)?;
    let rendered = render(&sheet, templates, printed_on)?;
    let out = out(&sheet, store.now());
    write_file(&out, &rendered.pdf)?;
    let shown = out.display().to_string();
    let recorded = store.write(actor, |w| {
        w.record_print(request.kind(), client, request.printed_for(), &shown)
    });
    match recorded {
        Ok(record) => Ok(Printed {
            path: out,
            pages: rendered.pages.len(),
            warnings: rendered.warnings,
            record,
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&out);
            Err(e.into())
        }
    }
}

/// Writes the PDF under a temporary name first, so a half-written file never carries the
/// sheet's name.
fn write_file(out: &Path, pdf: &[u8]) -> Result<(), PrintError> {
    let failed = |e: std::io::Error| PrintError::Write {
        path: out.display().to_string(),
        reason: e.to_string(),
    };
    crate::paths::write_whole_file(out, pdf).map_err(failed)
}

/// Where the app saves sheets: the folder set in Settings, else `documents/` beside the
/// database.
pub fn documents_folder(db: &Path, settings: &PrintSettings) -> PathBuf {
    let chosen = settings.documents_dir.trim();
    if chosen.is_empty() {
        crate::paths::folder_of_database(db).join("documents")
    } else {
        PathBuf::from(chosen)
    }
}

/// "aftercare-2026-12-03-101200-zoe-lukasz.pdf": the kind, when, and the client's name made
/// safe for any file system (letters of every script are kept).
pub fn file_name(kind: DocumentKind, client: &str, at: DateTime<Utc>) -> String {
    let mut name = String::new();
    for c in client.chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name: String = name.trim_end_matches('-').chars().take(60).collect();
    let name = if name.is_empty() {
        "client".to_owned()
    } else {
        name
    };
    format!("{}-{}-{name}.pdf", kind.code(), at.format("%Y-%m-%d-%H%M%S"))
}

/// What a saved sheet is recorded under in the audit log: the record it is about, its client,
/// and what it is ("day list", "signed copy").
pub(crate) struct PrintRecord<'a> {
    pub table: &'a str,
    pub record_id: String,
    pub client: Option<String>,
    pub what: String,
}

/// Writes a sheet's PDF to `out` whole, then records the print in the audit log ("… to FILE").
pub(crate) fn save_and_record(
    store: &mut Store,
    out: &Path,
    pdf: &[u8],
    actor: impl Into<Actor>,
    record: PrintRecord<'_>,
) -> Result<(), PrintError> {
    crate::paths::write_whole_file(out, pdf).map_err(|e| PrintError::Write {
        path: out.display().to_string(),
        reason: e.to_string(),
    })?;
    let detail = format!("{} to {}", record.what, out.display());
    store.write(actor, |w| {
        w.audit(
            crate::domain::AuditAction::Print,
            record.table,
            &record.record_id,
            record.client.as_deref(),
            &detail,
        )
    })?;
    Ok(())
}
