-- The search's word and fragment tiers get a narrow table of their own, as SQLite's FTS5
-- tables are: per active client, `search_text` holds the name and e-mail lower-cased as the
-- database's locale folds them, the phone digits and the birth date, a line apart (a search is
-- one line, so a fragment never spans two fields), and `name_words` the name's words, each after
-- a space (" fatima o brien"), so that a word start is `LIKE '% bri%'`.
-- Why: 0001 searched `clients` itself. A common three-letter fragment at a million clients
-- passes some 10,000 rows before its 200th match, and each row cost two case foldings and four
-- LIKEs (6-7 ms, and 1.5 ms to plan four trigram columns); a common word start ('mar':*) read
-- the whole posting list of `clients_words` before its LIMIT applied (10-23 ms). Over this table
-- the same fragment scan takes 1.3-1.9 ms, stops at its LIMIT for a common word start too, and
-- uses the trigram indexes for rare ones. Triggers keep it; an archived client has no row (the
-- tiers search active clients only). The phone tier keeps a trigram index of its own on
-- `clients`.
CREATE TABLE client_search_text (
    rowid       BIGINT PRIMARY KEY,
    search_text TEXT COLLATE "C" NOT NULL,
    name_words  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX client_search_text_trigrams ON client_search_text USING gin (search_text gin_trgm_ops);
CREATE INDEX client_search_words_trigrams ON client_search_text USING gin (name_words gin_trgm_ops);
CREATE INDEX clients_phone_trigrams ON clients USING gin (phone_digits gin_trgm_ops);
DROP INDEX clients_search;
DROP INDEX clients_words;

CREATE FUNCTION client_search_text_of(full_name text, phone_digits text, email text, date_of_birth text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(full_name COLLATE "default") || chr(10) || phone_digits || chr(10)
        || coalesce(lower(email COLLATE "default"), '') || chr(10) || date_of_birth
$$;
-- Split where the desk splits a search into words: spaces and punctuation.
CREATE FUNCTION client_search_words_of(full_name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ' ' || btrim(regexp_replace(lower(full_name COLLATE "default"), '[[:space:][:punct:]]+', ' ', 'g'))
$$;

CREATE FUNCTION client_search_text_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM client_search_text WHERE rowid = OLD.rowid;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.archived_at IS NULL THEN
        INSERT INTO client_search_text (rowid, search_text, name_words)
        VALUES (NEW.rowid, client_search_text_of(NEW.full_name, NEW.phone_digits, NEW.email, NEW.date_of_birth),
                client_search_words_of(NEW.full_name));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER client_search_text_insert AFTER INSERT ON clients
    FOR EACH ROW EXECUTE FUNCTION client_search_text_keep();
CREATE TRIGGER client_search_text_update
    AFTER UPDATE OF full_name, phone_digits, email, date_of_birth, archived_at ON clients
    FOR EACH ROW EXECUTE FUNCTION client_search_text_keep();
CREATE TRIGGER client_search_text_delete AFTER DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION client_search_text_keep();

-- Filled from `clients` here, and again by `migrate` after its copy (which runs with the
-- triggers off).
CREATE FUNCTION client_search_text_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM client_search_text;
    INSERT INTO client_search_text (rowid, search_text, name_words)
    SELECT rowid, client_search_text_of(full_name, phone_digits, email, date_of_birth),
           client_search_words_of(full_name)
      FROM clients WHERE archived_at IS NULL;
$$;
SELECT client_search_text_rebuild();
ANALYZE client_search_text;
