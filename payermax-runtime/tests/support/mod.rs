//! A small PayerMax stand-in over loopback TCP for the integration tests: raw HTTP/1.1, one
//! request per connection. It checks every request's `sign` header with the merchant's public
//! key (so signing is proven end to end), records the requests, and answers as the test's
//! handler says: a signed envelope, an unsigned or wrongly signed one, raw bytes, a reset
//! connection, or silence.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use payermax_runtime::keys::{self, PrivateKey, PublicKey};
use payermax_runtime::{Clock, Config, Environment, RetryPolicy};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const MERCHANT_PRIVATE: &str =
    include_str!("../fixtures/openssl/merchant_private_dashboard.txt");
pub const MERCHANT_PRIVATE_PKCS1_PEM: &str =
    include_str!("../fixtures/openssl/merchant_private_pkcs1.pem");
pub const MERCHANT_PRIVATE_PKCS8_PEM: &str =
    include_str!("../fixtures/openssl/merchant_private_pkcs8.pem");
pub const MERCHANT_PUBLIC: &str = include_str!("../fixtures/openssl/merchant_public_dashboard.txt");
pub const PAYERMAX_PRIVATE: &str =
    include_str!("../fixtures/openssl/payermax_private_dashboard.txt");
pub const PAYERMAX_PUBLIC: &str = include_str!("../fixtures/openssl/payermax_public_dashboard.txt");

pub const MERCHANT_NO: &str = "010213834784554";
pub const APP_ID: &str = "6666c8b036a24579974497c2f9a33333";

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The last path segment.
    pub api: String,
    /// Lower-cased header names.
    pub headers: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Vec<u8>,
    /// The body parsed.
    pub envelope: Value,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn out_trade_no(&self) -> Option<&str> {
        self.envelope["data"]["outTradeNo"].as_str()
    }

    /// The `data` member exactly as it appears in the body.
    pub fn data_bytes(&self) -> String {
        let text = String::from_utf8(self.body.clone()).unwrap();
        let start = text.find(r#""data":"#).unwrap() + r#""data":"#.len();
        text[start..text.len() - 1].to_owned()
    }
}

/// How to sign a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// With PayerMax's private key: valid.
    PayerMax,
    /// No `sign` header.
    Unsigned,
    /// With the merchant's private key: well-formed but not PayerMax's.
    WrongKey,
    /// A `sign` header whose bytes are not text.
    NotText,
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// HTTP status and a body, signed as told.
    Body {
        status: u16,
        body: String,
        signing: Signing,
    },
    /// Reset the connection (RST) after reading the request.
    Reset,
    /// Never answer; wait until the client gives up.
    Silence,
    /// `307 Temporary Redirect` to this path on the same server.
    Redirect(&'static str),
}

impl Reply {
    /// 200, `APPLY_SUCCESS` with `data`, signed by PayerMax.
    pub fn success(data: Value) -> Reply {
        Reply::envelope("APPLY_SUCCESS", "Success.", Some(data))
    }

    /// 200, an error code, signed by PayerMax.
    pub fn error(code: &str, msg: &str) -> Reply {
        Reply::envelope(code, msg, None)
    }

    pub fn envelope(code: &str, msg: &str, data: Option<Value>) -> Reply {
        let mut body = serde_json::json!({ "code": code, "msg": msg });
        if let Some(data) = data {
            body["data"] = data;
        }
        Reply::Body {
            status: 200,
            body: body.to_string(),
            signing: Signing::PayerMax,
        }
    }

