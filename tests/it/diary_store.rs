//! The diary in the store: no double booking of a room, a pen or a client (also when two
//! connections race for the slot), a practitioner double-booked only with a reason, the day's
//! status flow, a no-show's session back on the desk's lists, and old booked dates migrated.

use needlepoint::domain::diary::{Booking, Placement, TimeSpan};
use needlepoint::domain::{AppointmentStatus, ClientId, DeviceId, Role, RoomId, SessionStatus, StaffId};
use needlepoint::store::{Store, StoreError};

use crate::common::sessions::fixture;

use crate::common::{add_staff, date, file_only, lead, temp_db, TempDb};

struct Diary {
    store: Store,
    client: ClientId,
    other: ClientId,
    lead: StaffId,
    nurse: StaffId,
    room1: RoomId,
    room2: RoomId,
    pen: DeviceId,
}

const TODAY: &str = "2026-11-22";

fn diary(db: &TempDb) -> (Diary, crate::common::sessions::Fixture) {
    let mut f = fixture(db, "2026-11-20", 3);
    let nurse = add_staff(&mut f.store, "Nurse Tomasz Wójcik", Role::Practitioner, "1357").id;
    let other = crate::common::client("Ben Other", "1990-01-01", Some("0400 111 222"));
    let (room1, room2, pen) = f
        .store
        .write(lead(), |w| {
            w.insert_client(&other)?;
            Ok((
                w.add_room("Room 1")?,
                w.add_room("Room 2")?,
                w.add_device("Pen A")?,
            ))
        })
        .unwrap();
    let store = Store::open_with_clock(&db.path, crate::common::fixed_now).unwrap();
    (
        Diary {
            store,
            client: f.client.id,
            other: other.id,
            lead: lead().staff.unwrap(),
            nurse,
            room1,
            room2,
            pen,
        },
        f,
    )
}

fn at(start: &str, minutes: u16, who: StaffId, room: RoomId, pen: Option<DeviceId>) -> Placement {
    Placement {
        day: date("2026-11-25"),
        span: TimeSpan {
            start: needlepoint::domain::diary::parse_clock(start).unwrap(),
            minutes,
        },
        practitioner: who,
        room,
        device: pen,
    }
}

fn book(
    d: &mut Diary,
    client: ClientId,
    place: Placement,
    reason: Option<&str>,
) -> Result<needlepoint::domain::AppointmentId, StoreError> {
    let booking = Booking {
        client_id: client,
        session_id: None,
        treatment: if place.device.is_some() {
            "microneedling_face"
        } else {
            "consultation"
        }
        .to_owned(),
        place,
        notes: String::new(),
        override_reason: reason.map(str::to_owned),
        interval_reason: None,
    };
    d.store.write(lead(), |w| w.book(&booking, date(TODAY)))
}

#[test]
fn the_same_room_pen_or_client_cannot_hold_two_overlapping_appointments() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, nurse, room1, room2, pen, client, other) =
        (d.lead, d.nurse, d.room1, d.room2, d.pen, d.client, d.other);
    book(&mut d, client, at("10:00", 60, lead_id, room1, Some(pen)), None).unwrap();

    // Same room, another practitioner and client, overlapping by 15 minutes.
    let room = book(&mut d, other, at("10:45", 30, nurse, room1, None), None).unwrap_err();
    assert!(matches!(room, StoreError::SlotTaken(_)), "{room}");
    assert!(
        room.to_string().contains("Room 1 is booked 10:00–11:00"),
        "{room}"
    );
    assert!(
        room.to_string().contains("Amara Okafor"),
        "names whose appointment it is: {room}"
    );

    // The pen is shared across rooms.
    let pen_clash = book(&mut d, other, at("10:30", 60, nurse, room2, Some(pen)), None).unwrap_err();
    assert!(
        pen_clash.to_string().starts_with("Pen A is booked"),
        "{pen_clash}"
    );

    // The client cannot be in two rooms at once.
    let client_clash = book(&mut d, client, at("10:30", 30, nurse, room2, None), None).unwrap_err();
    assert!(
        client_clash.to_string().starts_with("The client is booked"),
        "{client_clash}"
    );

    // Back to back is fine.
    book(&mut d, other, at("11:00", 30, nurse, room1, None), None).unwrap();
    assert_eq!(
        d.store
            .appointments_between(date("2026-11-25"), date("2026-11-25"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_file_itself_refuses_an_overlapping_room() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, room1, client) = (d.lead, d.room1, d.client);
    book(&mut d, client, at("10:00", 60, lead_id, room1, None), None).unwrap();
    let raw = d.store.execute_raw(&format!(
        "INSERT INTO appointments (id, client_id, treatment, day, start_minute, minutes, practitioner_id, room_id, status, created_at, updated_at)
         VALUES ('00000000-0000-7000-8000-0000000000aa', '{}', 'consultation', '2026-11-25', 630, 30, '{}', '{}', 'booked', 'x', 'x')",
        d.other, d.nurse, d.room1
    ));
    assert!(raw.unwrap_err().to_string().contains("That time is taken"));
}

#[test]
fn a_practitioner_double_booking_needs_a_written_reason() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, room1, room2, client, other) = (d.lead, d.room1, d.room2, d.client, d.other);
    book(&mut d, client, at("10:00", 60, lead_id, room1, None), None).unwrap();
    let asked = book(&mut d, other, at("10:15", 15, lead_id, room2, None), None).unwrap_err();
    assert!(matches!(asked, StoreError::NeedsReason(_)), "{asked}");
    assert!(
        asked
            .to_string()
            .contains("Dr. Maya Lindqvist is booked 10:00–11:00"),
        "{asked}"
    );
    let id = book(
        &mut d,
        other,
        at("10:15", 15, lead_id, room2, None),
        Some("Quick review between passes"),
    )
    .unwrap();
    let stored = d.store.appointment(id).unwrap().unwrap();
    assert_eq!(
        stored.override_reason.as_deref(),
        Some("Quick review between passes")
    );
}

