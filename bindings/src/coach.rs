//! The coaching surface: screening, morning check-in, today's plan and the guided session
//! runner object. Conversions only; the rules live in `talus-core`.

use std::sync::{Arc, Mutex};

use talus_core::app::{ActiveSession, CheckInKind, IfOpen};
use talus_core::domain::{PlannedSession, Reason};
use talus_core::progression::{self, LevelDecision};
use talus_core::safety::{self, SafetyState};
use talus_core::session::{Effect, Frame, RunnerEvent as CoreEvent, SessionRunner};
use uuid::Uuid;

use crate::engine::Engine;
use crate::error::{ErrorCause, TalusError};
use crate::kinds::{
    display_level, int, secs_ms, FlagSource, LevelChange, MorningStatus, PlanVariant, SafetyStatus,
    ScreeningAnswer, SegmentKind, Step,
};
use crate::records::{drill_name, instant, CheckInInput, Side};

/// A decision's explanation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ReasonInfo {
    /// Stable code, e.g. `above_baseline` (for logic and logs, never shown).
    pub code: String,
    /// Localized sentence to show.
    pub message: String,
    /// Inputs by name (a `level` is 1-based, like every level in the API).
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

impl From<Reason> for ReasonInfo {
    fn from(r: Reason) -> Self {
        ReasonInfo {
            code: r.code,
            message: r.message,
            numbers: r
                .numbers
                .into_iter()
                .map(|(name, value)| NamedNumber {
                    // A level is 1-based everywhere in the API (the core counts from 0).
                    value: if name == "level" { value + 1.0 } else { value },
                    name,
                })
                .collect(),
        }
    }
}

impl From<&Reason> for ReasonInfo {
    fn from(r: &Reason) -> Self {
        ReasonInfo::from(r.clone())
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

/// One answer to one screening (or follow-up) question.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct Answer {
    /// The question's id.
    pub question_id: String,
    /// Yes, no or not sure ("not sure" locks like "yes").
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
    /// Clear, locked (a red flag is open), paused (after severe pain, until the follow-up
    /// screening) or cleared (by a clinician).
    pub status: SafetyStatus,
    /// Drills are locked by a red flag.
    pub locked: bool,
    /// Drills are blocked (locked or paused): nothing is planned or started.
    pub blocked: bool,
    /// An open red flag needs urgent care.
    pub urgent: bool,
    /// Ids of the red-flag questions that lock (answered "yes" or "not sure").
    pub reasons: Vec<String>,
    /// The open red flags (status `Locked`): each question in words, the answer, where and
    /// when it was given, oldest first.
    pub flags: Vec<RedFlagInfo>,
    /// When the lock or pause began, or when the clearance was confirmed.
    pub since_ms: Option<i64>,
    /// Who cleared the runner (status `Cleared`).
    pub clinician: Option<String>,
    /// Local date `YYYY-MM-DD` the clinician saw the runner (status `Cleared`).
    pub seen_on: Option<String>,
    /// The drill whose severe pain paused the programme (status `Paused`; show
    /// `pain_drill_name`).
    pub pain_drill_id: Option<String>,
    /// Its localized name.
    pub pain_drill_name: Option<String>,
    /// The pain that paused it, 0–10 (status `Paused`).
    pub pain: Option<i32>,
    /// The state explained for the runner (the referral text when locked); `None` when clear.
    pub referral: Option<ReasonInfo>,
}

/// One open red flag: the question in words and how it was answered.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RedFlagInfo {
    /// The question's stable id.
    pub question_id: String,
    /// The question, localized.
    pub question: String,
    /// Which group of conditions it screens for (`fracture`, `clot`…).
    pub group: String,
    /// The answer that locks: yes or not sure.
    pub answer: ScreeningAnswer,
    /// Where it was answered (label: `FlagSource.label(locale)`).
    pub source: FlagSource,
    /// When.
    pub at_ms: i64,
    /// A "yes" to it needs urgent care.
    pub urgent: bool,
}

