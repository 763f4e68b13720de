//! What the protocol proposes for a plan: per area a depth range, the serums, the number of
//! sessions and their spacing — each with the sources, tier and any disagreement behind it.
//! Where values meet, the conservative one wins (shallower depth, longer spacing).

use serde::{Deserialize, Serialize};

use super::model::{CountRange, Protocol, SerumStatus, Sourced, Tier};
use crate::domain::{AreaDepthLimit, ClientConcern, DepthRange, NeedleDepth, PlanDepthLimits};

/// Where a suggested value comes from, for display next to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    pub sources: Vec<String>,
    pub tier: Tier,
    pub disagreement: Option<String>,
    pub note: Option<String>,
}

impl Basis {
    pub fn of<T>(s: &Sourced<T>) -> Self {
        Self {
            sources: s.sources.clone(),
            tier: s.tier,
            disagreement: s.disagreement.as_ref().map(|d| d.summary.clone()),
            note: s.note.clone(),
        }
    }

    /// "sources C1, C2 · tier C (clinic convention)".
    pub fn describe(&self) -> String {
        format!("sources {} · tier {}", self.sources.join(", "), self.tier)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaProposal {
    pub area: String,
    /// The proposed depth range; `None` when no published value exists for area or concern.
    pub depth: Option<DepthRange>,
    /// The deepest setting allowed here without a written reason (the lowest of the area's
    /// and each concern's maximum); `None` when one of them has none published.
    pub limit: Option<NeedleDepth>,
    /// Why: the concern's depth basis, then the area's maximum basis.
    pub bases: Vec<Basis>,
    /// Exclusions within the area, e.g. "not within the orbital rim".
    pub exclusions: Vec<String>,
    /// What the proposal changed, e.g. "1.00–1.50 mm limited to the area's 0.50 mm maximum".
    pub adjustments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SerumSuggestion {
    pub serum: String,
    pub name: String,
    pub for_concerns: Vec<String>,
    pub discouraged: bool,
    pub warning: Option<String>,
    pub basis: Basis,
    /// In the treatment room, or at home.
    pub use_in: super::model::SerumUse,
    /// A prescription or physician-only product: never pre-selected; the plan names the prescriber.
    pub needs_prescriber: bool,
    /// Warnings for the regions of the planned areas (numbing cream on the body).
    pub region_warnings: Vec<String>,
}

impl SerumSuggestion {
    /// Ticked when the plan form opens: suitable, used in the session, and not a prescription.
    pub fn preselected(&self) -> bool {
        !self.discouraged && !self.needs_prescriber && self.use_in == super::model::SerumUse::InSession
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanProposal {
    pub areas: Vec<AreaProposal>,
    pub serums: Vec<SerumSuggestion>,
    pub sessions: u16,
    pub sessions_basis: Vec<Basis>,
    pub interval: CountRange,
    pub interval_basis: Vec<Basis>,
}

impl Protocol {
    /// The depth limit of each planned area, above which (or, with no limit, at any depth) the
    /// plan needs a written reason: the same limit the plan form's proposal shows
    /// ([`AreaProposal::limit`]). The one place that decides a plan's limits, for the form and
    /// for the store's re-check.
    /// `concerns` are the plan's concerns: each lowers the limit of the area it is treated in.
    pub fn plan_depth_limits<'a>(
        &self,
        areas: impl IntoIterator<Item = &'a str>,
        concerns: &[&ClientConcern],
    ) -> PlanDepthLimits {
        PlanDepthLimits::new(
            areas
                .into_iter()
                .map(|area| AreaDepthLimit {
                    area: area.to_owned(),
                    limit: self.depth_limit(area, &concerns_in(concerns, area)),
                })
                .collect(),
        )
        .with_prescribed(
            self.serums
                .iter()
                .filter(|s| s.needs_prescriber())
                .map(|s| s.id.clone())
                .collect(),
        )
    }

    /// The protocol's proposal for treating these concerns.
    pub fn propose_plan(&self, concerns: &[&ClientConcern]) -> PlanProposal {
        let mut areas: Vec<AreaProposal> = Vec::new();
        for c in concerns {
            let proposal = self.propose_area(&c.concern, &c.area);
            match areas.iter_mut().find(|a| a.area == c.area) {
                Some(existing) => merge(existing, proposal),
                None => areas.push(proposal),
            }
        }

        let protocol_concerns: Vec<_> = concerns.iter().filter_map(|c| self.concern(&c.concern)).collect();
        let defaults = &self.series;
        let (mut sessions, mut sessions_basis) = (None::<u16>, Vec::new());
        let (mut interval, mut interval_basis) = (None::<CountRange>, Vec::new());
        for pc in &protocol_concerns {
            if let Some(r) = pc.sessions.value {
                sessions = Some(sessions.map_or(r.min, |s| s.max(r.min)));
                sessions_basis.push(Basis::of(&pc.sessions));
            }
            if let Some(r) = pc.interval_days.value {
                // Conservative spacing: the longest minimum, the longest maximum.
                interval = Some(interval.map_or(r, |i| CountRange {
                    min: i.min.max(r.min),
                    max: i.max.max(r.max),
                }));
                interval_basis.push(Basis::of(&pc.interval_days));
            }
        }
        if sessions.is_none() {
            sessions_basis.push(Basis::of(&defaults.sessions));
        }
        if interval.is_none() {
            interval_basis.push(Basis::of(&defaults.interval_days));
        }
        let default_sessions = defaults.sessions.value.map_or(3, |r| r.min);
        let default_interval = defaults
            .interval_days
            .value
            .unwrap_or(CountRange { min: 28, max: 42 });
        let mut interval = interval.unwrap_or(default_interval);
        interval.max = interval.max.max(interval.min);

        let mut serums: Vec<SerumSuggestion> = Vec::new();
        for pc in &protocol_concerns {
            for id in &pc.serums {
                if let Some(existing) = serums.iter_mut().find(|s| &s.serum == id) {
                    existing.for_concerns.push(pc.name.clone());
                    continue;
                }
                if let Some(s) = self.serum(id) {
                    serums.push(SerumSuggestion {
                        serum: s.id.clone(),
                        name: s.name.clone(),
                        for_concerns: vec![pc.name.clone()],
                        discouraged: s.status.value == Some(SerumStatus::Discouraged),
                        warning: s.warning.clone(),
                        basis: Basis::of(&s.status),
                        use_in: s.use_in,
                        needs_prescriber: s.needs_prescriber(),
                        region_warnings: self.region_warnings(s, areas.iter().map(|a| a.area.as_str())),
                    });
                }
            }
        }
        PlanProposal {
            areas,
            serums,
            sessions: sessions.unwrap_or(default_sessions),
            sessions_basis,
            interval,
            interval_basis,
        }
    }

    /// The serum's warnings for the regions of `areas`, each with its sources.
    pub fn region_warnings<'a>(
        &self,
        serum: &super::model::Serum,
        areas: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        let regions: Vec<super::model::Region> = areas
            .into_iter()
            .filter_map(|a| self.area(a).map(|a| a.region))
            .collect();
        serum
            .region_warnings
            .iter()
            .filter(|w| w.regions.iter().any(|r| regions.contains(r)))
            .filter_map(|w| {
                let text = w.text.value.as_deref()?;
                Some(format!("{text} ({})", w.text.sources.join(", ")))
            })
            .collect()
    }

    /// The depth proposal for one concern in one area.
    pub fn propose_area(&self, concern_id: &str, area_id: &str) -> AreaProposal {
        let concern = self.concern(concern_id);
        let area = self.area(area_id);
        let mut bases = Vec::new();
        let mut adjustments = Vec::new();
        let concern_range = concern.and_then(|c| c.depth_range());
        if let Some(c) = concern {
            bases.push(Basis::of(&c.depth));
        }
        let typical = area.and_then(|a| a.typical_range());
        if let Some(a) = area {
            bases.push(Basis::of(&a.typical_depth));
            if !a.max_depth.is_gap() {
                bases.push(Basis::of(&a.max_depth));
            }
        }
        let limit = self.depth_limit(area_id, &[concern_id]);
        // A concern without a published depth gets no depth proposed: never the area's
        // typical depth (rosacea: "superficial only", M5).
        let mut depth = match concern {
            Some(c) if concern_range.is_none() => {
                adjustments.push(format!(
                    "No published depth for {}{}: choose the depth and write the reason",
                    c.name.to_lowercase(),
                    c.depth
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                ));
                None
            }
            _ => concern_range.or(typical),
        };
        if let (Some(range), Some(limit)) = (depth, limit) {
            if range.max > limit {
                let limited = if range.min > limit {
                    typical.and_then(|t| {
                        t.intersect(&DepthRange {
                            min: t.min,
                            max: limit,
                        })
                    })
                } else {
                    Some(DepthRange {
                        min: range.min,
                        max: limit,
                    })
                };
                let shown = limited.map_or_else(|| "no range".to_owned(), |l| l.to_string());
                adjustments.push(format!("{range} limited to {shown} by the {limit} maximum"));
                depth = limited;
            }
        }
        let mut exclusions: Vec<String> = area
            .map(|a| a.exclusions.iter().map(|e| e.text.clone()).collect())
            .unwrap_or_default();
        if let Some(scope) = area.and_then(|a| a.device_skin_types.as_ref()) {
            if let Some(r) = &scope.value {
                exclusions.push(format!(
                    "Devices are cleared here for skin types {}–{} only ({})",
                    r.from,
                    r.to,
                    scope.sources.join(", ")
                ));
            }
        }
        AreaProposal {
            area: area_id.to_owned(),
            depth,
            limit,
            bases,
            exclusions,
            adjustments,
        }
    }
}

/// The protocol ids of the concerns treated in `area`.
fn concerns_in<'a>(concerns: &[&'a ClientConcern], area: &str) -> Vec<&'a str> {
    concerns
        .iter()
        .filter(|c| c.area == area)
        .map(|c| c.concern.as_str())
        .collect()
}

/// Two concerns in one area: keep the shallower proposal and the lower limit (none when
/// either has none).
fn merge(existing: &mut AreaProposal, other: AreaProposal) {
    existing.limit = match (existing.limit, other.limit) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => None,
    };
    existing.depth = match (existing.depth, other.depth) {
        (Some(a), Some(b)) => Some(DepthRange {
            min: a.min.min(b.min),
            max: a.max.min(b.max),
        }),
        (a, b) => a.or(b),
    };
    existing.bases.extend(other.bases);
    existing.adjustments.extend(other.adjustments);
}
