//! Photographs made safe to keep: a file's bytes become the stored original (orientation applied,
//! every piece of metadata — EXIF with GPS and device serials, XMP, comments, text chunks —
//! removed), its SHA-256, and a thumbnail and preview for the screens. Pure work on bytes: no
//! database, no clock; reading a file that may change underneath is [`read_photo_file`].

mod jpeg_segments;
pub mod sample;

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use thiserror::Error;

pub use jpeg_segments::{has_metadata, strip_metadata};

/// The largest photograph taken, in pixels: 50 megapixels (a 12 MP phone photo is a quarter of
/// it). Larger ones would take over a gigabyte to turn and shrink; the message says what to do.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// Longest edge of the thumbnail kept in the database (timelines, grids).
pub const THUMBNAIL_EDGE: u32 = 256;
/// Longest edge of the preview kept in the database (compare view, printed report).
pub const PREVIEW_EDGE: u32 = 1600;
/// JPEG quality of a re-encoded original (only when it had to be turned).
const ORIGINAL_QUALITY: u8 = 92;
const PREVIEW_QUALITY: u8 = 85;
const THUMBNAIL_QUALITY: u8 = 80;

/// How a stored original is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredFormat {
    Jpeg,
    Png,
}

impl StoredFormat {
    pub fn code(self) -> &'static str {
        match self {
            StoredFormat::Jpeg => "jpeg",
            StoredFormat::Png => "png",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "jpeg" => Some(StoredFormat::Jpeg),
            "png" => Some(StoredFormat::Png),
            _ => None,
        }
    }

    /// The file name's ending.
    pub fn extension(self) -> &'static str {
        match self {
            StoredFormat::Jpeg => "jpg",
            StoredFormat::Png => "png",
        }
    }
}

/// A photograph ready to store.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    /// The original to keep: upright, without metadata.
    pub bytes: Vec<u8>,
    pub format: StoredFormat,
    /// Lower-case hex SHA-256 of [`Self::bytes`]: its file name and what `check` verifies.
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    /// JPEG, longest edge [`THUMBNAIL_EDGE`].
    pub thumbnail: Vec<u8>,
    /// JPEG, longest edge [`PREVIEW_EDGE`] (smaller originals are not enlarged).
    pub preview: Vec<u8>,
}

/// Why a file is not taken, in the clinic's words.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("{name}: the file is empty (0 bytes). Copy the photo again from the camera or phone.")]
    Empty { name: String },
    #[error("{name}: this is not a photograph Needlepoint can read. Use a JPEG (.jpg) or PNG (.png) file.")]
    NotAnImage { name: String },
    #[error(
        "{name}: this is an HEIC photo (the iPhone's own format), which Needlepoint cannot read yet. \
         Export it as JPEG (Photos: File > Export, or on the phone Settings > Camera > Formats > Most Compatible) and import that."
    )]
    Heic { name: String },
    #[error("{name}: this is a {format} image. Save it as JPEG (.jpg) or PNG (.png) and import that.")]
    OtherFormat { name: String, format: String },
    #[error(
        "{name}: the photo is {megapixels} megapixels; Needlepoint takes up to {limit}. Save a smaller copy \
         (12 megapixels is plenty for before-and-after photos) and import that."
    )]
    TooLarge {
        name: String,
        megapixels: u64,
        limit: u64,
    },
    #[error("{name}: the file is {size_mb} MB; Needlepoint takes photos up to {limit_mb} MB. Save a smaller copy and import that.")]
    FileTooLarge {
        name: String,
        size_mb: u64,
        limit_mb: u64,
    },
    #[error(
        "{name}: the photo is damaged or incomplete ({detail}). Copy it again from the camera or phone."
    )]
    Damaged { name: String, detail: String },
    #[error("{name}: the file changed while it was being read (still copying?). Wait until it is copied, then import it again.")]
    ChangedWhileReading { name: String },
    #[error("{name}: could not be read ({detail}).")]
    Unreadable { name: String, detail: String },
}

