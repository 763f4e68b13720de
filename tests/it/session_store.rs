//! Completing a session through the store: the gate, lots, exclusions, signing, amendments,
//! rescheduling of the rest of the series, and the lot recall.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::{fixture, wound_on_chin, Fixture};
use crate::common::{date, open, temp_db};
use needlepoint::domain::session_record::validate_record;
use needlepoint::domain::{
    recall_csv, AreaDraft, PlanStatus, RecordRules, Screening, SessionRecord, SessionRecordDraft,
    SessionStatus,
};
use needlepoint::store::StoreError;

fn draft(f: &Fixture, cheeks: &str, chin: &str) -> SessionRecordDraft {
    SessionRecordDraft {
        areas: vec![
            AreaDraft {
                area: "cheeks".to_owned(),
                depth: cheeks.to_owned(),
                passes: "2".to_owned(),
                endpoint: "pinpoint bleeding".to_owned(),
                response: "even erythema".to_owned(),
                depth_reason: String::new(),
            },
            AreaDraft {
                area: "chin_jawline".to_owned(),
                depth: chin.to_owned(),
                passes: "2".to_owned(),
                ..AreaDraft::default()
            },
        ],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        numbing: Some(f.numbing.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        notes: "Tolerated well.".to_owned(),
        ..SessionRecordDraft::default()
    }
}

/// Validates a draft with the same rules the form uses.
fn record(
    f: &Fixture,
    number: u8,
    screening: &Screening,
    today: &str,
    d: &SessionRecordDraft,
) -> SessionRecord {
    let session = f.sessions().into_iter().find(|s| s.number == number).unwrap();
    let rules = f.protocol.area_rules(&f.plan, screening, &[&f.concern]);
    let products = f.store.products(true).unwrap();
    let discouraged = f.protocol.discouraged_serums();
    let previous = f.sessions().iter().filter_map(|s| s.performed_on).max();
    validate_record(
        d,
        &RecordRules {
            today: date(today),
            session_id: session.id,
            areas: &rules,
            products: &products,
            discouraged_serums: &discouraged,
            interval: previous.map(|p| (p, f.plan.series.window)),
        },
    )
    .unwrap()
}

fn complete(f: &mut Fixture, number: u8, today: &str) -> needlepoint::store::Completion {
    complete_with(f, number, today, "")
}

fn complete_with(
    f: &mut Fixture,
    number: u8,
    today: &str,
    interval_reason: &str,
) -> needlepoint::store::Completion {
    let screening = f.screen_and_start(number, date(today), f.protocol.safe_answers());
    let mut d = draft(f, "1.00", "0.75");
    d.interval_reason = interval_reason.to_owned();
    let rec = record(f, number, &screening, today, &d);
    let session = f.sessions().into_iter().find(|s| s.number == number).unwrap();
    f.try_complete(session.number, &rec, &screening).unwrap()
}

#[test]
fn a_completed_session_survives_a_restart_unchanged_and_signed() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let completion = complete(&mut f, 1, "2026-11-22");
    let next = completion.next.expect("a next session");
    assert_eq!(next.number, 2);
    assert_eq!(
        next.earliest_on,
        date("2026-12-20"),
        "28 days after the actual date"
    );

    let (plan_id, ha, cart, numbing) = (f.plan.id, f.ha_gel.id, f.cartridge.id, f.numbing.id);
    drop(f);
    let store = open(&db);
    let s = &store.sessions_of(plan_id).unwrap()[0];
    assert_eq!(s.status, SessionStatus::Done);
    assert_eq!(s.performed_on, Some(date("2026-11-22")));
    assert_eq!(s.signed_by.as_deref(), Some("Dr. Maya Lindqvist"));
    assert!(s.signed_at.is_some());
    assert_eq!(s.serum_product_id, Some(ha));
    assert_eq!(s.cartridge_product_id, Some(cart));
    assert_eq!(s.numbing_product_id, Some(numbing));
    let areas = store.session_areas(s.id).unwrap();
    let shown: Vec<String> = areas
        .iter()
        .map(|a| format!("{} {} x{} {:?}", a.area, a.depth, a.passes, a.endpoint))
        .collect();
    assert_eq!(
        shown,
        vec![
            "cheeks 1.00 mm x2 Some(\"pinpoint bleeding\")",
            "chin_jawline 0.75 mm x2 None"
        ]
    );
}

#[test]
fn a_signed_session_cannot_be_altered_even_with_raw_sql() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    let s = f.sessions()[0].clone();
    for sql in [
        format!("UPDATE sessions SET notes = 'changed' WHERE id = '{}'", s.id),
        format!("DELETE FROM sessions WHERE id = '{}'", s.id),
        format!(
            "UPDATE session_areas SET depth_hundredths = 250 WHERE session_id = '{}'",
            s.id
        ),
        format!("DELETE FROM session_areas WHERE session_id = '{}'", s.id),
    ] {
        let err = f.store.execute_raw(&sql).expect_err(&sql);
        assert!(err.to_string().contains("signed session"), "{sql}: {err}");
    }
    assert_eq!(f.sessions()[0], s);
}

