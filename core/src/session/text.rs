//! Runner messages in the runner's language (English fallback).

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

/// The sentence for a runner decision code.
pub(super) fn decision(code: &str, locale: &str, regression: Option<&str>) -> String {
    let de = german(locale);
    match (code, de) {
        ("pain_free_limit_exceeded", false) => format!(
            "This drill must stay pain-free, and it hurt 3/10 or more. We stopped it{}.",
            regression.map_or(String::new(), |r| format!("; try the easier {r} next time"))
        ),
        ("pain_free_limit_exceeded", true) => format!(
            "Diese Übung muss schmerzfrei bleiben, der Schmerz lag bei 3/10 oder mehr. Wir haben sie beendet{}.",
            regression.map_or(String::new(), |r| format!("; beim nächsten Mal die leichtere Übung {r}"))
        ),
        ("monitored_limit_exceeded", false) => {
            "Pain above 5/10 is more than this drill should cause. We stopped it for today.".into()
        }
        ("monitored_limit_exceeded", true) => {
            "Schmerz über 5/10 ist mehr, als diese Übung auslösen sollte. Für heute beendet.".into()
        }
        ("severe_pain_referral", false) => {
            "Pain of 7/10 or more: we ended the session. Please have a physiotherapist or doctor look at it before training on.".into()
        }
        ("severe_pain_referral", true) => {
            "Schmerz von 7/10 oder mehr: Die Einheit ist beendet. Bitte vor dem Weitertrainieren ärztlich oder physiotherapeutisch abklären lassen.".into()
        }
        ("red_flag_referral", false) => {
            "What you reported needs a clinician's eyes. We ended the session; drills stay locked until you have been checked.".into()
        }
        ("red_flag_referral", true) => {
            "Das Gemeldete sollte ärztlich abgeklärt werden. Die Einheit ist beendet; die Übungen bleiben bis dahin gesperrt.".into()
        }
        ("long_gap_restart_set", false) => "You were away a while, so this set starts again.".into(),
        ("long_gap_restart_set", true) => "Du warst länger weg, deshalb beginnt dieser Satz neu.".into(),
        ("skipped_by_runner", false) => "Skipped.".into(),
        ("skipped_by_runner", true) => "Übersprungen.".into(),
        ("stopped_by_runner", false) => "Session ended early.".into(),
        ("stopped_by_runner", true) => "Einheit vorzeitig beendet.".into(),
        (other, _) => other.replace('_', " "),
    }
}

/// The cue spoken at a side switch.
pub(super) fn switch_side(locale: &str) -> String {
    if german(locale) {
        "Seitenwechsel.".into()
    } else {
        "Switch sides.".into()
    }
}
