//! The runner's snapshot as compact text (ADR 0022): the stored form a paused or started
//! session resumes from after an app kill, written and read field by field without serde.
//!
//! serde's derived readers instantiate serde_json's parser for every type of the runner
//! (≈ 30 KB of the phone library with their unwind data); this codec is a few hundred bytes
//! of code per type. The form is text, so the store keeps it in the same `TEXT` column:
//!
//! - the header [`MAGIC`] (JSON snapshots, the form before, start with `{`), then the
//!   runner's fields in declaration order, each as one item;
//! - an integer is its decimal digits (`-` first when negative) and `;`;
//! - a string is its length in bytes, `:`, and its UTF-8 bytes (no escaping);
//! - a missing optional value is `~`, a present one is the value itself;
//! - a list is its length (an integer) and its items; a bool is `0;` or `1;`;
//! - an enum is its variant's number (an integer), then that variant's fields;
//! - an instant is its whole seconds since 1970 and its nanoseconds (two integers).
//!
//! Reading is strict: a value out of its type's range, a bad variant number, a string that
//! does not end on a character boundary, or any byte after the last field is an error.
//! The catalog and position checks of [`super::SessionRunner::restore`] apply to both forms.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use super::{Decision, ItemPlan, SessionRunner, SessionSummary, Step};
use crate::catalog::{PainPolicy, SegmentKind};
use crate::domain::{Score, SetLog, Side};

/// The first bytes of every compact snapshot (a JSON snapshot starts with `{`).
pub(super) const MAGIC: &str = "talus-run;";

/// Where a compact snapshot stops making sense (byte offset into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Malformed(pub(super) usize);

/// The runner as compact text.
pub(super) fn encode(runner: &SessionRunner) -> String {
    let mut w = Writer(String::with_capacity(1024));
    w.0.push_str(MAGIC);
    w.uint(u64::from(runner.version));
    w.str(&runner.locale);
    w.uint(runner.items.len() as u64);
    for item in runner.items.iter() {
        w.item(item);
    }
    w.uint(runner.item as u64);
    w.uint(runner.slot as u64);
    w.step(&runner.step);
    w.opt_int(runner.paused_at_ms);
    w.opt_int(runner.last_ms);
    w.opt_int(runner.started_ms);
    w.int(runner.paused_total_ms);
    w.uint(u64::from(runner.slots_done));
    w.uint(runner.pending.len() as u64);
    for set in &runner.pending {
        w.set(set);
    }
    let s = &runner.summary;
    w.uint(s.sets.len() as u64);
    for set in &s.sets {
        w.set(set);
    }
    w.uint(s.decisions.len() as u64);
    for d in &s.decisions {
        w.str(&d.code);
        w.opt_str(d.drill_id.as_deref());
        w.opt_str(d.regression.as_deref());
        w.str(&d.message);
    }
    w.strs(&s.skipped_drills);
    w.opt_int(s.started_ms);
    w.opt_int(s.ended_ms);
    w.int(s.active_ms);
    w.bool(s.referral);
    w.bool(s.stopped_early);
    w.0
}

/// Reads [`encode`]'s text back; `text` must start with [`MAGIC`].
pub(super) fn decode(text: &str) -> Result<SessionRunner, Malformed> {
    let mut r = Reader {
        text,
        at: MAGIC.len(),
    };
    if !text.starts_with(MAGIC) {
        return Err(Malformed(0));
    }
    let version = r.u32()?;
    let locale = r.string()?;
    let mut items = Vec::new();
    for _ in 0..r.len()? {
        items.push(r.item()?);
    }
    let item = r.usize()?;
    let slot = r.usize()?;
    let step = r.step()?;
    let paused_at_ms = r.opt_i64()?;
    let last_ms = r.opt_i64()?;
    let started_ms = r.opt_i64()?;
    let paused_total_ms = r.i64()?;
    let slots_done = r.u32()?;
    let pending = r.sets()?;
    let sets = r.sets()?;
    let mut decisions = Vec::new();
    for _ in 0..r.len()? {
        decisions.push(Decision {
            code: r.string()?,
            drill_id: r.opt_string()?,
            regression: r.opt_string()?,
            message: r.string()?,
        });
    }
    let summary = SessionSummary {
        sets,
        decisions,
        skipped_drills: r.strings()?,
        started_ms: r.opt_i64()?,
        ended_ms: r.opt_i64()?,
        active_ms: r.i64()?,
        referral: r.bool()?,
        stopped_early: r.bool()?,
    };
    if r.at != text.len() {
        return Err(Malformed(r.at));
    }
    Ok(SessionRunner {
        version,
        locale,
        items: Arc::new(items),
        item,
        slot,
        step,
        paused_at_ms,
        last_ms,
        started_ms,
        paused_total_ms,
        slots_done,
        pending,
        summary,
    })
}

