//! Command tests for the catalog slice of the terminal coach.

use std::process::Command;

fn talus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_talus"))
        .args(args)
        .output()
        .expect("talus runs")
}

#[test]
fn drills_lists_every_chain_and_drill() {
    let out = talus(&["drills"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "dorsiflexion",
        "banded_df_mob",
        "calf_stance_pron_sup_swings",
        "star_excursion_reach",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    assert_eq!(text.lines().filter(|l| l.starts_with("  ")).count(), 23);
}

#[test]
fn drill_shows_localized_detail_and_segments() {
    let out = talus(&["drill", "banded_df_mob", "--locale", "de"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Sprunggelenk-Mobilisation mit Band"));
    assert!(text.contains("▶ Demo 0:04–0:19"));
}

#[test]
fn unknown_drill_is_one_clear_line_and_nonzero_exit() {
    let out = talus(&["drill", "moonwalk"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim(), "error: unknown drill id \"moonwalk\"");
}
