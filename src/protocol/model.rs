//! The typed protocol library: what `assets/protocol.json` (or a clinic's own file) holds.
//!
//! Every clinical value is a [`Sourced`] value: the value itself (or `null` where the evidence
//! digest has a gap), the source ids from `protocol-evidence.md`, the evidence tier, and, where
//! sources disagree, the positions they take. The value chosen is the conservative one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Evidence tier of a source, strongest first (see §0 of the evidence digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// Regulatory / device labeling.
    R,
    /// Peer-reviewed paper or medical reference text.
    P,
    /// Institutional or professional-body information.
    I,
    /// Manufacturer or vendor.
    M,
    /// Clinic convention, not evidence.
    C,
    /// Low-reliability aggregator; never the sole basis of a value.
    X,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::R => "regulatory / labeling",
            Tier::P => "peer-reviewed",
            Tier::I => "professional body",
            Tier::M => "manufacturer",
            Tier::C => "clinic convention",
            Tier::X => "low reliability",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({})", self, self.label())
    }
}

/// One entry of the digest's source index (§0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// "R3", "P14", "C10" ...
    pub id: String,
    pub tier: Tier,
    /// Short citation a practitioner can look up.
    pub citation: String,
}

/// One position in a disagreement between sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// What these sources say, e.g. "3 months".
    pub says: String,
    pub sources: Vec<String>,
}

/// Where sources disagree: a one-line summary and every position taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disagreement {
    pub summary: String,
    pub positions: Vec<Position>,
}

/// A clinical value with its provenance. `value: null` means the digest has no published value
/// (a gap); the app then says "no published value" instead of inventing one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    pub value: Option<T>,
    pub sources: Vec<String>,
    pub tier: Tier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<Disagreement>,
    /// Why this value was chosen, or what the gap is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl<T> Sourced<T> {
    pub fn is_gap(&self) -> bool {
        self.value.is_none()
    }
}

/// A depth range in millimetres as written in the file; converted to exact
/// [`crate::domain::DepthRange`] by the loader.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MmRange {
    pub min_mm: f64,
    pub max_mm: f64,
}

/// A whole-number range, e.g. 3–6 sessions or 28–42 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRange {
    pub min: u16,
    pub max: u16,
}

/// A length of time, e.g. a deferral window. Exactly one field is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Face,
    Neck,
    Body,
    Scalp,
}

/// An exclusion within an area, e.g. "not within the orbital rim".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub text: String,
    pub sources: Vec<String>,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable key used in records: "cheeks", "periorbital" ...
    pub id: String,
    pub name: String,
    pub region: Region,
    /// Typical depth range for this area.
    pub typical_depth: Sourced<MmRange>,
    /// The deepest setting the protocol allows here without a written reason; `null` where no
    /// maximum is published (then any depth here needs a reason).
    pub max_depth: Sourced<f64>,
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// The Fitzpatrick types a cleared device is cleared for in this area (e.g. the neck:
    /// II–IV); a client outside them gets a caution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_skin_types: Option<Sourced<SkinTypeRange>>,
}

/// Fitzpatrick types from and to, inclusive, as written ("II", "IV").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkinTypeRange {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    /// "acne_scars_rolling", "melasma" ...
    pub id: String,
    pub name: String,
    /// Concerns that belong together in the catalogue, e.g. the three acne-scar types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Area ids where this concern is usually treated.
    pub suggested_areas: Vec<String>,
    pub depth: Sourced<MmRange>,
    /// Serum ids that suit this concern, best first.
    pub serums: Vec<String>,
    pub sessions: Sourced<CountRange>,
    /// Days between sessions.
    pub interval_days: Sourced<CountRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// What the client's sheet says about this concern, in plain words and without sources (the
    /// clinician's `notes` stay on screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_note: Option<String>,
}

/// How a contraindication restricts treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContraindicationClass {
    /// Do not treat (in the area, or at this time).
    Absolute,
    /// Treat with caution, or defer.
    Relative,
    /// Treat only with a written clearance from a named professional.
    Clearance,
}

