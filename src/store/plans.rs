//! `treatment_plans`, `plan_concerns`, `plan_areas`, `sessions`, `session_areas`.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::series::SeriesSpec;
use crate::domain::{
    AuditAction, ClientId, DepthRange, IntervalWindow, NeedleDepth, PlanDepthLimits, PlanId, PlanStatus,
    PlannedArea, Session, SessionArea, SessionId, SessionStatus, TreatmentPlan,
};

const PLANS: &str = "treatment_plans";
const SESSIONS: &str = "sessions";
const AREAS: &str = "session_areas";

impl Writer<'_> {
    /// Saves a new plan with its concerns, areas and its planned sessions. Refused when an
    /// area's depth breaks `limits` (the protocol's, from `Protocol::plan_depth_limits`) without a
    /// written reason — checked here too, so no caller can skip the rule.
    pub fn insert_plan_checked(
        &mut self,
        plan: &TreatmentPlan,
        sessions: &[Session],
        limits: &PlanDepthLimits,
    ) -> StoreResult<()> {
        super::plan_rules::check_plan_depths(plan, limits)?;
        self.insert_plan_unchecked(plan, sessions)
    }

    /// The old signature, kept only while `src/ui` (whose plan form checks the rule itself)
    /// moves to [`Writer::insert_plan_checked`]; remove it then.
    #[doc(hidden)]
    pub(crate) fn insert_plan(&mut self, plan: &TreatmentPlan, sessions: &[Session]) -> StoreResult<()> {
        self.insert_plan_unchecked(plan, sessions)
    }

    fn insert_plan_unchecked(&mut self, plan: &TreatmentPlan, sessions: &[Session]) -> StoreResult<()> {
        let id = plan.id.to_string();
        let client = plan.client_id.to_string();
        let w = plan.series.window;
        self.tx
            .prepare_cached(
                "INSERT INTO treatment_plans (id, client_id, title, start_date, sessions_planned, interval_min_days,
                    interval_target_days, interval_max_days, serums, status, protocol_version, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                id,
                client,
                plan.title,
                plan.series.start.to_string(),
                plan.series.sessions(),
                w.min_days(),
                w.target_days(),
                w.max_days(),
                rows::to_json(&plan.serums)?,
                plan.status.code(),
                plan.protocol_version,
                plan.notes,
                self.now
            ])?;
        for (position, concern) in plan.concerns.iter().enumerate() {
            self.tx
                .prepare_cached(
                    "INSERT INTO plan_concerns (plan_id, concern_id, position) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![
                    id,
                    concern.to_string(),
                    i64::try_from(position).unwrap_or(i64::MAX)
                ])?;
        }
        for area in &plan.areas {
            self.tx
                .prepare_cached(
                    "INSERT INTO plan_areas (plan_id, area, depth_min_hundredths, depth_max_hundredths, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    id,
                    area.area,
                    area.depth.min.hundredths(),
                    area.depth.max.hundredths(),
                    area.reason
                ])?;
        }
        self.audit(AuditAction::Create, PLANS, &id, Some(&client), &plan.title)?;
        for s in sessions {
            self.insert_session(s, &client)?;
        }
        Ok(())
    }

    pub fn set_plan_status(&mut self, plan: PlanId, client: ClientId, status: PlanStatus) -> StoreResult<()> {
        let id = plan.to_string();
        if self.exec(
            "UPDATE treatment_plans SET status = ?2 WHERE id = ?1",
            params![id, status.code()],
        )? == 0
        {
            return Err(StoreError::NotFound {
                what: "treatment plan",
            });
        }
        self.audit(
            AuditAction::Update,
            PLANS,
            &id,
            Some(&client.to_string()),
            &format!("status {}", status.code()),
        )
    }

    fn insert_session(&mut self, s: &Session, client: &str) -> StoreResult<()> {
        let id = s.id.to_string();
        self.tx
            .prepare_cached(
                "INSERT INTO sessions (id, plan_id, number, status, earliest_on, target_on, latest_on, booked_on, performed_on,
                    practitioner, screening_id, serum_product_id, cartridge_product_id, numbing_product_id,
                    interval_override_reason, notes, signed_by, signed_at, created_at, serum_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                id,
                s.plan_id.to_string(),
                s.number,
                s.status.code(),
                s.earliest_on.to_string(),
                s.target_on.to_string(),
                s.latest_on.to_string(),
                s.booked_on.map(|d| d.to_string()),
                s.performed_on.map(|d| d.to_string()),
                s.practitioner,
                s.screening_id.map(|i| i.to_string()),
                s.serum_product_id.map(|i| i.to_string()),
                s.cartridge_product_id.map(|i| i.to_string()),
                s.numbing_product_id.map(|i| i.to_string()),
                s.interval_override_reason,
                s.notes,
                s.signed_by,
                s.signed_at.map(super::format_time),
                self.now,
                s.serum_reason
            ])?;
        self.audit(
            AuditAction::Create,
            SESSIONS,
            &id,
            Some(client),
            &format!("session {}", s.number),
        )
    }

    /// Saves a session's schedule, status and record (an unsigned session only: the file
    /// refuses to change a signed one).
    pub fn update_session(&mut self, s: &Session, client: ClientId) -> StoreResult<()> {
        let id = s.id.to_string();
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE sessions SET status = ?2, earliest_on = ?3, target_on = ?4, latest_on = ?5, booked_on = ?6,
                    performed_on = ?7, practitioner = ?8, screening_id = ?9, serum_product_id = ?10,
                    cartridge_product_id = ?11, numbing_product_id = ?12, interval_override_reason = ?13, notes = ?14,
                    serum_reason = ?15
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                s.status.code(),
                s.earliest_on.to_string(),
                s.target_on.to_string(),
                s.latest_on.to_string(),
                s.booked_on.map(|d| d.to_string()),
                s.performed_on.map(|d| d.to_string()),
                s.practitioner,
                s.screening_id.map(|i| i.to_string()),
                s.serum_product_id.map(|i| i.to_string()),
                s.cartridge_product_id.map(|i| i.to_string()),
                s.numbing_product_id.map(|i| i.to_string()),
                s.interval_override_reason,
                s.notes,
                s.serum_reason
            ])?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "session" });
        }
        self.audit(
            AuditAction::Update,
            SESSIONS,
            &id,
            Some(&client.to_string()),
            &format!("session {} {}", s.number, s.status.code()),
        )
    }

    /// Starts a session after today's signed screening: links the screening to the session.
    /// Refused unless the screening is signed, of `today`, for this client, and allows
    /// treatment — checked here too, so no caller can skip the gate.
    pub fn start_session(
        &mut self,
        session: &Session,
        client: ClientId,
        screening: &crate::domain::Screening,
        today: chrono::NaiveDate,
    ) -> StoreResult<()> {
        crate::domain::screening_for_session(std::slice::from_ref(screening), today)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        if screening.client_id != client {
            return Err(StoreError::Refused(
                "That screening belongs to another client.".to_owned(),
            ));
        }
        let id = session.id.to_string();
        let changed = self.exec(
            "UPDATE sessions SET screening_id = ?2 WHERE id = ?1 AND status IN ('planned', 'booked')",
            params![id, screening.id.to_string()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { what: "open session" });
        }
        self.audit(
            AuditAction::Update,
            SESSIONS,
            &id,
            Some(&client.to_string()),
            &format!(
                "session {} started after screening {}",
                session.number, screening.id
            ),
        )
    }

    /// Signs a done session; from then on the file refuses any change to it or its areas.
    pub fn sign_session(&mut self, session: SessionId, client: ClientId, signed_by: &str) -> StoreResult<()> {
        let signer =
            crate::domain::text::required("Signature", signed_by, crate::domain::text::limits::NAME)?;
        let id = session.to_string();
        let changed = self.exec(
            "UPDATE sessions SET signed_by = ?2, signed_at = ?3 WHERE id = ?1 AND signed_at IS NULL",
            params![id, signer, self.now],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "unsigned session",
            });
        }
        self.audit(
            AuditAction::Sign,
            SESSIONS,
            &id,
            Some(&client.to_string()),
            &format!("signed by {signer}"),
        )
    }

    pub fn insert_session_area(&mut self, a: &SessionArea, client: ClientId) -> StoreResult<()> {
        let id = a.id.to_string();
        self.tx
            .prepare_cached(
                "INSERT INTO session_areas (id, session_id, area, depth_hundredths, passes, depth_reason, endpoint, response)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                a.session_id.to_string(),
                a.area,
                a.depth.hundredths(),
                a.passes,
                a.depth_reason,
                a.endpoint,
                a.response
            ])?;
        self.audit(
            AuditAction::Create,
            AREAS,
            &id,
            Some(&client.to_string()),
            &format!("{} at {}", a.area, a.depth),
        )
    }
}

