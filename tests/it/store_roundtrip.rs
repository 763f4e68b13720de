//! The store: migrations, pragmas, refusal of files it must not touch, a round trip of every
//! table, audit rows in the same transaction, and the file's own refusals.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{client, date, file_only, open, plan_limits, temp_db};
use needlepoint::domain::{
    Answer, AuditAction, Clearance, ClientConcern, ConcernId, DepthRange, Finding, IntervalWindow,
    NeedleDepth, Outcome, OutcomeKind, PlannedArea, Product, ProductKind, Screening, ScreeningId, SeriesSpec,
    SessionArea, SessionStatus, Severity, TreatmentPlan,
};
use needlepoint::store::{latest_version, Settings, Store, StoreError, TABLES};

#[test]
fn opening_an_empty_file_migrates_and_sets_the_safety_pragmas() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let store = open(&db);
    assert_eq!(store.pragma_text("journal_mode").expect("pragma"), "wal");
    assert_eq!(store.pragma_text("synchronous").expect("pragma"), "2", "FULL");
    assert_eq!(store.pragma_text("foreign_keys").expect("pragma"), "1");
    assert!(
        store
            .pragma_text("busy_timeout")
            .expect("pragma")
            .parse::<i64>()
            .expect("n")
            >= 1000
    );
    assert_eq!(
        store.pragma_text("user_version").expect("pragma"),
        latest_version().to_string()
    );
    let report = store.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.row_counts.len(), TABLES.len());
}

#[test]
fn reopening_keeps_the_data_and_applies_nothing_twice() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let c = client("Ada Lovelace", "1985-12-10", Some("0412 555 010"));
    {
        let mut store = open(&db);
        store.write("Reception", |w| w.insert_client(&c)).expect("save");
    }
    let store = open(&db);
    assert_eq!(store.client(c.id).expect("read"), Some(c));
    assert_eq!(
        store.pragma_text("user_version").expect("pragma"),
        latest_version().to_string()
    );
    assert!(store.check().expect("check").is_clean());
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    {
        let store = open(&db);
        store.execute_raw("PRAGMA user_version = 99").expect("bump");
    }
    let before = std::fs::read(&db.path).expect("read file");
    let e = Store::open(&db.path).expect_err("refused");
    assert!(matches!(e, StoreError::NewerSchema { found: 99, .. }), "{e:?}");
    assert!(e.to_string().contains("newer version"), "{e}");
    assert_eq!(
        std::fs::read(&db.path).expect("read file"),
        before,
        "the file changed"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let text = b"Client list exported from a spreadsheet\nAda,1985-12-10\n".repeat(200);
    std::fs::write(&db.path, &text).expect("write");
    let e = Store::open(&db.path).expect_err("refused");
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e:?}");
    assert!(e.to_string().contains("not a Needlepoint database"), "{e}");
    assert_eq!(std::fs::read(&db.path).expect("read"), text);
}

#[test]
fn a_changed_released_migration_is_an_error_not_a_silent_difference() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    {
        let store = open(&db);
        store.execute_raw("UPDATE schema_migrations SET sha256 = replace(sha256, substr(sha256, 1, 1), 'x') WHERE version = 1").expect("tamper");
        store.execute_raw("UPDATE schema_migrations SET sha256 = '0000000000000000000000000000000000000000000000000000000000000000'").expect("tamper");
    }
    let e = Store::open(&db.path).expect_err("refused");
    assert!(
        matches!(e, StoreError::MigrationChanged { version: 1, .. }),
        "{e:?}"
    );
}

fn sample_screening(client: needlepoint::domain::ClientId, signed: bool) -> Screening {
    let finding = Finding {
        rule: "isotretinoin".to_owned(),
        kind: OutcomeKind::Defer,
        message: "Isotretinoin: do not treat before 2027-03-01.".to_owned(),
        area: None,
        defer_until: Some(date("2027-03-01")),
        clearance_from: None,
        sources: vec!["I5".to_owned()],
        tier: "I".to_owned(),
        disagreement: Some("0–12 months".to_owned()),
    };
    let mut answers = needlepoint::domain::Answers::new();
    let mut details = std::collections::BTreeMap::new();
    details.insert("stopped_on".to_owned(), "2026-09-01".to_owned());
    answers.insert(
        "isotretinoin".to_owned(),
        Answer {
            yes: true,
            conditions: Vec::new(),
            details,
            more: Vec::new(),
        },
    );
    answers.insert("pregnancy".to_owned(), Answer::no());
    Screening {
        id: ScreeningId::new(),
        client_id: client,
        screened_on: date("2026-11-22"),
        answers,
        planned_areas: vec!["cheeks".to_owned(), "forehead".to_owned()],
        outcome: Outcome::from_findings(vec![finding]),
        clearances: vec![Clearance {
            rule: "x".to_owned(),
            given_by: "Dr Okafor".to_owned(),
            given_on: date("2026-11-20"),
            role: Some("GP".to_owned()),
            expires_on: Some(date("2027-05-20")),
        }],
        protocol_version: "2026.11-1".to_owned(),
        signed_by: signed.then(|| "Dr. Maya Lindqvist".to_owned()),
        signed_at: None,
        amends: None,
        amendment_reason: None,
    }
}

