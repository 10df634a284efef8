//! The two transactions of a send, shared by the sends that wait at the same moment.
//!
//! Every send writes twice: before its request leaves (the intent when new, the claim, the
//! `send` entry) and after (the outcome, the release). Written one send at a time, each of
//! those transactions is a handful of statements, each a hop to the connection's thread, and
//! an SQLite ledger has one writer: the sends queue behind one another and the ledger, not
//! the network or the signing, sets the pace. So concurrent sends *combine*: a send puts its
//! step in a queue; whoever gets the turn takes everything queued and writes it in one
//! transaction of a few multi-row statements, then hands each send its own answer.
//!
//! Write-ahead still holds for each send: it learns that it may send only from the answer of
//! a committed batch that holds its `send` entry. A batch that fails (a database error) fails
//! every step in it, and nothing of it is written.
//!
//! The same statements serve the one-at-a-time paths ([`crate::Ledger::record_intents`],
//! [`crate::Ledger::observe`]): a payout's row, its history and the lifecycle's verdict are
//! read and written in one place.

use crate::error::LedgerError;
use crate::intent::{self, Intent};
use crate::record::Source;
use crate::reports::{self, Observation, StatusChange};
use crate::store::{Backend, Store};
use crate::{Ledger, Paid, PaidBy};
// Every dynamic statement here is literal text plus numbered placeholders; values are bound.
use sqlx::{AssertSqlSafe, Row as _};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError};
use tokio::sync::oneshot;

/// At most this many steps are written in one transaction (keeps every statement's
/// parameters well under SQLite's and PostgreSQL's limits).
const MAX_BATCH: usize = 256;

