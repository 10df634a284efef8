//! Figure 1, allocations: heap allocations per validated payout request, counted by a
//! counting global allocator (dhat in testing mode) over many runs after a warm-up run. The
//! valid path must not allocate; the invalid path allocates its report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/cases.rs"]
mod cases;
#[path = "support/out.rs"]
mod out;

use payermax::PaymentOrderPayRequest;
use std::hint::black_box;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const RUNS: u64 = 1000;

/// Allocations per call of `f`, after one call to warm caches up (the spec, regex caches).
fn allocations(f: impl Fn()) -> f64 {
    f();
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..RUNS {
        f();
    }
    let after = dhat::HeapStats::get().total_blocks;
    (after - before) as f64 / RUNS as f64
}

fn main() {
    if !out::selected("alloc") {
        return;
    }
    let cases = cases::cases();
    let spec = payermax::loaded_plan();
    let _profiler = dhat::Profiler::builder().testing().build();
    let mut lines = Vec::new();
    for case in &cases {
        for (kind, json) in [("valid", &case.valid), ("invalid", &case.invalid)] {
            let id = format!("{}_{kind}", case.name);
            let typed: PaymentOrderPayRequest = serde_json::from_value(json.clone()).unwrap();
            let typed_allocs = allocations(|| {
                let _ = black_box(black_box(&typed).validate());
            });
            let json_allocs = allocations(|| {
                black_box(spec.validate_payout(black_box(json)));
            });
            println!(
                "{id:<20} typed {typed_allocs:>6.1} allocations/request, json {json_allocs:>6.1}"
            );
            lines.push((format!("typed.{id}"), typed_allocs.to_string()));
            lines.push((format!("json.{id}"), json_allocs.to_string()));
        }
    }
    out::write("alloc.tsv", &lines);
}
