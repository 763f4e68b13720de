//! Today as a diary: the day's grid (or a practitioner's week) beside the appointment under the
//! cursor with the day's flow buttons, the appointments still to place, and the desk's lists
//! (due, overdue, deferrals, reviews) whose sessions can be dragged onto the grid.

use chrono::{Duration, NaiveDate};
use egui::RichText;

use crate::domain::diary::AppointmentStatus;
use crate::domain::{StaffMember, TodayOverview};
use crate::store::DiaryEntry;
use crate::ui::diary::{ColumnsBy, DiaryAction, DiaryArea, DiaryMode, Dropped};
use crate::ui::theme::{ERROR_RED, WARN_AMBER};
use crate::ui::views::day_grid::DayGrid;
use crate::ui::views::today::TodayView;
use crate::ui::Action;

pub const PREVIOUS_DAY_LABEL: &str = "Previous day";
pub const NEXT_DAY_LABEL: &str = "Next day";
pub const TODAY_LABEL: &str = "Back to today";
pub const DAY_LABEL: &str = "Day";
pub const WEEK_LABEL: &str = "Week";
pub const BY_PRACTITIONER_LABEL: &str = "By practitioner";
pub const BY_ROOM_LABEL: &str = "By room";
pub const WEEK_OF_LABEL: &str = "Whose week";
pub const NEW_BOOKING_LABEL: &str = "New booking (N)";
pub const PRINT_DAY_LABEL: &str = "Print day list";
pub const REMINDERS_LABEL: &str = "Tomorrow's reminders";
pub const ARRIVED_LABEL: &str = "Arrived";
pub const SCREEN_LABEL: &str = "Screen";
pub const START_LABEL: &str = "Start";
pub const DONE_LABEL: &str = "Mark done";
pub const CANCEL_LABEL: &str = "Cancel appointment…";
pub const NO_SHOW_LABEL: &str = "No-show…";
pub const OPEN_CLIENT_LABEL: &str = "Open client (Enter)";
pub const PLACE_LABEL: &str = "Place";
pub const TO_PLACE_HEADING: &str = "To place in the diary";

pub(crate) struct DiaryView<'a> {
    pub area: &'a mut DiaryArea,
    pub staff: &'a [StaffMember],
    pub overview: &'a TodayOverview,
    pub lists_loading: bool,
    pub has_clients: bool,
    pub today: NaiveDate,
    pub now: u16,
    pub keyboard: bool,
}

impl DiaryView<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions: Vec<DiaryAction> = Vec::new();
        let mut other = Vec::new();
        let DiaryView {
            area,
            staff,
            overview,
            lists_loading,
            has_clients,
            today,
            now,
            keyboard,
        } = self;
        let columns = area.columns_for(staff);
        // The time line and "late" move with the clock: a frame a minute while today shows.
        if columns.iter().any(|c| c.day == today) {
            ui.ctx().request_repaint_after(std::time::Duration::from_secs(60));
        }
        toolbar(ui, area, staff, today, &mut actions);
        ui.add_space(4.0);
        let side_width = (ui.available_width() * 0.32).clamp(300.0, 440.0);
        egui::Panel::right("diary_side")
            .resizable(false)
            .exact_size(side_width)
            .show(ui, |ui| {
                if let Some(entry) = area.under_cursor(&columns) {
                    selected_ui(ui, entry, staff, area, today, &mut actions);
                    ui.separator();
                }
                to_place_ui(ui, &area.data.to_place, &mut actions);
                let lists = TodayView {
                    overview,
                    today,
                    loading: lists_loading,
                    has_clients,
                    with_booked: false,
                }
                .ui(ui);
                other.extend(lists);
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let grid = DayGrid {
                columns: &columns,
                data: &area.data,
                cursor: area.cursor,
                drag: &mut area.drag,
                today,
                now,
                keyboard,
            };
            actions.extend(grid.ui(ui));
        });
        actions.into_iter().map(Action::Diary).chain(other).collect()
    }
}

