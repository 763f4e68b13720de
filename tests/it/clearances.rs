//! Written clearances end to end (issue 15, point 1; review B2): a clearance on the client's
//! file lets a "needs clearance" finding go ahead while it is in force, and not before or after;
//! the form refuses what cannot be relied on; the file keeps it unchanged; `needlepoint screen
//! --client` uses it.

use crate::common::{date, file_only, open, temp_db};
use needlepoint::domain::clearance::field;
use needlepoint::domain::{Answer, Clearance, ClearanceDraft, OutcomeKind};
use needlepoint::protocol::screening::ScreeningInput;
use needlepoint::protocol::Protocol;

fn on_blood_thinners() -> needlepoint::domain::Answers {
    let p = Protocol::shipped().unwrap();
    let mut answers = p.safe_answers();
    let mut a = Answer::yes();
    a.conditions = vec!["anticoagulants".to_owned()];
    a.details.insert("medicines".to_owned(), "apixaban".to_owned());
    answers.insert("bleeding".to_owned(), a);
    answers
}

fn letter(given: &str, until: &str) -> Clearance {
    Clearance {
        rule: "anticoagulants".to_owned(),
        given_by: "Dr Amara Obi".to_owned(),
        given_on: date(given),
        role: Some("GP".to_owned()),
        expires_on: Some(date(until)),
    }
}

fn screen_on(today: &str, clearances: &[Clearance]) -> needlepoint::domain::Outcome {
    let p = Protocol::shipped().unwrap();
    let answers = on_blood_thinners();
    p.screen(&ScreeningInput {
        answers: &answers,
        planned_areas: &["cheeks".to_owned()],
        today: date(today),
        skin_type: None,
        date_of_birth: Some(date("1980-01-01")),
        clearances,
    })
    .unwrap()
}

#[test]
fn a_clearance_in_force_lets_the_visit_go_ahead_and_not_a_day_after_it_ends() {
    assert_eq!(screen_on("2026-12-04", &[]).kind, OutcomeKind::NeedsClearance);
    let on_file = [letter("2026-11-01", "2027-05-01")];
    let cleared = screen_on("2026-12-04", &on_file);
    assert_eq!(cleared.kind, OutcomeKind::Caution);
    assert!(cleared.findings[0]
        .message
        .contains("cleared by Dr Amara Obi (GP) on 2026-11-01, until 2027-05-01"));
    // The last day it holds, then the day after.
    assert_eq!(screen_on("2027-05-01", &on_file).kind, OutcomeKind::Caution);
    let expired = screen_on("2027-05-02", &on_file);
    assert_eq!(expired.kind, OutcomeKind::NeedsClearance);
    assert!(expired.findings[0].message.contains("ended on 2027-05-01"));
    // Dated after the screening: not yet.
    assert_eq!(
        screen_on("2026-10-31", &on_file).kind,
        OutcomeKind::NeedsClearance
    );
    // A newer clearance in force wins over an expired one.
    let both = [
        letter("2026-01-01", "2026-06-01"),
        letter("2026-11-01", "2027-05-01"),
    ];
    assert_eq!(screen_on("2026-12-04", &both).kind, OutcomeKind::Caution);
    // A clearance for another rule does not count.
    let other = [Clearance {
        rule: "cardiac_pacemaker".to_owned(),
        ..letter("2026-11-01", "2027-05-01")
    }];
    assert_eq!(screen_on("2026-12-04", &other).kind, OutcomeKind::NeedsClearance);
}

#[test]
fn the_form_names_every_problem_and_refuses_what_cannot_be_relied_on() {
    let today = date("2026-12-04");
    let errors = ClearanceDraft::default().validate(today).unwrap_err();
    for f in [
        field::RULE,
        field::GIVEN_BY,
        field::ROLE,
        field::GIVEN_ON,
        field::EXPIRES_ON,
        field::COVERS,
    ] {
        assert!(errors.for_field(f).is_some(), "{f} should be required");
    }
    let draft = ClearanceDraft {
        rule: "anticoagulants".to_owned(),
        given_by: "Dr Amara Obi".to_owned(),
        role: "GP".to_owned(),
        given_on: "2026-12-05".to_owned(),
        expires_on: "2026-12-03".to_owned(),
        covers: "Microneedling of the face while on apixaban".to_owned(),
    };
    let errors = draft.validate(today).unwrap_err();
    assert!(errors
        .for_field(field::GIVEN_ON)
        .unwrap()
        .to_string()
        .contains("after today"));
    assert!(errors
        .for_field(field::EXPIRES_ON)
        .unwrap()
        .to_string()
        .contains("Ask for a new one"));
    let good = ClearanceDraft {
        given_on: "2026-11-01".to_owned(),
        expires_on: "2027-05-01".to_owned(),
        ..draft
    };
    let (c, covers) = good.validate(today).unwrap();
    assert_eq!(c, letter("2026-11-01", "2027-05-01"));
    assert!(covers.contains("apixaban"));
}

#[test]
fn a_clearance_signed_again_after_a_lost_answer_is_kept_once() {
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut store = open(&db);
    let clearance = letter("2026-11-01", "2027-05-01");
    let clearance_id = needlepoint::domain::ClearanceId::new();
    let sign = |store: &mut needlepoint::store::Store| {
        store.write(crate::common::lead(), |w| {
            w.record_clearance(clearance_id, id, &clearance, "Face, while on apixaban")
        })
    };
    sign(&mut store).unwrap();
    let again = sign(&mut store).unwrap_err();
    assert!(
        matches!(again, needlepoint::store::StoreError::AlreadySaved { .. }),
        "{again}"
    );
    assert!(
        again.to_string().contains("clearance was saved already"),
        "{again}"
    );
    let record = store.client_record(id).unwrap().unwrap();
    assert_eq!(record.clearances.len(), 1);
}

