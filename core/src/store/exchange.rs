//! The store's side of sync (DESIGN.md §5, ADR 0005): exporting the op-log as segments for a
//! peer, importing peers' segments into SQLite, folder exchange, and backup/restore.
//!
//! The op-log table holds every op this device has, its own and its peers'. Importing a
//! segment, in one IMMEDIATE transaction: appends the ops not held yet, re-merges each
//! touched entity from all of its ops (field-level last-writer-wins, tombstones — the rule in
//! [`crate::sync::ReplicaState`]), writes the merged entity into its table (or deletes its
//! row), absorbs the clock values and moves the watermarks. Either all of that commits or
//! none of it does, and importing the same segment again changes nothing.
//!
//! Entities are merged from their own ops only (read through the `op_log_entity` index), so
//! an import costs in proportion to what it brings, not to the size of the history.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
// foldhash for the maps keyed by entity id that see every op or set of an import (SipHash
// was ≈ 2 % of an import); its per-process random seed keeps hostile ids from piling up.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::bulk::{Bound, BulkInsert};
use super::repo::{
    insert_set, json, ms, side_str, variant_str, write_checkin, write_rom, write_run,
};
use super::rule_sets::ChangedSessions;
use super::{Cached, Store, StoreError};
use crate::domain::{
    CheckIn, DrillProgress, PlanVariant, RomMeasurement, RunRecord, Score, SessionOutcome,
    SessionStatus, SetLog, Settings, Side,
};
use crate::json::tree::{key_uuid, need, Json};
use crate::sorted_map::SortedMap;
use crate::sync::{
    decode_op_record, deserialize_put_field, deserialize_put_fields, encode_op_record,
    list_segment_files, put_record_fields, segment_head, visit_put_record_fields, visit_records,
    visit_segment, write_encoded_segment_file, write_segment_file, ConflictReport, DriftReport,
    EntityKind, EntityState, Hlc, HlcClock, Op, OpAction, OpRecord, PutFieldValue, Segment,
    SegmentEncoder, SegmentHead, Stamp, SyncMarks, VersionVector, MAX_CLOCK_AHEAD_MS,
    MAX_SEGMENT_BYTES, SEGMENT_EXTENSION,
};
use crate::time::parse_zone;

const MARKS_KEY: &str = "sync_marks";
/// Most entities one import merges straight from the segment (their records held until the
/// segment's last op: borrowed from a v2 segment, re-encoded from a v1 one, ~20 MB at
/// most): about five years of daily history. Entities past it are merged from the op-log
/// after the last op, as entities this device already held. An import into an empty
/// op-log first holds up to this many ops in arrival order (`import_locked`).
/// (100 in the crate's own tests, so their imports cross it.)
const FRESH_LIMIT: usize = if cfg!(test) { 100 } else { 1 << 16 };
/// SQLite page cache for an import, in KiB (see `import_with`).
const IMPORT_CACHE_KIB: u32 = 32 * 1024;
/// The meta key of [`SyncLog`] (this device's own record; never synced).
const SYNC_LOG_KEY: &str = "sync_log";

/// This device's memory of its exchanges, for the sync screen.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, Deserialize)]
pub struct SyncLog {
    /// Per peer device: when this device last imported a segment it wrote (this device's
    /// clock, ms).
    #[serde(default)]
    pub received_ms: SortedMap<Uuid, i64>,
    /// The latest folder exchange.
    #[serde(default)]
    pub last_folder: Option<FolderRound>,
}

/// One folder exchange as remembered.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct FolderRound {
    /// When it ran (this device's clock, ms).
    pub at_ms: i64,
    /// The folder.
    pub dir: String,
    /// Files skipped, with why.
    pub skipped: Vec<(String, String)>,
}

/// What importing segments into the store did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoreImport {
    /// Segments read and applied (including ones that brought nothing new).
    pub segments: usize,
    /// Ops in those segments.
    pub ops: usize,
    /// Ops this device did not hold before.
    pub new_ops: usize,
    /// Entities whose stored row was rewritten or deleted.
    pub entities_written: usize,
    /// Edits that beat a delete on another device (the entity was kept).
    pub conflicts: Vec<ConflictReport>,
    /// Devices whose clocks were more than a day ahead (their ops were merged, their clock
    /// was not adopted).
    pub drift: Vec<DriftReport>,
    /// Merged entities whose value this build cannot store (e.g. a pain score out of range
    /// from a misbehaving peer), as `kind id: reason`. Their ops are kept in the op-log.
    pub unstorable: Vec<String>,
}

impl StoreImport {
    fn absorb(&mut self, other: StoreImport) {
        self.segments += other.segments;
        self.ops += other.ops;
        self.new_ops += other.new_ops;
        self.entities_written += other.entities_written;
        self.conflicts.extend(other.conflicts);
        self.drift.extend(other.drift);
        self.unstorable.extend(other.unstorable);
    }
}

/// What one exchange through a shared folder did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FolderSync {
    /// The segment this device wrote (none when it had nothing new).
    pub written: Option<PathBuf>,
    /// Ops in the written segment.
    pub written_ops: usize,
    /// What reading the other devices' files did.
    pub imported: StoreImport,
    /// Segment files that could not be read or were refused (damaged, half-downloaded, a
    /// symbolic link, a FIFO), with the reason; nothing of them was applied.
    pub rejected: Vec<(PathBuf, String)>,
    /// Other files in the folder, which are not segments, with the reason they were left.
    pub ignored: Vec<(PathBuf, String)>,
    /// Segment files skipped because they were read before (same name, size and digest).
    pub unchanged: usize,
    /// This device's temp files left by a killed write, now removed.
    pub cleaned: Vec<PathBuf>,
}

/// An encoded segment made from the op-log ([`Store::encoded_segment_since`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedSegment {
    /// The segment file's bytes (format v1).
    pub bytes: Vec<u8>,
    /// What it is complete up to (and what this device had seen).
    pub top: VersionVector,
    /// Ops in it.
    pub op_count: usize,
}

impl Store {
    /// Everything this device holds, as per-device watermarks.
    pub fn sync_seen(&self) -> Result<VersionVector, StoreError> {
        let inner = self.lock();
        let tx = inner.conn.unchecked_transaction()?;
        let marks = load_marks(&tx)?;
        let mut seen = marks.seen;
        seen.advance(self.device_id(), inner.hlc.max(super::stored_hlc(&tx)?));
        Ok(seen)
    }

    /// What `peer` last told this device it had seen (empty if never heard from).
    pub fn peer_seen(&self, peer: Uuid) -> Result<VersionVector, StoreError> {
        let inner = self.lock();
        Ok(load_marks(&inner.conn)?.peer_seen(&peer))
    }

    /// A segment with every op this device holds that a peer which has seen `peer_seen` is
    /// missing (all of history for an empty vector). It is made as its encoded bytes
    /// ([`Store::encoded_segment_since`]); its ops are decoded only if asked for, and
    /// importing it into another profile takes the bytes path.
    pub fn segment_since(&self, peer_seen: &VersionVector) -> Result<Segment, StoreError> {
        let (head, bytes) = self.encode_since(peer_seen, 0)?;
        Ok(Segment::from_own_encoding(head, bytes))
    }

    /// A segment for `peer`, based on what it last told this device it had seen.
    pub fn segment_for_peer(&self, peer: Uuid) -> Result<Segment, StoreError> {
        let seen = self.peer_seen(peer)?;
        self.segment_since(&seen)
    }

    /// [`Store::segment_since`] encoded (what a sync or backup writes), made straight from
    /// the op-log's records without decoding them: each record is checked and copied as it
    /// is (segment format v2 carries op-log records, ADR 0013); a record whose bytes still
    /// give the checksum kept beside it passed the checks when it was written and is copied
    /// without walking it again (ADR 0013 addendum). A record that does not pass is damage
    /// (`StoreError::Damaged`).
    pub fn encoded_segment_since(
        &self,
        peer_seen: &VersionVector,
        catalog_version: u32,
    ) -> Result<EncodedSegment, StoreError> {
        let (head, bytes) = self.encode_since(peer_seen, catalog_version)?;
        Ok(EncodedSegment {
            bytes,
            top: head.top,
            op_count: usize::try_from(head.op_count).unwrap_or(usize::MAX),
        })
    }

    /// The head and bytes of the segment of everything held above `peer_seen`.
    fn encode_since(
        &self,
        peer_seen: &VersionVector,
        catalog_version: u32,
    ) -> Result<(SegmentHead, Vec<u8>), StoreError> {
        let inner = self.lock();
        // One read transaction: marks, clock and ops from the same snapshot.
        let tx = inner.conn.unchecked_transaction()?;
        let marks = load_marks(&tx)?;
        let mut seen = marks.seen;
        seen.advance(self.device_id(), inner.hlc.max(super::stored_hlc(&tx)?));
        let base = peer_seen.meet(&seen);
        let mut head = SegmentHead {
            writer: self.device_id(),
            catalog_version,
            base,
            top: seen,
            op_count: 0,
        };
        let ranges: Vec<(Uuid, Hlc, Hlc)> = head
            .top
            .iter()
            .map(|(device, top)| (*device, head.base.get(device), *top))
            .filter(|(_, from, to)| to > from)
            .collect();
        let damaged = |e: crate::sync::SyncError| {
            self.noticed(StoreError::Damaged(format!("op-log entry: {e}")))
        };
        let bytes = if let [(device, from, to)] = ranges.as_slice() {
            // One device's ops come from the op-log in stamp order (its key order): each
            // record goes straight from the query into the segment.
            let mut encoder = SegmentEncoder::new(&head);
            for_records_in_range(&tx, *device, *from, *to, |stamp, record, checksum| {
                encoder.push_kept(stamp, record, checksum).map_err(damaged)
            })?;
            head.op_count = encoder.op_count();
            encoder.finish()
        } else {
            // Several devices: one query per device, each in stamp order, merged by stamp
            // straight into the segment (no copy of the records in between).
            let mut encoder = SegmentEncoder::new(&head);
            for_records_in_ranges(&tx, &ranges, |stamp, record, checksum| {
                encoder.push_kept(stamp, record, checksum).map_err(damaged)
            })?;
            head.op_count = encoder.op_count();
            encoder.finish()
        };
        Ok((head, bytes))
    }

    /// [`Store::encoded_segment_since`] what `peer` last told this device it had seen.
    pub fn encoded_segment_for_peer(&self, peer: Uuid) -> Result<EncodedSegment, StoreError> {
        let seen = self.peer_seen(peer)?;
        self.encoded_segment_since(&seen, 0)
    }

    /// Imports one segment (see the module doc): all of it or nothing. A segment another
    /// profile exported ([`Store::segment_since`]) is imported from its bytes.
    pub fn import_segment(
        &self,
        segment: &Segment,
        now: DateTime<Utc>,
    ) -> Result<StoreImport, StoreError> {
        if let Some(bytes) = segment.encoded() {
            return self.import_segment_bytes(bytes, now);
        }
        let head = SegmentHead {
            writer: segment.writer(),
            catalog_version: segment.catalog_version(),
            base: segment.base().clone(),
            top: segment.top().clone(),
            op_count: segment.ops().len() as u64,
        };
        self.import_with(now, |sink| {
            for op in segment.ops() {
                sink(OpRecord {
                    stamp: op.stamp,
                    entity: op.entity,
                    id: op.id,
                    record: encode_op_record(op).into(),
                })?;
            }
            Ok(head)
        })
    }

