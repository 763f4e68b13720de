//! Clients: a search box that filters as you type, and a virtualised list that only draws
//! (and only loads) the rows in view.

use egui::RichText;

use crate::ui::clients::{ClientList, ClientsAction, MAX_HITS};
use crate::ui::record::RecordAction;
use crate::ui::Action;

pub const SEARCH_LABEL: &str = "Search clients";

pub struct ClientsView<'a> {
    pub list: &'a ClientList,
    pub focus_search: bool,
    pub read_only: bool,
}

impl ClientsView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            let label = ui.label(SEARCH_LABEL);
            let mut query = self.list.query.clone();
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut query)
                        .hint_text("name, phone digits, email or birth date (Ctrl+F)")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if self.focus_search {
                field.request_focus();
            }
            if field.changed() {
                actions.push(ClientsAction::Search(query).into());
            }
            ui.add_enabled_ui(!self.read_only, |ui| {
                let read_only = super::empty::READ_ONLY;
                if ui
                    .button("New client (Ctrl+N)")
                    .on_disabled_hover_text(read_only)
                    .clicked()
                {
                    actions.push(RecordAction::NewClient.into());
                }
                if ui
                    .button("Import from CSV…")
                    .on_disabled_hover_text(read_only)
                    .clicked()
                {
                    actions.push(ClientsAction::Import.into());
                }
            });
        });
        ui.add_space(4.0);
        let count = self.list.len();
        let summary = if self.list.searching() {
            match count {
                0 => "No client matches. Check the spelling, or search by phone digits or birth date."
                    .to_owned(),
                n if n >= MAX_HITS => {
                    format!("The first {n} matches: type more to narrow down.")
                }
                1 => "1 match".to_owned(),
                n => format!("{n} matches, best first"),
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

        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, count, |ui, rows| {
                actions.push(
                    ClientsAction::ShowRows {
                        first: rows.start,
                        last: rows.end,
                    }
                    .into(),
                );
                for i in rows {
                    match self.list.row(i) {
                        Some(c) => {
                            let text = format!(
                                "{}   ·   born {}   ·   {}   ·   {}",
                                c.full_name,
                                c.date_of_birth,
                                c.phone.as_deref().unwrap_or("no phone"),
                                c.email.as_deref().unwrap_or("no email")
                            );
                            let r = ui.add_sized(
                                [ui.available_width(), row_height - 2.0],
                                egui::Button::new(text).frame(false).right_text(""),
                            );
                            if r.clicked() {
                                actions.push(Action::OpenClient(c.id));
                            }
                        }
                        None => {
                            ui.add_sized([ui.available_width(), row_height - 2.0], egui::Label::new("…"));
                        }
                    }
                }
            });
        actions
    }
}
