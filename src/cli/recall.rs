//! `needlepoint recall --lot LOT [--csv FILE]`: every client who received a lot.

use super::outln;
use std::path::{Path, PathBuf};

use super::CliError;
use crate::domain::recall_csv;
use crate::store::ExportOf;

pub fn run(db: Option<PathBuf>, who: Option<&str>, lot: &str, csv: Option<&Path>) -> Result<(), CliError> {
    if lot.trim().is_empty() {
        return Err(CliError {
            message: "Give the lot number to recall, for example --lot HA-2611.".to_owned(),
            code: 2,
        });
    }
    let path = super::existing_db(db)?;
    let mut store = super::open_store(&path)?;
    let rows = store.recall_by_lot(lot)?;
    match csv {
        Some(out) => {
            // Written whole, with its audit row (as the Products screen's export), or not at all.
            let recall = ExportOf::Recall {
                lot,
                sessions: rows.len(),
            };
            let actor = super::who::writer(&mut store, who, crate::domain::Act::Print)?;
            store.write_export(&actor, out, recall_csv(&rows).as_bytes(), recall)?;
            outln!(
                "{} session(s) with lot {} written to {}",
                rows.len(),
                lot.trim(),
                out.display()
            );
        }
        None => {
            if rows.is_empty() {
                outln!("No done session used lot {}.", lot.trim());
            }
            for r in &rows {
                outln!(
                    "{}  {:<32} {:<18} session {}  {} ({}) lot {}",
                    r.performed_on,
                    r.client_name,
                    r.phone.as_deref().unwrap_or("no phone"),
                    r.session_number,
                    r.product_name,
                    r.product_kind,
                    r.lot_number
                );
            }
        }
    }
    Ok(())
}
