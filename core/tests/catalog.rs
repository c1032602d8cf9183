//! Catalog tests: the embedded catalog is valid and complete, each validation rule fires on
//! exactly the break it guards against, and the queries navigate the chains.

use proptest::prelude::*;
use talus_core::catalog::{
    validate, Catalog, CatalogError, CatalogFile, Equipment, PainPolicy, SegmentKind, Sides,
    Target, EMBEDDED_CATALOG_JSON,
};

fn file() -> CatalogFile {
    serde_json::from_str(EMBEDDED_CATALOG_JSON).expect("embedded catalog parses")
}

fn codes_after(mutate: impl FnOnce(&mut CatalogFile)) -> Vec<String> {
    let mut f = file();
    mutate(&mut f);
    validate(&f).into_iter().map(|p| p.code).collect()
}

fn drill_mut<'a>(f: &'a mut CatalogFile, id: &str) -> &'a mut talus_core::catalog::Drill {
    f.drills
        .iter_mut()
        .find(|d| d.id == id)
        .expect("drill exists")
}

#[test]
fn embedded_catalog_is_valid_and_complete() {
    let catalog = Catalog::embedded().expect("embedded catalog is valid");
    assert!(catalog.drills().len() >= 18, "{}", catalog.drills().len());
    for seed in ["banded_df_mob", "calf_stance_pron_sup_swings"] {
        let drill = catalog.drill(seed).expect("seed drill present");
        assert_eq!(drill.pain_policy, PainPolicy::PainFree);
        assert_eq!(drill.sides, Sides::Each);
    }
    let ktw = catalog
        .assessment("assess_knee_to_wall")
        .expect("knee-to-wall present");
    assert_eq!(ktw.unit, "cm");
    for drill in catalog.drills() {
        let en = drill.text("en").expect("en text");
        assert!((3..=4).contains(&en.cues.len()), "{}", drill.id);
        assert!(drill.text.contains_key("de"), "{} lacks de", drill.id);
        assert!(drill.segment(SegmentKind::Demo).is_some());
    }
}

#[test]
fn locale_falls_back_to_language_then_english() {
    let catalog = Catalog::embedded().unwrap();
    let drill = catalog.drill("banded_df_mob").unwrap();
    let de = &drill.text["de"].name;
    assert_eq!(&drill.text("de-AT").unwrap().name, de);
    assert_eq!(&drill.text("de_CH").unwrap().name, de);
    assert_eq!(drill.text("fr").unwrap().name, drill.text["en"].name);
}

type Mutation = Box<dyn FnOnce(&mut CatalogFile)>;

