//! The application layer: one service ([`Coach`]) over the store, the catalog and the rules,
//! with one method per use case — answer the screening, check in (morning or after a run),
//! drive a guided session, import a run, plan the day, plan reminders, confirm a clinician's
//! clearance, pass the follow-up screening, sync.
//!
//! Every shell (the FFI for Kotlin and Swift, the terminal coach) reaches a use case through
//! exactly this path, so a red flag, a severe-pain stop or a level change behaves the same
//! everywhere. The layer owns the orchestration the rules cannot: what is validated at the
//! boundary (instants in range, this device's own input not in the future), which writes
//! belong to one transaction ([`crate::store::Unit`]), and the order of decisions (safety
//! first, then levels, then the plan). Red-flag answers from every entry point go through
//! one function, [`crate::safety::red_flag_events`].

mod day_reads;
mod session;

pub use day_reads::DayReads;
pub use session::{ActiveSession, IfOpen, SessionStart};

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::catalog::{Catalog, CatalogError};
use crate::domain::{CheckIn, DomainError, History, PlannedSession, Run, RunRecord, Settings};
use crate::progression::{self, LevelDecision, MorningAssessment, ProgressionError};
use crate::safety::{
    self, Answer, FlagSource, FollowUpOutcome, SafetyError, SafetyEvent, SafetyState,
};
use crate::schedule::{self, LongRunDecision, Reminder, ScheduleError};
use crate::session::SessionError;
use crate::store::{new_id, LevelNote, OpenReport, Store, StoreError, Unit, UpsertOutcome};
use crate::time::{local_date, parse_zone, TimeError};

/// How far back the day's history reads check-ins, runs and sessions ([`Coach::day_inputs`];
/// knee-to-wall from [`crate::store::ROM_LOOKBACK_DAYS`] before that).
pub const PLAN_HISTORY_DAYS: i64 = 35;
/// Clock skew tolerated on this device's own input (a watch a few minutes ahead).
pub const OWN_INPUT_SKEW: Duration = Duration::minutes(5);
/// How far ahead of this device's clock a record merged from a peer still counts when
/// planning (read as made now, ADR 0011): the sync's drift bound.
pub const MERGED_AHEAD: Duration = Duration::milliseconds(crate::sync::MAX_CLOCK_AHEAD_MS as i64);
/// Pace is judged only on runs at least this long (a few seconds of GPS say nothing).
pub const MIN_RUN_FOR_PACE: Duration = Duration::minutes(1);
/// Fastest plausible average pace, metres per second (≈ 2:00 min/km; faster than any
/// distance-running world record, so such a record is a unit or device error).
pub const MAX_RUN_SPEED_MPS: f64 = 8.4;
/// Slowest plausible average pace for a run, metres per second (≈ 60 min/km).
pub const MIN_RUN_SPEED_MPS: f64 = 1000.0 / 3600.0;
/// Earliest and latest instant the API accepts (years 1970–2200): one range check at the
/// boundary, so no rule ever meets an instant its arithmetic cannot hold.
pub const MIN_INSTANT_MS: i64 = 0;
pub const MAX_INSTANT_MS: i64 = 7_258_118_400_000;

/// Errors of the use cases: the rule modules' errors plus what only orchestration knows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Progression(#[from] ProgressionError),
    #[error(transparent)]
    Safety(#[from] SafetyError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Time(#[from] TimeError),
    /// An instant outside 1970–2200 (or not representable).
    #[error("{what} is not a valid instant")]
    InstantOutOfRange { what: &'static str },
    /// This device's own input stamped in the future beyond clock skew.
    #[error("{what} is in the future")]
    InFuture { what: &'static str },
    /// A run that cannot be a run (too short, implausible pace).
    #[error("implausible run: {0}")]
    ImplausibleRun(&'static str),
    /// A red flag is open: nothing is planned or started until a clinician clears the runner.
    #[error("drills are locked until a clinician clears you")]
    Locked,
    /// A session ended for severe pain: nothing is planned or started until the follow-up
    /// screening is passed.
    #[error("drills are paused after severe pain until the follow-up screening")]
    Paused,
    /// The safety screening has never been answered on this profile (first run).
    #[error("answer the safety screening before the first drill")]
    ScreeningNeeded,
    /// Today's plan has no drills.
    #[error("today is a rest day")]
    RestDay,
    /// A session is open (started or paused): resume it or discard it explicitly.
    #[error("a session is already open; resume it or discard it")]
    SessionOpen,
    /// The profile folder path is empty.
    #[error("the profile folder path is empty")]
    EmptyProfilePath,
    /// A setting outside its range.
    #[error("setting {0}")]
    BadSetting(&'static str),
}

/// Checks an instant from a shell (milliseconds since 1970) and converts it.
pub fn instant(ms: i64, what: &'static str) -> Result<DateTime<Utc>, AppError> {
    if !(MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&ms) {
        return Err(AppError::InstantOutOfRange { what });
    }
    DateTime::from_timestamp_millis(ms).ok_or(AppError::InstantOutOfRange { what })
}

fn not_in_future(
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    what: &'static str,
) -> Result<(), AppError> {
    if at > now + OWN_INPUT_SKEW {
        Err(AppError::InFuture { what })
    } else {
        Ok(())
    }
}

/// Which check-in the runner answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInKind {
    Morning,
    PostRun,
}

/// A recorded check-in and its traffic light.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInResult {
    pub checkin_id: Uuid,
    pub assessment: MorningAssessment,
    /// The safety state after the check-in (locked when it carried a red flag).
    pub safety: SafetyState,
}

/// What answering the screening did.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningResult {
    /// Red flags raised by this screening (one per "yes" or "not sure").
    pub raised: usize,
    /// Whether a raised flag needs urgent care.
    pub urgent: bool,
    pub safety: SafetyState,
}

/// A run after import, with whether it counts as long and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RunImport {
    pub run: Run,
    pub outcome: UpsertOutcome,
    pub long_run: LongRunDecision,
}

