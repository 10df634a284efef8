//! Requests for information (#14 §3): the RFI notification, told apart from the payout result
//! at one entry point (`verify_notice`), typed from PayerMax's own OpenAPI paths; material
//! answered with the generated `put_rfi_material`; and the sandbox's RFI simulation (remark
//! `RFI`), over loopback with real signatures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{eventually, pix_payout};
use payermax::runtime::{Config, Environment, Error};
use payermax::{
    Client, Notice, PaymentOrderQryRequest, PayoutStatus, PayoutSubStatus,
    PutRfiMaterialListRequest, RfiBusinessType, RfiFieldType, RfiMaterial, RfiStatus,
};
use payermax_sandbox::{NotificationKind, SandboxConfig, Timings};
use std::time::Duration;

fn timings(settle: Duration, rfi_deadline: Duration) -> Timings {
    Timings {
        settle,
        rfi_deadline,
        ..Timings::default()
    }
}

/// A PIX payout the sandbox holds with an RFI, to the account `account`.
fn rfi_payout(out: &str, account: &str) -> payermax::PaymentOrderPayRequest {
    let mut payout = pix_payout(out, "25");
    payout.payee_info.account_info.account_no = account.into();
    payout.remark = Some("RFI".into());
    payout
}

fn material(rfi_no: &str, field: &str) -> PutRfiMaterialListRequest {
    PutRfiMaterialListRequest {
        material_list: vec![RfiMaterial::new(field, "https://files.example/id.pdf")],
        ..PutRfiMaterialListRequest::new(rfi_no)
    }
}

async fn sub_status(client: &Client, out: &str) -> (Option<PayoutStatus>, Option<PayoutSubStatus>) {
    let q = client
        .query(&PaymentOrderQryRequest::new(out))
        .await
        .unwrap();
    (q.status, q.sub_status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rfi_answered_with_its_material_lets_the_payout_succeed() {
    let env = common::env(
        SandboxConfig::default()
            .timings(timings(Duration::from_millis(600), Duration::from_secs(60))),
    )
    .await;
    let placed = env
        .client
        .pay(&rfi_payout("rfi_ok", "11122233344"))
        .await
        .unwrap();
    assert_eq!(placed.status, Some(PayoutStatus::Pending));

    // The RFI notification arrives at the same URL as payout results, verified and typed.
    eventually("the RFI notification", || {
        env.receiver.rfi_statuses("rfi_ok") == ["REVIEW"]
    })
    .await;
    let notice = env.receiver.rfi.lock().unwrap()[0].clone();
    assert_eq!(notice.app_id, "app_test");
    assert_eq!(notice.merchant_no.as_deref(), Some("M_TEST"));
    assert_eq!(notice.version.as_deref(), Some("1.4"));
    let rfi = &notice.data;
    assert_eq!(rfi.business_type, RfiBusinessType::Payment);
    assert_eq!(rfi.status, RfiStatus::Review);
    assert_eq!(rfi.relate_order_id, ["rfi_ok"]);
    assert_eq!(rfi.material_list.len(), 1);
    assert_eq!(rfi.material_list[0].field_name, "ID");
    assert_eq!(rfi.material_list[0].field_type, RfiFieldType::File);
    let expires = chrono::DateTime::parse_from_rfc3339(&rfi.expire_time).unwrap();
    assert!(expires > chrono::Utc::now(), "{}", rfi.expire_time);
    assert_eq!(
        sub_status(&env.client, "rfi_ok").await,
        (
            Some(PayoutStatus::Pending),
            Some(PayoutSubStatus::PendRfiMaterial)
        )
    );

    // Wrong answers are refused and change nothing: an RFI that is not the merchant's, and a
    // list without the requested field.
    let unknown = env
        .client
        .put_rfi_material(&material("RFI_nope", "ID"))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("PARAMS_INVALID"), "{unknown}");
    assert!(
        unknown.to_string().contains("The rfiNo is incorrect."),
        "{unknown}"
    );
    let incomplete = env
        .client
        .put_rfi_material(&material(&rfi.rfi_no, "PASSPORT"))
        .await
        .unwrap_err();
    assert!(
        incomplete
            .to_string()
            .contains("The materialList is incorrect."),
        "{incomplete}"
    );
    // The request is checked before it is sent: an empty rfiNo never leaves.
    let empty = env
        .client
        .put_rfi_material(&material("", "ID"))
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::Validation(_)), "{empty}");

    // The material: accepted (`data` true), under review, then the payout succeeds.
    let answer = env
        .client
        .put_rfi_material(&material(&rfi.rfi_no, "ID"))
        .await
        .unwrap();
    assert_eq!(answer, Some(true));
    assert_eq!(
        sub_status(&env.client, "rfi_ok").await,
        (Some(PayoutStatus::Pending), Some(PayoutSubStatus::Review))
    );
    eventually("the payout succeeds", || {
        env.receiver.statuses("rfi_ok") == ["SUCCESS"]
    })
    .await;
    eventually("the RFI passes", || {
        env.receiver.rfi_statuses("rfi_ok") == ["REVIEW", "PASS"]
    })
    .await;
    // The same material again is accepted and changes nothing.
    let again = env
        .client
        .put_rfi_material(&material(&rfi.rfi_no, "ID"))
        .await
        .unwrap();
    assert_eq!(again, Some(true));
    assert_eq!(
        env.sandbox.order("rfi_ok").unwrap().status.as_str(),
        "SUCCESS"
    );
    assert_eq!(*env.receiver.rejected.lock().unwrap(), 0);
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rfi_left_past_its_deadline_fails_the_order_and_refuses_the_payee() {
    let env = common::env(SandboxConfig::default().timings(timings(
        Duration::from_millis(50),
        Duration::from_millis(400),
    )))
    .await;
    env.client
        .pay(&rfi_payout("rfi_late", "55566677788"))
        .await
        .unwrap();
    eventually("the order fails at the deadline", || {
        env.receiver.statuses("rfi_late") == ["FAILED"]
    })
    .await;
    assert_eq!(env.receiver.rfi_statuses("rfi_late"), ["REVIEW", "CLOSE"]);
    let failed = env.receiver.verified.lock().unwrap()[0].clone();
    assert_eq!(
        failed.data.response_code.as_deref(),
        Some(payermax_sandbox::RFI_FAILED_RESPONSE_CODE)
    );
    // The sandbox's records tell the two kinds apart as well.
    let kinds: Vec<NotificationKind> = env
        .sandbox
        .notifications()
        .into_iter()
        .filter(|n| n.out_trade_no == "rfi_late")
        .map(|n| n.kind)
        .collect();
    assert!(
        matches!(&kinds[..], [NotificationKind::Rfi { .. }, NotificationKind::Rfi { status, .. }, NotificationKind::Payout] if status == "CLOSE"),
        "{kinds:?}"
    );

    // Too late for the material.
    let rfi_no = env.receiver.rfi.lock().unwrap()[0].data.rfi_no.clone();
    let late = env
        .client
        .put_rfi_material(&material(&rfi_no, "ID"))
        .await
        .unwrap_err();
    assert!(
        late.to_string().contains("The rfiNo is incorrect."),
        "{late}"
    );

    // Later payouts to the same payee are refused, and create no order; another payee is paid.
    let mut same_payee = pix_payout("rfi_after", "10");
    same_payee.payee_info.account_info.account_no = "55566677788".into();
    let refused = env.client.pay_idempotent(&same_payee).await.unwrap_err();
    assert_eq!(
        refused.code(),
        Some("DECLINED_PAYEE_BLACKLISTED"),
        "{refused}"
    );
    assert_eq!(env.sandbox.order_count("rfi_after"), 0);
    let mut other_payee = pix_payout("rfi_other", "10");
    other_payee.payee_info.account_info.account_no = "99988877766".into();
    let paid = env.client.pay_idempotent(&other_payee).await.unwrap();
    assert_eq!(paid.attempts, 1);
    env.sandbox.shutdown().await;
}

