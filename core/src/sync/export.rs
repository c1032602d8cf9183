//! Clinician export: pain check-ins, per-set pain, knee-to-wall results and runs as CSV
//! files and one JSON document with the same columns (documented in
//! `docs/export-format.md`).
//!
//! Times are shown as local wall time with UTC offset in the zone the record was made in
//! (the runner's morning is a morning wherever they were), with the zone name in its own
//! column; a record whose zone does not parse falls back to the export zone.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::SyncError;
use crate::catalog::Catalog;
use crate::domain::{History, RegionScores};
use crate::formats;
use crate::time::{parse_zone, Tz};

/// Version of the export layout; bumped when a column changes meaning or disappears.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// Columns of `checkins.csv`.
pub const CHECKIN_COLUMNS: &[&str] = &[
    "checkin_id",
    "local_time",
    "zone",
    "utc_time",
    "pain_calf",
    "pain_achilles",
    "pain_ankle",
    "pain_max",
    "stiffness_calf",
    "stiffness_achilles",
    "stiffness_ankle",
    "red_flags_yes",
    "after_run_id",
];

/// Columns of `set_pain.csv`.
pub const SET_PAIN_COLUMNS: &[&str] = &[
    "session_id",
    "session_date",
    "local_time",
    "zone",
    "drill_id",
    "drill_name",
    "side",
    "set_index",
    "level",
    "pain",
    "target_reps",
    "reps_done",
    "target_hold_s",
    "hold_s_done",
    "stopped",
    "skipped",
    "reason_code",
    "note",
    "stretch",
];

/// Columns of `knee_to_wall.csv`.
pub const ROM_COLUMNS: &[&str] = &[
    "measurement_id",
    "local_time",
    "zone",
    "utc_time",
    "side",
    "cm",
];

/// Columns of `runs.csv`.
pub const RUN_COLUMNS: &[&str] = &[
    "run_id",
    "source",
    "start_local",
    "end_local",
    "zone",
    "duration_min",
    "distance_km",
    "tags",
    "utc_start",
];

/// The rendered export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFiles {
    /// `checkins.csv`: one row per check-in.
    pub checkins_csv: String,
    /// `set_pain.csv`: one row per logged set.
    pub set_pain_csv: String,
    /// `knee_to_wall.csv`: one row per knee-to-wall result.
    pub rom_csv: String,
    /// `runs.csv`: one row per run.
    pub runs_csv: String,
    /// `export.json`: the same four tables as arrays of objects, plus format metadata.
    pub json: String,
}

