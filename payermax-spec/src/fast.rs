//! Small helpers for the straight-line validity checks that `generate!()` emits in front of the
//! rule interpreter: the generated code's interface to this crate (hidden from the
//! documentation; not a stable API).
//!
//! A generated check reads a typed request's fields directly and answers one question: would
//! the interpreter report nothing? When it says yes, `validate()` returns `Ok(())` without
//! running the interpreter; otherwise the interpreter builds the report. The check is never
//! allowed to say yes where the interpreter would report a violation (the agreement tests in
//! `tests/agreement.rs` hold both to that, and to saying yes on every valid request).

use std::cmp::Ordering;

pub use crate::checks::NamedCheck;
pub use crate::pattern::Pattern;

/// `s` is `min..=max` bytes long and every byte is in `class` (bit `b` set: byte `b` allowed).
/// Every allowed byte is ASCII, so bytes and characters count the same.
#[inline]
pub fn class_match(s: &str, class: u128, min: usize, max: usize) -> bool {
    let n = s.len();
    let (lo, hi) = (class as u64, (class >> 64) as u64);
    n >= min
        && n <= max
        && s.bytes().all(|b| match b {
            0..64 => lo >> b & 1 != 0,
            64..128 => hi >> (b - 64) & 1 != 0,
            _ => false,
        })
}

/// `s` is `min..=max` bytes long and every byte is in `CLASS` (bit `b` set: byte `b` allowed).
/// Generated validators also pass the class as `allowed`, a comparison over byte ranges, which
/// the compiler turns into vector instructions over 16 bytes at a time (no early exit inside a
/// block, as that would stop it); the bytes after the last block are looked up in a table.
#[inline]
pub fn bytes_match<const CLASS: u128>(
    s: &str,
    min: usize,
    max: usize,
    allowed: impl Fn(u8) -> bool,
) -> bool {
    let table: &[bool; 256] = &const { class_table(CLASS) };
    let bytes = s.as_bytes();
    if bytes.len() < min || bytes.len() > max {
        return false;
    }
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if !block.iter().fold(true, |ok, &b| ok & allowed(b)) {
            return false;
        }
    }
    // A `u8` always indexes a 256-entry table.
    #[allow(clippy::indexing_slicing)]
    blocks.remainder().iter().all(|&b| table[b as usize])
}

/// The class as a byte table.
#[allow(clippy::indexing_slicing)] // `b < 128` indexes a 256-entry table
const fn class_table(class: u128) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = class & (1u128 << b) != 0;
        b += 1;
    }
    table
}

/// The byte ranges of a class (bit `b` set: byte `b` in the class), for [`bytes_match`].
pub fn class_ranges(class: u128) -> Vec<(u8, u8)> {
    let mut out: Vec<(u8, u8)> = Vec::new();
    for b in 0u8..128 {
        if class & (1u128 << b) == 0 {
            continue;
        }
        match out.last_mut() {
            Some((_, hi)) if hi.checked_add(1) == Some(b) => *hi = b,
            _ => out.push((b, b)),
        }
    }
    out
}

/// `s` has at most `max` characters (the interpreter's `max_length` rule passes).
#[inline]
pub fn max_chars(s: &str, max: usize) -> bool {
    // A string has at most as many characters as bytes: count only when that can matter.
    s.len() <= max || s.chars().count() <= max
}

/// `s` has at least `min` characters (the interpreter's `min_length` rule passes).
#[inline]
pub fn min_chars(s: &str, min: usize) -> bool {
    // A character is at most 4 bytes: a string of 4·min bytes has at least min characters.
    s.len() >= min && (s.len() >= min.saturating_mul(4) || s.chars().count() >= min)
}

/// The first 16 bytes of `s`, little-endian, zero-padded: with the length, a key that generated
/// code matches on as an integer.
#[inline]
pub fn pack16(s: &str) -> u128 {
    let bytes = s.as_bytes();
    let (lo, hi) = bytes.split_at(bytes.len().min(8));
    u128::from(pack8(lo)) | u128::from(pack8(hi.get(..hi.len().min(8)).unwrap_or_default())) << 64
}

