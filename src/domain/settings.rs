//! The clinic's own details, printed on every sheet, and who works there.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Paper the clinic's printer uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

impl PaperSize {
    pub const ALL: [PaperSize; 2] = [PaperSize::A4, PaperSize::Letter];
}

impl fmt::Display for PaperSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PaperSize::A4 => "A4",
            PaperSize::Letter => "Letter",
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicSettings {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub paper_size: PaperSize,
    /// Names of the practitioners who sign screenings and sessions.
    pub practitioners: Vec<String>,
}

/// How sheets are printed at this desk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSettings {
    /// Send each sheet to the default printer with `lp` (CUPS) instead of opening it.
    pub use_lp: bool,
    /// Where sheets are saved; blank means a `documents` folder beside the database.
    pub documents_dir: String,
}
