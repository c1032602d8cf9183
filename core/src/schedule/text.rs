//! Reminder titles, bodies and reason sentences, in English and German (English fallback).
//! Kept short: a notification shows about two lines on a lock screen.

use super::reminders::ReminderKind;

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

fn num(numbers: &[(&str, f64)], key: &str) -> String {
    numbers
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| crate::decimal::fixed(*v, 0))
        .unwrap_or_default()
}

/// Title and body of a notification (`text/sentences.rs`, `notify.<kind>.title` and
/// `.body`).
pub(super) fn notification(
    kind: ReminderKind,
    locale: &str,
    numbers: &[(&str, f64)],
) -> (String, String) {
    let kind = match kind {
        ReminderKind::LongRunCheckIn => "long_run_check_in",
        ReminderKind::LongRunReask => "long_run_reask",
        ReminderKind::DailyDrills => "daily_drills",
        ReminderKind::RomRetest => "rom_retest",
    };
    let part = |part: &str| {
        let text = crate::text::sentence(&format!("notify.{kind}.{part}"))
            .map_or("", |(en, de)| pick(locale, en, de));
        crate::text::fill(text, &|k| num(numbers, k))
    };
    (part("title"), part("body"))
}

/// The sentence explaining why a reminder exists (`reminder.<code>`); an unknown code is
/// given back with spaces for its underscores.
pub(super) fn reason_message(code: &str, locale: &str, numbers: &[(&str, f64)]) -> String {
    let mut text = match crate::text::sentence(&format!("reminder.{code}")) {
        Some((en, de)) => crate::text::fill(pick(locale, en, de), &|k| num(numbers, k)),
        None => code.replace('_', " "),
    };
    let moved = numbers
        .iter()
        .any(|(k, v)| *k == "moved_out_of_quiet_hours" && *v > 0.0);
    if moved {
        if let Some((en, de)) = crate::text::sentence("reminder.moved") {
            text.push_str(pick(locale, en, de));
        }
    }
    text
}

/// A reason of the week forecast (`schedule::week`, `week.<code>`), in the runner's locale.
pub(super) fn week_reason(code: &str, locale: &str) -> crate::domain::Reason {
    let message = crate::text::sentence(&format!("week.{code}"))
        .map_or(code, |(en, de)| pick(locale, en, de));
    crate::domain::Reason::new(code, &[], message.into())
}

fn pick<'a>(locale: &str, en: &'a str, de: &'a str) -> &'a str {
    if german(locale) {
        de
    } else {
        en
    }
}

#[cfg(test)]
#[rustfmt::skip]
mod tests {
    use super::*;

    /// `notification` as it was (the oracle).
    fn notification_before(
        kind: ReminderKind,
        locale: &str,
        numbers: &[(&str, f64)],
    ) -> (String, String) {
        let n = |k: &str| num(numbers, k);
        let (title, body) = match (kind, german(locale)) {
            (ReminderKind::LongRunCheckIn, false) => (
                "How are your legs?".to_string(),
                format!(
                    "After your {}-minute run: rate calf, Achilles and ankle. Today's drills adapt to it.",
                    n("run_minutes")
                ),
            ),
            (ReminderKind::LongRunCheckIn, true) => (
                "Wie geht es deinen Beinen?".to_string(),
                format!(
                    "Nach deinem {}-Minuten-Lauf: Wade, Achillessehne und Knöchel bewerten. Die Übungen passen sich an.",
                    n("run_minutes")
                ),
            ),
            (ReminderKind::LongRunReask, false) => (
                "Quick follow-up".to_string(),
                "Two days after your long run: has calf, Achilles and ankle settled?".to_string(),
            ),
            (ReminderKind::LongRunReask, true) => (
                "Kurze Nachfrage".to_string(),
                "Zwei Tage nach deinem langen Lauf: Haben sich Wade, Achillessehne und Knöchel beruhigt?"
                    .to_string(),
            ),
            (ReminderKind::DailyDrills, false) => (
                "Ankle drills".to_string(),
                "Your drills for today are ready: a few pain-free minutes.".to_string(),
            ),
            (ReminderKind::DailyDrills, true) => (
                "Knöchelübungen".to_string(),
                "Deine Übungen für heute sind bereit: ein paar schmerzfreie Minuten.".to_string(),
            ),
            (ReminderKind::RomRetest, false) => (
                "Knee-to-wall retest".to_string(),
                format!(
                    "{} days since your last measurement: measure both sides again, at about the same time of day.",
                    n("days_since_last")
                ),
            ),
            (ReminderKind::RomRetest, true) => (
                "Knie-zur-Wand-Test".to_string(),
                format!(
                    "{} Tage seit der letzten Messung: miss beide Seiten erneut, etwa zur gleichen Tageszeit.",
                    n("days_since_last")
                ),
            ),
        };
        (title, body)
    }

