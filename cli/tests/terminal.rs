//! Pseudo-terminal tests: the coach run under util-linux `script`, so it sees a terminal
//! and asks its questions as it would a person; answers are typed into the terminal.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Starts `command` (a shell command line) in a pseudo-terminal under util-linux `script`.
fn spawn_in_terminal(command: &str) -> Child {
    Command::new("script")
        .args(["-qfec", command, "/dev/null"])
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("util-linux `script` is installed")
}

/// Runs `talus --profile <profile> <args>` in a pseudo-terminal, typing `typed`.
fn in_terminal(profile: &Path, args: &str, typed: &str) -> Output {
    let mut child = spawn_in_terminal(&format!(
        "{} --profile {} {args}",
        env!("CARGO_BIN_EXE_talus"),
        profile.display()
    ));
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn talus(profile: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talus"))
        .arg("--profile")
        .arg(profile)
        .args(args)
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn setup_on_a_terminal_screens_first_then_asks_each_setting_with_help_on_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let mut typed = "n\n".repeat(20);
    typed.push_str(
        "\nberlim\nEurope/Berlin\n6-10\n\n18:30\nwall, bnad\nwall,band,step\ndorsiflexion\nrigth\nright\nL\n\n",
    );
    let out = in_terminal(&p, "setup", &typed);
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("not a diagnosis"), "{t}");
    assert!(t.contains("(3 of 20)"), "{t}");
    assert!(t.contains("All clear"), "{t}");
    assert!(t.contains("Did you mean Europe/Berlin?"), "{t}");
    assert!(t.contains("did you mean band?"), "{t}");
    let s = json(&talus(&p, &["settings", "--json"]));
    assert_eq!(s["home_zone"], "Europe/Berlin");
    assert_eq!(s["wake_start_min"], 360);
    assert_eq!(s["daily_reminder_min"], 18 * 60 + 30);
    assert_eq!(s["equipment"], serde_json::json!(["wall", "band", "step"]));
    assert_eq!(s["goals"], serde_json::json!(["dorsiflexion"]));
    assert_eq!(s["preferred_start_side"], "left");
    assert_eq!(s["injured_side"], "right");
    assert!(t.contains("say left, right or none"), "{t}");
    // With the wall declared, wall drills can be planned.
    let plan = json(&talus(&p, &["--json", "today"]));
    assert!(!plan["items"].as_array().unwrap().is_empty());
}

#[test]
fn setup_with_a_not_sure_answer_ends_by_pointing_to_a_clinician_not_to_the_drills() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    // "Not sure" on the fourth question locks like "yes" (ADR 0010); every setting kept.
    let mut typed = "n\nn\nn\n?\n".to_string();
    typed.push_str(&"n\n".repeat(16));
    typed.push_str(&"\n".repeat(12));
    let out = in_terminal(&p, "setup", &typed);
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("Drills are locked"), "{t}");
    assert!(t.contains("Next: see a clinician"), "{t}");
    assert!(!t.contains("talus today` for today's drills"), "{t}");
    let today = json(&talus(&p, &["--json", "today"]));
    assert_eq!(today["variant"], "locked", "{today}");
}

