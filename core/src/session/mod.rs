//! The guided session runner: a pure state machine that walks a planned session drill by
//! drill, set by set and side by side (DESIGN.md §3 "Session runner").
//!
//! The shell owns the real timer and video player. It reports events with the current
//! instant (`handle(event, now_ms)`) and gets back a [`Frame`]: what to draw and which
//! effects to carry out (play a segment, speak a cue, ask for pain, schedule the next tick,
//! persist a snapshot). Timed steps advance from timestamps, never by counting ticks, so a
//! late or missing tick changes nothing. An invalid event returns an error and leaves the
//! runner exactly as it was.

mod frame;
mod snapshot;
mod text;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::clips::clip_file_name;
use crate::catalog::{Catalog, PainPolicy, SegmentKind, Sides};
use crate::domain::{PlannedSession, Score, SessionOutcome, SetLog, Side};

pub use frame::{Controls, Effect, Frame, StepKind, ViewModel};

/// The runner's sentence for a stored decision code (a set's `reason_code`, e.g.
/// `pain_free_limit_exceeded`) in `locale`, naming the easier drill by its localized name
/// when there is one. History screens use it to explain a session after the fact.
pub fn decision_text(code: &str, locale: &str, easier_drill_name: Option<&str>) -> String {
    text::decision(code, locale, easier_drill_name)
}

/// Snapshot format version; bumped when the serialized shape changes.
pub const SNAPSHOT_VERSION: u32 = 1;
/// A pause longer than this restarts the current set on resume.
pub const LONG_GAP_MS: i64 = 30 * 60 * 1000;
/// How long the side-switch step waits before moving on by itself.
pub const SIDE_SWITCH_MS: i64 = 5_000;
/// Latest instant the runner accepts (2200-01-01, ms since 1970); earliest is 1970. Within
/// this range no deadline arithmetic can overflow.
pub const MAX_INSTANT_MS: i64 = 7_258_118_400_000;

/// Errors from driving the runner. The runner is unchanged after any of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("event {event} is not valid during {state}")]
    InvalidEvent { state: String, event: String },
    #[error("pain score {0} is outside 0–10")]
    PainOutOfRange(i64),
    #[error("unknown drill id {0:?}")]
    UnknownDrill(String),
    #[error("the plan has no drills")]
    EmptyPlan,
    #[error("{0} ms is not an instant between 1970 and 2200")]
    InstantOutOfRange(i64),
    #[error("snapshot cannot be restored: {0}")]
    BadSnapshot(String),
}

/// What the shell reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "value", rename_all = "snake_case")]
pub enum RunnerEvent {
    Start,
    Tick,
    RepDone,
    VideoEnded,
    Pause,
    Resume,
    SkipStep,
    SkipDrill,
    /// Pain 0–10 for the side (or both-feet set) just done.
    PainReported(i64),
    /// The pain question's separate answer "just a stretch, no pain": a stretch sensation is
    /// not pain, so it is recorded as pain 0 with [`SetLog::stretch`] set and never scored.
    StretchReported,
    SwitchSide,
    Stop,
    /// A red-flag question answered "yes" during the session (question id).
    RedFlagReported(String),
}

impl RunnerEvent {
    fn name(&self) -> &'static str {
        match self {
            RunnerEvent::Start => "start",
            RunnerEvent::Tick => "tick",
            RunnerEvent::RepDone => "rep_done",
            RunnerEvent::VideoEnded => "video_ended",
            RunnerEvent::Pause => "pause",
            RunnerEvent::Resume => "resume",
            RunnerEvent::SkipStep => "skip_step",
            RunnerEvent::SkipDrill => "skip_drill",
            RunnerEvent::PainReported(_) => "pain_reported",
            RunnerEvent::StretchReported => "stretch_reported",
            RunnerEvent::SwitchSide => "switch_side",
            RunnerEvent::Stop => "stop",
            RunnerEvent::RedFlagReported(_) => "red_flag_reported",
        }
    }
}

