//! Photos' upkeep: `check`'s look at every photo file (missing or changed, by name), and
//! erasing a client's pictures when they are anonymised (the rows and hashes stay; the files go
//! once the anonymisation is saved).

use rusqlite::params;

use super::error::StoreResult;
use super::photo_files::{self, FileState};
use super::{rows, Store, Writer};
use crate::domain::ClientId;

impl Store {
    /// Problems with photo files: missing or changed, by name (for `check`).
    pub fn photo_file_problems(&self) -> StoreResult<Vec<String>> {
        let mut problems = Vec::new();
        let on_server = self.is_server();
        self.conn().for_each(
            "SELECT p.id, p.sha256, p.format, p.area, p.view, p.taken_on, c.full_name FROM photos p
               JOIN clients c ON c.id = p.client_id
              WHERE NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')
              ORDER BY p.rowid",
            [],
            |r| {
                let (id, sha, format): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                let state = self.original_state(&sha, &format)?;
                let what = match state {
                    FileState::Intact => return Ok(()),
                    FileState::Missing => "is missing",
                    FileState::Altered => "was changed after it was stored",
                };
                let original = if on_server {
                    format!("original {} on the server", &sha[..sha.len().min(12)])
                } else {
                    format!("file {}", photo_files::shown_path(&sha, &format))
                };
                problems.push(format!(
                    "photo {id} of {} ({}, {}, taken {}): its {original} {what}",
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?.replace('_', " "),
                    r.get::<_, String>(5)?,
                ));
                Ok(())
            },
        )?;
        let no_pictures: i64 = self.conn().query_row(
            "SELECT count(*) FROM photos p WHERE NOT EXISTS (SELECT 1 FROM photo_images i WHERE i.photo_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')",
            [],
            |r| r.get(0),
        )?;
        if no_pictures > 0 {
            problems.push(format!("{no_pictures} photos have no thumbnail or preview"));
        }
        Ok(problems)
    }

    /// Removes the files of erased photos that no other photo refers to (after anonymising).
    pub fn remove_erased_photo_files(&self) -> StoreResult<usize> {
        let erased: Vec<(String, String)> = rows::read_all(
            self.conn(),
            "SELECT DISTINCT p.sha256, p.format FROM photos p
              WHERE EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')
                AND NOT EXISTS (SELECT 1 FROM photos q WHERE q.sha256 = p.sha256 AND NOT EXISTS
                      (SELECT 1 FROM photo_events f WHERE f.photo_id = q.id AND f.kind = 'erase'))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut removed = 0;
        for (sha, format) in erased {
            if self.remove_original(&sha, &format)? {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl Writer<'_> {
    /// Anonymising: the client's photos are erased (thumbnails and previews removed, note texts
    /// cleared, an erase event each); the rows and hashes stay. The files go after the commit
    /// ([`Store::remove_erased_photo_files`]). Returns how many were erased.
    pub(super) fn erase_photos_of(&mut self, client: ClientId) -> StoreResult<usize> {
        let key = client.to_string();
        let ids: Vec<String> = rows::read_all(
            &self.tx,
            "SELECT id FROM photos p WHERE client_id = ?1
               AND NOT EXISTS (SELECT 1 FROM photo_events e WHERE e.photo_id = p.id AND e.kind = 'erase')",
            [&key],
            |r| r.get(0),
        )?;
        for id in &ids {
            self.exec(
                "INSERT INTO photo_events (photo_id, kind, text, by_id, by_name, at) VALUES (?1, 'erase', 'client anonymised', ?2, ?3, ?4)",
                params![id, self.actor.staff.map(|s| s.to_string()), self.actor.name, self.now],
            )?;
            self.exec("DELETE FROM photo_images WHERE photo_id = ?1", [id])?;
            self.exec(
                "UPDATE photo_events SET text = '' WHERE photo_id = ?1 AND kind = 'note'",
                [id],
            )?;
        }
        Ok(ids.len())
    }
}