#[test]
fn outside_working_hours_or_on_a_closed_day_needs_a_reason() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (nurse, room1, client) = (d.nurse, d.room1, d.client);
    // 2026-11-25 is a Wednesday: the nurse works Monday to Wednesday, 09:00–17:00.
    let day = TimeSpan {
        start: 540,
        minutes: 480,
    };
    d.store
        .write(lead(), |w| {
            w.set_working_hours(nurse, &[(1, day), (2, day), (3, day)])
        })
        .unwrap();
    let early = book(&mut d, client, at("08:00", 30, nurse, room1, None), None).unwrap_err();
    assert!(
        early.to_string().contains("their hours that day are 09:00–17:00"),
        "{early}"
    );
    book(&mut d, client, at("09:00", 30, nurse, room1, None), None).unwrap();
    d.store
        .write(lead(), |w| w.add_closure(date("2026-11-25"), "Staff training"))
        .unwrap();
    let closed = book(&mut d, client, at("14:00", 30, nurse, room1, None), None).unwrap_err();
    assert!(
        closed
            .to_string()
            .contains("closed on 2026-11-25 (Staff training)"),
        "{closed}"
    );
}

#[test]
fn two_connections_racing_for_one_slot_one_wins_and_the_other_is_told_which() {
    let db = temp_db();
    let (d, _f) = diary(&db);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let results: Vec<_> = [d.client, d.other]
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let path = db.path.clone();
            let barrier = barrier.clone();
            let place = Placement {
                day: date("2026-11-25"),
                span: TimeSpan {
                    start: 600,
                    minutes: 60,
                },
                practitioner: if i == 0 { d.lead } else { d.nurse },
                room: d.room1,
                device: None,
            };
            std::thread::spawn(move || {
                let mut store = Store::open_with_clock(&path, crate::common::fixed_now).unwrap();
                let booking = Booking {
                    client_id: client,
                    session_id: None,
                    treatment: "consultation".to_owned(),
                    place,
                    notes: String::new(),
                    override_reason: None,
                    interval_reason: None,
                };
                barrier.wait();
                store.write(lead(), |w| w.book(&booking, date(TODAY)))
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "exactly one booking wins: {results:?}");
    let lost = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(
        matches!(lost, StoreError::SlotTaken(_)),
        "the loser is told the slot was taken: {lost}"
    );
    assert!(
        lost.to_string().contains("Room 1 is booked 10:00–11:00"),
        "{lost}"
    );
}

#[test]
fn a_day_runs_from_arrival_to_done_and_never_backwards() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, room1, client) = (d.lead, d.room1, d.client);
    let id = book(&mut d, client, at("10:00", 60, lead_id, room1, None), None).unwrap();
    let set = |d: &mut Diary, to, reason: Option<&str>| {
        d.store
            .write(lead(), |w| w.set_appointment_status(id, to, reason, "09:58"))
    };
    set(&mut d, AppointmentStatus::Arrived, None).unwrap();
    let a = d.store.appointment(id).unwrap().unwrap();
    assert_eq!(
        (a.status, a.arrived_at.as_deref()),
        (AppointmentStatus::Arrived, Some("09:58"))
    );
    let back = set(&mut d, AppointmentStatus::Booked, None).unwrap_err();
    assert!(back.to_string().contains("cannot become booked"), "{back}");
    let no_show = set(&mut d, AppointmentStatus::NoShow, Some("never came")).unwrap_err();
    assert!(
        no_show.to_string().contains("arrived cannot become no-show"),
        "{no_show}"
    );
    set(&mut d, AppointmentStatus::InTreatment, None).unwrap();
    set(&mut d, AppointmentStatus::Done, None).unwrap();
    let seen = d.store.appointment(id).unwrap().unwrap();
    let moved = d
        .store
        .write(lead(), |w| {
            w.move_appointment(&seen, &at("12:00", 60, lead_id, room1, None), None, date(TODAY))
        })
        .unwrap_err();
    assert!(moved.to_string().contains("can no longer be moved"), "{moved}");
}

