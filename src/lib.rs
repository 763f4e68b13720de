//! Needlepoint: client records, pre-treatment screening, needle-depth planning, series
//! scheduling and aftercare sheets for microneedling clinics.
//!
//! Rooms (see ARCHITECTURE.md): `domain` is the ground floor and imports no other room;
//! `protocol` uses domain; `store` (the only SQL) uses domain and protocol; `demo` and `import` use
//! those three; `print` (PDF sheets) reads through store and uses domain and protocol; `ui` and
//! `cli` sit on top.

pub mod bench;
pub mod cli;
pub mod credentials;
pub mod demo;
pub mod domain;
pub mod imaging;
pub mod import;
pub mod paths;
pub mod print;
pub mod protocol;
pub mod startup;
pub mod store;
pub mod ui;
