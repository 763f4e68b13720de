//! A client's record and what is done from it: their details (edit, archive), concerns, plans and
//! bookings, data rights (export, anonymise), and printed sheets. The record is read in one store
//! call ([`crate::store::Store::client_record`]); each change is one store write, and a failed
//! save keeps the form open with what was typed.

mod client;
mod plans;
mod print;
mod rights;

use crate::domain::{ClientId, ConcernId, SessionId};
use crate::print::PrintRequest;
use crate::store::{ClientRecord, StoreError};

use super::action::{Action, Event};
use super::areas::AreaDialog;
use super::desk::Desk;
use super::views;
use super::views::clearance_form::ClearanceForm;
use super::views::client_form::ClientForm;
use super::views::concern_form::ConcernForm;
use super::views::data_rights::ExportForm;
use super::views::plan_form::PlanForm;

/// What the client record and its dialogs ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordAction {
    /// Back to the client list.
    Close,
    NewClient,
    EditClient,
    /// Save the client form; `confirm_duplicate` after the same-name warning was seen.
    SubmitClientForm {
        confirm_duplicate: bool,
    },
    /// Ask before archiving the open client.
    Archive,
    ConfirmArchive,
    /// Ask where to write the open client's complete record.
    Export,
    /// Write it (and record the export in the audit log).
    ConfirmExport,
    /// Ask before anonymising the open client.
    Anonymise,
    ConfirmAnonymise,
    AddConcern,
    EditConcern(ConcernId),
    SubmitConcernForm,
    /// Record a written clearance (optionally for this contraindication id).
    AddClearance(Option<String>),
    SubmitClearanceForm,
    NewPlan,
    SubmitPlanForm,
    BookSession(SessionId),
    /// Make a sheet (PDF, off the window's thread), save it in the documents folder, record the
    /// print, then open it or send it to the printer.
    Print(PrintRequest),
    CloseDialog,
}

impl RecordAction {
    /// Whether carrying this out saves something (refused on a read-only database). Opening a
    /// form that can only be saved counts as saving, so a read-only desk is told at once.
    pub fn writes(&self) -> bool {
        match self {
            RecordAction::Close | RecordAction::CloseDialog => false,
            RecordAction::NewClient
            | RecordAction::EditClient
            | RecordAction::SubmitClientForm { .. }
            | RecordAction::Archive
            | RecordAction::ConfirmArchive
            | RecordAction::Export
            | RecordAction::ConfirmExport
            | RecordAction::Anonymise
            | RecordAction::ConfirmAnonymise
            | RecordAction::AddConcern
            | RecordAction::EditConcern(_)
            | RecordAction::SubmitConcernForm
            | RecordAction::AddClearance(_)
            | RecordAction::SubmitClearanceForm
            | RecordAction::NewPlan
            | RecordAction::SubmitPlanForm
            | RecordAction::BookSession(_)
            | RecordAction::Print(_) => true,
        }
    }
}

/// The record area's dialogs.
#[derive(Debug, Clone)]
enum RecordDialog {
    Client(Box<ClientForm>),
    Concern(Box<ConcernForm>),
    Clearance(Box<ClearanceForm>),
    Plan(Box<PlanForm>),
    ConfirmArchive,
    /// Where to write the open client's complete record.
    Export(Box<ExportForm>),
    /// Anonymise the open client? Names the consequence first.
    ConfirmAnonymise,
}

#[derive(Default)]
pub(crate) struct RecordArea {
    /// The open client's record.
    record: Option<ClientRecord>,
    dialog: Option<RecordDialog>,
    /// A sheet being printed off the window's thread.
    printing: Option<print::PrintJob>,
    /// The open dialog as first shown, to tell whether anything was typed into it.
    dialog_opened_as: Option<String>,
}

impl RecordArea {
    pub fn apply(&mut self, action: RecordAction, desk: &mut Desk) -> Option<Event> {
        let kind = |d: &Option<RecordDialog>| d.as_ref().map(std::mem::discriminant);
        let before = kind(&self.dialog);
        let event = self.apply_action(action, desk);
        if kind(&self.dialog) != before {
            // Another dialog (or none): its first frame is its starting point.
            self.dialog_opened_as = None;
        }
        event
    }

    /// What closing the open dialog would lose, if anything was typed into it.
    pub fn unsaved_dialog(&self) -> Option<String> {
        let dialog = self.dialog.as_ref()?;
        let what = match dialog {
            RecordDialog::Client(f) if f.editing.is_some() => "the changes to the client's details",
            RecordDialog::Client(_) => "the new client form",
            RecordDialog::Concern(_) => "the concern form",
            RecordDialog::Clearance(_) => "the clearance form",
            RecordDialog::Plan(_) => "the treatment plan form",
            RecordDialog::Export(_) => "the export form",
            RecordDialog::ConfirmArchive | RecordDialog::ConfirmAnonymise => return None,
        };
        let opened = self.dialog_opened_as.as_ref()?;
        (*opened != format!("{dialog:?}")).then(|| what.to_owned())
    }

