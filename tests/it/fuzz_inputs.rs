//! Fuzzing every file format Needlepoint reads, with proptest: the protocol file, screening
//! answers JSON, the client import CSV, and a database or backup file given to `--db` or
//! `restore`. Each gets arbitrary bytes and structure-aware mutations of a valid file; none may
//! panic, and a refusal must carry a message. 256 cases each by default (`PROPTEST_CASES=N`
//! runs more), so the run fits in the normal `cargo test`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::Path;

use crate::common::date;
use needlepoint::domain::SkinType;
use needlepoint::protocol::screening::{answers_from_json, ScreeningInput};
use needlepoint::protocol::{Protocol, SHIPPED_JSON};
use needlepoint::store::Store;
use proptest::prelude::*;
use serde_json::{json, Value};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// A leaf a mutation puts somewhere in a document: wrong types, edge values, near-misses.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::String),
        prop::sample::select(vec![
            "cheeks",
            "Q99",
            "2026-02-30",
            "-1",
            "0.05",
            "2.55",
            "",
            "A",
            "z",
            "defer",
            "yes",
            "🧪",
            "\u{0}",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        Just(json!([])),
        Just(json!({})),
        Just(json!([1, "two", null])),
        Just(json!({"yes": true})),
    ]
}

/// One structural change: where (a walk of child picks) and what (replace, remove, duplicate).
#[derive(Debug, Clone)]
struct Mutation {
    picks: Vec<u32>,
    op: u8,
    leaf: Value,
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        (prop::collection::vec(any::<u32>(), 0..7), 0u8..3, leaf()).prop_map(|(picks, op, leaf)| Mutation {
            picks,
            op,
            leaf,
        }),
        1..6,
    )
}

/// Walks down `picks` (each picks a child) and applies the change there.
fn mutate(v: &mut Value, picks: &[u32], op: u8, leaf: &Value) {
    let Some((first, rest)) = picks.split_first() else {
        *v = leaf.clone();
        return;
    };
    match v {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(*first as usize % map.len()).cloned().unwrap();
            match (rest.is_empty(), op) {
                (true, 1) => {
                    map.remove(&key);
                }
                (true, 2) => {
                    let copy = map[&key].clone();
                    map.insert(format!("{key}_copy"), copy);
                }
                _ => mutate(map.get_mut(&key).unwrap(), rest, op, leaf),
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = *first as usize % items.len();
            match (rest.is_empty(), op) {
                (true, 1) => {
                    items.remove(i);
                }
                (true, 2) => {
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => mutate(&mut items[i], rest, op, leaf),
            }
        }
        _ => *v = leaf.clone(),
    }
}

/// Byte-level damage: overwrite, cut or insert at positions taken modulo the length.
fn damage(mut bytes: Vec<u8>, edits: &[(u32, u8, u8)]) -> Vec<u8> {
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let i = at as usize % bytes.len();
        match kind % 3 {
            0 => bytes[i] = byte,
            1 => bytes.truncate(i),
            _ => bytes.insert(i, byte),
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(u32, u8, u8)>> {
    prop::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..8)
}

fn shipped() -> Protocol {
    Protocol::shipped().unwrap()
}

fn refusal_is_worded(e: &impl std::fmt::Display) {
    let message = e.to_string();
    assert!(message.trim().len() > 10, "unhelpful message: {message:?}");
}

// ---- the protocol file -------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn protocol_arbitrary_text_is_refused_with_a_message(text in any::<String>()) {
        match Protocol::from_json(&text) {
            Ok(_) => prop_assert!(false, "arbitrary text accepted as a protocol"),
            Err(e) => refusal_is_worded(&e),
        }
    }

    #[test]
    fn protocol_arbitrary_bytes_in_a_file_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("protocol.json");
        std::fs::write(&path, &bytes).unwrap();
        match Protocol::from_file(&path) {
            Ok(_) => prop_assert!(false, "arbitrary bytes accepted as a protocol"),
            Err(e) => refusal_is_worded(&e),
        }
    }

    #[test]
    fn protocol_structure_mutations_never_panic(changes in mutations()) {
        let mut doc: Value = serde_json::from_str(SHIPPED_JSON).unwrap();
        for m in &changes {
            mutate(&mut doc, &m.picks, m.op, &m.leaf);
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        if let Err(e) = Protocol::from_json(&text) {
            refusal_is_worded(&e);
        }
    }

    #[test]
    fn protocol_byte_damage_never_panics(edits in edits()) {
        let text = damage(SHIPPED_JSON.as_bytes().to_vec(), &edits);
        let text = String::from_utf8_lossy(&text);
        if let Err(e) = Protocol::from_json(&text) {
            refusal_is_worded(&e);
        }
    }
}

