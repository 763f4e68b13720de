//! Consent at the desk: the document shown in full, the client's typed name and drawn signature
//! (or their representative's), the witness's PIN; withdrawing one; printing a signed copy.
//! While the form is open it stands in for the client record, like the screening.

use chrono::NaiveDate;

use crate::domain::consent::{age_on, Signature, ADULT_AGE};
use crate::domain::{ClientId, ConsentId, ConsentKind, Representative};
use crate::print::consent::consent_document;
use crate::print::Templates;
use crate::store::{ClientRecord, ConsentDocument, ConsentToSign};

use super::action::{Action, Event};
use super::desk::Desk;

/// What the consent area can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentAction {
    /// Open the form for the open client.
    Start(ConsentKind),
    ClearSignature,
    /// The document's text larger (+) or smaller (−), in steps.
    TextLarger(bool),
    /// Check the form, the witness's PIN, then sign.
    Sign,
    Cancel,
    /// Ask why, who asked and the witness's PIN.
    Withdraw(ConsentId),
    SubmitWithdrawal,
    CloseDialog,
    /// A signed copy into the documents folder.
    Print(ConsentId),
}

impl ConsentAction {
    pub fn writes(&self) -> bool {
        matches!(self, Self::Sign | Self::SubmitWithdrawal | Self::Print(_))
    }
}

/// The consent being signed.
pub(crate) struct ConsentForm {
    /// The id the signed consent gets (see `ConsentToSign::id`).
    consent_id: crate::domain::ConsentId,
    pub client: ClientId,
    pub client_name: String,
    /// Under 18 on the day: a representative signs.
    pub minor: bool,
    pub document: ConsentDocument,
    pub signer_name: String,
    pub by_representative: bool,
    pub relationship: String,
    pub signature: Signature,
    pub started: Option<f64>,
    pub text_size: f32,
    pub witness: String,
    pub pin: String,
    pub error: Option<String>,
}

/// Ending a consent.
pub(crate) struct WithdrawForm {
    pub consent: ConsentId,
    pub title: String,
    pub asked_by: String,
    pub reason: String,
    pub witness: String,
    pub pin: String,
    pub error: Option<String>,
}

#[derive(Default)]
pub(crate) struct ConsentArea {
    pub form: Option<ConsentForm>,
    pub withdraw: Option<WithdrawForm>,
}

impl ConsentArea {
    pub fn is_open(&self) -> bool {
        self.form.is_some()
    }

    pub fn close(&mut self) {
        self.form = None;
        self.withdraw = None;
    }

    /// "the consent being signed" when a signature is drawn (closing would throw it away).
    pub fn unsaved_form(&self) -> Option<String> {
        self.form
            .as_ref()
            .filter(|f| !f.signature.strokes.is_empty())
            .map(|f| format!("the {} being signed", f.document.title.to_lowercase()))
    }

    pub fn apply(
        &mut self,
        action: ConsentAction,
        desk: &mut Desk,
        record: Option<&ClientRecord>,
    ) -> Option<Event> {
        match action {
            ConsentAction::Start(kind) => {
                self.start(kind, desk, record?);
                None
            }
            ConsentAction::ClearSignature => {
                if let Some(f) = &mut self.form {
                    f.signature = Signature::default();
                    f.started = None;
                }
                None
            }
            ConsentAction::TextLarger(larger) => {
                if let Some(f) = &mut self.form {
                    let step = if larger { 2.0 } else { -2.0 };
                    f.text_size = (f.text_size + step).clamp(12.0, 28.0);
                }
                None
            }
            ConsentAction::Sign => self.sign(desk),
            ConsentAction::Cancel => {
                self.form = None;
                None
            }
            ConsentAction::Withdraw(id) => {
                let r = record?;
                let c = r.consents.iter().find(|c| c.id == id)?;
                self.withdraw = Some(WithdrawForm {
                    consent: id,
                    title: c.kind.title().to_owned(),
                    asked_by: r.client.details.full_name.clone(),
                    reason: String::new(),
                    witness: desk
                        .signed_in
                        .as_ref()
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    pin: String::new(),
                    error: None,
                });
                None
            }
            ConsentAction::SubmitWithdrawal => self.submit_withdrawal(desk),
            ConsentAction::CloseDialog => {
                self.withdraw = None;
                None
            }
            ConsentAction::Print(id) => {
                print(desk, id);
                None
            }
        }
    }

    fn start(&mut self, kind: ConsentKind, desk: &mut Desk, record: &ClientRecord) {
        let templates = Templates::beside_database(desk.store.path());
        let document = match consent_document(&desk.store, &templates, kind, desk.today) {
            Ok((doc, _)) => doc,
            Err(e) => return desk.error(e.to_string()),
        };
        let client = &record.client;
        let minor = age_on(client.details.date_of_birth, desk.today) < ADULT_AGE;
        self.form = Some(ConsentForm {
            consent_id: crate::domain::ConsentId::new(),
            client: client.id,
            client_name: client.details.full_name.clone(),
            minor,
            document,
            signer_name: if minor {
                String::new()
            } else {
                client.details.full_name.clone()
            },
            by_representative: minor,
            relationship: String::new(),
            signature: Signature::default(),
            started: None,
            text_size: 15.0,
            witness: desk
                .signed_in
                .as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            pin: String::new(),
            error: None,
        });
    }

