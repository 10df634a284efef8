//! The gateway's answers: envelope checks, the four endpoints, and the faults that change an
//! answer. Everything here is synchronous and runs under the state lock; the server does the
//! I/O, the signing and the waiting.
//!
//! Checks, in order (the first that fails answers):
//! 1. the body is UTF-8 JSON, an object (`PARAMS_INVALID`);
//! 2. the envelope fields (the spec's `RequestEnvelope`: `version`, `keyVersion`,
//!    `requestTime`, `appId` …) and `data` being an object (`PARAMS_INVALID`, msg
//!    `The {field} is incorrect.`). `version` and `keyVersion` values are not checked;
//! 3. `appId` is a registered merchant, and `merchantNo`, when sent, is its number
//!    (`MERCHANT_APP_INVALID`). `spMerchantNo` (ISV mode) is accepted and not checked;
//! 4. the `sign` header verifies over the raw body with the merchant's public key
//!    (`SIGN_VERIFY_FAILED`);
//! 5. `requestTime` is RFC 3339 (`PARAMS_INVALID`) and within the spec's window (±120 s) of the
//!    sandbox clock (`REQ_TIME_OVER_TIME`);
//! 6. faults ([`crate::faults`]);
//! 7. the endpoint's own checks.
//!
//! A request refused by checks 1–4 (or by the server before them) goes to the request log as a
//! summary without its body ([`ReceivedRequest`]); from check 5 on, the request is signed by a
//! merchant and kept whole.

use crate::faults::{Chosen, Fault, FaultTarget};
use crate::journal::Event;
use crate::order::{Order, Outcome, RFI_MATERIAL, Rfi, Status, StatusChange};
use crate::records::{Api, ReceivedRequest, SUMMARY_API_BYTES};
use crate::state::{OrderKey, Shared, State};
use crate::time;
use payermax_spec::{FieldReport, Violation};
use serde::Serialize;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};

/// Where the four endpoints live.
pub(crate) const GATEWAY_PATH: &str = "/aggregate-pay/api/gateway";

/// `msg` of every successful answer (note the dot).
pub(crate) const SUCCESS_MSG: &str = "Success.";

const PARAMS_INVALID: &str = "PARAMS_INVALID";

/// An envelope answer `{code, msg, data}`, and what the sandbox found wrong with the request
/// (`details`: violations as JSON, advisory ones included), which PayerMax's answers do not
/// carry: it goes to the request log and the inspection API, never into the answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) http: u16,
    pub(crate) code: String,
    pub(crate) msg: String,
    pub(crate) data: Option<Value>,
    pub(crate) details: Vec<Value>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    code: &'a str,
    msg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
}

impl Reply {
    fn success(spec: &payermax_spec::Spec, data: Value) -> Reply {
        Reply {
            http: 200,
            code: spec.api.envelope.success_code.clone(),
            msg: SUCCESS_MSG.to_owned(),
            data: Some(data),
            details: Vec::new(),
        }
    }

    /// `code` with its documented message.
    pub(crate) fn documented(spec: &payermax_spec::Spec, code: &str, data: Option<Value>) -> Reply {
        let msg = spec
            .error_code(code)
            .and_then(|c| c.message.clone())
            .unwrap_or_else(|| code.to_owned());
        Reply {
            http: 200,
            code: code.to_owned(),
            msg,
            data,
            details: Vec::new(),
        }
    }

    /// `PARAMS_INVALID` naming the first violated field, as PayerMax's own example does
    /// (`{"msg":"The targetOrg is incorrect.","code":"PARAMS_INVALID"}`: no `data`); every
    /// violation goes to the request log and the inspection API.
    pub(crate) fn invalid(violations: &[Value]) -> Reply {
        let field = violations
            .first()
            .and_then(|v| v.get("path"))
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .unwrap_or("data");
        Reply {
            http: 200,
            code: PARAMS_INVALID.to_owned(),
            msg: format!("The {field} is incorrect."),
            data: None,
            details: violations.to_vec(),
        }
    }

    /// HTTP 500 `SYSTEM_ERROR`: the state file refused `what`, so nothing was changed.
    fn not_recorded(spec: &payermax_spec::Spec, what: &str, e: &dyn std::fmt::Display) -> Reply {
        let mut failure = Reply::documented(spec, "SYSTEM_ERROR", None);
        failure.http = 500;
        failure.msg = format!("The sandbox could not record {what}: {e}");
        failure
    }

