//! The day's store reads kept between plans (ADR 0018): [`Coach::day_inputs`] read once
//! and reused for as long as a fresh read would return exactly the same, so a warm
//! `today()` only plans.
//!
//! A read of the day's history depends on two things: what the file holds, and `now` (its
//! windows move with the clock). The first is watched by the store's [`ChangeMarker`]
//! (every commit through this connection or any other, from this process or another, a
//! sync import included, moves it). For the second, the reads are a function of the UTC date
//! of `now` (sessions are read by local date, one day of margin each side; the level window
//! starts on a date) and of instants `now` shifts: check-ins and runs in
//! `[now − 35 days, now + 1 day)`, knee-to-wall from 90 days before that, and the sets of
//! older sessions stamped at or after `now` (a fast peer's clock). Moving `now` forward
//! within the same UTC date changes the read only when one of those windows' edges passes
//! a record, so when the kept reads are first reused [`Coach::day_reads_fresh`] works out,
//! from the records read and the next record beyond the front edge, the first instant at
//! which one would: until then the kept read is the fresh read. A clock set back, a new UTC
//! day or any commit means a fresh read. A first `today()` pays one `PRAGMA` for all this.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, Utc};

use super::{AppError, Coach, DayPlan, MERGED_AHEAD, PLAN_HISTORY_DAYS};
use crate::domain::{History, Settings};
use crate::store::{ChangeMarker, ROM_LOOKBACK_DAYS};

/// The settings and history a day's plan reads, with what says whether they are still what
/// the store would return.
#[derive(Debug, Clone, PartialEq)]
pub struct DayReads {
    /// As [`Coach::day_inputs`] returned them at `read_at`.
    pub settings: Settings,
    /// As [`Coach::day_inputs`] returned it at `read_at`.
    pub history: History,
    /// The file's marker taken before the read.
    marker: ChangeMarker,
    read_at: DateTime<Utc>,
    /// The first instant at which a read could differ (exclusive end of freshness), worked
    /// out when the reads are first reused (a first call pays nothing for it).
    fresh_until: OnceLock<DateTime<Utc>>,
    /// The end of every long run among `history.runs` judged by `settings.long_run`
    /// (`schedule::long_run_ends`): a function of the reads alone, so judged once, when
    /// first planned on, and kept with them.
    long_run_ends: OnceLock<Vec<DateTime<Utc>>>,
}

impl DayReads {
    /// [`crate::schedule::long_run_ends`] of these reads, judged on first use.
    pub fn long_run_ends(&self) -> &[DateTime<Utc>] {
        self.long_run_ends.get_or_init(|| {
            crate::schedule::long_run_ends(&self.history.runs, &self.settings.long_run)
        })
    }
}

/// One millisecond: instants are stored in whole milliseconds.
fn ms1() -> Duration {
    Duration::milliseconds(1)
}

