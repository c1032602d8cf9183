//! The runner's safety state: red-flag locks, the pause after severe pain, and how each ends
//! (a clinician's clearance, a short follow-up screening).
//!
//! Safety is kept as a grow-only set of events, never as a flag that is overwritten:
//! - a **red flag** — a red-flag question answered "yes" or "not sure", at any entry point
//!   (first screening, morning or post-run check-in, during a session, a follow-up);
//! - a **severe-pain stop** — pain ≥ 7/10 reported in a session;
//! - a **follow-up passed** — the short follow-up screening after a severe-pain stop, all
//!   "no"; it names the stops it resolves;
//! - a **clinician clearance** — the runner confirms who cleared them and when; it names the
//!   red flags and stops it resolves.
//!
//! The state is derived from the events: locked while any red flag is not named by a
//! clearance; paused while any severe-pain stop is named by neither a follow-up nor a
//! clearance. A resolution names exactly the events that device knew of, so a lock raised on
//! another device that the clinician never saw stays open after sync, whatever the clocks say
//! (`docs/adr/0010-safety-state.md`). Events sync as write-once fields of one op-log entity,
//! so every device that has seen the same events derives the same state.

mod stored;
mod text;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::domain::Reason;
use crate::sorted_map::SortedMap;

pub use text::{follow_up_questions, FOLLOW_UP_QUESTION_IDS};

/// Pain at or above this ends the session and pauses the programme (DESIGN.md §2: severe
/// pain is outside any loading model; the runner is asked a follow-up screening first).
pub const SEVERE_PAIN: u8 = 7;
/// Longest clinician name or role accepted ("Dr Weber", "physio at the club").
pub const MAX_CLINICIAN_CHARS: usize = 100;

/// Errors from the safety rules. Nothing is recorded when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SafetyError {
    /// A question id that is neither a red-flag nor a follow-up question.
    #[error("unknown screening question {0:?}")]
    UnknownQuestion(String),
    /// A follow-up screening must answer every follow-up question.
    #[error("follow-up question {0:?} was not answered")]
    MissingAnswer(String),
    /// The clinician's name or role is empty or too long.
    #[error("clinician must be 1–{MAX_CLINICIAN_CHARS} characters")]
    BadClinician,
    /// The clearance date is after today, or before the red flag it would clear.
    #[error("clearance date {0} is not between the red flag and today")]
    BadClearanceDate(NaiveDate),
    /// Nothing to clear or follow up: the runner is not locked (or paused).
    #[error("{0}")]
    NothingToResolve(&'static str),
}

/// One answer to a screening question. "Not sure" is never taken as "no" (ADR 0010).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    NotSure,
}

impl Answer {
    /// Whether this answer raises a red flag: "yes" and "not sure" do.
    pub fn raises_flag(self) -> bool {
        !matches!(self, Answer::No)
    }
}

/// Where a red-flag answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagSource {
    Screening,
    MorningCheckIn,
    PostRunCheckIn,
    Session,
    FollowUp,
}

