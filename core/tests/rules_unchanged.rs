//! Rules restructured for a faster cold start (issue 21) decide exactly as their former
//! form: the long-run rules now judge each run once and write sentences only when asked
//! (`classify_long_run` explains, `long_run_ends` needs only the verdict), and the morning
//! rule's traffic light is judged apart from its reasons (the level rules read the light
//! only). The former functions are kept here, verbatim but for paths, as the oracles, and
//! compared on generated histories.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use talus_core::domain::{
    CheckIn, History, LongRunThresholds, Reason, RegionScores, Run, RunRecord, Score,
};
use talus_core::progression::{baseline, classify_morning, explain, MorningStatus};
use talus_core::schedule::{classify_long_run, effective_runs, long_run_ends, LongRunDecision};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap()
}

// ----- the former long-run rules ------------------------------------------------------------

fn minutes(run: &Run) -> f64 {
    (run.record.end - run.record.start).num_seconds() as f64 / 60.0
}

fn overlaps(a: &Run, b: &Run) -> bool {
    a.record.start < b.record.end && b.record.start < a.record.end
}

fn former_reason(code: &str, numbers: &[(&str, f64)], message: String) -> Reason {
    Reason::new(code, numbers, message)
}

/// `schedule::runs::classify_in` before issue 21's second round.
fn former_classify_in(run: &Run, effective: &[Run], t: &LongRunThresholds) -> LongRunDecision {
    let start = run.record.start;
    let mins = minutes(run);
    let before = |days: i64| {
        let from = start
            .checked_sub_signed(Duration::days(days))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        effective.iter().filter(move |r| {
            r.id != run.id && !overlaps(r, run) && r.record.start < start && r.record.start >= from
        })
    };
    let mut reasons = Vec::new();
    if run
        .record
        .tags
        .iter()
        .any(|tag| tag.eq_ignore_ascii_case("long"))
    {
        reasons.push(former_reason(
            "tagged_long",
            &[],
            "Tagged as a long run.".into(),
        ));
    }
    if mins >= f64::from(t.min_duration_min) {
        reasons.push(former_reason(
            "duration_threshold",
            &[
                ("minutes", mins),
                ("threshold", f64::from(t.min_duration_min)),
            ],
            format!("{mins:.0} min is at least {} min.", t.min_duration_min),
        ));
    }
    let relative = mins >= f64::from(t.share_min_duration_min);
    let week: f64 = before(7).map(minutes).sum::<f64>() + mins;
    let share = mins / week.max(1.0);
    if relative && before(7).next().is_some() && share >= t.share_of_week {
        reasons.push(former_reason(
            "share_of_week",
            &[("share", share), ("threshold", t.share_of_week)],
            format!("{:.0} % of the last 7 days' running time.", share * 100.0),
        ));
    }
    let longest = before(30).map(minutes).fold(0.0, f64::max);
    let history_enough = before(30).count() >= t.spike_min_runs as usize;
    let spike = relative && history_enough && longest > 0.0 && mins >= longest * t.spike_ratio;
    if spike {
        reasons.push(former_reason(
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
        reasons.push(former_reason(
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

/// `schedule::long_run_ends` before: every effective run classified with its sentences.
fn former_long_run_ends(history: &[Run], t: &LongRunThresholds) -> Vec<DateTime<Utc>> {
    let effective = effective_runs(history);
    effective
        .iter()
        .filter(|r| former_classify_in(r, &effective, t).is_long)
        .map(|r| r.record.end)
        .collect()
}

/// Runs over six weeks: some overlapping (copies of one run), some tagged, of any length.
fn runs() -> impl Strategy<Value = Vec<Run>> {
    prop::collection::vec(
        (
            0i64..42 * 24,
            prop_oneof![5i64..40, 40i64..200],
            prop::bool::weighted(0.15),
            0u8..3,
        ),
        0..16,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (hour, mins, tagged, source))| {
                let start = t0() + Duration::hours(hour);
                Run {
                    id: Uuid::from_u128(i as u128 + 1),
                    record: RunRecord {
                        source: format!("s{source}"),
                        external_id: i.to_string(),
                        start,
                        end: start + Duration::minutes(mins),
                        distance_m: mins as f64 * 170.0,
                        tags: if tagged { vec!["Long".into()] } else { vec![] },
                        zone: "UTC".into(),
                    },
                }
            })
            .collect()
    })
}

fn thresholds() -> impl Strategy<Value = LongRunThresholds> {
    (60u32..150, 0.2f64..0.6, 10u32..90, 1.05f64..1.6, 0u32..4).prop_map(
        |(min, share, share_min, ratio, spike_runs)| LongRunThresholds {
            min_duration_min: min,
            share_of_week: share,
            share_min_duration_min: share_min.min(min),
            spike_ratio: ratio,
            spike_min_runs: spike_runs,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn long_run_rules_decide_and_explain_as_before(history in runs(), t in thresholds()) {
        prop_assert_eq!(long_run_ends(&history, &t), former_long_run_ends(&history, &t));
        let effective = effective_runs(&history);
        for run in &history {
            prop_assert_eq!(
                classify_long_run(run, &history, &t),
                former_classify_in(run, &effective, &t)
            );
        }
    }
}

// ----- the former morning rule --------------------------------------------------------------

fn worst(c: &CheckIn) -> f64 {
    f64::from(c.pain.max().value().max(c.stiffness.max().value()))
}

fn week_mean(history: &History, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
    let v: Vec<f64> = history
        .checkins
        .iter()
        .filter(|c| c.at >= from && c.at < to)
        .map(worst)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn rising_two_weeks(history: &History, at: DateTime<Utc>) -> bool {
    let w = |k: i64| {
        week_mean(
            history,
            at - Duration::days(7 * (k + 1)),
            at - Duration::days(7 * k),
        )
    };
    matches!((w(0), w(1), w(2)), (Some(a), Some(b), Some(c)) if a > b && b > c)
}

/// `progression::classify_morning` before: (status, baseline, reasons).
fn former_classify_morning(
    checkin: &CheckIn,
    history: &History,
    locale: &str,
    now: DateTime<Utc>,
) -> (MorningStatus, Option<f64>, Vec<Reason>) {
    let reason = |code: &str, numbers: &[(&str, f64)]| {
        let numbers = numbers
            .iter()
            .map(|(k, v)| ((*k).to_string(), *v))
            .collect();
        explain(code, &numbers, locale)
    };
    let at = checkin.at.min(now);
    let score = worst(checkin);
    let base = baseline(history, at);
    let mut reasons = Vec::new();
    let status = if !checkin.red_flags_yes.is_empty() {
        reasons.push(reason(
            "red_flag_answered",
            &[("answers_yes", checkin.red_flags_yes.len() as f64)],
        ));
        MorningStatus::Red
    } else if score > 5.0 {
        reasons.push(reason(
            "morning_pain_high",
            &[("score", score), ("limit", 5.0)],
        ));
        MorningStatus::Red
    } else {
        match base {
            Some(b) if score - b >= 2.0 => {
                reasons.push(reason(
                    "above_baseline",
                    &[("score", score), ("baseline", b)],
                ));
                MorningStatus::Amber
            }
            None if score > 3.0 => {
                reasons.push(reason(
                    "no_baseline_score_high",
                    &[("score", score), ("limit", 3.0)],
                ));
                MorningStatus::Amber
            }
            Some(b) => {
                reasons.push(reason("settled", &[("score", score), ("baseline", b)]));
                MorningStatus::Green
            }
            None => {
                reasons.push(reason("baseline_unknown", &[("score", score)]));
                MorningStatus::Green
            }
        }
    };
    if status == MorningStatus::Green && rising_two_weeks(history, at) {
        reasons.push(reason("weekly_trend_rising", &[]));
    }
    (status, base, reasons)
}

/// Check-ins over five weeks in two zones, some with red flags, some stamped ahead.
fn checkins() -> impl Strategy<Value = Vec<CheckIn>> {
    prop::collection::vec(
        (
            0i64..36 * 24,
            0u8..8,
            0u8..8,
            prop::bool::weighted(0.05),
            any::<bool>(),
        ),
        0..40,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (hour, pain, stiff, flag, london))| {
                let score = |v: u8| Score::new(i64::from(v)).unwrap();
                CheckIn {
                    id: Uuid::from_u128(i as u128 + 1),
                    at: t0() + Duration::hours(hour),
                    zone: if london {
                        "Europe/London"
                    } else {
                        "Pacific/Kiritimati"
                    }
                    .into(),
                    pain: RegionScores {
                        calf: score(pain),
                        achilles: score(pain / 2),
                        ankle: Score::default(),
                    },
                    stiffness: RegionScores {
                        calf: Score::default(),
                        achilles: score(stiff),
                        ankle: score(stiff / 3),
                    },
                    red_flags_yes: if flag {
                        vec!["ottawa_ankle".into()]
                    } else {
                        vec![]
                    },
                    run_id: None,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_morning_rule_judges_and_explains_as_before(list in checkins(), hours in 0i64..36 * 24) {
        let now = t0() + Duration::hours(hours);
        let history = History {
            checkins: list.clone(),
            ..History::default()
        };
        for c in &list {
            for locale in ["en", "de"] {
                let got = classify_morning(c, &history, locale, now).unwrap();
                let (status, base, reasons) = former_classify_morning(c, &history, locale, now);
                prop_assert_eq!(got.status, status);
                prop_assert_eq!(got.baseline, base);
                prop_assert_eq!(got.reasons, reasons);
            }
        }
    }
}