    /// Imports an encoded segment straight from its bytes, decoding and storing one op at a
    /// time in the import transaction (ADR 0005): peak memory stays a small multiple of the
    /// file's size. A v2 segment's op records are stored as they are. A segment that turns
    /// out malformed part-way applies nothing.
    pub fn import_segment_bytes(
        &self,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<StoreImport, StoreError> {
        self.import_with(now, |sink| visit_records(bytes, sink))
    }

    /// The import transaction; `feed` hands every op of the segment to the sink it is given
    /// and returns the segment's head.
    fn import_with<'a>(
        &self,
        now: DateTime<Utc>,
        feed: impl FnOnce(
            &mut dyn FnMut(OpRecord<'a>) -> Result<(), StoreError>,
        ) -> Result<SegmentHead, StoreError>,
    ) -> Result<StoreImport, StoreError> {
        let mut inner = self.lock();
        // An import dirties more pages than SQLite's default cache (2 MB) holds: a year of
        // history is ~10 MB of table and index pages, which would be spilled into the WAL
        // before the commit and written again by it. The import gets a bigger cache
        // (`IMPORT_CACHE_KIB`, a bound, not a reservation) and gives it back after.
        let previous: i64 = inner.conn.row("PRAGMA cache_size", [], |r| r.get(0))?;
        inner
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))?;
        let result = self.import_locked(&mut inner, now, feed);
        // The setting only sizes a cache; failing to restore it changes no data.
        let _ = inner
            .conn
            .execute_batch(&format!("PRAGMA cache_size = {previous}"));
        result
    }

    fn import_locked<'a>(
        &self,
        inner: &mut super::Inner,
        now: DateTime<Utc>,
        feed: impl FnOnce(
            &mut dyn FnMut(OpRecord<'a>) -> Result<(), StoreError>,
        ) -> Result<SegmentHead, StoreError>,
    ) -> Result<StoreImport, StoreError> {
        let now_ms = ms(now).max(0) as u64;
        let me = self.device_id();
        let cached_hlc = inner.hlc;
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Marks and clock are read inside the write lock, so an import by another
        // connection to this profile is never overwritten by a stale copy.
        let hlc = cached_hlc.max(super::stored_hlc(&tx)?);
        let mut marks = load_marks(&tx)?;
        marks.seen.advance(me, hlc);
        let mut clock = HlcClock::new(hlc);
        let mut report = StoreImport {
            segments: 1,
            ..StoreImport::default()
        };
        // Entity ids as `u128` (big-endian, so in `Uuid`'s order): a key comparison is
        // two integer compares, not a call to `memcmp`, and this set and map see every op.
        // Gathered in a hash set (one look-up per op), then sorted once after the last op
        // and walked in key order (a sorted tree cost ≈ 10 M instructions a year).
        let mut touched: HashSet<(EntityKind, u128)> = HashSet::new();
        let mut newest: SortedMap<Uuid, Hlc> = SortedMap::new();
        // Entities this device held no op of before the import (the common first sync)
        // are merged straight from the segment's ops, up to `FRESH_LIMIT` of them so a big
        // import's memory stays bounded; the others are re-merged from every op held
        // (`merged_entity`) at the end.
        let mut fresh: HashMap<(EntityKind, u128), FreshRecords<'a>> = HashMap::new();
        // Into an empty op-log (a first sync, a restore) every entity is new: no look-ups.
        let log_was_empty: bool =
            tx.row("SELECT NOT EXISTS(SELECT 1 FROM op_log)", [], |r| r.get(0))?;
        // ...so its ops are kept as they arrive, up to `FRESH_LIMIT` of them, in one vector
        // sorted by entity after the last op: no hash look-up per op and per entity, and
        // the entities' records then read in key order from memory read in order. Past
        // `FRESH_LIMIT` ops they move into `touched` and `fresh` as any import's do.
        let mut arriving = log_was_empty;
        let mut arrived: Vec<Arrived<'a>> = Vec::new();
        // ...and its tables' secondary indexes are built once from the written rows
        // rather than kept up to date row by row (ADR 0023).
        let mut deferred = if log_was_empty {
            DeferredIndexes::drop_all(&tx)?
        } else {
            DeferredIndexes::default()
        };
        let segment = {
            let mut held = tx.prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM op_log WHERE entity = ?1 AND entity_id = ?2)",
            )?;
            let mut log = OpLogWriter::new(&tx, log_was_empty)?;
            let mut sink = |op: OpRecord<'a>| -> Result<(), StoreError> {
                let key = (op.entity, op.id.as_u128());
                if arriving && arrived.len() < FRESH_LIMIT {
                    // Into an empty op-log no look-up decides what is new, so the op is
                    // added first.
                    let added = log.add(&op)?;
                    report.ops += 1;
                    if let Some(slot_hlc) = newest.get_or_insert_with(op.stamp.device, Hlc::default)
                    {
                        *slot_hlc = (*slot_hlc).max(op.stamp.hlc);
                    }
                    if added {
                        report.new_ops += 1;
                        // Its place in arrival order (below `FRESH_LIMIT`, so a `u32`).
                        let seq = arrived.len() as u32;
                        arrived.push(((key, seq), op.stamp, op.record));
                    }
                    return Ok(());
                }
                if arriving {
                    // `FRESH_LIMIT` ops held: they move into the maps (at most that many
                    // entities, all with room), and this op and the rest go the usual way.
                    arriving = false;
                    for ((key, _), stamp, record) in std::mem::take(&mut arrived) {
                        touched.insert(key);
                        fresh.entry(key).or_default().push((stamp, record));
                    }
                }
                let room = fresh.len() < FRESH_LIMIT;
                let slot = match fresh.entry(key) {
                    Entry::Occupied(e) => Some(e.into_mut()),
                    Entry::Vacant(e) => {
                        let new = room
                            && (log_was_empty || {
                                // The id as text on the stack (no allocation per op).
                                let mut id_text = [0u8; 36];
                                let entity_id: &str = op.id.hyphenated().encode_lower(&mut id_text);
                                !held.query_row(params![op.entity.as_str(), entity_id], |r| {
                                    r.get::<_, bool>(0)
                                })?
                            });
                        new.then(|| e.insert(Vec::new()))
                    }
                };
                let added = log.add(&op)?;
                report.ops += 1;
                if let Some(slot_hlc) = newest.get_or_insert_with(op.stamp.device, Hlc::default) {
                    *slot_hlc = (*slot_hlc).max(op.stamp.hlc);
                }
                if added {
                    report.new_ops += 1;
                    touched.insert(key);
                    // Only ops the log keeps are merged, as the general merge reads them.
                    if let Some(records) = slot {
                        records.push((op.stamp, op.record));
                    }
                }
                Ok(())
            };
            let segment = feed(&mut sink)?;
            log.flush()?;
            segment
        };
        // Sessions sort before their sets, so a set finds its session row.
        let mut live_sessions = HashSet::new();
        // Sessions whose sets this import changes: their derived records are rewritten
        // before it commits (ADR 0020).
        let mut changed = ChangedSessions::default();
        let mut new_sets = SetBatch::new(&tx)?;
        let mut new_sessions = SessionBatch::new(&tx)?;
        let touched: Vec<(EntityKind, u128)> = if arriving {
            // Each entity's ops stay in the order they came (no two have one place, so an
            // unstable sort does: it moves fewer bytes than a stable one).
            arrived.sort_unstable_by_key(|(key_seq, _, _)| *key_seq);
            let mut keys: Vec<_> = arrived.iter().map(|((key, _), _, _)| *key).collect();
            keys.dedup();
            keys
        } else {
            let mut in_order: Vec<_> = touched.into_iter().collect();
            // The library's one shared sort, not a copy of the std sort for these keys
            // (≈2 KB): entities changed by a later import number thousands at most.
            crate::order::sort(&mut in_order);
            in_order
        };
        // In key order, as `touched`.
        let mut arrived = arrived.into_iter().peekable();
        for (kind, id) in &touched {
            let key = (*kind, *id);
            let id = &Uuid::from_u128(*id);
            let records = if arriving {
                let of_key = std::iter::from_fn(|| {
                    arrived
                        .next_if(|((k, _), _, _)| *k == key)
                        .map(|(_, stamp, record)| (stamp, record))
                });
                Some(Merged::from_records(*kind, of_key)?)
            } else {
                fresh
                    .remove(&key)
                    .map(|records| Merged::from_records(*kind, records))
                    .transpose()?
            };
            let (state, new_entity) = match records {
                Some(state) => (state, true),
                None => (Merged::from_state(merged_entity(&tx, *kind, *id)?), false),
            };
            let live = state.live;
            let revived = *kind == EntityKind::Session && state.tombstone.is_some() && live;
            if let (Some(delete), Some(edit)) = (state.tombstone, state.latest_edit) {
                if live {
                    report.conflicts.push(ConflictReport::EditBeatDelete {
                        entity: *kind,
                        id: *id,
                        edit,
                        delete,
                    });
                }
            }
            if *kind == EntityKind::Session && new_entity && live && !revived {
                if let Some(fields) = storable_new_session(&state) {
                    new_sessions.push(
                        &mut report,
                        *id,
                        fields,
                        &mut live_sessions,
                        &mut changed,
                    )?;
                    continue;
                }
            }
            // Sessions waiting are written before anything after them (their sets look
            // for their rows).
            new_sessions.flush(&mut report, &mut live_sessions, &mut changed)?;
            if *kind == EntityKind::SetLog && new_entity && state.live {
                if let Some((session, set)) = storable_new_set(&tx, &state, &live_sessions)? {
                    new_sets.push(&mut report, &mut changed, session, *id, set)?;
                    continue;
                }
            }
            // Everything else is written in order after the sets waiting before it.
            new_sets.flush(&mut report, &mut changed)?;
            match materialize(
                &tx,
                *kind,
                *id,
                &state,
                new_entity,
                &mut live_sessions,
                &mut changed,
            ) {
                Ok(()) => report.entities_written += 1,
                Err(MaterializeError::Unstorable(reason)) => report
                    .unstorable
                    .push(format!("{} {id}: {reason}", kind.as_str())),
                Err(MaterializeError::Store(e)) => return Err(e),
            }
            // A session brought back by an edit after a delete lost its set rows with the
            // delete; its sets' ops are all still held, so they are written again.
            if revived {
                for set_id in set_ids_of(&tx, *id)? {
                    if touched
                        .binary_search(&(EntityKind::SetLog, set_id.as_u128()))
                        .is_ok()
                    {
                        continue;
                    }
                    let set_state =
                        Merged::from_state(merged_entity(&tx, EntityKind::SetLog, set_id)?);
                    match materialize(
                        &tx,
                        EntityKind::SetLog,
                        set_id,
                        &set_state,
                        false,
                        &mut live_sessions,
                        &mut changed,
                    ) {
                        Ok(()) => report.entities_written += 1,
                        Err(MaterializeError::Unstorable(reason)) => report
                            .unstorable
                            .push(format!("set_log {set_id}: {reason}")),
                        Err(MaterializeError::Store(e)) => return Err(e),
                    }
                }
            }
        }
        new_sessions.flush(&mut report, &mut live_sessions, &mut changed)?;
        drop(new_sessions);
        new_sets.flush(&mut report, &mut changed)?;
        drop(new_sets);
        if !report.unstorable.is_empty() {
            // A set announced to its session's record may have been refused.
            changed.read_all_back();
        }
        changed.write(&tx)?;
        deferred.build(&tx)?;
        // Our own ops coming back (after this profile was restored from an older backup)
        // move our clock past them too, so no stamp is ever issued twice.
        for (device, hlc) in newest {
            if let Err(drift) = clock.observe(hlc, now_ms) {
                report.drift.push(DriftReport {
                    device: Some(device),
                    ..drift.report
                });
            }
        }
        // Watermarks are claims, not facts: a peer's claim beyond the drift bound (or beyond
        // our own clock, for our own ops) is clamped and reported, never adopted, so one
        // forged or broken segment cannot mark future ops as already seen.
        let limit = Hlc {
            wall_ms: now_ms.saturating_add(MAX_CLOCK_AHEAD_MS),
            counter: u32::MAX,
        };
        let cap = |device: &Uuid| if *device == me { clock.last } else { limit };
        let clamp = |vv: &VersionVector| -> VersionVector {
            vv.iter().map(|(d, h)| (*d, (*h).min(cap(d)))).collect()
        };
        for (device, claimed) in segment.top.iter() {
            let bound = cap(device);
            let reported = report.drift.iter().any(|r| r.device == Some(*device));
            if *claimed > bound && claimed.wall_ms > limit.wall_ms && !reported {
                report.drift.push(DriftReport {
                    device: Some(*device),
                    remote: *claimed,
                    local_now_ms: now_ms,
                    ahead_ms: claimed.wall_ms.saturating_sub(now_ms),
                });
            }
        }
        let (base, top) = (clamp(&segment.base), clamp(&segment.top));
        marks.absorb(&base, &top);
        marks.note_peer(segment.writer, &top);
        tx.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            params![MARKS_KEY, json(&marks)?],
        )?;
        if segment.writer != me {
            // When this device last received from that one, by this device's clock.
            let mut log: SyncLog = load_json(&tx, SYNC_LOG_KEY, SyncLog::from_json)?;
            log.received_ms.insert(segment.writer, ms(now));
            tx.exec(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                params![SYNC_LOG_KEY, json(&log)?],
            )?;
        }
        tx.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('hlc', ?1)",
            [json(&clock.last)?],
        )?;
        tx.commit()?;
        inner.hlc = clock.last;
        Ok(report)
    }

    /// One exchange through a folder shared by the runner's devices (a cloud-drive folder):
    /// imports every other device's segment file it has not read before, then writes this
    /// device's new ops as one segment file (crash-safe: temp, fsync, rename).
    ///
    /// Files already read are remembered by name, size and content digest (the segment's
    /// SHA-256 trailer, read without reading the file), so a quiet round reads nothing. A
    /// damaged or half-downloaded file, a symbolic link, a FIFO or anything else that is
    /// not a regular `.talseg` file is listed in `rejected` with the reason and skipped;
    /// the rest still syncs. Other files are listed in `ignored`. This device's own `.tmp`
    /// leftovers from a killed write are removed. A storage failure stops the exchange and
    /// is returned; nothing is retried.
    pub fn sync_folder(&self, dir: &Path, now: DateTime<Utc>) -> Result<FolderSync, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut out = FolderSync::default();
        let me = self.device_id();
        let read_key = folder_key("folder_read", dir);
        let known: SortedMap<String, FileMark> = {
            let inner = self.lock();
            load_json(&inner.conn, &read_key, file_marks_from_json)?
        };
        let mut remembered: SortedMap<String, FileMark> = SortedMap::new();
        let entries = std::fs::read_dir(dir).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        crate::order::sort(&mut paths);
        let own_temp = format!(".{me}-");
        let my_temp_end = format!(".{}.tmp", std::process::id());
        for path in paths {
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if name.starts_with('.') {
                // Our own temp file from a write that was killed (not one being written now).
                let ours = name.starts_with(&own_temp) && name.ends_with(".tmp");
                if ours && !name.ends_with(&my_temp_end) && std::fs::remove_file(&path).is_ok() {
                    out.cleaned.push(path);
                }
                continue;
            }
            let is_segment = path.extension().and_then(|e| e.to_str()) == Some(SEGMENT_EXTENSION);
            if !is_segment {
                out.ignored
                    .push((path, "not a segment file (.talseg)".into()));
                continue;
            }
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    out.rejected.push((path, format!("cannot be read: {e}")));
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                out.rejected
                    .push((path, "a symbolic link (not followed)".into()));
                continue;
            }
            if !meta.is_file() {
                let why = "not a regular file (a FIFO, device or folder)";
                out.rejected.push((path, why.into()));
                continue;
            }
            if meta.len() > MAX_SEGMENT_BYTES {
                let why = format!(
                    "{} bytes, above the {MAX_SEGMENT_BYTES} byte limit",
                    meta.len()
                );
                out.rejected.push((path, why));
                continue;
            }
            let mark = match file_mark(&path, meta.len()) {
                Ok(mark) => mark,
                Err(e) => {
                    out.rejected.push((path, format!("cannot be read: {e}")));
                    continue;
                }
            };
            if known.get(&name) == Some(&mark) {
                remembered.insert(name, mark);
                out.unchanged += 1;
                continue;
            }
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    out.rejected.push((path, format!("cannot be read: {e}")));
                    continue;
                }
            };
            let head = match segment_head(&bytes) {
                Ok(head) => head,
                Err(e) => {
                    out.rejected.push((path, e.to_string()));
                    continue;
                }
            };
            if head.writer != me && !head.top.dominated_by(&self.sync_seen()?) {
                match self.import_segment_bytes(&bytes, now) {
                    Ok(report) => out.imported.absorb(report),
                    Err(StoreError::Segment(why)) => {
                        out.rejected.push((path, why));
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
            remembered.insert(name, mark);
        }
        let key = folder_key("folder_written", dir);
        let written: VersionVector = {
            let inner = self.lock();
            load_json(&inner.conn, &key, VersionVector::from_json)?
        };
        let segment = self.encoded_segment_since(&written, 0)?;
        if segment.op_count > 0 {
            let path = write_encoded_segment_file(dir, self.device_id(), &segment.bytes)
                .map_err(|e| StoreError::Io(e.to_string()))?;
            // Our own file needs no reading next time.
            let size = std::fs::metadata(&path).map(|m| m.len());
            if let (Ok(mark), Some(name)) = (
                size.and_then(|len| file_mark(&path, len)),
                path.file_name().map(|n| n.to_string_lossy().into_owned()),
            ) {
                remembered.insert(name, mark);
            }
            out.written = Some(path);
            out.written_ops = segment.op_count;
        }
        let inner = self.lock();
        let tx = inner.conn.unchecked_transaction()?;
        if out.written.is_some() {
            tx.exec(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                params![key, json(&segment.top)?],
            )?;
        }
        tx.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            params![read_key, json(&remembered)?],
        )?;
        let mut log: SyncLog = load_json(&tx, SYNC_LOG_KEY, SyncLog::from_json)?;
        log.last_folder = Some(FolderRound {
            at_ms: ms(now),
            dir: dir.to_string_lossy().into_owned(),
            skipped: out
                .rejected
                .iter()
                .map(|(path, why)| (path.to_string_lossy().into_owned(), why.clone()))
                .collect(),
        });
        tx.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            params![SYNC_LOG_KEY, json(&log)?],
        )?;
        tx.commit()?;
        Ok(out)
    }

    /// What this device remembers of its exchanges: when it last received from each peer,
    /// and its last folder exchange with the files it skipped and why.
    pub fn sync_log(&self) -> Result<SyncLog, StoreError> {
        let inner = self.lock();
        load_json(&inner.conn, SYNC_LOG_KEY, SyncLog::from_json)
    }

    /// Writes a full backup into `dir`: one segment with all of history, recording the
    /// drill-catalog version. Restoring it with [`Store::restore_backup`] on a fresh install
    /// gives the same history.
    pub fn write_backup(&self, dir: &Path, catalog_version: u32) -> Result<PathBuf, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(e.to_string()))?;
        let segment = self.encoded_segment_since(&VersionVector::new(), catalog_version)?;
        let main = write_encoded_segment_file(dir, self.device_id(), &segment.bytes)
            .map_err(|e| StoreError::Io(e.to_string()))?;
        // Ranges held past a gap are not in the contiguous segment; each gets its own file
        // so a restore brings back everything this device holds.
        for extra in self.pending_segments()? {
            let extra = extra.with_catalog_version(catalog_version);
            write_segment_file(dir, &extra).map_err(|e| StoreError::Io(e.to_string()))?;
        }
        Ok(main)
    }

    /// One segment per range held past a gap (see [`SyncMarks::pending`]).
    fn pending_segments(&self) -> Result<Vec<Segment>, StoreError> {
        let inner = self.lock();
        let tx = inner.conn.unchecked_transaction()?;
        let marks = load_marks(&tx)?;
        let mut out = Vec::new();
        for (device, ranges) in &marks.pending {
            for (start, end) in ranges {
                let ops = ops_in_range(&tx, *device, *start, *end)?;
                let base: VersionVector = [(*device, *start)].into_iter().collect();
                let top: VersionVector = [(*device, *end)].into_iter().collect();
                out.push(Segment::trusted(self.device_id(), base, top, ops));
            }
        }
        Ok(out)
    }

    /// Imports every segment file in `dir` (a backup, or a folder of segments). Refuses the
    /// whole restore, applying nothing, if any file is unreadable.
    pub fn restore_backup(
        &self,
        dir: &Path,
        now: DateTime<Utc>,
    ) -> Result<StoreImport, StoreError> {
        let files = list_segment_files(dir).map_err(|e| StoreError::Io(e.to_string()))?;
        // Every file is checked (decoded without keeping its ops) before any is applied.
        let mut contents = Vec::new();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let refused = |e: String| StoreError::Segment(format!("{name}: {e}"));
            let len = std::fs::metadata(&path)
                .map_err(|e| refused(e.to_string()))?
                .len();
            if len > MAX_SEGMENT_BYTES {
                return Err(refused(format!(
                    "{len} bytes, above the {MAX_SEGMENT_BYTES} byte limit"
                )));
            }
            let bytes = std::fs::read(&path).map_err(|e| refused(e.to_string()))?;
            visit_segment(&bytes, |_| Ok::<(), crate::sync::SyncError>(()))
                .map_err(|e| refused(e.to_string()))?;
            contents.push(bytes);
        }
        let mut report = StoreImport::default();
        for bytes in &contents {
            report.absorb(self.import_segment_bytes(bytes, now)?);
        }
        Ok(report)
    }
}

