//! Every closed set the API hands out or takes in, as a uniffi enum: Kotlin `when` and Swift
//! `switch` over them are exhaustive, so a new case breaks a shell's build instead of
//! misrouting at run time. Each mirrors one core enum with `From` both ways; the serde names
//! (snake_case) are the stable wire names the terminal coach prints with `--json`.

use talus_core::catalog::{
    DrillKind as CoreDrillKind, Equipment as CoreEquipment, PainPolicy as CorePainPolicy,
    SegmentKind as CoreSegmentKind, Target as CoreTarget,
};
use talus_core::domain::{
    PlanVariant as CorePlanVariant, SessionOutcome as CoreSessionOutcome,
    SessionStatus as CoreSessionStatus,
};
use talus_core::progression::{LevelChange as CoreLevelChange, MorningStatus as CoreMorning};
use talus_core::safety::{
    Answer as CoreAnswer, FlagSource as CoreFlagSource, SafetyStatus as CoreSafetyStatus,
};
use talus_core::schedule::ReminderKind as CoreReminderKind;
use talus_core::session::StepKind;
use talus_core::store::UpsertOutcome;

/// Declares an FFI enum that mirrors a core enum case for case, with `From` both ways.
macro_rules! mirror_enum {
    (
        $(#[$meta:meta])*
        $name:ident <=> $core:ty, $group:literal {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, uniffi::Enum)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// The variant's Rust name (`PainCheck`), which serde's `snake_case` turns into
            /// the wire name; a table rather than serde's writer keeps `label` free of a
            /// serializer per enum (issue 21, size).
            fn variant_name(self) -> &'static str {
                match self {
                    $( $name::$variant => stringify!($variant) ),+
                }
            }
        }

        #[uniffi::export]
        impl $name {
            /// The label to show for this value in `locale` (`en`, `de`; English otherwise).
            pub fn label(&self, locale: String) -> String {
                label_of_variant($group, self.variant_name(), &locale)
            }
        }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                match v {
                    $( <$core>::$variant => $name::$variant ),+
                }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                match v {
                    $( $name::$variant => <$core>::$variant ),+
                }
            }
        }
    };
}

mirror_enum! {
    /// Which screen of the guided session to show.
    Step <=> StepKind, "step" {
        /// Before `Start`: the session overview.
        NotStarted,
        /// Intro and demo clip of the next drill (skippable).
        Intro,
        /// A set being worked: reps to tap, or a hold counting down.
        Work,
        /// Holding at end range between reps.
        EndRangePause,
        /// Changing legs between sets of a one-leg drill.
        SideSwitch,
        /// Asking for pain 0–10 after a set.
        PainCheck,
        /// Rest between sets (skippable).
        Rest,
        /// The session is over: show the summary.
        Summary,
    }
}

mirror_enum! {
    /// The kind of day the plan is.
    PlanVariant <=> CorePlanVariant, "variant" {
        /// Green morning: the normal programme, progression allowed.
        Normal,
        /// Amber morning: levels held, lighter dose.
        Light,
        /// Red morning: pain-free mobility regressions only.
        MobilityOnly,
        /// The day after a long run: recovery variant, no progression.
        Recovery,
        /// Nothing today.
        Rest,
        /// A red flag is open: no drills until a clinician clears the runner.
        Locked,
        /// A session ended for severe pain: no drills until the follow-up screening.
        Paused,
        /// First run: the safety screening comes before any drill.
        ScreeningNeeded,
    }
}

mirror_enum! {
    /// How a session ended.
    SessionOutcome <=> CoreSessionOutcome, "outcome" {
        /// Done to the end (drills stopped by a pain rule or skipped included).
        Finished,
        /// The runner quit before the end.
        StoppedEarly,
        /// Pain of 7/10 or more ended it; the programme pauses until the follow-up.
        EndedForPain,
        /// A red-flag answer ended it; drills are locked until a clinician clears the runner.
        EndedForRedFlag,
    }
}

