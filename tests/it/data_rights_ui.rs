//! Client data rights in the real app, driven by accessible labels: the record's History, the
//! "Export record" dialog, the anonymise confirmation (Esc cancels, Enter confirms), and the
//! CSV import's preview and confirmation on the Clients screen.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::sessions::{fixture, Fixture};
use crate::common::ui::{app_on, replace_in, type_into};
use crate::common::{client, date, open, temp_db, TempDb};
use egui::Key;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use needlepoint::domain::AuditAction;
use needlepoint::ui::{NeedlepointApp, Screen};

fn app(db: &TempDb, f: &Fixture) -> Harness<'static, NeedlepointApp> {
    let mut h = app_on(db, date("2026-11-22"), 1800.0);
    h.state_mut().open_client_for_test(f.client.id);
    h.run();
    h
}

#[test]
fn the_record_shows_its_history_newest_first() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let other = client("Zanele Dlamini", "1979-03-03", None);
    f.store
        .write("Someone else", |w| w.insert_client(&other))
        .unwrap();
    let mut h = app(&db, &f);

    h.get_by_label("History").click();
    h.run();
    h.get_by_label_contains("Every change, newest first");
    let created = h
        .get_by_label_contains("Reception · created · client details")
        .rect();
    let signed = h
        .get_by_label_contains("Dr. Maya Lindqvist · signed · screening")
        .rect();
    assert!(signed.top() < created.top(), "newest (the signature) first");
    h.get_by_label_contains("created · skin concern");
    h.get_by_label_contains("created · treatment plan");
    assert!(h.query_by_label_contains("Someone else").is_none());
}

#[test]
fn export_record_writes_the_file_says_where_and_is_in_the_history() {
    let db = temp_db();
    let f = fixture(&db, "2026-11-22", 3);
    let mut h = app(&db, &f);

    h.get_by_label("Export record").click();
    h.run();
    let default = h.get_by_label("Export to file").value().unwrap();
    let exports = db.dir.path().join("exports");
    assert!(default.starts_with(exports.to_str().unwrap()), "{default}");
    assert!(default.contains("amara-okafor-"), "{default}");
    h.get_by_label("Write export").click();
    h.run();
    let status = h.state().status_text().unwrap().to_owned();
    assert!(status.contains("Record exported to"), "{status}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&default).unwrap()).unwrap();
    assert_eq!(json["client"]["details"]["full_name"], "Amara Okafor");
    assert_eq!(json["plans"][0]["sessions"].as_array().unwrap().len(), 3);

    let audit = f.store.audit_for_record(&f.client.id.to_string()).unwrap();
    assert_eq!(audit.last().unwrap().action, AuditAction::Export);
    h.get_by_label("History").click();
    h.run();
    h.get_by_label_contains("exported · client details");

    // A path that cannot be written keeps the dialog open with the reason; nothing is audited.
    let blocker = db.dir.path().join("a-file");
    std::fs::write(&blocker, b"x").unwrap();
    h.get_by_label("Export record").click();
    h.run();
    replace_in(
        &mut h,
        "Export to file",
        blocker.join("record.json").to_str().unwrap(),
    );
    h.get_by_label("Write export").click();
    h.run();
    h.get_by_label_contains("Choose another folder");
    let exports = f
        .store
        .audit_for_record(&f.client.id.to_string())
        .unwrap()
        .into_iter()
        .filter(|a| a.action == AuditAction::Export)
        .count();
    assert_eq!(exports, 1);
}

#[test]
fn anonymise_asks_first_escape_cancels_and_enter_confirms() {
    let db = temp_db();
    let mut f = fixture(&db, "2026-11-22", 3);
    f.screen_and_start(1, date("2026-11-22"), f.protocol.safe_answers());
    let mut h = app(&db, &f);

    h.get_by_label("Anonymise client…").click();
    h.run();
    h.get_by_label("Anonymise Amara Okafor?");
    h.get_by_label_contains("This cannot be undone");
    h.get_by_label_contains("keeps only its year (1988-01-01)");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Anonymise Amara Okafor?").is_none());
    assert_eq!(
        f.store.client(f.client.id).unwrap().unwrap().details.full_name,
        "Amara Okafor"
    );

    h.get_by_label("Anonymise client…").click();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let shown = format!("Anonymised client {}", f.client.id.short());
    assert_eq!(
        f.store.client(f.client.id).unwrap().unwrap().details.full_name,
        shown
    );
    h.get_by_label(&shown);
    assert!(h.state().status_text().unwrap().contains("Anonymised"));
    // The screening is still on the record.
    h.get_by_label_contains("Dr. Maya Lindqvist, 2026-11-22");

    // The old name no longer finds them; the new one does.
    h.get_by_label("< Clients").click();
    h.run();
    type_into(&mut h, needlepoint::ui::views::clients::SEARCH_LABEL, "Okafor");
    h.get_by_label_contains("No client matches");
    replace_in(
        &mut h,
        needlepoint::ui::views::clients::SEARCH_LABEL,
        "Anonymised",
    );
    // The row: the new name, the birth date kept to its year, no phone.
    let row = h.get_by_label(&shown).rect();
    let born = h.get_by_label("1988-01-01").rect();
    assert!((row.center().y - born.center().y).abs() < 4.0, "{row:?} {born:?}");
    assert!(open(&db).search_clients("Okafor", 10).unwrap().is_empty());
}

#[test]
fn import_from_csv_previews_the_problems_then_adds_the_good_lines() {
    let db = temp_db();
    let csv = db.dir.path().join("spreadsheet.csv");
    std::fs::write(
        &csv,
        "full_name,date_of_birth,skin_type,phone\n\
         Ada Lovelace,1985-12-10,III,0400 111 222\n\
         Bad Date,31/02/1990,II,\n\
         Mei Chen,1992-05-06,2,\n",
    )
    .unwrap();
    let mut h = app_on(&db, date("2026-11-22"), 1000.0);
    h.get_by_label("Clients").click();
    h.run();
    assert_eq!(h.state().preferences().screen, Screen::Clients);

    h.get_by_label("Import from CSV…").click();
    h.run();
    type_into(&mut h, "CSV file", csv.to_str().unwrap());
    h.get_by_label("Preview").click();
    h.run();
    h.get_by_label_contains("2 clients would be added");
    h.get_by_label_contains("\"31/02/1990\" is not a date");
    assert_eq!(
        h.state().store().client_count(true).unwrap(),
        0,
        "a preview adds nothing"
    );

    h.get_by_label("Add 2 clients").click();
    h.run();
    assert_eq!(h.state().store().client_count(true).unwrap(), 2);
    let status = h.state().status_text().unwrap().to_owned();
    assert!(
        status.contains("Added 2 client(s) from spreadsheet.csv"),
        "{status}"
    );
    h.get_by_label_contains("Mei Chen");
}

#[test]
fn exporting_anonymising_and_importing_count_as_writes_so_read_only_refuses_them() {
    use needlepoint::ui::clients::ClientsAction;
    use needlepoint::ui::record::RecordAction;
    use needlepoint::ui::Action;
    for a in [
        Action::Record(RecordAction::Export),
        Action::Record(RecordAction::ConfirmExport),
        Action::Record(RecordAction::Anonymise),
        Action::Record(RecordAction::ConfirmAnonymise),
        Action::Clients(ClientsAction::Import),
        Action::Clients(ClientsAction::ConfirmImport),
    ] {
        assert!(a.writes(), "{a:?}");
    }
    // Reading the file for a preview saves nothing.
    assert!(!Action::Clients(ClientsAction::PreviewImport).writes());
}
