//! Printed sheets: which sheet was printed for which record, where it was saved, when and by
//! whom. A signed session never changes, so "aftercare printed" is a record of its own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{ClientId, DomainError, ScreeningId, SessionId};

/// The sheets the clinic prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Aftercare for a completed session.
    Aftercare,
    /// What to stop and when, before a booked session.
    Preparation,
    /// A copy of a signed screening for the paper file.
    Screening,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Aftercare,
        DocumentKind::Preparation,
        DocumentKind::Screening,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Aftercare => "aftercare",
            DocumentKind::Preparation => "preparation",
            DocumentKind::Screening => "screening",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Printed sheet",
                entered: code.to_owned(),
            })
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocumentKind::Aftercare => "Aftercare",
            DocumentKind::Preparation => "Preparation sheet",
            DocumentKind::Screening => "Screening copy",
        })
    }
}

/// What a printed sheet is about: a session (care sheets) or a screening (its copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrintedFor {
    Session(SessionId),
    Screening(ScreeningId),
}

/// One printed sheet, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedDocument {
    pub id: String,
    pub kind: DocumentKind,
    pub client_id: ClientId,
    pub printed_for: PrintedFor,
    /// Where the PDF was saved.
    pub path: String,
    pub printed_at: DateTime<Utc>,
    pub printed_by: String,
}

impl PrintedDocument {
    /// "Aftercare printed 2026-12-03 10:12" (UTC, as the record shows signatures).
    pub fn summary(&self) -> String {
        format!(
            "{} printed {}",
            self.kind,
            self.printed_at.format("%Y-%m-%d %H:%M")
        )
    }
}
