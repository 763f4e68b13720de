//! Protocol: browse areas, concerns, contraindications, serums, intake questions and care texts,
//! every value with its sources, evidence tier, any disagreement between sources and any note.

use egui::RichText;

use crate::domain::NeedleDepth;
use crate::protocol::{
    AftercarePhase, Area, CareItem, Concern, Contraindication, ContraindicationClass, CountRange, Deferral,
    FollowUpKind, IntakeQuestion, MmRange, Protocol, Serum, SerumStatus, SignKind, Sourced,
};

/// The parts of the protocol library, one tab each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Section {
    #[default]
    Areas,
    Concerns,
    Contraindications,
    Serums,
    IntakeQuestions,
    Care,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Areas,
        Section::Concerns,
        Section::Contraindications,
        Section::Serums,
        Section::IntakeQuestions,
        Section::Care,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Areas => "Areas",
            Section::Concerns => "Concerns",
            Section::Contraindications => "Contraindications",
            Section::Serums => "Serums",
            Section::IntakeQuestions => "Intake questions",
            Section::Care => "Care",
        }
    }
}

/// Entry ids of the care section (aftercare phases use their own ids).
const PREPARATION: &str = "preparation";
const SIGNS: &str = "signs";
/// Entry id of the series defaults in the concerns section.
const SERIES_DEFAULTS: &str = "series_defaults";

/// What the browser remembers between frames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolBrowser {
    pub section: Section,
    pub filter: String,
    /// Id of the entry shown on the right, within the current section.
    pub selected: Option<String>,
}

pub struct ProtocolView<'a> {
    pub protocol: &'a Protocol,
    pub state: &'a mut ProtocolBrowser,
}

impl ProtocolView<'_> {
    /// The browser changes only what it shows; it asks nothing of the app.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let protocol = self.protocol;
        let state = &mut *self.state;
        ui.heading(format!("Protocol {}", protocol.version));
        ui.weak(&protocol.title);
        ui.add_space(4.0);

        ui.horizontal_wrapped(|ui| {
            for section in Section::ALL {
                if ui
                    .selectable_label(state.section == section, section.label())
                    .clicked()
                    && state.section != section
                {
                    state.section = section;
                    state.selected = None;
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Filter");
            ui.add(
                egui::TextEdit::singleline(&mut state.filter)
                    .hint_text("Part of a name")
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
            if !state.filter.is_empty() && ui.button("Clear").clicked() {
                state.filter.clear();
            }
        });
        ui.separator();

        let entries = entries(protocol, state.section, &state.filter);
        if state.selected.is_none() {
            state.selected = entries.first().map(|(id, _)| id.clone());
        }

        egui::Panel::left("protocol_entries")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("protocol_entry_list")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if entries.is_empty() {
                            ui.weak("Nothing matches the filter.");
                        }
                        for (id, name) in &entries {
                            let selected = state.selected.as_deref() == Some(id.as_str());
                            if ui.selectable_label(selected, name).clicked() {
                                state.selected = Some(id.clone());
                            }
                        }
                    });
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("protocol_details")
                .auto_shrink([false, false])
                .show(ui, |ui| match state.selected.as_deref() {
                    Some(id) => details_ui(ui, protocol, state.section, id),
                    None => {
                        ui.weak("Choose an entry on the left.");
                    }
                });
        });
    }
}

