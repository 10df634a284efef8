//! SWIFT BIC (ISO 9362): 8 or 11 characters, a letter country code at positions 5–6.

use super::{CheckFailure, Examples, NamedCheck, is_upper_alnum, require_charset};

/// Sample BICs.
pub(super) const EXAMPLES: Examples = {
    use CheckFailure::*;
    const BIC: NamedCheck = NamedCheck::SwiftBic;
    Examples {
        valid: &[
            "DEUTDEFF",
            "NWBKGB2L",
            "DNBANOKKXXX",
            "DEUTDEFF500",
            "NEDSZAJJXXX",
            "CHASUS33",
            "BOFAUS3N",
            // ISO 9362:2014 allows digits in the business party prefix.
            "DEU1DEFF",
            "1234GB2L",
        ],
        invalid: &[
            ("DEUTDEF", Length(BIC)),
            ("DEUTDEFF5", Length(BIC)),
            ("DEUTDEFF5000", Length(BIC)),
            ("DEUT12FF", Format(BIC)),
            ("DEUTD1FF", Format(BIC)),
            ("deutdeff", PrintFormat(BIC)),
            ("DEUT DEFF", PrintFormat(BIC)),
            ("deut de", Charset(BIC)),
            ("DEUTDEFFÜ", Charset(BIC)),
            ("", Empty(BIC)),
        ],
    }
};

pub(super) fn check(bytes: &[u8]) -> Result<(), CheckFailure> {
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
