//! The screening at the desk, driven by accessible labels: an unanswered question blocks
//! signing; a complete checklist shows its outcome, is signed, and lets the session start.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, date, open, plan_limits, temp_db, TempDb};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use needlepoint::domain::{ClientId, IntervalWindow, SeriesSpec, TreatmentPlan};
use needlepoint::protocol::{screening, Protocol};
use needlepoint::ui::NeedlepointApp;

pub(crate) fn setup(db: &TempDb) -> ClientId {
    let mut store = open(db);
    let c = client("Sofia Rossi", "1990-01-01", Some("0400 111 222"));
    let spec = SeriesSpec::new(date("2026-11-22"), 3, IntervalWindow::default()).unwrap();
    let plan = TreatmentPlan::new(c.id, "Acne scar series", spec, "2026.11-1").unwrap();
    let sessions = plan.initial_sessions();
    store
        .write("Reception", |w| {
            w.insert_client(&c)?;
            w.insert_plan(&plan, &sessions, &plan_limits(&plan))
        })
        .unwrap();
    crate::common::give_treatment_consent(&mut store, c.id, date("2026-11-15"));
    c.id
}

pub(crate) fn harness(db: &TempDb, id: ClientId) -> Harness<'static, NeedlepointApp> {
    let app = NeedlepointApp::new(open(db), Protocol::shipped().unwrap(), date("2026-11-22"))
        .signed_in_as(crate::common::LEAD);
    let mut h = Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1280.0, 1000.0))
        .build_eframe(|cc| {
            needlepoint::ui::fonts::install(&cc.egui_ctx);
            app
        });
    h.run();
    h.state_mut().open_client_for_test(id);
    h.run();
    h.get_by_label("Screen today").click();
    h.run_steps(4);
    h
}

/// Answers every question the safe way ("No", but "Yes" to age and consent) except those whose
/// number is in `skip`.
pub(crate) fn answer_no(h: &mut Harness<'_, NeedlepointApp>, skip: &[u16]) {
    let protocol = Protocol::shipped().unwrap();
    for q in &protocol.intake_questions {
        // Open questions are answered in words (blank is an answer); the date of birth
        // answers the age question.
        // The consent question is answered from the consent on file.
        if skip.contains(&q.number)
            || q.open
            || q.id == screening::AGE_QUESTION
            || q.id == screening::CONSENT_QUESTION
        {
            continue;
        }
        let label = format!("{}. {}", q.number, q.text);
        let safe_yes = q.id == screening::AGE_QUESTION || q.id == screening::CONSENT_QUESTION;
        let pick = if safe_yes { 0 } else { 1 };
        let radios = h.get_all_by_label(&label).collect::<Vec<_>>();
        assert_eq!(radios.len(), 2, "yes and no for {label}");
        radios[pick].scroll_to_me();
        h.run();
        h.get_all_by_label(&label).nth(pick).unwrap().click();
        h.run();
    }
}

#[test]
fn an_unanswered_question_blocks_signing() {
    let db = temp_db();
    let id = setup(&db);
    let mut h = harness(&db, id);
    answer_no(&mut h, &[9]);
    h.get_by_label_contains("1 question(s) still to answer");
    let sign = h.get_by_label("Sign screening");
    assert!(
        sign.accesskit_node().is_disabled(),
        "signing must wait for every answer"
    );
    sign.click();
    h.run();
    assert!(h.state().store().screenings_of(id).unwrap().is_empty());
}

#[test]
fn answer_the_checklist_see_the_outcome_sign_and_start_the_session() {
    let db = temp_db();
    let id = setup(&db);
    let mut h = harness(&db, id);
    answer_no(&mut h, &[]);
    h.get_by_label_contains("Outcome:");
    h.get_by_label("Signed by (practitioner)").focus();
    h.run();
    h.get_by_label("Signed by (practitioner)")
        .type_text("Dr. Maya Lindqvist");
    h.run();
    h.get_by_label("Sign screening").click();
    h.run();
    assert!(
        h.state().store().screenings_of(id).unwrap().is_empty(),
        "the first click only shows what would be signed"
    );
    h.get_by_label_contains("Check before signing the screening");
    crate::common::ui::sign_with_pin(&mut h, "Sign this screening");
    let screenings = h.state().store().screenings_of(id).unwrap();
    assert_eq!(screenings.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(screenings[0].signed_by.as_deref(), Some("Dr. Maya Lindqvist"));
    assert!(
        screenings[0].outcome.kind.allows_treatment(),
        "{:?}",
        screenings[0].outcome
    );

    h.get_by_label("Start session 1").click();
    h.run();
    let plan = &h.state().store().plans_of(id).unwrap()[0];
    let sessions = h.state().store().sessions_of(plan.id).unwrap();
    assert_eq!(
        sessions[0].screening_id,
        Some(screenings[0].id),
        "{:?}",
        h.state().status_text()
    );
    h.get_by_label("started");
}
