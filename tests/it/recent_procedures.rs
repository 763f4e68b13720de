//! Several recent procedures each carry their own date and area (issue 15, point 4; review
//! B11): toxin under the arms last month and filler in the lips last spring are two entries,
//! each counting its own wait in its own area.

use crate::common::ui::type_into;
use crate::common::{date, temp_db};
use egui_kittest::kittest::Queryable;
use needlepoint::domain::{Answer, AnswerEntry, OutcomeKind};
use needlepoint::protocol::screening::ScreeningInput;
use needlepoint::protocol::Protocol;

fn entry(condition: &str, when: &str, area: &str) -> AnswerEntry {
    AnswerEntry {
        conditions: vec![condition.to_owned()],
        details: [("when", when), ("area", area)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    }
}

#[test]
fn each_procedure_counts_its_own_wait_in_its_own_area() {
    let p = Protocol::shipped().unwrap();
    let mut answers = p.safe_answers();
    let first = entry("recent_filler", "2026-06-01", "perioral");
    let mut a = Answer::yes();
    a.conditions = first.conditions.clone();
    a.details = first.details.clone();
    a.more = vec![entry("recent_toxin", "2026-11-01", "forehead")];
    answers.insert("recent_procedures".to_owned(), a);
    let planned = ["cheeks".to_owned(), "perioral".to_owned(), "forehead".to_owned()];
    let outcome = p
        .screen(&ScreeningInput {
            answers: &answers,
            planned_areas: &planned,
            today: date("2026-12-05"),
            skin_type: None,
            date_of_birth: Some(date("1980-01-01")),
            clearances: &[],
        })
        .unwrap();
    // Filler 2026-06-01 in the lips (12 months) and toxin 2026-11-01 in the forehead (6 months):
    // both areas are left out, the cheeks are treated.
    assert_eq!(outcome.kind, OutcomeKind::Caution, "{outcome:#?}");
    assert_eq!(outcome.excluded_areas, ["forehead", "perioral"]);
    let until = |rule: &str| {
        outcome
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .and_then(|f| f.defer_until)
    };
    assert_eq!(until("recent_filler"), Some(date("2027-06-01")));
    assert_eq!(until("recent_toxin"), Some(date("2027-05-01")));

    // A question that takes one answer refuses more entries.
    let mut one = Answer::yes();
    one.more = vec![AnswerEntry::default()];
    answers.insert("keloids".to_owned(), one);
    let e = p
        .screen(&ScreeningInput {
            answers: &answers,
            planned_areas: &planned,
            today: date("2026-12-05"),
            skin_type: None,
            date_of_birth: Some(date("1980-01-01")),
            clearances: &[],
        })
        .unwrap_err();
    assert!(e.to_string().contains("takes one answer"), "{e}");
}

#[test]
fn the_form_adds_a_second_procedure_with_its_own_date() {
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut h = crate::screening_flow::harness(&db, id);
    crate::screening_flow::answer_no(&mut h, &[17]);
    let p = Protocol::shipped().unwrap();
    let q = p
        .intake_questions
        .iter()
        .find(|q| q.id == "recent_procedures")
        .unwrap();
    let label = format!("{}. {}", q.number, q.text);
    h.get_all_by_label(&label).next().unwrap().click();
    h.run();
    h.get_by_label("Recent dermal filler in the area").click();
    h.run();
    type_into(&mut h, "Date of the procedure", "2026-06-01");
    h.get_by_label("Add another entry (its own date and area)")
        .click();
    h.run();
    h.get_by_label("Recent botulinum toxin (entry 2)").click();
    h.run();
    type_into(&mut h, "Date of the procedure (entry 2)", "2026-11-01");
    type_into(&mut h, "Signed by (practitioner)", "Dr. Maya Lindqvist");
    h.get_by_label("Sign screening").click();
    h.run();
    crate::common::ui::sign_with_pin(&mut h, "Sign this screening");
    let screenings = h.state().store().screenings_of(id).unwrap();
    assert_eq!(screenings.len(), 1, "{:?}", h.state().status_text());
    let answer = screenings[0].answers["recent_procedures"].clone();
    assert_eq!(answer.conditions, ["recent_filler"]);
    assert_eq!(answer.details.get("when").map(String::as_str), Some("2026-06-01"));
    assert_eq!(answer.more.len(), 1);
    assert_eq!(answer.more[0].conditions, ["recent_toxin"]);
    assert_eq!(
        answer.more[0].details.get("when").map(String::as_str),
        Some("2026-11-01")
    );
}
