//! `needlepoint day` and `needlepoint reminders` on a demo clinic: the day list lists each
//! practitioner's appointments with the clients' phones; the reminders are a CSV of tomorrow's
//! bookings; both refuse to run without a person and are recorded in the audit log.

use crate::common::cli::{needlepoint, needlepoint_as_demo_lead, text};
use crate::common::temp_db;

const TODAY: &str = "2026-11-23"; // a Monday

fn demo(db: &crate::common::TempDb) -> String {
    let path = db.path.to_str().unwrap().to_owned();
    let made = needlepoint(&["demo", "--clients", "300", "--today", TODAY, "--db", &path]);
    assert!(made.status.success(), "{}", text(&made));
    path
}

#[test]
fn the_day_list_prints_each_practitioners_appointments_with_phones() {
    let db = temp_db();
    let path = demo(&db);
    let store = needlepoint::store::Store::open(&db.path).unwrap();
    let day = crate::common::date("2026-11-24");
    let entries = store.diary(day, day).unwrap();
    let first = entries
        .iter()
        .find(|e| e.appointment.status != needlepoint::domain::AppointmentStatus::Cancelled)
        .unwrap();
    let (name, phone) = (first.client_name.clone(), first.phone.clone().unwrap_or_default());
    drop(store);

    let out = db.dir.path().join("day.pdf");
    let refused = needlepoint(&[
        "day",
        "--date",
        "2026-11-24",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(
        !refused.status.success(),
        "printing clients' phones needs a person: {}",
        text(&refused)
    );
    let made = needlepoint_as_demo_lead(&[
        "day",
        "--date",
        "2026-11-24",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(made.status.success(), "{}", text(&made));
    let pdf = std::fs::read(&out).unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("Day list: Tuesday 24 November 2026"), "{words}");
    assert!(words.contains("Dr. Maya Lindqvist"), "{words}");
    assert!(
        words.contains(&name) && words.contains(&phone),
        "{name} {phone} in {words}"
    );

    let bad = needlepoint_as_demo_lead(&[
        "day",
        "--date",
        "24/11/2026",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(
        text(&bad).contains("is not a date. Write it as year-month-day"),
        "{}",
        text(&bad)
    );
    let store = needlepoint::store::Store::open(&db.path).unwrap();
    let history = store.audit_for_record("2026-11-24").unwrap();
    assert!(
        history.iter().any(|a| a.detail.starts_with("day list to")),
        "{history:?}"
    );
}

#[test]
fn reminders_are_a_csv_of_the_days_bookings_and_are_recorded() {
    let db = temp_db();
    let path = demo(&db);
    let out = db.dir.path().join("reminders.csv");
    let made = needlepoint_as_demo_lead(&[
        "reminders",
        "--date",
        "2026-11-24",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(made.status.success(), "{}", text(&made));
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("date,time,client,phone,email,treatment"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.starts_with("\"2026-11-24\",\"")),
        "{rows:?}"
    );
    let store = needlepoint::store::Store::open(&db.path).unwrap();
    let booked = store
        .diary(
            crate::common::date("2026-11-24"),
            crate::common::date("2026-11-24"),
        )
        .unwrap()
        .into_iter()
        .filter(|e| e.appointment.status == needlepoint::domain::AppointmentStatus::Booked)
        .count();
    assert_eq!(rows.len(), booked, "one line per booking still standing");
    assert!(text(&made).contains(&format!("{booked} reminders for 2026-11-24")));
    let history = store.audit_for_record("2026-11-24").unwrap();
    assert!(
        history.iter().any(|a| a.detail.contains("reminders to")),
        "{history:?}"
    );
}
