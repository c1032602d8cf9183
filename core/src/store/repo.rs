//! Typed repositories over the store's tables: validated writes (each in one transaction
//! together with its sync operations) and the history queries the app needs.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::unit::LevelNote;
use super::{Cached, Store, StoreError};
use crate::domain::{
    non_negative, CheckIn, DomainError, DrillProgress, History, PlanVariant, RegionScores,
    RomMeasurement, Run, RunRecord, Score, SessionOutcome, SessionRecord, SessionStatus, SetLog,
    Settings, Side,
};
use crate::formats::date_text;
use crate::json::tree::Json;
use crate::safety::{SafetyEvent, SafetyRecord};
use crate::sorted_map::SortedMap;
use crate::sync::{EntityKind, Hlc, Op, OpAction, Stamp};
use crate::time::{local_date, parse_zone};

/// Longest run accepted (a run record longer than this is a recording error).
const MAX_RUN: Duration = Duration::hours(24);
/// Slack for clocks that are slightly ahead when a check-in arrives.
const FUTURE_SLACK: Duration = Duration::minutes(5);
/// Knee-to-wall distances beyond this are not a measurement.
const MAX_ROM_CM: f64 = 40.0;
const MAX_TEXT: usize = 200;
/// How far before a history window knee-to-wall results are included (trend baseline).
pub const ROM_LOOKBACK_DAYS: i64 = 90;

/// Finished records to insert together (see [`Store::insert_batch`]).
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub sessions: Vec<SessionRecord>,
    pub checkins: Vec<CheckIn>,
    pub runs: Vec<RunRecord>,
    pub rom: Vec<RomMeasurement>,
}

/// Result of an idempotent run upsert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// Pain reported for one drill in one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PainTrendPoint {
    pub iso_year: i32,
    pub iso_week: u32,
    pub sets: u32,
    pub mean_pain: f64,
    pub max_pain: u8,
}

pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn instant(ms: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, ms))
}

fn opt_instant(ms: Option<i64>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    ms.map(instant).transpose()
}

/// A column that does not convert, with the reason's text: what `StoreError` keeps of it
/// (`Damaged`, by `Display`). One out-of-line constructor, and the reason boxed as text, not
/// as its own error type (each type boxed as `dyn Error` brings its `Debug` and the rest
/// of its vtable into the phone library, though nothing ever prints them).
#[inline(never)]
pub(super) fn conversion_failure(
    idx: usize,
    kind: rusqlite::types::Type,
    why: &dyn std::fmt::Display,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, kind, why.to_string().into())
}

fn uuid_col(row: &Row, idx: usize) -> rusqlite::Result<Uuid> {
    let s = row
        .get_ref(idx)?
        .as_str()
        .map_err(|e| conversion_failure(idx, rusqlite::types::Type::Text, &e))?;
    Uuid::parse_str(s).map_err(|e| conversion_failure(idx, rusqlite::types::Type::Text, &e))
}

/// Every row, or the first error: a loop, where `collect::<Result<Vec<_>, _>>()` adds its
/// own adapter code for each row type to the phone library.
pub(super) fn all_rows<T>(
    rows: impl Iterator<Item = rusqlite::Result<T>>,
) -> rusqlite::Result<Vec<T>> {
    let mut out = Vec::new();
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// A text column, borrowed from the row (no copy for values only looked at).
fn text_col<'r>(row: &'r Row, idx: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(idx)?.as_str().map_err(rusqlite::Error::from)
}

/// A stored JSON list of strings (red flags, run tags); empty when unreadable. The empty
/// list, which most rows hold, is known without the JSON reader.
fn json_list(text: &str) -> Vec<String> {
    if text == "[]" {
        return Vec::new();
    }
    // Through the parsed tree, as serde reads a list of strings (ADR 0026).
    crate::json::tree::parse(text)
        .ok()
        .and_then(|list| list.list(Json::string))
        .unwrap_or_default()
}

fn score_col(row: &Row, idx: usize) -> rusqlite::Result<Score> {
    let v: i64 = row.get(idx)?;
    Score::new(v).map_err(|e| conversion_failure(idx, rusqlite::types::Type::Integer, &e))
}

pub(super) fn side_str(side: Option<Side>) -> &'static str {
    side.map_or("both", Side::as_str)
}

fn parse_side(s: &str) -> Option<Side> {
    match s {
        "left" => Some(Side::Left),
        "right" => Some(Side::Right),
        _ => None,
    }
}

pub(super) fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(unwritable)
}

/// A value the JSON writer refused, as the store reports it (one constructor for every
/// type written).
#[inline(never)]
fn unwritable(e: serde_json::Error) -> StoreError {
    StoreError::Sqlite(e.to_string())
}

fn text_field(field: &'static str, value: &str) -> Result<(), StoreError> {
    if value.trim().is_empty()
        || value.chars().count() > MAX_TEXT
        || value.chars().any(char::is_control)
    {
        return Err(DomainError::BadText {
            field,
            max: MAX_TEXT,
        }
        .into());
    }
    Ok(())
}

fn status_from(s: &str) -> SessionStatus {
    match s {
        "started" => SessionStatus::Started,
        "paused" => SessionStatus::Paused,
        "finished" => SessionStatus::Finished,
        "abandoned" => SessionStatus::Abandoned,
        _ => SessionStatus::Planned,
    }
}

/// The stored name of a plan variant: its serde name (a test keeps them equal).
fn variant_name(v: PlanVariant) -> &'static str {
    match v {
        PlanVariant::Normal => "normal",
        PlanVariant::Light => "light",
        PlanVariant::MobilityOnly => "mobility_only",
        PlanVariant::Recovery => "recovery",
        PlanVariant::Rest => "rest",
        PlanVariant::Locked => "locked",
        PlanVariant::Paused => "paused",
        PlanVariant::ScreeningNeeded => "screening_needed",
    }
}

/// Every plan variant (a new one goes here and in [`variant_name`]).
const VARIANTS: [PlanVariant; 8] = [
    PlanVariant::Normal,
    PlanVariant::Light,
    PlanVariant::MobilityOnly,
    PlanVariant::Recovery,
    PlanVariant::Rest,
    PlanVariant::Locked,
    PlanVariant::Paused,
    PlanVariant::ScreeningNeeded,
];

pub(super) fn variant_str(v: PlanVariant) -> String {
    variant_name(v).into()
}

/// The variant a stored name stands for; `Normal` for a name this build does not know.
fn variant_from(s: &str) -> PlanVariant {
    VARIANTS
        .into_iter()
        .find(|v| variant_name(*v) == s)
        .unwrap_or(PlanVariant::Normal)
}

#[cfg(test)]
mod variant_tests {
    use super::*;

    /// The names are serde's (what older builds stored through serde_json), both ways.
    #[test]
    fn variant_names_are_serdes() {
        for variant in VARIANTS {
            let serde_name = serde_json::to_value(variant).unwrap();
            assert_eq!(serde_name.as_str(), Some(variant_str(variant).as_str()));
        }
        for name in [
            "normal",
            "light",
            "mobility_only",
            "recovery",
            "rest",
            "locked",
            "paused",
            "screening_needed",
            "Normal",
            "",
            "mobilityOnly",
            "rest ",
            "unknown",
        ] {
            let serde: PlanVariant =
                serde_json::from_value(serde_json::Value::String(name.to_owned()))
                    .unwrap_or(PlanVariant::Normal);
            assert_eq!(variant_from(name), serde, "{name:?}");
        }
    }
}

/// Stable id for records keyed by name rather than by UUID (settings, drill levels), so
/// both devices address the same entity.
pub(super) fn named_id(name: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("talus:{name}").as_bytes())
}

/// Collects the sync operations of one write and appends them in its transaction.
pub(super) struct OpWriter<'a> {
    device: Uuid,
    hlc: Hlc,
    now_ms: u64,
    tx: &'a Transaction<'a>,
}

impl OpWriter<'_> {
    pub(super) fn push(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        action: OpAction,
    ) -> Result<(), StoreError> {
        self.hlc = self.hlc.tick(self.now_ms);
        let op = Op {
            stamp: Stamp {
                hlc: self.hlc,
                device: self.device,
            },
            entity,
            id,
            action,
        };
        let record = crate::sync::encode_op_record(&op);
        // Kept beside the record once it passed the checks an export would make, so the
        // export copies it without walking it again (ADR 0013 addendum).
        let checksum = crate::sync::checked_op_record_checksum(&record);
        self.tx.exec(
            "INSERT INTO op_log(device, hlc_wall_ms, hlc_counter, entity, entity_id, op, \
             op_checksum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                self.device.to_string(),
                self.hlc.wall_ms as i64,
                self.hlc.counter,
                entity.as_str(),
                id.to_string(),
                record,
                checksum
            ],
        )?;
        Ok(())
    }

    pub(super) fn put<T: Serialize>(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        record: &T,
    ) -> Result<(), StoreError> {
        // Only the record's own serialization is generic; the rest is done once.
        self.put_value(entity, id, serde_json::to_value(record).ok())
    }

    /// [`OpWriter::put`] of a record already made a JSON value (`None`: it could not be).
    fn put_value(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        value: Option<serde_json::Value>,
    ) -> Result<(), StoreError> {
        let fields = match value {
            Some(serde_json::Value::Object(map)) => map,
            _ => return Err(StoreError::Sqlite("record is not an object".into())),
        };
        self.push(entity, id, OpAction::Put { fields })
    }

    pub(super) fn set(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        field: &str,
        value: serde_json::Value,
    ) -> Result<(), StoreError> {
        self.push(
            entity,
            id,
            OpAction::Set {
                field: field.into(),
                value,
            },
        )
    }
}

impl Store {
    /// Runs `f` in one IMMEDIATE transaction with an op writer; commits both the change and
    /// its operations, or neither.
    pub(super) fn write<T>(
        &self,
        now: DateTime<Utc>,
        f: impl FnOnce(&Transaction, &mut OpWriter) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // The transaction's work is done once, in `write_with`, for every kind of write
        // (each write's own copy of it was ≈ 0.3 KB of the phone library); this only carries
        // the write's value out.
        let mut f = Some(f);
        let mut value = None;
        self.write_with(now, &mut |tx, ops| {
            if let Some(f) = f.take() {
                value = Some(f(tx, ops)?);
            }
            Ok(())
        })?;
        // `write_with` returns `Ok` only after calling the closure, which then stored it.
        value.ok_or_else(|| StoreError::Sqlite("the write made no value".into()))
    }

    /// [`Store::write`] with the write as a `dyn` closure.
    #[inline(never)]
    fn write_with(
        &self,
        now: DateTime<Utc>,
        f: &mut dyn FnMut(&Transaction, &mut OpWriter) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        let cached_hlc = inner.hlc;
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The clock is read inside the write lock: another connection to this profile (a
        // second process, or a second `Store`) may have stamped ops since this one last did.
        let hlc = cached_hlc.max(super::stored_hlc(&tx)?);
        let mut ops = OpWriter {
            device: self.device_id(),
            hlc,
            now_ms: ms(now).max(0) as u64,
            tx: &tx,
        };
        if let Err(e) = f(&tx, &mut ops) {
            return Err(self.noticed(e));
        }
        let new_hlc = ops.hlc;
        let committed = tx
            .exec(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('hlc', ?1)",
                [json(&new_hlc)?],
            )
            .and_then(|_| tx.commit());
        committed.map_err(|e| self.noticed(e.into()))?;
        inner.hlc = new_hlc;
        Ok(())
    }

    // ----- settings and safety -----------------------------------------------------------

    /// The runner's settings (defaults until first saved).
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let inner = self.lock();
        let stored: Option<String> = inner
            .conn
            .row("SELECT json FROM settings WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        Ok(stored
            .and_then(|s| settings_from_text(&s))
            .unwrap_or_default())
    }

    /// Saves settings after checking the zone, numbers and drill-independent values.
    pub fn put_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<(), StoreError> {
        parse_zone(&settings.home_zone)?;
        non_negative("rom_mdc_cm", settings.rom_mdc_cm)?;
        non_negative("rom_asymmetry_cm", settings.rom_asymmetry_cm)?;
        non_negative("share_of_week", settings.long_run.share_of_week)?;
        non_negative("spike_ratio", settings.long_run.spike_ratio)?;
        text_field("locale", &settings.locale)?;
        self.write(now, |tx, ops| {
            tx.exec(
                "INSERT OR REPLACE INTO settings(id, json, updated_ms) VALUES (1, ?1, ?2)",
                params![json(settings)?, ms(now)],
            )?;
            ops.put(EntityKind::Settings, named_id("settings"), settings)
        })
    }

    /// Every safety event (red flags, severe-pain stops, clearances, follow-ups).
    pub fn safety_record(&self) -> Result<SafetyRecord, StoreError> {
        let inner = self.lock();
        read_safety(&inner.conn)
    }

    // ----- drill levels ------------------------------------------------------------------