    /// `PARAMS_INVALID` about the request as a whole (not JSON, too big…), under HTTP `http`.
    pub(crate) fn bad_request(http: u16, msg: impl Into<String>) -> Reply {
        Reply {
            http,
            code: PARAMS_INVALID.to_owned(),
            msg: msg.into(),
            data: None,
            details: Vec::new(),
        }
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Envelope {
            code: &self.code,
            msg: &self.msg,
            data: self.data.as_ref(),
        })
        .unwrap_or_else(|_| br#"{"code":"SYSTEM_ERROR","msg":"cannot encode the answer"}"#.to_vec())
    }
}

/// A violation the spec interpreter did not produce, in the same JSON shape.
fn violation(path: &str, code: &str, message: &str) -> Value {
    json!({"path": path, "code": code, "params": {}, "message": message})
}

/// The violations PayerMax would refuse a request for: the enforced ones. An advisory rule
/// rests on an example or a guess, so the sandbox, like the SDK, accepts what breaks it.
fn violations_json(violations: &[Violation]) -> Vec<Value> {
    violations
        .iter()
        .filter(|v| !v.is_advisory())
        .map(Violation::to_json)
        .collect()
}

/// How the server answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// A signed envelope; `corrupt_sign` sends a signature that does not verify.
    Reply { reply: Reply, corrupt_sign: bool },
    /// An unsigned HTTP error (fault).
    ServerError { status: u16, json: bool },
    /// Close the connection without answering (fault).
    Drop,
}

/// The outcome of processing one request.
#[derive(Debug)]
pub(crate) struct Processed {
    pub(crate) answer: Answer,
    pub(crate) latency: Duration,
    /// The order this request created, or whose next step it changed (RFI material), if any:
    /// its lifecycle must be scheduled.
    pub(crate) created: Option<OrderKey>,
}

/// An authenticated request.
struct Authed {
    app_id: String,
    merchant_no: String,
    default_notify_url: Option<String>,
    currency_decimals: Vec<(String, u8)>,
    balances: Vec<(String, String)>,
    data: Value,
}

/// Processes one request to `api` and records it in the request log.
pub(crate) fn process(shared: &Shared, api: Api, body: &[u8], sign: Option<&str>) -> Processed {
    let now = shared.now();
    shared.with_state(|state| {
        let mut chosen = Chosen::default();
        let mut created = None;
        let mut verified = true;
        let answer = match authenticate(shared, state, body, sign, now) {
            Err(refusal) => {
                verified = refusal.verified;
                Answer::Reply {
                    reply: refusal.reply,
                    corrupt_sign: false,
                }
            }
            Ok(request) => {
                let out = request.data.get("outTradeNo").and_then(Value::as_str);
                chosen = state.faults.choose(&FaultTarget {
                    app_id: &request.app_id,
                    api: api.name(),
                    out_trade_no: out,
                });
                if let (Some(Fault::DuplicateNotification), Some(out)) = (&chosen.action, out) {
                    state
                        .duplicate_notify
                        .insert((request.merchant_no.clone(), out.to_owned()));
                }
                let mut run = || {
                    let (reply, key) = dispatch(shared, state, api, &request, now);
                    created = key;
                    reply
                };
                match chosen.action.clone() {
                    Some(Fault::TooManyRequests) => Answer::Reply {
                        reply: Reply::documented(&shared.spec, "TOO_MANY_REQUEST", None),
                        corrupt_sign: false,
                    },
                    Some(Fault::ServerError {
                        status,
                        json,
                        commit,
                    }) => {
                        if commit {
                            run();
                        }
                        Answer::ServerError { status, json }
                    }
                    Some(Fault::DropConnection) => {
                        run();
                        Answer::Drop
                    }
                    Some(Fault::BadSignature) => Answer::Reply {
                        reply: run(),
                        corrupt_sign: true,
                    },
                    _ => Answer::Reply {
                        reply: run(),
                        corrupt_sign: false,
                    },
                }
            }
        };
        let entry = if verified {
            received(api.name(), now, body, &answer, chosen.applied())
        } else {
            summary(api.name(), now, body.len(), &answer)
        };
        if shared.log_requests {
            eprintln!("{}", log_line(&entry));
        }
        state.log_request(entry);
        Processed {
            answer,
            latency: chosen.latency,
            created,
        }
    })
}

