//! The coaching surface: screening, morning check-in, today's plan and the guided session
//! runner object. Conversions only; the rules live in `talus-core`.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use talus_core::domain::{PlannedSession, Reason};
use talus_core::progression::{self, LevelDecision};
use talus_core::schedule;
use talus_core::session::{Effect, Frame, RunnerEvent as CoreEvent, SessionRunner};
use talus_core::store::Store;
use uuid::Uuid;

use crate::engine::Engine;
use crate::error::{ErrorKind, TalusError};
use crate::kinds::{int, secs_ms, LevelChange, MorningStatus, PlanVariant, SegmentKind, Step};
use crate::records::{drill_name, instant, CheckInInput, Side};

/// A decision's explanation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ReasonInfo {
    /// Stable code, e.g. `above_baseline` (for logic and logs, never shown).
    pub code: String,
    /// Localized sentence to show.
    pub message: String,
    /// Inputs by name.
    pub numbers: Vec<NamedNumber>,
}

/// A named number behind a decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct NamedNumber {
    /// Stable name, e.g. `pain_today`.
    pub name: String,
    /// The value.
    pub value: f64,
}

impl From<&Reason> for ReasonInfo {
    fn from(r: &Reason) -> Self {
        ReasonInfo {
            code: r.code.clone(),
            message: r.message.clone(),
            numbers: r
                .numbers
                .iter()
                .map(|(k, v)| NamedNumber {
                    name: k.clone(),
                    value: *v,
                })
                .collect(),
        }
    }
}

/// A screening question.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct QuestionInfo {
    /// Stable id, sent back in [`Answer`].
    pub id: String,
    /// Which group of conditions it screens for (`fracture`, `clot`…).
    pub group: String,
    /// Localized question.
    pub text: String,
    /// A "yes" needs urgent care, not just a check-up.
    pub urgent: bool,
}

/// One yes/no answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct Answer {
    /// The question's id.
    pub question_id: String,
    /// The runner answered "yes".
    pub yes: bool,
}

/// The safety state after screening.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SafetyInfo {
    /// Drills are locked until a clinician clears the runner.
    pub locked: bool,
    /// A "yes" needs urgent care.
    pub urgent: bool,
    /// Ids of the questions answered "yes".
    pub reasons: Vec<String>,
    /// The referral message to show, if any.
    pub referral: Option<ReasonInfo>,
}

/// The morning traffic light.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct MorningInfo {
    /// The stored check-in's id.
    pub checkin_id: String,
    /// The light.
    pub status: MorningStatus,
    /// The runner's morning baseline, if one exists yet.
    pub baseline: Option<f64>,
    /// Why, in words.
    pub reasons: Vec<ReasonInfo>,
}

/// One drill of today's plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PlanItemInfo {
    /// The drill's id (show `drill_name`).
    pub drill_id: String,
    /// The drill's localized name.
    pub drill_name: String,
    /// Dose level (1 is the first).
    pub level: i32,
    /// Sets per side.
    pub sets: i32,
    /// Reps per set (rep-based drills).
    pub reps: Option<i32>,
    /// Hold per set (hold-based drills).
    pub hold_ms: Option<i64>,
    /// Legs to work, in order; empty for two-footed drills.
    pub sides: Vec<Side>,
    /// The stiffer leg that gets one extra set, if any.
    pub extra_set_side: Option<Side>,
    /// Why this drill is in the plan.
    pub reason: ReasonInfo,
}

/// Today's plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PlanInfo {
    /// Local date `YYYY-MM-DD`.
    pub date: String,
    /// IANA zone the day is in.
    pub zone: String,
    /// The kind of day.
    pub variant: PlanVariant,
    /// Drills in order.
    pub items: Vec<PlanItemInfo>,
    /// Why the day is this variant, in words.
    pub reasons: Vec<ReasonInfo>,
    /// Today's level decision for every drill the runner is working on (progress, regress
    /// or hold, with the reason). Progressions and regressions are already applied to the
    /// plan above.
    pub levels: Vec<LevelInfo>,
}