    /// Current level of every drill the runner has a level for.
    pub fn drill_levels(&self) -> Result<Vec<DrillProgress>, StoreError> {
        read_levels(&self.lock().conn)
    }

    /// Every drill-level change this profile holds (from every device), oldest first, with
    /// why it changed when that was recorded.
    pub fn level_log(&self) -> Result<Vec<LevelLogEntry>, StoreError> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT hlc_wall_ms, hlc_counter, op, device FROM op_log \
             WHERE entity = 'drill_progress' ORDER BY hlc_wall_ms, hlc_counter, device",
        )?;
        let rows = stmt.query_map([], super::exchange::row_op_with_device)?;
        let mut out = Vec::new();
        for op in rows {
            let op = op?;
            let OpAction::Put { fields } = op.action else {
                continue;
            };
            // A record this build cannot read (a newer device's shape) is left out of the
            // history rather than failing the whole screen.
            let Some(row) = LevelRow::read(fields) else {
                continue;
            };
            out.push(LevelLogEntry {
                stamp: op.stamp,
                level: row.level,
                why: row.why,
            });
        }
        Ok(out)
    }

    /// Sets the level of a drill for one side (or both feet).
    pub fn set_drill_level(
        &self,
        drill_id: &str,
        side: Option<Side>,
        level: u32,
        now: DateTime<Utc>,
    ) -> Result<DrillProgress, StoreError> {
        self.check_drill(drill_id)?;
        let progress = DrillProgress {
            drill_id: drill_id.to_owned(),
            side,
            level,
            changed_at: now,
        };
        self.write(now, |tx, ops| write_level(tx, ops, &progress, None))?;
        Ok(progress)
    }

    // ----- sessions ------------------------------------------------------------------------

    /// Creates a planned session for a local date.
    pub fn create_session(
        &self,
        planned_for: NaiveDate,
        zone: &str,
        variant: PlanVariant,
        now: DateTime<Utc>,
    ) -> Result<SessionRecord, StoreError> {
        parse_zone(zone)?;
        let record = SessionRecord {
            id: new_id(now),
            planned_for,
            zone: zone.to_owned(),
            status: SessionStatus::Planned,
            variant,
            started_at: None,
            ended_at: None,
            snapshot: None,
            outcome: None,
            sets: Vec::new(),
        };
        self.write(now, |tx, ops| {
            tx.exec(
                "INSERT INTO session(id, planned_for, zone, status, variant) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    record.id.to_string(),
                    date_text(planned_for),
                    zone,
                    record.status.as_str(),
                    variant_str(variant)
                ],
            )?;
            super::rule_sets::write(tx, record.id)?;
            ops.put(EntityKind::Session, record.id, &SessionRow::from(&record))
        })?;
        Ok(record)
    }

    /// Marks a planned (or paused) session as started and stores the runner snapshot.
    pub fn start_session(
        &self,
        id: Uuid,
        snapshot: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transition(
            id,
            &[
                SessionStatus::Planned,
                SessionStatus::Paused,
                SessionStatus::Started,
            ],
            SessionStatus::Started,
            Some(snapshot),
            now,
        )
    }

    /// Pauses a started session, keeping the runner snapshot so it can resume after a kill.
    pub fn pause_session(
        &self,
        id: Uuid,
        snapshot: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transition(
            id,
            &[SessionStatus::Started, SessionStatus::Paused],
            SessionStatus::Paused,
            Some(snapshot),
            now,
        )
    }

    /// Abandons a session that will not be finished.
    pub fn abandon_session(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.transition(
            id,
            &[
                SessionStatus::Planned,
                SessionStatus::Started,
                SessionStatus::Paused,
            ],
            SessionStatus::Abandoned,
            None,
            now,
        )
    }

    fn transition(
        &self,
        id: Uuid,
        from: &[SessionStatus],
        to: SessionStatus,
        snapshot: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(now, |tx, ops| {
            let current: Option<(String, Option<i64>)> = tx
                .row(
                    "SELECT status, started_ms FROM session WHERE id = ?1",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((status, started)) = current else {
                return Err(StoreError::NotFound { entity: "session", id: id.to_string() });
            };
            let status = status_from(&status);
            if !from.contains(&status) {
                return Err(StoreError::Conflict(format!(
                    "session is {}, cannot become {}",
                    status.as_str(),
                    to.as_str()
                )));
            }
            let started_ms = match (started, to) {
                (None, SessionStatus::Started) => Some(ms(now)),
                (s, _) => s,
            };
            // A session never ends before it started, even when `now` lies before its start
            // (the clock set back, a script's simulated clock): as `finish_in` does.
            let ended_ms = (to == SessionStatus::Abandoned)
                .then(|| started_ms.map_or(ms(now), |start| start.max(ms(now))));
            tx.exec(
                "UPDATE session SET status = ?2, snapshot = ?3, started_ms = ?4, ended_ms = ?5 WHERE id = ?1",
                params![id.to_string(), to.as_str(), snapshot, started_ms, ended_ms],
            )?;
            ops.set(EntityKind::Session, id, "status", serde_json::json!(to))?;
            if started != started_ms {
                ops.set(EntityKind::Session, id, "started_at", serde_json::json!(opt_instant(started_ms).ok().flatten()))?;
            }
            if let Some(end) = ended_ms {
                ops.set(EntityKind::Session, id, "ended_at", serde_json::json!(instant(end).ok()))?;
            }
            Ok(())
        })
    }

    /// Finishes a session with its set logs: the sets and the status change commit together
    /// or not at all.
    pub fn finish_session(
        &self,
        id: Uuid,
        sets: &[SetLog],
        now: DateTime<Utc>,
    ) -> Result<SessionRecord, StoreError> {
        self.check_sets(sets)?;
        self.write(now, |tx, ops| {
            finish_in(tx, ops, id, sets, SessionOutcome::Finished, now)
        })?;
        // The session is on disk; moving it out of the WAL is housekeeping, and a failure
        // here (a reader holding the WAL) changes nothing the runner sees.
        let _ = self.checkpoint();
        self.session(id)
    }

    /// Deletes a session and its sets (a tombstone is recorded for sync).
    pub fn delete_session(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.delete_by_id("session", EntityKind::Session, id, now)
    }

    /// Corrects what was logged for one set of a closed (finished or abandoned) session:
    /// the set is named by its drill, side and 0-based set index; `correction` replaces
    /// pain, reps done and hold done. One write with its sync ops; the session itself is
    /// re-stamped, so an edit made after a delete of the session on another device brings the
    /// session back with all its sets (ADR 0005). `NotFound` for an unknown session or set,
    /// `Conflict` for a session still open. Returns the session as stored.
    pub fn correct_set(
        &self,
        session: Uuid,
        key: &SetKey,
        correction: &SetCorrection,
        now: DateTime<Utc>,
    ) -> Result<SessionRecord, StoreError> {
        self.write(now, |tx, ops| {
            let status: Option<String> = tx
                .row(
                    "SELECT status FROM session WHERE id = ?1",
                    [session.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(status) = status else {
                return Err(StoreError::NotFound {
                    entity: "session",
                    id: session.to_string(),
                });
            };
            let status = status_from(&status);
            if !matches!(status, SessionStatus::Finished | SessionStatus::Abandoned) {
                return Err(StoreError::Conflict(
                    "a session is corrected once it is over".into(),
                ));
            }
            let set_id: Option<String> = tx
                .row(
                    "SELECT id FROM set_log WHERE session_id = ?1 AND drill_id = ?2 \
                     AND side IS ?3 AND set_index = ?4",
                    params![
                        session.to_string(),
                        key.drill_id,
                        key.side.map(Side::as_str),
                        key.set_index
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(set_id) = set_id.and_then(|t| Uuid::parse_str(&t).ok()) else {
                return Err(StoreError::NotFound {
                    entity: "set_log",
                    id: format!(
                        "{session}/{}/{}/{}",
                        key.drill_id,
                        key.side.map_or("both", Side::as_str),
                        key.set_index
                    ),
                });
            };
            tx.exec(
                "UPDATE set_log SET pain = ?2, reps_done = ?3, hold_s_done = ?4 \
                 WHERE session_id = ?5 AND id = ?1",
                params![
                    set_id.to_string(),
                    correction.pain.map(Score::value),
                    correction.reps_done,
                    correction.hold_s_done,
                    session.to_string()
                ],
            )?;
            super::rule_sets::write(tx, session)?;
            ops.set(
                EntityKind::SetLog,
                set_id,
                "pain",
                serde_json::json!(correction.pain),
            )?;
            ops.set(
                EntityKind::SetLog,
                set_id,
                "reps_done",
                serde_json::json!(correction.reps_done),
            )?;
            ops.set(
                EntityKind::SetLog,
                set_id,
                "hold_s_done",
                serde_json::json!(correction.hold_s_done),
            )?;
            ops.set(
                EntityKind::Session,
                session,
                "status",
                serde_json::json!(status),
            )
        })?;
        self.session(session)
    }

    /// Deletes the row `id` of `table` (whose name is also the entity's name in errors) and
    /// records the tombstone for sync in the same transaction; `NotFound` changes nothing.
    fn delete_by_id(
        &self,
        table: &'static str,
        kind: EntityKind,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(now, |tx, ops| {
            if kind == EntityKind::Session {
                // `set_log` has no foreign key (ADR 0021): a session's sets go with it.
                tx.exec(
                    "DELETE FROM set_log WHERE session_id = ?1",
                    [id.to_string()],
                )?;
            }
            let sql = format!("DELETE FROM {table} WHERE id = ?1");
            if tx.exec(&sql, [id.to_string()])? == 0 {
                return Err(StoreError::NotFound {
                    entity: table,
                    id: id.to_string(),
                });
            }
            ops.push(kind, id, OpAction::Delete)
        })
    }

    /// One session with its sets.
    pub fn session(&self, id: Uuid) -> Result<SessionRecord, StoreError> {
        let inner = self.lock();
        let mut sessions = load_sessions(
            &inner.conn,
            "WHERE id = ?1",
            params![id.to_string()],
            SetsOf::All,
            SetFields::All,
        )?;
        sessions.pop().ok_or_else(|| StoreError::NotFound {
            entity: "session",
            id: id.to_string(),
        })
    }

    /// The most recent started or paused session, to offer "resume".
    pub fn open_session(&self) -> Result<Option<SessionRecord>, StoreError> {
        let inner = self.lock();
        let mut sessions = load_sessions(
            &inner.conn,
            "WHERE status IN ('started', 'paused') ORDER BY planned_for DESC, id DESC LIMIT 1",
            params![],
            SetsOf::All,
            SetFields::All,
        )?;
        Ok(sessions.pop())
    }

    /// The last `n` sessions (newest first), with their sets.
    pub fn last_sessions(&self, n: u32) -> Result<Vec<SessionRecord>, StoreError> {
        let inner = self.lock();
        load_sessions(
            &inner.conn,
            "ORDER BY planned_for DESC, id DESC LIMIT ?1",
            params![n],
            SetsOf::All,
            SetFields::All,
        )
    }

    /// Sessions planned for local dates in `[from, to]`, oldest first.
    pub fn sessions_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        self.sessions_with_sets(from, to, SetsOf::All)
    }

    fn sessions_with_sets(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        recent: SetsOf,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        read_sessions_between(&self.lock().conn, from, to, recent, SetFields::All)
    }

    /// In-session pain for one drill, by ISO week, for sets in `[from, to)`.
    pub fn pain_trend(
        &self,
        drill_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<PainTrendPoint>, StoreError> {
        self.check_drill(drill_id)?;
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT at_ms, pain FROM set_log WHERE drill_id = ?1 AND at_ms >= ?2 AND at_ms < ?3 AND pain IS NOT NULL",
        )?;
        let rows = stmt.query_map(params![drill_id, ms(from), ms(to)], |r| {
            Ok((instant(r.get(0)?)?, r.get::<_, i64>(1)?))
        })?;
        let mut weeks: BTreeMap<(i32, u32), (u32, i64, i64)> = BTreeMap::new();
        for row in rows {
            let (at, pain) = row?;
            let week = at.iso_week();
            let entry = weeks.entry((week.year(), week.week())).or_insert((0, 0, 0));
            entry.0 += 1;
            entry.1 += pain;
            entry.2 = entry.2.max(pain);
        }
        Ok(weeks
            .into_iter()
            .map(|((iso_year, iso_week), (sets, sum, max))| PainTrendPoint {
                iso_year,
                iso_week,
                sets,
                mean_pain: sum as f64 / f64::from(sets.max(1)),
                max_pain: max.clamp(0, 10) as u8,
            })
            .collect())
    }

    // ----- check-ins -----------------------------------------------------------------------

    /// Records a morning check-in. A check-in from the future is rejected.
    pub fn add_checkin(&self, checkin: &CheckIn, now: DateTime<Utc>) -> Result<(), StoreError> {
        check_checkin(checkin, now)?;
        self.write(now, |tx, ops| {
            write_checkin(tx, checkin)?;
            ops.put(EntityKind::CheckIn, checkin.id, checkin)
        })
    }

    /// Replaces a stored check-in's answers (same id); the whole record travels to other
    /// devices, and an edit concurrent with a delete elsewhere wins (ADR 0005). `NotFound`
    /// when there is no such check-in; a check-in from the future is refused.
    pub fn correct_checkin(&self, checkin: &CheckIn, now: DateTime<Utc>) -> Result<(), StoreError> {
        parse_zone(&checkin.zone)?;
        if checkin.at > now + FUTURE_SLACK {
            return Err(StoreError::Conflict("check-in is in the future".into()));
        }
        for flag in &checkin.red_flags_yes {
            text_field("red_flag", flag)?;
        }
        self.write(now, |tx, ops| {
            exists(tx, "checkin", checkin.id)?;
            write_checkin(tx, checkin)?;
            ops.put(EntityKind::CheckIn, checkin.id, checkin)
        })
    }

    /// Deletes a check-in (tombstone recorded for sync).
    pub fn delete_checkin(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.delete_by_id("checkin", EntityKind::CheckIn, id, now)
    }

    /// Check-ins with `from <= at < to`, oldest first.
    pub fn checkins_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CheckIn>, StoreError> {
        read_checkins(&self.lock().conn, from, to)
    }

    // ----- runs ----------------------------------------------------------------------------

    /// Adds or updates a run, idempotent on `(source, external_id)`.
    pub fn upsert_run(
        &self,
        record: &RunRecord,
        now: DateTime<Utc>,
    ) -> Result<(Run, UpsertOutcome), StoreError> {
        validate_run(record)?;
        self.write(now, |tx, ops| upsert_run_in(tx, ops, record))
    }

    /// Adds or updates many runs (a file import) in one transaction: every record is
    /// checked with the same rules as [`Store::upsert_run`] before the first write, so one
    /// bad record stores nothing, a kill leaves all or none, and running the same import
    /// again changes nothing. Returns one outcome per record, in order.
    pub fn upsert_runs(
        &self,
        records: &[RunRecord],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut keys: HashMap<(&str, &str), &RunRecord> = HashMap::new();
        for (i, record) in records.iter().enumerate() {
            validate_run(record)
                .map_err(|e| StoreError::Rejected(format!("record {}: {e}", i + 1)))?;
            // Two different records for one run would make the result depend on their
            // order, and a re-run would "update" every time.
            let key = (record.source.as_str(), record.external_id.as_str());
            if keys.insert(key, record).is_some_and(|seen| seen != record) {
                return Err(StoreError::Rejected(format!(
                    "record {}: another record has the same source and id with other values",
                    i + 1
                )));
            }
        }
        self.write(now, |tx, ops| {
            records
                .iter()
                .map(|r| upsert_run_in(tx, ops, r).map(|(_, outcome)| outcome))
                .collect()
        })
    }

    /// Runs starting in `[from, to)`, oldest first.
    pub fn runs_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Run>, StoreError> {
        read_runs(&self.lock().conn, from, to)
    }

    /// Deletes a run (tombstone recorded for sync).
    pub fn delete_run(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.delete_by_id("run", EntityKind::Run, id, now)
    }

    // ----- knee-to-wall --------------------------------------------------------------------

    /// Records a knee-to-wall result for one side.
    pub fn add_rom(
        &self,
        side: Side,
        cm: f64,
        at: DateTime<Utc>,
        zone: &str,
        now: DateTime<Utc>,
    ) -> Result<RomMeasurement, StoreError> {
        parse_zone(zone)?;
        let cm = non_negative("cm", cm)?;
        if cm > MAX_ROM_CM {
            return Err(DomainError::NegativeOrNotFinite {
                field: "cm (0–40)",
                value: cm,
            }
            .into());
        }
        if at > now + FUTURE_SLACK {
            return Err(StoreError::Conflict("measurement is in the future".into()));
        }
        let m = RomMeasurement {
            id: new_id(at),
            at,
            zone: zone.to_owned(),
            side,
            cm,
        };
        self.write(now, |tx, ops| {
            write_rom(tx, &m)?;
            ops.put(EntityKind::RomMeasurement, m.id, &m)
        })?;
        Ok(m)
    }

    /// Corrects a stored knee-to-wall result (same id; side, cm, time and zone as given).
    /// Validated like a new one; `NotFound` when there is no such result.
    pub fn correct_rom(&self, m: &RomMeasurement, now: DateTime<Utc>) -> Result<(), StoreError> {
        parse_zone(&m.zone)?;
        let cm = non_negative("cm", m.cm)?;
        if cm > MAX_ROM_CM {
            return Err(DomainError::NegativeOrNotFinite {
                field: "cm (0–40)",
                value: cm,
            }
            .into());
        }
        if m.at > now + FUTURE_SLACK {
            return Err(StoreError::Conflict("measurement is in the future".into()));
        }
        self.write(now, |tx, ops| {
            exists(tx, "rom_measurement", m.id)?;
            write_rom(tx, m)?;
            ops.put(EntityKind::RomMeasurement, m.id, m)
        })
    }

    /// Knee-to-wall series for one side, oldest first.
    pub fn rom_series(&self, side: Side) -> Result<Vec<RomMeasurement>, StoreError> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT id, at_ms, zone, side, cm FROM rom_measurement WHERE side = ?1 ORDER BY at_ms",
        )?;
        let rows = stmt.query_map([side.as_str()], rom_from_row)?;
        Ok(all_rows(rows)?)
    }

    /// Deletes a knee-to-wall result (tombstone recorded for sync).
    pub fn delete_rom(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.delete_by_id("rom_measurement", EntityKind::RomMeasurement, id, now)
    }

    // ----- reminders -----------------------------------------------------------------------

    /// Records what the shell did with a reminder (`scheduled`, `delivered`, `acknowledged`).
    pub fn put_reminder_state(
        &self,
        id: &str,
        fire_at: DateTime<Utc>,
        state: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        text_field("reminder id", id)?;
        if !matches!(state, "scheduled" | "delivered" | "acknowledged") {
            return Err(DomainError::BadText {
                field: "reminder state",
                max: 12,
            }
            .into());
        }
        let inner = self.lock();
        inner.conn.exec(
            "INSERT OR REPLACE INTO reminder_state(id, fire_ms, state, updated_ms) VALUES (?1, ?2, ?3, ?4)",
            params![id, ms(fire_at), state, ms(now)],
        )?;
        Ok(())
    }

    /// Every recorded reminder state as `(id, fire_at, state)`.
    pub fn reminder_states(&self) -> Result<Vec<(String, DateTime<Utc>, String)>, StoreError> {
        let inner = self.lock();
        let mut stmt = inner
            .conn
            .prepare_cached("SELECT id, fire_ms, state FROM reminder_state ORDER BY fire_ms")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, instant(r.get(1)?)?, r.get(2)?)))?;
        Ok(all_rows(rows)?)
    }

    // ----- bulk -----------------------------------------------------------------------------

    /// Inserts many finished records in one transaction (fixtures, backup restore). Values
    /// are validated exactly as by the single-record writes; one bad record rejects the
    /// whole batch.
    pub fn insert_batch(&self, batch: &Batch, now: DateTime<Utc>) -> Result<(), StoreError> {
        for session in &batch.sessions {
            parse_zone(&session.zone)?;
            for set in &session.sets {
                self.check_drill(&set.drill_id)?;
            }
        }
        for run in &batch.runs {
            validate_run(run)?;
        }
        for c in &batch.checkins {
            parse_zone(&c.zone)?;
        }
        for m in &batch.rom {
            parse_zone(&m.zone)?;
            non_negative("cm", m.cm)?;
        }
        self.write(now, |tx, ops| {
            for session in &batch.sessions {
                tx.exec(
                    "INSERT INTO session(id, planned_for, zone, status, variant, started_ms, ended_ms, snapshot, outcome) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        session.id.to_string(),
                        date_text(session.planned_for),
                        session.zone,
                        session.status.as_str(),
                        variant_str(session.variant),
                        session.started_at.map(ms),
                        session.ended_at.map(ms),
                        session.snapshot,
                        session.outcome.map(SessionOutcome::as_str)
                    ],
                )?;
                ops.put(EntityKind::Session, session.id, &SessionRow::from(session))?;
                for set in &session.sets {
                    let set_id = new_id(set.at);
                    insert_set(tx, session.id, set_id, set)?;
                    ops.put(EntityKind::SetLog, set_id, &SetRow { session_id: session.id, set })?;
                }
                super::rule_sets::write(tx, session.id)?;
            }
            for c in &batch.checkins {
                write_checkin(tx, c)?;
                ops.put(EntityKind::CheckIn, c.id, c)?;
            }
            for r in &batch.runs {
                let id = run_id(r);
                write_run(tx, id, r)?;
                ops.put(EntityKind::Run, id, r)?;
            }
            for m in &batch.rom {
                write_rom(tx, m)?;
                ops.put(EntityKind::RomMeasurement, m.id, m)?;
            }
            Ok(())
        })
    }

    // ----- history -------------------------------------------------------------------------

    /// Everything the rules need about `[from, to)`: sessions (by local date), check-ins,
    /// runs, knee-to-wall (from [`ROM_LOOKBACK_DAYS`] before `from`, for trends), levels and
    /// the safety lock.
    pub fn history(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<History, StoreError> {
        self.history_parts(from, to, SetsOf::All, true)
            .map_err(|e| self.noticed(e))
    }

    /// [`Store::history`] for deciding today's levels and plan: every session of the window,
    /// but only the sessions planned on or after `full_sets_from` carry their sets. The level
    /// rules read sets of the last [`crate::progression::WINDOW_DAYS`] local days only, so
    /// the day's decisions are the same as on the full history, while a cold start reads a
    /// fraction of the set rows.
    pub fn history_with_recent_sets(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        full_sets_from: NaiveDate,
    ) -> Result<History, StoreError> {
        self.history_parts(from, to, SetsOf::PlannedFrom(full_sets_from), true)
            .map_err(|e| self.noticed(e))
    }

    /// [`Store::history_with_recent_sets`] without `run_known_since`, which only the
    /// reminder plan reads (one op-log look-up per run). The day is planned on
    /// [`Store::history_to_plan_the_day`], which adds each drill and side's latest older sets.
    pub fn history_for_the_day(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        full_sets_from: NaiveDate,
    ) -> Result<History, StoreError> {
        self.history_parts(from, to, SetsOf::PlannedFrom(full_sets_from), false)
            .map_err(|e| self.noticed(e))
    }

    /// What deciding and planning the day reads ([`crate::app::Coach::day_inputs`]):
    /// [`Store::history_for_the_day`], plus, in the sessions planned before
    /// `full_sets_from`, the few sets the plan can still read there: per drill and side the
    /// latest non-skipped sets (a leg without a level record is planned where it last
    /// trained, however long ago inside the window). The day's levels and plan are the same
    /// as on [`Store::history`] of the same window, for every history.
    ///
    /// `now` is the instant the day is planned at (sets stamped after it count as made at
    /// it, [`crate::progression::history_as_of`]); `full_sets_from` must lie before it.
    ///
    /// Its sets carry only the fields the rules read (drill, side, set index, level, pain,
    /// stopped, skipped, reason code, instant); the targets, the counts done, the stretch
    /// answer and the note are empty (ADR 0015). Never show them to the runner.
    pub fn history_to_plan_the_day(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        full_sets_from: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<History, StoreError> {
        self.history_parts_with(
            from,
            to,
            SetsOf::PlannedFrom(full_sets_from),
            false,
            Some(now),
        )
        .map_err(|e| self.noticed(e))
    }

    /// [`Store::history`] whose sessions carry no sets: for the reminder plan, which reads
    /// each session's date and status only (every other part of the history is the same).
    pub fn history_without_sets(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<History, StoreError> {
        self.history_parts(from, to, SetsOf::None, true)
            .map_err(|e| self.noticed(e))
    }

    /// The history of a window with the sets `recent` asks for, and `run_known_since` when
    /// `known_since`.
    fn history_parts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        recent: SetsOf,
        known_since: bool,
    ) -> Result<History, StoreError> {
        self.history_parts_with(from, to, recent, known_since, None)
    }

    /// [`Store::history_parts`], and with `latest_older_at` (the `now` the day is planned at)
    /// the latest sets of the sessions `recent` leaves without sets (see
    /// [`attach_latest_older_sets`]).
    fn history_parts_with(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        recent: SetsOf,
        known_since: bool,
        latest_older_at: Option<DateTime<Utc>>,
    ) -> Result<History, StoreError> {
        // Sessions are filed by local date; a day one zone away from UTC may overlap the
        // window, so take one extra day at each end and let the rules filter by zone.
        let from_date = from.date_naive() - Duration::days(1);
        let to_date = (to - Duration::milliseconds(1)).date_naive() + Duration::days(1);
        // Trends look back a few months at most; the full series is `rom_series`.
        let rom_from = from - Duration::days(ROM_LOOKBACK_DAYS);
        let inner = self.lock();
        // One read transaction: every part comes from the same snapshot of the file (a
        // write from another connection lands wholly before or after), and the file and
        // WAL locks are taken once instead of once per statement. Dropped unfinished, it
        // ends with a rollback, which a read-only transaction makes harmless.
        let tx = inner.conn.unchecked_transaction()?;
        let rom = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, at_ms, zone, side, cm FROM rom_measurement \
                 WHERE side IN ('left', 'right') AND at_ms >= ?1 AND at_ms < ?2 ORDER BY at_ms",
            )?;
            let rows = stmt.query_map(params![ms(rom_from), ms(to)], rom_from_row)?;
            all_rows(rows)?
        };
        let runs = read_runs(&tx, from, to)?;
        let run_known_since = if known_since {
            read_runs_known_since(&tx, &runs)?
        } else {
            SortedMap::new()
        };
        // The day's path reads only the set fields its rules read (ADR 0015).
        let fields = match latest_older_at {
            Some(_) => SetFields::Rules,
            None => SetFields::All,
        };
        let progress = read_levels(&tx)?;
        // The older sessions' records are read with the recent ones when some chain has a
        // leg without a level record (only then are older sets read, see
        // `attach_latest_older_sets`).
        let open = open_chains(&self.chains, &progress);
        let older_records = latest_older_at.is_some() && !open.is_empty();
        let (mut sessions, older) = if fields == SetFields::Rules {
            read_sessions_with_rule_sets(&tx, from_date, to_date, recent, older_records)?
        } else {
            (
                read_sessions_between(&tx, from_date, to_date, recent, fields)?,
                None,
            )
        };
        if let (Some(now), SetsOf::PlannedFrom(first)) = (latest_older_at, recent) {
            let attached = older.is_some_and(|records| {
                let open_drills: Vec<&str> = open
                    .iter()
                    .flat_map(|c| c.iter().map(String::as_str))
                    .collect();
                let older = OlderFromRecords {
                    records: &records,
                    open_drills: &open_drills,
                    first,
                    now_ms: ms(now),
                };
                attach_latest_older_sets_from_records(&mut sessions, older)
            });
            if !attached {
                let older = Older {
                    from: from_date,
                    to: to_date,
                    first,
                    now_ms: ms(now),
                };
                attach_latest_older_sets(&tx, &mut sessions, &self.chains, &progress, older)?;
            }
        }
        let history = History {
            sessions,
            checkins: read_checkins(&tx, from, to)?,
            runs,
            rom,
            progress,
            safety: read_safety(&tx)?,
            run_known_since,
        };
        tx.commit()?;
        Ok(history)
    }

    /// Number of operations in the op-log (for diagnostics and tests).
    pub fn op_count(&self) -> Result<u64, StoreError> {
        let inner = self.lock();
        let n: i64 = inner
            .conn
            .row("SELECT COUNT(*) FROM op_log", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The op-log in HLC order (the sync module ships these).
    pub fn ops(&self) -> Result<Vec<Op>, StoreError> {
        let inner = self.lock();
        let mut stmt = inner.conn.prepare_cached(
            "SELECT hlc_wall_ms, hlc_counter, op, device FROM op_log \
             ORDER BY hlc_wall_ms, hlc_counter, device",
        )?;
        let rows = stmt.query_map([], super::exchange::row_op_with_device)?;
        Ok(all_rows(rows)?)
    }
}

/// `NotFound` unless `table` has a row `id` (inside a write, before replacing it).
fn exists(tx: &Transaction, table: &'static str, id: Uuid) -> Result<(), StoreError> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = ?1");
    let n: i64 = tx.row(&sql, [id.to_string()], |r| r.get(0))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            entity: table,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Inserts or updates one run inside a write transaction (see [`Store::upsert_run`]).
fn upsert_run_in(
    tx: &Transaction,
    ops: &mut OpWriter,
    record: &RunRecord,
) -> Result<(Run, UpsertOutcome), StoreError> {
    let existing: Option<String> = tx
        .row(
            "SELECT id FROM run WHERE source = ?1 AND external_id = ?2",
            params![record.source, record.external_id],
            |r| r.get(0),
        )
        .optional()?;
    let (id, outcome) = match existing.and_then(|s| Uuid::parse_str(&s).ok()) {
        Some(id) => {
            if load_run(tx, id)?.as_ref() == Some(record) {
                let run = Run {
                    id,
                    record: record.clone(),
                };
                return Ok((run, UpsertOutcome::Unchanged));
            }
            (id, UpsertOutcome::Updated)
        }
        None => (run_id(record), UpsertOutcome::Inserted),
    };
    write_run(tx, id, record)?;
    ops.put(EntityKind::Run, id, record)?;
    let run = Run {
        id,
        record: record.clone(),
    };
    Ok((run, outcome))
}

/// Longest distance accepted for one run (the 24-hour record is about 320 km; anything
/// beyond this is a unit or recording error).
pub const MAX_RUN_M: f64 = 1_000_000.0;

/// Checks a run record's values (the same rules as ingestion in `schedule`): text fields
/// non-empty, short and free of control characters, end after start, at most 24 h, distance
/// finite and at most [`MAX_RUN_M`].
pub fn validate_run(record: &RunRecord) -> Result<(), StoreError> {
    text_field("source", &record.source)?;
    text_field("external_id", &record.external_id)?;
    parse_zone(&record.zone)?;
    if record.end < record.start {
        return Err(DomainError::EndBeforeStart { what: "run" }.into());
    }
    if record.end - record.start > MAX_RUN {
        return Err(StoreError::Conflict(
            "a run longer than 24 h is not a run".into(),
        ));
    }
    non_negative("distance_m", record.distance_m)?;
    if record.distance_m > MAX_RUN_M {
        return Err(DomainError::NegativeOrNotFinite {
            field: "distance_m (0–1000 km)",
            value: record.distance_m,
        }
        .into());
    }
    for tag in &record.tags {
        text_field("tag", tag)?;
    }
    Ok(())
}

/// A run's key, derived from `(source, external_id)`: two devices that ingest the same
/// health-app record address the same entity, so sync merges them instead of doubling them.
pub fn run_id(record: &RunRecord) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("talus:run:{}:{}", record.source, record.external_id).as_bytes(),
    )
}

