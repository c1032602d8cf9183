//! The date-time texts the library writes and reads: the fixed forms of the clinician
//! export, reminders, quarantine file names and run imports, RFC 3339 instants, ISO dates
//! and times, and the serde forms of stored and synced records; and the hex of digests.
//!
//! chrono's generic formatter and parser (`DelayedFormat`, `parse_internal`, `Parsed`,
//! `scan`, its serde impls and `to_rfc3339`) were ≈ 15 KB of the phone library for a
//! handful of fixed forms (BENCHMARKS.md "Size", issue 21). This module does the same work
//! in a few small functions, mirroring chrono 0.4's rules step by step: the same texts
//! written byte for byte, the same texts accepted with the same values, and the same error
//! for each rejected text (its kinds and messages are chrono's). The tests hold it to
//! chrono as the oracle, on generated instants and on generated near-miss texts.

use std::fmt::{self, Write as _};

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc,
};

/// One piece of a fixed form: what a chrono strftime specifier or literal stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// `%Y`: the year, four digits at least, signed outside 0–9999.
    Year,
    /// `%m`: the month, two digits.
    Month,
    /// `%d`: the day of the month, two digits.
    Day,
    /// `%H`: the hour, two digits.
    Hour,
    /// `%M`: the minute, two digits.
    Minute,
    /// `%S`: the second, two digits (60 in a leap second).
    Second,
    /// `%.f`: an optional fraction of a second after a dot.
    Fraction,
    /// `%:z`: the UTC offset as `+hh:mm`.
    Offset,
    /// Text written and expected as it is.
    Text(&'static str),
    /// A space when written; any whitespace, or none, when read.
    Space,
}

use Piece::*;

/// `%Y-%m-%d`
pub const DATE: &[Piece] = &[Year, Text("-"), Month, Text("-"), Day];

/// `%Y-%m-%dT%H:%M`
pub const LOCAL_MINUTE: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Text("T"),
    Hour,
    Text(":"),
    Minute,
];

/// `%Y-%m-%d %H:%M`
pub const LOCAL_MINUTE_SPACE: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Space,
    Hour,
    Text(":"),
    Minute,
];

/// `%Y-%m-%dT%H:%M:%S`
pub const LOCAL_SECOND: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Text("T"),
    Hour,
    Text(":"),
    Minute,
    Text(":"),
    Second,
];

/// `%Y-%m-%d %H:%M:%S`
pub const LOCAL_SECOND_SPACE: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Space,
    Hour,
    Text(":"),
    Minute,
    Text(":"),
    Second,
];

/// `%Y-%m-%dT%H:%M:%S%:z`
pub const SECOND_WITH_OFFSET: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Text("T"),
    Hour,
    Text(":"),
    Minute,
    Text(":"),
    Second,
    Offset,
];

/// `%Y-%m-%dT%H:%M:%SZ`
pub const SECOND_UTC: &[Piece] = &[
    Year,
    Text("-"),
    Month,
    Text("-"),
    Day,
    Text("T"),
    Hour,
    Text(":"),
    Minute,
    Text(":"),
    Second,
    Text("Z"),
];

/// `%Y%m%dT%H%M%S`, the head of [`compact_millis`].
const COMPACT_SECOND: &[Piece] = &[Year, Month, Day, Text("T"), Hour, Minute, Second];

/// The date part of chrono's `NaiveDate`/`NaiveDateTime`/`DateTime` readers: whitespace
/// allowed around the dashes.
const LENIENT_DATE: &[Piece] = &[Year, Space, Text("-"), Month, Space, Text("-"), Day];

/// The time part of chrono's RFC 3339 reader: whitespace allowed around the colons.
const LENIENT_TIME: &[Piece] = &[
    Hour,
    Space,
    Text(":"),
    Minute,
    Space,
    Text(":"),
    Second,
    Fraction,
    Space,
];

/// Why a text was not read: chrono's `ParseErrorKind`s, with chrono's messages (they reach
/// serde errors, so they stay the same words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// A field is outside its range, or the fields name no date or time.
    OutOfRange,
    /// The fields contradict each other.
    Impossible,
    /// A field the value needs is missing.
    NotEnough,
    /// A character is not what the form expects there.
    Invalid,
    /// The text ends before the form does.
    TooShort,
    /// The text goes on after the form ends.
    TooLong,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseError::OutOfRange => "input is out of range",
            ParseError::Impossible => "no possible date and time matching input",
            ParseError::NotEnough => "input is not enough for unique date and time",
            ParseError::Invalid => "input contains invalid characters",
            ParseError::TooShort => "premature end of input",
            ParseError::TooLong => "trailing input",
        })
    }
}

impl std::error::Error for ParseError {}

/// The result of reading one of these texts.
pub type ParseResult<T> = Result<T, ParseError>;

/// The fields read so far (chrono's `Parsed`, for the fields these forms have).
#[derive(Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
    nanosecond: Option<u32>,
    offset: Option<i32>,
}

