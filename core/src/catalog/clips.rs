//! Drill clips as data: the motion keyframes the clip renderer draws from
//! (`core/catalog/motions.json`), the manifest a rendered pack ships with, and the rules
//! both must meet against the catalog (every asset has motion and a clip, segment lengths
//! equal the catalog's to the frame, the rep loop closes on its first pose).
//!
//! The renderer (`clips/`, never linked into the phone library) and the shells read the
//! same types, so a pack that passes [`validate_manifest`] always matches the catalog the
//! app runs with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{CatalogFile, SegmentKind, Video};
use super::Catalog;
use crate::json::tree::{need, Json};
use crate::sorted_map::SortedMap;

/// The motion data embedded beside the catalog.
pub const EMBEDDED_MOTIONS_JSON: &str = include_str!("../../catalog/motions.json");

/// Errors from reading or checking motion data or a clip manifest.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClipsError {
    /// The file is not valid JSON of the expected shape.
    #[error("clip data cannot be parsed: {0}")]
    Parse(String),
    /// The file parsed but breaks one or more rules; every problem is listed.
    #[error("clip data is invalid: {} problem(s): {}", .0.len(), ClipProblem::join(.0))]
    Invalid(Vec<ClipProblem>),
    /// No clip exists for this asset id.
    #[error("no clip for asset {0:?}")]
    UnknownAsset(String),
}

/// One broken rule in motion data or a manifest, with the asset it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipProblem {
    /// Asset id (or `motions` / `manifest` for file-level problems).
    pub asset: String,
    /// Stable machine-readable code, e.g. `segment_length`.
    pub code: String,
    pub detail: String,
}

impl ClipProblem {
    /// Joins problems into one line for error messages.
    pub fn join(problems: &[ClipProblem]) -> String {
        problems
            .iter()
            .map(|p| format!("{}: {} ({})", p.asset, p.code, p.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Where the camera stands relative to the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Camera {
    /// From the working leg's side: ankle bend, knee travel, heel lift.
    Side,
    /// From behind: the heel rolling in and out, knee caving in.
    Rear,
    /// From the front.
    Front,
}

/// A leg, as the clip shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    Left,
    Right,
}

/// How the figure is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Weight on the working foot; the other foot planted or free.
    Standing,
    /// On a chair; both feet placed or held.
    Seated,
}

/// Things drawn around the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropKind {
    Wall,
    Step,
    /// A loop band anchored low behind the working ankle.
    Band,
    Ball,
    Towel,
    Chair,
    Foam,
    Tape,
    Backpack,
    /// A handrail beside a step.
    Rail,
}

/// Where the hands rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hands {
    /// Arms follow `arm_flex` / `elbow_flex`.
    #[default]
    Free,
    /// Palms or fingertips on the wall prop.
    Wall,
    /// One hand on the rail prop.
    Rail,
    /// Hands on the knees (seated).
    Knees,
    /// A hand around the working foot's toes (follows `hand_on_toes`).
    Toes,
}

/// What part of the scene fills the picture: a point (in the camera's picture plane, cm)
/// at the centre and the width shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    pub center_x: f32,
    pub center_y: f32,
    /// Centimetres across the picture.
    pub span: f32,
}

/// A prop and where it stands, in centimetres from the working heel (x forward, y up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prop {
    pub kind: PropKind,
    #[serde(default)]
    pub x: f32,
    #[serde(default)]
    pub y: f32,
}

/// A joint or body part the clip points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Joint {
    Ankle,
    Heel,
    Knee,
    Hip,
    Toes,
    BigToe,
    Arch,
    Band,
    OtherFoot,
    OtherKnee,
    Trunk,
}

/// A keyframed quantity. Angles are degrees, lengths centimetres, the rest 0–1.
/// Unprefixed channels belong to the working leg (the one the clip shows), `o_` ones to the
/// other leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Foot pitch about the ball of the foot; negative lowers the heel below it (step edge).
    HeelLift,
    /// Ankle bend: + dorsiflexion (shin over toes), − plantarflexion.
    AnkleDf,
    /// Heel roll: + inversion (rolls out), − eversion (rolls in).
    AnkleInv,
    KneeFlex,
    /// Knee drifting inward (valgus), a common fault.
    KneeIn,
    HipFlex,
    /// + abduction (out), − adduction (across the body).
    HipAbd,
    /// Lesser toes: + extension (lifted).
    ToeExt,
    /// Big toe: + extension (lifted).
    BigToeExt,
    /// Arch doming (short foot), 0 relaxed … 1 domed.
    ArchDome,
    /// Working foot position: heel x and support height.
    FootX,
    FootY,
    OHeelLift,
    OAnkleDf,
    /// Other foot's heel roll, as `ankle_inv`.
    OAnkleInv,
    OKneeFlex,
    OHipFlex,
    OHipAbd,
    OToeExt,
    /// Other foot placement when planted (heel x, support height, lateral offset).
    OFootX,
    OFootY,
    /// 1: the other foot stands where `o_foot_*` put it; 0: it hangs from the hip angles.
    OPlanted,
    /// Trunk lean from vertical, + forward.
    TrunkLean,
    /// Trunk lean sideways, + towards the working leg.
    TrunkSide,
    /// Arm raise forward from hanging.
    ArmFlex,
    ElbowFlex,
    /// Seat height (seated stance).
    SeatY,
    /// Band attachment height above the support (cm): low on the ankle is right.
    BandY,
    /// Working leg planted on its foot placement when seated (1) or hanging from the hip
    /// angles (0).
    Planted,
    /// Hand pulling the toes back (0 off … 1 holding).
    HandOnToes,
    /// Eyes closed (balance drills), 0 or 1.
    EyesClosed,
    /// Seated: the working ankle rests across the other knee (1) or not (0).
    Cross,
}

