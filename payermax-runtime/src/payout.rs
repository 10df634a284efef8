//! Placing a payout at most once: [`Client::pay_idempotent`].
//!
//! The reference's rules (§5.3, §6.3, §13), as the client applies them:
//! - `outTradeNo` is the idempotency key. A resend always carries the same `outTradeNo` — in
//!   fact the same `data` bytes, serialized once and only re-wrapped in a fresh envelope.
//! - Transient codes (`TOO_MANY_REQUEST`, `SYSTEM_ERROR`, …) and requests that were not sent:
//!   back off and send again.
//! - `ORDER_REPEAT` (and other "do not resend" / "query" codes), a lost connection or timeout
//!   after sending, an HTTP 5xx without a PayerMax answer: the order may exist, so it is
//!   resolved by an inquiry (`{"outTradeNo": …}`).
//! - An inquiry answering `ORDER_NOT_EXIST`: wait ([`RetryPolicy::not_found_wait`], 5 minutes by
//!   default), query again, at least twice ([`RetryPolicy::not_found_requeries`]); if the order
//!   is still unknown, send it again with the same `outTradeNo`.
//! - An answer that cannot be trusted (bad or missing signature, undecodable body): says
//!   nothing about the order, so it is resolved by an inquiry too.
//! - An order found by inquiry with another amount or currency than the request's: the
//!   `outTradeNo` names another payout; [`Error::OrderConflict`], and nothing is sent.
//! - "Fix then resend" and "order failure" codes, unknown codes: returned to the caller, who
//!   decides (an unsigned "order failure" asks to confirm by inquiry first, see
//!   [`ApiError::signed`](crate::ApiError::signed)).
//!
//! [`RetryPolicy::not_found_wait`]: crate::RetryPolicy::not_found_wait
//! [`RetryPolicy::not_found_requeries`]: crate::RetryPolicy::not_found_requeries

use crate::client::{Client, out_trade_no, serialize_data};
use crate::error::{Error, ORDER_NOT_EXIST, ORDER_REPEAT, RetryClass};
use crate::notify::same_amount;
use crate::validation::Violation;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use tracing::Instrument as _;

/// The api names of the two payout operations, e.g.
/// `PayoutCalls { pay: "paymentOrderPay", query: "paymentOrderQry" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutCalls<'a> {
    /// The api that places an order (`paymentOrderPay`).
    pub pay: &'a str,
    /// The api that queries an order by `outTradeNo` (`paymentOrderQry`).
    pub query: &'a str,
}

/// How the final status of a payout became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResolvedBy {
    /// PayerMax accepted this send (`APPLY_SUCCESS`).
    Placed,
    /// PayerMax answered `ORDER_REPEAT` (the order existed already); the status comes from an
    /// inquiry.
    Repeat,
    /// The outcome of a send was unknown; the status comes from an inquiry.
    Inquiry,
}

/// Where a payout stands after [`Client::pay_idempotent`].
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutOutcome {
    /// The merchant's order number, as sent.
    pub out_trade_no: String,
    /// `data.status` of the last answer: `PENDING`, `SUCCESS`, `FAILED`, `BOUNCEBACK` or a value
    /// this SDK does not know. `PENDING` when the answer had no status: an accepted order is
    /// pending until a notification or inquiry says otherwise.
    pub status: String,
    /// PayerMax's order number, when the answer had one.
    pub trade_no: Option<String>,
    /// How the status became known.
    pub resolved_by: ResolvedBy,
    /// How many times the order was sent (`paymentOrderPay` calls).
    pub attempts: u32,
    /// The `data` of the last answer (placement or inquiry).
    pub data: Value,
}

/// Something [`Client::pay_idempotent_observed`] is about to do that can take long or that a
/// caller may want to show: an operator watching a bulk run sees each waiting payout.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayEvent {
    /// PayerMax does not know the order after a send whose outcome was unknown: waiting `wait`
    /// before querying again (query `requery` of `of`), as the reference advises (§6.3).
    WaitingForOrder {
        /// The order number.
        out_trade_no: String,
        /// Which re-query comes after the wait, from 1.
        requery: u32,
        /// How many re-queries the policy allows before the order is sent again.
        of: u32,
        /// The wait ([`RetryPolicy::not_found_wait`](crate::RetryPolicy::not_found_wait)).
        wait: std::time::Duration,
    },
    /// The order is sent again (same `outTradeNo`, same data): attempt `attempt`.
    Resending {
        /// The order number.
        out_trade_no: String,
        /// The attempt about to be made, from 2.
        attempt: u32,
    },
}

/// What to do after a failed send.
enum Next {
    /// Back off and send again.
    Resend,
    /// Ask PayerMax whether the order exists.
    Query(ResolvedBy),
    /// Give the error to the caller.
    Stop,
}

