//! The client record's data-rights dialogs: where to export the complete record, and the
//! confirmation before anonymising (which says what is removed and what is kept).

use egui::{Key, RichText};

use crate::ui::record::RecordAction;
use crate::ui::widgets::{enter_in, error_line, text_row};

pub const EXPORT_PATH_LABEL: &str = "Export to file";

/// The export dialog as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportForm {
    pub client_name: String,
    pub path: String,
    /// Why the last attempt failed (the dialog stays open with the path as typed).
    pub error: Option<String>,
}

pub struct ExportView<'a> {
    pub form: &'a mut ExportForm,
}

impl ExportView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RecordAction> {
        let mut action = None;
        let form = &mut *self.form;
        ui.heading(format!("Export the record of {}", form.client_name));
        ui.label(
            "Writes everything the clinic holds about this client — details, concerns, plans, sessions, \
             screenings with their answers and signatures, amendments and the history — as one JSON file. \
             The export is recorded in the history. The file holds personal data: give it only to the \
             client or whoever they asked for.",
        );
        ui.add_space(6.0);
        let entered = egui::Grid::new("export_form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let field = text_row(ui, EXPORT_PATH_LABEL, &mut form.path, None, "a .json file");
                enter_in(ui, &[&field])
            })
            .inner;
        error_line(ui, form.error.clone());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Write export").clicked() || entered {
                action = Some(RecordAction::ConfirmExport);
            }
            if ui.button("Cancel").clicked() {
                action = Some(RecordAction::CloseDialog);
            }
        });
        action
    }
}

/// "Anonymise <name>?" with what is removed and what is kept. Enter confirms; Esc cancels
/// (as for every dialog).
pub fn confirm_anonymise_ui(
    ui: &mut egui::Ui,
    name: &str,
    short_id: &str,
    birth_year: i32,
) -> Option<RecordAction> {
    let mut action = None;
    ui.heading(format!("Anonymise {name}?"));
    ui.label(format!(
        "Their name, phone, email and notes are removed for good, and the date of birth keeps only \
         its year ({birth_year}-01-01). They will be listed as \"{} {short_id}\".",
        crate::domain::client::ANONYMISED_NAME
    ));
    ui.label(
        "Their concerns, plans, sessions and signed screenings stay, without their name, for the \
         clinic's statistics; the signatures on them are the practitioners' and stay too. The history \
         records who anonymised them and when.",
    );
    ui.label(
        RichText::new(
            "This cannot be undone. Backups made before now still hold the old details until they are \
             rotated out. Export the record first if the client asked for a copy.",
        )
        .strong(),
    );
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Anonymise client").clicked() {
            action = Some(RecordAction::ConfirmAnonymise);
        }
        if ui.button("Cancel").clicked() {
            action = Some(RecordAction::CloseDialog);
        }
    });
    if action.is_none() && ui.input(|i| i.key_pressed(Key::Enter)) {
        action = Some(RecordAction::ConfirmAnonymise);
    }
    action
}
