//! Needle depth, stored exactly in hundredths of a millimetre so that 0.1 + 0.2 is never 0.30000000000000004.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::DomainError;

/// A pen needle depth between 0.10 mm and 2.50 mm (the range of professional pens), kept in
/// hundredths of a millimetre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct NeedleDepth(u16);

impl NeedleDepth {
    /// Shallowest depth a pen can be set to, in hundredths of a millimetre.
    pub const MIN_HUNDREDTHS: u16 = 10;
    /// Deepest depth a pen can be set to, in hundredths of a millimetre.
    pub const MAX_HUNDREDTHS: u16 = 250;
    pub const MIN: NeedleDepth = NeedleDepth(Self::MIN_HUNDREDTHS);
    pub const MAX: NeedleDepth = NeedleDepth(Self::MAX_HUNDREDTHS);

    pub fn from_hundredths(hundredths: u16) -> Result<Self, DomainError> {
        if (Self::MIN_HUNDREDTHS..=Self::MAX_HUNDREDTHS).contains(&hundredths) {
            Ok(Self(hundredths))
        } else {
            Err(DomainError::DepthOutOfPenRange {
                entered: format_hundredths(u32::from(hundredths)),
            })
        }
    }

    /// Reads what a practitioner types: "0.5", "0.50", "1,25", "1.25 mm". More than two decimals
    /// is refused rather than rounded, because a silently rounded depth is a changed record.
    pub fn parse_mm(text: &str) -> Result<Self, DomainError> {
        let hundredths = parse_mm_to_hundredths(text)?;
        let hundredths = u16::try_from(hundredths).map_err(|_| DomainError::DepthOutOfPenRange {
            entered: text.trim().to_owned(),
        })?;
        Self::from_hundredths(hundredths)
    }

    /// Converts a millimetre value read from a data file (JSON numbers are floats).
    pub fn from_mm_f64(mm: f64) -> Result<Self, DomainError> {
        let scaled = mm * 100.0;
        let rounded = scaled.round();
        if !mm.is_finite() || (scaled - rounded).abs() > 1e-6 || !(0.0..=1000.0).contains(&rounded) {
            return Err(DomainError::DepthNotReadable {
                entered: mm.to_string(),
            });
        }
        // The range check above makes the cast lossless.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Self::from_hundredths(rounded as u16)
    }

    pub fn hundredths(self) -> u16 {
        self.0
    }

    pub fn as_mm(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl TryFrom<u16> for NeedleDepth {
    type Error = DomainError;
    fn try_from(value: u16) -> Result<Self, Self::Error> {
        Self::from_hundredths(value)
    }
}

impl From<NeedleDepth> for u16 {
    fn from(value: NeedleDepth) -> Self {
        value.0
    }
}

impl fmt::Display for NeedleDepth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} mm", format_hundredths(u32::from(self.0)))
    }
}

fn format_hundredths(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn parse_mm_to_hundredths(text: &str) -> Result<u32, DomainError> {
    let not_readable = || DomainError::DepthNotReadable {
        entered: text.trim().to_owned(),
    };
    let cleaned = text.trim().trim_end_matches("mm").trim().replace(',', ".");
    if cleaned.is_empty() {
        return Err(DomainError::Missing {
            field: "Needle depth",
        });
    }
    let (whole, fraction) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    let whole = if whole.is_empty() { "0" } else { whole };
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_readable());
    }
    if fraction.len() > 2 {
        return Err(DomainError::DepthTooPrecise {
            entered: text.trim().to_owned(),
        });
    }
    let whole: u32 = whole.parse().map_err(|_| not_readable())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| not_readable())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(not_readable)
}

/// An inclusive depth range, e.g. a protocol's typical depth for an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepthRange {
    pub min: NeedleDepth,
    pub max: NeedleDepth,
}

impl DepthRange {
    pub fn new(min: NeedleDepth, max: NeedleDepth) -> Result<Self, DomainError> {
        if min > max {
            return Err(DomainError::DepthRangeReversed {
                min: min.to_string(),
                max: max.to_string(),
            });
        }
        Ok(Self { min, max })
    }

    pub fn contains(&self, depth: NeedleDepth) -> bool {
        (self.min..=self.max).contains(&depth)
    }

    /// The narrower of two ranges (the conservative overlap), or `None` when they do not meet.
    pub fn intersect(&self, other: &DepthRange) -> Option<DepthRange> {
        let min = self.min.max(other.min);
        let max = self.max.min(other.max);
        (min <= max).then_some(DepthRange { min, max })
    }
}

impl fmt::Display for DepthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(
                f,
                "{}–{} mm",
                format_hundredths(u32::from(self.min.0)),
                format_hundredths(u32::from(self.max.0))
            )
        }
    }
}
