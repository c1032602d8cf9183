//! What the runner hands the shell after every event: a view model to draw and effects to
//! carry out.

use serde::{Deserialize, Serialize};

use super::{SessionRunner, Step};
use crate::catalog::SegmentKind;
use crate::domain::Side;

/// Which screen the shell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    NotStarted,
    /// Intro and demo video of the next drill.
    Intro,
    /// A set being worked: reps to tap, or a hold counting down.
    Work,
    /// Holding at end range between reps.
    EndRangePause,
    SideSwitch,
    PainCheck,
    Rest,
    Summary,
}

/// Which controls are enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controls {
    pub start: bool,
    pub rep_done: bool,
    pub pause: bool,
    pub resume: bool,
    pub skip_step: bool,
    pub skip_drill: bool,
    pub switch_side: bool,
    pub pain: bool,
    pub stop: bool,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewModel {
    pub step: StepKind,
    pub paused: bool,
    pub drill_id: String,
    pub drill_name: String,
    pub drill_description: String,
    pub side: Option<Side>,
    /// 1-based set number and total sets (the extra set of the stiffer side included).
    pub set: u32,
    pub sets: u32,
    /// Reps done and target (rep-based drills).
    pub rep: Option<u32>,
    pub reps: Option<u32>,
    /// Seconds left in a hold, rest, pause or side switch.
    pub seconds_left: Option<u32>,
    pub cue: Option<String>,
    /// Share of the session done, 0–1; never decreases.
    pub progress: f64,
    pub elapsed_s: u32,
    pub remaining_s: u32,
    pub controls: Controls,
}

/// Something the shell must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    PlayVideo {
        asset_id: String,
        segment: SegmentKind,
        start_ms: u32,
        end_ms: u32,
        looped: bool,
        /// Mirror the clip (it is filmed on the right leg).
        mirrored: bool,
        /// The clip's file in the pack (`<asset id>.mp4`, see `catalog::clips`).
        #[serde(default)]
        file: String,
    },
    SpeakCue {
        text: String,
        locale: String,
        /// When set, speak at this video position rather than now.
        at_video_ms: Option<u32>,
    },
    Haptic,
    AskPain,
    ScheduleTick {
        at_ms: i64,
    },
    PersistSnapshot,
    SessionFinished,
}

/// One answer to one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub view: ViewModel,
    pub effects: Vec<Effect>,
}

fn secs_until(until: i64, now: i64) -> u32 {
    ((until - now).max(0) as u64).div_ceil(1000) as u32
}

impl SessionRunner {
    /// When the countdown of the current step (a hold, an end-range pause, a side switch or
    /// a rest) reaches zero, paused or not; `None` in a step without one.
    fn countdown_end(&self) -> Option<i64> {
        match &self.step {
            Step::Work { since_ms, .. } => match self.current().hold_s {
                Some(h) if self.current().reps.is_none() => Some(since_ms + i64::from(h) * 1000),
                _ => None,
            },
            Step::EndPause { until_ms, .. }
            | Step::SideSwitch { until_ms }
            | Step::Rest { until_ms } => Some(*until_ms),
            Step::NotStarted | Step::Intro | Step::PainCheck | Step::Done => None,
        }
    }

    /// The instant (in the clock of the events' `now_ms`) at which the running countdown
    /// reaches zero; `None` while paused (the countdown stands still) or in a step without
    /// one. Before it a `Tick` changes nothing but the clock's own fields (`seconds_left`,
    /// `elapsed_s`), and `seconds_left` at any `now` is `ceil((deadline - now) / 1000)`,
    /// never below 0: a shell can count the seconds down itself and send `Tick` once `now`
    /// reaches the deadline (the instant of the step's [`Effect::ScheduleTick`]).
    pub fn countdown_deadline_ms(&self) -> Option<i64> {
        if self.paused_at_ms.is_some() {
            return None;
        }
        self.countdown_end()
    }

    pub(super) fn render(&self, now: i64, effects: Vec<Effect>) -> Frame {
        let item = self.current();
        let (set, side) = self.current_slot();
        let paused = self.paused_at_ms.is_some();
        let clock = self.paused_at_ms.unwrap_or(now);
        let (step, rep) = match &self.step {
            Step::NotStarted => (StepKind::NotStarted, None),
            Step::Intro => (StepKind::Intro, None),
            Step::Work { reps_done, .. } => match item.hold_s {
                Some(_) if item.reps.is_none() => (StepKind::Work, None),
                _ => (StepKind::Work, Some(*reps_done)),
            },
            Step::EndPause { reps_done, .. } => (StepKind::EndRangePause, Some(*reps_done)),
            Step::SideSwitch { .. } => (StepKind::SideSwitch, None),
            Step::PainCheck => (StepKind::PainCheck, None),
            Step::Rest { .. } => (StepKind::Rest, None),
            Step::Done => (StepKind::Summary, None),
        };
        let seconds_left = self.countdown_end().map(|until| secs_until(until, clock));
        let active = !matches!(step, StepKind::NotStarted | StepKind::Summary);
        let controls = Controls {
            start: step == StepKind::NotStarted,
            rep_done: !paused && step == StepKind::Work && item.reps.is_some(),
            pause: active && !paused,
            resume: paused,
            skip_step: active
                && !paused
                && matches!(
                    step,
                    StepKind::Intro
                        | StepKind::Work
                        | StepKind::EndRangePause
                        | StepKind::SideSwitch
                        | StepKind::Rest
                        | StepKind::PainCheck
                ),
            skip_drill: active && !paused,
            switch_side: !paused && step == StepKind::SideSwitch,
            pain: !paused && step == StepKind::PainCheck,
            stop: active,
        };
        let total = self.total_slots().max(1);
        let progress = if step == StepKind::Summary {
            1.0
        } else {
            f64::from(self.slots_done.min(total)) / f64::from(total)
        };
        let elapsed = self
            .started_ms
            .map_or(0, |s| (clock - s - self.paused_total_ms).max(0) / 1000);
        let (set_shown, side_shown) = if step == StepKind::PainCheck || step == StepKind::Rest {
            // The set just finished is what the pain question is about.
            let prev = self.slot.saturating_sub(1);
            item.slots()
                .get(prev)
                .map_or((set, side), |&(s, sd)| (s, sd))
        } else {
            (set, side)
        };
        let cue = match step {
            StepKind::Work | StepKind::Intro | StepKind::EndRangePause => {
                item.cues.get(self.slot % item.cues.len().max(1)).cloned()
            }
            _ => None,
        };
        Frame {
            view: ViewModel {
                step,
                paused,
                drill_id: item.drill_id.clone(),
                drill_name: item.name.clone(),
                drill_description: item.description.clone(),
                side: side_shown,
                set: set_shown + 1,
                sets: item.sets
                    + u32::from(item.extra_set_side.is_some() && !item.sides.is_empty()),
                rep,
                reps: item.reps,
                seconds_left,
                cue,
                progress,
                elapsed_s: elapsed as u32,
                remaining_s: (self.remaining_ms() / 1000).max(0) as u32,
                controls,
            },
            effects,
        }
    }
}
