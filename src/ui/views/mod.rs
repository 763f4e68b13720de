//! One screen per file. A view borrows what it shows (and `&mut` only of what is typed into it)
//! and returns what it asks for: its area's action, or an [`crate::ui::Action`] when it asks
//! several areas.

pub mod backups;
pub mod booking_form;
pub mod clearance_form;
pub mod client_clearances;
pub mod client_consents;
pub mod client_form;
pub mod client_history;
pub mod client_record;
pub mod clients;
pub mod concern_form;
pub mod consent_form;
pub mod data_rights;
pub mod day_grid;
pub mod diary;
pub mod diary_settings;
pub mod empty;
pub mod import;
pub mod plan_form;
pub mod products;
pub mod protocol;
pub mod screening;
pub mod screening_follow_ups;
pub mod session_amendment;
pub mod session_form;
pub mod settings;
pub mod sign_in;
pub mod signature_pad;
pub mod signing;
pub mod staff;
pub mod today;
pub mod welcome;