/// `Client::verify_notice` on bodies signed with a PayerMax key of the test's own: the kind
/// comes from the body, the addressee is checked, the signature comes first.
#[test]
fn one_entry_point_tells_payout_results_from_rfis() {
    let (payermax_key, payermax_public) = payermax::runtime::keys::generate_keypair().unwrap();
    let (merchant_key, _) = payermax::runtime::keys::generate_keypair().unwrap();
    let client = Client::new(
        Config::builder()
            .merchant_no("M1")
            .app_id("app1")
            .merchant_private_key_parsed(merchant_key)
            .payermax_public_key_parsed(payermax_public)
            .environment(Environment::Custom("http://127.0.0.1:9".into()))
            .build()
            .unwrap(),
    )
    .unwrap();
    let verify = |body: &serde_json::Value| {
        let body = body.to_string();
        let sign = payermax::runtime::sign_notification(&payermax_key, body.as_bytes());
        client.verify_notice(body.as_bytes(), Some(&sign))
    };
    let rfi = |app: &str, business: &str| {
        serde_json::json!({
            "keyVersion": "1", "notifyTime": "2023-10-20T03:28:23.092Z",
            "appId": app, "merchantNo": "M1",
            "data": {
                "rfiNo": "testRFINo001", "remark": "test", "businessType": business,
                "status": "REVIEW", "relateOrderId": ["order0001"],
                "materialList": [{"fieldName": "ID", "fieldType": "file"}],
                "expireTime": "2023-10-20T03:28:23.092Z", "somethingNew": 1
            }
        })
    };
    // PayerMax's own example (no version), and a field it may add later, kept.
    match verify(&rfi("app1", "PAYMENT")).unwrap() {
        Notice::Rfi(n) => {
            assert_eq!(n.data.rfi_no, "testRFINo001");
            assert_eq!(n.version, None);
            assert_eq!(n.data.extra["somethingNew"], 1);
        }
        other => panic!("{other:?}"),
    }
    // A payout result is decoded as one (here an incomplete one, so the payout type's decode
    // error shows which kind it was taken for; complete ones reach the receiver in the tests
    // above as `Notice::Payout`).
    let payout =
        serde_json::json!({"notifyType": "PAYOUT", "appId": "app1", "data": {"outTradeNo": "o1"}});
    match verify(&payout) {
        Err(Error::Decode { message, .. }) => {
            assert!(message.contains("missing field"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Another business's RFI, another app's: not this client's.
    match verify(&rfi("app1", "RECEIPT")) {
        Err(Error::NotForThisClient { field, found, .. }) => {
            assert_eq!((field, found.as_str()), ("data.businessType", "RECEIPT"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        verify(&rfi("app2", "PAYMENT")),
        Err(Error::NotForThisClient { field: "appId", .. })
    ));
    // An RFI body under a signature of other bytes is refused before anything is read.
    let body = rfi("app1", "PAYMENT").to_string();
    let sign = payermax::runtime::sign_notification(&payermax_key, b"other");
    assert!(matches!(
        client.verify_notice(body.as_bytes(), Some(&sign)),
        Err(Error::Signature { .. })
    ));
}
