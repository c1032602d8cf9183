//! Each session's sets as the day's rules read them, kept in one derived record per session
//! (`session_rule_sets`, schema v7, ADR 0020).
//!
//! Deciding and planning the day reads the sets of the last few days' sessions, and only
//! nine of their fields (ADR 0015). Read from `set_log` that is one row per set (≈ 225 rows on
//! a runner's profile, ≈ 4,400 instructions each through SQLite's VM and the typed getters);
//! read from here it is one short blob per session, decoded in Rust.
//!
//! `set_log` stays the truth. A record is derived from a session's rows by [`write`], in the
//! same transaction as every write that changes them (finishing or correcting a session, a
//! batch insert, a sync import, the rebuild from the op-log, the v7 migration); the record
//! row goes with its session (`ON DELETE CASCADE`). A session without a record, or whose
//! record does not decode, is read from `set_log` as before ([`read_from_set_log`]), so a
//! missing or damaged record costs time, never a different answer.

use foldhash::{HashMap, HashSet};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::bulk::{Bound, BulkInsert};
use super::repo::{rule_set_from_row, RuleSetRow, RULE_SET_COLUMNS};
use super::{Cached, Store, StoreError};
use crate::domain::{Score, SetLog, Side};

/// The first byte of every record: the layout below. A record of another layout is not
/// read (its session's sets come from `set_log`).
const LAYOUT: u8 = 2;

/// A session's sets as the rules read them, in the order every history read gives them
/// (instant, set index, side as stored; ties in set-id order), from its `set_log` rows.
/// An error is the one the day's read of those rows gives.
pub(super) fn read_from_set_log(
    conn: &Connection,
    session: &str,
) -> Result<Vec<RuleSetRow>, StoreError> {
    read_rows(conn, session)?
}

/// [`read_from_set_log`], with a row the read refuses (a value out of range) as the inner
/// error and a failure of SQLite itself (busy, I/O, a damaged page) as the outer one.
fn read_rows(
    conn: &Connection,
    session: &str,
) -> Result<Result<Vec<RuleSetRow>, StoreError>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{RULE_SET_COLUMNS} WHERE session_id = ?1"))?;
    let mut rows = stmt.query([session])?;
    let mut sets = Vec::new();
    // Rows come in the table's order (session, set id): the tie order.
    while let Some(r) = rows.next()? {
        match rule_set_from_row(r) {
            Ok(set) => sets.push(set),
            Err(refused) => return Ok(Err(refused)),
        }
    }
    // Stable: equal keys keep the set-id order, as SQLite's sorter did.
    crate::order::sort_by(&mut sets, |a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    Ok(Ok(sets))
}

/// Rewrites the record of `session` from its `set_log` rows, inside the caller's
/// transaction. A session that no longer exists gets none; one with a row the day's read
/// refuses gets none either, so that read (from `set_log`) still reports it.
pub(super) fn write(conn: &Connection, session: Uuid) -> Result<(), StoreError> {
    let mut text = [0u8; 36];
    let key: &str = session.hyphenated().encode_lower(&mut text);
    match read_rows(conn, key)? {
        Ok(sets) => store(conn, session, &encode(&sets)),
        Err(_) => {
            conn.exec("DELETE FROM session_rule_sets WHERE session_id = ?1", [key])?;
            Ok(())
        }
    }
}

/// Rewrites every session's record (the v7 migration, the rebuild from the op-log).
pub(super) fn write_all(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM session_rule_sets", [])?;
    let ids: Vec<String> = {
        let mut stmt = conn.prepare("SELECT id FROM session")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        super::repo::all_rows(rows)?
    };
    for id in ids {
        // An id that is not a UUID cannot come from this app; its sets are read from
        // `set_log`, which reports whatever is wrong with them.
        if let Ok(id) = Uuid::parse_str(&id) {
            write(conn, id)?;
        }
    }
    Ok(())
}

/// The sessions whose sets a write changed; their records are rewritten before it commits.
/// A session new in the write whose every set so far came with its fields (the import's
/// new sets) gets its record from those, with no read back; any other is read back from
/// `set_log`.
#[derive(Debug, Default)]
pub(super) struct ChangedSessions {
    /// Sessions whose records are read back from their rows (a hash set like the import's
    /// set of live sessions, so no B-tree of its own; written in id order).
    read_back: HashSet<Uuid>,
    /// Sessions whose row this write created, with the sets (id, as the day reads it)
    /// written under them since.
    new: HashMap<Uuid, Vec<(Uuid, RuleSetRow)>>,
}

