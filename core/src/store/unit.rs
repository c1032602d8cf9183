//! One user action, one transaction: a check-in with the red flags it raised, a finished
//! session with its severe-pain stop or red flag, level changes — committed together with
//! their sync operations, or not at all. A crash in between can no longer leave a red-flag
//! answer without its lock.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::repo::{add_safety_events, check_checkin, finish_in, write_checkin, write_level};
use super::{Store, StoreError};
use crate::domain::{CheckIn, DrillProgress, SessionOutcome, SetLog};
use crate::safety::SafetyEvent;
use crate::sync::EntityKind;

/// A session to mark finished, with its sets.
#[derive(Debug, Clone, Copy)]
pub struct FinishedSession<'a> {
    pub id: Uuid,
    pub sets: &'a [SetLog],
    pub outcome: SessionOutcome,
}

/// Everything one user action writes. Empty parts write nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unit<'a> {
    pub checkin: Option<&'a CheckIn>,
    pub finish: Option<FinishedSession<'a>>,
    pub safety: &'a [(Uuid, SafetyEvent)],
    pub levels: &'a [DrillProgress],
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
                write_level(tx, ops, p)?;
            }
            add_safety_events(tx, ops, unit.safety, now)
        })
    }
}