    /// `reason_message` as it was (the oracle).
    fn reason_message_before(code: &str, locale: &str, numbers: &[(&str, f64)]) -> String {
        let n = |k: &str| num(numbers, k);
        let moved = numbers
            .iter()
            .any(|(k, v)| *k == "moved_out_of_quiet_hours" && *v > 0.0);
        let de = german(locale);
        let mut text = match (code, de) {
            ("long_run_checkin", false) => format!(
                "A long run ended {} h earlier; tissue reacts 12–48 h later, so we ask the next morning.",
                n("hours_after_run")
            ),
            ("long_run_checkin", true) => format!(
                "Ein langer Lauf endete {} h vorher; Gewebe reagiert nach 12–48 h, daher fragen wir am nächsten Morgen.",
                n("hours_after_run")
            ),
            ("long_run_checkin_late", false) => format!(
                "A long run that ended {} h earlier only just arrived; its check-in comes now rather than never.",
                n("hours_after_run")
            ),
            ("long_run_checkin_late", true) => format!(
                "Ein langer Lauf, der vor {} h endete, kam erst jetzt an; die Abfrage dazu kommt jetzt statt gar nicht.",
                n("hours_after_run")
            ),
            ("reask_after_amber", false) | ("reask_after_red", false) => format!(
                "Your first answer after the run was not all clear; one more check {} h after it.",
                n("hours_after_run")
            ),
            ("reask_after_amber", true) | ("reask_after_red", true) => format!(
                "Deine erste Antwort nach dem Lauf war nicht ganz unauffällig; eine weitere Abfrage {} h danach.",
                n("hours_after_run")
            ),
            ("daily_drills", false) => "Your daily drill time; no finished session yet for that day.".to_string(),
            ("daily_drills", true) => "Deine tägliche Übungszeit; für diesen Tag gibt es noch keine abgeschlossene Einheit.".to_string(),
            ("rom_retest_due", false) => "Knee-to-wall is rechecked weekly, at the same time of day.".to_string(),
            ("rom_retest_due", true) => "Der Knie-zur-Wand-Test wird wöchentlich wiederholt, zur gleichen Tageszeit.".to_string(),
            (other, _) => other.replace('_', " "),
        };
        if moved {
            text.push_str(if de {
                " Wegen der Ruhezeit verschoben."
            } else {
                " Moved to the end of your quiet hours."
            });
        }
        text
    }

    /// `week_reason` as it was (the oracle).
    fn week_reason_before(code: &str, locale: &str) -> crate::domain::Reason {
        let message = match (code, german(locale)) {
            ("morning_decides", false) => "Planned ahead: that morning's check-in can still make the day lighter.",
            ("morning_decides", true) => "Vorausgeplant: Der Check-in an dem Morgen kann den Tag noch leichter machen.",
            ("long_run_checkin_due", false) => "A check-in after your long run is due that morning; the day follows your answer.",
            ("long_run_checkin_due", true) => "An dem Morgen ist ein Check-in nach deinem langen Lauf fällig; der Tag richtet sich nach deiner Antwort.",
            ("retest_due", false) => "Knee-to-wall retest day: measure both sides at your usual time.",
            ("retest_due", true) => "Tag für den Knie-zur-Wand-Test: beide Seiten zur gewohnten Zeit messen.",
            (other, _) => other,
        };
        crate::domain::Reason::new(code, &[], message.into())
    }

    const LOCALES: [&str; 6] = ["en", "de", "de-CH", "de_AT", "fr", ""];

    #[test]
    fn every_notification_is_the_one_it_was() {
        let kinds = [ReminderKind::LongRunCheckIn, ReminderKind::LongRunReask, ReminderKind::DailyDrills, ReminderKind::RomRetest];
        for value in [0.0, 1.0, 2.5, 95.0, -0.5, 1e6] {
            for numbers in [vec![("run_minutes", value), ("days_since_last", value + 1.0)], vec![]] {
                for kind in kinds {
                    for locale in LOCALES {
                        assert_eq!(notification(kind, locale, &numbers), notification_before(kind, locale, &numbers), "{kind:?} {locale} {value}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_reason_is_the_one_it_was() {
        let codes = ["long_run_checkin", "long_run_checkin_late", "reask_after_amber", "reask_after_red", "daily_drills", "rom_retest_due", "not_a_code", "", "daily_drills_"];
        for value in [0.0, 1.0, 2.5, 13.5, -0.5, 1e6] {
            for moved in [None, Some(0.0), Some(1.0), Some(-1.0)] {
                let mut numbers = vec![("hours_after_run", value)];
                numbers.extend(moved.map(|m| ("moved_out_of_quiet_hours", m)));
                for code in codes {
                    for locale in LOCALES {
                        assert_eq!(reason_message(code, locale, &numbers), reason_message_before(code, locale, &numbers), "{code} {locale} {value} {moved:?}");
                    }
                }
            }
        }
        for code in ["morning_decides", "long_run_checkin_due", "retest_due", "not_a_code", ""] {
            for locale in LOCALES {
                assert_eq!(week_reason(code, locale), week_reason_before(code, locale), "{code} {locale}");
            }
        }
    }
}