fn toolbar(
    ui: &mut egui::Ui,
    area: &DiaryArea,
    staff: &[StaffMember],
    today: NaiveDate,
    actions: &mut Vec<DiaryAction>,
) {
    ui.horizontal(|ui| {
        let step = if area.mode == DiaryMode::Week { 7 } else { 1 };
        if ui.button("◀").on_hover_text(PREVIOUS_DAY_LABEL).clicked() {
            actions.push(DiaryAction::ShowDay(area.day - Duration::days(step)));
        }
        if ui
            .add_enabled(area.day != today, egui::Button::new("Go to today"))
            .on_hover_text(TODAY_LABEL)
            .clicked()
        {
            actions.push(DiaryAction::ShowDay(today));
        }
        if ui.button("▶").on_hover_text(NEXT_DAY_LABEL).clicked() {
            actions.push(DiaryAction::ShowDay(area.day + Duration::days(step)));
        }
        let title = match area.mode {
            DiaryMode::Day if area.day == today => format!("{} (today)", area.day.format("%a %-d %b %Y")),
            DiaryMode::Day => area.day.format("%a %-d %b %Y").to_string(),
            DiaryMode::Week => format!("Week of {}", area.first_day().format("%-d %b %Y")),
        };
        ui.heading(title);
        if area.loading() {
            ui.spinner();
        }
        ui.add_space(12.0);
        ui.separator();
        if ui
            .selectable_label(area.mode == DiaryMode::Day, DAY_LABEL)
            .clicked()
            && area.mode != DiaryMode::Day
        {
            actions.push(DiaryAction::SetMode(DiaryMode::Day));
        }
        if ui
            .selectable_label(area.mode == DiaryMode::Week, WEEK_LABEL)
            .clicked()
            && area.mode != DiaryMode::Week
        {
            actions.push(DiaryAction::SetMode(DiaryMode::Week));
        }
        ui.separator();
        match area.mode {
            DiaryMode::Day => {
                if ui
                    .selectable_label(area.columns_by == ColumnsBy::Practitioner, BY_PRACTITIONER_LABEL)
                    .clicked()
                {
                    actions.push(DiaryAction::SetColumnsBy(ColumnsBy::Practitioner));
                }
                if ui
                    .selectable_label(area.columns_by == ColumnsBy::Room, BY_ROOM_LABEL)
                    .clicked()
                {
                    actions.push(DiaryAction::SetColumnsBy(ColumnsBy::Room));
                }
            }
            DiaryMode::Week => {
                let who = area.week_of.or_else(|| {
                    staff
                        .iter()
                        .find(|s| s.active && s.role.may(crate::domain::Act::Sign))
                        .map(|s| s.id)
                });
                let name = staff
                    .iter()
                    .find(|s| Some(s.id) == who)
                    .map_or("Choose", |s| s.name.as_str());
                egui::ComboBox::from_label(WEEK_OF_LABEL)
                    .selected_text(name)
                    .show_ui(ui, |ui| {
                        for s in staff
                            .iter()
                            .filter(|s| s.active && s.role.may(crate::domain::Act::Sign))
                        {
                            if ui.selectable_label(Some(s.id) == who, &s.name).clicked() {
                                actions.push(DiaryAction::WeekOf(s.id));
                            }
                        }
                    });
            }
        }
        ui.separator();
        if ui.button(NEW_BOOKING_LABEL).clicked() {
            actions.push(DiaryAction::NewBooking {
                column: area.cursor.column,
                minute: area.cursor.minute,
            });
        }
        if ui.button(PRINT_DAY_LABEL).clicked() {
            actions.push(DiaryAction::PrintDayList);
        }
        if ui.button(REMINDERS_LABEL).clicked() {
            actions.push(DiaryAction::SaveReminders);
        }
    });
}

