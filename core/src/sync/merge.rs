//! The merge: an in-memory replica of synced history with field-level last-writer-wins,
//! tombstones, segment import and export by version vector.
//!
//! Rule (see `docs/adr/0005-sync-merge.md`):
//! - Each field keeps the value of the write with the greatest [`Stamp`] (HLC, then device
//!   id). A `Put` writes each of its fields with the op's stamp. Two different values under
//!   one stamp (a misbehaving writer) are ordered by their JSON text so every replica picks
//!   the same one.
//! - A `Delete` leaves a tombstone with its stamp; the greatest tombstone counts.
//! - An entity is live when it has no tombstone or some field was written with a stamp
//!   greater than the tombstone's. "Concurrent" is decided by HLC order: an edit stamped after
//!   the delete keeps the entity (all its fields, history is never silently lost) and is
//!   reported as [`ConflictReport::EditBeatDelete`]; an edit stamped before it stays hidden.
//!
//! Every piece of state is a maximum over the ops seen, so applying ops is commutative,
//! associative and idempotent: replicas that have seen the same set of ops are identical,
//! whatever the order, duplication or batching.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::hlc::{DriftReport, HlcClock};
use super::op::{EntityKind, Hlc, Op, OpAction, Stamp};
use super::segment::Segment;
use super::vv::VersionVector;
use crate::sorted_map::SortedMap;

/// One field's current value and the stamp of the write that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldState {
    pub value: Value,
    pub stamp: Stamp,
}

/// One entity's merged state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityState {
    pub fields: SortedMap<String, FieldState>,
    /// Stamp of the latest delete, if any.
    pub tombstone: Option<Stamp>,
}

impl EntityState {
    /// Whether the entity is part of history: never deleted, or edited after its latest
    /// delete.
    pub fn is_live(&self) -> bool {
        match self.tombstone {
            None => !self.fields.is_empty(),
            Some(t) => self.latest_edit().is_some_and(|e| e > t),
        }
    }

    /// The greatest field stamp.
    pub fn latest_edit(&self) -> Option<Stamp> {
        self.fields.values().map(|f| f.stamp).max()
    }

    /// Merges one op of this entity (field-level last writer wins, tombstones by stamp);
    /// returns whether anything changed. Commutative, associative and idempotent.
    pub fn merge(&mut self, op: &Op) -> bool {
        let mut changed = false;
        match &op.action {
            OpAction::Put { fields } => {
                for (name, value) in fields {
                    changed |= write_field(self, name, value, op.stamp);
                }
            }
            OpAction::Set { field, value } => {
                changed |= write_field(self, field, value, op.stamp);
            }
            OpAction::Delete => {
                if self.tombstone.is_none_or(|t| op.stamp > t) {
                    self.tombstone = Some(op.stamp);
                    changed = true;
                }
            }
        }
        changed
    }

    /// [`EntityState::merge`] taking the op by value: its field names and values are moved
    /// into the state instead of copied. Same result.
    pub fn merge_owned(&mut self, op: Op) -> bool {
        let mut changed = false;
        match op.action {
            OpAction::Put { fields } => {
                for (name, value) in fields {
                    changed |= write_field_owned(self, name, value, op.stamp);
                }
            }
            OpAction::Set { field, value } => {
                changed |= write_field_owned(self, field, value, op.stamp);
            }
            OpAction::Delete => {
                if self.tombstone.is_none_or(|t| op.stamp > t) {
                    self.tombstone = Some(op.stamp);
                    changed = true;
                }
            }
        }
        changed
    }

    /// The fields as a JSON object (values only), consuming the state.
    pub fn into_object(self) -> Map<String, Value> {
        crate::order::by_insertion(self.fields.into_iter().map(|(k, f)| (k, f.value)))
    }

    /// The fields as a JSON object (values only).
    pub fn to_object(&self) -> Map<String, Value> {
        crate::order::by_insertion(
            self.fields
                .iter()
                .map(|(k, f)| (k.clone(), f.value.clone())),
        )
    }
}

