//! Clients: who they are and how their skin behaves.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::text::{self, limits};
use super::{ClientId, DomainError, FieldError, ValidationErrors};

/// Fitzpatrick skin type I–VI (how skin reacts to sun; drives pigmentation risk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum SkinType {
    I = 1,
    II = 2,
    III = 3,
    IV = 4,
    V = 5,
    VI = 6,
}

impl SkinType {
    pub const ALL: [SkinType; 6] = [
        SkinType::I,
        SkinType::II,
        SkinType::III,
        SkinType::IV,
        SkinType::V,
        SkinType::VI,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    /// The NCBI Bookshelf description (evidence digest §6.1, P49).
    pub fn description(self) -> &'static str {
        match self {
            SkinType::I => "White skin. Always burns, never tans",
            SkinType::II => "Fair skin. Always burns, tans with difficulty",
            SkinType::III => "Average skin colour. Sometimes mild burn, tans about average",
            SkinType::IV => "Light-brown skin. Rarely burns, tans easily",
            SkinType::V => "Brown skin. Never burns, tans very easily",
            SkinType::VI => "Black skin. Heavily pigmented. Never burns, tans very easily",
        }
    }

    /// Reads "4", "IV" or "iv".
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        let invalid = || DomainError::SkinTypeInvalid {
            entered: t.to_owned(),
        };
        if let Ok(n) = t.parse::<u8>() {
            return Self::try_from(n);
        }
        Self::ALL
            .into_iter()
            .find(|s| s.to_string().eq_ignore_ascii_case(t))
            .ok_or_else(invalid)
    }
}

impl TryFrom<u8> for SkinType {
    type Error = DomainError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Self::ALL
            .get(usize::from(n).wrapping_sub(1))
            .copied()
            .ok_or(DomainError::SkinTypeInvalid {
                entered: n.to_string(),
            })
    }
}

impl From<SkinType> for u8 {
    fn from(s: SkinType) -> u8 {
        s.number()
    }
}

impl fmt::Display for SkinType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkinType::I => "I",
            SkinType::II => "II",
            SkinType::III => "III",
            SkinType::IV => "IV",
            SkinType::V => "V",
            SkinType::VI => "VI",
        })
    }
}

/// The name an anonymised client is shown under, followed by the first characters of their id.
pub const ANONYMISED_NAME: &str = "Anonymised client";

/// The oldest age the form accepts; anything older is almost surely a typo in the year.
pub const MAX_AGE_YEARS: u32 = 120;

/// A client's details as validated values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetails {
    /// The name as the client writes it, in any script. One field, because not every culture
    /// splits names into given and family names.
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub skin_type: SkinType,
    pub notes: String,
}

impl ClientDetails {
    /// Checks every text field against its limit (and the name is not blank), naming the field
    /// of the first problem. The store calls it before saving, whatever built the details.
    pub fn check_limits(&self) -> Result<(), DomainError> {
        text::required(field::FULL_NAME, &self.full_name, limits::NAME)?;
        if let Some(phone) = &self.phone {
            text::bounded(field::PHONE, phone, limits::PHONE)?;
        }
        if let Some(email) = &self.email {
            text::bounded(field::EMAIL, email, limits::EMAIL)?;
        }
        text::bounded(field::NOTES, &self.notes, limits::NOTES)?;
        Ok(())
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        age_on(self.date_of_birth, today)
    }

    /// The details once the client is anonymised (their right to erasure, while the clinic keeps
    /// its clinical records): the name becomes "Anonymised client" and the id's first eight
    /// characters, phone, email and notes go, and the date of birth keeps only its year (1 January
    /// of that year, so age bands and the age checks still work). The skin type is clinical and
    /// stays.
    pub fn anonymised(&self, id: ClientId) -> ClientDetails {
        ClientDetails {
            full_name: format!("{ANONYMISED_NAME} {}", id.short()),
            date_of_birth: NaiveDate::from_ymd_opt(self.date_of_birth.year(), 1, 1)
                .unwrap_or(self.date_of_birth),
            phone: None,
            email: None,
            skin_type: self.skin_type,
            notes: String::new(),
        }
    }

    /// The phone number's digits only, for searching "0412" inside "+61 (0)412 555 010".
    pub fn phone_digits(&self) -> String {
        self.phone
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    }
}

pub fn age_on(date_of_birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - date_of_birth.year();
    if (today.month(), today.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A client record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    pub details: ClientDetails,
    /// Clients are archived, never deleted: their clinical records stay.
    pub archived: bool,
}

/// What a new-client or edit-client form holds, exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDraft {
    pub full_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub skin_type: Option<u8>,
    pub notes: String,
}

