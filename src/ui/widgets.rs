//! Small pieces the screens share: labelled fields with their error, evidence lines, banners.

use egui::RichText;

use crate::protocol::proposal::Basis;

pub use super::theme::{banner, BannerLevel, ERROR_RED, WARN_AMBER};

/// A label and a one-line text field named by it (screen readers and tests find the field by
/// the label), with the field's error under it. Meant for a two-column `Grid`.
pub fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
    hint: &str,
) -> egui::Response {
    field_row(
        ui,
        label,
        error,
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(320.0),
    )
}

/// Like [`text_row`] with several lines.
pub fn multiline_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
) -> egui::Response {
    field_row(
        ui,
        label,
        error,
        egui::TextEdit::multiline(value)
            .desired_rows(3)
            .desired_width(320.0),
    )
}

/// Like [`text_row`] for a password or PIN: what is typed shows as dots.
pub fn secret_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
) -> egui::Response {
    field_row(
        ui,
        label,
        error,
        egui::TextEdit::singleline(value)
            .password(true)
            .desired_width(240.0),
    )
}

/// A label, then `field` named by it with `error` under it, ending the grid's row.
fn field_row(
    ui: &mut egui::Ui,
    label: &str,
    error: Option<String>,
    field: impl egui::Widget,
) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let r = ui.add(field).labelled_by(label.id);
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

/// "Sources · tier C" in small print, the source ids and any disagreement on hover: every
/// suggestion shows where it comes from without the screen filling with codes.
pub fn basis_line(ui: &mut egui::Ui, basis: &Basis) {
    sources_mark(ui, &basis.describe(), basis.disagreement.as_deref());
}

/// "Sources disagree: …. The clinic's protocol decides." with one full stop after the summary.
pub fn disagreement_line(summary: &str) -> String {
    format!(
        "  Sources disagree: {} The clinic's protocol decides.",
        crate::domain::text::sentence(summary)
    )
}

/// The small "ℹ Sources" mark: `detail` (ids and tier) on hover; when sources disagree, the
/// mark says so in amber and the hover explains that the conservative value is used.
pub fn sources_mark(ui: &mut egui::Ui, detail: &str, disagreement: Option<&str>) -> egui::Response {
    let (text, colour) = match disagreement {
        Some(_) => ("ℹ Sources differ", WARN_AMBER),
        None => ("ℹ Sources", ui.visuals().weak_text_color()),
    };
    let mut hover = detail.to_owned();
    if let Some(d) = disagreement {
        hover.push('\n');
        hover.push_str(disagreement_line(d).trim());
    }
    ui.add(egui::Label::new(RichText::new(text).small().color(colour)).sense(egui::Sense::hover()))
        .on_hover_text(hover)
}

/// Enter pressed in one of these one-line fields: the front desk's "confirm" key.
pub fn enter_in(ui: &egui::Ui, fields: &[&egui::Response]) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Enter)) && fields.iter().any(|r| r.lost_focus())
}
