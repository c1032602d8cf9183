//! Sync through the store: segments exported from one profile's SQLite file and imported
//! into another's give the same history; re-import changes nothing; concurrent edits,
//! deletes and duplicate health records merge as the rule says; folder exchange survives
//! debris; backups restore; bad values from a peer are reported, never stored; three
//! profiles exchanging at random converge.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;
use talus_core::catalog::Catalog;
use talus_core::domain::{
    CheckIn, History, PlanVariant, RegionScores, RunRecord, Score, SetLog, Settings, Side,
};
use talus_core::store::Store;
use talus_core::sync::{
    encode_segment, EntityKind, Hlc, Op, OpAction, Segment, Stamp, VersionVector,
};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let catalog = Catalog::embedded().unwrap();
    Store::open(&dir.path().join(format!("{name}.db")), &catalog, t0())
        .unwrap()
        .0
}

fn run(ext: &str, start: DateTime<Utc>, minutes: i64, distance_m: f64) -> RunRecord {
    RunRecord {
        source: "healthkit".into(),
        external_id: ext.into(),
        start,
        end: start + Duration::minutes(minutes),
        distance_m,
        tags: vec![],
        zone: "Europe/Berlin".into(),
    }
}

fn checkin(at: DateTime<Utc>, pain: i64) -> CheckIn {
    let p = Score::new(pain).unwrap();
    CheckIn {
        id: talus_core::store::new_id(at),
        at,
        zone: "Europe/Berlin".into(),
        pain: RegionScores {
            calf: p,
            achilles: Score::ZERO,
            ankle: p,
        },
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id: None,
    }
}

fn set(drill: &str, side: Side, index: u32, pain: i64, at: DateTime<Utc>) -> SetLog {
    SetLog {
        drill_id: drill.into(),
        side: Some(side),
        set_index: index,
        level: 0,
        target_reps: Some(10),
        reps_done: Some(10),
        target_hold_s: None,
        hold_s_done: None,
        pain: Some(Score::new(pain).unwrap()),
        stretch: false,
        stopped: false,
        skipped: false,
        reason_code: None,
        note: None,
        at,
    }
}

fn history(store: &Store) -> History {
    let from = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap();
    let mut h = store.history(from, to).unwrap();
    // The runner snapshot of an open session is local state, not history.
    for s in &mut h.sessions {
        s.snapshot = None;
    }
    h.sessions.sort_by_key(|s| s.id);
    h
}

/// Full two-way exchange between two profiles, as `talus sync --with` does it.
/// The store's whole op-log as segment bytes (what a first sync or a backup writes).
fn all_bytes(store: &Store) -> Vec<u8> {
    store
        .encoded_segment_since(&VersionVector::new(), 0)
        .unwrap()
        .bytes
}

fn exchange(a: &Store, b: &Store, now: DateTime<Utc>) {
    let to_b = a.segment_for_peer(b.device_id()).unwrap();
    b.import_segment(&to_b, now).unwrap();
    let to_a = b.segment_for_peer(a.device_id()).unwrap();
    a.import_segment(&to_a, now).unwrap();
}

fn sample_history(store: &Store) {
    let settings = Settings {
        home_zone: "Europe/Berlin".into(),
        rom_mdc_cm: 2.0,
        ..Settings::default()
    };
    store.put_settings(&settings, t0()).unwrap();
    for day in 0..5 {
        let at = t0() + Duration::days(day);
        store.add_checkin(&checkin(at, day % 3), at).unwrap();
        store
            .upsert_run(
                &run(&format!("r{day}"), at + Duration::hours(9), 40, 8000.0),
                at + Duration::hours(10),
            )
            .unwrap();
        let session = store
            .create_session(at.date_naive(), "Europe/Berlin", PlanVariant::Normal, at)
            .unwrap();
        let sets = vec![
            set("banded_df_mob", Side::Left, 0, 1, at + Duration::minutes(5)),
            set(
                "banded_df_mob",
                Side::Right,
                0,
                0,
                at + Duration::minutes(7),
            ),
        ];
        store
            .finish_session(session.id, &sets, at + Duration::minutes(20))
            .unwrap();
    }
    store
        .add_rom(Side::Left, 9.5, t0(), "Europe/Berlin", t0())
        .unwrap();
    store
        .set_drill_level(
            "banded_df_mob",
            Some(Side::Left),
            1,
            t0() + Duration::days(4),
        )
        .unwrap();
}

#[test]
fn export_import_gives_the_same_history_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    sample_history(&a);
    let segment = a.segment_for_peer(b.device_id()).unwrap();
    assert!(segment.ops().len() > 20);
    let now = t0() + Duration::days(6);
    let first = b.import_segment(&segment, now).unwrap();
    assert_eq!(first.new_ops, segment.ops().len());
    assert!(first.unstorable.is_empty(), "{:?}", first.unstorable);
    assert_eq!(history(&a), history(&b));
    assert_eq!(a.settings().unwrap(), b.settings().unwrap());

    let ops_before = b.op_count().unwrap();
    let again = b.import_segment(&segment, now).unwrap();
    assert_eq!(again.new_ops, 0);
    assert_eq!(again.entities_written, 0);
    assert_eq!(b.op_count().unwrap(), ops_before);
    assert_eq!(history(&a), history(&b));

    // B now relays nothing new to A, and A knows what B has seen.
    b.import_segment(&a.segment_for_peer(b.device_id()).unwrap(), now)
        .unwrap();
    a.import_segment(&b.segment_for_peer(a.device_id()).unwrap(), now)
        .unwrap();
    assert!(a.segment_for_peer(b.device_id()).unwrap().ops().is_empty());
    assert_eq!(b.integrity_check().unwrap(), "ok");
}

/// Device `a` with the sample history, and `b` holding it too plus a check-in of its own:
/// one profile with one device's ops, one with two devices' ops.
fn two_devices(dir: &tempfile::TempDir) -> (Store, Store) {
    let (a, b) = (open(dir, "a"), open(dir, "b"));
    sample_history(&a);
    exchange(&a, &b, t0() + Duration::days(6));
    b.add_checkin(
        &checkin(t0() + Duration::days(6), 3),
        t0() + Duration::days(6),
    )
    .unwrap();
    (a, b)
}

#[test]
fn encoded_segments_from_the_op_log_are_the_encoded_segments() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_devices(&dir);
    let half = a.sync_seen().unwrap();
    for store in [&a, &b] {
        for since in [VersionVector::new(), half.clone()] {
            let encoded = store.encoded_segment_since(&since, 7).unwrap();
            let segment = store.segment_since(&since).unwrap().with_catalog_version(7);
            assert_eq!(encoded.bytes, encode_segment(&segment));
            assert_eq!(encoded.op_count, segment.ops().len());
            assert_eq!(&encoded.top, segment.top());
        }
    }
    let for_a = b.encoded_segment_for_peer(a.device_id()).unwrap();
    assert_eq!(
        for_a.bytes,
        encode_segment(&b.segment_for_peer(a.device_id()).unwrap())
    );
}

#[test]
fn concurrent_setting_edits_converge_on_the_later_write() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    let on_a = Settings {
        locale: "de".into(),
        ..Settings::default()
    };
    a.put_settings(&on_a, t0()).unwrap();
    let on_b = Settings {
        locale: "en".into(),
        rom_mdc_cm: 2.5,
        ..Settings::default()
    };
    b.put_settings(&on_b, t0() + Duration::minutes(1)).unwrap();
    exchange(&a, &b, t0() + Duration::minutes(2));
    assert_eq!(a.settings().unwrap(), b.settings().unwrap());
    assert_eq!(a.settings().unwrap().locale, "en");
    assert_eq!(a.settings().unwrap().rom_mdc_cm, 2.5);
}

#[test]
fn the_same_health_record_on_two_devices_is_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    let start = t0() + Duration::hours(2);
    a.upsert_run(&run("hk-1", start, 95, 18000.0), start + Duration::hours(2))
        .unwrap();
    // The tablet got a corrected distance for the same record a bit later.
    b.upsert_run(&run("hk-1", start, 95, 18250.0), start + Duration::hours(3))
        .unwrap();
    exchange(&a, &b, start + Duration::hours(4));
    let runs_a = history(&a).runs;
    assert_eq!(runs_a.len(), 1);
    assert_eq!(runs_a[0].record.distance_m, 18250.0);
    assert_eq!(runs_a, history(&b).runs);
}

