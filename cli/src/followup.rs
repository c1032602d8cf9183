//! `talus follow-up`: the short check after a session ended for severe pain (J3). The
//! programme stays paused until it is answered; all "no" and the drills open again, a
//! "yes" or "not sure" keeps the pause (or, to a warning sign, locks). The core decides;
//! this asks one question at a time on a terminal, or takes the answers as flags.

use talus_ffi::{Answer, Engine, QuestionInfo, SafetyStatus, ScreeningAnswer};

use crate::ask;
use crate::fail::{self, CliError};
use crate::words::{t, tf};
use crate::{now_ms, outln};

/// Answers for scripts; on a terminal the questions are asked.
#[derive(clap::Args, Default)]
pub struct FollowUpArgs {
    /// Answer "no" to every question (for scripts, when none applies).
    #[arg(long, conflicts_with_all = ["yes", "not_sure"])]
    all_no: bool,
    /// A question answered "yes", by its id (`--list` shows them); repeat for several.
    /// Every question not named by --yes or --not-sure is answered "no".
    #[arg(long, value_name = "QUESTION_ID")]
    yes: Vec<String>,
    /// A question answered "not sure", by its id; repeat for several.
    #[arg(long, value_name = "QUESTION_ID")]
    not_sure: Vec<String>,
    /// List the questions with their ids and stop.
    #[arg(long)]
    list: bool,
}

impl FollowUpArgs {
    fn scripted(&self) -> bool {
        self.all_no || !self.yes.is_empty() || !self.not_sure.is_empty()
    }
}

/// The sentence that sends a paused runner here, for `today`, `session` and errors.
pub fn pointer() -> &'static str {
    t(
        "Answer the short follow-up check: `talus follow-up`.",
        "Beantworte den kurzen Nachcheck: `talus follow-up`.",
    )
}

/// Checks a question id typed in a flag, with did-you-mean.
fn known_id<'a>(
    flag: &str,
    id: &str,
    questions: &'a [QuestionInfo],
) -> Result<&'a QuestionInfo, CliError> {
    if let Some(q) = questions.iter().find(|q| q.id == id) {
        return Ok(q);
    }
    let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    let hint = fail::did_you_mean(id, ids.iter().copied())
        .map(|m| tf(format!(" Did you mean {m}?"), format!(" Meintest du {m}?")))
        .unwrap_or_else(|| {
            tf(
                format!(" The questions are: {}.", ids.join(", ")),
                format!(" Die Fragen sind: {}.", ids.join(", ")),
            )
        });
    Err(CliError::usage(tf(
        format!("{flag} {id:?} is not a follow-up question.{hint}"),
        format!("{flag} {id:?} ist keine Frage des Nachchecks.{hint}"),
    )))
}

/// The answers a script gave: the named ones, every other question "no".
fn from_flags(a: &FollowUpArgs, questions: &[QuestionInfo]) -> Result<Vec<Answer>, CliError> {
    for id in &a.yes {
        known_id("--yes", id, questions)?;
    }
    for id in &a.not_sure {
        known_id("--not-sure", id, questions)?;
        if a.yes.contains(id) {
            return Err(CliError::usage(tf(
                format!("{id:?} is given both as --yes and --not-sure; pick one"),
                format!("{id:?} steht bei --yes und bei --not-sure; wähle eins"),
            )));
        }
    }
    Ok(questions
        .iter()
        .map(|q| Answer {
            question_id: q.id.clone(),
            answer: if a.yes.contains(&q.id) {
                ScreeningAnswer::Yes
            } else if a.not_sure.contains(&q.id) {
                ScreeningAnswer::NotSure
            } else {
                ScreeningAnswer::No
            },
        })
        .collect())
}

/// `talus session` on a terminal while drills are paused: offers the follow-up check at
/// once (an empty answer is asked again); the session starts only if it lifts the pause.
pub fn before_session(engine: &Engine, locale: &str) -> Result<(), CliError> {
    let state = engine.safety_state()?;
    if state.status != SafetyStatus::Paused {
        return Ok(());
    }
    if let Some(r) = &state.referral {
        outln!("{}", r.message);
    }
    if !ask::yes_no(
        t(
            "Answer the follow-up check now?",
            "Den Nachcheck jetzt beantworten?",
        ),
        None,
    )? {
        outln!("{}", pointer());
        return Err(CliError::locked(""));
    }
    answer(engine, locale, FollowUpArgs::default(), false)?;
    outln!();
    Ok(())
}

/// `talus follow-up`.
pub fn run(engine: &Engine, locale: &str, a: FollowUpArgs) -> Result<(), CliError> {
    answer(engine, locale, a, true)
}

/// Asks (or takes from flags) the follow-up answers and says what the core decided;
/// `say_why` first repeats why the drills are paused.
fn answer(engine: &Engine, locale: &str, a: FollowUpArgs, say_why: bool) -> Result<(), CliError> {
    let questions = engine.follow_up_questions(locale.into());
    if a.list {
        for q in &questions {
            outln!("  {:<24} {}", q.id, q.text);
        }
        return Ok(());
    }
    let state = engine.safety_state()?;
    if state.status != SafetyStatus::Paused {
        outln!(
            "{}",
            if state.locked {
                t(
                    "No follow-up is due: drills are locked by a warning sign. Once a clinician has seen you: `talus clear`.",
                    "Kein Nachcheck fällig: die Übungen sind wegen eines Warnzeichens gesperrt. Sobald dich eine Ärztin oder ein Physio gesehen hat: `talus clear`.",
                )
            } else {
                t(
                    "No follow-up is due: drills are not paused.",
                    "Kein Nachcheck fällig: die Übungen pausieren nicht.",
                )
            }
        );
        return Ok(());
    }
    if let Some(r) = state.referral.as_ref().filter(|_| say_why) {
        outln!("{}", r.message);
    }
    let answers = if a.scripted() {
        from_flags(&a, &questions)?
    } else if ask::interactive() {
        crate::screen::ask_questions(&questions)?
    } else {
        return Err(CliError::usage(
            "the follow-up questions are asked on a terminal; scripts give --all-no, or name \
             the answers that are not \"no\" with --yes ID / --not-sure ID (`--list` shows the ids)",
        ));
    };
    let out = engine.submit_follow_up(answers, now_ms())?;
    outln!("{}", out.reason.message);
    if out.resumed {
        outln!(
            "{}",
            t(
                "Drills are open again. Start gently; `talus today` shows the plan.",
                "Die Übungen sind wieder offen. Fang sanft an; `talus today` zeigt den Plan."
            )
        );
        Ok(())
    } else if out.safety.locked {
        outln!(
            "{}",
            t(
                "Drills are locked until a clinician has seen you; then `talus clear`.",
                "Übungen gesperrt, bis dich eine Ärztin oder ein Physio gesehen hat; dann `talus clear`."
            )
        );
        // Said above; the exit code tells scripts the drills are blocked.
        Err(CliError::locked(""))
    } else {
        outln!(
            "{}",
            t(
                "Drills stay paused. Answer the check again when it is better (`talus follow-up`), \
                 or once a clinician has seen you: `talus clear`.",
                "Die Übungen pausieren weiter. Beantworte den Nachcheck wieder, wenn es besser ist \
                 (`talus follow-up`), oder sobald dich eine Fachperson gesehen hat: `talus clear`."
            )
        );
        Err(CliError::locked(""))
    }
}
