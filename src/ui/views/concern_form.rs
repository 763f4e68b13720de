//! Add or edit a skin concern: from the protocol's catalogue, in an area, with a severity.

use chrono::NaiveDate;

use crate::domain::text::{self, limits};
use crate::domain::{ClientConcern, ClientId, ConcernId, DomainError, Severity};
use crate::protocol::Protocol;
use crate::ui::record::RecordAction;
use crate::ui::widgets::{error_line, multiline_row};

#[derive(Debug, Clone)]
pub struct ConcernForm {
    /// The concern as the form opened it (or as another desk last saved it, after a refusal);
    /// `None` for a new one.
    pub opened: Option<Box<ClientConcern>>,
    pub concern: String,
    pub area: String,
    pub severity: Severity,
    pub notes: String,
    pub resolved: bool,
    pub noted_on: Option<NaiveDate>,
    pub error: Option<String>,
}

impl ConcernForm {
    pub fn new() -> Self {
        Self {
            opened: None,
            concern: String::new(),
            area: String::new(),
            severity: Severity::Moderate,
            notes: String::new(),
            resolved: false,
            noted_on: None,
            error: None,
        }
    }

    pub fn edit(c: &ClientConcern) -> Self {
        Self {
            opened: Some(Box::new(c.clone())),
            concern: c.concern.clone(),
            area: c.area.clone(),
            severity: c.severity,
            notes: c.notes.clone(),
            resolved: c.resolved_on.is_some(),
            noted_on: Some(c.noted_on),
            error: None,
        }
    }

    /// The concern being edited, if any.
    pub fn editing(&self) -> Option<ConcernId> {
        self.opened.as_ref().map(|c| c.id)
    }

    /// The concern to save, noted (or resolved) on `today`.
    pub fn build(
        &self,
        protocol: &Protocol,
        client: ClientId,
        today: NaiveDate,
    ) -> Result<ClientConcern, DomainError> {
        if protocol.concern(&self.concern).is_none() {
            return Err(DomainError::Missing {
                field: "Skin concern",
            });
        }
        if protocol.area(&self.area).is_none() {
            return Err(DomainError::Missing {
                field: "Treatment area",
            });
        }
        Ok(ClientConcern {
            id: self.editing().unwrap_or_default(),
            client_id: client,
            concern: self.concern.clone(),
            area: self.area.clone(),
            severity: self.severity,
            noted_on: self.noted_on.unwrap_or(today),
            // An edit keeps the day it was resolved on; resolving it now dates it today.
            resolved_on: self
                .resolved
                .then(|| self.opened.as_ref().and_then(|c| c.resolved_on).unwrap_or(today)),
            notes: text::bounded("Notes", self.notes.trim(), limits::NOTES)?,
        })
    }
}

impl Default for ConcernForm {
    fn default() -> Self {
        Self::new()
    }
}

pub struct ConcernFormView<'a> {
    pub form: &'a mut ConcernForm,
    pub protocol: &'a Protocol,
}

impl ConcernFormView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RecordAction> {
        let mut action = None;
        let (form, protocol) = (&mut *self.form, self.protocol);
        ui.heading(if form.editing().is_some() {
            "Edit skin concern"
        } else {
            "Add skin concern"
        });
        egui::Grid::new("concern_form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Skin concern");
                egui::ComboBox::from_id_salt("concern")
                    .selected_text(
                        protocol
                            .concern(&form.concern)
                            .map_or("Choose…", |c| c.name.as_str()),
                    )
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for c in &protocol.concerns {
                            ui.selectable_value(&mut form.concern, c.id.clone(), &c.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let suggested: Vec<String> = protocol
                    .concern(&form.concern)
                    .map(|c| c.suggested_areas.clone())
                    .unwrap_or_default();
                let label = ui.label("Treatment area");
                egui::ComboBox::from_id_salt("area")
                    .selected_text(protocol.area(&form.area).map_or("Choose…", |a| a.name.as_str()))
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        // Areas the protocol suggests for this concern come first.
                        let (first, rest): (Vec<_>, Vec<_>) =
                            protocol.areas.iter().partition(|a| suggested.contains(&a.id));
                        for a in first {
                            ui.selectable_value(
                                &mut form.area,
                                a.id.clone(),
                                format!("{} (suggested)", a.name),
                            );
                        }
                        for a in rest {
                            ui.selectable_value(&mut form.area, a.id.clone(), &a.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Severity");
                ui.horizontal(|ui| {
                    for s in Severity::ALL {
                        ui.radio_value(&mut form.severity, s, s.to_string())
                            .labelled_by(label.id);
                    }
                });
                ui.end_row();
                multiline_row(ui, "Notes", &mut form.notes, None);
                if form.editing().is_some() {
                    ui.label("");
                    ui.checkbox(&mut form.resolved, "Resolved");
                    ui.end_row();
                }
            });
        error_line(ui, form.error.clone());
        ui.horizontal(|ui| {
            if ui.button("Save concern").clicked() {
                action = Some(RecordAction::SubmitConcernForm);
            }
            if ui.button("Cancel").clicked() {
                action = Some(RecordAction::CloseDialog);
            }
        });
        action
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::{ClientConcern, ConcernId};

    #[test]
    fn editing_a_resolved_concern_keeps_the_day_it_was_resolved() {
        let protocol = Protocol::shipped().expect("the shipped protocol");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
        let client = ClientId::new();
        let resolved = ClientConcern {
            id: ConcernId::new(),
            client_id: client,
            concern: "acne_scars_rolling".to_owned(),
            area: "cheeks".to_owned(),
            severity: Severity::Mild,
            noted_on: day("2026-03-01"),
            resolved_on: Some(day("2026-10-01")),
            notes: String::new(),
        };
        let mut form = ConcernForm::edit(&resolved);
        form.notes = "Cleared after four sessions".to_owned();
        let saved = form.build(&protocol, client, day("2026-12-06")).expect("valid");
        assert_eq!(saved.resolved_on, Some(day("2026-10-01")));
        assert_eq!(saved.noted_on, day("2026-03-01"));

        let open = ClientConcern {
            resolved_on: None,
            ..resolved
        };
        let mut form = ConcernForm::edit(&open);
        form.resolved = true;
        let saved = form.build(&protocol, client, day("2026-12-06")).expect("valid");
        assert_eq!(saved.resolved_on, Some(day("2026-12-06")), "resolved today");
    }
}
