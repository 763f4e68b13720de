//! `settings`: the clinic's details, kept as key/value rows.

use super::db::{Db, OptionalExtension};
use rusqlite::params;

use super::error::StoreResult;
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, ClinicSettings, PaperSize, PrintSettings};

const TABLE: &str = "settings";

/// The audit record id of a clinic-settings save.
const CLINIC_RECORD: &str = "clinic";
/// The audit record id of a print-settings save.
const PRINT_RECORD: &str = "print";

/// Well-known setting keys.
pub struct Settings;

impl Settings {
    pub const CLINIC_NAME: &'static str = "clinic.name";
    pub const CLINIC_ADDRESS: &'static str = "clinic.address";
    pub const CLINIC_PHONE: &'static str = "clinic.phone";
    pub const PAPER_SIZE: &'static str = "print.paper_size";
    pub const PRACTITIONERS: &'static str = "clinic.practitioners";
    pub const PRINT_WITH_LP: &'static str = "print.with_lp";
    pub const DOCUMENTS_DIR: &'static str = "print.documents_dir";
    /// "yes" once the first-start welcome was skipped: it does not come back.
    pub const WELCOME_SKIPPED: &'static str = "desk.welcome_skipped";
}

impl Writer<'_> {
    /// Saves all clinic settings in this action's transaction, with one audit row.
    pub fn save_clinic_settings(&mut self, settings: &ClinicSettings) -> StoreResult<()> {
        let practitioners = rows::to_json(&settings.practitioners)?;
        let paper_size = settings.paper_size.to_string();
        for (key, value) in [
            (Settings::CLINIC_NAME, settings.name.as_str()),
            (Settings::CLINIC_ADDRESS, settings.address.as_str()),
            (Settings::CLINIC_PHONE, settings.phone.as_str()),
            (Settings::PAPER_SIZE, paper_size.as_str()),
            (Settings::PRACTITIONERS, practitioners.as_str()),
        ] {
            self.upsert_setting(key, value)?;
        }
        self.audit(AuditAction::Update, TABLE, CLINIC_RECORD, None, "")
    }

    /// Saves the clinic's settings and how sheets are printed, `before` being both as the
    /// Settings screen read them: if another desk saved either since, nothing is saved and the
    /// refusal says who and when (as for a client's details).
    pub fn save_settings_over(
        &mut self,
        before: &(ClinicSettings, PrintSettings),
        clinic: &ClinicSettings,
        print: &PrintSettings,
    ) -> StoreResult<()> {
        let now = (clinic_settings_in(&self.tx)?, print_settings_in(&self.tx)?);
        if now != *before && (&now.0, &now.1) != (clinic, print) {
            let record = if now.0 != before.0 {
                CLINIC_RECORD
            } else {
                PRINT_RECORD
            };
            return Err(super::audit::changed_elsewhere(
                &self.tx,
                "clinic's settings",
                TABLE,
                record,
            ));
        }
        self.save_clinic_settings(clinic)?;
        self.save_print_settings(print)
    }

    /// Saves how sheets are printed, with one audit row.
    pub fn save_print_settings(&mut self, settings: &PrintSettings) -> StoreResult<()> {
        let with_lp = if settings.use_lp { "yes" } else { "no" };
        self.upsert_setting(Settings::PRINT_WITH_LP, with_lp)?;
        self.upsert_setting(Settings::DOCUMENTS_DIR, settings.documents_dir.trim())?;
        self.audit(AuditAction::Update, TABLE, PRINT_RECORD, None, "")
    }

    /// Sets one key, with its own audit row.
    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.upsert_setting(key, value)?;
        self.audit(AuditAction::Update, TABLE, key, None, "")
    }

    fn upsert_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }
}

impl Store {
    /// The clinic's settings; missing keys read as empty / defaults. A stored value that cannot
    /// be read (an unknown paper size, a damaged practitioner list) is a [`super::StoreError::BadRow`].
    pub fn clinic_settings(&self) -> StoreResult<ClinicSettings> {
        clinic_settings_in(self.conn())
    }

    /// How sheets are printed; unset keys read as "open in the viewer" and the default folder.
    pub fn print_settings(&self) -> StoreResult<PrintSettings> {
        print_settings_in(self.conn())
    }

    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        setting_in(self.conn(), key)
    }
}

fn setting_in(conn: &Db, key: &str) -> StoreResult<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn clinic_settings_in(conn: &Db) -> StoreResult<ClinicSettings> {
    let text = |key: &str| -> StoreResult<String> { Ok(setting_in(conn, key)?.unwrap_or_default()) };
    let paper_size = match setting_in(conn, Settings::PAPER_SIZE)? {
        None => PaperSize::default(),
        Some(stored) => PaperSize::ALL
            .into_iter()
            .find(|p| p.to_string() == stored)
            .ok_or_else(|| {
                rows::bad(
                    TABLE,
                    Settings::PAPER_SIZE,
                    format!("paper size \"{stored}\" is not A4 or Letter"),
                )
            })?,
    };
    let practitioners = match setting_in(conn, Settings::PRACTITIONERS)? {
        None => Vec::new(),
        Some(stored) => rows::json(TABLE, Settings::PRACTITIONERS, "practitioner list", &stored)?,
    };
    Ok(ClinicSettings {
        name: text(Settings::CLINIC_NAME)?,
        address: text(Settings::CLINIC_ADDRESS)?,
        phone: text(Settings::CLINIC_PHONE)?,
        paper_size,
        practitioners,
    })
}

fn print_settings_in(conn: &Db) -> StoreResult<PrintSettings> {
    Ok(PrintSettings {
        use_lp: setting_in(conn, Settings::PRINT_WITH_LP)?.as_deref() == Some("yes"),
        documents_dir: setting_in(conn, Settings::DOCUMENTS_DIR)?.unwrap_or_default(),
    })
}