#[test]
fn an_appointment_moved_at_another_desk_is_not_moved_again_from_an_old_view() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, room1, room2, client) = (d.lead, d.room1, d.room2, d.client);
    let id = book(&mut d, client, at("10:00", 60, lead_id, room1, None), None).unwrap();
    // Two desks show the appointment at 10:00; the first moves it to 11:00.
    let seen_at_both = d.store.appointment(id).unwrap().unwrap();
    let mut other_desk = Store::open_with_clock(&db.path, crate::common::fixed_now).unwrap();
    other_desk
        .write(lead(), |w| {
            w.move_appointment(
                &seen_at_both,
                &at("11:00", 60, lead_id, room1, None),
                None,
                date(TODAY),
            )
        })
        .unwrap();
    // The second, still showing 10:00, drags it to room 2 at 14:00: refused, saying who and what.
    let late = d
        .store
        .write(lead(), |w| {
            w.move_appointment(
                &seen_at_both,
                &at("14:00", 60, lead_id, room2, None),
                None,
                date(TODAY),
            )
        })
        .unwrap_err();
    assert!(matches!(late, StoreError::ChangedElsewhere { .. }), "{late}");
    let said = late.to_string();
    assert!(
        said.contains("Dr. Maya Lindqvist") && said.contains("moved to 2026-11-25 11:00"),
        "{said}"
    );
    let now = d.store.appointment(id).unwrap().unwrap();
    assert_eq!(now.start, Some(11 * 60), "the first desk's move stands");
    // Moving again from what the desk shows now is accepted.
    d.store
        .write(lead(), |w| {
            w.move_appointment(&now, &at("14:00", 60, lead_id, room2, None), None, date(TODAY))
        })
        .unwrap();
    // The same move sent again (its answer lost) writes nothing a second time.
    let audit_rows = |d: &Diary| d.store.audit_for_record(&id.to_string()).unwrap().len();
    let before = audit_rows(&d);
    d.store
        .write(lead(), |w| {
            w.move_appointment(&now, &at("14:00", 60, lead_id, room2, None), None, date(TODAY))
        })
        .unwrap();
    assert_eq!(audit_rows(&d), before);
    let end = d.store.appointment(id).unwrap().unwrap();
    assert_eq!((end.start, end.room), (Some(14 * 60), Some(room2)));
}