#[test]
fn every_table_round_trips() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Łukasz Nowak", "1979-03-14", Some("+48 601 234 567"));
    let concern = ClientConcern {
        id: ConcernId::new(),
        client_id: c.id,
        concern: "acne_scars_rolling".to_owned(),
        area: "cheeks".to_owned(),
        severity: Severity::Moderate,
        noted_on: date("2026-10-01"),
        resolved_on: None,
        notes: "Worse on the left".to_owned(),
    };
    let serum = Product::new(
        ProductKind::Serum,
        "HA gel",
        Some("ha_gel"),
        "HA-1",
        date("2027-06-30"),
        true,
    )
    .expect("p");
    let cartridge = Product::new(
        ProductKind::NeedleCartridge,
        "12-pin",
        None,
        "NC-9",
        date("2027-01-31"),
        true,
    )
    .expect("p");
    let spec = SeriesSpec::new(date("2026-11-22"), 3, IntervalWindow::default()).expect("spec");
    let mut plan = TreatmentPlan::new(c.id, "Acne scar series", spec, "2026.11-1").expect("plan");
    plan.concerns = vec![concern.id];
    plan.serums = vec!["ha_gel".to_owned()];
    let range = DepthRange::new(
        NeedleDepth::parse_mm("0.5").expect("d"),
        NeedleDepth::parse_mm("1.5").expect("d"),
    )
    .expect("r");
    plan.areas = vec![PlannedArea {
        area: "cheeks".to_owned(),
        depth: range,
        reason: None,
    }];
    let mut sessions = plan.initial_sessions();
    let screening = sample_screening(c.id, true);
    sessions[0].status = SessionStatus::Done;
    sessions[0].performed_on = Some(date("2026-11-22"));
    sessions[0].practitioner = Some("Dr. Maya Lindqvist".to_owned());
    sessions[0].screening_id = Some(screening.id);
    sessions[0].serum_product_id = Some(serum.id);
    sessions[0].cartridge_product_id = Some(cartridge.id);
    let mut area = SessionArea::new(
        sessions[0].id,
        "cheeks",
        NeedleDepth::parse_mm("1.25").expect("d"),
        3,
    )
    .expect("a");
    area.endpoint = Some("pinpoint bleeding".to_owned());

    store
        .write(crate::common::lead(), |w| {
            w.insert_client(&c)?;
            w.insert_concern(&concern)?;
            w.insert_product(&serum)?;
            w.insert_product(&cartridge)?;
            w.insert_screening(&screening)?;
            w.insert_plan(&plan, &sessions, &plan_limits(&plan))?;
            w.insert_session_area(&area, c.id)?;
            w.sign_session(sessions[0].id, c.id)?;
            w.set_setting(Settings::CLINIC_NAME, "Clínica Aurora")
        })
        .expect("save");
    drop(store);

    let store = open(&db);
    assert_eq!(store.client(c.id).expect("r"), Some(c.clone()));
    assert_eq!(store.concerns_of(c.id).expect("r"), vec![concern]);
    assert_eq!(store.product(serum.id).expect("r"), Some(serum));
    assert_eq!(store.products(false).expect("r").len(), 2);
    let stored = store.screening(screening.id).expect("r").expect("found");
    assert_eq!(stored.answers, screening.answers);
    assert_eq!(stored.outcome, screening.outcome);
    assert_eq!(stored.outcome.defer_until, Some(date("2027-03-01")));
    assert_eq!(stored.clearances, screening.clearances);
    assert_eq!(stored.signed_by.as_deref(), Some("Dr. Maya Lindqvist"));
    assert_eq!(stored.signed_at, Some(crate::common::fixed_now()));
    assert_eq!(store.plans_of(c.id).expect("r"), vec![plan.clone()]);
    let stored_sessions = store.sessions_of(plan.id).expect("r");
    assert_eq!(stored_sessions.len(), 3);
    assert_eq!(
        stored_sessions[0].signed_by.as_deref(),
        Some("Dr. Maya Lindqvist")
    );
    let mut expected = sessions[0].clone();
    expected.signed_by = Some("Dr. Maya Lindqvist".to_owned());
    expected.signed_at = Some(crate::common::fixed_now());
    assert_eq!(stored_sessions[0], expected);
    assert_eq!(stored_sessions[1..], sessions[1..]);
    assert_eq!(store.session_areas(sessions[0].id).expect("r"), vec![area]);
    assert_eq!(
        store.setting(Settings::CLINIC_NAME).expect("r").as_deref(),
        Some("Clínica Aurora")
    );
    assert!(store.check().expect("check").is_clean());
}

