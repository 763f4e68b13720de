//! Adding clients from a spreadsheet saved as CSV: read and check every line first (a preview
//! that adds nothing), then add the good lines in one transaction. Every field goes through the
//! client form's own validation ([`ClientDraft::validate`]), so an imported client is one the
//! form would have accepted. Shared by `needlepoint import` and the Clients screen.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;
use thiserror::Error;

use crate::domain::client::field;
use crate::domain::{Client, ClientDetails, ClientDraft, ClientId, SkinType};
use crate::store::{Store, StoreError};

/// The largest file read (a spreadsheet of 100,000 clients is well under this).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most data lines one import takes; a bigger list is split into several files.
pub const MAX_ROWS: usize = 100_000;

/// The columns, as the first line of the file names them (case, spaces and hyphens ignored).
pub mod column {
    pub const FULL_NAME: &str = "full_name";
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const DATE_OF_BIRTH: &str = "date_of_birth";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const SKIN_TYPE: &str = "skin_type";
    pub const NOTES: &str = "notes";
    pub const ALL: [&str; 8] = [
        FULL_NAME,
        FIRST_NAME,
        LAST_NAME,
        DATE_OF_BIRTH,
        PHONE,
        EMAIL,
        SKIN_TYPE,
        NOTES,
    ];
}

/// Why a file cannot be imported at all (a bad line is a [`LineProblem`] instead).
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("Could not read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is {size} MB; the largest file Needlepoint imports is {max} MB. Split the list into several files.")]
    TooLarge { path: String, size: u64, max: u64 },
    #[error("The file is empty. The first line must name the columns, for example: full_name,date_of_birth,phone,email,skin_type,notes")]
    Empty,
    #[error("The first line of the file must name the columns. {problem}")]
    Header { problem: String },
    #[error("The file has more than {max} clients. Split the list into several files.")]
    TooManyRows { max: usize },
}

/// A line that cannot be imported, and why, in the clinic's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A line that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub details: ClientDetails,
}

/// What importing the file would do. Nothing has been added yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// The file's name, written into each added client's audit row.
    pub source: String,
    /// Data lines read (not counting the header and blank lines).
    pub lines: usize,
    /// Lines that would be added.
    pub to_add: Vec<ImportRow>,
    /// Lines refused, one entry per problem (a line may have several).
    pub problems: Vec<LineProblem>,
    /// Lines skipped because the client is already in the database or earlier in the file.
    pub duplicates: Vec<LineProblem>,
    /// Columns the file has that Needlepoint does not import.
    pub ignored_columns: Vec<String>,
}

impl ImportPreview {
    /// Lines with at least one problem.
    pub fn refused_lines(&self) -> usize {
        let mut lines: Vec<u64> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    }

    /// "12 clients would be added; 2 lines have problems; 1 is already a client."
    pub fn summary(&self) -> String {
        let add = match self.to_add.len() {
            1 => "1 client would be added".to_owned(),
            n => format!("{n} clients would be added"),
        };
        format!(
            "{} lines read: {add}; {} with problems (not added); {} already clients (skipped).",
            self.lines,
            self.refused_lines(),
            self.duplicates.len()
        )
    }
}

/// What an import added and skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// (line, new client's id, name).
    pub added: Vec<(u64, ClientId, String)>,
    pub refused: Vec<LineProblem>,
    pub duplicates: Vec<LineProblem>,
}

/// Reads the file, refusing one too large to be a client list.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    let shown = path.display().to_string();
    let read_error = |e: std::io::Error| ImportError::Read {
        path: shown.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        },
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: shown,
            size: size / (1024 * 1024),
            max: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    if path.is_dir() {
        return Err(ImportError::Read {
            path: shown,
            reason: "it is a folder, not a file".to_owned(),
        });
    }
    std::fs::read(path).map_err(read_error)
}

/// Which column holds what.
#[derive(Debug, Default)]
struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    fn get<'r>(&self, record: &'r [String], name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|&i| record.get(i))
            .map_or("", String::as_str)
    }
}

/// "Date of Birth", "date-of-birth", "DOB" → the column it is, if known.
fn column_named(header: &str) -> Option<&'static str> {
    let key: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    let found = match key.as_str() {
        "name" | "client" | "client_name" => column::FULL_NAME,
        "given_name" | "firstname" => column::FIRST_NAME,
        "surname" | "family_name" | "lastname" => column::LAST_NAME,
        "dob" | "birth_date" | "born" | "birthday" => column::DATE_OF_BIRTH,
        "phone_number" | "mobile" | "telephone" => column::PHONE,
        "e_mail" | "email_address" => column::EMAIL,
        "fitzpatrick" | "skin" => column::SKIN_TYPE,
        "note" | "comments" => column::NOTES,
        other => return column::ALL.into_iter().find(|c| *c == other),
    };
    Some(found)
}