#[test]
fn a_recorded_clearance_is_listed_signed_and_cannot_be_changed_or_removed() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let id = crate::screening_flow::setup(&db);
    let mut store = open(&db);
    let clearance = letter("2026-11-01", "2027-05-01");
    let cid = store
        .write(crate::common::lead(), |w| {
            w.record_clearance(
                needlepoint::domain::ClearanceId::new(),
                id,
                &clearance,
                "Face, while on apixaban",
            )
        })
        .unwrap();
    let record = store.client_record(id).unwrap().unwrap();
    assert_eq!(record.clearances.len(), 1);
    assert_eq!(record.clearances[0].clearance, clearance);
    assert_eq!(record.clearances[0].recorded_by, crate::common::LEAD);
    assert!(store.check().unwrap().is_clean());
    drop(store);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let changed = conn.execute(
        "UPDATE clearances SET expires_on = '2030-01-01' WHERE id = ?1",
        [&cid],
    );
    assert!(changed.unwrap_err().to_string().contains("cannot be changed"));
    let removed = conn.execute("DELETE FROM clearances WHERE id = ?1", [&cid]);
    assert!(removed.unwrap_err().to_string().contains("cannot be deleted"));
    // Changed behind the triggers' back, `check` sees the signed content differ.
    conn.execute_batch("DROP TRIGGER clearances_no_update").unwrap();
    conn.execute(
        "UPDATE clearances SET expires_on = '2030-01-01' WHERE id = ?1",
        [&cid],
    )
    .unwrap();
    drop(conn);
    let report = open(&db).check().unwrap();
    assert!(report.signed_content_problems.0 >= 1, "{report:?}");
}

#[test]
fn needlepoint_screen_with_a_client_uses_the_clearance_on_file() {
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, serde_json::to_string(&on_blood_thinners()).unwrap()).unwrap();
    let screen = || {
        let (answers, db, client) = (
            answers.to_string_lossy(),
            db.path.to_string_lossy(),
            id.to_string(),
        );
        let out = crate::common::cli::needlepoint(&[
            "--db",
            &db,
            "screen",
            "--answers",
            &answers,
            "--areas",
            "cheeks",
            "--date",
            "2026-12-04",
            "--client",
            &client,
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["kind"].as_str().unwrap().to_owned()
    };
    assert_eq!(screen(), "needs_clearance");
    open(&db)
        .write(crate::common::lead(), |w| {
            w.record_clearance(
                needlepoint::domain::ClearanceId::new(),
                id,
                &letter("2026-11-01", "2027-05-01"),
                "Face, while on apixaban",
            )
        })
        .unwrap();
    assert_eq!(screen(), "caution");
}

#[test]
fn the_record_form_keeps_a_clearance_and_the_screening_then_relies_on_it() {
    use crate::common::ui::{choose, type_into};
    use egui_kittest::kittest::Queryable;
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut h = crate::common::ui::record_of(&db, id, date("2026-11-22"), 1000.0);
    h.get_by_label("None on file.");
    h.get_by_label("Record a clearance").click();
    h.run();
    // Saving an empty form names what is missing and keeps the form open.
    h.get_by_label("Save and sign clearance").click();
    h.run();
    h.get_by_label("Cleared by is required.");
    choose(&mut h, field::RULE, "Prescribed anticoagulant");
    type_into(&mut h, field::GIVEN_BY, "Dr Amara Obi");
    type_into(&mut h, field::ROLE, "GP");
    type_into(&mut h, field::EXPIRES_ON, "2027-05-01");
    type_into(
        &mut h,
        field::COVERS,
        "Microneedling of the face while on apixaban",
    );
    // Signed by the person signed in, with their PIN.
    crate::common::ui::sign_with_pin(&mut h, "Save and sign clearance");
    assert!(
        h.query_by_label("Save and sign clearance").is_none(),
        "the form closed"
    );
    h.get_by_label("Dr Amara Obi (GP)");
    h.get_by_label("2026-11-22 to 2027-05-01");
    let on_file = open(&db).clearances_of(id).unwrap();
    assert_eq!(on_file.len(), 1);
    assert_eq!(
        on_file[0].clearance.given_on,
        date("2026-11-22"),
        "dated today unless changed"
    );
    // The screening of the same client now lets the visit go ahead on blood thinners.
    let p = Protocol::shipped().unwrap();
    let client = open(&db).client(id).unwrap().unwrap();
    let mut to_sign = needlepoint::protocol::ScreeningToSign::for_client(
        &client,
        date("2026-11-22"),
        on_blood_thinners(),
        vec!["cheeks".to_owned()],
        "Dr Maya Lindqvist",
    );
    to_sign.clearances = on_file.into_iter().map(|c| c.clearance).collect();
    let signed = p.sign_screening(to_sign).unwrap();
    assert_eq!(signed.outcome.kind, OutcomeKind::Caution);
    assert_eq!(
        signed.clearances.len(),
        1,
        "the copy keeps the clearance relied on"
    );
}
