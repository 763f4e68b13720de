//! Running the `needlepoint` binary as a clinic's IT person would.
#![allow(dead_code)]

use std::process::{Command, Output};

pub fn needlepoint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(args)
        .env("NEEDLEPOINT_LOG", "error")
        .output()
        .expect("run needlepoint")
}

/// Everything the command printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
