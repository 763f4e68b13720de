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
    let (w, h) = (width as usize, height as usize);
    let mut shade = vec![0f32; w * h];
    let mut red = vec![0f32; w * h];
    let pore_cell = 11.0 * scale;
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            // The cheek's curve: lit from the upper left, falling away to the lower right.
            let (nx, ny) = (fx / width as f32 - 0.35, fy / height as f32 - 0.3);
            let curve = 1.08 - 0.55 * (nx * nx * 0.8 + ny * ny * 1.1).sqrt();
            let tone_var = fbm(seed, fx / (260.0 * scale), fy / (260.0 * scale), 4);
            let grain = fbm(seed ^ 0x9e37, fx / (5.0 * scale), fy / (5.0 * scale), 2);
            let mut v = curve * (0.9 + 0.14 * tone_var + 0.06 * grain);
            // Pores: one in each small cell, at a place of its own, a soft dark dot.
            let (cx, cy) = ((fx / pore_cell).floor(), (fy / pore_cell).floor());
            let jitter = lattice(seed ^ 0x51ed, cx as i64, cy as i64);
            let jitter2 = lattice(seed ^ 0x7a3c, cx as i64, cy as i64);
            let px = (cx + 0.2 + 0.6 * jitter) * pore_cell;
            let py = (cy + 0.2 + 0.6 * jitter2) * pore_cell;
            let pr =
                (1.1 + 1.6 * lattice(seed ^ 0x1234, cx as i64, cy as i64) * (0.6 + 0.4 * severity)) * scale;
            let d = ((fx - px).powi(2) + (fy - py).powi(2)).sqrt() / pr;
            if d < 1.0 {
                v *= 0.8 + 0.2 * d * d;
            }
            shade[y * w + x] = v;
            red[y * w + x] =
                0.22 * severity * smooth(fbm(seed ^ 0x77, fx / (120.0 * scale), fy / (120.0 * scale), 3));
        }
    }
    for s in scar_list(seed, width, height, scale, severity) {
        let reach = s.r * 1.4;
        let (x0, x1) = ((s.x - reach).max(0.0) as usize, ((s.x + reach) as usize).min(w));
        let (y0, y1) = ((s.y - reach).max(0.0) as usize, ((s.y + reach) as usize).min(h));
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = ((x as f32 - s.x) / s.r, (y as f32 - s.y) / s.r);
                let d = (dx * dx + dy * dy).sqrt();
                if d >= 1.4 {
                    continue;
                }
                let i = y * w + x;
                if d < 1.0 {
                    // A rolling scar: a dip, shadowed on the side facing the light, with a rim.
                    let dip = (1.0 - d).powf(0.6) * s.depth;
                    let facing = (-dx - dy) * 0.5;
                    shade[i] *= 1.0 - dip * (0.18 + 0.14 * facing.max(0.0));
                    if d > 0.75 {
                        shade[i] *= 1.0 + 0.06 * s.depth * (dx + dy).max(0.0);
                    }
                }
                red[i] += s.red * ((1.4 - d) / 1.4).powi(2);
            }
        }
    }
    let mut img = RgbImage::new(width, height);
    for (i, px) in img.pixels_mut().enumerate() {
        let (v, r) = (shade[i], red[i]);
        let c = |x: f32| x.clamp(0.0, 255.0) as u8;
        *px = Rgb([
            c(base[0] * v * (1.0 + r * 0.3)),
            c(base[1] * v * (1.0 - r * 0.6)),
            c(base[2] * v * (1.0 - r * 0.5)),
        ]);
    }
    img
}

/// Noise of several sizes added (fractal), 0..1.
fn fbm(seed: u64, x: f32, y: f32, octaves: u32) -> f32 {
    let (mut sum, mut amp, mut freq, mut norm) = (0.0, 1.0, 1.0, 0.0);
    for o in 0..octaves {
        sum += amp * noise(seed.wrapping_add(u64::from(o) * 0x9e37), x * freq, y * freq);
        norm += amp;
        amp *= 0.5;
        freq *= 2.03;
    }
    sum / norm
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
                depth: (0.1 + 0.9 * severity) * (0.55 + 0.45 * ((i % 3) as f32 / 2.0)),
                red: 0.35 * severity * red,
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
    let mut h = seed
        ^ (x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ (y as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
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
    entry(
        &mut t,
        0x0001,
        ASCII,
        2,
        [if meta.latitude >= 0.0 { b'N' } else { b'S' }, 0, 0, 0],
    );
    entry(&mut t, 0x0002, RATIONAL, 3, lat_at.to_le_bytes());
    entry(
        &mut t,
        0x0003,
        ASCII,
        2,
        [if meta.longitude >= 0.0 { b'E' } else { b'W' }, 0, 0, 0],
    );
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
