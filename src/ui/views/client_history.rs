//! The client record's History: who did what to the client and their records, and when,
//! newest first, from the audit log.

use egui::RichText;

use crate::domain::{AuditAction, AuditEntry};
use crate::store::ClientHistory;

/// The heading of the collapsible History section.
pub const HISTORY_HEADING: &str = "History";

/// What happened, as the front desk says it.
pub fn action_words(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Create => "created",
        AuditAction::Update => "changed",
        AuditAction::Archive => "archived",
        AuditAction::Sign => "signed",
        AuditAction::Amend => "amended",
        AuditAction::Print => "printed",
        AuditAction::Export => "exported",
        AuditAction::Backup => "backed up",
        AuditAction::Restore => "restored",
        AuditAction::Anonymise => "anonymised",
        AuditAction::View => "viewed",
    }
}

/// Which kind of record an audit row is about, from its table: always in words, never a
/// table's name.
pub fn record_words(table: &str) -> &'static str {
    match table {
        "clients" => "client details",
        "photos" => "photo",
        "client_concerns" => "skin concern",
        "treatment_plans" => "treatment plan",
        "plan_concerns" => "concern of a plan",
        "plan_areas" => "area of a plan",
        "sessions" => "session",
        "session_areas" => "treated area",
        "session_amendments" => "session amendment",
        "clearances" => "written clearance",
        "screenings" => "screening",
        "printed_documents" | "print" => "printed sheet",
        "products" => "product lot",
        "settings" | "clinic" => "clinic settings",
        "database" | "audit_log" => "database",
        _ => "record",
    }
}

/// One line of the history, e.g. "2026-11-22 09:30 · Reception · created · screening · clear"
/// (no table names, no ids).
pub fn entry_line(e: &AuditEntry) -> String {
    let mut line = format!(
        "{} · {} · {} · {}",
        e.at.format("%Y-%m-%d %H:%M"),
        e.actor,
        action_words(e.action),
        record_words(&e.table)
    );
    if !e.detail.is_empty() {
        line.push_str(" · ");
        line.push_str(&e.detail);
    }
    line
}

pub fn history_ui(ui: &mut egui::Ui, history: &ClientHistory) {
    egui::CollapsingHeader::new(RichText::new(HISTORY_HEADING).heading())
        .id_salt("client_history")
        .show(ui, |ui| {
            if history.entries.is_empty() {
                ui.label("Nothing recorded yet.");
                return;
            }
            ui.label(
                RichText::new(if history.more {
                    format!(
                        "Showing the newest {} entries (times in UTC). \"Export record\" writes all of them.",
                        history.entries.len()
                    )
                } else {
                    "Every change, newest first (times in UTC).".to_owned()
                })
                .weak(),
            );
            for e in &history.entries {
                ui.label(entry_line(e));
            }
        });
}
