//! Every screen fits the window from 1024 × 700 to 1920 × 1080 (issue 14, point 4): the main
//! actions of each screen lie inside the window, none past its right or bottom edge.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::fixture;
use crate::common::{date, open, temp_db, TempDb};
use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::{ClientId, SessionStatus};
use needlepoint::protocol::Protocol;
use needlepoint::ui::{NeedlepointApp, Screen};

const TODAY: &str = "2026-12-04";
const SIZES: [(f32, f32); 2] = [(1024.0, 700.0), (1920.0, 1080.0)];

fn app_sized(db: &TempDb, today: NaiveDate, (w, h): (f32, f32)) -> Harness<'static, NeedlepointApp> {
    let store = open(db);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(w, h))
        .with_max_steps(10_000)
        .build_eframe(|cc| {
            needlepoint::ui::window_app(cc, store, Protocol::shipped().expect("protocol"), today)
                .signed_in_as(crate::common::LEAD)
        });
    harness.run();
    harness.state_mut().wait_for_background_work();
    harness.run();
    harness
}

/// Each labelled widget is inside the window, whole.
fn assert_inside(h: &Harness<'_, NeedlepointApp>, (w, hgt): (f32, f32), screen: &str, labels: &[&str]) {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, hgt));
    for label in labels {
        let rect = h.get_by_label(label).rect();
        assert!(
            window.expand(0.5).contains_rect(rect),
            "{screen} at {w}×{hgt}: \"{label}\" at {rect:?} is not inside the window"
        );
    }
}

/// A demo client whose record shows a treated session (aftercare to print) and a next one to
/// book: the widest rows a record has.
fn busy_client(db: &TempDb) -> (ClientId, u8, u8) {
    let mut store = open(db);
    let protocol = Protocol::shipped().unwrap();
    needlepoint::demo::generate(&mut store, &protocol, 60, date(TODAY), 7, |_, _| {}).unwrap();
    for c in store.client_page(0, 100, false).unwrap() {
        let record = store.client_record(c.id).unwrap().unwrap();
        for plan in &record.plans {
            let done = plan.sessions.iter().rfind(|s| s.status == SessionStatus::Done);
            let next = plan
                .sessions
                .iter()
                .find(|s| matches!(s.status, SessionStatus::Planned | SessionStatus::Booked));
            if let (Some(done), Some(next)) = (done, next) {
                return (c.id, done.number, next.number);
            }
        }
    }
    panic!("no demo client with a treated and a next session");
}

#[test]
fn the_lists_and_a_busy_record_fit_from_1024_by_700_to_1920_by_1080() {
    let db = temp_db();
    let (client, done, next) = busy_client(&db);
    for size in SIZES {
        let mut h = app_sized(&db, date(TODAY), size);
        let nav = ["Today", "Clients", "Products", "Protocol", "Settings"];
        assert_inside(&h, size, "the navigation bar", &nav);

        h.get_by_label("Clients").click();
        h.run();
        assert_inside(
            &h,
            size,
            "the client list",
            &["Search clients", "New client (Ctrl+N)", "Import from CSV…"],
        );
        h.get_by_label_contains("Last visit");
        assert!(
            h.get_by_label_contains("Last visit").rect().max.x <= size.0,
            "the client list's last column runs past the window at {size:?}"
        );

        h.state_mut().open_client_for_test(client);
        h.run();
        let print = format!("Print aftercare for session {done}");
        let book = h
            .query_by_label(&format!("Book session {next}"))
            .map(|_| format!("Book session {next}"))
            .unwrap_or_else(|| format!("Rebook session {next}"));
        assert_inside(
            &h,
            size,
            "a busy client record",
            &[
                "Edit details",
                "Screen today",
                "New plan",
                "Export record",
                &print,
                &book,
            ],
        );

        h.get_by_label("Screen today").click();
        h.run();
        assert_inside(&h, size, "the screening", &["Cancel screening", "Sign screening"]);
        h.get_by_label("Cancel screening").click();
        h.run();

        for (screen, labels) in [
            (Screen::Products, &["Add lot", "Find clients"][..]),
            (Screen::Settings, &["Save settings"][..]),
            (Screen::Today, &["Today"][..]),
        ] {
            h.get_by_label(screen.title()).click();
            h.run();
            h.state_mut().wait_for_background_work();
            h.run();
            assert_inside(&h, size, screen.title(), labels);
        }
    }
}

#[test]
fn the_session_form_fits_from_1024_by_700_to_1920_by_1080() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    for size in SIZES {
        let mut h = app_sized(&db, date(TODAY), size);
        h.state_mut().open_client_for_test(f.client.id);
        h.run();
        assert_inside(&h, size, "a record with a started session", &["Record session 1"]);
        h.get_by_label("Record session 1").click();
        h.run();
        assert_inside(
            &h,
            size,
            "the session form",
            &[
                "< Back to the record",
                "Complete and sign session",
                "Depth (mm) for Cheeks",
            ],
        );
        h.get_by_label("< Back to the record").click();
        h.run();
    }
}