type PlanRow = (
    String,
    String,
    String,
    String,
    u32,
    u32,
    u32,
    u32,
    String,
    String,
    String,
    String,
);

fn read_plan(r: &Row<'_>) -> rusqlite::Result<PlanRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

const SESSION_COLUMNS: &str = "id, plan_id, number, status, earliest_on, target_on, latest_on, booked_on, performed_on,
    practitioner, screening_id, serum_product_id, cartridge_product_id, numbing_product_id, interval_override_reason,
    notes, signed_by, signed_at, serum_reason";

fn read_session(r: &Row<'_>) -> rusqlite::Result<Vec<Option<String>>> {
    (0..19)
        .map(|i| match i {
            2 => r.get::<_, i64>(i).map(|n| Some(n.to_string())),
            _ => r.get::<_, Option<String>>(i),
        })
        .collect()
}

fn to_session(v: Vec<Option<String>>) -> StoreResult<Session> {
    let text = |i: usize| v.get(i).cloned().flatten();
    let id = text(0).unwrap_or_default();
    let req =
        |i: usize, what: &str| text(i).ok_or_else(|| rows::bad(SESSIONS, &id, format!("{what} is missing")));
    let opt_id = |i: usize| -> StoreResult<Option<String>> { Ok(text(i)) };
    Ok(Session {
        id: rows::parse(SESSIONS, &id, "id", &id)?,
        plan_id: rows::parse(SESSIONS, &id, "plan", &req(1, "plan")?)?,
        number: rows::parse(SESSIONS, &id, "number", &req(2, "number")?)?,
        status: SessionStatus::from_code(&req(3, "status")?).map_err(|e| rows::bad(SESSIONS, &id, e))?,
        earliest_on: rows::date(SESSIONS, &id, &req(4, "earliest date")?)?,
        target_on: rows::date(SESSIONS, &id, &req(5, "target date")?)?,
        latest_on: rows::date(SESSIONS, &id, &req(6, "latest date")?)?,
        booked_on: rows::opt_date(SESSIONS, &id, text(7))?,
        performed_on: rows::opt_date(SESSIONS, &id, text(8))?,
        practitioner: text(9),
        screening_id: opt_id(10)?
            .map(|s| rows::parse(SESSIONS, &id, "screening", &s))
            .transpose()?,
        serum_product_id: opt_id(11)?
            .map(|s| rows::parse(SESSIONS, &id, "serum", &s))
            .transpose()?,
        cartridge_product_id: opt_id(12)?
            .map(|s| rows::parse(SESSIONS, &id, "cartridge", &s))
            .transpose()?,
        numbing_product_id: opt_id(13)?
            .map(|s| rows::parse(SESSIONS, &id, "numbing cream", &s))
            .transpose()?,
        interval_override_reason: text(14),
        notes: text(15).unwrap_or_default(),
        signed_by: text(16),
        signed_at: rows::opt_time(SESSIONS, &id, text(17))?,
        serum_reason: text(18),
    })
}

impl Store {
    pub fn plans_of(&self, client: ClientId) -> StoreResult<Vec<TreatmentPlan>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, client_id, title, start_date, sessions_planned, interval_min_days, interval_target_days,
                    interval_max_days, serums, status, protocol_version, notes
             FROM treatment_plans WHERE client_id = ?1 ORDER BY start_date DESC, created_at DESC",
        )?;
        let found = stmt
            .query_map([client.to_string()], read_plan)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        found.into_iter().map(|row| to_plan(self.conn(), row)).collect()
    }

    pub fn plan(&self, id: PlanId) -> StoreResult<Option<TreatmentPlan>> {
        plan_on(self.conn(), id)
    }

    pub fn sessions_of(&self, plan: PlanId) -> StoreResult<Vec<Session>> {
        sessions_on(self.conn(), plan)
    }

    pub fn session(&self, id: SessionId) -> StoreResult<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1");
        let row = self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id.to_string()], read_session)
            .optional()?;
        row.map(to_session).transpose()
    }

    pub fn session_areas(&self, session: SessionId) -> StoreResult<Vec<SessionArea>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, area, depth_hundredths, passes, depth_reason, endpoint, response FROM session_areas
             WHERE session_id = ?1 ORDER BY rowid",
        )?;
        let found = stmt
            .query_map([session.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u16>(2)?,
                    r.get::<_, u8>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        found
            .into_iter()
            .map(|(id, area, depth, passes, depth_reason, endpoint, response)| {
                Ok(SessionArea {
                    id: rows::parse(AREAS, &id, "id", &id)?,
                    session_id: session,
                    area,
                    depth: NeedleDepth::from_hundredths(depth).map_err(|e| rows::bad(AREAS, &id, e))?,
                    passes,
                    depth_reason,
                    endpoint,
                    response,
                })
            })
            .collect()
    }
}

