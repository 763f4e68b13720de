//! Who is at the desk: the first account, the password that opens the day, switching person by
//! PIN, the idle lock, the PIN that every signature asks for, and the staff screen's changes.
//! Passwords and PINs are checked off the window's thread (Argon2id is slow on purpose); what a
//! role may do is decided by `Role::may`, and the store checks it again for every signature.

mod manage;

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::credentials;
use crate::domain::{PinLock, StaffDraft, StaffId, StaffMember};
use crate::store::StoreError;

use super::action::{Action, Event};
use super::desk::{Desk, SignerProof};
use super::jobs::Job;

pub use manage::{ManageAction, ManageForm};

/// What stands before the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// No account yet: the first clinical lead's account is made first.
    FirstAccount,
    /// A password opens the day on this PC.
    SignIn,
    /// Locked (idle, or someone else is switching in): a PIN opens it again.
    Locked,
    Open,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffAction {
    /// Save the first clinical lead's account and sign them in.
    CreateFirst,
    /// Check the name and password typed.
    SignIn,
    /// Check the PIN of the person chosen on the lock screen.
    Unlock,
    /// Lock the desk now (also how another person switches in).
    Lock,
    /// From the lock screen to the password sign-in.
    UsePassword,
    /// Close the day on this PC: the next person needs their password.
    SignOut,
    Manage(manage::ManageAction),
}

impl StaffAction {
    pub fn writes(&self) -> bool {
        match self {
            StaffAction::CreateFirst => true,
            StaffAction::Manage(a) => a.writes(),
            StaffAction::SignIn
            | StaffAction::Unlock
            | StaffAction::Lock
            | StaffAction::UsePassword
            | StaffAction::SignOut => false,
        }
    }
}

/// What a password or PIN being checked is for.
enum Purpose {
    /// The account of the name typed, if there is one.
    SignIn(Option<StaffMember>),
    Unlock(StaffMember),
    /// A signature's PIN: `then` is the signing action, carried out once the PIN is right.
    Sign(StaffMember, Box<Action>),
}

pub(crate) struct StaffArea {
    pub gate: Gate,
    /// The first account, as typed.
    pub first: StaffDraft,
    pub first_errors: Option<crate::domain::ValidationErrors>,
    /// The sign-in form.
    pub name: String,
    pub password: String,
    /// The lock screen: who is unlocking, and their PIN.
    pub unlocking: Option<StaffId>,
    pub pin: String,
    /// Why the last sign-in or unlock was refused.
    pub message: Option<String>,
    check: Option<(Job<bool>, Purpose)>,
    /// The day a password opened on this PC; a PIN works only on that day.
    day_opened: Option<NaiveDate>,
    last_input: Instant,
    pub idle_after: Duration,
    pub manage: ManageForm,
}

impl Default for StaffArea {
    fn default() -> Self {
        Self {
            gate: Gate::SignIn,
            first: StaffDraft {
                role: Some(crate::domain::Role::ClinicalLead),
                ..StaffDraft::default()
            },
            first_errors: None,
            name: String::new(),
            password: String::new(),
            unlocking: None,
            pin: String::new(),
            message: None,
            check: None,
            day_opened: None,
            last_input: Instant::now(),
            idle_after: Duration::from_secs(u64::from(crate::store::IDLE_LOCK_DEFAULT) * 60),
            manage: ManageForm::default(),
        }
    }
}

/// A hash to check against when no account has the name typed, so a wrong name takes as long
/// as a wrong password and says nothing about which accounts exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| credentials::hash_secret("no account has this name").unwrap_or_default())
}

const WRONG_SIGN_IN: &str = "The name or password is not right. Check both and try again.";

impl StaffArea {
    /// Where the window starts: the first account on a database without any, else the sign-in.
    pub fn load(&mut self, desk: &mut Desk) {
        desk.reload_staff();
        self.gate = if desk.staff.is_empty() {
            // Nobody can be created on a file that cannot be written: it is only looked at.
            if desk.read_only() {
                Gate::Open
            } else {
                Gate::FirstAccount
            }
        } else {
            Gate::SignIn
        };
        match desk.store.idle_lock_minutes() {
            Ok(m) => self.idle_after = Duration::from_secs(u64::from(m) * 60),
            Err(e) => desk.fail(&e),
        }
    }

    pub fn checking(&self) -> bool {
        self.check.is_some()
    }

    pub fn apply(&mut self, action: StaffAction, desk: &mut Desk) -> Option<Event> {
        match action {
            StaffAction::CreateFirst => self.create_first(desk),
            StaffAction::SignIn => self.sign_in(desk),
            StaffAction::Unlock => self.unlock(desk),
            StaffAction::Lock => self.lock(desk),
            StaffAction::UsePassword => {
                self.gate = Gate::SignIn;
                self.message = None;
                self.name = self.unlocking_member(desk).map(|m| m.name).unwrap_or_default();
            }
            StaffAction::SignOut => {
                self.day_opened = None;
                self.gate = Gate::SignIn;
                self.name.clear();
                desk.signed_in = None;
            }
            StaffAction::Manage(a) => self.manage.apply(a, desk, &mut self.idle_after),
        }
        None
    }

