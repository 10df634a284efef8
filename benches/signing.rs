//! Figure 2: SHA256withRSA (2048-bit) signatures and verifications per second through
//! `payermax::runtime::keys`, with the backend this build uses (`rsa` by default, `ring` with
//! `--features payermax-runtime/ring-backend`, `aws-lc` with
//! `--features payermax-runtime/aws-lc-backend`). `benches/run.sh` runs it once per backend and
//! compares with `openssl speed rsa2048` on the same machine.
//!
//! The message is a payout request envelope of the usual size; the figures include hashing it
//! and base64 (what a caller pays), which `openssl speed` does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/keys.rs"]
mod keys;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use payermax::runtime::keys::{BACKEND, sign, verify};
use std::hint::black_box;

const MESSAGE: &[u8] = include_bytes!("../payermax-runtime/tests/fixtures/openssl/body.json");

fn signing(c: &mut Criterion) {
    let (private, public) = keys::merchant();
    let signature = sign(&private, MESSAGE);
    verify(&public, MESSAGE, &signature).expect("the fixture keys form a pair");
    let mut group = c.benchmark_group("signing");
    group.bench_function(BenchmarkId::new(BACKEND, "sign"), |b| {
        b.iter(|| sign(&private, black_box(MESSAGE)))
    });
    group.bench_function(BenchmarkId::new(BACKEND, "verify"), |b| {
        b.iter(|| verify(&public, black_box(MESSAGE), black_box(&signature)))
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
