//! The consent form: the document in full (scrollable, the text can be made larger), the
//! signer's name (or a representative's, with the relationship), the signature pad, and the
//! witness with their PIN.

use egui::RichText;

use crate::ui::consent::{ConsentAction, ConsentForm};
use crate::ui::views::signature_pad::SignaturePad;
use crate::ui::views::signing::signer_combo;
use crate::ui::widgets::{error_line, secret_row, text_row};

pub const SIGNER_NAME_LABEL: &str = "Name of the person signing";
pub const REPRESENTATIVE_LABEL: &str = "Signed by a representative (parent, guardian, attorney)";
pub const RELATIONSHIP_LABEL: &str = "Relationship to the client";
pub const WITNESS_LABEL: &str = "Witness";
pub const WITNESS_PIN_LABEL: &str = "Witness's PIN";
pub const CLEAR_LABEL: &str = "Clear the signature";
pub const SIGN_LABEL: &str = "Sign consent";
pub const LARGER_LABEL: &str = "Larger text";
pub const SMALLER_LABEL: &str = "Smaller text";
pub const CANCEL_LABEL: &str = "Cancel";

pub(crate) struct ConsentFormView<'a> {
    pub form: &'a mut ConsentForm,
    pub witnesses: &'a [String],
    pub checking_pin: bool,
    pub pin_problem: Option<&'a str>,
}

impl ConsentFormView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<ConsentAction> {
        let ConsentFormView {
            form,
            witnesses,
            checking_pin,
            pin_problem,
        } = self;
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(format!("{} — {}", form.document.title, form.client_name));
            ui.add_space(12.0);
            if ui.button("A−").on_hover_text(SMALLER_LABEL).clicked() {
                action = Some(ConsentAction::TextLarger(false));
            }
            if ui.button("A+").on_hover_text(LARGER_LABEL).clicked() {
                action = Some(ConsentAction::TextLarger(true));
            }
        });
        ui.label(
            RichText::new(format!("Document version {}", &form.document.version[..16]))
                .weak()
                .small(),
        );
        let text_height = (ui.available_height() - 330.0).max(160.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("consent_text")
                .max_height(text_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for line in form.document.text.lines() {
                        ui.label(RichText::new(line).size(form.text_size));
                    }
                });
        });
        ui.add_space(6.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                egui::Grid::new("consent_signer")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        text_row(
                            ui,
                            SIGNER_NAME_LABEL,
                            &mut form.signer_name,
                            None,
                            "as they write it",
                        );
                        ui.end_row();
                        ui.label("");
                        let rep = ui.checkbox(&mut form.by_representative, REPRESENTATIVE_LABEL);
                        if form.minor {
                            rep.on_hover_text("The client is under 18: a parent or guardian signs.");
                        }
                        ui.end_row();
                        if form.by_representative {
                            text_row(
                                ui,
                                RELATIONSHIP_LABEL,
                                &mut form.relationship,
                                None,
                                "e.g. mother",
                            );
                            ui.end_row();
                        }
                        signer_combo(ui, WITNESS_LABEL, &mut form.witness, witnesses);
                        ui.end_row();
                        secret_row(
                            ui,
                            WITNESS_PIN_LABEL,
                            &mut form.pin,
                            pin_problem.map(str::to_owned),
                        );
                        ui.end_row();
                    });
            });
            ui.add_space(16.0);
            ui.vertical(|ui| {
                let width = ui.available_width().clamp(300.0, 640.0);
                SignaturePad {
                    signature: &mut form.signature,
                    started: &mut form.started,
                    width,
                }
                .ui(ui);
                if ui.button(CLEAR_LABEL).clicked() {
                    action = Some(ConsentAction::ClearSignature);
                }
            });
        });
        error_line(ui, form.error.clone());
        ui.horizontal(|ui| {
            let sign = ui.add_enabled(
                !checking_pin,
                egui::Button::new(RichText::new(SIGN_LABEL).strong()),
            );
            if sign.clicked() {
                action = Some(ConsentAction::Sign);
            }
            if checking_pin {
                ui.spinner();
            }
            if ui.button(CANCEL_LABEL).clicked() {
                action = Some(ConsentAction::Cancel);
            }
        });
        action
    }
}
