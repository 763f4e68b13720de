//! Turning a session's or screening's records and the protocol into what a sheet prints. Pure:
//! the records come in as values (see `gather.rs` for reading them), and every date is
//! computed from the treatment or appointment date, never the clock. Only texts the protocol
//! holds are printed; a gap in the evidence (`value: null`) is left out, never filled in.

use chrono::NaiveDate;

use super::dates::{long_date, phase_dates, prep_phrase_printed, prep_relative, until_phrase};
use super::model::{
    AftercareSheet, Clinic, NextAppointment, Note, Phase, PreparationSheet, Question, Reason, ScreeningSheet,
    Step,
};
use super::PrintError;
use crate::domain::{
    Client, ClientConcern, ClinicSettings, PaperSize, Product, Screening, Session, SessionArea,
    SessionStatus, TreatmentPlan,
};
use crate::protocol::model::{FollowUpKind, SignKind};
use crate::protocol::Protocol;

/// A session's records, as read from the store.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    pub clinic: ClinicSettings,
    pub client: Client,
    pub plan: TreatmentPlan,
    /// How many sessions the plan's series has.
    pub sessions_in_plan: usize,
    pub session: Session,
    /// What was treated (a done session) — empty before the session.
    pub areas: Vec<SessionArea>,
    /// The serum lot used, if any.
    pub serum: Option<Product>,
    /// The concerns the plan treats.
    pub concerns: Vec<ClientConcern>,
    /// The next open session of the series, if any.
    pub next: Option<Session>,
    /// A later session of the series is already done (this sheet is printed again afterwards).
    pub done_after: bool,
    /// The diary's time for the next session's booking and for this session's, when placed.
    pub next_time: Option<(NaiveDate, u16)>,
    pub own_time: Option<(NaiveDate, u16)>,
    pub printed_on: NaiveDate,
}

/// A screening's record, as read from the store.
#[derive(Debug, Clone)]
pub struct ScreeningFacts {
    pub clinic: ClinicSettings,
    pub client: Client,
    pub screening: Screening,
    pub printed_on: NaiveDate,
}

/// Typst's name for the paper.
pub fn paper_name(size: PaperSize) -> &'static str {
    match size {
        PaperSize::A4 => "a4",
        PaperSize::Letter => "us-letter",
    }
}

/// The letterhead; a sheet without the clinic's name would leave the client no one to call.
pub(super) fn clinic(settings: &ClinicSettings) -> Result<Clinic, PrintError> {
    if settings.name.trim().is_empty() {
        return Err(PrintError::NoClinicName);
    }
    // Every client sheet says "call the clinic": it must say how.
    if settings.phone.trim().is_empty() {
        return Err(PrintError::NoClinicPhone);
    }
    Ok(Clinic {
        name: settings.name.trim().to_owned(),
        address: settings
            .address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        phone: settings.phone.trim().to_owned(),
    })
}

fn session_line(f: &SessionFacts) -> String {
    format!(
        "Session {} of {} · {}",
        f.session.number, f.sessions_in_plan, f.plan.title
    )
}

/// The preparation steps, earliest first, dated back from `appointment` when it is booked;
/// none dated before `printed_on`.
fn preparation_steps(
    protocol: &Protocol,
    appointment: Option<NaiveDate>,
    printed_on: NaiveDate,
) -> Vec<Step> {
    let mut items: Vec<_> = protocol
        .care
        .preparation
        .iter()
        .filter_map(|i| i.text.value.as_ref().map(|t| (i.days_before, t)))
        .collect();
    // Earliest first; a step with no day given goes last.
    items.sort_by_key(|(days, _)| std::cmp::Reverse(days.map_or(-1, i32::from)));
    items
        .into_iter()
        .map(|(days, text)| Step {
            when: days.map(|d| match appointment {
                Some(on) => prep_phrase_printed(on, d, printed_on),
                None => prep_relative(d),
            }),
            text: text.clone(),
        })
        .collect()
}

/// A booking the sheet may name: after the treatment, not before the day the sheet is printed,
/// and in the session's window as the series now stands (or outside it with a written reason).
/// Anything else (a booking the treatment overtook, one missed) is to be booked again.
pub fn standing_booking(next: &Session, treated_on: NaiveDate, printed_on: NaiveDate) -> Option<NaiveDate> {
    next.booked_on.filter(|on| {
        next.status == SessionStatus::Booked
            && *on > treated_on
            && *on >= printed_on
            && ((next.earliest_on..=next.latest_on).contains(on) || next.interval_override_reason.is_some())
    })
}

/// "Sunday 13 December 2026 at 10:30" when the diary has the time for that day.
fn appointment_words(on: NaiveDate, time: Option<(NaiveDate, u16)>) -> String {
    match time.filter(|(day, _)| *day == on) {
        Some((_, minute)) => format!("{} at {}", long_date(on), crate::domain::diary::clock(minute)),
        None => long_date(on),
    }
}

