//! What the practitioner records in the treatment room, and the rules it must pass before it is
//! saved: pen steps and range, the area's limit (above it needs a written reason), areas that
//! the protocol or today's screening exclude, usable product lots, and a reason for a
//! discouraged serum. Every problem is reported at once, next to its field.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

use super::series::{self, IntervalCheck, IntervalWindow};
use super::text::{self, limits};
use super::{DomainError, FieldError, NeedleDepth, Product, ProductId, ProductKind, SessionArea, SessionId};

/// Needle pens set depth in steps of 0.05 mm.
pub const PEN_STEP_HUNDREDTHS: u16 = 5;

/// Endpoints a practitioner usually records; any other text is accepted too.
pub const ENDPOINTS: [&str; 3] = ["uniform erythema", "pinpoint bleeding", "mild erythema"];

/// What one planned area allows today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRule {
    pub area: String,
    /// The deepest setting without a written reason; `None` when nothing is published.
    pub limit: Option<NeedleDepth>,
    /// Why the area cannot be treated today (the protocol, or today's screening).
    pub excluded: Option<String>,
}

/// Everything the rules need besides the form: the day, the areas and the products on file.
#[derive(Debug, Clone)]
pub struct RecordRules<'a> {
    pub today: NaiveDate,
    pub session_id: SessionId,
    pub areas: &'a [AreaRule],
    pub products: &'a [Product],
    /// Why a serum is discouraged, by protocol serum id (the warning with its source).
    pub discouraged_serums: &'a BTreeMap<String, String>,
    /// The previous session's actual date and the series' interval window: a session sooner
    /// than the window's minimum needs a written reason.
    pub interval: Option<(NaiveDate, IntervalWindow)>,
}

/// One area row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AreaDraft {
    pub area: String,
    /// Leave the row blank (depth empty) to skip an area today.
    pub depth: String,
    pub passes: String,
    pub endpoint: String,
    pub response: String,
    pub depth_reason: String,
}

/// The whole form as typed (also kept as an unsigned draft while it is filled in).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SessionRecordDraft {
    pub areas: Vec<AreaDraft>,
    pub serum: Option<ProductId>,
    pub serum_reason: String,
    pub cartridge: Option<ProductId>,
    pub numbing: Option<ProductId>,
    pub notes: String,
    pub practitioner: String,
    /// Why the session is sooner than the series' minimum interval.
    pub interval_reason: String,
}

/// A validated record, ready to save and sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub performed_on: NaiveDate,
    pub practitioner: String,
    pub areas: Vec<SessionArea>,
    pub serum_product_id: Option<ProductId>,
    /// Why a discouraged serum was used anyway.
    pub serum_reason: Option<String>,
    pub cartridge_product_id: ProductId,
    pub numbing_product_id: Option<ProductId>,
    pub notes: String,
    /// Why the session is sooner than the series' minimum interval.
    pub interval_override_reason: Option<String>,
}

/// Every problem of the form: by field, and by area row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordErrors {
    pub fields: Vec<FieldError>,
    /// (row index, field, error)
    pub areas: Vec<(usize, &'static str, DomainError)>,
}

impl RecordErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.areas.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&DomainError> {
        self.fields.iter().find(|e| e.field == field).map(|e| &e.error)
    }
    pub fn for_area(&self, row: usize, field: &str) -> Option<&DomainError> {
        self.areas
            .iter()
            .find(|(r, f, _)| *r == row && *f == field)
            .map(|(_, _, e)| e)
    }
    fn field(&mut self, field: &'static str, error: DomainError) {
        self.fields.push(FieldError { field, error });
    }
}

impl fmt::Display for RecordErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = self
            .fields
            .iter()
            .map(|e| e.error.to_string())
            .chain(self.areas.iter().map(|(_, _, e)| e.to_string()))
            .collect();
        f.write_str(&all.join(" "))
    }
}

impl std::error::Error for RecordErrors {}

/// Field names, shared with the form so messages land next to the right input.
pub mod field {
    pub const DEPTH: &str = "Needle depth";
    pub const PASSES: &str = "Passes";
    pub const DEPTH_REASON: &str = "Reason for the depth";
    pub const ENDPOINT: &str = "Endpoint";
    pub const RESPONSE: &str = "Skin response";
    pub const AREA: &str = "Area";
    pub const AREAS: &str = "Areas treated";
    pub const SERUM: &str = "Serum";
    pub const SERUM_REASON: &str = "Reason for the serum";
    pub const CARTRIDGE: &str = "Needle cartridge";
    pub const NUMBING: &str = "Numbing cream";
    pub const NOTES: &str = "Session notes";
    pub const PRACTITIONER: &str = "Practitioner";
    pub const INTERVAL_REASON: &str = "Reason for the short interval";
}

