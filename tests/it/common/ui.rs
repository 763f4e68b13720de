//! Driving the real app in tests: a harness on a temporary database, and the few gestures the
//! flows repeat (type into a labelled field, pick from a labelled combo box).
#![allow(dead_code)]

use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::protocol::Protocol;
use needlepoint::ui::NeedlepointApp;

use super::{open, TempDb};

/// The app on `db` as of `today`, in a window of `height` pixels, after its first frame.
pub fn app_on(db: &TempDb, today: NaiveDate, height: f32) -> Harness<'static, NeedlepointApp> {
    let store = open(db);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, height))
        // While a background job (the Today lists, a sheet) is running the app asks for another
        // frame to poll it; on a loaded machine that takes more than kittest's default 4 steps.
        .with_max_steps(10_000)
        .build_eframe(|cc| {
            needlepoint::ui::window_app(cc, store, Protocol::shipped().expect("protocol"), today)
        });
    h.run();
    // The day opened by the clinic's lead (the sign-in screen itself is tested in staff_sign_in).
    h.state_mut().sign_in_for_test(super::LEAD);
    h.run();
    h
}

/// Types the lead's PIN under a signing summary, clicks `sign`, and lets the PIN check finish.
pub fn sign_with_pin(h: &mut Harness<'_, NeedlepointApp>, sign: &str) {
    type_into(
        h,
        needlepoint::ui::views::signing::SIGNER_PIN_LABEL,
        super::LEAD_PIN,
    );
    h.get_by_label(sign).click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
}

pub fn type_into(h: &mut Harness<'_, NeedlepointApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Replaces what a field holds (select all, then type).
pub fn replace_in(h: &mut Harness<'_, NeedlepointApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

pub fn choose(h: &mut Harness<'_, NeedlepointApp>, combo: &str, option_contains: &str) {
    h.get_by_label(combo).click();
    h.run();
    h.get_by_label_contains(option_contains).click();
    h.run();
}

/// The app on `db` as of `today` (a window 1280 × `height`), with `client`'s record open.
pub fn record_of(
    db: &TempDb,
    client: needlepoint::domain::ClientId,
    today: NaiveDate,
    height: f32,
) -> Harness<'static, NeedlepointApp> {
    let app = NeedlepointApp::new(open(db), Protocol::shipped().expect("protocol"), today);
    let mut h = Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1280.0, height))
        .build_eframe(|cc| {
            needlepoint::ui::fonts::install(&cc.egui_ctx);
            app
        });
    h.run();
    h.state_mut().sign_in_for_test(super::LEAD);
    h.state_mut().open_client_for_test(client);
    h.run();
    h
}
