//! The decision sentences (code, English, German): data only, read by `build.rs`, which
//! packs and deflates them for `progression::text` (ADR 0030), and by its tests. The
//! library itself never compiles this file. `{key}` marks where the number `key` goes.
//! Level decisions: Silbernagel et al. 2007 (pain monitoring: ≤ 5/10 during loading,
//! settled by next morning, no rising weekly trend); Vicenzino et al. 2011 (mobilisations
//! pain-free).

/// `(code, English, German)`.
#[rustfmt::skip]
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    ("red_flag_referral", "One of your answers needs a clinician's opinion. Drills are paused until you have been checked and cleared.", "Eine deiner Antworten sollte ärztlich abgeklärt werden. Die Übungen pausieren, bis du untersucht und freigegeben bist."),
    ("red_flag_urgent", "One of your answers can be serious. Please get medical care today. Drills are paused until you are cleared.", "Eine deiner Antworten kann ernst sein. Bitte lass dich heute ärztlich untersuchen. Die Übungen pausieren bis zur Freigabe."),
    ("red_flag_answered", "You answered yes to a safety question this morning.", "Du hast heute Morgen eine Sicherheitsfrage mit Ja beantwortet."),
    ("morning_pain_high", "This morning is {score}/10, above the {limit}/10 limit. Pain-free mobility only today.", "Heute Morgen {score}/10 – über dem Grenzwert von {limit}/10. Nur schmerzfreie Mobilität heute."),
    ("above_baseline", "This morning is {score}/10 against your usual {baseline}/10. Levels hold and today is lighter.", "Heute Morgen {score}/10, dein üblicher Wert ist {baseline}/10. Stufen bleiben, Dosis leichter."),
    ("no_baseline_score_high", "This morning is {score}/10; with no baseline yet, we go lighter.", "Heute Morgen {score}/10; ohne Vergleichswert gehen wir es leichter an."),
    ("settled", "This morning is {score}/10, as usual ({baseline}/10). Normal plan.", "Heute Morgen {score}/10, wie üblich ({baseline}/10). Normales Programm."),
    ("baseline_unknown", "This morning is {score}/10. Your baseline builds over the first few check-ins.", "Heute Morgen {score}/10. Dein Vergleichswert entsteht in den ersten Tagen."),
    ("weekly_trend_rising", "Morning scores have risen two weeks running: levels hold (no step up) until they level off. If they keep rising, have it checked.", "Die Morgenwerte steigen seit zwei Wochen: Stufen bleiben (kein Aufstieg), bis sie sich beruhigen. Steigen sie weiter, lass es abklären."),
    ("no_checkin_today", "No check-in yet today: planned without this morning's answers. A quick check-in makes the plan safer.", "Heute noch kein Check-in: ohne die Antworten von heute Morgen geplant. Ein kurzer Check-in macht den Plan sicherer."),
    ("locked_by_red_flag", "Drills are locked until a clinician clears you.", "Die Übungen sind gesperrt, bis dich eine Ärztin oder ein Arzt freigibt."),
    ("day_after_long_run", "A long run in the last 36 hours: no heavy calf or foot loading today, and levels hold.", "Ein langer Lauf in den letzten 36 Stunden: heute keine schwere Waden- oder Fußbelastung, und die Stufen bleiben."),
    ("normal_dose", "Your current level.", "Deine aktuelle Stufe."),
    ("lighter_dose", "One set fewer today.", "Heute ein Satz weniger."),
    ("rest_day", "Nothing suits today: rest, and check in again tomorrow.", "Heute passt nichts: Pause, und morgen wieder einchecken."),
    ("rom_no_real_change", "A change of {change_cm} cm is within measurement error ({mdc_cm} cm): no real change.", "Veränderung {change_cm} cm – kleiner als die Messungenauigkeit ({mdc_cm} cm): keine echte Veränderung."),
    ("rom_improved", "+{change_cm} cm: a real improvement.", "+{change_cm} cm: eine echte Verbesserung."),
    ("rom_worse", "{change_cm} cm: really worse. If it keeps dropping, have it checked.", "{change_cm} cm: echt schlechter – bei anhaltender Verschlechterung abklären lassen."),
    ("rom_asymmetry", "Sides differ by {difference_cm} cm (over {limit_cm} cm): the stiffer side gets an extra set.", "Seitenunterschied {difference_cm} cm (über {limit_cm} cm): die steifere Seite bekommt einen Extrasatz."),
    ("progress_ready", "{sessions} sessions in 7 days, pain at most {max_pain}/10 (limit {limit}/10), and every next morning back to usual: one level up (pain monitoring after Silbernagel et al. 2007).", "{sessions} Einheiten in 7 Tagen, Schmerz höchstens {max_pain}/10 (Grenze {limit}/10), jeden Morgen danach wieder wie üblich: eine Stufe höher (Schmerz-Monitoring nach Silbernagel et al. 2007)."),
    ("hold_too_few_sessions", "{sessions} of {required} sessions with a pain answer in the last 7 days: level holds.", "{sessions} von {required} Einheiten mit Schmerzangabe in den letzten 7 Tagen: Stufe bleibt."),
    ("hold_pain_above_policy", "Pain reached {max_pain}/10 during this drill; moving up needs {limit}/10 or less: level holds.", "Schmerz bis {max_pain}/10 bei der Übung, erlaubt sind für den Aufstieg höchstens {limit}/10: Stufe bleibt."),
    ("hold_morning_not_settled", "Not every next morning was back to usual ({missing_mornings} missing, {unsettled_mornings} raised): level holds until mornings settle (Silbernagel et al. 2007).", "Nicht jeder Morgen danach war wieder wie üblich ({missing_mornings} fehlend, {unsettled_mornings} erhöht): Stufe bleibt, bis die Morgen ruhig sind (Silbernagel et al. 2007)."),
    ("hold_started_this_week", "You started this level {days_since_start} days ago; at most one step every {min_days} days.", "Diese Stufe hast du vor {days_since_start} Tagen begonnen; höchstens ein Schritt alle {min_days} Tage."),
    ("hold_pain_rising", "Pain rose from {first_pain}/10 to {last_pain}/10. Even within the limit, a rise means the level holds until pain is steady.", "Der Schmerz stieg von {first_pain}/10 auf {last_pain}/10 – auch innerhalb der Grenze heißt das: Stufe bleibt, bis er stabil ist."),
    ("hold_no_baseline", "Your usual morning is not known yet ({baseline_mornings} of {required} morning check-ins): the level holds until there is something to compare with.", "Dein üblicher Morgenwert steht noch nicht fest ({baseline_mornings} von {required} Morgen-Check-ins): Stufe bleibt, bis wir vergleichen können."),
    ("hold_trend_rising", "Morning scores are rising week on week: no level up until they level off (Silbernagel et al. 2007).", "Die Morgenwerte steigen von Woche zu Woche: kein Aufstieg, bis sie sich beruhigen (Silbernagel et al. 2007)."),
    ("hold_changed_this_week", "This level changed {days_since_change} days ago; at most one step every {min_days} days.", "Die Stufe hat sich vor {days_since_change} Tagen geändert; höchstens ein Schritt alle {min_days} Tage."),
    ("hold_after_long_run", "Recent long run: levels hold while the tissue recovers.", "Kürzlich ein langer Lauf: Stufen bleiben, während sich das Gewebe erholt."),
    ("hold_top_of_chain", "Ready for more, and this is already the hardest level of this drill family.", "Bereit für mehr – und das ist schon die schwerste Stufe dieser Übungsreihe."),
    ("hold_bottom_of_chain", "This needs an easier level, and this is already the easiest. If it keeps hurting, ask a clinician.", "Hier wäre eine leichtere Stufe dran, aber das ist schon die leichteste. Wenn es weiter schmerzt, lass es abklären."),
    ("screening_needed", "Before the first drill, answer the safety questions.", "Vor der ersten Übung beantworte bitte die Sicherheitsfragen."),
    ("hold_paused_severe_pain", "Drills are paused after severe pain until the follow-up check; levels wait.", "Die Übungen pausieren nach starkem Schmerz bis zum Nachcheck; die Stufen warten."),
    ("hold_locked_by_red_flag", "Drills are locked until a clinician clears you; levels wait.", "Die Übungen sind bis zur ärztlichen Freigabe gesperrt; die Stufen warten."),
    ("hold_unknown_drill", "This drill is no longer in the catalog; its history is kept but not evaluated.", "Diese Übung ist nicht mehr im Katalog; ihr Verlauf bleibt, wird aber nicht bewertet."),
    ("regress_stopped_set", "A set was stopped for pain (limit {limit}/10): one level easier.", "Ein Satz wurde wegen Schmerz abgebrochen (Grenze {limit}/10): eine Stufe leichter."),
    ("regress_two_amber_mornings", "Two mornings in a row above your usual: one level easier (Silbernagel et al. 2007).", "Zwei Morgen hintereinander über deinem üblichen Wert: eine Stufe leichter (Silbernagel et al. 2007)."),
    ("regress_two_footed_shared", "The other leg needed the two-footed version, so both legs do it for now.", "Das andere Bein brauchte die beidbeinige Variante, also machen sie vorerst beide Beine."),
];
