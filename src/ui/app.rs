//! The window's app: the areas side by side, the desk they share, and the few things that belong
//! to the window itself (the screen shown, the theme). A frame collects the actions the views
//! return (`frame.rs`) and then applies them (`route.rs`), so no state changes while borrowed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::ClientId;
use crate::protocol::Protocol;
use crate::store::{BackupInfo, Store};

use super::action::Screen;
use super::areas::Areas;
use super::desk::{Desk, Status};

/// What survives a restart (window size and position are kept by eframe itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub screen: Screen,
    pub dark_mode: bool,
}

const PREFERENCES_KEY: &str = "needlepoint.preferences";

pub struct NeedlepointApp {
    pub(super) desk: Desk,
    pub(super) areas: Areas,
    pub(super) screen: Screen,
    pub(super) dark_mode: bool,
    /// When the process started, to log how long the first frame took to appear.
    started: Option<std::time::Instant>,
    /// An action held back until "Keep editing / Discard" is answered.
    pub(super) held: Option<super::guard::Held>,
    /// The user chose to close the window and discard what was typed.
    pub(super) closing: bool,
    /// The keyboard shortcuts overlay (F1) is shown.
    pub(super) shortcuts_open: bool,
}

impl NeedlepointApp {
    /// The app on an open store. `today` is the desk's date; the window passes the clock's.
    pub fn new(store: Store, protocol: Protocol, today: NaiveDate) -> Self {
        let mut app = Self {
            desk: Desk::new(store, protocol, today),
            areas: Areas::default(),
            screen: Screen::default(),
            dark_mode: false,
            started: None,
            held: None,
            closing: false,
            shortcuts_open: false,
        };
        app.desk.listen();
        app.areas.staff.load(&mut app.desk);
        app.areas.settings.load(&mut app.desk);
        app.areas.welcome.load(&mut app.desk);
        app.refresh_lists();
        app.areas.settings.refresh_backups(&mut app.desk);
        app
    }

    /// Starts a backup on a background thread when the newest backup is more than a day old
    /// (the window opens meanwhile; a failure shows in the status line).
    pub fn with_automatic_backup(mut self, ctx: &egui::Context) -> Self {
        self.desk.waker.set(ctx);
        if self.areas.settings.backup_due(&self.desk) {
            self.areas.settings.start_backup(&self.desk);
        }
        self
    }

    /// Saves forms' drafts this long after their last change instead of a few seconds (tests).
    #[doc(hidden)]
    pub fn set_draft_delay(&mut self, delay: std::time::Duration) {
        self.desk.draft_delay = delay;
    }

    /// What is waiting for "Keep editing / Discard", in words (tests).
    pub fn unsaved_question(&self) -> Option<&str> {
        self.held.as_ref().map(|h| h.what.as_str())
    }

    /// Keeps this desk's choice of database in `folder`, not the data folder (tests).
    #[doc(hidden)]
    pub fn set_desk_folder(&mut self, folder: std::path::PathBuf) {
        self.areas.settings.set_desk_folder(folder);
        self.areas.settings.load(&mut self.desk);
    }

    /// Only save printed sheets, never open them or send them to a printer (tests, the bench).
    pub fn with_sheet_delivery(mut self, delivery: crate::print::deliver::Delivery) -> Self {
        self.desk.delivery = delivery;
        self
    }

    /// Restores the last screen and theme saved by eframe.
    pub fn with_storage(mut self, storage: Option<&dyn eframe::Storage>) -> Self {
        if let Some(prefs) = storage.and_then(|s| eframe::get_value::<Preferences>(s, PREFERENCES_KEY)) {
            self.screen = prefs.screen;
            // A first start opens on the welcome, shown on Today.
            if self.areas.welcome.shown() {
                self.screen = Screen::Today;
            }
            self.dark_mode = prefs.dark_mode;
        }
        self
    }

    /// Logs, at the first frame, the time since `started` (the process start).
    pub fn with_start_time(mut self, started: std::time::Instant) -> Self {
        self.started = Some(started);
        self
    }

    /// Whether a sheet is being printed.
    pub fn print_running(&self) -> bool {
        self.areas.record.printing()
    }

    /// Whether a background backup is still running.
    pub fn backup_running(&self) -> bool {
        self.areas.settings.backup_running()
    }

    /// The backups listed in Settings, newest first.
    pub fn backups(&self) -> &[BackupInfo] {
        self.areas.settings.backups()
    }

    /// Waits for a running background backup and applies its result (tests; closing).
    pub fn wait_for_backup(&mut self) {
        self.areas.settings.wait_for_backup(&mut self.desk);
        self.areas.settings.wait_for_connect(&mut self.desk);
    }

    /// Blocks until the Today lists, a recall search or export and a print are done, and shows
    /// their results. For tests and the bench, which must not race the threads.
    #[doc(hidden)]
    pub fn wait_for_background_work(&mut self) {
        self.areas.today.wait(&mut self.desk);
        self.areas.diary.wait(&mut self.desk);
        self.areas.products.wait(&mut self.desk);
        self.areas.record.wait(&mut self.desk);
        self.areas.photos.wait(&mut self.desk);
        // The backup made when the window opens wakes the window when it ends, too.
        self.areas.settings.wait_for_backup(&mut self.desk);
        if let Some(signing) = self.areas.staff.wait(&mut self.desk) {
            self.apply(signing);
        }
    }