// ---- screening answers -------------------------------------------------------------------

/// Reads answers as `needlepoint screen` does and screens them: never a panic.
fn screen_text(p: &Protocol, text: &str, skin: Option<SkinType>, born: Option<chrono::NaiveDate>) {
    match answers_from_json(text) {
        Ok(answers) => {
            let areas = vec!["cheeks".to_owned(), "forehead".to_owned()];
            let result = p.screen(&ScreeningInput {
                answers: &answers,
                planned_areas: &areas,
                today: date("2026-11-22"),
                skin_type: skin,
                date_of_birth: born,
                clearances: &[],
            });
            if let Err(e) = result {
                refusal_is_worded(&e);
            }
        }
        Err(message) => assert!(message.len() > 10, "unhelpful message: {message:?}"),
    }
}

fn skin() -> impl Strategy<Value = Option<SkinType>> {
    prop::option::of(prop::sample::select(SkinType::ALL.to_vec()))
}

fn born() -> impl Strategy<Value = Option<chrono::NaiveDate>> {
    prop::option::of(
        (1900i32..2030, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn answers_arbitrary_text_never_panics(text in any::<String>(), skin in skin(), born in born()) {
        screen_text(&shipped(), &text, skin, born);
    }

    #[test]
    fn answers_structure_mutations_never_panic(changes in mutations(), skin in skin(), born in born()) {
        let p = shipped();
        let mut doc = serde_json::to_value(p.safe_answers()).unwrap();
        for m in &changes {
            mutate(&mut doc, &m.picks, m.op, &m.leaf);
        }
        screen_text(&p, &doc.to_string(), skin, born);
    }

    /// Well-formed answers with arbitrary contents (yes/no, conditions, details, any keys).
    #[test]
    fn answers_with_arbitrary_contents_never_panic(
        flips in prop::collection::vec(any::<bool>(), 40),
        conditions in prop::collection::vec(".{0,20}", 0..3),
        details in prop::collection::btree_map(".{0,12}", ".{0,20}", 0..3),
        skin in skin(),
        born in born(),
    ) {
        let p = shipped();
        let mut answers = p.safe_answers();
        for ((_, a), yes) in answers.iter_mut().zip(flips) {
            a.yes = yes;
            if yes {
                a.conditions.clone_from(&conditions);
                a.details.clone_from(&details);
            }
        }
        screen_text(&p, &serde_json::to_string(&answers).unwrap(), skin, born);
    }
}

// ---- the client import CSV ---------------------------------------------------------------

/// Previews `bytes` on an empty database, then adds what the preview accepted: every line the
/// preview accepts, the store must accept too.
fn import_round(bytes: &[u8]) {
    let mut store = Store::open_in_memory().unwrap();
    match needlepoint::import::preview(bytes, "fuzz.csv", &store, date("2026-11-22")) {
        Ok(preview) => {
            assert!(preview.problems.iter().all(|p| p.line >= 2), "{preview:#?}");
            let report = needlepoint::import::apply(&preview, &mut store, "Fuzz").unwrap();
            assert_eq!(report.added.len(), preview.to_add.len());
            assert_eq!(store.client_count(true).unwrap(), preview.to_add.len());
        }
        Err(e) => refusal_is_worded(&e),
    }
}

/// A field a spreadsheet might hold: plausible values, near-misses and arbitrary text.
fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,30}",
        "[A-Za-z ]{1,20}",
        "(19|20)[0-9]{2}-[0-1][0-9]-[0-3][0-9]",
        "[0-9 +()-]{0,16}",
        "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}",
        prop::sample::select(vec![
            "I",
            "vi",
            "7",
            "0",
            "",
            "\"",
            "\"\"",
            ",",
            ";",
            "\n",
            "\r\n",
            "31/02/1990",
            "1985-02-29",
            "2027-01-01",
            "1890-01-01",
            "李雷",
            "محمد",
            "\u{feff}",
        ])
        .prop_map(str::to_owned),
    ]
}

