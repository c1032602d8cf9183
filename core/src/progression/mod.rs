//! Placeholder for the `progression` module; filled in by its own capability.
