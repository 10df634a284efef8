//! # payermax
//!
//! Typed, validated PayerMax payouts. Everything here is generated at compile time from the
//! payout spec (`payermax-spec/spec/*.yaml`) by [`generate!`]: request and response types,
//! per-country payee builders whose required fields the compiler checks ([`payee`]),
//! validators, and a typed [`Client`] over the [`runtime`] (signing, HTTP, errors, safe
//! retries).
//!
//! ## Quickstart
//!
//! `cargo run --example quickstart` runs the whole flow against a local sandbox, with no
//! credentials: element validation ([`Client::validate_payment_fields`]), a payout
//! ([`Client::pay_idempotent`]), the signed notification ([`verify_notification`],
//! [`NOTIFICATION_ACK`]), an inquiry ([`Client::query`]) and the day's orders
//! ([`Client::batch_query_stream`]). In code:
//!
//! ```no_run
//! # async fn demo(config: payermax::runtime::Config) -> Result<(), payermax::runtime::Error> {
//! use payermax::{payee, Client, Currency, PaymentOrderPayRequest, Trade};
//!
//! let client = Client::new(config)?;
//! // Brazil PIX: `build()` does not compile until every field the spec requires is set.
//! let payee = payee::br::Pix::builder().account_no("12345678901").build();
//! let amount = Currency::Brl.amount("10.50").expect("BRL has 2 decimals"); // "10.505" is refused
//! let request = PaymentOrderPayRequest::new("order_42", "BR", Trade::new(amount, "BRL"), payee.into());
//! request.validate()?; // every violation at once, each with its JSON path
//! let payout = client.pay_idempotent(&request).await?; // resends reuse order_42
//! println!("{} is {}", payout.out_trade_no, payout.status);
//! # Ok(()) }
//! ```
//!
//! ## Notifications
//!
//! With the `axum` feature, `payermax::axum::notifications(client, handler)` is the whole
//! webhook: a route that verifies, decodes, calls your async function and answers PayerMax.
//! Without it, framework-agnostic: the raw body and the `sign` header in, a verified
//! [`Notice`] (a payout result or an RFI) out; answer with [`NOTIFICATION_ACK`].
//! [`runtime::OrderView::apply`] then ignores duplicates and refuses impossible transitions.
//!
//! ```
//! fn on_notification(client: &payermax::Client, body: &[u8], sign: Option<&str>) -> (u16, &'static str) {
//!     match client.verify_notice(body, sign) {
//!         Ok(payermax::Notice::Payout(n)) => println!("{} is now {}", n.data.out_trade_no, n.data.status),
//!         Ok(payermax::Notice::Rfi(n)) => println!("RFI {} for {:?}", n.data.rfi_no, n.data.relate_order_id),
//!         Ok(_) => {}
//!         Err(_) => return (401, "signature does not verify"),
//!     }
//!     (200, payermax::NOTIFICATION_ACK)
//! }
//! ```
//!
//! ## Your own countries
//!
//! `payermax::generate!(extend = "spec/extra.yaml")` in your crate generates the same API for
//! the built-in spec plus the country files `extra.yaml` lists; `generate!(spec = "...")` for a
//! spec of your own. Spec errors are compile errors at the spec's `file:line:column`.
#![deny(missing_docs)]

extern crate self as payermax;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod amount;
#[cfg(feature = "axum")]
pub mod axum;
pub mod batch;
pub mod bulk;
pub mod ledger;

pub use amount::{Amount, AmountError};
/// The time type of the batch stream's window (`Client::batch_query_stream`).
pub use chrono::{DateTime, Utc};
/// What reading a stream of the client needs (`.next().await`).
pub use futures_util::{Stream, StreamExt};

/// The README's Rust examples, compiled (and run unless marked) as doctests; with the `axum`
/// feature, which one of them uses (`cargo test --workspace` turns it on: the example service
/// depends on it).
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
pub use payermax_macros::generate;
/// The runtime under the generated API: configuration and keys, signing, the HTTP client,
/// errors, retries, notifications.
#[doc(inline)]
pub use payermax_runtime as runtime;

generate!();
