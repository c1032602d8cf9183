//! `talus`: the terminal coach. A thin shell over the public Talus API (`talus-ffi`), so
//! everything it does a phone can do too.

mod demo;
mod exchange;
mod plot;
mod show;

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDateTime, TimeZone, Utc};
use clap::{Parser, Subcommand};
use talus_ffi::{Answer, CheckInInput, Engine, FrameInfo, RunInput, SessionEvent, Side};

#[derive(Parser)]
#[command(
    name = "talus",
    version,
    about = "Ankle-mobility coach for runners: today's drills, guided sessions, check-ins and progress"
)]
struct Cli {
    /// Profile folder (default: $TALUS_HOME, else your data folder).
    #[arg(long, global = true)]
    profile: Option<PathBuf>,
    /// Language for drill text and messages (en, de).
    #[arg(long, global = true, default_value = "en")]
    locale: String,
    /// Your time zone (IANA name); defaults to the profile's home zone.
    #[arg(long, global = true)]
    zone: Option<String>,
    /// On a new profile, answer every safety question "no" without asking (for scripts).
    #[arg(long, global = true)]
    no_red_flags: bool,
    /// Print read commands' results as JSON (for scripts).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a demo profile with eight weeks of history and walk through the app.
    Demo,
    /// Answer the safety questions (interactive, or --all-no for scripts).
    Screen {
        /// Answer "no" to every question.
        #[arg(long)]
        all_no: bool,
    },
    /// Today's plan, with the reason for each choice.
    Today,
    /// Run today's guided session.
    Session {
        /// Answer pain checks from this list (e.g. 1,1,2) instead of asking, and move through
        /// the steps by themselves.
        #[arg(long, value_delimiter = ',')]
        auto: Option<Vec<i64>>,
    },
    /// Morning check-in: pain and stiffness 0–10.
    Checkin {
        #[arg(long, default_value_t = 0)]
        pain_calf: i64,
        #[arg(long, default_value_t = 0)]
        pain_achilles: i64,
        #[arg(long, default_value_t = 0)]
        pain_ankle: i64,
        #[arg(long, default_value_t = 0)]
        stiffness_calf: i64,
        #[arg(long, default_value_t = 0)]
        stiffness_achilles: i64,
        #[arg(long, default_value_t = 0)]
        stiffness_ankle: i64,
    },
    /// Runs: add one or list them.
    #[command(subcommand)]
    Run(RunCommand),
    /// Knee-to-wall results.
    #[command(subcommand)]
    Rom(RomCommand),
    /// Recent sessions.
    History {
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// List the drills, chain by chain.
    Drills,
    /// Show one drill.
    Drill { id: String },
    /// Sync with another profile folder on this machine, or through a shared folder.
    Sync {
        /// Another profile folder (e.g. the tablet's): both end with the same history.
        #[arg(long, conflicts_with = "folder")]
        with: Option<PathBuf>,
        /// A folder all your devices can see (e.g. in a cloud drive).
        #[arg(long)]
        folder: Option<PathBuf>,
    },
    /// Upcoming reminders for the next seven days, in your local time.
    Reminders,
    /// Write a clinician export (CSV files and export.json) of the last N days.
    Export {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// Write a full backup into a folder.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup folder into this profile (merges with what is there).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum RunCommand {
    /// Add a run you did (local start time, e.g. 2026-11-22T08:00).
    Add {
        #[arg(long)]
        start: String,
        #[arg(long)]
        minutes: u32,
        #[arg(long)]
        km: f64,
        /// Mark it as a long run.
        #[arg(long)]
        long: bool,
    },
    /// Runs of the last N days.
    List {
        #[arg(long, default_value_t = 28)]
        days: i64,
    },
    /// Import runs from a CSV file: `start,minutes,km,tags` per line, start as local time
    /// (2026-11-22T08:00) or RFC 3339, tags separated by `;`. Importing twice changes nothing.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum RomCommand {
    /// Record a knee-to-wall result (toe-to-wall cm, mean of three tries).
    Add {
        #[arg(long, value_parser = parse_side)]
        side: Side,
        #[arg(long)]
        cm: f64,
    },
    /// Both sides' series as a chart.
    Show {
        /// Also write the chart as a PNG image to this file.
        #[arg(long)]
        png: Option<PathBuf>,
    },
}

fn parse_side(s: &str) -> Result<Side, String> {
    match s {
        "left" | "l" => Ok(Side::Left),
        "right" | "r" => Ok(Side::Right),
        _ => Err("side is left or right".into()),
    }
}

fn main() {
    let cli = Cli::parse();
    if let Err(message) = run(cli) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// Asks the red-flag screening questions (or answers all "no") and stores the outcome.
fn screen(engine: &Engine, locale: &str, all_no: bool) -> Result<(), String> {
    let questions = engine.screening_questions(locale.into());
    let mut answers = Vec::new();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for q in questions {
        let yes = if all_no {
            false
        } else {
            println!("{} [y/N]", q.text);
            matches!(
                lines
                    .next()
                    .transpose()
                    .map_err(|e| e.to_string())?
                    .as_deref()
                    .map(str::trim),
                Some("y" | "Y" | "yes")
            )
        };
        answers.push(Answer {
            question_id: q.id,
            yes,
        });
    }
    let out = engine
        .submit_screening(answers, now_ms())
        .map_err(|e| e.to_string())?;
    match out.referral {
        Some(r) => println!("⚠ {}", r.message),
        None => println!("All clear: no warning signs."),
    }
    Ok(())
}

/// Prints `value` as pretty JSON.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn profile_dir(cli: &Cli) -> Result<PathBuf, String> {
    if let Some(p) = &cli.profile {
        return Ok(p.clone());
    }
    if let Some(home) = std::env::var_os("TALUS_HOME") {
        return Ok(PathBuf::from(home));
    }
    directories::ProjectDirs::from("app", "Talus", "talus")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| "no data folder found; pass --profile".into())
}

fn run(cli: Cli) -> Result<(), String> {
    if let Command::Demo = cli.command {
        return demo::run(&cli.locale);
    }
    let engine = Engine::open(profile_dir(&cli)?.to_string_lossy().into(), now_ms())
        .map_err(|e| e.to_string())?;
    if let Some(moved) = engine.open_info().quarantined_path {
        eprintln!("warning: the profile database was damaged and moved to {moved}; a fresh one was started");
    }
    let zone = match &cli.zone {
        Some(z) => z.clone(),
        None => engine.settings().map_err(|e| e.to_string())?.home_zone,
    };
    let e = |err: talus_ffi::TalusError| err.to_string();
    let needs_safety = !matches!(
        cli.command,
        Command::Screen { .. } | Command::Drills | Command::Drill { .. }
    );
    if engine.open_info().created && needs_safety {
        if cli.no_red_flags {
            screen(&engine, &cli.locale, true)?;
        } else if std::io::stdin().is_terminal() {
            println!("New profile: first, a few safety questions.");
            screen(&engine, &cli.locale, false)?;
        } else {
            eprintln!("note: new profile; answer the safety questions with `talus screen`");
        }
    }
    match cli.command {
        Command::Demo => Ok(()),
        Command::Screen { all_no } => screen(&engine, &cli.locale, all_no),
        Command::Today => {
            let plan = engine.today(now_ms(), zone).map_err(e)?;
            if cli.json {
                return print_json(&plan);
            }
            show::plan(&plan);
            Ok(())
        }
        Command::Session { auto } => session(&engine, &zone, auto),
        Command::Checkin {
            pain_calf,
            pain_achilles,
            pain_ankle,
            stiffness_calf,
            stiffness_achilles,
            stiffness_ankle,
        } => {
            let m = engine
                .morning_checkin(
                    CheckInInput {
                        at_ms: now_ms(),
                        zone,
                        pain_calf,
                        pain_achilles,
                        pain_ankle,
                        stiffness_calf,
                        stiffness_achilles,
                        stiffness_ankle,
                        red_flags_yes: vec![],
                        run_id: None,
                    },
                    now_ms(),
                )
                .map_err(e)?;
            println!("Morning: {}", m.status.to_uppercase());
            for r in m.reasons {
                println!("  {}", r.message);
            }
            Ok(())
        }
        Command::Run(RunCommand::Add {
            start,
            minutes,
            km,
            long,
        }) => {
            let tz: talus_core::time::Tz = zone
                .parse()
                .map_err(|_| format!("unknown time zone {zone:?}"))?;
            let local = NaiveDateTime::parse_from_str(&start, "%Y-%m-%dT%H:%M")
                .map_err(|_| "start must look like 2026-11-22T08:00".to_string())?;
            let start = tz
                .from_local_datetime(&local)
                .earliest()
                .ok_or("that local time does not exist")?;
            let start_ms = start.timestamp_millis();
            let out = engine
                .record_run(
                    RunInput {
                        source: "manual".into(),
                        external_id: format!("manual-{start_ms}"),
                        start_ms,
                        end_ms: start_ms + i64::from(minutes) * 60_000,
                        distance_m: km * 1000.0,
                        tags: if long { vec!["long".into()] } else { vec![] },
                        zone,
                    },
                    now_ms(),
                )
                .map_err(e)?;
            println!("Run {} ({} min, {km} km).", out.outcome, minutes);
            Ok(())
        }
        Command::Run(RunCommand::List { days }) => {
            let now = now_ms();
            let runs = engine
                .runs(now - days.clamp(1, 3650) * 86_400_000, now)
                .map_err(e)?;
            if cli.json {
                return print_json(&runs);
            }
            for r in &runs {
                show::run(r);
            }
            Ok(())
        }
        Command::Run(RunCommand::Import { file }) => {
            let (inserted, updated, unchanged) = exchange::import_runs(&engine, &file, &zone)?;
            println!("Runs imported: {inserted} new, {updated} updated, {unchanged} unchanged.");
            Ok(())
        }
        Command::Rom(RomCommand::Add { side, cm }) => {
            engine
                .record_knee_to_wall(side, cm, now_ms(), zone, now_ms())
                .map_err(e)?;
            println!("Recorded {cm:.1} cm.");
            Ok(())
        }
        Command::Rom(RomCommand::Show { png }) => {
            let left = engine.knee_to_wall_series(Side::Left).map_err(e)?;
            let right = engine.knee_to_wall_series(Side::Right).map_err(e)?;
            if cli.json {
                return print_json(&serde_json::json!({ "left": left, "right": right }));
            }
            show::rom_chart(&left, &right);
            if let Some(path) = png {
                let labelled = plot::rom_png(&left, &right, &path)?;
                println!("Chart written to {}", path.display());
                if !labelled {
                    println!("(no system font found, so the image has no text labels)");
                }
            }
            Ok(())
        }
        Command::History { limit } => {
            let sessions = engine.recent_sessions(limit).map_err(e)?;
            if cli.json {
                return print_json(&sessions);
            }
            for s in &sessions {
                show::session(s);
            }
            Ok(())
        }
        Command::Drills => {
            let drills = engine.drills(cli.locale.clone());
            if cli.json {
                return print_json(&drills);
            }
            for d in drills {
                println!("  {:<32} {}", d.id, d.name);
            }
            Ok(())
        }
        Command::Drill { id } => {
            let drill = engine.drill(id, cli.locale.clone()).map_err(e)?;
            if cli.json {
                return print_json(&drill);
            }
            show::drill(&drill);
            Ok(())
        }
        Command::Sync { with, folder } => match (with, folder) {
            (Some(other), None) => {
                let (here, there) = exchange::sync_with(&engine, &other)?;
                if cli.json {
                    return print_json(&serde_json::json!({ "here": here, "there": there }));
                }
                exchange::print_report("This profile", &here);
                exchange::print_report("Other profile", &there);
                Ok(())
            }
            (None, Some(dir)) => {
                let report = engine
                    .sync_folder(dir.to_string_lossy().into(), now_ms())
                    .map_err(e)?;
                if cli.json {
                    return print_json(&report);
                }
                exchange::print_report("Sync", &report);
                Ok(())
            }
            _ => Err("say --with <profile folder> or --folder <shared folder>".into()),
        },
        Command::Reminders => {
            let reminders = engine.reminders(now_ms(), zone).map_err(e)?;
            if cli.json {
                return print_json(&reminders);
            }
            show::reminders(&reminders);
            Ok(())
        }
        Command::Export { out, days } => {
            for path in exchange::clinician_export(&engine, &out, days, &zone)? {
                println!("wrote {path}");
            }
            Ok(())
        }
        Command::Backup { out } => {
            let path = engine
                .write_backup(out.to_string_lossy().into())
                .map_err(e)?;
            println!("Backup written to {path}");
            Ok(())
        }
        Command::Restore { from } => {
            let report = engine
                .restore_backup(from.to_string_lossy().into(), now_ms())
                .map_err(e)?;
            exchange::print_report("Restore", &report);
            Ok(())
        }
    }
}

/// Drives a guided session: in `auto` mode with scripted pain answers and simulated time,
/// otherwise asking the runner at each step.
pub(crate) fn session(
    engine: &Arc<Engine>,
    zone: &str,
    auto: Option<Vec<i64>>,
) -> Result<(), String> {
    let s = match Arc::clone(engine)
        .resume_session()
        .map_err(|e| e.to_string())?
    {
        Some(open) => {
            println!("Resuming your unfinished session.");
            open
        }
        None => Arc::clone(engine)
            .start_session(now_ms(), zone.into())
            .map_err(|e| e.to_string())?,
    };
    let mut now = now_ms();
    let mut frame = s.frame(now);
    let mut pains = auto.clone().unwrap_or_default().into_iter();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut last_drill = String::new();
    // Drawn on stderr and only on a terminal; piped output keeps just the printed lines.
    let progress = indicatif::ProgressBar::new(1000);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30.cyan/blue} {percent:>3}% {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    while frame.step != "summary" {
        progress.suspend(|| {
            if frame.drill_id != last_drill {
                last_drill = frame.drill_id.clone();
                println!("\n── {} ──", frame.drill_name);
            }
            show::frame(&frame);
        });
        progress.set_position((frame.progress.clamp(0.0, 1.0) * 1000.0) as u64);
        progress.set_message(format!(
            "{} · {}:{:02} left",
            show::detail(&frame),
            frame.remaining_s / 60,
            frame.remaining_s % 60
        ));
        let (event, at) = if auto.is_some() {
            auto_step(&frame, now, &mut pains)
        } else {
            ask_step(&frame, now_ms(), &mut lines)?
        };
        now = at.max(now);
        frame = match s.handle(event, now) {
            Ok(f) => f,
            Err(err) => {
                println!("  {err}");
                s.frame(now)
            }
        };
    }
    progress.finish_and_clear();
    show::frame(&frame);
    for d in &frame.decisions {
        println!("  • {}", d.message);
    }
    Ok(())
}

fn auto_step(
    f: &FrameInfo,
    now: i64,
    pains: &mut impl Iterator<Item = i64>,
) -> (SessionEvent, i64) {
    match f.step.as_str() {
        "not_started" => (SessionEvent::Start, now),
        "intro" => (SessionEvent::VideoEnded, now + 8_000),
        "work" if f.rep.is_some() => (SessionEvent::RepDone, now + 2_000),
        "pain_check" => {
            let pain = pains.next().unwrap_or(1);
            println!("  pain? {pain}");
            (SessionEvent::PainReported { pain }, now + 1_000)
        }
        _ => (
            SessionEvent::Tick,
            now + 1_000 * i64::from(f.seconds_left.unwrap_or(1)),
        ),
    }
}

fn ask_step(
    f: &FrameInfo,
    now: i64,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<(SessionEvent, i64), String> {
    let mut read = |prompt: &str| -> Result<String, String> {
        println!("{prompt}");
        match lines.next() {
            Some(line) => line
                .map(|l| l.trim().to_string())
                .map_err(|e| e.to_string()),
            None => Ok("q".into()),
        }
    };
    let event = match f.step.as_str() {
        "not_started" => SessionEvent::Start,
        "pain_check" => {
            let answer = read("  Pain 0–10 during that set? (Enter = 0, q = stop)")?;
            match answer.as_str() {
                "q" => SessionEvent::Stop,
                "" => SessionEvent::PainReported { pain: 0 },
                n => match n.parse::<i64>() {
                    Ok(p) => SessionEvent::PainReported { pain: p },
                    Err(_) => return Ok((SessionEvent::Tick, now)),
                },
            }
        }
        "work" if f.rep.is_some() => {
            match read("  Enter = rep done, s = skip set, q = stop")?.as_str() {
                "q" => SessionEvent::Stop,
                "s" => SessionEvent::SkipStep,
                _ => SessionEvent::RepDone,
            }
        }
        "intro" => match read("  Enter when you have watched the demo (s = skip drill, q = stop)")?
            .as_str()
        {
            "q" => SessionEvent::Stop,
            "s" => SessionEvent::SkipDrill,
            _ => SessionEvent::VideoEnded,
        },
        _ => {
            // Timed steps: wait out the countdown in real time, one second at a time.
            std::thread::sleep(std::time::Duration::from_secs(1));
            SessionEvent::Tick
        }
    };
    Ok((event, now_ms().max(now)))
}
