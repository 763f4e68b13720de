//! The written clearances on a client's record: each with whether it holds today, a button to
//! record one, and one per rule the latest screening found without a clearance.

use egui::RichText;

use crate::domain::{ClearanceState, OutcomeKind};
use crate::protocol::Protocol;
use crate::store::ClientRecord;
use crate::ui::action::Action;
use crate::ui::record::RecordAction;
use crate::ui::views::empty::READ_ONLY;

const ARCHIVED: &str = "This client is archived: their record is kept, but nothing new is added.";

/// What the list needs from the record view.
pub struct ClearancesView<'a> {
    pub record: &'a ClientRecord,
    pub protocol: &'a Protocol,
    pub today: chrono::NaiveDate,
    pub read_only: bool,
}

/// Written clearances on file, each with whether it holds today; a button per rule the
/// latest screening found without one.
pub fn clearances_ui(ui: &mut egui::Ui, view: ClearancesView<'_>, actions: &mut Vec<Action>) {
    let (r, p) = (view.record, view.protocol);
    let can_add = !view.read_only && !r.client.archived;
    let why_not = if view.read_only { READ_ONLY } else { ARCHIVED };
    ui.horizontal(|ui| {
        ui.label(RichText::new("Written clearances").heading());
        ui.add_enabled_ui(can_add, |ui| {
            if ui
                .button("Record a clearance")
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                actions.push(RecordAction::AddClearance(None).into());
            }
        });
    });
    let missing: Vec<&str> = r
        .screenings
        .iter()
        .find(|s| s.is_signed())
        .map(|s| {
            s.outcome
                .findings
                .iter()
                .filter(|f| f.kind == OutcomeKind::NeedsClearance)
                .map(|f| f.rule.as_str())
                .collect()
        })
        .unwrap_or_default();
    for rule in missing {
        let name = p.contraindication(rule).map_or(rule, |c| c.name.as_str());
        ui.add_enabled_ui(can_add, |ui| {
            if ui
                .button(format!("Record the clearance for: {name}"))
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                actions.push(RecordAction::AddClearance(Some(rule.to_owned())).into());
            }
        });
    }
    if r.clearances.is_empty() {
        ui.label(RichText::new("None on file.").weak());
        return;
    }
    egui::Grid::new("clearances")
        .striped(true)
        .num_columns(4)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for h in ["Clears", "Given by", "Valid", "Covers"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for c in &r.clearances {
                let cl = &c.clearance;
                ui.label(
                    p.contraindication(&cl.rule)
                        .map_or(cl.rule.as_str(), |x| x.name.as_str()),
                );
                let role = cl.role.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                ui.label(format!("{}{role}", cl.given_by)).on_hover_text(format!(
                    "Recorded by {} at {}",
                    c.recorded_by,
                    c.recorded_at.format("%Y-%m-%d %H:%M")
                ));
                let until = cl.expires_on.map(|e| e.to_string()).unwrap_or_default();
                let state = match cl.state_on(view.today) {
                    ClearanceState::InForce => format!("{} to {until}", cl.given_on),
                    ClearanceState::Expired => format!("ended {until}"),
                    ClearanceState::NotYet => format!("from {}", cl.given_on),
                };
                ui.label(state);
                ui.label(&c.covers);
                ui.end_row();
            }
        });
}
