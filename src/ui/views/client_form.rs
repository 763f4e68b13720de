//! New-client and edit-client form: every field validated, each error next to its field, a
//! warning when a client with the same name and birth date exists. What was typed is kept when
//! saving fails.

use crate::domain::client::field;
use crate::domain::{ClientDraft, ClientId, SkinType, ValidationErrors};
use crate::store::ClientSummary;
use crate::ui::record::RecordAction;
use crate::ui::widgets::{error_line, text_row, WARN_AMBER};

#[derive(Debug, Clone, Default)]
pub struct ClientForm {
    /// `None` for a new client.
    pub editing: Option<ClientId>,
    pub draft: ClientDraft,
    pub errors: Option<ValidationErrors>,
    /// Clients with the same name and birth date, shown before saving a possible duplicate.
    pub duplicates: Vec<ClientSummary>,
    /// A save error that is not about one field (disk full, read-only...).
    pub save_error: Option<String>,
    /// The details as they were when this form was opened (editing): a save is refused if
    /// another desk changed them since, and what was typed stays.
    pub loaded: Option<crate::domain::ClientDetails>,
    /// The id a new client is saved under, fixed when the form opens: a save whose answer was
    /// lost (the network went) and is made again finds the client already saved, never twice.
    pub new_id: Option<crate::domain::ClientId>,
}

impl ClientForm {
    fn error(&self, f: &str) -> Option<String> {
        self.errors
            .as_ref()
            .and_then(|e| e.for_field(f))
            .map(ToString::to_string)
    }
}

pub struct ClientFormView<'a> {
    pub form: &'a mut ClientForm,
}

impl ClientFormView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RecordAction> {
        let mut action = None;
        let form = &mut *self.form;
        ui.heading(if form.editing.is_some() {
            "Edit client"
        } else {
            "New client"
        });
        ui.add_space(6.0);
        let (name_err, dob_err, phone_err, email_err, skin_err, notes_err) = (
            form.error(field::FULL_NAME),
            form.error(field::DATE_OF_BIRTH),
            form.error(field::PHONE),
            form.error(field::EMAIL),
            form.error(field::SKIN_TYPE),
            form.error(field::NOTES),
        );
        let grid = egui::Grid::new("client_form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let name = text_row(
                    ui,
                    field::FULL_NAME,
                    &mut form.draft.full_name,
                    name_err,
                    "as the client writes it",
                );
                if ui.memory(|m| m.focused().is_none()) {
                    name.request_focus();
                }
                let dob = text_row(
                    ui,
                    field::DATE_OF_BIRTH,
                    &mut form.draft.date_of_birth,
                    dob_err,
                    "YYYY-MM-DD",
                );
                let phone = text_row(
                    ui,
                    field::PHONE,
                    &mut form.draft.phone,
                    phone_err,
                    "+61 412 555 010",
                );
                let email = text_row(
                    ui,
                    field::EMAIL,
                    &mut form.draft.email,
                    email_err,
                    "name@example.com",
                );
                let label = ui.label(field::SKIN_TYPE);
                ui.vertical(|ui| {
                    let selected = form
                        .draft
                        .skin_type
                        .and_then(|n| SkinType::try_from(n).ok())
                        .map_or_else(|| "Choose…".to_owned(), |s| format!("{s} – {}", s.description()));
                    egui::ComboBox::from_id_salt("skin_type")
                        .selected_text(selected)
                        .width(320.0)
                        .show_ui(ui, |ui| {
                            for s in SkinType::ALL {
                                ui.selectable_value(
                                    &mut form.draft.skin_type,
                                    Some(s.number()),
                                    format!("{s} – {}", s.description()),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    error_line(ui, skin_err);
                });
                ui.end_row();
                crate::ui::widgets::multiline_row(ui, field::NOTES, &mut form.draft.notes, notes_err);
                crate::ui::widgets::enter_in(ui, &[&name, &dob, &phone, &email])
            });
        if grid.inner {
            action = Some(RecordAction::SubmitClientForm {
                confirm_duplicate: !form.duplicates.is_empty(),
            });
        }
        if !form.duplicates.is_empty() {
            ui.add_space(6.0);
            for d in &form.duplicates {
                ui.colored_label(
                    WARN_AMBER,
                    format!(
                        "{} born {} is already a client{}. Is this the same person?",
                        d.full_name,
                        d.date_of_birth,
                        d.phone
                            .as_deref()
                            .map(|p| format!(" (phone {p})"))
                            .unwrap_or_default()
                    ),
                );
            }
        }
        error_line(ui, form.save_error.clone());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if form.duplicates.is_empty() {
                if ui.button("Save client").clicked() {
                    action = Some(RecordAction::SubmitClientForm {
                        confirm_duplicate: false,
                    });
                }
            } else if ui.button("Save anyway").clicked() {
                action = Some(RecordAction::SubmitClientForm {
                    confirm_duplicate: true,
                });
            }
            if ui.button("Cancel").clicked() {
                action = Some(RecordAction::CloseDialog);
            }
        });
        action
    }
}
