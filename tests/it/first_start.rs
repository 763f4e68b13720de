//! The first start (issue 14, points 5 and 6): an empty database opens on a welcome that leads
//! through the clinic's details and the first client, or loads demo data, and can be skipped for
//! good; an empty list says what to do with one button; a screening's "Which area?" is chosen
//! from the protocol's areas by name; Esc closes an open dropdown, not its dialog.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::ui::{choose, type_into};
use crate::common::{date, open, temp_db, TempDb};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use needlepoint::protocol::Protocol;
use needlepoint::store::Settings;
use needlepoint::ui::views::{client_record, empty, welcome};
use needlepoint::ui::NeedlepointApp;

/// The app on `db` in a window of `width`×`height`, after its first frame.
fn app_at(db: &TempDb, width: f32, height: f32) -> Harness<'static, NeedlepointApp> {
    let store = open(db);
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_max_steps(10_000)
        .build_eframe(|cc| {
            needlepoint::ui::window_app(cc, store, Protocol::shipped().unwrap(), date("2026-11-22"))
                .signed_in_as(crate::common::LEAD)
        });
    h.run();
    h
}

/// The node is drawn inside the window, not below or beside it.
fn assert_in_window(h: &Harness<'_, NeedlepointApp>, label: &str, (width, height): (f32, f32)) {
    let rect = h.get_by_label(label).rect();
    assert!(
        rect.min.x >= 0.0 && rect.min.y >= 0.0 && rect.max.x <= width && rect.max.y <= height,
        "{label} is drawn at {rect:?}, outside the {width}×{height} window"
    );
}

#[test]
fn an_empty_database_opens_on_the_welcome_whose_steps_save_the_clinic_and_a_first_client() {
    let db = temp_db();
    let mut h = app_at(&db, 1024.0, 700.0);
    h.get_by_label(welcome::HEADING);

    // The clinic's details, checked as Settings checks them: the problem next to the field.
    h.get_by_label(welcome::SAVE_CLINIC_LABEL).click();
    h.run();
    h.get_by_label_contains("Nothing was saved");
    assert!(h.state().store().clinic_settings().unwrap().name.is_empty());
    type_into(&mut h, "Clinic name", "Skin Studio North");
    type_into(&mut h, "Clinic phone", "020 7946 0000");
    type_into(&mut h, "Practitioners", "Dr. Maya Lindqvist");
    h.get_by_label(welcome::SAVE_CLINIC_LABEL).click();
    h.run();
    let clinic = h.state().store().clinic_settings().unwrap();
    assert_eq!(clinic.name, "Skin Studio North", "{:?}", h.state().status_text());
    assert_eq!(clinic.practitioners, ["Dr. Maya Lindqvist"]);
    assert!(h.query_by_label_contains("Nothing was saved").is_none());
    h.get_by_label(welcome::HEADING);

    // The first client, through the new-client form; their record opens.
    h.get_by_label(welcome::FIRST_CLIENT_LABEL).click();
    h.run();
    type_into(&mut h, "Full name", "Grace Lovelace");
    type_into(&mut h, "Date of birth", "1985-12-10");
    choose(&mut h, "Skin type", "III – ");
    h.get_by_label("Save client").click();
    h.run();
    assert_eq!(h.state().store().client_count(true).unwrap(), 1);
    h.get_by_label_contains("Age 40");

    // With a client, Today shows its lists and the welcome is gone.
    h.get_by_label("Today").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    assert!(h.query_by_label(welcome::HEADING).is_none());
    h.get_by_label(needlepoint::ui::views::day_grid::GRID_LABEL);
}

#[test]
fn skipped_the_welcome_does_not_return_and_today_says_what_to_do() {
    let db = temp_db();
    {
        let mut h = app_at(&db, 1024.0, 700.0);
        h.get_by_label(welcome::SKIP_LABEL).click();
        h.run();
        assert!(h.query_by_label(welcome::HEADING).is_none());
        // Today with no clients: what to do first, above the lists, on screen.
        assert_in_window(&h, welcome::FIRST_CLIENT_LABEL, (1024.0, 700.0));
        assert_in_window(&h, &welcome::demo_label(), (1024.0, 700.0));
        h.get_by_label("Settings").click();
        h.run();
        h.get_by_label("Today").click();
        h.run();
        assert!(
            h.query_by_label(welcome::HEADING).is_none(),
            "not back in this run"
        );
    }
    assert_eq!(
        open(&db).setting(Settings::WELCOME_SKIPPED).unwrap().as_deref(),
        Some("yes")
    );
    let h = app_at(&db, 1024.0, 700.0);
    assert!(
        h.query_by_label(welcome::HEADING).is_none(),
        "nor at the next start"
    );
}

