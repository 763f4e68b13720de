//! Settings › This desk's database: a clinic server's address tried in the background and
//! remembered for the next start only when it answers; and the server's password asked in a
//! window of its own when a desk starts without a terminal.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::startup::desk_database::chosen_database;
use needlepoint::ui::views::server_password::{server_password_ui, PasswordChoice};
use needlepoint::ui::Screen;

use crate::common::ui::{app_on, type_into};
use crate::common::{date, pg, temp_db};

const TODAY: &str = "2026-11-22";

fn settings_with_desk_folder(
    db: &crate::common::TempDb,
    folder: &std::path::Path,
) -> Harness<'static, needlepoint::ui::NeedlepointApp> {
    let mut h = app_on(db, date(TODAY), 1000.0);
    h.state_mut().set_desk_folder(folder.to_path_buf());
    h.get_by_label(Screen::Settings.title()).click();
    h.run();
    h
}

#[test]
fn a_clinic_server_that_answers_is_opened_from_the_next_start() {
    let Some(server) = pg::initialised_database() else {
        return;
    };
    let db = temp_db();
    let folder = tempfile::tempdir().expect("desk folder");
    let mut h = settings_with_desk_folder(&db, folder.path());
    assert!(h
        .query_by_label_contains("From the next start: this PC's own file")
        .is_some());

    // An address carrying a password is refused, and nothing is remembered.
    type_into(
        &mut h,
        "Clinic server address",
        "postgres://desk:secret@clinic-server/clinic",
    );
    h.get_by_label("Connect and use from the next start").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    assert!(h
        .query_by_label_contains("This desk still opens the same database")
        .is_some());
    assert_eq!(chosen_database(folder.path()).expect("read"), None);

    // The tests' server answers: remembered for the next start, said on the screen.
    h.get_by_label("Clinic server address").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Clinic server address").type_text(server.shown());
    h.run();
    h.get_by_label("Connect and use from the next start").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    assert_eq!(
        chosen_database(folder.path()).expect("read"),
        Some(std::path::PathBuf::from(server.shown()))
    );
    let next = format!("From the next start: the clinic server {}", server.shown());
    assert!(h.query_by_label_contains(&next).is_some(), "the panel says which");

    // And back to this PC's file.
    h.get_by_label("Use this PC's own file from the next start")
        .click();
    h.run();
    assert_eq!(chosen_database(folder.path()).expect("read"), None);
    assert!(h
        .query_by_label_contains("From the next start: this PC's own file")
        .is_some());
}

#[test]
fn the_server_password_window_connects_on_enter_and_shows_a_refusal() {
    struct Form {
        password: String,
        problem: Option<String>,
        choice: Option<PasswordChoice>,
    }
    let mut h = Harness::new_ui_state(
        |ui, form: &mut Form| {
            if let Some(c) = server_password_ui(
                ui,
                "postgres://desk@clinic-server/clinic",
                &mut form.password,
                form.problem.as_deref(),
            ) {
                form.choice = Some(c);
            }
        },
        Form {
            password: String::new(),
            problem: None,
            choice: None,
        },
    );
    h.run();
    assert!(h
        .query_by_label_contains("postgres://desk@clinic-server/clinic")
        .is_some());
    h.get_by_label("Server password").type_text("s3cret");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().choice, Some(PasswordChoice::Connect));
    assert_eq!(h.state().password, "s3cret");
    assert!(
        h.query_by_label_contains("s3cret").is_none(),
        "the password is never drawn"
    );
    h.state_mut().problem = Some("The server did not accept the password".to_owned());
    h.run();
    assert!(h.query_by_label_contains("did not accept the password").is_some());
}
