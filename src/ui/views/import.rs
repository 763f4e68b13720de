//! Importing clients from a CSV file: choose the file, see what would be added and every
//! line's problem (nothing is added yet), then confirm.

use egui::RichText;

use crate::import::{ImportPreview, LineProblem};
use crate::ui::clients::ClientsAction;
use crate::ui::widgets::{enter_in, error_line, text_row, WARN_AMBER};

pub const FILE_LABEL: &str = "CSV file";
/// The most problem lines listed; the CLI lists them all.
const SHOWN: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportForm {
    pub path: String,
    /// The last preview, of the file named in `previewed`.
    pub preview: Option<ImportPreview>,
    pub previewed: String,
    /// Why the file could not be read at all.
    pub error: Option<String>,
}

pub struct ImportView<'a> {
    pub form: &'a mut ImportForm,
}

impl ImportView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<ClientsAction> {
        let mut action = None;
        let form = &mut *self.form;
        ui.heading("Import clients from a CSV file");
        ui.label(
            "Save the spreadsheet as CSV (UTF-8). Its first line names the columns: full_name (or \
             first_name and last_name), date_of_birth (YYYY-MM-DD), skin_type (1–6 or I–VI), and \
             optionally phone, email, notes. Every line is checked as the client form checks it; \
             nothing is added until you confirm.",
        );
        ui.add_space(6.0);
        let entered = egui::Grid::new("import_form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let field = text_row(ui, FILE_LABEL, &mut form.path, None, "clients.csv");
                enter_in(ui, &[&field])
            })
            .inner;
        if ui.button("Preview").clicked() || entered {
            action = Some(ClientsAction::PreviewImport);
        }
        error_line(ui, form.error.clone());
        // A preview is only good for the file it read.
        let current = form
            .preview
            .as_ref()
            .filter(|_| form.previewed == form.path.trim());
        if let Some(p) = current {
            ui.add_space(6.0);
            ui.label(RichText::new(p.summary()).strong());
            for c in &p.ignored_columns {
                ui.label(RichText::new(format!("Column \"{c}\" is not imported.")).weak());
            }
            problem_list_ui(ui, "Problems (not added)", &p.problems, "import_problems");
            problem_list_ui(
                ui,
                "Already clients (skipped)",
                &p.duplicates,
                "import_duplicates",
            );
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let n = current.map_or(0, |p| p.to_add.len());
            let label = if n == 1 {
                "Add 1 client".to_owned()
            } else {
                format!("Add {n} clients")
            };
            let add = ui
                .add_enabled(n > 0, egui::Button::new(label))
                .on_disabled_hover_text("Nothing to add: preview a file with good lines first.");
            if add.clicked() {
                action = Some(ClientsAction::ConfirmImport);
            }
            if ui.button("Cancel").clicked() {
                action = Some(ClientsAction::CloseDialog);
            }
        });
        action
    }
}

fn problem_list_ui(ui: &mut egui::Ui, title: &str, lines: &[LineProblem], id: &str) {
    if lines.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new(title).color(WARN_AMBER));
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(180.0)
        .show(ui, |ui| {
            egui::Grid::new(id).striped(true).num_columns(2).show(ui, |ui| {
                ui.label(RichText::new("Line").strong());
                ui.label(RichText::new("Problem").strong());
                ui.end_row();
                for p in lines.iter().take(SHOWN) {
                    ui.label(p.line.to_string());
                    ui.label(&p.message);
                    ui.end_row();
                }
            });
            if lines.len() > SHOWN {
                ui.label(format!(
                    "… and {} more (`needlepoint import FILE` lists them all).",
                    lines.len() - SHOWN
                ));
            }
        });
}