/// One safety event (write-once; see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SafetyEvent {
    RedFlag {
        question: String,
        answer: Answer,
        source: FlagSource,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
    SeverePain {
        drill_id: String,
        pain: u8,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
    FollowUpPassed {
        covers: Vec<Uuid>,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
    ClinicianClearance {
        clinician: String,
        #[serde(with = "crate::formats::serde_form::date")]
        seen_on: NaiveDate,
        covers: Vec<Uuid>,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
    /// The first-run screening was answered (whatever the answers), so drills may start.
    Screened {
        questions: u32,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
}

impl SafetyEvent {
    /// When the event was recorded.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            SafetyEvent::RedFlag { at, .. }
            | SafetyEvent::SeverePain { at, .. }
            | SafetyEvent::FollowUpPassed { at, .. }
            | SafetyEvent::ClinicianClearance { at, .. }
            | SafetyEvent::Screened { at, .. } => *at,
        }
    }
}

/// Every safety event of the profile, by id. Serialized as one flat JSON object (event id →
/// event), which is how it travels as one op-log entity: each event is its own field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "Map<String, Value>", into = "Map<String, Value>")]
pub struct SafetyRecord {
    pub events: SortedMap<Uuid, SafetyEvent>,
}

/// Namespace for ids of events read from the first record format (`locked`, `reasons`).
fn legacy_id(question: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("talus:legacy_red_flag:{question}").as_bytes(),
    )
}

impl TryFrom<Map<String, Value>> for SafetyRecord {
    type Error = String;
    fn try_from(map: Map<String, Value>) -> Result<Self, String> {
        let mut events = SortedMap::new();
        for (key, value) in &map {
            let Ok(id) = Uuid::parse_str(key) else {
                continue;
            };
            // An event this build cannot read (a newer kind) is skipped, not fatal: the
            // known events still decide the state.
            if let Some(event) = stored::event(value) {
                events.insert(id, event);
            }
        }
        // The first format stored `{locked, reasons, since, cleared_at}`, written once the
        // screening was answered; an open lock in it becomes one red flag per question, so an
        // upgrade never unlocks anyone.
        if map.contains_key("locked") {
            events.get_or_insert_with(legacy_id("screened"), || SafetyEvent::Screened {
                questions: 0,
                at: DateTime::<Utc>::UNIX_EPOCH,
            });
        }
        if map.get("locked") == Some(&Value::Bool(true)) {
            let since = map
                .get("since")
                .and_then(crate::json::instant)
                .unwrap_or_default();
            let reasons: Vec<String> = map
                .get("reasons")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default();
            let reasons = if reasons.is_empty() {
                vec!["unknown".to_string()]
            } else {
                reasons
            };
            for q in reasons {
                events.get_or_insert_with(legacy_id(&q), || SafetyEvent::RedFlag {
                    question: q,
                    answer: Answer::Yes,
                    source: FlagSource::Screening,
                    at: since,
                });
            }
        }
        Ok(SafetyRecord { events })
    }
}

impl From<SafetyRecord> for Map<String, Value> {
    fn from(r: SafetyRecord) -> Self {
        crate::order::by_insertion(
            r.events
                .into_iter()
                .filter_map(|(id, e)| serde_json::to_value(e).ok().map(|v| (id.to_string(), v))),
        )
    }
}

/// An open red flag: which question, how it was answered, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFlag {
    pub id: Uuid,
    pub question: String,
    pub answer: Answer,
    pub source: FlagSource,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub at: DateTime<Utc>,
    /// The question needs urgent care, not just a check-up.
    pub urgent: bool,
}

/// The derived safety state, with its reason and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SafetyState {
    /// No red flag and no severe-pain stop was ever recorded (or all were followed up).
    Clear,
    /// At least one red flag is open: no drills until a clinician clears the runner.
    Locked {
        flags: Vec<OpenFlag>,
        #[serde(with = "crate::formats::serde_form::instant")]
        since: DateTime<Utc>,
    },
    /// A session ended for severe pain: no drills until the follow-up screening is passed.
    Paused {
        drill_id: String,
        pain: u8,
        #[serde(with = "crate::formats::serde_form::instant")]
        since: DateTime<Utc>,
        stops: Vec<Uuid>,
    },
    /// Every red flag was cleared; the latest clearance, who and when.
    Cleared {
        clinician: String,
        #[serde(with = "crate::formats::serde_form::date")]
        seen_on: NaiveDate,
        #[serde(with = "crate::formats::serde_form::instant")]
        at: DateTime<Utc>,
    },
}

/// The name of a [`SafetyState`], without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyStatus {
    Clear,
    Locked,
    Paused,
    Cleared,
}

impl SafetyState {
    /// Which state this is.
    pub fn status(&self) -> SafetyStatus {
        match self {
            SafetyState::Clear => SafetyStatus::Clear,
            SafetyState::Locked { .. } => SafetyStatus::Locked,
            SafetyState::Paused { .. } => SafetyStatus::Paused,
            SafetyState::Cleared { .. } => SafetyStatus::Cleared,
        }
    }

    /// Whether drills are blocked (locked or paused): nothing is planned or started.
    pub fn blocks_drills(&self) -> bool {
        matches!(
            self,
            SafetyState::Locked { .. } | SafetyState::Paused { .. }
        )
    }

    /// Whether a red flag is open.
    pub fn is_locked(&self) -> bool {
        matches!(self, SafetyState::Locked { .. })
    }

