//! Shared test helpers: fixture keys, a sandbox with one merchant, signed calls over real
//! loopback HTTP, polling, and a notification receiver.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use payermax_runtime::keys::{sign, verify};
use payermax_runtime::{PrivateKey, PublicKey};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use payermax_spec::Spec;
use serde_json::{Value, json};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

pub const APP_ID: &str = "test-app";
pub const MERCHANT_NO: &str = "M0000001";

/// Generous: the machine running the tests may be busy.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn merchant_key() -> PrivateKey {
    PrivateKey::parse(include_str!("../fixtures/merchant_private.txt")).unwrap()
}

pub fn merchant_public() -> PublicKey {
    PublicKey::parse(include_str!("../fixtures/merchant_public.txt")).unwrap()
}

pub fn payermax_key() -> PrivateKey {
    PrivateKey::parse(include_str!("../fixtures/payermax_private.txt")).unwrap()
}

/// The built-in spec, loaded once per test binary.
pub fn spec() -> Arc<Spec> {
    static SPEC: OnceLock<Arc<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| Arc::new(payermax_spec::builtin().expect("built-in spec")))
        .clone()
}

/// Fast timings for tests.
pub fn fast() -> Timings {
    Timings {
        settle: Duration::from_millis(50),
        pending_rule: Duration::from_millis(800),
        bounceback: Duration::from_millis(150),
        rfi_deadline: Duration::from_millis(150),
    }
}

/// A config with the fixture PayerMax key, the test merchant, fast timings, and the
/// notification schedule scaled by 0.001 (30 s → 30 ms).
pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .spec(spec())
        .private_key(payermax_key())
        .merchant(Merchant::new(APP_ID, MERCHANT_NO, merchant_public()))
        .timings(fast())
        .notify_scale(0.001)
        .notify_timeout(Duration::from_secs(5))
}

pub async fn start() -> Sandbox {
    Sandbox::start(config()).await.unwrap()
}

pub fn http() -> reqwest::Client {
    // reqwest is built with rustls and no default crypto provider in this workspace (the
    // loopback sandbox speaks plain HTTP; *ring*'s provider, deprecated in rustls 0.23.48 for
    // lacking post-quantum key exchange, is what the runtime uses too).
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn request_time(at: SystemTime) -> String {
    payermax_runtime::envelope::format_request_time(at)
}

/// The envelope around `data`, with the current time.
pub fn envelope(data: &Value) -> String {
    envelope_at(data, &request_time(SystemTime::now()))
}

pub fn envelope_at(data: &Value, request_time: &str) -> String {
    json!({
        "version": "1.4", "keyVersion": "1", "requestTime": request_time,
        "appId": APP_ID, "merchantNo": MERCHANT_NO, "data": data,
    })
    .to_string()
}

/// A valid Brazil PIX payout.
pub fn payout(out_trade_no: &str, amount: &str) -> Value {
    json!({
        "outTradeNo": out_trade_no, "country": "BR",
        "trade": {"amount": amount, "currency": "BRL"},
        "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                      "accountInfo": {"accountNo": "12345678901"}},
    })
}

pub fn with(mut data: Value, key: &str, value: &str) -> Value {
    data.as_object_mut()
        .unwrap()
        .insert(key.into(), json!(value));
    data
}

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub sign: Option<String>,
    pub raw: Bytes,
    pub json: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or_default()
    }

    pub fn msg(&self) -> &str {
        self.json["msg"].as_str().unwrap_or_default()
    }

    /// Whether the `sign` header verifies over the raw body with `key`.
    pub fn signed_by(&self, key: &PublicKey) -> bool {
        self.sign
            .as_deref()
            .is_some_and(|s| verify(key, &self.raw, s).is_ok())
    }
}

