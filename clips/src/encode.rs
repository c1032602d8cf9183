//! H.264 in MP4: draws every frame of a clip, encodes it with OpenH264 (bitrate rate
//! control, one thread so the bytes are reproducible) forcing an IDR frame at every segment
//! start, and muxes the samples into an MP4 with the `mp4` crate.

use std::io::Cursor;
use std::time::{Duration, Instant};

use mp4::{
    AvcConfig, FourCC, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType,
};
use openh264::encoder::{
    BitRate, Complexity, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod,
    RateControlMode, UsageType,
};
use openh264::formats::{RgbaSliceU8, YUVBuffer};
use openh264::OpenH264API;
use talus_core::catalog::clips::Motion;
use talus_core::catalog::Video;
use tiny_skia::Pixmap;

use crate::draw::{FrameState, Scene};
use crate::{ClipError, Timeline};

/// Media timescale of the video track: divisible by every frame rate we render at.
pub const TIMESCALE: u32 = 90_000;

/// How to encode.
#[derive(Debug, Clone, Copy)]
pub struct EncodeSettings {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub bitrate_bps: u32,
}

impl EncodeSettings {
    fn check(&self) -> Result<(), ClipError> {
        let even = |v: u32| (16..=4096).contains(&v) && v % 2 == 0;
        if !even(self.width) || !even(self.height) {
            return Err(ClipError::Settings(format!(
                "{}×{}: sides must be even, 16–4096",
                self.width, self.height
            )));
        }
        if !(1..=60).contains(&self.fps) || TIMESCALE % self.fps != 0 {
            return Err(ClipError::Settings(format!("{} fps", self.fps)));
        }
        if !(10_000..=10_000_000).contains(&self.bitrate_bps) {
            return Err(ClipError::Settings(format!("{} bps", self.bitrate_bps)));
        }
        Ok(())
    }
}

/// Where a clip's render time went (for the benchmark notes; never part of the output).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Drawing frames with tiny-skia.
    pub draw: Duration,
    /// RGBA → YUV 4:2:0.
    pub convert: Duration,
    /// OpenH264.
    pub encode: Duration,
    /// Writing the MP4.
    pub mux: Duration,
    /// Frames drawn (the rest repeat the frame before and reuse its picture).
    pub drawn: u32,
}

impl StageTimes {
    /// Adds another clip's times.
    pub fn add(&mut self, o: &StageTimes) {
        self.draw += o.draw;
        self.convert += o.convert;
        self.encode += o.encode;
        self.mux += o.mux;
        self.drawn += o.drawn;
    }
}

/// A muxed clip and where its keyframes fell.
#[derive(Debug, Clone)]
pub struct EncodedClip {
    pub mp4: Vec<u8>,
    /// Frame numbers of the IDR frames.
    pub keyframes: Vec<u32>,
    pub frames: u32,
    pub times: StageTimes,
}

/// NAL unit payloads of an Annex B packet (start codes removed).
fn nal_payload(nal: &[u8]) -> &[u8] {
    let zeros = nal.iter().take_while(|b| **b == 0).count();
    match nal.get(zeros) {
        Some(1) if zeros >= 2 => nal.get(zeros + 1..).unwrap_or(&[]),
        _ => nal,
    }
}