impl Channel {
    /// Every channel, in file order.
    pub const ALL: [Channel; 32] = [
        Channel::HeelLift,
        Channel::AnkleDf,
        Channel::AnkleInv,
        Channel::KneeFlex,
        Channel::KneeIn,
        Channel::HipFlex,
        Channel::HipAbd,
        Channel::ToeExt,
        Channel::BigToeExt,
        Channel::ArchDome,
        Channel::FootX,
        Channel::FootY,
        Channel::OHeelLift,
        Channel::OAnkleDf,
        Channel::OAnkleInv,
        Channel::OKneeFlex,
        Channel::OHipFlex,
        Channel::OHipAbd,
        Channel::OToeExt,
        Channel::OFootX,
        Channel::OFootY,
        Channel::OPlanted,
        Channel::TrunkLean,
        Channel::TrunkSide,
        Channel::ArmFlex,
        Channel::ElbowFlex,
        Channel::SeatY,
        Channel::BandY,
        Channel::Planted,
        Channel::HandOnToes,
        Channel::EyesClosed,
        Channel::Cross,
    ];

    /// Inclusive range a value must lie in: beyond it the number is a typo, not a pose a
    /// runner's body makes.
    pub fn range(self) -> (f32, f32) {
        use Channel::*;
        match self {
            HeelLift | OHeelLift => (-30.0, 60.0),
            AnkleDf | OAnkleDf => (-50.0, 45.0),
            AnkleInv | OAnkleInv => (-25.0, 30.0),
            KneeFlex | OKneeFlex => (0.0, 140.0),
            KneeIn => (-15.0, 25.0),
            HipFlex | OHipFlex => (-40.0, 130.0),
            HipAbd | OHipAbd => (-45.0, 50.0),
            ToeExt | BigToeExt | OToeExt => (-30.0, 70.0),
            FootX | OFootX => (-150.0, 150.0),
            FootY | OFootY | SeatY | BandY => (0.0, 80.0),
            TrunkLean => (-20.0, 90.0),
            TrunkSide => (-25.0, 25.0),
            ArmFlex => (-30.0, 180.0),
            ElbowFlex => (0.0, 150.0),
            ArchDome | OPlanted | Planted | HandOnToes | EyesClosed | Cross => (0.0, 1.0),
        }
    }
}

/// A pose: values for some channels (the rest come from the motion's base pose).
pub type Pose = BTreeMap<Channel, f32>;

/// One keyframe: a pose at a time from the segment's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyframe {
    pub at_ms: u32,
    #[serde(default)]
    pub pose: Pose,
}

/// The motion of one clip segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionSegment {
    pub kind: SegmentKind,
    /// Length in milliseconds; equals the catalog segment's to the frame.
    pub length_ms: u32,
    /// The moving joint the demo points at.
    #[serde(default)]
    pub highlight: Option<Joint>,
    /// Where the common mistake shows its fault.
    #[serde(default)]
    pub fault: Option<Joint>,
    pub keys: Vec<Keyframe>,
}

/// The motion of one clip: staging plus keyframes per segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Motion {
    pub asset_id: String,
    pub camera: Camera,
    /// The leg the clip shows working; mirroring shows the other.
    pub shown_leg: Leg,
    pub stance: Stance,
    #[serde(default)]
    pub hands: Hands,
    pub framing: Framing,
    #[serde(default)]
    pub props: Vec<Prop>,
    /// Values every keyframe starts from.
    #[serde(default)]
    pub base: Pose,
    pub segments: Vec<MotionSegment>,
}

/// The whole motion file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionFile {
    pub version: u32,
    /// Frames per second the clips are rendered at; segment lengths are compared in frames.
    pub fps: u32,
    pub motions: Vec<Motion>,
}

impl MotionFile {
    /// Parses a motion file (shape only; see [`validate_motions`]).
    pub fn from_json(json: &str) -> Result<MotionFile, ClipsError> {
        crate::json::from_text(json).map_err(|e| ClipsError::Parse(e.to_string()))
    }

    /// Parses and validates motion data against a catalog.
    pub fn load(json: &str, catalog: &CatalogFile) -> Result<MotionFile, ClipsError> {
        let file = MotionFile::from_json(json)?;
        let problems = validate_motions(&file, catalog);
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(ClipsError::Invalid(problems))
        }
    }

    /// The motion for an asset.
    pub fn motion(&self, asset_id: &str) -> Result<&Motion, ClipsError> {
        self.motions
            .iter()
            .find(|m| m.asset_id == asset_id)
            .ok_or_else(|| ClipsError::UnknownAsset(asset_id.chars().take(64).collect()))
    }
}

impl Motion {
    /// The pose of a keyframe: the base overlaid with the key's values.
    pub fn key_pose(&self, key: &Keyframe) -> Pose {
        let mut pose = self.base.clone();
        pose.extend(key.pose.iter().map(|(c, v)| (*c, *v)));
        pose
    }

