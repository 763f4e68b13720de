//! Consent in the store: a document's version is the hash of its text (a changed template is a
//! new version), a consent is signed with a drawn signature and a witness, never changed, ended
//! by a withdrawal or by the renewal period; the signed copy prints the text as signed.

use needlepoint::domain::consent::{Signature, SignaturePoint};
use needlepoint::domain::{ConsentKind, ConsentState, Representative, Role};
use needlepoint::print::consent::{consent_document, consent_sheet, print_consent};
use needlepoint::print::Templates;
use needlepoint::store::{ConsentToSign, Store, StoreError};

use crate::common::sessions::fixture;
use crate::common::{add_staff, date, file_only, lead, temp_db};

const TODAY: &str = "2026-11-22";

/// A signature as a hand draws it: a wavy line across the pad.
pub fn drawn() -> Signature {
    Signature {
        strokes: vec![(0..40u16)
            .map(|i| SignaturePoint {
                x: 120 + i * 18,
                y: 500 + if i % 4 < 2 { i * 3 } else { 0 },
                t: u32::from(i) * 16,
            })
            .collect()],
    }
}

pub fn clinic_named(store: &mut Store) {
    store
        .write(lead(), |w| {
            w.save_clinic_settings(&needlepoint::domain::ClinicSettings {
                name: "Clínica Aurora".to_owned(),
                address: "Rua das Flores 12".to_owned(),
                phone: "+351 21 123 4567".to_owned(),
                paper_size: needlepoint::domain::PaperSize::A4,
                practitioners: Vec::new(),
            })
        })
        .unwrap();
}

/// Signs `kind` for the fixture's client on `on`, as the lead witnessing.
pub fn sign(
    store: &mut Store,
    client: needlepoint::domain::ClientId,
    kind: ConsentKind,
    on: &str,
) -> needlepoint::domain::ConsentId {
    let (doc, _) = consent_document(store, &Templates::shipped(), kind, date(on)).unwrap();
    let to_sign = ConsentToSign {
        id: needlepoint::domain::ConsentId::new(),
        client_id: client,
        kind,
        document_version: doc.version.clone(),
        signer_name: "Amara Okafor".to_owned(),
        representative: None,
        signature: drawn(),
    };
    try_sign(store, lead(), &doc, &to_sign, on).unwrap()
}

/// Keeps `doc` and signs `to_sign` on `on` as `witness`, in one action.
fn try_sign(
    store: &mut Store,
    witness: needlepoint::domain::Actor,
    doc: &needlepoint::store::ConsentDocument,
    to_sign: &ConsentToSign,
    on: &str,
) -> Result<needlepoint::domain::ConsentId, StoreError> {
    store.write(witness, |w| {
        w.keep_consent_document(doc)?;
        w.sign_consent(to_sign, date(on))
    })
}

/// The clinic's own copy of the shipped template `name`, with `from` replaced by `to`, in
/// `templates/` beside the test database; the folder is returned.
fn clinic_copy(db: &crate::common::TempDb, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let dir = db.dir.path().join("templates");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = needlepoint::print::render::SHIPPED_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1;
    std::fs::write(dir.join(name), shipped.replace(from, to)).unwrap();
    dir
}