/// Writes (or overwrites) a check-in row.
pub(super) fn write_checkin(tx: &Transaction, c: &CheckIn) -> Result<(), StoreError> {
    let zone = parse_zone(&c.zone)?;
    let (p, st) = (c.pain, c.stiffness);
    tx.exec(
        "INSERT OR REPLACE INTO checkin(id, at_ms, zone, local_date, pain_calf, pain_achilles, pain_ankle, \
         stiff_calf, stiff_achilles, stiff_ankle, red_flags_yes, run_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            c.id.to_string(), ms(c.at), c.zone, date_text(local_date(c.at, zone)),
            p.calf.value(), p.achilles.value(), p.ankle.value(),
            st.calf.value(), st.achilles.value(), st.ankle.value(),
            json(&c.red_flags_yes)?, c.run_id.map(|id| id.to_string())
        ],
    )?;
    Ok(())
}

/// Writes (or overwrites) a run row.
pub(super) fn write_run(tx: &Transaction, id: Uuid, r: &RunRecord) -> Result<(), StoreError> {
    tx.exec(
        "INSERT OR REPLACE INTO run(id, source, external_id, start_ms, end_ms, zone, distance_m, tags) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id.to_string(), r.source, r.external_id, ms(r.start), ms(r.end), r.zone, r.distance_m, json(&r.tags)?],
    )?;
    Ok(())
}