/// Sets a field once; a second, different value for it is a contradiction.
fn set<T: PartialEq>(slot: &mut Option<T>, value: T) -> ParseResult<()> {
    match slot {
        Some(old) if *old != value => Err(ParseError::Impossible),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// Sets a field after checking it lies in `range`.
fn set_in(
    slot: &mut Option<u32>,
    value: i64,
    range: std::ops::RangeInclusive<i64>,
) -> ParseResult<()> {
    if !range.contains(&value) {
        return Err(ParseError::OutOfRange);
    }
    set(slot, value as u32)
}

/// One to `max` ASCII digits at the start of `s`, as a number.
fn number(s: &str, max: usize) -> ParseResult<(&str, i64)> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(ParseError::TooShort);
    }
    let mut n = 0i64;
    for (i, &c) in bytes.iter().take(max).enumerate() {
        if !c.is_ascii_digit() {
            return if i == 0 {
                Err(ParseError::Invalid)
            } else {
                Ok((&s[i..], n))
            };
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(c - b'0')))
            .ok_or(ParseError::OutOfRange)?;
    }
    Ok((&s[max.min(bytes.len())..], n))
}

/// A fraction of a second after its dot: nanoseconds from the first nine digits, any
/// further digits skipped.
fn fraction(s: &str) -> ParseResult<(&str, u32)> {
    const SCALE: [u32; 10] = [
        0,
        100_000_000,
        10_000_000,
        1_000_000,
        100_000,
        10_000,
        1_000,
        100,
        10,
        1,
    ];
    let (rest, value) = number(s, 9)?;
    let digits = s.len() - rest.len();
    // At most nine digits, so at most 999,999,999 once scaled.
    let nanos = value as u32 * SCALE[digits];
    Ok((rest.trim_start_matches(|c: char| c.is_ascii_digit()), nanos))
}

/// A UTC offset in seconds: `Z` when `zulu` allows it, else a sign (`+`, `-` or U+2212),
/// two digits of hours, any colons or whitespace, two digits of minutes.
fn offset(mut s: &str, zulu: bool) -> ParseResult<(&str, i32)> {
    if zulu && matches!(s.as_bytes().first(), Some(b'Z' | b'z')) {
        return Ok((&s[1..], 0));
    }
    let negative = match s.chars().next() {
        Some('+') => false,
        Some('-' | '\u{2212}') => true,
        Some(_) => return Err(ParseError::Invalid),
        None => return Err(ParseError::TooShort),
    };
    s = &s[s.chars().next().map_or(0, char::len_utf8)..];
    let two = |s: &str| match s.as_bytes() {
        [a, b, ..] => Ok((*a, *b)),
        _ => Err(ParseError::TooShort),
    };
    let hours = match two(s)? {
        (h1 @ b'0'..=b'9', h2 @ b'0'..=b'9') => i32::from((h1 - b'0') * 10 + (h2 - b'0')),
        _ => return Err(ParseError::Invalid),
    };
    s = s[2..].trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let minutes = match two(s)? {
        (m1 @ b'0'..=b'5', m2 @ b'0'..=b'9') => i32::from((m1 - b'0') * 10 + (m2 - b'0')),
        (b'6'..=b'9', b'0'..=b'9') => return Err(ParseError::OutOfRange),
        _ => return Err(ParseError::Invalid),
    };
    let seconds = hours * 3600 + minutes * 60;
    Ok((&s[2..], if negative { -seconds } else { seconds }))
}

