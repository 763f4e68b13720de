//! What an empty list says: in the clinic's words what to do, and one button that does it.

use egui::RichText;

use crate::ui::record::RecordAction;
use crate::ui::Action;

/// Why a button is greyed on a database that cannot be written.
pub const READ_ONLY: &str = "This database is open read-only; nothing can be saved.";

/// The empty client list's button.
pub const NEW_CLIENT_LABEL: &str = "Add a new client";

/// What to do, then the one button that does it; true when it was clicked. A greyed button
/// says why on hover (`why_not`).
pub fn empty_ui(ui: &mut egui::Ui, text: &str, button: &str, enabled: bool, why_not: &str) -> bool {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(text).weak());
        ui.add_enabled(enabled, egui::Button::new(button))
            .on_disabled_hover_text(why_not)
            .clicked()
    })
    .inner
}

/// The client list with no rows: no clients at all, or none matching the search.
pub fn clients_ui(ui: &mut egui::Ui, searching: bool, read_only: bool) -> Option<Action> {
    let text = if searching {
        "Not a client yet? Add them, and they are found next time."
    } else {
        "No clients yet. Add the first one, or import a spreadsheet with \"Import from CSV…\"."
    };
    empty_ui(ui, text, NEW_CLIENT_LABEL, !read_only, READ_ONLY).then_some(RecordAction::NewClient.into())
}
