//! The client search's queries on each engine. The tiers and their ranking are the same
//! (`clients.rs`); what finds the candidates differs: SQLite's FTS5 tables (words, trigrams)
//! and NOCASE ranges, the server's full-text and trigram indexes on `clients` and ranges on
//! `lower(...)` compared byte by byte (`migrations/postgres/README.md`).

use super::db::{Engine, Params, Row};
use super::error::StoreResult;
use super::{rows, Store};
use rusqlite::params;

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
    /// Every word starts a word of the name, in any order: `?1` and `?2` from
    /// [`Tiers::words_any_order`], `?3` the limit.
    pub words_any_order: &'static str,
    /// Anywhere in name, e-mail, birth date or phone digits: `?1` from [`Tiers::fragment`].
    pub fragment_match: &'static str,
    /// Name start, word start and fragment of one word in one statement, for an engine where a
    /// statement is a round trip: `?1`, `?2`, `?3` as `name_prefix`, `?4` and `?5` from
    /// [`Tiers::word_start`], `?6` from [`Tiers::fragment`]; each row's `tier` is 1, 2 or 3.
    pub one_word_tiers: Option<&'static str>,
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
    // ?1 holds every word; ?2 is the server's (SQLite leaves an unused number unbound).
    words_any_order: "SELECT c.rowid AS rowid, c.full_name AS full_name, c.phone_digits AS phone_digits,
            c.email AS email, c.date_of_birth AS date_of_birth
     FROM clients_words AS w CROSS JOIN clients AS c ON c.rowid = w.rowid
     WHERE clients_words MATCH ?1 AND c.archived_at IS NULL LIMIT ?3",
    fragment_match: "SELECT c.rowid AS rowid, c.full_name AS full_name, c.phone_digits AS phone_digits,
            c.email AS email, c.date_of_birth AS date_of_birth
     FROM clients_search AS s CROSS JOIN clients AS c ON c.rowid = s.rowid
     WHERE clients_search MATCH ?1 AND c.archived_at IS NULL LIMIT ?2",
    // In process, three statements cost no more than one.
    one_word_tiers: None,
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
    // The tiers below read `client_search_text` (server step 0003): per active client, the name
    // and e-mail folded, phone digits and birth date a line apart, and the name's words each
    // after a space. Ranking needs no more, so `clients` is read only for the best.
    word_match: "SELECT rowid, split_part(search_text, chr(10), 1) AS full_name,
            split_part(search_text, chr(10), 2) AS phone_digits, split_part(search_text, chr(10), 3) AS email,
            split_part(search_text, chr(10), 4) AS date_of_birth
     FROM client_search_text WHERE name_words LIKE ?1 LIMIT ?2",
    words_any_order: "SELECT rowid, split_part(search_text, chr(10), 1) AS full_name,
            split_part(search_text, chr(10), 2) AS phone_digits, split_part(search_text, chr(10), 3) AS email,
            split_part(search_text, chr(10), 4) AS date_of_birth
     FROM client_search_text WHERE name_words LIKE ?1 AND name_words LIKE ?2 LIMIT ?3",
    fragment_match: "SELECT rowid, split_part(search_text, chr(10), 1) AS full_name,
            split_part(search_text, chr(10), 2) AS phone_digits, split_part(search_text, chr(10), 3) AS email,
            split_part(search_text, chr(10), 4) AS date_of_birth
     FROM client_search_text WHERE search_text LIKE ?1 LIMIT ?2",
    // name_prefix, a word start as a range of `client_search_words` (server step 0004; a client
    // with two words in the range is one row, so the range reads twice the limit), and
    // fragment_match, each with its limit.
    one_word_tiers: Some(
        "(SELECT 1 AS tier, rowid, full_name, phone_digits, email, date_of_birth FROM clients
       WHERE archived_at IS NULL AND lower(full_name) >= lower(?1 COLLATE \"C\")
         AND lower(full_name) < lower(?2 COLLATE \"C\")
       ORDER BY lower(full_name) LIMIT ?3)
     UNION ALL
     (SELECT 2 AS tier, rowid, split_part(search_text, chr(10), 1), split_part(search_text, chr(10), 2),
            split_part(search_text, chr(10), 3), split_part(search_text, chr(10), 4)
       FROM client_search_text
       WHERE rowid IN (SELECT rowid FROM client_search_words WHERE word >= ?4 AND word < ?5 LIMIT 2 * ?3)
       LIMIT ?3)
     UNION ALL
     (SELECT 3 AS tier, rowid, split_part(search_text, chr(10), 1), split_part(search_text, chr(10), 2),
            split_part(search_text, chr(10), 3), split_part(search_text, chr(10), 4)
       FROM client_search_text WHERE search_text LIKE ?6 LIMIT ?3)",
    ),
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

    /// The words of `term` start words of the name, in this order ("grace lov" finds "Grace
    /// Lovelace"): the first whole, the last a start.
    pub fn words(&self, term: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("full_name : {} *", fts_phrase(term)),
            Engine::Postgres => format!("% {}%", like_escaped(&name_words(term))),
        }
    }

    /// The range of words that start with `term`, when `term` is one word and the engine has
    /// [`Tiers::one_word_tiers`].
    pub fn word_start(&self, term: &str) -> Option<(String, String)> {
        let word = name_words(term);
        (self.one_word_tiers.is_some() && !word.is_empty() && !word.contains(' ')).then(|| {
            let past = format!("{word}\u{10FFFF}");
            (word, past)
        })
    }

    /// Each of `words` starts a word of the name, in any order ("lovelace grace"). The server's
    /// query tests the two longest; `search_clients` checks any further ones itself.
    pub fn words_any_order(&self, words: &[&str]) -> (String, String) {
        match self.engine {
            Engine::Sqlite => (
                words
                    .iter()
                    .map(|w| format!("full_name : {} *", fts_phrase(w)))
                    .collect::<Vec<_>>()
                    .join(" AND "),
                String::new(),
            ),
            Engine::Postgres => {
                let mut longest: Vec<String> = words.iter().map(|w| name_words(w)).collect();
                longest.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
                let pattern =
                    |w: Option<&String>| format!("% {}%", like_escaped(w.map_or("", |w| w.as_str())));
                (pattern(longest.first()), pattern(longest.get(1)))
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

/// A search candidate: what ranking needs, and the rowid to read the whole row by.
pub(super) struct Candidate {
    pub rowid: i64,
    pub full_name: String,
    pub phone_digits: Option<String>,
    pub email: Option<String>,
    pub date_of_birth: String,
}

impl Candidate {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            rowid: r.get("rowid")?,
            full_name: r.get("full_name")?,
            phone_digits: r.get("phone_digits")?,
            email: r.get("email")?,
            date_of_birth: r.get("date_of_birth")?,
        })
    }
}

