//! The photos on a client's record: each area and view with how many photos and their dates,
//! and the ways in (open the photos, import more; files dropped on the record are imported too).

use egui::RichText;

use crate::domain::photo::timelines;
use crate::protocol::Protocol;
use crate::store::ClientRecord;
use crate::ui::action::Action;
use crate::ui::photos::{PhotoAction, IMPORT_PHOTOS_LABEL};

/// "Photos (4)", the record's button.
pub fn open_label(count: usize) -> String {
    format!("Photos ({count})")
}

pub fn photos_ui(
    ui: &mut egui::Ui,
    r: &ClientRecord,
    protocol: &Protocol,
    can_import: bool,
    actions: &mut Vec<Action>,
) {
    let shown: Vec<_> = r.photos.iter().filter(|p| p.is_shown()).collect();
    ui.horizontal(|ui| {
        ui.label(RichText::new("Photos").heading());
        if ui
            .button(format!("Open {}", open_label(shown.len()).to_lowercase()))
            .clicked()
        {
            actions.push(Action::Photos(PhotoAction::Open));
        }
        if ui
            .add_enabled(
                can_import && !r.client.archived,
                egui::Button::new(IMPORT_PHOTOS_LABEL),
            )
            .clicked()
        {
            actions.push(Action::Photos(PhotoAction::Import(Vec::new())));
        }
    });
    let lines = timelines(&r.photos);
    if lines.is_empty() {
        ui.label(
            RichText::new(
                "No photos yet. Drop photo files on this record to import them (photographs consent needed).",
            )
            .weak(),
        );
        return;
    }
    for line in lines {
        let (first, last) = (line.photos.first(), line.photos.last());
        let span = match (first, last) {
            (Some(a), Some(b)) if a.taken_on != b.taken_on => {
                format!(
                    "{} – {}",
                    a.taken_on.format("%-d %b %Y"),
                    b.taken_on.format("%-d %b %Y")
                )
            }
            (Some(a), _) => a.taken_on.format("%-d %b %Y").to_string(),
            _ => String::new(),
        };
        ui.label(format!(
            "{}, {}: {} photo(s), {span}",
            protocol.area_name(line.area),
            line.view.words(),
            line.photos.len()
        ));
    }
}
