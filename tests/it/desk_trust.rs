//! The desk never signs by accident, never loses typed work, and its sheets and lists tell the
//! truth after a change (issue 14, points 1, 2, 3 and 9).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sessions::{fixture, Fixture};
use crate::common::ui::{app_on, choose, type_into};
use crate::common::{date, open, temp_db, TempDb};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use needlepoint::domain::{SessionStatus, TodayOverview};
use needlepoint::print::{build, gather};
use needlepoint::store::DraftKind;
use needlepoint::ui::NeedlepointApp;

const TODAY: &str = "2026-11-22";

fn app(db: &TempDb, f: &Fixture, today: &str) -> Harness<'static, NeedlepointApp> {
    let mut h = app_on(db, date(today), 1400.0);
    h.state_mut().open_client_for_test(f.client.id);
    h.run();
    h
}

/// The session form with cheeks filled in and a cartridge lot chosen: ready to sign.
fn filled_session_form(db: &TempDb, f: &Fixture) -> Harness<'static, NeedlepointApp> {
    let mut h = app(db, f, TODAY);
    h.get_by_label("Record session 1").click();
    h.run();
    type_into(&mut h, "Depth (mm) for Cheeks", "1.00");
    choose(&mut h, "Needle cartridge lot", "CT-77");
    type_into(&mut h, "Passes for Cheeks", "2");
    h
}

// ---- 1. Signing is always deliberate ----------------------------------------------------

#[test]
fn enter_in_the_session_form_signs_nothing_and_signing_shows_what_will_be_signed() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    let mut h = filled_session_form(&db, &f);

    // Enter in a one-line field (the cursor still in "Passes").
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        f.sessions()[0].status,
        SessionStatus::Planned,
        "Enter must never sign"
    );

    // The first click shows exactly what would be signed, and signs nothing yet.
    h.get_by_label("Complete and sign session").click();
    h.run();
    h.get_by_label("Check before signing session 1");
    h.get_by_label_contains("1.00 mm × 2 passes");
    h.get_by_label_contains("lot CT-77");
    h.get_by_label("Dr. Maya Lindqvist");
    assert_eq!(f.sessions()[0].status, SessionStatus::Planned);

    // Back keeps everything; Enter on the summary signs nothing either.
    h.get_by_label("Back to the form").click();
    h.run();
    assert_eq!(h.get_by_label("Passes for Cheeks").value().as_deref(), Some("2"));
    h.get_by_label("Complete and sign session").click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(f.sessions()[0].status, SessionStatus::Planned);

    crate::common::ui::sign_with_pin(&mut h, "Sign this session");
    assert_eq!(f.sessions()[0].status, SessionStatus::Done);
}

#[test]
fn an_amendment_is_signed_only_from_its_summary() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    {
        let mut h = filled_session_form(&db, &f);
        h.get_by_label("Complete and sign session").click();
        h.run();
        crate::common::ui::sign_with_pin(&mut h, "Sign this session");
    }
    let mut h = app(&db, &f, TODAY);
    h.get_by_label_contains("Amend session 1").click();
    h.run();
    type_into(&mut h, "Reason for the amendment", "Wrong passes");
    type_into(&mut h, "Correction", "Cheeks: 3 passes, not 2.");
    type_into(&mut h, "Amendment signed by", "Dr. Maya Lindqvist");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Sign amendment").click();
    h.run();
    let session = f.session(1).id;
    assert!(f.store.session_amendments(session).unwrap().is_empty(), "not yet");
    h.get_by_label("Check before signing the amendment");
    crate::common::ui::sign_with_pin(&mut h, "Sign this amendment");
    assert_eq!(f.store.session_amendments(session).unwrap().len(), 1);
}

// ---- 2. Nothing typed is lost ------------------------------------------------------------

