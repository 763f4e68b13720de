//! The photos area's slow work, each on a thread of its own: storing imported files (decode,
//! turn, strip, hash, thumbnail, write — about a quarter second for a 12-megapixel photo),
//! opening an original at full size, and making the progress report.

use std::path::{Path, PathBuf};

use super::{Dialog, FullSizeAnswer, PhotosArea};
use crate::domain::{PhotoId, PhotoTags};
use crate::store::Store;
use crate::ui::desk::Desk;
use crate::ui::jobs::{Job, Stopped};

/// The photo files at `path`: the file itself, or the JPEG and PNG files in a folder (by name).
pub fn files_at(path: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("{} cannot be opened ({e}). Check the path.", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("{} cannot be read ({e}).", path.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["jpg", "jpeg", "png", "heic"].contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The largest side of a full-size picture on screen (graphics cards take 8192 at least; the
/// screen shows far less, and the original stays untouched on disk).
const FULL_SIZE_EDGE: u32 = 4096;

impl PhotosArea {
    pub(super) fn run_import(&mut self, desk: &mut Desk) {
        let Some(screen) = &self.screen else { return };
        let Some(Dialog::Import(form)) = &mut self.dialog else {
            return;
        };
        if form.area.is_empty() {
            form.error = Some("Choose the treatment area the photos show.".to_owned());
            return;
        }
        let Some(view) = form.view else {
            form.error = Some("Choose the view (front, left 45° …) the photos were taken from.".to_owned());
            return;
        };
        let fixed_day = if form.camera_date {
            None
        } else {
            match chrono::NaiveDate::parse_from_str(form.taken.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    form.error = Some(format!(
                        "\"{}\" is not a date: write it as 2026-11-30.",
                        form.taken.trim()
                    ));
                    return;
                }
            }
        };
        form.error = None;
        form.results.clear();
        let files = form.files.clone();
        let (path, clock, actor, today) = (
            desk.store.path().to_path_buf(),
            desk.store.clock(),
            desk.actor(),
            desk.today,
        );
        let (client, area, session) = (screen.client, form.area.clone(), form.session);
        self.importing = Some(Job::spawn_counting(&desk.waker, files.len(), move |progress| {
            let mut store = match Store::open_with_clock(&path, clock) {
                Ok(s) => s,
                Err(e) => return files.iter().map(|_| (false, e.to_string())).collect(),
            };
            let mut results = Vec::new();
            for (i, file) in files.iter().enumerate() {
                let name = crate::imaging::shown_name(file);
                let stored = crate::imaging::read_photo_file(file)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        let taken_on = fixed_day
                            .or_else(|| crate::imaging::taken_on(&bytes))
                            .unwrap_or(today)
                            .min(today);
                        let prepared = crate::imaging::prepare(&bytes, &name).map_err(|e| e.to_string())?;
                        let tags = PhotoTags {
                            area: area.clone(),
                            view,
                            taken_on,
                            session,
                        };
                        store
                            .import_photo(&actor, client, &tags, &prepared, today)
                            .map(|_| taken_on)
                            .map_err(|e| format!("{name}: {e}"))
                    });
                results.push(match stored {
                    Ok(day) => (true, format!("{name}: stored (taken {day}).")),
                    Err(message) => (false, message),
                });
                progress.set(i + 1);
            }
            store.close().ok();
            results
        }));
    }

    pub(super) fn finish_import(&mut self, answer: Result<Vec<(bool, String)>, Stopped>, desk: &mut Desk) {
        let results = answer.unwrap_or_else(|_| vec![(false, "The import stopped unexpectedly.".to_owned())]);
        let stored = results.iter().filter(|(ok, _)| *ok).count();
        desk.info(format!("{stored} of {} photo(s) stored.", results.len()));
        if let Some(Dialog::Import(form)) = &mut self.dialog {
            // What was stored leaves the list; what was refused stays, with why, to retry.
            let failed: Vec<PathBuf> = form
                .files
                .iter()
                .zip(&results)
                .filter(|(_, (ok, _))| !*ok)
                .map(|(f, _)| f.clone())
                .collect();
            form.files = failed;
            form.results = results;
        }
        self.reload(desk);
    }

    /// Opens the original (verified, and the view audited) and decodes it off the window's thread.
    pub(super) fn load_full_size(&mut self, id: PhotoId, desk: &mut Desk) {
        if self.loading_full.is_some() {
            return;
        }
        let (path, clock, actor) = (desk.store.path().to_path_buf(), desk.store.clock(), desk.actor());
        self.loading_full = Some(Job::spawn(&desk.waker, move || -> FullSizeAnswer {
            let mut store = Store::open_with_clock(&path, clock).map_err(|e| e.to_string())?;
            let bytes = store.open_photo_original(&actor, id).map_err(|e| e.to_string())?;
            store.close().ok();
            let picture = image::load_from_memory(&bytes).map_err(|e| e.to_string())?;
            let picture = if picture.width().max(picture.height()) > FULL_SIZE_EDGE {
                picture.resize(
                    FULL_SIZE_EDGE,
                    FULL_SIZE_EDGE,
                    image::imageops::FilterType::Triangle,
                )
            } else {
                picture
            };
            let rgba = picture.to_rgba8();
            Ok((
                id,
                egui::ColorImage::from_rgba_unmultiplied(
                    [rgba.width() as usize, rgba.height() as usize],
                    rgba.as_raw(),
                ),
            ))
        }));
    }

    pub(super) fn finish_full_size(&mut self, answer: Result<FullSizeAnswer, Stopped>, desk: &mut Desk) {
        match answer {
            Ok(Ok(ready)) => self.full_size_ready = Some(ready),
            Ok(Err(message)) => desk.error(message),
            Err(_) => desk.error("The photo could not be opened."),
        }
    }

    /// The progress report into the documents folder (the chosen pairs, or the first and last
    /// photo of each area and view).
    pub(super) fn print_report(&mut self, desk: &mut Desk) {
        let Some(s) = &self.screen else { return };
        let pairs = if s.report_pairs.is_empty() {
            crate::print::progress_report::default_pairs(&s.photos)
        } else {
            s.report_pairs.clone()
        };
        if pairs.is_empty() {
            return desk.error(
                "A progress report needs two photos of the same area and view, taken on different days.",
            );
        }
        let folder = match desk.store.print_settings() {
            Ok(settings) => crate::print::documents_folder(desk.store.path(), &settings),
            Err(e) => return desk.fail(&e),
        };
        let out = folder.join(format!(
            "progress-{}-{}.pdf",
            s.client.short(),
            desk.store.now().format("%Y%m%d-%H%M%S")
        ));
        let (path, clock, actor, today) = (
            desk.store.path().to_path_buf(),
            desk.store.clock(),
            desk.actor(),
            desk.today,
        );
        let (protocol, client) = (desk.protocol.clone(), s.client);
        self.printing = Some(Job::spawn(&desk.waker, move || {
            let mut store = Store::open_with_clock(&path, clock).map_err(|e| e.to_string())?;
            std::fs::create_dir_all(&folder)
                .map_err(|e| format!("The documents folder {} could not be made: {e}", folder.display()))?;
            let templates = crate::print::Templates::beside_database(&path);
            crate::print::progress_report::print_progress_report(
                &mut store, &templates, &protocol, client, &pairs, today, &out, &actor,
            )
            .map_err(|e| e.to_string())?;
            store.close().ok();
            Ok(out)
        }));
    }
}

pub(super) fn finish_print(answer: Result<Result<PathBuf, String>, Stopped>, desk: &mut Desk) {
    match answer {
        Ok(Ok(path)) => {
            if desk.delivery == crate::print::deliver::Delivery::System {
                let use_lp = desk.store.print_settings().map(|s| s.use_lp).unwrap_or(false);
                if let Err(why) = crate::print::deliver::deliver(&path, use_lp) {
                    return desk.error(format!(
                        "The report was saved to {} but could not be opened: {why}",
                        path.display()
                    ));
                }
            }
            desk.info(format!("The progress report was saved to {}.", path.display()));
        }
        Ok(Err(message)) => desk.error(message),
        Err(_) => desk.error("The progress report could not be made."),
    }
}
