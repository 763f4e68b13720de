//! Correcting a signed session: the signed record stays as it is; the correction is a new,
//! signed amendment that says what was wrong and what is right.

use crate::domain::SessionId;
use crate::ui::sessions::SessionsAction;
use crate::ui::widgets::{enter_in, error_line, multiline_row, text_row};

pub const SAVE_LABEL: &str = "Sign amendment";

#[derive(Debug, Clone, Default)]
pub struct SessionAmendmentForm {
    pub session: Option<SessionId>,
    pub session_label: String,
    pub reason: String,
    pub correction: String,
    pub signer: String,
    pub error: Option<String>,
}

pub struct SessionAmendmentView<'a> {
    pub form: &'a mut SessionAmendmentForm,
}

impl SessionAmendmentView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SessionsAction> {
        let f = &mut *self.form;
        ui.heading(format!("Amend {}", f.session_label));
        ui.label("The signed session stays exactly as it was signed. The amendment is added beside it.");
        let mut action = None;
        egui::Grid::new("session_amendment")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let reason = text_row(
                    ui,
                    "Reason for the amendment",
                    &mut f.reason,
                    None,
                    "what was wrong",
                );
                multiline_row(ui, "Correction", &mut f.correction, None);
                let signer = text_row(ui, "Amendment signed by", &mut f.signer, None, "practitioner");
                if enter_in(ui, &[&reason, &signer]) {
                    action = Some(SessionsAction::SubmitAmendment);
                }
            });
        error_line(ui, f.error.clone());
        ui.horizontal(|ui| {
            if ui.button(SAVE_LABEL).clicked() {
                action = Some(SessionsAction::SubmitAmendment);
            }
            if ui.button("Cancel").clicked() {
                action = Some(SessionsAction::CloseDialog);
            }
        });
        action
    }
}
