//! Booking, moving and moving an appointment through the day. Each runs inside the action's
//! `BEGIN IMMEDIATE` transaction and reads the day again there, so two desks booking the same
//! slot cannot both win: the second one reads the first one's row and is told which slot it was.
//! The file's triggers refuse a clash a second time (`migrations/0013_diary.sql`).

use chrono::NaiveDate;
use rusqlite::params;

use super::diary::{self, TABLE};
use super::error::{StoreError, StoreResult};
use super::Writer;
use crate::domain::diary::{
    check_span, clashes, outside_hours, Appointment, AppointmentStatus, Booking, Clash, ClashKind, Placement,
};
use crate::domain::{Act, AppointmentId, AuditAction, ClientId, SessionId};

/// Where a booking is going wrong, said with the appointment in the way.
fn describe(w: &Writer<'_>, clash: &Clash, place: &Placement) -> StoreResult<String> {
    let (client, treatment): (String, String) = w.tx.query_row(
        "SELECT c.full_name, t.name FROM appointments AS a JOIN clients AS c ON c.id = a.client_id
               JOIN treatment_types AS t ON t.code = a.treatment WHERE a.id = ?1",
        [clash.with.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let name = |table: &str, id: String| -> StoreResult<String> {
        w.tx.query_row(&format!("SELECT name FROM {table} WHERE id = ?1"), [id], |r| {
            r.get(0)
        })
    };
    let who = match clash.kind {
        ClashKind::Room => name("rooms", place.room.to_string())?,
        ClashKind::Device => name("devices", place.device.map(|d| d.to_string()).unwrap_or_default())?,
        ClashKind::Client => "The client".to_owned(),
        ClashKind::Practitioner => name("staff", place.practitioner.to_string())?,
    };
    Ok(format!(
        "{who} is booked {} on {} ({client}, {treatment})",
        clash.span.words(),
        place.day
    ))
}

impl Writer<'_> {
    /// Books a new appointment (and, for a series session, marks the session booked that day).
    pub fn book(&mut self, booking: &Booking, today: NaiveDate) -> StoreResult<AppointmentId> {
        self.acting(Act::Diary)?;
        if booking.place.day < today {
            return Err(crate::domain::DomainError::BookingInPast {
                day: booking.place.day.to_string(),
            }
            .into());
        }
        if let Some(session) = booking.session_id {
            self.check_session_free(session, booking.client_id)?;
        }
        self.check_place(
            &booking.place,
            booking.client_id,
            None,
            booking.override_reason.as_deref(),
        )?;
        self.check_treatment(&booking.treatment, &booking.place)?;
        let id = AppointmentId::new();
        let p = &booking.place;
        self.exec(
            "INSERT INTO appointments (id, client_id, session_id, treatment, day, start_minute, minutes, practitioner_id,
                room_id, device_id, status, override_reason, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'booked', ?11, ?12, ?13, ?13)",
            params![
                id.to_string(),
                booking.client_id.to_string(),
                booking.session_id.map(|s| s.to_string()),
                booking.treatment,
                p.day.to_string(),
                p.span.start,
                p.span.minutes,
                p.practitioner.to_string(),
                p.room.to_string(),
                p.device.map(|d| d.to_string()),
                booking.override_reason,
                booking.notes,
                self.now
            ],
        )?;
        if let Some(session) = booking.session_id {
            self.mark_session_booked(session, Some(p.day))?;
            if let Some(reason) = &booking.interval_reason {
                self.exec(
                    "UPDATE sessions SET interval_override_reason = ?2 WHERE id = ?1 AND signed_at IS NULL",
                    params![session.to_string(), reason],
                )?;
            }
        }
        let detail = format!("booked {} {} {}", p.day, p.span.words(), booking.treatment);
        self.audit(
            AuditAction::Create,
            TABLE,
            &id.to_string(),
            Some(&booking.client_id.to_string()),
            &detail,
        )?;
        Ok(id)
    }

    /// Moves (or places, or resizes) an appointment not yet finished. `seen` is the appointment
    /// as this desk showed it: if another desk moved it or changed its status since, nothing is
    /// moved and the refusal says who and when; if it is already at `place` (a move whose answer
    /// was lost, tried again), nothing is written twice.
    pub fn move_appointment(
        &mut self,
        seen: &Appointment,
        place: &Placement,
        override_reason: Option<&str>,
        today: NaiveDate,
    ) -> StoreResult<()> {
        self.acting(Act::Diary)?;
        let id = seen.id;
        let current = self.current(id)?;
        if current.is_at(place) && current.override_reason.as_deref() == override_reason {
            return Ok(());
        }
        if !current.same_place_and_status(seen) {
            return Err(super::audit::changed_elsewhere(
                &self.tx,
                "appointment",
                TABLE,
                &id.to_string(),
            ));
        }
        if current.status.is_final() {
            return Err(StoreError::Refused(format!(
                "That appointment is {} and can no longer be moved; book a new one.",
                current.status.label().to_lowercase()
            )));
        }
        if place.day < today && Some(place.day) != Some(current.day) {
            return Err(crate::domain::DomainError::BookingInPast {
                day: place.day.to_string(),
            }
            .into());
        }
        self.check_place(place, current.client_id, Some(id), override_reason)?;
        self.check_treatment(&current.treatment, place)?;
        self.exec(
            "UPDATE appointments SET day = ?2, start_minute = ?3, minutes = ?4, practitioner_id = ?5, room_id = ?6,
                device_id = ?7, override_reason = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                id.to_string(),
                place.day.to_string(),
                place.span.start,
                place.span.minutes,
                place.practitioner.to_string(),
                place.room.to_string(),
                place.device.map(|d| d.to_string()),
                override_reason,
                self.now
            ],
        )?;
        if let Some(session) = current.session_id {
            self.mark_session_booked(session, Some(place.day))?;
        }
        let detail = format!("moved to {} {}", place.day, place.span.words());
        self.audit(
            AuditAction::Update,
            TABLE,
            &id.to_string(),
            Some(&current.client_id.to_string()),
            &detail,
        )
    }

    /// Moves an appointment along the day's flow. `clock` is the clinic's time now ("09:34"),
    /// recorded on arrival; cancelling and a no-show need `reason`. A cancelled or missed series
    /// session goes back to the desk's "to book" lists.
    pub fn set_appointment_status(
        &mut self,
        id: AppointmentId,
        to: AppointmentStatus,
        reason: Option<&str>,
        clock: &str,
    ) -> StoreResult<()> {
        self.acting(Act::Diary)?;
        let current = self.current(id)?;
        current.status.check_move(to)?;
        let reason =
            match to {
                AppointmentStatus::Cancelled | AppointmentStatus::NoShow => Some(
                    crate::domain::text::required("The reason", reason.unwrap_or(""), 500)?,
                ),
                _ => None,
            };
        if current.start.is_none()
            && !matches!(
                to,
                AppointmentStatus::Cancelled | AppointmentStatus::NoShow | AppointmentStatus::Done
            )
        {
            return Err(StoreError::Refused(
                "This appointment has no time yet. Place it in the diary first.".to_owned(),
            ));
        }
        let arrived = current.arrived_at.clone().or_else(|| {
            matches!(
                to,
                AppointmentStatus::Arrived | AppointmentStatus::Screened | AppointmentStatus::InTreatment
            )
            .then(|| clock.to_owned())
        });
        self.exec(
            "UPDATE appointments SET status = ?2, status_reason = ?3, arrived_at = ?4, updated_at = ?5 WHERE id = ?1",
            params![id.to_string(), to.code(), reason, arrived, self.now],
        )?;
        if let (Some(session), false) = (current.session_id, to.holds_slot()) {
            self.mark_session_booked(session, None)?;
        }
        let detail = match &reason {
            Some(r) => format!("{} ({r})", to.code()),
            None if to == AppointmentStatus::Arrived => format!("arrived {clock}"),
            None => to.code().to_owned(),
        };
        self.audit(
            AuditAction::Update,
            TABLE,
            &id.to_string(),
            Some(&current.client_id.to_string()),
            &detail,
        )
    }

    /// After a signed screening: the client's arrived appointments that day are screened.
    pub(super) fn appointments_screened(&mut self, client: ClientId, day: NaiveDate) -> StoreResult<()> {
        self.advance(
            "client_id = ?1 AND day = ?2 AND status = 'arrived'",
            params![client.to_string(), day.to_string()],
            AppointmentStatus::Screened,
            "screening signed",
        )
    }

    /// A session started: the client's appointment that day (for it, or for no session) is in
    /// treatment.
    pub(super) fn appointments_started(
        &mut self,
        client: ClientId,
        session: SessionId,
        day: NaiveDate,
    ) -> StoreResult<()> {
        self.advance(
            "client_id = ?1 AND day = ?2 AND status IN ('arrived', 'screened') AND (session_id IS NULL OR session_id = ?3)",
            params![client.to_string(), day.to_string(), session.to_string()],
            AppointmentStatus::InTreatment,
            "session started",
        )
    }

    /// A session signed: its appointment is done.
    pub(super) fn appointments_done(&mut self, session: SessionId) -> StoreResult<()> {
        self.advance(
            "session_id = ?1 AND status IN ('booked', 'arrived', 'screened', 'in_treatment')",
            params![session.to_string()],
            AppointmentStatus::Done,
            "session signed",
        )
    }

    fn advance(
        &mut self,
        filter: &str,
        args: impl super::db::Params,
        to: AppointmentStatus,
        why: &str,
    ) -> StoreResult<()> {
        let ids: Vec<(String, String)> = self
            .tx
            .prepare_cached(&format!("SELECT id, client_id FROM appointments WHERE {filter}"))?
            .query_map(args, |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, client) in ids {
            self.exec(
                "UPDATE appointments SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, to.code(), self.now],
            )?;
            self.audit(
                AuditAction::Update,
                TABLE,
                &id,
                Some(&client),
                &format!("{} ({why})", to.code()),
            )?;
        }
        Ok(())
    }

    fn current(&self, id: AppointmentId) -> StoreResult<Appointment> {
        diary::appointment(&self.tx, id)?.ok_or(StoreError::NotFound { what: "appointment" })
    }

    /// Refuses a room, pen or client clash outright, and a practitioner clash or a time outside
    /// their hours without a reason (`NeedsReason`, so the form can ask for one).
    fn check_place(
        &self,
        place: &Placement,
        client: ClientId,
        moving: Option<AppointmentId>,
        override_reason: Option<&str>,
    ) -> StoreResult<()> {
        check_span(place.span)?;
        let in_use = |table: &str, id: String| -> StoreResult<bool> {
            Ok(self
                .tx
                .query_row(&format!("SELECT active FROM {table} WHERE id = ?1"), [id], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|a| a == 1)
                .unwrap_or(false))
        };
        if !in_use("rooms", place.room.to_string())? {
            return Err(StoreError::Refused(
                "That room is retired (Settings, Diary). Choose another room.".to_owned(),
            ));
        }
        if let Some(pen) = place.device {
            if !in_use("devices", pen.to_string())? {
                return Err(StoreError::Refused(
                    "That pen is retired (Settings, Diary). Choose another pen.".to_owned(),
                ));
            }
        }
        let that_day = diary::appointments_between(&self.tx, place.day, place.day)?;
        let found = clashes(place, client, moving, &that_day);
        if let Some(hard) = found.iter().find(|c| !c.kind.may_override()) {
            return Err(StoreError::SlotTaken(format!(
                "{}. Choose another time, room or pen.",
                describe(self, hard, place)?
            )));
        }
        let has_reason = override_reason.is_some_and(|r| !r.trim().is_empty());
        if !has_reason {
            if let Some(soft) = found.first() {
                return Err(StoreError::NeedsReason(format!(
                    "{}. To double-book them, write the reason.",
                    describe(self, soft, place)?
                )));
            }
            let hours = diary::working_hours(&self.tx)?;
            let closed = diary::closures(&self.tx, place.day, place.day)?;
            if let Some(why) = outside_hours(place, &hours, &closed) {
                return Err(StoreError::NeedsReason(format!(
                    "That is outside the practitioner's working time: {why}. To book it anyway, write the reason."
                )));
            }
        }
        let practitioner_may_treat: Option<String> = self
            .tx
            .query_row(
                "SELECT role FROM staff WHERE id = ?1 AND active = 1",
                [place.practitioner.to_string()],
                |r| r.get(0),
            )
            .ok();
        if !matches!(
            practitioner_may_treat.as_deref(),
            Some("clinical_lead" | "practitioner")
        ) {
            return Err(StoreError::Refused(
                "Appointments are with an active practitioner or clinical lead. Choose one of them."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// A treatment that uses a pen needs one when the clinic has any.
    fn check_treatment(&self, treatment: &str, place: &Placement) -> StoreResult<()> {
        let uses: Option<i64> = self
            .tx
            .query_row(
                "SELECT uses_device FROM treatment_types WHERE code = ?1",
                [treatment],
                |r| r.get(0),
            )
            .ok();
        let Some(uses) = uses else {
            return Err(StoreError::Refused(format!(
                "\"{treatment}\" is not a treatment in the catalogue."
            )));
        };
        let has_pens: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM devices WHERE active = 1)",
            [],
            |r| r.get(0),
        )?;
        if uses != 0 && has_pens && place.device.is_none() {
            return Err(StoreError::Refused(
                "This treatment uses a pen: choose which one.".to_owned(),
            ));
        }
        Ok(())
    }

    /// A series session is booked once: refused when another appointment already holds it.
    fn check_session_free(&self, session: SessionId, client: ClientId) -> StoreResult<()> {
        let owner: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT p.client_id, s.status FROM sessions AS s JOIN treatment_plans AS p ON p.id = s.plan_id WHERE s.id = ?1",
                [session.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        match owner {
            Some((c, status))
                if c == client.to_string() && matches!(status.as_str(), "planned" | "booked") => {}
            Some(_) => {
                return Err(StoreError::Refused(
                    "That session is not open for this client (done, cancelled or another client's)."
                        .to_owned(),
                ))
            }
            None => return Err(StoreError::NotFound { what: "session" }),
        }
        let other: Option<(String, Option<i64>)> = self
            .tx
            .query_row(
                "SELECT day, start_minute FROM appointments INDEXED BY appointments_by_session
                  WHERE session_id = ?1 AND status NOT IN ('cancelled', 'no_show', 'done')",
                [session.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        if let Some((day, start)) = other {
            let at = start
                .and_then(|m| u16::try_from(m).ok())
                .map(|m| format!(" at {}", crate::domain::diary::clock(m)))
                .unwrap_or_default();
            return Err(StoreError::Refused(format!(
                "This session is already booked for {day}{at}. Move that appointment instead."
            )));
        }
        Ok(())
    }

    /// Keeps the session's own booking (its status and date, which the Today lists and the
    /// sheets read) in step with its appointment: booked for `day`, or back to planned.
    fn mark_session_booked(&mut self, session: SessionId, day: Option<NaiveDate>) -> StoreResult<()> {
        let (status, booked_on) = match day {
            Some(d) => ("booked", Some(d.to_string())),
            None => ("planned", None),
        };
        let id = session.to_string();
        let changed = self.exec(
            "UPDATE sessions SET status = ?2, booked_on = ?3 WHERE id = ?1 AND status IN ('planned', 'booked')
                AND signed_at IS NULL AND (status <> ?2 OR booked_on IS DISTINCT FROM ?3)",
            params![id, status, booked_on],
        )?;
        if changed == 0 {
            return Ok(());
        }
        let client: String = self.tx.query_row(
            "SELECT p.client_id FROM sessions AS s JOIN treatment_plans AS p ON p.id = s.plan_id WHERE s.id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        let detail = match day {
            Some(d) => format!("booked for {d} in the diary"),
            None => "back to be booked (its appointment was cancelled or missed)".to_owned(),
        };
        self.audit(AuditAction::Update, "sessions", &id, Some(&client), &detail)
    }
}

impl Writer<'_> {
    /// Records an appointment that already happened (a diary brought in from before, the demo's
    /// past days), in whatever status it ended. The file's clash triggers still apply.
    pub fn insert_past_appointment(&mut self, a: &Appointment) -> StoreResult<()> {
        self.acting(Act::Diary)?;
        self.exec(
            "INSERT INTO appointments (id, client_id, session_id, treatment, day, start_minute, minutes, practitioner_id,
                room_id, device_id, status, arrived_at, status_reason, override_reason, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
            params![
                a.id.to_string(),
                a.client_id.to_string(),
                a.session_id.map(|s| s.to_string()),
                a.treatment,
                a.day.to_string(),
                a.start,
                a.minutes,
                a.practitioner.map(|p| p.to_string()),
                a.room.map(|r| r.to_string()),
                a.device.map(|d| d.to_string()),
                a.status.code(),
                a.arrived_at,
                a.status_reason,
                a.override_reason,
                a.notes,
                self.now
            ],
        )?;
        let detail = format!("recorded {} {}", a.day, a.status.code());
        self.audit(
            AuditAction::Create,
            TABLE,
            &a.id.to_string(),
            Some(&a.client_id.to_string()),
            &detail,
        )
    }
}