/// A merge decision the caller should surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictReport {
    /// An edit stamped after a delete kept (or brought back) the entity.
    EditBeatDelete {
        entity: EntityKind,
        id: Uuid,
        edit: Stamp,
        delete: Stamp,
    },
}

/// What applying one op did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplyOutcome {
    /// The op changed the merged state (a field or tombstone took its stamp).
    pub changed: bool,
    /// A decision to report, when this op changed state and met a delete.
    pub conflict: Option<ConflictReport>,
}

/// What importing one segment did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// Ops in the segment.
    pub ops: usize,
    /// Ops that changed the merged state (0 for a segment imported before).
    pub changed: usize,
    pub conflicts: Vec<ConflictReport>,
    /// Devices whose clock values were more than a day ahead of this device's clock: their
    /// ops are merged (nothing is lost) but this device's clock did not adopt them.
    pub drift: Vec<DriftReport>,
    /// Whether this replica's watermarks moved.
    pub watermarks_advanced: bool,
}

/// A full backup: segments covering everything the replica holds, plus the drill-catalog
/// version they were written with.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub catalog_version: u32,
    pub segments: Vec<Segment>,
}

/// In-memory materialized replica of synced history on one device.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaState {
    device: Uuid,
    clock: HlcClock,
    entities: BTreeMap<(EntityKind, Uuid), EntityState>,
    /// Every op held, per device, by clock value (more than one only under a misbehaving
    /// writer that reuses a clock value).
    log: BTreeMap<Uuid, BTreeMap<Hlc, Vec<Op>>>,
    marks: SyncMarks,
}

/// The watermark bookkeeping of one replica, kept apart from the ops so a store can persist
/// it next to its op-log and rebuild only what it needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncMarks {
    /// Watermarks up to which this replica holds every op (contiguous).
    pub seen: VersionVector,
    /// Ranges received past a gap, per device: start (exclusive) → end (inclusive).
    /// Stored as a list of `{device, start, end}` (JSON object keys must be strings, and a
    /// clock value is not one).
    #[serde(default, with = "pending_ranges")]
    pub pending: SortedMap<Uuid, SortedMap<Hlc, Hlc>>,
    /// What each peer said it had seen (the `top` of its latest segments).
    pub peers: SortedMap<Uuid, VersionVector>,
}

impl SyncMarks {
    /// Marks as serde reads them from their stored JSON text, from the parsed tree
    /// ([`crate::json::tree`]): the same marks, and `None` exactly where serde's derived
    /// reader refuses the text (ADR 0026). `pending` is the stored list of ranges, or the
    /// map of lists an empty map of earlier versions was written as.
    pub(crate) fn from_json(json: &crate::json::tree::Json) -> Option<SyncMarks> {
        use crate::json::tree::{key_uuid, need, Json};
        let [seen, pending, peers] = json.fields(["seen", "pending", "peers"])?;
        let seen = need(seen, VersionVector::from_json)?;
        let ranges = match pending {
            None => Vec::new(),
            Some(Json::Object(entries)) => {
                let mut by_device: SortedMap<Uuid, Vec<pending_ranges::Range>> = SortedMap::new();
                for (device, list) in entries {
                    by_device.insert(
                        key_uuid(device)?,
                        list.list(pending_ranges::Range::from_json)?,
                    );
                }
                by_device.into_values().flatten().collect()
            }
            Some(list) => list.list(pending_ranges::Range::from_json)?,
        };
        let mut marks = SyncMarks {
            seen,
            pending: pending_ranges::collect(ranges),
            peers: SortedMap::new(),
        };
        for (peer, vector) in peers?.entries()? {
            marks
                .peers
                .insert(key_uuid(peer)?, VersionVector::from_json(vector)?);
        }
        Some(marks)
    }

