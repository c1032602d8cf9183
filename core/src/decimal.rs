//! Decimal text to `f64` without core's float parser (code size, ADR 0028).
//!
//! `str::parse::<f64>` links core's `dec2flt`: the Eisel–Lemire fast path with its 10.4 KB
//! table of 128-bit powers of five and a decimal slow path, ≈ 16 KB of the phone library,
//! for one call site (the runs CSV's distances). [`parse_finite`] reads the same grammar
//! and gives the same value, bit for bit, for every text whose value is finite; a test
//! compares it with `str::parse` as the oracle. Common forms (up to 15 digits, a small
//! exponent) take Clinger's exact fast path; the rest are rounded exactly with big
//! integers, which is slow but only reached by unusual text.

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