impl ChangedSessions {
    /// `session`'s sets changed (or may have): its record is read back from its rows.
    pub(super) fn mark(&mut self, session: Uuid) {
        self.new.remove(&session);
        self.read_back.insert(session);
    }

    /// `session`'s row was just created: it has no sets yet.
    pub(super) fn new_session(&mut self, session: Uuid) {
        if !self.read_back.contains(&session) {
            self.new.insert(session, Vec::new());
        }
    }

    /// Set `id` with these fields is written under `session` (and nothing else of it).
    /// The set is the writer's no longer: its strings move into the record's row.
    pub(super) fn new_set(&mut self, session: Uuid, id: Uuid, mut set: SetLog) {
        let drill_id = std::mem::take(&mut set.drill_id);
        let reason_code = set.reason_code.take();
        self.add_new_set(session, id, rule_row(&set, drill_id, reason_code));
    }

    /// Adds a new set's row to its new session's record, or marks the session to be read
    /// back (not new here, or the set not readable as the day reads it).
    fn add_new_set(&mut self, session: Uuid, id: Uuid, row: Option<RuleSetRow>) {
        match (self.new.get_mut(&session), row) {
            (Some(sets), Some(row)) => sets.push((id, row)),
            _ => self.mark(session),
        }
    }

    /// Some write may not have gone as announced (a value refused): read every session
    /// back.
    pub(super) fn read_all_back(&mut self) {
        let new: Vec<Uuid> = self.new.keys().copied().collect();
        for session in new {
            self.mark(session);
        }
    }

    /// Rewrites the record of every marked session.
    pub(super) fn write(self, conn: &Connection) -> Result<(), StoreError> {
        let mut records: Vec<(Uuid, Vec<u8>)> = self
            .new
            .into_iter()
            .map(|(session, mut sets)| {
                // The order of the rows read back: (instant, set index, side as stored),
                // ties in set-id order (the table's; a UUID's text sorts as its bytes).
                crate::order::sort_by(&mut sets, |a, b| {
                    (a.1 .0, a.1 .1, a.1 .2, a.0).cmp(&(b.1 .0, b.1 .1, b.1 .2, b.0))
                });
                let rows: Vec<RuleSetRow> = sets.into_iter().map(|(_, row)| row).collect();
                (session, encode(&rows))
            })
            .collect();
        // In key order, so the table's pages are filled from left to right. The library's
        // one shared sort (sessions are unique, so its stable order is the only order): a
        // sort of its own per record type is ≈2 KB of code.
        crate::order::sort_by_key(&mut records, |(session, _)| *session);
        store_all(conn, &records)?;
        let mut read_back: Vec<Uuid> = self.read_back.into_iter().collect();
        crate::order::sort(&mut read_back);
        for session in read_back {
            write(conn, session)?;
        }
        Ok(())
    }
}

/// `set` (its drill id and reason code given apart, moved out of it) as the day's read
/// gives it back once written (`insert_set`'s values read by [`rule_set_from_row`]); `None`
/// when that read would refuse it.
fn rule_row(set: &SetLog, drill_id: String, reason_code: Option<String>) -> Option<RuleSetRow> {
    let at_ms = set.at.timestamp_millis();
    let side_key = match set.side {
        None => 0,
        Some(Side::Left) => 1,
        Some(Side::Right) => 2,
    };
    let read = SetLog {
        drill_id,
        side: set.side,
        set_index: set.set_index,
        level: set.level,
        target_reps: None,
        reps_done: None,
        target_hold_s: None,
        hold_s_done: None,
        pain: set.pain,
        stretch: false,
        stopped: set.stopped,
        skipped: set.skipped,
        reason_code,
        note: None,
        at: chrono::DateTime::from_timestamp_millis(at_ms)?,
    };
    Some((at_ms, i64::from(set.set_index), side_key, read))
}

