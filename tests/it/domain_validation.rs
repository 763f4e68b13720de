//! Validation edges a receptionist can hit: depths at the pen's limits, skin types outside
//! I–VI, birth dates in the future, empty names. Each refusal says what is wrong.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::NaiveDate;
use needlepoint::domain::client::field;
use needlepoint::domain::{
    ClientDraft, DepthRange, DomainError, NeedleDepth, Product, ProductKind, SkinType,
};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn today() -> NaiveDate {
    date("2026-11-22")
}

#[test]
fn depth_accepts_the_pens_range_and_refuses_outside_it() {
    assert!(matches!(
        NeedleDepth::parse_mm("0.09"),
        Err(DomainError::DepthOutOfPenRange { .. })
    ));
    assert_eq!(NeedleDepth::parse_mm("0.10").map(NeedleDepth::hundredths), Ok(10));
    assert_eq!(
        NeedleDepth::parse_mm("2.50").map(NeedleDepth::hundredths),
        Ok(250)
    );
    assert!(matches!(
        NeedleDepth::parse_mm("2.51"),
        Err(DomainError::DepthOutOfPenRange { .. })
    ));
    assert!(NeedleDepth::from_hundredths(9).is_err());
    assert!(NeedleDepth::from_hundredths(251).is_err());
}

#[test]
fn depth_reads_what_practitioners_type_and_is_exact() {
    assert_eq!(
        NeedleDepth::parse_mm(" 0.5 ").map(NeedleDepth::hundredths),
        Ok(50)
    );
    assert_eq!(
        NeedleDepth::parse_mm("1,25").map(NeedleDepth::hundredths),
        Ok(125)
    );
    assert_eq!(
        NeedleDepth::parse_mm("1.5 mm").map(NeedleDepth::hundredths),
        Ok(150)
    );
    assert_eq!(NeedleDepth::parse_mm(".75").map(NeedleDepth::hundredths), Ok(75));
    assert_eq!(NeedleDepth::parse_mm("2").map(NeedleDepth::hundredths), Ok(200));
    // 0.1 + 0.2 style float drift cannot happen: the value is whole hundredths.
    assert_eq!(
        NeedleDepth::from_mm_f64(0.1 + 0.2).map(NeedleDepth::hundredths),
        Ok(30)
    );
    assert_eq!(
        NeedleDepth::from_hundredths(75).map(|d| d.to_string()),
        Ok("0.75 mm".to_owned())
    );
}

#[test]
fn depth_refuses_rounding_and_nonsense_with_a_message() {
    let too_precise = NeedleDepth::parse_mm("0.755").expect_err("three decimals");
    assert!(too_precise.to_string().contains("two decimals"), "{too_precise}");
    assert!(matches!(
        NeedleDepth::parse_mm("abc"),
        Err(DomainError::DepthNotReadable { .. })
    ));
    assert!(matches!(
        NeedleDepth::parse_mm("-0.5"),
        Err(DomainError::DepthNotReadable { .. })
    ));
    assert!(matches!(
        NeedleDepth::parse_mm(""),
        Err(DomainError::Missing { .. })
    ));
    assert!(NeedleDepth::parse_mm("99999999999").is_err());
    let out = NeedleDepth::parse_mm("3").expect_err("above the pen");
    assert!(out.to_string().contains("0.10 to 2.50"), "{out}");
}

#[test]
fn depth_range_is_ordered() {
    let a = NeedleDepth::parse_mm("0.5").expect("depth");
    let b = NeedleDepth::parse_mm("1.0").expect("depth");
    assert!(DepthRange::new(b, a).is_err());
    let r = DepthRange::new(a, b).expect("range");
    assert!(r.contains(a) && r.contains(b));
    assert_eq!(r.to_string(), "0.50–1.00 mm");
}

#[test]
fn fitzpatrick_type_is_one_to_six() {
    assert!(matches!(
        SkinType::try_from(0),
        Err(DomainError::SkinTypeInvalid { .. })
    ));
    assert_eq!(SkinType::try_from(1), Ok(SkinType::I));
    assert_eq!(SkinType::try_from(6), Ok(SkinType::VI));
    assert!(matches!(
        SkinType::try_from(7),
        Err(DomainError::SkinTypeInvalid { .. })
    ));
    assert_eq!(SkinType::parse("iv"), Ok(SkinType::IV));
    assert!(SkinType::parse("VII").is_err());
}

fn valid_draft() -> ClientDraft {
    ClientDraft {
        full_name: "Zoë Łukasz-李雷".to_owned(),
        date_of_birth: "1990-02-28".to_owned(),
        phone: "+61 (0)412 555 010".to_owned(),
        email: "zoe@example.com".to_owned(),
        skin_type: Some(3),
        notes: String::new(),
    }
}

#[test]
fn a_complete_client_form_validates_and_keeps_unicode() {
    let d = valid_draft().validate(today()).expect("valid");
    assert_eq!(d.full_name, "Zoë Łukasz-李雷");
    assert_eq!(d.phone_digits(), "610412555010");
    assert_eq!(d.age_on(today()), 36);
}

#[test]
fn a_birth_date_in_the_future_is_refused_with_a_message() {
    let mut draft = valid_draft();
    draft.date_of_birth = "2026-11-23".to_owned();
    let errors = draft.validate(today()).expect_err("future");
    let e = errors.for_field(field::DATE_OF_BIRTH).expect("field error");
    assert!(matches!(e, DomainError::BirthDateInFuture { .. }));
    assert!(e.to_string().contains("future"), "{e}");
    // Born today is allowed (a newborn cannot be a client, but the date itself is real).
    draft.date_of_birth = "2026-11-22".to_owned();
    assert!(draft.validate(today()).is_ok());
    draft.date_of_birth = "1880-01-01".to_owned();
    assert!(draft.validate(today()).is_err());
    draft.date_of_birth = "22/11/1990".to_owned();
    let e = draft.validate(today()).expect_err("format");
    assert!(e.to_string().contains("year-month-day"), "{e}");
}

#[test]
fn empty_and_blank_names_are_refused_and_every_problem_is_reported_at_once() {
    let draft = ClientDraft {
        full_name: "   ".to_owned(),
        date_of_birth: String::new(),
        phone: "call me".to_owned(),
        email: "not-an-email".to_owned(),
        skin_type: Some(7),
        notes: "x".repeat(4001),
    };
    let errors = draft.validate(today()).expect_err("invalid");
    for f in [
        field::FULL_NAME,
        field::DATE_OF_BIRTH,
        field::PHONE,
        field::EMAIL,
        field::SKIN_TYPE,
        field::NOTES,
    ] {
        assert!(errors.for_field(f).is_some(), "no message for {f}: {errors}");
    }
    assert_eq!(
        errors.for_field(field::FULL_NAME),
        Some(&DomainError::Missing {
            field: field::FULL_NAME
        })
    );
}

#[test]
fn name_length_counts_characters_not_bytes() {
    let mut draft = valid_draft();
    draft.full_name = "李".repeat(120);
    assert!(draft.validate(today()).is_ok());
    draft.full_name = "李".repeat(121);
    assert!(draft.validate(today()).is_err());
}

#[test]
fn an_expired_lot_is_refused_the_day_after_expiry() {
    let p = Product::new(
        ProductKind::Serum,
        "HA gel",
        Some("ha_gel"),
        "L1",
        date("2026-11-22"),
        true,
    )
    .expect("product");
    assert!(p.check_usable(date("2026-11-22")).is_ok());
    let e = p.check_usable(date("2026-11-23")).expect_err("expired");
    assert!(e.to_string().contains("expired"), "{e}");
}
