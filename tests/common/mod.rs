//! A sandbox, a merchant registered with it, a typed client pointed at it, and a small HTTP
//! receiver for notifications that verifies each one and acknowledges it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use payermax::runtime::{Config, Environment, RetryPolicy};
use payermax::{Client, Notice, PayoutNotification, RfiNotification};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Env {
    pub sandbox: Sandbox,
    pub client: Client,
    pub receiver: Receiver,
}

/// Fast retries for tests: milliseconds instead of seconds and minutes.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 30,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(60),
        jitter: true,
        not_found_wait: Duration::from_millis(5),
        not_found_requeries: 2,
    }
}

pub async fn env(config: SandboxConfig) -> Env {
    env_with(config, Duration::from_secs(5)).await
}

/// Like [`env`], with the client's request timeout.
pub async fn env_with(config: SandboxConfig, request_timeout: Duration) -> Env {
    let sandbox = Sandbox::start(config.notify_scale(0.001)).await.unwrap();
    let (merchant, key) = Merchant::generate("app_test", "M_TEST").unwrap();
    let receiver = Receiver::start(sandbox.public_key().clone()).await;
    sandbox.register_merchant(merchant.notify_url(receiver.url.clone()));
    let config = Config::builder()
        .merchant_no("M_TEST")
        .app_id("app_test")
        .merchant_private_key_parsed(key)
        .payermax_public_key_parsed(sandbox.public_key().clone())
        .environment(Environment::Custom(sandbox.base_url()))
        .request_timeout(request_timeout)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    Env {
        client: Client::new(config).unwrap(),
        sandbox,
        receiver,
    }
}

/// A typed client of the merchant `app_id`/`merchant_no` (signing with `key`) at `sandbox`,
/// with fast retries; `tweak` adds to its configuration (a version, agreed decimals).
pub fn client_of(
    sandbox: &Sandbox,
    (app_id, merchant_no): (&str, &str),
    key: &payermax::runtime::PrivateKey,
    tweak: impl FnOnce(payermax::runtime::ConfigBuilder) -> payermax::runtime::ConfigBuilder,
) -> Client {
    let config = Config::builder()
        .merchant_no(merchant_no)
        .app_id(app_id)
        .merchant_private_key_parsed(key.clone())
        .payermax_public_key_parsed(sandbox.public_key().clone())
        .environment(Environment::Custom(sandbox.base_url()))
        .retry_policy(fast_retries());
    Client::new(tweak(config).build().unwrap()).unwrap()
}

/// A Brazil PIX payout of `amount` BRL to a fixed payee.
pub fn pix_payout(out: &str, amount: &str) -> payermax::PaymentOrderPayRequest {
    let payee = payermax::payee::br::Pix::builder()
        .account_no("12345678901")
        .build();
    payermax::PaymentOrderPayRequest::new(
        out,
        "BR",
        payermax::Trade::new(payermax::Currency::Brl.amount(amount).unwrap(), "BRL"),
        payee.into(),
    )
}

/// A SEPA payee in Oslo with this IBAN and BIC (as typed: the builder converts a printed one).
pub fn sepa_payee(iban: &str, bic: &str) -> payermax::payee::sepa::Sepa {
    payermax::payee::sepa::Sepa::builder()
        .account_no(iban)
        .bank_code(bic)
        .name(payermax::PayeeName {
            full_name: Some("Ola Nordmann".into()),
            ..Default::default()
        })
        .address(payermax::Address {
            city: Some("Oslo".into()),
            ..Default::default()
        })
        .build()
}

/// Waits (polling, up to 20 s) until `check` holds.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Receives notifications over real HTTP at one URL, verifies their signature with PayerMax's
/// public key, tells payout results from RFIs (`verify_notice`), records the verified ones and
/// answers with the exact acknowledgement.
pub struct Receiver {
    pub url: String,
    pub verified: Arc<Mutex<Vec<PayoutNotification>>>,
    pub rfi: Arc<Mutex<Vec<RfiNotification>>>,
    pub rejected: Arc<Mutex<usize>>,
}

impl Receiver {
    pub async fn start(key: payermax::runtime::PublicKey) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/payermax/notify", listener.local_addr().unwrap());
        let verified = Arc::new(Mutex::new(Vec::new()));
        let rfi = Arc::new(Mutex::new(Vec::new()));
        let rejected = Arc::new(Mutex::new(0));
        let (v, f, r) = (verified.clone(), rfi.clone(), rejected.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (v, f, r, key) = (v.clone(), f.clone(), r.clone(), key.clone());
                tokio::spawn(async move {
                    let Some((sign, body)) = read_request(&mut socket).await else {
                        return;
                    };
                    let reply = match payermax::verify_notice(&key, &body, sign.as_deref()) {
                        Ok(Notice::Payout(n)) => {
                            v.lock().unwrap().push(n);
                            payermax::NOTIFICATION_ACK
                        }
                        Ok(Notice::Rfi(n)) => {
                            f.lock().unwrap().push(n);
                            payermax::NOTIFICATION_ACK
                        }
                        Ok(_) | Err(_) => {
                            *r.lock().unwrap() += 1;
                            r#"{"code":"FAIL","msg":"bad signature"}"#
                        }
                    };
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Receiver {
            url,
            verified,
            rfi,
            rejected,
        }
    }

    /// The RFI statuses received about `out_trade_no`, in order.
    pub fn rfi_statuses(&self, out_trade_no: &str) -> Vec<String> {
        self.rfi
            .lock()
            .unwrap()
            .iter()
            .filter(|n| n.data.relate_order_id.iter().any(|o| o == out_trade_no))
            .map(|n| n.data.status.to_string())
            .collect()
    }

    pub fn statuses(&self, out_trade_no: &str) -> Vec<String> {
        self.verified
            .lock()
            .unwrap()
            .iter()
            .filter(|n| n.data.out_trade_no == out_trade_no)
            .map(|n| n.data.status.to_string())
            .collect()
    }
}

/// Reads one HTTP/1.1 request: the `sign` header and a Content-Length body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<(Option<String>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let len: usize = header("content-length")?.parse().ok()?;
    while buf.len() < head_end + len {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((header("sign"), buf[head_end..head_end + len].to_vec()))
}
