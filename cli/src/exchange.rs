//! The terminal coach's sync, backup, clinician-export and run-import commands. Each is one
//! API call per action; files are written only after everything they hold was produced, so
//! a failure leaves nothing half-written.

use std::path::Path;
use std::sync::Arc;

use talus_ffi::{Engine, SyncReport};

use crate::fail::CliError;
use crate::now_ms;
use crate::words::{komma, t, tf};

/// Prints what a sync did, in a runner's words. `label` is already in the profile's language.
pub(crate) fn print_report(label: &str, r: &SyncReport) {
    crate::outln!(
        "{}",
        tf(
            format!(
                "{label}: {} new change(s) received, {} record(s) updated.",
                r.new_changes, r.records_written
            ),
            format!(
                "{label}: {} neue Änderung(en) erhalten, {} Eintrag/Einträge aktualisiert.",
                r.new_changes, r.records_written
            ),
        )
    );
    if let Some(path) = &r.written_path {
        crate::outln!(
            "{}",
            tf(
                format!("  wrote {} change(s) to {path}", r.written_changes),
                format!(
                    "  {} Änderung(en) nach {path} geschrieben",
                    r.written_changes
                ),
            )
        );
    }
    for kept in &r.kept_after_delete {
        crate::outln!(
            "{}",
            tf(
                format!("  kept {kept}: it was edited on one device after being deleted on another"),
                format!("  {kept} behalten: auf einem Gerät bearbeitet, nachdem es auf einem anderen gelöscht wurde"),
            )
        );
    }
    for d in &r.clock_drift {
        let days = d.ahead_ms as f64 / 86_400_000.0;
        crate::outln!(
            "{}",
            tf(
                format!(
                    "  ⚠ device {} has a clock {days:.1} days ahead; check its date settings",
                    d.device_id
                ),
                format!(
                    "  ⚠ Gerät {} geht {} Tage vor; prüfe dort Datum und Uhrzeit",
                    d.device_id,
                    komma(days)
                ),
            )
        );
    }
    for u in &r.unstorable {
        crate::outln!(
            "{}",
            tf(
                format!("  ⚠ not stored (kept for a newer version): {u}"),
                format!("  ⚠ nicht gespeichert (für eine neuere Version aufbewahrt): {u}"),
            )
        );
    }
    for f in &r.rejected {
        crate::outln!(
            "{}",
            tf(
                format!("  ⚠ skipped damaged file {}: {}", f.path, f.reason),
                format!(
                    "  ⚠ beschädigte Datei übersprungen {}: {}",
                    f.path, f.reason
                ),
            )
        );
    }
}

/// Two profiles on this machine exchange everything the other lacks, both ways. An API
/// error keeps its kind (and so its exit code): a damaged other profile is exit 5.
pub(crate) fn sync_with(
    engine: &Arc<Engine>,
    other_dir: &Path,
) -> Result<(SyncReport, SyncReport), CliError> {
    if !other_dir.join("talus.db").exists() {
        return Err(CliError::user(tf(
            format!(
                "{} is not a Talus profile folder (no talus.db)",
                other_dir.display()
            ),
            format!(
                "{} ist kein Talus-Profilordner (keine talus.db)",
                other_dir.display()
            ),
        )));
    }
    let other = Engine::open(other_dir.to_string_lossy().into(), now_ms())?;
    if other.device_id() == engine.device_id() {
        return Err(CliError::user(t(
            "that is this profile",
            "das ist dieses Profil",
        )));
    }
    let to_other = engine.export_for_device(other.device_id())?;
    let there = other.import_segment(to_other, now_ms())?;
    let to_here = other.export_for_device(engine.device_id())?;
    let here = engine.import_segment(to_here, now_ms())?;
    Ok((here, there))
}

/// Writes the clinician export (four CSV files and `export.json`) into `out`.
pub(crate) fn clinician_export(
    engine: &Engine,
    out: &Path,
    days: i64,
    zone: &str,
) -> Result<Vec<String>, CliError> {
    let now = now_ms();
    let from = now - days.clamp(1, 36_500) * 86_400_000;
    let export = engine.clinician_export(from, now + 60_000, zone.into())?;
    std::fs::create_dir_all(out).map_err(|e| {
        CliError::storage(tf(
            format!("cannot create {}: {e}", out.display()),
            format!("{} lässt sich nicht anlegen: {e}", out.display()),
        ))
    })?;
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
        std::fs::write(&path, text).map_err(|e| {
            CliError::storage(tf(
                format!("cannot write {}: {e}", path.display()),
                format!("{} lässt sich nicht schreiben: {e}", path.display()),
            ))
        })?;
        written.push(path.to_string_lossy().into_owned());
    }
    Ok(written)
}

/// Imports runs from a CSV file (`start,minutes,km[,tags]`, tags separated by `;`) through
/// the core's shared import path: every row is checked before anything is stored, one
/// transaction, and a re-run changes nothing.
pub(crate) fn import_runs(
    engine: &Engine,
    file: &Path,
    zone: &str,
) -> Result<(u32, u32, u32), CliError> {
    let bytes = std::fs::read(file).map_err(|e| crate::import::cannot_read(file, &e))?;
    let report = engine.import_runs_csv(bytes, zone.to_owned(), now_ms())?;
    Ok((report.inserted, report.updated, report.unchanged))
}
