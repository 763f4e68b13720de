//! "First free slots": where the next session can go inside its window, same practitioner first.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::diary::{
    clashes, outside_hours, weekday_number, Appointment, Closure, Placement, TimeSpan, WorkingHours,
};
use super::ids::{ClientId, DeviceId, RoomId, StaffId};

/// The day a person with no hours set is offered slots in (the diary's default day; the clinic
/// sets real hours per person in Settings, Diary).
pub const DEFAULT_DAY: TimeSpan = TimeSpan {
    start: 8 * 60 + 30,
    minutes: 9 * 60 + 30,
};
/// Suggestions start on the quarter hour: a desk books 10:15, not 10:05.
pub const SUGGESTION_STEP: u16 = 15;

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotSearch {
    pub client: ClientId,
    /// First and last day to look in (the series' window, after any deferral).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Earliest minute on the first day (now, when the first day is today).
    pub not_before: u16,
    pub minutes: u16,
    /// Practitioners in order of preference: the client's last practitioner first.
    pub practitioners: Vec<StaffId>,
    pub rooms: Vec<RoomId>,
    /// The pens to choose from; empty when the treatment needs none.
    pub devices: Vec<DeviceId>,
    pub needs_device: bool,
    /// How many suggestions per practitioner, and in all.
    pub per_practitioner: usize,
    pub total: usize,
}

/// The days' appointments, hours and closures the search reads.
pub struct DiaryFacts<'a> {
    /// Every appointment from `from` to `to`, any order.
    pub appointments: &'a [Appointment],
    pub hours: &'a [WorkingHours],
    pub closures: &'a [Closure],
}

/// The earliest free slots, the first practitioner's first, each with a free room (and pen).
/// A slot is free when nothing in the room, on the pen, for the client or the practitioner
/// overlaps it, and it is inside the practitioner's hours on a day the clinic is open.
pub fn first_free_slots(search: &SlotSearch, facts: &DiaryFacts<'_>) -> Vec<Placement> {
    let mut found = Vec::new();
    if search.rooms.is_empty() || (search.needs_device && search.devices.is_empty()) {
        return found;
    }
    let mut by_day: Vec<Appointment> = facts
        .appointments
        .iter()
        .filter(|a| a.holds().is_some())
        .cloned()
        .collect();
    by_day.sort_by_key(|a| a.day);
    for &practitioner in &search.practitioners {
        let mut theirs = 0;
        let mut day = search.from;
        while day <= search.to && theirs < search.per_practitioner && found.len() < search.total {
            let that_day =
                &by_day[by_day.partition_point(|a| a.day < day)..by_day.partition_point(|a| a.day <= day)];
            let hours = day_hours(practitioner, day, facts.hours);
            let earliest = if day == search.from { search.not_before } else { 0 };
            let mut start = round_up(hours.start.max(earliest));
            while start + search.minutes <= hours.end() {
                let span = TimeSpan {
                    start,
                    minutes: search.minutes,
                };
                if let Some(place) = free_place(search, practitioner, day, span, that_day, facts) {
                    found.push(place);
                    theirs += 1;
                    break; // one slot a day each: the desk sees a spread of days
                }
                start += SUGGESTION_STEP;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    found
}

fn round_up(minute: u16) -> u16 {
    minute.div_ceil(SUGGESTION_STEP) * SUGGESTION_STEP
}

/// A person's hours on `day`; the default day when they have none set at all, nothing (an
/// empty span) on a weekday they do not work.
fn day_hours(staff: StaffId, day: NaiveDate, hours: &[WorkingHours]) -> TimeSpan {
    let mut theirs = hours.iter().filter(|h| h.staff == staff).peekable();
    if theirs.peek().is_none() {
        return DEFAULT_DAY;
    }
    let weekday = weekday_number(day);
    theirs
        .find(|h| h.weekday == weekday)
        .map(|h| h.span)
        .unwrap_or(TimeSpan { start: 0, minutes: 0 })
}

fn free_place(
    search: &SlotSearch,
    practitioner: StaffId,
    day: NaiveDate,
    span: TimeSpan,
    that_day: &[Appointment],
    facts: &DiaryFacts<'_>,
) -> Option<Placement> {
    let devices: Vec<Option<DeviceId>> = if search.needs_device {
        search.devices.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    for &room in &search.rooms {
        for &device in &devices {
            let place = Placement {
                day,
                span,
                practitioner,
                room,
                device,
            };
            if outside_hours(&place, facts.hours, facts.closures).is_none()
                && clashes(&place, search.client, None, that_day).is_empty()
            {
                return Some(place);
            }
        }
    }
    None
}
