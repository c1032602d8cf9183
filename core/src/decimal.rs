//! Decimal text to and from `f64` without core's float parser and formatter (code size,
//! ADR 0028).
//!
//! `str::parse::<f64>` links core's `dec2flt`: the Eisel–Lemire fast path with its 10.4 KB
//! table of 128-bit powers of five and a decimal slow path, ≈ 16 KB of the phone library,
//! for one call site (the runs CSV's distances). [`parse_finite`] reads the same grammar
//! and gives the same value, bit for bit, for every text whose value is finite; a test
//! compares it with `str::parse` as the oracle. Common forms (up to 15 digits, a small
//! exponent) take Clinger's exact fast path; the rest are rounded exactly with big
//! integers, which is slow but only reached by unusual text.
//!
//! `{}`, `{:?}` and `{:.N}` of an `f64` link core's `flt2dec` (Grisu with Dragon4 as its
//! fallback, for the shortest and for the exact forms, and their tables, ≈ 14 KB).
//! [`shortest`] and [`debug`] take the shortest digits from `zmij` (already linked: it is
//! serde_json's float writer) and lay them out as `{}` and `{:?}` do; [`fixed`] rounds
//! exactly with integers as `{:.N}` does. Tests compare each with `format!`.

/// Significant digits kept before the rest is folded into one sticky digit: a value
/// halfway between two `f64`s has at most 767 significant digits, so a longer text rounds
/// as its first 800 digits followed by a `1` (when anything non-zero was cut).
const MAX_DIGITS: usize = 800;

