//! The egui app, split by area. `app.rs` holds the window's state and public API; `frame.rs`
//! lays out a frame and collects the actions views return; `route.rs` applies them, each
//! through its area. An area (`clients/`, `record/`, `screening/`, `sessions/`, `products/`,
//! `settings/`, `today/`) owns its state, its action enum and its `apply`; what they all share
//! is the [`desk::Desk`]. `views/` has one screen per file; `jobs.rs` runs slow work off the
//! window's thread and wakes the window when it is done.

mod action;
pub mod app;
mod areas;
mod autosave;
pub mod clients;
pub mod consent;
mod desk;
pub mod diary;
pub mod fonts;
mod frame;
pub mod guard;
pub mod jobs;
pub mod photos;
pub mod products;
pub mod record;
mod route;
pub mod screening;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod theme;
mod today;
pub mod views;
pub mod welcome;
pub mod widgets;

pub use action::{Action, Screen};
pub use app::{NeedlepointApp, Preferences};

use std::path::PathBuf;

use crate::startup::{load_protocol, open_failure_message, resolve_db, StartupError};

/// Opens the window on the database at `db` (or the default one).
pub fn run(db: Option<PathBuf>) -> Result<(), StartupError> {
    let started = std::time::Instant::now();
    let path = resolve_db(db)?;
    let protocol = load_protocol()?;
    let opened = match crate::store::Store::open(&path) {
        Err(crate::store::StoreError::ServerSignIn { problem, .. }) => ask_server_password(&path, &problem),
        other => other,
    };
    let store = match opened {
        Ok(store) => store,
        Err(source) => {
            // Said in a window as well as on the console: the desk may have started the app
            // from an icon, with no console to read.
            let message = open_failure_message(&path, &source);
            show_problem(&message);
            return Err(StartupError::Open { message, source });
        }
    };
    tracing::debug!("database open {} ms after start", started.elapsed().as_millis());
    let today = chrono::Local::now().date_naive();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Needlepoint")
            .with_inner_size([1280.0, 800.0])
            // Every screen is laid out to work from 1024 × 700 up.
            .with_min_inner_size([1024.0, 700.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Needlepoint",
        options,
        Box::new(move |cc| {
            Ok(Box::new(
                window_app(cc, store, protocol, today)
                    .with_start_time(started)
                    .with_automatic_backup(&cc.egui_ctx),
            ))
        }),
    )
    .map_err(|e| StartupError::Window(e.to_string()))
}

/// The app as its window starts it: the fonts that draw every client's name (without them,
/// names in Vietnamese, Arabic or Chinese draw as boxes) and the desk's saved preferences. The
/// window and the headless tests both start here.
pub fn window_app(
    cc: &eframe::CreationContext<'_>,
    store: crate::store::Store,
    protocol: crate::protocol::Protocol,
    today: chrono::NaiveDate,
) -> NeedlepointApp {
    fonts::install(&cc.egui_ctx);
    theme::install(&cc.egui_ctx);
    NeedlepointApp::new(store, protocol, today).with_storage(cc.storage)
}

/// Asks for the clinic server's password in a small window until the server accepts it (the
/// store opened) or the person closes the window (the sign-in error, said as usual).
fn ask_server_password(
    path: &std::path::Path,
    first_problem: &str,
) -> Result<crate::store::Store, crate::store::StoreError> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use views::server_password::{server_password_ui, PasswordChoice};

    let refused = || crate::store::StoreError::ServerSignIn {
        address: path.display().to_string(),
        problem: first_problem.to_owned(),
    };
    let Ok(Some(target)) = crate::store::server_target(path) else {
        return Err(refused());
    };
    let opened: Rc<RefCell<Option<crate::store::Store>>> = Rc::new(RefCell::new(None));
    let kept = opened.clone();
    let path = path.to_path_buf();
    let address = target.shown().to_owned();
    let mut password = String::new();
    let mut problem: Option<String> = None;
    let mut fonts_installed = false;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Needlepoint")
            .with_inner_size([560.0, 240.0]),
        ..Default::default()
    };
    let shown = eframe::run_ui_native("Needlepoint sign in", options, move |ui, _frame| {
        if !fonts_installed {
            fonts::install(ui.ctx());
            fonts_installed = true;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            match server_password_ui(ui, &address, &mut password, problem.as_deref()) {
                Some(PasswordChoice::Connect) => {
                    crate::store::remember_password(&target, &password);
                    match crate::store::Store::open(&path) {
                        Ok(store) => {
                            *kept.borrow_mut() = Some(store);
                            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                        }
                        Err(crate::store::StoreError::ServerSignIn { problem: p, .. }) => {
                            password.clear();
                            problem = Some(format!("The server did not accept the password: {p}"));
                        }
                        Err(e) => problem = Some(e.to_string()),
                    }
                }
                Some(PasswordChoice::Close) => ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close),
                None => {}
            }
        });
    });
    if let Err(e) = shown {
        tracing::warn!("could not ask for the server's password in a window: {e}");
    }
    let store = opened.borrow_mut().take();
    store.ok_or_else(refused)
}

/// A small window saying why the database did not open, with a Close button.
fn show_problem(message: &str) {
    let message = message.to_owned();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Needlepoint")
            .with_inner_size([640.0, 320.0]),
        ..Default::default()
    };
    let mut fonts_installed = false;
    let shown = eframe::run_ui_native("Needlepoint problem", options, move |ui, _frame| {
        if !fonts_installed {
            fonts::install(ui.ctx());
            fonts_installed = true;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if problem_ui(ui, &message) {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    });
    if let Err(e) = shown {
        tracing::warn!("could not show the problem in a window: {e}");
    }
}

/// The text of a database that did not open, and a Close button; true when Close was clicked.
pub fn problem_ui(ui: &mut egui::Ui, message: &str) -> bool {
    ui.heading("Needlepoint could not open the clinic's database");
    ui.add_space(8.0);
    egui::ScrollArea::vertical().max_height(200.0).show(ui, |ui| {
        ui.add(egui::Label::new(message).selectable(true));
    });
    ui.add_space(8.0);
    ui.button("Close").clicked()
}
