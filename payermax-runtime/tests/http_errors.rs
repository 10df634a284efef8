//! Every error variant, produced over real loopback HTTP against the test server, which checks
//! the client's signature on every request.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use payermax_runtime::{Client, Config, Environment, Error, RetryClass, SignatureError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{Reply, Signing, TestServer};

const ERRORS: &[(&str, RetryClass)] = &[
    ("SYSTEM_ERROR", RetryClass::Transient),
    ("TOO_MANY_REQUEST", RetryClass::Transient),
    ("PARAMS_INVALID", RetryClass::FixThenResend),
    ("ORDER_REPEAT", RetryClass::DoNotResend),
    ("MISMATCHED_BANK", RetryClass::OrderFailure),
    ("PAYMENT_PENDING", RetryClass::Query),
    ("ORDER_NOT_EXIST", RetryClass::Query),
];

const QRY: &str = "paymentOrderQry";

fn query() -> Value {
    json!({ "outTradeNo": "P0001" })
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct QueryData {
    out_trade_no: String,
    status: String,
}

async fn one_reply(reply: Reply) -> (TestServer, Client) {
    let server = TestServer::start(move |_| reply.clone()).await;
    let client = Client::new(support::config(&server.base_url)).unwrap();
    (server, client)
}

#[tokio::test]
async fn signed_success_decodes_into_the_response_type() {
    let (server, client) = one_reply(Reply::success(
        json!({"outTradeNo": "P0001", "status": "SUCCESS"}),
    ))
    .await;
    let data: QueryData = client.call(QRY, &query(), ERRORS).await.unwrap();
    assert_eq!(
        data,
        QueryData {
            out_trade_no: "P0001".into(),
            status: "SUCCESS".into()
        }
    );
    server.assert_all_signed();
    let request = &server.received()[0];
    assert_eq!(request.api, QRY);
    assert_eq!(request.header("content-type"), Some("application/json"));
    let envelope = &request.envelope;
    assert_eq!(envelope["version"], "1.4");
    assert_eq!(envelope["keyVersion"], "1");
    assert_eq!(envelope["appId"], support::APP_ID);
    assert_eq!(envelope["merchantNo"], support::MERCHANT_NO);
    assert_eq!(envelope["data"], query());
    assert!(envelope.get("spMerchantNo").is_none());
    assert!(request.header("merchant_auth_token").is_none());
}

#[tokio::test]
async fn isv_mode_sends_sp_merchant_no_and_the_auth_token_header() {
    let server = TestServer::start(|_| Reply::success(json!({"status": "PENDING"}))).await;
    let config = Config::builder()
        .merchant_no("SUB0001")
        .app_id(support::APP_ID)
        .merchant_private_key(support::MERCHANT_PRIVATE)
        .payermax_public_key(support::PAYERMAX_PUBLIC)
        .environment(Environment::Custom(server.base_url.clone()))
        .sp_merchant_no("ISV0001")
        .merchant_auth_token("tok-abc")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let _: Value = client.call(QRY, &query(), ERRORS).await.unwrap();
    server.assert_all_signed();
    let request = &server.received()[0];
    assert_eq!(request.envelope["spMerchantNo"], "ISV0001");
    assert_eq!(request.envelope["merchantNo"], "SUB0001");
    assert_eq!(request.header("merchant_auth_token"), Some("tok-abc"));
}

#[tokio::test]
async fn several_configs_live_side_by_side() {
    let first = TestServer::start(|_| Reply::success(json!({}))).await;
    let second = TestServer::start(|_| Reply::success(json!({}))).await;
    let other_merchant = Config::builder()
        .merchant_no("020000000000002")
        .app_id("second-app")
        .merchant_private_key(support::MERCHANT_PRIVATE_PKCS8_PEM)
        .payermax_public_key(support::PAYERMAX_PUBLIC)
        .environment(Environment::Custom(second.base_url.clone()))
        .api_version("1.5")
        .build()
        .unwrap();
    let clients = [
        Client::new(support::config(&first.base_url)).unwrap(),
        Client::new(other_merchant).unwrap(),
    ];
    for client in clients.iter().chain(clients.iter()) {
        let _: Value = client.clone().call(QRY, &query(), ERRORS).await.unwrap();
    }
    for (server, merchant_no, version) in [
        (&first, support::MERCHANT_NO, "1.4"),
        (&second, "020000000000002", "1.5"),
    ] {
        server.assert_all_signed();
        assert_eq!(server.received().len(), 2);
        for request in server.received() {
            assert_eq!(request.envelope["merchantNo"], merchant_no);
            assert_eq!(request.envelope["version"], version);
        }
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (server, client) = one_reply(Reply::Redirect("/aggregate-pay/api/gateway/elsewhere")).await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 307, .. }), "{e:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    // Bind a port, then free it: nothing listens there.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(support::config(&format!("http://{addr}/gateway"))).unwrap();
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotSent { .. }), "{e:?}");
    assert_eq!(e.retry_class(), RetryClass::Transient);
    assert!(e.to_string().contains("safe"), "{e}");
}

