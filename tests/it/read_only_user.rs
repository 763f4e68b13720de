//! A database in a folder an ordinary user may not write (issue 16, point 8). Root ignores
//! folder permissions (an immutable folder, `chattr +i`, takes another path through SQLite),
//! so the commands run as an unprivileged user: `nobody` through `setpriv` when the tests run
//! as root, or the user running the tests otherwise. Never skipped: without `setpriv` as root,
//! the test fails and says so.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::client;
use needlepoint::store::Store;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("run id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// A folder anyone may enter, holding a copy of the binary an unprivileged user can run.
struct Place {
    dir: tempfile::TempDir,
    binary: PathBuf,
    as_root: bool,
}

impl Place {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let binary = dir.path().join("needlepoint");
        std::fs::copy(env!("CARGO_BIN_EXE_needlepoint"), &binary).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        let as_root = running_as_root();
        if as_root {
            let found = Command::new("setpriv").arg("--version").output();
            assert!(
                found.is_ok_and(|o| o.status.success()),
                "this test runs as root and needs `setpriv` (util-linux) to run the app as an \
                 ordinary user; install util-linux or run the tests as an ordinary user"
            );
        }
        Place { dir, binary, as_root }
    }

    /// Hands `path` (and everything under it) to the user the app will run as.
    fn give(&self, path: &Path) {
        if !self.as_root {
            return;
        }
        std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
        if path.is_dir() {
            for e in std::fs::read_dir(path).unwrap().flatten() {
                self.give(&e.path());
            }
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = if self.as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&self.binary);
            c
        } else {
            Command::new(&self.binary)
        };
        cmd.args(args)
            .env("NEEDLEPOINT_LOG", "error")
            .current_dir(self.dir.path())
            .output()
            .expect("run needlepoint")
    }
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A clinic database, closed cleanly, in its own folder.
fn clinic(place: &Place) -> PathBuf {
    let folder = place.dir.path().join("clinic");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("clinic.db");
    let mut store = Store::open(&db).unwrap();
    let c = client("Ada Lovelace", "1980-01-01", None);
    store.write("Reception", |w| w.insert_client(&c)).unwrap();
    store.close().unwrap();
    place.give(&folder);
    db
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_folder_opens_read_only_for_an_ordinary_user() {
    let place = Place::new();
    let db = clinic(&place);
    let folder = db.parent().unwrap().to_path_buf();
    set_mode(&folder, 0o555);
    let before = std::fs::read(&db).unwrap();
    let d = db.to_str().unwrap();

    let out = place.run(&["check", "--db", d]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("Audit log: ok"), "{}", said(&out));

    let out = place.run(&["recall", "--lot", "HA-1", "--db", d]);
    assert!(out.status.success(), "reading works: {}", said(&out));
    assert!(!said(&out).contains("read-only"), "{}", said(&out));

    // A write is refused as read-only, not as a failure to open.
    let csv = place.dir.path().join("clients.csv");
    std::fs::write(
        &csv,
        "full_name,date_of_birth,skin_type\nGrace Hopper,1906-12-09,II\n",
    )
    .unwrap();
    set_mode(&csv, 0o644);
    let out = place.run(&["import", csv.to_str().unwrap(), "--apply", "--db", d]);
    assert!(!out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("read-only, so nothing was saved"),
        "{}",
        said(&out)
    );

    set_mode(&folder, 0o755);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database is unchanged");
}

#[test]
fn a_read_only_file_in_a_writable_folder_opens_read_only_for_an_ordinary_user() {
    let place = Place::new();
    let db = clinic(&place);
    set_mode(&db, 0o444);
    let d = db.to_str().unwrap();
    let out = place.run(&["check", "--db", d]);
    assert!(out.status.success(), "{}", said(&out));
    let out = place.run(&["recall", "--lot", "HA-1", "--db", d]);
    assert!(out.status.success(), "{}", said(&out));
}