/// The day's plan with the level decisions taken before it.
#[derive(Debug, Clone, PartialEq)]
pub struct DayPlan {
    pub plan: PlannedSession,
    pub levels: Vec<LevelDecision>,
    pub safety: SafetyState,
}

/// The coaching service of one profile.
#[derive(Debug)]
pub struct Coach {
    store: Store,
    catalog: Catalog,
    opened: OpenReport,
}

impl Coach {
    /// Opens (creating, migrating or quarantining as needed) the profile in `dir`.
    pub fn open(dir: &Path, now: DateTime<Utc>) -> Result<Coach, AppError> {
        if dir.as_os_str().is_empty() || dir.to_string_lossy().trim().is_empty() {
            return Err(AppError::EmptyProfilePath);
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Io(format!("cannot create the profile folder: {}", e.kind()))
        })?;
        // Without the long texts: a first `today()` never reads them (ADR 0024).
        let catalog = Catalog::embedded_for_plans()?;
        let (store, opened) = Store::open(&dir.join("talus.db"), &catalog, now)?;
        Ok(Coach {
            store,
            catalog,
            opened,
        })
    }

    /// A service over an open store (tests, tools).
    pub fn with_store(store: Store, catalog: Catalog) -> Coach {
        Coach {
            store,
            catalog,
            opened: OpenReport {
                created: false,
                migrated_from: None,
                quarantined: None,
                quarantine_reason: None,
                repaired: false,
            },
        }
    }

    /// What happened at open.
    pub fn open_report(&self) -> &OpenReport {
        &self.opened
    }

    /// The store (read models, sync, export).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The catalog with every text (a coach opened on the embedded catalog inflates its
    /// long texts on the first call in a process; ADR 0024). Should that ever fail (only
    /// damaged embedded bytes could), the catalog for plans is returned instead.
    pub fn catalog(&self) -> &Catalog {
        self.catalog.with_long_texts().unwrap_or(&self.catalog)
    }

    /// The catalog as the plans read it: for a coach opened on the embedded catalog,
    /// without descriptions, cues, cautions and assessment steps (names, dosages and chains
    /// as in [`Coach::catalog`]); for anything that lists plans and names drills.
    pub fn plan_catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn id_at(now: DateTime<Utc>) -> impl FnMut() -> Uuid {
        move || new_id(now)
    }

    // ----- safety ---------------------------------------------------------------------------

    /// The safety state (clear, locked by which red flag, paused after severe pain, cleared
    /// by whom), derived from every event this device holds.
    pub fn safety_state(&self) -> Result<SafetyState, AppError> {
        Ok(self.store.safety_record()?.state())
    }

    /// Whether the first-run screening has been answered (on any synced device).
    pub fn screened(&self) -> Result<bool, AppError> {
        Ok(self.store.safety_record()?.screened())
    }

    /// Records screening answers. Any "yes" or "not sure" locks drills until a clinician
    /// clears the runner; the answers and the lock are one write.
    pub fn answer_screening(
        &self,
        answers: &[(String, Answer)],
        now: DateTime<Utc>,
    ) -> Result<ScreeningResult, AppError> {
        let mut events =
            safety::red_flag_events(answers, FlagSource::Screening, now, Self::id_at(now))?;
        let raised = events.len();
        let urgent = events.iter().any(|(_, e)| match e {
            SafetyEvent::RedFlag { question, .. } => {
                progression::question_is_urgent(question).unwrap_or(true)
            }
            _ => false,
        });
        events.push((
            new_id(now),
            SafetyEvent::Screened {
                questions: u32::try_from(answers.len()).unwrap_or(u32::MAX),
                at: now,
            },
        ));
        self.store.commit(
            Unit {
                safety: &events,
                ..Unit::default()
            },
            now,
        )?;
        Ok(ScreeningResult {
            raised,
            urgent,
            safety: self.safety_state()?,
        })
    }

    /// The runner confirms a clinician cleared them: who, and on which local date. Clears
    /// every red flag and severe-pain stop this device knows of (and only those).
    pub fn confirm_clearance(
        &self,
        clinician: &str,
        seen_on: NaiveDate,
        now: DateTime<Utc>,
        zone: &str,
    ) -> Result<SafetyState, AppError> {
        let tz = parse_zone(zone)?;
        let record = self.store.safety_record()?;
        let event = safety::clearance_event(
            &record,
            clinician,
            seen_on,
            local_date(now, tz),
            |at| local_date(at, tz),
            now,
            || new_id(now),
        )?;
        self.store.commit(
            Unit {
                safety: &[event],
                ..Unit::default()
            },
            now,
        )?;
        self.safety_state()
    }

    /// The short follow-up screening after a severe-pain stop.
    pub fn answer_follow_up(
        &self,
        answers: &[(String, Answer)],
        now: DateTime<Utc>,
    ) -> Result<FollowUpOutcome, AppError> {
        let record = self.store.safety_record()?;
        let locale = self.store.settings()?.locale;
        let out = safety::follow_up(&record, answers, &locale, now, Self::id_at(now))?;
        self.store.commit(
            Unit {
                safety: &out.events,
                ..Unit::default()
            },
            now,
        )?;
        Ok(out)
    }

    // ----- check-ins ------------------------------------------------------------------------

    /// Records a morning or post-run check-in and classifies it. Red flags in it lock drills
    /// in the same transaction as the check-in.
    pub fn check_in(
        &self,
        checkin: &CheckIn,
        kind: CheckInKind,
        now: DateTime<Utc>,
    ) -> Result<CheckInResult, AppError> {
        not_in_future(checkin.at, now, "check-in")?;
        let settings = self.store.settings()?;
        let history = self.store.history(now - Duration::days(35), now)?;
        let assessment = progression::classify_morning(checkin, &history, &settings.locale, now)?;
        let answers: Vec<(String, Answer)> = checkin
            .red_flags_yes
            .iter()
            .map(|q| (q.clone(), Answer::Yes))
            .collect();
        let source = match kind {
            CheckInKind::Morning => FlagSource::MorningCheckIn,
            CheckInKind::PostRun => FlagSource::PostRunCheckIn,
        };
        let events = safety::red_flag_events(&answers, source, now, Self::id_at(now))?;
        self.store.commit(
            Unit {
                checkin: Some(checkin),
                safety: &events,
                ..Unit::default()
            },
            now,
        )?;
        Ok(CheckInResult {
            checkin_id: checkin.id,
            assessment,
            safety: self.safety_state()?,
        })
    }

    // ----- runs -----------------------------------------------------------------------------

    /// Imports a run from this device (health store, manual entry, CSV): end after start,
    /// at most 24 h, a plausible pace (2:00–60:00 min/km over a minute or more), not in the
    /// future. Idempotent on
    /// `(source, external_id)`. Returns whether it counts as a long run and why.
    pub fn import_run(
        &self,
        record: &RunRecord,
        now: DateTime<Utc>,
    ) -> Result<RunImport, AppError> {
        check_own_run(record, now)?;
        let (run, outcome) = self.store.upsert_run(record, now)?;
        let settings = self.store.settings()?;
        let earlier = self
            .store
            .runs_between(record.start - Duration::days(31), record.end)?;
        let long_run = schedule::classify_long_run(&run, &earlier, &settings.long_run);
        Ok(RunImport {
            run,
            outcome,
            long_run,
        })
    }

    // ----- the day --------------------------------------------------------------------------

    /// What [`Coach::plan_day`] reads from the store, and nothing else: the settings and the
    /// history it plans on. Public so benchmarks can weigh the store reads of planning a day
    /// against the whole call (`bindings/benches/ffi_parts.rs`).
    pub fn day_inputs(&self, now: DateTime<Utc>) -> Result<(Settings, History), AppError> {
        let settings = self.store.settings()?;
        // Sets older than the level window (one more day for the zone's offset) are not
        // read, but for each drill and side's latest: the level rules look at no other
        // sets, and the plan at no older ones than those (a leg without a level record).
        let full_sets_from = now
            .date_naive()
            .checked_sub_signed(Duration::days(progression::WINDOW_DAYS + 1))
            .unwrap_or(NaiveDate::MIN);
        // Up to a day ahead: records merged from a peer whose clock runs fast count, read as
        // made now (ADR 0011); beyond a day the sync's drift report speaks for them.
        let history = self.store.history_to_plan_the_day(
            now - Duration::days(PLAN_HISTORY_DAYS),
            now + MERGED_AHEAD,
            full_sets_from,
            now,
        )?;
        Ok((settings, history))
    }

    /// Decides today's drill levels (storing progressions and regressions in one write), then
    /// plans the day on the updated levels. Deciding again the same day changes nothing.
    /// Locked or paused: the plan is the locked/paused variant with no drills; not yet
    /// screened: the `screening_needed` variant.
    pub fn plan_day(&self, now: DateTime<Utc>, zone: &str) -> Result<DayPlan, AppError> {
        if let Some(day) = self.unscreened_day(now, zone)? {
            return Ok(day);
        }
        let (settings, history) = self.day_inputs(now)?;
        self.plan_day_from(&settings, &history, now, zone)
    }

    /// Before the first screening nothing is planned and the history is not read: the
    /// `screening_needed` day, or `None` once screened.
    pub(crate) fn unscreened_day(
        &self,
        now: DateTime<Utc>,
        zone: &str,
    ) -> Result<Option<DayPlan>, AppError> {
        let record = self.store.safety_record()?;
        if record.screened() {
            return Ok(None);
        }
        let settings = self.store.settings()?;
        let plan = progression::screening_needed_plan(&settings, now, zone)?;
        Ok(Some(DayPlan {
            plan,
            levels: Vec::new(),
            safety: record.state(),
        }))
    }

    /// [`Coach::plan_day`] on its store reads already made ([`Coach::day_inputs`] at `now`, or
    /// kept while fresh: [`DayReads`]). Stores the day's level changes, as `plan_day` does.
    pub fn plan_day_from(
        &self,
        settings: &Settings,
        history: &History,
        now: DateTime<Utc>,
        zone: &str,
    ) -> Result<DayPlan, AppError> {
        let ends = schedule::long_run_ends(&history.runs, &settings.long_run);
        self.decide_and_plan_day(settings, history, &ends, now, zone, true)
    }

    /// [`Coach::plan_day`] without storing anything: today's level decisions are applied to
    /// the plan in memory only, so it is the plan `plan_day` gives at `now` (the week plan's
    /// first day, which must agree with `today()`). Touches disk (reads only).
    pub fn forecast_day(&self, now: DateTime<Utc>, zone: &str) -> Result<DayPlan, AppError> {
        if let Some(day) = self.unscreened_day(now, zone)? {
            return Ok(day);
        }
        let (settings, history) = self.day_inputs(now)?;
        let ends = schedule::long_run_ends(&history.runs, &settings.long_run);
        self.decide_and_plan_day(&settings, &history, &ends, now, zone, false)
    }

    /// The day's level decisions and plan on `settings` and `history`, whose long runs
    /// (`schedule::long_run_ends` of its runs and `settings.long_run`) end at `ends`: the
    /// runs are judged once for both the level rules and the plan.
    pub(crate) fn decide_and_plan_day(
        &self,
        settings: &Settings,
        history: &History,
        ends: &[DateTime<Utc>],
        now: DateTime<Utc>,
        zone: &str,
        store_levels: bool,
    ) -> Result<DayPlan, AppError> {
        let safety = history.safety.state();
        if !history.safety.screened() {
            // Unscreened (a profile restored since the screening was read).
            let plan = progression::screening_needed_plan(settings, now, zone)?;
            return Ok(DayPlan {
                plan,
                levels: Vec::new(),
                safety,
            });
        }
        let decisions =
            progression::evaluate_levels_after(&self.catalog, settings, history, ends, now, zone)?;
        let changes = progression::apply_decisions(&history.progress, &decisions, now);
        let history = if changes.is_empty() {
            Cow::Borrowed(history)
        } else if !store_levels {
            Cow::Owned(History {
                progress: progression::with_level_changes(&history.progress, &changes),
                ..history.clone()
            })
        } else {
            // Why each level moved travels with it, for the history of levels.
            let notes: Vec<LevelNote> = decisions
                .iter()
                .filter(|d| d.change != progression::LevelChange::Hold)
                .map(|d| LevelNote {
                    drill_id: d.to.drill_id.clone(),
                    side: d.to_side,
                    from_drill_id: d.from.drill_id.clone(),
                    from_level: d.from.level,
                    change: match d.change {
                        progression::LevelChange::Progress => "progress",
                        _ => "regress",
                    }
                    .into(),
                    reason_code: d.reason.code.clone(),
                    numbers: d.reason.numbers.clone(),
                })
                .collect();
            self.store.commit(
                Unit {
                    levels: &changes,
                    level_notes: &notes,
                    ..Unit::default()
                },
                now,
            )?;
            // Planned on the levels as now stored.
            Cow::Owned(History {
                progress: self.store.drill_levels()?,
                ..history.clone()
            })
        };
        let after_long = progression::had_long_run_recently(ends, now);
        let plan =
            progression::plan_today(&self.catalog, settings, &history, after_long, now, zone)?;
        Ok(DayPlan {
            plan,
            levels: decisions,
            safety,
        })
    }

    /// The complete desired reminder set for the next seven days.
    pub fn plan_reminders(
        &self,
        now: DateTime<Utc>,
        zone: &str,
    ) -> Result<Vec<Reminder>, AppError> {
        let settings = self.store.settings()?;
        // The reminder plan reads sessions by date and status, never their sets.
        let history = self
            .store
            .history_without_sets(now - Duration::days(40), now + Duration::days(8))?;
        Ok(schedule::plan_reminders(&settings, &history, now, zone)?)
    }

    /// Validates and saves settings.
    pub fn save_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<(), AppError> {
        check_settings(settings)?;
        Ok(self.store.put_settings(settings, now)?)
    }

    /// The safety state after a sync brought in peers' events (a lock or clearance from the
    /// other device applies here at once).
    pub fn after_sync(&self) -> Result<SafetyState, AppError> {
        self.safety_state()
    }
}