/// (id, label) of every entry of a section whose label or id contains the filter text.
fn entries(protocol: &Protocol, section: Section, filter: &str) -> Vec<(String, String)> {
    let all: Vec<(String, String)> = match section {
        Section::Areas => protocol
            .areas
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
        Section::Concerns => std::iter::once((SERIES_DEFAULTS.to_owned(), "Series defaults".to_owned()))
            .chain(protocol.concerns.iter().map(|c| {
                let name = match &c.group {
                    Some(group) => format!("{} ({group})", c.name),
                    None => c.name.clone(),
                };
                (c.id.clone(), name)
            }))
            .collect(),
        Section::Contraindications => protocol
            .contraindications
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        Section::Serums => protocol
            .serums
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        Section::IntakeQuestions => protocol
            .intake_questions
            .iter()
            .map(|q| (q.id.clone(), format!("{}. {}", q.number, q.text)))
            .collect(),
        Section::Care => std::iter::once((PREPARATION.to_owned(), "Preparation".to_owned()))
            .chain(
                protocol
                    .care
                    .aftercare
                    .iter()
                    .map(|p| (p.id.clone(), format!("Aftercare: {}", p.title))),
            )
            .chain(std::iter::once((SIGNS.to_owned(), "Signs to watch".to_owned())))
            .collect(),
    };
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return all;
    }
    all.into_iter()
        .filter(|(id, name)| name.to_lowercase().contains(&needle) || id.to_lowercase().contains(&needle))
        .collect()
}

fn details_ui(ui: &mut egui::Ui, protocol: &Protocol, section: Section, id: &str) {
    let found = match section {
        Section::Areas => protocol.area(id).map(|a| area_ui(ui, protocol, a)).is_some(),
        Section::Concerns if id == SERIES_DEFAULTS => {
            series_defaults_ui(ui, protocol);
            true
        }
        Section::Concerns => protocol
            .concern(id)
            .map(|c| concern_ui(ui, protocol, c))
            .is_some(),
        Section::Contraindications => protocol
            .contraindication(id)
            .map(|c| contraindication_ui(ui, protocol, c))
            .is_some(),
        Section::Serums => protocol.serum(id).map(|s| serum_ui(ui, protocol, s)).is_some(),
        Section::IntakeQuestions => protocol
            .question(id)
            .map(|q| question_ui(ui, protocol, q))
            .is_some(),
        Section::Care if id == PREPARATION => {
            ui.heading("Preparation");
            care_items_ui(ui, protocol, &protocol.care.preparation);
            true
        }
        Section::Care if id == SIGNS => {
            signs_ui(ui, protocol);
            true
        }
        Section::Care => protocol
            .care
            .aftercare
            .iter()
            .find(|p| p.id == id)
            .map(|p| aftercare_ui(ui, protocol, p))
            .is_some(),
    };
    if !found {
        ui.weak("Choose an entry on the left.");
    }
}

fn area_ui(ui: &mut egui::Ui, protocol: &Protocol, a: &Area) {
    ui.heading(&a.name);
    ui.label(format!("Region: {:?}", a.region));
    sourced(ui, protocol, "Typical depth", &a.typical_depth, |r| {
        depth_range(*r)
    });
    sourced(
        ui,
        protocol,
        "Deepest without a written reason",
        &a.max_depth,
        |mm| depth(*mm),
    );
    if !a.exclusions.is_empty() {
        ui.add_space(6.0);
        ui.strong("Exclusions");
        for e in &a.exclusions {
            ui.group(|ui| {
                ui.label(&e.text);
                source_ids_ui(ui, protocol, &e.sources);
                ui.weak(format!("Tier: {}", e.tier.label()));
            });
        }
    }
}

fn concern_ui(ui: &mut egui::Ui, protocol: &Protocol, c: &Concern) {
    ui.heading(&c.name);
    if let Some(group) = &c.group {
        ui.label(format!("Group: {group}"));
    }
    let areas: Vec<&str> = c
        .suggested_areas
        .iter()
        .map(|id| protocol.area_name(id))
        .collect();
    ui.label(format!("Usually treated on: {}", list_or_none(&areas)));
    sourced(ui, protocol, "Depth", &c.depth, |r| depth_range(*r));
    sourced(ui, protocol, "Sessions", &c.sessions, |r| count(*r, "sessions"));
    sourced(ui, protocol, "Days between sessions", &c.interval_days, |r| {
        count(*r, "days")
    });
    let serums: Vec<&str> = c
        .serums
        .iter()
        .map(|id| protocol.serum(id).map_or(id.as_str(), |s| s.name.as_str()))
        .collect();
    ui.label(format!("Serums, best first: {}", list_or_none(&serums)));
    if let Some(notes) = &c.notes {
        ui.label(format!("Notes: {notes}"));
    }
}

