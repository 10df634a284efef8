//! Indian IFSC: 4 letters, the digit 0, then 6 letters or digits.

use super::{CheckFailure, Examples, NamedCheck, is_upper_alnum, require_charset};

/// Sample IFSCs.
pub(super) const EXAMPLES: Examples = {
    use CheckFailure::*;
    const IFSC: NamedCheck = NamedCheck::Ifsc;
    Examples {
        valid: &["HDFC0000001", "SBIN0005943", "ICIC0ABC123"],
        invalid: &[
            ("SBIN1005943", Format(IFSC)),
            ("SB1N0005943", Format(IFSC)),
            ("SBIN000594", Length(IFSC)),
            ("SBIN00059431", Length(IFSC)),
            ("sbin0005943", Charset(IFSC)),
            ("SBIN 005943", Charset(IFSC)),
            ("", Empty(IFSC)),
        ],
    }
};

pub(super) fn check(bytes: &[u8]) -> Result<(), CheckFailure> {
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
