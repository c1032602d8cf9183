//! Catalog validation: every rule a catalog file must meet, reporting all problems at once
//! rather than stopping at the first, so a content author can fix a file in one pass.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::model::{AssessmentText, CatalogFile, DoseLevel, Drill, DrillKind, PainPolicy, Video};
use crate::sorted_map::SortedMap;

/// One broken rule in a catalog file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogProblem {
    /// Drill or assessment id (or `catalog` for file-level problems).
    pub item: String,
    /// Stable machine-readable code, e.g. `duplicate_id`.
    pub code: String,
    pub detail: String,
}

impl CatalogProblem {
    /// Joins problems into one line for error messages.
    pub fn join(problems: &[CatalogProblem]) -> String {
        problems
            .iter()
            .map(|p| format!("{}: {} ({})", p.item, p.code, p.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Inclusive bounds for dosage values; outside them a level is a typo, not a programme.
pub mod limits {
    pub const SETS: (u32, u32) = (1, 12);
    pub const REPS: (u32, u32) = (1, 30);
    pub const HOLD_S: (u32, u32) = (5, 120);
    pub const END_PAUSE_S: (u32, u32) = (0, 10);
    pub const REP_S: (u32, u32) = (1, 10);
    pub const REST_S: (u32, u32) = (0, 180);
    pub const LOAD_KG: (u32, u32) = (1, 40);
    pub const CUES: (usize, usize) = (3, 4);
    pub const MAX_CHAIN: usize = 4;
}

struct Problems(Vec<CatalogProblem>);

impl Problems {
    fn add(&mut self, item: &str, code: &str, detail: impl Into<String>) {
        self.0.push(CatalogProblem {
            item: item.to_string(),
            code: code.to_string(),
            detail: detail.into(),
        });
    }
}

/// Checks every rule and returns every problem (empty when the catalog is valid).
pub fn validate(file: &CatalogFile) -> Vec<CatalogProblem> {
    let mut p = Problems(Vec::new());
    if file.drills.is_empty() {
        p.add("catalog", "no_drills", "the catalog has no drills");
    }
    check_ids(file, &mut p);
    for drill in &file.drills {
        check_drill_text(drill, &mut p);
        check_dosage(drill, &mut p);
        check_pain_policy(drill, &mut p);
        check_pain_numbers(drill, &mut p);
        check_video(&drill.id, &drill.video, Some(cue_count(drill)), &mut p);
    }
    for a in &file.assessments {
        check_assessment_text(&a.id, &a.text, &mut p);
        check_video(&a.id, &a.video, None, &mut p);
    }
    check_links(file, &mut p);
    p.0
}

fn is_snake_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_locale(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
    lang_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn check_ids(file: &CatalogFile, p: &mut Problems) {
    let mut seen = HashSet::new();
    let ids = file
        .drills
        .iter()
        .map(|d| d.id.as_str())
        .chain(file.assessments.iter().map(|a| a.id.as_str()));
    for id in ids {
        if !is_snake_id(id) {
            p.add(
                id,
                "bad_id",
                "ids are 1–64 chars of a-z, 0-9 and _ starting with a letter",
            );
        }
        if !seen.insert(id) {
            p.add(id, "duplicate_id", "the id is used more than once");
        }
    }
}

fn cue_count(drill: &Drill) -> usize {
    drill.text.get("en").map_or(0, |t| t.cues.len())
}

fn check_drill_text(drill: &Drill, p: &mut Problems) {
    let id = &drill.id;
    let Some(en) = drill.text.get("en") else {
        p.add(
            id,
            "missing_en_text",
            "every drill needs English text (the fallback)",
        );
        return;
    };
    if drill.text.len() < 2 {
        p.add(
            id,
            "missing_locale",
            "every drill needs at least one locale besides en",
        );
    }
    let (lo, hi) = limits::CUES;
    if !(lo..=hi).contains(&en.cues.len()) {
        p.add(
            id,
            "cue_count",
            format!("en has {} cues, needs {lo}–{hi}", en.cues.len()),
        );
    }
    for (locale, text) in &drill.text {
        if !is_locale(locale) {
            p.add(
                id,
                "bad_locale",
                format!("{locale:?} is not a language tag"),
            );
        }
        if text.name.trim().is_empty() {
            p.add(id, "empty_name", format!("name is empty in {locale}"));
        }
        if text.description.trim().is_empty() {
            p.add(
                id,
                "empty_description",
                format!("description is empty in {locale}"),
            );
        }
        if text.cues.iter().any(|c| c.trim().is_empty()) {
            p.add(id, "empty_cue", format!("a cue is empty in {locale}"));
        }
        if text.cautions.iter().any(|c| c.trim().is_empty()) {
            p.add(
                id,
                "empty_caution",
                format!("a caution is empty in {locale}"),
            );
        }
        if text.cues.len() != en.cues.len() {
            p.add(
                id,
                "cue_count_mismatch",
                format!(
                    "{locale} has {} cues, en has {}",
                    text.cues.len(),
                    en.cues.len()
                ),
            );
        }
    }
}

fn check_assessment_text(id: &str, text: &SortedMap<String, AssessmentText>, p: &mut Problems) {
    let Some(en) = text.get("en") else {
        p.add(id, "missing_en_text", "every assessment needs English text");
        return;
    };
    if en.steps.is_empty() {
        p.add(id, "no_steps", "an assessment needs steps");
    }
    for (locale, t) in text {
        if !is_locale(locale) {
            p.add(
                id,
                "bad_locale",
                format!("{locale:?} is not a language tag"),
            );
        }
        if t.name.trim().is_empty() {
            p.add(id, "empty_name", format!("name is empty in {locale}"));
        }
        if t.steps.iter().any(|s| s.trim().is_empty()) {
            p.add(id, "empty_step", format!("a step is empty in {locale}"));
        }
    }
}

fn in_range(value: u32, (lo, hi): (u32, u32)) -> bool {
    (lo..=hi).contains(&value)
}

fn check_dose(id: &str, index: usize, dose: &DoseLevel, p: &mut Problems) {
    let mut out = |field: &str, value: u32, (lo, hi): (u32, u32)| {
        if !in_range(value, (lo, hi)) {
            p.add(
                id,
                "dose_out_of_range",
                format!("level {index}: {field} = {value}, allowed {lo}–{hi}"),
            );
        }
    };
    out("sets", dose.sets, limits::SETS);
    out("end_pause_s", dose.end_pause_s, limits::END_PAUSE_S);
    out("rep_s", dose.rep_s, limits::REP_S);
    out("rest_s", dose.rest_s, limits::REST_S);
    if let Some(reps) = dose.reps {
        out("reps", reps, limits::REPS);
    }
    if let Some(hold) = dose.hold_s {
        out("hold_s", hold, limits::HOLD_S);
    }
    if let Some(load) = dose.load_kg {
        out("load_kg", load, limits::LOAD_KG);
    }
    if dose.reps.is_some() == dose.hold_s.is_some() {
        p.add(
            id,
            "dose_reps_xor_hold",
            format!("level {index}: set exactly one of reps and hold_s"),
        );
    }
}

fn check_dosage(drill: &Drill, p: &mut Problems) {
    if drill.dosage.is_empty() {
        p.add(
            &drill.id,
            "no_dosage",
            "a drill needs at least one dosage level",
        );
    }
    for (i, dose) in drill.dosage.iter().enumerate() {
        check_dose(&drill.id, i, dose, p);
    }
}

fn check_pain_policy(drill: &Drill, p: &mut Problems) {
    let loaded = drill.dosage.iter().any(|d| d.load_kg.is_some());
    let required = match drill.kind {
        DrillKind::JointMobilisation | DrillKind::StaticStretch | DrillKind::SoftTissue => {
            Some(PainPolicy::PainFree)
        }
        // A strength drill that adds weight loads tissue: judged by the pain-monitoring
        // model. An unloaded control drill (toe yoga, arch doming) may be pain-free.
        DrillKind::Strength if loaded => Some(PainPolicy::Monitored),
        DrillKind::Strength | DrillKind::DynamicMobility | DrillKind::Balance => None,
    };
    if let Some(required) = required {
        if drill.pain_policy != required {
            p.add(
                &drill.id,
                "pain_policy_mismatch",
                format!("{:?} drills must be {:?}", drill.kind, required),
            );
        }
    }
}

/// Words around a pain number that make it an allowance ("up to 5 out of 10 is fine").
const ALLOWANCE_WORDS: &[&[&str]] = &[
    &["up", "to"],
    &["or", "less"],
    &["at", "most"],
    &["no", "more", "than"],
    &["bis"],
    &["höchstens"],
    &["oder", "weniger"],
    &["maximal"],
];
/// Words around a pain number that make it a stop threshold ("stop at 3 out of 10 or more").
const STOP_WORDS: &[&[&str]] = &[
    &["or", "more"],
    &["stop"],
    &["stops"],
    &["ab"],
    &["oder", "mehr"],
    &["aufhören"],
    &["abbrechen"],
];

fn has_phrase(words: &[String], phrases: &[&[&str]]) -> bool {
    phrases.iter().any(|phrase| {
        words
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase.iter()).all(|(a, b)| a == b))
    })
}

/// Scores out of ten in `clause`: "3 out of 10", "3/10", "3 von 10".
fn pain_numbers(words: &[String]) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<u32>() else { continue };
        let rest: Vec<&str> = words
            .iter()
            .skip(i + 1)
            .take(3)
            .map(String::as_str)
            .collect();
        let out_of_ten = matches!(rest.as_slice(), ["out", "of", "10", ..])
            || matches!(rest.as_slice(), ["von", "10", ..])
            || matches!(rest.as_slice(), ["slash10", ..]);
        if out_of_ten && n <= 10 {
            out.push(n);
        }
    }
    out
}

/// Pain numbers in a drill's text must agree with its pain policy: an allowance ("up to N
/// out of 10", "N out of 10 or less") may not exceed what the policy accepts, a stop
/// threshold ("stop at N out of 10 or more") must be exactly where the policy stops, and a
/// number that is neither is unclear. So no pain-free drill can tell the runner that 3/10 is
/// fine while the session stops it at 3.
fn check_pain_numbers(drill: &Drill, p: &mut Problems) {
    let max = u32::from(drill.pain_policy.max_acceptable_pain());
    for (locale, text) in &drill.text {
        let lines = std::iter::once(&text.description)
            .chain(&text.cues)
            .chain(&text.cautions);
        for line in lines {
            for clause in line.split(['.', ';', ':', '!', '?']) {
                let words: Vec<String> = clause
                    .replace("/10", " slash10")
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect();
                let numbers = pain_numbers(&words);
                if numbers.is_empty() {
                    continue;
                }
                let allows = has_phrase(&words, ALLOWANCE_WORDS);
                let stops = has_phrase(&words, STOP_WORDS);
                for n in numbers {
                    let problem = match (allows, stops) {
                        (true, false) if n > max => Some(format!(
                            "{locale}: {n}/10 allowed in {clause:?}, the {:?} policy stops at {}",
                            drill.pain_policy,
                            max + 1
                        )),
                        (false, true) if n != max + 1 => Some(format!(
                            "{locale}: stops at {n}/10 in {clause:?}, the {:?} policy stops at {}",
                            drill.pain_policy,
                            max + 1
                        )),
                        (true, false) | (false, true) => None,
                        _ => Some(format!(
                            "{locale}: {n}/10 in {clause:?} is neither clearly allowed nor a stop"
                        )),
                    };
                    if let Some(detail) = problem {
                        p.add(&drill.id, "pain_text_contradicts_policy", detail);
                    }
                }
            }
        }
    }
}

fn check_video(id: &str, video: &Video, cues: Option<usize>, p: &mut Problems) {
    if video.asset_id.trim().is_empty() {
        p.add(id, "video_asset_missing", "video asset id is empty");
    }
    if video.duration_ms == 0 || video.poster_ms >= video.duration_ms {
        p.add(
            id,
            "video_bounds",
            "poster frame must lie inside a non-empty clip",
        );
    }
    if !video
        .segments
        .iter()
        .any(|s| s.kind == super::model::SegmentKind::Demo)
    {
        p.add(id, "missing_segment", "the clip needs a demo segment");
    }
    let mut kinds = HashSet::new();
    for s in &video.segments {
        if !kinds.insert(s.kind) {
            p.add(
                id,
                "duplicate_segment",
                format!("{:?} appears twice", s.kind),
            );
        }
        if s.start_ms >= s.end_ms || s.end_ms > video.duration_ms {
            p.add(
                id,
                "video_bounds",
                format!(
                    "{:?} {}–{} ms is empty or outside the clip",
                    s.kind, s.start_ms, s.end_ms
                ),
            );
        }
        for mark in &s.cues {
            if mark.at_ms < s.start_ms || mark.at_ms >= s.end_ms {
                p.add(
                    id,
                    "cue_mark_out_of_segment",
                    format!("cue at {} ms is outside {:?}", mark.at_ms, s.kind),
                );
            }
            if let Some(n) = cues {
                if mark.cue as usize >= n {
                    p.add(
                        id,
                        "cue_index_out_of_range",
                        format!("cue #{} but the drill has {n} cues", mark.cue),
                    );
                }
            } else {
                p.add(
                    id,
                    "cue_index_out_of_range",
                    "assessments have no cues to mark",
                );
            }
        }
    }
    let mut spans: Vec<(u32, u32)> = video
        .segments
        .iter()
        .map(|s| (s.start_ms, s.end_ms))
        .collect();
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[1].0 < w[0].1) {
        p.add(id, "segment_overlap", "video segments overlap");
    }
}

