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
pub const SIGNER_PIN_LABEL: &str = "Signer's PIN";

/// The signer's PIN as typed under a summary, and how its check went.
pub struct PinEntry<'a> {
    pub pin: &'a mut String,
    /// Why the last PIN was refused.
    pub problem: Option<&'a str>,
    /// The PIN is being checked.
    pub checking: bool,
}

/// What the desk knows of the signer's PIN check, for a view to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignerStatus<'a> {
    pub problem: Option<&'a str>,
    pub checking: bool,
}

impl<'a> SignerStatus<'a> {
    pub fn entry(self, pin: &'a mut String) -> PinEntry<'a> {
        PinEntry {
            pin,
            problem: self.problem,
            checking: self.checking,
        }
    }
}

/// A choice of who signs, from the accounts that may sign.
pub fn signer_combo(
    ui: &mut egui::Ui,
    label: &str,
    signer: &mut String,
    signers: &[String],
) -> egui::Response {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(("signer", label.id))
        .selected_text(if signer.trim().is_empty() {
            "Choose who signs…"
        } else {
            signer.as_str()
        })
        .width(240.0)
        .show_ui(ui, |ui| {
            for s in signers {
                ui.selectable_value(signer, s.clone(), s);
            }
        })
        .response
        .labelled_by(label.id)
}

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
    pin: PinEntry<'_>,
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
        // The signer's own PIN, even when they are the one signed in: the signature is theirs.
        ui.horizontal(|ui| {
            let label = ui.label(SIGNER_PIN_LABEL);
            ui.add(
                egui::TextEdit::singleline(pin.pin)
                    .password(true)
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            if pin.checking {
                ui.spinner();
                ui.label("Checking the PIN…");
            }
        });
        if let Some(problem) = pin.problem {
            ui.label(RichText::new(problem).color(crate::ui::widgets::ERROR_RED));
        }
        ui.horizontal(|ui| {
            // Enter signs nothing: only this button does, and not while a PIN is being checked.
            if ui
                .add_enabled(
                    !pin.checking,
                    egui::Button::new(RichText::new(sign_label).strong()),
                )
                .clicked()
            {
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
    pin: PinEntry<'_>,
) -> Option<Choice> {
    let rows = session_rows(record, screening, products, protocol);
    summary_ui(
        ui,
        &format!("Check before signing session {number}"),
        SIGN_SESSION_LABEL,
        &rows,
        pin,
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
    pin: PinEntry<'_>,
) -> Option<Choice> {
    let rows = screening_rows(s, protocol, reason);
    summary_ui(
        ui,
        "Check before signing the screening",
        SIGN_SCREENING_LABEL,
        &rows,
        pin,
    )
}

pub fn amendment_ui(
    ui: &mut egui::Ui,
    session_label: &str,
    reason: &str,
    correction: &str,
    signer: &str,
    pin: PinEntry<'_>,
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
        pin,
    )
}
