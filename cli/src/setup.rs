//! `talus setup` (the first-run flow) and `talus settings` (show and change): time zone from
//! the system, wake window, quiet hours, daily reminder, equipment, goals, injured leg, start
//! side and units. On a terminal every value not given as a flag is asked with the current value as
//! the default; scripts pass flags, and nothing is assumed for them.

use talus_ffi::{parse_wire_name, wire_name, Engine, Equipment, SettingsInfo, Side, Target};

use crate::ask;
use crate::fail::{self, CliError};
use crate::parse::{self, hhmm};
use crate::words::{t as w, tf as wf};
use crate::{now_ms, outln};

/// Values of the profile a runner can set; every flag is optional.
#[derive(clap::Args, Default)]
pub struct SettingsArgs {
    /// Home time zone as an IANA name (e.g. Europe/Berlin).
    #[arg(long, value_name = "ZONE")]
    home_zone: Option<String>,
    /// Wake window for morning check-in reminders, e.g. 06:00-10:00.
    #[arg(long, value_parser = parse::window, value_name = "HH:MM-HH:MM")]
    wake: Option<(i32, i32)>,
    /// Quiet hours without reminders, e.g. 22:00-07:00.
    #[arg(long, value_parser = parse::window, value_name = "HH:MM-HH:MM")]
    quiet: Option<(i32, i32)>,
    /// Daily drill reminder time (e.g. 18:30), or `off`.
    #[arg(long, value_parser = reminder_flag, value_name = "HH:MM|off")]
    reminder: Option<Maybe<i32>>,
    /// Equipment at hand, comma-separated (e.g. wall,band,step), or `none`.
    #[arg(long, value_name = "LIST")]
    equipment: Option<String>,
    /// Goals, comma-separated targets (e.g. dorsiflexion,calf), or `none`.
    #[arg(long, value_name = "LIST")]
    goals: Option<String>,
    /// The leg that was injured, if one was: left, right or none.
    #[arg(long, value_parser = injured_side_flag, value_name = "left|right|none")]
    injured_side: Option<Maybe<Side>>,
    /// The leg to start each drill with: left, right or either.
    #[arg(long, value_parser = start_side_flag, value_name = "left|right|either")]
    start_side: Option<Maybe<Side>>,
    /// Units: metric or imperial.
    #[arg(long, value_parser = ["metric", "imperial"])]
    units: Option<String>,
}

impl SettingsArgs {
    fn is_empty(&self) -> bool {
        self.home_zone.is_none()
            && self.wake.is_none()
            && self.quiet.is_none()
            && self.reminder.is_none()
            && self.equipment.is_none()
            && self.goals.is_none()
            && self.start_side.is_none()
            && self.injured_side.is_none()
            && self.units.is_none()
    }
}

/// A value that may be switched off (`--reminder off`, `--start-side either`); a newtype
/// because clap reads `Option<Option<T>>` as a flag with an optional value.
#[derive(Debug, Clone, Copy)]
pub struct Maybe<T>(Option<T>);

fn reminder_flag(s: &str) -> Result<Maybe<i32>, String> {
    reminder(s).map(Maybe)
}

fn start_side_flag(s: &str) -> Result<Maybe<Side>, String> {
    start_side(s).map(Maybe)
}

fn injured_side_flag(s: &str) -> Result<Maybe<Side>, String> {
    injured_side(s).map(Maybe)
}

fn reminder(s: &str) -> Result<Option<i32>, String> {
    match s.trim().to_lowercase().as_str() {
        "off" | "none" | "no" | "aus" => Ok(None),
        _ => parse::clock(s).map(Some),
    }
}

fn start_side(s: &str) -> Result<Option<Side>, String> {
    match s.trim().to_lowercase().as_str() {
        "either" | "any" | "none" | "egal" | "" => Ok(None),
        _ => parse::side(s).map(Some).map_err(|_| {
            wf(
                format!("{s:?} is not a side; say left, right or either"),
                format!("{s:?} ist keine Seite; sag links, rechts oder egal"),
            )
        }),
    }
}