impl SafetyInfo {
    pub(crate) fn new(
        state: &SafetyState,
        locale: &str,
        catalog: &talus_core::catalog::Catalog,
    ) -> SafetyInfo {
        let mut info = SafetyInfo {
            status: state.status().into(),
            locked: state.is_locked(),
            blocked: state.blocks_drills(),
            urgent: false,
            reasons: Vec::new(),
            flags: Vec::new(),
            since_ms: None,
            clinician: None,
            seen_on: None,
            pain_drill_id: None,
            pain_drill_name: None,
            pain: None,
            // A clear state has no referral: its sentence is not even written (the
            // sentences are inflated at first use, ADR 0030).
            referral: match state {
                SafetyState::Clear => None,
                _ => Some(ReasonInfo::from(&state.reason(locale))),
            },
        };
        match state {
            SafetyState::Clear => {}
            SafetyState::Locked { flags, since } => {
                info.urgent = flags.iter().any(|f| f.urgent);
                info.reasons = flags.iter().map(|f| f.question.clone()).collect();
                let asked: Vec<progression::ScreeningQuestion> =
                    progression::screening_questions(locale)
                        .into_iter()
                        .chain(safety::follow_up_questions(locale))
                        .collect();
                info.flags = flags
                    .iter()
                    .map(|f| {
                        let q = asked.iter().find(|q| q.id == f.question);
                        RedFlagInfo {
                            question_id: f.question.clone(),
                            question: q.map_or_else(|| f.question.clone(), |q| q.text.clone()),
                            group: q.map(|q| q.group.clone()).unwrap_or_default(),
                            answer: f.answer.into(),
                            source: f.source.into(),
                            at_ms: f.at.timestamp_millis(),
                            urgent: f.urgent,
                        }
                    })
                    .collect();
                info.since_ms = Some(since.timestamp_millis());
            }
            SafetyState::Paused {
                drill_id,
                pain,
                since,
                ..
            } => {
                info.pain_drill_id = Some(drill_id.clone());
                info.pain_drill_name = Some(drill_name(catalog, drill_id, locale));
                info.pain = Some(i32::from(*pain));
                info.since_ms = Some(since.timestamp_millis());
            }
            SafetyState::Cleared {
                clinician,
                seen_on,
                at,
            } => {
                info.clinician = Some(clinician.clone());
                info.seen_on = Some(talus_core::formats::date_text(*seen_on));
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
    /// Why, in words.
    pub reason: ReasonInfo,
    /// The safety state after it.
    pub safety: SafetyInfo,
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
    /// Dose level (1 is the drill's first level, `DrillInfo.dosage[level - 1]`).
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
    /// The kind of day in the runner's language (`variant.label(locale)`, sent along so the
    /// screen's heading needs no second call).
    pub variant_label: String,
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
    /// The level before (1 is the drill's first level).
    pub from_level: i32,
    /// The drill after (another drill of the chain when the chain moved).
    pub to_drill_id: String,
    /// Its localized name.
    pub to_drill_name: String,
    /// The level after (1 is the drill's first level).
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
    /// Pain 0–10 for the side just done (each-side drills ask after every side) or the
    /// both-feet set.
    PainReported {
        /// 0 (none) to 10 (worst imaginable).
        pain: i32,
    },
    /// The pain question's separate answer "just a stretch, no pain" (`Words.just_stretch`):
    /// a stretch sensation is not pain; it is recorded as pain 0, marked as a stretch.
    StretchReported,
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
            SessionEvent::StretchReported => CoreEvent::StretchReported,
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
    /// The step's name in the runner's language (`step.label(locale)`, sent along so a
    /// screen that redraws every second makes no second call).
    pub step_label: String,
    /// The session is paused (show "resume").
    pub paused: bool,
    /// The current drill's id (show `drill_name`).
    pub drill_id: String,
    /// The current drill's localized name.
    pub drill_name: String,
    /// Its localized description, in the `Intro` step only (the one step that shows it);
    /// `None` in every other step, so the frames of a set do not carry a paragraph each.
    pub drill_description: Option<String>,
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
    /// When the running countdown (`time_left_ms`) reaches zero, in the clock of the
    /// `now_ms` passed in; `None` while paused (the countdown stands still) or in a step
    /// without one. Until then the screen counts down by itself: at any `now` before it,
    /// `time_left_ms` is `ceil((deadline_ms - now) / 1000) * 1000`, never below 0, and a
    /// `tick` would change nothing but that and `elapsed_ms` (the time spent, as of the
    /// call). Call `tick` once `now` reaches it (the instant `ScheduleTick` names); no call
    /// is needed for the seconds in between (ADR 0014 addendum, `docs/shell-guide.md`).
    pub deadline_ms: Option<i64>,
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
    /// `PainReported` and `StretchReported` are allowed (the pain check of the side in
    /// `side`, or of the both-feet set).
    pub can_report_pain: bool,
    /// `Stop` is allowed.
    pub can_stop: bool,
    /// What to do now, in order.
    pub effects: Vec<EffectInfo>,
    /// Decisions taken so far (pain stops, referrals), newest last.
    pub decisions: Vec<ReasonInfo>,
}

/// The step names of one session's language, worked out once when the session object is
/// made: a frame per second need not look them up again.
struct StepLabels(Vec<(Step, String)>);

impl StepLabels {
    fn new(locale: &str) -> StepLabels {
        StepLabels(
            Step::ALL
                .iter()
                .map(|s| (*s, s.label(locale.to_owned())))
                .collect(),
        )
    }

    fn of(&self, step: Step) -> String {
        self.0
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}

/// The frame as it crosses the FFI: what the screen draws now. Takes the core's frame by
/// value so its strings move instead of being copied.
fn frame_info(f: Frame, runner: &SessionRunner, labels: &StepLabels) -> FrameInfo {
    let v = f.view;
    let step = Step::from(v.step);
    FrameInfo {
        step,
        step_label: labels.of(step),
        paused: v.paused,
        drill_id: v.drill_id,
        drill_name: v.drill_name,
        drill_description: (step == Step::Intro).then_some(v.drill_description),
        side: v.side.map(Side::from),
        set: int(v.set),
        sets: int(v.sets),
        rep: v.rep.map(int),
        reps: v.reps.map(int),
        time_left_ms: v.seconds_left.map(secs_ms),
        deadline_ms: runner.countdown_deadline_ms(),
        cue: v.cue,
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
            .into_iter()
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
                    asset_id,
                    segment: segment.into(),
                    start_ms: i64::from(start_ms),
                    end_ms: i64::from(end_ms),
                    looped,
                    mirrored,
                    file,
                },
                Effect::SpeakCue {
                    text,
                    locale,
                    at_video_ms,
                } => EffectInfo::SpeakCue {
                    text,
                    locale,
                    at_video_ms: at_video_ms.map(i64::from),
                },
                Effect::Haptic => EffectInfo::Haptic,
                Effect::AskPain => EffectInfo::AskPain,
                Effect::ScheduleTick { at_ms } => EffectInfo::ScheduleTick { at_ms },
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
        d: LevelDecision,
        catalog: &talus_core::catalog::Catalog,
        locale: &str,
    ) -> LevelInfo {
        // Most decisions hold the drill they evaluate: its name is looked up once.
        let name = drill_name(catalog, &d.drill_id, locale);
        let name_of = |id: &str| {
            if id == d.drill_id {
                name.clone()
            } else {
                drill_name(catalog, id, locale)
            }
        };
        LevelInfo {
            from_drill_name: name_of(&d.from.drill_id),
            to_drill_name: name_of(&d.to.drill_id),
            drill_name: name,
            drill_id: d.drill_id,
            side: d.side.map(Side::from),
            change: d.change.into(),
            from_drill_id: d.from.drill_id,
            from_level: display_level(d.from.level),
            to_drill_id: d.to.drill_id,
            to_level: display_level(d.to.level),
            reason: ReasonInfo::from(d.reason),
        }
    }
}

/// The day's plan as the screens draw it, built from the plan and its level decisions
/// (moved, not copied: a warm `today()` is mostly this and the rules).
pub(crate) fn plan_info(
    plan: PlannedSession,
    levels: Vec<LevelDecision>,
    catalog: &talus_core::catalog::Catalog,
) -> PlanInfo {
    let locale = plan.locale;
    PlanInfo {
        levels: levels
            .into_iter()
            .map(|d| LevelInfo::new(d, catalog, &locale))
            .collect(),
        date: talus_core::formats::date_text(plan.date),
        zone: plan.zone,
        variant: plan.variant.into(),
        variant_label: PlanVariant::from(plan.variant).label(locale.clone()),
        items: plan
            .items
            .into_iter()
            .map(|i| PlanItemInfo {
                drill_name: drill_name(catalog, &i.drill_id, &locale),
                drill_id: i.drill_id,
                level: display_level(i.level),
                sets: int(i.dose.sets),
                reps: i.dose.reps.map(int),
                hold_ms: i.dose.hold_s.map(secs_ms),
                sides: i.sides.iter().map(|s| Side::from(*s)).collect(),
                extra_set_side: i.extra_set_side.map(Side::from),
                reason: ReasonInfo::from(i.reason),
            })
            .collect(),
        reasons: plan.reasons.into_iter().map(ReasonInfo::from).collect(),
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
            self.plan_catalog(),
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
        let mut info = SafetyInfo::new(&out.safety, &self.locale()?, self.plan_catalog());
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
        let date = talus_core::formats::parse_date(&seen_on).map_err(|_| {
            TalusError::of(
                ErrorCause::BadClearance,
                "seen_on must be a date YYYY-MM-DD",
            )
        })?;
        let state = self
            .coach()
            .confirm_clearance(&clinician, date, now, &zone)?;
        Ok(SafetyInfo::new(
            &state,
            &self.locale()?,
            self.plan_catalog(),
        ))
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
            status: out.assessment.status.into(),
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
    /// progression or regression is stored, at most one step a week). Touches disk. A call
    /// soon after another reuses the history it read while nothing was written to the
    /// profile since (by this engine, another one, another process or a sync) and the day
    /// is the same, so it only plans; the plan is always the one a fresh read gives.
    pub fn today(&self, now_ms: i64, zone: String) -> Result<PlanInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let day = self.plan_today(now, &zone)?;
        Ok(plan_info(day.plan, day.levels, self.plan_catalog()))
    }

    /// Starts a guided session over today's plan; when a session is already open (started
    /// or paused), resumes that one instead (`GuidedSession.resumed()`); to start afresh,
    /// `discard_session` it first. An open session whose saved state cannot be read (the
    /// `bad_snapshot` that `resume_session` reports) is kept in history as abandoned and a
    /// new one started. Fails with `ScreeningNeeded` before the first screening,
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
            .map(|d| plan_info(d.plan, d.levels, self.plan_catalog()));
        Ok(GuidedSession::new(self, start.resumed, plan, start.session))
    }

    /// The started or paused session left from before the app was closed, if any.
    /// Touches disk.
    pub fn resume_session(self: Arc<Self>) -> Result<Option<Arc<GuidedSession>>, TalusError> {
        let Some(active) = self.coach().open_session()? else {
            return Ok(None);
        };
        Ok(Some(GuidedSession::new(self, true, None, active)))
    }

    /// Abandons the open session `session_id` (kept in history as abandoned), so the next
    /// `start_session` plans afresh. Touches disk.
    pub fn discard_session(&self, session_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let id = Uuid::parse_str(&session_id)
            .map_err(|_| TalusError::bad_id("session id is not a UUID"))?;
        Ok(self.coach().discard_session(id, now)?)
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
    resumed: bool,
    plan: Option<PlanInfo>,
    labels: StepLabels,
    active: Mutex<ActiveSession>,
}

impl GuidedSession {
    fn new(
        engine: Arc<Engine>,
        resumed: bool,
        plan: Option<PlanInfo>,
        active: ActiveSession,
    ) -> Arc<GuidedSession> {
        Arc::new(GuidedSession {
            engine,
            resumed,
            plan,
            labels: StepLabels::new(active.runner.locale()),
            active: Mutex::new(active),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ActiveSession> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn apply(&self, event: CoreEvent, now_ms: i64) -> Result<FrameInfo, TalusError> {
        let mut active = self.lock();
        let frame = self
            .engine
            .coach()
            .session_event(&mut active, event, now_ms)?;
        Ok(frame_info(frame, &active.runner, &self.labels))
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
        Ok(frame_info(frame, &active.runner, &self.labels))
    }

    /// Applies one event. Invalid events (and unknown red-flag question ids) return
    /// `InvalidInput` and change nothing. A red-flag answer ends the session and locks
    /// drills; pain ≥ 7 ends it and pauses the programme until the follow-up screening
    /// (`Engine.submit_follow_up`). The finished session, its outcome and the lock or pause
    /// are one write. Touches disk when the frame asks for a snapshot or the session ends.
    pub fn handle(&self, event: SessionEvent, now_ms: i64) -> Result<FrameInfo, TalusError> {
        self.apply(event.into(), now_ms)
    }

    /// The timer the shell scheduled (`EffectInfo::ScheduleTick`) fired: the same as
    /// `handle(SessionEvent::Tick, now_ms)`. Its own call because it is the event sent every
    /// second of a hold or rest, and an event argument costs one more trip across the FFI
    /// in the generated Kotlin (ADR 0014). Touches disk when the frame asks for a snapshot
    /// or the session ends.
    pub fn tick(&self, now_ms: i64) -> Result<FrameInfo, TalusError> {
        self.apply(CoreEvent::Tick, now_ms)
    }
}
