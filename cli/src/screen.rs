//! The red-flag screening on a terminal: one question at a time with a counter, answered
//! yes / no / not sure, and the outcome in plain words.

use talus_ffi::{Answer, Engine, QuestionInfo, SafetyInfo, ScreeningAnswer};

use crate::ask::{self, Tri};
use crate::fail::CliError;
use crate::words::{t, tf};
use crate::{now_ms, outln};

/// Answers every question "no" (for scripts: `--all-no`, `--no-red-flags`). The outcome
/// goes to stderr when stdout carries JSON.
pub fn all_no(engine: &Engine, json: bool) -> Result<(), CliError> {
    let locale = engine.settings()?.locale;
    let answers = engine
        .screening_questions(locale)
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer: ScreeningAnswer::No,
        })
        .collect();
    let out = engine.submit_screening(answers, now_ms())?;
    if json {
        if let Some(r) = &out.referral {
            eprintln!("{}", r.message);
        }
    } else {
        report(&out);
    }
    Ok(())
}

/// Asks every question on the terminal and stores the answers; says whether the drills
/// are locked afterwards.
pub fn ask_all(engine: &Engine, locale: &str) -> Result<bool, CliError> {
    let questions = engine.screening_questions(locale.into());
    let answers = ask_questions(&questions)?;
    let out = engine.submit_screening(answers, now_ms())?;
    report(&out);
    Ok(out.locked)
}

/// Asks every question on the terminal (the screening, the follow-up): a counter, yes /
/// no / not sure, no default.
pub fn ask_questions(questions: &[QuestionInfo]) -> Result<Vec<Answer>, CliError> {
    outln!(
        "{}",
        t(
            "Answer y (yes), n (no) or ? (not sure). Not sure is never taken as no.",
            "Antworte j (ja), n (nein) oder ? (unsicher). Unsicher zählt nie als nein."
        )
    );
    let total = questions.len();
    let mut answers = Vec::with_capacity(total);
    for (i, q) in questions.iter().enumerate() {
        let answer = ask::until(
            &tf(
                format!("({} of {total}) {} [y/n/?]", i + 1, q.text),
                format!("({} von {total}) {} [j/n/?]", i + 1, q.text),
            ),
            ask::tri,
        )?;
        answers.push(Answer {
            question_id: q.id.clone(),
            // The core's policy (ADR 0010): "not sure" locks like "yes".
            answer: match answer {
                Tri::Yes => ScreeningAnswer::Yes,
                Tri::No => ScreeningAnswer::No,
                Tri::NotSure => ScreeningAnswer::NotSure,
            },
        });
    }
    Ok(answers)
}

fn report(out: &SafetyInfo) {
    match &out.referral {
        Some(r) => {
            outln!("⚠ {}", r.message);
            outln!("{}", t("Drills are locked. Once a clinician has seen you: `talus clear`.", "Übungen gesperrt. Sobald dich eine Ärztin oder ein Physio gesehen hat: `talus clear`."));
        }
        None if out.locked => outln!(
            "{}",
            t(
                "Drills stay locked until a clinician clears you.",
                "Übungen bleiben gesperrt, bis du freigegeben bist."
            )
        ),
        None => outln!(
            "{}",
            t(
                "All clear: no warning signs.",
                "Alles in Ordnung: keine Warnzeichen."
            )
        ),
    }
}
