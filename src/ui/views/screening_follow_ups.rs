//! A screening question's follow-ups: areas and yes/no chosen from lists, dates and details
//! typed; and the further entries of a question that takes several.

use egui::RichText;

use crate::protocol::{FollowUpKind, Protocol};

/// The further entries of a question that takes several (another procedure, with its own
/// conditions, date and area), and the buttons that add and remove them.
pub fn more_entries_ui(
    ui: &mut egui::Ui,
    protocol: &Protocol,
    q: &crate::protocol::IntakeQuestion,
    more: &mut Vec<crate::domain::AnswerEntry>,
) {
    let mut remove = None;
    for (i, entry) in more.iter_mut().enumerate() {
        let n = i + 2;
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Entry {n}")).strong());
            if ui.small_button(format!("Remove entry {n}")).clicked() {
                remove = Some(i);
            }
        });
        for c in &q.screens_for {
            let name = protocol
                .contraindication(c)
                .map_or(c.as_str(), |x| x.name.as_str());
            let mut on = entry.conditions.contains(c);
            if ui.checkbox(&mut on, format!("{name} (entry {n})")).changed() {
                entry.conditions.retain(|x| x != c);
                if on {
                    entry.conditions.push(c.clone());
                }
            }
        }
        for f in q.follow_ups.iter().filter(|f| !f.id.starts_with("clearance_")) {
            let value = entry.details.entry(f.id.clone()).or_default();
            ui.horizontal(|ui| {
                let label = ui.label(format!("{} (entry {n})", f.label));
                follow_up_ui(ui, protocol, (&format!("{}#{n}", q.id), f), value, label.id);
            });
        }
    }
    if let Some(i) = remove {
        more.remove(i);
    }
    if ui.button("Add another entry (its own date and area)").clicked() {
        more.push(crate::domain::AnswerEntry::default());
    }
}

/// One follow-up's answer: areas and yes/no are chosen from lists in the clinic's words (the
/// area's id is what is kept), dates and details are typed.
pub fn follow_up_ui(
    ui: &mut egui::Ui,
    protocol: &Protocol,
    (question, f): (&str, &crate::protocol::FollowUp),
    value: &mut String,
    label: egui::Id,
) -> egui::Response {
    match f.kind {
        FollowUpKind::Area => {
            let shown = protocol
                .area(value)
                .map_or("Choose the area…", |a| a.name.as_str());
            egui::ComboBox::from_id_salt(("follow_up", question, &f.id))
                .selected_text(shown)
                .width(260.0)
                .show_ui(ui, |ui| {
                    for a in &protocol.areas {
                        ui.selectable_value(value, a.id.clone(), &a.name);
                    }
                })
                .response
                .labelled_by(label)
        }
        FollowUpKind::YesNo => {
            let mut first: Option<egui::Response> = None;
            for answer in ["Yes", "No"] {
                let on = value.eq_ignore_ascii_case(answer);
                let r = ui.radio(on, answer).labelled_by(label);
                if r.clicked() {
                    *value = answer.to_ascii_lowercase();
                }
                first = Some(match first {
                    Some(f) => f.union(r),
                    None => r,
                });
            }
            first.unwrap_or_else(|| ui.label(""))
        }
        FollowUpKind::Date | FollowUpKind::Text => {
            let hint = if f.kind == FollowUpKind::Date {
                "YYYY-MM-DD"
            } else {
                ""
            };
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(260.0),
            )
            .labelled_by(label)
        }
    }
}