#[test]
fn a_no_show_asks_for_a_reason_and_puts_the_session_back_to_book_again() {
    let db = temp_db();
    let (mut d, f) = diary(&db);
    let session = f.session(2);
    let booking = Booking {
        client_id: d.client,
        session_id: Some(session.id),
        treatment: "microneedling_face".to_owned(),
        place: Placement {
            day: session.earliest_on.max(date(TODAY)),
            span: TimeSpan {
                start: 600,
                minutes: 60,
            },
            practitioner: d.lead,
            room: d.room1,
            device: Some(d.pen),
        },
        notes: String::new(),
        override_reason: None,
        interval_reason: None,
    };
    let id = d.store.write(lead(), |w| w.book(&booking, date(TODAY))).unwrap();
    let booked = d
        .store
        .sessions_of(f.plan.id)
        .unwrap()
        .into_iter()
        .find(|s| s.number == 2)
        .unwrap();
    assert_eq!(
        (booked.status, booked.booked_on),
        (SessionStatus::Booked, Some(booking.place.day))
    );
    let twice = d
        .store
        .write(lead(), |w| w.book(&booking, date(TODAY)))
        .unwrap_err();
    assert!(twice.to_string().contains("already booked"), "{twice}");

    let no_reason = d
        .store
        .write(lead(), |w| {
            w.set_appointment_status(id, AppointmentStatus::NoShow, Some("  "), "10:30")
        })
        .unwrap_err();
    assert!(
        no_reason.to_string().contains("reason is required"),
        "{no_reason}"
    );
    d.store
        .write(lead(), |w| {
            w.set_appointment_status(
                id,
                AppointmentStatus::NoShow,
                Some("No answer on the phone"),
                "10:30",
            )
        })
        .unwrap();
    let back = d
        .store
        .sessions_of(f.plan.id)
        .unwrap()
        .into_iter()
        .find(|s| s.number == 2)
        .unwrap();
    assert_eq!(
        (back.status, back.booked_on),
        (SessionStatus::Planned, None),
        "to book again"
    );
    // Rebooking the same session inside its window works.
    let mut again = booking.clone();
    again.place.span.start = 840;
    d.store.write(lead(), |w| w.book(&again, date(TODAY))).unwrap();
}

#[test]
fn booked_dates_from_before_the_diary_become_appointments_to_place() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    needlepoint::store::create_at_version(&db.path, 11).unwrap();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(
        "INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at)
         VALUES ('00000000-0000-7000-8000-000000000002', 'Ada Old', '1980-01-01', 2, '2025-01-01', '2025-01-01');
         INSERT INTO treatment_plans (id, client_id, title, status, sessions_planned, interval_min_days,
            interval_target_days, interval_max_days, start_date, protocol_version, created_at)
         VALUES ('00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000002', 'Scars', 'active', 3, 28,
            35, 42, '2026-11-01', 'v1', '2026-11-01');
         INSERT INTO sessions (id, plan_id, number, status, earliest_on, target_on, latest_on, booked_on, created_at)
         VALUES ('00000000-0000-7000-8000-000000000004', '00000000-0000-7000-8000-000000000003', 2, 'booked',
            '2026-11-29', '2026-12-06', '2026-12-13', '2026-12-03', '2026-11-01');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&db.path).unwrap();
    let to_place = store.appointments_to_place(date("2026-12-01")).unwrap();
    assert_eq!(to_place.len(), 1);
    let a = &to_place[0];
    assert_eq!(
        (a.client_name.as_str(), a.appointment.day, a.appointment.start),
        ("Ada Old", date("2026-12-03"), None)
    );
    assert_eq!(
        a.appointment.session_id.map(|s| s.to_string()).as_deref(),
        Some("00000000-0000-7000-8000-000000000004")
    );
    assert_eq!(a.session, Some((2, 3)));
}

#[test]
fn the_visit_moves_the_appointment_in_treatment_and_done_when_the_session_is_signed() {
    use needlepoint::domain::{AreaDraft, SessionRecordDraft};
    let db = temp_db();
    let (d, mut f) = diary(&db);
    // Session 1 of the series, today (the fixture's start), in Room 1 with the pen.
    let today = date("2026-11-20");
    let session = f.session(1);
    let booking = Booking {
        client_id: f.client.id,
        session_id: Some(session.id),
        treatment: "microneedling_face".to_owned(),
        place: Placement {
            day: today,
            span: TimeSpan {
                start: 600,
                minutes: 60,
            },
            practitioner: d.lead,
            room: d.room1,
            device: Some(d.pen),
        },
        notes: String::new(),
        override_reason: None,
        interval_reason: None,
    };
    let id = f.store.write(lead(), |w| w.book(&booking, today)).unwrap();
    f.store
        .write(lead(), |w| {
            w.set_appointment_status(id, AppointmentStatus::Arrived, None, "09:55")
        })
        .unwrap();
    let screening = f.screen_and_start(1, today, f.protocol.safe_answers());
    // Screened and started in one action: the appointment is in treatment.
    assert_eq!(
        f.store.appointment(id).unwrap().unwrap().status,
        AppointmentStatus::InTreatment
    );
    let draft = SessionRecordDraft {
        areas: vec![AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            endpoint: "pinpoint bleeding".to_owned(),
            ..AreaDraft::default()
        }],
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    };
    let started = f.session(1);
    let record = f.validated_record(&draft, &started, &screening, today);
    // "Complete and sign session": the signing marks the appointment done.
    f.try_complete(1, &record, &screening).unwrap();
    assert_eq!(
        f.store.appointment(id).unwrap().unwrap().status,
        AppointmentStatus::Done
    );
}

