//! Staff and sign-in (#17): every signature names a real account, the store and the window
//! refuse a role that may not sign, wrong PINs lock, the idle lock keeps typed work, and a
//! database from before sign-in keeps its typed signers.

use egui_kittest::kittest::Queryable;
use needlepoint::domain::{Role, ScreeningId};
use needlepoint::protocol::ScreeningToSign;
use needlepoint::store::{Store, StoreError};
use needlepoint::ui::views::sign_in;

use crate::common::cli::{needlepoint, needlepoint_as, text};
use crate::common::ui::type_into;
use crate::common::{add_staff, date, file_only, lead, open, shipped_protocol, temp_db, LEAD, LEAD_PIN};
use egui_kittest::Harness;
use needlepoint::ui::NeedlepointApp;

fn signed_screening(
    store: &Store,
    client: needlepoint::domain::ClientId,
    by: &str,
) -> needlepoint::domain::Screening {
    let c = store.client(client).unwrap().unwrap();
    let p = shipped_protocol();
    let to_sign = ScreeningToSign::for_client(
        &c,
        date("2026-11-22"),
        p.safe_answers(),
        vec!["cheeks".into()],
        by,
    );
    p.sign_screening(to_sign).unwrap()
}

/// Types `secret` into `field`, presses `button` and lets the check run to its answer.
fn submit_secret(h: &mut Harness<'static, NeedlepointApp>, field: &str, secret: &str, button: &str) {
    type_into(h, field, secret);
    h.get_by_label(button).click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
}

/// The lead's session form for a client screened today, with `note` typed into its notes.
fn session_form_with_note(
    db: &crate::common::TempDb,
    note: &str,
) -> (Harness<'static, NeedlepointApp>, String) {
    let mut f = crate::common::sessions::fixture(db, "2026-11-22", 3);
    let today = date("2026-11-22");
    f.screen_and_start(1, today, shipped_protocol().safe_answers());
    let (client, name) = (f.client.id, f.client.details.full_name.clone());
    drop(f);
    let mut h = crate::common::ui::record_of(db, client, today, 1000.0);
    h.get_by_label("Record session 1").click();
    h.run();
    type_into(&mut h, needlepoint::domain::session_record::field::NOTES, note);
    (h, name)
}

#[test]
fn a_front_desk_account_cannot_sign_a_screening_in_the_store_or_the_file() {
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut store = open(&db);
    let desk = add_staff(&mut store, "Sam Reyes", Role::FrontDesk, "9630");
    let s = signed_screening(&store, id, "Sam Reyes");
    let e = store.write(desk.actor(), |w| w.insert_screening(&s)).unwrap_err();
    assert!(e.to_string().contains("front desk account may not sign"), "{e}");
    // A name typed without an account is no signature either.
    let e = store.write("Sam Reyes", |w| w.insert_screening(&s)).unwrap_err();
    assert!(e.to_string().contains("needs a staff account"), "{e}");
    // The file itself refuses a signed row from that account, whatever wrote it.
    let raw = store.execute_raw(&format!(
        "INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail,
            protocol_version, signed_by, signed_at, created_at, signer_id)
         VALUES ('{}', '{id}', '2026-11-22', '{{}}', '[]', 'clear', '{{}}', 'v', 'Sam Reyes',
            '2026-11-22T09:00:00.000Z', '2026-11-22T09:00:00.000Z', '{}')",
        ScreeningId::new(),
        desk.id
    ));
    assert!(
        matches!(raw, Err(StoreError::Refused(ref m)) if m.contains("practitioner or clinical lead")),
        "{raw:?}"
    );
    assert!(store.screenings_of(id).unwrap().is_empty());
}

#[test]
fn a_signature_stores_the_signers_account_and_the_audit_row_names_it() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let id = crate::screening_flow::setup(&db);
    let mut store = open(&db);
    let s = signed_screening(&store, id, LEAD);
    store.write(lead(), |w| w.insert_screening(&s)).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (signer, actor): (String, String) = conn
        .query_row(
            "SELECT s.signer_id, a.actor_id FROM screenings s JOIN audit_log a ON a.record_id = s.id
             WHERE a.action = 'sign'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let lead_id = lead().staff.unwrap().to_string();
    assert_eq!(signer, lead_id);
    assert_eq!(actor, lead_id);
    let hashes: Vec<String> = conn
        .prepare("SELECT password_hash || ' ' || pin_hash FROM staff")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for h in hashes {
        let (password, pin) = h.split_once(' ').unwrap();
        assert!(
            password.starts_with("$argon2id$") && pin.starts_with("$argon2id$"),
            "{h}"
        );
    }
    assert!(open(&db).check().unwrap().is_clean());
}

