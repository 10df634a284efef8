//! What a payout is, for the ledger: its order number, the exact `data` to send, a fingerprint
//! of what it pays (to whom, how much), the payee's identity, and where it came from.

use crate::error::LedgerError;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt;

/// The longest `outTradeNo` PayerMax accepts.
pub const OUT_TRADE_NO_MAX_LEN: usize = 63;

/// Fields of `data` left out of the fingerprint: the order number is the record's key, and
/// where PayerMax sends notifications does not change what is paid to whom.
pub const VOLATILE_FIELDS: [&str; 2] = ["outTradeNo", "notifyUrl"];

/// Where an intent came from: a batch and a line of a file, or a service's own call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The batch the payout belongs to (`--batch 2026-06-payroll`), when there is one.
    pub batch: Option<String>,
    /// The file it was read from (its name as given).
    pub file: Option<String>,
    /// The line of that file where its row starts, from 1.
    pub line: Option<u64>,
}

impl Origin {
    /// An intent of `batch`.
    pub fn batch(batch: impl Into<String>) -> Origin {
        Origin {
            batch: Some(batch.into()),
            ..Origin::default()
        }
    }
}

/// Who is paid: the fields that name the receiving account. Two payouts with the same identity
/// go to the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PayeeIdentity {
    /// `country`.
    pub country: String,
    /// `payeeInfo.paymentMethodType`.
    pub method: String,
    /// `payeeInfo.targetOrg`, empty when not sent.
    pub target_org: String,
    /// `payeeInfo.bankInfo.bankCode`, empty when not sent.
    pub bank_code: String,
    /// `payeeInfo.accountInfo.accountNo`, without spaces and in upper case (an IBAN in print
    /// format names the same account as in electronic format).
    pub account_no: String,
}

impl PayeeIdentity {
    /// The identity of the payee of the payout request `data`.
    pub fn of(data: &Value) -> PayeeIdentity {
        let text = |path: &[&str]| -> String {
            let mut v = data;
            for key in path {
                match v.get(key) {
                    Some(next) => v = next,
                    None => return String::new(),
                }
            }
            match v {
                Value::String(s) => s.trim().to_owned(),
                Value::Null => String::new(),
                other => other.to_string(),
            }
        };
        PayeeIdentity {
            country: text(&["country"]).to_ascii_uppercase(),
            method: text(&["payeeInfo", "paymentMethodType"]),
            target_org: text(&["payeeInfo", "targetOrg"]),
            bank_code: text(&["payeeInfo", "bankInfo", "bankCode"]).to_ascii_uppercase(),
            account_no: text(&["payeeInfo", "accountInfo", "accountNo"])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase(),
        }
    }

    /// A stable key: the SHA-256 (hex) of the fields, each ended by a NUL byte.
    pub fn key(&self) -> String {
        let mut hash = Sha256::new();
        for part in self.parts() {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hex(&hash.finalize())
    }

    fn parts(&self) -> [&str; 5] {
        [
            &self.country,
            &self.method,
            &self.target_org,
            &self.bank_code,
            &self.account_no,
        ]
    }
}

/// Shown with the account number masked to its last four characters
/// (`BR REALTIME_PAYMENT PIX account …8901`): reports and errors name the payee without
/// spreading whole account numbers.
impl fmt::Display for PayeeIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.country, self.method)?;
        if !self.target_org.is_empty() {
            write!(f, " {}", self.target_org)?;
        }
        if !self.bank_code.is_empty() {
            write!(f, " bank {}", self.bank_code)?;
        }
        let count = self.account_no.chars().count();
        let tail: String = self
            .account_no
            .chars()
            .skip(count.saturating_sub(4))
            .collect();
        if count > 4 {
            write!(f, " account …{tail}")
        } else {
            write!(f, " account {tail}")
        }
    }
}

/// One payout the merchant intends to make, ready to be recorded and sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    out_trade_no: String,
    data: Value,
    payee: PayeeIdentity,
    amount: String,
    currency: String,
    fingerprint: String,
    origin: Origin,
}

