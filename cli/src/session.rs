//! `talus session`: today's guided session. Three ways to drive the same core runner:
//! `--auto` (a deterministic log, one line per step, for scripts and tests), the full-screen
//! view on a terminal (`tui.rs`), and a line-by-line mode when the input is a pipe.

use std::sync::Arc;

use talus_ffi::{wire_name, Engine, FrameInfo, GuidedSession, SessionEvent, SessionStatus, Step};

use crate::fail::CliError;
use crate::parse::PainAnswer;
use crate::words::{t, tf};
use crate::{now_ms, outln, show};

/// Opens the unfinished session, or starts today's at `start_ms`. Says which.
pub fn open(
    engine: &Arc<Engine>,
    zone: &str,
    start_ms: i64,
) -> Result<(Arc<GuidedSession>, bool), CliError> {
    let unfinished = match Arc::clone(engine).resume_session() {
        Ok(unfinished) => unfinished,
        // A paused session whose saved state cannot be read can never come back; starting
        // keeps it in history as unfinished and plans today's (ADR 0022 addendum), so the
        // runner is never stuck behind it.
        Err(talus_ffi::TalusError::Corrupt { cause_code, .. }) if cause_code == "bad_snapshot" => {
            outln!(
                "{}",
                t(
                    "Your paused session could not be restored; it stays in your history as \
                     unfinished, and today's session starts now.",
                    "Deine pausierte Einheit konnte nicht wiederhergestellt werden; sie bleibt \
                     als unvollendet im Verlauf, und die heutige Einheit beginnt jetzt."
                )
            );
            None
        }
        Err(e) => return Err(e.into()),
    };
    match unfinished {
        Some(open) => {
            outln!(
                "{}",
                t(
                    "Resuming your unfinished session.",
                    "Deine unterbrochene Einheit geht weiter."
                )
            );
            Ok((open, true))
        }
        None => Ok((
            Arc::clone(engine).start_session(start_ms, zone.into())?,
            false,
        )),
    }
}

/// Where `--auto` starts its simulated clock: far enough back that the whole session is
/// over before now (its sets must never lie in the future), but on today's local date.
fn auto_start(zone: &str) -> i64 {
    let now = now_ms();
    let midnight = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(now)
        .zip(zone.parse::<talus_core::time::Tz>().ok())
        .and_then(|(t, tz)| {
            let local = t.with_timezone(&tz).date_naive().and_hms_opt(0, 1, 0)?;
            use chrono::TimeZone;
            tz.from_local_datetime(&local).earliest()
        })
        .map_or(now, |t| t.timestamp_millis());
    (now - 4 * 3_600_000).max(midnight).min(now)
}

pub fn run(
    engine: &Arc<Engine>,
    zone: &str,
    locale: &str,
    auto: Option<Vec<PainAnswer>>,
) -> Result<(), CliError> {
    let start = if auto.is_some() {
        auto_start(zone)
    } else {
        now_ms()
    };
    let (s, resumed) = open(engine, zone, start)?;
    let last = match auto {
        Some(pains) => auto_log(
            engine,
            locale,
            &s,
            &pains,
            if resumed { now_ms() } else { start },
        )?,
        None if crate::ask::interactive() => crate::tui::run(engine, locale, &s)?,
        None => line_mode(engine, locale, &s)?,
    };
    finish(engine, &s, &last)
}