mirror_enum! {
    /// One answer to a screening question. "Not sure" is never "no": it locks like "yes"
    /// (ADR 0010).
    ScreeningAnswer <=> CoreAnswer, "answer" {
        /// Yes.
        Yes,
        /// No.
        No,
        /// Not sure.
        NotSure,
    }
}

mirror_enum! {
    /// The runner's safety state.
    SafetyStatus <=> CoreSafetyStatus, "safety" {
        /// No red flag or severe-pain stop is open.
        Clear,
        /// A red flag is open: no drills until a clinician clears the runner.
        Locked,
        /// A session ended for severe pain: no drills until the follow-up screening.
        Paused,
        /// Every red flag was cleared by a clinician (who and when are given).
        Cleared,
    }
}

mirror_enum! {
    /// Where a red-flag answer was given.
    FlagSource <=> CoreFlagSource, "flag_source" {
        /// The safety screening (first run or a re-screening).
        Screening,
        /// A morning check-in.
        MorningCheckIn,
        /// The check-in after a long run.
        PostRunCheckIn,
        /// Reported during a guided session.
        Session,
        /// The follow-up screening after severe pain.
        FollowUp,
    }
}

mirror_enum! {
    /// What a level decision did to a drill.
    LevelChange <=> CoreLevelChange, "change" {
        /// One step harder (next dose level or the next drill in the chain).
        Progress,
        /// One step easier.
        Regress,
        /// Stays where it is.
        Hold,
    }
}

mirror_enum! {
    /// Where a stored session stands.
    SessionStatus <=> CoreSessionStatus, "status" {
        /// Planned, not started.
        Planned,
        /// Under way (or interrupted while under way: resume it).
        Started,
        /// Paused by the runner or by the app going to the background.
        Paused,
        /// Done to the end.
        Finished,
        /// Stopped early (by the runner, for pain or a red flag).
        Abandoned,
    }
}

mirror_enum! {
    /// The morning traffic light.
    MorningStatus <=> CoreMorning, "morning" {
        /// At or near the runner's baseline: train as planned.
        Green,
        /// Somewhat worse than baseline: a lighter day.
        Amber,
        /// Clearly worse, or a red flag: mobility only, or locked.
        Red,
    }
}

mirror_enum! {
    /// What kind of exercise a drill is.
    DrillKind <=> CoreDrillKind, "kind" {
        /// Moving through range (swings, circles).
        DynamicMobility,
        /// Joint mobilisation (with a band or by hand).
        JointMobilisation,
        /// A held stretch.
        StaticStretch,
        /// Rolling or massage.
        SoftTissue,
        /// Loading: calf raises and the like.
        Strength,
        /// Standing balance.
        Balance,
    }
}

mirror_enum! {
    /// How pain during a drill is judged.
    PainPolicy <=> CorePainPolicy, "pain_policy" {
        /// A stretch sensation only: pain of 3/10 or more stops the drill.
        PainFree,
        /// Loading: up to 5/10 during is acceptable, more stops the drill.
        Monitored,
    }
}

mirror_enum! {
    /// A named part of a drill's clip.
    SegmentKind <=> CoreSegmentKind, "segment" {
        /// Spoken introduction.
        Intro,
        /// Full demonstration.
        Demo,
        /// The part that loops while the runner works.
        RepLoop,
        /// What not to do.
        CommonMistake,
    }
}

mirror_enum! {
    /// What a drill works on.
    Target <=> CoreTarget, "target" {
        /// Ankle dorsiflexion (knee over toes).
        Dorsiflexion,
        /// The subtalar joint (heel in and out).
        Subtalar,
        /// The midfoot.
        Midfoot,
        /// The calf (gastrocnemius).
        Calf,
        /// The soleus.
        Soleus,
        /// The Achilles tendon.
        Achilles,
        /// The plantar fascia.
        PlantarFascia,
        /// The big toe.
        Hallux,
        /// Balance.
        Balance,
        /// Strength.
        Strength,
    }
}

