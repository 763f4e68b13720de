//! What stands before the desk: the first clinical lead's account on a new database, the
//! password that opens the day, and the lock screen that a PIN opens (the idle lock, or another
//! person switching in). The forms and records underneath are kept while it shows.

use egui::RichText;

use crate::domain::staff::field;
use crate::domain::StaffMember;
use crate::ui::staff::{Gate, StaffAction, StaffArea};
use crate::ui::widgets::{banner, enter_in, error_line, secret_row, text_row, BannerLevel};
use crate::ui::Action;

pub const CREATE_FIRST_LABEL: &str = "Create the clinical lead's account";
pub const SIGN_IN_LABEL: &str = "Sign in";
pub const UNLOCK_LABEL: &str = "Unlock";
pub const NAME_LABEL: &str = "Your name";
pub const PASSWORD_LABEL: &str = "Password";
pub const PASSWORD_AGAIN_LABEL: &str = "Password again";
pub const PIN_LABEL: &str = "PIN";
pub const REGISTRATION_LABEL: &str = "Registration number (optional)";
pub const WHO_LABEL: &str = "Who is at the desk";
pub const USE_PASSWORD_LABEL: &str = "Sign in with a password instead";
pub const LOCKED_HEADING: &str = "Needlepoint is locked";

pub(crate) fn ui(
    ui: &mut egui::Ui,
    area: &mut StaffArea,
    staff: &[StaffMember],
    clinic: &str,
) -> Option<Action> {
    let mut action = None;
    egui::ScrollArea::vertical().id_salt("sign_in").show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.label(
                RichText::new(if clinic.trim().is_empty() {
                    "Needlepoint"
                } else {
                    clinic
                })
                .heading()
                .strong(),
            );
            ui.add_space(16.0);
        });
        ui.horizontal(|ui| {
            ui.add_space((ui.available_width() - 520.0).max(0.0) / 2.0);
            ui.vertical(|ui| {
                ui.set_max_width(520.0);
                action = match area.gate {
                    Gate::FirstAccount => first_account_ui(ui, area),
                    Gate::SignIn => sign_in_ui(ui, area),
                    Gate::Locked => locked_ui(ui, area, staff),
                    Gate::Open => None,
                };
                if area.checking() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Checking…");
                    });
                }
                error_line(ui, area.message.clone());
            });
        });
    });
    action.map(Action::Staff)
}

fn first_account_ui(ui: &mut egui::Ui, area: &mut StaffArea) -> Option<StaffAction> {
    ui.heading("First, the clinical lead's account");
    ui.label(
        "Every signature and every change is recorded under the person who made it. The clinical \
         lead's account comes first; they then add the rest of the team in Settings, Staff. The \
         password (10 characters or more) opens the day; the PIN (4 to 8 digits) switches person \
         and signs.",
    );
    ui.add_space(8.0);
    let errors = area.first_errors.clone();
    let error = |f: &str| {
        errors
            .as_ref()
            .and_then(|e| e.for_field(f))
            .map(ToString::to_string)
    };
    let f = &mut area.first;
    let fields = egui::Grid::new("first_account")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            [
                text_row(
                    ui,
                    NAME_LABEL,
                    &mut f.name,
                    error(field::NAME),
                    "as it should appear on signatures",
                ),
                text_row(
                    ui,
                    REGISTRATION_LABEL,
                    &mut f.registration,
                    error(field::REGISTRATION),
                    "e.g. NMC 12A3456B",
                ),
                secret_row(ui, PASSWORD_LABEL, &mut f.password, error(field::PASSWORD)),
                secret_row(
                    ui,
                    PASSWORD_AGAIN_LABEL,
                    &mut f.password_again,
                    error(field::PASSWORD_AGAIN),
                ),
                secret_row(ui, PIN_LABEL, &mut f.pin, error(field::PIN)),
            ]
        })
        .inner;
    keyboard_on(ui, &fields[0]);
    submitted(ui, CREATE_FIRST_LABEL, &fields, false).then_some(StaffAction::CreateFirst)
}

fn sign_in_ui(ui: &mut egui::Ui, area: &mut StaffArea) -> Option<StaffAction> {
    ui.heading("Sign in to open the day");
    ui.label("After this, switching person at this desk takes only a PIN, until the end of the day.");
    ui.add_space(8.0);
    let fields = egui::Grid::new("sign_in_form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            [
                text_row(
                    ui,
                    NAME_LABEL,
                    &mut area.name,
                    None,
                    "your name as on your account",
                ),
                secret_row(ui, PASSWORD_LABEL, &mut area.password, None),
            ]
        })
        .inner;
    // The name, or the password once a name is typed (after a wrong one, say).
    keyboard_on(ui, &fields[usize::from(!area.name.trim().is_empty())]);
    submitted(ui, SIGN_IN_LABEL, &fields, area.checking()).then_some(StaffAction::SignIn)
}

fn locked_ui(ui: &mut egui::Ui, area: &mut StaffArea, staff: &[StaffMember]) -> Option<StaffAction> {
    let mut action = None;
    ui.heading(LOCKED_HEADING);
    banner(
        ui,
        BannerLevel::Info,
        "Everything open underneath is kept as it was. The person at the desk, or anyone else on \
         the team, unlocks it with their PIN.",
    );
    ui.add_space(8.0);
    let chosen = area
        .unlocking
        .and_then(|id| staff.iter().find(|s| s.id == id))
        .map(|s| format!("{} ({})", s.name, s.role))
        .unwrap_or_else(|| "Choose…".to_owned());
    let fields = egui::Grid::new("unlock_form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(WHO_LABEL);
            egui::ComboBox::from_id_salt("unlock_who")
                .selected_text(chosen)
                .width(320.0)
                .show_ui(ui, |ui| {
                    for s in staff.iter().filter(|s| s.active) {
                        ui.selectable_value(
                            &mut area.unlocking,
                            Some(s.id),
                            format!("{} ({})", s.name, s.role),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            [secret_row(ui, PIN_LABEL, &mut area.pin, None)]
        })
        .inner;
    keyboard_on(ui, &fields[0]);
    ui.horizontal(|ui| {
        if submitted(ui, UNLOCK_LABEL, &fields, area.checking()) {
            action = Some(StaffAction::Unlock);
        }
        if ui.button(USE_PASSWORD_LABEL).clicked() {
            action = Some(StaffAction::UsePassword);
        }
    });
    action
}

/// The form's main button was clicked, or Enter pressed in one of `fields`; never while a
/// password or PIN is being checked.
fn submitted(ui: &mut egui::Ui, label: &str, fields: &[egui::Response], busy: bool) -> bool {
    let enter = enter_in(ui, &fields.iter().collect::<Vec<_>>());
    let clicked = ui
        .add_enabled(!busy, egui::Button::new(RichText::new(label).strong()))
        .clicked();
    !busy && (clicked || enter)
}

/// Puts the keyboard on `field` when nothing has it, so the desk can type straight away.
fn keyboard_on(ui: &egui::Ui, field: &egui::Response) {
    // Not on the frame Enter left a field: that Enter submits the form.
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    if !enter && ui.memory(|m| m.focused().is_none()) {
        field.request_focus();
    }
}
