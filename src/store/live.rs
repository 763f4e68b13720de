//! Live between desks: a desk on a clinic server listens for the other desks' changes and
//! watches the server's health, each on a thread of its own, and wakes the window when either
//! has news.
//!
//! Every change appends to the audit log in its own transaction, and the server's audit trigger
//! announces it (`NOTIFY needlepoint_changes, 'table:client'`) when that transaction commits, so
//! a desk learns of a change without reading any table until it has one to read. A heartbeat
//! every half second proves the connection; silence for more than 1.5 s is "the server cannot be
//! reached" (in time for a banner within 2 s), and the listener connects again by itself.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;

use super::db::PgTarget;

/// The channel every change is announced on.
pub const CHANNEL: &str = "needlepoint_changes";
/// How often the listener proves the connection when nothing else arrives.
const HEARTBEAT: Duration = Duration::from_millis(500);
/// Silence longer than this means the server is gone.
const GONE_AFTER: Duration = Duration::from_millis(1500);
/// How long to wait between attempts to connect again.
const RETRY: Duration = Duration::from_millis(1000);

impl super::Store {
    /// Starts listening for the other desks' changes, on a clinic server (`None` on a file,
    /// which no other desk writes). The store's own statements then fail at once while the
    /// listener finds the server gone, and it connects again when the server is back.
    pub fn listen(&self, wake: Arc<dyn Fn() + Send + Sync>) -> Option<LiveFeed> {
        let super::Db::Postgres(pg) = self.conn() else {
            return None;
        };
        let target = pg.target().clone();
        let password = super::server::remembered_password(&target);
        let feed = LiveFeed::start(target, password, wake);
        pg.watch_health(feed.health());
        Some(feed)
    }
}

/// What the desk hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Another desk (or this one) saved a change to `table`, about `client` if it names one.
    Changed { table: String, client: Option<String> },
    /// The server cannot be reached (why, in words).
    Lost(String),
    /// It can be again: everything shown should be read afresh.
    Back,
}

/// Whether the server answers, shared by the listener, its watchdog and the store's own
/// connection (which then fails at once instead of waiting on a dead network).
#[derive(Debug)]
pub struct ServerHealth {
    started: Instant,
    /// Milliseconds since `started` of the last proof of life.
    last_alive_ms: AtomicU64,
    reachable: AtomicBool,
    /// How many times the server came back: a connection made before the last return is
    /// stale (it may not know yet that its socket died) and is made again.
    returns: AtomicU64,
}

impl Default for ServerHealth {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            last_alive_ms: AtomicU64::new(0),
            reachable: AtomicBool::new(true),
            returns: AtomicU64::new(0),
        }
    }
}

impl ServerHealth {
    fn alive(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_alive_ms.store(ms, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(now.saturating_sub(self.last_alive_ms.load(Ordering::Relaxed)))
    }

    pub fn is_reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
    }

    pub fn returns(&self) -> u64 {
        self.returns.load(Ordering::Relaxed)
    }
}

/// A desk's ear on the server: drop it to stop listening.
pub struct LiveFeed {
    events: Receiver<LiveEvent>,
    health: Arc<ServerHealth>,
    stop: Arc<AtomicBool>,
}

impl Drop for LiveFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl LiveFeed {
    /// Starts listening to `target`; `wake` is called (from another thread) whenever there is
    /// an event to take with [`LiveFeed::take`].
    pub fn start(target: PgTarget, password: Option<String>, wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        let (send, events) = channel();
        let health = Arc::new(ServerHealth::default());
        health.alive();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (send, health, stop, wake) = (send.clone(), health.clone(), stop.clone(), wake.clone());
            std::thread::Builder::new()
                .name("live-listener".to_owned())
                .spawn(move || listen(&target, password.as_deref(), &send, &health, &stop, &*wake))
                .ok();
        }
        std::thread::Builder::new()
            .name("live-watchdog".to_owned())
            .spawn({
                let (health, stop) = (health.clone(), stop.clone());
                move || watch(&send, &health, &stop, &*wake)
            })
            .ok();
        Self { events, health, stop }
    }

    /// The events that arrived since the last call.
    pub fn take(&self) -> Vec<LiveEvent> {
        self.events.try_iter().collect()
    }

    pub fn health(&self) -> Arc<ServerHealth> {
        self.health.clone()
    }
}

/// Marks the server gone after too long a silence, and says so once.
fn watch(send: &Sender<LiveEvent>, health: &ServerHealth, stop: &AtomicBool, wake: &dyn Fn()) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        let silent = health.silent_for();
        if silent > GONE_AFTER && health.reachable.swap(false, Ordering::Relaxed) {
            let said = format!("no answer for {:.1} s", silent.as_secs_f64());
            if send.send(LiveEvent::Lost(said)).is_err() {
                return;
            }
            wake();
        }
    }
}

/// Connects, listens and proves the connection; on any failure waits and connects again.
fn listen(
    target: &PgTarget,
    password: Option<&str>,
    send: &Sender<LiveEvent>,
    health: &ServerHealth,
    stop: &AtomicBool,
    wake: &dyn Fn(),
) {
    while !stop.load(Ordering::Relaxed) {
        let mut client = match target.connect_raw(password) {
            Ok(c) => c,
            Err(_) => {
                std::thread::sleep(RETRY);
                continue;
            }
        };
        if client.batch_execute(&format!("LISTEN {CHANNEL}")).is_err() {
            std::thread::sleep(RETRY);
            continue;
        }
        if !alive_again(health, send, wake) {
            return;
        }
        // Heard until the connection fails or the desk closes.
        while !stop.load(Ordering::Relaxed) {
            let mut heard = Vec::new();
            // The first announcement (or a heartbeat's wait), then whatever came with it: the
            // desk hears at once, however busy the others are.
            let failed = {
                let mut notifications = client.notifications();
                let first = notifications.timeout_iter(HEARTBEAT).next();
                match first {
                    Ok(Some(n)) => {
                        health.alive();
                        heard.push(n.payload().to_owned());
                        let mut pending = notifications.iter();
                        loop {
                            match pending.next() {
                                Ok(Some(n)) => heard.push(n.payload().to_owned()),
                                Ok(None) => break false,
                                Err(_) => break true,
                            }
                        }
                    }
                    Ok(None) => false,
                    Err(_) => true,
                }
            };
            if failed || client.simple_query("SELECT 1").is_err() {
                break;
            }
            // Every proof of life may be the return: the watchdog can have said "gone" just as
            // this connection was made.
            if !alive_again(health, send, wake) {
                return;
            }
            if !heard.is_empty() {
                for payload in heard {
                    let (table, client_id) = payload.split_once(':').unwrap_or((payload.as_str(), ""));
                    let event = LiveEvent::Changed {
                        table: table.to_owned(),
                        client: (!client_id.is_empty()).then(|| client_id.to_owned()),
                    };
                    if send.send(event).is_err() {
                        return;
                    }
                }
                wake();
            }
        }
        std::thread::sleep(RETRY);
    }
}

/// Records a proof of life; if the server had been said gone, says it is back. `false` when
/// the desk has stopped listening.
fn alive_again(health: &ServerHealth, send: &Sender<LiveEvent>, wake: &dyn Fn()) -> bool {
    health.alive();
    if !health.reachable.load(Ordering::Relaxed) {
        health.returns.fetch_add(1, Ordering::Relaxed);
        health.reachable.store(true, Ordering::Relaxed);
        if send.send(LiveEvent::Back).is_err() {
            return false;
        }
        wake();
    }
    true
}
