//! `needlepoint check`.

use super::outln;
use std::path::PathBuf;

use super::CliError;
use crate::store::latest_version;

pub fn run(db: Option<PathBuf>) -> Result<(), CliError> {
    let path = super::existing_db(db)?;
    // Read-only: checking changes nothing (no update, no journal mode, no repair).
    let store = crate::startup::with_server_password(&path, |_| crate::store::Store::open_read_only(&path))
        .map_err(|e| CliError {
        message: crate::startup::open_failure_message(&path, &e),
        code: 2,
    })?;
    let report = store.check()?;
    outln!("Database: {}", path.display());
    let writes = if store.is_server() {
        crate::store::server_latest_version()
    } else {
        latest_version()
    };
    outln!(
        "Schema version: {} (this Needlepoint writes {writes})",
        report.schema_version
    );
    outln!("Journal mode: {}", report.journal_mode);
    outln!("Integrity check: {}", report.integrity.join("; "));
    if report.foreign_key_problems.is_empty() {
        outln!("Foreign key check: ok");
    } else {
        outln!(
            "Foreign key check: {} problem(s)",
            report.foreign_key_problems.len()
        );
        for (table, rowid, parent) in report.foreign_key_problems.iter().take(20) {
            outln!("  {table} row {rowid} points at a missing {parent} record");
        }
    }
    outln!("Audit log: {}", report.audit_chain);
    outln!("Audit anchor: {}", report.anchor);
    match &report.signed_content_problems {
        (0, _) => outln!("Signed records: ok (each as it was signed)"),
        (n, shown) => {
            outln!("Signed records: {n} problem(s)");
            for p in shown {
                outln!("  {p}");
            }
            if *n > shown.len() {
                outln!("  … and {} more", n - shown.len());
            }
        }
    }
    if report.schema_problems.is_empty() {
        outln!("Safeguards (triggers and indexes): all present");
    } else {
        outln!(
            "Safeguards (triggers and indexes): {} problem(s)",
            report.schema_problems.len()
        );
        for p in &report.schema_problems {
            outln!("  {p}");
        }
    }
    match report.next_sessions_out_of_step {
        0 => outln!("Today's series list: in step with the sessions"),
        n => outln!("Today's series list: {n} row(s) out of step with the sessions"),
    }
    match report.diary_clashes {
        0 => outln!("Diary: no room, pen or client booked twice at once"),
        n => outln!(
            "Diary: {n} pair(s) of appointments booked over each other in a room, on a pen or for a client"
        ),
    }
    if report.photo_problems.is_empty() {
        outln!("Photos: every file present and as it was stored");
    } else {
        outln!("Photos: {} problem(s)", report.photo_problems.len());
        for p in &report.photo_problems {
            outln!("  {p}");
        }
    }
    outln!("Rows:");
    for (table, n) in &report.row_counts {
        outln!("  {table:<18} {n:>10}");
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
