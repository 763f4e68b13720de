//! The printed day list: each practitioner's appointments with the time, client, phone,
//! treatment, room, pen, notes and flags, for the paper file and the day the PC is down; and the
//! reminder call list for tomorrow, the same appointments as CSV for an SMS or e-mail service.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::build::paper_name;
use super::model::{Clinic, Sheet};
use super::{render, PrintError, Templates};
use crate::domain::diary::clock;
use crate::domain::Actor;
use crate::store::{DiaryEntry, Store};

/// One appointment line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayListRow {
    /// "09:30–10:30", or "no time yet".
    pub time: String,
    pub client: String,
    pub phone: String,
    pub treatment: String,
    pub room: String,
    pub pen: String,
    pub status: String,
    pub notes: String,
    pub flags: Vec<String>,
}

/// One practitioner's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayListColumn {
    pub practitioner: String,
    pub rows: Vec<DayListRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayListSheet {
    pub paper: String,
    pub clinic: Clinic,
    /// The sheets' header field: here the list's title ("Day list · Saturday 5 December 2026").
    pub client: String,
    pub day: String,
    pub practitioners: Vec<DayListColumn>,
    /// Booked that day without a time yet.
    pub unplaced: Vec<DayListRow>,
    pub total: usize,
    pub printed_on: String,
}

/// The day's appointments (cancelled ones left out, no-shows kept) by practitioner, in time
/// order.
pub fn day_list(store: &Store, day: NaiveDate, printed_on: NaiveDate) -> Result<DayListSheet, PrintError> {
    let settings = store.clinic_settings()?;
    let entries: Vec<DiaryEntry> = store
        .diary(day, day)?
        .into_iter()
        .filter(|e| e.appointment.status != crate::domain::AppointmentStatus::Cancelled)
        .collect();
    let staff = store.staff()?;
    let rooms = store.rooms()?;
    let devices = store.devices()?;
    let treatments = store.treatment_types()?;
    let row = |e: &DiaryEntry| {
        let a = &e.appointment;
        let mut status = a.status.label().to_owned();
        if let Some(at) = &a.arrived_at {
            status.push_str(&format!(" {at}"));
        }
        if let Some(r) = &a.status_reason {
            status.push_str(&format!(" ({r})"));
        }
        let mut flags = e.warnings.clone();
        if e.screening_due {
            flags.insert(0, "Screening due".to_owned());
        }
        if let Some(r) = &a.override_reason {
            flags.push(format!("Booked over: {r}"));
        }
        DayListRow {
            time: a.span().map_or_else(|| "no time yet".to_owned(), |s| s.words()),
            client: e.client_name.clone(),
            phone: e.phone.clone().unwrap_or_default(),
            treatment: treatments
                .iter()
                .find(|t| t.code == a.treatment)
                .map_or(a.treatment.clone(), |t| t.name.clone())
                + &e.session
                    .map(|(n, of)| format!(" ({n} of {of})"))
                    .unwrap_or_default(),
            room: rooms
                .iter()
                .find(|r| Some(r.id) == a.room)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            pen: devices
                .iter()
                .find(|d| Some(d.id) == a.device)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            status,
            notes: a.notes.clone(),
            flags,
        }
    };
    let mut practitioners: Vec<DayListColumn> = Vec::new();
    for e in entries.iter().filter(|e| e.appointment.start.is_some()) {
        let name = staff
            .iter()
            .find(|s| Some(s.id) == e.appointment.practitioner)
            .map_or("No practitioner", |s| s.name.as_str());
        match practitioners.iter_mut().find(|c| c.practitioner == name) {
            Some(column) => column.rows.push(row(e)),
            None => practitioners.push(DayListColumn {
                practitioner: name.to_owned(),
                rows: vec![row(e)],
            }),
        }
    }
    practitioners.sort_by(|a, b| a.practitioner.cmp(&b.practitioner));
    let unplaced: Vec<DayListRow> = entries
        .iter()
        .filter(|e| e.appointment.start.is_none())
        .map(row)
        .collect();
    let day_words = day.format("%A %-d %B %Y").to_string();
    Ok(DayListSheet {
        paper: paper_name(settings.paper_size).to_owned(),
        clinic: Clinic {
            name: settings.name.trim().to_owned(),
            address: settings
                .address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            phone: settings.phone.trim().to_owned(),
        },
        client: format!("Day list · {day_words}"),
        day: day_words,
        total: entries.len(),
        practitioners,
        unplaced,
        printed_on: printed_on.format("%-d %B %Y").to_string(),
    })
}

/// Renders the day list to `out` and records the print in the audit log (it lists clients'
/// phone numbers).
pub fn print_day_list(
    store: &mut Store,
    templates: &Templates,
    day: NaiveDate,
    printed_on: NaiveDate,
    out: &Path,
    actor: impl Into<Actor>,
) -> Result<usize, PrintError> {
    let sheet = day_list(store, day, printed_on)?;
    if sheet.clinic.name.is_empty() {
        return Err(PrintError::NoClinicName);
    }
    let rendered = render(&Sheet::DayList(sheet), templates, printed_on)?;
    super::save_and_record(
        store,
        out,
        &rendered.pdf,
        actor,
        super::PrintRecord {
            table: "appointments",
            record_id: day.to_string(),
            client: None,
            what: "day list".to_owned(),
        },
    )?;
    Ok(rendered.pages.len())
}

/// Tomorrow's (or any day's) reminder list: one line per appointment still holding its slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub day: NaiveDate,
    pub time: String,
    pub client: String,
    pub phone: String,
    pub email: String,
    pub treatment: String,
}

pub fn reminders(store: &Store, day: NaiveDate) -> Result<Vec<Reminder>, PrintError> {
    let treatments = store.treatment_types()?;
    Ok(store
        .diary(day, day)?
        .into_iter()
        .filter(|e| matches!(e.appointment.status, crate::domain::AppointmentStatus::Booked))
        .map(|e| Reminder {
            day,
            time: e.appointment.start.map(clock).unwrap_or_default(),
            treatment: treatments
                .iter()
                .find(|t| t.code == e.appointment.treatment)
                .map_or(e.appointment.treatment.clone(), |t| t.name.clone()),
            client: e.client_name,
            phone: e.phone.unwrap_or_default(),
            email: e.email.unwrap_or_default(),
        })
        .collect())
}

/// The reminders as CSV (RFC 4180: every field quoted, quotes doubled), with a header line.
pub fn reminders_csv(list: &[Reminder]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("date,time,client,phone,email,treatment\r\n");
    for r in list {
        let fields = [
            r.day.to_string(),
            r.time.clone(),
            r.client.clone(),
            r.phone.clone(),
            r.email.clone(),
            r.treatment.clone(),
        ];
        out.push_str(&fields.iter().map(|f| quote(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