#[test]
fn an_edit_after_a_delete_keeps_the_run_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    let start = t0();
    let (stored, _) = a
        .upsert_run(&run("hk-2", start, 50, 9000.0), start + Duration::hours(1))
        .unwrap();
    exchange(&a, &b, start + Duration::hours(1));
    a.delete_run(stored.id, start + Duration::hours(2)).unwrap();
    let mut tagged = run("hk-2", start, 50, 9000.0);
    tagged.tags = vec!["long".into()];
    b.upsert_run(&tagged, start + Duration::hours(3)).unwrap();
    let to_a = b.segment_for_peer(a.device_id()).unwrap();
    let report = a.import_segment(&to_a, start + Duration::hours(4)).unwrap();
    assert!(
        report.conflicts.iter().any(|c| matches!(
            c,
            talus_core::sync::ConflictReport::EditBeatDelete {
                entity: EntityKind::Run,
                ..
            }
        )),
        "{report:?}"
    );
    exchange(&a, &b, start + Duration::hours(5));
    assert_eq!(history(&a).runs, history(&b).runs);
    assert_eq!(history(&a).runs[0].record.tags, vec!["long".to_string()]);
}

#[test]
fn a_deleted_session_is_deleted_everywhere_with_its_sets() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    sample_history(&a);
    exchange(&a, &b, t0() + Duration::days(6));
    let victim = history(&b).sessions[0].id;
    b.delete_session(victim, t0() + Duration::days(7)).unwrap();
    exchange(&a, &b, t0() + Duration::days(7));
    assert!(history(&a).sessions.iter().all(|s| s.id != victim));
    assert_eq!(history(&a), history(&b));
}

#[test]
fn folder_exchange_between_three_devices_skips_debris() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    let devices = [open(&dir, "phone"), open(&dir, "tablet"), open(&dir, "old")];
    for (i, d) in devices.iter().enumerate() {
        let at = t0() + Duration::hours(i as i64);
        d.add_checkin(&checkin(at, i as i64), at).unwrap();
        d.add_rom(Side::Right, 8.0 + i as f64, at, "Europe/Berlin", at)
            .unwrap();
    }
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(
        shared.join("half-downloaded.talseg"),
        b"TALS\x00\x01garbage",
    )
    .unwrap();
    std::fs::write(shared.join("desktop.ini"), b"[.ShellClassInfo]").unwrap();
    let now = t0() + Duration::days(1);
    let mut rejected = 0;
    for _round in 0..2 {
        for d in &devices {
            let report = d.sync_folder(&shared, now).unwrap();
            rejected += report.rejected.len();
        }
    }
    assert!(rejected >= 1, "the corrupt file must be reported");
    let first = history(&devices[0]);
    assert_eq!(first.checkins.len(), 3);
    assert_eq!(first.rom.len(), 3);
    for d in &devices[1..] {
        assert_eq!(history(d), first);
    }
    // A quiet round writes nothing new.
    for d in &devices {
        assert_eq!(d.sync_folder(&shared, now).unwrap().written, None);
    }
}

#[test]
fn backup_restores_the_same_history_on_a_fresh_install() {
    let dir = tempfile::tempdir().unwrap();
    let a = open(&dir, "a");
    sample_history(&a);
    let backup_dir = dir.path().join("backup");
    a.write_backup(&backup_dir, 7).unwrap();
    let fresh = open(&dir, "fresh");
    let report = fresh
        .restore_backup(&backup_dir, t0() + Duration::days(9))
        .unwrap();
    assert!(report.unstorable.is_empty());
    assert_eq!(history(&fresh), history(&a));
    assert_eq!(fresh.settings().unwrap(), a.settings().unwrap());
    assert_eq!(fresh.drill_levels().unwrap(), a.drill_levels().unwrap());

    // A tampered backup is refused as a whole.
    let other = open(&dir, "other");
    let file = std::fs::read_dir(&backup_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    assert!(other.restore_backup(&backup_dir, t0()).is_err());
    assert!(history(&other).checkins.is_empty());
}

fn foreign_segment(device: Uuid, ops: Vec<Op>) -> Segment {
    let top: VersionVector = [(device, ops.iter().map(|o| o.stamp.hlc).max().unwrap())]
        .into_iter()
        .collect();
    Segment::new(device, VersionVector::new(), top, ops).unwrap()
}

#[test]
fn bad_values_from_a_peer_are_reported_and_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let b = open(&dir, "b");
    let peer = Uuid::from_u128(42);
    let stamp = |ms: u64| Stamp {
        hlc: Hlc {
            wall_ms: ms,
            counter: 0,
        },
        device: peer,
    };
    let good = checkin(t0(), 2);
    let mut good_fields = serde_json::to_value(&good).unwrap();
    let mut bad_fields = good_fields.clone();
    bad_fields["pain"]["calf"] = json!(11);
    bad_fields["id"] = json!(Uuid::from_u128(7).to_string());
    good_fields["zone"] = json!("Europe/Berlin");
    let base_ms = t0().timestamp_millis() as u64;
    let ops = vec![
        Op {
            stamp: stamp(base_ms),
            entity: EntityKind::CheckIn,
            id: good.id,
            action: OpAction::Put {
                fields: good_fields.as_object().unwrap().clone(),
            },
        },
        Op {
            stamp: stamp(base_ms + 1),
            entity: EntityKind::CheckIn,
            id: Uuid::from_u128(7),
            action: OpAction::Put {
                fields: bad_fields.as_object().unwrap().clone(),
            },
        },
    ];
    let report = b.import_segment(&foreign_segment(peer, ops), t0()).unwrap();
    assert_eq!(report.unstorable.len(), 1, "{report:?}");
    let stored = history(&b).checkins;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, good.id);
    assert_eq!(b.integrity_check().unwrap(), "ok");
}

#[test]
fn a_deleted_session_edited_later_by_a_peer_comes_back_with_its_sets() {
    let dir = tempfile::tempdir().unwrap();
    let a = open(&dir, "a");
    let day = t0().date_naive();
    let s = a
        .create_session(day, "UTC", PlanVariant::Normal, t0())
        .unwrap();
    let sets = [
        set("ankle_pumps_seated", Side::Left, 0, 1, t0()),
        set("ankle_pumps_seated", Side::Right, 1, 2, t0()),
    ];
    a.finish_session(s.id, &sets, t0() + Duration::minutes(10))
        .unwrap();
    let before = a.session(s.id).unwrap();
    a.delete_session(s.id, t0() + Duration::hours(1)).unwrap();
    assert!(a.session(s.id).is_err());
    // A peer that never saw the delete edits the session afterwards: the edit wins and the
    // session comes back with the sets its ops still hold.
    let peer = Uuid::from_u128(43);
    let edit = Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: (t0() + Duration::hours(2)).timestamp_millis() as u64,
                counter: 0,
            },
            device: peer,
        },
        entity: EntityKind::Session,
        id: s.id,
        action: OpAction::Set {
            field: "zone".into(),
            value: json!("Europe/Berlin"),
        },
    };
    a.import_segment(
        &foreign_segment(peer, vec![edit]),
        t0() + Duration::hours(3),
    )
    .unwrap();
    let back = a.session(s.id).unwrap();
    assert_eq!(back.zone, "Europe/Berlin");
    assert_eq!(back.sets, before.sets);
}

#[test]
fn a_far_future_clock_is_reported_and_not_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let b = open(&dir, "b");
    let peer = Uuid::from_u128(43);
    let future = (t0() + Duration::days(400)).timestamp_millis() as u64;
    let c = checkin(t0(), 1);
    let ops = vec![Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: future,
                counter: 0,
            },
            device: peer,
        },
        entity: EntityKind::CheckIn,
        id: c.id,
        action: OpAction::Put {
            fields: serde_json::to_value(&c)
                .unwrap()
                .as_object()
                .unwrap()
                .clone(),
        },
    }];
    let report = b.import_segment(&foreign_segment(peer, ops), t0()).unwrap();
    assert_eq!(report.drift.len(), 1);
    assert_eq!(report.drift[0].device, Some(peer));
    // The check-in is kept (nothing is lost) but this device's clock stays in the present.
    assert_eq!(history(&b).checkins.len(), 1);
    b.add_rom(
        Side::Left,
        10.0,
        t0(),
        "Europe/Berlin",
        t0() + Duration::minutes(1),
    )
    .unwrap();
    let own_top = b.sync_seen().unwrap().get(&b.device_id());
    assert!(own_top.wall_ms < future);
    let _ = encode_segment(&b.segment_since(&VersionVector::new()).unwrap());
}

