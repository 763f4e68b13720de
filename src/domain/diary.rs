//! The appointment diary's words and rules: appointments with a time, a practitioner, a room and
//! a pen; their status through the day; and which other appointment a booking clashes with.
//! Times are minutes after midnight on the clinic's wall clock, in 5-minute steps.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::ids::{AppointmentId, ClientId, DeviceId, RoomId, SessionId, StaffId};

/// The diary's step: times and lengths are multiples of it.
pub const STEP_MINUTES: u16 = 5;
/// The longest appointment the diary takes.
pub const MAX_MINUTES: u16 = 720;
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// Where an appointment is in the day. The flow runs booked → arrived → screened → in
/// treatment → done; cancelled and no-show end it early, each with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AppointmentStatus {
    Booked,
    Arrived,
    Screened,
    InTreatment,
    Done,
    Cancelled,
    NoShow,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 7] = [
        Self::Booked,
        Self::Arrived,
        Self::Screened,
        Self::InTreatment,
        Self::Done,
        Self::Cancelled,
        Self::NoShow,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Arrived => "arrived",
            Self::Screened => "screened",
            Self::InTreatment => "in_treatment",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    /// As the desk says it, on the status chip.
    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "Booked",
            Self::Arrived => "Arrived",
            Self::Screened => "Screened",
            Self::InTreatment => "In treatment",
            Self::Done => "Done",
            Self::Cancelled => "Cancelled",
            Self::NoShow => "No-show",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Appointment status",
                entered: code.to_owned(),
            })
    }

    /// Whether the appointment still occupies its slot (a cancelled one or a no-show frees it).
    pub fn holds_slot(self) -> bool {
        !matches!(self, Self::Cancelled | Self::NoShow)
    }

    /// Done, cancelled or a no-show: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Cancelled | Self::NoShow)
    }

    /// The flow moves forward only (a step may be skipped: a client screened at an earlier
    /// visit goes from arrived to in treatment). Cancelling ends anything not final; a no-show
    /// is a booking nobody came to.
    pub fn may_become(self, to: AppointmentStatus) -> bool {
        if self.is_final() {
            return false;
        }
        match to {
            Self::Cancelled => true,
            Self::NoShow => self == Self::Booked,
            Self::Booked => false,
            _ => to > self,
        }
    }

    pub fn check_move(self, to: AppointmentStatus) -> Result<(), DomainError> {
        if self.may_become(to) {
            Ok(())
        } else {
            Err(DomainError::AppointmentStatusMove {
                from: self.label().to_lowercase(),
                to: to.label().to_lowercase(),
            })
        }
    }
}

/// What can be booked and for how long by default (the clinic's catalogue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentType {
    pub code: String,
    pub name: String,
    pub minutes: u16,
    /// A pen is booked with it.
    pub uses_device: bool,
}

/// A room or a pen: something two appointments cannot hold at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource<Id> {
    pub id: Id,
    pub name: String,
    pub active: bool,
}

pub type Room = Resource<RoomId>;
pub type Device = Resource<DeviceId>;

/// A stretch of one day: from `start` for `minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeSpan {
    pub start: u16,
    pub minutes: u16,
}

impl TimeSpan {
    pub fn end(self) -> u16 {
        self.start.saturating_add(self.minutes)
    }

    pub fn overlaps(self, other: TimeSpan) -> bool {
        self.start < other.end() && other.start < self.end()
    }

    /// "09:30–10:30".
    pub fn words(self) -> String {
        format!("{}–{}", clock(self.start), clock(self.end()))
    }
}

/// One appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    pub treatment: String,
    pub day: NaiveDate,
    /// None: not placed yet (a date booked before the diary); the desk is asked to place it.
    pub start: Option<u16>,
    pub minutes: u16,
    pub practitioner: Option<StaffId>,
    pub room: Option<RoomId>,
    pub device: Option<DeviceId>,
    pub status: AppointmentStatus,
    /// When the client arrived, on the clinic's clock ("09:34").
    pub arrived_at: Option<String>,
    /// Why it was cancelled or missed.
    pub status_reason: Option<String>,
    /// Why the practitioner is double-booked or booked outside their hours.
    pub override_reason: Option<String>,
    pub notes: String,
}

