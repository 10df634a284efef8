//! 1,000 payouts through `pay_idempotent` while the sandbox injects faults at random on a
//! fixed seed: dropped connections after commit, 5xx with and without commit, rate limiting,
//! corrupted response signatures, latency past the client's timeout. Afterwards every
//! outTradeNo has exactly one order, and the client's final status equals the sandbox's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use futures_util::StreamExt;
use payermax::{Currency, PaymentOrderPayRequest, Trade, payee};
use payermax_sandbox::{Fault, FaultPlan, RandomFaults, SandboxConfig, Timings};
use std::time::{Duration, Instant};

const PAYOUTS: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_payouts_under_random_faults_pay_each_order_once() {
    let faults = FaultPlan::new().random(RandomFaults {
        seed: 20261124,
        probability: 0.3,
        faults: vec![
            Fault::DropConnection,
            Fault::ServerError {
                status: 500,
                json: true,
                commit: true,
            },
            Fault::ServerError {
                status: 503,
                json: false,
                commit: false,
            },
            Fault::TooManyRequests,
            Fault::BadSignature,
            Fault::Latency(Duration::from_millis(1500)),
        ],
    });
    // Orders stay PENDING during the run so that both sides can be compared afterwards.
    let timings = Timings {
        settle: Duration::from_secs(3600),
        ..Timings::default()
    };
    // The client's timeout is shorter than the injected latency: those sends end unknown.
    let env = common::env_with(
        SandboxConfig::default().timings(timings).faults(faults),
        Duration::from_millis(1000),
    )
    .await;
    let client = env.client.clone();

    let started = Instant::now();
    let results: Vec<(String, Result<payermax::Payout, payermax::runtime::Error>)> =
        futures_util::stream::iter(0..PAYOUTS)
            .map(|i| {
                let client = client.clone();
                async move {
                    let out = format!("fault_{i:04}");
                    let payee = payee::br::Pix::builder()
                        .account_no(format!("{:011}", i))
                        .build();
                    let trade = Trade::new(Currency::Brl.amount("25.00").unwrap(), "BRL");
                    let request =
                        PaymentOrderPayRequest::new(out.clone(), "BR", trade, payee.into());
                    (out, client.pay_idempotent(&request).await)
                }
            })
            .buffer_unordered(16)
            .collect()
            .await;
    let elapsed = started.elapsed();

    let mut sends = 0;
    let mut resolved_by_inquiry = 0;
    for (out, result) in &results {
        let payout = result.as_ref().unwrap_or_else(|e| panic!("{out}: {e}"));
        assert_eq!(
            env.sandbox.order_count(out),
            1,
            "{out} must exist exactly once"
        );
        let order = env.sandbox.order(out).unwrap();
        assert_eq!(payout.status.as_str(), order.status.as_str(), "{out}");
        assert_eq!(
            payout.trade_no.as_deref(),
            Some(order.trade_no.as_str()),
            "{out}"
        );
        sends += payout.attempts;
        resolved_by_inquiry +=
            usize::from(payout.resolved_by != payermax::runtime::ResolvedBy::Placed);
    }
    let requests = env.sandbox.requests();
    let faulted = requests.iter().filter(|r| !r.faults.is_empty()).count();
    assert_eq!(env.sandbox.orders().len(), PAYOUTS);
    assert!(
        faulted > PAYOUTS / 5,
        "the plan must actually inject faults ({faulted})"
    );
    // The figures the closing note quotes.
    println!(
        "{PAYOUTS} payouts, {sends} sends, {} requests ({faulted} with a fault), {resolved_by_inquiry} resolved by inquiry, {:.1}s",
        requests.len(),
        elapsed.as_secs_f64()
    );
}