/// A level decision for one drill and leg.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct LevelInfo {
    /// The drill evaluated (show `drill_name`).
    pub drill_id: String,
    /// Its localized name.
    pub drill_name: String,
    /// `None` for two-footed drills.
    pub side: Option<Side>,
    /// What changed.
    pub change: LevelChange,
    /// The drill before.
    pub from_drill_id: String,
    /// Its localized name.
    pub from_drill_name: String,
    /// The level before (1 is the first).
    pub from_level: i32,
    /// The drill after (another drill of the chain when the chain moved).
    pub to_drill_id: String,
    /// Its localized name.
    pub to_drill_name: String,
    /// The level after.
    pub to_level: i32,
    /// Why, in words.
    pub reason: ReasonInfo,
}

/// What the shell reports to a running session.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum SessionEvent {
    /// The runner starts the session.
    Start,
    /// The timer the shell scheduled (`EffectInfo::ScheduleTick`) fired.
    Tick,
    /// The runner tapped "rep done".
    RepDone,
    /// The clip the shell was asked to play without looping ended.
    VideoEnded,
    /// The runner paused, or the app went to the background.
    Pause,
    /// The runner resumed.
    Resume,
    /// Skip the current step (intro, rest).
    SkipStep,
    /// Skip the rest of the current drill.
    SkipDrill,
    /// Pain 0–10 after a set.
    PainReported {
        /// 0 (none) to 10 (worst imaginable).
        pain: i32,
    },
    /// Change legs now.
    SwitchSide,
    /// The runner quit (after confirming): recorded as stopped early.
    Stop,
    /// A red-flag question answered "yes" during the session.
    RedFlagReported {
        /// The question's id.
        question_id: String,
    },
}

impl From<SessionEvent> for CoreEvent {
    fn from(e: SessionEvent) -> Self {
        match e {
            SessionEvent::Start => CoreEvent::Start,
            SessionEvent::Tick => CoreEvent::Tick,
            SessionEvent::RepDone => CoreEvent::RepDone,
            SessionEvent::VideoEnded => CoreEvent::VideoEnded,
            SessionEvent::Pause => CoreEvent::Pause,
            SessionEvent::Resume => CoreEvent::Resume,
            SessionEvent::SkipStep => CoreEvent::SkipStep,
            SessionEvent::SkipDrill => CoreEvent::SkipDrill,
            SessionEvent::PainReported { pain } => CoreEvent::PainReported(i64::from(pain)),
            SessionEvent::SwitchSide => CoreEvent::SwitchSide,
            SessionEvent::Stop => CoreEvent::Stop,
            SessionEvent::RedFlagReported { question_id } => {
                CoreEvent::RedFlagReported(question_id)
            }
        }
    }
}

/// Something the shell must do after an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum EffectInfo {
    /// Play a part of the drill's clip.
    PlayVideo {
        /// Clip asset id.
        asset_id: String,
        /// Which part.
        segment: SegmentKind,
        /// Start in the clip.
        start_ms: i64,
        /// End in the clip.
        end_ms: i64,
        /// Loop `start_ms..end_ms` until told otherwise; otherwise send `VideoEnded` at the end.
        looped: bool,
        /// Mirror the picture (the clip is filmed on the right leg).
        mirrored: bool,
        /// The clip's file in the bundled or downloaded pack (see `clip_info`).
        file: String,
    },
    /// Speak a cue (text to speech).
    SpeakCue {
        /// Localized text.
        text: String,
        /// Its locale (`en`, `de`).
        locale: String,
        /// When set, speak at this clip position rather than now.
        at_video_ms: Option<i64>,
    },
    /// A short haptic tap (rep counted, hold over).
    Haptic,
    /// Show the pain scale (the frame's step is `PainCheck`).
    AskPain,
    /// Send `Tick` at this instant (replace any earlier scheduled tick).
    ScheduleTick {
        /// When to send `Tick`.
        at_ms: i64,
    },
    /// The core saved the session so it can resume after the app is killed; nothing to do.
    SnapshotSaved,
    /// The session is over and stored: show the summary, stop the player, allow sleep.
    SessionFinished,
}

