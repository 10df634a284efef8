//! What a status seen means for a payout ([`StatusChange`]), and the typed reports of
//! [`Ledger::apply_notification`](crate::Ledger::apply_notification),
//! [`Ledger::refresh`](crate::Ledger::refresh) and
//! [`Ledger::reconcile_order`](crate::Ledger::reconcile_order).

use crate::record::PayoutRecord;
use payermax_runtime::{OrderView, StatusUpdate, Transition};
use serde_json::Value;
use std::fmt;

/// What PayerMax said about one order (an answer's, an inquiry's, a notification's or a batch
/// query row's `data`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observation {
    /// `outTradeNo`.
    pub out_trade_no: String,
    /// `tradeNo`.
    pub trade_no: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `subStatus`.
    pub sub_status: Option<String>,
    /// `trade.amount`.
    pub amount: Option<String>,
    /// `trade.currency`.
    pub currency: Option<String>,
}

impl Observation {
    /// Reads the fields PayerMax's order views share.
    pub fn from_data(data: &Value) -> Observation {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let trade = data.get("trade");
        Observation {
            out_trade_no: text(data.get("outTradeNo")).unwrap_or_default(),
            trade_no: text(data.get("tradeNo")).filter(|t| !t.is_empty()),
            status: text(data.get("status")).filter(|s| !s.is_empty()),
            sub_status: text(data.get("subStatus")).filter(|s| !s.is_empty()),
            amount: text(trade.and_then(|t| t.get("amount"))),
            currency: text(trade.and_then(|t| t.get("currency"))),
        }
    }
}

/// What a status seen did to the payout's current status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    /// The first status known: the order exists.
    First(String),
    /// The status moved forward.
    Updated {
        /// Before.
        from: String,
        /// Now.
        to: String,
    },
    /// A paid order was returned (`SUCCESS` → `BOUNCEBACK`).
    Reversal {
        /// Before.
        from: String,
    },
    /// Nothing new.
    Duplicate,
    /// An earlier state arriving late (`PENDING` after a final status); kept in the history.
    Stale {
        /// The current status, kept.
        current: String,
    },
    /// Refused: an impossible move, another amount or currency, an unknown status. Kept in the
    /// history as an `anomaly`; the current status is unchanged.
    Refused(String),
    /// The ledger holds no payout under that order number; nothing recorded.
    UnknownPayout,
    /// The data carried no status; nothing recorded.
    NoStatus,
}

impl fmt::Display for StatusChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusChange::First(s) => write!(f, "now {s}"),
            StatusChange::Updated { from, to } => write!(f, "{from} → {to}"),
            StatusChange::Reversal { from } => write!(f, "{from} → BOUNCEBACK (returned)"),
            StatusChange::Duplicate => f.write_str("no change"),
            StatusChange::Stale { current } => write!(f, "late news; stays {current}"),
            StatusChange::Refused(why) => write!(f, "refused: {why}"),
            StatusChange::UnknownPayout => f.write_str("not a payout of this ledger"),
            StatusChange::NoStatus => f.write_str("no status given"),
        }
    }
}

/// The lifecycle decision, through the runtime's [`OrderView::apply`].
pub(crate) fn decide(
    current: Option<(String, Option<String>)>,
    amount: &str,
    currency: &str,
    obs: &Observation,
    status: &str,
) -> StatusChange {
    let update = StatusUpdate {
        status: status.to_owned(),
        sub_status: obs.sub_status.clone(),
        // Sources that do not carry the trade (the reference does not show it everywhere)
        // cannot contradict the recorded amount.
        amount: obs.amount.clone().unwrap_or_else(|| amount.to_owned()),
        currency: obs.currency.clone().unwrap_or_else(|| currency.to_owned()),
    };
    let Some((current, sub_status)) = current else {
        let mut view = OrderView::placed(amount, currency);
        return match view.apply(&update) {
            Ok(_) => StatusChange::First(status.to_owned()),
            Err(e) => StatusChange::Refused(e.to_string()),
        };
    };
    let mut view = OrderView {
        status: current.clone(),
        sub_status,
        amount: amount.to_owned(),
        currency: currency.to_owned(),
    };
    match view.apply(&update) {
        Ok(Transition::Duplicate) => StatusChange::Duplicate,
        Ok(Transition::Stale { current, .. }) => StatusChange::Stale { current },
        Ok(Transition::Updated { from, to }) => StatusChange::Updated { from, to },
        Ok(Transition::Reversal { from }) => StatusChange::Reversal { from },
        Err(e) => StatusChange::Refused(e.to_string()),
    }
}

/// What [`Ledger::apply_notification`](crate::Ledger::apply_notification) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationReport {
    /// The order number notified.
    pub out_trade_no: String,
    /// What it changed.
    pub change: StatusChange,
}

