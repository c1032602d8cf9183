//! The catalog's long texts (descriptions, cues, cautions, assessment steps) are inflated
//! only when something shows or speaks them (ADR 0024): opening a profile, the first-run
//! screening, `today()`, the week plan, reminders and the safety state of a fresh process
//! read the catalog without them, with every drill name as the whole catalog has it; the
//! drill list then has every text exactly as `core/catalog/drills.json` says.
//! One test in its own binary: the inflated texts are shared by the whole process.

mod common;

use talus_core::catalog::{Catalog, EMBEDDED_CATALOG_JSON};

/// 2026-03-10 06:00 UTC.
const NOW: i64 = 1_773_122_400_000;

#[test]
fn the_open_path_and_the_plans_leave_the_long_texts_deflated_until_a_drill_screen() {
    let whole = Catalog::from_json(EMBEDDED_CATALOG_JSON).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = common::open_profile(&dir, "p", NOW);
    common::screen_all_no(&e, "de", NOW);
    let zone = "Europe/Berlin".to_string();
    let plan = e.today(NOW, zone.clone()).unwrap();
    assert!(!plan.items.is_empty(), "a screened profile plans drills");
    for item in &plan.items {
        let name = &whole
            .drill(&item.drill_id)
            .unwrap()
            .text("en")
            .unwrap()
            .name;
        assert_eq!(&item.drill_name, name);
    }
    let week = e.week_plan(NOW, zone.clone()).unwrap();
    assert!(week.days.iter().any(|d| !d.drill_names.is_empty()));
    e.reminders(NOW, zone).unwrap();
    e.safety_state().unwrap();
    assert!(
        !Catalog::embedded_long_texts_inflated(),
        "the open path inflated the catalog's long texts"
    );

    for locale in ["en", "de"] {
        let drills = e.drills(locale.into());
        assert_eq!(drills.len(), whole.drills().len());
        for info in drills {
            let text = whole.drill(&info.id).unwrap().text(locale).unwrap();
            assert_eq!(info.name, text.name);
            assert_eq!(info.description, text.description);
            assert_eq!(info.cues, text.cues);
            assert_eq!(info.cautions, text.cautions);
            assert!(!info.description.is_empty() && !info.cues.is_empty());
        }
    }
    assert!(Catalog::embedded_long_texts_inflated());
}
