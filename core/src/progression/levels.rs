//! Per-drill, per-side level changes: when a runner moves up or down a step, and why.
//!
//! A *level* is a drill of a progression chain plus an index into that drill's dosage levels.
//! One step up is the next dosage level, or — at the drill's top dosage — the next drill of
//! the chain at its first dosage; one step down is the mirror image (the chain's easier drill
//! at its top dosage). Levels are kept per leg for one-legged drills and once for two-footed
//! drills.
//!
//! Rules (after the Silbernagel et al. 2007 pain-monitoring model, with the pain-free rule for
//! mobilisations after Vicenzino et al. 2011):
//! - progress one step when, over the 7 local days before today, the drill was done on at
//!   least 3 days with a pain answer, in-session pain stayed within its policy (pain-free:
//!   ≤ 2; monitored: ≤ 5), every next morning was green (back to baseline), the weekly
//!   morning trend is not rising, and the level did not change in the last 7 days;
//! - regress one step after a set stopped by a pain rule, or after two amber-or-red mornings
//!   on consecutive days (evidence counted only after the level's last change, so one bad
//!   spell regresses once);
//! - hold otherwise, saying which condition failed.
//!
//! The one-step-a-week limit brakes progression only: backing off is never delayed, because
//! the model's answer to a flare is to reduce load at once. Missing data never counts in
//! favour of progressing (see `docs/adr/0002-progression-rules.md`).

use std::cell::OnceCell;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    had_long_run_recently, history_as_of, judge_morning, reason, rising_two_weeks, week_mean,
    DatedCheckins, MorningStatus, ProgressionError, MIN_BASELINE_MORNINGS,
};
use crate::catalog::{Catalog, Drill, PainPolicy, Sides};
use crate::domain::{CheckIn, DrillProgress, History, Reason, SetLog, Settings, Side};
use crate::schedule::long_run_ends;
use crate::time::{local_date, parse_zone};

/// Highest in-session pain that still allows progressing a pain-free drill (stretch sensation
/// only; ≥ 3/10 stops it — Vicenzino et al. 2011).
pub const PAIN_FREE_MAX: u8 = 2;
/// Highest in-session pain that still allows progressing a monitored (loading) drill
/// (Silbernagel et al. 2007: up to 5/10 acceptable).
pub const MONITORED_MAX: u8 = 5;
/// Days with the drill done (in the 7-day window) needed before progressing.
pub const MIN_SESSIONS: usize = 3;
/// Length of the evidence window, in local days.
pub const WINDOW_DAYS: i64 = 7;
/// Minimum days between two progressions of the same drill and side.
pub const MIN_DAYS_BETWEEN_STEPS: i64 = 7;

/// A rise of this many points on the 0–10 scale, from the first to the last pain answer of a
/// session (set over set) or from the first to the last session's worst answer (session over
/// session), holds the level even inside the pain limit: a 2-point change is the smallest
/// clinically important change on a 0–10 pain scale (Farrar et al. 2001).
pub const PAIN_RISE_HOLD: u8 = 2;

/// Stop codes the session runner writes when a pain rule ends a set.
const PAIN_STOP_CODES: &[&str] = &[
    "pain_free_limit_exceeded",
    "monitored_limit_exceeded",
    "severe_pain_referral",
];

/// A point on the level ladder: a drill and an index into its dosage levels.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LevelRef {
    pub drill_id: String,
    pub level: u32,
}

/// What a decision does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelChange {
    Progress,
    Regress,
    Hold,
}

/// One level decision for one drill and side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelDecision {
    /// The drill evaluated (the runner's current drill in its chain for this side).
    pub drill_id: String,
    /// The leg evaluated; `None` for two-footed drills.
    pub side: Option<Side>,
    pub from: LevelRef,
    /// Equal to `from` for [`LevelChange::Hold`].
    pub to: LevelRef,
    /// The side key the new level is stored under: `side`, except `None` when `to` is a
    /// two-footed drill or a two-footed drill moves on to a one-legged one (the record then
    /// applies to both legs until each leg has its own).
    pub to_side: Option<Side>,
    pub change: LevelChange,
    /// Stable code (`progress_ready`, `hold_*`, `regress_*`), the numbers behind it and a
    /// sentence in the runner's locale.
    pub reason: Reason,
}

/// Where one leg (or both feet) stands in a chain.
#[derive(Debug, Clone, Copy)]
pub(super) struct Position<'a> {
    pub drill: &'a Drill,
    pub level: u32,
    pub changed_at: Option<DateTime<Utc>>,
    chain_index: usize,
}

impl Position<'_> {
    /// Ordering key: further along the chain, then higher dosage.
    pub fn rank(&self) -> (usize, u32) {
        (self.chain_index, self.level)
    }
}

fn applies_to(p: &DrillProgress, side: Side) -> bool {
    p.side.is_none_or(|s| s == side)
}

fn top_level(drill: &Drill) -> u32 {
    u32::try_from(drill.dosage.len().saturating_sub(1)).unwrap_or(u32::MAX)
}

/// The leg's current position in `chain` from the progress records: the most recently
/// changed record of a chain drill that applies to the leg (ties: further along the chain).
/// Records are only ever upserted, so a drill left behind by a regression keeps its stale
/// record; recency, not height, says where the runner is.
pub(super) fn record_position<'a>(
    history: &History,
    chain: &[&'a Drill],
    side: Side,
) -> Option<Position<'a>> {
    history
        .progress
        .iter()
        .filter(|p| applies_to(p, side))
        .filter_map(|p| {
            let idx = chain.iter().position(|d| d.id == p.drill_id)?;
            let drill = chain[idx];
            Some(Position {
                drill,
                level: p.level.min(top_level(drill)),
                changed_at: Some(p.changed_at),
                chain_index: idx,
            })
        })
        .max_by_key(|p| (p.changed_at, p.chain_index, p.level))
}

