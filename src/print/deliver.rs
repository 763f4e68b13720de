//! After saving: open the sheet in the system's PDF viewer, or send it to the default printer
//! with `lp` (CUPS) when the clinic chose that in Settings and `lp` is installed.

use std::path::{Path, PathBuf};

/// What happened to a saved sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Opened in the PDF viewer.
    Opened,
    /// Sent to the default printer; `lp`'s own words (e.g. the request id).
    SentToPrinter(String),
    /// `lp` was asked for but is not installed: opened in the viewer instead.
    OpenedWithoutLp,
}

/// How the app hands over a saved sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// As Settings say: `lp` when chosen and installed, else the viewer.
    System,
    /// Only save it (tests, the bench).
    SaveOnly,
}

/// `lp` on the `PATH`, if there is one.
pub fn find_lp() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(if cfg!(windows) { "lp.exe" } else { "lp" }))
        .find(|p| p.is_file())
}

/// Whether `lp` is on the `PATH`, looked up once per run: for screens that show it every frame
/// (Settings). Printing itself looks again ([`find_lp`]), in case it was installed since.
pub fn lp_installed() -> bool {
    static FOUND: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FOUND.get_or_init(|| find_lp().is_some())
}

/// Opens the sheet, or prints it with `lp` when `use_lp` and `lp` is installed.
pub fn deliver(path: &Path, use_lp: bool) -> Result<Delivered, String> {
    if use_lp {
        if let Some(lp) = find_lp() {
            let out = std::process::Command::new(lp)
                .arg("--")
                .arg(path)
                .output()
                .map_err(|e| format!("lp could not be started: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "the printer refused the sheet: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            return Ok(Delivered::SentToPrinter(
                String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            ));
        }
        open(path)?;
        return Ok(Delivered::OpenedWithoutLp);
    }
    open(path)?;
    Ok(Delivered::Opened)
}

fn open(path: &Path) -> Result<(), String> {
    opener::open(path)
        .map_err(|e| format!("it could not be opened in a PDF viewer ({e}); open it from the folder"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_installed_says_what_a_fresh_look_finds() {
        assert_eq!(lp_installed(), find_lp().is_some());
        assert_eq!(lp_installed(), lp_installed(), "the same answer every frame");
    }
}
