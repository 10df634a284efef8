//! `Client::pay_idempotent` against a loopback gateway that keeps orders by `outTradeNo` and
//! misbehaves as each test scripts: commits then drops the connection, hides fresh orders from
//! inquiries for a while, throttles.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use payermax_runtime::{Client, Error, PayoutCalls, ResolvedBy, RetryClass};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use support::{Received, Reply, TestServer};

const ERRORS: &[(&str, RetryClass)] = &[
    ("TOO_MANY_REQUEST", RetryClass::Transient),
    ("SYSTEM_ERROR", RetryClass::Transient),
    ("PARAMS_INVALID", RetryClass::FixThenResend),
    ("ORDER_REPEAT", RetryClass::DoNotResend),
    ("MISMATCHED_BANK", RetryClass::OrderFailure),
    ("PAYMENT_PENDING", RetryClass::Query),
    ("ORDER_NOT_EXIST", RetryClass::Query),
];

const CALLS: PayoutCalls<'static> = PayoutCalls {
    pay: "paymentOrderPay",
    query: "paymentOrderQry",
};

/// A gateway that keeps one order per `outTradeNo`, with fault knobs.
#[derive(Default)]
struct Gateway {
    /// outTradeNo → status.
    orders: BTreeMap<String, String>,
    /// The status an order has once placed.
    status_after_placing: String,
    /// Pays that fail before the order is stored (connection reset).
    lose_pays: usize,
    /// Pays answered by a reset after the order is stored (or found to exist).
    drop_pay_answers: usize,
    /// Pays answered with this code (nothing stored), as many times as `refuse_pays` says.
    refuse_with: Option<&'static str>,
    refuse_pays: usize,
    /// Queries answered by a reset.
    drop_queries: usize,
    /// Queries answered `ORDER_NOT_EXIST` although the order exists (it is not visible yet).
    hidden_queries: usize,
}

fn take(counter: &mut usize) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}

impl Gateway {
    fn answer(&mut self, request: &Received) -> Reply {
        let out_trade_no = request.out_trade_no().unwrap().to_owned();
        let trade_no = format!("20230308100000PO{out_trade_no}");
        match request.api.as_str() {
            "paymentOrderPay" => {
                if take(&mut self.lose_pays) {
                    return Reply::Reset;
                }
                if self.refuse_pays > 0 {
                    self.refuse_pays -= 1;
                    return Reply::error(self.refuse_with.unwrap(), "refused");
                }
                let reply = match self.orders.get(&out_trade_no) {
                    Some(status) => Reply::envelope(
                        "ORDER_REPEAT",
                        "The order number repeat.",
                        Some(json!({ "status": status })),
                    ),
                    None => {
                        self.orders
                            .insert(out_trade_no.clone(), self.status_after_placing.clone());
                        Reply::success(json!({
                            "outTradeNo": out_trade_no, "tradeNo": trade_no, "status": "PENDING"
                        }))
                    }
                };
                if take(&mut self.drop_pay_answers) {
                    return Reply::Reset;
                }
                reply
            }
            "paymentOrderQry" => {
                if take(&mut self.drop_queries) {
                    return Reply::Reset;
                }
                if take(&mut self.hidden_queries) {
                    return Reply::error("ORDER_NOT_EXIST", "The order does not exist.");
                }
                match self.orders.get(&out_trade_no) {
                    Some(status) => Reply::success(json!({
                        "outTradeNo": out_trade_no, "tradeNo": trade_no, "status": status,
                        "trade": { "amount": "10000", "currency": "IDR" }
                    })),
                    None => Reply::error("ORDER_NOT_EXIST", "The order does not exist."),
                }
            }
            other => panic!("unexpected api {other}"),
        }
    }
}

async fn start(gateway: Gateway) -> (TestServer, Client, Arc<Mutex<Gateway>>) {
    let gateway = Arc::new(Mutex::new(gateway));
    let server = TestServer::start({
        let gateway = gateway.clone();
        move |request| gateway.lock().unwrap().answer(request)
    })
    .await;
    let client = Client::new(support::config(&server.base_url)).unwrap();
    (server, client, gateway)
}

fn payout(out_trade_no: &str) -> Value {
    json!({
        "outTradeNo": out_trade_no,
        "country": "ID",
        "trade": { "amount": "10000", "currency": "IDR" },
        "payeeInfo": {
            "paymentMethodType": "BANK_TRANSFER",
            "accountInfo": { "accountNo": "0812345678" },
            "name": { "fullName": "Budi Santoso" }
        }
    })
}

fn pays(server: &TestServer) -> Vec<Received> {
    server.received_for("paymentOrderPay")
}

