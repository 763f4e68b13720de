//! Consents: each document version with its exact text, and the signed consents and
//! withdrawals. A consent is signed as it is written (its audit row carries the hash of its
//! content), witnessed by the action's actor (an active practitioner or clinical lead, whose PIN
//! the window checked); the file refuses any change or removal.

use super::db::Row;
use chrono::NaiveDate;
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::consent::{age_on, consent_state, ADULT_AGE};
use crate::domain::{
    AuditAction, ClientId, Consent, ConsentId, ConsentKind, ConsentState, Representative, Signature,
};

const TABLE: &str = "consents";
const COLUMNS: &str =
    "id, client_id, kind, document_version, signed_on, signer_name, representative, relationship,
    strokes, signer_id, witness_name, withdraws, withdrawal_reason, signed_at";
/// How long a consent stays in force, in months (the clinic may change it).
pub const RENEWAL_KEY: &str = "consent.renewal_months";
pub const RENEWAL_DEFAULT: u32 = 12;

/// A document's version: the SHA-256 of its exact text, in hex. The one place it is computed.
pub fn document_version(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A consent document version as kept: what the client read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDocument {
    pub version: String,
    pub kind: ConsentKind,
    pub title: String,
    pub text: String,
    pub template: String,
}

/// What is signed: the client, the document version shown, the name typed, a representative
/// if one signs, and the signature drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentToSign {
    /// The consent's id, fixed when its form opens: signing again after a save whose answer was
    /// lost is refused as already saved, never kept twice.
    pub id: ConsentId,
    pub client_id: ClientId,
    pub kind: ConsentKind,
    pub document_version: String,
    pub signer_name: String,
    pub representative: Option<Representative>,
    pub signature: Signature,
}

struct ConsentRow {
    id: String,
    client_id: String,
    kind: String,
    document_version: String,
    signed_on: String,
    signer_name: String,
    representative: Option<String>,
    relationship: Option<String>,
    strokes: String,
    signer_id: String,
    witness_name: String,
    withdraws: Option<String>,
    withdrawal_reason: Option<String>,
    signed_at: String,
}

impl ConsentRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            kind: r.get("kind")?,
            document_version: r.get("document_version")?,
            signed_on: r.get("signed_on")?,
            signer_name: r.get("signer_name")?,
            representative: r.get("representative")?,
            relationship: r.get("relationship")?,
            strokes: r.get("strokes")?,
            signer_id: r.get("signer_id")?,
            witness_name: r.get("witness_name")?,
            withdraws: r.get("withdraws")?,
            withdrawal_reason: r.get("withdrawal_reason")?,
            signed_at: r.get("signed_at")?,
        })
    }

    fn into_consent(self) -> StoreResult<Consent> {
        let id = self.id;
        Ok(Consent {
            id: rows::parse(TABLE, &id, "id", &id)?,
            client_id: rows::parse(TABLE, &id, "client", &self.client_id)?,
            kind: ConsentKind::from_code(&self.kind).map_err(|e| rows::bad(TABLE, &id, e))?,
            document_version: self.document_version,
            signed_on: rows::date(TABLE, &id, &self.signed_on)?,
            signer_name: self.signer_name,
            representative: match (self.representative, self.relationship) {
                (Some(name), Some(relationship)) => Some(Representative { name, relationship }),
                _ => None,
            },
            signature: Signature::decode(&self.strokes).map_err(|e| rows::bad(TABLE, &id, e))?,
            witness_id: Some(rows::parse(TABLE, &id, "witness", &self.signer_id)?),
            witness_name: self.witness_name,
            signed_at: rows::time(TABLE, &id, &self.signed_at)?,
            withdraws: rows::opt_parse(TABLE, &id, "withdrawn consent", self.withdraws)?,
            withdrawal_reason: self.withdrawal_reason,
        })
    }
}

impl Store {
    /// The client's consents and withdrawals, oldest first.
    pub fn consents_of(&self, client: ClientId) -> StoreResult<Vec<Consent>> {
        rows::read_all(
            self.conn(),
            &format!("SELECT {COLUMNS} FROM consents INDEXED BY consents_by_client WHERE client_id = ?1 ORDER BY signed_on, signed_at"),
            [client.to_string()],
            ConsentRow::from_row,
        )?
        .into_iter()
        .map(ConsentRow::into_consent)
        .collect()
    }