fn csv_line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn import_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        import_round(&bytes);
    }

    #[test]
    fn import_spreadsheets_with_arbitrary_fields_never_panic(
        header in prop::sample::subsequence(
            vec!["full_name", "first_name", "last_name", "date_of_birth", "phone", "email", "skin_type", "notes", "address"],
            2..9,
        ).prop_shuffle(),
        rows in prop::collection::vec(prop::collection::vec(csv_field(), 0..10), 0..12),
    ) {
        let mut text = header.join(",");
        for row in &rows {
            text.push('\n');
            text.push_str(&csv_line(row));
        }
        import_round(text.as_bytes());
    }

    #[test]
    fn import_byte_damage_of_a_valid_file_never_panics(edits in edits()) {
        let valid = "full_name,date_of_birth,phone,email,skin_type,notes\n\
                     Ada Lovelace,1985-12-10,+61 412 555 010,ada@example.com,III,\"Prefers, mornings\"\n\
                     Mei Chen,1992-05-06,,,2,\n";
        import_round(&damage(valid.as_bytes().to_vec(), &edits));
    }
}

// ---- a database or backup given to --db or restore --------------------------------------

/// A small real database with its audit log, as the bytes of its closed file (made once; each
/// case writes a fresh copy, which is much faster than making one).
fn valid_database_bytes() -> Vec<u8> {
    static TEMPLATE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("clinic.db");
            let mut store = Store::open(&path).unwrap();
            store
                .write("Reception", |w| {
                    for (name, born) in [("Ada Lovelace", "1985-12-10"), ("Mei Chen", "1992-05-06")] {
                        w.insert_client(&crate::common::client(name, born, Some("0400 111 222")))?;
                    }
                    Ok(())
                })
                .unwrap();
            store.close().unwrap();
            std::fs::read(&path).unwrap()
        })
        .clone()
}

fn clinic(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("clinic.db");
    std::fs::write(&path, valid_database_bytes()).unwrap();
    path
}

/// Gives `bytes` to `restore` over a working database: refused with a reason and the database
/// untouched, or (a harmless change) restored into a database that opens and checks clean.
fn restore_round(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    let before = std::fs::read(&db).unwrap();
    let from = dir.path().join("from.db");
    std::fs::write(&from, bytes).unwrap();
    match needlepoint::store::restore(&db, &from, "Fuzz") {
        Err(e) => {
            refusal_is_worded(&e);
            assert_eq!(
                std::fs::read(&db).unwrap(),
                before,
                "a refused restore changed the database"
            );
        }
        Ok(_) => {
            let store = Store::open(&db).unwrap();
            assert!(store.check().unwrap().is_clean());
        }
    }
    let store = Store::open(&db).expect("the database still opens");
    assert!(store.check().unwrap().is_clean());
}

/// Opens `bytes` as a database (`--db`): refused with a reason and the file untouched, or opened
/// and checked. A file that is not damaged (arbitrary bytes that open can only be an empty file,
/// made a new database) must check clean; a damaged one that opens must answer the check,
/// clean or naming what is wrong.
fn open_round(bytes: &[u8], damaged: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("given.db");
    std::fs::write(&path, bytes).unwrap();
    match Store::open(&path) {
        Err(e) => {
            refusal_is_worded(&e);
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "a refused file was changed");
        }
        Ok(store) => {
            let damaged = damaged && bytes != valid_database_bytes().as_slice();
            match store.check() {
                Ok(report) if !damaged => assert!(report.is_clean(), "{report:?}"),
                Ok(report) => assert!(
                    report.is_clean() || names_a_problem(&report),
                    "an unclean check must say what is wrong: {report:?}"
                ),
                Err(e) => {
                    assert!(damaged, "an undamaged file could not be checked: {e}");
                    refusal_is_worded(&e);
                }
            }
        }
    }
}