/// Up to 8 bytes, little-endian, zero-padded, with at most two loads: for 2–7 bytes, the first
/// and the last 2 or 4 bytes, which overlap on equal bytes.
#[inline]
fn pack8(b: &[u8]) -> u64 {
    let first = |n: usize| b.get(..n).unwrap_or_default();
    let last = |n: usize| b.get(b.len().saturating_sub(n)..).unwrap_or_default();
    let le = |s: &[u8]| s.iter().rev().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
    match b.len() {
        0 => 0,
        1 => le(b),
        8.. => first(8).try_into().map_or(0, u64::from_le_bytes),
        n @ 2..4 => {
            let (a, z) = (le(first(2)), le(last(2)));
            a | z << (8 * (n - 2))
        }
        n => {
            let word = |s: &[u8]| s.try_into().map_or(0, u32::from_le_bytes);
            let (a, z) = (u64::from(word(first(4))), u64::from(word(last(4))));
            a | z << (8 * (n - 4))
        }
    }
}

/// A field a method rule reads, as the interpreter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Not sent, or an empty string, or an object with nothing in it.
    Absent,
    /// A non-empty string.
    Str(&'a str),
    /// Sent, and not a string (an object with something in it, a list, a number).
    Present,
}

impl<'a> Field<'a> {
    /// `Present` or `Absent`.
    #[inline]
    pub fn present(there: bool) -> Self {
        if there { Field::Present } else { Field::Absent }
    }

    /// The string, if it is one.
    #[inline]
    pub fn text(self) -> Option<&'a str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A decimal string's digits before and after the dot, as written.
#[derive(Debug, Clone, Copy)]
pub struct Decimal<'a> {
    int: &'a [u8],
    frac: &'a [u8],
}

impl<'a> Decimal<'a> {
    /// Splits `s` if it is a decimal string ([`crate::validate::is_decimal`]), in one pass.
    #[inline]
    pub fn parse(s: &'a str) -> Option<Self> {
        let bytes = s.as_bytes();
        let mut dot = None;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'.' {
                if dot.is_some() {
                    return None;
                }
                dot = Some(i);
            } else if !b.is_ascii_digit() {
                return None;
            }
        }
        let (int, frac) = match dot {
            Some(i) => (bytes.get(..i)?, bytes.get(i + 1..)?),
            None => (bytes, &[][..]),
        };
        let empty_frac = dot.is_some() && frac.is_empty();
        (!int.is_empty() && !empty_frac).then_some(Decimal { int, frac })
    }

    /// Digits as written, before and after the dot.
    #[inline]
    pub fn digits(&self) -> usize {
        self.int.len() + self.frac.len()
    }

    /// Decimal places as written (`"10.50"` → 2).
    #[inline]
    pub fn scale(&self) -> usize {
        self.frac.len()
    }

    /// Compares with a value given as its integer digits without leading zeros and its
    /// fraction digits without trailing zeros (`0.50` → `b""`, `b"5"`).
    #[inline]
    pub fn cmp_digits(&self, int: &[u8], frac: &[u8]) -> Ordering {
        let lead = self.int.iter().take_while(|&&b| b == b'0').count();
        let trail = self.frac.iter().rev().take_while(|&&b| b == b'0').count();
        let own_int = self.int.get(lead..).unwrap_or_default();
        let own_frac = self.frac.get(..self.frac.len() - trail).unwrap_or_default();
        own_int
            .len()
            .cmp(&int.len())
            .then_with(|| own_int.cmp(int))
            // Fractions without trailing zeros compare digit by digit, a shorter one being
            // smaller where it is a prefix of the longer: exactly byte-slice order.
            .then_with(|| own_frac.cmp(frac))
    }
}