#[test]
fn a_correction_is_a_signed_amendment_beside_the_unchanged_session() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    let s = f.sessions()[0].clone();
    let client = f.client.id;
    let amendment = needlepoint::domain::AmendmentId::new();
    let sign = |f: &mut crate::common::sessions::Fixture| {
        f.store.write(crate::common::lead(), |w| {
            w.amend_session(
                amendment,
                s.id,
                client,
                "Wrong passes on the chin",
                "Chin: 3 passes, not 2.",
            )
        })
    };
    let id = sign(&mut f).unwrap();
    // Signed again (the first answer lost on the way back): refused as saved, not kept twice.
    let again = sign(&mut f).unwrap_err();
    assert!(matches!(again, StoreError::AlreadySaved { .. }), "{again}");
    assert!(
        again.to_string().contains("amendment was saved already"),
        "{again}"
    );
    let amendments = f.store.session_amendments(s.id).unwrap();
    assert_eq!(amendments.len(), 1);
    assert_eq!(amendments[0].reason, "Wrong passes on the chin");
    assert_eq!(f.sessions()[0], s, "the signed session itself is unchanged");
    let err = f
        .store
        .execute_raw(&format!(
            "UPDATE session_amendments SET reason = 'x' WHERE id = '{id}'"
        ))
        .unwrap_err();
    assert!(err.to_string().contains("cannot be changed"), "{err}");
    let audit = f.store.audit_for_record(&id).unwrap();
    assert_eq!(audit.len(), 1);

    // An unsigned session is corrected by editing it, not by an amendment.
    let open_session = f.sessions()[1].clone();
    let refused = f.store.write(crate::common::lead(), |w| {
        w.amend_session(
            needlepoint::domain::AmendmentId::new(),
            open_session.id,
            client,
            "x",
            "y",
        )
    });
    assert!(refused.is_err());
}

#[test]
fn a_session_cannot_be_recorded_without_being_started_after_todays_screening() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    // Screened and started on an earlier day: today's record is refused.
    let old = f.screen_and_start(1, date("2026-11-21"), f.protocol.safe_answers());
    let rec = record(&f, 1, &old, "2026-11-22", &draft(&f, "1.00", "0.75"));
    let session = f.sessions()[0].clone();
    let err = f.try_complete(session.number, &rec, &old).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    assert_eq!(f.sessions()[0].status, SessionStatus::Planned, "nothing saved");
    assert!(f.store.session_areas(session.id).unwrap().is_empty());
}

#[test]
fn an_area_the_screening_excludes_is_refused_by_the_store_too() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let screening = f.screen_and_start(1, date("2026-11-22"), wound_on_chin(&f.protocol));
    assert_eq!(screening.outcome.excluded_areas, vec!["chin_jawline".to_owned()]);
    // The form's rules refuse it...
    let rules = f.protocol.area_rules(&f.plan, &screening, &[&f.concern]);
    let chin = rules.iter().find(|r| r.area == "chin_jawline").unwrap();
    assert!(
        chin.excluded.as_deref().unwrap().contains("screening"),
        "{chin:?}"
    );
    // ...and a record that skipped the form is refused by the store.
    let mut rec = record(&f, 1, &screening, "2026-11-22", &draft(&f, "1.00", ""));
    let mut chin_area = rec.areas[0].clone();
    chin_area.id = needlepoint::domain::SessionAreaId::new();
    chin_area.area = "chin_jawline".to_owned();
    rec.areas.push(chin_area);
    let session = f.sessions()[0].clone();
    let err = f.try_complete(session.number, &rec, &screening).unwrap_err();
    assert!(err.to_string().contains("excludes the area"), "{err}");
    // Cheeks alone are fine.
    let rec = record(&f, 1, &screening, "2026-11-22", &draft(&f, "1.00", ""));
    f.try_complete(session.number, &rec, &screening).unwrap();
    assert_eq!(f.store.session_areas(session.id).unwrap().len(), 1);
}

#[test]
fn an_expired_lot_is_refused_by_the_store() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let screening = f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let mut rec = record(&f, 1, &screening, "2026-11-22", &draft(&f, "1.00", "0.75"));
    rec.serum_product_id = Some(f.expired_serum.id);
    let session = f.sessions()[0].clone();
    let err = f.try_complete(session.number, &rec, &screening).unwrap_err();
    assert!(err.to_string().contains("HA-OLD expired on 2026-10-31"), "{err}");
    assert_eq!(f.sessions()[0].status, SessionStatus::Planned);
}

