//! # payermax-ledger
//!
//! A durable record of payouts, so that none is paid twice and none is recorded as paid that
//! was not. Every payout is an [`Intent`] (its `outTradeNo`, the exact `data`, a fingerprint of
//! payee and amount, where it came from), committed **before** it is sent; every send, status
//! (with its time and source: answer, inquiry, notification, batch query) and error is appended
//! to its history afterwards. Nothing is ever changed or removed (the database refuses it).
//!
//! - **SQLite** by default: one file, no setup ([`Ledger::open`] with a path). Created whole or
//!   not at all; on every open an empty, truncated or overwritten file is refused
//!   ([`LedgerError::Corrupt`]) rather than read as "nothing paid".
//! - **PostgreSQL** for services with several instances ([`Ledger::open`] with a
//!   `postgres://` URL). Same code path (sqlx's `Any` driver); only claims and write locks
//!   differ.
//! - Migrations are versioned files under `migrations/`, applied on open.
//!
//! [`Ledger::pay`] refuses an `outTradeNo` already recorded for another payout (different
//! fingerprint) before anything is sent, then places the payout with
//! [`Client::pay_idempotent`](payermax_runtime::Client::pay_idempotent). An order PayerMax
//! already had under that number on the ledger's very first send is not this ledger's
//! ([`LedgerError::ForeignOrder`]): it is never recorded as paid.
//!
//! Several processes (or machines, with PostgreSQL) can work one ledger: a payout is claimed
//! before it is sent, a claim held by a live worker is respected, and a claim left by a dead
//! worker (its lock file unlocked, or its PostgreSQL session gone) is taken over at once.
//! Within a process, sends that wait at the same moment share their transactions (a few
//! multi-row statements for all of them), and a second `pay` of a payout already being sent
//! waits for the first.
//!
//! ```no_run
//! # async fn demo(client: payermax_runtime::Client, api: payermax_ledger::PayoutApi) -> Result<(), payermax_ledger::LedgerError> {
//! use payermax_ledger::{Intent, Ledger, Origin};
//! let ledger = Ledger::open("payouts.ledger").await?; // or "postgres://user:pw@host/db"
//! let data = serde_json::json!({
//!     "outTradeNo": "june_0042", "country": "BR",
//!     "trade": {"amount": "10.50", "currency": "BRL"},
//!     "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
//!                   "accountInfo": {"accountNo": "12345678901"}}
//! });
//! let paid = ledger.pay(&client, &api, &Intent::new(data, Origin::batch("june"))?).await?;
//! println!("{} is {}", paid.out_trade_no, paid.status);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod error;
mod intent;
mod record;
mod reports;
mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{IntentConflict, IntentSummary, LedgerError};
pub use intent::{
    Intent, OUT_TRADE_NO_MAX_LEN, Origin, PayeeIdentity, VOLATILE_FIELDS, derive_out_trade_no,
    normalize_amount,
};
pub use record::{Event, PayoutRecord, Source};
pub use reports::{
    NotificationReport, Observation, ReconcileReport, RefreshReport, RemoteOrder, StatusChange,
    StatusDiff,
};
pub use store::{Backend, redact_url};

use payermax_runtime::{Client, Error, PayEvent, PayoutCalls, ResolvedBy, RetryClass};
use serde_json::Value;
use serde_json::value::RawValue;
use sqlx::Row as _;
use sqlx::any::AnyRow;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use store::Store;

/// The payout calls and the error table the ledger sends through, as generated code knows
/// them (`payermax::ledger::payout_api()` in the facade).
#[derive(Debug, Clone, Copy)]
pub struct PayoutApi {
    /// `paymentOrderPay` and `paymentOrderQry`.
    pub calls: PayoutCalls<'static>,
    /// The spec's error table.
    pub errors: &'static [(&'static str, RetryClass)],
}

/// How a [`Ledger::pay`] ended with an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidBy {
    /// This call placed the order.
    Placed,
    /// This call found the order (after `ORDER_REPEAT` or an unknown outcome) by inquiry.
    FoundByInquiry,
    /// The ledger already recorded an order for this payout; nothing was sent.
    AlreadyRecorded,
}

/// A payout with an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    /// The order number.
    pub out_trade_no: String,
    /// The status (as recorded after this call).
    pub status: String,
    /// PayerMax's order number, when known.
    pub trade_no: Option<String>,
    /// How it became known.
    pub by: PaidBy,
}