impl Fields {
    /// Reads `pieces` from the start of `s` and returns the rest (chrono's
    /// `parse_internal`, for these pieces).
    fn read<'s>(&mut self, mut s: &'s str, pieces: &[Piece]) -> ParseResult<&'s str> {
        for piece in pieces {
            match *piece {
                Text(text) => {
                    if s.len() < text.len() {
                        return Err(ParseError::TooShort);
                    }
                    s = s.strip_prefix(text).ok_or(ParseError::Invalid)?;
                }
                Space => s = s.trim_start(),
                Fraction => {
                    if let Some(digits) = s.strip_prefix('.') {
                        let (rest, nanos) = fraction(digits)?;
                        s = rest;
                        set(&mut self.nanosecond, nanos)?;
                    }
                }
                Offset => {
                    let (rest, seconds) = offset(s.trim_start(), false)?;
                    s = rest;
                    set(&mut self.offset, seconds)?;
                }
                Year => {
                    s = s.trim_start();
                    let (rest, year) = if let Some(digits) = s.strip_prefix('-') {
                        let (rest, v) = number(digits, usize::MAX)?;
                        (rest, -v)
                    } else if let Some(digits) = s.strip_prefix('+') {
                        number(digits, usize::MAX)?
                    } else {
                        number(s, 4)?
                    };
                    s = rest;
                    let year = i32::try_from(year).map_err(|_| ParseError::OutOfRange)?;
                    set(&mut self.year, year)?;
                }
                Month | Day | Hour | Minute | Second => {
                    let (rest, v) = number(s.trim_start(), 2)?;
                    s = rest;
                    match *piece {
                        Month => set_in(&mut self.month, v, 1..=12)?,
                        Day => set_in(&mut self.day, v, 1..=31)?,
                        Hour => set_in(&mut self.hour, v, 0..=23)?,
                        Minute => set_in(&mut self.minute, v, 0..=59)?,
                        _ => set_in(&mut self.second, v, 0..=60)?,
                    }
                }
            }
        }
        Ok(s)
    }

    /// Reads all of `s` as `pieces`.
    fn read_all(s: &str, pieces: &[Piece]) -> ParseResult<Fields> {
        let mut fields = Fields::default();
        match fields.read(s, pieces)? {
            "" => Ok(fields),
            _ => Err(ParseError::TooLong),
        }
    }

    /// chrono's `Parsed::to_naive_date`, for a year, month and day.
    fn date(&self) -> ParseResult<NaiveDate> {
        match (self.year, self.month, self.day) {
            (Some(year), Some(month), Some(day)) => {
                NaiveDate::from_ymd_opt(year, month, day).ok_or(ParseError::OutOfRange)
            }
            _ => Err(ParseError::NotEnough),
        }
    }

    /// chrono's `Parsed::to_naive_time`: seconds may be missing, a fraction only with them;
    /// second 60 is a leap second.
    fn time(&self) -> ParseResult<NaiveTime> {
        let (Some(hour), Some(minute)) = (self.hour, self.minute) else {
            return Err(ParseError::NotEnough);
        };
        let (second, leap) = match self.second.unwrap_or(0) {
            60 => (59, 1_000_000_000),
            second => (second, 0),
        };
        let nano = match (self.nanosecond, self.second) {
            (Some(nano), Some(_)) => nano,
            (Some(_), None) => return Err(ParseError::NotEnough),
            (None, _) => 0,
        };
        NaiveTime::from_hms_nano_opt(hour, minute, second, leap + nano)
            .ok_or(ParseError::OutOfRange)
    }

    /// chrono's `Parsed::to_naive_datetime_with_offset`: the date's error first.
    fn date_time(&self) -> ParseResult<NaiveDateTime> {
        let date = self.date();
        let time = self.time();
        Ok(date?.and_time(time?))
    }

    /// chrono's `Parsed::to_datetime`: the local date and time at the offset read.
    fn instant(&self) -> ParseResult<DateTime<FixedOffset>> {
        let seconds = self.offset.ok_or(ParseError::NotEnough)?;
        let local = self.date_time()?;
        let offset = FixedOffset::east_opt(seconds).ok_or(ParseError::OutOfRange)?;
        offset
            .from_local_datetime(&local)
            .single()
            .ok_or(ParseError::Impossible)
    }
}

/// `NaiveDateTime::parse_from_str(text, pattern)` for the pattern `pieces` stands for.
pub fn parse_naive(text: &str, pieces: &[Piece]) -> ParseResult<NaiveDateTime> {
    Fields::read_all(text, pieces)?.date_time()
}

/// `NaiveDate::parse_from_str(text, "%Y-%m-%d")`.
pub fn parse_date(text: &str) -> ParseResult<NaiveDate> {
    Fields::read_all(text, DATE)?.date()
}

/// `text.parse::<NaiveDate>()`: `%Y-%m-%d` with whitespace allowed around the dashes and
/// after the day (chrono's `FromStr` and serde reader).
pub fn parse_iso_date(text: &str) -> ParseResult<NaiveDate> {
    let mut fields = Fields::default();
    let rest = fields.read(text, LENIENT_DATE)?;
    match rest.trim_start() {
        "" => fields.date(),
        _ => Err(ParseError::TooLong),
    }
}

/// `text.parse::<NaiveTime>()`: `%H:%M`, then `:%S` with an optional fraction if it reads,
/// whitespace allowed around the colons and at the end (chrono's `FromStr` and serde
/// reader).
pub fn parse_time(text: &str) -> ParseResult<NaiveTime> {
    const HOUR_AND_MINUTE: &[Piece] = &[Hour, Space, Text(":"), Minute];
    const SECOND_AND_FRACTION: &[Piece] = &[Space, Text(":"), Second, Fraction, Space];
    let mut fields = Fields::default();
    let rest = fields.read(text, HOUR_AND_MINUTE)?;
    // Seconds are optional: a failed attempt leaves the rest as it was. Whatever it set
    // before failing only matters if the rest is blank, and then it set nothing.
    let rest = fields.read(rest, SECOND_AND_FRACTION).unwrap_or(rest);
    match rest.trim_start() {
        "" => fields.time(),
        _ => Err(ParseError::TooLong),
    }
}

/// `text.parse::<DateTime<FixedOffset>>()`, chrono's relaxed RFC 3339: whitespace
/// allowed around the separators, `T`, `t` or a space between date and time, an offset
/// of `Z`, `UTC` (any case) or `±hh:mm` (colons or whitespace optional), whitespace at
/// the end. chrono's serde reader of `DateTime` reads the same.
pub fn parse_instant(text: &str) -> ParseResult<DateTime<FixedOffset>> {
    let mut fields = Fields::default();
    let mut s = fields.read(text, LENIENT_DATE)?;
    s = match s.as_bytes().first() {
        Some(b't' | b'T' | b' ') => &s[1..],
        Some(_) => return Err(ParseError::Invalid),
        None => return Err(ParseError::TooShort),
    };
    s = fields.read(s, LENIENT_TIME)?.trim_start();
    let (rest, seconds) = match s.get(..3) {
        Some(utc) if utc.eq_ignore_ascii_case("UTC") => (&s[3..], 0),
        _ => offset(s, true)?,
    };
    set(&mut fields.offset, seconds)?;
    if !rest.trim_start().is_empty() {
        return Err(ParseError::TooLong);
    }
    fields.instant()
}

