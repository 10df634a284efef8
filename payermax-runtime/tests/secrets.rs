//! The merchant private key never shows: not in `Debug` or `Display` of keys, configs, clients or
//! errors, and not in tracing output during calls.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use payermax_runtime::{Client, Config, Environment, PayoutCalls, PrivateKey, RetryClass};
use serde_json::json;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use support::{MERCHANT_PRIVATE, MERCHANT_PRIVATE_PKCS1_PEM, Reply, TestServer, assert_no_secret};

const TOKEN: &str = "isv-token-7f3a9c1e5b";

fn isv_config(base_url: &str) -> Config {
    Config::builder()
        .merchant_no(support::MERCHANT_NO)
        .app_id(support::APP_ID)
        .merchant_private_key(MERCHANT_PRIVATE_PKCS1_PEM)
        .payermax_public_key(support::PAYERMAX_PUBLIC)
        .environment(Environment::Custom(base_url.to_owned()))
        .sp_merchant_no("ISV0001")
        .merchant_auth_token(TOKEN)
        .retry_policy(support::fast_retries())
        .build()
        .unwrap()
}

#[test]
fn the_checker_itself_finds_key_material() {
    // guard against a vacuous test: the chunks do match the key's own text
    let caught = std::panic::catch_unwind(|| assert_no_secret("the key", MERCHANT_PRIVATE));
    assert!(caught.is_err());
    assert!(support::secret_chunks().len() > 200);
}

#[test]
fn debug_and_display_never_show_the_private_key() {
    let key = PrivateKey::parse(MERCHANT_PRIVATE).unwrap();
    assert_no_secret("PrivateKey debug", &format!("{key:?} {key:#?}"));
    let config = isv_config("http://127.0.0.1:9/gateway");
    let config_debug = format!("{config:?} {config:#?}");
    assert_no_secret("Config debug", &config_debug);
    assert!(!config_debug.contains(TOKEN), "{config_debug}");
    let client = Client::new(config.clone()).unwrap();
    let client_debug = format!("{client:?}");
    assert_no_secret("Client debug", &client_debug);
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    let builder = Config::builder()
        .merchant_private_key(MERCHANT_PRIVATE)
        .merchant_auth_token(TOKEN);
    assert_no_secret("ConfigBuilder debug", &format!("{builder:?}"));
    assert!(!format!("{builder:?}").contains(TOKEN));

    // errors about a damaged private key do not echo it
    let mut damaged = MERCHANT_PRIVATE.to_owned();
    damaged.replace_range(800..801, "!");
    let truncated = &MERCHANT_PRIVATE[..1200];
    let swapped_lines = MERCHANT_PRIVATE_PKCS1_PEM.replace(
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----",
    );
    for text in [damaged.as_str(), truncated, swapped_lines.as_str()] {
        let key_error = PrivateKey::parse(text).unwrap_err();
        assert_no_secret("KeyError", &format!("{key_error} {key_error:?}"));
        let config_error = Config::builder()
            .merchant_no("1")
            .app_id("2")
            .merchant_private_key(text)
            .payermax_public_key(support::PAYERMAX_PUBLIC)
            .environment(Environment::Uat)
            .build()
            .unwrap_err();
        assert_no_secret("config Error", &format!("{config_error} {config_error:?}"));
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_output_has_call_facts_and_no_secrets_or_payee_data() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer({
            let captured = captured.clone();
            move || captured.clone()
        })
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let count = AtomicUsize::new(0);
    let server = TestServer::start(move |request| match count.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::error("SYSTEM_ERROR", "busy"),
        _ => Reply::success(json!({
            "outTradeNo": request.out_trade_no(), "tradeNo": "T1", "status": "PENDING"
        })),
    })
    .await;
    let client = Client::new(isv_config(&server.base_url)).unwrap();
    let payout = json!({
        "outTradeNo": "P20230308TRACE",
        "trade": { "amount": "10000", "currency": "IDR" },
        "payeeInfo": {
            "accountInfo": { "accountNo": "7712345678901" },
            "name": { "fullName": "Siti Rahayu Wulandari" }
        }
    });
    let outcome = client
        .pay_idempotent(
            PayoutCalls {
                pay: "paymentOrderPay",
                query: "paymentOrderQry",
            },
            &payout,
            &[("SYSTEM_ERROR", RetryClass::Transient)],
        )
        .await
        .unwrap();
    assert_eq!(outcome.attempts, 2);
    server.assert_all_signed();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "payermax.call",
        "api=\"paymentOrderPay\"",
        "P20230308TRACE",
        "attempt=1",
        "attempt=2",
        "latency_ms=",
        "result=\"SYSTEM_ERROR\"",
        "result=\"APPLY_SUCCESS\"",
    ] {
        assert!(log.contains(expected), "missing {expected} in:\n{log}");
    }
    assert_no_secret("tracing output", &log);
    for secret in [TOKEN, "7712345678901", "Siti Rahayu", "Wulandari"] {
        assert!(!log.contains(secret), "{secret} leaked into:\n{log}");
    }
}

#[test]
fn a_private_key_pasted_where_a_public_key_belongs_is_refused_without_echo() {
    for text in [
        MERCHANT_PRIVATE,
        MERCHANT_PRIVATE_PKCS1_PEM,
        support::MERCHANT_PRIVATE_PKCS8_PEM,
    ] {
        let key_error = payermax_runtime::PublicKey::parse(text).unwrap_err();
        let shown = format!("{key_error} {key_error:?}");
        assert!(shown.contains("private key"), "{shown}");
        assert_no_secret("KeyError", &shown);
        for as_merchant_public in [false, true] {
            let mut builder = Config::builder()
                .merchant_no("1")
                .app_id("2")
                .merchant_private_key(MERCHANT_PRIVATE)
                .environment(Environment::Uat);
            builder = if as_merchant_public {
                builder
                    .payermax_public_key(support::PAYERMAX_PUBLIC)
                    .merchant_public_key(text)
            } else {
                builder.payermax_public_key(text)
            };
            let e = builder.build().unwrap_err();
            assert_no_secret("config Error", &format!("{e} {e:?}"));
        }
    }
}