#[test]
fn a_documents_version_is_the_hash_of_its_text_and_a_changed_template_is_a_new_version() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let (doc, rendered) = consent_document(
        &f.store,
        &Templates::shipped(),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap();
    assert_eq!(doc.version.len(), 64);
    assert!(
        doc.text.contains("Cold sores (herpes simplex) coming back"),
        "{}",
        doc.text
    );
    assert!(doc.text.contains("Clínica Aurora"));
    assert!(!rendered.pdf.is_empty());
    let (again, _) = consent_document(
        &f.store,
        &Templates::shipped(),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap();
    assert_eq!(again.version, doc.version, "the same words are the same version");

    // The clinic's own copy with one word changed.
    let dir = clinic_copy(&db, "consent_treatment.typ", "uncommon", "rare");
    let (changed, _) = consent_document(
        &f.store,
        &Templates::with_clinic_dir(&dir),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap();
    assert_ne!(changed.version, doc.version);
    assert!(changed.template.ends_with("consent_treatment.typ") && !changed.template.starts_with("shipped"));

    // A template that does not render is refused with its file and line.
    std::fs::write(
        dir.join("consent_treatment.typ"),
        "#import \"consent_page.typ\": *\n#let x = (\n",
    )
    .unwrap();
    let broken = consent_document(
        &f.store,
        &Templates::with_clinic_dir(&dir),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap_err();
    assert!(
        broken.to_string().contains("consent_treatment.typ line"),
        "{broken}"
    );
}

#[test]
fn a_consent_needs_a_drawn_signature_and_a_witness_and_is_never_changed() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let client = f.client.id;
    let (doc, _) = consent_document(
        &f.store,
        &Templates::shipped(),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap();
    let mut to_sign = ConsentToSign {
        id: needlepoint::domain::ConsentId::new(),
        client_id: client,
        kind: ConsentKind::Treatment,
        document_version: doc.version.clone(),
        signer_name: "Amara Okafor".to_owned(),
        representative: None,
        signature: Signature::default(),
    };
    let empty = try_sign(&mut f.store, lead(), &doc, &to_sign, TODAY).unwrap_err();
    assert!(empty.to_string().starts_with("Please sign in the box"), "{empty}");

    to_sign.signature = drawn();
    let desk = add_staff(&mut f.store, "Sam Reyes", Role::FrontDesk, "9630");
    let by_desk = try_sign(&mut f.store, desk.actor(), &doc, &to_sign, TODAY).unwrap_err();
    assert!(
        matches!(by_desk, StoreError::Refused(_)),
        "a front-desk account cannot witness: {by_desk}"
    );

    let id = sign(&mut f.store, client, ConsentKind::Treatment, TODAY);
    let state = f
        .store
        .consent_state(client, ConsentKind::Treatment, date(TODAY))
        .unwrap();
    assert!(
        matches!(state, ConsentState::Valid { until, .. } if until == date("2027-11-22")),
        "{state:?}"
    );
    let changed = f.store.execute_raw(&format!(
        "UPDATE consents SET signer_name = 'Someone else' WHERE id = '{id}'"
    ));
    assert!(changed.unwrap_err().to_string().contains("never changed"));
    let removed = f
        .store
        .execute_raw(&format!("DELETE FROM consents WHERE id = '{id}'"));
    assert!(removed.unwrap_err().to_string().contains("never deleted"));
    assert!(f.store.check().unwrap().is_clean());
}

#[test]
fn a_withdrawal_ends_it_and_so_does_the_renewal_period_but_not_a_new_document_version() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let client = f.client.id;
    let photos = sign(&mut f.store, client, ConsentKind::Photographs, TODAY);
    let treatment = sign(&mut f.store, client, ConsentKind::Treatment, TODAY);
    f.store
        .write(lead(), |w| {
            w.withdraw_consent(
                photos,
                "Amara Okafor",
                "Does not want photographs any more",
                date("2026-12-01"),
            )
        })
        .unwrap();
    assert_eq!(
        f.store
            .consent_state(client, ConsentKind::Photographs, date("2026-12-02"))
            .unwrap(),
        ConsentState::Withdrawn {
            on: date("2026-12-01")
        }
    );
    assert!(
        f.store
            .consent_state(client, ConsentKind::Photographs, date("2026-11-30"))
            .unwrap()
            .is_valid(),
        "in force before it was withdrawn"
    );
    assert!(
        f.store
            .consent_state(client, ConsentKind::Treatment, date("2026-12-02"))
            .unwrap()
            .is_valid(),
        "each consent on its own"
    );
    let twice = f
        .store
        .write(lead(), |w| {
            w.withdraw_consent(photos, "Amara Okafor", "again", date("2026-12-02"))
        })
        .unwrap_err();
    assert!(twice.to_string().contains("withdrawn already"), "{twice}");

    // Renewal: a year on it has ended, whatever version of the document is current.
    let expired = f
        .store
        .consent_state(client, ConsentKind::Treatment, date("2027-11-22"))
        .unwrap();
    assert_eq!(
        expired,
        ConsentState::Expired {
            signed_on: date(TODAY),
            ended: date("2027-11-22")
        }
    );
    assert!(expired.words(ConsentKind::Treatment).contains("sign it again"));
    // The clinic may renew more often.
    f.store
        .write(lead(), |w| w.set_setting(needlepoint::store::RENEWAL_KEY, "6"))
        .unwrap();
    assert!(!f
        .store
        .consent_state(client, ConsentKind::Treatment, date("2027-05-22"))
        .unwrap()
        .is_valid());
    let _ = treatment;
}

#[test]
fn a_client_under_18_is_signed_for_by_a_named_representative() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let teen = crate::common::client("Lia Okafor", "2010-05-01", None);
    f.store.write(lead(), |w| w.insert_client(&teen)).unwrap();
    let (doc, _) = consent_document(
        &f.store,
        &Templates::shipped(),
        ConsentKind::Treatment,
        date(TODAY),
    )
    .unwrap();
    let mut to_sign = ConsentToSign {
        id: needlepoint::domain::ConsentId::new(),
        client_id: teen.id,
        kind: ConsentKind::Treatment,
        document_version: doc.version.clone(),
        signer_name: "Lia Okafor".to_owned(),
        representative: None,
        signature: drawn(),
    };
    let alone = try_sign(&mut f.store, lead(), &doc, &to_sign, TODAY).unwrap_err();
    assert!(
        alone.to_string().contains("under 18: a parent or guardian signs"),
        "{alone}"
    );
    to_sign.signer_name = "Amara Okafor".to_owned();
    to_sign.representative = Some(Representative {
        name: "Amara Okafor".to_owned(),
        relationship: "mother".to_owned(),
    });
    let id = try_sign(&mut f.store, lead(), &doc, &to_sign, TODAY).unwrap();
    let sheet = consent_sheet(&f.store, id).unwrap();
    assert_eq!(sheet.signer, "Amara Okafor (mother) for Lia Okafor");
}

#[test]
fn the_signed_copy_prints_the_text_as_signed_with_the_signature_and_witness() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let client = f.client.id;
    let id = sign(&mut f.store, client, ConsentKind::Treatment, TODAY);
    let out = db.dir.path().join("consent.pdf");
    let pages = print_consent(&mut f.store, &Templates::shipped(), id, date(TODAY), &out, lead()).unwrap();
    if let Ok(keep) = std::env::var("NEEDLEPOINT_KEEP_CONSENT_PDF") {
        std::fs::copy(&out, keep).unwrap();
    }
    assert!(pages >= 1);
    let pdf = std::fs::read(&out).unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("Consent to microneedling treatment"), "{words}");
    assert!(words.contains("Scarring, including fine lines"), "{words}");
    assert!(words.contains("Witness Dr. Maya Lindqvist"), "{words}");
    let version = f.store.consent(id).unwrap().unwrap().document_version;
    assert!(words.contains(&version), "the document's hash is printed");
}

