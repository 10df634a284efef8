//! What the ledger holds about a payout, and its history, as read back.

use serde_json::Value;
use std::fmt;

/// Where a status came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// PayerMax's answer to `paymentOrderPay`.
    Answer,
    /// An inquiry (`paymentOrderQry`).
    Inquiry,
    /// A verified notification.
    Notification,
    /// A batch query (`paymentOrderBatchQry`), in [`Ledger::reconcile_order`](crate::Ledger::reconcile_order).
    BatchQuery,
    /// The ledger itself (sends, errors).
    Ledger,
}

impl Source {
    /// The name stored in the ledger: `answer`, `inquiry`, `notification`, `batch_query`,
    /// `ledger`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Answer => "answer",
            Source::Inquiry => "inquiry",
            Source::Notification => "notification",
            Source::BatchQuery => "batch_query",
            Source::Ledger => "ledger",
        }
    }

    pub(crate) fn parse(text: &str) -> Source {
        match text {
            "answer" => Source::Answer,
            "inquiry" => Source::Inquiry,
            "notification" => Source::Notification,
            "batch_query" => Source::BatchQuery,
            _ => Source::Ledger,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a payout's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// `send` (a `paymentOrderPay` attempt is about to go out), `status` (a status was seen),
    /// `anomaly` (a status that was refused: impossible transition, other amount), `error`
    /// (a send ended without an order).
    pub kind: String,
    /// Where it came from.
    pub source: Source,
    /// The status seen, for `status` and `anomaly`.
    pub status: Option<String>,
    /// The sub-status seen.
    pub sub_status: Option<String>,
    /// PayerMax's order number, when the source gave it.
    pub trade_no: Option<String>,
    /// This status became the payout's current status.
    pub effective: bool,
    /// The error or the note, in words.
    pub detail: Option<String>,
    /// The worker that wrote it.
    pub worker: Option<String>,
}

/// A payout as the ledger knows it: the intent, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutRecord {
    /// The order number.
    pub out_trade_no: String,
    /// The intent's fingerprint.
    pub fingerprint: String,
    /// The payee, account masked.
    pub payee: String,
    /// The amount, normalized.
    pub amount: String,
    /// The currency.
    pub currency: String,
    /// The request data as recorded (and sent).
    pub data: Value,
    /// The batch.
    pub batch: Option<String>,
    /// The file it came from.
    pub source_file: Option<String>,
    /// The line of that file.
    pub source_line: Option<u64>,
    /// When it was recorded (ms since the epoch).
    pub created_ms: i64,
    /// The current status (`PENDING`, `SUCCESS`, `FAILED`, `BOUNCEBACK`), when an order is
    /// known; `None` while no order is known (never sent, or every send ended in an error).
    pub status: Option<String>,
    /// The current sub-status.
    pub sub_status: Option<String>,
    /// When the current status was seen.
    pub status_ms: Option<i64>,
    /// Where the current status came from.
    pub status_source: Option<Source>,
    /// PayerMax's order number, when known.
    pub trade_no: Option<String>,
    /// How many times it was sent.
    pub sends: u32,
    /// The last error, when no status was seen after it.
    pub last_error: Option<String>,
    /// The worker sending it now, if any.
    pub claimed_by: Option<String>,
}

impl PayoutRecord {
    /// PayerMax has an order for it (whatever its status).
    pub fn has_order(&self) -> bool {
        self.status.is_some()
    }

    /// The status is final for the ledger's purposes: `SUCCESS` (which can still turn into
    /// `BOUNCEBACK`), `FAILED` or `BOUNCEBACK`.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.status.as_deref(),
            Some("SUCCESS" | "FAILED" | "BOUNCEBACK")
        )
    }

    /// `batch B, payouts.csv line 4`, as much as is known.
    pub fn origin(&self) -> String {
        let mut parts = Vec::new();
        if let Some(b) = &self.batch {
            parts.push(format!("batch {b}"));
        }
        match (&self.source_file, self.source_line) {
            (Some(f), Some(l)) => parts.push(format!("{f} line {l}")),
            (Some(f), None) => parts.push(f.clone()),
            _ => {}
        }
        parts.join(", ")
    }
}
