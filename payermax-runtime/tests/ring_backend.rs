//! With the `ring-backend` feature alone, `keys::sign` and `keys::verify` go through `ring`; the
//! shared tests in `fast_backend/` check it against the `rsa` crate and OpenSSL.
//! Run with `cargo test -p payermax-runtime --features ring-backend`. With `aws-lc-backend` on
//! too, AWS-LC is used and `tests/aws_lc_backend.rs` runs instead.
#![cfg(all(feature = "ring-backend", not(feature = "aws-lc-backend")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The backend `keys::BACKEND` must name.
const EXPECTED: &str = "ring";

mod fast_backend;
