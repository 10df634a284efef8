//! Named checks for public-standard identifiers (IBAN, CLABE, CPF, CNPJ, IFSC, SWIFT BIC).
//!
//! A payee rule in the YAML spec names one of these checks (`check: iban`); the runtime
//! applies it to the field value. Every check works on the raw bytes of the value, never
//! allocates and never panics, whatever the input.
//!
//! One file per identifier, each with its examples ([`NamedCheck::examples`]): values that
//! pass and values that fail with their reason. The unit tests here, the agreement tests and
//! the fuzz target read their samples from them.

mod bic;
mod br;
mod clabe;
mod iban;
mod ifsc;

use std::fmt;

/// A named check a spec rule can apply to a field.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum NamedCheck {
    /// International Bank Account Number (ISO 13616), electronic form.
    Iban,
    /// Mexican CLABE (Clave Bancaria Estandarizada), 18 digits.
    Clabe,
    /// Brazilian individual taxpayer number (Cadastro de Pessoas Físicas).
    Cpf,
    /// Brazilian company taxpayer number (Cadastro Nacional da Pessoa Jurídica): 14 digits, or
    /// from July 2026 12 digits or upper-case letters and 2 check digits.
    Cnpj,
    /// Either a CPF (11 digits) or a CNPJ (14 characters).
    CpfOrCnpj,
    /// Indian Financial System Code, 11 characters.
    Ifsc,
    /// SWIFT Business Identifier Code (ISO 9362), 8 or 11 characters.
    SwiftBic,
}

impl NamedCheck {
    /// Every named check, in declaration order.
    pub const ALL: [NamedCheck; 7] = [
        NamedCheck::Iban,
        NamedCheck::Clabe,
        NamedCheck::Cpf,
        NamedCheck::Cnpj,
        NamedCheck::CpfOrCnpj,
        NamedCheck::Ifsc,
        NamedCheck::SwiftBic,
    ];

