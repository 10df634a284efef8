//! Figure 3: the request path of one payout round trip without the network, in µs, and the
//! share of it that is RSA. Both sides, built from the pieces the runtime and the sandbox use:
//!
//! - client: `validate()`, serialize `data` once, read `outTradeNo` back (for tracing), format
//!   `requestTime`, serialize the envelope, sign it;
//! - gateway: verify, decode the envelope, validate the payee with the spec interpreter, encode
//!   the answer, sign it;
//! - client: verify the answer, decode the envelope and its `data` into the typed response.
//!
//! `total` runs all of it; `without_rsa` the same with the four RSA operations left out (the
//! signatures are made beforehand); `rsa` only the two signatures and two verifications.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/keys.rs"]
mod keys;

use criterion::{Criterion, criterion_group, criterion_main};
use payermax::runtime::envelope::format_request_time;
use payermax::runtime::keys::{BACKEND, sign, verify};
use payermax::runtime::{PrivateKey, PublicKey};
use payermax::{PaymentOrderPayRequest, PaymentOrderPayResponse, Trade, payee};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::hint::black_box;
use std::time::SystemTime;

/// The request envelope, as `payermax_runtime::envelope` writes it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestEnvelope<'a> {
    version: &'a str,
    key_version: &'a str,
    request_time: &'a str,
    app_id: &'a str,
    merchant_no: &'a str,
    data: &'a RawValue,
}

/// The request envelope as a gateway reads it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ReceivedRequest {
    version: String,
    key_version: String,
    request_time: String,
    app_id: String,
    merchant_no: String,
    data: serde_json::Value,
}

/// The response envelope, as `payermax_runtime::envelope` reads it.
#[derive(Deserialize)]
#[allow(dead_code)]
struct ResponseEnvelope<'a> {
    code: String,
    #[serde(default)]
    msg: String,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "outTradeNo")]
    out_trade_no: Option<String>,
}

struct Sides {
    merchant: PrivateKey,
    merchant_public: PublicKey,
    gateway: PrivateKey,
    gateway_public: PublicKey,
}

/// How the RSA steps are done: for real, or skipped (signatures made beforehand).
#[derive(Clone, Copy, PartialEq)]
enum Rsa {
    Real,
    Skipped,
}

fn request() -> PaymentOrderPayRequest {
    let payee = payee::br::Pix::builder().account_no("12345678901").build();
    let amount = payermax::Currency::Brl.amount("10.50").unwrap();
    PaymentOrderPayRequest::new(
        "order_20260101_000001",
        "BR",
        Trade::new(amount, "BRL"),
        payee.into(),
    )
}

/// One round trip; returns the decoded response.
fn round_trip(
    sides: &Sides,
    request: &PaymentOrderPayRequest,
    rsa: Rsa,
    presigned: &(String, String),
) -> PaymentOrderPayResponse {
    let spec = payermax::loaded_plan();
    // Client: validate, serialize once, sign.
    request.validate().unwrap();
    let data = serde_json::value::to_raw_value(request).unwrap();
    let out_trade_no = serde_json::from_str::<Probe>(data.get())
        .unwrap()
        .out_trade_no;
    let request_time = format_request_time(SystemTime::now());
    let body = serde_json::to_vec(&RequestEnvelope {
        version: "1.4",
        key_version: "1",
        request_time: &request_time,
        app_id: "6666c8b036a24579974497c2f9a33333",
        merchant_no: "010213834784554",
        data: &data,
    })
    .unwrap();
    let request_sign = match rsa {
        Rsa::Real => sign(&sides.merchant, &body),
        Rsa::Skipped => presigned.0.clone(),
    };
    // Gateway: verify, decode, validate, answer, sign.
    if rsa == Rsa::Real {
        verify(&sides.merchant_public, &body, &request_sign).unwrap();
    }
    let received: ReceivedRequest = serde_json::from_slice(&body).unwrap();
    assert!(spec.validate_payout(&received.data).is_empty());
    let answer = serde_json::json!({
        "code": "APPLY_SUCCESS",
        "msg": "Success.",
        "data": {
            "outTradeNo": received.data["outTradeNo"],
            "tradeNo": "TRADE20260101000001",
            "status": "PENDING",
        },
    });
    let response = serde_json::to_vec(&answer).unwrap();
    let response_sign = match rsa {
        Rsa::Real => sign(&sides.gateway, &response),
        Rsa::Skipped => presigned.1.clone(),
    };
    // Client: verify, decode.
    if rsa == Rsa::Real {
        verify(&sides.gateway_public, &response, &response_sign).unwrap();
    }
    let envelope: ResponseEnvelope<'_> = serde_json::from_slice(&response).unwrap();
    assert_eq!(envelope.code, "APPLY_SUCCESS");
    let decoded: PaymentOrderPayResponse =
        serde_json::from_str(envelope.data.map_or("null", RawValue::get)).unwrap();
    assert_eq!(Some(&decoded.out_trade_no), out_trade_no.as_ref());
    decoded
}

fn roundtrip(c: &mut Criterion) {
    let (merchant, merchant_public) = keys::merchant();
    let (gateway, gateway_public) = keys::payermax();
    let sides = Sides {
        merchant,
        merchant_public,
        gateway,
        gateway_public,
    };
    let request = request();
    let presigned = (
        sign(&sides.merchant, b"request"),
        sign(&sides.gateway, b"response"),
    );
    round_trip(&sides, &request, Rsa::Real, &presigned);
    let (request_body, response_body) = (vec![b'x'; 420], vec![b'y'; 120]);
    let request_sign = sign(&sides.merchant, &request_body);
    let response_sign = sign(&sides.gateway, &response_body);

    let mut group = c.benchmark_group(format!("roundtrip/{BACKEND}"));
    group.bench_function("total", |b| {
        b.iter(|| round_trip(&sides, black_box(&request), Rsa::Real, &presigned))
    });
    group.bench_function("without_rsa", |b| {
        b.iter(|| round_trip(&sides, black_box(&request), Rsa::Skipped, &presigned))
    });
    group.bench_function("rsa", |b| {
        b.iter(|| {
            let a = sign(&sides.merchant, black_box(&request_body));
            verify(&sides.merchant_public, &request_body, &request_sign).unwrap();
            let b = sign(&sides.gateway, black_box(&response_body));
            verify(&sides.gateway_public, &response_body, &response_sign).unwrap();
            (a, b)
        })
    });
    group.finish();
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
