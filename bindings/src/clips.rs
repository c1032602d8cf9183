//! Clip info for the player: a clip pack's `manifest.json` (bundled with the app or
//! downloaded, see docs/clips.md) is checked against the embedded catalog and turned into
//! one record per drill — file, sha256, poster, captions per locale, segments with their
//! keyframes, mirroring. A pack that does not match the catalog is refused as a whole.

use talus_core::catalog::clips::{Camera as CoreCamera, ClipsError, Leg, ManifestEntry};
use talus_core::catalog::Catalog;

use crate::{SegmentKind, Side, TalusError};

/// Where the clip's camera stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ClipCamera {
    /// From the side of the working leg.
    Side,
    /// From behind (heel rolling in and out).
    Rear,
    /// From the front.
    Front,
}

impl From<CoreCamera> for ClipCamera {
    fn from(c: CoreCamera) -> Self {
        match c {
            CoreCamera::Side => ClipCamera::Side,
            CoreCamera::Rear => ClipCamera::Rear,
            CoreCamera::Front => ClipCamera::Front,
        }
    }
}

/// A WebVTT caption file of a clip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct CaptionFile {
    /// Locale of the text (`en`, `de`).
    pub locale: String,
    /// File name inside the pack.
    pub file: String,
}

/// One part of a clip; the player can seek to `keyframe_ms` exactly (an IDR frame).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ClipSegment {
    /// Which part.
    pub kind: SegmentKind,
    /// Start in the clip.
    pub start_ms: i64,
    /// End in the clip (exclusive).
    pub end_ms: i64,
    /// The keyframe the part starts on.
    pub keyframe_ms: i64,
}

/// Everything a player needs to show one drill's clip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ClipInfo {
    /// Drill (or assessment) id the clip belongs to.
    pub drill_id: String,
    /// Clip asset id (as in `PlayVideo.asset_id`).
    pub asset_id: String,
    /// MP4 file name inside the pack (as in `PlayVideo.file`).
    pub file: String,
    /// Lower-case hex SHA-256 of the MP4; check it after a download.
    pub sha256: String,
    /// Size of the MP4 in bytes.
    pub bytes: u64,
    /// Length of the clip.
    pub duration_ms: i64,
    /// Frames per second.
    pub fps: u32,
    /// Picture width in pixels.
    pub width: u32,
    /// Picture height in pixels.
    pub height: u32,
    /// Where the camera stands.
    pub camera: ClipCamera,
    /// Whether the player may mirror the picture to show the other leg.
    pub mirrorable: bool,
    /// The leg the clip shows working (mirrored playback shows the other).
    pub shown_leg: Side,
    /// Poster PNG file name (the frame at the catalog's poster time).
    pub poster: String,
    /// Caption files, one per locale.
    pub captions: Vec<CaptionFile>,
    /// The clip's parts in order.
    pub segments: Vec<ClipSegment>,
}

fn clip_info_of(catalog: &Catalog, e: &ManifestEntry) -> ClipInfo {
    ClipInfo {
        drill_id: catalog
            .item_for_asset(&e.asset_id)
            .unwrap_or_default()
            .to_owned(),
        asset_id: e.asset_id.clone(),
        file: e.file.clone(),
        sha256: e.sha256.clone(),
        bytes: e.bytes,
        duration_ms: i64::from(e.duration_ms),
        fps: e.fps,
        width: e.width,
        height: e.height,
        camera: e.camera.into(),
        mirrorable: e.mirrorable,
        shown_leg: match e.shown_leg {
            Leg::Left => Side::Left,
            Leg::Right => Side::Right,
        },
        poster: e.poster.clone(),
        captions: e
            .captions
            .iter()
            .map(|(locale, file)| CaptionFile {
                locale: locale.clone(),
                file: file.clone(),
            })
            .collect(),
        segments: e
            .segments
            .iter()
            .map(|s| ClipSegment {
                kind: s.kind.into(),
                start_ms: i64::from(s.start_ms),
                end_ms: i64::from(s.end_ms),
                keyframe_ms: i64::from(s.keyframe_ms),
            })
            .collect(),
    }
}

/// Every clip of a pack, in catalog order, after checking the pack's `manifest.json`
/// against the catalog (every asset present, durations, segments and keyframes equal).
/// A pack that does not match is refused with `Corrupt` listing every problem.
#[uniffi::export]
pub fn clip_pack(manifest_json: String) -> Result<Vec<ClipInfo>, TalusError> {
    // Videos and locales only: no long texts to inflate (ADR 0024).
    let catalog = Catalog::embedded_for_plans()?;
    let manifest = catalog.check_clip_manifest(&manifest_json)?;
    Ok(manifest
        .clips
        .iter()
        .map(|e| clip_info_of(&catalog, e))
        .collect())
}

/// The clip of one drill or assessment from a pack's `manifest.json` (checked as in
/// [`clip_pack`]). `NotFound` for an unknown drill id.
#[uniffi::export]
pub fn clip_info(manifest_json: String, drill_id: String) -> Result<ClipInfo, TalusError> {
    // Videos and locales only: no long texts to inflate (ADR 0024).
    let catalog = Catalog::embedded_for_plans()?;
    let manifest = catalog.check_clip_manifest(&manifest_json)?;
    let asset = catalog
        .asset_for_item(&drill_id)
        .ok_or_else(|| ClipsError::UnknownAsset(drill_id.chars().take(64).collect()))?;
    Ok(clip_info_of(&catalog, manifest.entry(asset)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use talus_core::catalog::clips::ClipManifest;
    use talus_core::catalog::{CatalogFile, EMBEDDED_CATALOG_JSON};

    fn pack_json(drop_last: bool) -> String {
        let catalog: CatalogFile = serde_json::from_str(EMBEDDED_CATALOG_JSON).unwrap();
        let mut manifest = ClipManifest::matching_catalog(&catalog);
        if drop_last {
            manifest.clips.pop();
        }
        serde_json::to_string(&manifest).unwrap()
    }

    #[test]
    fn a_drill_gets_its_clip_file_segments_and_captions() {
        let info = clip_info(pack_json(false), "banded_df_mob".into()).unwrap();
        assert_eq!(info.asset_id, "banded-df");
        assert_eq!(info.file, "banded-df.mp4");
        assert_eq!(info.drill_id, "banded_df_mob");
        assert_eq!(info.segments.len(), 4);
        assert_eq!(info.segments[3].kind, SegmentKind::CommonMistake);
        assert_eq!(info.segments[1].keyframe_ms, info.segments[1].start_ms);
        assert_eq!(info.captions.len(), 2);
        assert!(info.mirrorable);
        assert_eq!(clip_pack(pack_json(false)).unwrap().len(), 25);
    }

    #[test]
    fn a_pack_that_does_not_match_the_catalog_or_an_unknown_drill_is_refused() {
        let corrupt = |e: TalusError| matches!(e, TalusError::Corrupt { .. });
        assert!(corrupt(clip_pack(pack_json(true)).unwrap_err()));
        assert!(corrupt(clip_pack("not json".into()).unwrap_err()));
        assert!(matches!(
            clip_info(pack_json(false), "no_such_drill".into()),
            Err(TalusError::NotFound { .. })
        ));
    }
}
