//! The series scheduler, by properties: dates strictly increase, intervals stay inside the
//! window unless overridden, and a late or early session moves the ones after it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::{Duration, NaiveDate};
use needlepoint::domain::series::{self, check_interval, slot_status, SeriesSpec, SlotStatus};
use needlepoint::domain::{DomainError, IntervalCheck, IntervalWindow};
use proptest::prelude::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn window_strategy() -> impl Strategy<Value = IntervalWindow> {
    (7u32..=90, 0u32..=60, 0u32..=60).prop_map(|(min, t, extra)| {
        let max = (min + t + extra).min(180);
        let target = (min + t).min(max);
        IntervalWindow::with_target(min, target, max).expect("valid window")
    })
}

fn start_strategy() -> impl Strategy<Value = NaiveDate> {
    (0i64..3650).prop_map(|d| date("2020-01-01") + Duration::days(d))
}

proptest! {
    #[test]
    fn planned_dates_strictly_increase_and_sit_in_the_window(
        start in start_strategy(), count in 1u32..=12, window in window_strategy()
    ) {
        let spec = SeriesSpec::new(start, count, window).expect("spec");
        let slots = series::plan(&spec, &[]);
        prop_assert_eq!(slots.len(), count as usize);
        prop_assert_eq!(slots[0].target, start);
        for pair in slots.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            prop_assert!(b.target > a.target);
            prop_assert!(b.earliest <= b.target && b.target <= b.latest);
            let gap = (b.target - a.target).num_days();
            prop_assert!(gap >= i64::from(window.min_days()) && gap <= i64::from(window.max_days()));
            prop_assert_eq!((b.earliest - a.target).num_days(), i64::from(window.min_days()));
            prop_assert_eq!((b.latest - a.target).num_days(), i64::from(window.max_days()));
        }
    }

    #[test]
    fn a_late_or_early_session_moves_every_later_one(
        start in start_strategy(), count in 2u32..=8, window in window_strategy(),
        which in 0usize..7, shift in -20i64..=40
    ) {
        let spec = SeriesSpec::new(start, count, window).expect("spec");
        let before = series::plan(&spec, &[]);
        let k = which % (count as usize - 1);
        // Sessions before k done on target; session k done `shift` days off target.
        let mut done: Vec<(u8, NaiveDate)> = before[..k].iter().map(|s| (s.number, s.target)).collect();
        let actual = before[k].target + Duration::days(shift);
        done.push((before[k].number, actual));
        let after = series::plan(&spec, &done);
        prop_assert_eq!(after[k].done_on, Some(actual));
        for (old, new) in before.iter().zip(&after).skip(k + 1) {
            prop_assert_eq!((new.target - old.target).num_days(), shift);
            prop_assert_eq!((new.earliest - old.earliest).num_days(), shift);
            prop_assert_eq!((new.latest - old.latest).num_days(), shift);
        }
        // The next session counts from the actual date.
        let next = &after[k + 1];
        prop_assert_eq!((next.earliest - actual).num_days(), i64::from(window.min_days()));
        // Sessions already done keep their windows.
        for (old, new) in before.iter().zip(&after).take(k) {
            prop_assert_eq!(old.target, new.target);
        }
    }

    #[test]
    fn an_interval_below_the_minimum_needs_a_written_reason(
        window in window_strategy(), prev in start_strategy(), days in 1i64..200
    ) {
        let proposed = prev + Duration::days(days);
        let plain = check_interval(prev, proposed, &window, None);
        let blank = check_interval(prev, proposed, &window, Some("   "));
        let reasoned = check_interval(prev, proposed, &window, Some("Client travelling abroad"));
        if days < i64::from(window.min_days()) {
            let refused = matches!(plain, Err(DomainError::IntervalTooShort { .. }));
            prop_assert!(refused);
            let blank_refused = matches!(blank, Err(DomainError::IntervalTooShort { .. }));
            prop_assert!(blank_refused);
            let overridden = matches!(reasoned, Ok(IntervalCheck::EarlyOverridden { .. }));
            prop_assert!(overridden);
        } else if days > i64::from(window.max_days()) {
            let late = matches!(plain, Ok(IntervalCheck::Late { .. }));
            prop_assert!(late);
        } else {
            prop_assert_eq!(plain, Ok(IntervalCheck::Within));
        }
    }
}

#[test]
fn the_default_series_is_three_sessions_four_to_six_weeks_apart() {
    let spec = SeriesSpec::new(date("2026-11-22"), 3, IntervalWindow::default()).expect("spec");
    let slots = series::plan(&spec, &[]);
    let targets: Vec<String> = slots.iter().map(|s| s.target.to_string()).collect();
    assert_eq!(targets, ["2026-11-22", "2026-12-20", "2027-01-17"]);
    assert_eq!(slots[1].latest, date("2027-01-03"));
}

#[test]
fn a_late_second_session_pushes_the_third() {
    let spec = SeriesSpec::new(date("2026-01-05"), 3, IntervalWindow::default()).expect("spec");
    let slots = series::plan(&spec, &[(1, date("2026-01-05")), (2, date("2026-02-16"))]);
    assert_eq!(slots[2].earliest, date("2026-03-16"));
    assert_eq!(slots[2].latest, date("2026-03-30"));
}

#[test]
fn out_of_range_series_are_refused_with_a_message() {
    let e = SeriesSpec::new(date("2026-11-22"), 13, IntervalWindow::default()).expect_err("too many");
    assert!(e.to_string().contains("between 1 and 12"), "{e}");
    assert!(SeriesSpec::new(date("2026-11-22"), 0, IntervalWindow::default()).is_err());
    assert!(IntervalWindow::new(42, 28).is_err());
    assert!(IntervalWindow::new(3, 28).is_err());
    let e = check_interval(
        date("2026-11-22"),
        date("2026-11-22"),
        &IntervalWindow::default(),
        Some("x"),
    );
    assert!(matches!(e, Err(DomainError::DateBeforePrevious { .. })));
}

#[test]
fn slot_status_on_a_given_day() {
    let spec = SeriesSpec::new(date("2026-09-01"), 3, IntervalWindow::default()).expect("spec");
    let slots = series::plan(&spec, &[(1, date("2026-09-01"))]);
    let second = &slots[1]; // window 2026-09-29 .. 2026-10-13
    assert_eq!(slot_status(&slots[0], None, date("2026-11-22")), SlotStatus::Done);
    assert_eq!(
        slot_status(second, None, date("2026-09-28")),
        SlotStatus::Upcoming
    );
    assert_eq!(slot_status(second, None, date("2026-09-29")), SlotStatus::Due);
    assert_eq!(slot_status(second, None, date("2026-10-13")), SlotStatus::Due);
    assert_eq!(slot_status(second, None, date("2026-10-14")), SlotStatus::Overdue);
    assert_eq!(
        slot_status(second, Some(date("2026-10-20")), date("2026-10-14")),
        SlotStatus::Booked
    );
}