/// Ops of `device` held with `from < hlc <= to`.
fn ops_in_range(
    conn: &rusqlite::Connection,
    device: Uuid,
    from: Hlc,
    to: Hlc,
) -> Result<Vec<Op>, StoreError> {
    if to <= from {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT hlc_wall_ms, hlc_counter, op FROM op_log WHERE device = ?1 \
         AND (hlc_wall_ms, hlc_counter) > (?2, ?3) AND (hlc_wall_ms, hlc_counter) <= (?4, ?5)",
    )?;
    let rows = stmt.query_map(
        params![
            device.to_string(),
            from.wall_ms as i64,
            from.counter,
            to.wall_ms as i64,
            to.counter
        ],
        |r| row_op(r, device),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The op-log rows of one device's ops with `from < hlc <= to`, in stamp order: clock wall
/// and counter, record, the checksum kept beside it.
const RECORDS_IN_RANGE: &str = "SELECT hlc_wall_ms, hlc_counter, op, op_checksum FROM op_log \
     WHERE device = ?1 AND (hlc_wall_ms, hlc_counter) > (?2, ?3) \
     AND (hlc_wall_ms, hlc_counter) <= (?4, ?5) ORDER BY hlc_wall_ms, hlc_counter";

/// Runs [`RECORDS_IN_RANGE`] for `device`'s ops with `from < hlc <= to`.
fn query_range<'s>(
    statement: &'s mut rusqlite::CachedStatement<'_>,
    device: Uuid,
    from: Hlc,
    to: Hlc,
) -> rusqlite::Result<rusqlite::Rows<'s>> {
    statement.query(params![
        device.to_string(),
        from.wall_ms as i64,
        from.counter,
        to.wall_ms as i64,
        to.counter
    ])
}

/// The record (column 2) of a [`RECORDS_IN_RANGE`] row, borrowed, and the checksum kept
/// beside it (column 3; anything but an integer, as a row written by something else may
/// hold, counts as none, and the record is then checked field by field).
fn row_record<'r>(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<(&'r [u8], Option<i64>)> {
    let record = row
        .get_ref(2)?
        .as_blob()
        .map_err(|e| super::repo::conversion_failure(2, rusqlite::types::Type::Blob, &e))?;
    let checksum = match row.get_ref(3)? {
        rusqlite::types::ValueRef::Integer(sum) => Some(sum),
        _ => None,
    };
    Ok((record, checksum))
}

/// Hands the records (undecoded) of `device`'s ops held with `from < hlc <= to` to `each`,
/// in stamp order, with their stamps and the checksums kept beside them (ADR 0013
/// addendum; `None` for a row that has none).
fn for_records_in_range(
    conn: &rusqlite::Connection,
    device: Uuid,
    from: Hlc,
    to: Hlc,
    mut each: impl FnMut(Stamp, &[u8], Option<i64>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    if to <= from {
        return Ok(());
    }
    let mut statement = conn.prepare_cached(RECORDS_IN_RANGE)?;
    let mut rows = query_range(&mut statement, device, from, to)?;
    while let Some(row) = rows.next()? {
        let stamp = row_stamp(row, device)?;
        let (record, checksum) = row_record(row)?;
        each(stamp, record, checksum)?;
    }
    Ok(())
}

/// [`for_records_in_range`] over several devices' ranges (`(device, from, to)`), merged
/// into one stamp order: one query per device, each already in its stamp order, and the
/// lowest of their current rows handed over next. Nothing is gathered or sorted.
fn for_records_in_ranges(
    conn: &rusqlite::Connection,
    ranges: &[(Uuid, Hlc, Hlc)],
    mut each: impl FnMut(Stamp, &[u8], Option<i64>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    let ranges: Vec<&(Uuid, Hlc, Hlc)> = ranges.iter().filter(|(_, from, to)| to > from).collect();
    let mut statements = ranges
        .iter()
        .map(|_| conn.prepare_cached(RECORDS_IN_RANGE))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut streams = Vec::with_capacity(ranges.len());
    for (statement, (device, from, to)) in statements.iter_mut().zip(&ranges) {
        streams.push((query_range(statement, *device, *from, *to)?, *device));
    }
    // Each stream's current row's stamp; `None` once the stream is done.
    let mut heads = Vec::with_capacity(streams.len());
    for (rows, device) in &mut streams {
        rows.advance()?;
        heads.push(rows.get().map(|row| row_stamp(row, *device)).transpose()?);
    }
    loop {
        let lowest = heads
            .iter()
            .enumerate()
            .filter_map(|(at, head)| head.map(|stamp| (at, stamp)))
            .min_by_key(|(_, stamp)| *stamp);
        let Some((at, stamp)) = lowest else {
            return Ok(());
        };
        let (Some((rows, device)), Some(head)) = (streams.get_mut(at), heads.get_mut(at)) else {
            return Ok(());
        };
        if let Some(row) = rows.get() {
            let (record, checksum) = row_record(row)?;
            each(stamp, record, checksum)?;
        }
        rows.advance()?;
        *head = rows.get().map(|row| row_stamp(row, *device)).transpose()?;
    }
}

/// The stamp of an op-log row whose columns 0 and 1 are `hlc_wall_ms, hlc_counter`, made
/// by `device`.
fn row_stamp(row: &rusqlite::Row<'_>, device: Uuid) -> rusqlite::Result<Stamp> {
    let wall: i64 = row.get(0)?;
    let wall_ms =
        u64::try_from(wall).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, wall))?;
    Ok(Stamp {
        hlc: Hlc {
            wall_ms,
            counter: row.get(1)?,
        },
        device,
    })
}

/// The op of an op-log row read as `hlc_wall_ms, hlc_counter, op` (columns 0–2), made by
/// `device`. A record that does not decode is damage (`StoreError::Damaged` via rusqlite's
/// conversion error).
pub(super) fn row_op(row: &rusqlite::Row<'_>, device: Uuid) -> rusqlite::Result<Op> {
    use rusqlite::types::Type;
    let stamp = row_stamp(row, device)?;
    let bytes = row
        .get_ref(2)?
        .as_blob()
        .map_err(|e| super::repo::conversion_failure(2, Type::Blob, &e))?;
    decode_op_record(bytes, stamp).map_err(|e| super::repo::conversion_failure(2, Type::Blob, &e))
}

/// Like [`row_op`], with the device read from column 3.
pub(super) fn row_op_with_device(row: &rusqlite::Row<'_>) -> rusqlite::Result<Op> {
    let text = row.get_ref(3)?.as_str()?;
    let device = Uuid::parse_str(text)
        .map_err(|e| super::repo::conversion_failure(3, rusqlite::types::Type::Text, &e))?;
    row_op(row, device)
}

