-- Needlepoint schema, version 1. Released migrations are never edited: add a new file instead.
-- Tables are STRICT; CHECK constraints mirror the domain's rules so that no path into the file
-- (the app, a script, a clinic's own SQL) can store what the app would refuse.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value TEXT NOT NULL CHECK (length(value) <= 4000)
) STRICT;

CREATE TABLE clients (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    full_name     TEXT NOT NULL CHECK (length(trim(full_name)) BETWEEN 1 AND 120),
    date_of_birth TEXT NOT NULL CHECK (date(date_of_birth) IS date_of_birth),
    phone         TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 1 AND 40),
    -- the phone's digits only, so "0412" finds "+61 (0)412 555 010"
    phone_digits  TEXT NOT NULL DEFAULT '' CHECK (phone_digits NOT GLOB '*[^0-9]*'),
    email         TEXT CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%')),
    skin_type     INTEGER NOT NULL CHECK (skin_type BETWEEN 1 AND 6),
    notes         TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX clients_by_name ON clients (full_name COLLATE NOCASE);
CREATE INDEX clients_by_birth ON clients (date_of_birth);
CREATE INDEX clients_by_phone ON clients (phone_digits);
CREATE INDEX clients_by_email ON clients (email COLLATE NOCASE);
-- Today view: is this client archived, in one seek (the primary key's index needs two).
CREATE INDEX clients_by_id_archived ON clients (id, archived_at);
-- The client list in name order: covering and ordered exactly as the list asks (name, then id),
-- so a page deep in 100,000 clients skips index entries only, with no sort and no table reads.
CREATE INDEX clients_active_list ON clients (full_name COLLATE NOCASE, id, date_of_birth, phone, email)
    WHERE archived_at IS NULL;

-- Substring search over name, phone digits, email and birth date. Trigram tokens find any part
-- of a word ("ovel" in "Lovelace") through the index, never a scan of the table.
CREATE VIRTUAL TABLE clients_search USING fts5 (
    full_name, phone_digits, email, date_of_birth,
    content = 'clients', content_rowid = 'rowid',
    tokenize = 'trigram remove_diacritics 1'
);

-- Word starts ("che" finds "Amara Chen"), which rank before matches inside a word. Both
-- indexes are read with a LIMIT, so a common fragment costs the same as a rare one.
CREATE VIRTUAL TABLE clients_words USING fts5 (
    full_name, email,
    content = 'clients', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, full_name, phone_digits, email, date_of_birth)
    VALUES (new.rowid, new.full_name, new.phone_digits, new.email, new.date_of_birth);
    INSERT INTO clients_words (rowid, full_name, email) VALUES (new.rowid, new.full_name, new.email);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, full_name, phone_digits, email, date_of_birth)
    VALUES ('delete', old.rowid, old.full_name, old.phone_digits, old.email, old.date_of_birth);
    INSERT INTO clients_words (clients_words, rowid, full_name, email)
    VALUES ('delete', old.rowid, old.full_name, old.email);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF full_name, phone_digits, email, date_of_birth ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, full_name, phone_digits, email, date_of_birth)
    VALUES ('delete', old.rowid, old.full_name, old.phone_digits, old.email, old.date_of_birth);
    INSERT INTO clients_search (rowid, full_name, phone_digits, email, date_of_birth)
    VALUES (new.rowid, new.full_name, new.phone_digits, new.email, new.date_of_birth);
    INSERT INTO clients_words (clients_words, rowid, full_name, email)
    VALUES ('delete', old.rowid, old.full_name, old.email);
    INSERT INTO clients_words (rowid, full_name, email) VALUES (new.rowid, new.full_name, new.email);
END;