impl Store {
    /// Up to `cap` active clients from one of the candidate queries, with what ranking needs.
    pub(super) fn candidates(&self, sql: &str, args: impl Params) -> StoreResult<Vec<Candidate>> {
        rows::read_all(self.conn(), sql, args, Candidate::from_row)
    }

    /// As [`Store::candidates`], planned for these very values each time: a fragment's best
    /// plan depends on how common it is (a server would otherwise settle on one plan for all).
    pub(super) fn candidates_replanned(&self, sql: &str, args: impl Params) -> StoreResult<Vec<Candidate>> {
        self.conn().query_all_replanned(sql, args, Candidate::from_row)
    }

    /// The name-start, word-start and fragment candidates of a one-word search, in that order,
    /// from one statement where the engine has [`Tiers::one_word_tiers`] (`past_term` is `term`
    /// and U+10FFFF); `None` where it has not or `term` is not one word of letters.
    pub(super) fn one_word_tiers(
        &self,
        tiers: &Tiers,
        term: &str,
        past_term: &str,
        cap: i64,
    ) -> StoreResult<Option<[Vec<Candidate>; 3]>> {
        let (Some(sql), Some((word, past_word))) = (tiers.one_word_tiers, tiers.word_start(term)) else {
            return Ok(None);
        };
        if term.contains('@') || !term.chars().any(char::is_alphabetic) {
            return Ok(None);
        }
        let args = params![term, past_term, cap, word, past_word, tiers.fragment(term)];
        let rows = self.conn().query_all_replanned(sql, args, |r| {
            Ok((r.get::<_, i64>("tier")?, Candidate::from_row(r)?))
        })?;
        let mut found: [Vec<Candidate>; 3] = Default::default();
        for (tier, candidate) in rows {
            let at = usize::try_from(tier - 1).unwrap_or(2).min(2);
            found[at].push(candidate);
        }
        Ok(Some(found))
    }
}

/// The text's words lower-cased, a space apart, as the server's `name_words` holds a name's.
pub(super) fn name_words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each of `words` starts a word of `name` (words split as [`name_words`] splits them).
pub(super) fn has_word_starts(name: &str, words: &[&str]) -> bool {
    let name = format!(" {}", name_words(name));
    words
        .iter()
        .all(|w| name.contains(&format!(" {}", name_words(w))))
}

/// How well a client matches: 0 a field is the text, 1 starts with it, 2 a word of it does,
/// 3 contains it.
pub(super) fn rank(name: &str, phone: &str, email: &str, born: &str, needle: &str, phone_like: bool) -> u8 {
    let tier = |field: &str| {
        if field == needle {
            0
        } else if field.starts_with(needle) {
            1
        } else if field
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| w.starts_with(needle))
        {
            2
        } else {
            3
        }
    };
    if phone_like {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        tier(&digits)
    } else {
        tier(&name.to_lowercase())
            .min(tier(&email.to_lowercase()))
            .min(tier(born))
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
        assert_eq!(SQLITE.words("grace lov"), "full_name : \"grace lov\" *");
        assert_eq!(
            SQLITE.words_any_order(&["lovelace", "grace"]).0,
            "full_name : \"lovelace\" * AND full_name : \"grace\" *"
        );
        assert_eq!(POSTGRES.words("Grace  Lov"), "% grace lov%");
        assert_eq!(
            POSTGRES.words_any_order(&["ann", "lovelace", "grace"]),
            ("% lovelace%".to_owned(), "% grace%".to_owned())
        );
        assert_eq!(POSTGRES.words("O'Brien"), "% o brien%");
        assert_eq!(
            POSTGRES.word_start("Ani"),
            Some(("ani".to_owned(), "ani\u{10FFFF}".to_owned()))
        );
        assert_eq!(POSTGRES.word_start("O'Brien"), None, "two words: a phrase");
        assert_eq!(SQLITE.word_start("ani"), None);
        assert_eq!(POSTGRES.words("50%"), "% 50%");
        assert_eq!(POSTGRES.fragment("50%_A"), "%50\\%\\_a%");
    }
}