pub(super) fn plan_on(conn: &Connection, id: PlanId) -> StoreResult<Option<TreatmentPlan>> {
    let row = conn
        .prepare_cached(
            "SELECT id, client_id, title, start_date, sessions_planned, interval_min_days, interval_target_days,
                    interval_max_days, serums, status, protocol_version, notes
             FROM treatment_plans WHERE id = ?1",
        )?
        .query_row([id.to_string()], read_plan)
        .optional()?;
    row.map(|r| to_plan(conn, r)).transpose()
}

fn to_plan(conn: &Connection, row: PlanRow) -> StoreResult<TreatmentPlan> {
    let (id, client, title, start, count, min, target, max, serums, status, version, notes) = row;
    let bad = |e: crate::domain::DomainError| rows::bad(PLANS, &id, e);
    let window = IntervalWindow::with_target(min, target, max).map_err(bad)?;
    let series = SeriesSpec::new(rows::date(PLANS, &id, &start)?, count, window).map_err(bad)?;
    let concerns = conn
        .prepare_cached("SELECT concern_id FROM plan_concerns WHERE plan_id = ?1 ORDER BY position")?
        .query_map([&id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .iter()
        .map(|c| rows::parse(PLANS, &id, "concern", c))
        .collect::<StoreResult<Vec<_>>>()?;
    let areas = conn
        .prepare_cached(
            "SELECT area, depth_min_hundredths, depth_max_hundredths, reason FROM plan_areas WHERE plan_id = ?1 ORDER BY area",
        )?
        .query_map([&id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u16>(1)?, r.get::<_, u16>(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(area, min, max, reason)| {
            let depth = DepthRange::new(
                NeedleDepth::from_hundredths(min).map_err(bad)?,
                NeedleDepth::from_hundredths(max).map_err(bad)?,
            )
            .map_err(bad)?;
            Ok(PlannedArea { area, depth, reason })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(TreatmentPlan {
        client_id: rows::parse(PLANS, &id, "client", &client)?,
        title,
        concerns,
        areas,
        serums: rows::json(PLANS, &id, "serums", &serums)?,
        series,
        status: PlanStatus::from_code(&status).map_err(bad)?,
        protocol_version: version,
        notes,
        id: rows::parse(PLANS, &id, "id", &id)?,
    })
}

pub(super) fn sessions_on(conn: &Connection, plan: PlanId) -> StoreResult<Vec<Session>> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE plan_id = ?1 ORDER BY number");
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt
        .query_map([plan.to_string()], read_session)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found.into_iter().map(to_session).collect()
}
