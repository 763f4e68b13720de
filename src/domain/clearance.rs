//! A written clearance as the front desk types it, checked field by field before it is kept on
//! the client's file. Which contraindications may be cleared is the protocol's business (the
//! form offers only rules of class "needs clearance"); here: who, their role, the dates.

use chrono::NaiveDate;

use super::client::parse_date;
use super::error::{DomainError, FieldError, ValidationErrors};
use super::screening::Clearance;
use super::text::{self, limits};

/// The form's field labels, shared by the form, its messages and the tests.
pub mod field {
    pub const RULE: &str = "Contraindication cleared";
    pub const GIVEN_BY: &str = "Cleared by";
    pub const ROLE: &str = "Their role";
    pub const GIVEN_ON: &str = "Date of the clearance";
    pub const EXPIRES_ON: &str = "Valid until";
    pub const COVERS: &str = "What it covers";
}

/// The clearance form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClearanceDraft {
    /// The protocol contraindication id chosen from the list.
    pub rule: String,
    pub given_by: String,
    pub role: String,
    pub given_on: String,
    pub expires_on: String,
    pub covers: String,
}

impl ClearanceDraft {
    /// The clearance and what it covers, or every problem at once. A clearance dated after
    /// `today`, or one that has already expired, is refused: neither can be relied on today.
    pub fn validate(&self, today: NaiveDate) -> Result<(Clearance, String), ValidationErrors> {
        let mut errors = Vec::new();
        let rule = keep(
            &mut errors,
            field::RULE,
            text::required(field::RULE, &self.rule, limits::SHORT),
        );
        let given_by = keep(
            &mut errors,
            field::GIVEN_BY,
            text::required(field::GIVEN_BY, &self.given_by, limits::NAME),
        );
        let role = keep(
            &mut errors,
            field::ROLE,
            text::required(field::ROLE, &self.role, limits::NAME),
        );
        let covers = keep(
            &mut errors,
            field::COVERS,
            text::required(field::COVERS, &self.covers, limits::REASON),
        );
        let given_on = keep(
            &mut errors,
            field::GIVEN_ON,
            date(field::GIVEN_ON, &self.given_on),
        )
        .and_then(|d| {
            let on = parse_date(&d).ok()?;
            if on > today {
                errors.push(FieldError {
                    field: field::GIVEN_ON,
                    error: DomainError::ClearanceDatedAhead {
                        given_on: on.to_string(),
                    },
                });
                return None;
            }
            Some(on)
        });
        let expires_on = keep(
            &mut errors,
            field::EXPIRES_ON,
            date(field::EXPIRES_ON, &self.expires_on),
        )
        .and_then(|d| parse_date(&d).ok());
        if let Some(until) = expires_on {
            if until < today {
                errors.push(FieldError {
                    field: field::EXPIRES_ON,
                    error: DomainError::ClearanceExpired {
                        expires_on: until.to_string(),
                    },
                });
            } else if given_on.is_some_and(|on| until < on) {
                errors.push(FieldError {
                    field: field::EXPIRES_ON,
                    error: DomainError::ClearanceEndsBeforeItStarts,
                });
            }
        }
        match (rule, given_by, role, covers, given_on, expires_on) {
            (Some(rule), Some(given_by), Some(role), Some(covers), Some(given_on), Some(expires_on))
                if errors.is_empty() =>
            {
                Ok((
                    Clearance {
                        rule,
                        given_by,
                        given_on,
                        role: Some(role),
                        expires_on: Some(expires_on),
                    },
                    covers,
                ))
            }
            _ => Err(ValidationErrors(errors)),
        }
    }
}

fn keep(errors: &mut Vec<FieldError>, field: &'static str, r: Result<String, DomainError>) -> Option<String> {
    match r {
        Ok(v) => Some(v),
        Err(error) => {
            errors.push(FieldError { field, error });
            None
        }
    }
}

/// A required date: the text back when it reads as a date.
fn date(field: &'static str, text: &str) -> Result<String, DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::Missing { field });
    }
    parse_date(text).map(|_| text.trim().to_owned())
}