#[tokio::test]
async fn timeout_after_sending_is_outcome_unknown() {
    let server = TestServer::start(|_| Reply::Silence).await;
    let config = Config::builder()
        .merchant_no(support::MERCHANT_NO)
        .app_id(support::APP_ID)
        .merchant_private_key(support::MERCHANT_PRIVATE)
        .payermax_public_key(support::PAYERMAX_PUBLIC)
        .environment(Environment::Custom(server.base_url.clone()))
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    match &e {
        Error::OutcomeUnknown { reason, .. } => assert!(reason.contains("timed out"), "{reason}"),
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(e.retry_class(), RetryClass::Query);
    server.assert_all_signed();
}

#[tokio::test]
async fn reset_after_sending_is_outcome_unknown() {
    let (server, client) = one_reply(Reply::Reset).await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::OutcomeUnknown { .. }), "{e:?}");
    assert!(e.to_string().contains("query the order"), "{e}");
    server.assert_all_signed();
}

#[tokio::test]
async fn response_signed_with_another_key_is_a_signature_error() {
    let (server, client) =
        one_reply(Reply::success(json!({"status": "SUCCESS"})).with_signing(Signing::WrongKey))
            .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Signature {
                source: SignatureError::Invalid,
                ..
            }
        ),
        "{e:?}"
    );
    server.assert_all_signed();
}

#[tokio::test]
async fn error_response_with_a_bad_signature_is_a_signature_error() {
    let (_server, client) =
        one_reply(Reply::error("PARAMS_INVALID", "bad").with_signing(Signing::WrongKey)).await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Signature {
                source: SignatureError::Invalid,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn success_without_signature_is_a_signature_error() {
    let (_server, client) =
        one_reply(Reply::success(json!({"status": "SUCCESS"})).with_signing(Signing::Unsigned))
            .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Signature {
                source: SignatureError::Missing,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn unsigned_error_response_is_tolerated_as_an_api_error() {
    let (_server, client) = one_reply(
        Reply::error("PARAMS_INVALID", "The targetOrg is incorrect.")
            .with_signing(Signing::Unsigned),
    )
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    let api = e.api_error().expect("an API error");
    assert_eq!(api.code, "PARAMS_INVALID");
    assert_eq!(api.msg, "The targetOrg is incorrect.");
    assert_eq!(api.retry, RetryClass::FixThenResend);
}

#[tokio::test]
async fn an_error_answer_with_a_sign_header_that_is_not_text_is_a_bad_signature() {
    // Read as absent, an unsigned error would be tolerated; it is a malformed signature.
    let (_server, client) = one_reply(
        Reply::error("PARAMS_INVALID", "The targetOrg is incorrect.")
            .with_signing(Signing::NotText),
    )
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Signature {
                source: SignatureError::Malformed(_) | SignatureError::Invalid,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_not_read_and_the_outcome_is_unknown() {
    let huge = format!(
        r#"{{"code":"APPLY_SUCCESS","msg":"{}"}}"#,
        "x".repeat(payermax_runtime::client::MAX_RESPONSE_BYTES)
    );
    let (server, client) = one_reply(Reply::Body {
        status: 200,
        body: huge,
        signing: Signing::Unsigned,
    })
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::OutcomeUnknown { reason, .. } if reason.contains("larger than 8388608 bytes")),
        "{e:?}"
    );
    assert!(!server.received_for(QRY).is_empty());
}

#[tokio::test]
async fn non_json_body_is_a_decode_error_keeping_the_body() {
    let (_server, client) = one_reply(Reply::Body {
        status: 200,
        body: "<html>maintenance</html>".into(),
        signing: Signing::PayerMax,
    })
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { body, .. } if body == "<html>maintenance</html>"),
        "{e:?}"
    );
}

#[tokio::test]
async fn success_data_of_another_shape_is_a_decode_error() {
    let (_server, client) = one_reply(Reply::success(json!({"status": 3}))).await;
    let e = client
        .call::<_, QueryData>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
}

#[tokio::test]
async fn gateway_error_page_is_an_http_status_error() {
    let (_server, client) = one_reply(Reply::Body {
        status: 502,
        body: "<html>Bad Gateway</html>".into(),
        signing: Signing::Unsigned,
    })
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 502, .. }), "{e:?}");
    assert_eq!(e.retry_class(), RetryClass::Query);
}