    pub fn consent(&self, id: ConsentId) -> StoreResult<Option<Consent>> {
        rows::read_one(
            self.conn(),
            &format!("SELECT {COLUMNS} FROM consents WHERE id = ?1"),
            [id.to_string()],
            ConsentRow::from_row,
        )?
        .map(ConsentRow::into_consent)
        .transpose()
    }

    /// A document version's kept text.
    pub fn consent_document(&self, version: &str) -> StoreResult<Option<ConsentDocument>> {
        let found: Option<(String, String, String, String)> = rows::read_one(
            self.conn(),
            "SELECT kind, title, text, template FROM consent_documents WHERE version = ?1",
            [version],
            |r| {
                Ok((
                    r.get("kind")?,
                    r.get("title")?,
                    r.get("text")?,
                    r.get("template")?,
                ))
            },
        )?;
        found
            .map(|(kind, title, text, template)| {
                Ok(ConsentDocument {
                    version: version.to_owned(),
                    kind: ConsentKind::from_code(&kind)
                        .map_err(|e| rows::bad("consent_documents", version, e))?,
                    title,
                    text,
                    template,
                })
            })
            .transpose()
    }

    /// How many months a consent stays in force (Settings; 12 unless the clinic chose).
    pub fn consent_renewal_months(&self) -> StoreResult<u32> {
        Ok(self
            .setting(RENEWAL_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=120).contains(m))
            .unwrap_or(RENEWAL_DEFAULT))
    }

    /// Whether the client's `kind` consent is in force on `today`.
    pub fn consent_state(
        &self,
        client: ClientId,
        kind: ConsentKind,
        today: NaiveDate,
    ) -> StoreResult<ConsentState> {
        Ok(consent_state(
            &self.consents_of(client)?,
            kind,
            today,
            self.consent_renewal_months()?,
        ))
    }
}