#[test]
fn the_window_opens_on_sign_in_and_a_wrong_password_does_not_say_which_part() {
    let db = temp_db();
    drop(open(&db));
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(|cc| {
            needlepoint::ui::window_app(
                cc,
                open(&db),
                needlepoint::protocol::Protocol::shipped().unwrap(),
                date("2026-11-22"),
            )
        });
    h.run();
    assert!(h.state().signed_in().is_none());
    h.run();
    assert!(
        h.get_by_label(sign_in::NAME_LABEL).is_focused(),
        "the desk types its name straight away"
    );
    type_into(&mut h, sign_in::NAME_LABEL, LEAD);
    submit_secret(
        &mut h,
        sign_in::PASSWORD_LABEL,
        "not the password",
        sign_in::SIGN_IN_LABEL,
    );
    h.get_by_label("The name or password is not right. Check both and try again.");
    submit_secret(
        &mut h,
        sign_in::PASSWORD_LABEL,
        crate::common::LEAD_PASSWORD,
        sign_in::SIGN_IN_LABEL,
    );
    assert_eq!(h.state().signed_in().map(|s| s.name.as_str()), Some(LEAD));
    h.get_by_label_contains("(clinical lead)");
}

#[test]
fn five_wrong_pins_lock_the_account_until_its_password_is_used() {
    let db = temp_db();
    drop(open(&db));
    let mut h = crate::common::ui::app_on(&db, date("2026-11-22"), 800.0);
    h.get_by_label("Switch person").click();
    h.run();
    h.get_by_label(sign_in::LOCKED_HEADING);
    for _ in 0..5 {
        submit_secret(&mut h, sign_in::PIN_LABEL, "9999", sign_in::UNLOCK_LABEL);
    }
    h.get_by_label_contains("PIN is locked after 5 wrong tries");
    // The right PIN no longer opens it.
    submit_secret(&mut h, sign_in::PIN_LABEL, LEAD_PIN, sign_in::UNLOCK_LABEL);
    h.get_by_label_contains("PIN is locked");
    assert_eq!(h.state().gate(), needlepoint::ui::staff::Gate::Locked);
    let member = h.state().store().staff_by_name(LEAD).unwrap().unwrap();
    assert_eq!(member.failed_pins, 5);
    // The password opens it again.
    h.get_by_label(sign_in::USE_PASSWORD_LABEL).click();
    h.run();
    submit_secret(
        &mut h,
        sign_in::PASSWORD_LABEL,
        crate::common::LEAD_PASSWORD,
        sign_in::SIGN_IN_LABEL,
    );
    assert_eq!(h.state().gate(), needlepoint::ui::staff::Gate::Open);
    assert_eq!(
        h.state()
            .store()
            .staff_by_name(LEAD)
            .unwrap()
            .unwrap()
            .failed_pins,
        0
    );
}

#[test]
fn the_idle_lock_keeps_a_half_filled_session_form_intact() {
    use needlepoint::ui::views::session_form::SIGNER_LABEL;
    let db = temp_db();
    let (mut h, _) = session_form_with_note(&db, "Client chatty, tolerated well");
    h.get_by_label(SIGNER_LABEL);
    h.state_mut().lock_for_test();
    h.run();
    h.get_by_label(sign_in::LOCKED_HEADING);
    assert!(h.query_by_label(SIGNER_LABEL).is_none(), "the form is covered");
    submit_secret(&mut h, sign_in::PIN_LABEL, LEAD_PIN, sign_in::UNLOCK_LABEL);
    h.get_by_label(SIGNER_LABEL);
    assert!(
        h.query_all_by_value("Client chatty, tolerated well")
            .next()
            .is_some(),
        "the notes typed before the lock are still there"
    );
}

#[test]
fn a_database_from_before_sign_in_keeps_its_typed_signers_and_asks_for_the_first_account() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    // The version before staff accounts.
    let before = 10; // data version 10: the last before staff accounts (0012_staff is the 11th)
    needlepoint::store::create_at_version(&db.path, before).unwrap();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(
        "INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at)
         VALUES ('00000000-0000-7000-8000-000000000002', 'Ada Old', '1980-01-01', 2, '2025-01-01', '2025-01-01');
         INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail,
            protocol_version, signed_by, signed_at, created_at)
         VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', '2025-05-01',
            '{}', '[]', 'clear', '{\"kind\":\"clear\",\"findings\":[]}', 'v1', 'Nurse Kay', '2025-05-01T10:00:00.000Z',
            '2025-05-01T10:00:00.000Z')",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&db.path).unwrap();
    assert!(!store.has_staff().unwrap(), "no account is invented");
    let kept = store
        .screenings_of("00000000-0000-7000-8000-000000000002".parse().unwrap())
        .unwrap();
    assert_eq!(kept[0].signed_by.as_deref(), Some("Nurse Kay (before sign-in)"));
    let raw: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT signed_by FROM screenings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(raw, "Nurse Kay", "the row itself is unchanged");
    // The window asks for the first account.
    let h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_eframe(|cc| {
            needlepoint::ui::window_app(cc, store, shipped_protocol().clone(), date("2026-11-22"))
        });
    h.get_by_label(sign_in::CREATE_FIRST_LABEL);
}

