//! The booking form: who, what, when, with whom, where, with which pen; the first free slots of
//! a series session's window to pick from; a reason when the store asks for one. A refused save
//! keeps every field as typed.

use chrono::{Duration, NaiveDate};

use crate::domain::diary::{clock, parse_clock, parse_minutes, Appointment, Booking, Placement, TimeSpan};
use crate::domain::free_slots::SlotSearch;
use crate::domain::{ClientId, DeviceId, RoomId, SessionId, SessionStatus, StaffId};
use crate::store::{ClientHit, Store, StoreResult};

use super::DiaryData;

/// A series session the client can be booked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSession {
    pub id: SessionId,
    pub label: String,
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    /// The date the interval counts from: the previous session's actual or planned date.
    pub previous: Option<NaiveDate>,
    pub window: crate::domain::IntervalWindow,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct BookingForm {
    /// Placing (or moving) an existing appointment instead of booking a new one: as the desk
    /// showed it when the form opened (a move made meanwhile at another desk is refused).
    pub placing: Option<Box<Appointment>>,
    pub client: Option<(ClientId, String)>,
    pub client_query: String,
    pub hits: Vec<ClientHit>,
    pub sessions: Vec<OpenSession>,
    pub session: Option<SessionId>,
    pub treatment: String,
    pub day: String,
    pub start: String,
    pub minutes: String,
    pub practitioner: Option<StaffId>,
    pub room: Option<RoomId>,
    pub device: Option<DeviceId>,
    pub notes: String,
    /// Why the practitioner is double-booked or outside their hours (asked for by the store).
    pub reason: String,
    /// What the store said needs a reason; the reason field shows while this is set.
    pub needs_reason: Option<String>,
    /// Why a series session is booked outside its interval; asked for when it is.
    pub interval_reason: String,
    pub suggestions: Vec<Placement>,
    /// The window suggestions were looked for in, as words.
    pub window: Option<String>,
    pub error: Option<String>,
}

impl BookingForm {
    /// A new booking at a slot, with the catalogue's first microneedling treatment.
    pub fn at(
        day: NaiveDate,
        minute: u16,
        practitioner: Option<StaffId>,
        room: Option<RoomId>,
        data: &DiaryData,
    ) -> Self {
        let treatment = data
            .treatments
            .iter()
            .find(|t| t.uses_device)
            .or(data.treatments.first())
            .cloned();
        let mut form = Self {
            day: day.to_string(),
            start: clock(minute),
            practitioner,
            room: room.or_else(|| data.rooms.iter().find(|r| r.active).map(|r| r.id)),
            ..Self::default()
        };
        if let Some(t) = treatment {
            form.choose_treatment(&t.code, data);
        }
        form
    }

    pub fn choose_treatment(&mut self, code: &str, data: &DiaryData) {
        self.treatment = code.to_owned();
        if let Some(t) = data.treatments.iter().find(|t| t.code == code) {
            self.minutes = t.minutes.to_string();
            if t.uses_device && self.device.is_none() {
                self.device = data.devices.iter().find(|d| d.active).map(|d| d.id);
            }
            if !t.uses_device {
                self.device = None;
            }
        }
    }