CREATE TABLE client_concerns (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id   TEXT NOT NULL REFERENCES clients (id),
    concern     TEXT NOT NULL CHECK (length(concern) BETWEEN 1 AND 200),
    area        TEXT NOT NULL CHECK (length(area) BETWEEN 1 AND 200),
    severity    TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    noted_on    TEXT NOT NULL CHECK (date(noted_on) IS noted_on),
    resolved_on TEXT CHECK (resolved_on IS NULL OR (date(resolved_on) IS resolved_on AND resolved_on >= noted_on)),
    notes       TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX client_concerns_by_client ON client_concerns (client_id);

CREATE TABLE treatment_plans (
    id                   TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id            TEXT NOT NULL REFERENCES clients (id),
    title                TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    start_date           TEXT NOT NULL CHECK (date(start_date) IS start_date),
    sessions_planned     INTEGER NOT NULL CHECK (sessions_planned BETWEEN 1 AND 12),
    interval_min_days    INTEGER NOT NULL CHECK (interval_min_days BETWEEN 7 AND 180),
    interval_target_days INTEGER NOT NULL,
    interval_max_days    INTEGER NOT NULL CHECK (interval_max_days BETWEEN 7 AND 180),
    serums               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(serums) AND json_type(serums) = 'array'),
    status               TEXT NOT NULL CHECK (status IN ('active', 'completed', 'closed')),
    protocol_version     TEXT NOT NULL CHECK (length(protocol_version) BETWEEN 1 AND 100),
    notes                TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    created_at           TEXT NOT NULL,
    CHECK (interval_min_days <= interval_target_days AND interval_target_days <= interval_max_days)
) STRICT;
CREATE INDEX treatment_plans_by_client ON treatment_plans (client_id);
-- Today view: is a session's plan active, and whose is it, in one index seek.
CREATE INDEX treatment_plans_active ON treatment_plans (id, client_id) WHERE status = 'active';

CREATE TABLE plan_concerns (
    plan_id    TEXT NOT NULL REFERENCES treatment_plans (id),
    concern_id TEXT NOT NULL REFERENCES client_concerns (id),
    position   INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (plan_id, concern_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE plan_areas (
    plan_id             TEXT NOT NULL REFERENCES treatment_plans (id),
    area                TEXT NOT NULL CHECK (length(area) BETWEEN 1 AND 200),
    depth_min_hundredths INTEGER NOT NULL CHECK (depth_min_hundredths BETWEEN 10 AND 250),
    depth_max_hundredths INTEGER NOT NULL CHECK (depth_max_hundredths BETWEEN 10 AND 250),
    reason              TEXT CHECK (reason IS NULL OR length(reason) <= 1000),
    PRIMARY KEY (plan_id, area),
    CHECK (depth_min_hundredths <= depth_max_hundredths)
) STRICT, WITHOUT ROWID;

CREATE TABLE products (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    kind        TEXT NOT NULL CHECK (kind IN ('serum', 'needle_cartridge', 'numbing_cream', 'other')),
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    serum       TEXT CHECK (serum IS NULL OR length(serum) BETWEEN 1 AND 200),
    lot_number  TEXT NOT NULL CHECK (length(trim(lot_number)) BETWEEN 1 AND 200),
    expires_on  TEXT NOT NULL CHECK (date(expires_on) IS expires_on),
    sterile     INTEGER NOT NULL CHECK (sterile IN (0, 1)),
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    UNIQUE (kind, name, lot_number)
) STRICT;
CREATE INDEX products_by_lot ON products (lot_number);

CREATE TABLE screenings (
    id                 TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id          TEXT NOT NULL REFERENCES clients (id),
    screened_on        TEXT NOT NULL CHECK (date(screened_on) IS screened_on),
    answers            TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'object'),
    planned_areas      TEXT NOT NULL CHECK (json_valid(planned_areas) AND json_type(planned_areas) = 'array'),
    outcome            TEXT NOT NULL CHECK (outcome IN ('clear', 'caution', 'needs_clearance', 'defer', 'do_not_treat')),
    defer_until        TEXT CHECK (defer_until IS NULL OR date(defer_until) IS defer_until),
    outcome_detail     TEXT NOT NULL CHECK (json_valid(outcome_detail)),
    clearances         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(clearances) AND json_type(clearances) = 'array'),
    protocol_version   TEXT NOT NULL CHECK (length(protocol_version) BETWEEN 1 AND 100),
    signed_by          TEXT CHECK (signed_by IS NULL OR length(trim(signed_by)) BETWEEN 1 AND 120),
    signed_at          TEXT,
    amends             TEXT REFERENCES screenings (id),
    amendment_reason   TEXT CHECK (amendment_reason IS NULL OR length(trim(amendment_reason)) BETWEEN 1 AND 1000),
    created_at         TEXT NOT NULL,
    CHECK ((signed_by IS NULL) = (signed_at IS NULL)),
    CHECK ((amends IS NULL) = (amendment_reason IS NULL)),
    CHECK ((outcome = 'defer') = (defer_until IS NOT NULL))
) STRICT;
CREATE INDEX screenings_by_client ON screenings (client_id, screened_on);
CREATE INDEX screenings_deferred ON screenings (defer_until) WHERE defer_until IS NOT NULL;

