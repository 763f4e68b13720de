//! The client's own details: the new-client and edit forms (with the same-name warning), and
//! archiving.

use super::{RecordArea, RecordDialog};
use crate::domain::{Client, ClientDraft, ClientId};
use crate::ui::action::Event;
use crate::ui::desk::Desk;
use crate::ui::views::client_form::ClientForm;

impl RecordArea {
    pub(super) fn edit_client(&mut self) {
        if let Some(r) = &self.record {
            self.dialog = Some(RecordDialog::Client(Box::new(ClientForm {
                editing: Some(r.client.id),
                draft: ClientDraft::from_details(&r.client.details),
                loaded: Some(r.client.details.clone()),
                ..ClientForm::default()
            })));
        }
    }

    pub(super) fn submit_client(&mut self, confirm_duplicate: bool, desk: &mut Desk) -> Option<Event> {
        let actor = desk.actor();
        let Some(RecordDialog::Client(form)) = &mut self.dialog else {
            return None;
        };
        let details = match form.draft.validate(desk.today) {
            Ok(d) => d,
            Err(errors) => {
                form.errors = Some(errors);
                return None;
            }
        };
        form.errors = None;
        if !confirm_duplicate {
            match desk
                .store
                .same_name_and_birth(&details.full_name, details.date_of_birth, form.editing)
            {
                Ok(dups) if !dups.is_empty() => {
                    form.duplicates = dups;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    form.save_error = Some(e.to_string());
                    return None;
                }
            }
        }
        let editing = form.editing;
        let before = form.loaded.clone();
        let result = match (editing, before) {
            (Some(id), Some(before)) => desk
                .store
                .write(&actor, |w| w.update_client(id, &before, &details))
                .map(|()| id),
            _ => {
                let client = Client {
                    id: *form.new_id.get_or_insert_with(ClientId::new),
                    details,
                    archived: false,
                };
                match desk.store.client(client.id) {
                    // Saved by an earlier try whose answer did not arrive.
                    Ok(Some(saved)) if saved == client => Ok(client.id),
                    // Saved then, and changed in the form since: the change is saved now.
                    Ok(Some(saved)) => desk
                        .store
                        .write(&actor, |w| {
                            w.update_client(client.id, &saved.details, &client.details)
                        })
                        .map(|()| client.id),
                    _ => desk
                        .store
                        .write(&actor, |w| w.insert_client(&client))
                        .map(|()| client.id),
                }
            }
        };
        match result {
            Ok(id) => {
                self.dialog = None;
                desk.info("Client saved.");
                Some(Event::ClientSaved(id))
            }
            Err(e) => {
                if let Some(RecordDialog::Client(form)) = &mut self.dialog {
                    form.save_error = Some(e.to_string());
                    // Saving again after reading the other desk's change keeps this one.
                    if let (crate::store::StoreError::ChangedElsewhere { .. }, Some(id)) = (&e, editing) {
                        if let Ok(Some(now)) = desk.store.client(id) {
                            form.loaded = Some(now.details);
                        }
                    }
                }
                None
            }
        }
    }

    pub(super) fn archive(&mut self, desk: &mut Desk) -> Option<Event> {
        let id = self.record.as_ref().map(|r| r.client.id)?;
        let actor = desk.actor();
        match desk.store.write(&actor, |w| w.archive_client(id)) {
            Ok(()) => {
                self.dialog = None;
                self.record = None;
                desk.info("Client archived; their records are kept.");
                Some(Event::DataChanged)
            }
            Err(e) => {
                desk.fail(&e);
                None
            }
        }
    }
}
