//! Before-and-after photos in the store and from the command line: metadata removed, files
//! named and verified by their hash, consent required, hidden not deleted, backed up and
//! restored, exported, erased only by anonymising.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use needlepoint::domain::{ClientId, ConsentKind, PhotoTags, PhotoView, Role};
use needlepoint::imaging::{self, sample, PhotoError};
use needlepoint::store::{photo_files, PhotoUse, Store};

use crate::common::cli::{needlepoint, needlepoint_as_lead, text};
use crate::common::{add_staff, client, date, file_only, give_consent, lead, open, temp_db, TempDb};

const TODAY: &str = "2026-11-22";

fn clinic_with_client(db: &TempDb, photo_consent: bool) -> (Store, ClientId) {
    let mut store = open(db);
    let c = client("Noor Haddad", "1990-05-06", Some("0400 111 222"));
    store.write(lead(), |w| w.insert_client(&c)).unwrap();
    if photo_consent {
        give_consent(&mut store, c.id, ConsentKind::Photographs, date("2026-10-01"));
    }
    (store, c.id)
}

fn tags(taken: &str) -> PhotoTags {
    PhotoTags {
        area: "cheeks".to_owned(),
        view: PhotoView::Front,
        taken_on: date(taken),
        session: None,
    }
}

/// A phone's photo: a skin close-up with GPS position and orientation 6 (turn to show).
fn phone_jpeg(seed: u64, severity: f32) -> Vec<u8> {
    sample::with_camera_metadata(
        &sample::skin_jpeg(320, 240, seed, severity),
        sample::CameraMetadata {
            orientation: 6,
            latitude: 51.5072,
            longitude: -0.1276,
        },
    )
}

fn import(store: &mut Store, client: ClientId, bytes: &[u8], taken: &str) -> needlepoint::domain::PhotoId {
    let prepared = imaging::prepare(bytes, "photo.jpg").unwrap();
    store
        .import_photo(lead(), client, &tags(taken), &prepared, date(TODAY))
        .unwrap()
}

fn stored_file(db: &TempDb, store: &Store, id: needlepoint::domain::PhotoId) -> std::path::PathBuf {
    let p = store.photo(id).unwrap().unwrap();
    photo_files::photo_path(&photo_files::photos_dir(&db.path), &p.sha256, &p.format)
}

#[test]
fn photo_import_from_the_command_line_stores_the_file_without_its_gps_position_turned_upright() {
    let db = temp_db();
    let (store, client) = clinic_with_client(&db, true);
    drop(store);
    let original = phone_jpeg(3, 0.8);
    // The file as the phone wrote it does carry the position.
    let before = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&original))
        .expect("the sample carries EXIF");
    assert!(before
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .is_some());
    let file = db.dir.path().join("IMG_0001.jpg");
    std::fs::write(&file, &original).unwrap();
    let path = db.path.to_str().unwrap();
    let out = needlepoint_as_lead(&[
        "photo",
        "import",
        "--client",
        &client.to_string(),
        "--area",
        "cheeks",
        "--view",
        "left-45",
        "--taken",
        "2026-11-01",
        file.to_str().unwrap(),
        "--db",
        path,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 of 1 photo(s) stored"), "{}", text(&out));
    let mut store = Store::open(&db.path).unwrap();
    let photos = store.photos_of(client).unwrap();
    assert_eq!(photos.len(), 1);
    let p = &photos[0];
    assert_eq!((p.view, p.taken_on), (PhotoView::Left45, date("2026-11-01")));
    // Orientation 6 applied: the 320 × 240 picture is stored upright, 240 × 320.
    assert_eq!((p.width, p.height), (240, 320));
    // The original as kept (a file beside the database, or on a server in the database).
    let stored = store.open_photo_original(lead(), p.id).unwrap();
    assert_eq!(
        imaging::sha256_hex(&stored),
        p.sha256,
        "the file is named by its hash"
    );
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&stored))
            .is_err(),
        "no EXIF left in the stored file"
    );
    assert!(!imaging::has_metadata(&stored));
    assert!(!stored.windows(4).any(|w| w == b"Exif"));
    let list = needlepoint(&["photo", "list", "--client", &client.to_string(), "--db", path]);
    assert!(
        text(&list).contains("left_45") && text(&list).contains(&p.sha256),
        "{}",
        text(&list)
    );
    let check = needlepoint(&["check", "--db", path]);
    assert!(check.status.success(), "{}", text(&check));
    assert!(
        text(&check).contains("Photos: every file present"),
        "{}",
        text(&check)
    );
}