#[test]
fn esc_on_a_typed_new_client_form_asks_keep_editing_or_discard() {
    let db = temp_db();
    let mut h = app_on(&db, date(TODAY), 900.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    type_into(&mut h, "Full name", "Grace Lovelace");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().unsaved_question(), Some("the new client form"));
    h.get_by_label("Keep editing").click();
    h.run();
    assert_eq!(
        h.get_by_label("Full name").value().as_deref(),
        Some("Grace Lovelace"),
        "nothing typed is lost"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.query_by_label("Full name").is_none(), "discarded on request");

    // An untouched form closes on Esc without a question.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    h.get_by_label("Full name");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Full name").is_none());
    assert_eq!(h.state().unsaved_question(), None);
}

#[test]
fn back_from_a_typed_session_form_asks_first_and_discard_removes_its_draft() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    let mut h = filled_session_form(&db, &f);
    h.state_mut().set_draft_delay(Duration::ZERO);
    h.run();
    let subject = f.session(1).id.to_string();
    assert!(
        f.store.draft(DraftKind::Session, &subject).unwrap().is_some(),
        "draft saved"
    );

    h.get_by_label("< Back to the record").click();
    h.run();
    assert!(h.state().unsaved_question().unwrap().contains("session 1"));
    h.get_by_label("Keep editing").click();
    h.run();
    assert_eq!(
        h.get_by_label("Depth (mm) for Cheeks").value().as_deref(),
        Some("1.00")
    );

    // Another screen and back: the form is still there.
    h.get_by_label("Today").click();
    h.run();
    h.get_by_label("Clients").click();
    h.run();
    assert_eq!(
        h.get_by_label("Depth (mm) for Cheeks").value().as_deref(),
        Some("1.00")
    );

    h.get_by_label("< Back to the record").click();
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    h.get_by_label("Record session 1");
    assert!(
        f.store.draft(DraftKind::Session, &subject).unwrap().is_none(),
        "draft discarded"
    );
}

#[test]
fn a_draft_is_never_in_the_clients_export() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    f.store
        .save_draft(
            DraftKind::Session,
            &f.session(1).id.to_string(),
            f.client.id,
            r#"{"notes":"SECRET-DRAFT"}"#,
            "Reception",
        )
        .unwrap();
    let export = f.store.client_export(f.client.id).unwrap().unwrap();
    let json = serde_json::to_string(&export).unwrap();
    assert!(!json.contains("SECRET-DRAFT"));
}

