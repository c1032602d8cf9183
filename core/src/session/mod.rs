//! Placeholder for the `session` module; filled in by its own capability.
