//! Today: the desk's home screen. Four lists — booked today, due this week, overdue, deferrals
//! ending soon — in one scroll that lays out only the lines in view, so four full lists (2,000
//! rows) scroll as smoothly as four short ones. A client's name opens their record.

use chrono::NaiveDate;
use egui::{Align, Layout, Rect, RichText, TextStyle, TextWrapMode, UiBuilder};

use crate::domain::{TodayList, TodayOverview, TodayRow};
use crate::ui::views::empty::empty_ui;
use crate::ui::widgets::WARN_AMBER;
use crate::ui::{Action, Screen};

pub const BOOKED_TODAY: &str = "Booked today";
pub const DUE_THIS_WEEK: &str = "Due this week";
pub const OVERDUE: &str = "Overdue";
pub const DEFERRALS_ENDING: &str = "Deferrals ending soon";
/// Completed series three months after their last session (P14).
pub const REVIEWS_DUE: &str = "Reviews of results due";
/// The empty "Booked today" list's button: to the client list, to book someone.
pub const FIND_TO_BOOK_LABEL: &str = "Find a client to book";
/// A due or overdue row's button: book that session in the diary.
pub const BOOK_LABEL: &str = "Book";

pub struct TodayView<'a> {
    pub overview: &'a TodayOverview,
    pub today: NaiveDate,
    /// The lists are being (re)loaded off the UI thread.
    pub loading: bool,
    /// The database has clients (with none, Today says what to do above the lists).
    pub has_clients: bool,
    /// List "Booked today" (the diary's grid shows the day's bookings beside the lists instead).
    pub with_booked: bool,
}

/// One of the four lists: its heading, what it says when empty, and how its dates look.
struct Section<'a> {
    title: &'static str,
    empty: &'static str,
    list: &'a TodayList,
    /// Dates in this list are a warning (overdue windows).
    warn: bool,
    /// Empty, it offers to find a client to book.
    offer_booking: bool,
}

/// One line of the scroll, each of a known height so only the visible ones need laying out.
enum Line<'a> {
    Heading {
        title: &'static str,
        total: usize,
    },
    Note(String),
    /// An empty list's words and, when there is something to do, its button.
    Empty {
        text: &'static str,
        offer_booking: bool,
    },
    Row {
        row: &'a TodayRow,
        warn: bool,
        odd: bool,
    },
    Gap,
}

/// Heights of the kinds of line, from the current text styles.
struct Heights {
    heading: f32,
    row: f32,
    note: f32,
    gap: f32,
}

impl Heights {
    fn of(ui: &egui::Ui) -> Self {
        let body = ui.text_style_height(&TextStyle::Body);
        Self {
            heading: ui.text_style_height(&TextStyle::Heading) + 10.0,
            row: body + 8.0,
            note: body + 6.0,
            gap: 14.0,
        }
    }

    fn of_line(&self, line: &Line<'_>) -> f32 {
        match line {
            Line::Heading { .. } => self.heading,
            Line::Note(_) | Line::Empty { .. } => self.note,
            Line::Row { .. } => self.row,
            Line::Gap => self.gap,
        }
    }
}

/// "showing the first 500 of 1,234" when a list holds fewer rows than there are.
pub fn capped_note(shown: usize, total: usize) -> Option<String> {
    (total > shown).then(|| format!("showing the first {shown} of {total}"))
}

impl TodayView<'_> {
    fn sections(&self) -> [Section<'_>; 5] {
        let o = self.overview;
        [
            Section {
                title: BOOKED_TODAY,
                empty: "Nobody is booked today.",
                list: &o.booked_today,
                warn: false,
                offer_booking: self.has_clients,
            },
            Section {
                title: DUE_THIS_WEEK,
                empty: "Nobody is due this week.",
                list: &o.due_this_week,
                warn: false,
                offer_booking: false,
            },
            Section {
                title: OVERDUE,
                empty: "Nobody is overdue.",
                list: &o.overdue,
                warn: true,
                offer_booking: false,
            },
            Section {
                title: DEFERRALS_ENDING,
                empty: "No deferrals end in the next two weeks.",
                list: &o.deferrals_ending,
                warn: false,
                offer_booking: false,
            },
            Section {
                title: REVIEWS_DUE,
                empty: "No series is due for its review of results.",
                list: &o.reviews_due,
                warn: false,
                offer_booking: false,
            },
        ]
    }

    fn lines(&self) -> Vec<Line<'_>> {
        let sections: Vec<Section<'_>> = self
            .sections()
            .into_iter()
            .filter(|s| self.with_booked || s.title != BOOKED_TODAY)
            .collect();
        let rows: usize = sections.iter().map(|s| s.list.rows.len()).sum();
        let mut lines = Vec::with_capacity(rows + sections.len() * 3);
        for s in sections {
            lines.push(Line::Heading {
                title: s.title,
                total: s.list.total.max(s.list.rows.len()),
            });
            if s.list.rows.is_empty() {
                lines.push(Line::Empty {
                    text: s.empty,
                    offer_booking: s.offer_booking,
                });
            } else if let Some(note) = capped_note(s.list.rows.len(), s.list.total) {
                lines.push(Line::Note(note));
            }
            lines.extend(s.list.rows.iter().enumerate().map(|(i, row)| Line::Row {
                row,
                warn: s.warn,
                odd: i % 2 == 1,
            }));
            lines.push(Line::Gap);
        }
        lines
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        if self.with_booked {
            ui.horizontal(|ui| {
                ui.heading(format!("Today, {}", self.today.format("%A %-d %B %Y")));
                if self.loading {
                    ui.spinner();
                    ui.label("Loading today's lists…");
                }
            });
            ui.add_space(4.0);
        } else if self.loading {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading today's lists…");
            });
        }

        let heights = Heights::of(ui);
        let lines = self.lines();
        // Where each line starts, from the top of the scrolled content.
        let mut tops = Vec::with_capacity(lines.len() + 1);
        let mut y = 0.0;
        for line in &lines {
            tops.push(y);
            y += heights.of_line(line);
        }
        let content_height = y;

        let mut action = None;
        egui::ScrollArea::vertical()
            .id_salt("today_lists")
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                ui.set_height(content_height);
                let top = ui.max_rect().top();
                let (left, width) = (ui.max_rect().left(), ui.available_width());
                // The first line that ends below the top of the view, through the last that
                // starts above its bottom.
                let first = tops.partition_point(|&t| t <= viewport.min.y).saturating_sub(1);
                for (index, line) in lines.iter().enumerate().skip(first) {
                    let line_top = tops.get(index).copied().unwrap_or(content_height);
                    if line_top > viewport.max.y {
                        break;
                    }
                    let rect = Rect::from_min_size(
                        egui::pos2(left, top + line_top),
                        egui::vec2(width, heights.of_line(line)),
                    );
                    if let Some(a) = line_ui(ui, rect, index, line) {
                        action = Some(a);
                    }
                }
            });
        action
    }
}

