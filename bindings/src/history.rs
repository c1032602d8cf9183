//! History corrections from a shell: delete a session (with its sets), a run or a
//! knee-to-wall result. Each is one store transaction that also records the tombstone, so
//! the delete reaches the runner's other devices through sync. Conversions only.

use uuid::Uuid;

use crate::engine::Engine;
use crate::error::TalusError;
use crate::records::instant;

fn parse_id(value: &str, what: &str) -> Result<Uuid, TalusError> {
    Uuid::parse_str(value).map_err(|_| TalusError::invalid(format!("{what} id is not a UUID")))
}

#[uniffi::export]
impl Engine {
    /// Deletes the session `session_id` and its sets; the delete syncs. `NotFound` for an
    /// unknown id, `InvalidInput` for a malformed one; nothing changes then. Touches disk.
    pub fn delete_session(&self, session_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let id = parse_id(&session_id, "session")?;
        Ok(self.store().delete_session(id, now)?)
    }

    /// Deletes the run `run_id` (`RunInfo.id`); the delete syncs. Pushing the same
    /// workout again later stores it again. `NotFound` / `InvalidInput` change nothing.
    /// Touches disk.
    pub fn delete_run(&self, run_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let id = parse_id(&run_id, "run")?;
        Ok(self.store().delete_run(id, now)?)
    }

    /// Deletes the knee-to-wall result `rom_id` (`RomPoint.id`); the delete syncs.
    /// `NotFound` / `InvalidInput` change nothing. Touches disk.
    pub fn delete_knee_to_wall(&self, rom_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let id = parse_id(&rom_id, "knee-to-wall result")?;
        Ok(self.store().delete_rom(id, now)?)
    }
}
