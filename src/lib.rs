//! # payermax
//!
//! Typed, validated PayerMax payouts. This facade re-exports the runtime (keys, signing,
//! HTTP client, errors) and the spec model with its rule interpreter.
#![deny(missing_docs)]

pub use payermax_runtime as runtime;
pub use payermax_spec as spec;