/// The appointment under the cursor: who, when, where, and the next step of the day's flow.
fn selected_ui(
    ui: &mut egui::Ui,
    e: &DiaryEntry,
    staff: &[StaffMember],
    area: &DiaryArea,
    today: NaiveDate,
    actions: &mut Vec<DiaryAction>,
) {
    let a = &e.appointment;
    let id = a.id;
    ui.horizontal(|ui| {
        ui.label(RichText::new(&e.client_name).heading());
    });
    let when = a
        .span()
        .map(|s| s.words())
        .unwrap_or_else(|| "no time yet".to_owned());
    let treatment = area
        .data
        .treatments
        .iter()
        .find(|t| t.code == a.treatment)
        .map_or(a.treatment.as_str(), |t| t.name.as_str());
    ui.label(format!("{} {when} · {treatment}", a.day.format("%a %-d %b")));
    if let Some((n, of)) = e.session {
        ui.label(format!("Series session {n} of {of}"));
    }
    let who = staff
        .iter()
        .find(|s| Some(s.id) == a.practitioner)
        .map_or("—", |s| s.name.as_str());
    let room = area
        .data
        .rooms
        .iter()
        .find(|r| Some(r.id) == a.room)
        .map_or("—", |r| r.name.as_str());
    let pen = area
        .data
        .devices
        .iter()
        .find(|d| Some(d.id) == a.device)
        .map_or("no pen", |d| d.name.as_str());
    ui.label(format!("{who} · {room} · {pen}"));
    let mut status = a.status.label().to_owned();
    if let Some(at) = &a.arrived_at {
        status.push_str(&format!(" at {at}"));
    }
    ui.label(RichText::new(status).strong());
    if let Some(r) = &a.override_reason {
        ui.label(RichText::new(format!("Double-booked or outside hours: {r}")).color(WARN_AMBER));
    }
    if let Some(r) = &a.status_reason {
        ui.label(RichText::new(format!("Reason: {r}")).color(ERROR_RED));
    }
    if e.screening_due && a.day == today {
        ui.label(RichText::new("⚠ Screening due today").color(WARN_AMBER));
    }
    for w in &e.warnings {
        ui.label(RichText::new(format!("⚠ {w}")).color(WARN_AMBER));
    }
    if !a.notes.is_empty() {
        ui.label(RichText::new(&a.notes).italics());
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button(OPEN_CLIENT_LABEL).clicked() {
            actions.push(DiaryAction::Open(id));
        }
        // The next step of the day's flow, one button.
        let next = match a.status {
            AppointmentStatus::Booked if a.day == today => Some((
                ARRIVED_LABEL,
                "Records the time now",
                DiaryAction::SetStatus {
                    id,
                    to: AppointmentStatus::Arrived,
                },
            )),
            AppointmentStatus::Arrived => Some((
                SCREEN_LABEL,
                "Opens a new pre-treatment checklist",
                DiaryAction::Screen(id),
            )),
            AppointmentStatus::Screened => Some((
                START_LABEL,
                "Opens the treatment-room form",
                DiaryAction::StartSession(id),
            )),
            AppointmentStatus::InTreatment if a.session_id.is_none() => Some((
                DONE_LABEL,
                "The consultation or review is over",
                DiaryAction::SetStatus {
                    id,
                    to: AppointmentStatus::Done,
                },
            )),
            _ => None,
        };
        if let Some((label, hover, action)) = next {
            if ui.button(label).on_hover_text(hover).clicked() {
                actions.push(action);
            }
        }
        // A consultation or review needs no checklist to begin.
        if a.status == AppointmentStatus::Arrived
            && a.session_id.is_none()
            && ui.button(START_LABEL).clicked()
        {
            actions.push(DiaryAction::StartSession(id));
        }
        if !a.status.is_final() {
            if ui.button(CANCEL_LABEL).clicked() {
                actions.push(DiaryAction::AskReason {
                    id,
                    to: AppointmentStatus::Cancelled,
                });
            }
            if a.status == AppointmentStatus::Booked && ui.button(NO_SHOW_LABEL).clicked() {
                actions.push(DiaryAction::AskReason {
                    id,
                    to: AppointmentStatus::NoShow,
                });
            }
        }
    });
    if a.status == AppointmentStatus::InTreatment && a.session_id.is_some() {
        ui.label(RichText::new("Signing the session in the record marks this appointment done.").weak());
    }
}

/// Appointments without a time: drag one onto the grid, or "Place" it.
fn to_place_ui(ui: &mut egui::Ui, to_place: &[DiaryEntry], actions: &mut Vec<DiaryAction>) {
    if to_place.is_empty() {
        return;
    }
    ui.label(RichText::new(format!("{TO_PLACE_HEADING} ({})", to_place.len())).strong());
    ui.label(
        RichText::new("Booked for a day before the diary had times. Drag onto the grid, or Place.").weak(),
    );
    egui::ScrollArea::vertical()
        .id_salt("to_place")
        .max_height(140.0)
        .show(ui, |ui| {
            for e in to_place {
                let a = &e.appointment;
                ui.horizontal(|ui| {
                    ui.dnd_drag_source(
                        egui::Id::unique(("to_place", a.id)),
                        Dropped::ToPlace(a.id),
                        |ui| {
                            ui.label(RichText::new("↕").weak());
                        },
                    );
                    if ui.small_button(PLACE_LABEL).clicked() {
                        actions.push(DiaryAction::Drop {
                            what: Dropped::ToPlace(a.id),
                            column: 0,
                            minute: 9 * 60,
                        });
                    }
                    let session = e
                        .session
                        .map(|(n, of)| format!(", session {n} of {of}"))
                        .unwrap_or_default();
                    ui.label(format!("{} · {}{session}", a.day, e.client_name));
                });
            }
        });
    ui.separator();
}
