//! The clinic's words as plain types and rules. No egui, no SQL, no files, no clock: "today" is
//! always a parameter, so every rule can be tested on any date.

pub mod audit;
pub mod clearance;
pub mod client;
pub mod concern;
pub mod consent;
pub mod depth;
pub mod diary;
pub mod error;
pub mod free_slots;
pub mod gating;
pub mod ids;
pub mod photo;
pub mod plan_rules;
pub mod printed;
pub mod product;
pub mod recall;
pub mod retention;
pub mod screening;
pub mod series;
pub mod session_record;
pub mod settings;
pub mod staff;
pub mod text;
pub mod today;
pub mod treatment;

pub use audit::{AuditAction, AuditEntry};
pub use clearance::ClearanceDraft;
pub use client::{Client, ClientDetails, ClientDraft, SkinType};
pub use concern::{ClientConcern, Severity};
pub use consent::{Consent, ConsentKind, ConsentState, Representative, Signature, SignaturePoint};
pub use depth::{DepthRange, NeedleDepth};
pub use diary::{
    Appointment, AppointmentStatus, Booking, Clash, ClashKind, Closure, Device, Placement, Room, TimeSpan,
    TreatmentType, WorkingHours,
};
pub use error::{DomainError, FieldError, ValidationErrors};
pub use gating::{screening_for_session, GateRefusal};
pub use ids::{
    AmendmentId, AppointmentId, ClearanceId, ClientId, ConcernId, ConsentId, DeviceId, PhotoId, PlanId,
    ProductId, RoomId, ScreeningId, SessionAreaId, SessionId, StaffId,
};
pub use photo::{Photo, PhotoTags, PhotoView};
pub use plan_rules::{AreaDepthLimit, PlanDepthLimits};
pub use printed::{DocumentKind, PrintedDocument, PrintedFor};
pub use product::{expiring_soon, Product, ProductDraft, ProductKind};
pub use recall::{recall_csv, RecallRow};
pub use retention::Retention;
pub use screening::{
    treatment_alerts, Alert, AlertLevel, Answer, AnswerEntry, Answers, Clearance, ClearanceOnFile,
    ClearanceState, Finding, Outcome, OutcomeKind, Screening,
};
pub use series::{IntervalCheck, IntervalWindow, SeriesSpec, SessionSlot, SlotStatus};
pub use session_record::{AreaDraft, AreaRule, RecordErrors, RecordRules, SessionRecord, SessionRecordDraft};
pub use settings::{ClinicSettings, ClinicSettingsDraft, PaperSize, PrintSettings};
pub use staff::{Act, Actor, NewStaff, PinLock, Role, StaffDraft, StaffMember};
pub use today::{TodayList, TodayOverview, TodayRow};
pub use treatment::{PlanStatus, PlannedArea, Session, SessionArea, SessionStatus, TreatmentPlan};
