//! A new treatment plan, proposed by the protocol and adjusted by the practitioner; and the
//! booking of a session inside its window.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::client::parse_date;
use crate::domain::plan_rules::field::PRESCRIBER;
use crate::domain::series::{self, SeriesSpec};
use crate::domain::text::{self, limits};
use crate::domain::{
    ClientConcern, ClientId, DepthRange, IntervalWindow, NeedleDepth, PlanDepthLimits, PlannedArea,
    TreatmentPlan,
};
use crate::protocol::proposal::{AreaProposal, PlanProposal};
use crate::protocol::{Protocol, SerumUse};
use crate::ui::record::RecordAction;
use crate::ui::widgets::{basis_line, error_line, text_row, WARN_AMBER};

/// One area of the plan as typed.
#[derive(Debug, Clone)]
pub struct AreaRow {
    pub proposal: AreaProposal,
    pub min: String,
    pub max: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct SerumRow {
    pub serum: String,
    pub chosen: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub concerns: Vec<ClientConcern>,
    pub chosen: Vec<bool>,
    pub title: String,
    pub start: String,
    pub sessions: String,
    pub interval_min: String,
    pub interval_max: String,
    pub proposal: Option<PlanProposal>,
    pub areas: Vec<AreaRow>,
    pub serums: Vec<SerumRow>,
    /// Who prescribed a prescription product the plan holds.
    pub prescriber: String,
    /// (field, message) for each problem found on save.
    pub errors: Vec<(String, String)>,
}

fn depth_text(d: Option<NeedleDepth>) -> String {
    d.map(|d| format!("{:.2}", d.as_mm())).unwrap_or_default()
}

impl PlanForm {
    /// A form for the client's active concerns, all chosen, starting `today`.
    pub fn new(protocol: &Protocol, concerns: &[ClientConcern], today: NaiveDate) -> Self {
        let concerns: Vec<ClientConcern> = concerns.iter().filter(|c| c.is_active()).cloned().collect();
        let mut form = Self {
            chosen: vec![true; concerns.len()],
            concerns,
            title: "Collagen induction series".to_owned(),
            start: today.to_string(),
            ..Self::default()
        };
        form.repropose(protocol);
        form
    }

    /// Recomputes the protocol's proposal for the chosen concerns, keeping nothing typed for
    /// areas that remain (a changed choice of concerns is a new proposal).
    pub fn repropose(&mut self, protocol: &Protocol) {
        let chosen: Vec<&ClientConcern> = self
            .concerns
            .iter()
            .zip(&self.chosen)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c)
            .collect();
        let p = protocol.propose_plan(&chosen);
        self.areas = p
            .areas
            .iter()
            .map(|a| AreaRow {
                proposal: a.clone(),
                min: depth_text(a.depth.map(|d| d.min)),
                max: depth_text(a.depth.map(|d| d.max)),
                reason: String::new(),
            })
            .collect();
        self.serums = p
            .serums
            .iter()
            .map(|s| SerumRow {
                serum: s.serum.clone(),
                chosen: s.preselected(),
            })
            .collect();
        self.sessions = p.sessions.to_string();
        self.interval_min = p.interval.min.to_string();
        self.interval_max = p.interval.max.to_string();
        self.proposal = Some(p);
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }

    fn spec(&self) -> Result<SeriesSpec, (String, String)> {
        let start = parse_date(&self.start).map_err(|e| ("Start date".to_owned(), e.to_string()))?;
        let count: u32 = self.sessions.trim().parse().map_err(|_| {
            (
                "Sessions".to_owned(),
                format!("\"{}\" is not a number of sessions.", self.sessions.trim()),
            )
        })?;
        let days = |t: &str, f: &str| -> Result<u32, (String, String)> {
            t.trim()
                .parse()
                .map_err(|_| (f.to_owned(), format!("\"{}\" is not a number of days.", t.trim())))
        };
        let window = IntervalWindow::new(
            days(&self.interval_min, "Interval from")?,
            days(&self.interval_max, "Interval to")?,
        )
        .map_err(|e| ("Interval from".to_owned(), e.to_string()))?;
        SeriesSpec::new(start, count, window).map_err(|e| ("Sessions".to_owned(), e.to_string()))
    }

