//! The client search's queries on each engine. The tiers and their ranking are the same
//! (`clients.rs`); what finds the candidates differs: SQLite's FTS5 tables (words, trigrams)
//! and NOCASE ranges, the server's full-text and trigram indexes on `clients` and ranges on
//! `lower(...)` compared byte by byte (`migrations/postgres/README.md`).

use super::db::Engine;

/// Each tier's SQL, and how its search text is written for it.
pub(super) struct Tiers {
    pub engine: Engine,
    /// After `SELECT <summary> FROM clients`: name starts with (fewer than three characters),
    /// `?1` a LIKE pattern, `?2` the limit.
    pub short_name: &'static str,
    /// Name starts with: `?1` the text, `?2` past the last name with it, `?3` the limit.
    pub name_prefix: &'static str,
    pub birth_prefix: &'static str,
    pub email_prefix: &'static str,
    /// A word of the name starts with: `?1` from [`Tiers::words`], `?2` the limit.
    pub word_match: &'static str,
    /// Anywhere in name, e-mail, birth date or phone digits: `?1` from [`Tiers::fragment`].
    pub fragment_match: &'static str,
    /// Anywhere in the phone digits: `?1` from [`Tiers::phone`].
    pub phone_match: &'static str,
}

pub(super) const SQLITE: Tiers = Tiers {
    engine: Engine::Sqlite,
    short_name: "WHERE full_name LIKE ?1 ESCAPE '\\' AND archived_at IS NULL
                 ORDER BY full_name COLLATE NOCASE LIMIT ?2",
    name_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth
     FROM clients INDEXED BY clients_active_list
     WHERE archived_at IS NULL AND full_name >= ?1 COLLATE NOCASE AND full_name < ?2 COLLATE NOCASE
     ORDER BY full_name COLLATE NOCASE LIMIT ?3",
    birth_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth
     FROM clients INDEXED BY clients_by_birth
     WHERE date_of_birth >= ?1 AND date_of_birth < ?2 AND archived_at IS NULL LIMIT ?3",
    email_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth
     FROM clients INDEXED BY clients_by_email
     WHERE email >= ?1 COLLATE NOCASE AND email < ?2 COLLATE NOCASE AND archived_at IS NULL LIMIT ?3",
    word_match: "SELECT c.rowid AS rowid, c.full_name AS full_name, c.phone_digits AS phone_digits,
            c.email AS email, c.date_of_birth AS date_of_birth
     FROM clients_words AS w CROSS JOIN clients AS c ON c.rowid = w.rowid
     WHERE clients_words MATCH ?1 AND c.archived_at IS NULL LIMIT ?2",
    fragment_match: "SELECT c.rowid AS rowid, c.full_name AS full_name, c.phone_digits AS phone_digits,
            c.email AS email, c.date_of_birth AS date_of_birth
     FROM clients_search AS s CROSS JOIN clients AS c ON c.rowid = s.rowid
     WHERE clients_search MATCH ?1 AND c.archived_at IS NULL LIMIT ?2",
    phone_match: "SELECT c.rowid AS rowid, c.full_name AS full_name, c.phone_digits AS phone_digits,
            c.email AS email, c.date_of_birth AS date_of_birth
     FROM clients_search AS s CROSS JOIN clients AS c ON c.rowid = s.rowid
     WHERE clients_search MATCH ?1 AND c.archived_at IS NULL LIMIT ?2",
};

pub(super) const POSTGRES: Tiers = Tiers {
    engine: Engine::Postgres,
    short_name: "WHERE lower(full_name) LIKE lower(?1) ESCAPE '\\' AND archived_at IS NULL
                 ORDER BY lower(full_name) LIMIT ?2",
    name_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND lower(full_name) >= lower(?1 COLLATE \"C\")
       AND lower(full_name) < lower(?2 COLLATE \"C\")
     ORDER BY lower(full_name) LIMIT ?3",
    birth_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE date_of_birth >= ?1 AND date_of_birth < ?2 AND archived_at IS NULL LIMIT ?3",
    email_prefix: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND lower(email) >= lower(?1 COLLATE \"C\")
       AND lower(email) < lower(?2 COLLATE \"C\") LIMIT ?3",
    word_match: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND to_tsvector('simple', full_name) @@ to_tsquery('simple', ?1) LIMIT ?2",
    // `search_text`: name and e-mail folded, phone digits, birth date (server step 0003).
    fragment_match: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND search_text LIKE ?1 LIMIT ?2",
    phone_match: "SELECT rowid, full_name, phone_digits, email, date_of_birth FROM clients
     WHERE archived_at IS NULL AND phone_digits LIKE ?1 LIMIT ?2",
};

impl Tiers {
    pub fn of(engine: Engine) -> &'static Tiers {
        match engine {
            Engine::Sqlite => &SQLITE,
            Engine::Postgres => &POSTGRES,
        }
    }

    /// Every word of `words` starts a word of the name; `in_order`: as a phrase, the last word
    /// a start ("grace lov" finds "Grace Lovelace").
    pub fn words(&self, words: &[&str], in_order: bool) -> String {
        match self.engine {
            Engine::Sqlite if in_order => format!("full_name : {} *", fts_phrase(&words.join(" "))),
            Engine::Sqlite => words
                .iter()
                .map(|w| format!("full_name : {} *", fts_phrase(w)))
                .collect::<Vec<_>>()
                .join(" AND "),
            Engine::Postgres => {
                let lexemes: Vec<String> = words
                    .iter()
                    .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
                    .filter(|w| !w.is_empty())
                    .map(|w| format!("'{}'", w.to_lowercase().replace('\\', "\\\\").replace('\'', "''")))
                    .collect();
                let joined = lexemes.join(if in_order { " <-> " } else { ":* & " });
                if joined.is_empty() {
                    "''".to_owned()
                } else {
                    format!("{joined}:*")
                }
            }
        }
    }

    /// The text anywhere.
    pub fn fragment(&self, term: &str) -> String {
        match self.engine {
            Engine::Sqlite => fts_phrase(term),
            Engine::Postgres => format!("%{}%", like_escaped(&term.to_lowercase())),
        }
    }

    /// The digits anywhere in the phone number.
    pub fn phone(&self, digits: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("phone_digits : {}", fts_phrase(digits)),
            Engine::Postgres => format!("%{}%", like_escaped(digits)),
        }
    }
}

/// An FTS5 phrase: the text in double quotes, its own quotes doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `%`, `_` and `\` taken literally in a LIKE pattern with `ESCAPE '\'`.
pub(super) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_queries_on_each_engine() {
        assert_eq!(SQLITE.words(&["grace lov"], true), "full_name : \"grace lov\" *");
        assert_eq!(
            SQLITE.words(&["lovelace", "grace"], false),
            "full_name : \"lovelace\" * AND full_name : \"grace\" *"
        );
        assert_eq!(POSTGRES.words(&["Grace Lov"], true), "'grace' <-> 'lov':*");
        assert_eq!(
            POSTGRES.words(&["lovelace", "grace"], false),
            "'lovelace':* & 'grace':*"
        );
        assert_eq!(POSTGRES.words(&["o'brien"], true), "'o' <-> 'brien':*");
        assert_eq!(POSTGRES.fragment("50%_A"), "%50\\%\\_a%");
    }
}
