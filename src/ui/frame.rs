//! Laying out one frame: navigation, the current screen, the open dialog, the status line; and
//! the keyboard shortcuts. Drawing only collects actions; `route.rs` applies them.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use super::action::{Action, Screen};
use super::app::NeedlepointApp;
use super::clients::ClientsAction;
use super::desk::Status;
use super::record::RecordAction;
use super::views;
use super::widgets::{banner, BannerLevel, ERROR_RED};

const NEW_CLIENT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);

impl NeedlepointApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        let (new, find, escape) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&NEW_CLIENT),
                i.consume_shortcut(&FIND),
                i.key_pressed(Key::Escape),
            )
        });
        if find {
            actions.push(Action::Navigate(Screen::Clients));
            actions.push(ClientsAction::FocusSearch.into());
        }
        if new {
            actions.push(RecordAction::NewClient.into());
        }
        // While "Keep editing / Discard" is asked, Esc answers it (see `held_ui`); while a
        // dropdown is open, Esc closes only the dropdown (egui does that as it draws it).
        let popup_open = egui::Popup::is_any_open(ctx);
        if escape && !popup_open && self.held.is_none() && self.areas.dialog_open() {
            actions.push(Action::CloseDialog);
        }
        actions
    }

    pub(super) fn frame_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::Panel::top("navigation").show(ui, |ui| actions.extend(self.navigation_ui(ui)));
        egui::Panel::bottom("status").show(ui, |ui| actions.extend(self.status_ui(ui)));
        egui::CentralPanel::default().show(ui, |ui| {
            if self.desk.read_only() {
                banner(
                    ui,
                    BannerLevel::Warn,
                    &format!(
                        "Read-only: {} cannot be written to, so nothing can be saved. Check the file's \
                         and folder's permissions, or copy the file somewhere you may write, then restart.",
                        self.desk.store.path().display()
                    ),
                );
                ui.add_space(6.0);
            }
            actions.extend(self.screen_ui(ui));
        });
        actions.extend(self.dialog_ui(ui.ctx()));
        actions.extend(self.held_ui(ui.ctx()));
        actions
    }

    fn navigation_ui(&self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Needlepoint").strong());
            ui.separator();
            for screen in Screen::ALL {
                if ui
                    .selectable_label(self.screen == screen, screen.title())
                    .clicked()
                {
                    action = Some(Action::Navigate(screen));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let mut user = self.desk.user.clone();
                let field = ui.add(
                    egui::TextEdit::singleline(&mut user)
                        .hint_text("Front desk")
                        .desired_width(160.0),
                );
                let label = ui.label("At the desk");
                let field = field.labelled_by(label.id);
                if field.changed() {
                    action = Some(Action::SetUser(user));
                }
            });
        });
        action
    }

    fn status_ui(&self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            if let Some((done, total)) = self.areas.settings.demo_progress() {
                #[allow(clippy::cast_precision_loss)]
                let fraction = if total == 0 {
                    1.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(260.0)
                        .text(format!("Creating demo clients: {done} of {total}")),
                );
            }
            match &self.desk.status {
                Some(Status::Error(t)) => {
                    ui.label(RichText::new(t).color(ERROR_RED));
                }
                Some(Status::Info(t)) => {
                    ui.label(t);
                }
                None => {
                    ui.label(RichText::new(self.desk.store.path().display().to_string()).weak());
                }
            }
            if self.desk.status.is_some() && ui.small_button("Dismiss").clicked() {
                action = Some(Action::DismissStatus);
            }
        });
        action
    }

    fn screen_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let (desk, areas) = (&self.desk, &mut self.areas);
        match self.screen {
            // The first start's welcome, or the lists.
            Screen::Today => super::welcome::today_ui(ui, desk, areas),
            // The treatment-room form or the checklist, while open, stand in for the record.
            Screen::Clients if areas.record.current().is_some() => {
                if areas.sessions.is_open() {
                    areas.sessions.ui(ui, desk).into_iter().collect()
                } else if areas.screening.is_open() {
                    let practitioners = areas.settings.practitioners();
                    areas.screening.ui(ui, desk, practitioners).into_iter().collect()
                } else {
                    areas.record.ui(ui, desk)
                }
            }
            Screen::Clients => areas.clients.list_ui(ui, desk),
            Screen::Products => areas.products.ui(ui, desk).into_iter().collect(),
            Screen::Protocol => {
                views::protocol::ProtocolView {
                    protocol: &desk.protocol,
                    state: &mut areas.protocol,
                }
                .ui(ui);
                Vec::new()
            }
            Screen::Settings => areas.settings.ui(ui, desk, self.dark_mode).into_iter().collect(),
        }
    }

    /// The one dialog open, if any, in a modal. Clicking outside does not close it: what was
    /// typed must not be lost by accident.
    fn dialog_ui(&mut self, ctx: &egui::Context) -> Option<Action> {
        let desk = &self.desk;
        let area = self.areas.with_dialogs().into_iter().find(|a| a.has_dialog())?;
        egui::Modal::new(egui::Id::unique("needlepoint.dialog"))
            .show(ctx, |ui| {
                ui.set_max_width(640.0);
                area.dialog_ui(ui, desk)
            })
            .inner
    }
}
