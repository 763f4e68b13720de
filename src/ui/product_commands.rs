//! Carrying out the products screen's actions: add a lot, take one off the shelf, recall a lot
//! and export the recall as CSV (audited as an export).

use super::app::NeedlepointApp;
use super::jobs::RecallExportJob;
use super::jobs::RecallJob;
use super::state::Status;
use crate::domain::{AuditAction, ProductDraft, ProductId};
use crate::store::StoreError;

impl NeedlepointApp {
    pub(super) fn refresh_products(&mut self) {
        match self.store.products(true) {
            Ok(p) => self.products.products = p,
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn save_product(&mut self) {
        let product = match self.products.draft.validate(self.today) {
            Ok(p) => p,
            Err(e) => {
                self.products.errors = Some(e);
                return;
            }
        };
        self.products.errors = None;
        let duplicate = self.products.products.iter().any(|p| {
            p.kind == product.kind
                && p.name.eq_ignore_ascii_case(&product.name)
                && p.lot_number.eq_ignore_ascii_case(&product.lot_number)
        });
        if duplicate {
            // The form keeps what was typed.
            self.products.save_error = Some(format!(
                "{} lot {} is already on the shelf.",
                product.name, product.lot_number
            ));
            return;
        }
        let actor = self.actor();
        match self.store.write(&actor, |w| w.insert_product(&product)) {
            Ok(()) => {
                self.products.save_error = None;
                self.products.draft = ProductDraft {
                    kind: product.kind,
                    ..ProductDraft::default()
                };
                self.status = Some(Status::Info(format!(
                    "{} lot {} added to the shelf.",
                    product.name, product.lot_number
                )));
                self.refresh_products();
            }
            Err(e) => self.products.save_error = Some(e.to_string()),
        }
    }

    pub(super) fn set_product_active(&mut self, id: ProductId, active: bool) {
        let actor = self.actor();
        match self.store.write(&actor, |w| w.set_product_active(id, active)) {
            Ok(()) => self.refresh_products(),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn recall_search(&mut self) {
        let lot = self.products.recall_lot.trim().to_owned();
        if lot.is_empty() {
            self.products.recall_message = Some("Type the lot number printed on the product.".to_owned());
            return;
        }
        self.products.recall_message = Some(format!("Searching for lot {lot}…"));
        self.recall_job = Some(RecallJob::start(self.store.path().to_path_buf(), lot));
    }

    /// Shows a finished recall search.
    pub(super) fn recall_found(&mut self, job: RecallJob) {
        let (lot, result) = job.finish();
        match result {
            Ok(rows) => {
                self.products.recall_message = None;
                if self.products.export_path.trim().is_empty() || self.products.recall.is_some() {
                    self.products.export_path = default_export_path(&lot, self.today);
                }
                self.products.recall = Some((lot, rows));
            }
            Err(e) => {
                self.products.recall_message = None;
                self.status = Some(Status::Error(e));
            }
        }
    }

    pub(super) fn export_recall(&mut self) {
        let Some((lot, rows)) = &self.products.recall else {
            return;
        };
        if self.recall_export_job.is_some() {
            return;
        }
        let path = std::path::PathBuf::from(self.products.export_path.trim());
        if path.as_os_str().is_empty() {
            self.products.recall_message = Some("Give the file to export to.".to_owned());
            return;
        }
        self.products.recall_message = Some(format!("Writing {} …", path.display()));
        self.recall_export_job = Some(RecallExportJob::start(path, lot.clone(), rows));
    }

    /// The recall file is written: record the export, or remove the file if the record cannot be
    /// saved (no list of clients leaves without its audit row).
    pub(super) fn recall_exported(&mut self, job: RecallExportJob) {
        let (lot, rows, path, written) = job.finish();
        if let Err(message) = written {
            self.products.recall_message = Some(message);
            return;
        }
        let detail = format!("recall of lot {lot} ({rows} sessions) to {}", path.display());
        let actor = self.actor();
        let audited: Result<(), StoreError> = self.store.write(&actor, |w| {
            w.audit(AuditAction::Export, "products", &lot, None, &detail)
        });
        match audited {
            Ok(()) => {
                self.products.recall_message = Some(format!("Exported to {}.", path.display()));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                self.products.recall_message = Some(format!(
                    "The list was not exported: its record could not be saved ({e})."
                ));
                self.fail(&e);
            }
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