#[derive(Debug, Clone)]
enum Step {
    CheckIn {
        device: usize,
        pain: u8,
    },
    Run {
        device: usize,
        ext: u8,
        minutes: u16,
    },
    DeleteRun {
        device: usize,
        ext: u8,
    },
    Rom {
        device: usize,
        cm: u8,
    },
    Settings {
        device: usize,
        mdc_tenths: u8,
    },
    Exchange {
        from: usize,
        to: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..=10u8).prop_map(|(device, pain)| Step::CheckIn { device, pain }),
        (0..3usize, 0..4u8, 20..200u16).prop_map(|(device, ext, minutes)| Step::Run {
            device,
            ext,
            minutes
        }),
        (0..3usize, 0..4u8).prop_map(|(device, ext)| Step::DeleteRun { device, ext }),
        (0..3usize, 0..30u8).prop_map(|(device, cm)| Step::Rom { device, cm }),
        (0..3usize, 5..40u8).prop_map(|(device, mdc_tenths)| Step::Settings { device, mdc_tenths }),
        (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Exchange { from, to }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn three_profiles_converge(steps in proptest::collection::vec(step(), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let devices = [open(&dir, "a"), open(&dir, "b"), open(&dir, "c")];
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for (i, s) in steps.iter().enumerate() {
            let now = start + Duration::minutes(i as i64);
            match s {
                Step::CheckIn { device, pain } => {
                    devices[*device].add_checkin(&checkin(now, i64::from(*pain)), now).unwrap();
                }
                Step::Run { device, ext, minutes } => {
                    let start = day.and_hms_opt(6, 0, 0).unwrap().and_utc();
                    devices[*device]
                        .upsert_run(&run(&format!("x{ext}"), start, i64::from(*minutes), 1000.0), now)
                        .unwrap();
                }
                Step::DeleteRun { device, ext } => {
                    let id = talus_core::store::run_id(&run(&format!("x{ext}"), start, 1, 0.0));
                    // Deleting a run this device does not hold is a NotFound, and changes nothing.
                    let _ = devices[*device].delete_run(id, now);
                }
                Step::Rom { device, cm } => {
                    devices[*device].add_rom(Side::Left, f64::from(*cm), now, "UTC", now).unwrap();
                }
                Step::Settings { device, mdc_tenths } => {
                    let mut settings = devices[*device].settings().unwrap();
                    settings.rom_mdc_cm = f64::from(*mdc_tenths) / 10.0;
                    devices[*device].put_settings(&settings, now).unwrap();
                }
                Step::Exchange { from, to } if from != to => {
                    let segment = devices[*from].segment_for_peer(devices[*to].device_id()).unwrap();
                    devices[*to].import_segment(&segment, now).unwrap();
                }
                Step::Exchange { .. } => {}
            }
        }
        let end = start + Duration::hours(1);
        for _ in 0..2 {
            for from in 0..3 {
                for to in 0..3 {
                    if from != to {
                        let segment = devices[from].segment_for_peer(devices[to].device_id()).unwrap();
                        devices[to].import_segment(&segment, end).unwrap();
                    }
                }
            }
        }
        let first = history(&devices[0]);
        for d in &devices[1..] {
            prop_assert_eq!(&history(d), &first);
            prop_assert_eq!(d.settings().unwrap(), devices[0].settings().unwrap());
            prop_assert_eq!(d.op_count().unwrap(), devices[0].op_count().unwrap());
        }
    }
}

/// Two devices, each publishing only what it wrote since its last segment (as folder sync
/// does): a receiver that gets them newest first holds the later range aside, persists it
/// across a reopen, and absorbs it once the older segment arrives.
#[test]
fn a_segment_past_a_gap_is_kept_across_reopen_and_absorbed_when_the_gap_fills() {
    let dir = tempfile::tempdir().unwrap();
    let a = open(&dir, "a");
    let b_path = dir.path().join("b.db");
    let b = open(&dir, "b");
    a.add_checkin(&checkin(t0(), 1), t0()).unwrap();
    let first = a.segment_since(&VersionVector::new()).unwrap();
    let later = t0() + Duration::hours(1);
    a.add_checkin(&checkin(later, 2), later).unwrap();
    let second = a.segment_since(first.top()).unwrap();
    assert!(
        !second.base().is_empty(),
        "the second segment starts past the first"
    );

    // Newest first: its ops are stored, the watermark does not move past the gap.
    let report = b.import_segment(&second, later).unwrap();
    assert_eq!(report.new_ops, 1);
    assert_eq!(history(&b).checkins.len(), 1);
    assert_eq!(b.sync_seen().unwrap().get(&a.device_id()), Hlc::default());
    drop(b);
    let catalog = Catalog::embedded().unwrap();
    let b = Store::open(&b_path, &catalog, later).unwrap().0;
    // The pending range survived the reopen: filling the gap moves the watermark to the end.
    b.import_segment(&first, later).unwrap();
    assert_eq!(
        b.sync_seen().unwrap().get(&a.device_id()),
        second.top().get(&a.device_id())
    );
    assert_eq!(history(&b), history(&a));
    // Duplicates change nothing.
    let again = b.import_segment(&second, later).unwrap();
    assert_eq!(again.new_ops, 0);
    assert_eq!(history(&b), history(&a));
}

/// A cloud folder where one device's older file has not arrived yet: the other files, from
/// every device, are imported anyway; when the file arrives the gap closes.
#[test]
fn a_missing_older_file_does_not_block_the_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    let (a, b, c) = (open(&dir, "a"), open(&dir, "b"), open(&dir, "c"));
    b.add_rom(Side::Left, 9.0, t0(), "UTC", t0()).unwrap();
    b.sync_folder(&shared, t0()).unwrap();
    a.add_checkin(&checkin(t0(), 1), t0()).unwrap();
    let first = a.sync_folder(&shared, t0()).unwrap().written.unwrap();
    let later = t0() + Duration::hours(1);
    a.add_checkin(&checkin(later, 2), later).unwrap();
    a.sync_folder(&shared, later).unwrap().written.unwrap();
    let parked = dir.path().join("parked.talseg");
    std::fs::rename(&first, &parked).unwrap();

    let report = c.sync_folder(&shared, later).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let h = history(&c);
    assert_eq!(h.checkins.len(), 1, "a's newer check-in arrived");
    assert_eq!(h.rom.len(), 1, "b's file arrived too");

    std::fs::rename(&parked, &first).unwrap();
    c.sync_folder(&shared, later).unwrap();
    assert_eq!(history(&c).checkins.len(), 2);
    assert_eq!(
        c.sync_seen().unwrap().get(&a.device_id()),
        a.sync_seen().unwrap().get(&a.device_id())
    );
}

#[derive(Debug, Clone)]
enum Lossy {
    Write { device: usize, pain: u8 },
    Delete { device: usize },
    Publish { device: usize },
    Deliver { file: usize, to: usize },
}

fn lossy_step() -> impl Strategy<Value = Lossy> {
    prop_oneof![
        (0..3usize, 0..=10u8).prop_map(|(device, pain)| Lossy::Write { device, pain }),
        (0..3usize).prop_map(|device| Lossy::Delete { device }),
        (0..3usize).prop_map(|device| Lossy::Publish { device }),
        (0..64usize, 0..3usize).prop_map(|(file, to)| Lossy::Deliver { file, to }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Devices publish incremental segments (only what is new since their last one) into a
    /// channel that delivers any of them, in any order, any number of times, or never. Then
    /// a fresh install restores from a backup with files missing. After the devices resend
    /// what their peers lack, all four profiles hold the same history and op-log.
    #[test]
    fn profiles_converge_over_lossy_reordering_delivery_and_partial_backups(
        steps in proptest::collection::vec(lossy_step(), 1..40),
        backup_from in 0..3usize,
        drop_mask in any::<u8>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let devices = [open(&dir, "a"), open(&dir, "b"), open(&dir, "c")];
        let mut published = [VersionVector::new(), VersionVector::new(), VersionVector::new()];
        let mut channel: Vec<Segment> = Vec::new();
        let mut last_checkin: [Option<Uuid>; 3] = [None; 3];
        for (i, s) in steps.iter().enumerate() {
            let now = t0() + Duration::minutes(i as i64);
            match s {
                Lossy::Write { device, pain } => {
                    let c = checkin(now, i64::from(*pain));
                    devices[*device].add_checkin(&c, now).unwrap();
                    last_checkin[*device] = Some(c.id);
                }
                Lossy::Delete { device } => {
                    let run = run(&format!("r{i}"), now, 30, 5000.0);
                    let (stored, _) = devices[*device].upsert_run(&run, now).unwrap();
                    devices[*device].delete_run(stored.id, now).unwrap();
                }
                Lossy::Publish { device } => {
                    let segment = devices[*device].segment_since(&published[*device]).unwrap();
                    if !segment.ops().is_empty() {
                        published[*device] = segment.top().clone();
                        channel.push(segment);
                    }
                }
                Lossy::Deliver { file, to } => {
                    if !channel.is_empty() {
                        let segment = &channel[*file % channel.len()];
                        devices[*to].import_segment(segment, now).unwrap();
                    }
                }
            }
        }
        // A partial backup: some of its files never made it.
        let backup = dir.path().join("backup");
        devices[backup_from].write_backup(&backup, 1).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&backup).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for (i, f) in files.iter().enumerate() {
            if drop_mask & (1 << (i % 8)) != 0 {
                std::fs::remove_file(f).unwrap();
            }
        }
        let restored = open(&dir, "restored");
        restored.restore_backup(&backup, t0() + Duration::hours(1)).unwrap();
        let all = [&devices[0], &devices[1], &devices[2], &restored];
        let end = t0() + Duration::hours(2);
        for _ in 0..2 {
            for from in all {
                for to in all {
                    if from.device_id() != to.device_id() {
                        let segment = from.segment_for_peer(to.device_id()).unwrap();
                        to.import_segment(&segment, end).unwrap();
                    }
                }
            }
        }
        let first = history(all[0]);
        for d in &all[1..] {
            prop_assert_eq!(&history(d), &first);
            prop_assert_eq!(d.op_count().unwrap(), all[0].op_count().unwrap());
        }
        // Every acknowledged check-in made it everywhere.
        for id in last_checkin.iter().flatten() {
            prop_assert!(first.checkins.iter().any(|c| c.id == *id));
        }
    }
}

/// A sealed segment whose watermarks claim the far future (a broken or forged writer) is
/// clamped and reported: the receiver does not mark future ops as seen, and the claimed
/// device keeps exporting its new writes both ways.
#[test]
fn far_future_watermark_claims_are_clamped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    a.add_checkin(&checkin(t0(), 1), t0()).unwrap();
    let honest = a.segment_since(&VersionVector::new()).unwrap();
    let far = Hlc {
        wall_ms: (t0() + Duration::days(3650)).timestamp_millis() as u64,
        counter: 0,
    };
    let forged_top: VersionVector = [(a.device_id(), far)].into_iter().collect();
    let forged = Segment::new(
        a.device_id(),
        VersionVector::new(),
        forged_top,
        honest.ops().to_vec(),
    )
    .unwrap();
    let report = b.import_segment(&forged, t0()).unwrap();
    assert_eq!(report.drift.len(), 1, "{report:?}");
    assert_eq!(report.drift[0].device, Some(a.device_id()));
    assert!(b.sync_seen().unwrap().get(&a.device_id()) < far);

    // b's segment to a now carries the clamped claim; a still sends its next write.
    exchange(&b, &a, t0());
    let later = t0() + Duration::hours(1);
    a.add_checkin(&checkin(later, 2), later).unwrap();
    exchange(&a, &b, later);
    assert_eq!(history(&b).checkins.len(), 2);

    // A peer claiming to have seen a's ops far beyond a's own clock is not believed.
    let lie_top: VersionVector = [(a.device_id(), far)].into_iter().collect();
    let lie = Segment::new(b.device_id(), VersionVector::new(), lie_top, vec![]);
    let lie = lie.unwrap();
    a.import_segment(&lie, later).unwrap();
    let last = later + Duration::hours(1);
    a.add_checkin(&checkin(last, 3), last).unwrap();
    let to_b = a.segment_for_peer(b.device_id()).unwrap();
    assert!(to_b
        .ops()
        .iter()
        .any(|op| op.stamp.hlc.wall_ms == last.timestamp_millis() as u64));
}

/// Folder sync remembers what it read (name, size, digest): a second pass reads nothing;
/// this device's temp leftovers are removed (not other devices'); symbolic links and FIFOs
/// named like segments are reported with the reason, and the other files still sync.
#[cfg(unix)]
#[test]
fn folder_sync_reads_only_new_files_cleans_its_temp_files_and_reports_skips() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    for i in 0..3 {
        let at = t0() + Duration::hours(i);
        a.add_checkin(&checkin(at, i), at).unwrap();
        a.sync_folder(&shared, at).unwrap();
    }
    let mine_dead = shared.join(format!(".{}-x.talseg.999999999.tmp", b.device_id()));
    let others = shared.join(format!(".{}-x.talseg.999999999.tmp", a.device_id()));
    std::fs::write(&mine_dead, b"partial").unwrap();
    std::fs::write(&others, b"partial").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", shared.join("link.talseg")).unwrap();
    let fifo = shared.join("pipe.talseg");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let have_fifo = made.is_ok_and(|s| s.success());

