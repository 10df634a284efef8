//! The generated client against the sandbox over real loopback HTTP: every path, every
//! simulated outcome, notifications received by a real HTTP receiver that verifies and
//! acknowledges them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{env, eventually, pix_payout, sepa_payee};
use futures_util::StreamExt;
use payermax::runtime::{OrderView, StatusUpdate, Transition};
use payermax::{
    Currency, PaymentFieldValidationRequest, PaymentOrderBatchQryRequest, PaymentOrderPayRequest,
    PaymentOrderQryRequest, PayoutStatus, Trade, ValidationCode,
};
use payermax_sandbox::{SandboxConfig, Timings};
use std::time::Duration;

fn timings() -> Timings {
    Timings {
        settle: Duration::from_millis(50),
        pending_rule: Duration::from_millis(400),
        bounceback: Duration::from_millis(200),
        rfi_deadline: Duration::from_millis(200),
    }
}

/// Element validation without an account number (reference §4.1: optional there): a required
/// text left empty is not sent, and the answer judges what was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn element_validation_takes_a_payee_without_an_account_number() {
    let env = env(SandboxConfig::default().timings(timings())).await;
    let mut payee = payermax::PayeeInfo::new(
        payermax::PaymentMethodType::RealtimePayment,
        payermax::AccountInfo::new(""),
    );
    payee.target_org = Some("PIX".into());
    let request = PaymentFieldValidationRequest::new("BR", "BRL", payee);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json["payeeInfo"]["accountInfo"],
        serde_json::json!({}),
        "{json}"
    );
    assert!(request.validate().unwrap().is_empty());
    let answer = env.client.validate_payment_fields(&request).await.unwrap();
    assert_eq!(answer.validation_code, ValidationCode::Pass);
    // Read back, the missing number is empty, and a payout still requires it.
    let back: payermax::PaymentFieldValidationRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back.payee_info.account_info.account_no, "");
    let payout = PaymentOrderPayRequest::new(
        "no_account",
        "BR",
        Trade::new(Currency::Brl.amount("1").unwrap(), "BRL"),
        back.payee_info,
    );
    let report = payout.validate().unwrap_err();
    assert!(
        report
            .errors()
            .any(|v| v.path == "payeeInfo.accountInfo.accountNo" && v.code == "required"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn element_validation_reports_field_results() {
    let env = env(SandboxConfig::default().timings(timings())).await;
    // One digit off: the IBAN check digits fail.
    let payee = sepa_payee("NO9386011117948", "DNBANOKK");
    let mut request = PaymentFieldValidationRequest::new("NO", "EUR", payee.into());
    request.clearing_rail = Some(payermax::ClearingRail::Sepa);
    let answer = env.client.validate_payment_fields(&request).await.unwrap();
    assert_eq!(answer.validation_code, ValidationCode::ParamsInvalid);
    let failed: Vec<&str> = answer
        .validation_failed_fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(failed, ["payeeInfo.accountInfo.accountNo"]);
    request.payee_info.account_info.account_no = "NO9386011117947".into();
    let answer = env.client.validate_payment_fields(&request).await.unwrap();
    assert_eq!(answer.validation_code, ValidationCode::Pass);
    assert!(
        answer
            .validation_passed_fields
            .iter()
            .any(|f| f.field.as_deref() == Some("payeeInfo.bankInfo.bankCode"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_simulated_outcome_with_notifications() {
    let env = env(SandboxConfig::default().timings(timings())).await;
    let mut bounce = pix_payout("o_bounce", "20");
    bounce.remark = Some("BOUNCEBACK".into());
    let mut remark_wins = pix_payout("o_remark", "110");
    remark_wins.remark = Some("SUCCESS".into());
    let cases = [
        (pix_payout("o_success", "12.50"), vec!["SUCCESS"]),
        (pix_payout("o_failed", "110"), vec!["FAILED"]),
        (pix_payout("o_pending", "100"), vec!["SUCCESS"]),
        (remark_wins, vec!["SUCCESS"]),
        (bounce, vec!["SUCCESS", "BOUNCEBACK"]),
    ];
    for (request, _) in &cases {
        let placed = env.client.pay(request).await.unwrap();
        assert_eq!(placed.status, Some(PayoutStatus::Pending));
        assert!(placed.trade_no.contains("PO"));
    }
    // The 100 rule keeps the order pending for a while.
    let q = env
        .client
        .query(&PaymentOrderQryRequest::new("o_pending"))
        .await
        .unwrap();
    assert_eq!(q.status, Some(PayoutStatus::Pending));
    for (request, expected) in &cases {
        let out = request.out_trade_no.as_str();
        eventually(out, || env.receiver.statuses(out).len() >= expected.len()).await;
        assert_eq!(&env.receiver.statuses(out), expected, "{out}");
        let final_status = env
            .client
            .query(&PaymentOrderQryRequest::new(out))
            .await
            .unwrap()
            .status
            .unwrap();
        assert_eq!(final_status.as_str(), *expected.last().unwrap());
        assert_eq!(
            env.sandbox.order(out).unwrap().status.as_str(),
            final_status.as_str()
        );
    }
    assert_eq!(
        *env.receiver.rejected.lock().unwrap(),
        0,
        "every notification verified"
    );
    // The merchant's stored view follows the notifications; BOUNCEBACK after SUCCESS is a reversal.
    let mut view = OrderView::placed("20", "BRL");
    let updates: Vec<Transition> = env
        .receiver
        .verified
        .lock()
        .unwrap()
        .iter()
        .filter(|n| n.data.out_trade_no == "o_bounce")
        .map(|n| {
            let update = StatusUpdate {
                status: n.data.status.to_string(),
                sub_status: None,
                amount: n.data.trade.amount.clone(),
                currency: n.data.trade.currency.clone(),
            };
            view.apply(&update).unwrap()
        })
        .collect();
    assert!(
        matches!(
            updates.as_slice(),
            [Transition::Updated { .. }, Transition::Reversal { .. }]
        ),
        "{updates:?}"
    );
    // Every acknowledged: the sandbox saw the exact acknowledgement.
    eventually("acknowledgements", || {
        env.sandbox.notifications().iter().all(|n| n.acknowledged())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeats_resolve_by_inquiry_and_unknown_orders_do_not_exist() {
    let env = env(SandboxConfig::default().timings(timings())).await;
    let request = pix_payout("o_repeat", "30");
    let first = env.client.pay_idempotent(&request).await.unwrap();
    assert_eq!(first.resolved_by, payermax::runtime::ResolvedBy::Placed);
    let again = env.client.pay_idempotent(&request).await.unwrap();
    assert_eq!(again.resolved_by, payermax::runtime::ResolvedBy::Repeat);
    assert_eq!(again.trade_no, first.trade_no);
    assert_eq!(env.sandbox.order_count("o_repeat"), 1);
    let missing = env
        .client
        .query(&PaymentOrderQryRequest::new("never_placed"))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("ORDER_NOT_EXIST"));
    // A payout that breaks a rule is refused before anything is sent.
    // (`Currency::Brl.amount("1.001")` is refused at construction; `Amount::new` is not
    // currency-aware, so the validator reports the precision.)
    let mut bad = pix_payout("o bad", "1");
    bad.trade.amount = payermax::Amount::new("1.001").unwrap();
    let err = env.client.pay(&bad).await.unwrap_err();
    assert!(
        matches!(err, payermax::runtime::Error::Validation(_)),
        "{err}"
    );
    assert!(env.sandbox.requests_for("o bad").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_query_and_its_stream() {
    let env = env(SandboxConfig::default().timings(timings())).await;
    let begin = chrono::Utc::now() - chrono::Duration::minutes(1);
    for i in 0..5 {
        env.client
            .pay(&pix_payout(&format!("o_batch_{i}"), "40"))
            .await
            .unwrap();
    }
    let end = chrono::Utc::now() + chrono::Duration::minutes(1);
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format(payermax::batch::TIME_FORMAT).to_string();
    let mut page = PaymentOrderBatchQryRequest::new(fmt(begin), fmt(end));
    page.page_size = Some(2);
    page.current_page_index = Some(1);
    let first = env.client.batch_query(&page).await.unwrap();
    let outs: Vec<String> = first
        .order_list
        .iter()
        .map(|o| o.out_trade_no.clone().unwrap_or_default())
        .collect();
    assert_eq!(outs, ["o_batch_0", "o_batch_1"]);
    // The stream covers a range longer than a day: split into day windows, paged to the end.
    let filters = payermax::PaymentOrderBatchQryFilters::default();
    let stream = env
        .client
        .batch_query_stream(begin - chrono::Duration::days(2), end, filters);
    let all: Vec<String> = stream
        .map(|r| r.unwrap().out_trade_no.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(
        all,
        (0..5).map(|i| format!("o_batch_{i}")).collect::<Vec<_>>()
    );
}
