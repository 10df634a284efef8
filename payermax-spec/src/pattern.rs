//! Compiled spec patterns. Most patterns in the spec are one ASCII character class repeated
//! between two bounds and anchored at both ends (`^[A-Z]{2}$`, `^[A-Za-z0-9_]{1,63}$`); those
//! are checked byte by byte, which costs a fraction of a regex search. Every other pattern goes
//! to the regex engine. Both give the same answer on every input.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A pattern, compiled once.
#[derive(Debug, Clone)]
pub struct Pattern {
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

    /// Compiles `pattern` (Rust `regex` syntax); `None` when it does not compile.
    pub fn compile(pattern: &str) -> Option<Pattern> {
        Regex::new(pattern).ok().map(Pattern::new)
    }

    /// The pattern as `(class, min, max)` when it is one ASCII class repeated between two
    /// bounds and anchored at both ends: bit `b` of `class` is set when byte `b` is in the class.
    /// Generated validators check such patterns inline with [`crate::fast::bytes_match`].
    pub fn simple_class(&self) -> Option<(u128, u32, Option<u32>)> {
        self.simple.map(|r| (r.class, r.min, r.max))
    }

    /// Every string the pattern matches, when it is anchored at both ends and matches only a
    /// few (at most 64) strings, such as `^([1-9]|1[0-5])$`: generated validators compare with
    /// them instead of running the regex engine.
    pub fn finite_set(&self) -> Option<Vec<String>> {
        let hir = regex_syntax::parse(self.regex.as_str()).ok()?;
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let [start, body, end] = parts.as_slice() else {
            return None;
        };
        if *start.kind() != HirKind::Look(Look::Start)
            || *end.kind() != HirKind::Look(Look::End)
            || has_look(body)
        {
            return None;
        }
        let mut extractor = regex_syntax::hir::literal::Extractor::new();
        extractor.limit_total(64);
        let seq = extractor.extract(body);
        if !seq.is_exact() {
            return None;
        }
        seq.literals()?
            .iter()
            .map(|l| String::from_utf8(l.as_bytes().to_vec()).ok())
            .collect()
    }

    /// Whether `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        match self.simple {
            Some(r) => r.is_match(s),
            None => self.regex.is_match(s),
        }
    }
}

impl Repeat {
    fn is_match(&self, s: &str) -> bool {
        crate::fast::class_match(
            s,
            self.class,
            self.min as usize,
            self.max.map_or(usize::MAX, |m| m as usize),
        )
    }
}

/// Whether `hir` holds a look-around assertion anywhere (`^`, `$`, `\b`…).
fn has_look(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(_) => true,
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
        HirKind::Repetition(r) => has_look(&r.sub),
        HirKind::Capture(c) => has_look(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(has_look),
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
    fn finite_patterns_list_exactly_what_they_match() {
        let set = pattern("^([1-9]|1[0-5])$").finite_set().unwrap();
        let expected: Vec<String> = (1..=15).map(|n| n.to_string()).collect();
        let mut sorted = set.clone();
        sorted.sort_by_key(|s| s.parse::<u32>().unwrap());
        assert_eq!(sorted, expected);
        assert_eq!(pattern("^(OUR|SHA)$").finite_set().unwrap().len(), 2);
        for p in [
            "^[0-9]+$",
            "([1-9]|1[0-5])",
            "^([1-9]|1[0-5])",
            "^a\\b$",
            "^[0-9]{4}-[0-9]{2}$",
        ] {
            assert!(pattern(p).finite_set().is_none(), "{p}");
        }
        // Agrees with the regex on the strings around the set.
        let compiled = pattern("^([1-9]|1[0-5])$");
        let set = compiled.finite_set().unwrap();
        for n in 0..200 {
            for s in [n.to_string(), format!("0{n}"), format!("{n} ")] {
                assert_eq!(set.contains(&s), compiled.is_match(&s), "{s:?}");
            }
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
