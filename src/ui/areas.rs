//! The window's areas side by side. Each owns its state, its action enum and its `apply`; a new
//! area is a module, a field here, a variant in [`super::Action`] and a line in the router.

use super::action::Action;
use super::clients::ClientsArea;
use super::consent::ConsentArea;
use super::desk::Desk;
use super::diary::DiaryArea;
use super::photos::PhotosArea;
use super::products::ProductsArea;
use super::record::RecordArea;
use super::screening::ScreeningArea;
use super::sessions::SessionsArea;
use super::settings::SettingsArea;
use super::staff::StaffArea;
use super::today::TodayArea;
use super::views::protocol::ProtocolBrowser;
use super::welcome::WelcomeArea;

#[derive(Default)]
pub(crate) struct Areas {
    pub today: TodayArea,
    /// The diary: Today's grid of appointments.
    pub diary: DiaryArea,
    /// Consent forms and withdrawals.
    pub consent: ConsentArea,
    /// Before-and-after photos.
    pub photos: PhotosArea,
    pub clients: ClientsArea,
    pub record: RecordArea,
    pub screening: ScreeningArea,
    pub sessions: SessionsArea,
    pub products: ProductsArea,
    pub settings: SettingsArea,
    /// The protocol library's browser: what it shows is all it keeps; it changes nothing.
    pub protocol: ProtocolBrowser,
    /// The first start's welcome, shown on Today.
    pub welcome: WelcomeArea,
    /// Who is at the desk: sign-in, switching, the idle lock, signers' PINs, the staff screen.
    pub staff: StaffArea,
}

/// How many areas open dialogs (see [`Areas::with_dialogs`]).
const DIALOG_AREAS: usize = 7;

/// An area that opens dialogs. The window shows one at a time, in one modal.
pub(crate) trait AreaDialog {
    fn has_dialog(&self) -> bool;
    fn close_dialog(&mut self);
    /// The open dialog's contents; `None` when nothing was asked (or no dialog is open).
    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action>;
}

impl Areas {
    /// Every area that opens dialogs.
    pub fn with_dialogs(&mut self) -> [&mut dyn AreaDialog; DIALOG_AREAS] {
        [
            &mut self.clients,
            &mut self.record,
            &mut self.sessions,
            &mut self.settings,
            &mut self.diary,
            &mut self.consent,
            &mut self.photos,
        ]
    }

    pub fn dialog_open(&mut self) -> bool {
        self.with_dialogs().iter().any(|a| a.has_dialog())
    }

    pub fn close_dialogs(&mut self) {
        for area in self.with_dialogs() {
            area.close_dialog();
        }
    }

    /// Which areas have a dialog open, in the order of [`Areas::with_dialogs`].
    pub fn open_dialogs(&mut self) -> [bool; DIALOG_AREAS] {
        self.with_dialogs().map(|a| a.has_dialog())
    }

    /// A dialog just opened replaces any other (as Ctrl+N over an open dialog always did).
    pub fn keep_newest_dialog(&mut self, before: [bool; DIALOG_AREAS]) {
        let mut areas = self.with_dialogs();
        let opened = areas
            .iter()
            .zip(before)
            .position(|(area, was_open)| area.has_dialog() && !was_open);
        if let Some(newest) = opened {
            for (i, area) in areas.iter_mut().enumerate() {
                if i != newest {
                    area.close_dialog();
                }
            }
        }
    }
}
