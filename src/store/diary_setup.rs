//! The diary's setup, kept by whoever may change the clinic's settings: rooms, pens, people's
//! working hours and the days the clinic is closed. Rooms and pens are never deleted (old
//! appointments name them); they are made inactive.

use chrono::NaiveDate;
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::Writer;
use crate::domain::diary::{TimeSpan, MINUTES_PER_DAY};
use crate::domain::text::{limits, required};
use crate::domain::{Act, AuditAction, DeviceId, RoomId, StaffId};

impl Writer<'_> {
    pub fn add_room(&mut self, name: &str) -> StoreResult<RoomId> {
        let id = RoomId::new();
        self.add_resource("rooms", "Room name", &id.to_string(), name)?;
        Ok(id)
    }

    pub fn add_device(&mut self, name: &str) -> StoreResult<DeviceId> {
        let id = DeviceId::new();
        self.add_resource("devices", "Pen name", &id.to_string(), name)?;
        Ok(id)
    }

    fn add_resource(
        &mut self,
        table: &'static str,
        field: &'static str,
        id: &str,
        name: &str,
    ) -> StoreResult<()> {
        self.acting(Act::Settings)?;
        let name = required(field, name, 60.min(limits::NAME))?;
        let taken: bool = self.tx.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE lower(trim(name)) = lower(trim(?1)))"),
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::Refused(format!(
                "There is already one called \"{name}\". Choose another name."
            )));
        }
        self.exec(
            &format!("INSERT INTO {table} (id, name, created_at) VALUES (?1, ?2, ?3)"),
            params![id, name, self.now],
        )?;
        self.audit(AuditAction::Create, table, id, None, &format!("added {name}"))
    }

    /// Replaces a person's working week: (weekday 1 Monday … 7 Sunday, hours) for the days they
    /// work; an empty week clears their hours (they are then not checked against any).
    pub fn set_working_hours(&mut self, staff: StaffId, week: &[(u8, TimeSpan)]) -> StoreResult<()> {
        self.acting(Act::Settings)?;
        for (weekday, span) in week {
            if !(1..=7).contains(weekday) || span.minutes == 0 || span.end() > MINUTES_PER_DAY {
                return Err(StoreError::Refused(
                    "Working hours start before they end, inside one day.".to_owned(),
                ));
            }
        }
        let id = staff.to_string();
        self.exec("DELETE FROM working_hours WHERE staff_id = ?1", [&id])?;
        for (weekday, span) in week {
            self.exec(
                "INSERT INTO working_hours (staff_id, weekday, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
                params![id, weekday, span.start, span.end()],
            )?;
        }
        let detail = week
            .iter()
            .map(|(d, s)| format!("{d}: {}", s.words()))
            .collect::<Vec<_>>()
            .join(", ");
        self.audit(AuditAction::Update, "working_hours", &id, None, &detail)
    }

    pub fn add_closure(&mut self, day: NaiveDate, reason: &str) -> StoreResult<()> {
        self.acting(Act::Settings)?;
        let reason = required("The reason for closing", reason, 120)?;
        self.exec(
            "INSERT INTO closures (day, reason) VALUES (?1, ?2) ON CONFLICT (day) DO UPDATE SET reason = excluded.reason",
            params![day.to_string(), reason],
        )?;
        self.audit(
            AuditAction::Update,
            "closures",
            &day.to_string(),
            None,
            &format!("closed: {reason}"),
        )
    }
}

impl Writer<'_> {
    /// Retires a room or brings it back (old appointments keep naming it).
    pub fn set_room_active(&mut self, id: RoomId, active: bool) -> StoreResult<()> {
        self.set_resource_active("rooms", &id.to_string(), active)
    }

    pub fn set_device_active(&mut self, id: DeviceId, active: bool) -> StoreResult<()> {
        self.set_resource_active("devices", &id.to_string(), active)
    }

    fn set_resource_active(&mut self, table: &'static str, id: &str, active: bool) -> StoreResult<()> {
        self.acting(Act::Settings)?;
        let changed = self.exec(
            &format!("UPDATE {table} SET active = ?2 WHERE id = ?1"),
            params![id, i64::from(active)],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "room or pen" });
        }
        let word = if active { "back in use" } else { "retired" };
        self.audit(AuditAction::Update, table, id, None, word)
    }

    /// A treatment's default length in the diary (5-minute steps, 5 to 480 minutes).
    pub fn set_treatment_minutes(&mut self, code: &str, minutes: u16) -> StoreResult<()> {
        self.acting(Act::Settings)?;
        if !(5..=480).contains(&minutes) || !minutes.is_multiple_of(5) {
            return Err(StoreError::Refused(format!(
                "{minutes} minutes cannot be a treatment's length: use 5-minute steps from 5 to 480."
            )));
        }
        let changed = self.exec(
            "UPDATE treatment_types SET minutes = ?2 WHERE code = ?1",
            params![code, minutes],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "treatment" });
        }
        self.audit(
            AuditAction::Update,
            "treatment_types",
            code,
            None,
            &format!("{minutes} minutes"),
        )
    }
}
