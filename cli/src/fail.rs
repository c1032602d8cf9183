//! How the terminal coach fails and prints: its error type with documented exit codes,
//! runner-worded messages for the API's errors, did-you-mean suggestions, and output
//! macros that end quietly when the reader of a pipe goes away (`talus today | head -4`).

use std::fmt;

use crate::words::{t, tf};

/// What kind of failure ended a command; each has its own exit code (see `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A value was refused, something was not found, or the request conflicts with what
    /// is stored. Exit code 1.
    User,
    /// The command line itself is wrong (unknown command or flag, missing value). Exit 2.
    Usage,
    /// Drills are locked: a red-flag answer, or no safety screening yet. Exit 3.
    Locked,
    /// The profile cannot be opened or written (a file given as the folder, disk full,
    /// written by a newer version). Exit 4.
    Storage,
    /// A file is damaged (database, sync segment, backup). Exit 5.
    Damaged,
}

impl Kind {
    /// The process exit code of this kind of failure.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::User => 1,
            Kind::Usage => 2,
            Kind::Locked => 3,
            Kind::Storage => 4,
            Kind::Damaged => 5,
        }
    }
}

/// A failure to show the runner: one sentence (or two) and an exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub kind: Kind,
    pub message: String,
}

impl CliError {
    pub fn user(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::User,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::Usage,
            message: message.into(),
        }
    }

    pub fn storage(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::Storage,
            message: message.into(),
        }
    }

    pub fn locked(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::Locked,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::user(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        CliError::user(message)
    }
}

impl From<talus_ffi::TalusError> for CliError {
    fn from(e: talus_ffi::TalusError) -> Self {
        use talus_ffi::TalusError as E;
        // In German the core's words for the kind of error; its detail is English.
        let german = crate::words::german().then(|| e.user_message("de".into()));
        let kind_of_pause = match &e {
            E::Paused { .. } => Some(Pause::FollowUp),
            E::ScreeningNeeded { .. } => Some(Pause::Screening),
            _ => None,
        };
        let (kind, reason) = match e {
            E::InvalidInput { detail, .. }
            | E::NotFound { detail, .. }
            | E::Conflict { detail, .. } => (Kind::User, detail),
            E::Busy { .. } => (
                Kind::User,
                "another talus is writing this profile right now (a sync in another window?); \
                 try again in a moment"
                    .into(),
            ),
            E::Locked { detail, .. } => (Kind::Locked, detail),
            E::Paused { detail, .. } => (Kind::Locked, detail),
            E::ScreeningNeeded { detail, .. } => (Kind::Locked, detail),
            E::Storage { detail, .. } | E::IncompatibleVersion { detail, .. } => {
                (Kind::Storage, detail)
            }
            E::Corrupt { detail, .. } | E::Sync { detail, .. } => (Kind::Damaged, detail),
            E::Unexpected { detail, .. } => (
                Kind::Storage,
                format!("something went wrong inside Talus ({detail}); please report it"),
            ),
        };
        let mut message = german.unwrap_or_else(|| first_upper(&reason));
        // Where to go from here, for the states a command can fix.
        match kind_of_pause {
            Some(Pause::FollowUp) => {
                message = format!(
                    "{}. {}",
                    message.trim_end_matches('.'),
                    crate::followup::pointer()
                )
            }
            Some(Pause::Screening) => {
                message = format!(
                    "{}. {}",
                    message.trim_end_matches('.'),
                    crate::words::t(
                        "Answer the safety questions first: `talus screen`.",
                        "Beantworte zuerst den Sicherheits-Check: `talus screen`."
                    )
                )
            }
            None => {}
        }
        CliError { kind, message }
    }
}

/// A blocked state with a command that lifts it.
enum Pause {
    FollowUp,
    Screening,
}

fn first_upper(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The closest of `candidates` to `typed` when it is close enough to be a typo or a
/// different spelling (case, separators, a word of a longer name).
pub fn did_you_mean<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', ' ', '_'], "");
    let t = norm(typed);
    if t.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let n = norm(c);
        let score = if n == t {
            2.0
        } else if n.contains(&t) && t.len() >= 3 {
            1.5
        } else {
            strsim::jaro_winkler(&t, &n)
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.85).map(|(_, c)| c)
}