/// Writes (or overwrites) a knee-to-wall row.
pub(super) fn write_rom(tx: &Transaction, m: &RomMeasurement) -> Result<(), StoreError> {
    tx.exec(
        "INSERT OR REPLACE INTO rom_measurement(id, at_ms, zone, side, cm) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![m.id.to_string(), ms(m.at), m.zone, m.side.as_str(), m.cm],
    )?;
    Ok(())
}

/// A UUIDv7 whose time part is `at` (ids sort by creation time).
pub fn new_id(at: DateTime<Utc>) -> Uuid {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        at.timestamp().max(0) as u64,
        at.timestamp_subsec_nanos(),
    );
    Uuid::new_v7(ts)
}

#[derive(Serialize)]
struct SessionRow<'a> {
    #[serde(with = "crate::formats::serde_form::date")]
    planned_for: NaiveDate,
    zone: &'a str,
    status: SessionStatus,
    variant: PlanVariant,
    #[serde(with = "crate::formats::serde_form::instant_option")]
    started_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::formats::serde_form::instant_option")]
    ended_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<SessionOutcome>,
}

impl<'a> From<&'a SessionRecord> for SessionRow<'a> {
    fn from(s: &'a SessionRecord) -> Self {
        SessionRow {
            planned_for: s.planned_for,
            zone: &s.zone,
            status: s.status,
            variant: s.variant,
            started_at: s.started_at,
            ended_at: s.ended_at,
            outcome: s.outcome,
        }
    }
}

/// Names one logged set within its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetKey {
    pub drill_id: String,
    /// `None` for a two-footed drill.
    pub side: Option<Side>,
    /// 0-based set index within the drill and side.
    pub set_index: u32,
}

/// The corrected values of a logged set (each replaces the stored one; `None` clears it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCorrection {
    pub pain: Option<Score>,
    pub reps_done: Option<u32>,
    pub hold_s_done: Option<u32>,
}

#[derive(Serialize)]
struct SetRow<'a> {
    session_id: Uuid,
    #[serde(flatten)]
    set: &'a SetLog,
}

pub(super) fn insert_set(
    tx: &Transaction,
    session: Uuid,
    id: Uuid,
    set: &SetLog,
) -> Result<(), StoreError> {
    // Ids as text on the stack: an import writes thousands of sets in a row.
    let (mut id_text, mut session_text) = ([0u8; 36], [0u8; 36]);
    let id_text: &str = id.hyphenated().encode_lower(&mut id_text);
    let session_text: &str = session.hyphenated().encode_lower(&mut session_text);
    tx.exec(
        "INSERT INTO set_log(id, session_id, drill_id, side, set_index, level, target_reps, reps_done, \
         target_hold_s, hold_s_done, pain, stopped, skipped, reason_code, note, at_ms, stretch) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            id_text,
            session_text,
            set.drill_id,
            set.side.map(Side::as_str),
            set.set_index,
            set.level,
            set.target_reps,
            set.reps_done,
            set.target_hold_s,
            set.hold_s_done,
            set.pain.map(Score::value),
            set.stopped,
            set.skipped,
            set.reason_code,
            set.note,
            ms(set.at),
            set.stretch
        ],
    )?;
    Ok(())
}

fn read_levels(conn: &rusqlite::Connection) -> Result<Vec<DrillProgress>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT drill_id, side, level, changed_ms FROM drill_progress ORDER BY drill_id, side",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DrillProgress {
            drill_id: r.get(0)?,
            side: parse_side(&r.get::<_, String>(1)?),
            level: r.get(2)?,
            changed_at: instant(r.get(3)?)?,
        })
    })?;
    Ok(all_rows(rows)?)
}

fn read_checkins(
    conn: &rusqlite::Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CheckIn>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at_ms, zone, pain_calf, pain_achilles, pain_ankle, stiff_calf, stiff_achilles, \
         stiff_ankle, red_flags_yes, run_id FROM checkin WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY at_ms",
    )?;
    let rows = stmt.query_map(params![ms(from), ms(to)], |r| {
        let flags = text_col(r, 9)?;
        let run = r
            .get_ref(10)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?;
        Ok(CheckIn {
            id: uuid_col(r, 0)?,
            at: instant(r.get(1)?)?,
            zone: r.get(2)?,
            pain: RegionScores {
                calf: score_col(r, 3)?,
                achilles: score_col(r, 4)?,
                ankle: score_col(r, 5)?,
            },
            stiffness: RegionScores {
                calf: score_col(r, 6)?,
                achilles: score_col(r, 7)?,
                ankle: score_col(r, 8)?,
            },
            red_flags_yes: json_list(flags),
            run_id: run.and_then(|s| Uuid::parse_str(s).ok()),
        })
    })?;
    Ok(all_rows(rows)?)
}

fn read_runs(
    conn: &rusqlite::Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Run>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, external_id, start_ms, end_ms, zone, distance_m, tags FROM run \
         WHERE start_ms >= ?1 AND start_ms < ?2 ORDER BY start_ms",
    )?;
    let rows = stmt.query_map(params![ms(from), ms(to)], run_from_row)?;
    Ok(all_rows(rows)?)
}

