//! Carrying out actions: the window's own, and each area's through its `apply`, then the
//! follow-ups an area reports (a saved client opens, the lists reload after a change). A write on
//! a read-only database is refused here, once, for every area.

use crate::domain::ClientId;
use crate::store::StoreError;

use super::action::{Action, Event, Screen};
use super::app::NeedlepointApp;
use super::guard::Held;

impl NeedlepointApp {
    pub(super) fn apply(&mut self, action: Action) {
        let action = match action {
            Action::KeepEditing => {
                self.held = None;
                return;
            }
            Action::Discard => match self.discard_and_go_on() {
                Some(held) => held,
                None => return,
            },
            // A form with typed input is not closed before the user chose.
            action => match self.would_lose(&action) {
                Some(what) => {
                    self.held = Some(Held {
                        what,
                        action: Some(action),
                    });
                    return;
                }
                None => action,
            },
        };
        self.apply_unguarded(action);
    }

    fn apply_unguarded(&mut self, action: Action) {
        if self.desk.read_only() && action.writes() {
            self.desk.fail(&StoreError::ReadOnly);
            return;
        }
        // What a role may do is decided in one place (`Role::may`); the store checks signatures
        // and staff changes again.
        if let (Some(act), Some(me)) = (action.requires(), &self.desk.signed_in) {
            if !self.desk.may(act) {
                let refusal = me.role.refusal(act);
                self.desk.error(refusal);
                return;
            }
        }
        let dialogs_before = self.areas.open_dialogs();
        let (desk, areas) = (&mut self.desk, &mut self.areas);
        let event = match action {
            Action::Navigate(screen) => {
                self.navigate(screen);
                None
            }
            Action::OpenClient(id) => {
                self.open_client(id);
                None
            }
            Action::CloseDialog => {
                areas.close_dialogs();
                None
            }
            Action::DismissStatus => {
                desk.status = None;
                None
            }
            Action::MarkFailuresRead => {
                desk.unread_failures.clear();
                if matches!(desk.status, Some(super::desk::Status::Error(_))) {
                    desk.status = None;
                }
                None
            }
            // Answered in `apply`.
            Action::KeepEditing | Action::Discard => None,
            Action::SetDarkMode(dark) => {
                self.dark_mode = dark;
                None
            }
            Action::Staff(a) => areas.staff.apply(a, desk),
            Action::Diary(a) => areas.diary.apply(a, desk),
            Action::Consent(a) => areas.consent.apply(a, desk, areas.record.current()),
            Action::Photos(a) => areas.photos.apply(a, desk, areas.record.current()),
            Action::Clients(a) => areas.clients.apply(a, desk),
            Action::Record(a) => areas.record.apply(a, desk),
            Action::Screening(a) => {
                let record = areas.record.current();
                let signers: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
                areas.screening.apply(a, desk, record, &signers)
            }
            Action::Sessions(a) => areas.sessions.apply(a, desk, areas.record.current()),
            Action::Products(a) => areas.products.apply(a, desk),
            Action::Settings(a) => areas.settings.apply(a, desk),
            Action::Welcome(a) => {
                areas.welcome.apply(a, desk);
                None
            }
        };
        self.areas.keep_newest_dialog(dialogs_before);
        if let Some(event) = event {
            self.follow(event);
        }
    }

    /// What an area's action means for the others.
    fn follow(&mut self, event: Event) {
        match event {
            Event::DataChanged => self.refresh_lists(),
            Event::ClientSaved(id) => {
                self.open_client(id);
                self.areas.clients.refresh(&mut self.desk);
            }
            Event::RecordClosed => self.close_record(),
            Event::StoreReplaced => {
                self.close_record();
                self.refresh_lists();
                self.desk.reload_staff();
            }
            Event::Then(actions) => {
                for action in actions {
                    self.apply(action);
                }
            }
            Event::CheckSignerPin { signer, pin, then } => {
                self.areas.staff.check_signer(&mut self.desk, &signer, pin, *then);
            }
        }
    }

    /// Photo files dropped on the window: into the open client's photos (the import dialog
    /// opens with them), else a word on where to drop them.
    pub(super) fn dropped_photos(&mut self, ctx: &egui::Context) -> Option<Action> {
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return None;
        }
        if self.screen == Screen::Clients && self.areas.record.current().is_some() {
            return Some(Action::Photos(super::photos::PhotoAction::Import(dropped)));
        }
        self.desk
            .info("To import photos, open the client's record and drop the files on it.");
        None
    }

    fn navigate(&mut self, screen: Screen) {
        // Clients again, from a record: back to the list.
        if screen == Screen::Clients && self.screen == Screen::Clients {
            self.close_record();
        }
        self.screen = screen;
        if screen == Screen::Clients && self.areas.record.current().is_none() {
            self.areas.clients.focus_search();
        }
        self.refresh_lists();
    }

    /// Shows a client's record, closing the forms opened from another.
    fn open_client(&mut self, id: ClientId) {
        self.screen = Screen::Clients;
        self.areas.screening.close(&mut self.desk);
        self.areas.sessions.close(&mut self.desk);
        self.areas.consent.close();
        self.areas.photos.close();
        self.areas.record.open(id, &mut self.desk);
    }

    /// Back to the client list, with the cursor in the search box.
    fn close_record(&mut self) {
        self.areas.record.close();
        self.areas.consent.close();
        self.areas.photos.close();
        self.areas.screening.close(&mut self.desk);
        self.areas.sessions.close(&mut self.desk);
        self.areas.clients.focus_search();
    }

    /// Reloads what the screens list (after a change, or on arrival).
    pub(super) fn refresh_lists(&mut self) {
        let started = std::time::Instant::now();
        self.areas.clients.refresh(&mut self.desk);
        self.areas.products.refresh(&mut self.desk);
        tracing::debug!(
            "clients and products refreshed in {} ms",
            started.elapsed().as_millis()
        );
        self.areas.today.refresh(&self.desk);
        self.areas.diary.refresh(&self.desk);
        self.areas.record.reload(&mut self.desk);
    }

    /// Takes the answers of background jobs that have finished (each frame; a finishing job
    /// wakes the window for it).
    /// Takes what the other desks and the server's health said (a clinic server only): a
    /// change anywhere reloads what the screens list; the server gone shows the banner, and
    /// its return takes it away and reloads.
    fn poll_live(&mut self) {
        let Some(feed) = &self.desk.live else {
            return;
        };
        let mut reload = false;
        for event in feed.take() {
            match event {
                crate::store::LiveEvent::Changed { .. } => reload = true,
                crate::store::LiveEvent::Lost(why) => self.desk.server_gone = Some(why),
                crate::store::LiveEvent::Back => {
                    self.desk.server_gone = None;
                    self.desk.send_offline_drafts();
                    reload = true;
                }
            }
        }
        if reload && self.desk.server_gone.is_none() {
            self.refresh_lists();
        }
    }

    pub(super) fn poll_jobs(&mut self) {
        self.poll_live();
        // A signer's PIN found right: the signing it was asked for goes ahead.
        if let Some(signing) = self.areas.staff.poll(&mut self.desk) {
            self.apply(signing);
        }
        self.areas.record.poll(&mut self.desk);
        self.areas.products.poll(&mut self.desk);
        self.areas.today.poll(&mut self.desk);
        self.areas.diary.poll(&mut self.desk);
        if let Some(event) = self.areas.photos.poll(&mut self.desk) {
            self.follow(event);
        }
        if let Some(event) = self.areas.settings.poll(&mut self.desk) {
            self.follow(event);
        }
    }
}
