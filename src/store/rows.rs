//! Turning stored text back into domain values; a value someone edited into nonsense is
//! reported as a damaged row, never a panic.

use super::db::{Db, Params, Row};
use super::error::{StoreError, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};

/// Every row of a query, each read by `read` (a row struct's `from_row`).
pub fn read_all<T>(
    conn: &Db,
    sql: &str,
    params: impl Params,
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Vec<T>> {
    conn.query_all(sql, params, read)
}

/// The one row of a query, if there is one.
pub fn read_one<T>(
    conn: &Db,
    sql: &str,
    params: impl Params,
    read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Option<T>> {
    conn.query_one(sql, params, read)
}

pub fn date(table: &'static str, id: &str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| StoreError::BadRow {
        table,
        id: id.to_owned(),
        problem: format!("date \"{text}\": {e}"),
    })
}

pub fn opt_date(
    table: &'static str,
    id: &str,
    text: Option<String>,
) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| date(table, id, &t)).transpose()
}

pub fn time(table: &'static str, id: &str, text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::BadRow {
            table,
            id: id.to_owned(),
            problem: format!("time \"{text}\": {e}"),
        })
}

pub fn opt_time(
    table: &'static str,
    id: &str,
    text: Option<String>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.map(|t| time(table, id, &t)).transpose()
}

pub fn parse<T: std::str::FromStr>(
    table: &'static str,
    id: &str,
    what: &str,
    text: &str,
) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| StoreError::BadRow {
        table,
        id: id.to_owned(),
        problem: format!("{what} \"{text}\": {e}"),
    })
}

pub fn opt_parse<T: std::str::FromStr>(
    table: &'static str,
    id: &str,
    what: &str,
    text: Option<String>,
) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.map(|t| parse(table, id, what, &t)).transpose()
}

pub fn json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    id: &str,
    what: &str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::BadRow {
        table,
        id: id.to_owned(),
        problem: format!("{what}: {e}"),
    })
}

pub fn bad(table: &'static str, id: &str, problem: impl std::fmt::Display) -> StoreError {
    StoreError::BadRow {
        table,
        id: id.to_owned(),
        problem: problem.to_string(),
    }
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Refused(format!("Could not encode a record: {e}")))
}

/// A signer's name as shown: a signature from before staff accounts (no `signer_id`) keeps its
/// typed name, marked "(before sign-in)" so nobody takes it for a checked signature.
pub fn signer_shown(name: Option<String>, signer_id: Option<&str>) -> Option<String> {
    match (name, signer_id) {
        (Some(name), None) => Some(format!("{name} (before sign-in)")),
        (name, _) => name,
    }
}
