//! The coaching surface: screening, morning check-in, today's plan and the guided session
//! runner object. Conversions only; the rules live in `talus-core`.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use talus_core::domain::{PlannedSession, Reason};
use talus_core::progression::{self, LevelDecision, MorningStatus};
use talus_core::schedule;
use talus_core::session::{Effect, Frame, RunnerEvent as CoreEvent, SessionRunner};
use talus_core::store::Store;
use uuid::Uuid;

use crate::engine::Engine;
use crate::error::TalusError;
use crate::records::{instant, CheckInInput, Side};

/// A decision's explanation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ReasonInfo {
    /// Stable code, e.g. `above_baseline`.
    pub code: String,
    /// Localized sentence.
    pub message: String,
    /// Inputs by name.
    pub numbers: Vec<NamedNumber>,
}

/// A named number behind a decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct NamedNumber {
    pub name: String,
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
    pub id: String,
    pub group: String,
    pub text: String,
    pub urgent: bool,
}

/// One yes/no answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct Answer {
    pub question_id: String,
    pub yes: bool,
}

/// The safety state after screening.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SafetyInfo {
    pub locked: bool,
    pub urgent: bool,
    pub reasons: Vec<String>,
    pub referral: Option<ReasonInfo>,
}

/// The morning traffic light.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct MorningInfo {
    pub checkin_id: String,
    /// `green`, `amber` or `red`.
    pub status: String,
    pub baseline: Option<f64>,
    pub reasons: Vec<ReasonInfo>,
}

/// One drill of today's plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PlanItemInfo {
    pub drill_id: String,
    pub drill_name: String,
    pub level: u32,
    pub sets: u32,
    pub reps: Option<u32>,
    pub hold_s: Option<u32>,
    pub sides: Vec<Side>,
    pub extra_set_side: Option<Side>,
    pub reason: ReasonInfo,
}

/// Today's plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PlanInfo {
    /// Local date `YYYY-MM-DD`.
    pub date: String,
    pub zone: String,
    /// `normal`, `light`, `mobility_only`, `recovery`, `rest` or `locked`.
    pub variant: String,
    pub items: Vec<PlanItemInfo>,
    pub reasons: Vec<ReasonInfo>,
    /// Today's level decision for every drill the runner is working on (progress, regress
    /// or hold, with the reason). Progressions and regressions are already applied to the
    /// plan above.
    pub levels: Vec<LevelInfo>,
}

/// A level decision for one drill and leg.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct LevelInfo {
    pub drill_id: String,
    /// `None` for two-footed drills.
    pub side: Option<Side>,
    /// `progress`, `regress` or `hold`.
    pub change: String,
    pub from_drill_id: String,
    pub from_level: u32,
    pub to_drill_id: String,
    pub to_level: u32,
    pub reason: ReasonInfo,
}

/// What the shell reports to a running session.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum SessionEvent {
    Start,
    Tick,
    RepDone,
    VideoEnded,
    Pause,
    Resume,
    SkipStep,
    SkipDrill,
    PainReported { pain: i64 },
    SwitchSide,
    Stop,
    RedFlagReported { question_id: String },
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
            SessionEvent::PainReported { pain } => CoreEvent::PainReported(pain),
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
    PlayVideo {
        asset_id: String,
        segment: String,
        start_ms: u32,
        end_ms: u32,
        looped: bool,
        mirrored: bool,
    },
    SpeakCue {
        text: String,
        locale: String,
        at_video_ms: Option<u32>,
    },
    Haptic,
    AskPain,
    ScheduleTick {
        at_ms: i64,
    },
    /// The core already saved the snapshot; nothing to do but may be used to sync UI.
    SnapshotSaved,
    SessionFinished,
}

/// What to draw and do after an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct FrameInfo {
    /// `not_started`, `intro`, `work`, `end_range_pause`, `side_switch`, `pain_check`,
    /// `rest` or `summary`.
    pub step: String,
    pub paused: bool,
    pub drill_id: String,
    pub drill_name: String,
    pub drill_description: String,
    pub side: Option<Side>,
    pub set: u32,
    pub sets: u32,
    pub rep: Option<u32>,
    pub reps: Option<u32>,
    pub seconds_left: Option<u32>,
    pub cue: Option<String>,
    pub progress: f64,
    pub elapsed_s: u32,
    pub remaining_s: u32,
    pub can_start: bool,
    pub can_rep_done: bool,
    pub can_pause: bool,
    pub can_resume: bool,
    pub can_skip_step: bool,
    pub can_skip_drill: bool,
    pub can_switch_side: bool,
    pub can_report_pain: bool,
    pub can_stop: bool,
    pub effects: Vec<EffectInfo>,
    /// Decisions taken so far (pain stops, referrals), newest last.
    pub decisions: Vec<ReasonInfo>,
}

