//! The look, in one place: a calm palette for light and dark, a type scale, spacing, and the
//! marks that carry meaning (outcome chips, banners, the focus bar). Meaning is never colour
//! alone: every chip and banner pairs its colour with an icon and a word.

use egui::{Color32, CornerRadius, FontFamily, FontId, RichText, Stroke, TextStyle, Theme};

use crate::domain::OutcomeKind;

/// Errors and "stop" (do not treat, defer).
pub const ERROR_RED: Color32 = Color32::from_rgb(0xc0, 0x2b, 0x2b);
/// Cautions, and where sources disagree.
pub const WARN_AMBER: Color32 = Color32::from_rgb(0xb8, 0x6e, 0x00);
/// Clear to go ahead.
pub const OK_GREEN: Color32 = Color32::from_rgb(0x2e, 0x7d, 0x4f);
/// The clinic's accent: selection, focus, links (a calm teal).
pub const ACCENT: Color32 = Color32::from_rgb(0x1f, 0x7a, 0x8c);
/// Information that needs no action.
pub const INFO_BLUE: Color32 = Color32::from_rgb(0x2f, 0x6f, 0xb0);

/// The type scale (points): headings, body and buttons, small print.
pub const HEADING: f32 = 20.0;
pub const BODY: f32 = 14.5;
pub const SMALL: f32 = 12.0;

/// Sets fonts' sizes, spacing and colours for both light and dark.
pub fn install(ctx: &egui::Context) {
    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |style| {
            style.text_styles = [
                (TextStyle::Heading, FontId::new(HEADING, FontFamily::Proportional)),
                (TextStyle::Body, FontId::new(BODY, FontFamily::Proportional)),
                (TextStyle::Button, FontId::new(BODY, FontFamily::Proportional)),
                (TextStyle::Small, FontId::new(SMALL, FontFamily::Proportional)),
                (
                    TextStyle::Monospace,
                    FontId::new(BODY - 1.0, FontFamily::Monospace),
                ),
            ]
            .into();
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
            style.spacing.button_padding = egui::vec2(8.0, 4.0);
            style.spacing.interact_size.y = 24.0;
            // Tall enough that the protocol's lists (14 concerns, the areas) open whole: an
            // option hidden below a scroll is one a practitioner does not see.
            style.spacing.combo_height = 460.0;
            let dark = theme == Theme::Dark;
            let v = &mut style.visuals;
            v.selection.bg_fill = if dark {
                Color32::from_rgb(0x1d, 0x55, 0x60)
            } else {
                Color32::from_rgb(0xcf, 0xe9, 0xee)
            };
            v.selection.stroke = Stroke::new(
                1.5,
                if dark {
                    Color32::from_rgb(0x9c, 0xd8, 0xe3)
                } else {
                    ACCENT
                },
            );
            v.hyperlink_color = if dark {
                Color32::from_rgb(0x7f, 0xc8, 0xd6)
            } else {
                ACCENT
            };
            v.error_fg_color = ERROR_RED;
            v.warn_fg_color = WARN_AMBER;
            if !dark {
                v.panel_fill = Color32::from_rgb(0xf6, 0xf7, 0xf7);
                v.window_fill = Color32::from_rgb(0xfc, 0xfc, 0xfc);
                v.faint_bg_color = Color32::from_rgb(0xee, 0xf1, 0xf2);
                v.extreme_bg_color = Color32::WHITE;
            }
            for w in [
                &mut v.widgets.inactive,
                &mut v.widgets.hovered,
                &mut v.widgets.active,
                &mut v.widgets.open,
            ] {
                w.corner_radius = CornerRadius::same(4);
            }
            // A focused field or button shows a clear ring, not a faint one.
            v.widgets.active.bg_stroke = Stroke::new(
                2.0,
                if dark {
                    Color32::from_rgb(0x9c, 0xd8, 0xe3)
                } else {
                    ACCENT
                },
            );
        });
    }
}

/// The bar at the left edge of a highlighted or focused list row.
pub fn focus_bar(ui: &egui::Ui, rect: egui::Rect) {
    let bar = egui::Rect::from_min_size(rect.min, egui::vec2(4.0, rect.height()));
    ui.painter().rect_filled(bar, 1.0, ACCENT);
}

/// The icon and colour that go with an outcome (its word is its `Display`).
pub fn outcome_mark(kind: OutcomeKind) -> (&'static str, Color32) {
    match kind {
        OutcomeKind::Clear => ("✔", OK_GREEN),
        OutcomeKind::Caution => ("⚠", WARN_AMBER),
        OutcomeKind::NeedsClearance => ("✉", WARN_AMBER),
        OutcomeKind::Defer => ("⏸", ERROR_RED),
        OutcomeKind::DoNotTreat => ("⛔", ERROR_RED),
    }
}

/// An outcome as a chip: icon, word and colour together.
pub fn outcome_chip(ui: &mut egui::Ui, kind: OutcomeKind) -> egui::Response {
    let (icon, colour) = outcome_mark(kind);
    chip(ui, icon, &kind.to_string(), colour)
}

/// A small rounded mark: an icon and a word on a tint of `colour`.
pub fn chip(ui: &mut egui::Ui, icon: &str, word: &str, colour: Color32) -> egui::Response {
    egui::Frame::new()
        .fill(colour.gamma_multiply(0.15))
        .stroke(Stroke::new(1.0, colour))
        .corner_radius(10.0)
        .inner_margin(egui::Margin::symmetric(8, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(format!("{icon} {word}")).color(colour).strong());
        })
        .response
}

/// How loud a banner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerLevel {
    Stop,
    Warn,
    Info,
    /// Good news: clear to go ahead, saved.
    Ok,
}

/// A full-width message with an icon, readable in light and dark.
pub fn banner(ui: &mut egui::Ui, level: BannerLevel, text: &str) {
    let (icon, colour) = match level {
        BannerLevel::Stop => ("⛔", ERROR_RED),
        BannerLevel::Warn => ("⚠", WARN_AMBER),
        BannerLevel::Info => ("ℹ", INFO_BLUE),
        BannerLevel::Ok => ("✔", OK_GREEN),
    };
    let dark = ui.visuals().dark_mode;
    let text_colour = if dark {
        Color32::WHITE
    } else {
        Color32::from_rgb(0x1a, 0x1a, 0x1a)
    };
    egui::Frame::new()
        .fill(colour.gamma_multiply(if dark { 0.35 } else { 0.12 }))
        .stroke(Stroke::new(1.0, colour))
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(icon).color(colour).strong());
                ui.label(RichText::new(text).color(text_colour).strong());
            });
        });
}
