//! Run import from files: the CSV reader, and the one commit path every importer (CSV here,
//! GPX/TCX/FIT in the terminal coach) shares through [`Store::upsert_runs`].
//!
//! The CSV format is `start,minutes,km[,tags]` with an optional header line, `#` comments,
//! tags separated by `;`. It is read with the `csv` crate, so quoted fields, CRLF line ends
//! and the byte-order mark Excel writes ("CSV UTF-8") all work. Every row is checked before
//! anything is stored; the file is refused as a whole, with every problem listed by line,
//! if one row is wrong. Plausibility: a run lasts 1 minute to 24 hours and covers at most
//! 1000 km; text holds no control characters; a distance written with a decimal comma
//! (`5,2`) must be quoted, or it would read as 5 km with a tag "2", so an unquoted one is
//! refused with a hint.

use chrono::{DateTime, TimeZone, Utc};

use super::repo::{validate_run, MAX_RUN_M};
use super::StoreError;
use crate::domain::RunRecord;
use crate::time::parse_zone;

/// Largest run file accepted (a decade of daily runs is under 1 MB).
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// Most rows accepted from one file.
pub const MAX_IMPORT_ROWS: usize = 50_000;
/// At most this many problems are listed in the error.
const MAX_PROBLEMS: usize = 20;

/// Parses a run CSV (see the module doc) into records for `zone` (the zone local start
/// times are read in). Refuses the whole file, listing the problems by line, if any row is
/// wrong; nothing is stored by this function.
pub fn parse_runs_csv(bytes: &[u8], zone: &str) -> Result<Vec<RunRecord>, StoreError> {
    let tz = parse_zone(zone)?;
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(StoreError::Rejected(format!(
            "the file is {} bytes, more than the {MAX_IMPORT_BYTES} accepted",
            bytes.len()
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut runs = Vec::new();
    let mut starts: foldhash::HashMap<DateTime<Utc>, (u64, RunRecord)> =
        foldhash::HashMapExt::new();
    let mut problems = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let is_header = first
            && record
                .get(0)
                .is_some_and(|f| f.eq_ignore_ascii_case(b"start"));
        first = false;
        if is_header || record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        if runs.len() + problems.len() >= MAX_IMPORT_ROWS {
            problems.push(format!("more than {MAX_IMPORT_ROWS} rows"));
            break;
        }
        match parse_row(&record, zone, tz) {
            // The start identifies the run: a repeated row is harmless, two different
            // rows with one start would make the import depend on their order.
            Ok(run) => match starts.get(&run.start) {
                Some((_, seen)) if *seen == run => {}
                Some((first, _)) => problems.push(format!(
                    "line {line}: same start as line {first} with other values"
                )),
                None => {
                    starts.insert(run.start, (line, run.clone()));
                    runs.push(run);
                }
            },
            Err(why) => problems.push(format!("line {line}: {why}")),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Rejected(problems.join("; ")));
    }
    Ok(runs)
}

fn parse_row(
    record: &csv::ByteRecord,
    zone: &str,
    tz: crate::time::Tz,
) -> Result<RunRecord, String> {
    let mut fields = Vec::with_capacity(4);
    for field in record.iter() {
        let text = std::str::from_utf8(field).map_err(|_| "not UTF-8 text".to_owned())?;
        if text.chars().any(char::is_control) {
            return Err("control characters (such as NUL) are not text".into());
        }
        fields.push(text);
    }
    let (start, minutes, km, tags) = match fields.as_slice() {
        [start, minutes, km] => (*start, *minutes, *km, ""),
        [start, minutes, km, tags] => (*start, *minutes, *km, *tags),
        [_, _, km, next, ..] if is_digits(next) && is_digits(km) => {
            return Err(format!(
                "\"{km},{next}\" looks like a decimal comma: write {km}.{next} or quote it"
            ))
        }
        _ => {
            return Err(format!(
                "expected start,minutes,km[,tags], found {} columns",
                fields.len()
            ))
        }
    };
    if tags.split(';').any(|t| is_digits(t.trim())) && is_digits(km) {
        return Err(format!(
            "tag after km {km} is a number: a decimal comma? write {km}.{tags} or quote it"
        ));
    }
    let start = parse_start(start, tz).ok_or_else(|| {
        format!("start {start:?} is not 2026-11-22T08:00 (local), RFC 3339, or does not exist in {zone}")
    })?;
    let minutes: u32 = minutes
        .parse()
        .ok()
        .filter(|m| (1..=24 * 60).contains(m))
        .ok_or_else(|| format!("minutes {minutes:?} is not a whole number from 1 to 1440"))?;
    let km_value: f64 = crate::decimal::parse_finite(&km.replacen(',', ".", 1))
        .filter(|k: &f64| k.is_finite() && *k >= 0.0 && *k * 1000.0 <= MAX_RUN_M)
        .ok_or_else(|| format!("km {km:?} is not a distance from 0 to 1000"))?;
    let tags: Vec<String> = tags
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let start_ms = start.timestamp_millis();
    let run = RunRecord {
        source: "csv".into(),
        // The start instant identifies the run: importing the same file again changes
        // nothing, and a corrected row updates its run.
        external_id: format!("csv-{start_ms}"),
        start,
        end: start + chrono::Duration::minutes(i64::from(minutes)),
        distance_m: km_value * 1000.0,
        tags,
        zone: zone.to_owned(),
    };
    validate_run(&run).map_err(|e| e.to_string())?;
    Ok(run)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_start(text: &str, tz: crate::time::Tz) -> Option<DateTime<Utc>> {
    if let Some(t) = crate::formats::parse_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    use crate::formats::{
        parse_naive, LOCAL_MINUTE, LOCAL_MINUTE_SPACE, LOCAL_SECOND, LOCAL_SECOND_SPACE,
    };
    let local = [
        LOCAL_MINUTE,
        LOCAL_MINUTE_SPACE,
        LOCAL_SECOND,
        LOCAL_SECOND_SPACE,
    ]
    .iter()
    .find_map(|items| parse_naive(text, items).ok())?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}