    pub fn with_signing(self, signing: Signing) -> Reply {
        match self {
            Reply::Body { status, body, .. } => Reply::Body {
                status,
                body,
                signing,
            },
            other => other,
        }
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// The running server; stops when dropped.
pub struct TestServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
    bad_signatures: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub async fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!(
            "http://{}/aggregate-pay/api/gateway",
            listener.local_addr().unwrap()
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let bad_signatures = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let merchant_public = Arc::new(PublicKey::parse(MERCHANT_PUBLIC).unwrap());
        let task = tokio::spawn({
            let received = received.clone();
            let bad_signatures = bad_signatures.clone();
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let handler = handler.clone();
                    let received = received.clone();
                    let bad_signatures = bad_signatures.clone();
                    let merchant_public = merchant_public.clone();
                    tokio::spawn(async move {
                        serve(
                            stream,
                            &*handler,
                            &received,
                            &bad_signatures,
                            &merchant_public,
                        )
                        .await;
                    });
                }
            }
        });
        TestServer {
            base_url,
            received,
            bad_signatures,
            task,
        }
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Requests to `api`.
    pub fn received_for(&self, api: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.api == api)
            .collect()
    }

    /// Panics unless every request carried a valid merchant signature over its exact body.
    pub fn assert_all_signed(&self) {
        let bad = self.bad_signatures.lock().unwrap();
        assert!(bad.is_empty(), "requests with bad signatures: {bad:?}");
        assert!(!self.received().is_empty(), "no request reached the server");
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    received: &Mutex<Vec<Received>>,
    bad_signatures: &Mutex<Vec<String>>,
    merchant_public: &PublicKey,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    match request.header("sign") {
        Some(sign) if keys::verify(merchant_public, &request.body, sign).is_ok() => {}
        other => bad_signatures
            .lock()
            .unwrap()
            .push(format!("{}: sign header {:?}", request.api, other)),
    }
    let reply = handler(&request);
    received.lock().unwrap().push(request);
    match reply {
        Reply::Body {
            status,
            body,
            signing,
        } => {
            let sign: Option<Vec<u8>> = match signing {
                Signing::PayerMax => Some(sign_as(PAYERMAX_PRIVATE, &body).into_bytes()),
                Signing::WrongKey => Some(sign_as(MERCHANT_PRIVATE, &body).into_bytes()),
                Signing::NotText => Some(vec![0xff, 0xfe, 0x80]),
                Signing::Unsigned => None,
            };
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            )
            .into_bytes();
            if let Some(sign) = sign {
                head.extend_from_slice(b"sign: ");
                head.extend_from_slice(&sign);
                head.extend_from_slice(b"\r\n");
            }
            head.extend_from_slice(b"\r\n");
            let _ = stream.write_all(&head).await;
            let _ = stream.write_all(body.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Redirect(path) => {
            let head = format!(
                "HTTP/1.1 307 X\r\nlocation: {path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Reset => {
            stream.set_zero_linger().unwrap();
            drop(stream);
        }
        Reply::Silence => {
            // Wait for the client to hang up; no timer involved.
            let mut sink = [0u8; 64];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    }
}

fn sign_as(private_dashboard: &str, body: &str) -> String {
    keys::sign(
        &PrivateKey::parse(private_dashboard).unwrap(),
        body.as_bytes(),
    )
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let path = request_line.split(' ').nth(1)?;
    let api = path.rsplit('/').next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let envelope = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Some(Received {
        api,
        headers,
        body,
        envelope,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A clock that moves one second forward each time it is read, so every attempt's
/// `requestTime` differs without any sleeping.
#[derive(Debug)]
pub struct TickingClock(Mutex<SystemTime>);

impl TickingClock {
    pub fn new() -> Arc<TickingClock> {
        Arc::new(TickingClock(Mutex::new(
            UNIX_EPOCH + Duration::from_millis(1_678_269_600_500),
        )))
    }
}

impl Clock for TickingClock {
    fn now(&self) -> SystemTime {
        let mut now = self.0.lock().unwrap();
        *now += Duration::from_secs(1);
        *now
    }
}

/// Quick retries for tests: millisecond pauses, generous limits.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(30),
        jitter: true,
        not_found_wait: Duration::from_millis(2),
        not_found_requeries: 2,
    }
}

/// A config for `base_url` with the fixture keys, fast retries and a ticking clock.
pub fn config(base_url: &str) -> Config {
    Config::builder()
        .merchant_no(MERCHANT_NO)
        .app_id(APP_ID)
        .merchant_private_key(MERCHANT_PRIVATE)
        .payermax_public_key(PAYERMAX_PUBLIC)
        .merchant_public_key(MERCHANT_PUBLIC)
        .environment(Environment::Custom(base_url.to_owned()))
        .request_timeout(Duration::from_secs(20))
        .retry_policy(fast_retries())
        .clock(TickingClock::new())
        .build()
        .unwrap()
}

/// The fixture chunks that must never appear in output: 16-character slices of every text form
/// of the merchant private key.
pub fn secret_chunks() -> Vec<String> {
    let mut chunks = Vec::new();
    for text in [
        MERCHANT_PRIVATE,
        MERCHANT_PRIVATE_PKCS1_PEM,
        MERCHANT_PRIVATE_PKCS8_PEM,
    ] {
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>();
        let body: Vec<char> = body.chars().collect();
        // skip the first 64 characters: the ASN.1 header bytes are the same for every key
        for chunk in body[64..].chunks(16).filter(|c| c.len() == 16) {
            chunks.push(chunk.iter().collect());
        }
    }
    chunks
}

/// Panics if `text` contains any piece of the merchant private key.
pub fn assert_no_secret(what: &str, text: &str) {
    for chunk in secret_chunks() {
        assert!(
            !text.contains(&chunk),
            "{what} contains private key material ({chunk}):\n{text}"
        );
    }
}
