//! The house rules, checked on the source itself (in the spirit of rust-analyzer's `tidy.rs`):
//! arrows point down only (a room imports only rooms on a lower floor, as ARCHITECTURE.md lists
//! them), SQL lives only in `src/store`, and no source file passes 600 lines. Each rule is a
//! function over (path, text), so the tests below also plant a violation and see it caught.

use std::path::{Path, PathBuf};

/// The floors of ARCHITECTURE.md, lowest first. A room may import its own modules and rooms on
/// a lower floor; nothing on its own floor or above.
const FLOORS: &[&[&str]] = &[
    &["domain", "paths"],
    &["protocol", "credentials", "imaging"],
    &["store"],
    &["print", "demo", "import", "startup"],
    &["ui", "cli"],
    &["bench"],
];

const MAX_LINES: usize = 600;

fn floor_of(room: &str) -> Option<usize> {
    FLOORS.iter().position(|rooms| rooms.contains(&room))
}

/// The room a source file belongs to: its first folder under `src/`, or its own name for a
/// top-level file (`src/demo.rs` is the room `demo`). `lib.rs` and `main.rs` are the house
/// itself, above every floor.
fn room_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let room = first.strip_suffix(".rs").unwrap_or(first);
    (room != "lib" && room != "main").then(|| room.to_owned())
}

/// Every room a file names through `crate::room` (also inside `use crate::{a, b::c}`).
fn rooms_named(text: &str) -> Vec<String> {
    let mut named = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        // `$crate::` in a macro names the same rooms; `needlepoint_crate::` would not match
        // because the character before must not be part of an identifier.
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = group.split('}').next().unwrap_or("");
            for item in inside.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    named.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.push(name);
            }
        }
    }
    named
}

/// Imports that point up or sideways: "src/x.rs names crate::y (floor a → floor b)".
fn upward_arrows(relative: &Path, text: &str) -> Vec<String> {
    let Some(room) = room_of(relative) else {
        return Vec::new();
    };
    let Some(own_floor) = floor_of(&room) else {
        return vec![format!(
            "src/{} is in the room `{room}`, which no floor lists: add it to FLOORS and ARCHITECTURE.md",
            relative.display()
        )];
    };
    rooms_named(text)
        .into_iter()
        .filter(|named| *named != room)
        .filter_map(|named| match floor_of(&named) {
            Some(floor) if floor < own_floor => None,
            Some(floor) => Some(format!(
                "src/{} (`{room}`, floor {own_floor}) imports `crate::{named}` (floor {floor}): arrows point down only",
                relative.display()
            )),
            // Not a room (e.g. a crate-root re-export); nothing to check.
            None => None,
        })
        .collect()
}

/// SQL keywords at the start of a string literal, or rusqlite named, outside `src/store`.
fn sql_outside_store(relative: &Path, text: &str) -> Vec<String> {
    if relative.starts_with("store") {
        return Vec::new();
    }
    const STATEMENTS: &[&str] = &[
        "SELECT ",
        "INSERT INTO",
        "INSERT OR",
        "UPDATE ",
        "DELETE FROM",
        "CREATE TABLE",
        "CREATE INDEX",
        "CREATE TRIGGER",
        "DROP TABLE",
        "PRAGMA ",
        "BEGIN IMMEDIATE",
    ];
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let in_string = line
            .split('"')
            .skip(1)
            .step_by(2)
            .any(|s| STATEMENTS.iter().any(|k| s.trim_start().starts_with(k)));
        if in_string || line.contains("rusqlite") {
            found.push(format!(
                "src/{}:{}: SQL outside src/store: {}",
                relative.display(),
                number + 1,
                line.trim()
            ));
        }
    }
    found
}

fn too_long(relative: &Path, text: &str) -> Option<String> {
    let lines = text.lines().count();
    (lines > MAX_LINES).then(|| {
        format!(
            "src/{} has {lines} lines (at most {MAX_LINES}): split it by concern",
            relative.display()
        )
    })
}

fn source_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                let relative = path.strip_prefix(&root).expect("under src").to_path_buf();
                files.push((relative, text));
            }
        }
    }
    files.sort();
    assert!(files.len() > 50, "found only {} source files", files.len());
    files
}

fn all_problems(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (relative, text) in files {
        problems.extend(upward_arrows(relative, text));
        problems.extend(sql_outside_store(relative, text));
        problems.extend(too_long(relative, text));
    }
    problems
}

#[test]
fn the_source_keeps_the_house_rules() {
    let problems = all_problems(&source_files());
    assert!(
        problems.is_empty(),
        "house rules broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_view_importing_the_command_line_is_caught() {
    let planted = vec![(
        PathBuf::from("ui/views/settings.rs"),
        "use crate::domain::Client;\nuse crate::cli::human_size;\n".to_owned(),
    )];
    let problems = all_problems(&planted);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("imports `crate::cli`"), "{problems:?}");
}

#[test]
fn the_domain_importing_the_store_through_a_group_is_caught() {
    let planted = vec![(
        PathBuf::from("domain/client.rs"),
        "use crate::{store::Store, domain::text};\n".to_owned(),
    )];
    let problems = all_problems(&planted);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("`crate::store`"), "{problems:?}");
}

#[test]
fn sql_in_a_view_is_caught_and_sql_in_the_store_is_not() {
    let sql = "let n = conn.query_row(\"SELECT count(*) FROM clients\", [], |r| r.get(0));\n";
    let in_view = all_problems(&[(PathBuf::from("ui/views/today.rs"), sql.to_owned())]);
    assert_eq!(in_view.len(), 1, "{in_view:?}");
    assert!(in_view[0].contains("SQL outside src/store"));
    let in_store = all_problems(&[(PathBuf::from("store/clients.rs"), sql.to_owned())]);
    assert!(in_store.is_empty(), "{in_store:?}");
}

#[test]
fn a_file_over_six_hundred_lines_is_caught() {
    let long = "// a line\n".repeat(MAX_LINES + 1);
    let problems = all_problems(&[(PathBuf::from("ui/commands.rs"), long)]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("601 lines"), "{problems:?}");
}

#[test]
fn a_room_no_floor_lists_is_caught() {
    let problems = all_problems(&[(
        PathBuf::from("staff/mod.rs"),
        "use crate::domain::Client;\n".to_owned(),
    )]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("no floor lists"), "{problems:?}");
}
