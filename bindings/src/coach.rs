//! The coaching surface: screening, morning check-in, today's plan and the guided session
//! runner object. Conversions only; the rules live in `talus-core`.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use talus_core::app::{ActiveSession, CheckInKind, IfOpen};
use talus_core::domain::{PlannedSession, Reason};
use talus_core::progression::{self, LevelDecision, MorningStatus};
use talus_core::safety::{self, SafetyState};
use talus_core::session::{Effect, Frame, RunnerEvent as CoreEvent, SessionRunner};
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

/// A screening answer. "Not sure" is never taken as "no": it locks like "yes" (ADR 0006).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningAnswer {
    Yes,
    No,
    NotSure,
}

impl From<ScreeningAnswer> for safety::Answer {
    fn from(a: ScreeningAnswer) -> Self {
        match a {
            ScreeningAnswer::Yes => safety::Answer::Yes,
            ScreeningAnswer::No => safety::Answer::No,
            ScreeningAnswer::NotSure => safety::Answer::NotSure,
        }
    }
}

/// One answer to one screening (or follow-up) question.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct Answer {
    pub question_id: String,
    pub answer: ScreeningAnswer,
}

fn answer_pairs(answers: Vec<Answer>) -> Vec<(String, safety::Answer)> {
    answers
        .into_iter()
        .map(|a| (a.question_id, a.answer.into()))
        .collect()
}

/// The runner's safety state, with its reason and date.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SafetyInfo {
    /// `clear`, `locked` (a red flag is open), `paused` (after severe pain, until the
    /// follow-up screening) or `cleared` (by a clinician).
    pub state: String,
    /// Drills are locked by a red flag.
    pub locked: bool,
    /// Drills are blocked (locked or paused): nothing is planned or started.
    pub blocked: bool,
    /// An open red flag needs urgent care.
    pub urgent: bool,
    /// Ids of the red-flag questions that lock (answered "yes" or "not sure").
    pub reasons: Vec<String>,
    /// When the lock or pause began.
    pub since_ms: Option<i64>,
    /// Who cleared the runner (state `cleared`).
    pub clinician: Option<String>,
    /// Local date `YYYY-MM-DD` the clinician saw the runner (state `cleared`).
    pub seen_on: Option<String>,
    /// The drill whose severe pain paused the programme (state `paused`), and the pain.
    pub pain_drill_id: Option<String>,
    pub pain: Option<u8>,
    /// The state explained for the runner (referral text when locked).
    pub referral: Option<ReasonInfo>,
}

impl SafetyInfo {
    pub(crate) fn new(state: &SafetyState, locale: &str) -> SafetyInfo {
        let mut info = SafetyInfo {
            state: state.code().into(),
            locked: state.is_locked(),
            blocked: state.blocks_drills(),
            urgent: false,
            reasons: Vec::new(),
            since_ms: None,
            clinician: None,
            seen_on: None,
            pain_drill_id: None,
            pain: None,
            referral: Some(ReasonInfo::from(&state.reason(locale))),
        };
        match state {
            SafetyState::Clear => info.referral = None,
            SafetyState::Locked { flags, since } => {
                info.urgent = flags.iter().any(|f| f.urgent);
                info.reasons = flags.iter().map(|f| f.question.clone()).collect();
                info.since_ms = Some(since.timestamp_millis());
            }
            SafetyState::Paused {
                drill_id,
                pain,
                since,
                ..
            } => {
                info.pain_drill_id = Some(drill_id.clone());
                info.pain = Some(*pain);
                info.since_ms = Some(since.timestamp_millis());
            }
            SafetyState::Cleared {
                clinician,
                seen_on,
                at,
            } => {
                info.clinician = Some(clinician.clone());
                info.seen_on = Some(seen_on.to_string());
                info.since_ms = Some(at.timestamp_millis());
            }
        }
        info
    }
}

/// What the follow-up screening after a severe-pain stop decided.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct FollowUpInfo {
    /// The pause is over; drills are open again.
    pub resumed: bool,
    pub reason: ReasonInfo,
    pub safety: SafetyInfo,
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
    /// `normal`, `light`, `mobility_only`, `recovery`, `rest`, `locked` (a red flag is
    /// open), `paused` (after severe pain, until the follow-up screening) or
    /// `screening_needed` (first run: the safety screening comes first).
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
    fn locale(&self) -> Result<String, TalusError> {
        Ok(self.store().settings()?.locale)
    }

    fn safety_info(&self) -> Result<SafetyInfo, TalusError> {
        Ok(SafetyInfo::new(
            &self.coach().safety_state()?,
            &self.locale()?,
        ))
    }
}

