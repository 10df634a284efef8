//! # payermax-macros
//!
//! `generate!()` turns the PayerMax payout spec into typed Rust at compile time. This crate is a
//! thin shell: it parses the invocation, loads and checks the spec with `payermax-spec`, hands
//! the model to `payermax-codegen`, and turns spec diagnostics into `compile_error!`s that carry
//! the spec's `file:line:column`. It never panics on user input.
//!
//! ```ignore
//! payermax::generate!();                                  // the built-in spec
//! payermax::generate!(spec = "spec/payermax.yaml");       // a spec of one's own
//! payermax::generate!(extend = "spec/extra.yaml");        // built-in spec + extra countries
//! ```
#![deny(missing_docs)]

use payermax_codegen::SpecSource;
use payermax_spec::load::normalize;
use payermax_spec::{LoadOptions, Root};
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenTree};
use quote::{quote, quote_spanned};
use std::path::{Path, PathBuf};

const KEYS: [&str; 2] = ["spec", "extend"];

struct Args {
    spec: Option<(String, Span)>,
    extend: Vec<(String, Span)>,
}

fn error(span: Span, message: &str) -> proc_macro2::TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message);)
}

fn parse_args(input: proc_macro2::TokenStream) -> Result<Args, proc_macro2::TokenStream> {
    let mut args = Args {
        spec: None,
        extend: Vec::new(),
    };
    let mut tokens = input.into_iter().peekable();
    while let Some(tt) = tokens.next() {
        let TokenTree::Ident(key) = tt else {
            return Err(error(
                tt.span(),
                "expected `spec = \"path\"` or `extend = \"path\"`",
            ));
        };
        let name = key.to_string();
        if !KEYS.contains(&name.as_str()) {
            return Err(error(
                key.span(),
                &format!(
                    "unknown argument `{name}`; expected one of: {}",
                    KEYS.join(", ")
                ),
            ));
        }
        match tokens.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {}
            other => {
                return Err(error(
                    other.map_or(key.span(), |t| t.span()),
                    &format!("expected `=` after `{name}`"),
                ));
            }
        }
        let Some(TokenTree::Literal(lit)) = tokens.next() else {
            return Err(error(
                key.span(),
                &format!("expected a string literal path after `{name} =`"),
            ));
        };
        let text = lit.to_string();
        let Some(path) = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|p| !p.contains('\\'))
        else {
            return Err(error(
                lit.span(),
                "expected a plain string literal path, such as \"spec/payermax.yaml\"",
            ));
        };
        if Path::new(path).is_absolute() {
            return Err(error(
                lit.span(),
                "absolute paths are refused: write the path relative to the crate's Cargo.toml",
            ));
        }
        let value = (path.to_owned(), lit.span());
        if name == "spec" {
            if args.spec.is_some() {
                return Err(error(key.span(), "`spec` given twice"));
            }
            args.spec = Some(value);
        } else {
            args.extend.push(value);
        }
        match tokens.next() {
            None => {}
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(other) => return Err(error(other.span(), "expected `,` between arguments")),
        }
    }
    Ok(args)
}

/// Generates typed bindings from the built-in spec, or from `spec = "path"`, optionally
/// extended with `extend = "path"` files listing extra countries. Paths are relative to the
/// invoking crate's `Cargo.toml`.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    expand(input.into()).into()
}

fn expand(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let args = match parse_args(input) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let options = LoadOptions {
        root: args
            .spec
            .as_ref()
            .map_or(Root::Builtin, |(p, _)| Root::File(base.join(p))),
        extend: args.extend.iter().map(|(p, _)| base.join(p)).collect(),
    };
    let spec = match payermax_spec::load(&options) {
        Ok(spec) => spec,
        Err(diags) => {
            let prefix = format!("{}/", base.display());
            let errors = diags.iter().map(|d| {
                let message = format!(
                    "payermax spec error: {}",
                    d.to_string().replace(&prefix, "")
                );
                quote!(::core::compile_error!(#message);)
            });
            return quote!(#(#errors)*);
        }
    };
    // Files are keyed by their normalized absolute path, the path `include_str!` reads.
    let key = |p: &Path| normalize(p).to_string_lossy().into_owned();
    let source = if args.spec.is_none() && args.extend.is_empty() {
        SpecSource::Builtin
    } else {
        SpecSource::Files(spec.disk_files.iter().map(|p| key(p)).collect())
    };
    payermax_codegen::generate(&spec, &source)
}
