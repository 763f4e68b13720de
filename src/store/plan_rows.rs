//! Reading `treatment_plans`, `plan_concerns`, `plan_areas`, `sessions` and `session_areas`:
//! each row is read by column name into a row struct, then parsed into domain types (a value
//! edited into nonsense is a damaged row, never a panic). The `*_of_client` readers take a
//! whole client's rows in one query each, so a record costs the same few queries however many
//! plans and sessions it holds.

use std::collections::HashMap;

use super::db::{Db, Row};

use super::error::StoreResult;
use super::{rows, Store};
use crate::domain::series::SeriesSpec;
use crate::domain::{
    ClientId, DepthRange, IntervalWindow, NeedleDepth, PlanId, PlanStatus, PlannedArea, Session, SessionArea,
    SessionId, SessionStatus, TreatmentPlan,
};

const PLANS: &str = "treatment_plans";
const SESSIONS: &str = "sessions";
const AREAS: &str = "session_areas";

const PLAN_COLUMNS: &str = "id, client_id, title, start_date, sessions_planned, interval_min_days,
    interval_target_days, interval_max_days, serums, status, protocol_version, notes, prescriber";

/// The ids of a client's plans, for the readers of everything below them.
const CLIENT_PLAN_IDS: &str = "SELECT id FROM treatment_plans WHERE client_id = ?1";

/// A `treatment_plans` row as stored.
struct PlanRow {
    id: String,
    client_id: String,
    title: String,
    start_date: String,
    sessions_planned: u32,
    interval_min_days: u32,
    interval_target_days: u32,
    interval_max_days: u32,
    serums: String,
    prescriber: Option<String>,
    status: String,
    protocol_version: String,
    notes: String,
}

impl PlanRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            title: r.get("title")?,
            start_date: r.get("start_date")?,
            sessions_planned: r.get("sessions_planned")?,
            interval_min_days: r.get("interval_min_days")?,
            interval_target_days: r.get("interval_target_days")?,
            interval_max_days: r.get("interval_max_days")?,
            serums: r.get("serums")?,
            prescriber: r.get("prescriber")?,
            status: r.get("status")?,
            protocol_version: r.get("protocol_version")?,
            notes: r.get("notes")?,
        })
    }

    /// The plan, with its concerns (in their order) and areas (by name) read apart.
    fn into_plan(self, concerns: Vec<PlanConcernRow>, areas: Vec<PlanAreaRow>) -> StoreResult<TreatmentPlan> {
        let id = self.id;
        let bad = |e: crate::domain::DomainError| rows::bad(PLANS, &id, e);
        let window = IntervalWindow::with_target(
            self.interval_min_days,
            self.interval_target_days,
            self.interval_max_days,
        )
        .map_err(bad)?;
        let series = SeriesSpec::new(
            rows::date(PLANS, &id, &self.start_date)?,
            self.sessions_planned,
            window,
        )
        .map_err(bad)?;
        let concerns = concerns
            .iter()
            .map(|c| rows::parse(PLANS, &id, "concern", &c.concern_id))
            .collect::<StoreResult<Vec<_>>>()?;
        let areas = areas
            .into_iter()
            .map(|a| {
                let depth = DepthRange::new(
                    NeedleDepth::from_hundredths(a.depth_min_hundredths).map_err(bad)?,
                    NeedleDepth::from_hundredths(a.depth_max_hundredths).map_err(bad)?,
                )
                .map_err(bad)?;
                Ok(PlannedArea {
                    area: a.area,
                    depth,
                    reason: a.reason,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(TreatmentPlan {
            client_id: rows::parse(PLANS, &id, "client", &self.client_id)?,
            title: self.title,
            concerns,
            areas,
            serums: rows::json(PLANS, &id, "serums", &self.serums)?,
            series,
            status: PlanStatus::from_code(&self.status).map_err(bad)?,
            protocol_version: self.protocol_version,
            notes: self.notes,
            prescriber: self.prescriber,
            id: rows::parse(PLANS, &id, "id", &id)?,
        })
    }
}

/// A `plan_concerns` row. Ordered by position (then id, so equal positions keep one order).
struct PlanConcernRow {
    plan_id: String,
    concern_id: String,
}

const PLAN_CONCERN_COLUMNS: &str = "SELECT plan_id, concern_id FROM plan_concerns";
const PLAN_CONCERN_ORDER: &str = "ORDER BY position, concern_id";

impl PlanConcernRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            plan_id: r.get("plan_id")?,
            concern_id: r.get("concern_id")?,
        })
    }
}

