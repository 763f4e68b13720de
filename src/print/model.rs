//! What a sheet prints, as plain data. These structs become the JSON a template reads through
//! `sys.inputs.data`; every text is data, never markup, so a name like `#panic()` prints as
//! written.

use serde::Serialize;

/// The clinic's header on every sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clinic {
    pub name: String,
    /// The address as written in Settings, one entry per line.
    pub address: Vec<String>,
    pub phone: String,
}

/// One instruction with the date it applies from or until, when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// "Until Tuesday 24 November", "From Thursday 3 December", "On the day".
    pub when: Option<String>,
    pub text: String,
}

/// One phase of the aftercare timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    /// "First 3 days".
    pub title: String,
    /// "Saturday 21 – Tuesday 24 November".
    pub dates: String,
    pub steps: Vec<Step>,
}

/// A note about the serum used or a concern treated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What the note is about: the serum's or the concern's name.
    pub about: String,
    pub text: String,
}

/// The next session of the series and how to prepare for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextAppointment {
    pub number: u8,
    /// Whether a date is booked; otherwise `date` is the window to book in.
    pub booked: bool,
    /// "Sunday 13 December 2026", or "between Saturday 19 December 2026 and Saturday 2 January 2027".
    pub date: String,
    pub preparation: Vec<Step>,
}

/// The aftercare sheet of a completed session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AftercareSheet {
    /// Typst's paper name: "a4" or "us-letter".
    pub paper: String,
    pub clinic: Clinic,
    pub client: String,
    /// "Saturday 21 November 2026".
    pub treated_on: String,
    pub practitioner: String,
    /// "Session 2 of 4 · Acne scar series".
    pub session: String,
    pub areas: Vec<String>,
    pub serum: Option<String>,
    pub phases: Vec<Phase>,
    pub notes: Vec<Note>,
    /// What is normal after treatment.
    pub normal: Vec<String>,
    /// Warning signs: call the clinic.
    pub call_us: Vec<String>,
    pub next: Option<NextAppointment>,
    /// The series is complete: no next session, a review is due.
    pub series_complete: bool,
    /// When the completed series is reviewed: "Saturday 5 March 2027".
    pub review_on: Option<String>,
    pub printed_on: String,
    pub protocol_version: String,
}

/// The preparation sheet of a booked session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreparationSheet {
    pub paper: String,
    pub clinic: Clinic,
    pub client: String,
    /// "Sunday 13 December 2026".
    pub appointment: String,
    pub session: String,
    pub areas: Vec<String>,
    /// Earliest first.
    pub steps: Vec<Step>,
    pub printed_on: String,
    pub protocol_version: String,
}

/// One question of the checklist with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub number: u16,
    pub text: String,
    /// "Yes", "No" or "Not answered".
    pub answer: String,
    /// Follow-up details of a "yes": "When was it stopped: 2025-01-10".
    pub details: Vec<String>,
}

/// One reason behind a screening's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// "Defer", "Proceed with caution" ...
    pub kind: String,
    pub message: String,
    /// "Sources P14, R3 (peer-reviewed)".
    pub evidence: String,
}

/// A copy of a signed screening for the paper file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningSheet {
    pub paper: String,
    pub clinic: Clinic,
    pub client: String,
    pub born: String,
    pub screened_on: String,
    pub planned_areas: Vec<String>,
    pub questions: Vec<Question>,
    /// "Clear", "Defer until Monday 4 January 2027" ...
    pub outcome: String,
    pub excluded_areas: Vec<String>,
    pub reasons: Vec<Reason>,
    /// "Physician: Dr. A. Rahman, 2026-11-20".
    pub clearances: Vec<String>,
    pub signed_by: String,
    /// "2026-11-22 09:30 UTC".
    pub signed_at: String,
    /// Why this screening corrects an earlier one.
    pub amendment: Option<String>,
    pub printed_on: String,
    pub protocol_version: String,
}

/// Any sheet, with the name of the template that prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sheet {
    Aftercare(AftercareSheet),
    Preparation(PreparationSheet),
    Screening(ScreeningSheet),
    DayList(super::day_list::DayListSheet),
    /// A consent document as the client reads it before signing.
    ConsentDocument(crate::domain::ConsentKind, super::consent::ConsentDocumentData),
    /// A signed consent for the paper file.
    Consent(super::consent::ConsentSheet),
    /// Before-and-after photos with the treatments between them, for the client.
    ProgressReport(super::progress_report::ProgressReportSheet),
}

impl Sheet {
    /// The template file in `assets/print/` (or the clinic's own folder).
    pub fn template(&self) -> &'static str {
        match self {
            Sheet::Aftercare(_) => "aftercare.typ",
            Sheet::Preparation(_) => "prep.typ",
            Sheet::Screening(_) => "screening.typ",
            Sheet::DayList(_) => "day_list.typ",
            Sheet::ConsentDocument(kind, _) => kind.template(),
            Sheet::Consent(_) => "consent_signed.typ",
            Sheet::ProgressReport(_) => "progress_report.typ",
        }
    }

    /// The client's name, for file names.
    pub fn client(&self) -> &str {
        match self {
            Sheet::Aftercare(s) => &s.client,
            Sheet::Preparation(s) => &s.client,
            Sheet::Screening(s) => &s.client,
            Sheet::DayList(s) => &s.client,
            Sheet::ConsentDocument(..) => "",
            Sheet::Consent(s) => &s.client,
            Sheet::ProgressReport(s) => &s.client,
        }
    }

    /// The data as the template reads it.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        match self {
            Sheet::Aftercare(s) => serde_json::to_string(s),
            Sheet::Preparation(s) => serde_json::to_string(s),
            Sheet::Screening(s) => serde_json::to_string(s),
            Sheet::DayList(s) => serde_json::to_string(s),
            Sheet::ConsentDocument(_, s) => serde_json::to_string(s),
            Sheet::Consent(s) => serde_json::to_string(s),
            Sheet::ProgressReport(s) => serde_json::to_string(s),
        }
    }
}
