//! Payout result notifications (PayerMax → merchant): verify, decode, acknowledge, apply.
//!
//! Framework-agnostic: the raw body bytes and the `sign` header value in, a verified value out.
//! Typed, with one entry point for payout results and RFIs, and as an axum route: the
//! `payermax` crate (`Client::verify_notice`, feature `axum`). Here, with the runtime alone:
//!
//! ```
//! use payermax_runtime::{Client, Notification};
//!
//! fn on_notification(client: &Client, body: &[u8], sign: Option<&str>) -> (u16, &'static str) {
//!     match client.verify_notification::<Notification<serde_json::Value>>(body, sign) {
//!         Ok(notification) => {
//!             // Store and apply it idempotently (the same notice can come twice), then ack.
//!             println!("{} is {}", notification.data["outTradeNo"], notification.data["status"]);
//!             (200, r#"{"code":"SUCCESS","msg":"Success"}"#)
//!         }
//!         // Anything but the exact acknowledgement makes PayerMax deliver it again.
//!         Err(_) => (401, "invalid notification"),
//!     }
//! }
//! # let _ = on_notification;
//! ```
//!
//! Then [`OrderView::apply`] moves the merchant's stored view of the order along the documented
//! transitions, ignoring duplicates and refusing what cannot happen.

use crate::envelope::decode_error;
use crate::error::Error;
use crate::keys::{self, PrivateKey, PublicKey};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// Checks the `sign` header value over the raw notification `body` with PayerMax's public key,
/// then decodes the body as `T` (for instance [`Notification<D>`]).
///
/// Nothing is decoded before the signature checks out. `sign` is `None` when the header is
/// absent, which is an error.
pub fn verify_notification<T: DeserializeOwned>(
    payermax_public_key: &PublicKey,
    body: &[u8],
    sign: Option<&str>,
) -> Result<T, Error> {
    verify_signature(payermax_public_key, body, sign)?;
    decode_notification(body)
}

fn verify_signature(key: &PublicKey, body: &[u8], sign: Option<&str>) -> Result<(), Error> {
    keys::verify(key, body, sign.unwrap_or("")).map_err(|source| Error::Signature {
        context: "notification".to_owned(),
        source,
    })
}

/// Decodes a notification body already verified (by [`classify_notice`] or
/// [`Client::classify_notice`](crate::Client::classify_notice)) as `T`.
pub fn decode_notification<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| {
        decode_error(
            "notification",
            format!("the notification body does not match the expected type: {e}"),
            body,
        )
    })
}

/// How one kind of notification is known: a field of the body (a dotted path) and the value it
/// has in that kind. Generated code lists the spec's kinds, the payout notification first
/// (`notifyType` `PAYOUT`), then the others (the RFI notification: `data.businessType`
/// `PAYMENT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeKind {
    /// A dotted path into the body, e.g. `data.businessType`.
    pub field: &'static str,
    /// Its value in this kind, e.g. `PAYMENT`.
    pub value: &'static str,
}

/// Checks the `sign` header over the raw `body` with PayerMax's public key, then tells which of
/// `kinds` the body is (its index).
///
/// The first kind whose field has its value wins. A body where a kind's field is present with
/// another value and no kind matches (an acquiring RFI, `businessType` `RECEIPT`; a `REFUND`
/// notification) is [`Error::NotForThisClient`]. A body where none of the fields is present is
/// taken as the first kind (the payout notification): the reference marks `notifyType`
/// mandatory, but PayerMax's SDKs do not check it, and decoding as the payout type still
/// refuses a body that is not one.
pub fn classify_notice(
    payermax_public_key: &PublicKey,
    body: &[u8],
    sign: Option<&str>,
    kinds: &[NoticeKind],
) -> Result<usize, Error> {
    verify_signature(payermax_public_key, body, sign)?;
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        decode_error(
            "notification",
            format!("the notification body is not JSON: {e}"),
            body,
        )
    })?;
    let mut other = None;
    for (index, kind) in kinds.iter().enumerate() {
        let found = kind
            .field
            .split('.')
            .try_fold(&value, |v, segment| v.get(segment));
        match found {
            Some(serde_json::Value::String(s)) if s == kind.value => return Ok(index),
            Some(serde_json::Value::String(s)) if !s.is_empty() => {
                other.get_or_insert((kind, s.clone()));
            }
            Some(serde_json::Value::Null | serde_json::Value::String(_)) | None => {}
            Some(v) => {
                other.get_or_insert((kind, v.to_string()));
            }
        }
    }
    match other {
        Some((kind, found)) => Err(Error::NotForThisClient {
            field: kind.field,
            expected: kind.value.to_owned(),
            found,
        }),
        None if kinds.is_empty() => Err(decode_error(
            "notification",
            "no notification kinds to tell it from".to_owned(),
            body,
        )),
        None => Ok(0),
    }
}

