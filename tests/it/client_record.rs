//! The client record read in one call: the same plans, sessions, treated areas and amendments,
//! in the same order, as the per-item readers return, and nothing of another client's.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;

use crate::common::sessions::{fixture, Fixture};
use crate::common::{client, date, temp_db, TempDb};
use needlepoint::domain::{
    AreaDraft, ClientId, IntervalWindow, PlannedArea, SeriesSpec, SessionRecordDraft, SessionStatus,
    TreatmentPlan,
};
use needlepoint::store::{PlanWithSessions, Store};

const PRACTITIONER: &str = "Dr. Maya Lindqvist";

/// Screens on the session's target date, starts it and completes it with `areas` (area, depth).
fn treat(f: &mut Fixture, number: u8, areas: &[(&str, &str)]) {
    let on = f.session(number).target_on;
    let screening = f.screen_and_start(number, on, f.protocol.safe_answers());
    let session = f.session(number);
    let draft = SessionRecordDraft {
        areas: areas
            .iter()
            .map(|(area, depth)| AreaDraft {
                area: (*area).to_owned(),
                depth: (*depth).to_owned(),
                passes: "2".to_owned(),
                endpoint: "uniform erythema".to_owned(),
                ..AreaDraft::default()
            })
            .collect(),
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        practitioner: PRACTITIONER.to_owned(),
        ..SessionRecordDraft::default()
    };
    let record = f.validated_record(&draft, &session, &screening, on);
    f.try_complete(number, &record, &screening).unwrap();
}

fn amend(f: &mut Fixture, number: u8, reason: &str) {
    let session = f.session(number).id;
    let client = f.client.id;
    f.store
        .write(crate::common::lead(), |w| {
            w.amend_session(
                needlepoint::domain::AmendmentId::new(),
                session,
                client,
                reason,
                "Cheeks: 3 passes, not 2.",
            )
        })
        .unwrap();
}

/// A second plan for the fixture's client, starting on `start`, over the cheeks.
fn add_plan(f: &mut Fixture, start: &str, sessions: u32) -> TreatmentPlan {
    let spec = SeriesSpec::new(date(start), sessions, IntervalWindow::default()).unwrap();
    let mut plan = TreatmentPlan::new(f.client.id, "Maintenance", spec, &f.protocol.version).unwrap();
    plan.concerns = vec![f.concern.id];
    plan.areas = vec![PlannedArea {
        area: "cheeks".to_owned(),
        depth: f.plan.areas[0].depth,
        reason: None,
    }];
    let initial = plan.initial_sessions();
    f.store
        .write("Reception", |w| {
            w.insert_plan(&plan, &initial, &crate::common::plan_limits(&plan))
        })
        .unwrap();
    plan
}

/// Two plans: the first with two done sessions (the first amended twice in the same
/// millisecond) and one still open; the second with one done, amended session and one open.
/// And another client with a plan of their own.
fn two_plans(db: &TempDb) -> (Fixture, ClientId) {
    let mut f = fixture(db, "2026-11-22", 3);
    treat(&mut f, 1, &[("cheeks", "1.00"), ("chin_jawline", "0.75")]);
    treat(&mut f, 2, &[("chin_jawline", "0.50"), ("cheeks", "0.75")]);
    amend(&mut f, 1, "Wrong passes");
    amend(&mut f, 1, "Wrong passes again");
    let first = f.plan.clone();
    f.plan = add_plan(&mut f, "2027-01-25", 2);
    treat(&mut f, 1, &[("cheeks", "0.50")]);
    amend(&mut f, 1, "Wrong endpoint");
    f.plan = first;

    let other = client("Zanele Dlamini", "1979-03-03", Some("021 555 0199"));
    let spec = SeriesSpec::new(date("2026-12-01"), 3, IntervalWindow::default()).unwrap();
    let plan = TreatmentPlan::new(other.id, "Her own series", spec, &f.protocol.version).unwrap();
    let initial = plan.initial_sessions();
    f.store
        .write("Reception", |w| {
            w.insert_client(&other)?;
            w.insert_plan(&plan, &initial, &crate::common::plan_limits(&plan))
        })
        .unwrap();
    (f, other.id)
}

