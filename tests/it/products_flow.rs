//! The products screen in the real app: add a lot (with the form's checks), take one off the
//! shelf, recall a lot and export the recall as CSV.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::fixture;
use crate::common::ui::{app_on, replace_in, type_into};
use crate::common::{date, temp_db, TempDb};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::{AreaDraft, SessionRecordDraft};
use needlepoint::ui::NeedlepointApp;

fn app(db: &TempDb) -> Harness<'static, NeedlepointApp> {
    let mut h = app_on(db, date("2026-11-22"), 1400.0);
    h.get_by_label("Products").click();
    h.run();
    h
}

#[test]
fn add_a_lot_after_fixing_what_the_form_refuses() {
    let db = temp_db();
    let mut h = app(&db);
    type_into(&mut h, "Product name", "Sterile HA gel");
    type_into(&mut h, "Lot number", "HA-3001");
    type_into(&mut h, "Expiry date", "2026-11-01");
    h.get_by_label("Add lot").click();
    h.run();
    h.get_by_label("The lot HA-3001 expired on 2026-11-01. Use an unexpired lot.");
    assert!(h.state().store().products(true).unwrap().is_empty());
    assert_eq!(
        h.get_by_label("Product name").value().as_deref(),
        Some("Sterile HA gel")
    );

    replace_in(&mut h, "Expiry date", "2027-01-10");
    h.get_by_label("Add lot").click();
    h.run();
    let products = h.state().store().products(true).unwrap();
    assert_eq!(products.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(products[0].lot_number, "HA-3001");
    // It expires within 60 days: listed at the top.
    h.get_by_label("Sterile HA gel lot HA-3001 expires on 2027-01-10.");

    h.get_by_label("Deactivate HA-3001").click();
    h.run();
    assert!(!h.state().store().products(true).unwrap()[0].active);
}

#[test]
fn recall_a_lot_and_export_the_clients_as_csv() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    let screening = f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let session = f.sessions()[0].clone();
    let draft = SessionRecordDraft {
        areas: vec![AreaDraft {
            area: "cheeks".to_owned(),
            depth: "1.00".to_owned(),
            passes: "2".to_owned(),
            ..AreaDraft::default()
        }],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    };
    let record = f.validated_record(&draft, &session, &screening, date("2026-11-22"));
    let client = f.client.id;
    f.store
        .write(crate::common::lead(), |w| {
            w.complete_session(&session, client, &record, &screening)
        })
        .unwrap();
    drop(f);

    let mut h = app(&db);
    type_into(&mut h, "Lot to recall", "ct-77");
    h.get_by_label("Find clients").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    h.get_by_label("1 session(s) used lot ct-77.");
    h.get_by_label("Amara Okafor");

    let out = db.dir.path().join("exports").join("recall.csv");
    h.get_by_label("Export to file").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Export to file")
        .type_text(&out.display().to_string());
    h.run();
    // First into a folder that cannot exist (its parent is a file): said, nothing recorded.
    let blocker = db.dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let bad = blocker.join("recall.csv");
    h.get_by_label("Export to file").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Export to file")
        .type_text(&bad.display().to_string());
    h.run();
    h.get_by_label("Export CSV").click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    h.get_by_label_contains("Could not write");
    assert!(h.state().store().audit_for_record("ct-77").unwrap().is_empty());

    h.get_by_label("Export to file").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Export to file")
        .type_text(&out.display().to_string());
    h.run();
    h.get_by_label("Export CSV").click();
    h.run();
    // The file is written off the window's thread; the export is recorded when it is done.
    h.state_mut().wait_for_background_work();
    h.run();
    h.get_by_label_contains("Exported to");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("Amara Okafor,0400 222 333,amara@example.com,2026-11-22,1,12-pin cartridge,Needle cartridge,CT-77"), "{csv}");
    let audit = h.state().store().audit_for_record("ct-77").unwrap();
    assert_eq!(audit.len(), 1, "the export is in the audit log");

    h.get_by_label("Amara Okafor").click();
    h.run();
    h.get_by_label_contains("done 2026-11-22 · signed by Dr. Maya Lindqvist");
}
