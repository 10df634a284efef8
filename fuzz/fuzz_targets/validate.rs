//! The rule interpreter on arbitrary JSON: `validate_payout`, `validate_sent_fields`,
//! `field_report`, `select` and `validate_type` of the built-in spec, and the generated typed
//! request's `validate()` on the same document.
//!
//! Oracles: nothing panics; reports are sorted by path; element validation reports a subset of
//! the payout report and never `required`; the field report's verdict matches its failures; a
//! typed `PaymentOrderPayRequest` read from the same JSON gets exactly the interpreter's report,
//! and so does a typed `PaymentFieldValidationRequest` in element validation (the generated
//! fast path answers for valid requests, the interpreter for the rest: they must agree).
#![no_main]

use libfuzzer_sys::fuzz_target;
use payermax_spec::{Spec, Violation};
use serde_json::Value;
use std::sync::OnceLock;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| payermax_spec::builtin().expect("the built-in spec loads"))
}

/// A violation as compared: path, code, message and level (the executors agree on which
/// rules only advise).
type Row = (String, &'static str, String, payermax_runtime::Level);

fn key(v: &Violation) -> Row {
    (v.path.clone(), v.code, v.message.clone(), v.level)
}

/// A typed `validate()` result as rows: the warnings of an `Ok`, every violation of an `Err`.
fn typed_report(
    result: Result<payermax_runtime::Warnings, payermax_runtime::ValidationErrors>,
) -> Vec<Row> {
    let violations = match result {
        Ok(warnings) => warnings.violations,
        Err(e) => e.violations,
    };
    violations.iter().map(key).collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let spec = spec();
    let payout = spec.validate_payout(&json);
    let sent = spec.validate_sent_fields(&json);
    let report = spec.field_report(&json);
    let _ = spec.select(&json);
    for ty in [
        "PaymentOrderQryRequest",
        "PaymentOrderBatchQryRequest",
        "PaymentFieldValidationRequest",
    ] {
        for v in spec.validate_type(ty, &json) {
            let _ = (v.to_string(), v.to_json());
        }
    }

    for list in [&payout, &sent] {
        assert!(
            list.windows(2).all(|w| w[0].path <= w[1].path),
            "unsorted: {list:?}"
        );
        for v in list.iter() {
            let _ = (v.to_string(), v.to_json());
        }
    }
    assert!(sent.iter().all(|v| v.code != "required"), "{sent:?}");
    let mut rest: Vec<_> = payout.iter().map(key).collect();
    for v in &sent {
        let at = rest.iter().position(|p| *p == key(v));
        assert!(at.is_some(), "{v:?} is not in the payout report {payout:?}");
        if let Some(at) = at {
            rest.remove(at);
        }
    }
    assert_eq!(
        report.validation_code == "PASS",
        report.failed.is_empty(),
        "{report:?}"
    );

    if let Ok(typed) = serde_json::from_value::<payermax::PaymentOrderPayRequest>(json.clone()) {
        let typed_report = typed_report(typed.validate());
        let interpreted: Vec<_> = payout.iter().map(key).collect();
        assert_eq!(
            typed_report, interpreted,
            "typed and interpreted reports differ for {json}"
        );
    }

    if let Ok(typed) =
        serde_json::from_value::<payermax::PaymentFieldValidationRequest>(json.clone())
    {
        let typed_report = typed_report(typed.validate());
        // The typed request holds only its own fields: compare with what it serializes to.
        let own = serde_json::to_value(&typed).expect("a typed request serializes");
        let interpreted: Vec<_> = spec.validate_sent_fields(&own).iter().map(key).collect();
        assert_eq!(
            typed_report, interpreted,
            "typed and interpreted element validation differ for {own}"
        );
    }
});
