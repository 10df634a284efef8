//! Tampering: a response or a notification altered in any way on its way to the merchant is
//! refused, never decoded as genuine; a genuine notification delivered again changes nothing.
//!
//! The matrix, for a signed `paymentOrderQry` success response and a signed payout notification:
//! every body byte flipped (XOR 0x01), every character of the base64 signature replaced by
//! another base64 character (every other character for the last four, where padding and
//! trailing bits live), no `sign` header (absent, empty, blank), a signature by another key, a
//! valid PayerMax signature over other bodies, malformed signatures. Then replays, and hostile
//! notification bodies (deep nesting, invalid UTF-8, huge) that must fail cleanly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax::runtime::envelope::decode_response;
use payermax::runtime::keys::{self, PrivateKey, PublicKey};
use payermax::runtime::{Error, OrderView, SignatureError, StatusUpdate, Transition};
use std::time::{Duration, Instant};

const PAYERMAX_PRIVATE: &str =
    include_str!("../payermax-runtime/tests/fixtures/openssl/payermax_private_dashboard.txt");
const PAYERMAX_PUBLIC: &str =
    include_str!("../payermax-runtime/tests/fixtures/openssl/payermax_public_dashboard.txt");
const MERCHANT_PRIVATE: &str =
    include_str!("../payermax-runtime/tests/fixtures/openssl/merchant_private_dashboard.txt");

const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const RESPONSE: &str = r#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"outTradeNo":"P20230308A","tradeNo":"20230308080847PO7777298223436669001","status":"SUCCESS","transactionUtcTime":"2023-03-08T08:08:47 +0000","trade":{"amount":"10000","currency":"IDR"},"source":{"amount":"0.65","currency":"USD"},"destination":{"amount":"10000","currency":"IDR"}}}"#;

fn notification(status: &str) -> String {
    notification_with(status, "")
}

/// `extra` goes into `data`, after `status` (e.g. `,"subStatus":"TRANSMIT"`).
fn notification_with(status: &str, extra: &str) -> String {
    format!(
        r#"{{"code":"APPLY_SUCCESS","msg":"Success.","keyVersion":"1","appId":"6666c8b036a24579974497c2f9a33333","merchantNo":"010213834784554","notifyTime":"2023-03-08T16:22:05 +0000","notifyType":"PAYOUT","data":{{"outTradeNo":"P20230308A","tradeNo":"20230308080847PO7777298223436669001","status":"{status}"{extra},"transactionUtcTime":"2023-03-08T08:08:47 +0000","trade":{{"amount":"10000.00","currency":"IDR"}},"source":{{"amount":"0.65","currency":"USD"}},"destination":{{"amount":"10000","currency":"IDR"}}}}}}"#
    )
}

struct Keys {
    payermax: PrivateKey,
    public: PublicKey,
    merchant: PrivateKey,
}

fn keys() -> Keys {
    Keys {
        payermax: PrivateKey::parse(PAYERMAX_PRIVATE).unwrap(),
        public: PublicKey::parse(PAYERMAX_PUBLIC).unwrap(),
        merchant: PrivateKey::parse(MERCHANT_PRIVATE).unwrap(),
    }
}

/// One way of receiving a message: it decodes (`Ok`) or not; `Err` carries the error.
type Receive<'a> = dyn Fn(&[u8], Option<&str>) -> Result<(), Error> + 'a;

/// Counts the tampered inputs and the refusals; a refusal must be a signature error.
#[derive(Default)]
struct Tally {
    cases: usize,
    refused: usize,
    accepted: Vec<String>,
}

impl Tally {
    fn expect_refused(&mut self, what: String, result: Result<(), Error>) {
        self.cases += 1;
        match result {
            Err(Error::Signature { .. }) => self.refused += 1,
            Err(other) => self
                .accepted
                .push(format!("{what}: not a signature error: {other}")),
            Ok(()) => self.accepted.push(format!("{what}: decoded as genuine")),
        }
    }
}