/// Whether recording an intent found it new, already there, or in conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Recorded now.
    New,
    /// The same payout was recorded before (same fingerprint).
    Existing,
    /// The order number is recorded for another payout.
    Conflict(Box<IntentConflict>),
}

/// A claim on a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This worker may send it.
    Mine,
    /// Another live worker is sending it.
    Busy(String),
}

/// A payout that matches an intent's payee, amount and currency in another batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// Its order number.
    pub out_trade_no: String,
    /// Its batch.
    pub batch: Option<String>,
    /// When it was recorded (ms since the epoch).
    pub created_ms: i64,
    /// Its status, when an order is known.
    pub status: Option<String>,
}

/// The durable payout ledger. Cheap to clone; clones share the database pool and the worker
/// registration.
#[derive(Clone)]
pub struct Ledger {
    store: Arc<Store>,
    /// Where concurrent sends meet to be written together (`send.rs`).
    sends: Arc<Combiner>,
    /// The payouts this process is sending now.
    flights: Arc<Flights>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("location", &self.store.location)
            .field("backend", &self.store.backend)
            .field("worker", &self.store.worker)
            .finish()
    }
}

/// The columns of a [`PayoutRecord`]: the intent and, from its events, where it stands.
macro_rules! record_select {
    () => { "SELECT p.out_trade_no, p.fingerprint, p.payee, p.amount, p.currency, p.data, p.batch, p.source_file, p.source_line, p.created_at, p.seq,
 (SELECT e.status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status,
 (SELECT e.sub_status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS sub_status,
 (SELECT e.at FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status_at,
 (SELECT e.source FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status_source,
 (SELECT e.trade_no FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.trade_no IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS trade_no,
 (SELECT COUNT(*) FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.kind = 'send') AS sends,
 (SELECT e.detail FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.kind IN ('error', 'anomaly') AND e.id > COALESCE((SELECT MAX(s.id) FROM events s WHERE s.out_trade_no = p.out_trade_no AND s.effective = 1), 0) ORDER BY e.id DESC LIMIT 1) AS last_error,
 (SELECT c.worker FROM claims c WHERE c.out_trade_no = p.out_trade_no) AS claimed_by
 FROM payouts p"
    };
}

mod send;
use send::{Begun, Combiner, Ending, Flights};

impl Ledger {
    /// Opens the ledger at `location`, creating it if it does not exist: a file path (SQLite;
    /// `sqlite:` prefix optional) or a `postgres://` / `postgresql://` URL. Runs pending
    /// migrations. An SQLite file that exists but is empty, truncated, overwritten or not a
    /// ledger is refused.
    pub async fn open(location: &str) -> Result<Ledger, LedgerError> {
        Ok(Ledger {
            store: Arc::new(Store::open(location).await?),
            sends: Arc::new(Combiner::new()),
            flights: Arc::new(Flights::default()),
        })
    }

    /// Where the ledger is (credentials removed).
    pub fn location(&self) -> &str {
        &self.store.location
    }

    /// Which database holds it.
    pub fn backend(&self) -> Backend {
        self.store.backend
    }

    /// This process's worker id (random, one per [`Ledger::open`]).
    pub fn worker(&self) -> &str {
        &self.store.worker
    }

    /// Flushes and closes the ledger (SQLite: folds the write-ahead log into the file) and
    /// ends this worker's registration. Claims still held become free for other workers.
    pub async fn close(&self) {
        self.store.close().await;
    }

    fn now_ms() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// Records the intent (before anything is sent). An order number already recorded with the
    /// same fingerprint is [`Recorded::Existing`]; with another, [`Recorded::Conflict`].
    pub async fn record_intent(&self, intent: &Intent) -> Result<Recorded, LedgerError> {
        Ok(self
            .record_intents(std::slice::from_ref(intent))
            .await?
            .pop()
            .unwrap_or(Recorded::Existing))
    }

    /// Records many intents in one transaction (a bulk file's chunk), in order.
    pub async fn record_intents(&self, intents: &[Intent]) -> Result<Vec<Recorded>, LedgerError> {
        let store = &self.store;
        let _turn = store.write_turn().await;
        let mut tx = store
            .pool
            .begin()
            .await
            .map_err(|e| store.db("recording intents", e))?;
        let now = Ledger::now_ms();
        let texts: Vec<String> = intents
            .iter()
            .map(|i| intent::canonical_text(i.data()))
            .collect();
        let mut out: Vec<Option<Recorded>> = intents.iter().map(|_| None).collect();
        // An order number given twice: its second intent is compared with the first.
        for round in send::rounds(intents.iter().map(Intent::out_trade_no)) {
            let round: Vec<(usize, &Intent, &str)> = round
                .into_iter()
                .filter_map(|i| Some((i, intents.get(i)?, texts.get(i)?.as_str())))
                .collect();
            let rows: Vec<(&Intent, &str)> = round.iter().map(|r| (r.1, r.2)).collect();
            let fresh = send::insert_payouts(&mut tx, &rows, now)
                .await
                .map_err(|e| store.db("recording an intent", e))?;
            for (i, intent, _) in round {
                let Some(slot) = out.get_mut(i) else { continue };
                if fresh.contains(intent.out_trade_no()) {
                    *slot = Some(Recorded::New);
                    continue;
                }
                let row = sqlx::query(concat!(record_select!(), " WHERE p.out_trade_no = $1"))
                    .bind(intent.out_trade_no())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| store.db("reading a recorded intent", e))?;
                let recorded = read_record(&row, &store.location)?;
                *slot = Some(if recorded.fingerprint == intent.fingerprint() {
                    Recorded::Existing
                } else {
                    Recorded::Conflict(Box::new(conflict(&recorded, intent)))
                });
            }
        }
        tx.commit()
            .await
            .map_err(|e| store.db("recording intents", e))?;
        Ok(out
            .into_iter()
            .map(|r| r.unwrap_or(Recorded::Existing))
            .collect())
    }

    /// The payout recorded under `out_trade_no`, with where it stands.
    pub async fn payout(&self, out_trade_no: &str) -> Result<Option<PayoutRecord>, LedgerError> {
        let row = sqlx::query(concat!(record_select!(), " WHERE p.out_trade_no = $1"))
            .bind(out_trade_no)
            .fetch_optional(&self.store.pool)
            .await
            .map_err(|e| self.store.db("reading a payout", e))?;
        row.as_ref()
            .map(|r| read_record(r, &self.store.location))
            .transpose()
    }

    /// The payouts recorded under `out_trade_nos` (missing ones are left out), in any order.
    pub async fn payouts_by_number(
        &self,
        out_trade_nos: &[String],
    ) -> Result<Vec<PayoutRecord>, LedgerError> {
        let mut out = Vec::with_capacity(out_trade_nos.len());
        for chunk in out_trade_nos.chunks(200) {
            let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            // Only `$n` placeholders are added to the constant text.
            let sql = format!(
                "{} WHERE p.out_trade_no IN ({})",
                record_select!(),
                params.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id.as_str());
            }
            let rows = query
                .fetch_all(&self.store.pool)
                .await
                .map_err(|e| self.store.db("reading payouts", e))?;
            for row in &rows {
                out.push(read_record(row, &self.store.location)?);
            }
        }
        Ok(out)
    }

    /// A page of recorded payouts in the order they were recorded: those after `after` (a
    /// position returned by the previous page, `0` to start), at most `limit`, of `batch` when
    /// given. Returns the page and the position to continue from.
    pub async fn list(
        &self,
        batch: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<(Vec<PayoutRecord>, i64), LedgerError> {
        let sql = match batch {
            Some(_) => concat!(
                record_select!(),
                " WHERE p.seq > $1 AND p.batch = $3 ORDER BY p.seq LIMIT $2"
            ),
            None => concat!(
                record_select!(),
                " WHERE p.seq > $1 ORDER BY p.seq LIMIT $2"
            ),
        };
        let mut query = sqlx::query(sql).bind(after).bind(i64::from(limit));
        if let Some(b) = batch {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.store.pool)
            .await
            .map_err(|e| self.store.db("listing payouts", e))?;
        let mut last = after;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            last = row.try_get::<i64, _>("seq").unwrap_or(last);
            out.push(read_record(row, &self.store.location)?);
        }
        Ok((out, last))
    }

    /// Every entry of the payout's history, oldest first.
    pub async fn history(&self, out_trade_no: &str) -> Result<Vec<Event>, LedgerError> {
        let rows = sqlx::query(
            "SELECT at, kind, source, status, sub_status, trade_no, effective, detail, worker FROM events WHERE out_trade_no = $1 ORDER BY id",
        )
        .bind(out_trade_no)
        .fetch_all(&self.store.pool)
        .await
        .map_err(|e| self.store.db("reading a history", e))?;
        rows.iter()
            .map(|row| {
                let get = |e: sqlx::Error| self.store.db("reading a history", e);
                Ok(Event {
                    at_ms: row.try_get("at").map_err(get)?,
                    kind: row.try_get("kind").map_err(get)?,
                    source: Source::parse(&row.try_get::<String, _>("source").map_err(get)?),
                    status: row.try_get("status").map_err(get)?,
                    sub_status: row.try_get("sub_status").map_err(get)?,
                    trade_no: row.try_get("trade_no").map_err(get)?,
                    effective: row.try_get::<i64, _>("effective").map_err(get)? == 1,
                    detail: row.try_get("detail").map_err(get)?,
                    worker: row.try_get("worker").map_err(get)?,
                })
            })
            .collect()
    }

    /// Payouts of another batch (or of none) recorded within `window` before now, to the same
    /// payee for the same amount and currency, whose order did not fail: paying `intent` too
    /// would likely pay that payee twice.
    pub async fn find_repeats(
        &self,
        intent: &Intent,
        window: Duration,
    ) -> Result<Vec<Repeat>, LedgerError> {
        Ok(self
            .find_repeats_many(std::slice::from_ref(intent), window)
            .await?
            .pop()
            .unwrap_or_default())
    }

    /// [`Ledger::find_repeats`] for many intents at once (a bulk file's chunk): one query per
    /// 200 payees. The result is in the order of `intents`.
    pub async fn find_repeats_many(
        &self,
        intents: &[Intent],
        window: Duration,
    ) -> Result<Vec<Vec<Repeat>>, LedgerError> {
        let since =
            Ledger::now_ms().saturating_sub(i64::try_from(window.as_millis()).unwrap_or(i64::MAX));
        let keys: Vec<String> = intents.iter().map(|i| i.payee().key()).collect();
        let mut found: Vec<(String, String, String, Repeat)> = Vec::new();
        for chunk in keys.chunks(200) {
            let params: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            // Only `$n` placeholders are added to the constant text.
            let sql = format!(
                "SELECT p.payee_key, p.currency, p.amount, p.out_trade_no, p.batch, p.created_at,
                  (SELECT e.status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status
                 FROM payouts p WHERE p.created_at >= $1 AND p.payee_key IN ({}) ORDER BY p.seq",
                params.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since);
            for key in chunk {
                query = query.bind(key.as_str());
            }
            let rows = query
                .fetch_all(&self.store.pool)
                .await
                .map_err(|e| self.store.db("looking for repeated payouts", e))?;
            for row in &rows {
                let get = |e: sqlx::Error| self.store.db("looking for repeated payouts", e);
                let status: Option<String> = row.try_get("status").map_err(get)?;
                if status.as_deref() == Some("FAILED") {
                    continue;
                }
                found.push((
                    row.try_get("payee_key").map_err(get)?,
                    row.try_get("currency").map_err(get)?,
                    row.try_get("amount").map_err(get)?,
                    Repeat {
                        out_trade_no: row.try_get("out_trade_no").map_err(get)?,
                        batch: row.try_get("batch").map_err(get)?,
                        created_ms: row.try_get("created_at").map_err(get)?,
                        status,
                    },
                ));
            }
        }
        Ok(intents
            .iter()
            .zip(&keys)
            .map(|(intent, key)| {
                let batch = intent.origin().batch.clone().unwrap_or_default();
                found
                    .iter()
                    .filter(|(k, currency, amount, r)| {
                        k == key
                            && currency == intent.currency()
                            && amount == intent.amount()
                            && r.out_trade_no != intent.out_trade_no()
                            && r.batch.clone().unwrap_or_default() != batch
                    })
                    .take(20)
                    .map(|(_, _, _, r)| r.clone())
                    .collect()
            })
            .collect())
    }

    /// Claims the payout for this worker. A claim held by a dead worker is taken over.
    pub async fn claim(&self, out_trade_no: &str) -> Result<Claim, LedgerError> {
        let store = &self.store;
        let _turn = store.write_turn().await;
        for _ in 0..8 {
            let inserted = sqlx::query(
                "INSERT INTO claims (out_trade_no, worker, at) VALUES ($1, $2, $3) ON CONFLICT (out_trade_no) DO NOTHING",
            )
            .bind(out_trade_no)
            .bind(store.worker.as_str())
            .bind(Ledger::now_ms())
            .execute(&store.pool)
            .await
            .map_err(|e| store.db("claiming a payout", e))?;
            if inserted.rows_affected() == 1 {
                return Ok(Claim::Mine);
            }
            let holder: Option<String> =
                sqlx::query("SELECT worker FROM claims WHERE out_trade_no = $1")
                    .bind(out_trade_no)
                    .fetch_optional(&store.pool)
                    .await
                    .map_err(|e| store.db("claiming a payout", e))?
                    .map(|row| row.try_get::<String, _>(0))
                    .transpose()
                    .map_err(|e| store.db("claiming a payout", e))?;
            let Some(holder) = holder else { continue };
            if holder == store.worker {
                return Ok(Claim::Mine);
            }
            if store.is_alive(&holder).await? {
                return Ok(Claim::Busy(holder));
            }
            let taken = sqlx::query(
                "UPDATE claims SET worker = $1, at = $2 WHERE out_trade_no = $3 AND worker = $4",
            )
            .bind(store.worker.as_str())
            .bind(Ledger::now_ms())
            .bind(out_trade_no)
            .bind(holder.as_str())
            .execute(&store.pool)
            .await
            .map_err(|e| store.db("taking over a claim", e))?;
            if taken.rows_affected() == 1 {
                tracing::info!(
                    out_trade_no,
                    dead_worker = holder.as_str(),
                    "took over the claim of a worker that is gone"
                );
                return Ok(Claim::Mine);
            }
        }
        Err(LedgerError::Database {
            location: store.location.clone(),
            context: "claiming a payout",
            message: "the claim kept changing hands".into(),
        })
    }

    /// Gives up this worker's claim on the payout.
    pub async fn release(&self, out_trade_no: &str) -> Result<(), LedgerError> {
        let _turn = self.store.write_turn().await;
        sqlx::query("DELETE FROM claims WHERE out_trade_no = $1 AND worker = $2")
            .bind(out_trade_no)
            .bind(self.store.worker.as_str())
            .execute(&self.store.pool)
            .await
            .map_err(|e| self.store.db("releasing a claim", e))?;
        Ok(())
    }

    async fn append(
        &self,
        out_trade_no: &str,
        kind: &str,
        detail: Option<String>,
    ) -> Result<(), LedgerError> {
        let _turn = self.store.write_turn().await;
        sqlx::query(
            "INSERT INTO events (out_trade_no, at, kind, source, effective, detail, worker) VALUES ($1, $2, $3, 'ledger', 0, $4, $5)",
        )
        .bind(out_trade_no)
        .bind(Ledger::now_ms())
        .bind(kind)
        .bind(detail)
        .bind(self.store.worker.as_str())
        .execute(&self.store.pool)
        .await
        .map_err(|e| self.store.db("appending to a history", e))?;
        Ok(())
    }

    /// Records the intent, refusing one whose `outTradeNo` is recorded for another payout
    /// (nothing is sent), then sends it if no order is recorded yet (as
    /// [`Ledger::pay_recorded`]). The intent, the claim and the `send` entry are committed in
    /// one transaction before the request leaves; the outcome and the release in one after.
    /// Sends that wait at the same moment share those transactions (each still gets its own
    /// answer); a second `pay` of a payout this process is already sending waits for the
    /// first to end, then finds its order.
    pub async fn pay(
        &self,
        client: &Client,
        api: &PayoutApi,
        intent: &Intent,
    ) -> Result<Paid, LedgerError> {
        self.pay_inner(client, api, Some(intent), intent.out_trade_no(), &|_| {})
            .await
    }

    /// Sends the recorded payout `out_trade_no`, exactly as recorded, unless an order is
    /// already recorded for it: claim and append `send` (one commit),
    /// [`Client::pay_idempotent_observed`], append the outcome and release (one commit).
    /// `observe` hears of long waits and resends.
    pub async fn pay_recorded(
        &self,
        client: &Client,
        api: &PayoutApi,
        out_trade_no: &str,
        observe: &(dyn Fn(PayEvent) + Send + Sync),
    ) -> Result<Paid, LedgerError> {
        self.pay_inner(client, api, None, out_trade_no, observe)
            .await
    }

    async fn pay_inner(
        &self,
        client: &Client,
        api: &PayoutApi,
        intent: Option<&Intent>,
        out_trade_no: &str,
        observe: &(dyn Fn(PayEvent) + Send + Sync),
    ) -> Result<Paid, LedgerError> {
        let _flight = self.flights.enter(out_trade_no).await;
        let send = match self.sends.begin(&self.store, intent, out_trade_no).await? {
            Begun::Known(paid) => return Ok(paid),
            Begun::Send(send) => send,
        };
        let raw = RawValue::from_string(send.data).map_err(|e| LedgerError::Corrupt {
            location: self.store.location.clone(),
            problem: format!("the recorded data of {out_trade_no} is not JSON: {e}"),
        })?;
        let outcome = client
            .pay_idempotent_observed(api.calls, &*raw, api.errors, observe)
            .await;
        let (ending, result) = match outcome {
            Ok(o)
                if o.resolved_by == ResolvedBy::Repeat
                    && o.attempts == 1
                    && send.prior_sends == 0 =>
            {
                let obs = Observation::from_data(&o.data);
                let found = format!(
                    "{} {}",
                    obs.currency.clone().unwrap_or_else(|| "?".into()),
                    obs.amount.clone().unwrap_or_else(|| "?".into())
                );
                let error = LedgerError::ForeignOrder {
                    out_trade_no: out_trade_no.to_owned(),
                    found,
                    status: o.status.clone(),
                    order: Box::new(obs),
                };
                (Ending::Error(error.to_string()), Err(error))
            }
            Ok(o) => {
                let source = match o.resolved_by {
                    ResolvedBy::Placed => Source::Answer,
                    ResolvedBy::Repeat | ResolvedBy::Inquiry => Source::Inquiry,
                };
                let mut obs = Observation::from_data(&o.data);
                obs.out_trade_no = out_trade_no.to_owned();
                if obs.status.is_none() {
                    obs.status = Some(o.status.clone());
                }
                let by = if o.resolved_by == ResolvedBy::Placed {
                    PaidBy::Placed
                } else {
                    PaidBy::FoundByInquiry
                };
                let paid = Paid {
                    out_trade_no: out_trade_no.to_owned(),
                    status: o.status.clone(),
                    trade_no: obs.trade_no.clone().or(o.trade_no.clone()),
                    by,
                };
                (Ending::Status(obs, source), Ok(paid))
            }
            Err(Error::OrderConflict {
                found,
                status,
                sent,
                ..
            }) => {
                let error = LedgerError::OrderConflict {
                    out_trade_no: out_trade_no.to_owned(),
                    found,
                    status,
                    recorded: sent,
                };
                (Ending::Error(error.to_string()), Err(error))
            }
            Err(e) => (
                Ending::Error(one_line(&e.to_string())),
                Err(LedgerError::Payout {
                    out_trade_no: out_trade_no.to_owned(),
                    source: e,
                }),
            ),
        };
        let current = self.sends.end(&self.store, out_trade_no, ending).await?;
        match (result, current) {
            // The status recorded is the lifecycle's verdict (a late PENDING after a known
            // final status keeps the final one).
            (Ok(mut paid), Some(current)) => {
                paid.status = current;
                Ok(paid)
            }
            (result, _) => result,
        }
    }

    /// Appends a status seen for a payout (from `source`) and decides whether it becomes the
    /// current status: the lifecycle's rules ([`payermax_runtime::OrderView::apply`]) refuse
    /// impossible moves (`FAILED` → `SUCCESS`) and another amount or currency than recorded;
    /// a refused status is kept in the history as an `anomaly`.
    pub async fn observe(
        &self,
        obs: &Observation,
        source: Source,
    ) -> Result<StatusChange, LedgerError> {
        let store = &self.store;
        if obs.status.is_none() {
            return Ok(StatusChange::NoStatus);
        }
        let db = |e: sqlx::Error| store.db("recording a status", e);
        let _turn = store.write_turn().await;
        let mut tx = store.pool.begin().await.map_err(db)?;
        let lock = store.write_lock_sql(true);
        let mut q = sqlx::query(lock);
        if lock.contains("$1") {
            q = q.bind(obs.out_trade_no.as_str());
        }
        q.execute(&mut *tx).await.map_err(db)?;
        let states = send::read_states(&mut tx, store, &[obs.out_trade_no.as_str()], false)
            .await
            .map_err(db)?;
        let (change, row) =
            send::status_event(states.get(&obs.out_trade_no), obs, source, Ledger::now_ms());
        if let Some(row) = row {
            send::insert_events(&mut tx, store, &[row])
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(change)
    }

    /// Records an order PayerMax already had under a recorded payout's number as that payout's
    /// ([`LedgerError::ForeignOrder`]'s `order`), when its amount and currency are the
    /// recorded ones. For orders placed before the ledger existed (files paid by older
    /// versions): the payee cannot be compared, so only adopt orders known to be this payout.
    pub async fn adopt(&self, order: &Observation) -> Result<StatusChange, LedgerError> {
        let record =
            self.payout(&order.out_trade_no)
                .await?
                .ok_or_else(|| LedgerError::NotRecorded {
                    out_trade_no: order.out_trade_no.clone(),
                })?;
        let same = order
            .amount
            .as_deref()
            .is_some_and(|a| payermax_runtime::notify::same_amount(a, &record.amount))
            && order
                .currency
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&record.currency));
        if !same {
            return Err(LedgerError::OrderConflict {
                out_trade_no: record.out_trade_no.clone(),
                found: format!(
                    "{} {}",
                    order.currency.as_deref().unwrap_or("?"),
                    order.amount.as_deref().unwrap_or("?")
                ),
                status: order.status.clone().unwrap_or_default(),
                recorded: format!("{} {}", record.currency, record.amount),
            });
        }
        self.append(
            &record.out_trade_no,
            "adopt",
            Some("an order placed before this ledger sent it, adopted".into()),
        )
        .await?;
        self.observe(order, Source::Inquiry).await
    }

    /// Applies a verified notification's `data` (`Client::verify_notification` first: the
    /// ledger trusts what it is given). A notification for an order number the ledger does not
    /// hold is reported, not recorded.
    pub async fn apply_notification(
        &self,
        data: &Value,
    ) -> Result<NotificationReport, LedgerError> {
        let obs = Observation::from_data(data);
        let change = self.observe(&obs, Source::Notification).await?;
        Ok(NotificationReport {
            out_trade_no: obs.out_trade_no,
            change,
        })
    }

    /// Queries PayerMax for every sent payout whose status is not settled (no order known, or
    /// `PENDING`) and was last seen more than `older_than` ago, and records what it says.
    pub async fn refresh(
        &self,
        client: &Client,
        api: &PayoutApi,
        older_than: Duration,
        batch: Option<&str>,
    ) -> Result<RefreshReport, LedgerError> {
        let cutoff = Ledger::now_ms()
            .saturating_sub(i64::try_from(older_than.as_millis()).unwrap_or(i64::MAX));
        let mut report = RefreshReport::default();
        let mut after = 0;
        loop {
            let (page, next) = self.list(batch, after, 500).await?;
            if page.is_empty() {
                break;
            }
            after = next;
            for record in page {
                if record.is_settled() || record.sends == 0 {
                    continue;
                }
                let seen = record.status_ms.unwrap_or(record.created_ms);
                if seen > cutoff {
                    continue;
                }
                report.checked += 1;
                let query = serde_json::json!({ "outTradeNo": record.out_trade_no });
                match client
                    .call_idempotent::<Value, Value>(api.calls.query, &query, api.errors)
                    .await
                {
                    Ok(data) => {
                        let mut obs = Observation::from_data(&data);
                        obs.out_trade_no = record.out_trade_no.clone();
                        let change = self.observe(&obs, Source::Inquiry).await?;
                        report.record(&record, change);
                    }
                    Err(e) if e.code() == Some(payermax_runtime::error::ORDER_NOT_EXIST) => {
                        report.not_found.push(record.out_trade_no.clone());
                    }
                    Err(e) => report
                        .errors
                        .push((record.out_trade_no.clone(), one_line(&e.to_string()))),
                }
            }
        }
        Ok(report)
    }

    /// Compares one of PayerMax's orders (a batch query row: the order's `data`) with the
    /// ledger and adds what it finds to `report`: an order the ledger lacks, or a status that
    /// differs (then recorded as seen by the batch query, by the lifecycle's rules). Feed it
    /// every row of a time range (the facade's `reconcile` does, from the batch query stream).
    pub async fn reconcile_order(
        &self,
        report: &mut ReconcileReport,
        order: &Value,
    ) -> Result<(), LedgerError> {
        report.seen += 1;
        let obs = Observation::from_data(order);
        let Some(record) = self.payout(&obs.out_trade_no).await? else {
            report.missing_from_ledger.push(RemoteOrder::from(&obs));
            return Ok(());
        };
        let theirs = obs.status.clone().unwrap_or_default();
        if record.status.as_deref() == Some(theirs.as_str()) {
            report.matched += 1;
            return Ok(());
        }
        let change = self.observe(&obs, Source::BatchQuery).await?;
        report.status_differs.push(StatusDiff {
            out_trade_no: record.out_trade_no.clone(),
            ledger: record.status.clone(),
            payermax: theirs,
            change,
        });
        Ok(())
    }
}

fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

impl IntentConflict {
    /// The conflict between what the ledger recorded under an order number and an intent
    /// offered under the same number with another fingerprint.
    pub fn between(recorded: &PayoutRecord, offered: &Intent) -> IntentConflict {
        conflict(recorded, offered)
    }
}

fn conflict(recorded: &PayoutRecord, offered: &Intent) -> IntentConflict {
    let origin = offered.origin();
    let offered_origin = PayoutRecord {
        batch: origin.batch.clone(),
        source_file: origin.file.clone(),
        source_line: origin.line,
        ..recorded.clone()
    }
    .origin();
    IntentConflict {
        out_trade_no: recorded.out_trade_no.clone(),
        recorded: IntentSummary {
            amount: format!("{} {}", recorded.currency, recorded.amount),
            payee: recorded.payee.clone(),
            origin: recorded.origin(),
        },
        offered: IntentSummary {
            amount: format!("{} {}", offered.currency(), offered.amount()),
            payee: offered.payee().to_string(),
            origin: offered_origin,
        },
        status: recorded.status.clone(),
        sends: recorded.sends,
    }
}

fn read_record(row: &AnyRow, location: &str) -> Result<PayoutRecord, LedgerError> {
    let bad = |e: sqlx::Error| LedgerError::Database {
        location: location.to_owned(),
        context: "reading a payout",
        message: e.to_string(),
    };
    let data_text: String = row.try_get("data").map_err(bad)?;
    let out_trade_no: String = row.try_get("out_trade_no").map_err(bad)?;
    let data = serde_json::from_str(&data_text).map_err(|e| LedgerError::Corrupt {
        location: location.to_owned(),
        problem: format!("the recorded data of {out_trade_no} is not JSON: {e}"),
    })?;
    Ok(PayoutRecord {
        out_trade_no,
        fingerprint: row.try_get("fingerprint").map_err(bad)?,
        payee: row.try_get("payee").map_err(bad)?,
        amount: row.try_get("amount").map_err(bad)?,
        currency: row.try_get("currency").map_err(bad)?,
        data,
        batch: row.try_get("batch").map_err(bad)?,
        source_file: row.try_get("source_file").map_err(bad)?,
        source_line: row
            .try_get::<Option<i64>, _>("source_line")
            .map_err(bad)?
            .and_then(|l| u64::try_from(l).ok()),
        created_ms: row.try_get("created_at").map_err(bad)?,
        status: row.try_get("status").map_err(bad)?,
        sub_status: row.try_get("sub_status").map_err(bad)?,
        status_ms: row.try_get("status_at").map_err(bad)?,
        status_source: row
            .try_get::<Option<String>, _>("status_source")
            .map_err(bad)?
            .map(|s| Source::parse(&s)),
        trade_no: row.try_get("trade_no").map_err(bad)?,
        sends: u32::try_from(row.try_get::<i64, _>("sends").map_err(bad)?).unwrap_or(u32::MAX),
        last_error: row.try_get("last_error").map_err(bad)?,
        claimed_by: row.try_get("claimed_by").map_err(bad)?,
    })
}
