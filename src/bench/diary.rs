//! The diary's figures: the day view's frames with 3 columns × 20 appointments and 12 × 30, a
//! drag with the clash check every frame, saving a booking, and "first free slots". The bench
//! books its own days a year ahead (once per database), so the clinic's diary is not disturbed.

use std::path::Path;

use chrono::{Duration, NaiveDate};
use egui_kittest::kittest::Queryable;

use super::{figure, harness, time, BenchError, Figure};
use crate::domain::diary::{Booking, Placement, TimeSpan};
use crate::domain::free_slots::SlotSearch;
use crate::domain::{Actor, AppointmentStatus, RoomId, StaffId};
use crate::protocol::Protocol;
use crate::store::Store;

/// Days the bench books, this far after the measured "today".
const THREE_COLUMNS_IN: i64 = 365;
const TWELVE_COLUMNS_IN: i64 = 366;
const SAVES_IN: i64 = 367;

pub(super) fn figures(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    signer: &Actor,
    frame_budget: f64,
    progress: &mut impl FnMut(&str),
) -> Result<Vec<Figure>, BenchError> {
    let mut store = Store::open(db)?;
    let practitioners: Vec<StaffId> = store
        .staff()?
        .into_iter()
        .filter(|s| s.active && s.role.may(crate::domain::Act::Sign))
        .map(|s| s.id)
        .take(3)
        .collect();
    if practitioners.len() < 3 {
        return Err(BenchError::Setup(
            "the diary bench needs the demo team's three practitioners".to_owned(),
        ));
    }
    progress("diary: booking the bench's days");
    let rooms = bench_rooms(&mut store, signer)?;
    let three = today + Duration::days(THREE_COLUMNS_IN);
    let twelve = today + Duration::days(TWELVE_COLUMNS_IN);
    fill_day(
        &mut store,
        signer,
        today,
        three,
        &practitioners,
        &rooms[..3],
        20,
        25,
    )?;
    fill_day(&mut store, signer, today, twelve, &practitioners, &rooms, 30, 15)?;
    let mut out = Vec::new();
    progress("diary: booking save");
    out.push(booking_saves(&mut store, signer, today, &practitioners, &rooms)?);
    progress("diary: first free slots");
    out.push(free_slots(&store, today, &practitioners)?);
    drop(store);
    progress("diary: day view frames");
    out.push(day_frames(
        db,
        protocol,
        today,
        three,
        false,
        "diary frame, 3 columns × 20",
        frame_budget,
    )?);
    out.push(day_frames(
        db,
        protocol,
        today,
        twelve,
        true,
        "diary frame, 12 columns × 30",
        frame_budget,
    )?);
    progress("diary: drag with the clash check");
    out.push(drag_frames(db, protocol, today, twelve)?);
    Ok(out)
}

/// Twelve rooms (the demo's two and ten of the bench's own), made once.
fn bench_rooms(store: &mut Store, signer: &Actor) -> Result<Vec<RoomId>, BenchError> {
    let have = store.rooms()?.into_iter().filter(|r| r.active).count();
    if have < 12 {
        store.write(signer, |w| {
            for i in have..12 {
                w.add_room(&format!("Bench room {}", i + 1))?;
            }
            Ok(())
        })?;
    }
    Ok(store
        .rooms()?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.id)
        .take(12)
        .collect())
}

