//! The store's re-check of a new plan's depths against the protocol's limits it is given
//! (the rule itself is `domain::plan_rules`), so no caller can save a plan that skips it.

use super::error::{StoreError, StoreResult};
use crate::domain::{DomainError, PlanDepthLimits, TreatmentPlan};

/// Refuses a plan with an area deeper than its limit, or without a published limit, and no
/// written reason; the refusal names each area.
pub(super) fn check_plan_depths(plan: &TreatmentPlan, limits: &PlanDepthLimits) -> StoreResult<()> {
    limits
        .check_prescriber(plan)
        .map_err(|e| StoreError::Refused(format!("The plan was not saved. {}", e.error)))?;
    limits.check(&plan.areas).map_err(|errors| {
        let each: Vec<String> = errors
            .0
            .iter()
            .map(|e| match &e.error {
                DomainError::PlanDepthAboveLimit { area, depth, limit } => format!(
                    "{depth} in the area \"{area}\" is deeper than its {limit} maximum and has no written reason."
                ),
                DomainError::PlanDepthUnpublished { area } => format!(
                    "The area \"{area}\" has no published depth, so its depth needs a written reason."
                ),
                other => other.to_string(),
            })
            .collect();
        StoreError::Refused(format!("The plan was not saved. {}", each.join(" ")))
    })
}
