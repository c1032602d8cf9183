//! Screening questions and decision sentences, in English and German (English fallback).
//! Questions paraphrase the Ottawa ankle rules (Stiell 1992), Achilles rupture signs (AAOS
//! 2010), clot warning signs (Wells 1997) and common bone-stress and nerve red flags.

use crate::text::Packed;

pub(super) struct Question {
    pub id: &'static str,
    pub group: &'static str,
    pub urgent: bool,
}

/// The screening questions in order; their text is `question.<id>` in `text/sentences.rs`
/// (ADR 0030).
#[rustfmt::skip]
pub(super) const QUESTIONS: &[Question] = &[
    Question { id: "cannot_walk_four_steps", group: "fracture", urgent: true },
    Question { id: "ankle_bone_tender", group: "fracture", urgent: true },
    Question { id: "fifth_metatarsal_tender", group: "fracture", urgent: true },
    Question { id: "navicular_tender", group: "fracture", urgent: true },
    Question { id: "heel_pop", group: "achilles_rupture", urgent: true },
    Question { id: "cannot_tiptoe", group: "achilles_rupture", urgent: true },
    Question { id: "tendon_gap", group: "achilles_rupture", urgent: true },
    Question { id: "calf_squeeze_no_movement", group: "achilles_rupture", urgent: true },
    Question { id: "calf_swollen_hot", group: "clot", urgent: true },
    Question { id: "clot_risk", group: "clot", urgent: false },
    Question { id: "chest_breathless", group: "clot", urgent: true },
    Question { id: "pinpoint_bone_pain", group: "bone_stress", urgent: false },
    Question { id: "pain_builds_or_night", group: "bone_stress", urgent: false },
    Question { id: "hop_hurts", group: "bone_stress", urgent: false },
    Question { id: "hot_joint_fever", group: "other", urgent: true },
    Question { id: "numb_or_weak_foot", group: "other", urgent: false },
    Question { id: "tense_calf", group: "other", urgent: true },
    Question { id: "cancer_weight_rest_pain", group: "other", urgent: false },
    Question { id: "diabetes_foot", group: "other", urgent: false },
    Question { id: "no_improvement", group: "other", urgent: false },
];

/// The English and German text of a screening question.
pub(super) fn question_text(id: &str) -> (&'static str, &'static str) {
    crate::text::sentence(&format!("question.{id}")).unwrap_or(("", ""))
}

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

pub(super) fn pick<'a>(locale: &str, en: &'a str, de: &'a str) -> &'a str {
    if german(locale) {
        de
    } else {
        en
    }
}

fn num(numbers: &[(&str, f64)], key: &str) -> String {
    numbers
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| {
            // A whole number is its digits (`fixed` to one decimal, less the ".0").
            if v.fract() == 0.0 {
                return crate::decimal::fixed(*v, 0);
            }
            crate::decimal::fixed(*v, 1)
                .trim_end_matches(".0")
                .to_string()
        })
        .unwrap_or_default()
}

/// The sentence for a decision code in `locale`, with its numbers filled in; an unknown
/// code is given back with spaces for its underscores.
pub(super) fn message(code: &str, locale: &str, numbers: &[(&str, f64)]) -> String {
    match template(code) {
        Some((en, de)) => fill(pick(locale, en, de), numbers),
        None => code.replace('_', " "),
    }
}

/// `template` with each `{key}` replaced by that number as [`num`] writes it. One writer
/// for every sentence instead of a `format!` per sentence and language (issue 21, size;
/// `tests::every_sentence_is_the_one_it_was` compares it with the former `format!`s).
fn fill(template: &str, numbers: &[(&str, f64)]) -> String {
    crate::text::fill(template, &|key| num(numbers, key))
}