/// Records [`store_all`] writes with one statement (as the import's other batches, ADR
/// 0029: each statement run costs its VM start and halt again).
const RECORD_BATCH: usize = 32;

/// Stores each record as its session's, as [`store`] does one by one: a session that does
/// not exist gets none.
fn store_all(conn: &Connection, records: &[(Uuid, Vec<u8>)]) -> Result<(), StoreError> {
    let mut batches = records.chunks_exact(RECORD_BATCH);
    if batches.len() > 0 {
        let rows = vec!["(?, ?)"; RECORD_BATCH].join(", ");
        let mut insert = BulkInsert::new(
            conn,
            &format!(
                "INSERT OR REPLACE INTO session_rule_sets(session_id, record) \
                 SELECT column1, column2 FROM (VALUES {rows}) \
                 WHERE EXISTS (SELECT 1 FROM session WHERE id = column1)"
            ),
        )?;
        for batch in batches.by_ref() {
            let mut keys = String::with_capacity(36 * RECORD_BATCH);
            for (session, _) in batch {
                keys.push_str(session.hyphenated().encode_lower(&mut [0u8; 36]));
            }
            let mut values = Vec::with_capacity(2 * RECORD_BATCH);
            for (n, (_, record)) in batch.iter().enumerate() {
                let key = keys.get(n * 36..(n + 1) * 36).unwrap_or_default();
                values.extend([Bound::Text(key), Bound::Blob(record)]);
            }
            insert.run(&values)?;
        }
    }
    for (session, record) in batches.remainder() {
        store(conn, *session, record)?;
    }
    Ok(())
}

/// Stores `record` as `session`'s, if the session exists (the record's foreign key).
fn store(conn: &Connection, session: Uuid, record: &[u8]) -> Result<(), StoreError> {
    let mut text = [0u8; 36];
    let key: &str = session.hyphenated().encode_lower(&mut text);
    conn.exec(
        "INSERT OR REPLACE INTO session_rule_sets(session_id, record) \
         SELECT id, ?2 FROM session WHERE id = ?1",
        params![key, record],
    )?;
    Ok(())
}

