//! The diary: the day's (or a practitioner's week's) appointments on a time grid, the day's flow
//! from arrival to done, booking and moving with the store's clash check. A day is read on a
//! thread with its own connection, like Today's lists.

mod booking;
pub mod drag;
mod flow;
mod output;
mod setup;

pub(crate) use setup::DiarySetup;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::diary::{
    Appointment, AppointmentStatus, Device, Placement, Room, TreatmentType, WorkingHours,
};
use crate::domain::{AppointmentId, ClientId, SessionId, StaffId};
use crate::store::{DiaryEntry, Store, StoreError};

pub(crate) use booking::BookingForm;

use super::action::Event;
use super::desk::Desk;
use super::jobs::{self, Job, Stopped};

/// One day across people (or rooms), or one person across a week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiaryMode {
    #[default]
    Day,
    Week,
}

/// What the day view's columns are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColumnsBy {
    #[default]
    Practitioner,
    Room,
}

/// The keyboard's place on the grid: a column and a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub column: usize,
    pub minute: u16,
}

impl Default for Cursor {
    fn default() -> Self {
        Self {
            column: 0,
            minute: 9 * 60,
        }
    }
}

/// One column of the grid: a day, and the practitioner or room it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridColumn {
    pub title: String,
    pub day: NaiveDate,
    pub practitioner: Option<StaffId>,
    pub room: Option<crate::domain::RoomId>,
}

impl GridColumn {
    pub fn shows(&self, a: &Appointment) -> bool {
        a.day == self.day
            && self.practitioner.is_none_or(|p| a.practitioner == Some(p))
            && self.room.is_none_or(|r| a.room == Some(r))
    }
}

/// What something dragged onto the grid is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// An appointment without a time yet.
    ToPlace(AppointmentId),
    /// A due or overdue series session, to book.
    Due { client: ClientId, session: SessionId },
}

/// What the diary reads for the days shown.
#[derive(Debug, Clone, Default)]
pub struct DiaryData {
    pub from: Option<NaiveDate>,
    pub entries: Vec<DiaryEntry>,
    /// The same appointments, for the live clash check while dragging.
    pub appointments: Vec<Appointment>,
    pub to_place: Vec<DiaryEntry>,
    pub rooms: Vec<Room>,
    pub devices: Vec<Device>,
    pub treatments: Vec<TreatmentType>,
    pub hours: Vec<WorkingHours>,
    pub closures: Vec<crate::domain::Closure>,
    /// Closed days from today on (Settings, Diary).
    pub upcoming_closures: Vec<crate::domain::Closure>,
    /// How many months a consent stays in force.
    pub renewal_months: u32,
}

