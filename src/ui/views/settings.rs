//! Settings: the clinic's details for printed sheets, paper size, practitioners, theme.

use crate::domain::settings::{field, ClinicSettingsDraft};
use crate::domain::{ClinicSettings, PaperSize, ValidationErrors};
use crate::ui::settings::SettingsAction;
use crate::ui::views::backups::BackupsPanel;
use crate::ui::Action;
use egui::RichText;

/// The settings form as typed: the domain's draft (which validates it) and what its last
/// save found wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub draft: ClinicSettingsDraft,
    pub errors: Option<ValidationErrors>,
}

impl SettingsForm {
    pub fn from_settings(settings: &ClinicSettings) -> Self {
        Self {
            draft: ClinicSettingsDraft::from_settings(settings),
            errors: None,
        }
    }

    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<ClinicSettings, ValidationErrors> {
        self.draft.validate()
    }
}

pub struct SettingsView<'a> {
    pub form: &'a mut SettingsForm,
    /// How sheets are printed (saved with the clinic's details).
    pub print: &'a mut crate::domain::PrintSettings,
    /// Where sheets go when no folder is chosen.
    pub documents_default: std::path::PathBuf,
    pub dark_mode: bool,
    pub read_only: bool,
    pub backups: BackupsPanel<'a>,
    pub database: crate::ui::views::database_choice::DatabaseChoicePanel<'a>,
}

impl SettingsView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.heading("Settings");
        ui.label("The clinic's details are printed on every sheet.");
        ui.add_space(8.0);

        egui::ScrollArea::vertical()
            .id_salt("settings_scroll")
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("settings_grid")
                    .num_columns(2)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| clinic_fields_ui(ui, self.form, !self.read_only));

                ui.add_space(12.0);
                self.printing_ui(ui);

                ui.add_space(12.0);
                let mut dark = self.dark_mode;
                if ui.checkbox(&mut dark, "Dark theme").changed() {
                    action = Some(Action::SetDarkMode(dark));
                }

                ui.add_space(12.0);
                let save = ui
                    .add_enabled(!self.read_only, egui::Button::new("Save settings"))
                    .on_disabled_hover_text("This database is open read-only; nothing can be saved.");
                if save.clicked() {
                    action = Some(SettingsAction::Save.into());
                }
                if let Some(errors) = &self.form.errors {
                    if !errors.0.is_empty() {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            "Nothing was saved. Fix the fields marked in red.",
                        );
                    }
                }

                ui.add_space(16.0);
                ui.separator();
                if let Some(a) = self.database.ui(ui) {
                    action = Some(a.into());
                }

                ui.add_space(16.0);
                ui.separator();
                if let Some(a) = self.backups.ui(ui, self.read_only) {
                    action = Some(a.into());
                }
            });
        action
    }

    /// Where printed sheets are saved, and whether they go straight to the printer.
    fn printing_ui(&mut self, ui: &mut egui::Ui) {
        let editable = !self.read_only;
        ui.label(RichText::new("Printed sheets").strong());
        egui::Grid::new("print_settings_grid")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Documents folder");
                ui.vertical(|ui| {
                    ui.add_enabled(
                        editable,
                        egui::TextEdit::singleline(&mut self.print.documents_dir)
                            .desired_width(360.0)
                            .hint_text(self.documents_default.display().to_string()),
                    )
                    .labelled_by(label.id);
                    ui.small("Each sheet is saved here as a PDF. Leave blank for the folder shown.");
                });
                ui.end_row();
            });
        let lp_found = crate::print::deliver::lp_installed();
        ui.add_enabled(
            editable,
            egui::Checkbox::new(
                &mut self.print.use_lp,
                "Send sheets straight to the default printer (lp)",
            ),
        )
        .on_hover_text("Otherwise each sheet opens in the PDF viewer, to print from there.");
        if self.print.use_lp && !lp_found {
            ui.small("The printer command lp is not installed here, so sheets will open in the viewer.");
        }
    }
}

/// The clinic's details, two columns of a grid (label, field with its problem under it):
/// Settings and the first-start welcome both use them.
pub fn clinic_fields_ui(ui: &mut egui::Ui, form: &mut SettingsForm, editable: bool) {
    let label = ui.label(field::CLINIC_NAME);
    ui.vertical(|ui| {
        ui.add_enabled(
            editable,
            egui::TextEdit::singleline(&mut form.draft.name).desired_width(360.0),
        )
        .labelled_by(label.id);
        field_error_ui(ui, form.errors.as_ref(), field::CLINIC_NAME);
    });
    ui.end_row();

    let label = ui.label(field::ADDRESS);
    ui.vertical(|ui| {
        ui.add_enabled(
            editable,
            egui::TextEdit::multiline(&mut form.draft.address)
                .desired_rows(3)
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        field_error_ui(ui, form.errors.as_ref(), field::ADDRESS);
    });
    ui.end_row();

    let label = ui.label(field::PHONE);
    ui.vertical(|ui| {
        ui.add_enabled(
            editable,
            egui::TextEdit::singleline(&mut form.draft.phone).desired_width(200.0),
        )
        .labelled_by(label.id);
        field_error_ui(ui, form.errors.as_ref(), field::PHONE);
    });
    ui.end_row();

    let label = ui.label(field::PAPER_SIZE);
    ui.vertical(|ui| {
        ui.add_enabled_ui(editable, |ui| {
            egui::ComboBox::from_id_salt("settings_paper_size")
                .selected_text(shown_paper_size(&form.draft.paper_size))
                .show_ui(ui, |ui| {
                    for size in PaperSize::ALL {
                        let name = size.to_string();
                        let selected = form.draft.paper_size.trim().eq_ignore_ascii_case(&name);
                        if ui.selectable_label(selected, &name).clicked() {
                            form.draft.paper_size = name;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        field_error_ui(ui, form.errors.as_ref(), field::PAPER_SIZE);
    });
    ui.end_row();

    let label = ui.label(field::PRACTITIONERS);
    ui.vertical(|ui| {
        ui.add_enabled(
            editable,
            egui::TextEdit::multiline(&mut form.draft.practitioners)
                .desired_rows(4)
                .desired_width(360.0)
                .hint_text("One name per line"),
        )
        .labelled_by(label.id);
        ui.small(
            "One name per line, kept from before staff accounts. Who may sign is set in Settings, Staff.",
        );
        field_error_ui(ui, form.errors.as_ref(), field::PRACTITIONERS);
    });
    ui.end_row();
}

/// The paper size as typed, or the default when the form holds nothing yet.
fn shown_paper_size(typed: &str) -> String {
    if typed.trim().is_empty() {
        PaperSize::default().to_string()
    } else {
        typed.trim().to_owned()
    }
}

/// The field's problem, in red under it.
fn field_error_ui(ui: &mut egui::Ui, errors: Option<&ValidationErrors>, field: &str) {
    if let Some(error) = errors.and_then(|e| e.for_field(field)) {
        ui.colored_label(ui.visuals().error_fg_color, error.to_string());
    }
}