/// The report shows where the damage is: SQLite's words, a dangling reference, the audit row
/// where the chain breaks, the Today table out of step, a signed row that is not what was
/// signed, a changed safeguard (a flipped byte inside a trigger's text), or the anchor.
fn names_a_problem(report: &needlepoint::store::CheckReport) -> bool {
    let worded = |lines: &[String]| !lines.is_empty() && lines.iter().all(|l| !l.trim().is_empty());
    let integrity = report.integrity != ["ok"] && worded(&report.integrity);
    let signed = report.signed_content_problems.0 > 0 && worded(&report.signed_content_problems.1);
    integrity
        || !report.foreign_key_problems.is_empty()
        || report.audit_chain.to_string().starts_with("BROKEN at row")
        || report.next_sessions_out_of_step != 0
        || signed
        || worded(&report.schema_problems)
        || !report.anchor.is_ok()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn restore_of_arbitrary_bytes_is_refused_and_changes_nothing(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        with_header in any::<bool>(),
    ) {
        let mut bytes = bytes;
        if with_header {
            // Past the first check: the SQLite magic, then garbage.
            let mut b = b"SQLite format 3\0".to_vec();
            b.extend(bytes);
            bytes = b;
        }
        restore_round(&bytes);
    }

    #[test]
    fn restore_of_a_damaged_backup_never_panics(edits in edits()) {
        restore_round(&damage(valid_database_bytes(), &edits));
    }

    #[test]
    fn opening_arbitrary_or_damaged_files_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        edits in edits(),
        damaged in any::<bool>(),
    ) {
        if damaged {
            open_round(&damage(valid_database_bytes(), &edits), true);
        } else {
            open_round(&bytes, false);
        }
    }
}

// ---- the same files through the command line --------------------------------------------

/// Fewer cases: each starts the binary.
fn cli_config() -> ProptestConfig {
    let base = config();
    ProptestConfig {
        cases: (base.cases / 8).max(8),
        ..base
    }
}

/// A refusal from the binary: exit code 2 (never a panic's 101) and a message on stderr.
fn cli_refuses_cleanly(out: &std::process::Output) {
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 2)),
        "exit {code:?}: {}",
        crate::common::cli::text(out)
    );
    if code == Some(2) {
        assert!(
            String::from_utf8_lossy(&out.stderr).trim().len() > 10,
            "no message: {}",
            crate::common::cli::text(out)
        );
    }
}

proptest! {
    #![proptest_config(cli_config())]

    #[test]
    fn cli_protocol_check_and_screen_refuse_damaged_files_cleanly(
        changes in mutations(),
        edits in edits(),
        use_bytes in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let protocol = dir.path().join("protocol.json");
        let answers = dir.path().join("answers.json");
        if use_bytes {
            std::fs::write(&protocol, damage(SHIPPED_JSON.as_bytes().to_vec(), &edits)).unwrap();
            let valid = serde_json::to_vec(&shipped().safe_answers()).unwrap();
            std::fs::write(&answers, damage(valid, &edits)).unwrap();
        } else {
            let mut doc: Value = serde_json::from_str(SHIPPED_JSON).unwrap();
            let mut given = serde_json::to_value(shipped().safe_answers()).unwrap();
            for m in &changes {
                mutate(&mut doc, &m.picks, m.op, &m.leaf);
                mutate(&mut given, &m.picks, m.op, &m.leaf);
            }
            std::fs::write(&protocol, doc.to_string()).unwrap();
            std::fs::write(&answers, given.to_string()).unwrap();
        }
        let p = protocol.to_str().unwrap();
        cli_refuses_cleanly(&crate::common::cli::needlepoint(&["protocol", "check", p]));
        cli_refuses_cleanly(&crate::common::cli::needlepoint(&[
            "screen", "--answers", answers.to_str().unwrap(), "--areas", "cheeks", "--date", "2026-11-22",
        ]));
    }
}