    /// Validates everything and gives the plan to save, or every problem at once.
    pub fn build(
        &self,
        protocol: &Protocol,
        client: ClientId,
    ) -> Result<TreatmentPlan, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let spec = self.spec().map_err(|e| errors.push(e)).ok();
        let title = text::required("Plan title", &self.title, limits::SHORT)
            .map_err(|e| errors.push(("Plan title".to_owned(), e.to_string())))
            .ok();
        if !self.chosen.iter().any(|c| *c) {
            errors.push((
                "Concerns".to_owned(),
                "Choose at least one concern to treat.".to_owned(),
            ));
        }
        let mut areas = Vec::new();
        let limits = depth_limits(protocol, self);
        for row in &self.areas {
            let field = format!("Depth for {}", protocol.area_name(&row.proposal.area));
            match planned_area(row, &limits) {
                Ok(a) => areas.push(a),
                Err(m) => errors.push((field, m)),
            }
        }
        let (Some(spec), Some(title), true) = (spec, title, errors.is_empty()) else {
            return Err(errors);
        };
        let mut plan = match TreatmentPlan::new(client, &title, spec, &protocol.version) {
            Ok(p) => p,
            Err(e) => return Err(vec![("Plan title".to_owned(), e.to_string())]),
        };
        plan.concerns = self
            .concerns
            .iter()
            .zip(&self.chosen)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c.id)
            .collect();
        plan.areas = areas;
        plan.serums = self
            .serums
            .iter()
            .filter(|s| s.chosen)
            .map(|s| s.serum.clone())
            .collect();
        let prescriber = self.prescriber.trim();
        plan.prescriber = (!prescriber.is_empty()).then(|| prescriber.to_owned());
        if let Err(e) = limits.check_prescriber(&plan) {
            return Err(vec![(e.field.to_owned(), e.error.to_string())]);
        }
        Ok(plan)
    }
}

/// One area's typed depths, checked: inside the pen's range always; deeper than the area's
/// limit (or where no limit is published) only with a written reason (the domain's rule, which
/// the store checks again when the plan is saved).
fn planned_area(row: &AreaRow, limits: &PlanDepthLimits) -> Result<PlannedArea, String> {
    let min = NeedleDepth::parse_mm(&row.min).map_err(|e| e.to_string())?;
    let max = NeedleDepth::parse_mm(&row.max).map_err(|e| e.to_string())?;
    let depth = DepthRange::new(min, max).map_err(|e| e.to_string())?;
    let reason = row.reason.trim();
    let planned = PlannedArea {
        area: row.proposal.area.clone(),
        depth,
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
    };
    limits.check_area(&planned).map_err(|e| e.error.to_string())?;
    Ok(planned)
}

/// The depth limits of the form's areas for the concerns chosen, as the protocol gives them.
fn depth_limits(protocol: &Protocol, form: &PlanForm) -> PlanDepthLimits {
    let chosen: Vec<&ClientConcern> = form
        .concerns
        .iter()
        .zip(&form.chosen)
        .filter(|(_, on)| **on)
        .map(|(c, _)| c)
        .collect();
    protocol.plan_depth_limits(form.areas.iter().map(|r| r.proposal.area.as_str()), &chosen)
}

pub struct PlanFormView<'a> {
    pub form: &'a mut PlanForm,
    pub protocol: &'a Protocol,
}

