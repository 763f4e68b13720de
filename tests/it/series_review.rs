//! Series (issue 15, point 7; review B9): a series never plans fewer sessions than its
//! concern's evidence used, and a completed series is reviewed three months after its last
//! session (P14): the date is kept with the plan, listed on Today around it, and printed on the
//! last aftercare sheet.

use crate::common::sessions::{fixture, Fixture};
use crate::common::{date, temp_db};
use needlepoint::domain::series::review_date;
use needlepoint::domain::{AreaDraft, PlanStatus, SessionRecordDraft};
use needlepoint::print::{build, gather, render, Sheet, Templates};

#[test]
fn wrinkles_and_loose_skin_plan_the_four_sessions_the_pen_study_used() {
    let p = crate::common::shipped_protocol();
    for id in ["wrinkles_fine_lines", "loose_skin"] {
        let c = crate::common::concern(id, "cheeks");
        assert_eq!(
            p.propose_plan(&[&c]).sessions,
            4,
            "{id}: P18 used 4 sessions, never 1"
        );
    }
}

#[test]
fn the_review_date_is_three_months_after_the_last_session_and_month_ends_clamp() {
    assert_eq!(review_date(date("2026-11-21")), date("2027-02-21"));
    assert_eq!(review_date(date("2026-11-30")), date("2027-02-28"));
    assert_eq!(review_date(date("2027-11-30")), date("2028-02-29"));
}

/// A one-session series treated on `on`: the plan is then complete.
fn treated_once(db: &crate::common::TempDb, on: &str) -> Fixture {
    let mut f = fixture(db, on, 1);
    let screening = f.screen_and_start(1, date(on), f.protocol.safe_answers());
    let session = f.session(1);
    let draft = SessionRecordDraft {
        areas: vec![AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            endpoint: "pinpoint bleeding".to_owned(),
            ..AreaDraft::default()
        }],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    };
    let record = f.validated_record(&draft, &session, &screening, date(on));
    f.try_complete(1, &record, &screening).unwrap();
    f
}

#[test]
fn today_lists_the_review_from_a_week_before_to_four_weeks_after() {
    let db = temp_db();
    let f = treated_once(&db, "2026-11-21");
    let plans = f.store.plans_of(f.client.id).unwrap();
    assert_eq!(plans[0].status, PlanStatus::Completed);
    let listed = |day: &str| {
        let o = f.store.today_overview(date(day)).unwrap();
        o.reviews_due
            .rows
            .iter()
            .map(|r| (r.client_name.clone(), r.date))
            .collect::<Vec<_>>()
    };
    let due = date("2027-02-21");
    assert!(listed("2027-02-13").is_empty(), "eight days before: not yet");
    assert_eq!(
        listed("2027-02-14"),
        [("Amara Okafor".to_owned(), due)],
        "a week before"
    );
    assert_eq!(listed("2027-02-21").len(), 1, "on the day");
    assert_eq!(listed("2027-03-21").len(), 1, "four weeks after");
    assert!(listed("2027-03-22").is_empty(), "then off the list");
    let row = &f.store.today_overview(due).unwrap().reviews_due.rows[0];
    assert!(row.detail.starts_with("Review of results"), "{}", row.detail);
}

#[test]
fn the_last_aftercare_sheet_names_the_review_date() {
    let db = temp_db();
    let f = treated_once(&db, "2026-11-21");
    let mut facts = gather::session_facts(&f.store, f.session(1).id, date("2026-11-21")).unwrap();
    facts.clinic.name = "Clínica Aurora".to_owned();
    facts.clinic.address = "Rua das Flores 12".to_owned();
    facts.clinic.phone = "+351 21 123 4567".to_owned();
    let sheet = build::aftercare(&facts, &f.protocol).unwrap();
    assert_eq!(sheet.review_on.as_deref(), Some("Sunday 21 February 2027"));
    let pdf = render(
        &Sheet::Aftercare(sheet),
        &Templates::shipped(),
        date("2026-11-21"),
    )
    .unwrap()
    .pdf;
    let text = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Your results are reviewed from Sunday 21 February 2027"),
        "{text}"
    );
}

#[test]
fn an_earlier_sessions_sheet_printed_after_the_series_ended_names_no_review() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-21", 2);
    for (number, on) in [(1, "2026-11-21"), (2, "2026-12-19")] {
        let screening = f.screen_and_start(number, date(on), f.protocol.safe_answers());
        let session = f.session(number);
        let draft = SessionRecordDraft {
            areas: vec![AreaDraft {
                area: "cheeks".to_owned(),
                depth: "1.00".to_owned(),
                passes: "2".to_owned(),
                ..AreaDraft::default()
            }],
            serum: Some(f.ha_gel.id),
            cartridge: Some(f.cartridge.id),
            practitioner: "Dr. Maya Lindqvist".to_owned(),
            ..SessionRecordDraft::default()
        };
        let record = f.validated_record(&draft, &session, &screening, date(on));
        f.try_complete(number, &record, &screening).unwrap();
    }
    let mut first = gather::session_facts(&f.store, f.session(1).id, date("2027-01-05")).unwrap();
    first.clinic.name = "Clínica Aurora".to_owned();
    first.clinic.phone = "+351 21 123 4567".to_owned();
    let sheet = build::aftercare(&first, &f.protocol).unwrap();
    assert!(!sheet.series_complete, "session 1 was not the last");
    assert_eq!(sheet.review_on, None);
    let mut last = gather::session_facts(&f.store, f.session(2).id, date("2027-01-05")).unwrap();
    last.clinic = first.clinic.clone();
    let sheet = build::aftercare(&last, &f.protocol).unwrap();
    assert_eq!(sheet.review_on.as_deref(), Some("Friday 19 March 2027"));
}
