//! Payout orders: their status, the simulated outcome chosen when they are placed, and the view
//! that inquiries, batch queries and notifications show.

use crate::time::{order_time, rfc3339};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

/// A payout order's status (reference §10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// Still processing.
    Pending,
    /// Paid out; may still become `BOUNCEBACK`.
    Success,
    /// Failed; final.
    Failed,
    /// Returned after a success; final.
    Bounceback,
}

impl Status {
    /// All statuses.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Success,
        Status::Failed,
        Status::Bounceback,
    ];

    /// The wire spelling, e.g. `PENDING`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "PENDING",
            Status::Success => "SUCCESS",
            Status::Failed => "FAILED",
            Status::Bounceback => "BOUNCEBACK",
        }
    }

    /// Reads the wire spelling.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The simulated result of an order, chosen when it is placed by the documented UAT rules
/// (reference §15). Every order is answered `PENDING` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// `PENDING` → `SUCCESS` after the settle delay.
    Success,
    /// `PENDING` → `FAILED` after the settle delay.
    Failed,
    /// The "stays pending" rule: `PENDING` for the (longer) pending-rule delay, then
    /// `SUCCESS`. The reference does not say whether UAT ever settles these (§18.10); the
    /// sandbox settles them so that tests can finish.
    PendingThenSuccess,
    /// `PENDING` → `SUCCESS` after the settle delay → `BOUNCEBACK` after the bounce-back delay.
    Bounceback,
    /// A request for information (sandbox rule: remark `RFI`): the order stays `PENDING` with
    /// sub-status `PEND_RFI_MATERIAL` and an RFI notification asks for material. Material
    /// uploaded with `putRfiMaterialList` before [`Timings::rfi_deadline`] → sub-status
    /// `REVIEW`, then `SUCCESS` after the settle delay; none by then → `FAILED`, and later
    /// payouts to the same payee are refused.
    ///
    /// [`Timings::rfi_deadline`]: crate::Timings::rfi_deadline
    Rfi,
}

impl Outcome {
    /// Applies the UAT rules to a `paymentOrderPay` `data`:
    ///
    /// - `remark` `SUCCESS`, `FAILED` or `BOUNCEBACK` decides, whatever the amount (remark wins);
    ///   matched ignoring ASCII case and surrounding spaces (the reference does not say whether
    ///   it is case-sensitive, §18.10);
    /// - `remark` `RFI` → [`Outcome::Rfi`], the sandbox's own rule (PayerMax documents no way
    ///   to trigger an RFI in UAT);
    /// - else `trade.amount` numerically equal to 110 or 11000 → [`Outcome::Failed`], to 100 or
    ///   10000 → [`Outcome::PendingThenSuccess`]; numerically, so `100.00` matches `100`
    ///   (not stated either way, §18.10). The currency is not looked at;
    /// - anything else → [`Outcome::Success`].
    ///
    /// ```
    /// use payermax_sandbox::Outcome;
    /// use serde_json::json;
    /// let data = |amount: &str, remark: &str| json!({"trade": {"amount": amount}, "remark": remark});
    /// assert_eq!(Outcome::for_request(&data("110", "")), Outcome::Failed);
    /// assert_eq!(Outcome::for_request(&data("100.00", "")), Outcome::PendingThenSuccess);
    /// assert_eq!(Outcome::for_request(&data("110", "SUCCESS")), Outcome::Success);
    /// assert_eq!(Outcome::for_request(&data("811", "bounceback")), Outcome::Bounceback);
    /// ```
    pub fn for_request(data: &Value) -> Outcome {
        let remark = data.get("remark").and_then(Value::as_str).map(str::trim);
        match remark {
            Some(r) if r.eq_ignore_ascii_case("SUCCESS") => return Outcome::Success,
            Some(r) if r.eq_ignore_ascii_case("FAILED") => return Outcome::Failed,
            Some(r) if r.eq_ignore_ascii_case("BOUNCEBACK") => return Outcome::Bounceback,
            Some(r) if r.eq_ignore_ascii_case("RFI") => return Outcome::Rfi,
            _ => {}
        }
        let amount = data
            .pointer("/trade/amount")
            .and_then(Value::as_str)
            .and_then(|a| Decimal::from_str(a.trim()).ok());
        let is = |n: i64| amount == Some(Decimal::from(n));
        if is(110) || is(11000) {
            Outcome::Failed
        } else if is(100) || is(10000) {
            Outcome::PendingThenSuccess
        } else {
            Outcome::Success
        }
    }