/// A `plan_areas` row. Ordered by area.
struct PlanAreaRow {
    plan_id: String,
    area: String,
    depth_min_hundredths: u16,
    depth_max_hundredths: u16,
    reason: Option<String>,
}

const PLAN_AREA_COLUMNS: &str =
    "SELECT plan_id, area, depth_min_hundredths, depth_max_hundredths, reason FROM plan_areas";

impl PlanAreaRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            plan_id: r.get("plan_id")?,
            area: r.get("area")?,
            depth_min_hundredths: r.get("depth_min_hundredths")?,
            depth_max_hundredths: r.get("depth_max_hundredths")?,
            reason: r.get("reason")?,
        })
    }
}

const SESSION_COLUMNS: &str = "id, plan_id, number, status, earliest_on, target_on, latest_on, booked_on, performed_on,
    practitioner, screening_id, serum_product_id, cartridge_product_id, numbing_product_id, interval_override_reason,
    notes, signed_by, signed_at, serum_reason, signer_id";

/// A `sessions` row as stored.
struct SessionRow {
    id: String,
    plan_id: String,
    number: i64,
    status: String,
    earliest_on: String,
    target_on: String,
    latest_on: String,
    booked_on: Option<String>,
    performed_on: Option<String>,
    practitioner: Option<String>,
    screening_id: Option<String>,
    serum_product_id: Option<String>,
    cartridge_product_id: Option<String>,
    numbing_product_id: Option<String>,
    interval_override_reason: Option<String>,
    notes: String,
    signed_by: Option<String>,
    signer_id: Option<String>,
    signed_at: Option<String>,
    serum_reason: Option<String>,
}

impl SessionRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            plan_id: r.get("plan_id")?,
            number: r.get("number")?,
            status: r.get("status")?,
            earliest_on: r.get("earliest_on")?,
            target_on: r.get("target_on")?,
            latest_on: r.get("latest_on")?,
            booked_on: r.get("booked_on")?,
            performed_on: r.get("performed_on")?,
            practitioner: r.get("practitioner")?,
            screening_id: r.get("screening_id")?,
            serum_product_id: r.get("serum_product_id")?,
            cartridge_product_id: r.get("cartridge_product_id")?,
            numbing_product_id: r.get("numbing_product_id")?,
            interval_override_reason: r.get("interval_override_reason")?,
            notes: r.get("notes")?,
            signed_by: r.get("signed_by")?,
            signer_id: r.get("signer_id")?,
            signed_at: r.get("signed_at")?,
            serum_reason: r.get("serum_reason")?,
        })
    }

    fn into_session(self) -> StoreResult<Session> {
        let id = self.id;
        Ok(Session {
            id: rows::parse(SESSIONS, &id, "id", &id)?,
            plan_id: rows::parse(SESSIONS, &id, "plan", &self.plan_id)?,
            number: rows::parse(SESSIONS, &id, "number", &self.number.to_string())?,
            status: SessionStatus::from_code(&self.status).map_err(|e| rows::bad(SESSIONS, &id, e))?,
            earliest_on: rows::date(SESSIONS, &id, &self.earliest_on)?,
            target_on: rows::date(SESSIONS, &id, &self.target_on)?,
            latest_on: rows::date(SESSIONS, &id, &self.latest_on)?,
            booked_on: rows::opt_date(SESSIONS, &id, self.booked_on)?,
            performed_on: rows::opt_date(SESSIONS, &id, self.performed_on)?,
            practitioner: self.practitioner,
            screening_id: rows::opt_parse(SESSIONS, &id, "screening", self.screening_id)?,
            serum_product_id: rows::opt_parse(SESSIONS, &id, "serum", self.serum_product_id)?,
            cartridge_product_id: rows::opt_parse(SESSIONS, &id, "cartridge", self.cartridge_product_id)?,
            numbing_product_id: rows::opt_parse(SESSIONS, &id, "numbing cream", self.numbing_product_id)?,
            interval_override_reason: self.interval_override_reason,
            notes: self.notes,
            signed_by: rows::signer_shown(self.signed_by, self.signer_id.as_deref()),
            signed_at: rows::opt_time(SESSIONS, &id, self.signed_at)?,
            serum_reason: self.serum_reason,
        })
    }
}

