//! Today, the desk's home screen: four lists read on a thread with its own connection (with
//! 100,000 clients they take longer than a frame, and the window must open and answer at once).
//! Today asks for nothing of its own: a name on it opens that client ([`Action::OpenClient`]).

use crate::domain::TodayOverview;
use crate::store::{Store, StoreError};

use super::action::Action;
use super::desk::Desk;
use super::jobs::{self, Job, Stopped};
use super::views;

#[derive(Default)]
pub(crate) struct TodayArea {
    overview: TodayOverview,
    /// The lists being loaded off the window's thread.
    loading: Option<Job<Result<TodayOverview, StoreError>>>,
}

impl TodayArea {
    /// Reads the lists again. A newer request replaces a running one; the old answer is dropped.
    pub fn refresh(&mut self, desk: &Desk) {
        let path = desk.store.path().to_path_buf();
        let today = desk.today;
        self.loading = Some(Job::spawn(&desk.waker, move || {
            Store::open(&path)?.today_overview(today)
        }));
    }

    pub fn loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn poll(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::take_finished(&mut self.loading) {
            self.loaded(answer, desk);
        }
    }

    /// Blocks until the lists are loaded (tests, which must not race the thread).
    pub fn wait(&mut self, desk: &mut Desk) {
        if let Some(answer) = jobs::wait_for(&mut self.loading) {
            self.loaded(answer, desk);
        }
    }

    fn loaded(&mut self, answer: Result<Result<TodayOverview, StoreError>, Stopped>, desk: &mut Desk) {
        match answer {
            Ok(Ok(overview)) => self.overview = overview,
            Ok(Err(e)) => desk.fail(&e),
            Err(Stopped) => desk.error("Loading today's lists stopped unexpectedly."),
        }
    }

    /// The diary's grid with the lists beside it.
    pub fn diary_ui(
        &self,
        ui: &mut egui::Ui,
        desk: &Desk,
        diary: &mut super::diary::DiaryArea,
        has_clients: bool,
        keyboard: bool,
    ) -> Vec<Action> {
        // No text field has the keyboard: the arrows, Enter and N are the grid's.
        let keyboard = keyboard && ui.memory(|m| m.focused().is_none());
        views::diary::DiaryView {
            area: diary,
            staff: &desk.staff,
            overview: &self.overview,
            lists_loading: self.loading(),
            has_clients,
            today: desk.today,
            now: desk.clock_minute(),
            keyboard,
        }
        .ui(ui)
    }
}
