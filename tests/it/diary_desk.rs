//! The diary at the desk, driven through the window: the keyboard books at the cursor, a slot
//! taken meanwhile by another desk is named and the form kept, the day's flow buttons move an
//! appointment along, a no-show offers to rebook inside the window, dragging a block moves it
//! (and a drag onto a taken room does not), the record's "Book session" goes through the diary.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::diary::{Booking, Placement, TimeSpan};
use needlepoint::domain::{AppointmentStatus, DeviceId, RoomId, SessionStatus};
use needlepoint::store::Store;
use needlepoint::ui::views::{booking_form as form, day_grid, diary as view};
use needlepoint::ui::NeedlepointApp;

use crate::common::sessions::{fixture, Fixture};
use crate::common::ui::{app_on, replace_in, type_into};
use crate::common::{date, lead, TempDb};

/// A Monday; the fixture's series starts the Friday before.
const TODAY: &str = "2026-11-23";

fn clinic(db: &TempDb) -> (Fixture, RoomId, RoomId, DeviceId) {
    let mut f = fixture(db, "2026-10-26", 3);
    let (r1, r2, pen) = f
        .store
        .write(lead(), |w| {
            w.save_clinic_settings(&needlepoint::domain::ClinicSettings {
                name: "Clínica Aurora".to_owned(),
                address: "Rua das Flores 12".to_owned(),
                phone: "+351 21 123 4567".to_owned(),
                paper_size: needlepoint::domain::PaperSize::A4,
                practitioners: Vec::new(),
            })?;
            Ok((
                w.add_room("Room 1")?,
                w.add_room("Room 2")?,
                w.add_device("Pen A")?,
            ))
        })
        .unwrap();
    (f, r1, r2, pen)
}

fn desk(db: &TempDb) -> Harness<'static, NeedlepointApp> {
    let mut h = app_on(db, date(TODAY), 800.0);
    h.state_mut()
        .set_wall_clock_for_test(|| chrono::NaiveTime::from_hms_opt(9, 58, 0).unwrap());
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, NeedlepointApp>) {
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
}

fn book_at(
    f: &mut Fixture,
    start: u16,
    room: RoomId,
    pen: Option<DeviceId>,
    session: bool,
) -> needlepoint::domain::AppointmentId {
    let booking = Booking {
        client_id: f.client.id,
        session_id: session.then(|| f.session(2).id),
        treatment: if pen.is_some() {
            "microneedling_face"
        } else {
            "consultation"
        }
        .to_owned(),
        place: Placement {
            day: date(TODAY),
            span: TimeSpan { start, minutes: 60 },
            practitioner: lead().staff.unwrap(),
            room,
            device: pen,
        },
        notes: String::new(),
        override_reason: None,
        interval_reason: None,
    };
    f.store.write(lead(), |w| w.book(&booking, date(TODAY))).unwrap()
}

