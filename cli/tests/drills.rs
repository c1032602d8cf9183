//! Command tests of the terminal coach on temporary profiles.

use std::process::{Command, Output};

fn talus(profile: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(profile)
        .args(args)
        .output()
        .expect("talus runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn drills_and_drill_are_localized() {
    let dir = tempfile::tempdir().unwrap();
    let out = talus(dir.path(), &["drills"]);
    assert!(out.status.success());
    assert_eq!(text(&out).lines().count(), 23);
    let out = talus(dir.path(), &["drill", "banded_df_mob", "--locale", "de"]);
    assert!(text(&out).contains("Sprunggelenk-Mobilisation mit Band"));
    assert!(text(&out).contains("▶ banded-df demo 0:04–0:19"));
}

#[test]
fn errors_are_one_line_with_nonzero_exit_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = talus(dir.path(), &["drill", "moonwalk"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: no drill \"moonwalk\". `talus drills` lists them all."
    );
    let out = talus(dir.path(), &["drill", "banded-df-mob"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean banded_df_mob"));
    // A value out of range names the flag and the scale; the command line is wrong: exit 2.
    let out = talus(
        dir.path(),
        &["--no-red-flags", "checkin", "--pain-ankle", "11"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--pain-ankle") && err.contains("0 (none) to 10"),
        "{err}"
    );
    let out = talus(dir.path(), &["rom", "add", "--side", "left", "--cm=-3"]);
    assert_eq!(out.status.code(), Some(2));
    let out = talus(dir.path(), &["rom", "add", "--side", "L", "--cm", "9,5"]);
    assert!(out.status.success(), "L and a decimal comma are understood");
    let out = talus(dir.path(), &["--zone", "berlin", "rom", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean Europe/Berlin?"));
    let out = talus(dir.path(), &["todya"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'today'"));
    let out = talus(dir.path(), &["rom", "show"]);
    assert!(text(&out).contains("9.5"), "{}", text(&out));
}

#[test]
fn checkin_run_rom_today_session_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(talus(p, &["screen", "--all-no"]).status.success());
    let out = talus(p, &["checkin", "--pain-ankle", "1"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no made-up zeros for the missing scores"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing --pain-calf"));
    let all = [
        "checkin",
        "--pain-calf=0",
        "--pain-achilles=0",
        "--pain-ankle=1",
        "--stiffness-calf=1",
        "--stiffness-achilles=0",
        "--stiffness-ankle=1",
    ];
    let out = talus(p, &all);
    assert!(text(&out).contains("Morning: GREEN"), "{}", text(&out));
    let out = talus(p, &all);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a second check-in is never a silent replace"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--again"));
    let mut again = all.to_vec();
    again.push("--again");
    assert!(talus(p, &again).status.success());
    let out = talus(
        p,
        &[
            "run",
            "add",
            "--start",
            "2026-11-20T07:00",
            "--minutes",
            "45",
            "--km",
            "8.5",
        ],
    );
    assert!(text(&out).contains("Run recorded"), "{}", text(&out));
    assert!(text(&talus(
        p,
        &[
            "run",
            "add",
            "--start",
            "2026-11-20T07:00",
            "--minutes",
            "45",
            "--km",
            "8.5"
        ]
    ))
    .contains("Run unchanged"));
    for (side, cm) in [("left", "8.5"), ("right", "11.0")] {
        assert!(talus(p, &["rom", "add", "--side", side, "--cm", cm])
            .status
            .success());
    }
    let out = talus(p, &["today"]);
    assert!(text(&out).contains("Today ("), "{}", text(&out));
    assert!(
        text(&out).contains("+1 set left"),
        "stiffer side gets the extra set: {}",
        text(&out)
    );
    let out = talus(p, &["session", "--auto", "1,1,1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text(&out).contains("Session complete"), "{}", text(&out));
    let out = talus(p, &["history"]);
    assert!(text(&out).contains("Finished"), "{}", text(&out));
}

#[test]
fn interactive_session_reads_answers_from_stdin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // The core refuses a first drill before the screening (a piped new profile is not asked).
    assert!(!talus(dir.path(), &["session"]).status.success());
    assert!(talus(dir.path(), &["screen", "--all-no"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(dir.path())
        .args(["--no-red-flags", "session"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Watch the demo, then stop at the first rep prompt.
    child.stdin.as_mut().unwrap().write_all(b"\nq\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let t = text(&out);
    assert!(t.contains("Enter when you have watched the demo"), "{t}");
    assert!(t.contains("Enter = rep done"), "{t}");
    assert!(t.contains("ended early"), "{t}");
}

#[test]
fn a_paused_session_that_cannot_be_restored_never_blocks_todays() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    assert!(talus(dir.path(), &["screen", "--all-no"]).status.success());
    // Start a session and let the input end after the demo: it stays open, to be resumed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(dir.path())
        .arg("session")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.as_mut().unwrap().write_all(b"\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    let db = rusqlite::Connection::open(dir.path().join("talus.db")).unwrap();
    let damaged = db
        .execute(
            "UPDATE session SET snapshot = 'talus-run;junk' WHERE status IN ('started', 'paused')",
            [],
        )
        .unwrap();
    assert_eq!(damaged, 1, "one open session");
    drop(db);

    let out = talus(
        dir.path(),
        &["session", "--auto", "1,1,1,1,1,1,1,1,1,1,1,1,1,1"],
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text(&out).contains("could not be restored"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("Resuming"), "{}", text(&out));
    // Both stay in the history: the unreadable one as unfinished, today's as done.
    let history = json_of(&talus(dir.path(), &["--json", "history"]));
    let statuses: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2, "{history}");
    assert!(statuses.contains(&"abandoned"), "{history}");
    // Another start now resumes nothing and is not refused for the broken one either.
    let again = talus(dir.path(), &["session", "--auto", "1"]);
    assert!(
        !text(&again).contains("could not be restored"),
        "{}",
        text(&again)
    );
}

#[test]
fn rom_png_is_a_valid_image_of_the_documented_size() {
    let dir = tempfile::tempdir().unwrap();
    for (side, cm) in [("left", "8"), ("left", "9.1"), ("right", "11.2")] {
        let out = talus(dir.path(), &["rom", "add", "--side", side, "--cm", cm]);
        assert!(out.status.success());
    }
    let png = dir.path().join("rom.png");
    let out = talus(dir.path(), &["rom", "show", "--png", png.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (960, 640));
    // An empty series is said in words, and no file is written.
    let empty = tempfile::tempdir().unwrap();
    let none = empty.path().join("none.png");
    let out = talus(
        empty.path(),
        &["rom", "show", "--png", none.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(text(&out).contains("No chart written"), "{}", text(&out));
    assert!(!none.exists());
}

#[test]
fn a_new_profile_asks_for_screening_or_takes_the_script_flag() {
    let dir = tempfile::tempdir().unwrap();
    let piped = talus(&dir.path().join("a"), &["today"]);
    assert_eq!(piped.status.code(), Some(3), "no drills before screening");
    assert!(String::from_utf8_lossy(&piped.stderr).contains("talus screen"));
    assert!(!dir.path().join("a").exists(), "nothing created");
    let scripted = talus(&dir.path().join("b"), &["--no-red-flags", "today"]);
    assert!(scripted.status.success());
    assert!(
        text(&scripted).starts_with("All clear"),
        "{}",
        text(&scripted)
    );
    assert!(scripted.stderr.is_empty());
    // Only on the first run.
    let again = talus(&dir.path().join("b"), &["--no-red-flags", "today"]);
    assert!(!text(&again).contains("All clear"));
}

/// `talus today | head -4`: the reader goes away; the coach ends quietly with exit 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    assert!(talus(dir.path(), &["screen", "--all-no"]).status.success());
    for args in [
        &["today"][..],
        &["history", "--json"],
        &["drills", "--json"],
        &["--help"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_talus"))
            .arg("--profile")
            .arg(dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn the_text_chart_is_dated_and_names_the_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let today = chrono::Utc::now().date_naive();
    let (a, b) = (
        today - chrono::Duration::days(14),
        today - chrono::Duration::days(7),
    );
    for (side, cm, day) in [
        ("left", "7.5", a),
        ("right", "11", a),
        ("left", "9.5", b),
        ("right", "11.2", b),
    ] {
        let at = format!("{}T08:00", day.format("%Y-%m-%d"));
        let out = talus(p, &["rom", "add", "--side", side, "--cm", cm, "--at", &at]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let t = text(&talus(p, &["rom", "show"]));
    let (da, db) = (
        a.format("%d.%m.%Y").to_string(),
        b.format("%d.%m.%Y").to_string(),
    );
    assert!(
        t.contains(&format!("{} {}", &da[..5], &db[..5])),
        "dated columns: {t}"
    );
    assert!(
        t.contains(&format!(
            "left   7.5 cm on {da} → 9.5 cm on {db}: +2.0 cm, a real change (beyond 1.5 cm)"
        )),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "right  11.0 cm on {da} → 11.2 cm on {db}: +0.2 cm, within measurement error"
        )),
        "{t}"
    );
    assert!(t.contains("difference now 1.7 cm — above 1.5 cm"), "{t}");
}

#[test]
fn a_red_flag_at_check_in_locks_and_a_confirmed_clearance_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(talus(p, &["screen", "--all-no"]).status.success());
    let scores = [
        "checkin",
        "--pain-calf=1",
        "--pain-achilles=0",
        "--pain-ankle=0",
        "--stiffness-calf=1",
        "--stiffness-achilles=0",
        "--stiffness-ankle=0",
    ];
    let mut typo = scores.to_vec();
    typo.extend(["--red-flag", "calf_swollen"]);
    let out = talus(p, &typo);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean calf_swollen_hot?"));
    let mut flagged = scores.to_vec();
    flagged.extend(["--red-flag", "calf_swollen_hot"]);
    let out = talus(p, &flagged);
    assert!(text(&out).contains("talus clear"), "{}", text(&out));
    assert!(text(&talus(p, &["today"])).contains("locked"));
    let out = talus(p, &["session", "--auto", "1"]);
    assert_eq!(out.status.code(), Some(3), "locked: exit 3");
    let out = talus(p, &["clear"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no terminal: the flag is needed"
    );
    let out = talus(p, &["clear", "--confirmed"]);
    assert_eq!(out.status.code(), Some(2), "scripts name who cleared them");
    let out = talus(p, &["clear", "--confirmed", "--by", "Dr Weber"]);
    assert!(
        text(&out).contains("drills are open again"),
        "{}",
        text(&out)
    );
    assert!(!text(&talus(p, &["today"])).contains("locked"));
    let out = talus(p, &["clear", "--confirmed", "--by", "Dr Weber"]);
    assert!(text(&out).contains("Nothing to clear"), "{}", text(&out));
}

#[test]
fn german_is_remembered_and_covers_the_shells_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = talus(p, &["--no-red-flags", "--locale", "de", "today"]);
    let t = text(&out);
    assert!(t.starts_with("Alles in Ordnung"), "{t}");
    assert!(t.contains("Heute (") && t.contains("Stufe 1"), "{t}");
    assert!(t.contains("Wdh.") && t.contains("links dann rechts"), "{t}");
    assert!(!t.contains("level") && !t.contains("reps"), "{t}");
    // Remembered by the profile, core messages included.
    let t = text(&talus(p, &["today"]));
    assert!(t.contains("Heute noch kein Check-in"), "{t}");
    let t = text(&talus(p, &["session", "--auto", "1"]));
    assert!(
        t.contains("Satz 1/") && t.contains("Einheit geschafft"),
        "{t}"
    );
    let t = text(&talus(p, &["rom", "add", "--side", "l", "--cm", "9"]));
    assert!(t.contains("Gespeichert: 9,0 cm"), "{t}");
    let t = text(&talus(p, &["--locale", "en", "today"]));
    assert!(
        t.contains("Today (") && t.contains("No check-in yet today"),
        "{t}"
    );
}

#[test]
fn entries_are_deleted_by_the_short_id_lists_show() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for cm in ["9", "9.5"] {
        assert!(talus(p, &["rom", "add", "--side", "left", "--cm", cm])
            .status
            .success());
    }
    let list = text(&talus(p, &["rom", "list"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    let id = list
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 8);
    let out = talus(p, &["delete", "rom", &id]);
    assert_eq!(out.status.code(), Some(2), "no terminal: --yes is needed");
    let out = talus(p, &["delete", "rom", "zz"]);
    assert_eq!(out.status.code(), Some(2), "too short to name one entry");
    let out = talus(p, &["delete", "rom", &id, "--yes"]);
    assert!(
        text(&out).contains("Deleted the knee-to-wall left 9.0 cm"),
        "{}",
        text(&out)
    );
    let list = text(&talus(p, &["rom", "list"]));
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("9.5 cm"));
    let out = talus(p, &["delete", "rom", &id, "--yes"]);
    assert_eq!(out.status.code(), Some(1), "already gone");
    // A check-in too.
    let scores = [
        "--no-red-flags",
        "checkin",
        "--pain-calf=1",
        "--pain-achilles=0",
        "--pain-ankle=2",
        "--stiffness-calf=3",
        "--stiffness-achilles=0",
        "--stiffness-ankle=1",
    ];
    assert!(talus(p, &scores).status.success());
    let list = text(&talus(p, &["checkins"]));
    assert!(list.contains("1/0/2 · 3/0/1"), "{list}");
    let id = list.split_whitespace().next().unwrap().to_owned();
    assert!(talus(p, &["delete", "checkin", &id, "--yes"])
        .status
        .success());
    assert!(text(&talus(p, &["checkins"])).contains("Nothing yet"));
}

#[test]
fn the_auto_log_advances_reps_once_per_line_and_severe_pain_never_reads_complete() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = talus(p, &["--no-red-flags", "session", "--auto", "1,9"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = text(&out);
    let lines: Vec<&str> = t.lines().collect();
    for pair in lines.windows(2) {
        assert_ne!(pair[0], pair[1], "a line repeated: {t}");
    }
    assert!(t.contains("rep 1/15") && t.contains("rep 14/15"), "{t}");
    assert!(
        t.contains("⚠ Session ended for pain"),
        "explained at once: {t}"
    );
    assert!(t.contains("ended for your safety"), "{t}");
    assert!(
        !t.contains("100%") && !t.contains("Session complete"),
        "{t}"
    );
}

#[test]
fn a_pause_after_pain_is_lifted_by_the_scripted_follow_up_and_says_only_what_applies() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(talus(p, &["screen", "--all-no"]).status.success());
    let out = talus(p, &["follow-up", "--all-no"]);
    assert!(text(&out).contains("No follow-up is due"), "{}", text(&out));
    let ended = talus(p, &["session", "--auto", "9"]);
    assert!(text(&ended).contains("talus follow-up"), "{}", text(&ended));
    let history = text(&talus(p, &["history"]));
    assert!(
        history.contains("Ended for pain"),
        "not 'finished': {history}"
    );
    let today = text(&talus(p, &["today"]));
    assert!(today.contains("talus follow-up"), "{today}");
    for misleading in [
        "No check-in yet",
        "normal day",
        "knee-to-wall baseline",
        "talus session",
    ] {
        assert!(!today.contains(misleading), "{misleading}: {today}");
    }
    let out = talus(p, &["session", "--auto", "1"]);
    assert_eq!(out.status.code(), Some(3), "paused: exit 3");
    assert!(String::from_utf8_lossy(&out.stderr).contains("talus follow-up"));
    let out = talus(p, &["follow-up"]);
    assert_eq!(out.status.code(), Some(2), "no terminal: nothing assumed");
    let out = talus(p, &["follow-up", "--yes", "limpin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Did you mean limping?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = talus(p, &["follow-up", "--not-sure", "limping"]);
    assert_eq!(out.status.code(), Some(3), "not sure keeps the pause");
    assert_eq!(
        json_of(&talus(p, &["--json", "today"]))["variant"],
        "paused"
    );
    let out = talus(p, &["follow-up", "--all-no"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text(&out).contains("Drills are open again"),
        "{}",
        text(&out)
    );
    assert_ne!(
        json_of(&talus(p, &["--json", "today"]))["variant"],
        "paused"
    );
    let listed = text(&talus(p, &["follow-up", "--list"]));
    assert_eq!(listed.lines().count(), 7, "{listed}");
}

fn json_of(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_zone_given_once_is_remembered_and_a_new_profile_starts_with_the_systems() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a");
    let out = Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(&p)
        .args(["--no-red-flags", "--json", "today"])
        .env("TZ", "America/New_York")
        .output()
        .unwrap();
    assert_eq!(json_of(&out)["zone"], "America/New_York");
    assert!(talus(&p, &["--zone", "Europe/Berlin", "today"])
        .status
        .success());
    assert_eq!(
        json_of(&talus(&p, &["--json", "today"]))["zone"],
        "Europe/Berlin"
    );
    assert_eq!(
        json_of(&talus(&p, &["settings", "--json"]))["home_zone"],
        "Europe/Berlin"
    );
}

#[test]
fn help_is_german_with_locale_de_or_a_german_profile_and_documents_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let en = text(&talus(dir.path(), &["--help"]));
    assert!(
        en.contains("Exit codes:") && en.contains("3  drills are locked"),
        "{en}"
    );
    assert!(en.contains("follow-up"), "{en}");
    let de = text(&talus(dir.path(), &["--locale", "de", "--help"]));
    assert!(
        de.contains("Sprunggelenk-Coach für Läuferinnen und Läufer"),
        "{de}"
    );
    assert!(de.contains("Befehle:") && de.contains("Optionen:"), "{de}");
    assert!(de.contains("Der Plan für heute"), "{de}");
    assert!(de.contains("Rückgabewerte:"), "{de}");
    assert!(!de.contains("Today's plan"), "{de}");
    let sub = text(&talus(dir.path(), &["--locale=de", "checkin", "--help"]));
    assert!(
        sub.contains("Morgen-Check-in") && sub.contains("Wadenschmerz jetzt"),
        "{sub}"
    );
    // The profile remembers German; its help follows without the flag.
    assert!(talus(dir.path(), &["--locale", "de", "drills"])
        .status
        .success());
    let remembered = text(&talus(dir.path(), &["follow-up", "--help"]));
    assert!(remembered.contains("Nachcheck"), "{remembered}");
}

#[test]
fn the_injured_side_is_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = talus(p, &["--no-red-flags", "setup", "--injured-side", "R"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text(&out).contains("injured leg"), "{}", text(&out));
    assert_eq!(
        json_of(&talus(p, &["settings", "--json"]))["injured_side"],
        "right"
    );
    assert!(talus(p, &["settings", "--injured-side", "none"])
        .status
        .success());
    assert_eq!(
        json_of(&talus(p, &["settings", "--json"]))["injured_side"],
        serde_json::Value::Null
    );
    let out = talus(p, &["settings", "--injured-side", "up"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("left, right or none"));
}

#[test]
fn command_line_mistakes_are_explained_in_german_with_locale_de() {
    let dir = tempfile::tempdir().unwrap();
    let out = talus(dir.path(), &["--locale", "de", "tody"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Fehler: unbekannter Befehl 'tody'"), "{err}");
    assert!(err.contains("'today'") && err.contains("Aufruf:"), "{err}");
    let out = talus(
        dir.path(),
        &[
            "--locale", "de", "rom", "add", "--side", "oben", "--cm", "9",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ist keine Seite"), "{err}");
}

/// A refused value on a German profile reads German from the first word on, like clap's
/// own errors above.
#[test]
fn runtime_errors_are_prefixed_in_the_profile_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = talus(dir.path(), &["--locale", "de", "drill", "moonwalk"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("Fehler: "), "{err}");
    let out = talus(dir.path(), &["--locale", "en", "drill", "moonwalk"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
}

/// The exit codes `talus --help` documents, one command for each.
#[test]
fn exit_codes_follow_the_documented_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let broken = dir.path().join("broken.gpx");
    std::fs::write(&broken, "<gpx><trk><trkseg><trkpt lat=").unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let help = text(&talus(&p, &["--help"]));
    let cases: [(&[&str], &std::path::Path, i32); 7] = [
        (&["drills"], &p, 0),
        (&["today"], &dir.path().join("new"), 3),
        (&["drill", "moonwalk"], &p, 1),
        (&["todya"], &p, 2),
        (&["rom", "show"], &file, 4),
        (&["run", "import", broken.to_str().unwrap()], &p, 5),
        (&["session", "--auto", "1"], &p, 3),
    ];
    for (args, profile, code) in cases {
        let out = talus(profile, args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            help.contains(&format!("  {code}  ")),
            "code {code} documented: {help}"
        );
    }
}

#[test]
fn the_auto_log_answers_each_leg_and_takes_s_for_a_stretch() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let out = talus(p, &["--no-red-flags", "session", "--auto", "1,s,2,0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = text(&out);
    assert!(t.contains("pain (left leg) 1/10"), "{t}");
    assert!(t.contains("just a stretch, no pain (right leg)"), "{t}");
    assert!(t.contains("set 1/2 left done"), "{t}");
    let history = json_of(&talus(p, &["--json", "history"]));
    let stretches = history[0]["sets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["stretch"] == true)
        .count();
    assert_eq!(stretches, 1, "{history}");
    let out = talus(p, &["session", "--auto", "1,x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("or s for just a stretch"));
}
