//! Compiled spec patterns. Most patterns in the spec are one ASCII character class repeated
//! between two bounds and anchored at both ends (`^[A-Z]{2}$`, `^[A-Za-z0-9_]{1,63}$`); those
//! are checked byte by byte, which costs a fraction of a regex search. Every other pattern goes
//! to the regex engine. Both give the same answer on every input.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A pattern, compiled once.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    regex: Regex,
    simple: Option<Repeat>,
}

/// `^[class]{min,max}$` over an ASCII class.
#[derive(Debug, Clone, Copy)]
struct Repeat {
    /// Bit `b` is set when the ASCII byte `b` is in the class.
    class: u128,
    min: u32,
    max: Option<u32>,
}

impl Pattern {
    pub(crate) fn new(regex: Regex) -> Self {
        let simple = regex_syntax::parse(regex.as_str())
            .ok()
            .and_then(|hir| repeat(&hir));
        Pattern { regex, simple }
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self.simple {
            Some(r) => r.is_match(s),
            None => self.regex.is_match(s),
        }
    }
}

impl Repeat {
    fn is_match(&self, s: &str) -> bool {
        // Every byte of a match is ASCII, so bytes and characters count the same.
        let n = s.len();
        n >= self.min as usize
            && self.max.is_none_or(|max| n <= max as usize)
            && s.bytes().all(|b| b < 128 && self.class & (1 << b) != 0)
    }
}

/// The `Repeat` that `hir` is, if it is one.
fn repeat(hir: &Hir) -> Option<Repeat> {
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let [start, body, end] = parts.as_slice() else {
        return None;
    };
    if *start.kind() != HirKind::Look(Look::Start) || *end.kind() != HirKind::Look(Look::End) {
        return None;
    }
    let (class, min, max) = match body.kind() {
        HirKind::Repetition(r) => (&*r.sub, r.min, r.max),
        HirKind::Class(_) => (body, 1, Some(1)),
        _ => return None,
    };
    let HirKind::Class(Class::Unicode(class)) = class.kind() else {
        return None;
    };
    let mut bits = 0u128;
    for range in class.ranges() {
        let (lo, hi) = (u32::from(range.start()), u32::from(range.end()));
        if hi >= 128 {
            return None;
        }
        for b in lo..=hi {
            bits |= 1 << b;
        }
    }
    Some(Repeat {
        class: bits,
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pattern(p: &str) -> Pattern {
        Pattern::new(Regex::new(p).unwrap())
    }

    #[test]
    fn simple_patterns_are_recognised() {
        for p in [
            "^[A-Z]{2}$",
            "^[A-Za-z0-9_]{1,63}$",
            "^[A-Za-z ,.\\-]+$",
            "^[A-Za-z0-9 .\\-]*$",
            "^[0-9]{3}$",
            "^[0-9]+$",
            "^[a-z]$",
        ] {
            assert!(pattern(p).simple.is_some(), "{p}");
        }
        for p in [
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "^([1-9]|1[0-5])$",
            "^https?://.+$",
            "^\\d+$",
            "[A-Z]{2}",
            "^[A-Z]{2}",
            "^[^a]+$",
            "^[é]+$",
        ] {
            assert!(pattern(p).simple.is_none(), "{p}");
        }
    }

    #[test]
    fn simple_patterns_answer_like_the_regex() {
        let patterns = [
            "^[A-Z]{2}$",
            "^[A-Za-z0-9_]{1,63}$",
            "^[A-Za-z ,.\\-]+$",
            "^[A-Za-z0-9 .\\-]*$",
            "^[0-9]{3}$",
            "^(?i)[a-c]{2,3}$",
        ];
        let long = "a".repeat(64);
        let inputs = [
            "", "B", "BR", "BRA", "br", "B1", "12", "123", "1234", "12a", "order_1", "order-1",
            "Jane Doe", "J0hn", "Ab.-, x", "ÉR", "Bé", "\u{0}", "\n", "BR\n", "abc", "ABC", "abcd",
            &long,
        ];
        for p in patterns {
            let compiled = pattern(p);
            assert!(compiled.simple.is_some(), "{p}");
            let regex = Regex::new(p).unwrap();
            for s in inputs {
                assert_eq!(compiled.is_match(s), regex.is_match(s), "{p} on {s:?}");
            }
        }
    }
}
