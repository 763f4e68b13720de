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
            signer: desk.user.clone(),
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
        let actor = desk.actor();
        let form = self.amendment.as_mut()?;
        // Only from the summary: the second, explicit step.
        if !std::mem::take(&mut form.confirming) {
            return None;
        }
        let session = form.session?;
        let (reason, correction, signer) =
            (form.reason.clone(), form.correction.clone(), form.signer.clone());
        match desk.store.write(&actor, |w| {
            w.amend_session(session, client, &reason, &correction, &signer)
        }) {
            Ok(_) => {
                self.amendment = None;
                desk.info("Amendment signed and added to the session.");
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }
}