-- A signed screening is a clinical record: the file itself refuses to change or remove it.
-- Corrections are new rows whose `amends` points at the original.
CREATE TRIGGER screenings_signed_no_update BEFORE UPDATE ON screenings
WHEN old.signed_at IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'A signed screening cannot be changed; record an amendment instead.');
END;
CREATE TRIGGER screenings_signed_no_delete BEFORE DELETE ON screenings
WHEN old.signed_at IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'A signed screening cannot be deleted; record an amendment instead.');
END;

CREATE TABLE sessions (
    id                       TEXT PRIMARY KEY CHECK (length(id) = 36),
    plan_id                  TEXT NOT NULL REFERENCES treatment_plans (id),
    number                   INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
    status                   TEXT NOT NULL CHECK (status IN ('planned', 'booked', 'done', 'missed', 'cancelled')),
    earliest_on              TEXT NOT NULL CHECK (date(earliest_on) IS earliest_on),
    target_on                TEXT NOT NULL CHECK (date(target_on) IS target_on),
    latest_on                TEXT NOT NULL CHECK (date(latest_on) IS latest_on),
    booked_on                TEXT CHECK (booked_on IS NULL OR date(booked_on) IS booked_on),
    performed_on             TEXT CHECK (performed_on IS NULL OR date(performed_on) IS performed_on),
    practitioner             TEXT CHECK (practitioner IS NULL OR length(trim(practitioner)) BETWEEN 1 AND 120),
    screening_id             TEXT REFERENCES screenings (id),
    serum_product_id         TEXT REFERENCES products (id),
    cartridge_product_id     TEXT REFERENCES products (id),
    numbing_product_id       TEXT REFERENCES products (id),
    serum_reason             TEXT CHECK (serum_reason IS NULL OR length(trim(serum_reason)) BETWEEN 1 AND 1000),
    interval_override_reason TEXT CHECK (interval_override_reason IS NULL OR length(interval_override_reason) <= 1000),
    notes                    TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    signed_by                TEXT CHECK (signed_by IS NULL OR length(trim(signed_by)) BETWEEN 1 AND 120),
    signed_at                TEXT,
    created_at               TEXT NOT NULL,
    UNIQUE (plan_id, number),
    CHECK (earliest_on <= target_on AND target_on <= latest_on),
    CHECK ((status = 'done') = (performed_on IS NOT NULL)),
    CHECK (status <> 'booked' OR booked_on IS NOT NULL),
    CHECK ((signed_by IS NULL) = (signed_at IS NULL)),
    CHECK (signed_at IS NULL OR status = 'done'),
    CHECK (serum_reason IS NULL OR serum_product_id IS NOT NULL)
) STRICT;
CREATE INDEX sessions_by_plan ON sessions (plan_id, number);
-- Open sessions by window end, carrying what the Today view filters on (window, booking,
-- plan, number) so due and overdue are found without reading the sessions themselves.
CREATE INDEX sessions_open_by_latest ON sessions (latest_on, earliest_on, target_on, status, booked_on, plan_id, number)
    WHERE status IN ('planned', 'booked');
-- A plan's open sessions in order: the first is its next session.
CREATE INDEX sessions_open_by_plan ON sessions (plan_id, number, status) WHERE status IN ('planned', 'booked');
CREATE INDEX sessions_booked ON sessions (booked_on) WHERE booked_on IS NOT NULL;
CREATE INDEX sessions_by_serum ON sessions (serum_product_id) WHERE serum_product_id IS NOT NULL;
CREATE INDEX sessions_by_cartridge ON sessions (cartridge_product_id) WHERE cartridge_product_id IS NOT NULL;
CREATE INDEX sessions_by_numbing ON sessions (numbing_product_id) WHERE numbing_product_id IS NOT NULL;

CREATE TRIGGER sessions_signed_no_update BEFORE UPDATE ON sessions
WHEN old.signed_at IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'A signed session cannot be changed; record an amendment instead.');
END;
CREATE TRIGGER sessions_signed_no_delete BEFORE DELETE ON sessions
WHEN old.signed_at IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'A signed session cannot be deleted; record an amendment instead.');
END;

