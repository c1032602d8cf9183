//! Runs as the rules see them: overlapping copies of one run merged into one effective run
//! (so volume is not double counted), and long-run detection (DESIGN.md §2 "Long run"). A
//! run is long when the runner tagged it so, when it lasts at least the duration threshold,
//! when it is a large share of the trailing 7 days' running time, or when it exceeds the
//! longest run of the previous 30 days by the spike ratio (Frandsen et al. 2025, BJSM: such
//! spikes raised injury rates).

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::decimal::fixed;
use crate::domain::{LongRunThresholds, Reason, Run};

/// Whether a run is long, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongRunDecision {
    pub is_long: bool,
    /// Longer than the 30-day longest by the spike ratio.
    pub spike: bool,
    pub reasons: Vec<Reason>,
}

fn minutes(run: &Run) -> f64 {
    (run.record.end - run.record.start).num_seconds() as f64 / 60.0
}

fn reason(code: &str, numbers: &[(&str, f64)], message: String) -> Reason {
    Reason::new(code, numbers, message)
}

/// One effective run and the ids of every stored copy merged into it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Merged {
    pub run: Run,
    /// Ids of all copies, sorted; check-ins may name any of them.
    pub ids: Vec<Uuid>,
}

fn overlaps(a: &Run, b: &Run) -> bool {
    a.record.start < b.record.end && b.record.start < a.record.end
}

/// The copy whose record represents the group: the longest span, then the larger distance,
/// then the smaller id, so the choice never depends on input order.
fn better(a: &Run, b: &Run) -> Ordering {
    let span = |r: &Run| r.record.end - r.record.start;
    span(a)
        .cmp(&span(b))
        .then_with(|| a.record.distance_m.total_cmp(&b.record.distance_m))
        .then_with(|| b.id.cmp(&a.id))
}

fn merge_group(group: &[&Run]) -> Option<Merged> {
    let best = group.iter().copied().max_by(|a, b| better(a, b))?;
    let mut ids: Vec<Uuid> = group.iter().map(|r| r.id).collect();
    crate::order::sort(&mut ids);
    ids.dedup();
    let anchor = *ids.first()?;
    let mut record = best.record.clone();
    let mut others: Vec<&Run> = group.iter().copied().filter(|r| r.id != best.id).collect();
    crate::order::sort_by_key(&mut others, |r| r.id);
    for tag in others.iter().flat_map(|r| r.record.tags.iter()) {
        if !record.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            record.tags.push(tag.clone());
        }
    }
    Some(Merged {
        run: Run { id: anchor, record },
        ids,
    })
}

