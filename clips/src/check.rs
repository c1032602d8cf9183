//! Reads a rendered MP4 back with a demuxer and checks the structure the manifest promises:
//! one H.264 video track of the right size, the catalog's duration, one sample per frame,
//! and an IDR (sync) sample exactly at every segment start.

use std::io::Cursor;

use mp4::{MediaType, Mp4Reader, TrackType};
use talus_core::catalog::clips::ManifestEntry;

use crate::ClipError;

/// What the demuxer saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mp4Facts {
    pub width: u16,
    pub height: u16,
    pub duration_ms: u64,
    pub samples: u32,
    /// Frame numbers (0-based) of sync samples.
    pub sync_frames: Vec<u32>,
}

/// Demuxes an MP4 held in memory.
pub fn read_facts(bytes: &[u8]) -> Result<Mp4Facts, ClipError> {
    let size = bytes.len() as u64;
    let mut reader = Mp4Reader::read_header(Cursor::new(bytes), size)
        .map_err(|e| ClipError::Check(format!("not a readable MP4: {e}")))?;
    let tracks: Vec<_> = reader.tracks().values().collect();
    let [track] = tracks.as_slice() else {
        return Err(ClipError::Check(format!("{} tracks, want 1", tracks.len())));
    };
    if track.track_type().ok() != Some(TrackType::Video)
        || track.media_type().ok() != Some(MediaType::H264)
    {
        return Err(ClipError::Check("the track is not H.264 video".into()));
    }
    let (id, width, height, samples) = (
        track.track_id(),
        track.width(),
        track.height(),
        track.sample_count(),
    );
    let duration_ms = track.duration().as_millis() as u64;
    let mut sync_frames = Vec::new();
    for n in 1..=samples {
        let sample = reader
            .read_sample(id, n)
            .map_err(|e| ClipError::Check(format!("sample {n}: {e}")))?
            .ok_or_else(|| ClipError::Check(format!("sample {n} missing")))?;
        if sample.bytes.is_empty() {
            return Err(ClipError::Check(format!("sample {n} is empty")));
        }
        if sample.is_sync {
            sync_frames.push(n - 1);
        }
    }
    Ok(Mp4Facts {
        width,
        height,
        duration_ms,
        samples,
        sync_frames,
    })
}

/// Checks a clip's bytes against its manifest entry; lists every mismatch.
pub fn check_clip(bytes: &[u8], entry: &ManifestEntry) -> Result<Mp4Facts, ClipError> {
    let facts = read_facts(bytes)?;
    let mut problems = Vec::new();
    if u32::from(facts.width) != entry.width || u32::from(facts.height) != entry.height {
        problems.push(format!("size {}×{}", facts.width, facts.height));
    }
    let frame_ms = 1000 / u64::from(entry.fps.max(1));
    if facts.duration_ms.abs_diff(u64::from(entry.duration_ms)) > frame_ms {
        problems.push(format!(
            "duration {} ms, manifest {} ms",
            facts.duration_ms, entry.duration_ms
        ));
    }
    let want_frames = talus_core::catalog::clips::frame_of(entry.duration_ms, entry.fps);
    if u64::from(facts.samples) != want_frames {
        problems.push(format!("{} samples, want {want_frames}", facts.samples));
    }
    let starts: Vec<u32> = entry
        .segments
        .iter()
        .map(|s| talus_core::catalog::clips::frame_of(s.keyframe_ms, entry.fps) as u32)
        .collect();
    if facts.sync_frames != starts {
        problems.push(format!(
            "sync samples at frames {:?}, segments start at {:?}",
            facts.sync_frames, starts
        ));
    }
    if bytes.len() as u64 != entry.bytes {
        problems.push(format!("{} bytes, manifest {}", bytes.len(), entry.bytes));
    }
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(ClipError::Check(format!(
            "{}: {}",
            entry.asset_id,
            problems.join("; ")
        )))
    }
}
