//! A product recall: every client who received a lot, and the list as CSV.

use chrono::NaiveDate;

use super::{ClientId, ProductKind, SessionId};

/// One use of a lot, for a recall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallRow {
    pub client_id: ClientId,
    pub client_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub performed_on: NaiveDate,
    pub session_id: SessionId,
    pub session_number: u8,
    pub product_kind: ProductKind,
    pub product_name: String,
    pub lot_number: String,
}

/// The recall as CSV for the clinic's spreadsheet or the supplier. Cells that a spreadsheet
/// would run as a formula are prefixed with an apostrophe.
pub fn recall_csv(rows: &[RecallRow]) -> String {
    let mut out = String::from("client,phone,email,date,session,product,kind,lot\r\n");
    for r in rows {
        let cells = [
            r.client_name.clone(),
            r.phone.clone().unwrap_or_default(),
            r.email.clone().unwrap_or_default(),
            r.performed_on.to_string(),
            r.session_number.to_string(),
            r.product_name.clone(),
            r.product_kind.to_string(),
            r.lot_number.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
