-- Staff accounts and signatures bound to them (#17). An account is never deleted, only made
-- inactive, so every old signature keeps pointing to a person. Secrets are Argon2id hashes.
CREATE TABLE staff (
    id             TEXT PRIMARY KEY CHECK (length(id) = 36),
    name           TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 120),
    role           TEXT NOT NULL CHECK (role IN ('clinical_lead', 'practitioner', 'front_desk', 'admin')),
    registration   TEXT CHECK (registration IS NULL OR length(trim(registration)) BETWEEN 1 AND 60),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash  TEXT NOT NULL CHECK (substr(password_hash, 1, 10) = '$argon2id$'),
    pin_hash       TEXT NOT NULL CHECK (substr(pin_hash, 1, 10) = '$argon2id$'),
    -- Wrong PINs in a row; at 5 the PIN stops working until the password is used.
    failed_pins    INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
    created_at     TEXT NOT NULL
) STRICT;
-- People sign in by name: one account per name, whatever its case or spaces.
CREATE UNIQUE INDEX staff_by_name ON staff (lower(trim(name)));
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff BEGIN
    SELECT RAISE(ABORT, 'A staff account is never deleted (old signatures point to it); deactivate it instead.');
END;

-- Who signed, by account. NULL on rows signed before sign-in existed (their signed_by text stays).
ALTER TABLE screenings ADD COLUMN signer_id TEXT REFERENCES staff (id);
ALTER TABLE sessions ADD COLUMN signer_id TEXT REFERENCES staff (id);
ALTER TABLE session_amendments ADD COLUMN signer_id TEXT REFERENCES staff (id);
ALTER TABLE clearances ADD COLUMN signer_id TEXT REFERENCES staff (id);
-- Who did it, by account, from now on (hashed into the chain on rows that carry it).
ALTER TABLE audit_log ADD COLUMN actor_id TEXT REFERENCES staff (id);

-- Every new signature names an active account whose role may sign clinical records.
CREATE TRIGGER screenings_signer_may_sign BEFORE INSERT ON screenings
WHEN new.signed_at IS NOT NULL
 AND COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'A screening can only be signed by an active practitioner or clinical lead account.');
END;
CREATE TRIGGER sessions_signer_may_sign_insert BEFORE INSERT ON sessions
WHEN new.signed_at IS NOT NULL
 AND COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'A session can only be signed by an active practitioner or clinical lead account.');
END;
CREATE TRIGGER sessions_signer_may_sign BEFORE UPDATE OF signed_at ON sessions
WHEN new.signed_at IS NOT NULL
 AND COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'A session can only be signed by an active practitioner or clinical lead account.');
END;
CREATE TRIGGER session_amendments_signer_may_sign BEFORE INSERT ON session_amendments
WHEN COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'An amendment can only be signed by an active practitioner or clinical lead account.');
END;
CREATE TRIGGER clearances_signer_may_sign BEFORE INSERT ON clearances
WHEN COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'A clearance can only be recorded by an active practitioner or clinical lead account.');
END;