impl Intent {
    /// The intent to send the `paymentOrderPay` request `data` (with its `outTradeNo`,
    /// `trade.amount` and `trade.currency`).
    ///
    /// ```
    /// use payermax_ledger::{Intent, Origin};
    /// let data = serde_json::json!({
    ///     "outTradeNo": "june_1", "country": "BR",
    ///     "trade": {"amount": "10.50", "currency": "BRL"},
    ///     "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
    ///                   "accountInfo": {"accountNo": "12345678901"}}
    /// });
    /// let intent = Intent::new(data.clone(), Origin::batch("june"))?;
    /// assert_eq!(intent.amount(), "10.5");
    /// // The amount as written does not change the fingerprint; the payee does.
    /// let mut same = data.clone();
    /// same["trade"]["amount"] = "10.500".into();
    /// assert_eq!(Intent::new(same, Origin::default())?.fingerprint(), intent.fingerprint());
    /// let mut other = data;
    /// other["payeeInfo"]["accountInfo"]["accountNo"] = "98765432100".into();
    /// assert_ne!(Intent::new(other, Origin::default())?.fingerprint(), intent.fingerprint());
    /// # Ok::<(), payermax_ledger::LedgerError>(())
    /// ```
    pub fn new(data: Value, origin: Origin) -> Result<Intent, LedgerError> {
        let invalid = |message: &str| LedgerError::InvalidIntent {
            message: message.to_owned(),
        };
        let out_trade_no = data
            .get("outTradeNo")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("data has no outTradeNo"))?
            .to_owned();
        let trade = |field: &str| {
            data.get("trade")
                .and_then(|t| t.get(field))
                .and_then(Value::as_str)
                .map(str::trim)
        };
        let amount = trade("amount").ok_or_else(|| invalid("data has no trade.amount"))?;
        let amount = normalize_amount(amount)
            .ok_or_else(|| invalid("trade.amount is not a decimal number"))?;
        let currency = trade("currency")
            .ok_or_else(|| invalid("data has no trade.currency"))?
            .to_ascii_uppercase();
        let payee = PayeeIdentity::of(&data);
        let fingerprint = fingerprint(&data, &amount);
        Ok(Intent {
            out_trade_no,
            data,
            payee,
            amount,
            currency,
            fingerprint,
            origin,
        })
    }

    /// The order number.
    pub fn out_trade_no(&self) -> &str {
        &self.out_trade_no
    }

    /// The request `data`, exactly as it will be sent.
    pub fn data(&self) -> &Value {
        &self.data
    }

    /// Who is paid.
    pub fn payee(&self) -> &PayeeIdentity {
        &self.payee
    }

    /// `trade.amount` as a normalized decimal (`10.50` → `10.5`).
    pub fn amount(&self) -> &str {
        &self.amount
    }

    /// `trade.currency`, upper case.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The SHA-256 (hex) of the canonical `data` without [`VOLATILE_FIELDS`], with the amount
    /// normalized: two intents with the same fingerprint pay the same payee the same amount in
    /// the same way.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Where it came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// `amount` as a normalized decimal (no trailing zeros, no `+`), or `None` when it is not one.
pub fn normalize_amount(amount: &str) -> Option<String> {
    let value: rust_decimal::Decimal = amount.trim().parse().ok()?;
    Some(value.normalize().to_string())
}

fn fingerprint(data: &Value, amount: &str) -> String {
    let mut copy = data.clone();
    if let Value::Object(map) = &mut copy {
        for field in VOLATILE_FIELDS {
            map.remove(field);
        }
        if let Some(Value::Object(trade)) = map.get_mut("trade") {
            trade.insert("amount".to_owned(), Value::String(amount.to_owned()));
        }
    }
    let mut text = String::new();
    canonical(&copy, &mut text);
    hex(&Sha256::digest(text.as_bytes()))
}

/// JSON with object keys sorted and no whitespace, whatever order the map keeps.
pub(crate) fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The canonical text of `data` (sorted keys), as the ledger stores and sends it.
pub(crate) fn canonical_text(data: &Value) -> String {
    let mut out = String::new();
    canonical(data, &mut out);
    out
}