/// The closing lines: how the session ended (as the core recorded it) and its decisions.
pub fn finish(engine: &Engine, s: &GuidedSession, last: &FrameInfo) -> Result<(), CliError> {
    let status = engine.session(s.id())?.status;
    let minutes = (last.elapsed_ms + 59_999) / 60_000;
    let has = |code: &str| last.decisions.iter().any(|d| d.code == code);
    if has("severe_pain_referral") || has("red_flag_referral") {
        outln!(
            "{}",
            tf(
                format!("Session ended for your safety after {minutes} min."),
                format!("Einheit zu deiner Sicherheit nach {minutes} min beendet.")
            )
        );
        if engine.safety_state()?.status == talus_ffi::SafetyStatus::Paused {
            outln!(
                "{}",
                t(
                    "Drills pause until the short follow-up check says it is safe to go on; \
                     answer it once the pain has settled: `talus follow-up`.",
                    "Die Übungen pausieren, bis der kurze Nachcheck sagt, dass es sicher weitergeht; \
                     beantworte ihn, wenn der Schmerz abgeklungen ist: `talus follow-up`."
                )
            );
        }
    } else if status == SessionStatus::Abandoned || has("stopped_by_runner") {
        outln!("{}", tf(format!("Session stopped early after {minutes} min; it is kept as stopped, not finished."), format!("Einheit nach {minutes} min vorzeitig beendet; sie zählt als abgebrochen, nicht als geschafft.")));
    } else if status == SessionStatus::Finished {
        outln!(
            "{}",
            tf(
                format!("Session complete: {minutes} min."),
                format!("Einheit geschafft: {minutes} min.")
            )
        );
    } else {
        outln!(
            "{} ({}).",
            t("Session saved", "Einheit gespeichert"),
            status.label(crate::words::locale())
        );
    }
    for d in &last.decisions {
        outln!("  • {}", d.message);
    }
    Ok(())
}

/// One line describing a frame: progress, where the runner is, what plays and is said.
pub fn log_line(f: &FrameInfo) -> String {
    // The share done is shown while working, not at a pain check: the answer may still end
    // the session, and a session ended for pain never reads as 100% done.
    let mut line = if f.step == Step::PainCheck {
        format!("     {}", show::detail(f))
    } else {
        format!(
            "{:>3.0}% {}",
            f.progress.clamp(0.0, 1.0) * 100.0,
            show::detail(f)
        )
    };
    for e in &f.effects {
        match e {
            talus_ffi::EffectInfo::PlayVideo { segment, .. } => {
                line.push_str(&format!(" · ▶ {}", wire_name(segment).replace('_', " ")));
            }
            talus_ffi::EffectInfo::SpeakCue {
                text,
                at_video_ms: None,
                ..
            } => line.push_str(&format!(" · “{text}”")),
            _ => {}
        }
    }
    line
}

/// Prints decisions added since `seen` (a pain stop is explained the moment it happens).
fn new_decisions(
    engine: &Engine,
    locale: &str,
    before: &FrameInfo,
    f: &FrameInfo,
    seen: &mut usize,
) {
    for d in f.decisions.iter().skip(*seen) {
        let (title, lines) = crate::tui::explain(engine, locale, d, before);
        if d.code.ends_with("_limit_exceeded") || d.code.ends_with("_referral") {
            outln!("  ⚠ {title}: {}", lines.join(" "));
        } else {
            outln!("  · {}", lines.join(" "));
        }
    }
    *seen = (*seen).max(f.decisions.len());
}

/// Drives the session with scripted pain answers and simulated time; prints one line per
/// step and never the same line twice in a row.
pub fn auto_log(
    engine: &Engine,
    locale: &str,
    s: &GuidedSession,
    pains: &[PainAnswer],
    start_ms: i64,
) -> Result<FrameInfo, CliError> {
    let mut now = start_ms;
    let mut frame = s.frame(now)?;
    let mut pains = pains.iter().copied();
    let mut log = FrameLog::default();
    let mut seen = 0;
    while frame.step != Step::Summary {
        log.show(&frame);
        let pace = crate::tui::rep_pace(engine, locale, &frame);
        let (event, at) = auto_step(&frame, now, pace, &mut pains);
        now = at.max(now);
        let before = std::mem::replace(&mut frame, s.handle(event, now)?);
        new_decisions(engine, locale, &before, &frame, &mut seen);
    }
    Ok(frame)
}

/// The line-by-line modes' log: a heading when the drill changes, a line when the frame's
/// line changes (a countdown that only ticks prints nothing new).
#[derive(Default)]
struct FrameLog {
    drill_id: String,
    line: String,
}

impl FrameLog {
    fn show(&mut self, frame: &FrameInfo) {
        if frame.drill_id != self.drill_id && !frame.drill_id.is_empty() {
            self.drill_id = frame.drill_id.clone();
            outln!("── {} ──", frame.drill_name);
        }
        let line = log_line(frame);
        if line != self.line {
            outln!("  {line}");
            self.line = line;
        }
    }
}