/// Run only as the child of the crash test below: fills in the session form in the real app,
/// waits for the timer to save its draft, says so, and waits to be killed.
#[test]
#[ignore = "the child process of a_session_form_killed_mid_way_comes_back_from_its_draft"]
fn crash_child_fills_the_session_form() {
    let (Ok(path), Ok(client)) = (
        std::env::var("NEEDLEPOINT_DRAFT_CHILD_DB"),
        std::env::var("NEEDLEPOINT_DRAFT_CHILD_CLIENT"),
    ) else {
        return;
    };
    let dir = std::path::PathBuf::from(&path);
    let db = TempDb {
        dir: tempfile::tempdir().unwrap(),
        path: dir,
        on_server: false,
    };
    let mut h = app_on(&db, date(TODAY), 1400.0);
    h.state_mut().set_draft_delay(Duration::from_millis(300));
    h.state_mut().open_client_for_test(client.parse().unwrap());
    h.run();
    h.get_by_label("Record session 1").click();
    h.run();
    type_into(&mut h, "Depth (mm) for Cheeks", "1.00");
    type_into(&mut h, "Passes for Cheeks", "3");
    type_into(&mut h, "Endpoint for Cheeks", "uniform erythema");
    let store = open(&db);
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        h.run();
        let session = store
            .sessions_of(store.plans_of(client.parse().unwrap()).unwrap()[0].id)
            .unwrap()[0]
            .id;
        if let Some(d) = store.draft(DraftKind::Session, &session.to_string()).unwrap() {
            if d.body.contains("uniform erythema") {
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no draft saved");
    }
    println!("DRAFT SAVED");
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn a_session_form_killed_mid_way_comes_back_from_its_draft() {
    let db = temp_db();
    let client = {
        let mut f = fixture(&db, TODAY, 3);
        f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
        f.client.id
    };
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "desk_trust::crash_child_fills_the_session_form",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("NEEDLEPOINT_DRAFT_CHILD_DB", &db.path)
        .env("NEEDLEPOINT_DRAFT_CHILD_CLIENT", client.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("child");
    let mut saved = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if line.unwrap().contains("DRAFT SAVED") {
            saved = true;
            break;
        }
    }
    // SIGKILL on Unix: no destructors, no on_exit, nothing more written.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(saved, "the child never saved a draft ({status:?})");

    let f_store = open(&db);
    let plan = f_store.plans_of(client).unwrap()[0].id;
    assert_eq!(
        f_store.sessions_of(plan).unwrap()[0].status,
        SessionStatus::Planned,
        "never signed"
    );
    drop(f_store);
    let mut h = app_on(&db, date(TODAY), 1400.0);
    h.state_mut().open_client_for_test(client);
    h.run();
    h.get_by_label("Record session 1").click();
    h.run();
    h.get_by_label_contains("The unsigned draft saved at");
    assert_eq!(
        h.get_by_label("Depth (mm) for Cheeks").value().as_deref(),
        Some("1.00")
    );
    assert_eq!(h.get_by_label("Passes for Cheeks").value().as_deref(), Some("3"));
    assert_eq!(
        h.get_by_label("Endpoint for Cheeks").value().as_deref(),
        Some("uniform erythema")
    );
}

// ---- 3. Sheets and lists tell the truth after a change -----------------------------------

/// Session 1 done today; session 2 booked for `booked` (with a reason when outside its window).
fn with_clinic(db: &TempDb) -> Fixture {
    let mut f = fixture(db, TODAY, 4);
    let clinic = needlepoint::domain::ClinicSettings {
        name: "Clínica Aurora".to_owned(),
        address: "Rua das Flores 12".to_owned(),
        phone: "+351 21 123 4567".to_owned(),
        paper_size: needlepoint::domain::PaperSize::A4,
        practitioners: vec!["Dr. Maya Lindqvist".to_owned()],
    };
    f.store
        .write("Reception", |w| w.save_clinic_settings(&clinic))
        .unwrap();
    f
}

fn done_with_second_booked(db: &TempDb, booked: &str) -> Fixture {
    let mut f = with_clinic(db);
    let screening = f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    book(&mut f, 2, booked);
    let draft = needlepoint::domain::SessionRecordDraft {
        areas: vec![needlepoint::domain::AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            ..Default::default()
        }],
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..Default::default()
    };
    let record = f.validated_record(&draft, &f.session(1), &screening, date(TODAY));
    f.try_complete(1, &record, &screening).unwrap();
    f
}

fn book(f: &mut Fixture, number: u8, on: &str) {
    let mut s = f.session(number);
    s.status = SessionStatus::Booked;
    s.booked_on = Some(date(on));
    if !(s.earliest_on..=s.latest_on).contains(&date(on)) {
        s.interval_override_reason = Some("Client asked".to_owned());
    }
    let client = f.client.id;
    f.store
        .write("Reception", |w| w.update_session(&s, client))
        .unwrap();
}

fn aftercare_next(f: &Fixture, printed: &str) -> needlepoint::print::model::NextAppointment {
    let facts = gather::session_facts(&f.store, f.session(1).id, date(printed)).unwrap();
    build::aftercare(&facts, &f.protocol).unwrap().next.unwrap()
}

#[test]
fn a_booking_the_treatment_overtook_is_not_printed_and_today_no_longer_lists_it() {
    let db = temp_db();
    let mut f = with_clinic(&db);
    let screening = f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    book(&mut f, 2, TODAY);
    let booked = |f: &Fixture| -> TodayOverview { f.store.today_overview(date(TODAY)).unwrap() };
    assert_eq!(booked(&f).booked_today.total, 1, "session 2 booked today");
    let draft = needlepoint::domain::SessionRecordDraft {
        areas: vec![needlepoint::domain::AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            ..Default::default()
        }],
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..Default::default()
    };
    let record = f.validated_record(&draft, &f.session(1), &screening, date(TODAY));
    f.try_complete(1, &record, &screening).unwrap();
    assert_eq!(
        booked(&f).booked_today.total,
        0,
        "treated today: no longer booked"
    );

    let next = aftercare_next(&f, TODAY);
    assert_eq!(next.number, 2);
    assert!(!next.booked, "{next:?}");
    assert!(next.date.starts_with("between"), "{}", next.date);
    assert!(!next.date.contains("22 November"), "{}", next.date);
}