/// The payouts this process is sending, one send at a time each: a second `pay` of a payout
/// already under way in this process waits for the first to end (and then finds its order),
/// instead of sending beside it. Beside it, whichever request reached PayerMax second would be
/// answered `ORDER_REPEAT` on its ledger's first send, which reads as an order this ledger
/// never placed.
#[derive(Default)]
pub(crate) struct Flights {
    map: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// A payout being sent by this process; over when dropped (also when its caller stops waiting).
pub(crate) struct Flight {
    flights: Arc<Flights>,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Flights {
    /// Waits until no other send of `key` is under way in this process, then starts one.
    pub async fn enter(self: &Arc<Self>, key: &str) -> Flight {
        let lock = self
            .map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.to_owned())
            .or_default()
            .clone();
        let guard = lock.clone().lock_owned().await;
        Flight {
            flights: self.clone(),
            key: key.to_owned(),
            lock,
            guard: Some(guard),
        }
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut map = self
            .flights
            .map
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // The map's and this one's: nobody else waits (clones are made under the map's lock).
        if Arc::strong_count(&self.lock) == 2 {
            map.remove(&self.key);
        }
    }
}

/// What the first transaction of a send found.
pub(crate) enum Begun {
    /// An order is recorded already.
    Known(Paid),
    /// Claimed, and the send is on record: send this.
    Send(SendJob),
}

pub(crate) struct SendJob {
    pub data: String,
    pub prior_sends: u32,
}

/// How a send ended, for the second transaction.
pub(crate) enum Ending {
    Status(Observation, Source),
    Error(String),
}

/// One step of one send, with where its answer goes.
enum Step {
    /// The first transaction: record `intent` when given, claim, append `send`.
    Begin {
        intent: Option<Box<Intent>>,
        out_trade_no: String,
        reply: oneshot::Sender<Result<Begun, LedgerError>>,
    },
    /// The second: append the outcome, release the claim; answers the current status.
    End {
        out_trade_no: String,
        ending: Ending,
        reply: oneshot::Sender<Result<Option<String>, LedgerError>>,
    },
}

impl Step {
    fn key(&self) -> &str {
        match self {
            Step::Begin { out_trade_no, .. } | Step::End { out_trade_no, .. } => out_trade_no,
        }
    }
}

/// A step's answer.
enum Answer {
    Begun(Result<Begun, LedgerError>),
    Ended(Result<Option<String>, LedgerError>),
}

impl Answer {
    fn deliver(self, step: Step) {
        // A receiver gone is a caller that stopped waiting: its step is written all the same.
        match (step, self) {
            (Step::Begin { reply, .. }, Answer::Begun(answer)) => {
                let _ = reply.send(answer);
            }
            (Step::End { reply, .. }, Answer::Ended(answer)) => {
                let _ = reply.send(answer);
            }
            // Not built: answers are made from their steps.
            _ => {}
        }
    }
}

/// The queue of steps waiting to be written, and the turn to write them.
pub(crate) struct Combiner {
    queue: std::sync::Mutex<Vec<Step>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Combiner {
    pub fn new() -> Combiner {
        Combiner {
            queue: std::sync::Mutex::new(Vec::new()),
            turn: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The first transaction of a send (in the next batch).
    pub async fn begin(
        &self,
        store: &Arc<Store>,
        intent: Option<&Intent>,
        out_trade_no: &str,
    ) -> Result<Begun, LedgerError> {
        let (reply, answer) = oneshot::channel();
        let step = Step::Begin {
            intent: intent.map(|i| Box::new(i.clone())),
            out_trade_no: out_trade_no.to_owned(),
            reply,
        };
        self.run(store, step, answer, "starting a send").await
    }

    /// The second transaction of a send (in the next batch); the payout's status after it.
    pub async fn end(
        &self,
        store: &Arc<Store>,
        out_trade_no: &str,
        ending: Ending,
    ) -> Result<Option<String>, LedgerError> {
        let (reply, answer) = oneshot::channel();
        let step = Step::End {
            out_trade_no: out_trade_no.to_owned(),
            ending,
            reply,
        };
        self.run(store, step, answer, "recording an outcome").await
    }

    async fn run<T>(
        &self,
        store: &Arc<Store>,
        step: Step,
        mut answer: oneshot::Receiver<Result<T, LedgerError>>,
        context: &'static str,
    ) -> Result<T, LedgerError> {
        let abandoned = || LedgerError::Database {
            location: store.location.clone(),
            context,
            message: "the ledger's writer stopped before answering".into(),
        };
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(step);
        tokio::select! {
            biased;
            done = &mut answer => return done.unwrap_or_else(|_| Err(abandoned())),
            turn = self.turn.clone().lock_owned() => {
                let batch: Vec<Step> = {
                    let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                    let take = queue.len().min(MAX_BATCH);
                    queue.drain(..take).collect()
                };
                if !batch.is_empty() {
                    let store = store.clone();
                    // A task of its own: a caller that stops waiting (a dropped future) does
                    // not abandon the other steps of the batch half-written.
                    tokio::spawn(async move {
                        write_batch(&store, batch).await;
                        drop(turn);
                    });
                }
            }
        }
        answer.await.unwrap_or_else(|_| Err(abandoned()))
    }
}

async fn write_batch(store: &Store, steps: Vec<Step>) {
    let mut deadlocks = 0;
    let answers = loop {
        match write(store, &steps).await {
            Ok(answers) => break answers,
            // Two processes' batches on PostgreSQL can wait on each other's rows; the server
            // aborts one, which is retried (nothing of it was written).
            Err(e) if deadlocks < 3 && is_deadlock(&e) => deadlocks += 1,
            Err(e) => {
                let message = e.to_string();
                break steps
                    .iter()
                    .map(|s| failed(s, &store.location, &message))
                    .collect();
            }
        }
    };
    for (step, answer) in steps.into_iter().zip(answers) {
        answer.deliver(step);
    }
}

/// The answer of a step whose batch failed.
fn failed(step: &Step, location: &str, message: &str) -> Answer {
    let error = |context| LedgerError::Database {
        location: location.to_owned(),
        context,
        message: message.to_owned(),
    };
    match step {
        Step::Begin { .. } => Answer::Begun(Err(error("starting a send"))),
        Step::End { .. } => Answer::Ended(Err(error("recording an outcome"))),
    }
}

fn is_deadlock(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "40P01" || code == "40001")
}

/// Writes every step in one transaction; answers in the steps' order.
async fn write(store: &Store, steps: &[Step]) -> Result<Vec<Answer>, sqlx::Error> {
    let _turn = store.write_turn().await;
    let mut tx = store.pool.begin().await?;
    if store.backend == Backend::Sqlite {
        sqlx::query(store.write_lock_sql(false))
            .execute(&mut *tx)
            .await?;
    }
    let now = Ledger::now_ms();
    let mut answers: Vec<Option<Answer>> = steps.iter().map(|_| None).collect();
    for mut round in rounds(steps.iter().map(Step::key)) {
        // In key order, so that two processes' transactions lock rows in one order.
        round.sort_by_key(|&i| steps.get(i).map(Step::key));
        let mut begins = Vec::new();
        let mut ends = Vec::new();
        for (i, step) in round.into_iter().filter_map(|i| Some((i, steps.get(i)?))) {
            match step {
                Step::Begin {
                    intent,
                    out_trade_no,
                    ..
                } => begins.push((i, intent.as_deref(), out_trade_no.as_str())),
                Step::End {
                    out_trade_no,
                    ending,
                    ..
                } => ends.push((i, out_trade_no.as_str(), ending)),
            }
        }
        let ended = end_round(&mut tx, store, &ends, now).await?;
        let begun = begin_round(&mut tx, store, &begins, now).await?;
        let found = ended
            .into_iter()
            .map(|(i, a)| (i, Answer::Ended(a)))
            .chain(begun.into_iter().map(|(i, a)| (i, Answer::Begun(a))));
        for (i, answer) in found {
            if let Some(slot) = answers.get_mut(i) {
                *slot = Some(answer);
            }
        }
    }
    tx.commit().await?;
    Ok(answers
        .into_iter()
        .zip(steps)
        .map(|(answer, step)| {
            answer.unwrap_or_else(|| failed(step, &store.location, "the step was not written"))
        })
        .collect())
}

/// Splits positions into rounds in which every key occurs once: a key's first step goes to
/// the first round, its second to the second, and so on; each round keeps the given order.
pub(crate) fn rounds<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<Vec<usize>> {
    let keys: Vec<&str> = keys.collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut rounds: Vec<Vec<usize>> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let n = seen.entry(key).or_insert(0);
        match rounds.get_mut(*n) {
            Some(round) => round.push(i),
            None => rounds.push(vec![i]),
        }
        *n += 1;
    }
    rounds
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// `($first, …, $first+cols-1), (…)` for `rows` rows.
fn values(first: usize, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(first + r * cols + c).to_string());
        }
        out.push(')');
    }
    out
}

