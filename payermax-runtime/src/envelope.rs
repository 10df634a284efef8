//! The envelopes around every call.
//!
//! Request: `{version, keyVersion, requestTime, appId, merchantNo, [spMerchantNo], data}`,
//! serialized once; the signature covers exactly those bytes and exactly those bytes are sent.
//! `data` is embedded as already-serialized JSON, so a resend re-wraps the very same bytes in a
//! fresh envelope (new `requestTime`, new signature).
//!
//! Response: `{code, msg, data}` with a `sign` header over the raw body, verified before the body
//! is decoded into anything the caller sees.

use crate::config::Config;
use crate::error::{APPLY_SUCCESS, ApiError, Error, RetryClass, SignatureError, classify};
use crate::keys::{self, PublicKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::time::SystemTime;

/// Formats `at` as PayerMax's `requestTime`: `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC with
/// milliseconds and a numeric offset, e.g. `2023-03-08T10:00:00.500+00:00`.
///
/// `+00:00` rather than `Z`: it is the form the documentation's examples and the PHP SDK use;
/// whether the gateway also takes `Z` is not documented (reference §18.8).
pub fn format_request_time(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestEnvelope<'a> {
    version: &'a str,
    key_version: &'a str,
    request_time: &'a str,
    app_id: &'a str,
    merchant_no: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sp_merchant_no: Option<&'a str>,
    data: &'a RawValue,
}

/// The request body: the envelope around already-serialized `data`.
pub(crate) fn request_body(
    config: &Config,
    api: &str,
    request_time: &str,
    data: &RawValue,
) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&RequestEnvelope {
        version: config.version_for(api),
        key_version: &config.key_version,
        request_time,
        app_id: &config.app_id,
        merchant_no: &config.merchant_no,
        sp_merchant_no: config.sp_merchant_no.as_deref(),
        data,
    })
}

#[derive(Deserialize)]
struct ResponseEnvelope<'a> {
    code: String,
    #[serde(default)]
    msg: String,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// The longest body excerpt kept in [`Error::HttpStatus`].
const HTTP_BODY_EXCERPT: usize = 2048;

