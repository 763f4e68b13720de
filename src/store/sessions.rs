//! Completing a session in the treatment room, its amendments, and the lot recall search.
//!
//! Completion re-checks in the store what the form already checked — today's signed screening,
//! its excluded areas, usable product lots — so no caller can skip a safety rule.

use std::collections::HashMap;

use super::db::{Db, Row};
use chrono::NaiveDate;
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::plan_rows::{group, plan_on, sessions_on, CLIENT_SESSION_IDS};
use super::products::product_on;
use super::{rows, Store, Writer};
use crate::domain::series;
use crate::domain::text::{self, limits};
use crate::domain::{
    screening_for_session, AmendmentId, AuditAction, ClientId, PlanStatus, ProductId, ProductKind, RecallRow,
    Screening, Session, SessionId, SessionRecord, SessionStatus,
};

const SESSIONS: &str = "sessions";
const AMENDMENTS: &str = "session_amendments";

/// What completing a session changed in its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The next open session with its moved window, if the series goes on.
    pub next: Option<Session>,
    /// Open sessions whose booked date now falls outside their moved window.
    pub booked_outside_window: Vec<u8>,
    /// The last session is done: the series is complete and a review is due.
    pub series_complete: bool,
}

/// A signed correction of a signed session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionAmendment {
    pub id: String,
    pub session_id: SessionId,
    pub reason: String,
    pub correction: String,
    pub signed_by: String,
    pub signed_at: chrono::DateTime<chrono::Utc>,
}