#[test]
fn the_demo_offer_is_on_screen_at_1024_by_700() {
    let db = temp_db();
    let h = app_at(&db, 1024.0, 700.0);
    h.get_by_label(welcome::HEADING);
    assert_in_window(&h, &welcome::demo_label(), (1024.0, 700.0));
    assert_in_window(&h, welcome::SKIP_LABEL, (1024.0, 700.0));
    assert_in_window(&h, welcome::FIRST_CLIENT_LABEL, (1024.0, 700.0));
}

#[test]
fn an_empty_lists_button_does_what_it_says() {
    let db = temp_db();
    let mut h = app_at(&db, 1280.0, 900.0);
    h.get_by_label(welcome::SKIP_LABEL).click();
    h.run();
    // The empty client list: add a client.
    h.get_by_label("Clients").click();
    h.run();
    h.get_by_label(empty::NEW_CLIENT_LABEL).click();
    h.run();
    type_into(&mut h, "Full name", "Grace Lovelace");
    type_into(&mut h, "Date of birth", "1985-12-10");
    choose(&mut h, "Skin type", "IV – ");
    h.get_by_label("Save client").click();
    h.run();
    assert_eq!(h.state().store().client_count(true).unwrap(), 1);

    // The new record: no plan without a concern, and the concern list's button adds one.
    assert!(h
        .get_by_label(client_record::PLAN_FIRST_SERIES)
        .accesskit_node()
        .is_disabled());
    h.get_by_label(client_record::ADD_FIRST_CONCERN).click();
    h.run();
    h.get_by_label("Add skin concern");
    choose(&mut h, "Skin concern", "Melasma");
    choose(&mut h, "Treatment area", "Cheeks");
    h.get_by_label("Save concern").click();
    h.run();
    assert!(!h
        .get_by_label(client_record::PLAN_FIRST_SERIES)
        .accesskit_node()
        .is_disabled());

    // The empty shelf's button puts the cursor in the lot form.
    h.get_by_label("Products").click();
    h.run();
    h.get_by_label(needlepoint::ui::views::products::FIRST_LOT_LABEL)
        .click();
    h.run();
    assert!(h.get_by_label("Product name").is_focused());
}

#[test]
fn the_screenings_which_area_is_chosen_by_name_and_saves_the_areas_id() {
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut h = crate::screening_flow::harness(&db, id);
    crate::screening_flow::answer_no(&mut h, &[17]);
    let protocol = Protocol::shipped().unwrap();
    let q = protocol.intake_questions.iter().find(|q| q.number == 17).unwrap();
    let label = format!("{}. {}", q.number, q.text);
    h.get_all_by_label(&label).next().unwrap().click();
    h.run();
    h.get_by_label("Recent dermal filler in the area").click();
    h.run();
    type_into(&mut h, "Which procedure?", "Filler (HA), 1 ml");
    type_into(&mut h, "Date of the procedure", "2026-11-01");
    h.get_by_label("Which area?").click();
    h.run();
    // The areas by their names, never their ids (the planned areas' checkboxes have the same
    // names: the dropdown's are the ones that are not checkboxes).
    let in_dropdown = |h: &Harness<'_, NeedlepointApp>, name: &str| {
        h.get_all_by_label(name)
            .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::CheckBox)
            .count()
    };
    assert_eq!(in_dropdown(&h, "Perioral (around the mouth, upper lip)"), 1);
    assert!(h.query_by_label_contains("chin_jawline").is_none());
    h.get_all_by_label("Chin and jawline")
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::CheckBox)
        .unwrap()
        .click();
    h.run();
    assert_eq!(
        in_dropdown(&h, "Perioral (around the mouth, upper lip)"),
        0,
        "closed"
    );

    type_into(&mut h, "Signed by (practitioner)", "Dr. Maya Lindqvist");
    h.get_by_label("Sign screening").click();
    h.run();
    crate::common::ui::sign_with_pin(&mut h, "Sign this screening");
    let screenings = h.state().store().screenings_of(id).unwrap();
    assert_eq!(screenings.len(), 1, "{:?}", h.state().status_text());
    let answer = &screenings[0].answers[&q.id];
    assert_eq!(
        answer.details.get("area").map(String::as_str),
        Some("chin_jawline")
    );
}