/// `text` read as `str::parse::<f64>` reads it, when that gives a finite value: an
/// optional sign, digits with at most one `.` (at least one digit), and an optional
/// exponent (`e` or `E`, an optional sign, at least one digit). `None` for everything
/// else: text `parse` refuses, `inf`, `infinity` and `nan` in any case, and values that
/// round to an infinity.
pub fn parse_finite(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let magnitude = parse_unsigned(rest)?;
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_unsigned(text: &[u8]) -> Option<f64> {
    let mut digits: Vec<u8> = Vec::new();
    // The value is `digits × 10^exp10` (`exp10` adjusted for digits after the point).
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut sticky = false;
    let mut at = 0;
    while let Some(&c) = text.get(at) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if seen_point {
                    exp10 -= 1;
                }
                if digits.is_empty() && c == b'0' {
                    // a leading zero: no significant digit yet
                } else if digits.len() < MAX_DIGITS {
                    digits.push(c - b'0');
                } else {
                    sticky |= c != b'0';
                    exp10 += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        at += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(&(b'e' | b'E')) = text.get(at) {
        at += 1;
        let negative = match text.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let start = at;
        let mut exponent: i64 = 0;
        while let Some(&c) = text.get(at).filter(|c| c.is_ascii_digit()) {
            // saturates, as `dec2flt` does, far beyond any finite value's exponent
            if exponent < 0x10000 {
                exponent = 10 * exponent + i64::from(c - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        exp10 += if negative { -exponent } else { exponent };
    }
    if at != text.len() {
        return None;
    }
    if sticky {
        digits.push(1);
        exp10 -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    // The value lies in [10^(magnitude − 1), 10^magnitude).
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 310 {
        return None;
    }
    if magnitude < -324 {
        // below 10^-325, under half the smallest subnormal (4.9e-324)
        return Some(0.0);
    }
    if digits.len() <= 15 && (-22..=22).contains(&exp10) {
        // Clinger's fast path: both operands are exact, so IEEE rounds the one operation.
        let mantissa = digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d)) as f64;
        let power = (0..exp10.unsigned_abs()).fold(1.0f64, |p, _| p * 10.0);
        return Some(if exp10 < 0 {
            mantissa / power
        } else {
            mantissa * power
        });
    }
    round_exactly(&digits, exp10)
}

/// `digits × 10^exp10` rounded to the nearest `f64` (ties to even) with exact integers;
/// `None` when that is an infinity.
fn round_exactly(digits: &[u8], exp10: i64) -> Option<f64> {
    let mut numerator = Big::from_digits(digits);
    let mut denominator = Big::one();
    let power = exp10.unsigned_abs();
    for _ in 0..power {
        if exp10 > 0 {
            numerator.mul_small(10);
        } else {
            denominator.mul_small(10);
        }
    }
    // Scale so that the quotient has 55 bits: 53 for the significand, a round bit and
    // one more, with the remainder as the sticky bit.
    let mut shift = 54 - (numerator.bits() as i64 - denominator.bits() as i64);
    let (quotient, inexact) = loop {
        let (mut n, mut d) = (numerator.clone(), denominator.clone());
        if shift >= 0 {
            n.shl(shift as u64);
        } else {
            d.shl(shift.unsigned_abs());
        }
        let (q, inexact) = divide(&mut n, &d);
        if q >> 54 == 0 {
            shift += 1;
            continue;
        }
        break (q, inexact);
    };
    // value = quotient × 2^-shift, so its leading bit is 2^(54 − shift).
    let exp2 = 54 - shift;
    let dropped = if exp2 < -1022 { 2 + (-1022 - exp2) } else { 2 }.min(56) as u32;
    let mut significand = quotient >> dropped;
    let rest = quotient & ((1u64 << dropped) - 1);
    let half = 1u64 << (dropped - 1);
    if rest > half || (rest == half && (inexact || significand & 1 == 1)) {
        significand += 1;
    }
    if exp2 < -1022 {
        // a subnormal (or, rounded up, the smallest normal): its bits are the significand
        return Some(f64::from_bits(significand));
    }
    let (significand, exp2) = match significand >> 53 {
        0 => (significand, exp2),
        _ => (significand >> 1, exp2 + 1),
    };
    if exp2 > 1023 {
        return None;
    }
    let bits = ((exp2 + 1023) as u64) << 52 | (significand & ((1 << 52) - 1));
    Some(f64::from_bits(bits))
}

/// `numerator / denominator` when the quotient is below 2^56, and whether a remainder was
/// left; `numerator` becomes the remainder.
fn divide(numerator: &mut Big, denominator: &Big) -> (u64, bool) {
    let mut quotient = 0u64;
    for bit in (0..56).rev() {
        let mut d = denominator.clone();
        d.shl(bit);
        if !numerator.less_than(&d) {
            numerator.sub(&d);
            quotient |= 1 << bit;
        }
    }
    (quotient, !numerator.is_zero())
}

/// An unsigned integer in 32-bit limbs, least significant first, no high zero limbs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn one() -> Big {
        Big(vec![1])
    }

    fn from_u128(mut value: u128) -> Big {
        let mut n = Big(Vec::new());
        while value != 0 {
            n.0.push(value as u32);
            value >>= 32;
        }
        n
    }

    /// The decimal digits (`"0"` for zero).
    fn into_decimal(mut self) -> String {
        let mut chunks = Vec::new();
        while !self.is_zero() {
            chunks.push(self.div_small(1_000_000_000));
        }
        let mut out = chunks.pop().unwrap_or(0).to_string();
        for chunk in chunks.iter().rev() {
            out.push_str(&format!("{chunk:09}"));
        }
        out
    }

    /// Divides by `divisor` (not zero) and gives the remainder.
    fn div_small(&mut self, divisor: u32) -> u32 {
        let mut rest = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = (rest << 32) | u64::from(*limb);
            *limb = (v / u64::from(divisor)) as u32;
            rest = v % u64::from(divisor);
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        rest as u32
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(Vec::new());
        for &d in digits {
            n.mul_small(10);
            n.add_small(u32::from(d));
        }
        n
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, value: u32) {
        let mut carry = u64::from(value);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let v = u64::from(*limb) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn bits(&self) -> u64 {
        match self.0.last() {
            Some(top) => 32 * self.0.len() as u64 - u64::from(top.leading_zeros()),
            None => 0,
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn shl(&mut self, by: u64) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((by / 32) as usize, (by % 32) as u32);
        if bits != 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn less_than(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() < other.0.len();
        }
        self.0.iter().rev().lt(other.0.iter().rev())
    }

    /// `self − other`, for `other ≤ self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = v as u32;
            borrow = i64::from(v < 0);
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
}

/// `format!("{:.decimals$}", value)`, the same text for every `f64`, for `decimals` up to
/// 17 (more are taken as 17): the exact binary value rounded to that many decimals, ties to
/// even, a `-` for every negative value (also `-0` and what rounds to zero).
pub fn fixed(value: f64, decimals: u32) -> String {
    let decimals = decimals.min(17);
    let (negative, special) = sign_and_special(value);
    let mut out = String::from(if negative { "-" } else { "" });
    if let Some(text) = special {
        out.push_str(text);
        return out;
    }
    // Whole numbers below 2^53 (the rules' counts, limits and scores): their digits, then
    // the zeros, without the big-number arithmetic every other value needs.
    let magnitude = value.abs();
    if magnitude.fract() == 0.0 && magnitude < 9_007_199_254_740_992.0 {
        out.push_str(&(magnitude as u64).to_string());
        if decimals > 0 {
            out.push('.');
            (0..decimals).for_each(|_| out.push('0'));
        }
        return out;
    }
    let (significand, exp2) = parts(value);
    let scaled = if exp2 >= 0 {
        let mut n = Big::from_u128(u128::from(significand));
        n.shl(exp2.unsigned_abs());
        (0..decimals).for_each(|_| n.mul_small(10));
        n
    } else {
        // significand × 10^decimals < 2^53 × 10^17 < 2^110: the quotient by 2^-exp2 and its
        // remainder fit a u128
        let x = u128::from(significand) * 10u128.pow(decimals);
        let shift = exp2.unsigned_abs();
        let q = if shift >= 120 {
            0
        } else {
            let (q, rest, half) = (x >> shift, x & ((1u128 << shift) - 1), 1u128 << (shift - 1));
            q + u128::from(rest > half || (rest == half && q & 1 == 1))
        };
        Big::from_u128(q)
    };
    let mut digits = scaled.into_decimal();
    let decimals = decimals as usize;
    if decimals > 0 {
        if digits.len() <= decimals {
            digits.insert_str(0, &"0".repeat(decimals + 1 - digits.len()));
        }
        digits.insert(digits.len() - decimals, '.');
    }
    out.push_str(&digits);
    out
}

/// `format!("{value}")` (`value.to_string()`), the same text for every `f64`: the shortest
/// digits that read back as `value`, written out without an exponent.
pub fn shortest(value: f64) -> String {
    layout(value, false)
}

/// `format!("{value:?}")`, the same text for every `f64`: as [`shortest`] with at least one
/// decimal (`1.0`) from 1e-4 to 1e16, and in exponent form (`1e16`, `2.5e-5`) outside.
pub fn debug(value: f64) -> String {
    layout(value, true)
}

/// A float written by [`debug`], for hand-written `Debug` impls of types holding one.
pub struct DebugFloat(pub f64);

impl std::fmt::Debug for DebugFloat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&debug(self.0))
    }
}

fn layout(value: f64, debug: bool) -> String {
    let (negative, special) = sign_and_special(value);
    let mut out = String::from(if negative { "-" } else { "" });
    if let Some(text) = special {
        out.push_str(text);
        return out;
    }
    let (digits, point) = shortest_digits(value.abs());
    let abs = value.abs();
    if debug && abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // d.ddde±x, the exponent without a plus
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push_str(&(point - 1).to_string());
        return out;
    }
    let min_decimals = usize::from(debug);
    if point <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat(point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else {
        let point = point as usize;
        if point < digits.len() {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        } else {
            out.push_str(&digits);
            out.push_str(&"0".repeat(point - digits.len()));
            if min_decimals > 0 {
                out.push_str(".0");
            }
        }
    }
    out
}

/// The shortest digits of a finite, non-negative `value` that read back as it (no leading
/// or trailing zeros; `"0"` for zero) and the position of the point: value = 0.digits ×
/// 10^point.
fn shortest_digits(value: f64) -> (String, i32) {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(value);
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut point = whole.len() as i32 + exponent;
    let all = format!("{whole}{fraction}");
    let trimmed = all.trim_start_matches('0');
    point -= (all.len() - trimmed.len()) as i32;
    let digits = trimmed.trim_end_matches('0');
    if digits.is_empty() {
        return ("0".to_owned(), 1);
    }
    // When the value lies exactly halfway between two shortest candidates, zmij picks the
    // even one and core's formatter the upper one.
    let (exact, exact_point) = exact_digits(value);
    let tie = exact.len() == digits.len() + 1
        && exact.starts_with(digits)
        && exact.ends_with('5')
        && exact_point == point;
    match tie {
        true => round_up(digits, point),
        false => (digits.to_owned(), point),
    }
}

/// All the significant digits of a finite, positive `value` (no trailing zeros) and their
/// point, as [`shortest_digits`] gives them.
fn exact_digits(value: f64) -> (String, i32) {
    let (significand, exp2) = parts(value);
    let mut n = Big::from_u128(u128::from(significand));
    if exp2 >= 0 {
        n.shl(exp2.unsigned_abs());
    } else {
        // × 2^-k = × 5^k / 10^k
        (0..exp2.unsigned_abs()).for_each(|_| n.mul_small(5));
    }
    let digits = n.into_decimal();
    let point = digits.len() as i64 + exp2.min(0);
    (digits.trim_end_matches('0').to_owned(), point as i32)
}

/// `digits` (at 0.digits × 10^point) plus one in their last place.
fn round_up(digits: &str, point: i32) -> (String, i32) {
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            let text: String = bytes.iter().map(|&b| char::from(b)).collect();
            return (text.trim_end_matches('0').to_owned(), point);
        }
    }
    ("1".to_owned(), point + 1)
}

/// Whether `value` is written with a `-` (its sign bit, except for NaN), and the text of
/// NaN and the infinities.
fn sign_and_special(value: f64) -> (bool, Option<&'static str>) {
    let special = if value.is_nan() {
        Some("NaN")
    } else if value.is_infinite() {
        Some("inf")
    } else {
        None
    };
    (value.is_sign_negative() && !value.is_nan(), special)
}

/// A finite `value`'s magnitude as significand × 2^exp2 (the significand below 2^53).
fn parts(value: f64) -> (u64, i64) {
    let bits = value.to_bits();
    let (field, fraction) = ((bits >> 52) & 0x7ff, bits & ((1 << 52) - 1));
    match field {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, field as i64 - 1075),
    }
}
