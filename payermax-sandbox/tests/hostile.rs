//! Hostile clients: slow senders, oversized headers, oversized and endless bodies, deep JSON
//! nesting, invalid UTF-8, wrong content types. Each gets a clear answer (or, for headers that
//! never finish, a closed connection) within a bounded time, and the sandbox keeps serving
//! everyone else, during the attack and after it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_runtime::keys::sign;
use payermax_sandbox::Sandbox;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const QRY: &str = "paymentOrderQry";
const PATH: &str = "/aggregate-pay/api/gateway/paymentOrderQry";

/// Short, so that the tests are quick; the default is 30 s.
const READ_TIMEOUT: Duration = Duration::from_millis(600);

async fn start_hostile() -> Sandbox {
    Sandbox::start(config().read_timeout(READ_TIMEOUT))
        .await
        .unwrap()
}

/// A normal signed call still gets its answer.
async fn still_serving(sandbox: &Sandbox) {
    let answer = call(sandbox, QRY, &json!({"outTradeNo": "nobody"})).await;
    assert_eq!(answer.code(), "ORDER_NOT_EXIST", "{answer:?}");
}

/// Writes `head` at once, then `trickle` one byte every 100 ms, while reading the answer until
/// the server closes the connection. Returns what was read and when the server closed.
async fn trickle(addr: SocketAddr, head: &[u8], trickle: &[u8]) -> (String, Duration) {
    let started = Instant::now();
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let reader = tokio::spawn(async move {
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, read.read_to_end(&mut answer)).await;
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    });
    let _ = write.write_all(head).await;
    for byte in trickle {
        if reader.is_finished() || write.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    reader.await.unwrap()
}

