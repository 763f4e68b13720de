//! The photo figures: importing a 12-megapixel JPEG (upright, and turned by its EXIF), the photo
//! timelines scrolled with 500 photos in the record, the compare view with two photos filling a
//! 1920 × 1080 window, and the peak memory while they run. The bench makes its own photos
//! (`imaging::sample`); they go to a client of its own, "Bench Photos", in the bench database.

use chrono::NaiveDate;

use super::{figure, harness, time, BenchError, Figure};
use crate::domain::{Actor, ClientId, ConsentKind, PhotoTags, PhotoView};
use crate::imaging::sample;
use crate::protocol::Protocol;
use crate::store::Store;
use egui_kittest::kittest::Queryable;

const BENCH_CLIENT: &str = "Bench Photos";
const GRID_PHOTOS: usize = 500;

/// The bench's photo client (made once, with its photographs consent), and its photo count.
fn bench_client(
    store: &mut Store,
    signer: &Actor,
    today: NaiveDate,
) -> Result<(ClientId, usize), BenchError> {
    if let Some(hit) = store
        .search_clients(BENCH_CLIENT, 5)?
        .into_iter()
        .find(|h| h.client.full_name == BENCH_CLIENT)
    {
        let n = store.photo_count(hit.client.id)?;
        return Ok((hit.client.id, n));
    }
    let client = crate::domain::Client {
        id: ClientId::new(),
        details: crate::domain::ClientDetails {
            full_name: BENCH_CLIENT.to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1985, 3, 14).unwrap_or(today),
            phone: None,
            email: None,
            skin_type: crate::domain::SkinType::III,
            notes: "Made by `needlepoint bench` for its photo figures.".to_owned(),
        },
        archived: false,
    };
    let mut rng = <rand::rngs::SmallRng as rand::SeedableRng>::seed_from_u64(5);
    let consent = crate::store::ConsentToSign {
        id: crate::domain::ConsentId::new(),
        kind: ConsentKind::Photographs,
        document_version: crate::demo::consent::demo_photo_document().version,
        ..crate::demo::consent::consent_to_sign(&client, &mut rng)
    };
    store.write(signer, |w| {
        w.insert_client(&client)?;
        w.keep_consent_document(&crate::demo::consent::demo_photo_document())?;
        w.sign_consent(&consent, today).map(|_| ())
    })?;
    Ok((client.id, 0))
}

/// `jpeg` with one value of its first quantisation table changed: a valid photo that looks the
/// same and hashes differently (a record refuses the same picture twice).
fn variant(jpeg: &[u8], n: usize) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    if let Some(dqt) = out.windows(2).position(|w| w == [0xFF, 0xDB]) {
        // Marker, length (2), table id (1), then 64 values: the two highest frequencies carry
        // `n` (each 1..=250), so up to 62,500 variants differ.
        let digits = [n % 250, (n / 250) % 250];
        for (k, digit) in digits.into_iter().enumerate() {
            if let Some(v) = out.get_mut(dqt + 5 + 62 + k) {
                *v = 1 + u8::try_from(digit).unwrap_or(0);
            }
        }
    }
    out
}

fn tags(area: &str, view: PhotoView, taken_on: NaiveDate) -> PhotoTags {
    PhotoTags {
        area: area.to_owned(),
        view,
        taken_on,
        session: None,
    }
}

