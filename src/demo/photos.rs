//! The demo's photos: a few clients with a series under way signed the photographs consent and
//! had a close-up of the treated area taken at each session, front (and, for the first, left
//! 45°), drawn here (`imaging::sample`): the same skin, its scars fading session by session.

use chrono::NaiveDate;
use rand::rngs::SmallRng;

use crate::domain::{Actor, PhotoTags, PhotoView, SessionStatus};
use crate::store::{Store, StoreResult};

/// Clients given photos (the work is the same at any size of demo).
const CLIENTS_WITH_PHOTOS: usize = 3;
/// The drawn photos' size: a phone's 2 megapixels keeps the demo quick.
const WIDTH: u32 = 1600;
const HEIGHT: u32 = 1200;
/// Demos this small (tests, a quick look) get no photos: they stay small on disk.
const PHOTOS_FROM_CLIENTS: usize = 100;

pub(super) fn fill(
    store: &mut Store,
    team: &[Actor],
    today: NaiveDate,
    rng: &mut SmallRng,
) -> StoreResult<usize> {
    let Ok(lead) = super::team_member(team, super::DEMO_TEAM[0].0) else {
        return Ok(0);
    };
    if store.client_count(true)? < PHOTOS_FROM_CLIENTS {
        return Ok(0);
    }
    let lead = lead.clone();
    let mut stored = 0;
    let mut clients = 0;
    for summary in store.client_page(0, 400, false)? {
        if clients == CLIENTS_WITH_PHOTOS {
            break;
        }
        let Some(record) = store.client_record(summary.id)? else {
            continue;
        };
        let Some(plan) = record.plans.iter().find(|p| {
            p.sessions
                .iter()
                .filter(|s| s.status == SessionStatus::Done)
                .count()
                >= 3
        }) else {
            continue;
        };
        let done: Vec<_> = plan
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Done)
            .filter_map(|s| Some((s.id, s.performed_on?)))
            .collect();
        let Some(area) = plan.plan.areas.first().map(|a| a.area.clone()) else {
            continue;
        };
        let signed = super::consent::signed_on(done[0].1, today, rng);
        store.write(&lead, |w| {
            super::consent::sign_photographs(w, &record.client, signed, &lead, rng)
        })?;
        let views: &[PhotoView] = if clients == 0 {
            &[PhotoView::Front, PhotoView::Left45]
        } else {
            &[PhotoView::Front]
        };
        let seed = 7 + clients as u64 * 13;
        for (i, (session, taken_on)) in done.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let severity = 0.95 - 0.7 * i as f32 / (done.len() - 1).max(1) as f32;
            for (v, view) in views.iter().enumerate() {
                let jpeg = crate::imaging::sample::skin_jpeg(WIDTH, HEIGHT, seed + v as u64, severity);
                let Ok(prepared) = crate::imaging::prepare(&jpeg, "demo.jpg") else {
                    continue;
                };
                let tags = PhotoTags {
                    area: area.clone(),
                    view: *view,
                    taken_on: *taken_on,
                    session: Some(*session),
                };
                store.import_photo(&lead, record.client.id, &tags, &prepared, today)?;
                stored += 1;
            }
        }
        clients += 1;
    }
    Ok(stored)
}