#[test]
fn setup_for_scripts_takes_flags_and_assumes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    let out = talus(&p, &["setup", "--home-zone", "Europe/Berlin"]);
    assert_eq!(out.status.code(), Some(3), "no screening, no profile");
    assert!(!p.exists());
    let out = talus(
        &p,
        &[
            "--no-red-flags",
            "setup",
            "--home-zone",
            "Europe/Berlin",
            "--equipment",
            "wall,band",
            "--reminder",
            "off",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = json(&talus(&p, &["settings", "--json"]));
    assert_eq!(s["equipment"], serde_json::json!(["wall", "band"]));
    assert_eq!(s["daily_reminder_min"], serde_json::Value::Null);
    let out = talus(&p, &["settings", "--quiet", "25:00-07:00"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--quiet"));
}

/// Types `keys` into a pseudo-terminal running `talus session`, each after its pause, and
/// returns everything the terminal showed.
fn session_in_terminal(profile: &Path, keys: &[(u64, &str)]) -> Output {
    // A pseudo-terminal fed from a pipe has no size; give it a common one.
    let mut child = spawn_in_terminal(&format!(
        "stty cols 80 rows 24; {} --profile {} session",
        env!("CARGO_BIN_EXE_talus"),
        profile.display()
    ));
    let mut stdin = child.stdin.take().unwrap();
    for (pause_ms, key) in keys {
        std::thread::sleep(std::time::Duration::from_millis(*pause_ms));
        stdin.write_all(key.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    // Keep the terminal open until the session has ended by itself.
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    out
}

#[test]
fn full_screen_session_with_pause_skip_pain_stop_and_confirmed_quit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    assert!(talus(&p, &["screen", "--all-no"]).status.success());
    let out = session_in_terminal(
        &p,
        &[
            (1500, "\r"), // start
            (500, "\r"),  // demo watched
            (500, " "),   // pause
            (500, " "),   // resume
            (500, "\r"),  // one rep
            (50, "\r"),   // a bounce right after: not a second rep
            (500, "s"),   // end the set on this side: its pain is asked at once
            (500, "4\r"), // pain 4 in a pain-free drill: stopped before the other leg
            (600, "\r"),  // read the explanation
            (500, "q"),   // quit?
            (500, "n"),   // no, go on
            (500, "q"),   // quit?
            (500, "y"),   // yes
        ],
    );
    // The screen is drawn in pieces (only what changed), so whole words are checked where
    // they are drawn at once: titles, the paused banner, the first key line.
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("PAUSED"), "{t}");
    assert!(t.contains("space pause"), "keys are shown: {t}");
    assert!(t.contains("Pain check"), "{t}");
    assert!(t.contains("Stopped: Seated ankle pumps"), "{t}");
    assert_eq!(
        t.matches("Quit? ─").count(),
        2,
        "quit asks first, twice: {t}"
    );
    assert!(t.contains("stopped early after"), "{t}");
    assert!(!t.contains("Session complete"), "{t}");
    let history = json(&talus(&p, &["--json", "history"]));
    let sets = history[0]["sets"].as_array().unwrap();
    // Pain is asked per side: the first leg's 4/10 stopped the drill before the other leg.
    assert_eq!(sets.len(), 1, "{history}");
    assert_eq!(
        sets[0]["reps_done"], 1,
        "one rep, the bounce not counted: {history}"
    );
    assert!(
        sets.iter().all(|s| s["pain"] == 4 && s["stopped"] == true),
        "{history}"
    );
}

#[test]
fn a_pain_stop_pauses_until_the_follow_up_check_and_a_blank_answer_is_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    assert!(talus(&p, &["screen", "--all-no"]).status.success());
    // Pain 8 after the first set ends the session and pauses the programme.
    let out = talus(&p, &["session", "--auto", "8"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = in_terminal(&p, "today", "");
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("talus follow-up"), "today points the way: {t}");
    assert!(!t.contains("No check-in yet"), "only what applies: {t}");
    // One blank answer, then "no" to all seven: the blank is asked again, never taken as no.
    let mut typed = String::from("\n");
    typed.push_str(&"n\n".repeat(7));
    let out = in_terminal(&p, "follow-up", &typed);
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert_eq!(t.matches("(1 of 7)").count(), 2, "asked again: {t}");
    assert!(t.contains("no answer yet"), "{t}");
    assert!(t.contains("Drills are open again"), "{t}");
    let plan = json(&talus(&p, &["--json", "today"]));
    assert_ne!(plan["variant"], "paused", "{plan}");
    assert!(!plan["items"].as_array().unwrap().is_empty(), "{plan}");
}

#[test]
fn the_check_in_asks_a_blank_warning_sign_answer_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    assert!(talus(&p, &["screen", "--all-no"]).status.success());
    let scores = "--pain-calf 0 --pain-achilles 0 --pain-ankle 1 --stiffness-calf 1 \
                  --stiffness-achilles 0 --stiffness-ankle 2";
    let out = in_terminal(&p, &format!("checkin {scores}"), "\n\nn\n");
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert_eq!(
        t.matches("Anything new since your screening").count(),
        3,
        "two blank answers, each asked again: {t}"
    );
    assert!(
        t.contains("no answer yet") || t.contains("answer y (yes)"),
        "{t}"
    );
    assert!(t.contains("Morning: GREEN"), "{t}");
}

#[test]
fn each_leg_answers_its_own_pain_and_a_stretch_is_not_pain() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    assert!(talus(&p, &["screen", "--all-no"]).status.success());
    let out = session_in_terminal(
        &p,
        &[
            (1500, "\r"), // start
            (500, "\r"),  // demo watched
            (500, "s"),   // end the left leg's set: its pain is asked
            (500, "s"),   // just a stretch, no pain
            (500, "s"),   // switch sides now
            (500, "s"),   // end the right leg's set
            (500, "1\r"), // pain 1 on the right
            (500, "q"),   // quit?
            (500, "y"),   // yes
        ],
    );
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("Pain check · left leg"), "{t}");
    assert!(t.contains("Pain check · right leg"), "{t}");
    let history = json(&talus(&p, &["--json", "history"]));
    let sets = history[0]["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 2, "{history}");
    assert_eq!(
        (&sets[0]["side"], &sets[0]["stretch"], &sets[0]["pain"]),
        (
            &serde_json::json!("left"),
            &serde_json::json!(true),
            &serde_json::json!(0)
        ),
        "{history}"
    );
    assert_eq!(
        (&sets[1]["side"], &sets[1]["stretch"], &sets[1]["pain"]),
        (
            &serde_json::json!("right"),
            &serde_json::json!(false),
            &serde_json::json!(1)
        ),
        "{history}"
    );
    let listed = String::from_utf8_lossy(&talus(&p, &["history"]).stdout).into_owned();
    assert!(listed.contains("1 just a stretch"), "{listed}");
}
