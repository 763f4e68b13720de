//! Client data rights: a client's complete record (export), clients added from a spreadsheet
//! (import), and anonymising a client while the clinic keeps the clinical rows.

use super::db::{Db, OptionalExtension, Row};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::error::{StoreError, StoreResult};
use super::record::ClientPlans;
use super::{rows, SessionAmendment, Store, Writer};
use crate::domain::{
    AuditAction, AuditEntry, Client, ClientConcern, ClientDetails, ClientId, Product, ProductId, Screening,
    Session, SessionArea, SkinType, TreatmentPlan,
};

/// What the first field of an export says it is, so a reader can tell it from other JSON.
pub const EXPORT_FORMAT: &str = "needlepoint-client-record";
/// Raised when the export's shape changes in a way a reader must know about.
pub const EXPORT_VERSION: u32 = 1;

/// Everything the clinic holds about one client, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientExport {
    pub format: &'static str,
    pub format_version: u32,
    pub exported_at: DateTime<Utc>,
    pub client: Client,
    pub concerns: Vec<ClientConcern>,
    /// Each plan with its sessions; each session with its treated areas and amendments.
    pub plans: Vec<PlanExport>,
    /// Newest first, with answers, outcome and signature.
    pub screenings: Vec<Screening>,
    /// Written clearances on file, newest given first.
    pub clearances: Vec<crate::domain::ClearanceOnFile>,
    /// The product lots used in the client's sessions (serum, cartridge, numbing cream).
    pub products: Vec<Product>,
    /// The client's appointments in the diary, newest first.
    pub appointments: Vec<crate::domain::Appointment>,
    /// Every audit row about the client, oldest first.
    pub audit: Vec<AuditEntry>,
    /// The client's photos (hidden ones too, said so); the files are written beside the export
    /// (see [`ClientExport::photo_files`]).
    pub photos: Vec<crate::domain::Photo>,
    /// Where each photo's original was written beside the export (empty when the record was
    /// not written to a file).
    pub photo_files: Vec<ExportedPhoto>,
}

/// A photo's original as written beside an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedPhoto {
    pub photo_id: crate::domain::PhotoId,
    /// The file, relative to the export's JSON file.
    pub file: Option<String>,
    /// Why it is not there (erased, missing or changed on disk).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanExport {
    #[serde(flatten)]
    pub plan: TreatmentPlan,
    pub sessions: Vec<SessionExport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionExport {
    #[serde(flatten)]
    pub session: Session,
    pub areas: Vec<SessionArea>,
    pub amendments: Vec<SessionAmendment>,
}

/// What anonymising a client removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anonymised {
    /// The name the client is now shown under.
    pub shown_as: String,
    pub concern_notes_cleared: usize,
    pub plan_notes_cleared: usize,
    pub session_notes_cleared: usize,
    /// Appointments whose notes or cancellation reason were cleared.
    pub appointment_notes_cleared: usize,
    /// Photos erased: their thumbnails and previews removed now, their files by
    /// [`Store::remove_erased_photo_files`] once this is saved. The rows and hashes stay.
    pub photos_erased: usize,
}

const CLIENTS: &str = "clients";

impl Store {
    /// The client's complete record, or `None` when there is no such client.
    pub fn client_export(&self, id: ClientId) -> StoreResult<Option<ClientExport>> {
        let Some(client) = self.client(id)? else {
            return Ok(None);
        };
        let mut below = ClientPlans::read(self.conn(), id)?;
        let mut plans = Vec::new();
        let mut lots: Vec<ProductId> = Vec::new();
        for plan in below.take_plans() {
            let mut sessions = Vec::new();
            for session in below.take_sessions(plan.id) {
                for lot in [
                    session.serum_product_id,
                    session.cartridge_product_id,
                    session.numbing_product_id,
                ]
                .into_iter()
                .flatten()
                {
                    if !lots.contains(&lot) {
                        lots.push(lot);
                    }
                }
                sessions.push(SessionExport {
                    areas: below.take_areas(session.id),
                    amendments: below.take_amendments(session.id),
                    session,
                });
            }
            plans.push(PlanExport { plan, sessions });
        }
        let mut products = Vec::new();
        for lot in lots {
            if let Some(p) = self.product(lot)? {
                products.push(p);
            }
        }
        Ok(Some(ClientExport {
            format: EXPORT_FORMAT,
            format_version: EXPORT_VERSION,
            exported_at: self.now(),
            concerns: self.concerns_of(id)?,
            screenings: self.screenings_of(id)?,
            clearances: self.clearances_of(id)?,
            appointments: self.appointments_of(id)?,
            audit: self.audit_for_client(&id.to_string())?,
            photos: self.photos_of(id)?,
            photo_files: Vec::new(),
            plans,
            products,
            client,
        }))
    }

    /// Whether a client (archived or not) has this name, ignoring case, and birth date.
    pub fn client_exists(&self, full_name: &str, date_of_birth: NaiveDate) -> StoreResult<bool> {
        exists_on(self.conn(), full_name, date_of_birth)
    }
}