#[test]
fn after_rebooking_the_sheet_names_the_new_date_and_no_step_is_in_the_past() {
    let db = temp_db();
    let mut f = done_with_second_booked(&db, TODAY);
    book(&mut f, 2, "2026-12-20");
    let next = aftercare_next(&f, TODAY);
    assert!(next.booked);
    assert_eq!(next.date, "Sunday 20 December 2026");

    // Reprinted on 15 December: steps that began earlier start "today".
    let late = aftercare_next(&f, "2026-12-15");
    let whens: Vec<String> = late.preparation.iter().filter_map(|s| s.when.clone()).collect();
    assert!(
        whens.iter().any(|w| w == "From today, Tuesday 15 December"),
        "{whens:?}"
    );
    for w in &whens {
        for past in ["22 November", "6 December", "10 December", "13 December"] {
            assert!(!w.contains(past), "a step dated before printing: {w}");
        }
    }
    let facts = gather::session_facts(&f.store, f.session(2).id, date("2026-12-15")).unwrap();
    let prep = build::preparation(&facts, &f.protocol).unwrap();
    assert!(prep
        .steps
        .iter()
        .filter_map(|s| s.when.as_deref())
        .all(|w| !w.contains("10 December")));
}

#[test]
fn a_skipped_session_is_passed_over_on_the_sheet() {
    let db = temp_db();
    let mut f = done_with_second_booked(&db, "2026-12-20");
    let mut second = f.session(2);
    second.status = SessionStatus::Cancelled;
    second.booked_on = None;
    let client = f.client.id;
    f.store
        .write("Reception", |w| w.update_session(&second, client))
        .unwrap();
    let next = aftercare_next(&f, TODAY);
    assert_eq!(next.number, 3);
    assert!(!next.booked);
}

#[test]
fn a_missed_booking_is_not_printed_as_booked_and_its_preparation_sheet_is_refused() {
    let db = temp_db();
    let f = done_with_second_booked(&db, "2026-12-20");
    // Printed again after the day passed with nobody treated.
    let next = aftercare_next(&f, "2026-12-28");
    assert!(!next.booked, "{next:?}");
    assert!(!next.date.contains("20 December"), "{}", next.date);
    let facts = gather::session_facts(&f.store, f.session(2).id, date("2026-12-28")).unwrap();
    let e = build::preparation(&facts, &f.protocol).unwrap_err().to_string();
    assert!(e.contains("has passed"), "{e}");
}

// ---- 9. Small truths ---------------------------------------------------------------------

#[test]
fn demo_records_are_signed_on_their_own_dates() {
    let db = temp_db();
    let mut store = open(&db);
    needlepoint::demo::generate(&mut store, &f_protocol(), 40, date("2026-12-04"), 7, |_, _| {}).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut n = 0;
    for sql in [
        "SELECT screened_on, signed_at FROM screenings WHERE signed_at IS NOT NULL",
        "SELECT performed_on, signed_at FROM sessions WHERE signed_at IS NOT NULL",
    ] {
        let mut q = conn.prepare(sql).unwrap();
        let rows = q
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap();
        for row in rows {
            let (on, at) = row.unwrap();
            assert!(at.starts_with(&on), "signed at {at}, for {on}");
            n += 1;
        }
    }
    assert!(n > 40, "{n} signed records");
    needlepoint::store::Store::open(&db.path)
        .unwrap()
        .check()
        .unwrap();
}