/// The position today's plan uses for a chain: the lower of the two legs' positions (a
/// planned item has one dose for both legs, so the weaker leg sets it). A leg without a
/// record stands where it last trained in the chain (its latest set), as the level rules
/// evaluate it — otherwise a regression written for such a leg could plan it *higher* than
/// holding would; a leg with neither follows the other; with nothing at all, the chain's
/// first drill at level 0.
/// `sets` are the history's sets.
pub(super) fn plan_position<'a>(
    history: &History,
    sets: &SetsByDrill,
    chain: &[&'a Drill],
) -> Option<Position<'a>> {
    let leg =
        |side| record_position(history, chain, side).or_else(|| sets.done_position(chain, side));
    let left = leg(Side::Left);
    let right = leg(Side::Right);
    match (left, right) {
        (Some(l), Some(r)) => Some(if r.rank() < l.rank() { r } else { l }),
        (Some(p), None) | (None, Some(p)) => Some(p),
        (None, None) => chain.first().map(|d| Position {
            drill: d,
            level: 0,
            changed_at: None,
            chain_index: 0,
        }),
    }
}

/// A set with the date of the session it belongs to.
struct DatedSet<'h> {
    date: NaiveDate,
    /// Index of the session in the history (sets of one session share it).
    session: usize,
    set: &'h SetLog,
}

fn limit_of(policy: PainPolicy) -> u8 {
    match policy {
        PainPolicy::PainFree => PAIN_FREE_MAX,
        PainPolicy::Monitored => MONITORED_MAX,
    }
}

/// A set ended by a pain rule: stopped, with a pain stop code or a pain answer above the
/// drill's limit. A set the runner stopped for another reason is not a pain signal; a set
/// logged above the limit but not stopped (the runner carried on) makes the level hold
/// (`hold_pain_above_policy`) rather than regress, as the rule names stopped sets.
fn pain_stop(set: &SetLog, limit: u8) -> bool {
    set.stopped
        && (set
            .reason_code
            .as_deref()
            .is_some_and(|c| PAIN_STOP_CODES.contains(&c))
            || set.pain.is_some_and(|p| p.value() > limit))
}

/// Everything [`evaluate_levels`] needs that does not depend on the drill.
struct Context<'h> {
    today: NaiveDate,
    now: DateTime<Utc>,
    locale: &'h str,
    /// Latest check-in per local date (in the check-in's own zone), with its traffic light
    /// and whether it was judged against a baseline; by date (see [`date_slot`]).
    mornings: Vec<(NaiveDate, Morning<'h>)>,
    /// Mornings the baseline at `now` rests on.
    baseline_mornings: usize,
    sets: Vec<DatedSet<'h>>,
    /// Where each drill's sets are in `sets`, in order, by drill id (a map without a
    /// B-tree of its own, as [`date_slot`]): each decision reads its own drill's only.
    by_drill: Vec<(&'h str, Vec<usize>)>,
    trend_rising: bool,
    long_run_end: Option<DateTime<Utc>>,
}

impl<'h> Context<'h> {
    /// The sets of `drill_id` in the window, in the order of `sets`.
    fn sets_of(&self, drill_id: &str) -> impl Iterator<Item = &DatedSet<'h>> {
        let indices = match self.by_drill.binary_search_by_key(&drill_id, |e| e.0) {
            Ok(at) => self.by_drill.get(at).map(|e| e.1.as_slice()),
            Err(_) => None,
        };
        indices
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.sets.get(i))
    }
}

/// The value of `drill_id` in `map` (by drill id), added as the default when missing.
/// `last` is the entry asked for before, tried first: a session logs a drill's sets one
/// after another.
fn drill_entry<'m, 'h, V: Default>(
    map: &'m mut Vec<(&'h str, V)>,
    last: &mut Option<usize>,
    drill_id: &'h str,
) -> Option<&'m mut V> {
    let at = match last.filter(|&i| map.get(i).is_some_and(|e| e.0 == drill_id)) {
        Some(at) => at,
        None => match map.binary_search_by_key(&drill_id, |e| e.0) {
            Ok(at) => at,
            Err(at) => {
                map.insert(at, (drill_id, V::default()));
                at
            }
        },
    };
    *last = Some(at);
    map.get_mut(at).map(|e| &mut e.1)
}

/// Where each drill's sets are in `sets`, in order, by drill id.
fn index_by_drill<'h>(sets: &[DatedSet<'h>]) -> Vec<(&'h str, Vec<usize>)> {
    let mut map: Vec<(&'h str, Vec<usize>)> = Vec::new();
    let mut last = None;
    for (index, s) in sets.iter().enumerate() {
        if let Some(indices) = drill_entry(&mut map, &mut last, s.set.drill_id.as_str()) {
            indices.push(index);
        }
    }
    map
}

/// One morning as the level rules see it.
struct Morning<'h> {
    checkin: &'h CheckIn,
    status: MorningStatus,
    /// Judged against a baseline (not the stricter no-baseline fallback).
    has_baseline: bool,
}

