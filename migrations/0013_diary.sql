-- The appointment diary (#18): appointments with a time, a practitioner, a room and a pen;
-- the treatment catalogue; staff working hours; closures.
--
-- Times are the clinic's wall clock: `day` and minutes after midnight, so a diary reads the same
-- whatever the PC's time zone. An appointment without a time (`start_minute` NULL) is one the
-- desk still has to place (a session booked for a date before the diary existed).

CREATE TABLE rooms (
    id         TEXT PRIMARY KEY CHECK (length(id) = 36),
    name       TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX rooms_by_name ON rooms (lower(trim(name)));

-- Pens (and other devices) are shared across rooms, so they are booked on their own.
CREATE TABLE devices (
    id         TEXT PRIMARY KEY CHECK (length(id) = 36),
    name       TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX devices_by_name ON devices (lower(trim(name)));

-- What can be booked and for how long by default (the clinic's diary defaults, not clinical
-- values). `uses_device`: a pen is booked with it.
CREATE TABLE treatment_types (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480 AND minutes % 5 = 0),
    uses_device INTEGER NOT NULL CHECK (uses_device IN (0, 1)),
    position    INTEGER NOT NULL
) STRICT;
INSERT INTO treatment_types (code, name, minutes, uses_device, position) VALUES
    ('consultation', 'Consultation', 30, 0, 1),
    ('microneedling_face', 'Microneedling: face', 60, 1, 2),
    ('microneedling_face_neck', 'Microneedling: face and neck', 75, 1, 3),
    ('microneedling_scalp', 'Microneedling: scalp', 60, 1, 4),
    ('microneedling_body', 'Microneedling: body area', 60, 1, 5),
    ('review', 'Review', 15, 0, 6);

-- A person's working hours on a weekday (1 Monday … 7 Sunday); no row: not working that day.
-- Someone with no rows at all has no hours set, and is not checked against any.
CREATE TABLE working_hours (
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1435 AND start_minute % 5 = 0),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 5 AND 1440 AND end_minute % 5 = 0),
    PRIMARY KEY (staff_id, weekday),
    CHECK (start_minute < end_minute)
) STRICT, WITHOUT ROWID;

-- Days the clinic is closed (holidays).
CREATE TABLE closures (
    day    TEXT PRIMARY KEY CHECK (date(day) IS day),
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 120)
) STRICT, WITHOUT ROWID;

CREATE TABLE appointments (
    id              TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    -- The series session this appointment is for; none for a consultation or a review.
    session_id      TEXT REFERENCES sessions (id),
    treatment       TEXT NOT NULL REFERENCES treatment_types (code),
    day             TEXT NOT NULL CHECK (date(day) IS day),
    start_minute    INTEGER CHECK (start_minute IS NULL OR (start_minute BETWEEN 0 AND 1435 AND start_minute % 5 = 0)),
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 720 AND minutes % 5 = 0),
    practitioner_id TEXT REFERENCES staff (id),
    room_id         TEXT REFERENCES rooms (id),
    device_id       TEXT REFERENCES devices (id),
    status          TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'screened', 'in_treatment', 'done', 'cancelled', 'no_show')),
    -- When the client arrived, on the clinic's clock ("09:34").
    arrived_at      TEXT CHECK (arrived_at IS NULL OR arrived_at GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- Why it was cancelled or missed.
    status_reason   TEXT CHECK (status_reason IS NULL OR length(trim(status_reason)) BETWEEN 1 AND 500),
    -- Why the practitioner is double-booked or booked outside their hours.
    override_reason TEXT CHECK (override_reason IS NULL OR length(trim(override_reason)) BETWEEN 1 AND 500),
    notes           TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (start_minute IS NULL OR start_minute + minutes <= 1440),
    CHECK (start_minute IS NULL OR (practitioner_id IS NOT NULL AND room_id IS NOT NULL)),
    CHECK ((status IN ('cancelled', 'no_show')) = (status_reason IS NOT NULL)),
    -- Only a placed appointment can be under way; one never placed can still be done (its
    -- session signed), cancelled or missed.
    CHECK (status NOT IN ('arrived', 'screened', 'in_treatment') OR (start_minute IS NOT NULL AND arrived_at IS NOT NULL))
) STRICT;
CREATE INDEX appointments_by_day ON appointments (day, start_minute);
CREATE INDEX appointments_by_client ON appointments (client_id, day);
CREATE INDEX appointments_by_session ON appointments (session_id) WHERE session_id IS NOT NULL;
-- Appointments the desk still has to give a time.
CREATE INDEX appointments_to_place ON appointments (day) WHERE start_minute IS NULL AND status = 'booked';