#[test]
fn each_rule_reports_its_own_code() {
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "duplicate_id",
            Box::new(|f| {
                let copy = f.drills[0].clone();
                f.drills.push(copy);
            }),
        ),
        (
            "bad_id",
            Box::new(|f| f.assessments[0].id = "Knee To Wall".into()),
        ),
        (
            "missing_en_text",
            Box::new(|f| {
                drill_mut(f, "toe_yoga").text.remove("en");
            }),
        ),
        (
            "missing_locale",
            Box::new(|f| {
                drill_mut(f, "toe_yoga").text.remove("de");
            }),
        ),
        (
            "empty_name",
            Box::new(|f| {
                drill_mut(f, "toe_yoga").text.get_mut("de").unwrap().name = " ".into();
            }),
        ),
        (
            "cue_count",
            Box::new(|f| {
                let d = drill_mut(f, "toe_yoga");
                for t in d.text.values_mut() {
                    t.cues.truncate(2);
                }
                d.video
                    .segments
                    .iter_mut()
                    .for_each(|s| s.cues.retain(|c| c.cue < 2));
            }),
        ),
        (
            "cue_count_mismatch",
            Box::new(|f| {
                drill_mut(f, "toe_yoga")
                    .text
                    .get_mut("de")
                    .unwrap()
                    .cues
                    .pop();
            }),
        ),
        (
            "empty_cue",
            Box::new(|f| {
                drill_mut(f, "toe_yoga").text.get_mut("en").unwrap().cues[0] = String::new();
            }),
        ),
        (
            "link_unresolved",
            Box::new(|f| {
                drill_mut(f, "banded_df_mob_elevated").progression = Some("moon_walk".into());
            }),
        ),
        (
            "link_asymmetric",
            Box::new(|f| {
                drill_mut(f, "knee_to_wall_rocks").regression = None;
            }),
        ),
        (
            "chain_mismatch",
            Box::new(|f| drill_mut(f, "banded_df_mob_elevated").chain = "x".into()),
        ),
        (
            "chain_cycle",
            Box::new(|f| {
                drill_mut(f, "banded_df_mob_elevated").progression =
                    Some("ankle_pumps_seated".into());
                drill_mut(f, "ankle_pumps_seated").regression =
                    Some("banded_df_mob_elevated".into());
            }),
        ),
        (
            "chain_length",
            Box::new(|f| drill_mut(f, "soleus_wall_stretch").standalone = false),
        ),
        (
            "no_dosage",
            Box::new(|f| drill_mut(f, "toe_yoga").dosage.clear()),
        ),
        (
            "dose_reps_xor_hold",
            Box::new(|f| drill_mut(f, "toe_yoga").dosage[0].hold_s = Some(30)),
        ),
        (
            "dose_out_of_range",
            Box::new(|f| drill_mut(f, "toe_yoga").dosage[0].reps = Some(500)),
        ),
        (
            "pain_policy_mismatch",
            Box::new(|f| {
                drill_mut(f, "banded_df_mob").pain_policy = PainPolicy::Monitored;
            }),
        ),
        (
            "video_bounds",
            Box::new(|f| {
                let v = &mut drill_mut(f, "toe_yoga").video;
                v.poster_ms = v.duration_ms + 1;
            }),
        ),
        (
            "segment_overlap",
            Box::new(|f| {
                let v = &mut drill_mut(f, "toe_yoga").video;
                v.segments[1].start_ms = v.segments[0].end_ms.saturating_sub(1000);
            }),
        ),
        (
            "missing_segment",
            Box::new(|f| {
                drill_mut(f, "toe_yoga")
                    .video
                    .segments
                    .retain(|s| s.kind != SegmentKind::Demo);
            }),
        ),
        (
            "cue_mark_out_of_segment",
            Box::new(|f| {
                let v = &mut drill_mut(f, "banded_df_mob").video;
                v.segments[0].cues[0].at_ms = v.segments[0].end_ms + 10;
            }),
        ),
        (
            "cue_index_out_of_range",
            Box::new(|f| {
                drill_mut(f, "banded_df_mob").video.segments[0].cues[0].cue = 9;
            }),
        ),
        (
            "bad_locale",
            Box::new(|f| {
                let d = drill_mut(f, "toe_yoga");
                let de = d.text["de"].clone();
                d.text.insert("German!".into(), de);
            }),
        ),
    ];
    assert!(validate(&file()).is_empty());
    for (code, mutate) in cases {
        let codes = codes_after(mutate);
        assert!(codes.iter().any(|c| c == code), "{code} not in {codes:?}");
    }
}