impl Appointment {
    pub fn span(&self) -> Option<TimeSpan> {
        self.start.map(|start| TimeSpan {
            start,
            minutes: self.minutes,
        })
    }

    /// Placed and still holding its slot.
    pub fn holds(&self) -> Option<TimeSpan> {
        self.span().filter(|_| self.status.holds_slot())
    }

    /// Where and when it is, and with whom: what another desk's change to it would alter.
    pub fn same_place_and_status(&self, other: &Appointment) -> bool {
        (self.day, self.start, self.minutes) == (other.day, other.start, other.minutes)
            && (self.practitioner, self.room, self.device) == (other.practitioner, other.room, other.device)
            && self.status == other.status
    }

    /// Already at `place`: a move there changes nothing.
    pub fn is_at(&self, place: &Placement) -> bool {
        self.day == place.day
            && self.span() == Some(place.span)
            && self.practitioner == Some(place.practitioner)
            && self.room == Some(place.room)
            && self.device == place.device
    }
}

/// Where and when a booking goes: what the store checks for clashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub day: NaiveDate,
    pub span: TimeSpan,
    pub practitioner: StaffId,
    pub room: RoomId,
    pub device: Option<DeviceId>,
}

/// A new appointment, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    pub treatment: String,
    pub place: Placement,
    pub notes: String,
    /// Given when the practitioner is double-booked or outside their hours.
    pub override_reason: Option<String>,
    /// Why a series session is booked outside its interval (kept on the session).
    #[serde(default)]
    pub interval_reason: Option<String>,
}

/// What an appointment would be in the way of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClashKind {
    Room,
    Device,
    Client,
    /// Allowed with a written reason (a practitioner supervising two rooms, a short review).
    Practitioner,
}

impl ClashKind {
    /// Whether a written reason lets the booking through.
    pub fn may_override(self) -> bool {
        self == ClashKind::Practitioner
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clash {
    pub kind: ClashKind,
    pub with: AppointmentId,
    pub span: TimeSpan,
}

/// Every appointment `place` would clash with, for `client` (leaving `moving` itself out).
/// A practitioner overlap with an appointment that itself carries an override is no clash:
/// the two were allowed together once already.
pub fn clashes(
    place: &Placement,
    client: ClientId,
    moving: Option<AppointmentId>,
    day: &[Appointment],
) -> Vec<Clash> {
    let mut found = Vec::new();
    for other in day {
        if Some(other.id) == moving || other.day != place.day {
            continue;
        }
        let Some(span) = other.holds().filter(|s| s.overlaps(place.span)) else {
            continue;
        };
        let mut add = |kind| {
            found.push(Clash {
                kind,
                with: other.id,
                span,
            })
        };
        if other.room == Some(place.room) {
            add(ClashKind::Room);
        }
        if place.device.is_some() && other.device == place.device {
            add(ClashKind::Device);
        }
        if other.client_id == client {
            add(ClashKind::Client);
        }
        if other.practitioner == Some(place.practitioner) && other.override_reason.is_none() {
            add(ClashKind::Practitioner);
        }
    }
    found
}

/// A person's hours on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub staff: StaffId,
    /// 1 Monday … 7 Sunday.
    pub weekday: u8,
    pub span: TimeSpan,
}

/// A day the clinic is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub day: NaiveDate,
    pub reason: String,
}

/// Why a time is outside someone's working day (needs a reason to book anyway).
pub fn outside_hours(place: &Placement, hours: &[WorkingHours], closures: &[Closure]) -> Option<String> {
    if let Some(closed) = closures.iter().find(|c| c.day == place.day) {
        return Some(format!(
            "the clinic is closed on {} ({})",
            place.day, closed.reason
        ));
    }
    let theirs: Vec<&WorkingHours> = hours.iter().filter(|h| h.staff == place.practitioner).collect();
    if theirs.is_empty() {
        return None; // no hours set for this person: not checked
    }
    let weekday = weekday_number(place.day);
    match theirs.iter().find(|h| h.weekday == weekday) {
        None => Some(format!("they do not work on {}s", place.day.format("%A"))),
        Some(h) if place.span.start < h.span.start || place.span.end() > h.span.end() => {
            Some(format!("their hours that day are {}", h.span.words()))
        }
        Some(_) => None,
    }
}