    let first = b.sync_folder(&shared, t0() + Duration::hours(4)).unwrap();
    assert_eq!(first.imported.segments, 3);
    assert_eq!(history(&b).checkins.len(), 3);
    assert_eq!(first.cleaned, vec![mine_dead.clone()]);
    assert!(!mine_dead.exists() && others.exists());
    let reasons: Vec<&str> = first.rejected.iter().map(|(_, r)| r.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains("symbolic link")),
        "{reasons:?}"
    );
    if have_fifo {
        assert!(reasons.iter().any(|r| r.contains("FIFO")), "{reasons:?}");
    }

    let second = b.sync_folder(&shared, t0() + Duration::hours(5)).unwrap();
    assert_eq!(second.imported.segments, 0);
    assert_eq!(second.unchanged, 4, "a's three files and b's own file");
    assert_eq!(second.written, None);
}

/// One device's change in [`the_import_fast_path_matches_the_general_merge`].
#[derive(Debug, Clone)]
enum Change {
    Session {
        device: usize,
        pain: u8,
    },
    DeleteSession {
        device: usize,
        nth: u8,
    },
    CheckIn {
        device: usize,
        pain: u8,
    },
    Run {
        device: usize,
        ext: u8,
        minutes: u16,
    },
    DeleteRun {
        device: usize,
        ext: u8,
    },
    Settings {
        device: usize,
        mdc_tenths: u8,
    },
    Exchange {
        from: usize,
        to: usize,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0..3usize, 0..=4u8).prop_map(|(device, pain)| Change::Session { device, pain }),
        (0..3usize, 0..4u8).prop_map(|(device, nth)| Change::DeleteSession { device, nth }),
        (0..3usize, 0..=10u8).prop_map(|(device, pain)| Change::CheckIn { device, pain }),
        (0..3usize, 0..3u8, 20..200u16).prop_map(|(device, ext, minutes)| Change::Run {
            device,
            ext,
            minutes
        }),
        (0..3usize, 0..3u8).prop_map(|(device, ext)| Change::DeleteRun { device, ext }),
        (0..3usize, 5..40u8)
            .prop_map(|(device, mdc_tenths)| Change::Settings { device, mdc_tenths }),
        (0..3usize, 0..3usize).prop_map(|(from, to)| Change::Exchange { from, to }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// A fresh profile importing random histories merges the entities new to it straight
    /// from the segments (the import's fast path) and the rest from the op-log (the
    /// general merge). Rebuilding every table from its op-log (the repair, which merges
    /// every entity the general way) must give the same history, and so must a profile
    /// that took the same segments in the opposite order.
    #[test]
    fn the_import_fast_path_matches_the_general_merge(
        changes in proptest::collection::vec(change(), 1..24)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let devices = [open(&dir, "a"), open(&dir, "b"), open(&dir, "c")];
        let start = t0();
        let day = start.date_naive();
        let mut sessions: [Vec<Uuid>; 3] = Default::default();
        for (i, c) in changes.iter().enumerate() {
            let now = start + Duration::minutes(i as i64);
            match c {
                Change::Session { device, pain } => {
                    let s = devices[*device]
                        .create_session(day, "UTC", PlanVariant::Normal, now)
                        .unwrap();
                    let sets = [
                        set("ankle_pumps_seated", Side::Left, 0, i64::from(*pain), now),
                        set("ankle_pumps_seated", Side::Right, 1, 0, now),
                    ];
                    devices[*device].finish_session(s.id, &sets, now).unwrap();
                    sessions[*device].push(s.id);
                }
                Change::DeleteSession { device, nth } => {
                    let held: Vec<Uuid> = sessions.iter().flatten().copied().collect();
                    if let Some(id) = held.get(usize::from(*nth)) {
                        // A session this device has not received is a NotFound.
                        let _ = devices[*device].delete_session(*id, now);
                    }
                }
                Change::CheckIn { device, pain } => {
                    devices[*device].add_checkin(&checkin(now, i64::from(*pain)), now).unwrap();
                }
                Change::Run { device, ext, minutes } => {
                    let at = day.and_hms_opt(6, 0, 0).unwrap().and_utc();
                    devices[*device]
                        .upsert_run(&run(&format!("x{ext}"), at, i64::from(*minutes), 1000.0), now)
                        .unwrap();
                }
                Change::DeleteRun { device, ext } => {
                    let at = day.and_hms_opt(6, 0, 0).unwrap().and_utc();
                    let id = talus_core::store::run_id(&run(&format!("x{ext}"), at, 1, 0.0));
                    let _ = devices[*device].delete_run(id, now);
                }
                Change::Settings { device, mdc_tenths } => {
                    let mut settings = devices[*device].settings().unwrap();
                    settings.rom_mdc_cm = f64::from(*mdc_tenths) / 10.0;
                    devices[*device].put_settings(&settings, now).unwrap();
                }
                Change::Exchange { from, to } if from != to => {
                    let segment = devices[*from].segment_for_peer(devices[*to].device_id()).unwrap();
                    devices[*to].import_segment(&segment, now).unwrap();
                }
                Change::Exchange { .. } => {}
            }
        }
        let end = start + Duration::hours(1);
        let everything: Vec<Vec<u8>> = devices
            .iter()
            .map(all_bytes)
            .collect();
        let fresh = open(&dir, "fresh");
        for bytes in &everything {
            fresh.import_segment_bytes(bytes, end).unwrap();
        }
        let reversed = open(&dir, "reversed");
        for bytes in everything.iter().rev() {
            reversed.import_segment_bytes(bytes, end).unwrap();
        }
        let imported = history(&fresh);
        prop_assert_eq!(&history(&reversed), &imported);
        prop_assert_eq!(reversed.settings().unwrap(), fresh.settings().unwrap());
        drop(fresh);
        std::fs::write(dir.path().join("fresh.db-needs-check"), b"").unwrap();
        let catalog = Catalog::embedded().unwrap();
        let (rebuilt, report) = Store::open(&dir.path().join("fresh.db"), &catalog, end).unwrap();
        prop_assert!(report.repaired, "{:?}", report);
        prop_assert_eq!(&history(&rebuilt), &imported);
        prop_assert_eq!(rebuilt.settings().unwrap(), reversed.settings().unwrap());
    }
}

/// `segment_since` is made from the op-log's records without decoding them; the bytes must
/// be exactly what encoding its ops, decoded one by one, gives (one device's ops streamed
/// from the log, and several devices' ops gathered and put in stamp order).
#[test]
fn segments_from_records_equal_segments_encoded_from_their_decoded_ops() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    sample_history(&a);
    b.add_checkin(
        &checkin(t0() + Duration::hours(1), 2),
        t0() + Duration::hours(1),
    )
    .unwrap();
    exchange(&a, &b, t0() + Duration::days(6));
    b.add_checkin(
        &checkin(t0() + Duration::days(6), 3),
        t0() + Duration::days(6),
    )
    .unwrap();
    let half = a.sync_seen().unwrap();
    let mut devices_seen = Vec::new();
    for store in [&a, &b] {
        for since in [VersionVector::new(), half.clone()] {
            let encoded = store.encoded_segment_since(&since, 7).unwrap();
            let lazy = store.segment_since(&since).unwrap();
            let ops = lazy.ops().to_vec();
            devices_seen.push(
                ops.iter()
                    .map(|o| o.stamp.device)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
            );
            let rebuilt = Segment::new(
                store.device_id(),
                lazy.base().clone(),
                lazy.top().clone(),
                ops,
            )
            .unwrap()
            .with_catalog_version(7);
            assert_eq!(encoded.bytes, encode_segment(&rebuilt));
            assert_eq!(encoded.op_count, rebuilt.ops().len());
        }
    }
    // Both cases were exercised.
    assert!(
        devices_seen.contains(&1) && devices_seen.contains(&2),
        "{devices_seen:?}"
    );
}

