//! Convergence of three devices that edit and delete concurrently and exchange segments over
//! a lossy, reordering, duplicating channel; plus merge-rule and backup/restore checks.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use talus_core::sync::{
    decode_segment, encode_segment, ConflictReport, EntityKind, Hlc, ReplicaState, Segment,
    VersionVector,
};
use uuid::Uuid;

const DEVICES: usize = 3;
const FIELDS: [&str; 3] = ["pain", "note", "cm"];
const KINDS: [EntityKind; 2] = [EntityKind::CheckIn, EntityKind::RomMeasurement];

#[derive(Debug, Clone)]
enum Step {
    Put {
        dev: usize,
        kind: usize,
        id: u8,
        fields: Vec<(usize, i64)>,
    },
    Set {
        dev: usize,
        kind: usize,
        id: u8,
        field: usize,
        value: i64,
    },
    Delete {
        dev: usize,
        kind: usize,
        id: u8,
    },
    /// Device `from` writes a segment for `to`; it goes into the channel.
    Send {
        from: usize,
        to: usize,
    },
    /// Deliver the message at `index` (mod queue length); `keep` leaves a copy behind
    /// (duplication).
    Deliver {
        index: usize,
        keep: bool,
    },
    /// Drop the message at `index` (loss).
    Lose {
        index: usize,
    },
    /// Device clock jumps (wall ms advance, possibly zero: same-millisecond edits).
    Tick {
        dev: usize,
        ms: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let dev = 0..DEVICES;
    prop_oneof![
        3 => (dev.clone(), 0..KINDS.len(), 0u8..4, prop::collection::vec((0..FIELDS.len(), -3i64..4), 1..3))
            .prop_map(|(dev, kind, id, fields)| Step::Put { dev, kind, id, fields }),
        3 => (dev.clone(), 0..KINDS.len(), 0u8..4, 0..FIELDS.len(), -3i64..4)
            .prop_map(|(dev, kind, id, field, value)| Step::Set { dev, kind, id, field, value }),
        2 => (dev.clone(), 0..KINDS.len(), 0u8..4).prop_map(|(dev, kind, id)| Step::Delete { dev, kind, id }),
        3 => (dev.clone(), dev.clone()).prop_map(|(from, to)| Step::Send { from, to }),
        3 => (0usize..8, any::<bool>()).prop_map(|(index, keep)| Step::Deliver { index, keep }),
        1 => (0usize..8).prop_map(|index| Step::Lose { index }),
        2 => (dev, 0u64..3).prop_map(|(dev, ms)| Step::Tick { dev, ms }),
    ]
}

struct World {
    replicas: Vec<ReplicaState>,
    clocks: Vec<u64>,
    /// (recipient, encoded segment)
    channel: Vec<(usize, Vec<u8>)>,
}

impl World {
    fn new() -> World {
        World {
            replicas: (0..DEVICES)
                .map(|d| ReplicaState::new(Uuid::from_u128(0x1000 + d as u128)))
                .collect(),
            // Different starting clocks: device 2 runs 5 ms behind.
            clocks: vec![1_000, 1_000, 995],
            channel: Vec::new(),
        }
    }

    fn id(id: u8) -> Uuid {
        Uuid::from_u128(0xE000 + u128::from(id))
    }

    fn run(&mut self, step: &Step) {
        match step {
            Step::Put {
                dev,
                kind,
                id,
                fields,
            } => {
                let map: Map<String, Value> = fields
                    .iter()
                    .map(|(f, v)| (FIELDS[*f].to_owned(), json!(v)))
                    .collect();
                self.replicas[*dev].local_put(KINDS[*kind], World::id(*id), map, self.clocks[*dev]);
            }
            Step::Set {
                dev,
                kind,
                id,
                field,
                value,
            } => {
                self.replicas[*dev].local_set(
                    KINDS[*kind],
                    World::id(*id),
                    FIELDS[*field],
                    json!(value),
                    self.clocks[*dev],
                );
            }
            Step::Delete { dev, kind, id } => {
                self.replicas[*dev].local_delete(KINDS[*kind], World::id(*id), self.clocks[*dev]);
            }
            Step::Send { from, to } if from != to => {
                let peer = self.replicas[*to].device();
                let segment = self.replicas[*from].segment_for(&peer);
                self.channel.push((*to, encode_segment(&segment)));
            }
            Step::Send { .. } => {}
            Step::Deliver { index, keep } => {
                if self.channel.is_empty() {
                    return;
                }
                let i = index % self.channel.len();
                let (to, bytes) = if *keep {
                    self.channel[i].clone()
                } else {
                    self.channel.remove(i)
                };
                self.deliver(to, &bytes);
            }
            Step::Lose { index } => {
                if !self.channel.is_empty() {
                    let i = index % self.channel.len();
                    self.channel.remove(i);
                }
            }
            Step::Tick { dev, ms } => self.clocks[*dev] += ms,
        }
    }

