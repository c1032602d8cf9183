//! `talus demo`: a temporary profile with eight weeks of realistic history, built through
//! the same API calls a phone makes, then today's plan, a guided session and the chart.

use std::sync::Arc;

use crate::words::{t, tf};
use talus_ffi::{
    Answer, CheckInInput, Engine, Equipment, FrameInfo, LevelChange, MorningStatus, RunInput,
    ScreeningAnswer, SessionEvent, Side, Step, Target,
};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

fn run_session(
    engine: &Arc<Engine>,
    start: i64,
    zone: &str,
    pains: &[i32],
) -> Result<FrameInfo, String> {
    let s = Arc::clone(engine)
        .start_session(start, zone.into())
        .map_err(|e| e.to_string())?;
    let mut now = start;
    let mut frame = s.frame(now).map_err(|e| e.to_string())?;
    let mut pains = pains.iter().copied();
    while frame.step != Step::Summary {
        let (event, at) = match frame.step {
            Step::NotStarted => (SessionEvent::Start, now),
            Step::Intro => (SessionEvent::VideoEnded, now + 8_000),
            Step::Work if frame.rep.is_some() => (SessionEvent::RepDone, now + 2_000),
            Step::PainCheck => (
                SessionEvent::PainReported {
                    pain: pains.next().unwrap_or(1),
                },
                now + 1_000,
            ),
            _ => (
                SessionEvent::Tick,
                now + 1_000 * (frame.time_left_ms.unwrap_or(1_000) / 1000),
            ),
        };
        now = at;
        frame = s.handle(event, now).map_err(|e| e.to_string())?;
    }
    Ok(frame)
}

