//! The photos screen, standing in for the record while open: the header (consent, import,
//! compare, open, the progress report and its chosen pairs), then the timelines, the compare
//! view or one photo.

use super::pictures::Size;
use super::{
    PhotoAction, PhotoScreen, PhotosArea, COMPARE_LABEL, IMPORT_PHOTOS_LABEL, OPEN_PHOTO_LABEL, REPORT_LABEL,
};
use crate::domain::{PhotoId, SessionId};
use crate::ui::action::Action;
use crate::ui::desk::Desk;
use crate::ui::views::photo_compare::{CompareView, SingleView};
use crate::ui::views::photo_timeline::TimelineView;

impl PhotosArea {
    /// The photos screen, standing in for the record.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        self.pictures.begin_frame(ui.ctx());
        let loading_full = self.loading_full.is_some();
        let screen = self.screen.as_mut()?;
        if let Some((id, image)) = self.full_size_ready.take() {
            let texture =
                ui.ctx()
                    .load_texture(format!("photo-{id}-full"), image, egui::TextureOptions::LINEAR);
            screen.full_size = Some((id, texture));
        }
        let pictures = &mut self.pictures;
        let store = &desk.store;
        let protocol = &desk.protocol;
        let area_name = |a: &str| protocol.area_name(a).to_owned();
        let may_change = desk.may(crate::domain::Act::Photos) && !desk.read_only();
        let ctx = ui.ctx().clone();
        if let Some(c) = &mut screen.compare {
            let before = screen.photos.iter().find(|p| p.id == c.before)?;
            let after = screen.photos.iter().find(|p| p.id == c.after)?;
            return CompareView {
                before,
                after,
                before_picture: pictures.get(&ctx, store, before.id, Size::Preview),
                after_picture: pictures.get(&ctx, store, after.id, Size::Preview),
                area_name: area_name(&before.area),
                state: c,
            }
            .ui(ui)
            .map(Action::Photos);
        }
        if let Some(id) = screen.viewing {
            let photo = screen.photos.iter().find(|p| p.id == id)?;
            let full = screen
                .full_size
                .as_ref()
                .filter(|(f, _)| *f == id)
                .map(|(_, t)| t.clone());
            let session = photo
                .session_id
                .and_then(|s| screen.sessions.iter().find(|(x, _)| *x == s))
                .map(|(_, l)| l.clone());
            return SingleView {
                photo,
                full_size: full.is_some(),
                picture: full.or_else(|| pictures.get(&ctx, store, id, Size::Preview)),
                loading_full,
                area_name: area_name(&photo.area),
                session,
                may_change,
                view: &mut screen.single_view,
            }
            .ui(ui)
            .map(Action::Photos);
        }
        let mut action = header_ui(ui, screen, protocol, may_change, self.printing.is_some());
        let sessions = &screen.sessions;
        let session_label = |s: SessionId| sessions.iter().find(|(x, _)| *x == s).map(|(_, l)| l.clone());
        let mut picture = |_: &egui::Ui, id: PhotoId| pictures.get(&ctx, store, id, Size::Thumbnail);
        if let Some(a) = (TimelineView {
            photos: &screen.photos,
            selected: &screen.selected,
            area_name: &area_name,
            session_label: &session_label,
            may_change,
        })
        .ui(ui, &mut picture)
        {
            action = Some(a);
        }
        action.map(Action::Photos)
    }
}

fn header_ui(
    ui: &mut egui::Ui,
    s: &PhotoScreen,
    protocol: &crate::protocol::Protocol,
    may_change: bool,
    printing: bool,
) -> Option<PhotoAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        if ui.button("< Record").clicked() {
            action = Some(PhotoAction::Close);
        }
        ui.heading(format!("Photos of {}", s.client_name));
    });
    ui.horizontal(|ui| {
        let color = if s.consent_ok {
            crate::ui::theme::OK_GREEN
        } else {
            crate::ui::theme::WARN_AMBER
        };
        ui.label(egui::RichText::new(&s.consent).color(color));
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(may_change && s.consent_ok, egui::Button::new(IMPORT_PHOTOS_LABEL))
            .on_disabled_hover_text("Photos are stored with the client's photographs consent, by a practitioner or the clinical lead.")
            .clicked()
        {
            action = Some(PhotoAction::Import(Vec::new()));
        }
        // One selected: open it (as a double click on it does).
        if ui
            .add_enabled(s.selected.len() == 1, egui::Button::new(OPEN_PHOTO_LABEL))
            .on_disabled_hover_text("Select one photo (click it), or double-click it.")
            .clicked()
        {
            action = s.selected.first().copied().map(PhotoAction::View);
        }
        let two = s.selected.len() == 2;
        if ui
            .add_enabled(two, egui::Button::new(COMPARE_LABEL))
            .on_disabled_hover_text("Select two photos of the same area and view (click each).")
            .clicked()
        {
            action = Some(PhotoAction::Compare);
        }
        let label = if s.report_pairs.is_empty() {
            format!("{REPORT_LABEL} (first and last of each area)")
        } else {
            format!("{REPORT_LABEL} ({} pair(s))", s.report_pairs.len())
        };
        if ui.add_enabled(!printing, egui::Button::new(label)).clicked() {
            action = Some(PhotoAction::PrintReport);
        }
        if printing {
            ui.spinner();
        }
    });
    for (i, (a, b)) in s.report_pairs.iter().enumerate() {
        let caption = |id: &PhotoId| {
            s.photos
                .iter()
                .find(|p| p.id == *id)
                .map(|p| p.caption(protocol.area_name(&p.area)))
                .unwrap_or_default()
        };
        ui.horizontal(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text("Leave this pair out of the report")
                .clicked()
            {
                action = Some(PhotoAction::RemovePair(i));
            }
            ui.label(format!("Report pair {}: {} → {}", i + 1, caption(a), caption(b)));
        });
    }
    ui.separator();
    action
}