    /// Records that every op in `(base, top]` is now held and moves the contiguous
    /// watermarks as far as the held ranges allow. Returns whether a watermark moved.
    pub fn absorb(&mut self, base: &VersionVector, top: &VersionVector) -> bool {
        let mut advanced = false;
        for (device, end) in top.iter() {
            let start = base.get(device);
            if *end <= start {
                continue;
            }
            let Some(ranges) = self.pending.get_or_insert_with(*device, SortedMap::new) else {
                continue;
            };
            if let Some(slot) = ranges.get_or_insert_with(start, Hlc::default) {
                *slot = (*slot).max(*end);
            }
            loop {
                let mark = self.seen.get(device);
                let reachable: Vec<Hlc> = ranges.range(..=mark).map(|(s, _)| *s).collect();
                if reachable.is_empty() {
                    break;
                }
                for s in reachable {
                    if let Some(e) = ranges.remove(&s) {
                        advanced |= self.seen.advance(*device, e);
                    }
                }
            }
            if ranges.is_empty() {
                self.pending.remove(device);
            }
        }
        advanced
    }

    /// Records what `peer` said it had seen when it wrote a segment.
    pub fn note_peer(&mut self, peer: Uuid, top: &VersionVector) {
        if let Some(seen) = self.peers.get_or_insert_with(peer, VersionVector::default) {
            seen.merge(top);
        }
    }

    /// What `peer` last said it had seen (empty if never heard from).
    pub fn peer_seen(&self, peer: &Uuid) -> VersionVector {
        self.peers.get(peer).cloned().unwrap_or_default()
    }
}

impl ReplicaState {
    /// An empty replica for `device` with a clock starting at zero.
    pub fn new(device: Uuid) -> ReplicaState {
        ReplicaState::with_clock(device, HlcClock::default())
    }

    /// An empty replica whose clock resumes at `clock`.
    pub fn with_clock(device: Uuid, clock: HlcClock) -> ReplicaState {
        ReplicaState {
            device,
            clock,
            entities: BTreeMap::new(),
            log: BTreeMap::new(),
            marks: SyncMarks::default(),
        }
    }

    /// This replica's device id.
    pub fn device(&self) -> Uuid {
        self.device
    }

    /// This replica's clock.
    pub fn clock(&self) -> HlcClock {
        self.clock
    }

    /// Watermarks up to which this replica holds every op.
    pub fn seen(&self) -> &VersionVector {
        &self.marks.seen
    }

    /// The watermark bookkeeping (seen, pending ranges, peers).
    pub fn marks(&self) -> &SyncMarks {
        &self.marks
    }

    /// What `peer` last said it had seen (empty if never heard from).
    pub fn peer_seen(&self, peer: &Uuid) -> VersionVector {
        self.marks.peer_seen(peer)
    }

    /// All entities, deleted ones included, in (kind, id) order.
    pub fn entities(&self) -> &BTreeMap<(EntityKind, Uuid), EntityState> {
        &self.entities
    }

    /// One entity if it is live.
    pub fn live(&self, kind: EntityKind, id: Uuid) -> Option<&EntityState> {
        self.entities.get(&(kind, id)).filter(|e| e.is_live())
    }

    /// Number of ops held.
    pub fn op_count(&self) -> usize {
        self.log
            .values()
            .flat_map(|by_hlc| by_hlc.values())
            .map(Vec::len)
            .sum()
    }

    /// Records a local `Put` at wall time `now_ms` and applies it.
    pub fn local_put(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        fields: Map<String, Value>,
        now_ms: u64,
    ) -> (Op, ApplyOutcome) {
        self.local(entity, id, OpAction::Put { fields }, now_ms)
    }

    /// Records a local `Set` at wall time `now_ms` and applies it.
    pub fn local_set(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        field: &str,
        value: Value,
        now_ms: u64,
    ) -> (Op, ApplyOutcome) {
        let action = OpAction::Set {
            field: field.to_owned(),
            value,
        };
        self.local(entity, id, action, now_ms)
    }

