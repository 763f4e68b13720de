//! Settings: the clinic's details and how sheets are printed; backups (made in the background,
//! listed, restored after confirming); and demo data for a first try.

mod backups;
mod database;
mod demo;

pub use demo::DEMO_OFFER;

use crate::domain::PrintSettings;
use crate::store::BackupInfo;

use super::action::{Action, Event};
use super::areas::AreaDialog;
use super::desk::Desk;
use super::views;
use super::views::settings::SettingsForm;

/// What the settings screen (and the first-start demo offer) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsAction {
    Save,
    /// Make a backup now (on a background thread).
    BackupNow,
    /// Ask before restoring this backup.
    AskRestore(BackupInfo),
    /// Restore it: close the database, restore, reopen.
    ConfirmRestore(BackupInfo),
    GenerateDemo {
        clients: usize,
    },
    /// Try this clinic server's address and, if it answers, open it from the next start.
    UseServer(String),
    /// Open this PC's own file from the next start.
    UseOwnFile,
    CloseDialog,
}

impl SettingsAction {
    /// Whether carrying this out saves something (refused on a read-only database). A backup
    /// only reads the database, so a read-only desk may still make one.
    pub fn writes(&self) -> bool {
        match self {
            SettingsAction::Save
            | SettingsAction::AskRestore(_)
            | SettingsAction::ConfirmRestore(_)
            | SettingsAction::GenerateDemo { .. } => true,
            // The choice of database is the PC's, kept beside the database, not in it.
            SettingsAction::BackupNow
            | SettingsAction::UseServer(_)
            | SettingsAction::UseOwnFile
            | SettingsAction::CloseDialog => false,
        }
    }
}

#[derive(Default)]
pub(crate) struct SettingsArea {
    form: SettingsForm,
    /// How sheets are printed, as Settings shows it.
    print: PrintSettings,
    /// The clinic's practitioners as a list of names, as last saved (from before staff
    /// accounts; signers now come from the accounts).
    practitioners: Vec<String>,
    /// The database's backups, newest first.
    backups: Vec<BackupInfo>,
    /// Set when the backup folder looks like a network share or a cloud-synced folder.
    backup_warning: Option<String>,
    backup: Option<backups::BackupJob>,
    demo: Option<demo::DemoJob>,
    /// Restore this backup over the current data? (asked in a dialog)
    confirm_restore: Option<BackupInfo>,
    /// The settings as last read or saved, to tell whether anything was typed.
    saved: (crate::domain::settings::ClinicSettingsDraft, PrintSettings),
    /// The settings as the store last gave them, so a save over another desk's is refused.
    read: (crate::domain::ClinicSettings, PrintSettings),
    /// A clinic server's address as typed under "This desk's database".
    server_address: String,
    /// The server this desk opens from the next start (`None`: this PC's own file).
    chosen: Option<String>,
    connecting: Option<database::ConnectJob>,
    /// What the last change of database found, and whether it is a problem.
    choice_outcome: Option<(String, bool)>,
    /// Where the desk's choice is kept, when not the data folder (tests).
    desk_folder: Option<std::path::PathBuf>,
}

impl SettingsArea {
    pub fn apply(&mut self, action: SettingsAction, desk: &mut Desk) -> Option<Event> {
        match action {
            SettingsAction::Save => self.save(desk),
            SettingsAction::BackupNow => {
                if self.backup.is_none() {
                    self.start_backup(desk);
                    desk.info("Backing up…");
                }
            }
            SettingsAction::AskRestore(backup) => self.confirm_restore = Some(backup),
            SettingsAction::ConfirmRestore(backup) => {
                self.confirm_restore = None;
                return self.restore(&backup, desk);
            }
            SettingsAction::GenerateDemo { clients } => self.start_demo(clients, desk),
            SettingsAction::UseServer(address) => self.start_connect(address, desk),
            SettingsAction::UseOwnFile => self.use_own_file(desk),
            SettingsAction::CloseDialog => self.confirm_restore = None,
        }
        None
    }

    /// The clinic's name as typed in Settings (the sign-in screen's heading).
    pub fn clinic_name(&self) -> &str {
        &self.form.draft.name
    }

