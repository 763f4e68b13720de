//! Photographs in the database: the signed row naming the file by its hash, the thumbnail and
//! preview, and what happened to it since (hidden, shown again, notes, erased). Storing needs the
//! client's photographs consent in force; opening a full-size original is audited; marketing
//! use needs the marketing consent; the front desk (and admin) see photos only when the clinical
//! lead allowed it (setting [`FRONT_DESK_KEY`]).

use super::db::Row;
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

use super::error::{StoreError, StoreResult};
use super::photo_files::{self, FileState};
use super::signed::Signed;
use super::{rows, Store, Writer};
use crate::domain::photo::{may_view_photos, Hidden, PhotoNote};
use crate::domain::{
    Act, Actor, AuditAction, ClientId, ConsentKind, ConsentState, Photo, PhotoId, PhotoTags, PhotoView, Role,
};
use crate::imaging::PreparedPhoto;

/// Setting: "1" when the front desk may view clinical photos.
pub const FRONT_DESK_KEY: &str = "photos.front_desk_may_view";
const TABLE: &str = "photos";
const COLUMNS: &str =
    "p.id, p.client_id, p.session_id, p.area, p.view, p.taken_on, p.sha256, p.format, p.width,
     p.height, p.bytes, p.consent_id, p.imported_by, p.signed_at";

/// What a photo export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoUse {
    /// For the client, or their records: the photographs consent covers it.
    Client,
    /// For the clinic's marketing: needs the marketing consent in force.
    Marketing,
}

struct PhotoRow {
    id: String,
    client_id: String,
    session_id: Option<String>,
    area: String,
    view: String,
    taken_on: String,
    sha256: String,
    format: String,
    width: i64,
    height: i64,
    bytes: i64,
    consent_id: String,
    imported_by: String,
    signed_at: String,
}

impl PhotoRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            client_id: r.get(1)?,
            session_id: r.get(2)?,
            area: r.get(3)?,
            view: r.get(4)?,
            taken_on: r.get(5)?,
            sha256: r.get(6)?,
            format: r.get(7)?,
            width: r.get(8)?,
            height: r.get(9)?,
            bytes: r.get(10)?,
            consent_id: r.get(11)?,
            imported_by: r.get(12)?,
            signed_at: r.get(13)?,
        })
    }

    fn into_photo(self) -> StoreResult<Photo> {
        let id = self.id;
        Ok(Photo {
            id: rows::parse(TABLE, &id, "id", &id)?,
            client_id: rows::parse(TABLE, &id, "client", &self.client_id)?,
            session_id: rows::opt_parse(TABLE, &id, "session", self.session_id)?,
            view: PhotoView::from_code(&self.view).map_err(|e| rows::bad(TABLE, &id, e))?,
            taken_on: rows::date(TABLE, &id, &self.taken_on)?,
            width: u32::try_from(self.width).map_err(|e| rows::bad(TABLE, &id, e))?,
            height: u32::try_from(self.height).map_err(|e| rows::bad(TABLE, &id, e))?,
            bytes: u64::try_from(self.bytes).map_err(|e| rows::bad(TABLE, &id, e))?,
            consent_id: rows::parse(TABLE, &id, "consent", &self.consent_id)?,
            imported_at: rows::time(TABLE, &id, &self.signed_at)?,
            area: self.area,
            sha256: self.sha256,
            format: self.format,
            imported_by: self.imported_by,
            hidden: None,
            erased: false,
            notes: Vec::new(),
        })
    }
}

/// Applies a photo's events, oldest first, to what the desk sees of it.
fn apply_events(photo: &mut Photo, events: Vec<(String, String, String, String)>) -> StoreResult<()> {
    for (kind, text, by, at) in events {
        let at = rows::time("photo_events", &photo.id.to_string(), &at)?;
        match kind.as_str() {
            "hide" => photo.hidden = Some(Hidden { reason: text, by, at }),
            "show" => photo.hidden = None,
            "note" => photo.notes.push(PhotoNote { text, by, at }),
            "erase" => photo.erased = true,
            _ => {}
        }
    }
    Ok(())
}

