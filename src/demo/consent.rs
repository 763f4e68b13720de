//! The demo's consents: clients with a series to continue have signed the treatment consent,
//! witnessed by the practitioner, against a demo document (a real consent shows the clinic's own
//! document, from `assets/consent/`, and keeps that version).

use chrono::{Duration, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;

use crate::domain::consent::{Signature, SignaturePoint};
use crate::domain::{Actor, Client, ConsentKind};
use crate::store::{ConsentDocument, ConsentToSign, StoreResult, Writer};

const DEMO_TEXT: &str = "Consent to microneedling treatment\n\
Demo data: this stands for the clinic's consent document. A consent signed at the desk shows the\n\
clinic's own document (assets/consent/treatment.typ or the clinic's copy) and keeps that version.\n";

/// The demo's document, its version the SHA-256 of its text (as every version is).
pub fn demo_document() -> ConsentDocument {
    ConsentDocument {
        version: crate::store::document_version(DEMO_TEXT),
        kind: ConsentKind::Treatment,
        title: ConsentKind::Treatment.title().to_owned(),
        text: DEMO_TEXT.to_owned(),
        template: "demo data".to_owned(),
    }
}

/// A hand's signature: a few loops along a line.
fn signature(rng: &mut SmallRng) -> Signature {
    let y0: u16 = rng.random_range(420..600);
    let points = (0..16u16)
        .map(|i| SignaturePoint {
            x: 150 + i * 40,
            y: y0
                + if i % 3 == 0 {
                    rng.random_range(0..180)
                } else {
                    rng.random_range(0..40)
                },
            t: u32::from(i) * 35,
        })
        .collect();
    Signature {
        strokes: vec![points],
    }
}

/// Signs the treatment consent for `client` on `on`, witnessed by `by`.
pub(super) fn sign(
    w: &mut Writer<'_>,
    client: &Client,
    on: NaiveDate,
    by: &Actor,
    rng: &mut SmallRng,
) -> StoreResult<()> {
    signed_as_of(w, &consent_to_sign(client, rng), on, by)
}

/// Signs `to_sign` on `on` at 9:00, witnessed by `by`.
fn signed_as_of(w: &mut Writer<'_>, to_sign: &ConsentToSign, on: NaiveDate, by: &Actor) -> StoreResult<()> {
    w.demo_signed(super::demo_time(on, 9), by, |w| {
        w.sign_consent(to_sign, on).map(|_| ())
    })
}

/// The demo's document for photographs (see [`demo_document`]).
pub fn demo_photo_document() -> ConsentDocument {
    let text = DEMO_TEXT
        .replace(
            "Consent to microneedling treatment\n",
            "Consent to clinical photographs\n",
        )
        .replace("treatment.typ", "photographs.typ");
    ConsentDocument {
        version: crate::store::document_version(&text),
        kind: ConsentKind::Photographs,
        title: ConsentKind::Photographs.title().to_owned(),
        text,
        template: "demo data".to_owned(),
    }
}

/// The photographs consent `client` signs on `on`, witnessed by `by`.
pub(super) fn sign_photographs(
    w: &mut Writer<'_>,
    client: &Client,
    on: NaiveDate,
    by: &Actor,
    rng: &mut SmallRng,
) -> StoreResult<()> {
    w.keep_consent_document(&demo_photo_document())?;
    let to_sign = ConsentToSign {
        id: crate::domain::ConsentId::new(),
        kind: ConsentKind::Photographs,
        document_version: demo_photo_document().version,
        ..consent_to_sign(client, rng)
    };
    signed_as_of(w, &to_sign, on, by)
}

/// The treatment consent `client` signs against the demo document.
pub fn consent_to_sign(client: &Client, rng: &mut SmallRng) -> ConsentToSign {
    ConsentToSign {
        id: crate::domain::ConsentId::new(),
        client_id: client.id,
        kind: ConsentKind::Treatment,
        document_version: demo_document().version,
        signer_name: client.details.full_name.clone(),
        representative: None,
        signature: signature(rng),
    }
}

/// The day a client with a series to continue signed: at their first session, or within the
/// last months when that was over a year ago (they renewed it).
pub(super) fn signed_on(first: NaiveDate, today: NaiveDate, rng: &mut SmallRng) -> NaiveDate {
    if today - first < Duration::days(330) {
        first.min(today)
    } else {
        today - Duration::days(rng.random_range(1..120))
    }
}