/// 1 Monday … 7 Sunday.
pub fn weekday_number(day: NaiveDate) -> u8 {
    u8::try_from(day.weekday().number_from_monday()).unwrap_or(1)
}

/// "09:05" for 545.
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Reads "9:30", "09:30" or "0930" as minutes after midnight, on the diary's 5-minute step.
pub fn parse_clock(text: &str) -> Result<u16, DomainError> {
    let t = text.trim();
    let unreadable = || DomainError::TimeNotReadable {
        entered: t.to_owned(),
    };
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if t.len() == 4 => t.split_at(2),
        None => return Err(unreadable()),
    };
    let (Ok(h), Ok(m)) = (h.trim().parse::<u16>(), m.trim().parse::<u16>()) else {
        return Err(unreadable());
    };
    if h > 23 || m > 59 || m.to_string().len() > 2 {
        return Err(unreadable());
    }
    let minutes = h * 60 + m;
    if minutes % STEP_MINUTES != 0 {
        let below = minutes - minutes % STEP_MINUTES;
        return Err(DomainError::TimeNotOnStep {
            entered: clock(minutes),
            below: clock(below),
            above: clock((below + STEP_MINUTES).min(MINUTES_PER_DAY - STEP_MINUTES)),
        });
    }
    Ok(minutes)
}

/// Reads a length in minutes (5-minute steps, 5 to [`MAX_MINUTES`]).
pub fn parse_minutes(text: &str) -> Result<u16, DomainError> {
    let t = text.trim().trim_end_matches("min").trim();
    match t.parse::<u16>() {
        Ok(m) if (STEP_MINUTES..=MAX_MINUTES).contains(&m) && m % STEP_MINUTES == 0 => Ok(m),
        _ => Err(DomainError::DurationInvalid {
            entered: text.trim().to_owned(),
        }),
    }
}

/// The nearest 5-minute step to `minute` (for dragging on the grid), inside the day.
pub fn snap(minute: f32) -> u16 {
    let step = f32::from(STEP_MINUTES);
    let snapped = (minute / step).round() * step;
    let max = f32::from(MINUTES_PER_DAY - STEP_MINUTES);
    // In range 0..=1435 by the clamp, so the cast keeps the value.
    snapped.clamp(0.0, max) as u16
}

/// Checks a span fits the day.
pub fn check_span(span: TimeSpan) -> Result<(), DomainError> {
    if span.end() > MINUTES_PER_DAY {
        return Err(DomainError::PastMidnight);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_text_reads_and_refuses_what_a_desk_types() {
        assert_eq!(parse_clock("9:30"), Ok(570));
        assert_eq!(parse_clock("0930"), Ok(570));
        assert_eq!(parse_clock("14.05"), Ok(845));
        assert!(matches!(
            parse_clock("25:00"),
            Err(DomainError::TimeNotReadable { .. })
        ));
        assert!(matches!(
            parse_clock("half nine"),
            Err(DomainError::TimeNotReadable { .. })
        ));
        assert_eq!(
            parse_clock("09:32"),
            Err(DomainError::TimeNotOnStep {
                entered: "09:32".into(),
                below: "09:30".into(),
                above: "09:35".into()
            })
        );
    }

    #[test]
    fn the_flow_only_moves_forward_and_final_is_final() {
        use AppointmentStatus::*;
        assert!(Booked.may_become(Arrived));
        assert!(Arrived.may_become(InTreatment));
        assert!(!InTreatment.may_become(Arrived));
        assert!(!Arrived.may_become(NoShow));
        assert!(Screened.may_become(Cancelled));
        assert!(!Done.may_become(Cancelled));
        assert!(!Cancelled.may_become(Booked));
    }
}
