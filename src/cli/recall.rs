//! `needlepoint recall --lot LOT [--csv FILE]`: every client who received a lot.

use super::outln;
use std::path::{Path, PathBuf};

use super::{resolve_db, CliError};
use crate::domain::{recall_csv, AuditAction};
use crate::store::Store;

pub fn run(db: Option<PathBuf>, lot: &str, csv: Option<&Path>) -> Result<(), CliError> {
    if lot.trim().is_empty() {
        return Err(CliError {
            message: "Give the lot number to recall, for example --lot HA-2611.".to_owned(),
            code: 2,
        });
    }
    let path = resolve_db(db)?;
    if !path.exists() {
        return Err(CliError {
            message: format!("There is no database at {}. Check the path.", path.display()),
            code: 2,
        });
    }
    let mut store = Store::open(&path)?;
    let rows = store.recall_by_lot(lot)?;
    match csv {
        Some(out) => {
            crate::paths::write_whole_file(out, recall_csv(&rows).as_bytes()).map_err(|e| CliError {
                message: format!(
                    "Could not write {}: {}. Nothing was written under that name.",
                    out.display(),
                    crate::paths::describe_io(&e)
                ),
                code: 2,
            })?;
            let detail = format!(
                "recall of lot {} ({} sessions) to {}",
                lot.trim(),
                rows.len(),
                out.display()
            );
            store.write("Command line", |w| {
                w.audit(AuditAction::Export, "products", lot.trim(), None, &detail)
            })?;
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
