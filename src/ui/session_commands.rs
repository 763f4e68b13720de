//! Carrying out the treatment-room actions: open the session form, complete and sign the
//! session (one store write that also moves the rest of the series), and amend a signed one.

use super::app::NeedlepointApp;
use super::state::{Dialog, Status};
use super::views::session_amendment::SessionAmendmentForm;
use super::views::session_form::{SessionForm, SessionFormContext};
use crate::domain::{screening_for_session, SessionId};
use crate::store::{Completion, StoreError};

impl NeedlepointApp {
    pub(super) fn open_session_form(&mut self, id: SessionId) {
        let Some(r) = &self.record else { return };
        let Some(plan) = r.plans.iter().find(|p| p.sessions.iter().any(|s| s.id == id)) else {
            return;
        };
        let Some(session) = plan.sessions.iter().find(|s| s.id == id).cloned() else {
            return;
        };
        let screening = match screening_for_session(&r.screenings, self.today) {
            Ok(s) if session.screening_id == Some(s.id) => s.clone(),
            Ok(_) => {
                self.status = Some(Status::Error(
                    "Start this session after today's screening before recording it.".to_owned(),
                ));
                return;
            }
            Err(refusal) => {
                self.status = Some(Status::Error(refusal.to_string()));
                return;
            }
        };
        let loaded = || -> Result<_, StoreError> {
            Ok((
                self.store.previous_session(plan.plan.id, session.number)?,
                self.store.products(false)?,
            ))
        };
        let (previous, products) = match loaded() {
            Ok(v) => v,
            Err(e) => return self.fail(&e),
        };
        let concerns: Vec<&crate::domain::ClientConcern> = r
            .concerns
            .iter()
            .filter(|c| plan.plan.concerns.contains(&c.id))
            .collect();
        let signer = screening
            .signed_by
            .clone()
            .unwrap_or_else(|| self.prefs.user.clone());
        let form = SessionForm::new(
            &self.protocol,
            &plan.plan,
            session,
            screening,
            &concerns,
            SessionFormContext {
                client_name: r.client.details.full_name.clone(),
                signer,
                previous,
                products,
            },
        );
        self.session_form = Some(form);
    }

    pub(super) fn submit_session_record(&mut self) {
        let today = self.today;
        let Some(form) = &mut self.session_form else {
            return;
        };
        let Some(record) = form.validate(today) else {
            return;
        };
        let Some(client) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let (session, screening) = (form.session.clone(), form.screening.clone());
        let actor = self.actor();
        match self.store.write(&actor, |w| {
            w.complete_session(&session, client, &record, &screening)
        }) {
            Ok(completion) => {
                self.session_form = None;
                self.status = Some(Status::Info(completion_message(session.number, &completion)));
                self.refresh_lists();
            }
            Err(e) => {
                // The form stays open with everything typed.
                if let Some(form) = &mut self.session_form {
                    form.error = Some(e.to_string());
                }
            }
        }
    }

    pub(super) fn open_session_amendment(&mut self, id: SessionId) {
        let Some(r) = &self.record else { return };
        let Some(session) = r.plans.iter().flat_map(|p| &p.sessions).find(|s| s.id == id) else {
            return;
        };
        let on = session.performed_on.map(|d| d.to_string()).unwrap_or_default();
        self.dialog = Some(Dialog::SessionAmendment(Box::new(SessionAmendmentForm {
            session: Some(id),
            session_label: format!("session {} of {on}", session.number),
            signer: self.prefs.user.clone(),
            ..SessionAmendmentForm::default()
        })));
    }

    pub(super) fn submit_session_amendment(&mut self) {
        let Some(client) = self.record.as_ref().map(|r| r.client.id) else {
            return;
        };
        let actor = self.actor();
        let Some(Dialog::SessionAmendment(form)) = &mut self.dialog else {
            return;
        };
        let Some(session) = form.session else { return };
        let (reason, correction, signer) =
            (form.reason.clone(), form.correction.clone(), form.signer.clone());
        match self.store.write(&actor, |w| {
            w.amend_session(session, client, &reason, &correction, &signer)
        }) {
            Ok(_) => {
                self.dialog = None;
                self.status = Some(Status::Info(
                    "Amendment signed and added to the session.".to_owned(),
                ));
                self.refresh_lists();
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }
}

/// What the desk needs to hear after a session: the next booking window, or the review.
pub fn completion_message(number: u8, c: &Completion) -> String {
    let mut text = format!("Session {number} done and signed.");
    if c.series_complete {
        text.push_str(" The series is complete: book a review appointment.");
    } else if let Some(next) = &c.next {
        text.push_str(&format!(
            " Next session {}: book on {} (window {} to {}).",
            next.number, next.target_on, next.earliest_on, next.latest_on
        ));
    }
    if !c.booked_outside_window.is_empty() {
        let list: Vec<String> = c.booked_outside_window.iter().map(u8::to_string).collect();
        text.push_str(&format!(
            " Booked session(s) {} now fall outside their window: rebook them.",
            list.join(", ")
        ));
    }
    text
}
