//! The front desk's day, driven through the real app by accessible labels (egui_kittest, no
//! GPU): create a client, find them by part of their phone number, add concerns, build a plan
//! and see its dates, refuse a birth date in the future, see an overdue client on Today.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::ui::{app_on, choose, type_into};
use crate::common::{client, date, open, plan_limits, temp_db, TempDb};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::{IntervalWindow, SeriesSpec, TreatmentPlan};
use needlepoint::protocol::Protocol;
use needlepoint::ui::NeedlepointApp;

fn harness(db: &TempDb) -> Harness<'static, NeedlepointApp> {
    app_on(db, date("2026-11-22"), 960.0)
}

fn new_client(h: &mut Harness<'_, NeedlepointApp>, name: &str, dob: &str, phone: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, "Full name", name);
    type_into(h, "Date of birth", dob);
    type_into(h, "Phone", phone);
    choose(h, "Skin type", "III – ");
    h.get_by_label("Save client").click();
    h.run();
}

#[test]
fn create_a_client_then_find_them_by_part_of_their_phone_number() {
    let db = temp_db();
    let mut h = harness(&db);
    new_client(&mut h, "Ada Lovelace 李雷 محمد", "1985-12-10", "+61 412 555 010");
    assert_eq!(
        h.state().store().client_count(false).unwrap(),
        1,
        "{:?}",
        h.state().status_text()
    );
    // The new client's record is open.
    h.get_by_label_contains("Age 40");

    h.get_by_label("< Clients").click();
    h.run();
    type_into(&mut h, "Search clients", "5550");
    let row = h.get_by_label_contains("Ada Lovelace 李雷 محمد");
    row.click();
    h.run();
    h.get_by_label("Edit details");
}

#[test]
fn a_birth_date_in_the_future_is_refused_and_nothing_is_saved() {
    let db = temp_db();
    let mut h = harness(&db);
    new_client(&mut h, "Zoe Adams", "2027-01-01", "020 7946 0123");
    h.get_by_label_contains("is in the future");
    assert_eq!(h.state().store().client_count(false).unwrap(), 0);
    // What was typed is still there to correct.
    assert_eq!(h.get_by_label("Full name").value().as_deref(), Some("Zoe Adams"));
    h.get_by_label("Date of birth").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Date of birth").type_text("1990-02-28");
    h.run();
    h.get_by_label("Save client").click();
    h.run();
    assert_eq!(
        h.state().store().client_count(false).unwrap(),
        1,
        "{:?}",
        h.state().status_text()
    );
}

#[test]
fn add_two_concerns_and_build_a_plan_with_its_proposed_dates() {
    let db = temp_db();
    let mut h = harness(&db);
    new_client(&mut h, "Mei Chen", "1988-05-05", "0412 000 111");
    let protocol = Protocol::shipped().unwrap();
    for (concern, area) in [("acne_scars_rolling", "cheeks"), ("enlarged_pores", "nose")] {
        h.get_by_label("Add concern").click();
        h.run();
        choose(&mut h, "Skin concern", &protocol.concern(concern).unwrap().name);
        choose(&mut h, "Treatment area", &protocol.area(area).unwrap().name);
        h.get_by_label("Save concern").click();
        h.run();
    }
    let id = h.state().store().search_clients("Mei Chen", 5).unwrap()[0]
        .client
        .id;
    assert_eq!(h.state().store().concerns_of(id).unwrap().len(), 2);

    h.get_by_label("New plan").click();
    h.run();
    // The protocol proposes the series; the dates follow from today.
    h.get_by_label_contains("Session 1: 2026-11-22");
    h.get_by_label_contains("Session 2: 2026-12-20");
    h.get_by_label("Save plan").click();
    h.run();
    let plans = h.state().store().plans_of(id).unwrap();
    assert_eq!(plans.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(plans[0].areas.len(), 2);
    h.get_by_label("Book session 1");
}

#[test]
fn today_lists_a_client_whose_session_is_overdue() {
    let db = temp_db();
    {
        let mut store = open(&db);
        let c = client("Amara Okafor", "1992-07-01", Some("0400 123 456"));
        let spec = SeriesSpec::new(date("2026-08-03"), 3, IntervalWindow::default()).unwrap();
        let plan = TreatmentPlan::new(c.id, "Acne scar series", spec, "2026.11-1").unwrap();
        let sessions = plan.initial_sessions();
        store
            .write("Reception", |w| {
                w.insert_client(&c)?;
                w.insert_plan(&plan, &sessions, &plan_limits(&plan))
            })
            .unwrap();
    }
    let mut h = harness(&db);
    h.state_mut().wait_for_background_work();
    h.run();
    // Listed as overdue, not only as due: the due list is empty and the overdue one is not.
    assert!(h.query_by_label("Nobody is overdue.").is_none());
    h.get_by_label("Nobody is due this week.");
    h.get_by_label("Amara Okafor").click();
    h.run();
    h.get_by_label("Edit details");
}

/// The window starts through `ui::window_app`, as this harness does: it must bring the fonts
/// that draw every client's name (egui's own cover Latin, Greek and Cyrillic only).
#[test]
fn the_window_draws_vietnamese_arabic_and_chinese_names() {
    let db = temp_db();
    let h = app_on(&db, date("2026-11-22"), 960.0);
    let font = egui::FontId::proportional(14.0);
    for name in [
        "Nguyễn Thị Ánh",
        "محمد",
        "李雷",
        "Łukasz Nowak",
        "Zoë Ó Súilleabháin",
    ] {
        assert!(
            h.ctx.fonts_mut(|f| f.has_glyphs(&font, name)),
            "{name} would draw as boxes"
        );
    }
}
