//! Reminders on `Engine`: the complete desired set for the next seven days and the
//! reconciliation plan against what the OS scheduler holds (DESIGN.md §3, ADR 0003). The
//! shell schedules, cancels and replaces exactly what the plan says; the rules stay in core.

use chrono::Duration;
use talus_core::schedule::{self, Reminder, ScheduledReminder};

use crate::coach::ReasonInfo;
use crate::engine::Engine;
use crate::error::TalusError;
use crate::kinds::ReminderKind;
use crate::records::instant;

/// One notification to schedule.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ReminderInfo {
    /// Stable id (e.g. `checkin:<run-id>`, `daily:2026-11-26`): use it as the OS
    /// notification identifier.
    pub id: String,
    /// What it is for.
    pub kind: ReminderKind,
    /// When it fires (UTC instant; schedule it as an instant, not a wall time).
    pub fire_at_ms: i64,
    /// Local wall time `YYYY-MM-DDTHH:MM` in `zone`.
    pub local_time: String,
    /// IANA zone of `local_time`.
    pub zone: String,
    /// Localized title.
    pub title: String,
    /// Localized body.
    pub body: String,
    /// e.g. `talus://checkin/<run-id>`.
    pub deep_link: String,
    /// Fingerprint of everything shown; store it with the id to reconcile later.
    pub content_hash: String,
    /// Why it is wanted.
    pub reason: ReasonInfo,
}

impl From<&Reminder> for ReminderInfo {
    fn from(r: &Reminder) -> Self {
        ReminderInfo {
            id: r.id.clone(),
            kind: r.kind.into(),
            fire_at_ms: r.fire_at.timestamp_millis(),
            local_time: talus_core::formats::write_naive(
                &r.local_time,
                talus_core::formats::LOCAL_MINUTE,
            ),
            zone: r.zone.clone(),
            title: r.title.clone(),
            body: r.body.clone(),
            deep_link: r.deep_link.clone(),
            content_hash: schedule::content_hash(r),
            reason: ReasonInfo::from(&r.reason),
        }
    }
}

/// What the OS scheduler holds, as the shell recorded it when scheduling.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PendingReminder {
    /// The id it was scheduled under.
    pub id: String,
    /// When it fires.
    pub fire_at_ms: i64,
    /// The `content_hash` it was scheduled with.
    pub content_hash: String,
}

/// What to do so the OS holds exactly the desired set.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ReminderPlan {
    /// Ids to cancel.
    pub cancel: Vec<String>,
    /// Reminders to schedule.
    pub add: Vec<ReminderInfo>,
    /// Reminders to schedule again under the same id (time or text changed).
    pub replace: Vec<ReminderInfo>,
    /// Ids to leave alone.
    pub unchanged: Vec<String>,
}

impl Engine {
    fn desired_reminders(&self, now_ms: i64, zone: &str) -> Result<Vec<Reminder>, TalusError> {
        let now = instant(now_ms, "now")?;
        let settings = self.store().settings()?;
        // Long-run rules look 30 days back; sessions for the coming week decide daily ones
        // (by date and status: the plan reads no sets).
        let history = self
            .store()
            .history_without_sets(now - Duration::days(40), now + Duration::days(8))?;
        Ok(schedule::plan_reminders(&settings, &history, now, zone)?)
    }
}

#[uniffi::export]
impl Engine {
    /// The complete set of reminders wanted for the next seven days, in fire order (at most
    /// 20). `zone` is where the runner is now; it wins for future reminders. Touches disk.
    pub fn reminders(&self, now_ms: i64, zone: String) -> Result<Vec<ReminderInfo>, TalusError> {
        Ok(self
            .desired_reminders(now_ms, &zone)?
            .iter()
            .map(ReminderInfo::from)
            .collect())
    }

    /// Compares what the OS holds with the desired set: cancel, add and replace exactly what
    /// is returned and the OS holds the desired set; unchanged ids are never touched.
    /// Call on app start, after importing runs, after a check-in and on a time-zone change.
    /// Touches disk.
    pub fn reconcile_reminders(
        &self,
        pending: Vec<PendingReminder>,
        now_ms: i64,
        zone: String,
    ) -> Result<ReminderPlan, TalusError> {
        let desired = self.desired_reminders(now_ms, &zone)?;
        let scheduled = pending
            .iter()
            .map(|p| {
                Ok(ScheduledReminder {
                    id: p.id.clone(),
                    fire_at: instant(p.fire_at_ms, "fire_at")?,
                    content_hash: p.content_hash.clone(),
                })
            })
            .collect::<Result<Vec<_>, TalusError>>()?;
        let plan = schedule::reconcile_scheduled(&scheduled, &desired);
        Ok(ReminderPlan {
            cancel: plan.cancel,
            add: plan.add.iter().map(ReminderInfo::from).collect(),
            replace: plan.replace.iter().map(ReminderInfo::from).collect(),
            unchanged: plan.unchanged,
        })
    }
}
