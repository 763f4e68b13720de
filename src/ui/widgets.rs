//! Small pieces the screens share: labelled fields with their error, evidence lines, banners.

use egui::{Color32, RichText};

use crate::protocol::proposal::Basis;

pub const ERROR_RED: Color32 = Color32::from_rgb(0xd0, 0x30, 0x30);
pub const WARN_AMBER: Color32 = Color32::from_rgb(0xc8, 0x82, 0x00);

/// A label and a one-line text field named by it (screen readers and tests find the field by
/// the label), with the field's error under it. Meant for a two-column `Grid`.
pub fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
    hint: &str,
) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            error_line(ui, error);
            r
        })
        .inner;
    ui.end_row();
    response
}

/// Like [`text_row`] with several lines.
pub fn multiline_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::multiline(value)
                        .desired_rows(3)
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            error_line(ui, error);
            r
        })
        .inner;
    ui.end_row();
    response
}

pub fn error_line(ui: &mut egui::Ui, error: Option<String>) {
    if let Some(e) = error {
        ui.label(RichText::new(e).color(ERROR_RED));
    }
}

/// "sources C1, C2 · tier C (clinic convention)", and the disagreement when sources differ.
pub fn basis_line(ui: &mut egui::Ui, basis: &Basis) {
    ui.label(RichText::new(basis.describe()).small().weak());
    if let Some(d) = &basis.disagreement {
        ui.label(
            RichText::new(format!("Sources disagree: {d}"))
                .small()
                .color(WARN_AMBER),
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerLevel {
    Stop,
    Warn,
    Info,
}

pub fn banner(ui: &mut egui::Ui, level: BannerLevel, text: &str) {
    let (fill, stroke) = match level {
        BannerLevel::Stop => (Color32::from_rgb(0x5a, 0x12, 0x12), ERROR_RED),
        BannerLevel::Warn => (Color32::from_rgb(0x4a, 0x36, 0x05), WARN_AMBER),
        BannerLevel::Info => (
            Color32::from_rgb(0x14, 0x30, 0x4a),
            Color32::from_rgb(0x40, 0x90, 0xd0),
        ),
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, stroke))
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(Color32::WHITE).strong());
        });
}

/// Enter pressed in one of these one-line fields: the front desk's "confirm" key.
pub fn enter_in(ui: &egui::Ui, fields: &[&egui::Response]) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Enter)) && fields.iter().any(|r| r.lost_focus())
}