/// Verifies and decodes one raw response: the HTTP status, the `sign` header (`None` when
/// absent) and the exact body bytes in; the `data` of a genuine success as `R`, or an [`Error`]
/// out. [`Client`](crate::Client) runs every answer through it; it is public so that a response
/// obtained some other way (a recorded exchange, a proxy, a fuzzer) gets the same treatment.
///
/// 1. A `sign` header is verified over the raw body first; a bad one is an error whatever the
///    body says.
/// 2. A body that is not a PayerMax envelope is [`Error::HttpStatus`] for a non-2xx status (a
///    proxy's error page, say) and [`Error::Decode`] otherwise.
/// 3. `APPLY_SUCCESS` without a `sign` header is an error: PayerMax's own SDKs accept it, this
///    one does not, because the caller would act on unauthenticated data.
/// 4. Any other code without a `sign` header is accepted as an [`ApiError`]: whether PayerMax
///    signs error responses is not documented (reference §18.3) and its SDKs never check them, so
///    refusing them would turn every error into a signature error. [`ApiError::signed`] tells
///    which; an unsigned "order failed for good" says so in its message, since acting on a
///    forged one (paying again under a new `outTradeNo`) could pay twice: query first.
///
/// `Ok` therefore always means: signed by `payermax_key`, code `APPLY_SUCCESS`, `data` of type
/// `R`. `api` names the call in errors; `errors` maps error codes to retry classes (codes not
/// in it are [`RetryClass::Unknown`]).
///
/// ```
/// use payermax_runtime::envelope::decode_response;
/// use payermax_runtime::keys::{generate_keypair, sign};
/// use payermax_runtime::{Error, SignatureError};
/// // In production the public key is PayerMax's, from the dashboard.
/// let (payermax_private, payermax_public) = generate_keypair()?;
/// let body = br#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"status":"PENDING"}}"#;
/// let sign = sign(&payermax_private, body);
/// let data: serde_json::Value =
///     decode_response("paymentOrderQry", 200, Some(&sign), body, &payermax_public, &[])?;
/// assert_eq!(data["status"], "PENDING");
/// // The same success without its `sign` header is refused.
/// let e = decode_response::<serde_json::Value>("paymentOrderQry", 200, None, body, &payermax_public, &[])
///     .unwrap_err();
/// assert!(matches!(e, Error::Signature { source: SignatureError::Missing, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_response<R: DeserializeOwned>(
    api: &str,
    http_status: u16,
    sign: Option<&str>,
    body: &[u8],
    payermax_key: &PublicKey,
    errors: &[(&str, RetryClass)],
) -> Result<R, Error> {
    let signed = match sign {
        Some(sign) => {
            keys::verify(payermax_key, body, sign).map_err(|source| Error::Signature {
                context: format!("response to {api}"),
                source,
            })?;
            true
        }
        None => false,
    };
    let envelope: ResponseEnvelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) if !(200..300).contains(&http_status) => {
            let text = String::from_utf8_lossy(body);
            return Err(Error::HttpStatus {
                api: api.to_owned(),
                status: http_status,
                body: text.chars().take(HTTP_BODY_EXCERPT).collect(),
            });
        }
        Err(e) => {
            return Err(decode_error(
                api,
                format!("not a PayerMax response envelope: {e}"),
                body,
            ));
        }
    };
    if envelope.code == APPLY_SUCCESS {
        if !signed {
            return Err(Error::Signature {
                context: format!("{APPLY_SUCCESS} response to {api}"),
                source: SignatureError::Missing,
            });
        }
        let data = envelope.data.map_or("null", RawValue::get);
        return serde_json::from_str(data).map_err(|e| {
            decode_error(
                api,
                format!("`data` does not match the expected type: {e}"),
                body,
            )
        });
    }
    let data = envelope
        .data
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or(serde_json::Value::Null);
    Err(ApiError {
        api: api.to_owned(),
        retry: classify(errors, &envelope.code),
        code: envelope.code,
        msg: envelope.msg,
        data,
        http_status,
        signed,
    }
    .into())
}

/// How much of a decode message [`Error::Decode`] shows, at each end: serde quotes the value it
/// could not take, which can be as long as the body, and the message is part of `Display`.
const DECODE_MESSAGE_ENDS: usize = 256;

