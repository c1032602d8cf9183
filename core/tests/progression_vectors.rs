//! Runs the shared progression vectors (`tests/vectors/progression.json`, also read by the
//! Kotlin tests through the FFI) against the core rules: morning traffic light, level
//! decisions and their stored records, today's plan, and input errors. Every failing
//! scenario is reported, not just the first, so one run shows the whole picture.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use talus_core::catalog::Catalog;
use talus_core::domain::{History, Settings, Side};
use talus_core::progression::{
    apply_decisions, classify_morning, evaluate_levels, had_long_run_recently, plan_today,
    LevelChange, ProgressionError, ScenarioHistory, ScenarioSettings,
};
use talus_core::schedule::long_run_ends;
use talus_core::time::TimeError;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/progression.json"
);

#[derive(Deserialize)]
struct File {
    format: u32,
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    name: String,
    description: String,
    now: DateTime<Utc>,
    zone: String,
    #[serde(default)]
    settings: Option<ScenarioSettings>,
    history: ScenarioHistory,
    expect: Value,
}

fn load() -> File {
    let text = std::fs::read_to_string(PATH).expect("vectors file is readable");
    serde_json::from_str(&text).expect("vectors file parses")
}

fn history(h: &ScenarioHistory, zone: &str) -> History {
    h.to_history(zone)
}

fn settings(s: &Option<ScenarioSettings>) -> Settings {
    ScenarioSettings::to_settings(s.as_ref())
}

fn side_name(s: Option<Side>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.as_str().into()))
}

fn change_name(c: LevelChange) -> &'static str {
    match c {
        LevelChange::Progress => "progress",
        LevelChange::Regress => "regress",
        LevelChange::Hold => "hold",
    }
}