struct Writer(String);

impl Writer {
    fn uint(&mut self, v: u64) {
        use std::fmt::Write;
        let _ = write!(self.0, "{v};");
    }

    fn int(&mut self, v: i64) {
        if v < 0 {
            self.0.push('-');
        }
        self.uint(v.unsigned_abs());
    }

    fn bool(&mut self, v: bool) {
        self.uint(u64::from(v));
    }

    fn none(&mut self) {
        self.0.push('~');
    }

    fn opt_int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.int(v),
            None => self.none(),
        }
    }

    fn opt_uint(&mut self, v: Option<u32>) {
        match v {
            Some(v) => self.uint(u64::from(v)),
            None => self.none(),
        }
    }

    fn str(&mut self, s: &str) {
        use std::fmt::Write;
        let _ = write!(self.0, "{}:", s.len());
        self.0.push_str(s);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.none(),
        }
    }

    fn strs(&mut self, list: &[String]) {
        self.uint(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }

    fn side(&mut self, side: Side) {
        self.uint(side as u64);
    }

    fn opt_side(&mut self, side: Option<Side>) {
        match side {
            Some(side) => self.side(side),
            None => self.none(),
        }
    }

    fn item(&mut self, p: &ItemPlan) {
        self.str(&p.drill_id);
        self.str(&p.name);
        self.str(&p.description);
        self.strs(&p.cues);
        self.uint(p.policy as u64);
        self.opt_str(p.regression.as_deref());
        self.opt_str(p.regression_name.as_deref());
        self.uint(u64::from(p.level));
        self.uint(u64::from(p.sets));
        self.opt_uint(p.reps);
        self.opt_uint(p.hold_s);
        self.uint(u64::from(p.end_pause_s));
        self.uint(u64::from(p.rep_s));
        self.uint(u64::from(p.rest_s));
        self.uint(p.sides.len() as u64);
        for &side in &p.sides {
            self.side(side);
        }
        self.opt_side(p.extra_set_side);
        self.str(&p.asset_id);
        self.bool(p.mirrorable);
        self.uint(p.segments.len() as u64);
        for &(kind, start, end) in &p.segments {
            self.uint(kind as u64);
            self.uint(u64::from(start));
            self.uint(u64::from(end));
        }
        self.uint(p.cue_marks.len() as u64);
        for &(at, cue) in &p.cue_marks {
            self.uint(u64::from(at));
            self.uint(u64::from(cue));
        }
    }

    fn step(&mut self, step: &Step) {
        match *step {
            Step::NotStarted => self.uint(0),
            Step::Intro => self.uint(1),
            Step::Work {
                reps_done,
                since_ms,
            } => {
                self.uint(2);
                self.uint(u64::from(reps_done));
                self.int(since_ms);
            }
            Step::EndPause {
                reps_done,
                until_ms,
            } => {
                self.uint(3);
                self.uint(u64::from(reps_done));
                self.int(until_ms);
            }
            Step::SideSwitch { until_ms } => {
                self.uint(4);
                self.int(until_ms);
            }
            Step::PainCheck => self.uint(5),
            Step::Rest { until_ms } => {
                self.uint(6);
                self.int(until_ms);
            }
            Step::Done => self.uint(7),
        }
    }

    fn set(&mut self, s: &SetLog) {
        self.str(&s.drill_id);
        self.opt_side(s.side);
        self.uint(u64::from(s.set_index));
        self.uint(u64::from(s.level));
        self.opt_uint(s.target_reps);
        self.opt_uint(s.reps_done);
        self.opt_uint(s.target_hold_s);
        self.opt_uint(s.hold_s_done);
        self.opt_uint(s.pain.map(|p| u32::from(p.value())));
        self.bool(s.stretch);
        self.bool(s.stopped);
        self.bool(s.skipped);
        self.opt_str(s.reason_code.as_deref());
        self.opt_str(s.note.as_deref());
        self.int(s.at.timestamp());
        self.uint(u64::from(s.at.timestamp_subsec_nanos()));
    }
}

struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next item.
    at: usize,
}

impl<'a> Reader<'a> {
    fn malformed<T>(&self) -> Result<T, Malformed> {
        Err(Malformed(self.at))
    }