    /// The pose `t_ms` into segment `segment` (clamped to the segment), eased between
    /// keyframes so movement starts and stops softly. `None` if the segment does not exist
    /// or has no keys.
    pub fn pose_at(&self, segment: usize, t_ms: u32) -> Option<Pose> {
        let seg = self.segments.get(segment)?;
        let first = seg.keys.first()?;
        let next_index = seg.keys.iter().position(|k| k.at_ms > t_ms);
        let (a, b) = match next_index {
            None => {
                let last = seg.keys.last()?;
                return Some(self.key_pose(last));
            }
            Some(0) => return Some(self.key_pose(first)),
            Some(i) => (seg.keys.get(i - 1)?, seg.keys.get(i)?),
        };
        let span = (b.at_ms - a.at_ms) as f32;
        let linear = if span > 0.0 {
            (t_ms.saturating_sub(a.at_ms)) as f32 / span
        } else {
            1.0
        };
        let s = linear * linear * (3.0 - 2.0 * linear);
        let pa = self.key_pose(a);
        let pb = self.key_pose(b);
        let mut out = Pose::new();
        for c in pa.keys().chain(pb.keys()) {
            let va = pa.get(c).copied().unwrap_or(0.0);
            let vb = pb.get(c).copied().unwrap_or(0.0);
            out.insert(*c, va + (vb - va) * s);
        }
        Some(out)
    }
}

/// The MP4 file name of an asset inside a clip pack; the renderer writes it and the
/// session's play effect names it.
pub fn clip_file_name(asset_id: &str) -> String {
    format!("{asset_id}.mp4")
}

/// Whether two poses put every channel in the same place (an absent channel is 0).
pub fn same_pose(a: &Pose, b: &Pose) -> bool {
    a.keys()
        .chain(b.keys())
        .all(|c| a.get(c).copied().unwrap_or(0.0) == b.get(c).copied().unwrap_or(0.0))
}

/// The frame a time falls on at `fps` (rounded to the nearest frame).
pub fn frame_of(ms: u32, fps: u32) -> u64 {
    (u64::from(ms) * u64::from(fps) + 500) / 1000
}

/// Every catalog video, with the id of the drill or assessment it belongs to.
pub fn catalog_videos(catalog: &CatalogFile) -> Vec<(&str, &Video)> {
    catalog
        .drills
        .iter()
        .map(|d| (d.id.as_str(), &d.video))
        .chain(
            catalog
                .assessments
                .iter()
                .map(|a| (a.id.as_str(), &a.video)),
        )
        .collect()
}

struct Problems(Vec<ClipProblem>);

impl Problems {
    fn add(&mut self, asset: &str, code: &str, detail: impl Into<String>) {
        self.0.push(ClipProblem {
            asset: asset.chars().take(64).collect(),
            code: code.to_string(),
            detail: detail.into(),
        });
    }
}

/// Checks motion data against the catalog and returns every problem (empty when valid).
pub fn validate_motions(file: &MotionFile, catalog: &CatalogFile) -> Vec<ClipProblem> {
    let mut p = Problems(Vec::new());
    if !(1..=60).contains(&file.fps) {
        p.add(
            "motions",
            "fps",
            format!("{} fps is outside 1–60", file.fps),
        );
        return p.0;
    }
    let videos = catalog_videos(catalog);
    // Asset ids seen so far (a few dozen: a scan, not a set of its own in the phone library).
    let mut seen: Vec<&str> = Vec::new();
    for m in &file.motions {
        if seen.contains(&m.asset_id.as_str()) {
            p.add(&m.asset_id, "duplicate_motion", "the asset has two motions");
        } else {
            seen.push(&m.asset_id);
        }
        if !videos.iter().any(|(_, v)| v.asset_id == m.asset_id) {
            p.add(
                &m.asset_id,
                "unknown_asset",
                "no catalog video has this asset id",
            );
        }
    }
    for (_, video) in &videos {
        match file.motions.iter().find(|m| m.asset_id == video.asset_id) {
            None => p.add(&video.asset_id, "missing_motion", "the asset has no motion"),
            Some(m) => check_motion(&mut p, m, video, file.fps),
        }
    }
    p.0
}

fn check_values(p: &mut Problems, asset: &str, what: &str, pose: &Pose) {
    for (c, v) in pose {
        let (lo, hi) = c.range();
        if !v.is_finite() || *v < lo || *v > hi {
            p.add(
                asset,
                "value_range",
                format!("{what}: {c:?} = {v} is outside {lo}…{hi}"),
            );
        }
    }
}

/// The leg every clip shows: the session mirrors a mirrorable clip for the left side.
pub const SHOWN_LEG: Leg = Leg::Right;