/// How long treatment waits after a contraindication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Deferral {
    /// No treatment until the condition has resolved (no fixed date).
    UntilResolved { condition: String },
    /// No treatment until a period after a dated event, e.g. 6 months after isotretinoin stopped.
    Period {
        period: Period,
        /// The event the period counts from, e.g. "the last dose".
        after: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contraindication {
    /// "isotretinoin", "active_herpes" ...
    pub id: String,
    pub name: String,
    /// Row number in §2 of the evidence digest ("8", "2a").
    pub digest_row: String,
    pub class: Sourced<ContraindicationClass>,
    /// `value: null` where no deferral applies or none is published.
    pub deferral: Sourced<Deferral>,
    /// True when the finding only excludes the affected area (an open wound on the chin).
    pub area_limited: bool,
    /// Who must give a written clearance ("physician", "obstetrician"), for class `clearance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_from: Option<String>,
    /// What to adjust when treating with caution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caution: Option<String>,
    /// A yes/no follow-up of the revealing question that must be "yes" before a caution lets
    /// the visit go ahead (e.g. the prescribed antiviral has been started); otherwise the
    /// finding needs clearance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerumStatus {
    Suitable,
    Discouraged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serum {
    /// "ha_gel", "vitamin_c" ...
    pub id: String,
    pub name: String,
    /// When it is used: "during", "after", "before and after" ...
    pub when: String,
    pub status: Sourced<SerumStatus>,
    /// Concern ids this serum suits.
    pub suits: Vec<String>,
    /// Shown before use of a discouraged product, or as a safety note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// True when the product must be prescribed or applied by a physician.
    #[serde(default)]
    pub physician_only: bool,
    /// True for a prescription medicine: never pre-selected, and a plan using it names the
    /// prescriber.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prescription: bool,
    /// Applied in the treatment room, or used by the client at home (never during the session).
    #[serde(default, rename = "use")]
    pub use_in: SerumUse,
    /// Warnings that apply when an area of these regions is planned (numbing cream on the body).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region_warnings: Vec<RegionWarning>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerumUse {
    #[default]
    InSession,
    HomeCare,
}

/// A warning for a product when an area of one of `regions` is planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionWarning {
    pub regions: Vec<Region>,
    pub text: Sourced<String>,
}

impl Serum {
    /// Whoever plans it must name the prescriber.
    pub fn needs_prescriber(&self) -> bool {
        self.physician_only || self.prescription
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    Date,
    Text,
    Area,
    YesNo,
}

/// Which of two conditions a yes/no follow-up reveals: "Is it controlled?" — yes: controlled
/// diabetes; anything else (no, or not answered): the stricter uncontrolled one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub yes: String,
    pub otherwise: String,
}

/// A detail a "yes" answer needs, e.g. when isotretinoin was stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub id: String,
    pub label: String,
    pub kind: FollowUpKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chooses: Option<Choice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeQuestion {
    /// "isotretinoin", "herpes" ...
    pub id: String,
    /// Number in §6.3 of the evidence digest.
    pub number: u16,
    pub text: String,
    /// An open question ("What would you like to improve?"), answered in words through its
    /// follow-ups rather than yes or no; it reveals nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// A "yes" may hold several entries, each with its own conditions and details (recent
    /// procedures: each its own date and area).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeatable: bool,
    /// Contraindication ids a "yes" may reveal.
    pub screens_for: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    pub sources: Vec<String>,
}

/// One instruction on a printed sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareItem {
    pub text: Sourced<String>,
    /// For preparation steps: how many days before the appointment to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_before: Option<u16>,
    /// For aftercare steps: until how many days after treatment this applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_day: Option<u16>,
    /// The regions it is about (make-up: the face and neck; hair washing: the scalp); empty for
    /// every session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AftercarePhase {
    /// "first_24h", "48_72h", "first_week", "two_weeks".
    pub id: String,
    pub title: String,
    /// Days after treatment this phase covers (0 = treatment day).
    pub from_day: u16,
    pub to_day: u16,
    pub items: Vec<CareItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignKind {
    Normal,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sign {
    pub kind: SignKind,
    pub text: Sourced<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Care {
    pub preparation: Vec<CareItem>,
    pub aftercare: Vec<AftercarePhase>,
    pub signs: Vec<Sign>,
}

/// Series defaults used when a concern has no value of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesDefaults {
    pub sessions: Sourced<CountRange>,
    pub interval_days: Sourced<CountRange>,
}

/// The whole protocol library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// The shape of the file (what fields it holds), raised when a protocol version changes
    /// what a file must say; a clinic's file of an older shape is refused with what changed.
    pub format: u16,
    /// Cited by every screening and plan, e.g. "2026.11-1".
    pub version: String,
    pub title: String,
    pub sources: Vec<Source>,
    pub areas: Vec<Area>,
    pub concerns: Vec<Concern>,
    pub contraindications: Vec<Contraindication>,
    pub serums: Vec<Serum>,
    pub intake_questions: Vec<IntakeQuestion>,
    pub series: SeriesDefaults,
    pub care: Care,
}
