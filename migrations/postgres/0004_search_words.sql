-- A search of one word ("ani") finds names with a word that starts with it through a table of
-- the names' words, one row per word and active client, read as a range of its primary key
-- (as SQLite's FTS5 reads its prefix index): the scan stops at its limit however common or
-- rare the start is.
-- Why: step 0003 found a word start with `name_words LIKE '% ani%'` on a trigram index. The
-- trigrams a word start needs ("  a", " an") are among the commonest there are, so a rare start
-- read and intersected their long posting lists (about 4 ms at a million clients, the search's
-- slowest tier). Searches of two or more words keep 0003's query: their trigrams are rare.
-- Words are split and folded as `client_search_words_of` does; triggers keep the table with
-- `client_search_text`, and `client_search_text_rebuild()` fills both.
CREATE TABLE client_search_words (
    word  TEXT COLLATE "C" NOT NULL,
    rowid BIGINT NOT NULL,
    PRIMARY KEY (word, rowid)
);
-- A client's words are replaced when the name changes: found by client.
CREATE INDEX client_search_words_by_client ON client_search_words (rowid);

CREATE FUNCTION client_search_word_list(full_name text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT word FROM regexp_split_to_table(btrim(client_search_words_of(full_name)), ' ') AS word
     WHERE word <> ''
$$;

CREATE OR REPLACE FUNCTION client_search_text_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM client_search_text WHERE rowid = OLD.rowid;
        DELETE FROM client_search_words WHERE rowid = OLD.rowid;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.archived_at IS NULL THEN
        INSERT INTO client_search_text (rowid, search_text, name_words)
        VALUES (NEW.rowid, client_search_text_of(NEW.full_name, NEW.phone_digits, NEW.email, NEW.date_of_birth),
                client_search_words_of(NEW.full_name));
        INSERT INTO client_search_words (word, rowid)
        SELECT word, NEW.rowid FROM client_search_word_list(NEW.full_name) AS word;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION client_search_text_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM client_search_text;
    INSERT INTO client_search_text (rowid, search_text, name_words)
    SELECT rowid, client_search_text_of(full_name, phone_digits, email, date_of_birth),
           client_search_words_of(full_name)
      FROM clients WHERE archived_at IS NULL;
    DELETE FROM client_search_words;
    INSERT INTO client_search_words (word, rowid)
    SELECT word, rowid FROM clients, client_search_word_list(full_name) AS word
     WHERE archived_at IS NULL;
$$;

INSERT INTO client_search_words (word, rowid)
SELECT word, rowid FROM clients, client_search_word_list(full_name) AS word
 WHERE archived_at IS NULL;
ANALYZE client_search_words;