fn next_appointment(
    next: &Session,
    protocol: &Protocol,
    treated_on: NaiveDate,
    printed_on: NaiveDate,
    time: Option<(NaiveDate, u16)>,
) -> NextAppointment {
    let booked = standing_booking(next, treated_on, printed_on);
    // The window to book in, from the day after the treatment and never in the past.
    let from = next
        .earliest_on
        .max(printed_on)
        .max(treated_on + chrono::Duration::days(1));
    NextAppointment {
        number: next.number,
        booked: booked.is_some(),
        date: match booked {
            Some(on) => appointment_words(on, time),
            None if from > next.latest_on => "as soon as you can".to_owned(),
            None => format!("between {} and {}", long_date(from), long_date(next.latest_on)),
        },
        preparation: preparation_steps(protocol, booked, printed_on),
    }
}

/// The aftercare sheet of a completed session. Refused for a session not done yet.
pub fn aftercare(f: &SessionFacts, protocol: &Protocol) -> Result<AftercareSheet, PrintError> {
    let client = f.client.details.full_name.clone();
    let treated_on = match (f.session.status, f.session.performed_on) {
        (SessionStatus::Done, Some(on)) => on,
        _ => {
            return Err(PrintError::NotCompleted {
                number: f.session.number,
                client,
            })
        }
    };
    // Only the lines for the regions treated: hair washing for a scalp, not make-up.
    let regions: Vec<crate::protocol::Region> = f
        .areas
        .iter()
        .filter_map(|a| protocol.area(&a.area).map(|x| x.region))
        .collect();
    let for_session = |i: &&crate::protocol::CareItem| {
        i.regions.is_empty() || i.regions.iter().any(|r| regions.contains(r))
    };
    let phases = protocol
        .care
        .aftercare
        .iter()
        .map(|phase| Phase {
            title: phase.title.clone(),
            dates: phase_dates(treated_on, phase.from_day, phase.to_day),
            steps: phase
                .items
                .iter()
                .filter(for_session)
                .filter_map(|i| {
                    i.text.value.as_ref().map(|text| Step {
                        when: i.until_day.map(|d| until_phrase(treated_on, d)),
                        text: text.clone(),
                    })
                })
                .collect(),
        })
        .filter(|p| !p.steps.is_empty())
        .collect();

    let serum_entry = f
        .serum
        .as_ref()
        .and_then(|p| p.serum.as_deref())
        .and_then(|id| protocol.serum(id));
    // The client's sheet carries client wording only: the clinician's notes and the products'
    // safety warnings (with their source ids) stay on screen and on the screening copy.
    let mut notes = Vec::new();
    let mut seen = Vec::new();
    for c in &f.concerns {
        if seen.contains(&c.concern.as_str()) {
            continue;
        }
        seen.push(c.concern.as_str());
        if let Some(entry) = protocol.concern(&c.concern) {
            if let Some(text) = &entry.client_note {
                notes.push(Note {
                    about: entry.name.clone(),
                    text: text.clone(),
                });
            }
        }
    }
    let signs = |kind: SignKind| -> Vec<String> {
        protocol
            .care
            .signs
            .iter()
            .filter(|s| s.kind == kind)
            .filter_map(|s| s.text.value.clone())
            .collect()
    };
    Ok(AftercareSheet {
        paper: paper_name(f.clinic.paper_size).to_owned(),
        clinic: clinic(&f.clinic)?,
        treated_on: long_date(treated_on),
        practitioner: f
            .session
            .practitioner
            .clone()
            .or_else(|| f.session.signed_by.clone())
            .unwrap_or_default(),
        session: session_line(f),
        areas: f
            .areas
            .iter()
            .map(|a| protocol.area_name(&a.area).to_owned())
            .collect(),
        serum: f.serum.as_ref().map(|p| match serum_entry {
            Some(s) if s.name != p.name => format!("{} ({})", p.name, s.name),
            _ => p.name.clone(),
        }),
        phases,
        notes,
        normal: signs(SignKind::Normal),
        call_us: signs(SignKind::Warning),
        // The last session: nothing open after it, and none done after it either.
        series_complete: f.next.is_none() && !f.done_after,
        review_on: (f.next.is_none() && !f.done_after)
            .then(|| long_date(crate::domain::series::review_date(treated_on))),
        next: f
            .next
            .as_ref()
            .map(|n| next_appointment(n, protocol, treated_on, f.printed_on, f.next_time)),
        printed_on: long_date(f.printed_on),
        protocol_version: protocol.version.clone(),
        client,
    })
}

