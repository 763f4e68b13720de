-- Needlepoint schema, version 8: the client list sorted by date of birth.
--
-- The list pages through active clients in the order the desk chose; by name that is the
-- `clients_active_list` index, and this one gives the same for date of birth (either
-- direction), so a page deep in a million clients is one index range, not a sort.

CREATE INDEX clients_active_by_birth ON clients (date_of_birth, full_name COLLATE NOCASE, id)
    WHERE archived_at IS NULL;