/// Sessions planned for local dates in `[from, to]`, oldest first, with the sets `recent`
/// asks for.
fn read_sessions_between(
    conn: &rusqlite::Connection,
    from: NaiveDate,
    to: NaiveDate,
    recent: SetsOf,
    fields: SetFields,
) -> Result<Vec<SessionRecord>, StoreError> {
    // Sets of the window's later part only: read the sessions of those dates alone, not
    // every session's sets filtered afterwards.
    let recent = match recent {
        SetsOf::PlannedFrom(first) if first > to => SetsOf::None,
        SetsOf::PlannedFrom(first) => SetsOf::PlannedBetween(first.max(from), to),
        other => other,
    };
    load_sessions(
        conn,
        "WHERE planned_for BETWEEN ?1 AND ?2 ORDER BY planned_for, id",
        params![date_text(from), date_text(to)],
        recent,
        fields,
    )
}

/// The older sessions' derived records (ADR 0020): (position among the sessions, record),
/// for every session planned before the level window.
type OlderRecords = Vec<(usize, Option<Vec<u8>>)>;

/// [`read_sessions_between`] for the day's rules ([`SetFields::Rules`]): the level
/// window's sessions carry their sets from their derived records; with `older_records`,
/// the records of the sessions before the window come back too (`None` when `recent` reads
/// no records).
fn read_sessions_with_rule_sets(
    conn: &rusqlite::Connection,
    from: NaiveDate,
    to: NaiveDate,
    recent: SetsOf,
    older_records: bool,
) -> Result<(Vec<SessionRecord>, Option<OlderRecords>), StoreError> {
    match recent {
        SetsOf::PlannedFrom(first) if first <= to => {
            sessions_with_rule_sets(conn, (from, to), (first.max(from), to), older_records)
        }
        _ => Ok((
            read_sessions_between(conn, from, to, recent, SetFields::Rules)?,
            None,
        )),
    }
}

/// When each of `runs` first became known on any synced device: the wall time of its
/// earliest sync operation (the import on this device, or on the peer it came from). A run
/// with no operation (none expected) is left out and counts as known from the start.
fn read_runs_known_since(
    conn: &rusqlite::Connection,
    runs: &[Run],
) -> Result<SortedMap<Uuid, DateTime<Utc>>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT MIN(hlc_wall_ms) FROM op_log WHERE entity = 'run' AND entity_id = ?1",
    )?;
    let mut out = Vec::new();
    for run in runs {
        let first: Option<i64> = stmt.query_row([run.id.to_string()], |r| r.get(0))?;
        if let Some(at) = first.and_then(DateTime::<Utc>::from_timestamp_millis) {
            out.push((run.id, at));
        }
    }
    Ok(SortedMap::from_unsorted(out))
}

/// Which sessions of a query carry their sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetsOf {
    /// Every session.
    All,
    /// Only the sessions planned on or after this local date; the others have none.
    PlannedFrom(NaiveDate),
    /// Only the sessions planned in these local dates (inclusive); the others have none.
    PlannedBetween(NaiveDate, NaiveDate),
    /// None: the sessions alone.
    None,
}

fn load_sessions(
    conn: &rusqlite::Connection,
    clause: &str,
    args: &[&dyn rusqlite::ToSql],
    sets_of: SetsOf,
    fields: SetFields,
) -> Result<Vec<SessionRecord>, StoreError> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM session {clause}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, session_from_row)?;
    let mut sessions: Vec<SessionRecord> = all_rows(rows)?;
    if sessions.is_empty() || sets_of == SetsOf::None {
        return Ok(sessions);
    }
    // Every set of those sessions in one query, in the table's own order (session, set
    // id): no sorter in SQLite; each session's sets are put in order here.
    let by_id: HashMap<String, usize> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.to_string(), i))
        .collect();
    let columns = match fields {
        SetFields::All => SET_COLUMNS,
        SetFields::Rules => RULE_SET_COLUMNS,
    };
    let (set_sql, set_args): (String, Vec<String>) = match sets_of {
        SetsOf::PlannedBetween(first, last) => (
            format!(
                "{columns} WHERE session_id IN \
                 (SELECT id FROM session WHERE planned_for BETWEEN ?1 AND ?2)"
            ),
            vec![date_text(first), date_text(last)],
        ),
        SetsOf::All | SetsOf::PlannedFrom(_) | SetsOf::None => (
            format!("{columns} WHERE session_id IN (SELECT id FROM session {clause})"),
            Vec::new(),
        ),
    };
    let mut set_stmt = conn.prepare_cached(&set_sql)?;
    let mut rows = if set_args.is_empty() {
        set_stmt.query(args)?
    } else {
        set_stmt.query(rusqlite::params_from_iter(set_args.iter()))?
    };
    // (session, at_ms, set_index, side as stored): the order each session's sets are read
    // in (`ORDER BY session_id, at_ms, set_index, side`; ties stay in set-id order).
    let mut found: Vec<(usize, i64, i64, SideKey, SetLog)> = Vec::new();
    // Rows come grouped by session: look the session up once per group.
    let mut last: Option<(String, usize)> = None;
    while let Some(r) = rows.next()? {
        let session_id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let at = match &last {
            Some((id, at)) if id == session_id => *at,
            _ => {
                let Some(&at) = by_id.get(session_id) else {
                    continue;
                };
                last = Some((session_id.to_owned(), at));
                at
            }
        };
        if let (SetsOf::PlannedFrom(first), Some(session)) = (sets_of, sessions.get(at)) {
            if session.planned_for < first {
                continue;
            }
        }
        let (at_ms, set_index, side, set) = match fields {
            SetFields::All => set_from_row(r)?,
            SetFields::Rules => rule_set_from_row(r)?,
        };
        found.push((at, at_ms, set_index, side, set));
    }
    // Stable: equal keys keep the table's order, as SQLite's sorter did.
    crate::order::sort_by(&mut found, |a, b| {
        (a.0, a.1, a.2, &a.3).cmp(&(b.0, b.1, b.2, &b.3))
    });
    for (at, _, _, _, set) in found {
        if let Some(session) = sessions.get_mut(at) {
            session.sets.push(set);
        }
    }
    Ok(sessions)
}

/// The columns of a session every session read selects first, in the order
/// [`session_from_row`] reads them.
const SESSION_COLUMNS: &str =
    "id, planned_for, zone, status, variant, started_ms, ended_ms, snapshot, outcome";

/// A session row read as [`SESSION_COLUMNS`], without its sets.
fn session_from_row(r: &Row) -> rusqlite::Result<SessionRecord> {
    let date = text_col(r, 1)?;
    Ok(SessionRecord {
        id: uuid_col(r, 0)?,
        planned_for: crate::formats::parse_iso_date(date)
            .map_err(|e| conversion_failure(1, rusqlite::types::Type::Text, &e))?,
        zone: r.get(2)?,
        status: status_from(text_col(r, 3)?),
        variant: variant_from(text_col(r, 4)?),
        started_at: opt_instant(r.get(5)?)?,
        ended_at: opt_instant(r.get(6)?)?,
        snapshot: r.get(7)?,
        outcome: r
            .get_ref(8)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?
            .and_then(SessionOutcome::parse),
        sets: Vec::new(),
    })
}

/// Sessions planned for local dates in `[from, to]`, oldest first; those planned in
/// `[first, last]` carry their sets as the day's rules read them ([`SetFields::Rules`]),
/// from each session's derived record (ADR 0020) in the same statement, or from `set_log`
/// when it has none that decodes.
fn sessions_with_rule_sets(
    conn: &rusqlite::Connection,
    (from, to): (NaiveDate, NaiveDate),
    (first, last): (NaiveDate, NaiveDate),
    older_records: bool,
) -> Result<(Vec<SessionRecord>, Option<OlderRecords>), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS}, planned_for BETWEEN ?3 AND ?4, \
           CASE WHEN planned_for BETWEEN ?3 AND ?4 OR (?5 AND planned_for < ?3) THEN \
             (SELECT record FROM session_rule_sets WHERE session_id = session.id) END \
         FROM session WHERE planned_for BETWEEN ?1 AND ?2 ORDER BY planned_for, id"
    ))?;
    let mut rows = stmt.query(params![
        date_text(from),
        date_text(to),
        date_text(first),
        date_text(last),
        older_records
    ])?;
    let mut sessions = Vec::new();
    let mut older: OlderRecords = Vec::new();
    // Sessions whose sets are read, without a record that decodes: (position, id as stored).
    let mut from_set_log: Vec<(usize, String)> = Vec::new();
    while let Some(r) = rows.next()? {
        let mut session = session_from_row(r)?;
        if r.get::<_, bool>(9)? {
            let record = r
                .get_ref(10)?
                .as_blob_or_null()
                .map_err(rusqlite::Error::from)?;
            match record.and_then(super::rule_sets::decode) {
                Some(sets) => session.sets = sets,
                None => {
                    let id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                    from_set_log.push((sessions.len(), id.to_owned()));
                }
            }
        } else if older_records && session.planned_for < first {
            let record = r
                .get_ref(10)?
                .as_blob_or_null()
                .map_err(rusqlite::Error::from)?;
            older.push((sessions.len(), record.map(<[u8]>::to_vec)));
        }
        sessions.push(session);
    }
    for (at, id) in from_set_log {
        let sets = super::rule_sets::read_from_set_log(conn, &id)?;
        if let Some(session) = sessions.get_mut(at) {
            session.sets = sets.into_iter().map(|s| s.3).collect();
        }
    }
    Ok((sessions, older_records.then_some(older)))
}

/// What [`attach_latest_older_sets_from_records`] reads.
struct OlderFromRecords<'a> {
    /// The records of the sessions planned before `first`.
    records: &'a [(usize, Option<Vec<u8>>)],
    /// The drills of the chains with a leg that has no level record.
    open_drills: &'a [&'a str],
    first: NaiveDate,
    now_ms: i64,
}

/// [`attach_latest_older_sets`] from the older sessions' derived records: for the drills
/// of the chains with a leg without a level record (the only older sets the day reads),
/// what its full pass over those sessions' rows keeps ([`latest_older_sets_by_scan`]): per
/// drill and side as stored, the non-skipped sets at or after the group's latest (or at or
/// after `now`, whichever is earlier). `false` (nothing attached) when a record is missing
/// or does not decode: the rows are read instead.
fn attach_latest_older_sets_from_records(
    sessions: &mut [SessionRecord],
    older: OlderFromRecords<'_>,
) -> bool {
    let OlderFromRecords {
        records: older,
        open_drills,
        first,
        now_ms,
    } = older;
    // Exactly the sessions the row reads look at: those planned before `first`.
    let listed = older.len() == sessions.iter().filter(|s| s.planned_for < first).count();
    if !listed {
        return false;
    }
    // Each record's head names, per drill and side as stored, its latest non-skipped
    // instant. Groups: (open drill, side key) at `slot * 4 + side key`.
    let mut heads = Vec::with_capacity(older.len());
    for (at, record) in older {
        let Some(head) = record.as_deref().and_then(super::rule_sets::head) else {
            return false;
        };
        // Per group of the record: its slot, if its drill is an open chain's.
        let slots: Vec<Option<usize>> = head
            .groups
            .iter()
            .map(|g| {
                let drill = head.drill_id(g.drill)?;
                let slot = open_drills.iter().position(|d| *d == drill)?;
                Some(slot * 4 + usize::from(g.side_key))
            })
            .collect();
        heads.push((*at, head, slots));
    }
    // Each group's latest non-skipped instant over the older sessions.
    let mut latest: Vec<Option<i64>> = vec![None; open_drills.len() * 4];
    for (_, head, slots) in &heads {
        for (g, slot) in head.groups.iter().zip(slots) {
            if let Some(l) = slot.and_then(|s| latest.get_mut(s)) {
                *l = Some(l.map_or(g.latest_ms, |m| m.max(g.latest_ms)));
            }
        }
    }
    let bound = |slot: Option<usize>| {
        slot.and_then(|s| latest.get(s).copied().flatten())
            .map(|m| m.min(now_ms))
    };
    // The sets kept, in each session's read order: only the records holding a group's
    // latest (or a set at or after `now`) are read further than their head.
    let mut kept: Vec<(usize, SetLog)> = Vec::new();
    for (at, head, slots) in &heads {
        let holds = head
            .groups
            .iter()
            .zip(slots)
            .any(|(g, slot)| bound(*slot).is_some_and(|b| g.latest_ms >= b));
        if !holds {
            continue;
        }
        let drill_slots: Vec<Option<usize>> = (0..)
            .map_while(|n| head.drill_id(n))
            .map(|d| open_drills.iter().position(|o| *o == d))
            .collect();
        let walked = super::rule_sets::walk_sets(head, |set| {
            if set.skipped {
                return Some(());
            }
            let slot = drill_slots
                .get(set.drill)
                .copied()
                .flatten()
                .map(|s| s * 4 + usize::from(set.side_key & 0b11));
            if bound(slot).is_some_and(|b| set.at_ms >= b) {
                kept.push((*at, set.to_set_log()?));
            }
            Some(())
        });
        if walked.is_none() {
            return false;
        }
    }
    for (at, set) in kept {
        if let Some(session) = sessions.get_mut(at) {
            session.sets.push(set);
        }
    }
    true
}

