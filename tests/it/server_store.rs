//! The store on a clinic server (PostgreSQL) as on a file: the same behaviour on both engines
//! (`on_both_engines!`), and what only a server has — its schema made by `server init`, its
//! own refusals, and `check` on it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::engines::{clinic, Clinic, Engine};
use crate::common::{client, pg};
use crate::on_both_engines;
use needlepoint::store::{init_server, AuditChain, Store, StoreError};

on_both_engines!(
    a_client_saved_at_one_desk_is_read_at_another,
    |clinic: &mut Clinic| {
        let c = client("Ada Lovelace", "1985-12-10", Some("0412 555 010"));
        clinic
            .store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save");
        let other = clinic.another_desk();
        assert_eq!(other.client(c.id).expect("read"), Some(c));
    }
);

on_both_engines!(
    a_search_finds_the_same_clients_by_word_start_phrase_any_order_and_fragment,
    |clinic: &mut Clinic| {
        let names = [
            ("Fatima O'Brien", "1990-01-02"),
            ("Grace Smith-Jones", "1985-03-04"),
            ("Amara Okafor", "1988-04-02"),
            ("Ada Grace Lovelace", "1985-12-10"),
            ("Marta Ngata", "1979-07-08"),
        ];
        clinic
            .store
            .write("Reception", |w| {
                for (name, born) in names {
                    w.insert_client(&client(name, born, None))?;
                }
                Ok(())
            })
            .expect("clients");
        let found = |query: &str| -> Vec<String> {
            let mut names: Vec<String> = clinic
                .store
                .search_clients(query, 50)
                .expect("search")
                .into_iter()
                .map(|h| h.client.full_name)
                .collect();
            names.sort();
            names
        };
        assert_eq!(
            found("bri"),
            ["Fatima O'Brien"],
            "a word start after an apostrophe"
        );
        assert_eq!(found("jon"), ["Grace Smith-Jones"], "a word start after a hyphen");
        assert_eq!(found("o'brien"), ["Fatima O'Brien"]);
        assert_eq!(
            found("grace lov"),
            ["Ada Grace Lovelace"],
            "a phrase, its last word a start"
        );
        assert_eq!(
            found("lovelace ada grace"),
            ["Ada Grace Lovelace"],
            "every word, any order"
        );
        assert_eq!(found("jones grace"), ["Grace Smith-Jones"]);
        assert_eq!(found("gata"), ["Marta Ngata"], "a fragment inside a word");
        assert_eq!(found("ata"), ["Marta Ngata"]);
        assert!(found("grace zzz").is_empty());
    }
);

on_both_engines!(
    a_word_start_outranks_the_same_letters_inside_words_and_follows_renames,
    |clinic: &mut Clinic| {
        // Thirty names with "ani" inside a word, then one with a word that starts with it: a
        // search for the single best finds the word start, from the word tier, whatever the
        // fragment tier's first rows are.
        let zoe = client("Zoe Anika", "1991-05-06", None);
        clinic
            .store
            .write("Reception", |w| {
                for n in 0..30 {
                    w.insert_client(&client(&format!("Daniela Ng{n:02}"), "1980-01-01", None))?;
                }
                w.insert_client(&zoe)
            })
            .expect("clients");
        let best = |clinic: &Clinic, query: &str| -> Vec<(String, u8)> {
            clinic
                .store
                .search_clients(query, 1)
                .expect("search")
                .into_iter()
                .map(|h| (h.client.full_name, h.rank))
                .collect()
        };
        assert_eq!(best(clinic, "ani"), [("Zoe Anika".to_owned(), 2)]);
        let mut renamed = zoe.details.clone();
        renamed.full_name = "Zoe Smithson".to_owned();
        clinic
            .store
            .write("Reception", |w| w.update_client(zoe.id, &zoe.details, &renamed))
            .expect("renamed");
        assert_eq!(best(clinic, "ani")[0].1, 3, "no word starts with it any more");
        assert_eq!(best(clinic, "smi"), [("Zoe Smithson".to_owned(), 2)]);
        clinic
            .store
            .write("Reception", |w| w.archive_client(zoe.id))
            .expect("archived");
        assert!(
            best(clinic, "smi").is_empty(),
            "an archived client is not searched"
        );
        assert!(clinic.store.check().expect("check").is_clean());
    }
);

