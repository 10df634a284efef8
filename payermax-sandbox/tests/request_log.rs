//! The request log is bounded in bytes as well as in entries, and whoever can reach the port
//! without a merchant's key cannot fill it: requests refused before their signature verified
//! are kept as summaries without a body.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_runtime::keys::sign;
use payermax_sandbox::{ReceivedRequest, Sandbox};
use serde_json::json;
use std::time::{Duration, SystemTime};

const QRY: &str = "paymentOrderQry";

/// Bytes the log holds, as it counts them.
fn retained(sandbox: &Sandbox) -> usize {
    sandbox
        .requests()
        .iter()
        .map(ReceivedRequest::log_bytes)
        .sum()
}

/// An envelope whose `data` carries `pad` bytes of padding in `reference`.
fn padded(app_id: &str, out_trade_no: &str, pad: usize, request_time: &str) -> String {
    json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time,
        "appId": app_id, "merchantNo": MERCHANT_NO,
        "data": {"outTradeNo": out_trade_no, "reference": "r".repeat(pad)},
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_big_bodies_are_kept_as_summaries() {
    // the default budgets: 100 000 entries, 16 MiB
    let sandbox = start().await;
    let client = http();
    let url = sandbox.url(QRY);
    const PAD: usize = 250 * 1024;
    const ROUNDS: usize = 30;
    let now = request_time(SystemTime::now());
    let unknown_app = padded("nobody-app", "u_1", PAD, &now);
    let good_envelope = padded(APP_ID, "u_2", PAD, &now);
    let mut broken_envelope: serde_json::Value = serde_json::from_str(&good_envelope).unwrap();
    broken_envelope
        .as_object_mut()
        .unwrap()
        .remove("requestTime");
    let broken_envelope = broken_envelope.to_string();
    let not_json = "x".repeat(PAD);
    // (body, sign, code); a valid signature of other bytes for the bad-signature case
    let wrong_sign = sign(&merchant_key(), b"other bytes");
    let cases = [
        (not_json.as_str(), None, "PARAMS_INVALID"),
        (broken_envelope.as_str(), None, "PARAMS_INVALID"),
        (
            unknown_app.as_str(),
            Some(wrong_sign.as_str()),
            "MERCHANT_APP_INVALID",
        ),
        (
            good_envelope.as_str(),
            Some(wrong_sign.as_str()),
            "SIGN_VERIFY_FAILED",
        ),
        (good_envelope.as_str(), None, "SIGN_VERIFY_FAILED"),
    ];
    let mut sent = 0;
    for _ in 0..ROUNDS {
        for (body, signature, code) in &cases {
            let answer = post_raw(
                &client,
                &url,
                Some("application/json"),
                *signature,
                body.as_bytes().to_vec(),
            )
            .await
            .unwrap();
            assert_eq!(answer.code(), *code);
            sent += body.len();
        }
        // refused at the transport: a big body of the wrong content type, never read. The
        // sandbox answers 415 and closes without reading it, so a client still writing the
        // body may see the connection end before it reads the answer (seen under load): both
        // are the refusal.
        match post_raw(&client, &url, Some("text/plain"), None, vec![b'x'; PAD]).await {
            Ok(answer) => assert_eq!(answer.status, 415),
            Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
        }
        sent += PAD;
    }
    assert!(sent > 40 * 1024 * 1024, "{sent} bytes sent");

    let log = sandbox.requests();
    assert_eq!(
        log.len(),
        ROUNDS * (cases.len() + 1),
        "every request is logged"
    );
    for (i, entry) in log.iter().enumerate() {
        let case = i % (cases.len() + 1);
        assert!(!entry.verified, "{i}");
        assert!(entry.body.is_empty(), "{i}: no body kept");
        assert_eq!((&entry.app_id, &entry.out_trade_no), (&None, &None), "{i}");
        assert_eq!(entry.api, QRY, "{i}");
        match cases.get(case) {
            Some((body, _, code)) => {
                assert_eq!(entry.body_len, body.len(), "{i}");
                assert_eq!(entry.code.as_deref(), Some(*code), "{i}");
                assert_eq!(entry.http_status, Some(200), "{i}");
            }
            None => {
                assert_eq!(entry.body_len, 0, "{i}: not read");
                assert_eq!(entry.http_status, Some(415), "{i}");
            }
        }
    }
    // a few hundred bytes per request, whatever it weighed
    let bytes = retained(&sandbox);
    assert!(
        bytes <= log.len() * 512,
        "{bytes} bytes for {} entries",
        log.len()
    );
    assert!(bytes < sent / 1000, "{bytes} bytes kept of {sent} sent");

    // a signed request still has its body logged, whole, even a big one
    let body = padded(
        APP_ID,
        "kept_1",
        100 * 1024,
        &request_time(SystemTime::now()),
    );
    let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
    assert!(answer.signed_by(sandbox.public_key()));
    let entry = sandbox.requests().pop().unwrap();
    assert!(entry.verified);
    assert_eq!(entry.body, body);
    assert_eq!(entry.body_len, body.len());
    assert_eq!(entry.out_trade_no.as_deref(), Some("kept_1"));
    assert_eq!(entry.app_id.as_deref(), Some(APP_ID));
    assert_eq!(entry.code.as_deref(), Some(answer.code()));

    // refused after the signature verified (a stale requestTime): the merchant's own request,
    // kept whole
    let stale = request_time(SystemTime::now() - Duration::from_secs(3600));
    let body = padded(APP_ID, "stale_1", 10, &stale);
    let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
    assert_eq!(answer.code(), "REQ_TIME_OVER_TIME");
    let entry = sandbox.requests().pop().unwrap();
    assert!(entry.verified);
    assert_eq!(entry.body, body);
    assert_eq!(entry.out_trade_no.as_deref(), Some("stale_1"));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_bodies_fill_the_byte_budget_oldest_out_first() {
    const BUDGET: usize = 1024 * 1024;
    const PAD: usize = 200 * 1024;
    let sandbox = Sandbox::start(config().request_log_max_bytes(BUDGET))
        .await
        .unwrap();
    let mut bodies = Vec::new();
    for n in 0..10 {
        let body = padded(
            APP_ID,
            &format!("big_{n}"),
            PAD,
            &request_time(SystemTime::now()),
        );
        let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
        assert!(answer.signed_by(sandbox.public_key()));
        bodies.push(body);
        assert!(
            retained(&sandbox) <= BUDGET,
            "after {n}: {}",
            retained(&sandbox)
        );
    }
    let log = sandbox.requests();
    let kept: Vec<String> = log
        .iter()
        .map(|r| r.out_trade_no.clone().unwrap())
        .collect();
    // as many of the newest as fit: 5 of ~200 KiB in 1 MiB, not 6
    let entry = log[0].log_bytes();
    assert!(entry > PAD);
    assert_eq!(kept.len(), BUDGET / entry, "{kept:?}");
    assert_eq!(kept.len(), 5);
    let expected: Vec<String> = (5..10).map(|n| format!("big_{n}")).collect();
    assert_eq!(kept, expected, "the oldest went first");
    for (entry, body) in log.iter().zip(&bodies[5..]) {
        assert!(entry.verified);
        assert_eq!(&entry.body, body, "kept whole");
    }
    // a small request evicts just what it needs
    call(&sandbox, QRY, &json!({"outTradeNo": "small"})).await;
    let kept: Vec<String> = sandbox
        .requests()
        .iter()
        .map(|r| r.out_trade_no.clone().unwrap())
        .collect();
    assert_eq!(kept.last().unwrap(), "small");
    assert!(kept.len() >= 5, "{kept:?}");
    assert!(retained(&sandbox) <= BUDGET);

    // a single signed request larger than the whole budget is logged without its body
    let small = Sandbox::start(config().request_log_max_bytes(64 * 1024))
        .await
        .unwrap();
    let body = padded(APP_ID, "huge", PAD, &request_time(SystemTime::now()));
    post_signed(&small, QRY, &body).await.unwrap();
    let entry = small.requests().pop().unwrap();
    assert!(entry.verified);
    assert!(entry.body.is_empty());
    assert_eq!(entry.body_len, body.len());
    assert!(retained(&small) <= 64 * 1024);
    small.shutdown().await;
    sandbox.shutdown().await;
}