    /// The text up to (not including) `end`, moving past `end`.
    fn until(&mut self, end: u8) -> Result<&'a str, Malformed> {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        let Some(len) = rest.iter().position(|&b| b == end) else {
            return self.malformed();
        };
        let token = self.text.get(self.at..self.at + len);
        match token {
            Some(token) if !token.is_empty() => {
                self.at += len + 1;
                Ok(token)
            }
            _ => self.malformed(),
        }
    }

    /// An unsigned integer (digits only).
    fn u64(&mut self) -> Result<u64, Malformed> {
        let at = self.at;
        let token = self.until(b';')?;
        match token.bytes().all(|b| b.is_ascii_digit()) {
            true => token.parse().map_err(|_| Malformed(at)),
            false => Err(Malformed(at)),
        }
    }

    fn u32(&mut self) -> Result<u32, Malformed> {
        let at = self.at;
        u32::try_from(self.u64()?).map_err(|_| Malformed(at))
    }

    fn usize(&mut self) -> Result<usize, Malformed> {
        let at = self.at;
        usize::try_from(self.u64()?).map_err(|_| Malformed(at))
    }

    /// A list's length.
    fn len(&mut self) -> Result<u64, Malformed> {
        self.u64()
    }

    /// A number below `n` (a bool, an enum's variant).
    fn below(&mut self, n: u64) -> Result<u64, Malformed> {
        let at = self.at;
        match self.u64()? {
            v if v < n => Ok(v),
            _ => Err(Malformed(at)),
        }
    }

    fn bool(&mut self) -> Result<bool, Malformed> {
        Ok(self.below(2)? == 1)
    }

    fn i64(&mut self) -> Result<i64, Malformed> {
        let at = self.at;
        let negative = self.text.as_bytes().get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let magnitude = self.u64()?;
        let value = match negative {
            true => 0i64.checked_sub_unsigned(magnitude),
            false => i64::try_from(magnitude).ok(),
        };
        value.ok_or(Malformed(at))
    }

    /// Whether the next item is a missing optional value (then moves past it).
    fn none(&mut self) -> bool {
        let none = self.text.as_bytes().get(self.at) == Some(&b'~');
        if none {
            self.at += 1;
        }
        none
    }

    fn opt_i64(&mut self) -> Result<Option<i64>, Malformed> {
        match self.none() {
            true => Ok(None),
            false => self.i64().map(Some),
        }
    }

    fn opt_u32(&mut self) -> Result<Option<u32>, Malformed> {
        match self.none() {
            true => Ok(None),
            false => self.u32().map(Some),
        }
    }

    fn str(&mut self) -> Result<&'a str, Malformed> {
        let at = self.at;
        let len = self.until(b':')?;
        let len: usize = match len.bytes().all(|b| b.is_ascii_digit()) {
            true => len.parse().map_err(|_| Malformed(at))?,
            false => return Err(Malformed(at)),
        };
        let s = self
            .at
            .checked_add(len)
            .and_then(|end| self.text.get(self.at..end));
        match s {
            Some(s) => {
                self.at += len;
                Ok(s)
            }
            None => Err(Malformed(at)),
        }
    }

    fn string(&mut self) -> Result<String, Malformed> {
        self.str().map(str::to_owned)
    }

    fn opt_string(&mut self) -> Result<Option<String>, Malformed> {
        match self.none() {
            true => Ok(None),
            false => self.string().map(Some),
        }
    }

    fn strings(&mut self) -> Result<Vec<String>, Malformed> {
        let mut out = Vec::new();
        for _ in 0..self.len()? {
            out.push(self.string()?);
        }
        Ok(out)
    }

    fn side(&mut self) -> Result<Side, Malformed> {
        Ok(match self.below(2)? {
            0 => Side::Left,
            _ => Side::Right,
        })
    }

    fn opt_side(&mut self) -> Result<Option<Side>, Malformed> {
        match self.none() {
            true => Ok(None),
            false => self.side().map(Some),
        }
    }

    fn item(&mut self) -> Result<ItemPlan, Malformed> {
        let drill_id = self.string()?;
        let name = self.string()?;
        let description = self.string()?;
        let cues = self.strings()?;
        let policy = match self.below(2)? {
            0 => PainPolicy::PainFree,
            _ => PainPolicy::Monitored,
        };
        let regression = self.opt_string()?;
        let regression_name = self.opt_string()?;
        let level = self.u32()?;
        let sets = self.u32()?;
        let reps = self.opt_u32()?;
        let hold_s = self.opt_u32()?;
        let end_pause_s = self.u32()?;
        let rep_s = self.u32()?;
        let rest_s = self.u32()?;
        let mut sides = Vec::new();
        for _ in 0..self.len()? {
            sides.push(self.side()?);
        }
        let extra_set_side = self.opt_side()?;
        let asset_id = self.string()?;
        let mirrorable = self.bool()?;
        let mut segments = Vec::new();
        for _ in 0..self.len()? {
            let kind = match self.below(4)? {
                0 => SegmentKind::Intro,
                1 => SegmentKind::Demo,
                2 => SegmentKind::RepLoop,
                _ => SegmentKind::CommonMistake,
            };
            segments.push((kind, self.u32()?, self.u32()?));
        }
        let mut cue_marks = Vec::new();
        for _ in 0..self.len()? {
            cue_marks.push((self.u32()?, self.u32()?));
        }
        Ok(ItemPlan {
            drill_id,
            name,
            description,
            cues,
            policy,
            regression,
            regression_name,
            level,
            sets,
            reps,
            hold_s,
            end_pause_s,
            rep_s,
            rest_s,
            sides,
            extra_set_side,
            asset_id,
            mirrorable,
            segments,
            cue_marks,
        })
    }

    fn step(&mut self) -> Result<Step, Malformed> {
        Ok(match self.below(8)? {
            0 => Step::NotStarted,
            1 => Step::Intro,
            2 => Step::Work {
                reps_done: self.u32()?,
                since_ms: self.i64()?,
            },
            3 => Step::EndPause {
                reps_done: self.u32()?,
                until_ms: self.i64()?,
            },
            4 => Step::SideSwitch {
                until_ms: self.i64()?,
            },
            5 => Step::PainCheck,
            6 => Step::Rest {
                until_ms: self.i64()?,
            },
            _ => Step::Done,
        })
    }

    fn sets(&mut self) -> Result<Vec<SetLog>, Malformed> {
        let mut out = Vec::new();
        for _ in 0..self.len()? {
            out.push(self.set()?);
        }
        Ok(out)
    }

    fn set(&mut self) -> Result<SetLog, Malformed> {
        let drill_id = self.string()?;
        let side = self.opt_side()?;
        let set_index = self.u32()?;
        let level = self.u32()?;
        let target_reps = self.opt_u32()?;
        let reps_done = self.opt_u32()?;
        let target_hold_s = self.opt_u32()?;
        let hold_s_done = self.opt_u32()?;
        let at = self.at;
        let pain = match self.opt_u32()? {
            Some(p) => Some(Score::new(i64::from(p)).map_err(|_| Malformed(at))?),
            None => None,
        };
        let stretch = self.bool()?;
        let stopped = self.bool()?;
        let skipped = self.bool()?;
        let reason_code = self.opt_string()?;
        let note = self.opt_string()?;
        let at = self.at;
        let secs = self.i64()?;
        let nanos = self.u32()?;
        let Some(instant) = DateTime::<Utc>::from_timestamp(secs, nanos) else {
            return Err(Malformed(at));
        };
        Ok(SetLog {
            drill_id,
            side,
            set_index,
            level,
            target_reps,
            reps_done,
            target_hold_s,
            hold_s_done,
            pain,
            stretch,
            stopped,
            skipped,
            reason_code,
            note,
            at: instant,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    /// Any text, with the codec's own separators and multi-byte characters likely.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_]{0,12}",
            "[;:~{}0-9\\-é😀 \"\\\\]{0,8}",
            "\\PC{0,16}",
            any::<String>(),
        ]
    }

    fn side() -> impl Strategy<Value = Side> {
        prop_oneof![Just(Side::Left), Just(Side::Right)]
    }

    fn ms() -> impl Strategy<Value = i64> {
        prop_oneof![
            any::<i64>(),
            0..=super::super::MAX_INSTANT_MS,
            Just(i64::MIN)
        ]
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        // Whole range chrono allows, sub-second precision, and leap seconds (nanoseconds
        // ≥ 10⁹ on a minute's last second), which a JSON snapshot could hold.
        prop_oneof![
            (
                -8_000_000_000_000i64..8_000_000_000_000,
                0u32..1_000_000_000
            ),
            (-1_000_000i64..1_000_000).prop_map(|m| (m * 60 + 59, 1_500_000_000)),
            (0i64..7_258_118_400, Just(0u32)),
        ]
        .prop_filter_map("in chrono's range", |(s, n)| {
            DateTime::<Utc>::from_timestamp(s, n)
        })
    }

    fn set() -> impl Strategy<Value = SetLog> {
        (
            (text(), option::of(side()), any::<u32>(), any::<u32>()),
            std::array::from_fn::<_, 4, _>(|_| option::of(any::<u32>())),
            (option::of(0i64..=10), any::<[bool; 3]>()),
            (option::of(text()), option::of(text()), instant()),
        )
            .prop_map(
                |(
                    (drill_id, side, set_index, level),
                    [target_reps, reps_done, target_hold_s, hold_s_done],
                    (pain, [stretch, stopped, skipped]),
                    (reason_code, note, at),
                )| SetLog {
                    drill_id,
                    side,
                    set_index,
                    level,
                    target_reps,
                    reps_done,
                    target_hold_s,
                    hold_s_done,
                    pain: pain.and_then(|p| Score::new(p).ok()),
                    stretch,
                    stopped,
                    skipped,
                    reason_code,
                    note,
                    at,
                },
            )
    }

    fn item() -> impl Strategy<Value = ItemPlan> {
        let kind = prop_oneof![
            Just(SegmentKind::Intro),
            Just(SegmentKind::Demo),
            Just(SegmentKind::RepLoop),
            Just(SegmentKind::CommonMistake),
        ];
        (
            (text(), text(), text(), vec(text(), 0..4), any::<bool>()),
            (option::of(text()), option::of(text()), any::<[u32; 5]>()),
            (option::of(any::<u32>()), option::of(any::<u32>())),
            (vec(side(), 0..3), option::of(side()), text(), any::<bool>()),
            (
                vec((kind, any::<u32>(), any::<u32>()), 0..4),
                vec(any::<(u32, u32)>(), 0..4),
            ),
        )
            .prop_map(
                |(
                    (drill_id, name, description, cues, monitored),
                    (regression, regression_name, [level, sets, end_pause_s, rep_s, rest_s]),
                    (reps, hold_s),
                    (sides, extra_set_side, asset_id, mirrorable),
                    (segments, cue_marks),
                )| ItemPlan {
                    drill_id,
                    name,
                    description,
                    cues,
                    policy: match monitored {
                        true => PainPolicy::Monitored,
                        false => PainPolicy::PainFree,
                    },
                    regression,
                    regression_name,
                    level,
                    sets,
                    reps,
                    hold_s,
                    end_pause_s,
                    rep_s,
                    rest_s,
                    sides,
                    extra_set_side,
                    asset_id,
                    mirrorable,
                    segments,
                    cue_marks,
                },
            )
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::NotStarted),
            Just(Step::Intro),
            (any::<u32>(), ms()).prop_map(|(reps_done, since_ms)| Step::Work {
                reps_done,
                since_ms
            }),
            (any::<u32>(), ms()).prop_map(|(reps_done, until_ms)| Step::EndPause {
                reps_done,
                until_ms
            }),
            ms().prop_map(|until_ms| Step::SideSwitch { until_ms }),
            Just(Step::PainCheck),
            ms().prop_map(|until_ms| Step::Rest { until_ms }),
            Just(Step::Done),
        ]
    }

    fn decision() -> impl Strategy<Value = Decision> {
        (text(), option::of(text()), option::of(text()), text()).prop_map(
            |(code, drill_id, regression, message)| Decision {
                code,
                drill_id,
                regression,
                message,
            },
        )
    }

    fn runner() -> impl Strategy<Value = SessionRunner> {
        (
            (
                any::<u32>(),
                text(),
                vec(item(), 0..3),
                any::<usize>(),
                any::<usize>(),
            ),
            (
                step(),
                std::array::from_fn::<_, 3, _>(|_| option::of(ms())),
                ms(),
                any::<u32>(),
            ),
            (vec(set(), 0..3), vec(set(), 0..3), vec(decision(), 0..3)),
            (
                vec(text(), 0..3),
                std::array::from_fn::<_, 2, _>(|_| option::of(ms())),
                ms(),
                any::<[bool; 2]>(),
            ),
        )
            .prop_map(
                |(
                    (version, locale, items, item, slot),
                    (step, [paused_at_ms, last_ms, started_ms], paused_total_ms, slots_done),
                    (pending, sets, decisions),
                    (skipped_drills, [s_started, s_ended], active_ms, [referral, early]),
                )| SessionRunner {
                    version,
                    locale,
                    items: Arc::new(items),
                    item,
                    slot,
                    step,
                    paused_at_ms,
                    last_ms,
                    started_ms,
                    paused_total_ms,
                    slots_done,
                    pending,
                    summary: SessionSummary {
                        sets,
                        decisions,
                        skipped_drills,
                        started_ms: s_started,
                        ended_ms: s_ended,
                        active_ms,
                        referral,
                        stopped_early: early,
                    },
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn round_trips(r in runner()) {
            let text = encode(&r);
            prop_assert!(text.starts_with(MAGIC));
            prop_assert_eq!(decode(&text), Ok(r));
        }

        /// The JSON form earlier versions wrote and the compact form read back the same
        /// runner.
        #[test]
        #[cfg(feature = "legacy-profiles")]
        fn json_and_compact_forms_agree(r in runner()) {
            let json = serde_json::to_string(&r).unwrap();
            let from_json: SessionRunner = crate::json::from_text(&json).unwrap();
            prop_assert_eq!(decode(&encode(&from_json)), Ok(from_json.clone()));
            prop_assert_eq!(from_json, r);
        }

        /// Every proper prefix of a snapshot is refused (a torn write reads as damaged).
        #[test]
        fn prefixes_are_refused(r in runner()) {
            let text = encode(&r);
            for end in (0..text.len()).filter(|&e| text.is_char_boundary(e)) {
                prop_assert!(decode(&text[..end]).is_err(), "prefix {end}");
            }
            let longer = format!("{text}0;");
            prop_assert_eq!(decode(&longer), Err(Malformed(text.len())));
        }

        /// One changed byte never panics; what is accepted re-encodes to a fixed point.
        #[test]
        fn damaged_snapshots_never_panic(
            r in runner(),
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![Just(b';'), Just(b':'), Just(b'~'), Just(b'-'), b'0'..=b'9', any::<u8>()],
        ) {
            let mut bytes = encode(&r).into_bytes();
            let at = at.index(bytes.len());
            bytes[at] = byte;
            if let Ok(text) = String::from_utf8(bytes) {
                if let Ok(again) = decode(&text) {
                    let once = encode(&again);
                    prop_assert_eq!(decode(&once), Ok(again));
                }
            }
        }

        #[test]
        fn junk_never_panics(text in "talus-run;[0-9;:~\\-a-z]{0,64}") {
            let _ = decode(&text);
        }
    }

    #[test]
    fn exact_form_of_a_small_runner() {
        let r = SessionRunner {
            version: 1,
            locale: "de".into(),
            items: Arc::new(vec![]),
            item: 0,
            slot: 2,
            step: Step::Rest { until_ms: -5 },
            paused_at_ms: None,
            last_ms: Some(7),
            started_ms: None,
            paused_total_ms: 0,
            slots_done: 3,
            pending: vec![],
            summary: SessionSummary {
                sets: vec![],
                decisions: vec![Decision {
                    code: "a;b".into(),
                    drill_id: None,
                    regression: Some("é".into()),
                    message: String::new(),
                }],
                skipped_drills: vec!["x".into()],
                started_ms: None,
                ended_ms: None,
                active_ms: 9,
                referral: true,
                stopped_early: false,
            },
        };
        let text = "talus-run;1;2:de0;0;2;6;-5;~7;~0;3;0;0;1;3:a;b~2:é0:1;1:x~~9;1;0;";
        assert_eq!(encode(&r), text);
        assert_eq!(decode(text), Ok(r));
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let base = "talus-run;1;2:de0;0;2;6;-5;~7;~0;3;0;0;1;3:a;b~2:é0:1;1:x~~9;1;0;";
        assert!(decode(base).is_ok());
        for (from, to) in [
            ("talus-run;1;", "talus-run;4294967296;"), // version beyond u32
            (";6;-5;", ";8;-5;"),                      // no such step
            (";6;-5;", ";6;-9223372036854775809;"),    // below i64
            ("~7;", "~+7;"),                           // a sign that is not a minus
            ("9;1;0;", "9;2;0;"),                      // a bool that is 2
            ("2:é", "1:é"),                            // a string ending mid-character
            ("2:de", "99:de"),                         // a string past the end
            ("2:de", ":de"),                           // a length without digits
        ] {
            let bad = base.replacen(from, to, 1);
            assert_ne!(bad, base);
            assert!(decode(&bad).is_err(), "{bad}");
        }
        assert_eq!(decode("{\"version\":1}"), Err(Malformed(0)));
    }
}
