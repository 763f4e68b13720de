//! Consent documents: the document a client reads and signs (set from `assets/consent/` or the
//! clinic's copy, versioned by the SHA-256 of its laid-out text), and the signed copy for the
//! paper file (the kept text, the drawn signature, name, date, witness, version).

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::build::paper_name;
use super::model::Sheet;
use super::{render, PrintError, Rendered, Templates};
use crate::domain::{Actor, ConsentId, ConsentKind};
use crate::store::{ConsentDocument, Store};

/// What a consent document's template reads: the clinic and the paper, nothing about a client
/// (the same words are the same version for everyone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentDocumentData {
    pub paper: String,
    pub clinic: String,
}

/// A signed consent as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentSheet {
    pub paper: String,
    pub clinic: String,
    pub client: String,
    pub title: String,
    /// The document's text as signed, line by line.
    pub lines: Vec<String>,
    pub signature_svg: String,
    /// "Ana Silva", or "João Silva (father) for Ana Silva".
    pub signer: String,
    pub signed_on: String,
    pub witness: String,
    pub version: String,
    /// "Withdrawn on … (reason)", for a withdrawal's copy.
    pub withdrawal: Option<String>,
}

/// The current document of `kind`: rendered, its text and version (the SHA-256 of the text).
/// A template that does not render is refused with its file and line.
pub fn consent_document(
    store: &Store,
    templates: &Templates,
    kind: ConsentKind,
    today: NaiveDate,
) -> Result<(ConsentDocument, Rendered), PrintError> {
    let settings = store.clinic_settings()?;
    if settings.name.trim().is_empty() {
        return Err(PrintError::NoClinicName);
    }
    let data = ConsentDocumentData {
        paper: paper_name(settings.paper_size).to_owned(),
        clinic: settings.name.trim().to_owned(),
    };
    let rendered = render(&Sheet::ConsentDocument(kind, data), templates, today)?;
    let version = crate::store::document_version(&rendered.text);
    Ok((
        ConsentDocument {
            version,
            kind,
            title: kind.title().to_owned(),
            text: rendered.text.clone(),
            template: templates.origin(kind.template()),
        },
        rendered,
    ))
}

/// The signed copy of consent `id` (or of a withdrawal).
pub fn consent_sheet(store: &Store, id: ConsentId) -> Result<ConsentSheet, PrintError> {
    let not_found = || PrintError::NotFound {
        what: "consent",
        id: id.to_string(),
    };
    let consent = store.consent(id)?.ok_or_else(not_found)?;
    let document = store
        .consent_document(&consent.document_version)?
        .ok_or_else(not_found)?;
    let client = store.client(consent.client_id)?.ok_or_else(not_found)?;
    let settings = store.clinic_settings()?;
    let signer = match &consent.representative {
        Some(r) => format!("{} ({}) for {}", r.name, r.relationship, client.details.full_name),
        None => consent.signer_name.clone(),
    };
    Ok(ConsentSheet {
        paper: paper_name(settings.paper_size).to_owned(),
        clinic: settings.name.trim().to_owned(),
        client: client.details.full_name,
        title: document.title,
        lines: document.text.lines().map(str::to_owned).collect(),
        signature_svg: consent.signature.svg(600, 200),
        signer,
        signed_on: consent.signed_on.format("%-d %B %Y").to_string(),
        witness: consent.witness_name,
        version: consent.document_version,
        withdrawal: consent.withdraws.map(|w| {
            format!(
                "Consent {w} withdrawn on {}: {}",
                consent.signed_on,
                consent.withdrawal_reason.unwrap_or_default()
            )
        }),
    })
}

/// Writes the signed copy of consent `id` to `out` and records the print in the audit log.
pub fn print_consent(
    store: &mut Store,
    templates: &Templates,
    id: ConsentId,
    today: NaiveDate,
    out: &Path,
    actor: impl Into<Actor>,
) -> Result<usize, PrintError> {
    let sheet = consent_sheet(store, id)?;
    let rendered = render(&Sheet::Consent(sheet), templates, today)?;
    let client = store.consent(id)?.map(|c| c.client_id.to_string());
    super::save_and_record(
        store,
        out,
        &rendered.pdf,
        actor,
        super::PrintRecord {
            table: "consents",
            record_id: id.to_string(),
            client,
            what: "signed copy".to_owned(),
        },
    )?;
    Ok(rendered.pages.len())
}
