//! The screening outcome, and the consent figures: a signed consent as PDF (the document as kept, the drawn signature as
//! SVG), and the signature pad's frame with 2,000 points drawn.

use chrono::NaiveDate;

use super::{figure, time, BenchError, Figure};
use crate::domain::consent::{Signature, SignaturePoint};
use crate::domain::SkinType;
use crate::protocol::screening::ScreeningInput;
use crate::protocol::Protocol;
use crate::store::Store;

/// The consent of the client of the bench's last session (signed when the bench made it).
pub(super) fn consent_pdfs(
    store: &Store,
    today: NaiveDate,
    session: crate::domain::SessionId,
) -> Result<Figure, BenchError> {
    use crate::print::consent::consent_sheet;
    use crate::print::{render, Sheet, Templates};
    let setup = |what: &str| BenchError::Setup(format!("the bench's consent: {what}"));
    let plan = store
        .session(session)?
        .ok_or_else(|| setup("no session"))?
        .plan_id;
    let client = store.plan(plan)?.ok_or_else(|| setup("no plan"))?.client_id;
    let consent = store
        .consents_of(client)?
        .first()
        .map(|c| c.id)
        .ok_or_else(|| setup("none signed"))?;
    let templates = Templates::shipped();
    let mut samples = Vec::new();
    for _ in 0..20 {
        let (took, rendered) = time(|| -> Result<usize, crate::print::PrintError> {
            let sheet = consent_sheet(store, consent)?;
            Ok(render(&Sheet::Consent(sheet), &templates, today)?.pdf.len())
        });
        std::hint::black_box(rendered?);
        samples.push(took);
    }
    Ok(figure(
        "render a signed consent PDF",
        samples,
        150.0,
        "reading the consent and its kept text, Typst layout, the signature as SVG, PDF export",
    ))
}

/// The pad alone, with a signature of 2,000 points (20 strokes of 100), the pointer moving.
pub(super) fn pad_frames() -> Figure {
    let strokes = (0..20u16)
        .map(|s| {
            (0..100u16)
                .map(|i| SignaturePoint {
                    x: 40 + s * 45 + (i % 40),
                    y: 200 + (i * 7) % 600,
                    t: u32::from(s) * 1000 + u32::from(i) * 8,
                })
                .collect()
        })
        .collect();
    let state = (Signature { strokes }, None::<f64>);
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(800.0, 320.0))
        .build_ui_state(
            |ui, state: &mut (Signature, Option<f64>)| {
                crate::ui::views::signature_pad::SignaturePad {
                    signature: &mut state.0,
                    started: &mut state.1,
                    width: 720.0,
                }
                .ui(ui);
            },
            state,
        );
    h.step();
    let mut samples = Vec::new();
    for i in 0..60 {
        h.hover_at(egui::pos2(
            60.0 + (i * 11 % 600) as f32,
            80.0 + (i * 7 % 160) as f32,
        ));
        let (took, ()) = time(|| h.step());
        samples.push(took);
    }
    figure(
        "signature pad frame, 2,000 points",
        samples,
        4.0,
        "one line shape per stroke built in egui's pass (tessellation and GPU drawing are not run headless, as for every frame figure)",
    )
}

/// The outcome engine on a realistic visit.
pub(super) fn screening_outcomes(protocol: &Protocol, today: NaiveDate) -> Figure {
    let mut answers = protocol.safe_answers();
    // A realistic visit: a herpes history (a caution) and an isotretinoin course long over.
    if let Some(a) = answers.get_mut("isotretinoin") {
        a.yes = true;
        a.details.insert("stopped_on".to_owned(), "2025-01-10".to_owned());
    }
    let areas = vec![
        "cheeks".to_owned(),
        "forehead".to_owned(),
        "chin_jawline".to_owned(),
    ];
    let born = NaiveDate::from_ymd_opt(1988, 4, 2).unwrap_or(today);
    let mut samples = Vec::new();
    for _ in 0..2000 {
        let input = ScreeningInput {
            answers: &answers,
            planned_areas: &areas,
            today,
            skin_type: Some(SkinType::IV),
            date_of_birth: Some(born),
            clearances: &[],
        };
        let (took, outcome) = time(|| protocol.screen(&input));
        std::hint::black_box(outcome.is_ok());
        samples.push(took);
    }
    figure(
        "screening outcome",
        samples,
        0.05,
        "walking the intake questions and building each finding's text",
    )
}
