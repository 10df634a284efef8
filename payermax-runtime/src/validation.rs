//! Validation reports: a flat, ordered list of violated rules, one line each.
//!
//! Generated validators and the spec interpreter (used by the sandbox and the CLI) produce the
//! same shape, so their reports can be compared as plain data.

use std::fmt;

/// One violated rule: the spec interpreter's own type (one definition for the generated
/// validators, the interpreter, the sandbox and the CLI).
pub use payermax_spec::Violation;

/// All violations of one request, in report order. `Display` prints one `path: message` per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ValidationErrors {
    /// The violations, in report order.
    pub violations: Vec<Violation>,
}

impl ValidationErrors {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a violation.
    pub fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// Whether nothing was violated.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// How many violations.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// The violations, in report order.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<Vec<Violation>> for ValidationErrors {
    fn from(violations: Vec<Violation>) -> Self {
        ValidationErrors { violations }
    }
}

impl FromIterator<Violation> for ValidationErrors {
    fn from_iter<I: IntoIterator<Item = Violation>>(iter: I) -> Self {
        ValidationErrors {
            violations: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_path_and_message_per_line() {
        let report: ValidationErrors = vec![
            Violation::new(
                "payeeInfo.name.firstName",
                "max_length",
                "length 70 is greater than 64",
            )
            .with_param("max", "64"),
            Violation::new("trade.amount", "required", "is required"),
        ]
        .into();
        assert_eq!(
            report.to_string(),
            "payeeInfo.name.firstName: length 70 is greater than 64\ntrade.amount: is required"
        );
        assert_eq!(report.violations[0].param("max"), Some("64"));
        assert_eq!(report.violations[0].param("min"), None);
        assert_eq!(report.len(), 2);
        assert!(report.into_result().is_err());
        assert!(ValidationErrors::new().into_result().is_ok());
    }
}