/// `($first, …)` for `n` values.
fn in_list(first: usize, n: usize) -> String {
    values(first, 1, n)
}

/// Inserts the intents not recorded yet (each with its canonical data text); returns the
/// order numbers inserted now. Keys must be distinct.
pub(crate) async fn insert_payouts(
    tx: &mut Tx,
    rows: &[(&Intent, &str)],
    now: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let mut fresh = HashSet::new();
    for chunk in rows.chunks(MAX_BATCH) {
        let sql = format!(
            "INSERT INTO payouts (out_trade_no, fingerprint, payee_key, payee, amount, currency, data, batch, source_file, source_line, created_at) VALUES {} ON CONFLICT (out_trade_no) DO NOTHING RETURNING out_trade_no",
            values(1, chunk.len(), 11)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (intent, text) in chunk {
            let origin = intent.origin();
            q = q
                .bind(intent.out_trade_no().to_owned())
                .bind(intent.fingerprint().to_owned())
                .bind(intent.payee().key())
                .bind(intent.payee().to_string())
                .bind(intent.amount().to_owned())
                .bind(intent.currency().to_owned())
                .bind((*text).to_owned())
                .bind(origin.batch.clone())
                .bind(origin.file.clone())
                .bind(origin.line.and_then(|l| i64::try_from(l).ok()))
                .bind(now);
        }
        for row in q.fetch_all(&mut **tx).await? {
            fresh.insert(row.try_get::<String, _>(0)?);
        }
    }
    Ok(fresh)
}

/// One history entry to append.
pub(crate) struct EventRow {
    pub out_trade_no: String,
    pub at: i64,
    pub kind: &'static str,
    pub source: Source,
    pub status: Option<String>,
    pub sub_status: Option<String>,
    pub trade_no: Option<String>,
    pub effective: bool,
    pub detail: Option<String>,
}

impl EventRow {
    fn ledger(out_trade_no: &str, at: i64, kind: &'static str, detail: String) -> EventRow {
        EventRow {
            out_trade_no: out_trade_no.to_owned(),
            at,
            kind,
            source: Source::Ledger,
            status: None,
            sub_status: None,
            trade_no: None,
            effective: false,
            detail: Some(detail),
        }
    }
}

/// Appends history entries (as this worker).
pub(crate) async fn insert_events(
    tx: &mut Tx,
    store: &Store,
    rows: &[EventRow],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(MAX_BATCH) {
        let sql = format!(
            "INSERT INTO events (out_trade_no, at, kind, source, status, sub_status, trade_no, effective, detail, worker) VALUES {}",
            values(1, chunk.len(), 10)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            q = q
                .bind(row.out_trade_no.as_str())
                .bind(row.at)
                .bind(row.kind)
                .bind(row.source.as_str())
                .bind(row.status.as_deref())
                .bind(row.sub_status.as_deref())
                .bind(row.trade_no.as_deref())
                .bind(i32::from(row.effective))
                .bind(row.detail.as_deref())
                .bind(store.worker.as_str());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// What the lifecycle needs of a recorded payout: its trade and its current status.
pub(crate) struct PayoutState {
    amount: String,
    currency: String,
    current: Option<(String, Option<String>)>,
}

/// The state of each recorded payout among `keys` (distinct); on PostgreSQL with `lock`,
/// their rows are locked for the transaction.
pub(crate) async fn read_states(
    tx: &mut Tx,
    store: &Store,
    keys: &[&str],
    lock: bool,
) -> Result<HashMap<String, PayoutState>, sqlx::Error> {
    let mut states = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(MAX_BATCH) {
        let sql = format!(
            "SELECT p.out_trade_no, p.amount, p.currency,
              (SELECT e.status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status,
              (SELECT e.sub_status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS sub_status
             FROM payouts p WHERE p.out_trade_no IN {}{}",
            in_list(1, chunk.len()),
            locking(store, lock)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for key in chunk {
            q = q.bind(*key);
        }
        for row in q.fetch_all(&mut **tx).await? {
            let current = row
                .try_get::<Option<String>, _>("status")?
                .map(|status| row.try_get("sub_status").map(|sub| (status, sub)))
                .transpose()?;
            states.insert(
                row.try_get("out_trade_no")?,
                PayoutState {
                    amount: row.try_get("amount")?,
                    currency: row.try_get("currency")?,
                    current,
                },
            );
        }
    }
    Ok(states)
}

fn locking(store: &Store, lock: bool) -> &'static str {
    if lock && store.backend == Backend::Postgres {
        " ORDER BY p.out_trade_no FOR UPDATE OF p"
    } else {
        ""
    }
}

/// The lifecycle's verdict on a status seen for a payout in `state`, and the entry that
/// records it (none without a status or a recorded payout).
pub(crate) fn status_event(
    state: Option<&PayoutState>,
    obs: &Observation,
    source: Source,
    now: i64,
) -> (StatusChange, Option<EventRow>) {
    let Some(status) = obs.status.clone() else {
        return (StatusChange::NoStatus, None);
    };
    let Some(state) = state else {
        return (StatusChange::UnknownPayout, None);
    };
    let change = reports::decide(
        state.current.clone(),
        &state.amount,
        &state.currency,
        obs,
        &status,
    );
    let (kind, effective, detail) = match &change {
        StatusChange::Refused(why) => ("anomaly", false, Some(why.clone())),
        StatusChange::Duplicate | StatusChange::Stale { .. } => ("status", false, None),
        _ => ("status", true, None),
    };
    let row = EventRow {
        out_trade_no: obs.out_trade_no.clone(),
        at: now,
        kind,
        source,
        status: Some(status),
        sub_status: obs.sub_status.clone(),
        trade_no: obs.trade_no.clone(),
        effective,
        detail,
    };
    (change, Some(row))
}

/// The second transaction of each send in the round: the outcome appended, the claim
/// released; answers the payout's current status after it.
async fn end_round(
    tx: &mut Tx,
    store: &Store,
    ends: &[(usize, &str, &Ending)],
    now: i64,
) -> Result<Vec<(usize, Result<Option<String>, LedgerError>)>, sqlx::Error> {
    if ends.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<&str> = ends.iter().map(|e| e.1).collect();
    let states = read_states(tx, store, &keys, true).await?;
    let mut rows = Vec::with_capacity(ends.len());
    let mut out = Vec::with_capacity(ends.len());
    for &(i, key, ending) in ends {
        let current = match ending {
            Ending::Status(obs, source) => {
                let state = states.get(key);
                let (change, row) = status_event(state, obs, *source, now);
                rows.extend(row);
                match change {
                    StatusChange::First(s) | StatusChange::Updated { to: s, .. } => Some(s),
                    StatusChange::Reversal { .. } => Some("BOUNCEBACK".to_owned()),
                    StatusChange::Stale { current } => Some(current),
                    _ => state.and_then(|s| s.current.as_ref().map(|c| c.0.clone())),
                }
            }
            Ending::Error(detail) => {
                rows.push(EventRow::ledger(key, now, "error", detail.clone()));
                None
            }
        };
        out.push((i, Ok(current)));
    }
    insert_events(tx, store, &rows).await?;
    for chunk in keys.chunks(MAX_BATCH) {
        let sql = format!(
            "DELETE FROM claims WHERE worker = $1 AND out_trade_no IN {}",
            in_list(2, chunk.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(store.worker.as_str());
        for key in chunk {
            q = q.bind(*key);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(out)
}

/// Claims for this worker (keys distinct); returns those claimed now.
async fn insert_claims(
    tx: &mut Tx,
    store: &Store,
    keys: &[&str],
    now: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let mut claimed = HashSet::new();
    for chunk in keys.chunks(MAX_BATCH) {
        let sql = format!(
            "INSERT INTO claims (out_trade_no, worker, at) VALUES {} ON CONFLICT (out_trade_no) DO NOTHING RETURNING out_trade_no",
            values(1, chunk.len(), 3)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for key in chunk {
            q = q.bind(*key).bind(store.worker.as_str()).bind(now);
        }
        for row in q.fetch_all(&mut **tx).await? {
            claimed.insert(row.try_get::<String, _>(0)?);
        }
    }
    Ok(claimed)
}

type Begin<'a> = (usize, Option<&'a Intent>, &'a str);

/// The first transaction of each send in the round: the intent (when given and new), the
/// claim and the `send` entry; or what is already known.
async fn begin_round(
    tx: &mut Tx,
    store: &Store,
    begins: &[Begin<'_>],
    now: i64,
) -> Result<Vec<(usize, Result<Begun, LedgerError>)>, sqlx::Error> {
    let mut out = Vec::with_capacity(begins.len());
    if begins.is_empty() {
        return Ok(out);
    }
    let texts: Vec<Option<String>> = begins
        .iter()
        .map(|b| b.1.map(|i| intent::canonical_text(i.data())))
        .collect();
    let new: Vec<(&Intent, &str)> = begins
        .iter()
        .zip(&texts)
        .filter_map(|(b, t)| Some((b.1?, t.as_deref()?)))
        .collect();
    let fresh = insert_payouts(tx, &new, now).await?;
    let mut sends = Vec::with_capacity(begins.len());
    // Recorded just now: no order, no claim, no send can exist yet.
    let mut claims = Vec::new();
    let mut recorded_before = Vec::new();
    for (b, text) in begins.iter().zip(texts) {
        if fresh.contains(b.2) {
            claims.push(b.2);
            sends.push(EventRow::ledger(b.2, now, "send", "send 1".into()));
            let job = SendJob {
                data: text.unwrap_or_default(),
                prior_sends: 0,
            };
            out.push((b.0, Ok(Begun::Send(job))));
        } else {
            recorded_before.push(*b);
        }
    }
    insert_claims(tx, store, &claims, now).await?;
    let mut to_claim = Vec::new();
    for chunk in recorded_before.chunks(MAX_BATCH) {
        let sql = format!(
            "SELECT p.out_trade_no, p.fingerprint, p.data,
              (SELECT e.status FROM events e WHERE e.out_trade_no = p.out_trade_no AND e.effective = 1 ORDER BY e.id DESC LIMIT 1) AS status,
              (SELECT t.trade_no FROM events t WHERE t.out_trade_no = p.out_trade_no AND t.trade_no IS NOT NULL ORDER BY t.id DESC LIMIT 1) AS trade_no,
              (SELECT COUNT(*) FROM events s WHERE s.out_trade_no = p.out_trade_no AND s.kind = 'send') AS sends
             FROM payouts p WHERE p.out_trade_no IN {}{}",
            in_list(1, chunk.len()),
            locking(store, true)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in chunk {
            q = q.bind(b.2);
        }
        let mut found: HashMap<String, sqlx::any::AnyRow> = HashMap::new();
        for row in q.fetch_all(&mut **tx).await? {
            found.insert(row.try_get("out_trade_no")?, row);
        }
        for &(i, intent, key) in chunk {
            let Some(row) = found.remove(key) else {
                let error = LedgerError::NotRecorded {
                    out_trade_no: key.to_owned(),
                };
                out.push((i, Err(error)));
                continue;
            };
            let fingerprint: String = row.try_get("fingerprint")?;
            if let Some(intent) = intent.filter(|i| i.fingerprint() != fingerprint) {
                let recorded = sqlx::query(concat!(record_select!(), " WHERE p.out_trade_no = $1"))
                    .bind(key)
                    .fetch_one(&mut **tx)
                    .await?;
                let answer = crate::read_record(&recorded, &store.location).and_then(|r| {
                    Err(LedgerError::Conflict(Box::new(crate::conflict(&r, intent))))
                });
                out.push((i, answer));
                continue;
            }
            if let Some(status) = row.try_get::<Option<String>, _>("status")? {
                let paid = Paid {
                    out_trade_no: key.to_owned(),
                    status,
                    trade_no: row.try_get("trade_no")?,
                    by: PaidBy::AlreadyRecorded,
                };
                out.push((i, Ok(Begun::Known(paid))));
                continue;
            }
            let prior: i64 = row.try_get("sends")?;
            to_claim.push((i, key, row.try_get::<String, _>("data")?, prior));
        }
    }
    let keys: Vec<&str> = to_claim.iter().map(|c| c.1).collect();
    let claimed = insert_claims(tx, store, &keys, now).await?;
    for (i, key, data, prior) in to_claim {
        if !claimed.contains(key) {
            if let Err(error) = take_claim(tx, store, key, now).await? {
                out.push((i, Err(error)));
                continue;
            }
        }
        // Write-ahead: the send is on record before it happens.
        sends.push(EventRow::ledger(
            key,
            now,
            "send",
            format!("send {}", prior + 1),
        ));
        let job = SendJob {
            data,
            prior_sends: u32::try_from(prior).unwrap_or(u32::MAX),
        };
        out.push((i, Ok(Begun::Send(job))));
    }
    insert_events(tx, store, &sends).await?;
    Ok(out)
}

/// A payout claimed already: this worker's (go on), a live worker's ([`LedgerError::Busy`]),
/// or a dead worker's (taken over).
async fn take_claim(
    tx: &mut Tx,
    store: &Store,
    key: &str,
    now: i64,
) -> Result<Result<(), LedgerError>, sqlx::Error> {
    let holder: Option<String> = sqlx::query("SELECT worker FROM claims WHERE out_trade_no = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    let Some(holder) = holder else {
        // Released between our insert and this read (PostgreSQL, another transaction).
        let inserted = sqlx::query(
            "INSERT INTO claims (out_trade_no, worker, at) VALUES ($1, $2, $3) ON CONFLICT (out_trade_no) DO NOTHING",
        )
        .bind(key)
        .bind(store.worker.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        return Ok(if inserted.rows_affected() == 1 {
            Ok(())
        } else {
            Err(LedgerError::Database {
                location: store.location.clone(),
                context: "claiming a payout",
                message: "the claim kept changing hands".into(),
            })
        });
    };
    if holder == store.worker {
        return Ok(Ok(()));
    }
    match store.is_alive(&holder).await {
        Ok(true) => {
            return Ok(Err(LedgerError::Busy {
                out_trade_no: key.to_owned(),
                worker: holder,
            }));
        }
        Ok(false) => {}
        Err(e) => return Ok(Err(e)),
    }
    tracing::info!(
        out_trade_no = key,
        dead_worker = holder.as_str(),
        "took over the claim of a worker that is gone"
    );
    sqlx::query("UPDATE claims SET worker = $1, at = $2 WHERE out_trade_no = $3")
        .bind(store.worker.as_str())
        .bind(now)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_keep_each_key_once_and_in_order() {
        let keys = ["b", "a", "b", "c", "b", "a"];
        let rounds = rounds(keys.iter().copied());
        assert_eq!(rounds, vec![vec![0, 1, 3], vec![2, 5], vec![4]]);
    }

    #[tokio::test]
    async fn a_second_flight_of_one_payout_waits_for_the_first() {
        let flights = Arc::new(Flights::default());
        let first = flights.enter("o_1").await;
        let other = flights.enter("o_2").await;
        let waiting = tokio::spawn({
            let flights = flights.clone();
            async move {
                let _second = flights.enter("o_1").await;
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "o_1 is under way");
        drop(first);
        assert!(waiting.await.is_ok());
        drop(other);
        let left = flights.map.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert_eq!(left, 0, "nothing left behind");
    }

    #[test]
    fn placeholders_number_rows_and_columns() {
        assert_eq!(values(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(in_list(2, 3), "($2, $3, $4)");
    }
}