/// Checks an IANA zone name, suggesting the closest real one ("berlin" → Europe/Berlin).
pub fn check_zone(name: &str) -> Result<String, CliError> {
    if talus_core::time::parse_zone(name).is_ok() {
        return Ok(name.to_owned());
    }
    let names = talus_core::time::zone_names().iter().map(String::as_str);
    // A city alone ("berlin", "new york") matches the part after the last slash.
    let by_city = talus_core::time::zone_names()
        .iter()
        .map(String::as_str)
        .find(|z| {
            z.rsplit('/')
                .next()
                .is_some_and(|city| city.eq_ignore_ascii_case(&name.replace(' ', "_")))
        });
    let city = |z: &'static str| z.rsplit('/').next().unwrap_or(z);
    let by_city_typo = || {
        let typed = name.rsplit('/').next().unwrap_or(name);
        did_you_mean(
            typed,
            talus_core::time::zone_names().iter().map(|z| city(z)),
        )
        .and_then(|c| {
            talus_core::time::zone_names()
                .iter()
                .map(String::as_str)
                .find(|z| city(z) == c)
        })
    };
    let hint = by_city
        .or_else(by_city_typo)
        .or_else(|| did_you_mean(name, names))
        .map(|z| tf(format!(" Did you mean {z}?"), format!(" Meintest du {z}?")))
        .unwrap_or_else(|| {
            t(
                " Use a name like Europe/Berlin or America/New_York.",
                " Nimm einen Namen wie Europe/Berlin oder America/New_York.",
            )
            .into()
        });
    Err(CliError::user(tf(
        format!("--zone: {name:?} is not a time zone.{hint}"),
        format!("--zone: {name:?} ist keine Zeitzone.{hint}"),
    )))
}

/// Writes to stdout; a reader that went away (a closed pipe) ends the program quietly
/// with exit code 0 instead of a panic.
#[macro_export]
macro_rules! outln {
    () => { $crate::fail::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::fail::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like [`outln!`] without the newline.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::fail::write_out(format_args!($($arg)*)) };
}

/// A temporary folder to remove if output ends early (the demo's profile).
static CLEANUP: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);

/// Registers a temporary folder that a closed pipe must not leave behind.
pub fn remove_on_early_exit(dir: Option<std::path::PathBuf>) {
    *CLEANUP.lock().unwrap_or_else(|p| p.into_inner()) = dir;
}

/// Writes formatted text to stdout, flushing so prompts appear; see [`outln!`].
pub fn write_out(args: fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_fmt(args)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // The reader went away (`| head`): nothing more can be shown, and nothing is lost
        // by stopping here — every write to the profile is already durable.
        if let Some(dir) = CLEANUP.lock().ok().and_then(|mut d| d.take()) {
            let _ = std::fs::remove_dir_all(dir);
        }
        std::process::exit(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_ignore_nonsense() {
        let ids = ["banded_df_mob", "swing_subtalar", "calf_raise"];
        assert_eq!(did_you_mean("banded-df-mob", ids), Some("banded_df_mob"));
        assert_eq!(did_you_mean("bandeddfmbo", ids), Some("banded_df_mob"));
        assert_eq!(did_you_mean("subtalar", ids), Some("swing_subtalar"));
        assert_eq!(did_you_mean("moonwalk", ids), None);
        assert_eq!(did_you_mean("", ids), None);
    }

    #[test]
    fn zones_are_checked_with_a_hint() {
        assert_eq!(check_zone("Europe/Berlin").unwrap(), "Europe/Berlin");
        let e = check_zone("berlin").unwrap_err();
        assert!(e.message.contains("Did you mean Europe/Berlin?"), "{e}");
        let e = check_zone("berlim").unwrap_err();
        assert!(e.message.contains("Europe/Berlin"), "{e}");
        let e = check_zone("Europe/Berlim").unwrap_err();
        assert!(e.message.contains("Europe/Berlin"), "{e}");
        let e = check_zone("new york").unwrap_err();
        assert!(e.message.contains("America/New_York"), "{e}");
        let e = check_zone("xyzzy").unwrap_err();
        assert!(e.message.contains("like Europe/Berlin"), "{e}");
    }
}
