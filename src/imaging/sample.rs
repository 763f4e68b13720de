//! Photographs made here, for the demo clinic, the bench and the tests: a close-up of cheek skin
//! drawn from noise (tone, pores, acne scars and redness, fewer and fainter as a series goes on),
//! and a phone's metadata (orientation, GPS position, camera make) written into a JPEG the way a
//! phone does. Nothing is downloaded.

use image::{DynamicImage, Rgb, RgbImage};

/// A skin close-up `width` × `height`. `severity` 0.0 (clear) to 1.0 (many deep scars, red);
/// `seed` picks the person; the same seed with a lower severity is the same skin after treatment.
pub fn skin_photo(width: u32, height: u32, seed: u64, severity: f32) -> RgbImage {
    let severity = severity.clamp(0.0, 1.0);
    let scale = width.max(height) as f32 / 1600.0;
    let base = tone(seed);
    let scars = scar_list(seed, width, height, scale, severity);
    let mut img = RgbImage::new(width, height);
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32, y as f32);
        // Light from the upper left, falling off across the cheek.
        let light = 1.05 - 0.18 * (fx / width as f32) - 0.12 * (fy / height as f32);
        let blotch = noise(seed, fx / (180.0 * scale), fy / (180.0 * scale));
        let fine = noise(seed ^ 0x9e37, fx / (6.0 * scale), fy / (6.0 * scale));
        let pore = noise(seed ^ 0x51ed, fx / (2.2 * scale), fy / (2.2 * scale));
        let mut shade = light * (0.94 + 0.08 * blotch + 0.04 * fine);
        if pore < 0.12 {
            shade *= 0.88 + pore;
        }
        let mut red = 0.18 * severity * smooth(noise(seed ^ 0x77, fx / (90.0 * scale), fy / (90.0 * scale)));
        for s in &scars {
            let d2 = ((fx - s.x).powi(2) + (fy - s.y).powi(2)) / (s.r * s.r);
            if d2 < 1.6 {
                // A rolling scar: a dip darker towards its rim on the lit side.
                let dip = (1.0 - d2.min(1.0)).powf(0.7) * s.depth;
                let rim = ((fx - s.x) + (fy - s.y)) / (s.r * 2.0);
                shade *= 1.0 - dip * (0.22 + 0.12 * rim);
                red += s.red * (1.6 - d2).max(0.0) / 1.6;
            }
        }
        let c = |v: f32| (v.clamp(0.0, 255.0)) as u8;
        *px = Rgb([
            c(base[0] * shade * (1.0 + red * 0.35)),
            c(base[1] * shade * (1.0 - red * 0.55)),
            c(base[2] * shade * (1.0 - red * 0.45)),
        ]);
    }
    img
}

/// The photo as a JPEG, as a camera would write it (no metadata).
pub fn skin_jpeg(width: u32, height: u32, seed: u64, severity: f32) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    // Writing to memory fails only if the encoder does; an empty file is then refused on import.
    DynamicImage::ImageRgb8(skin_photo(width, height, seed, severity))
        .write_with_encoder(encoder)
        .ok();
    out
}

struct Scar {
    x: f32,
    y: f32,
    r: f32,
    depth: f32,
    red: f32,
}

fn scar_list(seed: u64, width: u32, height: u32, scale: f32, severity: f32) -> Vec<Scar> {
    let mut state = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32
    };
    // The same scars at every severity (the same person), shallower and fewer as it falls.
    (0..60)
        .filter_map(|i| {
            let (x, y, r, keep, red) = (next(), next(), next(), next(), next());
            let shown = keep < 0.25 + 0.75 * severity;
            shown.then(|| Scar {
                x: x * width as f32,
                y: y * height as f32,
                r: (10.0 + 26.0 * r) * scale,
                depth: (0.15 + 0.85 * severity) * (0.5 + 0.5 * ((i % 3) as f32 / 2.0)),
                red: 0.25 * severity * red,
            })
        })
        .collect()
}

