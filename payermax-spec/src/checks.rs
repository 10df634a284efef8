//! Named checks for public-standard identifiers (IBAN, CLABE, CPF, CNPJ, IFSC, SWIFT BIC).
//!
//! A payee rule in the YAML spec names one of these checks (`check: iban`); the runtime
//! applies it to the field value. Every check works on the raw bytes of the value, never
//! allocates and never panics, whatever the input.

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
        match self {
            NamedCheck::Iban => check_iban(bytes),
            NamedCheck::Clabe => check_clabe(bytes),
            NamedCheck::Cpf => check_cpf(bytes),
            NamedCheck::Cnpj => check_cnpj(bytes),
            NamedCheck::CpfOrCnpj => check_cpf_or_cnpj(bytes),
            NamedCheck::Ifsc => check_ifsc(bytes),
            NamedCheck::SwiftBic => check_swift_bic(bytes),
        }
    }
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

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// IBAN (ISO 13616)
// ---------------------------------------------------------------------------------------------

/// SWIFT IBAN registry: country code → total IBAN length, sorted by country code.
///
/// The 89 countries of the registry (release 100+, including HN, NI, YE). Territories that the
/// registry lists under a parent country's entry are not separate prefixes here.
static IBAN_LENGTHS: [([u8; 2], u8); 89] = [
    (*b"AD", 24),
    (*b"AE", 23),
    (*b"AL", 28),
    (*b"AT", 20),
    (*b"AZ", 28),
    (*b"BA", 20),
    (*b"BE", 16),
    (*b"BG", 22),
    (*b"BH", 22),
    (*b"BI", 27),
    (*b"BR", 29),
    (*b"BY", 28),
    (*b"CH", 21),
    (*b"CR", 22),
    (*b"CY", 28),
    (*b"CZ", 24),
    (*b"DE", 22),
    (*b"DJ", 27),
    (*b"DK", 18),
    (*b"DO", 28),
    (*b"EE", 20),
    (*b"EG", 29),
    (*b"ES", 24),
    (*b"FI", 18),
    (*b"FK", 18),
    (*b"FO", 18),
    (*b"FR", 27),
    (*b"GB", 22),
    (*b"GE", 22),
    (*b"GI", 23),
    (*b"GL", 18),
    (*b"GR", 27),
    (*b"GT", 28),
    (*b"HN", 28),
    (*b"HR", 21),
    (*b"HU", 28),
    (*b"IE", 22),
    (*b"IL", 23),
    (*b"IQ", 23),
    (*b"IS", 26),
    (*b"IT", 27),
    (*b"JO", 30),
    (*b"KW", 30),
    (*b"KZ", 20),
    (*b"LB", 28),
    (*b"LC", 32),
    (*b"LI", 21),
    (*b"LT", 20),
    (*b"LU", 20),
    (*b"LV", 21),
    (*b"LY", 25),
    (*b"MC", 27),
    (*b"MD", 24),
    (*b"ME", 22),
    (*b"MK", 19),
    (*b"MN", 20),
    (*b"MR", 27),
    (*b"MT", 31),
    (*b"MU", 30),
    (*b"NI", 28),
    (*b"NL", 18),
    (*b"NO", 15),
    (*b"OM", 23),
    (*b"PK", 24),
    (*b"PL", 28),
    (*b"PS", 29),
    (*b"PT", 25),
    (*b"QA", 29),
    (*b"RO", 24),
    (*b"RS", 22),
    (*b"RU", 33),
    (*b"SA", 24),
    (*b"SC", 31),
    (*b"SD", 18),
    (*b"SE", 24),
    (*b"SI", 19),
    (*b"SK", 24),
    (*b"SM", 27),
    (*b"SO", 23),
    (*b"ST", 25),
    (*b"SV", 28),
    (*b"TL", 23),
    (*b"TN", 24),
    (*b"TR", 26),
    (*b"UA", 29),
    (*b"VA", 22),
    (*b"VG", 24),
    (*b"XK", 20),
    (*b"YE", 30),
];

