//! Runs in: long-run detection (DESIGN.md §2 "Long run"). A run is long when the runner
//! tagged it so, when it lasts at least the duration threshold, when it is a large share of
//! the trailing 7 days' running time, or when it exceeds the longest run of the previous 30
//! days by the spike ratio (Frandsen et al. 2025, BJSM: such spikes raised injury rates).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{LongRunThresholds, Reason, Run};

/// Errors from run rules.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    #[error("run {0} is not in the history it is judged against")]
    UnknownRun(String),
}

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
    Reason {
        code: code.into(),
        numbers: numbers
            .iter()
            .map(|(k, v)| ((*k).to_string(), *v))
            .collect(),
        message,
    }
}

/// Judges `run` against the runs before it in `history` (the run itself may be in it).
/// With no earlier runs, only the tag and duration rules apply: a share or a spike needs a
/// history to be measured against.
pub fn classify_long_run(run: &Run, history: &[Run], t: &LongRunThresholds) -> LongRunDecision {
    let start = run.record.start;
    let mins = minutes(run);
    let before = |days: i64| {
        history.iter().filter(move |r| {
            r.id != run.id
                && r.record.start < start
                && r.record.start >= start - Duration::days(days)
        })
    };
    let mut reasons = Vec::new();
    if run
        .record
        .tags
        .iter()
        .any(|tag| tag.eq_ignore_ascii_case("long"))
    {
        reasons.push(reason("tagged_long", &[], "Tagged as a long run.".into()));
    }
    if mins >= f64::from(t.min_duration_min) {
        reasons.push(reason(
            "duration_threshold",
            &[
                ("minutes", mins),
                ("threshold", f64::from(t.min_duration_min)),
            ],
            format!("{mins:.0} min is at least {} min.", t.min_duration_min),
        ));
    }
    let week: f64 = before(7).map(minutes).sum::<f64>() + mins;
    let share = mins / week.max(1.0);
    if before(7).next().is_some() && share >= t.share_of_week {
        reasons.push(reason(
            "share_of_week",
            &[("share", share), ("threshold", t.share_of_week)],
            format!("{:.0} % of the last 7 days' running time.", share * 100.0),
        ));
    }
    let longest = before(30).map(minutes).fold(0.0, f64::max);
    let spike = longest > 0.0 && mins >= longest * t.spike_ratio;
    if spike {
        reasons.push(reason(
            "spike_over_30d_longest",
            &[
                ("minutes", mins),
                ("longest_30d", longest),
                ("ratio", mins / longest),
            ],
            format!(
                "{:.0} % of your longest run in 30 days: a spike.",
                mins / longest * 100.0
            ),
        ));
    }
    let is_long = !reasons.is_empty();
    if !is_long {
        reasons.push(reason(
            "not_long",
            &[("minutes", mins)],
            "A regular run.".into(),
        ));
    }
    LongRunDecision {
        is_long,
        spike,
        reasons,
    }
}

/// End instants of the long runs in `history`.
pub fn long_run_ends(history: &[Run], t: &LongRunThresholds) -> Vec<DateTime<Utc>> {
    history
        .iter()
        .filter(|r| classify_long_run(r, history, t).is_long)
        .map(|r| r.record.end)
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
    fn thresholds_are_settings() {
        let t = LongRunThresholds {
            min_duration_min: 60,
            share_of_week: 0.9,
            spike_ratio: 5.0,
        };
        assert!(classify_long_run(&run(0, 60, &[]), &[], &t).is_long);
        assert!(!classify_long_run(&run(0, 59, &[]), &[], &t).is_long);
    }
}