#[test]
fn every_write_appends_audit_rows_in_the_same_transaction() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Amara Okafor", "1992-07-01", None);
    store.write("Reception", |w| w.insert_client(&c)).expect("create");
    let mut changed = c.details.clone();
    changed.phone = Some("020 7946 0000".to_owned());
    store
        .write("Reception", |w| w.update_client(c.id, &c.details, &changed))
        .expect("update");
    store
        .write("Manager", |w| w.archive_client(c.id))
        .expect("archive");

    let log = store.audit_for_client(&c.id.to_string()).expect("audit");
    let actions: Vec<AuditAction> = log.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [AuditAction::Create, AuditAction::Update, AuditAction::Archive]
    );
    assert_eq!(log[1].actor, "Reception");
    assert_eq!(log[1].detail, "changed: phone");
    assert_eq!(log[2].actor, "Manager");
    assert!(log
        .iter()
        .all(|e| e.table == "clients" && e.record_id == c.id.to_string()));
    assert_eq!(log[0].at, crate::common::fixed_now());
}

#[test]
fn a_failed_action_saves_nothing_not_even_its_audit_row() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Mei Chen", "1988-05-05", None);
    let result = store.write("Reception", |w| {
        w.insert_client(&c)?;
        // The same id again violates the primary key: the whole action must roll back.
        w.insert_client(&c)
    });
    assert!(result.is_err());
    assert_eq!(store.client(c.id).expect("read"), None);
    assert!(store
        .audit_for_record(&c.id.to_string())
        .expect("audit")
        .is_empty());
    let e = store.write("  ", |w| w.insert_client(&c)).expect_err("no actor");
    assert!(e.to_string().contains("required"), "{e}");
}

#[test]
fn signed_screenings_and_sessions_and_the_audit_log_cannot_be_changed_even_with_raw_sql() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Sofia Rossi", "1990-01-01", None);
    let signed = sample_screening(c.id, true);
    let draft = sample_screening(c.id, false);
    store
        .write(crate::common::lead(), |w| {
            w.insert_client(&c)?;
            w.insert_screening(&signed)?;
            w.insert_screening(&draft)
        })
        .expect("save");
    let id = signed.id.to_string();
    for sql in [
        format!("UPDATE screenings SET outcome = 'clear', defer_until = NULL WHERE id = '{id}'"),
        format!("UPDATE screenings SET signed_by = 'Someone else' WHERE id = '{id}'"),
        format!("DELETE FROM screenings WHERE id = '{id}'"),
        "UPDATE audit_log SET actor = 'nobody'".to_owned(),
        "DELETE FROM audit_log".to_owned(),
    ] {
        let e = store.execute_raw(&sql).expect_err(&sql);
        assert!(
            e.to_string().contains("cannot be") || e.to_string().contains("append-only"),
            "{sql}: {e}"
        );
    }
    assert_eq!(
        store
            .screening(signed.id)
            .expect("r")
            .expect("found")
            .outcome
            .kind,
        OutcomeKind::Defer
    );
    // An unsigned draft can still be edited.
    store
        .execute_raw(&format!(
            "UPDATE screenings SET planned_areas = '[\"chin_jawline\"]' WHERE id = '{}'",
            draft.id
        ))
        .expect("draft editable");
}

