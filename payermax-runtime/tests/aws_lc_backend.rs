//! With the `aws-lc-backend` feature (alone or with `ring-backend`), `keys::sign` and
//! `keys::verify` go through AWS-LC; the shared tests in `fast_backend/` check it against the
//! `rsa` crate and OpenSSL.
//! Run with `cargo test -p payermax-runtime --features aws-lc-backend`.
#![cfg(feature = "aws-lc-backend")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The backend `keys::BACKEND` must name.
const EXPECTED: &str = "aws-lc";

mod fast_backend;
