//! What the sandbox keeps, as data: the calls it serves, the requests it received and the
//! notifications it sent, with their delivery attempts. The lifecycle that fills them lives in `state`, `gateway` and
//! `notify`; this module depends on none of them (the state holds these records, and the
//! gateway and the notifier write them through the state).

use crate::faults::Fault;
use crate::order::Status;
use std::time::SystemTime;

/// The merchant-facing calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    FieldValidation,
    OrderPay,
    OrderQry,
    OrderBatchQry,
    CurrentBalance,
    DayEndBalance,
    PutRfiMaterial,
}

impl Api {
    const ALL: [Api; 7] = [
        Api::FieldValidation,
        Api::OrderPay,
        Api::OrderQry,
        Api::OrderBatchQry,
        Api::CurrentBalance,
        Api::DayEndBalance,
        Api::PutRfiMaterial,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Api::FieldValidation => "paymentFieldValidation",
            Api::OrderPay => "paymentOrderPay",
            Api::OrderQry => "paymentOrderQry",
            Api::OrderBatchQry => "paymentOrderBatchQry",
            Api::CurrentBalance => "currentBalanceQuery",
            Api::DayEndBalance => "dayEndBalanceQuery",
            Api::PutRfiMaterial => "putRfiMaterialList",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|a| a.name() == name)
    }

    pub(crate) fn names() -> String {
        Api::ALL.map(Api::name).join(", ")
    }
}

/// A request the sandbox received, for tests to inspect.
///
/// A request whose signature verified is kept whole. One refused before that (a transport
/// refusal, a body that is not a JSON object, a broken envelope, an unknown `appId` or
/// `merchantNo`, a bad or missing signature) is kept as a summary: `api`, `at`, `code`,
/// `http_status` and `body_len`, with `body` empty and `app_id` and `out_trade_no` `None`.
/// Anyone can send those, so they must not cost the sandbox what they weigh.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The api name (last path segment, at most 64 bytes kept in a summary), e.g.
    /// `paymentOrderPay`.
    pub api: String,
    /// When it arrived (sandbox clock).
    pub at: SystemTime,
    /// `appId` from the body, when readable (`None` in a summary).
    pub app_id: Option<String>,
    /// `data.outTradeNo` from the body, when readable (`None` in a summary).
    pub out_trade_no: Option<String>,
    /// The body (lossy UTF-8); empty in a summary, and when the entry alone was larger than
    /// [`SandboxConfig::request_log_max_bytes`](crate::SandboxConfig::request_log_max_bytes).
    pub body: String,
    /// The body's length in bytes, also when `body` was not kept; 0 when the body was not read
    /// (refused on its path, method, content type or declared length, or too slow).
    pub body_len: usize,
    /// Whether the `sign` header verified over the body with the merchant's key: false for a
    /// summary.
    pub verified: bool,
    /// The envelope `code` answered; `None` when a fault replaced the answer (HTTP 5xx
    /// page, dropped connection).
    pub code: Option<String>,
    /// The HTTP status answered; `None` when the connection was dropped.
    pub http_status: Option<u16>,
    /// The faults applied to it.
    pub faults: Vec<Fault>,
    /// What the sandbox found wrong with it, each violation as JSON (`path`, `code`,
    /// `params`, `message`, `level`), advisory ones included (also on a request it accepted).
    /// PayerMax's error answers carry `code` and `msg` only, so the details are here, in the
    /// inspection API (`GET /__sandbox/requests`) and in `payermax sandbox`'s log line.
    /// Empty in a summary.
    pub violations: Vec<serde_json::Value>,
}

/// The longest api name a summary keeps (the path segment is the client's).
pub(crate) const SUMMARY_API_BYTES: usize = 64;

impl ReceivedRequest {
    /// What this entry counts for against
    /// [`SandboxConfig::request_log_max_bytes`](crate::SandboxConfig::request_log_max_bytes):
    /// the entry itself plus the bytes of its strings and faults.
    pub fn log_bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        std::mem::size_of::<ReceivedRequest>()
            + self.api.len()
            + text(&self.app_id)
            + text(&self.out_trade_no)
            + self.body.len()
            + text(&self.code)
            + self.faults.len() * std::mem::size_of::<Fault>()
            + self
                .violations
                .iter()
                .map(|v| v.to_string().len())
                .sum::<usize>()
    }

    /// The entry without its body (and what was read from it).
    pub(crate) fn without_body(mut self) -> ReceivedRequest {
        self.body = String::new();
        self.app_id = None;
        self.out_trade_no = None;
        self.violations = Vec::new();
        self
    }
}

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationKind {
    /// The payout result (`notifyType` `PAYOUT`).
    Payout,
    /// A request for information about the order (`businessType` `PAYMENT`).
    Rfi {
        /// The RFI's `rfiNo`.
        rfi_no: String,
        /// Its status in this notification: `REVIEW` (material asked for), `PASS`, `CLOSE`.
        status: String,
    },
}

/// One notification (a status change of one order, or a step of its RFI) and its delivery
/// attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationRecord {
    /// A payout result or an RFI.
    pub kind: NotificationKind,
    /// The merchant number.
    pub merchant_no: String,
    /// The order's `outTradeNo`.
    pub out_trade_no: String,
    /// The order's `tradeNo`.
    pub trade_no: String,
    /// The order's status it announces (for an RFI notification: the order's status then).
    pub status: Status,
    /// Where it goes.
    pub url: String,
    /// The exact body sent.
    pub body: String,
    /// The `sign` header sent.
    pub sign: String,
    /// Whether this is the deliberate second delivery of [`Fault::DuplicateNotification`].
    ///
    /// [`Fault::DuplicateNotification`]: crate::Fault::DuplicateNotification
    pub duplicate: bool,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
    /// Where delivery stands.
    pub delivery: Delivery,
}

impl NotificationRecord {
    /// Whether the merchant acknowledged it.
    pub fn acknowledged(&self) -> bool {
        self.delivery == Delivery::Acknowledged
    }
}

/// Where a notification's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// More attempts to come.
    InProgress,
    /// The merchant answered with the acknowledgement.
    Acknowledged,
    /// Every attempt of the schedule failed.
    GaveUp,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// When it was sent.
    pub at: SystemTime,
    /// What came back.
    pub result: AttemptResult,
}

/// What one delivery attempt got back.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptResult {
    /// The acknowledgement.
    Acknowledged,
    /// An answer that is not the acknowledgement.
    Rejected {
        /// The HTTP status.
        http_status: u16,
        /// The body (lossy UTF-8, at most 4 KiB).
        body: String,
    },
    /// No answer: connection refused, timeout, invalid URL…
    Failed(String),
}
