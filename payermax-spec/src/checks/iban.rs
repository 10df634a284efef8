//! IBAN (ISO 13616): the registry's length per country, then mod-97 over the rearranged
//! value.

use super::{CheckFailure, Examples, NamedCheck, is_upper_alnum, require_charset};

/// Sample IBANs.
pub(super) const EXAMPLES: Examples = {
    use CheckFailure::*;
    const IBAN: NamedCheck = NamedCheck::Iban;
    Examples {
        valid: &[
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
        invalid: &[
            ("", Empty(IBAN)),
            ("DE89370400440532013001", CheckDigit(IBAN)),
            ("GB99WEST12345698765432", CheckDigit(IBAN)),
            // 99 and 01 alias 02 and 98 under mod-97 but are not valid check digits.
            ("DE99370400440532013014", CheckDigit(IBAN)),
            ("DE01370400440532013032", CheckDigit(IBAN)),
            ("GB82WEST1234569876543", Length(IBAN)),
            ("DE893704004405320130001", Length(IBAN)),
            ("DE8", Length(IBAN)),
            ("US12345678901234567890", UnknownCountry),
            ("1289370400440532013000", UnknownCountry),
            ("DEXX370400440532013000", Format(IBAN)),
            ("gb82west12345698765432", PrintFormat(IBAN)),
            ("GB82 WEST 1234 5698 7654 32", PrintFormat(IBAN)),
            ("gb82 west 1234 5698 7654 33", Charset(IBAN)),
            ("DE89 3704 ✓", Charset(IBAN)),
            ("DE89370400440532013000\n", Charset(IBAN)),
        ],
    }
};

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

pub(super) fn check(bytes: &[u8]) -> Result<(), CheckFailure> {
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
}
