//! The desk by keyboard (issue 14, point 7): Ctrl+1…5 for the screens, Down/Up and Enter in
//! the search results, the surname first, the screening's first question focused, the F1
//! overlay, and the client list's columns that sort.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::ui::{app_on, replace_in, type_into};
use crate::common::{client, date, open, temp_db, TempDb};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::protocol::Protocol;
use needlepoint::ui::views::clients::SEARCH_LABEL;
use needlepoint::ui::NeedlepointApp;

const TODAY: &str = "2026-12-04";

fn desk_with(names: &[(&str, &str)]) -> TempDb {
    let db = temp_db();
    let mut store = open(&db);
    for (name, born) in names {
        let c = client(name, born, None);
        store.write("Reception", |w| w.insert_client(&c)).unwrap();
    }
    db
}

fn press(h: &mut Harness<'_, NeedlepointApp>, key: Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn ctrl_and_a_number_opens_each_screen() {
    let db = desk_with(&[("Ada Lovelace", "1985-12-10")]);
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run();
    h.get_by_label(SEARCH_LABEL);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run();
    h.get_by_label("Save settings");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run();
    h.get_by_label_contains("Products and lots");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    h.get_by_label_contains("(today)");
    assert!(h.query_by_label(SEARCH_LABEL).is_none());
}

#[test]
fn down_and_enter_open_a_search_result_and_enter_alone_opens_the_best() {
    let db = desk_with(&[
        ("Grace Hopper", "1980-01-01"),
        ("Grace Lovelace", "1990-02-02"),
        ("Grace Kelly", "1970-03-03"),
    ]);
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    type_into(&mut h, SEARCH_LABEL, "grace");
    // Best first is by name: Hopper, Kelly, Lovelace. Down, Down: Kelly.
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    h.get_by_label_contains("born 1970-03-03");

    // Back to the list; Enter with nothing highlighted opens the best match.
    h.get_by_label("< Clients").click();
    h.run();
    replace_in(&mut h, SEARCH_LABEL, "lovelace grace");
    press(&mut h, Key::Enter);
    h.get_by_label_contains("born 1990-02-02");
}

#[test]
fn the_surname_first_finds_the_client() {
    let db = desk_with(&[("Grace Lovelace", "1990-02-02"), ("Ada Lovelace", "1985-12-10")]);
    let store = open(&db);
    let hits = store.search_clients("lovelace grace", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].client.full_name, "Grace Lovelace");
    // A word's start is enough, in any order.
    let hits = store.search_clients("lov gra", 10).unwrap();
    assert_eq!(
        hits.first().map(|h| h.client.full_name.as_str()),
        Some("Grace Lovelace")
    );
}

#[test]
fn the_screening_opens_on_its_first_question_and_space_answers_it() {
    let db = desk_with(&[("Ada Lovelace", "1985-12-10")]);
    let id = open(&db).search_clients("Ada", 1).unwrap()[0].client.id;
    let protocol = Protocol::shipped().unwrap();
    // The first question is open (the client's goals, in words): its field has the keyboard.
    let first = &protocol.intake_questions[0];
    assert!(first.open);
    let field = first.follow_ups[0].label.clone();
    let mut h = app_on(&db, date(TODAY), 900.0);
    h.state_mut().open_client_for_test(id);
    h.run();
    h.get_by_label("Screen today").click();
    h.run();
    h.run();
    assert!(
        h.get_by_label(&field).is_focused(),
        "the first question's field has the keyboard"
    );
    h.get_by_label(&field).type_text("rolling scars on the cheeks");
    h.run();
    assert_eq!(
        h.get_by_label(&field).value().as_deref(),
        Some("rolling scars on the cheeks"),
        "the first question is answered by keyboard"
    );
    // The first yes/no question: Tab reaches its answers and Space chooses one.
    let yes_no = protocol.intake_questions.iter().find(|q| !q.open).unwrap();
    let question = format!("{}. {}", yes_no.number, yes_no.text);
    let unanswered = h.query_all_by_label("not answered").count();
    h.get_all_by_label(&question).next().unwrap().focus();
    h.run();
    press(&mut h, Key::Tab);
    press(&mut h, Key::Space);
    assert_eq!(
        h.query_all_by_label("not answered").count(),
        unanswered - 1,
        "a yes/no question is answered by keyboard"
    );
}

#[test]
fn f1_shows_the_shortcuts_and_esc_closes_only_the_overlay() {
    let db = desk_with(&[]);
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Full name");
    press(&mut h, Key::F1);
    h.get_by_label_contains("Keyboard shortcuts");
    h.get_by_label_contains("Find a client");
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label_contains("Find a client").is_none(),
        "Esc closes the overlay"
    );
    h.get_by_label("Full name");
}

#[test]
fn the_client_list_shows_columns_that_sort() {
    let db = desk_with(&[
        ("Ada Lovelace", "1985-12-10"),
        ("Zanele Dlamini", "1979-03-03"),
        ("Mei Chen", "1992-07-07"),
    ]);
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.get_by_label("Clients").click();
    h.run();
    for column in ["Name ⏶", "Born", "Phone", "Next appointment", "Last visit"] {
        h.get_by_label(column);
    }
    let top = |h: &Harness<'_, NeedlepointApp>, name: &str| h.get_by_label(name).rect().top();
    assert!(top(&h, "Ada Lovelace") < top(&h, "Mei Chen") && top(&h, "Mei Chen") < top(&h, "Zanele Dlamini"));
    // Date of birth, oldest first; again: youngest first.
    h.get_by_label("Born").click();
    h.run();
    assert!(
        top(&h, "Zanele Dlamini") < top(&h, "Ada Lovelace") && top(&h, "Ada Lovelace") < top(&h, "Mei Chen")
    );
    h.get_by_label("Born ⏶").click();
    h.run();
    assert!(top(&h, "Mei Chen") < top(&h, "Ada Lovelace"));
    h.get_by_label("Born ⏷");
}

#[test]
fn a_field_message_goes_as_soon_as_the_field_is_fixed() {
    let db = desk_with(&[]);
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(&mut h, "Full name", "Ada Test");
    type_into(&mut h, "Date of birth", "2090-01-01");
    h.get_by_label("Save client").click();
    h.run();
    let message = |h: &Harness<'_, NeedlepointApp>| h.query_by_label_contains("in the future").is_some();
    assert!(
        message(&h),
        "a birth date in the future is refused next to the field"
    );
    replace_in(&mut h, "Date of birth", "1980-01-01");
    assert!(
        !message(&h),
        "the message goes once the date is fixed, before saving again"
    );
    assert_eq!(
        open(&db).client_count(false).unwrap(),
        0,
        "nothing was saved by fixing"
    );
}

#[test]
fn esc_with_a_dropdown_open_closes_the_dropdown_not_the_new_client_dialog() {
    let db = desk_with(&[]);
    let mut h = app_on(&db, date(TODAY), 900.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(&mut h, "Full name", "Grace Lovelace");
    h.get_by_label("Skin type").click();
    h.run();
    h.get_by_label_contains("IV – ");
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label_contains("IV – ").is_none(),
        "the dropdown closed"
    );
    assert_eq!(
        h.state().unsaved_question(),
        None,
        "the dialog was not asked to close"
    );
    assert_eq!(
        h.get_by_label("Full name").value().as_deref(),
        Some("Grace Lovelace")
    );
    // Esc again, with no dropdown open, asks about the typed form as before.
    press(&mut h, Key::Escape);
    assert_eq!(h.state().unsaved_question(), Some("the new client form"));
}
