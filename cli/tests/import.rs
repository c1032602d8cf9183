//! `talus run import` on real files other projects publish (see tests/data/README.md) and
//! on Apple Health exports written here: running activities only, idempotent, streamed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn talus(profile: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(profile)
        .args(["--zone", "Europe/Berlin", "--no-red-flags"])
        .args(args)
        .output()
        .expect("talus runs")
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn runs(profile: &Path) -> Vec<serde_json::Value> {
    let text = ok(talus(profile, &["--json", "run", "list", "--days", "3650"]));
    serde_json::from_str::<serde_json::Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The folder of a dependency's package, through `cargo metadata` (for this machine's
/// target only, so no other platform's crates are needed).
fn package_dir(name: &str) -> PathBuf {
    let rustc = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            &host,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["manifest_path"].as_str())
        .unwrap_or_else(|| panic!("{name} is a dependency"))
        .to_owned();
    Path::new(&manifest).parent().unwrap().to_path_buf()
}

#[test]
fn a_garmin_gpx_run_is_imported_once_and_a_route_is_not_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let gpx = data("garmin-activity.gpx");
    let out = ok(talus(p, &["run", "import", gpx.to_str().unwrap()]));
    assert!(out.contains("1 new"), "{out}");
    let out = ok(talus(p, &["run", "import", gpx.to_str().unwrap()]));
    assert!(
        out.contains("0 new, 0 updated, 1 unchanged"),
        "idempotent: {out}"
    );
    let r = &runs(p)[0];
    assert_eq!(r["source"], "gpx");
    assert_eq!(r["start_ms"], 1_501_339_595_000_i64, "2017-07-29T14:46:35Z");
    assert_eq!(r["end_ms"], 1_501_345_093_000_i64);
    let km = r["distance_m"].as_f64().unwrap() / 1000.0;
    assert!(
        (12.5..13.1).contains(&km),
        "{km} km summed between track points"
    );

    let route = data("strava_route_example.gpx");
    let out = ok(talus(p, &["run", "import", route.to_str().unwrap()]));
    assert!(out.contains("planned route"), "{out}");
    assert_eq!(runs(p).len(), 1);
}

#[test]
fn a_garmin_tcx_run_counts_and_yoga_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = ok(talus(
        p,
        &[
            "run",
            "import",
            data("20210119_run_garmin_fenix6.tcx").to_str().unwrap(),
        ],
    ));
    assert!(out.contains("1 new"), "{out}");
    let r = &runs(p)[0];
    assert_eq!(r["source"], "tcx");
    assert_eq!(r["start_ms"], 1_611_099_050_000_i64, "2021-01-19T23:30:50Z");
    assert_eq!(r["end_ms"], 1_611_099_050_000_i64 + 1_230_479);
    assert!((r["distance_m"].as_f64().unwrap() - 5124.84).abs() < 0.01);
    let out = ok(talus(
        p,
        &["run", "import", data("20210323_yoga.tcx").to_str().unwrap()],
    ));
    assert!(out.contains("Left out (not runs): 1 other"), "{out}");
    assert_eq!(runs(p).len(), 1);
}

#[test]
fn fit_files_from_the_fitparser_package_import_runs_only() {
    let fixtures = package_dir("fitparser").join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = ok(talus(
        p,
        &[
            "run",
            "import",
            fixtures.join("Activity.fit").to_str().unwrap(),
        ],
    ));
    assert!(out.contains("1 new"), "{out}");
    let bike = fixtures.join("garmin-fenix-5-bike.fit");
    let out = ok(talus(p, &["run", "import", bike.to_str().unwrap()]));
    assert!(out.contains("0 new") && out.contains("1 cycling"), "{out}");
    let multi = fixtures.join("sample_mulitple_header.fit");
    let out = ok(talus(p, &["run", "import", multi.to_str().unwrap()]));
    assert!(
        out.contains("1 new"),
        "the run leg of a multisport file: {out}"
    );
    assert!(out.contains("1 swimming"), "{out}");
    let again = ok(talus(p, &["run", "import", multi.to_str().unwrap()]));
    assert!(again.contains("0 new, 0 updated, 1 unchanged"), "{again}");
    let settings = fixtures.join("Settings.fit");
    let out = ok(talus(p, &["run", "import", settings.to_str().unwrap()]));
    assert!(out.contains("No activities"), "{out}");
}