#[test]
fn the_command_line_adds_staff_with_secrets_from_standard_input_and_asks_who_writes() {
    let db = temp_db();
    let path = db.path.to_str().unwrap();
    let first = needlepoint_as(
        &[
            "staff",
            "add",
            "--name",
            "Ana Lead",
            "--role",
            "clinical_lead",
            "--db",
            path,
        ],
        "x",
        &["long enough password", "4821"],
    );
    assert!(first.status.success(), "{}", text(&first));
    let simple = needlepoint_as(
        &[
            "staff",
            "add",
            "--name",
            "Bo",
            "--role",
            "practitioner",
            "--db",
            path,
        ],
        "Ana Lead",
        &["long enough password", "short", "1234"],
    );
    assert!(!simple.status.success());
    assert!(
        text(&simple).contains("at least 10 characters"),
        "{}",
        text(&simple)
    );
    let listed = needlepoint(&["staff", "list", "--db", path]);
    assert!(
        text(&listed).contains("Ana Lead\tclinical lead"),
        "{}",
        text(&listed)
    );
    let anonymous = needlepoint(&["backup", "--db", path]);
    assert!(text(&anonymous).contains("--as"), "{}", text(&anonymous));
    let wrong = needlepoint_as(&["backup", "--db", path], "Ana Lead", &["wrong password!!"]);
    assert!(
        text(&wrong).contains("The name or password is not right"),
        "{}",
        text(&wrong)
    );
}

#[test]
fn at_the_desk_a_front_desk_account_cannot_screen_and_is_never_offered_as_a_signer() {
    use needlepoint::ui::views::screening::SIGNER_LABEL;
    let db = temp_db();
    let id = crate::screening_flow::setup(&db);
    let mut store = open(&db);
    add_staff(&mut store, "Sam Reyes", Role::FrontDesk, "9630");
    drop(store);
    // Sam at the desk: the screening does not open, and the window says why.
    let mut h = crate::common::ui::record_of(&db, id, date("2026-11-22"), 1000.0);
    h.state_mut().sign_in_for_test("Sam Reyes");
    h.run();
    h.get_by_label("Screen today").click();
    h.run();
    assert_eq!(
        h.state().status_text(),
        Some("A front desk account may not fill in clinical records. Ask a practitioner or the clinical lead to do it, or switch to their account.")
    );
    assert!(h.query_by_label(SIGNER_LABEL).is_none(), "no checklist opened");
    // The lead's checklist offers only accounts that may sign.
    h.state_mut().sign_in_for_test(LEAD);
    h.run();
    h.get_by_label("Screen today").click();
    h.run();
    h.get_by_label(SIGNER_LABEL).click();
    h.run();
    assert!(h.query_by_label(LEAD).is_some(), "the lead is offered");
    assert!(h.query_by_label("Sam Reyes").is_none(), "the front desk is not");
    assert!(h.state().store().screenings_of(id).unwrap().is_empty());
}

#[test]
fn closing_a_locked_desk_with_a_form_open_asks_to_unlock_first_without_naming_the_client() {
    let db = temp_db();
    let (mut h, name) = session_form_with_note(&db, "Tolerated well");
    h.state_mut().lock_for_test();
    h.run();
    crate::desk_trust::request_close(&mut h);
    h.run();
    h.get_by_label(
        "Unlock first to close Needlepoint: a form is open underneath, and nothing typed is lost.",
    );
    assert!(
        h.query_by_label_contains(&name).is_none(),
        "the client is not named on the lock screen"
    );
    // Unlocked, the question is there to answer, and the form as typed.
    submit_secret(&mut h, sign_in::PIN_LABEL, LEAD_PIN, sign_in::UNLOCK_LABEL);
    assert!(
        h.state().unsaved_question().is_some(),
        "closing is still asked about"
    );
    assert!(h.query_all_by_value("Tolerated well").next().is_some());
}

#[test]
fn enter_in_the_password_field_signs_in() {
    let db = temp_db();
    drop(open(&db));
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(|cc| {
            needlepoint::ui::window_app(
                cc,
                open(&db),
                needlepoint::protocol::Protocol::shipped().unwrap(),
                date("2026-11-22"),
            )
        });
    h.run();
    type_into(&mut h, sign_in::NAME_LABEL, LEAD);
    type_into(&mut h, sign_in::PASSWORD_LABEL, crate::common::LEAD_PASSWORD);
    h.key_press(egui::Key::Enter);
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    assert_eq!(h.state().signed_in().map(|s| s.name.as_str()), Some(LEAD));
}