    /// The spec name: `iban`, `clabe`, `cpf`, `cnpj`, `cpf_or_cnpj`, `ifsc`, `swift_bic`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            NamedCheck::Iban => "iban",
            NamedCheck::Clabe => "clabe",
            NamedCheck::Cpf => "cpf",
            NamedCheck::Cnpj => "cnpj",
            NamedCheck::CpfOrCnpj => "cpf_or_cnpj",
            NamedCheck::Ifsc => "ifsc",
            NamedCheck::SwiftBic => "swift_bic",
        }
    }

    /// Looks a check up by its spec name (exact, case-sensitive match).
    #[must_use]
    pub fn from_name(name: &str) -> Option<NamedCheck> {
        NamedCheck::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Human description used in docs, e.g. "an IBAN (ISO 13616: country length, mod-97)".
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            NamedCheck::Iban => "an IBAN (ISO 13616: country length, mod-97)",
            NamedCheck::Clabe => "a Mexican CLABE (18 digits, weighted control digit)",
            NamedCheck::Cpf => {
                "a Brazilian CPF (11 digits, optionally 000.000.000-00; two mod-11 check digits)"
            }
            NamedCheck::Cnpj => {
                "a Brazilian CNPJ (14 characters, optionally 00.000.000/0000-00, the first 12 digits or, since July 2026, upper-case letters; two mod-11 check digits)"
            }
            NamedCheck::CpfOrCnpj => {
                "a Brazilian CPF (11 digits) or CNPJ (14 characters), bare or punctuated"
            }
            NamedCheck::Ifsc => "an Indian IFSC (4 letters, the digit 0, 6 letters or digits)",
            NamedCheck::SwiftBic => "a SWIFT BIC (ISO 9362: 8 or 11 upper-case characters)",
        }
    }

    /// Checks `value`. Never allocates, never panics, on any input (including non-ASCII).
    ///
    /// # Errors
    ///
    /// Returns the first [`CheckFailure`] found, in the order: empty, charset, length/country,
    /// format, repeated digits, check digits.
    pub fn check(self, value: &str) -> Result<(), CheckFailure> {
        let bytes = value.as_bytes();
        if bytes.is_empty() {
            return Err(CheckFailure::Empty(self));
        }
        let verdict = match self {
            NamedCheck::Iban => iban::check(bytes),
            NamedCheck::Clabe => clabe::check(bytes),
            NamedCheck::Cpf => br::check_cpf(bytes),
            NamedCheck::Cnpj => br::check_cnpj(bytes),
            NamedCheck::CpfOrCnpj => br::check_cpf_or_cnpj(bytes),
            NamedCheck::Ifsc => ifsc::check(bytes),
            NamedCheck::SwiftBic => bic::check(bytes),
        };
        match verdict {
            // A valid identifier in print format: say so, rather than "not a valid IBAN".
            Err(CheckFailure::Charset(_))
                if self
                    .electronic(value)
                    .is_some_and(|e| self.check(&e).is_ok()) =>
            {
                Err(CheckFailure::PrintFormat(self))
            }
            other => other,
        }
    }

    /// The electronic format of an identifier written in print format: an IBAN or a BIC with
    /// the spaces taken out and in upper case (`de89 3704 0044 0532 0130 00` →
    /// `DE89370400440532013000`), as ISO 13616 and ISO 9362 define the electronic form and
    /// banks accept it. `None` when the check has no print format or the value is already
    /// electronic. The typed payee builders and bulk files apply it; raw JSON is checked as
    /// sent (and refused with [`CheckFailure::PrintFormat`]).
    pub fn electronic(self, value: &str) -> Option<String> {
        if !matches!(self, NamedCheck::Iban | NamedCheck::SwiftBic) {
            return None;
        }
        let printed = |b: &u8| *b == b' ' || b.is_ascii_lowercase();
        if !value.as_bytes().iter().any(printed) {
            return None;
        }
        Some(
            value
                .chars()
                .filter(|c| *c != ' ')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        )
    }

    /// Sample values: ones that pass, and ones that fail with the failure they get (from the
    /// check's own file). Tests and fuzz targets take their samples from here.
    #[must_use]
    pub const fn examples(self) -> Examples {
        match self {
            NamedCheck::Iban => iban::EXAMPLES,
            NamedCheck::Clabe => clabe::EXAMPLES,
            NamedCheck::Cpf => br::CPF_EXAMPLES,
            NamedCheck::Cnpj => br::CNPJ_EXAMPLES,
            NamedCheck::CpfOrCnpj => br::CPF_OR_CNPJ_EXAMPLES,
            NamedCheck::Ifsc => ifsc::EXAMPLES,
            NamedCheck::SwiftBic => bic::EXAMPLES,
        }
    }
}

/// A named check's sample values ([`NamedCheck::examples`]).
#[derive(Debug, Clone, Copy)]
pub struct Examples {
    /// Values that pass, electronic (bare) forms first.
    pub valid: &'static [&'static str],
    /// Values that fail, each with the failure it gets.
    pub invalid: &'static [(&'static str, CheckFailure)],
}

/// Why a value failed a named check. `message()` is a fixed English sentence fragment such as
/// "is not a valid IBAN: the check digits do not match (mod-97)".
///
/// Each variant except [`CheckFailure::UnknownCountry`] (which is IBAN-only) carries the check
/// that produced it; for [`NamedCheck::CpfOrCnpj`] that is [`NamedCheck::Cpf`] or
/// [`NamedCheck::Cnpj`] once the digit count has picked one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFailure {
    /// The value is the empty string.
    Empty(NamedCheck),
    /// The value contains a character the identifier never uses (lower case, space, non-ASCII…).
    Charset(NamedCheck),
    /// The value has the wrong number of characters (or digits).
    Length(NamedCheck),
    /// The characters are allowed but not in the identifier's layout.
    Format(NamedCheck),
    /// The IBAN country code is not in the SWIFT IBAN registry.
    UnknownCountry,
    /// Every digit is the same (e.g. `111.111.111-11`), which the issuer never assigns.
    RepeatedDigits(NamedCheck),
    /// A valid IBAN or BIC in print format (spaces, lower case): PayerMax takes the electronic
    /// format ([`NamedCheck::electronic`]).
    PrintFormat(NamedCheck),
    /// The check digit(s) do not match the rest of the value.
    CheckDigit(NamedCheck),
}

