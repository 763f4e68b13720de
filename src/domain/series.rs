//! The series scheduler: when each session of a series is due.
//!
//! A series has a number of sessions and an interval window between them (default 28–42 days).
//! Each session gets an earliest, target and latest date counted from the previous session —
//! from its actual date once it is done, so a late or early session moves the ones after it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// Days between two sessions: no sooner than `min`, ideally `target`, no later than `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalWindow {
    min_days: u16,
    target_days: u16,
    max_days: u16,
}

impl IntervalWindow {
    /// Shortest window a plan may set (weekly protocols exist for hair loss, evidence digest §4).
    pub const SHORTEST_DAYS: u16 = 7;
    /// Longest window a plan may set.
    pub const LONGEST_DAYS: u16 = 180;

    /// A window; the target is the minimum ("book at four weeks, at the latest by six").
    pub fn new(min_days: u32, max_days: u32) -> Result<Self, DomainError> {
        Self::with_target(min_days, min_days, max_days)
    }

    pub fn with_target(min_days: u32, target_days: u32, max_days: u32) -> Result<Self, DomainError> {
        let invalid = || DomainError::IntervalWindowInvalid {
            min: min_days,
            max: max_days,
            min_allowed: Self::SHORTEST_DAYS,
            max_allowed: Self::LONGEST_DAYS,
        };
        let allowed = u32::from(Self::SHORTEST_DAYS)..=u32::from(Self::LONGEST_DAYS);
        if !allowed.contains(&min_days) || !allowed.contains(&max_days) || min_days > max_days {
            return Err(invalid());
        }
        if !(min_days..=max_days).contains(&target_days) {
            return Err(invalid());
        }
        let to_u16 = |d: u32| u16::try_from(d).map_err(|_| invalid());
        Ok(Self {
            min_days: to_u16(min_days)?,
            target_days: to_u16(target_days)?,
            max_days: to_u16(max_days)?,
        })
    }

    pub fn min_days(&self) -> u16 {
        self.min_days
    }
    pub fn target_days(&self) -> u16 {
        self.target_days
    }
    pub fn max_days(&self) -> u16 {
        self.max_days
    }
}

impl Default for IntervalWindow {
    /// Four to six weeks, the clinics' convention (evidence digest §4, "General").
    fn default() -> Self {
        Self {
            min_days: 28,
            target_days: 28,
            max_days: 42,
        }
    }
}

/// How many sessions a series may have.
/// Months after a series' last session before its results are reviewed: "evaluate at least 3
/// months after the last session" (P14, evidence digest §4).
pub const REVIEW_AFTER_MONTHS: u32 = 3;

/// When a series whose last session was on `last_session` is reviewed (month ends clamp:
/// 30 November gives 28 February).
pub fn review_date(last_session: NaiveDate) -> NaiveDate {
    last_session
        .checked_add_months(chrono::Months::new(REVIEW_AFTER_MONTHS))
        .unwrap_or(last_session)
}

pub const MIN_SESSIONS: u8 = 1;
pub const MAX_SESSIONS: u8 = 12;
pub const DEFAULT_SESSIONS: u8 = 3;

/// A series: how many sessions, starting when, how far apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesSpec {
    pub start: NaiveDate,
    sessions: u8,
    pub window: IntervalWindow,
}

impl SeriesSpec {
    pub fn new(start: NaiveDate, sessions: u32, window: IntervalWindow) -> Result<Self, DomainError> {
        let sessions = u8::try_from(sessions)
            .ok()
            .filter(|n| (MIN_SESSIONS..=MAX_SESSIONS).contains(n))
            .ok_or(DomainError::SessionCountOutOfRange {
                entered: sessions,
                min: MIN_SESSIONS,
                max: MAX_SESSIONS,
            })?;
        Ok(Self {
            start,
            sessions,
            window,
        })
    }

    pub fn sessions(&self) -> u8 {
        self.sessions
    }
}

/// When one session of a series is due. Session numbers start at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSlot {
    pub number: u8,
    pub earliest: NaiveDate,
    pub target: NaiveDate,
    pub latest: NaiveDate,
    /// The actual date, once the session is done.
    pub done_on: Option<NaiveDate>,
}

impl SessionSlot {
    /// The date the next session counts from.
    fn anchor(&self) -> NaiveDate {
        self.done_on.unwrap_or(self.target)
    }
}

/// Every session's window for a series in which the sessions in `done` (number, actual date)
/// have taken place. The first session's window is its start date; each later one counts from
/// the previous session's actual date if done, else from its target.
pub fn plan(spec: &SeriesSpec, done: &[(u8, NaiveDate)]) -> Vec<SessionSlot> {
    let w = spec.window;
    let mut slots: Vec<SessionSlot> = Vec::with_capacity(usize::from(spec.sessions));
    for number in 1..=spec.sessions {
        let done_on = done.iter().find(|(n, _)| *n == number).map(|(_, d)| *d);
        let slot = match slots.last() {
            None => SessionSlot {
                number,
                earliest: spec.start,
                target: spec.start,
                latest: spec.start,
                done_on,
            },
            Some(previous) => {
                let from = previous.anchor();
                SessionSlot {
                    number,
                    earliest: from + Duration::days(i64::from(w.min_days)),
                    target: from + Duration::days(i64::from(w.target_days)),
                    latest: from + Duration::days(i64::from(w.max_days)),
                    done_on,
                }
            }
        };
        slots.push(slot);
    }
    slots
}

/// Where a proposed date falls against a session's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntervalCheck {
    /// Inside the window.
    Within,
    /// Before the window's minimum, accepted because a written reason was given.
    EarlyOverridden { days: i64, reason: String },
    /// After the window: allowed, but the gap should be noted.
    Late { days: i64, max_days: u16 },
}

/// Checks a date for the session after one on `previous`. Sooner than the window's minimum is
/// refused unless `override_reason` holds a written reason.
pub fn check_interval(
    previous: NaiveDate,
    proposed: NaiveDate,
    window: &IntervalWindow,
    override_reason: Option<&str>,
) -> Result<IntervalCheck, DomainError> {
    let days = (proposed - previous).num_days();
    if days <= 0 {
        return Err(DomainError::DateBeforePrevious {
            previous: previous.to_string(),
        });
    }
    if days < i64::from(window.min_days) {
        return match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(reason) => Ok(IntervalCheck::EarlyOverridden {
                days,
                reason: super::text::bounded("Reason", reason, super::text::limits::REASON)?,
            }),
            None => Err(DomainError::IntervalTooShort {
                days,
                min_days: window.min_days,
            }),
        };
    }
    if days > i64::from(window.max_days) {
        return Ok(IntervalCheck::Late {
            days,
            max_days: window.max_days,
        });
    }
    Ok(IntervalCheck::Within)
}

/// A session's standing on `today`, for timelines and the Today view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    Done,
    /// Booked for a date.
    Booked,
    /// Not yet in its window.
    Upcoming,
    /// Inside its window now.
    Due,
    /// Past its latest date but not yet given up.
    Overdue,
}

pub fn slot_status(slot: &SessionSlot, booked_on: Option<NaiveDate>, today: NaiveDate) -> SlotStatus {
    if slot.done_on.is_some() {
        SlotStatus::Done
    } else if booked_on.is_some_and(|d| d >= today) {
        SlotStatus::Booked
    } else if today > slot.latest {
        SlotStatus::Overdue
    } else if today >= slot.earliest {
        SlotStatus::Due
    } else {
        SlotStatus::Upcoming
    }
}
