//! Saving the draft of a form a few seconds after its last change (screenings and session
//! records), so that typed work survives a crash or a window closed by force. The form's
//! contents are compared as JSON: nothing is written while nothing changed, and an idle window
//! asks for no frames (one wake-up is requested for a pending save, none otherwise).

use std::time::{Duration, Instant};

/// How long after the last change a draft is saved.
pub const DRAFT_DELAY: Duration = Duration::from_secs(2);

/// The draft bookkeeping of one open form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Autosave {
    /// What the database holds (or the form as it opened, when nothing was saved yet).
    saved: Option<String>,
    /// The contents not saved yet, and when they last changed.
    pending: Option<(String, Instant)>,
}

impl Autosave {
    /// Starts tracking a form whose stored (or blank) contents are `body`.
    pub fn starting_from(body: String) -> Self {
        Self {
            saved: Some(body),
            pending: None,
        }
    }

    /// Given the form's contents now, the contents to save if `delay` has passed since they
    /// last changed; otherwise asks `ctx` to wake the window when it will have.
    pub fn due(
        &mut self,
        body: String,
        now: Instant,
        delay: Duration,
        ctx: &egui::Context,
    ) -> Option<String> {
        if self.saved.as_ref() == Some(&body) {
            self.pending = None;
            return None;
        }
        let changed_at = match &self.pending {
            Some((pending, at)) if *pending == body => *at,
            _ => {
                self.pending = Some((body.clone(), now));
                now
            }
        };
        let waited = now.saturating_duration_since(changed_at);
        if waited >= delay {
            Some(body)
        } else {
            ctx.request_repaint_after(delay - waited);
            None
        }
    }

    /// The contents were saved.
    pub fn saved(&mut self, body: String) {
        self.saved = Some(body);
        self.pending = None;
    }
}
