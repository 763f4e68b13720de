//! `needlepoint check`.

use std::path::PathBuf;

use super::{resolve_db, CliError};
use crate::store::latest_version;

pub fn run(db: Option<PathBuf>) -> Result<(), CliError> {
    let path = resolve_db(db)?;
    if !path.exists() {
        return Err(CliError {
            message: format!("There is no database at {}. Check the path.", path.display()),
            code: 2,
        });
    }
    let store = super::open_store(&path)?;
    let report = store.check()?;
    println!("Database: {}", path.display());
    println!(
        "Schema version: {} (this Needlepoint writes {})",
        report.schema_version,
        latest_version()
    );
    println!("Journal mode: {}", report.journal_mode);
    println!("Integrity check: {}", report.integrity.join("; "));
    if report.foreign_key_problems.is_empty() {
        println!("Foreign key check: ok");
    } else {
        println!(
            "Foreign key check: {} problem(s)",
            report.foreign_key_problems.len()
        );
        for (table, rowid, parent) in report.foreign_key_problems.iter().take(20) {
            println!("  {table} row {rowid} points at a missing {parent} record");
        }
    }
    println!("Audit log: {}", report.audit_chain);
    println!("Rows:");
    for (table, n) in &report.row_counts {
        println!("  {table:<18} {n:>10}");
    }
    if report.is_clean() {
        Ok(())
    } else {
        Err(CliError {
            message: "The database has problems (see above). Restore a backup, or contact support."
                .to_owned(),
            code: 1,
        })
    }
}
