//! Laying out one frame: navigation, the current screen, the open dialog, the status line; and
//! the keyboard shortcuts. Drawing only collects actions; `route.rs` applies them.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use super::action::{Action, Screen};
use super::app::NeedlepointApp;
use super::clients::ClientsAction;
use super::desk::Status;
use super::record::RecordAction;
use super::staff::StaffAction;
use super::views;
use super::widgets::{banner, BannerLevel, ERROR_RED};

const NEW_CLIENT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Ctrl+1…5 open the screens in the navigation bar's order.
const SCREEN_KEYS: [Key; 5] = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5];
/// What the shortcuts overlay (F1) lists: keys, then what they do.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("Ctrl+F", "Find a client (the search box)"),
    ("Ctrl+N", "New client"),
    ("Ctrl+1 … Ctrl+5", "Today, Clients, Products, Protocol, Settings"),
    ("Down / Up", "Move through the search results"),
    (
        "Enter",
        "Open the highlighted client (the first match when none is)",
    ),
    ("Tab / Shift+Tab", "Next or previous field"),
    ("Space", "Tick a box or choose the focused answer"),
    (
        "Esc",
        "Close a dropdown, then the dialog (typed work is never dropped unasked)",
    ),
    (
        "Enter in a form",
        "Saves a form that does not sign; signing always takes two clicks",
    ),
    ("F1", "Show or hide this list"),
];
pub const SHORTCUTS_TITLE: &str = "Keyboard shortcuts";
pub const MARK_READ_LABEL: &str = "Mark problems as read";
pub const SWITCH_LABEL: &str = "Switch person";
pub const SIGN_OUT_LABEL: &str = "Sign out";

