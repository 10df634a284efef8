//! The one error type, [`Error`], and what a merchant can do about each case.
//!
//! Every variant's `Display` says what happened and what to do next. The variants follow the
//! questions a merchant has after a failed call: was anything sent ([`Error::NotSent`])? did it
//! arrive ([`Error::OutcomeUnknown`])? can the answer be trusted ([`Error::Signature`])? what did
//! PayerMax say ([`Error::Api`], with its [`RetryClass`])?

use crate::validation::ValidationErrors;
use std::fmt;

/// A boxed source error (the HTTP library's error, for instance).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The response code PayerMax uses for "accepted / processed".
pub const APPLY_SUCCESS: &str = "APPLY_SUCCESS";
/// Response code for an `outTradeNo` that was already placed.
pub const ORDER_REPEAT: &str = "ORDER_REPEAT";
/// Response code of an inquiry for an `outTradeNo` PayerMax does not know (yet).
pub const ORDER_NOT_EXIST: &str = "ORDER_NOT_EXIST";

/// What a merchant should do after an error code: the spec's own type (one definition, read
/// from the spec's `retry:` values by generated code).
pub use payermax_spec::model::RetryClass;

/// Error codes and their retry classes, as generated code passes them in:
/// `&[("TOO_MANY_REQUEST", RetryClass::Transient), ...]`.
pub type ErrorTable = &'static [(&'static str, RetryClass)];

/// The retry class of `code` in `table`; [`RetryClass::Unknown`] for a code not listed.
pub fn classify(table: &[(&str, RetryClass)], code: &str) -> RetryClass {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(RetryClass::Unknown, |(_, class)| *class)
}

/// PayerMax answered with a code other than `APPLY_SUCCESS`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The api name called, e.g. `paymentOrderPay`.
    pub api: String,
    /// The envelope `code`, e.g. `PARAMS_INVALID`.
    pub code: String,
    /// The envelope `msg`.
    pub msg: String,
    /// The envelope `data` as sent (`Null` when absent). For `ORDER_REPEAT` it may hold the
    /// order's current status.
    pub data: serde_json::Value,
    /// What to do, from the error table the call was made with.
    pub retry: RetryClass,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// The response carried a `sign` header that verified. Whether PayerMax signs error
    /// answers is not documented, so unsigned ones are accepted; anyone between the client and
    /// PayerMax could have written one, so before acting on an unsigned "failed for good"
    /// (placing the payout again under a new `outTradeNo`), query the order.
    pub signed: bool,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered {}: {} ({}: {})",
            self.api,
            self.code,
            self.msg,
            self.retry,
            self.retry.advice()
        )?;
        if !self.signed && self.retry == RetryClass::OrderFailure {
            f.write_str(
                "; the answer was not signed: query the order by outTradeNo to confirm before placing it under a new one",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A signature could not be made or did not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No `sign` header (or an empty one).
    #[error("there is no `sign` header")]
    Missing,
    /// The `sign` value is not base64 or has the wrong length.
    #[error("the `sign` header is malformed: {0}")]
    Malformed(String),
    /// The signature does not match the bytes and the public key.
    #[error("the signature does not match the body and the PayerMax public key")]
    Invalid,
    /// Signing failed (only if the system's random number generator fails).
    #[error("signing failed: {0}")]
    Signing(String),
}

/// Everything that can go wrong in a call, a notification check or the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request never left this process, or the connection failed before it was sent:
    /// PayerMax did not receive it, so sending it again is safe.
    #[error(
        "{api}: the request was not sent ({reason}); PayerMax did not receive it, so sending it again is safe"
    )]
    NotSent {
        /// The api name called.
        api: String,
        /// What failed, in words.
        reason: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// The request was sent, but no complete answer came back (timeout, connection lost). It may
    /// or may not have been processed.
    #[error(
        "{api}: the outcome is unknown ({reason}): the request was sent but no complete answer came back; for a payout, query the order by outTradeNo before sending it again (Client::pay_idempotent does this)"
    )]
    OutcomeUnknown {
        /// The api name called.
        api: String,
        /// What failed, in words.
        reason: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// A response or notification without a valid signature: its content cannot be trusted.
    #[error(
        "{context}: {source}; do not trust its content. Check that Config holds PayerMax's public key for this environment; for a payout response, query the order before sending it again"
    )]
    Signature {
        /// What was being checked, e.g. `response to paymentOrderPay` or `notification`.
        context: String,
        /// What is wrong with the signature.
        #[source]
        source: SignatureError,
    },

    /// PayerMax answered with a code other than `APPLY_SUCCESS`.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request data broke the rules; nothing was sent.
    #[error("the request is invalid and was not sent; fix these fields:\n{0}")]
    Validation(ValidationErrors),

    /// A response that is not a PayerMax envelope, with an HTTP error status.
    #[error(
        "{api}: PayerMax (or a proxy in front of it) answered HTTP {status} without a PayerMax response; {}",
        http_status_advice(*status)
    )]
    HttpStatus {
        /// The api name called.
        api: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body, for debugging (may hold payee data: do not log it blindly).
        body: String,
    },

    /// The response could not be decoded into the expected shape.
    #[error(
        "{api}: the response could not be decoded ({message}); the raw body is kept in this error for debugging. For a payout, query the order before sending it again"
    )]
    Decode {
        /// The api name called, or `notification`.
        api: String,
        /// What did not decode.
        message: String,
        /// The raw body, lossily converted to UTF-8 (may hold payee data: do not log it blindly).
        body: String,
    },

    /// [`Client::pay_idempotent`](crate::Client::pay_idempotent) found an existing order under
    /// the `outTradeNo` (through `ORDER_REPEAT` or an inquiry) whose amount or currency is not
    /// the request's: the number belongs to another payout, and this one was not placed.
    #[error(
        "not placed: outTradeNo {out_trade_no} already names an order for {found} (status {status}), not this request's {sent}. Find out what that order paid before paying anyone again: if it is this payout placed earlier with another amount, its payee has been paid; only a payout that is still owed needs its own outTradeNo"
    )]
    OrderConflict {
        /// The order number sent.
        out_trade_no: String,
        /// The existing order's currency and amount, e.g. `BRL 50.00`.
        found: String,
        /// The existing order's status.
        status: String,
        /// The request's currency and amount.
        sent: String,
    },

    /// A genuinely signed notification addressed to another merchant or app, or not a payout
    /// notification (`notifyType` other than `PAYOUT`): PayerMax signs every merchant's
    /// notifications with the same key, and `outTradeNo` is only unique per merchant.
    #[error(
        "notification: its {field} is `{found}`, not `{expected}`: it is not a notification for this client; do not apply it"
    )]
    NotForThisClient {
        /// `merchantNo`, `appId`, `notifyType`, or the field that tells a kind of notification
        /// apart (`data.businessType`).
        field: &'static str,
        /// What this client expects.
        expected: String,
        /// What the notification says.
        found: String,
    },

    /// A setting is missing or wrong.
    #[error("configuration: {field}: {message}")]
    Config {
        /// The setting, e.g. `merchant_private_key`.
        field: &'static str,
        /// What is wrong (never contains key material).
        message: String,
    },
}