    /// Opens the photos of the open client and compares two of them (the bench).
    #[doc(hidden)]
    pub fn compare_photos_for_test(&mut self, a: crate::domain::PhotoId, b: crate::domain::PhotoId) {
        use super::photos::PhotoAction;
        for action in [
            PhotoAction::Open,
            PhotoAction::Select(a),
            PhotoAction::Select(b),
            PhotoAction::Compare,
        ] {
            self.apply(super::Action::Photos(action));
        }
    }

    /// How many photo pictures are held as textures (the bench's memory check).
    #[doc(hidden)]
    pub fn photo_textures_for_test(&self) -> usize {
        self.areas.photos.pictures.held()
    }

    /// Signs `name` in as their password would, opening the day (tests and the bench: the
    /// password itself is checked by the sign-in screen, which tests drive too).
    #[doc(hidden)]
    pub fn sign_in_for_test(&mut self, name: &str) {
        self.desk.reload_staff();
        if let Some(member) = self.desk.staff.iter().find(|s| s.name == name).cloned() {
            self.areas.staff.open_day_for_test(&mut self.desk, member);
        }
    }

    /// As [`Self::sign_in_for_test`], while building the app (tests).
    #[doc(hidden)]
    #[must_use]
    pub fn signed_in_as(mut self, name: &str) -> Self {
        self.sign_in_for_test(name);
        self
    }

    /// Shows `day` in the diary, its columns by room or by practitioner (the bench, tests).
    #[doc(hidden)]
    pub fn show_diary_day_for_test(&mut self, day: NaiveDate, by_room: bool) {
        use super::diary::{ColumnsBy, DiaryAction};
        self.screen = Screen::Today;
        let by = if by_room {
            ColumnsBy::Room
        } else {
            ColumnsBy::Practitioner
        };
        let _ = self
            .areas
            .diary
            .apply(DiaryAction::SetColumnsBy(by), &mut self.desk);
        let _ = self.areas.diary.apply(DiaryAction::ShowDay(day), &mut self.desk);
    }

    /// The clinic's clock as `clock` says (tests of the diary's time line and arrival times).
    #[doc(hidden)]
    pub fn set_wall_clock_for_test(&mut self, clock: fn() -> chrono::NaiveTime) {
        self.desk.wall_clock = clock;
    }

    /// No idle lock (tests that count the frames a background job asks for).
    #[doc(hidden)]
    pub fn without_idle_lock_for_test(&mut self) {
        self.areas.staff.idle_after = std::time::Duration::MAX;
    }

    /// Locks the desk as the idle time does (tests).
    #[doc(hidden)]
    pub fn lock_for_test(&mut self) {
        self.areas.staff.lock_now(&mut self.desk);
    }

    /// Who is signed in at the desk.
    pub fn signed_in(&self) -> Option<&crate::domain::StaffMember> {
        self.desk.signed_in.as_ref()
    }

    /// Whether the sign-in or the lock screen covers the desk.
    pub fn gate(&self) -> super::staff::Gate {
        self.areas.staff.gate
    }

    /// Whether any background job is still running (tests that let the window be woken).
    #[doc(hidden)]
    pub fn background_work_running(&self) -> bool {
        self.areas.today.loading()
            || self.areas.diary.loading()
            || self.areas.staff.checking()
            || self.areas.products.working()
            || self.areas.record.printing()
            || self.areas.settings.backup_running()
            || self.areas.settings.demo_running()
    }

    /// Opens a client's record as clicking their name does (for tests and deep links).
    pub fn open_client_for_test(&mut self, id: ClientId) {
        self.screen = Screen::Clients;
        self.areas.record.open(id, &mut self.desk);
    }

    /// The screen, theme and user, as saved between runs.
    pub fn preferences(&self) -> Preferences {
        Preferences {
            screen: self.screen,
            dark_mode: self.dark_mode,
        }
    }

    pub fn store(&self) -> &Store {
        &self.desk.store
    }

    pub fn status_text(&self) -> Option<&str> {
        self.desk.status.as_ref().map(Status::text)
    }
}

impl eframe::App for NeedlepointApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        // Before taking finished jobs: a job finishing from now on wakes this window.
        self.desk.waker.set(&ctx);
        ctx.set_theme(if self.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.poll_jobs();
        self.guard_close(&ctx);
        self.areas.staff.watch_idle(&ctx, &mut self.desk);
        let actions = if self.areas.staff.gate == super::staff::Gate::Open {
            let mut actions = self.shortcuts(&ctx);
            actions.extend(self.dropped_photos(&ctx));
            actions.extend(self.frame_ui(ui));
            actions
        } else {
            // The sign-in or lock screen covers the desk; every form underneath stays as it was.
            let (areas, staff) = (&mut self.areas, &self.desk.staff);
            let clinic = areas.settings.clinic_name().to_owned();
            let mut actions = Vec::new();
            egui::CentralPanel::default().show(ui, |ui| {
                actions.extend(super::views::sign_in::ui(ui, &mut areas.staff, staff, &clinic));
            });
            actions
        };
        for action in actions {
            self.apply(action);
        }
        if self.closing {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.areas.sessions.autosave(&mut self.desk, &ctx);
        self.areas.screening.autosave(&mut self.desk, &ctx);
        if let Some(started) = self.started.take() {
            tracing::info!(
                "first frame drawn {} ms after start",
                started.elapsed().as_millis()
            );
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.preferences());
    }

    /// Closing: a last backup, so the day's work is in a verified copy.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.areas.settings.backup_on_exit(&mut self.desk);
    }
}