/// Registry IBAN length for a two-letter country code.
fn iban_length(country: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .binary_search_by(|(code, _)| code.cmp(&country))
        .ok()
        .and_then(|i| IBAN_LENGTHS.get(i))
        .map(|&(_, len)| usize::from(len))
}

/// Folds one IBAN character into a running mod-97 remainder (letters count as 10–35).
#[cfg(test)]
fn mod97_step(acc: u32, b: u8) -> u32 {
    if b.is_ascii_digit() {
        (acc * 10 + u32::from(b - b'0')) % 97
    } else {
        (acc * 100 + u32::from(b.wrapping_sub(b'A')) + 10) % 97
    }
}

/// The rearranged IBAN (`bban` then the first four characters) mod 97, `None` when a character
/// is not an upper-case letter or a digit: the charset check and the remainder in one pass.
/// Digits accumulate in a `u64` and are reduced only when the next character could overflow
/// it: a few reductions per IBAN instead of one per character.
fn iban_mod97(bban: &[u8], head: [u8; 4]) -> Option<u64> {
    const LIMIT: u64 = 1_000_000_000_000_000; // acc · 100 + 265 stays below 2^64
    let mut acc: u64 = 0;
    let mut ok = true;
    let mut step = |b: u8| {
        let (digit, letter) = (b.wrapping_sub(b'0'), b.wrapping_sub(b'A'));
        if acc >= LIMIT {
            acc %= 97;
        }
        if digit < 10 {
            acc = acc * 10 + u64::from(digit);
        } else {
            ok &= letter < 26;
            acc = acc * 100 + u64::from(letter) + 10;
        }
    };
    bban.iter().for_each(|&b| step(b));
    head.into_iter().for_each(&mut step);
    ok.then_some(acc % 97)
}

fn check_iban(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::Iban;
    let [c1, c2, d1, d2, bban @ ..] = bytes else {
        require_charset(bytes, CHECK, is_upper_alnum)?;
        return Err(CheckFailure::Length(CHECK));
    };
    let remainder = iban_mod97(bban, [*c1, *c2, *d1, *d2]).ok_or(CheckFailure::Charset(CHECK))?;
    let expected = iban_length([*c1, *c2]).ok_or(CheckFailure::UnknownCountry)?;
    if bytes.len() != expected {
        return Err(CheckFailure::Length(CHECK));
    }
    if !d1.is_ascii_digit() || !d2.is_ascii_digit() {
        return Err(CheckFailure::Format(CHECK));
    }
    // ISO 7064 MOD 97-10 check digits are 02–98; 00, 01 and 99 alias 97, 98 and 02.
    let check_digits = (d1 - b'0') * 10 + (d2 - b'0');
    let in_range = (2..=98).contains(&check_digits);
    if in_range && remainder == 1 {
        Ok(())
    } else {
        Err(CheckFailure::CheckDigit(CHECK))
    }
}

// ---------------------------------------------------------------------------------------------
// CLABE (Mexico)
// ---------------------------------------------------------------------------------------------

fn check_clabe(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::Clabe;
    require_charset(bytes, CHECK, u8::is_ascii_digit)?;
    let Some((body, [control])) = bytes.split_last_chunk::<1>().filter(|_| bytes.len() == 18)
    else {
        return Err(CheckFailure::Length(CHECK));
    };
    let sum: u32 = digit_values(body)
        .zip([3, 7, 1].into_iter().cycle())
        .map(|(d, w)| d * w % 10)
        .sum();
    if (10 - sum % 10) % 10 == u32::from(control - b'0') {
        Ok(())
    } else {
        Err(CheckFailure::CheckDigit(CHECK))
    }
}

// ---------------------------------------------------------------------------------------------
// CPF / CNPJ (Brazil)
// ---------------------------------------------------------------------------------------------

