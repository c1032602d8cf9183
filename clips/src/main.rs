//! `talus-clips`: renders the drill clip pack, draws single frames for review, and checks a
//! rendered pack against the catalog.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use talus_clips::check::check_clip;
use talus_clips::encode::EncodeSettings;
use talus_clips::pack::{render_pack_timed, sha256_hex, PackSettings};
use talus_clips::{draw_frame, frame_at_ms, ClipError};
use talus_core::catalog::clips::{
    catalog_videos, frame_of, validate_manifest, ClipManifest, ClipProblem, MotionFile,
    EMBEDDED_MOTIONS_JSON,
};
use talus_core::catalog::{CatalogFile, EMBEDDED_CATALOG_JSON};

#[derive(Parser)]
#[command(name = "talus-clips", about = "Render and check Talus's drill clips")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render every clip (or --only some) with posters, captions and manifest.json.
    Render {
        #[arg(long, default_value = "build/clips")]
        out: PathBuf,
        /// Picture width and height in pixels.
        #[arg(long, default_value_t = 720)]
        size: u32,
        #[arg(long, default_value_t = 30)]
        fps: u32,
        /// Target bitrate in bits per second.
        #[arg(long, default_value_t = 100_000)]
        bitrate: u32,
        /// Comma-separated asset ids.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Clips rendered at once (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Draw frames of a clip as one PNG, side by side (for review).
    Frame {
        asset: String,
        /// Clip times in milliseconds, comma-separated.
        #[arg(value_delimiter = ',', required = true)]
        ms: Vec<u32>,
        out: PathBuf,
        #[arg(long, default_value_t = 720)]
        size: u32,
    },
    /// Contact sheet: poster and mid-rep frame of every clip.
    Sheet {
        out: PathBuf,
        #[arg(long, default_value_t = 240)]
        tile: u32,
    },
    /// Check a rendered pack: manifest against the catalog, file hashes, MP4 structure.
    Check {
        #[arg(default_value = "build/clips")]
        dir: PathBuf,
        /// Allow a pack of only some assets (tests render two).
        #[arg(long)]
        partial: bool,
    },
}

fn load() -> Result<(CatalogFile, MotionFile), ClipError> {
    let catalog: CatalogFile = serde_json::from_str(EMBEDDED_CATALOG_JSON)
        .map_err(|e| talus_core::catalog::CatalogError::Parse(e.to_string()))?;
    let motions = MotionFile::load(EMBEDDED_MOTIONS_JSON, &catalog)?;
    Ok((catalog, motions))
}

fn run(cli: Cli) -> Result<(), ClipError> {
    let (catalog, motions) = load()?;
    match cli.command {
        Command::Render {
            out,
            size,
            fps,
            bitrate,
            only,
            jobs,
        } => {
            let started = Instant::now();
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let settings = PackSettings {
                out_dir: out.clone(),
                encode: EncodeSettings {
                    width: size,
                    height: size,
                    fps,
                    bitrate_bps: bitrate,
                },
                only,
                jobs,
            };
            let (manifest, times) = render_pack_timed(&catalog, &motions, &settings)?;
            let total: u64 = manifest.clips.iter().map(|c| c.bytes).sum();
            for c in &manifest.clips {
                println!(
                    "{:<34} {:>8} bytes  {:>6} ms  {:?}",
                    c.file, c.bytes, c.duration_ms, c.camera
                );
            }
            println!(
                "{} clips, {} bytes, {:.1} s, into {}",
                manifest.clips.len(),
                total,
                started.elapsed().as_secs_f64(),
                out.display()
            );
            let frames: u32 = manifest
                .clips
                .iter()
                .map(|c| u32::try_from(frame_of(c.duration_ms, c.fps)).unwrap_or(u32::MAX))
                .sum();
            println!(
                "stages (CPU s, all clips): draw {:.1} ({} of {} frames drawn, the rest repeat), \
                 rgba->yuv {:.1}, h264 {:.1}, mp4 {:.2}",
                times.draw.as_secs_f64(),
                times.drawn,
                frames,
                times.convert.as_secs_f64(),
                times.encode.as_secs_f64(),
                times.mux.as_secs_f64()
            );
            Ok(())
        }
        Command::Frame {
            asset,
            ms,
            out,
            size,
        } => {
            let (_, video) = catalog_videos(&catalog)
                .into_iter()
                .find(|(_, v)| v.asset_id == asset)
                .ok_or_else(|| ClipError::UnknownAsset(asset.clone()))?;
            let motion = motions.motion(&asset)?;
            let count = u32::try_from(ms.len()).unwrap_or(u32::MAX).min(64);
            let mut strip = tiny_skia::Pixmap::new(size.saturating_mul(count), size)
                .ok_or_else(|| ClipError::Settings("size".into()))?;
            let mut pix = tiny_skia::Pixmap::new(size, size)
                .ok_or_else(|| ClipError::Settings("size".into()))?;
            for (i, at) in (0..count).zip(&ms) {
                draw_frame(&mut pix, motion, frame_at_ms(video, *at));
                strip.draw_pixmap(
                    i32::try_from(i * size).unwrap_or(i32::MAX),
                    0,
                    pix.as_ref(),
                    &tiny_skia::PixmapPaint::default(),
                    tiny_skia::Transform::identity(),
                    None,
                );
            }
            strip
                .save_png(&out)
                .map_err(|e| ClipError::Encode(e.to_string()))?;
            Ok(())
        }
        Command::Sheet { out, tile } => {
            let sheet = talus_clips::sheet::contact_sheet(&catalog, &motions, tile)?;
            sheet
                .save_png(&out)
                .map_err(|e| ClipError::Encode(e.to_string()))?;
            Ok(())
        }
        Command::Check { dir, partial } => {
            let json = std::fs::read_to_string(dir.join("manifest.json"))?;
            let manifest = ClipManifest::from_json(&json)?;
            let mut problems: Vec<ClipProblem> = validate_manifest(&manifest, &catalog);
            if partial {
                problems.retain(|p| p.code != "missing_clip");
            }
            if !problems.is_empty() {
                return Err(talus_core::catalog::clips::ClipsError::Invalid(problems).into());
            }
            for entry in &manifest.clips {
                let bytes = std::fs::read(dir.join(&entry.file))?;
                if sha256_hex(&bytes) != entry.sha256 {
                    return Err(ClipError::Check(format!("{}: sha256 differs", entry.file)));
                }
                let facts = check_clip(&bytes, entry)?;
                for name in entry.captions.values() {
                    let vtt = std::fs::read_to_string(dir.join(name))?;
                    if !vtt.starts_with("WEBVTT") {
                        return Err(ClipError::Check(format!("{name}: not WebVTT")));
                    }
                }
                let png = std::fs::read(dir.join(&entry.poster))?;
                if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
                    return Err(ClipError::Check(format!("{}: not a PNG", entry.poster)));
                }
                println!(
                    "ok {:<34} {}×{} {} frames, keyframes at {:?}",
                    entry.file, facts.width, facts.height, facts.samples, facts.sync_frames
                );
            }
            println!("{} clips check out", manifest.clips.len());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("talus-clips: {e}");
            ExitCode::FAILURE
        }
    }
}
