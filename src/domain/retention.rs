//! Which backups to keep: the newest backup of each of the last 7 days that have one, of each of
//! the last 4 weeks, and of each of the last 12 months (a grandfather-father-son rotation).
//! Days without a backup (a closed clinic, a holiday) never cost a kept backup. "Now" is a
//! parameter: backups dated after it (a clock set wrong) are always kept, and the newest backup
//! is always kept whatever the policy says.

use chrono::{DateTime, Datelike, Utc};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

impl Retention {
    /// The positions in `taken` (backup times, any order) of the backups to delete.
    /// Returned in ascending order of position.
    pub fn to_delete(&self, taken: &[DateTime<Utc>], now: DateTime<Utc>) -> Vec<usize> {
        let mut order: Vec<usize> = (0..taken.len()).collect();
        // Newest first; equal times by position, so the result does not depend on sort luck.
        order.sort_by(|&a, &b| taken[b].cmp(&taken[a]).then(a.cmp(&b)));
        let mut keep = vec![false; taken.len()];
        let mut days = HashSet::new();
        let mut weeks = HashSet::new();
        let mut months = HashSet::new();
        for (rank, &i) in order.iter().enumerate() {
            let t = taken[i];
            if t > now || rank == 0 {
                keep[i] = true;
            }
            if t > now {
                continue;
            }
            let day = t.date_naive();
            let week = (day.iso_week().year(), day.iso_week().week());
            let month = (day.year(), day.month());
            if !days.contains(&day) && days.len() < self.daily {
                days.insert(day);
                keep[i] = true;
            }
            if !weeks.contains(&week) && weeks.len() < self.weekly {
                weeks.insert(week);
                keep[i] = true;
            }
            if !months.contains(&month) && months.len() < self.monthly {
                months.insert(month);
                keep[i] = true;
            }
        }
        (0..taken.len()).filter(|&i| !keep[i]).collect()
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("time")
    }

    #[test]
    fn a_table_of_cases() {
        let now = at(2026, 11, 22, 12);
        let r = Retention::default();
        // (backups, expected deletions)
        let cases: Vec<(Vec<DateTime<Utc>>, Vec<usize>)> = vec![
            (vec![], vec![]),
            (vec![at(2026, 11, 22, 9)], vec![]),
            // Two on one day: the older one goes (the newest of the month/week is the same one).
            (vec![at(2026, 11, 22, 9), at(2026, 11, 22, 8)], vec![1]),
            // Same, in the other order.
            (vec![at(2026, 11, 22, 8), at(2026, 11, 22, 9)], vec![0]),
            // A backup in the future (clock wrong) is kept, and so is today's.
            (vec![at(2027, 1, 1, 0), at(2026, 11, 22, 9)], vec![]),
            // Very old backups beyond 12 months: only kept while few months have backups.
            (vec![at(2020, 1, 1, 0), at(2019, 1, 1, 0)], vec![]),
        ];
        for (taken, expected) in cases {
            assert_eq!(r.to_delete(&taken, now), expected, "{taken:?}");
        }
    }

    #[test]
    fn a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly() {
        let now = at(2026, 11, 22, 23);
        let taken: Vec<_> = (0..400)
            .map(|d| now - Duration::days(d) - Duration::hours(1))
            .collect();
        let delete = Retention::default().to_delete(&taken, now);
        let kept: Vec<_> = (0..taken.len()).filter(|i| !delete.contains(i)).collect();
        // 7 days; weeks beyond those days: up to 3 more; months beyond: up to 11 more.
        assert!(kept.len() <= 7 + 4 + 12, "{}", kept.len());
        assert!(kept.len() >= 12, "{}", kept.len());
        for d in 0..7 {
            assert!(kept.contains(&d), "day {d} kept");
        }
        // The oldest kept is about 11 months back, not 13.
        let oldest = kept.iter().map(|&i| taken[i]).min().expect("some");
        assert!(now - oldest < Duration::days(366), "{oldest}");
        assert!(now - oldest > Duration::days(300), "{oldest}");
    }

    #[test]
    fn a_closed_fortnight_does_not_cost_daily_backups() {
        let now = at(2026, 11, 22, 12);
        // Seven backups three weeks ago, nothing since.
        let taken: Vec<_> = (0..7).map(|d| at(2026, 10, 25, 9) - Duration::days(d)).collect();
        assert!(Retention::default().to_delete(&taken, now).is_empty());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn times() -> impl Strategy<Value = Vec<DateTime<Utc>>> {
            // Up to 3 years back, up to 3 days ahead, minute resolution.
            prop::collection::vec(-3 * 24 * 60..3 * 365 * 24 * 60i64, 0..120).prop_map(|mins| {
                let now = at(2026, 11, 22, 12);
                mins.into_iter().map(|m| now - Duration::minutes(m)).collect()
            })
        }

        proptest! {
            #[test]
            fn rotation_rules_hold(taken in times(), daily in 0usize..10, weekly in 0usize..6, monthly in 0usize..14) {
                let now = at(2026, 11, 22, 12);
                let r = Retention { daily, weekly, monthly };
                let delete = r.to_delete(&taken, now);
                // Positions are valid, ascending, unique.
                prop_assert!(delete.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(delete.iter().all(|&i| i < taken.len()));
                let kept: Vec<DateTime<Utc>> = (0..taken.len())
                    .filter(|i| !delete.contains(i))
                    .map(|i| taken[i])
                    .collect();
                // Never deletes everything; the newest stays.
                if let Some(newest) = taken.iter().max() {
                    prop_assert!(kept.contains(newest));
                }
                // Future-dated backups stay.
                for &i in &delete {
                    prop_assert!(taken[i] <= now);
                }
                // Bounded: at most one per slot, plus the future ones and the newest.
                let future = taken.iter().filter(|t| **t > now).count();
                prop_assert!(kept.len() <= daily + weekly + monthly + future + 1);
                // The newest backup of each of the newest `daily` days is kept.
                let mut past: Vec<_> = taken.iter().copied().filter(|t| *t <= now).collect();
                past.sort_by(|a, b| b.cmp(a));
                let mut days = Vec::new();
                for t in &past {
                    if !days.contains(&t.date_naive()) {
                        days.push(t.date_naive());
                        if days.len() <= daily {
                            prop_assert!(kept.contains(t), "newest of {} deleted", t.date_naive());
                        }
                    }
                }
                // Applying the rule again to what was kept deletes nothing more.
                prop_assert!(r.to_delete(&kept, now).is_empty());
            }
        }
    }
}
