//! What the window can be asked to do. Views return actions; the app applies them after drawing
//! (`route.rs`), so no state changes while it is borrowed for drawing. Each area has its own
//! action enum; [`Action`] wraps them beside the few that belong to the window itself.

use serde::{Deserialize, Serialize};

use crate::domain::{Act, ClientId};

use super::clients::ClientsAction;
use super::consent::ConsentAction;
use super::diary::DiaryAction;
use super::products::ProductsAction;
use super::record::RecordAction;
use super::screening::ScreeningAction;
use super::sessions::SessionsAction;
use super::settings::SettingsAction;
use super::staff::StaffAction;
use super::welcome::WelcomeAction;

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

/// What a view asks the window to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Action {
    Navigate(Screen),
    /// Show a client's record (from the client list, Today, a recall list).
    OpenClient(ClientId),
    /// Close whichever dialog is open (Esc).
    CloseDialog,
    DismissStatus,
    /// The failures kept until read were read.
    MarkFailuresRead,
    /// Answer to "unsaved changes": go back to the form.
    KeepEditing,
    /// Answer to "unsaved changes": throw the typed input away and carry on.
    Discard,
    SetDarkMode(bool),
    Staff(StaffAction),
    Diary(DiaryAction),
    Consent(ConsentAction),
    Photos(super::photos::PhotoAction),
    Clients(ClientsAction),
    Record(RecordAction),
    Screening(ScreeningAction),
    Sessions(SessionsAction),
    Products(ProductsAction),
    Settings(SettingsAction),
    Welcome(WelcomeAction),
}

impl Action {
    /// Whether carrying out this action saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            Action::Navigate(_)
            | Action::OpenClient(_)
            | Action::CloseDialog
            | Action::DismissStatus
            | Action::MarkFailuresRead
            | Action::KeepEditing
            | Action::Discard
            | Action::SetDarkMode(_) => false,
            Action::Staff(a) => a.writes(),
            Action::Diary(a) => a.writes(),
            Action::Consent(a) => a.writes(),
            Action::Photos(a) => a.writes(),
            Action::Clients(a) => a.writes(),
            Action::Record(a) => a.writes(),
            Action::Screening(a) => a.writes(),
            Action::Sessions(a) => a.writes(),
            Action::Products(a) => a.writes(),
            Action::Settings(a) => a.writes(),
            Action::Welcome(a) => a.writes(),
        }
    }
}

impl Action {
    /// What the signed-in person must be allowed to do for this action (`Role::may` decides).
    pub fn requires(&self) -> Option<Act> {
        use super::record::RecordAction as R;
        use super::screening::ScreeningAction as Sc;
        use super::sessions::SessionsAction as Se;
        match self {
            Action::Screening(Sc::Start | Sc::Amend(_) | Sc::Review | Sc::Submit) => {
                Some(Act::ClinicalFields)
            }
            Action::Sessions(
                Se::Start(_)
                | Se::Record(_)
                | Se::Review
                | Se::Submit
                | Se::Amend(_)
                | Se::ReviewAmendment
                | Se::SubmitAmendment,
            ) => Some(Act::ClinicalFields),
            Action::Record(a) => match a {
                R::AddConcern
                | R::EditConcern(_)
                | R::SubmitConcernForm
                | R::AddClearance(_)
                | R::SubmitClearanceForm
                | R::NewPlan
                | R::SubmitPlanForm => Some(Act::ClinicalFields),
                R::Export | R::ConfirmExport => Some(Act::ExportClient),
                R::Anonymise | R::ConfirmAnonymise => Some(Act::Anonymise),
                R::NewClient
                | R::EditClient
                | R::SubmitClientForm { .. }
                | R::Archive
                | R::ConfirmArchive
                | R::BookSession(_) => Some(Act::Diary),
                R::Print(_) => Some(Act::Print),
                R::Close | R::CloseDialog => None,
            },
            Action::Clients(
                ClientsAction::Import | ClientsAction::PreviewImport | ClientsAction::ConfirmImport,
            ) => Some(Act::Import),
            Action::Products(ProductsAction::Save | ProductsAction::SetActive(..)) => Some(Act::Products),
            Action::Settings(
                SettingsAction::Save
                | SettingsAction::GenerateDemo { .. }
                | SettingsAction::UseServer(_)
                | SettingsAction::UseOwnFile,
            ) => Some(Act::Settings),
            Action::Settings(
                SettingsAction::BackupNow | SettingsAction::AskRestore(_) | SettingsAction::ConfirmRestore(_),
            ) => Some(Act::Backups),
            Action::Staff(StaffAction::Manage(_)) => Some(Act::ManageStaff),
            Action::Diary(DiaryAction::PrintDayList) => Some(Act::Print),
            Action::Consent(ConsentAction::Print(_)) => Some(Act::Print),
            // The client signs; the witness (whose PIN is asked) must be able to sign.
            Action::Consent(ConsentAction::Start(_) | ConsentAction::Withdraw(_)) => Some(Act::Clients),
            Action::Photos(a) => a.requires(),
            Action::Diary(a) if a.is_setup() => Some(Act::Settings),
            Action::Diary(a) if a.writes() => Some(Act::Diary),
            _ => None,
        }
    }
}

impl From<ClientsAction> for Action {
    fn from(a: ClientsAction) -> Self {
        Action::Clients(a)
    }
}

impl From<RecordAction> for Action {
    fn from(a: RecordAction) -> Self {
        Action::Record(a)
    }
}

impl From<ScreeningAction> for Action {
    fn from(a: ScreeningAction) -> Self {
        Action::Screening(a)
    }
}

impl From<SessionsAction> for Action {
    fn from(a: SessionsAction) -> Self {
        Action::Sessions(a)
    }
}

impl From<ProductsAction> for Action {
    fn from(a: ProductsAction) -> Self {
        Action::Products(a)
    }
}

impl From<WelcomeAction> for Action {
    fn from(a: WelcomeAction) -> Self {
        Action::Welcome(a)
    }
}

impl From<SettingsAction> for Action {
    fn from(a: SettingsAction) -> Self {
        Action::Settings(a)
    }
}

/// What an area's action means for the rest of the window, for the app to route: the area that
/// saved something does not reach into the areas that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub(crate) enum Event {
    /// Something the lists show was saved: reload the client list, the products, Today's lists
    /// and the open record.
    DataChanged,
    /// A client was saved: show their record and reload the client list.
    ClientSaved(ClientId),
    /// The record was closed: close the forms opened from it, back to the search box.
    RecordClosed,
    /// A restore replaced the database: forget every open record and form, reload everything.
    StoreReplaced,
    /// Carry out these actions, in order (the diary's "Screen" opens the record, then the checklist).
    Then(Vec<Action>),
    /// A signature asks for its signer's PIN: check it, then carry out `then` (the signing).
    CheckSignerPin {
        signer: String,
        pin: String,
        then: Box<Action>,
    },
}
