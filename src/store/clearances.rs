//! Written clearances on a client's file: recorded and signed in one step (an audit row with
//! the signed content's hash), then never changed; the screening engine relies on them while
//! they are in force.

use super::db::{Db, Row};
use rusqlite::params;

use super::error::StoreResult;
use super::signed::Signed;
use super::{rows, Store, Writer};
use crate::domain::text::{self, limits};
use crate::domain::{AuditAction, Clearance, ClearanceId, ClearanceOnFile, ClientId};

const TABLE: &str = "clearances";
const COLUMNS: &str =
    "SELECT id, client_id, rule, given_by, role, given_on, expires_on, covers, recorded_by, recorded_at, signer_id FROM clearances";
/// Newest given first; then the later recorded.
const ORDER: &str = "ORDER BY given_on DESC, rowid DESC";

impl Writer<'_> {
    /// Keeps `clearance` on `client`'s file, signed by this action's actor. The clearance must name its
    /// role and expiry (as the form's checks make sure); returns the new record's id. `id` is
    /// fixed when the form opens, so signing again after a lost answer is refused as already
    /// saved, never kept twice.
    pub fn record_clearance(
        &mut self,
        id: ClearanceId,
        client: ClientId,
        clearance: &Clearance,
        covers: &str,
    ) -> StoreResult<String> {
        let who = self.signer()?;
        let role = text::required(
            "Their role",
            clearance.role.as_deref().unwrap_or(""),
            limits::NAME,
        )?;
        let covers = text::required("What it covers", covers, limits::REASON)?;
        let expires_on = clearance
            .expires_on
            .ok_or(crate::domain::DomainError::Missing { field: "Valid until" })?;
        let id = id.to_string();
        if self.tx.exists("SELECT 1 FROM clearances WHERE id = ?1", [&id])? {
            return Err(super::StoreError::AlreadySaved { what: "clearance" });
        }
        self.exec(
            "INSERT INTO clearances (id, client_id, rule, given_by, role, given_on, expires_on, covers,
                                     recorded_by, recorded_at, created_at, signer_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            params![
                id,
                client.to_string(),
                clearance.rule,
                clearance.given_by,
                role,
                clearance.given_on.to_string(),
                expires_on.to_string(),
                covers,
                who.name,
                self.now,
                who.id.to_string(),
            ],
        )?;
        self.audit_signed(
            Signed::Clearance,
            AuditAction::Sign,
            &id,
            Some(&client.to_string()),
            &format!(
                "written clearance for {} from {} until {expires_on}",
                clearance.rule, clearance.given_by
            ),
        )?;
        Ok(id)
    }
}

impl Store {
    /// The clearances on a client's file, newest given first.
    pub fn clearances_of(&self, client: ClientId) -> StoreResult<Vec<ClearanceOnFile>> {
        clearances_of(self.conn(), client)
    }
}

pub(super) fn clearances_of(conn: &Db, client: ClientId) -> StoreResult<Vec<ClearanceOnFile>> {
    let sql = format!("{COLUMNS} WHERE client_id = ?1 {ORDER}");
    rows::read_all(conn, &sql, [client.to_string()], ClearanceRow::from_row)?
        .into_iter()
        .map(ClearanceRow::into_clearance)
        .collect()
}

/// A `clearances` row as stored.
struct ClearanceRow {
    id: String,
    client_id: String,
    rule: String,
    given_by: String,
    role: String,
    given_on: String,
    expires_on: String,
    covers: String,
    recorded_by: String,
    signer_id: Option<String>,
    recorded_at: String,
}

impl ClearanceRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            rule: r.get("rule")?,
            given_by: r.get("given_by")?,
            role: r.get("role")?,
            given_on: r.get("given_on")?,
            expires_on: r.get("expires_on")?,
            covers: r.get("covers")?,
            recorded_by: r.get("recorded_by")?,
            signer_id: r.get("signer_id")?,
            recorded_at: r.get("recorded_at")?,
        })
    }

    fn into_clearance(self) -> StoreResult<ClearanceOnFile> {
        Ok(ClearanceOnFile {
            client_id: rows::parse(TABLE, &self.id, "client", &self.client_id)?,
            clearance: Clearance {
                rule: self.rule,
                given_by: self.given_by,
                given_on: rows::date(TABLE, &self.id, &self.given_on)?,
                role: Some(self.role),
                expires_on: Some(rows::date(TABLE, &self.id, &self.expires_on)?),
            },
            covers: self.covers,
            recorded_by: rows::signer_shown(Some(self.recorded_by), self.signer_id.as_deref())
                .unwrap_or_default(),
            recorded_at: rows::time(TABLE, &self.id, &self.recorded_at)?,
            id: self.id,
        })
    }
}
