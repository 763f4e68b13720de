-- Needlepoint schema, version 2: which sheets were printed, when and by whom.
-- Signed sessions and screenings never change, so "aftercare printed" is a row of its own.

CREATE TABLE printed_documents (
    id           TEXT PRIMARY KEY CHECK (length(id) = 36),
    kind         TEXT NOT NULL CHECK (kind IN ('aftercare', 'preparation', 'screening')),
    client_id    TEXT NOT NULL REFERENCES clients (id),
    session_id   TEXT REFERENCES sessions (id),
    screening_id TEXT REFERENCES screenings (id),
    -- where the PDF was written
    path         TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4000),
    printed_at   TEXT NOT NULL,
    printed_by   TEXT NOT NULL CHECK (length(trim(printed_by)) BETWEEN 1 AND 120),
    -- a screening copy names its screening; a care sheet names its session
    CHECK ((kind = 'screening') = (screening_id IS NOT NULL)),
    CHECK ((kind = 'screening') = (session_id IS NULL))
) STRICT;
CREATE INDEX printed_documents_by_client ON printed_documents (client_id, printed_at);
CREATE INDEX printed_documents_by_session ON printed_documents (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX printed_documents_by_screening ON printed_documents (screening_id) WHERE screening_id IS NOT NULL;

-- A print is history: the file refuses to change or remove it.
CREATE TRIGGER printed_documents_no_update BEFORE UPDATE ON printed_documents BEGIN
    SELECT RAISE(ABORT, 'A print record cannot be changed.');
END;
CREATE TRIGGER printed_documents_no_delete BEFORE DELETE ON printed_documents BEGIN
    SELECT RAISE(ABORT, 'A print record cannot be deleted.');
END;
