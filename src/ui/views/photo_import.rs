//! The photo dialogs: importing files (dropped on the window, or a path typed or pasted), tagged
//! with area, view, date and session, with a progress bar while they are stored; hiding one with
//! a reason; a note on one; exporting one.

use std::path::PathBuf;

use egui::RichText;

use crate::domain::{PhotoId, PhotoView, SessionId};
use crate::ui::photos::PhotoAction;
use crate::ui::widgets::error_line;

pub const PATH_LABEL: &str = "Photo file or folder";
pub const ADD_LABEL: &str = "Add";
pub const AREA_LABEL: &str = "Area";
pub const VIEW_LABEL: &str = "View";
pub const TAKEN_LABEL: &str = "Taken on";
pub const CAMERA_DATE_LABEL: &str = "Use the date the camera recorded";
pub const SESSION_LABEL: &str = "Session";
pub const IMPORT_LABEL: &str = "Import";
pub const REASON_LABEL: &str = "Why it is hidden";
pub const NOTE_TEXT_LABEL: &str = "Note";
pub const EXPORT_PATH_LABEL: &str = "Write the photo to";
pub const MARKETING_LABEL: &str = "For the clinic's marketing (needs the marketing consent)";

#[derive(Debug, Clone, Default)]
pub struct ImportForm {
    pub files: Vec<PathBuf>,
    pub typed_path: String,
    pub area: String,
    pub view: Option<PhotoView>,
    pub camera_date: bool,
    pub taken: String,
    pub session: Option<SessionId>,
    pub error: Option<String>,
    /// After an import: what happened to each file.
    pub results: Vec<(bool, String)>,
}

pub struct ImportView<'a> {
    pub form: &'a mut ImportForm,
    /// (id, name) of the protocol's areas.
    pub areas: &'a [(String, String)],
    /// (id, "Session 2 · 3 Oct 2026") of the client's sessions.
    pub sessions: &'a [(SessionId, String)],
    /// (done, of) while importing.
    pub progress: Option<(usize, usize)>,
}

impl ImportView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<PhotoAction> {
        let mut action = None;
        let f = self.form;
        ui.heading("Import photos");
        ui.label(
            RichText::new(
                "JPEG or PNG. Each is turned upright and stored without its metadata (GPS position, camera serial).",
            )
            .weak(),
        );
        let busy = self.progress.is_some();
        ui.add_enabled_ui(!busy, |ui| {
            ui.horizontal(|ui| {
                ui.label(PATH_LABEL);
                let r = ui.add(egui::TextEdit::singleline(&mut f.typed_path).desired_width(360.0));
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, PATH_LABEL));
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(ADD_LABEL).clicked() || enter {
                    action = Some(PhotoAction::AddTypedPath);
                }
            });
            if f.files.is_empty() {
                ui.label(
                    RichText::new("No files yet: drop them on the window, or type a path and Add.").weak(),
                );
            }
            egui::ScrollArea::vertical().max_height(140.0).show(ui, |ui| {
                for (i, file) in f.files.iter().enumerate() {
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("✖")
                            .on_hover_text("Leave this file out")
                            .clicked()
                        {
                            action = Some(PhotoAction::RemoveFile(i));
                        }
                        ui.label(file.display().to_string());
                    });
                }
            });
            egui::Grid::new("photo tags")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    ui.label(AREA_LABEL);
                    let shown = self
                        .areas
                        .iter()
                        .find(|(id, _)| *id == f.area)
                        .map_or("Choose…", |(_, n)| n.as_str());
                    egui::ComboBox::from_id_salt(AREA_LABEL)
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for (id, name) in self.areas {
                                ui.selectable_value(&mut f.area, id.clone(), name);
                            }
                        })
                        .response
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, AREA_LABEL));
                    ui.end_row();
                    ui.label(VIEW_LABEL);
                    egui::ComboBox::from_id_salt(VIEW_LABEL)
                        .selected_text(f.view.map_or("Choose…", PhotoView::words))
                        .show_ui(ui, |ui| {
                            for v in PhotoView::ALL {
                                ui.selectable_value(&mut f.view, Some(v), v.words());
                            }
                        })
                        .response
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, VIEW_LABEL));
                    ui.end_row();
                    ui.label(TAKEN_LABEL);
                    ui.vertical(|ui| {
                        ui.checkbox(&mut f.camera_date, CAMERA_DATE_LABEL);
                        if !f.camera_date {
                            let r = ui.add(
                                egui::TextEdit::singleline(&mut f.taken)
                                    .hint_text("2026-11-30")
                                    .desired_width(120.0),
                            );
                            r.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::TextInput, true, TAKEN_LABEL)
                            });
                        }
                    });
                    ui.end_row();
                    ui.label(SESSION_LABEL);
                    let shown = f
                        .session
                        .and_then(|s| self.sessions.iter().find(|(id, _)| *id == s))
                        .map_or("None", |(_, l)| l.as_str());
                    egui::ComboBox::from_id_salt(SESSION_LABEL)
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut f.session, None, "None");
                            for (id, label) in self.sessions {
                                ui.selectable_value(&mut f.session, Some(*id), label);
                            }
                        })
                        .response
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, SESSION_LABEL));
                    ui.end_row();
                });
        });
        if let Some((done, of)) = self.progress {
            #[allow(clippy::cast_precision_loss)]
            let fraction = if of == 0 { 1.0 } else { done as f32 / of as f32 };
            ui.add(egui::ProgressBar::new(fraction).text(format!("Storing photos: {done} of {of}")));
        }
        for (ok, line) in &f.results {
            let color = if *ok {
                ui.visuals().text_color()
            } else {
                crate::ui::theme::ERROR_RED
            };
            ui.label(RichText::new(line).color(color));
        }
        error_line(ui, f.error.clone());
        ui.horizontal(|ui| {
            let label = format!("{IMPORT_LABEL} {} photo(s)", f.files.len());
            if ui
                .add_enabled(!busy && !f.files.is_empty(), egui::Button::new(label))
                .clicked()
            {
                action = Some(PhotoAction::RunImport);
            }
            if ui.add_enabled(!busy, egui::Button::new("Close")).clicked() {
                action = Some(PhotoAction::CloseDialog);
            }
        });
        action
    }
}