/// Reads a photo file whole, refusing one that changes while it is read (a copy still being
/// written by the file manager, a phone still syncing).
pub fn read_photo_file(path: &Path) -> Result<Vec<u8>, PhotoError> {
    let name = shown_name(path);
    let unreadable = |e: std::io::Error| PhotoError::Unreadable {
        name: name.clone(),
        detail: e.to_string(),
    };
    let before = std::fs::metadata(path).map_err(unreadable)?;
    if before.len() > MAX_FILE_BYTES {
        return Err(PhotoError::FileTooLarge {
            name,
            size_mb: before.len() / (1024 * 1024),
            limit_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let after = std::fs::metadata(path).map_err(unreadable)?;
    let same = before.len() == after.len()
        && bytes.len() as u64 == after.len()
        && before.modified().ok() == after.modified().ok();
    if !same {
        return Err(PhotoError::ChangedWhileReading { name });
    }
    Ok(bytes)
}

/// The file's name as the messages show it.
pub fn shown_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// What kind of file the bytes are, by their first bytes (not the name, which may lie).
fn sniff(bytes: &[u8], name: &str) -> Result<StoredFormat, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty {
            name: name.to_owned(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(StoredFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(StoredFormat::Png);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"]
            .iter()
            .any(|b| brand == *b)
        {
            return Err(PhotoError::Heic {
                name: name.to_owned(),
            });
        }
        if brand == b"avif" {
            return Err(PhotoError::OtherFormat {
                name: name.to_owned(),
                format: "AVIF".to_owned(),
            });
        }
    }
    let other = match image::guess_format(bytes) {
        Ok(ImageFormat::Gif) => Some("GIF"),
        Ok(ImageFormat::WebP) => Some("WebP"),
        Ok(ImageFormat::Tiff) => Some("TIFF"),
        Ok(ImageFormat::Bmp) => Some("BMP"),
        _ => None,
    };
    match other {
        Some(format) => Err(PhotoError::OtherFormat {
            name: name.to_owned(),
            format: format.to_owned(),
        }),
        None => Err(PhotoError::NotAnImage {
            name: name.to_owned(),
        }),
    }
}

/// Turns a file's bytes into a photograph to store: checks what it is and its size before
/// decoding anything, decodes it, applies its orientation, removes its metadata and makes the
/// thumbnail and preview. `name` is only for messages.
pub fn prepare(bytes: &[u8], name: &str) -> Result<PreparedPhoto, PhotoError> {
    let format = sniff(bytes, name)?;
    let damaged = |e: image::ImageError| PhotoError::Damaged {
        name: name.to_owned(),
        detail: e.to_string(),
    };
    let image_format = match format {
        StoredFormat::Jpeg => ImageFormat::Jpeg,
        StoredFormat::Png => ImageFormat::Png,
    };
    // The size from the header: a 200-megapixel photo is refused before it is decoded.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(damaged)?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        return Err(PhotoError::TooLarge {
            name: name.to_owned(),
            megapixels: pixels.div_ceil(1_000_000),
            limit: MAX_PIXELS / 1_000_000,
        });
    }
    if format == StoredFormat::Jpeg && !jpeg_segments::is_complete(bytes) {
        return Err(PhotoError::Damaged {
            name: name.to_owned(),
            detail: "the file ends before the picture does".to_owned(),
        });
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let picture = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    let turned = |p: &DynamicImage| {
        let mut p = p.clone();
        p.apply_orientation(orientation);
        p
    };
    // The original (turned and encoded again when it must be) on one core, the preview and
    // thumbnail on the other: a 12-megapixel photo is ready in about half the time.
    let (stored, pictures) = std::thread::scope(|s| {
        let original = s.spawn(|| -> Result<(Vec<u8>, u32, u32), PhotoError> {
            match format {
                // Upright JPEGs keep their compressed picture exactly; only the metadata goes.
                StoredFormat::Jpeg if upright => {
                    let (w, h) = (picture.width(), picture.height());
                    let bytes = strip_metadata(bytes).map_err(|detail| PhotoError::Damaged {
                        name: name.to_owned(),
                        detail,
                    })?;
                    Ok((bytes, w, h))
                }
                StoredFormat::Jpeg => {
                    let p = turned(&picture);
                    Ok((
                        encode_jpeg(&p, ORIGINAL_QUALITY).map_err(damaged)?,
                        p.width(),
                        p.height(),
                    ))
                }
                // A PNG is written again from its pixels: lossless, and without its text chunks.
                StoredFormat::Png => {
                    let p = turned(&picture);
                    Ok((encode_png(&p).map_err(damaged)?, p.width(), p.height()))
                }
            }
        });
        let preview_image = turned(&shrink(&picture, PREVIEW_EDGE));
        let thumbnail_image = shrink(&preview_image, THUMBNAIL_EDGE);
        let pictures = encode_jpeg(&preview_image, PREVIEW_QUALITY)
            .and_then(|p| Ok((p, encode_jpeg(&thumbnail_image, THUMBNAIL_QUALITY)?)))
            .map_err(damaged);
        let stored = original.join().unwrap_or_else(|_| {
            Err(PhotoError::Damaged {
                name: name.to_owned(),
                detail: "it could not be turned upright".to_owned(),
            })
        });
        (stored, pictures)
    });
    let (stored, width, height) = stored?;
    let (preview, thumbnail) = pictures?;
    Ok(PreparedPhoto {
        sha256: sha256_hex(&stored),
        width,
        height,
        preview,
        thumbnail,
        bytes: stored,
        format,
    })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The picture fitted inside `edge` × `edge` (never enlarged).
fn shrink(picture: &DynamicImage, edge: u32) -> DynamicImage {
    if picture.width() <= edge && picture.height() <= edge {
        return picture.clone();
    }
    // Each source pixel counts once: a clean average for large reductions, and fast.
    picture.thumbnail(edge, edge)
}

fn encode_jpeg(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, image::ImageError> {
    let (w, h) = (picture.width(), picture.height());
    let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
        // Wider than a JPEG header can say with this encoder: image's own writes it.
        let mut out = Vec::new();
        let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
        rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut out, quality,
        ))?;
        return Ok(out);
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    // 4:2:0 chroma, as cameras write it.
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    let encoded = match picture {
        DynamicImage::ImageLuma8(gray) => {
            encoder.encode(gray.as_raw(), w16, h16, jpeg_encoder::ColorType::Luma)
        }
        DynamicImage::ImageRgb8(rgb) => encoder.encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb),
        other => encoder.encode(other.to_rgb8().as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb),
    };
    encoded.map_err(|e| {
        image::ImageError::Encoding(image::error::EncodingError::new(
            image::error::ImageFormatHint::Exact(ImageFormat::Jpeg),
            e.to_string(),
        ))
    })?;
    Ok(out)
}

fn encode_png(picture: &DynamicImage) -> Result<Vec<u8>, image::ImageError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    picture.write_with_encoder(encoder)?;
    Ok(out)
}

/// Decodes a stored JPEG or PNG (a thumbnail, preview or original) to RGBA for the screen.
pub fn decode_rgba(bytes: &[u8]) -> Result<image::RgbaImage, image::ImageError> {
    Ok(image::load_from_memory(bytes)?.to_rgba8())
}

/// The day the camera says the photo was taken (EXIF DateTimeOriginal, else DateTime), read
/// before the metadata is removed; `None` when it does not say.
pub fn taken_on(bytes: &[u8]) -> Option<chrono::NaiveDate> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .into_iter()
        .find_map(|tag| {
            let field = exif.get_field(tag, exif::In::PRIMARY)?;
            let exif::Value::Ascii(parts) = &field.value else {
                return None;
            };
            let text = std::str::from_utf8(parts.first()?).ok()?;
            chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y:%m:%d").ok()
        })
}
