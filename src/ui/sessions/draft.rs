//! The session record's unsigned draft: put back when the form opens again (after a crash
//! too), saved a few seconds after each change, removed when the session is signed or the form
//! is discarded.

use std::time::Instant;

use super::SessionsArea;
use crate::domain::{AreaDraft, SessionRecordDraft};
use crate::store::DraftKind;
use crate::ui::autosave::Autosave;
use crate::ui::desk::Desk;
use crate::ui::views::session_form::SessionForm;

fn body(draft: &SessionRecordDraft) -> String {
    serde_json::to_string(draft).unwrap_or_default()
}

/// "14:05 on 4 December", in the desk's local time.
pub(crate) fn saved_when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .format("%H:%M on %-d %B")
        .to_string()
}

/// Puts a saved draft back into a newly opened form; returns the bookkeeping that follows it.
pub(super) fn restore(form: &mut SessionForm, desk: &mut Desk) -> Autosave {
    let subject = form.session.id.to_string();
    let stored = match desk.store.draft(DraftKind::Session, &subject) {
        Ok(d) => d,
        Err(e) => {
            desk.fail(&e);
            None
        }
    };
    let Some(draft) = stored else {
        return Autosave::starting_from(body(&form.draft));
    };
    let Ok(mut saved) = serde_json::from_str::<SessionRecordDraft>(&draft.body) else {
        return Autosave::starting_from(body(&form.draft));
    };
    // The form's areas are today's rules: a draft's row is kept for an area still planned.
    saved.areas = form
        .blank
        .areas
        .iter()
        .map(|blank| {
            saved
                .areas
                .iter()
                .find(|a| a.area == blank.area)
                .cloned()
                .unwrap_or_else(|| AreaDraft {
                    area: blank.area.clone(),
                    ..AreaDraft::default()
                })
        })
        .collect();
    form.draft = saved;
    form.restored = Some(format!(
        "The unsigned draft saved at {} by {} is back in the form. Check it before signing.",
        saved_when(draft.saved_at),
        draft.saved_by
    ));
    Autosave::starting_from(draft.body)
}

impl SessionsArea {
    /// Saves the open form's draft once it has been still for the desk's delay.
    pub fn autosave(&mut self, desk: &mut Desk, ctx: &egui::Context) {
        let Some(form) = &self.form else { return };
        if desk.read_only() || form.confirming.is_some() {
            return;
        }
        let now = body(&form.draft);
        let Some(due) = self.autosave.due(now, Instant::now(), desk.draft_delay, ctx) else {
            return;
        };
        let subject = form.session.id.to_string();
        let client = form.screening.client_id;
        match desk
            .store
            .save_draft(DraftKind::Session, &subject, client, &due, &desk.actor().name)
        {
            Ok(kept) => {
                self.autosave.saved(due);
                if kept == crate::store::DraftKept::OnThisDesk {
                    desk.info("The session's draft is kept on this desk until the clinic server is back.");
                }
            }
            Err(e) => desk.error(format!("The session's draft could not be saved: {e}")),
        }
    }

    /// The form back to blank, and its draft removed.
    pub(super) fn start_blank(&mut self, desk: &mut Desk) {
        if let Some(form) = &mut self.form {
            form.draft = form.blank.clone();
            form.restored = None;
            form.errors = Default::default();
            form.error = None;
            self.autosave = Autosave::starting_from(body(&form.draft));
            discard(desk, &form.session.id.to_string());
        }
    }

    /// Closes the form; what was typed is discarded, its draft too (the router asked first).
    pub(super) fn discard_form(&mut self, desk: &mut Desk) {
        if let Some(form) = self.form.take() {
            discard(desk, &form.session.id.to_string());
        }
        self.autosave = Autosave::default();
    }
}

fn discard(desk: &mut Desk, subject: &str) {
    if let Err(e) = desk.store.discard_draft(DraftKind::Session, subject) {
        desk.fail(&e);
    }
}
