//! Two photos of the same area and view compared: side by side, or one over the other with a
//! wipe; zoom (wheel, pinch, + and −) and pan (drag) move both together; under each its date,
//! and under the later one what was done between them. Also one photo alone, with its notes.
//! Nothing drawn here changes a photo.

use egui::{Color32, RichText, Sense, Stroke};

use crate::domain::photo::Photo;
use crate::ui::photos::pictures::fit;
use crate::ui::photos::PhotoAction;

pub const WIPE_LABEL: &str = "Wipe position";
pub const SIDE_BY_SIDE: &str = "Side by side";
pub const WIPE: &str = "Wipe";
pub const ZOOM_IN: &str = "Zoom in";
pub const ZOOM_OUT: &str = "Zoom out";
pub const FIT: &str = "Fit";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareMode {
    SideBySide,
    Wipe,
}

/// Where the two photos are looked at, shared by both.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    pub before: crate::domain::PhotoId,
    pub after: crate::domain::PhotoId,
    pub mode: CompareMode,
    /// 0.0 (all after) to 1.0 (all before), the wipe line's place.
    pub wipe: f32,
    /// Zoom and pan, shared by both photos.
    pub view: ZoomPan,
    /// What was done between them, one line a session.
    pub between: Vec<String>,
}

impl CompareState {
    pub fn new(before: crate::domain::PhotoId, after: crate::domain::PhotoId, between: Vec<String>) -> Self {
        Self {
            before,
            after,
            mode: CompareMode::SideBySide,
            wipe: 0.5,
            view: ZoomPan::default(),
            between,
        }
    }
}

/// How closely a photo is looked at: 1.0 fits it (up to 8), and the centre's offset as a
/// fraction of the shown photo's size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoomPan {
    pub zoom: f32,
    pub pan: egui::Vec2,
}

impl Default for ZoomPan {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            pan: egui::Vec2::ZERO,
        }
    }
}

impl ZoomPan {
    fn zoom_by(&mut self, factor: f32) {
        self.zoom = (self.zoom * factor).clamp(1.0, 8.0);
        if self.zoom <= 1.0 {
            self.pan = egui::Vec2::ZERO;
        }
    }

    /// The toolbar's − / percentage / + / Fit.
    fn buttons(&mut self, ui: &mut egui::Ui) {
        if ui.button("−").on_hover_text(ZOOM_OUT).clicked() {
            self.zoom_by(1.0 / 1.25);
        }
        ui.label(format!("{:.0} %", self.zoom * 100.0));
        if ui.button("+").on_hover_text(ZOOM_IN).clicked() {
            self.zoom_by(1.25);
        }
        if ui.button(FIT).clicked() {
            *self = Self::default();
        }
    }

    /// + and − zoom, 0 fits.
    fn keys(&mut self, ui: &egui::Ui) {
        ui.input(|i| {
            if i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals) {
                self.zoom_by(1.25);
            }
            if i.key_pressed(egui::Key::Minus) {
                self.zoom_by(1.0 / 1.25);
            }
            if i.key_pressed(egui::Key::Num0) {
                *self = Self::default();
            }
        });
    }

    /// Wheel and pinch over `response` zoom; a drag pans (`shown_fit`: the photo's size fitted).
    fn pointer(&mut self, ui: &egui::Ui, response: &egui::Response, shown_fit: egui::Vec2) {
        if response.hovered() {
            let (zoom, scroll) = ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta.y));
            let factor = zoom * (1.0 + scroll / 400.0);
            if (factor - 1.0).abs() > f32::EPSILON {
                self.zoom_by(factor);
            }
        }
        if response.dragged() && self.zoom > 1.0 {
            let shown = shown_fit * self.zoom;
            let d = response.drag_delta();
            self.pan += egui::vec2(d.x / shown.x.max(1.0), d.y / shown.y.max(1.0));
            self.pan = self.pan.clamp(egui::vec2(-0.5, -0.5), egui::vec2(0.5, 0.5));
        }
    }

    /// The rectangle a photo of `size` takes inside `outer` at this zoom and pan.
    fn placed(&self, outer: egui::Rect, size: egui::Vec2) -> egui::Rect {
        let fitted = fit(outer, size);
        let shown = fitted.size() * self.zoom;
        egui::Rect::from_center_size(fitted.center() + self.pan * shown, shown)
    }
}

const UV: egui::Rect = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));