/// Every column of a set, in the order [`set_from_row`] reads them.
const SET_COLUMNS: &str = "SELECT session_id, drill_id, side, set_index, level, target_reps, \
    reps_done, target_hold_s, hold_s_done, pain, stopped, skipped, reason_code, note, at_ms, \
    stretch FROM set_log";

/// The columns of a set the day's rules read, in the order [`rule_set_from_row`] reads them.
pub(super) const RULE_SET_COLUMNS: &str =
    "SELECT session_id, drill_id, side, set_index, level, pain, \
    stopped, skipped, reason_code, at_ms FROM set_log";

/// Which fields of each set a history read fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetFields {
    /// Every field ([`SET_COLUMNS`]).
    All,
    /// Only those the day's level rules and plan read ([`RULE_SET_COLUMNS`]: drill, side,
    /// set index, level, pain, stopped, skipped, reason code, instant); the targets, the
    /// counts done, the stretch answer and the note are left empty. ADR 0015.
    Rules,
}

/// A set's side as stored, as it sorts in SQLite: no side (NULL) first, then `left`,
/// then `right` (the only values the column's CHECK allows), then anything else.
pub(super) type SideKey = u8;

/// A set read for the day's rules with its sort key: (at_ms, set index, side as stored, set).
pub(super) type RuleSetRow = (i64, i64, SideKey, SetLog);

fn side_key(side: Option<&str>) -> SideKey {
    match side {
        None => 0,
        Some("left") => 1,
        Some("right") => 2,
        Some(_) => 3,
    }
}

/// One `set_log` row read as [`SET_COLUMNS`]: the set with its sort key (at_ms, set index,
/// side as stored).
fn set_from_row(r: &Row) -> Result<(i64, i64, SideKey, SetLog), StoreError> {
    let side = r
        .get_ref(2)?
        .as_str_or_null()
        .map_err(rusqlite::Error::from)?;
    let key = side_key(side);
    let side = side.and_then(parse_side);
    let pain: Option<i64> = r.get(9)?;
    let at_ms: i64 = r.get(14)?;
    let set_index: i64 = r.get(3)?;
    let set = SetLog {
        drill_id: r.get(1)?,
        side,
        set_index: u32::try_from(set_index)
            .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(3, set_index))?,
        level: r.get(4)?,
        target_reps: r.get(5)?,
        reps_done: r.get(6)?,
        target_hold_s: r.get(7)?,
        hold_s_done: r.get(8)?,
        pain: pain.and_then(|p| Score::new(p).ok()),
        stretch: r.get(15)?,
        stopped: r.get(10)?,
        skipped: r.get(11)?,
        reason_code: r.get(12)?,
        note: r.get(13)?,
        at: instant(at_ms)?,
    };
    Ok((at_ms, set_index, key, set))
}

/// One `set_log` row read as [`RULE_SET_COLUMNS`] ([`SetFields::Rules`]): the set with its
/// sort key, as [`set_from_row`].
pub(super) fn rule_set_from_row(r: &Row) -> Result<RuleSetRow, StoreError> {
    let side = r
        .get_ref(2)?
        .as_str_or_null()
        .map_err(rusqlite::Error::from)?;
    let key = side_key(side);
    let side = side.and_then(parse_side);
    let set_index: i64 = r.get(3)?;
    let pain: Option<i64> = r.get(5)?;
    let at_ms: i64 = r.get(9)?;
    let set = SetLog {
        drill_id: r.get(1)?,
        side,
        set_index: u32::try_from(set_index)
            .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(3, set_index))?,
        level: r.get(4)?,
        target_reps: None,
        reps_done: None,
        target_hold_s: None,
        hold_s_done: None,
        pain: pain.and_then(|p| Score::new(p).ok()),
        stretch: false,
        stopped: r.get(6)?,
        skipped: r.get(7)?,
        reason_code: r.get(8)?,
        note: None,
        at: instant(at_ms)?,
    };
    Ok((at_ms, set_index, key, set))
}

/// Which older sets [`attach_latest_older_sets`] looks for: those of the sessions planned
/// in `[from, to]` before `first`, for a day planned at `now_ms`.
#[derive(Debug, Clone, Copy)]
struct Older {
    from: NaiveDate,
    to: NaiveDate,
    first: NaiveDate,
    now_ms: i64,
}

/// Adds to `sessions` (read without sets before `first`) the sets the plan can still read
/// there: per drill and side as stored (no side, for two-footed drills, is its own group),
/// the latest non-skipped sets of the sessions planned in `[from, to]` before `first`,
/// every tie on that instant kept, and every such set at or after `now`.
///
/// Why these: a leg without a level record is planned at its latest non-skipped set in the
/// whole history (`levels::plan_position`), while the level rules read sets of sessions on
/// or after `first` only and nothing else on the day's path reads older sets. The max the
/// plan takes, of (instant, chain index, level), is always among each group's latest sets.
/// The sets at or after `now` are records stamped ahead of it (a peer's fast clock): the
/// rules read those as made at `now` ([`crate::progression::history_as_of`]), which can
/// tie them with each other.
///
/// Usually the recent sets already read bound it: when both legs have a non-skipped set of
/// a chain since `first`, an older set of that chain stamped before the earlier leg's
/// latest (and before `now`, as sets after it count as made at it) is never a leg's latest,
/// so only the few sets of each chain drill at or after that bound are looked up (through
/// `set_log_drill_at`). A chain a leg
/// has not trained since `first`, but which has sets at all, needs every older session's
/// sets looked at ([`latest_older_sets_by_scan`]).
fn attach_latest_older_sets(
    conn: &rusqlite::Connection,
    sessions: &mut [SessionRecord],
    chains: &[Vec<String>],
    progress: &[DrillProgress],
    older: Older,
) -> Result<(), StoreError> {
    let Older { first, now_ms, .. } = older;
    if sessions.iter().all(|s| s.planned_for >= first) {
        return Ok(());
    }
    let open_chains = open_chains(chains, progress);
    if open_chains.is_empty() {
        return Ok(());
    }
    let by_id: HashMap<String, usize> = sessions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.planned_for < first)
        .map(|(i, s)| (s.id.to_string(), i))
        .collect();
    // Per chain, each leg's latest non-skipped set since `first` (one pass over them).
    // Each open chain's drills with the chain's position (a scan, last entry first as a
    // map built from the same list would keep it: no hash map of its own in the library).
    let chain_of: Vec<(&str, usize)> = open_chains
        .iter()
        .enumerate()
        .flat_map(|(c, ids)| ids.iter().map(move |d| (d.as_str(), c)))
        .collect();
    let mut latest: Vec<[Option<i64>; 2]> = vec![[None, None]; open_chains.len()];
    for x in sessions
        .iter()
        .filter(|s| s.planned_for >= first)
        .flat_map(|s| s.sets.iter())
        .filter(|x| !x.skipped)
    {
        let Some(legs) = chain_of
            .iter()
            .rev()
            .find(|(drill, _)| *drill == x.drill_id)
            .and_then(|&(_, c)| latest.get_mut(c))
        else {
            continue;
        };
        let at = x.at.timestamp_millis();
        for (slot, leg) in legs.iter_mut().zip([Side::Left, Side::Right]) {
            if x.side.is_none_or(|s| s == leg) {
                *slot = Some(slot.map_or(at, |m| m.max(at)));
            }
        }
    }
    // Per chain drill, the instant from which its older sets can still be a leg's latest.
    let mut bounds: Vec<(&str, i64)> = Vec::new();
    for (chain, legs) in open_chains.iter().copied().zip(&latest) {
        match legs {
            [Some(left), Some(right)] => {
                let bound = (*left).min(*right).min(now_ms);
                bounds.extend(chain.iter().map(|d| (d.as_str(), bound)));
            }
            _ => {
                let mut any = conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM set_log WHERE drill_id = ?1)")?;
                for drill in chain {
                    if any.query_row([drill], |r| r.get::<_, bool>(0))? {
                        return latest_older_sets_by_scan(conn, sessions, by_id, older);
                    }
                }
            }
        }
    }
    // The index alone names the sets at or after each bound (its entries carry the key);
    // only those of older sessions are read whole.
    let mut keys = conn
        .prepare_cached("SELECT session_id, id FROM set_log WHERE drill_id = ?1 AND at_ms >= ?2")?;
    let mut older_keys: Vec<(usize, String, String)> = Vec::new();
    for (drill, bound) in bounds {
        let mut rows = keys.query(params![drill, bound])?;
        while let Some(r) = rows.next()? {
            let session_id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if let Some(&at) = by_id.get(session_id) {
                older_keys.push((at, session_id.to_owned(), r.get(1)?));
            }
        }
    }
    let mut found: Vec<(usize, i64, i64, SideKey, String, SetLog)> = Vec::new();
    if !older_keys.is_empty() {
        let mut whole = conn.prepare_cached(
            "SELECT session_id, drill_id, side, set_index, level, pain, stopped, skipped, \
               reason_code, at_ms FROM set_log WHERE session_id = ?1 AND id = ?2 AND skipped = 0",
        )?;
        for (at, session_id, id) in older_keys {
            let mut rows = whole.query(params![session_id, id])?;
            if let Some(r) = rows.next()? {
                let (at_ms, set_index, side, set) = rule_set_from_row(r)?;
                found.push((at, at_ms, set_index, side, id, set));
            }
        }
    }
    // The order the sessions' sets are read in everywhere (ties in set-id order).
    crate::order::sort_by(&mut found, |a, b| {
        (a.0, a.1, a.2, &a.3, &a.4).cmp(&(b.0, b.1, b.2, &b.3, &b.4))
    });
    for (at, _, _, _, _, set) in found {
        if let Some(session) = sessions.get_mut(at) {
            session.sets.push(set);
        }
    }
    Ok(())
}

/// The chains with a leg that has no level record. A chain where each leg has one is
/// planned and judged from the records and the window's sets: its older sets are never
/// read (`plan_position`, `evaluate_levels`), so they are not looked up.
fn open_chains<'c>(chains: &'c [Vec<String>], progress: &[DrillProgress]) -> Vec<&'c Vec<String>> {
    let recorded = |chain: &Vec<String>, leg: Side| {
        progress
            .iter()
            .any(|p| p.side.is_none_or(|s| s == leg) && chain.contains(&p.drill_id))
    };
    chains
        .iter()
        .filter(|c| !(recorded(c, Side::Left) && recorded(c, Side::Right)))
        .collect()
}

/// [`attach_latest_older_sets`] when the recent sets bound nothing: one pass over the older
/// sessions' sets, newest session first, reading four columns of each row without
/// allocating; a row becomes a whole set only when it can still be among its group's latest
/// (mostly the first row of each group, as later sessions hold later sets). No sorter and
/// no second look-up (a grouped SQL query with its rows joined back cost twice as much).
fn latest_older_sets_by_scan(
    conn: &rusqlite::Connection,
    sessions: &mut [SessionRecord],
    by_id: HashMap<String, usize>,
    older: Older,
) -> Result<(), StoreError> {
    let Older {
        from,
        to,
        first,
        now_ms,
    } = older;
    let mut stmt = conn.prepare_cached(
        "SELECT s.session_id, s.drill_id, s.side, s.set_index, s.level, s.pain, s.stopped, \
           s.skipped, s.reason_code, s.at_ms, s.id \
         FROM session AS o JOIN set_log AS s ON s.session_id = o.id \
         WHERE o.planned_for BETWEEN ?1 AND ?2 AND o.planned_for < ?3 AND s.skipped = 0 \
         ORDER BY o.planned_for DESC",
    )?;
    let mut rows = stmt.query(params![date_text(from), date_text(to), date_text(first)])?;
    /// A drill and side as stored, and the latest instant of its sets so far.
    struct Group {
        drill_id: String,
        side: Option<String>,
        latest_ms: i64,
    }
    let mut groups: Vec<Group> = Vec::new();
    // (group, session, at_ms, set index, side, set id, set).
    type Candidate = (usize, usize, i64, i64, SideKey, String, SetLog);
    let mut candidates: Vec<Candidate> = Vec::new();
    while let Some(r) = rows.next()? {
        let drill_id = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let side = r
            .get_ref(2)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?;
        let at_ms: i64 = r.get(9)?;
        let group = match groups
            .iter()
            .position(|g| g.drill_id == drill_id && g.side.as_deref() == side)
        {
            Some(g) => g,
            None => {
                groups.push(Group {
                    drill_id: drill_id.to_owned(),
                    side: side.map(str::to_owned),
                    latest_ms: at_ms,
                });
                groups.len() - 1
            }
        };
        let Some(g) = groups.get_mut(group) else {
            continue;
        };
        // Below both its group's latest so far and `first`: never kept (the bound only
        // rises).
        if at_ms < g.latest_ms.min(now_ms) {
            continue;
        }
        g.latest_ms = g.latest_ms.max(at_ms);
        let session_id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let Some(&at) = by_id.get(session_id) else {
            continue;
        };
        let id: String = r.get(10)?;
        let (at_ms, set_index, side, set) = rule_set_from_row(r)?;
        candidates.push((group, at, at_ms, set_index, side, id, set));
    }
    candidates.retain(|c| {
        groups
            .get(c.0)
            .is_some_and(|g| c.2 >= g.latest_ms.min(now_ms))
    });
    // The order the sessions' sets are read in everywhere (ties in set-id order).
    crate::order::sort_by(&mut candidates, |a, b| {
        (a.1, a.2, a.3, &a.4, &a.5).cmp(&(b.1, b.2, b.3, &b.4, &b.5))
    });
    for (_, at, _, _, _, _, set) in candidates {
        if let Some(session) = sessions.get_mut(at) {
            session.sets.push(set);
        }
    }
    Ok(())
}