fn next_after(error: &Error) -> Next {
    match error {
        Error::NotSent { .. } | Error::HttpStatus { status: 429, .. } => Next::Resend,
        Error::OutcomeUnknown { .. } => Next::Query(ResolvedBy::Inquiry),
        // An answer we cannot trust (bad or missing signature, undecodable body) says nothing
        // about whether the order was committed: ask, as for an unknown outcome.
        Error::Signature { .. } | Error::Decode { .. } => Next::Query(ResolvedBy::Inquiry),
        Error::HttpStatus { status, .. } if *status >= 500 => Next::Query(ResolvedBy::Inquiry),
        Error::Api(e) if e.code == ORDER_REPEAT => Next::Query(ResolvedBy::Repeat),
        Error::Api(e) => match e.retry {
            RetryClass::Transient => Next::Resend,
            RetryClass::DoNotResend | RetryClass::Query => Next::Query(ResolvedBy::Inquiry),
            RetryClass::FixThenResend | RetryClass::OrderFailure | RetryClass::Unknown => {
                Next::Stop
            }
        },
        _ => Next::Stop,
    }
}

impl Client {
    /// Places a payout so that it exists at most once, whatever the network does; see the
    /// [module documentation](crate::payout) for the rules.
    ///
    /// `data` is the `paymentOrderPay` request data and must contain `outTradeNo`. Sends are
    /// bounded by the [`RetryPolicy`](crate::RetryPolicy); when the limits are reached the last
    /// error is returned and the order must be queried later. With the default policy an
    /// `ORDER_NOT_EXIST` after an unknown outcome means waiting 2 × 5 minutes before the resend,
    /// as the reference advises.
    pub async fn pay_idempotent<D: Serialize + ?Sized>(
        &self,
        calls: PayoutCalls<'_>,
        data: &D,
        errors: &[(&str, RetryClass)],
    ) -> Result<PayoutOutcome, Error> {
        self.pay_idempotent_observed(calls, data, errors, &|_| {})
            .await
    }

    /// [`pay_idempotent`](Self::pay_idempotent), telling `observe` before each long wait and
    /// each resend ([`PayEvent`]), so that a caller can show which payouts are waiting and why.
    pub async fn pay_idempotent_observed<D: Serialize + ?Sized>(
        &self,
        calls: PayoutCalls<'_>,
        data: &D,
        errors: &[(&str, RetryClass)],
        observe: &(dyn Fn(PayEvent) + Send + Sync),
    ) -> Result<PayoutOutcome, Error> {
        let data = serialize_data(data)?;
        let Some(out_trade_no) = out_trade_no(&data).filter(|n| !n.is_empty()) else {
            return Err(Error::Validation(
                vec![Violation::new("outTradeNo", "required", "is required")].into(),
            ));
        };
        let span = tracing::info_span!(
            "payermax.pay_idempotent",
            out_trade_no = out_trade_no.as_str()
        );
        self.pay_loop(calls, &data, &out_trade_no, errors, observe)
            .instrument(span)
            .await
    }

