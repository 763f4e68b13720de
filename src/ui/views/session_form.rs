//! Recording a session in the treatment room: per area the depth (pen steps), passes, endpoint
//! and the skin's response, with the previous session beside it; the serum ranked by the
//! plan's concerns with its lot; the cartridge and numbing-cream lots; the signature.

use std::collections::BTreeMap;

use egui::RichText;

use crate::domain::session_record::{self, field, ENDPOINTS};
use crate::domain::{
    AreaDraft, AreaRule, Product, ProductId, ProductKind, RecordErrors, RecordRules, Screening, Session,
    SessionArea, SessionRecord, SessionRecordDraft,
};
use crate::protocol::proposal::SerumSuggestion;
use crate::protocol::Protocol;
use crate::ui::sessions::SessionsAction;
use crate::ui::views::signing::{self, Choice};
use crate::ui::widgets::{banner, basis_line, error_line, BannerLevel, WARN_AMBER};

pub const COMPLETE_LABEL: &str = "Complete and sign session";
pub const SIGNER_LABEL: &str = "Signed by (practitioner)";
pub const REUSE_LABEL: &str = "Reuse previous settings";
pub const START_BLANK_LABEL: &str = "Start again with a blank form";

/// The open session form, kept between frames.
#[derive(Debug, Clone)]
pub struct SessionForm {
    pub client_name: String,
    pub plan_title: String,
    pub series_length: usize,
    pub session: Session,
    pub screening: Screening,
    pub rules: Vec<AreaRule>,
    pub previous: Option<(Session, Vec<SessionArea>)>,
    /// Active lots on the shelf.
    pub products: Vec<Product>,
    pub serums: Vec<SerumSuggestion>,
    pub discouraged: BTreeMap<String, String>,
    /// The previous session's date and the series' window, for the minimum-interval rule.
    pub interval: Option<(chrono::NaiveDate, crate::domain::IntervalWindow)>,
    pub draft: SessionRecordDraft,
    pub errors: RecordErrors,
    pub error: Option<String>,
    /// The checked record shown for a last look before it is signed (the second step).
    pub confirming: Option<SessionRecord>,
    /// The signer's PIN, typed under the summary (never in a draft).
    pub pin: String,
    /// Said when an unsigned draft was put back into the form.
    pub restored: Option<String>,
    /// The form as it opened, to tell whether anything was typed.
    pub blank: SessionRecordDraft,
    /// Warnings for numbing cream on the plan's areas (large body areas).
    pub numbing_warnings: Vec<String>,
}

impl SessionForm {
    /// A blank form: every planned area listed, nothing filled in.
    pub fn new(
        protocol: &Protocol,
        plan: &crate::domain::TreatmentPlan,
        session: Session,
        screening: Screening,
        concerns: &[&crate::domain::ClientConcern],
        context: SessionFormContext,
    ) -> Self {
        let rules = protocol.area_rules(plan, &screening, concerns);
        let draft = SessionRecordDraft {
            areas: rules
                .iter()
                .map(|r| AreaDraft {
                    area: r.area.clone(),
                    ..AreaDraft::default()
                })
                .collect(),
            practitioner: context.signer,
            ..SessionRecordDraft::default()
        };
        let interval = context
            .previous
            .as_ref()
            .and_then(|(s, _)| s.performed_on)
            .map(|on| (on, plan.series.window));
        Self {
            interval,
            blank: draft.clone(),
            confirming: None,
            pin: String::new(),
            restored: None,
            client_name: context.client_name,
            plan_title: plan.title.clone(),
            series_length: usize::from(plan.series.sessions()),
            session,
            screening,
            rules,
            previous: context.previous,
            products: context.products,
            serums: protocol.ranked_serums(concerns),
            discouraged: protocol.discouraged_serums(),
            numbing_warnings: protocol.numbing_warnings(plan.area_ids()),
            draft,
            errors: RecordErrors::default(),
            error: None,
        }
    }