/// What to draw and do after an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct FrameInfo {
    /// Which screen to show.
    pub step: Step,
    /// The session is paused (show "resume").
    pub paused: bool,
    /// The current drill's id (show `drill_name`).
    pub drill_id: String,
    /// The current drill's localized name.
    pub drill_name: String,
    /// Its localized description.
    pub drill_description: String,
    /// The leg being worked; `None` for two-footed drills.
    pub side: Option<Side>,
    /// 1-based set number.
    pub set: i32,
    /// Sets in this drill (the extra set of the stiffer leg included).
    pub sets: i32,
    /// Reps done (rep-based drills).
    pub rep: Option<i32>,
    /// Reps to do.
    pub reps: Option<i32>,
    /// Time left in a hold, rest, pause or side switch (whole seconds).
    pub time_left_ms: Option<i64>,
    /// The cue to show, localized.
    pub cue: Option<String>,
    /// Share of the session done, 0–1; never decreases.
    pub progress: f64,
    /// Time spent so far.
    pub elapsed_ms: i64,
    /// Estimated time left.
    pub remaining_ms: i64,
    /// `Start` is allowed.
    pub can_start: bool,
    /// `RepDone` is allowed.
    pub can_rep_done: bool,
    /// `Pause` is allowed.
    pub can_pause: bool,
    /// `Resume` is allowed.
    pub can_resume: bool,
    /// `SkipStep` is allowed.
    pub can_skip_step: bool,
    /// `SkipDrill` is allowed.
    pub can_skip_drill: bool,
    /// `SwitchSide` is allowed.
    pub can_switch_side: bool,
    /// `PainReported` is allowed.
    pub can_report_pain: bool,
    /// `Stop` is allowed.
    pub can_stop: bool,
    /// What to do now, in order.
    pub effects: Vec<EffectInfo>,
    /// Decisions taken so far (pain stops, referrals), newest last.
    pub decisions: Vec<ReasonInfo>,
}

fn frame_info(f: &Frame, runner: &SessionRunner) -> FrameInfo {
    let v = &f.view;
    FrameInfo {
        step: v.step.into(),
        paused: v.paused,
        drill_id: v.drill_id.clone(),
        drill_name: v.drill_name.clone(),
        drill_description: v.drill_description.clone(),
        side: v.side.map(Side::from),
        set: int(v.set),
        sets: int(v.sets),
        rep: v.rep.map(int),
        reps: v.reps.map(int),
        time_left_ms: v.seconds_left.map(secs_ms),
        cue: v.cue.clone(),
        progress: v.progress,
        elapsed_ms: secs_ms(v.elapsed_s),
        remaining_ms: secs_ms(v.remaining_s),
        can_start: v.controls.start,
        can_rep_done: v.controls.rep_done,
        can_pause: v.controls.pause,
        can_resume: v.controls.resume,
        can_skip_step: v.controls.skip_step,
        can_skip_drill: v.controls.skip_drill,
        can_switch_side: v.controls.switch_side,
        can_report_pain: v.controls.pain,
        can_stop: v.controls.stop,
        effects: f
            .effects
            .iter()
            .map(|e| match e {
                Effect::PlayVideo {
                    asset_id,
                    segment,
                    start_ms,
                    end_ms,
                    looped,
                    mirrored,
                    file,
                } => EffectInfo::PlayVideo {
                    asset_id: asset_id.clone(),
                    segment: (*segment).into(),
                    start_ms: i64::from(*start_ms),
                    end_ms: i64::from(*end_ms),
                    looped: *looped,
                    mirrored: *mirrored,
                    file: file.clone(),
                },
                Effect::SpeakCue {
                    text,
                    locale,
                    at_video_ms,
                } => EffectInfo::SpeakCue {
                    text: text.clone(),
                    locale: locale.clone(),
                    at_video_ms: at_video_ms.map(i64::from),
                },
                Effect::Haptic => EffectInfo::Haptic,
                Effect::AskPain => EffectInfo::AskPain,
                Effect::ScheduleTick { at_ms } => EffectInfo::ScheduleTick { at_ms: *at_ms },
                Effect::PersistSnapshot => EffectInfo::SnapshotSaved,
                Effect::SessionFinished => EffectInfo::SessionFinished,
            })
            .collect(),
        decisions: runner
            .summary()
            .decisions
            .iter()
            .map(|d| ReasonInfo {
                code: d.code.clone(),
                message: d.message.clone(),
                numbers: Vec::new(),
            })
            .collect(),
    }
}

