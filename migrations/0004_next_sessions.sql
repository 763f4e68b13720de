-- Needlepoint schema, version 4: each active series' next open session, kept by triggers.
--
-- The Today lists "due this week" and "overdue" are about a plan's next open session only
-- (its lowest-numbered planned or booked one), of an active plan, of a client not archived.
-- Found from `sessions` at query time that took three index seeks per open session: 8 s for
-- the lists at a million clients. This table holds one row per such plan, with what the lists
-- show, ordered by the window's end, so each list is one range of one table.
--
-- It is derived data, never written by the app: the triggers below rebuild a plan's row in the
-- same transaction as any change to its sessions, its status or title, or its client's name or
-- archiving. Demo loading sets these triggers aside and rebuilds the table once at the end
-- (src/store/bulk.rs), like the search index.

CREATE TABLE next_sessions (
    latest_on        TEXT NOT NULL,
    plan_id          TEXT NOT NULL,
    earliest_on      TEXT NOT NULL,
    target_on        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('planned', 'booked')),
    booked_on        TEXT,
    session_id       TEXT NOT NULL,
    number           INTEGER NOT NULL,
    sessions_planned INTEGER NOT NULL,
    title            TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    full_name        TEXT NOT NULL,
    PRIMARY KEY (latest_on, plan_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX next_sessions_by_plan ON next_sessions (plan_id);
CREATE INDEX next_sessions_by_client ON next_sessions (client_id);

-- What `next_sessions` holds, derived from the tables: a plan's lowest-numbered open session
-- (SQLite's min() gives the other columns from that row). A WHERE on plan_id reaches into the
-- GROUP BY (push-down), so a trigger's refresh of one plan reads only that plan's sessions.
CREATE VIEW next_sessions_derived AS
SELECT s.latest_on, s.plan_id, s.earliest_on, s.target_on, s.status, s.booked_on, s.id AS session_id,
       min(s.number) AS number, p.sessions_planned, p.title, p.client_id, c.full_name
FROM sessions AS s INDEXED BY sessions_open_by_plan
CROSS JOIN treatment_plans AS p ON p.id = s.plan_id
CROSS JOIN clients AS c ON c.id = p.client_id
WHERE s.status IN ('planned', 'booked') AND p.status = 'active' AND c.archived_at IS NULL
GROUP BY s.plan_id;

INSERT INTO next_sessions SELECT * FROM next_sessions_derived;

CREATE TRIGGER next_sessions_session_insert AFTER INSERT ON sessions BEGIN
    DELETE FROM next_sessions WHERE plan_id = new.plan_id;
    INSERT INTO next_sessions SELECT * FROM next_sessions_derived WHERE plan_id = new.plan_id;
END;

CREATE TRIGGER next_sessions_session_update AFTER UPDATE ON sessions BEGIN
    DELETE FROM next_sessions WHERE plan_id IN (old.plan_id, new.plan_id);
    INSERT INTO next_sessions SELECT * FROM next_sessions_derived WHERE plan_id IN (old.plan_id, new.plan_id);
END;

CREATE TRIGGER next_sessions_session_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM next_sessions WHERE plan_id = old.plan_id;
    INSERT INTO next_sessions SELECT * FROM next_sessions_derived WHERE plan_id = old.plan_id;
END;

CREATE TRIGGER next_sessions_plan_update AFTER UPDATE OF status, title, sessions_planned, client_id
ON treatment_plans BEGIN
    DELETE FROM next_sessions WHERE plan_id = new.id;
    INSERT INTO next_sessions SELECT * FROM next_sessions_derived WHERE plan_id = new.id;
END;

CREATE TRIGGER next_sessions_plan_delete AFTER DELETE ON treatment_plans BEGIN
    DELETE FROM next_sessions WHERE plan_id = old.id;
END;

-- A renamed, anonymised, archived or restored client: all of their plans. (The view cannot be
-- narrowed by client without reading every plan, so this one starts from the client's plans.)
CREATE TRIGGER next_sessions_client_update AFTER UPDATE OF full_name, archived_at ON clients BEGIN
    DELETE FROM next_sessions WHERE client_id = new.id;
    INSERT INTO next_sessions
    SELECT s.latest_on, s.plan_id, s.earliest_on, s.target_on, s.status, s.booked_on, s.id, min(s.number),
           p.sessions_planned, p.title, p.client_id, c.full_name
    FROM treatment_plans AS p INDEXED BY treatment_plans_by_client
    CROSS JOIN sessions AS s INDEXED BY sessions_open_by_plan ON s.plan_id = p.id
    CROSS JOIN clients AS c ON c.id = p.client_id
    WHERE p.client_id = new.id AND s.status IN ('planned', 'booked')
      AND p.status = 'active' AND c.archived_at IS NULL
    GROUP BY s.plan_id;
END;