fn exists_on(conn: &Db, full_name: &str, date_of_birth: NaiveDate) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM clients INDEXED BY clients_by_birth
             WHERE date_of_birth = ?1 AND lower(full_name) = lower(?2) LIMIT 1",
        )?
        .query_row(params![date_of_birth.to_string(), full_name.trim()], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Writer<'_> {
    /// Records that the client's complete record was exported, and where to.
    pub fn record_export(&mut self, client: ClientId, destination: &str) -> StoreResult<()> {
        let key = client.to_string();
        let detail = format!("complete record exported to {destination}");
        self.audit(AuditAction::Export, CLIENTS, &key, Some(&key), &detail)
    }

    /// Whether a client with this name and birth date exists, seen from inside this
    /// transaction (so an import also catches its own earlier rows).
    pub fn client_exists(&self, full_name: &str, date_of_birth: NaiveDate) -> StoreResult<bool> {
        exists_on(&self.tx, full_name, date_of_birth)
    }

    /// Adds a client read from an import; the audit row says from which file and line.
    pub fn import_client(&mut self, client: &Client, source: &str) -> StoreResult<()> {
        self.insert_client_noting(client, &format!("imported from {source}"))
    }

    /// Removes what identifies a client (see [`ClientDetails::anonymised`]) and clears the free
    /// notes of their concerns, plans and unsigned sessions, which may name them. Signed
    /// sessions and screenings are clinical records that never change, and carry no client
    /// details of their own; the rows stay, for the clinic's statistics.
    pub fn anonymise_client(&mut self, id: ClientId) -> StoreResult<Anonymised> {
        let key = id.to_string();
        let already = self
            .tx
            .prepare_cached(
                "SELECT 1 FROM audit_log WHERE record_id = ?1 AND action = 'anonymise' AND table_name = 'clients' LIMIT 1",
            )?
            .query_row([&key], |_| Ok(()))
            .optional()?
            .is_some();
        if already {
            return Err(StoreError::Refused(
                "This client is already anonymised; there is nothing left to remove.".to_owned(),
            ));
        }
        let current = rows::read_one(
            &self.tx,
            "SELECT full_name, date_of_birth, skin_type FROM clients WHERE id = ?1",
            [&key],
            KeptDetailsRow::from_row,
        )?;
        let Some(current) = current else {
            return Err(StoreError::NotFound { what: "client" });
        };
        let before = ClientDetails {
            date_of_birth: rows::date(CLIENTS, &key, &current.date_of_birth)?,
            skin_type: SkinType::try_from(current.skin_type).map_err(|e| rows::bad(CLIENTS, &key, e))?,
            full_name: current.full_name,
            phone: None,
            email: None,
            notes: String::new(),
        };
        let after = before.anonymised(id);
        // The search indexes follow through their UPDATE trigger.
        self.tx.execute(
            "UPDATE clients SET full_name = ?2, date_of_birth = ?3, phone = NULL, phone_digits = '',
                    email = NULL, notes = '', updated_at = ?4 WHERE id = ?1",
            params![key, after.full_name, after.date_of_birth.to_string(), self.now],
        )?;
        let concern_notes_cleared = self.tx.execute(
            "UPDATE client_concerns SET notes = '' WHERE client_id = ?1 AND notes <> ''",
            [&key],
        )?;
        let plan_notes_cleared = self.tx.execute(
            "UPDATE treatment_plans SET notes = '' WHERE client_id = ?1 AND notes <> ''",
            [&key],
        )?;
        let session_notes_cleared = self.tx.execute(
            "UPDATE sessions SET notes = '' WHERE signed_at IS NULL AND notes <> ''
               AND plan_id IN (SELECT id FROM treatment_plans WHERE client_id = ?1)",
            [&key],
        )?;
        // The diary's notes and reasons are free text about the client too; the times stay.
        let appointment_notes_cleared = self.tx.execute(
            "UPDATE appointments SET notes = '',
                    status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE 'Removed when the client was anonymised' END
              WHERE client_id = ?1 AND (notes <> '' OR status_reason IS NOT NULL)",
            [&key],
        )?;
        // A face identifies: the pictures go (the rows and their hashes stay, for the chain).
        let photos_erased = self.erase_photos_of(id)?;
        // Unsigned drafts hold free text typed about the client: they go too.
        self.tx
            .execute("DELETE FROM drafts WHERE client_id = ?1", [&key])?;
        let detail = format!(
            "name, phone, email and notes removed; date of birth kept as its year ({}); notes cleared on \
             {concern_notes_cleared} concern(s), {plan_notes_cleared} plan(s), {session_notes_cleared} unsigned session(s), \
             {appointment_notes_cleared} appointment(s); {photos_erased} photo(s) erased",
            after.date_of_birth
        );
        self.audit(AuditAction::Anonymise, CLIENTS, &key, Some(&key), &detail)?;
        Ok(Anonymised {
            shown_as: after.full_name,
            concern_notes_cleared,
            plan_notes_cleared,
            session_notes_cleared,
            appointment_notes_cleared,
            photos_erased,
        })
    }
}

/// What anonymising reads of a client before it changes them: the name (for the new one)
/// and what is kept.
struct KeptDetailsRow {
    full_name: String,
    date_of_birth: String,
    skin_type: u8,
}

impl KeptDetailsRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            full_name: r.get("full_name")?,
            date_of_birth: r.get("date_of_birth")?,
            skin_type: r.get("skin_type")?,
        })
    }
}
