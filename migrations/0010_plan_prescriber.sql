-- Who prescribed a plan's prescription or physician-only products (tranexamic acid, a
-- triple-combination cream): a plan that holds one names the prescriber (protocol 2026.12,
-- clinical review A3). Plans are not signed rows, so the column is added in place.
ALTER TABLE treatment_plans ADD COLUMN prescriber TEXT
    CHECK (prescriber IS NULL OR length(trim(prescriber)) BETWEEN 1 AND 120);