#[tokio::test]
async fn api_error_carries_code_msg_data_and_class() {
    let (_server, client) = one_reply(Reply::envelope(
        "ORDER_REPEAT",
        "The order number repeat.",
        Some(json!({"status": "PENDING"})),
    ))
    .await;
    let e = client
        .call::<_, Value>("paymentOrderPay", &query(), ERRORS)
        .await
        .unwrap_err();
    let api = e.api_error().unwrap();
    assert_eq!(api.code, "ORDER_REPEAT");
    assert_eq!(api.data, json!({"status": "PENDING"}));
    assert_eq!(api.retry, RetryClass::DoNotResend);
    assert!(e.to_string().contains("do not send it again"), "{e}");
}

#[tokio::test]
async fn validation_and_config_errors_send_nothing() {
    let server = TestServer::start(|_| Reply::success(json!({}))).await;
    let client = Client::new(support::config(&server.base_url)).unwrap();
    let e = client
        .call::<_, Value>(QRY, &json!(["not", "an", "object"]), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    let e = Config::builder()
        .merchant_no(support::MERCHANT_NO)
        .app_id(support::APP_ID)
        .merchant_private_key(support::MERCHANT_PRIVATE)
        .payermax_public_key(support::PAYERMAX_PUBLIC)
        .environment(Environment::Custom("ftp://127.0.0.1/".into()))
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Config {
                field: "environment",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(server.received().is_empty());
}

/// Answers `replies` in order, then repeats the last one.
async fn scripted(replies: Vec<Reply>) -> (TestServer, Client) {
    let count = AtomicUsize::new(0);
    let replies = Arc::new(replies);
    let server = TestServer::start(move |_| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        replies[n.min(replies.len() - 1)].clone()
    })
    .await;
    let client = Client::new(support::config(&server.base_url)).unwrap();
    (server, client)
}

#[tokio::test]
async fn transient_codes_and_transport_failures_are_retried_then_succeed() {
    let (server, client) = scripted(vec![
        Reply::error("SYSTEM_ERROR", "busy"),
        Reply::Reset,
        Reply::Body {
            status: 503,
            body: "unavailable".into(),
            signing: Signing::Unsigned,
        },
        Reply::success(json!({"outTradeNo": "P0001", "status": "SUCCESS"})),
    ])
    .await;
    let data: QueryData = client.call_idempotent(QRY, &query(), ERRORS).await.unwrap();
    assert_eq!(data.status, "SUCCESS");
    server.assert_all_signed();
    let requests = server.received();
    assert_eq!(requests.len(), 4);
    // the same data bytes each time, in a fresh envelope: new requestTime, new signature
    let times: std::collections::HashSet<_> = requests
        .iter()
        .map(|r| r.envelope["requestTime"].as_str().unwrap().to_owned())
        .collect();
    let signs: std::collections::HashSet<_> = requests
        .iter()
        .map(|r| r.header("sign").unwrap().to_owned())
        .collect();
    assert_eq!((times.len(), signs.len()), (4, 4));
    assert!(
        requests
            .iter()
            .all(|r| r.data_bytes() == requests[0].data_bytes())
    );
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let (server, client) = scripted(vec![Reply::error("TOO_MANY_REQUEST", "slow down")]).await;
    let e = client
        .call_idempotent::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("TOO_MANY_REQUEST"));
    assert_eq!(
        server.received().len(),
        support::fast_retries().max_attempts as usize
    );
}

#[tokio::test]
async fn non_transient_classes_are_not_retried() {
    for (code, class) in [
        ("PARAMS_INVALID", RetryClass::FixThenResend),
        ("ORDER_REPEAT", RetryClass::DoNotResend),
        ("MISMATCHED_BANK", RetryClass::OrderFailure),
        ("PAYMENT_PENDING", RetryClass::Query),
        ("BRAND_NEW_CODE", RetryClass::Unknown),
    ] {
        let (server, client) = scripted(vec![
            Reply::error(code, "no"),
            Reply::success(json!({"outTradeNo": "P0001", "status": "SUCCESS"})),
        ])
        .await;
        let e = client
            .call_idempotent::<_, Value>(QRY, &query(), ERRORS)
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(code));
        assert_eq!(e.retry_class(), class, "{code}");
        assert_eq!(server.received().len(), 1, "{code} must not be retried");
    }
}

#[tokio::test]
async fn plain_call_never_retries() {
    let (server, client) = scripted(vec![
        Reply::error("SYSTEM_ERROR", "busy"),
        Reply::success(json!({"status": "SUCCESS"})),
    ])
    .await;
    let e = client
        .call::<_, Value>(QRY, &query(), ERRORS)
        .await
        .unwrap_err();
    assert_eq!(e.retry_class(), RetryClass::Transient);
    assert_eq!(server.received().len(), 1);
}