fn run_from_row(r: &Row) -> rusqlite::Result<Run> {
    let tags = text_col(r, 7)?;
    Ok(Run {
        id: uuid_col(r, 0)?,
        record: RunRecord {
            source: r.get(1)?,
            external_id: r.get(2)?,
            start: instant(r.get(3)?)?,
            end: instant(r.get(4)?)?,
            zone: r.get(5)?,
            distance_m: r.get(6)?,
            tags: json_list(tags),
        },
    })
}

fn load_run(tx: &Transaction, id: Uuid) -> Result<Option<RunRecord>, StoreError> {
    Ok(tx
        .row(
            "SELECT id, source, external_id, start_ms, end_ms, zone, distance_m, tags FROM run WHERE id = ?1",
            [id.to_string()],
            run_from_row,
        )
        .optional()?
        .map(|run| run.record))
}

fn rom_from_row(r: &Row) -> rusqlite::Result<RomMeasurement> {
    Ok(RomMeasurement {
        id: uuid_col(r, 0)?,
        at: instant(r.get(1)?)?,
        zone: r.get(2)?,
        side: parse_side(text_col(r, 3)?).unwrap_or(Side::Left),
        cm: r.get(4)?,
    })
}

/// Check-in values a write accepts: a known zone, not in the future beyond clock skew,
/// red-flag ids as short text.
pub(super) fn check_checkin(checkin: &CheckIn, now: DateTime<Utc>) -> Result<(), StoreError> {
    parse_zone(&checkin.zone)?;
    if checkin.at > now + FUTURE_SLACK {
        return Err(StoreError::Conflict("check-in is in the future".into()));
    }
    for flag in &checkin.red_flags_yes {
        text_field("red_flag", flag)?;
    }
    Ok(())
}