#[test]
fn no_photo_is_stored_without_the_clients_photographs_consent_in_force() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, false);
    // The treatment consent does not cover photos.
    give_consent(&mut store, client, ConsentKind::Treatment, date("2026-10-01"));
    let prepared = imaging::prepare(&phone_jpeg(1, 0.5), "a.jpg").unwrap();
    let refused = store
        .import_photo(lead(), client, &tags("2026-11-20"), &prepared, date(TODAY))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("photographs consent"), "{refused}");
    assert!(store.photos_of(client).unwrap().is_empty());
    assert!(
        !photo_files::photos_dir(&db.path).exists(),
        "nothing written to disk for a refused photo"
    );
    // The file itself refuses a photo under another kind of consent.
    let treatment = store.consents_of(client).unwrap()[0].id;
    let raw = store.execute_raw(&format!(
        "INSERT INTO photos (id, client_id, area, view, taken_on, sha256, format, width, height, bytes, consent_id,
            imported_by, signed_at, created_at)
         VALUES ('{}', '{client}', 'cheeks', 'front', '2026-11-01', '{}', 'jpeg', 10, 10, 10, '{treatment}',
            'x', '2026-11-22T09:30:00.000Z', '2026-11-22T09:30:00.000Z')",
        uuid::Uuid::now_v7(),
        "a".repeat(64)
    ));
    assert!(raw.is_err());
    // Signed, it is stored; withdrawn, the next one is refused.
    give_consent(&mut store, client, ConsentKind::Photographs, date("2026-11-21"));
    store
        .import_photo(lead(), client, &tags("2026-11-20"), &prepared, date(TODAY))
        .unwrap();
    let consent = store
        .consents_of(client)
        .unwrap()
        .into_iter()
        .find(|c| c.kind == ConsentKind::Photographs)
        .unwrap();
    store
        .write(lead(), |w| {
            w.withdraw_consent(consent.id, "Noor Haddad", "changed her mind", date(TODAY))
        })
        .unwrap();
    let other = imaging::prepare(&phone_jpeg(2, 0.5), "b.jpg").unwrap();
    let refused = store
        .import_photo(lead(), client, &tags("2026-11-21"), &other, date(TODAY))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("withdrawn"), "{refused}");
}

#[test]
fn a_photo_file_changed_or_removed_on_disk_is_reported_by_check_by_name() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(4, 0.6), "2026-11-01");
    assert!(store.check().unwrap().is_clean());
    let file = stored_file(&db, &store, id);
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x55;
    std::fs::write(&file, &bytes).unwrap();
    let report = store.check().unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.photo_problems.len(), 1, "{:?}", report.photo_problems);
    assert!(
        report.photo_problems[0].contains(&name),
        "{:?}",
        report.photo_problems
    );
    assert!(
        report.photo_problems[0].contains("was changed"),
        "{:?}",
        report.photo_problems
    );
    assert!(
        report.photo_problems[0].contains("Noor Haddad"),
        "{:?}",
        report.photo_problems
    );
    // Opening it refuses the changed picture rather than show it.
    let refused = store.open_photo_original(lead(), id).unwrap_err().to_string();
    assert!(refused.contains("changed after it was stored"), "{refused}");
    std::fs::remove_file(&file).unwrap();
    let out = needlepoint(&["check", "--db", db.path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains(&name) && text(&out).contains("is missing"),
        "{}",
        text(&out)
    );
}

#[test]
fn photos_survive_backup_and_restore_and_a_restore_without_them_is_refused() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let (mut store, client) = clinic_with_client(&db, true);
    let first = import(&mut store, client, &phone_jpeg(5, 0.9), "2026-09-01");
    let second = import(&mut store, client, &phone_jpeg(5, 0.3), "2026-11-01");
    let report = store.backup_now(lead()).unwrap();
    assert!(report.backup.note.is_none(), "{:?}", report.backup.note);
    let backup = report.backup.path.clone();
    let hashes: Vec<String> = [first, second]
        .iter()
        .map(|id| store.photo(*id).unwrap().unwrap().sha256)
        .collect();
    store.close().unwrap();
    // The PC's photos folder is lost.
    std::fs::remove_dir_all(photo_files::photos_dir(&db.path)).unwrap();
    needlepoint::store::restore(&db.path, &backup, lead()).unwrap();
    let store = Store::open(&db.path).unwrap();
    for (id, sha) in [first, second].iter().zip(&hashes) {
        let bytes = std::fs::read(stored_file(&db, &store, *id)).unwrap();
        assert_eq!(&imaging::sha256_hex(&bytes), sha);
    }
    assert!(store.check().unwrap().is_clean());
    store.close().unwrap();
    // The copy kept before that restore has its photos beside it too.
    let kept = needlepoint::store::kept_dir(&db.path).join(photo_files::PHOTO_DIR);
    assert!(kept.exists());
    // Without the backups' photos either, the restore names what is missing and replaces nothing.
    std::fs::remove_dir_all(photo_files::photos_dir(&db.path)).unwrap();
    std::fs::remove_dir_all(photo_files::photos_dir(&backup)).unwrap();
    std::fs::remove_dir_all(kept).unwrap();
    let refused = needlepoint::store::restore(&db.path, &backup, lead())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("2 photo file(s)"), "{refused}");
    assert!(refused.contains(&hashes[0][..2]), "{refused}");
}