/// Renders `history` for a clinician. `zone` is the runner's home zone (IANA name); it is
/// recorded in the JSON and used for records whose own zone does not parse. Drill names come
/// from `catalog` (English) when given.
pub fn clinician_export(
    history: &History,
    catalog: Option<&Catalog>,
    zone: &str,
) -> Result<ExportFiles, SyncError> {
    let home = parse_zone(zone)?;
    let local = |at: DateTime<Utc>, record_zone: &str| -> (Value, Value) {
        let tz: Tz = parse_zone(record_zone).unwrap_or(home);
        let text = formats::write(&at.with_timezone(&tz), formats::SECOND_WITH_OFFSET);
        (Value::from(text), Value::from(tz.name()))
    };
    let utc = |at: DateTime<Utc>| Value::from(formats::write(&at, formats::SECOND_UTC));

    let mut checkins: Vec<_> = history.checkins.iter().collect();
    crate::order::sort_by_key(&mut checkins, |c| (c.at, c.id));
    let checkin_rows: Vec<Vec<Value>> = checkins
        .iter()
        .map(|c| {
            let (local_time, zone) = local(c.at, &c.zone);
            let [pc, pa, pk] = scores(&c.pain);
            let [sc, sa, sk] = scores(&c.stiffness);
            vec![
                Value::from(c.id.to_string()),
                local_time,
                zone,
                utc(c.at),
                pc,
                pa,
                pk,
                Value::from(c.pain.max().value()),
                sc,
                sa,
                sk,
                Value::from(c.red_flags_yes.join(";")),
                c.run_id.map_or(Value::Null, |r| Value::from(r.to_string())),
            ]
        })
        .collect();

    let mut set_rows: Vec<(DateTime<Utc>, Vec<Value>)> = Vec::new();
    for session in &history.sessions {
        for set in &session.sets {
            let (local_time, zone) = local(set.at, &session.zone);
            let drill_name = catalog
                .and_then(|c| c.drill(&set.drill_id).ok())
                .and_then(|d| d.text("en"))
                .map_or(Value::Null, |t| Value::from(t.name.as_str()));
            set_rows.push((
                set.at,
                vec![
                    Value::from(session.id.to_string()),
                    Value::from(crate::formats::date_text(session.planned_for)),
                    local_time,
                    zone,
                    Value::from(set.drill_id.as_str()),
                    drill_name,
                    set.side.map_or(Value::Null, |s| Value::from(s.as_str())),
                    Value::from(set.set_index),
                    Value::from(set.level),
                    set.pain.map_or(Value::Null, |p| Value::from(p.value())),
                    Value::from(set.target_reps),
                    Value::from(set.reps_done),
                    Value::from(set.target_hold_s),
                    Value::from(set.hold_s_done),
                    Value::from(set.stopped),
                    Value::from(set.skipped),
                    Value::from(set.reason_code.as_deref()),
                    Value::from(set.note.as_deref()),
                    Value::from(set.stretch),
                ],
            ));
        }
    }
    crate::order::sort_by_key(&mut set_rows, |(at, _)| *at);
    let set_rows: Vec<Vec<Value>> = set_rows.into_iter().map(|(_, r)| r).collect();

    let mut rom: Vec<_> = history.rom.iter().collect();
    crate::order::sort_by_key(&mut rom, |m| (m.at, m.side, m.id));
    let rom_rows: Vec<Vec<Value>> = rom
        .iter()
        .map(|m| {
            let (local_time, zone) = local(m.at, &m.zone);
            vec![
                Value::from(m.id.to_string()),
                local_time,
                zone,
                utc(m.at),
                Value::from(m.side.as_str()),
                Value::from(m.cm),
            ]
        })
        .collect();

    let mut runs: Vec<_> = history.runs.iter().collect();
    crate::order::sort_by_key(&mut runs, |r| (r.record.start, r.id));
    let run_rows: Vec<Vec<Value>> = runs
        .iter()
        .map(|r| {
            let (start_local, zone) = local(r.record.start, &r.record.zone);
            let (end_local, _) = local(r.record.end, &r.record.zone);
            let minutes = (r.record.end - r.record.start).num_seconds() as f64 / 60.0;
            vec![
                Value::from(r.id.to_string()),
                Value::from(r.record.source.as_str()),
                start_local,
                end_local,
                zone,
                Value::from(round2(minutes)),
                Value::from(round2(r.record.distance_m / 1000.0)),
                Value::from(r.record.tags.join(";")),
                utc(r.record.start),
            ]
        })
        .collect();

    // The document's fields inserted as `json!` inserts them, without serde's `to_value`.
    let mut document = serde_json::Map::new();
    for (key, value) in [
        ("format", Value::from("talus-clinician-export")),
        ("version", Value::from(EXPORT_FORMAT_VERSION)),
        ("export_zone", Value::from(home.name())),
        ("checkins", objects(CHECKIN_COLUMNS, &checkin_rows)),
        ("set_pain", objects(SET_PAIN_COLUMNS, &set_rows)),
        ("knee_to_wall", objects(ROM_COLUMNS, &rom_rows)),
        ("runs", objects(RUN_COLUMNS, &run_rows)),
    ] {
        document.insert(key.to_owned(), value);
    }
    let document = Value::Object(document);
    Ok(ExportFiles {
        checkins_csv: csv(CHECKIN_COLUMNS, &checkin_rows),
        set_pain_csv: csv(SET_PAIN_COLUMNS, &set_rows),
        rom_csv: csv(ROM_COLUMNS, &rom_rows),
        runs_csv: csv(RUN_COLUMNS, &run_rows),
        json: serde_json::to_string_pretty(&document)
            .map_err(|e| SyncError::Render(e.to_string()))?,
    })
}

fn scores(s: &RegionScores) -> [Value; 3] {
    [
        Value::from(s.calf.value()),
        Value::from(s.achilles.value()),
        Value::from(s.ankle.value()),
    ]
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn objects(columns: &[&str], rows: &[Vec<Value>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|row| {
                Value::Object(crate::order::by_insertion(
                    columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| ((*c).to_owned(), v.clone())),
                ))
            })
            .collect(),
    )
}

