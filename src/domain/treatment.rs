//! Treatment plans and the sessions of their series.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::series::{self, SeriesSpec, SessionSlot};
use super::text::{self, limits};
use super::{
    ClientId, ConcernId, DepthRange, DomainError, NeedleDepth, PlanId, ProductId, ScreeningId, SessionAreaId,
    SessionId,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Active,
    Completed,
    Closed,
}

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Active => "active",
            PlanStatus::Completed => "completed",
            PlanStatus::Closed => "closed",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        [PlanStatus::Active, PlanStatus::Completed, PlanStatus::Closed]
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Plan status",
                entered: code.to_owned(),
            })
    }
}

/// A planned area with its depth range. A range outside the protocol's needs `reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedArea {
    pub area: String,
    pub depth: DepthRange,
    pub reason: Option<String>,
}

/// A client's treatment plan: which concerns, which areas, which serums, and the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentPlan {
    pub id: PlanId,
    pub client_id: ClientId,
    pub title: String,
    pub concerns: Vec<ConcernId>,
    pub areas: Vec<PlannedArea>,
    /// Protocol serum ids chosen for this plan.
    pub serums: Vec<String>,
    pub series: SeriesSpec,
    pub status: PlanStatus,
    /// The protocol version the suggestions came from.
    pub protocol_version: String,
    pub notes: String,
    /// Who prescribed the plan's prescription or physician-only products, if it has any.
    #[serde(default)]
    pub prescriber: Option<String>,
}

impl TreatmentPlan {
    pub fn new(
        client_id: ClientId,
        title: &str,
        series: SeriesSpec,
        protocol_version: &str,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            id: PlanId::new(),
            client_id,
            title: text::required("Plan title", title, limits::SHORT)?,
            concerns: Vec::new(),
            areas: Vec::new(),
            serums: Vec::new(),
            series,
            status: PlanStatus::Active,
            prescriber: None,
            protocol_version: protocol_version.to_owned(),
            notes: String::new(),
        })
    }

    /// The protocol area ids the plan treats.
    pub fn area_ids(&self) -> impl Iterator<Item = &str> {
        self.areas.iter().map(|a| a.area.as_str())
    }

    /// The session rows a new plan starts with: one per session, planned, with its window.
    pub fn initial_sessions(&self) -> Vec<Session> {
        series::plan(&self.series, &[])
            .iter()
            .map(|slot| Session::planned(self.id, slot))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Booked,
    Done,
    Missed,
    Cancelled,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 5] = [
        SessionStatus::Planned,
        SessionStatus::Booked,
        SessionStatus::Done,
        SessionStatus::Missed,
        SessionStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Booked => "booked",
            SessionStatus::Done => "done",
            SessionStatus::Missed => "missed",
            SessionStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Session status",
                entered: code.to_owned(),
            })
    }
}

/// One session of a series, planned or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub plan_id: PlanId,
    pub number: u8,
    pub status: SessionStatus,
    pub earliest_on: NaiveDate,
    pub target_on: NaiveDate,
    pub latest_on: NaiveDate,
    pub booked_on: Option<NaiveDate>,
    pub performed_on: Option<NaiveDate>,
    pub practitioner: Option<String>,
    pub screening_id: Option<ScreeningId>,
    pub serum_product_id: Option<ProductId>,
    pub cartridge_product_id: Option<ProductId>,
    pub numbing_product_id: Option<ProductId>,
    /// Why a discouraged serum was used anyway.
    pub serum_reason: Option<String>,
    pub interval_override_reason: Option<String>,
    pub notes: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<String>,
}

impl Session {
    pub fn planned(plan_id: PlanId, slot: &SessionSlot) -> Self {
        Self {
            id: SessionId::new(),
            plan_id,
            number: slot.number,
            status: SessionStatus::Planned,
            earliest_on: slot.earliest,
            target_on: slot.target,
            latest_on: slot.latest,
            booked_on: None,
            performed_on: None,
            practitioner: None,
            screening_id: None,
            serum_product_id: None,
            cartridge_product_id: None,
            numbing_product_id: None,
            serum_reason: None,
            interval_override_reason: None,
            notes: String::new(),
            signed_at: None,
            signed_by: None,
        }
    }
}

/// The most passes an area may be recorded with.
pub const MAX_PASSES: u8 = 10;

/// What was done on one area in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionArea {
    pub id: SessionAreaId,
    pub session_id: SessionId,
    pub area: String,
    pub depth: NeedleDepth,
    pub passes: u8,
    /// Why the depth is above the protocol's maximum for the area.
    pub depth_reason: Option<String>,
    /// The endpoint seen, e.g. "uniform erythema", "pinpoint bleeding".
    pub endpoint: Option<String>,
    pub response: Option<String>,
}

impl SessionArea {
    pub fn new(
        session_id: SessionId,
        area: &str,
        depth: NeedleDepth,
        passes: u32,
    ) -> Result<Self, DomainError> {
        let passes = u8::try_from(passes)
            .ok()
            .filter(|p| (1..=MAX_PASSES).contains(p))
            .ok_or(DomainError::PassesOutOfRange {
                entered: passes,
                min: 1,
                max: MAX_PASSES,
            })?;
        Ok(Self {
            id: SessionAreaId::new(),
            session_id,
            area: text::required("Area", area, limits::SHORT)?,
            depth,
            passes,
            depth_reason: None,
            endpoint: None,
            response: None,
        })
    }
}
