//! Clients: a search box that filters as you type, and a virtualised table (name, date of
//! birth, phone, next appointment, last visit) that only draws, and only loads, the rows in
//! view. Down/Up move a highlighted row from the search box, Enter opens it.

use chrono::NaiveDate;
use egui::{Key, RichText};
use egui_extras::{Column, TableBuilder};

use crate::ui::clients::{ClientList, ClientsAction, SortColumn, MAX_HITS};
use crate::ui::record::RecordAction;
use crate::ui::theme;
use crate::ui::Action;

pub const SEARCH_LABEL: &str = "Search clients";

pub struct ClientsView<'a> {
    pub list: &'a ClientList,
    pub focus_search: bool,
    pub scroll_to_cursor: bool,
    pub read_only: bool,
    /// Down, Up and Enter are the list's (no dialog or overlay has them).
    pub keyboard: bool,
    pub today: NaiveDate,
}

/// "Tue 8 Dec" this year, "8 Dec 2027" otherwise; "today" when it is.
fn short_date(d: Option<NaiveDate>, today: NaiveDate) -> String {
    match d {
        None => "—".to_owned(),
        Some(d) if d == today => "today".to_owned(),
        Some(d) if d.format("%Y").to_string() == today.format("%Y").to_string() => {
            d.format("%a %-d %b").to_string()
        }
        Some(d) => d.format("%-d %b %Y").to_string(),
    }
}

impl ClientsView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut open_highlighted = false;
        ui.horizontal(|ui| {
            let label = ui.label(SEARCH_LABEL);
            let mut query = self.list.query.clone();
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut query)
                        .hint_text("name (either order), phone digits, email or birth date (Ctrl+F)")
                        // Down and Up stay here and move through the results below.
                        .event_filter(egui::EventFilter {
                            horizontal_arrows: true,
                            vertical_arrows: true,
                            tab: false,
                            ..Default::default()
                        })
                        .desired_width(380.0),
                )
                .labelled_by(label.id);
            if self.focus_search {
                field.request_focus();
            }
            if field.changed() {
                actions.push(ClientsAction::Search(query).into());
            }
            let nothing_focused = ui.memory(|m| m.focused().is_none());
            if self.keyboard && (field.has_focus() || nothing_focused) {
                let (down, up) = ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp)));
                if down {
                    actions.push(ClientsAction::MoveCursor(1).into());
                }
                if up {
                    actions.push(ClientsAction::MoveCursor(-1).into());
                }
            }
            let entered = ui.input(|i| i.key_pressed(Key::Enter));
            if self.keyboard && entered && (field.lost_focus() || nothing_focused) {
                open_highlighted = true;
                if field.lost_focus() {
                    // The search box keeps the cursor for the next search.
                    field.request_focus();
                }
            }
            ui.add_enabled_ui(!self.read_only, |ui| {
                let why = super::empty::READ_ONLY;
                if ui
                    .button("New client (Ctrl+N)")
                    .on_disabled_hover_text(why)
                    .clicked()
                {
                    actions.push(RecordAction::NewClient.into());
                }
                if ui
                    .button("Import from CSV…")
                    .on_disabled_hover_text(why)
                    .clicked()
                {
                    actions.push(ClientsAction::Import.into());
                }
            });
        });
        if open_highlighted {
            let row = self.list.cursor.unwrap_or(0);
            if let Some(c) = self.list.row(row) {
                actions.push(Action::OpenClient(c.id));
            }
        }
        ui.add_space(4.0);
        let count = self.list.len();
        let summary = if self.list.searching() {
            match count {
                0 => "No client matches. Check the spelling, or search by phone digits or birth date."
                    .to_owned(),
                n if n >= MAX_HITS => {
                    format!("The first {n} matches: type more to narrow down.")
                }
                1 => "1 match: Enter opens it".to_owned(),
                n if self.list.sort.is_none() => format!("{n} matches, best first: Down and Enter open one"),
                n => format!("{n} matches"),
            }
        } else {
            format!("{count} clients")
        };
        ui.label(RichText::new(summary).weak());
        if count == 0 {
            actions.extend(super::empty::clients_ui(
                ui,
                self.list.searching(),
                self.read_only,
            ));
        }
        ui.separator();
        actions.extend(self.table_ui(ui, count));
        actions
    }

    fn table_ui(&self, ui: &mut egui::Ui, count: usize) -> Vec<Action> {
        let mut actions = Vec::new();
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("client list")
            .striped(true)
            .sense(egui::Sense::click())
            .auto_shrink([false, false])
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::remainder().at_least(180.0).clip(true))
            .column(Column::exact(110.0))
            .column(Column::exact(150.0).clip(true))
            .column(Column::exact(140.0))
            .column(Column::exact(120.0));
        if self.scroll_to_cursor {
            if let Some(row) = self.list.cursor {
                table = table.scroll_to_row(row, None);
            }
        }
        table
            .header(row_height, |mut header| {
                for column in SortColumn::ALL {
                    header.col(|ui| {
                        if let Some(a) = self.heading_ui(ui, column) {
                            actions.push(a);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, count, |mut row| {
                    let i = row.index();
                    let Some(c) = self.list.row(i) else {
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    let highlighted = self.list.cursor == Some(i);
                    row.set_selected(highlighted);
                    let visits = self.list.visits.get(&c.id).copied().unwrap_or_default();
                    row.col(|ui| {
                        // Room for the focus bar before the name.
                        ui.add_space(6.0);
                        let name =
                            ui.add(egui::Button::new(RichText::new(&c.full_name).strong()).frame(false));
                        // A bar at the row's edge: the highlighted or focused row is plain to see.
                        if highlighted || name.has_focus() {
                            theme::focus_bar(ui, ui.max_rect());
                        }
                        if name.clicked() {
                            actions.push(Action::OpenClient(c.id));
                        }
                    });
                    row.col(|ui| {
                        ui.label(c.date_of_birth.to_string());
                    });
                    row.col(|ui| {
                        ui.label(c.phone.as_deref().unwrap_or("—"));
                    });
                    row.col(|ui| {
                        ui.label(short_date(visits.next_booked, self.today));
                    });
                    row.col(|ui| {
                        ui.label(short_date(visits.last_visit, self.today));
                    });
                    if row.response().clicked() {
                        actions.push(Action::OpenClient(c.id));
                    }
                });
            });
        actions
    }

    /// A column heading: click sorts by it (again: the other way round).
    fn heading_ui(&self, ui: &mut egui::Ui, column: SortColumn) -> Option<Action> {
        let arrow = match self.list.sort {
            Some((c, true)) if c == column => " ⏶",
            Some((c, false)) if c == column => " ⏷",
            None if column == SortColumn::Name && !self.list.searching() => " ⏶",
            _ => "",
        };
        let sortable = self.list.searching() || column.sorts_whole_list();
        let heading = ui
            .add(egui::Button::new(RichText::new(format!("{}{arrow}", column.title())).strong()).frame(false))
            .on_hover_text(if sortable {
                format!("Sort by {}", column.phrase())
            } else {
                format!(
                    "Search first to sort by {}: the whole list sorts by name or date of birth",
                    column.phrase()
                )
            });
        heading.clicked().then(|| ClientsAction::Sort(column).into())
    }
}