fn series_defaults_ui(ui: &mut egui::Ui, protocol: &Protocol) {
    ui.heading("Series defaults");
    ui.label("Used when a concern has no value of its own.");
    sourced(ui, protocol, "Sessions", &protocol.series.sessions, |r| {
        count(*r, "sessions")
    });
    sourced(
        ui,
        protocol,
        "Days between sessions",
        &protocol.series.interval_days,
        |r| count(*r, "days"),
    );
}

fn contraindication_ui(ui: &mut egui::Ui, protocol: &Protocol, c: &Contraindication) {
    ui.heading(&c.name);
    ui.weak(format!("Evidence digest §2, row {}", c.digest_row));
    let class = |class: Option<ContraindicationClass>| class_words(class, c.clearance_from.as_deref());
    sourced_or(ui, protocol, "Class", &c.class, |v| class(Some(*v)), &class(None));
    sourced(ui, protocol, "Deferral", &c.deferral, |d| match d {
        Deferral::UntilResolved { condition } => format!("Until {condition}"),
        Deferral::Period { period, after } => format!("{period} after {after}"),
    });
    ui.label(if c.area_limited {
        "Excludes only the affected area."
    } else {
        "Applies to the whole treatment."
    });
    if let Some(caution) = &c.caution {
        ui.label(format!("With caution: {caution}"));
    }
}

/// The class in the clinic's words.
fn class_words(class: Option<ContraindicationClass>, clearance_from: Option<&str>) -> String {
    match class {
        Some(ContraindicationClass::Absolute) => "Do not treat".to_owned(),
        Some(ContraindicationClass::Relative) => "Caution".to_owned(),
        Some(ContraindicationClass::Clearance) => format!(
            "Needs written clearance from {}",
            clearance_from.unwrap_or("a named professional")
        ),
        None => "Not classified (no published guidance)".to_owned(),
    }
}

fn serum_ui(ui: &mut egui::Ui, protocol: &Protocol, s: &Serum) {
    ui.heading(&s.name);
    ui.label(format!("When: {}", s.when));
    sourced(ui, protocol, "Status", &s.status, |status| match status {
        SerumStatus::Suitable => "Suitable".to_owned(),
        SerumStatus::Discouraged => "Discouraged".to_owned(),
    });
    let suits: Vec<&str> = s.suits.iter().map(|id| protocol.concern_name(id)).collect();
    ui.label(format!("Suits: {}", list_or_none(&suits)));
    if s.physician_only {
        ui.label("Prescribed or applied by a physician only.");
    }
    if let Some(warning) = &s.warning {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Warning: {warning}"));
    }
}

fn question_ui(ui: &mut egui::Ui, protocol: &Protocol, q: &IntakeQuestion) {
    ui.heading(format!("Question {}", q.number));
    ui.label(&q.text);
    source_ids_ui(ui, protocol, &q.sources);
    let screens: Vec<&str> = q
        .screens_for
        .iter()
        .map(|id| {
            protocol
                .contraindication(id)
                .map_or(id.as_str(), |c| c.name.as_str())
        })
        .collect();
    ui.label(format!("A \"yes\" may reveal: {}", list_or_none(&screens)));
    if !q.follow_ups.is_empty() {
        ui.add_space(6.0);
        ui.strong("Asked after a \"yes\"");
        for f in &q.follow_ups {
            let kind = match f.kind {
                FollowUpKind::Date => "a date",
                FollowUpKind::Text => "text",
                FollowUpKind::Area => "an area",
                FollowUpKind::YesNo => "yes or no",
            };
            ui.label(format!("• {} ({kind})", f.label));
        }
    }
}

fn aftercare_ui(ui: &mut egui::Ui, protocol: &Protocol, p: &AftercarePhase) {
    ui.heading(format!("Aftercare: {}", p.title));
    ui.weak(format!(
        "Day {} to day {} after treatment (day 0 is treatment day)",
        p.from_day, p.to_day
    ));
    care_items_ui(ui, protocol, &p.items);
}

