//! The diary's time grid, drawn with egui's painter (no maintained egui widget exists): a column
//! per practitioner, room or day, hours down the side, each appointment a block with the client,
//! treatment, status and warnings. Click selects, double-click opens (or books an empty slot),
//! dragging moves or (by the bottom edge) resizes with the clash check drawn live, and what the
//! side lists drag in can be dropped. Arrows move the cursor, Enter opens, N books.

use chrono::NaiveDate;
use egui::{Align2, Color32, FontId, Key, Modifiers, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

use crate::domain::diary::{clock, snap, AppointmentStatus, TimeSpan};
use crate::store::DiaryEntry;
use crate::ui::diary::drag::{drag_verdict, placement_of, Verdict};
use crate::ui::diary::{Cursor, DiaryAction, DiaryData, Dropped, GridColumn, GridDrag};
use crate::ui::theme::{ACCENT, ERROR_RED, OK_GREEN, WARN_AMBER};

/// The grid's accessible name.
pub const GRID_LABEL: &str = "Diary grid";
/// The keyboard cursor's step.
pub const CURSOR_STEP: u16 = 15;
const HEADER: f32 = 26.0;
const GUTTER: f32 = 48.0;
/// The bottom strip of a block that resizes it.
const RESIZE_EDGE: f32 = 6.0;

pub struct DayGrid<'a> {
    pub columns: &'a [GridColumn],
    pub data: &'a DiaryData,
    pub cursor: Cursor,
    pub drag: &'a mut Option<GridDrag>,
    /// The clinic's clock now, and its date (the line and late blocks are drawn on today).
    pub today: NaiveDate,
    pub now: u16,
    /// Arrow keys, Enter and N act on the grid (no field or dialog has the keyboard).
    pub keyboard: bool,
}

/// The time range shown, whole hours covering 08:00–18:00, the hours worked and every block.
pub fn visible_range(data: &DiaryData, columns: &[GridColumn]) -> (u16, u16) {
    let mut from = 8 * 60;
    let mut to = 18 * 60;
    for h in &data.hours {
        if columns.iter().any(|c| c.practitioner == Some(h.staff)) {
            from = from.min(h.span.start);
            to = to.max(h.span.end());
        }
    }
    for a in data
        .appointments
        .iter()
        .filter(|a| columns.iter().any(|c| c.shows(a)))
    {
        if let Some(s) = a.holds() {
            from = from.min(s.start);
            to = to.max(s.end());
        }
    }
    (from - from % 60, (to.div_ceil(60) * 60).min(24 * 60))
}

struct Geometry {
    rect: Rect,
    from: u16,
    per_minute: f32,
    column_width: f32,
}

impl Geometry {
    fn y(&self, minute: u16) -> f32 {
        self.rect.top() + HEADER + f32::from(minute.saturating_sub(self.from)) * self.per_minute
    }

    fn column_x(&self, column: usize) -> f32 {
        self.rect.left() + GUTTER + self.column_width * column as f32
    }

    fn block(&self, column: usize, span: TimeSpan) -> Rect {
        Rect::from_min_max(
            Pos2::new(self.column_x(column) + 2.0, self.y(span.start)),
            Pos2::new(
                self.column_x(column) + self.column_width - 2.0,
                self.y(span.end()) - 1.0,
            ),
        )
    }

    /// The column and minute (unsnapped) under a point.
    fn at(&self, pos: Pos2) -> (usize, f32) {
        let column = ((pos.x - self.rect.left() - GUTTER) / self.column_width)
            .floor()
            .max(0.0) as usize;
        let minute = f32::from(self.from) + (pos.y - self.rect.top() - HEADER) / self.per_minute;
        (column, minute)
    }
}

pub fn status_fill(status: AppointmentStatus, dark: bool) -> Color32 {
    let light = match status {
        AppointmentStatus::Booked => Color32::from_rgb(0xd6, 0xe6, 0xf5),
        AppointmentStatus::Arrived => Color32::from_rgb(0xfb, 0xe7, 0xc0),
        AppointmentStatus::Screened => Color32::from_rgb(0xd5, 0xee, 0xee),
        AppointmentStatus::InTreatment => Color32::from_rgb(0xd4, 0xed, 0xd6),
        AppointmentStatus::Done => Color32::from_rgb(0xe4, 0xe4, 0xe4),
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow => Color32::from_rgb(0xf3, 0xd6, 0xd6),
    };
    if dark {
        light.gamma_multiply(0.35)
    } else {
        light
    }
}

