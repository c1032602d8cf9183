//! The operation model every history change is recorded as (DESIGN.md §5): the contract
//! between the store (which appends ops in the same transaction as each change) and sync
//! (which ships, merges and replays them).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Hybrid logical clock value: wall-clock milliseconds plus a counter for events in the same
/// millisecond (or while the local clock is behind a clock already seen).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
}

impl Hlc {
    /// A clock value as serde reads one from JSON text (`{"wall_ms": …, "counter": …}` or
    /// the array of the two), from the parsed tree ([`crate::json::tree`]).
    pub(crate) fn from_json(json: &crate::json::tree::Json) -> Option<Hlc> {
        use crate::json::tree::{need, Json};
        let [wall_ms, counter] = json.fields(["wall_ms", "counter"])?;
        Some(Hlc {
            wall_ms: need(wall_ms, Json::u64)?,
            counter: need(counter, Json::u32)?,
        })
    }

    /// The next local clock value at physical time `now_ms`: never goes backwards, even if
    /// the device clock does.
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter.saturating_add(1),
            }
        }
    }
}

/// Total order of changes: HLC first, device id breaks ties (DESIGN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub device: Uuid,
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.hlc
            .cmp(&other.hlc)
            .then_with(|| self.device.cmp(&other.device))
    }
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Kinds of history entity that sync replicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Session,
    SetLog,
    CheckIn,
    Run,
    RomMeasurement,
    DrillProgress,
    Settings,
    SafetyLock,
}

impl EntityKind {
    /// Stable name as stored in the op-log and in segments.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Session => "session",
            EntityKind::SetLog => "set_log",
            EntityKind::CheckIn => "check_in",
            EntityKind::Run => "run",
            EntityKind::RomMeasurement => "rom_measurement",
            EntityKind::DrillProgress => "drill_progress",
            EntityKind::Settings => "settings",
            EntityKind::SafetyLock => "safety_lock",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<EntityKind> {
        [
            EntityKind::Session,
            EntityKind::SetLog,
            EntityKind::CheckIn,
            EntityKind::Run,
            EntityKind::RomMeasurement,
            EntityKind::DrillProgress,
            EntityKind::Settings,
            EntityKind::SafetyLock,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// What an operation does to its entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OpAction {
    /// Creates or overwrites the entity: every field in `fields` is stamped with the op's
    /// stamp (field-level last-writer-wins treats it as one write per field).
    Put {
        fields: serde_json::Map<String, serde_json::Value>,
    },
    /// Changes one field.
    Set {
        field: String,
        value: serde_json::Value,
    },
    /// Tombstone. An edit concurrent with (not causally before) a delete keeps the entity.
    Delete,
}

/// One change to history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub stamp: Stamp,
    pub entity: EntityKind,
    pub id: Uuid,
    #[serde(flatten)]
    pub action: OpAction,
}

/// Sorts ops stably by stamp. Every path that orders ops calls this one function, so the
/// library holds one copy of the sort for them (code size, BENCHMARKS.md "Size"); it sorts
/// directly rather than through `crate::order`, since a merge can hold 10⁵ ops.
pub(crate) fn sort_by_stamp(ops: &mut [Op]) {
    ops.sort_by_key(|op| op.stamp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_when_clock_goes_back() {
        let a = Hlc::default().tick(1_000);
        let b = a.tick(900);
        let c = b.tick(1_000);
        let d = c.tick(1_001);
        assert!(a < b && b < c && c < d);
        assert_eq!(
            d,
            Hlc {
                wall_ms: 1_001,
                counter: 0
            }
        );
    }

    #[test]
    fn stamp_ties_broken_by_device() {
        let hlc = Hlc {
            wall_ms: 5,
            counter: 0,
        };
        let lo = Stamp {
            hlc,
            device: Uuid::from_u128(1),
        };
        let hi = Stamp {
            hlc,
            device: Uuid::from_u128(2),
        };
        assert!(lo < hi);
    }

    #[test]
    fn entity_names_round_trip() {
        for k in [
            EntityKind::Session,
            EntityKind::SafetyLock,
            EntityKind::RomMeasurement,
        ] {
            assert_eq!(EntityKind::parse(k.as_str()), Some(k));
        }
    }
}