#[test]
fn a_catalog_broken_several_ways_reports_every_problem() {
    let mut f = file();
    drill_mut(&mut f, "toe_yoga").dosage[0].sets = 0;
    drill_mut(&mut f, "banded_df_mob").pain_policy = PainPolicy::Monitored;
    drill_mut(&mut f, "banded_df_mob_elevated").progression = Some("nowhere".into());
    let json = serde_json::to_string(&f).unwrap();
    match Catalog::from_json(&json) {
        Err(CatalogError::Invalid(problems)) => {
            let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
            for code in [
                "dose_out_of_range",
                "pain_policy_mismatch",
                "link_unresolved",
            ] {
                assert!(codes.contains(&code), "{code} missing from {codes:?}");
            }
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn garbage_is_a_parse_error() {
    assert!(matches!(
        Catalog::from_json("{"),
        Err(CatalogError::Parse(_))
    ));
    assert!(matches!(
        Catalog::from_json(r#"{"version":1,"drills":[],"assessments":[]}"#),
        Err(CatalogError::Invalid(_))
    ));
}

#[test]
fn queries_by_target_and_equipment() {
    let c = Catalog::embedded().unwrap();
    let df: Vec<_> = c
        .by_target(Target::Dorsiflexion)
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert!(df.contains(&"banded_df_mob") && df.contains(&"knee_to_wall_rocks"));
    assert!(!df.contains(&"toe_yoga"));
    let bare: Vec<_> = c
        .available_with(&[])
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert!(bare.contains(&"ankle_pumps_seated"));
    assert!(!bare.contains(&"banded_df_mob"));
    let with_band: Vec<_> = c
        .available_with(&[Equipment::Band, Equipment::Wall])
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert!(with_band.contains(&"banded_df_mob") && with_band.contains(&"knee_to_wall_rocks"));
    assert!(
        !with_band.contains(&"banded_df_mob_elevated"),
        "needs a step too"
    );
}

#[test]
fn chain_navigation() {
    let c = Catalog::embedded().unwrap();
    assert_eq!(
        c.next_level("banded_df_mob").unwrap().unwrap().id,
        "banded_df_mob_elevated"
    );
    assert_eq!(
        c.previous_level("banded_df_mob").unwrap().unwrap().id,
        "knee_to_wall_rocks"
    );
    assert!(c.next_level("banded_df_mob_elevated").unwrap().is_none());
    assert!(c.previous_level("ankle_pumps_seated").unwrap().is_none());
    assert!(matches!(
        c.next_level("nope"),
        Err(CatalogError::UnknownDrill(_))
    ));
    let chain: Vec<_> = c
        .chain("banded_df_mob")
        .unwrap()
        .iter()
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(
        chain,
        [
            "ankle_pumps_seated",
            "knee_to_wall_rocks",
            "banded_df_mob",
            "banded_df_mob_elevated"
        ]
    );
    assert_eq!(c.chain_position("banded_df_mob").unwrap(), 2);
    let chains = c.chains();
    assert_eq!(chains["subtalar"][1], "calf_stance_pron_sup_swings");
    assert_eq!(chains["soleus_stretch"], ["soleus_wall_stretch"]);
    let total: usize = chains.values().map(Vec::len).sum();
    assert_eq!(
        total,
        c.drills().len(),
        "every drill sits in exactly one chain"
    );
    assert_eq!(
        c.entry_drill("calf_achilles").unwrap().id,
        "double_leg_calf_raise"
    );
    assert!(matches!(
        c.chain_named("nope"),
        Err(CatalogError::UnknownChain(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_rewiring_and_dosage_never_panics(
        drill_a in 0usize..23, drill_b in 0usize..23, link_kind in 0u8..3,
        sets in 0u32..50, reps in proptest::option::of(0u32..100), hold in proptest::option::of(0u32..500),
        cut in 0usize..20_000,
    ) {
        let mut f = file();
        let n = f.drills.len();
        let target = f.drills[drill_b % n].id.clone();
        let d = &mut f.drills[drill_a % n];
        match link_kind {
            0 => d.progression = Some(target),
            1 => d.regression = Some(target),
            _ => d.progression = None,
        }
        d.dosage[0].sets = sets;
        d.dosage[0].reps = reps;
        d.dosage[0].hold_s = hold;
        let json = serde_json::to_string(&f).unwrap();
        let _ = Catalog::from_json(&json);
        if let Some(prefix) = json.get(..cut.min(json.len())) {
            let _ = Catalog::from_json(prefix);
        }
    }
}

#[test]
fn embedded_catalog_is_the_json_file_validated() {
    // The shipped catalog is decoded from build-time bytes; it must be exactly the JSON file.
    let embedded = Catalog::embedded().expect("embedded catalog decodes");
    let parsed = Catalog::from_json(EMBEDDED_CATALOG_JSON).expect("JSON catalog is valid");
    assert_eq!(embedded.version(), parsed.version());
    assert_eq!(embedded.drills(), parsed.drills());
    assert_eq!(embedded.assessments(), parsed.assessments());
}

fn pain_text_problems(id: &str, locale: &str, caution: &str) -> Vec<String> {
    let mut f = file();
    drill_mut(&mut f, id)
        .text
        .get_mut(locale)
        .unwrap()
        .cautions
        .push(caution.into());
    validate(&f)
        .into_iter()
        .filter(|p| p.code == "pain_text_contradicts_policy")
        .map(|p| p.detail)
        .collect()
}

#[test]
fn pain_numbers_in_text_must_agree_with_the_policy() {
    // Planted contradictions are caught, in either language and either notation.
    for (id, locale, caution) in [
        (
            "gastroc_wall_stretch",
            "en",
            "Keep it at 3 out of 10 or less.",
        ),
        ("gastroc_wall_stretch", "en", "Up to 4/10 is fine."),
        ("plantar_ball_roll", "de", "Druck höchstens 3 von 10."),
        (
            "single_leg_calf_raise",
            "en",
            "Up to 6 out of 10 is acceptable.",
        ),
        (
            "single_leg_calf_raise",
            "en",
            "Stop at 3 out of 10 or more.",
        ),
        ("banded_df_mob", "de", "Bei Schmerz ab 5 von 10 aufhören."),
        ("toe_yoga", "en", "A little pain, 3/10, is normal."),
    ] {
        let problems = pain_text_problems(id, locale, caution);
        assert_eq!(problems.len(), 1, "{id} {caution:?}: {problems:?}");
    }
    // What agrees with the policy passes.
    for (id, locale, caution) in [
        (
            "gastroc_wall_stretch",
            "en",
            "Stop at any pain of 3 out of 10 or more.",
        ),
        (
            "gastroc_wall_stretch",
            "en",
            "A stretch of up to 2 out of 10 is fine.",
        ),
        (
            "single_leg_calf_raise",
            "de",
            "Bis 5 von 10 ist in Ordnung.",
        ),
        (
            "single_leg_calf_raise",
            "en",
            "Stop above 5: at 6/10 or more.",
        ),
        ("single_leg_calf_raise", "en", "Hold 30 seconds, 10 reps."),
    ] {
        let problems = pain_text_problems(id, locale, caution);
        assert!(problems.is_empty(), "{id} {caution:?}: {problems:?}");
    }
}

#[test]
fn a_loaded_strength_drill_is_monitored_an_unloaded_one_may_be_pain_free() {
    let mismatch = |id: &'static str, policy: PainPolicy| {
        codes_after(move |f| drill_mut(f, id).pain_policy = policy)
            .contains(&"pain_policy_mismatch".to_string())
    };
    assert!(mismatch("eccentric_heel_drop_step", PainPolicy::PainFree));
    assert!(!mismatch("toe_yoga", PainPolicy::PainFree));
    assert!(!mismatch("toe_yoga", PainPolicy::Monitored));
}

#[test]
fn drill_text_carries_its_safety_conditions() {
    let catalog = Catalog::embedded().unwrap();
    let text = |id: &str, locale: &str| {
        let t = catalog.drill(id).unwrap().text(locale).unwrap().clone();
        format!("{} {}", t.description, t.cautions.join(" "))
    };
    // The banded mobilisation names the fracture screen as a prerequisite.
    assert!(text("banded_df_mob", "en").contains("Ottawa ankle rules"));
    assert!(text("banded_df_mob", "de").contains("Ottawa"));
    // The seed swing drill covers the acute phase after a sprain and asks for control.
    let swings = text("calf_stance_pron_sup_swings", "en");
    assert!(
        swings.contains("acute") && swings.contains("under control"),
        "{swings}"
    );
    // The control drills are pain-free and say so.
    for id in ["toe_yoga", "short_foot_exercise"] {
        assert_eq!(catalog.drill(id).unwrap().pain_policy, PainPolicy::PainFree);
        assert!(text(id, "en").contains("should not hurt"), "{id}");
    }
    // Eccentric heel drops: three sets straight-knee and three bent-knee at every level
    // (Alfredson et al. 1998), as the text says.
    let drops = catalog.drill("eccentric_heel_drop_step").unwrap();
    assert!(drops
        .dosage
        .iter()
        .all(|d| d.sets == 6 && d.reps == Some(15)));
    assert!(text("eccentric_heel_drop_step", "en").contains("three with it bent"));
}

#[test]
fn the_catalog_for_plans_is_the_embedded_one_without_its_long_texts() {
    let whole = Catalog::embedded().unwrap();
    let for_plans = Catalog::embedded_for_plans().unwrap();
    assert_eq!(for_plans.version(), whole.version());
    assert_eq!(for_plans.chain_ids(), whole.chain_ids());
    let mut expected = whole.drills().to_vec();
    for text in expected.iter_mut().flat_map(|d| d.text.values_mut()) {
        assert!(!text.description.is_empty() && !text.cues.is_empty());
        assert!(!text.cautions.is_empty());
        text.description.clear();
        text.cues.clear();
        text.cautions.clear();
    }
    assert_eq!(for_plans.drills(), expected);
    let mut expected = whole.assessments().to_vec();
    for text in expected.iter_mut().flat_map(|a| a.text.values_mut()) {
        assert!(!text.description.is_empty() && !text.steps.is_empty());
        text.description.clear();
        text.steps.clear();
        text.cautions.clear();
    }
    assert_eq!(for_plans.assessments(), expected);
    // Asked for its texts, it gives the whole catalog; a whole catalog gives itself.
    let texts = for_plans.with_long_texts().unwrap();
    assert_eq!(texts.drills(), whole.drills());
    assert_eq!(texts.assessments(), whole.assessments());
    let parsed = Catalog::from_json(EMBEDDED_CATALOG_JSON).unwrap();
    assert!(std::ptr::eq(parsed.with_long_texts().unwrap(), &parsed));
}