pub struct CompareView<'a> {
    pub before: &'a Photo,
    pub after: &'a Photo,
    pub before_picture: Option<egui::TextureHandle>,
    pub after_picture: Option<egui::TextureHandle>,
    pub state: &'a mut CompareState,
    pub area_name: String,
}

impl CompareView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<PhotoAction> {
        let mut action = None;
        let state = self.state;
        ui.horizontal(|ui| {
            if ui.button("< Photos").clicked() {
                action = Some(PhotoAction::CloseCompare);
            }
            ui.separator();
            ui.label(RichText::new(format!("{}, {}", self.area_name, self.before.view.words())).strong());
            ui.separator();
            ui.selectable_value(&mut state.mode, CompareMode::SideBySide, SIDE_BY_SIDE);
            ui.selectable_value(&mut state.mode, CompareMode::Wipe, WIPE);
            ui.separator();
            state.view.buttons(ui);
            if state.mode == CompareMode::Wipe {
                ui.add(
                    egui::Slider::new(&mut state.wipe, 0.0..=1.0)
                        .show_value(false)
                        .text(WIPE_LABEL),
                );
            }
            ui.separator();
            if ui.button("Add pair to report").clicked() {
                action = Some(PhotoAction::AddPairToReport);
            }
        });
        // Keys: + and − zoom, 0 fits, W switches the mode.
        state.view.keys(ui);
        ui.input(|i| {
            if i.key_pressed(egui::Key::W) && !i.modifiers.any() {
                state.mode = match state.mode {
                    CompareMode::SideBySide => CompareMode::Wipe,
                    CompareMode::Wipe => CompareMode::SideBySide,
                };
            }
        });
        let lines = state.between.len().min(4) + usize::from(state.between.len() > 4);
        let captions = 52.0 + 18.0 * lines as f32;
        let area = ui.available_rect_before_wrap();
        let pictures = egui::Rect::from_min_max(
            area.min,
            egui::pos2(area.max.x, (area.max.y - captions).max(area.min.y + 80.0)),
        );
        let response = ui.allocate_rect(pictures, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Photo comparison"));
        let half = |i: f32| {
            egui::Rect::from_min_max(
                egui::pos2(pictures.left() + pictures.width() * i / 2.0, pictures.top()),
                egui::pos2(
                    pictures.left() + pictures.width() * (i + 1.0) / 2.0,
                    pictures.bottom(),
                ),
            )
            .shrink(3.0)
        };
        let (before_rect, after_rect) = match state.mode {
            CompareMode::SideBySide => (half(0.0), half(1.0)),
            CompareMode::Wipe => (pictures, pictures),
        };
        // Wheel and pinch zoom, drag pans: both photos move together.
        let fitted = fit(before_rect, picture_size(&self.before_picture, self.before)).size();
        state.view.pointer(ui, &response, fitted);
        let painter = ui.painter();
        painter.rect_filled(pictures, 4.0, Color32::from_gray(24));
        let draw =
            |rect: egui::Rect, clip: egui::Rect, picture: &Option<egui::TextureHandle>, photo: &Photo| {
                let size = picture_size(picture, photo);
                let p = ui.painter_at(clip);
                match picture {
                    Some(t) => {
                        p.image(t.id(), state.view.placed(rect, size), UV, Color32::WHITE);
                    }
                    None => {
                        p.text(
                            clip.center(),
                            egui::Align2::CENTER_CENTER,
                            "Loading…",
                            egui::FontId::proportional(16.0),
                            Color32::GRAY,
                        );
                    }
                }
            };
        draw(before_rect, before_rect, &self.before_picture, self.before);
        match state.mode {
            CompareMode::SideBySide => draw(after_rect, after_rect, &self.after_picture, self.after),
            CompareMode::Wipe => {
                let x = pictures.left() + pictures.width() * state.wipe;
                let right = egui::Rect::from_min_max(egui::pos2(x, pictures.top()), pictures.max);
                draw(after_rect, right, &self.after_picture, self.after);
                painter.line_segment(
                    [egui::pos2(x, pictures.top()), egui::pos2(x, pictures.bottom())],
                    Stroke::new(2.0, Color32::WHITE),
                );
                painter.circle_filled(egui::pos2(x, pictures.center().y), 9.0, Color32::WHITE);
                // Dragging at the line moves it (elsewhere a drag pans).
                if response.dragged() && state.view.zoom <= 1.0 {
                    if let Some(at) = response.interact_pointer_pos() {
                        state.wipe = ((at.x - pictures.left()) / pictures.width()).clamp(0.0, 1.0);
                    }
                }
            }
        }
        ui.add_space(6.0);
        ui.columns(2, |cols| {
            cols[0].label(
                RichText::new(format!("Before · {}", self.before.taken_on.format("%-d %B %Y"))).strong(),
            );
            cols[1].label(
                RichText::new(format!("After · {}", self.after.taken_on.format("%-d %B %Y"))).strong(),
            );
            let weeks = (self.after.taken_on - self.before.taken_on).num_days() / 7;
            cols[1].label(format!("{weeks} weeks later"));
            if state.between.is_empty() {
                cols[1].label(RichText::new("No treatment recorded between them.").weak());
            }
            for line in state.between.iter().take(4) {
                cols[1].label(RichText::new(line).small());
            }
            if state.between.len() > 4 {
                cols[1].label(
                    RichText::new(format!("… and {} more session(s)", state.between.len() - 4)).small(),
                );
            }
        });
        action
    }
}

