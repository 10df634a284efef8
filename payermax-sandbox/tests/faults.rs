//! Each injected fault, and the property they exist to test: whatever goes wrong, one
//! `outTradeNo` creates exactly one order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use payermax_sandbox::{Fault, FaultPlan, FaultRule, Merchant, RandomFaults, Sandbox};
use std::time::{Duration, Instant};

const PAY: &str = "paymentOrderPay";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_the_answer_after_committing() {
    let sandbox = start().await;
    sandbox.add_fault(
        FaultRule::new(Fault::Latency(Duration::from_secs(5)))
            .out_trade_no("slow")
            .times(1),
    );
    // a client that gives up after 1 s
    let client = http();
    let body = envelope(&payout("slow", "10"));
    let signature = payermax_runtime::keys::sign(&merchant_key(), body.as_bytes());
    let started = Instant::now();
    let result = client
        .post(sandbox.url(PAY))
        .timeout(Duration::from_millis(1000))
        .header("content-type", "application/json")
        .header("sign", signature)
        .body(body)
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    // the order exists although the client never heard of it
    eventually("the order", || async {
        (sandbox.order_count("slow") == 1).then_some(())
    })
    .await;
    assert_eq!(query(&sandbox, "slow").await.code(), "APPLY_SUCCESS");
    let resend = call(&sandbox, PAY, &payout("slow", "10")).await;
    assert_eq!(resend.code(), "ORDER_REPEAT");
    assert_eq!(sandbox.order_count("slow"), 1);
    // a patient client gets the late answer
    sandbox.add_fault(
        FaultRule::new(Fault::Latency(Duration::from_millis(400)))
            .api("paymentOrderQry")
            .times(1),
    );
    let started_query = Instant::now();
    assert_eq!(query(&sandbox, "slow").await.code(), "APPLY_SUCCESS");
    assert!(started_query.elapsed() >= Duration::from_millis(400));
    assert!(started.elapsed() >= Duration::from_millis(400));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connection_after_commit_is_a_transport_error_and_the_order_exists() {
    let sandbox = start().await;
    sandbox.add_fault(
        FaultRule::new(Fault::DropConnection)
            .api(PAY)
            .out_trade_no("dropped")
            .times(1),
    );
    let body = envelope(&payout("dropped", "10"));
    let error = post_signed(&sandbox, PAY, &body).await.unwrap_err();
    assert!(
        !error.is_timeout() && !error.is_status(),
        "a connection error: {error:?}"
    );
    // the client resends the same outTradeNo: the sandbox knows it
    let resend = call(&sandbox, PAY, &payout("dropped", "10")).await;
    assert_eq!(resend.code(), "ORDER_REPEAT");
    assert_eq!(sandbox.order_count("dropped"), 1);
    let log = sandbox.requests_for("dropped");
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].code.as_deref(), log[0].http_status), (None, None));
    assert_eq!(log[0].faults, [Fault::DropConnection]);
    assert_eq!(log[1].code.as_deref(), Some("ORDER_REPEAT"));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_with_and_without_commit() {
    let sandbox = start().await;
    sandbox.set_faults(
        FaultPlan::new()
            .rule(
                FaultRule::new(Fault::ServerError {
                    status: 503,
                    json: false,
                    commit: false,
                })
                .out_trade_no("e_503")
                .times(1),
            )
            .rule(
                FaultRule::new(Fault::ServerError {
                    status: 500,
                    json: true,
                    commit: true,
                })
                .out_trade_no("e_500")
                .times(1),
            ),
    );
    let answer = post_signed(&sandbox, PAY, &envelope(&payout("e_503", "10")))
        .await
        .unwrap();
    assert_eq!(answer.status, 503);
    assert!(answer.json.is_null(), "an HTML page, not JSON");
    assert!(String::from_utf8_lossy(&answer.raw).contains("503 Service Unavailable"));
    assert!(answer.sign.is_none());
    assert_eq!(sandbox.order_count("e_503"), 0, "not committed");
    assert_eq!(
        call(&sandbox, PAY, &payout("e_503", "10")).await.code(),
        "APPLY_SUCCESS"
    );

    let answer = post_signed(&sandbox, PAY, &envelope(&payout("e_500", "10")))
        .await
        .unwrap();
    assert_eq!(answer.status, 500);
    assert_eq!(answer.code(), "SYSTEM_ERROR");
    assert_eq!(
        sandbox.order_count("e_500"),
        1,
        "committed before the error"
    );
    assert_eq!(
        call(&sandbox, PAY, &payout("e_500", "10")).await.code(),
        "ORDER_REPEAT"
    );
    assert_eq!(sandbox.order_count("e_500"), 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_commits_nothing() {
    let sandbox = start().await;
    sandbox.add_fault(
        FaultRule::new(Fault::TooManyRequests)
            .app_id(APP_ID)
            .times(2),
    );
    for _ in 0..2 {
        let answer = call(&sandbox, PAY, &payout("busy", "10")).await;
        assert_eq!(answer.code(), "TOO_MANY_REQUEST");
        assert_eq!(
            answer.msg(),
            "Exceed request limitation, please retry later"
        );
        assert_eq!(sandbox.order_count("busy"), 0);
    }
    assert_eq!(
        call(&sandbox, PAY, &payout("busy", "10")).await.code(),
        "APPLY_SUCCESS"
    );
    assert_eq!(sandbox.order_count("busy"), 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_response_signature_does_not_verify() {
    let sandbox = start().await;
    sandbox.add_fault(
        FaultRule::new(Fault::BadSignature)
            .api("paymentOrderQry")
            .times(1),
    );
    let body = envelope(&serde_json::json!({"outTradeNo": "whatever"}));
    let answer = post_signed(&sandbox, "paymentOrderQry", &body)
        .await
        .unwrap();
    assert_eq!(answer.code(), "ORDER_NOT_EXIST");
    let signature = answer.sign.as_deref().unwrap();
    assert_eq!(signature.len(), 344, "well-formed base64 of 256 bytes");
    assert!(!answer.signed_by(sandbox.public_key()));
    // the next answer is signed properly again
    query(&sandbox, "whatever").await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_notification_arrives_twice() {
    let receiver = Receiver::start(payermax_key().public_key().unwrap(), 0).await;
    let sandbox =
        Sandbox::start(config().merchant(
            Merchant::new(APP_ID, MERCHANT_NO, merchant_public()).notify_url(&receiver.url),
        ))
        .await
        .unwrap();
    sandbox.add_fault(FaultRule::new(Fault::DuplicateNotification).out_trade_no("twice"));
    call(&sandbox, PAY, &payout("twice", "10")).await;
    call(&sandbox, PAY, &payout("once", "10")).await;
    let got = eventually("two deliveries", || async {
        let got = receiver.for_order("twice");
        (got.len() == 2).then_some(got)
    })
    .await;
    assert_eq!(got[0].raw, got[1].raw, "the identical notification");
    assert!(got.iter().all(|r| r.signature_ok));
    let records: Vec<_> = eventually("both acknowledged", || async {
        let records: Vec<_> = sandbox
            .notifications()
            .into_iter()
            .filter(|n| n.out_trade_no == "twice")
            .collect();
        (records.len() == 2 && records.iter().all(|n| n.acknowledged())).then_some(records)
    })
    .await;
    assert_eq!((records[0].duplicate, records[1].duplicate), (false, true));
    wait_status(&sandbox, "once", "SUCCESS").await;
    eventually("the other order's notification", || async {
        (receiver.for_order("once").len() == 1).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.for_order("once").len(), 1);
    sandbox.shutdown().await;
}

/// A client that resends the same payout until it gets an answer it can trust, as the runtime
/// does: what the random faults are for.
async fn pay_until_answered(sandbox: &Sandbox, out: &str) -> (String, Vec<String>) {
    let mut seen = Vec::new();
    for _ in 0..50 {
        let outcome = match post_signed(sandbox, PAY, &envelope(&payout(out, "10"))).await {
            Err(_) => "connection error".to_owned(),
            Ok(answer) if answer.status != 200 => format!("http {}", answer.status),
            Ok(answer) if !answer.signed_by(sandbox.public_key()) => "bad signature".to_owned(),
            Ok(answer) => answer.code().to_owned(),
        };
        seen.push(outcome.clone());
        if outcome == "APPLY_SUCCESS" || outcome == "ORDER_REPEAT" {
            return (outcome, seen);
        }
    }
    panic!("{out}: no answer after 50 attempts: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_random_faults_are_reproducible_and_never_pay_twice() {
    let plan = FaultPlan::new().random(RandomFaults {
        seed: 2024,
        probability: 0.5,
        faults: vec![
            Fault::DropConnection,
            Fault::TooManyRequests,
            Fault::BadSignature,
            Fault::ServerError {
                status: 502,
                json: false,
                commit: true,
            },
            Fault::ServerError {
                status: 503,
                json: true,
                commit: false,
            },
        ],
    });
    let mut runs = Vec::new();
    for _ in 0..2 {
        let sandbox = Sandbox::start(config().faults(plan.clone())).await.unwrap();
        let mut run = Vec::new();
        for i in 0..12 {
            let out = format!("rnd_{i}");
            let (_, seen) = pay_until_answered(&sandbox, &out).await;
            assert_eq!(sandbox.order_count(&out), 1, "{out}: {seen:?}");
            run.push(seen);
        }
        let faulted = sandbox
            .requests()
            .iter()
            .filter(|r| !r.faults.is_empty())
            .count();
        assert!(
            faulted > 0,
            "p = 0.5 over {} requests",
            sandbox.requests().len()
        );
        assert_eq!(sandbox.orders().len(), 12);
        runs.push(run);
        sandbox.shutdown().await;
    }
    assert_eq!(runs[0], runs[1], "the same seed gives the same faults");
}
