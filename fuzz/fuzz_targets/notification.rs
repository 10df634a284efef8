//! Notification verification and decoding: arbitrary bodies under every signing mode, through
//! the facade's typed `payermax::verify_notification` and the runtime's generic one; then the
//! order lifecycle on what decoded.
//!
//! Input: byte 0 picks the signing mode (see `common::signed`), the rest is the body (for the
//! arbitrary-signature mode, its first line is the `sign` header).
//!
//! Oracles: nothing panics; only a body validly signed by PayerMax's key decodes, every other
//! form is a signature error; applying a decoded notification twice to any stored view changes
//! nothing the second time (a replay is a duplicate, the same stale notice, or the same refusal).
#![no_main]

mod common;

use common::{Signing, keys, render, signed};
use libfuzzer_sys::fuzz_target;
use payermax_runtime::{Error, Notification, OrderView, StatusUpdate, Transition};
use serde_json::Value;

fn check<T>(mode: Signing, result: Result<T, Error>) -> Option<T> {
    match result {
        Ok(value) => {
            assert_eq!(mode, Signing::Valid, "decoded without a valid signature");
            Some(value)
        }
        Err(e) => {
            render(&e);
            let signature_error = matches!(e, Error::Signature { .. });
            assert_eq!(
                signature_error,
                mode != Signing::Valid,
                "signature verdict wrong for {mode:?}: {e}"
            );
            None
        }
    }
}

fn text(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A replayed notification changes nothing, from any stored status.
fn replay_is_idempotent(data: &Value) {
    let update = StatusUpdate {
        status: text(data, "/status").unwrap_or_default(),
        sub_status: text(data, "/subStatus"),
        amount: text(data, "/trade/amount").unwrap_or_default(),
        currency: text(data, "/trade/currency").unwrap_or_default(),
    };
    for stored in ["PENDING", "SUCCESS", "FAILED", "BOUNCEBACK"] {
        for amount in [update.amount.as_str(), "1"] {
            let mut view = OrderView {
                status: stored.to_owned(),
                ..OrderView::placed(amount, update.currency.as_str())
            };
            let first = view.apply(&update);
            let after_first = view.clone();
            let second = view.apply(&update);
            assert_eq!(view, after_first, "a replay changed the view");
            match &first {
                Ok(Transition::Stale { .. }) | Err(_) => assert_eq!(second, first),
                Ok(_) => assert_eq!(second, Ok(Transition::Duplicate)),
            }
            if let Ok(t) = &first {
                let _ = t.to_string();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode, rest @ ..] = data else {
        return;
    };
    let (mode, sign, body) = signed(*mode, rest);
    let key = &keys().payermax_public;
    let sign = sign.as_deref();
    check(mode, payermax::verify_notification(key, &body, sign));
    if mode != Signing::Valid {
        // Refused before anything is decoded: the other types would only verify it again.
        return;
    }
    let generic = payermax_runtime::verify_notification::<Notification<Value>>(key, &body, sign);
    if let Some(notification) = check(mode, generic) {
        replay_is_idempotent(&notification.data);
    }
    check(
        mode,
        payermax_runtime::verify_notification::<Value>(key, &body, sign),
    );
});
