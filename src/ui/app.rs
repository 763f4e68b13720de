//! App state and the actions views ask for. Views never change state or touch the store:
//! they return an [`Action`], which [`NeedlepointApp::apply`] carries out after drawing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{ClientConcern, ClientId, ConcernId, SessionId};
use crate::protocol::Protocol;
use crate::store::Store;

use super::jobs::{BackupJob, DemoJob};
use super::state::{ClientList, ClientRecord, Dialog, Status};
use super::views::protocol::ProtocolBrowser;
use super::views::settings::SettingsForm;
use crate::domain::TodayOverview;

/// The screens of the navigation bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Screen {
    #[default]
    Today,
    Clients,
    Products,
    Protocol,
    Settings,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Today,
        Screen::Clients,
        Screen::Products,
        Screen::Protocol,
        Screen::Settings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Today => "Today",
            Screen::Clients => "Clients",
            Screen::Products => "Products",
            Screen::Protocol => "Protocol",
            Screen::Settings => "Settings",
        }
    }
}

/// What survives a restart (window size and position are kept by eframe itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub screen: Screen,
    pub dark_mode: bool,
    /// Who is at the desk; written into the audit log with every change.
    pub user: String,
}

const PREFERENCES_KEY: &str = "needlepoint.preferences";

/// What a view asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Navigate(Screen),
    /// The search box changed.
    Search(String),
    /// Scroll the client list so that these rows are loaded.
    ShowClientRows {
        first: usize,
        last: usize,
    },
    OpenClient(ClientId),
    CloseClient,
    NewClient,
    EditClient,
    /// Save the client form; `confirm_duplicate` after the same-name warning was seen.
    SubmitClientForm {
        confirm_duplicate: bool,
    },
    /// Ask before archiving the open client.
    ArchiveClient,
    ConfirmArchive,
    /// Ask where to write the open client's complete record.
    ExportRecord,
    /// Write it (and record the export in the audit log).
    ConfirmExport,
    /// Ask before anonymising the open client.
    AnonymiseClient,
    ConfirmAnonymise,
    /// Open the CSV import of clients.
    ImportClients,
    /// Read the chosen file and show what would be added, adding nothing.
    PreviewImport,
    /// Add the previewed good lines.
    ConfirmImport,
    AddConcern,
    EditConcern(ConcernId),
    SubmitConcernForm,
    NewPlan,
    SubmitPlanForm,
    BookSession(SessionId),
    SubmitBooking,
    CloseDialog,
    SaveSettings,
    SetDarkMode(bool),
    SetUser(String),
    /// Open a blank checklist for the open client.
    StartScreening,
    /// Open a correction of a signed screening.
    AmendScreening(crate::domain::ScreeningId),
    SubmitScreening,
    CancelScreening,
    /// Start a session after today's signed screening.
    StartSession(SessionId),
    /// Open the treatment-room form of a started session.
    RecordSession(SessionId),
    ReusePreviousSettings,
    SubmitSessionRecord,
    CancelSessionRecord,
    /// Open a correction of a signed session.
    AmendSession(SessionId),
    SubmitSessionAmendment,
    /// Put the lot in the product form on the shelf.
    SaveProduct,
    SetProductActive(crate::domain::ProductId, bool),
    /// Find every client who received the lot typed in the recall box.
    RecallSearch,
    ExportRecall,
    GenerateDemo {
        clients: usize,
    },
    DismissStatus,
    /// Make a backup now (on a background thread).
    BackupNow,
    /// Ask before restoring this backup.
    AskRestore(crate::store::BackupInfo),
    /// Restore it: close the database, restore, reopen.
    ConfirmRestore(crate::store::BackupInfo),
    /// Make a sheet (PDF, off the UI thread), save it in the documents folder, record the
    /// print, then open it or send it to the printer.
    Print(crate::print::PrintRequest),
}

impl Action {
    /// Whether carrying out this action saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Action::NewClient
                | Action::EditClient
                | Action::SubmitClientForm { .. }
                | Action::ArchiveClient
                | Action::ConfirmArchive
                | Action::ExportRecord
                | Action::ConfirmExport
                | Action::AnonymiseClient
                | Action::ConfirmAnonymise
                | Action::ImportClients
                | Action::ConfirmImport
                | Action::AddConcern
                | Action::EditConcern(_)
                | Action::SubmitConcernForm
                | Action::NewPlan
                | Action::SubmitPlanForm
                | Action::BookSession(_)
                | Action::SubmitBooking
                | Action::SaveSettings
                | Action::StartScreening
                | Action::AmendScreening(_)
                | Action::SubmitScreening
                | Action::StartSession(_)
                | Action::RecordSession(_)
                | Action::SubmitSessionRecord
                | Action::AmendSession(_)
                | Action::SubmitSessionAmendment
                | Action::SaveProduct
                | Action::SetProductActive(..)
                | Action::ExportRecall
                | Action::GenerateDemo { .. }
                | Action::AskRestore(_)
                | Action::ConfirmRestore(_)
                | Action::Print(_)
        )
    }
}