/// Every photo figure, and the peak memory while they ran (MB; `None` where the OS does not say).
pub(super) fn figures(
    db: &std::path::Path,
    protocol: &Protocol,
    today: NaiveDate,
    signer: &Actor,
    frame_budget_ms: f64,
    progress: &mut impl FnMut(&str),
) -> Result<(Vec<Figure>, Option<f64>), BenchError> {
    let measured_alone = super::report::reset_peak_memory();
    let mut store = Store::open(db)?;
    let (client, existing) = bench_client(&mut store, signer, today)?;
    let mut out = Vec::new();

    progress("import a 12-megapixel JPEG");
    // A new picture each run (seeded by what is stored already): no run stores one twice.
    let shot = sample::skin_jpeg(4000, 3000, 11 + existing as u64, 0.8);
    let with_exif = |orientation: u16| {
        sample::with_camera_metadata(
            &shot,
            sample::CameraMetadata {
                orientation,
                latitude: 52.37,
                longitude: 4.89,
            },
        )
    };
    // Upright: eight variants of the same shot (a quantisation value changed). Turned: the
    // seven orientations a camera writes other than upright, each a different picture stored.
    let upright: Vec<Vec<u8>> = (0..8).map(|i| variant(&with_exif(1), i)).collect();
    let turned: Vec<Vec<u8>> = (2..=8).map(with_exif).collect();
    for (name, files, note) in [
        (
            "import a 12 MP JPEG",
            upright,
            "decode, EXIF removed (picture kept as shot), SHA-256, preview and thumbnail, file written and synced, signed row",
        ),
        (
            "import a 12 MP JPEG turned by EXIF",
            turned,
            "as above, but the picture is turned upright and so encoded again (JPEG quality 92)",
        ),
    ] {
        let mut samples = Vec::new();
        for bytes in files {
            let (took, stored) = time(|| -> Result<(), BenchError> {
                let prepared = crate::imaging::prepare(&bytes, "IMG_0001.jpg")
                    .map_err(|e| BenchError::Setup(e.to_string()))?;
                store.import_photo(signer, client, &tags("cheeks", PhotoView::CloseUp, today), &prepared, today)?;
                Ok(())
            });
            stored?;
            samples.push(took);
        }
        out.push(figure(name, samples, 300.0, note));
    }

    // 500 photos in the record: small ones (the grid shows thumbnails, which are all alike).
    let have = store.photo_count(client)?;
    if have < GRID_PHOTOS {
        progress("store 500 photos for the grid (once)");
        let base = sample::skin_jpeg(640, 480, 3, 0.6);
        let areas: Vec<String> = protocol.areas.iter().map(|a| a.id.clone()).take(10).collect();
        for i in have..GRID_PHOTOS {
            let bytes = variant(&base, 10_000 + i);
            let prepared =
                crate::imaging::prepare(&bytes, "grid.jpg").map_err(|e| BenchError::Setup(e.to_string()))?;
            let area = &areas[i % areas.len().max(1)];
            let view = PhotoView::ALL[(i / areas.len().max(1)) % PhotoView::ALL.len()];
            let day = today - chrono::Duration::days(i64::try_from(i).unwrap_or(0));
            store.import_photo(signer, client, &tags(area, view, day), &prepared, today)?;
        }
    }
    drop(store);

    progress("photo timelines frame, 500 photos, scrolling");
    let mut h = harness(Store::open(db)?, protocol, today);
    h.step();
    h.state_mut().wait_for_background_work();
    h.state_mut().open_client_for_test(client);
    h.step();
    let count = Store::open(db)?
        .photos_of(client)?
        .iter()
        .filter(|p| p.is_shown())
        .count();
    h.get_by_label(&crate::ui::views::client_photos::open_label(count))
        .click();
    h.step();
    h.step();
    h.hover_at(egui::pos2(640.0, 500.0));
    let mut samples = Vec::new();
    for i in 0..120 {
        let down = if (i / 40) % 2 == 0 { -90.0 } else { 90.0 };
        h.input_mut().events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, down),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        let (took, ()) = time(|| h.step());
        samples.push(took);
    }
    out.push(figure(
        "photo timelines frame, 500 photos",
        samples,
        frame_budget_ms.max(8.0),
        "only the tiles on screen have textures; at most 6 new thumbnails decoded a frame, the rest the next",
    ));
    drop(h);

    progress("compare two photos, 1920 × 1080");
    let mut h = super::harness_sized(Store::open(db)?, protocol, today, egui::vec2(1920.0, 1080.0));
    h.step();
    h.state_mut().open_client_for_test(client);
    h.step();
    h.get_by_label(&crate::ui::views::client_photos::open_label(count))
        .click();
    h.step();
    let big: Vec<_> = Store::open(db)?
        .photos_of(client)?
        .into_iter()
        .filter(|p| p.width == 4000 && p.view == PhotoView::CloseUp)
        .take(2)
        .collect();
    if let [a, b] = &big[..] {
        h.state_mut().compare_photos_for_test(a.id, b.id);
        h.step();
        h.step();
        let mut samples = Vec::new();
        for i in 0..60 {
            h.hover_at(egui::pos2(
                400.0 + (i * 17 % 900) as f32,
                300.0 + (i * 11 % 400) as f32,
            ));
            if i % 10 == 0 {
                h.key_press(egui::Key::Plus);
            }
            let (took, ()) = time(|| h.step());
            samples.push(took);
        }
        out.push(figure(
            "compare frame, two photos at 1920 × 1080",
            samples,
            frame_budget_ms.max(8.0),
            "two 1600-px previews as textures (made once), zoomed and panned together",
        ));
    }
    let held = h.state().photo_textures_for_test();
    drop(h);
    tracing::debug!("photo textures held at the end: {held}");
    let peak = if measured_alone {
        super::report::peak_memory_mb()
    } else {
        None
    };
    Ok((out, peak))
}
