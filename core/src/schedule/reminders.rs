//! Reminder planning: the complete desired set of notifications for the next days, as a pure
//! function of settings, history, `now` and the runner's current zone.
//!
//! Policies (the why is in `docs/adr/0003-reminders.md`):
//! - **Zone**: every wall time (wake window, quiet hours, drill time, retest time) is read
//!   in the zone passed with `now`, so a travelling runner is reminded on local time where
//!   they are. A run keeps its own zone in the history, but "next morning" is judged in the
//!   current zone: that is where the runner wakes up.
//! - **DST**: through [`crate::time::resolve_local`] — a wall time in a spring-forward gap
//!   fires at the first instant after the gap, a wall time in a fall-back fold fires once, at
//!   the earlier instant. A local day that does not exist (Pacific/Apia, 2011-12-30) gets no
//!   daily reminder.
//! - **Quiet hours**: a reminder that would fire inside them moves to their end. A daily
//!   drill reminder that this would push onto the next local day is dropped (a reminder
//!   for yesterday's drills is noise); a check-in that the move pushes out of the wake window
//!   takes the next day's wake window instead.
//! - **Past**: nothing fires at or before `now`. A slot is a function of the run, never of
//!   `now`, so recomputing later neither moves nor repeats a reminder that already fired.
//! - **Late runs**: a long run that became known (imported here or on a peer) after its
//!   check-in slot had passed gets its check-in from the instant it became known — at once
//!   when that is inside the wake window, else in the next one — up to
//!   [`LATE_CHECKIN_MAX_HOURS`] after the run; the re-ask follows the answer by at least
//!   [`REASK_AFTER_ANSWER_HOURS`]. The import instant is data
//!   ([`History::run_known_since`]), so the slot stays put on every recompute.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::runs::{long_runs, Merged};
use super::{text, ScheduleError};
use crate::domain::{CheckIn, History, Reason, SessionStatus, Settings};
use crate::progression::{classify_morning, MorningStatus};
use crate::time::{local_date, local_date_time, parse_zone, resolve_local, Tz};

/// How far ahead the desired set reaches.
pub const HORIZON_DAYS: i64 = 7;
/// Most reminders returned at once (iOS keeps at most 64 pending per app).
pub const MAX_REMINDERS: usize = 20;
/// A post-run check-in fires at least this long after the run ended.
pub const CHECKIN_MIN_GAP_HOURS: i64 = 8;
/// The re-ask after an amber or red answer fires at least this long after the run ended.
pub const REASK_MIN_GAP_HOURS: i64 = 48;

/// A long run that became known more than this long after it ended gets no late check-in:
/// the tissue response it asks about shows 12–48 h after the run (DESIGN.md §2) and the
/// heavy-loading pause lasts up to 72 h (DRILLS.md §5, after Langberg et al. 1999); later, a
/// question about "the long run" says nothing the morning check-in does not.
pub const LATE_CHECKIN_MAX_HOURS: i64 = 72;
/// A late check-in fires this long after the run became known: "at once", with time for the
/// shell to schedule it when it recomputes after the import (as the contract asks). A shell
/// that recomputes later than this finds the slot passed: the check-in is then not asked,
/// rather than asked again on every recompute.
pub const LATE_CHECKIN_DELAY_MINUTES: i64 = 5;
/// A re-ask fires at least this long after the answer it follows up (a late answer's re-ask
/// is the next half day at the earliest, not minutes later).
pub const REASK_AFTER_ANSWER_HOURS: i64 = 12;

/// Wake windows searched for a check-in slot, after the day its earliest instant falls on.
const SLOT_SEARCH_DAYS: i64 = 3;

/// What a reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// The morning after a long run: how do calf, Achilles and ankle feel?
    LongRunCheckIn,
    /// One follow-up ~48 h after a long run whose first answer was amber or red.
    LongRunReask,
    /// The daily drill session.
    DailyDrills,
    /// The weekly knee-to-wall retest.
    RomRetest,
}

impl ReminderKind {
    /// Stable snake_case name, also the prefix of the reminder id.
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::LongRunCheckIn => "checkin",
            ReminderKind::LongRunReask => "reask",
            ReminderKind::DailyDrills => "daily",
            ReminderKind::RomRetest => "rom",
        }
    }
}

