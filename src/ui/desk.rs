//! What every area of the window shares: the store, the protocol, the desk's date, who is at the
//! desk, the status line, how printed sheets are handed over, and the waker background jobs use.
//! An area's `apply` borrows it; no area reaches into another's state.

use chrono::NaiveDate;

use crate::domain::text::one_full_stop;
use crate::domain::{Act, Actor, StaffMember};
use crate::print::deliver::Delivery;
use crate::protocol::Protocol;
use crate::store::{Store, StoreError};

use super::jobs::Waker;

pub(crate) struct Desk {
    pub store: Store,
    pub protocol: Protocol,
    /// The desk's date; the window passes the clock's.
    pub today: NaiveDate,
    /// Who is signed in at the desk ("At the desk"); see [`Desk::actor`].
    pub signed_in: Option<StaffMember>,
    /// The clinic's accounts, active first (the signer lists, the staff screen, switching).
    pub staff: Vec<StaffMember>,
    /// A signer whose PIN was just checked, for the signing that asked for it.
    pub proof: Option<SignerProof>,
    /// Why the last signer's PIN was refused, shown under the PIN field.
    pub signer_problem: Option<String>,
    /// A signer's PIN is being checked (off the window's thread).
    pub checking_pin: bool,
    /// The line at the bottom of the window.
    pub status: Option<Status>,
    /// What failed and has not been marked as read, oldest first: a later message in the
    /// status line never hides a failure.
    pub unread_failures: Vec<String>,
    /// Open printed sheets (or send them to `lp`), or only save them (tests, the bench).
    pub delivery: Delivery,
    /// Wakes the window when a background job finishes.
    pub waker: Waker,
    /// How long after the last change a form's draft is saved.
    pub draft_delay: std::time::Duration,
    /// The clinic's wall clock (the diary's time line, arrival times); tests set their own.
    pub wall_clock: fn() -> chrono::NaiveTime,
    /// On a clinic server: the other desks' changes and the server's health (`store/live.rs`).
    pub live: Option<crate::store::LiveFeed>,
    /// The clinic server cannot be reached (why): the banner says so until it is back.
    pub server_gone: Option<String>,
}

impl Desk {
    pub fn new(store: Store, protocol: Protocol, today: NaiveDate) -> Self {
        Self {
            store,
            protocol,
            today,
            signed_in: None,
            staff: Vec::new(),
            proof: None,
            signer_problem: None,
            checking_pin: false,
            status: None,
            unread_failures: Vec::new(),
            delivery: Delivery::System,
            waker: Waker::default(),
            draft_delay: super::autosave::DRAFT_DELAY,
            wall_clock: || chrono::Local::now().time(),
            live: None,
            server_gone: None,
        }
    }

    /// Starts hearing the other desks (a clinic server only; a file has none), and sends the
    /// server any draft this desk kept while it was away last time.
    pub fn listen(&mut self) {
        let waker = self.waker.clone();
        self.live = self.store.listen(std::sync::Arc::new(move || waker.wake()));
        self.send_offline_drafts();
    }

    /// Sends the server the drafts typed on this desk while it was away (said in the status line).
    pub fn send_offline_drafts(&mut self) {
        match self.store.send_offline_drafts() {
            Ok(0) => {}
            Ok(n) => self.info(format!(
                "{n} draft(s) typed while the clinic server was away are saved on it now."
            )),
            Err(e) => self.fail(&e),
        }
    }

    /// Who is written into the audit log: the signed-in account (before the first account
    /// exists, the welcome's set-up only: "Front desk").
    pub fn actor(&self) -> Actor {
        match &self.signed_in {
            Some(who) => who.actor(),
            None => Actor::named("Front desk"),
        }
    }

    /// Minutes after midnight on the clinic's clock now.
    pub fn clock_minute(&self) -> u16 {
        use chrono::Timelike;
        let t = (self.wall_clock)();
        u16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0)
    }

    /// Whether the signed-in person may `act` (the permission itself is `Role::may`).
    pub fn may(&self, act: Act) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|s| s.active && s.role.may(act))
    }

    /// The accounts that may sign, for a signer list.
    pub fn signers(&self) -> Vec<&StaffMember> {
        self.staff
            .iter()
            .filter(|s| s.active && s.role.may(Act::Sign))
            .collect()
    }

    /// Who signs by default: the signed-in person when they may sign.
    pub fn default_signer(&self) -> String {
        self.signed_in
            .as_ref()
            .filter(|s| s.role.may(Act::Sign))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    /// The checked signer named `name`, taken (a proof serves one signing only).
    pub fn take_proof(&mut self, name: &str) -> Option<Actor> {
        let proof = self.proof.take()?;
        (proof.actor.name.trim() == name.trim() && proof.at.elapsed() < SignerProof::VALID)
            .then_some(proof.actor)
    }

    /// Reloads the accounts (after a change to them).
    pub fn reload_staff(&mut self) {
        match self.store.staff() {
            Ok(staff) => {
                if let Some(me) = &self.signed_in {
                    self.signed_in = staff.iter().find(|s| s.id == me.id).cloned();
                }
                self.staff = staff;
            }
            Err(e) => self.fail(&e),
        }
    }

    pub fn read_only(&self) -> bool {
        self.store.is_read_only()
    }

    /// A message for the status line (one full stop per sentence, whatever it was built from).
    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status::Info(one_full_stop(&text.into())));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        /// Enough to see what went wrong today without the list taking over the window.
        const KEPT: usize = 20;
        let text = one_full_stop(&text.into());
        if self.unread_failures.last() != Some(&text) {
            self.unread_failures.push(text.clone());
            if self.unread_failures.len() > KEPT {
                self.unread_failures.remove(0);
            }
        }
        self.status = Some(Status::Error(text));
    }

    /// A store error, in the status line.
    pub fn fail(&mut self, e: &StoreError) {
        self.error(e.to_string());
    }
}

/// A signer's PIN checked a moment ago.
pub struct SignerProof {
    pub actor: Actor,
    pub at: std::time::Instant,
}

impl SignerProof {
    /// Long enough for the signing that asked for it to run, too short to be reused later.
    const VALID: std::time::Duration = std::time::Duration::from_secs(30);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

impl Status {
    pub fn text(&self) -> &str {
        match self {
            Status::Info(t) | Status::Error(t) => t,
        }
    }
}
