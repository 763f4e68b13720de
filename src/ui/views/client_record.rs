//! A client's record: who they are, what affects treatment today, their skin concerns, and
//! their treatment plans with the series timeline.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::series::{self, slot_status, SlotStatus};
use crate::domain::{screening_for_session, treatment_alerts, AlertLevel, SessionStatus};
use crate::print::PrintRequest;
use crate::protocol::Protocol;
use crate::store::{ClientRecord, PlanWithSessions};
use crate::ui::record::RecordAction;
use crate::ui::screening::ScreeningAction;
use crate::ui::sessions::SessionsAction;
use crate::ui::views::empty::{empty_ui, READ_ONLY};
use crate::ui::widgets::{banner, BannerLevel};
use crate::ui::Action;

/// Why "New plan" is greyed on a record with no skin concern.
pub const NO_CONCERN: &str = "Add a skin concern first: a plan treats a concern.";
/// Why the record's buttons are greyed for an archived client.
pub(super) const ARCHIVED: &str = "This client is archived: their record is kept, but nothing new is added.";
/// The buttons of a record's empty lists.
pub const ADD_FIRST_CONCERN: &str = "Add the first concern";
pub const PLAN_FIRST_SERIES: &str = "Plan a series";
pub const FIRST_SCREENING: &str = "Start the first screening";

pub struct ClientRecordView<'a> {
    pub record: &'a ClientRecord,
    pub protocol: &'a Protocol,
    pub today: NaiveDate,
    pub read_only: bool,
    /// A sheet is being printed: the print buttons wait.
    pub printing: bool,
}

/// How a session stands on `today`, in the words of the timeline.
pub fn session_standing(p: &PlanWithSessions, index: usize, today: NaiveDate) -> &'static str {
    let Some(s) = p.sessions.get(index) else { return "" };
    match s.status {
        SessionStatus::Done => return "done",
        SessionStatus::Missed => return "missed",
        SessionStatus::Cancelled => return "cancelled",
        SessionStatus::Planned | SessionStatus::Booked => {}
    }
    let slot = series::SessionSlot {
        number: s.number,
        earliest: s.earliest_on,
        target: s.target_on,
        latest: s.latest_on,
        done_on: None,
    };
    match slot_status(&slot, s.booked_on, today) {
        SlotStatus::Booked => "booked",
        SlotStatus::Due => "due",
        SlotStatus::Overdue => "overdue",
        SlotStatus::Upcoming | SlotStatus::Done => "upcoming",
    }
}