    /// Records a local `Delete` at wall time `now_ms` and applies it.
    pub fn local_delete(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        now_ms: u64,
    ) -> (Op, ApplyOutcome) {
        self.local(entity, id, OpAction::Delete, now_ms)
    }

    fn local(
        &mut self,
        entity: EntityKind,
        id: Uuid,
        action: OpAction,
        now_ms: u64,
    ) -> (Op, ApplyOutcome) {
        let op = Op {
            stamp: Stamp {
                hlc: self.clock.now(now_ms),
                device: self.device,
            },
            entity,
            id,
            action,
        };
        let outcome = self.apply(&op);
        (op, outcome)
    }

    /// Merges one op. Commutative, associative and idempotent. An op authored by this
    /// device advances this device's watermark; ops from other devices only move
    /// watermarks through [`ReplicaState::import`], which knows the ranges are complete.
    pub fn apply(&mut self, op: &Op) -> ApplyOutcome {
        let by_hlc = self.log.entry(op.stamp.device).or_default();
        let same_clock = by_hlc.entry(op.stamp.hlc).or_default();
        if !same_clock.contains(op) {
            same_clock.push(op.clone());
        }
        if op.stamp.device == self.device {
            self.marks.seen.advance(self.device, op.stamp.hlc);
            self.clock.last = self.clock.last.max(op.stamp.hlc);
        }

        let entity = self.entities.entry((op.entity, op.id)).or_default();
        let was_live = entity.is_live();
        let changed = entity.merge(op);
        // Reported once per replica whichever arrives first: a delete that cannot hide an
        // entity edited after it, or an edit that brings a deleted entity back.
        let is_live = entity.is_live();
        let conflict = match (entity.tombstone, entity.latest_edit()) {
            (Some(delete), Some(edit)) if changed && is_live => {
                let is_delete = matches!(op.action, OpAction::Delete);
                (is_delete || !was_live).then_some(ConflictReport::EditBeatDelete {
                    entity: op.entity,
                    id: op.id,
                    edit,
                    delete,
                })
            }
            _ => None,
        };
        ApplyOutcome { changed, conflict }
    }

    /// Imports a decoded segment. The segment was fully validated when it was decoded (or
    /// built), so import cannot fail half-way: every op is merged, or, for a segment seen
    /// before, nothing changes. `now_ms` is this device's wall clock, used to absorb the
    /// segment's clock values and to flag ones more than a day ahead.
    pub fn import(&mut self, segment: &Segment, now_ms: u64) -> ImportReport {
        let mut report = ImportReport {
            ops: segment.ops().len(),
            ..ImportReport::default()
        };
        let mut newest: BTreeMap<Uuid, Hlc> = BTreeMap::new();
        for op in segment.ops() {
            let outcome = self.apply(op);
            if outcome.changed {
                report.changed += 1;
            }
            report.conflicts.extend(outcome.conflict);
            let slot = newest.entry(op.stamp.device).or_default();
            *slot = (*slot).max(op.stamp.hlc);
        }
        for (device, hlc) in newest {
            if let Err(drift) = self.clock.observe(hlc, now_ms) {
                report.drift.push(DriftReport {
                    device: Some(device),
                    ..drift.report
                });
            }
        }
        report.watermarks_advanced = self.marks.absorb(segment.base(), segment.top());
        self.marks.note_peer(segment.writer(), segment.top());
        report
    }

    /// Every op held with a clock value above `since` for its device, up to this replica's
    /// contiguous watermarks, in stamp order.
    pub fn ops_since(&self, since: &VersionVector) -> Vec<Op> {
        let mut ops: Vec<Op> = Vec::new();
        for (device, by_hlc) in &self.log {
            let start = since.get(device);
            let end = self.marks.seen.get(device);
            if end <= start {
                continue;
            }
            let range = by_hlc.range((
                std::ops::Bound::Excluded(start),
                std::ops::Bound::Included(end),
            ));
            ops.extend(range.flat_map(|(_, same)| same.iter().cloned()));
        }
        super::op::sort_by_stamp(&mut ops);
        ops
    }

