//! Runs and reminders: run ingestion rules (overlap merge), long-run detection (DESIGN.md §2
//! "Long run") and reminder planning plus its reconciliation contract (DESIGN.md §3
//! "Reminders"; decision record `docs/adr/0003-reminders.md`).
//!
//! # The reminder contract
//!
//! [`plan_reminders`] is a pure function of settings, history, `now` and the runner's
//! current IANA zone. It returns the **complete** desired set of notifications for the next
//! [`HORIZON_DAYS`] days — never a diff — sorted by fire instant and capped at
//! [`MAX_REMINDERS`]. Every [`Reminder`] has a stable id (`checkin:<run-id>`,
//! `reask:<run-id>`, `daily:<local-date>`, `rom:<local-date>`), so recomputing with the same
//! inputs gives the same ids and a run whose times were corrected keeps its reminder's id.
//!
//! Shells recompute on app start, after a run import and on a time-zone change, then call
//! [`reconcile`] (or [`reconcile_scheduled`] when they only kept id, fire instant and
//! [`content_hash`] of what they handed the OS) with what is pending and what is desired.
//! The [`ReconcilePlan`] says, per id:
//! - `cancel`: pending ids that are no longer desired (remove them from the OS);
//! - `add`: desired reminders that are not pending (schedule them);
//! - `replace`: same id, but the fire instant or any shown content changed (cancel and
//!   schedule again under the same id; on iOS adding the same identifier replaces it);
//! - `unchanged`: ids to leave alone, so an unchanged reminder is never touched.
//!
//! Applying the plan leaves exactly the desired set pending; reconciling the result with the
//! same desired set yields an empty plan (only `unchanged`).

mod reconcile;
mod reminders;
mod runs;
mod text;
mod week;

pub use reconcile::{
    content_hash, reconcile, reconcile_scheduled, ReconcilePlan, ScheduledReminder,
};
pub use reminders::{
    plan_reminders, Reminder, ReminderKind, CHECKIN_MIN_GAP_HOURS, HORIZON_DAYS,
    LATE_CHECKIN_DELAY_MINUTES, LATE_CHECKIN_MAX_HOURS, MAX_REMINDERS, REASK_AFTER_ANSWER_HOURS,
    REASK_MIN_GAP_HOURS,
};
pub use runs::{classify_long_run, effective_runs, long_run_ends, LongRunDecision};
pub use week::{plan_week, plan_week_from_today, DayForecast, WEEK_DAYS};

use crate::time::TimeError;

/// Errors from run rules and reminder planning.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    #[error("run {0} is not in the history it is judged against")]
    UnknownRun(String),
    /// The zone passed with `now` is not a known IANA zone.
    #[error(transparent)]
    Zone(#[from] TimeError),
    /// `now` is outside the years reminders are planned for (1900–9999).
    #[error("instant {0} is outside the supported years 1900–9999")]
    OutOfRange(String),
    /// The week forecast could not plan a day.
    #[error(transparent)]
    Plan(#[from] crate::progression::ProgressionError),
}
