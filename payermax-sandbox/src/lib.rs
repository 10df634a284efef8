//! # payermax-sandbox
//!
//! A local PayerMax payout gateway for tests and demos: the merchant-facing calls under
//! `/aggregate-pay/api/gateway/` (`paymentFieldValidation`, `paymentOrderPay`,
//! `paymentOrderQry`, `paymentOrderBatchQry`, `currentBalanceQuery`, `dayEndBalanceQuery`,
//! `putRfiMaterialList`) with PayerMax's envelope, signatures, error codes and validation rules
//! (from the same spec as the SDK), simulated outcomes and RFIs, signed notifications with
//! retries, fault injection, and an inspection API for tests. No
//! credentials, no IP whitelist, no internet: it listens on loopback.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use payermax_sandbox::{Merchant, Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default().notify_scale(0.001)).await?;
//! let (merchant, merchant_key) = Merchant::generate("my-app", "M0001")?;
//! sandbox.register_merchant(merchant.notify_url("http://127.0.0.1:9000/notify"));
//! // Point the client at sandbox.base_url(), sign with merchant_key, and verify answers with
//! // sandbox.public_key().
//! println!("{} {}", sandbox.base_url(), sandbox.public_key_dashboard());
//! # let _ = merchant_key;
//! // … run the payout, then look at what happened:
//! assert!(sandbox.order_count("order_1") <= 1);
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! ## Inspection API
//! On the same listener, unsigned JSON over HTTP, for shell scripts and other processes to see
//! what the sandbox holds ([`Sandbox::inspect_url`]):
//!
//! - `GET /__sandbox/orders` → `{"orders": [...]}`, every order in creation order (as
//!   [`Sandbox::orders`]);
//! - `GET /__sandbox/orders/{outTradeNo}` (percent-encoded) → the first order placed with that
//!   `outTradeNo` (as [`Sandbox::order`]), HTTP 404 `{"error": ...}` when there is none.
//!
//! Each order is `{appId, merchantNo, outTradeNo, tradeNo, status, amount, currency, country,
//! createdAt, orderCount}`, where `orderCount` is [`Sandbox::order_count`] of its `outTradeNo`
//! (more than 1 for one merchant would be a double payment); the single order adds `outcome`
//! and `history` (`[{status, at}]`, times RFC 3339 UTC). GET only (else 405), no state
//! changes, not in the request log. The sandbox binds loopback only ([`Sandbox::start`]
//! refuses any other address), so nothing off the machine reaches it.
//!
//! ```sh
//! curl -s http://127.0.0.1:8080/__sandbox/orders | jq '.orders[] | select(.orderCount > 1)'
//! curl -s http://127.0.0.1:8080/__sandbox/orders/order_42 | jq -r .status
//! ```
//!
//! ## What it checks, in order
//! 1. Transport (each refusal is a signed `PARAMS_INVALID` envelope with a `msg` saying what is
//!    wrong): unknown path → HTTP 404, not POST → 405, `Content-Type` not `application/json`
//!    (parameters and case ignored) → 415, body over [`SandboxConfig::max_body_bytes`]
//!    (256 KiB) → 413, body not received within [`SandboxConfig::read_timeout`] (30 s) → 408;
//!    headers not received within it → the connection is closed.
//! 2. The body is UTF-8 JSON, an object; the envelope fields of the spec's `RequestEnvelope`
//!    are there and `data` is an object → else `PARAMS_INVALID`, msg `The {field} is
//!    incorrect.` (HTTP 200). `version` and `keyVersion` values are not checked.
//! 3. `appId` is a registered [`Merchant`] and `merchantNo`, when sent, is its number → else
//!    `MERCHANT_APP_INVALID`. `spMerchantNo` (ISV mode) is accepted and not checked.
//! 4. The `sign` header verifies over the raw body with the merchant's public key → else
//!    `SIGN_VERIFY_FAILED`.
//! 5. `requestTime` is within the spec's window (±120 s) of the sandbox [`Clock`] → else
//!    `REQ_TIME_OVER_TIME`. Tolerant (§18.8): any RFC 3339 time — `Z` or `±hh:mm`, 0–9
//!    fraction digits; anything else is `PARAMS_INVALID`.
//! 6. Faults ([`FaultPlan`]; from [`SandboxConfig::faults`], or the binary's config file and
//!    `--fault-*` flags, see [`cli`]): only requests that passed 1–5 get them.
//! 7. The call: `paymentOrderPay` checks `ORDER_REPEAT` first, then the spec's
//!    `validate_payout`; `paymentFieldValidation` answers the spec's `field_report`;
//!    `paymentOrderQry` and `paymentOrderBatchQry` check their request type's field rules.
//!
//! Every answer is signed with PayerMax's key in header `sign` (errors too, §18.3), except
//! injected 5xx pages.
//!
//! Every request goes to the request log ([`Sandbox::requests`]), bounded by
//! [`SandboxConfig::request_log_limit`] entries and [`SandboxConfig::request_log_max_bytes`]
//! bytes (oldest out first). A request refused at 1–4 is logged as a summary (api, time, code,
//! HTTP status, body length) without its body: whoever can reach the port can send those.
//!
//! ## Where the reference is unsure, what the sandbox does
//! - Outcomes (§15, [`Outcome::for_request`]): every order is answered `PENDING`, then settles
//!   after [`Timings::settle`] (`SUCCESS`, or `FAILED` for amount 110/11000 or remark
//!   `FAILED`); amount 100/10000 stays `PENDING` for [`Timings::pending_rule`] and then
//!   succeeds (§18.10 does not say whether UAT ever settles them); remark `BOUNCEBACK` goes
//!   `SUCCESS` and then, after [`Timings::bounceback`], `BOUNCEBACK`. Remark wins over amount,
//!   is matched ignoring ASCII case; amounts compare numerically (`100.00` is 100), whatever the
//!   currency. `FAILED` orders carry `responseCode` [`FAILED_RESPONSE_CODE`]. `subStatus` is
//!   simulated for RFIs only.
//! - RFIs (request for information; PayerMax documents no UAT trigger, so this rule is the
//!   sandbox's own): remark `RFI` holds the order `PENDING` with `subStatus`
//!   `PEND_RFI_MATERIAL` and sends an RFI notification (PayerMax's `/rfiNotifyUrl` body: no
//!   `code`/`msg`/`notifyType`, `data.businessType` `PAYMENT`, `status` `REVIEW`,
//!   `materialList` [`RFI_MATERIAL`] (`ID`, a file), `relateOrderId` the `outTradeNo`,
//!   `expireTime` [`Timings::rfi_deadline`] after placement) to the order's notify URL.
//!   `putRfiMaterialList` with that `rfiNo` and an `ID` entry before the deadline answers
//!   `data: true`, the order shows `subStatus` `REVIEW`, and a settle delay later the RFI
//!   `PASS`es and the order succeeds. No material by the deadline: RFI `CLOSE`, the order
//!   `FAILED` with `responseCode` [`RFI_FAILED_RESPONSE_CODE`], and later payouts of this
//!   merchant to the same payee (country and account number) are refused with
//!   `DECLINED_PAYEE_BLACKLISTED` and create no order (the FAQ says they are refused, not how).
//!   An unknown or closed `rfiNo`, or a list without `ID`, is `PARAMS_INVALID`.
//! - `ORDER_REPEAT` answers `data {outTradeNo, tradeNo, status}` (§18.4). A refused
//!   `paymentOrderPay` creates no order (§18.5), so a corrected resend with the same
//!   `outTradeNo` is accepted. `outTradeNo` is case-sensitive (§18.6).
//! - `PARAMS_INVALID` names the first violated field by its JSON path under `data`
//!   (`The payeeInfo.targetOrg is incorrect.`; PayerMax's examples show only a name) and, as
//!   PayerMax's own example (`{"msg":"The targetOrg is incorrect.","code":"PARAMS_INVALID"}`),
//!   carries no `data`. Every violation (`{path, code, params, message, level}`) is in the
//!   request log ([`ReceivedRequest::violations`], `GET /__sandbox/requests`, and one line per
//!   request on stderr with [`SandboxConfig::log_requests`]).
//! - Rule levels: what breaks only advisory rules (an example, a guess: see the spec's
//!   `level: advise`) is accepted and paid, its warnings logged as above; element validation
//!   reports such fields as passed. A field outside the selected method's rule set is in
//!   `ignoredFields` whatever its value (§4).
//! - Order views: `source` and `destination` repeat the trade amount (no FX, rate
//!   `1.0000000000`, fee and tax `0.00`); times are `yyyy-MM-dd'T'HH:mm:ss +0000`.
//! - Batch query (§8, §18.1): path `paymentOrderBatchQry`; window bounds `yyyy-MM-dd HH:mm:ss`
//!   UTC, inclusive, at most one day apart (else `PARAMS_INVALID`); `pageSize` 1–100, default
//!   20; `currentPageIndex` 1-based, 0 read as 1; optional `status` and `country` filters;
//!   answer `{pageSize, currentPageIndex, totalCount, orderList}` in creation order (the list
//!   name comes from the spec's `PaymentOrderBatchQryResponse`; `totalCount` is the sandbox's).
//! - Notifications (§7): POSTed to the order's `notifyUrl`, else the merchant's, when the order
//!   reaches `SUCCESS`, `FAILED` or `BOUNCEBACK` (so a bounce-back order notifies twice, §18.9).
//!   Body `{code: APPLY_SUCCESS, msg, keyVersion, appId, merchantNo, notifyTime, notifyType:
//!   PAYOUT, data: <order view>}`, signed. Retried on the spec's schedule (0/30/300/600/3600/
//!   43200 s) read as gaps before each attempt (§18.17), times [`SandboxConfig::notify_scale`],
//!   6 attempts at most, until an HTTP 2xx answer whose JSON `code` is `SUCCESS`. `http://` only.
//! - State file ([`SandboxConfig::state_file`]): JSON lines `order_created`,
//!   `status_changed` and `rfi_material`, replayed on start; orders still on their way resume their timers from
//!   their last change. Notification deliveries are not journaled or resumed.
//!
//! [`Clock`]: payermax_runtime::Clock
#![deny(missing_docs)]