impl Store {
    /// The client's photos (hidden and erased ones too), oldest taken first.
    pub fn photos_of(&self, client: ClientId) -> StoreResult<Vec<Photo>> {
        let mut photos = rows::read_all(
            self.conn(),
            &format!(
                "SELECT {COLUMNS} FROM photos p WHERE p.client_id = ?1 ORDER BY p.taken_on, p.signed_at"
            ),
            [client.to_string()],
            PhotoRow::from_row,
        )?
        .into_iter()
        .map(PhotoRow::into_photo)
        .collect::<StoreResult<Vec<_>>>()?;
        let mut events: HashMap<String, Vec<(String, String, String, String)>> = HashMap::new();
        self.conn().for_each(
            "SELECT e.photo_id, e.kind, e.text, e.by_name, e.at FROM photo_events e
               JOIN photos p ON p.id = e.photo_id WHERE p.client_id = ?1 ORDER BY e.seq",
            [client.to_string()],
            |r| {
                events
                    .entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
                Ok(())
            },
        )?;
        for p in &mut photos {
            if let Some(e) = events.remove(&p.id.to_string()) {
                apply_events(p, e)?;
            }
        }
        Ok(photos)
    }

    /// One photo, or `None`.
    pub fn photo(&self, id: PhotoId) -> StoreResult<Option<Photo>> {
        let client: Option<String> = rows::read_one(
            self.conn(),
            "SELECT client_id FROM photos WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        let Some(client) = client else {
            return Ok(None);
        };
        let client: ClientId = rows::parse(TABLE, &id.to_string(), "client", &client)?;
        Ok(self.photos_of(client)?.into_iter().find(|p| p.id == id))
    }

    /// How many photos each client has, for the record's heading (one query).
    pub fn photo_count(&self, client: ClientId) -> StoreResult<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM photos WHERE client_id = ?1",
            [client.to_string()],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The thumbnail (JPEG) of a photo; `None` once erased.
    pub fn photo_thumbnail(&self, id: PhotoId) -> StoreResult<Option<Vec<u8>>> {
        rows::read_one(
            self.conn(),
            "SELECT thumbnail FROM photo_images WHERE photo_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
    }

    /// The preview (JPEG, up to 1600 px) of a photo; `None` once erased.
    pub fn photo_preview(&self, id: PhotoId) -> StoreResult<Option<Vec<u8>>> {
        rows::read_one(
            self.conn(),
            "SELECT preview FROM photo_images WHERE photo_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
    }

    /// Whether the front desk (and admin) may view clinical photos.
    pub fn front_desk_may_view_photos(&self) -> StoreResult<bool> {
        Ok(self.setting(FRONT_DESK_KEY)?.as_deref() == Some("1"))
    }

    /// Whether `role` may view clinical photos in this clinic.
    pub fn may_view_photos(&self, role: Role) -> StoreResult<bool> {
        Ok(may_view_photos(role, self.front_desk_may_view_photos()?))
    }

    /// Stores a photo for `client`: its file first (named by its hash, written whole), then its
    /// signed row with thumbnail and preview, in one transaction. Refused without the client's
    /// photographs consent in force on `today`.
    pub fn import_photo(
        &mut self,
        actor: impl Into<Actor>,
        client: ClientId,
        tags: &PhotoTags,
        photo: &PreparedPhoto,
        today: NaiveDate,
    ) -> StoreResult<PhotoId> {
        let actor: Actor = actor.into();
        tags.check(today)?;
        // Asked before the file is written, so a refused photo leaves nothing behind; asked
        // again inside the transaction.
        photo_consent(&self.consent_state(client, ConsentKind::Photographs, today)?)?;
        if self.is_server() {
            // On a server the original is a row: kept in the photo's own transaction.
            return self.write(actor, |w| {
                w.keep_original(photo)?;
                w.insert_photo(client, tags, photo, today)
            });
        }
        let dir = photo_files::photos_dir(self.path());
        let file = photo_files::photo_path(&dir, &photo.sha256, photo.format.code());
        let was_there = photo_files::file_state(&file, &photo.sha256) == FileState::Intact;
        photo_files::put(&dir, &photo.sha256, photo.format.code(), &photo.bytes)?;
        let saved = self.write(actor, |w| w.insert_photo(client, tags, photo, today));
        // A file written for a row that was not saved goes again, unless a row (another
        // desk's, meanwhile) names it.
        if saved.is_err() && !was_there && !self.photo_file_named(&photo.sha256)? {
            std::fs::remove_file(&file).ok();
        }
        saved
    }

    /// Whether any photo row names this hash.
    fn photo_file_named(&self, sha256: &str) -> StoreResult<bool> {
        Ok(rows::read_one(
            self.conn(),
            "SELECT 1 FROM photos INDEXED BY photos_by_hash WHERE sha256 = ?1",
            [sha256],
            |_| Ok(()),
        )?
        .is_some())
    }

    /// The original's bytes, verified against its hash, and the viewing audited (every view of
    /// a photo's full size is in the log).
    pub fn open_photo_original(&mut self, actor: impl Into<Actor>, id: PhotoId) -> StoreResult<Vec<u8>> {
        let photo = self.photo(id)?.ok_or(StoreError::NotFound { what: "photo" })?;
        if photo.erased {
            return Err(StoreError::Refused(
                "This photo was erased when its client was anonymised.".to_owned(),
            ));
        }
        let bytes = self.read_original(&photo.sha256, &photo.format)?;
        self.write(actor, |w| w.photo_viewed(&photo, "full size"))?;
        Ok(bytes)
    }

    /// Writes a photo's original to `out` for `purpose`; audited. Marketing needs the client's
    /// marketing consent in force on `today`.
    pub fn export_photo(
        &mut self,
        actor: impl Into<Actor>,
        id: PhotoId,
        purpose: PhotoUse,
        out: &std::path::Path,
        today: NaiveDate,
    ) -> StoreResult<()> {
        let photo = self.photo(id)?.ok_or(StoreError::NotFound { what: "photo" })?;
        if photo.erased {
            return Err(StoreError::Refused(
                "This photo was erased when its client was anonymised.".to_owned(),
            ));
        }
        if purpose == PhotoUse::Marketing {
            let state = self.consent_state(photo.client_id, ConsentKind::Marketing, today)?;
            if !state.is_valid() {
                return Err(StoreError::Refused(format!(
                    "{} A photo is given out for marketing only with the client's marketing consent: have it signed first.",
                    state.words(ConsentKind::Marketing)
                )));
            }
        }
        let bytes = self.read_original(&photo.sha256, &photo.format)?;
        crate::paths::write_whole_file(out, &bytes)
            .map_err(|e| super::backup::io_error("write the photo", out, &e))?;
        let what = match purpose {
            PhotoUse::Client => format!("exported to {}", out.display()),
            PhotoUse::Marketing => format!("exported for marketing to {}", out.display()),
        };
        self.write(actor, |w| w.photo_exported(&photo, &what))
    }
}

/// The consent under which a photo may be stored, or the refusal.
fn photo_consent(state: &ConsentState) -> StoreResult<crate::domain::ConsentId> {
    match state {
        ConsentState::Valid { consent, .. } => Ok(*consent),
        other => Err(StoreError::Refused(format!(
            "{} Photos are stored only with the client's signed photographs consent: have it signed first (Consents in the record).",
            other.words(ConsentKind::Photographs)
        ))),
    }
}

impl Writer<'_> {
    /// Who may work with photos in this action: an active account whose role may (and, for the
    /// front desk and admin, the clinic allows it).
    fn photo_viewer(&self) -> StoreResult<crate::domain::StaffMember> {
        let who = self.acting(Act::Clients)?;
        let allowed: Option<String> = self
            .tx
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [FRONT_DESK_KEY],
                |r| r.get(0),
            )
            .ok();
        if !may_view_photos(who.role, allowed.as_deref() == Some("1")) {
            return Err(StoreError::Refused(format!(
                "A {} account may not see clinical photos unless the clinical lead allows it (Settings).",
                who.role.words()
            )));
        }
        Ok(who)
    }

