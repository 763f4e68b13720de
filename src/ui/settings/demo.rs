//! Demo data, written by a background thread on its own connection (WAL lets the window keep
//! reading meanwhile), with its progress in the status bar.

use super::SettingsArea;
use crate::store::{Store, StoreError};
use crate::ui::action::Event;
use crate::ui::desk::Desk;
use crate::ui::jobs::{self, Job, Progress, Stopped};

/// How many clients the first-start offer creates.
pub const DEMO_OFFER: usize = 1_000;

/// How many demo clients were added.
pub(super) type DemoJob = Job<Result<usize, StoreError>>;

impl SettingsArea {
    pub(super) fn start_demo(&mut self, clients: usize, desk: &Desk) {
        if self.demo.is_some() {
            return;
        }
        let path = desk.store.path().to_path_buf();
        let protocol = desk.protocol.clone();
        let today = desk.today;
        self.demo = Some(Job::spawn_counting(
            &desk.waker,
            clients,
            move |progress: &Progress| -> Result<usize, StoreError> {
                let mut store = Store::open(&path)?;
                crate::demo::generate(&mut store, &protocol, clients, today, 42, |done, _| {
                    progress.set(done);
                })?;
                Ok(clients)
            },
        ));
    }

    /// (done, total) while demo clients are being created.
    pub fn demo_progress(&self) -> Option<(usize, usize)> {
        self.demo.as_ref().and_then(Job::progress)
    }

    pub fn demo_running(&self) -> bool {
        self.demo.is_some()
    }

    pub(super) fn poll_demo(&mut self, desk: &mut Desk) -> Option<Event> {
        let answer = jobs::take_finished(&mut self.demo)?;
        demo_finished(answer, desk);
        Some(Event::DataChanged)
    }

    /// Lets demo data still being written finish (closing: the last backup must include it).
    pub(super) fn wait_for_demo(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.demo) {
            demo_finished(answer, desk);
        }
    }
}

fn demo_finished(answer: Result<Result<usize, StoreError>, Stopped>, desk: &mut Desk) {
    match answer {
        Ok(Ok(total)) => desk.info(format!("Added {total} demo clients.")),
        Ok(Err(e)) => desk.fail(&e),
        Err(Stopped) => desk.error("Creating demo data stopped unexpectedly."),
    }
}
