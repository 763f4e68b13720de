//! The second step of every signature: a summary of exactly what will be signed, and an explicit
//! button to sign it. A signed record can never be changed, so nothing signs on Enter or on the
//! first click; "Back" returns to the form with everything as typed.

use egui::RichText;

use crate::domain::{Product, ProductId, Screening, SessionRecord};
use crate::protocol::Protocol;
use crate::ui::widgets::{banner, BannerLevel};

pub const SIGN_SESSION_LABEL: &str = "Sign this session";
pub const SIGN_SCREENING_LABEL: &str = "Sign this screening";
pub const SIGN_AMENDMENT_LABEL: &str = "Sign this amendment";
pub const BACK_TO_FORM_LABEL: &str = "Back to the form";

/// What the summary asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Sign,
    Back,
}

const PERMANENT: &str =
    "Once signed it cannot be changed: a mistake can only be corrected by a signed amendment.";

/// The summary's frame: a heading, the rows, the warning and the two buttons.
fn summary_ui(
    ui: &mut egui::Ui,
    heading: &str,
    sign_label: &str,
    rows: &[(String, String)],
) -> Option<Choice> {
    let mut choice = None;
    ui.group(|ui| {
        ui.label(RichText::new(heading).heading());
        egui::Grid::new(("signing_summary", heading))
            .num_columns(2)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for (what, value) in rows {
                    ui.label(RichText::new(what).strong());
                    ui.label(value);
                    ui.end_row();
                }
            });
        banner(ui, BannerLevel::Warn, PERMANENT);
        ui.horizontal(|ui| {
            if ui.button(RichText::new(sign_label).strong()).clicked() {
                choice = Some(Choice::Sign);
            }
            if ui.button(BACK_TO_FORM_LABEL).clicked() {
                choice = Some(Choice::Back);
            }
        });
    });
    choice
}

fn lot(products: &[Product], id: Option<ProductId>) -> String {
    match id.and_then(|id| products.iter().find(|p| p.id == id)) {
        Some(p) => format!("{} · lot {} · exp. {}", p.name, p.lot_number, p.expires_on),
        None => "none".to_owned(),
    }
}

/// The rows of a session record about to be signed.
pub fn session_rows(
    record: &SessionRecord,
    screening: &Screening,
    products: &[Product],
    protocol: &Protocol,
) -> Vec<(String, String)> {
    let mut rows = vec![
        ("Date".to_owned(), record.performed_on.to_string()),
        ("Today's screening".to_owned(), screening.outcome.kind.to_string()),
    ];
    for a in &record.areas {
        let mut text = format!("{} × {} passes", a.depth, a.passes);
        if let Some(e) = &a.endpoint {
            text.push_str(&format!(" · endpoint {e}"));
        }
        if let Some(r) = &a.response {
            text.push_str(&format!(" · response {r}"));
        }
        if let Some(r) = &a.depth_reason {
            text.push_str(&format!(" · reason for the depth: {r}"));
        }
        rows.push((protocol.area_name(&a.area).to_owned(), text));
    }
    rows.push(("Serum lot".to_owned(), lot(products, record.serum_product_id)));
    if let Some(r) = &record.serum_reason {
        rows.push(("Reason for the serum".to_owned(), r.clone()));
    }
    rows.push((
        "Needle cartridge lot".to_owned(),
        lot(products, Some(record.cartridge_product_id)),
    ));
    rows.push((
        "Numbing cream lot".to_owned(),
        lot(products, record.numbing_product_id),
    ));
    if let Some(r) = &record.interval_override_reason {
        rows.push(("Reason for the short interval".to_owned(), r.clone()));
    }
    if !record.notes.trim().is_empty() {
        rows.push(("Notes".to_owned(), record.notes.clone()));
    }
    rows.push(("Signed by".to_owned(), record.practitioner.clone()));
    rows
}

pub fn session_ui(
    ui: &mut egui::Ui,
    number: u8,
    record: &SessionRecord,
    screening: &Screening,
    products: &[Product],
    protocol: &Protocol,
) -> Option<Choice> {
    let rows = session_rows(record, screening, products, protocol);
    summary_ui(
        ui,
        &format!("Check before signing session {number}"),
        SIGN_SESSION_LABEL,
        &rows,
    )
}

/// The rows of a screening about to be signed.
pub fn screening_rows(s: &Screening, protocol: &Protocol, reason: Option<&str>) -> Vec<(String, String)> {
    let outcome = match s.outcome.defer_until {
        Some(d) => format!("{} until {d}", s.outcome.kind),
        None => s.outcome.kind.to_string(),
    };
    let mut rows = vec![
        ("Date".to_owned(), s.screened_on.to_string()),
        ("Outcome".to_owned(), outcome),
    ];
    for f in &s.outcome.findings {
        rows.push(("Finding".to_owned(), f.message.clone()));
    }
    let yes: Vec<String> = protocol
        .intake_questions
        .iter()
        .filter(|q| s.answers.get(&q.id).is_some_and(|a| a.yes))
        .map(|q| format!("{}. {}", q.number, q.text))
        .collect();
    rows.push((
        "Answered yes".to_owned(),
        if yes.is_empty() {
            "none".to_owned()
        } else {
            yes.join("\n")
        },
    ));
    let planned: Vec<&str> = s.planned_areas.iter().map(|a| protocol.area_name(a)).collect();
    rows.push(("Areas planned".to_owned(), planned.join(", ")));
    if !s.outcome.excluded_areas.is_empty() {
        let out: Vec<&str> = s
            .outcome
            .excluded_areas
            .iter()
            .map(|a| protocol.area_name(a))
            .collect();
        rows.push(("Leave out today".to_owned(), out.join(", ")));
    }
    if let Some(r) = reason {
        rows.push(("Reason for the amendment".to_owned(), r.to_owned()));
    }
    rows.push(("Signed by".to_owned(), s.signed_by.clone().unwrap_or_default()));
    rows
}

pub fn screening_ui(
    ui: &mut egui::Ui,
    s: &Screening,
    protocol: &Protocol,
    reason: Option<&str>,
) -> Option<Choice> {
    let rows = screening_rows(s, protocol, reason);
    summary_ui(
        ui,
        "Check before signing the screening",
        SIGN_SCREENING_LABEL,
        &rows,
    )
}

pub fn amendment_ui(
    ui: &mut egui::Ui,
    session_label: &str,
    reason: &str,
    correction: &str,
    signer: &str,
) -> Option<Choice> {
    let rows = [
        ("Amends".to_owned(), session_label.to_owned()),
        ("Reason".to_owned(), reason.to_owned()),
        ("Correction".to_owned(), correction.to_owned()),
        ("Signed by".to_owned(), signer.to_owned()),
    ];
    summary_ui(
        ui,
        "Check before signing the amendment",
        SIGN_AMENDMENT_LABEL,
        &rows,
    )
}
