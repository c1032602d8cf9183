//! A dry run of the coaching rules on a history given as data, touching no profile: the
//! morning traffic light, level decisions and the day's plan. The shared rule vectors are
//! checked through it from Kotlin (and Swift), so every shell sees the same decisions as
//! the core; support tools can use it to explain a runner's plan from an export.

#[cfg(feature = "rules-dry-run")]
use talus_core::catalog::Catalog;
#[cfg(feature = "rules-dry-run")]
use talus_core::progression::{self, ScenarioHistory, ScenarioSettings};
#[cfg(feature = "rules-dry-run")]
use talus_core::schedule;

#[cfg(feature = "rules-dry-run")]
use crate::coach::plan_info;
use crate::coach::{LevelInfo, PlanInfo, ReasonInfo};
use crate::error::TalusError;
use crate::kinds::MorningStatus;
#[cfg(feature = "rules-dry-run")]
use crate::records::instant;

/// The morning traffic light of the latest check-in at or before `now`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct MorningOutcome {
    /// The light.
    pub status: MorningStatus,
    /// The morning baseline, if one exists.
    pub baseline: Option<f64>,
    /// Why, in words.
    pub reasons: Vec<ReasonInfo>,
}

/// What the rules decide for a history.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RulesDryRun {
    /// `None` when the history has no check-in at or before `now`.
    pub morning: Option<MorningOutcome>,
    /// Level decisions for every drill the runner works on.
    pub levels: Vec<LevelInfo>,
    /// The day's plan on the levels as given (the profile's `today()` applies level changes
    /// first).
    pub plan: PlanInfo,
}

/// Runs the rules on `history_json` (the compact history format of `tests/vectors`, see
/// its README) with `settings_json` overrides (`locale`, `equipment`, `goals`,
/// `preferred_start_side`), at `now_ms` in `zone`. Pure: touches no disk.
///
/// For the conformance tests and support tools, which load the host library: the phone
/// libraries are built without it (feature `rules-dry-run`, ADR 0019) and there it fails
/// with `TalusError.Unexpected` (`bug`), changing nothing.
#[uniffi::export]
pub fn dry_run_rules(
    history_json: String,
    settings_json: Option<String>,
    now_ms: i64,
    zone: String,
) -> Result<RulesDryRun, TalusError> {
    #[cfg(feature = "rules-dry-run")]
    {
        dry_run(history_json, settings_json, now_ms, zone)
    }
    #[cfg(not(feature = "rules-dry-run"))]
    {
        let _ = (history_json, settings_json, now_ms, zone);
        Err(TalusError::of(
            crate::error::ErrorCause::Bug,
            NOT_IN_THIS_BUILD,
        ))
    }
}

/// The detail of the error a phone library answers `dry_run_rules` with.
#[cfg(not(feature = "rules-dry-run"))]
const NOT_IN_THIS_BUILD: &str =
    "dry_run_rules is not in the phone library (built without the rules-dry-run feature)";

#[cfg(feature = "rules-dry-run")]
fn dry_run(
    history_json: String,
    settings_json: Option<String>,
    now_ms: i64,
    zone: String,
) -> Result<RulesDryRun, TalusError> {
    let now = instant(now_ms, "now")?;
    let scenario: ScenarioHistory = talus_core::json::from_text(&history_json)
        .map_err(|e| TalusError::invalid(format!("history: {e}")))?;
    let overrides: Option<ScenarioSettings> = settings_json
        .as_deref()
        .map(talus_core::json::from_text)
        .transpose()
        .map_err(|e| TalusError::invalid(format!("settings: {e}")))?;
    let settings = ScenarioSettings::to_settings(overrides.as_ref());
    let history = scenario.to_history(&zone);
    let catalog = Catalog::embedded()?;
    let levels = progression::evaluate_levels(&catalog, &settings, &history, now, &zone)?;
    let morning = match history
        .checkins
        .iter()
        .filter(|c| c.at <= now)
        .max_by_key(|c| c.at)
    {
        None => None,
        Some(c) => {
            let a = progression::classify_morning(c, &history, &settings.locale, now)?;
            Some(MorningOutcome {
                status: a.status.into(),
                baseline: a.baseline,
                reasons: a.reasons.iter().map(ReasonInfo::from).collect(),
            })
        }
    };
    let ends = schedule::long_run_ends(&history.runs, &settings.long_run);
    let after_long = progression::had_long_run_recently(&ends, now);
    let plan = progression::plan_today(&catalog, &settings, &history, after_long, now, &zone)?;
    let plan = plan_info(plan, levels, &catalog);
    Ok(RulesDryRun {
        morning,
        levels: plan.levels.clone(),
        plan,
    })
}

#[cfg(all(test, not(feature = "rules-dry-run")))]
mod phone_build_tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The phone library keeps the function (the bindings and their checksums are the
    /// host library's) and answers with a typed error instead of running the rules.
    #[test]
    fn the_phone_build_answers_a_typed_error() {
        for history in ["{not json", r#"{"checkins": []}"#, ""] {
            let err =
                dry_run_rules(history.into(), None, 1_700_000_000_000, "UTC".into()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unexpected);
            assert_eq!(err.cause_code(), "bug");
            assert_eq!(err.detail(), NOT_IN_THIS_BUILD);
        }
    }
}
