//! A client's photos as timelines: one row per area and view, oldest on the left, each with its
//! date and session; click selects (two to compare), double-click opens. Hidden photos are listed
//! apart with why. Pictures come from the caller (made on demand, only for what is on screen).

use egui::{Color32, RichText, Sense, Stroke};

use crate::domain::photo::{timelines, Photo};
use crate::domain::{PhotoId, SessionId};
use crate::ui::photos::pictures::fit;
use crate::ui::photos::PhotoAction;

pub const CELL: f32 = 150.0;
const CAPTION: f32 = 34.0;

/// "Photo cheeks front 2026-11-01": what a screen reader (and a test) calls a photo's tile.
pub fn tile_label(area: &str, view: &str, taken: chrono::NaiveDate) -> String {
    format!("Photo {area} {view} {taken}")
}

pub struct TimelineView<'a> {
    pub photos: &'a [Photo],
    pub selected: &'a [PhotoId],
    pub area_name: &'a dyn Fn(&str) -> String,
    pub session_label: &'a dyn Fn(SessionId) -> Option<String>,
    pub may_change: bool,
}

impl TimelineView<'_> {
    pub fn ui(
        &self,
        ui: &mut egui::Ui,
        picture: &mut dyn FnMut(&egui::Ui, PhotoId) -> Option<egui::TextureHandle>,
    ) -> Option<PhotoAction> {
        let mut action = None;
        let lines = timelines(self.photos);
        if lines.is_empty() {
            ui.label(
                "No photos yet. Drop photo files on this window, or use Import photos…; each is tagged \
                 with its area, view and date, and compared with the next ones of the same area and view.",
            );
        }
        egui::ScrollArea::vertical()
            .id_salt("photo timelines")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for line in &lines {
                    ui.label(
                        RichText::new(format!(
                            "{} — {} ({})",
                            (self.area_name)(line.area),
                            line.view.words(),
                            line.photos.len()
                        ))
                        .strong(),
                    );
                    egui::ScrollArea::horizontal()
                        .id_salt(("timeline", line.area, line.view))
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                for p in &line.photos {
                                    if let Some(a) = self.tile(ui, p, picture) {
                                        action = Some(a);
                                    }
                                }
                            });
                        });
                    ui.add_space(8.0);
                }
                let hidden: Vec<&Photo> = self
                    .photos
                    .iter()
                    .filter(|p| p.hidden.is_some() && !p.erased)
                    .collect();
                if !hidden.is_empty() {
                    egui::CollapsingHeader::new(format!("Hidden photos ({})", hidden.len()))
                        .id_salt("hidden photos")
                        .show(ui, |ui| {
                            for p in hidden {
                                ui.horizontal(|ui| {
                                    let reason =
                                        p.hidden.as_ref().map(|h| h.reason.as_str()).unwrap_or_default();
                                    ui.label(format!(
                                        "{} — hidden: {reason}",
                                        p.caption(&(self.area_name)(&p.area))
                                    ));
                                    if self.may_change && ui.small_button("Show again").clicked() {
                                        action = Some(PhotoAction::Show(p.id));
                                    }
                                });
                            }
                        });
                }
                let erased = self.photos.iter().filter(|p| p.erased).count();
                if erased > 0 {
                    ui.label(
                        RichText::new(format!(
                            "{erased} photo(s) erased when the client was anonymised."
                        ))
                        .weak(),
                    );
                }
            });
        action
    }

    fn tile(
        &self,
        ui: &mut egui::Ui,
        p: &Photo,
        picture: &mut dyn FnMut(&egui::Ui, PhotoId) -> Option<egui::TextureHandle>,
    ) -> Option<PhotoAction> {
        let (rect, response) = ui.allocate_exact_size(egui::vec2(CELL, CELL + CAPTION), Sense::click());
        let label = tile_label(&p.area, p.view.code(), p.taken_on);
        let selected = self.selected.contains(&p.id);
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        if ui.is_rect_visible(rect) {
            let painter = ui.painter_at(rect);
            let frame = egui::Rect::from_min_size(rect.min, egui::vec2(CELL, CELL));
            painter.rect_filled(frame, 4.0, ui.visuals().extreme_bg_color);
            match picture(ui, p.id) {
                Some(texture) => {
                    let inner = fit(frame.shrink(4.0), texture.size_vec2());
                    painter.image(
                        texture.id(),
                        inner,
                        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                        Color32::WHITE,
                    );
                }
                None => {
                    painter.text(
                        frame.center(),
                        egui::Align2::CENTER_CENTER,
                        "…",
                        egui::FontId::proportional(18.0),
                        ui.visuals().weak_text_color(),
                    );
                }
            }
            if selected {
                painter.rect_stroke(
                    frame,
                    4.0,
                    Stroke::new(3.0, crate::ui::theme::ACCENT),
                    egui::StrokeKind::Inside,
                );
            } else if response.hovered() {
                painter.rect_stroke(
                    frame,
                    4.0,
                    Stroke::new(1.0, ui.visuals().weak_text_color()),
                    egui::StrokeKind::Inside,
                );
            }
            // The tile shows the date already: "Session 2" is enough under it.
            let session = p
                .session_id
                .and_then(|s| (self.session_label)(s))
                .map(|l| l.split(" · ").next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            painter.text(
                egui::pos2(rect.left() + 4.0, frame.bottom() + 3.0),
                egui::Align2::LEFT_TOP,
                p.taken_on.format("%-d %b %Y").to_string(),
                egui::FontId::proportional(13.0),
                ui.visuals().text_color(),
            );
            painter.text(
                egui::pos2(rect.left() + 4.0, frame.bottom() + 18.0),
                egui::Align2::LEFT_TOP,
                if p.notes.is_empty() {
                    session
                } else {
                    format!("{session} ✎")
                },
                egui::FontId::proportional(11.5),
                ui.visuals().weak_text_color(),
            );
        }
        if response.double_clicked() {
            return Some(PhotoAction::View(p.id));
        }
        if response.clicked() {
            return Some(PhotoAction::Select(p.id));
        }
        None
    }
}