impl Writer<'_> {
    /// Records what was done in an open session, signs it, and moves the rest of the series
    /// relative to today. Refused unless `screening` is today's signed screening started with
    /// this session and allows every recorded area, and every product lot is usable today.
    pub fn complete_session(
        &mut self,
        session: &Session,
        client: ClientId,
        record: &SessionRecord,
        screening: &Screening,
    ) -> StoreResult<Completion> {
        let today = record.performed_on;
        check_gate(session, client, record, screening)?;
        self.check_lots(record, today)?;
        self.check_interval(session, record)?;

        let id = session.id.to_string();
        let changed = self.exec(
            "UPDATE sessions SET status = 'done', performed_on = ?2, practitioner = ?3, serum_product_id = ?4,
                serum_reason = ?5, cartridge_product_id = ?6, numbing_product_id = ?7, notes = ?8,
                interval_override_reason = ?9
             WHERE id = ?1 AND status IN ('planned', 'booked') AND signed_at IS NULL",
            params![
                id,
                today.to_string(),
                record.practitioner,
                record.serum_product_id.map(|p| p.to_string()),
                record.serum_reason,
                record.cartridge_product_id.to_string(),
                record.numbing_product_id.map(|p| p.to_string()),
                record.notes,
                record.interval_override_reason
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(
                "This session is already done or signed. Open the client again to see it.".to_owned(),
            ));
        }
        self.audit(
            AuditAction::Update,
            SESSIONS,
            &id,
            Some(&client.to_string()),
            &format!("session {} done on {today}", session.number),
        )?;
        for area in &record.areas {
            if area.session_id != session.id {
                return Err(StoreError::Refused(
                    "An area belongs to another session.".to_owned(),
                ));
            }
            self.insert_session_area(area, client)?;
        }
        let completion = self.reschedule_after(session, client)?;
        self.sign_session(session.id, client)?;
        Ok(completion)
    }

    /// Moves the open sessions of the series relative to the actual dates of the done ones.
    fn reschedule_after(&mut self, done: &Session, client: ClientId) -> StoreResult<Completion> {
        let plan = plan_on(&self.tx, done.plan_id)?.ok_or(StoreError::NotFound {
            what: "treatment plan",
        })?;
        let sessions = sessions_on(&self.tx, done.plan_id)?;
        let done_dates: Vec<(u8, NaiveDate)> = sessions
            .iter()
            .filter_map(|s| s.performed_on.map(|d| (s.number, d)))
            .collect();
        let slots = series::plan(&plan.series, &done_dates);
        let mut booked_outside_window = Vec::new();
        let mut next = None;
        for s in sessions.iter().filter(|s| is_open(s) && s.number > done.number) {
            let Some(slot) = slots.iter().find(|slot| slot.number == s.number) else {
                continue;
            };
            let mut moved = s.clone();
            moved.earliest_on = slot.earliest;
            moved.target_on = slot.target;
            moved.latest_on = slot.latest;
            if moved
                .booked_on
                .is_some_and(|b| b < slot.earliest || b > slot.latest)
            {
                booked_outside_window.push(s.number);
            }
            if moved != *s {
                self.update_session(&moved, client)?;
            }
            if next.is_none() {
                next = Some(moved);
            }
        }
        let series_complete = !sessions.iter().any(|s| is_open(s) && s.id != done.id);
        if series_complete {
            let last_done = done_dates.iter().map(|(_, d)| *d).max().unwrap_or_default();
            self.set_plan_status(plan.id, client, PlanStatus::Completed)?;
            // Reviewed three months after this last session (P14), listed on Today by then.
            self.exec(
                "UPDATE treatment_plans SET review_on = ?2 WHERE id = ?1",
                params![plan.id.to_string(), series::review_date(last_done).to_string()],
            )?;
        }
        Ok(Completion {
            next,
            booked_outside_window,
            series_complete,
        })
    }

    /// Sooner than the series' minimum interval after the previous done session needs a reason.
    fn check_interval(&self, session: &Session, record: &SessionRecord) -> StoreResult<()> {
        let plan = plan_on(&self.tx, session.plan_id)?.ok_or(StoreError::NotFound {
            what: "treatment plan",
        })?;
        let previous = sessions_on(&self.tx, session.plan_id)?
            .into_iter()
            .filter(|s| s.number < session.number)
            .filter_map(|s| s.performed_on)
            .max();
        if let Some(previous) = previous {
            series::check_interval(
                previous,
                record.performed_on,
                &plan.series.window,
                record.interval_override_reason.as_deref(),
            )?;
        }
        Ok(())
    }

    fn check_lots(&self, record: &SessionRecord, today: NaiveDate) -> StoreResult<()> {
        let wanted = [
            (record.serum_product_id, ProductKind::Serum),
            (Some(record.cartridge_product_id), ProductKind::NeedleCartridge),
            (record.numbing_product_id, ProductKind::NumbingCream),
        ];
        for (id, kind) in wanted {
            let Some(id) = id else { continue };
            check_lot(&self.tx, id, kind, today)?;
        }
        Ok(())
    }

    /// Records a correction of a signed session, signed by this action's actor; the session
    /// itself stays as signed. `id` is fixed when the form opens, so signing again after a lost
    /// answer is refused as already saved, never kept twice.
    pub fn amend_session(
        &mut self,
        id: AmendmentId,
        session: SessionId,
        client: ClientId,
        reason: &str,
        correction: &str,
    ) -> StoreResult<String> {
        let reason = text::required("Reason for the amendment", reason, limits::REASON)?;
        let correction = text::required("Correction", correction, limits::NOTES)?;
        let who = self.signer()?;
        let id = id.to_string();
        if self
            .tx
            .exists("SELECT 1 FROM session_amendments WHERE id = ?1", [&id])?
        {
            return Err(StoreError::AlreadySaved { what: "amendment" });
        }
        self.exec(
            "INSERT INTO session_amendments (id, session_id, reason, correction, signed_by, signed_at, created_at, signer_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            params![id, session.to_string(), reason, correction, who.name, self.now, who.id.to_string()],
        )?;
        self.audit_signed(
            super::signed::Signed::Amendment,
            AuditAction::Amend,
            &id,
            Some(&client.to_string()),
            &format!("amends session {session}: {reason}"),
        )?;
        Ok(id)
    }
}

