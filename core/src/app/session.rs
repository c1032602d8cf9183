//! Guided sessions through the application layer: starting (or resuming, or discarding the
//! open one), driving the runner with events, and finishing — the finished session, its
//! outcome and the safety event it raised (a severe-pain stop or a red flag) in one write.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{instant, AppError, Coach, DayPlan};
use crate::domain::{PlanVariant, SessionOutcome};
use crate::safety::{self, Answer, FlagSource, SafetyEvent, SafetyState};
use crate::session::{Effect, Frame, RunnerEvent, SessionError, SessionRunner};
use crate::store::{new_id, FinishedSession, Unit};

/// What to do when a session is already open (started or paused) at `start_session`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IfOpen {
    /// Refuse with [`AppError::SessionOpen`] (the shell asks the runner).
    #[default]
    Refuse,
    /// Continue the open session where it was.
    Resume,
    /// Abandon the open session (recorded as abandoned) and start today's.
    Discard,
}

/// A session being driven: its stored id and the runner state.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveSession {
    pub id: Uuid,
    pub runner: SessionRunner,
}

/// A started (or resumed) session, with the day's plan and level decisions when it was
/// newly planned.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStart {
    pub session: ActiveSession,
    /// The open session was resumed; `day` is then `None`.
    pub resumed: bool,
    /// The plan the session runs, with the level changes made when planning it.
    pub day: Option<DayPlan>,
}

impl Coach {
    /// The open (started or paused) session, restored from its snapshot, if any.
    pub fn open_session(&self) -> Result<Option<ActiveSession>, AppError> {
        let Some(open) = self.store().open_session()? else {
            return Ok(None);
        };
        let Some(snapshot) = open.snapshot.as_deref() else {
            return Ok(None);
        };
        let runner = SessionRunner::restore(snapshot, self.catalog())?;
        Ok(Some(ActiveSession {
            id: open.id,
            runner,
        }))
    }

    /// Abandons the open session `id` (it is kept in history as abandoned).
    pub fn discard_session(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), AppError> {
        Ok(self.store().abandon_session(id, now)?)
    }

    fn refuse_unsafe(&self) -> Result<(), AppError> {
        let record = self.store().safety_record()?;
        if !record.screened() {
            return Err(AppError::ScreeningNeeded);
        }
        match record.state() {
            SafetyState::Locked { .. } => Err(AppError::Locked),
            SafetyState::Paused { .. } => Err(AppError::Paused),
            _ => Ok(()),
        }
    }

    /// Plans today and starts a guided session over it. Refused before the first screening,
    /// while locked or paused (also for an open session: it cannot be resumed while drills
    /// are blocked), on a rest day, and while a session is open unless `if_open` says to
    /// resume or discard it. `Resume` abandons an open session whose snapshot cannot be
    /// read (nothing could resume it) and starts today's.
    pub fn start_session(
        &self,
        now: DateTime<Utc>,
        zone: &str,
        if_open: IfOpen,
    ) -> Result<SessionStart, AppError> {
        self.refuse_unsafe()?;
        if let Some(open) = self.store().open_session()? {
            match if_open {
                IfOpen::Refuse => return Err(AppError::SessionOpen),
                IfOpen::Resume => match self.open_session() {
                    Ok(Some(session)) => {
                        return Ok(SessionStart {
                            session,
                            resumed: true,
                            day: None,
                        })
                    }
                    // A snapshot this build cannot read (damaged, or a form it does not
                    // read: ADR 0022) can never be resumed, and the shell has no id to
                    // discard it by; the runner asked to train, so it is abandoned (kept in
                    // history) and today's session planned, as for an open session without
                    // a snapshot. `open_session` still reports it, untouched.
                    Ok(None) | Err(AppError::Session(SessionError::BadSnapshot(_))) => {
                        self.discard_session(open.id, now)?
                    }
                    Err(other) => return Err(other),
                },
                IfOpen::Discard => self.discard_session(open.id, now)?,
            }
        }
        let day = self.plan_day(now, zone)?;
        match day.plan.variant {
            PlanVariant::Locked => return Err(AppError::Locked),
            PlanVariant::Paused => return Err(AppError::Paused),
            PlanVariant::ScreeningNeeded => return Err(AppError::ScreeningNeeded),
            _ => {}
        }
        if day.plan.items.is_empty() {
            return Err(AppError::RestDay);
        }
        let runner = SessionRunner::new(&day.plan, self.catalog())?;
        let record = self
            .store()
            .create_session(day.plan.date, zone, day.plan.variant, now)?;
        self.store()
            .start_session(record.id, &runner.snapshot()?, now)?;
        Ok(SessionStart {
            session: ActiveSession {
                id: record.id,
                runner,
            },
            resumed: false,
            day: Some(day),
        })
    }

    /// The current frame at `now_ms`, after the boundary's range check.
    pub fn session_frame(&self, s: &ActiveSession, now_ms: i64) -> Result<Frame, AppError> {
        instant(now_ms, "now")?;
        Ok(s.runner.frame(now_ms))
    }

    /// Applies one event. An invalid event (or an unknown red-flag question) changes
    /// nothing. A snapshot is stored when the frame asks for one; when the session ends,
    /// its sets, its outcome and the safety event it raised (severe pain pauses, a red flag
    /// locks) are stored in one write.
    pub fn session_event(
        &self,
        s: &mut ActiveSession,
        event: RunnerEvent,
        now_ms: i64,
    ) -> Result<Frame, AppError> {
        let now = instant(now_ms, "now")?;
        let mut id_gen = move || new_id(now);
        let flag_events = match &event {
            RunnerEvent::RedFlagReported(question) => safety::red_flag_events(
                &[(question.clone(), Answer::Yes)],
                FlagSource::Session,
                now,
                &mut id_gen,
            )?,
            _ => Vec::new(),
        };
        let mut next = s.runner.clone();
        let frame = next.handle(event, now_ms)?;
        if frame.effects.contains(&Effect::SessionFinished) {
            let summary = next.summary();
            let mut events: Vec<(Uuid, SafetyEvent)> = flag_events;
            if let Some(stop) = summary.severe_pain_stop() {
                events.extend(safety::severe_pain_event(
                    &stop.drill_id,
                    stop.pain.map_or(safety::SEVERE_PAIN, |p| p.value()),
                    stop.at,
                    id_gen,
                ));
            }
            let outcome = if !events.is_empty()
                && events
                    .iter()
                    .any(|(_, e)| matches!(e, SafetyEvent::RedFlag { .. }))
            {
                SessionOutcome::EndedForRedFlag
            } else {
                summary.outcome()
            };
            self.store().commit(
                Unit {
                    finish: Some(FinishedSession {
                        id: s.id,
                        sets: &summary.sets,
                        outcome,
                    }),
                    safety: &events,
                    ..Unit::default()
                },
                now,
            )?;
        } else if frame.effects.contains(&Effect::PersistSnapshot) {
            let snapshot = next.snapshot()?;
            if next.is_paused() {
                self.store().pause_session(s.id, &snapshot, now)?;
            } else {
                self.store().start_session(s.id, &snapshot, now)?;
            }
        }
        s.runner = next;
        Ok(frame)
    }
}
