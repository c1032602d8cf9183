//! The session screens of history (JOURNEYS J6): one session in detail — what was done per
//! drill and side, the decisions taken, how it ended and how long it took — and the
//! correction of a logged set (a wrong pain answer), which syncs like every other edit.

use talus_core::catalog::Catalog;
use talus_core::domain::{SessionRecord, SetLog};
use talus_core::session::decision_text;
use talus_core::store::{SetCorrection, SetKey};
use uuid::Uuid;

use crate::coach::{NamedNumber, ReasonInfo};
use crate::engine::Engine;
use crate::error::TalusError;
use crate::kinds::{display_level, int};
use crate::records::{count, drill_name, instant, score, SessionInfo, Side};

/// What was done of one drill on one leg (or both feet) in a session.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DrillDoneInfo {
    /// The drill's id (show `drill_name`).
    pub drill_id: String,
    /// The drill's localized name.
    pub drill_name: String,
    /// Which leg; `None` for two-footed drills.
    pub side: Option<Side>,
    /// Dose level it was done at (1 is the drill's first level).
    pub level: i32,
    /// Sets worked (stopped sets included, skipped ones not).
    pub sets_done: i32,
    /// Sets skipped.
    pub sets_skipped: i32,
    /// Reps done over all sets (rep-based drills).
    pub reps_done: Option<i32>,
    /// Time held over all sets (hold-based drills).
    pub hold_done_ms: Option<i64>,
    /// Pain answers after each set, in order (0–10; unanswered sets left out).
    pub pains: Vec<i32>,
    /// The highest pain answered.
    pub max_pain: Option<i32>,
    /// The drill was stopped (pain rule, red flag or the runner).
    pub stopped: bool,
    /// Why it was stopped, in words (`None` when it was not).
    pub stop_reason: Option<ReasonInfo>,
}

/// One session as the history detail screen shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SessionDetail {
    /// The session with every logged set (each with drill name, side, pain).
    pub session: SessionInfo,
    /// Per drill and leg, in the order they were done.
    pub drills: Vec<DrillDoneInfo>,
    /// The decisions taken during it (pain stops, referrals, skips), in order, in words.
    pub decisions: Vec<ReasonInfo>,
    /// From start to end, pauses included (`None` while it has not started or ended).
    pub total_ms: Option<i64>,
}

/// A correction of one logged set. The set is named as `SetInfo` lists it: drill, side and
/// set index; the three values replace what was logged (`None` clears a value).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SetCorrectionInput {
    /// The set's drill (`SetInfo.drill_id`).
    pub drill_id: String,
    /// The set's leg (`SetInfo.side`); `None` for two-footed drills.
    pub side: Option<Side>,
    /// The set's index (`SetInfo.set_index`, 0-based within the drill and side).
    pub set_index: i32,
    /// Pain 0–10 after the set; `None` for "not answered".
    pub pain: Option<i32>,
    /// Reps done.
    pub reps_done: Option<i32>,
    /// Hold done (whole seconds are stored).
    pub hold_done_ms: Option<i64>,
}

fn parse_session_id(text: &str) -> Result<Uuid, TalusError> {
    Uuid::parse_str(text).map_err(|_| TalusError::bad_id("session id is not a UUID"))
}

fn hold_secs(ms: i64) -> Result<u32, TalusError> {
    u32::try_from(ms / 1000)
        .ok()
        .filter(|_| ms >= 0)
        .ok_or_else(|| TalusError::invalid("hold_done_ms must not be negative"))
}

fn stop_reason(set: &SetLog, catalog: &Catalog, locale: &str) -> Option<ReasonInfo> {
    let code = set.reason_code.as_deref()?;
    let easier = catalog
        .drill(&set.drill_id)
        .ok()
        .and_then(|d| d.regression.as_deref())
        .map(|id| drill_name(catalog, id, locale));
    Some(ReasonInfo {
        code: code.to_owned(),
        message: decision_text(code, locale, easier.as_deref()),
        numbers: set
            .pain
            .map(|p| NamedNumber {
                name: "pain".into(),
                value: f64::from(p.value()),
            })
            .into_iter()
            .collect(),
    })
}