/// The first instant after `read_at` at which the day's history could read differently,
/// with nothing committed: the next UTC midnight, or the first instant a window edge
/// passes a record. `next_ahead` is the earliest dated record at or after the front edge.
fn fresh_until(
    history: &History,
    read_at: DateTime<Utc>,
    next_ahead: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let back = Duration::days(PLAN_HISTORY_DAYS);
    let rom_back = back + Duration::days(ROM_LOOKBACK_DAYS);
    // The dates the sessions, the level window and the front edge's margin are read by:
    // those of `now` and of `now − 1 ms` (the front edge is exclusive).
    let midnight = read_at
        .date_naive()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    let mut until = match midnight {
        Some(m) if (read_at - ms1()).date_naive() == read_at.date_naive() => m,
        // At midnight exactly, `now − 1 ms` is on the day before: only this instant.
        _ => read_at + ms1(),
    };
    let mut edge = |t: Option<DateTime<Utc>>| {
        if let Some(t) = t {
            until = until.min(t);
        }
    };
    // A record read stays in while the back edge has not passed it: `t ≥ now − back`.
    edge(
        history
            .checkins
            .iter()
            .map(|c| c.at)
            .min()
            .map(|t| t + back + ms1()),
    );
    edge(
        history
            .runs
            .iter()
            .map(|r| r.record.start)
            .min()
            .map(|t| t + back + ms1()),
    );
    edge(
        history
            .rom
            .iter()
            .map(|m| m.at)
            .min()
            .map(|t| t + rom_back + ms1()),
    );
    // A record ahead enters once the front edge passes it: `t < now + MERGED_AHEAD`.
    edge(next_ahead.map(|t| t - MERGED_AHEAD + ms1()));
    // Sets stamped at or after `now` are read from older sessions too (a fast peer's clock);
    // once `now` passes one, it may no longer be.
    edge(
        history
            .sessions
            .iter()
            .flat_map(|s| s.sets.iter())
            .map(|x| x.at)
            .filter(|t| *t >= read_at)
            .min()
            .map(|t| t + ms1()),
    );
    until.max(read_at + ms1())
}

impl Coach {
    /// [`Coach::day_inputs`] at `now`, with what [`Coach::day_reads_fresh`] needs to tell
    /// later whether they still are what a read would return. Touches disk.
    pub fn read_day(&self, now: DateTime<Utc>) -> Result<DayReads, AppError> {
        // The marker first: a commit landing during the read makes it stale, never hidden.
        let marker = self.store.change_marker()?;
        let (settings, history) = self.day_inputs(now)?;
        Ok(DayReads {
            settings,
            history,
            marker,
            read_at: now,
            fresh_until: OnceLock::new(),
            long_run_ends: OnceLock::new(),
        })
    }

    /// Whether `reads` are exactly what [`Coach::day_inputs`] would return at `now`: nothing
    /// committed to the file since they were read (by this store or anyone else), the clock
    /// not set back, and no window edge passed a record. One `PRAGMA` (the first reuse also
    /// looks up the next record ahead); touches disk.
    pub fn day_reads_fresh(&self, reads: &DayReads, now: DateTime<Utc>) -> Result<bool, AppError> {
        if now < reads.read_at || self.store.change_marker()? != reads.marker {
            return Ok(false);
        }
        let until = match reads.fresh_until.get() {
            Some(until) => *until,
            None => {
                // The file is as it was read (same marker), so the look-up ahead answers as
                // it would have then; the marker is taken again to be sure it still is.
                let ahead = self
                    .store
                    .next_dated_record_at_or_after(reads.read_at + MERGED_AHEAD)?;
                if self.store.change_marker()? != reads.marker {
                    return Ok(false);
                }
                *reads
                    .fresh_until
                    .get_or_init(|| fresh_until(&reads.history, reads.read_at, ahead))
            }
        };
        Ok(now < until)
    }

    /// Plans the day as [`Coach::plan_day`] does, on `kept` reads while they are fresh, else
    /// on a new read, which is returned to keep for the next call (`None` before the first
    /// screening, when nothing is read). The plan is the one `plan_day` would make: the
    /// rules run every time; only the reads are kept, with the long-run ends judged from
    /// them alone.
    pub fn plan_day_kept(
        &self,
        kept: Option<Arc<DayReads>>,
        now: DateTime<Utc>,
        zone: &str,
    ) -> Result<(DayPlan, Option<Arc<DayReads>>), AppError> {
        let reads = match kept {
            Some(r) if self.day_reads_fresh(&r, now)? => r,
            _ => {
                if let Some(day) = self.unscreened_day(now, zone)? {
                    return Ok((day, None));
                }
                Arc::new(self.read_day(now)?)
            }
        };
        let day = self.decide_and_plan_day(
            &reads.settings,
            &reads.history,
            reads.long_run_ends(),
            now,
            zone,
            true,
        )?;
        Ok((day, Some(reads)))
    }
}
