//! The client's data rights: export their complete record (audited), and anonymise them after
//! confirmation.

use std::path::PathBuf;

use super::{RecordArea, RecordDialog};
use crate::store::{photo_folder, ExportError};
use crate::ui::action::Event;
use crate::ui::desk::Desk;
use crate::ui::views::data_rights::ExportForm;

impl RecordArea {
    pub(super) fn open_export(&mut self, desk: &Desk) {
        let Some(r) = &self.record else { return };
        let d = &r.client.details;
        let file = format!(
            "{}-{}-{}.json",
            file_safe(&d.full_name),
            r.client.id.short(),
            desk.today
        );
        self.dialog = Some(RecordDialog::Export(Box::new(ExportForm {
            client_name: d.full_name.clone(),
            path: crate::paths::exports_dir(desk.store.path())
                .join(file)
                .display()
                .to_string(),
            error: None,
        })));
    }

    /// Writes the file whole, then records the export; if the record cannot be written the file
    /// is removed again, so no export leaves unrecorded.
    pub(super) fn export(&mut self, desk: &mut Desk) {
        let Some(id) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let actor = desk.actor();
        let Some(RecordDialog::Export(form)) = &mut self.dialog else {
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
        // Written whole with its audit row, or not at all (the file is removed if the row
        // cannot be saved); the photos' originals go in a folder beside it.
        let shown = path.display().to_string();
        match desk.store.write_client_export(&actor, id, &path) {
            Ok(export) => {
                self.dialog = None;
                let photos = export.photo_files.iter().filter(|p| p.file.is_some()).count();
                desk.info(if photos > 0 {
                    format!(
                        "Record exported to {shown}, with {photos} photo(s) in {}.",
                        photo_folder(&path).display()
                    )
                } else {
                    format!("Record exported to {shown}.")
                });
                self.open(id, desk);
            }
            Err(ExportError::Write { source, .. }) => {
                form.error = Some(format!(
                    "Could not write {shown}: {source}. Choose another folder."
                ));
            }
            Err(ExportError::NotRecorded(e)) => {
                form.error = Some(format!("{e} The export file was removed again."));
            }
        }
    }

    pub(super) fn anonymise(&mut self, desk: &mut Desk) -> Option<Event> {
        let id = self.record.as_ref().map(|r| r.client.id)?;
        let actor = desk.actor();
        self.dialog = None;
        match desk.store.write(&actor, |w| w.anonymise_client(id)) {
            Ok(done) => {
                if let Err(e) = desk.store.remove_erased_photo_files() {
                    tracing::warn!("erased photos' files not removed: {e}");
                }
                desk.info(format!(
                    "Anonymised: the client is now \"{}\". Their sessions and screenings are kept.",
                    done.shown_as
                ));
                Some(Event::DataChanged)
            }
            Err(e) => {
                desk.fail(&e);
                None
            }
        }
    }
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