#[test]
fn an_early_second_session_with_a_reason_pulls_the_third_window_forward() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    let before = f.sessions()[2].clone();
    // Day 23 after the first, before the 28-day minimum: allowed with a written reason.
    let c = complete_with(&mut f, 2, "2026-12-15", "Client travels abroad for two months");
    assert_eq!(
        f.sessions()[1].interval_override_reason.as_deref(),
        Some("Client travels abroad for two months")
    );
    let third = c.next.expect("third session");
    assert_eq!(third.number, 3);
    assert_eq!(third.earliest_on, date("2027-01-12"), "28 days after 2026-12-15");
    assert_eq!(third.latest_on, date("2027-01-26"), "42 days after 2026-12-15");
    assert!(third.target_on < before.target_on, "{third:?} vs {before:?}");
    assert_eq!(f.sessions()[2], third, "the move is saved");
}

#[test]
fn an_early_session_without_a_reason_is_refused_by_the_store() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    let screening = f.screen_and_start(2, date("2026-12-15"), f.protocol.safe_answers());
    let mut rec = record(&f, 2, &screening, "2026-12-15", &{
        let mut d = draft(&f, "1.00", "0.75");
        d.interval_reason = "travel".to_owned();
        d
    });
    rec.interval_override_reason = None;
    let session = f.sessions()[1].clone();
    let err = f.try_complete(session.number, &rec, &screening).unwrap_err();
    assert!(err.to_string().contains("at least 28"), "{err}");
}

#[test]
fn a_late_second_session_pushes_the_third_window_back_and_flags_its_booking() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    // Book session 3 inside its current window, then do session 2 late.
    let mut third = f.sessions()[2].clone();
    third.status = SessionStatus::Booked;
    third.booked_on = Some(third.target_on);
    let client = f.client.id;
    f.store
        .write("Reception", |w| w.update_session(&third, client))
        .unwrap();
    let c = complete(&mut f, 2, "2027-01-20");
    let moved = c.next.expect("third session");
    assert_eq!(moved.earliest_on, date("2027-02-17"));
    assert_eq!(moved.latest_on, date("2027-03-03"));
    assert_eq!(
        c.booked_outside_window,
        vec![3],
        "the old booking is now too early"
    );
}

#[test]
fn the_last_session_completes_the_series() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 1);
    let c = complete(&mut f, 1, "2026-11-22");
    assert!(c.series_complete);
    assert!(c.next.is_none());
    let plan = f.store.plan(f.plan.id).unwrap().unwrap();
    assert_eq!(plan.status, PlanStatus::Completed);
}

#[test]
fn the_recall_finds_every_client_of_a_lot_in_a_demo_database() {
    let db = temp_db();
    let mut store = open(&db);
    let protocol = needlepoint::protocol::Protocol::shipped().unwrap();
    needlepoint::demo::generate(&mut store, &protocol, 60, date("2026-11-22"), 7, |_, _| {}).unwrap();
    let products = store.products(true).unwrap();
    let mut total = 0;
    for p in &products {
        // Brute force: every done session of every client that used this product.
        let mut expected = Vec::new();
        for c in store.client_page(0, 1000, true).unwrap() {
            for plan in store.plans_of(c.id).unwrap() {
                for s in store.sessions_of(plan.id).unwrap() {
                    let used = [s.serum_product_id, s.cartridge_product_id, s.numbing_product_id];
                    if s.status == SessionStatus::Done && used.contains(&Some(p.id)) {
                        expected.push(s.id);
                    }
                }
            }
        }
        let mut found: Vec<_> = store
            .recall_by_lot(&format!("  {}  ", p.lot_number.to_lowercase()))
            .unwrap()
            .into_iter()
            .filter(|r| r.product_name == p.name)
            .map(|r| r.session_id)
            .collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "lot {}", p.lot_number);
        total += found.len();
    }
    assert!(total > 0, "the demo has done sessions with lots");
}

#[test]
fn the_recall_csv_quotes_cells_and_defuses_formulas() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    complete(&mut f, 1, "2026-11-22");
    let mut rows = f.store.recall_by_lot("HA-2611").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].client_name, "Amara Okafor");
    rows[0].client_name = "=HYPERLINK(\"x\"), Jr".to_owned();
    let csv = recall_csv(&rows);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("client,phone,email,date,session,product,kind,lot")
    );
    let line = lines.next().unwrap();
    assert!(
        line.starts_with("\"'=HYPERLINK(\"\"x\"\"), Jr\",0400 222 333,"),
        "{line}"
    );
    assert!(
        line.ends_with(",2026-11-22,1,Sterile HA gel,Serum,HA-2611"),
        "{line}"
    );
}