fn injured_side(s: &str) -> Result<Option<Side>, String> {
    match s.trim().to_lowercase().as_str() {
        "none" | "no" | "neither" | "keins" | "keines" | "nein" => Ok(None),
        _ => parse::side(s).map(Some).map_err(|_| {
            wf(
                format!("{s:?} is not a side; say left, right or none"),
                format!("{s:?} ist keine Seite; sag links, rechts oder keins"),
            )
        }),
    }
}

/// The stable names of enum values, as flags take them.
fn names<T: serde::Serialize>(values: &[T]) -> Vec<String> {
    values.iter().map(wire_name).collect()
}

/// Values from names already checked against the allowed list.
fn parsed<T: serde::de::DeserializeOwned>(names: Vec<String>) -> Vec<T> {
    names.iter().filter_map(|n| parse_wire_name(n)).collect()
}

/// One allowed value of a list setting: its stable name (as flags take it) and its name in
/// the runner's language (accepted too when typed).
pub struct Choice {
    wire: String,
    label: String,
}

/// The allowed values of a list setting: what the catalog's drills use.
fn known(engine: &Engine, goals: bool) -> Vec<Choice> {
    let locale = crate::words::locale();
    let mut all: Vec<String> = engine
        .drills("en".into())
        .into_iter()
        .flat_map(|d| {
            if goals {
                names(&d.targets)
            } else {
                names(&d.equipment)
            }
        })
        .collect();
    all.sort();
    all.dedup();
    all.into_iter()
        .map(|wire| {
            let label = if goals {
                parse_wire_name::<Target>(&wire).map(|t| t.label(locale.clone()))
            } else {
                parse_wire_name::<Equipment>(&wire).map(|e| e.label(locale.clone()))
            };
            Choice {
                label: label.unwrap_or_else(|| wire.clone()),
                wire,
            }
        })
        .collect()
}

/// The choices as shown: stable names, with the runner's words where they differ.
fn shown_choices(allowed: &[Choice]) -> String {
    allowed
        .iter()
        .map(|c| {
            if c.label.to_lowercase() == c.wire.replace('_', " ") {
                c.wire.clone()
            } else if crate::words::german() {
                format!("{} ({})", c.label, c.wire)
            } else {
                c.wire.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a comma-separated list against the allowed values (stable names or the runner's
/// words), with did-you-mean.
fn list(flag: &str, text: &str, allowed: &[Choice]) -> Result<Vec<String>, String> {
    let t = text.trim().to_lowercase();
    if ["none", "keine", "nichts", ""].contains(&t.as_str()) {
        return Ok(Vec::new());
    }
    let find = |item: &str| {
        let wire = item.replace(['-', ' '], "_");
        allowed
            .iter()
            .find(|c| c.wire == wire || c.label.to_lowercase() == item)
            .map(|c| c.wire.clone())
    };
    let mut out = Vec::new();
    for part in t.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        // A whole part first (a name may have spaces), else its words one by one.
        let items: Vec<&str> = if find(part).is_some() {
            vec![part]
        } else {
            part.split_whitespace().collect()
        };
        for item in items {
            if let Some(wire) = find(item) {
                if !out.contains(&wire) {
                    out.push(wire);
                }
                continue;
            }
            let names = allowed
                .iter()
                .flat_map(|c| [c.wire.as_str(), c.label.as_str()]);
            let hint = fail::did_you_mean(item, names)
                .map(|m| wf(format!("did you mean {m}? "), format!("meintest du {m}? ")))
                .unwrap_or_default();
            return Err(wf(
                format!(
                    "{flag}: {item:?} is not known; {hint}choose from {} (or none)",
                    shown_choices(allowed)
                ),
                format!(
                    "{flag}: {item:?} kenne ich nicht; {hint}wähle aus {} (oder keine)",
                    shown_choices(allowed)
                ),
            ));
        }
    }
    Ok(out)
}

/// The system's time zone, when it names a zone Talus knows: `$TZ` when it holds a zone
/// name (as a shell session may set it), else the system's setting.
pub fn system_zone() -> Option<String> {
    std::env::var("TZ")
        .ok()
        .map(|z| z.trim_start_matches(':').to_owned())
        .filter(|z| fail::check_zone(z).is_ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .filter(|z| fail::check_zone(z).is_ok())
        })
}

/// Applies the given flags to `s`; errors name the flag.
fn apply(engine: &Engine, s: &mut SettingsInfo, a: &SettingsArgs) -> Result<(), CliError> {
    if let Some(z) = &a.home_zone {
        s.home_zone = fail::check_zone(z)
            .map_err(|e| CliError::user(e.message.replace("--zone", "--home-zone")))?;
    }
    if let Some((from, to)) = a.wake {
        s.wake_start_min = from;
        s.wake_end_min = to;
    }
    if let Some((from, to)) = a.quiet {
        s.quiet_start_min = from;
        s.quiet_end_min = to;
    }
    if let Some(Maybe(r)) = a.reminder {
        s.daily_reminder_min = r;
    }
    if let Some(e) = &a.equipment {
        s.equipment =
            parsed(list("--equipment", e, &known(engine, false)).map_err(CliError::user)?);
    }
    if let Some(g) = &a.goals {
        s.goals = parsed(list("--goals", g, &known(engine, true)).map_err(CliError::user)?);
    }
    if let Some(Maybe(side)) = a.injured_side {
        s.injured_side = side;
    }
    if let Some(Maybe(side)) = a.start_side {
        s.preferred_start_side = side;
    }
    if let Some(u) = &a.units {
        s.metric_units = u == "metric";
    }
    Ok(())
}

fn side_name(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => w("left", "links"),
        Some(Side::Right) => w("right", "rechts"),
        None => w("either", "egal"),
    }
}

fn injured_name(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Left) => w("left", "links"),
        Some(Side::Right) => w("right", "rechts"),
        None => w("none", "keins"),
    }
}

