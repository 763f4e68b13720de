//! A screening ready to save: the answers, the engine's outcome for them, and the
//! practitioner's signature — made in one place for the screening form, the demo, the bench
//! and the tests. And the answers of a treatment day with nothing to report.

use chrono::NaiveDate;
use thiserror::Error;

use super::model::Protocol;
use super::screening::{ScreeningError, ScreeningInput, AGE_QUESTION, CONSENT_QUESTION};
use crate::domain::text::{self, limits};
use crate::domain::{
    Answer, Answers, Clearance, Client, ClientId, DomainError, Outcome, Screening, ScreeningId, SkinType,
};

/// Field names of the signature, as the screening form labels them.
pub mod field {
    pub const SIGNER: &str = "Signed by (practitioner)";
    pub const AMENDMENT_REASON: &str = "Reason for the amendment";
}

/// Why a screening cannot be signed yet: its answers, or its signature.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SigningError {
    #[error("{0}")]
    Answers(#[from] ScreeningError),
    #[error("{0}")]
    Signature(#[from] DomainError),
}

/// Everything a screening is made of before it is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningToSign {
    /// The id the signed screening gets: fixed when the form opens, so signing again after a
    /// save whose answer was lost can never save a second screening.
    pub id: ScreeningId,
    pub client_id: ClientId,
    pub skin_type: SkinType,
    pub date_of_birth: NaiveDate,
    pub screened_on: NaiveDate,
    pub answers: Answers,
    /// Protocol area ids planned for the session.
    pub planned_areas: Vec<String>,
    /// The practitioner's name as typed.
    pub signed_by: String,
    /// The signed screening this one corrects, and the reason as typed.
    pub amends: Option<(ScreeningId, String)>,
    /// The written clearances on the client's file (in force or not: the engine decides).
    pub clearances: Vec<Clearance>,
}

impl ScreeningToSign {
    /// A new (not amending) screening of `client` on `screened_on`.
    pub fn for_client(
        client: &Client,
        screened_on: NaiveDate,
        answers: Answers,
        planned_areas: Vec<String>,
        signed_by: &str,
    ) -> Self {
        Self {
            id: ScreeningId::new(),
            client_id: client.id,
            skin_type: client.details.skin_type,
            date_of_birth: client.details.date_of_birth,
            screened_on,
            answers,
            planned_areas,
            signed_by: signed_by.to_owned(),
            amends: None,
            clearances: Vec::new(),
        }
    }

    /// The engine's outcome for these answers on the screening day, with the clearances on file.
    pub fn outcome(&self, protocol: &Protocol) -> Result<Outcome, ScreeningError> {
        protocol.screen(&ScreeningInput {
            answers: &self.answers,
            planned_areas: &self.planned_areas,
            today: self.screened_on,
            skin_type: Some(self.skin_type),
            date_of_birth: Some(self.date_of_birth),
            clearances: &self.clearances,
        })
    }

    /// The screening with `outcome`, as typed: nothing is checked. `signed_at` is left for the
    /// store, which stamps the time it saves the screening.
    pub fn with_outcome(self, protocol: &Protocol, outcome: Outcome) -> Screening {
        let (amends, amendment_reason) = self
            .amends
            .map_or((None, None), |(id, why)| (Some(id), Some(why)));
        // Kept with the screening: the file's clearances its findings relied on or named, so
        // the signed copy shows them as they were that day.
        let relied_on: Vec<Clearance> = outcome
            .findings
            .iter()
            .filter_map(|f| Clearance::pick(&self.clearances, &f.rule, self.screened_on))
            .fold(Vec::new(), |mut kept, c| {
                if !kept.contains(c) {
                    kept.push(c.clone());
                }
                kept
            });
        Screening {
            id: self.id,
            client_id: self.client_id,
            screened_on: self.screened_on,
            answers: self.answers,
            planned_areas: self.planned_areas,
            outcome,
            clearances: relied_on,
            protocol_version: protocol.version.clone(),
            signed_by: Some(self.signed_by),
            signed_at: None,
            amends,
            amendment_reason,
        }
    }
}

impl Protocol {
    /// Every intake question answered the safe way: "no", except "yes" to consent and to
    /// "Are you 22 or older?" — a treatment day with nothing to report.
    pub fn safe_answers(&self) -> Answers {
        self.intake_questions
            .iter()
            .map(|q| {
                let yes = q.id == AGE_QUESTION || q.id == CONSENT_QUESTION;
                (q.id.clone(), if yes { Answer::yes() } else { Answer::no() })
            })
            .collect()
    }

    /// The signed screening with its computed outcome, or the first thing in the way, in the
    /// order the form reports them: the answers, the signature, the amendment's reason.
    pub fn sign_screening(&self, mut to_sign: ScreeningToSign) -> Result<Screening, SigningError> {
        let outcome = to_sign.outcome(self)?;
        to_sign.signed_by = text::required(field::SIGNER, &to_sign.signed_by, limits::NAME)?;
        if let Some((_, reason)) = &mut to_sign.amends {
            *reason = text::required(field::AMENDMENT_REASON, reason, limits::REASON)?;
        }
        Ok(to_sign.with_outcome(self, outcome))
    }
}
