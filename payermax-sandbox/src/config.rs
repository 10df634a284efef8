//! How a sandbox is set up: merchants, keys, delays, the state file, and the JSON config file.

use crate::error::SandboxError;
use crate::faults::{Fault, FaultPlan, FaultRule, RandomFaults};
use crate::records::Api;
use payermax_runtime::{Clock, PrivateKey, PublicKey, SystemClock};
use payermax_spec::Spec;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A merchant the sandbox accepts requests from, as registered in PayerMax's dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Merchant {
    /// The app id (`appId` in the envelope).
    pub app_id: String,
    /// The merchant number (`merchantNo`).
    pub merchant_no: String,
    /// The merchant's public key: requests must be signed with its private half.
    pub public_key: PublicKey,
    /// Where notifications go when an order has no `notifyUrl` (the dashboard's callback URL).
    pub notify_url: Option<String>,
    /// Decimal places agreed with this merchant per currency, where they differ from the spec
    /// (Jordan's dinar: 3 by arrangement).
    pub currency_decimals: Vec<(String, u8)>,
    /// The payout (DISBURSEMENT) account's funding per currency, as decimal text: a payout
    /// debits its amount, a FAILED or BOUNCEBACK order gives it back, and one larger than what
    /// is left is refused with `BALANCE_INSUFFICIENT`. A currency not listed is not limited
    /// (and not reported by `currentBalanceQuery`).
    pub balances: Vec<(String, String)>,
}

impl Merchant {
    /// A merchant without a default notification URL.
    pub fn new(
        app_id: impl Into<String>,
        merchant_no: impl Into<String>,
        public_key: PublicKey,
    ) -> Self {
        Merchant {
            app_id: app_id.into(),
            merchant_no: merchant_no.into(),
            public_key,
            notify_url: None,
            currency_decimals: Vec::new(),
            balances: Vec::new(),
        }
    }

    /// Funds the merchant's payout account with `amount` (decimal text) of `currency`.
    pub fn balance(mut self, currency: impl Into<String>, amount: impl Into<String>) -> Self {
        let currency = currency.into();
        self.balances.retain(|(c, _)| *c != currency);
        self.balances.push((currency, amount.into()));
        self
    }

    /// Agrees `places` decimal places for `currency` with this merchant (as PayerMax support
    /// does for Jordan's dinar, whose default is 2): amounts with up to that many are paid.
    pub fn currency_decimals(mut self, currency: impl Into<String>, places: u8) -> Self {
        let currency = currency.into();
        self.currency_decimals.retain(|(c, _)| *c != currency);
        self.currency_decimals.push((currency, places));
        self
    }

    /// Sets the default notification URL (`http://` only: the sandbox speaks no TLS).
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }

    /// A merchant with a freshly generated key pair; returns the private key the merchant's
    /// client signs with.
    pub fn generate(
        app_id: impl Into<String>,
        merchant_no: impl Into<String>,
    ) -> Result<(Merchant, PrivateKey), SandboxError> {
        let (private, public) =
            payermax_runtime::keys::generate_keypair().map_err(|source| SandboxError::Key {
                what: "generating a merchant key pair".into(),
                source,
            })?;
        Ok((Merchant::new(app_id, merchant_no, public), private))
    }
}

/// How long simulated orders take (reference §15 says nothing about timing, §18.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// `PENDING` → `SUCCESS`/`FAILED` for ordinary orders. Default 1 s.
    pub settle: Duration,
    /// How long an order under the "stays pending" rule (amount 100 or 10000) stays `PENDING`
    /// before it succeeds. Default 30 s.
    pub pending_rule: Duration,
    /// `SUCCESS` → `BOUNCEBACK` for remark `BOUNCEBACK`. Default 5 s.
    pub bounceback: Duration,
    /// How long an RFI (remark `RFI`) waits for its material before the order fails: the RFI
    /// notification's `expireTime`. Default 60 s (PayerMax's deadlines are days; the reference
    /// gives no figure).
    pub rfi_deadline: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            settle: Duration::from_secs(1),
            pending_rule: Duration::from_secs(30),
            bounceback: Duration::from_secs(5),
            rfi_deadline: Duration::from_secs(60),
        }
    }
}