/// One desired notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    /// Stable id: `checkin:<run-id>`, `reask:<run-id>`, `daily:<local-date>`,
    /// `rom:<local-date>`. Same inputs give the same id; a run whose times change keeps it.
    pub id: String,
    pub kind: ReminderKind,
    /// When to fire (UTC).
    #[serde(with = "crate::formats::serde_form::instant")]
    pub fire_at: DateTime<Utc>,
    /// The wall time `fire_at` shows in `zone` (after any DST or quiet-hour adjustment).
    pub local_time: NaiveDateTime,
    /// The IANA zone the reminder was planned in (the one passed with `now`).
    pub zone: String,
    pub title: String,
    pub body: String,
    /// `talus://checkin/<run-id>`, `talus://checkin/<run-id>?reask=1`,
    /// `talus://session/today` or `talus://rom/retest`.
    pub deep_link: String,
    /// Why the reminder exists and when it was moved, in the runner's locale.
    pub reason: Reason,
}

struct Planner<'a> {
    tz: Tz,
    zone: &'a str,
    settings: &'a Settings,
    now: DateTime<Utc>,
    horizon: DateTime<Utc>,
}

/// Returns the complete desired set of reminders for the next [`HORIZON_DAYS`] days: fire
/// instants strictly after `now`, none inside quiet hours, sorted by fire instant (then id),
/// at most [`MAX_REMINDERS`] (the earliest; later ones come back on a later recompute).
/// `zone` is the runner's current IANA zone; its wall clock decides every local time.
///
/// Errors only when `zone` is unknown or `now` is outside the years 1900–9999. A bad record
/// never blocks the rest: records more than a year from `now` are ignored, and a check-in
/// answer that cannot be classified counts as not-green (one extra question is cheaper
/// than a missed worsening).
pub fn plan_reminders(
    settings: &Settings,
    history: &History,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<Reminder>, ScheduleError> {
    let tz = parse_zone(zone)?;
    if !(1900..=9999).contains(&now.year()) {
        return Err(ScheduleError::OutOfRange(crate::formats::to_rfc3339(&now)));
    }
    let history = &near(history, now);
    let p = Planner {
        tz,
        zone,
        settings,
        now,
        // Instants at the edge of chrono's range saturate instead of overflowing.
        horizon: now
            .checked_add_signed(Duration::days(HORIZON_DAYS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    };
    let mut out = Vec::new();
    if settings.reminders.long_run_checkin {
        p.long_run_reminders(history, &mut out);
    }
    // A red-flag lock pauses drills, so a drill reminder would contradict the app.
    if let (Some(at), false) = (
        settings.reminders.daily_drill_at,
        history.safety.state().blocks_drills(),
    ) {
        p.daily_reminders(history, at, &mut out);
    }
    if settings.reminders.weekly_rom_retest {
        p.rom_reminders(history, &mut out);
    }
    crate::order::sort_by(&mut out, |a, b| {
        a.fire_at.cmp(&b.fire_at).then_with(|| a.id.cmp(&b.id))
    });
    out.truncate(MAX_REMINDERS);
    Ok(out)
}

impl Planner<'_> {
    fn in_horizon(&self, t: DateTime<Utc>) -> bool {
        t > self.now && t <= self.horizon
    }

    /// Moves an instant out of quiet hours, to their end. `None` when that is impossible
    /// (a fold that repeats the end of the quiet hours); the flag says whether it moved.
    fn out_of_quiet(&self, t: DateTime<Utc>) -> Option<(DateTime<Utc>, bool)> {
        let q = self.settings.quiet_hours;
        let local = local_date_time(t, self.tz);
        if !q.contains(local.time()) {
            return Some((t, false));
        }
        let wraps_into_tomorrow = q.start > q.end && local.time() >= q.start;
        let end_date = if wraps_into_tomorrow {
            local.date().succ_opt()?
        } else {
            local.date()
        };
        let moved = resolve_local(self.tz, end_date.and_time(q.end)).ok()?;
        let still_quiet = q.contains(local_date_time(moved, self.tz).time());
        (moved > t && !still_quiet).then_some((moved, true))
    }

    /// The first instant at or after `earliest` inside a wake window and outside quiet
    /// hours. An empty wake window (start = end) has no slot.
    fn wake_slot(&self, earliest: DateTime<Utc>) -> Option<(DateTime<Utc>, bool)> {
        let w = self.settings.wake_window;
        if w.start == w.end {
            return None;
        }
        // A window wrapping midnight may have opened on the previous local date.
        let first = local_date(earliest, self.tz).pred_opt()?;
        (0..=SLOT_SEARCH_DAYS + 1).find_map(|i| {
            let day = first.checked_add_signed(Duration::days(i))?;
            let close_day = if w.end < w.start {
                day.succ_opt()?
            } else {
                day
            };
            let open = resolve_local(self.tz, day.and_time(w.start)).ok()?;
            let close = resolve_local(self.tz, close_day.and_time(w.end)).ok()?;
            let candidate = open.max(earliest);
            if candidate >= close {
                return None;
            }
            let (t, moved) = self.out_of_quiet(candidate)?;
            (t < close).then_some((t, moved))
        })
    }

    fn reminder(
        &self,
        kind: ReminderKind,
        id: String,
        fire_at: DateTime<Utc>,
        deep_link: String,
        code: &str,
        numbers: &[(&str, f64)],
    ) -> Reminder {
        let locale = self.settings.locale.as_str();
        let (title, body) = text::notification(kind, locale, numbers);
        Reminder {
            id,
            kind,
            fire_at,
            local_time: local_date_time(fire_at, self.tz),
            zone: self.zone.to_string(),
            title,
            body,
            deep_link,
            reason: Reason {
                code: code.to_string(),
                numbers: Reason::numbers(numbers),
                message: text::reason_message(code, locale, numbers),
            },
        }
    }

    fn long_run_reminders(&self, history: &History, out: &mut Vec<Reminder>) {
        // Slots are at most a few days after the run; older runs cannot produce one.
        let oldest_end = self
            .now
            .checked_sub_signed(Duration::days(HORIZON_DAYS))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        for run in long_runs(&history.runs, &self.settings.long_run) {
            if run.run.record.end < oldest_end {
                continue;
            }
            let mut answers: Vec<&CheckIn> = history
                .checkins
                .iter()
                .filter(|c| c.run_id.is_some_and(|id| run.ids.contains(&id)))
                .collect();
            crate::order::sort_by(&mut answers, |a, b| {
                a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
            });
            let known = run
                .ids
                .iter()
                .filter_map(|id| history.run_known_since.get(id))
                .min()
                .copied();
            match answers.as_slice() {
                [] => self.checkin(&run, known, out),
                // A second answer to the same run is the answer to the re-ask.
                [first] => self.reask(&run, first, history, out),
                _ => {}
            }
        }
    }

    /// The check-in: the first wake slot 8 h after the run; or, when the run became known
    /// only after that slot (`known`), a late check-in from that instant.
    fn checkin(&self, run: &Merged, known: Option<DateTime<Utc>>, out: &mut Vec<Reminder>) {
        let id = run.run.id;
        let end = run.run.record.end;
        let Some(earliest) = end.checked_add_signed(Duration::hours(CHECKIN_MIN_GAP_HOURS)) else {
            return;
        };
        let natural = self.wake_slot(earliest).map(|(t, _)| t);
        let late = known.filter(|k| natural.is_none_or(|slot| slot <= *k));
        let (earliest, code) = match late {
            None => (earliest, "long_run_checkin"),
            Some(k) => {
                if k - end > Duration::hours(LATE_CHECKIN_MAX_HOURS) {
                    return;
                }
                let Some(at_once) =
                    k.checked_add_signed(Duration::minutes(LATE_CHECKIN_DELAY_MINUTES))
                else {
                    return;
                };
                (at_once.max(earliest), "long_run_checkin_late")
            }
        };
        self.after_run(
            run,
            AfterRun {
                kind: ReminderKind::LongRunCheckIn,
                earliest,
                id: format!("checkin:{id}"),
                deep_link: format!("talus://checkin/{id}"),
                code,
            },
            out,
        );
    }

    fn reask(&self, run: &Merged, first: &CheckIn, history: &History, out: &mut Vec<Reminder>) {
        let status = classify_morning(first, history, &self.settings.locale, self.now)
            .map(|a| a.status)
            .unwrap_or(MorningStatus::Amber);
        let code = match status {
            MorningStatus::Green => return,
            MorningStatus::Amber => "reask_after_amber",
            MorningStatus::Red => "reask_after_red",
        };
        let id = run.run.id;
        let after_run = run
            .run
            .record
            .end
            .checked_add_signed(Duration::hours(REASK_MIN_GAP_HOURS));
        let after_answer = first
            .at
            .checked_add_signed(Duration::hours(REASK_AFTER_ANSWER_HOURS));
        let (Some(after_run), Some(after_answer)) = (after_run, after_answer) else {
            return;
        };
        self.after_run(
            run,
            AfterRun {
                kind: ReminderKind::LongRunReask,
                earliest: after_run.max(after_answer),
                id: format!("reask:{id}"),
                deep_link: format!("talus://checkin/{id}?reask=1"),
                code,
            },
            out,
        );
    }

    /// A reminder at the first wake-window slot at or after `what.earliest`.
    fn after_run(&self, run: &Merged, what: AfterRun, out: &mut Vec<Reminder>) {
        let end = run.run.record.end;
        let Some((fire_at, moved)) = self.wake_slot(what.earliest) else {
            return;
        };
        if !self.in_horizon(fire_at) {
            return;
        }
        let minutes = (end - run.run.record.start).num_minutes() as f64;
        out.push(self.reminder(
            what.kind,
            what.id,
            fire_at,
            what.deep_link,
            what.code,
            &[
                ("run_minutes", minutes),
                ("hours_after_run", hours(fire_at - end)),
                ("moved_out_of_quiet_hours", f64::from(u8::from(moved))),
            ],
        ));
    }

    fn daily_reminders(&self, history: &History, at: NaiveTime, out: &mut Vec<Reminder>) {
        let first = local_date(self.now, self.tz);
        let last = local_date(self.horizon, self.tz);
        for day in dates(first, last) {
            let finished = history
                .sessions
                .iter()
                .any(|s| s.planned_for == day && s.status == SessionStatus::Finished);
            if finished {
                continue;
            }
            let Ok(requested) = resolve_local(self.tz, day.and_time(at)) else {
                continue;
            };
            // A skipped local day resolves onto the next one: that day had no drill time.
            if local_date(requested, self.tz) != day {
                continue;
            }
            let Some((fire_at, moved)) = self.out_of_quiet(requested) else {
                continue;
            };
            if local_date(fire_at, self.tz) != day || !self.in_horizon(fire_at) {
                continue;
            }
            out.push(self.reminder(
                ReminderKind::DailyDrills,
                format!("daily:{}", crate::formats::date_text(day)),
                fire_at,
                "talus://session/today".into(),
                "daily_drills",
                &[("moved_out_of_quiet_hours", f64::from(u8::from(moved)))],
            ));
        }
    }

    /// Weekly from the last measurement's local date, at its local time of day (DESIGN.md
    /// §2: recheck weekly, same time of day). No measurement yet: nothing to retest.
    fn rom_reminders(&self, history: &History, out: &mut Vec<Reminder>) {
        let Some(last) = history
            .rom
            .iter()
            .max_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)))
        else {
            return;
        };
        let measured_in = parse_zone(&last.zone).unwrap_or(self.tz);
        let measured = local_date_time(last.at, measured_in);
        let today = local_date(self.now, self.tz);
        let last_day = local_date(self.horizon, self.tz);
        // Skip weeks already past, but start a week early: a due time moved out of quiet
        // hours can land after `now` on the following day.
        let weeks_past = (today - measured.date()).num_days().div_euclid(7) - 1;
        for week in weeks_past.max(1).. {
            let Some(due) = measured.date().checked_add_signed(Duration::weeks(week)) else {
                return;
            };
            if due > last_day {
                return;
            }
            let Ok(requested) = resolve_local(self.tz, due.and_time(measured.time())) else {
                continue;
            };
            let Some((fire_at, moved)) = self.out_of_quiet(requested) else {
                continue;
            };
            if !self.in_horizon(fire_at) {
                continue;
            }
            out.push(self.reminder(
                ReminderKind::RomRetest,
                format!("rom:{due}"),
                fire_at,
                "talus://rom/retest".into(),
                "rom_retest_due",
                &[
                    ("days_since_last", (week * 7) as f64),
                    ("moved_out_of_quiet_hours", f64::from(u8::from(moved))),
                ],
            ));
        }
    }
}