fn picture_size(picture: &Option<egui::TextureHandle>, photo: &Photo) -> egui::Vec2 {
    picture
        .as_ref()
        .map(|t| t.size_vec2())
        .unwrap_or_else(|| egui::vec2(photo.width as f32, photo.height as f32))
}

/// One photo alone: the preview (or the full size once asked for), its tags and notes.
pub struct SingleView<'a> {
    pub photo: &'a Photo,
    pub picture: Option<egui::TextureHandle>,
    pub full_size: bool,
    pub loading_full: bool,
    pub area_name: String,
    pub session: Option<String>,
    pub may_change: bool,
    /// Zoom and pan (full size is for looking closely).
    pub view: &'a mut ZoomPan,
}

pub const FULL_SIZE_LABEL: &str = "Full size";
pub const HIDE_LABEL: &str = "Hide…";
pub const NOTE_LABEL: &str = "Add note…";
pub const EXPORT_LABEL: &str = "Export…";

impl SingleView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<PhotoAction> {
        let mut action = None;
        let p = self.photo;
        ui.horizontal(|ui| {
            if ui.button("< Photos").clicked() {
                action = Some(PhotoAction::CloseView);
            }
            ui.separator();
            ui.label(RichText::new(p.caption(&self.area_name)).strong());
            if let Some(s) = &self.session {
                ui.label(s);
            }
            ui.separator();
            if !self.full_size
                && ui
                    .add_enabled(!self.loading_full, egui::Button::new(FULL_SIZE_LABEL))
                    .on_hover_text(
                        "Opens the original; every view of a full-size photo is recorded in the audit log.",
                    )
                    .clicked()
            {
                action = Some(PhotoAction::FullSize(p.id));
            }
            if self.loading_full {
                ui.spinner();
            }
            if ui.button(NOTE_LABEL).clicked() {
                action = Some(PhotoAction::Note(p.id));
            }
            if ui.button(EXPORT_LABEL).clicked() {
                action = Some(PhotoAction::Export(p.id));
            }
            if self.may_change && p.hidden.is_none() && ui.button(HIDE_LABEL).clicked() {
                action = Some(PhotoAction::Hide(p.id));
            }
            ui.separator();
            self.view.buttons(ui);
        });
        self.view.keys(ui);
        let notes = p.notes.iter().filter(|n| !n.text.is_empty()).count();
        let area = ui.available_rect_before_wrap();
        let pictures = egui::Rect::from_min_max(
            area.min,
            egui::pos2(area.max.x, area.max.y - 26.0 - 16.0 * notes as f32),
        );
        let response = ui.allocate_rect(pictures, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Photo"));
        ui.painter().rect_filled(pictures, 4.0, Color32::from_gray(24));
        let inner = pictures.shrink(3.0);
        if let Some(t) = &self.picture {
            self.view.pointer(ui, &response, fit(inner, t.size_vec2()).size());
            ui.painter_at(inner)
                .image(t.id(), self.view.placed(inner, t.size_vec2()), UV, Color32::WHITE);
        }
        ui.label(
            RichText::new(format!(
                "{} × {} pixels · imported by {} on {} · file named by its SHA-256 {}…{}",
                p.width,
                p.height,
                p.imported_by,
                p.imported_at.format("%Y-%m-%d"),
                &p.sha256[..8],
                if self.full_size {
                    " · full size (viewing recorded)"
                } else {
                    ""
                }
            ))
            .weak(),
        );
        for n in p.notes.iter().filter(|n| !n.text.is_empty()) {
            ui.label(format!("✎ {} — {}, {}", n.text, n.by, n.at.format("%Y-%m-%d")));
        }
        action
    }
}