/// Everything a sandbox starts with. Build it with the chained setters:
///
/// ```
/// use payermax_sandbox::{SandboxConfig, Timings};
/// use std::time::Duration;
/// let config = SandboxConfig::default()
///     .notify_scale(0.001)
///     .timings(Timings { settle: Duration::from_millis(20), ..Timings::default() });
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct SandboxConfig {
    pub(crate) bind: SocketAddr,
    pub(crate) spec: Option<Arc<Spec>>,
    pub(crate) private_key: Option<PrivateKey>,
    pub(crate) merchants: Vec<Merchant>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) timings: Timings,
    pub(crate) notify_scale: f64,
    pub(crate) notify_timeout: Duration,
    pub(crate) state_file: Option<PathBuf>,
    pub(crate) max_body_bytes: usize,
    pub(crate) request_log_limit: usize,
    pub(crate) request_log_max_bytes: usize,
    pub(crate) read_timeout: Duration,
    pub(crate) faults: FaultPlan,
    pub(crate) log_requests: bool,
}

impl Default for SandboxConfig {
    /// `127.0.0.1:0`, the built-in spec, a generated PayerMax key pair, no merchants, the
    /// system clock, default [`Timings`], the documented notification schedule unscaled, a 10 s
    /// notification timeout, state in memory only, 256 KiB bodies read within 30 s, a request
    /// log of at most 100 000 entries and 16 MiB, no faults.
    fn default() -> Self {
        SandboxConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            spec: None,
            private_key: None,
            merchants: Vec::new(),
            clock: Arc::new(SystemClock),
            timings: Timings::default(),
            notify_scale: 1.0,
            notify_timeout: Duration::from_secs(10),
            state_file: None,
            max_body_bytes: 256 * 1024,
            request_log_limit: 100_000,
            request_log_max_bytes: 16 * 1024 * 1024,
            read_timeout: Duration::from_secs(30),
            faults: FaultPlan::default(),
            log_requests: false,
        }
    }
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("bind", &self.bind)
            .field("spec", &self.spec.as_ref().map(|_| "custom"))
            .field("private_key", &self.private_key)
            .field("merchants", &self.merchants)
            .field("timings", &self.timings)
            .field("notify_scale", &self.notify_scale)
            .field("state_file", &self.state_file)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("request_log_limit", &self.request_log_limit)
            .field("request_log_max_bytes", &self.request_log_max_bytes)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl SandboxConfig {
    /// The address to listen on (default `127.0.0.1:0`: a free port on loopback).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The port on 127.0.0.1 (0: any free port).
    pub fn port(self, port: u16) -> Self {
        self.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }

    /// The spec to validate with (default: the built-in one).
    pub fn spec(mut self, spec: Arc<Spec>) -> Self {
        self.spec = Some(spec);
        self
    }

    /// PayerMax's private key, which signs responses and notifications (default: a fresh
    /// 2048-bit key pair; pass one to keep the same public key across restarts).
    pub fn private_key(mut self, key: PrivateKey) -> Self {
        self.private_key = Some(key);
        self
    }

    /// Registers a merchant (more can be added with [`Sandbox::register_merchant`]).
    ///
    /// [`Sandbox::register_merchant`]: crate::Sandbox::register_merchant
    pub fn merchant(mut self, merchant: Merchant) -> Self {
        self.merchants.push(merchant);
        self
    }

    /// The clock for `requestTime` checks and every time the sandbox writes. Delays are real
    /// time (tokio timers) whatever the clock says.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long simulated orders take.
    pub fn timings(mut self, timings: Timings) -> Self {
        self.timings = timings;
        self
    }

    /// Multiplies the notification retry gaps (0 s, 30 s, 300 s, 600 s, 3600 s, 43200 s) by
    /// `factor`: `0.001` turns 30 s into 30 ms. Must be finite and not negative.
    pub fn notify_scale(mut self, factor: f64) -> Self {
        self.notify_scale = factor;
        self
    }

    /// How long one notification delivery waits for the merchant's answer (default 10 s).
    pub fn notify_timeout(mut self, timeout: Duration) -> Self {
        self.notify_timeout = timeout;
        self
    }

    /// Keeps orders in an append-only journal at `path` (JSON lines), read back on start.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Prints one line per request on stderr (api, `outTradeNo`, the code answered, and what
    /// was wrong with it): `payermax sandbox` turns it on. Off by default (tests read
    /// [`Sandbox::requests`](crate::Sandbox::requests) instead).
    pub fn log_requests(mut self, on: bool) -> Self {
        self.log_requests = on;
        self
    }

    /// How many requests [`Sandbox::requests`](crate::Sandbox::requests) keeps (default
    /// 100 000): past that the oldest entry goes, so a sandbox that runs for long (a load test,
    /// a shared development instance) does not grow without bound. Orders are kept whatever.
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
        self
    }

    /// How many bytes the request log may hold (default 16 MiB), counted as
    /// [`ReceivedRequest::log_bytes`] says; past that the oldest entries go. With the count
    /// limit this bounds the log's memory whatever clients send: an entry larger than the whole
    /// budget is kept without its body, and requests refused before their signature verified
    /// are kept as summaries without a body in the first place
    /// ([`ReceivedRequest::verified`]).
    ///
    /// [`ReceivedRequest::log_bytes`]: crate::ReceivedRequest::log_bytes
    /// [`ReceivedRequest::verified`]: crate::ReceivedRequest::verified
    pub fn request_log_max_bytes(mut self, bytes: usize) -> Self {
        self.request_log_max_bytes = bytes;
        self
    }

    /// The largest request body accepted; larger ones get HTTP 413 (default 256 KiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// How long a client may take to send a request's headers, and then its body (default
    /// 30 s each). A client that is slower (a stalled or deliberately slow sender) has its
    /// connection closed without an answer when the headers are late, and gets HTTP 408 when the
    /// body is; either way it no longer holds the connection. An idle keep-alive connection is
    /// closed after the same time.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The faults to inject from the start (change them later with [`Sandbox::set_faults`]).
    ///
    /// [`Sandbox::set_faults`]: crate::Sandbox::set_faults
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// Reads a JSON config file (see [`ConfigFile`]) on top of the defaults.
    pub fn from_file(path: impl AsRef<Path>) -> Result<SandboxConfig, SandboxError> {
        let path = path.as_ref();
        ConfigFile::read(path)?
            .into_config()
            .map_err(|e| in_file(path, e))
    }
}