#[test]
fn check_constraints_refuse_what_the_domain_refuses() {
    let db = temp_db();
    let store = open(&db);
    let now = "2026-11-22T09:30:00.000Z";
    let bad_rows = [
        format!("INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at) VALUES ('{}', 'A', '1990-01-01', 7, '{now}', '{now}')", uuid::Uuid::new_v4()),
        format!("INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at) VALUES ('{}', '  ', '1990-01-01', 3, '{now}', '{now}')", uuid::Uuid::new_v4()),
        format!("INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at) VALUES ('{}', 'A', '1990-02-30', 3, '{now}', '{now}')", uuid::Uuid::new_v4()),
        format!("INSERT INTO clients (id, full_name, date_of_birth, skin_type, created_at, updated_at) VALUES ('{}', 'A', '1990-01-01', 'three', '{now}', '{now}')", uuid::Uuid::new_v4()),
        format!("INSERT INTO session_areas (id, session_id, area, depth_hundredths, passes) VALUES ('{}', 'missing', 'cheeks', 251, 2)", uuid::Uuid::new_v4()),
    ];
    for sql in &bad_rows {
        assert!(store.execute_raw(sql).is_err(), "accepted: {sql}");
    }
}

#[test]
fn search_finds_a_client_by_part_of_name_phone_digits_email_or_birth_date() {
    let db = temp_db();
    let mut store = open(&db);
    let ada = client("Ada Lovelace", "1985-12-10", Some("+61 (0)412 555 010"));
    let zoe = client("Zoë Adams", "1990-02-28", Some("020 7946 0123"));
    let li = client("李雷", "1979-03-14", None);
    let mut archived = client("Ada Archived", "1970-01-01", None);
    archived.archived = true;
    store
        .write("Reception", |w| {
            for c in [&ada, &zoe, &li, &archived] {
                w.insert_client(c)?;
            }
            Ok(())
        })
        .expect("save");
    let names = |q: &str| -> Vec<String> {
        store
            .search_clients(q, 20)
            .expect("search")
            .into_iter()
            .map(|h| h.client.full_name)
            .collect()
    };
    assert_eq!(names("ovela"), ["Ada Lovelace"]);
    assert_eq!(names("5550"), ["Ada Lovelace"], "phone digits across spaces");
    assert_eq!(names("0412 555"), ["Ada Lovelace"]);
    assert_eq!(names("zoë@example"), ["Zoë Adams"]);
    assert_eq!(names("1990-02-28"), ["Zoë Adams"]);
    assert_eq!(names("李雷"), ["李雷"]);
    // Exact and prefix matches come before matches inside a word; archived clients are hidden.
    assert_eq!(names("ada"), ["Ada Lovelace", "Zoë Adams"]);
    assert_eq!(names("Ad"), ["Ada Lovelace"]);
    assert!(names("zzzz").is_empty());
    assert!(names("\"; DROP TABLE clients; --").is_empty());
    assert_eq!(store.client_count(false).expect("count"), 3);
    assert_eq!(store.client_count(true).expect("count"), 4);
}

#[test]
fn a_common_fragment_ranks_exact_then_prefix_then_word_start_then_inside_and_keeps_the_best() {
    let db = temp_db();
    let mut store = open(&db);
    let names = [
        "Clove Smith",
        "Ana Lovelace",
        "Love",
        "Ada Love",
        "Love Ng",
        "Glover Ito",
    ];
    store
        .write("Reception", |w| {
            for n in names {
                w.insert_client(&client(n, "1980-01-01", None))?;
            }
            Ok(())
        })
        .expect("save");
    let found = |limit: usize| -> Vec<(u8, String)> {
        store
            .search_clients("love", limit)
            .expect("search")
            .into_iter()
            .map(|h| (h.rank, h.client.full_name))
            .collect()
    };
    let all = found(20);
    let shown: Vec<&str> = all.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        shown,
        [
            "Love",
            "Love Ng",
            "Ada Love",
            "Ana Lovelace",
            "Clove Smith",
            "Glover Ito"
        ]
    );
    let ranks: Vec<u8> = all.iter().map(|(r, _)| *r).collect();
    assert_eq!(ranks, [0, 1, 2, 2, 3, 3]);
    // With a limit, the best ones are kept, not the first found.
    let top: Vec<String> = found(3).into_iter().map(|(_, n)| n).collect();
    assert_eq!(top, ["Love", "Love Ng", "Ada Love"]);
}