/// Re-encodes every op-log row still holding a JSON op (written before schema v4) as its
/// compact record, inside the migration's transaction. Rows are walked by key in batches,
/// so memory stays small on a decade of history. A row whose JSON does not parse is left
/// as it is: reading it reports damage, as it did before.
#[cfg(feature = "legacy-profiles")]
pub(super) fn compact_json_ops(tx: &Transaction) -> Result<(), StoreError> {
    const BATCH: usize = 1024;
    let mut after: (String, i64, i64) = (String::new(), i64::MIN, i64::MIN);
    loop {
        let batch: Vec<(String, i64, i64, Vec<u8>)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT device, hlc_wall_ms, hlc_counter, op FROM op_log \
                 WHERE (device, hlc_wall_ms, hlc_counter) > (?1, ?2, ?3) \
                 ORDER BY device, hlc_wall_ms, hlc_counter LIMIT ?4",
            )?;
            let rows = stmt.query_map(params![after.0, after.1, after.2, BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = (last.0.clone(), last.1, last.2);
        for (device, wall, counter, text) in &batch {
            if text.first() != Some(&b'{') {
                continue;
            }
            let Ok(op) = serde_json::from_slice::<Op>(text) else {
                continue;
            };
            tx.exec(
                "UPDATE op_log SET op = ?4 WHERE device = ?1 AND hlc_wall_ms = ?2 \
                 AND hlc_counter = ?3",
                params![device, wall, counter, encode_op_record(&op)],
            )?;
        }
    }
}

/// Rewrites every history table from the op-log in one transaction (the repair after a
/// check found the file sound but a value unreadable, ADR 0001). Local-only state (the
/// resume snapshot of an open session, reminder state) is not in the log: an open session
/// is kept as started without its snapshot. Fails, changing nothing, if an op cannot be read.
pub(super) fn rebuild_from_op_log(conn: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Gathered, then sorted once and deduplicated: the (kind, id) order a set gave.
    let mut entities: Vec<(EntityKind, Uuid)> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT DISTINCT entity, entity_id FROM op_log")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, id) = row?;
            let kind = EntityKind::parse(&kind)
                .ok_or_else(|| StoreError::Damaged(format!("op-log entity kind {kind:?}")))?;
            let id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Damaged(format!("op-log entity id {id:?}")))?;
            entities.push((kind, id));
        }
    }
    crate::order::sort(&mut entities);
    entities.dedup();
    tx.execute_batch(
        "DELETE FROM set_log; DELETE FROM session; DELETE FROM checkin; DELETE FROM run; \
         DELETE FROM rom_measurement; DELETE FROM drill_progress; DELETE FROM settings; \
         DELETE FROM safety_lock;",
    )?;
    // Sessions sort before their sets, so a set finds its session row.
    let mut live_sessions = HashSet::new();
    for (kind, id) in &entities {
        let state = Merged::from_state(merged_entity(&tx, *kind, *id)?);
        // Every history table was emptied above.
        // Every record is rewritten below.
        let mut changed = ChangedSessions::default();
        match materialize(
            &tx,
            *kind,
            *id,
            &state,
            true,
            &mut live_sessions,
            &mut changed,
        ) {
            Ok(()) | Err(MaterializeError::Unstorable(_)) => {}
            Err(MaterializeError::Store(e)) => return Err(e),
        }
    }
    super::rule_sets::write_all(&tx)?;
    tx.commit()?;
    Ok(())
}

fn load_marks(conn: &rusqlite::Connection) -> Result<SyncMarks, StoreError> {
    let stored: Option<String> = conn
        .row("SELECT value FROM meta WHERE key = ?1", [MARKS_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    // Read through the parsed tree, not serde's reader of the marks (ADR 0026): the same
    // marks, and damaged exactly where that reader refuses the text.
    let Some(text) = stored else {
        return Ok(SyncMarks::default());
    };
    let tree = crate::json::tree::parse(&text)
        .map_err(|e| StoreError::Damaged(format!("sync watermarks: {e}")))?;
    SyncMarks::from_json(&tree).ok_or_else(|| {
        StoreError::Damaged("sync watermarks: not the stored form of the marks".into())
    })
}

/// A JSON value kept in `meta`, read by `read` from its parsed tree (ADR 0026; `read` takes
/// what serde's reader of the type takes). Its default when absent or unreadable: these are
/// caches of what was exchanged through a folder, and losing one only costs a re-read.
fn load_json<T: Default>(
    conn: &rusqlite::Connection,
    key: &str,
    read: fn(&crate::json::tree::Json) -> Option<T>,
) -> Result<T, StoreError> {
    let stored: Option<String> = conn
        .row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(stored
        .and_then(|text| crate::json::tree::parse(&text).ok())
        .and_then(|tree| read(&tree))
        .unwrap_or_default())
}

impl SyncLog {
    /// The log as serde reads it from its stored JSON text (ADR 0026).
    fn from_json(json: &Json) -> Option<SyncLog> {
        let [received_ms, last_folder] = json.fields(["received_ms", "last_folder"])?;
        let mut received = SortedMap::new();
        for (device, at) in received_ms.map_or(Some(&[][..]), Json::entries)? {
            received.insert(key_uuid(device)?, at.i64()?);
        }
        Some(SyncLog {
            received_ms: received,
            last_folder: match last_folder {
                None | Some(Json::Null) => None,
                Some(round) => Some(FolderRound::from_json(round)?),
            },
        })
    }
}

impl FolderRound {
    /// A folder round as serde reads it (ADR 0026).
    fn from_json(json: &Json) -> Option<FolderRound> {
        let [at_ms, dir, skipped] = json.fields(["at_ms", "dir", "skipped"])?;
        Some(FolderRound {
            at_ms: need(at_ms, Json::i64)?,
            dir: need(dir, Json::string)?,
            skipped: need(skipped, |list| {
                list.list(|pair| match pair.items()? {
                    [path, why] => Some((path.string()?, why.string()?)),
                    _ => None,
                })
            })?,
        })
    }
}

/// The files of a folder already read, by name, as serde reads the map (ADR 0026).
fn file_marks_from_json(json: &Json) -> Option<SortedMap<String, FileMark>> {
    let mut marks = SortedMap::new();
    for (name, mark) in json.entries()? {
        let [size, digest] = mark.fields(["size", "digest"])?;
        let mark = FileMark {
            size: need(size, Json::u64)?,
            digest: need(digest, Json::string)?,
        };
        marks.insert(name.clone(), mark);
    }
    Some(marks)
}

/// The meta key remembering what this device wrote into (`folder_written`) or read from
/// (`folder_read`) a folder.
fn folder_key(what: &str, dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    format!("{what}:{}", canonical.display())
}

/// How a folder file is recognised as already read: its size and its SHA-256 trailer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
struct FileMark {
    size: u64,
    digest: String,
}

/// Reads only the last 32 bytes of a segment file (its digest) to recognise it.
fn file_mark(path: &Path, size: u64) -> std::io::Result<FileMark> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let mut digest = [0u8; 32];
    if size >= 32 {
        file.seek(SeekFrom::End(-32))?;
        file.read_exact(&mut digest)?;
    }
    Ok(FileMark {
        size,
        digest: crate::formats::lower_hex(&digest),
    })
}

/// Merges one entity from every op held for it.
fn merged_entity(tx: &Transaction, kind: EntityKind, id: Uuid) -> Result<EntityState, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT hlc_wall_ms, hlc_counter, op, device FROM op_log \
         WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id.to_string()], row_op_with_device)?;
    // Merged straight into the one entity's state, as a replica holding these ops would
    // merge them (merging is idempotent, so the replica's dropping of duplicate ops changes
    // nothing), without the replica's maps of entities and ops in the library. An op whose
    // record names another entity is left out, as the replica kept it under that one.
    let mut state = EntityState::default();
    for row in rows {
        let op = row?;
        if op.entity == kind && op.id == id {
            state.merge_owned(op);
        }
    }
    Ok(state)
}

/// Removes set `id`'s row, wherever it is. Set rows are found by session (no index on a
/// set's id alone, ADR 0016), and a set's row is only ever written under a session one of
/// its ops names, read as [`Merged::set_session`] reads it (from a put's record, or from
/// the merged fields as JSON); so the row is looked for under each of those sessions.
fn delete_set_row(
    tx: &Transaction,
    id: Uuid,
    changed: &mut ChangedSessions,
) -> Result<(), StoreError> {
    let key = id.to_string();
    // In id order, each once: a set of few ids without a B-tree of its own.
    let mut sessions: Vec<Uuid> = Vec::new();
    let mut add_session = |session: Uuid| {
        if let Err(at) = sessions.binary_search(&session) {
            sessions.insert(at, session);
        }
    };
    {
        let mut stmt =
            tx.prepare_cached("SELECT op FROM op_log WHERE entity = 'set_log' AND entity_id = ?1")?;
        let mut rows = stmt.query([&key])?;
        while let Some(row) = rows.next()? {
            let Ok(record) = row.get_ref(0)?.as_blob() else {
                continue;
            };
            if let Ok(session) = deserialize_put_field::<Uuid>(record, "session_id") {
                add_session(session);
            }
            let stamp = Stamp {
                hlc: Hlc::default(),
                device: Uuid::nil(),
            };
            let value = match decode_op_record(record, stamp).map(|op| op.action) {
                // Read, not removed: no caller removes from a JSON object, which spares the
                // library the B-tree's removal and rebalancing code for it.
                Ok(OpAction::Put { fields }) => fields.get("session_id").cloned(),
                Ok(OpAction::Set { field, value }) if field == "session_id" => Some(value),
                _ => None,
            };
            if let Some(session) = value.and_then(|v| Uuid::deserialize(v).ok()) {
                add_session(session);
            }
        }
    }
    for session in sessions {
        changed.mark(session);
        tx.exec(
            "DELETE FROM set_log WHERE session_id = ?1 AND id = ?2",
            params![session.to_string(), key],
        )?;
    }
    Ok(())
}

/// Set ids whose ops name `session` (only needed when a deleted session comes back): the
/// records holding the field `session_id` with that id, found by their bytes.
fn set_ids_of(tx: &Transaction, session: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT DISTINCT entity_id FROM op_log WHERE entity = 'set_log' AND instr(op, ?1) > 0",
    )?;
    let rows = stmt.query_map([session_field_bytes(session)], |r| r.get::<_, String>(0))?;
    let mut ids = Vec::new();
    for row in rows {
        if let Ok(id) = Uuid::parse_str(&row?) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// How `"session_id": "<session>"` looks inside an op record.
fn session_field_bytes(session: Uuid) -> Vec<u8> {
    crate::sync::op_record_field("session_id", &Value::String(session.to_string()))
}

/// Why a merged entity was not written: its value breaks a rule of this build (reported,
/// the import goes on), or the database failed (the import is rolled back).
enum MaterializeError {
    Unstorable(String),
    Store(StoreError),
}

impl From<serde_json::Error> for MaterializeError {
    fn from(e: serde_json::Error) -> Self {
        MaterializeError::Unstorable(e.to_string())
    }
}

impl From<StoreError> for MaterializeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Sqlite(_) | StoreError::Io(_) => MaterializeError::Store(e),
            other => MaterializeError::Unstorable(other.to_string()),
        }
    }
}

impl From<crate::time::TimeError> for MaterializeError {
    fn from(e: crate::time::TimeError) -> Self {
        MaterializeError::Unstorable(e.to_string())
    }
}

impl From<rusqlite::Error> for MaterializeError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                MaterializeError::Unstorable(e.to_string())
            }
            _ => MaterializeError::Store(e.into()),
        }
    }
}

#[derive(Deserialize)]
struct SessionFields {
    #[serde(with = "crate::formats::serde_form::date")]
    planned_for: NaiveDate,
    zone: String,
    status: SessionStatus,
    variant: PlanVariant,
    #[serde(default, with = "crate::formats::serde_form::instant_option")]
    started_at: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::formats::serde_form::instant_option")]
    ended_at: Option<DateTime<Utc>>,
    #[serde(default)]
    outcome: Option<SessionOutcome>,
}

/// The records of an entity new to this profile, as an import received them.
type FreshRecords<'a> = Vec<(Stamp, Cow<'a, [u8]>)>;

/// An op an import into an empty op-log added: its entity and place in arrival order, its
/// stamp and record.
type Arrived<'a> = (((EntityKind, u128), u32), Stamp, Cow<'a, [u8]>);

/// The session a set belongs to (the set's other fields are a [`SetLog`]).
#[derive(Deserialize)]
struct SetSession {
    session_id: Uuid,
}

/// One entity's merged state, as [`materialize`] needs it.
struct Merged<'a> {
    live: bool,
    tombstone: Option<Stamp>,
    latest_edit: Option<Stamp>,
    fields: MergedFields<'a>,
}

/// The merged fields: a JSON object, or the record of the one put that wrote them all.
enum MergedFields<'a> {
    Object(Value),
    Put(Cow<'a, [u8]>),
}

/// Kinds whose records are read straight into their row type when one put wrote them
/// (`deserialize_put_fields`; their types have no maps keyed by anything but text).
fn reads_put_records(kind: EntityKind) -> bool {
    !matches!(kind, EntityKind::Settings | EntityKind::SafetyLock)
}