#[test]
fn the_keyboard_books_at_the_cursor() {
    let db = crate::common::temp_db();
    let (f, ..) = clinic(&db);
    drop(f);
    let mut h = desk(&db);
    h.get_by_label(day_grid::GRID_LABEL);
    // The cursor starts at 09:00 in the first column; four quarter hours down is 10:00.
    for _ in 0..4 {
        h.key_press(egui::Key::ArrowDown);
        h.run();
    }
    h.key_press(egui::Key::N);
    h.run();
    assert_eq!(
        h.get_by_label(form::START_LABEL).value().as_deref(),
        Some("10:00")
    );
    type_into(&mut h, form::CLIENT_SEARCH_LABEL, "Amara");
    h.get_by_label_contains("Amara Okafor · born").click();
    h.run();
    h.get_by_label(form::BOOK_BUTTON).click();
    settle(&mut h);
    let day = h
        .state()
        .store()
        .appointments_between(date(TODAY), date(TODAY))
        .unwrap();
    assert_eq!(day.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(
        (day[0].start, day[0].status),
        (Some(600), AppointmentStatus::Booked)
    );
    assert!(h
        .state()
        .status_text()
        .unwrap_or_default()
        .contains("Amara Okafor booked today"));
    h.get_by_label("Appointment 10:00 Amara Okafor");
}

#[test]
fn a_slot_taken_by_another_desk_meanwhile_is_named_and_the_form_kept() {
    let db = crate::common::temp_db();
    let (f, r1, ..) = clinic(&db);
    let mut h = desk(&db);
    h.get_by_label(view::NEW_BOOKING_LABEL).click();
    h.run();
    type_into(&mut h, form::CLIENT_SEARCH_LABEL, "Amara");
    h.get_by_label_contains("Amara Okafor · born").click();
    h.run();
    replace_in(&mut h, form::START_LABEL, "11:00");
    replace_in(&mut h, form::NOTES_LABEL, "Prefers the window seat");
    // Another desk books Room 1 at 11:30 for someone else.
    let other = crate::common::client("Ben Other", "1990-01-01", None);
    let mut desk2 = Store::open(&db.path).unwrap();
    desk2
        .write(lead(), |w| {
            w.insert_client(&other)?;
            w.book(
                &Booking {
                    client_id: other.id,
                    session_id: None,
                    treatment: "consultation".to_owned(),
                    place: Placement {
                        day: date(TODAY),
                        span: TimeSpan {
                            start: 690,
                            minutes: 30,
                        },
                        practitioner: lead().staff.unwrap(),
                        room: r1,
                        device: None,
                    },
                    notes: String::new(),
                    override_reason: Some("Covering".to_owned()),
                    interval_reason: None,
                },
                date(TODAY),
            )
        })
        .unwrap();
    drop(desk2);
    drop(f);
    h.get_by_label(form::BOOK_BUTTON).click();
    settle(&mut h);
    h.get_by_label_contains("Room 1 is booked 11:30–12:00");
    h.get_by_label_contains("(Ben Other, Consultation)");
    assert_eq!(
        h.get_by_label(form::START_LABEL).value().as_deref(),
        Some("11:00"),
        "the form is kept"
    );
    assert_eq!(
        h.get_by_label(form::NOTES_LABEL).value().as_deref(),
        Some("Prefers the window seat")
    );
}

#[test]
fn arrived_records_the_time_and_a_no_show_asks_why_then_offers_the_window() {
    let db = crate::common::temp_db();
    let (mut f, r1, _, pen) = clinic(&db);
    let id = book_at(&mut f, 540, r1, Some(pen), true);
    drop(f);
    let mut h = desk(&db);
    h.get_by_label("Appointment 09:00 Amara Okafor").click();
    h.run();
    h.get_by_label(view::ARRIVED_LABEL).click();
    settle(&mut h);
    let a = h.state().store().appointment(id).unwrap().unwrap();
    assert_eq!(
        (a.status, a.arrived_at.as_deref()),
        (AppointmentStatus::Arrived, Some("09:58"))
    );
    assert!(
        h.query_by_label(view::NO_SHOW_LABEL).is_none(),
        "someone who came is no no-show"
    );

    // A second booking of the series' next session, missed.
    let db2 = crate::common::temp_db();
    let (mut f2, r1b, _, penb) = clinic(&db2);
    let missed = book_at(&mut f2, 540, r1b, Some(penb), true);
    let plan = f2.plan.id;
    drop(f2);
    let mut h = desk(&db2);
    h.get_by_label("Appointment 09:00 Amara Okafor").click();
    h.run();
    h.get_by_label(view::NO_SHOW_LABEL).click();
    h.run();
    h.get_by_label(form::CONFIRM_NO_SHOW_LABEL).click();
    h.run();
    h.get_by_label_contains("The reason is required");
    type_into(&mut h, form::REASON_LABEL, "No answer on the phone");
    h.get_by_label(form::CONFIRM_NO_SHOW_LABEL).click();
    settle(&mut h);
    let a = h.state().store().appointment(missed).unwrap().unwrap();
    assert_eq!(
        (a.status, a.status_reason.as_deref()),
        (AppointmentStatus::NoShow, Some("No answer on the phone"))
    );
    let session = h
        .state()
        .store()
        .sessions_of(plan)
        .unwrap()
        .into_iter()
        .find(|s| s.number == 2)
        .unwrap();
    assert_eq!(
        session.status,
        SessionStatus::Planned,
        "back on the lists to book"
    );
    // The booking form opens on the session with its window's first free slots.
    h.get_by_label_contains(form::SUGGESTIONS_HEADING);
    h.get_by_label(form::BOOK_BUTTON);
}

#[test]
fn dragging_a_block_moves_it_and_a_drag_onto_a_taken_room_does_not() {
    let db = crate::common::temp_db();
    let (mut f, r1, _, _) = clinic(&db);
    let nurse = crate::common::add_staff(
        &mut f.store,
        "Nurse Tomasz Wójcik",
        needlepoint::domain::Role::Practitioner,
        "1357",
    );
    let moving = book_at(&mut f, 540, r1, None, false);
    // The nurse holds Room 1 at 12:00–13:00.
    let other = crate::common::client("Ben Other", "1990-01-01", None);
    f.store
        .write(lead(), |w| {
            w.insert_client(&other)?;
            w.book(
                &Booking {
                    client_id: other.id,
                    session_id: None,
                    treatment: "consultation".to_owned(),
                    place: Placement {
                        day: date(TODAY),
                        span: TimeSpan {
                            start: 720,
                            minutes: 60,
                        },
                        practitioner: nurse.id,
                        room: r1,
                        device: None,
                    },
                    notes: String::new(),
                    override_reason: None,
                    interval_reason: None,
                },
                date(TODAY),
            )
        })
        .unwrap();
    drop(f);
    let mut h = desk(&db);
    let drag = |h: &mut Harness<'static, NeedlepointApp>, label: &str, dy: f32| {
        let from = h.get_by_label(label).rect().center();
        h.drag_at(from);
        h.run();
        for step in 1..=6 {
            h.hover_at(from + egui::vec2(0.0, dy * step as f32 / 6.0));
            h.run();
        }
        h.drop_at(from + egui::vec2(0.0, dy));
        settle(h);
    };
    // An hour is a 60-minute block's height (and the pixel between blocks); 09:00 → 10:00.
    let hour = h.get_by_label("Appointment 09:00 Amara Okafor").rect().height() + 1.0;
    drag(&mut h, "Appointment 09:00 Amara Okafor", hour);
    let a = h.state().store().appointment(moving).unwrap().unwrap();
    assert_eq!(
        a.start,
        Some(600),
        "moved an hour later: {:?}",
        h.state().status_text()
    );
    // Onto the nurse's Room 1 hour (12:00): refused by the live check, nothing moves.
    drag(&mut h, "Appointment 10:00 Amara Okafor", 2.5 * hour);
    let a = h.state().store().appointment(moving).unwrap().unwrap();
    assert_eq!(a.start, Some(600), "a drag onto a taken room is not let go there");
}

