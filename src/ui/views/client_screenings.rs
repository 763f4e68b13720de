//! The screenings on a client's record, and the record's print buttons (named for screen
//! readers by what they print, with when each sheet was last printed).

use egui::RichText;

use super::client_record::{ClientRecordView, ARCHIVED, FIRST_SCREENING};
use crate::domain::{DocumentKind, PrintedFor};
use crate::print::PrintRequest;
use crate::ui::record::RecordAction;
use crate::ui::screening::ScreeningAction;
use crate::ui::views::empty::{empty_ui, READ_ONLY};
use crate::ui::Action;

impl ClientRecordView<'_> {
    pub(super) fn screenings_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let r = self.record;
        ui.label(RichText::new("Screenings").heading());
        if r.screenings.is_empty() {
            let text = "No screening yet. Every session starts with the day's signed screening.";
            let enabled = !self.read_only && !r.client.archived;
            let why_not = if self.read_only { READ_ONLY } else { ARCHIVED };
            if empty_ui(ui, text, FIRST_SCREENING, enabled, why_not) {
                actions.push(ScreeningAction::Start.into());
            }
            return;
        }
        egui::Grid::new("screenings")
            .striped(true)
            .num_columns(4)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for h in ["Date", "Outcome", "Signed", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for s in &r.screenings {
                    ui.label(s.screened_on.to_string())
                        .on_hover_text(format!("Screening id {}", s.id));
                    ui.horizontal(|ui| {
                        crate::ui::theme::outcome_chip(ui, s.outcome.kind);
                        let mut more = String::new();
                        if let Some(d) = s.outcome.defer_until {
                            more.push_str(&format!("until {d}"));
                        }
                        if let Some(reason) = &s.amendment_reason {
                            more.push_str(&format!(" (amendment: {reason})"));
                        }
                        if !more.is_empty() {
                            ui.label(more.trim());
                        }
                    });
                    // The outcome shown is the one signed, under the protocol of that day.
                    ui.label(match (&s.signed_by, s.signed_at) {
                        (Some(by), Some(at)) => format!(
                            "{by}, {} · protocol {}",
                            at.format("%Y-%m-%d %H:%M"),
                            s.protocol_version
                        ),
                        _ => "not signed".to_owned(),
                    });
                    ui.horizontal(|ui| {
                        if s.is_signed() && !self.read_only {
                            if ui.small_button(format!("Amend {}", s.screened_on)).clicked() {
                                actions.push(ScreeningAction::Amend(s.id).into());
                            }
                            let label = format!("Print screening of {}", s.screened_on);
                            self.print_button(
                                ui,
                                "Print copy",
                                &label,
                                PrintRequest::Screening(s.id),
                                actions,
                            );
                        }
                        if let Some(p) = self
                            .record
                            .last_printed(DocumentKind::Screening, PrintedFor::Screening(s.id))
                        {
                            ui.label(RichText::new(p.summary()).small().weak());
                        }
                    });
                    ui.end_row();
                }
            });
    }
}

impl ClientRecordView<'_> {
    /// "Print aftercare" on a done session, "Print preparation sheet" on a booked one, and when
    /// that sheet was last printed.
    /// The print button; gives when the sheet was last printed, for the caller to show.
    pub(super) fn print_ui(
        &self,
        ui: &mut egui::Ui,
        request: PrintRequest,
        number: u8,
        actions: &mut Vec<Action>,
    ) -> Option<String> {
        let (text, of) = match request {
            PrintRequest::Aftercare(id) => ("Print aftercare", PrintedFor::Session(id)),
            PrintRequest::Preparation(id) => ("Print preparation sheet", PrintedFor::Session(id)),
            PrintRequest::Screening(id) => ("Print copy", PrintedFor::Screening(id)),
        };
        let label = format!("{text} for session {number}");
        self.print_button(ui, text, &label, request, actions);
        self.record.last_printed(request.kind(), of).map(|p| p.summary())
    }

    /// A print button, named for screen readers by what it prints (`label`).
    fn print_button(
        &self,
        ui: &mut egui::Ui,
        text: &str,
        label: &str,
        request: PrintRequest,
        actions: &mut Vec<Action>,
    ) {
        let enabled = !self.read_only && !self.printing;
        let button = ui
            .add_enabled(enabled, egui::Button::new(text).small())
            .on_hover_text("Saves a PDF in the documents folder, then opens or prints it")
            .on_disabled_hover_text(if self.read_only {
                "This database is open read-only, so a print cannot be recorded."
            } else {
                "A sheet is being printed."
            });
        let label = label.to_owned();
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label.clone()));
        if button.clicked() {
            actions.push(RecordAction::Print(request).into());
        }
    }
}
