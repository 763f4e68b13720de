//! Choosing this desk's database: a clinic server's address is tried on a background thread
//! (the window keeps drawing), and only an address that answers as a Needlepoint database, or
//! asks for a password, is remembered for the next start (`startup::desk_database`).

use std::path::PathBuf;

use super::SettingsArea;
use crate::startup::desk_database::{choose_database, chosen_database};
use crate::store::{Store, StoreError};
use crate::ui::desk::Desk;
use crate::ui::jobs::{self, Job, Stopped};

/// What trying a server found.
pub(super) enum Reached {
    /// The server answered and holds a clinic.
    Clinic,
    /// The server wants a password this desk does not have yet (asked at the next start).
    NeedsPassword,
}

pub(super) type ConnectJob = Job<(String, Result<Reached, StoreError>)>;

impl SettingsArea {
    /// The folder holding this desk's choice (the data folder; a test's own folder in tests).
    pub(super) fn desk_folder(&self) -> Option<PathBuf> {
        self.desk_folder.clone().or_else(crate::paths::data_dir)
    }

    /// Reads which database the next start opens.
    pub(super) fn load_choice(&mut self) {
        self.chosen = None;
        if let Some(dir) = self.desk_folder() {
            match chosen_database(&dir) {
                Ok(chosen) => self.chosen = chosen.map(|p| p.display().to_string()),
                Err(e) => self.choice_outcome = Some((e.to_string(), true)),
            }
        }
    }

    pub(super) fn start_connect(&mut self, address: String, desk: &Desk) {
        if self.connecting.is_some() {
            return;
        }
        self.choice_outcome = None;
        let path = PathBuf::from(&address);
        self.connecting = Some(Job::spawn(&desk.waker, move || {
            let tried = match crate::store::server_target(&path) {
                Ok(None) => Err(StoreError::Open {
                    path: address.clone(),
                    reason:
                        "it is not a clinic server's address. Write it as postgres://account@server/database"
                            .to_owned(),
                }),
                Err(e) => Err(e),
                Ok(Some(_)) => match Store::open_read_only(&path) {
                    Ok(_) => Ok(Reached::Clinic),
                    Err(StoreError::ServerSignIn { .. }) => Ok(Reached::NeedsPassword),
                    Err(e) => Err(e),
                },
            };
            (address, tried)
        }));
    }

    pub(super) fn use_own_file(&mut self, desk: &mut Desk) {
        let Some(dir) = self.desk_folder() else {
            desk.error("This PC has no data folder to keep the choice in.");
            return;
        };
        match choose_database(&dir, None) {
            Ok(()) => {
                self.chosen = None;
                let text = "From the next start this desk opens this PC's own file.".to_owned();
                desk.info(text.clone());
                self.choice_outcome = Some((text, false));
            }
            Err(e) => self.choice_outcome = Some((e.to_string(), true)),
        }
    }

    pub(super) fn poll_connect(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.connecting) {
            self.connect_finished(answer, desk);
        }
    }

    /// Lets a server being tried answer (tests).
    pub fn wait_for_connect(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.connecting) {
            self.connect_finished(answer, desk);
        }
    }

    fn connect_finished(
        &mut self,
        answer: Result<(String, Result<Reached, StoreError>), Stopped>,
        desk: &mut Desk,
    ) {
        let (address, reached) = match answer {
            Ok((address, Ok(reached))) => (address, reached),
            Ok((_, Err(e))) => {
                self.choice_outcome = Some((format!("This desk still opens the same database. {e}"), true));
                return;
            }
            Err(Stopped) => {
                self.choice_outcome = Some(("Trying the server stopped unexpectedly.".to_owned(), true));
                return;
            }
        };
        let Some(dir) = self.desk_folder() else {
            self.choice_outcome = Some((
                "This PC has no data folder to keep the choice in.".to_owned(),
                true,
            ));
            return;
        };
        if let Err(e) = choose_database(&dir, Some(&address)) {
            self.choice_outcome = Some((e.to_string(), true));
            return;
        }
        self.chosen = Some(address.clone());
        let text = match reached {
            Reached::Clinic => format!(
                "The clinic server {address} answered. From the next start this desk opens it: close \
                 Needlepoint and start it again."
            ),
            Reached::NeedsPassword => format!(
                "The clinic server {address} asks for a password, which Needlepoint will ask for when it \
                 starts (or put it in this desk's .pgpass file). From the next start this desk opens it."
            ),
        };
        desk.info(text.clone());
        self.choice_outcome = Some((text, false));
    }
}
