//! Photos at the desk, driven through the window: files dropped on the record are imported with
//! each file's outcome (a bad one refused and kept in the list), two photos are compared, a
//! full-size view is audited, and the front desk is kept out unless the clinical lead allows it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use needlepoint::domain::{AuditAction, ConsentKind, PhotoTags, PhotoView, Role};
use needlepoint::imaging::{self, sample};
use needlepoint::ui::photos::COMPARE_LABEL;
use needlepoint::ui::views::{client_photos, photo_compare, photo_import, photo_timeline};

use crate::common::sessions::fixture;
use crate::common::ui::record_of;
use crate::common::{add_staff, date, give_consent, lead, temp_db};

const TODAY: &str = "2026-11-22";

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn files_dropped_on_the_record_are_imported_and_a_bad_one_is_named_and_kept_to_retry() {
    let db = temp_db();
    let mut f = fixture(&db, TODAY, 3);
    give_consent(
        &mut f.store,
        f.client.id,
        ConsentKind::Photographs,
        date("2026-11-01"),
    );
    let client = f.client.id;
    drop(f);
    let folder = db.dir.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    let files: Vec<PathBuf> = ["IMG_1.jpg", "IMG_2.jpg", "notes.jpg"]
        .iter()
        .map(|n| folder.join(n))
        .collect();
    std::fs::write(&files[0], sample::skin_jpeg(400, 300, 1, 0.8)).unwrap();
    std::fs::write(&files[1], sample::skin_jpeg(400, 300, 1, 0.4)).unwrap();
    std::fs::write(&files[2], b"not a photo at all").unwrap();
    let mut h = record_of(&db, client, date(TODAY), 900.0);
    for file in &files {
        h.input_mut().dropped_files.push(Arc::new(Dropped(file.clone())));
    }
    h.run();
    h.get_by_label_contains("IMG_1.jpg");
    h.get_by_label_contains("notes.jpg");
    h.get_by_label(&format!("{} 3 photo(s)", photo_import::IMPORT_LABEL))
        .click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    assert_eq!(h.state().status_text(), Some("2 of 3 photo(s) stored."));
    h.get_by_label_contains("notes.jpg: this is not a photograph Needlepoint can read");
    // The refused file stays in the list, ready for another try; the stored ones left it.
    h.get_by_label(&format!("{} 1 photo(s)", photo_import::IMPORT_LABEL));
    let photos = h.state().store().photos_of(client).unwrap();
    assert_eq!(photos.len(), 2);
    assert!(photos
        .iter()
        .all(|p| p.area == "cheeks" && p.view == PhotoView::Front));
}

fn two_photos(db: &crate::common::TempDb) -> needlepoint::domain::ClientId {
    let mut f = fixture(db, TODAY, 3);
    give_consent(
        &mut f.store,
        f.client.id,
        ConsentKind::Photographs,
        date("2026-10-01"),
    );
    for (taken, severity) in [("2026-10-02", 0.9), ("2026-11-20", 0.3)] {
        let prepared = imaging::prepare(&sample::skin_jpeg(400, 300, 3, severity), "a.jpg").unwrap();
        let tags = PhotoTags {
            area: "cheeks".to_owned(),
            view: PhotoView::Front,
            taken_on: date(taken),
            session: None,
        };
        f.store
            .import_photo(lead(), f.client.id, &tags, &prepared, date(TODAY))
            .unwrap();
    }
    f.client.id
}

#[test]
fn two_photos_are_compared_side_by_side_and_with_a_wipe_and_a_full_size_view_is_audited() {
    let db = temp_db();
    let client = two_photos(&db);
    let mut h = record_of(&db, client, date(TODAY), 900.0);
    h.get_by_label(&client_photos::open_label(2)).click();
    h.run();
    for taken in ["2026-10-02", "2026-11-20"] {
        h.get_by_label(&photo_timeline::tile_label("cheeks", "front", date(taken)))
            .click();
        h.run();
    }
    h.get_by_label(COMPARE_LABEL).click();
    h.run();
    h.get_by_label("Photo comparison");
    h.get_by_label_contains("Before · 2 October 2026");
    h.get_by_label_contains("After · 20 November 2026");
    h.get_by_label_contains("7 weeks later");
    // W switches to the wipe, whose line has a slider of its own.
    h.key_press(egui::Key::W);
    h.run();
    h.get_by_label(photo_compare::WIPE_LABEL);
    h.get_by_label("< Photos").click();
    h.run();
    // One photo opened; its full size is read from the file and the view audited.
    let label = photo_timeline::tile_label("cheeks", "front", date("2026-10-02"));
    h.get_by_label(&label).click();
    h.run();
    h.get_by_label(needlepoint::ui::photos::OPEN_PHOTO_LABEL).click();
    h.run();
    h.get_by_label(photo_compare::FULL_SIZE_LABEL).click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    h.get_by_label_contains("full size (viewing recorded)");
    // Full size is for looking closely: + zooms in, 0 fits again.
    h.key_press(egui::Key::Plus);
    h.run();
    h.get_by_label("125 %");
    h.key_press(egui::Key::Num0);
    h.run();
    h.get_by_label("100 %");
    let views = h
        .state()
        .store()
        .audit_for_client(&client.to_string())
        .unwrap()
        .into_iter()
        .filter(|a| a.action == AuditAction::View)
        .count();
    assert_eq!(views, 1);
}

#[test]
fn the_front_desk_is_not_shown_photos_until_the_clinical_lead_allows_it() {
    let db = temp_db();
    let client = two_photos(&db);
    {
        let mut store = crate::common::open(&db);
        add_staff(&mut store, "Sam Reception", Role::FrontDesk, "1357");
    }
    let mut h = record_of(&db, client, date(TODAY), 900.0);
    h.state_mut().sign_in_for_test("Sam Reception");
    h.state_mut().open_client_for_test(client);
    h.run();
    h.get_by_label(&client_photos::open_label(2)).click();
    h.run();
    let said = h.state().status_text().unwrap_or_default().to_owned();
    assert!(said.contains("clinical team"), "{said}");
    assert!(
        h.query_by_label(COMPARE_LABEL).is_none(),
        "the photos screen did not open"
    );
}
