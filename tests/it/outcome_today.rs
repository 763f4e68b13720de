//! The outcome says what happens today (issue 15, point 5): when area-limited findings leave
//! out every planned area, nothing can be treated today, so the outcome is a deferral (until
//! the first area can be treated, when that is known) or "do not treat", never "caution".

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{date, shipped_protocol};
use needlepoint::domain::{Answer, Answers, OutcomeKind};
use needlepoint::protocol::screening::ScreeningInput;

const TODAY: &str = "2026-11-22";

fn with_procedure(area: &str, when: &str) -> Answers {
    let mut answers = shipped_protocol().safe_answers();
    let mut peel = Answer::yes();
    peel.conditions = vec!["recent_peel".to_owned()];
    peel.details.insert("when".to_owned(), when.to_owned());
    peel.details.insert("area".to_owned(), area.to_owned());
    answers.insert("recent_procedures".to_owned(), peel);
    answers
}

fn wound_on(area: &str, answers: &mut Answers) {
    let mut wound = Answer::yes();
    wound.conditions = vec!["open_wound".to_owned()];
    wound.details.insert("area".to_owned(), area.to_owned());
    answers.insert("skin_conditions_in_area".to_owned(), wound);
}

fn screen(answers: &Answers, planned: &[&str]) -> needlepoint::domain::Outcome {
    let planned: Vec<String> = planned.iter().map(|a| (*a).to_owned()).collect();
    shipped_protocol()
        .screen(&ScreeningInput {
            answers,
            planned_areas: &planned,
            today: date(TODAY),
            skin_type: None,
            date_of_birth: None,
            clearances: &[],
        })
        .expect("an outcome")
}

#[test]
fn a_peel_on_the_only_planned_area_defers_the_visit_until_the_area_may_be_treated() {
    let answers = with_procedure("cheeks", "2026-10-01");
    let only_cheeks = screen(&answers, &["cheeks"]);
    assert_eq!(only_cheeks.kind, OutcomeKind::Defer, "{only_cheeks:?}");
    assert_eq!(only_cheeks.defer_until, Some(date("2027-01-01")));
    assert_eq!(only_cheeks.excluded_areas, vec!["cheeks".to_owned()]);

    // With another planned area the rest is treated: a caution, the cheeks left out.
    let with_forehead = screen(&answers, &["cheeks", "forehead"]);
    assert_eq!(with_forehead.kind, OutcomeKind::Caution);
    assert_eq!(with_forehead.defer_until, None);
}

#[test]
fn every_planned_area_left_out_defers_until_the_first_can_be_treated_else_do_not_treat() {
    // The cheeks wait for a peel (to 2027-01-01); the chin for a wound to heal (no date).
    let mut answers = with_procedure("cheeks", "2026-10-01");
    wound_on("chin_jawline", &mut answers);
    let both = screen(&answers, &["cheeks", "chin_jawline"]);
    assert_eq!(both.kind, OutcomeKind::Defer, "{both:?}");
    assert_eq!(
        both.defer_until,
        Some(date("2027-01-01")),
        "the first area that can be treated"
    );

    // Only the wound ("do not treat the area until healed"): nothing today, no date known.
    let mut answers = shipped_protocol().safe_answers();
    wound_on("chin_jawline", &mut answers);
    let chin = screen(&answers, &["chin_jawline"]);
    assert_eq!(chin.kind, OutcomeKind::DoNotTreat, "{chin:?}");
    assert_eq!(chin.defer_until, None);
    // With the cheeks planned too, the cheeks are treated: a caution.
    assert_eq!(
        screen(&answers, &["chin_jawline", "cheeks"]).kind,
        OutcomeKind::Caution
    );
}