/// After the signature: a notification that names another `merchantNo` or `appId` than the
/// client's, or a `notifyType` other than `PAYOUT` (reference §7.2), is not this client's
/// payout notification. A field that is absent or empty is not held against it (the reference
/// marks them mandatory, but PayerMax's SDKs do not check them).
pub(crate) fn check_addressee(body: &[u8], merchant_no: &str, app_id: &str) -> Result<(), Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Addressee {
        #[serde(default)]
        merchant_no: Option<String>,
        #[serde(default)]
        app_id: Option<String>,
        #[serde(default)]
        notify_type: Option<String>,
    }
    // The body decoded as the caller's type already; one that is not an object names nobody.
    let Ok(to) = serde_json::from_slice::<Addressee>(body) else {
        return Ok(());
    };
    let checks = [
        ("merchantNo", to.merchant_no, merchant_no),
        ("appId", to.app_id, app_id),
        ("notifyType", to.notify_type, "PAYOUT"),
    ];
    for (field, found, expected) in checks {
        match found {
            Some(found) if !found.is_empty() && found != expected => {
                return Err(Error::NotForThisClient {
                    field,
                    expected: expected.to_owned(),
                    found,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Signs a notification body the way PayerMax does, for merchants' tests of their notification
/// handler: the value goes in the `sign` header.
pub fn sign_notification(private_key: &PrivateKey, body: &[u8]) -> String {
    keys::sign(private_key, body)
}

/// The notification envelope around the payout data `D`. Envelope fields missing from the body
/// decode as empty strings: only `data.status` decides anything (reference §7.1).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification<D> {
    /// `APPLY_SUCCESS` marks a valid callback. Do not decide anything from it.
    #[serde(default)]
    pub code: String,
    /// `Success.`
    #[serde(default)]
    pub msg: String,
    /// `1`.
    #[serde(default)]
    pub key_version: String,
    /// The merchant's app id.
    #[serde(default)]
    pub app_id: String,
    /// The merchant number.
    #[serde(default)]
    pub merchant_no: String,
    /// When PayerMax sent it.
    #[serde(default)]
    pub notify_time: String,
    /// `PAYOUT` for payouts.
    #[serde(default)]
    pub notify_type: String,
    /// The order's data: status, amounts, and so on.
    pub data: D,
}

/// Payout status values (`data.status`).
pub mod status {
    /// Still processing.
    pub const PENDING: &str = "PENDING";
    /// Paid out; can still turn into `BOUNCEBACK`.
    pub const SUCCESS: &str = "SUCCESS";
    /// Failed; final.
    pub const FAILED: &str = "FAILED";
    /// Returned after a success; final. The funds went back to the merchant balance.
    pub const BOUNCEBACK: &str = "BOUNCEBACK";
}

/// The merchant's stored view of one payout order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    /// `PENDING`, `SUCCESS`, `FAILED` or `BOUNCEBACK`.
    pub status: String,
    /// The sub-status while `PENDING` (`PEND_RFI_MATERIAL`, `REVIEW`, `TRANSMIT`).
    pub sub_status: Option<String>,
    /// The amount the merchant sent (`trade.amount`).
    pub amount: String,
    /// The currency the merchant sent (`trade.currency`).
    pub currency: String,
}

/// What a notification says about an order: `data.status`, `data.subStatus`,
/// `data.trade.amount`, `data.trade.currency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    /// `data.status`.
    pub status: String,
    /// `data.subStatus`.
    pub sub_status: Option<String>,
    /// `data.trade.amount`.
    pub amount: String,
    /// `data.trade.currency`.
    pub currency: String,
}

/// What applying a notification did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Nothing new (the same status and sub-status): acknowledge and carry on.
    Duplicate,
    /// A late notification about an earlier state (`PENDING` after a final status arrived):
    /// acknowledge it and keep the stored status.
    Stale {
        /// The stored status, kept.
        current: String,
        /// The status the late notification carried.
        notified: String,
    },
    /// The status (or `PENDING` sub-status) moved forward.
    Updated {
        /// The status before.
        from: String,
        /// The status now.
        to: String,
    },
    /// A paid order was returned (`SUCCESS` → `BOUNCEBACK`): the payee did not keep the money
    /// and the funds are back in the merchant balance.
    Reversal {
        /// The status before (`SUCCESS`, or `PENDING` when the success notice never came).
        from: String,
    },
}

/// Why a notification was not applied. The stored view is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// A move the payout lifecycle does not allow, e.g. `FAILED` → `SUCCESS`.
    #[error(
        "impossible status change {from} → {to}: keep the stored status and query the order to check"
    )]
    Impossible {
        /// The stored status.
        from: String,
        /// The notified status.
        to: String,
    },
    /// A status this SDK does not know.
    #[error("unknown status `{0}`: query the order and check PayerMax's documentation")]
    UnknownStatus(String),
    /// The notified amount is not the amount the merchant sent.
    #[error(
        "amount mismatch: the order was sent with {sent}, the notification says {notified}; investigate before trusting it"
    )]
    AmountMismatch {
        /// What the merchant sent.
        sent: String,
        /// What the notification says.
        notified: String,
    },
    /// The notified currency is not the currency the merchant sent.
    #[error(
        "currency mismatch: the order was sent in {sent}, the notification says {notified}; investigate before trusting it"
    )]
    CurrencyMismatch {
        /// What the merchant sent.
        sent: String,
        /// What the notification says.
        notified: String,
    },
}

