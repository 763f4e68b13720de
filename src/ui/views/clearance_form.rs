//! Recording a written clearance on the client's file: which contraindication it clears (only
//! the protocol's "needs clearance" rules are offered), who gave it and their role, the date
//! and the expiry, what it covers. Every field is checked at once; a failed save keeps what was
//! typed. Once saved it is signed and never changes.

use crate::domain::clearance::field;
use crate::domain::{ClearanceDraft, ValidationErrors};
use crate::protocol::{ContraindicationClass, Protocol};
use crate::ui::record::RecordAction;
use crate::ui::widgets::{error_line, multiline_row, text_row};

#[derive(Debug, Clone, Default)]
pub struct ClearanceForm {
    /// Fixed when the form opens: a second signing after a lost answer is not a second row.
    pub clearance_id: crate::domain::ClearanceId,
    pub draft: ClearanceDraft,
    pub errors: Option<ValidationErrors>,
    /// A save error that is not about one field (disk full, read-only...).
    pub save_error: Option<String>,
    /// Who signs the clearance onto the file, and their PIN.
    pub signer: String,
    pub pin: String,
}

impl ClearanceForm {
    /// A new form, dated today; `rule` pre-chosen when the record asked for one.
    pub fn new(today: chrono::NaiveDate, rule: Option<&str>) -> Self {
        Self {
            clearance_id: crate::domain::ClearanceId::new(),
            draft: ClearanceDraft {
                rule: rule.unwrap_or_default().to_owned(),
                given_on: today.to_string(),
                ..ClearanceDraft::default()
            },
            errors: None,
            save_error: None,
            signer: String::new(),
            pin: String::new(),
        }
    }

    fn error(&self, f: &str) -> Option<String> {
        self.errors
            .as_ref()
            .and_then(|e| e.for_field(f))
            .map(ToString::to_string)
    }
}

/// The contraindications a written clearance can lift: class "needs clearance".
pub fn clearable(protocol: &Protocol) -> impl Iterator<Item = (&str, &str)> {
    protocol
        .contraindications
        .iter()
        .filter(|c| c.class.value == Some(ContraindicationClass::Clearance))
        .map(|c| (c.id.as_str(), c.name.as_str()))
}

pub struct ClearanceFormView<'a> {
    pub form: &'a mut ClearanceForm,
    pub protocol: &'a Protocol,
    /// The accounts that may sign.
    pub signers: &'a [String],
    pub signer_status: crate::ui::views::signing::SignerStatus<'a>,
}

impl ClearanceFormView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RecordAction> {
        let mut action = None;
        let (form, protocol) = (&mut *self.form, self.protocol);
        ui.heading("Record a written clearance");
        ui.label("A doctor's written approval to treat despite a condition that needs one. It is signed when saved and cannot be changed afterwards.");
        ui.add_space(6.0);
        let errors = [
            field::RULE,
            field::GIVEN_BY,
            field::ROLE,
            field::GIVEN_ON,
            field::EXPIRES_ON,
            field::COVERS,
        ]
        .map(|f| form.error(f));
        let [rule_err, by_err, role_err, on_err, until_err, covers_err] = errors;
        egui::Grid::new("clearance_form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(field::RULE);
                ui.vertical(|ui| {
                    let shown = protocol
                        .contraindication(&form.draft.rule)
                        .map_or("Choose…", |c| c.name.as_str());
                    egui::ComboBox::from_id_salt("clearance_rule")
                        .selected_text(shown)
                        .width(320.0)
                        .show_ui(ui, |ui| {
                            for (id, name) in clearable(protocol) {
                                ui.selectable_value(&mut form.draft.rule, id.to_owned(), name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    error_line(ui, rule_err);
                });
                ui.end_row();
                text_row(
                    ui,
                    field::GIVEN_BY,
                    &mut form.draft.given_by,
                    by_err,
                    "Dr Amara Obi",
                );
                text_row(
                    ui,
                    field::ROLE,
                    &mut form.draft.role,
                    role_err,
                    "GP, haematologist, cardiologist…",
                );
                text_row(
                    ui,
                    field::GIVEN_ON,
                    &mut form.draft.given_on,
                    on_err,
                    "YYYY-MM-DD",
                );
                text_row(
                    ui,
                    field::EXPIRES_ON,
                    &mut form.draft.expires_on,
                    until_err,
                    "YYYY-MM-DD, as the letter says",
                );
                multiline_row(ui, field::COVERS, &mut form.draft.covers, covers_err);
                crate::ui::views::signing::signer_combo(
                    ui,
                    "Recorded and signed by",
                    &mut form.signer,
                    self.signers,
                );
                ui.end_row();
                crate::ui::widgets::secret_row(
                    ui,
                    crate::ui::views::signing::SIGNER_PIN_LABEL,
                    &mut form.pin,
                    self.signer_status.problem.map(ToOwned::to_owned),
                );
            });
        if self.signer_status.checking {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Checking the PIN…");
            });
        }
        error_line(ui, form.save_error.clone());
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !self.signer_status.checking,
                    egui::Button::new("Save and sign clearance"),
                )
                .clicked()
            {
                action = Some(RecordAction::SubmitClearanceForm);
            }
            if ui.button("Cancel").clicked() {
                action = Some(RecordAction::CloseDialog);
            }
        });
        action
    }
}
