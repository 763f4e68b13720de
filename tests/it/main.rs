//! Every integration test in one binary: each file below is a module, so the suite links
//! egui and Typst once instead of once per file.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod audit_chain;
mod backup_safety;
mod backups;
mod clearances;
mod cli_demo_check;
mod cli_recall;
mod cli_screen;
mod client_record;
mod common;
mod crash_trials;
mod data_rights;
mod data_rights_ui;
mod desk_keyboard;
mod desk_trust;
mod disk_and_text;
mod domain_validation;
mod exports;
mod faults;
mod first_start;
mod foreign_files;
mod front_desk;
mod fuzz_inputs;
mod outcome_today;
mod plan_depths;
mod print_sheets;
mod products_flow;
mod protocol_library;
#[cfg(unix)]
mod read_only_user;
mod restore_races;
mod scheduler_properties;
mod screen_fit;
mod screening_flow;
mod screening_outcomes;
mod session_flow;
mod session_rules;
mod session_store;
mod settings_store;
mod signed_screening;
mod store_roundtrip;
mod tampering;
mod tidy;
mod today_store;
mod window_repaint;