/// Reads a depth as typed and checks it is a setting the pen has.
pub fn pen_depth(text: &str) -> Result<NeedleDepth, DomainError> {
    let depth = NeedleDepth::parse_mm(text)?;
    if depth.hundredths() % PEN_STEP_HUNDREDTHS != 0 {
        let below = depth.hundredths() - depth.hundredths() % PEN_STEP_HUNDREDTHS;
        return Err(DomainError::DepthNotPenStep {
            entered: depth.to_string(),
            below: format_mm(below),
            above: format_mm(below + PEN_STEP_HUNDREDTHS),
        });
    }
    Ok(depth)
}

fn format_mm(hundredths: u16) -> String {
    format!("{}.{:02} mm", hundredths / 100, hundredths % 100)
}

/// Checks the whole form against the rules; on success the record to save.
pub fn validate_record(
    draft: &SessionRecordDraft,
    rules: &RecordRules<'_>,
) -> Result<SessionRecord, RecordErrors> {
    let mut errors = RecordErrors::default();
    let areas = validate_areas(draft, rules, &mut errors);

    let practitioner = text::required(field::PRACTITIONER, &draft.practitioner, limits::NAME)
        .map_err(|e| errors.field(field::PRACTITIONER, e))
        .ok();
    let notes = text::bounded(field::NOTES, &draft.notes, limits::NOTES)
        .map_err(|e| errors.field(field::NOTES, e))
        .ok();

    let serum = draft.serum.and_then(|id| {
        product_for(rules, id, ProductKind::Serum, field::SERUM)
            .map_err(|e| errors.field(field::SERUM, e))
            .ok()
    });
    let serum_reason = match serum.and_then(|p| discouragement(p, rules)) {
        Some(why) => match text::optional(field::SERUM_REASON, &draft.serum_reason, limits::REASON) {
            Ok(Some(reason)) => Some(reason),
            Ok(None) => {
                errors.field(field::SERUM_REASON, DomainError::SerumNeedsReason { why });
                None
            }
            Err(e) => {
                errors.field(field::SERUM_REASON, e);
                None
            }
        },
        None => None,
    };

    let cartridge = match draft.cartridge {
        None => {
            errors.field(
                field::CARTRIDGE,
                DomainError::Missing {
                    field: field::CARTRIDGE,
                },
            );
            None
        }
        Some(id) => product_for(rules, id, ProductKind::NeedleCartridge, field::CARTRIDGE)
            .map_err(|e| errors.field(field::CARTRIDGE, e))
            .ok(),
    };
    let numbing = draft.numbing.and_then(|id| {
        product_for(rules, id, ProductKind::NumbingCream, field::NUMBING)
            .map_err(|e| errors.field(field::NUMBING, e))
            .ok()
    });

    let interval_override_reason = match rules.interval {
        None => None,
        Some((previous, window)) => {
            let reason = Some(draft.interval_reason.as_str());
            match series::check_interval(previous, rules.today, &window, reason) {
                Ok(IntervalCheck::EarlyOverridden { reason, .. }) => Some(reason),
                Ok(_) => None,
                Err(e) => {
                    errors.field(field::INTERVAL_REASON, e);
                    None
                }
            }
        }
    };

    match (errors.is_empty(), practitioner, notes, cartridge) {
        (true, Some(practitioner), Some(notes), Some(cartridge)) => Ok(SessionRecord {
            performed_on: rules.today,
            practitioner,
            areas,
            serum_product_id: serum.map(|p| p.id),
            serum_reason,
            cartridge_product_id: cartridge.id,
            numbing_product_id: numbing.map(|p| p.id),
            notes,
            interval_override_reason,
        }),
        _ => Err(errors),
    }
}

