//! Placeholder for the `sync` module; filled in by its own capability.
