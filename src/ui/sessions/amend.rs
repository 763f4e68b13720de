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

    pub(super) fn submit_amendment(&mut self, desk: &mut Desk, r: &ClientRecord) -> Option<Event> {
        let client = r.client.id;
        let actor = desk.actor();
        let form = self.amendment.as_mut()?;
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
