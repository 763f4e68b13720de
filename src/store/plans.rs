//! Writing `treatment_plans`, `plan_concerns`, `plan_areas`, `sessions`, `session_areas`
//! (reading them is in `plan_rows.rs`).

use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Writer};
use crate::domain::{
    AuditAction, ClientId, PlanDepthLimits, PlanId, PlanStatus, Session, SessionArea, SessionId,
    TreatmentPlan,
};

const PLANS: &str = "treatment_plans";
const SESSIONS: &str = "sessions";
const AREAS: &str = "session_areas";

impl Writer<'_> {
    /// Saves a new plan with its concerns, areas and its planned sessions. Refused when an
    /// area's depth breaks `limits` (the protocol's, from `Protocol::plan_depth_limits`) without a
    /// written reason — checked here too, so no caller can skip the rule.
    pub fn insert_plan(
        &mut self,
        plan: &TreatmentPlan,
        sessions: &[Session],
        limits: &PlanDepthLimits,
    ) -> StoreResult<()> {
        super::plan_rules::check_plan_depths(plan, limits)?;
        self.insert_plan_unchecked(plan, sessions)
    }

    fn insert_plan_unchecked(&mut self, plan: &TreatmentPlan, sessions: &[Session]) -> StoreResult<()> {
        let id = plan.id.to_string();
        let client = plan.client_id.to_string();
        let w = plan.series.window;
        self.tx
            .prepare_cached(
                "INSERT INTO treatment_plans (id, client_id, title, start_date, sessions_planned, interval_min_days,
                    interval_target_days, interval_max_days, serums, status, protocol_version, notes, created_at,
                    prescriber)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
                self.now,
                plan.prescriber.as_deref().map(str::trim).filter(|p| !p.is_empty()),
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
        let signer = s
            .signed_by
            .as_deref()
            .map(|by| self.signer_named(by))
            .transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO sessions (id, plan_id, number, status, earliest_on, target_on, latest_on, booked_on, performed_on,
                    practitioner, screening_id, serum_product_id, cartridge_product_id, numbing_product_id,
                    interval_override_reason, notes, signed_by, signed_at, created_at, serum_reason, signer_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
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
                s.serum_reason,
                signer.map(|who| who.id.to_string())
            ])?;
        self.audit(
            AuditAction::Create,
            SESSIONS,
            &id,
            Some(client),
            &format!("session {}", s.number),
        )?;
        // Saved already signed: its signing is recorded with what was signed, like any other.
        if let Some(by) = &s.signed_by {
            self.audit_signed(
                super::signed::Signed::Session,
                AuditAction::Sign,
                &id,
                Some(client),
                &format!("signed by {by}"),
            )?;
        }
        Ok(())
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
        // No session without the client's signed treatment consent in force today.
        let consent = self.consent_state_in(client, crate::domain::ConsentKind::Treatment, today)?;
        if !consent.is_valid() {
            return Err(StoreError::Refused(format!(
                "{} A session cannot start without it: have the client sign the treatment consent (client record, Consent).",
                consent.words(crate::domain::ConsentKind::Treatment)
            )));
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
        )?;
        self.appointments_started(client, session.id, today)
    }

    /// Signs a done session as this action's actor (an account that may sign); from then on the
    /// file refuses any change to it or its areas.
    pub fn sign_session(&mut self, session: SessionId, client: ClientId) -> StoreResult<()> {
        let who = self.signer()?;
        let signer = who.name.clone();
        let id = session.to_string();
        let changed = self.exec(
            "UPDATE sessions SET signed_by = ?2, signed_at = ?3, signer_id = ?4 WHERE id = ?1 AND signed_at IS NULL",
            params![id, signer, self.now, who.id.to_string()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "unsigned session",
            });
        }
        self.audit_signed(
            super::signed::Signed::Session,
            AuditAction::Sign,
            &id,
            Some(&client.to_string()),
            &format!("signed by {signer}"),
        )?;
        self.appointments_done(session)
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
