//! The calendar dates a sheet prints, from the treatment or appointment date. Pure: every
//! function takes the dates it needs, never the clock.

use chrono::{Datelike, Duration, NaiveDate};

/// "Tuesday 24 November", with the year added when it differs from `reference`'s (a sheet
/// printed in late December counts into January).
pub fn day_phrase(date: NaiveDate, reference: NaiveDate) -> String {
    if date.year() == reference.year() {
        date.format("%A %-d %B").to_string()
    } else {
        long_date(date)
    }
}

/// "Tuesday 24 November 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// The last day an aftercare step applies: `until_day` days after the treatment day (day 0).
/// "No make-up for 3 days" after a Saturday treatment lasts until Tuesday.
pub fn aftercare_until(treated_on: NaiveDate, until_day: u16) -> NaiveDate {
    treated_on + Duration::days(i64::from(until_day))
}

/// "Until Tuesday 24 November".
pub fn until_phrase(treated_on: NaiveDate, until_day: u16) -> String {
    format!(
        "Until {}",
        day_phrase(aftercare_until(treated_on, until_day), treated_on)
    )
}

/// The days an aftercare phase covers: "Saturday 21 – Tuesday 24 November" (days `from_day` to
/// `to_day` after treatment).
pub fn phase_dates(treated_on: NaiveDate, from_day: u16, to_day: u16) -> String {
    let from = aftercare_until(treated_on, from_day);
    let to = aftercare_until(treated_on, to_day.max(from_day));
    if from == to {
        return day_phrase(from, treated_on);
    }
    let end = day_phrase(to, treated_on);
    let start = if from.year() != to.year() || to.year() != treated_on.year() {
        long_date(from)
    } else if from.month() == to.month() {
        from.format("%A %-d").to_string()
    } else {
        from.format("%A %-d %B").to_string()
    };
    format!("{start} – {end}")
}

/// The day a preparation step starts: `days_before` days before the appointment.
pub fn prep_from(appointment: NaiveDate, days_before: u16) -> NaiveDate {
    appointment - Duration::days(i64::from(days_before))
}

/// "From Thursday 3 December", or "On the day" for a step of the appointment day itself.
pub fn prep_phrase(appointment: NaiveDate, days_before: u16) -> String {
    if days_before == 0 {
        "On the day".to_owned()
    } else {
        format!(
            "From {}",
            day_phrase(prep_from(appointment, days_before), appointment)
        )
    }
}

/// Like [`prep_phrase`], for a sheet printed on `printed_on`: a step that would have started
/// before that day starts "From today" instead, so no step is dated in the past.
pub fn prep_phrase_printed(appointment: NaiveDate, days_before: u16, printed_on: NaiveDate) -> String {
    if days_before > 0 && prep_from(appointment, days_before) < printed_on && printed_on <= appointment {
        format!("From today, {}", day_phrase(printed_on, appointment))
    } else {
        prep_phrase(appointment, days_before)
    }
}

/// The same step before an appointment not booked yet: "10 days before", "On the day".
pub fn prep_relative(days_before: u16) -> String {
    match days_before {
        0 => "On the day".to_owned(),
        1 => "1 day before".to_owned(),
        n => format!("{n} days before"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn aftercare_counts_forward_from_the_treatment_day() {
        let saturday = d(2026, 11, 21);
        assert_eq!(until_phrase(saturday, 3), "Until Tuesday 24 November");
        assert_eq!(until_phrase(saturday, 1), "Until Sunday 22 November");
        assert_eq!(until_phrase(saturday, 14), "Until Saturday 5 December");
        assert_eq!(phase_dates(saturday, 0, 3), "Saturday 21 – Tuesday 24 November");
        assert_eq!(
            phase_dates(saturday, 0, 14),
            "Saturday 21 November – Saturday 5 December"
        );
        assert_eq!(phase_dates(saturday, 2, 2), "Monday 23 November");
    }

    #[test]
    fn preparation_counts_back_from_the_appointment() {
        let appointment = d(2026, 12, 13);
        assert_eq!(prep_phrase(appointment, 10), "From Thursday 3 December");
        assert_eq!(prep_phrase(appointment, 28), "From Sunday 15 November");
        assert_eq!(prep_phrase(appointment, 0), "On the day");
        assert_eq!(prep_relative(10), "10 days before");
        assert_eq!(prep_relative(1), "1 day before");
    }

    #[test]
    fn a_date_in_another_year_names_its_year() {
        let treated = d(2026, 12, 28);
        assert_eq!(until_phrase(treated, 7), "Until Monday 4 January 2027");
        assert_eq!(
            phase_dates(treated, 0, 7),
            "Monday 28 December 2026 – Monday 4 January 2027"
        );
        assert_eq!(prep_phrase(d(2027, 1, 5), 10), "From Saturday 26 December 2026");
        assert_eq!(long_date(treated), "Monday 28 December 2026");
    }
}
