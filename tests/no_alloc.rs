//! A valid payout request is validated without a single heap allocation, typed or as JSON, and
//! `is_valid()` answers any request without one
//! (counted by dhat's counting allocator; `benches/alloc.rs` reports the figures). The cases
//! are the benchmarks' (`benches/schemas/cases.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax::PaymentOrderPayRequest;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn allocations(f: impl Fn()) -> u64 {
    f(); // warm-up: loads the spec, fills the regex caches
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..10 {
        f();
    }
    dhat::HeapStats::get().total_blocks - before
}

#[test]
fn validating_a_valid_request_does_not_allocate() {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../benches/schemas/cases.json")).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    let spec = payermax::loaded_plan();
    let _profiler = dhat::Profiler::builder().testing().build();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let json = &case["valid"];
        let typed: PaymentOrderPayRequest = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            allocations(|| assert!(typed.validate().unwrap().is_empty())),
            0,
            "{name}, typed"
        );
        assert_eq!(
            allocations(|| assert!(spec.validate_payout(json).is_empty())),
            0,
            "{name}, JSON"
        );
        let invalid: PaymentOrderPayRequest =
            serde_json::from_value(case["invalid"].clone()).unwrap();
        assert!(
            allocations(|| assert!(invalid.validate().is_err())) > 0,
            "{name}: a report allocates"
        );
        // A method type the country's file does not list (API-wide rules only) neither.
        if name == "br_pix" {
            let mut other = json.clone();
            other["payeeInfo"]["paymentMethodType"] = serde_json::json!("CASH");
            assert!(spec.validate_payout(&other).is_empty());
            assert_eq!(
                allocations(|| assert!(spec.validate_payout(&other).is_empty())),
                0,
                "{name}, JSON, unlisted method type"
            );
        }
        // The verdict alone does not, valid or not.
        assert_eq!(
            allocations(|| assert!(typed.is_valid() && !invalid.is_valid())),
            0,
            "{name}, is_valid"
        );
    }
}
