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
}

impl Protocol {
    /// The protocol shipped with the app.
    pub fn shipped() -> Result<Self, ProtocolError> {
        Self::from_json(SHIPPED_JSON)
    }

    /// Parses and validates protocol JSON.
    pub fn from_json(text: &str) -> Result<Self, ProtocolError> {
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