#[test]
fn an_apple_health_export_is_streamed_runs_only_and_idempotent() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let export = dir.path().join("export.xml");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&export).unwrap());
    writeln!(f, r#"<?xml version="1.0" encoding="UTF-8"?>"#).unwrap();
    writeln!(
        f,
        r#"<!DOCTYPE HealthData [<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>]>"#
    )
    .unwrap();
    writeln!(
        f,
        r#"<HealthData locale="de_DE"><ExportDate value="2026-11-01 08:00:00 +0100"/>"#
    )
    .unwrap();
    // About 20 MB of heart-rate records around two runs and a ride, as real exports are
    // mostly records.
    let record = r#"<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="2026-10-01 08:00:00 +0100" startDate="2026-10-01 08:00:00 +0100" endDate="2026-10-01 08:00:00 +0100" value="61"/>"#;
    for i in 0..100_000 {
        writeln!(f, "{record}").unwrap();
        if i == 30_000 {
            writeln!(f, r#"<Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="95" durationUnit="min" totalDistance="21.1" totalDistanceUnit="km" sourceName="Watch" startDate="2026-10-04 08:00:00 +0200" endDate="2026-10-04 09:35:00 +0200"><MetadataEntry key="HKIndoorWorkout" value="0"/></Workout>"#).unwrap();
        }
        if i == 60_000 {
            writeln!(f, r#"<Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="40" durationUnit="min" sourceName="Watch" startDate="2026-10-06 18:00:00 +0200" endDate="2026-10-06 18:40:00 +0200"><WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="2026-10-06 18:00:00 +0200" endDate="2026-10-06 18:40:00 +0200" sum="7.5" unit="km"/></Workout>"#).unwrap();
            writeln!(f, r#"<Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="60" durationUnit="min" totalDistance="30" totalDistanceUnit="km" startDate="2026-10-07 18:00:00 +0200" endDate="2026-10-07 19:00:00 +0200"/>"#).unwrap();
        }
    }
    writeln!(f, "</HealthData>").unwrap();
    drop(f);
    assert!(std::fs::metadata(&export).unwrap().len() > 15_000_000);
    let out = ok(talus(&p, &["run", "import", export.to_str().unwrap()]));
    assert!(out.contains("2 new"), "{out}");
    assert!(out.contains("1 cycling"), "{out}");
    let list = runs(&p);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["source"], "apple_health");
    assert_eq!(
        list[0]["end_ms"].as_i64().unwrap() - list[0]["start_ms"].as_i64().unwrap(),
        95 * 60_000
    );
    assert!((list[0]["distance_m"].as_f64().unwrap() - 21_100.0).abs() < 0.01);
    assert!((list[1]["distance_m"].as_f64().unwrap() - 7_500.0).abs() < 0.01);
    let out = ok(talus(&p, &["run", "import", export.to_str().unwrap()]));
    assert!(out.contains("0 new, 0 updated, 2 unchanged"), "{out}");
}

#[test]
fn files_that_are_not_activities_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let out = talus(&p, &["run", "import", "/nonexistent/run.gpx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "hello").unwrap();
    let out = talus(&p, &["run", "import", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".gpx, .tcx, .fit"));
    let broken = dir.path().join("cut.gpx");
    std::fs::write(
        &broken,
        "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"></trk>",
    )
    .unwrap();
    let out = talus(&p, &["run", "import", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5), "a damaged file");
}