    pub fn record_rules(&self, today: chrono::NaiveDate) -> RecordRules<'_> {
        RecordRules {
            today,
            session_id: self.session.id,
            areas: &self.rules,
            products: &self.products,
            discouraged_serums: &self.discouraged,
            interval: self.interval,
        }
    }

    /// Checks the form; on failure keeps every typed value and shows the problems.
    pub fn validate(&mut self, today: chrono::NaiveDate) -> Option<SessionRecord> {
        match session_record::validate_record(&self.draft, &self.record_rules(today)) {
            Ok(r) => {
                self.errors = RecordErrors::default();
                Some(r)
            }
            Err(e) => {
                self.error = Some("Some entries need attention; see the messages in red.".to_owned());
                self.errors = e;
                None
            }
        }
    }

    /// Whether anything was typed (or a draft put back) since the form opened blank.
    pub fn has_input(&self) -> bool {
        self.draft != self.blank
    }

    /// Copies the previous session's depths, passes and endpoints into the form.
    pub fn reuse_previous(&mut self) {
        if let Some((_, areas)) = &self.previous {
            let planned: Vec<String> = self.rules.iter().map(|r| r.area.clone()).collect();
            let mut reused = session_record::reuse_previous(areas, &planned);
            // Areas excluded today stay blank: the form must not fill in what cannot be done.
            for (row, rule) in reused.iter_mut().zip(&self.rules) {
                if rule.excluded.is_some() {
                    *row = AreaDraft {
                        area: rule.area.clone(),
                        ..AreaDraft::default()
                    };
                }
            }
            self.draft.areas = reused;
        }
    }
}

/// What the app looks up before opening the form.
pub struct SessionFormContext {
    pub client_name: String,
    pub signer: String,
    pub previous: Option<(Session, Vec<SessionArea>)>,
    pub products: Vec<Product>,
}

pub struct SessionView<'a> {
    pub form: &'a mut SessionForm,
    pub protocol: &'a Protocol,
    pub today: chrono::NaiveDate,
    /// The accounts that may sign.
    pub signers: &'a [String],
    pub signer_status: signing::SignerStatus<'a>,
}

impl SessionView<'_> {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SessionsAction> {
        let mut action = None;
        let f = &mut *self.form;
        ui.horizontal(|ui| {
            if ui.button("< Back to the record").clicked() {
                action = Some(SessionsAction::Cancel);
            }
            ui.heading(format!(
                "Session {} of {} · {} · {}",
                f.session.number, f.series_length, f.client_name, f.plan_title
            ));
        });
        ui.label(format!(
            "Today's screening: {} (signed by {}).",
            f.screening.outcome.kind,
            f.screening.signed_by.as_deref().unwrap_or("?")
        ));
        for finding in &f.screening.outcome.findings {
            banner(ui, BannerLevel::Warn, &finding.message);
        }
        if let Some(text) = &f.restored {
            ui.horizontal(|ui| {
                banner(ui, BannerLevel::Info, text);
                if ui.button(START_BLANK_LABEL).clicked() {
                    action = Some(SessionsAction::StartBlank);
                }
            });
        }
        if let Some(record) = &f.confirming {
            // The second step: what will be signed, and nothing editable.
            return match signing::session_ui(
                ui,
                f.session.number,
                record,
                &f.screening,
                &f.products,
                self.protocol,
                self.signer_status.entry(&mut f.pin),
            ) {
                Some(Choice::Sign) => Some(SessionsAction::Submit),
                Some(Choice::Back) => Some(SessionsAction::BackToForm),
                None => action,
            };
        }
        // The form scrolls; its buttons stay in sight under it, however small the window.
        let footer = ui.text_style_height(&egui::TextStyle::Button) * 2.0 + 36.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height((ui.available_height() - footer).max(120.0))
            .show(ui, |ui| {
                previous_ui(ui, f, self.protocol, &mut action);
                ui.add_space(8.0);
                areas_ui(ui, f, self.protocol);
                ui.add_space(8.0);
                products_ui(ui, f, self.today);
                ui.add_space(8.0);
                signature_ui(ui, f, self.today, self.signers);
            });
        ui.separator();
        error_line(ui, f.error.clone());
        // Enter never signs: this only checks the form and shows what would be signed.
        ui.horizontal(|ui| {
            if ui.button(COMPLETE_LABEL).clicked() {
                action = Some(SessionsAction::Review);
            }
            if ui.button("Cancel").clicked() {
                action = Some(SessionsAction::Cancel);
            }
        });
        action
    }
}

fn previous_ui(
    ui: &mut egui::Ui,
    f: &mut SessionForm,
    protocol: &Protocol,
    action: &mut Option<SessionsAction>,
) {
    let Some((previous, areas)) = &f.previous else {
        ui.label("First session of the series: no previous settings.");
        return;
    };
    ui.horizontal(|ui| {
        let on = previous.performed_on.map(|d| d.to_string()).unwrap_or_default();
        let settings: Vec<String> = areas
            .iter()
            .map(|a| format!("{} {} × {}", protocol.area_name(&a.area), a.depth, a.passes))
            .collect();
        ui.label(format!(
            "Previous session ({on}): {}",
            if settings.is_empty() {
                "no areas recorded".to_owned()
            } else {
                settings.join(", ")
            }
        ));
        if ui.button(REUSE_LABEL).clicked() {
            *action = Some(SessionsAction::ReusePreviousSettings);
        }
    });
}

