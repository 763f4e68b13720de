//! `screenings`: signed pre-treatment checklists. Once signed, the file refuses changes.

use rusqlite::{params, OptionalExtension, Row};

use super::error::StoreResult;
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, ClientId, Screening, ScreeningId};

const TABLE: &str = "screenings";
const COLUMNS: &str = "id, client_id, screened_on, answers, planned_areas, outcome_detail, clearances,
    protocol_version, signed_by, signed_at, amends, amendment_reason";

type ScreeningRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn read(r: &Row<'_>) -> rusqlite::Result<ScreeningRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

fn to_screening(row: ScreeningRow) -> StoreResult<Screening> {
    let (id, client, on, answers, areas, outcome, clearances, version, signed_by, signed_at, amends, reason) =
        row;
    Ok(Screening {
        client_id: rows::parse(TABLE, &id, "client", &client)?,
        screened_on: rows::date(TABLE, &id, &on)?,
        answers: rows::json(TABLE, &id, "answers", &answers)?,
        planned_areas: rows::json(TABLE, &id, "planned areas", &areas)?,
        outcome: rows::json(TABLE, &id, "outcome", &outcome)?,
        clearances: rows::json(TABLE, &id, "clearances", &clearances)?,
        protocol_version: version,
        signed_by,
        signed_at: rows::opt_time(TABLE, &id, signed_at)?,
        amends: amends
            .map(|a| rows::parse(TABLE, &id, "amends", &a))
            .transpose()?,
        amendment_reason: reason,
        id: rows::parse(TABLE, &id, "id", &id)?,
    })
}

impl Writer<'_> {
    /// Saves a screening. A signed one (`signed_by` set) is stamped with this transaction's
    /// time and can never change afterwards; an amendment must say which screening it corrects.
    pub fn insert_screening(&mut self, s: &Screening) -> StoreResult<()> {
        let id = s.id.to_string();
        let client = s.client_id.to_string();
        let signed_at = s.signed_by.as_ref().map(|_| self.now.clone());
        self.tx
            .prepare_cached(
                "INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, defer_until,
                    outcome_detail, clearances, protocol_version, signed_by, signed_at, amends, amendment_reason, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                id,
                client,
                s.screened_on.to_string(),
                rows::to_json(&s.answers)?,
                rows::to_json(&s.planned_areas)?,
                s.outcome.kind.code(),
                s.outcome.defer_until.map(|d| d.to_string()),
                rows::to_json(&s.outcome)?,
                rows::to_json(&s.clearances)?,
                s.protocol_version,
                s.signed_by,
                signed_at,
                s.amends.map(|a| a.to_string()),
                s.amendment_reason,
                self.now
            ])?;
        let action = if s.amends.is_some() {
            AuditAction::Amend
        } else {
            AuditAction::Create
        };
        self.audit(action, TABLE, &id, Some(&client), s.outcome.kind.code())?;
        if let Some(by) = &s.signed_by {
            self.audit(
                AuditAction::Sign,
                TABLE,
                &id,
                Some(&client),
                &format!("signed by {by}"),
            )?;
        }
        Ok(())
    }
}

impl Store {
    pub fn screening(&self, id: ScreeningId) -> StoreResult<Option<Screening>> {
        let sql = format!("SELECT {COLUMNS} FROM screenings WHERE id = ?1");
        let row = self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id.to_string()], read)
            .optional()?;
        row.map(to_screening).transpose()
    }

    /// A client's screenings, newest first.
    pub fn screenings_of(&self, client: ClientId) -> StoreResult<Vec<Screening>> {
        let sql = format!("SELECT {COLUMNS} FROM screenings WHERE client_id = ?1 ORDER BY screened_on DESC, created_at DESC");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let found = stmt
            .query_map([client.to_string()], read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        found.into_iter().map(to_screening).collect()
    }
}
