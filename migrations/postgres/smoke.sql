-- Smoke test of the server schema (0001_schema.sql and the steps after it): run against a database where it was applied (empty or not):
--     psql -v ON_ERROR_STOP=1 -d DB -f migrations/postgres/smoke.sql
-- Everything happens in one transaction that is rolled back at the end: nothing is left
-- behind. Any failed check stops the script with an error (exit code 3); the last line printed
-- on success is "smoke: all checks passed".
\set ON_ERROR_STOP 1
\pset pager off
SET client_min_messages = warning;

BEGIN;

-- ---------------------------------------------------------------------------------------------
-- Helpers (temporary: gone with the session)
-- ---------------------------------------------------------------------------------------------

-- The statement must be refused by a trigger (SQLSTATE P0001) with exactly this message.
CREATE FUNCTION pg_temp.expect_refused(stmt text, expected text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE stmt;
    EXCEPTION WHEN OTHERS THEN
        IF SQLSTATE = 'P0001' AND SQLERRM = expected THEN
            RETURN 'refused: ' || expected;
        END IF;
        RAISE EXCEPTION 'smoke: [%] was refused with % "%", expected "%"', stmt, SQLSTATE, SQLERRM, expected;
    END;
    RAISE EXCEPTION 'smoke: [%] was accepted, expected the refusal "%"', stmt, expected;
END $$;

-- The statement must fail with this SQLSTATE (any message).
CREATE FUNCTION pg_temp.expect_sqlstate(stmt text, state text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE stmt;
    EXCEPTION WHEN OTHERS THEN
        IF SQLSTATE = state THEN
            RETURN 'failed as expected (' || state || '): ' || SQLERRM;
        END IF;
        RAISE EXCEPTION 'smoke: [%] failed with % "%", expected SQLSTATE %', stmt, SQLSTATE, SQLERRM, state;
    END;
    RAISE EXCEPTION 'smoke: [%] was accepted, expected SQLSTATE %', stmt, state;
END $$;

CREATE FUNCTION pg_temp.assert_true(ok boolean, what text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'smoke: check failed: %', what;
    END IF;
    RETURN 'ok: ' || what;
END $$;

-- next_sessions holds exactly what next_sessions_derived says (check.rs's comparison).
CREATE FUNCTION pg_temp.next_sessions_in_step() RETURNS boolean LANGUAGE sql AS $$
    SELECT NOT EXISTS (SELECT * FROM next_sessions EXCEPT SELECT * FROM next_sessions_derived)
       AND NOT EXISTS (SELECT * FROM next_sessions_derived EXCEPT SELECT * FROM next_sessions)
$$;

-- The plan of `stmt` (EXPLAIN, no costs) must name an index matching the regex `idx`.
CREATE FUNCTION pg_temp.plan_uses(stmt text, idx text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || stmt LOOP
        plan := plan || line || E'\n';
    END LOOP;
    IF plan !~ ('Index (Only )?Scan (Backward )?(using|on) ' || idx || '\M') THEN
        RAISE EXCEPTION 'smoke: the plan of [%] does not use index %:%', stmt, idx, E'\n' || plan;
    END IF;
    RETURN 'uses ' || idx || E':\n' || plan;
END $$;

\pset tuples_only on
\pset format unaligned

-- ---------------------------------------------------------------------------------------------
-- A client, a screening, signed; what a signed screening refuses
-- ---------------------------------------------------------------------------------------------
\echo '--- signed screening'

INSERT INTO staff (id, name, role, password_hash, pin_hash, created_at) VALUES
    ('smoke000-0000-7000-8000-00000000a001', 'Dr Smoke Lead', 'clinical_lead', '$argon2id$v=19$x', '$argon2id$v=19$y', '2026-12-05T09:00:00.000Z'),
    ('smoke000-0000-7000-8000-00000000a002', 'Smoke Desk', 'front_desk', '$argon2id$v=19$x', '$argon2id$v=19$y', '2026-12-05T09:00:00.000Z');
SELECT pg_temp.expect_sqlstate($q$INSERT INTO staff (id, name, role, password_hash, pin_hash, created_at)
    VALUES ('smoke000-0000-7000-8000-00000000a003', '  dr smoke LEAD ', 'admin', '$argon2id$a', '$argon2id$b', 't')$q$, '23505');

INSERT INTO clients (id, full_name, date_of_birth, phone, phone_digits, email, skin_type, created_at, updated_at)
VALUES ('smoke000-0000-7000-8000-00000000c001', 'Smoke Testperson', '1990-02-14', '+61 (0)412 555 010', '610412555010',
        'smoke@example.com', 3, '2026-12-05T09:00:00.000Z', '2026-12-05T09:00:00.000Z');
-- Checks as SQLite's: a date that is not a calendar date, a phone with other than digits.
SELECT pg_temp.expect_sqlstate($q$UPDATE clients SET date_of_birth = '1990-02-30' WHERE id = 'smoke000-0000-7000-8000-00000000c001'$q$, '23514');
SELECT pg_temp.expect_sqlstate($q$UPDATE clients SET phone_digits = '0412 555' WHERE id = 'smoke000-0000-7000-8000-00000000c001'$q$, '23514');

INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail, protocol_version, created_at)
VALUES ('smoke000-0000-7000-8000-00000000s001', 'smoke000-0000-7000-8000-00000000c001', '2026-12-05', '{"pregnant": false}',
        '["face"]', 'clear', '{}', '2026.12', '2026-12-05T09:10:00.000Z'),
       ('smoke000-0000-7000-8000-00000000s002', 'smoke000-0000-7000-8000-00000000c001', '2026-12-05', '{}',
        '[]', 'clear', '{}', '2026.12', '2026-12-05T09:11:00.000Z');
SELECT pg_temp.expect_sqlstate($q$UPDATE screenings SET answers = '{not json' WHERE id = 'smoke000-0000-7000-8000-00000000s002'$q$, '23514');
SELECT pg_temp.expect_sqlstate($q$UPDATE screenings SET answers = '[]' WHERE id = 'smoke000-0000-7000-8000-00000000s002'$q$, '23514');
-- Unsigned: may change. Then signed.
UPDATE screenings SET outcome = 'caution' WHERE id = 'smoke000-0000-7000-8000-00000000s001';
UPDATE screenings SET signed_by = 'Dr Smoke Lead', signed_at = '2026-12-05T09:15:00.000Z',
       signer_id = 'smoke000-0000-7000-8000-00000000a001'
 WHERE id = 'smoke000-0000-7000-8000-00000000s001';

SELECT pg_temp.expect_refused($q$UPDATE screenings SET outcome = 'clear' WHERE id = 'smoke000-0000-7000-8000-00000000s001'$q$,
    'A signed screening cannot be changed; record an amendment instead.');
SELECT pg_temp.expect_refused($q$DELETE FROM screenings WHERE id = 'smoke000-0000-7000-8000-00000000s001'$q$,
    'A signed screening cannot be deleted; record an amendment instead.');
SELECT pg_temp.expect_refused($q$TRUNCATE screenings CASCADE$q$,
    'A signed screening cannot be deleted; record an amendment instead.');
-- Without CASCADE, PostgreSQL refuses first because other tables refer to screenings.
SELECT pg_temp.expect_sqlstate($q$TRUNCATE screenings$q$, '0A000');
-- SQLite's INSERT OR REPLACE becomes, on PostgreSQL, an upsert or a delete and an insert:
SELECT pg_temp.expect_refused($q$INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail, protocol_version, created_at)
    VALUES ('smoke000-0000-7000-8000-00000000s001', 'smoke000-0000-7000-8000-00000000c001', '2026-12-05', '{}', '[]', 'do_not_treat', '{}', 'v', 't')
    ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome$q$,
    'A signed screening cannot be replaced; record an amendment instead.');
SELECT pg_temp.expect_refused($q$INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail, protocol_version, created_at)
    VALUES ('smoke000-0000-7000-8000-00000000s001', 'smoke000-0000-7000-8000-00000000c001', '2026-12-05', '{}', '[]', 'do_not_treat', '{}', 'v', 't')$q$,
    'A signed screening cannot be replaced; record an amendment instead.');
SELECT pg_temp.expect_refused($q$UPDATE screenings SET id = 'smoke000-0000-7000-8000-00000000s001' WHERE id = 'smoke000-0000-7000-8000-00000000s002'$q$,
    'A signed screening cannot be replaced; record an amendment instead.');
SELECT pg_temp.expect_refused($q$INSERT INTO screenings (id, client_id, screened_on, answers, planned_areas, outcome, outcome_detail, protocol_version,
        signed_by, signed_at, signer_id, created_at)
    VALUES ('smoke000-0000-7000-8000-00000000s003', 'smoke000-0000-7000-8000-00000000c001', '2026-12-05', '{}', '[]', 'clear', '{}', 'v',
        'Smoke Desk', '2026-12-05T09:20:00.000Z', 'smoke000-0000-7000-8000-00000000a002', 't')$q$,
    'A screening can only be signed by an active practitioner or clinical lead account.');
SELECT pg_temp.assert_true((SELECT outcome FROM screenings WHERE id = 'smoke000-0000-7000-8000-00000000s001') = 'caution',
    'the signed screening is as it was signed');

-- ---------------------------------------------------------------------------------------------
-- Sessions and next_sessions (the derived table and its triggers)
-- ---------------------------------------------------------------------------------------------
\echo '--- next_sessions triggers'

INSERT INTO treatment_plans (id, client_id, title, start_date, sessions_planned, interval_min_days, interval_target_days,
                             interval_max_days, status, protocol_version, created_at)
VALUES ('smoke000-0000-7000-8000-00000000p001', 'smoke000-0000-7000-8000-00000000c001', 'Smoke plan', '2026-12-01', 3, 21, 28, 42,
        'active', '2026.12', '2026-12-05T09:30:00.000Z');
SELECT pg_temp.assert_true(NOT EXISTS (SELECT 1 FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001'),
    'a plan without sessions has no next session');

-- next_sessions_session_insert
INSERT INTO sessions (id, plan_id, number, status, earliest_on, target_on, latest_on, created_at)
SELECT 'smoke000-0000-7000-8000-0000000000e' || n, 'smoke000-0000-7000-8000-00000000p001', n, 'planned',
       to_char(date '2026-12-01' + 28 * (n - 1) - 7, 'YYYY-MM-DD'), to_char(date '2026-12-01' + 28 * (n - 1), 'YYYY-MM-DD'),
       to_char(date '2026-12-01' + 28 * (n - 1) + 14, 'YYYY-MM-DD'), '2026-12-05T09:30:00.000Z'
FROM generate_series(1, 3) AS n;
SELECT pg_temp.assert_true((SELECT number = 1 AND session_id = 'smoke000-0000-7000-8000-0000000000e1' AND title = 'Smoke plan'
                                   AND full_name = 'Smoke Testperson' AND latest_on = '2026-12-15'
                              FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001'),
    'session insert: the plan''s next session is number 1');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- next_sessions_session_update: session 1 done and signed, so session 2 is next.
INSERT INTO session_areas (id, session_id, area, depth_hundredths, passes)
VALUES ('smoke000-0000-7000-8000-0000000ar001', 'smoke000-0000-7000-8000-0000000000e1', 'face', 50, 2);
UPDATE sessions SET status = 'done', performed_on = '2026-12-02', practitioner = 'Dr Smoke Lead',
       signed_by = 'Dr Smoke Lead', signed_at = '2026-12-02T11:00:00.000Z', signer_id = 'smoke000-0000-7000-8000-00000000a001'
 WHERE id = 'smoke000-0000-7000-8000-0000000000e1';
SELECT pg_temp.assert_true((SELECT number FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001') = 2,
    'session update: session 1 done, number 2 is next');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- What a signed session refuses.
SELECT pg_temp.expect_refused($q$UPDATE sessions SET notes = 'x' WHERE id = 'smoke000-0000-7000-8000-0000000000e1'$q$,
    'A signed session cannot be changed; record an amendment instead.');
SELECT pg_temp.expect_refused($q$DELETE FROM sessions WHERE id = 'smoke000-0000-7000-8000-0000000000e1'$q$,
    'A signed session cannot be deleted; record an amendment instead.');
SELECT pg_temp.expect_refused($q$INSERT INTO session_areas (id, session_id, area, depth_hundredths, passes)
    VALUES ('smoke000-0000-7000-8000-0000000ar002', 'smoke000-0000-7000-8000-0000000000e1', 'neck', 50, 2)$q$,
    'A signed session cannot get new areas; record an amendment instead.');
SELECT pg_temp.expect_refused($q$UPDATE session_areas SET passes = 3 WHERE id = 'smoke000-0000-7000-8000-0000000ar001'$q$,
    'The areas of a signed session cannot be changed; record an amendment instead.');
SELECT pg_temp.expect_refused($q$TRUNCATE session_areas$q$,
    'The areas of a signed session cannot be deleted; record an amendment instead.');
SELECT pg_temp.expect_refused($q$UPDATE sessions SET status = 'done', performed_on = '2026-12-05', signed_by = 'Smoke Desk',
        signed_at = '2026-12-05T12:00:00.000Z', signer_id = 'smoke000-0000-7000-8000-00000000a002'
    WHERE id = 'smoke000-0000-7000-8000-0000000000e2'$q$,
    'A session can only be signed by an active practitioner or clinical lead account.');
SELECT pg_temp.expect_refused($q$INSERT INTO session_amendments (id, session_id, reason, correction, signed_by, signed_at, created_at, signer_id)
    VALUES ('smoke000-0000-7000-8000-0000000am001', 'smoke000-0000-7000-8000-0000000000e2', 'r', 'c', 'Dr Smoke Lead', 't', 't',
            'smoke000-0000-7000-8000-00000000a001')$q$,
    'Only a signed session is corrected by an amendment; change the unsigned session itself.');
INSERT INTO session_amendments (id, session_id, reason, correction, signed_by, signed_at, created_at, signer_id)
VALUES ('smoke000-0000-7000-8000-0000000am001', 'smoke000-0000-7000-8000-0000000000e1', 'depth written wrong', '0.5 mm, not 0.05 mm',
        'Dr Smoke Lead', '2026-12-03T09:00:00.000Z', '2026-12-03T09:00:00.000Z', 'smoke000-0000-7000-8000-00000000a001');
SELECT pg_temp.expect_refused($q$UPDATE session_amendments SET reason = 'x'$q$,
    'A signed amendment cannot be changed; record another amendment instead.');
SELECT pg_temp.expect_refused($q$TRUNCATE session_amendments$q$,
    'A signed amendment cannot be deleted; record another amendment instead.');

-- next_sessions_session_delete: session 2 removed, number 3 is next.
DELETE FROM sessions WHERE id = 'smoke000-0000-7000-8000-0000000000e2';
SELECT pg_temp.assert_true((SELECT number FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001') = 3,
    'session delete: number 3 is next');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- next_sessions_plan_update: title, then status (completed: gone; active again: back).
UPDATE treatment_plans SET title = 'Smoke plan, renamed' WHERE id = 'smoke000-0000-7000-8000-00000000p001';
SELECT pg_temp.assert_true((SELECT title FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001') = 'Smoke plan, renamed',
    'plan update: the new title is shown');
UPDATE treatment_plans SET status = 'completed' WHERE id = 'smoke000-0000-7000-8000-00000000p001';
SELECT pg_temp.assert_true(NOT EXISTS (SELECT 1 FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001'),
    'plan update: a completed plan has no next session');
UPDATE treatment_plans SET status = 'active' WHERE id = 'smoke000-0000-7000-8000-00000000p001';
SELECT pg_temp.assert_true((SELECT number FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001') = 3,
    'plan update: active again, number 3 is next');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- next_sessions_client_update: renamed, archived (gone), restored (back).
UPDATE clients SET full_name = 'Smoke Renamed' WHERE id = 'smoke000-0000-7000-8000-00000000c001';
SELECT pg_temp.assert_true((SELECT full_name FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001') = 'Smoke Renamed',
    'client update: the new name is shown');
UPDATE clients SET archived_at = '2026-12-05T10:00:00.000Z' WHERE id = 'smoke000-0000-7000-8000-00000000c001';
SELECT pg_temp.assert_true(NOT EXISTS (SELECT 1 FROM next_sessions WHERE client_id = 'smoke000-0000-7000-8000-00000000c001'),
    'client update: an archived client has no next sessions');
UPDATE clients SET archived_at = NULL WHERE id = 'smoke000-0000-7000-8000-00000000c001';
SELECT pg_temp.assert_true((SELECT count(*) FROM next_sessions WHERE client_id = 'smoke000-0000-7000-8000-00000000c001') = 1,
    'client update: restored, the next session is back');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- next_sessions_session_update with a session moved to another plan: both plans are refreshed.
INSERT INTO treatment_plans (id, client_id, title, start_date, sessions_planned, interval_min_days, interval_target_days,
                             interval_max_days, status, protocol_version, created_at)
VALUES ('smoke000-0000-7000-8000-00000000p002', 'smoke000-0000-7000-8000-00000000c001', 'Second plan', '2027-01-01', 6, 21, 28, 42,
        'active', '2026.12', '2026-12-05T09:30:00.000Z'),
       ('smoke000-0000-7000-8000-00000000p003', 'smoke000-0000-7000-8000-00000000c001', 'Third plan', '2027-01-01', 6, 21, 28, 42,
        'active', '2026.12', '2026-12-05T09:30:00.000Z');
UPDATE sessions SET plan_id = 'smoke000-0000-7000-8000-00000000p002', number = 5 WHERE id = 'smoke000-0000-7000-8000-0000000000e3';
SELECT pg_temp.assert_true(NOT EXISTS (SELECT 1 FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p001')
    AND (SELECT number FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p002') = 5,
    'session moved: the old plan has none, the new plan shows it');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- next_sessions_plan_delete: a plan's row goes with the plan (a stray row shows it).
INSERT INTO next_sessions (latest_on, plan_id, earliest_on, target_on, status, booked_on, session_id, number, sessions_planned,
                           title, client_id, full_name)
VALUES ('2027-01-15', 'smoke000-0000-7000-8000-00000000p003', '2027-01-01', '2027-01-08', 'planned', NULL,
        'smoke000-0000-7000-8000-0000000000e9', 1, 6, 'Third plan', 'smoke000-0000-7000-8000-00000000c001', 'Smoke Renamed');
DELETE FROM treatment_plans WHERE id = 'smoke000-0000-7000-8000-00000000p003';
SELECT pg_temp.assert_true(NOT EXISTS (SELECT 1 FROM next_sessions WHERE plan_id = 'smoke000-0000-7000-8000-00000000p003'),
    'plan delete: its row is removed');
SELECT pg_temp.assert_true(pg_temp.next_sessions_in_step(), 'next_sessions equals next_sessions_derived');

-- ---------------------------------------------------------------------------------------------
-- The audit log: hash, chain, append-only
-- ---------------------------------------------------------------------------------------------
\echo '--- audit log'

-- The hash as src/store/audit.rs computes it: rows of a database Needlepoint 0.x wrote.
SELECT pg_temp.assert_true(audit_row_hash('0000000000000000000000000000000000000000000000000000000000000000', 1,
    '2026-12-05T18:56:55.529Z', 'Demo data', 'create', 'staff', '01a24791-02e9-7682-8404-d019350215ad', NULL,
    'Dr. Maya Lindqvist added as clinical lead', NULL, NULL)
    = 'ae52f1e91768ebef07b0eb65c3693fac17e87ff58259a5370b0615a2ccb87330', 'hash of a row without account or content hash');
SELECT pg_temp.assert_true(audit_row_hash('ae52f1e91768ebef07b0eb65c3693fac17e87ff58259a5370b0615a2ccb87330', 2,
    '2026-12-05T18:56:55.578Z', 'Dr. Maya Lindqvist', 'create', 'staff', '01a24791-031a-7656-a8ca-c696a9deebae', NULL,
    'Nurse Tomasz Wójcik added as practitioner', NULL, '01a24791-02e9-7682-8404-d019350215ad')
    = 'd625630c73890dfafcb0d8eb803197e4e8762d0afd9a70066914ea6641eaf548', 'hash of a row with an account and non-ASCII text');
SELECT pg_temp.assert_true(audit_row_hash('3df49650cf5200703621dcd8a40aeca8720066e58431231e124cf6de12475ff0', 16,
    '2026-06-22T09:30:00.000Z', 'Dr. Maya Lindqvist', 'sign', 'screenings', '01a24791-039a-71fd-8eb6-5e41963b0673',
    '01a24791-0399-76e0-82fb-55ea64df5497', 'signed by Dr. Maya Lindqvist',
    '521bc7a0013f614803e657bfb0ee10a40cdaed2671f070dfdd27d9d176abeab3', '01a24791-02e9-7682-8404-d019350215ad')
    = '451f95671c194ece3225f102ea74a742a9e50a0d656aab5ac0e096a79e273a47', 'hash of a signing row with a content hash');

CREATE TEMP TABLE smoke_head_before AS SELECT seq, row_hash FROM audit_chain_head;

-- Two rows appended in order: accepted, the head follows.
INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash)
SELECT h.seq + 1, '2026-12-05T10:00:00.000Z', 'Dr Smoke Lead', 'create', 'clients', 'smoke000-0000-7000-8000-00000000c001',
       'smoke000-0000-7000-8000-00000000c001', 'smoke row one', h.row_hash,
       audit_row_hash(h.row_hash, h.seq + 1, '2026-12-05T10:00:00.000Z', 'Dr Smoke Lead', 'create', 'clients',
                      'smoke000-0000-7000-8000-00000000c001', 'smoke000-0000-7000-8000-00000000c001', 'smoke row one', NULL, NULL)
FROM audit_chain_head AS h;
INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, client_id, detail, prev_hash, row_hash, content_hash, actor_id)
SELECT h.seq + 1, '2026-12-05T10:00:01.000Z', 'Dr Smoke Lead', 'sign', 'screenings', 'smoke000-0000-7000-8000-00000000s001',
       'smoke000-0000-7000-8000-00000000c001', 'signed by Dr Smoke Lead', h.row_hash,
       audit_row_hash(h.row_hash, h.seq + 1, '2026-12-05T10:00:01.000Z', 'Dr Smoke Lead', 'sign', 'screenings',
                      'smoke000-0000-7000-8000-00000000s001', 'smoke000-0000-7000-8000-00000000c001', 'signed by Dr Smoke Lead',
                      repeat('ab', 32), 'smoke000-0000-7000-8000-00000000a001'),
       repeat('ab', 32), 'smoke000-0000-7000-8000-00000000a001'
FROM audit_chain_head AS h;
SELECT pg_temp.assert_true((SELECT h.seq = b.seq + 2 FROM audit_chain_head h, smoke_head_before b),
    'two appended rows move the head by two');
SELECT pg_temp.assert_true((SELECT (h.seq, h.row_hash) = (l.seq, l.row_hash)
                              FROM audit_chain_head h JOIN audit_log l ON l.seq = h.seq), 'the head is the last row');
SELECT pg_temp.assert_true((SELECT prev_hash FROM audit_log WHERE seq = (SELECT seq FROM audit_chain_head))
                         = (SELECT row_hash FROM audit_log WHERE seq = (SELECT seq - 1 FROM audit_chain_head)), 'the rows are chained');

-- Forks: a seq that skips one, a seq already used, a previous hash that is not the head's.
SELECT pg_temp.expect_refused($q$INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
    SELECT h.seq + 2, 't', 'a', 'create', 'clients', 'x', '', h.row_hash,
           audit_row_hash(h.row_hash, h.seq + 2, 't', 'a', 'create', 'clients', 'x', NULL, '', NULL, NULL) FROM audit_chain_head h$q$,
    'The audit log''s chain would fork: another desk saved at the same moment. Save again.');
SELECT pg_temp.expect_refused($q$INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
    SELECT h.seq, 't', 'a', 'create', 'clients', 'x', '', l.prev_hash,
           audit_row_hash(l.prev_hash, h.seq, 't', 'a', 'create', 'clients', 'x', NULL, '', NULL, NULL)
      FROM audit_chain_head h JOIN audit_log l ON l.seq = h.seq$q$,
    'The audit log''s chain would fork: another desk saved at the same moment. Save again.');
SELECT pg_temp.expect_refused($q$INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
    SELECT h.seq + 1, 't', 'a', 'create', 'clients', 'x', '', l.prev_hash,
           audit_row_hash(l.prev_hash, h.seq + 1, 't', 'a', 'create', 'clients', 'x', NULL, '', NULL, NULL)
      FROM audit_chain_head h JOIN audit_log l ON l.seq = h.seq$q$,
    'The audit log''s chain would fork: another desk saved at the same moment. Save again.');
-- A row whose hash is not the hash of its content.
SELECT pg_temp.expect_refused($q$INSERT INTO audit_log (seq, at, actor, action, table_name, record_id, detail, prev_hash, row_hash)
    SELECT h.seq + 1, 't', 'a', 'create', 'clients', 'x', 'what was written', h.row_hash,
           audit_row_hash(h.row_hash, h.seq + 1, 't', 'a', 'create', 'clients', 'x', NULL, 'what was hashed', NULL, NULL)
      FROM audit_chain_head h$q$,
    'An audit row''s hash does not match its content.');
-- Append-only.
SELECT pg_temp.expect_refused($q$UPDATE audit_log SET detail = 'changed' WHERE seq = (SELECT seq FROM audit_chain_head)$q$,
    'The audit log is append-only.');
SELECT pg_temp.expect_refused($q$DELETE FROM audit_log WHERE seq = (SELECT seq FROM audit_chain_head)$q$,
    'The audit log is append-only.');
SELECT pg_temp.expect_refused($q$TRUNCATE audit_log$q$, 'The audit log is append-only.');
-- The head moves only with the log.
SELECT pg_temp.expect_refused($q$UPDATE audit_chain_head SET seq = seq + 1$q$,
    'The audit log''s chain head moves only when an audit row is added.');
SELECT pg_temp.expect_refused($q$DELETE FROM audit_chain_head$q$,
    'The audit log''s chain head moves only when an audit row is added.');
SELECT pg_temp.expect_refused($q$TRUNCATE audit_chain_head$q$,
    'The audit log''s chain head moves only when an audit row is added.');
SELECT pg_temp.assert_true((SELECT h.seq = b.seq + 2 FROM audit_chain_head h, smoke_head_before b),
    'the refused rows left the head where it was');

-- ---------------------------------------------------------------------------------------------
-- Other guards: prints, clearances, diary, consents, photos, staff
-- ---------------------------------------------------------------------------------------------
\echo '--- other guards'

INSERT INTO printed_documents (id, kind, client_id, screening_id, path, printed_at, printed_by)
VALUES ('smoke000-0000-7000-8000-0000000pd001', 'screening', 'smoke000-0000-7000-8000-00000000c001',
        'smoke000-0000-7000-8000-00000000s001', '/tmp/x.pdf', '2026-12-05T10:00:00.000Z', 'Dr Smoke Lead');
SELECT pg_temp.expect_refused($q$UPDATE printed_documents SET path = '/tmp/y.pdf'$q$, 'A print record cannot be changed.');
SELECT pg_temp.expect_refused($q$DELETE FROM printed_documents$q$, 'A print record cannot be deleted.');
SELECT pg_temp.expect_refused($q$TRUNCATE printed_documents$q$, 'A print record cannot be deleted.');

SELECT pg_temp.expect_refused($q$INSERT INTO clearances (id, client_id, rule, given_by, role, given_on, expires_on, covers, recorded_by,
        recorded_at, created_at, signer_id)
    VALUES ('smoke000-0000-7000-8000-0000000cl001', 'smoke000-0000-7000-8000-00000000c001', 'isotretinoin', 'Dr GP', 'GP', '2026-12-01',
        '2027-06-01', 'face', 'Smoke Desk', 't', 't', 'smoke000-0000-7000-8000-00000000a002')$q$,
    'A clearance can only be recorded by an active practitioner or clinical lead account.');
SELECT pg_temp.expect_refused($q$DELETE FROM staff WHERE id = 'smoke000-0000-7000-8000-00000000a002'$q$,
    'A staff account is never deleted (old signatures point to it); deactivate it instead.');
SELECT pg_temp.expect_refused($q$TRUNCATE staff CASCADE$q$,
    'A staff account is never deleted (old signatures point to it); deactivate it instead.');

INSERT INTO rooms (id, name, created_at) VALUES ('smoke000-0000-7000-8000-0000000ro001', 'Smoke room', 't');
INSERT INTO appointments (id, client_id, treatment, day, start_minute, minutes, practitioner_id, room_id, status, created_at, updated_at)
VALUES ('smoke000-0000-7000-8000-0000000ap001', 'smoke000-0000-7000-8000-00000000c001', 'consultation', '2026-12-07', 600, 30,
        'smoke000-0000-7000-8000-00000000a001', 'smoke000-0000-7000-8000-0000000ro001', 'booked', 't', 't');
SELECT pg_temp.expect_refused($q$INSERT INTO appointments (id, client_id, treatment, day, start_minute, minutes, practitioner_id, room_id,
        status, created_at, updated_at)
    VALUES ('smoke000-0000-7000-8000-0000000ap002', 'smoke000-0000-7000-8000-00000000c001', 'review', '2026-12-07', 615, 15,
        'smoke000-0000-7000-8000-00000000a001', 'smoke000-0000-7000-8000-0000000ro001', 'booked', 't', 't')$q$,
    'That time is taken: the room, the pen or the client already has an appointment then, or the practitioner does and no reason to double-book was given.');
UPDATE appointments SET status = 'cancelled', status_reason = 'smoke' WHERE id = 'smoke000-0000-7000-8000-0000000ap001';
SELECT pg_temp.expect_refused($q$UPDATE appointments SET status = 'booked', status_reason = NULL WHERE id = 'smoke000-0000-7000-8000-0000000ap001'$q$,
    'That appointment is finished (done, cancelled or a no-show) and can no longer be changed; book a new one.');
UPDATE appointments SET notes = '' WHERE id = 'smoke000-0000-7000-8000-0000000ap001';
SELECT pg_temp.expect_refused($q$DELETE FROM appointments WHERE id = 'smoke000-0000-7000-8000-0000000ap001'$q$,
    'An appointment is never deleted; cancel it with a reason.');

INSERT INTO consent_documents (version, kind, title, text, template, created_at)
VALUES (repeat('c', 64), 'photographs', 'Photographs', 'I agree to photographs.', 'shipped', 't'),
       (repeat('d', 64), 'treatment', 'Treatment', 'I agree to treatment.', 'shipped', 't');
SELECT pg_temp.expect_refused($q$INSERT INTO consents (id, client_id, kind, document_version, signed_on, signer_name, strokes, signature_svg,
        signer_id, witness_name, signed_at, created_at)
    VALUES ('smoke000-0000-7000-8000-0000000co001', 'smoke000-0000-7000-8000-00000000c001', 'photographs', repeat('d', 64), '2026-12-05',
        'Smoke Testperson', '1,1,0', '<svg/>', 'smoke000-0000-7000-8000-00000000a001', 'Dr Smoke Lead', 't', 't')$q$,
    'That consent document is for another kind of consent.');
INSERT INTO consents (id, client_id, kind, document_version, signed_on, signer_name, strokes, signature_svg, signer_id, witness_name,
                      signed_at, created_at)
VALUES ('smoke000-0000-7000-8000-0000000co001', 'smoke000-0000-7000-8000-00000000c001', 'photographs', repeat('c', 64), '2026-12-05',
        'Smoke Testperson', '1,1,0', '<svg/>', 'smoke000-0000-7000-8000-00000000a001', 'Dr Smoke Lead', 't', 't');
SELECT pg_temp.expect_refused($q$UPDATE consents SET signer_name = 'x'$q$,
    'A signed consent is never changed; withdraw it, or have a new one signed.');
SELECT pg_temp.expect_refused($q$TRUNCATE consents CASCADE$q$, 'A signed consent is never deleted; withdraw it instead.');

INSERT INTO photos (id, client_id, area, view, taken_on, sha256, format, width, height, bytes, consent_id, signer_id, imported_by,
                    signed_at, created_at)
VALUES ('smoke000-0000-7000-8000-0000000ph001', 'smoke000-0000-7000-8000-00000000c001', 'face', 'front', '2026-12-05', repeat('e', 64),
        'jpeg', 10, 10, 100, 'smoke000-0000-7000-8000-0000000co001', 'smoke000-0000-7000-8000-00000000a001', 'Dr Smoke Lead', 't', 't');
INSERT INTO photo_images (photo_id, thumbnail, preview) VALUES ('smoke000-0000-7000-8000-0000000ph001', '\xffd8'::bytea, '\xffd8'::bytea);
SELECT pg_temp.expect_refused($q$INSERT INTO photos (id, client_id, area, view, taken_on, sha256, format, width, height, bytes, consent_id,
        imported_by, signed_at, created_at)
    VALUES ('smoke000-0000-7000-8000-0000000ph002', 'smoke000-0000-7000-8000-00000000c001', 'face', 'left_45', '2026-12-05', repeat('e', 64),
        'jpeg', 10, 10, 100, 'smoke000-0000-7000-8000-0000000co001', 'Dr Smoke Lead', 't', 't')$q$,
    'A stored photo cannot be replaced.');
SELECT pg_temp.expect_refused($q$DELETE FROM photo_images$q$,
    'A photo''s pictures are removed only when its client is anonymised.');
SELECT pg_temp.expect_refused($q$TRUNCATE photo_images$q$,
    'A photo''s pictures are removed only when its client is anonymised.');
INSERT INTO photo_events (photo_id, kind, text, by_name, at)
VALUES ('smoke000-0000-7000-8000-0000000ph001', 'note', 'a note', 'Dr Smoke Lead', 't'),
       ('smoke000-0000-7000-8000-0000000ph001', 'erase', 'client anonymised', 'Dr Smoke Lead', 't');
-- Anonymising: the note's text may be cleared and the pictures removed, once erased.
UPDATE photo_events SET text = '' WHERE photo_id = 'smoke000-0000-7000-8000-0000000ph001' AND kind = 'note';
DELETE FROM photo_images WHERE photo_id = 'smoke000-0000-7000-8000-0000000ph001';
SELECT pg_temp.expect_refused($q$UPDATE photo_events SET by_name = 'x'$q$, 'What happened to a photo is never changed.');
SELECT pg_temp.expect_refused($q$TRUNCATE photo_events$q$, 'What happened to a photo is never deleted.');
SELECT pg_temp.expect_refused($q$DELETE FROM photos$q$, 'A stored photo is never deleted; hide it with a reason instead.');

-- ---------------------------------------------------------------------------------------------
-- Client search: each tier's WHERE clause (README.md) on 100,000 clients uses its index
-- ---------------------------------------------------------------------------------------------
\echo '--- search indexes (100,000 clients, generated here and rolled back)'

INSERT INTO clients (id, full_name, date_of_birth, phone, phone_digits, email, skin_type, created_at, updated_at, archived_at)
SELECT 'smokegen-' || lpad(g::text, 27, '0'),
       f.n || ' ' || l.n,
       to_char(date '1950-01-01' + (g * 7919 % 20000)::int, 'YYYY-MM-DD'),
       '+61 4' || lpad((g * 104729 % 100000000)::text, 8, '0'),
       '614' || lpad((g * 104729 % 100000000)::text, 8, '0'),
       lower(f.n) || '.' || lower(replace(l.n, ' ', '')) || g || '@example.com',
       1 + g % 6, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
       CASE WHEN g % 20 = 0 THEN '2026-02-01T00:00:00.000Z' END
FROM generate_series(1::bigint, 100000::bigint) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['Amara','Grace','Ada','Élodie','Zoë','Øystein','Mei','Tomasz','Aroha','Maya','Liam','Noah',
        'Olivia','Isla','Jack','Chloé','Søren','Ana','João','Fatima','Yusuf','Priya','Arjun','Hana','Kenji'])[1 + g % 25] AS n) AS f
CROSS JOIN LATERAL (SELECT (ARRAY['Chen','Lovelace','Hopper','Lindqvist','Wójcik','Ngata','Müller','García','O''Brien','Smith-Jones',
        'Nguyen','Kowalski','Okafor','Rossi','Dubois','Tanaka','Khan','Singh','Brown','van der Berg','Andersson','Papadopoulos',
        'Ivanova','Kim','Silva','Fernández','MacLeod','Ó Súilleabháin','Ahmed','Cohen','Novák'])[1 + (g / 25) % 31] AS n) AS l;
ANALYZE clients;
-- What autovacuum does after a bulk load (VACUUM cannot run in a transaction): the GIN indexes'
-- pending lists merged, so the planner costs them as they will be.
SELECT gin_clean_pending_list('client_search_text_trigrams') >= 0 AND gin_clean_pending_list('clients_phone_trigrams') >= 0
   AND gin_clean_pending_list('client_search_words_trigrams') >= 0 AS pending_lists_merged;

-- As the store sends them: prepared, with parameters (a generic plan, as a cached statement
-- gets after its fifth use).
SET LOCAL plan_cache_mode = force_generic_plan;
PREPARE smoke_name_start(text, text, bigint) AS
    SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND lower(full_name) >= lower($1 COLLATE "C") AND lower(full_name) < lower($2 COLLATE "C")
     ORDER BY lower(full_name) LIMIT $3;
PREPARE smoke_name_pattern(text, text, bigint) AS
    SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND lower(full_name) ~>=~ lower($1 COLLATE "C") AND lower(full_name) ~<~ lower($2 COLLATE "C")
     ORDER BY lower(full_name) USING ~<~ LIMIT $3;
PREPARE smoke_word_start(text, bigint) AS
    SELECT rowid, search_text FROM client_search_text WHERE name_words LIKE $1 LIMIT $2;
PREPARE smoke_one_word_start(text, text, bigint) AS
    SELECT rowid, search_text FROM client_search_text
     WHERE rowid IN (SELECT rowid FROM client_search_words WHERE word >= $1 AND word < $2 LIMIT 2 * $3) LIMIT $3;
PREPARE smoke_fragment(text, bigint) AS
    SELECT rowid, search_text FROM client_search_text WHERE search_text LIKE $1 LIMIT $2;
PREPARE smoke_phone(text, bigint) AS
    SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND phone_digits LIKE $1 LIMIT $2;
PREPARE smoke_email_prefix(text, text, bigint) AS
    SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND lower(email) >= lower($1 COLLATE "C") AND lower(email) < lower($2 COLLATE "C") LIMIT $3;
PREPARE smoke_birth(text, text, bigint) AS
    SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE date_of_birth >= $1 AND date_of_birth < $2 AND archived_at IS NULL LIMIT $3;
PREPARE smoke_by_rowid(bigint) AS
    SELECT id, full_name, date_of_birth, phone, email, archived_at IS NOT NULL AS archived FROM clients WHERE rowid = $1;
PREPARE smoke_list_page(bigint, bigint) AS
    SELECT id, full_name, date_of_birth, phone, email, archived_at IS NOT NULL AS archived FROM clients
     WHERE archived_at IS NULL ORDER BY lower(full_name), id LIMIT $1 OFFSET $2;

SELECT pg_temp.plan_uses($q$EXECUTE smoke_name_start('Grace L', 'Grace L' || chr(1114111), 20)$q$, 'clients_active_list');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_name_pattern('Grace L', 'Grace L' || chr(1114111), 20)$q$, 'clients_by_name');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_email_prefix('Amara.Lovelace10@', 'Amara.Lovelace10@' || chr(1114111), 20)$q$, 'clients_by_email');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_birth('1983-01', '1983-01' || chr(1114111), 20)$q$, 'clients_(active_)?by_birth');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_one_word_start('lov', 'lov' || chr(1114111), 20)$q$, 'client_search_words_pkey');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_by_rowid(5)$q$, 'clients_rowid_key');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_list_page(50, 50000)$q$, 'clients_active_list');
-- The trigram tiers need the pattern at planning time (a custom plan; README.md): with a generic
-- plan PostgreSQL cannot tell a rare fragment from a common one.
SET LOCAL plan_cache_mode = force_custom_plan;
SELECT pg_temp.plan_uses($q$EXECUTE smoke_fragment('%lovelace1234%', 20)$q$, 'client_search_text_trigrams');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_phone('%72900000%', 20)$q$, 'clients_phone_trigrams');
SELECT pg_temp.plan_uses($q$EXECUTE smoke_word_start('% zyxwv lov%', 20)$q$, 'client_search_words_trigrams');
-- Without a LIMIT the same clause reads the index whatever the plan.
SELECT pg_temp.plan_uses($q$SELECT rowid FROM clients WHERE archived_at IS NULL AND phone_digits LIKE '%0412%'$q$, 'clients_phone_trigrams');

-- And they find what SQLite's tiers find.
CREATE TEMP TABLE smoke_found (tier text, full_name text);
INSERT INTO smoke_found SELECT 'word', full_name FROM clients
 WHERE archived_at IS NULL AND client_search_words_of(full_name) LIKE '% élo%' LIMIT 1;
INSERT INTO smoke_found SELECT 'one word', c.full_name FROM clients c
 WHERE rowid IN (SELECT rowid FROM client_search_words WHERE word >= 'súi' AND word < 'súi' || chr(1114111)) LIMIT 1;
INSERT INTO smoke_found SELECT 'word-any-order', full_name FROM clients
 WHERE rowid IN (SELECT rowid FROM client_search_text WHERE name_words LIKE '% lovelace%' AND name_words LIKE '% grace%') LIMIT 1;
INSERT INTO smoke_found SELECT 'fragment', c.full_name FROM client_search_text s JOIN clients c USING (rowid)
 WHERE s.search_text LIKE '%élodie lind%' LIMIT 1;
INSERT INTO smoke_found SELECT 'phone', full_name FROM clients
 WHERE archived_at IS NULL AND phone_digits LIKE '%610412555010%' LIMIT 1;
SELECT pg_temp.assert_true((SELECT full_name FROM smoke_found WHERE tier = 'word') LIKE 'Élodie %', 'word start folds case: élo finds Élodie');
SELECT pg_temp.assert_true((SELECT full_name FROM smoke_found WHERE tier = 'one word') LIKE '% Ó Súilleabháin', 'one word''s start, after a one-letter word: súi finds Ó Súilleabháin');
SELECT pg_temp.assert_true((SELECT full_name FROM smoke_found WHERE tier = 'word-any-order') = 'Grace Lovelace', 'words in any order');
SELECT pg_temp.assert_true((SELECT full_name FROM smoke_found WHERE tier = 'fragment') = 'Élodie Lindqvist', 'fragment across words');
SELECT pg_temp.assert_true((SELECT full_name FROM smoke_found WHERE tier = 'phone') = 'Smoke Renamed', 'phone digits anywhere');

DEALLOCATE ALL;

\echo 'smoke: all checks passed'
ROLLBACK;