/// `payermax-sandbox: paymentOrderPay order_1 -> PARAMS_INVALID; payeeInfo.targetOrg: is
/// required for …`: one line per request for `payermax sandbox`'s log (the details PayerMax's
/// answers do not carry). Advisory violations end with `(advisory)`.
fn log_line(entry: &ReceivedRequest) -> String {
    let mut line = format!(
        "payermax-sandbox: {} {} -> {}",
        entry.api,
        entry.out_trade_no.as_deref().unwrap_or("-"),
        entry.code.as_deref().unwrap_or("(no answer)")
    );
    for v in &entry.violations {
        let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default();
        line.push_str(&format!("; {}: {}", text("path"), text("message")));
        if text("level") == "advise" {
            line.push_str(" (advisory)");
        }
    }
    line
}

/// What a request was answered: the envelope code and the HTTP status.
fn answered(answer: &Answer) -> (Option<String>, Option<u16>) {
    match answer {
        Answer::Reply { reply, .. } => (Some(reply.code.clone()), Some(reply.http)),
        Answer::ServerError { status, .. } => (None, Some(*status)),
        Answer::Drop => (None, None),
    }
}

/// The request-log entry for a request refused before its signature verified: no body, nothing
/// read from it, the api name cut to [`SUMMARY_API_BYTES`].
pub(crate) fn summary(
    api: &str,
    at: SystemTime,
    body_len: usize,
    answer: &Answer,
) -> ReceivedRequest {
    let mut end = api.len().min(SUMMARY_API_BYTES);
    while !api.is_char_boundary(end) {
        end -= 1;
    }
    let (code, http_status) = answered(answer);
    ReceivedRequest {
        api: api.get(..end).unwrap_or_default().to_owned(),
        at,
        violations: Vec::new(),
        app_id: None,
        out_trade_no: None,
        body: String::new(),
        body_len,
        verified: false,
        code,
        http_status,
        faults: Vec::new(),
    }
}

/// The request-log entry for a request whose signature verified, and its answer.
pub(crate) fn received(
    api: &str,
    at: SystemTime,
    body: &[u8],
    answer: &Answer,
    faults: Vec<Fault>,
) -> ReceivedRequest {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let text = |pointer: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.pointer(pointer))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (code, http_status) = answered(answer);
    let violations = match answer {
        Answer::Reply { reply, .. } => reply.details.clone(),
        _ => Vec::new(),
    };
    ReceivedRequest {
        api: api.to_owned(),
        at,
        violations,
        app_id: text("/appId"),
        out_trade_no: text("/data/outTradeNo"),
        body: String::from_utf8_lossy(body).into_owned(),
        body_len: body.len(),
        verified: true,
        code,
        http_status,
        faults,
    }
}

/// A refused request, and whether its signature had verified by then (checks 1–4 passed): the
/// request log keeps only a summary of the others.
struct Refusal {
    reply: Reply,
    verified: bool,
}

impl From<Reply> for Refusal {
    /// A refusal before the signature verified.
    fn from(reply: Reply) -> Refusal {
        Refusal {
            reply,
            verified: false,
        }
    }
}