fn http_status_advice(status: u16) -> &'static str {
    if status == 429 {
        "the request was refused for now: send it again after a pause"
    } else if status >= 500 {
        "the request may or may not have been processed: for a payout, query the order before sending it again"
    } else {
        "check the environment's base URL and the api name"
    }
}

impl Error {
    /// The API error, when PayerMax answered with an error code.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The PayerMax error code, when PayerMax answered with one.
    pub fn code(&self) -> Option<&str> {
        self.api_error().map(|e| e.code.as_str())
    }

    /// What to do next, as a [`RetryClass`]: the error table's class for API errors,
    /// `Transient` for a request not sent (or HTTP 429), `Query` when the outcome is unknown
    /// (or HTTP 5xx), `FixThenResend` for validation and configuration errors, `Unknown` for
    /// signature and decoding failures.
    pub fn retry_class(&self) -> RetryClass {
        match self {
            Error::NotSent { .. } => RetryClass::Transient,
            Error::OutcomeUnknown { .. } => RetryClass::Query,
            Error::Api(e) => e.retry,
            Error::HttpStatus { status: 429, .. } => RetryClass::Transient,
            Error::HttpStatus { status, .. } if *status >= 500 => RetryClass::Query,
            Error::HttpStatus { .. }
            | Error::Validation(_)
            | Error::Config { .. }
            | Error::OrderConflict { .. } => RetryClass::FixThenResend,
            Error::NotForThisClient { .. } => RetryClass::Unknown,
            Error::Signature { .. } | Error::Decode { .. } => RetryClass::Unknown,
        }
    }

    pub(crate) fn config(field: &'static str, message: impl Into<String>) -> Self {
        Error::Config {
            field,
            message: message.into(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<ValidationErrors> for Error {
    fn from(e: ValidationErrors) -> Self {
        Error::Validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_class_spec_names_round_trip() {
        for class in RetryClass::ALL {
            assert_eq!(RetryClass::from_spec_name(class.spec_name()), Some(class));
        }
        assert_eq!(RetryClass::from_spec_name("Transient"), None);
        assert_eq!(RetryClass::from_spec_name("retry"), None);
    }

    #[test]
    fn unknown_codes_classify_as_unknown() {
        let table: ErrorTable = &[
            ("TOO_MANY_REQUEST", RetryClass::Transient),
            ("PARAMS_INVALID", RetryClass::FixThenResend),
        ];
        assert_eq!(classify(table, "TOO_MANY_REQUEST"), RetryClass::Transient);
        assert_eq!(classify(table, "PARAMS_INVALID"), RetryClass::FixThenResend);
        assert_eq!(classify(table, "SOMETHING_NEW"), RetryClass::Unknown);
        assert_eq!(classify(&[], "PARAMS_INVALID"), RetryClass::Unknown);
    }
}