const CPF_LAYOUT: &[u8] = b"###.###.###-##";
const CPF_W1: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CPF_W2: [u32; 10] = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_LAYOUT: &[u8] = b"##.###.###/####-##";
const CNPJ_W1: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_W2: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/// True for an ASCII digit or the `.`, `/`, `-` punctuation of CPF/CNPJ layouts.
fn is_br_char(b: &u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'.' | b'/' | b'-')
}

/// [`is_br_char`], or an upper-case letter: CNPJs issued from July 2026 are alphanumeric
/// (Receita Federal, IN RFB 2.229/2024): 12 characters `[0-9A-Z]`, then 2 check digits.
fn is_cnpj_char(b: &u8) -> bool {
    is_br_char(b) || b.is_ascii_uppercase()
}

/// The value of each CPF/CNPJ character, separators skipped: a character's ASCII code − 48
/// (digits 0–9; with `letters`, `A` = 17 … `Z` = 42, as the alphanumeric CNPJ defines).
fn br_values(bytes: &[u8], letters: bool) -> impl Iterator<Item = u32> + '_ {
    bytes
        .iter()
        .filter(move |b| b.is_ascii_digit() || (letters && b.is_ascii_uppercase()))
        .map(|b| u32::from(b - b'0'))
}

/// True when `bytes` fits `layout`, where `#` stands for an ASCII digit (or, with `letters`,
/// an upper-case letter).
fn matches_layout(bytes: &[u8], layout: &[u8], letters: bool) -> bool {
    bytes.len() == layout.len()
        && bytes.iter().zip(layout).all(|(b, l)| match l {
            b'#' => b.is_ascii_digit() || (letters && b.is_ascii_uppercase()),
            _ => b == l,
        })
}

/// Brazilian mod-11 check digit of the leading characters (as many as there are weights).
fn mod11_digit(bytes: &[u8], weights: &[u32], letters: bool) -> u32 {
    let sum: u32 = br_values(bytes, letters)
        .zip(weights)
        .map(|(d, w)| d * w)
        .sum();
    match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    }
}

/// Checks a CPF or CNPJ: charset, character count (`w2.len() + 1`), layout, repetition, then
/// the two mod-11 check digits at positions `w1.len()` and `w2.len()` (a letter there never
/// equals a check digit, which is 0–9).
fn check_br(
    bytes: &[u8],
    check: NamedCheck,
    layout: &[u8],
    allowed: impl Fn(&u8) -> bool,
    (w1, w2): (&[u32], &[u32]),
    letters: bool,
) -> Result<(), CheckFailure> {
    require_charset(bytes, check, allowed)?;
    let count = br_values(bytes, letters).count();
    if count != w2.len() + 1 {
        return Err(CheckFailure::Length(check));
    }
    if bytes.len() != count && !matches_layout(bytes, layout, letters) {
        return Err(CheckFailure::Format(check));
    }
    let first = br_values(bytes, letters).next();
    if br_values(bytes, letters).all(|d| Some(d) == first) {
        return Err(CheckFailure::RepeatedDigits(check));
    }
    let mut checks = br_values(bytes, letters).skip(w1.len());
    let ok = checks.next() == Some(mod11_digit(bytes, w1, letters))
        && checks.next() == Some(mod11_digit(bytes, w2, letters));
    if ok {
        Ok(())
    } else {
        Err(CheckFailure::CheckDigit(check))
    }
}

fn check_cpf(bytes: &[u8]) -> Result<(), CheckFailure> {
    let allowed = |b: &u8| b.is_ascii_digit() || matches!(b, b'.' | b'-');
    check_br(
        bytes,
        NamedCheck::Cpf,
        CPF_LAYOUT,
        allowed,
        (&CPF_W1, &CPF_W2),
        false,
    )
}

fn check_cnpj(bytes: &[u8]) -> Result<(), CheckFailure> {
    check_br(
        bytes,
        NamedCheck::Cnpj,
        CNPJ_LAYOUT,
        is_cnpj_char,
        (&CNPJ_W1, &CNPJ_W2),
        true,
    )
}