mirror_enum! {
    /// Equipment a drill needs and the runner may have at hand.
    Equipment <=> CoreEquipment, "equipment" {
        /// A wall.
        Wall,
        /// An elastic band.
        Band,
        /// A step or stair.
        Step,
        /// A chair.
        Chair,
        /// A loaded backpack.
        Backpack,
        /// A massage ball.
        Ball,
        /// A towel.
        Towel,
        /// A foam roller.
        Foam,
        /// Tape.
        Tape,
    }
}

/// What a reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, uniffi::Enum)]
pub enum ReminderKind {
    /// The morning after a long run: how do calf, Achilles and ankle feel?
    #[serde(rename = "checkin")]
    LongRunCheckIn,
    /// One follow-up about 48 h after a long run whose first answer was amber or red.
    #[serde(rename = "reask")]
    LongRunReask,
    /// The daily drill session.
    #[serde(rename = "daily")]
    DailyDrills,
    /// The weekly knee-to-wall retest.
    #[serde(rename = "rom")]
    RomRetest,
}

impl ReminderKind {
    /// Every value, in declaration order.
    pub const ALL: &'static [ReminderKind] = &[
        ReminderKind::LongRunCheckIn,
        ReminderKind::LongRunReask,
        ReminderKind::DailyDrills,
        ReminderKind::RomRetest,
    ];
}

#[uniffi::export]
impl ReminderKind {
    /// The label to show for this kind in `locale`.
    pub fn label(&self, locale: String) -> String {
        label(
            "reminder",
            match self {
                ReminderKind::LongRunCheckIn => "checkin",
                ReminderKind::LongRunReask => "reask",
                ReminderKind::DailyDrills => "daily",
                ReminderKind::RomRetest => "rom",
            },
            &locale,
        )
    }
}

impl From<CoreReminderKind> for ReminderKind {
    fn from(k: CoreReminderKind) -> Self {
        match k {
            CoreReminderKind::LongRunCheckIn => ReminderKind::LongRunCheckIn,
            CoreReminderKind::LongRunReask => ReminderKind::LongRunReask,
            CoreReminderKind::DailyDrills => ReminderKind::DailyDrills,
            CoreReminderKind::RomRetest => ReminderKind::RomRetest,
        }
    }
}

/// What pushing a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// A run not seen before was stored.
    Inserted,
    /// A run with the same source and external id was stored with new values.
    Updated,
    /// The same run was pushed again; nothing changed.
    Unchanged,
}

impl RunOutcome {
    /// Every value, in declaration order.
    pub const ALL: &'static [RunOutcome] = &[
        RunOutcome::Inserted,
        RunOutcome::Updated,
        RunOutcome::Unchanged,
    ];
}

#[uniffi::export]
impl RunOutcome {
    /// The label to show for this outcome in `locale`.
    pub fn label(&self, locale: String) -> String {
        label(
            "run_outcome",
            match self {
                RunOutcome::Inserted => "inserted",
                RunOutcome::Updated => "updated",
                RunOutcome::Unchanged => "unchanged",
            },
            &locale,
        )
    }
}

impl From<UpsertOutcome> for RunOutcome {
    fn from(o: UpsertOutcome) -> Self {
        match o {
            UpsertOutcome::Inserted => RunOutcome::Inserted,
            UpsertOutcome::Updated => RunOutcome::Updated,
            UpsertOutcome::Unchanged => RunOutcome::Unchanged,
        }
    }
}

/// The localized label of an enum value whose wire name is `name`: `group.name` in the
/// core's text table, English when the locale has none, the wire name if the table lacks
/// the key (a test keeps that from happening). One copy for every enum: the wire name
/// comes in as text, not through each enum's serde writer (issue 21, size; a test checks
/// every value's name against `wire_name`).
#[inline(never)]
pub(crate) fn label(group: &str, name: &str, locale: &str) -> String {
    talus_core::text::get(&format!("{group}.{name}"), locale)
        .unwrap_or(name)
        .to_owned()
}