#[test]
fn a_signed_screening_marks_an_arrived_client_screened() {
    let db = temp_db();
    let (mut d, f) = diary(&db);
    let (lead_id, room1, client) = (d.lead, d.room1, d.client);
    let booking = Booking {
        client_id: client,
        session_id: None,
        treatment: "consultation".to_owned(),
        place: at("10:00", 30, lead_id, room1, None),
        notes: String::new(),
        override_reason: None,
        interval_reason: None,
    };
    let day = booking.place.day;
    let id = d.store.write(lead(), |w| w.book(&booking, date(TODAY))).unwrap();
    d.store
        .write(lead(), |w| {
            w.set_appointment_status(id, AppointmentStatus::Arrived, None, "09:58")
        })
        .unwrap();
    let areas = vec!["cheeks".to_owned()];
    let to_sign = needlepoint::protocol::ScreeningToSign::for_client(
        &f.client,
        day,
        f.protocol.safe_answers(),
        areas,
        "Dr. Maya Lindqvist",
    );
    let mut screening = f.protocol.sign_screening(to_sign).unwrap();
    screening.signed_at = Some(d.store.now());
    d.store.write(lead(), |w| w.insert_screening(&screening)).unwrap();
    assert_eq!(
        d.store.appointment(id).unwrap().unwrap().status,
        AppointmentStatus::Screened
    );
}

#[test]
fn check_reports_two_appointments_written_over_each_other_past_the_triggers() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let (mut d, _f) = diary(&db);
    let (lead_id, nurse, room1, client, other) = (d.lead, d.nurse, d.room1, d.client, d.other);
    book(&mut d, client, at("10:00", 60, lead_id, room1, None), None).unwrap();
    assert_eq!(d.store.check().unwrap().diary_clashes, 0);
    d.store
        .execute_raw("DROP TRIGGER appointments_no_clash_insert")
        .unwrap();
    d.store
        .execute_raw(&format!(
            "INSERT INTO appointments (id, client_id, treatment, day, start_minute, minutes, practitioner_id, room_id, status, created_at, updated_at)
             VALUES ('00000000-0000-7000-8000-0000000000bb', '{other}', 'consultation', '2026-11-25', 630, 30, '{nurse}', '{room1}', 'booked', 'x', 'x')"
        ))
        .unwrap();
    let report = d.store.check().unwrap();
    assert_eq!(report.diary_clashes, 1);
    assert!(!report.is_clean());
}

#[test]
fn the_export_holds_the_appointments_and_anonymising_clears_their_notes_and_reasons() {
    let db = temp_db();
    let (mut d, _f) = diary(&db);
    let (lead_id, room1, client) = (d.lead, d.room1, d.client);
    let mut booking = Booking {
        client_id: client,
        session_id: None,
        treatment: "consultation".to_owned(),
        place: at("10:00", 30, lead_id, room1, None),
        notes: "Prefers Dr. Lindqvist; mentions her divorce".to_owned(),
        override_reason: None,
        interval_reason: None,
    };
    let first = d.store.write(lead(), |w| w.book(&booking, date(TODAY))).unwrap();
    booking.place.span.start = 720;
    let missed = d.store.write(lead(), |w| w.book(&booking, date(TODAY))).unwrap();
    d.store
        .write(lead(), |w| {
            w.set_appointment_status(
                missed,
                AppointmentStatus::Cancelled,
                Some("Hospital stay"),
                "09:00",
            )
        })
        .unwrap();
    let export = d.store.client_export(client).unwrap().unwrap();
    assert_eq!(export.appointments.len(), 2);
    let json = serde_json::to_string(&export).unwrap();
    assert!(json.contains("Hospital stay") && json.contains("\"appointments\""));

    let done = d.store.write(lead(), |w| w.anonymise_client(client)).unwrap();
    assert_eq!(done.appointment_notes_cleared, 2);
    let kept = d.store.appointment(first).unwrap().unwrap();
    assert_eq!(
        (kept.notes.as_str(), kept.start),
        ("", Some(600)),
        "the time stays, the note goes"
    );
    let cancelled = d.store.appointment(missed).unwrap().unwrap();
    assert_eq!(
        cancelled.status_reason.as_deref(),
        Some("Removed when the client was anonymised")
    );
}