impl OrderView {
    /// A freshly placed order: `PENDING` with the amount and currency sent.
    pub fn placed(amount: impl Into<String>, currency: impl Into<String>) -> Self {
        OrderView {
            status: status::PENDING.to_owned(),
            sub_status: None,
            amount: amount.into(),
            currency: currency.into(),
        }
    }

    /// Applies a notification's status to this view.
    ///
    /// Allowed: the spec's documented transitions
    /// ([`payermax_spec::BUILTIN_STATUS_TRANSITIONS`]: `PENDING` → `SUCCESS` | `FAILED`,
    /// `SUCCESS` → `BOUNCEBACK`), and `PENDING` → `PENDING` with a new sub-status. The same
    /// status again is a [`Transition::Duplicate`]; `PENDING` after a final status is
    /// [`Transition::Stale`] (notifications are retried and can arrive out of order). A move to
    /// `BOUNCEBACK` is a [`Transition::Reversal`]. Everything else is refused.
    ///
    /// A move the table makes in two steps (`PENDING` → `BOUNCEBACK`, through `SUCCESS`) is
    /// accepted as if the step between was missed: delivery is not guaranteed (reference §7.1),
    /// so the `SUCCESS` notice may never arrive, and the final state is what the merchant must
    /// record.
    ///
    /// Amount and currency are checked first. Amounts compare as decimal numbers, so `10000`
    /// equals `10000.00` (PayerMax may render amounts with more decimals than were sent,
    /// reference §18.14); currencies compare ignoring ASCII case.
    pub fn apply(&mut self, update: &StatusUpdate) -> Result<Transition, TransitionError> {
        if !self.currency.eq_ignore_ascii_case(&update.currency) {
            return Err(TransitionError::CurrencyMismatch {
                sent: self.currency.clone(),
                notified: update.currency.clone(),
            });
        }
        if !same_amount(&self.amount, &update.amount) {
            return Err(TransitionError::AmountMismatch {
                sent: self.amount.clone(),
                notified: update.amount.clone(),
            });
        }
        use status::{BOUNCEBACK, PENDING};
        let table = payermax_spec::BUILTIN_STATUS_TRANSITIONS;
        let to = update.status.as_str();
        let known = |s: &str| s == PENDING || table.iter().any(|(a, b)| *a == s || *b == s);
        if !known(to) {
            return Err(TransitionError::UnknownStatus(update.status.clone()));
        }
        let documented = |a: &str, b: &str| table.iter().any(|(x, y)| *x == a && *y == b);
        let in_two = |a: &str, b: &str| {
            table
                .iter()
                .any(|(x, between)| *x == a && documented(between, b))
        };
        let from = self.status.clone();
        let transition = match (from.as_str(), to) {
            (PENDING, PENDING) if self.sub_status == update.sub_status => Transition::Duplicate,
            (PENDING, PENDING) => Transition::Updated {
                from: from.clone(),
                to: to.to_owned(),
            },
            (a, b) if a == b => return Ok(Transition::Duplicate),
            (_, PENDING) => {
                return Ok(Transition::Stale {
                    current: from,
                    notified: to.to_owned(),
                });
            }
            (a, b) if documented(a, b) || in_two(a, b) => {
                if b == BOUNCEBACK {
                    Transition::Reversal { from: from.clone() }
                } else {
                    Transition::Updated {
                        from: from.clone(),
                        to: to.to_owned(),
                    }
                }
            }
            _ => {
                return Err(TransitionError::Impossible {
                    from,
                    to: to.to_owned(),
                });
            }
        };
        if transition != Transition::Duplicate {
            self.status = to.to_owned();
            self.sub_status = if to == PENDING {
                update.sub_status.clone()
            } else {
                None
            };
        }
        Ok(transition)
    }
}

