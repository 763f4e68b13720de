//! On a clinic server: how long a change saved at one desk takes to be heard at another — the
//! announcement the server sends when the save commits, received by the other desk's listener.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::{figure, BenchError, Figure};
use crate::domain::{Actor, Client, ClientDetails, ClientId, SkinType};
use crate::store::{LiveEvent, Store};

/// Changes timed (each a client saved at one desk, then heard at the other).
const CHANGES: usize = 40;

/// `None` for a database file: no other desk writes it.
pub fn change_seen_elsewhere(
    db: &Path,
    today: NaiveDate,
    signer: &Actor,
) -> Result<Option<Figure>, BenchError> {
    let mut writer = Store::open(db)?;
    if !writer.is_server() {
        return Ok(None);
    }
    let reader = Store::open(db)?;
    let Some(feed) = reader.listen(Arc::new(|| {})) else {
        return Ok(None);
    };
    // Let the listener connect and LISTEN before timing.
    std::thread::sleep(Duration::from_millis(500));
    feed.take();
    let mut samples = Vec::with_capacity(CHANGES);
    for n in 0..CHANGES {
        let client = Client {
            id: ClientId::new(),
            details: ClientDetails {
                full_name: format!("Bench Live {n}"),
                date_of_birth: today - chrono::Duration::days(365 * 30),
                phone: None,
                email: None,
                skin_type: SkinType::III,
                notes: String::new(),
            },
            archived: false,
        };
        let started = Instant::now();
        writer.write(signer.clone(), |w| w.insert_client(&client))?;
        let wanted = client.id.to_string();
        let heard = loop {
            if feed
                .take()
                .iter()
                .any(|e| matches!(e, LiveEvent::Changed { client: Some(c), .. } if *c == wanted))
            {
                break started.elapsed();
            }
            if started.elapsed() > Duration::from_secs(5) {
                return Err(BenchError::Setup(
                    "a change was not heard at the other desk within 5 s".to_owned(),
                ));
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        samples.push(heard);
        writer.write(signer.clone(), |w| w.archive_client(client.id))?;
        std::thread::sleep(Duration::from_millis(20));
        feed.take();
    }
    Ok(Some(figure(
        "change seen at another desk",
        samples,
        250.0,
        "a client saved at one desk until the other desk's listener hears the server's announcement",
    )))
}