impl<'a> Merged<'a> {
    /// From the general merge.
    fn from_state(state: EntityState) -> Merged<'a> {
        Merged {
            live: state.is_live(),
            tombstone: state.tombstone,
            latest_edit: state.latest_edit(),
            fields: MergedFields::Object(Value::Object(state.into_object())),
        }
    }

    /// From the records of an entity new to this profile, in the order they came: one put
    /// is read as it is (its fields all carry its stamp, there is no tombstone); anything
    /// else is merged as the general merge does.
    fn from_records(
        kind: EntityKind,
        records: impl IntoIterator<Item = (Stamp, Cow<'a, [u8]>)>,
    ) -> Result<Merged<'a>, StoreError> {
        let mut records = records.into_iter();
        let (first, second) = match (records.next(), records.next()) {
            (Some((stamp, record)), None) => {
                match put_record_fields(&record).filter(|_| reads_put_records(kind)) {
                    Some(n) => {
                        return Ok(Merged {
                            live: n > 0,
                            tombstone: None,
                            latest_edit: (n > 0).then_some(stamp),
                            fields: MergedFields::Put(record),
                        })
                    }
                    None => (Some((stamp, record)), None),
                }
            }
            two => two,
        };
        let mut state = EntityState::default();
        for (stamp, record) in first.into_iter().chain(second).chain(records) {
            let op =
                decode_op_record(&record, stamp).map_err(|e| StoreError::Segment(e.to_string()))?;
            state.merge_owned(op);
        }
        Ok(Merged::from_state(state))
    }

    /// The session of a set: its field `session_id` (read alone from a record).
    fn set_session(&self) -> Result<Uuid, MaterializeError> {
        Ok(match &self.fields {
            MergedFields::Object(object) => SetSession::deserialize(object)?.session_id,
            MergedFields::Put(record) => deserialize_put_field(record, "session_id")?,
        })
    }

    /// The fields read as `T` (as `serde_json::from_value` of the object would).
    fn get<T: serde::de::DeserializeOwned>(&self) -> Result<T, MaterializeError> {
        Ok(match &self.fields {
            MergedFields::Object(object) => T::deserialize(object)?,
            MergedFields::Put(record) => deserialize_put_fields(record)?,
        })
    }
}

/// The tables an import materializes entities in. The op-log's own index is kept up to
/// date as ops arrive: it is read by entity during the import (entities past
/// `FRESH_LIMIT`, deleted sets), and building it afterwards cost more instructions than
/// it saved pages (ADR 0023).
const MATERIALIZED_TABLES: &str = "'session', 'set_log', 'session_rule_sets', 'checkin', \
     'run', 'rom_measurement', 'drill_progress', 'settings', 'safety_lock'";

/// The secondary indexes of the tables an import materializes, dropped for an import into
/// an empty op-log and created again from their own SQL once the rows are in, in the
/// import's transaction (ADR 0023): SQLite then sorts each index's entries once and fills
/// its pages in order, instead of inserting every entry at a random place of a b-tree
/// (more instructions, and pages split and left part-empty). Only plain `CREATE INDEX`
/// indexes: a `UNIQUE` one refuses a duplicate row where it arrives, and the indexes of
/// keys and `UNIQUE` constraints cannot be dropped. Nothing the import reads uses them
/// (it finds rows by key). A failed import rolls the drops back with everything else.
#[derive(Default)]
struct DeferredIndexes {
    /// The `CREATE INDEX` statement of each index dropped and not built yet.
    dropped: Vec<String>,
}

impl DeferredIndexes {
    /// Drops every plain index of the materialized tables, keeping its SQL.
    fn drop_all(tx: &Transaction) -> Result<DeferredIndexes, StoreError> {
        let indexes: Vec<(String, String)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                 AND tbl_name IN ({MATERIALIZED_TABLES}) AND sql LIKE 'CREATE INDEX %' \
                 ORDER BY name"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut dropped = Vec::with_capacity(indexes.len());
        for (name, sql) in indexes {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            dropped.push(sql);
        }
        Ok(DeferredIndexes { dropped })
    }