fn questions(list: Vec<progression::ScreeningQuestion>) -> Vec<QuestionInfo> {
    list.into_iter()
        .map(|q| QuestionInfo {
            id: q.id,
            group: q.group,
            text: q.text,
            urgent: q.urgent,
        })
        .collect()
}

#[uniffi::export]
impl Engine {
    /// The red-flag screening questions in `locale`.
    pub fn screening_questions(&self, locale: String) -> Vec<QuestionInfo> {
        questions(progression::screening_questions(&locale))
    }

    /// Records screening answers (yes / no / not sure). Any "yes" or "not sure" locks drills
    /// until a clinician clears the runner; answers and lock are one write. The first
    /// screening is what lets the first drill start. Touches disk.
    pub fn submit_screening(
        &self,
        answers: Vec<Answer>,
        now_ms: i64,
    ) -> Result<SafetyInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let out = self.coach().answer_screening(&answer_pairs(answers), now)?;
        let mut info = SafetyInfo::new(&out.safety, &self.locale()?);
        info.urgent |= out.urgent;
        Ok(info)
    }

    /// The safety state: clear, locked (which red flags, since when), paused after severe
    /// pain (which drill, what pain), or cleared by a clinician (who, when). Touches disk.
    pub fn safety_state(&self) -> Result<SafetyInfo, TalusError> {
        self.safety_info()
    }

    /// The runner confirms a clinician has seen and cleared them: `clinician` (name or role,
    /// 1–100 characters) and `seen_on` (local date `YYYY-MM-DD` in `zone`, not after today
    /// and not before the newest red flag). Clears every red flag and severe-pain stop this
    /// device knows of — one raised on another device and not yet synced stays open.
    /// Touches disk.
    pub fn confirm_clinician_clearance(
        &self,
        clinician: String,
        seen_on: String,
        now_ms: i64,
        zone: String,
    ) -> Result<SafetyInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let date = NaiveDate::parse_from_str(&seen_on, "%Y-%m-%d")
            .map_err(|_| TalusError::invalid("seen_on must be a date YYYY-MM-DD"))?;
        let state = self
            .coach()
            .confirm_clearance(&clinician, date, now, &zone)?;
        Ok(SafetyInfo::new(&state, &self.locale()?))
    }

    /// The short follow-up screening after a session ended for severe pain, in `locale`:
    /// three questions of its own (group `follow_up`) and four red-flag questions again.
    pub fn follow_up_questions(&self, locale: String) -> Vec<QuestionInfo> {
        questions(safety::follow_up_questions(&locale))
    }

    /// Submits the follow-up screening (every `follow_up` question must be answered). All
    /// "no": the pause ends. A "yes"/"not sure" to a follow-up question keeps the pause; to a
    /// red-flag question, locks. Touches disk.
    pub fn submit_follow_up(
        &self,
        answers: Vec<Answer>,
        now_ms: i64,
    ) -> Result<FollowUpInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let out = self.coach().answer_follow_up(&answer_pairs(answers), now)?;
        Ok(FollowUpInfo {
            resumed: out.resumed,
            reason: ReasonInfo::from(&out.reason),
            safety: self.safety_info()?,
        })
    }

    /// Records a morning check-in (post-run when `run_id` is set) and returns its traffic
    /// light. A "yes" to any red flag in it locks drills in the same write. Touches disk.
    pub fn morning_checkin(
        &self,
        checkin: CheckInInput,
        now_ms: i64,
    ) -> Result<MorningInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let core = checkin.to_core(talus_core::store::new_id(now))?;
        let kind = if core.run_id.is_some() {
            CheckInKind::PostRun
        } else {
            CheckInKind::Morning
        };
        let out = self.coach().check_in(&core, kind, now)?;
        Ok(MorningInfo {
            checkin_id: out.checkin_id.to_string(),
            status: match out.assessment.status {
                MorningStatus::Green => "green",
                MorningStatus::Amber => "amber",
                MorningStatus::Red => "red",
            }
            .into(),
            baseline: out.assessment.baseline,
            reasons: out
                .assessment
                .reasons
                .iter()
                .map(ReasonInfo::from)
                .collect(),
        })
    }

    /// Today's plan with the reason for every choice, after deciding drill levels (a
    /// progression or regression is stored, at most one step a week). Touches disk.
    pub fn today(&self, now_ms: i64, zone: String) -> Result<PlanInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let day = self.coach().plan_day(now, &zone)?;
        Ok(plan_info(&day.plan, &day.levels, self.catalog()))
    }

    /// Starts a guided session over today's plan; when a session is already open (started
    /// or paused), resumes that one instead (`GuidedSession.resumed()`); to start afresh,
    /// `discard_session` it first. Fails with `ScreeningNeeded` before the first screening,
    /// `Locked` while a red flag is open, `Paused` after severe pain until the follow-up
    /// screening, `Conflict` on a rest day. Touches disk.
    pub fn start_session(
        self: Arc<Self>,
        now_ms: i64,
        zone: String,
    ) -> Result<Arc<GuidedSession>, TalusError> {
        let now = instant(now_ms, "now")?;
        let start = self.coach().start_session(now, &zone, IfOpen::Resume)?;
        let plan = start
            .day
            .as_ref()
            .map(|d| plan_info(&d.plan, &d.levels, self.catalog()));
        Ok(Arc::new(GuidedSession {
            engine: self,
            resumed: start.resumed,
            plan,
            active: Mutex::new(start.session),
        }))
    }

    /// The started or paused session left from before the app was closed, if any.
    /// Touches disk.
    pub fn resume_session(self: Arc<Self>) -> Result<Option<Arc<GuidedSession>>, TalusError> {
        let Some(active) = self.coach().open_session()? else {
            return Ok(None);
        };
        Ok(Some(Arc::new(GuidedSession {
            engine: self,
            resumed: true,
            plan: None,
            active: Mutex::new(active),
        })))
    }

    /// Abandons the open session `session_id` (kept in history as abandoned), so the next
    /// `start_session` plans afresh. Touches disk.
    pub fn discard_session(&self, session_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let id = Uuid::parse_str(&session_id)
            .map_err(|_| TalusError::invalid("session id is not a UUID"))?;
        Ok(self.coach().discard_session(id, now)?)
    }
}