fn check_motion(p: &mut Problems, m: &Motion, video: &Video, fps: u32) {
    let id = m.asset_id.as_str();
    if m.shown_leg != SHOWN_LEG {
        p.add(
            id,
            "shown_leg",
            "clips show the right leg; the session mirrors them for the left",
        );
    }
    check_values(p, id, "base", &m.base);
    let kinds: Vec<SegmentKind> = m.segments.iter().map(|s| s.kind).collect();
    let wanted: Vec<SegmentKind> = video.segments.iter().map(|s| s.kind).collect();
    if kinds != wanted {
        p.add(
            id,
            "segment_kinds",
            format!("motion has {kinds:?}, the catalog {wanted:?}"),
        );
        return;
    }
    for (seg, cat) in m.segments.iter().zip(&video.segments) {
        let what = format!("{:?}", seg.kind);
        let want_frames = frame_of(cat.end_ms, fps).saturating_sub(frame_of(cat.start_ms, fps));
        let have_frames = frame_of(seg.length_ms, fps);
        if want_frames != have_frames {
            p.add(
                id,
                "segment_length",
                format!("{what}: {have_frames} frames, the catalog has {want_frames}"),
            );
        }
        let (Some(first), Some(last)) = (seg.keys.first(), seg.keys.last()) else {
            p.add(id, "no_keys", format!("{what} has no keyframes"));
            continue;
        };
        if first.at_ms != 0 || last.at_ms != seg.length_ms {
            p.add(
                id,
                "key_span",
                format!(
                    "{what}: keys must start at 0 and end at {} ms",
                    seg.length_ms
                ),
            );
        }
        if seg.keys.windows(2).any(|w| match w {
            [a, b] => a.at_ms >= b.at_ms,
            _ => false,
        }) {
            p.add(id, "key_order", format!("{what}: key times must increase"));
        }
        for k in &seg.keys {
            check_values(p, id, &format!("{what} at {} ms", k.at_ms), &k.pose);
        }
        if seg.kind == SegmentKind::RepLoop && !same_pose(&m.key_pose(first), &m.key_pose(last)) {
            p.add(
                id,
                "loop_jump",
                "the rep loop must end on the pose it starts with",
            );
        }
        if seg.kind == SegmentKind::Demo && seg.highlight.is_none() {
            p.add(
                id,
                "no_highlight",
                "the demo must point at its moving joint",
            );
        }
        if seg.kind == SegmentKind::CommonMistake && seg.fault.is_none() {
            p.add(id, "no_fault", "the common mistake must mark its fault");
        }
    }
}

/// One segment of a rendered clip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSegment {
    pub kind: SegmentKind,
    pub start_ms: u32,
    pub end_ms: u32,
    /// Presentation time of the IDR keyframe the segment starts on.
    pub keyframe_ms: u32,
}

/// One rendered clip in a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub asset_id: String,
    /// MP4 file name inside the pack directory.
    pub file: String,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the MP4 file.
    pub sha256: String,
    pub duration_ms: u32,
    pub fps: u32,
    pub width: u32,
    pub height: u32,
    pub camera: Camera,
    /// Whether a player may mirror the clip to show the other leg.
    pub mirrorable: bool,
    /// The leg the clip shows working.
    pub shown_leg: Leg,
    pub segments: Vec<ManifestSegment>,
    /// WebVTT caption file name per locale.
    pub captions: SortedMap<String, String>,
    /// Poster PNG file name (the frame at the catalog's `poster_ms`).
    pub poster: String,
}

impl ManifestEntry {
    /// One clip of a manifest, read as serde reads it (ADR 0026).
    fn from_tree(json: &Json) -> Option<ManifestEntry> {
        let [asset_id, file, bytes, sha256, duration_ms, fps, width, height, camera, mirrorable, shown_leg, segments, captions, poster] =
            json.fields([
                "asset_id",
                "file",
                "bytes",
                "sha256",
                "duration_ms",
                "fps",
                "width",
                "height",
                "camera",
                "mirrorable",
                "shown_leg",
                "segments",
                "captions",
                "poster",
            ])?;
        Some(ManifestEntry {
            asset_id: need(asset_id, Json::string)?,
            file: need(file, Json::string)?,
            bytes: need(bytes, Json::u64)?,
            sha256: need(sha256, Json::string)?,
            duration_ms: need(duration_ms, Json::u32)?,
            fps: need(fps, Json::u32)?,
            width: need(width, Json::u32)?,
            height: need(height, Json::u32)?,
            camera: match need(camera, Json::unit_variant)? {
                "side" => Camera::Side,
                "rear" => Camera::Rear,
                "front" => Camera::Front,
                _ => return None,
            },
            mirrorable: need(mirrorable, Json::bool)?,
            shown_leg: match need(shown_leg, Json::unit_variant)? {
                "left" => Leg::Left,
                "right" => Leg::Right,
                _ => return None,
            },
            segments: need(segments, |list| list.list(ManifestSegment::from_tree))?,
            captions: need(captions, |map| {
                let mut captions = SortedMap::new();
                for (locale, file) in map.entries()? {
                    captions.insert(locale.clone(), file.string()?);
                }
                Some(captions)
            })?,
            poster: need(poster, Json::string)?,
        })
    }
}

impl ManifestSegment {
    /// One segment of a manifest's clip, read as serde reads it (ADR 0026).
    fn from_tree(json: &Json) -> Option<ManifestSegment> {
        let [kind, start_ms, end_ms, keyframe_ms] =
            json.fields(["kind", "start_ms", "end_ms", "keyframe_ms"])?;
        Some(ManifestSegment {
            kind: match need(kind, Json::unit_variant)? {
                "intro" => SegmentKind::Intro,
                "demo" => SegmentKind::Demo,
                "rep_loop" => SegmentKind::RepLoop,
                "common_mistake" => SegmentKind::CommonMistake,
                _ => return None,
            },
            start_ms: need(start_ms, Json::u32)?,
            end_ms: need(end_ms, Json::u32)?,
            keyframe_ms: need(keyframe_ms, Json::u32)?,
        })
    }
}