impl NeedlepointApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        let (new, find, escape, help) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&NEW_CLIENT),
                i.consume_shortcut(&FIND),
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::F1),
            )
        });
        let screen = ctx.input_mut(|i| {
            SCREEN_KEYS
                .iter()
                .zip(Screen::ALL)
                .find(|(key, _)| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, **key)))
                .map(|(_, screen)| screen)
        });
        if let Some(screen) = screen {
            actions.push(Action::Navigate(screen));
        }
        if help {
            self.shortcuts_open = !self.shortcuts_open;
        }
        // Esc closes the shortcuts overlay first, and never a dialog whose dropdown is open
        // (the dropdown closes itself).
        if escape && self.shortcuts_open {
            self.shortcuts_open = false;
            return actions;
        }
        if find {
            actions.push(Action::Navigate(Screen::Clients));
            actions.push(ClientsAction::FocusSearch.into());
        }
        if new {
            actions.push(RecordAction::NewClient.into());
        }
        // While "Keep editing / Discard" is asked, Esc answers it (see `held_ui`).
        // While a dropdown is open, Esc closes only the dropdown (egui does that as it draws it).
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
            if let Some(why) = &self.desk.server_gone {
                banner(
                    ui,
                    BannerLevel::Warn,
                    &format!(
                        "The clinic server cannot be reached ({why}). Everything you type is kept, and nothing is \
                         saved until it is back; Needlepoint connects again by itself."
                    ),
                );
                ui.add_space(6.0);
            }
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
        self.shortcuts_ui(ui.ctx());
        actions
    }

    /// The shortcuts overlay (F1): every key the desk repeats, in one list.
    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        if !self.shortcuts_open {
            return;
        }
        let mut open = true;
        egui::Window::new(SHORTCUTS_TITLE)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .spacing([24.0, 6.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.label(RichText::new(keys).strong().monospace());
                            ui.label(what);
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                ui.label(RichText::new("F1 or Esc closes this list.").weak());
            });
        if !open {
            self.shortcuts_open = false;
        }
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
                // Who is at the desk, and one click to hand it to someone else (their PIN).
                if self.desk.signed_in.is_some() {
                    if ui
                        .button(SIGN_OUT_LABEL)
                        .on_hover_text("Close the day at this PC: the next person needs their password.")
                        .clicked()
                    {
                        action = Some(Action::Staff(StaffAction::SignOut));
                    }
                    if ui
                        .button(SWITCH_LABEL)
                        .on_hover_text("Lock the desk; anyone on the team unlocks it with their PIN.")
                        .clicked()
                    {
                        action = Some(Action::Staff(StaffAction::Lock));
                    }
                }
                let who = match &self.desk.signed_in {
                    Some(me) => format!("{} ({})", me.name, me.role),
                    None => "nobody signed in".to_owned(),
                };
                ui.label(RichText::new(who).strong());
                ui.label("At the desk");
            });
        });
        action
    }

    fn status_ui(&self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        // Failures stay here until read, whatever the status line says since (the one it
        // shows now is not repeated).
        let shown_now = self.desk.status.as_ref().map(Status::text);
        let earlier: Vec<&String> = self
            .desk
            .unread_failures
            .iter()
            .filter(|f| Some(f.as_str()) != shown_now)
            .collect();
        if !earlier.is_empty() {
            ui.add_space(2.0);
            let shown = earlier.len().min(3);
            for text in &earlier[earlier.len() - shown..] {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("⛔").color(ERROR_RED));
                    ui.label(RichText::new(text.as_str()).color(ERROR_RED));
                });
            }
            ui.horizontal(|ui| {
                if earlier.len() > shown {
                    ui.label(RichText::new(format!("and {} earlier", earlier.len() - shown)).weak());
                }
                if ui.small_button(MARK_READ_LABEL).clicked() {
                    action = Some(Action::MarkFailuresRead);
                }
            });
            ui.separator();
        }
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
                    ui.label(RichText::new("⛔").color(ERROR_RED));
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
                action = Some(if matches!(self.desk.status, Some(Status::Error(_))) {
                    Action::MarkFailuresRead
                } else {
                    Action::DismissStatus
                });
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
                if areas.consent.is_open() {
                    areas.consent.ui(ui, desk).into_iter().collect()
                } else if areas.photos.is_open() {
                    areas.photos.ui(ui, desk).into_iter().collect()
                } else if areas.sessions.is_open() {
                    areas.sessions.ui(ui, desk).into_iter().collect()
                } else if areas.screening.is_open() {
                    let signers: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
                    areas.screening.ui(ui, desk, &signers).into_iter().collect()
                } else {
                    areas.record.ui(ui, desk)
                }
            }
            Screen::Clients => {
                let keyboard = self.held.is_none() && !self.shortcuts_open && !areas.dialog_open();
                areas.clients.list_ui(ui, desk, keyboard)
            }
            Screen::Products => areas.products.ui(ui, desk).into_iter().collect(),
            Screen::Protocol => {
                views::protocol::ProtocolView {
                    protocol: &desk.protocol,
                    state: &mut areas.protocol,
                }
                .ui(ui);
                Vec::new()
            }
            Screen::Settings => {
                ui.horizontal(|ui| {
                    let diary = areas.diary.setup_open;
                    if ui
                        .selectable_label(!diary && !areas.staff.manage.showing, "Clinic and backups")
                        .clicked()
                    {
                        (areas.diary.setup_open, areas.staff.manage.showing) = (false, false);
                    }
                    if ui
                        .selectable_label(!diary && areas.staff.manage.showing, "Staff")
                        .clicked()
                    {
                        (areas.diary.setup_open, areas.staff.manage.showing) = (false, true);
                    }
                    if ui.selectable_label(diary, "Diary").clicked() {
                        areas.diary.setup_open = true;
                    }
                });
                ui.separator();
                if areas.diary.setup_open {
                    let data = &areas.diary.data;
                    views::diary_settings::DiarySettingsView {
                        setup: &mut areas.diary.setup,
                        rooms: &data.rooms,
                        devices: &data.devices,
                        closures: &data.upcoming_closures,
                        staff: &desk.staff,
                        today: desk.today,
                        may_change: desk.may(crate::domain::Act::Settings),
                    }
                    .ui(ui)
                    .map(Action::Diary)
                    .into_iter()
                    .collect()
                } else if areas.staff.manage.showing {
                    views::staff::StaffView {
                        form: &mut areas.staff.manage,
                        staff: &desk.staff,
                        me: desk.signed_in.as_ref(),
                        idle_minutes: areas.staff.idle_after.as_secs() / 60,
                        front_desk_photos: desk.store.front_desk_may_view_photos().unwrap_or(false),
                    }
                    .ui(ui)
                    .into_iter()
                    .collect()
                } else {
                    areas.settings.ui(ui, desk, self.dark_mode).into_iter().collect()
                }
            }
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
