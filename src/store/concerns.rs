//! `client_concerns`: a client's skin concerns.

use super::db::Row;
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, ClientConcern, ClientId, Severity};

const TABLE: &str = "client_concerns";

impl Writer<'_> {
    pub fn insert_concern(&mut self, c: &ClientConcern) -> StoreResult<()> {
        let id = c.id.to_string();
        let client = c.client_id.to_string();
        self.tx
            .prepare_cached(
                "INSERT INTO client_concerns (id, client_id, concern, area, severity, noted_on, resolved_on, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id,
                client,
                c.concern,
                c.area,
                c.severity.code(),
                c.noted_on.to_string(),
                c.resolved_on.map(|d| d.to_string()),
                c.notes,
                self.now
            ])?;
        self.audit(
            AuditAction::Create,
            TABLE,
            &id,
            Some(&client),
            &format!("{} on {}", c.concern, c.area),
        )
    }

    /// Saves an edited concern (area, severity, resolution, notes). `before` is the concern as
    /// the form was opened with: if another desk saved it since, nothing is saved and the
    /// refusal says who and when (as for a client's details).
    pub fn update_concern(&mut self, before: &ClientConcern, c: &ClientConcern) -> StoreResult<()> {
        let id = c.id.to_string();
        let now = rows::read_one(
            &self.tx,
            "SELECT id, concern, area, severity, noted_on, resolved_on, notes FROM client_concerns
             WHERE id = ?1 AND client_id = ?2",
            params![id, c.client_id.to_string()],
            ConcernRow::from_row,
        )?
        .map(|row| row.into_concern(c.client_id))
        .transpose()?
        .ok_or(StoreError::NotFound { what: "skin concern" })?;
        if now != *before && now != *c {
            return Err(super::audit::changed_elsewhere(
                &self.tx,
                "skin concern",
                TABLE,
                &id,
            ));
        }
        let changed = self.exec(
            "UPDATE client_concerns SET concern = ?2, area = ?3, severity = ?4, resolved_on = ?5, notes = ?6 WHERE id = ?1",
            params![
                id,
                c.concern,
                c.area,
                c.severity.code(),
                c.resolved_on.map(|d| d.to_string()),
                c.notes
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "skin concern" });
        }
        let detail = match c.resolved_on {
            Some(d) => format!("resolved on {d}"),
            None => format!("{} on {}, {}", c.concern, c.area, c.severity.code()),
        };
        self.audit(
            AuditAction::Update,
            TABLE,
            &id,
            Some(&c.client_id.to_string()),
            &detail,
        )
    }
}

impl Store {
    pub fn concerns_of(&self, client: ClientId) -> StoreResult<Vec<ClientConcern>> {
        rows::read_all(
            self.conn(),
            "SELECT id, concern, area, severity, noted_on, resolved_on, notes FROM client_concerns
             WHERE client_id = ?1 ORDER BY resolved_on IS NOT NULL, noted_on, concern",
            [client.to_string()],
            ConcernRow::from_row,
        )?
        .into_iter()
        .map(|row| row.into_concern(client))
        .collect()
    }
}

/// A `client_concerns` row as stored.
struct ConcernRow {
    id: String,
    concern: String,
    area: String,
    severity: String,
    noted_on: String,
    resolved_on: Option<String>,
    notes: String,
}

impl ConcernRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            concern: r.get("concern")?,
            area: r.get("area")?,
            severity: r.get("severity")?,
            noted_on: r.get("noted_on")?,
            resolved_on: r.get("resolved_on")?,
            notes: r.get("notes")?,
        })
    }

    fn into_concern(self, client: ClientId) -> StoreResult<ClientConcern> {
        let id = self.id;
        Ok(ClientConcern {
            id: rows::parse(TABLE, &id, "id", &id)?,
            client_id: client,
            concern: self.concern,
            area: self.area,
            severity: Severity::from_code(&self.severity).map_err(|e| rows::bad(TABLE, &id, e))?,
            noted_on: rows::date(TABLE, &id, &self.noted_on)?,
            resolved_on: rows::opt_date(TABLE, &id, self.resolved_on)?,
            notes: self.notes,
        })
    }
}
