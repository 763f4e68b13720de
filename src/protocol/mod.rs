//! The protocol library: treatment areas, concerns, contraindications, serums, intake questions
//! and care texts, each value with its sources and evidence tier.
//!
//! The app ships `assets/protocol.json`; a clinic may replace it with its own file, which is
//! validated at load with errors that name the entry and field.

mod answers_file;
mod findings;
mod load;
pub mod model;
pub mod proposal;
pub mod screening;
pub mod session;
pub mod signed_screening;
mod skin_type;
mod validate;

pub use load::{ProtocolError, CHANGES, FORMAT, SHIPPED_JSON};
pub use model::*;
pub use signed_screening::{ScreeningToSign, SigningError};

use crate::domain::{DepthRange, NeedleDepth, SkinType};
use chrono::{Months, NaiveDate};

/// The file name a clinic's own protocol has in the data folder.
pub const CLINIC_FILE_NAME: &str = "protocol.json";

impl Protocol {
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }
    pub fn concern(&self, id: &str) -> Option<&Concern> {
        self.concerns.iter().find(|c| c.id == id)
    }
    pub fn contraindication(&self, id: &str) -> Option<&Contraindication> {
        self.contraindications.iter().find(|c| c.id == id)
    }
    pub fn serum(&self, id: &str) -> Option<&Serum> {
        self.serums.iter().find(|s| s.id == id)
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    pub fn question(&self, id: &str) -> Option<&IntakeQuestion> {
        self.intake_questions.iter().find(|q| q.id == id)
    }

    /// A display name for an area id, falling back to the id for records made under another
    /// protocol version.
    pub fn area_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.area(id).map_or(id, |a| a.name.as_str())
    }
    pub fn concern_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.concern(id).map_or(id, |c| c.name.as_str())
    }
}

impl MmRange {
    /// The exact depth range; `None` if the file holds a value outside the pen's range (the
    /// validator reports that at load, so a loaded protocol always converts).
    pub fn to_depth_range(self) -> Option<DepthRange> {
        let min = NeedleDepth::from_mm_f64(self.min_mm).ok()?;
        let max = NeedleDepth::from_mm_f64(self.max_mm).ok()?;
        DepthRange::new(min, max).ok()
    }
}

impl Area {
    pub fn typical_range(&self) -> Option<DepthRange> {
        self.typical_depth.value.and_then(MmRange::to_depth_range)
    }
    pub fn max_depth(&self) -> Option<NeedleDepth> {
        self.max_depth
            .value
            .and_then(|mm| NeedleDepth::from_mm_f64(mm).ok())
    }
    /// The deepest setting allowed here without a written reason: the area's published
    /// maximum; `None` when none is published (a typical range is not a limit).
    pub fn depth_limit(&self) -> Option<NeedleDepth> {
        self.max_depth()
    }

    /// The device's cleared skin types here, parsed; `None` when none are given.
    pub fn cleared_skin_types(&self) -> Option<(SkinType, SkinType)> {
        let r = self.device_skin_types.as_ref()?.value.as_ref()?;
        Some((SkinType::parse(&r.from).ok()?, SkinType::parse(&r.to).ok()?))
    }
}

impl Protocol {
    /// The deepest setting for `area` without a written reason when `concerns` (protocol
    /// concern ids) are treated there: the lowest of the area's maximum and each concern's
    /// maximum (melasma 0.2 mm on the cheeks, not the cheeks' 1.5 mm). `None` — any depth needs
    /// a reason — when the area or one of the concerns has no published depth (rosacea:
    /// "superficial only", no number).
    pub fn depth_limit(&self, area: &str, concerns: &[&str]) -> Option<NeedleDepth> {
        let mut limit = self.area(area)?.depth_limit()?;
        for id in concerns {
            if let Some(c) = self.concern(id) {
                limit = limit.min(c.depth_range()?.max);
            }
        }
        Some(limit)
    }
}

impl Concern {
    pub fn depth_range(&self) -> Option<DepthRange> {
        self.depth.value.and_then(MmRange::to_depth_range)
    }
}

impl Period {
    /// The date this period ends after `from`: 6 months after 2026-09-01 is 2027-03-01.
    /// Month arithmetic clamps to the month's end (31 August + 6 months = 28 February).
    pub fn after(&self, from: NaiveDate) -> Option<NaiveDate> {
        match (self.days, self.weeks, self.months) {
            (Some(d), None, None) => from.checked_add_days(chrono::Days::new(u64::from(d))),
            (None, Some(w), None) => from.checked_add_days(chrono::Days::new(u64::from(w) * 7)),
            (None, None, Some(m)) => from.checked_add_months(Months::new(u32::from(m))),
            _ => None,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, unit) = match (self.days, self.weeks, self.months) {
            (Some(d), _, _) => (d, "day"),
            (_, Some(w), _) => (w, "week"),
            (_, _, Some(m)) => (m, "month"),
            _ => return f.write_str("no period"),
        };
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}