impl Store {
    /// Set values a write accepts: known drills, notes of at most 2000 characters.
    pub(super) fn check_sets(&self, sets: &[SetLog]) -> Result<(), StoreError> {
        for set in sets {
            self.check_drill(&set.drill_id)?;
            if let Some(note) = &set.note {
                if note.chars().count() > 2000 {
                    return Err(DomainError::BadText {
                        field: "note",
                        max: 2000,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }
}

/// The safety record as stored (empty until the first event).
pub(super) fn read_safety(conn: &rusqlite::Connection) -> Result<SafetyRecord, StoreError> {
    let stored: Option<String> = conn
        .row("SELECT json FROM safety_lock WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(stored
        .and_then(|s| safety_from_text(&s))
        .unwrap_or_default())
}

/// The stored safety record's text read back, or `None` where serde's reader of it refuses
/// the text. Through the parsed tree (ADR 0026): the record reads the same object serde's
/// reader would have given it (`SafetyRecord` is read from a JSON object, the last of a key
/// given twice kept).
fn safety_from_text(text: &str) -> Option<SafetyRecord> {
    safety_from_value(&crate::json::value(text).ok()?)
}

/// The safety record in a JSON value as serde reads it from one (`SafetyRecord` is read
/// from an object's entries by its `TryFrom`), or `None` where serde refuses it. Also reads
/// the merged safety entity of an import, without `Merged::get`'s op-record reader of it
/// (ADR 0026).
pub(super) fn safety_from_value(value: &serde_json::Value) -> Option<SafetyRecord> {
    match value {
        serde_json::Value::Object(map) => SafetyRecord::try_from(map.clone()).ok(),
        _ => None,
    }
}

/// Adds safety events: each one is its own write-once field of the one safety entity, so
/// events from two devices merge as a union.
pub(super) fn add_safety_events(
    tx: &Transaction,
    ops: &mut OpWriter,
    events: &[(Uuid, SafetyEvent)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut record = read_safety(tx)?;
    for (id, event) in events {
        if record.events.contains_key(id) {
            continue;
        }
        record.events.insert(*id, event.clone());
        let value = serde_json::to_value(event).map_err(unwritable)?;
        ops.set(
            EntityKind::SafetyLock,
            named_id("safety_lock"),
            &id.to_string(),
            value,
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO safety_lock(id, json, updated_ms) VALUES (1, ?1, ?2)",
        params![json(&record)?, ms(now)],
    )?;
    Ok(())
}

/// Marks a session finished with its sets, inside the caller's transaction.
pub(super) fn finish_in(
    tx: &Transaction,
    ops: &mut OpWriter,
    id: Uuid,
    sets: &[SetLog],
    outcome: SessionOutcome,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current: Option<(String, Option<i64>)> = tx
        .row(
            "SELECT status, started_ms FROM session WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((status, started)) = current else {
        return Err(StoreError::NotFound {
            entity: "session",
            id: id.to_string(),
        });
    };
    if matches!(
        status_from(&status),
        SessionStatus::Finished | SessionStatus::Abandoned
    ) {
        return Err(StoreError::Conflict(format!("session is already {status}")));
    }
    let started_ms =
        started.unwrap_or_else(|| sets.iter().map(|s| ms(s.at)).min().unwrap_or(ms(now)));
    let ended_ms = ms(now).max(started_ms);
    for set in sets {
        let set_id = new_id(set.at);
        insert_set(tx, id, set_id, set)?;
        ops.put(
            EntityKind::SetLog,
            set_id,
            &SetRow {
                session_id: id,
                set,
            },
        )?;
    }
    tx.execute(
        "UPDATE session SET status = 'finished', snapshot = NULL, started_ms = ?2, ended_ms = ?3, outcome = ?4 WHERE id = ?1",
        params![id.to_string(), started_ms, ended_ms, outcome.as_str()],
    )?;
    super::rule_sets::write(tx, id)?;
    ops.set(
        EntityKind::Session,
        id,
        "outcome",
        serde_json::json!(outcome),
    )?;
    ops.set(
        EntityKind::Session,
        id,
        "status",
        serde_json::json!(SessionStatus::Finished),
    )?;
    ops.set(
        EntityKind::Session,
        id,
        "started_at",
        serde_json::json!(instant(started_ms).ok()),
    )?;
    ops.set(
        EntityKind::Session,
        id,
        "ended_at",
        serde_json::json!(instant(ended_ms).ok()),
    )?;
    Ok(())
}

/// Upserts one drill level and its sync op, inside the caller's transaction.
pub(super) fn write_level(
    tx: &Transaction,
    ops: &mut OpWriter,
    p: &DrillProgress,
    note: Option<&LevelNote>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO drill_progress(drill_id, side, level, changed_ms) \
         VALUES (?1, ?2, ?3, ?4)",
        params![p.drill_id, side_str(p.side), p.level, ms(p.changed_at)],
    )?;
    let id = named_id(&format!(
        "drill_progress:{}:{}",
        p.drill_id,
        side_str(p.side)
    ));
    ops.put(
        EntityKind::DrillProgress,
        id,
        &LevelRowOut {
            level: p,
            why: note,
        },
    )
}

/// A level record as its sync op carries it: the record, and why it changed when known.
/// Older builds read the record and ignore `why`.
#[derive(Serialize)]
struct LevelRowOut<'a> {
    #[serde(flatten)]
    level: &'a DrillProgress,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a LevelNote>,
}

/// The settings row's JSON text read back, or `None` when it is not a settings object
/// (ADR 0025). Read as a `Value` and then by the reader that reads the merged settings
/// object (`Merged::get`), instead of a third reader straight from text (≈ 16 KB of the phone
/// library, BENCHMARKS.md "Size"). The same settings as `serde_json::from_str::<Settings>`
/// for every object with distinct keys, which is what this library writes; it differs from
/// it only on text no version wrote: a repeated field (the last one wins instead of the whole
/// row reading as the defaults) and the array form of the struct (defaults instead of read).
fn settings_from_text(text: &str) -> Option<Settings> {
    match crate::json::value(text).ok()? {
        fields @ serde_json::Value::Object(_) => Settings::from_value(&fields),
        _ => None,
    }
}

/// [`LevelRowOut`] read back.
#[derive(Debug, PartialEq, Deserialize)]
struct LevelRow {
    #[serde(flatten)]
    level: DrillProgress,
    #[serde(default)]
    why: Option<LevelNote>,
}

impl LevelRow {
    /// The row an op's fields hold, or `None` where `serde_json::from_value::<LevelRow>` of
    /// the object fails. Read by hand because serde reads a flattened field by buffering
    /// every other key first (≈ 10 KB of the phone library, BENCHMARKS.md "Size"); `why` is
    /// read by serde's own reader of it. The record's keys as serde reads them: `drill_id`
    /// a string, `side` missing or `null` for none (else as [`crate::json::unit_variant`]),
    /// `level` an integer in `u32`, `changed_at` as chrono reads it; other keys ignored.
    fn read(fields: serde_json::Map<String, serde_json::Value>) -> Option<LevelRow> {
        use serde_json::Value;
        // A copy, not removed: no caller removes from a JSON object, which spares the library
        // the B-tree's removal and rebalancing code for it (the other keys are read by name,
        // so `why` left in place changes nothing).
        let why = match fields.get("why").cloned() {
            Some(why) => Option::<LevelNote>::deserialize(why).ok()?,
            None => None,
        };
        let level = DrillProgress {
            drill_id: match fields.get("drill_id")? {
                Value::String(id) => id.clone(),
                _ => return None,
            },
            side: match fields.get("side") {
                None | Some(Value::Null) => None,
                Some(side) => match crate::json::unit_variant(side)? {
                    "left" => Some(Side::Left),
                    "right" => Some(Side::Right),
                    _ => return None,
                },
            },
            level: u32::try_from(fields.get("level")?.as_u64()?).ok()?,
            changed_at: crate::json::instant(fields.get("changed_at")?)?,
        };
        Some(LevelRow { level, why })
    }
}

/// One change of a drill level, read back from the op-log.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelLogEntry {
    /// When the change was made (the writing device's clock).
    pub stamp: Stamp,
    /// The record as written.
    pub level: DrillProgress,
    /// Why, when the change was decided by the rules (not for levels set by hand or
    /// written by older builds).
    pub why: Option<LevelNote>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversion_failure_says_what_the_boxed_error_said() {
        use rusqlite::types::Type;
        let uuid = || Uuid::parse_str("not-a-uuid").unwrap_err();
        let score = || Score::new(11).unwrap_err();
        let date = || "2026-13-01".parse::<NaiveDate>().unwrap_err();
        let cases: [(rusqlite::Error, rusqlite::Error); 3] = [
            (
                conversion_failure(0, Type::Text, &uuid()),
                rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(uuid())),
            ),
            (
                conversion_failure(4, Type::Integer, &score()),
                rusqlite::Error::FromSqlConversionFailure(4, Type::Integer, Box::new(score())),
            ),
            (
                conversion_failure(1, Type::Text, &date()),
                rusqlite::Error::FromSqlConversionFailure(1, Type::Text, Box::new(date())),
            ),
        ];
        for (ours, boxed) in cases {
            assert_eq!(ours.to_string(), boxed.to_string());
            assert_eq!(
                StoreError::from(ours).to_string(),
                StoreError::from(boxed).to_string()
            );
        }
    }

    #[test]
    fn all_rows_are_what_collect_gave() {
        // Each case as (value, or the error's position in `errors`).
        let errors = || {
            [
                rusqlite::Error::InvalidQuery,
                rusqlite::Error::QueryReturnedNoRows,
            ]
        };
        let cases: [&[Result<i64, usize>]; 5] = [
            &[],
            &[Ok(1), Ok(2), Ok(3)],
            &[Ok(1), Err(0), Ok(3)],
            &[Err(1), Err(0)],
            &[Ok(4), Ok(5), Err(1)],
        ];
        for case in cases {
            let rows = || {
                case.iter().map(move |r| {
                    r.map_err(|e| {
                        errors()
                            .into_iter()
                            .nth(e)
                            .unwrap_or(rusqlite::Error::InvalidQuery)
                    })
                })
            };
            let theirs: rusqlite::Result<Vec<i64>> = rows().collect();
            assert_eq!(all_rows(rows()), theirs, "{case:?}");
        }
    }

    #[test]
    fn an_empty_json_list_reads_as_the_json_reader_reads_it() {
        for text in ["[]", "[\"a\"]", "[ ]", "x", ""] {
            let general: Vec<String> = crate::json::from_text(text).unwrap_or_default();
            assert_eq!(json_list(text), general, "{text:?}");
        }
    }

    /// The list, safety and settings readers through the parsed tree against serde's
    /// readers of the same text (the oracle; ADR 0026).
    mod through_the_tree {
        use super::*;
        use crate::json::tree::testing::{damaged, damages, every_single_damage, write};
        use crate::safety::{Answer, FlagSource};
        use proptest::prelude::*;

        fn serde_list(text: &str) -> Vec<String> {
            crate::json::from_text(text).unwrap_or_default()
        }

        fn serde_safety(text: &str) -> Option<SafetyRecord> {
            crate::json::from_text(text).ok()
        }

        /// A record with every kind of event, and the first format's open lock.
        fn records() -> Vec<String> {
            let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
            let id = |n| Uuid::from_u128(n);
            let events = [
                SafetyEvent::RedFlag {
                    question: "q".into(),
                    answer: Answer::NotSure,
                    source: FlagSource::MorningCheckIn,
                    at,
                },
                SafetyEvent::SeverePain {
                    drill_id: "d".into(),
                    pain: 8,
                    at,
                },
                SafetyEvent::FollowUpPassed {
                    covers: vec![id(1)],
                    at,
                },
                SafetyEvent::ClinicianClearance {
                    clinician: "c".into(),
                    seen_on: at.date_naive(),
                    covers: vec![id(2)],
                    at,
                },
                SafetyEvent::Screened { questions: 3, at },
            ];
            let record = SafetyRecord {
                events: (1..).map(id).zip(events).collect(),
            };
            vec![
                serde_json::to_string(&record).unwrap(),
                r#"{"locked":true,"reasons":["a"],"since":"2024-01-02T03:04:05Z"}"#.into(),
            ]
        }

        #[test]
        fn every_single_damage_reads_as_serde_reads_it() {
            for text in records() {
                let tree = crate::json::tree::parse(&text).unwrap();
                assert_eq!(safety_from_text(&text), serde_safety(&text));
                for damaged in every_single_damage(&tree) {
                    let text = write(&damaged);
                    assert_eq!(safety_from_text(&text), serde_safety(&text), "{text}");
                    if let Ok(value) = crate::json::value(&text) {
                        let theirs = SafetyRecord::deserialize(&value).ok();
                        assert_eq!(safety_from_value(&value), theirs, "{text}");
                    }
                    assert_eq!(json_list(&text), serde_list(&text), "{text}");
                    let value = crate::json::value(&text).map_err(|e| e.to_string());
                    let theirs = crate::json::from_text::<serde_json::Value>(&text);
                    assert_eq!(value, theirs.map_err(|e| e.to_string()), "{text}");
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

            #[test]
            fn damaged_records_and_lists_read_as_serde_reads_them(
                which in 0usize..2,
                list in prop::collection::vec("[a-z]{0,3}", 0..4),
                damages in damages(),
            ) {
                let text = damaged(&records()[which], &damages);
                prop_assert_eq!(safety_from_text(&text), serde_safety(&text), "{}", text);
                let text = damaged(&serde_json::to_string(&list).unwrap(), &damages);
                prop_assert_eq!(json_list(&text), serde_list(&text), "{}", text);
            }

            #[test]
            fn junk_reads_as_serde_reads_it(text in "[\\[\\]{}\",:0-9a-z_ -]{0,40}") {
                prop_assert_eq!(safety_from_text(&text), serde_safety(&text));
                prop_assert_eq!(json_list(&text), serde_list(&text));
            }
        }
    }

    mod settings_text {
        use super::*;
        use proptest::prelude::*;
        use serde_json::{json, Value};

        /// The reader this replaced: straight from the text.
        fn from_text_directly(text: &str) -> Option<Settings> {
            crate::json::from_text::<Settings>(text).ok()
        }

        fn replacement() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                Just(json!(true)),
                Just(json!(0)),
                Just(json!(7)),
                Just(json!(4294967296u64)),
                Just(json!(-2)),
                Just(json!(0.1)),
                Just(json!(1e300)),
                Just(json!("")),
                Just(json!("imperial")),
                Just(json!({"metric": null})),
                Just(json!({"imperial": {}})),
                Just(json!("left")),
                Just(json!("de")),
                Just(json!("Europe/Berlin")),
                Just(json!("06:30:00")),
                Just(json!("06:30")),
                Just(json!("25:00:00")),
                Just(json!({"start": "06:00:00", "end": "08:00:00"})),
                Just(json!(["06:00:00", "08:00:00"])),
                Just(json!({"start": "06:00:00"})),
                Just(json!([])),
                Just(json!(["band"])),
                Just(json!(["nope"])),
                Just(json!({"min_duration_min": 90, "share_of_week": 0.3, "spike_ratio": 1.5})),
                Just(json!({})),
                "\\PC{0,8}".prop_map(Value::String),
                any::<f64>().prop_map(|f| json!(f)),
                any::<i64>().prop_map(|n| json!(n)),
            ]
        }

        /// A written settings object with fields replaced, removed or added, at the top
        /// or one object down, as text (distinct keys, as every writer leaves them).
        fn edited() -> impl Strategy<Value = String> {
            let key = prop_oneof![
                Just("units"),
                Just("locale"),
                Just("home_zone"),
                Just("wake_window"),
                Just("quiet_hours"),
                Just("reminders"),
                Just("long_run"),
                Just("rom_mdc_cm"),
                Just("rom_asymmetry_cm"),
                Just("goals"),
                Just("equipment"),
                Just("preferred_start_side"),
                Just("injured_side"),
                Just("other"),
            ];
            let inner = prop_oneof![
                Just("start"),
                Just("end"),
                Just("daily_drill_at"),
                Just("long_run_checkin"),
                Just("min_duration_min"),
                Just("share_of_week"),
                Just("share_min_duration_min"),
                Just("spike_ratio"),
                Just("other"),
            ];
            let edit = (
                key,
                proptest::option::of(inner),
                proptest::option::of(replacement()),
            );
            proptest::collection::vec(edit, 0..4).prop_map(|edits| {
                let mut value = serde_json::to_value(Settings::default()).unwrap();
                for (key, inner, edit) in edits {
                    let Value::Object(top) = &mut value else {
                        unreachable!()
                    };
                    let target = match inner {
                        Some(inner) => match top.get_mut(key) {
                            Some(Value::Object(nested)) => Some((nested, inner)),
                            _ => None,
                        },
                        None => Some((top, key)),
                    };
                    if let Some((map, key)) = target {
                        match edit {
                            Some(v) => map.insert(key.to_string(), v),
                            None => map.remove(key),
                        };
                    }
                }
                value.to_string()
            })
        }

        #[test]
        fn written_settings_read_back() {
            let settings = Settings {
                locale: "de".into(),
                rom_mdc_cm: 0.1 + 0.2,
                injured_side: Some(Side::Right),
                ..Settings::default()
            };
            let text = serde_json::to_string(&settings).unwrap();
            assert_eq!(settings_from_text(&text), Some(settings.clone()));
            assert_eq!(from_text_directly(&text), Some(settings));
        }

        /// The two forms no version wrote, where the readers differ (ADR 0025).
        #[test]
        fn text_no_writer_makes_reads_as_documented() {
            let text = serde_json::to_string(&Settings::default()).unwrap();
            let repeated = text.replacen(
                "\"locale\":\"en\"",
                "\"locale\":\"en\",\"locale\":\"de\"",
                1,
            );
            assert_ne!(repeated, text);
            assert_eq!(from_text_directly(&repeated), None);
            assert_eq!(settings_from_text(&repeated).unwrap().locale, "de");
            let Value::Object(fields) = serde_json::to_value(Settings::default()).unwrap() else {
                unreachable!()
            };
            // Struct fields in declaration order, as an array.
            let order = crate::domain::Settings::FIELDS;
            let array = Value::Array(order.iter().map(|k| fields[*k].clone()).collect());
            assert_eq!(
                from_text_directly(&array.to_string()),
                Some(Settings::default())
            );
            assert_eq!(settings_from_text(&array.to_string()), None);
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Any object with distinct keys reads as it read straight from the text.
            #[test]
            fn edited_settings_read_as_from_the_text(text in edited()) {
                prop_assert_eq!(settings_from_text(&text), from_text_directly(&text), "{}", text);
            }

            /// Junk reads as it read straight from the text (neither an object nor JSON).
            #[test]
            fn junk_reads_as_from_the_text(text in "[\\[\\]{}\",:0-9a-z .-]{0,24}") {
                let (a, b) = (settings_from_text(&text), from_text_directly(&text));
                prop_assert_eq!(a, b);
            }
        }
    }

    mod level_rows {
        use super::*;
        use proptest::prelude::*;
        use serde_json::{json, Map, Value};

        fn serde_reads(fields: &Map<String, Value>) -> Option<LevelRow> {
            serde_json::from_value::<LevelRow>(Value::Object(fields.clone())).ok()
        }

        fn written() -> Map<String, Value> {
            let level = DrillProgress {
                drill_id: "banded_df_mob".into(),
                side: Some(Side::Left),
                level: 3,
                changed_at: "2026-05-04T09:00:00Z".parse().unwrap(),
            };
            let why = LevelNote {
                drill_id: "banded_df_mob".into(),
                side: Some(Side::Left),
                from_drill_id: "knee_to_wall_rocks".into(),
                from_level: 2,
                change: "progress".into(),
                reason_code: "pain_free_progress".into(),
                numbers: [("sessions".to_string(), 3.0)].into(),
            };
            let row = LevelRowOut {
                level: &level,
                why: Some(&why),
            };
            match serde_json::to_value(row).unwrap() {
                Value::Object(fields) => fields,
                _ => unreachable!(),
            }
        }

        fn replacement() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                Just(json!(false)),
                Just(json!(0)),
                Just(json!(4294967295u64)),
                Just(json!(4294967296u64)),
                Just(json!(-3)),
                Just(json!(2.0)),
                Just(json!("")),
                Just(json!("left")),
                Just(json!("right")),
                Just(json!("Left")),
                Just(json!({"right": null})),
                Just(json!({"left": {}})),
                Just(json!({"left": 0})),
                Just(json!({"left": null, "right": null})),
                Just(json!({})),
                Just(json!([])),
                Just(json!(["left"])),
                Just(json!("2026-05-04T09:00:00+02:00")),
                Just(json!("2026-05-04T09:00:00.5-11:30")),
                Just(json!("2026-05-04 09:00:00Z")),
                Just(json!("2026-05-04T09:00:00")),
                Just(json!({"drill_id": "a", "side": null, "from_drill_id": "b",
                    "from_level": 1, "change": "regress", "reason_code": "c"})),
                Just(json!({"drill_id": "a", "from_drill_id": "b",
                    "from_level": 1, "change": "regress", "reason_code": "c"})),
                Just(
                    json!({"drill_id": "a", "side": "left", "from_drill_id": "b",
                    "from_level": -1, "change": "regress", "reason_code": "c"})
                ),
                Just(
                    json!({"drill_id": "a", "side": "left", "from_drill_id": "b",
                    "from_level": 1, "change": "x", "reason_code": "c", "numbers": {"n": "1"}})
                ),
                "\\PC{0,8}".prop_map(Value::String),
                any::<u64>().prop_map(|n| json!(n)),
            ]
        }

        fn damaged() -> impl Strategy<Value = Map<String, Value>> {
            let key = prop_oneof![
                Just("drill_id"),
                Just("side"),
                Just("level"),
                Just("changed_at"),
                Just("why"),
                Just("other"),
            ];
            proptest::collection::vec((key, proptest::option::of(replacement())), 0..4).prop_map(
                |edits| {
                    let mut fields = written();
                    for (key, edit) in edits {
                        match edit {
                            Some(v) => fields.insert(key.to_string(), v),
                            None => fields.remove(key),
                        };
                    }
                    fields
                },
            )
        }

        #[test]
        fn the_written_row_reads_back() {
            let fields = written();
            let row = LevelRow::read(fields.clone()).unwrap();
            assert_eq!(Some(&row), serde_reads(&fields).as_ref());
            assert_eq!(row.level.level, 3);
            assert_eq!(row.why.unwrap().from_level, 2);
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Any damage reads as serde's reader of the flattened row reads it.
            #[test]
            fn damaged_rows_read_as_serde_reads_them(fields in damaged()) {
                prop_assert_eq!(
                    LevelRow::read(fields.clone()),
                    serde_reads(&fields),
                    "{:?}",
                    fields
                );
            }
        }
    }
}
