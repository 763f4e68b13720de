//! The clinic's own details, printed on every sheet, and who works there.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::client::parse_phone;
use super::text::{self, limits};
use super::{DomainError, FieldError, ValidationErrors};

/// Paper the clinic's printer uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

impl PaperSize {
    pub const ALL: [PaperSize; 2] = [PaperSize::A4, PaperSize::Letter];
}

impl fmt::Display for PaperSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PaperSize::A4 => "A4",
            PaperSize::Letter => "Letter",
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicSettings {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub paper_size: PaperSize,
    /// Names of the practitioners who sign screenings and sessions.
    pub practitioners: Vec<String>,
}

/// How sheets are printed at this desk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSettings {
    /// Send each sheet to the default printer with `lp` (CUPS) instead of opening it.
    pub use_lp: bool,
    /// Where sheets are saved; blank means a `documents` folder beside the database.
    pub documents_dir: String,
}

/// Field names of the clinic's settings form, as labelled on screen and used in
/// [`ValidationErrors`].
pub mod field {
    pub const CLINIC_NAME: &str = "Clinic name";
    pub const ADDRESS: &str = "Address";
    pub const PHONE: &str = "Clinic phone";
    pub const PAPER_SIZE: &str = "Paper size";
    pub const PRACTITIONERS: &str = "Practitioners";
}

/// The longest clinic address, over all its lines.
pub const ADDRESS_MAX: usize = 500;

/// The clinic's details as typed in Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicSettingsDraft {
    pub name: String,
    /// Several lines, printed as written.
    pub address: String,
    pub phone: String,
    /// "A4" or "Letter".
    pub paper_size: String,
    /// One practitioner per line; blank lines are ignored.
    pub practitioners: String,
}

impl Default for ClinicSettingsDraft {
    fn default() -> Self {
        Self {
            name: String::new(),
            address: String::new(),
            phone: String::new(),
            paper_size: PaperSize::default().to_string(),
            practitioners: String::new(),
        }
    }
}

impl ClinicSettingsDraft {
    pub fn from_settings(settings: &ClinicSettings) -> Self {
        Self {
            name: settings.name.clone(),
            address: settings.address.clone(),
            phone: settings.phone.clone(),
            paper_size: settings.paper_size.to_string(),
            practitioners: settings.practitioners.join("\n"),
        }
    }

    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<ClinicSettings, ValidationErrors> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, r: Result<(), DomainError>| {
            if let Err(error) = r {
                errors.push(FieldError { field, error });
            }
        };

        let name = text::required(field::CLINIC_NAME, &self.name, limits::NAME);
        check(
            field::CLINIC_NAME,
            name.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        let address = text::bounded(field::ADDRESS, self.address.trim(), ADDRESS_MAX);
        check(field::ADDRESS, address.as_ref().map(|_| ()).map_err(Clone::clone));

        // The client form's phone rule, its length named after this form's field.
        let phone = parse_phone(&self.phone).map_err(|e| match e {
            DomainError::TooLong { max, len, .. } => DomainError::TooLong {
                field: field::PHONE,
                max,
                len,
            },
            other => other,
        });
        check(field::PHONE, phone.as_ref().map(|_| ()).map_err(Clone::clone));

        let paper_size = parse_paper_size(&self.paper_size);
        check(
            field::PAPER_SIZE,
            paper_size.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        let practitioners = parse_practitioners(&self.practitioners);
        check(
            field::PRACTITIONERS,
            practitioners.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        match (name, address, phone, paper_size, practitioners) {
            (Ok(name), Ok(address), Ok(phone), Ok(paper_size), Ok(practitioners)) => Ok(ClinicSettings {
                name,
                address,
                phone: phone.unwrap_or_default(),
                paper_size,
                practitioners,
            }),
            _ => Err(ValidationErrors(errors)),
        }
    }
}

/// Reads "A4" or "Letter" (any case).
pub fn parse_paper_size(text: &str) -> Result<PaperSize, DomainError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DomainError::Missing {
            field: field::PAPER_SIZE,
        });
    }
    PaperSize::ALL
        .into_iter()
        .find(|p| p.to_string().eq_ignore_ascii_case(t))
        .ok_or_else(|| DomainError::UnknownValue {
            what: field::PAPER_SIZE,
            entered: t.to_owned(),
        })
}

/// One name per line, trimmed; blank lines ignored; at least one; no name twice (ignoring case).
pub fn parse_practitioners(text: &str) -> Result<Vec<String>, DomainError> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let name = text::bounded("A practitioner's name", line, limits::NAME)?;
        let folded = name.to_lowercase();
        if names.iter().any(|n| n.to_lowercase() == folded) {
            return Err(DomainError::Duplicate {
                what: "Practitioner",
                entered: name,
            });
        }
        names.push(name);
    }
    if names.is_empty() {
        return Err(DomainError::Missing {
            field: "At least one practitioner",
        });
    }
    Ok(names)
}
