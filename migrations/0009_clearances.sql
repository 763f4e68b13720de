-- Written clearances kept on a client's file: a named professional (with their role) has
-- cleared the client for treatment despite one contraindication (a protocol rule of class
-- "needs clearance"), from a date until an expiry. The screening engine relies on one while it
-- is in force. Recorded and signed in one step, then never changed or removed: a clearance
-- that no longer holds expires, or a newer one is recorded.
CREATE TABLE clearances (
    id           TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id    TEXT NOT NULL REFERENCES clients (id),
    rule         TEXT NOT NULL CHECK (length(trim(rule)) BETWEEN 1 AND 200),
    given_by     TEXT NOT NULL CHECK (length(trim(given_by)) BETWEEN 1 AND 120),
    role         TEXT NOT NULL CHECK (length(trim(role)) BETWEEN 1 AND 120),
    given_on     TEXT NOT NULL CHECK (date(given_on) IS given_on),
    expires_on   TEXT NOT NULL CHECK (date(expires_on) IS expires_on AND expires_on >= given_on),
    covers       TEXT NOT NULL CHECK (length(trim(covers)) BETWEEN 1 AND 1000),
    recorded_by  TEXT NOT NULL CHECK (length(trim(recorded_by)) BETWEEN 1 AND 120),
    recorded_at  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX clearances_by_client ON clearances (client_id, given_on);
CREATE TRIGGER clearances_no_update BEFORE UPDATE ON clearances BEGIN
    SELECT RAISE(ABORT, 'A recorded clearance cannot be changed; record a new one instead.');
END;
CREATE TRIGGER clearances_no_delete BEFORE DELETE ON clearances BEGIN
    SELECT RAISE(ABORT, 'A recorded clearance cannot be deleted; it stays on file until it expires.');
END;
CREATE TRIGGER clearances_no_replace BEFORE INSERT ON clearances
WHEN EXISTS (SELECT 1 FROM clearances WHERE id = new.id) BEGIN
    SELECT RAISE(ABORT, 'A recorded clearance cannot be replaced; record a new one instead.');
END;
