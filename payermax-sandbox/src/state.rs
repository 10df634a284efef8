//! What a running sandbox knows (merchants, orders, the request log, notifications, faults),
//! as data; how orders move through their simulated lifecycle is `lifecycle`.

use crate::config::{Merchant, Timings};
use crate::error::SandboxError;
use crate::faults::FaultState;
use crate::journal::{Event, Journal};
use crate::order::{Order, StatusChange, Step};
use crate::records::{NotificationRecord, ReceivedRequest};
use payermax_runtime::{Clock, PrivateKey, PublicKey};
use payermax_spec::Spec;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// Orders are unique per merchant: (merchantNo, outTradeNo).
pub(crate) type OrderKey = (String, String);

/// Everything the server, the lifecycle tasks and the inspection API share.
pub(crate) struct Shared {
    pub(crate) spec: Arc<Spec>,
    pub(crate) key: PrivateKey,
    pub(crate) public_key: PublicKey,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) timings: Timings,
    pub(crate) notify_scale: f64,
    pub(crate) notify_timeout: Duration,
    pub(crate) max_body: usize,
    pub(crate) read_timeout: Duration,
    pub(crate) log_requests: bool,
    pub(crate) state: Mutex<State>,
    pub(crate) shutdown: watch::Receiver<bool>,
}

/// The mutable part, behind one lock.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) merchants: HashMap<String, Merchant>,
    /// In creation order.
    pub(crate) orders: Vec<Order>,
    pub(crate) index: HashMap<OrderKey, usize>,
    /// How many orders each key ever created (replayed ones included): the double-payment check.
    pub(crate) created: HashMap<OrderKey, usize>,
    /// The newest requests, at most `request_log_limit` of them and `request_log_max_bytes`
    /// of [`ReceivedRequest::log_bytes`].
    pub(crate) requests: VecDeque<ReceivedRequest>,
    pub(crate) request_log_limit: usize,
    pub(crate) request_log_max_bytes: usize,
    /// The sum of [`ReceivedRequest::log_bytes`] over `requests`.
    pub(crate) request_log_bytes: usize,
    pub(crate) notifications: Vec<NotificationRecord>,
    pub(crate) duplicate_notify: HashSet<OrderKey>,
    pub(crate) faults: FaultState,
    pub(crate) journal: Option<Journal>,
    /// Set by shutdown: nothing more is journaled.
    pub(crate) closed: bool,
}

impl State {
    /// Logs a request, dropping the oldest entries while the log would hold more than
    /// `request_log_limit` entries or `request_log_max_bytes` bytes. An entry larger than the
    /// whole byte budget is kept without its body; one that does not fit even so, not at all.
    pub(crate) fn log_request(&mut self, mut entry: ReceivedRequest) {
        if entry.log_bytes() > self.request_log_max_bytes {
            entry = entry.without_body();
        }
        let size = entry.log_bytes();
        if self.request_log_limit == 0 || size > self.request_log_max_bytes {
            return;
        }
        while self.requests.len() >= self.request_log_limit
            || self.request_log_bytes.saturating_add(size) > self.request_log_max_bytes
        {
            let Some(oldest) = self.requests.pop_front() else {
                break;
            };
            self.request_log_bytes = self.request_log_bytes.saturating_sub(oldest.log_bytes());
        }
        self.request_log_bytes = self.request_log_bytes.saturating_add(size);
        self.requests.push_back(entry);
    }

    /// The first order placed with this `outTradeNo`, whichever merchant placed it.
    pub(crate) fn first_order(&self, out_trade_no: &str) -> Option<&Order> {
        self.orders.iter().find(|o| o.out_trade_no == out_trade_no)
    }

    /// How many orders this `outTradeNo` ever created, over all merchants (replayed ones
    /// included).
    pub(crate) fn order_count(&self, out_trade_no: &str) -> usize {
        self.created
            .iter()
            .filter(|((_, out), _)| out == out_trade_no)
            .map(|(_, n)| n)
            .sum()
    }