pub(crate) fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn frame_info(f: &Frame, runner: &SessionRunner) -> FrameInfo {
    let v = &f.view;
    FrameInfo {
        step: snake(&v.step),
        paused: v.paused,
        drill_id: v.drill_id.clone(),
        drill_name: v.drill_name.clone(),
        drill_description: v.drill_description.clone(),
        side: v.side.map(Side::from),
        set: v.set,
        sets: v.sets,
        rep: v.rep,
        reps: v.reps,
        seconds_left: v.seconds_left,
        cue: v.cue.clone(),
        progress: v.progress,
        elapsed_s: v.elapsed_s,
        remaining_s: v.remaining_s,
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
                } => EffectInfo::PlayVideo {
                    asset_id: asset_id.clone(),
                    segment: snake(segment),
                    start_ms: *start_ms,
                    end_ms: *end_ms,
                    looped: *looped,
                    mirrored: *mirrored,
                },
                Effect::SpeakCue {
                    text,
                    locale,
                    at_video_ms,
                } => EffectInfo::SpeakCue {
                    text: text.clone(),
                    locale: locale.clone(),
                    at_video_ms: *at_video_ms,
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

pub(crate) fn plan_info(
    plan: &PlannedSession,
    levels: &[LevelDecision],
    catalog: &talus_core::catalog::Catalog,
) -> PlanInfo {
    PlanInfo {
        levels: levels
            .iter()
            .map(|d| LevelInfo {
                drill_id: d.drill_id.clone(),
                side: d.side.map(Side::from),
                change: snake(&d.change),
                from_drill_id: d.from.drill_id.clone(),
                from_level: d.from.level,
                to_drill_id: d.to.drill_id.clone(),
                to_level: d.to.level,
                reason: ReasonInfo::from(&d.reason),
            })
            .collect(),
        date: plan.date.to_string(),
        zone: plan.zone.clone(),
        variant: snake(&plan.variant),
        items: plan
            .items
            .iter()
            .map(|i| PlanItemInfo {
                drill_id: i.drill_id.clone(),
                drill_name: catalog
                    .drill(&i.drill_id)
                    .ok()
                    .and_then(|d| d.text(&plan.locale))
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                level: i.level,
                sets: i.dose.sets,
                reps: i.dose.reps,
                hold_s: i.dose.hold_s,
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
            status: match assessment.status {
                MorningStatus::Green => "green",
                MorningStatus::Amber => "amber",
                MorningStatus::Red => "red",
            }
            .into(),
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
            return Err(TalusError::Locked {
                reason: "drills are locked until a clinician clears you".into(),
            });
        }
        if plan.items.is_empty() {
            return Err(TalusError::Conflict {
                reason: "today is a rest day".into(),
            });
        }
        let runner = SessionRunner::new(&plan, self.catalog())
            .map_err(|e| TalusError::invalid(e.to_string()))?;
        let record = self
            .store()
            .create_session(plan.date, &zone, plan.variant, now)?;
        let snapshot = runner.snapshot().map_err(|e| TalusError::Unexpected {
            reason: e.to_string(),
        })?;
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
        let runner =
            SessionRunner::restore(snapshot, self.catalog()).map_err(|e| TalusError::Corrupt {
                reason: e.to_string(),
            })?;
        Ok(Some(Arc::new(GuidedSession {
            engine: self,
            id: open.id,
            runner: Mutex::new(runner),
        })))
    }
}

/// A guided session in progress. Send events as they happen; draw the returned frame and
/// carry out its effects. Snapshots and the finished session are stored by the core.
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
        let frame = next
            .handle(event.into(), now_ms)
            .map_err(|e| TalusError::invalid(e.to_string()))?;
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
            let snapshot = next.snapshot().map_err(|e| TalusError::Unexpected {
                reason: e.to_string(),
            })?;
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
