//! Placeholder for the `store` module; filled in by its own capability.