    /// The status an order with this outcome moves to next from `current`, and whether that
    /// step waits for the pending-rule or the bounce-back delay rather than the settle delay.
    /// An RFI order's next step depends on its material: see [`Order::next`].
    pub(crate) fn next(self, current: Status) -> Option<(Status, Step)> {
        match (self, current) {
            (Outcome::Rfi, Status::Pending) => Some((Status::Failed, Step::RfiDeadline)),
            (Outcome::Success, Status::Pending) => Some((Status::Success, Step::Settle)),
            (Outcome::Failed, Status::Pending) => Some((Status::Failed, Step::Settle)),
            (Outcome::PendingThenSuccess, Status::Pending) => {
                Some((Status::Success, Step::PendingRule))
            }
            (Outcome::Bounceback, Status::Pending) => Some((Status::Success, Step::Settle)),
            (Outcome::Bounceback, Status::Success) => Some((Status::Bounceback, Step::Bounce)),
            _ => None,
        }
    }
}

/// Which delay a step waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Settle,
    PendingRule,
    Bounce,
    RfiDeadline,
}

/// The request for information an [`Outcome::Rfi`] order is held by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rfi {
    /// Its id, `RFI` + the order's `tradeNo`.
    pub rfi_no: String,
    /// The deadline for the material (`expireTime`).
    #[serde(with = "rfc3339")]
    pub expire_at: SystemTime,
    /// When the material came (`putRfiMaterialList`), if it did.
    #[serde(
        default,
        with = "rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub material_at: Option<SystemTime>,
}

/// The material every simulated RFI asks for: `fieldName` `ID`, a file (PayerMax's example).
pub const RFI_MATERIAL: (&str, &str) = ("ID", "file");

/// The `responseCode` of an order failed because its RFI went unanswered. The reference does
/// not say which code PayerMax gives; `RISK_INTERCEPT` ("stopped by risk control", §16.3) is
/// the closest documented one.
pub const RFI_FAILED_RESPONSE_CODE: &str = "RISK_INTERCEPT";
const RFI_FAILED_RESPONSE_MSG: &str =
    "The material requested for information (RFI) was not submitted before the deadline.";

/// The failure code and text of a simulated `FAILED` order (`data.responseCode`, `responseMsg`).
/// `PAYMENT_FAILED` is a documented payout code (reference §16.3).
pub const FAILED_RESPONSE_CODE: &str = "PAYMENT_FAILED";
const FAILED_RESPONSE_MSG: &str =
    "Simulated failure (sandbox rule: trade.amount 110 or 11000, or remark FAILED).";

/// A status an order reached, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status reached.
    pub status: Status,
    /// When (by the sandbox's clock).
    #[serde(with = "rfc3339")]
    pub at: SystemTime,
}

/// A payout order as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The merchant's app id.
    pub app_id: String,
    /// The merchant number.
    pub merchant_no: String,
    /// The merchant's order id; unique per merchant.
    pub out_trade_no: String,
    /// The sandbox's order id, `yyyyMMddHHmmss` + `PO` + 16 digits.
    pub trade_no: String,
    /// The simulated outcome chosen at placement.
    pub outcome: Outcome,
    /// The current status.
    pub status: Status,
    /// When the order was placed.
    #[serde(with = "rfc3339")]
    pub created_at: SystemTime,
    /// Every status the order reached, the initial `PENDING` first.
    pub history: Vec<StatusChange>,
    /// Where notifications go: `data.notifyUrl`, else the merchant's default; `None`: nowhere.
    pub notify_url: Option<String>,
    /// The request's `data`, as received.
    pub data: Value,
    /// The RFI holding it, for an [`Outcome::Rfi`] order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfi: Option<Rfi>,
}