/// Hiding a photo, or a note on one: one text and the button.
#[derive(Debug, Clone)]
pub struct TextForm {
    pub photo: PhotoId,
    pub text: String,
    pub error: Option<String>,
}

pub fn hide_ui(ui: &mut egui::Ui, form: &mut TextForm) -> Option<PhotoAction> {
    text_dialog(
        ui,
        form,
        "Hide this photo",
        "A hidden photo is kept (it is part of the record) but left out of timelines and reports.",
        REASON_LABEL,
        "Hide the photo",
        PhotoAction::SubmitHide,
    )
}

pub fn note_ui(ui: &mut egui::Ui, form: &mut TextForm) -> Option<PhotoAction> {
    text_dialog(
        ui,
        form,
        "Note on this photo",
        "The note is kept beside the photo; the photo itself never changes.",
        NOTE_TEXT_LABEL,
        "Save the note",
        PhotoAction::SubmitNote,
    )
}

fn text_dialog(
    ui: &mut egui::Ui,
    form: &mut TextForm,
    title: &str,
    explain: &str,
    label: &str,
    button: &str,
    submit: PhotoAction,
) -> Option<PhotoAction> {
    let mut action = None;
    ui.heading(title);
    ui.label(RichText::new(explain).weak());
    ui.label(label);
    let r = ui.add(
        egui::TextEdit::multiline(&mut form.text)
            .desired_rows(3)
            .desired_width(420.0),
    );
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
    error_line(ui, form.error.clone());
    ui.horizontal(|ui| {
        if ui.button(button).clicked() {
            action = Some(submit);
        }
        if ui.button("Cancel").clicked() {
            action = Some(PhotoAction::CloseDialog);
        }
    });
    action
}

/// Where to write one photo, and whether it is for marketing.
#[derive(Debug, Clone)]
pub struct ExportForm {
    pub photo: PhotoId,
    pub path: String,
    pub marketing: bool,
    pub error: Option<String>,
}

pub fn export_ui(ui: &mut egui::Ui, form: &mut ExportForm) -> Option<PhotoAction> {
    let mut action = None;
    ui.heading("Export the photo");
    ui.label(RichText::new("The original, upright and without metadata. The export is recorded.").weak());
    ui.label(EXPORT_PATH_LABEL);
    let r = ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(460.0));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, EXPORT_PATH_LABEL));
    ui.checkbox(&mut form.marketing, MARKETING_LABEL);
    error_line(ui, form.error.clone());
    ui.horizontal(|ui| {
        if ui.button("Export").clicked() {
            action = Some(PhotoAction::SubmitExport);
        }
        if ui.button("Cancel").clicked() {
            action = Some(PhotoAction::CloseDialog);
        }
    });
    action
}
