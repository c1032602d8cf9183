//! Set-up shared by the API tests: opening a profile in a temporary folder and answering its
//! first-run safety screening.

// Each test crate includes this module and uses the part it needs.
#![allow(dead_code)]

use std::sync::Arc;

use talus_ffi::{Answer, Engine, ScreeningAnswer};

/// Opens (creating it) the profile `name` inside `dir`, as of `now_ms`.
pub fn open_profile(dir: &tempfile::TempDir, name: &str, now_ms: i64) -> Arc<Engine> {
    Engine::open(dir.path().join(name).to_string_lossy().into(), now_ms).unwrap()
}

/// The same answer to every screening question, asked in `locale`.
pub fn answer_all(e: &Engine, locale: &str, answer: ScreeningAnswer) -> Vec<Answer> {
    e.screening_questions(locale.into())
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer,
        })
        .collect()
}

/// Answers the first-run screening all "no" at `at_ms`.
pub fn screen_all_no(e: &Engine, locale: &str, at_ms: i64) {
    e.submit_screening(answer_all(e, locale, ScreeningAnswer::No), at_ms)
        .unwrap();
}
