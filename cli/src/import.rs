//! `talus run import`: runs from the files runners already have — GPX and TCX (Strava,
//! Garmin Connect), FIT (Garmin devices), Apple Health's `export.xml`, and our own CSV.
//!
//! XML files are read as a stream of events, never loaded whole (an Apple Health export
//! reaches hundreds of MB), with a progress bar on a terminal. Only running activities are
//! imported; every other sport is counted and named. Each activity gets a stable id (its
//! format and start instant), so importing the same file again changes nothing and an
//! export that overlaps an earlier one adds only the new runs.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use quick_xml::events::{BytesStart, Event};
use talus_ffi::{Engine, RunInput};

use crate::fail::CliError;
use crate::now_ms;
use crate::words::tf;

/// One activity found in a file, before the running filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// The format it came from (`gpx`, `tcx`, `fit`, `apple_health`), the run's source.
    pub source: &'static str,
    pub start_ms: i64,
    pub end_ms: i64,
    pub distance_m: f64,
    /// The sport as the file names it; `None` when the file does not say.
    pub sport: Option<String>,
}

/// The file formats `run import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Gpx,
    Tcx,
    Fit,
    AppleHealth,
}

/// What an import found and did.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Activities left out because they are not runs, by sport.
    pub other_sports: BTreeMap<String, u32>,
    /// Activities whose file names no sport: imported only when the runner says they
    /// were runs (`--assume-run`).
    pub untyped: u32,
    /// Activities found in the file, of any sport.
    pub found: u32,
    /// The first and last start of the runs imported (any outcome), UTC ms.
    pub span_ms: Option<(i64, i64)>,
    /// Activities without usable times (a planned route, an empty track).
    pub without_times: u32,
}

/// Picks the format from the extension, else from the first bytes.
pub fn detect(path: &Path) -> Result<Format, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => return Ok(Format::Csv),
        "gpx" => return Ok(Format::Gpx),
        "tcx" => return Ok(Format::Tcx),
        "fit" => return Ok(Format::Fit),
        _ => {}
    }
    let mut head = vec![0u8; 4096];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| cannot_read(path, &e))?;
    let head = &head[..n];
    let text = String::from_utf8_lossy(head);
    if head.len() >= 12 && &head[8..12] == b".FIT" {
        Ok(Format::Fit)
    } else if text.contains("<HealthData") || text.contains("HealthKit") {
        Ok(Format::AppleHealth)
    } else if text.contains("<TrainingCenterDatabase") {
        Ok(Format::Tcx)
    } else if text.contains("<gpx") {
        Ok(Format::Gpx)
    } else if ext == "xml" {
        Ok(Format::AppleHealth)
    } else {
        Err(CliError::user(tf(
            format!(
                "{}: not a file `run import` reads; give a .gpx, .tcx, .fit, Apple Health export.xml or .csv file",
                path.display()
            ),
            format!(
                "{}: keine Datei, die `run import` liest; gib eine .gpx-, .tcx-, .fit-, .csv-Datei oder den Apple-Health-Export export.xml an",
                path.display()
            ),
        )))
    }
}

/// A file that cannot be read, in the profile's language.
pub(crate) fn cannot_read(path: &Path, e: &std::io::Error) -> CliError {
    CliError::user(tf(
        format!("cannot read {}: {e}", path.display()),
        format!("{} lässt sich nicht lesen: {e}", path.display()),
    ))
}

/// Whether a sport name from any of the formats means running.
pub fn is_running(sport: &str) -> bool {
    let s = sport.to_lowercase();
    s == "9" // Strava's GPX type code for a run
        || s.contains("running")
        || s == "run"
        || s == "trail run"
        || s == "virtualrun"
        || s == "treadmill"
}