/// `s`'s integer digits without leading zeros and fraction digits without trailing zeros, for
/// [`Decimal::cmp_digits`] (generated code holds the spec's limits in this form).
pub fn normalized_digits(s: &str) -> (String, String) {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    (
        int.trim_start_matches('0').to_owned(),
        frac.trim_end_matches('0').to_owned(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::validate::is_decimal;

    /// `a` compared with `b` the way generated code compares an amount with a spec limit.
    fn decimal_cmp(a: &str, b: &str) -> Option<Ordering> {
        let (int, frac) = normalized_digits(b);
        Decimal::parse(b)?;
        Some(Decimal::parse(a)?.cmp_digits(int.as_bytes(), frac.as_bytes()))
    }
    use std::str::FromStr;

    #[test]
    fn decimal_cmp_orders_like_decimal() {
        let values = [
            "0",
            "00",
            "0.0",
            "0.01",
            "0.010",
            "0.1",
            "0.09",
            "1",
            "01",
            "1.0",
            "1.00001",
            "9.99",
            "10",
            "10.5",
            "010.50",
            "99",
            "100",
            "7000000",
            "6999999.99",
            "5000",
            "5000.01",
            "123456789012",
        ];
        for a in values {
            for b in values {
                let parse = |s| rust_decimal::Decimal::from_str(s).unwrap();
                let expected = parse(a).cmp(&parse(b));
                assert_eq!(decimal_cmp(a, b), Some(expected), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn character_counts_match_chars() {
        for s in [
            "",
            "a",
            "ab",
            "é",
            "éé",
            "ééé",
            "abcd",
            "日本語",
            "😀😀",
            "a😀b",
        ] {
            let n = s.chars().count();
            for bound in 0..6 {
                assert_eq!(max_chars(s, bound), n <= bound, "{s:?} max {bound}");
                assert_eq!(min_chars(s, bound), n >= bound, "{s:?} min {bound}");
            }
        }
    }

    #[test]
    fn byte_ranges_answer_like_the_bit_set() {
        let classes = ["^[A-Za-z0-9_]{0,99}$", "^[0-9]+$", "^[A-Z ,.\\-]+$"]
            .map(|p| Pattern::compile(p).unwrap().simple_class().unwrap().0);
        let long = "A".repeat(40) + "!";
        let inputs = [
            "",
            "0",
            "09",
            "0a",
            "Zz_9",
            "99999",
            "é",
            "1.5",
            "order_20260101_000001",
            &long,
        ];
        fn check<const CLASS: u128>(inputs: &[&str]) {
            let ranges = class_ranges(CLASS);
            let allowed = |b: u8| ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&b));
            for s in inputs {
                for (min, max) in [(0, usize::MAX), (1, 3), (2, 2), (1, 63)] {
                    assert_eq!(
                        bytes_match::<CLASS>(s, min, max, allowed),
                        class_match(s, CLASS, min, max),
                        "{s:?} {min} {max}"
                    );
                }
            }
        }
        // The classes of `^[A-Za-z0-9_]{0,99}$`, `^[0-9]+$` and `^[A-Z ,.\-]+$`.
        const ALNUM: u128 = 0x07ff_fffe_87ff_fffe_03ff_0000_0000_0000;
        const DIGITS: u128 = 0x03ff_0000_0000_0000;
        const NAME: u128 = 0x07ff_fffe_0000_7001_0000_0000;
        for (class, value) in classes.into_iter().zip([ALNUM, DIGITS, NAME]) {
            assert_eq!(class, value, "{class:#x}");
        }
        check::<ALNUM>(&inputs);
        check::<DIGITS>(&inputs);
        check::<NAME>(&inputs);
    }

    #[test]
    fn pack16_is_the_zero_padded_bytes() {
        let long = "REALTIME_PAYMENT_AND_MORE";
        for n in 0..=long.len() {
            let s = &long[..n];
            let mut buf = [0u8; 16];
            let k = n.min(16);
            buf[..k].copy_from_slice(&s.as_bytes()[..k]);
            assert_eq!(pack16(s), u128::from_le_bytes(buf), "{s:?}");
        }
    }

    #[test]
    fn decimals_split_and_count_places() {
        for bad in ["", ".", "1.", ".5", "1.2.3", "1e3", "-1", " 1", "١"] {
            assert!(Decimal::parse(bad).is_none(), "{bad:?}");
            assert!(!is_decimal(bad), "{bad:?}");
        }
        // Places and digits count as written, leading and trailing zeros included.
        for (good, places, digits) in [
            ("10", 0, 2),
            ("10.5", 1, 3),
            ("0.001", 3, 4),
            ("10.50", 2, 4),
            ("000.000", 3, 6),
        ] {
            let d = Decimal::parse(good).unwrap();
            assert_eq!((d.scale(), d.digits()), (places, digits), "{good}");
            assert!(is_decimal(good));
        }
    }
}