pub fn run(locale: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("talus-demo-{}", std::process::id()));
    crate::fail::remove_on_early_exit(Some(dir.clone()));
    let result = build_and_show(&dir, locale);
    crate::fail::remove_on_early_exit(None);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn build_and_show(dir: &std::path::Path, locale: &str) -> Result<(), String> {
    let zone = "Europe/London";
    let now = crate::now_ms();
    let start = (now / DAY - 56) * DAY; // midnight UTC, eight weeks ago
    let engine = Engine::open(dir.to_string_lossy().into(), start).map_err(|e| e.to_string())?;
    let err = |e: talus_ffi::TalusError| e.to_string();
    let mut settings = engine.settings().map_err(err)?;
    settings.home_zone = zone.into();
    settings.locale = locale.into();
    settings.goals = vec![Target::Dorsiflexion];
    settings.equipment = vec![
        Equipment::Wall,
        Equipment::Band,
        Equipment::Step,
        Equipment::Chair,
        Equipment::Backpack,
        Equipment::Ball,
        Equipment::Towel,
        Equipment::Foam,
    ];
    engine.set_settings(settings, start).map_err(err)?;
    let answers = engine
        .screening_questions(locale.into())
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer: ScreeningAnswer::No,
        })
        .collect();
    engine
        .submit_screening(answers, start + HOUR)
        .map_err(err)?;

    crate::outln!(
        "{}",
        tf(
            format!("Building eight weeks of history in {} …", dir.display()),
            format!("Baue acht Wochen Verlauf in {} auf …", dir.display()),
        )
    );
    let mut stops = 0;
    let mut changes = 0;
    for d in 0..56i64 {
        let day = start + d * DAY;
        // Runs: five a week, the Sunday one long.
        if d % 7 != 2 && d % 7 != 4 {
            let long = d % 7 == 6;
            let minutes = if long { 105 } else { 35 + (d % 3) * 5 };
            let run = RunInput {
                source: "demo".into(),
                external_id: format!("run-{d}"),
                start_ms: day + 6 * HOUR,
                end_ms: day + 6 * HOUR + minutes * 60_000,
                distance_m: minutes as f64 * 190.0,
                tags: if long { vec!["long".into()] } else { vec![] },
                zone: zone.into(),
            };
            engine.record_run(run, day + 9 * HOUR).map_err(err)?;
        }
        // Morning check-in: quiet, with one sore morning in week three.
        let ankle = if d == 20 { 4 } else { i32::from(d % 5 == 0) };
        let checkin = CheckInInput {
            at_ms: day + 7 * HOUR,
            zone: zone.into(),
            pain_calf: 0,
            pain_achilles: 0,
            pain_ankle: ankle,
            stiffness_calf: 1,
            stiffness_achilles: 0,
            stiffness_ankle: ankle,
            red_flags_yes: vec![],
            run_id: None,
        };
        let morning = engine
            .morning_checkin(checkin, day + 7 * HOUR)
            .map_err(err)?;
        if morning.status != MorningStatus::Green {
            let why = morning.reasons.first().map_or("", |r| r.message.as_str());
            crate::outln!(
                "{}",
                match morning.status {
                    MorningStatus::Red => tf(
                        format!("  day {d:>2}: red morning — {why}"),
                        format!("  Tag {d:>2}: roter Morgen — {why}"),
                    ),
                    _ => tf(
                        format!("  day {d:>2}: amber morning — {why}"),
                        format!("  Tag {d:>2}: gelber Morgen — {why}"),
                    ),
                }
            );
        }
        // Weekly knee-to-wall: the stiff left side improves, the right stays put.
        if d % 7 == 0 {
            let week = d / 7;
            engine
                .record_knee_to_wall(
                    Side::Left,
                    8.0 + 0.45 * week as f64,
                    day + 8 * HOUR,
                    zone.into(),
                    day + 8 * HOUR,
                )
                .map_err(err)?;
            engine
                .record_knee_to_wall(
                    Side::Right,
                    11.4 + 0.05 * (week % 2) as f64,
                    day + 8 * HOUR,
                    zone.into(),
                    day + 8 * HOUR,
                )
                .map_err(err)?;
        }
        // Levels are decided when the day is planned: show each step up or down.
        let plan = engine.today(day + 18 * HOUR, zone.into()).map_err(err)?;
        // Both legs usually move together; show such a pair once, as "both".
        let moved: Vec<&talus_ffi::LevelInfo> = plan
            .levels
            .iter()
            .filter(|l| l.change != LevelChange::Hold)
            .collect();
        let key = |l: &talus_ffi::LevelInfo| {
            (
                l.drill_id.clone(),
                l.change,
                l.to_drill_id.clone(),
                l.to_level,
            )
        };
        let mut shown = Vec::new();
        for l in &moved {
            changes += 1;
            if shown.contains(&key(l)) {
                continue;
            }
            shown.push(key(l));
            let mut line = (*l).clone();
            if moved.iter().filter(|m| key(m) == key(l)).count() > 1 {
                line.side = None;
            }
            crate::out!("  {} {d:>2}:", t("day", "Tag"));
            crate::show::level_change(&line);
        }
        // Evening session; in week five the banded mobilisation pinches once (3/10).
        let pains: Vec<i32> = if d == 33 { vec![3] } else { vec![1] };
        let end = run_session(&engine, day + 18 * HOUR, zone, &pains)?;
        if !end.decisions.is_empty() {
            stops += 1;
            for dec in &end.decisions {
                crate::outln!("  {} {d:>2}: {}", t("day", "Tag"), dec.message);
            }
        }
    }
    let sessions = engine.recent_sessions(1000).map_err(err)?.len();
    crate::outln!(
        "{}",
        tf(
            format!(
                "  {sessions} sessions, {stops} with a pain stop, {changes} level change(s).\n"
            ),
            format!("  {sessions} Einheiten, {stops} mit Schmerzstopp, {changes} Stufenwechsel.\n"),
        )
    );

    let today = start + 56 * DAY + 9 * HOUR;
    crate::show::plan(&engine.today(today, zone.into()).map_err(err)?);
    crate::outln!(
        "\n{}",
        t(
            "Guided session (auto-answered pain 1/10):",
            "Geführte Einheit (Schmerz automatisch mit 1/10 beantwortet):"
        )
    );
    let s = Arc::clone(&engine)
        .start_session(today, zone.into())
        .map_err(err)?;
    let mut now = today;
    let mut frame = s.frame(now).map_err(err)?;
    let mut last = String::new();
    while frame.step != Step::Summary {
        if frame.drill_id != last {
            last = frame.drill_id.clone();
            crate::outln!("── {} ──", frame.drill_name);
        }
        crate::show::frame(&frame);
        let (event, at) = match frame.step {
            Step::NotStarted => (SessionEvent::Start, now),
            Step::Intro => (SessionEvent::VideoEnded, now + 8_000),
            Step::Work if frame.rep.is_some() => (SessionEvent::RepDone, now + 2_000),
            Step::PainCheck => (SessionEvent::PainReported { pain: 1 }, now + 1_000),
            _ => (
                SessionEvent::Tick,
                now + 1_000 * (frame.time_left_ms.unwrap_or(1_000) / 1000),
            ),
        };
        now = at;
        frame = s.handle(event, now).map_err(err)?;
    }
    crate::show::frame(&frame);
    crate::outln!(
        "\n{}",
        tf(
            format!("Reminders for the coming week ({zone}):"),
            format!("Erinnerungen für die kommende Woche ({zone}):"),
        )
    );
    crate::show::reminders(&engine.reminders(now, zone.into()).map_err(err)?);
    crate::outln!("\n{}", t("Recent sessions:", "Letzte Einheiten:"));
    for s in engine.recent_sessions(3).map_err(err)? {
        crate::show::session(&s);
    }
    crate::outln!();
    crate::show::rom_chart(
        &engine.knee_to_wall_series(Side::Left).map_err(err)?,
        &engine.knee_to_wall_series(Side::Right).map_err(err)?,
    );
    let settings = engine.settings().map_err(err)?;
    crate::show::rom_report(
        &engine.knee_to_wall_report(now).map_err(err)?,
        settings.rom_mdc_cm,
        settings.rom_asymmetry_cm,
    );
    Ok(())
}
