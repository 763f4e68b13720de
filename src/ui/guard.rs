//! Nothing typed is lost by accident: an action that would close a form with unsaved input
//! (Esc, Back, Cancel, another screen or client, closing the window) is held back, and the
//! window asks "Keep editing" or "Discard". Discard carries the held action out; the drafts of a
//! discarded screening or session record go with it.

use egui::RichText;

use super::action::{Action, Screen};
use super::app::NeedlepointApp;
use super::consent::ConsentAction;
use super::record::RecordAction;
use super::screening::ScreeningAction;
use super::sessions::SessionsAction;

pub const KEEP_EDITING_LABEL: &str = "Keep editing";
pub const DISCARD_LABEL: &str = "Discard";

/// An action waiting for the answer to "Keep editing / Discard".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    /// What would be lost, in words ("the new client form").
    pub what: String,
    /// `None`: closing the window.
    pub action: Option<Action>,
}

impl NeedlepointApp {
    /// What `action` would throw away, if anything typed would go with it.
    pub(super) fn would_lose(&mut self, action: &Action) -> Option<String> {
        let areas = &mut self.areas;
        let forms = || {
            areas
                .sessions
                .unsaved_form()
                .or_else(|| areas.screening.unsaved_form())
                .or_else(|| areas.consent.unsaved_form())
        };
        match action {
            Action::CloseDialog
            | Action::Record(RecordAction::CloseDialog | RecordAction::NewClient)
            | Action::Sessions(SessionsAction::CloseDialog) => areas
                .record
                .unsaved_dialog()
                .or_else(|| areas.sessions.unsaved_dialog()),
            Action::Navigate(Screen::Clients) if self.screen == Screen::Clients => forms(),
            Action::OpenClient(_) | Action::Record(RecordAction::Close) => forms(),
            Action::Sessions(SessionsAction::Cancel) => areas.sessions.unsaved_form(),
            Action::Screening(ScreeningAction::Cancel) => areas.screening.unsaved_form(),
            Action::Consent(ConsentAction::Cancel) => areas.consent.unsaved_form(),
            _ => None,
        }
    }

    /// Everything closing the window would lose.
    pub(super) fn unsaved_anything(&mut self) -> Option<String> {
        let areas = &mut self.areas;
        let all: Vec<String> = [
            areas.record.unsaved_dialog(),
            areas.sessions.unsaved_dialog(),
            areas.sessions.unsaved_form(),
            areas.screening.unsaved_form(),
            areas.consent.unsaved_form(),
            areas.settings.unsaved(),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!all.is_empty()).then(|| all.join(", "))
    }

    /// The question, over everything else. Esc keeps editing.
    pub(super) fn held_ui(&self, ctx: &egui::Context) -> Option<Action> {
        let held = self.held.as_ref()?;
        let mut action = None;
        egui::Modal::new(egui::Id::unique("needlepoint.unsaved")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.label(RichText::new("Unsaved changes").heading());
            let then = if held.action.is_some() {
                "Going on will throw it away."
            } else {
                "Closing the window will throw it away."
            };
            ui.label(format!(
                "You have typed into {} and not saved it. {then}",
                held.what
            ));
            ui.horizontal(|ui| {
                if ui.button(RichText::new(KEEP_EDITING_LABEL).strong()).clicked() {
                    action = Some(Action::KeepEditing);
                }
                if ui.button(DISCARD_LABEL).clicked() {
                    action = Some(Action::Discard);
                }
            });
        });
        if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            action = Some(Action::KeepEditing);
        }
        action
    }

    /// Closing the window: asks first when something typed would be lost.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.closing {
            return;
        }
        if let Some(what) = self.unsaved_anything() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            // Behind the lock the question cannot be seen, and only the person who unlocks may
            // answer it: say so where it shows.
            if self.areas.staff.gate != super::staff::Gate::Open {
                // Without naming it: the client's name is not for whoever stands at a locked desk.
                self.areas.staff.message = Some(
                    "Unlock first to close Needlepoint: a form is open underneath, and nothing typed is lost."
                        .to_owned(),
                );
            }
            self.held = Some(Held { what, action: None });
        }
    }

    /// "Discard": the forms' drafts go, then the held action is carried out.
    pub(super) fn discard_and_go_on(&mut self) -> Option<Action> {
        let held = self.held.take()?;
        match held.action {
            // The held action closes the form through its area, which discards its draft.
            Some(action) => Some(action),
            None => {
                self.areas.sessions.close(&mut self.desk);
                self.areas.screening.close(&mut self.desk);
                self.closing = true;
                None
            }
        }
    }
}
