//! `staff`: the clinic's accounts, their hashed secrets, wrong-PIN counts, and the check that a
//! signature comes from an active account whose role may sign (the file's triggers check it a
//! second time). Accounts are never deleted: old signatures keep pointing to them.

use super::db::{Db, Row};
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::credentials;
use crate::domain::staff::{check_password, check_pin, NewStaff, PIN_ATTEMPTS};
use crate::domain::{Act, AuditAction, PinLock, Role, StaffId, StaffMember};

const TABLE: &str = "staff";
const COLUMNS: &str = "SELECT id, name, role, registration, active, failed_pins FROM staff";
/// The idle lock's minutes (set by the clinical lead); 5 when unset.
pub const IDLE_LOCK_KEY: &str = "desk.idle_lock_minutes";
pub const IDLE_LOCK_DEFAULT: u32 = 5;

/// A staff member's stored secrets, to be checked off the window's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSecrets {
    pub password_hash: String,
    pub pin_hash: String,
}

struct StaffRow {
    id: String,
    name: String,
    role: String,
    registration: Option<String>,
    active: i64,
    failed_pins: i64,
}

impl StaffRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            name: r.get("name")?,
            role: r.get("role")?,
            registration: r.get("registration")?,
            active: r.get("active")?,
            failed_pins: r.get("failed_pins")?,
        })
    }

    fn into_member(self) -> StoreResult<StaffMember> {
        let role = Role::from_code(&self.role)
            .ok_or_else(|| rows::bad(TABLE, &self.id, format!("unknown role \"{}\"", self.role)))?;
        Ok(StaffMember {
            id: rows::parse(TABLE, &self.id, "id", &self.id)?,
            name: self.name,
            role,
            registration: self.registration,
            active: self.active != 0,
            failed_pins: u32::try_from(self.failed_pins).unwrap_or(u32::MAX),
        })
    }
}

fn member(conn: &Db, id: StaffId) -> StoreResult<Option<StaffMember>> {
    rows::read_one(
        conn,
        &format!("{COLUMNS} WHERE id = ?1"),
        [id.to_string()],
        StaffRow::from_row,
    )?
    .map(StaffRow::into_member)
    .transpose()
}

fn hash(secret: &str) -> StoreResult<String> {
    credentials::hash_secret(secret).map_err(|e| StoreError::Refused(e.to_string()))
}

impl Store {
    /// Every account, active ones first, by name.
    pub fn staff(&self) -> StoreResult<Vec<StaffMember>> {
        rows::read_all(
            self.conn(),
            &format!("{COLUMNS} ORDER BY active DESC, name COLLATE NOCASE"),
            [],
            StaffRow::from_row,
        )?
        .into_iter()
        .map(StaffRow::into_member)
        .collect()
    }

    pub fn staff_member(&self, id: StaffId) -> StoreResult<Option<StaffMember>> {
        member(self.conn(), id)
    }

    /// The account of this name, whatever its case and spaces.
    pub fn staff_by_name(&self, name: &str) -> StoreResult<Option<StaffMember>> {
        rows::read_one(
            self.conn(),
            &format!("{COLUMNS} WHERE lower(trim(name)) = lower(trim(?1))"),
            [name],
            StaffRow::from_row,
        )?
        .map(StaffRow::into_member)
        .transpose()
    }

    /// Whether any account exists (a database from before sign-in has none until its first).
    pub fn has_staff(&self) -> StoreResult<bool> {
        self.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM staff)", [], |r| r.get(0))
    }

    /// The hashes to check a password or PIN against.
    pub fn stored_secrets(&self, id: StaffId) -> StoreResult<StoredSecrets> {
        rows::read_one(
            self.conn(),
            "SELECT password_hash, pin_hash FROM staff WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(StoredSecrets {
                    password_hash: r.get("password_hash")?,
                    pin_hash: r.get("pin_hash")?,
                })
            },
        )?
        .ok_or(StoreError::NotFound {
            what: "staff account",
        })
    }

    /// Minutes of no input before the window locks.
    pub fn idle_lock_minutes(&self) -> StoreResult<u32> {
        Ok(self
            .setting(IDLE_LOCK_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=240).contains(m))
            .unwrap_or(IDLE_LOCK_DEFAULT))
    }
}

