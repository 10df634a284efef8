//! Notifications: raw body and `sign` header in, verified typed value out; then the order view.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use payermax_runtime::{
    Client, Error, Notification, OrderView, PrivateKey, SignatureError, StatusUpdate, Transition,
    sign_notification, verify_notification,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PayoutData {
    out_trade_no: String,
    status: String,
    sub_status: Option<String>,
    trade: Amount,
}

#[derive(Debug, Deserialize)]
struct Amount {
    amount: String,
    currency: String,
}

const BODY: &str = r#"{"code":"APPLY_SUCCESS","msg":"Success.","keyVersion":"1","appId":"6666c8b036a24579974497c2f9a33333","merchantNo":"010213834784554","notifyTime":"2023-03-08T16:22:05 +0000","notifyType":"PAYOUT","data":{"outTradeNo":"P20230308A","tradeNo":"20230308080847PO7777298223436669001","status":"SUCCESS","transactionUtcTime":"2023-03-08T08:08:47 +0000","trade":{"amount":"10000.00","currency":"IDR"},"source":{"amount":"0.65","currency":"USD"},"destination":{"amount":"10000","currency":"IDR"},"newFieldFromTheFuture":true}}"#;

fn payermax_private() -> PrivateKey {
    PrivateKey::parse(support::PAYERMAX_PRIVATE).unwrap()
}

fn client() -> Client {
    Client::new(support::config("http://127.0.0.1:9/gateway")).unwrap()
}

#[test]
fn a_signed_notification_verifies_decodes_and_applies() {
    let sign = sign_notification(&payermax_private(), BODY.as_bytes());
    let notification: Notification<PayoutData> = client()
        .verify_notification(BODY.as_bytes(), Some(&sign))
        .unwrap();
    assert_eq!(notification.notify_type, "PAYOUT");
    assert_eq!(notification.data.out_trade_no, "P20230308A");

    let mut view = OrderView::placed("10000", "IDR");
    let update = StatusUpdate {
        status: notification.data.status,
        sub_status: notification.data.sub_status,
        amount: notification.data.trade.amount,
        currency: notification.data.trade.currency,
    };
    assert_eq!(
        view.apply(&update).unwrap(),
        Transition::Updated {
            from: "PENDING".into(),
            to: "SUCCESS".into()
        }
    );
    // the same notification delivered again
    assert_eq!(view.apply(&update).unwrap(), Transition::Duplicate);
}

#[test]
fn tampered_unsigned_or_foreign_notifications_are_refused() {
    let key = support::config("http://127.0.0.1:9/gateway")
        .payermax_public_key()
        .clone();
    let sign = sign_notification(&payermax_private(), BODY.as_bytes());
    let tampered = BODY.replace("\"status\":\"SUCCESS\"", "\"status\":\"FAILED\"");
    let e = verify_notification::<serde_json::Value>(&key, tampered.as_bytes(), Some(&sign))
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
    let e = verify_notification::<serde_json::Value>(&key, BODY.as_bytes(), None).unwrap_err();
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
    // signed by someone else (the merchant's own key)
    let merchant = PrivateKey::parse(support::MERCHANT_PRIVATE).unwrap();
    let foreign = sign_notification(&merchant, BODY.as_bytes());
    let e = verify_notification::<serde_json::Value>(&key, BODY.as_bytes(), Some(&foreign))
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
    assert!(e.to_string().starts_with("notification: "), "{e}");
}

#[test]
fn a_genuine_notification_for_another_merchant_app_or_product_is_refused() {
    let client = client();
    let verify = |body: &str| {
        let sign = sign_notification(&payermax_private(), body.as_bytes());
        client.verify_notification::<Notification<PayoutData>>(body.as_bytes(), Some(&sign))
    };
    for (from, to, field) in [
        (
            "\"merchantNo\":\"010213834784554\"",
            "\"merchantNo\":\"020000000000001\"",
            "merchantNo",
        ),
        (
            "\"appId\":\"6666c8b036a24579974497c2f9a33333\"",
            "\"appId\":\"another_app\"",
            "appId",
        ),
        (
            "\"notifyType\":\"PAYOUT\"",
            "\"notifyType\":\"PAYMENT\"",
            "notifyType",
        ),
    ] {
        assert!(BODY.contains(from), "{from}");
        let e = verify(&BODY.replace(from, to)).unwrap_err();
        assert!(
            matches!(&e, Error::NotForThisClient { field: f, .. } if *f == field),
            "{e:?}"
        );
        assert!(e.to_string().contains("do not apply it"), "{e}");
        // Without the field (or empty), nothing speaks against it.
        let without = BODY.replace(&format!("{from},"), "");
        assert!(!without.contains(from));
        verify(&without).unwrap();
        verify(&BODY.replace(from, &format!("\"{field}\":\"\""))).unwrap();
    }
    verify(BODY).unwrap();
}

#[test]
fn a_validly_signed_body_of_another_shape_is_a_decode_error() {
    let body = br#"{"bizCode":"0000","message":"legacy"}"#;
    let sign = sign_notification(&payermax_private(), body);
    let e = client()
        .verify_notification::<Notification<PayoutData>>(body, Some(&sign))
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { api, .. } if api == "notification"),
        "{e:?}"
    );
}
