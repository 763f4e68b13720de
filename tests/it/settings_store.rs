//! Clinic settings: stored as key/value rows, read back with defaults, one audit row per save,
//! and the validation of the settings as typed (`ClinicSettingsDraft`, the Settings form's).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{open, temp_db};
use needlepoint::domain::settings::{field, ClinicSettingsDraft};
use needlepoint::domain::{AuditAction, ClinicSettings, DomainError, PaperSize};
use needlepoint::store::{Settings, StoreError};

fn aurora() -> ClinicSettings {
    ClinicSettings {
        name: "Clínica Aurora".to_owned(),
        address: "Rua das Flores 12\n1200-195 Lisboa\nPortugal".to_owned(),
        phone: "+351 21 123 4567".to_owned(),
        paper_size: PaperSize::Letter,
        practitioners: vec![
            "Łukasz Nowak".to_owned(),
            "李雷".to_owned(),
            "Dr. Maya Lindqvist".to_owned(),
        ],
    }
}

fn valid_form() -> ClinicSettingsDraft {
    ClinicSettingsDraft {
        name: "Clínica Aurora".to_owned(),
        address: "Rua das Flores 12\nLisboa".to_owned(),
        phone: "+351 21 123 4567".to_owned(),
        paper_size: "A4".to_owned(),
        practitioners: "Łukasz Nowak\n\n  李雷  \n".to_owned(),
    }
}

#[test]
fn settings_round_trip_with_unicode_across_reopening() {
    let db = temp_db();
    let mut store = open(&db);
    let settings = aurora();
    store
        .write("Łukasz Nowak", |w| w.save_clinic_settings(&settings))
        .expect("save");
    assert_eq!(store.clinic_settings().expect("read"), settings);
    drop(store);

    let store = open(&db);
    assert_eq!(store.clinic_settings().expect("read"), settings);
    assert_eq!(
        store.setting(Settings::PAPER_SIZE).expect("read").as_deref(),
        Some("Letter")
    );
    let stored: Vec<String> = serde_json::from_str(
        &store
            .setting(Settings::PRACTITIONERS)
            .expect("read")
            .expect("practitioners key"),
    )
    .expect("a JSON array");
    assert_eq!(stored, settings.practitioners);
}

#[test]
fn saving_again_replaces_every_key() {
    let db = temp_db();
    let mut store = open(&db);
    store
        .write("Łukasz Nowak", |w| w.save_clinic_settings(&aurora()))
        .expect("save");
    let changed = ClinicSettings {
        name: "Clínica Aurora Norte".to_owned(),
        address: String::new(),
        phone: String::new(),
        paper_size: PaperSize::A4,
        practitioners: vec!["李雷".to_owned()],
    };
    store
        .write("李雷", |w| w.save_clinic_settings(&changed))
        .expect("save");
    assert_eq!(store.clinic_settings().expect("read"), changed);
}

#[test]
fn an_empty_database_reads_as_defaults() {
    let db = temp_db();
    let store = open(&db);
    let settings = store.clinic_settings().expect("read");
    assert_eq!(settings, ClinicSettings::default());
    assert_eq!(settings.paper_size, PaperSize::A4);
    assert!(settings.practitioners.is_empty());
}

#[test]
fn missing_keys_read_as_defaults_next_to_stored_ones() {
    let db = temp_db();
    let mut store = open(&db);
    store
        .write("Łukasz Nowak", |w| {
            w.set_setting(Settings::CLINIC_NAME, "Clínica Aurora")
        })
        .expect("save");
    let settings = store.clinic_settings().expect("read");
    assert_eq!(settings.name, "Clínica Aurora");
    assert_eq!(settings.paper_size, PaperSize::A4);
    assert!(settings.practitioners.is_empty());
    assert_eq!(settings.phone, "");
}

