//! The booking dialog, and the one that asks why an appointment is cancelled or was missed.
//! Every field has a label tests and screen readers find it by; the form saves only on its
//! button (Enter in a field does not book).

use egui::RichText;

use crate::domain::diary::{clock, AppointmentStatus};
use crate::domain::StaffMember;
use crate::store::Store;
use crate::ui::diary::{BookingForm, DiaryAction, DiaryData};
use crate::ui::widgets::{error_line, text_row};

pub const CLIENT_SEARCH_LABEL: &str = "Find the client";
pub const SESSION_LABEL: &str = "Series session";
pub const TREATMENT_LABEL: &str = "Treatment";
pub const DAY_LABEL: &str = "Day (year-month-day)";
pub const START_LABEL: &str = "Start (hh:mm)";
pub const LENGTH_LABEL: &str = "Length (minutes)";
pub const PRACTITIONER_LABEL: &str = "Practitioner";
pub const ROOM_LABEL: &str = "Room";
pub const PEN_LABEL: &str = "Pen";
pub const NOTES_LABEL: &str = "Notes for the day list";
pub const OVERRIDE_LABEL: &str = "Reason to book anyway";
pub const INTERVAL_REASON_LABEL: &str = "Reason for the interval";
pub const BOOK_BUTTON: &str = "Book appointment";
pub const PLACE_BUTTON: &str = "Save the time";
pub const REASON_LABEL: &str = "Reason";
pub const CONFIRM_CANCEL_LABEL: &str = "Cancel the appointment";
pub const CONFIRM_NO_SHOW_LABEL: &str = "Record the no-show";
pub const SUGGESTIONS_HEADING: &str = "First free slots";

pub(crate) struct BookingDialog<'a> {
    pub form: &'a mut BookingForm,
    pub data: &'a DiaryData,
    pub staff: &'a [StaffMember],
    pub store: &'a Store,
}

