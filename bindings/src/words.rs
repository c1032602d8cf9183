//! Words a shell shows that no record carries: buttons, the pain scale, check-in regions,
//! side names and error messages for people, from the core's text table
//! (`talus_core::text`) in the runner's locale. Enum values have their own `label(locale)`
//! (`Step.label`, `PlanVariant.label`…); records carry their localized sentences already.

use talus_core::text;

use crate::error::TalusError;
use crate::records::Side;

fn word(key: &str, locale: &str) -> String {
    text::get(key, locale).unwrap_or(key).to_owned()
}

/// One score of the 0–10 pain scale with its words.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct PainAnchor {
    /// 0 (none) to 10 (worst imaginable).
    pub score: i32,
    /// What the score means, localized.
    pub words: String,
}

/// The fixed words of the shells' screens in one locale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ScreenWords {
    /// The locale the words are in (`en` or `de`).
    pub locale: String,
    /// Start the session.
    pub start: String,
    /// Pause.
    pub pause: String,
    /// Resume.
    pub resume: String,
    /// A rep is done.
    pub rep_done: String,
    /// Skip this step (intro, rest).
    pub skip_step: String,
    /// Skip to the next drill.
    pub skip_drill: String,
    /// Switch legs now.
    pub switch_side: String,
    /// Quit the session (asks to confirm).
    pub stop: String,
    /// Confirm quitting.
    pub confirm_stop: String,
    /// Do not quit.
    pub keep_going: String,
    /// The pain question's separate answer for a stretch sensation (send
    /// `SessionEvent::StretchReported`).
    pub just_stretch: String,
    /// Delete an entry.
    pub delete: String,
    /// Save a correction.
    pub save: String,
    /// The pain scale, 0 to 10, with words at every score.
    pub pain_scale: Vec<PainAnchor>,
    /// Check-in heading for pain.
    pub pain: String,
    /// Check-in heading for stiffness.
    pub stiffness: String,
    /// Check-in region: calf.
    pub calf: String,
    /// Check-in region: Achilles.
    pub achilles: String,
    /// Check-in region: ankle.
    pub ankle: String,
    /// Both feet (a two-footed drill).
    pub both_feet: String,
}

/// The fixed words of the shells' screens in `locale` (`en`, `de`; English otherwise).
/// Pure: touches no disk.
#[uniffi::export]
pub fn screen_words(locale: String) -> ScreenWords {
    let w = |key: &str| word(key, &locale);
    ScreenWords {
        start: w("button.start"),
        pause: w("button.pause"),
        resume: w("button.resume"),
        rep_done: w("button.rep_done"),
        skip_step: w("button.skip_step"),
        skip_drill: w("button.skip_drill"),
        switch_side: w("button.switch_side"),
        stop: w("button.stop"),
        confirm_stop: w("button.confirm_stop"),
        keep_going: w("button.keep_going"),
        just_stretch: w("button.just_stretch"),
        delete: w("button.delete"),
        save: w("button.save"),
        pain_scale: (0..=10)
            .map(|score| PainAnchor {
                score,
                words: w(&format!("pain.{score}")),
            })
            .collect(),
        pain: w("checkin.pain"),
        stiffness: w("checkin.stiffness"),
        calf: w("region.calf"),
        achilles: w("region.achilles"),
        ankle: w("region.ankle"),
        both_feet: w("side.both"),
        locale: if locale.split(['-', '_']).next() == Some("de") {
            "de".into()
        } else {
            "en".into()
        },
    }
}

#[uniffi::export]
impl Side {
    /// The leg's name in `locale`.
    pub fn label(&self, locale: String) -> String {
        let name = match self {
            Side::Left => "left",
            Side::Right => "right",
        };
        crate::kinds::label("side", name, &locale)
    }
}