#[test]
fn the_clients_export_includes_their_photos_originals_beside_the_record() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(6, 0.5), "2026-11-01");
    let out = db.dir.path().join("exports").join("noor.json");
    let export = store.write_client_export(lead(), client, &out).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["photos"][0]["id"], id.to_string());
    let file = json["photo_files"][0]["file"].as_str().unwrap();
    assert!(file.starts_with("noor-photos/2026-11-01-cheeks-front-"), "{file}");
    let bytes = std::fs::read(db.dir.path().join("exports").join(file)).unwrap();
    assert_eq!(imaging::sha256_hex(&bytes), export.photos[0].sha256);
}

#[test]
fn bad_files_are_refused_with_what_to_do_and_nothing_is_stored() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.jpg", Vec::new(), "empty"),
        (
            "notes.jpg",
            b"Dear clinic, this is a letter".to_vec(),
            "not a photograph",
        ),
        ("IMG_1.HEIC", heic_header(), "HEIC"),
        (
            "cut.jpg",
            {
                let full = sample::skin_jpeg(200, 150, 1, 0.5);
                full[..full.len() / 2].to_vec()
            },
            "damaged or incomplete",
        ),
        ("huge.jpg", giant_jpeg_header(), "200 megapixels"),
    ];
    for (name, bytes, says) in cases {
        let err = imaging::prepare(&bytes, name).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with(name), "{message}");
        assert!(message.contains(says), "{name}: {message}");
    }
    assert!(matches!(
        imaging::prepare(&giant_jpeg_header(), "huge.jpg"),
        Err(PhotoError::TooLarge { megapixels: 200, .. })
    ));
}

/// The first bytes of an iPhone photo.
fn heic_header() -> Vec<u8> {
    let mut b = vec![0, 0, 0, 0x18];
    b.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    b.extend_from_slice(&[0u8; 64]);
    b
}

/// A JPEG whose frame header says 16,000 × 12,500 pixels (200 MP).
fn giant_jpeg_header() -> Vec<u8> {
    let mut jpeg = sample::skin_jpeg(16, 16, 1, 0.1);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&12_500u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&16_000u16.to_be_bytes());
    jpeg
}

#[test]
fn a_photo_is_hidden_with_a_reason_never_deleted_and_the_file_refuses_changes() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(7, 0.5), "2026-11-01");
    let empty = store
        .write(lead(), |w| w.hide_photo(id, "  "))
        .unwrap_err()
        .to_string();
    assert!(empty.contains("reason"), "{empty}");
    store
        .write(lead(), |w| w.hide_photo(id, "blurred, taken again"))
        .unwrap();
    let p = store.photo(id).unwrap().unwrap();
    assert_eq!(p.hidden.as_ref().unwrap().reason, "blurred, taken again");
    assert!(needlepoint::domain::photo::timelines(&[p]).is_empty());
    for sql in [
        format!("DELETE FROM photos WHERE id = '{id}'"),
        format!("UPDATE photos SET area = 'chin' WHERE id = '{id}'"),
        format!("DELETE FROM photo_images WHERE photo_id = '{id}'"),
        format!("DELETE FROM photo_events WHERE photo_id = '{id}'"),
    ] {
        assert!(store.execute_raw(&sql).is_err(), "{sql}");
    }
    store.write(lead(), |w| w.show_photo(id)).unwrap();
    assert!(store.photo(id).unwrap().unwrap().is_shown());
    assert!(store.check().unwrap().is_clean());
}

