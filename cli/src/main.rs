//! `talus`: the terminal coach. A thin shell over the public Talus API (`talus-ffi`), so
//! everything it does a phone can do too. This file holds the command line and sends each
//! command to the module that carries it out.

mod ask;
mod checkin;
mod clear;
mod clips;
mod delete;
mod demo;
mod exchange;
mod fail;
mod followup;
mod help_de;
mod import;
mod parse;
mod plot;
mod screen;
mod session;
mod setup;
mod show;
mod tui;
mod words;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, TimeZone, Utc};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use talus_ffi::{Engine, RunInput, Side};

use crate::fail::{CliError, Kind};
use crate::words::{t, tf};

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  a value was refused, something was not found, or it conflicts with what is stored
  2  the command line is wrong (unknown command or flag, a value out of range)
  3  drills are locked or paused (a warning sign, a pain stop waiting for
     `talus follow-up`, or no safety screening yet)
  4  the profile cannot be opened or written
  5  a file is damaged (database, sync or backup file)";

#[derive(Parser)]
#[command(
    name = "talus",
    version,
    about = "Ankle-mobility coach for runners: today's drills, guided sessions, check-ins and progress",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Profile folder (default: $TALUS_HOME, else your data folder). Created if missing.
    #[arg(long, global = true, value_name = "FOLDER")]
    profile: Option<PathBuf>,
    /// Language for drill text and messages: en or de (remembered by the profile).
    #[arg(long, global = true, value_parser = ["en", "de"])]
    locale: Option<String>,
    /// Your time zone as an IANA name (e.g. Europe/Berlin), remembered by the profile; a new
    /// profile starts with the system's.
    #[arg(long, global = true, value_name = "ZONE")]
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
    /// First run: welcome, safety questions, then time zone, wake window, quiet hours,
    /// reminder, equipment, goals, injured leg and start side (asked on a terminal, or given
    /// as flags).
    Setup(setup::SettingsArgs),
    /// Show your settings, or change those given as flags.
    Settings(setup::SettingsArgs),
    /// Answer the safety questions: yes, no or not sure (or --all-no for scripts).
    Screen {
        /// Answer "no" to every question.
        #[arg(long)]
        all_no: bool,
    },
    /// After a warning sign locked the drills: confirm a clinician has seen and cleared you.
    Clear(clear::ClearArgs),
    /// After a session ended for severe pain: the short follow-up check that lets the
    /// drills go on (asked on a terminal, or --all-no / --yes ID for scripts).
    #[command(alias = "followup")]
    FollowUp(followup::FollowUpArgs),
    /// Today's plan, with the reason for each choice.
    Today,
    /// Run today's guided session.
    Session {
        /// Answer pain checks from this list instead of asking, one per side of each set
        /// (e.g. 1,1,s,2; `s` is "just a stretch, no pain"), and move through the steps by
        /// themselves; prints one line per step.
        #[arg(long, value_delimiter = ',', value_name = "PAIN,PAIN,…", value_parser = parse::pain_answer)]
        auto: Option<Vec<parse::PainAnswer>>,
    },
    /// Morning check-in: pain and stiffness of calf, Achilles and ankle, 0–10. Asks on a
    /// terminal; scripts give all six scores.
    Checkin(checkin::CheckinArgs),
    /// Your check-ins, newest first, with their short ids.
    Checkins,
    /// Runs: add one, list them, or import a file.
    #[command(subcommand)]
    Run(RunCommand),
    /// Knee-to-wall results.
    #[command(subcommand)]
    Rom(RomCommand),
    /// Recent sessions.
    History {
        /// How many sessions to show (1–1000).
        #[arg(long, default_value_t = 10, value_parser = parse::limit)]
        limit: u32,
    },
    /// Delete one session, run, knee-to-wall result or check-in (by the short id lists show).
    Delete {
        /// What to delete.
        #[arg(value_enum)]
        kind: delete::Entry,
        /// Its id: the short id from `talus history`, `run list`, `rom list` or `checkins`.
        id: String,
        /// Delete without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// List the drills, chain by chain.
    Drills,
    /// Show one drill.
    Drill {
        /// The drill's id, as `talus drills` lists it (e.g. banded_df_mob).
        id: String,
        /// Open the drill's demonstration clip in the system player (or print its path).
        /// The pack comes from $TALUS_CLIPS_DIR or build/clips (scripts/render-clips.sh).
        #[arg(long)]
        play: bool,
    },
    /// Drill clips: a contact sheet for review.
    #[command(subcommand)]
    Clips(ClipsCommand),
    /// Sync with another profile folder on this machine, or through a shared folder.
    Sync {
        /// Another profile folder (e.g. the tablet's): both end with the same history.
        #[arg(long, conflicts_with = "folder", value_name = "PROFILE")]
        with: Option<PathBuf>,
        /// An existing folder all your devices can see (e.g. in a cloud drive).
        #[arg(long, value_name = "FOLDER")]
        folder: Option<PathBuf>,
    },
    /// Upcoming reminders for the next seven days, in your local time.
    Reminders,
    /// Write a clinician export (CSV files and export.json) of the last N days.
    Export {
        /// Folder to write into (created if its parent exists).
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
        /// How many days back (1–3650).
        #[arg(long, default_value_t = 90, value_parser = parse::days)]
        days: i64,
    },
    /// Write a full backup into a folder.
    Backup {
        /// Folder to write into (created if its parent exists).
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
    },
    /// Restore a backup folder into this profile (merges with what is there).
    Restore {
        /// The backup folder.
        #[arg(long, value_name = "FOLDER")]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum RunCommand {
    /// Add a run you did.
    Add {
        /// Local start time, e.g. 2026-11-22T08:00.
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        start: String,
        /// Duration in whole minutes (1–1440).
        #[arg(long, value_parser = parse::minutes)]
        minutes: u32,
        /// Distance in km (e.g. 8.5).
        #[arg(long, value_parser = parse::km)]
        km: f64,
        /// Mark it as a long run.
        #[arg(long)]
        long: bool,
    },
    /// Runs of the last N days.
    List {
        /// How many days back (1–3650).
        #[arg(long, default_value_t = 28, value_parser = parse::days)]
        days: i64,
    },
    /// Import runs from a GPX or TCX file (Strava, Garmin Connect), a FIT file (Garmin),
    /// Apple Health's export.xml, or a CSV file (`start,minutes,km,tags` per line, start as
    /// local time 2026-11-22T08:00 or RFC 3339, tags separated by `;`). Only runs are
    /// imported; importing the same file again changes nothing.
    Import {
        /// The file to read (.gpx, .tcx, .fit, export.xml, .csv).
        file: PathBuf,
        /// Import activities whose file names no sport as runs (only runs are imported).
        #[arg(long)]
        assume_run: bool,
    },
}

#[derive(Subcommand)]
enum ClipsCommand {
    /// Write a PNG with the poster and a mid-rep frame of every clip, drawn from the motion
    /// data (no rendered pack needed).
    Sheet {
        /// Output PNG file.
        out: PathBuf,
        /// Size of each frame in pixels (64–720).
        #[arg(long, default_value_t = 240)]
        tile: u32,
    },
}

#[derive(Subcommand)]
enum RomCommand {
    /// Record a knee-to-wall result (toe-to-wall cm, mean of three tries).
    Add {
        /// Which leg: left or right (l, r).
        #[arg(long, value_parser = parse::side)]
        side: Side,
        /// Toe-to-wall distance in cm (0–30, e.g. 9.5).
        #[arg(long, value_parser = parse::cm, allow_negative_numbers = true)]
        cm: f64,
        /// When it was measured, local time (e.g. 2026-11-22T08:00); default now.
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        at: Option<String>,
    },
    /// Every result with its date and short id.
    List,
    /// Both sides' series as a chart.
    Show {
        /// Also write the chart as a PNG image to this file.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
}

/// The command line as clap sees it, in English.
pub(crate) fn command() -> clap::Command {
    Cli::command()
}

fn parse_with(cmd: clap::Command, args: &[OsString]) -> Result<Cli, clap::Error> {
    cmd.try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
}

/// The value of `--name VALUE` or `--name=VALUE` on the command line, if given.
fn flag_value(args: &[OsString], name: &str) -> Option<OsString> {
    let long = format!("--{name}");
    let with_eq = format!("--{name}=");
    let mut it = args.iter().skip(1).take_while(|a| *a != "--");
    while let Some(a) = it.next() {
        let text = a.to_string_lossy();
        if text == long {
            return it.next().cloned();
        }
        if let Some(v) = text.strip_prefix(&with_eq) {
            return Some(v.into());
        }
    }
    None
}

/// Whether the profile the command line names exists and is set to German (read only when
/// help or an error is to be shown, so no other command pays for it).
fn profile_speaks_german(args: &[OsString]) -> bool {
    let dir = flag_value(args, "profile")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TALUS_HOME").map(PathBuf::from))
        .or_else(|| {
            directories::ProjectDirs::from("app", "Talus", "talus")
                .map(|d| d.data_dir().to_path_buf())
        });
    dir.filter(|d| d.join("talus.db").is_file())
        .and_then(|d| Engine::open(d.to_string_lossy().into(), now_ms()).ok())
        .and_then(|e| e.settings().ok())
        .is_some_and(|s| s.locale == "de")
}

/// Parses the command line; help and errors in German when `--locale de` is given or the
/// profile speaks German.
fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let german = |args: &[OsString]| {
        words::set_locale("de");
        parse_with(help_de::localize(command()), args)
    };
    match flag_value(args, "locale") {
        Some(l) if l == "de" => german(args),
        Some(_) => parse_with(command(), args),
        None => match parse_with(command(), args) {
            Err(_) if profile_speaks_german(args) => german(args),
            parsed => parsed,
        },
    }
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Kind::Usage.exit_code()
            } else {
                0
            };
            // `--help` and `--version` print to stdout; a closed pipe ends quietly there too.
            if e.use_stderr() && words::german() {
                eprint!("{}", help_de::error_text(&e.render().to_string()));
            } else if e.use_stderr() {
                let _ = e.print();
            } else {
                outln!("{}", e.render());
            }
            std::process::exit(code);
        }
    };
    if let Err(err) = run(cli) {
        // An empty message: what went on was already said (the exit code still tells).
        if !err.message.is_empty() {
            eprintln!("{} {err}", t("error:", "Fehler:"));
        }
        std::process::exit(err.kind.exit_code());
    }
}