    fn apply_action(&mut self, action: RecordAction, desk: &mut Desk) -> Option<Event> {
        match action {
            RecordAction::Close => {
                self.record = None;
                return Some(Event::RecordClosed);
            }
            RecordAction::NewClient => self.dialog = Some(RecordDialog::Client(Box::default())),
            RecordAction::EditClient => self.edit_client(),
            RecordAction::SubmitClientForm { confirm_duplicate } => {
                return self.submit_client(confirm_duplicate, desk);
            }
            RecordAction::Archive => self.dialog = Some(RecordDialog::ConfirmArchive),
            RecordAction::ConfirmArchive => return self.archive(desk),
            RecordAction::Export => self.open_export(desk),
            RecordAction::ConfirmExport => self.export(desk),
            RecordAction::Anonymise => {
                if self.record.is_some() {
                    self.dialog = Some(RecordDialog::ConfirmAnonymise);
                }
            }
            RecordAction::ConfirmAnonymise => return self.anonymise(desk),
            RecordAction::AddConcern => self.dialog = Some(RecordDialog::Concern(Box::default())),
            RecordAction::EditConcern(id) => self.edit_concern(id),
            RecordAction::SubmitConcernForm => self.submit_concern(desk),
            RecordAction::AddClearance(rule) => {
                let mut form = ClearanceForm::new(desk.today, rule.as_deref());
                form.signer = desk.default_signer();
                self.dialog = Some(RecordDialog::Clearance(Box::new(form)));
            }
            RecordAction::SubmitClearanceForm => return self.submit_clearance(desk),
            RecordAction::NewPlan => self.new_plan(desk),
            RecordAction::SubmitPlanForm => return self.submit_plan(desk),
            RecordAction::BookSession(id) => return self.open_booking(id),
            RecordAction::Print(request) => self.start_print(request, desk),
            RecordAction::CloseDialog => self.dialog = None,
        }
        None
    }

    /// The open client's record, if one is open.
    pub fn current(&self) -> Option<&ClientRecord> {
        self.record.as_ref()
    }

    /// Reads a client's record and shows it.
    pub fn open(&mut self, id: ClientId, desk: &mut Desk) {
        match desk.store.client_record(id) {
            Ok(Some(record)) => self.record = Some(record),
            Ok(None) => {
                self.record = None;
                desk.fail(&StoreError::NotFound { what: "client" });
            }
            Err(e) => desk.fail(&e),
        }
    }

    /// Reads the open record again (after a change).
    pub fn reload(&mut self, desk: &mut Desk) {
        if let Some(id) = self.record.as_ref().map(|r| r.client.id) {
            self.open(id, desk);
        }
    }

    pub fn close(&mut self) {
        self.record = None;
    }

    /// The record, with what can be done from it.
    pub fn ui(&self, ui: &mut egui::Ui, desk: &Desk) -> Vec<Action> {
        let Some(record) = &self.record else {
            return Vec::new();
        };
        views::client_record::ClientRecordView {
            record,
            protocol: &desk.protocol,
            today: desk.today,
            read_only: desk.read_only(),
            printing: self.printing.is_some(),
        }
        .ui(ui)
    }
}

impl AreaDialog for RecordArea {
    fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    fn close_dialog(&mut self) {
        self.dialog = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let action = self.draw_dialog(ui, desk);
        if self.dialog_opened_as.is_none() {
            self.dialog_opened_as = self.dialog.as_ref().map(|d| format!("{d:?}"));
        }
        action
    }
}

impl RecordArea {
    fn draw_dialog(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let protocol = &desk.protocol;
        let action = match self.dialog.as_mut()? {
            RecordDialog::Client(form) => {
                let before = form.draft.clone();
                let action = views::client_form::ClientFormView { form }.ui(ui);
                // A message goes as soon as what it is about is fixed.
                if form.errors.is_some() && form.draft != before {
                    form.errors = form.draft.validate(desk.today).err();
                }
                action
            }
            RecordDialog::Concern(form) => views::concern_form::ConcernFormView { form, protocol }.ui(ui),
            RecordDialog::Clearance(form) => {
                let before = form.draft.clone();
                let signers: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
                let action = views::clearance_form::ClearanceFormView {
                    form,
                    protocol,
                    signers: &signers,
                    signer_status: views::signing::SignerStatus {
                        problem: desk.signer_problem.as_deref(),
                        checking: desk.checking_pin,
                    },
                }
                .ui(ui);
                if form.errors.is_some() && form.draft != before {
                    form.errors = form.draft.validate(desk.today).err();
                }
                action
            }
            RecordDialog::Plan(form) => views::plan_form::PlanFormView { form, protocol }.ui(ui),
            RecordDialog::ConfirmArchive => views::client_record::confirm_archive_ui(ui),
            RecordDialog::Export(form) => views::data_rights::ExportView { form }.ui(ui),
            RecordDialog::ConfirmAnonymise => match &self.record {
                Some(r) => views::data_rights::confirm_anonymise_ui(
                    ui,
                    &r.client.details.full_name,
                    &r.client.id.short(),
                    chrono::Datelike::year(&r.client.details.date_of_birth),
                ),
                None => Some(RecordAction::CloseDialog),
            },
        };
        action.map(Action::from)
    }
}