/// `DateTime::parse_from_rfc3339(text).ok()`: strict RFC 3339, `YYYY-MM-DD`, `T`, `t` or
/// a space, `hh:mm:ss`, an optional fraction, then `Z`, `z` or `±hh:mm`, nothing else.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    let head = bytes.get(..19)?;
    let digits = |at: std::ops::Range<usize>| -> Option<u32> {
        head[at].iter().try_fold(0, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| head[at] != c) || !matches!(head[10], b't' | b'T' | b' ') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    let (second, leap) = match digits(17..19)? {
        60 => (59, 1_000_000_000),
        second => (second, 0),
    };
    let (rest, nano) = match bytes.get(19) {
        Some(b'.') => fraction(&text[20..]).ok()?,
        _ => (&text[19..], 0),
    };
    let time = NaiveTime::from_hms_nano_opt(digits(11..13)?, digits(14..16)?, second, leap + nano)?;
    let (rest, seconds) = strict_offset(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let offset = FixedOffset::east_opt(seconds)?;
    offset.from_local_datetime(&date.and_time(time)).single()
}

/// The offset of strict RFC 3339: `Z`, `z`, or a sign, `hh`, one colon, `mm`.
fn strict_offset(s: &str) -> Option<(&str, i32)> {
    if matches!(s.as_bytes().first(), Some(b'Z' | b'z')) {
        return Some((&s[1..], 0));
    }
    let (negative, s) = if let Some(s) = s.strip_prefix('+') {
        (false, s)
    } else if let Some(s) = s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        (true, s)
    } else {
        return None;
    };
    let (hours, minutes) = match s.as_bytes() {
        [h1 @ b'0'..=b'9', h2 @ b'0'..=b'9', b':', m1 @ b'0'..=b'5', m2 @ b'0'..=b'9', ..] => (
            i32::from((h1 - b'0') * 10 + (h2 - b'0')),
            i32::from((m1 - b'0') * 10 + (m2 - b'0')),
        ),
        _ => return None,
    };
    let seconds = hours * 3600 + minutes * 60;
    Some((&s[5..], if negative { -seconds } else { seconds }))
}

/// The calendar fields of a date and time, as chrono's `Datelike` and `Timelike` give them
/// (for a `DateTime`, of its local time even past the range of `NaiveDateTime`).
struct Civil {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nano: u32,
}

impl Civil {
    fn of(at: &(impl Datelike + Timelike)) -> Civil {
        Civil {
            year: at.year(),
            month: at.month(),
            day: at.day(),
            hour: at.hour(),
            minute: at.minute(),
            second: at.second(),
            nano: at.nanosecond(),
        }
    }

    /// `YYYY-MM-DD`, as chrono's `Display` of a date.
    fn push_date(&self, out: &mut String) {
        push_year(out, self.year);
        out.push('-');
        push_two(out, self.month);
        out.push('-');
        push_two(out, self.day);
    }

    /// `hh:mm:ss` and the shortest of no fraction, milli-, micro- or nanoseconds that is
    /// exact, as chrono's `Display` of a time and its RFC 3339 writer
    /// (`SecondsFormat::AutoSi`); a leap second is second 60.
    fn push_time(&self, out: &mut String) {
        push_two(out, self.hour);
        out.push(':');
        push_two(out, self.minute);
        out.push(':');
        push_two(out, self.second + self.nano / 1_000_000_000);
        push_fraction(out, self.nano % 1_000_000_000);
    }
}

