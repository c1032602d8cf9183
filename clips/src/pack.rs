//! Renders the whole pack: for every catalog video, the MP4, a poster PNG at `poster_ms`,
//! WebVTT captions per locale and an entry in `manifest.json`. Clips render in parallel (one
//! encoder thread each); the manifest lists them in catalog order, so the same inputs always
//! give the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use talus_core::catalog::clips::{
    catalog_videos, clip_file_name, ClipManifest, ManifestEntry, ManifestSegment, MotionFile,
};
use talus_core::catalog::{CatalogFile, Video};
use talus_core::sorted_map::SortedMap;
use tiny_skia::Pixmap;

use crate::captions::webvtt;
use crate::encode::{encode_clip, EncodeSettings, StageTimes};
use crate::timeline::frame_at_ms;
use crate::{draw_frame, ClipError, Timeline};

/// Version of the manifest format.
pub const MANIFEST_VERSION: u32 = 1;

/// What to render and where.
#[derive(Debug, Clone)]
pub struct PackSettings {
    pub out_dir: PathBuf,
    pub encode: EncodeSettings,
    /// Only these asset ids (all when empty).
    pub only: Vec<String>,
    pub jobs: usize,
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees
/// half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ClipError> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Cue texts per locale for the item a video belongs to.
fn cue_texts(catalog: &CatalogFile, item: &str) -> BTreeMap<String, Vec<String>> {
    if let Some(d) = catalog.drills.iter().find(|d| d.id == item) {
        return d
            .text
            .iter()
            .map(|(l, t)| (l.clone(), t.cues.clone()))
            .collect();
    }
    catalog
        .assessments
        .iter()
        .find(|a| a.id == item)
        .map(|a| a.text.keys().map(|l| (l.clone(), Vec::new())).collect())
        .unwrap_or_default()
}

/// Draws the poster frame as PNG bytes.
pub fn poster_png(
    motion: &talus_core::catalog::clips::Motion,
    video: &Video,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ClipError> {
    let mut pix =
        Pixmap::new(width, height).ok_or_else(|| ClipError::Settings("picture size".into()))?;
    draw_frame(&mut pix, motion, frame_at_ms(video, video.poster_ms));
    pix.encode_png()
        .map_err(|e| ClipError::Encode(format!("poster: {e}")))
}

/// One clip's manifest entry and render times, or why it failed.
type RenderedClip = Result<(ManifestEntry, StageTimes), ClipError>;

fn render_one(
    catalog: &CatalogFile,
    motions: &MotionFile,
    item: &str,
    video: &Video,
    s: &PackSettings,
) -> RenderedClip {
    let motion = motions.motion(&video.asset_id)?;
    let clip = encode_clip(motion, video, s.encode)?;
    let id = &video.asset_id;
    let file = clip_file_name(id);
    write_atomic(&s.out_dir.join(&file), &clip.mp4)?;
    let poster = format!("{id}.png");
    write_atomic(
        &s.out_dir.join(&poster),
        &poster_png(motion, video, s.encode.width, s.encode.height)?,
    )?;
    let mut captions = SortedMap::new();
    for (locale, cues) in cue_texts(catalog, item) {
        let name = format!("{id}.{locale}.vtt");
        write_atomic(&s.out_dir.join(&name), webvtt(video, &cues).as_bytes())?;
        captions.insert(locale, name);
    }
    let timeline = Timeline::new(video, s.encode.fps);
    let segments = video
        .segments
        .iter()
        .zip(&timeline.segment_starts)
        .map(|(seg, &frame)| ManifestSegment {
            kind: seg.kind,
            start_ms: seg.start_ms,
            end_ms: seg.end_ms,
            keyframe_ms: if clip.keyframes.contains(&frame) {
                timeline.ms(frame)
            } else {
                u32::MAX
            },
        })
        .collect();
    let entry = ManifestEntry {
        asset_id: id.clone(),
        file,
        bytes: clip.mp4.len() as u64,
        sha256: sha256_hex(&clip.mp4),
        duration_ms: video.duration_ms,
        fps: s.encode.fps,
        width: s.encode.width,
        height: s.encode.height,
        camera: motion.camera,
        mirrorable: video.mirrorable,
        shown_leg: motion.shown_leg,
        segments,
        captions,
        poster,
    };
    Ok((entry, clip.times))
}

/// Renders the pack (or the `only` subset) into `out_dir` and writes `manifest.json`.
pub fn render_pack(
    catalog: &CatalogFile,
    motions: &MotionFile,
    s: &PackSettings,
) -> Result<ClipManifest, ClipError> {
    render_pack_timed(catalog, motions, s).map(|(manifest, _)| manifest)
}

/// [`render_pack`], also returning where the time went (summed over clips).
pub fn render_pack_timed(
    catalog: &CatalogFile,
    motions: &MotionFile,
    s: &PackSettings,
) -> Result<(ClipManifest, StageTimes), ClipError> {
    std::fs::create_dir_all(&s.out_dir)?;
    let work: Vec<(&str, &Video)> = catalog_videos(catalog)
        .into_iter()
        .filter(|(_, v)| s.only.is_empty() || s.only.contains(&v.asset_id))
        .collect();
    for want in &s.only {
        if !work.iter().any(|(_, v)| &v.asset_id == want) {
            return Err(ClipError::UnknownAsset(want.chars().take(64).collect()));
        }
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<RenderedClip>>> =
        Mutex::new((0..work.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..s.jobs.clamp(1, 16) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((item, video)) = work.get(i) else {
                    break;
                };
                let r = render_one(catalog, motions, item, video, s);
                if let Ok(mut all) = results.lock() {
                    if let Some(slot) = all.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| ClipError::Encode("a render thread panicked".into()))?;
    let mut clips = Vec::with_capacity(results.len());
    let mut times = StageTimes::default();
    for r in results {
        let (entry, t) = r.ok_or_else(|| ClipError::Encode("a clip was not rendered".into()))??;
        clips.push(entry);
        times.add(&t);
    }
    let manifest = ClipManifest {
        version: MANIFEST_VERSION,
        catalog_version: catalog.version,
        clips,
    };
    let mut json =
        serde_json::to_string_pretty(&manifest).map_err(|e| ClipError::Encode(e.to_string()))?;
    json.push('\n');
    write_atomic(&s.out_dir.join("manifest.json"), json.as_bytes())?;
    Ok((manifest, times))
}