#[test]
fn the_front_desk_sees_photos_only_when_allowed_and_every_full_size_view_is_audited() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(8, 0.5), "2026-11-01");
    let desk = add_staff(&mut store, "Sam Reception", Role::FrontDesk, "1357").actor();
    let refused = store
        .open_photo_original(desk.clone(), id)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("unless the clinical lead allows it"),
        "{refused}"
    );
    let imported = store.write(desk.clone(), |w| w.hide_photo(id, "x")).unwrap_err();
    assert!(imported.to_string().contains("front desk"), "{imported}");
    store
        .write(lead(), |w| w.set_setting(needlepoint::store::FRONT_DESK_KEY, "1"))
        .unwrap();
    let bytes = store.open_photo_original(desk, id).unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    store.open_photo_original(lead(), id).unwrap();
    let views: Vec<String> = store
        .audit_for_client(&client.to_string())
        .unwrap()
        .into_iter()
        .filter(|a| a.action == needlepoint::domain::AuditAction::View)
        .map(|a| a.actor)
        .collect();
    assert_eq!(views, ["Sam Reception", crate::common::LEAD]);
}

#[test]
fn a_photo_goes_out_for_marketing_only_with_the_marketing_consent() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(9, 0.5), "2026-11-01");
    let out = db.dir.path().join("for-instagram.jpg");
    let refused = store
        .export_photo(lead(), id, PhotoUse::Marketing, &out, date(TODAY))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("marketing consent"), "{refused}");
    assert!(!out.exists());
    store
        .export_photo(lead(), id, PhotoUse::Client, &out, date(TODAY))
        .unwrap();
    std::fs::remove_file(&out).unwrap();
    give_consent(&mut store, client, ConsentKind::Marketing, date("2026-11-20"));
    store
        .export_photo(lead(), id, PhotoUse::Marketing, &out, date(TODAY))
        .unwrap();
    assert!(out.exists());
}

#[test]
fn anonymising_erases_the_pictures_and_keeps_the_signed_rows() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let id = import(&mut store, client, &phone_jpeg(10, 0.5), "2026-11-01");
    store
        .write(lead(), |w| w.note_photo(id, "Noor's left cheek, good light"))
        .unwrap();
    let file = stored_file(&db, &store, id);
    let done = store.write(lead(), |w| w.anonymise_client(client)).unwrap();
    assert_eq!(done.photos_erased, 1);
    assert_eq!(store.remove_erased_photo_files().unwrap(), 1);
    assert!(!file.exists());
    let p = store.photo(id).unwrap().unwrap();
    assert!(p.erased && p.notes.iter().all(|n| n.text.is_empty()));
    assert!(store.photo_preview(id).unwrap().is_none());
    assert!(store.check().unwrap().is_clean(), "{:?}", store.check().unwrap());
}

#[test]
fn the_same_photo_twice_in_a_record_is_refused() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    let bytes = phone_jpeg(11, 0.5);
    import(&mut store, client, &bytes, "2026-11-01");
    let prepared = imaging::prepare(&bytes, "again.jpg").unwrap();
    let refused = store
        .import_photo(lead(), client, &tags("2026-11-01"), &prepared, date(TODAY))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("already in the client's record"), "{refused}");
}

#[test]
fn the_progress_report_prints_the_chosen_pair_with_its_dates_and_is_recorded() {
    let db = temp_db();
    let (mut store, client) = clinic_with_client(&db, true);
    crate::consent_store::clinic_named(&mut store);
    let before = import(&mut store, client, &phone_jpeg(12, 0.9), "2026-09-01");
    let after = import(&mut store, client, &phone_jpeg(13, 0.3), "2026-11-20");
    let photos = store.photos_of(client).unwrap();
    assert_eq!(
        needlepoint::print::progress_report::default_pairs(&photos),
        [(before, after)]
    );
    let out = db.dir.path().join("progress.pdf");
    let templates = needlepoint::print::Templates::shipped();
    let protocol = crate::common::shipped_protocol();
    let pages = needlepoint::print::progress_report::print_progress_report(
        &mut store,
        &templates,
        protocol,
        client,
        &[(after, before)],
        date(TODAY),
        &out,
        lead(),
    )
    .unwrap();
    assert_eq!(pages, 1);
    let pdf = std::fs::read(&out).unwrap();
    let words = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    for expected in [
        "Your progress",
        "Noor Haddad",
        "Before",
        "1 September 2026",
        "20 November 2026",
        "11 weeks apart",
    ] {
        assert!(words.contains(expected), "{expected} missing from: {words}");
    }
    let printed = store
        .audit_for_client(&client.to_string())
        .unwrap()
        .into_iter()
        .any(|a| a.action == needlepoint::domain::AuditAction::Print && a.detail.contains("progress report"));
    assert!(printed);
    // A pair of two different areas is refused with what is wrong.
    let prepared = imaging::prepare(&phone_jpeg(14, 0.5), "chin.jpg").unwrap();
    let chin = store
        .import_photo(
            lead(),
            client,
            &PhotoTags {
                area: "chin".to_owned(),
                ..tags("2026-11-21")
            },
            &prepared,
            date(TODAY),
        )
        .unwrap();
    let refused = needlepoint::print::progress_report::print_progress_report(
        &mut store,
        &templates,
        protocol,
        client,
        &[(before, chin)],
        date(TODAY),
        &out,
        lead(),
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("different areas or views"), "{refused}");
}

