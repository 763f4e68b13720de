-- Before-and-after photographs (#20). The picture is a file in `photos/` beside the database,
-- named by the SHA-256 of its bytes (orientation applied, metadata removed); the row records
-- that hash and is signed when written (its content hash in the audit row, like a consent), so
-- the tags and the file it names cannot change unseen. A photo is never deleted: it is hidden
-- with a reason, and only a client's anonymisation erases the picture (file, thumbnail and
-- preview), leaving the row. Thumbnails and previews are kept here for the screens.
--
-- Viewing a photo at full size is audited: `audit_log` gains the action 'view' in place, the
-- same way 0003 added 'anonymise' (`widen_audit_actions` in src/store/migrations.rs).

CREATE TABLE photos (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id   TEXT NOT NULL REFERENCES clients (id),
    session_id  TEXT REFERENCES sessions (id),
    -- A treatment area of the protocol (its code).
    area        TEXT NOT NULL CHECK (length(trim(area)) BETWEEN 1 AND 60),
    view        TEXT NOT NULL CHECK (view IN ('front', 'left_45', 'left_90', 'right_45', 'right_90', 'close_up')),
    taken_on    TEXT NOT NULL CHECK (date(taken_on) IS taken_on AND taken_on >= '1990-01-01'),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    width       INTEGER NOT NULL CHECK (width BETWEEN 1 AND 100000),
    height      INTEGER NOT NULL CHECK (height BETWEEN 1 AND 100000),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    -- The photographs consent in force when the photo was stored.
    consent_id  TEXT NOT NULL REFERENCES consents (id),
    -- Who imported or took it.
    signer_id   TEXT REFERENCES staff (id),
    imported_by TEXT NOT NULL CHECK (length(trim(imported_by)) BETWEEN 1 AND 120),
    signed_at   TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX photos_by_client ON photos (client_id, area, view, taken_on);
CREATE INDEX photos_by_hash ON photos (sha256);
-- The same picture twice in one record is a mistake, refused.
CREATE UNIQUE INDEX photos_once_per_client ON photos (client_id, sha256);

CREATE TRIGGER photos_no_update BEFORE UPDATE ON photos
BEGIN
    SELECT RAISE(ABORT, 'A stored photo is never changed; hide it with a reason, or add a note.');
END;
CREATE TRIGGER photos_no_delete BEFORE DELETE ON photos
BEGIN
    SELECT RAISE(ABORT, 'A stored photo is never deleted; hide it with a reason instead.');
END;
-- As 0006 for other signed rows: an insert colliding with a photo (INSERT OR REPLACE) is refused.
CREATE TRIGGER photos_no_replace BEFORE INSERT ON photos
WHEN EXISTS (SELECT 1 FROM photos WHERE id = new.id OR (client_id = new.client_id AND sha256 = new.sha256))
BEGIN
    SELECT RAISE(ABORT, 'A stored photo cannot be replaced.');
END;
CREATE TRIGGER photos_need_consent BEFORE INSERT ON photos
WHEN NOT EXISTS (SELECT 1 FROM consents WHERE id = new.consent_id AND client_id = new.client_id
                   AND kind = 'photographs' AND withdraws IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'A photo is stored only under the client''s own photographs consent.');
END;
CREATE TRIGGER photos_session_of_client BEFORE INSERT ON photos
WHEN new.session_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM sessions s JOIN treatment_plans p ON p.id = s.plan_id
     WHERE s.id = new.session_id AND p.client_id = new.client_id)
BEGIN
    SELECT RAISE(ABORT, 'A photo is tagged with a session of the same client.');
END;

-- Thumbnail and preview (JPEG), derived from the file; removed only when the photo is erased.
CREATE TABLE photo_images (
    photo_id  TEXT PRIMARY KEY REFERENCES photos (id),
    thumbnail BLOB NOT NULL CHECK (length(thumbnail) BETWEEN 1 AND 2000000),
    preview   BLOB NOT NULL CHECK (length(preview) BETWEEN 1 AND 20000000)
) STRICT;
CREATE TRIGGER photo_images_no_update BEFORE UPDATE ON photo_images
BEGIN
    SELECT RAISE(ABORT, 'A photo''s thumbnail and preview are never changed.');
END;
CREATE TRIGGER photo_images_erased_only BEFORE DELETE ON photo_images
WHEN NOT EXISTS (SELECT 1 FROM photo_events WHERE photo_id = old.photo_id AND kind = 'erase')
BEGIN
    SELECT RAISE(ABORT, 'A photo''s pictures are removed only when its client is anonymised.');
END;

-- What happens to a photo after it is stored, in order: hidden (with why), shown again, a note,
-- erased (anonymisation). Never changed or deleted, except that anonymising clears a note's text.
CREATE TABLE photo_events (
    seq      INTEGER PRIMARY KEY,
    photo_id TEXT NOT NULL REFERENCES photos (id),
    kind     TEXT NOT NULL CHECK (kind IN ('hide', 'show', 'note', 'erase')),
    text     TEXT NOT NULL CHECK (length(text) <= 2000),
    by_id    TEXT REFERENCES staff (id),
    by_name  TEXT NOT NULL CHECK (length(trim(by_name)) BETWEEN 1 AND 120),
    at       TEXT NOT NULL,
    -- A note's text may be cleared only by anonymising (the trigger below); a hiding has a reason.
    CHECK (kind <> 'hide' OR length(trim(text)) >= 1)
) STRICT;
CREATE INDEX photo_events_by_photo ON photo_events (photo_id, seq);
CREATE TRIGGER photo_events_no_update BEFORE UPDATE ON photo_events
WHEN NOT (new.text = '' AND old.kind = 'note' AND new.seq = old.seq AND new.photo_id = old.photo_id
          AND new.kind = old.kind AND new.by_name = old.by_name AND new.at = old.at
          AND EXISTS (SELECT 1 FROM photo_events WHERE photo_id = old.photo_id AND kind = 'erase'))
BEGIN
    SELECT RAISE(ABORT, 'What happened to a photo is never changed.');
END;
CREATE TRIGGER photo_events_no_delete BEFORE DELETE ON photo_events
BEGIN
    SELECT RAISE(ABORT, 'What happened to a photo is never deleted.');
END;
