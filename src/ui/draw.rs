//! Laying out one frame: navigation, the current screen, the open dialog, the status line;
//! and the keyboard shortcuts. Drawing only collects actions; `commands.rs` applies them.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use super::app::{Action, NeedlepointApp, Screen};
use super::state::{Dialog, Status};
use super::views;
use super::widgets::{banner, BannerLevel, ERROR_RED};

const NEW_CLIENT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// How many clients the first-start offer creates.
pub const DEMO_OFFER: usize = 1_000;

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
            self.focus_search = true;
        }
        if new {
            actions.push(Action::NewClient);
        }
        if escape && self.dialog.is_some() {
            actions.push(Action::CloseDialog);
        }
        actions
    }

    pub(super) fn draw(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::Panel::top("navigation").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Needlepoint").strong());
                ui.separator();
                for screen in Screen::ALL {
                    if ui
                        .selectable_label(self.prefs.screen == screen, screen.title())
                        .clicked()
                    {
                        actions.push(Action::Navigate(screen));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let mut user = self.prefs.user.clone();
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut user)
                            .hint_text("Front desk")
                            .desired_width(160.0),
                    );
                    let label = ui.label("At the desk");
                    let field = field.labelled_by(label.id);
                    if field.changed() {
                        actions.push(Action::SetUser(user));
                    }
                });
            });
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((done, total)) = self.demo.as_ref().map(super::jobs::DemoJob::progress) {
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
                match &self.status {
                    Some(Status::Error(t)) => {
                        ui.label(RichText::new(t).color(ERROR_RED));
                    }
                    Some(Status::Info(t)) => {
                        ui.label(t);
                    }
                    None => {
                        ui.label(RichText::new(self.store.path().display().to_string()).weak());
                    }
                }
                if self.status.is_some() && ui.small_button("Dismiss").clicked() {
                    actions.push(Action::DismissStatus);
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.store.is_read_only() {
                banner(
                    ui,
                    BannerLevel::Warn,
                    &format!(
                        "Read-only: {} cannot be written to, so nothing can be saved. Check the file's \
                         and folder's permissions, or copy the file somewhere you may write, then restart.",
                        self.store.path().display()
                    ),
                );
                ui.add_space(6.0);
            }
            actions.extend(self.screen_ui(ui));
        });
        actions.extend(self.dialog_ui(ui.ctx()));
        actions
    }

    fn screen_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        match self.prefs.screen {
            Screen::Today => {
                let mut v = views::today::TodayView {
                    overview: &self.today_overview,
                    today: self.today,
                    loading: self.today_job.is_some(),
                };
                let mut actions: Vec<Action> = v.ui(ui).into_iter().collect();
                if self.clients.total == 0 && self.demo.is_none() && !self.store.is_read_only() {
                    ui.separator();
                    ui.label("This database has no clients yet. Add demo clients to try Needlepoint out?");
                    if ui.button(format!("Add {} demo clients", DEMO_OFFER)).clicked() {
                        actions.push(Action::GenerateDemo { clients: DEMO_OFFER });
                    }
                }
                actions
            }
            Screen::Clients => match &self.record {
                Some(_) if self.session_form.is_some() => match self.session_form.as_mut() {
                    Some(form) => views::session_form::SessionView {
                        form,
                        protocol: &self.protocol,
                        today: self.today,
                    }
                    .ui(ui)
                    .into_iter()
                    .collect(),
                    None => Vec::new(),
                },
                Some(_) if self.screening.is_some() => match self.screening.as_mut() {
                    Some(form) => views::screening::ScreeningView {
                        form,
                        protocol: &self.protocol,
                        today: self.today,
                        practitioners: &self.practitioners,
                    }
                    .ui(ui)
                    .into_iter()
                    .collect(),
                    None => Vec::new(),
                },
                Some(record) => views::client_record::ClientRecordView {
                    record,
                    protocol: &self.protocol,
                    today: self.today,
                    read_only: self.store.is_read_only(),
                    printing: self.print_job.is_some(),
                }
                .ui(ui),
                None => {
                    let focus = std::mem::take(&mut self.focus_search);
                    views::clients::ClientsView {
                        list: &self.clients,
                        focus_search: focus,
                        read_only: self.store.is_read_only(),
                    }
                    .ui(ui)
                }
            },
            Screen::Products => views::products::ProductsView {
                state: &mut self.products,
                protocol: &self.protocol,
                today: self.today,
                read_only: self.store.is_read_only(),
            }
            .ui(ui)
            .into_iter()
            .collect(),
            Screen::Protocol => views::protocol::ProtocolView {
                protocol: &self.protocol,
                state: &mut self.protocol_browser,
            }
            .ui(ui)
            .into_iter()
            .collect(),
            Screen::Settings => views::settings::SettingsView {
                form: &mut self.settings_form,
                print: &mut self.print_settings,
                documents_default: crate::print::documents_folder(
                    self.store.path(),
                    &crate::domain::PrintSettings::default(),
                ),
                dark_mode: self.prefs.dark_mode,
                read_only: self.store.is_read_only(),
                backups: views::settings::BackupsPanel {
                    list: &self.backups,
                    folder: crate::store::backup_dir(self.store.path()),
                    warning: self.backup_warning.as_deref(),
                    running: self.backup.is_some(),
                },
            }
            .ui(ui)
            .into_iter()
            .collect(),
        }
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) -> Option<Action> {
        let protocol = &self.protocol;
        let record = self.record.as_ref();
        let dialog = self.dialog.as_mut()?;
        let modal = egui::Modal::new(egui::Id::unique("needlepoint.dialog")).show(ctx, |ui| {
            ui.set_max_width(640.0);
            match dialog {
                Dialog::Client(form) => views::client_form::ClientFormView { form }.ui(ui),
                Dialog::Concern(form) => views::concern_form::ConcernFormView { form, protocol }.ui(ui),
                Dialog::Plan(form) => views::plan_form::PlanFormView { form, protocol }.ui(ui),
                Dialog::Booking(form) => views::plan_form::BookingView { form }.ui(ui),
                Dialog::SessionAmendment(form) => {
                    views::session_amendment::SessionAmendmentView { form }.ui(ui)
                }
                Dialog::ConfirmRestore(backup) => {
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
                            action = Some(Action::ConfirmRestore(backup.clone()));
                        }
                        if ui.button("Cancel").clicked() {
                            action = Some(Action::CloseDialog);
                        }
                    });
                    action
                }
                Dialog::Export(form) => views::data_rights::ExportView { form }.ui(ui),
                Dialog::ConfirmAnonymise => match record {
                    Some(r) => views::data_rights::confirm_anonymise_ui(
                        ui,
                        &r.client.details.full_name,
                        &r.client.id.short(),
                        chrono::Datelike::year(&r.client.details.date_of_birth),
                    ),
                    None => Some(Action::CloseDialog),
                },
                Dialog::Import(form) => views::import::ImportView { form }.ui(ui),
                Dialog::ConfirmArchive => {
                    ui.heading("Archive this client?");
                    ui.label("Archived clients leave the client list and search. Their records are kept unchanged.");
                    let mut action = None;
                    ui.horizontal(|ui| {
                        if ui.button("Archive").clicked() {
                            action = Some(Action::ConfirmArchive);
                        }
                        if ui.button("Cancel").clicked() {
                            action = Some(Action::CloseDialog);
                        }
                    });
                    action
                }
            }
        });
        // Clicking outside does not close a form: what was typed must not be lost by accident.
        modal.inner
    }
}