impl CheckFailure {
    /// The check that produced this failure.
    #[must_use]
    pub const fn check(self) -> NamedCheck {
        match self {
            CheckFailure::UnknownCountry => NamedCheck::Iban,
            CheckFailure::Empty(c)
            | CheckFailure::Charset(c)
            | CheckFailure::Length(c)
            | CheckFailure::Format(c)
            | CheckFailure::RepeatedDigits(c)
            | CheckFailure::PrintFormat(c)
            | CheckFailure::CheckDigit(c) => c,
        }
    }

    /// Stable `snake_case` code of the reason, e.g. `check_digit`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            CheckFailure::Empty(_) => "empty",
            CheckFailure::Charset(_) => "charset",
            CheckFailure::Length(_) => "length",
            CheckFailure::Format(_) => "format",
            CheckFailure::UnknownCountry => "unknown_country",
            CheckFailure::RepeatedDigits(_) => "repeated_digits",
            CheckFailure::PrintFormat(_) => "print_format",
            CheckFailure::CheckDigit(_) => "check_digit",
        }
    }

    /// Fixed English sentence fragment, e.g. "is not a valid IBAN: the check digits do not match (mod-97)".
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            CheckFailure::Empty(c) => empty_message(c),
            CheckFailure::Charset(c) => charset_message(c),
            CheckFailure::Length(c) => length_message(c),
            CheckFailure::Format(c) => format_message(c),
            CheckFailure::UnknownCountry => {
                "is not a valid IBAN: the country code is not in the IBAN registry"
            }
            CheckFailure::RepeatedDigits(c) => repeated_message(c),
            CheckFailure::PrintFormat(NamedCheck::SwiftBic) => {
                "is a SWIFT BIC in print format (spaces or lower case): send it in upper case without spaces (the SDK's typed payee builders and bulk files convert it)"
            }
            CheckFailure::PrintFormat(_) => {
                "is an IBAN in print format (spaces or lower case): send the electronic format, upper case without spaces (the SDK's typed payee builders and bulk files convert it)"
            }
            CheckFailure::CheckDigit(c) => check_digit_message(c),
        }
    }
}

impl fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for CheckFailure {}

const fn empty_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => "is not a valid IBAN: the value is empty",
        NamedCheck::Clabe => "is not a valid CLABE: the value is empty",
        NamedCheck::Cpf => "is not a valid CPF: the value is empty",
        NamedCheck::Cnpj => "is not a valid CNPJ: the value is empty",
        NamedCheck::CpfOrCnpj => "is not a valid CPF or CNPJ: the value is empty",
        NamedCheck::Ifsc => "is not a valid IFSC: the value is empty",
        NamedCheck::SwiftBic => "is not a valid SWIFT BIC: the value is empty",
    }
}

const fn charset_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => {
            "is not a valid IBAN: only upper-case letters and digits are allowed, without spaces"
        }
        NamedCheck::Clabe => "is not a valid CLABE: only digits are allowed",
        NamedCheck::Cpf => "is not a valid CPF: only digits, '.' and '-' are allowed",
        NamedCheck::Cnpj => {
            "is not a valid CNPJ: only digits, upper-case letters, '.', '/' and '-' are allowed"
        }
        NamedCheck::CpfOrCnpj => {
            "is not a valid CPF or CNPJ: only digits, upper-case letters, '.', '/' and '-' are allowed"
        }
        NamedCheck::Ifsc => "is not a valid IFSC: only upper-case letters and digits are allowed",
        NamedCheck::SwiftBic => {
            "is not a valid SWIFT BIC: only upper-case letters and digits are allowed"
        }
    }
}