impl Writer<'_> {
    /// Adds an account (the secrets hashed with Argon2id). Only the clinical lead or an admin may,
    /// except for the very first account, which must be a clinical lead.
    pub fn add_staff(&mut self, new: &NewStaff) -> StoreResult<StaffMember> {
        let first = !self
            .tx
            .query_row("SELECT EXISTS (SELECT 1 FROM staff)", [], |r| r.get::<_, bool>(0))?;
        if first {
            if new.role != Role::ClinicalLead {
                return Err(StoreError::Refused(
                    "The first account must be the clinical lead's: they then add everyone else.".to_owned(),
                ));
            }
        } else {
            self.acting(Act::ManageStaff)?;
        }
        check_password(&new.password)?;
        check_pin(&new.pin)?;
        let id = StaffId::new();
        let inserted = self.exec(
            "INSERT INTO staff (id, name, role, registration, password_hash, pin_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id.to_string(),
                new.name,
                new.role.code(),
                new.registration,
                hash(&new.password)?,
                hash(&new.pin)?,
                self.now
            ],
        );
        match inserted {
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)))
                if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
            {
                return Err(StoreError::Refused(format!(
                    "There is already an account called \"{}\". Use another name (add an initial), or \
                     reactivate that account.",
                    new.name
                )));
            }
            other => other?,
        };
        self.audit(
            AuditAction::Create,
            TABLE,
            &id.to_string(),
            None,
            &format!("{} added as {}", new.name, new.role),
        )?;
        self.existing(id)
    }

    /// Makes an account active or inactive. The last active clinical lead stays active.
    pub fn set_staff_active(&mut self, id: StaffId, active: bool) -> StoreResult<()> {
        self.acting(Act::ManageStaff)?;
        let who = self.existing(id)?;
        if !active && who.role == Role::ClinicalLead {
            self.keep_a_clinical_lead(id)?;
        }
        self.exec(
            "UPDATE staff SET active = ?2 WHERE id = ?1",
            params![id.to_string(), i64::from(active)],
        )?;
        let what = if active { "reactivated" } else { "deactivated" };
        self.audit_staff(id, &format!("{} {what}", who.name))
    }

    /// Changes an account's role. The last active clinical lead keeps theirs.
    pub fn set_staff_role(&mut self, id: StaffId, role: Role) -> StoreResult<()> {
        self.acting(Act::ManageStaff)?;
        let who = self.existing(id)?;
        if who.role == Role::ClinicalLead && role != Role::ClinicalLead {
            self.keep_a_clinical_lead(id)?;
        }
        self.exec(
            "UPDATE staff SET role = ?2 WHERE id = ?1",
            params![id.to_string(), role.code()],
        )?;
        self.audit_staff(id, &format!("{} is now {role} (was {})", who.name, who.role))
    }

    /// Sets a new password (by the clinical lead or an admin, or the person themself).
    pub fn reset_password(&mut self, id: StaffId, password: &str) -> StoreResult<()> {
        check_password(password)?;
        let who = self.resetting(id)?;
        self.exec(
            "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
            params![id.to_string(), hash(password)?],
        )?;
        self.audit_staff(id, &format!("{}'s password reset", who.name))
    }

    /// Sets a new PIN, which also opens a PIN locked by wrong tries.
    pub fn reset_pin(&mut self, id: StaffId, pin: &str) -> StoreResult<()> {
        check_pin(pin)?;
        let who = self.resetting(id)?;
        self.exec(
            "UPDATE staff SET pin_hash = ?2, failed_pins = 0 WHERE id = ?1",
            params![id.to_string(), hash(pin)?],
        )?;
        self.audit_staff(id, &format!("{}'s PIN reset", who.name))
    }

    /// Records a password sign-in: it opens the day and a PIN locked by wrong tries.
    pub fn record_sign_in(&mut self, id: StaffId) -> StoreResult<()> {
        let who = self.existing(id)?;
        self.exec("UPDATE staff SET failed_pins = 0 WHERE id = ?1", [id.to_string()])?;
        self.audit_staff(id, &format!("{} signed in with their password", who.name))
    }

    /// Records a PIN that was checked: a wrong one counts towards the lock, a right one clears
    /// the count. `purpose` (a switch of person) is recorded with a right one; a signature's
    /// PIN is recorded by the signature itself. Returns the lock after it.
    pub fn record_pin(&mut self, id: StaffId, right: bool, purpose: &str) -> StoreResult<PinLock> {
        let who = self.existing(id)?;
        let failed = if right {
            0
        } else {
            who.failed_pins.saturating_add(1)
        };
        if failed != who.failed_pins {
            self.exec(
                "UPDATE staff SET failed_pins = ?2 WHERE id = ?1",
                params![id.to_string(), i64::from(failed)],
            )?;
        }
        let detail = match (right, failed >= PIN_ATTEMPTS) {
            (true, _) if !purpose.is_empty() => format!("{}: {purpose}", who.name),
            // The count went back to nothing: said, as every change is.
            (true, _) if who.failed_pins > 0 => format!("{}: right PIN, wrong tries cleared", who.name),
            (true, _) => return Ok(PinLock::after(0)),
            (false, true) => format!(
                "{}: wrong PIN ({failed} in a row); PIN locked until a password sign-in",
                who.name
            ),
            (false, false) => format!("{}: wrong PIN ({failed} of {PIN_ATTEMPTS})", who.name),
        };
        self.audit_staff(id, &detail)?;
        Ok(PinLock::after(failed))
    }

    /// The account that signs what this action signs: the action's own actor, who must be an
    /// active account whose role may sign.
    pub(super) fn signer(&self) -> StoreResult<StaffMember> {
        self.acting(Act::Sign)
    }

    /// [`Self::signer`], who must be the person the record names as its signer.
    pub(super) fn signer_named(&self, signed_by: &str) -> StoreResult<StaffMember> {
        let who = self.signer()?;
        if who.name.trim() != signed_by.trim() {
            return Err(StoreError::Refused(format!(
                "This record names {} as its signer, but {} is signing. Sign it as the person who did it.",
                signed_by.trim(),
                who.name
            )));
        }
        Ok(who)
    }

    /// The action's actor, refused unless it is an active account whose role may `act`.
    pub(super) fn acting(&self, act: Act) -> StoreResult<StaffMember> {
        let Some(id) = self.actor.staff else {
            return Err(StoreError::Refused(
                if act == Act::Sign {
                    "Signing needs a staff account: sign in (or switch to the person signing) and sign again."
                } else {
                    "This needs a staff account: sign in and try again."
                }
                .to_owned(),
            ));
        };
        let who = self.existing(id)?;
        if !who.active {
            return Err(StoreError::Refused(format!(
                "{}'s account is inactive.",
                who.name
            )));
        }
        if !who.role.may(act) {
            return Err(StoreError::Refused(who.role.refusal(act)));
        }
        Ok(who)
    }

    /// The account whose secret is reset: by the person themself, or by whoever manages staff.
    fn resetting(&self, id: StaffId) -> StoreResult<StaffMember> {
        if self.actor.staff != Some(id) {
            self.acting(Act::ManageStaff)?;
        }
        self.existing(id)
    }

    fn existing(&self, id: StaffId) -> StoreResult<StaffMember> {
        member(&self.tx, id)?.ok_or(StoreError::NotFound {
            what: "staff account",
        })
    }

    fn audit_staff(&mut self, id: StaffId, detail: &str) -> StoreResult<()> {
        self.audit(AuditAction::Update, TABLE, &id.to_string(), None, detail)
    }

    fn keep_a_clinical_lead(&self, leaving: StaffId) -> StoreResult<()> {
        let others: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'clinical_lead' AND active = 1 AND id <> ?1)",
            [leaving.to_string()],
            |r| r.get(0),
        )?;
        if others {
            Ok(())
        } else {
            Err(StoreError::Refused(
                "This is the last active clinical lead: make someone else clinical lead first, so the clinic can \
                 still manage staff and the protocol."
                    .to_owned(),
            ))
        }
    }
}