/// The records within a year of `now`. Nothing older or newer can produce a reminder in
/// the next week (long-run rules look back 30 days, baselines 28), and dropping absurd
/// instants keeps date arithmetic far from the edges of chrono's range, where it panics.
fn near(history: &History, now: DateTime<Utc>) -> History {
    let span = Duration::days(366);
    let from = now
        .checked_sub_signed(span)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let to = now
        .checked_add_signed(span)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let ok = |t: DateTime<Utc>| t >= from && t <= to;
    History {
        sessions: history.sessions.clone(),
        checkins: history
            .checkins
            .iter()
            .filter(|c| ok(c.at))
            .cloned()
            .collect(),
        runs: history
            .runs
            .iter()
            .filter(|r| ok(r.record.start) && ok(r.record.end))
            .cloned()
            .collect(),
        rom: history.rom.iter().filter(|m| ok(m.at)).cloned().collect(),
        progress: Vec::new(),
        safety: history.safety.clone(),
        run_known_since: history.run_known_since.clone(),
    }
}

fn hours(d: Duration) -> f64 {
    (d.num_minutes() as f64 / 6.0).round() / 10.0
}

fn dates(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}

/// What distinguishes the two reminders that follow a long run.
struct AfterRun {
    kind: ReminderKind,
    /// The earliest instant it may fire (then the first wake-window slot from there).
    earliest: DateTime<Utc>,
    id: String,
    deep_link: String,
    code: &'static str,
}
