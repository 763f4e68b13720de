-- The Today table's refresh, plan by plan. 0001 rewrote the plans' rows with
-- `plan_id = ANY (plans)`; PL/pgSQL keeps a generic plan for that statement, and one made while
-- the tables were small (a new clinic, a demo being written) walks every active client for each
-- session written: 18 ms a session at 3,000 clients and growing. With one plan id per
-- statement the plan starts from that plan's sessions by key, whatever the statistics say.
-- The locks are still taken in plan id order, so two desks never wait on each other in a circle.
CREATE OR REPLACE FUNCTION next_sessions_refresh(plans text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    plan text;
BEGIN
    FOR plan IN SELECT DISTINCT u FROM unnest(plans) AS u WHERE u IS NOT NULL ORDER BY u LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('needlepoint.next_sessions:' || plan, 0));
        DELETE FROM next_sessions WHERE plan_id = plan;
        INSERT INTO next_sessions SELECT * FROM next_sessions_derived WHERE plan_id = plan;
    END LOOP;
END $$;
