//! Settings, Diary: the rooms and pens appointments are booked in, each practitioner's working
//! hours, and the days the clinic is closed. What a clinic sets up once before its first booking.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::diary::{Closure, Device, Room};
use crate::domain::{Act, StaffMember};
use crate::ui::diary::{DiaryAction, DiarySetup};
use crate::ui::widgets::{error_line, text_row};

pub const ROOM_NAME_LABEL: &str = "New room";
pub const ADD_ROOM_LABEL: &str = "Add room";
pub const PEN_NAME_LABEL: &str = "New pen";
pub const ADD_PEN_LABEL: &str = "Add pen";
pub const SAVE_HOURS_LABEL: &str = "Save hours";
pub const CLOSURE_DAY_LABEL: &str = "Closed on (year-month-day)";
pub const CLOSURE_REASON_LABEL: &str = "Why closed";
pub const ADD_CLOSURE_LABEL: &str = "Add closed day";
pub const RETIRE_LABEL: &str = "Retire";
pub const BRING_BACK_LABEL: &str = "Bring back";
pub const SAVE_DURATIONS_LABEL: &str = "Save lengths";
pub const RENEWAL_LABEL: &str = "A signed consent stays in force for (months)";
pub const SAVE_RENEWAL_LABEL: &str = "Save";
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The hours field of a person and weekday, for tests and screen readers.
pub fn hours_label(person: &str, weekday: usize) -> String {
    format!(
        "{person} hours on {}",
        WEEKDAYS.get(weekday).copied().unwrap_or("")
    )
}

pub(crate) struct DiarySettingsView<'a> {
    pub setup: &'a mut DiarySetup,
    pub rooms: &'a [Room],
    pub devices: &'a [Device],
    pub closures: &'a [Closure],
    pub staff: &'a [StaffMember],
    pub today: NaiveDate,
    pub may_change: bool,
}

impl DiarySettingsView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<DiaryAction> {
        let DiarySettingsView {
            setup,
            rooms,
            devices,
            closures,
            staff,
            today,
            may_change,
        } = self;
        let mut action = None;
        egui::ScrollArea::vertical().id_salt("diary_settings").show(ui, |ui| {
            if !may_change {
                ui.label(RichText::new("Only the clinical lead or an admin changes the diary's set-up.").weak());
            }
            ui.add_enabled_ui(may_change, |ui| {
                ui.heading("Rooms and pens");
                ui.label("A room, and a pen (shared across rooms), can hold one appointment at a time.");
                if rooms.is_empty() {
                    ui.label(RichText::new("No rooms yet: add the first below. Appointments need one.").strong());
                }
                ui.horizontal_wrapped(|ui| {
                    for r in rooms {
                        ui.label(if r.active { r.name.clone() } else { format!("{} (retired)", r.name) });
                        let (word, back) = if r.active { (RETIRE_LABEL, false) } else { (BRING_BACK_LABEL, true) };
                        if ui.small_button(word).on_hover_text(format!("{word}: {}", r.name)).clicked() {
                            action = Some(DiaryAction::SetRoomActive(r.id, back));
                        }
                        ui.add_space(10.0);
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    for d in devices {
                        ui.label(if d.active { d.name.clone() } else { format!("{} (retired)", d.name) });
                        let (word, back) = if d.active { (RETIRE_LABEL, false) } else { (BRING_BACK_LABEL, true) };
                        if ui.small_button(word).on_hover_text(format!("{word}: {}", d.name)).clicked() {
                            action = Some(DiaryAction::SetPenActive(d.id, back));
                        }
                        ui.add_space(10.0);
                    }
                });
                let add = |ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str, button: &str| {
                    ui.horizontal(|ui| {
                        let name = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(260.0))
                            .labelled_by(name.id);
                        ui.button(button).clicked()
                    })
                    .inner
                };
                if add(ui, ROOM_NAME_LABEL, &mut setup.room_name, "e.g. Room 3", ADD_ROOM_LABEL) {
                    action = Some(DiaryAction::AddRoom);
                }
                if add(ui, PEN_NAME_LABEL, &mut setup.pen_name, "e.g. Pen C (serial 1234)", ADD_PEN_LABEL) {
                    action = Some(DiaryAction::AddPen);
                }
                ui.add_space(10.0);
                ui.heading("Working hours");
                ui.label("Per weekday as 08:30-18:00; empty: not working that day. Someone with no hours at all is never checked against any.");
                egui::Grid::new("diary_hours").num_columns(9).striped(true).show(ui, |ui| {
                    ui.label("");
                    for d in WEEKDAYS {
                        ui.label(RichText::new(d).strong());
                    }
                    ui.end_row();
                    for person in staff.iter().filter(|s| s.active && s.role.may(Act::Sign)) {
                        ui.label(&person.name);
                        let week = setup.hours.entry(person.id).or_default();
                        for (i, cell) in week.iter_mut().enumerate() {
                            let field = ui.add(egui::TextEdit::singleline(cell).desired_width(108.0).hint_text("—"));
                            let label = hours_label(&person.name, i);
                            ui.ctx().accesskit_node_builder(field.id, |node| node.set_label(label));
                        }
                        if ui.button(SAVE_HOURS_LABEL).clicked() {
                            action = Some(DiaryAction::SaveHours(person.id));
                        }
                        ui.end_row();
                    }
                });
                ui.add_space(10.0);
                ui.heading("Treatments");
                ui.label("The length each treatment is booked for by default (the booking form can change it).");
                egui::Grid::new("diary_treatments").num_columns(2).show(ui, |ui| {
                    for (_, name, minutes) in &mut setup.durations {
                        let label = ui.label(format!("{name} (minutes)"));
                        ui.add(egui::TextEdit::singleline(minutes).desired_width(60.0)).labelled_by(label.id);
                        ui.end_row();
                    }
                });
                if ui.button(SAVE_DURATIONS_LABEL).clicked() {
                    action = Some(DiaryAction::SaveDurations);
                }
                ui.add_space(10.0);
                ui.heading("Consent");
                ui.horizontal(|ui| {
                    let label = ui.label(RENEWAL_LABEL);
                    ui.add(egui::TextEdit::singleline(&mut setup.renewal_months).desired_width(50.0))
                        .labelled_by(label.id);
                    if ui.button(SAVE_RENEWAL_LABEL).clicked() {
                        action = Some(DiaryAction::SaveRenewal);
                    }
                });
                ui.label(RichText::new("After this, or when the document's text changes and this time has passed, the client signs again.").weak());
                ui.add_space(10.0);
                ui.heading("Closed days");
                let upcoming: Vec<String> = closures.iter().filter(|c| c.day >= today).map(|c| format!("{} ({})", c.day, c.reason)).collect();
                ui.label(if upcoming.is_empty() { "No closed days ahead.".to_owned() } else { upcoming.join(" · ") });
                egui::Grid::new("diary_closures").num_columns(2).show(ui, |ui| {
                    text_row(ui, CLOSURE_DAY_LABEL, &mut setup.closure_day, None, "2026-12-25");
                    ui.end_row();
                    text_row(ui, CLOSURE_REASON_LABEL, &mut setup.closure_reason, None, "e.g. Christmas Day");
                    ui.end_row();
                });
                if ui.button(ADD_CLOSURE_LABEL).clicked() {
                    action = Some(DiaryAction::AddClosure);
                }
                error_line(ui, setup.error.clone());
            });
        });
        action
    }
}