#[test]
fn views_are_read_as_typed_and_the_sessions_between_two_photos_are_those_done_in_between() {
    for typed in ["left-45", "Left 45", "left_45", "LEFT45"] {
        assert_eq!(PhotoView::from_code(typed).unwrap(), PhotoView::Left45, "{typed}");
    }
    let wrong = PhotoView::from_code("sideways").unwrap_err().to_string();
    assert!(wrong.contains("front, left_45"), "{wrong}");
    let db = temp_db();
    let f = crate::common::sessions::fixture(&db, "2026-09-01", 4);
    let mut sessions = f.store.sessions_of(f.plan.id).unwrap();
    for (s, day) in sessions
        .iter_mut()
        .zip(["2026-09-01", "2026-10-01", "2026-11-01"])
    {
        s.performed_on = Some(date(day));
    }
    let between =
        needlepoint::domain::photo::sessions_between(&sessions, date("2026-09-01"), date("2026-11-01"));
    let numbers: Vec<u8> = between.iter().map(|s| s.number).collect();
    // The photo on a session's day is taken before needling: that session counts, the later
    // photo's day does not.
    assert_eq!(numbers, [1, 2]);
    assert_eq!(
        needlepoint::domain::photo::sessions_between(&sessions, date("2026-11-01"), date("2026-09-01")).len(),
        2,
        "the order the photos are given in does not matter"
    );
}

#[test]
fn a_file_still_being_copied_is_refused_as_changing_while_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("IMG_copying.jpg");
    std::fs::write(&path, sample::skin_jpeg(64, 48, 1, 0.5)).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A copy in progress: the file keeps growing while the import reads it.
    let writer = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
            let chunk = vec![0u8; 64 * 1024];
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && f.metadata().unwrap().len() < 90_000_000
            {
                f.write_all(&chunk).unwrap();
                // About 60 MB a second, as a USB stick copies: growing for over a second.
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        })
    };
    // Reading starts once the copy is under way (the writer thread may start late on a busy machine).
    let started = std::time::Instant::now();
    while std::fs::metadata(&path).unwrap().len() < 300_000 && started.elapsed().as_secs() < 10 {
        std::thread::yield_now();
    }
    let mut refused = None;
    while started.elapsed().as_secs() < 20 && !writer.is_finished() {
        if let Err(e) = imaging::read_photo_file(&path) {
            refused = Some(e);
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    let refused = refused.expect("a growing file is refused");
    assert!(
        matches!(refused, PhotoError::ChangedWhileReading { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("still copying"), "{refused}");
}

#[test]
fn a_photo_whose_row_is_refused_leaves_no_file_behind() {
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let (mut store, client) = clinic_with_client(&db, true);
    // The front desk may not store photos: the store refuses the row after the file was written.
    let desk = add_staff(&mut store, "Sam Reception", Role::FrontDesk, "1357").actor();
    let prepared = imaging::prepare(&phone_jpeg(15, 0.5), "a.jpg").unwrap();
    let refused = store
        .import_photo(desk, client, &tags("2026-11-20"), &prepared, date(TODAY))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("front desk"), "{refused}");
    let file = photo_files::photo_path(&photo_files::photos_dir(&db.path), &prepared.sha256, "jpeg");
    assert!(!file.exists(), "the refused photo's file was removed again");
    // The same picture stored afterwards by a practitioner is there, and a refused duplicate
    // does not remove the file its first row names.
    store
        .import_photo(lead(), client, &tags("2026-11-20"), &prepared, date(TODAY))
        .unwrap();
    assert!(store
        .import_photo(lead(), client, &tags("2026-11-20"), &prepared, date(TODAY))
        .is_err());
    assert!(file.exists());
    assert!(store.check().unwrap().is_clean());
}
