//! Drill clips in the terminal coach: `talus drill <id> --play` hands the drill's clip from
//! the rendered pack to the system player (or prints its path), and `talus clips sheet`
//! draws a contact sheet (poster and mid-rep frame of every clip) for review.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::fail::CliError;
use crate::outln;
use crate::words::{t, tf};

/// Where the rendered pack lives: `$TALUS_CLIPS_DIR`, else `build/clips` (what
/// `scripts/render-clips.sh` writes).
pub fn pack_dir() -> PathBuf {
    std::env::var_os("TALUS_CLIPS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("build/clips"))
}

/// The system's "open this file" command, when there is a desktop to open it on.
fn system_opener() -> Option<&'static str> {
    if cfg!(target_os = "macos") {
        return Some("open");
    }
    let desktop =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("xdg-open").is_file()))
        .unwrap_or(false);
    (desktop && found).then_some("xdg-open")
}

/// Opens (or names) the clip of `drill_id` from the pack in `dir`.
pub fn play(drill_id: &str, dir: &Path) -> Result<(), CliError> {
    let manifest = dir.join("manifest.json");
    let json = std::fs::read_to_string(&manifest).map_err(|_| {
        CliError::user(tf(
            format!(
                "no clip pack at {} (render it with scripts/render-clips.sh, or set TALUS_CLIPS_DIR)",
                dir.display()
            ),
            format!(
                "kein Clip-Paket in {} (erzeuge es mit scripts/render-clips.sh oder setze TALUS_CLIPS_DIR)",
                dir.display()
            ),
        ))
    })?;
    let clip = talus_ffi::clip_info(json, drill_id.to_owned())?;
    let file = dir.join(&clip.file);
    if !file.is_file() {
        return Err(CliError::user(tf(
            format!("{} is missing from the pack", file.display()),
            format!("{} fehlt im Paket", file.display()),
        )));
    }
    let shown = match clip.shown_leg {
        talus_ffi::Side::Left => t("left", "linke"),
        talus_ffi::Side::Right => t("right", "rechte"),
    };
    let mirror = if clip.mirrorable {
        t(
            " (mirror it for the other side)",
            " (für die andere Seite gespiegelt)",
        )
    } else {
        ""
    };
    let (secs, w, h) = (clip.duration_ms / 1000, clip.width, clip.height);
    outln!("{}", file.display());
    outln!(
        "{}",
        tf(
            format!("  {secs} s, {w}×{h}, shows the {shown} leg{mirror}"),
            format!("  {secs} s, {w}×{h}, zeigt das {shown} Bein{mirror}"),
        )
    );
    if std::io::stdout().is_terminal() {
        if let Some(opener) = system_opener() {
            Command::new(opener)
                .arg(&file)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| {
                    CliError::user(tf(
                        format!("{opener} failed: {e}"),
                        format!("{opener} ist gescheitert: {e}"),
                    ))
                })?;
            outln!(
                "{}",
                tf(
                    format!("  opened with {opener}"),
                    format!("  geöffnet mit {opener}")
                )
            );
        }
    }
    Ok(())
}

/// Writes the contact sheet PNG.
pub fn sheet(out: &Path, tile: u32) -> Result<(), CliError> {
    if !(64..=720).contains(&tile) {
        return Err(CliError::usage("--tile must be 64–720 pixels"));
    }
    let catalog: talus_core::catalog::CatalogFile =
        serde_json::from_str(talus_core::catalog::EMBEDDED_CATALOG_JSON)
            .map_err(|e| e.to_string())?;
    let motions = talus_core::catalog::clips::MotionFile::load(
        talus_core::catalog::clips::EMBEDDED_MOTIONS_JSON,
        &catalog,
    )
    .map_err(|e| e.to_string())?;
    let pix =
        talus_clips::sheet::contact_sheet(&catalog, &motions, tile).map_err(|e| e.to_string())?;
    pix.save_png(out)
        .map_err(|e| CliError::user(format!("{}: {e}", out.display())))?;
    outln!(
        "{} ({}×{}): poster and mid-rep frame of every clip, in catalog order",
        out.display(),
        pix.width(),
        pix.height()
    );
    Ok(())
}
