//! Client data rights through the store and the command line: the client's history, the
//! complete export (audited), the CSV import with its preview and line-by-line report, and
//! anonymising a client while keeping their clinical rows.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint_as_lead, text};
use crate::common::sessions::{fixture, Fixture};
use crate::common::{client, date, file_only, open, temp_db, TempDb};
use needlepoint::domain::{AreaDraft, AuditAction, SessionRecordDraft};
use needlepoint::store::{AuditChain, Store, StoreError};

/// A client with a concern, a plan, a signed screening, a completed (signed) session with
/// its areas and an amendment; and a second client who must never show up in the first's data.
fn treated_client(db: &TempDb) -> (Fixture, needlepoint::domain::Client) {
    let mut f = fixture(db, "2026-11-22", 3);
    let screening = f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let session = f.session(1);
    let draft = SessionRecordDraft {
        areas: vec![AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            endpoint: "pinpoint bleeding".to_owned(),
            ..AreaDraft::default()
        }],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        notes: "Tolerated well.".to_owned(),
        ..SessionRecordDraft::default()
    };
    let record = f.validated_record(&draft, &session, &screening, date("2026-11-22"));
    f.try_complete(1, &record, &screening).unwrap();
    let client_id = f.client.id;
    let done = f.session(1).id;
    f.store
        .write(crate::common::lead(), |w| {
            w.amend_session(
                needlepoint::domain::AmendmentId::new(),
                done,
                client_id,
                "Wrong passes",
                "Cheeks: 3 passes, not 2.",
            )
        })
        .unwrap();
    let other = client("Zanele Dlamini", "1979-03-03", Some("021 555 0199"));
    f.store.write("Reception", |w| w.insert_client(&other)).unwrap();
    (f, other)
}

#[test]
fn history_lists_the_clients_own_entries_newest_first_and_no_one_elses() {
    let db = temp_db();
    let (f, other) = treated_client(&db);
    let history = f.store.client_history(f.client.id, 200).unwrap();
    assert!(!history.more);
    let me = f.client.id.to_string();
    assert!(history.entries.len() >= 8, "{:#?}", history.entries);
    assert!(history
        .entries
        .iter()
        .all(|e| e.client_id.as_deref() == Some(me.as_str())));
    assert!(history.entries.windows(2).all(|pair| pair[0].seq > pair[1].seq));
    for table in [
        "clients",
        "client_concerns",
        "treatment_plans",
        "sessions",
        "session_areas",
        "screenings",
        "session_amendments",
    ] {
        assert!(
            history.entries.iter().any(|e| e.table == table),
            "no {table} entry in {:#?}",
            history.entries
        );
    }
    // The newest entry is the amendment, the oldest the client's creation.
    assert_eq!(history.entries[0].action, AuditAction::Amend);
    let oldest = history.entries.last().unwrap();
    assert_eq!(
        (oldest.table.as_str(), oldest.action),
        ("clients", AuditAction::Create)
    );

    let theirs = f.store.client_history(other.id, 200).unwrap();
    assert_eq!(theirs.entries.len(), 1);
    assert_eq!(theirs.entries[0].record_id, other.id.to_string());

    // Bounded: the newest three, and a note that there is more.
    let three = f.store.client_history(f.client.id, 3).unwrap();
    assert!(three.more);
    assert_eq!(three.entries, history.entries[..3]);
}