impl Writer<'_> {
    /// Whether the client's `kind` consent is in force on `today`, read inside this action.
    pub(super) fn consent_state_in(
        &self,
        client: ClientId,
        kind: ConsentKind,
        today: NaiveDate,
    ) -> StoreResult<ConsentState> {
        let consents = rows::read_all(
            &self.tx,
            &format!("SELECT {COLUMNS} FROM consents INDEXED BY consents_by_client WHERE client_id = ?1 AND kind = ?2"),
            params![client.to_string(), kind.code()],
            ConsentRow::from_row,
        )?
        .into_iter()
        .map(ConsentRow::into_consent)
        .collect::<StoreResult<Vec<_>>>()?;
        let months: Option<String> = self
            .tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [RENEWAL_KEY], |r| {
                r.get(0)
            })
            .ok();
        let months = months
            .and_then(|m| m.parse().ok())
            .filter(|m| (1..=120).contains(m))
            .unwrap_or(RENEWAL_DEFAULT);
        Ok(consent_state(&consents, kind, today, months))
    }

    /// Keeps a document version (once; the same text is the same version). The version must be
    /// the SHA-256 of the text.
    pub fn keep_consent_document(&mut self, doc: &ConsentDocument) -> StoreResult<()> {
        if document_version(&doc.text) != doc.version {
            return Err(StoreError::Refused(
                "The consent document's version is not the hash of its text. Open the consent again."
                    .to_owned(),
            ));
        }
        let added = self.exec(
            "INSERT INTO consent_documents (version, kind, title, text, template, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (version) DO NOTHING",
            params![
                doc.version,
                doc.kind.code(),
                doc.title,
                doc.text,
                doc.template,
                self.now
            ],
        )?;
        if added > 0 {
            self.audit(
                AuditAction::Create,
                "consent_documents",
                &doc.version,
                None,
                &format!("{} from {}", doc.title, doc.template),
            )?;
        }
        Ok(())
    }

    /// Signs a consent on `today`, witnessed by this action's actor.
    pub fn sign_consent(&mut self, c: &ConsentToSign, today: NaiveDate) -> StoreResult<ConsentId> {
        let witness = self.signer()?;
        c.signature.check()?;
        let signer_name = crate::domain::text::required("The signer's name", &c.signer_name, 120)?;
        let born: String = self
            .tx
            .query_row(
                "SELECT date_of_birth FROM clients WHERE id = ?1",
                [c.client_id.to_string()],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::NotFound { what: "client" })?;
        let born = rows::date("clients", &c.client_id.to_string(), &born)?;
        let representative = match &c.representative {
            Some(r) => Some(Representative {
                name: crate::domain::text::required("The representative's name", &r.name, 120)?,
                relationship: crate::domain::text::required(
                    "The relationship to the client",
                    &r.relationship,
                    60,
                )?,
            }),
            None => None,
        };
        if representative.is_none() && age_on(born, today) < ADULT_AGE {
            return Err(StoreError::Refused(format!(
                "The client is under {ADULT_AGE}: a parent or guardian signs for them. Enter their name and relationship."
            )));
        }
        let kind: Option<String> = self
            .tx
            .query_row(
                "SELECT kind FROM consent_documents WHERE version = ?1",
                [&c.document_version],
                |r| r.get(0),
            )
            .ok();
        if kind.as_deref() != Some(c.kind.code()) {
            return Err(StoreError::Refused(
                "The consent document shown is not on file for this kind of consent. Open the consent again."
                    .to_owned(),
            ));
        }
        let id = c.id;
        if self
            .tx
            .exists("SELECT 1 FROM consents WHERE id = ?1", [id.to_string()])?
        {
            return Err(StoreError::AlreadySaved { what: "consent" });
        }
        self.exec(
            "INSERT INTO consents (id, client_id, kind, document_version, signed_on, signer_name, representative,
                relationship, strokes, signature_svg, signer_id, witness_name, signed_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params![
                id.to_string(),
                c.client_id.to_string(),
                c.kind.code(),
                c.document_version,
                today.to_string(),
                signer_name,
                representative.as_ref().map(|r| r.name.clone()),
                representative.as_ref().map(|r| r.relationship.clone()),
                c.signature.encode(),
                c.signature.svg(600, 200),
                witness.id.to_string(),
                witness.name,
                self.now
            ],
        )?;
        self.audit_signed(
            super::signed::Signed::Consent,
            AuditAction::Sign,
            &id.to_string(),
            Some(&c.client_id.to_string()),
            &format!(
                "{} signed by {signer_name}, witnessed by {}",
                c.kind.title(),
                witness.name
            ),
        )?;
        Ok(id)
    }

    /// Ends a consent: a new signed row, witnessed by this action's actor, with the reason and
    /// who asked (the client, or their representative, by name).
    pub fn withdraw_consent(
        &mut self,
        consent: ConsentId,
        asked_by: &str,
        reason: &str,
        today: NaiveDate,
    ) -> StoreResult<ConsentId> {
        let witness = self.signer()?;
        let asked_by = crate::domain::text::required("Who withdrew it", asked_by, 120)?;
        let reason = crate::domain::text::required("The reason", reason, 1000)?;
        let (client, kind, version): (String, String, String) = self
            .tx
            .query_row(
                "SELECT client_id, kind, document_version FROM consents WHERE id = ?1 AND withdraws IS NULL",
                [consent.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|_| StoreError::NotFound { what: "consent" })?;
        let already: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM consents WHERE withdraws = ?1)",
            [consent.to_string()],
            |r| r.get(0),
        )?;
        if already {
            return Err(StoreError::Refused(
                "That consent was withdrawn already.".to_owned(),
            ));
        }
        let id = ConsentId::new();
        self.exec(
            "INSERT INTO consents (id, client_id, kind, document_version, signed_on, signer_name, strokes, signature_svg,
                signer_id, witness_name, withdraws, withdrawal_reason, signed_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', '', ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                id.to_string(),
                client,
                kind,
                version,
                today.to_string(),
                asked_by,
                witness.id.to_string(),
                witness.name,
                consent.to_string(),
                reason,
                self.now
            ],
        )?;
        self.audit_signed(
            super::signed::Signed::Consent,
            AuditAction::Sign,
            &id.to_string(),
            Some(&client),
            &format!("withdrawal of consent {consent} ({kind}) asked by {asked_by}"),
        )?;
        Ok(id)
    }
}