#[test]
fn no_session_starts_without_a_treatment_consent_in_force_and_withdrawal_ends_it() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let client = f.client.id;
    let given = f.store.consents_of(client).unwrap()[0].id;
    f.store
        .write(lead(), |w| {
            w.withdraw_consent(given, "Amara Okafor", "Wants to think it over", date(TODAY))
        })
        .unwrap();
    let areas: Vec<String> = f.plan.areas.iter().map(|a| a.area.clone()).collect();
    let to_sign = needlepoint::protocol::ScreeningToSign::for_client(
        &f.client,
        date(TODAY),
        f.protocol.safe_answers(),
        areas,
        crate::common::LEAD,
    );
    let mut screening = f.protocol.sign_screening(to_sign).unwrap();
    screening.signed_at = Some(f.store.now());
    let session = f.session(1);
    let refused = f
        .store
        .write(lead(), |w| {
            w.insert_screening(&screening)?;
            w.start_session(&session, client, &screening, date(TODAY))
        })
        .unwrap_err();
    assert!(
        refused.to_string().contains("was withdrawn on 2026-11-22"),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("A session cannot start without it"),
        "{refused}"
    );
    assert!(
        f.store.screenings_of(client).unwrap().is_empty(),
        "nothing of the action was saved"
    );
    // Signed again: the session starts.
    sign(&mut f.store, client, ConsentKind::Treatment, TODAY);
    f.screen_and_start(1, date(TODAY), f.protocol.safe_answers());
    assert!(f.session(1).screening_id.is_some());
}

