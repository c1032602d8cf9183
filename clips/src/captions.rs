//! WebVTT captions per locale from the catalog's cue marks: each cue shows from its time
//! until the next cue or the end of its segment, whichever comes first.

use talus_core::catalog::Video;

fn stamp(ms: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The WebVTT text for a video with cue texts in one locale (`cues[i]` is cue `i`).
/// Cue marks pointing past the list are skipped (the catalog validator forbids them).
pub fn webvtt(video: &Video, cues: &[String]) -> String {
    let mut marks: Vec<(u32, u32, &str)> = Vec::new();
    for seg in &video.segments {
        for mark in &seg.cues {
            if let Some(text) = cues.get(mark.cue as usize) {
                marks.push((mark.at_ms, seg.end_ms, text));
            }
        }
    }
    marks.sort_by_key(|m| m.0);
    let mut out = String::from("WEBVTT\n");
    let next_starts: Vec<u32> = marks.iter().skip(1).map(|m| m.0).collect();
    for (i, (at, seg_end, text)) in marks.iter().enumerate() {
        let end = next_starts.get(i).map_or(*seg_end, |n| (*n).min(*seg_end));
        if end <= *at {
            continue;
        }
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            stamp(*at),
            stamp(end),
            text.replace("-->", "->")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use talus_core::catalog::Catalog;

    #[test]
    fn cues_run_until_the_next_cue_or_their_segment_end() {
        let catalog = Catalog::embedded().unwrap();
        let drill = catalog.drill("banded_df_mob").unwrap();
        let cues = &drill.text("de").unwrap().cues;
        let vtt = webvtt(&drill.video, cues);
        assert!(vtt.starts_with("WEBVTT\n"));
        // Demo cues at 6 s, 11 s and 16 s; the last one ends with the demo at 19 s.
        assert!(vtt.contains("00:00:06.000 --> 00:00:11.000\n"), "{vtt}");
        assert!(vtt.contains("00:00:16.000 --> 00:00:19.000\n"), "{vtt}");
        assert!(vtt.contains(&cues[3]));
        assert_eq!(stamp(3_723_456), "01:02:03.456");
    }
}
