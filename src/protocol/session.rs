//! What the protocol and today's screening allow in the treatment room: each planned area's
//! depth limit or exclusion, the serums ranked by the plan's concerns, and why a serum is
//! discouraged — the inputs of [`crate::domain::session_record::validate_record`].

use std::collections::BTreeMap;

use super::model::{Protocol, SerumStatus, SerumUse};
use super::proposal::{Basis, SerumSuggestion};
use crate::domain::{AreaRule, ClientConcern, Screening, TreatmentPlan};

/// The protocol's id for topical anaesthetic (numbing cream), whose lot the session records.
pub const NUMBING_CREAM: &str = "topical_anaesthetic";

impl Protocol {
    /// The rules for each of the plan's areas today; `concerns` are the plan's concerns, each
    /// lowering the limit of the area it is treated in.
    pub fn area_rules(
        &self,
        plan: &TreatmentPlan,
        screening: &Screening,
        concerns: &[&ClientConcern],
    ) -> Vec<AreaRule> {
        plan.areas
            .iter()
            .map(|planned| {
                let area = self.area(&planned.area);
                let here: Vec<&str> = concerns
                    .iter()
                    .filter(|c| c.area == planned.area && plan.concerns.contains(&c.id))
                    .map(|c| c.concern.as_str())
                    .collect();
                let limit = self.depth_limit(&planned.area, &here);
                let excluded = if area.is_none() {
                    Some("it is not in the clinic's protocol.".to_owned())
                } else if screening.outcome.excluded_areas.contains(&planned.area) {
                    let why: Vec<&str> = screening
                        .outcome
                        .findings
                        .iter()
                        .filter(|f| f.area.as_deref() == Some(planned.area.as_str()))
                        .map(|f| f.message.as_str())
                        .collect();
                    Some(format!("today's screening excludes it ({}).", why.join("; ")))
                } else {
                    None
                };
                AreaRule {
                    area: planned.area.clone(),
                    limit,
                    excluded,
                }
            })
            .collect()
    }

    /// The numbing cream's warnings for these areas' regions (large body areas), with sources.
    pub fn numbing_warnings<'a>(&self, areas: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let areas: Vec<&str> = areas.into_iter().collect();
        self.serums
            .iter()
            .filter(|s| s.id == NUMBING_CREAM)
            .flat_map(|s| self.region_warnings(s, areas.iter().copied()))
            .collect()
    }

    /// Why each discouraged serum should not be used in the session, with its sources and
    /// tier: the discouraged ones, and home-care products (never applied in the room).
    pub fn discouraged_serums(&self) -> BTreeMap<String, String> {
        self.serums
            .iter()
            .filter(|s| s.status.value == Some(SerumStatus::Discouraged) || s.use_in == SerumUse::HomeCare)
            .map(|s| {
                let warning = if s.use_in == SerumUse::HomeCare {
                    format!(
                        "{} is for the client to use at home; it is not applied in the session.",
                        s.name
                    )
                } else {
                    s.warning
                        .clone()
                        .unwrap_or_else(|| format!("{} is discouraged.", s.name))
                };
                let basis = Basis {
                    sources: s.status.sources.clone(),
                    tier: s.status.tier,
                    disagreement: None,
                    note: None,
                };
                (s.id.clone(), format!("{warning} ({})", basis.describe()))
            })
            .collect()
    }

    /// Serums for these concerns, best first: those suiting more of the concerns first,
    /// discouraged ones last; each with the concerns it suits and its basis.
    pub fn ranked_serums(&self, concerns: &[&ClientConcern]) -> Vec<SerumSuggestion> {
        let mut serums = self.propose_plan(concerns).serums;
        // A stable sort keeps the protocol's own order (best first) among equals.
        serums.sort_by_key(|s| (s.discouraged, std::cmp::Reverse(s.for_concerns.len())));
        serums
    }
}