impl Order {
    /// When the order reached `status`, if it did.
    pub fn reached(&self, status: Status) -> Option<SystemTime> {
        self.history
            .iter()
            .find(|c| c.status == status)
            .map(|c| c.at)
    }

    /// When the status last changed.
    pub(crate) fn last_change(&self) -> SystemTime {
        self.history.last().map_or(self.created_at, |c| c.at)
    }

    /// The status this order moves to next, the delay it waits for, and from when that delay
    /// counts. An RFI order waits for its deadline from its creation; once its material came,
    /// it settles (`SUCCESS`) a settle delay after the upload.
    pub(crate) fn next(&self) -> Option<(Status, Step, SystemTime)> {
        match (&self.rfi, self.status) {
            (
                Some(Rfi {
                    material_at: Some(at),
                    ..
                }),
                Status::Pending,
            ) => Some((Status::Success, Step::Settle, *at)),
            (Some(_), Status::Pending) => {
                Some((Status::Failed, Step::RfiDeadline, self.created_at))
            }
            (Some(_), _) => None,
            (None, current) => self
                .outcome
                .next(current)
                .map(|(to, step)| (to, step, self.last_change())),
        }
    }

    /// The payee, as the sandbox recognises one for the RFI rule (later payouts to the same
    /// payee are refused): the country and `payeeInfo.accountInfo.accountNo`, or, without an
    /// account number, the whole `payeeInfo` (the reference does not say how PayerMax
    /// identifies a payee).
    pub(crate) fn payee_of(data: &Value) -> String {
        let country = data
            .get("country")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match data
            .pointer("/payeeInfo/accountInfo/accountNo")
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
        {
            Some(account) => format!("{country}:{account}"),
            None => format!(
                "{country}:{}",
                data.get("payeeInfo")
                    .map(Value::to_string)
                    .unwrap_or_default()
            ),
        }
    }