/// The same amount as decimals (`10.5` = `10.50`); as text where either is not a decimal.
///
/// ```
/// assert!(payermax_runtime::notify::same_amount("10.5", "10.50"));
/// assert!(!payermax_runtime::notify::same_amount("10.5", "10.05"));
/// ```
pub fn same_amount(a: &str, b: &str) -> bool {
    match (
        a.trim().parse::<rust_decimal::Decimal>(),
        b.trim().parse::<rust_decimal::Decimal>(),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transition::Duplicate => f.write_str("duplicate notification"),
            Transition::Stale { current, notified } => {
                write!(
                    f,
                    "late {notified} notification ignored; the order is {current}"
                )
            }
            Transition::Updated { from, to } => write!(f, "{from} → {to}"),
            Transition::Reversal { from } => write!(f, "{from} → BOUNCEBACK (reversal)"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const KINDS: &[NoticeKind] = &[
        NoticeKind {
            field: "notifyType",
            value: "PAYOUT",
        },
        NoticeKind {
            field: "data.businessType",
            value: "PAYMENT",
        },
    ];

    #[test]
    fn notices_are_told_apart_after_the_signature() {
        let (key, public) = crate::keys::generate_keypair().unwrap();
        let classify = |body: &str| {
            let sign = sign_notification(&key, body.as_bytes());
            classify_notice(&public, body.as_bytes(), Some(&sign), KINDS)
        };
        let payout = r#"{"notifyType":"PAYOUT","data":{"outTradeNo":"o1"}}"#;
        let rfi = r#"{"keyVersion":"1","data":{"rfiNo":"r1","businessType":"PAYMENT"}}"#;
        assert_eq!(classify(payout).unwrap(), 0);
        assert_eq!(classify(rfi).unwrap(), 1);
        // tolerant: no field that tells them apart is read as the payout notification
        assert_eq!(classify(r#"{"data":{"outTradeNo":"o1"}}"#).unwrap(), 0);
        // another business's RFI, another notification type: not this client's
        match classify(r#"{"data":{"rfiNo":"r1","businessType":"RECEIPT"}}"#) {
            Err(Error::NotForThisClient {
                field,
                expected,
                found,
            }) => {
                assert_eq!(
                    (field, expected.as_str(), found.as_str()),
                    ("data.businessType", "PAYMENT", "RECEIPT")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(r#"{"notifyType":"REFUND","data":{}}"#),
            Err(Error::NotForThisClient {
                field: "notifyType",
                ..
            })
        ));
        assert!(matches!(classify("not json"), Err(Error::Decode { .. })));
        // the signature comes first: a valid body with a signature of other bytes is refused
        let sign = sign_notification(&key, b"other");
        assert!(matches!(
            classify_notice(&public, rfi.as_bytes(), Some(&sign), KINDS),
            Err(Error::Signature { .. })
        ));
        assert!(matches!(
            classify_notice(&public, rfi.as_bytes(), None, KINDS),
            Err(Error::Signature { .. })
        ));
    }

    fn update(status: &str, sub: Option<&str>) -> StatusUpdate {
        StatusUpdate {
            status: status.into(),
            sub_status: sub.map(Into::into),
            amount: "10000".into(),
            currency: "IDR".into(),
        }
    }

    #[test]
    fn forward_moves_update_the_view() {
        let mut view = OrderView::placed("10000", "IDR");
        assert_eq!(
            view.apply(&update("PENDING", Some("TRANSMIT"))).unwrap(),
            Transition::Updated {
                from: "PENDING".into(),
                to: "PENDING".into()
            }
        );
        assert_eq!(view.sub_status.as_deref(), Some("TRANSMIT"));
        assert_eq!(
            view.apply(&update("SUCCESS", None)).unwrap(),
            Transition::Updated {
                from: "PENDING".into(),
                to: "SUCCESS".into()
            }
        );
        assert_eq!(view.status, "SUCCESS");
        assert_eq!(view.sub_status, None);

        let mut view = OrderView::placed("10000", "IDR");
        view.apply(&update("FAILED", None)).unwrap();
        assert_eq!(view.status, "FAILED");
    }

    #[test]
    fn duplicates_are_ignored() {
        let mut view = OrderView::placed("10000", "IDR");
        view.apply(&update("PENDING", Some("REVIEW"))).unwrap();
        assert_eq!(
            view.apply(&update("PENDING", Some("REVIEW"))).unwrap(),
            Transition::Duplicate
        );
        view.apply(&update("SUCCESS", None)).unwrap();
        let before = view.clone();
        assert_eq!(
            view.apply(&update("SUCCESS", None)).unwrap(),
            Transition::Duplicate
        );
        assert_eq!(view, before);
    }

    #[test]
    fn impossible_transitions_are_refused_and_leave_the_view_alone() {
        for (from, to) in [
            ("FAILED", "SUCCESS"),
            ("FAILED", "BOUNCEBACK"),
            ("BOUNCEBACK", "SUCCESS"),
            ("SUCCESS", "FAILED"),
            ("BOUNCEBACK", "FAILED"),
        ] {
            let mut view = OrderView {
                status: from.into(),
                ..OrderView::placed("10000", "IDR")
            };
            let before = view.clone();
            assert_eq!(
                view.apply(&update(to, None)).unwrap_err(),
                TransitionError::Impossible {
                    from: from.into(),
                    to: to.into()
                },
                "{from} → {to}"
            );
            assert_eq!(view, before);
        }
        let mut view = OrderView::placed("10000", "IDR");
        assert_eq!(
            view.apply(&update("CLOSED", None)).unwrap_err(),
            TransitionError::UnknownStatus("CLOSED".into())
        );
        assert_eq!(view.status, "PENDING");
    }

    #[test]
    fn late_pending_after_a_final_status_is_stale() {
        let mut view = OrderView::placed("10000", "IDR");
        view.apply(&update("SUCCESS", None)).unwrap();
        assert_eq!(
            view.apply(&update("PENDING", Some("TRANSMIT"))).unwrap(),
            Transition::Stale {
                current: "SUCCESS".into(),
                notified: "PENDING".into()
            }
        );
        assert_eq!(view.status, "SUCCESS");
    }

    #[test]
    fn bounceback_after_success_is_a_reversal() {
        let mut view = OrderView::placed("10000", "IDR");
        view.apply(&update("SUCCESS", None)).unwrap();
        assert_eq!(
            view.apply(&update("BOUNCEBACK", None)).unwrap(),
            Transition::Reversal {
                from: "SUCCESS".into()
            }
        );
        assert_eq!(view.status, "BOUNCEBACK");
        // tolerant: the SUCCESS notice may never have arrived
        let mut view = OrderView::placed("10000", "IDR");
        assert_eq!(
            view.apply(&update("BOUNCEBACK", None)).unwrap(),
            Transition::Reversal {
                from: "PENDING".into()
            }
        );
    }

    #[test]
    fn amount_and_currency_must_match_what_was_sent() {
        let mut view = OrderView::placed("10000", "IDR");
        let mut different = update("SUCCESS", None);
        different.amount = "1000".into();
        assert_eq!(
            view.apply(&different).unwrap_err(),
            TransitionError::AmountMismatch {
                sent: "10000".into(),
                notified: "1000".into()
            }
        );
        different.amount = "10000".into();
        different.currency = "USD".into();
        assert_eq!(
            view.apply(&different).unwrap_err(),
            TransitionError::CurrencyMismatch {
                sent: "IDR".into(),
                notified: "USD".into()
            }
        );
        assert_eq!(view.status, "PENDING");
        // same number, more decimals, other case: accepted
        different.amount = "10000.00".into();
        different.currency = "idr".into();
        assert!(view.apply(&different).is_ok());
        assert_eq!(view.status, "SUCCESS");
    }
}
