//! `clients`: details, search, archive.

use super::db::Row;
use super::search_sql::{like_escaped, rank, Candidate, Tiers};
use chrono::NaiveDate;
use rusqlite::params;

use super::error::StoreResult;
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, Client, ClientDetails, ClientId, SkinType};

const TABLE: &str = "clients";

/// A row of the client list or a search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub id: ClientId,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub archived: bool,
}

/// The orders the whole client list can be paged in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ClientOrder {
    #[default]
    NameAscending,
    NameDescending,
    BornAscending,
    BornDescending,
}

/// When a client was last treated and is next booked (as of the day asked about).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientVisits {
    pub next_booked: Option<NaiveDate>,
    pub last_visit: Option<NaiveDate>,
}

/// A search result with how well it matched (0 = exact, 1 = starts with, 2 = a word starts
/// with, 3 = contains).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHit {
    pub client: ClientSummary,
    pub rank: u8,
}

const SUMMARY_COLUMNS: &str =
    "id, full_name, date_of_birth, phone, email, archived_at IS NOT NULL AS archived";

/// A client list row as stored ([`SUMMARY_COLUMNS`]).
struct SummaryRow {
    id: String,
    full_name: String,
    date_of_birth: String,
    phone: Option<String>,
    email: Option<String>,
    archived: bool,
}

impl SummaryRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            full_name: r.get("full_name")?,
            date_of_birth: r.get("date_of_birth")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            archived: r.get("archived")?,
        })
    }

    fn into_summary(self) -> StoreResult<ClientSummary> {
        let id = self.id;
        Ok(ClientSummary {
            id: rows::parse(TABLE, &id, "id", &id)?,
            date_of_birth: rows::date(TABLE, &id, &self.date_of_birth)?,
            full_name: self.full_name,
            phone: self.phone,
            email: self.email,
            archived: self.archived,
        })
    }
}

const CLIENT_BY_ID: &str =
    "SELECT full_name, date_of_birth, phone, email, skin_type, notes, archived_at IS NOT NULL AS archived
     FROM clients WHERE id = ?1";

/// A client's details as stored.
struct ClientRow {
    full_name: String,
    date_of_birth: String,
    phone: Option<String>,
    email: Option<String>,
    skin_type: u8,
    notes: String,
    archived: bool,
}

impl ClientRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            full_name: r.get("full_name")?,
            date_of_birth: r.get("date_of_birth")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            skin_type: r.get("skin_type")?,
            notes: r.get("notes")?,
            archived: r.get("archived")?,
        })
    }

    fn into_client(self, id: ClientId) -> StoreResult<Client> {
        let key = id.to_string();
        Ok(Client {
            id,
            details: ClientDetails {
                full_name: self.full_name,
                date_of_birth: rows::date(TABLE, &key, &self.date_of_birth)?,
                phone: self.phone,
                email: self.email,
                skin_type: SkinType::try_from(self.skin_type).map_err(|e| rows::bad(TABLE, &key, e))?,
                notes: self.notes,
            },
            archived: self.archived,
        })
    }
}