/// Every send of the order carried the same outTradeNo and the same data bytes, each in a fresh
/// envelope.
fn assert_same_order_fresh_envelopes(server: &TestServer, out_trade_no: &str) {
    let pays = pays(server);
    assert!(pays.iter().all(|r| r.out_trade_no() == Some(out_trade_no)));
    assert!(pays.iter().all(|r| r.data_bytes() == pays[0].data_bytes()));
    let times: HashSet<_> = pays
        .iter()
        .map(|r| r.envelope["requestTime"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        times.len(),
        pays.len(),
        "each send needs a fresh requestTime"
    );
    server.assert_all_signed();
}

#[tokio::test]
async fn repeated_unknown_outcomes_keep_one_order_and_end_with_the_server_status() {
    let (server, client, gateway) = start(Gateway {
        status_after_placing: "SUCCESS".into(),
        // pay #1 stores the order, then the connection drops; so does pay #2 (ORDER_REPEAT lost)
        drop_pay_answers: 2,
        // the first inquiry is lost too; the next three do not see the order yet
        drop_queries: 1,
        hidden_queries: 3,
        ..Gateway::default()
    })
    .await;
    let outcome = client
        .pay_idempotent(CALLS, &payout("P20230308A"), ERRORS)
        .await
        .unwrap();
    assert_eq!(outcome.out_trade_no, "P20230308A");
    assert_eq!(outcome.status, "SUCCESS");
    assert_eq!(
        outcome.trade_no.as_deref(),
        Some("20230308100000POP20230308A")
    );
    assert_eq!(outcome.resolved_by, ResolvedBy::Inquiry);
    assert_eq!(outcome.attempts, 2);
    assert_eq!(outcome.data["trade"]["amount"], "10000");

    let gateway = gateway.lock().unwrap();
    assert_eq!(
        gateway.orders.len(),
        1,
        "exactly one order: {:?}",
        gateway.orders
    );
    assert_eq!(gateway.orders["P20230308A"], "SUCCESS");
    assert_eq!(pays(&server).len(), 2);
    // 1 lost + 1 + 2 re-queries after ORDER_NOT_EXIST, then 1 after the resend
    assert_eq!(server.received_for("paymentOrderQry").len(), 5);
    assert!(
        server
            .received_for("paymentOrderQry")
            .iter()
            .all(|r| r.envelope["data"] == json!({"outTradeNo": "P20230308A"}))
    );
    assert_same_order_fresh_envelopes(&server, "P20230308A");
}

#[tokio::test]
async fn order_repeat_resolves_through_inquiry() {
    let mut gateway = Gateway::default();
    gateway.orders.insert("P20230308B".into(), "FAILED".into());
    let (server, client, gateway) = start(gateway).await;
    let outcome = client
        .pay_idempotent(CALLS, &payout("P20230308B"), ERRORS)
        .await
        .unwrap();
    assert_eq!(
        (
            outcome.status.as_str(),
            outcome.resolved_by,
            outcome.attempts
        ),
        ("FAILED", ResolvedBy::Repeat, 1)
    );
    assert_eq!(gateway.lock().unwrap().orders.len(), 1);
    assert_eq!(server.received_for("paymentOrderQry").len(), 1);
    server.assert_all_signed();
}

#[tokio::test]
async fn an_out_trade_no_reused_for_another_payout_is_a_conflict_not_a_payment() {
    let mut gateway = Gateway::default();
    gateway.orders.insert("P20230308R".into(), "SUCCESS".into());
    let (server, client, gateway) = start(gateway).await;
    // The existing order (the inquiry says IDR 10000) under the number, for 50000: not paid.
    let mut other = payout("P20230308R");
    other["trade"]["amount"] = json!("50000");
    let error = client
        .pay_idempotent(CALLS, &other, ERRORS)
        .await
        .unwrap_err();
    match &error {
        Error::OrderConflict {
            out_trade_no,
            found,
            status,
            sent,
        } => assert_eq!(
            (
                out_trade_no.as_str(),
                found.as_str(),
                status.as_str(),
                sent.as_str()
            ),
            ("P20230308R", "IDR 10000", "SUCCESS", "IDR 50000")
        ),
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(error.to_string().starts_with("not placed: outTradeNo P20230308R already names an order for IDR 10000 (status SUCCESS), not this request's IDR 50000. Find out what that order paid"), "{error}");
    // Another currency is a conflict too; the same amount written otherwise is the same order.
    other["trade"] = json!({ "amount": "10000", "currency": "USD" });
    assert!(matches!(
        client.pay_idempotent(CALLS, &other, ERRORS).await,
        Err(Error::OrderConflict { .. })
    ));
    other["trade"] = json!({ "amount": "10000.00", "currency": "IDR" });
    let outcome = client.pay_idempotent(CALLS, &other, ERRORS).await.unwrap();
    assert_eq!(
        (outcome.status.as_str(), outcome.resolved_by),
        ("SUCCESS", ResolvedBy::Repeat)
    );
    assert_eq!(
        gateway.lock().unwrap().orders.len(),
        1,
        "no order was added"
    );
    assert_eq!(server.received_for("paymentOrderPay").len(), 3);
}

#[tokio::test]
async fn transient_codes_are_resent_with_the_same_out_trade_no() {
    let (server, client, gateway) = start(Gateway {
        refuse_with: Some("TOO_MANY_REQUEST"),
        refuse_pays: 2,
        ..Gateway::default()
    })
    .await;
    let outcome = client
        .pay_idempotent(CALLS, &payout("P20230308C"), ERRORS)
        .await
        .unwrap();
    assert_eq!(
        (
            outcome.status.as_str(),
            outcome.resolved_by,
            outcome.attempts
        ),
        ("PENDING", ResolvedBy::Placed, 3)
    );
    assert_eq!(gateway.lock().unwrap().orders.len(), 1);
    assert!(server.received_for("paymentOrderQry").is_empty());
    assert_same_order_fresh_envelopes(&server, "P20230308C");
}

#[tokio::test]
async fn a_lost_send_of_an_order_never_stored_is_resent_after_the_not_found_rule() {
    let (server, client, gateway) = start(Gateway {
        status_after_placing: "PENDING".into(),
        lose_pays: 1,
        ..Gateway::default()
    })
    .await;
    let outcome = client
        .pay_idempotent(CALLS, &payout("P20230308D"), ERRORS)
        .await
        .unwrap();
    assert_eq!(
        (outcome.resolved_by, outcome.attempts),
        (ResolvedBy::Placed, 2)
    );
    // ORDER_NOT_EXIST, then two re-queries after waiting, before the resend
    assert_eq!(server.received_for("paymentOrderQry").len(), 3);
    assert_eq!(gateway.lock().unwrap().orders.len(), 1);
    assert_same_order_fresh_envelopes(&server, "P20230308D");
}

#[tokio::test]
async fn query_class_codes_resolve_through_inquiry() {
    let mut gateway = Gateway {
        refuse_with: Some("PAYMENT_PENDING"),
        refuse_pays: 1,
        ..Gateway::default()
    };
    gateway.orders.insert("P20230308E".into(), "PENDING".into());
    let (_server, client, _gateway) = start(gateway).await;
    let outcome = client
        .pay_idempotent(CALLS, &payout("P20230308E"), ERRORS)
        .await
        .unwrap();
    assert_eq!(
        (outcome.status.as_str(), outcome.resolved_by),
        ("PENDING", ResolvedBy::Inquiry)
    );
}

#[tokio::test]
async fn fix_then_resend_and_order_failure_codes_are_returned() {
    for code in ["PARAMS_INVALID", "MISMATCHED_BANK", "BRAND_NEW_CODE"] {
        let (server, client, gateway) = start(Gateway {
            refuse_with: Some(code),
            refuse_pays: 1,
            ..Gateway::default()
        })
        .await;
        let e = client
            .pay_idempotent(CALLS, &payout("P20230308F"), ERRORS)
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(code));
        assert_eq!(server.received().len(), 1, "{code}: no resend, no inquiry");
        assert!(gateway.lock().unwrap().orders.is_empty());
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let (server, client, gateway) = start(Gateway {
        lose_pays: usize::MAX,
        ..Gateway::default()
    })
    .await;
    let e = client
        .pay_idempotent(CALLS, &payout("P20230308G"), ERRORS)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::OutcomeUnknown { .. }), "{e:?}");
    let max = support::fast_retries().max_attempts as usize;
    assert_eq!(pays(&server).len(), max);
    assert_eq!(server.received_for("paymentOrderQry").len(), max * 3);
    assert!(gateway.lock().unwrap().orders.is_empty());
    assert_same_order_fresh_envelopes(&server, "P20230308G");
}

#[tokio::test]
async fn data_without_out_trade_no_is_refused_before_sending() {
    let (server, client, _gateway) = start(Gateway::default()).await;
    let mut data = payout("x");
    data.as_object_mut().unwrap().remove("outTradeNo");
    let e = client
        .pay_idempotent(CALLS, &data, ERRORS)
        .await
        .unwrap_err();
    match e {
        Error::Validation(report) => assert_eq!(report.to_string(), "outTradeNo: is required"),
        other => panic!("{other:?}"),
    }
    assert!(server.received().is_empty());
}