/// Renders and encodes one clip.
pub fn encode_clip(
    motion: &Motion,
    video: &Video,
    settings: EncodeSettings,
) -> Result<EncodedClip, ClipError> {
    settings.check()?;
    let timeline = Timeline::new(video, settings.fps);
    let config = EncoderConfig::new()
        .bitrate(BitRate::from_bps(settings.bitrate_bps))
        .max_frame_rate(FrameRate::from_hz(settings.fps as f32))
        .rate_control_mode(RateControlMode::Bitrate)
        .usage_type(UsageType::ScreenContentRealTime)
        .complexity(Complexity::Low)
        .adaptive_quantization(false)
        .background_detection(false)
        .skip_frames(false)
        .scene_change_detect(false)
        .intra_frame_period(IntraFramePeriod::from_num_frames(0))
        .num_threads(1)
        .debug(false);
    let mut encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
        .map_err(|e| ClipError::Encode(e.to_string()))?;
    let mut pix = Pixmap::new(settings.width, settings.height)
        .ok_or_else(|| ClipError::Settings("picture size".into()))?;
    let scene = Scene::new(motion, settings.width, settings.height)
        .ok_or_else(|| ClipError::Settings("picture size".into()))?;
    let mut times = StageTimes::default();
    let mut shown: Option<FrameState> = None;
    let (w, h) = (settings.width as usize, settings.height as usize);
    let mut yuv = YUVBuffer::new(w, h);
    let frame_ticks = TIMESCALE / settings.fps;

    let mut sps: Option<Vec<u8>> = None;
    let mut pps: Option<Vec<u8>> = None;
    let mut samples: Vec<(bool, Vec<u8>)> = Vec::with_capacity(timeline.frames as usize);
    let mut keyframes = Vec::new();
    for frame in 0..timeline.frames {
        // Holds and pauses repeat a picture: draw and convert only what changed.
        let state = scene.state(timeline.at(frame));
        if shown.as_ref() != Some(&state) {
            let t = Instant::now();
            scene.draw(&mut pix, &state);
            let t2 = Instant::now();
            yuv.read_rgba8(RgbaSliceU8::new(pix.data(), (w, h)));
            times.draw += t2 - t;
            times.convert += t2.elapsed();
            times.drawn += 1;
            shown = Some(state);
        }
        if frame == 0 || timeline.is_segment_start(frame) {
            encoder.force_intra_frame();
        }
        let t = Instant::now();
        let stream = encoder
            .encode(&yuv)
            .map_err(|e| ClipError::Encode(e.to_string()))?;
        let idr = stream.frame_type() == FrameType::IDR;
        let mut sample = Vec::new();
        for l in 0..stream.num_layers() {
            let Some(layer) = stream.layer(l) else {
                continue;
            };
            for n in 0..layer.nal_count() {
                let Some(nal) = layer.nal_unit(n) else {
                    continue;
                };
                let payload = nal_payload(nal);
                match payload.first().map(|b| b & 0x1f) {
                    Some(7) => {
                        sps.get_or_insert_with(|| payload.to_vec());
                    }
                    Some(8) => {
                        pps.get_or_insert_with(|| payload.to_vec());
                    }
                    Some(_) => {
                        let len = u32::try_from(payload.len())
                            .map_err(|_| ClipError::Encode("NAL unit too large".into()))?;
                        sample.extend_from_slice(&len.to_be_bytes());
                        sample.extend_from_slice(payload);
                    }
                    None => {}
                }
            }
        }
        if sample.is_empty() {
            return Err(ClipError::Encode(format!(
                "frame {frame} produced no picture"
            )));
        }
        if idr {
            keyframes.push(frame);
        }
        samples.push((idr, sample));
        times.encode += t.elapsed();
    }
    let mux_started = Instant::now();
    let (Some(sps), Some(pps)) = (sps, pps) else {
        return Err(ClipError::Encode("no SPS/PPS from the encoder".into()));
    };

    let config = Mp4Config {
        major_brand: FourCC::from(*b"isom"),
        minor_version: 512,
        compatible_brands: [*b"isom", *b"iso2", *b"avc1", *b"mp41"]
            .into_iter()
            .map(FourCC::from)
            .collect(),
        // Same as the track's: the muxer's conversion to a coarser movie timescale came out
        // 1 % short in the movie header (ffprobe saw 29.7 s for a 30 s clip).
        timescale: TIMESCALE,
    };
    let mut writer = Mp4Writer::write_start(Cursor::new(Vec::new()), &config)
        .map_err(|e| ClipError::Encode(e.to_string()))?;
    let width = u16::try_from(settings.width).map_err(|_| ClipError::Settings("width".into()))?;
    let height =
        u16::try_from(settings.height).map_err(|_| ClipError::Settings("height".into()))?;
    writer
        .add_track(&TrackConfig {
            track_type: TrackType::Video,
            timescale: TIMESCALE,
            language: "und".into(),
            media_conf: MediaConfig::AvcConfig(AvcConfig {
                width,
                height,
                seq_param_set: sps,
                pic_param_set: pps,
            }),
        })
        .map_err(|e| ClipError::Encode(e.to_string()))?;
    for (i, (is_sync, bytes)) in samples.into_iter().enumerate() {
        let sample = Mp4Sample {
            start_time: i as u64 * u64::from(frame_ticks),
            duration: frame_ticks,
            rendering_offset: 0,
            is_sync,
            bytes: bytes::Bytes::from(bytes),
        };
        writer
            .write_sample(1, &sample)
            .map_err(|e| ClipError::Encode(e.to_string()))?;
    }
    writer
        .write_end()
        .map_err(|e| ClipError::Encode(e.to_string()))?;
    let mp4 = writer.into_writer().into_inner();
    times.mux = mux_started.elapsed();
    Ok(EncodedClip {
        mp4,
        keyframes,
        frames: timeline.frames,
        times,
    })
}