/// The JSON config file of the `payermax-sandbox` binary (`--config FILE`). Every key is
/// optional:
///
/// ```json
/// {
///   "privateKey": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC…",
///   "merchants": [
///     {"appId": "my-app", "merchantNo": "M0001", "publicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOC…",
///      "notifyUrl": "http://127.0.0.1:9000/payermax/notify"}
///   ],
///   "settleMs": 1000, "pendingRuleMs": 30000, "bouncebackMs": 5000, "rfiDeadlineMs": 60000,
///   "notifyScale": 1.0,
///   "faults": {
///     "rules": [
///       {"fault": "dropAfterCommit", "api": "paymentOrderPay", "outTradeNo": "order_1", "times": 1},
///       {"fault": "latency", "latencyMs": 2000, "api": "paymentOrderQry"}
///     ],
///     "random": {"seed": 7, "probability": 0.1,
///                "faults": [{"fault": "tooManyRequests"}, {"fault": "serverError", "status": 503}]}
///   }
/// }
/// ```
///
/// `privateKey` is PayerMax's (the sandbox's) private key in the dashboard format or PEM; keep
/// it to keep the same PayerMax public key across restarts. Merchant public keys are in the
/// dashboard format or PEM.
///
/// `faults` is the [`FaultPlan`] (see [`FaultsEntry`]): `rules` are [`FaultRule`]s, tried in
/// order; `random` is [`RandomFaults`]. A fault is named by `fault` with its parameters beside
/// it ([`FaultEntry`]):
///
/// | `fault` | parameters | [`Fault`] |
/// |---|---|---|
/// | `latency` | `latencyMs` (required) | [`Fault::Latency`] |
/// | `dropAfterCommit` | | [`Fault::DropConnection`] |
/// | `serverError` | `status` (500–599, default 500), `json` (default false), `commit` (default false) | [`Fault::ServerError`] |
/// | `tooManyRequests` | | [`Fault::TooManyRequests`] |
/// | `badSignature` | | [`Fault::BadSignature`] |
/// | `duplicateNotification` | | [`Fault::DuplicateNotification`] |
///
/// A rule may add `appId`, `api` (one of the four api names), `outTradeNo` and `times` (at
/// least 1; default: every matching request). `random` takes `probability` (0–1, required),
/// `seed` (default 0) and `faults` (not empty; default: `dropAfterCommit`, `serverError`,
/// `serverError` with `commit`, `tooManyRequests` and `badSignature`, each as likely). The
/// `payermax-sandbox` flags `--fault-rate`, `--fault-kinds` and `--fault-seed` replace those
/// three (see [`crate::cli`]).
///
/// Errors name the key (`faults.rules[0].fault`) and never repeat the value found there.
///
/// `Debug` does not show `privateKey`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigFile {
    /// PayerMax's private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// The merchants.
    #[serde(default)]
    pub merchants: Vec<MerchantEntry>,
    /// [`Timings::settle`] in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_ms: Option<u64>,
    /// [`Timings::pending_rule`] in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_rule_ms: Option<u64>,
    /// [`Timings::bounceback`] in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounceback_ms: Option<u64>,
    /// [`Timings::rfi_deadline`] in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfi_deadline_ms: Option<u64>,
    /// [`SandboxConfig::notify_scale`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_scale: Option<f64>,
    /// [`SandboxConfig::faults`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<FaultsEntry>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .field("merchants", &self.merchants)
            .field("settle_ms", &self.settle_ms)
            .field("pending_rule_ms", &self.pending_rule_ms)
            .field("bounceback_ms", &self.bounceback_ms)
            .field("rfi_deadline_ms", &self.rfi_deadline_ms)
            .field("notify_scale", &self.notify_scale)
            .field("faults", &self.faults)
            .finish()
    }
}

