//! A plan's depths: deeper than an area's published limit, or any depth where no limit is
//! published, needs a written reason. The rule is the domain's, the limits the protocol's, and
//! the store refuses a plan that breaks it whoever calls it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, date, open, plan_limits, shipped_protocol, temp_db};
use needlepoint::domain::plan_rules::field;
use needlepoint::domain::{
    AreaDepthLimit, ClientId, DepthRange, DomainError, IntervalWindow, NeedleDepth, PlanDepthLimits,
    PlannedArea, SeriesSpec, TreatmentPlan,
};
use needlepoint::store::{Store, StoreError};

fn range(min: &str, max: &str) -> DepthRange {
    DepthRange::new(
        NeedleDepth::parse_mm(min).unwrap(),
        NeedleDepth::parse_mm(max).unwrap(),
    )
    .unwrap()
}

fn area(id: &str, depth: DepthRange, reason: Option<&str>) -> PlannedArea {
    PlannedArea {
        area: id.to_owned(),
        depth,
        reason: reason.map(str::to_owned),
    }
}

fn plan(client: ClientId, areas: Vec<PlannedArea>) -> TreatmentPlan {
    let spec = SeriesSpec::new(date("2026-11-22"), 3, IntervalWindow::default()).unwrap();
    let mut plan = TreatmentPlan::new(client, "Fine lines series", spec, "2026.11-1").unwrap();
    plan.areas = areas;
    plan
}

/// Saves a client and tries to save `plan` for them with `limits`.
fn save(
    store: &mut Store,
    areas: Vec<PlannedArea>,
    limits: Option<PlanDepthLimits>,
) -> Result<TreatmentPlan, StoreError> {
    let c = client("Mei Chen", "1985-06-01", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    let plan = plan(c.id, areas);
    let limits = limits.unwrap_or_else(|| plan_limits(&plan));
    store
        .write(crate::common::lead(), |w| {
            w.insert_plan(&plan, &plan.initial_sessions(), &limits)
        })
        .map(|()| plan)
}

#[test]
fn the_protocol_gives_each_planned_area_the_limit_the_plan_form_shows() {
    let protocol = shipped_protocol();
    let wrinkles = |area: &str| needlepoint::domain::ClientConcern {
        id: needlepoint::domain::ConcernId::new(),
        client_id: needlepoint::domain::ClientId::new(),
        concern: "wrinkles_fine_lines".to_owned(),
        area: area.to_owned(),
        severity: needlepoint::domain::Severity::Moderate,
        noted_on: date("2026-11-22"),
        resolved_on: None,
        notes: String::new(),
    };
    let (forehead, cheeks) = (wrinkles("forehead"), wrinkles("cheeks"));
    let limits = protocol.plan_depth_limits(["forehead", "cheeks", "no_such_area"], &[&forehead, &cheeks]);
    for id in ["forehead", "cheeks"] {
        let proposal = protocol.propose_area("wrinkles_fine_lines", id);
        assert_eq!(limits.limit(id), proposal.limit, "{id}");
    }
    assert_eq!(limits.limit("forehead"), NeedleDepth::parse_mm("0.50").ok());
    // The cheeks allow 1.50 mm, wrinkles 1.00 mm: the lower one is the limit.
    assert_eq!(limits.limit("cheeks"), NeedleDepth::parse_mm("1.00").ok());
    assert_eq!(
        limits.limit("no_such_area"),
        None,
        "an unknown area has no published limit"
    );
}

#[test]
fn the_rule_words_each_problem_as_the_plan_form_does() {
    let limits = PlanDepthLimits::new(vec![
        AreaDepthLimit {
            area: "forehead".to_owned(),
            limit: NeedleDepth::parse_mm("0.50").ok(),
        },
        AreaDepthLimit {
            area: "neck".to_owned(),
            limit: None,
        },
    ]);
    let deep = limits.reason_needed("forehead", range("0.50", "1.00")).unwrap();
    assert_eq!(
        deep.to_string(),
        "1.00 mm is deeper than this area's 0.50 mm maximum: write the reason below."
    );
    assert_eq!(
        limits.reason_needed("forehead", range("0.25", "0.50")),
        None,
        "at the limit is fine"
    );
    let unpublished = limits.reason_needed("neck", range("0.10", "0.20")).unwrap();
    assert_eq!(
        unpublished.to_string(),
        "No published depth for this area: write the reason for the depth below."
    );
    assert!(
        limits
            .reason_needed("not_listed", range("0.10", "0.20"))
            .is_some(),
        "an area the limits do not list needs a reason"
    );

    // Every problem at once.
    let errors = limits
        .check(&[
            area("forehead", range("0.50", "1.00"), None),
            area("neck", range("0.50", "1.00"), Some("   ")),
            area("forehead", range("0.50", "1.00"), Some(&"x".repeat(1001))),
        ])
        .unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors:?}");
    assert!(matches!(
        &errors.0[0].error,
        DomainError::PlanDepthAboveLimit { area, .. } if area == "forehead"
    ));
    assert!(matches!(
        &errors.0[1].error,
        DomainError::PlanDepthUnpublished { area } if area == "neck"
    ));
    assert_eq!(errors.0[2].field, field::REASON);
    assert!(matches!(
        errors.0[2].error,
        DomainError::TooLong { max: 1000, .. }
    ));
    assert_eq!(
        limits.check(&[area(
            "forehead",
            range("0.50", "1.00"),
            Some("Deep lines, discussed")
        )]),
        Ok(())
    );
}