fn validate_areas(
    draft: &SessionRecordDraft,
    rules: &RecordRules<'_>,
    errors: &mut RecordErrors,
) -> Vec<SessionArea> {
    let mut areas = Vec::new();
    for (row, a) in draft.areas.iter().enumerate() {
        if a.depth.trim().is_empty() {
            continue; // not treated today
        }
        let mut bad = |f: &'static str, e: DomainError| errors.areas.push((row, f, e));
        let Some(rule) = rules.areas.iter().find(|r| r.area == a.area) else {
            bad(field::AREA, DomainError::AreaNotPlanned { area: a.area.clone() });
            continue;
        };
        if let Some(why) = &rule.excluded {
            bad(
                field::DEPTH,
                DomainError::AreaExcluded {
                    area: a.area.clone(),
                    why: why.clone(),
                },
            );
            continue;
        }
        let depth = pen_depth(&a.depth).map_err(|e| bad(field::DEPTH, e)).ok();
        let passes = parse_passes(&a.passes).map_err(|e| bad(field::PASSES, e)).ok();
        let reason = text::optional(field::DEPTH_REASON, &a.depth_reason, limits::REASON)
            .map_err(|e| bad(field::DEPTH_REASON, e))
            .ok()
            .flatten();
        let endpoint = text::optional(field::ENDPOINT, &a.endpoint, limits::SHORT)
            .map_err(|e| bad(field::ENDPOINT, e))
            .ok()
            .flatten();
        let response = text::optional(field::RESPONSE, &a.response, limits::REASON)
            .map_err(|e| bad(field::RESPONSE, e))
            .ok()
            .flatten();
        let (Some(depth), Some(passes)) = (depth, passes) else {
            continue;
        };
        let above_limit = rule.limit.filter(|limit| depth > *limit);
        if let (Some(limit), None) = (above_limit, &reason) {
            bad(
                field::DEPTH_REASON,
                DomainError::DepthAboveAreaLimit {
                    depth: depth.to_string(),
                    limit: limit.to_string(),
                },
            );
            continue;
        }
        match SessionArea::new(rules.session_id, &a.area, depth, passes) {
            Ok(mut area) => {
                // A reason is kept only where the depth needed one.
                area.depth_reason = above_limit.and(reason);
                area.endpoint = endpoint;
                area.response = response;
                areas.push(area);
            }
            Err(e) => bad(field::PASSES, e),
        }
    }
    if areas.is_empty() && errors.areas.is_empty() {
        errors.field(field::AREAS, DomainError::NoAreaTreated);
    }
    areas
}

fn parse_passes(text: &str) -> Result<u32, DomainError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DomainError::Missing { field: field::PASSES });
    }
    t.parse::<u32>().map_err(|_| DomainError::PassesNotReadable {
        entered: t.to_owned(),
    })
}

fn product_for<'p>(
    rules: &RecordRules<'p>,
    id: ProductId,
    kind: ProductKind,
    field: &'static str,
) -> Result<&'p Product, DomainError> {
    let p = rules
        .products
        .iter()
        .find(|p| p.id == id)
        .ok_or(DomainError::Missing { field })?;
    if p.kind != kind {
        return Err(DomainError::WrongProductKind {
            name: p.name.clone(),
            expected: kind.to_string(),
        });
    }
    if !p.active {
        return Err(DomainError::ProductInactive {
            name: p.name.clone(),
            lot: p.lot_number.clone(),
        });
    }
    p.check_usable(rules.today)?;
    Ok(p)
}

/// Why a serum product should not go on needled skin, if it should not.
pub fn discouragement(p: &Product, rules: &RecordRules<'_>) -> Option<String> {
    let protocol = p
        .serum
        .as_ref()
        .and_then(|s| rules.discouraged_serums.get(s))
        .cloned();
    match (protocol, p.sterile) {
        (Some(why), true) => Some(why),
        (Some(why), false) => Some(format!("{why} It is also not sterile.")),
        (None, false) => Some("This product is not marked sterile for use on needled skin.".to_owned()),
        (None, true) => None,
    }
}

/// The previous session's settings as a draft, for "reuse previous settings": the same areas,
/// depths, passes and endpoint; the response is today's to write.
pub fn reuse_previous(previous: &[SessionArea], planned: &[String]) -> Vec<AreaDraft> {
    planned
        .iter()
        .map(|area| match previous.iter().find(|p| &p.area == area) {
            Some(p) => AreaDraft {
                area: area.clone(),
                depth: p.depth.to_string().trim_end_matches(" mm").to_owned(),
                passes: p.passes.to_string(),
                endpoint: p.endpoint.clone().unwrap_or_default(),
                response: String::new(),
                depth_reason: p.depth_reason.clone().unwrap_or_default(),
            },
            None => AreaDraft {
                area: area.clone(),
                ..AreaDraft::default()
            },
        })
        .collect()
}
