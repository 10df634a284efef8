//! The durable payout ledger ([`payermax_ledger`]), with the typed entry points of this
//! crate's generated API: pay a [`PaymentOrderPayRequest`](crate::PaymentOrderPayRequest),
//! apply a [`PayoutNotification`](crate::PayoutNotification), refresh and reconcile through a
//! [`Client`].
//!
//! ```no_run
//! # async fn demo(client: payermax::Client, request: payermax::PaymentOrderPayRequest,
//! #               body: &[u8], sign: Option<&str>) -> Result<(), Box<dyn std::error::Error>> {
//! use payermax::ledger::{Ledger, LedgerExt as _, Origin};
//! use std::time::Duration;
//!
//! let ledger = Ledger::open("payouts.ledger").await?; // or "postgres://…"
//! // Intent committed before the send; a second call never sends again.
//! let paid = ledger.pay_request(&client, &request, Origin::batch("2026-06-payroll")).await?;
//! println!("{} is {}", paid.out_trade_no, paid.status);
//!
//! // In the notification handler, after verifying:
//! let notification = client.verify_notification(body, sign)?;
//! let report = ledger.apply(&notification).await?;
//! println!("{}: {}", report.out_trade_no, report.change);
//!
//! // Now and then: ask PayerMax about orders still pending for more than 10 minutes…
//! println!("{}", ledger.refresh_with(&client, Duration::from_secs(600), None).await?);
//! // …and compare a day of PayerMax's orders with the ledger.
//! let end = chrono::Utc::now();
//! println!("{}", ledger.reconcile_range(&client, end - chrono::Duration::days(1), end).await?);
//! # Ok(()) }
//! ```

pub use payermax_ledger::*;

use crate::Client;
use futures_util::StreamExt as _;
use std::time::Duration;

/// The payout calls and error table of the built-in spec.
pub fn payout_api() -> PayoutApi {
    PayoutApi {
        calls: crate::bulk::CALLS,
        errors: crate::ERROR_TABLE,
    }
}

/// The typed side of [`Ledger`]: requests, notifications and batch queries of this crate's
/// generated API.
#[allow(async_fn_in_trait)]
pub trait LedgerExt {
    /// Records and pays `request` ([`Ledger::pay`]).
    async fn pay_request(
        &self,
        client: &Client,
        request: &crate::PaymentOrderPayRequest,
        origin: Origin,
    ) -> Result<Paid, LedgerError>;

    /// Applies a verified notification ([`Ledger::apply_notification`]).
    async fn apply(
        &self,
        notification: &crate::PayoutNotification,
    ) -> Result<NotificationReport, LedgerError>;

    /// [`Ledger::refresh`] through `client`.
    async fn refresh_with(
        &self,
        client: &Client,
        older_than: Duration,
        batch: Option<&str>,
    ) -> Result<RefreshReport, LedgerError>;

    /// Every order PayerMax created in `[begin, end)` (the batch query, day by day), compared
    /// with the ledger ([`Ledger::reconcile_order`]).
    async fn reconcile_range(
        &self,
        client: &Client,
        begin: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<ReconcileReport, LedgerError>;
}

impl LedgerExt for Ledger {
    async fn pay_request(
        &self,
        client: &Client,
        request: &crate::PaymentOrderPayRequest,
        origin: Origin,
    ) -> Result<Paid, LedgerError> {
        let data = serde_json::to_value(request).map_err(|e| LedgerError::InvalidIntent {
            message: e.to_string(),
        })?;
        let intent = Intent::new(data, origin)?;
        self.pay(client.runtime(), &payout_api(), &intent).await
    }

    async fn apply(
        &self,
        notification: &crate::PayoutNotification,
    ) -> Result<NotificationReport, LedgerError> {
        let data =
            serde_json::to_value(&notification.data).map_err(|e| LedgerError::InvalidIntent {
                message: e.to_string(),
            })?;
        self.apply_notification(&data).await
    }

    async fn refresh_with(
        &self,
        client: &Client,
        older_than: Duration,
        batch: Option<&str>,
    ) -> Result<RefreshReport, LedgerError> {
        self.refresh(client.runtime(), &payout_api(), older_than, batch)
            .await
    }

    async fn reconcile_range(
        &self,
        client: &Client,
        begin: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<ReconcileReport, LedgerError> {
        let mut report = ReconcileReport::default();
        let filters = crate::PaymentOrderBatchQryFilters::default();
        let mut orders = client.batch_query_stream(begin, end, filters);
        while let Some(order) = orders.next().await {
            let order = order.map_err(|e| LedgerError::Payout {
                out_trade_no: String::from("(batch query)"),
                source: e,
            })?;
            let data = serde_json::to_value(&order).map_err(|e| LedgerError::InvalidIntent {
                message: e.to_string(),
            })?;
            self.reconcile_order(&mut report, &data).await?;
        }
        Ok(report)
    }
}