fn f_protocol() -> needlepoint::protocol::Protocol {
    needlepoint::protocol::Protocol::shipped().unwrap()
}

#[test]
fn a_booking_for_today_says_today() {
    use needlepoint::domain::today::booking_day;
    let today = date("2026-12-04");
    assert_eq!(booking_day(today, today), "today (2026-12-04)");
    assert_eq!(booking_day(date("2026-12-05"), today), "tomorrow (2026-12-05)");
    assert_eq!(booking_day(date("2026-12-09"), today), "2026-12-09 (this week)");
    assert_eq!(booking_day(date("2026-12-20"), today), "2026-12-20");
}

#[test]
fn booking_today_in_the_window_says_today() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    f.store
        .write(crate::common::lead(), |w| w.add_room("Room 1"))
        .unwrap();
    let mut h = app(&db, &f, TODAY);
    h.get_by_label("Book session 1").click();
    h.run();
    use needlepoint::ui::views::booking_form as form;
    crate::common::ui::replace_in(&mut h, form::DAY_LABEL, TODAY);
    crate::common::ui::replace_in(&mut h, form::START_LABEL, "16:00");
    h.get_by_label(form::BOOK_BUTTON).click();
    h.run();
    let status = h.state().status_text().unwrap_or_default().to_owned();
    assert!(status.contains("booked today (2026-11-22) at 16:00"), "{status}");
}

#[test]
fn no_message_has_a_doubled_full_stop() {
    use needlepoint::domain::text::{one_full_stop, sentence};
    use needlepoint::ui::views::screening::disagreement_line;
    assert_eq!(sentence("after 6-12 months."), "after 6-12 months.");
    assert_eq!(sentence("after 6-12 months"), "after 6-12 months.");
    assert_eq!(
        one_full_stop("12 months.. The clinic's"),
        "12 months. The clinic's"
    );
    assert_eq!(one_full_stop("Wait... then 1..3 ok."), "Wait... then 1..3 ok.");
    let protocol = f_protocol();
    for c in &protocol.contraindications {
        if let Some(d) = &c.deferral.disagreement {
            let line = disagreement_line(&d.summary);
            assert!(!line.contains(".."), "{line}");
        }
    }
    let line = disagreement_line("Evaluate after 6-12 months.");
    assert!(!line.contains(".."), "{line}");
}

#[test]
fn history_entries_are_in_words() {
    use needlepoint::domain::{AuditAction, AuditEntry};
    use needlepoint::ui::views::client_history::entry_line;
    for table in [
        "printed_documents",
        "plan_areas",
        "plan_concerns",
        "products",
        "settings",
        "screenings",
    ] {
        let line = entry_line(&AuditEntry {
            seq: 1,
            at: chrono::Utc::now(),
            actor: "Reception".to_owned(),
            action: AuditAction::Print,
            table: table.to_owned(),
            record_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".to_owned(),
            client_id: None,
            detail: String::new(),
            actor_id: None,
        });
        assert!(!line.contains('_'), "{line}");
        assert!(!line.contains("0193a1b2"), "{line}");
    }
}

/// Asks the window to close, as the window manager's close button does.
pub(crate) fn request_close(h: &mut Harness<'static, NeedlepointApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    // One frame sees the request (the harness keeps its input between frames: take it back).
    h.step();
    if let Some(v) = h.input_mut().viewports.get_mut(&egui::ViewportId::ROOT) {
        v.events.clear();
    }
}

/// Whether the last frame sent the window `command` (closing goes ahead unless the app sends
/// `CancelClose` in the frame that saw the request).
fn sent(h: &Harness<'static, NeedlepointApp>, command: &egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(command))
}

