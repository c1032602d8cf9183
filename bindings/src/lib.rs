//! Talus public API: the one surface Swift, Kotlin and the terminal shell call.
//!
//! This crate only converts between core types and FFI records; it adds no rules.

uniffi::setup_scaffolding!();

/// Version of the Talus core library, for diagnostics screens.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
