//! The diary's actions that write or open a form: booking, moving, the day's status flow,
//! cancelling with a reason (and the offer to rebook), the printed day list and reminders.

use crate::domain::diary::{clock, AppointmentStatus};
use crate::domain::{AppointmentId, ClientId, SessionId};
use crate::store::StoreError;
use crate::ui::action::{Action, Event};
use crate::ui::desk::Desk;
use crate::ui::screening::ScreeningAction;
use crate::ui::sessions::SessionsAction;

use super::booking::BookingForm;
use super::{DiaryAction, DiaryArea, DiaryDialog, Dropped};

impl DiaryArea {
    pub(super) fn apply_flow(&mut self, action: DiaryAction, desk: &mut Desk) -> Option<Event> {
        match action {
            DiaryAction::NewBooking { column, minute } => {
                let columns = self.columns(desk);
                let col = columns.get(column);
                let day = col.map_or(self.day, |c| c.day);
                let form = BookingForm::at(
                    day,
                    minute,
                    col.and_then(|c| c.practitioner),
                    col.and_then(|c| c.room),
                    &self.data,
                );
                self.dialog = Some(DiaryDialog::Booking(Box::new(form)));
                None
            }
            DiaryAction::BookSession { client, session } => {
                self.open_session_booking(desk, client, session, None);
                None
            }
            DiaryAction::Drop { what, column, minute } => {
                match what {
                    Dropped::Due { client, session } => {
                        self.open_session_booking(desk, client, session, Some((column, minute)))
                    }
                    Dropped::ToPlace(id) => self.open_placing(desk, id, column, minute),
                }
                None
            }
            DiaryAction::Move { id, place } => {
                let today = desk.today;
                let seen = self.entry(id).map(|e| e.appointment.clone())?;
                let keep = seen.override_reason.clone();
                let actor = desk.actor();
                let result = desk.store.write(&actor, |w| {
                    w.move_appointment(&seen, &place, keep.as_deref(), today)
                });
                match result {
                    Ok(()) => {
                        desk.info(format!("Moved to {} {}.", place.day, place.span.words()));
                        Some(Event::DataChanged)
                    }
                    Err(StoreError::NeedsReason(why)) => {
                        // The form asks for the reason, with the new place filled in.
                        if let Some(entry) = self.entry(id).cloned() {
                            let mut form = BookingForm::at(
                                place.day,
                                place.span.start,
                                Some(place.practitioner),
                                Some(place.room),
                                &self.data,
                            );
                            form.placing = Some(Box::new(entry.appointment.clone()));
                            form.client = Some((entry.appointment.client_id, entry.client_name));
                            form.treatment = entry.appointment.treatment;
                            form.minutes = place.span.minutes.to_string();
                            form.device = place.device;
                            form.notes = entry.appointment.notes;
                            form.needs_reason = Some(why);
                            self.dialog = Some(DiaryDialog::Booking(Box::new(form)));
                        }
                        None
                    }
                    Err(e) => {
                        desk.fail(&e);
                        Some(Event::DataChanged)
                    }
                }
            }
            DiaryAction::SetStatus { id, to } => {
                let now = clock(desk.clock_minute());
                let actor = desk.actor();
                match desk
                    .store
                    .write(&actor, |w| w.set_appointment_status(id, to, None, &now))
                {
                    Ok(()) => {
                        let who = self.entry(id).map(|e| e.client_name.clone()).unwrap_or_default();
                        desk.info(match to {
                            AppointmentStatus::Arrived => format!("{who} arrived at {now}."),
                            other => format!("{who}: {}.", other.label().to_lowercase()),
                        });
                        Some(Event::DataChanged)
                    }
                    Err(e) => {
                        desk.fail(&e);
                        None
                    }
                }
            }
            DiaryAction::AskReason { id, to } => {
                self.dialog = Some(DiaryDialog::Reason {
                    id,
                    to,
                    reason: String::new(),
                    error: None,
                });
                None
            }
            DiaryAction::SubmitReason => self.submit_reason(desk),
            DiaryAction::PickSuggestion(i) => {
                if let Some(DiaryDialog::Booking(form)) = &mut self.dialog {
                    form.pick(i);
                }
                None
            }
            DiaryAction::SubmitBooking => self.submit_booking(desk),
            DiaryAction::Screen(id) => {
                let client = self.entry(id)?.appointment.client_id;
                Some(Event::Then(vec![
                    Action::OpenClient(client),
                    Action::Screening(ScreeningAction::Start),
                ]))
            }
            DiaryAction::StartSession(id) => {
                let a = &self.entry(id)?.appointment;
                match a.session_id {
                    Some(session) => Some(Event::Then(vec![
                        Action::OpenClient(a.client_id),
                        Action::Sessions(SessionsAction::Start(session)),
                    ])),
                    None => self.apply_flow(
                        DiaryAction::SetStatus {
                            id,
                            to: AppointmentStatus::InTreatment,
                        },
                        desk,
                    ),
                }
            }
            DiaryAction::PrintDayList => {
                self.print_day_list(desk);
                None
            }
            DiaryAction::SaveReminders => {
                self.show_reminders(desk);
                None
            }
            DiaryAction::WriteRemindersCsv => {
                self.save_reminders_csv(desk);
                None
            }
            // Handled by `apply`.
            _ => None,
        }
    }