    /// Lets the front desk (and admin) see clinical photos, or stops it: the clinical lead's
    /// decision, audited.
    pub fn set_front_desk_photos(&mut self, allowed: bool) -> StoreResult<()> {
        let who = self.acting(Act::Settings)?;
        if who.role != Role::ClinicalLead {
            return Err(StoreError::Refused(
                "Only the clinical lead decides whether the front desk sees clinical photos.".to_owned(),
            ));
        }
        self.set_setting(FRONT_DESK_KEY, if allowed { "1" } else { "0" })
    }

    fn insert_photo(
        &mut self,
        client: ClientId,
        tags: &PhotoTags,
        photo: &PreparedPhoto,
        today: NaiveDate,
    ) -> StoreResult<PhotoId> {
        let who = self.acting(Act::Photos)?;
        let consent = photo_consent(&self.consent_state_in(client, ConsentKind::Photographs, today)?)?;
        let taken = self.tx.query_row(
            "SELECT id, taken_on, area, view FROM photos WHERE client_id = ?1 AND sha256 = ?2",
            params![client.to_string(), photo.sha256],
            |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
        );
        if let Ok((on, area)) = taken {
            return Err(StoreError::Refused(format!(
                "This photo is already in the client's record ({area}, taken {on}). Nothing was added."
            )));
        }
        let id = PhotoId::new();
        self.exec(
            "INSERT INTO photos (id, client_id, session_id, area, view, taken_on, sha256, format, width, height,
                bytes, consent_id, signer_id, imported_by, signed_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
            params![
                id.to_string(),
                client.to_string(),
                tags.session.map(|s| s.to_string()),
                tags.area.trim(),
                tags.view.code(),
                tags.taken_on.to_string(),
                photo.sha256,
                photo.format.code(),
                photo.width,
                photo.height,
                photo.bytes.len() as i64,
                consent.to_string(),
                who.id.to_string(),
                who.name,
                self.now
            ],
        )?;
        self.exec(
            "INSERT INTO photo_images (photo_id, thumbnail, preview) VALUES (?1, ?2, ?3)",
            params![id.to_string(), photo.thumbnail, photo.preview],
        )?;
        self.audit_signed(
            Signed::Photo,
            AuditAction::Create,
            &id.to_string(),
            Some(&client.to_string()),
            &format!(
                "photo stored: {}, {}, taken {}, {}×{}, file {}",
                tags.area.trim(),
                tags.view.words(),
                tags.taken_on,
                photo.width,
                photo.height,
                photo_files::shown_path(&photo.sha256, photo.format.code())
            ),
        )?;
        Ok(id)
    }