fn units_name(metric: bool) -> &'static str {
    if metric {
        w("metric", "metrisch")
    } else {
        w("imperial", "imperial")
    }
}

/// Asks one setting on a terminal: `question [shown]`, Enter keeps `current`, anything
/// else goes through `parse` (asked again with the reason when it is refused).
fn keep_or<T: Clone>(
    question: &str,
    current: T,
    shown: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, CliError> {
    ask::until(&format!("{question} [{shown}]"), |t| {
        if t.is_empty() {
            Ok(current.clone())
        } else {
            parse(t)
        }
    })
}

/// [`keep_or`] for a list setting: the allowed values are listed first.
fn keep_or_from_list(
    heading: &str,
    question: &str,
    current: Vec<String>,
    allowed: &[Choice],
) -> Result<Vec<String>, CliError> {
    outln!(
        "{heading}: {} ({}).",
        shown_choices(allowed),
        w("or none", "oder keine")
    );
    let shown = or_none(&current);
    keep_or(question, current, &shown, |t| list(heading, t, allowed))
}

fn or_none(list: &[String]) -> String {
    if list.is_empty() {
        w("none", "keine").into()
    } else {
        list.join(", ")
    }
}

/// Prints the settings a runner can change, with the flag that changes each.
pub fn show(s: &SettingsInfo) {
    outln!(
        "  {:<18}{:<24} --home-zone",
        w("time zone", "Zeitzone"),
        s.home_zone
    );
    outln!(
        "  {:<18}{:<24} --wake",
        w("wake window", "Aufwachzeit"),
        format!("{}–{}", hhmm(s.wake_start_min), hhmm(s.wake_end_min))
    );
    outln!(
        "  {:<18}{:<24} --quiet",
        w("quiet hours", "Ruhezeit"),
        format!("{}–{}", hhmm(s.quiet_start_min), hhmm(s.quiet_end_min))
    );
    outln!(
        "  {:<18}{:<24} --reminder",
        w("daily reminder", "Erinnerung"),
        s.daily_reminder_min.map_or(w("off", "aus").into(), hhmm)
    );
    outln!(
        "  {:<18}{:<24} --equipment",
        w("equipment", "Ausrüstung"),
        or_none(
            &s.equipment
                .iter()
                .map(|e| e.label(crate::words::locale()))
                .collect::<Vec<_>>()
        )
    );
    outln!(
        "  {:<18}{:<24} --goals",
        w("goals", "Ziele"),
        or_none(
            &s.goals
                .iter()
                .map(|g| g.label(crate::words::locale()))
                .collect::<Vec<_>>()
        )
    );
    outln!(
        "  {:<18}{:<24} --start-side",
        w("start side", "Startseite"),
        side_name(s.preferred_start_side)
    );
    outln!(
        "  {:<18}{:<24} --injured-side",
        w("injured leg", "verletztes Bein"),
        injured_name(s.injured_side)
    );
    outln!(
        "  {:<18}{:<24} --units",
        w("units", "Einheiten"),
        units_name(s.metric_units)
    );
}

/// `talus settings`: shows the settings, or changes the ones given as flags.
pub fn settings(engine: &Engine, a: &SettingsArgs, json: bool) -> Result<(), CliError> {
    let mut s = engine.settings()?;
    if !a.is_empty() {
        apply(engine, &mut s, a)?;
        engine.set_settings(s.clone(), now_ms())?;
        outln!("{}", w("Saved.", "Gespeichert."));
    }
    if json {
        let text = serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?;
        outln!("{text}");
    } else {
        show(&s);
    }
    Ok(())
}

/// `talus setup`: welcome, the values not given as flags asked on a terminal, then saved.
pub fn setup(
    engine: &Engine,
    a: &SettingsArgs,
    new_profile: bool,
    no_red_flags: bool,
    locale: &str,
    locale_given: bool,
) -> Result<(), CliError> {
    let mut s = engine.settings()?;
    apply(engine, &mut s, a)?;
    if new_profile && no_red_flags {
        crate::screen::all_no(engine, false)?;
    }
    if !ask::interactive() {
        if a.is_empty() {
            return Err(CliError::usage(
                "setup asks its questions on a terminal; scripts give the values as flags \
                 (see `talus setup --help`)",
            ));
        }
        engine.set_settings(s.clone(), now_ms())?;
        show(&s);
        return Ok(());
    }
    outln!(
        "{}",
        w(
            "Welcome to Talus, an ankle-mobility coach for runners.\n\
             It guides drills and adapts them to how your legs feel. It is not a diagnosis;\n\
             your answers stay on this device (and the devices you sync with).",
            "Willkommen bei Talus, dem Sprunggelenk-Coach für Läuferinnen und Läufer.\n\
             Talus leitet Übungen an und passt sie an, wie sich deine Beine anfühlen. Es ist\n\
             keine Diagnose; deine Antworten bleiben auf diesem Gerät (und deinen synchronisierten)."
        )
    );
    let mut locked = false;
    if new_profile && !no_red_flags {
        outln!(
            "\n{}",
            w(
                "First, the safety questions: signs that need a clinician before any drill.",
                "Zuerst der Sicherheits-Check: Zeichen, die vor jeder Übung ärztlich abgeklärt gehören."
            )
        );
        locked = crate::screen::ask_all(engine, locale)?;
        outln!();
    }
    outln!(
        "{}\n",
        w(
            "Press Enter to keep the value in [brackets].",
            "Enter übernimmt den Wert in [Klammern]."
        )
    );
    if !locale_given {
        s.locale = keep_or(
            "Language / Sprache (en, de)",
            s.locale.clone(),
            &s.locale,
            |t| match t.to_lowercase().as_str() {
                "en" | "english" | "englisch" => Ok("en".into()),
                "de" | "deutsch" | "german" => Ok("de".into()),
                _ => Err("en / de".into()),
            },
        )?;
        crate::words::set_locale(&s.locale);
    }
    if a.home_zone.is_none() {
        let default = system_zone().unwrap_or_else(|| s.home_zone.clone());
        s.home_zone = keep_or(w("Time zone", "Zeitzone"), default.clone(), &default, |t| {
            fail::check_zone(t).map_err(|e| e.message.replace("--zone: ", ""))
        })?;
    }
    if a.wake.is_none() {
        let cur = (s.wake_start_min, s.wake_end_min);
        (s.wake_start_min, s.wake_end_min) = keep_or(
            w(
                "When are you usually up and about, for the morning check-in?",
                "Wann bist du morgens meist auf, für den Morgen-Check-in?",
            ),
            cur,
            &format!("{}-{}", hhmm(cur.0), hhmm(cur.1)),
            parse::window,
        )?;
    }
    if a.quiet.is_none() {
        let cur = (s.quiet_start_min, s.quiet_end_min);
        (s.quiet_start_min, s.quiet_end_min) = keep_or(
            w(
                "Quiet hours, no reminders then",
                "Ruhezeit, dann keine Erinnerungen",
            ),
            cur,
            &format!("{}-{}", hhmm(cur.0), hhmm(cur.1)),
            parse::window,
        )?;
    }
    if a.reminder.is_none() {
        let cur = s.daily_reminder_min;
        s.daily_reminder_min = keep_or(
            w(
                "Daily reminder for your drills (a time, or off)",
                "Tägliche Erinnerung an deine Übungen (Uhrzeit oder aus)",
            ),
            cur,
            &cur.map_or(w("off", "aus").into(), hhmm),
            reminder,
        )?;
    }
    if a.equipment.is_none() {
        let allowed = known(engine, false);
        s.equipment = parsed(keep_or_from_list(
            w("Equipment at hand", "Ausrüstung zur Hand"),
            w("Which do you have?", "Was hast du?"),
            names(&s.equipment),
            &allowed,
        )?);
    }
    if a.goals.is_none() {
        let allowed = known(engine, true);
        s.goals = parsed(keep_or_from_list(
            w("Goals", "Ziele"),
            w("What do you want to work on?", "Woran willst du arbeiten?"),
            names(&s.goals),
            &allowed,
        )?);
    }
    if a.injured_side.is_none() {
        s.injured_side = keep_or(
            w(
                "Was one leg injured (left, right, none)?",
                "War ein Bein verletzt (links, rechts, keins)?",
            ),
            s.injured_side,
            injured_name(s.injured_side),
            injured_side,
        )?;
    }
    if a.start_side.is_none() {
        s.preferred_start_side = keep_or(
            w(
                "Start each drill with which leg (left, right, either)?",
                "Mit welchem Bein jede Übung beginnen (links, rechts, egal)?",
            ),
            s.preferred_start_side,
            side_name(s.preferred_start_side),
            start_side,
        )?;
    }
    if a.units.is_none() {
        s.metric_units = keep_or(
            w(
                "Units: metric or imperial?",
                "Einheiten: metrisch oder imperial?",
            ),
            s.metric_units,
            units_name(s.metric_units),
            |t| match t.to_lowercase().as_str() {
                "metric" | "m" | "metrisch" => Ok(true),
                "imperial" | "i" => Ok(false),
                _ => Err(w("say metric or imperial", "sag metrisch oder imperial").into()),
            },
        )?;
    }
    engine.set_settings(s.clone(), now_ms())?;
    outln!(
        "\n{}",
        w(
            "Saved (change any of it later with `talus settings`):",
            "Gespeichert (später änderbar mit `talus settings`):"
        )
    );
    show(&s);
    if locked {
        // The usual next steps (baseline test, today's drills) would only meet the lock.
        outln!(
            "\n{}",
            w(
                "Next: see a clinician. The drills stay locked until then; afterwards `talus clear`.",
                "Als Nächstes: lass dich ärztlich untersuchen. Bis dahin bleiben die Übungen gesperrt;\n\
                 danach `talus clear`."
            )
        );
        return Ok(());
    }
    outln!(
        "\n{}",
        w(
            "Next: the knee-to-wall test on both legs, your baseline (`talus rom add --side left --cm 9.5`),\n\
             then `talus today` for today's drills and `talus session` to do them.",
            "Als Nächstes: der Knie-zur-Wand-Test an beiden Beinen, dein Ausgangswert\n\
             (`talus rom add --side left --cm 9.5`), dann `talus today` für die heutigen Übungen\n\
             und `talus session`, um sie zu machen."
        )
    );
    Ok(())
}