impl PlanFormView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RecordAction> {
        let mut action = None;
        let protocol = self.protocol;
        let form = &mut *self.form;
        ui.heading("New treatment plan");
        // A fixed height: a modal that grows frame by frame moves its buttons under the pointer.
        let height = ui.ctx().content_rect().height() * 0.65;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .min_scrolled_height(height)
            .max_height(height)
            .show(ui, |ui| {
                ui.label(RichText::new("Concerns to treat").strong());
                let mut changed = false;
                for (c, on) in form.concerns.iter().zip(form.chosen.iter_mut()) {
                    let text = format!(
                        "{} – {} ({})",
                        protocol.concern_name(&c.concern),
                        protocol.area_name(&c.area),
                        c.severity
                    );
                    changed |= ui.checkbox(on, text).changed();
                }
                if form.concerns.is_empty() {
                    ui.label("This client has no active skin concern. Add one first.");
                }
                error_line(ui, form.error("Concerns"));
                if changed {
                    form.repropose(protocol);
                }
                ui.separator();
                egui::Grid::new("plan_fields")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let e = form.error("Plan title");
                        crate::ui::widgets::text_row(ui, "Plan title", &mut form.title, e, "");
                        let e = form.error("Start date");
                        crate::ui::widgets::text_row(ui, "Start date", &mut form.start, e, "YYYY-MM-DD");
                        let e = form.error("Sessions");
                        crate::ui::widgets::text_row(
                            ui,
                            "Sessions",
                            &mut form.sessions,
                            e,
                            "3 to 6 is typical",
                        );
                        let e = form.error("Interval from");
                        crate::ui::widgets::text_row(
                            ui,
                            "Interval from (days)",
                            &mut form.interval_min,
                            e,
                            "28",
                        );
                        let e = form.error("Interval to");
                        crate::ui::widgets::text_row(
                            ui,
                            "Interval to (days)",
                            &mut form.interval_max,
                            e,
                            "42",
                        );
                    });
                if let Some(p) = &form.proposal {
                    for b in p.sessions_basis.iter().chain(&p.interval_basis) {
                        basis_line(ui, b);
                    }
                }
                ui.separator();
                ui.label(RichText::new("Areas and needle depth (mm)").strong());
                let limits = depth_limits(protocol, form);
                for row in &mut form.areas {
                    let name = protocol.area_name(&row.proposal.area).to_owned();
                    ui.group(|ui| {
                        ui.label(RichText::new(&name).strong());
                        match row.proposal.depth {
                            Some(d) => ui.label(format!("Protocol proposes {d}")),
                            None => ui.label("No published value for this area and concern."),
                        };
                        for adj in &row.proposal.adjustments {
                            ui.label(RichText::new(adj).small());
                        }
                        for ex in &row.proposal.exclusions {
                            ui.colored_label(WARN_AMBER, format!("Exclusion: {ex}"));
                        }
                        for b in &row.proposal.bases {
                            basis_line(ui, b);
                        }
                        ui.horizontal(|ui| {
                            let l = ui.label(format!("{name} from"));
                            ui.add(egui::TextEdit::singleline(&mut row.min).desired_width(60.0))
                                .labelled_by(l.id);
                            let l = ui.label(format!("{name} to"));
                            ui.add(egui::TextEdit::singleline(&mut row.max).desired_width(60.0))
                                .labelled_by(l.id);
                        });
                        let typed = NeedleDepth::parse_mm(&row.min)
                            .ok()
                            .zip(NeedleDepth::parse_mm(&row.max).ok())
                            .and_then(|(a, b)| DepthRange::new(a, b).ok());
                        let why = typed.and_then(|d| limits.reason_needed(&row.proposal.area, d));
                        if let Some(why) = why {
                            ui.colored_label(WARN_AMBER, why.to_string());
                            let l = ui.label(format!("Reason for {name} depth"));
                            ui.add(egui::TextEdit::singleline(&mut row.reason).desired_width(420.0))
                                .labelled_by(l.id);
                        }
                    });
                }
                for (field, message) in form.errors.iter().filter(|(f, _)| f.starts_with("Depth for")) {
                    error_line(ui, Some(format!("{field}: {message}")));
                }
                ui.separator();
                if let Some(p) = &form.proposal {
                    // In the treatment room, then at home: a home product is never applied in
                    // the session, and a prescription one is never ticked for the practitioner.
                    for (use_in, heading) in [
                        (SerumUse::InSession, "Serums and products used in the session"),
                        (
                            SerumUse::HomeCare,
                            "Home care (for the client at home, never applied in the session)",
                        ),
                    ] {
                        ui.label(RichText::new(heading).strong());
                        for (row, s) in form
                            .serums
                            .iter_mut()
                            .zip(&p.serums)
                            .filter(|(_, s)| s.use_in == use_in)
                        {
                            let rx = if s.needs_prescriber {
                                " — prescription"
                            } else {
                                ""
                            };
                            ui.checkbox(
                                &mut row.chosen,
                                format!("{} (for {}){rx}", s.name, s.for_concerns.join(", ")),
                            );
                            if s.discouraged {
                                ui.colored_label(
                                    WARN_AMBER,
                                    format!("Discouraged: {}", s.warning.as_deref().unwrap_or("")),
                                );
                            } else if let Some(w) = s.warning.as_deref().filter(|_| s.needs_prescriber) {
                                ui.colored_label(WARN_AMBER, w);
                            }
                            for w in &s.region_warnings {
                                ui.colored_label(WARN_AMBER, format!("On these areas: {w}"));
                            }
                            basis_line(ui, &s.basis);
                        }
                    }
                    let prescribed = form
                        .serums
                        .iter()
                        .zip(&p.serums)
                        .any(|(row, s)| row.chosen && s.needs_prescriber);
                    if prescribed {
                        egui::Grid::new("prescriber").num_columns(2).show(ui, |ui| {
                            text_row(
                                ui,
                                PRESCRIBER,
                                &mut form.prescriber,
                                form.errors
                                    .iter()
                                    .find(|(f, _)| f == PRESCRIBER)
                                    .map(|(_, m)| m.clone()),
                                "Dr Amara Obi, dermatologist",
                            );
                        });
                    }
                }
                ui.separator();
                ui.label(RichText::new("Proposed dates").strong());
                match form.spec() {
                    Ok(spec) => {
                        for slot in series::plan(&spec, &[]) {
                            ui.label(if slot.number == 1 {
                                format!("Session 1: {}", slot.target)
                            } else {
                                format!(
                                    "Session {}: {} (window {} to {})",
                                    slot.number, slot.target, slot.earliest, slot.latest
                                )
                            });
                        }
                    }
                    Err((_, message)) => {
                        ui.label(message);
                    }
                }
            });
        ui.horizontal(|ui| {
            if ui.button("Save plan").clicked() {
                action = Some(RecordAction::SubmitPlanForm);
            }
            if ui.button("Cancel").clicked() {
                action = Some(RecordAction::CloseDialog);
            }
        });
        action
    }
}