    /// Stable snake_case name: `clear`, `locked`, `paused`, `cleared`.
    pub fn code(&self) -> &'static str {
        match self {
            SafetyState::Clear => "clear",
            SafetyState::Locked { .. } => "locked",
            SafetyState::Paused { .. } => "paused",
            SafetyState::Cleared { .. } => "cleared",
        }
    }

    /// The state explained for the runner, in `locale`.
    pub fn reason(&self, locale: &str) -> Reason {
        match self {
            SafetyState::Clear => text::reason("safety_clear", &[], locale),
            SafetyState::Locked { flags, .. } => {
                let urgent = flags.iter().any(|f| f.urgent);
                let not_sure = flags.iter().all(|f| f.answer == Answer::NotSure);
                let code = if urgent {
                    "red_flag_urgent"
                } else if not_sure {
                    "red_flag_not_sure"
                } else {
                    "red_flag_referral"
                };
                text::reason(code, &[("answers", flags.len() as f64)], locale)
            }
            SafetyState::Paused { pain, .. } => {
                text::reason("paused_severe_pain", &[("pain", f64::from(*pain))], locale)
            }
            SafetyState::Cleared { .. } => text::reason("cleared_by_clinician", &[], locale),
        }
    }
}

impl SafetyRecord {
    /// A record with one red flag answered "yes" (for tests and rule vectors).
    pub fn locked_by(question: &str, at: DateTime<Utc>) -> SafetyRecord {
        let mut r = SafetyRecord::default();
        r.events.insert(
            legacy_id(question),
            SafetyEvent::RedFlag {
                question: question.into(),
                answer: Answer::Yes,
                source: FlagSource::Screening,
                at,
            },
        );
        r
    }

    /// Whether a first-run screening was ever answered (a red flag from any entry point
    /// counts: the runner has been asked).
    pub fn screened(&self) -> bool {
        self.events.values().any(|e| {
            matches!(
                e,
                SafetyEvent::Screened { .. } | SafetyEvent::RedFlag { .. }
            )
        })
    }

    /// Adds events (ids are unique; an existing id is kept as it was: events are write-once).
    pub fn absorb(&mut self, events: impl IntoIterator<Item = (Uuid, SafetyEvent)>) {
        for (id, e) in events {
            self.events.get_or_insert_with(id, || e);
        }
    }

    /// The events a clearance covers and those a passed follow-up covers (looked up by a
    /// scan: a few ids, and no set of its own in the phone library).
    fn resolved(&self) -> (Vec<Uuid>, Vec<Uuid>) {
        let mut by_clinician = Vec::new();
        let mut by_follow_up = Vec::new();
        for e in self.events.values() {
            match e {
                SafetyEvent::ClinicianClearance { covers, .. } => {
                    by_clinician.extend(covers.iter().copied())
                }
                SafetyEvent::FollowUpPassed { covers, .. } => {
                    by_follow_up.extend(covers.iter().copied())
                }
                _ => {}
            }
        }
        (by_clinician, by_follow_up)
    }

    /// Red flags no clearance names, oldest first.
    pub fn open_flags(&self) -> Vec<OpenFlag> {
        let (cleared, _) = self.resolved();
        let mut out: Vec<OpenFlag> = self
            .events
            .iter()
            .filter(|(id, _)| !cleared.contains(id))
            .filter_map(|(id, e)| match e {
                SafetyEvent::RedFlag {
                    question,
                    answer,
                    source,
                    at,
                } => Some(OpenFlag {
                    id: *id,
                    question: question.clone(),
                    answer: *answer,
                    source: *source,
                    at: *at,
                    urgent: crate::progression::question_is_urgent(question).unwrap_or(true),
                }),
                _ => None,
            })
            .collect();
        crate::order::sort_by_key(&mut out, |f| (f.at, f.id));
        out
    }

    /// Severe-pain stops neither a follow-up nor a clearance names, oldest first.
    pub fn open_stops(&self) -> Vec<(Uuid, &str, u8, DateTime<Utc>)> {
        let (cleared, followed) = self.resolved();
        let mut out: Vec<_> = self
            .events
            .iter()
            .filter(|(id, _)| !cleared.contains(id) && !followed.contains(id))
            .filter_map(|(id, e)| match e {
                SafetyEvent::SeverePain { drill_id, pain, at } => {
                    Some((*id, drill_id.as_str(), *pain, *at))
                }
                _ => None,
            })
            .collect();
        crate::order::sort_by_key(&mut out, |(id, _, _, at)| (*at, *id));
        out
    }