/// Prints `value` as pretty JSON.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    outln!("{text}");
    Ok(())
}

pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Today's local date `YYYY-MM-DD` in `zone` (UTC when the zone is unknown).
pub(crate) fn local_today(zone: &str) -> String {
    match talus_core::time::parse_zone(zone) {
        Ok(tz) => talus_core::time::local_date(Utc::now(), tz).to_string(),
        Err(_) => Utc::now().date_naive().to_string(),
    }
}

fn profile_dir(cli: &Cli) -> Result<PathBuf, CliError> {
    let dir = if let Some(p) = &cli.profile {
        p.clone()
    } else if let Some(home) = std::env::var_os("TALUS_HOME") {
        PathBuf::from(home)
    } else {
        directories::ProjectDirs::from("app", "Talus", "talus")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                CliError::usage(t(
                    "no data folder found; pass --profile <folder>",
                    "kein Datenordner gefunden; gib --profile <Ordner> an",
                ))
            })?
    };
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::storage(tf(
            format!(
                "--profile {} is a file, not a folder; give a folder (it is created if missing)",
                dir.display()
            ),
            format!(
                "--profile {} ist eine Datei, kein Ordner; gib einen Ordner an (er wird angelegt, wenn er fehlt)",
                dir.display()
            ),
        )));
    }
    Ok(dir)
}

