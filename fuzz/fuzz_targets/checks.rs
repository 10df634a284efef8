//! The named checks (IBAN, CLABE, CPF, CNPJ, IFSC, SWIFT BIC) on arbitrary strings.
//!
//! Oracles: nothing panics; a value that passes is non-empty ASCII of a plausible length;
//! `cpf_or_cnpj` passes exactly when `cpf` or `cnpj` does; each failure names its own check
//! (or, for `cpf_or_cnpj`, the one the digit count picked) and has a message and a code.
//! Then near the checks' own examples (`NamedCheck::examples`): the input spliced into each
//! valid example at a place its first byte picks, so the search starts from values that almost
//! pass; an unchanged example still passes, and a splice that lands on a listed failing
//! example fails as listed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payermax_spec::checks::{CheckFailure, NamedCheck};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for value in [text.as_ref(), text.trim()] {
        for check in NamedCheck::ALL {
            match check.check(value) {
                Ok(()) => {
                    assert!(
                        !value.is_empty() && value.is_ascii(),
                        "{check:?} accepted {value:?}"
                    );
                    let len = value.len();
                    let plausible = match check {
                        NamedCheck::Iban => (15..=34).contains(&len),
                        NamedCheck::Clabe => len == 18,
                        NamedCheck::Cpf => len == 11 || len == 14,
                        NamedCheck::Cnpj => len == 14 || len == 18,
                        NamedCheck::CpfOrCnpj => [11, 14, 18].contains(&len),
                        NamedCheck::Ifsc => len == 11,
                        NamedCheck::SwiftBic => len == 8 || len == 11,
                    };
                    assert!(plausible, "{check:?} accepted {value:?} of length {len}");
                }
                Err(failure) => {
                    assert!(!failure.message().is_empty() && !failure.code().is_empty());
                    let by = failure.check();
                    let expected = match check {
                        NamedCheck::CpfOrCnpj => {
                            [NamedCheck::CpfOrCnpj, NamedCheck::Cpf, NamedCheck::Cnpj].contains(&by)
                        }
                        _ => by == check,
                    };
                    assert!(expected, "{check:?} failed as {by:?} on {value:?}");
                    if failure == CheckFailure::UnknownCountry {
                        assert_eq!(check, NamedCheck::Iban);
                    }
                    // "In print format" only for what is valid once written electronically.
                    if let CheckFailure::PrintFormat(c) = failure {
                        let electronic = c.electronic(value);
                        assert!(
                            electronic.as_deref().is_some_and(|e| c.check(e).is_ok()),
                            "{value:?} is not a printed {c:?}"
                        );
                    }
                }
            }
        }
        let either = NamedCheck::Cpf.check(value).is_ok() || NamedCheck::Cnpj.check(value).is_ok();
        assert_eq!(
            NamedCheck::CpfOrCnpj.check(value).is_ok(),
            either,
            "{value:?}"
        );
        assert_eq!(
            NamedCheck::from_name(value).map(NamedCheck::name),
            NamedCheck::ALL
                .iter()
                .map(|c| c.name())
                .find(|n| *n == value)
        );
    }
    if let Some((&at, rest)) = data.split_first() {
        let splice = String::from_utf8_lossy(rest);
        for check in NamedCheck::ALL {
            let examples = check.examples();
            for example in examples.valid {
                let cut = usize::from(at) % (example.len() + 1);
                let (Some(head), Some(tail)) = (example.get(..cut), example.get(cut..)) else {
                    continue;
                };
                let value = format!("{head}{splice}{tail}");
                let verdict = check.check(&value);
                if splice.is_empty() {
                    assert_eq!(verdict, Ok(()), "{check:?} rejected its example {value:?}");
                }
                if let Some((_, failure)) = examples.invalid.iter().find(|(v, _)| *v == value) {
                    assert_eq!(verdict, Err(*failure), "{check:?} on {value:?}");
                }
            }
        }
    }
});