fn check_cpf_or_cnpj(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::CpfOrCnpj;
    require_charset(bytes, CHECK, is_cnpj_char)?;
    match br_values(bytes, true).count() {
        11 => check_cpf(bytes),
        14 => check_cnpj(bytes),
        _ => Err(CheckFailure::Length(CHECK)),
    }
}

// ---------------------------------------------------------------------------------------------
// IFSC (India) and SWIFT BIC (ISO 9362)
// ---------------------------------------------------------------------------------------------

fn check_ifsc(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::Ifsc;
    require_charset(bytes, CHECK, is_upper_alnum)?;
    let Some((bank, [zero, _, _, _, _, _, _])) = bytes.split_first_chunk::<4>() else {
        return Err(CheckFailure::Length(CHECK));
    };
    if bank.iter().all(u8::is_ascii_uppercase) && *zero == b'0' {
        Ok(())
    } else {
        Err(CheckFailure::Format(CHECK))
    }
}

fn check_swift_bic(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::SwiftBic;
    require_charset(bytes, CHECK, is_upper_alnum)?;
    if bytes.len() != 8 && bytes.len() != 11 {
        return Err(CheckFailure::Length(CHECK));
    }
    // ISO 9362 since 2014: the business party prefix (4) is letters or digits, the country
    // code (2) letters, location (2) and branch (3) letters or digits.
    if bytes
        .get(4..6)
        .is_some_and(|c| c.iter().all(u8::is_ascii_uppercase))
    {
        Ok(())
    } else {
        Err(CheckFailure::Format(CHECK))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::expect_used)]
    fn iban_mod97_equals_the_step_by_step_remainder() {
        let samples: [&[u8]; 4] = [
            b"GB82WEST12345698765432",
            b"MT84MALT011000012345MTLCAST001S",
            b"NO9386011117947",
            b"LC55HEMM000100010012001200023015",
        ];
        for iban in samples {
            let (head, bban) = iban.split_first_chunk::<4>().expect("4 characters");
            let head = *head;
            let slow = bban
                .iter()
                .chain(&head)
                .fold(0, |acc, &b| mod97_step(acc, b));
            assert_eq!(iban_mod97(bban, head), Some(u64::from(slow)));
        }
        assert_eq!(iban_mod97(b"1234a", *b"GB82"), None);
        assert_eq!(iban_mod97(b"1234", *b"GB8 "), None);
    }

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

    fn assert_valid(check: NamedCheck, values: &[&str]) {
        for v in values {
            assert_eq!(check.check(v), Ok(()), "{} rejected {v:?}", check.name());
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
    fn registry_table_is_sorted_and_sane() {
        let codes = IBAN_LENGTHS.iter().map(|(c, _)| c);
        assert!(codes.clone().zip(codes.skip(1)).all(|(a, b)| a < b));
        assert!(
            IBAN_LENGTHS
                .iter()
                .all(|(c, l)| c.iter().all(u8::is_ascii_uppercase) && (15..=34).contains(l))
        );
        assert_eq!(iban_length(*b"DE"), Some(22));
        assert_eq!(iban_length(*b"NO"), Some(15));
        assert_eq!(iban_length(*b"RU"), Some(33));
        assert_eq!(iban_length(*b"US"), None);
    }

    #[test]
    fn iban_valid() {
        assert_valid(
            NamedCheck::Iban,
            &[
                "GB82WEST12345698765432",
                "DE89370400440532013000",
                "NO9386011117947",
                "FR1420041010050500013M02606",
                "BE71096123456769",
                "SC18SSCB11010000000000001497USD",
                "LC55HEMM000100010012001200023015",
                "RU0304452522540817810538091310419",
                "HN88CABF00000000000250005469",
                "DE02370400440532013014",
                "DE98370400440532013032",
            ],
        );
    }

    #[test]
    fn iban_failures() {
        use CheckFailure::*;
        let iban = NamedCheck::Iban;
        assert_eq!(fails(iban, ""), Empty(iban));
        assert_eq!(fails(iban, "DE89370400440532013001"), CheckDigit(iban));
        assert_eq!(fails(iban, "GB99WEST12345698765432"), CheckDigit(iban));
        // 99 and 01 alias 02 and 98 under mod-97 but are not valid check digits.
        assert_eq!(fails(iban, "DE99370400440532013014"), CheckDigit(iban));
        assert_eq!(fails(iban, "DE01370400440532013032"), CheckDigit(iban));
        assert_eq!(fails(iban, "GB82WEST1234569876543"), Length(iban));
        assert_eq!(fails(iban, "DE893704004405320130001"), Length(iban));
        assert_eq!(fails(iban, "DE8"), Length(iban));
        assert_eq!(fails(iban, "US12345678901234567890"), UnknownCountry);
        assert_eq!(fails(iban, "1289370400440532013000"), UnknownCountry);
        assert_eq!(fails(iban, "DEXX370400440532013000"), Format(iban));
        assert_eq!(fails(iban, "gb82west12345698765432"), Charset(iban));
        assert_eq!(fails(iban, "GB82 WEST 1234 5698 7654 32"), Charset(iban));
        assert_eq!(fails(iban, "DE89 3704 ✓"), Charset(iban));
        assert_eq!(fails(iban, "DE89370400440532013000\n"), Charset(iban));
    }

    #[test]
    fn clabe() {
        use CheckFailure::*;
        let clabe = NamedCheck::Clabe;
        assert_valid(clabe, &["032180000118359719", "002010077777777771"]);
        assert_eq!(fails(clabe, "032180000118359718"), CheckDigit(clabe));
        assert_eq!(fails(clabe, "03218000011835971"), Length(clabe));
        assert_eq!(fails(clabe, "0321800001183597190"), Length(clabe));
        assert_eq!(fails(clabe, "0321 8000 0118 3597 19"), Charset(clabe));
        assert_eq!(fails(clabe, "03218000011835971٩"), Charset(clabe));
        assert_eq!(fails(clabe, ""), Empty(clabe));
    }

    #[test]
    fn cpf() {
        use CheckFailure::*;
        let cpf = NamedCheck::Cpf;
        assert_valid(cpf, &["529.982.247-25", "52998224725", "111.444.777-35"]);
        assert_eq!(fails(cpf, "529.982.247-26"), CheckDigit(cpf));
        assert_eq!(fails(cpf, "52998224735"), CheckDigit(cpf));
        assert_eq!(fails(cpf, "111.111.111-11"), RepeatedDigits(cpf));
        assert_eq!(fails(cpf, "00000000000"), RepeatedDigits(cpf));
        assert_eq!(fails(cpf, "5299822472"), Length(cpf));
        assert_eq!(fails(cpf, "529.982.247-255"), Length(cpf));
        assert_eq!(fails(cpf, "529982247-25"), Format(cpf));
        assert_eq!(fails(cpf, "529.982.247.25"), Format(cpf));
        assert_eq!(fails(cpf, "529.982.247/25"), Charset(cpf));
        assert_eq!(fails(cpf, "529 982 247 25"), Charset(cpf));
        assert_eq!(fails(cpf, ""), Empty(cpf));
    }

    #[test]
    fn cnpj() {
        use CheckFailure::*;
        let cnpj = NamedCheck::Cnpj;
        assert_valid(
            cnpj,
            &["11.222.333/0001-81", "11222333000181", "60.701.190/0001-04"],
        );
        assert_eq!(fails(cnpj, "11.222.333/0001-82"), CheckDigit(cnpj));
        assert_eq!(fails(cnpj, "11222333000191"), CheckDigit(cnpj));
        assert_eq!(fails(cnpj, "00.000.000/0000-00"), RepeatedDigits(cnpj));
        assert_eq!(fails(cnpj, "1122233300018"), Length(cnpj));
        assert_eq!(fails(cnpj, "11.222.333.0001-81"), Format(cnpj));
        assert_eq!(fails(cnpj, "11222333/0001-81"), Format(cnpj));
        // Alphanumeric CNPJs (from July 2026): the Receita Federal's example, and others.
        assert_valid(
            cnpj,
            &["12.ABC.345/01DE-35", "12ABC34501DE35", "A1B2C3D4E5F668"],
        );
        assert_eq!(fails(cnpj, "12.ABC.345/01DE-36"), CheckDigit(cnpj));
        assert_eq!(fails(cnpj, "12ABC34501DE3A"), CheckDigit(cnpj));
        assert_eq!(fails(cnpj, "12.abc.345/01de-35"), Charset(cnpj));
        assert_eq!(fails(cnpj, "AA.AAA.AAA/AAAA-AA"), RepeatedDigits(cnpj));
    }

    #[test]
    fn cpf_or_cnpj() {
        use CheckFailure::*;
        let both = NamedCheck::CpfOrCnpj;
        assert_valid(
            both,
            &[
                "529.982.247-25",
                "52998224725",
                "11.222.333/0001-81",
                "11222333000181",
            ],
        );
        let cpf = NamedCheck::Cpf;
        let cnpj = NamedCheck::Cnpj;
        assert_eq!(fails(both, "529.982.247-26"), CheckDigit(cpf));
        assert_eq!(fails(both, "11222333000182"), CheckDigit(cnpj));
        assert_eq!(fails(both, "111.111.111-11"), RepeatedDigits(cpf));
        assert_eq!(fails(both, "123456789012"), Length(both));
        assert_eq!(fails(both, "5299822472x"), Charset(both));
        // 11 characters are a CPF, which has no letters.
        assert_eq!(fails(both, "5299822472X"), Charset(cpf));
        assert_valid(both, &["12.ABC.345/01DE-35"]);
        assert_eq!(fails(both, ""), Empty(both));
    }

    #[test]
    fn ifsc() {
        use CheckFailure::*;
        let ifsc = NamedCheck::Ifsc;
        assert_valid(ifsc, &["SBIN0005943", "HDFC0000001", "ICIC0ABC123"]);
        assert_eq!(fails(ifsc, "SBIN1005943"), Format(ifsc));
        assert_eq!(fails(ifsc, "SB1N0005943"), Format(ifsc));
        assert_eq!(fails(ifsc, "SBIN000594"), Length(ifsc));
        assert_eq!(fails(ifsc, "SBIN00059431"), Length(ifsc));
        assert_eq!(fails(ifsc, "sbin0005943"), Charset(ifsc));
        assert_eq!(fails(ifsc, "SBIN 005943"), Charset(ifsc));
        assert_eq!(fails(ifsc, ""), Empty(ifsc));
    }

    #[test]
    fn swift_bic() {
        use CheckFailure::*;
        let bic = NamedCheck::SwiftBic;
        assert_valid(
            bic,
            &[
                "DEUTDEFF",
                "DEUTDEFF500",
                "NEDSZAJJXXX",
                "CHASUS33",
                "BOFAUS3N",
                // ISO 9362:2014 allows digits in the business party prefix.
                "DEU1DEFF",
                "1234GB2L",
            ],
        );
        assert_eq!(fails(bic, "DEUTDEF"), Length(bic));
        assert_eq!(fails(bic, "DEUTDEFF5"), Length(bic));
        assert_eq!(fails(bic, "DEUTDEFF5000"), Length(bic));
        assert_eq!(fails(bic, "DEUT12FF"), Format(bic));
        assert_eq!(fails(bic, "DEUTD1FF"), Format(bic));
        assert_eq!(fails(bic, "deutdeff"), Charset(bic));
        assert_eq!(fails(bic, "DEUT DEFF"), Charset(bic));
        assert_eq!(fails(bic, "DEUTDEFFÜ"), Charset(bic));
        assert_eq!(fails(bic, ""), Empty(bic));
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
