//! Contact sheet for review: the poster and a mid-rep frame of every clip, side by side, in
//! catalog order (two tiles per asset, a gap between assets).

use talus_core::catalog::clips::{catalog_videos, MotionFile};
use talus_core::catalog::{CatalogFile, SegmentKind, Video};
use tiny_skia::{Color, Pixmap, PixmapPaint, Transform};

use crate::timeline::frame_at_ms;
use crate::{draw_frame, ClipError};

/// Assets per row of the sheet.
pub const ASSETS_PER_ROW: u32 = 4;

/// The middle of the rep loop (the demo when a clip has no loop).
pub fn mid_rep_ms(video: &Video) -> u32 {
    let seg = video
        .segments
        .iter()
        .find(|s| s.kind == SegmentKind::RepLoop)
        .or_else(|| video.segments.iter().find(|s| s.kind == SegmentKind::Demo));
    seg.map_or(video.poster_ms, |s| {
        s.start_ms + (s.end_ms - s.start_ms) / 2
    })
}

/// Draws the sheet with `tile`-pixel frames.
pub fn contact_sheet(
    catalog: &CatalogFile,
    motions: &MotionFile,
    tile: u32,
) -> Result<Pixmap, ClipError> {
    let videos = catalog_videos(catalog);
    let gap = (tile / 12).max(2);
    let rows = (videos.len() as u32).div_ceil(ASSETS_PER_ROW);
    let width = ASSETS_PER_ROW * (2 * tile + gap) + gap;
    let height = rows * (tile + gap) + gap;
    let mut sheet = Pixmap::new(width, height)
        .ok_or_else(|| ClipError::Settings(format!("sheet {width}×{height}")))?;
    sheet.fill(Color::from_rgba8(60, 64, 68, 255));
    let mut frame =
        Pixmap::new(tile, tile).ok_or_else(|| ClipError::Settings(format!("tile {tile}")))?;
    for (i, (_, video)) in videos.iter().enumerate() {
        let motion = motions.motion(&video.asset_id)?;
        let (col, row) = (i as u32 % ASSETS_PER_ROW, i as u32 / ASSETS_PER_ROW);
        for (k, ms) in [video.poster_ms, mid_rep_ms(video)].into_iter().enumerate() {
            draw_frame(&mut frame, motion, frame_at_ms(video, ms));
            let x = gap + col * (2 * tile + gap) + k as u32 * tile;
            let y = gap + row * (tile + gap);
            sheet.draw_pixmap(
                x as i32,
                y as i32,
                frame.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                None,
            );
        }
    }
    Ok(sheet)
}
