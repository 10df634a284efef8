//! The ledger's storage on real databases: an SQLite file in a temporary folder and a real
//! PostgreSQL server started for the test. Damage is refused, history is append-only, claims
//! are shared between workers and taken over from dead ones.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax_ledger::testing::TempPostgres;
use payermax_ledger::{
    Claim, Intent, Ledger, LedgerError, Observation, Origin, Recorded, Source, StatusChange,
};
use serde_json::json;
use std::time::Duration;

fn intent(id: &str, amount: &str, account: &str, batch: &str) -> Intent {
    Intent::new(
        json!({
            "outTradeNo": id, "country": "BR",
            "trade": {"amount": amount, "currency": "BRL"},
            "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                          "accountInfo": {"accountNo": account}}
        }),
        Origin {
            batch: Some(batch.into()),
            file: Some("payouts.csv".into()),
            line: Some(2),
        },
    )
    .unwrap()
}

fn seen(id: &str, status: &str) -> Observation {
    Observation {
        out_trade_no: id.into(),
        status: Some(status.into()),
        trade_no: Some(format!("T_{id}")),
        ..Observation::default()
    }
}

/// What every backend must do; `a` and `b` are two workers on one ledger.
async fn behaves(a: &Ledger, b: &Ledger) {
    // Intents: new, the same again, another payout under the number.
    let first = intent("o_1", "10.50", "12345678901", "june");
    assert_eq!(a.record_intent(&first).await.unwrap(), Recorded::New);
    assert_eq!(b.record_intent(&first).await.unwrap(), Recorded::Existing);
    let other = intent("o_1", "12.00", "12345678901", "june");
    let Recorded::Conflict(conflict) = b.record_intent(&other).await.unwrap() else {
        panic!("a different amount under o_1 must conflict")
    };
    assert!(conflict.to_string().contains("never sent"), "{conflict}");
    // Claims: one worker at a time; the holder keeps it.
    assert_eq!(a.claim("o_1").await.unwrap(), Claim::Mine);
    assert_eq!(a.claim("o_1").await.unwrap(), Claim::Mine);
    assert_eq!(
        b.claim("o_1").await.unwrap(),
        Claim::Busy(a.worker().to_owned())
    );
    a.release("o_1").await.unwrap();
    assert_eq!(b.claim("o_1").await.unwrap(), Claim::Mine);
    b.release("o_1").await.unwrap();
    // Statuses: first, forward, refused, late; every one in the history.
    assert_eq!(
        a.observe(&seen("o_1", "PENDING"), Source::Answer)
            .await
            .unwrap(),
        StatusChange::First("PENDING".into())
    );
    let mut wrong = seen("o_1", "SUCCESS");
    wrong.amount = Some("99".into());
    wrong.currency = Some("BRL".into());
    assert!(matches!(
        a.observe(&wrong, Source::Notification).await.unwrap(),
        StatusChange::Refused(_)
    ));
    assert!(matches!(
        b.observe(&seen("o_1", "FAILED"), Source::Inquiry)
            .await
            .unwrap(),
        StatusChange::Updated { .. }
    ));
    assert!(matches!(
        a.observe(&seen("o_1", "SUCCESS"), Source::Notification)
            .await
            .unwrap(),
        StatusChange::Refused(_)
    ));
    let record = b.payout("o_1").await.unwrap().unwrap();
    assert_eq!(record.status.as_deref(), Some("FAILED"));
    assert_eq!(record.trade_no.as_deref(), Some("T_o_1"));
    assert_eq!(record.origin(), "batch june, payouts.csv line 2");
    let kinds: Vec<(String, bool)> = a
        .history("o_1")
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.effective))
        .collect();
    assert_eq!(
        kinds,
        [
            ("status".into(), true),
            ("anomaly".into(), false),
            ("status".into(), true),
            ("anomaly".into(), false)
        ]
    );
    // Now that o_1 has an order, a conflicting intent says so, and never advises a new number.
    let Recorded::Conflict(conflict) = b.record_intent(&other).await.unwrap() else {
        panic!()
    };
    let text = conflict.to_string();
    assert!(text.contains("(status FAILED)"), "{text}");
    assert!(!text.contains("its own outTradeNo"), "{text}");
    // The duplicate-payment guard: same payee and amount in another batch; failed orders and
    // the same batch do not count.
    let again = intent("o_2", "10.5", "12345678901", "july");
    assert!(
        a.find_repeats(&again, Duration::from_secs(3600))
            .await
            .unwrap()
            .is_empty(),
        "o_1 FAILED: paying again is no repeat"
    );
    a.record_intent(&intent("o_3", "7", "999", "june"))
        .await
        .unwrap();
    a.observe(&seen("o_3", "SUCCESS"), Source::Answer)
        .await
        .unwrap();
    let repeats = a
        .find_repeats(
            &intent("o_4", "7.00", "999", "july"),
            Duration::from_secs(3600),
        )
        .await
        .unwrap();
    assert_eq!(repeats.len(), 1);
    assert_eq!(repeats[0].batch.as_deref(), Some("june"));
    assert!(
        a.find_repeats(
            &intent("o_4", "7", "999", "june"),
            Duration::from_secs(3600)
        )
        .await
        .unwrap()
        .is_empty()
    );
    assert!(
        a.find_repeats(&intent("o_4", "7", "999", "july"), Duration::ZERO)
            .await
            .unwrap()
            .len()
            <= 1
    );
}