fn head(sandbox: &Sandbox, extra: &str) -> String {
    format!(
        "POST {PATH} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n{extra}",
        sandbox.addr()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_header_sender_is_cut_off_while_others_are_served() {
    let sandbox = start_hostile().await;
    let request = head(&sandbox, "content-length: 2\r\n\r\n{}");
    let addr = sandbox.addr();
    let attack = tokio::spawn(async move { trickle(addr, b"", request.as_bytes()).await });
    // During the attack, a normal client is answered.
    tokio::time::sleep(Duration::from_millis(200)).await;
    still_serving(&sandbox).await;
    let (answer, closed_after) = attack.await.unwrap();
    // The whole request would take ~12 s at 1 byte / 100 ms; the server gave up after the
    // read timeout. hyper answers 408 to a half-read head, or just closes.
    assert!(
        closed_after >= READ_TIMEOUT && closed_after < READ_TIMEOUT * 6,
        "closed after {closed_after:?}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_sender_gets_a_signed_408() {
    let sandbox = start_hostile().await;
    let request = head(&sandbox, "content-length: 200\r\n\r\n");
    let (answer, closed_after) = trickle(sandbox.addr(), request.as_bytes(), &[b' '; 200]).await;
    assert!(
        closed_after >= READ_TIMEOUT && closed_after < READ_TIMEOUT * 6,
        "closed after {closed_after:?}"
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"));
    assert!(answer.contains(r#""code":"PARAMS_INVALID""#), "{answer}");
    assert!(
        answer.contains("The request body was not received within 600 ms."),
        "{answer}"
    );
    let logged = sandbox.requests();
    assert_eq!(logged.last().unwrap().http_status, Some(408));
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_idle_connections_do_not_block_service_and_are_closed() {
    let sandbox = start_hostile().await;
    let mut idle = Vec::new();
    for _ in 0..64 {
        let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
            .await
            .unwrap();
        idle.push(stream);
    }
    still_serving(&sandbox).await;
    let started = Instant::now();
    for mut stream in idle {
        let mut sink = Vec::new();
        // Each one is closed by the server (EOF or a 408), not left hanging.
        tokio::time::timeout(PATIENCE, stream.read_to_end(&mut sink))
            .await
            .expect("the server closes idle half-sent requests")
            .ok();
    }
    assert!(started.elapsed() < PATIENCE);
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_declared_and_endless_bodies_are_refused_without_reading_them() {
    let sandbox = start_hostile().await;
    // 10 GB declared and never sent: refused from the headers alone.
    let request = head(&sandbox, "content-length: 10000000000\r\n\r\n{");
    let started = Instant::now();
    let (answer, _) = trickle(sandbox.addr(), request.as_bytes(), b"").await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("The request body is larger than 262144 bytes."));
    assert!(started.elapsed() < Duration::from_secs(5));
    // A chunked body that never ends: cut at the limit, not buffered.
    let request = head(&sandbox, "transfer-encoding: chunked\r\n\r\n");
    let mut endless = request.into_bytes();
    for _ in 0..400 {
        endless.extend_from_slice(b"400\r\n");
        endless.extend_from_slice(&[b'['; 1024]);
        endless.extend_from_slice(b"\r\n");
    }
    let stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let (_, answer) = tokio::join!(write.write_all(&endless), async {
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, read.read_to_end(&mut buf)).await;
        String::from_utf8_lossy(&buf).into_owned()
    });
    // The server may reset before the client reads; when the answer arrives, it is a 413.
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 413"),
        "{answer}"
    );
    assert!(
        sandbox
            .requests()
            .iter()
            .all(|r| r.body.len() <= 256 * 1024),
        "nothing over the limit is kept"
    );
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_numerous_headers_are_refused() {
    let sandbox = start_hostile().await;
    let huge = head(&sandbox, &format!("x-big: {}\r\n\r\n", "a".repeat(1 << 20)));
    let many: String = (0..500).map(|i| format!("x-h{i}: v\r\n")).collect();
    let many = head(&sandbox, &format!("{many}\r\n"));
    for request in [huge, many] {
        let started = Instant::now();
        let stream = TcpStream::connect(sandbox.addr()).await.unwrap();
        let (mut read, mut write) = stream.into_split();
        let (_, answer) = tokio::join!(write.write_all(request.as_bytes()), async {
            let mut buf = Vec::new();
            let _ = tokio::time::timeout(PATIENCE, read.read_to_end(&mut buf)).await;
            String::from_utf8_lossy(&buf).into_owned()
        });
        // hyper stops reading at its header limits: 431, or a reset before the answer is read.
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
            "{answer}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

/// Posts `body` signed by the merchant, as `application/json`.
async fn post(sandbox: &Sandbox, body: Vec<u8>) -> Answer {
    let signature = sign(&merchant_key(), &body);
    post_raw(
        &http(),
        &sandbox.url(QRY),
        Some("application/json"),
        Some(&signature),
        body,
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_nesting_is_a_clear_params_invalid_not_a_stack_overflow() {
    let sandbox = start_hostile().await;
    let deep_in_data = format!(
        r#"{{"version":"1.4","keyVersion":"1","requestTime":"x","appId":"{APP_ID}","data":{}}}"#,
        "[".repeat(100_000)
    );
    for body in ["[".repeat(200_000), r#"{"a":"#.repeat(50_000), deep_in_data] {
        let started = Instant::now();
        let answer = post(&sandbox, body.into_bytes()).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.code(), "PARAMS_INVALID");
        assert!(
            answer
                .msg()
                .starts_with("The request body is not valid JSON (recursion limit exceeded"),
            "{}",
            answer.msg()
        );
        assert!(answer.signed_by(sandbox.public_key()));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // Nesting serde_json accepts (under 128 levels) where the API expects a string: a type error.
    let mut data = payout("o_deep", "10");
    data["payeeInfo"]["name"] =
        serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).unwrap();
    let answer = call(&sandbox, "paymentOrderPay", &data).await;
    assert_eq!(answer.code(), "PARAMS_INVALID");
    assert_eq!(answer.msg(), "The payeeInfo.name is incorrect.");
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_and_control_bytes_get_clear_errors() {
    let sandbox = start_hostile().await;
    let mut invalid = envelope(&json!({"outTradeNo": "x"})).into_bytes();
    invalid.splice(10..10, [0xff, 0xfe, 0xc3]);
    let answer = post(&sandbox, invalid).await;
    assert_eq!(answer.code(), "PARAMS_INVALID");
    assert_eq!(answer.msg(), "The request body is not valid UTF-8.");

    let answer = post(&sandbox, b"\0\x01\x02{}".to_vec()).await;
    assert_eq!(answer.code(), "PARAMS_INVALID");
    assert!(
        answer
            .msg()
            .starts_with("The request body is not valid JSON")
    );

    // A `sign` header that is not text is no signature at all.
    let body = envelope(&json!({"outTradeNo": "x"}));
    let response = http()
        .post(sandbox.url(QRY))
        .header("content-type", "application/json")
        .header(
            "sign",
            reqwest::header::HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let json: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(json["code"], "SIGN_VERIFY_FAILED");
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

/// A refusal answered before the body is read says `connection: close` and closes: a client
/// that pooled the connection would send its next request into a closed socket (CI saw
/// reqwest's `IncompleteMessage` on the call after a 415).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_before_the_body_close_the_connection() {
    let sandbox = start_hostile().await;
    let body = "x".repeat(64 * 1024);
    let host = sandbox.addr();
    let cases = [
        (
            format!("POST {PATH} HTTP/1.1\r\nhost: {host}\r\ncontent-type: text/plain\r\n"),
            415,
        ),
        (
            format!("GET {PATH} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n"),
            405,
        ),
        (
            format!(
                "POST /elsewhere HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n"
            ),
            404,
        ),
    ];
    for (head, status) in cases {
        let request = format!("{head}content-length: {}\r\n\r\n{body}", body.len());
        let (answer, closed_after) = trickle(sandbox.addr(), request.as_bytes(), b"").await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{answer}"
        );
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{status}: {answer}"
        );
        assert!(
            closed_after < PATIENCE,
            "{status}: closed by the server, not left open"
        );
    }
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_types_are_415_and_the_body_is_not_read() {
    let sandbox = start_hostile().await;
    let body = envelope(&json!({"outTradeNo": "x"}));
    for content_type in [
        None,
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonp"),
        Some("application/json-patch+json"),
    ] {
        let answer = post_raw(
            &http(),
            &sandbox.url(QRY),
            content_type,
            None,
            body.clone().into_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(answer.status, 415, "{content_type:?}");
        assert!(
            answer
                .msg()
                .starts_with("Content-Type must be application/json"),
            "{}",
            answer.msg()
        );
        assert!(answer.signed_by(sandbox.public_key()));
    }
    still_serving(&sandbox).await;
    sandbox.shutdown().await;
}