pub mod field {
    pub const FULL_NAME: &str = "Full name";
    pub const DATE_OF_BIRTH: &str = "Date of birth";
    pub const PHONE: &str = "Phone";
    pub const EMAIL: &str = "Email";
    pub const SKIN_TYPE: &str = "Skin type";
    pub const NOTES: &str = "Notes";
}

impl ClientDraft {
    pub fn from_details(d: &ClientDetails) -> Self {
        Self {
            full_name: d.full_name.clone(),
            date_of_birth: d.date_of_birth.to_string(),
            phone: d.phone.clone().unwrap_or_default(),
            email: d.email.clone().unwrap_or_default(),
            skin_type: Some(d.skin_type.number()),
            notes: d.notes.clone(),
        }
    }

    /// Checks every field and reports every problem at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ClientDetails, ValidationErrors> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, r: Result<(), DomainError>| {
            if let Err(error) = r {
                errors.push(FieldError { field, error });
            }
        };

        let full_name = text::required(field::FULL_NAME, &self.full_name, limits::NAME);
        check(
            field::FULL_NAME,
            full_name.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        let dob = parse_birth_date(&self.date_of_birth, today);
        check(
            field::DATE_OF_BIRTH,
            dob.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        let phone = parse_phone(&self.phone);
        check(field::PHONE, phone.as_ref().map(|_| ()).map_err(Clone::clone));

        let email = parse_email(&self.email);
        check(field::EMAIL, email.as_ref().map(|_| ()).map_err(Clone::clone));

        let skin_type = match self.skin_type {
            None => Err(DomainError::Missing {
                field: field::SKIN_TYPE,
            }),
            Some(n) => SkinType::try_from(n),
        };
        check(
            field::SKIN_TYPE,
            skin_type.as_ref().map(|_| ()).map_err(Clone::clone),
        );

        let notes = text::bounded(field::NOTES, self.notes.trim(), limits::NOTES);
        check(field::NOTES, notes.as_ref().map(|_| ()).map_err(Clone::clone));

        match (full_name, dob, phone, email, skin_type, notes) {
            (Ok(full_name), Ok(date_of_birth), Ok(phone), Ok(email), Ok(skin_type), Ok(notes)) => {
                Ok(ClientDetails {
                    full_name,
                    date_of_birth,
                    phone,
                    email,
                    skin_type,
                    notes,
                })
            }
            _ => Err(ValidationErrors(errors)),
        }
    }
}

/// Reads a date written as year-month-day.
pub fn parse_date(text: &str) -> Result<NaiveDate, DomainError> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| DomainError::DateNotReadable {
        entered: t.to_owned(),
    })
}

pub fn parse_birth_date(text: &str, today: NaiveDate) -> Result<NaiveDate, DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::Missing {
            field: field::DATE_OF_BIRTH,
        });
    }
    let date = parse_date(text)?;
    check_birth_date(date, today)?;
    Ok(date)
}

pub fn check_birth_date(date: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if date > today {
        return Err(DomainError::BirthDateInFuture {
            date: date.to_string(),
        });
    }
    if age_on(date, today) > MAX_AGE_YEARS {
        return Err(DomainError::BirthDateTooOld {
            date: date.to_string(),
            max_years: MAX_AGE_YEARS,
        });
    }
    Ok(())
}

/// Phone numbers stay as typed (clinics write them many ways) but need enough digits to call.
pub fn parse_phone(text: &str) -> Result<Option<String>, DomainError> {
    const MIN_DIGITS: usize = 6;
    let Some(phone) = text::optional(field::PHONE, text, limits::PHONE)? else {
        return Ok(None);
    };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c) || c == '/';
    if digits < MIN_DIGITS || !phone.chars().all(allowed) {
        return Err(DomainError::PhoneInvalid {
            entered: phone,
            min: MIN_DIGITS,
        });
    }
    Ok(Some(phone))
}

/// A light check: something@something.something, no spaces. Real proof is the client replying.
pub fn parse_email(text: &str) -> Result<Option<String>, DomainError> {
    let Some(email) = text::optional(field::EMAIL, text, limits::EMAIL)? else {
        return Ok(None);
    };
    let invalid = || DomainError::EmailInvalid {
        entered: email.clone(),
    };
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace);
    if !ok {
        return Err(invalid());
    }
    Ok(Some(email))
}
