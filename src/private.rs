//! What generated code reaches through `::payermax::__private`: the runtime, serde, and small
//! helpers that keep the generated code short. Not a stable API.

pub use ::chrono;
pub use ::futures_util as futures;
pub use ::payermax_runtime as runtime;
pub use ::payermax_spec as spec;
pub use ::serde;
pub use ::serde_json;

pub use crate::batch;

use payermax_runtime::{ValidationErrors, Violation};
use serde::Serialize;

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

/// Runs the spec's rule interpreter on `request`: generated validators and the interpreter
/// that the sandbox and the CLI use give the same report by construction.
pub fn validate<T: Serialize>(
    spec: &payermax_spec::Spec,
    check: Check,
    request: &T,
) -> Result<(), ValidationErrors> {
    let value = match serde_json::to_value(request) {
        Ok(v) => v,
        Err(e) => {
            let v = Violation::new("", "serialize", format!("cannot be serialized: {e}"));
            return Err(ValidationErrors {
                violations: vec![v],
            });
        }
    };
    let found = match check {
        Check::Payout => spec.validate_payout(&value),
        Check::SentFields => spec.validate_sent_fields(&value),
        Check::Type(name) => spec.validate_type(name, &value),
    };
    if found.is_empty() {
        return Ok(());
    }
    Err(ValidationErrors {
        violations: found.into_iter().map(convert).collect(),
    })
}

/// The interpreter's violation as the runtime's (same fields).
pub fn convert(v: payermax_spec::Violation) -> Violation {
    Violation {
        path: v.path,
        code: v.code,
        params: v.params,
        message: v.message,
    }
}