#[uniffi::export]
impl TalusError {
    /// What to tell the runner about this error, in `locale`: one calm sentence, never the
    /// technical `detail`. Most causes share their code's sentence; the few where that would
    /// mislead (a rest day, an open session, a paused session that cannot be restored, a full
    /// disk…) have their own.
    pub fn user_message(&self, locale: String) -> String {
        text::get(&format!("cause.{}", self.cause_code()), &locale)
            .map(str::to_owned)
            .unwrap_or_else(|| word(&format!("error.{}", self.code()), &locale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::kinds::*;

    fn has_german<T: serde::Serialize>(group: &str, values: &[T]) -> Vec<String> {
        values
            .iter()
            .map(|v| format!("{group}.{}", wire_name(v)))
            .filter(|k| text::get(k, "de").is_none())
            .collect()
    }

    #[test]
    fn every_enum_value_has_a_german_label() {
        let mut missing = Vec::new();
        missing.extend(has_german("step", Step::ALL));
        missing.extend(has_german("variant", PlanVariant::ALL));
        missing.extend(has_german("change", LevelChange::ALL));
        missing.extend(has_german("status", SessionStatus::ALL));
        missing.extend(has_german("morning", MorningStatus::ALL));
        missing.extend(has_german("kind", DrillKind::ALL));
        missing.extend(has_german("pain_policy", PainPolicy::ALL));
        missing.extend(has_german("segment", SegmentKind::ALL));
        missing.extend(has_german("target", Target::ALL));
        missing.extend(has_german("equipment", Equipment::ALL));
        missing.extend(has_german("reminder", ReminderKind::ALL));
        missing.extend(has_german("run_outcome", RunOutcome::ALL));
        missing.extend(has_german("outcome", SessionOutcome::ALL));
        missing.extend(has_german("answer", ScreeningAnswer::ALL));
        missing.extend(has_german("safety", SafetyStatus::ALL));
        missing.extend(has_german("flag_source", FlagSource::ALL));
        missing.extend(has_german("side", &[Side::Left, Side::Right]));
        assert!(missing.is_empty(), "no German label for {missing:?}");
        assert_eq!(
            Step::PainCheck.label("de".into()),
            "Wie hat sich das angefühlt?"
        );
        assert_eq!(
            PlanVariant::MobilityOnly.label("en".into()),
            "Mobility only"
        );
    }

    #[test]
    fn every_error_code_and_shell_word_exists_in_german() {
        for kind in ErrorKind::ALL {
            let key = format!("error.{}", kind.code());
            assert!(text::get(&key, "de").is_some(), "{key}");
            assert!(text::get(&key, "en").is_some(), "{key}");
        }
        let de = screen_words("de".into());
        let en = screen_words("en".into());
        let json = |t: &ScreenWords| serde_json::to_value(t).unwrap().to_string();
        // A missing key would come back as the key itself (`button.…`, `pain.…`).
        for t in [&de, &en] {
            let text = json(t);
            for group in ["button.", "pain.", "region.", "checkin.", "side."] {
                assert!(!text.contains(group), "{text}");
            }
        }
        assert_eq!(de.pain_scale.len(), 11);
        assert_ne!(de.start, en.start);
        let e = TalusError::new(ErrorKind::Locked, "drills are locked");
        assert!(e.user_message("de".into()).contains("gesperrt"));
    }

    #[test]
    fn a_cause_with_its_own_sentence_uses_it_and_every_other_its_kinds() {
        use crate::error::ErrorCause;
        let mut own = Vec::new();
        for cause in ErrorCause::ALL {
            let e = TalusError::of(*cause, "detail");
            let kind_sentence = word(&format!("error.{}", e.code()), "en");
            let (en, de) = (e.user_message("en".into()), e.user_message("de-AT".into()));
            assert_ne!(en, de, "{}", cause.code());
            assert!(
                !en.starts_with("cause.") && !en.starts_with("error."),
                "{en}"
            );
            assert!(!en.contains("detail") && !de.contains("detail"));
            match text::get(&format!("cause.{}", cause.code()), "en") {
                Some(sentence) => {
                    assert_eq!(en, sentence);
                    assert_ne!(en, kind_sentence, "{}: same as its kind's", cause.code());
                    own.push(cause.code());
                }
                None => assert_eq!(en, kind_sentence),
            }
        }
        // Every `cause.` key names a real cause (a typo would never be shown).
        for key in text::keys().filter(|k| k.starts_with("cause.")) {
            assert!(own.contains(&&key["cause.".len()..]), "{key} is no cause");
        }
        let snapshot = TalusError::of(ErrorCause::BadSnapshot, "x");
        assert!(snapshot
            .user_message("en".into())
            .contains("paused session"));
        assert!(snapshot
            .user_message("de".into())
            .contains("pausierte Einheit"));
        let damaged = TalusError::of(ErrorCause::DamagedFile, "x");
        assert!(damaged.user_message("en".into()).contains("damaged"));
    }
}