    fn create_first(&mut self, desk: &mut Desk) {
        let new = match self.first.validate() {
            Ok(new) => new,
            Err(errors) => {
                self.first_errors = Some(errors);
                return;
            }
        };
        self.first_errors = None;
        match desk.store.write("Front desk", |w| w.add_staff(&new)) {
            Ok(member) => {
                self.first = StaffDraft::default();
                desk.reload_staff();
                self.open_day(desk, member);
                desk.info(
                    "The clinical lead's account is ready. Add the rest of the team in Settings, Staff",
                );
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    fn sign_in(&mut self, desk: &mut Desk) {
        if self.check.is_some() {
            return;
        }
        let password = std::mem::take(&mut self.password);
        let found = desk.store.staff_by_name(&self.name).and_then(|member| {
            let hash = match &member {
                Some(m) => Some(desk.store.stored_secrets(m.id)?.password_hash),
                None => None,
            };
            Ok((member, hash))
        });
        let (member, hash) = match found {
            Ok(found) => found,
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        self.message = None;
        // A name with no account is checked against a decoy all the same, then refused.
        let job = Job::spawn(&desk.waker, move || {
            let right =
                credentials::verify_secret(&password, hash.as_deref().unwrap_or_else(|| decoy_hash()));
            right && hash.is_some()
        });
        self.check = Some((job, Purpose::SignIn(member)));
    }

    fn unlocking_member(&self, desk: &Desk) -> Option<StaffMember> {
        let id = self.unlocking.or(desk.signed_in.as_ref().map(|m| m.id))?;
        desk.staff.iter().find(|s| s.id == id).cloned()
    }

    fn unlock(&mut self, desk: &mut Desk) {
        if self.check.is_some() {
            return;
        }
        let pin = std::mem::take(&mut self.pin);
        let Some(member) = self.unlocking_member(desk) else {
            self.message = Some("Choose who is at the desk, then type their PIN.".to_owned());
            return;
        };
        if self.day_opened != Some(desk.today) {
            self.message = Some(
                "A PIN works once a password has opened today on this PC. Sign in with your password."
                    .to_owned(),
            );
            self.gate = Gate::SignIn;
            return;
        }
        if let Some(problem) = pin_refusal(&member) {
            self.message = Some(problem);
            return;
        }
        self.start_pin_check(desk, member, pin, Purpose::Unlock);
    }

    fn lock(&mut self, desk: &mut Desk) {
        if desk.signed_in.is_none() {
            return;
        }
        self.unlocking = desk.signed_in.as_ref().map(|m| m.id);
        self.pin.clear();
        self.message = None;
        self.gate = if self.day_opened == Some(desk.today) {
            Gate::Locked
        } else {
            Gate::SignIn
        };
    }

    /// A signature asks for the signer's PIN (`Event::CheckSignerPin`): checks it off the
    /// window's thread and, when right, carries out `then` with the signer's proof on the desk.
    pub fn check_signer(&mut self, desk: &mut Desk, signer: &str, pin: String, then: Action) {
        desk.proof = None;
        desk.signer_problem = None;
        if self.check.is_some() {
            return;
        }
        let Some(member) = desk
            .signers()
            .into_iter()
            .find(|s| s.name.trim() == signer.trim())
            .cloned()
        else {
            desk.signer_problem = Some(if signer.trim().is_empty() {
                "Choose who signs: a practitioner or the clinical lead.".to_owned()
            } else {
                format!("{signer} may not sign clinical records (or the account is inactive).")
            });
            return;
        };
        if pin.trim().is_empty() {
            desk.signer_problem = Some(format!("Type {}'s PIN to sign.", member.name));
            return;
        }
        if let Some(problem) = pin_refusal(&member) {
            desk.signer_problem = Some(problem);
            return;
        }
        desk.checking_pin = true;
        self.start_pin_check(desk, member, pin, move |m| Purpose::Sign(m, Box::new(then)));
    }

    fn start_pin_check(
        &mut self,
        desk: &mut Desk,
        member: StaffMember,
        pin: String,
        purpose: impl FnOnce(StaffMember) -> Purpose,
    ) {
        let hash = match desk.store.stored_secrets(member.id) {
            Ok(s) => s.pin_hash,
            Err(e) => {
                desk.checking_pin = false;
                self.message = Some(e.to_string());
                return;
            }
        };
        let job = Job::spawn(&desk.waker, move || credentials::verify_secret(&pin, &hash));
        self.check = Some((job, purpose(member)));
    }

    /// Takes a finished check's answer; returns the signing action to carry out now.
    pub fn poll(&mut self, desk: &mut Desk) -> Option<Action> {
        let (job, _) = self.check.as_mut()?;
        let right = job.try_take()?.unwrap_or(false);
        let (_, purpose) = self.check.take()?;
        self.finish(desk, right, purpose)
    }

    /// Blocks until a running check is done and applies it (tests, the bench).
    pub fn wait(&mut self, desk: &mut Desk) -> Option<Action> {
        let (job, purpose) = self.check.take()?;
        let right = job.wait().unwrap_or(false);
        self.finish(desk, right, purpose)
    }

    fn finish(&mut self, desk: &mut Desk, right: bool, purpose: Purpose) -> Option<Action> {
        match purpose {
            Purpose::SignIn(member) => {
                let Some(member) = member.filter(|_| right) else {
                    self.message = Some(WRONG_SIGN_IN.to_owned());
                    return None;
                };
                if !member.active {
                    self.message = Some(format!(
                        "{}'s account is inactive. Ask the clinical lead to reactivate it.",
                        member.name
                    ));
                } else {
                    if let Err(e) = desk.store.write(member.actor(), |w| w.record_sign_in(member.id)) {
                        if !matches!(e, StoreError::ReadOnly) {
                            desk.fail(&e);
                        }
                    }
                    desk.reload_staff();
                    self.open_day(desk, member);
                }
                None
            }
            Purpose::Unlock(member) => {
                let lock = record_pin(desk, &member, right, "switched in with their PIN");
                if right {
                    self.message = None;
                    desk.signed_in = desk.staff.iter().find(|s| s.id == member.id).cloned();
                    self.gate = Gate::Open;
                    self.last_input = Instant::now();
                } else {
                    self.message = Some(wrong_pin(&member.name, lock));
                }
                None
            }
            Purpose::Sign(member, then) => {
                desk.checking_pin = false;
                let lock = record_pin(desk, &member, right, "");
                if right {
                    desk.proof = Some(SignerProof {
                        actor: member.actor(),
                        at: Instant::now(),
                    });
                    Some(*then)
                } else {
                    desk.signer_problem = Some(wrong_pin(&member.name, lock));
                    None
                }
            }
        }
    }

    fn open_day(&mut self, desk: &mut Desk, member: StaffMember) {
        self.day_opened = Some(desk.today);
        self.name.clear();
        self.message = None;
        desk.signed_in = Some(member);
        self.gate = Gate::Open;
        self.last_input = Instant::now();
    }

    /// Locks the desk after the idle time with no input; asks to be woken when it is due.
    pub fn watch_idle(&mut self, ctx: &egui::Context, desk: &mut Desk) {
        if self.gate != Gate::Open || desk.signed_in.is_none() || self.idle_after == Duration::MAX {
            return;
        }
        let touched = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        if touched {
            self.last_input = Instant::now();
        }
        let idle = self.last_input.elapsed();
        if idle >= self.idle_after {
            self.lock(desk);
            ctx.request_repaint();
        } else {
            ctx.request_repaint_after(self.idle_after - idle);
        }
    }

    /// Opens the day for `member` as a right password does (tests).
    pub fn open_day_for_test(&mut self, desk: &mut Desk, member: StaffMember) {
        self.open_day(desk, member);
    }

    /// Locks as the idle time would (tests).
    pub fn lock_now(&mut self, desk: &mut Desk) {
        self.lock(desk);
    }
}

/// Why this person's PIN cannot be tried now, if it cannot.
fn pin_refusal(member: &StaffMember) -> Option<String> {
    if !member.active {
        return Some(format!("{}'s account is inactive.", member.name));
    }
    (member.lock() == PinLock::Locked).then(|| PinLock::message(&member.name))
}

fn record_pin(desk: &mut Desk, member: &StaffMember, right: bool, purpose: &str) -> PinLock {
    let lock = match desk
        .store
        .write(member.actor(), |w| w.record_pin(member.id, right, purpose))
    {
        Ok(lock) => lock,
        Err(StoreError::ReadOnly) => PinLock::after(member.failed_pins + u32::from(!right)),
        Err(e) => {
            desk.fail(&e);
            PinLock::after(member.failed_pins + u32::from(!right))
        }
    };
    desk.reload_staff();
    lock
}

fn wrong_pin(name: &str, lock: PinLock) -> String {
    match lock {
        PinLock::Open { attempts_left } => format!(
            "That PIN is not right for {name}. {attempts_left} {} left before the PIN locks.",
            if attempts_left == 1 { "try" } else { "tries" }
        ),
        PinLock::Locked => PinLock::message(name),
    }
}
