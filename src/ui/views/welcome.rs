//! The first start's welcome: the clinic's details, the first client, or demo data to try the
//! desk out; and what Today says above its lists while the database has no clients.

use egui::RichText;

use crate::ui::record::RecordAction;
use crate::ui::settings::{SettingsAction, DEMO_OFFER};
use crate::ui::views::settings::{clinic_fields_ui, SettingsForm};
use crate::ui::welcome::WelcomeAction;
use crate::ui::Action;

pub const HEADING: &str = "Welcome to Needlepoint";
pub const SAVE_CLINIC_LABEL: &str = "Save the clinic's details";
pub const FIRST_CLIENT_LABEL: &str = "Add the first client";
pub const SKIP_LABEL: &str = "Skip, I'll do this later";

/// "Load demo data (1000 clients)".
pub fn demo_label() -> String {
    format!("Load demo data ({DEMO_OFFER} clients)")
}

pub struct WelcomeView<'a> {
    /// The clinic's details as typed (the Settings form itself).
    pub clinic: &'a mut SettingsForm,
    /// The clinic's details have been saved.
    pub clinic_saved: bool,
    /// (done, total) while demo clients are being created.
    pub demo: Option<(usize, usize)>,
    pub demo_running: bool,
}

impl WelcomeView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        egui::ScrollArea::vertical()
            .id_salt("welcome_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(HEADING);
                ui.label(
                    "This clinic's database is new. Two steps get the desk ready: the clinic's \
                     details, then the first client. Everything can be changed later.",
                );
                if ui.button(SKIP_LABEL).clicked() {
                    action = Some(WelcomeAction::Skip.into());
                }
                ui.add_space(8.0);
                // Side by side where there is room, so the demo offer shows without scrolling.
                if ui.available_width() >= 900.0 {
                    ui.columns(2, |columns| {
                        if let [left, right] = columns {
                            action = self.clinic_ui(left).or(action.take());
                            action = self.client_ui(right).or(action.take());
                        }
                    });
                } else {
                    action = self.clinic_ui(ui).or(action.take());
                    ui.add_space(8.0);
                    action = self.client_ui(ui).or(action.take());
                }
            });
        action
    }

    /// Step 1: the clinic's details, checked as Settings checks them.
    fn clinic_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        step(ui, "1. The clinic's details", self.clinic_saved, |ui| {
            ui.label(
                "Printed on every aftercare and preparation sheet. Who signs screenings and sessions \
                 is set in Settings, Staff.",
            );
            egui::Grid::new("welcome_clinic")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| clinic_fields_ui(ui, self.clinic, true));
            if ui.button(SAVE_CLINIC_LABEL).clicked() {
                action = Some(SettingsAction::Save.into());
            }
            if self.clinic.errors.as_ref().is_some_and(|e| !e.0.is_empty()) {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "Nothing was saved. Fix the fields marked in red.",
                );
            } else if self.clinic_saved {
                ui.label("Saved. They can be changed any time in Settings.");
            }
        });
        action
    }

    /// Step 2: the first client; or demo data instead.
    fn client_ui(&self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        step(ui, "2. The first client", false, |ui| {
            ui.label(
                "Their name, date of birth and skin type. Their record opens next, ready for \
                 their skin concerns and a treatment plan.",
            );
            if ui.button(FIRST_CLIENT_LABEL).clicked() {
                action = Some(RecordAction::NewClient.into());
            }
        });
        ui.add_space(8.0);
        step(ui, "Or try Needlepoint first", false, |ui| {
            ui.label(
                "Demo data fills this database with made-up clients, plans, sessions and \
                 screenings, to try the desk out. Keep the clinic's real clients in a database \
                 of their own.",
            );
            if let Some(a) = demo_ui(ui, self.demo, self.demo_running) {
                action = Some(a);
            }
        });
        action
    }
}

/// A step in a frame: its title (with "done" once done) and its contents.
fn step(ui: &mut egui::Ui, title: &str, done: bool, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        // Buttons as wide as their words, also in a column (which stretches them).
        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(title).heading());
                if done {
                    ui.label(RichText::new("done").strong());
                }
            });
            add(ui);
        });
    });
}

/// The demo offer's button, or its progress while the clients are being created.
fn demo_ui(ui: &mut egui::Ui, progress: Option<(usize, usize)>, running: bool) -> Option<Action> {
    if running {
        let (done, total) = progress.unwrap_or((0, DEMO_OFFER));
        #[allow(clippy::cast_precision_loss)]
        let fraction = if total == 0 {
            1.0
        } else {
            done as f32 / total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(320.0)
                .text(format!("Creating demo clients: {done} of {total}")),
        );
        return None;
    }
    ui.button(demo_label())
        .clicked()
        .then_some(SettingsAction::GenerateDemo { clients: DEMO_OFFER }.into())
}

/// Today on a database with no clients (the welcome skipped): what to do first, above the lists.
pub fn no_clients_ui(ui: &mut egui::Ui, demo: Option<(usize, usize)>, demo_running: bool) -> Option<Action> {
    let mut action = None;
    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label("No clients yet. Add the first client to book their sessions here.");
            if ui.button(FIRST_CLIENT_LABEL).clicked() {
                action = Some(RecordAction::NewClient.into());
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Or try Needlepoint out with made-up clients:");
            if let Some(a) = demo_ui(ui, demo, demo_running) {
                action = Some(a);
            }
        });
    });
    ui.add_space(6.0);
    action
}
