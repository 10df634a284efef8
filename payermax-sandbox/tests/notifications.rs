//! Signed PAYOUT notifications reach a local merchant endpoint and are retried on the (scaled)
//! documented schedule until acknowledged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_sandbox::{AttemptResult, Delivery, Merchant, Sandbox, Status};
use serde_json::json;
use std::time::Duration;

async fn sandbox_notifying(url: &str) -> Sandbox {
    Sandbox::start(
        config().merchant(Merchant::new(APP_ID, MERCHANT_NO, merchant_public()).notify_url(url)),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_final_status_is_notified_signed_and_acknowledged() {
    let payermax_public = payermax_key().public_key().unwrap();
    let receiver = Receiver::start(payermax_public, 0).await;
    let sandbox = sandbox_notifying(&receiver.url).await;
    let placed = call(
        &sandbox,
        "paymentOrderPay",
        &with(payout("n_ok", "12.34"), "reference", "ref-1"),
    )
    .await;
    let trade_no = placed.json["data"]["tradeNo"].clone();

    let got = eventually("a notification", || async {
        receiver.for_order("n_ok").into_iter().next()
    })
    .await;
    assert!(got.signature_ok, "signed with the sandbox key");
    let body = &got.body;
    assert_eq!(body["code"], "APPLY_SUCCESS");
    assert_eq!(body["msg"], "Success.");
    assert_eq!(body["keyVersion"], "1");
    assert_eq!(body["appId"], APP_ID);
    assert_eq!(body["merchantNo"], MERCHANT_NO);
    assert_eq!(body["notifyType"], "PAYOUT");
    assert!(body["notifyTime"].as_str().unwrap().ends_with(" +0000"));
    assert!(
        body.get("version").is_none(),
        "no version in notifications (§7.2)"
    );
    let data = &body["data"];
    assert_eq!(data["outTradeNo"], "n_ok");
    assert_eq!(data["tradeNo"], trade_no);
    assert_eq!(data["status"], "SUCCESS");
    assert_eq!(data["trade"], json!({"amount": "12.34", "currency": "BRL"}));
    assert_eq!(data["source"]["amount"], "12.34");
    assert_eq!(data["destination"]["amount"], "12.34");
    assert_eq!(data["reference"], "ref-1");
    assert!(data["transactionUtcTime"].is_string());

    // the runtime's verifier accepts it as PayerMax's notification
    let verified: payermax_runtime::Notification<serde_json::Value> =
        payermax_runtime::verify_notification(
            sandbox.public_key(),
            &got.raw,
            Some(&sandbox.notifications()[0].sign),
        )
        .unwrap();
    assert_eq!(verified.notify_type, "PAYOUT");

    let record = eventually("the acknowledgement", || async {
        sandbox
            .notifications()
            .into_iter()
            .find(|n| n.acknowledged())
    })
    .await;
    assert_eq!(record.attempts.len(), 1);
    assert_eq!(record.status, Status::Success);
    assert_eq!(record.url, receiver.url);
    assert!(!record.duplicate);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        receiver.for_order("n_ok").len(),
        1,
        "acknowledged: not sent again"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_answers_are_retried_on_the_scaled_schedule() {
    let receiver = Receiver::start(payermax_key().public_key().unwrap(), 2).await;
    let sandbox = sandbox_notifying(&receiver.url).await;
    call(&sandbox, "paymentOrderPay", &payout("n_retry", "5")).await;
    let record = eventually("the third attempt to be acknowledged", || async {
        sandbox
            .notifications()
            .into_iter()
            .find(|n| n.delivery == Delivery::Acknowledged)
    })
    .await;
    assert_eq!(record.attempts.len(), 3, "{:?}", record.attempts);
    assert!(
        matches!(&record.attempts[0].result, AttemptResult::Rejected { http_status: 200, body } if body.contains("bizCode"))
    );
    assert!(
        matches!(&record.attempts[1].result, AttemptResult::Rejected { body, .. } if body.contains("FAIL"))
    );
    assert_eq!(record.attempts[2].result, AttemptResult::Acknowledged);
    // gaps 30 s and 300 s scaled by 0.001: at least 30 ms, then at least 300 ms
    let gap = |a: usize, b: usize| {
        record.attempts[b]
            .at
            .duration_since(record.attempts[a].at)
            .unwrap()
    };
    assert!(gap(0, 1) >= Duration::from_millis(30), "{:?}", gap(0, 1));
    assert!(gap(1, 2) >= Duration::from_millis(300), "{:?}", gap(1, 2));
    let received = receiver.for_order("n_retry");
    assert_eq!(received.len(), 3);
    assert!(
        received.iter().all(|r| r.raw == received[0].raw),
        "the same body each time"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_gives_up_after_six_attempts() {
    let receiver = Receiver::start(payermax_key().public_key().unwrap(), usize::MAX).await;
    // 0, 30, 300, 600, 3600, 43200 s scaled by 0.00002: about 1 s in all
    let sandbox =
        Sandbox::start(config().notify_scale(0.000_02).merchant(
            Merchant::new(APP_ID, MERCHANT_NO, merchant_public()).notify_url(&receiver.url),
        ))
        .await
        .unwrap();
    call(&sandbox, "paymentOrderPay", &payout("n_never", "5")).await;
    let record = eventually("delivery to give up", || async {
        sandbox
            .notifications()
            .into_iter()
            .find(|n| n.delivery == Delivery::GaveUp)
    })
    .await;
    assert_eq!(record.attempts.len(), 6);
    assert_eq!(receiver.for_order("n_never").len(), 6);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_notify_url_wins_and_bounceback_notifies_twice() {
    let default_receiver = Receiver::start(payermax_key().public_key().unwrap(), 0).await;
    let order_receiver = Receiver::start(payermax_key().public_key().unwrap(), 0).await;
    let sandbox = sandbox_notifying(&default_receiver.url).await;
    let data = with(
        with(payout("n_bounce", "9"), "remark", "BOUNCEBACK"),
        "notifyUrl",
        &order_receiver.url,
    );
    call(&sandbox, "paymentOrderPay", &data).await;
    let got = eventually("two notifications", || async {
        let got = order_receiver.for_order("n_bounce");
        (got.len() >= 2).then_some(got)
    })
    .await;
    let statuses: Vec<&str> = got
        .iter()
        .map(|r| r.body["data"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["SUCCESS", "BOUNCEBACK"]);
    assert!(got[1].body["data"]["bounceBackTime"].is_string());
    assert!(got.iter().all(|r| r.signature_ok));
    assert!(default_receiver.received().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_or_missing_notify_urls() {
    // nothing listens on this port (bound, then closed)
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let sandbox = start().await; // merchant without a default URL
    call(&sandbox, "paymentOrderPay", &payout("n_none", "5")).await;
    let url = format!("http://{closed}/notify");
    call(
        &sandbox,
        "paymentOrderPay",
        &with(payout("n_refused", "5"), "notifyUrl", &url),
    )
    .await;
    let record = eventually("a failed attempt", || async {
        sandbox
            .notifications()
            .into_iter()
            .find(|n| !n.attempts.is_empty())
    })
    .await;
    assert_eq!(record.out_trade_no, "n_refused");
    assert!(
        matches!(&record.attempts[0].result, AttemptResult::Failed(msg) if msg.contains("cannot connect"))
    );
    wait_status(&sandbox, "n_none", "SUCCESS").await;
    assert!(
        sandbox
            .notifications()
            .iter()
            .all(|n| n.out_trade_no != "n_none"),
        "no URL, no notification"
    );
    sandbox.shutdown().await;
}
