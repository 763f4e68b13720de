//! The printed progress report: chosen before-and-after pairs of photos (same area and view),
//! with their dates and what was done between them, for the client to take home. The pictures
//! are the stored previews (never the originals' metadata, which is gone anyway).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::build::{clinic, paper_name};
use super::model::{Clinic, Sheet};
use super::{render_with_files, PrintError, Templates};
use crate::domain::photo::{comparable, sessions_between, treatments_between};
use crate::domain::{Actor, ClientId, Photo, PhotoId, Session, SessionArea, SessionId};
use crate::protocol::Protocol;
use crate::store::{ClientRecord, Store};

/// A file given with the sheet: its virtual name and bytes.
pub type SheetFile = (String, Vec<u8>);

/// One before-and-after pair as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairData {
    /// "Cheeks, front".
    pub title: String,
    /// The pictures' virtual file names, given with the sheet.
    pub before_file: String,
    pub after_file: String,
    pub before_date: String,
    pub after_date: String,
    /// "11 weeks apart".
    pub apart: String,
    /// One line a session between them.
    pub between: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressReportSheet {
    pub paper: String,
    pub clinic: Clinic,
    pub client: String,
    pub pairs: Vec<PairData>,
    pub printed_on: String,
}

/// The pairs to print: those chosen, or (none chosen) the first and last shown photo of each
/// area and view with at least two.
pub fn default_pairs(photos: &[Photo]) -> Vec<(PhotoId, PhotoId)> {
    crate::domain::photo::timelines(photos)
        .into_iter()
        .filter(|t| t.photos.len() >= 2)
        .filter_map(|t| Some((t.photos.first()?.id, t.photos.last()?.id)))
        .collect()
}

/// What each session between two days did, in words (for the report and the compare view).
pub fn between_lines(
    store: &Store,
    protocol: &Protocol,
    record: &ClientRecord,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<String> {
    let sessions: Vec<Session> = record.plans.iter().flat_map(|p| p.sessions.clone()).collect();
    let treated: HashMap<SessionId, Vec<SessionArea>> = record
        .plans
        .iter()
        .flat_map(|p| p.treated.iter().map(|(k, v)| (*k, v.clone())))
        .collect();
    let between = sessions_between(&sessions, from, to);
    treatments_between(
        &between,
        |id| treated.get(&id).cloned().unwrap_or_default(),
        |s| {
            let p = store.product(s.serum_product_id?).ok()??;
            Some(format!("{} (lot {})", p.name, p.lot_number))
        },
        |a| protocol.area_name(a).to_owned(),
    )
}

/// Builds the report for `client` with `pairs` (before, after), and the pictures it shows.
pub fn progress_report(
    store: &Store,
    protocol: &Protocol,
    client: ClientId,
    pairs: &[(PhotoId, PhotoId)],
    printed_on: NaiveDate,
) -> Result<(ProgressReportSheet, Vec<SheetFile>), PrintError> {
    let record = store.client_record(client)?.ok_or(PrintError::NotFound {
        what: "client",
        id: client.to_string(),
    })?;
    let photos = store.photos_of(client)?;
    let find = |id: PhotoId| {
        photos
            .iter()
            .find(|p| p.id == id && p.is_shown())
            .ok_or(PrintError::NotFound {
                what: "photo",
                id: id.to_string(),
            })
    };
    let settings = store.clinic_settings()?;
    let mut files = Vec::new();
    let mut out = Vec::new();
    for (i, (a, b)) in pairs.iter().enumerate() {
        let (mut before, mut after) = (find(*a)?, find(*b)?);
        if !comparable(before, after) {
            return Err(PrintError::Refused(format!(
                "Photos of {} and {} are of different areas or views: a pair compares the same area and view.",
                before.caption(protocol.area_name(&before.area)),
                after.caption(protocol.area_name(&after.area))
            )));
        }
        if before.taken_on > after.taken_on {
            std::mem::swap(&mut before, &mut after);
        }
        for (which, p) in [("before", before), ("after", after)] {
            let bytes = store.photo_preview(p.id)?.ok_or(PrintError::NotFound {
                what: "photo",
                id: p.id.to_string(),
            })?;
            files.push((format!("photo-{i}-{which}.jpg"), bytes));
        }
        let weeks = (after.taken_on - before.taken_on).num_days() / 7;
        out.push(PairData {
            title: format!("{}, {}", protocol.area_name(&before.area), before.view.words()),
            before_file: format!("photo-{i}-before.jpg"),
            after_file: format!("photo-{i}-after.jpg"),
            before_date: before.taken_on.format("%-d %B %Y").to_string(),
            after_date: after.taken_on.format("%-d %B %Y").to_string(),
            apart: match weeks {
                0 => "the same week".to_owned(),
                1 => "1 week apart".to_owned(),
                n => format!("{n} weeks apart"),
            },
            between: between_lines(store, protocol, &record, before.taken_on, after.taken_on),
        });
    }
    Ok((
        ProgressReportSheet {
            paper: paper_name(settings.paper_size).to_owned(),
            clinic: clinic(&settings)?,
            client: record.client.details.full_name.clone(),
            pairs: out,
            printed_on: printed_on.format("%-d %B %Y").to_string(),
        },
        files,
    ))
}

/// Writes the report to `out` and records the print in the client's history.
#[allow(clippy::too_many_arguments)]
pub fn print_progress_report(
    store: &mut Store,
    templates: &Templates,
    protocol: &Protocol,
    client: ClientId,
    pairs: &[(PhotoId, PhotoId)],
    today: NaiveDate,
    out: &Path,
    actor: impl Into<Actor>,
) -> Result<usize, PrintError> {
    if pairs.is_empty() {
        return Err(PrintError::Refused(
            "Choose at least one before-and-after pair (two photos of the same area and view).".to_owned(),
        ));
    }
    let (sheet, files) = progress_report(store, protocol, client, pairs, today)?;
    let n = sheet.pairs.len();
    let rendered = render_with_files(&Sheet::ProgressReport(sheet), templates, today, files)?;
    super::save_and_record(
        store,
        out,
        &rendered.pdf,
        actor,
        super::PrintRecord {
            table: "photos",
            record_id: client.to_string(),
            client: Some(client.to_string()),
            what: format!("progress report with {n} before-and-after pair(s)"),
        },
    )?;
    Ok(rendered.pages.len())
}