/// The record's plans as the per-item readers give them.
fn plans_one_by_one(store: &Store, client: ClientId) -> Vec<PlanWithSessions> {
    store
        .plans_of(client)
        .unwrap()
        .into_iter()
        .map(|plan| {
            let sessions = store.sessions_of(plan.id).unwrap();
            let done: Vec<_> = sessions
                .iter()
                .filter(|s| s.status == SessionStatus::Done)
                .map(|s| s.id)
                .collect();
            let treated = done
                .iter()
                .map(|&s| (s, store.session_areas(s).unwrap()))
                .collect();
            let amendments: HashMap<_, _> = done
                .iter()
                .map(|&s| (s, store.session_amendments(s).unwrap()))
                .filter(|(_, a)| !a.is_empty())
                .collect();
            PlanWithSessions {
                plan,
                sessions,
                treated,
                amendments,
            }
        })
        .collect()
}

#[test]
fn the_record_holds_what_the_per_item_readers_return_in_their_order() {
    let db = temp_db();
    let (f, _) = two_plans(&db);
    let id = f.client.id;
    let record = f.store.client_record(id).unwrap().expect("the client's record");

    let expected = plans_one_by_one(&f.store, id);
    assert_eq!(record.plans, expected);
    assert_eq!(record.client, f.store.client(id).unwrap().unwrap());
    assert_eq!(record.concerns, f.store.concerns_of(id).unwrap());
    assert_eq!(record.screenings, f.store.screenings_of(id).unwrap());
    assert_eq!(record.printed, f.store.printed_for_client(id).unwrap());
    assert_eq!(
        record.history,
        f.store
            .client_history(id, needlepoint::store::HISTORY_LIMIT)
            .unwrap()
    );

    // What was compared is what the fixture made, not two empty lists.
    let titles: Vec<_> = record.plans.iter().map(|p| p.plan.title.as_str()).collect();
    assert_eq!(titles, ["Maintenance", "Acne scar series"], "newest start first");
    let numbers: Vec<Vec<u8>> = record
        .plans
        .iter()
        .map(|p| p.sessions.iter().map(|s| s.number).collect())
        .collect();
    assert_eq!(numbers, [vec![1, 2], vec![1, 2, 3]]);
    let first = &record.plans[1];
    assert_eq!(first.treated.len(), 2, "one entry per done session");
    let second_session = first.sessions[1].id;
    let areas: Vec<_> = first.treated[&second_session]
        .iter()
        .map(|a| a.area.as_str())
        .collect();
    assert_eq!(areas, ["chin_jawline", "cheeks"], "areas in the order recorded");
    let first_session = first.sessions[0].id;
    let reasons: Vec<_> = first.amendments[&first_session]
        .iter()
        .map(|a| a.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        ["Wrong passes", "Wrong passes again"],
        "amendments in the order saved"
    );
    assert!(
        !first.amendments.contains_key(&second_session),
        "no empty amendment lists"
    );
    assert_eq!(record.plans[0].amendments.len(), 1);
    assert_eq!(record.plans[0].treated.len(), 1);
}

#[test]
fn another_clients_plans_and_sessions_stay_out_of_the_record() {
    let db = temp_db();
    let (f, other) = two_plans(&db);
    let record = f.store.client_record(f.client.id).unwrap().unwrap();
    assert!(record.plans.iter().all(|p| p.plan.client_id == f.client.id));

    let theirs = f.store.client_record(other).unwrap().unwrap();
    assert_eq!(theirs.plans, plans_one_by_one(&f.store, other));
    assert_eq!(theirs.plans.len(), 1);
    assert_eq!(theirs.plans[0].sessions.len(), 3);
    assert!(theirs.plans[0].treated.is_empty() && theirs.plans[0].amendments.is_empty());
}

#[test]
fn a_client_without_plans_has_an_empty_record_and_an_unknown_id_none() {
    let db = temp_db();
    let mut store = crate::common::open(&db);
    let lone = client("Ines Duarte", "1990-05-05", None);
    store.write("Reception", |w| w.insert_client(&lone)).unwrap();
    let record = store.client_record(lone.id).unwrap().unwrap();
    assert!(record.plans.is_empty());
    assert_eq!(record.client, lone);
    assert!(store.client_record(ClientId::new()).unwrap().is_none());
}
