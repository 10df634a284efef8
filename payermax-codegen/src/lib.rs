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

/// Where the spec the generated code came from lives, so that cargo rebuilds when it changes.
#[derive(Debug, Clone)]
pub enum SpecSource {
    /// The spec embedded in `payermax-spec` (a change rebuilds that crate).
    Builtin,
    /// Files read by the macro, as `include_str!` reads them (absolute paths): emitted as
    /// `include_str!` in an unused constant so cargo rebuilds when one changes, without
    /// their text in the binary.
    Files(Vec<String>),
}

/// Generates the bindings for `spec`.
pub fn generate(spec: &Spec, source: &SpecSource) -> TokenStream {
    let (structs, struct_impls) = types::structs(spec);
    let (enums, enum_impls) = types::enums(spec);
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
        // The impls the rule interpreter reads the types through, and the generated checks,
        // inside `const _: () = { … };` as serde_derive's are: helper items stay out of the
        // user's namespace, the impls still apply, and the short local names keep the
        // expansion readable. One lint attribute for everything inside.
        #[allow(dead_code, unused_variables, unreachable_code, non_camel_case_types, clippy::all, clippy::pedantic, clippy::nursery)]
        const _: () = {
            use ::payermax::__private::spec::doc as __doc;
            use ::payermax::__private::spec::fast as __fast;
            use ::std::option::Option as __Option;
            #struct_impls
            #enum_impls
            #fast_checks
        };
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
    // The spec files the macro read, as `include_str!` in an unused constant: cargo rebuilds
    // when one changes, and their text stays out of the binary (the plan is what runs).
    let track = match source {
        SpecSource::Builtin => quote!(),
        SpecSource::Files(files) => {
            let files = files.iter().map(|abs| quote!(include_str!(#abs)));
            quote!(const _: &[&str] = &[#(#files),*];)
        }
    };
    quote! {
        #track
        /// The rule plan these bindings were generated from (`payermax_spec::plan::Plan`), read
        /// once from the JSON the macro embedded: `validate()` runs it without reading the
        /// spec's YAML, and `loaded_plan().validate_payout(&json)` checks a JSON request by
        /// the same rules.
        pub fn loaded_plan() -> &'static ::payermax::__private::spec::plan::Plan {
            static PLAN: ::std::sync::OnceLock<::payermax::__private::spec::plan::Plan> = ::std::sync::OnceLock::new();
            PLAN.get_or_init(|| match ::payermax::__private::spec::plan::Plan::from_json(#plan) {
                ::std::result::Result::Ok(plan) => plan,
                // Cannot fire: the text is the plan the macro lowered and wrote in this same
                // compilation, read back by the same payermax-spec.
                ::std::result::Result::Err(e) => ::std::unreachable!("rule plan written at compile time: {e}"),
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
