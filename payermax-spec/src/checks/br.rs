//! Brazilian CPF and CNPJ: mod-11 check digits, bare or punctuated; CNPJs issued from July
//! 2026 are alphanumeric.

use super::{CheckFailure, Examples, NamedCheck, require_charset};

/// Sample CPFs.
pub(super) const CPF_EXAMPLES: Examples = {
    use CheckFailure::*;
    const CPF: NamedCheck = NamedCheck::Cpf;
    Examples {
        valid: &["52998224725", "529.982.247-25", "111.444.777-35"],
        invalid: &[
            ("529.982.247-26", CheckDigit(CPF)),
            ("52998224735", CheckDigit(CPF)),
            ("111.111.111-11", RepeatedDigits(CPF)),
            ("00000000000", RepeatedDigits(CPF)),
            ("5299822472", Length(CPF)),
            ("529.982.247-255", Length(CPF)),
            ("529982247-25", Format(CPF)),
            ("529.982.247.25", Format(CPF)),
            ("529.982.247/25", Charset(CPF)),
            ("529 982 247 25", Charset(CPF)),
            ("", Empty(CPF)),
        ],
    }
};

/// Sample CNPJs, numeric and (from July 2026) alphanumeric: the Receita Federal's example
/// among them.
pub(super) const CNPJ_EXAMPLES: Examples = {
    use CheckFailure::*;
    const CNPJ: NamedCheck = NamedCheck::Cnpj;
    Examples {
        valid: &[
            "11222333000181",
            "11.222.333/0001-81",
            "60.701.190/0001-04",
            "12.ABC.345/01DE-35",
            "12ABC34501DE35",
            "A1B2C3D4E5F668",
        ],
        invalid: &[
            ("11.222.333/0001-82", CheckDigit(CNPJ)),
            ("11222333000191", CheckDigit(CNPJ)),
            ("00.000.000/0000-00", RepeatedDigits(CNPJ)),
            ("1122233300018", Length(CNPJ)),
            ("11.222.333.0001-81", Format(CNPJ)),
            ("11222333/0001-81", Format(CNPJ)),
            ("12.ABC.345/01DE-36", CheckDigit(CNPJ)),
            ("12ABC34501DE3A", CheckDigit(CNPJ)),
            ("12.abc.345/01de-35", Charset(CNPJ)),
            ("AA.AAA.AAA/AAAA-AA", RepeatedDigits(CNPJ)),
        ],
    }
};

/// Samples of either: the digit count picks the check, which the failure then names.
pub(super) const CPF_OR_CNPJ_EXAMPLES: Examples = {
    use CheckFailure::*;
    const BOTH: NamedCheck = NamedCheck::CpfOrCnpj;
    const CPF: NamedCheck = NamedCheck::Cpf;
    const CNPJ: NamedCheck = NamedCheck::Cnpj;
    Examples {
        valid: &[
            "52998224725",
            "11222333000181",
            "529.982.247-25",
            "11.222.333/0001-81",
            "12.ABC.345/01DE-35",
        ],
        invalid: &[
            ("529.982.247-26", CheckDigit(CPF)),
            ("11222333000182", CheckDigit(CNPJ)),
            ("111.111.111-11", RepeatedDigits(CPF)),
            ("123456789012", Length(BOTH)),
            ("5299822472x", Charset(BOTH)),
            // 11 characters are a CPF, which has no letters.
            ("5299822472X", Charset(CPF)),
            ("", Empty(BOTH)),
        ],
    }
};

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

pub(super) fn check_cpf(bytes: &[u8]) -> Result<(), CheckFailure> {
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

pub(super) fn check_cnpj(bytes: &[u8]) -> Result<(), CheckFailure> {
    check_br(
        bytes,
        NamedCheck::Cnpj,
        CNPJ_LAYOUT,
        is_cnpj_char,
        (&CNPJ_W1, &CNPJ_W2),
        true,
    )
}

pub(super) fn check_cpf_or_cnpj(bytes: &[u8]) -> Result<(), CheckFailure> {
    const CHECK: NamedCheck = NamedCheck::CpfOrCnpj;
    require_charset(bytes, CHECK, is_cnpj_char)?;
    match br_values(bytes, true).count() {
        11 => check_cpf(bytes),
        14 => check_cnpj(bytes),
        _ => Err(CheckFailure::Length(CHECK)),
    }
}
