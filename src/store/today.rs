//! The Today view's lists: booked today, due this week, overdue, deferrals ending soon.
//!
//! Each list is a COUNT for its total and a sorted SELECT capped at [`MAX_ROWS`]. No query
//! scans a whole table. Booked today reads `sessions_booked` and reaches plans and clients by
//! key (`CROSS JOIN` keeps that order). Due and overdue read `next_sessions` (migration 0004):
//! one row per active plan of a client not archived, holding the plan's next open session with
//! what the lists show, kept by triggers and keyed by the window's end, so each of these lists
//! is one range of one table. Deferrals read `screenings_deferred`.
//!
//! "Open" sessions are planned or booked. A plan's *next* session is its lowest-numbered open
//! one; only that one is due or overdue. A booking in the past that was never marked done
//! counts as not booked (as in [`crate::domain::series::slot_status`]).

use super::db::params_from_iter;
use super::db::Row;
use chrono::{Duration, NaiveDate};
use rusqlite::params;
use rusqlite::types::Value;

use super::error::{StoreError, StoreResult};
use super::{rows, Store};
use crate::domain::today::{DEFERRAL_DAYS_AHEAD, DUE_DAYS_AHEAD, MAX_ROWS, REVIEW_DAYS_LISTED_AFTER};
use crate::domain::{Outcome, OutcomeKind, TodayList, TodayOverview, TodayRow};

const CLIENTS: &str = "clients";
const SESSIONS: &str = "sessions";
const SCREENINGS: &str = "screenings";

/// Sessions booked for ?1, with their plan and client; not once a session of the same plan was
/// done that day (the client was treated: the booking the treatment overtook is to be rebooked
/// from the record). Parameters: ?1 today.
const BOOKED_FROM: &str = "FROM sessions AS s INDEXED BY sessions_booked
     CROSS JOIN treatment_plans AS p ON p.id = s.plan_id
     CROSS JOIN clients AS c ON c.id = p.client_id
     WHERE s.booked_on = ?1 AND s.status = 'booked' AND c.archived_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM sessions AS d INDEXED BY sessions_by_plan
                        WHERE d.plan_id = s.plan_id AND d.status = 'done' AND d.performed_on = ?1)";

/// Next sessions not booked ahead whose window is open on ?1 or opens by ?2.
/// Parameters: ?1 today, ?2 today + DUE_DAYS_AHEAD.
const DUE_FROM: &str = "FROM next_sessions AS n
     WHERE n.latest_on >= ?1 AND n.earliest_on <= ?2 AND (n.status = 'planned' OR n.booked_on < ?1)";

/// Next sessions not booked ahead whose window closed before ?1. Parameters: ?1 today.
const OVERDUE_FROM: &str = "FROM next_sessions AS n
     WHERE n.latest_on < ?1 AND (n.status = 'planned' OR n.booked_on < ?1)";

/// Signed deferrals ending between ?1 and ?2 that are their client's latest signed screening
/// (by screening date, then time saved, then order saved). Parameters: ?1 today,
/// ?2 today + DEFERRAL_DAYS_AHEAD.
const DEFERRAL_FROM: &str = "FROM screenings AS d INDEXED BY screenings_deferred
     CROSS JOIN clients AS c ON c.id = d.client_id
     WHERE d.defer_until BETWEEN ?1 AND ?2 AND d.outcome = 'defer' AND d.signed_at IS NOT NULL
       AND c.archived_at IS NULL
       AND NOT EXISTS (
         SELECT 1 FROM screenings AS n INDEXED BY screenings_by_client
         WHERE n.client_id = d.client_id AND n.screened_on >= d.screened_on AND n.signed_at IS NOT NULL
           AND (n.screened_on > d.screened_on OR n.created_at > d.created_at
                OR (n.created_at = d.created_at AND n.rowid > d.rowid)))";

/// Completed series whose review date is between ?1 and ?2, of clients not archived and with no
/// active plan (a new series started is its own follow-up). Parameters: ?1 today minus
/// REVIEW_DAYS_LISTED_AFTER, ?2 today + DUE_DAYS_AHEAD.
const REVIEW_FROM: &str = "FROM treatment_plans AS p INDEXED BY treatment_plans_review
     CROSS JOIN clients AS c ON c.id = p.client_id
     WHERE p.review_on BETWEEN ?1 AND ?2 AND p.status = 'completed' AND c.archived_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM treatment_plans AS q INDEXED BY treatment_plans_by_client
                        WHERE q.client_id = p.client_id AND q.status = 'active')";