impl LevelInfo {
    pub(crate) fn new(
        d: &LevelDecision,
        catalog: &talus_core::catalog::Catalog,
        locale: &str,
    ) -> LevelInfo {
        LevelInfo {
            drill_id: d.drill_id.clone(),
            drill_name: drill_name(catalog, &d.drill_id, locale),
            side: d.side.map(Side::from),
            change: d.change.into(),
            from_drill_id: d.from.drill_id.clone(),
            from_drill_name: drill_name(catalog, &d.from.drill_id, locale),
            from_level: int(d.from.level),
            to_drill_id: d.to.drill_id.clone(),
            to_drill_name: drill_name(catalog, &d.to.drill_id, locale),
            to_level: int(d.to.level),
            reason: ReasonInfo::from(&d.reason),
        }
    }
}

pub(crate) fn plan_info(
    plan: &PlannedSession,
    levels: &[LevelDecision],
    catalog: &talus_core::catalog::Catalog,
) -> PlanInfo {
    PlanInfo {
        levels: levels
            .iter()
            .map(|d| LevelInfo::new(d, catalog, &plan.locale))
            .collect(),
        date: plan.date.to_string(),
        zone: plan.zone.clone(),
        variant: plan.variant.into(),
        items: plan
            .items
            .iter()
            .map(|i| PlanItemInfo {
                drill_id: i.drill_id.clone(),
                drill_name: drill_name(catalog, &i.drill_id, &plan.locale),
                level: int(i.level),
                sets: int(i.dose.sets),
                reps: i.dose.reps.map(int),
                hold_ms: i.dose.hold_s.map(secs_ms),
                sides: i.sides.iter().map(|s| Side::from(*s)).collect(),
                extra_set_side: i.extra_set_side.map(Side::from),
                reason: ReasonInfo::from(&i.reason),
            })
            .collect(),
        reasons: plan.reasons.iter().map(ReasonInfo::from).collect(),
    }
}

impl Engine {
    /// Decides today's drill levels (storing progressions and regressions), then plans
    /// the day on the updated levels. Deciding again the same day changes nothing: a level
    /// moves at most one step a week and decisions are made against the stored level.
    fn plan(
        &self,
        now_ms: i64,
        zone: &str,
    ) -> Result<(PlannedSession, Vec<LevelDecision>), TalusError> {
        let now = instant(now_ms, "now")?;
        let settings = self.store().settings()?;
        let mut history = self
            .store()
            .history(now - Duration::days(35), now + Duration::minutes(1))?;
        let decisions =
            progression::evaluate_levels(self.catalog(), &settings, &history, now, zone)?;
        let changes = progression::apply_decisions(&history.progress, &decisions, now);
        for p in &changes {
            self.store()
                .set_drill_level(&p.drill_id, p.side, p.level, now)?;
        }
        if !changes.is_empty() {
            history.progress = self.store().drill_levels()?;
        }
        let ends = schedule::long_run_ends(&history.runs, &settings.long_run);
        let after_long = progression::had_long_run_recently(&ends, now);
        let plan =
            progression::plan_today(self.catalog(), &settings, &history, after_long, now, zone)?;
        Ok((plan, decisions))
    }
}

#[uniffi::export]
impl Engine {
    /// The red-flag screening questions in `locale`.
    pub fn screening_questions(&self, locale: String) -> Vec<QuestionInfo> {
        progression::screening_questions(&locale)
            .into_iter()
            .map(|q| QuestionInfo {
                id: q.id,
                group: q.group,
                text: q.text,
                urgent: q.urgent,
            })
            .collect()
    }

