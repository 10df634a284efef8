//! # payermax-codegen
//!
//! Turns a loaded, checked [`payermax_spec::Spec`] into Rust tokens: structs and enums for the
//! API's types, payee types with compile-time checked builders, the error table, and a typed
//! client. Emit-only: every check happened in `payermax-spec`. Used by `payermax-macros`
//! (`generate!`) and by the CLI's `spec expand`; testable without a compiler.
#![deny(missing_docs)]

mod client;
mod fast;
mod names;
mod payee;
mod types;

use payermax_spec::Spec;
use proc_macro2::TokenStream;
use quote::quote;

/// Where the generated code gets its spec at run time (for `validate()`).
#[derive(Debug, Clone)]
pub enum SpecSource {
    /// The spec embedded in `payermax-spec`.
    Builtin,
    /// Files read by the macro: (absolute path, path relative to the root file's directory).
    /// Emitted as `include_str!` so cargo rebuilds when one changes.
    Files {
        /// The root file, relative to the base directory.
        root: String,
        /// Extension files, relative to the base directory.
        extend: Vec<String>,
        /// (absolute path, relative path) of every file read.
        files: Vec<(String, String)>,
    },
}

/// Generates the bindings for `spec`.
pub fn generate(spec: &Spec, source: &SpecSource) -> TokenStream {
    let structs = types::structs(spec);
    let enums = types::enums(spec);
    let markets = types::markets(spec);
    let payees = payee::payees(spec);
    let errors = error_table(spec);
    let runtime_spec = runtime_spec(spec, source);
    let validators = client::validators(spec);
    let fast_checks = fast::fast_checks(spec);
    let client = client::client(spec);
    quote! {
        #structs
        #enums
        #markets
        #payees
        #errors
        #runtime_spec
        #validators
        #fast_checks
        #client
    }
}

fn error_table(spec: &Spec) -> TokenStream {
    let rows = spec.api.error_codes.iter().map(|c| {
        let code = c.code.as_str();
        let class = names::camel(c.retry.spec_name());
        quote!((#code, ::payermax::__private::runtime::RetryClass::#class))
    });
    quote! {
        /// Every documented error code and what to do after it, from the spec.
        pub static ERROR_TABLE: &[(&str, ::payermax::__private::runtime::RetryClass)] = &[#(#rows),*];
    }
}

fn runtime_spec(spec: &Spec, source: &SpecSource) -> TokenStream {
    let plan = raw_string(&spec.plan.to_json());
    let load = match source {
        SpecSource::Builtin => quote!(::payermax::__private::spec::builtin()),
        SpecSource::Files {
            root,
            extend,
            files,
        } => {
            let entries = files
                .iter()
                .map(|(abs, rel)| quote!((#rel, include_str!(#abs))));
            quote! {
                ::payermax::__private::spec::load::from_memory(#root, &[#(#extend),*], &[#(#entries),*])
            }
        }
    };
    quote! {
        /// The rule plan these bindings were generated from (`payermax_spec::plan`), read once
        /// from the JSON the macro embedded: validators run it without reading the spec's YAML.
        #[doc(hidden)]
        pub fn loaded_plan() -> &'static ::payermax::__private::spec::plan::Plan {
            static PLAN: ::std::sync::OnceLock<::payermax::__private::spec::plan::Plan> = ::std::sync::OnceLock::new();
            PLAN.get_or_init(|| match ::payermax::__private::spec::plan::Plan::from_json(#plan) {
                ::std::result::Result::Ok(plan) => plan,
                // Cannot fire: the text is the plan the macro lowered and wrote in this same
                // compilation, read back by the same payermax-spec.
                ::std::result::Result::Err(e) => ::std::unreachable!("rule plan written at compile time: {e}"),
            })
        }

        /// The spec these bindings were generated from, loaded once (bulk files use it).
        pub fn loaded_spec() -> &'static ::payermax::__private::spec::Spec {
            static SPEC: ::std::sync::OnceLock<::payermax::__private::spec::Spec> = ::std::sync::OnceLock::new();
            SPEC.get_or_init(|| match #load {
                ::std::result::Result::Ok(spec) => spec,
                // The one panic in generated code, kept on purpose: it cannot fire. These are the
                // bytes the macro loaded and checked in this same compilation (`include_str!` of
                // the files it read, or the built-in spec of the same payermax-spec), and loading
                // is deterministic. The only way to get here is a spec file edited in the instant
                // between the macro reading it and `include_str!` reading it again, and cargo
                // then rebuilds on the next build. A fallible `loaded_spec()` would put a "the
                // build is broken" case into every `validate()` error for that instant.
                ::std::result::Result::Err(e) => ::std::unreachable!("spec checked at compile time: {e}"),
            })
        }
    }
}

/// `text` as a raw string literal (`r#"…"#`, with as many `#` as it needs): JSON embedded
/// this way reads as it is in the expansion, without a backslash before every quote.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| quote!(#text))
}

/// The generated code, pretty-printed (for `payermax spec expand` and snapshot tests).
pub fn pretty(tokens: &TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens.clone()).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
