//! Talus core: every rule and every piece of data behind the ankle-mobility coach.
//!
//! The crate is plain Rust: no FFI attributes, no threads of its own, no network and no
//! wall-clock reads inside rules. Each rule takes `now` (a UTC instant) and, where a local
//! date matters, an IANA time-zone name, so every decision is deterministic and testable.
//!
//! Modules:
//! - [`app`]: the application layer, one method per use case over store, catalog and
//!   rules; every shell goes through it.
//! - [`domain`]: the shared history records (runs, check-ins, sessions, sets, knee-to-wall,
//!   settings) and the planned-session contract that the planner, runner and store agree on.
//! - [`time`]: time-zone parsing and the DST policy for local wall times.
//! - [`catalog`]: the drill catalog as validated, embedded data.
//! - [`session`]: the guided session runner (a pure state machine).
//! - [`progression`]: safety screening, morning check-ins, daily plan, progression rules,
//!   knee-to-wall tracking.
//! - [`safety`]: red-flag locks, the severe-pain pause, clearance and follow-up, as synced
//!   events.
//! - [`schedule`]: run ingestion rules, long-run detection and reminder planning.
//! - [`store`]: the durable SQLite store.
//! - [`sync`]: op-log, segments, merge, backup and clinician export.
//! - [`order`]: the one stable sort the library's call sites share (code size).
//! - [`json`]: the one JSON text reader the library instantiates (code size).
//! - [`formats`]: every date-time text the library writes and reads (fixed forms, RFC 3339,
//!   ISO dates and times, their serde forms), without chrono's generic formatter (code size).
//! - [`decimal`]: decimal text to `f64` without core's float parser (code size).
//! - [`sorted_map`]: the ordered map the library's small maps share (code size).

pub mod app;
pub mod catalog;
pub mod decimal;
pub mod domain;
pub mod formats;
pub mod json;
pub mod order;
pub mod progression;
pub mod safety;
pub mod schedule;
pub mod session;
pub mod sorted_map;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
