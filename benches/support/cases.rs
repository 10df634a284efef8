//! The payout cases of the validation and allocation benches: for each (country, method), a
//! valid and an invalid request, and the same rules written as JSON Schema (`benches/schemas/`).
// Shared by several benches, each of which uses only part of it.
#![allow(dead_code)]

use serde_json::{Value, json};

/// One (country, method) case.
pub struct Case {
    /// `br_pix`, `mx_bank`…
    pub name: String,
    /// A request that passes every rule.
    pub valid: Value,
    /// A request that breaks some.
    pub invalid: Value,
    /// The API-wide schema and the case's rules, both applied (`allOf`).
    pub schema: Value,
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the bench schemas are valid JSON")
}

/// Every case in `benches/schemas/cases.json`.
pub fn cases() -> Vec<Case> {
    let mut api = parse(include_str!("../schemas/payout.json"));
    let dialect = api
        .as_object_mut()
        .and_then(|o| o.remove("$schema"))
        .unwrap_or(Value::Null);
    let file = parse(include_str!("../schemas/cases.json"));
    let list = file["cases"].as_array().cloned().unwrap_or_default();
    list.into_iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap_or("?").to_owned(),
            valid: c["valid"].clone(),
            invalid: c["invalid"].clone(),
            schema: json!({"$schema": dialect, "allOf": [api, c["rules"]]}),
        })
        .collect()
}
