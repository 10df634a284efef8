//! Mexican CLABE: 18 digits, the last a control digit (weights 3, 7, 1).

use super::{CheckFailure, Examples, NamedCheck, digit_values, require_charset};

/// Sample CLABEs.
pub(super) const EXAMPLES: Examples = {
    use CheckFailure::*;
    const CLABE: NamedCheck = NamedCheck::Clabe;
    Examples {
        valid: &["032180000118359719", "002010077777777771"],
        invalid: &[
            ("032180000118359718", CheckDigit(CLABE)),
            ("03218000011835971", Length(CLABE)),
            ("0321800001183597190", Length(CLABE)),
            ("0321 8000 0118 3597 19", Charset(CLABE)),
            ("03218000011835971٩", Charset(CLABE)),
            ("", Empty(CLABE)),
        ],
    }
};

pub(super) fn check(bytes: &[u8]) -> Result<(), CheckFailure> {
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
