//! The audit trail: who did what to which record, and when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Archive,
    Sign,
    Amend,
    Print,
    Export,
    Backup,
    Restore,
    /// A client's identifying details were removed; their clinical rows stay.
    Anonymise,
    /// A photo's full size was opened (each view of a clinical photo is recorded).
    View,
}

impl AuditAction {
    pub const ALL: [AuditAction; 11] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Archive,
        AuditAction::Sign,
        AuditAction::Amend,
        AuditAction::Print,
        AuditAction::Export,
        AuditAction::Backup,
        AuditAction::Restore,
        AuditAction::Anonymise,
        AuditAction::View,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Archive => "archive",
            AuditAction::Sign => "sign",
            AuditAction::Amend => "amend",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Backup => "backup",
            AuditAction::Restore => "restore",
            AuditAction::Anonymise => "anonymise",
            AuditAction::View => "view",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Audit action",
                entered: code.to_owned(),
            })
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: AuditAction,
    pub table: String,
    pub record_id: String,
    pub client_id: Option<String>,
    pub detail: String,
    /// The staff account that acted (rows written since sign-in).
    pub actor_id: Option<super::StaffId>,
}
