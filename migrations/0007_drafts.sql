-- Unsigned drafts of forms being filled in (a screening, a session record), saved a few seconds
-- after each change so that typed work survives a crash or a closed window. A draft is never a
-- record: it is not signed, not audited, not exported, and it is removed when the form is signed
-- or discarded. One draft per form: a screening by the client (or the screening it amends), a
-- session record by the session.
CREATE TABLE drafts (
    kind TEXT NOT NULL CHECK (kind IN ('screening', 'session')),
    subject_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients(id),
    body TEXT NOT NULL CHECK (json_valid(body)),
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (kind, subject_id)
) STRICT;

CREATE INDEX drafts_by_client ON drafts (client_id);
