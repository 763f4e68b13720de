//! The backups part of Settings: the list of backups with a Restore button each, making one now,
//! and the confirmation before a restore.

use egui::RichText;

use crate::domain::text;
use crate::store::BackupInfo;
use crate::ui::settings::SettingsAction;
use crate::ui::widgets::{banner, BannerLevel};

/// The database's backups, as Settings lists them.
pub struct BackupsPanel<'a> {
    /// Newest first.
    pub list: &'a [BackupInfo],
    pub folder: std::path::PathBuf,
    /// The folder looks like a network share or a cloud-synced folder.
    pub warning: Option<&'a str>,
    /// A backup is being made now.
    pub running: bool,
    /// The clinic's database is on a server (its address), whose backups are its own.
    pub server: Option<String>,
}

impl BackupsPanel<'_> {
    pub fn ui(&self, ui: &mut egui::Ui, read_only: bool) -> Option<SettingsAction> {
        let mut action = None;
        ui.heading("Backups");
        if let Some(server) = &self.server {
            ui.label(format!(
                "This clinic's database is on its server ({server}). The server keeps the backups: a nightly \
                 pg_dump, or point-in-time recovery (see the README). A desk makes none of its own; \
                 `needlepoint backup --to FILE` takes a checked copy as a database file."
            ));
            return None;
        }
        ui.label(
            "A checked copy of the database is made when Needlepoint starts (if the last one is \
             over a day old) and when it closes. 7 daily, 4 weekly and 12 monthly backups are kept.",
        );
        ui.label(
            RichText::new(format!("Folder: {}", self.folder.display()))
                .small()
                .weak(),
        );
        if let Some(w) = self.warning {
            banner(ui, BannerLevel::Warn, w);
        }
        ui.add_space(4.0);
        let label = if self.running {
            "Backing up…"
        } else {
            "Back up now"
        };
        if ui
            .add_enabled(!self.running, egui::Button::new(label))
            .on_disabled_hover_text("A backup is being made.")
            .clicked()
        {
            action = Some(SettingsAction::BackupNow);
        }
        ui.add_space(6.0);
        if self.list.is_empty() {
            ui.label(
                "No backups yet. \"Back up now\" makes the first; one is also made each day the \
                 desk opens, and on closing.",
            );
            return action;
        }
        egui::Grid::new("backups_grid")
            .num_columns(3)
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                ui.label(RichText::new("Taken (UTC)").strong());
                ui.label(RichText::new("Size").strong());
                ui.label("");
                ui.end_row();
                for b in self.list {
                    let when = b.taken_at.format("%Y-%m-%d %H:%M:%S").to_string();
                    ui.label(&when);
                    ui.label(text::human_size(b.size));
                    let restore = ui
                        .add_enabled(!read_only && !self.running, egui::Button::new("Restore"))
                        .on_hover_text(format!("Restore the backup of {when}"))
                        .on_disabled_hover_text(if read_only {
                            crate::ui::views::empty::READ_ONLY
                        } else {
                            "Wait for the backup being made to finish."
                        });
                    // Every Restore button is named by its backup for screen readers and tests.
                    restore.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Restore {when}"))
                    });
                    if restore.clicked() {
                        action = Some(SettingsAction::AskRestore(b.clone()));
                    }
                    ui.end_row();
                }
            });
        action
    }
}

/// "Restore this backup?", saying that nothing is lost: the current data is backed up first.
pub fn confirm_restore_ui(ui: &mut egui::Ui, backup: &BackupInfo) -> Option<SettingsAction> {
    ui.heading("Restore this backup?");
    ui.label(format!(
        "Everything will be as it was on {} UTC. Changes made since then are not lost: \
         the current data is backed up first, and can be restored the same way.",
        backup.taken_at.format("%Y-%m-%d %H:%M")
    ));
    ui.label(
        RichText::new(format!("Backup file: {}", backup.path.display()))
            .small()
            .weak(),
    );
    let mut action = None;
    ui.horizontal(|ui| {
        if ui.button("Restore this backup").clicked() {
            action = Some(SettingsAction::ConfirmRestore(backup.clone()));
        }
        if ui.button("Cancel").clicked() {
            action = Some(SettingsAction::CloseDialog);
        }
    });
    action
}