#[test]
fn needlepoint_print_consent_writes_the_signed_copy() {
    use crate::common::cli::{needlepoint, needlepoint_as_demo_lead, text};
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let path = db.path.to_str().unwrap().to_owned();
    let made = needlepoint(&["demo", "--clients", "40", "--today", TODAY, "--db", &path]);
    assert!(made.status.success(), "{}", text(&made));
    let store = Store::open(&db.path).unwrap();
    let id: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT id FROM consents LIMIT 1", [], |r| r.get(0))
        .expect("demo clients with a series have signed the treatment consent");
    drop(store);
    let out = db.dir.path().join("consent.pdf");
    let printed = needlepoint_as_demo_lead(&[
        "print",
        "consent",
        "--consent",
        &id,
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(printed.status.success(), "{}", text(&printed));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    let bad = needlepoint_as_demo_lead(&[
        "print",
        "consent",
        "--consent",
        "nonsense",
        "--out",
        out.to_str().unwrap(),
        "--db",
        &path,
    ]);
    assert!(text(&bad).contains("is not a consent id"), "{}", text(&bad));
    let check = needlepoint(&["check", "--db", &path]);
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn a_new_document_version_leaves_the_signed_consent_in_force_until_its_renewal_then_the_new_one_is_signed() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    clinic_named(&mut f.store);
    let client = f.client.id;
    let first = sign(&mut f.store, client, ConsentKind::Photographs, TODAY);
    let old_version = f.store.consent(first).unwrap().unwrap().document_version;
    // The clinic changes the document a month later.
    let dir = clinic_copy(
        &db,
        "consent_photographs.typ",
        "privately",
        "privately and encrypted",
    );
    let (new_doc, _) = consent_document(
        &f.store,
        &Templates::with_clinic_dir(&dir),
        ConsentKind::Photographs,
        date("2026-12-22"),
    )
    .unwrap();
    assert_ne!(new_doc.version, old_version);
    // Still in force under the old version until its year is up...
    assert!(f
        .store
        .consent_state(client, ConsentKind::Photographs, date("2027-06-01"))
        .unwrap()
        .is_valid());
    assert!(!f
        .store
        .consent_state(client, ConsentKind::Photographs, date("2027-11-22"))
        .unwrap()
        .is_valid());
    // ...then signed again, on the new version, which is kept with its text.
    let to_sign = ConsentToSign {
        id: needlepoint::domain::ConsentId::new(),
        client_id: client,
        kind: ConsentKind::Photographs,
        document_version: new_doc.version.clone(),
        signer_name: "Amara Okafor".to_owned(),
        representative: None,
        signature: drawn(),
    };
    let renewed = try_sign(&mut f.store, lead(), &new_doc, &to_sign, "2027-11-22").unwrap();
    assert!(f
        .store
        .consent_state(client, ConsentKind::Photographs, date("2027-11-23"))
        .unwrap()
        .is_valid());
    let kept = f.store.consent_document(&new_doc.version).unwrap().unwrap();
    assert!(kept.text.contains("privately and encrypted"));
    assert_eq!(
        f.store.consent(renewed).unwrap().unwrap().document_version,
        new_doc.version
    );
    // A document whose version is not the hash of its text is refused.
    let mut forged = new_doc.clone();
    forged.text.push_str("one more line");
    let refused = f
        .store
        .write(lead(), |w| w.keep_consent_document(&forged))
        .unwrap_err();
    assert!(
        refused.to_string().contains("not the hash of its text"),
        "{refused}"
    );
}