/// Damaged or tampered segment bytes (a byte changed, the digest recomputed so the body
/// parser is reached) imported into a fresh profile: refused whole, changing nothing, or
/// accepted with the same history the decoded segment gives through the general path.
#[test]
fn tampered_segment_bytes_import_whole_or_not_at_all() {
    use talus_core::sync::{decode_segment, seal_segment};
    let dir = tempfile::tempdir().unwrap();
    let a = open(&dir, "a");
    sample_history(&a);
    let bytes = all_bytes(&a);
    let content = &bytes[..bytes.len() - 32];
    let now = t0() + Duration::days(7);
    let mut refused = 0;
    for (n, i) in (72..content.len()).step_by(173).enumerate() {
        let mut bad = content.to_vec();
        bad[i] = bad[i].wrapping_add(0x41);
        let bad = seal_segment(&bad);
        let store = open(&dir, &format!("t{n}"));
        match store.import_segment_bytes(&bad, now) {
            Err(_) => {
                refused += 1;
                assert_eq!(store.op_count().unwrap(), 0);
                assert_eq!(history(&store), history(&open(&dir, &format!("e{n}"))));
            }
            Ok(_) => {
                let general = open(&dir, &format!("g{n}"));
                general
                    .import_segment(&decode_segment(&bad).unwrap(), now)
                    .unwrap();
                assert_eq!(history(&store), history(&general));
                assert_eq!(store.op_count().unwrap(), general.op_count().unwrap());
            }
        }
    }
    assert!(refused > 0, "no change was refused");
}

/// The `i`th set [`session_with_sets`] sends (the odd ones without pain, a hold or reps).
fn sent_set(i: usize) -> SetLog {
    let mut s = set(
        "ankle_pumps_seated",
        if i % 2 == 0 { Side::Left } else { Side::Right },
        i as u32,
        (i % 4) as i64,
        t0() + Duration::milliseconds(1500 * i as i64),
    );
    if i % 3 == 1 {
        s.pain = None;
        s.target_reps = None;
        s.target_hold_s = Some(30);
        s.hold_s_done = Some(i as u32 % 31);
        s.side = None;
        s.reason_code = Some("pain_free_limit_exceeded".into());
        s.note = Some(format!("note {i}"));
        s.stopped = true;
        s.stretch = i % 2 == 0;
    }
    s.level = (i % 5) as u32;
    s
}

/// A peer's session put and the puts of `n` sets in it (ids `first_set + i`, in id
/// order), as a peer that wrote them would send them.
fn session_with_sets(peer: Uuid, session: Uuid, first_set: u128, n: usize) -> Vec<Op> {
    let base_ms = t0().timestamp_millis() as u64;
    let stamp = |i: u64| Stamp {
        hlc: Hlc {
            wall_ms: base_ms + i,
            counter: 0,
        },
        device: peer,
    };
    let session_fields = json!({
        "planned_for": "2026-03-02",
        "zone": "UTC",
        "status": "finished",
        "variant": "normal",
        "started_at": t0(),
        "ended_at": t0() + Duration::hours(1),
    });
    let mut ops = vec![Op {
        stamp: stamp(0),
        entity: EntityKind::Session,
        id: session,
        action: OpAction::Put {
            fields: session_fields.as_object().unwrap().clone(),
        },
    }];
    for i in 0..n {
        let mut fields = serde_json::to_value(sent_set(i)).unwrap();
        fields["session_id"] = json!(session.to_string());
        ops.push(Op {
            stamp: stamp(1 + i as u64),
            entity: EntityKind::SetLog,
            id: Uuid::from_u128(first_set + i as u128),
            action: OpAction::Put {
                fields: fields.as_object().unwrap().clone(),
            },
        });
    }
    ops
}

