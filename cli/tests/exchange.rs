//! Command tests of sync, export, backup and run import on temporary profiles.

use std::path::Path;
use std::process::{Command, Output};

fn talus(profile: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(profile)
        .args(["--zone", "Europe/Berlin"])
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

fn json(o: Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("valid JSON")
}

#[test]
fn csv_import_is_idempotent_and_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let csv = dir.path().join("runs.csv");
    std::fs::write(
        &csv,
        "start,minutes,km,tags\n2026-11-01T08:00,45,9.5,\n2026-11-08T08:00,100,21.1,long;race\n",
    )
    .unwrap();
    let out = ok(talus(&profile, &["run", "import", csv.to_str().unwrap()]));
    assert!(out.contains("2 new"), "{out}");
    let out = ok(talus(&profile, &["run", "import", csv.to_str().unwrap()]));
    assert!(out.contains("0 new, 0 updated, 2 unchanged"), "{out}");
    let runs = json(talus(
        &profile,
        &["--json", "run", "list", "--days", "3650"],
    ));
    assert_eq!(runs.as_array().unwrap().len(), 2);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "2026-11-02T08:00,30,5\n2026-11-03T08:00,-30,5\n").unwrap();
    let out = talus(&profile, &["run", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    let runs = json(talus(
        &profile,
        &["--json", "run", "list", "--days", "3650"],
    ));
    assert_eq!(
        runs.as_array().unwrap().len(),
        2,
        "nothing from the bad file"
    );
}

#[test]
fn two_profiles_sync_and_export_for_a_clinician() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, tablet) = (dir.path().join("phone"), dir.path().join("tablet"));
    ok(talus(
        &phone,
        &["rom", "add", "--side", "left", "--cm", "8.5"],
    ));
    ok(talus(
        &tablet,
        &["rom", "add", "--side", "right", "--cm", "11"],
    ));
    ok(talus(
        &tablet,
        &[
            "--no-red-flags",
            "checkin",
            "--pain-calf=2",
            "--pain-achilles=0",
            "--pain-ankle=0",
            "--stiffness-calf=0",
            "--stiffness-achilles=0",
            "--stiffness-ankle=0",
        ],
    ));
    let report = json(talus(
        &phone,
        &["--json", "sync", "--with", tablet.to_str().unwrap()],
    ));
    assert!(
        report["here"]["new_changes"].as_u64().unwrap() >= 2,
        "{report}"
    );
    assert!(
        report["there"]["new_changes"].as_u64().unwrap() >= 1,
        "{report}"
    );
    let on_phone = json(talus(&phone, &["--json", "rom", "show"]));
    let on_tablet = json(talus(&tablet, &["--json", "rom", "show"]));
    assert_eq!(on_phone, on_tablet);
    assert_eq!(on_phone["right"].as_array().unwrap().len(), 1);

    let out = dir.path().join("for-physio");
    ok(talus(&phone, &["export", "--out", out.to_str().unwrap()]));
    let checkins = std::fs::read_to_string(out.join("checkins.csv")).unwrap();
    assert_eq!(checkins.lines().count(), 2, "{checkins}");
    let rom = std::fs::read_to_string(out.join("knee_to_wall.csv")).unwrap();
    assert_eq!(rom.lines().count(), 3, "{rom}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("export.json")).unwrap()).unwrap();
    assert!(doc.is_object());

    let not_profile = talus(&phone, &["sync", "--with", out.to_str().unwrap()]);
    assert_eq!(not_profile.status.code(), Some(1));
}

#[test]
fn backup_and_restore_through_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    ok(talus(&old, &["rom", "add", "--side", "left", "--cm", "7"]));
    let backup = dir.path().join("backup");
    ok(talus(&old, &["backup", "--out", backup.to_str().unwrap()]));
    let out = ok(talus(
        &new,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(out.contains("new change"), "{out}");
    assert_eq!(
        json(talus(&new, &["--json", "rom", "show"])),
        json(talus(&old, &["--json", "rom", "show"]))
    );
}

#[test]
fn no_folder_is_created_outside_the_profile_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let missing = dir.path().join("nowhere").join("x");
    let out = talus(&profile, &["sync", "--folder", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--folder"));
    assert!(!dir.path().join("nowhere").exists(), "nothing created");
    let out = talus(&profile, &["backup", "--out", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("nowhere").exists(), "nothing created");
    // The folder itself may be new when its parent exists: the runner named it.
    ok(talus(
        &profile,
        &["backup", "--out", dir.path().join("b").to_str().unwrap()],
    ));
    // A file given as the profile is refused in words.
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let out = talus(&file, &["rom", "show"]);
    assert_eq!(out.status.code(), Some(4), "the profile cannot be opened");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a file, not a folder"), "{err}");
}