#[test]
fn each_save_appends_exactly_one_audit_row() {
    let db = temp_db();
    let mut store = open(&db);
    for actor in ["Łukasz Nowak", "李雷"] {
        store
            .write(actor, |w| w.save_clinic_settings(&aurora()))
            .expect("save");
    }
    let log = store.audit_for_record("clinic").expect("audit");
    assert_eq!(log.len(), 2);
    for (entry, actor) in log.iter().zip(["Łukasz Nowak", "李雷"]) {
        assert_eq!(entry.action, AuditAction::Update);
        assert_eq!(entry.table, "settings");
        assert_eq!(entry.record_id, "clinic");
        assert_eq!(entry.actor, actor);
        assert_eq!(entry.client_id, None);
        assert_eq!(entry.at, crate::common::fixed_now());
    }
    // No per-key rows: the save is one action.
    assert!(store
        .audit_for_record(Settings::CLINIC_NAME)
        .expect("audit")
        .is_empty());
}

#[test]
fn an_unreadable_stored_value_is_a_bad_row_not_a_default() {
    let db = temp_db();
    let mut store = open(&db);
    store
        .write("Łukasz Nowak", |w| w.set_setting(Settings::PAPER_SIZE, "B5"))
        .expect("save");
    let err = store.clinic_settings().expect_err("B5 is no paper size");
    assert!(
        matches!(&err, StoreError::BadRow { table: "settings", id, .. } if id == Settings::PAPER_SIZE),
        "{err:?}"
    );

    store
        .write("Łukasz Nowak", |w| {
            w.set_setting(Settings::PAPER_SIZE, "A4")?;
            w.set_setting(Settings::PRACTITIONERS, "Łukasz Nowak, 李雷")
        })
        .expect("save");
    let err = store.clinic_settings().expect_err("not a JSON array");
    assert!(
        matches!(&err, StoreError::BadRow { table: "settings", id, .. } if id == Settings::PRACTITIONERS),
        "{err:?}"
    );
}

#[test]
fn form_round_trips_settings() {
    let settings = aurora();
    let form = ClinicSettingsDraft::from_settings(&settings);
    assert_eq!(form.practitioners, "Łukasz Nowak\n李雷\nDr. Maya Lindqvist");
    assert_eq!(form.paper_size, "Letter");
    assert_eq!(form.validate(), Ok(settings));
}

#[test]
fn form_trims_and_ignores_blank_practitioner_lines() {
    let settings = valid_form().validate().expect("valid");
    assert_eq!(settings.name, "Clínica Aurora");
    assert_eq!(settings.practitioners, vec!["Łukasz Nowak", "李雷"]);
    assert_eq!(settings.paper_size, PaperSize::A4);
}

#[test]
fn form_phone_is_optional() {
    let form = ClinicSettingsDraft {
        phone: "   ".to_owned(),
        ..valid_form()
    };
    assert_eq!(form.validate().expect("valid").phone, "");
}

#[test]
fn form_requires_a_clinic_name() {
    let form = ClinicSettingsDraft {
        name: "  ".to_owned(),
        ..valid_form()
    };
    let errors = form.validate().expect_err("no name");
    assert_eq!(errors.0.len(), 1);
    assert!(matches!(
        errors.for_field(field::CLINIC_NAME),
        Some(DomainError::Missing { .. })
    ));
}

#[test]
fn form_limits_name_and_address_length_in_characters() {
    let form = ClinicSettingsDraft {
        name: "李".repeat(120),
        address: "ł".repeat(500),
        ..valid_form()
    };
    assert!(form.validate().is_ok(), "at the limit, counted in characters");
    let form = ClinicSettingsDraft {
        name: "李".repeat(121),
        address: "ł".repeat(501),
        ..valid_form()
    };
    let errors = form.validate().expect_err("too long");
    assert!(matches!(
        errors.for_field(field::CLINIC_NAME),
        Some(DomainError::TooLong {
            max: 120,
            len: 121,
            ..
        })
    ));
    assert!(matches!(
        errors.for_field(field::ADDRESS),
        Some(DomainError::TooLong {
            max: 500,
            len: 501,
            ..
        })
    ));
}

#[test]
fn form_refuses_a_bad_phone() {
    let form = ClinicSettingsDraft {
        phone: "call reception".to_owned(),
        ..valid_form()
    };
    let errors = form.validate().expect_err("bad phone");
    assert_eq!(errors.0.len(), 1);
    assert!(matches!(
        errors.for_field(field::PHONE),
        Some(DomainError::PhoneInvalid { .. })
    ));
}