/// A merchant in the [`ConfigFile`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MerchantEntry {
    /// The app id.
    pub app_id: String,
    /// The merchant number.
    pub merchant_no: String,
    /// The merchant's public key.
    pub public_key: String,
    /// The default notification URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_url: Option<String>,
    /// The payout account's funding per currency (`{"BRL": "100000.00"}`), as
    /// [`Merchant::balance`]; absent: not limited.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub balances: std::collections::BTreeMap<String, String>,
}

/// The `faults` of the [`ConfigFile`]: a [`FaultPlan`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultsEntry {
    /// [`FaultRule`]s, tried in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<FaultRuleEntry>,
    /// [`RandomFaults`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub random: Option<RandomFaultsEntry>,
}

/// A [`FaultRule`] in the [`ConfigFile`]: a fault (as in [`FaultEntry`]) and the requests it
/// applies to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRuleEntry {
    /// The fault's name: `latency`, `dropAfterCommit`, `serverError`, `tooManyRequests`,
    /// `badSignature` or `duplicateNotification`.
    pub fault: String,
    /// `latency`: the delay in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// `serverError`: the HTTP status, 500–599 (default 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `serverError`: a JSON `SYSTEM_ERROR` body rather than an HTML page (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<bool>,
    /// `serverError`: process the request (a payout commits its order) before failing
    /// (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<bool>,
    /// [`FaultRule::app_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// [`FaultRule::api`]: `paymentFieldValidation`, `paymentOrderPay`, `paymentOrderQry` or
    /// `paymentOrderBatchQry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// [`FaultRule::out_trade_no`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// [`FaultRule::times`], at least 1 (default: every matching request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