    fn deliver(&mut self, to: usize, bytes: &[u8]) {
        let segment = decode_segment(bytes).expect("segments in the channel are intact");
        let report = self.replicas[to].import(&segment, self.clocks[to]);
        assert!(report.drift.is_empty(), "no clock here is a day ahead");
    }

    /// Resend rounds until quiet: every device sends to every other, everything delivered.
    fn settle(&mut self) {
        self.channel.clear();
        for _ in 0..DEVICES {
            for from in 0..DEVICES {
                for to in 0..DEVICES {
                    if from != to {
                        let peer = self.replicas[to].device();
                        let bytes = encode_segment(&self.replicas[from].segment_for(&peer));
                        self.deliver(to, &bytes);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn three_devices_converge_despite_loss_reordering_and_duplication(
        steps in prop::collection::vec(step(), 1..80)
    ) {
        let mut world = World::new();
        for s in &steps {
            world.run(s);
        }
        world.settle();
        let first = &world.replicas[0];
        for other in &world.replicas[1..] {
            prop_assert!(first.same_history(other), "replicas diverged");
            prop_assert_eq!(first.seen(), other.seen());
        }
        // Nothing authored anywhere is missing after settling.
        let authored: usize = steps.iter().filter(|s| matches!(s, Step::Put{..} | Step::Set{..} | Step::Delete{..})).count();
        prop_assert_eq!(first.op_count(), authored);
    }

    #[test]
    fn apply_is_order_independent_and_idempotent(
        steps in prop::collection::vec(step(), 1..40), seed in any::<u64>()
    ) {
        let mut world = World::new();
        for s in &steps {
            world.run(s);
        }
        let mut ops = Vec::new();
        for r in &world.replicas {
            ops.extend(r.ops_since(&VersionVector::new()));
        }
        let mut forward = ReplicaState::new(Uuid::from_u128(99));
        for op in &ops {
            forward.apply(op);
        }
        // A deterministic shuffle plus duplicates, applied to a fresh replica.
        let mut shuffled = ops.clone();
        shuffled.extend(ops.iter().step_by(3).cloned());
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut other = ReplicaState::new(Uuid::from_u128(98));
        for op in &shuffled {
            other.apply(op);
        }
        prop_assert!(forward.same_history(&other));
    }
}

fn fields(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[test]
fn edit_after_delete_keeps_entity_and_is_reported_in_either_order() {
    let id = Uuid::from_u128(7);
    let mut phone = ReplicaState::new(Uuid::from_u128(1));
    let mut tablet = ReplicaState::new(Uuid::from_u128(2));
    phone.local_put(
        EntityKind::CheckIn,
        id,
        fields(&[("pain", json!(2)), ("note", json!("ok"))]),
        1_000,
    );
    tablet.import(&phone.segment_for(&tablet.device()), 1_000);
    // Phone deletes at 2000; tablet, not having seen that, edits at 3000.
    let (delete, _) = phone.local_delete(EntityKind::CheckIn, id, 2_000);
    let (edit, _) = tablet.local_set(EntityKind::CheckIn, id, "pain", json!(4), 3_000);

    let report = phone.import(&tablet.segment_for(&phone.device()), 3_000);
    let expected = ConflictReport::EditBeatDelete {
        entity: EntityKind::CheckIn,
        id,
        edit: edit.stamp,
        delete: delete.stamp,
    };
    assert_eq!(report.conflicts, vec![expected.clone()]);
    let kept = phone
        .live(EntityKind::CheckIn, id)
        .expect("edit after delete keeps it");
    assert_eq!(kept.fields["pain"].value, json!(4));
    assert_eq!(
        kept.fields["note"].value,
        json!("ok"),
        "older fields come back too"
    );

    let report = tablet.import(&phone.segment_for(&tablet.device()), 3_000);
    assert_eq!(report.conflicts, vec![expected]);
    assert!(tablet.same_history(&phone));
}

#[test]
fn edit_before_delete_stays_deleted() {
    let id = Uuid::from_u128(7);
    let mut phone = ReplicaState::new(Uuid::from_u128(1));
    let mut tablet = ReplicaState::new(Uuid::from_u128(2));
    phone.local_put(
        EntityKind::Run,
        id,
        fields(&[("distance_m", json!(5000))]),
        1_000,
    );
    tablet.import(&phone.segment_for(&tablet.device()), 1_000);
    tablet.local_set(EntityKind::Run, id, "distance_m", json!(5100), 1_500);
    phone.local_delete(EntityKind::Run, id, 2_000);
    let report = phone.import(&tablet.segment_for(&phone.device()), 2_000);
    assert!(report.conflicts.is_empty());
    assert!(phone.live(EntityKind::Run, id).is_none());
}

#[test]
fn same_segment_twice_changes_nothing() {
    let mut a = ReplicaState::new(Uuid::from_u128(1));
    let mut b = ReplicaState::new(Uuid::from_u128(2));
    for i in 0..20u64 {
        a.local_set(
            EntityKind::Settings,
            Uuid::nil(),
            "units",
            json!(i),
            1_000 + i,
        );
    }
    let seg = a.segment_for(&b.device());
    let first = b.import(&seg, 2_000);
    assert_eq!(first.changed, 20);
    let snapshot = b.clone();
    let second = b.import(&seg, 2_000);
    assert_eq!(second.changed, 0);
    assert!(!second.watermarks_advanced);
    // Only the clock moves (an import observes the sender's clock).
    assert!(b.same_history(&snapshot));
    assert_eq!(b.seen(), snapshot.seen());
    assert_eq!(b.peer_seen(&a.device()), snapshot.peer_seen(&a.device()));
}

#[test]
fn gap_holds_the_watermark_until_the_lost_segment_is_resent() {
    let mut a = ReplicaState::new(Uuid::from_u128(1));
    let mut b = ReplicaState::new(Uuid::from_u128(2));
    a.local_set(
        EntityKind::Settings,
        Uuid::nil(),
        "units",
        json!("metric"),
        1_000,
    );
    let lost = a.segment_since(&VersionVector::new());
    a.local_set(
        EntityKind::Settings,
        Uuid::nil(),
        "locale",
        json!("de"),
        2_000,
    );
    let later = a.segment_since(lost.top());
    b.import(&later, 2_000);
    assert_eq!(
        b.seen().get(&a.device()),
        Hlc::default(),
        "gap: nothing contiguous yet"
    );
    // B's announcement makes A resend from the start.
    a.import(&b.segment_for(&a.device()), 2_000);
    let resend = a.segment_for(&b.device());
    assert_eq!(resend.ops().len(), 2);
    b.import(&resend, 2_000);
    assert_eq!(b.seen().get(&a.device()), a.seen().get(&a.device()));
    assert!(a.same_history(&b));
}

#[test]
fn far_future_ops_are_merged_but_reported_and_not_adopted() {
    let day = 24 * 60 * 60 * 1000;
    let now = 1_750_000_000_000u64;
    let mut broken = ReplicaState::new(Uuid::from_u128(1));
    let mut phone = ReplicaState::new(Uuid::from_u128(2));
    broken.local_set(
        EntityKind::Settings,
        Uuid::nil(),
        "units",
        json!("imperial"),
        now + 30 * day,
    );
    let report = phone.import(&broken.segment_for(&phone.device()), now);
    assert_eq!(report.drift.len(), 1);
    assert_eq!(report.drift[0].device, Some(broken.device()));
    assert!(report.drift[0].ahead_ms >= 30 * day);
    assert!(
        phone.clock().last.wall_ms <= now,
        "phone clock not dragged forward"
    );
    assert!(
        phone.live(EntityKind::Settings, Uuid::nil()).is_some(),
        "nothing lost"
    );
}

#[test]
fn backup_restores_the_same_history_on_a_fresh_install() {
    let mut a = ReplicaState::new(Uuid::from_u128(1));
    let mut b = ReplicaState::new(Uuid::from_u128(2));
    for i in 0..50u64 {
        let id = Uuid::from_u128(u128::from(i % 7));
        a.local_put(
            EntityKind::CheckIn,
            id,
            fields(&[("pain", json!(i % 11))]),
            1_000 + i,
        );
        if i % 5 == 0 {
            b.local_delete(EntityKind::CheckIn, id, 1_000 + i);
        }
    }
    // A holds part of B's history past a gap, which the backup must carry too.
    let first = b.segment_since(&VersionVector::new());
    b.local_set(
        EntityKind::Settings,
        Uuid::nil(),
        "units",
        json!("imperial"),
        5_000,
    );
    let second = b.segment_since(first.top());
    a.import(&second, 5_000);

    let backup = a.backup(3);
    assert!(backup.segments.len() >= 2);
    let mut fresh = ReplicaState::new(Uuid::from_u128(3));
    for seg in &backup.segments {
        let bytes = encode_segment(seg);
        let decoded = decode_segment(&bytes).unwrap();
        assert_eq!(decoded.catalog_version(), 3);
        fresh.import(&decoded, 6_000);
    }
    assert!(fresh.same_history(&a));
    assert_eq!(fresh.seen(), a.seen());
}

#[test]
fn own_ops_segment_feeds_a_folder_reader() {
    let mut a = ReplicaState::new(Uuid::from_u128(1));
    let (op1, _) = a.local_set(
        EntityKind::Settings,
        Uuid::nil(),
        "units",
        json!("metric"),
        10,
    );
    let (op2, _) = a.local_set(EntityKind::Settings, Uuid::nil(), "locale", json!("en"), 11);
    let seg = Segment::own_ops(a.device(), Hlc::default(), vec![op2, op1]).unwrap();
    let mut reader = ReplicaState::new(Uuid::from_u128(2));
    reader.import(&seg, 20);
    assert!(reader.same_history(&a));
    assert_eq!(reader.seen().get(&a.device()), a.seen().get(&a.device()));
}
