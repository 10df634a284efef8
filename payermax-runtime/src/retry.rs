//! How long and how often the client retries, and which failures it retries.

use crate::error::{Error, RetryClass};
use backon::BackoffBuilder as _;
use std::time::Duration;
use tokio::time::Instant;

/// Retry settings for [`Client::call_idempotent`](crate::Client::call_idempotent) and
/// [`Client::pay_idempotent`](crate::Client::pay_idempotent). [`Client::call`](crate::Client::call)
/// never retries.
///
/// Delays grow exponentially from `initial_delay` (factor 2, capped at `max_delay`); with
/// `jitter`, each delay is stretched by a random 0–100 % so that many clients do not retry in
/// step. Retrying stops after `max_attempts` sends, or when the next pause would end later than
/// `max_elapsed` after the first send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends in total, the first included (`1` = no retry). Default 4.
    pub max_attempts: u32,
    /// The first pause. Default 500 ms.
    pub initial_delay: Duration,
    /// The longest pause. Default 8 s.
    pub max_delay: Duration,
    /// Time budget from the first send; no pause is started that would end after it.
    /// Default 60 s.
    pub max_elapsed: Duration,
    /// Randomise pauses. Default `true`.
    pub jitter: bool,
    /// For payouts: how long to wait before querying again when an inquiry answers
    /// `ORDER_NOT_EXIST` after a send whose outcome was unknown. Default 5 minutes, as the
    /// reference advises (§6.3); tests set milliseconds.
    pub not_found_wait: Duration,
    /// For payouts: how many times to query again after `ORDER_NOT_EXIST` before re-sending
    /// the order with the same `outTradeNo`. Default 2 (the reference says "at least twice").
    pub not_found_requeries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
            jitter: true,
            not_found_wait: Duration::from_secs(5 * 60),
            not_found_requeries: 2,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The pauses, started now.
    pub(crate) fn schedule(&self) -> Schedule {
        let mut builder = backon::ExponentialBuilder::new()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            builder = builder.with_jitter();
        }
        Schedule {
            delays: builder.build(),
            started: Instant::now(),
            budget: self.max_elapsed,
        }
    }
}

/// The pauses of one retried operation.
pub(crate) struct Schedule {
    delays: backon::ExponentialBackoff,
    started: Instant,
    budget: Duration,
}

impl Schedule {
    /// The next pause, or `None` when attempts or time are used up.
    pub(crate) fn next_delay(&mut self) -> Option<Duration> {
        let delay = self.delays.next()?;
        (self.started.elapsed() + delay <= self.budget).then_some(delay)
    }
}

/// Whether an idempotent call (inquiry, batch query, element validation) may simply be sent
/// again: transient API codes, requests not sent, unknown outcomes, answers that do not
/// verify, HTTP 429 and 5xx.
pub(crate) fn retry_idempotent(error: &Error) -> bool {
    match error {
        Error::NotSent { .. } | Error::OutcomeUnknown { .. } => true,
        // An answer that does not verify is treated like a lost answer: the call is idempotent,
        // so asking again is safe, and a key that is really wrong still fails once the policy's
        // attempts are spent.
        Error::Signature { .. } => true,
        Error::HttpStatus { status, .. } => *status == 429 || *status >= 500,
        Error::Api(e) => e.retry == RetryClass::Transient,
        _ => false,
    }
}