impl BookingDialog<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Option<DiaryAction> {
        let BookingDialog {
            form,
            data,
            staff,
            store,
        } = self;
        let mut action = None;
        ui.heading(if form.placing.is_some() {
            "Place the appointment"
        } else {
            "New booking"
        });
        egui::Grid::new("booking_form")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                match (&form.client, &form.placing) {
                    (Some((_, name)), Some(_)) => {
                        ui.label("Client");
                        ui.label(RichText::new(name).strong());
                        ui.end_row();
                    }
                    _ => {
                        let shown = form.client.as_ref().map(|(_, n)| n.clone());
                        let hint = shown
                            .clone()
                            .unwrap_or_else(|| "name, phone or date of birth".to_owned());
                        let field = text_row(ui, CLIENT_SEARCH_LABEL, &mut form.client_query, None, &hint);
                        ui.end_row();
                        if field.changed() {
                            form.hits = store.search_clients(&form.client_query, 6).unwrap_or_default();
                        }
                        if let Some(name) = shown {
                            ui.label("");
                            ui.label(RichText::new(format!("✔ {name}")).strong());
                            ui.end_row();
                        }
                        let mut chosen = None;
                        for hit in &form.hits {
                            ui.label("");
                            let c = &hit.client;
                            if ui
                                .button(format!("{} · born {}", c.full_name, c.date_of_birth))
                                .clicked()
                            {
                                chosen = Some((c.id, c.full_name.clone()));
                            }
                            ui.end_row();
                        }
                        if let Some((id, name)) = chosen {
                            if let Err(e) = form.choose_client(store, id, name) {
                                form.error = Some(e.to_string());
                            }
                            form.client_query.clear();
                        }
                    }
                }
                if !form.sessions.is_empty() && form.placing.is_none() {
                    ui.label(SESSION_LABEL);
                    let chosen = form
                        .sessions
                        .iter()
                        .find(|s| Some(s.id) == form.session)
                        .map_or("None (a consultation or review)", |s| s.label.as_str())
                        .to_owned();
                    egui::ComboBox::from_id_salt(SESSION_LABEL)
                        .selected_text(chosen)
                        .width(360.0)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut form.session, None, "None (a consultation or review)");
                            for s in &form.sessions {
                                ui.selectable_value(&mut form.session, Some(s.id), &s.label);
                            }
                        })
                        .response
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, SESSION_LABEL));
                    ui.end_row();
                }
                ui.label(TREATMENT_LABEL);
                let name = data
                    .treatments
                    .iter()
                    .find(|t| t.code == form.treatment)
                    .map_or("Choose", |t| t.name.as_str())
                    .to_owned();
                let mut picked = None;
                egui::ComboBox::from_id_salt(TREATMENT_LABEL)
                    .selected_text(name)
                    .width(240.0)
                    .show_ui(ui, |ui| {
                        for t in &data.treatments {
                            let label = format!("{} ({} min)", t.name, t.minutes);
                            if ui.selectable_label(t.code == form.treatment, label).clicked() {
                                picked = Some(t.code.clone());
                            }
                        }
                    })
                    .response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, TREATMENT_LABEL));
                if let Some(code) = picked {
                    form.choose_treatment(&code, data);
                }
                ui.end_row();
                text_row(ui, DAY_LABEL, &mut form.day, None, "2026-12-18");
                ui.end_row();
                text_row(ui, START_LABEL, &mut form.start, None, "10:30");
                ui.end_row();
                text_row(ui, LENGTH_LABEL, &mut form.minutes, None, "60");
                ui.end_row();
                combo(
                    ui,
                    PRACTITIONER_LABEL,
                    &mut form.practitioner,
                    staff
                        .iter()
                        .filter(|s| s.active && s.role.may(crate::domain::Act::Sign))
                        .map(|s| (s.id, s.name.as_str())),
                );
                combo(
                    ui,
                    ROOM_LABEL,
                    &mut form.room,
                    data.rooms
                        .iter()
                        .filter(|r| r.active)
                        .map(|r| (r.id, r.name.as_str())),
                );
                let uses_pen = data
                    .treatments
                    .iter()
                    .any(|t| t.code == form.treatment && t.uses_device);
                if uses_pen || form.device.is_some() {
                    combo(
                        ui,
                        PEN_LABEL,
                        &mut form.device,
                        data.devices
                            .iter()
                            .filter(|d| d.active)
                            .map(|d| (d.id, d.name.as_str())),
                    );
                }
                text_row(
                    ui,
                    NOTES_LABEL,
                    &mut form.notes,
                    None,
                    "e.g. prefers the quiet room",
                );
                ui.end_row();
                if form.needs_interval_reason() || !form.interval_reason.is_empty() {
                    text_row(
                        ui,
                        INTERVAL_REASON_LABEL,
                        &mut form.interval_reason,
                        None,
                        "outside the series' interval: why",
                    );
                    ui.end_row();
                }
                if form.needs_reason.is_some() {
                    text_row(
                        ui,
                        OVERRIDE_LABEL,
                        &mut form.reason,
                        form.needs_reason.clone(),
                        "e.g. supervising a trainee next door",
                    );
                    ui.end_row();
                }
            });
        if let Some(window) = &form.window {
            ui.add_space(6.0);
            ui.label(RichText::new(format!("{SUGGESTIONS_HEADING} (window {window})")).strong());
            if form.suggestions.is_empty() {
                ui.label(RichText::new("No free slot in the window with these rooms, pens and hours. Choose a time by hand; the diary still checks it.").weak());
            }
            ui.horizontal_wrapped(|ui| {
                for (i, p) in form.suggestions.iter().enumerate() {
                    let who = staff
                        .iter()
                        .find(|s| s.id == p.practitioner)
                        .map_or("", |s| s.name.as_str());
                    let room = data
                        .rooms
                        .iter()
                        .find(|r| r.id == p.room)
                        .map_or("", |r| r.name.as_str());
                    let label = format!(
                        "{} {} · {who} · {room}",
                        p.day.format("%a %-d %b"),
                        clock(p.span.start)
                    );
                    if ui.button(label).clicked() {
                        action = Some(DiaryAction::PickSuggestion(i));
                    }
                }
            });
        }
        error_line(ui, form.error.clone());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let button = if form.placing.is_some() {
                PLACE_BUTTON
            } else {
                BOOK_BUTTON
            };
            if ui.button(RichText::new(button).strong()).clicked() {
                action = Some(DiaryAction::SubmitBooking);
            }
            if ui.button("Close").clicked() {
                action = Some(DiaryAction::CloseDialog);
            }
        });
        action
    }
}

