//! Screening answers written as JSON (docs/screening-answers.md) and the dates in them: read
//! with the place of any mistake named, for `needlepoint screen` and the tests.

use chrono::NaiveDate;

use crate::domain::Answers;

/// Reads screening answers written as JSON (docs/screening-answers.md). The error says what is
/// wrong and where, to follow "The answers file NAME ".
pub fn answers_from_json(text: &str) -> Result<Answers, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let answers: Answers = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let (inner, at) = json_error(e.inner());
        if e.inner().is_syntax() || e.inner().is_eof() {
            format!("is not valid JSON: {at}: {inner}")
        } else {
            let field = match e.path().to_string().as_str() {
                "." => "the top level".to_owned(),
                p => format!("\"{p}\""),
            };
            format!(
                "does not have the expected form at {field} ({at}): {inner}. Each answer is \
                 {{ \"yes\": true or false, \"conditions\": [..], \"details\": {{..}} }}, keyed by question id."
            )
        }
    })?;
    de.end().map_err(|e| {
        let (inner, at) = json_error(&e);
        format!("has more after the answers object: {at}: {inner}")
    })?;
    Ok(answers)
}

/// serde_json's message without its trailing position, and the position in words.
fn json_error(e: &serde_json::Error) -> (String, String) {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    (message, format!("line {}, column {}", e.line(), e.column()))
}

/// A date written exactly as `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
