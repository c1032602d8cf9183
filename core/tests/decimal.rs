//! `decimal::parse_finite` against `str::parse::<f64>`, the oracle: the same texts accepted
//! (when finite), the same value bit for bit, on generated numbers, halfway points between
//! neighbouring `f64`s, long and odd texts, and junk. `decimal::fixed`, `shortest` and
//! `debug` against `format!`'s `{:.N}`, `{}` and `{:?}`, the oracles, on every kind of
//! `f64`.

use proptest::prelude::*;
use talus_core::decimal::{debug, fixed, parse_finite, shortest, DebugFloat};

fn same_text(x: f64) {
    for n in 0..=3 {
        assert_eq!(
            fixed(x, n),
            format!("{x:.*}", n as usize),
            "{x:?} to {n} decimals"
        );
    }
    assert_eq!(fixed(x, 17), format!("{x:.17}"), "{x:?} to 17 decimals");
    assert_eq!(shortest(x), format!("{x}"), "{x:?} shortest");
    assert_eq!(debug(x), format!("{x:?}"), "{x:?} debug");
    assert_eq!(format!("{:?}", DebugFloat(x)), format!("{x:?}"));
}

#[test]
fn chosen_floats_are_written_as_format_writes_them() {
    let mut floats = vec![
        0.0,
        -0.0,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        f64::from_bits(1),
        f64::from_bits((1 << 52) - 1),
        1.0,
        0.1,
        0.5,
        1.5,
        2.5,
        -0.5,
        -0.04,
        -0.4,
        0.05,
        0.15,
        0.25,
        0.35,
        0.125,
        0.0625,
        12.5,
        99.95,
        1e-4,
        9.999999999999999e-5,
        1e16,
        9999999999999998.0,
        1e15,
        1e21,
        1e22,
        1e23,
        123456789.0,
        1e-7,
        5e-324,
        1.7976931348623157e308,
    ];
    for e in -330..=310 {
        floats.push(format!("1e{e}").parse().unwrap());
        floats.push(format!("-2.5e{e}").parse().unwrap());
    }
    for i in -1074..=1023 {
        floats.push(2f64.powi(i));
    }
    for whole in 0..300 {
        for half in [0.0, 0.5, 0.05, 0.25, 0.125, 0.45, 0.55] {
            floats.push(f64::from(whole) + half);
            floats.push(-(f64::from(whole) + half));
        }
    }
    for x in floats {
        same_text(x);
    }
}

