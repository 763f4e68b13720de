//! Depth limits that protect (issue 15, point 2; review A1, A2, B12): the limit that needs a
//! written reason is the lower of the area's and every planned concern's maximum; an area or
//! concern with no published maximum has none, so any depth there needs a reason; the devices'
//! cleared skin types per area give a caution.

use crate::common::{concern, date, shipped_protocol};
use needlepoint::domain::{DepthRange, NeedleDepth, OutcomeKind, SkinType};
use needlepoint::protocol::screening::{ScreeningInput, DEVICE_SCOPE_RULE};

fn mm(a: &str, b: &str) -> DepthRange {
    DepthRange::new(
        NeedleDepth::parse_mm(a).unwrap(),
        NeedleDepth::parse_mm(b).unwrap(),
    )
    .unwrap()
}

#[test]
fn melasma_on_the_cheeks_is_limited_to_its_own_superficial_depth() {
    let p = shipped_protocol();
    let melasma = concern("melasma", "cheeks");
    let limits = p.plan_depth_limits(["cheeks"], &[&melasma]);
    assert_eq!(limits.limit("cheeks"), NeedleDepth::parse_mm("0.20").ok());
    let why = limits
        .reason_needed("cheeks", mm("0.10", "0.50"))
        .expect("0.50 mm needs a reason");
    assert!(why.to_string().contains("0.20"), "{why}");
    assert!(limits.reason_needed("cheeks", mm("0.10", "0.20")).is_none());
    // Without the concern, the cheeks alone allow 1.50 mm: the concern is what protects.
    assert_eq!(
        p.plan_depth_limits(["cheeks"], &[]).limit("cheeks"),
        NeedleDepth::parse_mm("1.50").ok()
    );
    // Two concerns in one area: the lower maximum wins.
    let scars = concern("acne_scars_rolling", "cheeks");
    assert_eq!(
        p.plan_depth_limits(["cheeks"], &[&scars, &melasma])
            .limit("cheeks"),
        NeedleDepth::parse_mm("0.20").ok()
    );
}

#[test]
fn rosacea_gets_no_depth_proposed_and_any_depth_needs_a_reason() {
    let p = shipped_protocol();
    let proposal = p.propose_area("rosacea", "cheeks");
    assert_eq!(proposal.depth, None, "never the cheeks' typical depth");
    assert_eq!(proposal.limit, None);
    assert!(
        proposal
            .adjustments
            .iter()
            .any(|a| a.contains("No published depth for rosacea")),
        "{:?}",
        proposal.adjustments
    );
    let rosacea = concern("rosacea", "cheeks");
    let limits = p.plan_depth_limits(["cheeks"], &[&rosacea]);
    assert!(limits.reason_needed("cheeks", mm("0.10", "0.25")).is_some());
}

#[test]
fn thin_skin_body_areas_have_no_published_maximum() {
    let p = shipped_protocol();
    for area in ["neck", "decollete", "hands", "arms", "thighs_buttocks"] {
        let limits = p.plan_depth_limits([area], &[]);
        assert_eq!(limits.limit(area), None, "{area}");
        let why = limits
            .reason_needed(area, mm("0.25", "0.50"))
            .expect("needs a reason");
        assert!(why.to_string().contains("No published depth"), "{area}: {why}");
        let a = p.area(area).unwrap();
        assert!(
            a.max_depth
                .note
                .as_deref()
                .unwrap_or_default()
                .contains("not a limit"),
            "{area}"
        );
    }
}

fn screen_with(skin: SkinType, areas: &[&str]) -> needlepoint::domain::Outcome {
    let p = shipped_protocol();
    let answers = p.safe_answers();
    let planned: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
    p.screen(&ScreeningInput {
        answers: &answers,
        planned_areas: &planned,
        today: date("2026-12-05"),
        skin_type: Some(skin),
        date_of_birth: Some(date("1980-01-01")),
        clearances: &[],
    })
    .unwrap()
}

#[test]
fn the_devices_cleared_skin_types_per_area_give_a_caution() {
    let scoped =
        |o: &needlepoint::domain::Outcome| o.findings.iter().find(|f| f.rule == DEVICE_SCOPE_RULE).cloned();
    // The neck: SkinPen is cleared for types II–IV (R2).
    let v = screen_with(SkinType::V, &["neck"]);
    let f = scoped(&v).expect("a caution for type V on the neck");
    assert_eq!(f.kind, OutcomeKind::Caution);
    assert!(
        f.message.contains("II–IV") && f.message.contains("this client is V"),
        "{}",
        f.message
    );
    assert_eq!(f.sources, ["R2"]);
    assert!(
        scoped(&screen_with(SkinType::I, &["neck"])).is_some(),
        "type I is outside II–IV too"
    );
    assert!(
        scoped(&screen_with(SkinType::IV, &["neck"])).is_none(),
        "IV is inside"
    );
    // Around the eyes: Rejuvapen NXT, types I–IV (R6).
    assert!(scoped(&screen_with(SkinType::V, &["periorbital"])).is_some());
    assert!(scoped(&screen_with(SkinType::II, &["periorbital"])).is_none());
    // Not planned: no caution.
    assert!(scoped(&screen_with(SkinType::VI, &["cheeks"])).is_none());
    // The plan form shows the scope with the area.
    let proposal = shipped_protocol().propose_area("wrinkles_fine_lines", "neck");
    assert!(proposal
        .exclusions
        .iter()
        .any(|e| e.contains("II–IV") && e.contains("R2")));
}