/// The manifest of a rendered pack (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipManifest {
    pub version: u32,
    /// Catalog content version the pack was rendered from.
    pub catalog_version: u32,
    pub clips: Vec<ManifestEntry>,
}

impl ClipManifest {
    /// Parses a manifest (shape only; see [`validate_manifest`]). Strict as serde's derived
    /// reader of the type, which it replaces in the library (code size, ADR 0026): the same
    /// manifest, and refused exactly where that reader refuses the text (a missing field, a
    /// field given twice, a wrong type or variant; unknown fields are ignored), with the
    /// parser's message for text that is not JSON.
    pub fn from_json(json: &str) -> Result<ClipManifest, ClipsError> {
        let tree = crate::json::tree::parse(json).map_err(|e| ClipsError::Parse(e.to_string()))?;
        ClipManifest::from_tree(&tree).ok_or_else(|| {
            ClipsError::Parse(
                "not a clip manifest: a field is missing, given twice or of the wrong type".into(),
            )
        })
    }

    /// The manifest in a parsed tree, read as serde reads the text (`None` where it refuses).
    fn from_tree(json: &Json) -> Option<ClipManifest> {
        let [version, catalog_version, clips] =
            json.fields(["version", "catalog_version", "clips"])?;
        Some(ClipManifest {
            version: need(version, Json::u32)?,
            catalog_version: need(catalog_version, Json::u32)?,
            clips: need(clips, |list| list.list(ManifestEntry::from_tree))?,
        })
    }

    /// The entry for an asset.
    pub fn entry(&self, asset_id: &str) -> Result<&ManifestEntry, ClipsError> {
        self.clips
            .iter()
            .find(|c| c.asset_id == asset_id)
            .ok_or_else(|| ClipsError::UnknownAsset(asset_id.chars().take(64).collect()))
    }
}

impl ClipManifest {
    /// A manifest that passes [`validate_manifest`] against `catalog`: every video with its
    /// duration, segments (keyframes at their starts), mirroring and a caption file per
    /// locale, under the pack's file names; bytes and hashes are placeholders. For tests of
    /// the manifest's consumers (core, API, shells), which edit it to break one rule.
    #[doc(hidden)]
    pub fn matching_catalog(catalog: &CatalogFile) -> ClipManifest {
        let clips = catalog_videos(catalog)
            .into_iter()
            .map(|(item, v)| ManifestEntry {
                asset_id: v.asset_id.clone(),
                file: clip_file_name(&v.asset_id),
                bytes: 1000,
                sha256: "ab".repeat(32),
                duration_ms: v.duration_ms,
                fps: 30,
                width: 720,
                height: 720,
                camera: Camera::Side,
                mirrorable: v.mirrorable,
                shown_leg: Leg::Right,
                segments: v
                    .segments
                    .iter()
                    .map(|s| ManifestSegment {
                        kind: s.kind,
                        start_ms: s.start_ms,
                        end_ms: s.end_ms,
                        keyframe_ms: s.start_ms,
                    })
                    .collect(),
                captions: catalog_locales(catalog, item)
                    .into_iter()
                    .map(|l| {
                        let file = format!("{}.{l}.vtt", v.asset_id);
                        (l, file)
                    })
                    .collect(),
                poster: format!("{}.png", v.asset_id),
            })
            .collect();
        ClipManifest {
            version: 1,
            catalog_version: catalog.version,
            clips,
        }
    }
}

impl Catalog {
    /// Parses a clip pack's `manifest.json` and checks it against this catalog; on failure
    /// lists every problem.
    pub fn check_clip_manifest(&self, json: &str) -> Result<ClipManifest, ClipsError> {
        let manifest = ClipManifest::from_json(json)?;
        let problems = validate_manifest(&manifest, &self.file);
        if problems.is_empty() {
            Ok(manifest)
        } else {
            Err(ClipsError::Invalid(problems))
        }
    }

    /// The drill or assessment id whose clip is `asset_id`.
    pub fn item_for_asset(&self, asset_id: &str) -> Option<&str> {
        catalog_videos(&self.file)
            .into_iter()
            .find(|(_, v)| v.asset_id == asset_id)
            .map(|(id, _)| id)
    }

    /// The clip asset id of a drill or assessment.
    pub fn asset_for_item(&self, item_id: &str) -> Option<&str> {
        catalog_videos(&self.file)
            .into_iter()
            .find(|(id, _)| *id == item_id)
            .map(|(_, v)| v.asset_id.as_str())
    }
}

/// A file name a pack may contain: one plain component, no path tricks.
fn safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks a manifest against the catalog: every asset present once, durations, segments
/// and mirroring equal, keyframes at segment starts (within a frame), captions for every
/// catalog locale, safe file names. Returns every problem (empty when valid).
pub fn validate_manifest(manifest: &ClipManifest, catalog: &CatalogFile) -> Vec<ClipProblem> {
    let mut p = Problems(Vec::new());
    let videos = catalog_videos(catalog);
    // Asset ids seen so far (a few dozen: a scan, not a set of its own in the phone library).
    let mut seen: Vec<&str> = Vec::new();
    for c in &manifest.clips {
        if seen.contains(&c.asset_id.as_str()) {
            p.add(&c.asset_id, "duplicate_clip", "the asset is listed twice");
        } else {
            seen.push(&c.asset_id);
        }
        if !videos.iter().any(|(_, v)| v.asset_id == c.asset_id) {
            p.add(
                &c.asset_id,
                "unknown_asset",
                "no catalog video has this asset id",
            );
        }
    }
    for (item, video) in &videos {
        let Some(c) = manifest.clips.iter().find(|c| c.asset_id == video.asset_id) else {
            p.add(
                &video.asset_id,
                "missing_clip",
                "the pack has no clip for it",
            );
            continue;
        };
        check_entry(&mut p, c, video, &catalog_locales(catalog, item));
    }
    p.0
}