fn is_open(s: &Session) -> bool {
    matches!(s.status, SessionStatus::Planned | SessionStatus::Booked)
}

/// The gate, as the store sees it: the same rules the form applies, checked again here.
fn check_gate(
    session: &Session,
    client: ClientId,
    record: &SessionRecord,
    screening: &Screening,
) -> StoreResult<()> {
    if screening.client_id != client {
        return Err(StoreError::Refused(
            "That screening belongs to another client.".to_owned(),
        ));
    }
    if session.screening_id != Some(screening.id) {
        return Err(StoreError::Refused(
            "Start this session after today's signed screening before recording it.".to_owned(),
        ));
    }
    screening_for_session(std::slice::from_ref(screening), record.performed_on)
        .map_err(|e| StoreError::Refused(e.to_string()))?;
    if let Some(area) = record
        .areas
        .iter()
        .find(|a| screening.outcome.excluded_areas.contains(&a.area))
    {
        return Err(StoreError::Refused(format!(
            "Today's screening excludes the area \"{}\"; it cannot be recorded.",
            area.area
        )));
    }
    if record.areas.is_empty() {
        return Err(StoreError::Refused(
            "No area was recorded. Enter the depth and passes of each area treated.".to_owned(),
        ));
    }
    Ok(())
}

fn check_lot(conn: &Db, id: ProductId, kind: ProductKind, today: NaiveDate) -> StoreResult<()> {
    let p = product_on(conn, id)?.ok_or(StoreError::NotFound { what: "product lot" })?;
    if p.kind != kind {
        return Err(StoreError::Refused(format!("{} is not a {kind}.", p.name)));
    }
    if !p.active {
        return Err(StoreError::Refused(format!(
            "{} lot {} has been deactivated.",
            p.name, p.lot_number
        )));
    }
    p.check_usable(today)?;
    Ok(())
}

impl Store {
    /// The client's most recent done session of this plan before `number`, with its areas:
    /// what the form shows beside today's settings.
    pub fn previous_session(
        &self,
        plan: crate::domain::PlanId,
        number: u8,
    ) -> StoreResult<Option<(Session, Vec<crate::domain::SessionArea>)>> {
        let previous = sessions_on(self.conn(), plan)?
            .into_iter()
            .filter(|s| s.number < number && s.status == SessionStatus::Done)
            .max_by_key(|s| s.number);
        match previous {
            Some(s) => {
                let areas = self.session_areas(s.id)?;
                Ok(Some((s, areas)))
            }
            None => Ok(None),
        }
    }

    /// A signed session's corrections, oldest first.
    pub fn session_amendments(&self, session: SessionId) -> StoreResult<Vec<SessionAmendment>> {
        let sql = format!("{AMENDMENT_COLUMNS} WHERE session_id = ?1 {AMENDMENT_ORDER}");
        rows::read_all(self.conn(), &sql, [session.to_string()], AmendmentRow::from_row)?
            .into_iter()
            .map(|a| a.into_amendment(session))
            .collect()
    }

    /// Every done session that used a lot (serum, cartridge or numbing cream), oldest first.
    /// The lot number is matched whole, ignoring case and surrounding spaces.
    pub fn recall_by_lot(&self, lot: &str) -> StoreResult<Vec<RecallRow>> {
        let lot = lot.trim();
        if lot.is_empty() {
            return Ok(Vec::new());
        }
        // One arm per product column, so each uses its own index.
        let arm = |column: &str| {
            format!(
                "SELECT c.id AS client_id, c.full_name AS full_name, c.phone AS phone, c.email AS email,
                        s.performed_on AS performed_on, s.id AS session_id, s.number AS number,
                        p.kind AS product_kind, p.name AS product_name, p.lot_number AS lot_number
                 FROM products p
                 JOIN sessions s ON s.{column} = p.id
                 JOIN treatment_plans t ON t.id = s.plan_id
                 JOIN clients c ON c.id = t.client_id
                 WHERE lower(p.lot_number) = lower(?1) AND s.status = 'done'"
            )
        };
        let sql = format!(
            "{} UNION ALL {} UNION ALL {} ORDER BY 5, 2",
            arm("serum_product_id"),
            arm("cartridge_product_id"),
            arm("numbing_product_id")
        );
        rows::read_all(self.conn(), &sql, [lot], LotUseRow::from_row)?
            .into_iter()
            .map(LotUseRow::into_recall_row)
            .collect()
    }
}