const fn length_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => {
            "is not a valid IBAN: the length does not match the IBAN registry for its country"
        }
        NamedCheck::Clabe => "is not a valid CLABE: it must be exactly 18 digits",
        NamedCheck::Cpf => "is not a valid CPF: it must have exactly 11 digits",
        NamedCheck::Cnpj => "is not a valid CNPJ: it must have exactly 14 characters",
        NamedCheck::CpfOrCnpj => {
            "is not a valid CPF or CNPJ: it must have 11 digits (CPF) or 14 characters (CNPJ)"
        }
        NamedCheck::Ifsc => "is not a valid IFSC: it must be exactly 11 characters",
        NamedCheck::SwiftBic => "is not a valid SWIFT BIC: it must be 8 or 11 characters",
    }
}

const fn format_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => {
            "is not a valid IBAN: it must start with a country code (2 letters) and 2 check digits"
        }
        NamedCheck::Clabe => "is not a valid CLABE: it must be 18 digits",
        NamedCheck::Cpf => "is not a valid CPF: use 11 bare digits or the 000.000.000-00 layout",
        NamedCheck::Cnpj => {
            "is not a valid CNPJ: use 14 bare characters or the 00.000.000/0000-00 layout"
        }
        NamedCheck::CpfOrCnpj => {
            "is not a valid CPF or CNPJ: use bare digits, 000.000.000-00 or 00.000.000/0000-00"
        }
        NamedCheck::Ifsc => {
            "is not a valid IFSC: expected 4 letters, the digit 0, then 6 letters or digits"
        }
        NamedCheck::SwiftBic => {
            "is not a valid SWIFT BIC: expected 4 letters or digits, a 2-letter country code, \
             2 letters or digits, and an optional 3-character branch"
        }
    }
}

const fn repeated_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => "is not a valid IBAN: all digits are the same",
        NamedCheck::Clabe => "is not a valid CLABE: all digits are the same",
        NamedCheck::Cpf => "is not a valid CPF: all digits are the same",
        NamedCheck::Cnpj => "is not a valid CNPJ: all digits are the same",
        NamedCheck::CpfOrCnpj => "is not a valid CPF or CNPJ: all digits are the same",
        NamedCheck::Ifsc => "is not a valid IFSC: all digits are the same",
        NamedCheck::SwiftBic => "is not a valid SWIFT BIC: all digits are the same",
    }
}

const fn check_digit_message(c: NamedCheck) -> &'static str {
    match c {
        NamedCheck::Iban => "is not a valid IBAN: the check digits do not match (mod-97)",
        NamedCheck::Clabe => {
            "is not a valid CLABE: the control digit does not match (weights 3, 7, 1)"
        }
        NamedCheck::Cpf => "is not a valid CPF: the check digits do not match (mod-11)",
        NamedCheck::Cnpj => "is not a valid CNPJ: the check digits do not match (mod-11)",
        NamedCheck::CpfOrCnpj => {
            "is not a valid CPF or CNPJ: the check digits do not match (mod-11)"
        }
        NamedCheck::Ifsc => "is not a valid IFSC: the check digits do not match",
        NamedCheck::SwiftBic => "is not a valid SWIFT BIC: the check digits do not match",
    }
}

// Shared helpers of the checks.

