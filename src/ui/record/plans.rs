//! Skin concerns, treatment plans and booking their sessions.

use super::{RecordAction, RecordArea, RecordDialog};
use crate::domain::{ConcernId, SessionId};
use crate::ui::action::Event;
use crate::ui::desk::Desk;
use crate::ui::views::concern_form::ConcernForm;
use crate::ui::views::plan_form::PlanForm;

impl RecordArea {
    pub(super) fn edit_concern(&mut self, id: ConcernId) {
        let concern = self
            .record
            .as_ref()
            .and_then(|r| r.concerns.iter().find(|c| c.id == id));
        if let Some(c) = concern {
            self.dialog = Some(RecordDialog::Concern(Box::new(ConcernForm::edit(c))));
        }
    }

    pub(super) fn submit_concern(&mut self, desk: &mut Desk) {
        let Some(client) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let Some(RecordDialog::Concern(form)) = &mut self.dialog else {
            return;
        };
        let concern = match form.build(&desk.protocol, client, desk.today) {
            Ok(c) => c,
            Err(e) => {
                form.error = Some(e.to_string());
                return;
            }
        };
        let opened = form.opened.clone();
        let actor = desk.actor();
        let result = desk.store.write(&actor, |w| match &opened {
            Some(before) => w.update_concern(before, &concern),
            None => w.insert_concern(&concern),
        });
        match result {
            Ok(()) => {
                self.dialog = None;
                self.open(client, desk);
            }
            Err(e) => {
                if let Some(RecordDialog::Concern(form)) = &mut self.dialog {
                    form.error = Some(e.to_string());
                    // Saving again after reading the other desk's change keeps this one.
                    if let (crate::store::StoreError::ChangedElsewhere { .. }, Some(id)) =
                        (&e, form.editing())
                    {
                        let mut now = desk.store.concerns_of(client).ok().into_iter().flatten();
                        if let Some(now) = now.find(|c| c.id == id) {
                            form.opened = Some(Box::new(now));
                        }
                    }
                }
            }
        }
    }

    /// Keeps the clearance on the client's file, signed by the signer chosen once their PIN
    /// has been checked.
    pub(super) fn submit_clearance(&mut self, desk: &mut Desk) -> Option<Event> {
        let client = self.record.as_ref().map(|r| r.client.id)?;
        let Some(RecordDialog::Clearance(form)) = &mut self.dialog else {
            return None;
        };
        let (clearance, covers) = match form.draft.validate(desk.today) {
            Ok(valid) => valid,
            Err(e) => {
                form.errors = Some(e);
                return None;
            }
        };
        form.errors = None;
        let Some(actor) = desk.take_proof(&form.signer) else {
            return Some(Event::CheckSignerPin {
                signer: form.signer.clone(),
                pin: std::mem::take(&mut form.pin),
                then: Box::new(RecordAction::SubmitClearanceForm.into()),
            });
        };
        let id = form.clearance_id;
        let result = desk
            .store
            .write(&actor, |w| w.record_clearance(id, client, &clearance, &covers));
        match result {
            Ok(_) => {
                self.dialog = None;
                self.open(client, desk);
                None
            }
            // Signed before, its answer lost with the network: it is on the file.
            Err(e @ crate::store::StoreError::AlreadySaved { .. }) => {
                self.dialog = None;
                desk.info(e.to_string());
                self.open(client, desk);
                None
            }
            Err(e) => {
                if let Some(RecordDialog::Clearance(form)) = &mut self.dialog {
                    form.save_error = Some(e.to_string());
                }
                None
            }
        }
    }

    pub(super) fn new_plan(&mut self, desk: &Desk) {
        if let Some(r) = &self.record {
            self.dialog = Some(RecordDialog::Plan(Box::new(PlanForm::new(
                &desk.protocol,
                &r.concerns,
                desk.today,
            ))));
        }
    }

    pub(super) fn submit_plan(&mut self, desk: &mut Desk) -> Option<Event> {
        let client = self.record.as_ref().map(|r| r.client.id)?;
        let Some(RecordDialog::Plan(form)) = &mut self.dialog else {
            return None;
        };
        let plan = match form.build(&desk.protocol, client) {
            Ok(p) => p,
            Err(errors) => {
                form.errors = errors;
                return None;
            }
        };
        form.errors.clear();
        let sessions = plan.initial_sessions();
        let actor = desk.actor();
        let concerns: Vec<&crate::domain::ClientConcern> = self
            .record
            .iter()
            .flat_map(|r| r.concerns.iter())
            .filter(|c| plan.concerns.contains(&c.id))
            .collect();
        let limits = desk.protocol.plan_depth_limits(plan.area_ids(), &concerns);
        match desk
            .store
            .write(&actor, |w| w.insert_plan(&plan, &sessions, &limits))
        {
            Ok(()) => {
                self.dialog = None;
                desk.info(format!(
                    "Plan saved: {} sessions from {}.",
                    sessions.len(),
                    plan.series.start
                ));
                Some(Event::DataChanged)
            }
            Err(e) => {
                if let Some(RecordDialog::Plan(form)) = &mut self.dialog {
                    form.errors = vec![("Plan".to_owned(), e.to_string())];
                }
                desk.fail(&e);
                None
            }
        }
    }

    /// Books a session in the diary (its booking form offers the window's first free slots).
    pub(super) fn open_booking(&mut self, session: SessionId) -> Option<Event> {
        let client = self.record.as_ref()?.client.id;
        Some(Event::Then(vec![crate::ui::Action::Diary(
            crate::ui::diary::DiaryAction::BookSession { client, session },
        )]))
    }
}
