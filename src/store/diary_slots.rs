//! "First free slots" for a booking: the facts the search needs, read in one go, then the
//! domain's search (`domain::free_slots`).

use chrono::NaiveDate;

use super::diary;
use super::error::StoreResult;
use super::{rows, Store};
use crate::domain::diary::Placement;
use crate::domain::free_slots::{first_free_slots, DiaryFacts, SlotSearch};
use crate::domain::{ClientId, StaffId};

impl Store {
    /// The earliest free slots for `search` (see [`first_free_slots`]).
    pub fn free_slots(&self, search: &SlotSearch) -> StoreResult<Vec<Placement>> {
        if search.to < search.from {
            return Ok(Vec::new());
        }
        let appointments = diary::appointments_between(self.conn(), search.from, search.to)?;
        let hours = diary::working_hours(self.conn())?;
        let closures = diary::closures(self.conn(), search.from, search.to)?;
        Ok(first_free_slots(
            search,
            &DiaryFacts {
                appointments: &appointments,
                hours: &hours,
                closures: &closures,
            },
        ))
    }

    /// The day the client's latest signed screening defers them to, if it does.
    pub fn deferred_until(&self, client: ClientId) -> StoreResult<Option<NaiveDate>> {
        let until: Option<Option<String>> = rows::read_one(
            self.conn(),
            "SELECT defer_until FROM screenings INDEXED BY screenings_by_client
              WHERE client_id = ?1 AND signed_at IS NOT NULL ORDER BY screened_on DESC LIMIT 1",
            [client.to_string()],
            |r| r.get("defer_until"),
        )?;
        rows::opt_date("screenings", &client.to_string(), until.flatten())
    }

    /// The practitioner of the client's latest placed appointment (booked first with them again).
    pub fn last_practitioner(&self, client: ClientId) -> StoreResult<Option<StaffId>> {
        let id: Option<Option<String>> = rows::read_one(
            self.conn(),
            "SELECT practitioner_id FROM appointments INDEXED BY appointments_by_client
              WHERE client_id = ?1 AND practitioner_id IS NOT NULL AND status <> 'cancelled'
              ORDER BY day DESC LIMIT 1",
            [client.to_string()],
            |r| r.get("practitioner_id"),
        )?;
        rows::opt_parse("appointments", &client.to_string(), "practitioner", id.flatten())
    }
}

impl Store {
    /// Series sessions whose window is open on `day` and that are not booked: (client, session),
    /// at most `limit` (the demo's diary books from these; the booking form offers the rest).
    pub fn sessions_open_on(
        &self,
        day: NaiveDate,
        limit: usize,
    ) -> StoreResult<Vec<(ClientId, crate::domain::SessionId)>> {
        let found: Vec<(String, String)> = rows::read_all(
            self.conn(),
            "SELECT client_id, session_id FROM next_sessions
              WHERE latest_on >= ?1 AND earliest_on <= ?1 AND status = 'planned' LIMIT ?2",
            rusqlite::params![day.to_string(), i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| Ok((r.get("client_id")?, r.get("session_id")?)),
        )?;
        found
            .into_iter()
            .map(|(c, s)| {
                Ok((
                    rows::parse("next_sessions", &s, "client", &c)?,
                    rows::parse("next_sessions", &s, "session", &s)?,
                ))
            })
            .collect()
    }

    /// Up to `n` clients not archived, from about `fraction` (0–1) of the way through the file.
    pub fn clients_from(&self, fraction: f64, n: usize) -> StoreResult<Vec<ClientId>> {
        let last: i64 = self
            .conn()
            .query_row("SELECT coalesce(max(rowid), 0) FROM clients", [], |r| r.get(0))?;
        // A fraction of the highest rowid, rounded down: the row to start from.
        let from = (last as f64 * fraction.clamp(0.0, 1.0)) as i64;
        let found: Vec<String> = rows::read_all(
            self.conn(),
            "SELECT id FROM clients WHERE rowid >= ?1 AND archived_at IS NULL ORDER BY rowid LIMIT ?2",
            rusqlite::params![from, i64::try_from(n).unwrap_or(i64::MAX)],
            |r| r.get("id"),
        )?;
        found
            .into_iter()
            .map(|id| rows::parse("clients", &id, "id", &id))
            .collect()
    }
}

impl Store {
    /// The day and time a series session is booked for in the diary (its appointment still
    /// holding the slot), for the sheets that name the appointment.
    pub fn booked_time(&self, session: crate::domain::SessionId) -> StoreResult<Option<(NaiveDate, u16)>> {
        let found: Option<(String, i64)> = rows::read_one(
            self.conn(),
            "SELECT day, start_minute FROM appointments INDEXED BY appointments_by_session
              WHERE session_id = ?1 AND start_minute IS NOT NULL
                AND status IN ('booked', 'arrived', 'screened', 'in_treatment')
              ORDER BY day DESC LIMIT 1",
            [session.to_string()],
            |r| Ok((r.get("day")?, r.get("start_minute")?)),
        )?;
        found
            .map(|(day, minute)| {
                let at = u16::try_from(minute)
                    .map_err(|_| rows::bad("appointments", &day, "start out of range"))?;
                Ok((rows::date("appointments", &day, &day)?, at))
            })
            .transpose()
    }
}