    /// The state the events add up to: locked over paused over cleared over clear.
    pub fn state(&self) -> SafetyState {
        let flags = self.open_flags();
        if let Some(first) = flags.first() {
            return SafetyState::Locked {
                since: first.at,
                flags,
            };
        }
        let stops = self.open_stops();
        if let Some((_, drill, pain, at)) = stops.last() {
            return SafetyState::Paused {
                drill_id: (*drill).to_string(),
                pain: *pain,
                since: stops.first().map_or(*at, |s| s.3),
                stops: stops.iter().map(|s| s.0).collect(),
            };
        }
        self.events
            .values()
            .filter_map(|e| match e {
                SafetyEvent::ClinicianClearance {
                    clinician,
                    seen_on,
                    at,
                    ..
                } => Some((at, clinician, seen_on)),
                _ => None,
            })
            .max()
            .map_or(SafetyState::Clear, |(at, clinician, seen_on)| {
                SafetyState::Cleared {
                    clinician: clinician.clone(),
                    seen_on: *seen_on,
                    at: *at,
                }
            })
    }
}

/// THE entry point for red-flag answers, whatever screen they come from: validates every
/// question id (one unknown id refuses all) and returns one red-flag event per "yes" or
/// "not sure". Empty when every answer is "no".
pub fn red_flag_events(
    answers: &[(String, Answer)],
    source: FlagSource,
    now: DateTime<Utc>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<Vec<(Uuid, SafetyEvent)>, SafetyError> {
    flag_events(answers, source, now, &mut new_id)
}

/// [`red_flag_events`] once for every kind of id maker (each caller's closure would be a
/// copy of it in the phone library).
fn flag_events(
    answers: &[(String, Answer)],
    source: FlagSource,
    now: DateTime<Utc>,
    new_id: &mut dyn FnMut() -> Uuid,
) -> Result<Vec<(Uuid, SafetyEvent)>, SafetyError> {
    for (id, _) in answers {
        if crate::progression::question_is_urgent(id).is_none() {
            return Err(SafetyError::UnknownQuestion(id.chars().take(64).collect()));
        }
    }
    // The questions flagged so far (a handful: a scan, not a set of its own in the phone
    // library).
    let mut seen: Vec<&str> = Vec::new();
    Ok(answers
        .iter()
        .filter(|(id, a)| {
            let new = a.raises_flag() && !seen.contains(&id.as_str());
            if new {
                seen.push(id);
            }
            new
        })
        .map(|(id, a)| {
            (
                new_id(),
                SafetyEvent::RedFlag {
                    question: id.clone(),
                    answer: *a,
                    source,
                    at: now,
                },
            )
        })
        .collect())
}

/// The event recording a severe-pain stop, when `pain` is severe.
pub fn severe_pain_event(
    drill_id: &str,
    pain: u8,
    at: DateTime<Utc>,
    new_id: impl FnOnce() -> Uuid,
) -> Option<(Uuid, SafetyEvent)> {
    (pain >= SEVERE_PAIN).then(|| {
        (
            new_id(),
            SafetyEvent::SeverePain {
                drill_id: drill_id.into(),
                pain,
                at,
            },
        )
    })
}

/// A clinician's clearance of every open red flag and severe-pain stop. `seen_on` is the
/// local date the clinician saw the runner: not after `today`, not before the newest open
/// red flag's local date (`flag_date` maps an instant to the runner's local date).
pub fn clearance_event(
    record: &SafetyRecord,
    clinician: &str,
    seen_on: NaiveDate,
    today: NaiveDate,
    flag_date: impl Fn(DateTime<Utc>) -> NaiveDate,
    now: DateTime<Utc>,
    new_id: impl FnOnce() -> Uuid,
) -> Result<(Uuid, SafetyEvent), SafetyError> {
    let name = clinician.trim();
    if name.is_empty() || name.chars().count() > MAX_CLINICIAN_CHARS {
        return Err(SafetyError::BadClinician);
    }
    let flags = record.open_flags();
    let stops = record.open_stops();
    if flags.is_empty() && stops.is_empty() {
        return Err(SafetyError::NothingToResolve(
            "there is no red flag or severe-pain stop to clear",
        ));
    }
    let newest = flags
        .iter()
        .map(|f| f.at)
        .chain(stops.iter().map(|s| s.3))
        .max()
        .map(flag_date);
    if seen_on > today || newest.is_some_and(|d| seen_on < d) {
        return Err(SafetyError::BadClearanceDate(seen_on));
    }
    let covers = flags
        .iter()
        .map(|f| f.id)
        .chain(stops.iter().map(|s| s.0))
        .collect();
    Ok((
        new_id(),
        SafetyEvent::ClinicianClearance {
            clinician: name.into(),
            seen_on,
            covers,
            at: now,
        },
    ))
}

/// What a follow-up screening decided.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpOutcome {
    /// Events to record (red flags raised, or the passed follow-up).
    pub events: Vec<(Uuid, SafetyEvent)>,
    /// Whether the pause is over.
    pub resumed: bool,
    /// Why, in the runner's locale.
    pub reason: Reason,
}

