//! A JPEG file's segments: what comes before the picture data (metadata among it) and whether
//! the picture data ends. Removing metadata this way keeps the compressed picture exactly as the
//! camera wrote it (no second lossy compression).

/// Markers that carry no pixels and may identify someone: EXIF and XMP (APP1, with GPS, camera
/// serial and owner), APP3–APP15 (maker notes, Photoshop IPTC), comments (COM). APP0 (JFIF) and
/// APP2 (the ICC colour profile) say how to show the colours and are kept.
fn is_metadata(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xE0 => false,
        0xE2 => !payload.starts_with(b"ICC_PROFILE\0"),
        0xE1 | 0xE3..=0xEF | 0xFE => true,
        _ => false,
    }
}

/// The JPEG without its metadata segments; the picture data (from the start of scan on) is
/// copied unchanged. An error names what is malformed.
pub fn strip_metadata(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("it does not start like a JPEG".to_owned());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    loop {
        // Fill bytes (0xFF) may pad between segments.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(format!("no segment marker at byte {at}"));
        };
        // Start of scan: the rest is picture data (and any later tables), kept as it is.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[at..]);
            return Ok(out);
        }
        if marker == 0xD9 {
            return Err("the file ends before any picture data".to_owned());
        }
        let len_bytes = bytes
            .get(at + 2..at + 4)
            .ok_or_else(|| format!("a segment is cut short at byte {at}"))?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        let end = at + 2 + len;
        if len < 2 || end > bytes.len() {
            return Err(format!("a segment at byte {at} runs past the end of the file"));
        }
        let payload = &bytes[at + 4..end];
        if !is_metadata(marker, payload) {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
}

/// Whether the file ends with the end-of-image marker (a copy cut short does not; decoders
/// quietly fill the missing part with grey).
pub fn is_complete(bytes: &[u8]) -> bool {
    // Some cameras pad after the marker; look at the last few bytes.
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Whether any metadata segment is left (tests, and `check` of a clinic's own file).
pub fn has_metadata(bytes: &[u8]) -> bool {
    strip_metadata(bytes).is_ok_and(|s| s.len() != bytes.len())
}
