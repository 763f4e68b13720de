//! The pre-treatment screening of the open client: the checklist, shown instead of the record
//! while it is filled in, signed in one store write; and corrections of a signed screening.

use crate::domain::{PlanStatus, ScreeningId};
use crate::store::ClientRecord;

use super::action::{Action, Event};
use super::desk::Desk;
use super::views;
use super::views::screening::ScreeningForm;

/// What the screening checklist asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreeningAction {
    /// Open a blank checklist for the open client.
    Start,
    /// Open a correction of a signed screening.
    Amend(ScreeningId),
    Submit,
    Cancel,
}

impl ScreeningAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            ScreeningAction::Start | ScreeningAction::Amend(_) | ScreeningAction::Submit => true,
            ScreeningAction::Cancel => false,
        }
    }
}

#[derive(Default)]
pub(crate) struct ScreeningArea {
    /// The checklist being filled in.
    form: Option<ScreeningForm>,
}

impl ScreeningArea {
    /// `record` is the open client's; `practitioners` those of the clinic's settings.
    pub fn apply(
        &mut self,
        action: ScreeningAction,
        desk: &mut Desk,
        record: Option<&ClientRecord>,
        practitioners: &[String],
    ) -> Option<Event> {
        match action {
            ScreeningAction::Start => self.start(None, desk, record?, practitioners),
            ScreeningAction::Amend(id) => self.start(Some(id), desk, record?, practitioners),
            ScreeningAction::Cancel => self.form = None,
            ScreeningAction::Submit => return self.submit(desk),
        }
        None
    }

    pub fn is_open(&self) -> bool {
        self.form.is_some()
    }

    pub fn close(&mut self) {
        self.form = None;
    }

    fn start(
        &mut self,
        amends: Option<ScreeningId>,
        desk: &Desk,
        r: &ClientRecord,
        practitioners: &[String],
    ) {
        let d = &r.client.details;
        let form = match amends {
            Some(id) => match r.screenings.iter().find(|s| s.id == id) {
                Some(original) => ScreeningForm::amendment(
                    &desk.protocol,
                    original,
                    &d.full_name,
                    d.skin_type,
                    d.date_of_birth,
                ),
                None => return,
            },
            None => {
                // Areas of the client's active plans are planned for today; the practitioner may change them.
                let planned: Vec<String> = r
                    .plans
                    .iter()
                    .filter(|p| p.plan.status == PlanStatus::Active)
                    .flat_map(|p| p.plan.areas.iter().map(|a| a.area.clone()))
                    .collect();
                let previous = r.screenings.iter().find(|s| s.is_signed()).cloned();
                let signer = practitioners.first().cloned().unwrap_or_default();
                ScreeningForm::new(
                    &desk.protocol,
                    r.client.id,
                    &d.full_name,
                    d.skin_type,
                    d.date_of_birth,
                    &planned,
                    previous,
                    &signer,
                )
            }
        };
        self.form = Some(form);
    }

    fn submit(&mut self, desk: &mut Desk) -> Option<Event> {
        let form = self.form.as_mut()?;
        let screening = match form.build(&desk.protocol, desk.today) {
            Ok(s) => s,
            Err(e) => {
                form.error = Some(e);
                return None;
            }
        };
        let actor = desk.actor();
        match desk.store.write(&actor, |w| w.insert_screening(&screening)) {
            Ok(()) => {
                self.form = None;
                desk.info(format!(
                    "Screening signed by {}: {}.",
                    screening.signed_by.as_deref().unwrap_or_default(),
                    screening.outcome.kind
                ));
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }

    /// The checklist, in place of the record.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk, practitioners: &[String]) -> Option<Action> {
        let form = self.form.as_mut()?;
        views::screening::ScreeningView {
            form,
            protocol: &desk.protocol,
            today: desk.today,
            practitioners,
        }
        .ui(ui)
        .map(Action::from)
    }
}
