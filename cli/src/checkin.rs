//! `talus checkin`: the morning check-in. On a terminal every score not given as a flag is
//! asked; a script gives all six, since a missing score is never recorded as a made-up 0.
//! A second check-in the same morning is recorded only when the runner says so.

use chrono::{DateTime, TimeZone, Utc};
use talus_ffi::{wire_name, CheckInInput, Engine};

use crate::ask;
use crate::fail::CliError;
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
}

/// When today's check-in was already recorded (local midnight of `zone` until now).
fn earlier_today(engine: &Engine, zone: &str, now: i64) -> Option<DateTime<Utc>> {
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let now_utc = DateTime::<Utc>::from_timestamp_millis(now)?;
    let midnight = now_utc
        .with_timezone(&tz)
        .date_naive()
        .and_hms_opt(0, 0, 0)?;
    let start = tz
        .from_local_datetime(&midnight)
        .earliest()?
        .with_timezone(&Utc);
    let list = engine
        .store()
        .checkins_between(start, now_utc + chrono::Duration::minutes(1))
        .ok()?;
    list.last().map(|c| c.at)
}

pub fn run(engine: &Engine, zone: &str, locale: &str, a: CheckinArgs) -> Result<(), CliError> {
    let now = now_ms();
    let interactive = ask::interactive();
    let given = [
        ("--pain-calf", a.pain_calf, "Calf pain now"),
        ("--pain-achilles", a.pain_achilles, "Achilles pain now"),
        ("--pain-ankle", a.pain_ankle, "Ankle pain now"),
        (
            "--stiffness-calf",
            a.stiffness_calf,
            "Calf stiffness this morning",
        ),
        (
            "--stiffness-achilles",
            a.stiffness_achilles,
            "Achilles stiffness this morning",
        ),
        (
            "--stiffness-ankle",
            a.stiffness_ankle,
            "Ankle stiffness this morning",
        ),
    ];
    let missing: Vec<&str> = given
        .iter()
        .filter(|(_, v, _)| v.is_none())
        .map(|(flag, _, _)| *flag)
        .collect();
    if !missing.is_empty() && !interactive {
        return Err(CliError::usage(format!(
            "missing {} (0–10 each); without a terminal to ask on, give all six scores",
            missing.join(", ")
        )));
    }
    if let Some(at) = earlier_today(engine, zone, now) {
        let when = at
            .with_timezone(&zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC))
            .format("%H:%M");
        if !a.again {
            if !interactive {
                return Err(CliError::user(format!(
                    "you already checked in this morning at {when}; add --again to record another (the newest counts)"
                )));
            }
            if !ask::yes_no(
                &format!("You already checked in this morning at {when}. Record another one (the newest counts)?"),
                false,
            )? {
                outln!("Nothing recorded.");
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
            red_flags_yes: vec![],
            run_id: None,
        },
        now,
    )?;
    outln!("Morning: {}", wire_name(&m.status).to_uppercase());
    for r in m.reasons {
        outln!("  {}", r.message);
    }
    Ok(())
}
