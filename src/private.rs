//! What generated code reaches through `::payermax::__private`: the runtime, serde, and small
//! helpers that keep the generated code short. Not a stable API.

pub use ::chrono;
pub use ::futures_util as futures;
pub use ::payermax_runtime as runtime;
pub use ::payermax_spec as spec;
pub use ::serde;
pub use ::serde_json;

pub use crate::batch;

use payermax_runtime::{ValidationErrors, Warnings};

/// Which rules a request's `validate()` applies.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The payout: API-wide and country/method rules, required fields included.
    Payout,
    /// Element validation: only the fields that are sent.
    SentFields,
    /// The API-wide rules of this type.
    Type(&'static str),
}

/// Runs the rule interpreter (on the spec's plan) on a typed request, read through its generated `Doc`
/// impl (no serialization): generated validators and the interpreter that the sandbox and the
/// CLI run on JSON give the same report by construction. `validate()` calls it only when its
/// generated fast path (`__payermax_fast_valid`) finds something to report. `Ok` with the
/// advisory violations when every enforced rule holds.
pub fn validate(
    plan: &payermax_spec::plan::Plan,
    check: Check,
    request: &dyn payermax_spec::doc::Doc,
) -> Result<Warnings, ValidationErrors> {
    let found = match check {
        Check::Payout => plan.validate_payout(request),
        Check::SentFields => plan.validate_sent_fields(request),
        Check::Type(name) => plan.validate_type(name, request),
    };
    ValidationErrors { violations: found }.into_result()
}
