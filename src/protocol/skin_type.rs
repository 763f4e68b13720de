//! Findings that come from the client's skin type: the darker-skin caution, and a planned
//! area where the devices are cleared for some skin types only.

use super::model::{Protocol, Tier};
use super::screening::{
    detail, ScreeningInput, DEVICE_SCOPE_RULE, FITZPATRICK_QUESTION, SKIN_TYPE_DISAGREEMENT,
    SKIN_TYPE_FOLLOW_UP, SKIN_TYPE_RULE, SKIN_TYPE_SOURCES,
};
use crate::domain::{Finding, OutcomeKind, SkinType};

impl Protocol {
    /// The client's skin type: from the record or the Fitzpatrick answer (the darker counts).
    pub(super) fn client_skin_type(&self, input: &ScreeningInput<'_>) -> Option<SkinType> {
        let answered = input
            .answers
            .get(FITZPATRICK_QUESTION)
            .and_then(|a| detail(a, SKIN_TYPE_FOLLOW_UP))
            .and_then(|t| SkinType::parse(t).ok());
        input.skin_type.max(answered)
    }

    /// A planned area where the devices are cleared for some skin types only (the neck: II–IV,
    /// R2; around the eyes: I–IV, R6) and the client's type is outside them: a caution.
    pub(super) fn device_scope_findings(&self, input: &ScreeningInput<'_>) -> Vec<Finding> {
        let Some(skin) = self.client_skin_type(input) else {
            return Vec::new();
        };
        input
            .planned_areas
            .iter()
            .filter_map(|id| self.area(id))
            .filter_map(|a| {
                let (from, to) = a.cleared_skin_types()?;
                let scope = a.device_skin_types.as_ref()?;
                (skin < from || skin > to).then(|| Finding {
                    rule: DEVICE_SCOPE_RULE.to_owned(),
                    kind: OutcomeKind::Caution,
                    message: format!(
                        "{}: the devices are cleared here for skin types {from}–{to} only; this client is {skin}. \
                         Treat with caution or leave the area out.",
                        a.name
                    ),
                    area: None,
                    defer_until: None,
                    clearance_from: None,
                    sources: scope.sources.clone(),
                    tier: format!("{:?}", scope.tier),
                    disagreement: scope.disagreement.as_ref().map(|d| d.summary.clone()),
                })
            })
            .collect()
    }

    /// Skin type III–VI, from the client's record or the Fitzpatrick answer (the darker counts).
    pub(super) fn skin_type_finding(&self, input: &ScreeningInput<'_>) -> Option<Finding> {
        let skin = self.client_skin_type(input)?;
        // P47: types III–V have an increased risk of PIH with most procedures.
        if skin < SkinType::III {
            return None;
        }
        let mut sources: Vec<String> = SKIN_TYPE_SOURCES
            .iter()
            .filter(|id| self.source(id).is_some())
            .map(|id| (*id).to_owned())
            .collect();
        if sources.is_empty() {
            sources = SKIN_TYPE_SOURCES.map(str::to_owned).to_vec();
        }
        Some(Finding {
            rule: SKIN_TYPE_RULE.to_owned(),
            kind: OutcomeKind::Caution,
            message: format!(
                "Skin type III–VI (this client: {skin}): higher risk of post-inflammatory hyperpigmentation; \
                 extra sun protection and a conservative depth."
            ),
            area: None,
            defer_until: None,
            clearance_from: None,
            tier: format!("{:?}", self.strongest_tier(&sources).unwrap_or(Tier::P)),
            sources,
            disagreement: Some(SKIN_TYPE_DISAGREEMENT.to_owned()),
        })
    }
}