/// A skin tone from the seed (light to medium).
fn tone(seed: u64) -> [f32; 3] {
    let t = (seed % 5) as f32 / 4.0;
    [226.0 - 50.0 * t, 184.0 - 52.0 * t, 160.0 - 56.0 * t]
}

fn smooth(v: f32) -> f32 {
    v * v * (3.0 - 2.0 * v)
}

/// Value noise in 0..1, smooth between integer lattice points.
fn noise(seed: u64, x: f32, y: f32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (tx, ty) = (smooth(x - x0), smooth(y - y0));
    let (ix, iy) = (x0 as i64, y0 as i64);
    let at = |dx: i64, dy: i64| lattice(seed, ix + dx, iy + dy);
    let top = at(0, 0) + (at(1, 0) - at(0, 0)) * tx;
    let bottom = at(0, 1) + (at(1, 1) - at(0, 1)) * tx;
    top + (bottom - top) * ty
}

fn lattice(seed: u64, x: i64, y: i64) -> f32 {
    let mut h = seed ^ (x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (y as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> 40) as f32 / (1u64 << 24) as f32
}

/// What a phone writes into a photo that identifies where and with what it was taken.
#[derive(Debug, Clone, Copy)]
pub struct CameraMetadata {
    /// EXIF orientation (1 upright, 6 turned 90° clockwise to show, …).
    pub orientation: u16,
    /// Degrees north and east.
    pub latitude: f64,
    pub longitude: f64,
}

/// `jpeg` with an EXIF segment carrying `meta` (orientation, camera make, GPS position),
/// right after its start marker, as phones write it.
pub fn with_camera_metadata(jpeg: &[u8], meta: CameraMetadata) -> Vec<u8> {
    let tiff = exif_tiff(meta);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(jpeg.len() + app1.len() + 4);
    out.extend_from_slice(&jpeg[..2.min(jpeg.len())]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2.min(jpeg.len())..]);
    out
}

/// A little-endian TIFF block: IFD0 (make, orientation, GPS pointer) and the GPS IFD.
fn exif_tiff(meta: CameraMetadata) -> Vec<u8> {
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let make = b"NeedlepointCam\0";
    // Offsets (from the TIFF header): IFD0 at 8 with 3 entries (42 bytes), the make at 50,
    // the GPS IFD at 66 with 4 entries (54 bytes), latitude at 120, longitude at 144.
    let (ifd0, make_at, gps_at, lat_at, lon_at) = (8u32, 50u32, 66u32, 120u32, 144u32);
    let mut t = Vec::new();
    t.extend_from_slice(b"II");
    t.extend_from_slice(&42u16.to_le_bytes());
    t.extend_from_slice(&ifd0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x010F, ASCII, make.len() as u32, make_at.to_le_bytes());
    let o = meta.orientation.to_le_bytes();
    entry(&mut t, 0x0112, SHORT, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, LONG, 1, gps_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(make);
    t.push(0);
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, ASCII, 2, [if meta.latitude >= 0.0 { b'N' } else { b'S' }, 0, 0, 0]);
    entry(&mut t, 0x0002, RATIONAL, 3, lat_at.to_le_bytes());
    entry(&mut t, 0x0003, ASCII, 2, [if meta.longitude >= 0.0 { b'E' } else { b'W' }, 0, 0, 0]);
    entry(&mut t, 0x0004, RATIONAL, 3, lon_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    for degrees in [meta.latitude.abs(), meta.longitude.abs()] {
        let d = degrees.floor();
        let m = ((degrees - d) * 60.0).floor();
        let s = ((degrees - d) * 60.0 - m) * 60.0;
        for (num, den) in [(d as u32, 1u32), (m as u32, 1), ((s * 100.0) as u32, 100)] {
            t.extend_from_slice(&num.to_le_bytes());
            t.extend_from_slice(&den.to_le_bytes());
        }
    }
    t
}
