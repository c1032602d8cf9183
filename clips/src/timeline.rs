//! Where each frame of a clip falls: its time, its segment and how far into it, and which
//! frames start segments (and so must be IDR keyframes).

use talus_core::catalog::clips::frame_of;
use talus_core::catalog::Video;

use crate::draw::FrameAt;

/// The frames of one clip at a frame rate.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub fps: u32,
    pub frames: u32,
    /// First frame of each segment, in segment order.
    pub segment_starts: Vec<u32>,
    starts_ms: Vec<u32>,
}

impl Timeline {
    /// The timeline of a catalog video.
    pub fn new(video: &Video, fps: u32) -> Timeline {
        let frames = u32::try_from(frame_of(video.duration_ms, fps)).unwrap_or(u32::MAX);
        let segment_starts = video
            .segments
            .iter()
            .map(|s| u32::try_from(frame_of(s.start_ms, fps)).unwrap_or(u32::MAX))
            .collect();
        let starts_ms = video.segments.iter().map(|s| s.start_ms).collect();
        Timeline {
            fps,
            frames,
            segment_starts,
            starts_ms,
        }
    }

    /// Presentation time of a frame in milliseconds.
    pub fn ms(&self, frame: u32) -> u32 {
        u32::try_from(u64::from(frame) * 1000 / u64::from(self.fps.max(1))).unwrap_or(u32::MAX)
    }

    /// The segment a frame belongs to and the time into it.
    pub fn at(&self, frame: u32) -> FrameAt {
        let segment = self
            .segment_starts
            .iter()
            .rposition(|&s| s <= frame)
            .unwrap_or(0);
        let start_ms = self.starts_ms.get(segment).copied().unwrap_or(0);
        FrameAt {
            segment,
            t_ms: self.ms(frame).saturating_sub(start_ms),
        }
    }

    /// Whether the frame starts a segment.
    pub fn is_segment_start(&self, frame: u32) -> bool {
        self.segment_starts.contains(&frame)
    }
}

/// The frame position of a clip time (e.g. the poster), as segment and offset.
pub fn frame_at_ms(video: &Video, ms: u32) -> FrameAt {
    let segment = video
        .segments
        .iter()
        .rposition(|s| s.start_ms <= ms)
        .unwrap_or(0);
    let start = video.segments.get(segment).map_or(0, |s| s.start_ms);
    FrameAt {
        segment,
        t_ms: ms.saturating_sub(start),
    }
}