/// Checks 1–5 of the module documentation.
fn authenticate(
    shared: &Shared,
    state: &State,
    body: &[u8],
    sign: Option<&str>,
    now: SystemTime,
) -> Result<Authed, Refusal> {
    let spec = &shared.spec;
    let text = std::str::from_utf8(body)
        .map_err(|_| Reply::bad_request(200, "The request body is not valid UTF-8."))?;
    let envelope: Value = serde_json::from_str(text).map_err(|e| {
        Reply::bad_request(200, format!("The request body is not valid JSON ({e})."))
    })?;
    if !envelope.is_object() {
        return Err(Reply::bad_request(200, "The request body must be a JSON object.").into());
    }
    let mut violations = match &spec.api.envelope.request_type {
        Some(ty) => violations_json(&spec.validate_type(ty, &envelope)),
        None => Vec::new(),
    };
    match envelope.get("data") {
        Some(Value::Object(_)) => {}
        None | Some(Value::Null) => violations.push(violation("data", "required", "is required")),
        Some(_) => violations.push(violation("data", "type", "must be an object")),
    }
    if !violations.is_empty() {
        return Err(Reply::invalid(&violations).into());
    }
    let field = |name: &str| {
        envelope
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let merchant = state
        .merchants
        .get(field("appId"))
        .filter(|m| {
            let sent = field("merchantNo");
            sent.is_empty() || sent == m.merchant_no
        })
        .ok_or_else(|| Reply::documented(spec, "MERCHANT_APP_INVALID", None))?;
    let verified =
        sign.is_some_and(|s| payermax_runtime::keys::verify(&merchant.public_key, body, s).is_ok());
    if !verified {
        return Err(Reply::documented(spec, "SIGN_VERIFY_FAILED", None).into());
    }
    // From here on the request is the merchant's: refusals keep their body in the log.
    let signed = |reply: Reply| Refusal {
        reply,
        verified: true,
    };
    let request_time = time::parse_request_time(field("requestTime")).ok_or_else(|| {
        signed(Reply::invalid(&[violation(
            "requestTime",
            "format",
            "is not an RFC 3339 time such as 2023-03-08T10:00:00.500+00:00",
        )]))
    })?;
    let window = Duration::from_secs(u64::from(spec.api.envelope.request_time_window_secs));
    if !time::within(now, request_time, window) {
        return Err(signed(Reply::documented(spec, "REQ_TIME_OVER_TIME", None)));
    }
    Ok(Authed {
        app_id: merchant.app_id.clone(),
        merchant_no: merchant.merchant_no.clone(),
        default_notify_url: merchant.notify_url.clone(),
        currency_decimals: merchant.currency_decimals.clone(),
        balances: merchant.balances.clone(),
        data: envelope.get("data").cloned().unwrap_or_default(),
    })
}

fn dispatch(
    shared: &Shared,
    state: &mut State,
    api: Api,
    request: &Authed,
    now: SystemTime,
) -> (Reply, Option<OrderKey>) {
    let spec = &shared.spec;
    match api {
        Api::FieldValidation => {
            let missing = selector_violations(&request.data);
            if !missing.is_empty() {
                return (Reply::invalid(&missing), None);
            }
            let report = spec.field_report(&request.data);
            let mut reply = Reply::success(spec, field_report(&report));
            reply.details = report.warnings.iter().map(Violation::to_json).collect();
            (reply, None)
        }
        Api::OrderPay => pay(shared, state, request, now),
        Api::OrderQry => (query(shared, state, request), None),
        Api::OrderBatchQry => (batch(shared, state, request), None),
        Api::CurrentBalance => (current_balance(shared, state, request, now), None),
        Api::DayEndBalance => (day_end_balance(shared, state, request), None),
        Api::PutRfiMaterial => put_rfi_material(shared, state, request, now),
    }
}

/// What `paymentFieldValidation` needs to pick a rule set
/// ([`payermax_spec::plan::FIELD_VALIDATION_REQUIRED`]), each missing one as a `required`
/// violation. The other fields are checked only when sent.
fn selector_violations(data: &Value) -> Vec<Value> {
    payermax_spec::plan::FIELD_VALIDATION_REQUIRED
        .into_iter()
        .filter(|path| payermax_spec::doc::lookup(data, path).as_str().is_none())
        .map(|path| violation(path, "required", "is required"))
        .collect()
}

/// `paymentFieldValidation`'s `data` (reference §4.2).
fn field_report(report: &FieldReport) -> Value {
    let fields = |list: &[String]| {
        list.iter()
            .map(|f| json!({ "field": f }))
            .collect::<Vec<_>>()
    };
    json!({
        "validationCode": report.validation_code,
        "validationPassedFields": fields(&report.passed),
        "ignoredFields": fields(&report.ignored),
        "validationFailedFields": report.failed.iter()
            .map(|(field, msg)| json!({"field": field, "errorMsg": msg}))
            .collect::<Vec<_>>(),
    })
}

/// The short answer about an order: `paymentOrderPay`'s data and `ORDER_REPEAT`'s.
fn short_view(order: &Order) -> Value {
    json!({
        "outTradeNo": order.out_trade_no,
        "tradeNo": order.trade_no,
        "status": order.status.as_str(),
    })
}

/// The request type of `api` in the spec, for the API-wide field rules.
fn request_violations(shared: &Shared, api: Api, data: &Value) -> Vec<Value> {
    shared
        .spec
        .endpoint(api.name())
        .map(|e| violations_json(&shared.spec.validate_type(&e.request, data)))
        .unwrap_or_default()
}

fn pay(
    shared: &Shared,
    state: &mut State,
    request: &Authed,
    now: SystemTime,
) -> (Reply, Option<OrderKey>) {
    let spec = &shared.spec;
    let data = &request.data;
    let out = data
        .get("outTradeNo")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let key = (request.merchant_no.clone(), out.to_owned());
    // The idempotency check comes first: a resend of a placed order is ORDER_REPEAT whatever
    // else it carries, and never a second order.
    if let Some(order) = state.order(&key) {
        return (
            Reply::documented(spec, "ORDER_REPEAT", Some(short_view(order))),
            None,
        );
    }
    // Precision agreed with this merchant (JOD: 3 places by arrangement) overrides the spec's.
    let agreed = |currency: &str| {
        request
            .currency_decimals
            .iter()
            .find(|(c, _)| c == currency)
            .map(|&(_, d)| d)
    };
    let mut found = spec.validate_payout(data);
    found.retain(|v| !v.within_agreed_decimals(&agreed));
    // Every violation, advisory ones included, for the request log; the enforced ones refuse.
    let details: Vec<Value> = found.iter().map(Violation::to_json).collect();
    let violations = violations_json(&found);
    if !violations.is_empty() {
        // A method the request's country does not have (its type unlisted there, or an
        // organisation of another country's) is PayerMax's documented PAYMENT_METHOD_NOT_EXIST
        // ("The payment method does not exist", §16.2); any other broken rule names its field.
        let missing_method = found.iter().any(|v| {
            !v.is_advisory()
                && (v.code == payermax_spec::ORG_ELSEWHERE
                    || v.code == payermax_spec::METHOD_UNAVAILABLE)
        });
        let mut refusal = if missing_method {
            Reply::documented(spec, "PAYMENT_METHOD_NOT_EXIST", None)
        } else {
            Reply::invalid(&violations)
        };
        refusal.details = details;
        return (refusal, None);
    }
    // An RFI left unanswered to its deadline refuses the payee from then on (DISB-FAQ: "后续向
    // 同一收款方的付款均会被拒绝"). Whether PayerMax refuses at once or fails the order later
    // is not said; the sandbox refuses at once, with the documented code for a blacklisted
    // payee, and creates no order.
    let payee = Order::payee_of(data);
    if let Some(expired) = state.orders.iter().find(|o| {
        o.merchant_no == request.merchant_no && o.rfi_expired() && Order::payee_of(&o.data) == payee
    }) {
        let mut refusal = Reply::documented(spec, PAYEE_REFUSED, None);
        refusal.details = vec![json!({
            "path": "payeeInfo", "code": "rfi_expired", "level": "enforce",
            "message": format!(
                "the payee's RFI {} (order {}) went unanswered past its deadline",
                expired.rfi.as_ref().map_or("", |r| r.rfi_no.as_str()),
                expired.out_trade_no
            ),
        })];
        return (refusal, None);
    }
    // The payout account: an amount larger than what is left is refused, before any order.
    if let Some(short) = shortfall(state, request, data) {
        let mut refusal = Reply::documented(spec, "BALANCE_INSUFFICIENT", None);
        refusal.details = vec![
            json!({"path": "trade.amount", "code": "balance", "message": short, "level": "enforce"}),
        ];
        return (refusal, None);
    }
    if state.closed {
        // Shutting down: the state file may already belong to another sandbox.
        return (Reply::documented(spec, "SYSTEM_ERROR", None), None);
    }
    let sequence = state.orders.len() as u64 + 1;
    let notify_url = data
        .get("notifyUrl")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .or_else(|| request.default_notify_url.clone());
    let trade_no = format!("{}PO{sequence:016}", time::trade_no_stamp(now));
    let outcome = Outcome::for_request(data);
    let rfi = (outcome == Outcome::Rfi).then(|| Rfi {
        rfi_no: format!("RFI{trade_no}"),
        expire_at: now + shared.timings.rfi_deadline,
        material_at: None,
    });
    let order = Order {
        app_id: request.app_id.clone(),
        merchant_no: request.merchant_no.clone(),
        out_trade_no: out.to_owned(),
        trade_no,
        outcome,
        status: Status::Pending,
        created_at: now,
        history: vec![StatusChange {
            status: Status::Pending,
            at: now,
        }],
        notify_url,
        data: data.clone(),
        rfi,
    };
    let mut reply = Reply::success(spec, short_view(&order));
    reply.details = details;
    if let Err(e) = state.insert(order, true) {
        return (Reply::not_recorded(spec, "the order", &e), None);
    }
    (reply, Some(key))
}

/// The code a payout to a payee whose RFI expired gets (§16.3, GO-3P: "payee blacklisted").
const PAYEE_REFUSED: &str = "DECLINED_PAYEE_BLACKLISTED";

/// `putRfiMaterialList`: the material for one of this merchant's RFIs. Accepted (`data`
/// `true`) when the RFI is open (its order `PENDING`, before `expireTime`) and the list names
/// every requested field; the order then shows sub-status `REVIEW` and succeeds a settle delay
/// later. Sending the same material again is accepted and changes nothing. Otherwise
/// `PARAMS_INVALID` naming `rfiNo` (unknown, or closed) or `materialList` (a requested field
/// missing): the reference gives no codes for these.
fn put_rfi_material(
    shared: &Shared,
    state: &mut State,
    request: &Authed,
    now: SystemTime,
) -> (Reply, Option<OrderKey>) {
    let spec = &shared.spec;
    let data = &request.data;
    let violations = request_violations(shared, Api::PutRfiMaterial, data);
    if !violations.is_empty() {
        return (Reply::invalid(&violations), None);
    }
    let rfi_no = data
        .get("rfiNo")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(index) = state.orders.iter().position(|o| {
        o.merchant_no == request.merchant_no && o.rfi.as_ref().is_some_and(|r| r.rfi_no == rfi_no)
    }) else {
        let unknown = violation("rfiNo", "unknown", "is not an RFI of this merchant");
        return (Reply::invalid(&[unknown]), None);
    };
    let Some(order) = state.orders.get(index) else {
        return (Reply::documented(spec, "SYSTEM_ERROR", None), None);
    };
    let key = (order.merchant_no.clone(), order.out_trade_no.clone());
    let Some(rfi) = order.rfi.clone() else {
        return (Reply::documented(spec, "SYSTEM_ERROR", None), None);
    };
    if rfi.material_at.is_some() {
        return (Reply::success(spec, json!(true)), None);
    }
    if order.status != Status::Pending || now >= rfi.expire_at {
        let closed = violation(
            "rfiNo",
            "closed",
            &format!(
                "is closed: its deadline was {} (order {} is {})",
                time::rfc3339::format(rfi.expire_at),
                order.out_trade_no,
                order.status
            ),
        );
        return (Reply::invalid(&[closed]), None);
    }
    let sent: Vec<&str> = data
        .get("materialList")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|m| m.get("fieldName").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let (requested, _) = RFI_MATERIAL;
    if !sent.contains(&requested) {
        let missing = violation(
            "materialList",
            "missing",
            &format!("lacks the requested field {requested}"),
        );
        return (Reply::invalid(&[missing]), None);
    }
    if state.closed {
        return (Reply::documented(spec, "SYSTEM_ERROR", None), None);
    }
    if let Some(j) = state.journal.as_mut()
        && let Err(e) = j.append(&Event::RfiMaterial {
            merchant_no: key.0.clone(),
            out_trade_no: key.1.clone(),
            at: now,
        })
    {
        return (Reply::not_recorded(spec, "the material", &e), None);
    }
    if let Some(r) = state.orders.get_mut(index).and_then(|o| o.rfi.as_mut()) {
        r.material_at = Some(now);
    }
    (Reply::success(spec, json!(true)), Some(key))
}

/// The merchant's funding of the payout's currency, when it has one.
fn funding(request: &Authed, currency: &str) -> Option<rust_decimal::Decimal> {
    request
        .balances
        .iter()
        .find(|(c, _)| c == currency)
        .and_then(|(_, amount)| amount.parse().ok())
}

/// Why the payout `data` is more than its currency's balance has left, if it is.
fn shortfall(state: &State, request: &Authed, data: &Value) -> Option<String> {
    let text = |pointer: &str| data.pointer(pointer).and_then(Value::as_str);
    let currency = text("/trade/currency")?;
    let amount: rust_decimal::Decimal = text("/trade/amount")?.parse().ok()?;
    let left = state.balance_left(&request.merchant_no, currency, funding(request, currency)?);
    (amount > left).then(|| format!("{amount} {currency} is more than the {left} {currency} left"))
}

/// `currentBalanceQuery`: the payout (DISBURSEMENT) account in each currency the merchant was
/// funded in ([`Merchant::balance`](crate::Merchant::balance)), after what its orders took;
/// filtered by `accountType` and `accountCurrency` when given. No other account is simulated.
fn current_balance(shared: &Shared, state: &State, request: &Authed, now: SystemTime) -> Reply {
    let data = &request.data;
    let violations = request_violations(shared, Api::CurrentBalance, data);
    if !violations.is_empty() {
        return Reply::invalid(&violations);
    }
    let listed = |name: &str, value: &str| {
        data.get(name)
            .and_then(Value::as_array)
            .filter(|list| !list.is_empty())
            .is_none_or(|list| list.iter().any(|v| v.as_str() == Some(value)))
    };
    let plain = data.get("plainSign").and_then(Value::as_bool) == Some(true);
    let accounts: Vec<Value> = request
        .balances
        .iter()
        .filter(|(currency, _)| {
            listed("accountType", "DISBURSEMENT") && listed("accountCurrency", currency)
        })
        .filter_map(|(currency, _)| {
            let left =
                state.balance_left(&request.merchant_no, currency, funding(request, currency)?);
            let number: Value = serde_json::from_str(&left.round_dp(2).to_string()).ok()?;
            (plain || !left.is_zero()).then(
                || json!({"balance": number, "accountType": "DISBURSEMENT", "currency": currency}),
            )
        })
        .collect();
    Reply::success(
        &shared.spec,
        json!({"accountRealTimeTypes": accounts, "inquiryTime": crate::time::rfc3339::format(now)}),
    )
}

/// `dayEndBalanceQuery`: the payout account's day (`inquiryDate` as `yyyy-MM-dd`, its format
/// is not given; `timezone` UTC or CST) per funded currency: orders created that day flow out,
/// orders that failed or bounced back that day flow back in; the opening balance is the
/// funding after everything before the day.
fn day_end_balance(shared: &Shared, state: &State, request: &Authed) -> Reply {
    use crate::order::Status;
    let data = &request.data;
    let violations = request_violations(shared, Api::DayEndBalance, data);
    if !violations.is_empty() {
        return Reply::invalid(&violations);
    }
    let text = |name: &str| data.get(name).and_then(Value::as_str).unwrap_or_default();
    let Some((start, end)) = crate::time::day_bounds(text("inquiryDate"), text("timezone")) else {
        return Reply::invalid(&[violation(
            "inquiryDate",
            "format",
            "must be a yyyy-MM-dd day with timezone UTC or CST",
        )]);
    };
    let wanted_type = data
        .get("accountType")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .is_none_or(|l| l.iter().any(|v| v.as_str() == Some("DISBURSEMENT")));
    let wanted_currency = |c: &str| {
        data.get("accountCurrency")
            .and_then(Value::as_str)
            .is_none_or(|w| w.is_empty() || w == c)
    };
    let mut accounts = Vec::new();
    for (currency, funding) in &request.balances {
        if !wanted_type || !wanted_currency(currency) {
            continue;
        }
        let Ok(funding) = funding.parse::<rust_decimal::Decimal>() else {
            continue;
        };
        let (mut opening, mut inflow, mut outflow) = (
            funding,
            rust_decimal::Decimal::ZERO,
            rust_decimal::Decimal::ZERO,
        );
        for order in state
            .orders
            .iter()
            .filter(|o| o.merchant_no == request.merchant_no)
        {
            let field = |p: &str| order.data.pointer(p).and_then(Value::as_str);
            if field("/trade/currency") != Some(currency.as_str()) {
                continue;
            }
            let Some(amount) =
                field("/trade/amount").and_then(|a| a.parse::<rust_decimal::Decimal>().ok())
            else {
                continue;
            };
            if order.created_at < start {
                opening -= amount;
            } else if order.created_at < end {
                outflow += amount;
            }
            let returned = order
                .history
                .iter()
                .find(|c| matches!(c.status, Status::Failed | Status::Bounceback))
                .map(|c| c.at);
            match returned {
                Some(at) if at < start => opening += amount,
                Some(at) if at < end => inflow += amount,
                _ => {}
            }
        }
        let number = |d: rust_decimal::Decimal| -> Value {
            serde_json::from_str(&d.round_dp(2).to_string()).unwrap_or(Value::Null)
        };
        accounts.push(json!({
            "initalBalance": number(opening),
            "inflowAmount": number(inflow),
            "outflowAmount": number(outflow),
            "endBalance": number(opening + inflow - outflow),
            "accountType": "DISBURSEMENT",
            "currency": currency,
        }));
    }
    Reply::success(
        &shared.spec,
        json!({
            "timezone": text("timezone").to_ascii_uppercase(),
            "acctTime": crate::time::rfc3339::format(end),
            "accountEndDayTimeTypes": accounts,
        }),
    )
}

fn query(shared: &Shared, state: &State, request: &Authed) -> Reply {
    let violations = request_violations(shared, Api::OrderQry, &request.data);
    if !violations.is_empty() {
        return Reply::invalid(&violations);
    }
    let out = request
        .data
        .get("outTradeNo")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match state.order(&(request.merchant_no.clone(), out.to_owned())) {
        Some(order) => Reply::success(&shared.spec, order.view()),
        None => Reply::documented(&shared.spec, "ORDER_NOT_EXIST", None),
    }
}

/// Batch query (reference §8; the response shape is undocumented, §18.1): the spec's
/// `PaymentOrderBatchQryResponse` names the paging fields and the list (`orderList`);
/// `totalCount` is added. Window bounds are inclusive, at whole seconds. `currentPageIndex` is
/// 1-based, 0 is read as 1 (tolerant: the base is not documented).
fn batch(shared: &Shared, state: &State, request: &Authed) -> Reply {
    let data = &request.data;
    let violations = request_violations(shared, Api::OrderBatchQry, data);
    if !violations.is_empty() {
        return Reply::invalid(&violations);
    }
    let invalid =
        |path: &str, code: &str, message: &str| Reply::invalid(&[violation(path, code, message)]);
    let window_time = |name: &str| {
        data.get(name)
            .and_then(Value::as_str)
            .and_then(time::parse_window_time)
            .ok_or_else(|| {
                invalid(
                    name,
                    "format",
                    "must be yyyy-MM-dd HH:mm:ss in UTC, e.g. 2025-04-23 01:00:00",
                )
            })
    };
    let (begin, end) = match (window_time("queryBeginTime"), window_time("queryEndTime")) {
        (Ok(b), Ok(e)) => (b, e),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let span = match end.duration_since(begin) {
        Ok(span) => span,
        Err(_) => return invalid("queryEndTime", "window", "is before queryBeginTime"),
    };
    if span > Duration::from_secs(24 * 60 * 60) {
        return invalid(
            "queryEndTime",
            "window",
            "is more than one day after queryBeginTime (the window is at most one day)",
        );
    }
    let page_size = match data.get("pageSize").map(Value::as_i64) {
        None => 20,
        Some(Some(n @ 1..=100)) => n as usize,
        Some(_) => return invalid("pageSize", "range", "must be between 1 and 100"),
    };
    let page = match data.get("currentPageIndex").map(Value::as_i64) {
        None | Some(Some(0)) => 1,
        Some(Some(n)) if n > 0 => n as usize,
        Some(_) => return invalid("currentPageIndex", "range", "must be 1 or more"),
    };
    let status = match data
        .get("status")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match Status::parse(s) {
            Some(status) => Some(status),
            None => {
                return invalid(
                    "status",
                    "enum",
                    "is not one of: SUCCESS, FAILED, PENDING, BOUNCEBACK",
                );
            }
        },
    };
    let country = data
        .get("country")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let matching: Vec<&Order> = state
        .orders
        .iter()
        .filter(|o| o.merchant_no == request.merchant_no)
        .filter(|o| {
            let created = time::whole_seconds(o.created_at);
            begin <= created && created <= end
        })
        .filter(|o| status.is_none_or(|s| o.status == s))
        .filter(|o| {
            country.is_none_or(|c| o.data.get("country").and_then(Value::as_str) == Some(c))
        })
        .collect();
    let items: Vec<Value> = matching
        .iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .map(|o| o.view())
        .collect();
    let list_field = shared
        .spec
        .endpoint(Api::OrderBatchQry.name())
        .and_then(|e| e.response.as_ref())
        .and_then(|ty| shared.spec.type_def(ty))
        .and_then(|ty| ty.fields.iter().find(|f| f.list))
        .map_or("orderList", |f| f.name.as_str());
    let mut answer = serde_json::Map::new();
    answer.insert("pageSize".into(), json!(page_size));
    answer.insert("currentPageIndex".into(), json!(page));
    answer.insert("totalCount".into(), json!(matching.len()));
    answer.insert(list_field.to_owned(), Value::Array(items));
    Reply::success(&shared.spec, Value::Object(answer))
}