fn line_ui(ui: &mut egui::Ui, rect: Rect, index: usize, line: &Line<'_>) -> Option<Action> {
    let builder = UiBuilder::new()
        .max_rect(rect)
        .id_salt(("today_line", index))
        .layout(Layout::left_to_right(Align::Center));
    ui.scope_builder(builder, |ui| match line {
        Line::Heading { title, total } => {
            ui.heading(*title);
            ui.label(RichText::new(format!("({total})")).heading().weak());
            None
        }
        Line::Note(text) => {
            ui.label(RichText::new(text).weak());
            None
        }
        Line::Empty { text, offer_booking } => {
            if *offer_booking {
                empty_ui(ui, text, FIND_TO_BOOK_LABEL, true, "").then_some(Action::Navigate(Screen::Clients))
            } else {
                ui.label(RichText::new(*text).weak());
                None
            }
        }
        Line::Row { row, warn, odd } => row_ui(ui, rect, row, *warn, *odd),
        Line::Gap => None,
    })
    .inner
}

/// Name (opens the client), date, detail: three columns, long text cut short with "…".
fn row_ui(ui: &mut egui::Ui, rect: Rect, row: &TodayRow, warn: bool, odd: bool) -> Option<Action> {
    if odd {
        ui.painter().rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
    }
    let width = rect.width();
    let name_width = (width * 0.32).clamp(160.0, 340.0);
    let date_width = 110.0;
    let columns = [
        (rect.left() + 6.0, name_width - 12.0),
        (rect.left() + name_width, date_width - 6.0),
        (
            rect.left() + name_width + date_width,
            (width - name_width - date_width - 6.0).max(40.0),
        ),
    ];
    let cell = |i: usize| {
        let (x, w) = columns.get(i).copied().unwrap_or((rect.left(), width));
        Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, rect.height()))
    };
    let in_cell = |ui: &mut egui::Ui, i: usize, add: &mut dyn FnMut(&mut egui::Ui) -> egui::Response| {
        let r = cell(i);
        ui.scope_builder(
            UiBuilder::new()
                .max_rect(r)
                .layout(Layout::left_to_right(Align::Center)),
            |ui| {
                ui.set_clip_rect(r.intersect(ui.clip_rect()));
                ui.style_mut().wrap_mode = Some(TextWrapMode::Truncate);
                add(ui)
            },
        )
        .inner
    };

    let mut booking = None;
    let name = in_cell(ui, 0, &mut |ui| {
        if let Some(session) = row.session_id {
            let payload = crate::ui::diary::Dropped::Due {
                client: row.client_id,
                session,
            };
            ui.dnd_drag_source(egui::Id::unique(("due_drag", session)), payload, |ui| {
                ui.label(RichText::new("↕").weak())
                    .on_hover_text("Drag onto the diary to book this session there");
            });
        }
        ui.link(&row.client_name)
    });
    // Tab reaches the names: the focused row shows the same bar as the client list's.
    if name.has_focus() {
        crate::ui::theme::focus_bar(ui, rect);
    }
    let date = RichText::new(row.date.to_string());
    let date = if warn { date.color(WARN_AMBER) } else { date };
    in_cell(ui, 1, &mut |ui| ui.label(date.clone()));
    in_cell(ui, 2, &mut |ui| {
        if let Some(session) = row.session_id {
            if ui
                .small_button(BOOK_LABEL)
                .on_hover_text("Book this session in the diary")
                .clicked()
            {
                booking = Some(Action::Diary(crate::ui::diary::DiaryAction::BookSession {
                    client: row.client_id,
                    session,
                }));
            }
        }
        ui.label(&row.detail)
    });
    booking.or_else(|| name.clicked().then_some(Action::OpenClient(row.client_id)))
}
