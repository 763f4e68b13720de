-- When a completed series' results are reviewed: three months after its last session (P14,
-- "evaluate at least 3 months after the last session"; protocol 2026.12, clinical review B9).
-- Written when the last session is signed; for series completed before this version it is
-- worked out here the same way (month ends clamp: 30 November gives 28 February). The Today
-- view lists reviews by this date, one index range.
ALTER TABLE treatment_plans ADD COLUMN review_on TEXT
    CHECK (review_on IS NULL OR date(review_on) IS review_on);
UPDATE treatment_plans
   SET review_on = (
       SELECT min(date(last, '+3 months'), date(last, 'start of month', '+4 months', '-1 day'))
         FROM (SELECT max(s.performed_on) AS last FROM sessions AS s
                WHERE s.plan_id = treatment_plans.id AND s.status = 'done')
        WHERE last IS NOT NULL)
 WHERE status = 'completed';
CREATE INDEX treatment_plans_review ON treatment_plans (review_on) WHERE review_on IS NOT NULL;
