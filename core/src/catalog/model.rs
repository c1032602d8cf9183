//! Typed shape of the drill catalog: drills, dosage levels, localized text and video
//! metadata, exactly as they are read from `core/catalog/drills.json`.

use serde::{Deserialize, Serialize};

use crate::sorted_map::SortedMap;

/// What a drill works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Dorsiflexion,
    Subtalar,
    Midfoot,
    Calf,
    Soleus,
    Achilles,
    PlantarFascia,
    Hallux,
    Balance,
    Strength,
}

impl Target {
    /// Every target, in declaration order.
    pub const ALL: [Target; 10] = [
        Target::Dorsiflexion,
        Target::Subtalar,
        Target::Midfoot,
        Target::Calf,
        Target::Soleus,
        Target::Achilles,
        Target::PlantarFascia,
        Target::Hallux,
        Target::Balance,
        Target::Strength,
    ];

    /// The stored name of each of [`Target::ALL`] (serde's), for readers by hand.
    pub const NAMES: [&'static str; 10] = [
        "dorsiflexion",
        "subtalar",
        "midfoot",
        "calf",
        "soleus",
        "achilles",
        "plantar_fascia",
        "hallux",
        "balance",
        "strength",
    ];
}

/// What kind of exercise a drill is; decides how it is dosed and which pain policy fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillKind {
    DynamicMobility,
    JointMobilisation,
    StaticStretch,
    SoftTissue,
    Strength,
    Balance,
}

/// Equipment a drill needs. Drills with an empty list need nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Equipment {
    Wall,
    Band,
    Step,
    Chair,
    Backpack,
    Ball,
    Towel,
    Foam,
    Tape,
}

impl Equipment {
    /// Every piece of equipment, in declaration order.
    pub const ALL: [Equipment; 9] = [
        Equipment::Wall,
        Equipment::Band,
        Equipment::Step,
        Equipment::Chair,
        Equipment::Backpack,
        Equipment::Ball,
        Equipment::Towel,
        Equipment::Foam,
        Equipment::Tape,
    ];

    /// The stored name of each of [`Equipment::ALL`] (serde's), for readers by hand.
    pub const NAMES: [&'static str; 9] = [
        "wall", "band", "step", "chair", "backpack", "ball", "towel", "foam", "tape",
    ];
}

/// Whether a drill is done one leg at a time or with both feet together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sides {
    /// Each side separately (unilateral): the runner does every set on both legs.
    Each,
    /// Both feet together.
    Both,
}

/// How in-session pain is judged (DESIGN.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PainPolicy {
    /// Mobilisations and stretches: a stretch sensation only; pain ≥ 3/10 stops the drill
    /// (Mulligan MWM rule, Vicenzino et al. 2011).
    PainFree,
    /// Loading: up to 5/10 during is acceptable, > 5 stops (Silbernagel et al. 2007).
    Monitored,
}

impl PainPolicy {
    /// The highest in-session pain (0–10) this policy accepts; one more stops the drill.
    /// The session runner and the level rules use the same numbers.
    pub const fn max_acceptable_pain(self) -> u8 {
        match self {
            PainPolicy::PainFree => 2,
            PainPolicy::Monitored => 5,
        }
    }
}

/// One dosage level. Exactly one of `reps` and `hold_s` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseLevel {
    pub sets: u32,
    /// Repetitions per set (rep-based drills).
    #[serde(default)]
    pub reps: Option<u32>,
    /// Seconds per hold (hold-based drills).
    #[serde(default)]
    pub hold_s: Option<u32>,
    /// Pause at end range on each rep, seconds.
    #[serde(default)]
    pub end_pause_s: u32,
    /// Approximate seconds one rep takes without the pause (for time estimates).
    #[serde(default = "default_rep_s")]
    pub rep_s: u32,
    /// Rest between sets, seconds.
    pub rest_s: u32,
    /// Extra load, e.g. "backpack ~5 kg"; localized text lives in the drill's `load_notes`.
    #[serde(default)]
    pub load_kg: Option<u32>,
}