#[test]
fn export_writes_every_section_as_json_and_is_audited() {
    let db = temp_db();
    let (f, other) = treated_client(&db);
    let id = f.client.id.to_string();
    drop(f.store);
    let db_arg = db.path.to_str().unwrap();

    let out = needlepoint_as_lead(&["export", "--client", &id, "--db", db_arg]);
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["format"], "needlepoint-client-record");
    assert_eq!(json["client"]["details"]["full_name"], "Amara Okafor");
    assert_eq!(json["client"]["details"]["phone"], "0400 222 333");
    assert_eq!(json["concerns"][0]["concern"], "acne_scars_rolling");
    let plan = &json["plans"][0];
    assert_eq!(plan["title"], "Acne scar series");
    let session = &plan["sessions"][0];
    assert_eq!(session["status"], "done");
    assert_eq!(session["signed_by"], "Dr. Maya Lindqvist");
    assert_eq!(session["areas"][0]["area"], "cheeks");
    assert_eq!(session["amendments"][0]["reason"], "Wrong passes");
    let screening = &json["screenings"][0];
    assert_eq!(screening["signed_by"], "Dr. Maya Lindqvist");
    assert!(screening["answers"].as_object().unwrap().len() > 5);
    assert!(json["products"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["lot_number"] == "HA-2611"));
    let audit = json["audit"].as_array().unwrap();
    assert!(audit.len() >= 8);
    assert!(audit.iter().all(|a| a["client_id"] == id.as_str()));
    // Nothing about the other client.
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&other.id.to_string()));

    // To a file: written whole, said where, and both exports are in the audit log.
    let file = db.dir.path().join("out").join("amara.json");
    let out = needlepoint_as_lead(&[
        "export",
        "--client",
        &id,
        "--out",
        file.to_str().unwrap(),
        "--db",
        db_arg,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("amara.json"));
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written["client"]["id"], id.as_str());
    let store = open(&db);
    let exports: Vec<_> = store
        .audit_for_record(&id)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == AuditAction::Export)
        .collect();
    assert_eq!(exports.len(), 2, "{exports:#?}");
    assert!(exports[1].detail.contains("amara.json"));
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn export_of_an_unknown_or_malformed_client_id_says_so() {
    let db = temp_db();
    drop(open(&db));
    let db_arg = db.path.to_str().unwrap();
    let out = needlepoint_as_lead(&["export", "--client", "nobody", "--db", db_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("is not a client id"), "{}", text(&out));
    let out = needlepoint_as_lead(&[
        "export",
        "--client",
        "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
        "--db",
        db_arg,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("There is no client"), "{}", text(&out));
}

const CSV: &str = "\
full_name,date_of_birth,phone,email,skin_type,notes
Ada Lovelace,1985-12-10,+61 412 555 010,ada@example.com,III,Prefers mornings
\"Okafor, Amara\",1988-04-02,,,IV,
Bad Date,31/02/1990,,,II,
Ada Lovelace,1985-12-10,,,III,listed twice
No Skin,1990-01-01,,,,
Zanele Dlamini,1979-03-03,,,V,already a client
李雷 محمد,1970-07-07,0400 111 222,li@example.com,6,\"two
lines of notes\"
Seven Fields,1991-02-02,not a phone,not-an-email,9,
";

fn import_db() -> TempDb {
    let db = temp_db();
    let mut store = open(&db);
    let existing = client("Zanele Dlamini", "1979-03-03", None);
    store.write("Reception", |w| w.insert_client(&existing)).unwrap();
    drop(store);
    db
}

#[test]
fn import_preview_reports_each_bad_line_and_adds_nothing() {
    let db = import_db();
    let csv = db.dir.path().join("clients.csv");
    std::fs::write(&csv, CSV).unwrap();
    let out = needlepoint_as_lead(&["import", csv.to_str().unwrap(), "--db", db.path.to_str().unwrap()]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("3 clients would be added"), "{said}");
    assert!(
        said.contains("line 4: Date of birth: \"31/02/1990\" is not a date"),
        "{said}"
    );
    assert!(said.contains("line 6: Skin type is required"), "{said}");
    assert!(
        said.contains("line 5: Ada Lovelace, born 1985-12-10, is already on line 2"),
        "{said}"
    );
    assert!(
        said.contains("line 7: Zanele Dlamini, born 1979-03-03, is already a client"),
        "{said}"
    );
    // Every problem of line 10 (the two-line note moves it down), each naming its field.
    for field in ["line 10: Phone", "line 10: Email", "line 10: Skin type"] {
        assert!(said.contains(field), "{field} missing in {said}");
    }
    assert!(said.contains("--apply"), "{said}");
    assert_eq!(open(&db).client_count(true).unwrap(), 1, "a preview adds nothing");
}

#[test]
fn import_apply_adds_exactly_the_good_lines_in_one_audited_go() {
    let db = import_db();
    let csv = db.dir.path().join("clients.csv");
    std::fs::write(&csv, CSV).unwrap();
    let out = needlepoint_as_lead(&[
        "import",
        csv.to_str().unwrap(),
        "--apply",
        "--db",
        db.path.to_str().unwrap(),
    ]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Added 3 client(s)"), "{said}");
    let store = open(&db);
    assert_eq!(store.client_count(true).unwrap(), 4);
    let ada = store.search_clients("Lovelace", 10).unwrap();
    assert_eq!(ada.len(), 1, "added once, the second line skipped");
    let li = store.search_clients("李雷", 10).unwrap();
    assert_eq!(li.len(), 1);
    let li = store.client(li[0].client.id).unwrap().unwrap();
    assert_eq!(li.details.notes, "two\nlines of notes");
    assert_eq!(li.details.skin_type, needlepoint::domain::SkinType::VI);
    assert_eq!(store.search_clients("Okafor, Amara", 10).unwrap().len(), 1);
    let audit = store.audit_for_record(&ada[0].client.id.to_string()).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Create);
    assert_eq!(audit[0].detail, "imported from clients.csv, line 2");
    assert!(store.check().unwrap().is_clean());
    drop(store);

    // Importing the same file again adds nothing: every good line is now a duplicate.
    let again = needlepoint_as_lead(&[
        "import",
        csv.to_str().unwrap(),
        "--apply",
        "--db",
        db.path.to_str().unwrap(),
    ]);
    assert!(text(&again).contains("Added 0 client(s)"), "{}", text(&again));
    assert_eq!(open(&db).client_count(true).unwrap(), 4);
}

#[test]
fn import_of_a_file_that_is_not_a_client_list_is_refused_with_the_reason() {
    let db = import_db();
    let dir = db.dir.path();
    let db_arg = db.path.to_str().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.csv", b"", "The file is empty"),
        (
            "columns.csv",
            b"name;phone\nAda;0400\n",
            "It has no column date_of_birth, skin_type",
        ),
        (
            "twice.csv",
            b"full_name,name,date_of_birth,skin_type\n",
            "appears twice",
        ),
        (
            "latin1.csv",
            b"full_name,date_of_birth,skin_type\nJos\xe9,1980-01-01,3\n",
            "CSV UTF-8",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = needlepoint_as_lead(&["import", path.to_str().unwrap(), "--apply", "--db", db_arg]);
        assert!(text(&out).contains(expected), "{name}: {}", text(&out));
    }
    let out = needlepoint_as_lead(&[
        "import",
        dir.join("missing.csv").to_str().unwrap(),
        "--db",
        db_arg,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("there is no such file"), "{}", text(&out));
    assert_eq!(open(&db).client_count(true).unwrap(), 1);
}

#[test]
fn semicolon_separated_files_and_first_and_last_name_columns_import() {
    let db = import_db();
    let store = open(&db);
    let csv = "First Name;Last Name;DOB;Skin type;Address\nMei;Chen;1992-05-06;2;1 High St\n";
    let preview = needlepoint::import::preview(csv.as_bytes(), "x.csv", &store, date("2026-11-22")).unwrap();
    assert_eq!(preview.ignored_columns, ["Address"]);
    assert_eq!(preview.to_add.len(), 1, "{preview:#?}");
    assert_eq!(preview.to_add[0].details.full_name, "Mei Chen");
}

#[test]
fn a_file_with_old_mac_line_ends_reports_each_problem_on_its_own_line() {
    let db = import_db();
    let store = open(&db);
    let csv = "full_name,date_of_birth,skin_type\rMei Chen,1992-05-06,2\rNo Birth,,3\r";
    let preview = needlepoint::import::preview(csv.as_bytes(), "x.csv", &store, date("2026-11-22")).unwrap();
    assert_eq!(preview.to_add.len(), 1, "{preview:#?}");
    assert_eq!(preview.to_add[0].line, 2);
    assert_eq!(preview.problems.len(), 1, "{preview:#?}");
    assert_eq!(preview.problems[0].line, 3);
}

#[test]
fn anonymising_removes_the_name_from_the_row_and_search_but_keeps_the_clinical_rows() {
    let db = temp_db();
    let (f, other) = treated_client(&db);
    let id = f.client.id;
    let screenings = f.store.screenings_of(id).unwrap().len();
    let sessions = f.sessions();
    let areas = f.store.session_areas(sessions[0].id).unwrap();
    drop(f.store);
    let db_arg = db.path.to_str().unwrap();

    // Without --yes nothing changes, and the consequence is named.
    let out = needlepoint_as_lead(&["anonymise", "--client", &id.to_string(), "--db", db_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot be undone"), "{}", text(&out));
    assert_eq!(open(&db).search_clients("Okafor", 10).unwrap().len(), 1);

    let out = needlepoint_as_lead(&["anonymise", "--client", &id.to_string(), "--yes", "--db", db_arg]);
    assert!(out.status.success(), "{}", text(&out));
    let store = open(&db);
    let now = store.client(id).unwrap().unwrap();
    assert_eq!(now.details.full_name, format!("Anonymised client {}", id.short()));
    assert_eq!(now.details.date_of_birth, date("1988-01-01"));
    assert_eq!(
        (now.details.phone.as_deref(), now.details.email.as_deref()),
        (None, None)
    );
    assert_eq!(now.details.notes, "");
    assert_eq!(now.details.skin_type, needlepoint::domain::SkinType::II);
    for query in ["Okafor", "Amara", "0400 222", "amara@example", "1988-04-02"] {
        assert!(
            store.search_clients(query, 10).unwrap().is_empty(),
            "{query} still finds the client"
        );
    }
    assert_eq!(store.search_clients("Anonymised client", 10).unwrap().len(), 1);
    // The clinical rows are kept, signed ones unchanged.
    assert_eq!(store.screenings_of(id).unwrap().len(), screenings);
    assert_eq!(store.sessions_of(f.plan.id).unwrap(), sessions);
    assert_eq!(store.session_areas(sessions[0].id).unwrap(), areas);
    assert_eq!(store.concerns_of(id).unwrap().len(), 1);
    // The other client is untouched.
    assert_eq!(store.client(other.id).unwrap().unwrap(), other);
    // Audited, and the chain holds.
    let audit = store.audit_for_record(&id.to_string()).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, AuditAction::Anonymise);
    assert_eq!(last.actor, crate::common::LEAD, "the person named by --as");
    assert!(last.detail.contains("1988-01-01"));
    assert!(!last.detail.contains("Okafor"));
    assert!(store.check().unwrap().is_clean());
    drop(store);

    // Twice is refused, in words.
    let out = needlepoint_as_lead(&["anonymise", "--client", &id.to_string(), "--yes", "--db", db_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("already anonymised"), "{}", text(&out));
}

#[test]
fn anonymising_clears_free_notes_of_unsigned_rows_only() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let id = f.client.id;
    let mut concern = f.concern.clone();
    concern.notes = "Sister of Zanele Dlamini".to_owned();
    f.store
        .write("Reception", |w| w.update_concern(&f.concern, &concern))
        .unwrap();
    let done = f.store.write("Reception", |w| w.anonymise_client(id)).unwrap();
    assert_eq!(done.concern_notes_cleared, 1);
    assert_eq!(f.store.concerns_of(id).unwrap()[0].notes, "");
    let refused = f.store.write("Reception", |w| w.anonymise_client(id));
    assert!(matches!(refused, Err(StoreError::Refused(_))), "{refused:?}");
    assert!(matches!(
        f.store.write("Reception", |w| w
            .anonymise_client(needlepoint::domain::ClientId::new())),
        Err(StoreError::NotFound { .. })
    ));
}

/// A clinic's database from before this version (schema 1, no 'anonymise' action) is
/// updated in place: every audit row is kept and the hash chain still verifies.
#[test]
fn an_older_database_keeps_its_audit_chain_through_the_update() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let (f, _) = treated_client(&db);
    let rows_before = f.store.verify_audit_chain().unwrap();
    let id = f.client.id;
    drop(f.store);

    // Rebuild the same data as a version-1 file: the first migration only, then the rows.
    let old = db.dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&old).unwrap();
    let v1 = include_str!("../../migrations/0001_initial.sql");
    // Rows are copied table by table, children before the signatures that would refuse them.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute_batch(v1).unwrap();
    let sum: String = {
        use sha2::Digest;
        sha2::Sha256::digest(v1.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    conn.execute(
        "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (1, '0001_initial', ?1, 'x')",
        [sum],
    )
    .unwrap();
    conn.execute("ATTACH DATABASE ?1 AS new", [db.path.to_str().unwrap()])
        .unwrap();
    for table in [
        "clients",
        "client_concerns",
        "treatment_plans",
        "plan_concerns",
        "plan_areas",
        "products",
        "screenings",
        // Areas before their (signed) session: the file refuses new areas on a signed one.
        "session_areas",
        "sessions",
        "session_amendments",
        "settings",
    ] {
        // The columns version 1 had (later migrations add some, e.g. a plan's prescriber).
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM main.pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let columns = columns.join(", ");
        conn.execute(
            &format!("INSERT INTO main.{table} ({columns}) SELECT {columns} FROM new.{table}"),
            [],
        )
        .unwrap();
    }
    // The log as version 1 wrote it: no content hashes (0006), so every row hashed without one.
    conn.execute(
        "INSERT INTO main.audit_log SELECT seq, at, actor, action, table_name, record_id, client_id, detail,
             prev_hash, row_hash FROM new.audit_log",
        [],
    )
    .unwrap();
    let update_trigger = &v1[v1.find("CREATE TRIGGER audit_log_no_update").unwrap()
        ..v1.find("CREATE TRIGGER audit_log_no_delete").unwrap()];
    conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    crate::common::rechain(&conn, false);
    conn.execute_batch(update_trigger).unwrap();
    let signed: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM screenings WHERE signed_at IS NOT NULL)
                  + (SELECT count(*) FROM sessions WHERE signed_at IS NOT NULL)
                  + (SELECT count(*) FROM session_amendments)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(signed > 0);
    conn.execute_batch("DETACH DATABASE new; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);

    let mut store = Store::open(&old).unwrap();
    // Rows signed before content hashes get one each at the update, chained after the rest.
    let AuditChain::Intact { rows } = rows_before else {
        panic!("{rows_before:?}")
    };
    assert_eq!(
        store.verify_audit_chain().unwrap(),
        AuditChain::Intact { rows: rows + signed }
    );
    assert!(store.check().unwrap().is_clean());
    store.write("Reception", |w| w.anonymise_client(id)).unwrap();
    assert!(store.verify_audit_chain().unwrap().is_intact());
    // Still append-only after the rebuild.
    assert!(store.execute_raw("DELETE FROM audit_log WHERE seq = 1").is_err());
    assert!(store
        .execute_raw("UPDATE audit_log SET actor = 'x' WHERE seq = 1")
        .is_err());
}
