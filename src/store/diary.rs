//! The diary's reads: a day's (or a week's) appointments with what the grid shows of each, the
//! catalogue, rooms, pens, hours and closures. Each day is one range of `appointments_by_day`,
//! so a day opens in the same time whatever the size of the clinic's history.

use super::db::{Db, Row};
use chrono::NaiveDate;
use rusqlite::params;

use super::error::StoreResult;
use super::{rows, Store};
use crate::domain::diary::{
    Appointment, AppointmentStatus, Closure, Device, Room, TimeSpan, TreatmentType, WorkingHours,
};
use crate::domain::{AppointmentId, ClientId, DeviceId, OutcomeKind, RoomId, SessionId, StaffId};

pub(super) const TABLE: &str = "appointments";
pub(super) const COLUMNS: &str = "a.id, a.client_id, a.session_id, a.treatment, a.day, a.start_minute, a.minutes,
    a.practitioner_id, a.room_id, a.device_id, a.status, a.arrived_at, a.status_reason, a.override_reason, a.notes";

/// One appointment as the diary shows it: with the client's name and contact, and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiaryEntry {
    pub appointment: Appointment,
    pub client_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Session 2 of 4, when it is a series session.
    pub session: Option<(u8, u8)>,
    /// A treatment with no signed screening of its day yet (shown on the day itself).
    pub screening_due: bool,
    /// What the practitioner should know before the client walks in.
    pub warnings: Vec<String>,
}

pub(super) struct AppointmentRow {
    id: String,
    client_id: String,
    session_id: Option<String>,
    treatment: String,
    day: String,
    start_minute: Option<i64>,
    minutes: i64,
    practitioner_id: Option<String>,
    room_id: Option<String>,
    device_id: Option<String>,
    status: String,
    arrived_at: Option<String>,
    status_reason: Option<String>,
    override_reason: Option<String>,
    notes: String,
}

impl AppointmentRow {
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            session_id: r.get("session_id")?,
            treatment: r.get("treatment")?,
            day: r.get("day")?,
            start_minute: r.get("start_minute")?,
            minutes: r.get("minutes")?,
            practitioner_id: r.get("practitioner_id")?,
            room_id: r.get("room_id")?,
            device_id: r.get("device_id")?,
            status: r.get("status")?,
            arrived_at: r.get("arrived_at")?,
            status_reason: r.get("status_reason")?,
            override_reason: r.get("override_reason")?,
            notes: r.get("notes")?,
        })
    }

    pub(super) fn into_appointment(self) -> StoreResult<Appointment> {
        let id = self.id;
        let minute = |what: &str, v: i64| {
            u16::try_from(v).map_err(|_| rows::bad(TABLE, &id, format!("{what} {v} is not a time of day")))
        };
        Ok(Appointment {
            id: rows::parse(TABLE, &id, "id", &id)?,
            client_id: rows::parse(TABLE, &id, "client", &self.client_id)?,
            session_id: rows::opt_parse::<SessionId>(TABLE, &id, "session", self.session_id)?,
            treatment: self.treatment,
            day: rows::date(TABLE, &id, &self.day)?,
            start: self.start_minute.map(|m| minute("start", m)).transpose()?,
            minutes: minute("length", self.minutes)?,
            practitioner: rows::opt_parse::<StaffId>(TABLE, &id, "practitioner", self.practitioner_id)?,
            room: rows::opt_parse::<RoomId>(TABLE, &id, "room", self.room_id)?,
            device: rows::opt_parse::<DeviceId>(TABLE, &id, "pen", self.device_id)?,
            status: AppointmentStatus::from_code(&self.status).map_err(|e| rows::bad(TABLE, &id, e))?,
            arrived_at: self.arrived_at,
            status_reason: self.status_reason,
            override_reason: self.override_reason,
            notes: self.notes,
        })
    }
}

/// A day's appointments in time order (the ones still to place first), inside a transaction
/// or not.
pub(super) fn appointments_between(
    conn: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Appointment>> {
    rows::read_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM appointments AS a INDEXED BY appointments_by_day
              WHERE a.day BETWEEN ?1 AND ?2 ORDER BY a.day, a.start_minute"
        ),
        params![from.to_string(), to.to_string()],
        AppointmentRow::from_row,
    )?
    .into_iter()
    .map(AppointmentRow::into_appointment)
    .collect()
}

