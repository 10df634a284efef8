//! Rust names for spec names: `outTradeNo` → `out_trade_no`, `BANK_TRANSFER` → `BankTransfer`.

use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// An identifier, raw (`r#type`) when it is a keyword, prefixed with `_` when it starts with a digit.
pub fn ident(name: &str) -> Ident {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name.to_owned()
    };
    if KEYWORDS.contains(&name.as_str())
        && !matches!(name.as_str(), "self" | "Self" | "super" | "crate")
    {
        Ident::new_raw(&name, Span::call_site())
    } else {
        Ident::new(&name, Span::call_site())
    }
}

/// `outTradeNo` → `out_trade_no` ([`payermax_spec::names::snake_name`]).
pub fn snake(name: &str) -> Ident {
    ident(&payermax_spec::names::snake_name(name))
}

/// `BANK_TRANSFER` → `BankTransfer`; `pix` → `Pix` ([`payermax_spec::names::camel_name`]).
pub fn camel(name: &str) -> Ident {
    ident(&payermax_spec::names::camel_name(name))
}
