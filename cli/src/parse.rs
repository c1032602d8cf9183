//! Parsers for flag values, each refusing bad input in a runner's words with the allowed
//! values (clap adds the flag's name): scores, sides, minutes, distances, clock times.

use talus_ffi::Side;

use crate::words::tf;

/// A pain or stiffness score, 0 (none) to 10 (worst imaginable).
pub fn score(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(n) if (0..=10).contains(&n) => Ok(n),
        Ok(n) => Err(tf(
            format!("{n} is not on the scale; scores go from 0 (none) to 10 (worst imaginable)"),
            format!("{n} liegt nicht auf der Skala; sie geht von 0 (keiner) bis 10 (schlimmster vorstellbar)"),
        )),
        Err(_) => Err(tf(
            format!("{s:?} is not a score; type a whole number from 0 (none) to 10 (worst imaginable)"),
            format!("{s:?} ist kein Wert; gib eine ganze Zahl von 0 (keiner) bis 10 (schlimmster vorstellbar) ein"),
        )),
    }
}

/// One scripted answer to a pain check (`session --auto`): a score 0–10, or `s` for "just a
/// stretch, no pain".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PainAnswer {
    Pain(i32),
    Stretch,
}

/// A `--auto` answer: `0`–`10`, or `s` (a stretch, no pain).
pub fn pain_answer(s: &str) -> Result<PainAnswer, String> {
    match s.trim() {
        "s" | "S" => Ok(PainAnswer::Stretch),
        n => score(n).map(PainAnswer::Pain).map_err(|e| {
            tf(
                format!("{e}, or s for just a stretch"),
                format!("{e}, oder s für nur Dehnung"),
            )
        }),
    }
}

/// Left or right leg: `left`, `right`, `l` or `r`, any case.
pub fn side(s: &str) -> Result<Side, String> {
    match s.trim().to_lowercase().as_str() {
        "left" | "l" | "links" => Ok(Side::Left),
        "right" | "r" | "rechts" => Ok(Side::Right),
        _ => Err(tf(
            format!("{s:?} is not a side; say left or right (l or r)"),
            format!("{s:?} ist keine Seite; sag left oder right (l oder r, links oder rechts)"),
        )),
    }
}

/// Whole minutes of a run, 1 to 1440.
pub fn minutes(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=1440).contains(&n) => Ok(n),
        _ => Err(tf(
            format!("{s:?} is not a duration; give whole minutes from 1 to 1440 (e.g. 45)"),
            format!("{s:?} ist keine Dauer; gib ganze Minuten von 1 bis 1440 an (z. B. 45)"),
        )),
    }
}

/// A distance in kilometres, 0 to 1000; a decimal comma is accepted.
pub fn km(s: &str) -> Result<f64, String> {
    match s.trim().replace(',', ".").parse::<f64>() {
        Ok(k) if k.is_finite() && (0.0..=1000.0).contains(&k) => Ok(k),
        _ => Err(tf(
            format!("{s:?} is not a distance; give kilometres from 0 to 1000 (e.g. 8.5)"),
            format!("{s:?} ist keine Strecke; gib Kilometer von 0 bis 1000 an (z. B. 8,5)"),
        )),
    }
}

/// A knee-to-wall distance in cm, 0 to 30; a decimal comma is accepted.
pub fn cm(s: &str) -> Result<f64, String> {
    match s.trim().replace(',', ".").parse::<f64>() {
        Ok(c) if c.is_finite() && (0.0..=30.0).contains(&c) => Ok(c),
        _ => Err(tf(
            format!("{s:?} is not a knee-to-wall distance; give the toe-to-wall distance in cm, 0 to 30 (e.g. 9.5)"),
            format!("{s:?} ist kein Knie-zur-Wand-Abstand; gib den Abstand Zehe–Wand in cm an, 0 bis 30 (z. B. 9,5)"),
        )),
    }
}

/// A number of days, 1 to 3650.
pub fn days(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=3650).contains(&n) => Ok(n),
        _ => Err(tf(
            format!("{s:?} is not a number of days; give a whole number from 1 to 3650"),
            format!("{s:?} ist keine Anzahl Tage; gib eine ganze Zahl von 1 bis 3650 an"),
        )),
    }
}

/// How many entries to show, 1 to 1000.
pub fn limit(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(tf(
            format!("{s:?} is not a count; give a whole number from 1 to 1000"),
            format!("{s:?} ist keine Anzahl; gib eine ganze Zahl von 1 bis 1000 an"),
        )),
    }
}

/// A local clock time `HH:MM` (24 h; `7:30` and `0730` too), as minutes after midnight.
pub fn clock(s: &str) -> Result<i32, String> {
    let t = s.trim();
    let (h, m) = match t.split_once([':', '.', 'h']) {
        Some((h, m)) => (h, m),
        None if t.len() == 4 => t.split_at(2),
        None => (t, "0"),
    };
    match (h.parse::<i32>(), m.parse::<i32>()) {
        (Ok(h), Ok(m)) if (0..24).contains(&h) && (0..60).contains(&m) => Ok(h * 60 + m),
        _ => Err(tf(
            format!("{s:?} is not a time of day; give 24-hour time like 07:30 or 21:00"),
            format!(
                "{s:?} ist keine Uhrzeit; gib sie im 24-Stunden-Format an, etwa 07:30 oder 21:00"
            ),
        )),
    }
}

/// A window of local clock times `HH:MM-HH:MM` (it may wrap past midnight: 22:00-07:00).
pub fn window(s: &str) -> Result<(i32, i32), String> {
    let Some((a, b)) = s.split_once('-') else {
        return Err(tf(
            format!("{s:?} is not a time window; give start-end like 06:00-10:00"),
            format!("{s:?} ist kein Zeitfenster; gib Anfang-Ende an, etwa 06:00-10:00"),
        ));
    };
    Ok((clock(a)?, clock(b)?))
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: i32) -> String {
    let m = minutes.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_in_runner_terms() {
        assert_eq!(score("7"), Ok(7));
        assert!(score("11").unwrap_err().contains("0 (none) to 10"));
        assert!(score("eleven").unwrap_err().contains("whole number"));
        assert_eq!(side("L"), Ok(Side::Left));
        assert_eq!(side("Right"), Ok(Side::Right));
        assert!(side("up").unwrap_err().contains("left or right"));
        assert_eq!(km("8,5"), Ok(8.5));
        assert!(minutes("0").is_err());
        assert!(minutes("abc").unwrap_err().contains("whole minutes"));
        assert!(cm("-3").is_err());
        assert_eq!(clock("7:30"), Ok(450));
        assert_eq!(clock("0730"), Ok(450));
        assert_eq!(clock("21"), Ok(1260));
        assert!(clock("25:00").is_err());
        assert_eq!(window("22:00-07:00"), Ok((1320, 420)));
        assert_eq!(hhmm(450), "07:30");
    }
}