    async fn pay_loop(
        &self,
        calls: PayoutCalls<'_>,
        data: &RawValue,
        out_trade_no: &str,
        errors: &[(&str, RetryClass)],
        observe: &(dyn Fn(PayEvent) + Send + Sync),
    ) -> Result<PayoutOutcome, Error> {
        let query = serialize_data(&serde_json::json!({ "outTradeNo": out_trade_no }))?;
        let policy = &self.config().retry;
        let mut schedule = policy.schedule();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let error = match self
                .attempt::<Value>(calls.pay, data, errors, Some(out_trade_no), attempts)
                .await
            {
                Ok(answer) => {
                    return Ok(outcome(out_trade_no, answer, ResolvedBy::Placed, attempts));
                }
                Err(error) => error,
            };
            match next_after(&error) {
                Next::Stop => return Err(error),
                Next::Resend => match schedule.next_delay() {
                    Some(delay) if attempts < policy.max_attempts => {
                        tokio::time::sleep(delay).await;
                    }
                    _ => return Err(error),
                },
                Next::Query(resolved_by) => {
                    tracing::info!(attempts, "payout outcome unclear; querying the order");
                    if let Some(answer) = self
                        .find_order(calls.query, &query, out_trade_no, errors, observe)
                        .await?
                    {
                        let found = outcome(out_trade_no, answer, resolved_by, attempts);
                        return match conflict(data, &found) {
                            Some(error) => Err(error),
                            None => Ok(found),
                        };
                    }
                    // Still unknown after the waits: the documented rule allows a resend with the
                    // same outTradeNo, within the attempt budget.
                    if attempts >= policy.max_attempts {
                        return Err(error);
                    }
                    tracing::info!(
                        attempts,
                        "order not found after re-queries; sending it again"
                    );
                    observe(PayEvent::Resending {
                        out_trade_no: out_trade_no.to_owned(),
                        attempt: attempts + 1,
                    });
                }
            }
        }
    }

    /// The order's inquiry `data`, or `None` if PayerMax still does not know it after the
    /// documented waits and re-queries.
    async fn find_order(
        &self,
        api: &str,
        query: &RawValue,
        out_trade_no: &str,
        errors: &[(&str, RetryClass)],
        observe: &(dyn Fn(PayEvent) + Send + Sync),
    ) -> Result<Option<Value>, Error> {
        let policy = &self.config().retry;
        let mut requeries = 0;
        loop {
            match self
                .retrying::<Value>(api, query, errors, Some(out_trade_no))
                .await
            {
                Ok(answer) => return Ok(Some(answer)),
                Err(e) if e.code() == Some(ORDER_NOT_EXIST) => {
                    if requeries >= policy.not_found_requeries {
                        return Ok(None);
                    }
                    requeries += 1;
                    tracing::info!(
                        requeries,
                        wait_ms = policy.not_found_wait.as_millis() as u64,
                        "order not found yet; waiting before querying again"
                    );
                    observe(PayEvent::WaitingForOrder {
                        out_trade_no: out_trade_no.to_owned(),
                        requery: requeries,
                        of: policy.not_found_requeries,
                        wait: policy.not_found_wait,
                    });
                    tokio::time::sleep(policy.not_found_wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// An order found by inquiry whose `trade.amount` or `trade.currency` differs from the
/// request's: the `outTradeNo` was reused for another payout. Amounts compare as decimals
/// (`10.5` = `10.50`). Where either side lacks them (the reference does not show every
/// inquiry field), nothing can be compared and the order is taken as this payout's.
fn conflict(data: &RawValue, found: &PayoutOutcome) -> Option<Error> {
    let sent: Value = serde_json::from_str(data.get()).ok()?;
    let trade = |v: &Value, field: &str| {
        v.get("trade")
            .and_then(|t| t.get(field))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (amount, currency) = (
        trade(&found.data, "amount")?,
        trade(&found.data, "currency")?,
    );
    let (want_amount, want_currency) = (trade(&sent, "amount")?, trade(&sent, "currency")?);
    if same_amount(&amount, &want_amount) && currency == want_currency {
        return None;
    }
    tracing::warn!(
        out_trade_no = found.out_trade_no.as_str(),
        "the order found under this outTradeNo is another payout's"
    );
    Some(Error::OrderConflict {
        out_trade_no: found.out_trade_no.clone(),
        found: format!("{currency} {amount}"),
        status: found.status.clone(),
        sent: format!("{want_currency} {want_amount}"),
    })
}

fn outcome(
    out_trade_no: &str,
    data: Value,
    resolved_by: ResolvedBy,
    attempts: u32,
) -> PayoutOutcome {
    let text = |field: &str| data.get(field).and_then(Value::as_str).map(str::to_owned);
    PayoutOutcome {
        out_trade_no: out_trade_no.to_owned(),
        status: text("status").unwrap_or_else(|| "PENDING".to_owned()),
        trade_no: text("tradeNo"),
        resolved_by,
        attempts,
        data,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn found(data: Value) -> PayoutOutcome {
        outcome("o_1", data, ResolvedBy::Repeat, 1)
    }

    fn raw(v: &Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(v).unwrap()
    }

    #[test]
    fn conflicts_need_both_amounts_and_currencies() {
        let sent = raw(&serde_json::json!({"trade": {"amount": "10.50", "currency": "BRL"}}));
        let order = |amount: &str, currency: &str| {
            found(
                serde_json::json!({"status": "SUCCESS", "trade": {"amount": amount, "currency": currency}}),
            )
        };
        assert!(conflict(&sent, &order("10.5", "BRL")).is_none());
        assert!(conflict(&sent, &order("010.500", "BRL")).is_none());
        assert!(conflict(&sent, &order("10.51", "BRL")).is_some());
        assert!(conflict(&sent, &order("10.50", "USD")).is_some());
        // An answer without the trade (the reference does not show every inquiry field): the
        // order is taken as this payout's, as before this check existed.
        assert!(conflict(&sent, &found(serde_json::json!({"status": "SUCCESS"}))).is_none());
        let no_trade = raw(&serde_json::json!({"outTradeNo": "o_1"}));
        assert!(conflict(&no_trade, &order("1", "BRL")).is_none());
    }
}