/// Refuses a folder the runner did not create, so no path appears outside the profile
/// unless asked for: the folder itself may be new, its parent must exist.
fn writable_folder(flag: &str, dir: &Path) -> Result<(), CliError> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(CliError::user(tf(
            format!("{flag} {} is a file, not a folder", dir.display()),
            format!("{flag} {} ist eine Datei, kein Ordner", dir.display()),
        )));
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(CliError::user(tf(
            format!(
                "{flag} {}: the folder {} does not exist; create it first",
                dir.display(),
                parent.display()
            ),
            format!(
                "{flag} {}: den Ordner {} gibt es nicht; lege ihn zuerst an",
                dir.display(),
                parent.display()
            ),
        )));
    }
    Ok(())
}

/// A local date and time typed by the runner (`2026-11-22T08:00`) as an instant in `zone`.
fn local_instant(flag: &str, text: &str, zone: &str) -> Result<i64, CliError> {
    let tz: talus_core::time::Tz = fail::check_zone(zone)?
        .parse()
        .map_err(|_| CliError::user(t("unknown time zone", "unbekannte Zeitzone")))?;
    let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M"))
        .map_err(|_| {
            CliError::usage(tf(
                format!(
                    "{flag} {text:?} is not a local date and time; write it like 2026-11-22T08:00"
                ),
                format!(
                    "{flag} {text:?} ist kein Datum mit Uhrzeit; schreib es wie 2026-11-22T08:00"
                ),
            ))
        })?;
    let at = tz.from_local_datetime(&local).earliest().ok_or_else(|| {
        CliError::user(tf(
            format!("{flag} {local} does not exist in {zone} (the clocks jump forward then)"),
            format!("{flag} {local} gibt es in {zone} nicht (die Uhren springen dann vor)"),
        ))
    })?;
    Ok(at.timestamp_millis())
}

fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Demo = cli.command {
        let locale = cli.locale.as_deref().unwrap_or("en");
        words::set_locale(locale);
        return demo::run(locale).map_err(CliError::from);
    }
    if let Command::Clips(ClipsCommand::Sheet { out, tile }) = &cli.command {
        return clips::sheet(out, *tile);
    }
    if let Some(z) = &cli.zone {
        fail::check_zone(z)?;
    }
    let dir = profile_dir(&cli)?;
    let needs_safety = matches!(
        cli.command,
        Command::Today | Command::Session { .. } | Command::Checkin(_) | Command::Reminders
    );
    let new_profile = !dir.join("talus.db").exists();
    let first_run = needs_safety || matches!(cli.command, Command::Setup(_));
    if new_profile && first_run && !cli.no_red_flags && !ask::interactive() {
        // Nothing is assumed without a terminal: no profile, so no drills, before screening.
        return Err(CliError::locked(
            "new profile: answer the safety questions first with `talus screen` on a terminal \
             (in a script: `talus screen --all-no` when none of them applies)",
        ));
    }
    let engine = Engine::open(dir.to_string_lossy().into(), now_ms())?;
    if let Some(moved) = engine.open_info().quarantined_path {
        eprintln!(
            "warning: the profile database was damaged and moved to {moved} (nothing was deleted); \
             a fresh one was started. Restore your history with `talus restore --from <backup folder>` \
             or sync with another of your devices."
        );
    }
    let mut settings = engine.settings()?;
    // A language asked for is remembered, so the core's messages follow it too.
    let locale = match &cli.locale {
        Some(l) if *l != settings.locale => {
            settings.locale = l.clone();
            engine.set_settings(settings.clone(), now_ms())?;
            l.clone()
        }
        _ => settings.locale.clone(),
    };
    words::set_locale(&locale);
    // A zone given is remembered like the language; a new profile starts with the
    // system's zone, so nobody is planned in UTC by accident.
    let detected = engine
        .open_info()
        .created
        .then(setup::system_zone)
        .flatten();
    let zone = match cli.zone.clone().or(detected) {
        Some(z) if z != settings.home_zone => {
            settings.home_zone = z.clone();
            engine.set_settings(settings.clone(), now_ms())?;
            z
        }
        _ => settings.home_zone.clone(),
    };
    if engine.open_info().created && needs_safety {
        if cli.no_red_flags {
            screen::all_no(&engine, cli.json)?;
        } else {
            // A new profile on a terminal goes through the first-run flow before anything.
            setup::setup(
                &engine,
                &setup::SettingsArgs::default(),
                true,
                false,
                &locale,
                cli.locale.is_some(),
            )?;
            outln!();
        }
    }
    match cli.command {
        Command::Demo => Ok(()),
        Command::Setup(args) => {
            let created = engine.open_info().created;
            setup::setup(
                &engine,
                &args,
                created,
                cli.no_red_flags,
                &locale,
                cli.locale.is_some(),
            )
        }
        Command::Settings(args) => setup::settings(&engine, &args, cli.json),
        Command::Screen { all_no } => {
            if all_no {
                screen::all_no(&engine, cli.json)
            } else if ask::interactive() {
                screen::ask_all(&engine, &locale).map(|_locked| ())
            } else {
                Err(CliError::usage(
                    "the safety questions are asked on a terminal; scripts use `talus screen --all-no` \
                     when none of them applies",
                ))
            }
        }
        Command::Clear(args) => clear::run(&engine, &zone, args),
        Command::FollowUp(args) => followup::run(&engine, &locale, args),
        Command::Today => {
            let plan = engine.today(now_ms(), zone)?;
            if cli.json {
                return print_json(&plan);
            }
            show::plan(&plan);
            // A locked, paused or unscreened day says only what applies to it.
            if plan.items.is_empty() {
                return Ok(());
            }
            if engine.knee_to_wall_series(Side::Left)?.is_empty()
                || engine.knee_to_wall_series(Side::Right)?.is_empty()
            {
                outln!(
                    "{}",
                    t(
                        "No knee-to-wall baseline on both legs yet: `talus rom add --side left --cm 9.5` (and right).",
                        "Noch kein Knie-zur-Wand-Ausgangswert für beide Beine: `talus rom add --side left --cm 9.5` (und right)."
                    )
                );
            }
            outln!(
                "{}",
                t("Start: `talus session`.", "Los geht's: `talus session`.")
            );
            Ok(())
        }
        Command::Session { auto } => {
            if auto.is_none() && ask::interactive() {
                followup::before_session(&engine, &locale)?;
            }
            session::run(&engine, &zone, &locale, auto)
        }
        Command::Checkin(args) => checkin::run(&engine, &zone, &locale, args),
        Command::Run(RunCommand::Add {
            start,
            minutes,
            km,
            long,
        }) => {
            let start_ms = local_instant("--start", &start, &zone)?;
            let out = engine.record_run(
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
            )?;
            let outcome = match out.outcome {
                talus_ffi::RunOutcome::Inserted => t("recorded", "gespeichert"),
                talus_ffi::RunOutcome::Updated => t("updated", "aktualisiert"),
                talus_ffi::RunOutcome::Unchanged => t("unchanged", "unverändert"),
            };
            outln!("{} {outcome} ({minutes} min, {km} km).", t("Run", "Lauf"));
            Ok(())
        }
        Command::Run(RunCommand::List { days }) => {
            let now = now_ms();
            let runs = engine.runs(now - days * 86_400_000, now)?;
            if cli.json {
                return print_json(&runs);
            }
            if runs.is_empty() {
                outln!(
                    "{}",
                    tf(
                        format!("No runs in the last {days} days."),
                        format!("Keine Läufe in den letzten {days} Tagen.")
                    )
                );
            }
            for r in &runs {
                show::run(r);
            }
            Ok(())
        }
        Command::Run(RunCommand::Import { file, assume_run }) => {
            if !file.is_file() {
                return Err(CliError::user(tf(
                    format!("{}: no such file", file.display()),
                    format!("{}: diese Datei gibt es nicht", file.display()),
                )));
            }
            let format = import::detect(&file)?;
            if format == import::Format::Csv {
                let (inserted, updated, unchanged) = exchange::import_runs(&engine, &file, &zone)?;
                outln!(
                    "{}",
                    tf(
                        format!("Runs imported: {inserted} new, {updated} updated, {unchanged} unchanged."),
                        format!("Läufe importiert: {inserted} neu, {updated} aktualisiert, {unchanged} unverändert.")
                    )
                );
                return Ok(());
            }
            let r = import::import(&engine, &file, format, &zone, assume_run)?;
            if r.found == 0 {
                outln!(
                    "{} {}.",
                    t("No activities in", "Keine Aktivitäten in"),
                    file.display()
                );
                return Ok(());
            }
            let dates = match r.span_ms {
                Some((a, b)) => {
                    let day = |ms: i64| {
                        chrono::DateTime::<Utc>::from_timestamp_millis(ms)
                            .map(|t| t.format("%d.%m.%Y").to_string())
                            .unwrap_or_default()
                    };
                    if day(a) == day(b) {
                        tf(
                            format!(" (run of {})", day(a)),
                            format!(" (Lauf vom {})", day(a)),
                        )
                    } else {
                        tf(
                            format!(" (runs from {} to {})", day(a), day(b)),
                            format!(" (Läufe vom {} bis {})", day(a), day(b)),
                        )
                    }
                }
                None => String::new(),
            };
            let (n, u, c) = (r.inserted, r.updated, r.unchanged);
            outln!(
                "{}",
                tf(
                    format!("Runs imported: {n} new, {u} updated, {c} unchanged{dates}."),
                    format!("Läufe importiert: {n} neu, {u} aktualisiert, {c} unverändert{dates}.")
                )
            );
            if !r.other_sports.is_empty() {
                let others: Vec<String> = r
                    .other_sports
                    .iter()
                    .map(|(sport, n)| format!("{n} {sport}"))
                    .collect();
                outln!(
                    "{} {}.",
                    t("Left out (not runs):", "Weggelassen (keine Läufe):"),
                    others.join(", ")
                );
            }
            if r.untyped > 0 && assume_run {
                let n = r.untyped;
                outln!(
                    "{}",
                    tf(
                        format!("{n} without a sport in the file taken as runs (--assume-run)."),
                        format!(
                            "{n} ohne Sportart in der Datei als Lauf übernommen (--assume-run)."
                        )
                    )
                );
            } else if r.untyped > 0 {
                let n = r.untyped;
                outln!(
                    "{}",
                    tf(
                        format!("Left out: {n} without a sport in the file; if they were runs, import again with --assume-run."),
                        format!("Weggelassen: {n} ohne Sportart in der Datei; waren es Läufe, nochmals mit --assume-run importieren.")
                    )
                );
            }
            if r.without_times > 0 {
                let n = r.without_times;
                outln!(
                    "{}",
                    tf(
                        format!("Left out: {n} without times (a planned route or an empty track)."),
                        format!("Weggelassen: {n} ohne Zeiten (eine geplante Route oder eine leere Spur).")
                    )
                );
            }
            Ok(())
        }
        Command::Rom(RomCommand::Add { side, cm, at }) => {
            let at_ms = match at {
                Some(text) => local_instant("--at", &text, &zone)?,
                None => now_ms(),
            };
            engine.record_knee_to_wall(side, cm, at_ms, zone, now_ms())?;
            outln!(
                "{}",
                tf(
                    format!("Recorded {cm:.1} cm."),
                    format!("Gespeichert: {} cm.", words::komma(cm))
                )
            );
            Ok(())
        }
        Command::Rom(RomCommand::Show { png }) => {
            let left = engine.knee_to_wall_series(Side::Left)?;
            let right = engine.knee_to_wall_series(Side::Right)?;
            let report = engine.knee_to_wall_report(now_ms())?;
            if cli.json {
                return print_json(
                    &serde_json::json!({ "left": left, "right": right, "report": report }),
                );
            }
            let settings = engine.settings()?;
            let (mdc, asym) = (settings.rom_mdc_cm, settings.rom_asymmetry_cm);
            show::rom_chart(&left, &right);
            show::rom_report(&report, mdc, asym);
            if let Some(path) = png {
                if left.is_empty() && right.is_empty() {
                    outln!(
                        "{}",
                        t(
                            "No chart written: there is nothing to plot yet.",
                            "Kein Diagramm geschrieben: noch nichts darzustellen."
                        )
                    );
                    return Ok(());
                }
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    if !parent.is_dir() {
                        return Err(CliError::user(tf(
                            format!(
                                "--png {}: the folder {} does not exist",
                                path.display(),
                                parent.display()
                            ),
                            format!(
                                "--png {}: den Ordner {} gibt es nicht",
                                path.display(),
                                parent.display()
                            ),
                        )));
                    }
                }
                let labelled = plot::rom_png(&left, &right, mdc, asym, &path)?;
                outln!(
                    "{} {}",
                    t("Chart written to", "Diagramm gespeichert in"),
                    path.display()
                );
                if !labelled {
                    outln!(
                        "{}",
                        t(
                            "(no system font found, so the image has no text labels)",
                            "(keine Systemschrift gefunden, daher hat das Bild keine Beschriftung)"
                        )
                    );
                }
            }
            Ok(())
        }
        Command::History { limit } => {
            let sessions = engine.recent_sessions(i32::try_from(limit).unwrap_or(i32::MAX))?;
            if cli.json {
                return print_json(&sessions);
            }
            if sessions.is_empty() {
                outln!(
                    "{}",
                    t(
                        "No sessions yet: `talus session` starts today's.",
                        "Noch keine Einheiten: `talus session` startet die heutige."
                    )
                );
            }
            for s in &sessions {
                show::session(s);
            }
            Ok(())
        }
        Command::Delete { kind, id, yes } => delete::run(&engine, kind, &id, yes),
        Command::Rom(RomCommand::List) => delete::list(&engine, delete::Entry::Rom),
        Command::Checkins => delete::list(&engine, delete::Entry::Checkin),
        Command::Drills => {
            let drills = engine.drills(locale.clone());
            if cli.json {
                return print_json(&drills);
            }
            for d in drills {
                outln!("  {:<32} {}", d.id, d.name);
            }
            Ok(())
        }
        Command::Clips(_) => Ok(()),
        Command::Drill { id, play } => {
            let drills = engine.drills(locale.clone());
            let Some(drill) = drills.iter().find(|d| d.id == id) else {
                let hint = fail::did_you_mean(
                    &id,
                    drills
                        .iter()
                        .map(|d| d.id.as_str())
                        .chain(drills.iter().map(|d| d.name.as_str())),
                )
                .and_then(|m| drills.iter().find(|d| d.id == m || d.name == m))
                .map(|d| {
                    tf(
                        format!(" Did you mean {} ({})?", d.id, d.name),
                        format!(" Meintest du {} ({})?", d.id, d.name),
                    )
                })
                .unwrap_or_else(|| {
                    t(
                        " `talus drills` lists them all.",
                        " `talus drills` listet alle auf.",
                    )
                    .into()
                });
                return Err(CliError::user(tf(
                    format!("no drill {id:?}.{hint}"),
                    format!("keine Übung {id:?}.{hint}"),
                )));
            };
            if play {
                return clips::play(&drill.id, &clips::pack_dir());
            }
            if cli.json {
                return print_json(drill);
            }
            show::drill(drill);
            Ok(())
        }
        Command::Sync { with, folder } => match (with, folder) {
            (Some(other), None) => {
                let (here, there) = exchange::sync_with(&engine, &other)?;
                if cli.json {
                    return print_json(&serde_json::json!({ "here": here, "there": there }));
                }
                exchange::print_report(t("This profile", "Dieses Profil"), &here);
                exchange::print_report(t("Other profile", "Anderes Profil"), &there);
                Ok(())
            }
            (None, Some(dir)) => {
                if !dir.is_dir() {
                    return Err(CliError::user(tf(
                        format!(
                            "--folder {}: no such folder; create it (or pick the folder your devices share) first",
                            dir.display()
                        ),
                        format!(
                            "--folder {}: diesen Ordner gibt es nicht; lege ihn an (oder wähle den Ordner, den deine Geräte teilen)",
                            dir.display()
                        ),
                    )));
                }
                let report = engine.sync_folder(dir.to_string_lossy().into(), now_ms())?;
                if cli.json {
                    return print_json(&report);
                }
                exchange::print_report(t("Sync", "Abgleich"), &report);
                Ok(())
            }
            _ => Err(CliError::usage(t(
                "say --with <profile folder> or --folder <shared folder>",
                "gib --with <Profilordner> oder --folder <geteilter Ordner> an",
            ))),
        },
        Command::Reminders => {
            let reminders = engine.reminders(now_ms(), zone)?;
            if cli.json {
                return print_json(&reminders);
            }
            show::reminders(&reminders);
            Ok(())
        }
        Command::Export { out, days } => {
            writable_folder("--out", &out)?;
            for path in exchange::clinician_export(&engine, &out, days, &zone)? {
                outln!("{} {path}", t("wrote", "geschrieben:"));
            }
            Ok(())
        }
        Command::Backup { out } => {
            writable_folder("--out", &out)?;
            let path = engine.write_backup(out.to_string_lossy().into())?;
            outln!(
                "{} {path}",
                t("Backup written to", "Sicherung gespeichert in")
            );
            Ok(())
        }
        Command::Restore { from } => {
            if !from.is_dir() {
                return Err(CliError::user(tf(
                    format!("--from {}: no such folder", from.display()),
                    format!("--from {}: diesen Ordner gibt es nicht", from.display()),
                )));
            }
            let report = engine.restore_backup(from.to_string_lossy().into(), now_ms())?;
            exchange::print_report(t("Restore", "Wiederherstellung"), &report);
            Ok(())
        }
    }
}