/// A `session_areas` row. Ordered as recorded (by rowid).
struct SessionAreaRow {
    id: String,
    session_id: String,
    area: String,
    depth_hundredths: u16,
    passes: u8,
    depth_reason: Option<String>,
    endpoint: Option<String>,
    response: Option<String>,
}

const SESSION_AREA_COLUMNS: &str =
    "SELECT id, session_id, area, depth_hundredths, passes, depth_reason, endpoint, response FROM session_areas";

impl SessionAreaRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            session_id: r.get("session_id")?,
            area: r.get("area")?,
            depth_hundredths: r.get("depth_hundredths")?,
            passes: r.get("passes")?,
            depth_reason: r.get("depth_reason")?,
            endpoint: r.get("endpoint")?,
            response: r.get("response")?,
        })
    }

    fn into_area(self, session: SessionId) -> StoreResult<SessionArea> {
        let id = self.id;
        Ok(SessionArea {
            id: rows::parse(AREAS, &id, "id", &id)?,
            session_id: session,
            area: self.area,
            depth: NeedleDepth::from_hundredths(self.depth_hundredths)
                .map_err(|e| rows::bad(AREAS, &id, e))?,
            passes: self.passes,
            depth_reason: self.depth_reason,
            endpoint: self.endpoint,
            response: self.response,
        })
    }
}

impl Store {
    /// A client's plans, newest start first.
    pub fn plans_of(&self, client: ClientId) -> StoreResult<Vec<TreatmentPlan>> {
        plans_of_client(self.conn(), client)
    }

    pub fn plan(&self, id: PlanId) -> StoreResult<Option<TreatmentPlan>> {
        plan_on(self.conn(), id)
    }

    /// A plan's sessions by number.
    pub fn sessions_of(&self, plan: PlanId) -> StoreResult<Vec<Session>> {
        sessions_on(self.conn(), plan)
    }

    pub fn session(&self, id: SessionId) -> StoreResult<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1");
        rows::read_one(self.conn(), &sql, [id.to_string()], SessionRow::from_row)?
            .map(SessionRow::into_session)
            .transpose()
    }

    /// What was done in a session, area by area as recorded.
    pub fn session_areas(&self, session: SessionId) -> StoreResult<Vec<SessionArea>> {
        let sql = format!("{SESSION_AREA_COLUMNS} WHERE session_id = ?1 ORDER BY rowid");
        rows::read_all(self.conn(), &sql, [session.to_string()], SessionAreaRow::from_row)?
            .into_iter()
            .map(|a| a.into_area(session))
            .collect()
    }
}

pub(super) fn plan_on(conn: &Db, id: PlanId) -> StoreResult<Option<TreatmentPlan>> {
    let key = id.to_string();
    let sql = format!("SELECT {PLAN_COLUMNS} FROM treatment_plans WHERE id = ?1");
    let Some(plan) = rows::read_one(conn, &sql, [&key], PlanRow::from_row)? else {
        return Ok(None);
    };
    let sql = format!("{PLAN_CONCERN_COLUMNS} WHERE plan_id = ?1 {PLAN_CONCERN_ORDER}");
    let concerns = rows::read_all(conn, &sql, [&plan.id], PlanConcernRow::from_row)?;
    let sql = format!("{PLAN_AREA_COLUMNS} WHERE plan_id = ?1 ORDER BY area");
    let areas = rows::read_all(conn, &sql, [&plan.id], PlanAreaRow::from_row)?;
    plan.into_plan(concerns, areas).map(Some)
}