/// The whole matrix for one genuine `body` and the way it is received. Returns the tally.
fn tamper_matrix(name: &str, body: &[u8], receive: &Receive<'_>, keys: &Keys) -> Tally {
    let sign = keys::sign(&keys.payermax, body);
    // Control: untouched, it decodes, so the refusals below are not vacuous.
    receive(body, Some(&sign)).unwrap_or_else(|e| panic!("{name}: genuine input refused: {e}"));

    let mut tally = Tally::default();
    let mut flipped = 0;
    for i in 0..body.len() {
        let mut bytes = body.to_vec();
        bytes[i] ^= 0x01;
        tally.expect_refused(
            format!("{name}: body byte {i} flipped"),
            receive(&bytes, Some(&sign)),
        );
        flipped += 1;
    }
    assert_eq!(flipped, body.len());
    let mut positions = 0;
    let chars = sign.as_bytes();
    for i in 0..chars.len() {
        positions += 1;
        let last_quad = i + 4 >= chars.len();
        let replacements: Vec<u8> = if last_quad {
            BASE64.iter().copied().filter(|&c| c != chars[i]).collect()
        } else {
            let at = BASE64.iter().position(|&c| c == chars[i]).unwrap();
            vec![BASE64[(at + 1) % BASE64.len()]]
        };
        for c in replacements {
            let mut forged = chars.to_vec();
            forged[i] = c;
            let forged = String::from_utf8(forged).unwrap();
            tally.expect_refused(
                format!("{name}: sign char {i} -> {}", c as char),
                receive(body, Some(&forged)),
            );
        }
    }
    assert_eq!(
        positions, 344,
        "a 2048-bit signature is 344 base64 characters"
    );
    for header in [None, Some(""), Some("   ")] {
        tally.expect_refused(
            format!("{name}: sign header {header:?}"),
            receive(body, header),
        );
    }
    tally.expect_refused(
        format!("{name}: signed by another key"),
        receive(body, Some(&keys::sign(&keys.merchant, body))),
    );
    let text = String::from_utf8(body.to_vec()).unwrap();
    let other_bodies = [
        text.replace("SUCCESS", "FAILED"),
        format!("{text}\n"),
        format!(" {text}"),
        text.replacen("10000", "1000", 1),
        RESPONSE.to_owned(),
        notification("SUCCESS"),
        "{}".to_owned(),
    ];
    for other in other_bodies.iter().filter(|o| o.as_bytes() != body) {
        tally.expect_refused(
            format!("{name}: PayerMax's signature of other body {other:?}"),
            receive(body, Some(&keys::sign(&keys.payermax, other.as_bytes()))),
        );
    }
    let malformed = [
        sign.trim_end_matches('=').to_owned() + "A",
        sign[..sign.len() - 4].to_owned(),
        format!("{sign}AAAA"),
        sign.replace('+', "-").replace('/', "_") + "!",
        "A".repeat(1 << 20),
        "not base64 at all".to_owned(),
    ];
    for forged in malformed {
        tally.expect_refused(
            format!("{name}: malformed sign of {} chars", forged.len()),
            receive(body, Some(&forged)),
        );
    }
    tally
}

#[test]
fn every_tampered_response_and_notification_is_refused() {
    let keys = keys();
    let public = keys.public.clone();
    let response = |body: &[u8], sign: Option<&str>| {
        let value: serde_json::Value =
            decode_response("paymentOrderQry", 200, sign, body, &public, &[])?;
        // The typed decoding agrees with the untyped one.
        let typed: payermax::PaymentOrderQryResponse =
            decode_response("paymentOrderQry", 200, sign, body, &public, &[])?;
        assert_eq!(value["outTradeNo"].as_str(), typed.out_trade_no.as_deref());
        Ok(())
    };
    let notify = |body: &[u8], sign: Option<&str>| {
        payermax::verify_notification(&public, body, sign).map(|_| ())
    };
    let notification = notification("SUCCESS");
    let tallies = [
        tamper_matrix("response", RESPONSE.as_bytes(), &response, &keys),
        tamper_matrix("notification", notification.as_bytes(), &notify, &keys),
    ];
    let mut total = 0;
    for t in &tallies {
        assert!(t.accepted.is_empty(), "{:#?}", t.accepted);
        assert_eq!(t.refused, t.cases);
        total += t.cases;
    }
    eprintln!(
        "tamper matrix: {} response + {} notification = {total} tampered inputs, all refused",
        tallies[0].cases, tallies[1].cases
    );
}

/// A notification's status update, through the typed facade.
fn update(n: &payermax::PayoutNotification) -> StatusUpdate {
    StatusUpdate {
        status: n.data.status.to_string(),
        sub_status: n.data.sub_status.as_ref().map(ToString::to_string),
        amount: n.data.trade.amount.clone(),
        currency: n.data.trade.currency.clone(),
    }
}