    /// Whether this order's RFI went unanswered to its end: the payee is refused from then on.
    pub(crate) fn rfi_expired(&self) -> bool {
        self.status == Status::Failed && self.rfi.as_ref().is_some_and(|r| r.material_at.is_none())
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.data
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The order as `paymentOrderQry` shows it (reference §6.2), also the `data` of batch-query
    /// items and of notifications. The sandbox converts no currencies and charges no fees:
    /// `source` and `destination` carry the trade amount, rate `1.0000000000`, fee and tax
    /// `0.00`; their currencies are `sourceAccount` and `destinationCurrency` when sent.
    pub fn view(&self) -> Value {
        let amount = self
            .data
            .pointer("/trade/amount")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let currency = self
            .data
            .pointer("/trade/currency")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let side = |cur: &str| {
            json!({
                "amount": amount, "currency": cur, "exchangeRate": "1.0000000000",
                "fee": "0.00", "feeCurrency": cur, "tax": "0.00", "taxCurrency": cur,
            })
        };
        let mut view = Map::new();
        let mut put = |k: &str, v: Value| {
            view.insert(k.to_owned(), v);
        };
        put("outTradeNo", json!(self.out_trade_no));
        put("tradeNo", json!(self.trade_no));
        put("status", json!(self.status.as_str()));
        put("transactionUtcTime", json!(order_time(self.created_at)));
        put("fundsFreezeTime", json!(order_time(self.created_at)));
        put("trade", json!({"amount": amount, "currency": currency}));
        put(
            "source",
            side(self.field("sourceAccount").unwrap_or(currency)),
        );
        put(
            "destination",
            side(self.field("destinationCurrency").unwrap_or(currency)),
        );
        let finished = self
            .reached(Status::Success)
            .or_else(|| self.reached(Status::Failed));
        if let Some(at) = finished {
            put("payFinishTime", json!(order_time(at)));
        }
        if let Some(at) = self.reached(Status::Bounceback) {
            put("bounceBackTime", json!(order_time(at)));
        }
        let returned = self
            .reached(Status::Failed)
            .or_else(|| self.reached(Status::Bounceback));
        if let Some(at) = returned {
            put("fundsReturnTime", json!(order_time(at)));
        }
        if self.status == Status::Failed && self.rfi.is_some() {
            put("responseCode", json!(RFI_FAILED_RESPONSE_CODE));
            put("responseMsg", json!(RFI_FAILED_RESPONSE_MSG));
        } else if self.status == Status::Failed {
            put("responseCode", json!(FAILED_RESPONSE_CODE));
            put("responseMsg", json!(FAILED_RESPONSE_MSG));
        }
        if let (Some(rfi), Status::Pending) = (&self.rfi, self.status) {
            let sub = if rfi.material_at.is_some() {
                "REVIEW"
            } else {
                "PEND_RFI_MATERIAL"
            };
            put("subStatus", json!(sub));
        }
        for echo in ["reference", "notifyEmail", "notifyPhone"] {
            if let Some(v) = self.field(echo) {
                put(echo, json!(v));
            }
        }
        Value::Object(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simulated_move_is_a_documented_transition() {
        let outcomes = [
            Outcome::Success,
            Outcome::Failed,
            Outcome::PendingThenSuccess,
            Outcome::Bounceback,
            Outcome::Rfi,
        ];
        let mut moves = 0;
        for outcome in outcomes {
            for from in Status::ALL {
                if let Some((to, _)) = outcome.next(from) {
                    moves += 1;
                    assert!(
                        payermax_spec::BUILTIN_STATUS_TRANSITIONS
                            .contains(&(from.as_str(), to.as_str())),
                        "{outcome:?}: {from:?} → {to:?}"
                    );
                }
            }
        }
        // an RFI order's other move (PENDING → SUCCESS after the material) is Order::next's
        assert_eq!(moves, 6);
    }

    fn data(amount: &str, remark: Option<&str>) -> Value {
        let mut d = json!({"trade": {"amount": amount, "currency": "BRL"}});
        if let (Some(r), Some(obj)) = (remark, d.as_object_mut()) {
            obj.insert("remark".into(), json!(r));
        }
        d
    }

    #[test]
    fn uat_rules() {
        use Outcome::*;
        let cases = [
            ("110", None, Failed),
            ("11000", None, Failed),
            ("110.00", None, Failed),
            ("11000.0", None, Failed),
            ("100", None, PendingThenSuccess),
            ("100.00", None, PendingThenSuccess),
            ("10000", None, PendingThenSuccess),
            ("101", None, Success),
            ("1100", None, Success),
            ("not a number", None, Success),
            ("110", Some("SUCCESS"), Success),
            ("100", Some("FAILED"), Failed),
            ("811", Some("SUCCESS"), Success),
            ("5", Some("BOUNCEBACK"), Bounceback),
            ("5", Some(" failed "), Failed),
            ("110", Some("hello"), Failed),
            ("110", Some("rfi"), Rfi),
        ];
        for (amount, remark, expected) in cases {
            assert_eq!(
                Outcome::for_request(&data(amount, remark)),
                expected,
                "{amount} {remark:?}"
            );
        }
    }

    #[test]
    fn steps() {
        assert_eq!(Outcome::Success.next(Status::Success), None);
        assert_eq!(
            Outcome::Bounceback.next(Status::Success),
            Some((Status::Bounceback, Step::Bounce))
        );
        assert_eq!(Outcome::Bounceback.next(Status::Bounceback), None);
        assert_eq!(
            Outcome::PendingThenSuccess.next(Status::Pending),
            Some((Status::Success, Step::PendingRule))
        );
    }
}
