//! The checklist's unsigned draft: put back when the same screening is opened again on the
//! same day (after a crash too), saved a few seconds after each change, removed when the
//! screening is signed or the form is discarded. A draft from another day is not put back:
//! a screening is about the client today.

use std::time::Instant;

use super::ScreeningArea;
use crate::store::{ClientRecord, DraftKind};
use crate::ui::autosave::Autosave;
use crate::ui::desk::Desk;
use crate::ui::sessions::saved_when;
use crate::ui::views::screening::{ScreeningDraft, ScreeningForm};

/// A new screening's draft is the client's; an amendment's, the screening's it corrects.
pub(super) fn subject(form: &ScreeningForm) -> String {
    form.amends
        .map_or_else(|| form.client_id.to_string(), |id| id.to_string())
}

/// Puts today's saved draft back into a newly opened checklist.
pub(super) fn restore(form: &mut ScreeningForm, desk: &mut Desk) -> Autosave {
    let stored = match desk.store.draft(DraftKind::Screening, &subject(form)) {
        Ok(d) => d,
        Err(e) => {
            desk.fail(&e);
            None
        }
    };
    let today = desk.today;
    let usable = stored.filter(|d| {
        d.client_id == form.client_id && d.saved_at.with_timezone(&chrono::Local).date_naive() == today
    });
    let Some(draft) = usable else {
        return Autosave::starting_from(form.body());
    };
    let Ok(saved) = serde_json::from_str::<ScreeningDraft>(&draft.body) else {
        return Autosave::starting_from(form.body());
    };
    form.put_back(saved);
    form.restored = Some(format!(
        "The unsigned draft saved at {} by {} is back in the form. Check every answer with the client before signing.",
        saved_when(draft.saved_at),
        draft.saved_by
    ));
    Autosave::starting_from(form.body())
}

impl ScreeningArea {
    /// Saves the open checklist's draft once it has been still for the desk's delay.
    pub fn autosave(&mut self, desk: &mut Desk, ctx: &egui::Context) {
        let Some(form) = &self.form else { return };
        if desk.read_only() || form.confirming.is_some() {
            return;
        }
        let Some(due) = self
            .autosave
            .due(form.body(), Instant::now(), desk.draft_delay, ctx)
        else {
            return;
        };
        match desk.store.save_draft(
            DraftKind::Screening,
            &subject(form),
            form.client_id,
            &due,
            &desk.actor().name,
        ) {
            Ok(kept) => {
                self.autosave.saved(due);
                if kept == crate::store::DraftKept::OnThisDesk {
                    desk.info("The screening's draft is kept on this desk until the clinic server is back.");
                }
            }
            Err(e) => desk.error(format!("The screening's draft could not be saved: {e}")),
        }
    }

    /// The checklist opened again with no answers, its draft removed.
    pub(super) fn start_blank(&mut self, desk: &mut Desk, r: &ClientRecord, signers: &[String]) {
        let Some(form) = self.form.take() else { return };
        discard(desk, &subject(&form));
        self.start(form.amends, desk, r, signers);
    }

    /// Closes the checklist; what was answered is discarded, its draft too (the router asked).
    pub(super) fn discard_form(&mut self, desk: &mut Desk) {
        if let Some(form) = self.form.take() {
            discard(desk, &subject(&form));
        }
        self.autosave = Autosave::default();
    }
}

fn discard(desk: &mut Desk, subject: &str) {
    if let Err(e) = desk.store.discard_draft(DraftKind::Screening, subject) {
        desk.fail(&e);
    }
}
