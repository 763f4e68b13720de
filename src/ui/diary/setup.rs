//! Settings, Diary: rooms, pens, working hours and closed days as typed, and saving them.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::diary::{parse_clock, TimeSpan, WorkingHours};
use crate::domain::StaffId;
use crate::ui::action::Event;
use crate::ui::desk::Desk;

use super::DiaryAction;

#[derive(Debug, Clone, Default)]
pub(crate) struct DiarySetup {
    pub room_name: String,
    pub pen_name: String,
    /// Each person's week as typed: "08:30-18:00" or empty, Monday first.
    pub hours: HashMap<StaffId, [String; 7]>,
    pub closure_day: String,
    pub closure_reason: String,
    /// Each treatment's default length as typed: (code, name, minutes).
    pub durations: Vec<(String, String, String)>,
    /// Months a consent stays in force, as typed.
    pub renewal_months: String,
    pub error: Option<String>,
}

/// "08:30-18:00" (or with "–") as a span.
fn parse_hours(text: &str) -> Result<TimeSpan, String> {
    let (from, to) = text
        .split_once(['-', '–'])
        .ok_or_else(|| format!("\"{text}\" is not working hours. Write them as 08:30-18:00."))?;
    let (from, to) = (
        parse_clock(from).map_err(|e| e.to_string())?,
        parse_clock(to).map_err(|e| e.to_string())?,
    );
    if to <= from {
        return Err(format!("\"{text}\": the hours end before they start."));
    }
    Ok(TimeSpan {
        start: from,
        minutes: to - from,
    })
}

impl DiarySetup {
    /// Shows the stored hours, unless the person's row is being edited.
    pub fn load_hours(&mut self, hours: &[WorkingHours]) {
        let mut weeks: HashMap<StaffId, [String; 7]> = HashMap::new();
        for h in hours {
            let week = weeks.entry(h.staff).or_default();
            if let Some(cell) = week.get_mut(usize::from(h.weekday.saturating_sub(1))) {
                *cell = h.span.words().replace('–', "-");
            }
        }
        self.hours = weeks;
    }

    /// The catalogue's lengths as (code, name, minutes typed).
    pub fn load_durations(&mut self, treatments: &[crate::domain::TreatmentType]) {
        self.durations = treatments
            .iter()
            .map(|t| (t.code.clone(), t.name.clone(), t.minutes.to_string()))
            .collect();
    }

    pub fn apply(&mut self, action: DiaryAction, desk: &mut Desk) -> Option<Event> {
        let actor = desk.actor();
        self.error = None;
        let result = match action {
            DiaryAction::AddRoom => {
                let name = self.room_name.clone();
                desk.store
                    .write(&actor, |w| w.add_room(&name).map(|_| ()))
                    .map(|()| {
                        self.room_name.clear();
                        format!("Room \"{}\" added.", name.trim())
                    })
            }
            DiaryAction::AddPen => {
                let name = self.pen_name.clone();
                desk.store
                    .write(&actor, |w| w.add_device(&name).map(|_| ()))
                    .map(|()| {
                        self.pen_name.clear();
                        format!("Pen \"{}\" added.", name.trim())
                    })
            }
            DiaryAction::SaveHours(who) => {
                let typed = self.hours.get(&who).cloned().unwrap_or_default();
                let mut week = Vec::new();
                for (i, cell) in typed.iter().enumerate() {
                    if cell.trim().is_empty() {
                        continue;
                    }
                    match parse_hours(cell.trim()) {
                        Ok(span) => week.push((u8::try_from(i + 1).unwrap_or(1), span)),
                        Err(e) => {
                            self.error = Some(e);
                            return None;
                        }
                    }
                }
                desk.store
                    .write(&actor, |w| w.set_working_hours(who, &week))
                    .map(|()| "Working hours saved.".to_owned())
            }
            DiaryAction::AddClosure => {
                let Ok(day) = NaiveDate::parse_from_str(self.closure_day.trim(), "%Y-%m-%d") else {
                    self.error = Some(format!(
                        "\"{}\" is not a date. Write it as year-month-day, for example 2026-12-25.",
                        self.closure_day.trim()
                    ));
                    return None;
                };
                let reason = self.closure_reason.clone();
                desk.store
                    .write(&actor, |w| w.add_closure(day, &reason))
                    .map(|()| {
                        self.closure_day.clear();
                        self.closure_reason.clear();
                        format!("The clinic is marked closed on {day}.")
                    })
            }
            DiaryAction::SetRoomActive(id, active) => desk
                .store
                .write(&actor, |w| w.set_room_active(id, active))
                .map(|()| {
                    if active {
                        "The room is back in use."
                    } else {
                        "The room is retired."
                    }
                    .to_owned()
                }),
            DiaryAction::SetPenActive(id, active) => desk
                .store
                .write(&actor, |w| w.set_device_active(id, active))
                .map(|()| {
                    if active {
                        "The pen is back in use."
                    } else {
                        "The pen is retired."
                    }
                    .to_owned()
                }),
            DiaryAction::SaveDurations => {
                let mut lengths = Vec::new();
                for (code, name, typed) in &self.durations {
                    match crate::domain::diary::parse_minutes(typed) {
                        Ok(m) if m <= 480 => lengths.push((code.clone(), m)),
                        _ => {
                            self.error = Some(format!(
                                "{name}: \"{}\" is not a length. Enter minutes in 5-minute steps from 5 to 480.",
                                typed.trim()
                            ));
                            return None;
                        }
                    }
                }
                desk.store
                    .write(&actor, |w| {
                        for (code, minutes) in &lengths {
                            w.set_treatment_minutes(code, *minutes)?;
                        }
                        Ok(())
                    })
                    .map(|()| "The treatments' lengths are saved.".to_owned())
            }
            DiaryAction::SaveRenewal => {
                let months = match self.renewal_months.trim().parse::<u32>() {
                    Ok(m) if (1..=120).contains(&m) => m,
                    _ => {
                        self.error = Some(format!(
                            "\"{}\" is not a number of months. Enter 1 to 120, for example 12.",
                            self.renewal_months.trim()
                        ));
                        return None;
                    }
                };
                desk.store
                    .write(&actor, |w| {
                        w.set_setting(crate::store::RENEWAL_KEY, &months.to_string())
                    })
                    .map(|()| format!("A consent now stays in force for {months} months."))
            }
            _ => return None,
        };
        match result {
            Ok(done) => {
                desk.info(done);
                Some(Event::DataChanged)
            }
            Err(e) => {
                // What was typed stays for a retry.
                self.error = Some(e.to_string());
                None
            }
        }
    }
}