#[test]
fn closing_the_window_with_a_typed_form_asks_first() {
    let db = temp_db();
    let mut h = app_on(&db, date(TODAY), 800.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    type_into(&mut h, "Full name", "Ada Lovelace");
    request_close(&mut h);
    assert!(
        sent(&h, &egui::ViewportCommand::CancelClose),
        "the window stays while the question is open"
    );
    h.run();
    h.get_by_label_contains("Closing the window will throw it away");
    h.get_by_label(needlepoint::ui::guard::KEEP_EDITING_LABEL).click();
    h.run();
    assert_eq!(
        h.get_by_label("Full name").value().as_deref(),
        Some("Ada Lovelace")
    );

    request_close(&mut h);
    h.run();
    h.get_by_label(needlepoint::ui::guard::DISCARD_LABEL).click();
    h.step();
    assert!(
        sent(&h, &egui::ViewportCommand::Close),
        "Discard lets the window close"
    );
}

// ---- Two desks, one record ----------------------------------------------------------------

#[test]
fn a_skin_concern_saved_at_another_desk_is_not_overwritten_and_what_was_typed_stays() {
    let db = temp_db();
    let f = fixture(&db, TODAY, 3);
    let mut h = app(&db, &f, TODAY);
    h.get_by_label_contains("Edit skin concern: ").click();
    h.run();
    type_into(&mut h, "Notes", "Worse on the left");

    // Meanwhile the treatment room marks it severe.
    let mut other = open(&db);
    let severe = needlepoint::domain::ClientConcern {
        severity: needlepoint::domain::Severity::Severe,
        ..f.concern.clone()
    };
    other
        .write("Treatment room", |w| w.update_concern(&f.concern, &severe))
        .unwrap();

    h.get_by_label("Save concern").click();
    h.run();
    h.get_by_label_contains("Treatment room changed this skin concern");
    assert_eq!(
        other.concerns_of(f.client.id).unwrap()[0],
        severe,
        "nothing of this desk's was saved"
    );
    assert_eq!(
        h.get_by_label("Notes").accesskit_node().value().as_deref(),
        Some("Worse on the left"),
        "what was typed is still in the form"
    );

    // Saving again, having read the message, keeps this desk's.
    h.get_by_label("Save concern").click();
    h.run();
    let saved = &other.concerns_of(f.client.id).unwrap()[0];
    assert_eq!(saved.notes, "Worse on the left");
}

#[test]
fn settings_saved_at_another_desk_are_not_overwritten_and_what_was_typed_stays() {
    use needlepoint::domain::settings::field;
    use needlepoint::domain::{ClinicSettings, PaperSize};
    let db = temp_db();
    let clinic = ClinicSettings {
        name: "Clínica Aurora".to_owned(),
        address: "Rua das Flores 12\nLisboa".to_owned(),
        phone: "+351 21 123 4567".to_owned(),
        paper_size: PaperSize::A4,
        practitioners: vec!["Dr. Maya Lindqvist".to_owned()],
    };
    open(&db)
        .write("Reception", |w| w.save_clinic_settings(&clinic))
        .unwrap();
    let mut h = app_on(&db, date(TODAY), 1000.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    h.run();
    type_into(&mut h, field::CLINIC_NAME, " Norte");

    // Meanwhile another desk changes the phone number.
    let mut other = open(&db);
    let read = (other.clinic_settings().unwrap(), other.print_settings().unwrap());
    let theirs = ClinicSettings {
        phone: "+351 21 765 4321".to_owned(),
        ..clinic.clone()
    };
    other
        .write("Treatment room", |w| {
            w.save_settings_over(&read, &theirs, &read.1)
        })
        .unwrap();

    h.get_by_label("Save settings").click();
    h.run();
    h.get_by_label_contains("Treatment room changed this clinic's settings");
    assert_eq!(
        other.clinic_settings().unwrap(),
        theirs,
        "nothing of this desk's saved"
    );
    assert_eq!(
        h.get_by_label(field::CLINIC_NAME)
            .accesskit_node()
            .value()
            .as_deref(),
        Some("Clínica Aurora Norte"),
        "what was typed is still in the form"
    );

    // Saving again, having read the message, keeps this desk's.
    h.get_by_label("Save settings").click();
    h.run();
    assert_eq!(other.clinic_settings().unwrap().name, "Clínica Aurora Norte");
}
