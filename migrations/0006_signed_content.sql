-- Needlepoint schema: signed rows cannot be replaced, and what was signed is hashed.
--
-- 1. `INSERT OR REPLACE` (and `REPLACE INTO`, and `UPDATE OR REPLACE` onto another row's key)
--    removes the row it collides with without firing its DELETE triggers (SQLite fires them
--    only with `PRAGMA recursive_triggers` on, which nobody else's tool sets). So the triggers
--    of 0001 that refuse changing or deleting a signed row did not stop a signed screening
--    being replaced by one with another outcome. The triggers below refuse, in the file
--    itself, any insert or key change that would collide with a signed row (screenings,
--    sessions, the areas of a signed session, amendments) or with an audit row. An upsert's
--    `DO UPDATE` is an UPDATE and already refused by 0001's triggers. (Consents and photos get
--    the same triggers in the migration that adds them.)
--
-- 2. `audit_log.content_hash`: the SHA-256 of what was signed (the signed row and its child
--    rows; defined once in src/store/signed.rs), carried by the audit row that records the
--    signing and hashed into the chain. `needlepoint check` recomputes it for every signed
--    row. Rows signed before this version get an audit row with their hash taken now, in this
--    migration's transaction (src/store/migrations.rs, `hash_signed_rows`), saying so.

ALTER TABLE audit_log ADD COLUMN content_hash TEXT
    CHECK (content_hash IS NULL OR (length(content_hash) = 64 AND unhex(content_hash) IS NOT NULL AND content_hash = lower(content_hash)));
CREATE INDEX audit_log_signed ON audit_log (table_name, record_id) WHERE content_hash IS NOT NULL;

CREATE TRIGGER screenings_signed_no_replace BEFORE INSERT ON screenings
WHEN EXISTS (SELECT 1 FROM screenings WHERE id = new.id AND signed_at IS NOT NULL) BEGIN
    SELECT RAISE(ABORT, 'A signed screening cannot be replaced; record an amendment instead.');
END;
CREATE TRIGGER screenings_signed_no_rekey BEFORE UPDATE OF id ON screenings
WHEN EXISTS (SELECT 1 FROM screenings WHERE id = new.id AND signed_at IS NOT NULL AND rowid <> old.rowid) BEGIN
    SELECT RAISE(ABORT, 'A signed screening cannot be replaced; record an amendment instead.');
END;

CREATE TRIGGER sessions_signed_no_replace BEFORE INSERT ON sessions
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = new.id AND signed_at IS NOT NULL)
  OR EXISTS (SELECT 1 FROM sessions WHERE plan_id = new.plan_id AND number = new.number AND signed_at IS NOT NULL) BEGIN
    SELECT RAISE(ABORT, 'A signed session cannot be replaced; record an amendment instead.');
END;
CREATE TRIGGER sessions_signed_no_rekey BEFORE UPDATE OF id, plan_id, number ON sessions
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = new.id AND signed_at IS NOT NULL AND rowid <> old.rowid)
  OR EXISTS (SELECT 1 FROM sessions WHERE plan_id = new.plan_id AND number = new.number
             AND signed_at IS NOT NULL AND rowid <> old.rowid) BEGIN
    SELECT RAISE(ABORT, 'A signed session cannot be replaced; record an amendment instead.');
END;

-- A new area for a signed session is refused by 0001; here: an area of a signed session
-- replaced through its id, or an area moved onto a signed session or onto one of its areas.
CREATE TRIGGER session_areas_signed_no_replace BEFORE INSERT ON session_areas
WHEN EXISTS (SELECT 1 FROM session_areas a JOIN sessions s ON s.id = a.session_id
             WHERE a.id = new.id AND s.signed_at IS NOT NULL) BEGIN
    SELECT RAISE(ABORT, 'The areas of a signed session cannot be replaced; record an amendment instead.');
END;
CREATE TRIGGER session_areas_signed_no_rekey BEFORE UPDATE OF id, session_id, area ON session_areas
WHEN (SELECT signed_at FROM sessions WHERE id = new.session_id) IS NOT NULL
  OR EXISTS (SELECT 1 FROM session_areas a JOIN sessions s ON s.id = a.session_id
             WHERE a.id = new.id AND a.rowid <> old.rowid AND s.signed_at IS NOT NULL) BEGIN
    SELECT RAISE(ABORT, 'The areas of a signed session cannot be replaced; record an amendment instead.');
END;

CREATE TRIGGER session_amendments_no_replace BEFORE INSERT ON session_amendments
WHEN EXISTS (SELECT 1 FROM session_amendments WHERE id = new.id) BEGIN
    SELECT RAISE(ABORT, 'A signed amendment cannot be replaced; record another amendment instead.');
END;

CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = new.seq) BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;