fn load(store: &Store, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<DiaryData, StoreError> {
    let entries = store.diary(from, to)?;
    Ok(DiaryData {
        from: Some(from),
        appointments: entries.iter().map(|e| e.appointment.clone()).collect(),
        entries,
        to_place: store.appointments_to_place(today)?,
        rooms: store.rooms()?,
        devices: store.devices()?,
        treatments: store.treatment_types()?,
        hours: store.working_hours()?,
        closures: store.closures(from, to)?,
        upcoming_closures: store.closures(today, today + Duration::days(366))?,
        renewal_months: store.consent_renewal_months()?,
    })
}

/// What a drag on the grid is doing, kept between frames.
#[derive(Debug, Clone, PartialEq)]
pub struct GridDrag {
    pub id: AppointmentId,
    pub resize: bool,
    /// Minutes between the block's start and where it was grabbed.
    pub grab: f32,
    pub place: Placement,
}

#[derive(Default)]
pub(crate) struct DiaryArea {
    pub day: NaiveDate,
    pub mode: DiaryMode,
    pub columns_by: ColumnsBy,
    /// Whose week the week view shows.
    pub week_of: Option<StaffId>,
    pub cursor: Cursor,
    pub data: DiaryData,
    pub drag: Option<GridDrag>,
    loading: Option<Job<Result<DiaryData, StoreError>>>,
    printing: Option<output::DayListJob>,
    pub(super) dialog: Option<DiaryDialog>,
    /// Settings, Diary: what is being typed there.
    pub setup: DiarySetup,
    /// Settings shows the diary's set-up.
    pub setup_open: bool,
}

/// The diary's dialogs.
pub(crate) enum DiaryDialog {
    Booking(Box<BookingForm>),
    /// Why an appointment is cancelled or was missed.
    Reason {
        id: AppointmentId,
        to: AppointmentStatus,
        reason: String,
        error: Option<String>,
    },
    /// Tomorrow's call list; saved as CSV only on the desk's word.
    Reminders {
        day: NaiveDate,
        list: Vec<crate::print::day_list::Reminder>,
        saved: Option<String>,
    },
}

/// What the diary can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiaryAction {
    ShowDay(NaiveDate),
    SetMode(DiaryMode),
    SetColumnsBy(ColumnsBy),
    WeekOf(StaffId),
    MoveCursor(Cursor),
    /// Open the client of the appointment under the cursor (Enter, double-click).
    Open(AppointmentId),
    /// Book at the cursor, or at a double-clicked slot: (column, minute).
    NewBooking {
        column: usize,
        minute: u16,
    },
    /// Book a client's series session (from the record, or a due list).
    BookSession {
        client: ClientId,
        session: SessionId,
    },
    /// Something dropped on the grid at (column, minute).
    Drop {
        what: Dropped,
        column: usize,
        minute: u16,
    },
    /// A drag or resize let go.
    Move {
        id: AppointmentId,
        place: Placement,
    },
    SetStatus {
        id: AppointmentId,
        to: AppointmentStatus,
    },
    /// Cancel or no-show: ask why.
    AskReason {
        id: AppointmentId,
        to: AppointmentStatus,
    },
    SubmitReason,
    PickSuggestion(usize),
    SubmitBooking,
    CloseDialog,
    /// Screen the client: their record and a new checklist.
    Screen(AppointmentId),
    /// Start the series session: their record and the treatment-room form.
    StartSession(AppointmentId),
    PrintDayList,
    /// Tomorrow's call list.
    SaveReminders,
    /// Save the call list as CSV (for an SMS or e-mail service).
    WriteRemindersCsv,
    AddRoom,
    AddPen,
    SaveHours(StaffId),
    AddClosure,
    SetRoomActive(crate::domain::RoomId, bool),
    SetPenActive(crate::domain::DeviceId, bool),
    SaveDurations,
    /// How long a signed consent stays in force.
    SaveRenewal,
}

impl DiaryAction {
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Self::Drop { .. }
                | Self::Move { .. }
                | Self::SetStatus { .. }
                | Self::SubmitReason
                | Self::SubmitBooking
                | Self::WriteRemindersCsv
                | Self::AddRoom
                | Self::AddPen
                | Self::SaveHours(_)
                | Self::AddClosure
                | Self::SetRoomActive(..)
                | Self::SetPenActive(..)
                | Self::SaveDurations
                | Self::SaveRenewal
        )
    }

    /// Setting the diary up is the clinic's settings.
    pub fn is_setup(&self) -> bool {
        matches!(
            self,
            Self::AddRoom
                | Self::AddPen
                | Self::SaveHours(_)
                | Self::AddClosure
                | Self::SetRoomActive(..)
                | Self::SetPenActive(..)
                | Self::SaveDurations
                | Self::SaveRenewal
        )
    }
}

impl DiaryArea {
    /// The first day shown: the day, or the Monday of its week.
    pub fn first_day(&self) -> NaiveDate {
        match self.mode {
            DiaryMode::Day => self.day,
            DiaryMode::Week => {
                self.day - Duration::days(i64::from(self.day.weekday().num_days_from_monday()))
            }
        }
    }

    pub fn last_day(&self) -> NaiveDate {
        match self.mode {
            DiaryMode::Day => self.day,
            DiaryMode::Week => self.first_day() + Duration::days(6),
        }
    }

    /// Reads the days shown again, off the window's thread.
    pub fn refresh(&mut self, desk: &Desk) {
        if self.day == NaiveDate::default() {
            self.day = desk.today;
        }
        let path = desk.store.path().to_path_buf();
        let (from, to, today) = (self.first_day(), self.last_day(), desk.today);
        self.loading = Some(Job::spawn(&desk.waker, move || {
            load(&Store::open(&path)?, from, to, today)
        }));
    }

    pub fn loading(&self) -> bool {
        self.loading.is_some() || self.printing.is_some()
    }

