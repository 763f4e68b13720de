//! Before-and-after photographs: what a photo is tagged with (client, session, area, view, the
//! day it was taken), who may see them, and the timelines and comparisons built from them. The
//! picture itself lives in a file named by its SHA-256; a stored photo is never changed — hidden
//! with a reason, noted on, or erased with its client's anonymisation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::ids::{ClientId, ConsentId, PhotoId, SessionId};
use super::staff::Role;
use super::treatment::Session;

/// Which way the face (or body area) looks at the camera. The same area and view, taken the
/// same way each visit, is what makes two photos comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoView {
    Front,
    Left45,
    Left90,
    Right45,
    Right90,
    CloseUp,
}

impl PhotoView {
    pub const ALL: [PhotoView; 6] = [
        Self::Front,
        Self::Left45,
        Self::Left90,
        Self::Right45,
        Self::Right90,
        Self::CloseUp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Left45 => "left_45",
            Self::Left90 => "left_90",
            Self::Right45 => "right_45",
            Self::Right90 => "right_90",
            Self::CloseUp => "close_up",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Left45 => "left 45°",
            Self::Left90 => "left 90° (profile)",
            Self::Right45 => "right 45°",
            Self::Right90 => "right 90° (profile)",
            Self::CloseUp => "close-up",
        }
    }

    /// From a code or what someone types: "left-45", "Left 45", "left45", "close up".
    pub fn from_code(entered: &str) -> Result<Self, DomainError> {
        let key: String = entered
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Self::ALL
            .into_iter()
            .find(|v| v.code().replace('_', "") == key)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Photo view",
                entered: format!(
                    "{entered} (use one of: {})",
                    Self::ALL.map(|v| v.code()).join(", ")
                ),
            })
    }
}

/// What a photo is tagged with when it is imported or taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoTags {
    /// A treatment area of the protocol (its code, e.g. "cheeks").
    pub area: String,
    pub view: PhotoView,
    pub taken_on: NaiveDate,
    pub session: Option<SessionId>,
}

impl PhotoTags {
    /// A photo cannot be taken after today, nor before digital photographs were kept.
    pub fn check(&self, today: NaiveDate) -> Result<(), DomainError> {
        if self.taken_on > today {
            return Err(DomainError::PhotoDatedAhead {
                taken_on: self.taken_on.to_string(),
                today: today.to_string(),
            });
        }
        if self.taken_on < EARLIEST_TAKEN {
            return Err(DomainError::PhotoDatedTooEarly {
                taken_on: self.taken_on.to_string(),
            });
        }
        if self.area.trim().is_empty() {
            return Err(DomainError::PhotoAreaMissing);
        }
        Ok(())
    }
}

/// The earliest date a photo may carry.
pub const EARLIEST_TAKEN: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// A hidden photo: kept, out of the timelines and reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hidden {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A note written on a photo (the original never changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoNote {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A stored photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Photo {
    pub id: PhotoId,
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    pub area: String,
    pub view: PhotoView,
    pub taken_on: NaiveDate,
    /// SHA-256 of the stored file (its name).
    pub sha256: String,
    /// "jpeg" or "png".
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// The photographs consent in force when it was stored.
    pub consent_id: ConsentId,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
    pub hidden: Option<Hidden>,
    /// Erased when the client was anonymised: the file and pictures are gone, the row stays.
    pub erased: bool,
    pub notes: Vec<PhotoNote>,
}

impl Photo {
    /// Shown in timelines, compare views and reports.
    pub fn is_shown(&self) -> bool {
        self.hidden.is_none() && !self.erased
    }

    /// "cheeks, front, 2026-10-01".
    pub fn caption(&self, area_name: &str) -> String {
        format!("{area_name}, {}, {}", self.view.words(), self.taken_on)
    }
}

/// The photos of one area and view, oldest first: a series' progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline<'a> {
    pub area: &'a str,
    pub view: PhotoView,
    pub photos: Vec<&'a Photo>,
}

/// The shown photos grouped by area and view, each oldest first; areas in the order first met.
pub fn timelines(photos: &[Photo]) -> Vec<Timeline<'_>> {
    let mut lines: Vec<Timeline<'_>> = Vec::new();
    for p in photos.iter().filter(|p| p.is_shown()) {
        match lines.iter_mut().find(|l| l.area == p.area && l.view == p.view) {
            Some(line) => line.photos.push(p),
            None => lines.push(Timeline {
                area: &p.area,
                view: p.view,
                photos: vec![p],
            }),
        }
    }
    for line in &mut lines {
        line.photos.sort_by_key(|p| (p.taken_on, p.imported_at));
    }
    lines.sort_by(|a, b| a.area.cmp(b.area).then(a.view.cmp(&b.view)));
    lines
}

/// Whether two photos can be compared: same client, area and view.
pub fn comparable(a: &Photo, b: &Photo) -> bool {
    a.client_id == b.client_id && a.area == b.area && a.view == b.view
}

/// The sessions performed after the earlier photo was taken and up to the later one: what was
/// done between a before and an after. Sessions on the before photo's day count (photos are
/// taken before needling).
pub fn sessions_between(sessions: &[Session], before: NaiveDate, after: NaiveDate) -> Vec<&Session> {
    let (from, to) = if before <= after {
        (before, after)
    } else {
        (after, before)
    };
    let mut between: Vec<&Session> = sessions
        .iter()
        .filter(|s| s.performed_on.is_some_and(|d| d >= from && d < to))
        .collect();
    between.sort_by_key(|s| s.performed_on);
    between
}

/// Who may open clinical photos: clinical staff always; the front desk (and admin) only when
/// the clinical lead has allowed it (setting `photos.front_desk_may_view`).
pub fn may_view_photos(role: Role, front_desk_allowed: bool) -> bool {
    match role {
        Role::ClinicalLead | Role::Practitioner => true,
        // Admin keeps the files and settings, not the clinical record: the same rule.
        Role::FrontDesk | Role::Admin => front_desk_allowed,
    }
}

/// What was done in each session between a before and an after, one line a session:
/// "Session 2, 3 Oct 2026: cheeks 1.00 mm × 3; serum Hyaluronic acid gel (lot HA-1)".
/// `areas_of` gives a session's treated areas, `serum_of` its serum's name and lot, `area_name`
/// an area's name.
pub fn treatments_between(
    sessions: &[&Session],
    areas_of: impl Fn(SessionId) -> Vec<super::treatment::SessionArea>,
    serum_of: impl Fn(&Session) -> Option<String>,
    area_name: impl Fn(&str) -> String,
) -> Vec<String> {
    sessions
        .iter()
        .map(|s| {
            let areas: Vec<String> = areas_of(s.id)
                .iter()
                .map(|a| format!("{} {} × {}", area_name(&a.area), a.depth, a.passes))
                .collect();
            let mut line = format!(
                "Session {}, {}",
                s.number,
                s.performed_on
                    .map(|d| d.format("%-d %b %Y").to_string())
                    .unwrap_or_default()
            );
            if !areas.is_empty() {
                line.push_str(": ");
                line.push_str(&areas.join(", "));
            }
            if let Some(serum) = serum_of(s) {
                line.push_str("; serum ");
                line.push_str(&serum);
            }
            line
        })
        .collect()
}