/// A guided session in progress. Send events as they happen; draw the returned frame and
/// carry out its effects. Snapshots and the finished session are stored by the core.
#[derive(uniffi::Object)]
pub struct GuidedSession {
    engine: Arc<Engine>,
    resumed: bool,
    plan: Option<PlanInfo>,
    active: Mutex<ActiveSession>,
}

impl GuidedSession {
    fn lock(&self) -> std::sync::MutexGuard<'_, ActiveSession> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl GuidedSession {
    /// The stored session's id.
    pub fn id(&self) -> String {
        self.lock().id.to_string()
    }

    /// This is a session that was open before (`start_session` resumed it).
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// The plan this session was started on, with the level changes decided when it was
    /// planned (`None` for a resumed session).
    pub fn plan(&self) -> Option<PlanInfo> {
        self.plan.clone()
    }

    /// The current frame, without changing anything. `InvalidInput` for an instant outside
    /// 1970–2200.
    pub fn frame(&self, now_ms: i64) -> Result<FrameInfo, TalusError> {
        let active = self.lock();
        let frame = self.engine.coach().session_frame(&active, now_ms)?;
        Ok(frame_info(&frame, &active.runner))
    }

    /// Applies one event. Invalid events (and unknown red-flag question ids) return
    /// `InvalidInput` and change nothing. A red-flag answer ends the session and locks
    /// drills; pain ≥ 7 ends it and pauses the programme until the follow-up screening
    /// (`Engine.submit_follow_up`). The finished session, its outcome and the lock or pause
    /// are one write. Touches disk when the frame asks for a snapshot or the session ends.
    pub fn handle(&self, event: SessionEvent, now_ms: i64) -> Result<FrameInfo, TalusError> {
        let mut active = self.lock();
        let frame = self
            .engine
            .coach()
            .session_event(&mut active, event.into(), now_ms)?;
        Ok(frame_info(&frame, &active.runner))
    }
}
