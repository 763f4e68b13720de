//! The treatment room: start a session after today's signed screening, record and sign it (one
//! store write that also moves the rest of the series), and amend a signed one.

mod amend;
mod draft;

pub(crate) use draft::saved_when;

use crate::domain::{screening_for_session, ClientConcern, SessionId};
use crate::store::{ClientRecord, Completion, DraftKind, StoreError};

use super::action::{Action, Event};
use super::areas::AreaDialog;
use super::desk::Desk;
use super::views;
use super::views::session_amendment::SessionAmendmentForm;
use super::views::session_form::{SessionForm, SessionFormContext};

/// What the session form and its amendment dialog ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionsAction {
    /// Start a session after today's signed screening.
    Start(SessionId),
    /// Open the treatment-room form of a started session.
    Record(SessionId),
    ReusePreviousSettings,
    /// Check the form and show exactly what would be signed (the first of two steps).
    Review,
    /// Sign what the summary shows (the second, explicit step).
    Submit,
    /// From the summary back to the form, everything as typed.
    BackToForm,
    /// Drop the draft that was put back and start with a blank form.
    StartBlank,
    Cancel,
    /// Open a correction of a signed session.
    Amend(SessionId),
    /// Check the correction and show what would be signed.
    ReviewAmendment,
    SubmitAmendment,
    /// From the amendment's summary back to its form.
    BackToAmendment,
    CloseDialog,
}

impl SessionsAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            SessionsAction::Start(_)
            | SessionsAction::Record(_)
            | SessionsAction::Submit
            | SessionsAction::Amend(_)
            | SessionsAction::SubmitAmendment => true,
            SessionsAction::ReusePreviousSettings
            | SessionsAction::Review
            | SessionsAction::BackToForm
            | SessionsAction::StartBlank
            | SessionsAction::Cancel
            | SessionsAction::ReviewAmendment
            | SessionsAction::BackToAmendment
            | SessionsAction::CloseDialog => false,
        }
    }
}

#[derive(Default)]
pub(crate) struct SessionsArea {
    /// The treatment-room form, shown instead of the record.
    form: Option<SessionForm>,
    /// The correction of a signed session being written.
    amendment: Option<SessionAmendmentForm>,
    /// When the form's draft was last saved, and what it held.
    autosave: crate::ui::autosave::Autosave,
}

impl SessionsArea {
    /// `record` is the open client's.
    pub fn apply(
        &mut self,
        action: SessionsAction,
        desk: &mut Desk,
        record: Option<&ClientRecord>,
    ) -> Option<Event> {
        match action {
            SessionsAction::Start(id) => return start(id, desk, record?),
            SessionsAction::Record(id) => self.open_form(id, desk, record?),
            SessionsAction::ReusePreviousSettings => {
                if let Some(f) = &mut self.form {
                    f.reuse_previous();
                }
            }
            SessionsAction::Review => {
                if let Some(f) = &mut self.form {
                    f.confirming = f.validate(desk.today);
                }
            }
            SessionsAction::Submit => return self.submit(desk, record?),
            SessionsAction::BackToForm => {
                if let Some(f) = &mut self.form {
                    f.confirming = None;
                }
            }
            SessionsAction::StartBlank => self.start_blank(desk),
            SessionsAction::Cancel => self.discard_form(desk),
            SessionsAction::Amend(id) => self.open_amendment(id, desk, record?),
            SessionsAction::ReviewAmendment => self.review_amendment(),
            SessionsAction::SubmitAmendment => return self.submit_amendment(desk, record?),
            SessionsAction::BackToAmendment => {
                if let Some(f) = &mut self.amendment {
                    f.confirming = false;
                }
            }
            SessionsAction::CloseDialog => self.amendment = None,
        }
        None
    }

    pub fn is_open(&self) -> bool {
        self.form.is_some()
    }

    /// What closing the session form would lose, if anything was typed into it.
    pub fn unsaved_form(&self) -> Option<String> {
        let f = self.form.as_ref()?;
        f.has_input()
            .then(|| format!("the record of session {} for {}", f.session.number, f.client_name))
    }

    /// What closing the amendment dialog would lose, if anything was typed into it.
    pub fn unsaved_dialog(&self) -> Option<String> {
        let f = self.amendment.as_ref()?;
        (!f.reason.trim().is_empty() || !f.correction.trim().is_empty())
            .then(|| format!("the amendment of {}", f.session_label))
    }

    /// Closes the session form (the record it was opened from closed), discarding its draft.
    pub fn close(&mut self, desk: &mut Desk) {
        self.discard_form(desk);
    }