    /// Records screening answers; any "yes" locks drills until a clinician clears the
    /// runner. Touches disk.
    pub fn submit_screening(
        &self,
        answers: Vec<Answer>,
        now_ms: i64,
    ) -> Result<SafetyInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let locale = self.store().settings()?.locale;
        let pairs: Vec<(String, bool)> = answers
            .into_iter()
            .map(|a| (a.question_id, a.yes))
            .collect();
        let current = self.store().safety_lock()?;
        let out = progression::evaluate_screening(&pairs, &current, &locale, now)?;
        if out.lock != current {
            self.store().set_safety_lock(&out.lock, now)?;
        }
        Ok(SafetyInfo {
            locked: out.lock.locked,
            urgent: out.urgent,
            reasons: out.lock.reasons,
            referral: out.referral.as_ref().map(ReasonInfo::from),
        })
    }

    /// Clears the red-flag lock once the runner confirms a clinician cleared them.
    /// Touches disk.
    pub fn confirm_clinician_clearance(
        &self,
        confirmed: bool,
        now_ms: i64,
    ) -> Result<bool, TalusError> {
        let now = instant(now_ms, "now")?;
        let lock = progression::clear_lock(&self.store().safety_lock()?, confirmed, now);
        self.store().set_safety_lock(&lock, now)?;
        Ok(lock.locked)
    }

    /// Records a morning check-in and returns its traffic light. A "yes" to any red flag in
    /// it locks drills. Touches disk.
    pub fn morning_checkin(
        &self,
        checkin: CheckInInput,
        now_ms: i64,
    ) -> Result<MorningInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let settings = self.store().settings()?;
        let id = talus_core::store::new_id(now);
        let core = checkin.to_core(id)?;
        let history = self.store().history(now - Duration::days(35), now)?;
        let assessment = progression::classify_morning(&core, &history, &settings.locale, now)?;
        if !core.red_flags_yes.is_empty() {
            let pairs: Vec<(String, bool)> = core
                .red_flags_yes
                .iter()
                .map(|q| (q.clone(), true))
                .collect();
            let out = progression::evaluate_screening(
                &pairs,
                &self.store().safety_lock()?,
                &settings.locale,
                now,
            )?;
            self.store().add_checkin(&core, now)?;
            self.store().set_safety_lock(&out.lock, now)?;
        } else {
            self.store().add_checkin(&core, now)?;
        }
        Ok(MorningInfo {
            checkin_id: id.to_string(),
            status: assessment.status.into(),
            baseline: assessment.baseline,
            reasons: assessment.reasons.iter().map(ReasonInfo::from).collect(),
        })
    }

    /// Today's plan with the reason for every choice, after deciding drill levels (a
    /// progression or regression is stored, at most one step a week). Touches disk.
    pub fn today(&self, now_ms: i64, zone: String) -> Result<PlanInfo, TalusError> {
        let (plan, levels) = self.plan(now_ms, &zone)?;
        Ok(plan_info(&plan, &levels, self.catalog()))
    }

    /// Plans today and starts a guided session over it. Fails with `Locked` while a red
    /// flag is open. Touches disk.
    pub fn start_session(
        self: Arc<Self>,
        now_ms: i64,
        zone: String,
    ) -> Result<Arc<GuidedSession>, TalusError> {
        let now = instant(now_ms, "now")?;
        let (plan, _) = self.plan(now_ms, &zone)?;
        if plan.variant == talus_core::domain::PlanVariant::Locked {
            return Err(TalusError::new(
                ErrorKind::Locked,
                "drills are locked until a clinician clears the runner",
            ));
        }
        if plan.items.is_empty() {
            return Err(TalusError::new(ErrorKind::Conflict, "today is a rest day"));
        }
        let runner = SessionRunner::new(&plan, self.catalog())?;
        let record = self
            .store()
            .create_session(plan.date, &zone, plan.variant, now)?;
        let snapshot = runner
            .snapshot()
            .map_err(|e| TalusError::new(ErrorKind::Unexpected, e.to_string()))?;
        self.store().start_session(record.id, &snapshot, now)?;
        Ok(Arc::new(GuidedSession {
            engine: self,
            id: record.id,
            runner: Mutex::new(runner),
        }))
    }

    /// The started or paused session left from before the app was closed, if any.
    /// Touches disk.
    pub fn resume_session(self: Arc<Self>) -> Result<Option<Arc<GuidedSession>>, TalusError> {
        let Some(open) = self.store().open_session()? else {
            return Ok(None);
        };
        let Some(snapshot) = open.snapshot.as_deref() else {
            return Ok(None);
        };
        let runner = SessionRunner::restore(snapshot, self.catalog()).map_err(TalusError::from)?;
        Ok(Some(Arc::new(GuidedSession {
            engine: self,
            id: open.id,
            runner: Mutex::new(runner),
        })))
    }
}

