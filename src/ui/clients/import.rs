//! Adding clients from a CSV file: a preview that adds nothing, then the good lines in one write.

use std::path::{Path, PathBuf};

use super::ClientsArea;
use crate::ui::action::Event;
use crate::ui::desk::Desk;

impl ClientsArea {
    pub(super) fn preview_import(&mut self, desk: &mut Desk) {
        let Some(form) = &mut self.import else {
            return;
        };
        let path = PathBuf::from(form.path.trim());
        form.preview = None;
        if path.as_os_str().is_empty() {
            form.error = Some("Give the CSV file to import.".to_owned());
            return;
        }
        match read_preview(&path, desk) {
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
    pub(super) fn confirm_import(&mut self, desk: &mut Desk) -> Option<Event> {
        let actor = desk.actor();
        let form = self.import.as_mut()?;
        let shown = form.preview.take()?;
        let path = PathBuf::from(form.previewed.trim());
        let fresh = match read_preview(&path, desk) {
            Ok(p) => p,
            Err(e) => {
                form.error = Some(e);
                return None;
            }
        };
        if fresh.to_add != shown.to_add {
            form.error = Some(
                "The file or the client list changed since the preview. Check the new preview and confirm again."
                    .to_owned(),
            );
            form.preview = Some(fresh);
            return None;
        }
        match crate::import::apply(&fresh, &mut desk.store, &actor) {
            Ok(report) => {
                self.import = None;
                desk.info(format!(
                    "Added {} client(s) from {}; {} line(s) with problems and {} already a client were not added.",
                    report.added.len(),
                    fresh.source,
                    fresh.refused_lines(),
                    report.duplicates.len()
                ));
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                form.preview = Some(fresh);
                None
            }
        }
    }
}

fn read_preview(path: &Path, desk: &Desk) -> Result<crate::import::ImportPreview, String> {
    let bytes = crate::import::read_file(path).map_err(|e| e.to_string())?;
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    crate::import::preview(&bytes, &source, &desk.store, desk.today).map_err(|e| e.to_string())
}
