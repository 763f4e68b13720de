//! The demo clinic's diary: two rooms, two pens, three practitioners working 08:30–18:00 (one of
//! them Wednesday to Sunday), and
//! 12–20 appointments a day from two weeks back to two weeks ahead. Days to come book the series
//! sessions due (through the store's own booking, clash check and all) and consultations and
//! reviews; past days ended done, as a no-show or cancelled in realistic shares.

use chrono::{Duration, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;

use crate::domain::diary::{
    clock, weekday_number, Appointment, AppointmentStatus, Booking, Placement, TimeSpan,
};
use crate::domain::{Actor, AppointmentId, ClientId, DeviceId, RoomId, SessionId, StaffId};
use crate::store::{Store, StoreError, StoreResult};

const DAYS_BEFORE: i64 = 14;
const DAYS_AFTER: i64 = 14;
const OPENS: u16 = 8 * 60 + 30;
const CLOSES: u16 = 18 * 60;
/// The weekdays (1 Monday … 7 Sunday) each of the first three practitioners works.
const WEEKS: [&[u8]; 3] = [&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5], &[3, 4, 5, 6, 7]];

/// Fills the diary (a small demo clinic has a quieter one); returns how many appointments it
/// made.
pub(super) fn fill(
    store: &mut Store,
    team: &[Actor],
    today: NaiveDate,
    clients: usize,
    rng: &mut SmallRng,
) -> StoreResult<usize> {
    let Some(lead) = team.first().cloned() else {
        return Ok(0);
    };
    let practitioners: Vec<StaffId> = team.iter().take(3).filter_map(|a| a.staff).collect();
    let (rooms, pens) = setup(store, &lead, &practitioners)?;
    // Every day planned first, then written in one transaction (one commit, a small journal).
    let mut days = Vec::new();
    let mut chosen = std::collections::HashSet::new();
    for offset in -DAYS_BEFORE..=DAYS_AFTER {
        let day = today + Duration::days(offset);
        let weekday = weekday_number(day);
        let working: Vec<StaffId> = practitioners
            .iter()
            .zip(WEEKS)
            .filter(|(_, week)| week.contains(&weekday))
            .map(|(p, _)| *p)
            .collect();
        if working.is_empty() {
            continue;
        }
        let target = rng.random_range(12..=20).min((clients / 4).max(2));
        let due: Vec<(ClientId, SessionId)> = if day >= today {
            // Not one chosen for an earlier day (each is booked once).
            store
                .sessions_open_on(day, target * 4)?
                .into_iter()
                .filter(|(_, s)| !chosen.contains(s))
                .take(target)
                .collect()
        } else {
            Vec::new()
        };
        let others = store.clients_from(rng.random::<f64>(), target)?;
        let plan = day_plan(rng, day, &working, &rooms, &pens, &due, &others, target);
        chosen.extend(plan.iter().filter_map(|(b, _)| b.session_id));
        days.push((day, plan));
    }
    store.write(&lead, |w| {
        let mut made = 0;
        for (day, plan) in &days {
            for (booking, ended) in plan {
                let result = if *day >= today {
                    w.book(booking, today).map(Some)
                } else {
                    w.insert_past_appointment(&past(booking, *ended)).map(|()| None)
                };
                match result {
                    Ok(id) => {
                        made += 1;
                        // This morning's clients are in already.
                        if let (Some(id), true) =
                            (id, *day == today && booking.place.span.start < 10 * 60 + 30)
                        {
                            let arrived = clock(booking.place.span.start.saturating_sub(4));
                            w.set_appointment_status(id, AppointmentStatus::Arrived, None, &arrived)?;
                            if booking.session_id.is_none() {
                                w.set_appointment_status(id, AppointmentStatus::Done, None, &arrived)?;
                            }
                        }
                    }
                    // A client drawn twice the same hour: left out, as a desk would.
                    Err(StoreError::SlotTaken(_) | StoreError::NeedsReason(_) | StoreError::Refused(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(made)
    })
}

/// Rooms, pens and hours, unless the clinic has its own rooms already.
fn setup(
    store: &mut Store,
    lead: &Actor,
    practitioners: &[StaffId],
) -> StoreResult<(Vec<RoomId>, Vec<DeviceId>)> {
    if store.rooms()?.is_empty() {
        store.write(lead, |w| {
            w.add_room("Room 1")?;
            w.add_room("Room 2")?;
            w.add_device("Pen A")?;
            w.add_device("Pen B")?;
            for (who, week) in practitioners.iter().zip(WEEKS) {
                let day = TimeSpan {
                    start: OPENS,
                    minutes: CLOSES - OPENS,
                };
                let days: Vec<(u8, TimeSpan)> = week.iter().map(|d| (*d, day)).collect();
                w.set_working_hours(*who, &days)?;
            }
            Ok(())
        })?;
    }
    Ok((
        store
            .rooms()?
            .into_iter()
            .filter(|r| r.active)
            .map(|r| r.id)
            .collect(),
        store
            .devices()?
            .into_iter()
            .filter(|d| d.active)
            .map(|d| d.id)
            .collect(),
    ))
}

/// How a past appointment ended: mostly done, some no-shows and cancellations.
#[derive(Clone, Copy)]
enum Ended {
    Done(u16),
    NoShow,
    Cancelled,
}

/// The day's bookings, each at the next free time of its practitioner in a room (and with a
/// pen) no one else holds then.
#[allow(clippy::too_many_arguments)]
fn day_plan(
    rng: &mut SmallRng,
    day: NaiveDate,
    working: &[StaffId],
    rooms: &[RoomId],
    pens: &[DeviceId],
    due: &[(ClientId, SessionId)],
    others: &[ClientId],
    target: usize,
) -> Vec<(Booking, Ended)> {
    let mut next: Vec<u16> = working
        .iter()
        .map(|_| OPENS + 15 * rng.random_range(0..3))
        .collect();
    let mut taken: Vec<Placement> = Vec::new();
    let mut plan = Vec::new();
    let (mut due, mut others) = (due.iter(), others.iter());
    for k in 0..target * 2 {
        if plan.len() >= target {
            break;
        }
        let who = k % working.len();
        let series = rng.random_bool(0.6).then(|| due.next()).flatten();
        let (client, session, treatment, minutes) = match series {
            Some((client, session)) => (*client, Some(*session), "microneedling_face", 60),
            // Past days' treatments were booked before the diary knew their sessions.
            None => match (others.next(), rng.random_range(0..10)) {
                (Some(c), 0..=4) if due.len() == 0 => (*c, None, "microneedling_face", 60),
                (Some(c), 0..=6) => (*c, None, "consultation", 30),
                (Some(c), _) => (*c, None, "review", 15),
                (None, _) => continue,
            },
        };
        let start = next[who];
        let span = TimeSpan { start, minutes };
        if span.end() > CLOSES {
            continue;
        }
        next[who] = span.end() + 15 * rng.random_range(0..3);
        let free_room = rooms
            .iter()
            .find(|r| !taken.iter().any(|t| t.room == **r && t.span.overlaps(span)));
        let pen = if treatment.starts_with("microneedling") {
            match pens.iter().find(|p| {
                !taken
                    .iter()
                    .any(|t| t.device == Some(**p) && t.span.overlaps(span))
            }) {
                Some(p) => Some(*p),
                None => continue,
            }
        } else {
            None
        };
        let Some(room) = free_room else { continue };
        let place = Placement {
            day,
            span,
            practitioner: working[who],
            room: *room,
            device: pen,
        };
        taken.push(place.clone());
        let roll = rng.random_range(0..100);
        let ended = match roll {
            0..=4 => Ended::NoShow,
            5..=11 => Ended::Cancelled,
            _ => Ended::Done(start.saturating_sub(rng.random_range(0..4) * 5)),
        };
        plan.push((
            Booking {
                client_id: client,
                session_id: session,
                treatment: treatment.to_owned(),
                place,
                notes: String::new(),
                override_reason: None,
                interval_reason: None,
            },
            ended,
        ));
    }
    plan
}

fn past(b: &Booking, ended: Ended) -> Appointment {
    let (status, arrived_at, status_reason) = match ended {
        Ended::Done(at) => (AppointmentStatus::Done, Some(clock(at)), None),
        Ended::NoShow => (
            AppointmentStatus::NoShow,
            None,
            Some("Did not come; no answer on the phone".to_owned()),
        ),
        Ended::Cancelled => (
            AppointmentStatus::Cancelled,
            None,
            Some("Client unwell, asked to rebook".to_owned()),
        ),
    };
    Appointment {
        id: AppointmentId::new(),
        client_id: b.client_id,
        session_id: None,
        treatment: b.treatment.clone(),
        day: b.place.day,
        start: Some(b.place.span.start),
        minutes: b.place.span.minutes,
        practitioner: Some(b.place.practitioner),
        room: Some(b.place.room),
        device: b.place.device,
        status,
        arrived_at,
        status_reason,
        override_reason: None,
        notes: String::new(),
    }
}