-- No double booking, whichever program writes: a timed appointment that holds its slot (not
-- cancelled, not a no-show) may not overlap another in the same room, with the same pen or for
-- the same client; nor the same practitioner's unless one of the two gives a reason. The app checks first
-- and names the appointment in the way; these are the file's own guard.
CREATE TRIGGER appointments_no_clash_insert BEFORE INSERT ON appointments
WHEN new.start_minute IS NOT NULL AND new.status NOT IN ('cancelled', 'no_show') AND EXISTS (
    SELECT 1 FROM appointments AS a INDEXED BY appointments_by_day
     WHERE a.day = new.day AND a.start_minute < new.start_minute + new.minutes
       AND new.start_minute < a.start_minute + a.minutes
       AND a.id <> new.id AND a.status NOT IN ('cancelled', 'no_show')
       AND (a.room_id = new.room_id OR a.device_id = new.device_id OR a.client_id = new.client_id
            OR (a.practitioner_id = new.practitioner_id AND new.override_reason IS NULL AND a.override_reason IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'That time is taken: the room, the pen or the client already has an appointment then, or the practitioner does and no reason to double-book was given.');
END;
CREATE TRIGGER appointments_no_clash_update BEFORE UPDATE ON appointments
WHEN new.start_minute IS NOT NULL AND new.status NOT IN ('cancelled', 'no_show') AND EXISTS (
    SELECT 1 FROM appointments AS a INDEXED BY appointments_by_day
     WHERE a.day = new.day AND a.start_minute < new.start_minute + new.minutes
       AND new.start_minute < a.start_minute + a.minutes
       AND a.id <> new.id AND a.status NOT IN ('cancelled', 'no_show')
       AND (a.room_id = new.room_id OR a.device_id = new.device_id OR a.client_id = new.client_id
            OR (a.practitioner_id = new.practitioner_id AND new.override_reason IS NULL AND a.override_reason IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'That time is taken: the room, the pen or the client already has an appointment then, or the practitioner does and no reason to double-book was given.');
END;
-- A finished appointment stays as it ended (only its free text may be cleared, by anonymising).
CREATE TRIGGER appointments_final BEFORE UPDATE OF client_id, session_id, treatment, day, start_minute, minutes,
    practitioner_id, room_id, device_id, status, arrived_at, override_reason ON appointments
WHEN old.status IN ('done', 'cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'That appointment is finished (done, cancelled or a no-show) and can no longer be changed; book a new one.');
END;
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
BEGIN
    SELECT RAISE(ABORT, 'An appointment is never deleted; cancel it with a reason.');
END;

-- Sessions booked for a date before the diary become appointments without a time, for the
-- desk to place; the treatment is the default one until the desk chooses.
INSERT INTO appointments (id, client_id, session_id, treatment, day, start_minute, minutes, status, created_at, updated_at)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       client_id, session_id, 'microneedling_face', booked_on, NULL, 60, 'booked',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT hex(randomblob(16)) AS h, p.client_id, s.id AS session_id, s.booked_on
          FROM sessions AS s JOIN treatment_plans AS p ON p.id = s.plan_id
         WHERE s.status = 'booked' AND s.booked_on IS NOT NULL);