mod config;
mod error;
mod faults;
mod gateway;
mod inspect;
mod journal;
mod lifecycle;
mod notify;
mod order;
mod records;
mod server;
mod state;
mod time;

pub mod cli;

pub use config::{
    ConfigFile, FaultEntry, FaultRuleEntry, FaultsEntry, Merchant, MerchantEntry,
    RandomFaultsEntry, SandboxConfig, Timings,
};
pub use error::SandboxError;
pub use faults::{Fault, FaultPlan, FaultRule, RandomFaults};
pub use order::{
    FAILED_RESPONSE_CODE, Order, Outcome, RFI_FAILED_RESPONSE_CODE, RFI_MATERIAL, Rfi, Status,
    StatusChange,
};
pub use records::{
    Attempt, AttemptResult, Delivery, NotificationKind, NotificationRecord, ReceivedRequest,
};

use crate::faults::FaultState;
use crate::journal::Journal;
use crate::lifecycle::schedule_next;
use crate::state::{OrderKey, Shared, State};
use payermax_runtime::PublicKey;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running sandbox. Dropping it stops it too; [`Sandbox::shutdown`] also waits for the
/// listener to close.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("public_key", &self.shared.public_key)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox: loads the spec and the state file, binds the address (by default
    /// `127.0.0.1:0`), resumes the lifecycle of orders read from the state file, and serves
    /// until shut down. Must be called inside a tokio runtime.
    ///
    /// The address must be a loopback one (`127.0.0.0/8` or `::1`), else
    /// [`SandboxError::Config`]: the sandbox authenticates no one on its inspection API and
    /// accepts the fixed keys of tests, so it is never reachable from another machine.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        if !config.bind.ip().is_loopback() {
            return Err(SandboxError::Config(format!(
                "the sandbox listens on loopback only (127.0.0.1 or ::1), not on {}",
                config.bind.ip()
            )));
        }
        if !config.notify_scale.is_finite() || config.notify_scale < 0.0 {
            return Err(SandboxError::Config(format!(
                "notify scale must be a finite number ≥ 0, not {}",
                config.notify_scale
            )));
        }
        let spec = match config.spec {
            Some(spec) => spec,
            None => {
                Arc::new(payermax_spec::builtin().map_err(|d| SandboxError::Spec(d.to_string()))?)
            }
        };
        let key = match config.private_key {
            Some(key) => key,
            None => {
                payermax_runtime::keys::generate_keypair()
                    .map_err(|source| SandboxError::Key {
                        what: "generating PayerMax's key pair".into(),
                        source,
                    })?
                    .0
            }
        };
        let public_key = key.public_key().map_err(|source| SandboxError::Key {
            what: "PayerMax's public key".into(),
            source,
        })?;
        let mut state = State {
            faults: FaultState::new(config.faults),
            request_log_limit: config.request_log_limit,
            request_log_max_bytes: config.request_log_max_bytes,
            ..State::default()
        };
        for merchant in config.merchants {
            state.merchants.insert(merchant.app_id.clone(), merchant);
        }
        if let Some(path) = &config.state_file {
            let (journal, events) = Journal::open(path)?;
            for event in events {
                state.replay(event).map_err(|message| SandboxError::State {
                    path: path.clone(),
                    message,
                })?;
            }
            state.journal = Some(journal);
        }
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            spec,
            key,
            public_key,
            clock: config.clock,
            timings: config.timings,
            notify_scale: config.notify_scale,
            notify_timeout: config.notify_timeout,
            max_body: config.max_body_bytes,
            read_timeout: config.read_timeout,
            log_requests: config.log_requests,
            state: std::sync::Mutex::new(state),
            shutdown,
        });
        let resumed: Vec<OrderKey> = shared.with_state(|s| s.index.keys().cloned().collect());
        for key in resumed {
            schedule_next(&shared, key);
        }
        let server = tokio::spawn(server::serve(listener, Arc::clone(&shared)));
        Ok(Sandbox {
            shared,
            addr,
            stop,
            server: Some(server),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The gateway base URL, e.g. `http://127.0.0.1:40123/aggregate-pay/api/gateway`: a
    /// client's custom environment. Calls go to `<base_url>/<apiName>`.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, gateway::GATEWAY_PATH)
    }

    /// `<base_url>/<api>`.
    pub fn url(&self, api: &str) -> String {
        format!("{}/{api}", self.base_url())
    }

    /// The inspection API's root, e.g. `http://127.0.0.1:40123/__sandbox`: `GET
    /// <inspect_url>/orders` lists the orders (see the crate documentation).
    pub fn inspect_url(&self) -> String {
        format!("http://{}{}", self.addr, inspect::INSPECT_PATH)
    }

    /// PayerMax's public key: clients verify the sandbox's answers and notifications with it.
    pub fn public_key(&self) -> &PublicKey {
        &self.shared.public_key
    }

    /// [`Sandbox::public_key`] in the dashboard format (one line of base64).
    pub fn public_key_dashboard(&self) -> String {
        self.shared.public_key.to_dashboard()
    }

    /// Registers a merchant, replacing any with the same `app_id`.
    pub fn register_merchant(&self, merchant: Merchant) {
        self.shared.with_state(|s| {
            s.merchants.insert(merchant.app_id.clone(), merchant);
        });
    }

    /// Replaces the fault plan (rule counters and the random sequence start afresh).
    pub fn set_faults(&self, plan: FaultPlan) {
        self.shared.with_state(|s| s.faults = FaultState::new(plan));
    }

    /// Adds one rule to the current fault plan.
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared.with_state(|s| s.faults.add_rule(rule));
    }

    /// Every order, in creation order.
    pub fn orders(&self) -> Vec<Order> {
        self.shared.with_state(|s| s.orders.clone())
    }

    /// The order with this `outTradeNo` (of whichever merchant placed it first).
    pub fn order(&self, out_trade_no: &str) -> Option<Order> {
        self.shared
            .with_state(|s| s.first_order(out_trade_no).cloned())
    }

    /// How many orders this `outTradeNo` ever created, over all merchants and restarts (orders
    /// read from the state file count): anything above 1 per merchant would be a double payment.
    pub fn order_count(&self, out_trade_no: &str) -> usize {
        self.shared.with_state(|s| s.order_count(out_trade_no))
    }

    /// The requests received since start, in arrival order: the newest of them, at most
    /// [`SandboxConfig::request_log_limit`] entries and
    /// [`SandboxConfig::request_log_max_bytes`] bytes. Requests refused before their signature
    /// verified are summaries without a body ([`ReceivedRequest`]); requests to the inspection
    /// API are not logged.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared
            .with_state(|s| s.requests.iter().cloned().collect())
    }

    /// The requests whose `data.outTradeNo` is `out_trade_no`.
    pub fn requests_for(&self, out_trade_no: &str) -> Vec<ReceivedRequest> {
        self.shared.with_state(|s| {
            s.requests
                .iter()
                .filter(|r| r.out_trade_no.as_deref() == Some(out_trade_no))
                .cloned()
                .collect()
        })
    }

    /// Every notification (one per status change of an order with a notify URL; deliberate
    /// duplicates as separate records), with its delivery attempts.
    pub fn notifications(&self) -> Vec<NotificationRecord> {
        self.shared.with_state(|s| s.notifications.clone())
    }

    /// Stops serving and stops every timer and delivery. Nothing is written to the state file
    /// after this returns, so another sandbox may open it.
    pub async fn shutdown(mut self) {
        self.shared.with_state(|s| s.closed = true);
        self.stop.send_replace(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shared.with_state(|s| s.closed = true);
        self.stop.send_replace(true);
    }
}
