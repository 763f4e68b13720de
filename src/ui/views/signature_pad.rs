//! The signature pad: a box the client signs in with a mouse, pen tablet or finger. Each stroke
//! (pointer down to up) is kept as points with their time; what is drawn is exactly what is
//! kept. The strokes are painted as one line shape each, so 2,000 points cost one frame.

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2};

use crate::domain::consent::{Signature, SignaturePoint};

/// The pad's accessible name (tests drive it with pointer events through it).
pub const PAD_LABEL: &str = "Signature pad";
/// Width to height of the pad, as the stored points assume.
pub const ASPECT: f32 = 3.0;

pub struct SignaturePad<'a> {
    pub signature: &'a mut Signature,
    /// When the first point was drawn (egui's clock, seconds), for the points' timing.
    pub started: &'a mut Option<f64>,
    pub width: f32,
}

impl SignaturePad<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> egui::Response {
        let size = Vec2::new(self.width, self.width / ASPECT);
        let (rect, response) = ui.allocate_exact_size(size, Sense::drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, PAD_LABEL));
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(
            rect,
            6.0,
            if visuals.dark_mode {
                Color32::from_gray(235)
            } else {
                Color32::WHITE
            },
        );
        painter.rect_stroke(
            rect,
            6.0,
            Stroke::new(1.5, visuals.widgets.inactive.bg_stroke.color),
            StrokeKind::Inside,
        );
        let baseline = rect.bottom() - rect.height() * 0.25;
        painter.line_segment(
            [
                Pos2::new(rect.left() + 24.0, baseline),
                Pos2::new(rect.right() - 24.0, baseline),
            ],
            Stroke::new(1.0, Color32::from_gray(190)),
        );
        painter.text(
            Pos2::new(rect.left() + 12.0, baseline),
            Align2::LEFT_BOTTOM,
            "×",
            FontId::proportional(18.0),
            Color32::from_gray(150),
        );
        if self.signature.strokes.is_empty() {
            painter.text(
                rect.center() - Vec2::new(0.0, rect.height() * 0.12),
                Align2::CENTER_CENTER,
                "Sign here",
                FontId::proportional(16.0),
                Color32::from_gray(160),
            );
        }

        let now = ui.input(|i| i.time);
        let to_point = |pos: Pos2, started: f64| SignaturePoint {
            x: scale(pos.x - rect.left(), rect.width()),
            y: scale(pos.y - rect.top(), rect.height()),
            t: ((now - started).max(0.0) * 1000.0) as u32,
        };
        if response.drag_started() {
            if let Some(pos) = ui
                .input(|i| i.pointer.press_origin())
                .filter(|p| rect.contains(*p))
            {
                let started = *self.started.get_or_insert(now);
                self.signature.strokes.push(vec![to_point(pos, started)]);
            }
        }
        if response.dragged() {
            if let (Some(pos), Some(started), Some(stroke)) = (
                response.interact_pointer_pos(),
                *self.started,
                self.signature.strokes.last_mut(),
            ) {
                let p = to_point(pos.clamp(rect.min, rect.max), started);
                if stroke.last().is_none_or(|last| last.x != p.x || last.y != p.y) {
                    stroke.push(p);
                }
            }
        }

        let ink = Stroke::new(2.2, Color32::from_rgb(0x10, 0x1c, 0x3a));
        for stroke in &self.signature.strokes {
            let points: Vec<Pos2> = stroke.iter().map(|p| at(rect, p)).collect();
            match points.as_slice() {
                [] => {}
                [one] => {
                    painter.circle_filled(*one, 1.2, ink.color);
                }
                _ => {
                    painter.add(Shape::line(points, ink));
                }
            }
        }
        response
    }
}

/// Thousandths of the pad.
fn scale(offset: f32, size: f32) -> u16 {
    ((offset / size).clamp(0.0, 1.0) * 1000.0).round() as u16
}

fn at(rect: Rect, p: &SignaturePoint) -> Pos2 {
    Pos2::new(
        rect.left() + f32::from(p.x) / 1000.0 * rect.width(),
        rect.top() + f32::from(p.y) / 1000.0 * rect.height(),
    )
}