CREATE TABLE session_areas (
    id                TEXT PRIMARY KEY CHECK (length(id) = 36),
    session_id        TEXT NOT NULL REFERENCES sessions (id),
    area              TEXT NOT NULL CHECK (length(area) BETWEEN 1 AND 200),
    depth_hundredths  INTEGER NOT NULL CHECK (depth_hundredths BETWEEN 10 AND 250),
    passes            INTEGER NOT NULL CHECK (passes BETWEEN 1 AND 10),
    depth_reason      TEXT CHECK (depth_reason IS NULL OR length(trim(depth_reason)) BETWEEN 1 AND 1000),
    endpoint          TEXT CHECK (endpoint IS NULL OR length(endpoint) <= 200),
    response          TEXT CHECK (response IS NULL OR length(response) <= 1000),
    UNIQUE (session_id, area)
) STRICT;

-- Areas of a signed session are part of the signed record.
CREATE TRIGGER session_areas_signed_no_update BEFORE UPDATE ON session_areas
WHEN (SELECT signed_at FROM sessions WHERE id = old.session_id) IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'The areas of a signed session cannot be changed; record an amendment instead.');
END;
CREATE TRIGGER session_areas_signed_no_delete BEFORE DELETE ON session_areas
WHEN (SELECT signed_at FROM sessions WHERE id = old.session_id) IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'The areas of a signed session cannot be deleted; record an amendment instead.');
END;
CREATE TRIGGER session_areas_signed_no_insert BEFORE INSERT ON session_areas
WHEN (SELECT signed_at FROM sessions WHERE id = new.session_id) IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'A signed session cannot get new areas; record an amendment instead.');
END;

-- A correction of a signed session: what was wrong, what is right, who signed the correction.
-- The original stays as it was signed; the amendment is itself signed and unchangeable.
CREATE TABLE session_amendments (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
    correction  TEXT NOT NULL CHECK (length(trim(correction)) BETWEEN 1 AND 4000),
    signed_by   TEXT NOT NULL CHECK (length(trim(signed_by)) BETWEEN 1 AND 120),
    signed_at   TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX session_amendments_by_session ON session_amendments (session_id, signed_at);
CREATE TRIGGER session_amendments_no_update BEFORE UPDATE ON session_amendments BEGIN
    SELECT RAISE(ABORT, 'A signed amendment cannot be changed; record another amendment instead.');
END;
CREATE TRIGGER session_amendments_no_delete BEFORE DELETE ON session_amendments BEGIN
    SELECT RAISE(ABORT, 'A signed amendment cannot be deleted; record another amendment instead.');
END;
CREATE TRIGGER session_amendments_signed_only BEFORE INSERT ON session_amendments
WHEN (SELECT signed_at FROM sessions WHERE id = new.session_id) IS NULL BEGIN
    SELECT RAISE(ABORT, 'Only a signed session is corrected by an amendment; change the unsigned session itself.');
END;

-- Who did what, when, to which record. Append-only: the file refuses changes and removals.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL CHECK (length(trim(actor)) BETWEEN 1 AND 120),
    action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'sign', 'amend', 'print', 'export', 'backup', 'restore')),
    table_name TEXT NOT NULL CHECK (length(table_name) BETWEEN 1 AND 64),
    record_id  TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 100),
    client_id  TEXT,
    detail     TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 4000),
    -- A hash chain: row_hash is SHA-256 over prev_hash and this row's fields (see
    -- src/store/audit.rs); prev_hash is the previous row's row_hash (64 zeros for the first).
    -- A removed or altered row breaks the chain, which `needlepoint check` reports.
    prev_hash  TEXT NOT NULL CHECK (length(prev_hash) = 64 AND unhex(prev_hash) IS NOT NULL AND prev_hash = lower(prev_hash)),
    row_hash   TEXT NOT NULL CHECK (length(row_hash) = 64 AND unhex(row_hash) IS NOT NULL AND row_hash = lower(row_hash))
) STRICT;
CREATE INDEX audit_log_by_client ON audit_log (client_id, seq) WHERE client_id IS NOT NULL;
CREATE INDEX audit_log_by_record ON audit_log (record_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;

-- Applied migrations with a checksum of their text: a released migration whose text changed is
-- an error at open, not a silent difference between clinics' databases.
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    applied_at TEXT NOT NULL
) STRICT;
