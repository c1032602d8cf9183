//! Placeholder for the `schedule` module; filled in by its own capability.