/// The database itself refuses to change or remove a record.
async fn append_only(location: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(location).await.unwrap();
    for sql in [
        "UPDATE payouts SET amount = '1'",
        "DELETE FROM payouts",
        "UPDATE events SET status = 'SUCCESS'",
        "DELETE FROM events",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    pool.close().await;
}

#[tokio::test]
async fn sqlite_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let location = path.display().to_string();
    let a = Ledger::open(&location).await.unwrap();
    let b = Ledger::open(&location).await.unwrap();
    behaves(&a, &b).await;
    // A claim held by a worker that is gone is taken over at once.
    a.claim("o_3").await.unwrap();
    assert!(matches!(b.claim("o_3").await.unwrap(), Claim::Busy(_)));
    a.close().await;
    assert_eq!(b.claim("o_3").await.unwrap(), Claim::Mine);
    b.close().await;
    append_only(&format!("sqlite://{location}")).await;
    // Reopened: everything is still there.
    let c = Ledger::open(&location).await.unwrap();
    assert_eq!(
        c.payout("o_1").await.unwrap().unwrap().status.as_deref(),
        Some("FAILED")
    );
    c.close().await;
}

#[tokio::test]
async fn postgres_ledger() {
    let pg = TempPostgres::start().unwrap();
    let url = pg.database("ledger").unwrap();
    let a = Ledger::open(&url).await.unwrap();
    let b = Ledger::open(&url).await.unwrap();
    behaves(&a, &b).await;
    a.claim("o_3").await.unwrap();
    assert!(matches!(b.claim("o_3").await.unwrap(), Claim::Busy(_)));
    a.close().await;
    assert_eq!(b.claim("o_3").await.unwrap(), Claim::Mine);
    b.close().await;
    append_only(&url).await;
    // Several processes opening a new ledger at once: each waits for the first one's tables
    // (it used to find them half made and refuse the database as "not a ledger").
    for round in 0..12 {
        let url = pg.database(&format!("race{round}")).unwrap();
        let opened = futures_util::future::join_all((0..6).map(|_| Ledger::open(&url))).await;
        for ledger in opened {
            ledger.unwrap().close().await;
        }
    }
    // A password in the URL is never shown.
    let err = Ledger::open(&pg.url("missing").replace("postgres@", "postgres:s3cr3tpw@"))
        .await
        .unwrap_err()
        .to_string();
    assert!(!err.contains("s3cr3tpw"), "{err}");
    assert!(err.contains("postgres:***@"), "{err}");
}

