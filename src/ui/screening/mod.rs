//! The pre-treatment screening of the open client: the checklist, shown instead of the record
//! while it is filled in, signed in one store write; and corrections of a signed screening.

mod draft;

use crate::domain::{PlanStatus, ScreeningId};
use crate::store::{ClientRecord, DraftKind};

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
    /// Check the answers and show exactly what would be signed (the first of two steps).
    Review,
    /// Sign what the summary shows (the second, explicit step).
    Submit,
    /// From the summary back to the questions.
    BackToForm,
    /// Drop the draft that was put back and start again with no answers.
    StartBlank,
    Cancel,
}

impl ScreeningAction {
    /// Whether carrying this out saves something (refused on a read-only database).
    pub fn writes(&self) -> bool {
        match self {
            ScreeningAction::Start | ScreeningAction::Amend(_) | ScreeningAction::Submit => true,
            ScreeningAction::Review
            | ScreeningAction::BackToForm
            | ScreeningAction::StartBlank
            | ScreeningAction::Cancel => false,
        }
    }
}

#[derive(Default)]
pub(crate) struct ScreeningArea {
    /// The checklist being filled in.
    form: Option<ScreeningForm>,
    /// When the checklist's draft was last saved, and what it held.
    autosave: crate::ui::autosave::Autosave,
}

impl ScreeningArea {
    /// `record` is the open client's; `signers` the accounts that may sign.
    pub fn apply(
        &mut self,
        action: ScreeningAction,
        desk: &mut Desk,
        record: Option<&ClientRecord>,
        signers: &[String],
    ) -> Option<Event> {
        match action {
            ScreeningAction::Start => self.start(None, desk, record?, signers),
            ScreeningAction::Amend(id) => self.start(Some(id), desk, record?, signers),
            ScreeningAction::Review => self.review(desk),
            ScreeningAction::BackToForm => {
                if let Some(f) = &mut self.form {
                    f.confirming = None;
                }
            }
            ScreeningAction::StartBlank => self.start_blank(desk, record?, signers),
            ScreeningAction::Cancel => self.discard_form(desk),
            ScreeningAction::Submit => return self.submit(desk),
        }
        None
    }

    pub fn is_open(&self) -> bool {
        self.form.is_some()
    }

    /// Closes the checklist (the record it was opened from closed), discarding its draft.
    pub fn close(&mut self, desk: &mut Desk) {
        self.discard_form(desk);
    }

    /// What closing the checklist would lose, if anything was answered.
    pub fn unsaved_form(&self) -> Option<String> {
        let f = self.form.as_ref()?;
        f.has_input()
            .then(|| format!("the screening of {}", f.client_name))
    }

    fn review(&mut self, desk: &Desk) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.build(&desk.protocol, desk.today) {
            Ok(s) => {
                form.error = None;
                form.confirming = Some(s);
            }
            Err(e) => form.error = Some(e),
        }
    }

    fn start(&mut self, amends: Option<ScreeningId>, desk: &mut Desk, r: &ClientRecord, signers: &[String]) {
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
                let default = desk.default_signer();
                let signer = if default.is_empty() {
                    signers.first().cloned().unwrap_or_default()
                } else {
                    default
                };
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
        let mut form = form;
        form.clearances = r.clearances.iter().map(|c| c.clearance.clone()).collect();
        // The consent question is answered by the treatment consent on file, not by a button
        // (before and after any draft is put back, so a draft cannot answer it either).
        let kind = crate::domain::ConsentKind::Treatment;
        let state =
            crate::domain::consent::consent_state(&r.consents, kind, desk.today, r.consent_renewal_months);
        let answer_consent = |form: &mut ScreeningForm| {
            let answer = form
                .drafts
                .entry(crate::protocol::screening::CONSENT_QUESTION.to_owned())
                .or_default();
            answer.yes = Some(state.is_valid());
        };
        // An amendment keeps what the original said.
        let new = amends.is_none();
        if new {
            answer_consent(&mut form);
            form.opened = form.body();
        }
        self.autosave = draft::restore(&mut form, desk);
        if new {
            answer_consent(&mut form);
            form.consent_on_file = Some(state.words(kind));
        }
        self.form = Some(form);
    }

    /// Signs exactly what the summary showed (never straight from the questions), once the
    /// signer's PIN has been checked (the first Sign asks for the check; it signs when right).
    fn submit(&mut self, desk: &mut Desk) -> Option<Event> {
        let form = self.form.as_mut()?;
        let signer = form.confirming.as_ref()?.signed_by.clone().unwrap_or_default();
        let Some(actor) = desk.take_proof(&signer) else {
            return Some(Event::CheckSignerPin {
                signer,
                pin: std::mem::take(&mut form.pin),
                then: Box::new(ScreeningAction::Submit.into()),
            });
        };
        let screening = form.confirming.take()?;
        let subject = draft::subject(form);
        match desk.store.write(&actor, |w| {
            w.insert_screening(&screening)?;
            w.discard_draft(DraftKind::Screening, &subject)
        }) {
            Ok(()) => {
                self.form = None;
                self.autosave = Default::default();
                desk.info(format!(
                    "Screening signed by {}: {}.",
                    screening.signed_by.as_deref().unwrap_or_default(),
                    screening.outcome.kind
                ));
                Some(Event::DataChanged)
            }
            // Signed before, its answer lost with the network: it is in the record, so the form
            // closes as after a signing, saying so.
            Err(e @ crate::store::StoreError::AlreadySaved { .. }) => {
                self.form = None;
                self.autosave = Default::default();
                let _ = desk.store.discard_draft(DraftKind::Screening, &subject);
                desk.info(e.to_string());
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }

    /// The checklist, in place of the record.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk, signers: &[String]) -> Option<Action> {
        let form = self.form.as_mut()?;
        views::screening::ScreeningView {
            form,
            protocol: &desk.protocol,
            today: desk.today,
            signers,
            signer_status: crate::ui::views::signing::SignerStatus {
                problem: desk.signer_problem.as_deref(),
                checking: desk.checking_pin,
            },
        }
        .ui(ui)
        .map(Action::from)
    }
}
