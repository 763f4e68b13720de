//! The staff screen (Settings, Staff): every account with its role and state, and the changes a
//! clinical lead or an admin makes to them. Nobody is ever deleted: an account that leaves is
//! deactivated and its signatures keep pointing to it.

use egui::RichText;

use crate::domain::staff::field;
use crate::domain::{Act, Role, StaffMember};
use crate::ui::staff::{ManageForm, StaffAction};
use crate::ui::widgets::{error_line, secret_row, text_row, ERROR_RED};
use crate::ui::Action;

pub const ADD_LABEL: &str = "Add this person";
pub const ROLE_LABEL: &str = "Role";
pub const NEW_PASSWORD_LABEL: &str = "New password";
pub const NEW_PIN_LABEL: &str = "New PIN";
pub const IDLE_LABEL: &str = "Lock the desk after (minutes without use)";

use crate::ui::staff::ManageAction as M;
use crate::ui::staff::StaffAction::Manage;

pub struct StaffView<'a> {
    pub form: &'a mut ManageForm,
    pub staff: &'a [StaffMember],
    pub me: Option<&'a StaffMember>,
    pub idle_minutes: u64,
    /// Whether the front desk may see clinical photos now.
    pub front_desk_photos: bool,
}

pub const FRONT_DESK_PHOTOS_LABEL: &str = "The front desk may see clinical photos";

impl StaffView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let may_manage = self.me.is_some_and(|m| m.role.may(Act::ManageStaff));
        let mut action: Option<StaffAction> = None;
        egui::ScrollArea::vertical()
            .id_salt("staff_scroll")
            .auto_shrink([false, true])
            .show(ui, |ui| {
                ui.heading("Staff");
                ui.label(
                    "Clinical leads and practitioners sign screenings, sessions, amendments and clearances; \
                 the front desk and admins do not. Changes here are recorded in the audit log.",
                );
                if !may_manage {
                    ui.label(RichText::new("Only the clinical lead or an admin changes accounts.").weak());
                }
                match &self.form.message {
                    Some(Ok(text)) => {
                        ui.label(text.as_str());
                    }
                    Some(Err(text)) => {
                        ui.label(RichText::new(text.as_str()).color(ERROR_RED));
                    }
                    None => {}
                }
                ui.add_space(6.0);
                egui::Grid::new("staff_list")
                    .num_columns(5)
                    .striped(true)
                    .spacing([14.0, 6.0])
                    .show(ui, |ui| {
                        for h in ["Name", "Role", "Registration", "State", ""] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for s in self.staff {
                            let name = ui.label(&s.name);
                            ui.add_enabled_ui(may_manage, |ui| {
                                let mut role = s.role;
                                // Named by the person's name, so each row's role is found by it.
                                egui::ComboBox::from_id_salt(("role", s.id))
                                    .selected_text(role.words())
                                    .show_ui(ui, |ui| {
                                        for r in Role::ALL {
                                            ui.selectable_value(&mut role, r, r.words());
                                        }
                                    })
                                    .response
                                    .labelled_by(name.id);
                                if role != s.role {
                                    action = Some(Manage(M::SetRole(s.id, role)));
                                }
                            });
                            ui.label(s.registration.as_deref().unwrap_or("—"));
                            ui.label(
                                match (s.active, s.failed_pins >= crate::domain::staff::PIN_ATTEMPTS) {
                                    (false, _) => "inactive",
                                    (true, true) => "PIN locked",
                                    (true, false) => "active",
                                },
                            );
                            ui.horizontal(|ui| {
                                let (label, to) = if s.active {
                                    ("Deactivate", false)
                                } else {
                                    ("Reactivate", true)
                                };
                                if ui.add_enabled(may_manage, egui::Button::new(label)).clicked() {
                                    action = Some(Manage(M::SetActive(s.id, to)));
                                }
                                if ui
                                    .add_enabled(may_manage, egui::Button::new("Reset password or PIN…"))
                                    .clicked()
                                {
                                    self.form.reset_for = Some(s.id);
                                }
                            });
                            ui.end_row();
                        }
                    });
                if let Some(id) = self.form.reset_for {
                    let name = self
                        .staff
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    ui.add_space(8.0);
                    ui.group(|ui| {
                        ui.label(RichText::new(format!("New password or PIN for {name}")).strong());
                        egui::Grid::new("reset_secret").num_columns(2).show(ui, |ui| {
                            secret_row(ui, NEW_PASSWORD_LABEL, &mut self.form.new_password, None);
                            secret_row(ui, NEW_PIN_LABEL, &mut self.form.new_pin, None);
                        });
                        ui.horizontal(|ui| {
                            if ui.button("Set the password").clicked() {
                                action = Some(Manage(M::ResetPassword(id)));
                            }
                            if ui.button("Set the PIN").clicked() {
                                action = Some(Manage(M::ResetPin(id)));
                            }
                            if ui.button("Close").clicked() {
                                self.form.reset_for = None;
                            }
                        });
                    });
                }
                ui.add_space(12.0);
                ui.separator();
                ui.label(RichText::new("Add a person").strong());
                let errors = self.form.errors.clone();
                let error = |f: &str| {
                    errors
                        .as_ref()
                        .and_then(|e| e.for_field(f))
                        .map(ToString::to_string)
                };
                let new = &mut self.form.new;
                egui::Grid::new("add_staff")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        text_row(ui, "Name", &mut new.name, error(field::NAME), "as on signatures");
                        let label = ui.label(ROLE_LABEL);
                        ui.vertical(|ui| {
                            egui::ComboBox::from_id_salt("new_role")
                                .selected_text(new.role.map_or("Choose…", Role::words))
                                .show_ui(ui, |ui| {
                                    for r in Role::ALL {
                                        ui.selectable_value(&mut new.role, Some(r), r.words());
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                            error_line(ui, error(field::ROLE));
                        });
                        ui.end_row();
                        text_row(
                            ui,
                            "Registration number",
                            &mut new.registration,
                            error(field::REGISTRATION),
                            "optional",
                        );
                        secret_row(ui, "Password", &mut new.password, error(field::PASSWORD));
                        secret_row(
                            ui,
                            "Password again",
                            &mut new.password_again,
                            error(field::PASSWORD_AGAIN),
                        );
                        secret_row(ui, "PIN", &mut new.pin, error(field::PIN));
                    });
                if ui.add_enabled(may_manage, egui::Button::new(ADD_LABEL)).clicked() {
                    action = Some(Manage(M::Add));
                }
                ui.add_space(12.0);
                ui.separator();
                let lead = self.me.is_some_and(|m| m.role == Role::ClinicalLead);
                ui.horizontal(|ui| {
                    let label = ui.label(IDLE_LABEL);
                    if self.form.idle_minutes.is_empty() {
                        self.form.idle_minutes = self.idle_minutes.to_string();
                    }
                    ui.add_enabled(
                        lead,
                        egui::TextEdit::singleline(&mut self.form.idle_minutes).desired_width(60.0),
                    )
                    .labelled_by(label.id);
                    if ui
                        .add_enabled(lead, egui::Button::new("Save the idle lock"))
                        .clicked()
                    {
                        action = Some(Manage(M::SaveIdleLock));
                    }
                });
                let mut allowed = self.front_desk_photos;
                if ui
                    .add_enabled(lead, egui::Checkbox::new(&mut allowed, FRONT_DESK_PHOTOS_LABEL))
                    .on_hover_text("Clinical staff always see them; admin accounts follow the same rule as the front desk.")
                    .changed()
                {
                    action = Some(Manage(M::FrontDeskPhotos(allowed)));
                }
            });
        action.map(Action::Staff)
    }
}
