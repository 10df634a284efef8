//! # payermax
//!
//! Typed, validated PayerMax payouts. Everything here is generated at compile time from the
//! payout spec (`payermax-spec/spec/*.yaml`) by [`generate!`]: request and response types,
//! per-country payee builders whose required fields the compiler checks, validators, and a
//! typed [`Client`] over the runtime (signing, HTTP, errors, safe retries).
//!
//! ```no_run
//! # async fn demo(config: payermax::runtime::Config) -> Result<(), payermax::runtime::Error> {
//! use payermax::{payee, Client, PaymentOrderPayRequest, Trade};
//! let client = Client::new(config)?;
//! let payee = payee::br::Pix::builder().account_no("12345678901").build();
//! let amount = payermax::Currency::Brl.amount("10.50").expect("BRL has 2 decimals");
//! let request = PaymentOrderPayRequest::new("order_42", "BR", Trade::new(amount, "BRL"), payee.into());
//! let payout = client.pay_idempotent(&request).await?;
//! println!("{} is {}", payout.out_trade_no, payout.status);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

extern crate self as payermax;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod amount;
pub mod batch;

pub use amount::{Amount, AmountError};
pub use payermax_macros::generate;
pub use payermax_runtime as runtime;

generate!();