/// New sets are written several to a statement. Among them, sets whose values this build
/// refuses (a pain of 11; no session field) and a set whose session never arrived are
/// reported or skipped one by one, in id order, as a set written on its own is; every
/// other set is stored.
#[test]
fn new_sets_written_together_are_stored_or_reported_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let b = open(&dir, "b");
    let peer = Uuid::from_u128(42);
    let session = Uuid::from_u128(0x5e55);
    let n = 100;
    let mut ops = session_with_sets(peer, session, 1000, n);
    // ops[1 + i] is set 1000 + i.
    if let OpAction::Put { fields } = &mut ops[1 + 5].action {
        fields.insert("pain".into(), json!(11));
    }
    if let OpAction::Put { fields } = &mut ops[1 + 40].action {
        fields.remove("session_id");
    }
    if let OpAction::Put { fields } = &mut ops[1 + 41].action {
        fields.insert(
            "session_id".into(),
            json!(Uuid::from_u128(0xdead).to_string()),
        );
    }
    let report = b.import_segment(&foreign_segment(peer, ops), t0()).unwrap();
    let refused: Vec<&str> = report
        .unstorable
        .iter()
        .map(|r| r.split(':').next().unwrap())
        .collect();
    assert_eq!(
        refused,
        [1005u128, 1040].map(|i| format!("set_log {}", Uuid::from_u128(i))),
        "{report:?}"
    );
    // The session and every set but the two refused (set 1041's session never came: it
    // waits in the op-log, as a set of a deleted session does).
    assert_eq!(report.entities_written, 1 + n - 2);
    let h = history(&b);
    assert_eq!(h.sessions.len(), 1);
    let mut stored = h.sessions[0].sets.clone();
    stored.sort_by_key(|s| s.set_index);
    let expected: Vec<SetLog> = (0..n)
        .filter(|i| ![5, 40, 41].contains(i))
        .map(sent_set)
        .collect();
    assert_eq!(stored, expected);
    assert_eq!(b.integrity_check().unwrap(), "ok");
}

/// A constraint refusing one new set's row (its row already there, without its op: a
/// profile edited by hand) fails the import with that set's error, as writing it on its
/// own did, even when the set was written together with others: nothing is applied.
#[test]
fn a_constraint_refusing_one_of_the_new_sets_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = open(&dir, "b");
    let peer = Uuid::from_u128(42);
    let session = Uuid::from_u128(0x5e55);
    let ops = session_with_sets(peer, session, 1000, 100);
    let clash = Uuid::from_u128(1070);
    {
        let raw = talus_core::store::open_raw(b.path()).unwrap();
        raw.execute(
            "INSERT INTO session(id, planned_for, zone, status, variant) \
             VALUES (?1, '2026-03-02', 'UTC', 'finished', 'normal')",
            [session.to_string()],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO set_log(id, session_id, drill_id, set_index, level, stopped, skipped, at_ms) \
             VALUES (?1, ?2, 'calf_raise', 9, 1, 0, 0, 0)",
            [clash.to_string(), session.to_string()],
        )
        .unwrap();
    }
    let before = history(&b);
    let err = b
        .import_segment(&foreign_segment(peer, ops), t0())
        .unwrap_err();
    assert!(
        err.to_string().contains("UNIQUE constraint failed"),
        "{err}"
    );
    assert_eq!(history(&b), before);
    assert_eq!(before.sessions[0].sets.len(), 1);
    assert_eq!(b.sync_seen().unwrap().get(&peer), Hlc::default());
}

/// A year of history imported into a fresh profile (its new sets written several to a
/// statement) is the source's history, and the same as rebuilding every table from the
/// imported op-log (the repair, which merges and writes every entity one by one).
#[test]
fn a_year_imported_fresh_is_the_source_history_and_its_repair() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::embedded().unwrap();
    let a = open(&dir, "a");
    let spec = talus_core::store::FixtureSpec {
        start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        days: 40,
        zone: "Europe/London".into(),
        seed: 3,
    };
    talus_core::store::generate_history(&a, &catalog, &spec).unwrap();
    let victim = history(&a).sessions[3].id;
    let end = t0() + Duration::days(1);
    a.delete_session(victim, end).unwrap();
    let fresh = open(&dir, "fresh");
    let report = fresh
        .import_segment(&a.segment_since(&VersionVector::new()).unwrap(), end)
        .unwrap();
    assert!(report.unstorable.is_empty(), "{report:?}");
    let imported = history(&fresh);
    assert_eq!(imported, history(&a));
    assert!(
        imported
            .sessions
            .iter()
            .map(|s| s.sets.len())
            .sum::<usize>()
            > 1000
    );
    drop(fresh);
    std::fs::write(dir.path().join("fresh.db-needs-check"), b"").unwrap();
    let (rebuilt, open_report) = Store::open(&dir.path().join("fresh.db"), &catalog, end).unwrap();
    assert!(open_report.repaired, "{open_report:?}");
    assert_eq!(history(&rebuilt), imported);
}

/// Ops imported into an empty op-log are appended several to a statement; the log keeps
/// what adding them one by one keeps: of two ops with the same stamp, the first. The same
/// segment into a profile that already held an op (added one by one) stores the same.
#[test]
fn ops_appended_together_keep_what_one_by_one_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let (empty, holding) = (open(&dir, "empty"), open(&dir, "holding"));
    let peer = Uuid::from_u128(42);
    let base_ms = t0().timestamp_millis() as u64;
    let op = |i: u64, at: DateTime<Utc>, pain: i64| {
        let c = checkin(at, pain);
        Op {
            stamp: Stamp {
                hlc: Hlc {
                    wall_ms: base_ms + i,
                    counter: 0,
                },
                device: peer,
            },
            entity: EntityKind::CheckIn,
            id: c.id,
            action: OpAction::Put {
                fields: serde_json::to_value(&c)
                    .unwrap()
                    .as_object()
                    .unwrap()
                    .clone(),
            },
        }
    };
    let mut ops: Vec<Op> = (0..300)
        .map(|i| op(i, t0() + Duration::hours(i as i64), (i % 5) as i64))
        .collect();
    // A second op with the first op's stamp (another check-in): the log ignores it.
    ops.insert(1, op(0, t0() - Duration::days(3), 9));
    let other = Uuid::from_u128(43);
    let first = op(0, t0() - Duration::days(9), 1);
    let first = Op {
        stamp: Stamp {
            device: other,
            ..first.stamp
        },
        ..first
    };
    holding
        .import_segment(&foreign_segment(other, vec![first]), t0())
        .unwrap();
    let reports = [&empty, &holding].map(|store| {
        store
            .import_segment(&foreign_segment(peer, ops.clone()), t0())
            .unwrap()
    });
    for report in &reports {
        assert_eq!((report.ops, report.new_ops), (301, 300), "{report:?}");
    }
    let stored = history(&empty).checkins;
    assert_eq!(stored.len(), 300);
    assert!(stored.iter().all(|c| c.pain.calf.value() != 9));
    let mut held = history(&holding).checkins;
    held.retain(|c| c.at != t0() - Duration::days(9));
    assert_eq!(held, stored);
    let peer_ops = |store: &Store| {
        let vv: VersionVector = [(
            other,
            Hlc {
                wall_ms: u64::MAX,
                counter: u32::MAX,
            },
        )]
        .into_iter()
        .collect();
        store.segment_since(&vv).unwrap().ops().to_vec()
    };
    assert_eq!(peer_ops(&empty), peer_ops(&holding));
}