#[tokio::test]
async fn damaged_ledgers_are_refused_never_read_as_nothing_paid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let location = path.display().to_string();
    let ledger = Ledger::open(&location).await.unwrap();
    for n in 0..300 {
        ledger
            .record_intent(&intent(&format!("o_{n}"), "1", &format!("{n:011}"), "b"))
            .await
            .unwrap();
        ledger
            .observe(&seen(&format!("o_{n}"), "SUCCESS"), Source::Answer)
            .await
            .unwrap();
    }
    ledger.close().await;
    let whole = std::fs::read(&path).unwrap();
    assert!(whole.len() > 64 * 1024, "{}", whole.len());
    let damaged = dir.path().join("damaged.sqlite");
    let refused = |bytes: &[u8]| {
        std::fs::write(&damaged, bytes).unwrap();
        let location = damaged.display().to_string();
        async move { Ledger::open(&location).await.unwrap_err() }
    };
    // Empty (a truncation to zero, or a crash while copying).
    let e = refused(&[]).await;
    assert!(
        matches!(e, LedgerError::Corrupt { .. }) && e.to_string().contains("empty"),
        "{e}"
    );
    // Cut in the middle.
    let e = refused(&whole[..whole.len() / 2]).await;
    assert!(matches!(e, LedgerError::Corrupt { .. }), "{e}");
    // Cut at an odd size.
    let e = refused(&whole[..whole.len() - 100]).await;
    assert!(matches!(e, LedgerError::Corrupt { .. }), "{e}");
    // Pages overwritten in the middle.
    let mut scribbled = whole.clone();
    let mid = scribbled.len() / 2;
    scribbled[mid..mid + 8192].fill(0x5a);
    let e = refused(&scribbled).await;
    assert!(matches!(e, LedgerError::Corrupt { .. }), "{e}");
    // Another file altogether.
    let e = refused(&b"outTradeNo,status\n".repeat(400)).await;
    assert!(matches!(e, LedgerError::NotALedger { .. }), "{e}");
    // An SQLite database that is not a ledger.
    std::fs::remove_file(&damaged).unwrap();
    sqlx::any::install_default_drivers();
    let other = format!("sqlite://{}?mode=rwc", damaged.display());
    let pool = sqlx::AnyPool::connect(&other).await.unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let e = Ledger::open(&damaged.display().to_string())
        .await
        .unwrap_err();
    assert!(matches!(e, LedgerError::NotALedger { .. }), "{e}");
    // The intact file still opens, with everything in it.
    let ledger = Ledger::open(&location).await.unwrap();
    assert_eq!(ledger.list(None, 0, 1000).await.unwrap().0.len(), 300);
    ledger.close().await;
}

/// A ledger file written before the migrations were embedded by hand (at 02e7e40, its schema
/// applied by `sqlx::migrate!`, three payouts recorded) opens as it is: the embedded migration
/// has the version and checksum the macro recorded, so nothing is applied again or refused as
/// "changed", and every record reads.
#[tokio::test]
async fn a_ledger_made_by_the_previous_release_opens_with_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("june.ledger");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ledger-0.1.0.sqlite"
        ),
        &path,
    )
    .unwrap();
    let ledger = Ledger::open(&path.display().to_string()).await.unwrap();
    for (n, status) in [(1, "SUCCESS"), (2, "PENDING"), (3, "FAILED")] {
        let record = ledger.payout(&format!("june_{n}")).await.unwrap().unwrap();
        assert_eq!(record.status.as_deref(), Some(status), "june_{n}");
    }
    // The same intent offered again is the recorded one, not a new payout.
    let again = Intent::new(
        json!({
            "outTradeNo": "june_1", "country": "BR",
            "trade": {"amount": "10.50", "currency": "BRL"},
            "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                          "accountInfo": {"accountNo": "12345678901"}}
        }),
        Origin {
            batch: Some("2026-06".into()),
            file: Some("june.csv".into()),
            line: Some(2),
        },
    )
    .unwrap();
    assert_eq!(
        ledger.record_intent(&again).await.unwrap(),
        Recorded::Existing
    );
    ledger.close().await;
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, description FROM _sqlx_migrations")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(applied, vec![(1, "ledger".to_string())]);
    pool.close().await;
}