fn error_name(e: &ProgressionError) -> &'static str {
    match e {
        ProgressionError::Zone(TimeError::UnknownZone(_)) => "unknown_zone",
        ProgressionError::Zone(_) => "zone",
        ProgressionError::UnknownQuestion(_) => "unknown_question",
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Checks one scenario; returns what did not match.
fn check(catalog: &Catalog, sc: &Scenario) -> Vec<String> {
    let mut fails = Vec::new();
    let h = history(&sc.history, &sc.zone);
    let s = settings(&sc.settings);
    let e = &sc.expect;

    if let Some(err) = e.get("error").and_then(Value::as_str) {
        match evaluate_levels(catalog, &s, &h, sc.now, &sc.zone) {
            Ok(_) => fails.push(format!("expected error {err}, got decisions")),
            Err(got) if error_name(&got) != err => {
                fails.push(format!("expected error {err}, got {}", error_name(&got)))
            }
            Err(_) => {}
        }
    }

    if let Some(m) = e.get("morning") {
        match h
            .checkins
            .iter()
            .filter(|c| c.at <= sc.now)
            .max_by_key(|c| c.at)
        {
            None => fails.push("morning: no check-in to classify".into()),
            Some(c) => match classify_morning(c, &h, &s.locale, sc.now) {
                Err(err) => fails.push(format!("morning: error {err}")),
                Ok(a) => {
                    let status = serde_json::to_value(a.status).unwrap_or(Value::Null);
                    if status.as_str() != m.get("status").and_then(Value::as_str) {
                        fails.push(format!(
                            "morning: status {status}, expected {}",
                            m["status"]
                        ));
                    }
                    let want = str_of(m, "reason");
                    if !a.reasons.iter().any(|r| r.code == want) {
                        let codes: Vec<&str> = a.reasons.iter().map(|r| r.code.as_str()).collect();
                        fails.push(format!("morning: reasons {codes:?} lack {want}"));
                    }
                }
            },
        }
    }

    if e.get("levels").is_some() || e.get("apply").is_some() {
        match evaluate_levels(catalog, &s, &h, sc.now, &sc.zone) {
            Err(err) => fails.push(format!("levels: error {err}")),
            Ok(decisions) => {
                for d in &decisions {
                    if d.reason.message.is_empty() || d.reason.message.contains('_') {
                        fails.push(format!("levels: {} has no sentence", d.reason.code));
                    }
                }
                let want = e
                    .get("levels")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for w in &want {
                    let found = decisions.iter().find(|d| {
                        d.drill_id == str_of(w, "drill") && side_name(d.side) == w["side"]
                    });
                    let Some(d) = found else {
                        fails.push(format!(
                            "levels: no decision for {} {}",
                            w["drill"], w["side"]
                        ));
                        continue;
                    };
                    let got = (
                        change_name(d.change),
                        d.to.drill_id.as_str(),
                        u64::from(d.to.level),
                        d.reason.code.as_str(),
                    );
                    let expected = (
                        w["change"].as_str().unwrap_or(""),
                        w["to_drill"].as_str().unwrap_or(""),
                        w["to_level"].as_u64().unwrap_or(u64::MAX),
                        w["reason"].as_str().unwrap_or(""),
                    );
                    if got != expected {
                        fails.push(format!(
                            "levels: {} {}: got {got:?} {:?}, expected {expected:?}",
                            w["drill"], w["side"], d.reason.numbers
                        ));
                    }
                }
                if e.get("levels_complete").and_then(Value::as_bool) == Some(true)
                    && decisions.len() != want.len()
                {
                    let got: Vec<String> = decisions
                        .iter()
                        .map(|d| format!("{} {}", d.drill_id, side_name(d.side)))
                        .collect();
                    fails.push(format!(
                        "levels: expected exactly {} decisions, got {got:?}",
                        want.len()
                    ));
                }
                if let Some(apply) = e.get("apply").and_then(Value::as_array) {
                    let records = apply_decisions(&h.progress, &decisions, sc.now);
                    let got: BTreeSet<(String, String, u64)> = records
                        .iter()
                        .map(|r| {
                            (
                                r.drill_id.clone(),
                                side_name(r.side).to_string(),
                                u64::from(r.level),
                            )
                        })
                        .collect();
                    let want: BTreeSet<(String, String, u64)> = apply
                        .iter()
                        .map(|a| {
                            (
                                str_of(a, "drill"),
                                a["side"].to_string(),
                                a["level"].as_u64().unwrap_or(u64::MAX),
                            )
                        })
                        .collect();
                    if got != want || records.len() != apply.len() {
                        fails.push(format!("apply: got {got:?}, expected {want:?}"));
                    }
                    if records.iter().any(|r| r.changed_at != sc.now) {
                        fails.push("apply: records not stamped now".into());
                    }
                }
            }
        }
    }

    if let Some(p) = e.get("plan") {
        let ends = long_run_ends(&h.runs, &s.long_run);
        let after_long = had_long_run_recently(&ends, sc.now);
        match plan_today(catalog, &s, &h, after_long, sc.now, &sc.zone) {
            Err(err) => fails.push(format!("plan: error {err}")),
            Ok(plan) => {
                let variant = serde_json::to_value(plan.variant).unwrap_or(Value::Null);
                if variant.as_str() != p.get("variant").and_then(Value::as_str) {
                    fails.push(format!(
                        "plan: variant {variant}, expected {}",
                        p["variant"]
                    ));
                }
                let codes: Vec<&str> = plan.reasons.iter().map(|r| r.code.as_str()).collect();
                for r in p
                    .get("reasons")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if !codes.contains(&r.as_str().unwrap_or("")) {
                        fails.push(format!("plan: reasons {codes:?} lack {r}"));
                    }
                }
                for it in p
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Some(item) = plan
                        .items
                        .iter()
                        .find(|i| i.drill_id == str_of(it, "drill"))
                    else {
                        let ids: Vec<&str> =
                            plan.items.iter().map(|i| i.drill_id.as_str()).collect();
                        fails.push(format!("plan: no item {} in {ids:?}", it["drill"]));
                        continue;
                    };
                    if let Some(level) = it.get("level").and_then(Value::as_u64) {
                        if u64::from(item.level) != level {
                            fails.push(format!(
                                "plan: {} at level {}, expected {level}",
                                item.drill_id, item.level
                            ));
                        }
                    }
                    if let Some(code) = it.get("reason").and_then(Value::as_str) {
                        if item.reason.code != code {
                            fails.push(format!(
                                "plan: {} reason {}, expected {code}",
                                item.drill_id, item.reason.code
                            ));
                        }
                    }
                }
                for a in p
                    .get("absent_drills")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if plan
                        .items
                        .iter()
                        .any(|i| Some(i.drill_id.as_str()) == a.as_str())
                    {
                        fails.push(format!("plan: {a} should not be planned"));
                    }
                }
                if let Some(n) = p.get("item_count").and_then(Value::as_u64) {
                    if plan.items.len() as u64 != n {
                        fails.push(format!("plan: {} items, expected {n}", plan.items.len()));
                    }
                }
            }
        }
    }
    fails
}

#[test]
fn every_vector_scenario_holds() {
    let file = load();
    assert_eq!(file.format, 1);
    let catalog = Catalog::embedded().expect("embedded catalog");
    let mut report = Vec::new();
    for sc in &file.scenarios {
        let fails = check(&catalog, sc);
        if !fails.is_empty() {
            report.push(format!(
                "{} — {}\n    {}",
                sc.name,
                sc.description,
                fails.join("\n    ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} of {} scenarios failed:\n{}",
        report.len(),
        file.scenarios.len(),
        report.join("\n")
    );
}

#[test]
fn vectors_are_many_named_uniquely_and_expect_something() {
    let file = load();
    assert!(
        file.scenarios.len() >= 40,
        "only {} scenarios",
        file.scenarios.len()
    );
    let mut names = BTreeSet::new();
    for sc in &file.scenarios {
        assert!(names.insert(sc.name.clone()), "duplicate name {}", sc.name);
        assert!(!sc.description.is_empty(), "{} has no description", sc.name);
        let keys = ["morning", "levels", "apply", "plan", "error"];
        assert!(
            keys.iter().any(|k| sc.expect.get(k).is_some()),
            "{} expects nothing",
            sc.name
        );
    }
}