fn review_count_sql() -> String {
    format!("SELECT count(*) {REVIEW_FROM}")
}

fn review_rows_sql() -> String {
    format!(
        "SELECT c.id AS client_id, c.full_name AS full_name, p.review_on AS review_on, p.id AS plan_id,
            p.title AS title, p.sessions_planned AS sessions_planned {REVIEW_FROM}
     ORDER BY p.review_on, c.full_name COLLATE NOCASE, c.id, p.id LIMIT ?3"
    )
}

/// One session list: its tables and filter, the columns of a row (named as [`SessionListRow`]
/// reads them; `{date}` stands for the date the list sorts by), which date it sorts by, and how many days after today its `?2` is (lists without `?2` take only
/// `?1`, today).
struct SessionList {
    from: &'static str,
    columns: &'static str,
    date: &'static str,
    name: &'static str,
    ids: &'static str,
    ahead: Option<i64>,
    detail: Detail,
}

const BOOKED: SessionList = SessionList {
    from: BOOKED_FROM,
    columns: "c.id AS client_id, c.full_name AS full_name, {date} AS row_date, s.id AS session_id, s.number AS number,
              p.sessions_planned AS sessions_planned, p.title AS title, s.earliest_on AS earliest_on,
              s.latest_on AS latest_on",
    date: "s.booked_on",
    name: "c.full_name",
    ids: "c.id, s.id",
    ahead: None,
    detail: Detail::Booked,
};
const NEXT_COLUMNS: &str = "n.client_id AS client_id, n.full_name AS full_name, {date} AS row_date,
     n.session_id AS session_id, n.number AS number, n.sessions_planned AS sessions_planned, n.title AS title,
     n.earliest_on AS earliest_on, n.latest_on AS latest_on";
const DUE: SessionList = SessionList {
    from: DUE_FROM,
    columns: NEXT_COLUMNS,
    date: "n.target_on",
    name: "n.full_name",
    ids: "n.client_id, n.session_id",
    ahead: Some(DUE_DAYS_AHEAD),
    detail: Detail::Due,
};
const OVERDUE: SessionList = SessionList {
    from: OVERDUE_FROM,
    columns: NEXT_COLUMNS,
    date: "n.latest_on",
    name: "n.full_name",
    ids: "n.client_id, n.session_id",
    ahead: None,
    detail: Detail::Overdue,
};

impl SessionList {
    fn count_sql(&self) -> String {
        format!("SELECT count(*) {}", self.from)
    }

    fn rows_sql(&self) -> String {
        format!(
            "SELECT {} {}\n     ORDER BY {}, {} COLLATE NOCASE, {} LIMIT ?{}",
            self.columns.replace("{date}", self.date),
            self.from,
            self.date,
            self.name,
            self.ids,
            2 + usize::from(self.ahead.is_some()),
        )
    }

    /// `?1` today, and `?2` today + `ahead` for a list that looks ahead.
    fn date_params(&self, today: NaiveDate) -> Vec<Value> {
        std::iter::once(today)
            .chain(self.ahead.map(|days| days_after(today, days)))
            .map(|d| Value::Text(d.to_string()))
            .collect()
    }
}

fn deferral_count_sql() -> String {
    format!("SELECT count(*) {DEFERRAL_FROM}")
}

fn deferral_rows_sql() -> String {
    format!(
        "SELECT c.id AS client_id, c.full_name AS full_name, d.defer_until AS defer_until, d.id AS screening_id,
            d.outcome_detail AS outcome_detail {DEFERRAL_FROM}
     ORDER BY d.defer_until, c.full_name COLLATE NOCASE, c.id, d.id LIMIT ?3"
    )
}

/// A row of a session list as read ([`SessionList::columns`]): the client, the date the list
/// sorts by, the session and its plan's window.
struct SessionListRow {
    client_id: String,
    full_name: String,
    row_date: String,
    session_id: String,
    number: u32,
    sessions_planned: u32,
    title: String,
    earliest_on: String,
    latest_on: String,
}