    /// [`State::order_count`] of every `outTradeNo` at once.
    pub(crate) fn order_counts(&self) -> HashMap<&str, usize> {
        let mut counts = HashMap::new();
        for ((_, out), n) in &self.created {
            *counts.entry(out.as_str()).or_default() += n;
        }
        counts
    }

    pub(crate) fn order(&self, key: &OrderKey) -> Option<&Order> {
        self.index.get(key).and_then(|&i| self.orders.get(i))
    }

    /// What is left of `merchant_no`'s payout account in `currency`, funded with `funding`:
    /// every order in that currency debits its amount unless it ended FAILED or BOUNCEBACK
    /// (the money came back). Derived from the orders, so a restart from the journal agrees.
    pub(crate) fn balance_left(
        &self,
        merchant_no: &str,
        currency: &str,
        funding: rust_decimal::Decimal,
    ) -> rust_decimal::Decimal {
        use crate::order::Status;
        let text = |o: &Order, pointer: &str| {
            o.data
                .pointer(pointer)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        self.orders
            .iter()
            .filter(|o| o.merchant_no == merchant_no)
            .filter(|o| !matches!(o.status, Status::Failed | Status::Bounceback))
            .filter(|o| text(o, "/trade/currency").as_deref() == Some(currency))
            .filter_map(|o| {
                text(o, "/trade/amount")?
                    .parse::<rust_decimal::Decimal>()
                    .ok()
            })
            .fold(funding, |left, amount| left - amount)
    }

    /// Adds an order (journaling it first when there is a journal).
    pub(crate) fn insert(&mut self, order: Order, journal: bool) -> Result<(), SandboxError> {
        if journal && let Some(j) = self.journal.as_mut() {
            j.append(&Event::OrderCreated {
                order: Box::new(order.clone()),
            })?;
        }
        let key = (order.merchant_no.clone(), order.out_trade_no.clone());
        *self.created.entry(key.clone()).or_default() += 1;
        self.index.insert(key, self.orders.len());
        self.orders.push(order);
        Ok(())
    }

    /// Applies a journal event read at start.
    pub(crate) fn replay(&mut self, event: Event) -> Result<(), String> {
        match event {
            Event::OrderCreated { order } => self.insert(*order, false).map_err(|e| e.to_string()),
            Event::StatusChanged {
                merchant_no,
                out_trade_no,
                status,
                at,
            } => {
                let key = (merchant_no, out_trade_no);
                let order = self
                    .index
                    .get(&key)
                    .and_then(|&i| self.orders.get_mut(i))
                    .ok_or_else(|| format!("status change for unknown order {key:?}"))?;
                order.status = status;
                order.history.push(StatusChange { status, at });
                Ok(())
            }
            Event::RfiMaterial {
                merchant_no,
                out_trade_no,
                at,
            } => {
                let key = (merchant_no, out_trade_no);
                let rfi = self
                    .index
                    .get(&key)
                    .and_then(|&i| self.orders.get_mut(i))
                    .and_then(|o| o.rfi.as_mut())
                    .ok_or_else(|| format!("RFI material for an order without an RFI {key:?}"))?;
                rfi.material_at = Some(at);
                Ok(())
            }
        }
    }
}

impl Shared {
    /// Runs `f` under the state lock (a panic elsewhere does not make the state unusable).
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Waits `duration`; false when the sandbox shut down meanwhile.
    pub(crate) async fn sleep(&self, duration: Duration) -> bool {
        let mut stop = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(duration) => !*self.shutdown.borrow(),
            _ = stop.wait_for(|stopped| *stopped) => false,
        }
    }

