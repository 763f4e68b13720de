//! The treatment-room rules on their own (pure domain + protocol): pen steps and range, area
//! limits and reasons, excluded areas, lots, discouraged serums, the minimum interval, and
//! reusing the previous session's settings.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::NaiveDate;
use std::collections::BTreeMap;

use needlepoint::domain::session_record::{field, pen_depth, reuse_previous, validate_record};
use needlepoint::domain::{
    AreaDraft, AreaRule, DomainError, IntervalWindow, NeedleDepth, Product, ProductKind, RecordErrors,
    RecordRules, SessionArea, SessionId, SessionRecord, SessionRecordDraft,
};
use needlepoint::protocol::Protocol;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn mm(h: u16) -> NeedleDepth {
    NeedleDepth::from_hundredths(h).unwrap()
}

struct World {
    session: SessionId,
    areas: Vec<AreaRule>,
    products: Vec<Product>,
    discouraged: BTreeMap<String, String>,
    interval: Option<(NaiveDate, IntervalWindow)>,
}

fn product(
    kind: ProductKind,
    name: &str,
    serum: Option<&str>,
    lot: &str,
    expires: &str,
    sterile: bool,
) -> Product {
    Product::new(kind, name, serum, lot, date(expires), sterile).unwrap()
}

fn world() -> World {
    World {
        session: SessionId::new(),
        areas: vec![
            AreaRule {
                area: "cheeks".to_owned(),
                limit: Some(mm(150)),
                excluded: None,
            },
            AreaRule {
                area: "chin_jawline".to_owned(),
                limit: Some(mm(150)),
                excluded: Some("today's screening excludes it (open wound).".to_owned()),
            },
            AreaRule {
                area: "forehead".to_owned(),
                limit: Some(mm(50)),
                excluded: None,
            },
        ],
        products: vec![
            product(
                ProductKind::Serum,
                "HA gel",
                Some("ha_gel"),
                "HA-1",
                "2027-01-31",
                true,
            ),
            product(
                ProductKind::Serum,
                "Vitamin C",
                Some("vitamin_c"),
                "VC-1",
                "2027-01-31",
                true,
            ),
            product(
                ProductKind::Serum,
                "Home serum",
                None,
                "HS-1",
                "2027-01-31",
                false,
            ),
            product(
                ProductKind::Serum,
                "Old HA gel",
                Some("ha_gel"),
                "HA-0",
                "2026-11-21",
                true,
            ),
            product(
                ProductKind::NeedleCartridge,
                "12-pin",
                None,
                "CT-1",
                "2028-01-31",
                true,
            ),
            product(
                ProductKind::NumbingCream,
                "Lidocaine",
                None,
                "LC-1",
                "2027-01-31",
                true,
            ),
        ],
        discouraged: Protocol::shipped().unwrap().discouraged_serums(),
        interval: None,
    }
}

impl World {
    fn lot(&self, lot: &str) -> needlepoint::domain::ProductId {
        self.products.iter().find(|p| p.lot_number == lot).unwrap().id
    }
    fn check(&self, d: &SessionRecordDraft) -> Result<SessionRecord, RecordErrors> {
        validate_record(
            d,
            &RecordRules {
                today: date("2026-11-22"),
                session_id: self.session,
                areas: &self.areas,
                products: &self.products,
                discouraged_serums: &self.discouraged,
                interval: self.interval,
            },
        )
    }
}

fn area(name: &str, depth: &str, passes: &str) -> AreaDraft {
    AreaDraft {
        area: name.to_owned(),
        depth: depth.to_owned(),
        passes: passes.to_owned(),
        ..AreaDraft::default()
    }
}