/// The preparation sheet of a booked session, every step dated back from the appointment.
pub fn preparation(f: &SessionFacts, protocol: &Protocol) -> Result<PreparationSheet, PrintError> {
    let client = f.client.details.full_name.clone();
    let appointment = match (f.session.status, f.session.booked_on) {
        (SessionStatus::Booked, Some(on)) if on < f.printed_on => {
            return Err(PrintError::BookingPassed {
                number: f.session.number,
                client,
                on: long_date(on),
            })
        }
        (SessionStatus::Booked, Some(on)) => on,
        (status, _) => {
            return Err(PrintError::NotBooked {
                number: f.session.number,
                client,
                status: status.code(),
            })
        }
    };
    Ok(PreparationSheet {
        paper: paper_name(f.clinic.paper_size).to_owned(),
        clinic: clinic(&f.clinic)?,
        appointment: appointment_words(appointment, f.own_time),
        session: session_line(f),
        areas: f
            .plan
            .areas
            .iter()
            .map(|a| protocol.area_name(&a.area).to_owned())
            .collect(),
        steps: preparation_steps(protocol, Some(appointment), f.printed_on),
        printed_on: long_date(f.printed_on),
        protocol_version: protocol.version.clone(),
        client,
    })
}

/// A copy of a signed screening: every question with its answer, the outcome and each reason.
pub fn screening(f: &ScreeningFacts, protocol: &Protocol) -> Result<ScreeningSheet, PrintError> {
    let s = &f.screening;
    let client = f.client.details.full_name.clone();
    let (Some(signed_by), Some(signed_at)) = (&s.signed_by, s.signed_at) else {
        return Err(PrintError::NotSigned {
            date: s.screened_on.to_string(),
            client,
        });
    };
    let contraindication = |id: &str| {
        protocol
            .contraindication(id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    };
    let questions = protocol
        .intake_questions
        .iter()
        .map(|q| {
            let answer = s.answers.get(&q.id);
            let mut details = Vec::new();
            if let Some(a) = answer {
                // Each entry of an answer that takes several is listed on its own.
                for (i, entry) in a.entries().iter().enumerate() {
                    let mut lines = Vec::new();
                    if !entry.conditions.is_empty() {
                        let names: Vec<String> =
                            entry.conditions.iter().map(|c| contraindication(c)).collect();
                        lines.push(format!("About: {}", names.join(", ")));
                    }
                    for (key, value) in &entry.details {
                        let follow_up = q.follow_ups.iter().find(|f| &f.id == key);
                        let label = follow_up.map_or(key.as_str(), |f| f.label.as_str());
                        let shown = match follow_up.map(|f| f.kind) {
                            Some(FollowUpKind::Area) => protocol.area_name(value).to_owned(),
                            _ => value.clone(),
                        };
                        lines.push(format!("{label}: {shown}"));
                    }
                    if i > 0 && !lines.is_empty() {
                        lines[0] = format!("Entry {}: {}", i + 1, lines[0]);
                    }
                    details.extend(lines);
                }
            }
            Question {
                number: q.number,
                text: q.text.clone(),
                answer: match answer {
                    // An open question's answer is its words, listed under it.
                    Some(_) if q.open => "",
                    Some(a) if a.yes => "Yes",
                    Some(_) => "No",
                    None if q.id == crate::protocol::screening::AGE_QUESTION => "By date of birth",
                    None => "Not answered",
                }
                .to_owned(),
                details,
            }
        })
        .collect();
    let mut outcome = s.outcome.kind.to_string();
    if let Some(until) = s.outcome.defer_until {
        outcome.push_str(&format!(" until {}", long_date(until)));
    }
    let area_names = |areas: &[String]| -> Vec<String> {
        areas.iter().map(|a| protocol.area_name(a).to_owned()).collect()
    };
    Ok(ScreeningSheet {
        paper: paper_name(f.clinic.paper_size).to_owned(),
        clinic: clinic(&f.clinic)?,
        born: f.client.details.date_of_birth.format("%-d %B %Y").to_string(),
        screened_on: long_date(s.screened_on),
        planned_areas: area_names(&s.planned_areas),
        questions,
        outcome,
        excluded_areas: area_names(&s.outcome.excluded_areas),
        reasons: s
            .outcome
            .findings
            .iter()
            .map(|finding| {
                let mut evidence = format!("Sources {} ({})", finding.sources.join(", "), finding.tier);
                if let Some(d) = &finding.disagreement {
                    evidence.push_str(&format!("; sources disagree: {d}"));
                }
                let mut message = finding.message.clone();
                if let Some(area) = &finding.area {
                    message.push_str(&format!(" (area: {})", protocol.area_name(area)));
                }
                Reason {
                    kind: finding.kind.to_string(),
                    message,
                    evidence,
                }
            })
            .collect(),
        clearances: s
            .clearances
            .iter()
            .map(|c| format!("{}: cleared by {}", contraindication(&c.rule), c.described()))
            .collect(),
        signed_by: signed_by.clone(),
        signed_at: signed_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        amendment: s.amendment_reason.clone(),
        printed_on: long_date(f.printed_on),
        protocol_version: s.protocol_version.clone(),
        client,
    })
}