/// The next scripted event and when it happens: reps at the catalog's pace, timers run out.
fn auto_step(
    f: &FrameInfo,
    now: i64,
    rep_ms: Option<i64>,
    pains: &mut impl Iterator<Item = PainAnswer>,
) -> (SessionEvent, i64) {
    match f.step {
        Step::NotStarted => (SessionEvent::Start, now),
        Step::Intro => (SessionEvent::VideoEnded, now + 8_000),
        Step::Work if f.rep.is_some() => (SessionEvent::RepDone, now + rep_ms.unwrap_or(2_000)),
        Step::PainCheck => {
            let side = crate::tui::side_word(f.side);
            match pains.next().unwrap_or(PainAnswer::Pain(1)) {
                PainAnswer::Pain(pain) => {
                    outln!("  {} ({side}) {pain}/10", t("pain", "Schmerz"));
                    (SessionEvent::PainReported { pain }, now + 1_000)
                }
                PainAnswer::Stretch => {
                    outln!(
                        "  {} ({side})",
                        t("just a stretch, no pain", "nur Dehnung, kein Schmerz")
                    );
                    (SessionEvent::StretchReported, now + 1_000)
                }
            }
        }
        _ => (
            SessionEvent::Tick,
            now + 1_000 * (f.time_left_ms.unwrap_or(1_000).max(1_000) / 1000),
        ),
    }
}

/// Line-by-line mode for piped input: one answer per prompt, the end of input stops.
fn line_mode(engine: &Engine, locale: &str, s: &GuidedSession) -> Result<FrameInfo, CliError> {
    let mut frame = s.frame(now_ms())?;
    let mut log = FrameLog::default();
    let mut seen = 0;
    while frame.step != Step::Summary {
        log.show(&frame);
        // The end of input is not a quit: nothing is assumed, the session waits to resume.
        let read = |prompt: &str| -> Result<String, CliError> {
            crate::ask::line(prompt).map_err(|_| {
                CliError::user(t(
                    "input ended; the session is kept as it is and `talus session` resumes it",
                    "Eingabe beendet; die Einheit bleibt, wie sie ist, und `talus session` setzt sie fort",
                ))
            })
        };
        let event = match frame.step {
            Step::NotStarted => SessionEvent::Start,
            Step::PainCheck => loop {
                let side = crate::tui::side_word(frame.side);
                let answer = read(&tf(
                    format!("  Pain 0–10 during that set, {side}? (s = just a stretch, no pain; q = stop)"),
                    format!("  Schmerz 0–10 bei diesem Satz, {side}? (s = nur Dehnung, kein Schmerz; q = beenden)"),
                ))?;
                match answer.as_str() {
                    "q" => break SessionEvent::Stop,
                    "s" => break SessionEvent::StretchReported,
                    n => match crate::parse::score(n) {
                        Ok(pain) => break SessionEvent::PainReported { pain },
                        Err(why) => outln!("  {why}"),
                    },
                }
            },
            Step::Work if frame.rep.is_some() => {
                match read(t(
                    "  Enter = rep done, s = skip set, q = stop",
                    "  Enter = Wdh. geschafft, s = Satz überspringen, q = beenden",
                ))?
                .as_str()
                {
                    "q" => SessionEvent::Stop,
                    "s" => SessionEvent::SkipStep,
                    _ => SessionEvent::RepDone,
                }
            }
            Step::Intro => {
                match read(t(
                    "  Enter when you have watched the demo (s = skip drill, q = stop)",
                    "  Enter, wenn du die Vorführung gesehen hast (s = Übung überspringen, q = beenden)",
                ))?
                .as_str()
                {
                    "q" => SessionEvent::Stop,
                    "s" => SessionEvent::SkipDrill,
                    _ => SessionEvent::VideoEnded,
                }
            }
            _ => {
                // Timed steps: wait out the countdown in real time.
                std::thread::sleep(std::time::Duration::from_millis(250));
                SessionEvent::Tick
            }
        };
        let before = std::mem::replace(&mut frame, s.handle(event, now_ms())?);
        new_decisions(engine, locale, &before, &frame, &mut seen);
    }
    Ok(frame)
}
