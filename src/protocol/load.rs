//! Reading a protocol file: parse with the path of any bad field, then validate.

use std::path::Path;
use thiserror::Error;

use super::model::Protocol;
use super::validate;

/// The protocol shipped inside the binary.
pub const SHIPPED_JSON: &str = include_str!("../../assets/protocol.json");

#[derive(Debug, Error)]
pub enum ProtocolError {
    #[error("Could not read the protocol file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("The protocol file is not valid: at {field}: {message}")]
    Parse { field: String, message: String },
    #[error("The protocol file has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
    #[error(
        "The protocol file (version {version}) is of an older shape than this Needlepoint reads \
         (protocol {shipped}). What changed:\n{}\nStart from the shipped protocol file and carry \
         the clinic's own changes over, or remove the clinic's file to use the shipped protocol. \
         Records signed under {version} keep their outcomes as signed.",
        CHANGES.iter().map(|c| format!("- {c}")).collect::<Vec<_>>().join("\n")
    )]
    OlderShape { version: String, shipped: String },
}

/// The file shape this build reads (the `format` field of a protocol file).
pub const FORMAT: u16 = 2;

/// What format 2 (protocol 2026.12) changed, in words a clinical lead can act on.
pub const CHANGES: &[&str] = &[
    "a `format` field (2) at the top of the file",
    "written clearances: rules of class \"clearance\" for bleeding disorders, prescribed blood thinners, \
     autoimmune disease, controlled diabetes and heart conditions, each naming who clears (`clearance_from`)",
    "new rules: blood_thinning_supplements (a dated wait), diabetes_controlled and diabetes_uncontrolled \
     (instead of diabetes), autoimmune_disease, numbing_cream_unsuitable, recent_laser_ablative and \
     recent_laser_non_ablative (instead of recent_laser), chemotherapy, cancer_history, skincare_allergy, \
     pih_history, photosensitising_medicine",
    "follow-ups may choose between two conditions (`chooses`), and a rule may wait for a confirmation \
     (`confirmed_by`, e.g. the antiviral has been started); questions may be `open` (answered in words) \
     or `repeatable` (several procedures, each with its own date and area)",
    "depth limits: neck, décolleté, hands, arms and thighs have no published maximum (`null`); a \
     concern's maximum lowers its area's; `device_skin_types` per area (neck II-IV, around the eyes I-IV)",
    "products: `use` (in_session or home_care), `prescription`, `region_warnings` (numbing cream on \
     the body); growth factors and peptides discouraged",
    "care items name the `regions` they are for; concerns carry a `client_note` for the client's sheet",
    "tiers: no value's tier may be stronger than its best source's; the source index re-tiered",
];

impl Protocol {
    /// The protocol shipped with the app.
    pub fn shipped() -> Result<Self, ProtocolError> {
        Self::from_json(SHIPPED_JSON)
    }

    /// Parses and validates protocol JSON.
    pub fn from_json(text: &str) -> Result<Self, ProtocolError> {
        // An older shape is named as such, not as whichever field it happens to lack.
        if let Ok(serde_json::Value::Object(top)) = serde_json::from_str::<serde_json::Value>(text) {
            let format = top.get("format").and_then(serde_json::Value::as_u64).unwrap_or(1);
            if format < u64::from(FORMAT) {
                let shipped = serde_json::from_str::<serde_json::Value>(SHIPPED_JSON)
                    .ok()
                    .and_then(|v| v.get("version").and_then(|v| v.as_str().map(str::to_owned)))
                    .unwrap_or_default();
                return Err(ProtocolError::OlderShape {
                    version: top
                        .get("version")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("without a version")
                        .to_owned(),
                    shipped,
                });
            }
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let protocol: Protocol =
            serde_path_to_error::deserialize(&mut de).map_err(|e| ProtocolError::Parse {
                field: match e.path().to_string().as_str() {
                    "." => "the top level".to_owned(),
                    p => p.to_owned(),
                },
                message: e.inner().to_string(),
            })?;
        de.end().map_err(|e| ProtocolError::Parse {
            field: "the end of the file".to_owned(),
            message: e.to_string(),
        })?;
        let problems = validate::problems(&protocol);
        if problems.is_empty() {
            Ok(protocol)
        } else {
            Err(ProtocolError::Invalid(problems))
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, ProtocolError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProtocolError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// The clinic's own protocol if its data folder has one, else the shipped one.
    pub fn for_clinic(data_dir: Option<&Path>) -> Result<Self, ProtocolError> {
        match data_dir.map(|d| d.join(super::CLINIC_FILE_NAME)) {
            Some(path) if path.exists() => Self::from_file(&path),
            _ => Self::shipped(),
        }
    }
}
