//! Bounded free text: every text a user types has a length limit, and is trimmed.

use super::DomainError;

/// Trims and checks a required text field.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::Missing { field });
    }
    bounded(field, trimmed, max)
}

/// Trims and checks an optional text field; empty becomes `None`.
pub fn optional(field: &'static str, value: &str, max: usize) -> Result<Option<String>, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    bounded(field, trimmed, max).map(Some)
}

/// Checks the length (in characters, not bytes, so "李雷" counts as two) without trimming.
pub fn bounded(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    // A NUL ends the text for SQLite's length(); other control characters (but line breaks and
    // tabs) garble what is printed or shown. The same rule serves forms, imports and the store.
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DomainError::ControlCharacter {
            field,
            code: format!("U+{:04X}", u32::from(c)),
        });
    }
    let len = value.chars().count();
    if len > max {
        return Err(DomainError::TooLong { field, max, len });
    }
    Ok(value.to_owned())
}

/// Limits shared by the domain, the store's CHECK constraints and the forms.
pub mod limits {
    pub const NAME: usize = 120;
    pub const PHONE: usize = 40;
    pub const EMAIL: usize = 254;
    pub const NOTES: usize = 4000;
    pub const SHORT: usize = 200;
    pub const REASON: usize = 1000;
}

/// "1.4 MB", "812 KB", "96 bytes".
pub fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if bytes >= 1_000_000 {
        format!("{:.1} MB", b / 1_000_000.0)
    } else if bytes >= 1_000 {
        format!("{:.0} KB", b / 1_000.0)
    } else {
        format!("{bytes} bytes")
    }
}

/// `text` as one sentence ending in exactly one full stop (a text that already ends with
/// ".", "!" or "?" is not given another).
pub fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?', '…']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

/// A message with any doubled full stop at a sentence's end made single ("12 months.. The" →
/// "12 months. The"); an ellipsis ("...", "…") and ranges ("1..3") are left as they are.
pub fn one_full_stop(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::with_capacity(message.len());
    for (i, c) in chars.iter().enumerate() {
        let doubled = *c == '.'
            && chars.get(i + 1) == Some(&'.')
            && (i == 0 || chars[i - 1] != '.')
            && chars.get(i + 2).is_none_or(|n| n.is_whitespace());
        if !doubled {
            out.push(*c);
        }
    }
    out
}