pub(super) fn appointment(conn: &Db, id: AppointmentId) -> StoreResult<Option<Appointment>> {
    rows::read_one(
        conn,
        &format!("SELECT {COLUMNS} FROM appointments AS a WHERE a.id = ?1"),
        [id.to_string()],
        AppointmentRow::from_row,
    )?
    .map(AppointmentRow::into_appointment)
    .transpose()
}

struct EntryExtras {
    client_name: String,
    phone: Option<String>,
    email: Option<String>,
    number: Option<i64>,
    planned: Option<i64>,
    screened_that_day: i64,
    defer_until: Option<String>,
    outcome: Option<String>,
}

impl Store {
    pub fn treatment_types(&self) -> StoreResult<Vec<TreatmentType>> {
        rows::read_all(
            self.conn(),
            "SELECT code, name, minutes, uses_device FROM treatment_types ORDER BY position",
            [],
            |r| {
                Ok(TreatmentType {
                    code: r.get("code")?,
                    name: r.get("name")?,
                    minutes: u16::try_from(r.get::<_, i64>("minutes")?).unwrap_or(60),
                    uses_device: r.get::<_, i64>("uses_device")? != 0,
                })
            },
        )
    }

    pub fn rooms(&self) -> StoreResult<Vec<Room>> {
        resources(self.conn(), "rooms")
    }

    pub fn devices(&self) -> StoreResult<Vec<Device>> {
        resources(self.conn(), "devices")
    }

    pub fn working_hours(&self) -> StoreResult<Vec<WorkingHours>> {
        working_hours(self.conn())
    }

