//! The rule a treatment plan's depths must pass: a planned area's maximum depth above the
//! area's published limit — or any depth in an area with no published limit — needs a written
//! reason. The protocol gives the limits ([`PlanDepthLimits`]); the plan form and the store
//! both check them here, so the rule lives in one place.

use super::text::{self, limits};
use super::{DepthRange, DomainError, FieldError, NeedleDepth, PlannedArea, TreatmentPlan, ValidationErrors};

/// Field names of a planned area's problems.
pub mod field {
    /// The area's depth range (the problem: it needs a written reason).
    pub const DEPTH: &str = "Depth";
    /// The written reason for the depth.
    pub const REASON: &str = "Reason";
    /// Who prescribed a prescription product in the plan.
    pub const PRESCRIBER: &str = "Prescriber (name and role)";
}

/// The deepest setting one planned area allows without a written reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaDepthLimit {
    pub area: String,
    /// `None` when nothing is published for the area: any depth there needs a reason.
    pub limit: Option<NeedleDepth>,
}

/// The depth limit of each of a plan's areas. An area not listed counts as having no
/// published limit, so a missing entry can only ask for more reasons, never fewer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanDepthLimits {
    areas: Vec<AreaDepthLimit>,
    /// Products (protocol serum ids) a plan may only hold with the prescriber named.
    prescribed: Vec<String>,
}

impl PlanDepthLimits {
    pub fn new(areas: Vec<AreaDepthLimit>) -> Self {
        Self {
            areas,
            prescribed: Vec::new(),
        }
    }

    /// With the products that need a prescriber named.
    pub fn with_prescribed(mut self, prescribed: Vec<String>) -> Self {
        self.prescribed = prescribed;
        self
    }

    /// A plan holding a prescription or physician-only product names who prescribed it.
    pub fn check_prescriber(&self, plan: &TreatmentPlan) -> Result<(), FieldError> {
        let needing: Vec<&str> = plan
            .serums
            .iter()
            .filter(|s| self.prescribed.contains(s))
            .map(String::as_str)
            .collect();
        let named = plan.prescriber.as_deref().is_some_and(|p| !p.trim().is_empty());
        if needing.is_empty() || named {
            return Ok(());
        }
        Err(FieldError {
            field: field::PRESCRIBER,
            error: DomainError::PrescriberMissing {
                products: needing.join(", "),
            },
        })
    }

    pub fn areas(&self) -> &[AreaDepthLimit] {
        &self.areas
    }

    /// The area's limit; `None` when none is published (or the area is not listed).
    pub fn limit(&self, area: &str) -> Option<NeedleDepth> {
        self.areas.iter().find(|a| a.area == area).and_then(|a| a.limit)
    }

    /// Why `depth` in `area` needs a written reason, if it does: deeper than the area's limit,
    /// or no limit published at all.
    pub fn reason_needed(&self, area: &str, depth: DepthRange) -> Option<DomainError> {
        match self.limit(area) {
            Some(limit) if depth.max > limit => Some(DomainError::PlanDepthAboveLimit {
                area: area.to_owned(),
                depth: depth.max.to_string(),
                limit: limit.to_string(),
            }),
            Some(_) => None,
            None => Some(DomainError::PlanDepthUnpublished {
                area: area.to_owned(),
            }),
        }
    }

    /// One planned area: a reason where the rule asks for one, and no reason over the length
    /// limit.
    pub fn check_area(&self, planned: &PlannedArea) -> Result<(), FieldError> {
        let reason = planned.reason.as_deref().unwrap_or_default();
        if reason.trim().is_empty() {
            if let Some(error) = self.reason_needed(&planned.area, planned.depth) {
                return Err(FieldError {
                    field: field::DEPTH,
                    error,
                });
            }
        }
        text::optional(field::REASON, reason, limits::REASON).map_err(|error| FieldError {
            field: field::REASON,
            error,
        })?;
        Ok(())
    }

    /// Every planned area checked; every problem at once.
    pub fn check(&self, areas: &[PlannedArea]) -> Result<(), ValidationErrors> {
        let problems: Vec<FieldError> = areas.iter().filter_map(|a| self.check_area(a).err()).collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(problems))
        }
    }
}
