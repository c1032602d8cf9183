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

const OWN: &[(&str, &str, &str)] = &[
    (
        "pain_at_rest",
        "Sitting or standing still, is the pain still above 3 out of 10?",
        "Ist der Schmerz im Sitzen oder ruhigen Stehen noch über 3 von 10?",
    ),
    (
        "limping",
        "Are you limping, or is walking at a normal pace hard?",
        "Hinkst du, oder fällt dir normales Gehen schwer?",
    ),
    (
        "swollen_since",
        "Has the ankle, heel or calf swollen or bruised since the session?",
        "Ist Knöchel, Ferse oder Wade seit der Einheit geschwollen oder verfärbt?",
    ),
];

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

/// The follow-up screening after a severe-pain stop, in `locale`: three questions of its
/// own (group `follow_up`), then four red-flag questions asked again.
pub fn follow_up_questions(locale: &str) -> Vec<ScreeningQuestion> {
    let de = german(locale);
    let mut out: Vec<ScreeningQuestion> = OWN
        .iter()
        .map(|(id, en, de_text)| ScreeningQuestion {
            id: (*id).into(),
            group: "follow_up".into(),
            text: if de { *de_text } else { *en }.into(),
            urgent: false,
        })
        .collect();
    out.extend(
        screening_questions(locale)
            .into_iter()
            .filter(|q| FOLLOW_UP_RED_FLAGS.contains(&q.id.as_str())),
    );
    out
}

/// A safety reason with its sentence.
pub(super) fn reason(code: &str, numbers: &[(&str, f64)], locale: &str) -> Reason {
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