    pub(crate) fn delay(&self, step: Step) -> Duration {
        match step {
            Step::Settle => self.timings.settle,
            Step::PendingRule => self.timings.pending_rule,
            Step::Bounce => self.timings.bounceback,
            Step::RfiDeadline => self.timings.rfi_deadline,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::UNIX_EPOCH;

    fn entry(n: usize, body_len: usize, verified: bool) -> ReceivedRequest {
        let body = if verified {
            "x".repeat(body_len)
        } else {
            String::new()
        };
        ReceivedRequest {
            api: "paymentOrderQry".into(),
            at: UNIX_EPOCH + Duration::from_secs(n as u64),
            app_id: verified.then(|| "app".to_owned()),
            out_trade_no: Some(format!("o{n}")),
            body,
            body_len,
            verified,
            code: Some("ORDER_NOT_EXIST".into()),
            http_status: Some(200),
            faults: Vec::new(),
            violations: Vec::new(),
        }
    }

    fn log(limit: usize, max_bytes: usize) -> State {
        State {
            request_log_limit: limit,
            request_log_max_bytes: max_bytes,
            ..State::default()
        }
    }

    fn kept(state: &State) -> Vec<Option<String>> {
        state
            .requests
            .iter()
            .map(|r| r.out_trade_no.clone())
            .collect()
    }

    fn total(state: &State) -> usize {
        state.requests.iter().map(ReceivedRequest::log_bytes).sum()
    }

    #[test]
    fn the_byte_budget_evicts_oldest_first() {
        let one = entry(0, 1000, true).log_bytes();
        assert!(one > 1000);
        // room for three entries of this size, not four
        let mut state = log(100, one * 3 + one / 2);
        for n in 0..10 {
            state.log_request(entry(n, 1000, true));
            assert_eq!(state.request_log_bytes, total(&state));
            assert!(state.request_log_bytes <= state.request_log_max_bytes);
        }
        assert_eq!(kept(&state), ["o7", "o8", "o9"].map(|s| Some(s.to_owned())));
        assert!(state.requests.iter().all(|r| r.body.len() == 1000));
        // a big entry pushes several small ones out
        state.log_request(entry(10, 2000, true));
        assert_eq!(kept(&state), ["o9", "o10"].map(|s| Some(s.to_owned())));
        assert_eq!(state.request_log_bytes, total(&state));
    }

    #[test]
    fn the_count_limit_still_applies() {
        let mut state = log(2, usize::MAX);
        for n in 0..5 {
            state.log_request(entry(n, 10, true));
        }
        assert_eq!(kept(&state), ["o3", "o4"].map(|s| Some(s.to_owned())));
        assert_eq!(state.request_log_bytes, total(&state));
        let mut none = log(0, usize::MAX);
        none.log_request(entry(0, 10, true));
        assert!(none.requests.is_empty());
        assert_eq!(none.request_log_bytes, 0);
    }

    #[test]
    fn an_entry_over_the_whole_budget_is_kept_without_its_body() {
        let small = entry(0, 10, true).log_bytes();
        let mut state = log(100, small * 4);
        state.log_request(entry(0, 10, true));
        state.log_request(entry(1, small * 10, true));
        let last = state.requests.back().unwrap();
        assert!(last.body.is_empty() && last.out_trade_no.is_none() && last.app_id.is_none());
        assert_eq!(last.body_len, small * 10, "the length is still told");
        assert_eq!(state.requests.len(), 2, "the older entry still fits");
        assert!(state.request_log_bytes <= small * 4);
        // a budget too small for even a summary keeps nothing
        let mut tiny = log(100, 8);
        tiny.log_request(entry(0, 0, false));
        assert!(tiny.requests.is_empty());
    }

    #[test]
    fn summaries_cost_the_same_whatever_the_body_weighed() {
        let small = entry(0, 10, false);
        let big = entry(0, 256 * 1024, false);
        assert_eq!(small.log_bytes(), big.log_bytes());
        assert!(big.log_bytes() < 512, "{}", big.log_bytes());
    }
}
