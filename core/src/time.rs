//! Time-zone parsing and the local-time policy shared by every rule.
//!
//! Instants are always UTC. Anything a person sees or plans in is a local wall time in a
//! named IANA zone. Local times that do not exist (spring-forward gap) resolve to the first
//! valid instant after the gap; local times that happen twice (fall-back fold) resolve once,
//! to the earlier instant.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

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

/// Parses an IANA zone name such as `Europe/London`.
pub fn parse_zone(name: &str) -> Result<Tz, TimeError> {
    name.parse::<Tz>()
        .map_err(|_| TimeError::UnknownZone(name.chars().take(64).collect()))
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