    /// The booking form for a client's series session, with the window's first free slots;
    /// at a dropped slot when given, else at the first suggestion.
    fn open_session_booking(
        &mut self,
        desk: &mut Desk,
        client: ClientId,
        session: SessionId,
        at: Option<(usize, u16)>,
    ) {
        let columns = self.columns(desk);
        let (day, minute, practitioner, room) = match at.and_then(|(c, m)| columns.get(c).map(|col| (col, m)))
        {
            Some((col, m)) => (col.day, m, col.practitioner, col.room),
            None => (desk.today, 9 * 60, None, None),
        };
        let practitioners: Vec<_> = desk.signers().iter().filter(|s| s.active).map(|s| s.id).collect();
        // With whom they were last, else the first practitioner: the desk changes it if need be.
        let usual = desk.store.last_practitioner(client).ok().flatten();
        let practitioner = practitioner.or(usual).or(practitioners.first().copied());
        let mut form = BookingForm::at(day, minute, practitioner, room, &self.data);
        let name = match desk.store.client(client) {
            Ok(Some(c)) => c.details.full_name,
            Ok(None) => return desk.fail(&StoreError::NotFound { what: "client" }),
            Err(e) => return desk.fail(&e),
        };
        let now = desk.clock_minute();
        let found = form.choose_client(&desk.store, client, name).and_then(|()| {
            form.session = Some(session);
            form.suggest(&desk.store, &self.data, &practitioners, desk.today, now)
        });
        if let Err(e) = found {
            desk.fail(&e);
        }
        if at.is_none() {
            form.pick(0);
        }
        self.dialog = Some(DiaryDialog::Booking(Box::new(form)));
    }

    /// The booking form to give an appointment without a time its place.
    fn open_placing(&mut self, desk: &mut Desk, id: AppointmentId, column: usize, minute: u16) {
        let Some(entry) = self.entry(id).cloned() else {
            return;
        };
        let columns = self.columns(desk);
        let col = columns.get(column);
        let day = col.map_or(entry.appointment.day, |c| c.day);
        let mut form = BookingForm::at(
            day,
            minute,
            col.and_then(|c| c.practitioner),
            col.and_then(|c| c.room),
            &self.data,
        );
        form.placing = Some(Box::new(entry.appointment.clone()));
        form.client = Some((entry.appointment.client_id, entry.client_name));
        form.session = entry.appointment.session_id;
        form.choose_treatment(&entry.appointment.treatment, &self.data);
        form.notes = entry.appointment.notes;
        self.dialog = Some(DiaryDialog::Booking(Box::new(form)));
    }

    fn submit_booking(&mut self, desk: &mut Desk) -> Option<Event> {
        let Some(DiaryDialog::Booking(form)) = &mut self.dialog else {
            return None;
        };
        let booking = match form.validate(desk.today) {
            Ok(b) => b,
            Err(problems) => {
                form.error = Some(problems);
                return None;
            }
        };
        let today = desk.today;
        let actor = desk.actor();
        let placing = form.placing.clone();
        let result = desk.store.write(&actor, |w| match &placing {
            Some(seen) => w
                .move_appointment(seen, &booking.place, booking.override_reason.as_deref(), today)
                .map(|()| seen.id),
            None => w.book(&booking, today),
        });
        match result {
            Ok(_) => {
                let name = form.client.as_ref().map(|(_, n)| n.clone()).unwrap_or_default();
                desk.info(format!(
                    "{name} booked {} at {}.",
                    crate::domain::today::booking_day(booking.place.day, today),
                    clock(booking.place.span.start)
                ));
                self.dialog = None;
                self.day = booking.place.day;
                Some(Event::DataChanged)
            }
            Err(StoreError::NeedsReason(why)) => {
                form.needs_reason = Some(why);
                form.error = None;
                None
            }
            Err(e) => {
                // Taken meanwhile (another desk), or refused: the form stays as typed.
                form.error = Some(e.to_string());
                // Moved meanwhile at another desk: placing it again after reading that keeps this.
                if let (StoreError::ChangedElsewhere { .. }, Some(seen)) = (&e, &mut form.placing) {
                    if let Ok(Some(now)) = desk.store.appointment(seen.id) {
                        **seen = now;
                    }
                }
                Some(Event::DataChanged)
            }
        }
    }

    fn submit_reason(&mut self, desk: &mut Desk) -> Option<Event> {
        let Some(DiaryDialog::Reason {
            id,
            to,
            reason,
            error,
        }) = &mut self.dialog
        else {
            return None;
        };
        let (id, to) = (*id, *to);
        let now = clock(desk.clock_minute());
        let actor = desk.actor();
        let text = reason.clone();
        if let Err(e) = desk
            .store
            .write(&actor, |w| w.set_appointment_status(id, to, Some(&text), &now))
        {
            *error = Some(e.to_string());
            return None;
        }
        self.dialog = None;
        let entry = self.entry(id).cloned();
        let word = if to == AppointmentStatus::NoShow {
            "marked as a no-show"
        } else {
            "cancelled"
        };
        match entry {
            // A series session goes back to be booked: offer its window's free slots now.
            Some(e) if e.appointment.session_id.is_some() => {
                desk.info(format!(
                    "{}'s appointment {word}. Rebook it below, or close the form to book later.",
                    e.client_name
                ));
                if let Some(session) = e.appointment.session_id {
                    self.open_session_booking(desk, e.appointment.client_id, session, None);
                }
            }
            Some(e) => desk.info(format!("{}'s appointment {word}.", e.client_name)),
            None => {}
        }
        Some(Event::DataChanged)
    }
}