impl SessionListRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            client_id: r.get("client_id")?,
            full_name: r.get("full_name")?,
            row_date: r.get("row_date")?,
            session_id: r.get("session_id")?,
            number: r.get("number")?,
            sessions_planned: r.get("sessions_planned")?,
            title: r.get("title")?,
            earliest_on: r.get("earliest_on")?,
            latest_on: r.get("latest_on")?,
        })
    }
}

/// A row of the deferrals list as read.
struct DeferralRow {
    client_id: String,
    full_name: String,
    defer_until: String,
    screening_id: String,
    outcome_detail: String,
}

impl DeferralRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            client_id: r.get("client_id")?,
            full_name: r.get("full_name")?,
            defer_until: r.get("defer_until")?,
            screening_id: r.get("screening_id")?,
            outcome_detail: r.get("outcome_detail")?,
        })
    }

    fn into_today_row(self) -> StoreResult<TodayRow> {
        let client = self.client_id;
        Ok(TodayRow {
            client_id: rows::parse(CLIENTS, &client, "id", &client)?,
            date: rows::date(SCREENINGS, &self.screening_id, &self.defer_until)?,
            client_name: self.full_name,
            detail: deferral_detail(&self.outcome_detail),
            session_id: None,
        })
    }
}

/// What a session list says about each row.
#[derive(Clone, Copy)]
enum Detail {
    Booked,
    Due,
    Overdue,
}

fn to_session_row(row: SessionListRow, detail: Detail, today: NaiveDate) -> StoreResult<TodayRow> {
    let id = row.session_id;
    let session = format!("Session {} of {}", row.number, row.sessions_planned);
    let latest = rows::date(SESSIONS, &id, &row.latest_on)?;
    let text = match detail {
        Detail::Booked => format!("{session} · {}", row.title),
        Detail::Due => {
            let earliest = rows::date(SESSIONS, &id, &row.earliest_on)?;
            format!("{session} · window {earliest} to {latest}")
        }
        Detail::Overdue => format!(
            "{session} · window ended {latest} ({})",
            days_ago((today - latest).num_days())
        ),
    };
    let client = row.client_id;
    Ok(TodayRow {
        client_id: rows::parse(CLIENTS, &client, "id", &client)?,
        date: rows::date(SESSIONS, &id, &row.row_date)?,
        client_name: row.full_name,
        detail: text,
        // Due and overdue rows can be booked from the list; a booked one is in the diary.
        session_id: match detail {
            Detail::Booked => None,
            Detail::Due | Detail::Overdue => Some(rows::parse(SESSIONS, &id, "session", &id)?),
        },
    })
}

/// `days` after `today`, or the last date there is (never a panic on an absurd "today").
fn days_after(today: NaiveDate, days: i64) -> NaiveDate {
    today
        .checked_add_signed(Duration::days(days))
        .unwrap_or(NaiveDate::MAX)
}

fn days_ago(days: i64) -> String {
    match days {
        1 => "1 day ago".to_owned(),
        n => format!("{n} days ago"),
    }
}

/// What a deferral row says: the deferring finding's message, else the first finding's, else
/// "Deferred" (also when the stored outcome cannot be read: one odd row must not hide the list).
fn deferral_detail(outcome_detail: &str) -> String {
    let Ok(outcome) = serde_json::from_str::<Outcome>(outcome_detail) else {
        return "Deferred".to_owned();
    };
    outcome
        .findings
        .iter()
        .find(|f| f.kind == OutcomeKind::Defer && f.area.is_none())
        .or_else(|| outcome.findings.first())
        .map(|f| f.message.trim())
        .filter(|m| !m.is_empty())
        .unwrap_or("Deferred")
        .to_owned()
}

fn to_count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn limit() -> Value {
    Value::Integer(i64::try_from(MAX_ROWS).unwrap_or(i64::MAX))
}