/// POSTs `body` as is, with the given content type and `sign` header.
pub async fn post_raw(
    client: &reqwest::Client,
    url: &str,
    content_type: Option<&str>,
    sign: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Result<Answer> {
    let mut request = client.post(url).body(body);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    if let Some(s) = sign {
        request = request.header("sign", s);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let sign = response
        .headers()
        .get("sign")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let raw = response.bytes().await?;
    let json = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        sign,
        raw,
        json,
    })
}

/// POSTs a body signed with the merchant key.
pub async fn post_signed(sandbox: &Sandbox, api: &str, body: &str) -> reqwest::Result<Answer> {
    let signature = sign(&merchant_key(), body.as_bytes());
    post_raw(
        &http(),
        &sandbox.url(api),
        Some("application/json; charset=utf-8"),
        Some(&signature),
        body.as_bytes().to_vec(),
    )
    .await
}

/// A signed call with a fresh envelope; the answer's signature must verify.
pub async fn call(sandbox: &Sandbox, api: &str, data: &Value) -> Answer {
    let answer = post_signed(sandbox, api, &envelope(data)).await.unwrap();
    assert!(
        answer.signed_by(sandbox.public_key()),
        "the answer to {api} is not signed by the sandbox: {answer:?}"
    );
    answer
}

pub async fn query(sandbox: &Sandbox, out_trade_no: &str) -> Answer {
    call(
        sandbox,
        "paymentOrderQry",
        &json!({ "outTradeNo": out_trade_no }),
    )
    .await
}

/// Polls `check` until it returns `Some`, or panics after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the inquiry says `status`; returns the inquiry data.
pub async fn wait_status(sandbox: &Sandbox, out_trade_no: &str, status: &str) -> Value {
    eventually(&format!("{out_trade_no} to be {status}"), || async {
        let answer = query(sandbox, out_trade_no).await;
        (answer.json["data"]["status"] == status).then(|| answer.json["data"].clone())
    })
    .await
}

/// One notification as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    pub raw: Bytes,
    pub signature_ok: bool,
}

/// A local merchant endpoint for notifications: verifies each with PayerMax's public key and
/// answers badly the first `bad_answers` times, then with the exact acknowledgement.
pub struct Receiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

/// The acknowledgement the spec documents (`notification.ack`), as a merchant sends it (the
/// generated `NOTIFICATION_ACK` of the facade is made the same way).
fn ack() -> &'static str {
    static ACK: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let ack = payermax_spec::builtin().unwrap().api.notification.ack;
        serde_json::json!({ "code": ack.code, "msg": ack.msg }).to_string()
    });
    ACK.as_str()
}

impl Receiver {
    pub async fn start(payermax_public: PublicKey, bad_answers: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let url = format!("http://{}/payermax/notify", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::<Received>::new()));
        let store = Arc::clone(&received);
        let key = Arc::new(payermax_public);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let store = Arc::clone(&store);
                let key = Arc::clone(&key);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: hyper::Request<hyper::body::Incoming>| {
                            let store = Arc::clone(&store);
                            let key = Arc::clone(&key);
                            async move {
                                let sign = request
                                    .headers()
                                    .get("sign")
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_owned);
                                let raw = request.into_body().collect().await?.to_bytes();
                                let signature_ok =
                                    sign.is_some_and(|s| verify(&key, &raw, &s).is_ok());
                                let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
                                let count = {
                                    let mut list = store.lock().unwrap();
                                    list.push(Received {
                                        body,
                                        raw,
                                        signature_ok,
                                    });
                                    list.len()
                                };
                                let answer = if signature_ok && count > bad_answers {
                                    ack()
                                } else if count % 2 == 1 {
                                    r#"{"bizCode":"9998","message":"data is invalid"}"#
                                } else {
                                    r#"{"code":"FAIL","msg":"try again"}"#
                                };
                                Ok::<_, hyper::Error>(hyper::Response::new(Full::new(Bytes::from(
                                    answer,
                                ))))
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Receiver {
            url,
            received,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The notifications received for `out_trade_no`.
    pub fn for_order(&self, out_trade_no: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.body["data"]["outTradeNo"] == out_trade_no)
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
