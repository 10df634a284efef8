//! Figure 1: payee validation, ns per payout request, for several countries and methods, valid
//! and invalid: typed (`request.validate()`), on JSON (`loaded_plan().validate_payout`), and the
//! reference: the same rules as JSON Schema (`benches/schemas/`) checked by the `jsonschema`
//! crate, its validator compiled once (`is_valid` for valid input, every error iterated for
//! invalid input). On invalid input the verdict alone is measured too: typed `is_valid()` against
//! jsonschema's `is_valid`.
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

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use payermax::PaymentOrderPayRequest;
use std::hint::black_box;

fn validation(c: &mut Criterion) {
    let spec = payermax::loaded_plan();
    let mut counts = Vec::new();
    let mut group = c.benchmark_group("validation");
    for case in cases::cases() {
        let schema = jsonschema::validator_for(&case.schema).expect("the bench schema compiles");
        for (kind, json) in [("valid", &case.valid), ("invalid", &case.invalid)] {
            let valid = kind == "valid";
            let id = format!("{}_{kind}", case.name);
            let typed: PaymentOrderPayRequest = serde_json::from_value(json.clone())
                .unwrap_or_else(|e| panic!("{id} does not deserialize: {e}"));
            // Every implementation must agree on the verdict, or the figures mean nothing.
            let report = spec.validate_payout(json);
            assert_eq!(report.is_empty(), valid, "{id}: {report:#?}");
            let typed_report = typed.validate().err().map(|e| e.violations.len());
            assert_eq!(
                typed_report.unwrap_or(0),
                report.len(),
                "{id}: typed vs JSON"
            );
            let schema_errors = schema.iter_errors(json).count();
            assert_eq!(schema.is_valid(json), valid, "{id}: jsonschema verdict");
            counts.push((format!("violations.{id}"), report.len().to_string()));
            counts.push((format!("schema_errors.{id}"), schema_errors.to_string()));

            group.bench_with_input(BenchmarkId::new("typed", &id), &typed, |b, t| {
                b.iter(|| black_box(t).validate())
            });
            group.bench_with_input(BenchmarkId::new("json", &id), json, |b, j| {
                b.iter(|| spec.validate_payout(black_box(j)))
            });
            group.bench_with_input(BenchmarkId::new("jsonschema", &id), json, |b, j| {
                if valid {
                    b.iter(|| schema.is_valid(black_box(j)))
                } else {
                    b.iter(|| schema.iter_errors(black_box(j)).count())
                }
            });
            if !valid {
                // The verdict alone, without a report, on both sides (on valid input that is
                // what the rows above already measure).
                assert!(!typed.is_valid(), "{id}: typed verdict");
                group.bench_with_input(BenchmarkId::new("typed_verdict", &id), &typed, |b, t| {
                    b.iter(|| black_box(t).is_valid())
                });
                group.bench_with_input(
                    BenchmarkId::new("jsonschema_verdict", &id),
                    json,
                    |b, j| b.iter(|| schema.is_valid(black_box(j))),
                );
            }
        }
    }
    group.finish();
    out::write("validation.tsv", &counts);
}

criterion_group!(benches, validation);
criterion_main!(benches);