/// A client's plans, newest start first, in three queries (plans, their concerns, their areas).
pub(super) fn plans_of_client(conn: &Db, client: ClientId) -> StoreResult<Vec<TreatmentPlan>> {
    let key = client.to_string();
    let plans = rows::read_all(conn, &client_plans_sql(), [&key], PlanRow::from_row)?;
    let concerns = rows::read_all(
        conn,
        &client_plan_concerns_sql(),
        [&key],
        PlanConcernRow::from_row,
    )?;
    let mut concerns = group(concerns, |c| c.plan_id.clone());
    let areas = rows::read_all(conn, &client_plan_areas_sql(), [&key], PlanAreaRow::from_row)?;
    let mut areas = group(areas, |a| a.plan_id.clone());
    plans
        .into_iter()
        .map(|plan| {
            let concerns = concerns.remove(&plan.id).unwrap_or_default();
            let areas = areas.remove(&plan.id).unwrap_or_default();
            plan.into_plan(concerns, areas)
        })
        .collect()
}

pub(super) fn sessions_on(conn: &Db, plan: PlanId) -> StoreResult<Vec<Session>> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE plan_id = ?1 ORDER BY number");
    rows::read_all(conn, &sql, [plan.to_string()], SessionRow::from_row)?
        .into_iter()
        .map(SessionRow::into_session)
        .collect()
}

/// Every session of a client's plans, by plan, each plan's by number (as [`sessions_on`]).
pub(super) fn sessions_of_client(conn: &Db, client: ClientId) -> StoreResult<HashMap<PlanId, Vec<Session>>> {
    let sql = client_sessions_sql();
    let sessions = rows::read_all(conn, &sql, [client.to_string()], SessionRow::from_row)?
        .into_iter()
        .map(SessionRow::into_session)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(group(sessions, |s| s.plan_id))
}

/// The ids of every session of a client's plans, for the readers of what is below sessions.
pub(super) const CLIENT_SESSION_IDS: &str = "SELECT s.id FROM treatment_plans AS t
     JOIN sessions AS s ON s.plan_id = t.id WHERE t.client_id = ?1";

/// What was done in every session of a client's plans, by session, each as recorded (as
/// [`Store::session_areas`]).
pub(super) fn session_areas_of_client(
    conn: &Db,
    client: ClientId,
) -> StoreResult<HashMap<SessionId, Vec<SessionArea>>> {
    let sql = client_session_areas_sql();
    let areas = rows::read_all(conn, &sql, [client.to_string()], SessionAreaRow::from_row)?
        .into_iter()
        .map(|a| {
            let session = rows::parse(AREAS, &a.id, "session", &a.session_id)?;
            a.into_area(session)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(group(areas, |a| a.session_id))
}

// The client-wide queries: each seeks its indexes from the client's id (see the test in
// `record.rs`), so a record costs the same whatever the size of the file.

pub(super) fn client_plans_sql() -> String {
    format!("SELECT {PLAN_COLUMNS} FROM treatment_plans WHERE client_id = ?1 ORDER BY start_date DESC, created_at DESC")
}

pub(super) fn client_plan_concerns_sql() -> String {
    format!("{PLAN_CONCERN_COLUMNS} WHERE plan_id IN ({CLIENT_PLAN_IDS}) {PLAN_CONCERN_ORDER}")
}

pub(super) fn client_plan_areas_sql() -> String {
    format!("{PLAN_AREA_COLUMNS} WHERE plan_id IN ({CLIENT_PLAN_IDS}) ORDER BY area")
}

pub(super) fn client_sessions_sql() -> String {
    format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE plan_id IN ({CLIENT_PLAN_IDS}) ORDER BY number")
}

pub(super) fn client_session_areas_sql() -> String {
    format!("{SESSION_AREA_COLUMNS} WHERE session_id IN ({CLIENT_SESSION_IDS}) ORDER BY rowid")
}

/// Rows grouped by a key, each group keeping the rows' order.
pub(super) fn group<K: std::hash::Hash + Eq, T>(items: Vec<T>, key: impl Fn(&T) -> K) -> HashMap<K, Vec<T>> {
    let mut groups: HashMap<K, Vec<T>> = HashMap::new();
    for item in items {
        groups.entry(key(&item)).or_default().push(item);
    }
    groups
}
