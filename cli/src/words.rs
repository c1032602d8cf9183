//! The terminal coach's own words in English and German. Drill text, reasons and referrals
//! come localized from the core; what only this shell says (prompts, labels, summaries) is
//! picked here by the profile's language, set at start (and by `setup`).

use std::sync::atomic::{AtomicBool, Ordering};

static GERMAN: AtomicBool = AtomicBool::new(false);

/// Sets the language from here on (`en` or `de`; anything else is English).
pub fn set_locale(locale: &str) {
    GERMAN.store(locale == "de", Ordering::Relaxed);
}

/// Whether German is shown.
pub fn german() -> bool {
    GERMAN.load(Ordering::Relaxed)
}

/// The English or the German text.
pub fn t<'a>(en: &'a str, de: &'a str) -> &'a str {
    if german() {
        de
    } else {
        en
    }
}

/// Like [`t`] for text that is formatted first.
pub fn tf(en: String, de: String) -> String {
    if german() {
        de
    } else {
        en
    }
}

/// A number with one decimal as German writes it ("9,5"); English text keeps `{:.1}`.
pub fn komma(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

/// [`komma`] with its sign always written ("+1,0", "-0,5").
pub fn komma_signed(value: f64) -> String {
    format!("{value:+.1}").replace('.', ",")
}

/// The locale code in use, for the API's localized labels.
pub fn locale() -> String {
    if german() { "de" } else { "en" }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_numbers_take_a_decimal_comma() {
        assert_eq!(komma(9.5), "9,5");
        assert_eq!(komma(11.0), "11,0");
        assert_eq!(komma(0.04), "0,0");
        assert_eq!(komma_signed(1.0), "+1,0");
        assert_eq!(komma_signed(-0.45), "-0,5");
    }
}
