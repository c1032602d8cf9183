//! Follow-up questions and safety sentences, in English and German (English fallback).

use crate::domain::Reason;
use crate::progression::{screening_questions, ScreeningQuestion};

/// The follow-up screening's own questions (a "yes" or "not sure" keeps the pause).
pub const FOLLOW_UP_QUESTION_IDS: &[&str] = &["pain_at_rest", "limping", "swollen_since"];

/// Red-flag questions asked again in the follow-up (a "yes" or "not sure" locks).
const FOLLOW_UP_RED_FLAGS: &[&str] = &[
    "cannot_walk_four_steps",
    "heel_pop",
    "cannot_tiptoe",
    "calf_swollen_hot",
];

/// The follow-up's own questions in order; their text is `follow_up.<id>` in
/// `text/sentences.rs` (ADR 0030).
const OWN: &[&str] = FOLLOW_UP_QUESTION_IDS;

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

/// The follow-up screening after a severe-pain stop, in `locale`: three questions of its
/// own (group `follow_up`), then four red-flag questions asked again.
pub fn follow_up_questions(locale: &str) -> Vec<ScreeningQuestion> {
    let de = german(locale);
    let mut out: Vec<ScreeningQuestion> = OWN
        .iter()
        .map(|id| {
            let (en, de_text) =
                crate::text::sentence(&format!("follow_up.{id}")).unwrap_or(("", ""));
            ScreeningQuestion {
                id: (*id).into(),
                group: "follow_up".into(),
                text: if de { de_text } else { en }.into(),
                urgent: false,
            }
        })
        .collect();
    out.extend(
        screening_questions(locale)
            .into_iter()
            .filter(|q| FOLLOW_UP_RED_FLAGS.contains(&q.id.as_str())),
    );
    out
}

/// A safety reason with its sentence (`text/sentences.rs`, `safety.<code>`; numbers
/// rounded to whole ones); an unknown code is given back with spaces for its underscores.
pub(super) fn reason(code: &str, numbers: &[(&str, f64)], locale: &str) -> Reason {
    let message = match crate::text::sentence(&format!("safety.{code}")) {
        Some((en, de)) => crate::text::fill(if german(locale) { de } else { en }, &|k| {
            number(numbers, k)
        }),
        None => code.replace('_', " "),
    };
    Reason::new(code, numbers, message)
}

/// The number `key` rounded to a whole one (empty when missing).
fn number(numbers: &[(&str, f64)], key: &str) -> String {
    numbers
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, v)| crate::decimal::fixed(*v, 0))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reason` as it was: a `format!` per sentence and language (the oracle).
    #[rustfmt::skip]
    fn reason_before(code: &str, numbers: &[(&str, f64)], locale: &str) -> Reason {
        let de = german(locale);
        let n = |k: &str| {
            numbers
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| crate::decimal::fixed(*v, 0))
                .unwrap_or_default()
        };
        let message = match (code, de) {
            ("safety_clear", false) => "No red flag is open.".to_string(),
            ("safety_clear", true) => "Kein Warnzeichen offen.".to_string(),
            ("red_flag_urgent", false) => "One of your answers needs urgent care. Please see a doctor today; the drills stay locked until a clinician has cleared you.".to_string(),
            ("red_flag_urgent", true) => "Eine deiner Antworten braucht dringend ärztliche Abklärung. Bitte geh heute zu einer Ärztin oder einem Arzt; die Übungen bleiben gesperrt, bis dich eine Fachperson freigibt.".to_string(),
            ("red_flag_referral", false) => format!("{} answer(s) need a clinician to look first. The drills stay locked until a clinician has cleared you.", n("answers")),
            ("red_flag_referral", true) => format!("{} Antwort(en) sollte eine Fachperson zuerst abklären. Die Übungen bleiben gesperrt, bis du freigegeben bist.", n("answers")),
            ("red_flag_not_sure", false) => format!("You were not sure about {} question(s). Not sure is not no: please have it checked; the drills stay locked until a clinician has cleared you.", n("answers")),
            ("red_flag_not_sure", true) => format!("Bei {} Frage(n) warst du unsicher. Unsicher heißt nicht nein: bitte lass es abklären; die Übungen bleiben gesperrt, bis du freigegeben bist.", n("answers")),
            ("paused_severe_pain", false) => format!("Pain of {}/10 ended your last session. Drills are paused until a short follow-up check says it is safe to go on.", n("pain")),
            ("paused_severe_pain", true) => format!("Schmerz von {}/10 hat deine letzte Einheit beendet. Die Übungen pausieren, bis ein kurzer Nachcheck sagt, dass es sicher weitergeht.", n("pain")),
            ("cleared_by_clinician", false) => "A clinician has cleared you; the drills are open again.".to_string(),
            ("cleared_by_clinician", true) => "Eine Fachperson hat dich freigegeben; die Übungen sind wieder offen.".to_string(),
            ("follow_up_passed", false) => "The follow-up check is clear: the drills are open again, starting gently.".to_string(),
            ("follow_up_passed", true) => "Der Nachcheck ist unauffällig: die Übungen sind wieder offen, sanft beginnend.".to_string(),
            ("follow_up_still_paused", false) => "Not settled yet: drills stay paused. Try the check again tomorrow, or see a clinician if it does not ease.".to_string(),
            ("follow_up_still_paused", true) => "Noch nicht abgeklungen: die Übungen pausieren weiter. Mach den Check morgen noch einmal, oder geh zu einer Fachperson, wenn es nicht besser wird.".to_string(),
            ("follow_up_red_flag", false) => "An answer in the follow-up needs a clinician: the drills are locked until a clinician has cleared you.".to_string(),
            ("follow_up_red_flag", true) => "Eine Antwort im Nachcheck braucht eine Fachperson: die Übungen sind gesperrt, bis du freigegeben bist.".to_string(),
            (_, _) => code.replace('_', " "),
        };
        Reason::new(code, numbers, message)
    }

    #[test]
    fn every_follow_up_question_has_its_text_in_both_languages() {
        for de in ["en", "de"] {
            let questions = follow_up_questions(de);
            assert_eq!(questions.len(), OWN.len() + FOLLOW_UP_RED_FLAGS.len());
            assert!(questions.iter().all(|q| q.text.ends_with('?')), "{de}");
        }
    }

    #[test]
    fn every_sentence_is_the_one_it_was() {
        let codes = [
            "safety_clear",
            "red_flag_urgent",
            "red_flag_referral",
            "red_flag_not_sure",
            "paused_severe_pain",
            "cleared_by_clinician",
            "follow_up_passed",
            "follow_up_still_paused",
            "follow_up_red_flag",
            "not_a_code",
            "",
            "safety_clear_",
        ];
        for value in [0.0, 1.0, 2.5, 3.5, -0.5, 9.99, 1e6] {
            for numbers in [
                vec![("answers", value), ("pain", value + 1.0)],
                vec![("pain", value)],
                vec![],
            ] {
                for code in codes {
                    for locale in ["en", "de", "de-CH", "de_AT", "fr", ""] {
                        assert_eq!(
                            reason(code, &numbers, locale),
                            reason_before(code, &numbers, locale),
                            "{code} {locale} {value}"
                        );
                    }
                }
            }
        }
    }
}