fn check_links(file: &CatalogFile, p: &mut Problems) {
    let by_id: HashMap<&str, &Drill> = file.drills.iter().map(|d| (d.id.as_str(), d)).collect();
    for drill in &file.drills {
        let links = [
            ("progression", &drill.progression),
            ("regression", &drill.regression),
        ];
        for (name, link) in links {
            let Some(target_id) = link else { continue };
            let Some(target) = by_id.get(target_id.as_str()) else {
                p.add(
                    &drill.id,
                    "link_unresolved",
                    format!("{name} {target_id:?} does not exist"),
                );
                continue;
            };
            let back = if name == "progression" {
                &target.regression
            } else {
                &target.progression
            };
            if back.as_deref() != Some(drill.id.as_str()) {
                p.add(
                    &drill.id,
                    "link_asymmetric",
                    format!("{name} {target_id:?} does not link back"),
                );
            }
            if target.chain != drill.chain {
                p.add(
                    &drill.id,
                    "chain_mismatch",
                    format!("{name} {target_id:?} is in chain {:?}", target.chain),
                );
            }
        }
    }
    // Walk each chain from every drill: a cycle shows up as revisiting a drill.
    let mut reported_cycle = HashSet::new();
    for drill in &file.drills {
        let mut seen = HashSet::new();
        let mut current = Some(drill);
        while let Some(d) = current {
            if !seen.insert(d.id.as_str()) {
                if reported_cycle.insert(drill.chain.clone()) {
                    p.add(
                        &drill.id,
                        "chain_cycle",
                        format!("chain {:?} loops", drill.chain),
                    );
                }
                break;
            }
            current = d
                .progression
                .as_deref()
                .and_then(|id| by_id.get(id).copied());
        }
    }
    let mut chain_sizes: BTreeMap<&str, Vec<&Drill>> = BTreeMap::new();
    for drill in &file.drills {
        chain_sizes
            .entry(drill.chain.as_str())
            .or_default()
            .push(drill);
    }
    for (chain, members) in chain_sizes {
        let standalone = members.len() == 1 && members.iter().all(|d| d.standalone);
        if !standalone && !(2..=limits::MAX_CHAIN).contains(&members.len()) {
            p.add(
                chain,
                "chain_length",
                format!(
                    "chain has {} levels, needs 2–{} (or one standalone drill)",
                    members.len(),
                    limits::MAX_CHAIN
                ),
            );
        }
        let entries = members.iter().filter(|d| d.regression.is_none()).count();
        if entries != 1 && !reported_cycle.contains(chain) {
            p.add(
                chain,
                "chain_entry",
                format!("chain has {entries} entry drills (no regression), needs exactly 1"),
            );
        }
    }
}