/// [`RandomFaults`] in the [`ConfigFile`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RandomFaultsEntry {
    /// [`RandomFaults::seed`] (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// [`RandomFaults::probability`], 0–1. Required (here or by `--fault-rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// [`RandomFaults::faults`], not empty (default: see [`ConfigFile`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<Vec<FaultEntry>>,
}

/// A [`Fault`] in the [`ConfigFile`]: its name and the parameters of that fault (see the table
/// at [`ConfigFile`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultEntry {
    /// The fault's name: `latency`, `dropAfterCommit`, `serverError`, `tooManyRequests`,
    /// `badSignature` or `duplicateNotification`.
    pub fault: String,
    /// `latency`: the delay in milliseconds (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// `serverError`: the HTTP status, 500–599 (default 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `serverError`: a JSON `SYSTEM_ERROR` body rather than an HTML page (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<bool>,
    /// `serverError`: process the request first (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<bool>,
}

/// The fault names of the config file, in the order of the documentation.
const FAULT_NAMES: &str =
    "latency, dropAfterCommit, serverError, tooManyRequests, badSignature, duplicateNotification";

impl FaultEntry {
    /// A fault without parameters (or with their defaults).
    pub fn named(fault: &str) -> FaultEntry {
        FaultEntry {
            fault: fault.to_owned(),
            ..FaultEntry::default()
        }
    }

    /// The [`Fault`] this entry names. `at` is where the entry is (`faults.rules[0]`), for the
    /// message; the message never repeats a value.
    pub fn to_fault(&self, at: &str) -> Result<Fault, String> {
        let only_for = |present: bool, key: &str, fault: &str| {
            if present {
                Err(format!("{at}.{key} applies to `{fault}` faults only"))
            } else {
                Ok(())
            }
        };
        let server_params = self.status.is_some() || self.json.is_some() || self.commit.is_some();
        let fault = match self.fault.as_str() {
            "latency" => {
                only_for(server_params, "status/json/commit", "serverError")?;
                let ms = self
                    .latency_ms
                    .ok_or_else(|| format!("{at}.latencyMs is required for a `latency` fault"))?;
                return Ok(Fault::Latency(Duration::from_millis(ms)));
            }
            "serverError" => {
                only_for(self.latency_ms.is_some(), "latencyMs", "latency")?;
                let status = self.status.unwrap_or(500);
                if !(500..=599).contains(&status) {
                    return Err(format!(
                        "{at}.status must be an HTTP status from 500 to 599"
                    ));
                }
                return Ok(Fault::ServerError {
                    status,
                    json: self.json.unwrap_or(false),
                    commit: self.commit.unwrap_or(false),
                });
            }
            "dropAfterCommit" => Fault::DropConnection,
            "tooManyRequests" => Fault::TooManyRequests,
            "badSignature" => Fault::BadSignature,
            "duplicateNotification" => Fault::DuplicateNotification,
            _ => return Err(format!("{at}.fault is not one of {FAULT_NAMES}")),
        };
        only_for(self.latency_ms.is_some(), "latencyMs", "latency")?;
        only_for(server_params, "status/json/commit", "serverError")?;
        Ok(fault)
    }
}

