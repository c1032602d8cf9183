//! `talus clear`: the way out of a safety lock. The runner confirms a clinician has seen and
//! cleared them; on a terminal it is asked, scripts say `--confirmed`. The core decides what
//! the confirmation clears; this only asks.

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
}

pub fn run(engine: &Engine, zone: &str, a: ClearArgs) -> Result<(), CliError> {
    let plan = engine.today(now_ms(), zone.into())?;
    if plan.variant != talus_ffi::PlanVariant::Locked {
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
    let confirmed = if a.confirmed {
        true
    } else if ask::interactive() {
        ask::yes_no(
            t(
                "Has a clinician seen you and cleared you to train?",
                "Hat dich eine Ärztin oder ein Physio gesehen und fürs Training freigegeben?",
            ),
            false,
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
    if engine.confirm_clinician_clearance(true, now_ms())? {
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