/// One row per planned area.
fn areas_ui(ui: &mut egui::Ui, f: &mut SessionForm, protocol: &Protocol) {
    ui.label(RichText::new("Areas treated").heading());
    ui.label("Leave an area's depth empty to leave it out today. The pen steps in 0.05 mm.");
    error_line(ui, f.errors.for_field(field::AREAS).map(ToString::to_string));
    let previous = f.previous.as_ref().map(|(_, a)| a.as_slice()).unwrap_or_default();
    for (row, (rule, draft)) in f.rules.iter().zip(f.draft.areas.iter_mut()).enumerate() {
        let name = protocol.area_name(&rule.area);
        ui.group(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(name).strong());
                match rule.limit {
                    Some(limit) => ui.label(format!("protocol limit {limit}")),
                    None => ui.label("no published limit"),
                };
                if let Some(area) = protocol.area(&rule.area) {
                    basis_line(ui, &crate::protocol::proposal::Basis::of(&area.max_depth));
                }
                if let Some(p) = previous.iter().find(|p| p.area == rule.area) {
                    ui.label(RichText::new(format!("last time {} × {}", p.depth, p.passes)).weak());
                }
            });
            if let Some(why) = &rule.excluded {
                banner(ui, BannerLevel::Stop, &format!("Not today: {why}"));
                return;
            }
            let above = session_record::pen_depth(&draft.depth)
                .ok()
                .zip(rule.limit)
                .is_some_and(|(d, limit)| d > limit);
            let needs_reason = above
                || !draft.depth_reason.is_empty()
                || f.errors.for_area(row, field::DEPTH_REASON).is_some();
            egui::Grid::new(("area_row", row))
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    // Never a placeholder above the area's limit (the review saw "e.g. 1.00"
                    // under the nose's 0.50 mm).
                    let depth_hint = match rule.limit {
                        Some(limit) => format!("up to {limit}"),
                        None => "mm, with a reason".to_owned(),
                    };
                    let rows: [(&str, &mut String, &str, &str, f32); 4] = [
                        ("Depth (mm)", &mut draft.depth, &depth_hint, field::DEPTH, 120.0),
                        ("Passes", &mut draft.passes, "e.g. 2", field::PASSES, 90.0),
                        (
                            "Endpoint",
                            &mut draft.endpoint,
                            ENDPOINTS[0],
                            field::ENDPOINT,
                            260.0,
                        ),
                        (
                            "Skin response",
                            &mut draft.response,
                            "e.g. even redness, no bleeding",
                            field::RESPONSE,
                            360.0,
                        ),
                    ];
                    for (what, value, hint, key, width) in rows {
                        small_field(
                            ui,
                            &format!("{what} for {name}"),
                            value,
                            hint,
                            f.errors.for_area(row, key),
                            width,
                        );
                        ui.end_row();
                    }
                    if needs_reason {
                        small_field(
                            ui,
                            &format!("Reason for the depth for {name}"),
                            &mut draft.depth_reason,
                            "why deeper than the protocol's limit",
                            f.errors.for_area(row, field::DEPTH_REASON),
                            360.0,
                        );
                        ui.end_row();
                    }
                });
            error_line(ui, f.errors.for_area(row, field::AREA).map(ToString::to_string));
        });
    }
}

fn small_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    error: Option<&crate::domain::DomainError>,
    width: f32,
) {
    let label = ui.label(label);
    ui.vertical(|ui| {
        ui.add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(width),
        )
        .labelled_by(label.id);
        error_line(ui, error.map(ToString::to_string));
    });
}

