-- Client data rights: anonymising a client is an audit action of its own, so a data protection
-- officer can list every anonymisation. SQLite cannot change a CHECK constraint in place, so the
-- audit log is rebuilt with the longer list: every row is copied unchanged (the hash chain covers
-- the same fields, so it still verifies), then the indexes and append-only triggers come back.

CREATE TABLE audit_log_rebuilt (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL CHECK (length(trim(actor)) BETWEEN 1 AND 120),
    action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'sign', 'amend', 'print', 'export',
                                               'backup', 'restore', 'anonymise')),
    table_name TEXT NOT NULL CHECK (length(table_name) BETWEEN 1 AND 64),
    record_id  TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 100),
    client_id  TEXT,
    detail     TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 4000),
    -- A hash chain: row_hash is SHA-256 over prev_hash and this row's fields (see
    -- src/store/audit.rs); prev_hash is the previous row's row_hash (64 zeros for the first).
    prev_hash  TEXT NOT NULL CHECK (length(prev_hash) = 64 AND prev_hash NOT GLOB '*[^0-9a-f]*'),
    row_hash   TEXT NOT NULL CHECK (length(row_hash) = 64 AND row_hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

INSERT INTO audit_log_rebuilt (seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash)
SELECT seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash
FROM audit_log ORDER BY seq;

-- Keep the highest seq ever handed out: a log whose end was removed must still show as broken.
DELETE FROM sqlite_sequence WHERE name = 'audit_log_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_log_rebuilt', seq FROM sqlite_sequence WHERE name = 'audit_log';

-- Dropping a table fires none of its triggers (they are dropped first).
DROP TABLE audit_log;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;

CREATE INDEX audit_log_by_client ON audit_log (client_id, seq) WHERE client_id IS NOT NULL;
CREATE INDEX audit_log_by_record ON audit_log (record_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only.');
END;