fn read_header(fields: &[String]) -> Result<(Columns, Vec<String>), ImportError> {
    let mut columns = Columns::default();
    let mut ignored = Vec::new();
    for (i, name) in fields.iter().enumerate() {
        match column_named(name) {
            Some(c) => {
                if columns.index.insert(c, i).is_some() {
                    return Err(ImportError::Header {
                        problem: format!("The column \"{c}\" appears twice; keep one."),
                    });
                }
            }
            None if name.trim().is_empty() => {}
            None => ignored.push(name.trim().to_owned()),
        }
    }
    let has = |c: &str| columns.index.contains_key(c);
    let mut missing = Vec::new();
    if !(has(column::FULL_NAME) || has(column::FIRST_NAME) || has(column::LAST_NAME)) {
        missing.push("full_name (or first_name and last_name)");
    }
    if !has(column::DATE_OF_BIRTH) {
        missing.push(column::DATE_OF_BIRTH);
    }
    if !has(column::SKIN_TYPE) {
        missing.push(column::SKIN_TYPE);
    }
    if !missing.is_empty() {
        let found: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
        return Err(ImportError::Header {
            problem: format!(
                "It has no column {} (it has: {}). Columns Needlepoint reads: {}.",
                missing.join(", "),
                if found.iter().all(|f| f.is_empty()) {
                    "nothing".to_owned()
                } else {
                    found.join(", ")
                },
                column::ALL.join(", ")
            ),
        });
    }
    Ok((columns, ignored))
}

/// Line ends as `\n` only. Old Mac spreadsheets end lines with a lone `\r`, which the CSV
/// reader accepts as a line end but does not count, so every problem would be "line 1".
fn unix_line_ends(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&b'\r') {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes.iter().peekable();
    while let Some(&b) = rest.next() {
        if b == b'\r' {
            if rest.peek() == Some(&&b'\n') {
                continue;
            }
            out.push(b'\n');
        } else {
            out.push(b);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Spreadsheets set to a European locale save CSV with semicolons.
fn delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Checks every line of the file against the client form's rules and the clients already in
/// the database. Adds nothing.
pub fn preview(
    bytes: &[u8],
    source: &str,
    store: &Store,
    today: NaiveDate,
) -> Result<ImportPreview, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let normalised = unix_line_ends(bytes);
    let bytes: &[u8] = &normalised;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(ImportError::Header {
                problem: format!("It could not be read: {}", csv_message(&e)),
            })
        }
        None => return Err(ImportError::Empty),
    };
    let header_fields: Vec<String> = match text_fields(&header) {
        Ok(f) => f,
        Err(problem) => return Err(ImportError::Header { problem }),
    };
    let width = header_fields.len();
    let (columns, ignored_columns) = read_header(&header_fields)?;
    let mut out = ImportPreview {
        source: source.to_owned(),
        ignored_columns,
        ..ImportPreview::default()
    };
    // Name and birth date (name folded to lower case) → the line that has them first.
    let mut seen: HashMap<(String, NaiveDate), u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.lines += 1;
                let line = e.position().map_or(0, csv::Position::line);
                out.problems.push(LineProblem {
                    line,
                    message: format!("could not be read: {}", csv_message(&e)),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        out.lines += 1;
        if out.lines > MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        let fields = match text_fields(&record) {
            Ok(f) => f,
            Err(message) => {
                out.problems.push(LineProblem { line, message });
                continue;
            }
        };
        if fields.len() > width && fields[width..].iter().any(|f| !f.trim().is_empty()) {
            out.problems.push(LineProblem {
                line,
                message: format!(
                    "has {} fields but the first line names {width} columns. Check for a comma inside a \
                     name or note that is not in double quotes.",
                    fields.len()
                ),
            });
            continue;
        }
        let details = match check_line(&columns, &fields, today) {
            Ok(d) => d,
            Err(messages) => {
                out.problems
                    .extend(messages.into_iter().map(|message| LineProblem { line, message }));
                continue;
            }
        };
        let key = (details.full_name.to_lowercase(), details.date_of_birth);
        if let Some(first) = seen.get(&key) {
            out.duplicates.push(LineProblem {
                line,
                message: format!(
                    "{}, born {}, is already on line {first} of this file: skipped.",
                    details.full_name, details.date_of_birth
                ),
            });
            continue;
        }
        seen.insert(key, line);
        let exists = store
            .client_exists(&details.full_name, details.date_of_birth)
            .map_err(|e| ImportError::Read {
                path: "the database".to_owned(),
                reason: e.to_string(),
            })?;
        if exists {
            out.duplicates.push(LineProblem {
                line,
                message: already_a_client(&details),
            });
            continue;
        }
        out.to_add.push(ImportRow { line, details });
    }
    Ok(out)
}

fn already_a_client(d: &ClientDetails) -> String {
    format!(
        "{}, born {}, is already a client: skipped.",
        d.full_name, d.date_of_birth
    )
}

/// The fields as text, or why the line is not text (a spreadsheet saved in an old encoding).
fn text_fields(record: &csv::ByteRecord) -> Result<Vec<String>, String> {
    record
        .iter()
        .map(|f| {
            std::str::from_utf8(f).map(str::to_owned).map_err(|_| {
                "is not UTF-8 text. Save the spreadsheet as \"CSV UTF-8\" and import it again.".to_owned()
            })
        })
        .collect()
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "it is not UTF-8 text. Save the spreadsheet as \"CSV UTF-8\" and import it again".to_owned()
        }
        _ => e.to_string(),
    }
}