    fn open_form(&mut self, id: SessionId, desk: &mut Desk, r: &ClientRecord) {
        let Some(plan) = r.plans.iter().find(|p| p.sessions.iter().any(|s| s.id == id)) else {
            return;
        };
        let Some(session) = plan.sessions.iter().find(|s| s.id == id).cloned() else {
            return;
        };
        let screening = match screening_for_session(&r.screenings, desk.today) {
            Ok(s) if session.screening_id == Some(s.id) => s.clone(),
            Ok(_) => {
                desk.error("Start this session after today's screening before recording it.");
                return;
            }
            Err(refusal) => {
                desk.error(refusal.to_string());
                return;
            }
        };
        let loaded = || -> Result<_, StoreError> {
            Ok((
                desk.store.previous_session(plan.plan.id, session.number)?,
                desk.store.products(false)?,
            ))
        };
        let (previous, products) = match loaded() {
            Ok(v) => v,
            Err(e) => return desk.fail(&e),
        };
        let concerns: Vec<&ClientConcern> = r
            .concerns
            .iter()
            .filter(|c| plan.plan.concerns.contains(&c.id))
            .collect();
        // Whoever screened usually treats; else the person signed in, when they may sign.
        let signer = screening
            .signed_by
            .clone()
            .unwrap_or_else(|| desk.default_signer());
        let mut form = SessionForm::new(
            &desk.protocol,
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
        self.autosave = draft::restore(&mut form, desk);
        self.form = Some(form);
    }

    /// Signs exactly what the summary showed (never straight from the form), once the signer's
    /// PIN has been checked.
    fn submit(&mut self, desk: &mut Desk, r: &ClientRecord) -> Option<Event> {
        let form = self.form.as_mut()?;
        let signer = form.confirming.as_ref()?.practitioner.clone();
        let Some(actor) = desk.take_proof(&signer) else {
            return Some(Event::CheckSignerPin {
                signer,
                pin: std::mem::take(&mut form.pin),
                then: Box::new(SessionsAction::Submit.into()),
            });
        };
        let record = form.confirming.take()?;
        let client = r.client.id;
        let (session, screening) = (form.session.clone(), form.screening.clone());
        let subject = session.id.to_string();
        match desk.store.write(&actor, |w| {
            let completion = w.complete_session(&session, client, &record, &screening)?;
            w.discard_draft(DraftKind::Session, &subject)?;
            Ok(completion)
        }) {
            Ok(completion) => {
                self.form = None;
                self.autosave = Default::default();
                desk.info(completion_message(session.number, &completion));
                Some(Event::DataChanged)
            }
            Err(e) => {
                // The form stays open with everything typed.
                form.error = Some(e.to_string());
                None
            }
        }
    }

    /// The treatment-room form, in place of the record.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let form = self.form.as_mut()?;
        let before = form.draft.clone();
        let signers: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
        let action = views::session_form::SessionView {
            form,
            protocol: &desk.protocol,
            today: desk.today,
            signers: &signers,
            signer_status: views::signing::SignerStatus {
                problem: desk.signer_problem.as_deref(),
                checking: desk.checking_pin,
            },
        }
        .ui(ui)
        .map(Action::from);
        // After a failed check, the messages follow the typing: one goes once it is fixed.
        if form.error.is_some() && form.draft != before && form.validate(desk.today).is_some() {
            form.error = None;
        }
        action
    }
}

/// Starts a session once today's signed screening allows it.
fn start(id: SessionId, desk: &mut Desk, r: &ClientRecord) -> Option<Event> {
    let session = r
        .plans
        .iter()
        .flat_map(|p| &p.sessions)
        .find(|s| s.id == id)
        .cloned()?;
    let screening = match screening_for_session(&r.screenings, desk.today) {
        Ok(s) => s.clone(),
        Err(refusal) => {
            desk.error(refusal.to_string());
            return None;
        }
    };
    let client = r.client.id;
    let (actor, today) = (desk.actor(), desk.today);
    match desk
        .store
        .write(&actor, |w| w.start_session(&session, client, &screening, today))
    {
        Ok(()) => {
            desk.info(format!(
                "Session {} started after today's screening ({}).",
                session.number, screening.outcome.kind
            ));
            Some(Event::DataChanged)
        }
        Err(e) => {
            desk.fail(&e);
            None
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

impl AreaDialog for SessionsArea {
    fn has_dialog(&self) -> bool {
        self.amendment.is_some()
    }

    fn close_dialog(&mut self) {
        self.amendment = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let form = self.amendment.as_mut()?;
        let signers: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
        views::session_amendment::SessionAmendmentView {
            form,
            signers: &signers,
            signer_status: views::signing::SignerStatus {
                problem: desk.signer_problem.as_deref(),
                checking: desk.checking_pin,
            },
        }
        .ui(ui)
        .map(Action::from)
    }
}