impl Store {
    /// The sessions whose derived record of sets (ADR 0020) is not the one their `set_log`
    /// rows give now: a record that differs, or one missing where those rows would give
    /// one. Every write keeps this empty; for tests and diagnostics (it reads every set).
    #[doc(hidden)]
    pub fn stale_rule_sets(&self) -> Result<Vec<Uuid>, StoreError> {
        let inner = self.lock();
        let conn = &inner.conn;
        let ids: Vec<String> = {
            let mut stmt = conn.prepare("SELECT id FROM session ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            super::repo::all_rows(rows)?
        };
        let mut stale = Vec::new();
        for id in ids {
            let want = read_rows(conn, &id)?.ok().map(|sets| encode(&sets));
            let stored: Option<Vec<u8>> = conn
                .row(
                    "SELECT record FROM session_rule_sets WHERE session_id = ?1",
                    [&id],
                    |r| r.get(0),
                )
                .optional()?;
            if stored != want {
                stale.push(Uuid::parse_str(&id).unwrap_or_default());
            }
        }
        Ok(stale)
    }
}

/// The record of `sets` (already in read order): the layout byte; the distinct drill ids,
/// each once; then per set the index of its drill id, one byte of side and flags, its set
/// index, level, pain, reason code (if any) and instant as the step from the set before
/// (a session's sets are seconds apart). ≈ 13 bytes a set: a session's record stays in its
/// b-tree page, with no overflow page to read.
pub(super) fn encode(sets: &[RuleSetRow]) -> Vec<u8> {
    let mut drills: Vec<&str> = Vec::new();
    for (_, _, _, set) in sets {
        if !drills.contains(&set.drill_id.as_str()) {
            drills.push(&set.drill_id);
        }
    }
    let mut out = Vec::with_capacity(16 + drills.len() * 24 + sets.len() * 8);
    out.push(LAYOUT);
    put_uint(&mut out, drills.len() as u64);
    for drill in &drills {
        put_text(&mut out, drill);
    }
    // Per drill and side as stored, the latest instant of its non-skipped sets: what the
    // look-up of a leg's latest older set needs, without reading every set.
    let mut groups: Vec<(usize, u8, i64)> = Vec::new();
    for (at_ms, _, side_key, set) in sets.iter().filter(|s| !s.3.skipped) {
        let drill = drills
            .iter()
            .position(|d| *d == set.drill_id)
            .unwrap_or_default();
        let side_key = side_key & 0b11;
        match groups.iter_mut().find(|g| g.0 == drill && g.1 == side_key) {
            Some(g) => g.2 = g.2.max(*at_ms),
            None => groups.push((drill, side_key, *at_ms)),
        }
    }
    put_uint(&mut out, groups.len() as u64);
    for (drill, side_key, latest_ms) in groups {
        put_uint(&mut out, drill as u64);
        out.push(side_key);
        put_uint(&mut out, zigzag(latest_ms));
    }
    put_uint(&mut out, sets.len() as u64);
    let mut previous_ms = 0i64;
    for (at_ms, _, side_key, set) in sets {
        let drill = drills.iter().position(|d| *d == set.drill_id);
        put_uint(&mut out, drill.unwrap_or_default() as u64);
        // The side as stored, by its sort key (0 none, 1 left, 2 right, 3 anything else,
        // which reads as none), and the flags.
        let flags = (side_key & 0b11)
            | u8::from(set.stopped) << 2
            | u8::from(set.skipped) << 3
            | u8::from(set.reason_code.is_some()) << 4;
        out.push(flags);
        put_uint(&mut out, u64::from(set.set_index));
        put_uint(&mut out, u64::from(set.level));
        out.push(set.pain.map_or(NO_PAIN, Score::value));
        if let Some(reason) = &set.reason_code {
            put_text(&mut out, reason);
        }
        put_uint(&mut out, zigzag(at_ms.wrapping_sub(previous_ms)));
        previous_ms = *at_ms;
    }
    out
}

/// The sets of a record made by [`encode`], as [`rule_set_from_row`] reads them; `None` for
/// anything else (another layout, cut short, trailing bytes, a value out of range).
pub(super) fn decode(record: &[u8]) -> Option<Vec<SetLog>> {
    let mut sets = Vec::new();
    walk(record, |set| {
        sets.push(set.to_set_log()?);
        Some(())
    })?;
    Some(sets)
}

/// One set of a record as [`walk`] meets it, borrowed from the record.
#[derive(Debug, Clone, Copy)]
pub(super) struct RecordSet<'a> {
    pub(super) drill_id: &'a str,
    /// The position of `drill_id` among the record's distinct drill ids.
    pub(super) drill: usize,
    /// The side as stored, by its sort key (0 none, 1 left, 2 right, 3 other).
    pub(super) side_key: u8,
    pub(super) skipped: bool,
    pub(super) at_ms: i64,
    stopped: bool,
    set_index: u32,
    level: u32,
    pain: Option<Score>,
    reason_code: Option<&'a str>,
}

impl RecordSet<'_> {
    /// The set as [`rule_set_from_row`] reads it (`None`: an instant chrono cannot hold).
    pub(super) fn to_set_log(self) -> Option<SetLog> {
        Some(SetLog {
            drill_id: self.drill_id.to_owned(),
            side: match self.side_key {
                1 => Some(Side::Left),
                2 => Some(Side::Right),
                _ => None,
            },
            set_index: self.set_index,
            level: self.level,
            target_reps: None,
            reps_done: None,
            target_hold_s: None,
            hold_s_done: None,
            pain: self.pain,
            stretch: false,
            stopped: self.stopped,
            skipped: self.skipped,
            reason_code: self.reason_code.map(str::to_owned),
            note: None,
            at: chrono::DateTime::from_timestamp_millis(self.at_ms)?,
        })
    }
}

/// The start of a record made by [`encode`]: its distinct drill ids and, per drill and
/// side as stored, the latest instant of its non-skipped sets; then its sets, unread.
#[derive(Debug)]
pub(super) struct Head<'a> {
    drills: Vec<&'a str>,
    pub(super) groups: Vec<Group>,
    /// The record from its set count on.
    sets: &'a [u8],
    /// The whole record's length (bounds the set count).
    len: usize,
}

