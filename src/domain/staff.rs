//! The people of the clinic: their roles, what each role may do (the one place permissions are
//! decided), the rules for passwords and PINs, and how wrong PINs lock an account. Hashing the
//! secrets is `credentials`' work; this module only says what a good one is.

use serde::{Deserialize, Serialize};

use super::error::{FieldError, ValidationErrors};
use super::text::{self, limits};
use super::{DomainError, StaffId};

/// A staff member's role. Stored as its `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: treats and signs, manages staff and the protocol.
    ClinicalLead,
    /// Screens, treats, signs, amends, prints.
    Practitioner,
    /// Clients, bookings and printing; no clinical signatures or clinical fields.
    FrontDesk,
    /// Settings, backups, restore, import/export/anonymise and staff; no clinical signatures.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::ClinicalLead,
        Role::Practitioner,
        Role::FrontDesk,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::ClinicalLead => "clinical_lead",
            Role::Practitioner => "practitioner",
            Role::FrontDesk => "front_desk",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn words(self) -> &'static str {
        match self {
            Role::ClinicalLead => "clinical lead",
            Role::Practitioner => "practitioner",
            Role::FrontDesk => "front desk",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may do `act`. Every permission in the app is decided here.
    pub fn may(self, act: Act) -> bool {
        use Act::*;
        match self {
            Role::ClinicalLead => true,
            Role::Practitioner => matches!(
                act,
                Sign | ClinicalFields | Clients | Print | Products | ExportClient | Diary | Photos
            ),
            Role::FrontDesk => matches!(act, Clients | Print | Diary),
            Role::Admin => matches!(
                act,
                Clients
                    | Print
                    | Products
                    | Settings
                    | Backups
                    | ExportClient
                    | Anonymise
                    | Import
                    | ManageStaff
                    | Diary
            ),
        }
    }

    /// What `act` needs, for a refusal's message.
    pub fn refusal(self, act: Act) -> String {
        format!(
            "A {} account may not {}. Ask {} to do it, or switch to their account.",
            self.words(),
            act.words(),
            act.who()
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// Sign a screening, a session, an amendment or a clearance.
    Sign,
    /// Fill in clinical fields: screenings, plans, sessions, concerns.
    ClinicalFields,
    /// Add and edit clients' details.
    Clients,
    /// Print sheets.
    Print,
    /// Keep the products and lots.
    Products,
    /// Change the clinic's settings.
    Settings,
    /// Make and restore backups.
    Backups,
    /// Export a client's record.
    ExportClient,
    /// Anonymise a client.
    Anonymise,
    /// Import clients from a file.
    Import,
    /// Add staff, reset their secrets, change roles, set the idle lock.
    ManageStaff,
    /// Book, move, cancel appointments and move them through the day.
    Diary,
    /// Take, import and hide clinical photos.
    Photos,
}

impl Act {
    fn words(self) -> &'static str {
        match self {
            Act::Sign => "sign clinical records",
            Act::ClinicalFields => "fill in clinical records",
            Act::Clients => "change clients' details",
            Act::Print => "print sheets",
            Act::Products => "change products",
            Act::Settings => "change the clinic's settings",
            Act::Backups => "make or restore backups",
            Act::ExportClient => "export a client's record",
            Act::Anonymise => "anonymise a client",
            Act::Import => "import clients",
            Act::ManageStaff => "manage staff accounts",
            Act::Diary => "keep the diary",
            Act::Photos => "take, import or hide clinical photos",
        }
    }

    fn who(self) -> &'static str {
        match self {
            Act::Sign | Act::ClinicalFields | Act::Photos => "a practitioner or the clinical lead",
            _ => "the clinical lead or an admin",
        }
    }
}

/// A staff account as the app shows it (never its secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub registration: Option<String>,
    pub active: bool,
    /// Wrong PINs since the last good one.
    pub failed_pins: u32,
}

impl StaffMember {
    pub fn lock(&self) -> PinLock {
        PinLock::after(self.failed_pins)
    }

    /// The actor written into the audit log for what this person does.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.name.clone(),
            staff: Some(self.id),
        }
    }
}

/// Wrong PINs in a row before the account's PIN stops working until a password is used.
pub const PIN_ATTEMPTS: u32 = 5;

/// Whether a PIN may still be tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinLock {
    Open {
        attempts_left: u32,
    },
    /// Locked until the person signs in with their password.
    Locked,
}

impl PinLock {
    pub fn after(failed: u32) -> Self {
        if failed >= PIN_ATTEMPTS {
            PinLock::Locked
        } else {
            PinLock::Open {
                attempts_left: PIN_ATTEMPTS - failed,
            }
        }
    }

