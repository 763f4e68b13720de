//! The treatment room in the real app, driven by accessible labels: from today's signed
//! screening to a completed, signed session with the next booking date shown.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::{fixture, Fixture};
use crate::common::ui::{app_on, choose, type_into};
use crate::common::{date, temp_db, TempDb};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::SessionStatus;
use needlepoint::ui::NeedlepointApp;

fn app(db: &TempDb, f: &Fixture, today: &str) -> Harness<'static, NeedlepointApp> {
    let mut h = app_on(db, date(today), 1400.0);
    h.state_mut().open_client_for_test(f.client.id);
    h.run();
    h
}

#[test]
fn record_a_session_after_the_screening_sign_it_and_see_the_next_date() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let mut h = app(&db, &f, "2026-11-22");

    h.get_by_label("Record session 1").click();
    h.run();
    h.get_by_label("First session of the series: no previous settings.");
    type_into(&mut h, "Depth (mm) for Cheeks", "1.75");
    type_into(&mut h, "Passes for Cheeks", "2");
    type_into(&mut h, "Endpoint for Cheeks", "pinpoint bleeding");
    type_into(&mut h, "Depth (mm) for Chin and jawline", "0.75");
    type_into(&mut h, "Passes for Chin and jawline", "3");
    choose(&mut h, "Serum lot", "HA-2611");
    choose(&mut h, "Needle cartridge lot", "CT-77");

    // Deeper than the cheeks' 1.50 mm limit: refused until a reason is written; nothing lost.
    h.get_by_label("Complete and sign session").click();
    h.run();
    h.get_by_label_contains("deeper than this area's limit of 1.50 mm");
    assert_eq!(
        f.sessions()[0].status,
        SessionStatus::Planned,
        "nothing saved yet"
    );
    assert_eq!(
        h.get_by_label("Depth (mm) for Cheeks").value().as_deref(),
        Some("1.75"),
        "what was typed is kept"
    );
    type_into(
        &mut h,
        "Reason for the depth for Cheeks",
        "Deep rolling scars, second opinion",
    );

    h.get_by_label("Complete and sign session").click();
    h.run();
    crate::common::ui::sign_with_pin(&mut h, "Sign this session");
    let status = h.state().status_text().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Session 1 done and signed. Next session 2: book on 2026-12-20"),
        "{status}"
    );
    h.get_by_label_contains("done 2026-11-22 · signed by Dr. Maya Lindqvist");

    let done = &f.sessions()[0];
    assert_eq!(done.status, SessionStatus::Done);
    assert_eq!(done.serum_product_id, Some(f.ha_gel.id));
    assert_eq!(done.cartridge_product_id, Some(f.cartridge.id));
    let areas = f.store.session_areas(done.id).unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0].depth.hundredths(), 175);
    assert_eq!(
        areas[0].depth_reason.as_deref(),
        Some("Deep rolling scars, second opinion")
    );
}

#[test]
fn the_second_session_shows_the_first_and_reuses_its_settings() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    {
        f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
        let mut h = app(&db, &f, "2026-11-22");
        h.get_by_label("Record session 1").click();
        h.run();
        type_into(&mut h, "Depth (mm) for Cheeks", "1.00");
        type_into(&mut h, "Passes for Cheeks", "2");
        choose(&mut h, "Needle cartridge lot", "CT-77");
        h.get_by_label("Complete and sign session").click();
        h.run();
        crate::common::ui::sign_with_pin(&mut h, "Sign this session");
        assert_eq!(f.sessions()[0].status, SessionStatus::Done);
    }
    // Four weeks later, on the second session's earliest day.
    f.screen_and_start(2, date("2026-12-20"), f.protocol.safe_answers());
    let mut h = app(&db, &f, "2026-12-20");
    h.get_by_label("Record session 2").click();
    h.run();
    h.get_by_label_contains("Previous session (2026-11-22): Cheeks 1.00 mm × 2");
    h.get_by_label("Reuse previous settings").click();
    h.run();
    assert_eq!(
        h.get_by_label("Depth (mm) for Cheeks").value().as_deref(),
        Some("1.00")
    );
    assert_eq!(h.get_by_label("Passes for Cheeks").value().as_deref(), Some("2"));
}