#[test]
fn a_fragment_shared_by_more_clients_than_the_limit_still_lists_the_best_first() {
    let db = temp_db();
    let mut store = open(&db);
    let mut names: Vec<String> = (0..300).map(|i| format!("Zed Inchen {i}")).collect();
    names.extend(["Ann Chen", "Bo Chen", "Cy Chen"].map(String::from));
    names.extend(["Chenoa Ray", "Chen Li"].map(String::from));
    store
        .write("Reception", |w| {
            for n in &names {
                w.insert_client(&client(n, "1980-01-01", None))?;
            }
            Ok(())
        })
        .expect("save");
    let hits = store.search_clients("chen", 5).expect("search");
    let shown: Vec<&str> = hits.iter().map(|h| h.client.full_name.as_str()).collect();
    assert_eq!(shown, ["Chen Li", "Chenoa Ray", "Ann Chen", "Bo Chen", "Cy Chen"]);
}

#[test]
fn same_name_and_birth_date_is_found_for_the_duplicate_warning() {
    let db = temp_db();
    let mut store = open(&db);
    let a = client("Grace Kim", "1991-04-04", None);
    store.write("Reception", |w| w.insert_client(&a)).expect("save");
    let dup = store
        .same_name_and_birth("grace kim ", date("1991-04-04"), None)
        .expect("q");
    assert_eq!(dup.len(), 1);
    assert!(store
        .same_name_and_birth("Grace Kim", date("1991-04-04"), Some(a.id))
        .expect("q")
        .is_empty());
}

/// Demo data is loaded with the search index's insert trigger set aside; the index is rebuilt at
/// the end, or when the file is next opened if the demo was killed midway.
#[test]
fn a_demo_killed_midway_leaves_search_to_be_repaired_on_the_next_open() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let mut store = open(&db);
    store.bulk_demo_mode(true).expect("bulk on");
    let c = client("Łukasz Nowak", "1985-02-03", Some("+48 601 234 567"));
    store.write("Demo data", |w| w.insert_client(&c)).expect("insert");
    let spec = SeriesSpec::new(date("2026-11-01"), 3, IntervalWindow::default()).expect("spec");
    let plan = TreatmentPlan::new(c.id, "Acne scar series", spec, "2026.11-1").expect("plan");
    store
        .write("Demo data", |w| {
            w.insert_plan(&plan, &plan.initial_sessions(), &plan_limits(&plan))
        })
        .expect("plan");
    assert!(
        store.search_clients("Nowak", 10).expect("search").is_empty(),
        "while loading, the index waits for its rebuild"
    );
    assert_eq!(
        store
            .today_overview(date("2026-11-22"))
            .expect("today")
            .overdue
            .total,
        0,
        "while loading, the Today lists wait for their rebuild too"
    );
    // Killed here: bulk mode never turned off. The next open catches the index up.
    drop(store);
    let store = open(&db);
    let hits = store.search_clients("Nowak", 10).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client.id, c.id);
    assert_eq!(
        store.search_clients("601234", 10).expect("search").len(),
        1,
        "phone digits too"
    );
    // Session 1 of the series (window 1–15 November) is overdue on 22 November.
    let overdue = store.today_overview(date("2026-11-22")).expect("today").overdue;
    assert_eq!(overdue.total, 1);
    assert_eq!(overdue.rows[0].client_id, c.id);
    assert_eq!(store.check().expect("check").next_sessions_out_of_step, 0);
    // And new clients are indexed as they are saved again.
    drop(store);
    let mut store = open(&db);
    let d = client("Amara Okafor", "1990-05-06", None);
    store.write("Desk", |w| w.insert_client(&d)).expect("insert");
    assert_eq!(store.search_clients("Okafor", 10).expect("search").len(), 1);
    assert!(store.check().expect("check").is_clean());
}

#[test]
fn demo_generation_leaves_every_client_findable_and_the_file_durable() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let mut store = open(&db);
    let protocol = needlepoint::protocol::Protocol::shipped().expect("protocol");
    let summary = needlepoint::demo::generate(&mut store, &protocol, 40, date("2026-11-22"), 3, |_, _| {})
        .expect("demo");
    assert_eq!(summary.clients, 40);
    assert_eq!(
        store.pragma_text("synchronous").expect("pragma"),
        "2",
        "FULL again"
    );
    for c in store.client_page(0, 40, false).expect("page") {
        let hits = store.search_clients(&c.full_name, 200).expect("search");
        assert!(
            hits.iter().any(|h| h.client.id == c.id),
            "{} not found",
            c.full_name
        );
    }
}