pub(crate) fn decode_error(api: &str, message: String, body: &[u8]) -> Error {
    Error::Decode {
        api: api.to_owned(),
        message: shorten(message, DECODE_MESSAGE_ENDS),
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

/// `message` itself when it has at most `2 * ends` characters; else its first and last `ends`
/// characters around `…` (the end holds serde's `at line L column C`).
fn shorten(message: String, ends: usize) -> String {
    let count = message.chars().count();
    if count <= 2 * ends {
        return message;
    }
    let head: String = message.chars().take(ends).collect();
    let tail: String = message.chars().skip(count - ends).collect();
    format!("{head} … {tail}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::clock::{Clock as _, ManualClock};
    use crate::config::Environment;
    use std::sync::Arc;
    use std::time::{Duration, UNIX_EPOCH};

    const MERCHANT_PRIVATE: &str =
        include_str!("../tests/fixtures/openssl/merchant_private_dashboard.txt");
    const PAYERMAX_PRIVATE: &str =
        include_str!("../tests/fixtures/openssl/payermax_private_dashboard.txt");
    const PAYERMAX_PUBLIC: &str =
        include_str!("../tests/fixtures/openssl/payermax_public_dashboard.txt");

    fn at_millis(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn request_time_has_milliseconds_and_numeric_offset() {
        // 2023-03-08T10:00:00.500Z
        let clock = ManualClock::new(at_millis(1_678_269_600_500));
        assert_eq!(
            format_request_time(clock.now()),
            "2023-03-08T10:00:00.500+00:00"
        );
        clock.advance(Duration::from_millis(499));
        assert_eq!(
            format_request_time(clock.now()),
            "2023-03-08T10:00:00.999+00:00"
        );
        clock.advance(Duration::from_millis(1));
        assert_eq!(
            format_request_time(clock.now()),
            "2023-03-08T10:00:01.000+00:00"
        );
        // sub-millisecond precision is cut, not rounded
        assert_eq!(
            format_request_time(UNIX_EPOCH + Duration::from_micros(1_999)),
            "1970-01-01T00:00:00.001+00:00"
        );
    }

    fn config(sp: bool) -> Config {
        let mut builder = Config::builder()
            .merchant_no("010213834784554")
            .app_id("6666c8b036a24579974497c2f9a33333")
            .merchant_private_key(MERCHANT_PRIVATE)
            .payermax_public_key(PAYERMAX_PUBLIC)
            .environment(Environment::Uat)
            .clock(Arc::new(ManualClock::new(at_millis(1_678_269_600_500))));
        if sp {
            builder = builder
                .sp_merchant_no("SP0001")
                .merchant_auth_token("token-123");
        }
        builder.build().unwrap()
    }

    #[test]
    fn envelope_bytes_are_exact() {
        let data = serde_json::value::to_raw_value(
            &serde_json::json!({"outTradeNo": "P1", "trade": {"amount": "10", "currency": "IDR"}}),
        )
        .unwrap();
        let body = request_body(
            &config(false),
            "paymentOrderPay",
            "2023-03-08T10:00:00.500+00:00",
            &data,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"version":"1.4","keyVersion":"1","requestTime":"2023-03-08T10:00:00.500+00:00","appId":"6666c8b036a24579974497c2f9a33333","merchantNo":"010213834784554","data":{"outTradeNo":"P1","trade":{"amount":"10","currency":"IDR"}}}"#
        );
    }

    #[test]
    fn isv_envelope_carries_sp_merchant_no_before_data() {
        let data = RawValue::from_string(r#"{ "outTradeNo" : "P1" }"#.to_owned()).unwrap();
        let body = request_body(&config(true), "paymentOrderPay", "T", &data).unwrap();
        // `data` is embedded byte for byte, spacing included
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"version":"1.4","keyVersion":"1","requestTime":"T","appId":"6666c8b036a24579974497c2f9a33333","merchantNo":"010213834784554","spMerchantNo":"SP0001","data":{ "outTradeNo" : "P1" }}"#
        );
    }

    fn signed(body: &str) -> String {
        let key = crate::keys::PrivateKey::parse(PAYERMAX_PRIVATE).unwrap();
        crate::keys::sign(&key, body.as_bytes())
    }

    fn public() -> PublicKey {
        PublicKey::parse(PAYERMAX_PUBLIC).unwrap()
    }

    #[test]
    fn unsigned_error_response_is_tolerated_but_unsigned_success_is_not() {
        let key = public();
        let table = &[("PARAMS_INVALID", RetryClass::FixThenResend)];
        let error = r#"{"msg":"The targetOrg is incorrect.","code":"PARAMS_INVALID"}"#;
        let e = decode_response::<serde_json::Value>(
            "paymentOrderPay",
            200,
            None,
            error.as_bytes(),
            &key,
            table,
        )
        .unwrap_err();
        let api = e.api_error().unwrap();
        assert_eq!(
            (api.code.as_str(), api.retry),
            ("PARAMS_INVALID", RetryClass::FixThenResend)
        );
        assert_eq!(api.data, serde_json::Value::Null);
        assert!(!api.signed);

        // "Failed for good" tells the caller to confirm by inquiry when nobody signed it; a
        // signed one does not need to.
        let table = &[("RISK_INTERCEPT", RetryClass::OrderFailure)];
        let failure = r#"{"msg":"Risk control.","code":"RISK_INTERCEPT"}"#;
        let decode = |sign: Option<&str>| {
            decode_response::<serde_json::Value>(
                "paymentOrderPay",
                200,
                sign,
                failure.as_bytes(),
                &key,
                table,
            )
            .unwrap_err()
        };
        let unsigned = decode(None);
        assert!(!unsigned.api_error().unwrap().signed);
        assert!(
            unsigned
                .to_string()
                .ends_with("the answer was not signed: query the order by outTradeNo to confirm before placing it under a new one"),
            "{unsigned}"
        );
        let genuine = decode(Some(&signed(failure)));
        assert!(genuine.api_error().unwrap().signed);
        assert!(!genuine.to_string().contains("not signed"), "{genuine}");

        let success = r#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"status":"PENDING"}}"#;
        let e = decode_response::<serde_json::Value>(
            "paymentOrderPay",
            200,
            None,
            success.as_bytes(),
            &key,
            table,
        )
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

        let ok: serde_json::Value = decode_response(
            "paymentOrderPay",
            200,
            Some(&signed(success)),
            success.as_bytes(),
            &key,
            table,
        )
        .unwrap();
        assert_eq!(ok["status"], "PENDING");
    }

    #[test]
    fn signed_error_response_with_bad_signature_is_a_signature_error() {
        let key = public();
        let error = r#"{"code":"ORDER_REPEAT","msg":"The order number repeat."}"#;
        let other = signed(r#"{"code":"APPLY_SUCCESS"}"#);
        let e = decode_response::<()>(
            "paymentOrderPay",
            200,
            Some(&other),
            error.as_bytes(),
            &key,
            &[],
        )
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
        // correctly signed: an API error, code not in the table → Unknown
        let e = decode_response::<()>(
            "paymentOrderPay",
            200,
            Some(&signed(error)),
            error.as_bytes(),
            &key,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.api_error().unwrap().retry, RetryClass::Unknown);
    }

    #[test]
    fn non_envelope_bodies() {
        let key = public();
        let html = "<html>502 Bad Gateway</html>";
        let e = decode_response::<()>("paymentOrderQry", 502, None, html.as_bytes(), &key, &[])
            .unwrap_err();
        assert!(matches!(e, Error::HttpStatus { status: 502, .. }), "{e:?}");
        let e = decode_response::<()>("paymentOrderQry", 200, None, html.as_bytes(), &key, &[])
            .unwrap_err();
        assert!(
            matches!(&e, Error::Decode { body, .. } if body == html),
            "{e:?}"
        );
        // a PayerMax envelope under a non-2xx status is still read as one (reference §18.3)
        let error = r#"{"code":"SYSTEM_ERROR","msg":"busy"}"#;
        let e = decode_response::<()>("paymentOrderQry", 500, None, error.as_bytes(), &key, &[])
            .unwrap_err();
        assert_eq!(e.code(), Some("SYSTEM_ERROR"));
        assert_eq!(e.api_error().unwrap().http_status, 500);
    }

    #[test]
    fn decode_messages_are_bounded_but_keep_both_ends() {
        assert_eq!(shorten("short".to_owned(), 3), "short");
        assert_eq!(shorten("abcdefg".to_owned(), 3), "abc … efg");
        assert_eq!(shorten("ééééééé".to_owned(), 2), "éé … éé");
        let key = public();
        let long = "x".repeat(100_000);
        let body = format!(r#"{{"code":"APPLY_SUCCESS","data":"{long}"}}"#);
        let e = decode_response::<Vec<u8>>(
            "paymentOrderQry",
            200,
            Some(&signed(&body)),
            body.as_bytes(),
            &key,
            &[],
        )
        .unwrap_err();
        let Error::Decode {
            message,
            body: kept,
            ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert!(
            message.chars().count() <= 2 * DECODE_MESSAGE_ENDS + 3,
            "{message}"
        );
        assert!(message.ends_with("column 100002"), "{message}");
        assert_eq!(kept, &body, "the body itself is kept whole");
        assert!(e.to_string().len() < 1024);
    }

    #[test]
    fn success_data_of_the_wrong_shape_is_a_decode_error_keeping_the_body() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Expected {
            status: String,
        }
        let key = public();
        let body = r#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"status":7}}"#;
        let e = decode_response::<Expected>(
            "paymentOrderQry",
            200,
            Some(&signed(body)),
            body.as_bytes(),
            &key,
            &[],
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Decode { body: b, .. } if b == body),
            "{e:?}"
        );
    }
}
