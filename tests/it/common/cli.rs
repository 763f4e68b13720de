//! Running the `needlepoint` binary as a clinic's IT person would.
#![allow(dead_code)]

use std::process::{Command, Output};

/// The program under test: this build's, or the one `NEEDLEPOINT_BIN` names (to run a test
/// against an older build and see it fail, or a long run against a copy).
pub fn program() -> String {
    std::env::var("NEEDLEPOINT_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_needlepoint").to_owned())
}

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
