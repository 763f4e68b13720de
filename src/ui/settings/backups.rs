//! Backups and restore while the window is open. A backup runs on a background thread with its
//! own connection, so the window never waits; a restore closes the store, restores (the backup
//! is checked before anything is replaced) and opens the database again.

use super::SettingsArea;
use crate::store::{BackupInfo, BackupReport, Store, StoreError};
use crate::ui::action::Event;
use crate::ui::desk::{Desk, Status};
use crate::ui::jobs::{self, Job, Stopped};

pub(super) type BackupJob = Job<Result<BackupReport, StoreError>>;

impl SettingsArea {
    /// Starts a backup on a background thread, unless one is running.
    pub fn start_backup(&mut self, desk: &Desk) {
        if self.backup.is_some() {
            return;
        }
        let path = desk.store.path().to_path_buf();
        let clock = desk.store.clock();
        let actor = desk.actor();
        self.backup = Some(Job::spawn(&desk.waker, move || {
            let mut store = Store::open_with_clock(&path, clock)?;
            let report = store.backup_now(&actor)?;
            store.close()?;
            Ok(report)
        }));
    }

    /// Whether the newest backup is over a day old.
    /// A file's automatic daily backup; a clinic server's backups are the server's own.
    pub fn backup_due(&self, desk: &Desk) -> bool {
        !desk.store.is_server() && crate::store::backup_due(&self.backups, desk.store.now())
    }

    pub fn backup_running(&self) -> bool {
        self.backup.is_some()
    }

    /// The backups listed, newest first.
    pub fn backups(&self) -> &[BackupInfo] {
        &self.backups
    }

    pub(super) fn poll_backup(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.backup) {
            self.backup_finished(answer, desk);
        }
    }

    /// Waits for a running backup and shows its result (tests; closing).
    pub fn wait_for_backup(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.backup) {
            self.backup_finished(answer, desk);
        }
    }

    fn backup_finished(
        &mut self,
        answer: Result<Result<BackupReport, StoreError>, Stopped>,
        desk: &mut Desk,
    ) {
        self.refresh_backups(desk);
        let failure = match answer {
            Ok(Ok(report)) => {
                self.backup_warning = report.location_warning.clone();
                // A failure shown earlier stays until dismissed; success is only worth a word.
                if !matches!(desk.status, Some(Status::Error(_))) {
                    desk.info(format!(
                        "Backup saved and checked: {}.",
                        report.backup.file_name()
                    ));
                }
                return;
            }
            Ok(Err(e)) => e.to_string(),
            Err(Stopped) => "The backup stopped unexpectedly.".to_owned(),
        };
        desk.error(format!("The backup failed: {failure}"));
    }

    /// Lists the backups beside the database again.
    pub fn refresh_backups(&mut self, desk: &mut Desk) {
        if desk.store.is_server() {
            self.backups.clear();
            return;
        }
        match crate::store::list_backups(desk.store.path()) {
            Ok(list) => self.backups = list,
            Err(e) => desk.fail(&e),
        }
        if self.backup_warning.is_none() {
            self.backup_warning = crate::paths::risky_location(&crate::store::backup_dir(desk.store.path()));
        }
    }

    /// The last backup when the window closes (on this thread: the process is ending).
    pub fn backup_on_exit(&mut self, desk: &mut Desk) {
        self.wait_for_backup(desk);
        if desk.store.is_server() {
            // The server keeps its own backups (pg_dump, point-in-time recovery).
            return;
        }
        // Demo data still being written: let it finish so the backup includes it.
        self.wait_for_demo(desk);
        let actor = desk.actor();
        if let Err(e) = desk.store.backup_now(&actor) {
            tracing::error!("backup on closing failed: {e}");
            eprintln!("{e}");
        }
    }

    /// Restores a backup while the window is open: the store is closed, the backup restored and
    /// the database opened again.
    pub(super) fn restore(&mut self, backup: &BackupInfo, desk: &mut Desk) -> Option<Event> {
        if self.demo.is_some() || self.backup.is_some() {
            desk.error(
                "Wait until the demo data or the backup in progress has finished, then restore again.",
            );
            return None;
        }
        let path = desk.store.path().to_path_buf();
        let placeholder = match Store::open_in_memory() {
            Ok(s) => s,
            Err(e) => {
                desk.fail(&e);
                return None;
            }
        };
        let open = std::mem::replace(&mut desk.store, placeholder);
        if let Err(e) = open.close() {
            tracing::warn!("closing before restore: {e}");
        }
        let actor = desk.actor();
        let restored = crate::store::restore(&path, &backup.path, &actor);
        match Store::open(&path) {
            Ok(store) => desk.store = store,
            Err(e) => {
                desk.error(format!(
                    "The database could not be opened again after the restore: {e} Close Needlepoint and run `needlepoint check`."
                ));
                return None;
            }
        }
        self.load(desk);
        self.refresh_backups(desk);
        let taken = backup.taken_at.format("%Y-%m-%d %H:%M");
        match restored {
            Ok(report) => desk.info(match report.previous_kept_at {
                Some(kept) => format!(
                    "Restored the backup of {taken} UTC. The data it replaced was kept in {}.",
                    kept.display()
                ),
                None => format!("Restored the backup of {taken} UTC."),
            }),
            Err(e) => desk.error(e.to_string()),
        }
        Some(Event::StoreReplaced)
    }
}
