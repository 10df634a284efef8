//! Straight-line validity checks: the fast path of every request's `validate()`.
//!
//! For each request type, a function that reads the typed fields directly (no name lookups,
//! no dynamic dispatch) and answers whether the rule interpreter would report nothing, with
//! the spec's rules compiled into the code: lengths and patterns as byte loops or `match`es,
//! country/method selection as `match`es on packed integers, amount limits as decimal string
//! comparisons. `validate()` returns `Ok(())` at once when it says so, and runs the
//! interpreter otherwise, so every report still comes from the interpreter and reads the same
//! whatever validated it. The per-type walks also let the interpreter skip subtrees that pass
//! (`Doc::fields_ok`).
//!
//! The country and method rules are one generic function, `__payermax_method_ok`, over a small
//! generated trait that reads each rule's field of a request by number: the payout and the
//! element-validation requests share it.
//!
//! Soundness rule: a check may only answer `true` where the interpreter reports no violation.
//! Where a case is rare and costly to mirror exactly, it answers `false` (the interpreter then
//! decides). `tests/agreement.rs` holds the two to the same verdict on random requests.

use crate::names::{camel, snake};
use payermax_spec::model::{FieldDef, MethodDef, RuleDef, TypeDef};
use payermax_spec::pattern::Pattern;
use payermax_spec::{FIELD_VALIDATION_API, Market, PAYOUT_API, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

const FAST: &str = "::payermax::__private::spec::fast";

fn fast() -> TokenStream {
    FAST.parse().unwrap_or_default()
}

/// The name of the generated per-type walk.
pub fn walk_fn() -> proc_macro2::Ident {
    format_ident!("__payermax_fields_ok")
}

/// What a field's `type:` names, as the interpreter resolves it.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Object(&'a TypeDef),
    Integer,
    /// A string, an amount or an enum, read as a `&str`. Typed enums always hold a value the
    /// interpreter accepts (strict ones a documented value; lenient ones are not checked), and
    /// a typed amount (`payermax::Amount`) is a decimal string by construction (every way to
    /// build one checks the format), so only lengths and patterns remain to check.
    Text,
}

fn kind<'a>(spec: &'a Spec, field: &FieldDef) -> Kind<'a> {
    if let Some(t) = spec.type_def(&field.ty) {
        Kind::Object(t)
    } else if field.ty.value == "integer" {
        Kind::Integer
    } else {
        Kind::Text
    }
}