    pub fn poll(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.loading) {
            self.loaded(answer, desk);
        }
        self.poll_print(desk, false);
    }

    pub fn wait(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.loading) {
            self.loaded(answer, desk);
        }
        self.poll_print(desk, true);
    }

    fn loaded(&mut self, answer: Result<Result<DiaryData, StoreError>, Stopped>, desk: &mut Desk) {
        match answer {
            Ok(Ok(data)) => {
                self.setup.load_hours(&data.hours);
                self.setup.load_durations(&data.treatments);
                self.setup.renewal_months = data.renewal_months.to_string();
                self.data = data;
            }
            Ok(Err(e)) => desk.fail(&e),
            Err(Stopped) => desk.error("Loading the diary stopped unexpectedly."),
        }
    }

    /// The grid's columns for what is shown.
    pub fn columns(&self, desk: &Desk) -> Vec<GridColumn> {
        self.columns_for(&desk.staff)
    }

    /// The columns, from the clinic's accounts: those who may treat, active.
    pub fn columns_for(&self, staff: &[crate::domain::StaffMember]) -> Vec<GridColumn> {
        let practitioners: Vec<_> = staff
            .iter()
            .filter(|s| s.active && s.role.may(crate::domain::Act::Sign))
            .collect();
        match self.mode {
            DiaryMode::Day => match self.columns_by {
                ColumnsBy::Practitioner => practitioners
                    .iter()
                    .map(|s| GridColumn {
                        title: s.name.clone(),
                        day: self.day,
                        practitioner: Some(s.id),
                        room: None,
                    })
                    .collect(),
                ColumnsBy::Room => self
                    .data
                    .rooms
                    .iter()
                    .filter(|r| r.active)
                    .map(|r| GridColumn {
                        title: r.name.clone(),
                        day: self.day,
                        practitioner: None,
                        room: Some(r.id),
                    })
                    .collect(),
            },
            DiaryMode::Week => {
                let who = self.week_of.or_else(|| practitioners.first().map(|s| s.id));
                (0..7)
                    .map(|i| {
                        let day = self.first_day() + Duration::days(i);
                        GridColumn {
                            title: day.format("%a %-d %b").to_string(),
                            day,
                            practitioner: who,
                            room: None,
                        }
                    })
                    .collect()
            }
        }
    }

    pub fn entry(&self, id: AppointmentId) -> Option<&DiaryEntry> {
        self.data
            .entries
            .iter()
            .chain(&self.data.to_place)
            .find(|e| e.appointment.id == id)
    }

    /// The appointment under the keyboard's cursor.
    pub fn under_cursor(&self, columns: &[GridColumn]) -> Option<&DiaryEntry> {
        let column = columns.get(self.cursor.column)?;
        self.data.entries.iter().find(|e| {
            column.shows(&e.appointment)
                && e.appointment
                    .holds()
                    .is_some_and(|s| s.start <= self.cursor.minute && self.cursor.minute < s.end())
        })
    }

    pub fn apply(&mut self, action: DiaryAction, desk: &mut Desk) -> Option<Event> {
        match action {
            DiaryAction::ShowDay(day) => {
                self.day = day;
                self.refresh(desk);
                None
            }
            DiaryAction::SetMode(mode) => {
                self.mode = mode;
                self.cursor.column = 0;
                self.refresh(desk);
                None
            }
            DiaryAction::SetColumnsBy(by) => {
                self.columns_by = by;
                self.cursor.column = 0;
                None
            }
            DiaryAction::WeekOf(who) => {
                self.week_of = Some(who);
                None
            }
            DiaryAction::MoveCursor(cursor) => {
                self.cursor = cursor;
                None
            }
            DiaryAction::Open(id) => self
                .entry(id)
                .map(|e| Event::Then(vec![super::Action::OpenClient(e.appointment.client_id)])),
            DiaryAction::CloseDialog => {
                self.dialog = None;
                None
            }
            setup if setup.is_setup() => self.setup.apply(setup, desk),
            other => self.apply_flow(other, desk),
        }
    }
}

impl super::areas::AreaDialog for DiaryArea {
    fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    fn close_dialog(&mut self) {
        self.dialog = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<super::Action> {
        let data = &self.data;
        let action = match self.dialog.as_mut()? {
            DiaryDialog::Booking(form) => super::views::booking_form::BookingDialog {
                form,
                data,
                staff: &desk.staff,
                store: &desk.store,
            }
            .ui(ui),
            DiaryDialog::Reason {
                id,
                to,
                reason,
                error,
            } => {
                let client = data
                    .entries
                    .iter()
                    .chain(&data.to_place)
                    .find(|e| e.appointment.id == *id)
                    .map_or(String::new(), |e| e.client_name.clone());
                super::views::booking_form::reason_ui(ui, &client, *to, reason, error.clone())
            }
            DiaryDialog::Reminders { day, list, saved } => {
                super::views::booking_form::reminders_ui(ui, *day, list, saved.as_deref())
            }
        };
        action.map(super::Action::Diary)
    }
}
