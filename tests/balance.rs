//! The merchant's balance (#14 §3): `currentBalanceQuery` typed and generated from PayerMax's
//! OpenAPI paths, and the sandbox's payout account that payouts debit, FAILED orders refund,
//! and that refuses what it cannot cover with `BALANCE_INSUFFICIENT`, over loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::pix_payout;

use payermax::{
    AccountType, Client, CurrentBalanceQueryRequest, PaymentOrderQryRequest, PayoutStatus,
};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use std::time::Duration;

async fn brl(client: &Client) -> f64 {
    let answer = client
        .current_balance(&CurrentBalanceQueryRequest {
            account_type: vec![AccountType::Disbursement],
            // Accounts at 0 too (PayerMax leaves them out by default).
            plain_sign: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let account = answer
        .account_real_time_types
        .iter()
        .find(|a| a.currency == "BRL")
        .expect("a BRL payout account");
    assert_eq!(account.account_type, AccountType::Disbursement);
    account.balance.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payouts_debit_the_balance_failures_refund_it_and_shortfalls_are_refused() {
    let timings = Timings {
        settle: Duration::from_millis(50),
        pending_rule: Duration::from_secs(3600),
        bounceback: Duration::from_secs(3600),
        rfi_deadline: Duration::from_secs(3600),
    };
    let sandbox = Sandbox::start(SandboxConfig::default().timings(timings))
        .await
        .unwrap();
    let (merchant, key) = Merchant::generate("app_bal", "M_BAL").unwrap();
    sandbox.register_merchant(merchant.balance("BRL", "100.00"));
    let client = common::client_of(&sandbox, ("app_bal", "M_BAL"), &key, |c| c);
    assert_eq!(brl(&client).await, 100.0);
    // The balance endpoint carries its own envelope version (1.3 in PayerMax's OpenAPI file).
    let logged = sandbox.requests();
    let body: serde_json::Value = serde_json::from_str(&logged.last().unwrap().body).unwrap();
    assert_eq!(body["version"], "1.3");

    client.pay(&pix_payout("bal_1", "60")).await.unwrap();
    assert_eq!(brl(&client).await, 40.0);
    // More than is left: refused before any order is created.
    let err = client.pay(&pix_payout("bal_2", "50")).await.unwrap_err();
    assert_eq!(err.code(), Some("BALANCE_INSUFFICIENT"), "{err}");
    assert_eq!(sandbox.order_count("bal_2"), 0);
    // A payout that fails gives its amount back.
    let mut failing = pix_payout("bal_3", "30");
    failing.remark = Some("FAILED".into());
    client.pay(&failing).await.unwrap();
    assert_eq!(brl(&client).await, 10.0);
    common::eventually("bal_3 FAILED", || {
        sandbox
            .order("bal_3")
            .is_some_and(|o| o.status.as_str() == "FAILED")
    })
    .await;
    let q = client
        .query(&PaymentOrderQryRequest::new("bal_3"))
        .await
        .unwrap();
    assert_eq!(q.status, Some(PayoutStatus::Failed));
    assert_eq!(brl(&client).await, 40.0);
    // After a top-up... not simulated: the same order number is accepted once it fits.
    let placed = client.pay(&pix_payout("bal_2", "40")).await.unwrap();
    assert_eq!(placed.status, Some(PayoutStatus::Pending));
    assert_eq!(brl(&client).await, 0.0);

    // The day, as dayEndBalanceQuery tells it: 100 in, 130 paid out, 30 back from the failure.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let day = client
        .day_end_balance(&payermax::DayEndBalanceQueryRequest::new(today, "utc"))
        .await
        .unwrap();
    let brl_day = day
        .account_end_day_time_types
        .iter()
        .find(|a| a.currency == "BRL")
        .unwrap();
    let f = |n: &serde_json::Number| n.as_f64().unwrap();
    assert_eq!(
        (
            f(&brl_day.inital_balance),
            f(&brl_day.outflow_amount),
            f(&brl_day.inflow_amount),
            f(&brl_day.end_balance)
        ),
        (100.0, 130.0, 30.0, 0.0)
    );
    sandbox.shutdown().await;
}