/// `per_room` appointments of `minutes` back to back in each room from 08:00, practitioners
/// taking turns (double-booked with a reason, as a clinic running a training day would).
#[allow(clippy::too_many_arguments)]
fn fill_day(
    store: &mut Store,
    signer: &Actor,
    today: NaiveDate,
    day: NaiveDate,
    practitioners: &[StaffId],
    rooms: &[RoomId],
    per_room: u16,
    minutes: u16,
) -> Result<(), BenchError> {
    let wanted = usize::from(per_room) * rooms.len();
    let booked = store
        .appointments_between(day, day)?
        .iter()
        .filter(|a| a.holds().is_some())
        .count();
    if booked >= wanted {
        return Ok(());
    }
    let clients = store.clients_from(0.3, wanted)?;
    store.write(signer, |w| {
        let mut next_client = clients.iter().cycle();
        for (r, room) in rooms.iter().enumerate() {
            for k in 0..per_room {
                let Some(client) = next_client.next() else { break };
                let booking = Booking {
                    client_id: *client,
                    session_id: None,
                    treatment: "consultation".to_owned(),
                    place: Placement {
                        day,
                        span: TimeSpan {
                            start: 8 * 60 + k * minutes,
                            minutes,
                        },
                        practitioner: practitioners[(r + usize::from(k)) % practitioners.len()],
                        room: *room,
                        device: None,
                    },
                    notes: String::new(),
                    override_reason: Some("Bench day".to_owned()),
                    interval_reason: None,
                };
                w.book(&booking, today)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// Booking one appointment (clash check, insert, audit, one commit), then cancelling it so the
/// next run finds the slot free again.
fn booking_saves(
    store: &mut Store,
    signer: &Actor,
    today: NaiveDate,
    practitioners: &[StaffId],
    rooms: &[RoomId],
) -> Result<Figure, BenchError> {
    let day = today + Duration::days(SAVES_IN);
    let clients = store.clients_from(0.6, 20)?;
    let mut samples = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        let booking = Booking {
            client_id: *client,
            session_id: None,
            treatment: "review".to_owned(),
            place: Placement {
                day,
                span: TimeSpan {
                    start: 9 * 60 + 15 * u16::try_from(i).unwrap_or(0),
                    minutes: 15,
                },
                practitioner: practitioners[0],
                room: rooms[0],
                device: None,
            },
            notes: String::new(),
            override_reason: Some("Bench".to_owned()),
            interval_reason: None,
        };
        let (took, id) = time(|| store.write(signer, |w| w.book(&booking, today)));
        samples.push(took);
        store.write(signer, |w| {
            w.set_appointment_status(id?, AppointmentStatus::Cancelled, Some("Bench"), "09:00")
        })?;
    }
    Ok(figure(
        "diary: save a booking",
        samples,
        20.0,
        "the day's appointments read inside BEGIN IMMEDIATE for the clash check, the insert and its audit row, one WAL commit",
    ))
}

/// The booking form's suggestions: two weeks of the clinic's diary, three practitioners.
fn free_slots(store: &Store, today: NaiveDate, practitioners: &[StaffId]) -> Result<Figure, BenchError> {
    let rooms: Vec<RoomId> = store
        .rooms()?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.id)
        .take(2)
        .collect();
    let devices: Vec<_> = store
        .devices()?
        .into_iter()
        .filter(|d| d.active)
        .map(|d| d.id)
        .collect();
    let clients = store.clients_from(0.5, 50)?;
    let mut samples = Vec::new();
    for client in clients {
        let search = SlotSearch {
            client,
            from: today,
            to: today + Duration::days(14),
            not_before: 9 * 60,
            minutes: 60,
            practitioners: practitioners.to_vec(),
            rooms: rooms.clone(),
            devices: devices.clone(),
            needs_device: true,
            per_practitioner: 3,
            total: 6,
        };
        let (took, found) = time(|| store.free_slots(&search));
        std::hint::black_box(found?.len());
        samples.push(took);
    }
    Ok(figure(
        "diary: first free slots",
        samples,
        10.0,
        "two weeks of appointments in one range read, then quarter-hour candidates checked in memory",
    ))
}

fn day_frames(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    day: NaiveDate,
    by_room: bool,
    name: &'static str,
    budget: f64,
) -> Result<Figure, BenchError> {
    let mut h = harness(Store::open(db)?, protocol, today);
    h.step();
    h.state_mut().show_diary_day_for_test(day, by_room);
    h.state_mut().wait_for_background_work();
    h.step();
    h.step();
    let mut samples = Vec::new();
    for i in 0..60 {
        // The pointer crossing the grid: hover and cursor changes each frame, as at the desk.
        h.hover_at(egui::pos2(
            100.0 + (i * 13 % 700) as f32,
            150.0 + (i * 29 % 500) as f32,
        ));
        let (took, ()) = time(|| h.step());
        samples.push(took);
    }
    Ok(figure(
        name,
        samples,
        budget,
        "painting every block of the day (text laid out from egui's cache) and one interaction area each",
    ))
}

fn drag_frames(
    db: &Path,
    protocol: &Protocol,
    today: NaiveDate,
    day: NaiveDate,
) -> Result<Figure, BenchError> {
    let mut h = harness(Store::open(db)?, protocol, today);
    h.step();
    h.state_mut().show_diary_day_for_test(day, true);
    h.state_mut().wait_for_background_work();
    h.step();
    h.step();
    let from = h
        .query_all_by_label_contains("Appointment 10:00")
        .next()
        .map(|n| n.rect().center())
        .ok_or_else(|| BenchError::Setup("the bench day has no 10:00 appointment to drag".to_owned()))?;
    h.drag_at(from);
    h.step();
    let mut samples = Vec::new();
    for i in 0..60 {
        h.hover_at(from + egui::vec2((i % 7) as f32 * 9.0, i as f32 * 3.0));
        let (took, ()) = time(|| h.step());
        samples.push(took);
    }
    // Let go outside the grid: nothing moves.
    h.drop_at(egui::pos2(5.0, 5.0));
    h.step();
    Ok(figure(
        "diary: drag, clash check per frame",
        samples,
        4.0,
        "the ghost's clash check against the day's 360 appointments each frame, and the frame itself",
    ))
}