/// The order number of the `occurrence`-th payout (from 1) to `payee` in `batch`: a readable
/// prefix of the batch name, then 20 hex digits of the SHA-256 of the exact batch name, the
/// payee's identity and the occurrence. It does not depend on a file's name or a row's
/// position: renaming, copying, sorting or inserting rows gives every payee the same number
/// again, and another batch name gives every payee another one.
///
/// ```
/// use payermax_ledger::{derive_out_trade_no, PayeeIdentity};
/// let payee = PayeeIdentity::of(&serde_json::json!({
///     "country": "BR", "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT",
///     "targetOrg": "PIX", "accountInfo": {"accountNo": "12345678901"}}}));
/// let june = derive_out_trade_no("2026-06-payroll", &payee, 1);
/// assert!(june.starts_with("2026_06_payroll_"));
/// assert_eq!(june, derive_out_trade_no("2026-06-payroll", &payee, 1));
/// assert_ne!(june, derive_out_trade_no("2026-07-payroll", &payee, 1));
/// assert_ne!(june, derive_out_trade_no("2026-06-payroll", &payee, 2));
/// ```
pub fn derive_out_trade_no(batch: &str, payee: &PayeeIdentity, occurrence: u64) -> String {
    let mut hash = Sha256::new();
    hash.update(b"payermax-ledger/out-trade-no/v1\0");
    hash.update(batch.as_bytes());
    hash.update([0]);
    for part in payee.parts() {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.update(occurrence.to_string().as_bytes());
    let digest = hex(&hash.finalize());
    let suffix = digest.get(..20).unwrap_or(&digest);
    let room = OUT_TRADE_NO_MAX_LEN - suffix.len() - 1;
    let mut prefix: String = batch
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(room)
        .collect();
    if prefix.is_empty() {
        prefix.push('b');
    }
    format!("{prefix}_{suffix}")
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn data() -> Value {
        json!({
            "outTradeNo": "a_1", "country": "BR", "notifyUrl": "http://x",
            "trade": {"amount": "10.50", "currency": "BRL"},
            "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                          "accountInfo": {"accountNo": "12345678901"}}
        })
    }

    #[test]
    fn the_fingerprint_ignores_the_order_number_notify_url_and_key_order() {
        let a = Intent::new(data(), Origin::default()).unwrap();
        let mut b = data();
        b["outTradeNo"] = "other".into();
        b["notifyUrl"] = "http://y".into();
        let b = Intent::new(b, Origin::default()).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        let mut c = data();
        c["remark"] = "bonus".into();
        assert_ne!(
            Intent::new(c, Origin::default()).unwrap().fingerprint(),
            a.fingerprint()
        );
        let mut d = data();
        d["trade"]["currency"] = "USD".into();
        assert_ne!(
            Intent::new(d, Origin::default()).unwrap().fingerprint(),
            a.fingerprint()
        );
    }

    #[test]
    fn intents_need_an_order_number_and_a_decimal_amount() {
        let mut no_id = data();
        no_id.as_object_mut().unwrap().remove("outTradeNo");
        assert!(Intent::new(no_id, Origin::default()).is_err());
        let mut bad = data();
        bad["trade"]["amount"] = "ten".into();
        let err = Intent::new(bad, Origin::default()).unwrap_err();
        assert!(err.to_string().contains("not a decimal"), "{err}");
    }

    #[test]
    fn payee_identity_normalizes_print_format_and_masks_the_account() {
        let a = PayeeIdentity::of(&json!({"country": "de", "payeeInfo": {
            "paymentMethodType": "BANK_TRANSFER",
            "accountInfo": {"accountNo": "de89 3704 0044 0532 0130 00"}}}));
        let b = PayeeIdentity::of(&json!({"country": "DE", "payeeInfo": {
            "paymentMethodType": "BANK_TRANSFER",
            "accountInfo": {"accountNo": "DE89370400440532013000"}}}));
        assert_eq!(a, b);
        assert_eq!(a.key(), b.key());
        assert_eq!(a.to_string(), "DE BANK_TRANSFER account …3000");
        assert!(!a.to_string().contains("DE893704"));
    }

    #[test]
    fn derived_numbers_fit_the_pattern_whatever_the_batch_name() {
        let payee = PayeeIdentity::of(&data());
        for batch in ["", "x", "июнь 2026", &"y".repeat(200), "a-b.c d"] {
            let id = derive_out_trade_no(batch, &payee, 1);
            assert!(id.len() <= OUT_TRADE_NO_MAX_LEN, "{id}");
            assert!(
                id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "{id}"
            );
        }
        // Names that differ only where characters were replaced still differ.
        assert_ne!(
            derive_out_trade_no("2026-06", &payee, 1),
            derive_out_trade_no("2026.06", &payee, 1)
        );
    }

    #[test]
    fn canonical_text_sorts_keys() {
        let mut out = String::new();
        canonical(&json!({"b": 1, "a": {"d": [1, "x"], "c": null}}), &mut out);
        assert_eq!(out, r#"{"a":{"c":null,"d":[1,"x"]},"b":1}"#);
    }
}