/// The short follow-up screening after a severe-pain stop. Every follow-up question must be
/// answered (red-flag ids may be added); a "yes" or "not sure" to a red-flag question locks,
/// one to a follow-up question keeps the pause; all "no" ends the pause.
pub fn follow_up(
    record: &SafetyRecord,
    answers: &[(String, Answer)],
    locale: &str,
    now: DateTime<Utc>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<FollowUpOutcome, SafetyError> {
    let stops = record.open_stops();
    if stops.is_empty() {
        return Err(SafetyError::NothingToResolve(
            "there is no severe-pain stop to follow up",
        ));
    }
    let mut red_flags = Vec::new();
    let mut own_flag = false;
    for (id, a) in answers {
        if FOLLOW_UP_QUESTION_IDS.contains(&id.as_str()) {
            own_flag |= a.raises_flag();
        } else if crate::progression::question_is_urgent(id).is_some() {
            red_flags.push((id.clone(), *a));
        } else {
            return Err(SafetyError::UnknownQuestion(id.chars().take(64).collect()));
        }
    }
    if let Some(missing) = FOLLOW_UP_QUESTION_IDS
        .iter()
        .find(|q| !answers.iter().any(|(id, _)| id == *q))
    {
        return Err(SafetyError::MissingAnswer((*missing).into()));
    }
    let events = red_flag_events(&red_flags, FlagSource::FollowUp, now, &mut new_id)?;
    if !events.is_empty() {
        return Ok(FollowUpOutcome {
            reason: text::reason(
                "follow_up_red_flag",
                &[("answers", events.len() as f64)],
                locale,
            ),
            events,
            resumed: false,
        });
    }
    if own_flag {
        return Ok(FollowUpOutcome {
            events,
            resumed: false,
            reason: text::reason("follow_up_still_paused", &[], locale),
        });
    }
    Ok(FollowUpOutcome {
        events: vec![(
            new_id(),
            SafetyEvent::FollowUpPassed {
                covers: stops.iter().map(|s| s.0).collect(),
                at: now,
            },
        )],
        resumed: true,
        reason: text::reason("follow_up_passed", &[], locale),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut n = 0u128;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn not_sure_locks_and_no_does_not() {
        let answers = vec![
            ("heel_pop".to_string(), Answer::No),
            ("hop_hurts".to_string(), Answer::NotSure),
        ];
        let ev = red_flag_events(&answers, FlagSource::Screening, t(8), ids()).unwrap();
        assert_eq!(ev.len(), 1);
        let mut r = SafetyRecord::default();
        r.absorb(ev);
        assert!(r.state().is_locked());
        assert_eq!(r.state().reason("en").code, "red_flag_not_sure");
    }

    #[test]
    fn a_question_answered_twice_raises_one_flag() {
        let answers = vec![
            ("heel_pop".to_string(), Answer::No),
            ("hop_hurts".to_string(), Answer::Yes),
            ("heel_pop".to_string(), Answer::Yes),
            ("hop_hurts".to_string(), Answer::NotSure),
            ("heel_pop".to_string(), Answer::Yes),
        ];
        let ev = red_flag_events(&answers, FlagSource::Screening, t(8), ids()).unwrap();
        let flagged: Vec<(&str, Answer)> = ev
            .iter()
            .filter_map(|(_, e)| match e {
                SafetyEvent::RedFlag {
                    question, answer, ..
                } => Some((question.as_str(), *answer)),
                _ => None,
            })
            .collect();
        assert_eq!(
            flagged,
            [("hop_hurts", Answer::Yes), ("heel_pop", Answer::Yes)]
        );
    }

    #[test]
    fn unknown_question_refuses_everything() {
        let answers = vec![
            ("heel_pop".to_string(), Answer::Yes),
            ("nope".to_string(), Answer::No),
        ];
        assert!(matches!(
            red_flag_events(&answers, FlagSource::Screening, t(8), ids()),
            Err(SafetyError::UnknownQuestion(_))
        ));
    }

    #[test]
    fn a_clearance_clears_only_what_it_saw() {
        let mut gen = ids();
        let mut phone = SafetyRecord::default();
        phone.absorb(
            red_flag_events(
                &[("heel_pop".into(), Answer::Yes)],
                FlagSource::Screening,
                t(8),
                &mut gen,
            )
            .unwrap(),
        );
        let mut tablet = phone.clone();
        // Tablet: a new red flag, later than the phone's clearance.
        tablet.absorb(
            red_flag_events(
                &[("calf_swollen_hot".into(), Answer::Yes)],
                FlagSource::MorningCheckIn,
                t(12),
                &mut gen,
            )
            .unwrap(),
        );
        let today = t(10).date_naive();
        let clear = clearance_event(
            &phone,
            "Dr A",
            today,
            today,
            |i| i.date_naive(),
            t(10),
            &mut gen,
        )
        .unwrap();
        phone.absorb([clear.clone()]);
        assert!(matches!(phone.state(), SafetyState::Cleared { .. }));
        // Merge both ways: the same set of events, the same state, still locked.
        let mut a = phone.clone();
        a.absorb(tablet.events.clone());
        let mut b = tablet.clone();
        b.absorb(phone.events.clone());
        assert_eq!(a, b);
        match a.state() {
            SafetyState::Locked { flags, .. } => {
                assert_eq!(flags.len(), 1);
                assert_eq!(flags[0].question, "calf_swollen_hot");
            }
            other => panic!("expected locked, got {other:?}"),
        }
    }

    #[test]
    fn clearance_checks_name_and_date() {
        let r = SafetyRecord::locked_by("heel_pop", t(8));
        let today = t(10).date_naive();
        let date = |i: DateTime<Utc>| i.date_naive();
        assert_eq!(
            clearance_event(&r, "  ", today, today, date, t(10), ids()),
            Err(SafetyError::BadClinician)
        );
        let tomorrow = today.succ_opt().unwrap();
        assert!(clearance_event(&r, "Dr A", tomorrow, today, date, t(10), ids()).is_err());
        let before = today.pred_opt().unwrap();
        assert!(clearance_event(&r, "Dr A", before, today, date, t(10), ids()).is_err());
        assert!(matches!(
            clearance_event(
                &SafetyRecord::default(),
                "Dr A",
                today,
                today,
                date,
                t(10),
                ids()
            ),
            Err(SafetyError::NothingToResolve(_))
        ));
    }

    #[test]
    fn severe_pain_pauses_until_follow_up() {
        let mut gen = ids();
        let mut r = SafetyRecord::default();
        assert!(severe_pain_event("banded_df_mob", 6, t(8), &mut gen).is_none());
        r.absorb(severe_pain_event("banded_df_mob", 7, t(8), &mut gen));
        assert!(matches!(r.state(), SafetyState::Paused { pain: 7, .. }));
        let all_no: Vec<(String, Answer)> = FOLLOW_UP_QUESTION_IDS
            .iter()
            .map(|q| (q.to_string(), Answer::No))
            .collect();
        // Missing answers refuse.
        assert!(matches!(
            follow_up(&r, &all_no[1..], "en", t(20), &mut gen),
            Err(SafetyError::MissingAnswer(_))
        ));
        let mut unsure = all_no.clone();
        unsure[0].1 = Answer::NotSure;
        let out = follow_up(&r, &unsure, "en", t(20), &mut gen).unwrap();
        assert!(!out.resumed && out.events.is_empty());
        let mut flagged = all_no.clone();
        flagged.push(("heel_pop".into(), Answer::Yes));
        let out = follow_up(&r, &flagged, "en", t(20), &mut gen).unwrap();
        let mut locked = r.clone();
        locked.absorb(out.events);
        assert!(locked.state().is_locked());
        let out = follow_up(&r, &all_no, "en", t(20), &mut gen).unwrap();
        assert!(out.resumed);
        r.absorb(out.events);
        assert_eq!(r.state(), SafetyState::Clear);
    }

    #[test]
    fn record_round_trips_and_reads_the_first_format() {
        let mut r = SafetyRecord::locked_by("heel_pop", t(8));
        r.absorb(severe_pain_event("toe_yoga", 8, t(9), || {
            Uuid::from_u128(7)
        }));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<SafetyRecord>(&json).unwrap(), r);
        let old = r#"{"locked":true,"reasons":["heel_pop"],"since":"2026-06-01T08:00:00Z","cleared_at":null}"#;
        let read: SafetyRecord = serde_json::from_str(old).unwrap();
        assert!(read.state().is_locked());
        let old_clear = r#"{"locked":false,"reasons":[],"since":null,"cleared_at":null}"#;
        let read: SafetyRecord = serde_json::from_str(old_clear).unwrap();
        assert_eq!(read.state(), SafetyState::Clear);
    }
}