impl ClientRecordView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let r = self.record;
        let d = &r.client.details;
        ui.horizontal(|ui| {
            if ui.button("< Clients").clicked() {
                actions.push(RecordAction::Close.into());
            }
            ui.heading(&d.full_name);
            if r.client.archived {
                ui.label(RichText::new("archived").italics());
            }
        });
        ui.label(format!(
            "Age {} · born {} · skin type {} ({}) · {} · {}",
            d.age_on(self.today),
            d.date_of_birth,
            d.skin_type,
            d.skin_type.description(),
            d.phone.as_deref().unwrap_or("no phone"),
            d.email.as_deref().unwrap_or("no email"),
        ));
        if !d.notes.is_empty() {
            ui.label(RichText::new(&d.notes).italics());
        }
        // The id `needlepoint export` and `anonymise` take; selectable to copy.
        ui.add(
            egui::Label::new(RichText::new(format!("Record id {}", r.client.id)).small().weak())
                .selectable(true),
        );
        // One row of actions (it wraps in a narrow window).
        ui.horizontal_wrapped(|ui| {
            let why = if self.read_only { READ_ONLY } else { ARCHIVED };
            ui.add_enabled_ui(!self.read_only && !r.client.archived, |ui| {
                if ui.button("Screen today").on_disabled_hover_text(why).clicked() {
                    actions.push(ScreeningAction::Start.into());
                }
                let photos = r.photos.iter().filter(|p| p.is_shown()).count();
                if ui.button(super::client_photos::open_label(photos)).clicked() {
                    actions.push(Action::Photos(crate::ui::photos::PhotoAction::Open));
                }
                if ui.button("Edit details").on_disabled_hover_text(why).clicked() {
                    actions.push(RecordAction::EditClient.into());
                }
                if ui.button("Archive client").on_disabled_hover_text(why).clicked() {
                    actions.push(RecordAction::Archive.into());
                }
            });
            ui.separator();
            // The client's data rights apply to archived clients too.
            ui.add_enabled_ui(!self.read_only, |ui| {
                let why = READ_ONLY;
                if ui.button("Export record").on_disabled_hover_text(why).clicked() {
                    actions.push(RecordAction::Export.into());
                }
                if ui
                    .button("Anonymise client…")
                    .on_disabled_hover_text(why)
                    .clicked()
                {
                    actions.push(RecordAction::Anonymise.into());
                }
            });
        });
        for alert in treatment_alerts(&r.screenings, self.today) {
            let level = match alert.level {
                AlertLevel::Stop => BannerLevel::Stop,
                AlertLevel::Warn => BannerLevel::Warn,
                AlertLevel::Info => BannerLevel::Info,
            };
            banner(ui, level, &alert.text);
        }
        ui.add_space(8.0);
        // Sideways too: a long plan row scrolls instead of running past the window's edge.
        egui::ScrollArea::both()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.concerns_ui(ui, &mut actions);
                ui.add_space(10.0);
                self.plans_ui(ui, &mut actions);
                ui.add_space(10.0);
                self.screenings_ui(ui, &mut actions);
                ui.add_space(10.0);
                super::client_clearances::clearances_ui(
                    ui,
                    super::client_clearances::ClearancesView {
                        record: r,
                        protocol: self.protocol,
                        today: self.today,
                        read_only: self.read_only,
                    },
                    &mut actions,
                );
                ui.add_space(10.0);
                super::client_consents::consents_ui(ui, r, self.today, !self.read_only, &mut actions);
                ui.add_space(10.0);
                super::client_photos::photos_ui(ui, r, self.protocol, !self.read_only, &mut actions);
                ui.add_space(10.0);
                super::client_history::history_ui(ui, &r.history);
            });
        actions
    }

    fn concerns_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (r, p) = (self.record, self.protocol);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Skin concerns").heading());
            ui.add_enabled_ui(!self.read_only, |ui| {
                if ui
                    .button("Add concern")
                    .on_disabled_hover_text(READ_ONLY)
                    .clicked()
                {
                    actions.push(RecordAction::AddConcern.into());
                }
            });
        });
        if r.concerns.is_empty() {
            let text = "No skin concern recorded yet. Start with what the client wants treated: a \
                        plan treats a concern.";
            if empty_ui(ui, text, ADD_FIRST_CONCERN, !self.read_only, READ_ONLY) {
                actions.push(RecordAction::AddConcern.into());
            }
            return;
        }
        egui::Grid::new("concerns")
            .striped(true)
            .num_columns(5)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for h in ["Concern", "Area", "Severity", "Noted", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for c in &r.concerns {
                    ui.label(p.concern_name(&c.concern));
                    ui.label(p.area_name(&c.area));
                    ui.label(c.severity.to_string());
                    ui.label(match c.resolved_on {
                        Some(d) => format!("{} (resolved {d})", c.noted_on),
                        None => c.noted_on.to_string(),
                    });
                    // Read aloud (and found by tests) as which concern it edits.
                    let which = format!(
                        "Edit skin concern: {}, {}",
                        p.concern_name(&c.concern),
                        p.area_name(&c.area)
                    );
                    let edit = ui
                        .add_enabled(!self.read_only, egui::Button::new("Edit"))
                        .on_disabled_hover_text(READ_ONLY);
                    edit.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, !self.read_only, &which)
                    });
                    if edit.clicked() {
                        actions.push(RecordAction::EditConcern(c.id).into());
                    }
                    ui.end_row();
                }
            });
    }

    fn plans_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (r, p) = (self.record, self.protocol);
        let has_concern = r.concerns.iter().any(|c| c.is_active());
        let why_not = if self.read_only { READ_ONLY } else { NO_CONCERN };
        ui.horizontal(|ui| {
            ui.label(RichText::new("Treatment plans").heading());
            ui.add_enabled_ui(!self.read_only && has_concern, |ui| {
                if ui.button("New plan").on_disabled_hover_text(why_not).clicked() {
                    actions.push(RecordAction::NewPlan.into());
                }
            });
        });
        if r.plans.is_empty() {
            let text = if has_concern {
                "No treatment plan yet. Plan the series of sessions for this client's concerns."
            } else {
                "No treatment plan yet. Add a skin concern first: a plan treats a concern."
            };
            let enabled = !self.read_only && has_concern;
            if empty_ui(ui, text, PLAN_FIRST_SERIES, enabled, why_not) {
                actions.push(RecordAction::NewPlan.into());
            }
        }
        for plan in &r.plans {
            ui.group(|ui| {
                let pl = &plan.plan;
                ui.label(
                    RichText::new(format!(
                        "{} · {} sessions, {}–{} days apart · {} · protocol {}",
                        pl.title,
                        pl.series.sessions(),
                        pl.series.window.min_days(),
                        pl.series.window.max_days(),
                        pl.status.code(),
                        pl.protocol_version
                    ))
                    .strong(),
                );
                // A series with every session done is reviewed three months after the last.
                let last_done = plan.sessions.iter().filter_map(|s| s.performed_on).max();
                let open = plan
                    .sessions
                    .iter()
                    .any(|s| matches!(s.status, SessionStatus::Planned | SessionStatus::Booked));
                if let (Some(last), false) = (last_done, open) {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "Review of results from {} (3 months after the last session)",
                            series::review_date(last)
                        ));
                        super::super::widgets::sources_mark(ui, "Source P14 · tier P (peer-reviewed)", None);
                    });
                }
                if let Some(by) = &pl.prescriber {
                    ui.label(format!("Prescription products prescribed by {by}"));
                }
                let areas: Vec<String> = pl
                    .areas
                    .iter()
                    .map(|a| {
                        let why = a
                            .reason
                            .as_deref()
                            .map(|r| format!(" (reason: {r})"))
                            .unwrap_or_default();
                        format!("{} {}{why}", p.area_name(&a.area), a.depth)
                    })
                    .collect();
                ui.label(format!(
                    "Areas: {}",
                    if areas.is_empty() {
                        "none".to_owned()
                    } else {
                        areas.join(", ")
                    }
                ));
                if !pl.serums.is_empty() {
                    let names: Vec<&str> = pl
                        .serums
                        .iter()
                        .map(|s| p.serum(s).map_or(s.as_str(), |x| x.name.as_str()))
                        .collect();
                    ui.label(format!("Serums: {}", names.join(", ")));
                }
                let next_open = plan
                    .sessions
                    .iter()
                    .position(|s| matches!(s.status, SessionStatus::Planned | SessionStatus::Booked));
                egui::Grid::new(("timeline", pl.id))
                    .striped(true)
                    .num_columns(5)
                    .spacing([16.0, 4.0])
                    .show(ui, |ui| {
                        for h in ["Session", "Window", "Status", "Treated", ""] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for (i, s) in plan.sessions.iter().enumerate() {
                            // The id, for `needlepoint print … --session ID`.
                            ui.label(format!("{} of {}", s.number, plan.sessions.len()))
                                .on_hover_text(format!("Session id {}", s.id));
                            ui.label(if s.earliest_on == s.latest_on {
                                s.target_on.to_string()
                            } else {
                                format!("{} to {}", s.earliest_on, s.latest_on)
                            });
                            let standing = session_standing(plan, i, self.today);
                            wrapped(
                                ui,
                                170.0,
                                match (standing, s.performed_on, s.booked_on) {
                                    ("done", Some(on), _) => match &s.signed_by {
                                        Some(by) => format!("done {on} · signed by {by}"),
                                        None => format!("done {on}"),
                                    },
                                    ("booked", _, Some(on)) => format!("booked {on}"),
                                    (other, _, _) => other.to_owned(),
                                },
                            );
                            let treated = wrapped(ui, 230.0, treated_summary(plan, s, p));
                            if let Some(list) = plan.amendments.get(&s.id) {
                                let text: Vec<String> = list
                                    .iter()
                                    .map(|a| {
                                        format!(
                                            "{} ({}, {}): {}",
                                            a.reason,
                                            a.signed_by,
                                            a.signed_at.format("%Y-%m-%d %H:%M"),
                                            a.correction
                                        )
                                    })
                                    .collect();
                                treated.on_hover_text(text.join("\n"));
                            }
                            // "Aftercare printed …" goes under the buttons: beside them it ran
                            // past the right edge of a 1180 px window.
                            // The next session's buttons on one line, its sheet under them:
                            // side by side they ran past a 1024 px window.
                            ui.vertical(|ui| {
                                if Some(i) == next_open && !self.read_only {
                                    self.next_session_ui(ui, s, actions);
                                }
                                let printed = ui
                                    .horizontal(|ui| {
                                        if Some(i) != next_open
                                            && s.signed_at.is_some()
                                            && !self.read_only
                                            && ui
                                                .small_button(format!("Amend session {}", s.number))
                                                .clicked()
                                        {
                                            actions.push(SessionsAction::Amend(s.id).into());
                                        }
                                        match s.status {
                                            SessionStatus::Done => self.print_ui(
                                                ui,
                                                PrintRequest::Aftercare(s.id),
                                                s.number,
                                                actions,
                                            ),
                                            SessionStatus::Booked => self.print_ui(
                                                ui,
                                                PrintRequest::Preparation(s.id),
                                                s.number,
                                                actions,
                                            ),
                                            _ => None,
                                        }
                                    })
                                    .inner;
                                if let Some(printed) = printed {
                                    ui.label(RichText::new(printed).small().weak());
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
        }
    }
}

/// A grid cell's text wrapped at `width` points, so a long cell grows down, not sideways.
fn wrapped(ui: &mut egui::Ui, width: f32, text: String) -> egui::Response {
    ui.vertical(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(text).wrap())
    })
    .inner
}

/// "Cheeks 1.00 mm × 2, Chin and jawline 0.75 mm × 3 · 1 amendment" for a done session.
fn treated_summary(plan: &PlanWithSessions, s: &crate::domain::Session, p: &Protocol) -> String {
    let Some(areas) = plan.treated.get(&s.id) else {
        return String::new();
    };
    let mut text = areas
        .iter()
        .map(|a| format!("{} {} × {}", p.area_name(&a.area), a.depth, a.passes))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(n) = plan.amendments.get(&s.id).map(Vec::len) {
        text.push_str(&format!(" · {n} amendment{}", if n == 1 { "" } else { "s" }));
    }
    text
}

impl ClientRecordView<'_> {
    /// Book, and start once today's signed screening allows it.
    fn next_session_ui(&self, ui: &mut egui::Ui, s: &crate::domain::Session, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            let label = if s.status == SessionStatus::Booked {
                "Rebook"
            } else {
                "Book"
            };
            if ui.button(format!("{label} session {}", s.number)).clicked() {
                actions.push(RecordAction::BookSession(s.id).into());
            }
            let gate = screening_for_session(&self.record.screenings, self.today);
            if gate.as_ref().is_ok_and(|g| s.screening_id == Some(g.id)) {
                ui.label("started");
                if ui
                    .button(format!("Record session {}", s.number))
                    .on_hover_text("Started today after a signed screening")
                    .clicked()
                {
                    actions.push(SessionsAction::Record(s.id).into());
                }
                return;
            }
            let button = ui.add_enabled(
                gate.is_ok(),
                egui::Button::new(format!("Start session {}", s.number)),
            );
            match &gate {
                Err(why) => {
                    button.on_disabled_hover_text(why.to_string());
                }
                Ok(_) if button.clicked() => actions.push(SessionsAction::Start(s.id).into()),
                Ok(_) => {}
            }
        });
    }
}

/// "Archive this client?", saying what archiving does and does not do.
pub fn confirm_archive_ui(ui: &mut egui::Ui) -> Option<RecordAction> {
    ui.heading("Archive this client?");
    ui.label("Archived clients leave the client list and search. Their records are kept unchanged.");
    let mut action = None;
    ui.horizontal(|ui| {
        if ui.button("Archive").clicked() {
            action = Some(RecordAction::ConfirmArchive);
        }
        if ui.button("Cancel").clicked() {
            action = Some(RecordAction::CloseDialog);
        }
    });
    action
}
