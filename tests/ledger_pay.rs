//! `Ledger::pay` from many tasks at once, on a real SQLite file and a real PostgreSQL server,
//! through real RSA and loopback HTTP to the sandbox. Sends that wait at the same moment are
//! written together (one transaction for many); these tests hold that every one of them still
//! gets its own answer: new payouts are paid once, a payout offered twice at once is paid
//! once (the second offer waits for the first and finds its order), an intent that conflicts with what is recorded is refused and never sent whatever
//! else shares its transaction, and callers that stop waiting half-way leave nothing that a
//! second run pays twice.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use payermax::ledger::{Intent, Ledger, LedgerError, Origin};
use payermax::{PaymentOrderPayRequest, Trade, payee};
use payermax_sandbox::{SandboxConfig, Timings};
use std::time::Duration;
use tokio::task::JoinSet;

fn number(n: u64) -> String {
    format!("lp_{n}")
}

fn intent(n: u64, amount: &str) -> Intent {
    let payee = payee::br::Pix::builder()
        .account_no(format!("{n:011}"))
        .build();
    let amount = payermax::Currency::Brl.amount(amount).unwrap();
    let request =
        PaymentOrderPayRequest::new(number(n), "BR", Trade::new(amount, "BRL"), payee.into());
    Intent::new(
        serde_json::to_value(&request).unwrap(),
        Origin::batch("together"),
    )
    .unwrap()
}

async fn sends_of(ledger: &Ledger, n: u64) -> usize {
    ledger
        .history(&number(n))
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == "send")
        .count()
}

async fn many_at_once(location: &str) {
    // Orders stay PENDING for the whole test: under load a rerun could otherwise find an
    // order the sandbox had settled meanwhile (seen: SUCCESS where PENDING was asserted).
    let hour = Duration::from_secs(3600);
    let timings = Timings {
        settle: hour,
        pending_rule: hour,
        bounceback: hour,
        rfi_deadline: hour,
    };
    let env = common::env(SandboxConfig::default().timings(timings)).await;
    let ledger = Ledger::open(location).await.unwrap();
    let api = payermax::ledger::payout_api();
    // Recorded before at 10.00: offered again at 11.00 below, among everything else.
    for n in 0..5 {
        ledger.record_intent(&intent(n, "10.00")).await.unwrap();
    }
    let mut tasks = JoinSet::new();
    let offered = (0..5)
        .map(|n| (n, "11.00"))
        .chain((5..150).map(|n| (n, "10.00")))
        // Offered a second time while the first is under way.
        .chain((100..120).map(|n| (n, "10.00")));
    for (n, amount) in offered {
        let (ledger, client) = (ledger.clone(), env.client.runtime().clone());
        tasks.spawn(async move {
            let paid = ledger.pay(&client, &api, &intent(n, amount)).await;
            (n, paid)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (n, paid) = done.unwrap();
        if n < 5 {
            assert!(
                matches!(paid, Err(LedgerError::Conflict(_))),
                "{n}: another amount under a recorded number must be refused: {paid:?}"
            );
        } else {
            let paid = paid.unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!(paid.out_trade_no, number(n));
            assert_eq!(paid.status, "PENDING", "{n}");
        }
    }
    for n in 0..5 {
        assert_eq!(env.sandbox.order_count(&number(n)), 0, "{n} was sent");
        let record = ledger.payout(&number(n)).await.unwrap().unwrap();
        assert_eq!(record.amount, "10", "the recorded version stays");
        assert_eq!(record.sends, 0);
    }
    for n in 5..150 {
        assert_eq!(env.sandbox.order_count(&number(n)), 1, "{n}");
        let record = ledger.payout(&number(n)).await.unwrap().unwrap();
        assert_eq!(record.status.as_deref(), Some("PENDING"), "{n}");
        assert!(record.claimed_by.is_none(), "{n}: the claim is released");
        // Offered twice at once: the second waited for the first and found its order.
        assert_eq!(sends_of(&ledger, n).await, 1, "{n}: one payout, one send");
    }

    // Callers that stop waiting at any moment (a timeout, a dropped request), then a rerun.
    let mut tasks = JoinSet::new();
    for n in 200..260u64 {
        let (ledger, client) = (ledger.clone(), env.client.runtime().clone());
        tasks.spawn(async move {
            let patience = Duration::from_micros(300 * (n % 40));
            let _ =
                tokio::time::timeout(patience, ledger.pay(&client, &api, &intent(n, "3.00"))).await;
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    for n in 200..260 {
        let paid = ledger
            .pay(env.client.runtime(), &api, &intent(n, "3.00"))
            .await
            .unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(paid.status, "PENDING", "{n}");
        assert_eq!(env.sandbox.order_count(&number(n)), 1, "{n}");
    }
    ledger.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sends_at_once_on_sqlite_each_get_their_own_answer() {
    let dir = tempfile::tempdir().unwrap();
    many_at_once(&dir.path().join("ledger.sqlite").display().to_string()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sends_at_once_on_postgres_each_get_their_own_answer() {
    let pg = payermax_ledger::testing::TempPostgres::start().unwrap();
    many_at_once(&pg.database("together").unwrap()).await;
}
