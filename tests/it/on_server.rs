//! The store's behaviour tests again, each on a database of its own on the tests' PostgreSQL
//! cluster: the same files, compiled a second time under `on_server::`, where
//! `common::temp_db()` hands out a server database instead of a file. One body, two engines:
//! a rule the store keeps on one PC is kept on a clinic server, or a test here fails.
//!
//! Left out: tests that reach into the SQLite file itself (tampering with it, backups and
//! restores of it, the file's own faults) and the desk and command-line tests, which drive the
//! same store through a window or the binary.

// Loading each file twice is the point: once here, once at the crate's root.
#![allow(clippy::duplicate_mod)]

#[path = "clearances.rs"]
mod clearances;
#[path = "client_record.rs"]
mod client_record;
#[path = "consent_desk.rs"]
mod consent_desk;
#[path = "consent_store.rs"]
mod consent_store;
#[path = "data_rights.rs"]
mod data_rights;
#[path = "diary_cli.rs"]
mod diary_cli;
#[path = "diary_store.rs"]
mod diary_store;
#[path = "exports.rs"]
mod exports;
#[path = "photos.rs"]
mod photos;
#[path = "plan_depths.rs"]
mod plan_depths;
#[path = "print_sheets.rs"]
mod print_sheets;
#[path = "products_flow.rs"]
mod products_flow;
#[path = "products_safety.rs"]
mod products_safety;
#[path = "recent_procedures.rs"]
mod recent_procedures;
#[path = "series_review.rs"]
mod series_review;
#[path = "session_store.rs"]
mod session_store;
#[path = "settings_store.rs"]
mod settings_store;
#[path = "staff_sign_in.rs"]
mod staff_sign_in;
#[path = "store_roundtrip.rs"]
mod store_roundtrip;
#[path = "today_store.rs"]
mod today_store;