/// One drill and side of a record, with the latest instant of its non-skipped sets.
#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    /// The position of the drill id among the record's distinct drill ids.
    pub(super) drill: usize,
    /// The side as stored, by its sort key (0 none, 1 left, 2 right, 3 other).
    pub(super) side_key: u8,
    pub(super) latest_ms: i64,
}

impl<'a> Head<'a> {
    /// The record's `n`-th distinct drill id.
    pub(super) fn drill_id(&self, n: usize) -> Option<&'a str> {
        self.drills.get(n).copied()
    }
}

/// Reads a record's [`Head`]; `None` for anything but this layout's start.
pub(super) fn head(record: &[u8]) -> Option<Head<'_>> {
    let mut r = Reader(record);
    if r.byte()? != LAYOUT {
        return None;
    }
    let drill_count = usize::try_from(r.uint()?).ok()?;
    // Each drill id and group takes at least a byte, each set at least 6: a count beyond
    // that is damage, not an allocation.
    if drill_count > record.len() {
        return None;
    }
    let mut drills = Vec::with_capacity(drill_count);
    for _ in 0..drill_count {
        drills.push(r.text()?);
    }
    let group_count = usize::try_from(r.uint()?).ok()?;
    if group_count > record.len() {
        return None;
    }
    let mut groups = Vec::with_capacity(group_count);
    for _ in 0..group_count {
        let drill = usize::try_from(r.uint()?).ok()?;
        let side_key = r.byte()?;
        if drill >= drills.len() || side_key > 0b11 {
            return None;
        }
        let latest_ms = unzigzag(r.uint()?);
        groups.push(Group {
            drill,
            side_key,
            latest_ms,
        });
    }
    Some(Head {
        drills,
        groups,
        sets: r.0,
        len: record.len(),
    })
}

/// Calls `each` with every set of a record made by [`encode`], in order, without copying
/// anything; `None` (at once, or after some sets) when the record is not one whole record
/// of this layout or `each` says `None`.
pub(super) fn walk<'a>(
    record: &'a [u8],
    each: impl FnMut(RecordSet<'a>) -> Option<()>,
) -> Option<()> {
    walk_sets(&head(record)?, each)
}

/// [`walk`] from a record's [`Head`].
pub(super) fn walk_sets<'a>(
    head: &Head<'a>,
    mut each: impl FnMut(RecordSet<'a>) -> Option<()>,
) -> Option<()> {
    let drills = &head.drills;
    let mut r = Reader(head.sets);
    let count = usize::try_from(r.uint()?).ok()?;
    if count > head.len / 6 {
        return None;
    }
    let mut at_ms = 0i64;
    for _ in 0..count {
        let drill = usize::try_from(r.uint()?).ok()?;
        let drill_id = *drills.get(drill)?;
        let flags = r.byte()?;
        if flags & !0b1_1111 != 0 {
            return None;
        }
        let set_index = u32::try_from(r.uint()?).ok()?;
        let level = u32::try_from(r.uint()?).ok()?;
        let pain = match r.byte()? {
            NO_PAIN => None,
            p => Some(Score::new(i64::from(p)).ok()?),
        };
        let reason_code = if flags & 0b1_0000 != 0 {
            Some(r.text()?)
        } else {
            None
        };
        // An instant chrono cannot hold is refused where a set is built
        // ([`RecordSet::to_set_log`]), as the row's read refuses it.
        at_ms = at_ms.wrapping_add(unzigzag(r.uint()?));
        each(RecordSet {
            drill_id,
            drill,
            side_key: flags & 0b11,
            skipped: flags & 0b1000 != 0,
            at_ms,
            stopped: flags & 0b100 != 0,
            set_index,
            level,
            pain,
            reason_code,
        })?;
    }
    r.0.is_empty().then_some(())
}

/// Zig-zag: small steps back in time stay as short as small steps forward.
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// The pain byte of a set without a pain answer (scores are 0–10).
const NO_PAIN: u8 = 0xFF;

fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_uint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Reads a record front to back; every read is `None` past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F).checked_shl(shift)?;
            if b & 0x80 == 0 {
                // The last byte of a 64-bit value holds one bit.
                return (shift < 63 || b <= 1).then_some(v);
            }
        }
        None
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.uint()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        std::str::from_utf8(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn set(drill: &str, side: u8, index: u32, at_ms: i64, reason: Option<&str>) -> RuleSetRow {
        let at = Utc.timestamp_millis_opt(at_ms).unwrap();
        (
            at_ms,
            i64::from(index),
            side,
            SetLog {
                drill_id: drill.into(),
                side: match side {
                    1 => Some(Side::Left),
                    2 => Some(Side::Right),
                    _ => None,
                },
                set_index: index,
                level: 3,
                target_reps: None,
                reps_done: None,
                target_hold_s: None,
                hold_s_done: None,
                pain: Some(Score::new(4).unwrap()),
                stretch: false,
                stopped: reason.is_some(),
                skipped: false,
                reason_code: reason.map(str::to_owned),
                note: None,
                at,
            },
        )
    }

    /// Records stored together (`store_all`: 32 to a statement, the rest one by one) are
    /// those `store` writes one by one, a session without a row getting none.
    #[test]
    fn records_stored_together_are_those_stored_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
        let records: Vec<(Uuid, Vec<u8>)> = (0..70u32)
            .map(|i| {
                let at_ms = 1_767_000_000_000 + i64::from(i) * 1000;
                let record = encode(&[set("calf_raise", (i % 3) as u8, i, at_ms, None)]);
                (Uuid::from_u128(0x5e55_0000 + u128::from(i)), record)
            })
            .collect();
        let stored = |name: &str, together: bool| {
            let path = dir.path().join(name);
            drop(Store::open(&path, &catalog, now).unwrap());
            let conn = crate::store::open_raw(&path).unwrap();
            for (n, (session, _)) in records.iter().enumerate() {
                if n % 5 != 2 {
                    conn.execute(
                        "INSERT INTO session(id, planned_for, zone, status, variant) \
                         VALUES (?1, '2026-01-01', 'UTC', 'finished', 'normal')",
                        [session.to_string()],
                    )
                    .unwrap();
                }
            }
            if together {
                store_all(&conn, &records).unwrap();
            } else {
                for (session, record) in &records {
                    store(&conn, *session, record).unwrap();
                }
            }
            let mut stmt = conn
                .prepare("SELECT session_id, record FROM session_rule_sets ORDER BY session_id")
                .unwrap();
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })
                .unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap()
        };
        let together = stored("together.db", true);
        assert_eq!(together.len(), 56);
        assert_eq!(together, stored("alone.db", false));
    }

    #[test]
    fn a_record_reads_back_as_its_sets() {
        let sets = vec![
            set("calf_raise", 1, 0, 1_767_000_000_000, None),
            set("calf_raise", 2, 0, 1_767_000_000_000, Some("pain_limit")),
            set("ankle_circles", 0, 2, -86_400_000, None),
        ];
        let got = decode(&encode(&sets)).unwrap();
        let want: Vec<SetLog> = sets.into_iter().map(|s| s.3).collect();
        assert_eq!(got, want);
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::<SetLog>::new());
    }

    #[test]
    fn anything_but_a_whole_record_is_refused() {
        let record = encode(&[set("calf_raise", 1, 0, 5, Some("x"))]);
        for cut in 0..record.len() {
            assert_eq!(decode(&record[..cut]), None, "cut at {cut}");
        }
        let mut longer = record.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        let mut other = record.clone();
        other[0] = LAYOUT + 1;
        assert_eq!(decode(&other), None);
        assert_eq!(decode(&[LAYOUT, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), None);
        // One drill id "a", one set: its drill index must name it.
        let one = |drill: u8| [LAYOUT, 1, 1, b'a', 0, 1, drill, 0, 0, 0, NO_PAIN, 0];
        assert_eq!(decode(&one(0)).unwrap()[0].drill_id, "a");
        assert_eq!(decode(&one(1)), None);
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn instants_and_numbers_survive(at in any::<i64>(), index in any::<u32>(), level in any::<u32>()) {
            let Some(when) = chrono::DateTime::from_timestamp_millis(at) else {
                return Ok(());
            };
            let mut s = set("d", 3, index, at, None);
            s.3.level = level;
            s.3.at = when;
            s.3.side = None;
            let got = decode(&encode(std::slice::from_ref(&s))).unwrap();
            prop_assert_eq!(got, vec![s.3]);
        }
    }
}