    pub fn message(name: &str) -> String {
        format!(
            "{name}'s PIN is locked after {PIN_ATTEMPTS} wrong tries. It opens again when {name} signs in with \
             their password (or the clinical lead resets the PIN)."
        )
    }
}

/// Who does something, as written into the audit log: a staff member (by id from the sign-in
/// change on), or a name (the operating-system user of a read-only command, tests, and rows
/// from before sign-in).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    pub name: String,
    pub staff: Option<StaffId>,
}

impl Actor {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            staff: None,
        }
    }
}

impl From<&str> for Actor {
    fn from(name: &str) -> Self {
        Actor::named(name)
    }
}

impl From<&String> for Actor {
    fn from(name: &String) -> Self {
        Actor::named(name)
    }
}

impl From<&Actor> for Actor {
    fn from(actor: &Actor) -> Self {
        actor.clone()
    }
}

/// Shortest password accepted.
pub const PASSWORD_MIN: usize = 10;
const PASSWORD_MAX: usize = 200;

pub mod field {
    pub const NAME: &str = "Name";
    pub const ROLE: &str = "Role";
    pub const REGISTRATION: &str = "Registration number";
    pub const PASSWORD: &str = "Password";
    pub const PASSWORD_AGAIN: &str = "Password again";
    pub const PIN: &str = "PIN";
}

/// Checks a new password: at least ten characters.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(DomainError::PasswordTooShort {
            min: PASSWORD_MIN,
            len,
        });
    }
    text::bounded(field::PASSWORD, password, PASSWORD_MAX).map(|_| ())
}

/// Checks a new PIN: 4 to 8 digits, not one digit repeated, not a run up or down (1234, 9876).
pub fn check_pin(pin: &str) -> Result<(), DomainError> {
    let digits: Vec<u32> = pin.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != pin.chars().count() || !(4..=8).contains(&digits.len()) {
        return Err(DomainError::PinNotDigits);
    }
    let steps: Vec<i64> = digits
        .windows(2)
        .map(|w| i64::from(w[1]) - i64::from(w[0]))
        .collect();
    let run = |step: i64| steps.iter().all(|s| *s == step);
    if run(0) || run(1) || run(-1) {
        return Err(DomainError::PinTooSimple);
    }
    Ok(())
}

/// A new staff account as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffDraft {
    pub name: String,
    pub role: Option<Role>,
    pub registration: String,
    pub password: String,
    pub password_again: String,
    pub pin: String,
}

/// A checked new account: the secrets still in clear, for `credentials` to hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub name: String,
    pub role: Role,
    pub registration: Option<String>,
    pub password: String,
    pub pin: String,
}

impl StaffDraft {
    /// Every problem at once.
    pub fn validate(&self) -> Result<NewStaff, ValidationErrors> {
        let mut errors = Vec::new();
        let mut keep = |field: &'static str, r: Result<(), DomainError>| {
            if let Err(error) = r {
                errors.push(FieldError { field, error });
            }
        };
        let name = text::required(field::NAME, &self.name, limits::NAME);
        keep(field::NAME, name.as_ref().map(|_| ()).map_err(Clone::clone));
        let registration = text::optional(field::REGISTRATION, &self.registration, 60);
        keep(
            field::REGISTRATION,
            registration.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        keep(
            field::ROLE,
            self.role
                .map(|_| ())
                .ok_or(DomainError::Missing { field: field::ROLE }),
        );
        keep(field::PASSWORD, check_password(&self.password));
        if self.password != self.password_again {
            keep(field::PASSWORD_AGAIN, Err(DomainError::PasswordsDiffer));
        }
        keep(field::PIN, check_pin(&self.pin));
        match (name, registration, self.role) {
            (Ok(name), Ok(registration), Some(role)) if errors.is_empty() => Ok(NewStaff {
                name,
                role,
                registration,
                password: self.password.clone(),
                pin: self.pin.clone(),
            }),
            _ => Err(ValidationErrors(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_pins_are_refused() {
        for pin in ["1111", "1234", "9876", "123", "123456789", "12a4", "56789"] {
            assert!(check_pin(pin).is_err(), "{pin}");
        }
        for pin in ["2580", "1357", "4821", "11112"] {
            assert!(check_pin(pin).is_ok(), "{pin}");
        }
    }

    #[test]
    fn only_clinical_roles_sign() {
        assert!(Role::ClinicalLead.may(Act::Sign));
        assert!(Role::Practitioner.may(Act::Sign));
        assert!(!Role::FrontDesk.may(Act::Sign));
        assert!(!Role::Admin.may(Act::Sign));
        assert!(!Role::Practitioner.may(Act::ManageStaff));
    }
}