/// Two digits of `value` (below 100).
fn push_two(out: &mut String, value: u32) {
    out.push(char::from(b'0' + (value / 10 % 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// The year as chrono writes it: four digits in 0–9999, else signed and at least four.
fn push_year(out: &mut String, year: i32) {
    if (0..=9999).contains(&year) {
        push_two(out, (year / 100) as u32);
        push_two(out, (year % 100) as u32);
    } else {
        let _ = write!(out, "{year:+05}");
    }
}

/// The fraction of [`Civil::push_time`].
fn push_fraction(out: &mut String, nano: u32) {
    let _ = if nano == 0 {
        Ok(())
    } else if nano % 1_000_000 == 0 {
        write!(out, ".{:03}", nano / 1_000_000)
    } else if nano % 1_000 == 0 {
        write!(out, ".{:06}", nano / 1_000)
    } else {
        write!(out, ".{nano:09}")
    };
}

/// `±hh:mm`, rounded to the nearest minute; `Z` for zero when `zulu`.
fn push_offset(out: &mut String, offset: FixedOffset, zulu: bool) {
    let seconds = offset.local_minus_utc();
    if zulu && seconds == 0 {
        out.push('Z');
        return;
    }
    out.push(if seconds < 0 { '-' } else { '+' });
    let minutes = (seconds.unsigned_abs() + 30) / 60;
    push_two(out, minutes / 60);
    out.push(':');
    push_two(out, minutes % 60);
}

/// `local` written with `pieces`; `offset` is what `Offset` writes (nothing without one).
fn write_pieces(local: &Civil, offset: Option<FixedOffset>, pieces: &[Piece]) -> String {
    let mut out = String::with_capacity(32);
    for piece in pieces {
        match *piece {
            Year => push_year(&mut out, local.year),
            Month => push_two(&mut out, local.month),
            Day => push_two(&mut out, local.day),
            Hour => push_two(&mut out, local.hour),
            Minute => push_two(&mut out, local.minute),
            Second => push_two(&mut out, local.second + local.nano / 1_000_000_000),
            Fraction => push_fraction(&mut out, local.nano % 1_000_000_000),
            Offset => {
                if let Some(offset) = offset {
                    push_offset(&mut out, offset, false);
                }
            }
            Text(text) => out.push_str(text),
            Space => out.push(' '),
        }
    }
    out
}

/// `at` written with `pieces`: `at.format(pattern).to_string()`.
pub fn write<Tz: TimeZone>(at: &DateTime<Tz>, pieces: &[Piece]) -> String {
    write_pieces(&Civil::of(at), Some(at.offset().fix()), pieces)
}

/// `at` written with `pieces`: `at.format(pattern).to_string()`.
pub fn write_naive(at: &NaiveDateTime, pieces: &[Piece]) -> String {
    write_pieces(&Civil::of(at), None, pieces)
}

/// `at.format("%Y%m%dT%H%M%S%3fZ").to_string()`: `%3f` is the milliseconds, three digits.
pub fn compact_millis(at: &DateTime<Utc>) -> String {
    let mut out = write(at, COMPACT_SECOND);
    let millis = at.nanosecond() / 1_000_000 % 1_000;
    let _ = write!(out, "{millis:03}Z");
    out
}

/// RFC 3339 as chrono writes an instant (`SecondsFormat::AutoSi`, `+00:00`, or `Z` when
/// `zulu`).
fn rfc3339(at: &DateTime<Utc>, zulu: bool) -> String {
    let mut out = String::with_capacity(32);
    let civil = Civil::of(at);
    civil.push_date(&mut out);
    out.push('T');
    civil.push_time(&mut out);
    push_offset(&mut out, Utc.fix(), zulu);
    out
}

/// `at.to_rfc3339()`: RFC 3339 ending in `+00:00`.
pub fn to_rfc3339(at: &DateTime<Utc>) -> String {
    rfc3339(at, false)
}

/// chrono's serde form of an instant: RFC 3339 ending in `Z`.
pub fn instant_text(at: &DateTime<Utc>) -> String {
    rfc3339(at, true)
}

/// `date.to_string()`: `YYYY-MM-DD`.
pub fn date_text(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    Civil::of(&date.and_time(NaiveTime::MIN)).push_date(&mut out);
    out
}

/// `time.to_string()`: `hh:mm:ss` and the shortest exact fraction.
pub fn time_text(time: NaiveTime) -> String {
    let mut out = String::with_capacity(18);
    Civil::of(&NaiveDate::MIN.and_time(time)).push_time(&mut out);
    out
}

/// `at.to_string()` of a local date and time: the date, a space, the time.
pub fn naive_text(at: &NaiveDateTime) -> String {
    let mut out = String::with_capacity(29);
    let civil = Civil::of(at);
    civil.push_date(&mut out);
    out.push(' ');
    civil.push_time(&mut out);
    out
}

/// serde `with` modules that write and read dates and times as chrono's own serde impls
/// do (the same strings, the same accepted texts, the same error messages), without its
/// generic formatter and parser. Each `Option` field using one also needs
/// `#[serde(default)]`, which keeps a missing field reading as `None`.
pub mod serde_form {
    use super::*;
    use serde::de::{self, Deserializer, Visitor};
    use serde::Serializer;

    /// A visitor of strings read by `read`; `expecting` is chrono's wording.
    struct TextVisitor<T> {
        expecting: &'static str,
        read: fn(&str) -> ParseResult<T>,
    }

    impl<T> Visitor<'_> for TextVisitor<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str(self.expecting)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            (self.read)(value).map_err(E::custom)
        }
    }

    /// serde's own visitor of an `Option`, around `TextVisitor`.
    struct OptionVisitor<T>(TextVisitor<T>);

    impl<'de, T> Visitor<'de> for OptionVisitor<T> {
        type Value = Option<T>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("option")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Option<T>, D::Error> {
            inner.deserialize_str(self.0).map(Some)
        }
    }

    fn utc(text: &str) -> ParseResult<DateTime<Utc>> {
        parse_instant(text).map(|at| at.with_timezone(&Utc))
    }

    const INSTANT: TextVisitor<DateTime<Utc>> = TextVisitor {
        expecting: "an RFC 3339 formatted date and time string",
        read: utc,
    };

    const DATE_VISITOR: TextVisitor<NaiveDate> = TextVisitor {
        expecting: "a formatted date string",
        read: parse_iso_date,
    };

    const TIME: TextVisitor<NaiveTime> = TextVisitor {
        expecting: "a formatted time string",
        read: parse_time,
    };

    /// `DateTime<Utc>`: RFC 3339 ending in `Z`; any offset read as the same instant.
    pub mod instant {
        use super::*;

        pub fn serialize<S: Serializer>(at: &DateTime<Utc>, out: S) -> Result<S::Ok, S::Error> {
            out.serialize_str(&instant_text(at))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<DateTime<Utc>, D::Error> {
            from.deserialize_str(INSTANT)
        }
    }

    /// `Option<DateTime<Utc>>`, as [`instant`].
    pub mod instant_option {
        use super::*;

        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            out: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => out.serialize_some(&instant_text(at)),
                None => out.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            from: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            from.deserialize_option(OptionVisitor(INSTANT))
        }
    }

    /// `NaiveDate`: `YYYY-MM-DD`.
    pub mod date {
        use super::*;

        pub fn serialize<S: Serializer>(date: &NaiveDate, out: S) -> Result<S::Ok, S::Error> {
            out.serialize_str(&date_text(*date))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<NaiveDate, D::Error> {
            from.deserialize_str(DATE_VISITOR)
        }
    }

    /// `NaiveTime`: `hh:mm:ss` and the shortest exact fraction.
    pub mod time {
        use super::*;

        pub fn serialize<S: Serializer>(time: &NaiveTime, out: S) -> Result<S::Ok, S::Error> {
            out.serialize_str(&time_text(*time))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<NaiveTime, D::Error> {
            from.deserialize_str(TIME)
        }
    }

    /// `Option<NaiveTime>`, as [`time`].
    pub mod time_option {
        use super::*;

        pub fn serialize<S: Serializer>(
            time: &Option<NaiveTime>,
            out: S,
        ) -> Result<S::Ok, S::Error> {
            match time {
                Some(time) => out.serialize_some(&time_text(*time)),
                None => out.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            from: D,
        ) -> Result<Option<NaiveTime>, D::Error> {
            from.deserialize_option(OptionVisitor(TIME))
        }
    }
}

/// `bytes` as lowercase hex, two digits a byte (what `format!("{b:02x}")` writes for each,
/// without a formatter and a text per byte: reminders hash every one they return).
pub fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |nibble: u8| char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'));
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_hex_is_format_two_digit_hex_of_each_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::lower_hex(&bytes), expected);
        assert_eq!(super::lower_hex(&[]), "");
    }
    use chrono::format::{Fixed, Item, Numeric, Pad, StrftimeItems};
    use proptest::prelude::*;
    use std::str::FromStr;

    const PATTERNS: &[(&str, &[Piece])] = &[
        ("%Y-%m-%d", DATE),
        ("%Y-%m-%dT%H:%M", LOCAL_MINUTE),
        ("%Y-%m-%d %H:%M", LOCAL_MINUTE_SPACE),
        ("%Y-%m-%dT%H:%M:%S", LOCAL_SECOND),
        ("%Y-%m-%d %H:%M:%S", LOCAL_SECOND_SPACE),
        ("%Y-%m-%dT%H:%M:%S%:z", SECOND_WITH_OFFSET),
        ("%Y-%m-%dT%H:%M:%SZ", SECOND_UTC),
        ("%Y%m%dT%H%M%S", COMPACT_SECOND),
    ];

    /// The chrono item a piece stands for.
    fn item(piece: Piece) -> Item<'static> {
        let num = |n| Item::Numeric(n, Pad::Zero);
        match piece {
            Year => num(Numeric::Year),
            Month => num(Numeric::Month),
            Day => num(Numeric::Day),
            Hour => num(Numeric::Hour),
            Minute => num(Numeric::Minute),
            Second => num(Numeric::Second),
            Fraction => Item::Fixed(Fixed::Nanosecond),
            Offset => Item::Fixed(Fixed::TimezoneOffsetColon),
            Text(text) => Item::Literal(text),
            Space => Item::Space(" "),
        }
    }

    /// The pieces are exactly chrono's reading of each pattern, so the oracle below is
    /// `format(pattern)` and `parse_from_str(…, pattern)` themselves.
    #[test]
    fn pieces_are_what_strftime_makes_of_each_pattern() {
        for (pattern, pieces) in PATTERNS {
            let strftime: Vec<Item> = StrftimeItems::new(pattern).collect();
            let ours: Vec<Item> = pieces.iter().map(|p| item(*p)).collect();
            assert_eq!(strftime, ours, "{pattern}");
        }
    }

    /// The same value, or an error with the same message.
    fn same<T: PartialEq + std::fmt::Debug>(
        ours: ParseResult<T>,
        chrono: Result<T, chrono::ParseError>,
        text: &str,
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            ours.map_err(|e| e.to_string()),
            chrono.map_err(|e| e.to_string()),
            "{:?}",
            text
        );
        Ok(())
    }

    /// Every reader against chrono's on one text.
    fn reads_as_chrono(text: &str) -> Result<(), TestCaseError> {
        for (pattern, pieces) in PATTERNS {
            same(
                parse_naive(text, pieces),
                NaiveDateTime::parse_from_str(text, pattern),
                text,
            )?;
        }
        same(
            parse_date(text),
            NaiveDate::parse_from_str(text, "%Y-%m-%d"),
            text,
        )?;
        same(parse_iso_date(text), NaiveDate::from_str(text), text)?;
        same(parse_time(text), NaiveTime::from_str(text), text)?;
        same(
            parse_instant(text),
            DateTime::<FixedOffset>::from_str(text),
            text,
        )?;
        prop_assert_eq!(
            parse_rfc3339(text),
            DateTime::parse_from_rfc3339(text).ok(),
            "{:?}",
            text
        );
        // The serde readers, on a JSON string.
        let json = serde_json::Value::String(text.to_owned());
        let err = |e: serde_json::Error| e.to_string();
        prop_assert_eq!(
            serde_form::instant::deserialize(&json).map_err(err),
            serde_json::from_value::<DateTime<Utc>>(json.clone()).map_err(err)
        );
        prop_assert_eq!(
            serde_form::date::deserialize(&json).map_err(err),
            serde_json::from_value::<NaiveDate>(json.clone()).map_err(err)
        );
        prop_assert_eq!(
            serde_form::time::deserialize(&json).map_err(err),
            serde_json::from_value::<NaiveTime>(json.clone()).map_err(err)
        );
        Ok(())
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        // Years −400 to 12,000, leap seconds included: chrono's sign and width rules.
        (
            -12_700_000_000_000i64..316_000_000_000_000,
            prop_oneof![
                Just(0u32),
                (0u32..2_000).prop_map(|ms| ms * 1_000_000),
                (0u32..2_000_000).prop_map(|us| us * 1_000),
                0u32..2_000_000_000,
            ],
        )
            .prop_map(|(ms, nanos)| {
                let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
                at.with_nanosecond(nanos).unwrap_or(at)
            })
    }

    /// Texts near the written forms: one of them with characters replaced, inserted or
    /// removed, drawn from what the forms and their near misses contain.
    fn near_miss() -> impl Strategy<Value = String> {
        let written = (instant(), -86_399i32..86_400, 0usize..6 + PATTERNS.len()).prop_map(
            |(at, off, form)| {
                let local = at.with_timezone(&FixedOffset::east_opt(off).unwrap());
                match form {
                    0 => at.to_rfc3339(),
                    1 => local.to_rfc3339(),
                    2 => serde_json::to_value(at)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    3 => local.format("%Y-%m-%d %H:%M:%S%.f UTC").to_string(),
                    4 => at.date_naive().to_string(),
                    5 => at.time().to_string(),
                    n => local.format(PATTERNS[n - 6].0).to_string(),
                }
            },
        );
        let edit = (0usize..40, 0u8..3, prop::sample::select(EDIT_CHARS));
        (written, prop::collection::vec(edit, 0..3)).prop_map(|(mut text, edits)| {
            for (at, how, c) in edits {
                let chars: Vec<char> = text.chars().collect();
                let at = at % (chars.len() + 1);
                let mut chars = chars;
                match how {
                    0 if at < chars.len() => chars[at] = c,
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.insert(at, c),
                }
                text = chars.into_iter().collect();
            }
            text
        })
    }

    const EDIT_CHARS: &[char] = &[
        '0', '1', '2', '5', '6', '9', ' ', '\t', '\u{a0}', '\u{2212}', '-', '+', ':', '.', 'T',
        't', 'Z', 'z', 'U', 'u', 'C', 'x', 'é',
    ];

    #[test]
    fn reads_edge_cases_as_chrono_does() {
        for text in [
            "",
            " ",
            "2026-05-04",
            " 2026 - 05 - 04 ",
            "2026-02-30",
            "+2026-05-04",
            "-0001-01-01",
            "+99999999999-01-01",
            "12:30",
            "12:30:60",
            "12:30:59.9999999999",
            "12:30 :15",
            "24:00",
            "12:30.5",
            "2026-05-04T09:00:00Z",
            "2026-05-04t09:00:00z",
            "2026-05-04 09:00:00 utc",
            "2026-05-04T09:00:00+24:00",
            "2026-05-04T09:00:00+23:59",
            "2026-05-04T09:00:00\u{2212}05:00",
            "2026-05-04T09:00:00+05",
            "2026-05-04T09:00:00+0500",
            "2026-05-04T09:00:00+05 00",
            "2026-05-04T09:00:00+05:60",
            "2026-05-04T09:00:60.5+05:00",
            "2026-05-04T09:00:00.+05:00",
            "2026-05-04T09:00+05:00",
            "262143-12-31T23:59:59-01:00",
            "+262143-12-31T23:59:59-01:00",
            "-262143-01-01T00:00:00+01:00",
            "2026-05-04T09:00:00+05:00 x",
            "2026-05-04T09:00:00Zé",
            "2026-05-04é09:00:00Z",
        ] {
            reads_as_chrono(text).unwrap();
        }
    }

    fn serde_writes_as_chrono(at: DateTime<Utc>) -> Result<(), TestCaseError> {
        let mut ours = serde_json::Serializer::new(Vec::new());
        serde_form::instant::serialize(&at, &mut ours).unwrap();
        prop_assert_eq!(ours.into_inner(), serde_json::to_vec(&at).unwrap());
        let value = serde_form::instant::serialize(&at, serde_json::value::Serializer).unwrap();
        prop_assert_eq!(value, serde_json::to_value(at).unwrap());
        let some = serde_form::instant_option::serialize(&Some(at), serde_json::value::Serializer);
        prop_assert_eq!(some.unwrap(), serde_json::to_value(Some(at)).unwrap());
        let date = at.date_naive();
        let value = serde_form::date::serialize(&date, serde_json::value::Serializer).unwrap();
        prop_assert_eq!(value, serde_json::to_value(date).unwrap());
        let time = at.time();
        let value = serde_form::time::serialize(&time, serde_json::value::Serializer).unwrap();
        prop_assert_eq!(value, serde_json::to_value(time).unwrap());
        let some = serde_form::time_option::serialize(&Some(time), serde_json::value::Serializer);
        prop_assert_eq!(some.unwrap(), serde_json::to_value(Some(time)).unwrap());
        Ok(())
    }

    #[test]
    fn options_read_and_write_as_chrono_does() {
        use serde_json::{json, Value};
        let none = serde_form::instant_option::serialize(&None, serde_json::value::Serializer);
        assert_eq!(none.unwrap(), Value::Null);
        let none = serde_form::time_option::serialize(&None, serde_json::value::Serializer);
        assert_eq!(none.unwrap(), Value::Null);
        let err = |e: serde_json::Error| e.to_string();
        for value in [
            Value::Null,
            json!("2026-05-04T09:00:00Z"),
            json!("18:00"),
            json!("nope"),
            json!(5),
            json!([]),
        ] {
            assert_eq!(
                serde_form::instant_option::deserialize(&value).map_err(err),
                serde_json::from_value::<Option<DateTime<Utc>>>(value.clone()).map_err(err)
            );
            assert_eq!(
                serde_form::time_option::deserialize(&value).map_err(err),
                serde_json::from_value::<Option<NaiveTime>>(value.clone()).map_err(err)
            );
            assert_eq!(
                serde_form::instant::deserialize(&value).map_err(err),
                serde_json::from_value::<DateTime<Utc>>(value.clone()).map_err(err)
            );
            assert_eq!(
                serde_form::date::deserialize(&value).map_err(err),
                serde_json::from_value::<NaiveDate>(value.clone()).map_err(err)
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn writes_as_chrono_does(at in instant(), offset_s in -86_399i32..86_400) {
            let offset = FixedOffset::east_opt(offset_s).unwrap();
            let local = at.with_timezone(&offset);
            prop_assert_eq!(
                write(&local, SECOND_WITH_OFFSET),
                local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
            prop_assert_eq!(write(&at, SECOND_UTC), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            prop_assert_eq!(compact_millis(&at), at.format("%Y%m%dT%H%M%S%3fZ").to_string());
            for (pattern, pieces) in PATTERNS {
                prop_assert_eq!(write(&local, pieces), local.format(pattern).to_string());
            }
            let naive = local.naive_local();
            prop_assert_eq!(
                write_naive(&naive, LOCAL_MINUTE),
                naive.format("%Y-%m-%dT%H:%M").to_string()
            );
            prop_assert_eq!(to_rfc3339(&at), at.to_rfc3339());
            prop_assert_eq!(naive_text(&naive), naive.to_string());
            prop_assert_eq!(date_text(naive.date()), naive.date().to_string());
            prop_assert_eq!(time_text(naive.time()), naive.time().to_string());
            serde_writes_as_chrono(at)?;
        }

        #[test]
        fn reads_texts_as_chrono_does(text in "[ 0-9:TtZz+.uUtTcC\u{2212}-]{0,30}") {
            reads_as_chrono(&text)?;
        }

        #[test]
        fn reads_near_misses_as_chrono_does(text in near_miss()) {
            reads_as_chrono(&text)?;
        }

        #[test]
        fn reads_what_it_writes(at in instant(), offset_s in -86_399i32..86_400) {
            let local = at.with_timezone(&FixedOffset::east_opt(offset_s).unwrap());
            reads_as_chrono(&to_rfc3339(&at))?;
            reads_as_chrono(&instant_text(&at))?;
            reads_as_chrono(&write(&local, SECOND_WITH_OFFSET))?;
            reads_as_chrono(&naive_text(&local.naive_local()))?;
            reads_as_chrono(&time_text(at.time()))?;
            for (_, pieces) in PATTERNS {
                reads_as_chrono(&write(&local, pieces))?;
            }
        }
    }
}