    fn event(&mut self, photo: &Photo, kind: &str, text: &str) -> StoreResult<()> {
        self.exec(
            "INSERT INTO photo_events (photo_id, kind, text, by_id, by_name, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                photo.id.to_string(),
                kind,
                text,
                self.actor.staff.map(|s| s.to_string()),
                self.actor.name,
                self.now
            ],
        )?;
        Ok(())
    }

    fn stored_photo(&self, id: PhotoId) -> StoreResult<Photo> {
        let row = rows::read_one(
            &self.tx,
            &format!("SELECT {COLUMNS} FROM photos p WHERE p.id = ?1"),
            [id.to_string()],
            PhotoRow::from_row,
        )?
        .ok_or(StoreError::NotFound { what: "photo" })?;
        let mut photo = row.into_photo()?;
        let events = rows::read_all(
            &self.tx,
            "SELECT kind, text, by_name, at FROM photo_events WHERE photo_id = ?1 ORDER BY seq",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        apply_events(&mut photo, events)?;
        Ok(photo)
    }

    /// Hides a photo from timelines and reports, with the reason; it is kept.
    pub fn hide_photo(&mut self, id: PhotoId, reason: &str) -> StoreResult<()> {
        self.acting(Act::Photos)?;
        let reason = crate::domain::text::required("The reason for hiding the photo", reason, 500)?;
        let photo = self.stored_photo(id)?;
        if photo.hidden.is_some() || photo.erased {
            return Err(StoreError::Refused("This photo is already hidden.".to_owned()));
        }
        self.event(&photo, "hide", &reason)?;
        self.audit(
            AuditAction::Update,
            TABLE,
            &id.to_string(),
            Some(&photo.client_id.to_string()),
            &format!("photo hidden: {reason}"),
        )
    }

    /// Shows a hidden photo again.
    pub fn show_photo(&mut self, id: PhotoId) -> StoreResult<()> {
        self.acting(Act::Photos)?;
        let photo = self.stored_photo(id)?;
        if photo.hidden.is_none() {
            return Err(StoreError::Refused("This photo is not hidden.".to_owned()));
        }
        self.event(&photo, "show", "")?;
        self.audit(
            AuditAction::Update,
            TABLE,
            &id.to_string(),
            Some(&photo.client_id.to_string()),
            "photo shown again",
        )
    }

    /// A note on a photo (the picture is never changed).
    pub fn note_photo(&mut self, id: PhotoId, text: &str) -> StoreResult<()> {
        self.photo_viewer()?;
        let text = crate::domain::text::required("The note", text, 2000)?;
        let photo = self.stored_photo(id)?;
        self.event(&photo, "note", &text)?;
        self.audit(
            AuditAction::Update,
            TABLE,
            &id.to_string(),
            Some(&photo.client_id.to_string()),
            "note added to photo",
        )
    }

    fn photo_viewed(&mut self, photo: &Photo, how: &str) -> StoreResult<()> {
        self.photo_viewer()?;
        self.audit(
            AuditAction::View,
            TABLE,
            &photo.id.to_string(),
            Some(&photo.client_id.to_string()),
            &format!(
                "photo viewed ({how}): {}, {}, taken {}",
                photo.area,
                photo.view.words(),
                photo.taken_on
            ),
        )
    }

    fn photo_exported(&mut self, photo: &Photo, what: &str) -> StoreResult<()> {
        self.photo_viewer()?;
        self.audit(
            AuditAction::Export,
            TABLE,
            &photo.id.to_string(),
            Some(&photo.client_id.to_string()),
            &format!("photo {what}"),
        )
    }
}