/// The decision sentences, packed by `build.rs` from `templates.rs` (ADR 0030).
static TEMPLATES: Packed = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The English and German sentence of a decision code (`templates.rs`); `{key}` marks
/// where the number `key` goes.
fn template(code: &str) -> Option<(&'static str, &'static str)> {
    TEMPLATES.find(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `message` as it was: a `format!` per sentence and language (the oracle).
    fn message_before(code: &str, locale: &str, numbers: &[(&str, f64)]) -> String {
        let n = |k: &str| num(numbers, k);
        let de = german(locale);
        match code {
            "red_flag_referral" => pick(locale, "One of your answers needs a clinician's opinion. Drills are paused until you have been checked and cleared.", "Eine deiner Antworten sollte ärztlich abgeklärt werden. Die Übungen pausieren, bis du untersucht und freigegeben bist.").into(),
            "red_flag_urgent" => pick(locale, "One of your answers can be serious. Please get medical care today. Drills are paused until you are cleared.", "Eine deiner Antworten kann ernst sein. Bitte lass dich heute ärztlich untersuchen. Die Übungen pausieren bis zur Freigabe.").into(),
            "red_flag_answered" => pick(locale, "You answered yes to a safety question this morning.", "Du hast heute Morgen eine Sicherheitsfrage mit Ja beantwortet.").into(),
            "morning_pain_high" if de => format!("Heute Morgen {}/10 – über dem Grenzwert von {}/10. Nur schmerzfreie Mobilität heute.", n("score"), n("limit")),
            "morning_pain_high" => format!("This morning is {}/10, above the {}/10 limit. Pain-free mobility only today.", n("score"), n("limit")),
            "above_baseline" if de => format!("Heute Morgen {}/10, dein üblicher Wert ist {}/10. Stufen bleiben, Dosis leichter.", n("score"), n("baseline")),
            "above_baseline" => format!("This morning is {}/10 against your usual {}/10. Levels hold and today is lighter.", n("score"), n("baseline")),
            "no_baseline_score_high" if de => format!("Heute Morgen {}/10; ohne Vergleichswert gehen wir es leichter an.", n("score")),
            "no_baseline_score_high" => format!("This morning is {}/10; with no baseline yet, we go lighter.", n("score")),
            "settled" if de => format!("Heute Morgen {}/10, wie üblich ({}/10). Normales Programm.", n("score"), n("baseline")),
            "settled" => format!("This morning is {}/10, as usual ({}/10). Normal plan.", n("score"), n("baseline")),
            "baseline_unknown" if de => format!("Heute Morgen {}/10. Dein Vergleichswert entsteht in den ersten Tagen.", n("score")),
            "baseline_unknown" => format!("This morning is {}/10. Your baseline builds over the first few check-ins.", n("score")),
            "weekly_trend_rising" => pick(locale, "Morning scores have risen two weeks running: levels hold (no step up) until they level off. If they keep rising, have it checked.", "Die Morgenwerte steigen seit zwei Wochen: Stufen bleiben (kein Aufstieg), bis sie sich beruhigen. Steigen sie weiter, lass es abklären.").into(),
            "no_checkin_today" => pick(locale, "No check-in yet today: planned without this morning's answers. A quick check-in makes the plan safer.", "Heute noch kein Check-in: ohne die Antworten von heute Morgen geplant. Ein kurzer Check-in macht den Plan sicherer.").into(),
            "locked_by_red_flag" => pick(locale, "Drills are locked until a clinician clears you.", "Die Übungen sind gesperrt, bis dich eine Ärztin oder ein Arzt freigibt.").into(),
            "day_after_long_run" => pick(locale, "A long run in the last 36 hours: no heavy calf or foot loading today, and levels hold.", "Ein langer Lauf in den letzten 36 Stunden: heute keine schwere Waden- oder Fußbelastung, und die Stufen bleiben.").into(),
            "normal_dose" => pick(locale, "Your current level.", "Deine aktuelle Stufe.").into(),
            "lighter_dose" => pick(locale, "One set fewer today.", "Heute ein Satz weniger.").into(),
            "rest_day" => pick(locale, "Nothing suits today: rest, and check in again tomorrow.", "Heute passt nichts: Pause, und morgen wieder einchecken.").into(),
            "rom_no_real_change" if de => format!("Veränderung {} cm – kleiner als die Messungenauigkeit ({} cm): keine echte Veränderung.", n("change_cm"), n("mdc_cm")),
            "rom_no_real_change" => format!("A change of {} cm is within measurement error ({} cm): no real change.", n("change_cm"), n("mdc_cm")),
            "rom_improved" if de => format!("+{} cm: eine echte Verbesserung.", n("change_cm")),
            "rom_improved" => format!("+{} cm: a real improvement.", n("change_cm")),
            "rom_worse" if de => format!("{} cm: echt schlechter – bei anhaltender Verschlechterung abklären lassen.", n("change_cm")),
            "rom_worse" => format!("{} cm: really worse. If it keeps dropping, have it checked.", n("change_cm")),
            "rom_asymmetry" if de => format!("Seitenunterschied {} cm (über {} cm): die steifere Seite bekommt einen Extrasatz.", n("difference_cm"), n("limit_cm")),
            "rom_asymmetry" => format!("Sides differ by {} cm (over {} cm): the stiffer side gets an extra set.", n("difference_cm"), n("limit_cm")),
            // Level decisions. Sources: Silbernagel et al. 2007 (pain monitoring: ≤ 5/10 during
            // loading, settled by next morning, no rising weekly trend); Vicenzino et al. 2011
            // (mobilisations pain-free).
            "progress_ready" if de => format!("{} Einheiten in 7 Tagen, Schmerz höchstens {}/10 (Grenze {}/10), jeden Morgen danach wieder wie üblich: eine Stufe höher (Schmerz-Monitoring nach Silbernagel et al. 2007).", n("sessions"), n("max_pain"), n("limit")),
            "progress_ready" => format!("{} sessions in 7 days, pain at most {}/10 (limit {}/10), and every next morning back to usual: one level up (pain monitoring after Silbernagel et al. 2007).", n("sessions"), n("max_pain"), n("limit")),
            "hold_too_few_sessions" if de => format!("{} von {} Einheiten mit Schmerzangabe in den letzten 7 Tagen: Stufe bleibt.", n("sessions"), n("required")),
            "hold_too_few_sessions" => format!("{} of {} sessions with a pain answer in the last 7 days: level holds.", n("sessions"), n("required")),
            "hold_pain_above_policy" if de => format!("Schmerz bis {}/10 bei der Übung, erlaubt sind für den Aufstieg höchstens {}/10: Stufe bleibt.", n("max_pain"), n("limit")),
            "hold_pain_above_policy" => format!("Pain reached {}/10 during this drill; moving up needs {}/10 or less: level holds.", n("max_pain"), n("limit")),
            "hold_morning_not_settled" if de => format!("Nicht jeder Morgen danach war wieder wie üblich ({} fehlend, {} erhöht): Stufe bleibt, bis die Morgen ruhig sind (Silbernagel et al. 2007).", n("missing_mornings"), n("unsettled_mornings")),
            "hold_morning_not_settled" => format!("Not every next morning was back to usual ({} missing, {} raised): level holds until mornings settle (Silbernagel et al. 2007).", n("missing_mornings"), n("unsettled_mornings")),
            "hold_started_this_week" if de => format!("Diese Stufe hast du vor {} Tagen begonnen; höchstens ein Schritt alle {} Tage.", n("days_since_start"), n("min_days")),
            "hold_started_this_week" => format!("You started this level {} days ago; at most one step every {} days.", n("days_since_start"), n("min_days")),
            "hold_pain_rising" if de => format!("Der Schmerz stieg von {}/10 auf {}/10 – auch innerhalb der Grenze heißt das: Stufe bleibt, bis er stabil ist.", n("first_pain"), n("last_pain")),
            "hold_pain_rising" => format!("Pain rose from {}/10 to {}/10. Even within the limit, a rise means the level holds until pain is steady.", n("first_pain"), n("last_pain")),
            "hold_no_baseline" if de => format!("Dein üblicher Morgenwert steht noch nicht fest ({} von {} Morgen-Check-ins): Stufe bleibt, bis wir vergleichen können.", n("baseline_mornings"), n("required")),
            "hold_no_baseline" => format!("Your usual morning is not known yet ({} of {} morning check-ins): the level holds until there is something to compare with.", n("baseline_mornings"), n("required")),
            "hold_trend_rising" => pick(locale, "Morning scores are rising week on week: no level up until they level off (Silbernagel et al. 2007).", "Die Morgenwerte steigen von Woche zu Woche: kein Aufstieg, bis sie sich beruhigen (Silbernagel et al. 2007).").into(),
            "hold_changed_this_week" if de => format!("Die Stufe hat sich vor {} Tagen geändert; höchstens ein Schritt alle {} Tage.", n("days_since_change"), n("min_days")),
            "hold_changed_this_week" => format!("This level changed {} days ago; at most one step every {} days.", n("days_since_change"), n("min_days")),
            "hold_after_long_run" => pick(locale, "Recent long run: levels hold while the tissue recovers.", "Kürzlich ein langer Lauf: Stufen bleiben, während sich das Gewebe erholt.").into(),
            "hold_top_of_chain" => pick(locale, "Ready for more, and this is already the hardest level of this drill family.", "Bereit für mehr – und das ist schon die schwerste Stufe dieser Übungsreihe.").into(),
            "hold_bottom_of_chain" => pick(locale, "This needs an easier level, and this is already the easiest. If it keeps hurting, ask a clinician.", "Hier wäre eine leichtere Stufe dran, aber das ist schon die leichteste. Wenn es weiter schmerzt, lass es abklären.").into(),
            "screening_needed" => pick(locale, "Before the first drill, answer the safety questions.", "Vor der ersten Übung beantworte bitte die Sicherheitsfragen.").into(),
            "hold_paused_severe_pain" => pick(locale, "Drills are paused after severe pain until the follow-up check; levels wait.", "Die Übungen pausieren nach starkem Schmerz bis zum Nachcheck; die Stufen warten.").into(),
            "hold_locked_by_red_flag" => pick(locale, "Drills are locked until a clinician clears you; levels wait.", "Die Übungen sind bis zur ärztlichen Freigabe gesperrt; die Stufen warten.").into(),
            "hold_unknown_drill" => pick(locale, "This drill is no longer in the catalog; its history is kept but not evaluated.", "Diese Übung ist nicht mehr im Katalog; ihr Verlauf bleibt, wird aber nicht bewertet.").into(),
            "regress_stopped_set" if de => format!("Ein Satz wurde wegen Schmerz abgebrochen (Grenze {}/10): eine Stufe leichter.", n("limit")),
            "regress_stopped_set" => format!("A set was stopped for pain (limit {}/10): one level easier.", n("limit")),
            "regress_two_amber_mornings" => pick(locale, "Two mornings in a row above your usual: one level easier (Silbernagel et al. 2007).", "Zwei Morgen hintereinander über deinem üblichen Wert: eine Stufe leichter (Silbernagel et al. 2007).").into(),
            "regress_two_footed_shared" => pick(locale, "The other leg needed the two-footed version, so both legs do it for now.", "Das andere Bein brauchte die beidbeinige Variante, also machen sie vorerst beide Beine.").into(),
            other => other.replace('_', " "),
        }
    }

    const CODES: &[&str] = &[
        "red_flag_referral",
        "red_flag_urgent",
        "red_flag_answered",
        "morning_pain_high",
        "above_baseline",
        "no_baseline_score_high",
        "settled",
        "baseline_unknown",
        "weekly_trend_rising",
        "no_checkin_today",
        "locked_by_red_flag",
        "day_after_long_run",
        "normal_dose",
        "lighter_dose",
        "rest_day",
        "rom_no_real_change",
        "rom_improved",
        "rom_worse",
        "rom_asymmetry",
        "progress_ready",
        "hold_too_few_sessions",
        "hold_pain_above_policy",
        "hold_morning_not_settled",
        "hold_started_this_week",
        "hold_pain_rising",
        "hold_no_baseline",
        "hold_trend_rising",
        "hold_changed_this_week",
        "hold_after_long_run",
        "hold_top_of_chain",
        "hold_bottom_of_chain",
        "screening_needed",
        "hold_paused_severe_pain",
        "hold_locked_by_red_flag",
        "hold_unknown_drill",
        "regress_stopped_set",
        "regress_two_amber_mornings",
        "regress_two_footed_shared",
    ];
    const KEYS: &[&str] = &[
        "baseline",
        "baseline_mornings",
        "change_cm",
        "days_since_change",
        "days_since_start",
        "difference_cm",
        "first_pain",
        "last_pain",
        "limit",
        "limit_cm",
        "max_pain",
        "mdc_cm",
        "min_days",
        "missing_mornings",
        "required",
        "score",
        "sessions",
        "unsettled_mornings",
    ];

    #[test]
    fn every_sentence_is_the_one_it_was() {
        for (round, value) in [0.0, 3.0, 2.5, -1.25, 12.04, 0.96, 1e6]
            .into_iter()
            .enumerate()
        {
            // Every key with a value of its own, and (odd rounds) half the keys missing.
            let numbers: Vec<(&str, f64)> = KEYS
                .iter()
                .enumerate()
                .filter(|(i, _)| round % 2 == 0 || i % 2 == 0)
                .map(|(i, k)| (*k, value + i as f64))
                .collect();
            for code in CODES.iter().chain(&["not_a_code", "", "rom_worse_"]) {
                for locale in ["en", "de", "de-CH", "de_AT", "fr", ""] {
                    assert_eq!(
                        message(code, locale, &numbers),
                        message_before(code, locale, &numbers),
                        "{code} {locale} {value}"
                    );
                }
            }
        }
    }

    #[test]
    fn whole_numbers_are_written_as_to_one_decimal_less_the_zero() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -3.0,
            10.0,
            100.0,
            1e15,
            9_007_199_254_740_992.0,
            1e22,
            -1e300,
        ];
        values.extend((0..200).map(f64::from));
        for v in values {
            let before = crate::decimal::fixed(v, 1)
                .trim_end_matches(".0")
                .to_string();
            assert_eq!(num(&[("x", v)], "x"), before, "{v:?}");
        }
    }

    #[test]
    fn the_packed_sentences_are_templates_rs_exactly() {
        use super::super::templates::TEMPLATES as SOURCE;
        let packed: Vec<_> = TEMPLATES.rows().collect();
        assert_eq!(packed, crate::text::tests::in_key_order(SOURCE));
        for (code, en, de) in SOURCE {
            assert_eq!(template(code), Some((*en, *de)));
        }
        assert_eq!(template("not_a_code"), None);
    }

    #[test]
    fn every_question_has_its_text_in_both_languages() {
        for q in QUESTIONS {
            let (en, de) = question_text(q.id);
            assert!(en.ends_with('?') && de.ends_with('?'), "{}", q.id);
        }
        assert_eq!(question_text("nope"), ("", ""));
    }

    #[test]
    fn a_brace_without_its_end_is_written_as_it_is() {
        assert_eq!(fill("{a} and {b", &[("a", 2.0)]), "2 and {b");
        assert_eq!(fill("no numbers", &[]), "no numbers");
    }
}