#[test]
fn the_store_refuses_a_plan_deeper_than_the_area_allows_without_a_reason() {
    let db = temp_db();
    let mut store = open(&db);
    let e = save(
        &mut store,
        vec![area("forehead", range("0.50", "1.00"), None)],
        None,
    )
    .unwrap_err();
    let message = e.to_string();
    assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
    assert!(
        message.contains("1.00 mm in the area \"forehead\" is deeper than its 0.50 mm maximum"),
        "{message}"
    );
    assert!(store
        .check()
        .unwrap()
        .row_counts
        .contains(&("treatment_plans".to_owned(), 0)));
    // Nothing of the refused action was kept: not the plan, not its sessions.
    assert!(store
        .check()
        .unwrap()
        .row_counts
        .contains(&("sessions".to_owned(), 0)));

    let saved = save(
        &mut store,
        vec![area(
            "forehead",
            range("0.50", "1.00"),
            Some("Deep static lines; discussed with the client"),
        )],
        None,
    )
    .unwrap();
    let stored = store.plan(saved.id).unwrap().unwrap();
    assert_eq!(
        stored.areas[0].reason.as_deref(),
        Some("Deep static lines; discussed with the client")
    );
    // Within the limit, no reason is needed.
    save(
        &mut store,
        vec![area("cheeks", range("0.50", "1.50"), None)],
        None,
    )
    .unwrap();
}

#[test]
fn an_area_without_a_published_limit_needs_a_reason_for_any_depth() {
    let db = temp_db();
    let mut store = open(&db);
    let unpublished = || {
        Some(PlanDepthLimits::new(vec![AreaDepthLimit {
            area: "neck".to_owned(),
            limit: None,
        }]))
    };
    let e = save(
        &mut store,
        vec![area("neck", range("0.10", "0.20"), None)],
        unpublished(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("The area \"neck\" has no published depth"),
        "{e}"
    );
    save(
        &mut store,
        vec![area(
            "neck",
            range("0.10", "0.20"),
            Some("Clinic's own convention for necks"),
        )],
        unpublished(),
    )
    .unwrap();
    // An area the protocol does not know has no published limit either.
    assert!(save(
        &mut store,
        vec![area("earlobes", range("0.10", "0.20"), None)],
        None
    )
    .is_err());
}
