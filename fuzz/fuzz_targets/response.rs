//! Response decoding: arbitrary bodies under every signing mode and several HTTP statuses,
//! through `payermax_runtime::envelope::decode_response` (what the client runs on every answer).
//!
//! Input: byte 0 picks the signing mode (see `common::signed`), byte 1 the HTTP status, the rest
//! is the body (for the arbitrary-signature mode, its first line is the `sign` header).
//!
//! Oracles: nothing panics; only a body validly signed by PayerMax's key can decode (`Ok`);
//! every other signed form is a signature error, whatever the body; a valid signature is never
//! reported as a signature error.
#![no_main]

mod common;

use common::{Signing, keys, render, signed};
use libfuzzer_sys::fuzz_target;
use payermax_runtime::envelope::decode_response;
use payermax_runtime::{Error, RetryClass};

const STATUSES: [u16; 8] = [200, 200, 201, 400, 404, 429, 500, 502];
const ERRORS: &[(&str, RetryClass)] = &[
    ("SYSTEM_ERROR", RetryClass::Transient),
    ("ORDER_REPEAT", RetryClass::Query),
    ("PARAMS_INVALID", RetryClass::FixThenResend),
];

fn check<R>(mode: Signing, result: Result<R, Error>) {
    match result {
        Ok(_) => assert_eq!(mode, Signing::Valid, "decoded without a valid signature"),
        Err(e) => {
            render(&e);
            let signature_error = matches!(e, Error::Signature { .. });
            match mode {
                Signing::Valid => assert!(!signature_error, "a valid signature was refused: {e}"),
                Signing::Unsigned => {}
                Signing::Arbitrary | Signing::OtherKey | Signing::OtherBody => {
                    assert!(signature_error, "a bad signature was not refused: {e}")
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode, status, rest @ ..] = data else {
        return;
    };
    let status = STATUSES[usize::from(*status) % STATUSES.len()];
    let (mode, sign, body) = signed(*mode, rest);
    let key = &keys().payermax_public;
    let sign = sign.as_deref();
    let api = "paymentOrderQry";
    check(
        mode,
        decode_response::<serde_json::Value>(api, status, sign, &body, key, ERRORS),
    );
    if !matches!(mode, Signing::Valid | Signing::Unsigned) {
        // Refused before anything is decoded: the other types would only verify it again.
        return;
    }
    check(
        mode,
        decode_response::<()>(api, status, sign, &body, key, ERRORS),
    );
    check(
        mode,
        decode_response::<payermax::PaymentOrderQryResponse>(api, status, sign, &body, key, ERRORS),
    );
    check(
        mode,
        decode_response::<Option<payermax::PaymentOrderPayResponse>>(
            api, status, sign, &body, key, ERRORS,
        ),
    );
});