/// A decision the runner took, with a stable code (e.g. `pain_free_limit_exceeded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub code: String,
    pub drill_id: Option<String>,
    /// Suggested easier drill, when a drill was stopped for pain.
    pub regression: Option<String>,
    pub message: String,
}

/// Everything done in the session, ready to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub sets: Vec<SetLog>,
    pub decisions: Vec<Decision>,
    pub skipped_drills: Vec<String>,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    /// Active time (pauses excluded), milliseconds.
    pub active_ms: i64,
    /// Ended by a referral (severe pain or a red flag).
    pub referral: bool,
    /// Ended early by the runner.
    pub stopped_early: bool,
}

impl SessionSummary {
    /// The set that pain of 7/10 or more ended, if any.
    pub fn severe_pain_stop(&self) -> Option<&SetLog> {
        self.sets.iter().find(|s| {
            s.reason_code.as_deref() == Some("severe_pain_referral")
                || s.pain
                    .is_some_and(|p| p.value() >= crate::safety::SEVERE_PAIN)
        })
    }

    /// How the session ended: for pain, for a red flag, stopped early, or finished.
    pub fn outcome(&self) -> SessionOutcome {
        if self.severe_pain_stop().is_some() {
            SessionOutcome::EndedForPain
        } else if self.referral {
            SessionOutcome::EndedForRedFlag
        } else if self.stopped_early {
            SessionOutcome::StoppedEarly
        } else {
            SessionOutcome::Finished
        }
    }
}

/// What the runner needs of a drill, copied at plan time so a snapshot is self-contained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ItemPlan {
    drill_id: String,
    name: String,
    description: String,
    cues: Vec<String>,
    policy: PainPolicy,
    regression: Option<String>,
    /// The easier drill's name in the runner's language (user text never shows an id).
    #[serde(default)]
    regression_name: Option<String>,
    level: u32,
    sets: u32,
    reps: Option<u32>,
    hold_s: Option<u32>,
    end_pause_s: u32,
    rep_s: u32,
    rest_s: u32,
    /// Sides in order; empty = both feet together.
    sides: Vec<Side>,
    extra_set_side: Option<Side>,
    asset_id: String,
    mirrorable: bool,
    segments: Vec<(SegmentKind, u32, u32)>,
    cue_marks: Vec<(u32, u32)>,
}

impl ItemPlan {
    /// Set-side slots of this item in order: (set index, side).
    fn slots(&self) -> Vec<(u32, Option<Side>)> {
        let mut out = Vec::new();
        for set in 0..self.sets {
            if self.sides.is_empty() {
                out.push((set, None));
            } else {
                out.extend(self.sides.iter().map(|s| (set, Some(*s))));
            }
        }
        if let Some(extra) = self.extra_set_side {
            if self.sides.contains(&extra) {
                out.push((self.sets, Some(extra)));
            }
        }
        out
    }

    fn segment(&self, kind: SegmentKind) -> Option<(u32, u32)> {
        self.segments
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|&(_, a, b)| (a, b))
    }

    fn work_ms(&self) -> i64 {
        match (self.reps, self.hold_s) {
            (Some(r), _) => i64::from(r) * i64::from(self.rep_s + self.end_pause_s) * 1000,
            (_, Some(h)) => i64::from(h) * 1000,
            _ => 0,
        }
    }
}

/// Where the runner is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
enum Step {
    NotStarted,
    Intro,
    Work { reps_done: u32, since_ms: i64 },
    EndPause { reps_done: u32, until_ms: i64 },
    SideSwitch { until_ms: i64 },
    PainCheck,
    Rest { until_ms: i64 },
    Done,
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::NotStarted => "not_started",
            Step::Intro => "intro",
            Step::Work { .. } => "work",
            Step::EndPause { .. } => "end_range_pause",
            Step::SideSwitch { .. } => "side_switch",
            Step::PainCheck => "pain_check",
            Step::Rest { .. } => "rest",
            Step::Done => "summary",
        }
    }
}