pub(crate) fn session_detail(s: &SessionRecord, catalog: &Catalog, locale: &str) -> SessionDetail {
    // Group by (drill, side) in the order each pair first appears.
    // (Each group is looked up by a scan: a session holds a few dozen sets in a handful of
    // groups, and a map would be its own B-tree code in the phone library.)
    type Group<'s> = ((String, Option<talus_core::domain::Side>), Vec<&'s SetLog>);
    let mut groups: Vec<Group> = Vec::new();
    for set in &s.sets {
        match groups
            .iter_mut()
            .find(|((drill, side), _)| *drill == set.drill_id && *side == set.side)
        {
            Some((_, sets)) => sets.push(set),
            None => groups.push(((set.drill_id.clone(), set.side), vec![set])),
        }
    }
    let drills = groups
        .iter()
        .map(|((drill, side), sets)| {
            let worked: Vec<&&SetLog> = sets.iter().filter(|x| !x.skipped).collect();
            let reps: Vec<u32> = worked.iter().filter_map(|x| x.reps_done).collect();
            let holds: Vec<u32> = worked.iter().filter_map(|x| x.hold_s_done).collect();
            let pains: Vec<i32> = sets
                .iter()
                .filter_map(|x| x.pain.map(|p| i32::from(p.value())))
                .collect();
            let stopped = sets.iter().find(|x| x.stopped);
            DrillDoneInfo {
                drill_id: drill.clone(),
                drill_name: drill_name(catalog, drill, locale),
                side: side.map(Side::from),
                level: display_level(sets.first().map_or(0, |x| x.level)),
                sets_done: int(worked.len()),
                sets_skipped: int(sets.len() - worked.len()),
                reps_done: (!reps.is_empty())
                    .then(|| int(reps.iter().map(|r| u64::from(*r)).sum::<u64>())),
                hold_done_ms: (!holds.is_empty())
                    .then(|| holds.iter().map(|h| i64::from(*h) * 1000).sum()),
                max_pain: pains.iter().copied().max(),
                pains,
                stopped: stopped.is_some(),
                stop_reason: stopped.and_then(|x| stop_reason(x, catalog, locale)),
            }
        })
        .collect();
    let mut decisions: Vec<ReasonInfo> = Vec::new();
    for set in &s.sets {
        if let Some(reason) = stop_reason(set, catalog, locale) {
            // One sentence per decision: a drill skipped on both legs is one skip.
            if decisions.last() != Some(&reason) {
                decisions.push(reason);
            }
        }
    }
    SessionDetail {
        session: SessionInfo::new(s, catalog, locale),
        drills,
        decisions,
        total_ms: match (s.started_at, s.ended_at) {
            (Some(a), Some(b)) => Some((b - a).num_milliseconds().max(0)),
            _ => None,
        },
    }
}

#[uniffi::export]
impl Engine {
    /// One session in detail: what was done per drill and leg (sets, reps or holds, every
    /// pain answer), the decisions taken in words, how it ended (`session.outcome`) and how
    /// long it took. Drills are named in the runner's locale. Touches disk.
    pub fn session_detail(&self, session_id: String) -> Result<SessionDetail, TalusError> {
        let id = parse_session_id(&session_id)?;
        let locale = self.store().settings()?.locale;
        Ok(session_detail(
            &self.store().session(id)?,
            self.catalog(),
            &locale,
        ))
    }

    /// Corrects one logged set of a finished or stopped session (a wrong pain answer, a
    /// miscounted set) and returns the session as now stored. The next plan reads the
    /// corrected values; the session's outcome and any pause or lock it caused stay as they
    /// were (a new red flag or severe pain is reported through a check-in or the screening).
    /// The edit syncs; made after another device deleted the session, it brings the session
    /// back with every set (nothing the runner corrected is lost). `NotFound` for an unknown
    /// session or set, `Conflict` (`state_changed`) while the session is still open,
    /// `InvalidInput` for a bad value; each changes nothing. Touches disk.
    pub fn correct_session_set(
        &self,
        session_id: String,
        correction: SetCorrectionInput,
        now_ms: i64,
    ) -> Result<SessionDetail, TalusError> {
        let now = instant(now_ms, "now")?;
        let id = parse_session_id(&session_id)?;
        let key = SetKey {
            drill_id: correction.drill_id.clone(),
            side: correction.side.map(Into::into),
            set_index: count(correction.set_index, "set_index")?,
        };
        let values = SetCorrection {
            pain: correction.pain.map(|p| score(p, "pain")).transpose()?,
            reps_done: correction
                .reps_done
                .map(|r| count(r, "reps_done"))
                .transpose()?,
            hold_s_done: correction.hold_done_ms.map(hold_secs).transpose()?,
        };
        let stored = self.store().correct_set(id, &key, &values, now)?;
        let locale = self.store().settings()?.locale;
        Ok(session_detail(&stored, self.catalog(), &locale))
    }
}