fn care_items_ui(ui: &mut egui::Ui, protocol: &Protocol, items: &[CareItem]) {
    if items.is_empty() {
        ui.weak("No instructions.");
    }
    for item in items {
        let mut when = Vec::new();
        if let Some(days) = item.days_before {
            when.push(format!("start {days} days before"));
        }
        if let Some(day) = item.until_day {
            when.push(format!("until day {day}"));
        }
        let label = if when.is_empty() {
            "Instruction".to_owned()
        } else {
            format!("Instruction ({})", when.join(", "))
        };
        sourced(ui, protocol, &label, &item.text, Clone::clone);
    }
}

fn signs_ui(ui: &mut egui::Ui, protocol: &Protocol) {
    ui.heading("Signs to watch");
    for sign in &protocol.care.signs {
        let label = match sign.kind {
            SignKind::Normal => "Normal",
            SignKind::Warning => "Warning: call the clinic",
        };
        sourced(ui, protocol, label, &sign.text, Clone::clone);
    }
}

/// One sourced value in a group: the value (or "No published value"), its sources with their
/// citations on hover, its tier, any disagreement between sources, and any note.
fn sourced<T>(
    ui: &mut egui::Ui,
    protocol: &Protocol,
    label: &str,
    value: &Sourced<T>,
    show: impl FnOnce(&T) -> String,
) {
    sourced_or(ui, protocol, label, value, show, "No published value");
}

/// [`sourced`], with its own words for a gap.
fn sourced_or<T>(
    ui: &mut egui::Ui,
    protocol: &Protocol,
    label: &str,
    value: &Sourced<T>,
    show: impl FnOnce(&T) -> String,
    gap: &str,
) {
    ui.add_space(4.0);
    ui.group(|ui| {
        ui.set_min_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{label}:"));
            match &value.value {
                Some(v) => ui.label(show(v)),
                None => ui.label(RichText::new(gap).italics().weak()),
            };
        });
        source_ids_ui(ui, protocol, &value.sources);
        ui.weak(format!("Tier: {}", value.tier.label()));
        if let Some(d) = &value.disagreement {
            let warn = ui.visuals().warn_fg_color;
            ui.colored_label(warn, format!("Sources disagree: {}", d.summary));
            for position in &d.positions {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("• {}", position.says));
                    source_ids_ui(ui, protocol, &position.sources);
                });
            }
        }
        if let Some(note) = &value.note {
            ui.label(RichText::new(format!("Note: {note}")).italics());
        }
    });
}

/// Source ids in a row, each with its citation on hover.
fn source_ids_ui(ui: &mut egui::Ui, protocol: &Protocol, ids: &[String]) {
    ui.horizontal_wrapped(|ui| {
        ui.weak("Sources:");
        if ids.is_empty() {
            ui.weak("none listed");
        }
        for id in ids {
            let hover = match protocol.source(id) {
                Some(source) => format!("{} ({}): {}", source.id, source.tier.label(), source.citation),
                None => format!("{id}: not in this protocol's source list"),
            };
            ui.label(RichText::new(id).monospace().underline())
                .on_hover_text(hover);
        }
    });
}

/// "0.50–1.00 mm", or the raw numbers if the file holds a depth outside the pen's range.
fn depth_range(r: MmRange) -> String {
    r.to_depth_range().map_or_else(
        || format!("{:.2}–{:.2} mm (outside the pen's range)", r.min_mm, r.max_mm),
        |range| range.to_string(),
    )
}

fn depth(mm: f64) -> String {
    NeedleDepth::from_mm_f64(mm).map_or_else(
        |_| format!("{mm:.2} mm (outside the pen's range)"),
        |d| d.to_string(),
    )
}

fn count(r: CountRange, unit: &str) -> String {
    if r.min == r.max {
        format!("{} {unit}", r.min)
    } else {
        format!("{}–{} {unit}", r.min, r.max)
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
