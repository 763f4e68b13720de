//! Standard output for the subcommands. `println!` panics when the reader has gone away
//! (`needlepoint check | head`); here a closed pipe only ends the output, and any other write
//! error is said once on standard error.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output cannot be written: the rest is dropped, not retried per line.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output as it is (no newline added).
pub fn out_text(text: std::fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
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