/// A set a peer moves to another session, and a set a peer deletes: the row leaves its old
/// session (sets are found by session, ADR 0016) and the history is what a profile that
/// takes every op at once stores.
#[test]
fn a_set_moved_or_deleted_by_a_peer_leaves_its_old_session() {
    let dir = tempfile::tempdir().unwrap();
    let (b, fresh) = (open(&dir, "b"), open(&dir, "fresh"));
    let peer = Uuid::from_u128(42);
    let (s1, s2) = (Uuid::from_u128(0x5e51), Uuid::from_u128(0x5e52));
    let first = session_with_sets(peer, s1, 1000, 3);
    b.import_segment(&foreign_segment(peer, first.clone()), t0())
        .unwrap();
    let later = |op: Op, n: u64| Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: op.stamp.hlc.wall_ms + 1000 + n,
                counter: 0,
            },
            ..op.stamp
        },
        ..op
    };
    // Session 2, set 1001 put again in session 2, set 1002 deleted.
    let mut moved = session_with_sets(peer, s2, 1001, 1);
    if let OpAction::Put { fields } = &mut moved[1].action {
        fields.insert("note".into(), json!("moved"));
    }
    let mut second: Vec<Op> = moved
        .into_iter()
        .enumerate()
        .map(|(n, op)| later(op, n as u64))
        .collect();
    second.push(later(
        Op {
            action: OpAction::Delete,
            ..first[3].clone()
        },
        9,
    ));
    let report = b
        .import_segment(&foreign_segment(peer, second.clone()), t0())
        .unwrap();
    assert!(report.unstorable.is_empty(), "{report:?}");
    let h = history(&b);
    let sets_of = |s: Uuid| -> Vec<(u32, Option<String>)> {
        h.sessions
            .iter()
            .find(|x| x.id == s)
            .unwrap()
            .sets
            .iter()
            .map(|x| (x.set_index, x.note.clone()))
            .collect()
    };
    assert_eq!(sets_of(s1), [(0, None)]);
    assert_eq!(sets_of(s2), [(0, Some("moved".into()))]);
    let all: Vec<Op> = first.into_iter().chain(second).collect();
    fresh
        .import_segment(&foreign_segment(peer, all), t0())
        .unwrap();
    assert_eq!(history(&fresh), h);
    assert_eq!(b.integrity_check().unwrap(), "ok");
}

/// A damaged op-log row (text that is no longer UTF-8, a record cut short, a field name
/// out of order) is refused by every export with a typed error, on the one-device path
/// (records streamed from the query) and the several-devices path (records gathered and
/// sorted); once the row is whole again the export is what it was.
#[test]
fn an_export_refuses_a_damaged_op_log_row() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_devices(&dir);
    for store in [&a, &b] {
        let whole = store
            .encoded_segment_since(&VersionVector::new(), 0)
            .unwrap();
        let raw = talus_core::store::open_raw(store.path()).unwrap();
        let (device, wall, counter, record): (String, i64, i64, Vec<u8>) = raw
            .query_row(
                "SELECT device, hlc_wall_ms, hlc_counter, op FROM op_log \
                 WHERE entity = 'set_log' ORDER BY hlc_wall_ms LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        // The set's session id is a 36-byte string: one of its bytes made non-UTF-8.
        let session_text = record
            .windows(2)
            .position(|w| w == [6, 36])
            .expect("a set record holds its session id as text")
            + 2;
        let mut not_utf8 = record.clone();
        not_utf8[session_text + 5] = 0xff;
        let mut cut = record.clone();
        cut.pop();
        // The first field name ("at") made to sort after the second.
        let mut out_of_order = record.clone();
        let first_name = record
            .windows(3)
            .position(|w| w == [2, b'a', b't'])
            .unwrap();
        out_of_order[first_name + 1] = b'z';
        let put = |op: &[u8]| {
            raw.execute(
                "UPDATE op_log SET op = ?4 WHERE device = ?1 AND hlc_wall_ms = ?2 \
                 AND hlc_counter = ?3",
                rusqlite::params![device, wall, counter, op],
            )
            .unwrap()
        };
        for damaged in [&not_utf8, &cut, &out_of_order] {
            assert_eq!(put(damaged), 1);
            assert!(matches!(
                store.segment_since(&VersionVector::new()),
                Err(talus_core::store::StoreError::Damaged(_))
            ));
            assert!(matches!(
                store.encoded_segment_since(&VersionVector::new(), 0),
                Err(talus_core::store::StoreError::Damaged(_))
            ));
        }
        put(&record);
        assert_eq!(all_bytes(store), whole.bytes);
    }
}

/// Three devices' ops, their clocks interleaved op by op, leave one profile's export as
/// the ops merged into one stamp order: the bytes are what encoding its decoded ops gives,
/// whatever share of each device's range is asked for.
#[test]
fn an_export_of_three_devices_interleaved_is_in_stamp_order() {
    let dir = tempfile::tempdir().unwrap();
    let stores = [open(&dir, "a"), open(&dir, "b"), open(&dir, "c")];
    for round in 0..6i64 {
        for (n, store) in stores.iter().enumerate() {
            let at = t0() + Duration::minutes(round * 10 + n as i64 * 3);
            store.add_checkin(&checkin(at, round % 4), at).unwrap();
        }
    }
    let [a, b, c] = &stores;
    exchange(a, b, t0() + Duration::days(1));
    exchange(c, a, t0() + Duration::days(1));
    // Each device's range from its third op on.
    let everything = a.segment_since(&VersionVector::new()).unwrap();
    assert_eq!(everything.top().len(), 3);
    let mut partial = VersionVector::new();
    for store in &stores {
        let third = everything
            .ops()
            .iter()
            .filter(|o| o.stamp.device == store.device_id())
            .nth(2)
            .unwrap();
        partial.advance(store.device_id(), third.stamp.hlc);
    }
    for since in [VersionVector::new(), partial] {
        let encoded = a.encoded_segment_since(&since, 0).unwrap();
        let lazy = a.segment_since(&since).unwrap();
        let ops = lazy.ops().to_vec();
        let devices = ops
            .iter()
            .map(|o| o.stamp.device)
            .collect::<std::collections::BTreeSet<_>>();
        assert_eq!(devices.len(), 3);
        assert!(ops.windows(2).all(|w| w[0].stamp < w[1].stamp));
        let rebuilt =
            Segment::new(a.device_id(), lazy.base().clone(), lazy.top().clone(), ops).unwrap();
        assert_eq!(encoded.bytes, encode_segment(&rebuilt));
    }
}

/// Every op-log row, local or imported, keeps beside its record the checksum of the record
/// as it was checked when written (ADR 0013 addendum); a row whose checksum is missing (a
/// profile from before schema v11, a row written by another tool) or no longer matches is
/// checked field by field, so the export is the same bytes either way.
#[test]
fn op_log_rows_keep_the_checksum_of_their_checked_records() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_devices(&dir);
    for store in [&a, &b] {
        let whole = all_bytes(store);
        let raw = talus_core::store::open_raw(store.path()).unwrap();
        let rows: Vec<(Vec<u8>, Option<i64>)> = raw
            .prepare("SELECT op, op_checksum FROM op_log")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(rows.len() > 10);
        for (record, checksum) in &rows {
            assert_eq!(
                *checksum,
                Some(talus_core::sync::op_record_checksum(record))
            );
        }
        for unkept in [
            "UPDATE op_log SET op_checksum = NULL",
            "UPDATE op_log SET op_checksum = 7",
        ] {
            raw.execute_batch(unkept).unwrap();
            assert_eq!(all_bytes(store), whole, "{unkept}");
        }
    }
}