fn catalog_locales(catalog: &CatalogFile, item: &str) -> Vec<String> {
    catalog
        .drills
        .iter()
        .find(|d| d.id == item)
        .map(|d| d.text.keys().cloned().collect())
        .or_else(|| {
            catalog
                .assessments
                .iter()
                .find(|a| a.id == item)
                .map(|a| a.text.keys().cloned().collect())
        })
        .unwrap_or_default()
}

fn check_entry(p: &mut Problems, c: &ManifestEntry, video: &Video, locales: &[String]) {
    let id = c.asset_id.as_str();
    if c.duration_ms != video.duration_ms {
        p.add(
            id,
            "duration",
            format!(
                "{} ms, the catalog says {}",
                c.duration_ms, video.duration_ms
            ),
        );
    }
    if c.mirrorable != video.mirrorable {
        p.add(id, "mirrorable", "differs from the catalog");
    }
    if !(1..=60).contains(&c.fps) || c.width == 0 || c.height == 0 {
        p.add(
            id,
            "format",
            format!("{}×{} at {} fps", c.width, c.height, c.fps),
        );
    }
    let same = c.segments.len() == video.segments.len()
        && c.segments
            .iter()
            .zip(&video.segments)
            .all(|(m, s)| m.kind == s.kind && m.start_ms == s.start_ms && m.end_ms == s.end_ms);
    if !same {
        p.add(id, "segments", "segments differ from the catalog");
    }
    let frame_ms = 1000 / c.fps.max(1);
    for s in &c.segments {
        if s.keyframe_ms.abs_diff(s.start_ms) > frame_ms {
            p.add(
                id,
                "keyframe",
                format!(
                    "{:?} starts at {} ms but its keyframe is at {} ms",
                    s.kind, s.start_ms, s.keyframe_ms
                ),
            );
        }
    }
    if c.sha256.len() != 64
        || !c
            .sha256
            .chars()
            .all(|ch| matches!(ch, '0'..='9' | 'a'..='f'))
    {
        p.add(id, "sha256", "not 64 lower-case hex digits");
    }
    if c.bytes == 0 {
        p.add(id, "bytes", "the clip is empty");
    }
    for name in std::iter::once(&c.file)
        .chain(std::iter::once(&c.poster))
        .chain(c.captions.values())
    {
        if !safe_file_name(name) {
            p.add(
                id,
                "file_name",
                format!("{name:?} is not a plain file name"),
            );
        }
    }
    for l in locales {
        if !c.captions.contains_key(l) {
            p.add(id, "captions", format!("no captions for {l}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, EMBEDDED_CATALOG_JSON};

    fn catalog() -> CatalogFile {
        serde_json::from_str(EMBEDDED_CATALOG_JSON).unwrap()
    }

    fn motions() -> MotionFile {
        MotionFile::from_json(EMBEDDED_MOTIONS_JSON).unwrap()
    }

    fn codes(problems: &[ClipProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn embedded_motions_cover_every_catalog_video() {
        let problems = validate_motions(&motions(), &catalog());
        assert!(problems.is_empty(), "{}", ClipProblem::join(&problems));
        assert_eq!(motions().motions.len(), catalog_videos(&catalog()).len());
    }

    #[test]
    fn a_missing_motion_and_a_stray_one_are_reported() {
        let mut file = motions();
        let removed = file.motions.remove(0).asset_id;
        let mut stray = file.motions[0].clone();
        stray.asset_id = "no-such-clip".into();
        file.motions.push(stray);
        let problems = validate_motions(&file, &catalog());
        assert!(problems
            .iter()
            .any(|p| p.code == "missing_motion" && p.asset == removed));
        assert!(problems
            .iter()
            .any(|p| p.code == "unknown_asset" && p.asset == "no-such-clip"));
    }

    #[test]
    fn a_segment_one_frame_short_is_reported() {
        let mut file = motions();
        let seg = &mut file.motions[0].segments[1];
        seg.length_ms -= 34;
        let problems = validate_motions(&file, &catalog());
        assert!(codes(&problems).contains(&"segment_length"), "{problems:?}");
        assert!(codes(&problems).contains(&"key_span"), "{problems:?}");
    }

    #[test]
    fn a_loop_that_ends_elsewhere_is_reported() {
        let mut file = motions();
        let m = &mut file.motions[0];
        let seg = m
            .segments
            .iter_mut()
            .find(|s| s.kind == SegmentKind::RepLoop)
            .unwrap();
        let last = seg.keys.last_mut().unwrap();
        last.pose.insert(Channel::KneeFlex, 77.0);
        assert_eq!(
            codes(&validate_motions(&file, &catalog())),
            vec!["loop_jump"]
        );
    }

    #[test]
    fn out_of_range_and_unordered_keys_are_reported() {
        let mut file = motions();
        let seg = &mut file.motions[1].segments[0];
        seg.keys[0].pose.insert(Channel::AnkleDf, f32::NAN);
        seg.keys.swap(0, 1);
        let c = validate_motions(&file, &catalog());
        assert!(codes(&c).contains(&"value_range"), "{c:?}");
        assert!(codes(&c).contains(&"key_order"), "{c:?}");
    }

    #[test]
    fn unknown_channels_fail_to_parse() {
        let json = r#"{"version":1,"fps":30,"motions":[{"asset_id":"a","camera":"side",
            "shown_leg":"left","stance":"standing",
            "framing":{"center_x":0,"center_y":90,"span":220},"base":{"elbow_twist":3},"segments":[]}]}"#;
        assert!(matches!(
            MotionFile::from_json(json),
            Err(ClipsError::Parse(_))
        ));
    }

    #[test]
    fn poses_ease_between_keys_and_hold_at_the_ends() {
        let m = &motions().motions[0];
        let seg = &m.segments[0];
        let end = seg.length_ms;
        assert_eq!(m.pose_at(0, 0), Some(m.key_pose(&seg.keys[0])));
        assert_eq!(
            m.pose_at(0, end + 5000),
            Some(m.key_pose(seg.keys.last().unwrap()))
        );
        assert_eq!(m.pose_at(99, 0), None);
    }

    #[test]
    fn the_catalog_checks_a_manifest_and_maps_assets_to_drills() {
        let cat = Catalog::embedded().unwrap();
        let json = serde_json::to_string(&ClipManifest::matching_catalog(&catalog())).unwrap();
        assert_eq!(cat.check_clip_manifest(&json).unwrap().clips.len(), 25);
        assert_eq!(cat.item_for_asset("banded-df"), Some("banded_df_mob"));
        assert_eq!(
            cat.asset_for_item("assess_knee_to_wall"),
            Some("knee-to-wall")
        );
        assert!(matches!(
            cat.check_clip_manifest("{\"version\": 1}"),
            Err(ClipsError::Parse(_))
        ));
        let mut short = ClipManifest::matching_catalog(&catalog());
        short.clips.pop();
        let json = serde_json::to_string(&short).unwrap();
        assert!(matches!(
            cat.check_clip_manifest(&json),
            Err(ClipsError::Invalid(p)) if p.len() == 1
        ));
    }

    #[test]
    fn a_manifest_matching_the_catalog_passes() {
        let cat = catalog();
        let problems = validate_manifest(&ClipManifest::matching_catalog(&cat), &cat);
        assert!(problems.is_empty(), "{}", ClipProblem::join(&problems));
    }

    #[test]
    fn manifest_drift_from_the_catalog_is_reported() {
        let cat = catalog();
        let mut m = ClipManifest::matching_catalog(&cat);
        let dropped = m.clips.remove(3).asset_id;
        m.clips[0].duration_ms += 1;
        m.clips[1].segments[1].end_ms += 1000;
        m.clips[2].segments[2].keyframe_ms += 100;
        m.clips[4].captions.remove("de");
        m.clips[5].file = "../etc/passwd".into();
        m.clips[6].sha256 = "XYZ".into();
        m.clips[7].mirrorable = !m.clips[7].mirrorable;
        let problems = validate_manifest(&m, &cat);
        let c = codes(&problems);
        for code in [
            "missing_clip",
            "duration",
            "segments",
            "keyframe",
            "captions",
            "file_name",
            "sha256",
            "mirrorable",
        ] {
            assert!(c.contains(&code), "{code} not in {c:?}");
        }
        assert!(problems
            .iter()
            .any(|p| p.code == "missing_clip" && p.asset == dropped));
    }

    #[test]
    fn a_clip_listed_again_is_reported_once_per_repeat() {
        let cat = catalog();
        let mut m = ClipManifest::matching_catalog(&cat);
        let twice = m.clips[1].clone();
        let thrice = m.clips[4].clone();
        m.clips
            .extend([twice.clone(), thrice.clone(), thrice.clone()]);
        let problems = validate_manifest(&m, &cat);
        let repeats = |asset: &str| {
            problems
                .iter()
                .filter(|p| p.code == "duplicate_clip" && p.asset == asset)
                .count()
        };
        assert_eq!(repeats(&twice.asset_id), 1);
        assert_eq!(repeats(&thrice.asset_id), 2);
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.code == "duplicate_clip")
                .count(),
            3
        );
    }
}

/// The manifest's reader against serde's derived reader of the same text (the oracle;
/// ADR 0026), on generated manifests and damaged forms of them.
#[cfg(test)]
mod manifest_reader {
    use super::*;
    use crate::json::tree::testing::{damaged, damages};
    use proptest::prelude::*;

    fn segment() -> impl Strategy<Value = ManifestSegment> {
        (0usize..4, 0u32..9, 0u32..9, 0u32..9).prop_map(|(kind, start_ms, end_ms, keyframe_ms)| {
            ManifestSegment {
                kind: [
                    SegmentKind::Intro,
                    SegmentKind::Demo,
                    SegmentKind::RepLoop,
                    SegmentKind::CommonMistake,
                ][kind],
                start_ms,
                end_ms,
                keyframe_ms,
            }
        })
    }

    fn entry() -> impl Strategy<Value = ManifestEntry> {
        (
            (
                "[a-z_]{0,6}",
                "[a-z.]{0,6}",
                0u64..5_000_000_000,
                "[0-9a-f]{0,6}",
            ),
            (0u32..9, 0u32..61, 0u32..2000, 0u32..2000),
            (0usize..3, any::<bool>(), any::<bool>()),
            prop::collection::vec(segment(), 0..3),
            prop::collection::btree_map("[a-z]{2}", "[a-z.]{0,6}", 0..3),
            "[a-z.]{0,6}",
        )
            .prop_map(
                |(
                    (asset_id, file, bytes, sha256),
                    (duration_ms, fps, width, height),
                    (camera, mirrorable, left),
                    segments,
                    captions,
                    poster,
                )| {
                    ManifestEntry {
                        asset_id,
                        file,
                        bytes,
                        sha256,
                        duration_ms,
                        fps,
                        width,
                        height,
                        camera: [Camera::Side, Camera::Rear, Camera::Front][camera],
                        mirrorable,
                        shown_leg: if left { Leg::Left } else { Leg::Right },
                        segments,
                        captions: captions.into_iter().collect(),
                        poster,
                    }
                },
            )
    }

    fn manifest() -> impl Strategy<Value = ClipManifest> {
        (0u32..3, 0u32..9, prop::collection::vec(entry(), 0..3)).prop_map(
            |(version, catalog_version, clips)| ClipManifest {
                version,
                catalog_version,
                clips,
            },
        )
    }

    /// The oracle: serde's derived reader straight from the text.
    fn serde_reads(text: &str) -> Result<ClipManifest, String> {
        crate::json::from_text::<ClipManifest>(text).map_err(|e| e.to_string())
    }

    /// Same manifest, or both refuse it with `Parse`.
    fn agree(text: &str) -> Result<(), TestCaseError> {
        match (serde_reads(text), ClipManifest::from_json(text)) {
            (Ok(theirs), Ok(ours)) => prop_assert_eq!(theirs, ours, "{}", text),
            (Err(_), Err(ClipsError::Parse(_))) => {}
            (theirs, ours) => prop_assert!(false, "{text}: serde {theirs:?}, ours {ours:?}"),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn damaged_manifests_read_as_serde_reads_them(m in manifest(), damages in damages()) {
            let text = damaged(&serde_json::to_string(&m).unwrap(), &damages);
            agree(&text)?;
            if damages.is_empty() {
                prop_assert_eq!(ClipManifest::from_json(&text), Ok(m));
            }
        }

        #[test]
        fn junk_reads_as_serde_reads_it(text in "[\\[\\]{}\",:0-9a-z_ -]{0,40}") {
            agree(&text)?;
        }
    }

    /// Every single damage of a one-clip manifest, each node replaced by every kind of
    /// value and each key repeated, dropped and renamed.
    #[test]
    fn every_single_damage_reads_as_serde_reads_it() {
        let mut m = ClipManifest::matching_catalog(&tests_catalog());
        m.clips.truncate(1);
        m.clips[0].segments.truncate(1);
        let tree = crate::json::tree::parse(&serde_json::to_string(&m).unwrap()).unwrap();
        let all = crate::json::tree::testing::every_single_damage(&tree);
        assert!(all.len() > 1000, "{}", all.len());
        for damaged in all {
            agree(&crate::json::tree::testing::write(&damaged)).unwrap();
        }
    }

    #[test]
    fn the_embedded_catalog_s_pack_reads_as_serde_reads_it() {
        let text = serde_json::to_string_pretty(&ClipManifest::matching_catalog(&tests_catalog()))
            .unwrap();
        assert_eq!(
            ClipManifest::from_json(&text).unwrap(),
            serde_reads(&text).unwrap()
        );
    }

    /// Refused as serde refuses them: a field twice, an enum's map form with a value, a
    /// float for an integer; kept as serde keeps them: unknown fields, the map form of an
    /// enum, the array form of a record, the last of a caption locale given twice.
    #[test]
    fn strict_where_serde_is_strict() {
        let segment =
            r#"{"kind":{"demo":null},"start_ms":0,"end_ms":5,"keyframe_ms":0,"extra":[1]}"#;
        let entry = |segment: &str, captions: &str| {
            format!(
                r#"["a","a.mp4",1,"ab",5,30,720,720,"side",true,{{"left":null}},[{segment}],{captions},"a.png"]"#
            )
        };
        let good = format!(
            r#"{{"version":1,"catalog_version":2,"clips":[{}]}}"#,
            entry(segment, r#"{"en":"x","en":"y"}"#)
        );
        let read = ClipManifest::from_json(&good).unwrap();
        assert_eq!(serde_reads(&good), Ok(read.clone()));
        assert_eq!(read.clips[0].captions["en"], "y");
        assert_eq!(read.clips[0].shown_leg, Leg::Left);
        for bad in [
            good.replace(r#""version":1"#, r#""version":1,"version":1"#),
            good.replace(r#"{"demo":null}"#, r#"{"demo":0}"#),
            good.replace(r#""end_ms":5"#, r#""end_ms":5.0"#),
            good.replace(r#","a.png"]"#, r#"]"#),
            good.replace(r#""side""#, r#""Side""#),
        ] {
            assert!(serde_reads(&bad).is_err(), "{bad}");
            assert!(
                matches!(ClipManifest::from_json(&bad), Err(ClipsError::Parse(_))),
                "{bad}"
            );
        }
    }

    fn tests_catalog() -> CatalogFile {
        serde_json::from_str(crate::catalog::EMBEDDED_CATALOG_JSON).unwrap()
    }
}
