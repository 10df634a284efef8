//! Per (country, method) payee types with typed builders: each required field is enforced by
//! the compiler, and a missing one names the field, the country and the method.

use crate::names::{camel, snake};
use payermax_spec::checks::NamedCheck;
use payermax_spec::model::{FieldDef, MethodDef, TypeDef};
use payermax_spec::plan::{FieldPlan, Target};
use payermax_spec::{Market, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// A payee field of a method: where it goes in the request and how it is typed.
struct PayeeField<'a> {
    /// Path relative to `payeeInfo`, e.g. `accountInfo.accountNo`.
    path: String,
    /// The API field it sets.
    def: &'a FieldDef,
    /// Must be set before `build()`.
    required: bool,
    /// Rust field name.
    ident: proc_macro2::Ident,
    /// The method's named check on it, when that check has a print format (IBAN, BIC): the
    /// setter converts a value in print format to the electronic one.
    electronic: Option<NamedCheck>,
}

const PAYEE: &str = "payeeInfo";

/// The fields `path` (relative to the payee type `root`) passes through, read as the plan
/// resolves rule paths: each as the model declares it (for its doc and Rust type) and as the
/// plan lowered it. `None` when the path does not reach a field.
fn chain<'a>(
    spec: &'a Spec,
    root: &TypeDef,
    path: &str,
) -> Option<Vec<(&'a FieldDef, &'a FieldPlan)>> {
    let plan = &spec.plan;
    let resolved = plan.resolve(plan.type_index(&root.name)?, path);
    if resolved.target == Target::Absent {
        return None;
    }
    resolved
        .chain
        .iter()
        .map(|s| {
            let def = spec.api.types.get(s.ty)?.fields.get(s.field)?;
            let lowered = plan.types.get(s.ty)?.fields.get(s.field)?;
            Some((def, lowered))
        })
        .collect()
}

fn field_at<'a>(spec: &'a Spec, root: &TypeDef, path: &str) -> Option<&'a FieldDef> {
    chain(spec, root, path)?.last().map(|&(def, _)| def)
}

fn payee_fields<'a>(
    spec: &'a Spec,
    payee: &'a TypeDef,
    method: &'a MethodDef,
) -> Vec<PayeeField<'a>> {
    let mut out: Vec<PayeeField<'a>> = Vec::new();
    let mut push = |path: &str, required: bool| {
        let Some(def) = field_at(spec, payee, path) else {
            return;
        };
        if let Some(existing) = out.iter_mut().find(|f| f.path == path) {
            existing.required |= required;
            return;
        }
        let ident = snake(path.rsplit('.').next().unwrap_or(path));
        let electronic = method
            .rules
            .iter()
            .find(|r| {
                r.field
                    .strip_prefix(PAYEE)
                    .and_then(|r| r.strip_prefix('.'))
                    == Some(path)
            })
            .and_then(|r| NamedCheck::from_name(r.check.as_deref()?))
            .filter(|c| c.electronic("a b").is_some());
        out.push(PayeeField {
            path: path.to_owned(),
            def,
            required,
            ident,
            electronic,
        });
    };
    push("accountInfo.accountNo", true);
    if let Some(org) = &method.target_org {
        if !(org.complete && org.values.len() == 1) {
            push("targetOrg", org.required == Some(true));
        }
    }
    for rule in &method.rules {
        if let Some(rest) = rule
            .field
            .strip_prefix(PAYEE)
            .and_then(|r| r.strip_prefix('.'))
        {
            if rest != "paymentMethodType" {
                // An advisory `required` warns when the field is missing: the builder does not
                // demand it either.
                let advisory = rule
                    .level
                    .as_deref()
                    .and_then(|l| payermax_spec::Level::from_name(l))
                    == Some(payermax_spec::Level::Advise);
                push(rest, rule.required == Some(true) && !advisory);
            }
        }
    }
    if method.payee_types.is_some() {
        push("payeeType", false);
    }
    // An object with a setter of its own (`name`) and setters for its members (`name.fullName`)
    // would fill the struct from one and drop the other. Keep the members when one of them is
    // required (it makes the object present); else keep the object.
    let nested = |parent: &str, f: &PayeeField<'_>| {
        f.path
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('.'))
    };
    let parents: Vec<(String, bool)> = out
        .iter()
        .filter(|p| out.iter().any(|f| nested(&p.path, f)))
        .map(|p| {
            let member_required = out.iter().any(|f| nested(&p.path, f) && f.required);
            (p.path.clone(), member_required)
        })
        .collect();
    for (parent, member_required) in parents {
        if member_required {
            out.retain(|f| f.path != parent);
        } else {
            out.retain(|f| !nested(&parent, f));
        }
    }
    // Two fields with the same last segment (`name.fullName`, `bankInfo.fullName`) get the full path.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in &out {
        *counts.entry(f.ident.to_string()).or_default() += 1;
    }
    for f in &mut out {
        if counts.get(&f.ident.to_string()).copied().unwrap_or(0) > 1 {
            f.ident = snake(&f.path.replace('.', "_"));
        }
    }
    out
}