#[test]
fn form_refuses_a_duplicate_practitioner() {
    let form = ClinicSettingsDraft {
        practitioners: "Łukasz Nowak\n李雷\nłukasz nowak".to_owned(),
        ..valid_form()
    };
    let errors = form.validate().expect_err("listed twice");
    assert_eq!(errors.0.len(), 1);
    let message = errors
        .for_field(field::PRACTITIONERS)
        .expect("practitioners error")
        .to_string();
    assert!(
        message.contains("łukasz nowak") && message.contains("listed twice"),
        "{message}"
    );
}

#[test]
fn form_needs_at_least_one_practitioner() {
    let form = ClinicSettingsDraft {
        practitioners: "\n   \n".to_owned(),
        ..valid_form()
    };
    let errors = form.validate().expect_err("nobody");
    assert!(errors.for_field(field::PRACTITIONERS).is_some());
}

#[test]
fn form_limits_each_practitioner_name() {
    let form = ClinicSettingsDraft {
        practitioners: format!("李雷\n{}", "a".repeat(121)),
        ..valid_form()
    };
    let errors = form.validate().expect_err("too long");
    assert!(matches!(
        errors.for_field(field::PRACTITIONERS),
        Some(DomainError::TooLong {
            max: 120,
            len: 121,
            ..
        })
    ));
}

#[test]
fn form_reports_every_problem_at_once() {
    let form = ClinicSettingsDraft {
        name: String::new(),
        address: "x".repeat(501),
        phone: "12".to_owned(),
        paper_size: "B5".to_owned(),
        practitioners: "李雷\n李雷".to_owned(),
    };
    let errors = form.validate().expect_err("everything is wrong");
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![
            field::CLINIC_NAME,
            field::ADDRESS,
            field::PHONE,
            field::PAPER_SIZE,
            field::PRACTITIONERS
        ]
    );
}

#[test]
fn settings_saved_at_another_desk_since_they_were_read_are_not_overwritten() {
    use needlepoint::domain::PrintSettings;
    let db = temp_db();
    let mut here = open(&db);
    here.write("Łukasz Nowak", |w| w.save_clinic_settings(&aurora()))
        .unwrap();
    let read = (here.clinic_settings().unwrap(), here.print_settings().unwrap());

    // Another desk changes the phone number.
    let mut there = open(&db);
    let theirs = ClinicSettings {
        phone: "+351 21 765 4321".to_owned(),
        ..aurora()
    };
    there
        .write("李雷", |w| w.save_settings_over(&read, &theirs, &read.1))
        .unwrap();

    // This desk, from what it read before, changes the address: refused, nothing saved.
    let ours = ClinicSettings {
        address: "Avenida da Liberdade 1\nLisboa".to_owned(),
        ..aurora()
    };
    let print = PrintSettings {
        use_lp: true,
        ..read.1.clone()
    };
    match here.write("Łukasz Nowak", |w| w.save_settings_over(&read, &ours, &print)) {
        Err(e @ StoreError::ChangedElsewhere { .. }) => {
            assert!(
                e.to_string()
                    .starts_with("李雷 changed this clinic's settings at "),
                "{e}"
            );
        }
        other => panic!("the second save must be refused: {other:?}"),
    }
    assert_eq!(here.clinic_settings().unwrap(), theirs);
    assert!(!here.print_settings().unwrap().use_lp);

    // The same save sent again is no change of someone else's; a save from what is there now
    // goes through.
    there
        .write("李雷", |w| w.save_settings_over(&read, &theirs, &read.1))
        .unwrap();
    let now = (here.clinic_settings().unwrap(), here.print_settings().unwrap());
    here.write("Łukasz Nowak", |w| w.save_settings_over(&now, &ours, &print))
        .unwrap();
    assert_eq!(here.clinic_settings().unwrap(), ours);
    assert!(here.print_settings().unwrap().use_lp);
}
