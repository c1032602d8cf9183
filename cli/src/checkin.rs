//! `talus checkin`: the morning check-in. On a terminal every score not given as a flag is
//! asked; a script gives all six, since a missing score is never recorded as a made-up 0.
//! A second check-in the same morning is recorded only when the runner says so.

use chrono::{DateTime, TimeZone, Utc};
use talus_ffi::{CheckInInput, Engine};

use crate::ask;
use crate::fail::CliError;
use crate::words::{t, tf};
use crate::{now_ms, outln, parse};

/// Scores of the morning check-in.
#[derive(clap::Args)]
pub struct CheckinArgs {
    /// Calf pain now, 0 (none) to 10 (worst imaginable).
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    pain_calf: Option<i32>,
    /// Achilles pain now, 0–10.
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    pain_achilles: Option<i32>,
    /// Ankle pain now, 0–10.
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    pain_ankle: Option<i32>,
    /// Calf stiffness this morning, 0 (none) to 10 (cannot move it).
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    stiffness_calf: Option<i32>,
    /// Achilles stiffness, 0–10.
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    stiffness_achilles: Option<i32>,
    /// Ankle stiffness, 0–10.
    #[arg(long, value_parser = parse::score, value_name = "0-10")]
    stiffness_ankle: Option<i32>,
    /// Record this check-in even if there already is one this morning (the newest counts).
    #[arg(long)]
    again: bool,
    /// A warning sign that is new since the screening, by question id (see `talus screen`);
    /// repeat for several. It locks the drills.
    #[arg(long = "red-flag", value_name = "QUESTION_ID")]
    red_flags: Vec<String>,
}

/// When today's check-in was already recorded (local midnight of `zone` until now).
fn earlier_today(engine: &Engine, zone: &str, now: i64) -> Option<DateTime<Utc>> {
    let tz: talus_core::time::Tz = zone.parse().ok()?;
    let now_utc = DateTime::<Utc>::from_timestamp_millis(now)?;
    let midnight = now_utc
        .with_timezone(&tz)
        .date_naive()
        .and_hms_opt(0, 0, 0)?;
    let start = tz
        .from_local_datetime(&midnight)
        .earliest()?
        .with_timezone(&Utc);
    // Newest first.
    let list = engine
        .checkins(start.timestamp_millis(), now + 60_000)
        .ok()?;
    list.first()
        .and_then(|c| DateTime::<Utc>::from_timestamp_millis(c.at_ms))
}

