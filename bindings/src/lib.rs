//! Talus public API: the one surface Swift, Kotlin and the terminal shell call.
//!
//! This crate only converts between core types and FFI records; it adds no rules. Objects
//! are `Send + Sync`; every method that touches disk says so in its documentation and
//! belongs off the main thread (ADR 0008: the API is synchronous on purpose). Integers:
//! `i64` milliseconds for instants and durations, `i32` for counts, levels, scores and
//! minutes of the local day; nothing unsigned. Closed sets are enums (`kinds.rs`).
//! Shell developers start at `docs/shell-guide.md`.

mod clips;
mod coach;
mod engine;
mod error;
mod exchange;
mod history;
mod import;
mod kinds;
mod plans;
mod records;
mod reminders;
mod rules;
mod sessions;
mod words;

pub use clips::*;
pub use coach::*;
pub use engine::{days_ms, Engine, OpenInfo, RunIngest};
pub use error::{ErrorCause, ErrorKind, TalusError};
pub use exchange::*;
pub use history::*;
pub use import::RunImportReport;
pub use kinds::*;
pub use plans::*;
pub use records::*;
pub use reminders::*;
pub use rules::*;
pub use sessions::*;
pub use words::*;

uniffi::setup_scaffolding!();

/// Version of the Talus core library, for diagnostics screens.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Does nothing; the floor for measuring the cost of a call across the FFI.
#[uniffi::export]
pub fn noop() {}