/// `&str` of a value `v` (a `&String`, `&Amount` or `&Enum`: each has `as_str`).
fn as_str(v: &TokenStream) -> TokenStream {
    quote!(#v.as_str())
}

/// The checks the interpreter's `value()` applies to a string `s` that can fail on a typed
/// value (see [`Kind::Text`]): lengths and pattern. Each failing check returns `false` from the
/// generated function.
fn string_checks(
    s: &TokenStream,
    (min, max): (Option<u32>, Option<u32>),
    pattern: Option<&str>,
) -> TokenStream {
    let fast = fast();
    let mut out = TokenStream::new();
    if let Some(max) = max {
        let max = max as usize;
        out.extend(quote!(if !#fast::max_chars(#s, #max) { return false; }));
    }
    if let Some(min) = min {
        let min = min as usize;
        out.extend(quote!(if !#fast::min_chars(#s, #min) { return false; }));
    }
    if let Some(p) = pattern {
        let matches = pattern_match(s, p);
        out.extend(quote!(if !#matches { return false; }));
    }
    out
}

/// An expression: `s` matches pattern `p` (true when `p` does not compile, as the interpreter
/// skips patterns it has not compiled; a checked spec compiles every pattern).
fn pattern_match(s: &TokenStream, p: &str) -> TokenStream {
    let fast = fast();
    let compiled = Pattern::compile(p);
    if let Some(set) = compiled.as_ref().and_then(|c| c.finite_set()) {
        return one_of(s, set.iter().map(String::as_str));
    }
    match compiled.and_then(|c| c.simple_class()) {
        Some((class, min, max)) => {
            let min = min as usize;
            let max = max.map_or(quote!(usize::MAX), |m| {
                let m = m as usize;
                quote!(#m)
            });
            let ranges = payermax_spec::fast::class_ranges(class);
            let tests = ranges.iter().map(|&(lo, hi)| {
                if lo == hi {
                    quote!((b == #lo))
                } else {
                    let width = hi - lo;
                    quote!((b.wrapping_sub(#lo) <= #width))
                }
            });
            quote!(#fast::bytes_match::<#class>(#s, #min, #max, |b: u8| false #(| #tests)*))
        }
        None => quote! {{
            static PATTERN: ::std::sync::LazyLock<::std::option::Option<#fast::Pattern>> =
                ::std::sync::LazyLock::new(|| #fast::Pattern::compile(#p));
            PATTERN.as_ref().is_none_or(|p| p.is_match(#s))
        }},
    }
}

/// The names of the types that get a generated walk (reachable from a request type).
pub fn request_type_names(spec: &Spec) -> BTreeSet<&str> {
    request_types(spec)
        .iter()
        .map(|t| t.name.as_str())
        .collect()
}

/// Types reachable from the endpoints' request types: the ones that get a walk.
fn request_types(spec: &Spec) -> Vec<&TypeDef> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&TypeDef> = spec
        .api
        .endpoints
        .iter()
        .filter_map(|e| spec.type_def(&e.request))
        .collect();
    let mut out = Vec::new();
    while let Some(t) = stack.pop() {
        if !seen.insert(t.name.as_str()) {
            continue;
        }
        out.push(t);
        for f in &t.fields {
            if let Kind::Object(inner) = kind(spec, f) {
                stack.push(inner);
            }
        }
    }
    out.sort_by(|a, b| a.name.value.cmp(&b.name.value));
    out
}

/// The body of a walk over the struct of type `strukt` with the rules of type `def` (the same
/// type, except for element validation, which the interpreter walks with the payout type's
/// rules). `None` when a field both types have differs in type: then no fast path.
fn walk_body(spec: &Spec, def: &TypeDef, strukt: &TypeDef) -> Option<TokenStream> {
    let walk = walk_fn();
    let mut out = TokenStream::new();
    for f in &def.fields {
        let required = f.required;
        let absent = if required {
            quote!(if payout {
                return false;
            })
        } else {
            quote!()
        };
        let Some(sf) = strukt.fields.iter().find(|s| s.name.value == f.name.value) else {
            out.extend(absent);
            continue;
        };
        if sf.ty.value != f.ty.value || sf.list != f.list {
            return None;
        }
        let id = snake(&sf.name);
        let k = kind(spec, f);
        let bounds = (
            f.min_len.as_ref().map(|n| n.value),
            f.max_len.as_ref().map(|n| n.value),
        );
        let pattern = f.pattern.as_ref().map(|p| p.as_str());
        let s = quote!(s);
        let checks = string_checks(&s, bounds, pattern);
        let code = match (k, sf.list, sf.required) {
            (Kind::Integer, true, _) => quote!(),
            (Kind::Integer, false, true) => quote!(),
            (Kind::Integer, false, false) => {
                quote!(if self.#id.is_none() { #absent })
            }
            (Kind::Object(_), true, _) => {
                quote!(for item in &self.#id { if !item.#walk(payout) { return false; } })
            }
            (Kind::Object(_), false, true) => {
                quote!(if !self.#id.#walk(payout) { return false; })
            }
            (Kind::Object(_), false, false) => quote! {
                match &self.#id {
                    ::std::option::Option::Some(v) => if !v.#walk(payout) { return false; },
                    ::std::option::Option::None => { #absent }
                }
            },
            // List items are checked as they are: an empty string item is not "absent".
            (_, true, _) => {
                let item = as_str(&quote!(item));
                quote!(for item in &self.#id { let s: &str = #item; #checks })
            }
            (_, false, true) => {
                let v = as_str(&quote!(self.#id));
                quote! {{
                    let s: &str = #v;
                    if s.is_empty() { #absent } else { #checks }
                }}
            }
            (_, false, false) => {
                let v = as_str(&quote!(v));
                quote! {
                    match self.#id.as_ref().map(|v| #v) {
                        ::std::option::Option::Some(s) if !s.is_empty() => { #checks }
                        _ => { #absent }
                    }
                }
            }
        };
        out.extend(code);
    }
    Some(out)
}

/// What a dotted path reads in a struct, as the interpreter's `lookup` would.
enum PathVal {
    /// Never there (a segment the type does not have, or one under a list or a scalar).
    Absent,
    /// A string: an `Option<&str>`, `None` when absent or empty.
    Str(TokenStream),
    /// An object: an `Option<&T>`.
    Obj(TokenStream),
    /// A list or an integer: a `bool`, whether it is there.
    Other(TokenStream),
}

fn path_val(spec: &Spec, root: &TypeDef, path: &str) -> PathVal {
    let segs: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = segs.split_last() else {
        return PathVal::Absent;
    };
    let mut cur = quote!(::std::option::Option::Some(self));
    let mut ty = root;
    for seg in parents {
        let Some(f) = ty.fields.iter().find(|f| f.name.value == *seg) else {
            return PathVal::Absent;
        };
        let Kind::Object(inner) = kind(spec, f) else {
            return PathVal::Absent;
        };
        if f.list {
            return PathVal::Absent;
        }
        let id = snake(&f.name);
        cur = if f.required {
            quote!(#cur.map(|x| &x.#id))
        } else {
            quote!(#cur.and_then(|x| x.#id.as_ref()))
        };
        ty = inner;
    }
    let Some(f) = ty.fields.iter().find(|f| f.name.value == *last) else {
        return PathVal::Absent;
    };
    let id = snake(&f.name);
    if f.list {
        return PathVal::Other(quote!(#cur.is_some()));
    }
    match kind(spec, f) {
        Kind::Object(_) if f.required => PathVal::Obj(quote!(#cur.map(|x| &x.#id))),
        Kind::Object(_) => PathVal::Obj(quote!(#cur.and_then(|x| x.#id.as_ref()))),
        Kind::Integer if f.required => PathVal::Other(quote!(#cur.is_some())),
        Kind::Integer => PathVal::Other(quote!(#cur.is_some_and(|x| x.#id.is_some()))),
        _ => {
            let read = if f.required {
                let v = as_str(&quote!(x.#id));
                quote!(#cur.map(|x| #v))
            } else {
                let v = as_str(&quote!(v));
                quote!(#cur.and_then(|x| x.#id.as_ref().map(|v| #v)))
            };
            PathVal::Str(quote!(#read.filter(|s| !s.is_empty())))
        }
    }
}

/// The fields that select a method and its amount rules, as the interpreter's `Keys::read`.
const KEYS: [&str; 7] = [
    "country",
    "clearingRail",
    "payeeInfo.paymentMethodType",
    "payeeInfo.targetOrg",
    "payeeInfo.payeeType",
    "trade.amount",
    "trade.currency",
];

/// Every path the method rules read (the keys, then each rule's field), numbered: the generated
/// `__PayermaxRuleFields` trait reads field number `i` of a request.
struct Paths(Vec<String>);

impl Paths {
    fn new(spec: &Spec) -> Paths {
        let mut paths: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
        let rules = spec.countries.iter().chain(&spec.rails);
        for rule in rules.flat_map(|m| &m.def.methods).flat_map(|m| &m.rules) {
            if !paths.contains(&rule.field.value) {
                paths.push(rule.field.value.clone());
            }
        }
        Paths(paths)
    }

    /// `req.__payermax_field(i)` for `path`.
    fn read(&self, path: &str) -> TokenStream {
        let i = self.0.iter().position(|p| p == path).unwrap_or(usize::MAX);
        quote!(req.__payermax_field(#i))
    }

    /// `impl __PayermaxRuleFields for #root`: each path as a `fast::Field`.
    fn impl_for(&self, spec: &Spec, root: &TypeDef) -> TokenStream {
        let fast = fast();
        let name = camel(&root.name);
        let arms = self.0.iter().enumerate().map(|(i, path)| {
            let read = match path_val(spec, root, path) {
                PathVal::Absent => quote!(#fast::Field::Absent),
                PathVal::Str(e) => quote!(match #e {
                    ::std::option::Option::Some(s) => #fast::Field::Str(s),
                    ::std::option::Option::None => #fast::Field::Absent,
                }),
                PathVal::Obj(e) => quote!(#fast::Field::present(
                    #e.is_some_and(|o| ::payermax::__private::spec::doc::Doc::any_present(o))
                )),
                PathVal::Other(e) => quote!(#fast::Field::present(#e)),
            };
            quote!(#i => #read,)
        });
        quote! {
            #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
            impl __PayermaxRuleFields for #name {
                // Always inlined: every call has a constant index, so the `match` folds away.
                #[inline(always)]
                fn __payermax_field(&self, index: usize) -> #fast::Field<'_> {
                    match index { #(#arms)* _ => #fast::Field::Absent }
                }
            }
        }
    }
}

/// A `match` on the value of the `&str` `subject`, arms in order (keys are distinct). When
/// every key has at most 16 bytes, on `(length, bytes packed into a u128)`: integer patterns
/// compile to a decision tree, where string patterns are compared one after the other.
fn dispatch(
    subject: &TokenStream,
    arms: &[(&str, TokenStream)],
    default: &TokenStream,
) -> TokenStream {
    if arms.iter().any(|(key, _)| key.len() > 16) {
        let arms = arms.iter().map(|(key, body)| quote!(#key => #body,));
        return quote!(match #subject { #(#arms)* _ => #default });
    }
    let fast = fast();
    let arms = arms.iter().map(|(key, body)| {
        let len = key.len();
        let packed = payermax_spec::fast::pack16(key);
        quote!((#len, #packed) => #body,)
    });
    quote!(match (#subject.len(), #fast::pack16(#subject)) { #(#arms)* _ => #default })
}

/// `matches!(s, "a" | "b")`, each value once.
fn one_of<'a>(s: &TokenStream, values: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let mut seen = BTreeSet::new();
    let values: Vec<&str> = values.into_iter().filter(|v| seen.insert(*v)).collect();
    if values.is_empty() {
        return quote!(false);
    }
    quote!(::core::matches!(#s, #(#values)|*))
}

/// The checks of one method: target org, payee type, amount, field rules.
fn method_checks(paths: &Paths, market: &Market, method: &MethodDef) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(org) = &method.target_org {
        let missing = if org.required == Some(true) {
            quote!(if payout {
                return false;
            })
        } else {
            quote!()
        };
        // As the interpreter: an organisation no method of this type lists is refused when
        // every method of the type has a complete list.
        let known = if org.complete && market.org_lists_complete(&method.method_type) {
            let ok = one_of(&quote!(o), org.values.iter().map(|v| v.as_str()));
            quote!(if !#ok { return false; })
        } else {
            quote!()
        };
        out.extend(quote! {
            match target_org {
                ::std::option::Option::None => { #missing }
                ::std::option::Option::Some(o) => { #known }
            }
        });
    }
    if let Some(types) = &method.payee_types {
        let ok = one_of(
            &quote!(payee_type.unwrap_or("PERSONAL")),
            types.iter().map(|t| t.as_str()),
        );
        out.extend(quote!(if !#ok { return false; }));
    }
    out.extend(amount_checks(market, method));
    for rule in &method.rules {
        out.extend(rule_checks(paths, rule));
    }
    quote! {{ #out true }}
}

/// Precision and limits of `trade.amount`, as the interpreter's `amount_rules`.
fn amount_checks(market: &Market, method: &MethodDef) -> TokenStream {
    let fast = fast();
    let mut seen = BTreeSet::new();
    let precisions: Vec<(&str, TokenStream)> = market
        .def
        .currencies
        .iter()
        .filter(|c| seen.insert(c.code.as_str()))
        .map(|c| {
            let (code, places) = (c.code.as_str(), c.decimals.value as usize);
            (
                code,
                quote!({ if amount.scale() > #places { return false; } }),
            )
        })
        .collect();
    let bound = |limits: &payermax_spec::model::AmountLimits| {
        let mut out = TokenStream::new();
        let valid = |b: &&payermax_spec::sp::Sp<String>| payermax_spec::validate::is_decimal(b);
        let digits = |b: &str| {
            let (int, frac) = payermax_spec::fast::normalized_digits(b);
            (
                proc_macro2::Literal::byte_string(int.as_bytes()),
                proc_macro2::Literal::byte_string(frac.as_bytes()),
            )
        };
        if let Some(min) = limits.min.as_ref().filter(valid) {
            let (int, frac) = digits(min);
            out.extend(quote! {
                if amount.cmp_digits(#int, #frac) == ::std::cmp::Ordering::Less { return false; }
            });
        }
        if let Some(max) = limits.max.as_ref().filter(valid) {
            let (int, frac) = digits(max);
            out.extend(quote! {
                if amount.cmp_digits(#int, #frac) == ::std::cmp::Ordering::Greater { return false; }
            });
        }
        out
    };
    let own = method.amount.as_ref().map(bound).unwrap_or_default();
    let orgs: Vec<TokenStream> = method
        .target_org
        .iter()
        .flat_map(|t| &t.limits)
        .map(|(org, limits)| {
            let checks = bound(limits);
            quote!(::std::option::Option::Some(#org) => { #checks })
        })
        .collect();
    let org_limits = (!orgs.is_empty()).then(|| quote!(match target_org { #(#orgs)* _ => {} }));
    let currency = method.currency.as_str();
    let precisions = dispatch(&quote!(currency), &precisions, &quote!({}));
    quote! {
        if let (::std::option::Option::Some(amount), ::std::option::Option::Some(currency)) = (amount, currency) {
            // Amounts too long for the interpreter's decimal type make it skip these rules:
            // leave such rare requests to it.
            if let ::std::option::Option::Some(amount) = #fast::Decimal::parse(amount) {
                if amount.digits() > 18 { return false; }
                #precisions
                if currency == #currency {
                    #own
                    #org_limits
                }
            }
        }
    }
}

/// One field rule of a method.
fn rule_checks(paths: &Paths, rule: &RuleDef) -> TokenStream {
    let missing = if rule.required == Some(true) {
        quote!(if payout {
            return false;
        })
    } else {
        quote!()
    };
    let fast = fast();
    let read = paths.read(&rule.field);
    let s = quote!(s);
    let bounds = (
        rule.min_len.as_ref().map(|n| n.value),
        rule.max_len.as_ref().map(|n| n.value),
    );
    let mut checks = string_checks(&s, bounds, rule.pattern.as_ref().map(|p| p.as_str()));
    if let Some(values) = &rule.one_of {
        let ok = one_of(&s, values.iter().map(|v| v.as_str()));
        checks.extend(quote!(if !#ok { return false; }));
    }
    if let Some(check) = rule
        .check
        .as_ref()
        .and_then(|c| payermax_spec::checks::NamedCheck::from_name(c))
    {
        let variant = format_ident!("{check:?}");
        checks.extend(quote!(if #fast::NamedCheck::#variant.check(s).is_err() { return false; }));
    }
    // An object or a list that is there has no string rules to check (the interpreter skips it).
    quote! {
        match #read {
            #fast::Field::Str(s) => { #checks }
            #fast::Field::Present => {}
            #fast::Field::Absent => { #missing }
        }
    }
}

/// A market's block: picks the method as the interpreter's `select_by` does, then checks it.
/// `unknown_type` is what a method type the market does not describe gets: a rail refuses it,
/// a country leaves a type the API declares to the API-wide rules.
fn market_block(paths: &Paths, market: &Market, unknown_type: &TokenStream) -> TokenStream {
    let methods = &market.def.methods;
    let mut types: Vec<&str> = Vec::new();
    for m in methods {
        if !types.contains(&m.method_type.as_str()) {
            types.push(m.method_type.as_str());
        }
    }
    let arms: Vec<(&str, TokenStream)> = types
        .iter()
        .map(|t| {
            let candidates: Vec<usize> = methods
                .iter()
                .enumerate()
                .filter(|(_, m)| m.method_type.value == *t)
                .map(|(i, _)| i)
                .collect();
            let first = candidates.first().copied().unwrap_or_default();
            // Each organisation goes to the first candidate that lists it.
            let mut seen = BTreeSet::new();
            let by_org: Vec<TokenStream> = candidates
                .iter()
                .filter(|&&i| i != first)
                .flat_map(|&i| {
                    methods
                        .get(i)
                        .and_then(|m| m.target_org.as_ref())
                        .map(|t| t.values.iter().map(move |v| (i, v.as_str())))
                        .into_iter()
                        .flatten()
                })
                .filter(|(_, org)| {
                    // Organisations the first candidate lists stay with it.
                    let first_lists = methods
                        .get(first)
                        .and_then(|m| m.target_org.as_ref())
                        .is_some_and(|t| t.values.iter().any(|v| v.value == *org));
                    !first_lists && seen.insert(*org)
                })
                .map(|(i, org)| quote!(::std::option::Option::Some(#org) => #i,))
                .collect();
            let body = if by_org.is_empty() {
                quote!(#first)
            } else {
                quote!(match target_org { #(#by_org)* _ => #first })
            };
            (*t, body)
        })
        .collect();
    let index = dispatch(&quote!(method_type), &arms, unknown_type);
    let blocks = methods.iter().enumerate().map(|(i, m)| {
        let checks = method_checks(paths, market, m);
        quote!(#i => #checks,)
    });
    quote! {{
        let index: usize = #index;
        match index { #(#blocks)* _ => true }
    }}
}

/// The country/rail method rules, as the interpreter's `select_by` + `method_rules`.
fn method_body(spec: &Spec, paths: &Paths) -> TokenStream {
    let k = |p: &str| {
        let read = paths.read(p);
        quote!(#read.text())
    };
    let (country, rail, method_type) = (
        k("country"),
        k("clearingRail"),
        k("payeeInfo.paymentMethodType"),
    );
    let (target_org, payee_type, amount, currency) = (
        k("payeeInfo.targetOrg"),
        k("payeeInfo.payeeType"),
        k("trade.amount"),
        k("trade.currency"),
    );
    let rails = spec.rails.iter().map(|r| {
        let name = r.key();
        let reach = r.def.countries.as_ref().map(|list| {
            let ok = one_of(&quote!(country), list.iter().map(|c| c.as_str()));
            quote!(if !#ok { return false; })
        });
        let block = market_block(paths, r, &quote!(return false));
        quote!(::std::option::Option::Some(#name) => { #reach return #block; })
    });
    // A country leaves a declared method type it does not list to the API-wide rules.
    let declared = one_of(&quote!(method_type), spec.method_types());
    let unknown_type = quote!(return #declared);
    let countries: Vec<(&str, TokenStream)> = spec
        .countries
        .iter()
        .map(|c| (c.key(), market_block(paths, c, &unknown_type)))
        .collect();
    let countries = dispatch(&quote!(country), &countries, &quote!(true));
    quote! {
        let (::std::option::Option::Some(country), ::std::option::Option::Some(method_type)) = (#country, #method_type) else {
            return true;
        };
        let target_org: ::std::option::Option<&str> = #target_org;
        let payee_type: ::std::option::Option<&str> = #payee_type;
        let amount: ::std::option::Option<&str> = #amount;
        let currency: ::std::option::Option<&str> = #currency;
        match #rail {
            #(#rails)*
            _ => {}
        }
        #countries
    }
}

/// The walks of every request type, and `__payermax_fast_valid()` on each endpoint's request.
pub fn fast_checks(spec: &Spec) -> TokenStream {
    let walk = walk_fn();
    let mut out = TokenStream::new();
    for t in request_types(spec) {
        let name = camel(&t.name);
        let body = walk_body(spec, t, t).unwrap_or_else(|| quote!(return false;));
        out.extend(quote! {
            impl #name {
                #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
                #[inline]
                fn #walk(&self, payout: bool) -> bool { #body true }
            }
        });
    }
    let fast = fast();
    let paths = Paths::new(spec);
    let rules = method_body(spec, &paths);
    out.extend(quote! {
        /// The fields the method rules read, by number (generated; see `__payermax_method_ok`).
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        trait __PayermaxRuleFields {
            fn __payermax_field(&self, index: usize) -> #fast::Field<'_>;
        }
        /// The country and method rules of the spec, as straight-line code, for the payout and
        /// element-validation requests alike (`payout`: absent required fields count).
        #[allow(dead_code, unused_variables, unreachable_code, clippy::all, clippy::pedantic, clippy::nursery)]
        fn __payermax_method_ok<T: __PayermaxRuleFields>(req: &T, payout: bool) -> bool {
            #rules
        }
    });
    let payout_type = spec.payout_request_type();
    for ep in &spec.api.endpoints {
        let Some(t) = spec.type_def(&ep.request) else {
            continue;
        };
        let name = camel(&t.name);
        let body = match ep.api_name.as_str() {
            PAYOUT_API => {
                out.extend(paths.impl_for(spec, t));
                quote! {
                    if !self.#walk(true) { return false; }
                    __payermax_method_ok(self, true)
                }
            }
            FIELD_VALIDATION_API => {
                let walk_code = match payout_type {
                    Some(p) => walk_body(spec, p, t),
                    None => Some(quote!()),
                };
                match walk_code {
                    Some(walk_code) => {
                        out.extend(paths.impl_for(spec, t));
                        quote! {
                            let payout = false;
                            #walk_code
                            __payermax_method_ok(self, false)
                        }
                    }
                    None => quote!(false),
                }
            }
            _ => quote!(self.#walk(true)),
        };
        out.extend(quote! {
            impl #name {
                /// Whether `validate()` would find nothing, answered by straight-line code
                /// generated from the spec (not a stable API; `validate()` uses it).
                #[doc(hidden)]
                #[allow(unused_variables, unreachable_code, clippy::all, clippy::pedantic, clippy::nursery)]
                pub fn __payermax_fast_valid(&self) -> bool { #body }
            }
        });
    }
    out
}
