//! `screenings`: signed pre-treatment checklists. Once signed, the file refuses changes.

use super::db::Row;
use rusqlite::params;

use super::error::StoreResult;
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, ClientId, Screening, ScreeningId};

const TABLE: &str = "screenings";
const COLUMNS: &str = "id, client_id, screened_on, answers, planned_areas, outcome_detail, clearances,
    protocol_version, signed_by, signed_at, amends, amendment_reason, signer_id";

/// A `screenings` row as stored ([`COLUMNS`]).
struct ScreeningRow {
    id: String,
    client_id: String,
    screened_on: String,
    answers: String,
    planned_areas: String,
    outcome_detail: String,
    clearances: String,
    protocol_version: String,
    signed_by: Option<String>,
    signer_id: Option<String>,
    signed_at: Option<String>,
    amends: Option<String>,
    amendment_reason: Option<String>,
}

impl ScreeningRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            screened_on: r.get("screened_on")?,
            answers: r.get("answers")?,
            planned_areas: r.get("planned_areas")?,
            outcome_detail: r.get("outcome_detail")?,
            clearances: r.get("clearances")?,
            protocol_version: r.get("protocol_version")?,
            signed_by: r.get("signed_by")?,
            signer_id: r.get("signer_id")?,
            signed_at: r.get("signed_at")?,
            amends: r.get("amends")?,
            amendment_reason: r.get("amendment_reason")?,
        })
    }

    fn into_screening(self) -> StoreResult<Screening> {
        let id = self.id;
        Ok(Screening {
            client_id: rows::parse(TABLE, &id, "client", &self.client_id)?,
            screened_on: rows::date(TABLE, &id, &self.screened_on)?,
            answers: rows::json(TABLE, &id, "answers", &self.answers)?,
            planned_areas: rows::json(TABLE, &id, "planned areas", &self.planned_areas)?,
            outcome: rows::json(TABLE, &id, "outcome", &self.outcome_detail)?,
            clearances: rows::json(TABLE, &id, "clearances", &self.clearances)?,
            protocol_version: self.protocol_version,
            signed_by: rows::signer_shown(self.signed_by, self.signer_id.as_deref()),
            signed_at: rows::opt_time(TABLE, &id, self.signed_at)?,
            amends: rows::opt_parse(TABLE, &id, "amends", self.amends)?,
            amendment_reason: self.amendment_reason,
            id: rows::parse(TABLE, &id, "id", &id)?,
        })
    }
}

impl Writer<'_> {
    /// Saves a screening. A signed one (`signed_by` set) is stamped with this transaction's
    /// time and can never change afterwards; an amendment must say which screening it corrects.
    pub fn insert_screening(&mut self, s: &Screening) -> StoreResult<()> {
        let id = s.id.to_string();
        // Signed again after an answer lost on the way back: the first one is there.
        if self.tx.exists("SELECT 1 FROM screenings WHERE id = ?1", [&id])? {
            return Err(super::StoreError::AlreadySaved { what: "screening" });
        }
        let client = s.client_id.to_string();
        let signed_at = s.signed_by.as_ref().map(|_| self.now.clone());
        let signer = s
            .signed_by
            .as_deref()
            .map(|by| self.signer_named(by))
            .transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, defer_until,
                    outcome_detail, clearances, protocol_version, signed_by, signed_at, amends, amendment_reason, created_at,
                    signer_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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
                self.now,
                signer.map(|who| who.id.to_string())
            ])?;
        let action = if s.amends.is_some() {
            AuditAction::Amend
        } else {
            AuditAction::Create
        };
        self.audit(action, TABLE, &id, Some(&client), s.outcome.kind.code())?;
        if let Some(by) = &s.signed_by {
            self.audit_signed(
                super::signed::Signed::Screening,
                AuditAction::Sign,
                &id,
                Some(&client),
                &format!("signed by {by}"),
            )?;
            self.appointments_screened(s.client_id, s.screened_on)?;
        }
        Ok(())
    }
}

impl Store {
    pub fn screening(&self, id: ScreeningId) -> StoreResult<Option<Screening>> {
        let sql = format!("SELECT {COLUMNS} FROM screenings WHERE id = ?1");
        rows::read_one(self.conn(), &sql, [id.to_string()], ScreeningRow::from_row)?
            .map(ScreeningRow::into_screening)
            .transpose()
    }

    /// A client's screenings, newest first.
    pub fn screenings_of(&self, client: ClientId) -> StoreResult<Vec<Screening>> {
        let sql = format!("SELECT {COLUMNS} FROM screenings WHERE client_id = ?1 ORDER BY screened_on DESC, created_at DESC");
        rows::read_all(self.conn(), &sql, [client.to_string()], ScreeningRow::from_row)?
            .into_iter()
            .map(ScreeningRow::into_screening)
            .collect()
    }
}
