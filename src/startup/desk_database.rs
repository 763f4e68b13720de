//! Which database this desk opens when it is started without `--db`: the one chosen in
//! Settings (a clinic server's address, kept in `desk.json` in this PC's data folder), else the
//! file in the data folder. The choice belongs to the PC, not to the clinic's data, so it lives
//! beside the database rather than in it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The desk file's name in the data folder.
pub const DESK_FILE: &str = "desk.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct DeskFile {
    /// A clinic server's address (`postgres://desk@server/clinic`), or none for this PC's file.
    #[serde(default)]
    database: Option<String>,
}

/// Why the desk file could not be used, in the words the console and the problem window show.
#[derive(Debug, thiserror::Error)]
pub enum DeskFileError {
    #[error(
        "This desk's choice of database in {} cannot be read ({problem}). Choose the database again in \
         Settings › This desk's database, or remove the file to use this PC's own file.",
        path.display()
    )]
    Unreadable { path: PathBuf, problem: String },
    #[error("The choice of database could not be saved in {} ({problem}).", path.display())]
    Unsaved { path: PathBuf, problem: String },
}

/// The database chosen for this desk in `data_dir`, if one was; an unreadable choice is an
/// error, never a quiet fall back to another database.
pub fn chosen_database(data_dir: &Path) -> Result<Option<PathBuf>, DeskFileError> {
    let path = data_dir.join(DESK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DeskFileError::Unreadable {
                path,
                problem: crate::paths::describe_io(&e),
            })
        }
    };
    let file: DeskFile = serde_json::from_str(&text).map_err(|e| DeskFileError::Unreadable {
        path: path.clone(),
        problem: e.to_string(),
    })?;
    match file
        .database
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(address) if crate::paths::is_server_address(&address) => Ok(Some(PathBuf::from(address))),
        Some(other) => Err(DeskFileError::Unreadable {
            path,
            problem: format!("\"{other}\" is not a clinic server's address"),
        }),
    }
}

/// Remembers `database` (a server's address) for this desk, or forgets the choice (`None`):
/// the next start without `--db` opens it.
pub fn choose_database(data_dir: &Path, database: Option<&str>) -> Result<(), DeskFileError> {
    let path = data_dir.join(DESK_FILE);
    let file = DeskFile {
        database: database.map(str::to_owned),
    };
    let unsaved = |problem: String| DeskFileError::Unsaved {
        path: path.clone(),
        problem,
    };
    let json = serde_json::to_vec_pretty(&file).map_err(|e| unsaved(e.to_string()))?;
    crate::paths::write_whole_file(&path, &json).map_err(|e| unsaved(crate::paths::describe_io(&e)))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_server_is_remembered_and_forgotten() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(chosen_database(dir.path()).expect("none yet").is_none());
        choose_database(dir.path(), Some("postgres://desk@clinic-server/clinic")).expect("chosen");
        assert_eq!(
            chosen_database(dir.path()).expect("read"),
            Some(PathBuf::from("postgres://desk@clinic-server/clinic"))
        );
        choose_database(dir.path(), None).expect("forgotten");
        assert!(chosen_database(dir.path()).expect("read").is_none());
    }

    #[test]
    fn a_damaged_choice_is_an_error_that_says_how_to_mend_it() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join(DESK_FILE), "{ not json").expect("write");
        let message = chosen_database(dir.path()).expect_err("refused").to_string();
        assert!(
            message.contains("cannot be read") && message.contains("Settings"),
            "{message}"
        );
        std::fs::write(dir.path().join(DESK_FILE), r#"{"database": "C:\\clinic.db"}"#).expect("write");
        let message = chosen_database(dir.path()).expect_err("refused").to_string();
        assert!(message.contains("not a clinic server"), "{message}");
    }
}