impl FaultRuleEntry {
    fn to_rule(&self, at: &str) -> Result<FaultRule, String> {
        let fault = FaultEntry {
            fault: self.fault.clone(),
            latency_ms: self.latency_ms,
            status: self.status,
            json: self.json,
            commit: self.commit,
        }
        .to_fault(at)?;
        let mut rule = FaultRule::new(fault);
        if let Some(app_id) = &self.app_id {
            rule = rule.app_id(app_id);
        }
        if let Some(api) = &self.api {
            if Api::from_name(api).is_none() {
                return Err(format!("{at}.api is not one of {}", Api::names()));
            }
            rule = rule.api(api);
        }
        if let Some(out_trade_no) = &self.out_trade_no {
            rule = rule.out_trade_no(out_trade_no);
        }
        match self.times {
            Some(0) => return Err(format!("{at}.times must be at least 1")),
            Some(n) => rule = rule.times(n),
            None => {}
        }
        Ok(rule)
    }
}

impl FaultsEntry {
    /// The random faults when none are named: every fault that leaves a client without an
    /// answer it can trust (a dropped connection after commit, HTTP 500 before and after
    /// commit, `TOO_MANY_REQUEST`, a bad response signature).
    pub(crate) fn default_random() -> Vec<Fault> {
        vec![
            Fault::DropConnection,
            Fault::ServerError {
                status: 500,
                json: false,
                commit: false,
            },
            Fault::ServerError {
                status: 500,
                json: false,
                commit: true,
            },
            Fault::TooManyRequests,
            Fault::BadSignature,
        ]
    }

    /// The [`FaultPlan`] this describes.
    pub fn to_plan(&self) -> Result<FaultPlan, SandboxError> {
        let mut plan = FaultPlan::new();
        for (i, rule) in self.rules.iter().enumerate() {
            plan = plan.rule(
                rule.to_rule(&format!("faults.rules[{i}]"))
                    .map_err(SandboxError::Config)?,
            );
        }
        if let Some(random) = &self.random {
            let probability = random.probability.ok_or_else(|| {
                SandboxError::Config(
                    "faults.random.probability (or --fault-rate) is required for random faults"
                        .into(),
                )
            })?;
            if !(0.0..=1.0).contains(&probability) {
                return Err(SandboxError::Config(
                    "faults.random.probability (--fault-rate) must be a number from 0 to 1".into(),
                ));
            }
            let faults = match &random.faults {
                None => FaultsEntry::default_random(),
                Some(list) if list.is_empty() => {
                    return Err(SandboxError::Config(
                        "faults.random.faults (--fault-kinds) must not be empty".into(),
                    ));
                }
                Some(list) => list
                    .iter()
                    .enumerate()
                    .map(|(i, f)| f.to_fault(&format!("faults.random.faults[{i}]")))
                    .collect::<Result<_, _>>()
                    .map_err(SandboxError::Config)?,
            };
            plan = plan.random(RandomFaults {
                seed: random.seed.unwrap_or(0),
                probability,
                faults,
            });
        }
        Ok(plan)
    }
}