/// Run values this device accepts from its own sources.
pub fn check_own_run(record: &RunRecord, now: DateTime<Utc>) -> Result<(), AppError> {
    if record.end <= record.start {
        return Err(DomainError::EndBeforeStart { what: "run" }.into());
    }
    let duration = record.end - record.start;
    not_in_future(record.end, now, "run")?;
    crate::domain::non_negative("distance_m", record.distance_m)?;
    if record.distance_m > 0.0 && duration >= MIN_RUN_FOR_PACE {
        let speed = record.distance_m / (duration.num_milliseconds() as f64 / 1000.0);
        if speed > MAX_RUN_SPEED_MPS {
            return Err(AppError::ImplausibleRun("faster than 2:00 min/km"));
        }
        if speed < MIN_RUN_SPEED_MPS {
            return Err(AppError::ImplausibleRun("slower than 60 min/km"));
        }
    }
    crate::store::validate_run(record)?;
    Ok(())
}

/// Settings ranges: share of week in (0, 1], spike ratio ≥ 1, long-run minimum in 1–600
/// min, share-rule minimum ≤ long-run minimum, spike-rule history 0–30 runs, knee-to-wall
/// thresholds in 0–10 cm.
pub fn check_settings(s: &Settings) -> Result<(), AppError> {
    let lr = &s.long_run;
    if !(lr.share_of_week > 0.0 && lr.share_of_week <= 1.0) {
        return Err(AppError::BadSetting("share_of_week must be in (0, 1]"));
    }
    if !(lr.spike_ratio.is_finite() && lr.spike_ratio >= 1.0 && lr.spike_ratio <= 10.0) {
        return Err(AppError::BadSetting("spike_ratio must be in 1–10"));
    }
    if !(1..=600).contains(&lr.min_duration_min) {
        return Err(AppError::BadSetting("long-run minimum must be 1–600 min"));
    }
    if lr.spike_min_runs > 30 {
        return Err(AppError::BadSetting("spike_min_runs must be in 0–30"));
    }
    if lr.share_min_duration_min > lr.min_duration_min {
        return Err(AppError::BadSetting(
            "share-rule minimum must not exceed the long-run minimum",
        ));
    }
    for (name, v) in [
        ("rom_mdc_cm must be in 0–10", s.rom_mdc_cm),
        ("rom_asymmetry_cm must be in 0–10", s.rom_asymmetry_cm),
    ] {
        if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
            return Err(AppError::BadSetting(name));
        }
    }
    parse_zone(&s.home_zone)?;
    Ok(())
}
