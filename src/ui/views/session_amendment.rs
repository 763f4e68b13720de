//! Correcting a signed session: the signed record stays as it is; the correction is a new,
//! signed amendment that says what was wrong and what is right.

use crate::domain::SessionId;
use crate::ui::sessions::SessionsAction;
use crate::ui::views::signing::{self, Choice};
use crate::ui::widgets::{error_line, multiline_row, text_row};

pub const SAVE_LABEL: &str = "Sign amendment";

#[derive(Debug, Clone, Default)]
pub struct SessionAmendmentForm {
    /// Fixed when the form opens: a second signing after a lost answer is not a second row.
    pub amendment_id: crate::domain::AmendmentId,
    pub session: Option<SessionId>,
    pub session_label: String,
    pub reason: String,
    pub correction: String,
    pub signer: String,
    /// The signer's PIN, typed under the summary.
    pub pin: String,
    pub error: Option<String>,
    /// The summary is shown: the next click signs.
    pub confirming: bool,
}

pub struct SessionAmendmentView<'a> {
    pub form: &'a mut SessionAmendmentForm,
    /// The accounts that may sign.
    pub signers: &'a [String],
    pub signer_status: signing::SignerStatus<'a>,
}

impl SessionAmendmentView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SessionsAction> {
        let f = &mut *self.form;
        ui.heading(format!("Amend {}", f.session_label));
        ui.label("The signed session stays exactly as it was signed. The amendment is added beside it.");
        if f.confirming {
            let pin = self.signer_status.entry(&mut f.pin);
            let choice =
                signing::amendment_ui(ui, &f.session_label, &f.reason, &f.correction, &f.signer, pin);
            error_line(ui, f.error.clone());
            return match choice {
                Some(Choice::Sign) => Some(SessionsAction::SubmitAmendment),
                Some(Choice::Back) => Some(SessionsAction::BackToAmendment),
                None => None,
            };
        }
        let mut action = None;
        // Enter signs nothing: the button shows what would be signed first.
        egui::Grid::new("session_amendment")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                text_row(
                    ui,
                    "Reason for the amendment",
                    &mut f.reason,
                    None,
                    "what was wrong",
                );
                multiline_row(ui, "Correction", &mut f.correction, None);
                signing::signer_combo(ui, "Amendment signed by", &mut f.signer, self.signers);
                ui.end_row();
            });
        error_line(ui, f.error.clone());
        ui.horizontal(|ui| {
            if ui.button(SAVE_LABEL).clicked() {
                action = Some(SessionsAction::ReviewAmendment);
            }
            if ui.button("Cancel").clicked() {
                action = Some(SessionsAction::CloseDialog);
            }
        });
        action
    }
}