/// A profile from before schema v11 (no checksum column) upgrades in place: its rows have
/// no checksum and export as they did; rows written after the upgrade have one.
#[test]
fn a_v10_op_log_upgrades_and_exports_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = open(&dir, "a");
    sample_history(&a);
    let whole = all_bytes(&a);
    let path = a.path().to_path_buf();
    drop(a);
    talus_core::store::open_raw(&path)
        .unwrap()
        .execute_batch("ALTER TABLE op_log DROP COLUMN op_checksum; PRAGMA user_version = 10;")
        .unwrap();
    let (a, report) = Store::open(&path, &Catalog::embedded().unwrap(), t0()).unwrap();
    assert_eq!(report.migrated_from, Some(10));
    assert_eq!(all_bytes(&a), whole);
    let count = |sql: &str| -> i64 {
        talus_core::store::open_raw(&path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let before = count("SELECT COUNT(*) FROM op_log");
    assert_eq!(
        count("SELECT COUNT(*) FROM op_log WHERE op_checksum IS NULL"),
        before
    );
    a.add_checkin(
        &checkin(t0() + Duration::days(6), 3),
        t0() + Duration::days(6),
    )
    .unwrap();
    assert!(count("SELECT COUNT(*) FROM op_log") > before);
    assert_eq!(
        count("SELECT COUNT(*) FROM op_log WHERE op_checksum IS NULL"),
        before
    );
}

/// The session table's rows, every column as text, in id order.
fn session_rows(store: &Store) -> Vec<Vec<Option<String>>> {
    let raw = talus_core::store::open_raw(store.path()).unwrap();
    let mut stmt = raw
        .prepare(
            "SELECT id, planned_for, zone, status, variant, CAST(started_ms AS TEXT), \
             CAST(ended_ms AS TEXT), snapshot, outcome FROM session ORDER BY id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| (0..9).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows
}

/// New sessions are written several to a statement. Among 80 new sessions (one set each),
/// one a constraint refuses (it ends before it starts), one with an unknown zone, one with
/// an unknown status, and one whose row is already there without its op (a profile edited
/// by hand): the import stores and reports them exactly as importing each op on its own
/// (one session at a time, through the general path) does: the same rows, the same sets,
/// the same sessions refused, in id order.
#[test]
fn new_sessions_written_together_are_stored_or_reported_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let (together, alone) = (open(&dir, "together"), open(&dir, "alone"));
    let peer = Uuid::from_u128(42);
    let mut ops = Vec::new();
    for i in 0..80u128 {
        let mut pair = session_with_sets(peer, Uuid::from_u128(0x5000 + i), 0x9000 + i, 1);
        if let OpAction::Put { fields } = &mut pair[0].action {
            match i {
                5 => {
                    fields.insert("ended_at".into(), json!(t0() - Duration::hours(1)));
                }
                40 => {
                    fields.insert("zone".into(), json!("Mars/Olympus_Mons"));
                }
                41 => {
                    fields.insert("status".into(), json!("bogus"));
                }
                70 => {
                    fields.insert("outcome".into(), json!("ended_for_pain"));
                }
                _ => {}
            }
        }
        ops.extend(pair);
    }
    for (n, op) in ops.iter_mut().enumerate() {
        op.stamp.hlc.wall_ms = t0().timestamp_millis() as u64 + n as u64;
    }
    for store in [&together, &alone] {
        let raw = talus_core::store::open_raw(store.path()).unwrap();
        raw.execute(
            "INSERT INTO session(id, planned_for, zone, status, variant, snapshot) \
             VALUES (?1, '2026-01-01', 'UTC', 'started', 'short', 'x')",
            [Uuid::from_u128(0x5000 + 10).to_string()],
        )
        .unwrap();
    }
    let report = together
        .import_segment(&foreign_segment(peer, ops.clone()), t0())
        .unwrap();
    let mut alone_refused = Vec::new();
    let mut alone_written = 0;
    for op in &ops {
        let one = alone
            .import_segment(&foreign_segment(peer, vec![op.clone()]), t0())
            .unwrap();
        alone_refused.extend(one.unstorable);
        alone_written += one.entities_written;
    }
    let refused: Vec<&str> = report
        .unstorable
        .iter()
        .map(|r| r.split(':').next().unwrap())
        .collect();
    assert_eq!(
        refused,
        [5u128, 40, 41].map(|i| format!("session {}", Uuid::from_u128(0x5000 + i))),
        "{report:?}"
    );
    assert_eq!(report.unstorable, alone_refused);
    // 77 sessions and 80 sets (the sets of the three refused sessions count as handled:
    // they wait in the op-log, as a set of a deleted session does).
    assert_eq!(report.entities_written, 77 + 80);
    assert_eq!(alone_written, report.entities_written);
    assert_eq!(session_rows(&together), session_rows(&alone));
    assert_eq!(session_rows(&together).len(), 77);
    assert_eq!(history(&together), history(&alone));
    let h = history(&together);
    assert!(h.sessions.iter().all(|s| s.sets == vec![sent_set(0)]));
    assert!(together.stale_rule_sets().unwrap().is_empty());
    assert_eq!(together.integrity_check().unwrap(), "ok");
}

/// Set rows whose session row is missing, and set rows in all.
fn set_rows(store: &Store) -> (i64, i64) {
    let raw = talus_core::store::open_raw(store.path()).unwrap();
    raw.query_row(
        "SELECT (SELECT COUNT(*) FROM set_log \
                 WHERE session_id NOT IN (SELECT id FROM session)), \
                (SELECT COUNT(*) FROM set_log)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// `set_log` has no foreign key to `session` (ADR 0021); the writers keep every set row's
/// session row there: a session deleted here or by a peer takes its set rows with it, and
/// sets whose session never arrived (new ones written together and one on its own, after
/// its session was deleted) wait in the op-log without a row.
#[test]
fn no_set_row_outlives_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (open(&dir, "a"), open(&dir, "b"));
    sample_history(&a);
    exchange(&a, &b, t0() + Duration::days(6));
    let (orphans, all) = set_rows(&b);
    assert_eq!(orphans, 0);
    assert!(all > 0);
    let sessions = history(&b).sessions;
    assert!(sessions.len() >= 2 && !sessions[0].sets.is_empty());
    // Deleted here, then by a peer.
    b.delete_session(sessions[0].id, t0() + Duration::days(7))
        .unwrap();
    assert_eq!(set_rows(&b).0, 0);
    assert_eq!(set_rows(&b).1, all - sessions[0].sets.len() as i64);
    exchange(&a, &b, t0() + Duration::days(7));
    assert_eq!(set_rows(&a), set_rows(&b));
    // 300 sets of a session that never comes (written 128 to a statement when their
    // session is there), and a set for the session deleted above.
    let peer = Uuid::from_u128(42);
    let mut ops = session_with_sets(peer, Uuid::from_u128(0xab5e_0000), 0x7000, 300);
    ops.remove(0);
    let mut late = session_with_sets(peer, sessions[0].id, 0x8000, 1);
    late[1].stamp.hlc.wall_ms += 1_000;
    ops.push(late.remove(1));
    let before = set_rows(&a);
    a.import_segment(&foreign_segment(peer, ops), t0() + Duration::days(8))
        .unwrap();
    assert_eq!(set_rows(&a), before);
    assert_eq!(set_rows(&a).0, 0);
    assert_eq!(a.integrity_check().unwrap(), "ok");
}

/// An import into an empty op-log drops its tables' plain indexes and builds them once at
/// the end (ADR 0023): afterwards the schema is a fresh profile's, every index holds what
/// its table holds (`integrity_check`), and the reads by drill and date see every row. A
/// segment refused part-way leaves the schema and indexes as they were.
#[test]
fn a_first_import_leaves_the_schema_and_its_indexes_whole() {
    use talus_core::store::{open_raw, schema_fingerprint};
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::embedded().unwrap();
    let a = open(&dir, "a");
    let spec = talus_core::store::FixtureSpec {
        start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        days: 30,
        zone: "Europe/London".into(),
        seed: 5,
    };
    talus_core::store::generate_history(&a, &catalog, &spec).unwrap();
    let bytes = all_bytes(&a);
    let fresh_schema = schema_fingerprint(&open_raw(open(&dir, "empty").path()).unwrap()).unwrap();
    let check = |store: &Store| {
        let raw = open_raw(store.path()).unwrap();
        let verdict: String = raw
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(verdict, "ok");
        assert_eq!(schema_fingerprint(&raw).unwrap(), fresh_schema);
        raw
    };
    let now = t0() + Duration::days(1);
    let fresh = open(&dir, "fresh");
    fresh.import_segment_bytes(&bytes, now).unwrap();
    let raw = check(&fresh);
    // Reads through each rebuilt index count what the tables hold.
    for (by_index, whole) in [
        (
            "SELECT count(*) FROM set_log INDEXED BY set_log_drill_at WHERE drill_id > ''",
            "SELECT count(*) FROM set_log",
        ),
        (
            "SELECT count(*) FROM session INDEXED BY session_planned_for WHERE planned_for > ''",
            "SELECT count(*) FROM session",
        ),
        (
            "SELECT count(*) FROM checkin INDEXED BY checkin_at WHERE at_ms > -1",
            "SELECT count(*) FROM checkin",
        ),
    ] {
        let n: i64 = raw.query_row(by_index, [], |r| r.get(0)).unwrap();
        let rows: i64 = raw.query_row(whole, [], |r| r.get(0)).unwrap();
        assert_eq!(n, rows);
        assert!(n > 0, "{whole}");
    }
    assert_eq!(history(&fresh), history(&a));
    // Damage in the last ops: the import gets far before it is refused.
    use talus_core::sync::seal_segment;
    let content = &bytes[..bytes.len() - 32];
    let mut refused = 0;
    for (n, i) in (content.len() - 120..content.len()).step_by(7).enumerate() {
        let mut bad = content.to_vec();
        bad[i] ^= 0xa5;
        let store = open(&dir, &format!("late{n}"));
        if store
            .import_segment_bytes(&seal_segment(&bad), now)
            .is_err()
        {
            refused += 1;
            assert_eq!(store.op_count().unwrap(), 0);
            check(&store);
        }
    }
    assert!(refused > 0, "no damage was refused");
}
