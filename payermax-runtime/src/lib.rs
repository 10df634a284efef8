//! The runtime that payermax-rs generated bindings compile against.
//!
//! It knows nothing about particular endpoints: generated code hands it an api name, a
//! serializable `data` and a response type, and it does the rest.
//!
//! | module | what it is for |
//! |---|---|
//! | [`config`] | [`Config`] by builder: merchant ids, keys (parsed once), [`Environment`], envelope versions, timeouts, ISV fields, [`RetryPolicy`], [`Clock`] |
//! | [`keys`] | [`PrivateKey`]/[`PublicKey`] in the dashboard format or PEM, [`keys::sign`], [`keys::verify`], [`keys::generate_keypair`] |
//! | [`envelope`] | the request envelope (serialized once, signed, sent as is) and [`envelope::decode_response`], which verifies and decodes every answer |
//! | [`client`] | [`Client`]: [`Client::call`] (one attempt), [`Client::call_idempotent`] (with retries) |
//! | [`payout`] | [`Client::pay_idempotent`]: a payout placed at most once, resolved through inquiry when unclear |
//! | [`notify`] | notification verification and [`OrderView::apply`] for the order lifecycle |
//! | [`error`] | the one [`Error`] type, [`ApiError`], [`RetryClass`] |
//! | [`validation`] | [`ValidationErrors`] and [`Violation`], shared by generated validators and the spec interpreter |
//! | [`retry`] | [`RetryPolicy`] |
//! | [`clock`] | [`Clock`], [`SystemClock`], [`ManualClock`] for tests |
//!
//! Secrets: private keys are zeroized on drop and never appear in `Debug` output, errors or
//! traces; the ISV token is redacted the same way. Tracing spans (`payermax.call`) record the api
//! name, `outTradeNo`, attempt, latency and result code — never key material or payee data.
//!
//! Generated code reaches serde through this crate: [`serde`] and [`serde_json`] are re-exported.

#![deny(missing_docs)]

pub mod client;
pub mod clock;
pub mod config;
pub mod envelope;
pub mod error;
pub mod keys;
pub mod notify;
pub mod payout;
pub mod retry;
pub mod validation;

/// The HTTP header that carries the signature of a request, an answer or a notification.
pub const SIGN_HEADER: &str = "sign";

pub use client::Client;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, ConfigBuilder, Environment};
pub use error::{ApiError, Error, ErrorTable, RetryClass, SignatureError};
pub use keys::{KeyError, PrivateKey, PublicKey};
pub use notify::{
    NoticeKind, Notification, OrderView, StatusUpdate, Transition, TransitionError,
    classify_notice, decode_notification, sign_notification, verify_notification,
};
pub use payout::{PayEvent, PayoutCalls, PayoutOutcome, ResolvedBy};
pub use retry::RetryPolicy;
pub use validation::{Level, ValidationErrors, Violation, Warnings};

pub use serde;
pub use serde_json;
