//! Carrying out the data-rights actions: export a client's complete record (audited), anonymise
//! a client after confirmation, and import clients from a CSV file after a preview.

use std::path::PathBuf;

use super::app::NeedlepointApp;
use super::state::{Dialog, Status};
use super::views::data_rights::ExportForm;

impl NeedlepointApp {
    pub(super) fn open_export(&mut self) {
        let Some(r) = &self.record else { return };
        let d = &r.client.details;
        let file = format!(
            "{}-{}-{}.json",
            file_safe(&d.full_name),
            r.client.id.short(),
            self.today
        );
        self.dialog = Some(Dialog::Export(Box::new(ExportForm {
            client_name: d.full_name.clone(),
            path: crate::paths::exports_dir(self.store.path())
                .join(file)
                .display()
                .to_string(),
            error: None,
        })));
    }

    /// Writes the file whole, then records the export; if the record cannot be written the file
    /// is removed again, so no export leaves unrecorded.
    pub(super) fn export_record(&mut self) {
        let Some(id) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let actor = self.actor();
        let Some(Dialog::Export(form)) = &mut self.dialog else {
            return;
        };
        let path = PathBuf::from(form.path.trim());
        if path.as_os_str().is_empty() {
            form.error = Some("Give the file to write the record to.".to_owned());
            return;
        }
        if path.is_dir() {
            form.error = Some(format!(
                "{} is a folder. Add a file name, for example record.json.",
                path.display()
            ));
            return;
        }
        let export = match self.store.client_export(id) {
            Ok(Some(e)) => e,
            Ok(None) => {
                form.error = Some("This client is no longer in the database.".to_owned());
                return;
            }
            Err(e) => {
                form.error = Some(e.to_string());
                return;
            }
        };
        let json = match serde_json::to_string_pretty(&export) {
            Ok(j) => j,
            Err(e) => {
                form.error = Some(format!("Could not write the record as JSON: {e}"));
                return;
            }
        };
        if let Err(e) = crate::paths::write_whole_file(&path, json.as_bytes()) {
            form.error = Some(format!(
                "Could not write {}: {e}. Choose another folder.",
                path.display()
            ));
            return;
        }
        let shown = path.display().to_string();
        match self.store.write(&actor, |w| w.record_export(id, &shown)) {
            Ok(()) => {
                self.dialog = None;
                self.status = Some(Status::Info(format!("Record exported to {shown}.")));
                self.open_client(id);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                form.error = Some(format!("{e} The export file was removed again."));
            }
        }
    }

    pub(super) fn anonymise_client(&mut self) {
        let Some(id) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let actor = self.actor();
        self.dialog = None;
        match self.store.write(&actor, |w| w.anonymise_client(id)) {
            Ok(done) => {
                self.status = Some(Status::Info(format!(
                    "Anonymised: the client is now \"{}\". Their sessions and screenings are kept.",
                    done.shown_as
                )));
                self.refresh_lists();
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn open_import(&mut self) {
        self.dialog = Some(Dialog::Import(Box::default()));
    }

    pub(super) fn preview_import(&mut self) {
        let Some(Dialog::Import(form)) = &mut self.dialog else {
            return;
        };
        let path = PathBuf::from(form.path.trim());
        form.preview = None;
        if path.as_os_str().is_empty() {
            form.error = Some("Give the CSV file to import.".to_owned());
            return;
        }
        match read_preview(&path, &self.store, self.today) {
            Ok(p) => {
                form.error = None;
                form.previewed = form.path.trim().to_owned();
                form.preview = Some(p);
            }
            Err(e) => form.error = Some(e),
        }
    }

    /// Reads the file again and adds its good lines, unless it changed since the preview (then
    /// the new preview is shown to confirm instead).
    pub(super) fn confirm_import(&mut self) {
        let actor = self.actor();
        let Some(Dialog::Import(form)) = &mut self.dialog else {
            return;
        };
        let Some(shown) = form.preview.take() else {
            return;
        };
        let path = PathBuf::from(form.previewed.trim());
        let fresh = match read_preview(&path, &self.store, self.today) {
            Ok(p) => p,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        if fresh.to_add != shown.to_add {
            form.error = Some(
                "The file or the client list changed since the preview. Check the new preview and confirm again."
                    .to_owned(),
            );
            form.preview = Some(fresh);
            return;
        }
        match crate::import::apply(&fresh, &mut self.store, &actor) {
            Ok(report) => {
                self.dialog = None;
                self.status = Some(Status::Info(format!(
                    "Added {} client(s) from {}; {} line(s) with problems and {} already a client were not added.",
                    report.added.len(),
                    fresh.source,
                    fresh.refused_lines(),
                    report.duplicates.len()
                )));
                self.refresh_lists();
            }
            Err(e) => {
                form.error = Some(e.to_string());
                form.preview = Some(fresh);
            }
        }
    }
}

fn read_preview(
    path: &std::path::Path,
    store: &crate::store::Store,
    today: chrono::NaiveDate,
) -> Result<crate::import::ImportPreview, String> {
    let bytes = crate::import::read_file(path).map_err(|e| e.to_string())?;
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    crate::import::preview(&bytes, &source, store, today).map_err(|e| e.to_string())
}

/// "Ana María O'Brien" → "ana-maría-o-brien": a name that is safe in a file name.
fn file_safe(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "client".to_owned()
    } else {
        trimmed.chars().take(60).collect()
    }
}