/// A reader that moves a progress bar as bytes go through.
struct Counted<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    // indicatif draws on stderr only when it is a terminal; scripts see nothing.
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {bar:30.cyan/blue} {bytes}/{total_bytes} ({eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    bar
}

fn open(
    path: &Path,
    what: &str,
) -> Result<(BufReader<Counted<File>>, indicatif::ProgressBar), CliError> {
    let file = File::open(path).map_err(|e| cannot_read(path, &e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress(len, what);
    Ok((
        BufReader::with_capacity(
            256 * 1024,
            Counted {
                inner: file,
                bar: bar.clone(),
            },
        ),
        bar,
    ))
}

fn xml_error(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError {
        kind: crate::fail::Kind::Damaged,
        message: format!("{} is not readable XML: {e}", path.display()),
    }
}

fn rfc3339_ms(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
}

/// Apple Health's date format: `2024-01-01 07:00:00 +0100`.
fn health_ms(s: &str) -> Option<i64> {
    DateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S %z")
        .ok()
        .map(|t| t.timestamp_millis())
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Great-circle distance in metres (haversine on a 6371 km sphere).
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().min(1.0).asin()
}

/// GPX: one activity per track; times from the first and last point, distance summed
/// between points.
pub fn read_gpx(path: &Path, input: impl BufRead) -> Result<Vec<Activity>, CliError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut path_stack: Vec<Vec<u8>> = Vec::new();
    let mut sport: Option<String> = None;
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    let mut dist = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    let mut route_points = 0u32;
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(path, e))?
        {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"trk" => {
                        sport = None;
                        first = None;
                        last = None;
                        dist = 0.0;
                        prev = None;
                    }
                    b"trkseg" => prev = None,
                    b"rtept" => route_points += 1,
                    b"trkpt" => {
                        let lat = attr(&e, b"lat").and_then(|v| v.parse::<f64>().ok());
                        let lon = attr(&e, b"lon").and_then(|v| v.parse::<f64>().ok());
                        if let (Some(lat), Some(lon)) = (lat, lon) {
                            if let Some(p) = prev {
                                dist += haversine_m(p, (lat, lon));
                            }
                            prev = Some((lat, lon));
                        }
                    }
                    _ => {}
                }
                path_stack.push(name);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| xml_error(path, e))?;
                let parent = path_stack.iter().rev().nth(1).map(Vec::as_slice);
                match (path_stack.last().map(Vec::as_slice), parent) {
                    (Some(b"type"), Some(b"trk")) => sport = Some(text.trim().to_owned()),
                    (Some(b"time"), Some(b"trkpt")) => {
                        if let Some(ms) = rfc3339_ms(&text) {
                            first = Some(first.map_or(ms, |f| f.min(ms)));
                            last = Some(last.map_or(ms, |l| l.max(ms)));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if e.local_name().as_ref() == b"trk" {
                    out.push(Activity {
                        source: "gpx",
                        start_ms: first.unwrap_or(0),
                        end_ms: last.unwrap_or(0),
                        distance_m: dist,
                        sport: sport.take(),
                    });
                }
                path_stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // A route is a plan, not a recorded run; one is reported so the runner hears why
    // nothing was imported.
    if out.is_empty() && route_points > 0 {
        out.push(Activity {
            source: "gpx",
            start_ms: 0,
            end_ms: 0,
            distance_m: 0.0,
            sport: None,
        });
    }
    Ok(out)
}

/// TCX: one activity per `<Activity Sport=…>`; start from its laps, duration and distance
/// summed over the laps.
pub fn read_tcx(path: &Path, input: impl BufRead) -> Result<Vec<Activity>, CliError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<Activity> = None;
    let mut lap_start: Option<i64> = None;
    let mut seconds = 0.0;
    let mut last_point: Option<i64> = None;
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(path, e))?
        {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"Activity" => {
                        current = Some(Activity {
                            source: "tcx",
                            start_ms: 0,
                            end_ms: 0,
                            distance_m: 0.0,
                            sport: attr(&e, b"Sport"),
                        });
                        lap_start = None;
                        seconds = 0.0;
                        last_point = None;
                    }
                    b"Lap" => {
                        if let Some(ms) = attr(&e, b"StartTime").and_then(|s| rfc3339_ms(&s)) {
                            lap_start = Some(lap_start.map_or(ms, |l: i64| l.min(ms)));
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| xml_error(path, e))?;
                let parent = stack.iter().rev().nth(1).map(Vec::as_slice);
                match (stack.last().map(Vec::as_slice), parent, current.as_mut()) {
                    (Some(b"TotalTimeSeconds"), Some(b"Lap"), Some(_)) => {
                        seconds += text.trim().parse::<f64>().unwrap_or(0.0);
                    }
                    (Some(b"DistanceMeters"), Some(b"Lap"), Some(a)) => {
                        a.distance_m += text.trim().parse::<f64>().unwrap_or(0.0);
                    }
                    (Some(b"Id"), Some(b"Activity"), Some(a)) => {
                        a.start_ms = rfc3339_ms(&text).unwrap_or(0);
                    }
                    (Some(b"Time"), Some(b"Trackpoint"), Some(_)) => {
                        if let Some(ms) = rfc3339_ms(&text) {
                            last_point = Some(last_point.map_or(ms, |l| l.max(ms)));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if e.local_name().as_ref() == b"Activity" {
                    if let Some(mut a) = current.take() {
                        if let Some(start) = lap_start {
                            a.start_ms = start;
                        }
                        a.end_ms = if seconds > 0.0 {
                            a.start_ms + (seconds * 1000.0) as i64
                        } else {
                            last_point.unwrap_or(0)
                        };
                        if a.start_ms == 0 {
                            a.end_ms = 0;
                        }
                        out.push(a);
                    }
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn distance_in_m(value: f64, unit: &str) -> f64 {
    match unit.trim() {
        "km" => value * 1000.0,
        "mi" => value * 1609.344,
        "m" => value,
        "yd" => value * 0.9144,
        "ft" => value * 0.3048,
        _ => value * 1000.0,
    }
}

/// Apple Health `export.xml`: every `<Workout>`; distance from its attribute (older
/// exports) or its `WorkoutStatistics` for walking+running distance (newer ones).
pub fn read_apple_health(path: &Path, input: impl BufRead) -> Result<Vec<Activity>, CliError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut open: Option<Activity> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(path, e))?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(end) if end.local_name().as_ref() == b"Workout" => {
                out.extend(open.take());
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.local_name().as_ref() {
                b"Workout" => {
                    let a = Activity {
                        source: "apple_health",
                        start_ms: attr(e, b"startDate")
                            .and_then(|s| health_ms(&s))
                            .unwrap_or(0),
                        end_ms: attr(e, b"endDate").and_then(|s| health_ms(&s)).unwrap_or(0),
                        distance_m: match (
                            attr(e, b"totalDistance").and_then(|v| v.parse::<f64>().ok()),
                            attr(e, b"totalDistanceUnit"),
                        ) {
                            (Some(v), Some(u)) => distance_in_m(v, &u),
                            (Some(v), None) => v * 1000.0,
                            _ => 0.0,
                        },
                        sport: attr(e, b"workoutActivityType"),
                    };
                    if empty {
                        out.push(a);
                    } else {
                        open = Some(a);
                    }
                }
                b"WorkoutStatistics" => {
                    if let Some(a) = open.as_mut() {
                        let kind = attr(e, b"type").unwrap_or_default();
                        if kind == "HKQuantityTypeIdentifierDistanceWalkingRunning"
                            && a.distance_m == 0.0
                        {
                            if let Some(v) = attr(e, b"sum").and_then(|v| v.parse::<f64>().ok()) {
                                a.distance_m =
                                    distance_in_m(v, &attr(e, b"unit").unwrap_or_default());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    Ok(out)
}

fn fit_ms(v: &fitparser::Value) -> Option<i64> {
    match v {
        fitparser::Value::Timestamp(t) => Some(t.with_timezone(&Utc).timestamp_millis()),
        _ => None,
    }
}

fn fit_f64(v: &fitparser::Value) -> Option<f64> {
    use fitparser::Value as V;
    match v {
        V::Float64(x) => Some(*x),
        V::Float32(x) => Some(f64::from(*x)),
        V::UInt32(x) | V::UInt32z(x) => Some(f64::from(*x)),
        V::UInt16(x) | V::UInt16z(x) => Some(f64::from(*x)),
        V::SInt32(x) => Some(f64::from(*x)),
        _ => None,
    }
}

/// FIT: one activity per `session` message (a multisport file has several).
pub fn read_fit(path: &Path, mut input: impl Read) -> Result<Vec<Activity>, CliError> {
    let records = fitparser::from_reader(&mut input).map_err(|e| CliError {
        kind: crate::fail::Kind::Damaged,
        message: format!("{} is not a readable FIT file: {e}", path.display()),
    })?;
    let mut out = Vec::new();
    for r in records
        .iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Session)
    {
        let mut a = Activity {
            source: "fit",
            start_ms: 0,
            end_ms: 0,
            distance_m: 0.0,
            sport: None,
        };
        let mut elapsed = None;
        for f in r.fields() {
            match f.name() {
                "start_time" => a.start_ms = fit_ms(f.value()).unwrap_or(0),
                "total_elapsed_time" => elapsed = fit_f64(f.value()),
                "total_timer_time" if elapsed.is_none() => elapsed = fit_f64(f.value()),
                "total_distance" => a.distance_m = fit_f64(f.value()).unwrap_or(0.0),
                "sport" => a.sport = Some(f.value().to_string()),
                _ => {}
            }
        }
        if a.start_ms != 0 {
            a.end_ms = a.start_ms + (elapsed.unwrap_or(0.0) * 1000.0) as i64;
        }
        out.push(a);
    }
    Ok(out)
}

/// Reads every activity of a file in `format`.
pub fn read(path: &Path, format: Format) -> Result<Vec<Activity>, CliError> {
    let what = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (input, bar) = open(path, &format!("reading {what}"))?;
    let result = match format {
        Format::Gpx => read_gpx(path, input),
        Format::Tcx => read_tcx(path, input),
        Format::AppleHealth => read_apple_health(path, input),
        Format::Fit => read_fit(path, input),
        Format::Csv => Ok(Vec::new()),
    };
    bar.finish_and_clear();
    result
}

/// Imports the running activities of `path` into the profile.
pub fn import(
    engine: &Engine,
    path: &Path,
    format: Format,
    zone: &str,
    assume_run: bool,
) -> Result<Report, CliError> {
    let activities = read(path, format)?;
    let mut report = Report {
        found: activities.len() as u32,
        ..Report::default()
    };
    let mut runs = Vec::new();
    for a in activities {
        if a.start_ms <= 0 || a.end_ms <= a.start_ms {
            report.without_times += 1;
            continue;
        }
        match &a.sport {
            Some(s) if !is_running(s) => {
                let name = s.trim_start_matches("HKWorkoutActivityType").to_lowercase();
                *report.other_sports.entry(name).or_insert(0) += 1;
                continue;
            }
            None => {
                report.untyped += 1;
                if !assume_run {
                    continue;
                }
            }
            _ => {}
        }
        let start = a.start_ms;
        report.span_ms = Some(match report.span_ms {
            Some((first, last)) => (first.min(start), last.max(start)),
            None => (start, start),
        });
        runs.push(RunInput {
            source: a.source.into(),
            // The start instant identifies an activity within its format, so importing
            // the same export twice, or an overlapping one, changes nothing.
            external_id: format!("{}-{}", a.source, a.start_ms),
            start_ms: a.start_ms,
            end_ms: a.end_ms,
            distance_m: a.distance_m.max(0.0),
            tags: Vec::new(),
            zone: zone.into(),
        });
    }
    // One transaction through the core: every run checked before the first is stored, so
    // a refused record or a kill leaves the profile as it was.
    let stored = engine.import_runs(runs, now_ms())?;
    report.inserted = stored.inserted;
    report.updated = stored.updated;
    report.unchanged = stored.unchanged;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sports_are_recognised_across_formats() {
        for s in [
            "running",
            "Running",
            "Run",
            "9",
            "HKWorkoutActivityTypeRunning",
            "trail_running",
        ] {
            assert!(is_running(s), "{s}");
        }
        for s in [
            "cycling",
            "Biking",
            "HKWorkoutActivityTypeWalking",
            "Other",
            "alpineTour",
        ] {
            assert!(!is_running(s), "{s}");
        }
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m((50.0, 8.0), (51.0, 8.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }

    #[test]
    fn apple_health_workouts_in_old_and_new_shapes() {
        let xml = r#"<?xml version="1.0"?>
<HealthData locale="en_DE">
 <Record type="HKQuantityTypeIdentifierStepCount" value="12" startDate="2024-03-01 07:00:00 +0100" endDate="2024-03-01 07:01:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="42.5" durationUnit="min" totalDistance="8.2" totalDistanceUnit="km" sourceName="Watch" startDate="2024-03-01 07:00:00 +0100" endDate="2024-03-01 07:42:30 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" sourceName="Watch" startDate="2024-03-03 18:00:00 +0100" endDate="2024-03-03 18:30:00 +0100">
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" sum="300" unit="kcal"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="3.1" unit="mi"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="60" durationUnit="min" startDate="2024-03-04 18:00:00 +0100" endDate="2024-03-04 19:00:00 +0100"/>
</HealthData>"#;
        let a = read_apple_health(Path::new("x.xml"), xml.as_bytes()).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].start_ms, 1_709_272_800_000);
        assert_eq!(a[0].end_ms - a[0].start_ms, 42 * 60_000 + 30_000);
        assert!((a[0].distance_m - 8200.0).abs() < 1e-6);
        assert!((a[1].distance_m - 3.1 * 1609.344).abs() < 1e-6);
        assert_eq!(a[2].sport.as_deref(), Some("HKWorkoutActivityTypeCycling"));
    }

    #[test]
    fn broken_xml_is_a_damaged_file_not_a_panic() {
        let e = read_gpx(Path::new("x.gpx"), "<gpx><trk><trkseg></trk>".as_bytes()).unwrap_err();
        assert_eq!(e.kind, crate::fail::Kind::Damaged);
    }
}