fn oracle(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn same(text: &str) {
    let ours = parse_finite(text).map(f64::to_bits);
    let theirs = oracle(text).map(f64::to_bits);
    assert_eq!(ours, theirs, "{text:?}");
}

/// The exact decimal digits of `(2m + 1) × 2^e2` (a point halfway between two `f64`s when
/// `m × 2^(e2 + 1)` is one), as digits and a power of ten.
fn exact(odd: u64, e2: i32) -> (String, i32) {
    // decimal digits, least significant first
    let mut digits: Vec<u32> = odd
        .to_string()
        .bytes()
        .rev()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let mul = |digits: &mut Vec<u32>, by: u32| {
        let mut carry = 0;
        for d in digits.iter_mut() {
            let v = *d * by + carry;
            *d = v % 10;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push(carry % 10);
            carry /= 10;
        }
    };
    let exp10 = if e2 >= 0 {
        (0..e2).for_each(|_| mul(&mut digits, 2));
        0
    } else {
        // × 2^-k = × 5^k / 10^k
        (0..-e2).for_each(|_| mul(&mut digits, 5));
        e2
    };
    (
        digits
            .iter()
            .rev()
            .map(|d| char::from(b'0' + *d as u8))
            .collect(),
        exp10,
    )
}

/// Texts at, just below and just above the point halfway between `x` and the next `f64`.
fn halfway_texts(x: f64) -> Vec<String> {
    let bits = x.to_bits();
    let (exp_field, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e2) = match exp_field {
        0 => (frac, -1074),
        _ => (frac | 1 << 52, exp_field - 1075),
    };
    let (digits, exp10) = exact(2 * m + 1, e2 - 1);
    let mut out = vec![
        format!("{digits}e{exp10}"),
        format!("{digits}000000000000000000001e{}", exp10 - 21),
        format!("{}e{}", &digits[..digits.len() - 1], exp10 + 1),
    ];
    // the same with a point inside and leading zeros
    if digits.len() > 2 {
        let (a, b) = digits.split_at(1);
        out.push(format!("000{a}.{b}E{}", exp10 + b.len() as i32));
        out.push(format!("{a}.{b}4999999999999e{}", exp10 + b.len() as i32));
    }
    out
}

#[test]
fn fixed_cases() {
    for text in [
        "",
        "+",
        "-",
        ".",
        "e",
        "e5",
        ".e5",
        "1e",
        "1e+",
        "1e-",
        "+-1",
        "--1",
        "1..2",
        "1.2.3",
        "1e5.5",
        " 1",
        "1 ",
        "1_0",
        "0x10",
        "inf",
        "-inf",
        "infinity",
        "INFINITY",
        "nan",
        "NaN",
        "-nan",
        "infinit",
        "in",
        "0",
        "-0",
        "+0",
        "0.0",
        "-0.0",
        "00",
        ".5",
        "5.",
        "-.5",
        "1.e5",
        "12.5",
        "12,5",
        "3.14159",
        "1000",
        "1000.0000000000001",
        "1e308",
        "1.8e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "4.9e-324",
        "2.5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1e-325",
        "1e-400",
        "-1e-400",
        "0e99999999999",
        "1e99999999999",
        "1e-99999999999",
        "9007199254740993",
        "9007199254740992.5",
        "0.1",
        "0.2",
        "0.3",
        "123456789012345678901234567890",
        "1e22",
        "1e23",
        "123456789012345e-22",
        "1234567890123456e-22",
        "1E+2",
        "1e-0",
        "0.000000000000000000000000000000000000000000001",
        "12.5e0",
        "١٢",
    ] {
        same(text);
    }
}

#[test]
fn every_power_of_ten_and_its_neighbours() {
    for e in -330..=310 {
        for m in [
            "1",
            "9",
            "5",
            "2.5",
            "9.999999999999999",
            "4.9406564584124654",
        ] {
            same(&format!("{m}e{e}"));
        }
    }
}

#[test]
fn halfway_points_of_chosen_floats() {
    let mut floats = vec![
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::from_bits(1),
        f64::from_bits(2),
        f64::from_bits((1 << 52) - 1),
        1.0,
        0.1,
        12.5,
        999.9999999999999,
        1000.0,
        9007199254740992.0,
    ];
    floats.extend((0..64).map(|i| 2f64.powi(i * 16 - 500)));
    for x in floats {
        for text in halfway_texts(x) {
            same(&text);
        }
    }
}

#[test]
fn very_long_texts() {
    let ones = "1".repeat(2000);
    same(&ones);
    same(&format!("0.{ones}"));
    same(&format!("{}1", "0".repeat(5000)));
    same(&format!("0.{}1", "0".repeat(320)));
    same(&format!("0.{}1", "0".repeat(5000)));
    same(&format!("1{}", "0".repeat(309)));
    same(&format!("1{}", "0".repeat(308)));
    // 800 significant digits and then something, at the sticky digit's edge
    let d800 = "9".repeat(800);
    same(&format!("{d800}0000e-800"));
    same(&format!("{d800}0001e-800"));
    same(&format!("0.{d800}"));
    same(&format!("{}5{}1e-900", "1".repeat(798), "0".repeat(100)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn any_float_printed_reads_back(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        same(&format!("{x}"));
        same(&format!("{x:e}"));
        same(&format!("{x:.3}"));
        same(&format!("{x:.20e}"));
    }

    #[test]
    fn any_float_is_written_as_format_writes_it(bits in any::<u64>()) {
        same_text(f64::from_bits(bits));
    }

    #[test]
    fn the_numbers_of_sentences_are_written_as_format_writes_them(
        hundredths in -100_000i64..100_000,
        ratio in 0.0f64..20.0,
    ) {
        same_text(hundredths as f64 / 100.0);
        same_text(ratio);
        same_text(ratio * 100.0);
    }

    #[test]
    fn halfway_points(bits in 0u64..0x7FEF_FFFF_FFFF_FFFF) {
        for text in halfway_texts(f64::from_bits(bits)) {
            same(&text);
        }
    }

    #[test]
    fn texts_of_number_characters(text in "[-+]?[0-9.]{0,30}([eE][-+]?[0-9]{0,4})?") {
        same(&text);
    }

    #[test]
    fn texts_of_any_characters(text in "[-+0-9.eEinfatyINFATY, x]{0,12}") {
        same(&text);
    }

    #[test]
    fn decimals_of_the_runs_csv(whole in 0u32..2000, tenths in 0u32..1000, zeros in 0usize..4) {
        same(&format!("{whole}.{tenths}{}", "0".repeat(zeros)));
        same(&format!("{whole}"));
        same(&format!("-{whole}.{tenths}"));
    }

    #[test]
    fn digit_strings_with_a_point_and_exponent(
        digits in "[0-9]{1,40}",
        point in 0usize..40,
        exp in -350i32..350,
    ) {
        let point = point.min(digits.len());
        same(&format!("{}.{}e{exp}", &digits[..point], &digits[point..]));
    }
}

/// `DomainError` as it was, with the derived `Debug` (the oracle for its hand-written one).
#[derive(Debug)]
#[allow(dead_code)] // the fields are read only by the derived `Debug`
enum DomainErrorAsDerived {
    ScoreOutOfRange(i64),
    NegativeOrNotFinite { field: &'static str, value: f64 },
    EndBeforeStart { what: &'static str },
    BadText { field: &'static str, max: usize },
}

#[test]
fn domain_errors_are_written_as_before() {
    use talus_core::domain::DomainError;
    let mut pairs = vec![
        (
            DomainError::ScoreOutOfRange(-3),
            DomainErrorAsDerived::ScoreOutOfRange(-3),
        ),
        (
            DomainError::EndBeforeStart { what: "run" },
            DomainErrorAsDerived::EndBeforeStart { what: "run" },
        ),
        (
            DomainError::BadText {
                field: "note",
                max: 500,
            },
            DomainErrorAsDerived::BadText {
                field: "note",
                max: 500,
            },
        ),
    ];
    for value in [
        -1.0,
        -0.0,
        -12.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1e20,
        -2.5e-7,
        -1e16,
        -0.1,
        -f64::MAX,
        -f64::from_bits(1),
    ] {
        let field = "distance_m";
        let error = DomainError::NegativeOrNotFinite { field, value };
        assert_eq!(
            error.to_string(),
            format!("{field} must be a finite, non-negative number (got {value})")
        );
        pairs.push((
            error,
            DomainErrorAsDerived::NegativeOrNotFinite { field, value },
        ));
    }
    for (ours, derived) in pairs {
        assert_eq!(format!("{ours:?}"), format!("{derived:?}"));
        assert_eq!(format!("{ours:#?}"), format!("{derived:#?}"));
    }
}
