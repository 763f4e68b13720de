//! Standard output for the subcommands. `println!` panics when the reader has gone away
//! (`needlepoint check | head`); here a closed pipe only ends the output, and any other write
//! error is said once on standard error.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output cannot be written: the rest is dropped, not retried per line.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// `text` with control characters (but line breaks and tabs) shown as `\x1b`-style escapes, so
/// a name holding terminal escape codes is printed, not obeyed.
pub fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes `text` to standard output (no newline added), control characters escaped.
pub fn out_text(text: std::fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let text = printable(&text.to_string());
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("Could not write the output: {e}");
        }
    }
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::startup::output::out_text(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped_and_line_breaks_kept() {
        assert_eq!(printable("Ada\tLovelace\n"), "Ada\tLovelace\n");
        assert_eq!(
            printable("Evil\u{1b}[2J\u{7}\rName"),
            "Evil\\x1b[2J\\x07\\x0dName"
        );
        assert_eq!(printable("\u{0}x"), "\\x00x");
    }
}
