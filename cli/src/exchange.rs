//! The terminal coach's sync, backup, clinician-export and run-import commands. Each is one
//! API call per action; files are written only after everything they hold was produced, so
//! a failure leaves nothing half-written.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeZone};
use talus_ffi::{Engine, RunInput, RunOutcome, SyncReport};

use crate::now_ms;

/// Prints what a sync did, in a runner's words.
pub(crate) fn print_report(label: &str, r: &SyncReport) {
    crate::outln!(
        "{label}: {} new change(s) received, {} record(s) updated.",
        r.new_changes,
        r.records_written
    );
    if let Some(path) = &r.written_path {
        crate::outln!("  wrote {} change(s) to {path}", r.written_changes);
    }
    for kept in &r.kept_after_delete {
        crate::outln!("  kept {kept}: it was edited on one device after being deleted on another");
    }
    for d in &r.clock_drift {
        crate::outln!(
            "  ⚠ device {} has a clock {:.1} days ahead; check its date settings",
            d.device_id,
            d.ahead_ms as f64 / 86_400_000.0
        );
    }
    for u in &r.unstorable {
        crate::outln!("  ⚠ not stored (kept for a newer version): {u}");
    }
    for f in &r.rejected {
        crate::outln!("  ⚠ skipped damaged file {}: {}", f.path, f.reason);
    }
}

/// Two profiles on this machine exchange everything the other lacks, both ways.
pub(crate) fn sync_with(
    engine: &Arc<Engine>,
    other_dir: &Path,
) -> Result<(SyncReport, SyncReport), String> {
    if !other_dir.join("talus.db").exists() {
        return Err(format!(
            "{} is not a Talus profile folder (no talus.db)",
            other_dir.display()
        ));
    }
    let other =
        Engine::open(other_dir.to_string_lossy().into(), now_ms()).map_err(|e| e.to_string())?;
    if other.device_id() == engine.device_id() {
        return Err("that is this profile".into());
    }
    let e = |err: talus_ffi::TalusError| err.to_string();
    let to_other = engine.export_for_device(other.device_id()).map_err(e)?;
    let there = other.import_segment(to_other, now_ms()).map_err(e)?;
    let to_here = other.export_for_device(engine.device_id()).map_err(e)?;
    let here = engine.import_segment(to_here, now_ms()).map_err(e)?;
    Ok((here, there))
}

/// Writes the clinician export (four CSV files and `export.json`) into `out`.
pub(crate) fn clinician_export(
    engine: &Engine,
    out: &Path,
    days: i64,
    zone: &str,
) -> Result<Vec<String>, String> {
    let now = now_ms();
    let from = now - days.clamp(1, 36_500) * 86_400_000;
    let export = engine
        .clinician_export(from, now + 60_000, zone.into())
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let files = [
        ("checkins.csv", &export.checkins_csv),
        ("set_pain.csv", &export.set_pain_csv),
        ("knee_to_wall.csv", &export.knee_to_wall_csv),
        ("runs.csv", &export.runs_csv),
        ("export.json", &export.json),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path.to_string_lossy().into_owned());
    }
    Ok(written)
}

/// One run parsed from a CSV line.
fn parse_run_line(line: &str, zone: &str, tz: talus_core::time::Tz) -> Result<RunInput, String> {
    let cols: Vec<&str> = line.split(',').map(str::trim).collect();
    let [start, minutes, km, rest @ ..] = cols.as_slice() else {
        return Err("expected start,minutes,km[,tags]".into());
    };
    let start = match DateTime::parse_from_rfc3339(start) {
        Ok(t) => t.with_timezone(&chrono::Utc),
        Err(_) => {
            let local = NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M")
                .map_err(|_| format!("start {start:?} is not 2026-11-22T08:00 or RFC 3339"))?;
            tz.from_local_datetime(&local)
                .earliest()
                .ok_or_else(|| format!("{start} does not exist in {zone}"))?
                .with_timezone(&chrono::Utc)
        }
    };
    let minutes: u32 = minutes
        .parse()
        .map_err(|_| format!("minutes {minutes:?} is not a whole number"))?;
    if minutes == 0 || minutes > 24 * 60 {
        return Err(format!("{minutes} minutes is not a run"));
    }
    let km: f64 = km
        .parse()
        .ok()
        .filter(|k: &f64| k.is_finite() && *k >= 0.0)
        .ok_or_else(|| format!("km {km:?} is not a distance"))?;
    let tags: Vec<String> = rest
        .iter()
        .flat_map(|t| t.split(';'))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let start_ms = start.timestamp_millis();
    Ok(RunInput {
        source: "csv".into(),
        // The start instant identifies the run, so importing the same file twice changes
        // nothing and a corrected row updates its run.
        external_id: format!("csv-{start_ms}"),
        start_ms,
        end_ms: start_ms + i64::from(minutes) * 60_000,
        distance_m: km * 1000.0,
        tags,
        zone: zone.into(),
    })
}

/// Imports runs from a CSV file with the header `start,minutes,km,tags` (tags separated by
/// `;`). Every line is checked before the first run is stored.
pub(crate) fn import_runs(
    engine: &Engine,
    file: &Path,
    zone: &str,
) -> Result<(u32, u32, u32), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let tz: talus_core::time::Tz = zone
        .parse()
        .map_err(|_| format!("unknown time zone {zone:?}"))?;
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (n == 0 && line.starts_with("start")) {
            continue;
        }
        match parse_run_line(line, zone, tz) {
            Ok(run) => runs.push(run),
            Err(why) => problems.push(format!("line {}: {why}", n + 1)),
        }
    }
    if !problems.is_empty() {
        return Err(format!("nothing imported; {}", problems.join("; ")));
    }
    let (mut inserted, mut updated, mut unchanged) = (0, 0, 0);
    for run in runs {
        let out = engine
            .record_run(run, now_ms())
            .map_err(|e| e.to_string())?;
        match out.outcome {
            RunOutcome::Inserted => inserted += 1,
            RunOutcome::Updated => updated += 1,
            RunOutcome::Unchanged => unchanged += 1,
        }
    }
    Ok((inserted, updated, unchanged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_parse_local_and_rfc3339_and_reject_nonsense() {
        let tz: talus_core::time::Tz = "Europe/Berlin".parse().unwrap();
        let local =
            parse_run_line("2026-07-05T08:00,95,21.1,long;race", "Europe/Berlin", tz).unwrap();
        assert_eq!(local.start_ms, 1_783_231_200_000);
        assert_eq!(local.end_ms - local.start_ms, 95 * 60_000);
        assert_eq!(local.tags, vec!["long", "race"]);
        let utc = parse_run_line("2026-07-05T06:00:00Z,30,5", "Europe/Berlin", tz).unwrap();
        assert_eq!(utc.start_ms, local.start_ms);
        assert!(parse_run_line("2026-07-05T08:00,-3,5", "Europe/Berlin", tz).is_err());
        assert!(parse_run_line("2026-07-05T08:00,30,-5", "Europe/Berlin", tz).is_err());
        assert!(parse_run_line("2026-03-29T02:30,30,5", "Europe/Berlin", tz).is_err());
        assert!(parse_run_line("yesterday,30", "Europe/Berlin", tz).is_err());
    }
}
