//! A client's skin concerns, each in an area, with a severity.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{ClientId, ConcernId, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Mild, Severity::Moderate, Severity::Severe];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Severity",
                entered: code.to_owned(),
            })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Mild => "Mild",
            Severity::Moderate => "Moderate",
            Severity::Severe => "Severe",
        })
    }
}

/// A concern such as "acne scars — rolling" on the cheeks. `concern` and `area` are protocol ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConcern {
    pub id: ConcernId,
    pub client_id: ClientId,
    pub concern: String,
    pub area: String,
    pub severity: Severity,
    pub noted_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    pub notes: String,
}

impl ClientConcern {
    pub fn is_active(&self) -> bool {
        self.resolved_on.is_none()
    }
}