pub struct NeedlepointApp {
    pub(super) store: Store,
    pub(super) protocol: Protocol,
    pub(super) today: NaiveDate,
    pub(super) prefs: Preferences,
    pub(super) practitioners: Vec<String>,
    pub(super) clients: ClientList,
    pub(super) record: Option<ClientRecord>,
    pub(super) dialog: Option<Dialog>,
    /// The checklist being filled in, shown instead of the record.
    pub(super) screening: Option<super::views::screening::ScreeningForm>,
    /// The treatment-room form, shown instead of the record.
    pub(super) session_form: Option<super::views::session_form::SessionForm>,
    pub(super) today_overview: TodayOverview,
    /// The Today lists being loaded off the UI thread.
    pub(super) today_job: Option<super::jobs::TodayJob>,
    /// A recall search running off the UI thread.
    pub(super) recall_job: Option<super::jobs::RecallJob>,
    pub(super) recall_export_job: Option<super::jobs::RecallExportJob>,
    pub(super) protocol_browser: ProtocolBrowser,
    pub(super) settings_form: SettingsForm,
    pub(super) products: super::views::products::ProductsState,
    pub(super) status: Option<Status>,
    pub(super) demo: Option<DemoJob>,
    pub(super) backup: Option<BackupJob>,
    /// A sheet being printed off the UI thread.
    pub(super) print_job: Option<super::jobs::PrintJob>,
    /// Open printed sheets (or send them to `lp`), or only save them (tests, the bench).
    pub(super) delivery: crate::print::deliver::Delivery,
    /// How sheets are printed, as Settings shows it.
    pub(super) print_settings: crate::domain::PrintSettings,
    /// The database's backups, newest first (shown in Settings).
    pub(super) backups: Vec<crate::store::BackupInfo>,
    /// Set when the backup folder looks like a network share or a cloud-synced folder.
    pub(super) backup_warning: Option<String>,
    /// Focus the search box on the next frame (Ctrl+F, or arriving on Clients).
    pub(super) focus_search: bool,
    /// When the process started, to log how long the first frame took to appear.
    pub(super) started: Option<std::time::Instant>,
}

impl NeedlepointApp {
    /// The app on an open store. `today` is the desk's date; the window passes the clock's.
    pub fn new(store: Store, protocol: Protocol, today: NaiveDate) -> Self {
        let mut app = Self {
            store,
            protocol,
            today,
            prefs: Preferences::default(),
            practitioners: Vec::new(),
            clients: ClientList::default(),
            record: None,
            dialog: None,
            screening: None,
            session_form: None,
            today_overview: TodayOverview::default(),
            today_job: None,
            recall_job: None,
            recall_export_job: None,
            protocol_browser: ProtocolBrowser::default(),
            settings_form: SettingsForm::default(),
            products: Default::default(),
            status: None,
            demo: None,
            backup: None,
            print_job: None,
            delivery: crate::print::deliver::Delivery::System,
            print_settings: Default::default(),
            backups: Vec::new(),
            backup_warning: None,
            focus_search: false,
            started: None,
        };
        app.load_settings();
        app.refresh_lists();
        app.refresh_backups();
        app
    }

    /// Starts a backup on a background thread when the newest backup is more than a day old
    /// (the window opens meanwhile; a failure shows in the status line).
    pub fn with_automatic_backup(mut self, ctx: &egui::Context) -> Self {
        if crate::store::backup_due(&self.backups, self.store.now()) {
            self.start_backup(ctx);
        }
        self
    }

    /// Only save printed sheets, never open them or send them to a printer (tests, the bench).
    pub fn with_sheet_delivery(mut self, delivery: crate::print::deliver::Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// Whether a sheet is being printed.
    pub fn print_running(&self) -> bool {
        self.print_job.is_some()
    }

    /// Whether a background backup is still running.
    pub fn backup_running(&self) -> bool {
        self.backup.is_some()
    }

    /// The backups listed in Settings, newest first.
    pub fn backups(&self) -> &[crate::store::BackupInfo] {
        &self.backups
    }

    /// Waits for a running background backup and applies its result (tests; closing).
    pub fn wait_for_backup(&mut self) {
        if let Some(job) = self.backup.take() {
            while !job.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            self.backup_finished(job);
        }
    }

    /// Restores the last screen and theme saved by eframe.
    pub fn with_storage(mut self, storage: Option<&dyn eframe::Storage>) -> Self {
        if let Some(prefs) = storage.and_then(|s| eframe::get_value::<Preferences>(s, PREFERENCES_KEY)) {
            self.prefs = prefs;
        }
        self
    }

    /// Logs, at the first frame, the time since `started` (the process start).
    pub fn with_start_time(mut self, started: std::time::Instant) -> Self {
        self.started = Some(started);
        self
    }

    /// Opens a client's record as clicking their name does (for tests and deep links).
    pub fn open_client_for_test(&mut self, id: ClientId) {
        self.prefs.screen = Screen::Clients;
        self.open_client(id);
    }

    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn status_text(&self) -> Option<&str> {
        self.status.as_ref().map(Status::text)
    }

    /// The name written into the audit log.
    pub(super) fn actor(&self) -> String {
        let user = self.prefs.user.trim();
        if user.is_empty() {
            "Front desk".to_owned()
        } else {
            user.to_owned()
        }
    }

    pub(super) fn concern(&self, id: ConcernId) -> Option<&ClientConcern> {
        self.record.as_ref()?.concerns.iter().find(|c| c.id == id)
    }
}

impl eframe::App for NeedlepointApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        ctx.set_theme(if self.prefs.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.poll_jobs();
        if self.today_job.is_some()
            || self.recall_job.is_some()
            || self.recall_export_job.is_some()
            || self.print_job.is_some()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let mut actions = self.shortcuts(&ctx);
        actions.extend(self.draw(ui));
        for action in actions {
            self.apply(action, &ctx);
        }
        if let Some(started) = self.started.take() {
            tracing::info!(
                "first frame drawn {} ms after start",
                started.elapsed().as_millis()
            );
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.prefs);
    }

    /// Closing: a last backup, so the day's work is in a verified copy.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.backup_on_exit();
    }
}
