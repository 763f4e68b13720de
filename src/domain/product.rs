//! Products used in a session — serums, needle cartridges, numbing cream — tracked by lot so a
//! recall can find every client who received one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::text::{self, limits};
use super::{DomainError, ProductId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Serum,
    NeedleCartridge,
    NumbingCream,
    Other,
}

impl ProductKind {
    pub const ALL: [ProductKind; 4] = [
        ProductKind::Serum,
        ProductKind::NeedleCartridge,
        ProductKind::NumbingCream,
        ProductKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProductKind::Serum => "serum",
            ProductKind::NeedleCartridge => "needle_cartridge",
            ProductKind::NumbingCream => "numbing_cream",
            ProductKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Product kind",
                entered: code.to_owned(),
            })
    }
}

impl fmt::Display for ProductKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProductKind::Serum => "Serum",
            ProductKind::NeedleCartridge => "Needle cartridge",
            ProductKind::NumbingCream => "Numbing cream",
            ProductKind::Other => "Other",
        })
    }
}

/// One lot of one product on the shelf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub kind: ProductKind,
    pub name: String,
    /// The protocol serum this product is (e.g. "ha_gel"), for suggestions and warnings.
    pub serum: Option<String>,
    pub lot_number: String,
    pub expires_on: NaiveDate,
    /// Sterile and meant for use on needled skin.
    pub sterile: bool,
    pub active: bool,
}

impl Product {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: ProductKind,
        name: &str,
        serum: Option<&str>,
        lot_number: &str,
        expires_on: NaiveDate,
        sterile: bool,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            id: ProductId::new(),
            kind,
            name: text::required("Product name", name, limits::SHORT)?,
            serum: serum.map(str::to_owned),
            lot_number: text::required("Lot number", lot_number, limits::SHORT)?,
            expires_on,
            sterile,
            active: true,
        })
    }

    /// A lot is usable through its expiry date and refused the day after.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.expires_on
    }

    pub fn check_usable(&self, today: NaiveDate) -> Result<(), DomainError> {
        if self.is_expired(today) {
            return Err(DomainError::LotExpired {
                lot: self.lot_number.clone(),
                expired_on: self.expires_on.to_string(),
            });
        }
        Ok(())
    }
}

/// The add-a-lot form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    pub kind: ProductKind,
    pub name: String,
    /// The protocol serum this product is, for serums.
    pub serum: Option<String>,
    pub lot_number: String,
    pub expires_on: String,
    pub sterile: bool,
}

impl Default for ProductDraft {
    fn default() -> Self {
        Self {
            kind: ProductKind::Serum,
            name: String::new(),
            serum: None,
            lot_number: String::new(),
            expires_on: String::new(),
            sterile: true,
        }
    }
}

/// Field names of the product form.
pub mod product_field {
    pub const NAME: &str = "Product name";
    pub const LOT: &str = "Lot number";
    pub const EXPIRES: &str = "Expiry date";
}

impl ProductDraft {
    /// Checks every field at once. A lot that has already expired is not put on the shelf.
    pub fn validate(&self, today: NaiveDate) -> Result<Product, super::ValidationErrors> {
        use super::FieldError;
        let mut errors = Vec::new();
        let mut field = |field: &'static str, r: Result<String, DomainError>| match r {
            Ok(v) => Some(v),
            Err(error) => {
                errors.push(FieldError { field, error });
                None
            }
        };
        let name = field(
            product_field::NAME,
            text::required(product_field::NAME, &self.name, limits::SHORT),
        );
        let lot = field(
            product_field::LOT,
            text::required(product_field::LOT, &self.lot_number, limits::SHORT),
        );
        let expires = match super::client::parse_date(&self.expires_on) {
            Ok(d) if d < today => {
                errors.push(FieldError {
                    field: product_field::EXPIRES,
                    error: DomainError::LotExpired {
                        lot: self.lot_number.trim().to_owned(),
                        expired_on: d.to_string(),
                    },
                });
                None
            }
            Ok(d) => Some(d),
            Err(error) => {
                errors.push(FieldError {
                    field: product_field::EXPIRES,
                    error,
                });
                None
            }
        };
        match (name, lot, expires) {
            (Some(name), Some(lot), Some(expires)) if errors.is_empty() => {
                let serum = if self.kind == ProductKind::Serum {
                    self.serum.as_deref()
                } else {
                    None
                };
                Product::new(self.kind, &name, serum, &lot, expires, self.sterile).map_err(|error| {
                    super::ValidationErrors(vec![FieldError {
                        field: product_field::NAME,
                        error,
                    }])
                })
            }
            _ => Err(super::ValidationErrors(errors)),
        }
    }
}

/// Active lots that expire within `days` of `today` (or have expired), soonest first.
pub fn expiring_soon(products: &[Product], today: NaiveDate, days: i64) -> Vec<&Product> {
    let horizon = today + chrono::Duration::days(days);
    let mut soon: Vec<&Product> = products
        .iter()
        .filter(|p| p.active && p.expires_on <= horizon)
        .collect();
    soon.sort_by_key(|p| p.expires_on);
    soon
}