fn default_rep_s() -> u32 {
    2
}

/// The named parts of a drill's clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    Intro,
    Demo,
    RepLoop,
    CommonMistake,
}

/// When a cue should be spoken inside a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CueMark {
    /// Milliseconds from the start of the clip.
    pub at_ms: u32,
    /// Index into the drill's cue list.
    pub cue: u32,
}

/// A named part of a drill's clip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub kind: SegmentKind,
    pub start_ms: u32,
    pub end_ms: u32,
    #[serde(default)]
    pub cues: Vec<CueMark>,
}

/// Video metadata for a drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    /// Asset id the shells resolve to a bundled or downloaded clip.
    pub asset_id: String,
    pub duration_ms: u32,
    /// Frame used as the poster image.
    pub poster_ms: u32,
    /// Whether the clip can be mirrored to show the other side.
    pub mirrorable: bool,
    pub segments: Vec<Segment>,
}

/// Text of a drill in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillText {
    pub name: String,
    pub description: String,
    /// 3–4 short cues, written to be spoken.
    pub cues: Vec<String>,
    pub cautions: Vec<String>,
}

/// One drill of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drill {
    /// Stable id, snake_case; never reused for a different drill.
    pub id: String,
    /// Name of the progression chain the drill belongs to (e.g. `dorsiflexion`).
    pub chain: String,
    /// Text per locale; `en` is required and is the fallback.
    pub text: SortedMap<String, DrillText>,
    /// Primary target first.
    pub targets: Vec<Target>,
    pub kind: DrillKind,
    pub equipment: Vec<Equipment>,
    pub sides: Sides,
    /// Dosage levels, easiest first; a runner's level indexes this list.
    pub dosage: Vec<DoseLevel>,
    pub pain_policy: PainPolicy,
    /// The next harder drill in the chain.
    #[serde(default)]
    pub progression: Option<String>,
    /// The next easier drill in the chain.
    #[serde(default)]
    pub regression: Option<String>,
    pub video: Video,
    /// Sources the drill's rules rest on, by author and year.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A drill deliberately outside any chain (a chain of one level).
    #[serde(default)]
    pub standalone: bool,
}

impl Drill {
    /// Text in `locale`, falling back to the language part (`de-AT` → `de`) and then `en`.
    pub fn text(&self, locale: &str) -> Option<&DrillText> {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        self.text
            .get(locale)
            .or_else(|| self.text.get(language))
            .or_else(|| self.text.get("en"))
    }

    /// The dosage at `level`, clamped to the highest level the drill has.
    pub fn dose(&self, level: u32) -> Option<&DoseLevel> {
        let last = self.dosage.len().checked_sub(1)?;
        self.dosage.get((level as usize).min(last))
    }

    /// The segment of the given kind, if the clip has one.
    pub fn segment(&self, kind: SegmentKind) -> Option<&Segment> {
        self.video.segments.iter().find(|s| s.kind == kind)
    }
}

/// Text of an assessment in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentText {
    pub name: String,
    pub description: String,
    /// Numbered steps a runner follows.
    pub steps: Vec<String>,
    pub cautions: Vec<String>,
}

/// A test the runner performs (e.g. knee-to-wall), not a drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub text: SortedMap<String, AssessmentText>,
    pub targets: Vec<Target>,
    pub equipment: Vec<Equipment>,
    /// Unit of the result (`cm`).
    pub unit: String,
    pub video: Video,
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Assessment {
    /// Text in `locale` with the same fallback as [`Drill::text`].
    pub fn text(&self, locale: &str) -> Option<&AssessmentText> {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        self.text
            .get(locale)
            .or_else(|| self.text.get(language))
            .or_else(|| self.text.get("en"))
    }
}

/// The whole catalog file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogFile {
    /// Bumped whenever drill content changes; recorded in backups.
    pub version: u32,
    pub drills: Vec<Drill>,
    pub assessments: Vec<Assessment>,
}
