//! `talus delete session|run|rom|checkin <id>`: removes one entry from history; the delete syncs to
//! the other devices. Lists show each entry's short id (the last 8 characters of its id,
//! the random part), and any unique tail of the id is accepted. A terminal confirms first;
//! scripts say `--yes`.

use talus_ffi::{Engine, Side};

use crate::ask;
use crate::fail::CliError;
use crate::words::{komma, t, tf};
use crate::{now_ms, outln};

/// What kind of entry to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Entry {
    /// A session with its sets (`talus history`).
    Session,
    /// A run (`talus run list`).
    Run,
    /// A knee-to-wall result (`talus rom list`).
    Rom,
    /// A morning check-in (`talus checkins`).
    Checkin,
}

/// The short id shown in lists: the random tail of a UUIDv7 (its head is the time, shared
/// by entries made together).
pub fn short(id: &str) -> &str {
    id.get(id.len().saturating_sub(8)..).unwrap_or(id)
}

/// Every entry of `kind` as (id, description).
fn entries(engine: &Engine, kind: Entry) -> Result<Vec<(String, String)>, CliError> {
    let day = |ms: i64| {
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
            .map(|t| t.format("%d.%m.%Y").to_string())
            .unwrap_or_default()
    };
    Ok(match kind {
        Entry::Session => engine
            .recent_sessions(1000)?
            .into_iter()
            .map(|s| {
                let what = tf(
                    format!("session of {} ({} sets)", s.planned_for, s.sets.len()),
                    format!("Einheit vom {} ({} Sätze)", s.planned_for, s.sets.len()),
                );
                (s.id, what)
            })
            .collect(),
        Entry::Run => {
            let now = now_ms();
            engine
                .runs(now - 36_500 * 86_400_000, now + 86_400_000)?
                .into_iter()
                .map(|r| {
                    let what = tf(
                        format!(
                            "run of {} ({} min, {:.1} km)",
                            day(r.start_ms),
                            (r.end_ms - r.start_ms) / 60_000,
                            r.distance_m / 1000.0
                        ),
                        format!(
                            "Lauf vom {} ({} min, {} km)",
                            day(r.start_ms),
                            (r.end_ms - r.start_ms) / 60_000,
                            komma(r.distance_m / 1000.0)
                        ),
                    );
                    (r.id, what)
                })
                .collect()
        }
        Entry::Checkin => {
            let now = now_ms();
            engine
                .checkins(now - 36_500 * 86_400_000, now + 86_400_000)?
                .into_iter()
                .map(|c| {
                    let scores = format!(
                        "{}/{}/{} · {}/{}/{}",
                        c.pain_calf,
                        c.pain_achilles,
                        c.pain_ankle,
                        c.stiffness_calf,
                        c.stiffness_achilles,
                        c.stiffness_ankle
                    );
                    let what = tf(
                        format!("check-in of {} (pain calf/Achilles/ankle · stiffness: {scores})", day(c.at_ms)),
                        format!("Check-in vom {} (Schmerz Wade/Achilles/Sprunggelenk · Steifigkeit: {scores})", day(c.at_ms)),
                    );
                    (c.id, what)
                })
                .collect()
        }
        Entry::Rom => [Side::Left, Side::Right]
            .into_iter()
            .map(|side| engine.knee_to_wall_series(side))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .map(|p| {
                let side = if p.side == Side::Left {
                    t("left", "links")
                } else {
                    t("right", "rechts")
                };
                let what = tf(
                    format!("knee-to-wall {side} {:.1} cm on {}", p.cm, day(p.at_ms)),
                    format!(
                        "Knie zur Wand {side} {} cm am {}",
                        komma(p.cm),
                        day(p.at_ms)
                    ),
                );
                (p.id, what)
            })
            .collect(),
    })
}

/// `talus rom list` and `talus checkins`: every entry with its short id (check-ins newest
/// first, knee-to-wall results left then right, oldest first).
pub fn list(engine: &Engine, kind: Entry) -> Result<(), CliError> {
    let all = entries(engine, kind)?;
    if all.is_empty() {
        outln!("{}", t("Nothing yet.", "Noch nichts."));
    }
    for (id, what) in all {
        outln!("  {}  {what}", short(&id));
    }
    Ok(())
}

pub fn run(engine: &Engine, kind: Entry, id: &str, yes: bool) -> Result<(), CliError> {
    let typed = id.trim().to_lowercase();
    if typed.len() < 4 {
        return Err(CliError::usage(t(
            "give at least the 4 last characters of the id, as the list shows it",
            "gib mindestens die letzten 4 Zeichen der Kennung an, wie die Liste sie zeigt",
        )));
    }
    let all = entries(engine, kind)?;
    let found: Vec<&(String, String)> = all
        .iter()
        .filter(|(full, _)| full.ends_with(&typed) || *full == typed)
        .collect();
    let (full, what) = match found.as_slice() {
        [one] => (*one).clone(),
        [] => {
            let list = match kind {
                Entry::Session => "talus history",
                Entry::Run => "talus run list --days 3650",
                Entry::Rom => "talus rom list",
                Entry::Checkin => "talus checkins",
            };
            return Err(CliError::user(tf(
                format!("no entry with id {id:?}; `{list}` shows the ids"),
                format!("kein Eintrag mit der Kennung {id:?}; `{list}` zeigt die Kennungen"),
            )));
        }
        _ => {
            return Err(CliError::user(tf(
                format!(
                    "{id:?} matches {} entries; give more of the id",
                    found.len()
                ),
                format!(
                    "{id:?} passt auf {} Einträge; gib mehr von der Kennung an",
                    found.len()
                ),
            )))
        }
    };
    if !yes {
        if !ask::interactive() {
            return Err(CliError::usage(t(
                "deleting asks on a terminal; scripts add --yes",
                "Löschen fragt im Terminal nach; Skripte geben --yes an",
            )));
        }
        if !ask::yes_no(
            &tf(format!("Delete the {what}?"), format!("{what} löschen?")),
            Some(false),
        )? {
            outln!("{}", t("Nothing deleted.", "Nichts gelöscht."));
            return Ok(());
        }
    }
    match kind {
        Entry::Session => engine.delete_session(full, now_ms())?,
        Entry::Run => engine.delete_run(full, now_ms())?,
        Entry::Rom => engine.delete_knee_to_wall(full, now_ms())?,
        Entry::Checkin => engine.delete_checkin(full, now_ms())?,
    }
    outln!(
        "{}",
        tf(
            format!("Deleted the {what}; synced devices delete it too."),
            format!("{what} gelöscht; synchronisierte Geräte löschen es auch.")
        )
    );
    Ok(())
}