fn side_key(drill: &Drill, side: Side) -> Option<Side> {
    match drill.sides {
        Sides::Both => None,
        Sides::Each => Some(side),
    }
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// Evaluates every drill the runner has a level for, or did in the last 7 days, per side:
/// progress, regress or hold, each with its reason.
///
/// Errors: an unknown `zone` (or an unknown zone on a check-in). Records stamped after `now`
/// (merged from a peer whose clock runs fast) count as made at `now` ([`super::history_as_of`]),
/// never as an error: time checks are for this device's own input only. Drill ids the catalog does not know (retired
/// drills in old history) are not an error: they get a [`LevelChange::Hold`] with code
/// `hold_unknown_drill` and are otherwise ignored, so one stale id cannot block the rest.
pub fn evaluate_levels(
    catalog: &Catalog,
    settings: &Settings,
    history: &History,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<LevelDecision>, ProgressionError> {
    let ends = long_run_ends(&history.runs, &settings.long_run);
    evaluate_levels_after(catalog, settings, history, &ends, now, zone)
}

/// [`evaluate_levels`] with the history's long-run ends already known
/// (`schedule::long_run_ends` of `history.runs` and `settings.long_run`), so a caller that
/// plans the day too judges the runs once.
pub(crate) fn evaluate_levels_after(
    catalog: &Catalog,
    settings: &Settings,
    history: &History,
    long_run_ends: &[DateTime<Utc>],
    now: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<LevelDecision>, ProgressionError> {
    let tz = parse_zone(zone)?;
    let history = &*history_as_of(history, now);
    let locale = settings.locale.as_str();
    let today = local_date(now, tz);
    let first_day = today
        .checked_sub_signed(days(WINDOW_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let mut sets = Vec::new();
    for (index, session) in history.sessions.iter().enumerate() {
        for set in &session.sets {
            if session.planned_for >= first_day && session.planned_for <= today {
                sets.push(DatedSet {
                    date: session.planned_for,
                    session: index,
                    set,
                });
            }
        }
    }
    let dated = DatedCheckins::new(history);
    let mut mornings: Vec<(NaiveDate, Morning)> = Vec::new();
    for (c, date) in dated.iter() {
        let date = match date {
            Some(date) => date,
            // An unknown zone on a check-in is an error here.
            None => local_date(c.at, parse_zone(&c.zone)?),
        };
        if date < first_day || date > today {
            continue;
        }
        let slot = date_slot(&mornings, date);
        if slot.is_ok_and(|i| {
            mornings
                .get(i)
                .is_some_and(|(_, prev)| (prev.checkin.at, prev.checkin.id) >= (c.at, c.id))
        }) {
            continue;
        }
        let judged = judge_morning(c, now, |at| dated.baseline(at))?;
        let morning = Morning {
            checkin: c,
            status: judged.status,
            has_baseline: judged.baseline.is_some(),
        };
        match slot {
            Ok(i) => {
                if let Some(entry) = mornings.get_mut(i) {
                    entry.1 = morning;
                }
            }
            Err(i) => mornings.insert(i, (date, morning)),
        }
    }
    let long_run_end = long_run_ends
        .iter()
        .copied()
        .filter(|end| had_long_run_recently(&[*end], now))
        .max();
    let ctx = Context {
        today,
        now,
        locale,
        mornings,
        baseline_mornings: dated.mornings(now),
        by_drill: index_by_drill(&sets),
        sets,
        trend_rising: rising_two_weeks(history, now),
        long_run_end,
    };

    let mut decisions = Vec::new();
    // Ids the catalog does not know: reported once each, never evaluated.
    let mut last_known: Option<&str> = None;
    // Distinct, in order (a set without a B-tree of its own, as [`date_slot`]).
    let mut unknown: Vec<(String, Option<Side>)> = Vec::new();
    let unknown_ids = history
        .progress
        .iter()
        .map(|p| (p.drill_id.as_str(), p.side, 0))
        .chain(
            ctx.sets
                .iter()
                .map(|s| (s.set.drill_id.as_str(), s.set.side, s.set.level)),
        )
        .filter(|(id, _, _)| {
            // Records and sets of one drill come together: look each run of them up once.
            if last_known == Some(*id) {
                return false;
            }
            let known = catalog.drill(id).is_ok();
            if known {
                last_known = Some(*id);
            }
            !known
        })
        .map(|(id, side, _)| (id.chars().take(64).collect::<String>(), side));
    for key in unknown_ids {
        if let Err(at) = unknown.binary_search(&key) {
            unknown.insert(at, key);
        }
    }
    for (id, side) in unknown {
        let at = LevelRef {
            drill_id: id.clone(),
            level: 0,
        };
        decisions.push(LevelDecision {
            drill_id: id,
            side,
            from: at.clone(),
            to: at,
            to_side: side,
            change: LevelChange::Hold,
            reason: reason("hold_unknown_drill", &[], locale),
        });
    }

    let window = SetsByDrill::new(ctx.sets.iter().map(|s| s.set).collect());
    for ids in catalog.chain_ids().values() {
        let chain: Vec<&Drill> = ids.iter().filter_map(|id| catalog.drill(id).ok()).collect();
        let mut units: Vec<(Option<Side>, Position)> = Vec::new();
        for side in [Side::Left, Side::Right] {
            let Some(pos) = record_position(history, &chain, side)
                .or_else(|| window.done_position(&chain, side))
            else {
                continue;
            };
            let key = side_key(pos.drill, side);
            match units
                .iter_mut()
                .find(|(k, p)| *k == key && p.drill.id == pos.drill.id)
            {
                // A two-footed drill is one unit for both legs: it stands where the weaker
                // leg stands (as `plan_position` plans it), and its last change is either
                // leg's latest, so a leg's recent change keeps the weekly pace.
                Some((_, unit)) => {
                    let changed_at = unit.changed_at.max(pos.changed_at);
                    if pos.rank() < unit.rank() {
                        *unit = pos;
                    }
                    unit.changed_at = changed_at;
                }
                None => units.push((key, pos)),
            }
        }
        let mut chain_decisions: Vec<LevelDecision> = units
            .iter()
            .map(|(side, pos)| decide(catalog, history, &ctx, *side, pos))
            .collect();
        share_two_footed_regression(catalog, &chain, &mut chain_decisions, locale);
        decisions.extend(chain_decisions);
    }
    Ok(decisions)
}

/// Each drill's latest set per leg, worked out on first use, so each chain looks up its
/// own drills only (every chain and leg asks, and most histories need it for none).
pub(super) struct SetsByDrill<'h> {
    sets: Vec<&'h SetLog>,
    /// By drill id (a map without a B-tree of its own, as [`date_slot`]): the latest
    /// non-skipped set of the left and of the right leg as `(instant, level)`; a set for
    /// both feet counts for each leg.
    latest: OnceCell<Vec<(&'h str, LatestByLeg)>>,
}

/// The latest non-skipped set of the left and of the right leg, as `(instant, level)`.
type LatestByLeg = [Option<(DateTime<Utc>, u32)>; 2];

fn leg(side: Side) -> usize {
    match side {
        Side::Left => 0,
        Side::Right => 1,
    }
}

impl<'h> SetsByDrill<'h> {
    pub(super) fn new(sets: Vec<&'h SetLog>) -> SetsByDrill<'h> {
        SetsByDrill {
            sets,
            latest: OnceCell::new(),
        }
    }

    fn latest(&self) -> &[(&'h str, LatestByLeg)] {
        self.latest.get_or_init(|| {
            let mut map: Vec<(&str, LatestByLeg)> = Vec::new();
            let mut last = None;
            for set in self.sets.iter().filter(|s| !s.skipped) {
                let Some(legs) = drill_entry(&mut map, &mut last, set.drill_id.as_str()) else {
                    continue;
                };
                let legs: &mut [_] = match set.side {
                    Some(side) => legs.get_mut(leg(side)..=leg(side)).unwrap_or_default(),
                    None => legs,
                };
                for latest in legs {
                    *latest = (*latest).max(Some((set.at, set.level)));
                }
            }
            map
        })
    }

    /// A leg without a progress record: the drill (and dosage level) of its latest set,
    /// so a drill done but never levelled is still evaluated (and planned where it was
    /// done). The latest by (instant, chain index, level) among the leg's non-skipped sets
    /// of the chain's drills.
    fn done_position<'a>(&self, chain: &[&'a Drill], side: Side) -> Option<Position<'a>> {
        let latest = self.latest();
        chain
            .iter()
            .enumerate()
            .filter_map(|(idx, drill)| {
                let at = latest
                    .binary_search_by_key(&drill.id.as_str(), |e| e.0)
                    .ok()?;
                let (when, level) = (*latest.get(at)?.1.get(leg(side))?)?;
                Some((when, idx, level))
            })
            .max()
            .and_then(|(_, idx, level)| {
                let drill = *chain.get(idx)?;
                Some(Position {
                    drill,
                    level: level.min(top_level(drill)),
                    changed_at: None,
                    chain_index: idx,
                })
            })
    }
}

fn step_up(catalog: &Catalog, pos: &Position) -> Option<LevelRef> {
    if pos.level < top_level(pos.drill) {
        return Some(LevelRef {
            drill_id: pos.drill.id.clone(),
            level: pos.level + 1,
        });
    }
    let next = catalog.next_level(&pos.drill.id).ok().flatten()?;
    Some(LevelRef {
        drill_id: next.id.clone(),
        level: 0,
    })
}

fn step_down(catalog: &Catalog, pos: &Position) -> Option<(LevelRef, Sides)> {
    if pos.level > 0 {
        return Some((
            LevelRef {
                drill_id: pos.drill.id.clone(),
                level: pos.level - 1,
            },
            pos.drill.sides,
        ));
    }
    let prev = catalog.previous_level(&pos.drill.id).ok().flatten()?;
    Some((
        LevelRef {
            drill_id: prev.id.clone(),
            level: top_level(prev),
        },
        prev.sides,
    ))
}

/// The decision for one drill and side.
fn decide(
    catalog: &Catalog,
    history: &History,
    ctx: &Context,
    side: Option<Side>,
    pos: &Position,
) -> LevelDecision {
    let drill = pos.drill;
    let from = LevelRef {
        drill_id: drill.id.clone(),
        level: pos.level,
    };
    let hold = |code: &str, numbers: &[(&str, f64)]| LevelDecision {
        drill_id: drill.id.clone(),
        side,
        from: from.clone(),
        to: from.clone(),
        to_side: side,
        change: LevelChange::Hold,
        reason: reason(code, numbers, ctx.locale),
    };
    match history.safety.state() {
        s if s.is_locked() => return hold("hold_locked_by_red_flag", &[]),
        s if s.blocks_drills() => return hold("hold_paused_severe_pain", &[]),
        _ => {}
    }
    let limit = limit_of(drill.pain_policy);
    let since = pos.changed_at;
    // This drill's sets for this leg since the level last changed.
    let mine: Vec<&DatedSet> = ctx
        .sets_of(&drill.id)
        .filter(|s| !s.set.skipped)
        .filter(|s| match side {
            Some(leg) => s.set.side.is_none_or(|x| x == leg),
            None => true,
        })
        .filter(|s| since.is_none_or(|c| s.set.at > c))
        .collect();

    // --- regress: a pain-rule stop, or two amber-or-red mornings in a row ---
    let stops: Vec<&&DatedSet> = mine.iter().filter(|s| pain_stop(s.set, limit)).collect();
    let trigger: Option<(&str, Vec<(&str, f64)>)> = if !stops.is_empty() {
        let worst = stops
            .iter()
            .filter_map(|s| s.set.pain.map(|p| f64::from(p.value())))
            .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
        let mut n = vec![
            ("stopped_sets", stops.len() as f64),
            ("limit", f64::from(limit)),
        ];
        if let Some(w) = worst {
            n.push(("pain", w));
        }
        Some(("regress_stopped_set", n))
    } else {
        two_bad_mornings(ctx, since).map(|(a, b)| {
            (
                "regress_two_amber_mornings",
                vec![
                    ("amber_mornings", 2.0),
                    ("first_day_ago", a),
                    ("second_day_ago", b),
                ],
            )
        })
    };
    if let Some((code, numbers)) = trigger {
        return match step_down(catalog, pos) {
            Some((to, target_sides)) => LevelDecision {
                drill_id: drill.id.clone(),
                side,
                from: from.clone(),
                to,
                to_side: if target_sides == Sides::Both {
                    None
                } else {
                    side
                },
                change: LevelChange::Regress,
                reason: reason(code, &numbers, ctx.locale),
            },
            None => {
                let mut n = numbers.clone();
                n.push(("level", f64::from(pos.level)));
                hold("hold_bottom_of_chain", &n)
            }
        };
    }

    // --- progress: every condition must hold; the first that fails is the reason ---
    let tenths = |d: Duration| (d.num_hours() as f64 / 24.0 * 10.0).floor() / 10.0;
    if let Some(c) = since {
        if ctx.now - c < days(MIN_DAYS_BETWEEN_STEPS) {
            return hold(
                "hold_changed_this_week",
                &[
                    ("days_since_change", tenths(ctx.now - c)),
                    ("min_days", MIN_DAYS_BETWEEN_STEPS as f64),
                ],
            );
        }
    } else {
        // No level record: the level started with the first set done at it, on a local date
        // at least a week before today. A drill without a record gets no exemption from the
        // weekly pace (missing data never helps).
        let started = started_on(ctx, drill, side, pos.level);
        let since = started.map(|d| (ctx.today - d).num_days());
        if since.is_none_or(|n| n < MIN_DAYS_BETWEEN_STEPS) {
            return hold(
                "hold_started_this_week",
                &[
                    ("days_since_start", since.unwrap_or(0) as f64),
                    ("min_days", MIN_DAYS_BETWEEN_STEPS as f64),
                ],
            );
        }
    }
    if let Some(end) = ctx.long_run_end {
        return hold(
            "hold_after_long_run",
            &[("hours_since_run", (ctx.now - end).num_hours() as f64)],
        );
    }
    // Evidence days: the 7 local days before today, each with its next morning ≤ today. Only
    // sets done at this dosage or above count: a leg planned below its level (the weaker leg
    // sets a shared item's dose) gathers no evidence for the step beyond it.
    let evidence: Vec<&&DatedSet> = mine
        .iter()
        .filter(|s| s.date < ctx.today && s.set.level >= pos.level)
        .collect();
    // Distinct dates, in order.
    let mut days_with_pain: Vec<NaiveDate> = Vec::new();
    let mut days_done: Vec<NaiveDate> = Vec::new();
    let mut max_pain: u8 = 0;
    for s in &evidence {
        add_date(&mut days_done, s.date);
        if let Some(p) = s.set.pain {
            add_date(&mut days_with_pain, s.date);
            max_pain = max_pain.max(p.value());
        }
    }
    if days_with_pain.len() < MIN_SESSIONS {
        return hold(
            "hold_too_few_sessions",
            &[
                ("sessions", days_with_pain.len() as f64),
                ("required", MIN_SESSIONS as f64),
                (
                    "days_without_pain_answer",
                    days_done.len().saturating_sub(days_with_pain.len()) as f64,
                ),
            ],
        );
    }
    if max_pain > limit {
        return hold(
            "hold_pain_above_policy",
            &[
                ("max_pain", f64::from(max_pain)),
                ("limit", f64::from(limit)),
            ],
        );
    }
    if let Some(rise) = pain_rise(&mine) {
        return hold(
            "hold_pain_rising",
            &[
                ("first_pain", f64::from(rise.first)),
                ("last_pain", f64::from(rise.last)),
                ("rise_limit", f64::from(PAIN_RISE_HOLD)),
                ("within_session", f64::from(u8::from(rise.within_session))),
            ],
        );
    }
    if ctx.trend_rising {
        let week = |k: i64| {
            week_mean(history, ctx.now - days(7 * (k + 1)), ctx.now - days(7 * k)).unwrap_or(0.0)
        };
        return hold(
            "hold_trend_rising",
            &[
                ("this_week", week(0)),
                ("last_week", week(1)),
                ("week_before", week(2)),
            ],
        );
    }
    let next_mornings: Vec<Option<&Morning>> = days_done
        .iter()
        .map(|d| {
            let next = d.succ_opt()?;
            let i = date_slot(&ctx.mornings, next).ok()?;
            ctx.mornings.get(i).map(|(_, m)| m)
        })
        .collect();
    let unjudged = next_mornings
        .iter()
        .flatten()
        .filter(|m| !m.has_baseline)
        .count();
    if ctx.baseline_mornings < MIN_BASELINE_MORNINGS || unjudged > 0 {
        return hold(
            "hold_no_baseline",
            &[
                ("baseline_mornings", ctx.baseline_mornings as f64),
                ("required", MIN_BASELINE_MORNINGS as f64),
                ("unjudged_mornings", unjudged as f64),
            ],
        );
    }
    let mut missing = 0usize;
    let mut unsettled = 0usize;
    for m in &next_mornings {
        match m {
            None => missing += 1,
            Some(m) if m.status == MorningStatus::Green => {}
            Some(_) => unsettled += 1,
        }
    }
    if missing + unsettled > 0 {
        return hold(
            "hold_morning_not_settled",
            &[
                ("sessions", days_done.len() as f64),
                ("missing_mornings", missing as f64),
                ("unsettled_mornings", unsettled as f64),
            ],
        );
    }
    let ready = [
        ("sessions", days_with_pain.len() as f64),
        ("max_pain", f64::from(max_pain)),
        ("limit", f64::from(limit)),
    ];
    match step_up(catalog, pos) {
        Some(to) => {
            let to_side = if to.drill_id != drill.id && drill.sides == Sides::Both {
                None
            } else {
                side
            };
            LevelDecision {
                drill_id: drill.id.clone(),
                side,
                from: from.clone(),
                to,
                to_side,
                change: LevelChange::Progress,
                reason: reason("progress_ready", &ready, ctx.locale),
            }
        }
        None => hold("hold_top_of_chain", &ready),
    }
}

/// When the runner started the level of a drill that has no level record, as far as the
/// evidence window shows: the local date of the first set of the drill done on this leg at
/// `level` or above within the last [`WINDOW_DAYS`] days (`None` when there is none). The
/// window, not the whole history, so the decision is the same however much history the
/// caller loaded; a start before the window shows as the window's first day.
fn started_on(ctx: &Context, drill: &Drill, side: Option<Side>, level: u32) -> Option<NaiveDate> {
    ctx.sets_of(&drill.id)
        .filter(|s| !s.set.skipped && s.set.level >= level)
        .filter(|s| match side {
            Some(leg) => s.set.side.is_none_or(|x| x == leg),
            None => true,
        })
        .map(|s| s.date)
        .min()
}

/// One pain answer: when, which set, how much.
type Answer = (DateTime<Utc>, u32, u8);

/// A pain rise that holds the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PainRise {
    first: u8,
    last: u8,
    within_session: bool,
}

/// Pain rising by at least [`PAIN_RISE_HOLD`] points set over set (first to last answered
/// set of one session, in the order done) or session over session (first to last session's
/// worst answer, in date order). Raising any later answer at least as much as every earlier
/// one can only make a rise appear, never disappear (the monotonicity the property tests
/// check).
fn pain_rise(sets: &[&DatedSet]) -> Option<PainRise> {
    // Per session (by its index): its date and its answers in the order done.
    let mut sessions: Vec<(usize, NaiveDate, Vec<Answer>)> = Vec::new();
    for s in sets {
        if let Some(p) = s.set.pain {
            let at = match sessions.binary_search_by_key(&s.session, |e| e.0) {
                Ok(at) => at,
                Err(at) => {
                    sessions.insert(at, (s.session, s.date, Vec::new()));
                    at
                }
            };
            if let Some(session) = sessions.get_mut(at) {
                session.2.push((s.set.at, s.set.set_index, p.value()));
            }
        }
    }
    let mut peaks: Vec<(NaiveDate, DateTime<Utc>, u8)> = Vec::new();
    for (_, date, answers) in &mut sessions {
        crate::order::sort(answers);
        let (Some(first), Some(last)) = (answers.first(), answers.last()) else {
            continue;
        };
        if last.2 >= first.2.saturating_add(PAIN_RISE_HOLD) {
            return Some(PainRise {
                first: first.2,
                last: last.2,
                within_session: true,
            });
        }
        let peak = answers.iter().map(|a| a.2).max().unwrap_or(0);
        peaks.push((*date, first.0, peak));
    }
    crate::order::sort(&mut peaks);
    match (peaks.first(), peaks.last()) {
        (Some(first), Some(last)) if last.2 >= first.2.saturating_add(PAIN_RISE_HOLD) => {
            Some(PainRise {
                first: first.2,
                last: last.2,
                within_session: false,
            })
        }
        _ => None,
    }
}

/// Two amber-or-red mornings on consecutive local days, both after the last level change;
/// returns how many days ago each was.
fn two_bad_mornings(ctx: &Context, since: Option<DateTime<Utc>>) -> Option<(f64, f64)> {
    let bad: Vec<NaiveDate> = ctx
        .mornings
        .iter()
        .filter(|(_, m)| m.status != MorningStatus::Green && since.is_none_or(|s| m.checkin.at > s))
        .map(|&(d, _)| d)
        .collect();
    bad.windows(2)
        .rev()
        .find(|w| w[1] - w[0] == days(1))
        .map(|w| {
            let ago = |d: NaiveDate| (ctx.today - d).num_days() as f64;
            (ago(w[0]), ago(w[1]))
        })
}

/// Where `date` is (`Ok`) or would go (`Err`) among entries kept in date order: a map by
/// date without a B-tree of its own (each key and value type of a `BTreeMap` is its own code
/// in the phone library).
fn date_slot<T>(entries: &[(NaiveDate, T)], date: NaiveDate) -> Result<usize, usize> {
    entries.binary_search_by_key(&date, |e| e.0)
}

/// Adds `date` to distinct dates kept in order (a set by date, as [`date_slot`]).
fn add_date(dates: &mut Vec<NaiveDate>, date: NaiveDate) {
    if let Err(at) = dates.binary_search(&date) {
        dates.insert(at, date);
    }
}

/// A two-footed drill carries both legs: when one leg regresses into it, the legs share one
/// record (no side). The other leg goes down with it, whatever its own evidence said; if the
/// other leg already stands *lower* (a leg without a record where it last trained, or its own
/// regression went further), the shared level is that lower one instead — a regression never
/// moves a leg up (ADR 0002, monotonic safety; found by the property test).
fn share_two_footed_regression(
    catalog: &Catalog,
    chain: &[&Drill],
    decisions: &mut [LevelDecision],
    locale: &str,
) {
    let rank = |r: &LevelRef| (chain.iter().position(|d| d.id == r.drill_id), r.level);
    let two_footed = |r: &LevelRef| {
        catalog
            .drill(&r.drill_id)
            .is_ok_and(|t| t.sides == Sides::Both)
    };
    let Some((index, leg)) = decisions.iter().enumerate().find_map(|(i, d)| {
        (d.change == LevelChange::Regress && d.side.is_some() && two_footed(&d.to))
            .then_some((i, d.side))
    }) else {
        return;
    };
    let Some(mut to) = decisions.get(index).map(|d| d.to.clone()) else {
        return;
    };
    // The lowest place any other unit ends up (the other leg, or a two-footed unit that
    // stands for both), if it is below the shared target.
    let lowest = decisions
        .iter()
        .filter(|d| d.side != leg)
        .map(|d| d.to.clone())
        .min_by_key(|r| rank(r));
    if let Some(low) = lowest.filter(|l| rank(l) < rank(&to)) {
        let shared = two_footed(&low);
        to = low;
        if let Some(d) = decisions.get_mut(index) {
            d.to = to.clone();
            d.to_side = if shared { None } else { d.side };
        }
        if !shared {
            return;
        }
    }
    for d in decisions.iter_mut() {
        if d.side.is_some() && d.side != leg && d.to != to {
            d.to = to.clone();
            d.to_side = None;
            d.change = LevelChange::Regress;
            d.reason = reason(
                "regress_two_footed_shared",
                &[("level", f64::from(to.level))],
                locale,
            );
        }
    }
}

/// The progress records to store for `decisions`: one per progress or regress, stamped
/// `now`, keyed like the store (`drill_id`, side). Holds write nothing; a decision whose
/// `from` no longer matches the record it was made from (the level changed meanwhile) is
/// dropped; two decisions with the same target write it once. Upserting every
/// returned record brings the store to the new state; old records of drills left behind stay
/// and are outranked by recency.
pub fn apply_decisions(
    progress: &[DrillProgress],
    decisions: &[LevelDecision],
    now: DateTime<Utc>,
) -> Vec<DrillProgress> {
    let mut out: Vec<DrillProgress> = Vec::new();
    for d in decisions {
        if d.change == LevelChange::Hold {
            continue;
        }
        let stale = progress
            .iter()
            .any(|p| p.drill_id == d.from.drill_id && p.side == d.side && p.level != d.from.level);
        if stale {
            continue;
        }
        // The target is written even when its record already holds that level: recency is
        // what makes it current again after a regression.
        let already = out
            .iter()
            .any(|p| p.drill_id == d.to.drill_id && p.side == d.to_side);
        if already {
            continue;
        }
        out.push(DrillProgress {
            drill_id: d.to.drill_id.clone(),
            side: d.to_side,
            level: d.to.level,
            changed_at: now,
        });
    }
    out
}

/// The level records after `changes` are written ([`apply_decisions`]' output), as the
/// store reads them back: each change replaces the record of its drill and side or adds
/// one, ordered by drill id and then side as stored (`both`, `left`, `right`).
pub fn with_level_changes(
    progress: &[DrillProgress],
    changes: &[DrillProgress],
) -> Vec<DrillProgress> {
    let mut out: Vec<DrillProgress> = progress
        .iter()
        .filter(|p| {
            !changes
                .iter()
                .any(|c| c.drill_id == p.drill_id && c.side == p.side)
        })
        .cloned()
        .collect();
    // Stored to the millisecond.
    out.extend(
        changes.iter().map(|c| DrillProgress {
            changed_at: DateTime::from_timestamp_millis(c.changed_at.timestamp_millis())
                .unwrap_or(c.changed_at),
            ..c.clone()
        }),
    );
    let stored_side = |side: Option<Side>| side.map_or("both", Side::as_str);
    crate::order::sort_by(&mut out, |a, b| {
        (a.drill_id.as_str(), stored_side(a.side)).cmp(&(b.drill_id.as_str(), stored_side(b.side)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::{BTreeMap, BTreeSet};

    fn at(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, d, 8, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn decision(
        change: LevelChange,
        from: u32,
        to: (&str, u32),
        to_side: Option<Side>,
    ) -> LevelDecision {
        LevelDecision {
            drill_id: "banded_df_mob".into(),
            side: Some(Side::Left),
            from: LevelRef {
                drill_id: "banded_df_mob".into(),
                level: from,
            },
            to: LevelRef {
                drill_id: to.0.into(),
                level: to.1,
            },
            to_side,
            change,
            reason: Reason::default(),
        }
    }

    fn record(level: u32) -> DrillProgress {
        DrillProgress {
            drill_id: "banded_df_mob".into(),
            side: Some(Side::Left),
            level,
            changed_at: at(1),
        }
    }

    #[test]
    fn apply_writes_changes_only_and_drops_stale_decisions() {
        let progress = [record(1)];
        let up = decision(
            LevelChange::Progress,
            1,
            ("banded_df_mob", 2),
            Some(Side::Left),
        );
        let hold = decision(LevelChange::Hold, 1, ("banded_df_mob", 1), Some(Side::Left));
        let out = apply_decisions(&progress, &[up.clone(), hold], at(10));
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].level, out[0].changed_at), (2, at(10)));
        // Made from level 0, but the store now says 1: stale, nothing written.
        let stale = decision(
            LevelChange::Progress,
            0,
            ("banded_df_mob", 1),
            Some(Side::Left),
        );
        assert!(apply_decisions(&progress, &[stale], at(10)).is_empty());
        // Two legs regressing into the same two-footed target write it once.
        let a = decision(LevelChange::Regress, 1, ("double_leg_calf_raise", 1), None);
        let mut b = a.clone();
        b.side = Some(Side::Right);
        assert_eq!(apply_decisions(&[], &[a, b], at(10)).len(), 1);
    }

    #[test]
    fn only_pain_stops_are_pain_signals() {
        let mut set = SetLog {
            drill_id: "banded_df_mob".into(),
            side: Some(Side::Left),
            set_index: 0,
            level: 0,
            target_reps: None,
            reps_done: None,
            target_hold_s: None,
            hold_s_done: None,
            pain: crate::domain::Score::new(3).ok(),
            stretch: false,
            stopped: false,
            skipped: false,
            reason_code: None,
            note: None,
            at: at(1),
        };
        assert!(!pain_stop(&set, PAIN_FREE_MAX), "carried on: not a stop");
        set.stopped = true;
        assert!(pain_stop(&set, PAIN_FREE_MAX), "stopped above the limit");
        assert!(
            !pain_stop(&set, MONITORED_MAX),
            "3/10 is within the monitored limit"
        );
        set.reason_code = Some("monitored_limit_exceeded".into());
        assert!(
            pain_stop(&set, MONITORED_MAX),
            "the runner's pain code counts"
        );
    }

    #[test]
    fn reasons_have_german_sentences() {
        let en = reason(
            "hold_changed_this_week",
            &[("days_since_change", 3.0), ("min_days", 7.0)],
            "en",
        );
        let de = reason(
            "hold_changed_this_week",
            &[("days_since_change", 3.0), ("min_days", 7.0)],
            "de",
        );
        assert!(en.message.contains("3 days ago"));
        assert!(de.message.contains("vor 3 Tagen"));
        for code in [
            "progress_ready",
            "hold_too_few_sessions",
            "hold_pain_above_policy",
            "hold_morning_not_settled",
            "hold_trend_rising",
            "hold_started_this_week",
            "hold_pain_rising",
            "hold_no_baseline",
            "hold_after_long_run",
            "hold_top_of_chain",
            "hold_bottom_of_chain",
            "hold_locked_by_red_flag",
            "hold_paused_severe_pain",
            "hold_unknown_drill",
            "regress_stopped_set",
            "regress_two_amber_mornings",
            "regress_two_footed_shared",
        ] {
            let (e, d) = (
                reason(code, &[], "en").message,
                reason(code, &[], "de").message,
            );
            assert!(
                !e.contains('_') && e != code.replace('_', " "),
                "{code} has no English text"
            );
            assert_ne!(e, d, "{code} has no German text");
        }
    }

    /// `done_position` as first written: every leg filters all the chain's sets, taking
    /// the latest by (instant, chain index, level) (the oracle for the per-leg table).
    fn done_position_by_filtering<'a>(
        sets: &[&SetLog],
        chain: &[&'a Drill],
        side: Side,
    ) -> Option<(&'a str, u32, usize)> {
        chain
            .iter()
            .enumerate()
            .filter_map(|(idx, drill)| {
                sets.iter()
                    .filter(|s| s.drill_id == drill.id)
                    .filter(|s| !s.skipped && s.side.is_none_or(|x| x == side))
                    .map(|s| (s.at, idx, s.level))
                    .max()
            })
            .max()
            .map(|(_, idx, level)| {
                let drill = chain[idx];
                (drill.id.as_str(), level.min(top_level(drill)), idx)
            })
    }

    proptest::proptest! {
        /// The latest set per drill and leg, worked out once, places every leg of every
        /// chain where filtering all the sets does: skipped sets, sets for both feet, sets
        /// of drills outside the chain, ties in time and levels beyond the drill's top.
        #[test]
        fn done_position_from_the_table_equals_filtering_every_set(
            sets in proptest::collection::vec(
                (0usize..12, 0u8..3, 0u32..6, 0u32..8, proptest::bool::weighted(0.2)),
                0..60,
            )
        ) {
            let catalog = Catalog::embedded().expect("embedded catalog");
            let chains: Vec<Vec<&Drill>> = catalog
                .chain_ids()
                .values()
                .map(|ids| ids.iter().filter_map(|id| catalog.drill(id).ok()).collect())
                .collect();
            // Drills of the first two chains plus one the catalog does not know.
            let mut ids: Vec<String> = chains.iter().take(2).flatten().map(|d| d.id.clone()).collect();
            ids.push("retired_drill".into());
            let logs: Vec<SetLog> = sets
                .iter()
                .map(|&(drill, side, day, level, skipped)| SetLog {
                    drill_id: ids[drill % ids.len()].clone(),
                    side: [None, Some(Side::Left), Some(Side::Right)][usize::from(side)],
                    set_index: 0,
                    level,
                    target_reps: None,
                    reps_done: None,
                    target_hold_s: None,
                    hold_s_done: None,
                    pain: None,
                    stretch: false,
                    stopped: false,
                    skipped,
                    reason_code: None,
                    note: None,
                    at: at(day),
                })
                .collect();
            let refs: Vec<&SetLog> = logs.iter().collect();
            let table = SetsByDrill::new(refs.clone());
            for chain in &chains {
                for side in [Side::Left, Side::Right] {
                    let ours = table
                        .done_position(chain, side)
                        .map(|p| (p.drill.id.as_str(), p.level, p.chain_index));
                    proptest::prop_assert_eq!(ours, done_position_by_filtering(&refs, chain, side));
                }
            }
        }

        /// The ordered dates and the by-date entries the rules keep instead of B-trees are
        /// what `BTreeSet` and `BTreeMap` (latest value per key) held, in the same order.
        #[test]
        fn dates_in_order_are_what_the_b_trees_held(
            days in proptest::collection::vec((0i64..40, 0u32..1000), 0..60)
        ) {
            let base = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
            let mut ours: Vec<NaiveDate> = Vec::new();
            let mut slots: Vec<(NaiveDate, u32)> = Vec::new();
            let mut set = BTreeSet::new();
            let mut map = BTreeMap::new();
            for &(d, value) in &days {
                let date = base + Duration::days(d);
                add_date(&mut ours, date);
                set.insert(date);
                match date_slot(&slots, date) {
                    Ok(i) => slots[i].1 = value,
                    Err(i) => slots.insert(i, (date, value)),
                }
                map.insert(date, value);
            }
            proptest::prop_assert_eq!(ours, set.into_iter().collect::<Vec<_>>());
            proptest::prop_assert_eq!(slots, map.into_iter().collect::<Vec<_>>());
        }
    }
}