/// RFC 4180 CSV: header row, CRLF line ends, fields quoted when they hold a comma, quote or
/// line break. Text starting with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet
/// shows it instead of evaluating it (runner notes are free text).
fn csv(columns: &[&str], rows: &[Vec<Value>]) -> String {
    let mut out = String::new();
    out.push_str(&columns.join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(csv_cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(value: &Value) -> String {
    let text = match value {
        Value::Null => return String::new(),
        Value::String(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
        Value::String(s) => s.clone(),
        // The JSON text `Value`'s `Display` writes, without the `fmt` writer behind it: a
        // number's own text, and the compact JSON writer the stored records use already for
        // the rest (the rows hold no arrays or objects).
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_json::to_string(other).unwrap_or_default(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_cells_are_quoted_and_neutralised() {
        assert_eq!(csv_cell(&json!("a,b")), "\"a,b\"");
        assert_eq!(csv_cell(&json!("say \"hi\"\n")), "\"say \"\"hi\"\"\n\"");
        assert_eq!(csv_cell(&json!("=SUM(A1)")), "'=SUM(A1)");
        assert_eq!(csv_cell(&json!(-3)), "-3");
        assert_eq!(csv_cell(&Value::Null), "");
        assert_eq!(csv_cell(&json!(true)), "true");
    }

    /// The cell as it was written before numbers and flags skipped `Value`'s `Display`.
    fn cell_through_display(value: &Value) -> String {
        let text = match value {
            Value::Null => return String::new(),
            Value::String(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Every kind of value a row holds becomes the same `Value` as `json!` made of it,
        /// and the same cell as `Display` wrote.
        #[test]
        fn cells_are_what_json_and_display_made(
            small: u8,
            count: u32,
            x: f64,
            cm in 0.0f64..40.0,
            flag: bool,
            maybe: Option<u32>,
            text: Option<String>,
        ) {
            let round = round2(x / 7.0);
            let values = [
                (Value::from(small), json!(small)),
                (Value::from(count), json!(count)),
                (Value::from(x), json!(x)),
                (Value::from(cm), json!(cm)),
                (Value::from(round), json!(round)),
                (Value::from(flag), json!(flag)),
                (Value::from(maybe), json!(maybe)),
                (Value::from(text.as_deref()), json!(text)),
                (Value::from(text.clone().unwrap_or_default()), json!(text.unwrap_or_default())),
            ];
            for (ours, theirs) in values {
                proptest::prop_assert_eq!(&ours, &theirs);
                proptest::prop_assert_eq!(csv_cell(&ours), cell_through_display(&theirs));
            }
        }
    }

    #[test]
    fn cells_of_edge_numbers_and_nested_values_are_what_display_wrote() {
        let values = [
            json!(0.0),
            json!(-0.0),
            json!(0.1),
            json!(1e21),
            json!(1e-7),
            json!(f64::MAX),
            json!(f64::MIN_POSITIVE),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(f64::NAN),
            json!([1, "a,b", null]),
            json!({"k": "=v", "n": 1.5}),
        ];
        for value in values {
            assert_eq!(csv_cell(&value), cell_through_display(&value), "{value}");
        }
    }

    #[test]
    fn the_document_is_what_json_made() {
        let rows = vec![vec![json!("id"), json!(1.5), Value::Null]];
        let columns = &["a", "b", "c"];
        let ours = Value::Object(serde_json::Map::from_iter([
            ("format".to_owned(), Value::from("talus-clinician-export")),
            ("version".to_owned(), Value::from(EXPORT_FORMAT_VERSION)),
            ("export_zone".to_owned(), Value::from("Europe/Berlin")),
            ("checkins".to_owned(), objects(columns, &rows)),
            ("runs".to_owned(), objects(columns, &[])),
        ]));
        let theirs = json!({
            "format": "talus-clinician-export",
            "version": EXPORT_FORMAT_VERSION,
            "export_zone": "Europe/Berlin",
            "checkins": objects(columns, &rows),
            "runs": objects(columns, &[]),
        });
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::to_string_pretty(&ours).ok(),
            serde_json::to_string_pretty(&theirs).ok()
        );
    }
}