/// `label` for a value of an enum whose serde names are `rename_all = "snake_case"` of its
/// variants' Rust names, given that Rust name (`PainCheck` → `pain_check`, as serde writes it).
#[inline(never)]
fn label_of_variant(group: &str, variant: &str, locale: &str) -> String {
    let mut name = String::with_capacity(variant.len() + 4);
    for (i, c) in variant.char_indices() {
        if i > 0 && c.is_uppercase() {
            name.push('_');
        }
        name.push(c.to_ascii_lowercase());
    }
    label(group, &name, locale)
}

/// Converts a count or size from the core to the API's signed integers, saturating.
pub(crate) fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// A dose level as the API numbers it: 1 is a drill's first (easiest) level. The core
/// stores 0-based indices into `Drill.dosage`; every level that crosses the FFI is
/// converted here, so shells show it as it is (ADR 0012).
pub(crate) fn display_level(index: u32) -> i32 {
    int(index).saturating_add(1)
}

/// Seconds from the core as the API's milliseconds.
pub(crate) fn secs_ms(s: u32) -> i64 {
    i64::from(s) * 1000
}

/// The stable snake_case name of an API enum value, as `--json` prints it (`pain_check`).
/// For the Rust shell's JSON and logs; never shown to a runner as a label.
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Parses a stable snake_case name (`band`, `dorsiflexion`) into an API enum value.
pub fn parse_wire_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Side;

    /// The label as it was computed before (the wire name from serde's writer): the oracle.
    fn label_through_serde<T: serde::Serialize>(group: &str, value: &T, locale: &str) -> String {
        let name = wire_name(value);
        talus_core::text::get(&format!("{group}.{name}"), locale).map_or(name, str::to_owned)
    }

    fn same_labels<T: serde::Serialize + std::fmt::Debug>(
        group: &str,
        values: &[T],
        label: impl Fn(&T, String) -> String,
    ) {
        for value in values {
            for locale in ["en", "de", "de-AT", "fr", ""] {
                assert_eq!(
                    label(value, locale.to_owned()),
                    label_through_serde(group, value, locale),
                    "{group} {value:?} in {locale:?}"
                );
            }
        }
    }

    #[test]
    fn every_label_is_the_one_of_its_serde_wire_name() {
        same_labels("step", Step::ALL, Step::label);
        same_labels("variant", PlanVariant::ALL, PlanVariant::label);
        same_labels("outcome", SessionOutcome::ALL, SessionOutcome::label);
        same_labels("answer", ScreeningAnswer::ALL, ScreeningAnswer::label);
        same_labels("safety", SafetyStatus::ALL, SafetyStatus::label);
        same_labels("flag_source", FlagSource::ALL, FlagSource::label);
        same_labels("change", LevelChange::ALL, LevelChange::label);
        same_labels("status", SessionStatus::ALL, SessionStatus::label);
        same_labels("morning", MorningStatus::ALL, MorningStatus::label);
        same_labels("kind", DrillKind::ALL, DrillKind::label);
        same_labels("pain_policy", PainPolicy::ALL, PainPolicy::label);
        same_labels("segment", SegmentKind::ALL, SegmentKind::label);
        same_labels("target", Target::ALL, Target::label);
        same_labels("equipment", Equipment::ALL, Equipment::label);
        same_labels("reminder", ReminderKind::ALL, ReminderKind::label);
        same_labels("run_outcome", RunOutcome::ALL, RunOutcome::label);
        same_labels("side", &[Side::Left, Side::Right], Side::label);
    }

    #[test]
    fn a_name_the_text_table_lacks_is_its_own_label() {
        assert_eq!(label("no_such_group", "pain_check", "de"), "pain_check");
        assert_eq!(
            label_of_variant("no_such_group", "PainCheck", "en"),
            "pain_check"
        );
    }
}
