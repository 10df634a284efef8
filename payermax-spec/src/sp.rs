//! Values that remember where they were written in a spec file.

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::ops::Deref;

/// A line and column (both 1-based) inside one spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line; 0 when the position is unknown.
    pub line: u32,
    /// 1-based column; 0 when the position is unknown.
    pub column: u32,
}

/// A value read from YAML together with the position it was written at.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where the value was written.
    pub pos: Pos,
}

impl<T> Sp<T> {
    /// A value with no known position (built in code rather than read from a file).
    pub fn unplaced(value: T) -> Self {
        Sp {
            value,
            pos: Pos::default(),
        }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let loc = spanned.referenced;
        Ok(Sp {
            value: spanned.value,
            pos: Pos {
                line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
                column: u32::try_from(loc.column()).unwrap_or(u32::MAX),
            },
        })
    }
}

/// Where a fact comes from: one source key or page, or several.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Source {
    /// A single source.
    One(String),
    /// Several sources.
    Many(Vec<String>),
}

impl Source {
    /// The sources as a list.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Source::One(s) => std::slice::from_ref(s),
            Source::Many(v) => v,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_slice().join("; "))
    }
}