impl Writer<'_> {
    pub fn insert_client(&mut self, client: &Client) -> StoreResult<()> {
        self.insert_client_noting(client, "")
    }

    /// Inserts a client; `detail` goes into the audit row (e.g. where an import read them).
    pub(super) fn insert_client_noting(&mut self, client: &Client, detail: &str) -> StoreResult<()> {
        let d = &client.details;
        d.check_limits()?;
        let id = client.id.to_string();
        self.tx
            .prepare_cached(
                "INSERT INTO clients (id, full_name, date_of_birth, phone, phone_digits, email, skin_type, notes, archived_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            )?
            .execute(params![
                id,
                d.full_name,
                d.date_of_birth.to_string(),
                d.phone,
                d.phone_digits(),
                d.email,
                d.skin_type.number(),
                d.notes,
                client.archived.then_some(self.now.as_str()),
                self.now,
            ])?;
        self.audit(AuditAction::Create, TABLE, &id, Some(&id), detail)
    }

    /// Replaces a client's details. The audit row names the fields that changed.
    ///
    /// `before` is the details as the form was opened with: if another desk saved the client
    /// since, nothing is saved and the refusal says who and when (optimistic concurrency, by
    /// comparing the row itself; this transaction holds the write lock, so nobody saves between
    /// the look and the change).
    pub fn update_client(
        &mut self,
        id: ClientId,
        before: &ClientDetails,
        after: &ClientDetails,
    ) -> StoreResult<()> {
        after.check_limits()?;
        let key = id.to_string();
        let now = rows::read_one(&self.tx, CLIENT_BY_ID, [&key], ClientRow::from_row)?
            .map(|row| row.into_client(id))
            .transpose()?
            .ok_or(super::StoreError::NotFound { what: "client" })?;
        if now.details != *before && now.details != *after {
            return Err(super::audit::changed_elsewhere(
                &self.tx,
                "client's details",
                TABLE,
                &key,
            ));
        }
        let changed = self.exec(
            "UPDATE clients SET full_name = ?2, date_of_birth = ?3, phone = ?4, phone_digits = ?5, email = ?6,
                    skin_type = ?7, notes = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                key,
                after.full_name,
                after.date_of_birth.to_string(),
                after.phone,
                after.phone_digits(),
                after.email,
                after.skin_type.number(),
                after.notes,
                self.now,
            ],
        )?;
        if changed == 0 {
            return Err(super::StoreError::NotFound { what: "client" });
        }
        let mut fields = Vec::new();
        if before.full_name != after.full_name {
            fields.push("full name");
        }
        if before.date_of_birth != after.date_of_birth {
            fields.push("date of birth");
        }
        if before.phone != after.phone {
            fields.push("phone");
        }
        if before.email != after.email {
            fields.push("email");
        }
        if before.skin_type != after.skin_type {
            fields.push("skin type");
        }
        if before.notes != after.notes {
            fields.push("notes");
        }
        let detail = format!("changed: {}", fields.join(", "));
        self.audit(AuditAction::Update, TABLE, &key, Some(&key), &detail)
    }

    /// Archives a client: hidden from the list, records kept.
    pub fn archive_client(&mut self, id: ClientId) -> StoreResult<()> {
        let key = id.to_string();
        let changed = self.exec(
            "UPDATE clients SET archived_at = ?2, updated_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
            params![key, self.now],
        )?;
        if changed == 0 {
            return Err(super::StoreError::NotFound { what: "client" });
        }
        self.audit(AuditAction::Archive, TABLE, &key, Some(&key), "")
    }
}

impl Store {
    pub fn client(&self, id: ClientId) -> StoreResult<Option<Client>> {
        rows::read_one(self.conn(), CLIENT_BY_ID, [id.to_string()], ClientRow::from_row)?
            .map(|row| row.into_client(id))
            .transpose()
    }