/// The Rust type of a payee field, and whether its setter takes `impl Into<String>`.
fn value_type(def: &FieldDef) -> (TokenStream, bool) {
    (crate::types::base_type(def), def.ty.as_str() == "string")
}

/// A struct literal of type `ty` whose fields at `prefix` come from `values` (path → expression).
fn literal(
    spec: &Spec,
    ty: &TypeDef,
    prefix: &str,
    values: &BTreeMap<String, TokenStream>,
) -> TokenStream {
    let name = camel(&ty.name);
    let fields = ty.fields.iter().map(|f| {
        let id = snake(&f.name);
        let path = if prefix.is_empty() {
            f.name.value.clone()
        } else {
            format!("{prefix}.{}", f.name.value)
        };
        let nested_prefix = format!("{path}.");
        let value = if let Some(expr) = values.get(&path) {
            Some(expr.clone())
        } else if values.keys().any(|k| k.starts_with(&nested_prefix)) {
            spec.type_def(&f.ty)
                .map(|inner| literal(spec, inner, &path, values))
        } else {
            None
        };
        let value = match value {
            Some(v) if f.required || f.list => v,
            Some(v) => quote!(::std::option::Option::Some(#v)),
            None if f.list => quote!(::std::vec::Vec::new()),
            None if f.required => quote!(::std::default::Default::default()),
            None => quote!(::std::option::Option::None),
        };
        quote!(#id: #value,)
    });
    let extra = ty
        .keep_unknown
        .then(|| quote!(extra: ::std::default::Default::default(),));
    quote!(#name { #(#fields)* #extra })
}

/// `payee::<market>::<Method>` types, builders and conversions into `PayeeInfo`.
pub fn payees(spec: &Spec) -> TokenStream {
    let Some(request) = spec.payout_request_type() else {
        return quote!();
    };
    let Some(payee_field) = request.fields.iter().find(|f| f.name.value == PAYEE) else {
        return quote!();
    };
    let Some(payee) = spec.type_def(&payee_field.ty) else {
        return quote!();
    };
    let markets = spec
        .countries
        .iter()
        .chain(&spec.rails)
        .map(|m| market(spec, payee, m));
    let payee_name = camel(&payee.name);
    let constructors = constructors(spec, request);
    // (`ClearingRail` exists when there are rails: the spec checks name them by it.)
    let rail_trait = (!spec.rails.is_empty()).then(|| {
        quote! {
            /// A payee of a rail's method (SEPA, SWIFT): the payout names the rail and the
            /// payee's country (see `PaymentOrderPayRequest::via_rail`).
            pub trait RailPayee: ::std::convert::Into<super::#payee_name> {
                /// The rail (`clearingRail`).
                const CLEARING_RAIL: super::ClearingRail;
                /// The currency the method pays out in (`via_rail`).
                const CURRENCY: super::Currency;
                /// Every currency the rail pays out in, `CURRENCY` first (`via_rail_in`).
                const CURRENCIES: &'static [super::Currency];
            }
        }
    });
    quote! {
        /// Payee types per country (and rail) and payment method, with builders whose required
        /// fields are checked by the compiler.
        pub mod payee {
            /// The state of a required builder field that has not been set.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Missing;
            /// A payee of a country's method: the payout's `country` and currency are the
            /// method's (see `PaymentOrderPayRequest::to_payee`).
            pub trait CountryPayee: ::std::convert::Into<super::#payee_name> {
                /// The country the method pays in.
                const COUNTRY: super::Country;
                /// The currency the method pays out in.
                const CURRENCY: super::Currency;
            }
            #rail_trait
            #(#markets)*
        }
        #constructors
    }
}

/// `to_payee` and `via_rail` on the payout request, when its shape is the one they fill:
/// required `outTradeNo`, `country`, `trade` (`amount`, `currency`) and `payeeInfo`, in that
/// order (the order of `new`'s arguments), and an optional `clearingRail`.
fn constructors(spec: &Spec, request: &TypeDef) -> TokenStream {
    let required: Vec<&str> = request
        .fields
        .iter()
        .filter(|f| f.required && !f.list)
        .map(|f| f.name.as_str())
        .collect();
    let trade = request
        .fields
        .iter()
        .find(|f| f.name.value == "trade")
        .and_then(|f| spec.type_def(&f.ty));
    let trade_required: Vec<&str> = trade
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| f.required && !f.list)
                .map(|f| f.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let rail_field = request
        .fields
        .iter()
        .any(|f| f.name.value == "clearingRail" && f.ty.value == "ClearingRail" && !f.required);
    if required != ["outTradeNo", "country", "trade", "payeeInfo"]
        || trade_required != ["amount", "currency"]
        || !rail_field
    {
        return quote!();
    }
    let name = camel(&request.name);
    let trade = camel(&trade.map(|t| t.name.value.clone()).unwrap_or_default());
    let via_rail = (!spec.rails.is_empty()).then(|| {
        quote! {
            /// A payout of `amount` to a payee in `country` reached through a rail's method:
            /// `clearingRail` and `trade.currency` come from the method, so the payee keeps
            /// its rail (without it PayerMax would not apply the rail's rules, nor would
            /// `validate()`, which refuses a rail-only country without one).
            pub fn via_rail<P: payee::RailPayee>(
                out_trade_no: impl ::std::convert::Into<::std::string::String>,
                country: Country,
                payee: P,
                amount: &str,
            ) -> ::std::result::Result<Self, ::payermax::AmountError> {
                Self::via_rail_in(out_trade_no, country, P::CURRENCY, payee, amount)
            }
            /// Like `via_rail`, in another currency the rail pays out in: SWIFT pays USD
            /// and EUR, and its method (whose limits PayerMax states in USD) is in USD, so
            /// `via_rail` pays USD and `via_rail_in(…, Currency::Eur, …)` pays EUR. A currency
            /// the rail does not pay is an error before any request exists; `amount` must
            /// fit its precision.
            pub fn via_rail_in<P: payee::RailPayee>(
                out_trade_no: impl ::std::convert::Into<::std::string::String>,
                country: Country,
                currency: Currency,
                payee: P,
                amount: &str,
            ) -> ::std::result::Result<Self, ::payermax::AmountError> {
                if !P::CURRENCIES.contains(&currency) {
                    let paid: ::std::vec::Vec<&str> =
                        P::CURRENCIES.iter().map(|c| c.as_str()).collect();
                    return ::std::result::Result::Err(::payermax::AmountError::Currency {
                        currency: ::std::string::String::from(currency.as_str()),
                        paid: paid.join(", "),
                    });
                }
                let amount = currency.amount(amount)?;
                let mut request = Self::new(
                    out_trade_no,
                    country.as_str(),
                    #trade::new(amount, currency.as_str()),
                    payee.into(),
                );
                request.clearing_rail = ::std::option::Option::Some(P::CLEARING_RAIL);
                ::std::result::Result::Ok(request)
            }
        }
    });
    quote! {
        impl #name {
            /// A payout of `amount` to a payee of a country's method, with the request's
            /// `country` and `trade.currency` taken from the method: a payee cannot be sent
            /// to another country or in another currency by mistake. `amount` must fit the
            /// currency's precision (`"10.505"` in BRL is an error).
            ///
            /// For a payee reached through a rail (SEPA, SWIFT), see `via_rail`; to pay an
            /// amount in another currency converted by PayerMax, build the request with `new`
            /// and set `destinationCurrency`.
            pub fn to_payee<P: payee::CountryPayee>(
                out_trade_no: impl ::std::convert::Into<::std::string::String>,
                payee: P,
                amount: &str,
            ) -> ::std::result::Result<Self, ::payermax::AmountError> {
                let amount = P::CURRENCY.amount(amount)?;
                ::std::result::Result::Ok(Self::new(
                    out_trade_no,
                    P::COUNTRY.as_str(),
                    #trade::new(amount, P::CURRENCY.as_str()),
                    payee.into(),
                ))
            }

            #via_rail
        }
    }
}

fn market(spec: &Spec, payee: &TypeDef, m: &Market) -> TokenStream {
    let module = crate::names::ident(&m.key().to_ascii_lowercase());
    let doc = format!("Payees for {} ({}).", m.def.name, m.key());
    let methods = m
        .def
        .methods
        .iter()
        .map(|method| one_method(spec, payee, m, method));
    quote! {
        #[doc = #doc]
        pub mod #module {
            #[allow(unused_imports)]
            use super::super::*;
            #(#methods)*
        }
    }
}

