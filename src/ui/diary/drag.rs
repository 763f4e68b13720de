//! A drag on the diary's grid: where the block would go, and what is in the way, by the store's
//! own clash rule applied to the appointments loaded (the store checks again on the drop).

use crate::domain::diary::{clashes, outside_hours, Appointment, Placement};

use super::DiaryData;

/// What dropping a dragged block at `place` would meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Free,
    NeedsReason(String),
    Taken(String),
}

/// The live clash check of a drag, the store's own rule on the appointments loaded.
pub fn drag_verdict(place: &Placement, moving: &Appointment, data: &DiaryData) -> Verdict {
    let found = clashes(place, moving.client_id, Some(moving.id), &data.appointments);
    if let Some(hard) = found.iter().find(|c| !c.kind.may_override()) {
        let what = match hard.kind {
            crate::domain::ClashKind::Room => "room",
            crate::domain::ClashKind::Device => "pen",
            _ => "client",
        };
        return Verdict::Taken(format!("{what} taken {}", hard.span.words()));
    }
    if let Some(soft) = found.first() {
        return Verdict::NeedsReason(format!("double-booked {}: needs a reason", soft.span.words()));
    }
    match outside_hours(place, &data.hours, &data.closures) {
        Some(why) => Verdict::NeedsReason(why),
        None => Verdict::Free,
    }
}

pub fn placement_of(a: &Appointment) -> Option<Placement> {
    Some(Placement {
        day: a.day,
        span: a.span()?,
        practitioner: a.practitioner?,
        room: a.room?,
        device: a.device,
    })
}