fn draft(w: &World, areas: Vec<AreaDraft>) -> SessionRecordDraft {
    SessionRecordDraft {
        areas,
        serum: Some(w.lot("HA-1")),
        cartridge: Some(w.lot("CT-1")),
        practitioner: "Dr. Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    }
}

#[test]
fn depths_follow_the_pens_steps_and_range() {
    assert_eq!(pen_depth("0.10").unwrap(), mm(10));
    assert_eq!(pen_depth("1,25").unwrap(), mm(125));
    assert_eq!(pen_depth("2.50").unwrap(), mm(250));
    let step = pen_depth("1.23").unwrap_err();
    assert_eq!(
        step.to_string(),
        "The pen sets depth in 0.05 mm steps, so 1.23 mm cannot be set. Use 1.20 mm or 1.25 mm."
    );
    assert!(matches!(
        pen_depth("2.55"),
        Err(DomainError::DepthOutOfPenRange { .. })
    ));
    assert!(matches!(
        pen_depth("0.05"),
        Err(DomainError::DepthOutOfPenRange { .. })
    ));
    assert!(matches!(
        pen_depth("deep"),
        Err(DomainError::DepthNotReadable { .. })
    ));
}

#[test]
fn a_depth_above_the_areas_limit_needs_a_written_reason() {
    let w = world();
    let errors = w
        .check(&draft(&w, vec![area("forehead", "0.75", "2")]))
        .unwrap_err();
    let e = errors.for_area(0, field::DEPTH_REASON).unwrap();
    assert_eq!(
        e.to_string(),
        "0.75 mm is deeper than this area's limit of 0.50 mm. Write the reason for going deeper, or lower the depth."
    );
    let mut with_reason = area("forehead", "0.75", "2");
    with_reason.depth_reason = "Deep horizontal lines, physician's order".to_owned();
    let rec = w.check(&draft(&w, vec![with_reason])).unwrap();
    assert_eq!(
        rec.areas[0].depth_reason.as_deref(),
        Some("Deep horizontal lines, physician's order")
    );
}

#[test]
fn at_or_below_the_limit_no_reason_is_needed_and_none_is_kept() {
    let w = world();
    let mut row = area("forehead", "0.50", "2");
    row.depth_reason = "not needed".to_owned();
    let rec = w.check(&draft(&w, vec![row])).unwrap();
    assert_eq!(rec.areas[0].depth, mm(50));
    assert_eq!(rec.areas[0].depth_reason, None);
}

#[test]
fn an_area_excluded_today_cannot_be_recorded_but_can_be_left_out() {
    let w = world();
    let errors = w
        .check(&draft(
            &w,
            vec![area("cheeks", "1.00", "2"), area("chin_jawline", "1.00", "2")],
        ))
        .unwrap_err();
    let e = errors.for_area(1, field::DEPTH).unwrap();
    assert!(e.to_string().contains("cannot be treated today"), "{e}");
    let rec = w
        .check(&draft(
            &w,
            vec![area("cheeks", "1.00", "2"), area("chin_jawline", "", "")],
        ))
        .unwrap();
    assert_eq!(rec.areas.len(), 1);
    assert_eq!(rec.areas[0].area, "cheeks");
}

#[test]
fn an_area_outside_the_plan_is_refused() {
    let w = world();
    let errors = w.check(&draft(&w, vec![area("scalp", "1.00", "2")])).unwrap_err();
    assert!(matches!(
        errors.for_area(0, field::AREA),
        Some(DomainError::AreaNotPlanned { .. })
    ));
}

#[test]
fn every_problem_is_reported_at_once_next_to_its_field() {
    let w = world();
    let mut d = draft(
        &w,
        vec![area("cheeks", "1.23", "many"), area("forehead", "3.00", "0")],
    );
    d.cartridge = None;
    d.practitioner = "  ".to_owned();
    let errors = w.check(&d).unwrap_err();
    assert!(matches!(
        errors.for_area(0, field::DEPTH),
        Some(DomainError::DepthNotPenStep { .. })
    ));
    assert!(matches!(
        errors.for_area(0, field::PASSES),
        Some(DomainError::PassesNotReadable { .. })
    ));
    assert!(matches!(
        errors.for_area(1, field::DEPTH),
        Some(DomainError::DepthOutOfPenRange { .. })
    ));
    assert!(matches!(
        errors.for_field(field::CARTRIDGE),
        Some(DomainError::Missing { .. })
    ));
    assert!(matches!(
        errors.for_field(field::PRACTITIONER),
        Some(DomainError::Missing { .. })
    ));
}

#[test]
fn passes_are_bounded() {
    let w = world();
    let errors = w
        .check(&draft(&w, vec![area("cheeks", "1.00", "11")]))
        .unwrap_err();
    assert!(matches!(
        errors.for_area(0, field::PASSES),
        Some(DomainError::PassesOutOfRange { entered: 11, .. })
    ));
}

#[test]
fn a_session_with_no_area_is_refused() {
    let w = world();
    let errors = w.check(&draft(&w, vec![area("cheeks", "", "")])).unwrap_err();
    assert_eq!(errors.for_field(field::AREAS), Some(&DomainError::NoAreaTreated));
}

#[test]
fn an_expired_lot_is_refused_on_the_day_after_its_expiry() {
    let w = world();
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    d.serum = Some(w.lot("HA-0"));
    let errors = w.check(&d).unwrap_err();
    assert_eq!(
        errors.for_field(field::SERUM).unwrap().to_string(),
        "The lot HA-0 expired on 2026-11-21. Use an unexpired lot."
    );
}

#[test]
fn a_deactivated_lot_and_a_product_of_the_wrong_kind_are_refused() {
    let mut w = world();
    w.products[4].active = false;
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    d.numbing = Some(w.lot("HA-1"));
    let errors = w.check(&d).unwrap_err();
    assert!(matches!(
        errors.for_field(field::CARTRIDGE),
        Some(DomainError::ProductInactive { .. })
    ));
    assert!(matches!(
        errors.for_field(field::NUMBING),
        Some(DomainError::WrongProductKind { .. })
    ));
}

#[test]
fn a_discouraged_serum_warns_with_its_source_and_needs_a_reason() {
    let w = world();
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    d.serum = Some(w.lot("VC-1"));
    let errors = w.check(&d).unwrap_err();
    let e = errors.for_field(field::SERUM_REASON).unwrap().to_string();
    assert!(e.starts_with("This serum is discouraged:"), "{e}");
    assert!(e.contains("sources"), "the warning names its sources: {e}");
    d.serum_reason = "Physician-prescribed sterile ampoule".to_owned();
    let rec = w.check(&d).unwrap();
    assert_eq!(
        rec.serum_reason.as_deref(),
        Some("Physician-prescribed sterile ampoule")
    );
}

#[test]
fn a_product_not_sterile_for_needling_needs_a_reason() {
    let w = world();
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    d.serum = Some(w.lot("HS-1"));
    let errors = w.check(&d).unwrap_err();
    assert!(errors
        .for_field(field::SERUM_REASON)
        .unwrap()
        .to_string()
        .contains("not marked sterile"));
}

#[test]
fn a_suitable_serum_needs_no_reason_and_keeps_none() {
    let w = world();
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    d.serum_reason = "typed by mistake".to_owned();
    let rec = w.check(&d).unwrap();
    assert_eq!(rec.serum_reason, None);
    assert_eq!(rec.performed_on, date("2026-11-22"));
}

#[test]
fn sooner_than_the_minimum_interval_needs_a_reason() {
    let mut w = world();
    w.interval = Some((date("2026-11-01"), IntervalWindow::default()));
    let mut d = draft(&w, vec![area("cheeks", "1.00", "2")]);
    let errors = w.check(&d).unwrap_err();
    assert!(matches!(
        errors.for_field(field::INTERVAL_REASON),
        Some(DomainError::IntervalTooShort { days: 21, .. })
    ));
    d.interval_reason = "Wedding on 2026-12-05".to_owned();
    let rec = w.check(&d).unwrap();
    assert_eq!(
        rec.interval_override_reason.as_deref(),
        Some("Wedding on 2026-12-05")
    );
    // Inside the window no reason is asked for or kept.
    w.interval = Some((date("2026-10-20"), IntervalWindow::default()));
    assert_eq!(w.check(&d).unwrap().interval_override_reason, None);
}

#[test]
fn reusing_the_previous_session_copies_depth_passes_and_endpoint_but_not_the_response() {
    let session = SessionId::new();
    let mut cheeks = SessionArea::new(session, "cheeks", mm(125), 3).unwrap();
    cheeks.endpoint = Some("pinpoint bleeding".to_owned());
    cheeks.response = Some("mild swelling".to_owned());
    let rows = reuse_previous(&[cheeks], &["cheeks".to_owned(), "forehead".to_owned()]);
    assert_eq!(rows[0].depth, "1.25");
    assert_eq!(rows[0].passes, "3");
    assert_eq!(rows[0].endpoint, "pinpoint bleeding");
    assert_eq!(rows[0].response, "");
    assert_eq!(rows[1].depth, "", "an area not done last time stays blank");
}

#[test]
fn serums_are_ranked_by_the_plans_concerns_with_discouraged_ones_last() {
    let protocol = Protocol::shipped().unwrap();
    let client = needlepoint::domain::ClientId::new();
    let concern = |id: &str, area: &str| needlepoint::domain::ClientConcern {
        id: needlepoint::domain::ConcernId::new(),
        client_id: client,
        concern: id.to_owned(),
        area: area.to_owned(),
        severity: needlepoint::domain::Severity::Moderate,
        noted_on: date("2026-11-01"),
        resolved_on: None,
        notes: String::new(),
    };
    let scars = concern("acne_scars_rolling", "cheeks");
    let pores = concern("enlarged_pores", "cheeks");
    let ranked = protocol.ranked_serums(&[&scars, &pores]);
    assert_eq!(ranked[0].serum, "ha_gel", "suits both concerns: {ranked:?}");
    assert_eq!(ranked[0].for_concerns.len(), 2);
    assert!(!ranked[0].basis.sources.is_empty());
    let first_discouraged = ranked.iter().position(|s| s.discouraged);
    if let Some(i) = first_discouraged {
        assert!(ranked[i..].iter().all(|s| s.discouraged));
    }
}