/// What [`Ledger::refresh`](crate::Ledger::refresh) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Payouts queried.
    pub checked: usize,
    /// Payouts whose status changed: order number, batch, change.
    pub changed: Vec<(String, Option<String>, StatusChange)>,
    /// Payouts whose status is as recorded.
    pub unchanged: usize,
    /// Sent payouts PayerMax does not know (`ORDER_NOT_EXIST`): never placed, or not yet
    /// visible; they keep their order number and are sent again by the next run.
    pub not_found: Vec<String>,
    /// Statuses refused (impossible moves, other amounts): order number, why.
    pub refused: Vec<(String, String)>,
    /// Inquiries that failed: order number, error.
    pub errors: Vec<(String, String)>,
}

impl RefreshReport {
    pub(crate) fn record(&mut self, record: &PayoutRecord, change: StatusChange) {
        match change {
            StatusChange::Duplicate | StatusChange::Stale { .. } | StatusChange::NoStatus => {
                self.unchanged += 1;
            }
            StatusChange::Refused(why) => self.refused.push((record.out_trade_no.clone(), why)),
            StatusChange::UnknownPayout => {}
            other => self
                .changed
                .push((record.out_trade_no.clone(), record.batch.clone(), other)),
        }
    }
}

impl fmt::Display for RefreshReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} queried: {} changed, {} unchanged, {} unknown to PayerMax, {} refused, {} errors",
            self.checked,
            self.changed.len(),
            self.unchanged,
            self.not_found.len(),
            self.refused.len(),
            self.errors.len()
        )
    }
}

/// An order PayerMax has that the ledger lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOrder {
    /// Its order number.
    pub out_trade_no: String,
    /// PayerMax's number.
    pub trade_no: Option<String>,
    /// Its status.
    pub status: Option<String>,
    /// `currency amount`.
    pub amount: String,
}

impl From<&Observation> for RemoteOrder {
    fn from(o: &Observation) -> Self {
        RemoteOrder {
            out_trade_no: o.out_trade_no.clone(),
            trade_no: o.trade_no.clone(),
            status: o.status.clone(),
            amount: format!(
                "{} {}",
                o.currency.as_deref().unwrap_or("?"),
                o.amount.as_deref().unwrap_or("?")
            ),
        }
    }
}

/// A payout whose status in the ledger differs from PayerMax's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusDiff {
    /// The order number.
    pub out_trade_no: String,
    /// The ledger's status before (`None`: no order known).
    pub ledger: Option<String>,
    /// PayerMax's.
    pub payermax: String,
    /// What recording PayerMax's status did.
    pub change: StatusChange,
}

/// What [`Ledger::reconcile_order`](crate::Ledger::reconcile_order) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// PayerMax's orders read.
    pub seen: usize,
    /// Orders whose status the ledger has.
    pub matched: usize,
    /// Orders the ledger lacks (placed by something else, or with a lost ledger).
    pub missing_from_ledger: Vec<RemoteOrder>,
    /// Orders whose status differs.
    pub status_differs: Vec<StatusDiff>,
}

impl ReconcileReport {
    /// Nothing to look into.
    pub fn is_clean(&self) -> bool {
        self.missing_from_ledger.is_empty() && self.status_differs.is_empty()
    }
}

impl fmt::Display for ReconcileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} PayerMax orders: {} match the ledger, {} missing from the ledger, {} with another status",
            self.seen,
            self.matched,
            self.missing_from_ledger.len(),
            self.status_differs.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(status: &str, amount: Option<&str>) -> Observation {
        Observation {
            out_trade_no: "o".into(),
            status: Some(status.into()),
            amount: amount.map(str::to_owned),
            currency: amount.map(|_| "BRL".to_owned()),
            ..Observation::default()
        }
    }

    #[test]
    fn the_lifecycle_decides() {
        let first = decide(None, "10", "BRL", &obs("PENDING", None), "PENDING");
        assert_eq!(first, StatusChange::First("PENDING".into()));
        let up = decide(
            Some(("PENDING".into(), None)),
            "10",
            "BRL",
            &obs("SUCCESS", Some("10.00")),
            "SUCCESS",
        );
        assert_eq!(
            up,
            StatusChange::Updated {
                from: "PENDING".into(),
                to: "SUCCESS".into()
            }
        );
        let impossible = decide(
            Some(("FAILED".into(), None)),
            "10",
            "BRL",
            &obs("SUCCESS", None),
            "SUCCESS",
        );
        assert!(
            matches!(impossible, StatusChange::Refused(_)),
            "{impossible}"
        );
        let other_amount = decide(
            Some(("PENDING".into(), None)),
            "10",
            "BRL",
            &obs("SUCCESS", Some("12")),
            "SUCCESS",
        );
        assert!(
            matches!(&other_amount, StatusChange::Refused(w) if w.contains("amount")),
            "{other_amount}"
        );
        let late = decide(
            Some(("SUCCESS".into(), None)),
            "10",
            "BRL",
            &obs("PENDING", None),
            "PENDING",
        );
        assert_eq!(
            late,
            StatusChange::Stale {
                current: "SUCCESS".into()
            }
        );
        let back = decide(
            Some(("SUCCESS".into(), None)),
            "10",
            "BRL",
            &obs("BOUNCEBACK", None),
            "BOUNCEBACK",
        );
        assert_eq!(
            back,
            StatusChange::Reversal {
                from: "SUCCESS".into()
            }
        );
    }
}