impl ConfigFile {
    /// Reads a config file; serde's errors are shown without the values they quote.
    pub fn read(path: impl AsRef<Path>) -> Result<ConfigFile, SandboxError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| SandboxError::Config(format!("cannot read {}: {e}", path.display())))?;
        serde_json::from_str(&text).map_err(|e| {
            SandboxError::Config(format!("{}: {}", path.display(), without_values(&e)))
        })
    }

    /// The configuration this file describes, on top of the defaults.
    pub fn into_config(self) -> Result<SandboxConfig, SandboxError> {
        let mut config = SandboxConfig::default();
        if let Some(text) = &self.private_key {
            let key = PrivateKey::parse(text).map_err(|source| SandboxError::Key {
                what: "privateKey".into(),
                source,
            })?;
            config = config.private_key(key);
        }
        for (i, m) in self.merchants.into_iter().enumerate() {
            let public_key =
                PublicKey::parse(&m.public_key).map_err(|source| SandboxError::Key {
                    what: format!("merchants[{i}].publicKey ({})", m.app_id),
                    source,
                })?;
            let mut merchant = Merchant::new(m.app_id, m.merchant_no, public_key);
            merchant.notify_url = m.notify_url;
            for (currency, amount) in m.balances {
                merchant = merchant.balance(currency, amount);
            }
            config = config.merchant(merchant);
        }
        let ms = |v: Option<u64>, default: Duration| v.map_or(default, Duration::from_millis);
        let defaults = Timings::default();
        config = config.timings(Timings {
            settle: ms(self.settle_ms, defaults.settle),
            pending_rule: ms(self.pending_rule_ms, defaults.pending_rule),
            bounceback: ms(self.bounceback_ms, defaults.bounceback),
            rfi_deadline: ms(self.rfi_deadline_ms, defaults.rfi_deadline),
        });
        if let Some(scale) = self.notify_scale {
            config = config.notify_scale(scale);
        }
        if let Some(faults) = &self.faults {
            config = config.faults(faults.to_plan()?);
        }
        Ok(config)
    }
}

/// A configuration error found in the file at `path`, saying so.
pub(crate) fn in_file(path: &Path, error: SandboxError) -> SandboxError {
    match error {
        SandboxError::Config(message) => {
            SandboxError::Config(format!("{}: {message}", path.display()))
        }
        other => other,
    }
}