/// Groups overlapping runs, transitively, and merges each group.
pub(crate) fn merge_runs(runs: &[Run]) -> Vec<Merged> {
    let mut sorted: Vec<&Run> = runs.iter().collect();
    crate::order::sort_by(&mut sorted, |a, b| {
        a.record
            .start
            .cmp(&b.record.start)
            .then_with(|| a.record.end.cmp(&b.record.end))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut groups: Vec<Vec<&Run>> = Vec::new();
    let mut group_end: Option<DateTime<Utc>> = None;
    for run in sorted {
        match (groups.last_mut(), group_end) {
            (Some(group), Some(end)) if run.record.start < end => {
                group.push(run);
                group_end = Some(end.max(run.record.end));
            }
            _ => {
                groups.push(vec![run]);
                group_end = Some(run.record.end);
            }
        }
    }
    let mut merged: Vec<Merged> = groups.iter().filter_map(|g| merge_group(g)).collect();
    crate::order::sort_by(&mut merged, |a, b| {
        a.run
            .record
            .start
            .cmp(&b.run.record.start)
            .then_with(|| a.run.id.cmp(&b.run.id))
    });
    merged
}

/// Runs as the rules count them: runs whose time spans overlap are one run, whatever their
/// source (one body cannot run twice at once), so HealthKit plus a manual entry of the same
/// run is counted once. Runs that only touch (one ends as the next starts) stay separate.
///
/// A merged run keeps the record of its longest copy (then the larger distance, then the
/// smaller id), gains the other copies' tags (case-insensitive union, so a `long` tag on
/// any copy counts), and takes the **smallest id** of its copies. Store keys are UUIDv7,
/// which sort by creation, so that id is the copy the store saw first and does not change
/// when a later duplicate arrives. Sorted by start, then id.
pub fn effective_runs(runs: &[Run]) -> Vec<Run> {
    merge_runs(runs).into_iter().map(|m| m.run).collect()
}

/// Judges `run` against the runs before it in `history` (the run itself, and any copy of it
/// that overlaps it, may be in it). History is merged with [`effective_runs`] first, so a
/// duplicate import neither inflates the trailing week nor counts as an earlier run.
/// With no earlier runs, only the tag and duration rules apply: a share or a spike needs a
/// history to be measured against.
pub fn classify_long_run(run: &Run, history: &[Run], t: &LongRunThresholds) -> LongRunDecision {
    classify_in(run, &effective_runs(history), t)
}

fn classify_in(run: &Run, effective: &[Run], t: &LongRunThresholds) -> LongRunDecision {
    let effective: Vec<&Run> = effective.iter().collect();
    let lengths: Vec<f64> = effective.iter().map(|r| minutes(r)).collect();
    LongRunSignals::of(run, &effective, &lengths, t).decision(t)
}

/// What each long-run rule finds about one run, before any sentence is written: the
/// rules' numbers once, for [`classify_long_run`] (which explains them) and [`long_runs`]
/// (which needs only the verdict, for every run of a history).
struct LongRunSignals {
    mins: f64,
    tagged: bool,
    duration: bool,
    /// Its share of the trailing 7 days' running time, when that rule fired.
    share: Option<f64>,
    /// The longest run of the previous 30 days, when the spike rule fired.
    spike_over: Option<f64>,
}

impl LongRunSignals {
    /// Judges `run` against the effective runs before it. `effective` is sorted by start
    /// (as [`merge_runs`] returns it), so the runs of the 30 days before `run` are one slice
    /// of it, found by two binary searches and read once for every rule; `lengths` holds
    /// each effective run's [`minutes`], worked out once for every run judged.
    /// `core/tests/rules_unchanged.rs` holds the verdicts and sentences to the former
    /// filtering of every run for every rule.
    fn of(run: &Run, effective: &[&Run], lengths: &[f64], t: &LongRunThresholds) -> LongRunSignals {
        let start = run.record.start;
        let mins = minutes(run);
        let days_before = |days: i64| {
            start
                .checked_sub_signed(Duration::days(days))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        let (week_from, month_from) = (days_before(7), days_before(30));
        let first = effective.partition_point(|r| r.record.start < month_from);
        let end = effective.partition_point(|r| r.record.start < start);
        let mut week_minutes = 0.0;
        let mut week_runs = 0usize;
        let mut longest: f64 = 0.0;
        let mut month_runs = 0usize;
        let window = effective.get(first..end).unwrap_or_default();
        for (r, &m) in window
            .iter()
            .zip(lengths.get(first..end).unwrap_or_default())
        {
            if r.id == run.id || overlaps(r, run) {
                continue;
            }
            month_runs += 1;
            longest = longest.max(m);
            if r.record.start >= week_from {
                week_minutes += m;
                week_runs += 1;
            }
        }
        let tagged = run
            .record
            .tags
            .iter()
            .any(|tag| tag.eq_ignore_ascii_case("long"));
        let duration = mins >= f64::from(t.min_duration_min);
        // The relative rules judge only runs of a real length (ADR 0002: a short jog never
        // triggers a check-in, however quiet the week was).
        let relative = mins >= f64::from(t.share_min_duration_min);
        let share = mins / (week_minutes + mins).max(1.0);
        let share = (relative && week_runs > 0 && share >= t.share_of_week).then_some(share);
        // A spike needs a history to stand out from (ADR 0002): with fewer earlier runs in
        // the 30 days than the setting asks, the longest of them says little.
        let history_enough = month_runs >= t.spike_min_runs as usize;
        let spike = relative && history_enough && longest > 0.0 && mins >= longest * t.spike_ratio;
        LongRunSignals {
            mins,
            tagged,
            duration,
            share,
            spike_over: spike.then_some(longest),
        }
    }

    fn is_long(&self) -> bool {
        self.tagged || self.duration || self.share.is_some() || self.spike_over.is_some()
    }

    /// The verdict with a reason for each rule that fired (`not_long` when none did).
    fn decision(&self, t: &LongRunThresholds) -> LongRunDecision {
        let mins = self.mins;
        let mut reasons = Vec::new();
        if self.tagged {
            reasons.push(reason("tagged_long", &[], "Tagged as a long run.".into()));
        }
        if self.duration {
            reasons.push(reason(
                "duration_threshold",
                &[
                    ("minutes", mins),
                    ("threshold", f64::from(t.min_duration_min)),
                ],
                format!(
                    "{} min is at least {} min.",
                    fixed(mins, 0),
                    t.min_duration_min
                ),
            ));
        }
        if let Some(share) = self.share {
            reasons.push(reason(
                "share_of_week",
                &[("share", share), ("threshold", t.share_of_week)],
                format!(
                    "{} % of the last 7 days' running time.",
                    fixed(share * 100.0, 0)
                ),
            ));
        }
        if let Some(longest) = self.spike_over {
            reasons.push(reason(
                "spike_over_30d_longest",
                &[
                    ("minutes", mins),
                    ("longest_30d", longest),
                    ("ratio", mins / longest),
                ],
                format!(
                    "{} % of your longest run in 30 days: a spike.",
                    fixed(mins / longest * 100.0, 0)
                ),
            ));
        }
        let is_long = self.is_long();
        if !is_long {
            reasons.push(reason(
                "not_long",
                &[("minutes", mins)],
                "A regular run.".into(),
            ));
        }
        LongRunDecision {
            is_long,
            spike: self.spike_over.is_some(),
            reasons,
        }
    }
}

/// The long runs among the effective runs of `history`, with the ids of their copies.
pub(crate) fn long_runs(history: &[Run], t: &LongRunThresholds) -> Vec<Merged> {
    let merged = merge_runs(history);
    let effective: Vec<&Run> = merged.iter().map(|m| &m.run).collect();
    let lengths: Vec<f64> = effective.iter().map(|r| minutes(r)).collect();
    let long: Vec<bool> = merged
        .iter()
        .map(|m| LongRunSignals::of(&m.run, &effective, &lengths, t).is_long())
        .collect();
    merged
        .into_iter()
        .zip(long)
        .filter_map(|(m, long)| long.then_some(m))
        .collect()
}

/// End instants of the long runs in `history`, judged on [`effective_runs`] so a run
/// imported twice is one long run, not two.
pub fn long_run_ends(history: &[Run], t: &LongRunThresholds) -> Vec<DateTime<Utc>> {
    long_runs(history, t)
        .into_iter()
        .map(|m| m.run.record.end)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RunRecord;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn run(day: i64, mins: i64, tags: &[&str]) -> Run {
        let start = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap() + Duration::days(day);
        Run {
            id: Uuid::from_u128(day as u128 + 1),
            record: RunRecord {
                source: "t".into(),
                external_id: day.to_string(),
                start,
                end: start + Duration::minutes(mins),
                distance_m: 0.0,
                tags: tags.iter().map(|s| s.to_string()).collect(),
                zone: "UTC".into(),
            },
        }
    }

    fn codes(d: &LongRunDecision) -> Vec<&str> {
        d.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn each_rule_fires_on_its_own() {
        let t = LongRunThresholds::default();
        let tagged = run(0, 20, &["long"]);
        assert_eq!(codes(&classify_long_run(&tagged, &[], &t)), ["tagged_long"]);
        let ninety = run(0, 90, &[]);
        assert_eq!(
            codes(&classify_long_run(&ninety, &[], &t)),
            ["duration_threshold"]
        );
        let first_short = run(0, 40, &[]);
        assert_eq!(
            codes(&classify_long_run(&first_short, &[], &t)),
            ["not_long"]
        );
        // Five 30-min runs over 30 days; a 60-min run is 2× the longest and 29 % of the week.
        let mut h: Vec<Run> = (0..5).map(|i| run(i * 6, 30, &[])).collect();
        let big = run(31, 60, &[]);
        h.push(big.clone());
        let d = classify_long_run(&big, &h, &t);
        assert!(d.is_long && d.spike);
        assert!(codes(&d).contains(&"spike_over_30d_longest"));
        // 32 min vs a 30-min longest is under 110 %: no spike.
        let small = run(31, 32, &[]);
        assert!(!classify_long_run(&small, &h[..5], &t).spike);
    }

    #[test]
    fn a_short_jog_is_never_long_by_the_relative_rules() {
        let t = LongRunThresholds::default();
        // A quiet week (one 10-min jog) and a 30-day longest of 10 min: a 15-min jog is 60 %
        // of the week and 150 % of the longest, yet shorter than the relative rules' minimum.
        let h = vec![run(20, 10, &[]), run(25, 10, &[])];
        let jog = run(27, 15, &[]);
        let d = classify_long_run(&jog, &h, &t);
        assert!(!d.is_long && !d.spike, "{d:?}");
        // At the minimum the same shares count.
        let real = run(27, 60, &[]);
        assert!(classify_long_run(&real, &h, &t).is_long);
    }

    #[test]
    fn a_spike_needs_a_history_of_runs() {
        let t = LongRunThresholds::default();
        // One or two earlier runs of 50 min: a 65-min run is 130 % of the "longest", but that
        // is no history (ADR 0002); with three earlier runs it is a spike.
        let two = vec![run(0, 50, &[]), run(3, 50, &[])];
        let target = run(20, 65, &[]);
        let d = classify_long_run(&target, &two, &t);
        assert!(!d.is_long && !d.spike, "{d:?}");
        let three = vec![run(0, 50, &[]), run(3, 50, &[]), run(6, 50, &[])];
        let d = classify_long_run(&target, &three, &t);
        assert!(d.is_long && d.spike, "{d:?}");
        // The setting decides: none needed, and two are enough.
        let loose = LongRunThresholds {
            spike_min_runs: 2,
            ..t
        };
        assert!(classify_long_run(&target, &two, &loose).spike);
    }

    #[test]
    fn thresholds_are_settings() {
        let t = LongRunThresholds {
            min_duration_min: 60,
            share_of_week: 0.9,
            share_min_duration_min: 30,
            spike_ratio: 5.0,
            spike_min_runs: 3,
        };
        assert!(classify_long_run(&run(0, 60, &[]), &[], &t).is_long);
        assert!(!classify_long_run(&run(0, 59, &[]), &[], &t).is_long);
    }

    fn copy(of: &Run, id: u128, source: &str, shift_min: i64, mins: i64, tags: &[&str]) -> Run {
        let start = of.record.start + Duration::minutes(shift_min);
        Run {
            id: Uuid::from_u128(id),
            record: RunRecord {
                source: source.into(),
                external_id: format!("{source}-{id}"),
                start,
                end: start + Duration::minutes(mins),
                distance_m: mins as f64 * 180.0,
                tags: tags.iter().map(|s| s.to_string()).collect(),
                zone: "UTC".into(),
            },
        }
    }

    #[test]
    fn overlapping_copies_merge_into_the_longest_with_the_smallest_id() {
        let hk = copy(&run(0, 1, &[]), 50, "healthkit", 0, 62, &[]);
        let manual = copy(&hk, 7, "manual", 3, 55, &["Long", "trail"]);
        let later = copy(&hk, 9, "manual", 120, 30, &[]);
        let merged = effective_runs(&[manual.clone(), later.clone(), hk.clone()]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, Uuid::from_u128(7));
        assert_eq!(merged[0].record.source, "healthkit");
        assert_eq!(merged[0].record.end, hk.record.end);
        assert_eq!(merged[0].record.tags, ["Long", "trail"]);
        assert_eq!(merged[1], later);
        // Input order does not matter.
        assert_eq!(effective_runs(&[hk, later, manual]), merged);
    }

    #[test]
    fn touching_runs_stay_apart_and_chains_merge_transitively() {
        let a = copy(&run(0, 1, &[]), 1, "a", 0, 30, &[]);
        let touching = copy(&a, 2, "b", 30, 30, &[]);
        assert_eq!(effective_runs(&[a.clone(), touching.clone()]).len(), 2);
        let bridge = copy(&a, 3, "c", 20, 20, &[]);
        let all = effective_runs(&[a, touching, bridge]);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].id, Uuid::from_u128(1));
    }

    #[test]
    fn duplicates_do_not_dilute_the_share_of_week() {
        let t = LongRunThresholds::default();
        // Real week before day 29: 3 × 40 min; 65 min is 35 % of it (long). Counting each
        // run twice would make it 21 % (not long). A 70-min run on day 10 rules out a spike.
        let mut h = vec![run(10, 70, &[])];
        for (i, day) in [23, 25, 27].into_iter().enumerate() {
            let r = run(day, 40, &[]);
            h.push(copy(&r, 500 + i as u128, "manual", -2, 38, &[]));
            h.push(r);
        }
        let target = run(29, 65, &[]);
        h.push(target.clone());
        let d = classify_long_run(&target, &h, &t);
        assert!(d.is_long && !d.spike, "{d:?}");
        assert_eq!(codes(&d), ["share_of_week"]);
        // The same long run imported twice is one long run.
        let long = copy(&run(60, 1, &[]), 1000, "healthkit", 0, 95, &[]);
        let long_dup = copy(&long, 1001, "manual", 0, 95, &[]);
        assert_eq!(long_run_ends(&[long, long_dup], &t).len(), 1);
    }
}
