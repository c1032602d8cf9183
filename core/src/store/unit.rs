//! One user action, one transaction: a check-in with the red flags it raised, a finished
//! session with its severe-pain stop or red flag, level changes — committed together with
//! their sync operations, or not at all. A crash in between can no longer leave a red-flag
//! answer without its lock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::repo::{add_safety_events, check_checkin, finish_in, write_checkin, write_level};
use super::{Store, StoreError};
use crate::domain::{CheckIn, DrillProgress, SessionOutcome, SetLog};
use crate::safety::SafetyEvent;
use crate::sorted_map::SortedMap;
use crate::sync::EntityKind;

/// A session to mark finished, with its sets.
#[derive(Debug, Clone, Copy)]
pub struct FinishedSession<'a> {
    pub id: Uuid,
    pub sets: &'a [SetLog],
    pub outcome: SessionOutcome,
}

/// Why a drill level changed, stored with the change (in its sync op) so the history of
/// levels can say from what to what and why. Keyed like the level record it explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelNote {
    /// The record it explains: the drill reached and the side key it is stored under.
    pub drill_id: String,
    pub side: Option<crate::domain::Side>,
    /// Where the leg was before (another drill of the chain when the chain moved).
    pub from_drill_id: String,
    pub from_level: u32,
    /// `progress` or `regress`.
    pub change: String,
    /// The decision's stable code and numbers (the sentence is rendered when read).
    pub reason_code: String,
    #[serde(default)]
    pub numbers: SortedMap<String, f64>,
}

/// Everything one user action writes. Empty parts write nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unit<'a> {
    pub checkin: Option<&'a CheckIn>,
    pub finish: Option<FinishedSession<'a>>,
    pub safety: &'a [(Uuid, SafetyEvent)],
    pub levels: &'a [DrillProgress],
    /// Why each of `levels` changed (matched by drill and side; a level without a note is
    /// stored without one).
    pub level_notes: &'a [LevelNote],
}

impl Store {
    /// Commits `unit` in one IMMEDIATE transaction. Every value is validated first; a
    /// refused value writes nothing.
    pub fn commit(&self, unit: Unit, now: DateTime<Utc>) -> Result<(), StoreError> {
        if let Some(c) = unit.checkin {
            check_checkin(c, now)?;
        }
        if let Some(f) = unit.finish {
            self.check_sets(f.sets)?;
        }
        for p in unit.levels {
            self.check_drill(&p.drill_id)?;
        }
        self.write(now, |tx, ops| {
            if let Some(c) = unit.checkin {
                write_checkin(tx, c)?;
                ops.put(EntityKind::CheckIn, c.id, c)?;
            }
            if let Some(f) = unit.finish {
                finish_in(tx, ops, f.id, f.sets, f.outcome, now)?;
            }
            for p in unit.levels {
                let note = unit
                    .level_notes
                    .iter()
                    .find(|n| n.drill_id == p.drill_id && n.side == p.side);
                write_level(tx, ops, p, note)?;
            }
            add_safety_events(tx, ops, unit.safety, now)
        })
    }
}