/// The runner. Serialize it with [`SessionRunner::snapshot`] to survive an app kill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRunner {
    version: u32,
    locale: String,
    /// Shared, never mutated after `new`: cloning the runner per event stays cheap.
    items: std::sync::Arc<Vec<ItemPlan>>,
    item: usize,
    slot: usize,
    step: Step,
    paused_at_ms: Option<i64>,
    last_ms: Option<i64>,
    started_ms: Option<i64>,
    paused_total_ms: i64,
    /// Slots finished (done or skipped) across the whole session; drives progress.
    slots_done: u32,
    /// The side (or both-feet set) just done, waiting for its pain check. (More than one
    /// only in a snapshot from a version that asked once per set, after both sides.)
    pending: Vec<SetLog>,
    summary: SessionSummary,
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl SessionRunner {
    /// Builds a runner for `plan`, taking drill text, video and pain policy from `catalog`.
    pub fn new(plan: &PlannedSession, catalog: &Catalog) -> Result<SessionRunner, SessionError> {
        if plan.items.is_empty() {
            return Err(SessionError::EmptyPlan);
        }
        let mut items = Vec::new();
        for p in &plan.items {
            let d = catalog
                .drill(&p.drill_id)
                .map_err(|_| SessionError::UnknownDrill(p.drill_id.chars().take(64).collect()))?;
            let text = d.text(&plan.locale);
            let sides = match d.sides {
                Sides::Both => Vec::new(),
                Sides::Each if p.sides.len() == 2 && p.sides[0] != p.sides[1] => p.sides.clone(),
                Sides::Each => {
                    let first = p.sides.first().copied().unwrap_or(Side::Left);
                    vec![first, first.other()]
                }
            };
            items.push(ItemPlan {
                drill_id: d.id.clone(),
                name: text.map(|t| t.name.clone()).unwrap_or_default(),
                description: text.map(|t| t.description.clone()).unwrap_or_default(),
                cues: text.map(|t| t.cues.clone()).unwrap_or_default(),
                policy: d.pain_policy,
                regression: d.regression.clone(),
                regression_name: d
                    .regression
                    .as_deref()
                    .and_then(|r| catalog.drill(r).ok())
                    .and_then(|r| r.text(&plan.locale))
                    .map(|t| t.name.clone()),
                level: p.level,
                sets: p.dose.sets.max(1),
                reps: p.dose.reps,
                hold_s: if p.dose.reps.is_some() {
                    None
                } else {
                    p.dose.hold_s.or(Some(30))
                },
                end_pause_s: p.dose.end_pause_s,
                rep_s: p.dose.rep_s.max(1),
                rest_s: p.dose.rest_s,
                extra_set_side: p.extra_set_side,
                sides,
                asset_id: d.video.asset_id.clone(),
                mirrorable: d.video.mirrorable,
                segments: d
                    .video
                    .segments
                    .iter()
                    .map(|s| (s.kind, s.start_ms, s.end_ms))
                    .collect(),
                cue_marks: d
                    .video
                    .segments
                    .iter()
                    .flat_map(|s| s.cues.iter().map(|c| (c.at_ms, c.cue)))
                    .collect(),
            });
        }
        Ok(SessionRunner {
            version: SNAPSHOT_VERSION,
            locale: plan.locale.clone(),
            items: std::sync::Arc::new(items),
            item: 0,
            slot: 0,
            step: Step::NotStarted,
            paused_at_ms: None,
            last_ms: None,
            started_ms: None,
            paused_total_ms: 0,
            slots_done: 0,
            pending: Vec::new(),
            summary: SessionSummary {
                sets: Vec::new(),
                decisions: Vec::new(),
                skipped_drills: Vec::new(),
                started_ms: None,
                ended_ms: None,
                active_ms: 0,
                referral: false,
                stopped_early: false,
            },
        })
    }

    /// Serializes the runner (plan included) for resuming after the app is killed, in the
    /// compact text form of ADR 0022 (never fails; the `Result` is the API's shape).
    pub fn snapshot(&self) -> Result<String, SessionError> {
        Ok(snapshot::encode(self))
    }

    /// Restores a runner from [`SessionRunner::snapshot`]. The catalog must still know every
    /// drill in it. A snapshot in the JSON form earlier versions wrote is read in builds
    /// with the `legacy-profiles` feature; the phone builds, which never wrote one, answer
    /// [`SessionError::BadSnapshot`] for it, as for a damaged one (ADR 0022).
    pub fn restore(text: &str, catalog: &Catalog) -> Result<SessionRunner, SessionError> {
        let runner = if text.starts_with(snapshot::MAGIC) {
            snapshot::decode(text).map_err(|snapshot::Malformed(at)| {
                SessionError::BadSnapshot(format!("malformed at byte {at}"))
            })?
        } else {
            Self::restore_json(text)?
        };
        if runner.version != SNAPSHOT_VERSION {
            return Err(SessionError::BadSnapshot(format!(
                "version {}",
                runner.version
            )));
        }
        if runner.items.is_empty() || runner.item > runner.items.len() {
            return Err(SessionError::BadSnapshot("inconsistent position".into()));
        }
        for item in runner.items.iter() {
            catalog
                .drill(&item.drill_id)
                .map_err(|_| SessionError::UnknownDrill(item.drill_id.clone()))?;
        }
        if let Some(item) = runner.items.get(runner.item) {
            if runner.slot > item.slots().len() {
                return Err(SessionError::BadSnapshot("inconsistent position".into()));
            }
        }
        Ok(runner)
    }

    /// Reads a snapshot in the JSON form of earlier versions (ADR 0022).
    #[cfg(feature = "legacy-profiles")]
    fn restore_json(json: &str) -> Result<SessionRunner, SessionError> {
        crate::json::from_text(json).map_err(|e| SessionError::BadSnapshot(e.to_string()))
    }

    /// Without `legacy-profiles`, any text but a compact snapshot is unreadable here.
    #[cfg(not(feature = "legacy-profiles"))]
    fn restore_json(_: &str) -> Result<SessionRunner, SessionError> {
        Err(SessionError::BadSnapshot(
            "not a compact snapshot (the JSON form needs the legacy-profiles feature)".into(),
        ))
    }

    /// The language the runner speaks (drill names, cues, decisions), fixed at `new`.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The summary so far (complete once the session is finished).
    pub fn summary(&self) -> &SessionSummary {
        &self.summary
    }

    /// Whether the session reached its summary.
    pub fn is_finished(&self) -> bool {
        self.step == Step::Done
    }

    /// Whether the runner is paused.
    pub fn is_paused(&self) -> bool {
        self.paused_at_ms.is_some()
    }

    /// Applies one event at `now_ms`; on error nothing changes. An instant before the
    /// previous event's is a clock correction, not an error: every running deadline moves
    /// with the clock, so no timestamp (a tick far in the future included) can wedge the
    /// session.
    pub fn handle(&mut self, event: RunnerEvent, now_ms: i64) -> Result<Frame, SessionError> {
        if !(0..=MAX_INSTANT_MS).contains(&now_ms) {
            return Err(SessionError::InstantOutOfRange(now_ms));
        }
        let mut next = self.clone();
        let mut effects = Vec::new();
        next.apply(&event, now_ms, &mut effects)?;
        *self = next;
        Ok(self.render(now_ms, effects))
    }

    /// The current frame without changing anything (e.g. to redraw after rotation). An
    /// instant outside 1970–2200 is clamped into it.
    pub fn frame(&self, now_ms: i64) -> Frame {
        self.render(now_ms.clamp(0, MAX_INSTANT_MS), Vec::new())
    }

    /// Moves every stored instant by `by` ms (a clock correction).
    fn rebase(&mut self, by: i64) {
        self.shift_deadlines(by);
        self.started_ms = self.started_ms.map(|t| t + by);
        self.summary.started_ms = self.summary.started_ms.map(|t| t + by);
        self.paused_at_ms = self.paused_at_ms.map(|t| t + by);
        self.last_ms = self.last_ms.map(|t| t + by);
    }

    fn invalid(&self, event: &RunnerEvent) -> SessionError {
        let state = if self.paused_at_ms.is_some() {
            "paused"
        } else {
            self.step.name()
        };
        SessionError::InvalidEvent {
            state: state.into(),
            event: event.name().into(),
        }
    }

    fn apply(
        &mut self,
        event: &RunnerEvent,
        now: i64,
        fx: &mut Vec<Effect>,
    ) -> Result<(), SessionError> {
        if let Some(last) = self.last_ms {
            if now < last {
                self.rebase(now - last);
            }
        }
        if let RunnerEvent::PainReported(p) = event {
            if !(0..=10).contains(p) {
                return Err(SessionError::PainOutOfRange(*p));
            }
        }
        if self.step == Step::Done {
            return Err(self.invalid(event));
        }
        if let Some(paused_at) = self.paused_at_ms {
            return match event {
                RunnerEvent::Resume => {
                    self.paused_at_ms = None;
                    self.paused_total_ms += now - paused_at;
                    if now - paused_at > LONG_GAP_MS {
                        self.restart_slot(now);
                        self.decide("long_gap_restart_set", None, None);
                    } else {
                        self.shift_deadlines(now - paused_at);
                    }
                    self.last_ms = Some(now);
                    self.enter_effects(now, fx);
                    // The tick scheduled before the pause fires too early for the shifted
                    // deadline and changes nothing, so a resumed countdown (rest, side
                    // switch, end-range pause) needs a new one, as a resumed hold gets from
                    // `enter_effects`: a shell that only follows effects would wait forever.
                    let scheduled = fx.iter().any(|e| matches!(e, Effect::ScheduleTick { .. }));
                    if let (false, Some(at_ms)) = (scheduled, self.countdown_deadline_ms()) {
                        fx.push(Effect::ScheduleTick { at_ms });
                    }
                    Ok(())
                }
                RunnerEvent::Stop => {
                    self.paused_total_ms += now - paused_at;
                    self.paused_at_ms = None;
                    self.finish(now, true, fx);
                    Ok(())
                }
                RunnerEvent::Tick => Ok(()),
                _ => Err(self.invalid(event)),
            };
        }
        match (event, self.step.clone()) {
            (RunnerEvent::Start, Step::NotStarted) => {
                self.started_ms = Some(now);
                self.summary.started_ms = Some(now);
                self.step = Step::Intro;
                self.enter_effects(now, fx);
            }
            (_, Step::NotStarted) => return Err(self.invalid(event)),
            (RunnerEvent::Pause, _) => {
                self.paused_at_ms = Some(now);
                fx.push(Effect::PersistSnapshot);
            }
            (RunnerEvent::Resume, _) => return Err(self.invalid(event)),
            (RunnerEvent::Stop, _) => self.finish(now, true, fx),
            (RunnerEvent::RedFlagReported(id), _) => {
                self.decide("red_flag_referral", None, None);
                let _ = id;
                self.summary.referral = true;
                self.finish(now, true, fx);
            }
            (RunnerEvent::SkipDrill, _) => self.skip_drill(now, fx),
            (RunnerEvent::Tick, step) => self.tick(step, now, fx),
            (RunnerEvent::VideoEnded | RunnerEvent::SkipStep, Step::Intro) => {
                self.begin_slot(now, fx)
            }
            (
                RunnerEvent::RepDone,
                Step::Work {
                    reps_done,
                    since_ms,
                },
            ) => {
                let item = self.current().clone();
                let Some(target) = item.reps else {
                    return Err(self.invalid(event));
                };
                let reps_done = reps_done + 1;
                fx.push(Effect::Haptic);
                if reps_done >= target {
                    self.complete_side(reps_done, now, false, fx);
                } else if item.end_pause_s > 0 {
                    self.step = Step::EndPause {
                        reps_done,
                        until_ms: now + i64::from(item.end_pause_s) * 1000,
                    };
                    fx.push(Effect::ScheduleTick {
                        at_ms: now + i64::from(item.end_pause_s) * 1000,
                    });
                } else {
                    self.step = Step::Work {
                        reps_done,
                        since_ms,
                    };
                }
            }
            (RunnerEvent::SkipStep, Step::EndPause { reps_done, .. }) => {
                self.step = Step::Work {
                    reps_done,
                    since_ms: now,
                };
            }
            (
                RunnerEvent::SkipStep,
                Step::Work {
                    reps_done,
                    since_ms,
                },
            ) => {
                let held = ((now - since_ms) / 1000).max(0) as u32;
                let done = if self.current().reps.is_some() {
                    reps_done
                } else {
                    held
                };
                self.complete_side(done, now, true, fx);
            }
            (RunnerEvent::SwitchSide | RunnerEvent::SkipStep, Step::SideSwitch { .. }) => {
                self.begin_slot(now, fx)
            }
            (RunnerEvent::SkipStep, Step::Rest { .. }) => self.begin_slot(now, fx),
            (RunnerEvent::SkipStep, Step::PainCheck) => self.after_pain(None, false, now, fx),
            (RunnerEvent::PainReported(p), Step::PainCheck) => {
                let score = Score::new(*p).map_err(|_| SessionError::PainOutOfRange(*p))?;
                self.after_pain(Some(score), false, now, fx)
            }
            (RunnerEvent::StretchReported, Step::PainCheck) => {
                self.after_pain(Some(Score::ZERO), true, now, fx)
            }
            _ => return Err(self.invalid(event)),
        }
        self.last_ms = Some(now);
        Ok(())
    }

    fn current(&self) -> &ItemPlan {
        // `item` indexes `items` in every state but Done, and `new` refuses empty plans.
        let last = self.items.len().saturating_sub(1);
        &self.items[self.item.min(last)]
    }

    fn current_slot(&self) -> (u32, Option<Side>) {
        self.current()
            .slots()
            .get(self.slot)
            .copied()
            .unwrap_or((0, None))
    }

    /// Records a decision; `regression` is the easier drill's id and name, when one is
    /// suggested (the message names it, the record keeps the id).
    fn decide(
        &mut self,
        code: &str,
        drill: Option<String>,
        regression: Option<(String, Option<String>)>,
    ) {
        let name = regression.as_ref().and_then(|(_, name)| name.clone());
        let regression = regression.map(|(id, _)| id);
        let message = text::decision(code, &self.locale, name.as_deref());
        self.summary.decisions.push(Decision {
            code: code.into(),
            drill_id: drill,
            regression,
            message,
        });
    }

    fn tick(&mut self, step: Step, now: i64, fx: &mut Vec<Effect>) {
        match step {
            Step::Work { since_ms, .. } => {
                if let Some(hold) = self.current().hold_s {
                    if now - since_ms >= i64::from(hold) * 1000 {
                        self.complete_side(hold, now, false, fx);
                    }
                }
            }
            Step::EndPause {
                reps_done,
                until_ms,
            } if now >= until_ms => {
                self.step = Step::Work {
                    reps_done,
                    since_ms: now,
                };
                fx.push(Effect::Haptic);
            }
            Step::SideSwitch { until_ms } | Step::Rest { until_ms } if now >= until_ms => {
                self.begin_slot(now, fx)
            }
            _ => {}
        }
    }

    fn begin_slot(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.step = Step::Work {
            reps_done: 0,
            since_ms: now,
        };
        self.enter_effects(now, fx);
    }

    fn restart_slot(&mut self, now: i64) {
        // The side starts again: drop what was logged but not yet asked about. A side whose
        // pain was answered is kept (it was done and judged).
        let unanswered = self.pending.len();
        self.slot = self.slot.saturating_sub(unanswered);
        self.slots_done = self.slots_done.saturating_sub(unanswered as u32);
        self.pending.clear();
        self.step = Step::Work {
            reps_done: 0,
            since_ms: now,
        };
    }

    fn shift_deadlines(&mut self, by: i64) {
        self.step = match self.step.clone() {
            Step::Work {
                reps_done,
                since_ms,
            } => Step::Work {
                reps_done,
                since_ms: since_ms + by,
            },
            Step::EndPause {
                reps_done,
                until_ms,
            } => Step::EndPause {
                reps_done,
                until_ms: until_ms + by,
            },
            Step::SideSwitch { until_ms } => Step::SideSwitch {
                until_ms: until_ms + by,
            },
            Step::Rest { until_ms } => Step::Rest {
                until_ms: until_ms + by,
            },
            other => other,
        };
    }

    fn complete_side(&mut self, done: u32, now: i64, skipped: bool, fx: &mut Vec<Effect>) {
        let item = self.current().clone();
        let (set, side) = self.current_slot();
        self.pending.push(SetLog {
            drill_id: item.drill_id.clone(),
            side,
            set_index: set,
            level: item.level,
            target_reps: item.reps,
            reps_done: item.reps.map(|_| done),
            target_hold_s: item.hold_s,
            hold_s_done: item.hold_s.map(|_| done),
            pain: None,
            stretch: false,
            stopped: false,
            skipped,
            reason_code: skipped.then(|| "skipped_by_runner".to_string()),
            note: None,
            at: instant(now),
        });
        self.slots_done += 1;
        self.slot += 1;
        // Pain is asked after every side: each leg answers for itself, and a leg that hurts
        // stops the drill before the other one is loaded.
        self.step = Step::PainCheck;
        fx.push(Effect::AskPain);
        fx.push(Effect::Haptic);
    }

    fn after_pain(&mut self, pain: Option<Score>, stretch: bool, now: i64, fx: &mut Vec<Effect>) {
        let item = self.current().clone();
        for log in &mut self.pending {
            log.pain = pain;
            log.stretch = stretch;
        }
        let value = pain.map_or(0, Score::value);
        let stop_code = if value >= crate::safety::SEVERE_PAIN {
            Some("severe_pain_referral")
        } else if value > item.policy.max_acceptable_pain() {
            Some(match item.policy {
                PainPolicy::PainFree => "pain_free_limit_exceeded",
                PainPolicy::Monitored => "monitored_limit_exceeded",
            })
        } else {
            None
        };
        if let Some(code) = stop_code {
            for log in &mut self.pending {
                log.stopped = true;
                log.reason_code = Some(code.into());
            }
        }
        self.summary.sets.append(&mut self.pending);
        match stop_code {
            Some("severe_pain_referral") => {
                self.decide("severe_pain_referral", Some(item.drill_id.clone()), None);
                self.summary.referral = true;
                self.finish(now, true, fx);
            }
            Some(code) => {
                let easier = item
                    .regression
                    .clone()
                    .map(|id| (id, item.regression_name.clone()));
                self.decide(code, Some(item.drill_id.clone()), easier);
                self.skip_rest_of_item(false);
                self.next_item(now, fx);
            }
            None if self.slot >= item.slots().len() => self.next_item(now, fx),
            None if self.next_slot_same_set() => {
                self.step = Step::SideSwitch {
                    until_ms: now + SIDE_SWITCH_MS,
                };
                fx.push(Effect::ScheduleTick {
                    at_ms: now + SIDE_SWITCH_MS,
                });
                fx.push(Effect::PersistSnapshot);
                self.enter_effects(now, fx);
            }
            None => {
                let until = now + i64::from(item.rest_s) * 1000;
                self.step = Step::Rest { until_ms: until };
                fx.push(Effect::ScheduleTick { at_ms: until });
                fx.push(Effect::PersistSnapshot);
            }
        }
    }

    /// Whether the next slot is the other side of the set just done.
    fn next_slot_same_set(&self) -> bool {
        let slots = self.current().slots();
        match (
            self.slot.checked_sub(1).and_then(|i| slots.get(i)),
            slots.get(self.slot),
        ) {
            (Some((done, _)), Some((next, _))) => done == next,
            _ => false,
        }
    }

    fn skip_rest_of_item(&mut self, log_skips: bool) {
        let item = self.current().clone();
        let slots = item.slots();
        let remaining = slots.len().saturating_sub(self.slot) as u32;
        if log_skips {
            self.summary.skipped_drills.push(item.drill_id.clone());
        }
        self.slots_done += remaining;
        self.slot = slots.len();
    }

    fn skip_drill(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.pending.clear();
        let drill = self.current().drill_id.clone();
        self.skip_rest_of_item(true);
        self.decide("skipped_by_runner", Some(drill), None);
        self.next_item(now, fx);
    }

    fn next_item(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.item += 1;
        self.slot = 0;
        if self.item >= self.items.len() {
            self.item = self.items.len().saturating_sub(1);
            self.finish(now, false, fx);
        } else {
            self.step = Step::Intro;
            fx.push(Effect::PersistSnapshot);
            self.enter_effects(now, fx);
        }
    }

    fn finish(&mut self, now: i64, early: bool, fx: &mut Vec<Effect>) {
        self.summary.sets.append(&mut self.pending);
        if early && !self.summary.referral {
            self.summary.stopped_early = true;
            self.decide("stopped_by_runner", None, None);
        }
        self.summary.ended_ms = Some(now);
        self.summary.active_ms =
            (now - self.started_ms.unwrap_or(now) - self.paused_total_ms).max(0);
        self.step = Step::Done;
        fx.push(Effect::SessionFinished);
    }

    fn enter_effects(&self, _now: i64, fx: &mut Vec<Effect>) {
        let item = self.current();
        let (_, side) = self.current_slot();
        let mirrored = item.mirrorable && side == Some(Side::Left);
        let play = |kind: SegmentKind, looped: bool| {
            item.segment(kind).map(|(start, end)| Effect::PlayVideo {
                asset_id: item.asset_id.clone(),
                segment: kind,
                start_ms: start,
                end_ms: end,
                looped,
                mirrored,
                file: clip_file_name(&item.asset_id),
            })
        };
        match &self.step {
            Step::Intro => {
                let (start, end) = match (
                    item.segment(SegmentKind::Intro),
                    item.segment(SegmentKind::Demo),
                ) {
                    (Some((a, _)), Some((_, b))) => (a, b),
                    (Some(s), None) | (None, Some(s)) => s,
                    (None, None) => (0, 0),
                };
                fx.push(Effect::PlayVideo {
                    asset_id: item.asset_id.clone(),
                    segment: SegmentKind::Demo,
                    start_ms: start,
                    end_ms: end,
                    looped: false,
                    mirrored: false,
                    file: clip_file_name(&item.asset_id),
                });
                for &(at, cue) in item
                    .cue_marks
                    .iter()
                    .filter(|(at, _)| *at >= start && *at < end)
                {
                    if let Some(text) = item.cues.get(cue as usize) {
                        fx.push(Effect::SpeakCue {
                            text: text.clone(),
                            locale: self.locale.clone(),
                            at_video_ms: Some(at),
                        });
                    }
                }
            }
            Step::Work { .. } => {
                fx.extend(play(SegmentKind::RepLoop, true));
                if let Some(text) = item.cues.get(self.slot % item.cues.len().max(1)) {
                    fx.push(Effect::SpeakCue {
                        text: text.clone(),
                        locale: self.locale.clone(),
                        at_video_ms: None,
                    });
                }
                if let Some(hold) = item.hold_s {
                    if let Step::Work { since_ms, .. } = self.step {
                        fx.push(Effect::ScheduleTick {
                            at_ms: since_ms + i64::from(hold) * 1000,
                        });
                    }
                }
            }
            Step::SideSwitch { .. } => {
                fx.push(Effect::SpeakCue {
                    text: text::switch_side(&self.locale),
                    locale: self.locale.clone(),
                    at_video_ms: None,
                });
                fx.push(Effect::Haptic);
            }
            _ => {}
        }
    }

    fn total_slots(&self) -> u32 {
        self.items.iter().map(|i| i.slots().len() as u32).sum()
    }

    fn remaining_ms(&self) -> i64 {
        let mut ms = 0;
        for (i, item) in self.items.iter().enumerate().skip(self.item) {
            let slots = item.slots().len();
            let left = if i == self.item {
                slots.saturating_sub(self.slot)
            } else {
                slots
            } as i64;
            ms += left * (item.work_ms() + i64::from(item.rest_s) * 1000 / 2);
        }
        if self.step == Step::Done {
            0
        } else {
            ms
        }
    }
}