impl Store {
    /// The front desk's day as of `today`: each list sorted by its date, then name, at most
    /// [`MAX_ROWS`] rows with the full count in `total`.
    pub fn today_overview(&self, today: NaiveDate) -> StoreResult<TodayOverview> {
        Ok(TodayOverview {
            booked_today: self.session_list(&BOOKED, today)?,
            due_this_week: self.session_list(&DUE, today)?,
            overdue: self.session_list(&OVERDUE, today)?,
            deferrals_ending: self.deferrals_ending(today)?,
            reviews_due: self.reviews_due(today)?,
        })
    }

    fn reviews_due(&self, today: NaiveDate) -> StoreResult<TodayList> {
        let from = days_after(today, -REVIEW_DAYS_LISTED_AFTER).to_string();
        let until = days_after(today, DUE_DAYS_AHEAD).to_string();
        let total: i64 = self
            .conn()
            .prepare_cached(&review_count_sql())?
            .query_row(params![from, until], |r| r.get(0))?;
        let rows = rows::read_all(
            self.conn(),
            &review_rows_sql(),
            params![from, until, limit()],
            |r| {
                Ok((
                    r.get::<_, String>("client_id")?,
                    r.get::<_, String>("full_name")?,
                    r.get::<_, String>("review_on")?,
                    r.get::<_, String>("plan_id")?,
                    r.get::<_, String>("title")?,
                    r.get::<_, u32>("sessions_planned")?,
                ))
            },
        )?
        .into_iter()
        .map(|(client, name, review_on, plan, title, sessions)| {
            Ok(TodayRow {
                client_id: rows::parse(CLIENTS, &client, "id", &client)?,
                date: rows::date("treatment_plans", &plan, &review_on)?,
                client_name: name,
                detail: format!("Review of results · {title} ({sessions} sessions done)"),
                session_id: None,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(TodayList {
            rows,
            total: to_count(total),
        })
    }

    fn session_list(&self, list: &SessionList, today: NaiveDate) -> StoreResult<TodayList> {
        let dates = list.date_params(today);
        let total: i64 = self
            .conn()
            .prepare_cached(&list.count_sql())?
            .query_row(params_from_iter(&dates), |r| r.get(0))?;
        let found = rows::read_all(
            self.conn(),
            &list.rows_sql(),
            params_from_iter(dates.iter().chain([&limit()])),
            SessionListRow::from_row,
        )?;
        Ok(TodayList {
            rows: found
                .into_iter()
                .map(|row| to_session_row(row, list.detail, today))
                .collect::<StoreResult<Vec<_>>>()?,
            total: to_count(total),
        })
    }

    fn deferrals_ending(&self, today: NaiveDate) -> StoreResult<TodayList> {
        let from = today.to_string();
        let until = days_after(today, DEFERRAL_DAYS_AHEAD).to_string();
        let total: i64 = self
            .conn()
            .prepare_cached(&deferral_count_sql())?
            .query_row(params![from, until], |r| r.get(0))?;
        let rows = rows::read_all(
            self.conn(),
            &deferral_rows_sql(),
            params![from, until, limit()],
            DeferralRow::from_row,
        )?
        .into_iter()
        .map(DeferralRow::into_today_row)
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(TodayList {
            rows,
            total: to_count(total),
        })
    }

    /// Every Today query with its `EXPLAIN QUERY PLAN` lines, so a test can prove that none
    /// scans a whole table.
    #[doc(hidden)]
    pub fn today_query_plans(&self) -> StoreResult<Vec<(String, Vec<String>)>> {
        let queries = [
            BOOKED.count_sql(),
            BOOKED.rows_sql(),
            DUE.count_sql(),
            DUE.rows_sql(),
            OVERDUE.count_sql(),
            OVERDUE.rows_sql(),
            deferral_count_sql(),
            deferral_rows_sql(),
            review_count_sql(),
            review_rows_sql(),
        ];
        queries
            .into_iter()
            .map(|sql| {
                let conn = self.conn().sqlite().ok_or(StoreError::Refused(
                    "Query plans are read from a database file only.".to_owned(),
                ))?;
                let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let unbound = vec![Value::Null; stmt.parameter_count()];
                let lines = stmt
                    .query_map(rusqlite::params_from_iter(unbound), |r| {
                        r.get::<_, String>("detail")
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((sql, lines))
            })
            .collect()
    }
}