    fn sign(&mut self, desk: &mut Desk) -> Option<Event> {
        let form = self.form.as_mut()?;
        if let Err(e) = form.signature.check() {
            form.error = Some(e.to_string());
            return None;
        }
        if form.signer_name.trim().is_empty() {
            form.error = Some("Type the name of the person signing.".to_owned());
            return None;
        }
        if form.witness.trim().is_empty() {
            form.error = Some("Choose the witness, who confirms with their PIN.".to_owned());
            return None;
        }
        let Some(actor) = desk.take_proof(&form.witness) else {
            return Some(Event::CheckSignerPin {
                signer: form.witness.clone(),
                pin: std::mem::take(&mut form.pin),
                then: Box::new(Action::Consent(ConsentAction::Sign)),
            });
        };
        let to_sign = ConsentToSign {
            id: form.consent_id,
            client_id: form.client,
            kind: form.document.kind,
            document_version: form.document.version.clone(),
            signer_name: form.signer_name.clone(),
            representative: form.by_representative.then(|| Representative {
                name: form.signer_name.clone(),
                relationship: form.relationship.clone(),
            }),
            signature: form.signature.clone(),
        };
        let (today, document) = (desk.today, form.document.clone());
        match desk.store.write(&actor, |w| {
            w.keep_consent_document(&document)?;
            w.sign_consent(&to_sign, today)
        }) {
            Ok(_) => {
                desk.info(format!(
                    "{} signed and kept with {}'s record.",
                    document.title, form.client_name
                ));
                self.form = None;
                Some(Event::DataChanged)
            }
            // Signed before, its answer lost with the network: it is in the record already.
            Err(e @ crate::store::StoreError::AlreadySaved { .. }) => {
                desk.info(e.to_string());
                self.form = None;
                Some(Event::DataChanged)
            }
            Err(e) => {
                // Nothing is lost: the drawn signature and every field stay for a retry.
                form.error = Some(e.to_string());
                None
            }
        }
    }

    fn submit_withdrawal(&mut self, desk: &mut Desk) -> Option<Event> {
        let form = self.withdraw.as_mut()?;
        if form.reason.trim().is_empty() {
            form.error = Some("Write why the consent is withdrawn.".to_owned());
            return None;
        }
        let Some(actor) = desk.take_proof(&form.witness) else {
            return Some(Event::CheckSignerPin {
                signer: form.witness.clone(),
                pin: std::mem::take(&mut form.pin),
                then: Box::new(Action::Consent(ConsentAction::SubmitWithdrawal)),
            });
        };
        let (id, asked_by, reason, today) = (
            form.consent,
            form.asked_by.clone(),
            form.reason.clone(),
            desk.today,
        );
        match desk
            .store
            .write(&actor, |w| w.withdraw_consent(id, &asked_by, &reason, today))
        {
            Ok(_) => {
                desk.info(format!("{} withdrawn ({reason}).", form.title));
                self.withdraw = None;
                Some(Event::DataChanged)
            }
            Err(e) => {
                form.error = Some(e.to_string());
                None
            }
        }
    }
}

/// The signed copy into the documents folder, opened as Settings say.
fn print(desk: &mut Desk, id: ConsentId) {
    let folder = match desk.store.print_settings() {
        Ok(s) => crate::print::documents_folder(desk.store.path(), &s),
        Err(e) => return desk.fail(&e),
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return desk.error(format!(
            "The documents folder {} could not be made: {e}",
            folder.display()
        ));
    }
    let out = folder.join(format!(
        "consent-{}-{}.pdf",
        id.short(),
        desk.store.now().format("%Y%m%d-%H%M%S")
    ));
    let templates = Templates::beside_database(desk.store.path());
    let (today, actor) = (desk.today, desk.actor());
    match crate::print::consent::print_consent(&mut desk.store, &templates, id, today, &out, &actor) {
        Ok(_) => {
            if desk.delivery == crate::print::deliver::Delivery::System {
                let use_lp = desk.store.print_settings().map(|s| s.use_lp).unwrap_or(false);
                if let Err(why) = crate::print::deliver::deliver(&out, use_lp) {
                    return desk.error(format!(
                        "The signed copy was saved to {} but could not be opened: {why}",
                        out.display()
                    ));
                }
            }
            desk.info(format!("The signed copy was saved to {}.", out.display()));
        }
        Err(e) => desk.error(e.to_string()),
    }
}

/// Whether `day` is within `months` of `signed_on` (for the record's "in force until").
pub fn until(signed_on: NaiveDate, months: u32) -> NaiveDate {
    signed_on
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

impl ConsentArea {
    /// The form, standing in for the record.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let witnesses: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
        let form = self.form.as_mut()?;
        super::views::consent_form::ConsentFormView {
            form,
            witnesses: &witnesses,
            checking_pin: desk.checking_pin,
            pin_problem: desk.signer_problem.as_deref(),
        }
        .ui(ui)
        .map(Action::Consent)
    }
}

impl super::areas::AreaDialog for ConsentArea {
    fn has_dialog(&self) -> bool {
        self.withdraw.is_some()
    }

    fn close_dialog(&mut self) {
        self.withdraw = None;
    }

    fn dialog_ui(&mut self, ui: &mut egui::Ui, desk: &Desk) -> Option<Action> {
        let witnesses: Vec<String> = desk.signers().iter().map(|s| s.name.clone()).collect();
        let form = self.withdraw.as_mut()?;
        super::views::client_consents::withdraw_ui(ui, form, &witnesses, desk.signer_problem.as_deref())
            .map(Action::Consent)
    }
}
