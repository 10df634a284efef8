//! The envelope and transport checks: signatures, merchants, requestTime, bad bodies. After
//! every refusal the sandbox keeps serving.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_runtime::keys::sign;
use payermax_runtime::{Clock, ManualClock};
use payermax_sandbox::{Merchant, Sandbox};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const QRY: &str = "paymentOrderQry";

fn unknown_order() -> Value {
    json!({"outTradeNo": "nobody_placed_this"})
}

/// The sandbox still answers a good request.
async fn still_serving(sandbox: &Sandbox) {
    let answer = call(sandbox, QRY, &unknown_order()).await;
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_request_gets_a_signed_documented_answer() {
    let sandbox = start().await;
    let answer = call(&sandbox, QRY, &unknown_order()).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
    assert_eq!(answer.msg(), "The order does not exist.");
    // signed with PayerMax's key: the dashboard string round-trips
    let public = payermax_runtime::PublicKey::parse(&sandbox.public_key_dashboard()).unwrap();
    assert!(answer.signed_by(&public));
    assert!(!answer.signed_by(&merchant_public()));
    let log = sandbox.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].api, QRY);
    assert_eq!(log[0].code.as_deref(), Some("ORDER_NOT_EXIST"));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_keeps_the_newest_entries_up_to_its_limit() {
    let sandbox = Sandbox::start(config().request_log_limit(3)).await.unwrap();
    for n in 1..=5 {
        let data = serde_json::json!({ "outTradeNo": format!("log_{n}") });
        assert_eq!(call(&sandbox, QRY, &data).await.code(), "ORDER_NOT_EXIST");
    }
    let kept: Vec<Option<String>> = sandbox
        .requests()
        .into_iter()
        .map(|r| r.out_trade_no)
        .collect();
    assert_eq!(
        kept,
        ["log_3", "log_4", "log_5"].map(|s| Some(s.to_owned()))
    );
    sandbox.shutdown().await;
    // 0 keeps none.
    let quiet = Sandbox::start(config().request_log_limit(0)).await.unwrap();
    call(&quiet, QRY, &unknown_order()).await;
    assert!(quiet.requests().is_empty());
    quiet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_or_missing_signature_is_sign_verify_failed() {
    let sandbox = start().await;
    let client = http();
    let body = envelope(&unknown_order());
    let other_key = payermax_key(); // a valid signature, by the wrong key
    let cases: [Option<String>; 4] = [
        None,
        Some("not base64 !!".into()),
        Some(sign(&other_key, body.as_bytes())),
        Some(sign(&merchant_key(), b"other bytes")),
    ];
    for signature in cases {
        let answer = post_raw(
            &client,
            &sandbox.url(QRY),
            Some("application/json"),
            signature.as_deref(),
            body.clone().into_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.code(), "SIGN_VERIFY_FAILED", "{signature:?}");
        assert_eq!(answer.msg(), "The signature verify failed.");
        assert!(answer.signed_by(sandbox.public_key()));
    }
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_app_or_wrong_merchant_no_is_merchant_app_invalid() {
    let sandbox = start().await;
    for (app_id, merchant_no) in [("someone-else", MERCHANT_NO), (APP_ID, "M9999999")] {
        let body = json!({
            "version": "1.4", "keyVersion": "1",
            "requestTime": request_time(SystemTime::now()),
            "appId": app_id, "merchantNo": merchant_no, "data": unknown_order(),
        })
        .to_string();
        let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
        assert_eq!(
            answer.code(),
            "MERCHANT_APP_INVALID",
            "{app_id} {merchant_no}"
        );
        assert_eq!(answer.msg(), "Signature key is not configured.");
    }
    // ISV mode: spMerchantNo is accepted (and not checked)
    let body = json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time(SystemTime::now()),
        "appId": APP_ID, "merchantNo": MERCHANT_NO, "spMerchantNo": "SP0001", "data": unknown_order(),
    })
    .to_string();
    assert_eq!(
        post_signed(&sandbox, QRY, &body).await.unwrap().code(),
        "ORDER_NOT_EXIST"
    );
    // merchantNo may be left out (optional in OAS): the appId decides
    let body = json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time(SystemTime::now()),
        "appId": APP_ID, "data": unknown_order(),
    })
    .to_string();
    assert_eq!(
        post_signed(&sandbox, QRY, &body).await.unwrap().code(),
        "ORDER_NOT_EXIST"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merchants_registered_later_are_accepted() {
    let sandbox = start().await;
    let (merchant, key) = (
        Merchant::new("late-app", "M0000002", payermax_key().public_key().unwrap()),
        payermax_key(),
    );
    sandbox.register_merchant(merchant);
    let body = json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time(SystemTime::now()),
        "appId": "late-app", "merchantNo": "M0000002", "data": unknown_order(),
    })
    .to_string();
    let answer = post_raw(
        &http(),
        &sandbox.url(QRY),
        Some("application/json"),
        Some(&sign(&key, body.as_bytes())),
        body.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_time_window_is_two_minutes_either_way() {
    let sandbox = start().await;
    let now = SystemTime::now();
    for (offset_secs, late) in [(-300i64, true), (300, true), (-100, false), (100, false)] {
        let at = if offset_secs < 0 {
            now - Duration::from_secs(offset_secs.unsigned_abs())
        } else {
            now + Duration::from_secs(offset_secs as u64)
        };
        let body = envelope_at(&unknown_order(), &request_time(at));
        let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
        let expected = if late {
            "REQ_TIME_OVER_TIME"
        } else {
            "ORDER_NOT_EXIST"
        };
        assert_eq!(answer.code(), expected, "offset {offset_secs}s");
        if late {
            assert_eq!(answer.msg(), "requestTime effective in two minutes");
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_time_forms_are_tolerated_and_garbage_is_params_invalid() {
    let sandbox = start().await;
    let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    let forms = [
        now.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string(), // documented
        now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),      // Java prints Z
        now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),          // Go drops zero millis
        format!(
            "{}.{}Z",
            now.format("%Y-%m-%dT%H:%M:%S"),
            now.timestamp_subsec_millis() / 100
        ),
        (now + chrono::Duration::hours(8))
            .format("%Y-%m-%dT%H:%M:%S%.3f+08:00")
            .to_string(),
    ];
    for form in &forms {
        let answer = post_signed(&sandbox, QRY, &envelope_at(&unknown_order(), form))
            .await
            .unwrap();
        assert_eq!(answer.code(), "ORDER_NOT_EXIST", "{form}");
    }
    let answer = post_signed(&sandbox, QRY, &envelope_at(&unknown_order(), "yesterday"))
        .await
        .unwrap();
    assert_eq!(answer.code(), "PARAMS_INVALID");
    assert_eq!(answer.msg(), "The requestTime is incorrect.");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_follows_the_injected_clock() {
    let clock = Arc::new(ManualClock::new(
        SystemTime::now() - Duration::from_secs(3600),
    ));
    let sandbox = Sandbox::start(config().clock(clock.clone())).await.unwrap();
    // the sandbox lives an hour in the past: a request stamped now is too far ahead
    let answer = post_signed(&sandbox, QRY, &envelope(&unknown_order()))
        .await
        .unwrap();
    assert_eq!(answer.code(), "REQ_TIME_OVER_TIME");
    let body = envelope_at(&unknown_order(), &request_time(clock.now()));
    let answer = post_signed(&sandbox, QRY, &body).await.unwrap();
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
    clock.advance(Duration::from_secs(3600));
    let answer = post_signed(&sandbox, QRY, &envelope(&unknown_order()))
        .await
        .unwrap();
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_params_invalid() {
    let sandbox = start().await;
    let client = http();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not json",
            b"{\"version\": ".to_vec(),
            "The request body is not valid JSON",
        ),
        (
            "not utf-8",
            b"{\"version\":\"\xff\xfe\"}".to_vec(),
            "The request body is not valid UTF-8.",
        ),
        (
            "array",
            b"[1,2,3]".to_vec(),
            "The request body must be a JSON object.",
        ),
        ("empty", Vec::new(), "The request body is not valid JSON"),
    ];
    for (what, body, msg) in cases {
        let signature = sign(&merchant_key(), &body);
        let answer = post_raw(
            &client,
            &sandbox.url(QRY),
            Some("application/json"),
            Some(&signature),
            body,
        )
        .await
        .unwrap();
        assert_eq!(
            (answer.status, answer.code()),
            (200, "PARAMS_INVALID"),
            "{what}"
        );
        assert!(answer.msg().starts_with(msg), "{what}: {}", answer.msg());
        assert!(answer.signed_by(sandbox.public_key()), "{what}");
    }
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_envelope_fields_name_the_field() {
    let sandbox = start().await;
    let full = json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time(SystemTime::now()),
        "appId": APP_ID, "merchantNo": MERCHANT_NO, "data": unknown_order(),
    });
    for field in ["version", "keyVersion", "requestTime", "appId", "data"] {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(field);
        let answer = post_signed(&sandbox, QRY, &body.to_string()).await.unwrap();
        assert_eq!(answer.code(), "PARAMS_INVALID", "{field}");
        assert_eq!(answer.msg(), format!("The {field} is incorrect."));
        assert_eq!(answer.json.get("data"), None, "code and msg only");
    }
    let mut body = full.clone();
    body["data"] = json!("a string");
    let answer = post_signed(&sandbox, QRY, &body.to_string()).await.unwrap();
    assert_eq!(answer.msg(), "The data is incorrect.");
    let mut body = full;
    body["appId"] = json!(42);
    let answer = post_signed(&sandbox, QRY, &body.to_string()).await.unwrap();
    assert_eq!(answer.msg(), "The appId is incorrect.");
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_body_is_413_with_a_json_error() {
    let sandbox = start().await;
    let client = http();
    let big = format!(r#"{{"data":{{"remark":"{}"}}}}"#, "x".repeat(300 * 1024));
    let answer = post_raw(
        &client,
        &sandbox.url("paymentOrderPay"),
        Some("application/json"),
        Some("x"),
        big.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), "PARAMS_INVALID");
    assert_eq!(
        answer.msg(),
        "The request body is larger than 262144 bytes."
    );
    assert!(answer.signed_by(sandbox.public_key()));
    still_serving(&sandbox).await;

    // Without a Content-Length (chunked), the limit still holds.
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        sandbox
            .url("paymentOrderPay")
            .trim_start_matches(&format!("http://{}", sandbox.addr())),
        sandbox.addr()
    );
    let mut request = head.into_bytes();
    for _ in 0..300 {
        request.extend_from_slice(b"400\r\n");
        request.extend_from_slice(&[b' '; 1024]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_exchange(sandbox.addr(), &request).await;
    // The server may reset the connection before the client has read the answer; when the
    // answer arrives, it is a 413.
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 413"),
        "{answer}"
    );
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

/// Writes `request` on a fresh connection and reads until the server closes it.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.split();
    let (_, answer) = tokio::join!(write.write_all(request), async {
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, read.read_to_end(&mut buf)).await;
        buf
    });
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type_method_or_path_get_clear_errors() {
    let sandbox = start().await;
    let client = http();
    let body = envelope(&unknown_order());
    let signature = sign(&merchant_key(), body.as_bytes());
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let answer = post_raw(
            &client,
            &sandbox.url(QRY),
            content_type,
            Some(&signature),
            body.clone().into_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 415, "{content_type:?}");
        assert_eq!(answer.code(), "PARAMS_INVALID");
        assert!(
            answer
                .msg()
                .starts_with("Content-Type must be application/json")
        );
    }
    // media type parameters and case do not matter
    let answer = post_raw(
        &client,
        &sandbox.url(QRY),
        Some("Application/JSON;charset=UTF-8"),
        Some(&signature),
        body.clone().into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");

    let answer = post_raw(
        &client,
        &sandbox.url("paymentOrderCancel"),
        Some("application/json"),
        Some(&signature),
        body.clone().into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.status, 404);
    assert!(answer.msg().contains("paymentOrderPay"), "{}", answer.msg());

    let response = client.get(sandbox.url(QRY)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let json: Value = response.json_or_null().await;
    assert_eq!(json["code"], "PARAMS_INVALID");

    assert_eq!(
        sandbox.requests().len(),
        6,
        "refused requests are logged too"
    );
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

trait JsonOrNull {
    async fn json_or_null(self) -> Value;
}

impl JsonOrNull for reqwest::Response {
    async fn json_or_null(self) -> Value {
        let bytes = self.bytes().await.unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}
