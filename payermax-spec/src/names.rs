//! The Rust names that generated code gives spec names (`outTradeNo` → `out_trade_no`,
//! `BANK_TRANSFER` → `BankTransfer`). `payermax-codegen` uses these very functions, so the spec
//! checks can refuse, with the spec's file:line:column, a name that would not compile or would
//! collide with another once converted.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `outTradeNo` → `out_trade_no`.
pub fn snake_name(name: &str) -> String {
    name.to_snake_case()
}

/// `BANK_TRANSFER` → `BankTransfer`; `pix` → `Pix`; `""` → `Empty`.
pub fn camel_name(name: &str) -> String {
    let s = name.to_upper_camel_case();
    if s.is_empty() { "Empty".into() } else { s }
}

/// Whether generated code can use `name` as an identifier: ASCII letters, digits and `_`, not
/// empty (one that starts with a digit gets a `_` in front), and not `self`, `Self`, `super` or
/// `crate`, which cannot be raw identifiers.
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !matches!(name, "self" | "Self" | "super" | "crate")
}

/// Items `generate!()` emits next to the spec's types, which a type or enum may not be named.
pub const GENERATED_ITEMS: [&str; 5] = ["Client", "Payout", "Country", "Currency", "Notice"];

/// Methods of the generated `Client` that an endpoint's `fn_name` may not take.
pub const CLIENT_METHODS: [&str; 5] = [
    "new",
    "from_runtime",
    "runtime",
    "verify_notification",
    "verify_notice",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_as_generated_code_spells_them() {
        assert_eq!(snake_name("outTradeNo"), "out_trade_no");
        assert_eq!(camel_name("BANK_TRANSFER"), "BankTransfer");
        assert_eq!(camel_name("SUCCESS"), camel_name("Success"));
        assert_eq!(camel_name(""), "Empty");
        assert!(is_identifier("r2d2") && is_identifier("_x") && is_identifier("type"));
        for bad in [
            "", "_", "pay-out", "self", "Self", "crate", "super", "ção", "a b",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
