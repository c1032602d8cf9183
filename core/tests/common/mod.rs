//! Records shared by the store-and-rules tests: a plainly done set.

// Each test crate includes this module and uses the part it needs.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use talus_core::domain::{Score, SetLog, Side};

/// A set of `drill` on `side` at `level`, done at `at`: ten of ten reps at pain 1/10.
pub fn set(drill: &str, side: Option<Side>, level: u32, at: DateTime<Utc>) -> SetLog {
    SetLog {
        drill_id: drill.into(),
        side,
        set_index: 0,
        level,
        target_reps: Some(10),
        reps_done: Some(10),
        target_hold_s: None,
        hold_s_done: None,
        pain: Some(Score::new(1).unwrap()),
        stretch: false,
        stopped: false,
        skipped: false,
        reason_code: None,
        note: None,
        at,
    }
}
