//! Versioning keeps old records true (issue 15, point 9): a screening signed under 2026.11-1
//! shows the outcome it was signed with, whatever the rules say now; a clinic's file of the old
//! shape is refused with what changed, not with a field error.

use crate::common::{client, date, open, temp_db};
use egui_kittest::kittest::Queryable;
use needlepoint::domain::{Answer, Finding, Outcome, OutcomeKind, Screening, ScreeningId};
use needlepoint::protocol::{Protocol, ProtocolError};

const OLD: &str = include_str!("fixtures/protocol-2026.11-1.json");

#[test]
fn a_clinic_file_of_the_old_shape_is_refused_with_what_changed() {
    let e = Protocol::from_json(OLD).unwrap_err();
    assert!(matches!(e, ProtocolError::OlderShape { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("(version 2026.11-1) is of an older shape"),
        "{text}"
    );
    assert!(text.contains("written clearances"), "{text}");
    assert!(text.contains("diabetes_controlled"), "{text}");
    assert!(text.contains("keep their outcomes as signed"), "{text}");
    // The shipped file is of this build's shape and version.
    let p = Protocol::shipped().unwrap();
    assert_eq!(p.format, needlepoint::protocol::FORMAT);
    assert_eq!(p.version, "2026.12-1");
}

#[test]
fn a_screening_signed_under_the_old_protocol_keeps_its_outcome_and_version() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Amara Okafor", "1988-04-02", None);
    // Controlled diabetes was "do not treat" under 2026.11-1; it needs a clearance now.
    let p = Protocol::shipped().unwrap();
    let mut answers = p.safe_answers();
    let mut diabetes = Answer::yes();
    diabetes.details.insert("controlled".to_owned(), "yes".to_owned());
    answers.insert("diabetes".to_owned(), diabetes);
    let old = Screening {
        id: ScreeningId::new(),
        client_id: c.id,
        screened_on: date("2026-11-20"),
        answers,
        planned_areas: vec!["cheeks".to_owned()],
        outcome: Outcome::from_findings(vec![Finding {
            rule: "diabetes".to_owned(),
            kind: OutcomeKind::DoNotTreat,
            message: "Diabetes: do not treat.".to_owned(),
            area: None,
            defer_until: None,
            clearance_from: None,
            sources: vec!["C10".to_owned()],
            tier: "C".to_owned(),
            disagreement: None,
        }]),
        clearances: Vec::new(),
        protocol_version: "2026.11-1".to_owned(),
        signed_by: Some("Dr. Maya Lindqvist".to_owned()),
        signed_at: None,
        amends: None,
        amendment_reason: None,
    };
    store
        .write(crate::common::lead(), |w| {
            w.insert_client(&c)?;
            w.insert_screening(&old)
        })
        .unwrap();
    let kept = store.screening(old.id).unwrap().unwrap();
    assert_eq!(kept.outcome.kind, OutcomeKind::DoNotTreat);
    assert_eq!(kept.protocol_version, "2026.11-1");
    drop(store);
    let h = crate::common::ui::record_of(&db, c.id, date("2026-12-05"), 1000.0);
    assert!(h.query_by_label_contains("protocol 2026.11-1").is_some());
    assert!(
        h.query_by_label_contains("Do not treat").is_some(),
        "shown as signed"
    );
}

/// Findings of the review that are wording in the file (B7, B8, C6): what the file now says.
#[test]
fn the_isotretinoin_note_autoimmune_clearance_and_conception_wording_match_the_review() {
    let p = Protocol::shipped().unwrap();
    // B7: the note agrees with the 6-month value instead of claiming 12 months apply.
    let iso = p.contraindication("isotretinoin").unwrap();
    let note = iso.deferral.note.as_deref().unwrap();
    assert!(note.starts_with("6 months after the last dose"), "{note}");
    assert!(!note.contains("applies unless a doctor approves"), "{note}");
    // B8: alopecia areata (autoimmune) is not blocked for good: its doctor can clear it.
    let auto = p.contraindication("autoimmune_disease").unwrap();
    assert_eq!(
        auto.class.value,
        Some(needlepoint::protocol::ContraindicationClass::Clearance)
    );
    assert!(auto.class.note.as_deref().unwrap().contains("Alopecia areata"));
    // C6: "trying to conceive" is asked, and the deferral says when it ends in those words.
    let pregnancy = p.contraindication("pregnancy_breastfeeding").unwrap();
    match &pregnancy.deferral.value {
        Some(needlepoint::protocol::Deferral::UntilResolved { condition }) => {
            assert!(condition.contains("not trying to conceive"), "{condition}");
        }
        other => panic!("{other:?}"),
    }
}
