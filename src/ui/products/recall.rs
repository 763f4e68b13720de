//! Recalling a lot: which clients received it (a busy lot lists tens of thousands of sessions,
//! longer than a frame), and the list written as CSV, audited as an export. Both run off the
//! window's thread.

use std::path::PathBuf;

use super::ProductsArea;
use crate::domain::RecallRow;
use crate::store::{ExportError, ExportOf, Store, StoreError};
use crate::ui::desk::Desk;
use crate::ui::jobs::{self, Job, Stopped};

/// The lot searched, and the sessions that used it.
pub(super) type SearchJob = Job<(String, Result<Vec<RecallRow>, StoreError>)>;

/// A recall list being written: what the audit row will say, and whether the file was written.
pub(super) type ExportJob = Job<(Written, std::io::Result<()>)>;

pub(super) struct Written {
    lot: String,
    rows: usize,
    path: PathBuf,
}

impl ProductsArea {
    pub(super) fn recall_search(&mut self, desk: &mut Desk) {
        let lot = self.form.recall_lot.trim().to_owned();
        if lot.is_empty() {
            self.recall_message = Some("Type the lot number printed on the product.".to_owned());
            return;
        }
        self.recall_message = Some(format!("Searching for lot {lot}…"));
        let path = desk.store.path().to_path_buf();
        // A newer search replaces a running one; the old thread's answer is dropped.
        self.search = Some(Job::spawn(&desk.waker, move || {
            let rows = Store::open(&path).and_then(|store| store.recall_by_lot(&lot));
            (lot, rows)
        }));
    }

    pub(super) fn export_recall(&mut self, desk: &mut Desk) {
        let Some((lot, rows)) = &self.recall else {
            return;
        };
        if self.export.is_some() {
            return;
        }
        let path = PathBuf::from(self.form.export_path.trim());
        if path.as_os_str().is_empty() {
            self.recall_message = Some("Give the file to export to.".to_owned());
            return;
        }
        self.recall_message = Some(format!("Writing {} …", path.display()));
        let csv = crate::domain::recall_csv(rows);
        let written = Written {
            lot: lot.clone(),
            rows: rows.len(),
            path,
        };
        self.export = Some(Job::spawn(&desk.waker, move || {
            // Whole or not at all: a recall list cut short is a safety risk.
            let result = crate::paths::write_whole_file(&written.path, csv.as_bytes());
            (written, result)
        }));
    }

    /// Whether a recall search or export is running.
    pub fn working(&self) -> bool {
        self.search.is_some() || self.export.is_some()
    }

    /// Takes a finished search or export (each frame).
    pub fn poll(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.search) {
            self.recall_found(answer, desk);
        }
        if let Some(answer) = jobs::take_finished(&mut self.export) {
            self.recall_exported(answer, desk);
        }
    }

    /// Waits for a running search and export (tests).
    pub fn wait(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.search) {
            self.recall_found(answer, desk);
        }
        if let Some(answer) = jobs::wait_for(&mut self.export) {
            self.recall_exported(answer, desk);
        }
    }

    /// Shows a finished recall search.
    fn recall_found(
        &mut self,
        answer: Result<(String, Result<Vec<RecallRow>, StoreError>), Stopped>,
        desk: &mut Desk,
    ) {
        self.recall_message = None;
        match answer {
            Ok((lot, Ok(rows))) => {
                if self.form.export_path.trim().is_empty() || self.recall.is_some() {
                    self.form.export_path = default_export_path(&lot, desk.today);
                }
                self.recall = Some((lot, rows));
            }
            Ok((_, Err(e))) => desk.fail(&e),
            Err(Stopped) => desk.error("The recall search stopped unexpectedly."),
        }
    }

    /// The recall file is written: record the export, or remove the file if the record cannot be
    /// saved (no list of clients leaves without its audit row).
    fn recall_exported(&mut self, answer: Result<(Written, std::io::Result<()>), Stopped>, desk: &mut Desk) {
        let Written { lot, rows, path } = match answer {
            Ok((written, Ok(()))) => written,
            Ok((written, Err(e))) => {
                self.recall_message = Some(format!(
                    "Could not write {}: {e}. Choose another folder.",
                    written.path.display()
                ));
                return;
            }
            Err(Stopped) => {
                self.recall_message = Some("Writing the recall list stopped unexpectedly.".to_owned());
                return;
            }
        };
        let actor = desk.actor();
        let recall = ExportOf::Recall {
            lot: &lot,
            sessions: rows,
        };
        match desk.store.record_written_export(&actor, &path, recall) {
            Ok(()) => {
                self.recall_message = Some(format!("Exported to {}.", path.display()));
            }
            Err(ExportError::NotRecorded(e)) => {
                self.recall_message = Some(format!(
                    "The list was not exported: its record could not be saved ({e})."
                ));
                desk.fail(&e);
            }
            // Only the recording can fail here: the job wrote the file.
            Err(e @ ExportError::Write { .. }) => self.recall_message = Some(e.to_string()),
        }
    }
}

/// `<Documents>/Needlepoint/recall-<lot>-<date>.csv`, with the lot made safe for a file name.
fn default_export_path(lot: &str, today: chrono::NaiveDate) -> String {
    let safe: String = lot
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    crate::paths::documents_dir()
        .join(format!("recall-{safe}-{today}.csv"))
        .display()
        .to_string()
}