/// One line through the client form's validation; every problem of the line, each naming its
/// field and what was written.
fn check_line(columns: &Columns, fields: &[String], today: NaiveDate) -> Result<ClientDetails, Vec<String>> {
    let full = columns.get(fields, column::FULL_NAME).trim();
    let full_name = if full.is_empty() {
        format!(
            "{} {}",
            columns.get(fields, column::FIRST_NAME).trim(),
            columns.get(fields, column::LAST_NAME).trim()
        )
        .trim()
        .to_owned()
    } else {
        full.to_owned()
    };
    let skin_text = columns.get(fields, column::SKIN_TYPE).trim();
    let skin = if skin_text.is_empty() {
        None
    } else {
        Some(SkinType::parse(skin_text))
    };
    let draft = ClientDraft {
        full_name,
        date_of_birth: columns.get(fields, column::DATE_OF_BIRTH).to_owned(),
        phone: columns.get(fields, column::PHONE).to_owned(),
        email: columns.get(fields, column::EMAIL).to_owned(),
        // An unreadable type is reported below in the file's own words.
        skin_type: match &skin {
            Some(Ok(s)) => Some(s.number()),
            Some(Err(_)) => Some(SkinType::I.number()),
            None => None,
        },
        notes: columns.get(fields, column::NOTES).to_owned(),
    };
    let mut messages = Vec::new();
    let validated = draft.validate(today);
    if let Err(errors) = &validated {
        messages.extend(
            errors
                .0
                .iter()
                .map(|e| naming_field(e.field, &e.error.to_string())),
        );
    }
    if let Some(Err(e)) = skin {
        messages.push(naming_field(
            field::SKIN_TYPE,
            &format!("{e} Use 1 to 6 or I to VI."),
        ));
    }
    match validated {
        Ok(details) if messages.is_empty() => Ok(details),
        _ => Err(messages),
    }
}

/// "Date of birth: \"31/02/1990\" is not a date…", unless the message names its field already.
fn naming_field(field: &str, message: &str) -> String {
    if message.starts_with(field) {
        message.to_owned()
    } else {
        format!("{field}: {message}")
    }
}

/// Adds the preview's good lines in one transaction, each with its own audit row naming the
/// file and line. A client added meanwhile (another window) is skipped as a duplicate.
pub fn apply(
    preview: &ImportPreview,
    store: &mut Store,
    actor: impl Into<crate::domain::Actor>,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport {
        refused: preview.problems.clone(),
        duplicates: preview.duplicates.clone(),
        ..ImportReport::default()
    };
    let added = store.write(actor, |w| {
        let mut added = Vec::new();
        let mut skipped = Vec::new();
        for row in &preview.to_add {
            if w.client_exists(&row.details.full_name, row.details.date_of_birth)? {
                skipped.push(LineProblem {
                    line: row.line,
                    message: already_a_client(&row.details),
                });
                continue;
            }
            let client = Client {
                id: ClientId::new(),
                details: row.details.clone(),
                archived: false,
            };
            w.import_client(&client, &format!("{}, line {}", preview.source, row.line))?;
            added.push((row.line, client.id, client.details.full_name));
        }
        Ok((added, skipped))
    })?;
    report.added = added.0;
    report.duplicates.extend(added.1);
    report.duplicates.sort_by_key(|p| p.line);
    Ok(report)
}