    /// The clinic's details as typed (Settings and the first-start welcome show them).
    pub fn clinic_form(&mut self) -> &mut SettingsForm {
        &mut self.form
    }

    /// Whether the clinic's details have been saved (they have a name).
    pub fn clinic_saved(&self) -> bool {
        !self.saved.0.name.trim().is_empty()
    }

    /// Reads the clinic's settings into the form.
    pub fn load(&mut self, desk: &mut Desk) {
        match desk.store.clinic_settings() {
            Ok(s) => {
                self.practitioners = s.practitioners.clone();
                self.form = SettingsForm::from_settings(&s);
                self.read.0 = s;
            }
            Err(e) => desk.fail(&e),
        }
        match desk.store.print_settings() {
            Ok(p) => {
                self.print = p.clone();
                self.read.1 = p;
            }
            Err(e) => desk.fail(&e),
        }
        self.saved = (self.form.draft.clone(), self.print.clone());
        self.load_choice();
    }

    /// Keeps this desk's choice of database in `folder` instead of the data folder (tests).
    #[doc(hidden)]
    pub fn set_desk_folder(&mut self, folder: std::path::PathBuf) {
        self.desk_folder = Some(folder);
    }

    /// What closing the window would lose: settings typed and not saved.
    pub fn unsaved(&self) -> Option<String> {
        (self.form.draft != self.saved.0 || self.print != self.saved.1)
            .then(|| "the clinic's settings".to_owned())
    }

    fn save(&mut self, desk: &mut Desk) {
        let settings = match self.form.validate() {
            Ok(s) => s,
            Err(errors) => {
                self.form.errors = Some(errors);
                return;
            }
        };
        self.form.errors = None;
        let actor = desk.actor();
        let print = self.print.clone();
        let read = self.read.clone();
        match desk
            .store
            .write(&actor, |w| w.save_settings_over(&read, &settings, &print))
        {
            Ok(()) => {
                self.practitioners = settings.practitioners.clone();
                self.saved = (self.form.draft.clone(), self.print.clone());
                self.read = (settings, print);
                desk.info("Settings saved.");
            }
            Err(e) => {
                // What was typed stays; saving again after reading the other desk's change
                // keeps this one.
                if let crate::store::StoreError::ChangedElsewhere { .. } = e {
                    if let (Ok(clinic), Ok(print)) =
                        (desk.store.clinic_settings(), desk.store.print_settings())
                    {
                        self.read = (clinic, print);
                    }
                }
                desk.fail(&e);
            }
        }
    }

    /// Takes a finished backup or demo (each frame).
    pub fn poll(&mut self, desk: &mut Desk) -> Option<Event> {
        self.poll_backup(desk);
        self.poll_connect(desk);
        self.poll_demo(desk)
    }

    /// The settings screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk, dark_mode: bool) -> Option<Action> {
        views::settings::SettingsView {
            form: &mut self.form,
            print: &mut self.print,
            documents_default: crate::print::documents_folder(desk.store.path(), &PrintSettings::default()),
            dark_mode,
            read_only: desk.read_only(),
            database: views::database_choice::DatabaseChoicePanel {
                open_now: desk.store.path().display().to_string(),
                chosen: self.chosen.clone(),
                address: &mut self.server_address,
                connecting: self.connecting.is_some(),
                outcome: self.choice_outcome.as_ref().map(|(t, p)| (t.as_str(), *p)),
                editable: desk.may(crate::domain::Act::Settings),
            },
            backups: views::backups::BackupsPanel {
                list: &self.backups,
                folder: crate::store::backup_dir(desk.store.path()),
                warning: self.backup_warning.as_deref(),
                running: self.backup.is_some(),
                server: desk
                    .store
                    .is_server()
                    .then(|| desk.store.path().display().to_string()),
            },
        }
        .ui(ui)
    }
}

impl AreaDialog for SettingsArea {
    fn has_dialog(&self) -> bool {
        self.confirm_restore.is_some()
    }

    fn close_dialog(&mut self) {
        self.confirm_restore = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, _desk: &Desk) -> Option<Action> {
        let backup = self.confirm_restore.as_ref()?;
        views::backups::confirm_restore_ui(ui, backup).map(Action::from)
    }
}