fn one_method(spec: &Spec, payee: &TypeDef, m: &Market, method: &MethodDef) -> TokenStream {
    let name = camel(&method.id);
    let builder = format_ident!("{}Builder", name);
    let what = format!(
        "{} {} ({})",
        m.key(),
        method.method_type.value,
        method.id.value
    );
    let fields = payee_fields(spec, payee, method);
    let required: Vec<&PayeeField> = fields.iter().filter(|f| f.required).collect();
    let params: Vec<proc_macro2::Ident> = (0..required.len())
        .map(|i| format_ident!("R{}", i))
        .collect();
    let traits: Vec<proc_macro2::Ident> = required
        .iter()
        .map(|f| format_ident!("__{}{}Required", name, camel(&f.ident.to_string())))
        .collect();

    let struct_fields = fields.iter().map(|f| {
        let id = &f.ident;
        let (ty, _) = value_type(f.def);
        let doc = format!(
            "`payeeInfo.{}`{}.",
            f.path,
            if f.required { " (required)" } else { "" }
        );
        if f.required {
            quote!(#[doc = #doc] pub #id: #ty,)
        } else {
            quote!(#[doc = #doc] pub #id: ::std::option::Option<#ty>,)
        }
    });
    let builder_fields = fields.iter().map(|f| {
        let id = &f.ident;
        let (ty, _) = value_type(f.def);
        match required.iter().zip(&params).find(|(r, _)| r.path == f.path) {
            Some((_, p)) => quote!(#id: #p,),
            None => quote!(#id: ::std::option::Option<#ty>,),
        }
    });
    let all_missing = required.iter().map(|_| quote!(super::Missing));
    let init = fields.iter().map(|f| {
        let id = &f.ident;
        if f.required {
            quote!(#id: super::Missing,)
        } else {
            quote!(#id: ::std::option::Option::None,)
        }
    });
    let setters = fields.iter().map(|f| {
        let id = &f.ident;
        let (ty, is_string) = value_type(f.def);
        let (arg, conv) = if is_string { (quote!(impl ::std::convert::Into<#ty>), quote!(value.into())) } else { (quote!(#ty), quote!(value)) };
        let (conv, doc) = match f.electronic {
            // An IBAN or BIC as printed (`DE89 3704 …`, lower case) is sent in its electronic
            // format, which is what the check and PayerMax take.
            Some(check) if is_string => {
                let variant = format_ident!("{check:?}");
                (
                    quote!({
                        let value: #ty = value.into();
                        ::payermax::__private::spec::fast::NamedCheck::#variant.electronic(&value).unwrap_or(value)
                    }),
                    format!(
                        "Sets `payeeInfo.{}`; a {} in print format (spaces, lower case) is converted to the electronic format.",
                        f.path,
                        if check == NamedCheck::Iban { "IBAN" } else { "BIC" }
                    ),
                )
            }
            _ => (conv, format!("Sets `payeeInfo.{}`.", f.path)),
        };
        match required.iter().position(|r| r.path == f.path) {
            Some(i) => {
                let out_params = params.iter().enumerate().map(|(j, p)| if i == j { ty.clone() } else { quote!(#p) });
                let moves = fields.iter().map(|g| {
                    let gid = &g.ident;
                    if g.path == f.path { quote!(#gid: #conv,) } else { quote!(#gid: self.#gid,) }
                });
                quote! {
                    #[doc = #doc]
                    pub fn #id(self, value: #arg) -> #builder<#(#out_params),*> { #builder { #(#moves)* } }
                }
            }
            None => quote! {
                #[doc = #doc]
                pub fn #id(mut self, value: #arg) -> Self { self.#id = ::std::option::Option::Some(#conv); self }
            },
        }
    });
    let trait_defs = required.iter().zip(&traits).map(|(f, t)| {
        let (ty, _) = value_type(f.def);
        let message = format!(
            "missing required payee field `payeeInfo.{}` for {what}",
            f.path
        );
        let label = format!("call `.{}(...)` before `.build()`", f.ident);
        let note = format!(
            "the spec requires `payeeInfo.{}` for {what}; see payermax-spec/spec for its source",
            f.path
        );
        quote! {
            #[doc(hidden)]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #t { #[doc(hidden)] fn __take(self) -> #ty; }
            // Not offered as a "the trait is implemented for" hint: it would point into the
            // SDK's source, where the message above already says what to call.
            #[diagnostic::do_not_recommend]
            impl #t for #ty { fn __take(self) -> #ty { self } }
        }
    });
    let build_fields = fields.iter().map(|f| {
        let id = &f.ident;
        match required.iter().zip(&traits).find(|(r, _)| r.path == f.path) {
            Some((_, t)) => quote!(#id: #t::__take(self.#id),),
            None => quote!(#id: self.#id,),
        }
    });
    let bounds = params.iter().zip(&traits).map(|(p, t)| quote!(#p: #t));

    // Conversion into the generic PayeeInfo.
    let mut values: BTreeMap<String, TokenStream> = BTreeMap::new();
    let method_type = camel(&method.method_type);
    let method_enum = camel(payermax_spec::METHOD_TYPE_ENUM);
    values.insert(
        "paymentMethodType".into(),
        quote!(#method_enum::#method_type),
    );
    if let Some(org) = &method.target_org {
        if org.complete && org.values.len() == 1 {
            let v = org
                .values
                .first()
                .map(|v| v.value.clone())
                .unwrap_or_default();
            values.insert("targetOrg".into(), quote!(::std::string::String::from(#v)));
        }
    }
    let mut optional_sets = Vec::new();
    for f in &fields {
        let id = &f.ident;
        if f.required {
            values.insert(f.path.clone(), quote!(p.#id));
        } else {
            optional_sets.push((f.path.clone(), id.clone()));
        }
    }
    let base = literal(spec, payee, "", &values);
    let assigns = optional_sets
        .iter()
        .map(|(path, id)| assign(spec, payee, path, id));
    let payee_name = camel(&payee.name);
    let doc = format!(
        "A payee for {what}: `{}` in {}.\n\nBuild it with [`{name}::builder`]; the compiler refuses `build()` until every required field is set.",
        method.method_type.value, method.currency.value
    );
    let builder_doc = format!("Builder for [`{name}`].");
    let method_id = method.id.value.as_str();
    let market_key = m.key();
    let method_type_str = method.method_type.value.as_str();
    let currency = method.currency.value.as_str();
    let currency_variant = camel(&method.currency);
    let where_it_pays = if m.def.rail.is_some() {
        let rail = camel(m.key());
        // The method's currency first, then the rail's others.
        let paid = std::iter::once(&method.currency)
            .chain(
                m.def
                    .currencies
                    .iter()
                    .map(|c| &c.code)
                    .filter(|c| c.value != method.currency.value),
            )
            .map(|c| camel(c));
        quote! {
            impl super::RailPayee for #name {
                const CLEARING_RAIL: ClearingRail = ClearingRail::#rail;
                const CURRENCY: Currency = Currency::#currency_variant;
                const CURRENCIES: &'static [Currency] = &[#(Currency::#paid),*];
            }
        }
    } else {
        let country = camel(m.key());
        quote! {
            impl super::CountryPayee for #name {
                const COUNTRY: Country = Country::#country;
                const CURRENCY: Currency = Currency::#currency_variant;
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name { #(#struct_fields)* }
        impl #name {
            /// The country code or rail name.
            pub const MARKET: &'static str = #market_key;
            /// The spec's method id.
            pub const METHOD_ID: &'static str = #method_id;
            /// `paymentMethodType`.
            pub const METHOD_TYPE: &'static str = #method_type_str;
            /// The currency this method pays out in.
            pub const CURRENCY: &'static str = #currency;
            /// Starts a builder with nothing set.
            pub fn builder() -> #builder<#(#all_missing),*> { #builder { #(#init)* } }
        }
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "call `.build()` to get the payee"]
        pub struct #builder<#(#params),*> { #(#builder_fields)* }
        #(#trait_defs)*
        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*
        }
        impl<#(#params),*> #builder<#(#params),*> {
            /// The payee; the compiler refuses it until every required field is set.
            pub fn build(self) -> #name where #(#bounds),* { #name { #(#build_fields)* } }
        }
        #[automatically_derived]
        impl ::std::convert::From<#name> for #payee_name {
            fn from(p: #name) -> Self {
                #[allow(unused_mut)]
                let mut out = #base;
                #(#assigns)*
                out
            }
        }
        #where_it_pays
    }
}

/// `out.a.get_or_insert_with(Default::default).b = p.field;` for an optional payee field.
fn assign(spec: &Spec, payee: &TypeDef, path: &str, id: &proc_macro2::Ident) -> TokenStream {
    let Some((last, parents)) = chain(spec, payee, path).and_then(|c| {
        let (last, parents) = c.split_last()?;
        Some((*last, parents.to_vec()))
    }) else {
        return quote!();
    };
    let mut expr = quote!(out);
    for (_, f) in parents {
        let fid = snake(&f.name);
        expr = if f.required {
            quote!(#expr.#fid)
        } else {
            quote!(#expr.#fid.get_or_insert_with(::std::default::Default::default))
        };
    }
    let fid = snake(&last.1.name);
    if last.1.required {
        quote!(if let ::std::option::Option::Some(v) = p.#id { #expr.#fid = v; })
    } else {
        quote!(if let ::std::option::Option::Some(v) = p.#id { #expr.#fid = ::std::option::Option::Some(v); })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::path::Path;

    /// The mini spec with SEPA requiring `payeeInfo.name` and, optionally or not, a member of it.
    fn sepa_fields(member_required: bool) -> Vec<(String, bool)> {
        let from =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../payermax-spec/tests/fixtures/mini");
        let dir = std::env::temp_dir().join(format!(
            "payermax-payee-{}-{member_required}",
            std::process::id()
        ));
        for sub in ["countries", "rails"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for file in [
            "payermax.yaml",
            "api.yaml",
            "countries/br.yaml",
            "countries/no.yaml",
        ] {
            std::fs::copy(from.join(file), dir.join(file)).unwrap();
        }
        let sepa = std::fs::read_to_string(from.join("rails/sepa.yaml")).unwrap()
            + &format!(
                "      - {{field: payeeInfo.name, required: true, source: SEPA}}\n      - {{field: payeeInfo.name.firstName, required: {member_required}, source: SEPA}}\n"
            );
        std::fs::write(dir.join("rails/sepa.yaml"), sepa).unwrap();
        let spec = payermax_spec::from_root_file(dir.join("payermax.yaml")).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let payee = spec.type_def("PayeeInfo").unwrap();
        let method = &spec.rail("SEPA").unwrap().def.methods[0];
        payee_fields(&spec, payee, method)
            .into_iter()
            .map(|f| (f.path, f.required))
            .collect()
    }

    #[test]
    fn an_object_and_its_members_never_both_get_setters() {
        // A required member makes the object present: only the member gets a setter.
        let fields = sepa_fields(true);
        assert!(
            fields.contains(&("name.firstName".into(), true)),
            "{fields:?}"
        );
        assert!(!fields.iter().any(|(p, _)| p == "name"), "{fields:?}");
        // An optional member: the object's setter, which can carry the member.
        let fields = sepa_fields(false);
        assert!(fields.contains(&("name".into(), true)), "{fields:?}");
        assert!(
            !fields.iter().any(|(p, _)| p == "name.firstName"),
            "{fields:?}"
        );
    }
}