    /// A segment holding everything a peer that has seen `peer_seen` is missing.
    pub fn segment_since(&self, peer_seen: &VersionVector) -> Segment {
        let base = peer_seen.meet(&self.marks.seen);
        let ops = self.ops_since(&base);
        // `ops_since` returns exactly the ops in (base, seen], and base ≤ seen pointwise.
        Segment::trusted(self.device, base, self.marks.seen.clone(), ops)
    }

    /// A segment for `peer`, based on what it last told this replica it had seen.
    pub fn segment_for(&self, peer: &Uuid) -> Segment {
        self.segment_since(&self.peer_seen(peer))
    }

    /// A full backup: one segment with everything up to the contiguous watermarks, plus one
    /// per range held past a gap, so restoring gives the same history and the same
    /// watermarks.
    pub fn backup(&self, catalog_version: u32) -> Backup {
        let mut segments = vec![self
            .segment_since(&VersionVector::new())
            .with_catalog_version(catalog_version)];
        for (device, ranges) in &self.marks.pending {
            let Some(by_hlc) = self.log.get(device) else {
                continue;
            };
            for (start, end) in ranges {
                let ops: Vec<Op> = by_hlc
                    .range((
                        std::ops::Bound::Excluded(*start),
                        std::ops::Bound::Included(*end),
                    ))
                    .flat_map(|(_, same)| same.iter().cloned())
                    .collect();
                let base: VersionVector = [(*device, *start)].into_iter().collect();
                let top: VersionVector = [(*device, *end)].into_iter().collect();
                segments.push(
                    Segment::trusted(self.device, base, top, ops)
                        .with_catalog_version(catalog_version),
                );
            }
        }
        Backup {
            catalog_version,
            segments,
        }
    }

    /// Whether two replicas hold the same history (entities and ops), whatever their
    /// devices, clocks and peer knowledge.
    pub fn same_history(&self, other: &ReplicaState) -> bool {
        self.entities == other.entities && self.log == other.log
    }
}

/// Serde form of [`SyncMarks::pending`]: a flat list of ranges. Reads the old map form too,
/// which could only ever be stored empty (a non-empty one failed to serialize).
mod pending_ranges {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use uuid::Uuid;

    use crate::sorted_map::SortedMap;
    use crate::sync::op::Hlc;

    #[derive(Serialize, Deserialize)]
    pub(super) struct Range {
        device: Uuid,
        start: Hlc,
        end: Hlc,
    }

    impl Range {
        /// A stored range as serde reads one (object or array form).
        pub(super) fn from_json(json: &crate::json::tree::Json) -> Option<Range> {
            use crate::json::tree::{need, Json};
            let [device, start, end] = json.fields(["device", "start", "end"])?;
            Some(Range {
                device: need(device, Json::uuid)?,
                start: need(start, Hlc::from_json)?,
                end: need(end, Hlc::from_json)?,
            })
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        List(Vec<Range>),
        EmptyMap(BTreeMap<Uuid, Vec<Range>>),
    }