/// A guided session in progress. Send events as they happen; draw the returned frame and
/// carry out its effects. Snapshots and the finished session are stored by the core.
///
/// Thread safety: `Send + Sync`; events are applied one at a time under a lock, in the
/// order the calls take it. Send them from one queue (the screen's view model) so their
/// order is the runner's. `handle` may write a snapshot: call it off the main thread.
/// When the app goes to the background, send `Pause`; on return the runner stays paused
/// until the runner taps resume. After the app was killed, `Engine.resume_session` brings
/// the session back where it was.
#[derive(uniffi::Object)]
pub struct GuidedSession {
    engine: Arc<Engine>,
    id: Uuid,
    runner: Mutex<SessionRunner>,
}

impl GuidedSession {
    fn store(&self) -> &Store {
        self.engine.store()
    }
}

#[uniffi::export]
impl GuidedSession {
    /// The stored session's id.
    pub fn id(&self) -> String {
        self.id.to_string()
    }

    /// The current frame, without changing anything.
    pub fn frame(&self, now_ms: i64) -> FrameInfo {
        let runner = self.runner.lock().unwrap_or_else(|p| p.into_inner());
        frame_info(&runner.frame(now_ms), &runner)
    }

    /// Applies one event. Invalid events (and unknown red-flag question ids) return
    /// `InvalidInput` and change nothing. A red-flag answer ends the session and locks
    /// drills; severe pain ends it with a referral, after which the shell asks the
    /// screening questions (`Engine.submit_screening`). Touches disk when the frame asks
    /// for a snapshot or the session finishes.
    pub fn handle(&self, event: SessionEvent, now_ms: i64) -> Result<FrameInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let red_flag = match &event {
            SessionEvent::RedFlagReported { question_id } => Some(question_id.clone()),
            _ => None,
        };
        let mut runner = self.runner.lock().unwrap_or_else(|p| p.into_inner());
        let mut next = runner.clone();
        let frame = next.handle(event.into(), now_ms)?;
        let lock = match red_flag {
            Some(question) => {
                let locale = self.store().settings()?.locale;
                let current = self.store().safety_lock()?;
                let out =
                    progression::evaluate_screening(&[(question, true)], &current, &locale, now)?;
                Some(out.lock)
            }
            None => None,
        };
        if frame.effects.contains(&Effect::SessionFinished) {
            self.store()
                .finish_session(self.id, &next.summary().sets, now)?;
            if let Some(lock) = lock {
                self.store().set_safety_lock(&lock, now)?;
            }
        } else if frame.effects.contains(&Effect::PersistSnapshot) {
            let snapshot = next
                .snapshot()
                .map_err(|e| TalusError::new(ErrorKind::Unexpected, e.to_string()))?;
            if next.is_paused() {
                self.store().pause_session(self.id, &snapshot, now)?;
            } else {
                self.store().start_session(self.id, &snapshot, now)?;
            }
        }
        *runner = next;
        Ok(frame_info(&frame, &runner))
    }
}