    /// Creates the dropped indexes again.
    fn build(&mut self, tx: &Transaction) -> Result<(), StoreError> {
        for sql in self.dropped.drain(..) {
            tx.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// Ops appended by one multi-row `INSERT` into an op-log that was empty (see [`OpLogWriter`]);
/// 128 × 7 values, as [`SET_BATCH`] was chosen.
const OP_BATCH: usize = 128;

/// An op waiting in [`OpLogWriter`]: stamp, entity kind and id, record, its checksum.
type WaitingOp<'a> = (Stamp, EntityKind, Uuid, Cow<'a, [u8]>, Option<i64>);

/// Adds an import's ops to the op-log, `INSERT OR IGNORE` (an op held already is not added).
/// Into an op-log that was empty when the import began, ops arriving in strictly rising
/// stamp order (a segment's order) are all new, so they wait and are appended
/// [`OP_BATCH`] to a statement; an op with the stamp of the one before is the one the log
/// would ignore. Ops out of order (never in a checked segment) end the batching: what
/// waits is written, and every later op is added on its own, as into any op-log. Nothing
/// reads the op-log before `flush`.
struct OpLogWriter<'a, 'conn> {
    one: rusqlite::CachedStatement<'conn>,
    /// The batch statement, its values bound without copies (ADR 0029).
    many: Option<BulkInsert<'conn>>,
    waiting: Vec<WaitingOp<'a>>,
    last: Option<Stamp>,
}

impl<'a, 'conn> OpLogWriter<'a, 'conn> {
    fn new(tx: &'conn Transaction, log_was_empty: bool) -> Result<Self, StoreError> {
        const COLUMNS: &str =
            "device, hlc_wall_ms, hlc_counter, entity, entity_id, op, op_checksum";
        let many = if log_was_empty {
            let rows = vec!["(?, ?, ?, ?, ?, ?, ?)"; OP_BATCH].join(", ");
            Some(BulkInsert::new(
                tx,
                &format!("INSERT OR IGNORE INTO op_log({COLUMNS}) VALUES {rows}"),
            )?)
        } else {
            None
        };
        Ok(OpLogWriter {
            one: tx.prepare_cached(&format!(
                "INSERT OR IGNORE INTO op_log({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))?,
            many,
            waiting: Vec::new(),
            last: None,
        })
    }

    /// Adds `op`; whether the log keeps it (false: an op with its stamp is held).
    fn add(&mut self, op: &OpRecord<'a>) -> Result<bool, StoreError> {
        // The checksum kept beside the record (ADR 0013 addendum): a record borrowed from a
        // v2 segment passed the checks when the segment was read; one encoded from a v1
        // op is checked here.
        let checksum = match &op.record {
            Cow::Borrowed(checked) => Some(crate::sync::op_record_checksum(checked)),
            Cow::Owned(encoded) => crate::sync::checked_op_record_checksum(encoded),
        };
        if self.many.is_some() {
            match self.last {
                Some(last) if op.stamp == last => return Ok(false),
                Some(last) if op.stamp < last => {
                    self.flush()?;
                    self.many = None;
                }
                _ => {
                    self.last = Some(op.stamp);
                    self.waiting
                        .push((op.stamp, op.entity, op.id, op.record.clone(), checksum));
                    if self.waiting.len() == OP_BATCH {
                        self.flush()?;
                    }
                    return Ok(true);
                }
            }
        }
        bind_op(
            &mut self.one,
            0,
            (op.stamp, op.entity, op.id),
            &op.record,
            checksum,
        )?;
        Ok(self.one.raw_execute()? > 0)
    }

    /// Writes the waiting ops: a full batch with one statement, fewer one by one.
    fn flush(&mut self) -> Result<(), StoreError> {
        if let (Some(many), OP_BATCH) = (&mut self.many, self.waiting.len()) {
            // The ids as text, written once for the whole batch and borrowed by the binds.
            let texts = UuidTexts::of(self.waiting.iter().flat_map(|op| [op.0.device, op.2]));
            let mut values = Vec::with_capacity(OP_BATCH * 7);
            for (n, (stamp, entity, _, record, checksum)) in self.waiting.iter().enumerate() {
                values.extend([
                    Bound::Text(texts.get(2 * n)),
                    Bound::Int(stamp.hlc.wall_ms as i64),
                    Bound::Int(i64::from(stamp.hlc.counter)),
                    Bound::Text(entity.as_str()),
                    Bound::Text(texts.get(2 * n + 1)),
                    Bound::Blob(record),
                    Bound::from(*checksum),
                ]);
            }
            many.run(&values)?;
            self.waiting.clear();
            return Ok(());
        }
        for (stamp, entity, id, record, checksum) in self.waiting.drain(..) {
            bind_op(&mut self.one, 0, (stamp, entity, id), &record, checksum)?;
            self.one.raw_execute()?;
        }
        Ok(())
    }
}

/// Binds one op-log row at parameter `offset` (0-based): device, clock wall and counter,
/// entity kind and id, record, and the record's checksum (ADR 0013 addendum); ids as text
/// written on the stack.
fn bind_op(
    insert: &mut rusqlite::Statement<'_>,
    offset: usize,
    (stamp, entity, id): (Stamp, EntityKind, Uuid),
    record: &[u8],
    checksum: Option<i64>,
) -> rusqlite::Result<()> {
    let (mut id_text, mut device_text) = ([0u8; 36], [0u8; 36]);
    insert.raw_bind_parameter(
        offset + 1,
        &*stamp.device.hyphenated().encode_lower(&mut device_text),
    )?;
    insert.raw_bind_parameter(offset + 2, stamp.hlc.wall_ms as i64)?;
    insert.raw_bind_parameter(offset + 3, stamp.hlc.counter)?;
    insert.raw_bind_parameter(offset + 4, entity.as_str())?;
    insert.raw_bind_parameter(offset + 5, &*id.hyphenated().encode_lower(&mut id_text))?;
    insert.raw_bind_parameter(offset + 6, record)?;
    insert.raw_bind_parameter(offset + 7, checksum)
}

/// UUIDs as hyphenated lower-case text (as `Uuid::to_string` writes them), one after the
/// other in one string, for a batch's binds to borrow.
struct UuidTexts(String);

impl UuidTexts {
    fn of(ids: impl Iterator<Item = Uuid>) -> UuidTexts {
        let mut text = String::with_capacity(ids.size_hint().0 * 36);
        for id in ids {
            text.push_str(id.hyphenated().encode_lower(&mut [0u8; 36]));
        }
        UuidTexts(text)
    }

    /// The `n`th id's text (empty past the last).
    fn get(&self, n: usize) -> &str {
        self.0.get(n * 36..(n + 1) * 36).unwrap_or_default()
    }
}

/// New sessions written by one multi-row `INSERT`: a session row's `CHECK (status IN (…))`
/// and `CHECK (outcome IN (…))` build a temporary index of each list once per statement
/// run (≈ 45 k instructions, most of a session insert's cost), so one run for 32 rows
/// pays that once. 32 × 8 = 256 values.
const SESSION_BATCH: usize = 32;

/// The `session` columns [`SessionBatch`] writes, in the order it binds them.
const SESSION_COLUMNS: &str =
    "id, planned_for, zone, status, variant, started_ms, ended_ms, outcome";
const SESSION_COLUMN_COUNT: usize = 8;

/// A live session new to this profile (no op of it held before the import, so no row to
/// update), read for [`SessionBatch`], when `materialize` would write it: its fields read
/// and its zone known. `None` leaves it to `materialize` (which reports why).
fn storable_new_session(state: &Merged<'_>) -> Option<SessionFields> {
    let fields: SessionFields = state.get().ok()?;
    parse_zone(&fields.zone).ok()?;
    Some(fields)
}

/// Sessions new to this profile, written [`SESSION_BATCH`] at a time with a plain `INSERT`
/// (a new session has no row, so `materialize`'s upsert inserts). Nothing else is written
/// while sessions wait (`flush` first), and a session counts as present
/// (`live_sessions`, its derived record) only once its row is written, so the rows, the
/// report and its order are what writing each with [`materialize`] gives; a batch a
/// constraint refuses is rolled back by SQLite and written session by session through
/// `materialize`, as before.
struct SessionBatch<'a, 'conn> {
    insert: rusqlite::CachedStatement<'a>,
    tx: &'a Transaction<'conn>,
    waiting: Vec<(Uuid, SessionFields)>,
}

impl<'a, 'conn> SessionBatch<'a, 'conn> {
    fn new(tx: &'a Transaction<'conn>) -> Result<SessionBatch<'a, 'conn>, StoreError> {
        let row = format!("({})", ["?"; SESSION_COLUMN_COUNT].join(", "));
        let sql = format!(
            "INSERT INTO session({SESSION_COLUMNS}) VALUES {}",
            vec![row; SESSION_BATCH].join(", ")
        );
        Ok(SessionBatch {
            insert: tx.prepare_cached(&sql)?,
            tx,
            waiting: Vec::with_capacity(SESSION_BATCH),
        })
    }

    fn push(
        &mut self,
        report: &mut StoreImport,
        id: Uuid,
        fields: SessionFields,
        live_sessions: &mut HashSet<Uuid>,
        changed: &mut ChangedSessions,
    ) -> Result<(), StoreError> {
        self.waiting.push((id, fields));
        if self.waiting.len() == SESSION_BATCH {
            self.flush(report, live_sessions, changed)?;
        }
        Ok(())
    }

    /// Writes the waiting sessions: a full batch with one statement, fewer (or a batch a
    /// constraint refused) one by one through `materialize`.
    fn flush(
        &mut self,
        report: &mut StoreImport,
        live_sessions: &mut HashSet<Uuid>,
        changed: &mut ChangedSessions,
    ) -> Result<(), StoreError> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        if self.waiting.len() == SESSION_BATCH {
            for (n, (id, fields)) in self.waiting.iter().enumerate() {
                bind_session(&mut self.insert, n * SESSION_COLUMN_COUNT, *id, fields)?;
            }
            match self.insert.raw_execute() {
                Ok(_) => {
                    report.entities_written += SESSION_BATCH;
                    for (id, _) in self.waiting.drain(..) {
                        live_sessions.insert(id);
                        changed.new_session(id);
                    }
                    return Ok(());
                }
                Err(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for (id, fields) in self.waiting.drain(..) {
            match write_session(self.tx, id, &fields, true, live_sessions, changed) {
                Ok(()) => report.entities_written += 1,
                Err(MaterializeError::Unstorable(reason)) => report
                    .unstorable
                    .push(format!("{} {id}: {reason}", EntityKind::Session.as_str())),
                Err(MaterializeError::Store(e)) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Binds one new session's row at parameter `offset` (0-based) of `insert`, in
/// [`SESSION_COLUMNS`]'s order and with the values `materialize`'s upsert binds.
fn bind_session(
    insert: &mut rusqlite::Statement<'_>,
    offset: usize,
    id: Uuid,
    s: &SessionFields,
) -> rusqlite::Result<()> {
    let mut id_text = [0u8; 36];
    insert.raw_bind_parameter(offset + 1, &*id.hyphenated().encode_lower(&mut id_text))?;
    insert.raw_bind_parameter(offset + 2, crate::formats::date_text(s.planned_for))?;
    insert.raw_bind_parameter(offset + 3, &s.zone)?;
    insert.raw_bind_parameter(offset + 4, s.status.as_str())?;
    insert.raw_bind_parameter(offset + 5, variant_str(s.variant))?;
    insert.raw_bind_parameter(offset + 6, s.started_at.map(ms))?;
    insert.raw_bind_parameter(offset + 7, s.ended_at.map(ms))?;
    insert.raw_bind_parameter(offset + 8, s.outcome.map(SessionOutcome::as_str))
}

/// Sets written by one multi-row `INSERT` (fewer statement runs: each costs its cursors, VM
/// start and halt again). 128 × 17 = 2,176 values, far below SQLite's 32,766 bound
/// parameters; 32 cost 1.4 % more instructions per import, 256 no fewer.
const SET_BATCH: usize = 128;

/// The `set_log` columns [`SetBatch`] writes, in the order `bind_set` binds them.
const SET_COLUMNS: &str = "id, session_id, drill_id, side, set_index, level, target_reps, \
     reps_done, target_hold_s, hold_s_done, pain, stopped, skipped, reason_code, note, at_ms, \
     stretch";
const SET_COLUMN_COUNT: usize = 17;

/// Sets new to this profile (no op of them held before the import, so no row to replace)
/// whose session row is present, written [`SET_BATCH`] at a time. Nothing else is written
/// while sets wait (`flush` first), so the rows, the report and its order are what writing
/// each set on its own with [`materialize`] gives; a batch a constraint refuses (a value
/// this build cannot store) is rolled back by SQLite and written set by set, as before.
struct SetBatch<'a, 'conn> {
    /// Its values bound without copies (ADR 0029).
    insert: BulkInsert<'a>,
    tx: &'a Transaction<'conn>,
    waiting: Vec<(Uuid, Uuid, SetLog)>,
}

impl<'a, 'conn> SetBatch<'a, 'conn> {
    fn new(tx: &'a Transaction<'conn>) -> Result<SetBatch<'a, 'conn>, StoreError> {
        let row = format!("({})", vec!["?"; SET_COLUMN_COUNT].join(", "));
        let sql = format!(
            "INSERT INTO set_log({SET_COLUMNS}) VALUES {}",
            vec![row; SET_BATCH].join(", ")
        );
        Ok(SetBatch {
            insert: BulkInsert::new(tx, &sql)?,
            tx,
            waiting: Vec::with_capacity(SET_BATCH),
        })
    }

    fn push(
        &mut self,
        report: &mut StoreImport,
        changed: &mut ChangedSessions,
        session: Uuid,
        id: Uuid,
        set: SetLog,
    ) -> Result<(), StoreError> {
        self.waiting.push((session, id, set));
        if self.waiting.len() == SET_BATCH {
            self.flush(report, changed)?;
        }
        Ok(())
    }

    /// Writes the waiting sets: a full batch with one statement, fewer one by one. Each
    /// set is then announced to its session's derived record, moved there (no copy of its
    /// strings); a set a constraint refused is announced too, as it was before it was
    /// written, and the import then reads every record back (`read_all_back`). Nothing
    /// else is written while sets wait, so announcing them here is announcing them as
    /// they came.
    fn flush(
        &mut self,
        report: &mut StoreImport,
        changed: &mut ChangedSessions,
    ) -> Result<(), StoreError> {
        if self.waiting.len() == SET_BATCH {
            let texts = UuidTexts::of(self.waiting.iter().flat_map(|set| [set.1, set.0]));
            let mut values = Vec::with_capacity(SET_BATCH * SET_COLUMN_COUNT);
            for (n, (_, _, set)) in self.waiting.iter().enumerate() {
                set_values(&mut values, texts.get(2 * n), texts.get(2 * n + 1), set);
            }
            match self.insert.run(&values) {
                Ok(_) => {
                    report.entities_written += SET_BATCH;
                    for (session, id, set) in self.waiting.drain(..) {
                        changed.new_set(session, id, set);
                    }
                    return Ok(());
                }
                Err(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for (session, id, set) in self.waiting.drain(..) {
            let written = insert_set(self.tx, session, id, &set).map_err(MaterializeError::from);
            changed.new_set(session, id, set);
            match written {
                Ok(()) => report.entities_written += 1,
                Err(MaterializeError::Unstorable(reason)) => {
                    report.unstorable.push(format!("set_log {id}: {reason}"))
                }
                Err(MaterializeError::Store(e)) => return Err(e),
            }
        }
        Ok(())
    }
}

/// One set's row in [`SET_COLUMNS`]'s order, with the values [`insert_set`] binds.
fn set_values<'v>(values: &mut Vec<Bound<'v>>, id: &'v str, session: &'v str, set: &'v SetLog) {
    let count = |n: Option<u32>| Bound::from(n.map(i64::from));
    values.extend([
        Bound::Text(id),
        Bound::Text(session),
        Bound::Text(&set.drill_id),
        Bound::from(set.side.map(Side::as_str)),
        Bound::Int(i64::from(set.set_index)),
        Bound::Int(i64::from(set.level)),
        count(set.target_reps),
        count(set.reps_done),
        count(set.target_hold_s),
        count(set.hold_s_done),
        Bound::from(set.pain.map(|p| i64::from(p.value()))),
        Bound::Int(i64::from(set.stopped)),
        Bound::Int(i64::from(set.skipped)),
        Bound::from(set.reason_code.as_deref()),
        Bound::from(set.note.as_deref()),
        Bound::Int(ms(set.at)),
        Bound::Int(i64::from(set.stretch)),
    ]);
}

/// A live set new to this profile, read for [`SetBatch`], when `materialize` would insert
/// it: its fields read and its session row present. `None` leaves it to `materialize`
/// (which then reports why it was not stored, or skips it for a deleted session).
fn storable_new_set(
    tx: &Transaction,
    state: &Merged<'_>,
    live_sessions: &HashSet<Uuid>,
) -> Result<Option<(Uuid, SetLog)>, StoreError> {
    let one_pass = match &state.fields {
        MergedFields::Put(record) => set_from_record(record),
        MergedFields::Object(_) => None,
    };
    let read = match one_pass {
        Some(read) => Some(read),
        // Read the way `materialize` reads it (a record one pass refused may still be a
        // set, e.g. with a side written as `{"left": null}`).
        None => state.set_session().ok().zip(state.get::<SetLog>().ok()),
    };
    let Some((session, set)) = read else {
        return Ok(None);
    };
    let present = live_sessions.contains(&session)
        || tx.row(
            "SELECT EXISTS(SELECT 1 FROM session WHERE id = ?1)",
            [session.to_string()],
            |r| r.get(0),
        )?;
    Ok(present.then_some((session, set)))
}

/// A set's put record read in one pass, straight from its fields: its session and its
/// [`SetLog`], when every field is in the form `SetLog`'s `Deserialize` (and the session
/// id's) reads in the common way: integers in range, `null` for a missing option, a side
/// as `"left"` or `"right"`, the instant in chrono's own form (`utc_instant`). Anything
/// else (`None`) is read the general way, which decides, so the two never disagree on a
/// value either reads (proptested).
fn set_from_record(record: &[u8]) -> Option<(Uuid, SetLog)> {
    use PutFieldValue as V;
    /// Fills an empty slot; a field read twice or not in a readable form fails.
    fn fill<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
        match (slot.is_none(), value) {
            (true, Some(value)) => {
                *slot = Some(value);
                true
            }
            _ => false,
        }
    }
    let count = |v: V<'_>| match v {
        V::Int(i) => u32::try_from(i).ok(),
        V::UInt(u) => u32::try_from(u).ok(),
        _ => None,
    };
    let optional_count = |v: V<'_>| match v {
        V::Null => Some(None),
        v => count(v).map(Some),
    };
    let optional_text = |v: V<'_>| match v {
        V::Null => Some(None),
        V::Str(s) => Some(Some(s.to_owned())),
        _ => None,
    };
    let flag = |v: V<'_>| match v {
        V::Bool(b) => Some(b),
        _ => None,
    };
    let (mut session, mut drill_id, mut side, mut set_index, mut level) =
        (None, None, None, None, None);
    let (mut target_reps, mut reps_done, mut target_hold_s, mut hold_s_done) =
        (None, None, None, None);
    let (mut pain, mut stretch, mut stopped, mut skipped) = (None, None, None, None);
    let (mut reason_code, mut note, mut at) = (None, None, None);
    let mut readable = true;
    visit_put_record_fields(record, |name, v| {
        readable &= match name {
            b"session_id" => fill(
                &mut session,
                match v {
                    V::Str(s) => Uuid::parse_str(s).ok(),
                    _ => None,
                },
            ),
            b"drill_id" => fill(
                &mut drill_id,
                match v {
                    V::Str(s) => Some(s.to_owned()),
                    _ => None,
                },
            ),
            b"side" => fill(
                &mut side,
                match v {
                    V::Null => Some(None),
                    V::Str("left") => Some(Some(Side::Left)),
                    V::Str("right") => Some(Some(Side::Right)),
                    _ => None,
                },
            ),
            b"set_index" => fill(&mut set_index, count(v)),
            b"level" => fill(&mut level, count(v)),
            b"target_reps" => fill(&mut target_reps, optional_count(v)),
            b"reps_done" => fill(&mut reps_done, optional_count(v)),
            b"target_hold_s" => fill(&mut target_hold_s, optional_count(v)),
            b"hold_s_done" => fill(&mut hold_s_done, optional_count(v)),
            b"pain" => fill(
                &mut pain,
                match v {
                    V::Null => Some(None),
                    V::Int(i) => Score::new(i).ok().map(Some),
                    _ => None,
                },
            ),
            b"stretch" => fill(&mut stretch, flag(v)),
            b"stopped" => fill(&mut stopped, flag(v)),
            b"skipped" => fill(&mut skipped, flag(v)),
            b"reason_code" => fill(&mut reason_code, optional_text(v)),
            b"note" => fill(&mut note, optional_text(v)),
            b"at" => fill(
                &mut at,
                match v {
                    V::Str(s) => utc_instant(s),
                    _ => None,
                },
            ),
            // Other fields are ignored, as `SetLog` ignores them.
            _ => true,
        };
    })?;
    if !readable {
        return None;
    }
    // Every field named: a field added to `SetLog` must be read here too.
    let set = SetLog {
        drill_id: drill_id?,
        side: side.flatten(),
        set_index: set_index?,
        level: level?,
        target_reps: target_reps.flatten(),
        reps_done: reps_done.flatten(),
        target_hold_s: target_hold_s.flatten(),
        hold_s_done: hold_s_done.flatten(),
        pain: pain.flatten(),
        stretch: stretch.unwrap_or(false),
        stopped: stopped?,
        skipped: skipped?,
        reason_code: reason_code.flatten(),
        note: note.flatten(),
        at: at?,
    };
    Some((session?, set))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` exactly (a valid date and time, seconds below 60),
/// else `None` (chrono's parse then decides).
fn utc_instant(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let number = |from: usize, len: usize| -> Option<u32> {
        (from..from + len).try_fold(0u32, |n, i| {
            let c = at(i).filter(u8::is_ascii_digit)?;
            Some(n * 10 + u32::from(c - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| at(i) != Some(c)) {
        return None;
    }
    let nanos = match (at(19), b.len()) {
        (Some(b'Z'), 20) => 0,
        (Some(b'.'), len @ 22..=30) if at(len - 1) == Some(b'Z') => {
            let digits = len - 21;
            number(20, digits)? * 10u32.pow(9 - digits as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 2)?, number(8, 2)?)?;
    let time = date.and_hms_nano_opt(number(11, 2)?, number(14, 2)?, number(17, 2)?, nanos)?;
    Some(time.and_utc())
}

/// Writes the merged entity into its table, or removes its row when it is deleted. Values
/// are checked as strictly as local writes; a value that fails is reported, not stored.
/// `live_sessions` holds the sessions this transaction has written (a set of one of them
/// needs no look-up for its session row); `new_entity` says the entity has no row yet (no
/// op of it was held before this transaction, or the tables were emptied); `changed`
/// collects the sessions whose sets (or whose row) it writes, for their derived records.
fn materialize(
    tx: &Transaction,
    kind: EntityKind,
    id: Uuid,
    state: &Merged<'_>,
    new_entity: bool,
    live_sessions: &mut HashSet<Uuid>,
    changed: &mut ChangedSessions,
) -> Result<(), MaterializeError> {
    let live = state.live;
    let key = id.to_string();
    let now_ms = state
        .latest_edit
        .map_or(0, |s| s.hlc.wall_ms.min(i64::MAX as u64) as i64);
    match kind {
        EntityKind::Settings if live => {
            // Read by hand, as serde reads the merged object (ADR 0026); a settings put is
            // never read as a record (`reads_put_records`).
            let settings = match &state.fields {
                MergedFields::Object(object) => Settings::from_value(object),
                MergedFields::Put(_) => None,
            }
            .ok_or_else(|| MaterializeError::Unstorable("settings: not the stored form".into()))?;
            parse_zone(&settings.home_zone)?;
            tx.exec(
                "INSERT OR REPLACE INTO settings(id, json, updated_ms) VALUES (1, ?1, ?2)",
                params![json(&settings)?, now_ms],
            )?;
        }
        EntityKind::SafetyLock if live => {
            // The merged object read as serde reads it, without `Merged::get`'s op-record
            // reader of it: a safety put is never read as a record (`reads_put_records`).
            let lock = match &state.fields {
                MergedFields::Object(object) => super::repo::safety_from_value(object),
                MergedFields::Put(_) => None,
            }
            .ok_or_else(|| MaterializeError::Unstorable("safety: not the stored form".into()))?;
            tx.exec(
                "INSERT OR REPLACE INTO safety_lock(id, json, updated_ms) VALUES (1, ?1, ?2)",
                params![json(&lock)?, now_ms],
            )?;
        }
        EntityKind::Settings | EntityKind::SafetyLock => {}
        EntityKind::DrillProgress => {
            let p: DrillProgress = state.get()?;
            if live {
                tx.exec(
                    "INSERT OR REPLACE INTO drill_progress(drill_id, side, level, changed_ms) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![p.drill_id, side_str(p.side), p.level, ms(p.changed_at)],
                )?;
            } else {
                tx.exec(
                    "DELETE FROM drill_progress WHERE drill_id = ?1 AND side = ?2",
                    params![p.drill_id, side_str(p.side)],
                )?;
            }
        }
        EntityKind::Session if live => {
            let s: SessionFields = state.get()?;
            write_session(tx, id, &s, new_entity, live_sessions, changed)?;
        }
        EntityKind::Session => {
            live_sessions.remove(&id);
            // `set_log` has no foreign key (ADR 0021): a session's sets go with it.
            tx.exec("DELETE FROM set_log WHERE session_id = ?1", [&key])?;
            tx.exec("DELETE FROM session WHERE id = ?1", [&key])?;
        }
        EntityKind::SetLog if live => {
            let session_id = state.set_session()?;
            let set: SetLog = state.get()?;
            let session_present = live_sessions.contains(&session_id)
                || tx.row(
                    "SELECT EXISTS(SELECT 1 FROM session WHERE id = ?1)",
                    [session_id.to_string()],
                    |r| r.get(0),
                )?;
            // A set of a deleted session stays in the op-log only; it is written again if the
            // session comes back.
            if session_present {
                // An entity new to this profile has no row yet (rows are only ever written
                // with their ops); skipping the delete also spares SQLite a statement
                // journal for the insert.
                if !new_entity {
                    delete_set_row(tx, id, changed)?;
                }
                changed.mark(session_id);
                insert_set(tx, session_id, id, &set)?;
            }
        }
        EntityKind::SetLog => {
            delete_set_row(tx, id, changed)?;
        }
        EntityKind::CheckIn if live => {
            let mut c: CheckIn = state.get()?;
            c.id = id;
            write_checkin(tx, &c)?;
        }
        EntityKind::CheckIn => {
            tx.exec("DELETE FROM checkin WHERE id = ?1", [&key])?;
        }
        EntityKind::Run if live => {
            let r: RunRecord = state.get()?;
            super::validate_run(&r)?;
            write_run(tx, id, &r)?;
        }
        EntityKind::Run => {
            tx.exec("DELETE FROM run WHERE id = ?1", [&key])?;
        }
        EntityKind::RomMeasurement if live => {
            let mut m: RomMeasurement = state.get()?;
            m.id = id;
            parse_zone(&m.zone)?;
            write_rom(tx, &m)?;
        }
        EntityKind::RomMeasurement => {
            tx.exec("DELETE FROM rom_measurement WHERE id = ?1", [&key])?;
        }
    }
    Ok(())
}

/// Writes a live session's row (an upsert, so a session held already is updated) and
/// counts it present for its sets and its derived record (`new_entity`: a row this write
/// creates, whose record comes from the sets written under it).
fn write_session(
    tx: &Transaction,
    id: Uuid,
    s: &SessionFields,
    new_entity: bool,
    live_sessions: &mut HashSet<Uuid>,
    changed: &mut ChangedSessions,
) -> Result<(), MaterializeError> {
    parse_zone(&s.zone)?;
    let done = matches!(s.status, SessionStatus::Finished | SessionStatus::Abandoned);
    // An upsert, not a replace: replacing would cascade-delete the session's sets.
    tx.exec(
        "INSERT INTO session(id, planned_for, zone, status, variant, started_ms, ended_ms, outcome) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9) \
         ON CONFLICT(id) DO UPDATE SET planned_for = excluded.planned_for, \
         zone = excluded.zone, status = excluded.status, variant = excluded.variant, \
         started_ms = excluded.started_ms, ended_ms = excluded.ended_ms, \
         outcome = excluded.outcome, \
         snapshot = CASE WHEN ?8 THEN NULL ELSE snapshot END",
        params![
            id.to_string(),
            crate::formats::date_text(s.planned_for),
            s.zone,
            s.status.as_str(),
            variant_str(s.variant),
            s.started_at.map(ms),
            s.ended_at.map(ms),
            done,
            s.outcome.map(SessionOutcome::as_str)
        ],
    )?;
    live_sessions.insert(id);
    if new_entity {
        changed.new_session(id);
    } else {
        changed.mark(id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Timelike};

    use super::*;
    use crate::catalog::Catalog;
    use crate::store::{generate_history, FixtureSpec};
    use crate::sync::{decode_segment, encode_segment, encode_segment_v1};

    /// `store` with `days` of generated history from 2025-11-01 (London), the source the
    /// import tests below copy from.
    fn generated_source(store: Store, catalog: &Catalog, days: u32, seed: u64) -> Store {
        let spec = FixtureSpec {
            start: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            days,
            zone: "Europe/London".into(),
            seed,
        };
        generate_history(&store, catalog, &spec).unwrap();
        store
    }

    /// A segment an older build wrote (format v1) imports into the same history, op-log and
    /// watermarks as the same ops in format v2.
    #[test]
    fn a_v1_segment_imports_like_its_v2_form() {
        let catalog = Catalog::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
        let open = |name: &str| {
            Store::open(&dir.path().join(name), &catalog, now)
                .unwrap()
                .0
        };
        let source = generated_source(open("source.db"), &catalog, 20, 3);
        let v2 = encode_segment(&source.segment_since(&VersionVector::new()).unwrap());
        let decoded = decode_segment(&v2).unwrap();
        assert!(decoded.ops().len() > 100);
        let v1 = encode_segment_v1(&decoded);
        assert_ne!(v1, v2);
        assert_eq!(decode_segment(&v1).unwrap(), decoded);

        let (old, new) = (open("old.db"), open("new.db"));
        let from_v1 = old.import_segment_bytes(&v1, now).unwrap();
        let from_v2 = new.import_segment_bytes(&v2, now).unwrap();
        assert_eq!(from_v1, from_v2);
        assert!(from_v1.unstorable.is_empty(), "{:?}", from_v1.unstorable);
        let from = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            old.history(from, to).unwrap(),
            new.history(from, to).unwrap()
        );
        assert_eq!(
            old.history(from, to).unwrap(),
            source.history(from, to).unwrap()
        );
        let writer = source.device_id();
        assert_eq!(
            old.sync_seen().unwrap().get(&writer),
            new.sync_seen().unwrap().get(&writer)
        );
        assert_eq!(
            old.peer_seen(writer).unwrap(),
            new.peer_seen(writer).unwrap()
        );
        // The op-logs hold the same records: both export the same ops.
        let (a, b) = (
            old.segment_since(&VersionVector::new()).unwrap(),
            new.segment_since(&VersionVector::new()).unwrap(),
        );
        assert_eq!(a.ops(), b.ops());
        assert_eq!(a.ops(), decoded.ops());
    }

    /// A first import holds its ops as they arrive up to `FRESH_LIMIT` (100 in these
    /// tests), then moves them into the maps and merges the entities past the limit from
    /// the op-log: importing a history at once stores exactly what importing it in slices
    /// below the limit does (the first into an empty op-log, the others into one that
    /// holds ops), and what the source holds.
    #[test]
    fn a_first_import_past_the_fresh_limit_stores_what_imports_in_slices_store() {
        let catalog = Catalog::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
        let open = |name: &str| {
            Store::open(&dir.path().join(name), &catalog, now)
                .unwrap()
                .0
        };
        let source = generated_source(open("source.db"), &catalog, 12, 5);
        let segment = source.segment_since(&VersionVector::new()).unwrap();
        let ops = segment.ops().to_vec();
        assert!(ops.len() > 3 * FRESH_LIMIT, "{} ops", ops.len());
        let (whole, sliced) = (open("whole.db"), open("sliced.db"));
        let report = whole.import_segment(&segment, now).unwrap();
        assert!(report.unstorable.is_empty(), "{:?}", report.unstorable);
        assert_eq!(report.new_ops, ops.len());
        let writer = source.device_id();
        for slice in ops.chunks(FRESH_LIMIT / 2) {
            let top = [(writer, slice.iter().map(|op| op.stamp.hlc).max().unwrap())];
            let part = Segment::new(
                writer,
                VersionVector::new(),
                top.into_iter().collect(),
                slice.to_vec(),
            )
            .unwrap();
            let report = sliced.import_segment(&part, now).unwrap();
            assert!(report.unstorable.is_empty(), "{:?}", report.unstorable);
        }
        let from = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap();
        let history = source.history(from, to).unwrap();
        assert_eq!(whole.history(from, to).unwrap(), history);
        assert_eq!(sliced.history(from, to).unwrap(), history);
        for store in [&whole, &sliced] {
            assert!(store.stale_rule_sets().unwrap().is_empty());
            assert_eq!(store.integrity_check().unwrap(), "ok");
            let held = store.segment_since(&VersionVector::new()).unwrap();
            assert_eq!(held.ops(), &ops[..]);
        }
    }

    /// The session fields read straight from a put's record match the general path's,
    /// values and errors alike.
    #[test]
    fn session_fields_read_the_same_from_a_record() {
        let base = serde_json::json!({"planned_for": "2026-03-02", "zone": "UTC",
            "status": "finished", "variant": "normal", "started_at": "2026-03-02T08:00:00Z",
            "ended_at": null, "outcome": "ended_for_pain",
            "session_id": "019b7db8-7800-703c-afdf-b48ede8bccd6"});
        let variants: Vec<(&str, Value)> = vec![
            ("zone", Value::Null),
            ("status", serde_json::json!("later")),
            ("variant", serde_json::json!(3)),
            ("planned_for", serde_json::json!("2026-13-01")),
            ("outcome", serde_json::json!({"finished": null})),
            ("outcome", serde_json::json!(["finished"])),
            ("started_at", serde_json::json!(17)),
            ("session_id", serde_json::json!("nope")),
            (
                "session_id",
                serde_json::json!(["019b7db8-7800-703c-afdf-b48ede8bccd6"]),
            ),
            ("extra", serde_json::json!({"a": [1, 2.5, -3]})),
            ("-session_id", Value::Null),
            ("-zone", Value::Null),
        ];
        for (name, value) in std::iter::once(("extra", Value::Null)).chain(variants) {
            let mut fields = base.as_object().cloned().unwrap();
            match name.strip_prefix('-') {
                Some(missing) => fields.remove(missing),
                None => fields.insert(name.into(), value),
            };
            let op = Op {
                stamp: Stamp {
                    hlc: Hlc::default(),
                    device: Uuid::nil(),
                },
                entity: EntityKind::Session,
                id: Uuid::nil(),
                action: crate::sync::OpAction::Put {
                    fields: fields.clone(),
                },
            };
            let record = Merged {
                live: true,
                tombstone: None,
                latest_edit: None,
                fields: MergedFields::Put(encode_op_record(&op).into()),
            };
            let object = Merged {
                live: true,
                tombstone: None,
                latest_edit: None,
                fields: MergedFields::Object(Value::Object(fields)),
            };
            let text = |m: &Merged<'_>| {
                let session = m.get::<SessionFields>().map(|s| {
                    (
                        s.planned_for,
                        s.zone,
                        s.status,
                        s.variant,
                        s.started_at,
                        s.ended_at,
                    )
                });
                let set = m.set_session();
                format!(
                    "{:?} {:?}",
                    session.map_err(err_text),
                    set.map_err(err_text)
                )
            };
            assert_eq!(text(&record), text(&object), "{name}");
        }
    }

    fn put_record(entity: EntityKind, fields: serde_json::Map<String, Value>) -> Vec<u8> {
        encode_op_record(&Op {
            stamp: Stamp {
                hlc: Hlc::default(),
                device: Uuid::nil(),
            },
            entity,
            id: Uuid::nil(),
            action: crate::sync::OpAction::Put { fields },
        })
    }

    /// Candidate values of each set field (valid and not), for the one-pass reading.
    fn set_field_values() -> Vec<(&'static str, Vec<Value>)> {
        use serde_json::json;
        let at = vec![
            json!("2025-01-01T18:00:50Z"),
            json!("2025-01-01T18:00:50.123Z"),
            json!("2025-01-01T18:00:50.123456789Z"),
            json!("2025-01-01T18:00:50+02:00"),
            json!("2025-02-30T18:00:50Z"),
            json!("2016-12-31T23:59:60Z"),
            json!("2025-01-01 18:00:50Z"),
            json!(17),
        ];
        let count = vec![
            json!(3),
            json!(0),
            Value::Null,
            json!(-1),
            json!(2.5),
            json!("3"),
        ];
        vec![
            (
                "session_id",
                vec![
                    json!("019b7db8-7800-703c-afdf-b48ede8bccd6"),
                    json!("nope"),
                    json!(4),
                ],
            ),
            (
                "drill_id",
                vec![json!("knee-to-wall"), json!(""), Value::Null],
            ),
            (
                "side",
                vec![
                    json!("left"),
                    json!("right"),
                    Value::Null,
                    json!("both"),
                    json!(1),
                ],
            ),
            ("set_index", count.clone()),
            ("level", count.clone()),
            ("target_reps", count.clone()),
            ("reps_done", count.clone()),
            ("target_hold_s", count.clone()),
            ("hold_s_done", count),
            (
                "pain",
                vec![json!(0), json!(10), json!(11), Value::Null, json!(-2)],
            ),
            (
                "stretch",
                vec![json!(true), json!(false), Value::Null, json!(1)],
            ),
            ("stopped", vec![json!(false), json!(true), json!("no")]),
            ("skipped", vec![json!(false), json!(true), Value::Null]),
            (
                "reason_code",
                vec![Value::Null, json!("pain_free_limit_exceeded"), json!([1])],
            ),
            (
                "note",
                vec![Value::Null, json!("felt fine"), json!({"a": 1})],
            ),
            ("at", at),
            ("extra", vec![Value::Null, json!({"a": [1, 2.5, -3]})]),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// A set's record read in one pass (`set_from_record`) gives what the general
        /// reading gives (`set_session` and `SetLog`) whenever it reads it; a set the
        /// general reading takes in chrono's own instant form is read in one pass too.
        /// Each field takes one of its candidate values or is missing.
        #[test]
        fn a_set_record_reads_in_one_pass_as_the_general_way(
            picks in proptest::collection::vec(0usize..16, 17)
        ) {
            let mut fields = serde_json::Map::new();
            for ((name, values), pick) in set_field_values().into_iter().zip(&picks) {
                // Mostly the first (valid) value, else any value or none.
                let choice = if *pick < 8 { Some(0) } else { (pick - 8 < values.len()).then_some(pick - 8) };
                if let Some(value) = choice.and_then(|i| values.get(i)) {
                    fields.insert(name.into(), value.clone());
                }
            }
            let record = put_record(EntityKind::SetLog, fields.clone());
            let merged = Merged {
                live: true,
                tombstone: None,
                latest_edit: None,
                fields: MergedFields::Put(record.as_slice().into()),
            };
            let general = merged.set_session().ok().zip(merged.get::<SetLog>().ok());
            let one_pass = set_from_record(&record);
            if let Some(read) = &one_pass {
                proptest::prop_assert_eq!(Some(read), general.as_ref());
            }
            // Every set the general way reads, written as this build writes sets (its
            // instant in chrono's form, a side as a string), is read in one pass too; a
            // leap second (`:60`) is left to chrono.
            if let Some((_, set)) = &general {
                let chrono_form = serde_json::to_value(set.at).unwrap();
                if fields.get("at") == Some(&chrono_form) && set.at.nanosecond() < 1_000_000_000 {
                    proptest::prop_assert!(one_pass.is_some(), "{:?}", fields);
                }
            }
        }

        /// `utc_instant` reads chrono's own form of any instant, and whatever it reads,
        /// chrono's RFC 3339 parse reads as the same instant.
        #[test]
        fn utc_instants_are_read_as_chrono_reads_them(
            ms in -62_000_000_000_000i64..253_000_000_000_000,
            nanos in 0u32..1_000_000_000,
            whole in proptest::bool::ANY,
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,11})?[Zz]?",
            noise in "\\PC{0,32}",
        ) {
            let chrono_reads = |t: &str| {
                t.parse::<DateTime<chrono::FixedOffset>>().ok().map(|d| d.with_timezone(&Utc))
            };
            let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
            let at = if whole { at } else { at.with_nanosecond(nanos).unwrap() };
            let written = serde_json::to_value(at).unwrap();
            let written = written.as_str().unwrap();
            proptest::prop_assert_eq!(utc_instant(written), Some(at), "{}", written);
            for t in [written, &text, &noise] {
                if let Some(read) = utc_instant(t) {
                    proptest::prop_assert_eq!(Some(read), chrono_reads(t), "{}", t);
                }
            }
        }
    }

    fn err_text(e: MaterializeError) -> String {
        match e {
            MaterializeError::Unstorable(reason) => reason,
            MaterializeError::Store(e) => e.to_string(),
        }
    }
}

/// The readers of the sync bookkeeping kept in `meta` against serde's derived readers of
/// the same text (the oracle; ADR 0026), on what this library writes and on damaged forms.
#[cfg(test)]
mod meta_readers {
    use std::collections::BTreeMap;

    use super::*;
    use crate::json::tree::testing::{damaged, damages};
    use proptest::prelude::*;

    fn device() -> impl Strategy<Value = Uuid> {
        (0u128..4).prop_map(|n| Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c0 + n))
    }

    fn hlc() -> impl Strategy<Value = Hlc> {
        (0u64..5, 0u32..3).prop_map(|(wall_ms, counter)| Hlc { wall_ms, counter })
    }

    fn vector() -> impl Strategy<Value = VersionVector> {
        prop::collection::vec((device(), hlc()), 0..3).prop_map(|entries| {
            let mut vector = VersionVector::new();
            for (device, hlc) in entries {
                vector.advance(device, hlc);
            }
            vector
        })
    }

    fn marks() -> impl Strategy<Value = SyncMarks> {
        (
            vector(),
            prop::collection::vec((device(), hlc(), hlc()), 0..4),
            prop::collection::vec((device(), vector()), 0..3),
        )
            .prop_map(|(seen, ranges, peers)| {
                let mut marks = SyncMarks {
                    seen,
                    ..SyncMarks::default()
                };
                for (device, start, end) in ranges {
                    let mut top = VersionVector::new();
                    top.advance(device, end);
                    let mut base = VersionVector::new();
                    base.advance(device, start);
                    marks.absorb(&base, &top);
                }
                for (peer, top) in peers {
                    marks.note_peer(peer, &top);
                }
                marks
            })
    }

    fn sync_log() -> impl Strategy<Value = SyncLog> {
        (
            prop::collection::vec((device(), -2i64..3), 0..3),
            prop::option::of((
                0i64..9,
                "[a-z/]{0,6}",
                prop::collection::vec(("[a-z.]{0,5}", "[a-z ]{0,5}"), 0..3),
            )),
        )
            .prop_map(|(received, folder)| SyncLog {
                received_ms: received.into_iter().collect(),
                last_folder: folder.map(|(at_ms, dir, skipped)| FolderRound {
                    at_ms,
                    dir,
                    skipped,
                }),
            })
    }

    fn file_marks() -> impl Strategy<Value = BTreeMap<String, FileMark>> {
        prop::collection::btree_map(
            "[a-c]{1,2}",
            (0u64..99, "[0-9a-f]{0,4}").prop_map(|(size, digest)| FileMark { size, digest }),
            0..3,
        )
    }

    /// The oracle: serde's derived reader straight from the text.
    fn serde_reads<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
        crate::json::from_text(text).ok()
    }

    fn ours<T>(text: &str, read: fn(&Json) -> Option<T>) -> Option<T> {
        read(&crate::json::tree::parse(text).ok()?)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn marks_read_as_serde_reads_them(marks in marks(), damages in damages()) {
            let text = damaged(&serde_json::to_string(&marks).unwrap(), &damages);
            let theirs = serde_reads::<SyncMarks>(&text);
            prop_assert_eq!(ours(&text, SyncMarks::from_json), theirs.clone(), "{}", text);
            if damages.is_empty() {
                prop_assert_eq!(theirs, Some(marks));
            }
        }

        #[test]
        fn version_vectors_and_clocks_read_as_serde_reads_them(
            vector in vector(),
            damages in damages(),
        ) {
            let text = damaged(&serde_json::to_string(&vector).unwrap(), &damages);
            prop_assert_eq!(
                ours(&text, VersionVector::from_json),
                serde_reads::<VersionVector>(&text),
                "{}", text
            );
            prop_assert_eq!(ours(&text, Hlc::from_json), serde_reads::<Hlc>(&text), "{}", text);
        }

        #[test]
        fn sync_logs_read_as_serde_reads_them(log in sync_log(), damages in damages()) {
            let text = damaged(&serde_json::to_string(&log).unwrap(), &damages);
            prop_assert_eq!(ours(&text, SyncLog::from_json), serde_reads::<SyncLog>(&text), "{}", text);
        }

        #[test]
        fn file_marks_read_as_serde_reads_them(marks in file_marks(), damages in damages()) {
            let text = damaged(&serde_json::to_string(&marks).unwrap(), &damages);
            prop_assert_eq!(
                ours(&text, file_marks_from_json),
                serde_reads::<BTreeMap<String, FileMark>>(&text).map(SortedMap::from_iter),
                "{}", text
            );
        }

        #[test]
        fn junk_reads_as_serde_reads_it(text in "[\\[\\]{}\",:0-9a-z_ -]{0,40}") {
            prop_assert_eq!(ours(&text, SyncMarks::from_json), serde_reads::<SyncMarks>(&text));
            prop_assert_eq!(ours(&text, SyncLog::from_json), serde_reads::<SyncLog>(&text));
            prop_assert_eq!(ours(&text, Hlc::from_json), serde_reads::<Hlc>(&text));
        }
    }

    /// Every single damage of marks with one of each part (a watermark, a pending range, a
    /// peer), of a sync log with a folder round, and of folder file marks.
    #[test]
    fn every_single_damage_reads_as_serde_reads_it() {
        use crate::json::tree::testing::{every_single_damage, write};
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut marks = SyncMarks::default();
        marks.seen.advance(
            a,
            Hlc {
                wall_ms: 3,
                counter: 1,
            },
        );
        let mut top = VersionVector::new();
        top.advance(
            b,
            Hlc {
                wall_ms: 9,
                counter: 0,
            },
        );
        let mut base = VersionVector::new();
        base.advance(
            b,
            Hlc {
                wall_ms: 4,
                counter: 2,
            },
        );
        marks.absorb(&base, &top);
        marks.note_peer(a, &top);
        let log = SyncLog {
            received_ms: [(a, -5)].into_iter().collect(),
            last_folder: Some(FolderRound {
                at_ms: 7,
                dir: "d".into(),
                skipped: vec![("p".into(), "why".into())],
            }),
        };
        let files: BTreeMap<String, FileMark> = [(
            "f".to_owned(),
            FileMark {
                size: 3,
                digest: "ab".into(),
            },
        )]
        .into_iter()
        .collect();
        let tree = |text: String| crate::json::tree::parse(&text).unwrap();
        for damaged in every_single_damage(&tree(serde_json::to_string(&marks).unwrap())) {
            let text = write(&damaged);
            assert_eq!(
                ours(&text, SyncMarks::from_json),
                serde_reads(&text),
                "{text}"
            );
        }
        for damaged in every_single_damage(&tree(serde_json::to_string(&log).unwrap())) {
            let text = write(&damaged);
            assert_eq!(
                ours(&text, SyncLog::from_json),
                serde_reads(&text),
                "{text}"
            );
        }
        for damaged in every_single_damage(&tree(serde_json::to_string(&files).unwrap())) {
            let text = write(&damaged);
            let theirs = serde_reads::<BTreeMap<String, FileMark>>(&text).map(SortedMap::from_iter);
            assert_eq!(ours(&text, file_marks_from_json), theirs, "{text}");
        }
    }

    /// The forms earlier versions wrote and serde read: an empty map of pending ranges, a
    /// clock as an array; a key given twice is refused as serde refuses it.
    #[test]
    fn stored_forms_of_earlier_versions() {
        let empty_map = r#"{"seen":{"entries":{}},"pending":{},"peers":{}}"#;
        assert_eq!(
            ours(empty_map, SyncMarks::from_json),
            Some(SyncMarks::default())
        );
        assert_eq!(
            ours("[5,1]", Hlc::from_json),
            Some(Hlc {
                wall_ms: 5,
                counter: 1
            })
        );
        // Two spellings of one device: serde keeps the last, in text order.
        let lower = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        let upper = lower.to_uppercase();
        let range = |end: u64| format!(r#"[{{"device":"{lower}","start":[1,0],"end":[{end},0]}}]"#);
        let spelled_twice = format!(
            r#"{{"seen":{{"entries":{{}}}},"pending":{{"{upper}":{},"{lower}":{}}},"peers":{{"{lower}":[{{}}],"{upper}":[{{"{lower}":[3,0]}}]}}}}"#,
            range(7),
            range(5),
        );
        let theirs = serde_reads::<SyncMarks>(&spelled_twice).unwrap();
        assert_eq!(
            theirs.pending.values().next().unwrap().values().next(),
            Some(&Hlc {
                wall_ms: 5,
                counter: 0
            })
        );
        assert_eq!(theirs.peers.values().next().unwrap().len(), 1);
        assert_eq!(ours(&spelled_twice, SyncMarks::from_json), Some(theirs));
        let twice = r#"{"seen":{"entries":{}},"peers":{},"peers":{}}"#;
        assert_eq!(serde_reads::<SyncMarks>(twice), None);
        assert_eq!(ours(twice, SyncMarks::from_json), None);
    }
}