    /// Clients (not archived) with the same name, ignoring case, and date of birth.
    pub fn same_name_and_birth(
        &self,
        full_name: &str,
        date_of_birth: NaiveDate,
        except: Option<ClientId>,
    ) -> StoreResult<Vec<ClientSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM clients
             WHERE date_of_birth = ?1 AND lower(full_name) = lower(?2) AND archived_at IS NULL AND id IS DISTINCT FROM ?3"
        );
        let args = params![
            date_of_birth.to_string(),
            full_name.trim(),
            except.map(|i| i.to_string())
        ];
        rows::read_all(self.conn(), &sql, args, SummaryRow::from_row)?
            .into_iter()
            .map(SummaryRow::into_summary)
            .collect()
    }

    /// One page of the active clients' list in `order`, for a virtualised list (each order
    /// is one range of an index, however deep the page).
    pub fn client_page_in(
        &self,
        order: ClientOrder,
        offset: usize,
        limit: usize,
    ) -> StoreResult<Vec<ClientSummary>> {
        let (index, order_by) = match order {
            ClientOrder::NameAscending => ("clients_active_list", "full_name COLLATE NOCASE, id"),
            ClientOrder::NameDescending => ("clients_active_list", "full_name COLLATE NOCASE DESC, id DESC"),
            ClientOrder::BornAscending => (
                "clients_active_by_birth",
                "date_of_birth, full_name COLLATE NOCASE, id",
            ),
            ClientOrder::BornDescending => (
                "clients_active_by_birth",
                "date_of_birth DESC, full_name COLLATE NOCASE DESC, id DESC",
            ),
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM clients INDEXED BY {index} WHERE archived_at IS NULL
             ORDER BY {order_by} LIMIT ?1 OFFSET ?2"
        );
        self.summaries_page(&sql, offset, limit)
    }

    /// Each client's next booked appointment (on or after `today`) and last treatment, for
    /// the rows a list shows.
    pub fn client_visits(
        &self,
        ids: &[ClientId],
        today: NaiveDate,
    ) -> StoreResult<std::collections::HashMap<ClientId, ClientVisits>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT
                 (SELECT min(s.booked_on) FROM treatment_plans AS p INDEXED BY treatment_plans_by_client
                  JOIN sessions AS s ON s.plan_id = p.id
                  WHERE p.client_id = ?1 AND s.status = 'booked' AND s.booked_on >= ?2) AS next_booked,
                 (SELECT max(s.performed_on) FROM treatment_plans AS p INDEXED BY treatment_plans_by_client
                  JOIN sessions AS s ON s.plan_id = p.id
                  WHERE p.client_id = ?1 AND s.status = 'done') AS last_visit",
        )?;
        let today = today.to_string();
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for id in ids {
            let key = id.to_string();
            let (next, last): (Option<String>, Option<String>) = stmt
                .query_row(params![key, today], |r| {
                    Ok((r.get("next_booked")?, r.get("last_visit")?))
                })?;
            let visits = ClientVisits {
                next_booked: next.map(|d| rows::date(TABLE, &key, &d)).transpose()?,
                last_visit: last.map(|d| rows::date(TABLE, &key, &d)).transpose()?,
            };
            out.insert(*id, visits);
        }
        Ok(out)
    }

    /// The rows of `sql` (a summary query taking LIMIT ?1 OFFSET ?2).
    fn summaries_page(&self, sql: &str, offset: usize, limit: usize) -> StoreResult<Vec<ClientSummary>> {
        rows::read_all(
            self.conn(),
            sql,
            params![to_i64(limit), to_i64(offset)],
            SummaryRow::from_row,
        )?
        .into_iter()
        .map(SummaryRow::into_summary)
        .collect()
    }

    /// One page of the client list in name order, for a virtualised list.
    pub fn client_page(
        &self,
        offset: usize,
        limit: usize,
        include_archived: bool,
    ) -> StoreResult<Vec<ClientSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM clients {} ORDER BY full_name COLLATE NOCASE, id LIMIT ?1 OFFSET ?2",
            if include_archived { "" } else { "WHERE archived_at IS NULL" }
        );
        self.summaries_page(&sql, offset, limit)
    }

    pub fn client_count(&self, include_archived: bool) -> StoreResult<usize> {
        let sql = if include_archived {
            "SELECT count(*) FROM clients"
        } else {
            "SELECT count(*) FROM clients WHERE archived_at IS NULL"
        };
        let n: i64 = self.conn().query_row(sql, [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Finds clients by any part of the name, phone digits, email or date of birth, best
    /// matches first: exact, then starts with, then a word starts with, then contains.
    /// Three or more characters go through the trigram index; shorter text matches name starts.
    pub fn search_clients(&self, query: &str, limit: usize) -> StoreResult<Vec<ClientHit>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(self
                .client_page(0, limit, false)?
                .into_iter()
                .map(|client| ClientHit { client, rank: 3 })
                .collect());
        }
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let phone_like = !digits.is_empty()
            && q.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
            && !looks_like_date(q);
        let term = if phone_like { digits.as_str() } else { q };
        let needle = term.to_lowercase();
        let tiers = Tiers::of(self.conn().engine());
        if term.chars().count() < 3 {
            let sql = format!("SELECT {SUMMARY_COLUMNS} FROM clients {}", tiers.short_name);
            let pattern = format!("{}%", like_escaped(term));
            let found = rows::read_all(
                self.conn(),
                &sql,
                params![pattern, to_i64(limit)],
                SummaryRow::from_row,
            )?;
            let mut hits = found
                .into_iter()
                .map(|r| {
                    r.into_summary().map(|client| ClientHit {
                        rank: rank(
                            &client.full_name,
                            client.phone.as_deref().unwrap_or_default(),
                            client.email.as_deref().unwrap_or_default(),
                            &client.date_of_birth.to_string(),
                            &needle,
                            phone_like,
                        ),
                        client,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            hits.sort_by_cached_key(|h| (h.rank, h.client.full_name.to_lowercase()));
            return Ok(hits);
        }
        // Three bounded reads, best tier first: names that start with the text (the name
        // index), names or emails with a word that starts with it (word index), then anything
        // containing it (trigram index). Each stops at `limit` rows, so a fragment shared by
        // 30,000 clients costs no more than a rare one; the best `limit` are then read whole.
        let mut seen = std::collections::HashSet::new();
        let mut candidates: Vec<(u8, String, i64)> = Vec::new();
        let mut add = |rows: Vec<Candidate>| -> usize {
            let before = candidates.len();
            for c in rows {
                if seen.insert(c.rowid) {
                    let rank = rank(
                        &c.full_name,
                        c.phone_digits.as_deref().unwrap_or_default(),
                        c.email.as_deref().unwrap_or_default(),
                        &c.date_of_birth,
                        &needle,
                        phone_like,
                    );
                    candidates.push((rank, c.full_name.to_lowercase(), c.rowid));
                }
            }
            candidates.len() - before
        };
        let cap = to_i64(limit);
        let upper = format!("{term}\u{10FFFF}");
        if phone_like {
            add(self.candidates_replanned(tiers.phone_match, params![tiers.phone(term), cap])?);
        } else if looks_like_date(term) {
            // A birth date, whole or its start: the date index, no text search.
            add(self.candidates(tiers.birth_prefix, params![term, upper, cap])?);
        } else if let Some(found) = self.one_word_tiers(tiers, term, &upper, cap)? {
            // One word on a server: its three tiers come back from one statement.
            let [mut prefixed, by_word, by_fragment] = found;
            prefixed.retain(|c| c.full_name.to_lowercase().starts_with(&needle));
            add(prefixed);
            add(by_word);
            add(by_fragment);
        } else {
            let mut by_email = 0;
            if term.contains('@') {
                // An email, whole or its start: the email index first.
                by_email = add(self.candidates(tiers.email_prefix, params![term, upper, cap])?);
            }
            // Past the last name that starts with the text (NOCASE folds ASCII letters only,
            // so the range is checked again below for other scripts).
            let mut prefixed = self.candidates(tiers.name_prefix, params![term, upper, cap])?;
            prefixed.retain(|c| c.full_name.to_lowercase().starts_with(&needle));
            add(prefixed);
            if term.chars().any(char::is_alphabetic) && !term.contains('@') {
                add(self.candidates_replanned(tiers.word_match, params![tiers.words(term), cap])?);
                // Words in another order ("lovelace grace"): every word starts a word of the name.
                let words: Vec<&str> = term
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .collect();
                if words.len() > 1 {
                    let (first, second) = tiers.words_any_order(&words);
                    let mut found =
                        self.candidates_replanned(tiers.words_any_order, params![first, second, cap])?;
                    // The server's query tests two words; any others are checked here (SQLite's
                    // query tests every word, folding accents as this check would not).
                    if tiers.engine == super::Engine::Postgres && words.len() > 2 {
                        found.retain(|c| super::search_sql::has_word_starts(&c.full_name, &words));
                    }
                    add(found);
                }
            }
            if by_email == 0 {
                add(self.candidates_replanned(tiers.fragment_match, params![tiers.fragment(term), cap])?);
            }
        }
        candidates.sort_unstable();
        candidates.truncate(limit);
        if self.conn().engine() == super::Engine::Postgres {
            return self.hits_in_one_read(candidates);
        }
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM clients WHERE rowid = ?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        candidates
            .into_iter()
            .map(|(rank, _, rowid)| {
                let row = stmt.query_row([rowid], SummaryRow::from_row)?;
                Ok(ClientHit {
                    client: row.into_summary()?,
                    rank,
                })
            })
            .collect()
    }

    /// The ranked candidates read whole in one query (a server's round trip per row would cost
    /// more than the search), in their ranked order.
    fn hits_in_one_read(&self, candidates: Vec<(u8, String, i64)>) -> StoreResult<Vec<ClientHit>> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=candidates.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT rowid, {SUMMARY_COLUMNS} FROM clients WHERE rowid IN ({})",
            marks.join(", ")
        );
        let ids: Vec<i64> = candidates.iter().map(|(_, _, rowid)| *rowid).collect();
        let mut found: std::collections::HashMap<i64, SummaryRow> = self
            .conn()
            .query_all(&sql, super::db::params_from_iter(&ids), |r| {
                Ok((r.get::<_, i64>("rowid")?, SummaryRow::from_row(r)?))
            })?
            .into_iter()
            .collect();
        candidates
            .into_iter()
            .filter_map(|(rank, _, rowid)| found.remove(&rowid).map(|row| (rank, row)))
            .map(|(rank, row)| {
                Ok(ClientHit {
                    client: row.into_summary()?,
                    rank,
                })
            })
            .collect()
    }
}

/// "1990-02" or "1990-02-14": a birth date, not phone digits.
fn looks_like_date(q: &str) -> bool {
    q.len() >= 7
        && q.chars().all(|c| c.is_ascii_digit() || c == '-')
        && q.contains('-')
        && q.starts_with(|c: char| c.is_ascii_digit())
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
