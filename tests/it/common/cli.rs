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

/// Runs a command that changes the database as `name` (`--as`), typing `password` (and any
/// further lines, such as a new account's password and PIN) on standard input.
pub fn needlepoint_as(args: &[&str], name: &str, lines: &[&str]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlepoint"))
        .args(args)
        .args(["--as", name])
        .env("NEEDLEPOINT_LOG", "error")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run needlepoint");
    if let Some(mut stdin) = child.stdin.take() {
        for line in lines {
            writeln!(stdin, "{line}").ok();
        }
    }
    child.wait_with_output().expect("run needlepoint")
}

/// As the test clinic's lead (`common::LEAD`).
pub fn needlepoint_as_lead(args: &[&str]) -> Output {
    needlepoint_as(args, super::LEAD, &[super::LEAD_PASSWORD])
}

/// As the demo team's lead, on a database `needlepoint demo` made.
pub fn needlepoint_as_demo_lead(args: &[&str]) -> Output {
    needlepoint_as(args, super::LEAD, &[needlepoint::demo::DEMO_PASSWORD])
}
