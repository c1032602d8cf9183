//! Questions asked on a terminal, one line each: scores, yes / no / not sure, times and
//! choices. A wrong answer is explained and asked again; the end of input is a refusal,
//! never a made-up answer.

use std::io::IsTerminal;

use crate::fail::CliError;
use crate::words::{t, tf};
use crate::{out, outln};

/// True when a person can answer questions (stdin and stdout are terminals).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Reads one trimmed line; the end of input is an error (nothing is assumed).
pub fn line(prompt: &str) -> Result<String, CliError> {
    out!("{prompt} ");
    let mut s = String::new();
    match std::io::stdin().read_line(&mut s) {
        Ok(0) => Err(CliError::user(t(
            "no answer (input ended); nothing was recorded",
            "keine Antwort (Eingabe beendet); nichts gespeichert",
        ))),
        Ok(_) => Ok(without_escapes(&s).trim().to_owned()),
        Err(e) => Err(CliError::user(tf(
            format!("cannot read your answer: {e}"),
            format!("deine Antwort lässt sich nicht lesen: {e}"),
        ))),
    }
}

/// The line without terminal escape sequences: arrow keys pressed at a prompt (which has
/// no line editing) arrive as `ESC [ D` and the like, and are not part of the answer.
fn without_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        // CSI (`ESC [` … final letter or `~`) or SS3 (`ESC O` letter); a lone ESC goes too.
        match chars.peek() {
            Some('[') => {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '~' {
                        break;
                    }
                }
            }
            Some('O') => {
                chars.next();
                chars.next();
            }
            _ => {}
        }
    }
    out
}

/// Asks until `parse` accepts the answer, showing why it did not.
pub fn until<T>(prompt: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<T, CliError> {
    loop {
        let answer = line(prompt)?;
        match parse(&answer) {
            Ok(v) => return Ok(v),
            Err(why) => outln!("  {why}"),
        }
    }
}

/// A score 0–10 (no default: an empty answer is asked again).
pub fn score(prompt: &str) -> Result<i32, CliError> {
    until(&format!("{prompt} (0–10)"), |s| {
        if s.is_empty() {
            Err(t(
                "type a number from 0 (none) to 10 (worst imaginable)",
                "Zahl von 0 (keiner) bis 10 (schlimmster vorstellbar) eingeben",
            )
            .into())
        } else {
            crate::parse::score(s)
        }
    })
}

/// A screening answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    NotSure,
}

/// Parses yes / no / not sure in English or German.
pub fn tri(s: &str) -> Result<Tri, String> {
    match s.trim().to_lowercase().as_str() {
        "y" | "yes" | "j" | "ja" => Ok(Tri::Yes),
        "n" | "no" | "nein" => Ok(Tri::No),
        "?" | "s" | "u" | "not sure" | "unsure" | "notsure" | "weiß nicht" | "unsicher" => {
            Ok(Tri::NotSure)
        }
        "" => Err(t(
            "no answer yet: type y (yes), n (no) or ? (not sure); nothing is assumed",
            "noch keine Antwort: j (ja), n (nein) oder ? (unsicher) eingeben; nichts wird angenommen",
        )
        .into()),
        _ => Err(t(
            "answer y (yes), n (no) or ? (not sure)",
            "antworte j (ja), n (nein) oder ? (unsicher)",
        )
        .into()),
    }
}

/// Yes or no. With a default, an empty answer takes it; without one (a safety question),
/// an empty answer is asked again: nothing is assumed.
pub fn yes_no(prompt: &str, default: Option<bool>) -> Result<bool, CliError> {
    let hint = match (default, crate::words::german()) {
        (Some(true), false) => "[Y/n]",
        (Some(false), false) => "[y/N]",
        (None, false) => "[y/n]",
        (Some(true), true) => "[J/n]",
        (Some(false), true) => "[j/N]",
        (None, true) => "[j/n]",
    };
    until(&format!("{prompt} {hint}"), |s| yes_no_answer(s, default))
}

/// One answer to [`yes_no`].
fn yes_no_answer(s: &str, default: Option<bool>) -> Result<bool, String> {
    match (s, default) {
        ("", Some(d)) => Ok(d),
        ("", None) => Err(t(
            "no answer yet: type y (yes) or n (no)",
            "noch keine Antwort: j (ja) oder n (nein) eingeben",
        )
        .into()),
        _ => match tri(s) {
            Ok(Tri::Yes) => Ok(true),
            Ok(Tri::No) => Ok(false),
            _ => Err(t("answer y (yes) or n (no)", "antworte j (ja) oder n (nein)").into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_answer_is_never_a_safety_answer() {
        assert!(tri("").is_err());
        assert!(tri("   ").is_err());
        assert_eq!(tri("?"), Ok(Tri::NotSure));
        assert_eq!(tri("Ja"), Ok(Tri::Yes));
        assert!(yes_no_answer("", None).is_err());
        assert_eq!(yes_no_answer("", Some(false)), Ok(false));
        assert_eq!(yes_no_answer("n", None), Ok(false));
        assert!(
            yes_no_answer("?", None).is_err(),
            "not sure is not a yes/no"
        );
    }

    #[test]
    fn arrow_keys_typed_at_a_prompt_are_not_part_of_the_answer() {
        assert_eq!(without_escapes("\u{1b}[Dleft\u{1b}[C"), "left");
        assert_eq!(without_escapes("\u{1b}OAn"), "n");
        assert_eq!(without_escapes("\u{1b}[3~7"), "7");
        assert_eq!(without_escapes("ja"), "ja");
    }
}