/// A labelled choice of one of `options` (id, name), as a grid row.
fn combo<'n, Id: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<Id>,
    options: impl Iterator<Item = (Id, &'n str)>,
) {
    let options: Vec<(Id, &str)> = options.collect();
    ui.label(label);
    let shown = options
        .iter()
        .find(|(id, _)| Some(*id) == *value)
        .map_or("Choose", |(_, n)| n);
    egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .width(240.0)
        .show_ui(ui, |ui| {
            for (id, name) in &options {
                ui.selectable_value(value, Some(*id), *name);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
    ui.end_row();
}

/// Why an appointment is cancelled or was missed.
pub fn reason_ui(
    ui: &mut egui::Ui,
    client: &str,
    to: AppointmentStatus,
    reason: &mut String,
    error: Option<String>,
) -> Option<DiaryAction> {
    let mut action = None;
    ui.heading(if to == AppointmentStatus::NoShow {
        "Record a no-show"
    } else {
        "Cancel the appointment"
    });
    ui.label(format!("{client}. The reason is kept with the appointment."));
    egui::Grid::new("reason_form").num_columns(2).show(ui, |ui| {
        text_row(
            ui,
            REASON_LABEL,
            reason,
            error,
            "e.g. client ill, asked to rebook",
        );
        ui.end_row();
    });
    ui.horizontal(|ui| {
        let confirm = if to == AppointmentStatus::NoShow {
            CONFIRM_NO_SHOW_LABEL
        } else {
            CONFIRM_CANCEL_LABEL
        };
        if ui.button(RichText::new(confirm).strong()).clicked() {
            action = Some(DiaryAction::SubmitReason);
        }
        if ui.button("Keep it").clicked() {
            action = Some(DiaryAction::CloseDialog);
        }
    });
    action
}

pub const SAVE_REMINDERS_LABEL: &str = "Save as CSV for the SMS or e-mail service";

/// Tomorrow's call list: who to remind, with phone and e-mail; saved as a file only on request.
pub fn reminders_ui(
    ui: &mut egui::Ui,
    day: chrono::NaiveDate,
    list: &[crate::print::day_list::Reminder],
    saved: Option<&str>,
) -> Option<DiaryAction> {
    let mut action = None;
    ui.heading(format!("Reminders for {}", day.format("%A %-d %B")));
    if list.is_empty() {
        ui.label("Nobody is booked for that day.");
    }
    egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
        egui::Grid::new("reminders")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for r in list {
                    ui.label(&r.time);
                    ui.label(RichText::new(&r.client).strong());
                    ui.label(&r.phone);
                    ui.label(&r.email);
                    ui.label(&r.treatment);
                    ui.end_row();
                }
            });
    });
    if let Some(path) = saved {
        ui.label(format!("Saved to {path}. Nothing is sent from Needlepoint."));
    } else {
        ui.label(RichText::new("Nothing leaves this PC unless you save the list.").weak());
    }
    ui.horizontal(|ui| {
        if !list.is_empty() && ui.button(SAVE_REMINDERS_LABEL).clicked() {
            action = Some(DiaryAction::WriteRemindersCsv);
        }
        if ui.button("Close").clicked() {
            action = Some(DiaryAction::CloseDialog);
        }
    });
    action
}