pub fn run(engine: &Engine, zone: &str, locale: &str, a: CheckinArgs) -> Result<(), CliError> {
    let now = now_ms();
    let interactive = ask::interactive();
    let given = [
        (
            "--pain-calf",
            a.pain_calf,
            t("Calf pain now", "Wade: Schmerz jetzt"),
        ),
        (
            "--pain-achilles",
            a.pain_achilles,
            t("Achilles pain now", "Achillessehne: Schmerz jetzt"),
        ),
        (
            "--pain-ankle",
            a.pain_ankle,
            t("Ankle pain now", "Sprunggelenk: Schmerz jetzt"),
        ),
        (
            "--stiffness-calf",
            a.stiffness_calf,
            t(
                "Calf stiffness this morning",
                "Wade: Steifigkeit heute Morgen",
            ),
        ),
        (
            "--stiffness-achilles",
            a.stiffness_achilles,
            t(
                "Achilles stiffness this morning",
                "Achillessehne: Steifigkeit heute Morgen",
            ),
        ),
        (
            "--stiffness-ankle",
            a.stiffness_ankle,
            t(
                "Ankle stiffness this morning",
                "Sprunggelenk: Steifigkeit heute Morgen",
            ),
        ),
    ];
    let missing: Vec<&str> = given
        .iter()
        .filter(|(_, v, _)| v.is_none())
        .map(|(flag, _, _)| *flag)
        .collect();
    if !missing.is_empty() && !interactive {
        return Err(CliError::usage(tf(
            format!(
                "missing {} (0–10 each); without a terminal to ask on, give all six scores",
                missing.join(", ")
            ),
            format!(
                "es fehlt {} (je 0–10); ohne Terminal zum Nachfragen gib alle sechs Werte an",
                missing.join(", ")
            ),
        )));
    }
    if let Some(at) = earlier_today(engine, zone, now) {
        let when = match zone.parse::<talus_core::time::Tz>() {
            Ok(tz) => at.with_timezone(&tz).format("%H:%M").to_string(),
            Err(_) => at.format("%H:%M").to_string(),
        };
        if !a.again {
            if !interactive {
                return Err(CliError::user(tf(
                    format!("you already checked in this morning at {when}; add --again to record another (the newest counts)"),
                    format!("du hast heute Morgen schon um {when} eingecheckt; mit --again speicherst du einen weiteren (der neueste zählt)"),
                )));
            }
            if !ask::yes_no(
                &tf(format!("You already checked in this morning at {when}. Record another one (the newest counts)?"), format!("Du hast heute Morgen schon um {when} eingecheckt. Noch einen Check-in speichern (der neueste zählt)?")),
                Some(false),
            )? {
                outln!("{}", t("Nothing recorded.", "Nichts gespeichert."));
                return Ok(());
            }
        }
    }
    let _ = locale;
    let mut scores = [0i32; 6];
    for (slot, (_, value, prompt)) in scores.iter_mut().zip(given) {
        *slot = match value {
            Some(v) => v,
            None => ask::score(prompt)?,
        };
    }
    let [pain_calf, pain_achilles, pain_ankle, stiffness_calf, stiffness_achilles, stiffness_ankle] =
        scores;
    let questions = engine.screening_questions(locale.into());
    let mut red_flags_yes = Vec::new();
    for id in &a.red_flags {
        if !questions.iter().any(|q| q.id == *id) {
            let hint = crate::fail::did_you_mean(id, questions.iter().map(|q| q.id.as_str()))
                .map(|m| tf(format!(" Did you mean {m}?"), format!(" Meintest du {m}?")))
                .unwrap_or_default();
            return Err(CliError::usage(tf(
                format!("--red-flag {id:?} is not a screening question.{hint}"),
                format!("--red-flag {id:?} ist keine Frage des Sicherheits-Checks.{hint}"),
            )));
        }
        red_flags_yes.push(id.clone());
    }
    // On a terminal the warning signs are asked each morning (J8): one question first, the
    // list only when something is new.
    // A blank answer is asked again and "not sure" opens the list too: nothing is assumed.
    if interactive
        && a.red_flags.is_empty()
        && ask::until(
            &format!(
                "{} {}",
                t("Anything new since your screening: swelling, numbness, night pain, a pop or a fall?", "Etwas neu seit dem Sicherheits-Check: Schwellung, Taubheit, Nachtschmerz, ein Knall oder ein Sturz?"),
                t("[y/n/?]", "[j/n/?]")
            ),
            ask::tri,
        )? != ask::Tri::No
    {
        let total = questions.len();
        for (i, q) in questions.iter().enumerate() {
            let answer = ask::until(
                &tf(
                    format!("({} of {total}) {} [y/n/?]", i + 1, q.text),
                    format!("({} von {total}) {} [j/n/?]", i + 1, q.text),
                ),
                ask::tri,
            )?;
            // "Not sure" is never taken as "no".
            if answer != ask::Tri::No {
                red_flags_yes.push(q.id.clone());
            }
        }
    }
    let m = engine.morning_checkin(
        CheckInInput {
            at_ms: now,
            zone: zone.into(),
            pain_calf,
            pain_achilles,
            pain_ankle,
            stiffness_calf,
            stiffness_achilles,
            stiffness_ankle,
            red_flags_yes,
            run_id: None,
        },
        now,
    )?;
    outln!(
        "{}: {}",
        t("Morning", "Morgen"),
        match m.status {
            talus_ffi::MorningStatus::Green => t("GREEN", "GRÜN"),
            talus_ffi::MorningStatus::Amber => t("AMBER", "GELB"),
            talus_ffi::MorningStatus::Red => t("RED", "ROT"),
        }
    );
    for r in m.reasons {
        outln!("  {}", r.message);
    }
    match engine.today(now, zone.into())?.variant {
        talus_ffi::PlanVariant::Locked => {
            outln!("{}", t("Drills are locked until a clinician has seen you; then `talus clear`.", "Übungen gesperrt, bis dich eine Ärztin oder ein Physio gesehen hat; dann `talus clear`."));
        }
        talus_ffi::PlanVariant::Paused => {
            outln!(
                "{} {}",
                t(
                    "Drills are still paused after the pain stop.",
                    "Die Übungen pausieren noch nach dem Schmerz-Stopp."
                ),
                crate::followup::pointer()
            );
        }
        _ => {}
    }
    Ok(())
}
