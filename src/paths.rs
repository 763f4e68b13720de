//! Where the clinic's files live: the OS data folder unless `--db` names a file.

use std::path::{Path, PathBuf};

/// The data folder, e.g. `~/.local/share/needlepoint` on Linux, `%APPDATA%\Needlepoint\data`
/// on Windows. `None` when the OS reports no home folder.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Needlepoint", "Needlepoint").map(|d| d.data_dir().to_path_buf())
}

/// The default database file in the data folder.
pub fn default_db() -> Option<PathBuf> {
    data_dir().map(|d| d.join("needlepoint.db"))
}

/// Where printed sheets and exports are saved: `Documents/Needlepoint`, else the data folder,
/// else the current folder.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.join("Needlepoint")))
        .or_else(|| data_dir().map(|d| d.join("documents")))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Whether `text` is a clinic server's address (`postgres://…`) rather than a file's path.
pub fn is_server_address(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// The folder on this PC that goes with the database at `db`: the file's own folder, or, for a
/// clinic server's database (nothing on this PC is beside it), this user's Needlepoint
/// documents folder.
pub fn folder_of_database(db: &Path) -> PathBuf {
    if db.to_str().is_some_and(is_server_address) {
        return documents_dir();
    }
    db.parent().unwrap_or_else(|| Path::new(".")).to_path_buf()
}

/// Where the app writes client record exports: `exports/` beside the database (in the
/// documents folder for a clinic server).
pub fn exports_dir(db: &Path) -> PathBuf {
    folder_of_database(db).join("exports")
}

/// Writes `bytes` to `path` whole or not at all — the one way the app writes a file (CSV and
/// JSON exports, printed sheets, backup metadata, anchors): into a temporary file with a unique
/// name beside it (creating the folder if needed), flushed to disk, renamed over the name, and
/// the folder flushed so the rename survives a power cut. A failure (a full disk) leaves no
/// half file under the real name, and nothing under the temporary one. On Unix the file is
/// owner-only (0600): these files hold clients' details.
pub fn write_whole_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(
        ".partial-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let partial = PathBuf::from(partial);
    let mut options = std::fs::File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options
        .open(&partial)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    sync_parent(path);
    Ok(())
}

/// An I/O error in words: a full disk is said as such.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::StorageFull => "the disk is full; free some space and try again".to_owned(),
        std::io::ErrorKind::PermissionDenied => format!("{e}; check that the folder may be written to"),
        _ => e.to_string(),
    }
}

/// Flushes the folder holding `path`, so a rename into it is on disk (Unix; elsewhere nothing).
pub fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Creates a folder (and its parents) for clients' files; on Unix a new one is owner-only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes a file owner-only (0600) on Unix; elsewhere nothing.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Folder names of sync services: a database copied by them while open can arrive torn.
const SYNCED_FOLDERS: &[&str] = &[
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "icloud",
    "clouddocs",
];
/// File system types that live on another machine or in user space (network shares, FUSE).
const NETWORK_FS: &[&str] = &["nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs"];

/// A warning when `dir` looks like a cloud-synced folder or a network share (on Linux, from
/// `/proc/mounts`). Backups there may be copied half-written or lost when the share drops.
pub fn risky_location(dir: &Path) -> Option<String> {
    let full = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mounts = if cfg!(target_os = "linux") {
        std::fs::read_to_string("/proc/mounts").unwrap_or_default()
    } else {
        String::new()
    };
    risky_location_in(&full, &mounts)
}

/// [`risky_location`] with the mount table given (the text of `/proc/mounts`).
pub fn risky_location_in(dir: &Path, mounts: &str) -> Option<String> {
    let shown = dir.display();
    for part in dir.components() {
        let name = part.as_os_str().to_string_lossy().to_lowercase();
        if SYNCED_FOLDERS.iter().any(|s| name.contains(s)) {
            return Some(format!(
                "{shown} is inside a cloud-synced folder ({}). Sync can copy a backup while it is \
                 being written; keep backups on this PC's own disk or an external drive instead.",
                part.as_os_str().to_string_lossy()
            ));
        }
    }
    // The longest mount point that holds `dir` decides its file system.
    let mut best: Option<(&str, &str)> = None;
    for line in mounts.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_device), Some(point), Some(fs)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let point_path = Path::new(point);
        if dir.starts_with(point_path) && best.is_none_or(|(p, _)| point.len() > p.len()) {
            best = Some((point, fs));
        }
    }
    let (point, fs) = best?;
    let fs_lower = fs.to_lowercase();
    let network =
        NETWORK_FS.contains(&fs_lower.as_str()) || fs_lower.starts_with("fuse") && fs_lower != "fuseblk";
    network.then(|| {
        format!(
            "{shown} is on a network share or a mounted service ({fs} at {point}). A backup there \
             can be lost or half-written if the connection drops; keep backups on this PC's own \
             disk or an external drive instead."
        )
    })
}

/// A place where the crash tests stop the process as a power cut would: when
/// `NEEDLEPOINT_CRASH_AT` names this point, the process aborts at once (no destructors, no
/// flush). Never set in normal use.
pub fn crash_point(name: &str) {
    if std::env::var_os("NEEDLEPOINT_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTS: &str = "/dev/sda1 / ext4 rw,relatime 0 0\n\
        server:/clinic /mnt/clinic nfs4 rw 0 0\n\
        //nas/share /media/nas cifs rw 0 0\n\
        gdrive: /home/ana/drive fuse.rclone rw 0 0\n\
        /dev/sdb1 /media/usb fuseblk rw 0 0\n";

    #[test]
    fn a_server_database_keeps_its_papers_in_the_documents_folder_not_beside_an_address() {
        let server = Path::new("postgres://desk@clinic-server/clinic");
        assert_eq!(folder_of_database(server), documents_dir());
        assert_eq!(exports_dir(server), documents_dir().join("exports"));
        let file = Path::new("/srv/clinic/clinic.db");
        assert_eq!(exports_dir(file), Path::new("/srv/clinic/exports"));
    }

    #[test]
    fn local_folders_are_fine() {
        assert_eq!(
            risky_location_in(Path::new("/home/ana/needlepoint/backups"), MOUNTS),
            None
        );
        assert_eq!(risky_location_in(Path::new("/media/usb/backups"), MOUNTS), None);
    }

    #[test]
    fn network_and_fuse_mounts_are_flagged() {
        for dir in ["/mnt/clinic/backups", "/media/nas/x", "/home/ana/drive/backups"] {
            let w = risky_location_in(Path::new(dir), MOUNTS);
            assert!(
                w.as_deref().is_some_and(|w| w.contains("network share")),
                "{dir}: {w:?}"
            );
        }
    }

    #[test]
    fn synced_folders_are_flagged_by_name() {
        for dir in [
            "/home/ana/Dropbox/clinic/backups",
            "/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/iCloud Drive",
            "/home/ana/OneDrive - Clinic/backups",
            "/home/ana/Google Drive/backups",
        ] {
            let w = risky_location_in(Path::new(dir), "");
            assert!(
                w.as_deref().is_some_and(|w| w.contains("cloud-synced")),
                "{dir}: {w:?}"
            );
        }
    }
}