impl DayGrid<'_> {
    pub fn ui(mut self, ui: &mut egui::Ui) -> Vec<DiaryAction> {
        let mut actions = Vec::new();
        let size = ui.available_size();
        let (rect, background) = ui.allocate_exact_size(size, Sense::click_and_drag());
        background.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, GRID_LABEL));
        if self.columns.is_empty() {
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                "No practitioners or rooms yet: add them in Settings, Diary.",
                FontId::proportional(15.0),
                ui.visuals().weak_text_color(),
            );
            return actions;
        }
        let (from, to) = visible_range(self.data, self.columns);
        let g = Geometry {
            rect,
            from,
            per_minute: ((rect.height() - HEADER) / f32::from((to - from).max(60))).max(0.5),
            column_width: ((rect.width() - GUTTER) / self.columns.len() as f32).max(40.0),
        };
        let painter = ui.painter_at(rect);
        let dark = ui.visuals().dark_mode;
        let weak = ui.visuals().weak_text_color();
        let line = ui.visuals().widgets.noninteractive.bg_stroke;
        let small = FontId::proportional(12.0);

        // Columns: titles, hours worked (outside is shaded), closures.
        for (i, c) in self.columns.iter().enumerate() {
            let x = g.column_x(i);
            let title_rect = Rect::from_min_size(Pos2::new(x, rect.top()), Vec2::new(g.column_width, HEADER));
            painter.with_clip_rect(title_rect).text(
                title_rect.center(),
                Align2::CENTER_CENTER,
                &c.title,
                FontId::proportional(13.5),
                ui.visuals().strong_text_color(),
            );
            painter.line_segment([Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())], line);
            let shade = ui.visuals().faint_bg_color;
            let body = Rect::from_min_max(Pos2::new(x, g.y(from)), Pos2::new(x + g.column_width, g.y(to)));
            if let Some(closed) = self.data.closures.iter().find(|cl| cl.day == c.day) {
                painter.rect_filled(body, 0.0, shade);
                painter.text(
                    body.center_top() + Vec2::new(0.0, 20.0),
                    Align2::CENTER_TOP,
                    format!("Closed: {}", closed.reason),
                    small.clone(),
                    weak,
                );
            } else if let Some(p) = c.practitioner {
                let theirs: Vec<_> = self.data.hours.iter().filter(|h| h.staff == p).collect();
                if !theirs.is_empty() {
                    let weekday = crate::domain::diary::weekday_number(c.day);
                    match theirs.iter().find(|h| h.weekday == weekday) {
                        Some(h) => {
                            painter.rect_filled(
                                Rect::from_min_max(body.min, Pos2::new(body.max.x, g.y(h.span.start))),
                                0.0,
                                shade,
                            );
                            painter.rect_filled(
                                Rect::from_min_max(Pos2::new(body.min.x, g.y(h.span.end())), body.max),
                                0.0,
                                shade,
                            );
                        }
                        None => {
                            painter.rect_filled(body, 0.0, shade);
                        }
                    }
                }
            }
        }
        // Hour lines and labels.
        let mut hour = from;
        while hour <= to {
            let y = g.y(hour);
            painter.line_segment(
                [Pos2::new(rect.left() + GUTTER, y), Pos2::new(rect.right(), y)],
                line,
            );
            painter.text(
                Pos2::new(rect.left() + GUTTER - 6.0, y),
                Align2::RIGHT_CENTER,
                clock(hour),
                small.clone(),
                weak,
            );
            hour += 60;
        }

        // The keyboard's cursor: a quarter-hour slot.
        if let Some(cursor_rect) = (self.cursor.column < self.columns.len()).then(|| {
            g.block(
                self.cursor.column,
                TimeSpan {
                    start: self.cursor.minute,
                    minutes: CURSOR_STEP,
                },
            )
        }) {
            painter.rect_stroke(cursor_rect, 3.0, Stroke::new(1.5, ACCENT), StrokeKind::Inside);
        }

        // The blocks.
        let mut grabbed = None;
        for (i, c) in self.columns.iter().enumerate() {
            for e in self.data.entries.iter().filter(|e| c.shows(&e.appointment)) {
                let Some(span) = e.appointment.holds() else {
                    continue;
                };
                let block = g.block(i, span);
                let under_cursor = self.cursor.column == i
                    && span.start <= self.cursor.minute
                    && self.cursor.minute < span.end();
                self.block_ui(ui, &painter, block, e, under_cursor, c.day, dark);
                let id = ui.scope_id().with(("appointment", e.appointment.id));
                let response = ui.interact(block, id, Sense::click_and_drag());
                let words = format!("Appointment {} {}", clock(span.start), e.client_name);
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &words));
                if response.double_clicked() {
                    actions.push(DiaryAction::Open(e.appointment.id));
                } else if response.clicked() {
                    actions.push(DiaryAction::MoveCursor(Cursor {
                        column: i,
                        minute: span.start,
                    }));
                }
                if response.drag_started() && !e.appointment.status.is_final() {
                    // Where the button went down: the drag starts only after a few pixels.
                    let origin = ui.input(|i| i.pointer.press_origin());
                    if let Some(pos) = origin.or_else(|| response.interact_pointer_pos()) {
                        grabbed = Some((e, pos, block, span));
                    }
                }
                if response.hovered() && !e.appointment.status.is_final() {
                    let near_edge = ui
                        .input(|inp| inp.pointer.hover_pos())
                        .is_some_and(|p| p.y > block.bottom() - RESIZE_EDGE);
                    ui.ctx().set_cursor_icon(if near_edge {
                        egui::CursorIcon::ResizeVertical
                    } else {
                        egui::CursorIcon::Grab
                    });
                }
            }
        }
        if let (Some((e, pos, block, span)), None) = (grabbed, self.drag.as_ref()) {
            if let Some(place) = placement_of(&e.appointment) {
                let (_, minute) = g.at(pos);
                *self.drag = Some(GridDrag {
                    id: e.appointment.id,
                    resize: pos.y > block.bottom() - RESIZE_EDGE,
                    grab: minute - f32::from(span.start),
                    place,
                });
            }
        }

        // The current time, on today's columns.
        if (from..=to).contains(&self.now) {
            let y = g.y(self.now);
            for (i, c) in self.columns.iter().enumerate() {
                if c.day == self.today {
                    let x = g.column_x(i);
                    painter.line_segment(
                        [Pos2::new(x, y), Pos2::new(x + g.column_width, y)],
                        Stroke::new(2.0, ERROR_RED),
                    );
                }
            }
        }

        self.drag_ui(ui, &painter, &g, &mut actions);
        self.drop_ui(ui, &painter, &g, &background, &mut actions);

        if background.clicked() || background.double_clicked() {
            if let Some(pos) = background.interact_pointer_pos() {
                let (column, minute) = g.at(pos);
                if column < self.columns.len() && minute >= f32::from(from) {
                    let minute = quarter(minute);
                    actions.push(if background.double_clicked() {
                        DiaryAction::NewBooking { column, minute }
                    } else {
                        DiaryAction::MoveCursor(Cursor { column, minute })
                    });
                }
            }
        }
        if self.keyboard {
            self.keys(ui, from, to, &mut actions);
        }
        actions
    }

    #[allow(clippy::too_many_arguments)]
    fn block_ui(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        block: Rect,
        e: &DiaryEntry,
        selected: bool,
        day: NaiveDate,
        dark: bool,
    ) {
        let a = &e.appointment;
        painter.rect_filled(block, 4.0, status_fill(a.status, dark));
        let text = ui.visuals().strong_text_color();
        let overran = day == self.today
            && a.span().is_some_and(|s| self.now > s.end())
            && matches!(
                a.status,
                AppointmentStatus::Arrived | AppointmentStatus::Screened | AppointmentStatus::InTreatment
            );
        let late = day == self.today
            && a.status == AppointmentStatus::Booked
            && a.start.is_some_and(|s| self.now > s + 10);
        let edge = if overran {
            Stroke::new(2.0, ERROR_RED)
        } else if selected {
            Stroke::new(2.5, ACCENT)
        } else {
            Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color)
        };
        painter.rect_stroke(block, 4.0, edge, StrokeKind::Inside);
        let clip = painter.with_clip_rect(block.shrink(2.0));
        let start = a.start.map(clock).unwrap_or_default();
        let treatment = self
            .data
            .treatments
            .iter()
            .find(|t| t.code == a.treatment)
            .map_or(a.treatment.as_str(), |t| t.name.as_str());
        let session = e
            .session
            .map(|(n, of)| format!(" · {n} of {of}"))
            .unwrap_or_default();
        let mut status = a.status.label().to_owned();
        if let Some(at) = &a.arrived_at {
            status.push_str(&format!(" {at}"));
        }
        if overran {
            status.push_str(" · overran");
        } else if late {
            status.push_str(" · late");
        }
        let status_color = if overran || late { ERROR_RED } else { text };
        let room_for = ((block.height() - 4.0) / 15.0).floor();
        if room_for < 2.0 {
            // A short block (a 15-minute review): one line, as much of it as fits.
            let due = e.screening_due && day == self.today;
            let warn = if e.warnings.is_empty() && !due { "" } else { " ⚠" };
            let size = (block.height() - 3.0).clamp(8.0, 12.0);
            clip.text(
                Pos2::new(block.left() + 5.0, block.center().y),
                Align2::LEFT_CENTER,
                format!("{start} {} · {treatment} · {status}{warn}", e.client_name),
                FontId::proportional(size),
                text,
            );
            return;
        }
        let mut y = block.top() + 3.0;
        let mut line = |words: String, font: FontId, color: Color32| {
            if y + font.size <= block.bottom() + 2.0 {
                clip.text(
                    Pos2::new(block.left() + 5.0, y),
                    Align2::LEFT_TOP,
                    words,
                    font.clone(),
                    color,
                );
            }
            y += font.size + 2.0;
        };
        line(
            format!("{start} {}", e.client_name),
            FontId::proportional(13.0),
            text,
        );
        if room_for < 3.0 {
            // Two lines: the treatment and the status share the second.
            line(
                format!("{treatment}{session} · {status}"),
                FontId::proportional(11.5),
                status_color,
            );
            return;
        }
        line(format!("{treatment}{session}"), FontId::proportional(11.5), text);
        line(status, FontId::proportional(11.5), status_color);
        if e.screening_due && day == self.today {
            line(
                "⚠ Screening due".to_owned(),
                FontId::proportional(11.5),
                WARN_AMBER,
            );
        }
        for w in &e.warnings {
            line(format!("⚠ {w}"), FontId::proportional(11.5), WARN_AMBER);
        }
    }

    /// A block being dragged: its ghost where it would go, green when free, amber when it needs
    /// a reason, red when taken (with what takes it); let go, and the store moves it.
    fn drag_ui(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        g: &Geometry,
        actions: &mut Vec<DiaryAction>,
    ) {
        let Some(drag) = self.drag.as_mut() else { return };
        let Some(moving) = self.data.appointments.iter().find(|a| a.id == drag.id) else {
            *self.drag = None;
            return;
        };
        let (pointer, released) = ui.input(|i| (i.pointer.interact_pos(), i.pointer.any_released()));
        if let Some(pos) = pointer {
            let (column, minute) = g.at(pos);
            if drag.resize {
                let end = snap(minute).max(drag.place.span.start + 5);
                drag.place.span.minutes =
                    (end - drag.place.span.start).min(crate::domain::diary::MAX_MINUTES);
            } else {
                drag.place.span.start = snap(minute - drag.grab).min(24 * 60 - drag.place.span.minutes);
                if let Some(c) = self.columns.get(column.min(self.columns.len() - 1)) {
                    drag.place.day = c.day;
                    if let Some(p) = c.practitioner {
                        drag.place.practitioner = p;
                    }
                    if let Some(r) = c.room {
                        drag.place.room = r;
                    }
                }
            }
        }
        let column = self.columns.iter().position(|c| {
            c.day == drag.place.day
                && c.practitioner.is_none_or(|p| p == drag.place.practitioner)
                && c.room.is_none_or(|r| r == drag.place.room)
        });
        let verdict = drag_verdict(&drag.place, moving, self.data);
        if let Some(col) = column {
            let ghost = g.block(col, drag.place.span);
            let color = match &verdict {
                Verdict::Free => OK_GREEN,
                Verdict::NeedsReason(_) => WARN_AMBER,
                Verdict::Taken(_) => ERROR_RED,
            };
            painter.rect_filled(ghost, 4.0, color.gamma_multiply(0.25));
            painter.rect_stroke(ghost, 4.0, Stroke::new(2.0, color), StrokeKind::Inside);
            let words = match &verdict {
                Verdict::Free => drag.place.span.words(),
                Verdict::NeedsReason(w) | Verdict::Taken(w) => format!("{} {w}", drag.place.span.words()),
            };
            painter.with_clip_rect(ghost.expand(40.0)).text(
                ghost.left_top() + Vec2::new(5.0, 3.0),
                Align2::LEFT_TOP,
                words,
                FontId::proportional(12.0),
                color,
            );
        }
        if released {
            let moved = placement_of(moving).is_none_or(|p| p != drag.place);
            if moved && !matches!(verdict, Verdict::Taken(_)) {
                actions.push(DiaryAction::Move {
                    id: drag.id,
                    place: drag.place.clone(),
                });
            }
            *self.drag = None;
        }
    }

    fn drop_ui(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        g: &Geometry,
        background: &egui::Response,
        actions: &mut Vec<DiaryAction>,
    ) {
        let Some(pos) = ui.input(|i| i.pointer.interact_pos()) else {
            return;
        };
        let (column, minute) = g.at(pos);
        if column >= self.columns.len() {
            return;
        }
        let minute = quarter(minute.max(f32::from(g.from)));
        if background.dnd_hover_payload::<Dropped>().is_some() {
            let ghost = g.block(
                column,
                TimeSpan {
                    start: minute,
                    minutes: 60,
                },
            );
            painter.rect_stroke(ghost, 4.0, Stroke::new(2.0, ACCENT), StrokeKind::Inside);
            painter.text(
                ghost.left_top() + Vec2::new(5.0, 3.0),
                Align2::LEFT_TOP,
                format!("Book at {}", clock(minute)),
                FontId::proportional(12.0),
                ACCENT,
            );
        }
        if let Some(what) = background.dnd_release_payload::<Dropped>() {
            actions.push(DiaryAction::Drop {
                what: *what,
                column,
                minute,
            });
        }
    }

    fn keys(&self, ui: &egui::Ui, from: u16, to: u16, actions: &mut Vec<DiaryAction>) {
        let pressed = |key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        let mut cursor = self.cursor;
        if pressed(Key::ArrowDown) {
            cursor.minute = (cursor.minute + CURSOR_STEP).min(to.saturating_sub(CURSOR_STEP));
        }
        if pressed(Key::ArrowUp) {
            cursor.minute = cursor.minute.saturating_sub(CURSOR_STEP).max(from);
        }
        if pressed(Key::ArrowRight) {
            cursor.column = (cursor.column + 1).min(self.columns.len().saturating_sub(1));
        }
        if pressed(Key::ArrowLeft) {
            cursor.column = cursor.column.saturating_sub(1);
        }
        if cursor != self.cursor {
            actions.push(DiaryAction::MoveCursor(cursor));
        }
        if pressed(Key::Enter) {
            let column = self.columns.get(cursor.column);
            let under = self.data.entries.iter().find(|e| {
                column.is_some_and(|c| c.shows(&e.appointment))
                    && e.appointment
                        .holds()
                        .is_some_and(|s| s.start <= cursor.minute && cursor.minute < s.end())
            });
            if let Some(e) = under {
                actions.push(DiaryAction::Open(e.appointment.id));
            }
        }
        if pressed(Key::N) {
            actions.push(DiaryAction::NewBooking {
                column: cursor.column,
                minute: cursor.minute,
            });
        }
    }
}

/// The quarter hour at or before `minute`.
fn quarter(minute: f32) -> u16 {
    let m = snap(minute.max(0.0));
    m - m % CURSOR_STEP
}
