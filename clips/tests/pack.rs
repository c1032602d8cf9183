//! Renders two clips at low resolution and checks what a player relies on: the manifest
//! matches the catalog, each MP4 demuxes with one H.264 track of the catalog's duration and
//! an IDR keyframe at every segment start, captions carry the cues at their times, the
//! poster is a PNG, and rendering twice gives the same bytes.

use std::path::Path;

use talus_clips::check::check_clip;
use talus_clips::encode::EncodeSettings;
use talus_clips::pack::{render_pack, sha256_hex, PackSettings};
use talus_core::catalog::clips::{
    frame_of, validate_manifest, ClipManifest, MotionFile, EMBEDDED_MOTIONS_JSON,
};
use talus_core::catalog::{CatalogFile, EMBEDDED_CATALOG_JSON};

const ASSETS: [&str; 2] = ["calf-stance-swings", "knee-to-wall"];

fn inputs() -> (CatalogFile, MotionFile) {
    let catalog: CatalogFile = serde_json::from_str(EMBEDDED_CATALOG_JSON).unwrap();
    let motions = MotionFile::load(EMBEDDED_MOTIONS_JSON, &catalog).unwrap();
    (catalog, motions)
}

fn render(dir: &Path) -> ClipManifest {
    let (catalog, motions) = inputs();
    let settings = PackSettings {
        out_dir: dir.to_path_buf(),
        encode: EncodeSettings {
            width: 128,
            height: 128,
            fps: 30,
            bitrate_bps: 40_000,
        },
        only: ASSETS.iter().map(|s| s.to_string()).collect(),
        jobs: 2,
    };
    render_pack(&catalog, &motions, &settings).unwrap()
}

#[test]
fn two_clips_render_with_the_promised_structure_and_the_same_bytes_twice() {
    let (catalog, _) = inputs();
    let first = tempfile::tempdir().unwrap();
    let manifest = render(first.path());

    // The manifest on disk is the one returned, and it matches the catalog for the
    // assets rendered (the other assets are reported missing, nothing else).
    let on_disk = ClipManifest::from_json(
        &std::fs::read_to_string(first.path().join("manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(on_disk, manifest);
    let problems = validate_manifest(&manifest, &catalog);
    assert!(
        problems.iter().all(|p| p.code == "missing_clip"),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 25 - ASSETS.len());
    assert_eq!(
        manifest
            .clips
            .iter()
            .map(|c| c.asset_id.as_str())
            .collect::<Vec<_>>(),
        ["calf-stance-swings", "knee-to-wall"]
    );

    for entry in &manifest.clips {
        let bytes = std::fs::read(first.path().join(&entry.file)).unwrap();
        assert_eq!(sha256_hex(&bytes), entry.sha256);
        let facts = check_clip(&bytes, entry).unwrap();
        let starts: Vec<u32> = entry
            .segments
            .iter()
            .map(|s| frame_of(s.start_ms, 30) as u32)
            .collect();
        assert_eq!(facts.sync_frames, starts, "{}", entry.asset_id);
        assert_eq!(u64::from(facts.samples), frame_of(entry.duration_ms, 30));
        let poster = std::fs::read(first.path().join(&entry.poster)).unwrap();
        assert!(poster.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(
            entry.captions.keys().collect::<Vec<_>>(),
            ["de", "en"],
            "{}",
            entry.asset_id
        );
    }

    // Captions: the swing drill's cues, in each language, at the catalog's times.
    let swing = catalog
        .drills
        .iter()
        .find(|d| d.id == "calf_stance_pron_sup_swings")
        .unwrap();
    for locale in ["en", "de"] {
        let vtt = std::fs::read_to_string(
            first
                .path()
                .join(format!("calf-stance-swings.{locale}.vtt")),
        )
        .unwrap();
        let cues = &swing.text[locale].cues;
        assert!(vtt.starts_with("WEBVTT\n"));
        assert!(
            vtt.contains(&format!("00:00:01.500 --> 00:00:05.000\n{}\n", cues[0])),
            "{vtt}"
        );
        assert!(
            vtt.contains(&format!("00:00:18.000 --> 00:00:27.000\n{}\n", cues[1])),
            "{vtt}"
        );
    }

    // A clip whose keyframe is not where the manifest says, or a truncated file, fails.
    let mut moved = manifest.clips[0].clone();
    let bytes = std::fs::read(first.path().join(&moved.file)).unwrap();
    moved.segments[1].keyframe_ms += 1000;
    assert!(check_clip(&bytes, &moved).is_err());
    assert!(check_clip(&bytes[..bytes.len() / 2], &manifest.clips[0]).is_err());

    // Same inputs, same bytes.
    let second = tempfile::tempdir().unwrap();
    let again = render(second.path());
    assert_eq!(again, manifest);
    for name in std::fs::read_dir(first.path()).unwrap() {
        let name = name.unwrap().file_name();
        assert_eq!(
            std::fs::read(first.path().join(&name)).unwrap(),
            std::fs::read(second.path().join(&name)).unwrap(),
            "{name:?} differs between two renders"
        );
    }
}
