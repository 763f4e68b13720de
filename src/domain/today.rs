//! The front desk's day: who is booked, who is due, who is overdue, whose deferral ends soon.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ClientId;

/// One line of the Today view; opening it opens the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayRow {
    pub client_id: ClientId,
    pub client_name: String,
    /// The date that matters for this row (booking, window end, deferral end).
    pub date: NaiveDate,
    /// What the row is about, e.g. "Session 2 of 3 · window 2026-11-18 to 2026-12-02".
    pub detail: String,
    /// The series session the row is about (due and overdue rows), to book it from the list.
    #[serde(default)]
    pub session_id: Option<super::SessionId>,
}

/// How far ahead "due this week" and "deferrals ending soon" look.
pub const DUE_DAYS_AHEAD: i64 = 7;
pub const DEFERRAL_DAYS_AHEAD: i64 = 14;
/// How long a review date stays listed after it passes (the desk's list, not a clinical rule).
pub const REVIEW_DAYS_LISTED_AFTER: i64 = 28;
/// The most rows a list holds; the total says how many there are in all.
pub const MAX_ROWS: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayList {
    pub rows: Vec<TodayRow>,
    /// All matching rows, of which at most [`MAX_ROWS`] are in `rows`.
    pub total: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayOverview {
    /// Sessions booked for today.
    pub booked_today: TodayList,
    /// Sessions not booked whose window is open now or opens within [`DUE_DAYS_AHEAD`] days.
    pub due_this_week: TodayList,
    /// Sessions past their latest date, not done, not booked ahead, in an active plan.
    pub overdue: TodayList,
    /// Clients whose latest screening defers them to a date within [`DEFERRAL_DAYS_AHEAD`] days.
    pub deferrals_ending: TodayList,
    /// Completed series whose review date (3 months after the last session) is within
    /// [`DUE_DAYS_AHEAD`] days, or passed less than [`REVIEW_DAYS_LISTED_AFTER`] days ago.
    pub reviews_due: TodayList,
}

/// When a booking is, as the desk says it: "today (2026-12-04)", "tomorrow (2026-12-05)",
/// "2026-12-09 (this week)", or the date alone further ahead (or behind).
pub fn booking_day(date: NaiveDate, today: NaiveDate) -> String {
    match (date - today).num_days() {
        0 => format!("today ({date})"),
        1 => format!("tomorrow ({date})"),
        2..=7 => format!("{date} (this week)"),
        _ => date.to_string(),
    }
}
