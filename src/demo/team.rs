//! The demo clinic's team: a clinical lead, two practitioners and a front desk, one password
//! for all and a PIN each, added once as accounts.

use crate::domain::{Actor, NewStaff, Role};
use crate::store::{Store, StoreResult};

/// The demo clinic's team (README, "Staff and sign-in"), one password for all, each their own PIN.
pub const DEMO_PASSWORD: &str = "needlepoint-demo";
pub const DEMO_TEAM: &[(&str, Role, &str)] = &[
    ("Dr. Maya Lindqvist", Role::ClinicalLead, "2580"),
    ("Nurse Tomasz Wójcik", Role::Practitioner, "1357"),
    ("Aroha Ngata", Role::Practitioner, "2468"),
    ("Sam Reyes", Role::FrontDesk, "9630"),
];
/// Adds the demo team's accounts that are missing (by name) and returns the actors of all of
/// them. On a database with no accounts the clinical lead comes first and adds the others; on
/// one with accounts, an active clinical lead or admin adds them.
pub fn demo_team(store: &mut Store) -> StoreResult<Vec<Actor>> {
    let mut team = Vec::new();
    for (name, role, pin) in DEMO_TEAM {
        if let Some(found) = store.staff_by_name(name)? {
            team.push(found.actor());
            continue;
        }
        let manager = store
            .staff()?
            .into_iter()
            .find(|s| s.active && s.role.may(crate::domain::Act::ManageStaff))
            .map(|s| s.actor())
            .unwrap_or_else(|| Actor::named("Demo data"));
        let new = NewStaff {
            name: (*name).to_owned(),
            role: *role,
            registration: None,
            password: DEMO_PASSWORD.to_owned(),
            pin: (*pin).to_owned(),
        };
        team.push(store.write(&manager, |w| w.add_staff(&new))?.actor());
    }
    Ok(team)
}

pub(super) fn team_member<'a>(team: &'a [Actor], name: &str) -> StoreResult<&'a Actor> {
    let missing = crate::store::StoreError::NotFound {
        what: "demo team member",
    };
    team.iter().find(|a| a.name == name).ok_or(missing)
}
