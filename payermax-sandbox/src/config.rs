//! How a sandbox is set up: merchants, keys, delays, the state file, and the JSON config file.

use crate::error::SandboxError;
use crate::faults::FaultPlan;
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
        }
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
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            settle: Duration::from_secs(1),
            pending_rule: Duration::from_secs(30),
            bounceback: Duration::from_secs(5),
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
    pub(crate) read_timeout: Duration,
    pub(crate) faults: FaultPlan,
}

impl Default for SandboxConfig {
    /// `127.0.0.1:0`, the built-in spec, a generated PayerMax key pair, no merchants, the
    /// system clock, default [`Timings`], the documented notification schedule unscaled, a 10 s
    /// notification timeout, state in memory only, 256 KiB bodies read within 30 s, no faults.
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
            read_timeout: Duration::from_secs(30),
            faults: FaultPlan::default(),
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

    /// How many requests [`Sandbox::requests`](crate::Sandbox::requests) keeps (default
    /// 100 000): past that the oldest entry goes, so a sandbox that runs for long (a load test,
    /// a shared development instance) does not grow without bound. Orders are kept whatever.
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
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
        let text = std::fs::read_to_string(path)
            .map_err(|e| SandboxError::Config(format!("cannot read {}: {e}", path.display())))?;
        let file: ConfigFile = serde_json::from_str(&text).map_err(|e| {
            SandboxError::Config(format!("{}: {}", path.display(), without_values(&e)))
        })?;
        file.into_config()
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
///   "settleMs": 1000, "pendingRuleMs": 30000, "bouncebackMs": 5000, "notifyScale": 1.0
/// }
/// ```
///
/// `privateKey` is PayerMax's (the sandbox's) private key in the dashboard format or PEM; keep
/// it to keep the same PayerMax public key across restarts. Merchant public keys are in the
/// dashboard format or PEM.
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
    /// [`SandboxConfig::notify_scale`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_scale: Option<f64>,
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
            .field("notify_scale", &self.notify_scale)
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
}

impl ConfigFile {
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
            config = config.merchant(merchant);
        }
        let ms = |v: Option<u64>, default: Duration| v.map_or(default, Duration::from_millis);
        let defaults = Timings::default();
        config = config.timings(Timings {
            settle: ms(self.settle_ms, defaults.settle),
            pending_rule: ms(self.pending_rule_ms, defaults.pending_rule),
            bounceback: ms(self.bounceback_ms, defaults.bounceback),
        });
        if let Some(scale) = self.notify_scale {
            config = config.notify_scale(scale);
        }
        Ok(config)
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
}