/// serde's message with every quoted value replaced by `"…"`: a private key pasted under the
/// wrong name (`"settleMs": "MIIEv…"`) must not come back in the error. Field names, which
/// serde quotes with backticks, and the line and column stay.
fn without_values(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            // serde writes the value as Rust's `{:?}` does: `\"` inside, `"` at the end.
            let mut escaped = false;
            for c in chars.by_ref() {
                match c {
                    '"' if !escaped => break,
                    '\\' => escaped = !escaped,
                    _ => escaped = false,
                }
            }
            out.push_str("…\"");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn config_errors_do_not_echo_values() {
        let e = serde_json::from_str::<ConfigFile>(r#"{"settleMs": "MIIEsecret\"quoted\"rest"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("MIIEsecret"));
        let shown = without_values(&e);
        assert_eq!(
            shown,
            r#"invalid type: string "…", expected u64 at line 1 column 39"#
        );
        let e = serde_json::from_str::<ConfigFile>(r#"{"privateKy": "MIIE"}"#).unwrap_err();
        assert!(without_values(&e).starts_with("unknown field `privateKy`, expected one of"));
    }

    fn plan(json: &str) -> Result<FaultPlan, String> {
        let file: ConfigFile = serde_json::from_str(json).map_err(|e| without_values(&e))?;
        file.into_config()
            .map(|c| c.faults)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn faults_from_the_config_file() {
        let got = plan(
            r#"{"faults": {
                "rules": [
                    {"fault": "dropAfterCommit", "api": "paymentOrderPay", "outTradeNo": "o1", "times": 1},
                    {"fault": "latency", "latencyMs": 1500, "appId": "app"},
                    {"fault": "serverError", "status": 502, "json": true, "commit": true},
                    {"fault": "serverError"},
                    {"fault": "tooManyRequests", "times": 2},
                    {"fault": "badSignature", "api": "paymentOrderQry"},
                    {"fault": "duplicateNotification", "outTradeNo": "twice"}
                ],
                "random": {"seed": 7, "probability": 0.25,
                           "faults": [{"fault": "tooManyRequests"}, {"fault": "serverError", "status": 503}]}
            }}"#,
        )
        .unwrap();
        let expected = FaultPlan::new()
            .rule(
                FaultRule::new(Fault::DropConnection)
                    .api("paymentOrderPay")
                    .out_trade_no("o1")
                    .times(1),
            )
            .rule(FaultRule::new(Fault::Latency(Duration::from_millis(1500))).app_id("app"))
            .rule(FaultRule::new(Fault::ServerError {
                status: 502,
                json: true,
                commit: true,
            }))
            .rule(FaultRule::new(Fault::ServerError {
                status: 500,
                json: false,
                commit: false,
            }))
            .rule(FaultRule::new(Fault::TooManyRequests).times(2))
            .rule(FaultRule::new(Fault::BadSignature).api("paymentOrderQry"))
            .rule(FaultRule::new(Fault::DuplicateNotification).out_trade_no("twice"))
            .random(RandomFaults {
                seed: 7,
                probability: 0.25,
                faults: vec![
                    Fault::TooManyRequests,
                    Fault::ServerError {
                        status: 503,
                        json: false,
                        commit: false,
                    },
                ],
            });
        assert_eq!(got, expected);
        // seed and faults have defaults; no `faults` key is no faults
        let got = plan(r#"{"faults": {"random": {"probability": 0.5}}}"#).unwrap();
        assert_eq!(
            got,
            FaultPlan::new().random(RandomFaults {
                seed: 0,
                probability: 0.5,
                faults: FaultsEntry::default_random(),
            })
        );
        assert_eq!(plan("{}").unwrap(), FaultPlan::new());
        // the file round-trips
        let file: ConfigFile = serde_json::from_str(
            r#"{"faults": {"rules": [{"fault": "latency", "latencyMs": 5, "times": 1}]}}"#,
        )
        .unwrap();
        let again: ConfigFile =
            serde_json::from_str(&serde_json::to_string(&file).unwrap()).unwrap();
        assert_eq!(again, file);
    }

    #[test]
    fn fault_errors_name_the_key_and_never_the_value() {
        let secret = "MIIEsecret";
        let cases = [
            (
                r#"{"faults": {"rules": [{"fault": "MIIEsecret"}]}}"#,
                "faults.rules[0].fault is not one of latency, dropAfterCommit",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature"}, {"fault": "latency"}]}}"#,
                "faults.rules[1].latencyMs is required",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "serverError", "status": 404}]}}"#,
                "faults.rules[0].status must be an HTTP status from 500 to 599",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature", "status": 500}]}}"#,
                "faults.rules[0].status/json/commit applies to `serverError` faults only",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "serverError", "latencyMs": 5}]}}"#,
                "faults.rules[0].latencyMs applies to `latency` faults only",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature", "api": "MIIEsecret"}]}}"#,
                "faults.rules[0].api is not one of paymentFieldValidation, paymentOrderPay",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature", "times": 0}]}}"#,
                "faults.rules[0].times must be at least 1",
            ),
            (
                r#"{"faults": {"random": {"seed": 3}}}"#,
                "faults.random.probability (or --fault-rate) is required",
            ),
            (
                r#"{"faults": {"random": {"probability": 1.5}}}"#,
                "must be a number from 0 to 1",
            ),
            (
                r#"{"faults": {"random": {"probability": 0.5, "faults": []}}}"#,
                "faults.random.faults (--fault-kinds) must not be empty",
            ),
            (
                r#"{"faults": {"random": {"probability": 0.5, "faults": [{"fault": "MIIEsecret"}]}}}"#,
                "faults.random.faults[0].fault is not one of",
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature", "times": "MIIEsecret"}]}}"#,
                r#"invalid type: string "…", expected u32"#,
            ),
            (
                r#"{"faults": {"rules": [{"fault": "badSignature", "outTradeN": "MIIEsecret"}]}}"#,
                "unknown field `outTradeN`",
            ),
            (
                r#"{"faults": {"random": {"probability": "MIIEsecret"}}}"#,
                r#"invalid type: string "…", expected f64"#,
            ),
        ];
        for (json, expected) in cases {
            let message = plan(json).unwrap_err();
            assert!(message.contains(expected), "{json}: {message}");
            assert!(!message.contains(secret), "{json}: {message}");
        }
    }
}