    pub fn closures(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Closure>> {
        closures(self.conn(), from, to)
    }

    pub fn appointment(&self, id: AppointmentId) -> StoreResult<Option<Appointment>> {
        appointment(self.conn(), id)
    }

    /// Every appointment from `from` to `to` (inclusive), in time order.
    pub fn appointments_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Appointment>> {
        appointments_between(self.conn(), from, to)
    }

    /// A client's appointments, newest day first (for the record and the series).
    pub fn appointments_of(&self, client: ClientId) -> StoreResult<Vec<Appointment>> {
        rows::read_all(
            self.conn(),
            &format!(
                "SELECT {COLUMNS} FROM appointments AS a INDEXED BY appointments_by_client
                  WHERE a.client_id = ?1 ORDER BY a.day DESC, a.start_minute DESC"
            ),
            [client.to_string()],
            AppointmentRow::from_row,
        )?
        .into_iter()
        .map(AppointmentRow::into_appointment)
        .collect()
    }

    /// Booked appointments without a time, from `from` on (placed before the diary existed).
    pub fn appointments_to_place(&self, from: NaiveDate) -> StoreResult<Vec<DiaryEntry>> {
        let found: Vec<Appointment> = rows::read_all(
            self.conn(),
            &format!(
                "SELECT {COLUMNS} FROM appointments AS a INDEXED BY appointments_to_place
                  WHERE a.start_minute IS NULL AND a.status = 'booked' AND a.day >= ?1 ORDER BY a.day LIMIT 200"
            ),
            [from.to_string()],
            AppointmentRow::from_row,
        )?
        .into_iter()
        .map(AppointmentRow::into_appointment)
        .collect::<StoreResult<_>>()?;
        found.into_iter().map(|a| self.entry(a)).collect()
    }

    /// The diary's days from `from` to `to`: each appointment with its client and flags.
    pub fn diary(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<DiaryEntry>> {
        self.appointments_between(from, to)?
            .into_iter()
            .map(|a| self.entry(a))
            .collect()
    }

    fn entry(&self, appointment: Appointment) -> StoreResult<DiaryEntry> {
        let extras = rows::read_one(
            self.conn(),
            "SELECT c.full_name, c.phone, c.email,
                    (SELECT s.number FROM sessions AS s WHERE s.id = ?2) AS number,
                    (SELECT p.sessions_planned FROM sessions AS s JOIN treatment_plans AS p ON p.id = s.plan_id
                      WHERE s.id = ?2) AS planned,
                    EXISTS (SELECT 1 FROM screenings AS sc INDEXED BY screenings_by_client
                             WHERE sc.client_id = c.id AND sc.screened_on = ?3 AND sc.signed_at IS NOT NULL) AS screened_that_day,
                    (SELECT sc.defer_until FROM screenings AS sc INDEXED BY screenings_by_client
                      WHERE sc.client_id = c.id AND sc.signed_at IS NOT NULL ORDER BY sc.screened_on DESC LIMIT 1) AS defer_until,
                    (SELECT sc.outcome FROM screenings AS sc INDEXED BY screenings_by_client
                      WHERE sc.client_id = c.id AND sc.signed_at IS NOT NULL ORDER BY sc.screened_on DESC LIMIT 1) AS outcome
               FROM clients AS c WHERE c.id = ?1",
            params![
                appointment.client_id.to_string(),
                appointment.session_id.map(|s| s.to_string()),
                appointment.day.to_string()
            ],
            |r| {
                Ok(EntryExtras {
                    client_name: r.get("full_name")?,
                    phone: r.get("phone")?,
                    email: r.get("email")?,
                    number: r.get("number")?,
                    planned: r.get("planned")?,
                    screened_that_day: r.get("screened_that_day")?,
                    defer_until: r.get("defer_until")?,
                    outcome: r.get("outcome")?,
                })
            },
        )?
        .ok_or_else(|| rows::bad(TABLE, &appointment.id.to_string(), "its client is missing"))?;
        let id = appointment.id.to_string();
        let mut warnings = Vec::new();
        let treats = appointment.session_id.is_some() || appointment.treatment.starts_with("microneedling");
        let screening_due = treats && extras.screened_that_day == 0 && !appointment.status.is_final();
        if let Some(until) = rows::opt_date(TABLE, &id, extras.defer_until)?.filter(|u| *u > appointment.day)
        {
            warnings.push(format!("Deferred until {until}"));
        }
        if treats && !appointment.status.is_final() {
            let consent = self.consent_state(
                appointment.client_id,
                crate::domain::ConsentKind::Treatment,
                appointment.day,
            )?;
            if !consent.is_valid() {
                warnings.push("Consent missing".to_owned());
            }
        }
        if extras.outcome.as_deref() == Some(OutcomeKind::DoNotTreat.code()) {
            warnings.push("Do not treat (latest screening)".to_owned());
        }
        let session = match (extras.number, extras.planned) {
            (Some(n), Some(p)) => Some((u8::try_from(n).unwrap_or(0), u8::try_from(p).unwrap_or(0))),
            _ => None,
        };
        Ok(DiaryEntry {
            appointment,
            client_name: extras.client_name,
            phone: extras.phone,
            email: extras.email,
            session,
            screening_due,
            warnings,
        })
    }
}

fn resources<Id: std::str::FromStr>(
    conn: &Db,
    table: &'static str,
) -> StoreResult<Vec<crate::domain::diary::Resource<Id>>>
where
    Id::Err: std::fmt::Display,
{
    let found: Vec<(String, String, i64)> = rows::read_all(
        conn,
        &format!("SELECT id, name, active FROM {table} ORDER BY name COLLATE NOCASE"),
        [],
        |r| Ok((r.get("id")?, r.get("name")?, r.get("active")?)),
    )?;
    found
        .into_iter()
        .map(|(id, name, active)| {
            Ok(crate::domain::diary::Resource {
                id: rows::parse(table, &id, "id", &id)?,
                name,
                active: active != 0,
            })
        })
        .collect()
}

pub(super) fn working_hours(conn: &Db) -> StoreResult<Vec<WorkingHours>> {
    let found: Vec<(String, i64, i64, i64)> = rows::read_all(
        conn,
        "SELECT staff_id, weekday, start_minute, end_minute FROM working_hours ORDER BY staff_id, weekday",
        [],
        |r| {
            Ok((
                r.get("staff_id")?,
                r.get("weekday")?,
                r.get("start_minute")?,
                r.get("end_minute")?,
            ))
        },
    )?;
    found
        .into_iter()
        .map(|(staff, weekday, start, end)| {
            let bad = || rows::bad("working_hours", &staff, "hours out of range");
            let start = u16::try_from(start).map_err(|_| bad())?;
            let end = u16::try_from(end).map_err(|_| bad())?;
            Ok(WorkingHours {
                staff: rows::parse("working_hours", &staff, "staff", &staff)?,
                weekday: u8::try_from(weekday).map_err(|_| bad())?,
                span: TimeSpan {
                    start,
                    minutes: end.saturating_sub(start),
                },
            })
        })
        .collect()
}

pub(super) fn closures(conn: &Db, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Closure>> {
    let found: Vec<(String, String)> = rows::read_all(
        conn,
        "SELECT day, reason FROM closures WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
        params![from.to_string(), to.to_string()],
        |r| Ok((r.get("day")?, r.get("reason")?)),
    )?;
    found
        .into_iter()
        .map(|(day, reason)| {
            Ok(Closure {
                day: rows::date("closures", &day, &day)?,
                reason,
            })
        })
        .collect()
}
