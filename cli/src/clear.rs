//! `talus clear`: the way out of a safety lock. The runner confirms a clinician has seen and
//! cleared them — who, and on which day; on a terminal it is asked, scripts say
//! `--confirmed --by <who> [--seen-on YYYY-MM-DD]`. The core decides what the confirmation
//! clears (every red flag this device knows of); this only asks.

use talus_ffi::Engine;

use crate::ask;
use crate::fail::CliError;
use crate::words::t;
use crate::{now_ms, outln};

/// Flags for scripts; on a terminal the confirmation is asked.
#[derive(clap::Args)]
pub struct ClearArgs {
    /// Confirm that a clinician has seen you and cleared you to train (for scripts).
    #[arg(long)]
    confirmed: bool,
    /// Who cleared you (name or role, e.g. "Dr Weber" or "club physio").
    #[arg(long)]
    by: Option<String>,
    /// The day the clinician saw you, YYYY-MM-DD (default: today).
    #[arg(long)]
    seen_on: Option<String>,
}

pub fn run(engine: &Engine, zone: &str, a: ClearArgs) -> Result<(), CliError> {
    let plan = engine.today(now_ms(), zone.into())?;
    if !matches!(
        plan.variant,
        talus_ffi::PlanVariant::Locked | talus_ffi::PlanVariant::Paused
    ) {
        outln!(
            "{}",
            t(
                "Nothing to clear: drills are not locked.",
                "Nichts freizugeben: die Übungen sind nicht gesperrt."
            )
        );
        return Ok(());
    }
    for r in &plan.reasons {
        outln!("  · {}", r.message);
    }
    if plan.variant == talus_ffi::PlanVariant::Paused {
        outln!(
            "  {}",
            t(
                "A pause after pain also ends with the follow-up check: `talus follow-up`.",
                "Eine Pause nach Schmerz endet auch mit dem Nachcheck: `talus follow-up`."
            )
        );
    }
    let confirmed = if a.confirmed {
        true
    } else if ask::interactive() {
        ask::yes_no(
            t(
                "Has a clinician seen you and cleared you to train?",
                "Hat dich eine Ärztin oder ein Physio gesehen und fürs Training freigegeben?",
            ),
            None,
        )?
    } else {
        return Err(CliError::usage(
            "confirming a clinician's clearance is asked on a terminal; scripts add --confirmed",
        ));
    };
    if !confirmed {
        outln!(
            "{}",
            t(
                "Then drills stay locked. Please have it checked first.",
                "Dann bleiben die Übungen gesperrt. Bitte lass es zuerst abklären."
            )
        );
        return Ok(());
    }
    let by = match a.by {
        Some(b) => b,
        None if ask::interactive() => ask::until(
            t(
                "Who cleared you (name or role)?",
                "Wer hat dich freigegeben (Name oder Funktion)?",
            ),
            |s| match s.chars().count() {
                0 => Err(t(
                    "a name or a role, e.g. club physio",
                    "ein Name oder eine Funktion, z. B. Vereinsphysio",
                )
                .into()),
                1..=100 => Ok(s.to_owned()),
                _ => Err(t("at most 100 characters", "höchstens 100 Zeichen").into()),
            },
        )?,
        None => {
            return Err(CliError::usage(t(
                "scripts name the clinician with --by",
                "Skripte nennen die Ärztin oder den Therapeuten mit --by",
            )))
        }
    };
    let seen_on = match a.seen_on {
        Some(d) => d,
        None => crate::local_today(zone),
    };
    let state = engine.confirm_clinician_clearance(by, seen_on, now_ms(), zone.into())?;
    if state.blocked {
        outln!(
            "{}",
            t(
                "Drills are still locked.",
                "Die Übungen sind noch gesperrt."
            )
        );
    } else {
        outln!("{}", t("Cleared: drills are open again. Start gently; `talus today` shows the plan.", "Freigegeben: die Übungen sind wieder offen. Fang sanft an; `talus today` zeigt den Plan."));
    }
    Ok(())
}
