//! One way to make a screening ready to save — answers, the engine's outcome, signature — for
//! the screening form, the demo, the bench and the tests; and the answers of a day with nothing
//! to report.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, date, shipped_protocol};
use needlepoint::domain::{Answer, OutcomeKind, ScreeningId, SkinType};
use needlepoint::protocol::screening::{ScreeningError, AGE_QUESTION, CONSENT_QUESTION};
use needlepoint::protocol::signed_screening::field;
use needlepoint::protocol::{ScreeningToSign, SigningError};

fn to_sign(signer: &str) -> ScreeningToSign {
    let protocol = shipped_protocol();
    let c = client("Amara Okafor", "1988-04-02", None);
    ScreeningToSign::for_client(
        &c,
        date("2026-11-22"),
        protocol.safe_answers(),
        vec!["cheeks".to_owned()],
        signer,
    )
}

#[test]
fn safe_answers_answer_every_question_no_but_age_and_consent() {
    let protocol = shipped_protocol();
    let answers = protocol.safe_answers();
    assert!(protocol.unanswered(&answers, None).is_empty());
    assert_eq!(answers.len(), protocol.intake_questions.len());
    for (id, answer) in &answers {
        let expected = if id == AGE_QUESTION || id == CONSENT_QUESTION {
            Answer::yes()
        } else {
            Answer::no()
        };
        assert_eq!(answer, &expected, "{id}");
    }
}

#[test]
fn a_signed_screening_carries_its_computed_outcome_and_signature() {
    let protocol = shipped_protocol();
    let s = protocol.sign_screening(to_sign("  Dr. Maya Lindqvist ")).unwrap();
    assert_eq!(s.outcome.kind, OutcomeKind::Clear);
    assert_eq!(s.outcome, to_sign("x").outcome(protocol).unwrap());
    assert_eq!(s.signed_by.as_deref(), Some("Dr. Maya Lindqvist"), "trimmed");
    assert_eq!(s.signed_at, None, "the store stamps the time it is saved");
    assert_eq!(s.screened_on, date("2026-11-22"));
    assert_eq!(s.planned_areas, ["cheeks"]);
    assert_eq!(s.protocol_version, protocol.version);
    assert!(s.clearances.is_empty());
    assert_eq!((s.amends, s.amendment_reason), (None, None));

    // Darker skin: the engine's caution is in the outcome.
    let mut darker = to_sign("Dr. Maya Lindqvist");
    darker.skin_type = SkinType::V;
    let s = protocol.sign_screening(darker).unwrap();
    assert_eq!(s.outcome.kind, OutcomeKind::Caution);
}

#[test]
fn signing_is_refused_in_the_order_the_form_reports() {
    let protocol = shipped_protocol();
    let mut unanswered = to_sign("");
    unanswered.answers.remove(CONSENT_QUESTION);
    assert!(matches!(
        protocol.sign_screening(unanswered),
        Err(SigningError::Answers(ScreeningError::Unanswered(_)))
    ));
    let e = protocol.sign_screening(to_sign("   ")).unwrap_err();
    assert_eq!(e.to_string(), format!("{} is required.", field::SIGNER));

    let original = ScreeningId::new();
    let mut amendment = to_sign("Dr. Maya Lindqvist");
    amendment.amends = Some((original, "  ".to_owned()));
    let e = protocol.sign_screening(amendment.clone()).unwrap_err();
    assert_eq!(e.to_string(), format!("{} is required.", field::AMENDMENT_REASON));
    amendment.amends = Some((original, " Wrong area ticked ".to_owned()));
    let s = protocol.sign_screening(amendment).unwrap();
    assert_eq!(s.amends, Some(original));
    assert_eq!(s.amendment_reason.as_deref(), Some("Wrong area ticked"));
}
