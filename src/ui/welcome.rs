//! The first start. A database with no clients and no clinic details opens on a welcome that
//! leads through the clinic's details and the first client, or loads demo data; skipped, it
//! does not come back (a setting in the database), and once a client exists it is gone. It
//! stands in for Today's lists; with no clients Today says what to do above its lists.

use crate::store::Settings;

use super::action::Action;
use super::areas::Areas;
use super::desk::Desk;
use super::views;

/// What the welcome asks for besides the clinic's details (saved as Settings saves them), a new
/// client and demo data (asked of their areas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WelcomeAction {
    /// "Skip, I'll do this later": not shown again on this database.
    Skip,
}

impl WelcomeAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            WelcomeAction::Skip => true,
        }
    }
}

#[derive(Default)]
pub(crate) struct WelcomeArea {
    shown: bool,
}

impl WelcomeArea {
    /// Shown on a database that can be written, with no clients, no clinic details and no
    /// earlier "Skip".
    pub fn load(&mut self, desk: &mut Desk) {
        self.shown = !desk.read_only()
            && match first_start(desk) {
                Ok(first) => first,
                Err(e) => {
                    desk.fail(&e);
                    false
                }
            };
    }

    pub fn apply(&mut self, action: WelcomeAction, desk: &mut Desk) {
        match action {
            WelcomeAction::Skip => {
                self.shown = false;
                let actor = desk.actor();
                if let Err(e) = desk
                    .store
                    .write(&actor, |w| w.set_setting(Settings::WELCOME_SKIPPED, "yes"))
                {
                    desk.fail(&e);
                }
            }
        }
    }

    pub fn shown(&self) -> bool {
        self.shown
    }
}

fn first_start(desk: &Desk) -> Result<bool, crate::store::StoreError> {
    Ok(desk.store.client_count(true)? == 0
        && desk.store.clinic_settings()?.name.trim().is_empty()
        && desk.store.setting(Settings::WELCOME_SKIPPED)?.as_deref() != Some("yes"))
}

/// The Today screen: the welcome on a first start; else the lists, with what to do first above
/// them while the database has no clients.
pub(crate) fn today_ui(ui: &mut egui::Ui, desk: &Desk, areas: &mut Areas) -> Vec<Action> {
    let no_clients = areas.clients.total() == 0;
    if !no_clients {
        // Once a client exists the welcome is done, for good.
        areas.welcome.shown = false;
    }
    let demo = areas.settings.demo_progress();
    let demo_running = areas.settings.demo_running();
    if areas.welcome.shown {
        let clinic_saved = areas.settings.clinic_saved();
        return views::welcome::WelcomeView {
            clinic: areas.settings.clinic_form(),
            clinic_saved,
            demo,
            demo_running,
        }
        .ui(ui)
        .into_iter()
        .collect();
    }
    let mut actions = Vec::new();
    if no_clients && !desk.read_only() {
        actions.extend(views::welcome::no_clients_ui(ui, demo, demo_running));
    }
    let keyboard = !areas.dialog_open();
    let (today, diary) = (&areas.today, &mut areas.diary);
    actions.extend(today.diary_ui(ui, desk, diary, !no_clients, keyboard));
    actions
}