    pub fn serialize<S: Serializer>(
        pending: &SortedMap<Uuid, SortedMap<Hlc, Hlc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let list: Vec<Range> = pending
            .iter()
            .flat_map(|(device, ranges)| {
                ranges.iter().map(|(start, end)| Range {
                    device: *device,
                    start: *start,
                    end: *end,
                })
            })
            .collect();
        list.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SortedMap<Uuid, SortedMap<Hlc, Hlc>>, D::Error> {
        let list = match Stored::deserialize(deserializer)? {
            Stored::List(list) => list,
            Stored::EmptyMap(map) => map.into_values().flatten().collect(),
        };
        Ok(collect(list))
    }

    /// The stored ranges as held: per device, start → the furthest end (empty ones dropped).
    pub(super) fn collect(list: Vec<Range>) -> SortedMap<Uuid, SortedMap<Hlc, Hlc>> {
        let mut pending: SortedMap<Uuid, SortedMap<Hlc, Hlc>> = SortedMap::new();
        for r in list {
            if r.end > r.start {
                let slot = pending
                    .get_or_insert_with(r.device, SortedMap::new)
                    .and_then(|ranges| ranges.get_or_insert_with(r.start, Hlc::default));
                if let Some(slot) = slot {
                    *slot = (*slot).max(r.end);
                }
            }
        }
        pending
    }
}

fn write_field(entity: &mut EntityState, name: &str, value: &Value, stamp: Stamp) -> bool {
    match entity.fields.get_mut(name) {
        Some(current) => {
            let wins = stamp > current.stamp
                || (stamp == current.stamp
                    && current.value != *value
                    && json_text(value) > json_text(&current.value));
            if wins {
                current.stamp = stamp;
                current.value = value.clone();
            }
            wins
        }
        None => {
            entity.fields.insert(
                name.to_owned(),
                FieldState {
                    value: value.clone(),
                    stamp,
                },
            );
            true
        }
    }
}

/// [`write_field`] with the name and value moved in.
fn write_field_owned(entity: &mut EntityState, name: String, value: Value, stamp: Stamp) -> bool {
    match entity.fields.get_mut(&name) {
        Some(current) => {
            let wins = stamp > current.stamp
                || (stamp == current.stamp
                    && current.value != value
                    && json_text(&value) > json_text(&current.value));
            if wins {
                current.stamp = stamp;
                current.value = value;
            }
            wins
        }
        None => {
            entity.fields.insert(name, FieldState { value, stamp });
            true
        }
    }
}

/// Canonical JSON text of a value (object keys are sorted), the tie-break for equal stamps.
fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    const KINDS: [EntityKind; 2] = [EntityKind::CheckIn, EntityKind::Session];

    /// An op of one of two kinds and three ids, from one of three devices, on a few clock
    /// values (so stamps collide and equal ops repeat), writing one of two fields.
    fn op() -> impl Strategy<Value = Op> {
        (0u8..3, 0u64..4, 0usize..2, 0u8..3, 0u8..3, 0u8..2, 0i64..3).prop_map(
            |(device, wall_ms, kind, id, action, field, value)| {
                let field = ["pain", "note"][usize::from(field)].to_owned();
                Op {
                    stamp: Stamp {
                        hlc: Hlc {
                            wall_ms,
                            counter: 0,
                        },
                        device: Uuid::from_u128(u128::from(device)),
                    },
                    entity: KINDS[kind],
                    id: Uuid::from_u128(u128::from(id)),
                    action: match action {
                        0 => OpAction::Put {
                            fields: [(field, json!(value))].into_iter().collect(),
                        },
                        1 => OpAction::Set {
                            field,
                            value: json!(value),
                        },
                        _ => OpAction::Delete,
                    },
                }
            },
        )
    }

    proptest! {
        /// One entity merged straight from its ops (as the store's `merged_entity` does) is
        /// the entity a replica applying every op holds, the old way of merging it: the
        /// replica's dropping of repeated ops and its other entities change nothing.
        #[test]
        fn one_entity_merged_alone_is_the_replicas(ops in prop::collection::vec(op(), 0..40)) {
            let mut replica = ReplicaState::new(Uuid::from_u128(9));
            for op in &ops {
                replica.apply(op);
            }
            for kind in KINDS {
                for id in (0..3).map(Uuid::from_u128) {
                    let mut alone = EntityState::default();
                    for op in ops.iter().filter(|op| op.entity == kind && op.id == id) {
                        alone.merge_owned(op.clone());
                    }
                    let held = replica.entities().get(&(kind, id)).cloned().unwrap_or_default();
                    prop_assert_eq!(alone, held);
                }
            }
        }
    }
}