#[test]
fn the_records_book_button_goes_through_the_diary_and_the_prep_sheet_names_the_time() {
    let db = crate::common::temp_db();
    let (f, ..) = clinic(&db);
    let (client, plan) = (f.client.id, f.plan.id);
    drop(f);
    let mut h = desk(&db);
    h.state_mut().open_client_for_test(client);
    h.run();
    h.get_by_label("Book session 1").click();
    settle(&mut h);
    h.get_by_label_contains(form::SUGGESTIONS_HEADING);
    let start = h.get_by_label(form::START_LABEL).value().unwrap_or_default();
    h.get_by_label(form::BOOK_BUTTON).click();
    settle(&mut h);
    let store = h.state().store();
    let s1 = store
        .sessions_of(plan)
        .unwrap()
        .into_iter()
        .find(|s| s.number == 1)
        .unwrap();
    assert_eq!(s1.status, SessionStatus::Booked, "{:?}", h.state().status_text());
    let (day, minute) = store.booked_time(s1.id).unwrap().expect("a time in the diary");
    assert_eq!(needlepoint::domain::diary::clock(minute), start);
    let facts = needlepoint::print::gather::session_facts(store, s1.id, date(TODAY)).unwrap();
    let sheet = needlepoint::print::build::preparation(&facts, crate::common::shipped_protocol()).unwrap();
    assert!(
        sheet.appointment.ends_with(&format!("at {start}")),
        "{} on {day}",
        sheet.appointment
    );
}
