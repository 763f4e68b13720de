//! `needlepoint screen` as a clinic's IT person uses it: an answers file in, the outcome as JSON
//! out, exit code 2 with a plain message for bad input, and nothing written anywhere.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use serde_json::{json, Map, Value};
use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with a fresh home folder, so no clinic protocol file of this machine is used
/// and anything written would show up there.
fn screen(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .arg("screen")
        .args(args)
        .env("NEEDLEPOINT_LOG", "error")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .expect("run needlepoint")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every question "no", except "22 or older?" and consent "yes".
fn clear_answers() -> Map<String, Value> {
    let protocol = needlepoint::protocol::Protocol::shipped().expect("protocol");
    protocol
        .intake_questions
        .iter()
        .map(|q| {
            let yes = q.id == "age" || q.id == "consent";
            (q.id.clone(), json!({ "yes": yes }))
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path.display().to_string());
        }
    }
    found
}

#[test]
fn an_isotretinoin_deferral_is_printed_as_json_and_nothing_is_written() {
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work");
    let mut answers = clear_answers();
    answers.insert(
        "isotretinoin".to_owned(),
        json!({ "yes": true, "details": { "still_taking": "no", "stopped_on": "2026-09-01" } }),
    );
    let file = write(work.path(), "answers.json", &Value::Object(answers).to_string());

    let out = screen(
        home.path(),
        &[
            "--answers",
            &file,
            "--areas",
            "cheeks,forehead",
            "--date",
            "2027-02-28",
            "--skin-type",
            "IV",
            "--born",
            "1990-01-01",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let version = needlepoint::protocol::Protocol::shipped()
        .expect("protocol")
        .version;
    assert_eq!(report["protocol_version"], Value::from(version));
    assert_eq!(report["kind"], "defer", "{report:#}");
    assert_eq!(report["defer_until"], "2027-03-01", "{report:#}");
    assert_eq!(report["excluded_areas"], json!([]));
    let findings = report["findings"].as_array().expect("findings");
    let iso = findings
        .iter()
        .find(|f| f["rule"] == "isotretinoin")
        .expect("isotretinoin finding");
    assert_eq!(iso["kind"], "defer");
    assert!(!iso["sources"].as_array().expect("sources").is_empty());
    assert!(iso["tier"].is_string());
    assert!(
        findings.iter().any(|f| f["rule"] == "skin_type_iii_vi"),
        "{report:#}"
    );

    // The day the wait ends, the same answers are clear.
    let out = screen(
        home.path(),
        &["--answers", &file, "--areas", "cheeks", "--date", "2027-03-01"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["kind"], "clear", "{report:#}");

    assert_eq!(
        files_under(home.path()),
        Vec::<String>::new(),
        "screen wrote a file"
    );
    assert_eq!(files_under(work.path()).len(), 1, "screen wrote a file");
}

#[test]
fn unanswered_questions_exit_2_with_their_list() {
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work");
    let mut answers = clear_answers();
    answers.remove("isotretinoin");
    answers.remove("consent");
    let file = write(work.path(), "answers.json", &Value::Object(answers).to_string());
    let out = screen(
        home.path(),
        &["--answers", &file, "--areas", "cheeks", "--date", "2026-11-22"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("2 question(s) are not answered"), "{err}");
    assert!(err.contains("isotretinoin (question 5)"), "{err}");
    assert!(err.contains("consent (question 22)"), "{err}");
    assert!(!err.contains("pregnancy"), "{err}");
}

#[test]
fn a_broken_json_file_exits_2_with_line_and_column() {
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work");
    let file = write(
        work.path(),
        "answers.json",
        "{\n  \"age\": { \"yes\": true },\n  \"consent\": { \"yes\": tru }\n}\n",
    );
    let out = screen(
        home.path(),
        &["--answers", &file, "--areas", "cheeks", "--date", "2026-11-22"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not valid JSON"), "{err}");
    assert!(err.contains("line 3, column"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_arguments_exit_2_and_name_the_problem() {
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work");
    let file = write(
        work.path(),
        "answers.json",
        &Value::Object(clear_answers()).to_string(),
    );
    let missing = work.path().join("no-such.json");
    let cases: [(Vec<&str>, &str); 6] = [
        (
            vec![
                "--answers",
                missing.to_str().expect("path"),
                "--areas",
                "cheeks",
                "--date",
                "2026-11-22",
            ],
            "Could not read the answers file",
        ),
        (
            vec![
                "--answers",
                &file,
                "--areas",
                "cheeks,elbow",
                "--date",
                "2026-11-22",
            ],
            "\"elbow\" is not an area",
        ),
        (
            vec!["--answers", &file, "--areas", "cheeks", "--date", "22/11/2026"],
            "--date \"22/11/2026\" is not a date",
        ),
        (
            vec![
                "--answers",
                &file,
                "--areas",
                "cheeks",
                "--date",
                "2026-11-22",
                "--born",
                "1990-02-30",
            ],
            "--born \"1990-02-30\" is not a date",
        ),
        (
            vec![
                "--answers",
                &file,
                "--areas",
                "cheeks",
                "--date",
                "2026-11-22",
                "--skin-type",
                "VII",
            ],
            "--skin-type",
        ),
        (
            vec![
                "--answers",
                &file,
                "--areas",
                "cheeks",
                "--date",
                "2026-11-22",
                "--born",
                "2027-01-01",
            ],
            "after the screening date",
        ),
    ];
    for (args, says) in cases {
        let out = screen(home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_examples_in_the_answers_guide_screen_as_it_says() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/screening-answers.md"))
        .expect("docs/screening-answers.md");
    let blocks: Vec<&str> = guide
        .split("```json")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    let protocol = needlepoint::protocol::Protocol::shipped().expect("protocol");
    let complete: Vec<&str> = blocks
        .iter()
        .copied()
        .filter(|b| {
            serde_json::from_str::<Value>(b)
                .ok()
                .and_then(|v| v.as_object().map(|o| o.len() == protocol.intake_questions.len()))
                .unwrap_or(false)
        })
        .collect();
    assert!(complete.len() >= 2, "the guide needs two complete answers files");
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work");
    let mut kinds = Vec::new();
    for (i, block) in complete.iter().enumerate() {
        let file = write(work.path(), &format!("example{i}.json"), block);
        let out = screen(
            home.path(),
            &[
                "--answers",
                &file,
                "--areas",
                "cheeks,forehead,chin_jawline",
                "--date",
                "2026-11-22",
            ],
        );
        assert!(out.status.success(), "example {i}: {}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        kinds.push(report["kind"].as_str().expect("kind").to_owned());
    }
    assert!(kinds.iter().any(|k| k == "defer"), "{kinds:?}");
}