fn products_ui(ui: &mut egui::Ui, f: &mut SessionForm, today: chrono::NaiveDate) {
    ui.label(RichText::new("Serum").heading());
    if f.serums.is_empty() {
        ui.label("The plan's concerns suggest no serum.");
    }
    for s in f.serums.iter().take(6) {
        ui.horizontal(|ui| {
            let text = format!("{} — for {}", s.name, s.for_concerns.join(", "));
            if s.discouraged {
                ui.label(RichText::new(format!("{text} (discouraged)")).color(WARN_AMBER));
            } else {
                ui.label(text);
            }
            basis_line(ui, &s.basis);
        });
    }
    egui::Grid::new("session_products")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            lot_picker(
                ui,
                "Serum lot",
                ProductKind::Serum,
                &f.products,
                &mut f.draft.serum,
                true,
                today,
            );
            error_line(ui, f.errors.for_field(field::SERUM).map(ToString::to_string));
            ui.end_row();
            let discouraged = {
                let rules = f.record_rules(today);
                f.draft
                    .serum
                    .and_then(|id| f.products.iter().find(|p| p.id == id))
                    .and_then(|p| session_record::discouragement(p, &rules))
            };
            if let Some(why) = discouraged {
                ui.label("");
                banner(ui, BannerLevel::Warn, &why);
                ui.end_row();
                let label = ui.label(field::SERUM_REASON);
                ui.vertical(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut f.draft.serum_reason).desired_width(360.0))
                        .labelled_by(label.id);
                    error_line(
                        ui,
                        f.errors.for_field(field::SERUM_REASON).map(ToString::to_string),
                    );
                });
                ui.end_row();
            }
            lot_picker(
                ui,
                "Needle cartridge lot",
                ProductKind::NeedleCartridge,
                &f.products,
                &mut f.draft.cartridge,
                false,
                today,
            );
            error_line(ui, f.errors.for_field(field::CARTRIDGE).map(ToString::to_string));
            ui.end_row();
            lot_picker(
                ui,
                "Numbing cream lot",
                ProductKind::NumbingCream,
                &f.products,
                &mut f.draft.numbing,
                true,
                today,
            );
            error_line(ui, f.errors.for_field(field::NUMBING).map(ToString::to_string));
            ui.end_row();
            for w in &f.numbing_warnings {
                ui.label("");
                ui.colored_label(WARN_AMBER, format!("Numbing cream: {w}"));
                ui.end_row();
            }
        });
}

/// A combo box of the active lots of one kind; expired lots are listed but marked.
fn lot_picker(
    ui: &mut egui::Ui,
    label: &str,
    kind: ProductKind,
    products: &[Product],
    chosen: &mut Option<ProductId>,
    optional: bool,
    today: chrono::NaiveDate,
) {
    let describe = |p: &Product| {
        let expired = if p.is_expired(today) { " — EXPIRED" } else { "" };
        format!(
            "{} · lot {} · exp. {}{expired}",
            p.name, p.lot_number, p.expires_on
        )
    };
    let selected = chosen
        .and_then(|id| products.iter().find(|p| p.id == id))
        .map_or_else(
            || {
                if optional {
                    "None".to_owned()
                } else {
                    "Choose…".to_owned()
                }
            },
            describe,
        );
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(420.0)
        .show_ui(ui, |ui| {
            if optional {
                ui.selectable_value(chosen, None, "None");
            }
            for p in products.iter().filter(|p| p.kind == kind) {
                ui.selectable_value(chosen, Some(p.id), describe(p));
            }
        })
        .response
        .labelled_by(l.id);
}

fn signature_ui(ui: &mut egui::Ui, f: &mut SessionForm, today: chrono::NaiveDate, signers: &[String]) {
    egui::Grid::new("session_signature")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let short = f
                .interval
                .is_some_and(|(on, w)| (today - on).num_days() < i64::from(w.min_days()));
            if short || f.errors.for_field(field::INTERVAL_REASON).is_some() {
                let (on, min) = f.interval.map_or((today, 0), |(on, w)| (on, w.min_days()));
                ui.label("");
                banner(
                    ui,
                    BannerLevel::Warn,
                    &format!(
                        "Only {} days since the previous session ({on}); the series asks for at least {min}.",
                        (today - on).num_days()
                    ),
                );
                ui.end_row();
                let label = ui.label(field::INTERVAL_REASON);
                ui.vertical(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut f.draft.interval_reason).desired_width(420.0))
                        .labelled_by(label.id);
                    error_line(
                        ui,
                        f.errors
                            .for_field(field::INTERVAL_REASON)
                            .map(ToString::to_string),
                    );
                });
                ui.end_row();
            }
            let label = ui.label(field::NOTES);
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut f.draft.notes)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                error_line(ui, f.errors.for_field(field::NOTES).map(ToString::to_string));
            });
            ui.end_row();
            ui.label("");
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    signing::signer_combo(ui, SIGNER_LABEL, &mut f.draft.practitioner, signers)
                });
                error_line(
                    ui,
                    f.errors.for_field(field::PRACTITIONER).map(ToString::to_string),
                );
            });
            ui.end_row();
        });
}
