//! `client_concerns`: a client's skin concerns.

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

    /// Saves an edited concern (area, severity, resolution, notes).
    pub fn update_concern(&mut self, c: &ClientConcern) -> StoreResult<()> {
        let id = c.id.to_string();
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
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, concern, area, severity, noted_on, resolved_on, notes FROM client_concerns
             WHERE client_id = ?1 ORDER BY resolved_on IS NOT NULL, noted_on, concern",
        )?;
        let found = stmt
            .query_map([client.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        found
            .into_iter()
            .map(|(id, concern, area, severity, noted, resolved, notes)| {
                Ok(ClientConcern {
                    id: rows::parse(TABLE, &id, "id", &id)?,
                    client_id: client,
                    concern,
                    area,
                    severity: Severity::from_code(&severity).map_err(|e| rows::bad(TABLE, &id, e))?,
                    noted_on: rows::date(TABLE, &id, &noted)?,
                    resolved_on: rows::opt_date(TABLE, &id, resolved)?,
                    notes,
                })
            })
            .collect()
    }
}
