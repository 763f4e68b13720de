//! The staff screen's changes (clinical lead and admin): add a person, deactivate or reactivate,
//! change a role, reset a password or PIN, set the idle lock. Each is one audited write; the
//! store refuses them from any other role.

use std::time::Duration;

use crate::domain::{Role, StaffDraft, StaffId, ValidationErrors};
use crate::store::IDLE_LOCK_KEY;
use crate::ui::desk::Desk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManageAction {
    Add,
    SetActive(StaffId, bool),
    SetRole(StaffId, Role),
    /// Set the new password typed for this person.
    ResetPassword(StaffId),
    /// Set the new PIN typed for this person (it also opens a locked PIN).
    ResetPin(StaffId),
    SaveIdleLock,
    /// The front desk may (or may not) see clinical photos.
    FrontDeskPhotos(bool),
}

impl ManageAction {
    pub fn writes(&self) -> bool {
        true
    }
}

#[derive(Default)]
pub struct ManageForm {
    pub new: StaffDraft,
    pub errors: Option<ValidationErrors>,
    /// Whose password or PIN the reset fields are for.
    pub reset_for: Option<StaffId>,
    pub new_password: String,
    pub new_pin: String,
    pub idle_minutes: String,
    /// Settings shows the staff screen (else the clinic's details and backups).
    pub showing: bool,
    /// The last change's outcome, shown on the staff screen.
    pub message: Option<Result<String, String>>,
}

impl ManageForm {
    pub(crate) fn apply(&mut self, action: ManageAction, desk: &mut Desk, idle_after: &mut Duration) {
        let actor = desk.actor();
        let result = match action {
            ManageAction::Add => match self.new.validate() {
                Err(errors) => {
                    self.errors = Some(errors);
                    return;
                }
                Ok(new) => {
                    self.errors = None;
                    desk.store.write(&actor, |w| w.add_staff(&new)).map(|m| {
                        self.new = StaffDraft::default();
                        format!(
                            "{} was added as {}. Tell them their password and PIN in person.",
                            m.name, m.role
                        )
                    })
                }
            },
            ManageAction::SetActive(id, active) => desk
                .store
                .write(&actor, |w| w.set_staff_active(id, active))
                .map(|()| {
                    if active {
                        "Account reactivated."
                    } else {
                        "Account deactivated: it can no longer sign in or sign; its signatures stay."
                    }
                    .to_owned()
                }),
            ManageAction::SetRole(id, role) => desk
                .store
                .write(&actor, |w| w.set_staff_role(id, role))
                .map(|()| format!("Role changed to {role}.")),
            ManageAction::ResetPassword(id) => {
                let password = std::mem::take(&mut self.new_password);
                desk.store
                    .write(&actor, |w| w.reset_password(id, &password))
                    .map(|()| "Password reset.".to_owned())
            }
            ManageAction::ResetPin(id) => {
                let pin = std::mem::take(&mut self.new_pin);
                desk.store
                    .write(&actor, |w| w.reset_pin(id, &pin))
                    .map(|()| "PIN reset (a locked PIN is open again).".to_owned())
            }
            ManageAction::FrontDeskPhotos(allowed) => desk
                .store
                .write(&actor, |w| w.set_front_desk_photos(allowed))
                .map(|()| {
                    if allowed {
                        "The front desk may now see clinical photos.".to_owned()
                    } else {
                        "Clinical photos are for the clinical team only.".to_owned()
                    }
                }),
            ManageAction::SaveIdleLock => match self.idle_minutes.trim().parse::<u32>() {
                Ok(m) if (1..=240).contains(&m) => {
                    let lead = desk
                        .signed_in
                        .as_ref()
                        .is_some_and(|s| s.active && s.role == Role::ClinicalLead);
                    if lead {
                        desk.store
                            .write(&actor, |w| w.set_setting(IDLE_LOCK_KEY, &m.to_string()))
                            .map(|()| {
                                *idle_after = Duration::from_secs(u64::from(m) * 60);
                                format!("The desk now locks after {m} minutes without use.")
                            })
                    } else {
                        Err(crate::store::StoreError::Refused(
                            "Only the clinical lead sets the idle lock.".to_owned(),
                        ))
                    }
                }
                _ => Err(crate::store::StoreError::Refused(
                    "The idle lock is a number of minutes from 1 to 240.".to_owned(),
                )),
            },
        };
        desk.reload_staff();
        self.message = Some(result.map_err(|e| e.to_string()));
    }
}