    /// Chooses the client and reads their open series sessions.
    pub fn choose_client(&mut self, store: &Store, id: ClientId, name: String) -> StoreResult<()> {
        self.client = Some((id, name));
        self.hits.clear();
        self.sessions = store
            .client_record(id)?
            .map(|r| {
                r.plans
                    .iter()
                    .filter(|p| p.plan.status == crate::domain::PlanStatus::Active)
                    .flat_map(|p| {
                        p.sessions
                            .iter()
                            .enumerate()
                            .filter(|(_, s)| {
                                matches!(s.status, SessionStatus::Planned | SessionStatus::Booked)
                            })
                            .map(|(i, s)| OpenSession {
                                previous: i
                                    .checked_sub(1)
                                    .and_then(|j| p.sessions.get(j))
                                    .map(|prev| prev.performed_on.unwrap_or(prev.target_on)),
                                window: p.plan.series.window,
                                id: s.id,
                                label: format!(
                                    "{}: session {} of {} (window {} to {})",
                                    p.plan.title,
                                    s.number,
                                    p.plan.series.sessions(),
                                    s.earliest_on,
                                    s.latest_on
                                ),
                                earliest: s.earliest_on,
                                latest: s.latest_on,
                            })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(())
    }

    /// Looks for the first free slots of the chosen session's window: not before today (nor
    /// before now today), nor before the latest screening's deferral; the client's last
    /// practitioner first.
    pub fn suggest(
        &mut self,
        store: &Store,
        data: &DiaryData,
        practitioners: &[StaffId],
        today: NaiveDate,
        now: u16,
    ) -> StoreResult<()> {
        self.suggestions.clear();
        self.window = None;
        let (Some((client, _)), Some(session)) = (&self.client, self.session) else {
            return Ok(());
        };
        let Some(open) = self.sessions.iter().find(|s| s.id == session) else {
            return Ok(());
        };
        let deferred = store.deferred_until(*client)?;
        let from = open.earliest.max(today).max(deferred.unwrap_or(today));
        let mut order = Vec::new();
        if let Some(last) = store.last_practitioner(*client)? {
            order.push(last);
        }
        for p in practitioners {
            if !order.contains(p) {
                order.push(*p);
            }
        }
        let minutes = parse_minutes(&self.minutes).unwrap_or(60);
        let needs_device = data
            .treatments
            .iter()
            .any(|t| t.code == self.treatment && t.uses_device);
        let search = SlotSearch {
            client: *client,
            from,
            to: open.latest,
            not_before: if from == today { now } else { 0 },
            minutes,
            practitioners: order,
            rooms: data.rooms.iter().filter(|r| r.active).map(|r| r.id).collect(),
            devices: data.devices.iter().filter(|d| d.active).map(|d| d.id).collect(),
            needs_device: needs_device && data.devices.iter().any(|d| d.active),
            per_practitioner: 3,
            total: 6,
        };
        self.suggestions = store.free_slots(&search)?;
        self.window = Some(match deferred.filter(|d| *d > open.earliest) {
            Some(d) => format!("{from} to {} (deferred until {d})", open.latest),
            None => format!("{from} to {}", open.latest),
        });
        if open.latest < from {
            self.window = Some(format!(
                "the window closed on {}: book the nearest day and give the reason on the session",
                open.latest
            ));
        }
        Ok(())
    }

    pub fn pick(&mut self, index: usize) {
        if let Some(p) = self.suggestions.get(index).cloned() {
            self.day = p.day.to_string();
            self.start = clock(p.span.start);
            self.practitioner = Some(p.practitioner);
            self.room = Some(p.room);
            self.device = p.device;
        }
    }

    /// The chosen session's previous date, interval window and latest day, if it has a previous.
    fn session_interval(&self) -> Option<(NaiveDate, crate::domain::IntervalWindow, NaiveDate)> {
        let open = self.sessions.iter().find(|s| Some(s.id) == self.session)?;
        Some((open.previous?, open.window, open.latest))
    }

    /// The series' interval rule for a session's day: too soon needs a written reason, as does
    /// a day after the window. Gives the reason to keep on the session.
    fn check_interval(
        &self,
        day: NaiveDate,
        previous: NaiveDate,
        window: &crate::domain::IntervalWindow,
        latest: NaiveDate,
    ) -> Result<Option<String>, String> {
        use crate::domain::series::{check_interval, IntervalCheck};
        let reason = Some(self.interval_reason.trim()).filter(|r| !r.is_empty());
        match check_interval(previous, day, window, reason).map_err(|e| e.to_string())? {
            IntervalCheck::Within => Ok(None),
            IntervalCheck::EarlyOverridden { reason, .. } => Ok(Some(reason)),
            IntervalCheck::Late { days, max_days } => match reason {
                Some(r) => Ok(Some(r.to_owned())),
                None => Err(format!(
                    "{days} days after the previous session is past the series' {max_days}: write the reason for the interval, or choose a day by {latest}."
                )),
            },
        }
    }

    /// Whether the interval reason field is needed (the day typed is outside the interval).
    pub fn needs_interval_reason(&self) -> bool {
        let day = NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d").ok();
        match (day, self.session_interval()) {
            (Some(day), Some((previous, window, _))) => {
                let gap = (day - previous).num_days();
                gap < i64::from(window.min_days()) || gap > i64::from(window.max_days())
            }
            _ => false,
        }
    }

    /// The form as a booking, or every problem at once.
    pub fn validate(&self, today: NaiveDate) -> Result<Booking, String> {
        let mut problems = Vec::new();
        let client = self.client.as_ref().map(|(id, _)| *id);
        if client.is_none() {
            problems.push("Choose the client.".to_owned());
        }
        let day = NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d").ok();
        match day {
            None => problems.push(format!(
                "\"{}\" is not a date. Write it as year-month-day, for example {}.",
                self.day.trim(),
                today + Duration::days(7)
            )),
            Some(d) if d < today && self.placing.is_none() => {
                problems.push(format!("{d} is in the past. Book today or a later day."))
            }
            _ => {}
        }
        let start = parse_clock(&self.start)
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        let minutes = parse_minutes(&self.minutes)
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        if self.practitioner.is_none() {
            problems.push("Choose the practitioner.".to_owned());
        }
        if self.room.is_none() {
            problems.push("Choose the room.".to_owned());
        }
        if let (Some(s), Some(m)) = (start, minutes) {
            if let Err(e) = crate::domain::diary::check_span(TimeSpan { start: s, minutes: m }) {
                problems.push(e.to_string());
            }
        }
        let notes = crate::domain::text::bounded("Notes", &self.notes, 1000)
            .map_err(|e| problems.push(e.to_string()))
            .ok();
        let interval_reason = match (day, self.session_interval()) {
            (Some(day), Some((previous, window, latest))) => self
                .check_interval(day, previous, &window, latest)
                .map_err(|e| problems.push(e))
                .ok()
                .flatten(),
            _ => None,
        };
        match (client, day, start, minutes, self.practitioner, self.room, notes) {
            (
                Some(client_id),
                Some(day),
                Some(start),
                Some(minutes),
                Some(practitioner),
                Some(room),
                Some(notes),
            ) if problems.is_empty() => Ok(Booking {
                client_id,
                session_id: self.session,
                treatment: self.treatment.clone(),
                place: Placement {
                    day,
                    span: TimeSpan { start, minutes },
                    practitioner,
                    room,
                    device: self.device,
                },
                notes,
                override_reason: Some(self.reason.trim().to_owned()).filter(|r| !r.is_empty()),
                interval_reason,
            }),
            _ => Err(problems.join(" ")),
        }
    }
}
