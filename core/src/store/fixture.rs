//! Scale fixture: a realistic, deterministic multi-year history (daily sessions of ~6
//! drills × 3 sets, daily check-ins, ~5 runs a week, weekly knee-to-wall) for tests,
//! benchmarks and the terminal demo.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::repo::{new_id, Batch};
use super::{Store, StoreError};
use crate::catalog::Catalog;
use crate::domain::{
    CheckIn, PlanVariant, RegionScores, RomMeasurement, RunRecord, Score, SessionRecord,
    SessionStatus, SetLog, Side,
};
use crate::time::{parse_zone, resolve_local_date_time};

/// What to generate.
#[derive(Debug, Clone)]
pub struct FixtureSpec {
    /// First local day of history.
    pub start: NaiveDate,
    /// Number of days.
    pub days: u32,
    pub zone: String,
    /// Seed of the deterministic pseudo-random sequence.
    pub seed: u64,
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixtureSummary {
    pub sessions: u32,
    pub sets: u32,
    pub checkins: u32,
    pub runs: u32,
    pub rom: u32,
}

/// Small deterministic generator (SplitMix64) so fixtures are identical across runs without
/// pulling a random-number crate into the library.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

fn at(zone: crate::time::Tz, date: NaiveDate, h: u32, m: u32) -> Result<DateTime<Utc>, StoreError> {
    let t = NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    Ok(resolve_local_date_time(zone, date, t)?)
}

fn score(v: u64) -> Score {
    Score::new(v.min(10) as i64).unwrap_or(Score::ZERO)
}

/// Writes the history described by `spec` into `store`, one transaction per 90 days, and
/// returns what it wrote.
pub fn generate_history(
    store: &Store,
    catalog: &Catalog,
    spec: &FixtureSpec,
) -> Result<FixtureSummary, StoreError> {
    let zone = parse_zone(&spec.zone)?;
    let drills: Vec<_> = catalog.drills().iter().collect();
    let mut rng = Rng(spec.seed);
    let mut summary = FixtureSummary::default();
    let mut batch = Batch::default();
    let mut left_cm = 8.0 + rng.below(20) as f64 / 10.0;
    let mut right_cm = 10.5 + rng.below(20) as f64 / 10.0;
    for day in 0..spec.days {
        let date = spec.start + Duration::days(i64::from(day));
        // Morning check-in, mostly quiet with the odd sore morning.
        let sore = rng.below(10) == 0;
        let base = if sore { 3 } else { rng.below(2) };
        batch.checkins.push(CheckIn {
            id: new_id(at(zone, date, 7, 10)?),
            at: at(zone, date, 7, 10)?,
            zone: spec.zone.clone(),
            pain: RegionScores {
                calf: score(base),
                achilles: score(rng.below(2)),
                ankle: score(base),
            },
            stiffness: RegionScores {
                calf: score(base + 1),
                achilles: score(1),
                ankle: score(base),
            },
            red_flags_yes: Vec::new(),
            run_id: None,
        });
        // Daily session: ~6 drills × 3 sets, unilateral drills on both sides.
        let start = at(zone, date, 18, 0)?;
        let mut sets = Vec::new();
        let mut t = start;
        for k in 0..6 {
            let drill = drills[(rng.below(drills.len() as u64) as usize + k) % drills.len().max(1)];
            let sides: &[Option<Side>] = match drill.sides {
                crate::catalog::Sides::Each => &[Some(Side::Left), Some(Side::Right)],
                crate::catalog::Sides::Both => &[None],
            };
            let dose = drill.dose(1).or_else(|| drill.dose(0));
            for set_index in 0..3u32 {
                for side in sides {
                    t += Duration::seconds(50);
                    sets.push(SetLog {
                        drill_id: drill.id.clone(),
                        side: *side,
                        set_index,
                        level: 1,
                        target_reps: dose.and_then(|d| d.reps),
                        reps_done: dose.and_then(|d| d.reps),
                        target_hold_s: dose.and_then(|d| d.hold_s),
                        hold_s_done: dose.and_then(|d| d.hold_s),
                        pain: Some(score(rng.below(3))),
                        stretch: false,
                        stopped: false,
                        skipped: false,
                        reason_code: None,
                        note: None,
                        at: t,
                    });
                }
            }
        }
        summary.sets += sets.len() as u32;
        batch.sessions.push(SessionRecord {
            outcome: None,
            id: new_id(start),
            planned_for: date,
            zone: spec.zone.clone(),
            status: SessionStatus::Finished,
            variant: PlanVariant::Normal,
            started_at: Some(start),
            ended_at: Some(t),
            snapshot: None,
            sets,
        });
        // ~5 runs a week; Sunday's is the long one.
        if rng.below(7) < 5 || day % 7 == 6 {
            let long = day % 7 == 6;
            let minutes = if long {
                95 + rng.below(40)
            } else {
                30 + rng.below(30)
            };
            let start = at(zone, date, 6, 30)?;
            batch.runs.push(RunRecord {
                source: "fixture".into(),
                external_id: format!("{}-{day}", spec.seed),
                start,
                end: start + Duration::minutes(minutes as i64),
                distance_m: minutes as f64 * 190.0,
                tags: if long {
                    vec!["long".into()]
                } else {
                    Vec::new()
                },
                zone: spec.zone.clone(),
            });
        }
        // Weekly knee-to-wall, slowly improving on the stiff side.
        if day % 7 == 0 {
            left_cm = (left_cm + rng.below(4) as f64 / 10.0).min(14.0);
            right_cm = (right_cm + rng.below(2) as f64 / 10.0 - 0.05).clamp(8.0, 14.0);
            let when = at(zone, date, 8, 0)?;
            for (side, cm) in [(Side::Left, left_cm), (Side::Right, right_cm)] {
                batch.rom.push(RomMeasurement {
                    id: new_id(when),
                    at: when,
                    zone: spec.zone.clone(),
                    side,
                    cm,
                });
            }
        }
        if (day + 1) % 90 == 0 || day + 1 == spec.days {
            summary.sessions += batch.sessions.len() as u32;
            summary.checkins += batch.checkins.len() as u32;
            summary.runs += batch.runs.len() as u32;
            summary.rom += batch.rom.len() as u32;
            store.insert_batch(&batch, at(zone, date, 23, 0)?)?;
            batch = Batch::default();
        }
    }
    Ok(summary)
}