on_both_engines!(
    the_audit_log_refuses_change_in_the_same_words,
    |clinic: &mut Clinic| {
        let c = client("Grace Hopper", "1976-12-09", None);
        clinic
            .store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save");
        for sql in [
            "UPDATE audit_log SET actor = 'Someone else'",
            "DELETE FROM audit_log",
        ] {
            match clinic.store.execute_raw(sql) {
                Err(StoreError::Refused(m)) => assert_eq!(m, "The audit log is append-only.", "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
        assert!(clinic.store.check().expect("check").audit_chain.is_intact());
    }
);

on_both_engines!(a_clinic_with_records_checks_clean, |clinic: &mut Clinic| {
    for (name, born) in [
        ("Amara Okafor", "1988-04-02"),
        ("Lin Wei", "1990-07-15"),
        ("Sofia Rossi", "1979-01-30"),
    ] {
        let c = client(name, born, None);
        clinic
            .store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save");
    }
    let report = clinic.store.check().expect("check");
    assert!(report.is_clean(), "{report:#?}");
    assert_eq!(
        report.audit_chain,
        AuditChain::Intact { rows: 3 },
        "one row per client saved"
    );
    let clients = report
        .row_counts
        .iter()
        .find(|(t, _)| t == "clients")
        .map(|(_, n)| *n);
    assert_eq!(clients, Some(3));
});

#[test]
fn server_init_writes_only_into_an_empty_database() {
    let Some(target) = pg::fresh_database() else {
        return;
    };
    let made = init_server(&target, None, crate::common::fixed_now()).expect("init");
    assert_eq!(made.version, needlepoint::store::server_latest_version());
    match init_server(&target, None, crate::common::fixed_now()) {
        Err(StoreError::Open { reason, .. }) => assert!(reason.contains("not empty"), "{reason}"),
        other => panic!("a second init must be refused: {other:?}"),
    }
}

#[test]
fn a_server_at_an_older_schema_step_is_brought_up_to_date_when_a_desk_opens_it() {
    let Some(target) = pg::fresh_database() else {
        return;
    };
    init_server(&target, None, crate::common::fixed_now()).expect("init");
    // Put the server back at step 1: its Today refresh and client search as 0001 wrote them,
    // steps 2 and 3 not recorded.
    let first = include_str!("../../migrations/postgres/0001_schema.sql");
    let start = first
        .find("CREATE FUNCTION next_sessions_refresh")
        .expect("0001 defines the refresh");
    let end = start + first[start..].find("END $$;").expect("its end") + "END $$;".len();
    let old_refresh = first[start..end].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION");
    let start = first
        .find("CREATE INDEX clients_search ")
        .expect("0001's search index");
    let old_search = &first[start..start + first[start..].find(");").expect("its end") + 2];
    let mut admin = pg::cluster().expect("cluster").connect_to(target.database());
    admin
        .batch_execute(&format!(
            "{old_refresh}; DROP TABLE client_search_text; DROP INDEX clients_phone_trigrams;
             DROP TRIGGER client_search_text_insert ON clients; DROP TRIGGER client_search_text_update ON clients;
             DROP TRIGGER client_search_text_delete ON clients; DROP FUNCTION client_search_text_keep();
             DROP FUNCTION client_search_text_rebuild(); DROP FUNCTION client_search_text_of(text, text, text, text);
             DROP TABLE client_search_words; DROP FUNCTION client_search_word_list(text);
             DROP FUNCTION client_search_words_of(text);
             CREATE INDEX clients_words ON clients USING gin (to_tsvector('simple', full_name));
             {old_search} DELETE FROM needlepoint_schema WHERE version >= 2;"
        ))
        .expect("back to step 1");
    let source = |admin: &mut postgres::Client| -> String {
        admin
            .query_one(
                "SELECT prosrc FROM pg_proc WHERE proname = 'next_sessions_refresh'",
                &[],
            )
            .expect("the refresh")
            .get(0)
    };
    assert!(source(&mut admin).contains("ANY (plans)"));

    let store = Store::open(std::path::Path::new(target.shown())).expect("a desk opens it");
    assert!(
        source(&mut admin).contains("plan_id = plan;"),
        "step 2 applied on open"
    );
    let searched_by: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname IN ('client_search_text_trigrams', 'clients_phone_trigrams')",
            &[],
        )
        .expect("indexes")
        .get(0);
    assert_eq!(searched_by, 2, "step 3 applied on open");
    let steps: i64 = admin
        .query_one("SELECT max(version) FROM needlepoint_schema", &[])
        .expect("steps")
        .get(0);
    assert_eq!(steps, needlepoint::store::server_latest_version());
    let report = store.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        report.anchor,
        needlepoint::store::AnchorCheck::OnServer,
        "the server keeps the chain's head, no anchor file is awaited"
    );
}

#[test]
fn a_server_that_asks_for_a_password_opens_only_with_the_right_one() {
    let (Some(cluster), Some(target)) = (pg::cluster(), pg::initialised_database()) else {
        return;
    };
    // An account that signs in with a password (every other account of the tests' cluster is
    // trusted): a line for it alone ahead of the others, then the server reads them again.
    let account = format!("desk_{}", &target.database()[2..14]);
    let mut db = cluster.connect_to(target.database());
    db.batch_execute(&format!(
        "CREATE ROLE {account} LOGIN PASSWORD 'front-desk-pass';
         GRANT USAGE ON SCHEMA public TO {account};
         GRANT ALL ON ALL TABLES IN SCHEMA public TO {account};
         GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {account};"
    ))
    .expect("the account");
    let hba = cluster.data.join("pg_hba.conf");
    let lines = std::fs::read_to_string(&hba).expect("pg_hba.conf");
    std::fs::write(
        &hba,
        format!("host all {account} 127.0.0.1/32 scram-sha-256\n{lines}"),
    )
    .expect("write pg_hba.conf");
    db.batch_execute("SELECT pg_reload_conf()").expect("reload");
    std::thread::sleep(std::time::Duration::from_millis(300));

    let address = format!(
        "postgres://{account}@127.0.0.1:{}/{}",
        cluster.port,
        target.database()
    );
    let path = std::path::Path::new(&address);
    match Store::open(path) {
        Err(StoreError::ServerSignIn { problem, .. }) => {
            assert!(problem.contains("asks for a password"), "{problem}")
        }
        other => panic!("no password is a sign-in problem, not a server gone: {other:?}"),
    }
    let desk = needlepoint::store::PgTarget::parse(&address).expect("address");
    needlepoint::store::remember_password(&desk, "not-the-password");
    assert!(
        matches!(Store::open(path), Err(StoreError::ServerSignIn { .. })),
        "a wrong password is refused as a sign-in problem"
    );
    needlepoint::store::remember_password(&desk, "front-desk-pass");
    let store = Store::open(path).expect("the right password opens it");
    assert!(store.is_server());
}

#[test]
fn a_server_database_without_tables_says_how_to_make_them() {
    let Some(target) = pg::fresh_database() else {
        return;
    };
    match Store::open(std::path::Path::new(target.shown())) {
        Err(StoreError::Open { reason, .. }) => {
            assert!(reason.contains("needlepoint server init --db"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_password_in_the_address_is_refused() {
    let e = needlepoint::store::PgTarget::parse("postgres://desk:secret@clinic-server/clinic").unwrap_err();
    assert!(e.to_string().contains("~/.pgpass"), "{e}");
}

#[test]
fn the_server_refuses_an_audit_row_that_would_fork_the_chain() {
    let Some(mut clinic) = clinic(Engine::Postgres) else {
        return;
    };
    let c = client("Ada Lovelace", "1985-12-10", None);
    clinic
        .store
        .write("Reception", |w| w.insert_client(&c))
        .expect("save");
    let genesis = needlepoint::store::GENESIS_HASH;
    // A second desk that read the chain before the first saved would attach row 1 again, or
    // row 2 to the genesis: both are refused even with a well-formed hash.
    for seq in [1_i64, 2] {
        let at = "2026-11-22T09:30:00.000Z";
        let fields = [at, "Desk 2", "create", "clients", "x", "x"];
        let mut values: Vec<Option<String>> = fields[..5].iter().map(|f| Some((*f).to_owned())).collect();
        values.push(None);
        values.push(Some(String::new()));
        let hash = crate::common::chain_row_hash(genesis, seq, &values, None);
        let fork = format!(
            "INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
             VALUES ({seq}, '{at}', 'Desk 2', 'create', 'clients', 'x', '', '{genesis}', '{hash}')"
        );
        match clinic.store.execute_raw(&fork) {
            Err(StoreError::Refused(m)) => assert!(m.contains("fork"), "row {seq}: {m}"),
            other => panic!("row {seq}: {other:?}"),
        }
    }
    // A row whose hash is not that of its content.
    let forged = format!(
        "INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
         VALUES (2, '2026-11-22T09:30:00.000Z', 'x', 'create', 'clients', 'x', '', '{zeros}', '{zeros}')",
        zeros = "0".repeat(64)
    );
    assert!(matches!(
        clinic.store.execute_raw(&forged),
        Err(StoreError::Refused(_))
    ));
    match clinic.store.execute_raw("TRUNCATE audit_log") {
        Err(StoreError::Refused(m)) => assert_eq!(m, "The audit log is append-only."),
        other => panic!("{other:?}"),
    }
    assert!(clinic.store.check().unwrap().is_clean());
}

#[test]
fn check_on_the_server_finds_a_safeguard_switched_off() {
    let Some(clinic) = clinic(Engine::Postgres) else {
        return;
    };
    assert!(clinic.store.check().unwrap().schema_problems.is_empty());
    clinic
        .store
        .execute_raw("ALTER TABLE audit_log DISABLE TRIGGER USER")
        .expect("an owner may switch triggers off");
    let report = clinic.store.check().unwrap();
    assert!(!report.is_clean());
    assert!(
        report
            .integrity
            .iter()
            .any(|p| p.contains("audit_log") && p.contains("disabled")),
        "{:?}",
        report.integrity
    );
    assert!(
        report.schema_problems.iter().any(|p| p.contains("was changed")),
        "{:?}",
        report.schema_problems
    );
}

#[test]
fn check_on_the_server_finds_the_search_table_out_of_step() {
    let Some(mut clinic) = clinic(Engine::Postgres) else {
        return;
    };
    let amara = client("Amara Okafor", "1988-04-02", Some("0412 345 678"));
    clinic
        .store
        .write("Reception", |w| w.insert_client(&amara))
        .expect("a client");
    assert_eq!(clinic.store.search_clients("kafo", 10).unwrap().len(), 1);
    assert!(clinic.store.check().unwrap().is_clean());
    clinic
        .store
        .execute_raw("DELETE FROM client_search_text")
        .expect("the owner can");
    let report = clinic.store.check().unwrap();
    assert!(
        report
            .integrity
            .iter()
            .any(|p| p.contains("client search table is out of step with the clients (1 rows differ)")),
        "{:?}",
        report.integrity
    );
    clinic
        .store
        .execute_raw("SELECT client_search_text_rebuild()")
        .expect("mended as the message says");
    assert!(clinic.store.check().unwrap().is_clean());
    assert_eq!(clinic.store.search_clients("kafo", 10).unwrap().len(), 1);
    // The names' words (server step 0004) are checked and mended the same way.
    clinic
        .store
        .execute_raw("DELETE FROM client_search_words WHERE word = 'okafor'")
        .expect("the owner can");
    let report = clinic.store.check().unwrap();
    assert!(
        report.integrity.iter().any(|p| p.contains("(1 rows differ)")),
        "{:?}",
        report.integrity
    );
    clinic
        .store
        .execute_raw("SELECT client_search_text_rebuild()")
        .expect("mended");
    assert!(clinic.store.check().unwrap().is_clean());
    assert_eq!(clinic.store.search_clients("oka", 1).unwrap()[0].rank, 2);
}

#[test]
fn a_demo_clinic_moved_onto_the_server_checks_clean_there() {
    use crate::common::cli::{needlepoint, text};
    let Some(target) = pg::fresh_database() else {
        return;
    };
    let db = crate::common::temp_db();
    let file = db.path.to_str().unwrap();
    // 120 clients: demos of a hundred or more carry photos too.
    let demo = needlepoint(&["demo", "--clients", "120", "--db", file, "--today", "2026-11-22"]);
    assert!(demo.status.success(), "{}", text(&demo));
    let url = target.shown();

    let moved = needlepoint(&["migrate", "--from", file, "--to", url]);
    assert!(moved.status.success(), "{}", text(&moved));
    assert!(text(&moved).contains("clients: 120 rows"), "{}", text(&moved));
    assert!(text(&moved).contains("chain unbroken"), "{}", text(&moved));

    let checked = needlepoint(&["check", "--db", url]);
    assert!(checked.status.success(), "{}", text(&checked));
    assert!(text(&checked).contains("chain unbroken"), "{}", text(&checked));

    // The same clinic on both: every client and the audit log, row for row.
    let file_store = Store::open_read_only(&db.path).unwrap();
    let server = Store::open(std::path::Path::new(url)).unwrap();
    let (on_file, on_server) = (file_store.check().unwrap(), server.check().unwrap());
    assert_eq!(on_file.row_counts, on_server.row_counts);
    assert_eq!(on_file.audit_chain, on_server.audit_chain);
    assert!(on_server.is_clean(), "{on_server:#?}");
    // Searches find the same clients there (the fragment tier's table rebuilt after the copy).
    let some = file_store.client_page(0, 3, false).unwrap();
    for query in some
        .iter()
        .map(|c| c.full_name.chars().skip(1).take(3).collect::<String>())
    {
        let ids = |store: &Store| {
            let mut ids: Vec<String> = store
                .search_clients(&query, 200)
                .unwrap()
                .into_iter()
                .map(|h| h.client.id.to_string())
                .collect();
            ids.sort();
            ids
        };
        let found = ids(&server);
        assert!(!found.is_empty(), "{query}");
        assert_eq!(found, ids(&file_store), "{query}");
    }

    // Every photo's original came too, byte for byte, and is read (and its viewing audited)
    // on the server as on the file.
    let mut server = server;
    let mut file_store = Store::open(&db.path).unwrap();
    let photos: Vec<_> = file_store
        .client_page(0, 200, true)
        .unwrap()
        .into_iter()
        .flat_map(|c| file_store.photos_of(c.id).unwrap())
        .collect();
    assert!(!photos.is_empty(), "the demo has photos");
    let lead = file_store
        .staff()
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo's team")
        .actor();
    for p in &photos {
        let on_file = file_store.open_photo_original(lead.clone(), p.id).unwrap();
        let there = server.open_photo_original(lead.clone(), p.id).unwrap();
        assert!(on_file == there, "photo {} differs on the server", p.id);
    }
    match server.execute_raw("UPDATE photo_originals SET format = 'png'") {
        Err(StoreError::Refused(m)) => assert_eq!(m, "A photo's original is never changed."),
        other => panic!("{other:?}"),
    }

    // Writing into it again is refused: the clinic is there already.
    let again = needlepoint(&["migrate", "--from", file, "--to", url]);
    assert!(!again.status.success());
    assert!(text(&again).contains("not empty"), "{}", text(&again));
}

on_both_engines!(every_search_tier_finds_the_same_clients, |clinic: &mut Clinic| {
    let mut ada = client("Ada Lovelace", "1985-12-10", Some("0412 555 010"));
    ada.details.email = Some("ada@analytical.example".to_owned());
    let mut grace = client("Grace Hopper", "1976-12-09", Some("0299 123 456"));
    grace.details.email = Some("grace@navy.example".to_owned());
    let mary = client("Mary-Jane O'Brien", "1990-02-14", None);
    let adam = client("adam smith", "2001-05-05", None);
    for c in [&ada, &grace, &mary, &adam] {
        clinic
            .store
            .write("Reception", |w| w.insert_client(c))
            .expect("save");
    }
    let first = |q: &str| -> Vec<String> {
        clinic
            .store
            .search_clients(q, 10)
            .expect("search")
            .into_iter()
            .map(|h| h.client.full_name)
            .collect()
    };
    assert_eq!(
        first("Ad"),
        ["Ada Lovelace", "adam smith"],
        "short text: names that start with it"
    );
    assert_eq!(first("ada lov"), ["Ada Lovelace"], "name start");
    assert_eq!(
        first("lovel"),
        ["Ada Lovelace"],
        "a word of the name starts with it"
    );
    assert_eq!(first("lovelace ada"), ["Ada Lovelace"], "words in another order");
    assert_eq!(
        first("brien"),
        ["Mary-Jane O'Brien"],
        "a word after an apostrophe"
    );
    assert_eq!(first("race"), ["Grace Hopper"], "anywhere in the name");
    assert_eq!(first("123 45"), ["Grace Hopper"], "phone digits, spaced as typed");
    assert_eq!(first("grace@nav"), ["Grace Hopper"], "an e-mail's start");
    assert_eq!(first("1990-02"), ["Mary-Jane O'Brien"], "a birth date's start");
    assert_eq!(
        first("50%_x"),
        Vec::<String>::new(),
        "LIKE's wildcards are taken literally"
    );
});

on_both_engines!(
    the_second_desk_to_save_a_client_is_told_who_changed_it,
    |clinic: &mut Clinic| {
        let c = client("Ada Lovelace", "1985-12-10", Some("0412 555 010"));
        clinic
            .store
            .write("Reception", |w| w.insert_client(&c))
            .expect("save");
        let mut other = clinic.another_desk();
        // Both desks open the same client's form.
        let opened = c.details.clone();
        let mut at_reception = opened.clone();
        at_reception.phone = Some("0412 555 999".to_owned());
        clinic
            .store
            .write("Reception", |w| w.update_client(c.id, &opened, &at_reception))
            .expect("the first save");
        let mut in_the_room = opened.clone();
        in_the_room.notes = "Prefers mornings".to_owned();
        match other.write("Treatment room", |w| w.update_client(c.id, &opened, &in_the_room)) {
            Err(e @ StoreError::ChangedElsewhere { .. }) => {
                let said = e.to_string();
                assert!(
                    said.starts_with("Reception changed this client's details at 2026-11-22 09:30 UTC"),
                    "{said}"
                );
                assert!(said.contains("phone"), "{said}");
                assert!(said.contains("What you typed is still here"), "{said}");
            }
            other => panic!("the second save must be refused: {other:?}"),
        }
        assert_eq!(
            other.client(c.id).unwrap().unwrap().details,
            at_reception,
            "nothing of the second was saved"
        );
        // Saving again, having seen the change, keeps it.
        let mut merged = at_reception.clone();
        merged.notes = "Prefers mornings".to_owned();
        other
            .write("Treatment room", |w| {
                w.update_client(c.id, &at_reception, &merged)
            })
            .expect("the retry");
        assert_eq!(clinic.store.client(c.id).unwrap().unwrap().details, merged);
    }
);

on_both_engines!(
    the_second_desk_to_save_a_skin_concern_is_told_who_changed_it,
    |clinic: &mut Clinic| {
        use needlepoint::domain::{ClientConcern, ConcernId, Severity};
        let c = client("Ada Lovelace", "1985-12-10", None);
        let opened = ClientConcern {
            id: ConcernId::new(),
            client_id: c.id,
            concern: "acne_scars_rolling".to_owned(),
            area: "cheeks".to_owned(),
            severity: Severity::Moderate,
            noted_on: crate::common::date("2026-10-01"),
            resolved_on: None,
            notes: String::new(),
        };
        clinic
            .store
            .write("Reception", |w| {
                w.insert_client(&c)?;
                w.insert_concern(&opened)
            })
            .expect("save");
        let mut other = clinic.another_desk();
        let at_reception = ClientConcern {
            severity: Severity::Severe,
            ..opened.clone()
        };
        clinic
            .store
            .write("Reception", |w| w.update_concern(&opened, &at_reception))
            .expect("the first save");
        let in_the_room = ClientConcern {
            notes: "Worse on the left".to_owned(),
            ..opened.clone()
        };
        match other.write("Treatment room", |w| w.update_concern(&opened, &in_the_room)) {
            Err(e @ StoreError::ChangedElsewhere { .. }) => {
                let said = e.to_string();
                assert!(
                    said.starts_with("Reception changed this skin concern at "),
                    "{said}"
                );
            }
            other => panic!("the second save must be refused: {other:?}"),
        }
        assert_eq!(
            other.concerns_of(c.id).unwrap(),
            std::slice::from_ref(&at_reception)
        );
        // The same save sent twice (its answer lost) is no change of someone else's.
        clinic
            .store
            .write("Reception", |w| w.update_concern(&opened, &at_reception))
            .expect("saved again as it is");
        let merged = ClientConcern {
            notes: "Worse on the left".to_owned(),
            ..at_reception.clone()
        };
        other
            .write("Treatment room", |w| w.update_concern(&at_reception, &merged))
            .expect("the retry, having seen the change");
        assert_eq!(clinic.store.concerns_of(c.id).unwrap(), [merged]);
    }
);

on_both_engines!(
    a_photo_is_kept_verified_and_erased_only_by_anonymising,
    |clinic: &mut Clinic| {
        use needlepoint::domain::{ConsentKind, PhotoTags, PhotoView};
        use needlepoint::imaging::{self, sample};
        let c = client("Noor Haddad", "1990-05-06", None);
        let lead = crate::common::lead();
        clinic.store.write(lead.clone(), |w| w.insert_client(&c)).unwrap();
        crate::common::give_consent(
            &mut clinic.store,
            c.id,
            ConsentKind::Photographs,
            crate::common::date("2026-10-01"),
        );
        let jpeg = sample::skin_jpeg(320, 240, 7, 0.6);
        let prepared = imaging::prepare(&jpeg, "cheek.jpg").unwrap();
        let tags = PhotoTags {
            area: "cheeks".to_owned(),
            view: PhotoView::Front,
            taken_on: crate::common::date("2026-11-20"),
            session: None,
        };
        let id = clinic
            .store
            .import_photo(
                lead.clone(),
                c.id,
                &tags,
                &prepared,
                crate::common::date("2026-11-22"),
            )
            .expect("import");
        // Another desk opens the original, exactly as stored.
        let mut other = clinic.another_desk();
        assert_eq!(
            other.open_photo_original(lead.clone(), id).unwrap(),
            prepared.bytes
        );
        assert!(clinic.store.check().unwrap().photo_problems.is_empty());
        // Anonymising erases the picture everywhere; the signed row stays.
        clinic
            .store
            .write(lead.clone(), |w| w.anonymise_client(c.id))
            .expect("anonymise");
        clinic.store.remove_erased_photo_files().unwrap();
        assert!(other.open_photo_original(lead, id).is_err());
        assert!(clinic.store.photo(id).unwrap().is_some());
        assert!(clinic.store.check().unwrap().is_clean());
    }
);

#[test]
fn desks_talk_to_the_server_encrypted_and_verify_it_when_given_its_authority() {
    use crate::common::cli::text;
    let Some(clinic) = clinic(Engine::Postgres) else {
        return;
    };
    let cluster = pg::cluster().unwrap();
    let url = clinic.url.clone().unwrap();
    let database = url.rsplit('/').next().unwrap().to_owned();
    let (plain, all): (i64, i64) = {
        let row = cluster
            .admin()
            .query_one(
                "SELECT count(*) FILTER (WHERE NOT s.ssl), count(*) FROM pg_stat_ssl s
                   JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1 AND a.application_name = 'needlepoint'",
                &[&database],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(all >= 1, "the desk's connection is there");
    assert_eq!(plain, 0, "every desk connection is encrypted");

    let check_with = |authority: &std::path::Path, address: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_needlepoint"))
            .args(["check", "--db", address])
            .env("PGSSLROOTCERT", authority)
            .env("NEEDLEPOINT_LOG", "error")
            .output()
            .unwrap()
    };
    let trusted = check_with(&cluster.certificate, &url);
    assert!(trusted.status.success(), "{}", text(&trusted));
    // Another authority: the server cannot prove itself, and nothing is sent to it.
    let other = tempfile::tempdir().unwrap();
    let (key, cert) = (other.path().join("ca.key"), other.path().join("ca.crt"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Someone else",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(made.status.success());
    let impostor = check_with(&cert, &url);
    assert!(!impostor.status.success());
    assert!(
        text(&impostor).contains("cannot be reached"),
        "{}",
        text(&impostor)
    );
    // Turned off in the address, it connects without TLS.
    let plain_text = check_with(&cert, &format!("{url}?sslmode=disable"));
    assert!(plain_text.status.success(), "{}", text(&plain_text));
}

#[test]
fn a_server_database_is_copied_into_a_verified_file_that_opens_anywhere() {
    use crate::common::cli::{needlepoint, needlepoint_as_demo_lead, text};
    let Some(target) = pg::fresh_database() else {
        return;
    };
    let db = crate::common::temp_db();
    let file = db.path.to_str().unwrap();
    let url = target.shown();
    let demo = needlepoint(&["demo", "--clients", "110", "--db", file, "--today", "2026-11-22"]);
    assert!(demo.status.success(), "{}", text(&demo));
    let moved = needlepoint(&["migrate", "--from", file, "--to", url]);
    assert!(moved.status.success(), "{}", text(&moved));

    let without = needlepoint_as_demo_lead(&["backup", "--db", url]);
    assert!(!without.status.success());
    assert!(text(&without).contains("pg_dump"), "{}", text(&without));

    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("copy.db");
    let taken = needlepoint_as_demo_lead(&["backup", "--db", url, "--to", copy.to_str().unwrap()]);
    assert!(taken.status.success(), "{}", text(&taken));
    assert!(text(&taken).contains("110 clients"), "{}", text(&taken));
    // The copy is a clinic file like any other: it checks clean, photos and all, and holds
    // the server's rows and chain.
    let checked = needlepoint(&["check", "--db", copy.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", text(&checked));
    let (server, copy) = (
        Store::open(std::path::Path::new(url)).unwrap().check().unwrap(),
        Store::open_read_only(&copy).unwrap().check().unwrap(),
    );
    assert_eq!(server.row_counts, copy.row_counts);
    assert_eq!(server.audit_chain, copy.audit_chain);
    assert!(copy.photo_problems.is_empty(), "{:?}", copy.photo_problems);
}

on_both_engines!(
    a_screening_signed_again_after_a_lost_answer_is_not_saved_twice,
    |clinic: &mut Clinic| {
        use crate::common::{date, give_treatment_consent, lead, shipped_protocol, LEAD};
        use needlepoint::protocol::ScreeningToSign;
        let amara = client("Amara Okafor", "1988-04-02", None);
        clinic
            .store
            .write("Reception", |w| w.insert_client(&amara))
            .unwrap();
        give_treatment_consent(&mut clinic.store, amara.id, date("2026-11-22"));
        let p = shipped_protocol();
        // The form fixes the screening's id when it opens: both signings carry it.
        let to_sign = ScreeningToSign::for_client(
            &amara,
            date("2026-11-22"),
            p.safe_answers(),
            vec!["cheeks".into()],
            LEAD,
        );
        let id = to_sign.id;
        let screening = p.sign_screening(to_sign).unwrap();
        assert_eq!(screening.id, id);
        clinic
            .store
            .write(lead(), |w| w.insert_screening(&screening))
            .expect("the first signing is saved");
        // Its answer was lost; the practitioner signs again.
        match clinic.store.write(lead(), |w| w.insert_screening(&screening)) {
            Err(e @ StoreError::AlreadySaved { .. }) => {
                assert!(e.to_string().contains("Nothing was saved twice"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(clinic.store.screenings_of(amara.id).unwrap().len(), 1);
    }
);

on_both_engines!(
    a_consent_signed_again_after_a_lost_answer_is_not_kept_twice,
    |clinic: &mut Clinic| {
        use crate::common::{consent_to_sign, date, lead};
        let amara = client("Amara Okafor", "1988-04-02", None);
        clinic
            .store
            .write("Reception", |w| w.insert_client(&amara))
            .unwrap();
        let (doc, to_sign) = consent_to_sign(amara.id, needlepoint::domain::ConsentKind::Treatment);
        let sign = |store: &mut Store| {
            store.write(lead(), |w| {
                w.keep_consent_document(&doc)?;
                w.sign_consent(&to_sign, date("2026-11-22"))
            })
        };
        sign(&mut clinic.store).expect("the first signing is kept");
        match sign(&mut clinic.store) {
            Err(StoreError::AlreadySaved { what }) => assert_eq!(what, "consent"),
            other => panic!("{other:?}"),
        }
        assert_eq!(clinic.store.consents_of(amara.id).unwrap().len(), 1);
    }
);