/// True for `A`–`Z` and `0`–`9`.
fn is_upper_alnum(b: &u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// Fails with `Charset(check)` unless every byte satisfies `allowed`.
fn require_charset(
    bytes: &[u8],
    check: NamedCheck,
    allowed: impl Fn(&u8) -> bool,
) -> Result<(), CheckFailure> {
    if bytes.iter().all(allowed) {
        Ok(())
    } else {
        Err(CheckFailure::Charset(check))
    }
}

/// Numeric value (0–9) of each ASCII digit in `bytes`, other bytes skipped.
fn digit_values(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifier's short noun used in failure messages.
    fn noun(check: NamedCheck) -> &'static str {
        match check {
            NamedCheck::Iban => "IBAN",
            NamedCheck::Clabe => "CLABE",
            NamedCheck::Cpf => "CPF",
            NamedCheck::Cnpj => "CNPJ",
            NamedCheck::CpfOrCnpj => "CPF or CNPJ",
            NamedCheck::Ifsc => "IFSC",
            NamedCheck::SwiftBic => "SWIFT BIC",
        }
    }

    fn fails(check: NamedCheck, value: &str) -> CheckFailure {
        match check.check(value) {
            Ok(()) => panic!("{} accepted {value:?}", check.name()),
            Err(e) => e,
        }
    }

    #[test]
    fn every_example_passes_or_fails_as_labelled() {
        for c in NamedCheck::ALL {
            let examples = c.examples();
            assert!(
                !examples.valid.is_empty() && !examples.invalid.is_empty(),
                "{c:?}"
            );
            for v in examples.valid {
                assert_eq!(c.check(v), Ok(()), "{} rejected {v:?}", c.name());
            }
            for (v, failure) in examples.invalid {
                assert_eq!(fails(c, v), *failure, "{} on {v:?}", c.name());
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for c in NamedCheck::ALL {
            assert_eq!(NamedCheck::from_name(c.name()), Some(c));
            assert!(!c.describe().is_empty());
        }
        assert_eq!(NamedCheck::from_name("IBAN"), None);
        assert_eq!(NamedCheck::from_name(""), None);
    }

    #[test]
    fn print_format_is_named_and_converted() {
        let iban = NamedCheck::Iban;
        assert_eq!(
            iban.electronic("de89 3704 0044 0532 0130 00").as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(iban.electronic("DE89370400440532013000"), None);
        assert_eq!(NamedCheck::Clabe.electronic("0021 8000"), None);
        let e = iban.check("DE89 3704 0044 0532 0130 00").unwrap_err();
        assert_eq!(e, CheckFailure::PrintFormat(iban));
        assert_eq!(e.code(), "print_format");
        assert!(e.message().contains("electronic format"), "{e}");
        // An invalid IBAN in print format is just invalid.
        assert_eq!(
            iban.check("DE89 3704 0044 0532 0130 01").unwrap_err(),
            CheckFailure::Charset(iban)
        );
        let bic = NamedCheck::SwiftBic;
        assert_eq!(bic.electronic("deut de ff").as_deref(), Some("DEUTDEFF"));
        assert_eq!(bic.check("deutdeff"), Err(CheckFailure::PrintFormat(bic)));
    }

    #[test]
    fn failure_codes_and_messages() {
        let all = NamedCheck::ALL;
        let mut failures = vec![CheckFailure::UnknownCountry];
        for c in all {
            failures.extend([
                CheckFailure::Empty(c),
                CheckFailure::Charset(c),
                CheckFailure::Length(c),
                CheckFailure::Format(c),
                CheckFailure::RepeatedDigits(c),
                CheckFailure::CheckDigit(c),
            ]);
        }
        for f in failures {
            let noun = noun(f.check());
            assert!(f.message().starts_with(&format!("is not a valid {noun}: ")));
            assert_eq!(f.to_string(), f.message());
            assert!(
                f.code()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
        }
        let e = CheckFailure::CheckDigit(NamedCheck::Iban);
        assert_eq!(e.code(), "check_digit");
        assert_eq!(
            e.message(),
            "is not a valid IBAN: the check digits do not match (mod-97)"
        );
    }

    #[test]
    fn no_input_panics() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u8
        };
        // Bias towards the characters the checks care about, plus arbitrary bytes.
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ./- az\xc3\xa9\xff";
        for round in 0..600 {
            let len = usize::from(next()) % 40;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if round % 3 == 0 {
                        r
                    } else {
                        let i = usize::from(r) % alphabet.len();
                        alphabet.get(i).copied().unwrap_or(b'?')
                    }
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            for c in NamedCheck::ALL {
                if let Err(e) = c.check(&text) {
                    assert!(!e.message().is_empty());
                }
            }
        }
    }
}
