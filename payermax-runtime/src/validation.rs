//! Validation reports: a flat, ordered list of violated rules, one line each.
//!
//! Generated validators and the spec interpreter (used by the sandbox and the CLI) produce the
//! same shape, so their reports can be compared as plain data.
//!
//! Each violation carries its rule's [`Level`]. An **enforced** rule is one PayerMax states (or
//! an international standard every bank applies, such as the IBAN's check digits): a request
//! that breaks one is refused before it is sent ([`ValidationErrors`]). An **advisory** rule
//! rests on an example, an ambiguous page or a guess: PayerMax may well pay what breaks it, so
//! its violations are [`Warnings`], reported with their path and never blocking a payout.

use std::fmt;

/// One violated rule: the spec interpreter's own type (one definition for the generated
/// validators, the interpreter, the sandbox and the CLI).
pub use payermax_spec::{Level, Violation};

/// The advisory violations of a request that passed every enforced rule: worth a look (a
/// name with accents, an account number of an unusual shape), but sent as it is.
/// `Display` prints one `path: message (advisory)` per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Warnings {
    /// The violations, in report order (each [`Level::Advise`]).
    pub violations: Vec<Violation>,
}

/// What both reports are: an ordered list of violations, read as a slice, one line each.
macro_rules! violation_list {
    ($report:ident) => {
        impl $report {
            /// Whether it lists nothing.
            pub fn is_empty(&self) -> bool {
                self.violations.is_empty()
            }

            /// How many violations it lists.
            pub fn len(&self) -> usize {
                self.violations.len()
            }

            /// The violations, in report order.
            pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
                self.violations.iter()
            }
        }

        impl<'a> IntoIterator for &'a $report {
            type Item = &'a Violation;
            type IntoIter = std::slice::Iter<'a, Violation>;
            fn into_iter(self) -> Self::IntoIter {
                self.violations.iter()
            }
        }

        impl IntoIterator for $report {
            type Item = Violation;
            type IntoIter = std::vec::IntoIter<Violation>;
            fn into_iter(self) -> Self::IntoIter {
                self.violations.into_iter()
            }
        }

        impl fmt::Display for $report {
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
    };
}

violation_list!(Warnings);
violation_list!(ValidationErrors);

/// What a client does with a request's `validate()` verdict before sending: the warnings when
/// every enforced rule holds; else the report as [`Error::Validation`](crate::Error) — except
/// that an amount with more decimal places than the spec gives its currency passes when the
/// merchant's contract allows them ([`Config::currency_decimals`](crate::Config): Jordan's
/// dinar with 3 places by arrangement).
pub fn admit(
    config: &crate::Config,
    verdict: Result<Warnings, ValidationErrors>,
) -> Result<Warnings, crate::Error> {
    let report = match verdict {
        Ok(warnings) => return Ok(warnings),
        Err(report) => report,
    };
    let agreed = |currency: &str| config.currency_decimals(currency);
    let violations: Vec<Violation> = report
        .violations
        .into_iter()
        .filter(|v| !v.within_agreed_decimals(&agreed))
        .collect();
    ValidationErrors { violations }
        .into_result()
        .map_err(crate::Error::Validation)
}

/// All violations of one request that broke at least one enforced rule, in report order: the
/// enforced ones ([`ValidationErrors::errors`]) and the advisory ones
/// ([`ValidationErrors::warnings`]). `Display` prints one `path: message` per line, with
/// `(advisory)` after a warning.
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

    /// The violations of enforced rules: what blocks sending.
    pub fn errors(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(|v| !v.is_advisory())
    }

    /// The violations of advisory rules: warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(|v| v.is_advisory())
    }

    /// `Ok` with the warnings when no enforced rule is broken, else `Err(self)` (with both).
    pub fn into_result(self) -> Result<Warnings, ValidationErrors> {
        if self.errors().next().is_some() {
            Err(self)
        } else {
            Ok(Warnings {
                violations: self.violations,
            })
        }
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

    #[test]
    fn advisory_violations_alone_are_warnings() {
        let mut advice = Violation::new("payeeInfo.name.fullName", "pattern", "does not match");
        advice.level = Level::Advise;
        let enforced = Violation::new("trade.amount", "required", "is required");
        let only_advice: ValidationErrors = vec![advice.clone()].into();
        let warnings = only_advice.into_result().unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings.to_string(),
            "payeeInfo.name.fullName: does not match (advisory)"
        );
        let both: ValidationErrors = vec![advice, enforced].into();
        assert_eq!(both.errors().count(), 1);
        assert_eq!(both.warnings().count(), 1);
        let both = both.into_result().unwrap_err();
        assert_eq!(both.len(), 2, "an error report keeps its warnings");
    }
}
