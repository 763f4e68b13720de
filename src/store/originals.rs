//! Where a clinic's photo originals are: files beside its database file (`photo_files.rs`), or
//! the `photo_originals` table on its server, where every desk reads them and the server's own
//! backups carry them. Either way an original is named by its SHA-256 and verified against it
//! whenever it is read.

use super::db::Db;
use super::error::{StoreError, StoreResult};
use super::photo_files::{self, FileState};
use super::{Store, Writer};
use crate::imaging::PreparedPhoto;

/// Every picture a photo not erased shows (sha256, format): the originals a copy must carry.
pub(super) const KEPT_ORIGINALS: &str = "SELECT DISTINCT p.sha256, p.format FROM photos p
      WHERE NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')";

impl Store {
    /// Whether the original is there with the bytes its name says.
    pub(super) fn original_state(&self, sha256: &str, format: &str) -> StoreResult<FileState> {
        match self.conn() {
            Db::Sqlite(_) => Ok(photo_files::file_state(
                &photo_files::photo_path(&photo_files::photos_dir(self.path()), sha256, format),
                sha256,
            )),
            Db::Postgres(_) => Ok(
                match self.conn().query_one(
                    "SELECT encode(sha256(bytes), 'hex') = sha256 FROM photo_originals WHERE sha256 = ?1",
                    [sha256],
                    |r| r.get::<_, bool>(0),
                )? {
                    None => FileState::Missing,
                    Some(true) => FileState::Intact,
                    Some(false) => FileState::Altered,
                },
            ),
        }
    }

    /// The original's bytes, verified against its name.
    pub(super) fn read_original(&self, sha256: &str, format: &str) -> StoreResult<Vec<u8>> {
        match self.conn() {
            Db::Sqlite(_) => {
                photo_files::read_verified(&photo_files::photos_dir(self.path()), sha256, format)
            }
            Db::Postgres(_) => {
                let bytes: Option<Vec<u8>> = self.conn().query_one(
                    "SELECT bytes FROM photo_originals WHERE sha256 = ?1",
                    [sha256],
                    |r| r.get(0),
                )?;
                let bytes = bytes.ok_or_else(|| {
                    StoreError::Refused(format!(
                        "The photo's original ({}) is missing on the clinic server. Restore the server's backup \
                         (needlepoint check lists every missing photo).",
                        &sha256[..sha256.len().min(12)]
                    ))
                })?;
                if crate::imaging::sha256_hex(&bytes) != sha256 {
                    return Err(StoreError::Refused(format!(
                        "The photo's original ({}) was changed on the clinic server after it was stored; it is not \
                         shown. Restore the server's backup.",
                        &sha256[..sha256.len().min(12)]
                    )));
                }
                Ok(bytes)
            }
        }
    }

    /// Removes an erased photo's original; whether it was there.
    pub(super) fn remove_original(&self, sha256: &str, format: &str) -> StoreResult<bool> {
        match self.conn() {
            Db::Sqlite(_) => Ok(std::fs::remove_file(photo_files::photo_path(
                &photo_files::photos_dir(self.path()),
                sha256,
                format,
            ))
            .is_ok()),
            Db::Postgres(_) => Ok(self
                .conn()
                .execute("DELETE FROM photo_originals WHERE sha256 = ?1", [sha256])?
                > 0),
        }
    }
}

impl Writer<'_> {
    /// On a server, keeps the original in this transaction (once per picture): the photo's
    /// row and its original are saved together or not at all.
    pub(super) fn keep_original(&mut self, photo: &PreparedPhoto) -> StoreResult<()> {
        self.exec(
            "INSERT INTO photo_originals (sha256, format, bytes) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING",
            rusqlite::params![photo.sha256, photo.format.code(), photo.bytes],
        )?;
        Ok(())
    }
}
