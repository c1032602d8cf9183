//! The fixed date-time forms the library writes and reads (clinician export, reminders,
//! quarantine file names, run imports, clearance dates), as chrono format items.
//!
//! `format("%Y-…")` and `parse_from_str(…, "%Y-…")` run chrono's strftime parser on the
//! pattern at every call, and that parser and its instantiations of chrono's formatter and
//! parser are ≈ 10 KB of the phone library (BENCHMARKS.md "Size"). The items below are
//! exactly what `StrftimeItems` makes of each pattern (a test compares them), and chrono's
//! `format_with_items` and `parse` with them are what `format` and `parse_from_str` call,
//! so every result, and every error, is the same.

use chrono::format::{Fixed, Item, Numeric, Pad, ParseResult, Parsed};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};

const fn num(n: Numeric) -> Item<'static> {
    Item::Numeric(n, Pad::Zero)
}

/// `%Y-%m-%d`
pub const DATE: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
];

/// `%Y-%m-%dT%H:%M`
pub const LOCAL_MINUTE: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Literal("T"),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
];

/// `%Y-%m-%d %H:%M`
pub const LOCAL_MINUTE_SPACE: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Space(" "),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
];

/// `%Y-%m-%dT%H:%M:%S`
pub const LOCAL_SECOND: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Literal("T"),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
    Item::Literal(":"),
    num(Numeric::Second),
];

/// `%Y-%m-%d %H:%M:%S`
pub const LOCAL_SECOND_SPACE: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Space(" "),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
    Item::Literal(":"),
    num(Numeric::Second),
];

/// `%Y-%m-%dT%H:%M:%S%:z`
pub const SECOND_WITH_OFFSET: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Literal("T"),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
    Item::Literal(":"),
    num(Numeric::Second),
    Item::Fixed(Fixed::TimezoneOffsetColon),
];

/// `%Y-%m-%dT%H:%M:%SZ`
pub const SECOND_UTC: &[Item<'static>] = &[
    num(Numeric::Year),
    Item::Literal("-"),
    num(Numeric::Month),
    Item::Literal("-"),
    num(Numeric::Day),
    Item::Literal("T"),
    num(Numeric::Hour),
    Item::Literal(":"),
    num(Numeric::Minute),
    Item::Literal(":"),
    num(Numeric::Second),
    Item::Literal("Z"),
];

/// `%Y%m%dT%H%M%S`, the head of [`compact_millis`].
const COMPACT_SECOND: &[Item<'static>] = &[
    num(Numeric::Year),
    num(Numeric::Month),
    num(Numeric::Day),
    Item::Literal("T"),
    num(Numeric::Hour),
    num(Numeric::Minute),
    num(Numeric::Second),
];

/// `at` written with `items`: `at.format(pattern).to_string()`.
pub fn write<Tz: TimeZone>(at: &DateTime<Tz>, items: &[Item<'static>]) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.format_with_items(items.iter()).to_string()
}

/// `at` written with `items`: `at.format(pattern).to_string()`.
pub fn write_naive(at: &NaiveDateTime, items: &[Item<'static>]) -> String {
    at.format_with_items(items.iter()).to_string()
}

/// `at.format("%Y%m%dT%H%M%S%3fZ").to_string()`: `%3f` is the milliseconds, three digits.
pub fn compact_millis<Tz: TimeZone>(at: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    use chrono::Timelike;
    let millis = at.nanosecond() / 1_000_000 % 1_000;
    format!("{}{millis:03}Z", write(at, COMPACT_SECOND))
}

/// `NaiveDateTime::parse_from_str(text, pattern)` for the pattern `items` stands for.
pub fn parse_naive(text: &str, items: &[Item<'static>]) -> ParseResult<NaiveDateTime> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter())?;
    parsed.to_naive_datetime_with_offset(0)
}

/// `NaiveDate::parse_from_str(text, "%Y-%m-%d")`.
pub fn parse_date(text: &str) -> ParseResult<NaiveDate> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, DATE.iter())?;
    parsed.to_naive_date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::format::StrftimeItems;
    use chrono::{FixedOffset, Utc};
    use proptest::prelude::*;

    const PATTERNS: &[(&str, &[Item<'static>])] = &[
        ("%Y-%m-%d", DATE),
        ("%Y-%m-%dT%H:%M", LOCAL_MINUTE),
        ("%Y-%m-%d %H:%M", LOCAL_MINUTE_SPACE),
        ("%Y-%m-%dT%H:%M:%S", LOCAL_SECOND),
        ("%Y-%m-%d %H:%M:%S", LOCAL_SECOND_SPACE),
        ("%Y-%m-%dT%H:%M:%S%:z", SECOND_WITH_OFFSET),
        ("%Y-%m-%dT%H:%M:%SZ", SECOND_UTC),
        ("%Y%m%dT%H%M%S", COMPACT_SECOND),
    ];

    /// The items are exactly chrono's reading of each pattern, so formatting and parsing
    /// with them is what `format(pattern)` and `parse_from_str(…, pattern)` do.
    #[test]
    fn items_are_what_strftime_makes_of_each_pattern() {
        for (pattern, items) in PATTERNS {
            let strftime: Vec<Item> = StrftimeItems::new(pattern).collect();
            assert_eq!(&strftime, items, "{pattern}");
        }
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        // Years −400 to 12,000, leap seconds included: chrono's sign and width rules.
        (
            -12_700_000_000_000i64..316_000_000_000_000,
            0u32..2_000_000_000,
        )
            .prop_map(|(ms, nanos)| {
                let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
                at.with_nanosecond(nanos).unwrap_or(at)
            })
    }

    use chrono::Timelike;

    proptest! {
        #[test]
        fn writes_as_format_does(at in instant(), offset_s in -86_399i32..86_400) {
            let offset = FixedOffset::east_opt(offset_s).unwrap();
            let local = at.with_timezone(&offset);
            prop_assert_eq!(
                write(&local, SECOND_WITH_OFFSET),
                local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
            prop_assert_eq!(write(&at, SECOND_UTC), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            prop_assert_eq!(compact_millis(&at), at.format("%Y%m%dT%H%M%S%3fZ").to_string());
            prop_assert_eq!(
                write_naive(&local.naive_local(), LOCAL_MINUTE),
                local.naive_local().format("%Y-%m-%dT%H:%M").to_string()
            );
        }

        #[test]
        fn parses_as_parse_from_str_does(text in "[ 0-9:TZ+-]{0,24}") {
            for (pattern, items) in PATTERNS {
                prop_assert_eq!(
                    parse_naive(&text, items),
                    NaiveDateTime::parse_from_str(&text, pattern)
                );
            }
            prop_assert_eq!(parse_date(&text), NaiveDate::parse_from_str(&text, "%Y-%m-%d"));
        }

        #[test]
        fn parses_written_forms_as_parse_from_str_does(at in instant(), space in " {0,2}") {
            let text = at.format("%Y-%m-%d").to_string() + &space
                + &at.format("%H:%M:%S").to_string();
            for (pattern, items) in PATTERNS {
                prop_assert_eq!(
                    parse_naive(&text, items),
                    NaiveDateTime::parse_from_str(&text, pattern)
                );
                let text = at.format(pattern).to_string();
                prop_assert_eq!(
                    parse_naive(&text, items),
                    NaiveDateTime::parse_from_str(&text, pattern)
                );
            }
            let date = at.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&date), NaiveDate::parse_from_str(&date, "%Y-%m-%d"));
        }
    }
}