#[test]
fn replayed_notifications_are_duplicates_or_stale_never_new_transitions() {
    let keys = keys();
    let delivered: Vec<StatusUpdate> = [
        ("PENDING", r#","subStatus":"TRANSMIT""#),
        ("SUCCESS", ""),
        ("BOUNCEBACK", ""),
    ]
    .iter()
    .map(|(status, extra)| {
        let body = notification_with(status, extra);
        let sign = keys::sign(&keys.payermax, body.as_bytes());
        // A replay is the very same signed bytes: it verifies again, by design.
        let n = payermax::verify_notification(&keys.public, body.as_bytes(), Some(&sign)).unwrap();
        update(&n)
    })
    .collect();

    let mut view = OrderView::placed("10000", "IDR");
    let mut cases = 0;
    for (i, current) in delivered.iter().enumerate() {
        let first = view.apply(current).unwrap();
        assert!(
            matches!(
                first,
                Transition::Updated { .. } | Transition::Reversal { .. }
            ),
            "{first:?}"
        );
        // Every notification received so far, delivered again: nothing moves.
        for replayed in delivered.iter().take(i + 1) {
            let before = view.clone();
            match view.apply(replayed) {
                Ok(Transition::Duplicate | Transition::Stale { .. }) => {}
                // An older final status after a newer one (SUCCESS after BOUNCEBACK) is refused.
                Err(payermax::runtime::TransitionError::Impossible { .. }) => {}
                other => panic!("replay of {} gave {other:?}", replayed.status),
            }
            assert_eq!(view, before, "a replay changed the stored view");
            cases += 1;
        }
    }
    assert_eq!(view.status, "BOUNCEBACK");
    assert_eq!(cases, 6);
    // The latest notification again and again: a duplicate every time.
    for _ in 0..3 {
        assert_eq!(view.apply(&delivered[2]).unwrap(), Transition::Duplicate);
    }
}

/// Hostile bodies: with PayerMax's valid signature (so they reach the decoder) they are decode
/// errors; without, signature errors. Never a panic or a stack overflow, and fast.
#[test]
fn hostile_notification_bodies_fail_cleanly() {
    let keys = keys();
    let deep_arrays = "[".repeat(100_000).into_bytes();
    let deep_objects = "{\"a\":".repeat(100_000).into_bytes();
    let deep_in_data = format!(
        r#"{{"code":"APPLY_SUCCESS","data":{}{}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    )
    .into_bytes();
    let mut invalid_utf8 = notification("SUCCESS").into_bytes();
    invalid_utf8.splice(30..30, [0xff, 0xfe, 0xc3]);
    let huge = vec![b'a'; 32 << 20];
    let huge_string = format!(r#"{{"code":"{}"}}"#, "x".repeat(16 << 20)).into_bytes();
    // serde quotes a value of the wrong type in its message: 16 MiB of it here.
    let huge_wrong_type = format!(
        r#"{{"code":"APPLY_SUCCESS","data":"{}"}}"#,
        "x".repeat(16 << 20)
    )
    .into_bytes();
    let nul_and_controls = b"{\"code\":\"\0\x01\x1b\",\"data\":{}}".to_vec();
    let cases: [(&str, Vec<u8>); 9] = [
        ("100k nested arrays", deep_arrays),
        ("100k nested objects", deep_objects),
        ("50k nested arrays in data", deep_in_data),
        ("invalid UTF-8", invalid_utf8),
        ("32 MiB of garbage", huge),
        ("16 MiB string, no data", huge_string),
        ("16 MiB string as data", huge_wrong_type),
        ("control characters", nul_and_controls),
        ("empty", Vec::new()),
    ];
    for (what, body) in cases {
        let started = Instant::now();
        let sign = keys::sign(&keys.payermax, &body);
        let signed = payermax::verify_notification(&keys.public, &body, Some(&sign));
        assert!(
            matches!(signed, Err(Error::Decode { .. })),
            "{what}, signed: {signed:?}"
        );
        let e = signed.unwrap_err();
        assert!(e.to_string().len() < 4096, "{what}: the message is bounded");
        let unsigned = payermax::verify_notification(&keys.public, &body, None);
        assert!(
            matches!(
                unsigned,
                Err(Error::Signature {
                    source: SignatureError::Missing,
                    ..
                })
            ),
            "{what}, unsigned: {unsigned:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} took {:?}",
            started.elapsed()
        );
    }
}
