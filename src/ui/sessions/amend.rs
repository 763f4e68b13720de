//! Correcting a signed session: the signed record stays; the amendment is a new signed row.

use super::SessionsArea;
use crate::domain::SessionId;
use crate::store::ClientRecord;
use crate::ui::action::Event;
use crate::ui::desk::Desk;
use crate::ui::views::session_amendment::SessionAmendmentForm;

impl SessionsArea {
    pub(super) fn open_amendment(&mut self, id: SessionId, desk: &Desk, r: &ClientRecord) {
        let Some(session) = r.plans.iter().flat_map(|p| &p.sessions).find(|s| s.id == id) else {
            return;
        };
        let on = session.performed_on.map(|d| d.to_string()).unwrap_or_default();
        self.amendment = Some(SessionAmendmentForm {
            session: Some(id),
            session_label: format!("session {} of {on}", session.number),
            signer: desk.default_signer(),
            ..SessionAmendmentForm::default()
        });
    }

    /// Shows what the amendment would sign, once each part is written.
    pub(super) fn review_amendment(&mut self) {
        let Some(form) = self.amendment.as_mut() else {
            return;
        };
        let missing: Vec<&str> = [
            ("the reason", &form.reason),
            ("the correction", &form.correction),
            ("who signs it", &form.signer),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(what, _)| what)
        .collect();
        if missing.is_empty() {
            form.error = None;
            form.confirming = true;
        } else {
            form.error = Some(format!("Write {} first.", missing.join(" and ")));
        }
    }

    pub(super) fn submit_amendment(&mut self, desk: &mut Desk, r: &ClientRecord) -> Option<Event> {
        let client = r.client.id;
        let form = self.amendment.as_mut()?;
        // Only from the summary: the second, explicit step.
        if !form.confirming {
            return None;
        }
        // The signer's PIN first; the signing goes ahead once it is found right.
        let Some(actor) = desk.take_proof(&form.signer) else {
            return Some(Event::CheckSignerPin {
                signer: form.signer.clone(),
                pin: std::mem::take(&mut form.pin),
                then: Box::new(super::SessionsAction::SubmitAmendment.into()),
            });
        };
        form.confirming = false;
        let session = form.session?;
        let (reason, correction) = (form.reason.clone(), form.correction.clone());
        let id = form.amendment_id;
        match desk.store.write(&actor, |w| {
            w.amend_session(id, session, client, &reason, &correction)
        }) {
            Ok(_) => {
                self.amendment = None;
                desk.info("Amendment signed and added to the session.");
                Some(Event::DataChanged)
            }
            // Signed before, its answer lost with the network: it is in the record.
            Err(e @ crate::store::StoreError::AlreadySaved { .. }) => {
                self.amendment = None;
                desk.info(e.to_string());
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }
}