const AMENDMENT_COLUMNS: &str =
    "SELECT id, session_id, reason, correction, signed_by, signed_at, signer_id FROM session_amendments";
/// Oldest first; amendments signed in the same millisecond in the order they were saved.
const AMENDMENT_ORDER: &str = "ORDER BY signed_at, rowid";

/// A `session_amendments` row as stored.
struct AmendmentRow {
    id: String,
    session_id: String,
    reason: String,
    correction: String,
    signed_by: String,
    signer_id: Option<String>,
    signed_at: String,
}

impl AmendmentRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            session_id: r.get("session_id")?,
            reason: r.get("reason")?,
            correction: r.get("correction")?,
            signed_by: r.get("signed_by")?,
            signer_id: r.get("signer_id")?,
            signed_at: r.get("signed_at")?,
        })
    }

    fn into_amendment(self, session: SessionId) -> StoreResult<SessionAmendment> {
        Ok(SessionAmendment {
            signed_at: rows::time(AMENDMENTS, &self.id, &self.signed_at)?,
            id: self.id,
            session_id: session,
            reason: self.reason,
            correction: self.correction,
            signed_by: rows::signer_shown(Some(self.signed_by), self.signer_id.as_deref())
                .unwrap_or_default(),
        })
    }
}

pub(super) fn client_amendments_sql() -> String {
    format!("{AMENDMENT_COLUMNS} WHERE session_id IN ({CLIENT_SESSION_IDS}) {AMENDMENT_ORDER}")
}

/// Every amendment of a client's sessions, by session, each session's oldest first (as
/// [`Store::session_amendments`]).
pub(super) fn amendments_of_client(
    conn: &Db,
    client: ClientId,
) -> StoreResult<HashMap<SessionId, Vec<SessionAmendment>>> {
    let amendments = rows::read_all(
        conn,
        &client_amendments_sql(),
        [client.to_string()],
        AmendmentRow::from_row,
    )?
    .into_iter()
    .map(|a| {
        let session = rows::parse(AMENDMENTS, &a.id, "session", &a.session_id)?;
        a.into_amendment(session)
    })
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(group(amendments, |a| a.session_id))
}

/// One use of a lot in a done session, with whom to call.
struct LotUseRow {
    client_id: String,
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    performed_on: String,
    session_id: String,
    number: u8,
    product_kind: String,
    product_name: String,
    lot_number: String,
}

impl LotUseRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            client_id: r.get("client_id")?,
            full_name: r.get("full_name")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            performed_on: r.get("performed_on")?,
            session_id: r.get("session_id")?,
            number: r.get("number")?,
            product_kind: r.get("product_kind")?,
            product_name: r.get("product_name")?,
            lot_number: r.get("lot_number")?,
        })
    }

    fn into_recall_row(self) -> StoreResult<RecallRow> {
        let session = self.session_id;
        Ok(RecallRow {
            client_id: rows::parse(SESSIONS, &session, "client", &self.client_id)?,
            client_name: self.full_name,
            phone: self.phone,
            email: self.email,
            performed_on: rows::date(SESSIONS, &session, &self.performed_on)?,
            session_id: rows::parse(SESSIONS, &session, "id", &session)?,
            session_number: self.number,
            product_kind: ProductKind::from_code(&self.product_kind)
                .map_err(|e| rows::bad(SESSIONS, &session, e))?,
            product_name: self.product_name,
            lot_number: self.lot_number,
        })
    }
}
