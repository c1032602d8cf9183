//! The compact history format of the shared rule vectors (`tests/vectors/progression.json`,
//! documented in `tests/vectors/README.md`): a hand-writable description of a runner's
//! check-ins, sessions, levels, runs and knee-to-wall results. It lets the same scenarios be
//! run against the rules from Rust and, through the API's dry run, from Kotlin and Swift.
//! Ids are derived from each record's position, so a scenario always builds the same history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::catalog::{Equipment, Target};
use crate::domain::{
    CheckIn, DrillProgress, History, PlanVariant, RegionScores, RomMeasurement, Run, RunRecord,
    Score, SessionRecord, SessionStatus, SetLog, Settings, Side,
};
use crate::safety::SafetyRecord;

fn scenario_id(kind: &str, index: usize) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("talus:scenario:{kind}:{index}").as_bytes(),
    )
}

#[derive(Deserialize, Default)]
/// Settings overrides of a scenario (everything else is `Settings::default()`).
pub struct ScenarioSettings {
    pub locale: Option<String>,
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    #[serde(default)]
    pub goals: Vec<Target>,
    pub preferred_start_side: Option<Side>,
}

#[derive(Deserialize, Default)]
/// A scenario's history.
pub struct ScenarioHistory {
    #[serde(default)]
    pub checkins: Vec<ScenarioCheckIn>,
    #[serde(default)]
    pub sessions: Vec<ScenarioSession>,
    #[serde(default)]
    pub progress: Vec<ScenarioProgress>,
    #[serde(default)]
    pub runs: Vec<ScenarioRun>,
    #[serde(default)]
    pub rom: Vec<ScenarioRom>,
    #[serde(default)]
    pub locked: bool,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioCheckIn {
    pub at: DateTime<Utc>,
    pub zone: Option<String>,
    pub pain: RegionScores,
    #[serde(default)]
    pub stiffness: RegionScores,
    #[serde(default)]
    pub red_flags_yes: Vec<String>,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioSession {
    pub date: NaiveDate,
    pub zone: Option<String>,
    pub sets: Vec<ScenarioSet>,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioSet {
    pub drill: String,
    pub side: Option<Side>,
    pub level: u32,
    pub pain: Option<Score>,
    #[serde(default)]
    pub stopped: bool,
    #[serde(default)]
    pub skipped: bool,
    pub reason_code: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioProgress {
    pub drill: String,
    pub side: Option<Side>,
    pub level: u32,
    pub changed_at: DateTime<Utc>,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioRun {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub distance_m: f64,
    #[serde(default)]
    pub tags: Vec<String>,
    pub zone: Option<String>,
}

#[derive(Deserialize)]
/// One record of a scenario history.
pub struct ScenarioRom {
    pub at: DateTime<Utc>,
    pub side: Side,
    pub cm: f64,
}

impl ScenarioHistory {
    /// The history, with every record's zone defaulting to `zone`; sessions are finished.
    pub fn to_history(&self, zone: &str) -> History {
        let h = self;
        let zone_or = |z: &Option<String>| z.clone().unwrap_or_else(|| zone.to_string());
        History {
            checkins: h
                .checkins
                .iter()
                .enumerate()
                .map(|(i, c)| CheckIn {
                    id: scenario_id("checkin", i),
                    at: c.at,
                    zone: zone_or(&c.zone),
                    pain: c.pain,
                    stiffness: c.stiffness,
                    red_flags_yes: c.red_flags_yes.clone(),
                    run_id: None,
                })
                .collect(),
            sessions: h
                .sessions
                .iter()
                .enumerate()
                .map(|(i, s)| SessionRecord {
                    outcome: None,
                    id: scenario_id("session", i),
                    planned_for: s.date,
                    zone: zone_or(&s.zone),
                    status: SessionStatus::Finished,
                    variant: PlanVariant::Normal,
                    started_at: s.sets.first().map(|x| x.at),
                    ended_at: s.sets.last().map(|x| x.at),
                    snapshot: None,
                    sets: s
                        .sets
                        .iter()
                        .enumerate()
                        .map(|(i, x)| SetLog {
                            drill_id: x.drill.clone(),
                            side: x.side,
                            set_index: i as u32,
                            level: x.level,
                            target_reps: None,
                            reps_done: None,
                            target_hold_s: None,
                            hold_s_done: None,
                            pain: x.pain,
                            stretch: false,
                            stopped: x.stopped,
                            skipped: x.skipped,
                            reason_code: x.reason_code.clone(),
                            note: None,
                            at: x.at,
                        })
                        .collect(),
                })
                .collect(),
            progress: h
                .progress
                .iter()
                .map(|p| DrillProgress {
                    drill_id: p.drill.clone(),
                    side: p.side,
                    level: p.level,
                    changed_at: p.changed_at,
                })
                .collect(),
            runs: h
                .runs
                .iter()
                .enumerate()
                .map(|(i, r)| Run {
                    id: scenario_id("run", i),
                    record: RunRecord {
                        source: "vector".into(),
                        external_id: format!("run-{i}"),
                        start: r.start,
                        end: r.end,
                        distance_m: r.distance_m,
                        tags: r.tags.clone(),
                        zone: zone_or(&r.zone),
                    },
                })
                .collect(),
            rom: h
                .rom
                .iter()
                .enumerate()
                .map(|(i, m)| RomMeasurement {
                    id: scenario_id("rom", i),
                    at: m.at,
                    zone: zone.to_string(),
                    side: m.side,
                    cm: m.cm,
                })
                .collect(),
            safety: if h.locked {
                SafetyRecord::locked_by("calf_swollen_hot", DateTime::<Utc>::UNIX_EPOCH)
            } else {
                SafetyRecord::default()
            },
            run_known_since: Default::default(),
        }
    }
}

impl ScenarioSettings {
    /// `Settings::default()` with this scenario's overrides.
    pub fn to_settings(s: Option<&ScenarioSettings>) -> Settings {
        let mut out = Settings::default();
        if let Some(s) = s {
            if let Some(l) = &s.locale {
                out.locale = l.clone();
            }
            out.equipment = s.equipment.clone();
            out.goals = s.goals.clone();
            out.preferred_start_side = s.preferred_start_side;
        }
        out
    }
}
