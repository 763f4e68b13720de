//! Consent at the desk, driven through the window: the pad takes a drawn signature from pointer
//! events, an empty pad is refused, the witness's PIN signs, and the record says it is in force.

use egui_kittest::kittest::Queryable;
use needlepoint::domain::ConsentKind;
use needlepoint::ui::views::{client_consents, consent_form as form, signature_pad};

use crate::common::sessions::fixture;
use crate::common::ui::{record_of, type_into};
use crate::common::{date, temp_db, LEAD_PIN};

const TODAY: &str = "2026-11-22";

#[test]
fn the_client_signs_on_the_pad_and_the_witness_confirms_with_a_pin() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    crate::consent_store::clinic_named(&mut f.store);
    let client = f.client.id;
    drop(f);
    let mut h = record_of(&db, client, date(TODAY), 1000.0);
    // The fixture's client signed the treatment consent; the photographs one is still to sign.
    h.get_by_label_contains("There is no signed consent to clinical photographs on file.");
    h.get_by_label(&client_consents::sign_label(ConsentKind::Photographs))
        .click();
    h.run();
    h.get_by_label_contains("What the photographs are for");

    // Nothing drawn: refused, the form stays.
    h.get_by_label(form::SIGN_LABEL).click();
    h.run();
    h.get_by_label_contains("Please sign in the box");

    // A signature drawn with the pointer, in two strokes.
    let pad = h.get_by_label(signature_pad::PAD_LABEL).rect();
    for (row, from, to) in [(0.55, 0.15, 0.6), (0.45, 0.62, 0.85)] {
        let start = pad.left_top() + egui::vec2(pad.width() * from, pad.height() * row);
        h.drag_at(start);
        h.run();
        for step in 1..=12 {
            let x = pad.width() * (from + (to - from) * step as f32 / 12.0);
            let y = pad.height() * (row + if step % 2 == 0 { 0.08 } else { -0.08 });
            h.hover_at(pad.left_top() + egui::vec2(x, y));
            h.run();
        }
        h.drop_at(pad.left_top() + egui::vec2(pad.width() * to, pad.height() * row));
        h.run();
    }
    type_into(&mut h, form::WITNESS_PIN_LABEL, LEAD_PIN);
    h.get_by_label(form::SIGN_LABEL).click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    let consents: Vec<_> = h
        .state()
        .store()
        .consents_of(client)
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == ConsentKind::Photographs)
        .collect();
    assert_eq!(consents.len(), 1, "{:?}", h.state().status_text());
    let signature = &consents[0].signature;
    assert_eq!(signature.strokes.len(), 2);
    assert!(signature.point_count() >= 20, "{}", signature.point_count());
    assert!(
        signature.strokes[0].windows(2).all(|w| w[0].t <= w[1].t),
        "points keep their timing"
    );
    assert_eq!(consents[0].witness_name, crate::common::LEAD);
    h.get_by_label_contains("Consent to clinical photographs signed 2026-11-22, in force until 2027-11-22");
}

#[test]
fn the_desk_cannot_start_a_session_once_the_consent_is_withdrawn() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    crate::consent_store::clinic_named(&mut f.store);
    let client = f.client.id;
    // Screened today while the consent was in force; withdrawn since.
    let areas: Vec<String> = f.plan.areas.iter().map(|a| a.area.clone()).collect();
    let to_sign = needlepoint::protocol::ScreeningToSign::for_client(
        &f.client,
        date(TODAY),
        f.protocol.safe_answers(),
        areas,
        crate::common::LEAD,
    );
    let mut screening = f.protocol.sign_screening(to_sign).unwrap();
    screening.signed_at = Some(f.store.now());
    let given = f.store.consents_of(client).unwrap()[0].id;
    f.store
        .write(crate::common::lead(), |w| {
            w.insert_screening(&screening)?;
            w.withdraw_consent(given, "Amara Okafor", "Changed her mind", date(TODAY))
        })
        .unwrap();
    drop(f);
    let mut h = record_of(&db, client, date(TODAY), 1000.0);
    h.get_by_label_contains("The consent to microneedling treatment was withdrawn on 2026-11-22.");
    h.get_by_label("Start session 1").click();
    h.run();
    let status = h.state().status_text().unwrap_or_default().to_owned();
    assert!(status.contains("A session cannot start without it"), "{status}");
    let session = h
        .state()
        .store()
        .sessions_of(
            h.state().store().client_record(client).unwrap().unwrap().plans[0]
                .plan
                .id,
        )
        .unwrap();
    assert!(session[0].screening_id.is_none(), "not started");
}

#[test]
fn cancelling_a_drawn_signature_asks_first() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    crate::consent_store::clinic_named(&mut f.store);
    let client = f.client.id;
    drop(f);
    let mut h = record_of(&db, client, date(TODAY), 1000.0);
    h.get_by_label(&client_consents::sign_label(ConsentKind::Marketing))
        .click();
    h.run();
    let pad = h.get_by_label(signature_pad::PAD_LABEL).rect();
    h.drag_at(pad.center());
    h.run();
    h.hover_at(pad.center() + egui::vec2(80.0, 10.0));
    h.run();
    h.drop_at(pad.center() + egui::vec2(120.0, -10.0));
    h.run();
    h.get_by_label(form::CANCEL_LABEL).click();
    h.run();
    assert_eq!(
        h.state().unsaved_question(),
        Some("the consent to the use of photographs in marketing being signed")
    );
    h.get_by_label(needlepoint::ui::guard::KEEP_EDITING_LABEL).click();
    h.run();
    h.get_by_label(signature_pad::PAD_LABEL);
}
