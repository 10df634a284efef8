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
//! Everything here is read off the spec's rule plan (`payermax_spec::plan`), the same plan the
//! interpreter runs: kinds, classified patterns, method selection, resolved rule paths and
//! normalized amount limits are decided there once; this module only writes them as code.
//!
//! Soundness rule: a check may only answer `true` where the interpreter reports no violation.
//! Where a case is rare and costly to mirror exactly, it answers `false` (the interpreter then
//! decides). `tests/agreement.rs` holds the two to the same verdict on random requests.

use crate::names::{camel, snake};
use payermax_spec::plan::{
    FieldPlan, Kind, Lengths, Limits, MarketPlan, MethodPlan, PatternClass, PatternPlan, Plan,
    RulePlan, Target, TypePlan, Unlisted,
};
use payermax_spec::{FIELD_VALIDATION_API, Level, PAYOUT_API, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// `payermax_spec::fast`, as the generated `const _` block imports it.
const FAST: &str = "__fast";

fn fast() -> TokenStream {
    FAST.parse().unwrap_or_default()
}

/// The name of the generated per-type walk.
pub fn walk_fn() -> proc_macro2::Ident {
    format_ident!("__payermax_fields_ok")
}

/// `&str` of a value `v` (a `&String`, `&Amount` or `&Enum`: each has `as_str`).
fn as_str(v: &TokenStream) -> TokenStream {
    quote!(#v.as_str())
}

/// `checks` as they apply at `level`: an advisory rule's only when the generated function is
/// asked about advisory rules too (its `advisory` argument: `validate()` asks, `is_valid()`,
/// which answers for enforced rules, does not).
fn at_level(level: Level, checks: TokenStream) -> TokenStream {
    match level {
        _ if checks.is_empty() => checks,
        Level::Enforce => checks,
        Level::Advise => quote!(if advisory { #checks }),
    }
}

/// The checks the interpreter's `value()` applies to a string `s` that can fail on a typed
/// value (see [`Kind::Text`]): lengths and pattern (the pattern at `pattern_level`). Each
/// failing check returns `false` from the generated function.
fn string_checks(
    s: &TokenStream,
    len: Lengths,
    pattern: Option<&PatternPlan>,
    pattern_level: Level,
) -> TokenStream {
    let fast = fast();
    let mut out = TokenStream::new();
    let Lengths { min, max } = len;
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
        out.extend(at_level(
            pattern_level,
            quote!(if !#matches { return false; }),
        ));
    }
    out
}

/// An expression: `s` matches the pattern, in the form the plan classified it as.
fn pattern_match(s: &TokenStream, p: &PatternPlan) -> TokenStream {
    let fast = fast();
    match &p.class {
        PatternClass::Set(set) => one_of(s, set.iter().map(String::as_str)),
        &PatternClass::Bytes { class, min, max } => {
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
        PatternClass::Regex => {
            let source = p.source.as_str();
            quote! {{
                static PATTERN: ::std::sync::LazyLock<__Option<#fast::Pattern>> =
                    ::std::sync::LazyLock::new(|| #fast::Pattern::compile(#source));
                PATTERN.as_ref().is_none_or(|p| p.is_match(#s))
            }}
        }
    }
}

/// The names of the types that get a generated walk (reachable from a request type).
pub fn request_type_names(spec: &Spec) -> BTreeSet<&str> {
    request_types(spec)
        .into_iter()
        .filter_map(|t| spec.plan.types.get(t))
        .map(|t| t.name.as_str())
        .collect()
}

/// The request type of each endpoint (plan type numbers, in endpoint order).
fn endpoint_types(spec: &Spec) -> impl Iterator<Item = (&str, usize)> {
    spec.api
        .endpoints
        .iter()
        .filter_map(|e| Some((e.api_name.as_str(), spec.plan.type_index(&e.request)?)))
}

/// Types reachable from the endpoints' request types: the ones that get a walk, by name.
fn request_types(spec: &Spec) -> Vec<usize> {
    let plan = &spec.plan;
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = endpoint_types(spec).map(|(_, t)| t).collect();
    while let Some(t) = stack.pop() {
        if !seen.insert(t) {
            continue;
        }
        for f in plan
            .types
            .get(t)
            .map(|t| t.fields.as_slice())
            .unwrap_or_default()
        {
            if let Kind::Object(inner) = f.kind {
                stack.push(inner);
            }
        }
    }
    let mut out: Vec<usize> = seen.into_iter().collect();
    out.sort_by_key(|&t| plan.types.get(t).map(|t| t.name.as_str()));
    out
}

/// The body of a walk over the struct of type `strukt` with the rules of type `def` (the same
/// type, except for element validation, which the interpreter walks with the payout type's
/// rules). `None` when a field both types have differs in type: then no fast path.
fn walk_body(def: &TypePlan, strukt: &TypePlan) -> Option<TokenStream> {
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
        let Some(sf) = strukt
            .field_number(&f.name)
            .and_then(|i| strukt.fields.get(i))
        else {
            out.extend(absent);
            continue;
        };
        if sf.kind != f.kind || sf.list != f.list {
            return None;
        }
        out.extend(field_walk(f, sf, &absent, &walk));
    }
    Some(out)
}

/// The walk of one field `f` (read from the struct's field `sf` of the same type).
fn field_walk(
    f: &FieldPlan,
    sf: &FieldPlan,
    absent: &TokenStream,
    walk: &proc_macro2::Ident,
) -> TokenStream {
    let id = snake(&sf.name);
    let s = quote!(s);
    let checks = string_checks(&s, f.len, f.pattern.as_ref(), f.pattern_level);
    // Nothing to check and nothing to require: no code (an empty `match` per unchecked field
    // was a fifth of the walk's lines).
    let nothing = checks.is_empty() && absent.is_empty();
    match (f.kind, sf.list, sf.required) {
        (
            Kind::Integer
            | Kind::Boolean
            | Kind::Number
            | Kind::Enum(_)
            | Kind::Amount
            | Kind::Text,
            _,
            _,
        ) if nothing => quote!(),
        (Kind::Integer | Kind::Boolean | Kind::Number, true, _)
        | (Kind::Integer | Kind::Boolean | Kind::Number, false, true) => quote!(),
        (Kind::Integer | Kind::Boolean | Kind::Number, false, false) => {
            quote!(if self.#id.is_none() { #absent })
        }
        (Kind::Object(_), true, _) => {
            quote!(for item in &self.#id { if !item.#walk(payout, advisory) { return false; } })
        }
        (Kind::Object(_), false, true) => {
            quote!(if !self.#id.#walk(payout, advisory) { return false; })
        }
        (Kind::Object(_), false, false) => quote! {
            match &self.#id {
                __Option::Some(v) => if !v.#walk(payout, advisory) { return false; },
                __Option::None => { #absent }
            }
        },
        // Strings, amounts and enums, read as a `&str`. Typed enums always hold a value the
        // interpreter accepts (strict ones a documented value; lenient ones are not checked),
        // and a typed amount (`payermax::Amount`) is a decimal string by construction, so only
        // lengths and patterns remain to check. List items are checked as they are: an empty
        // string item is not "absent".
        (_, true, _) if checks.is_empty() => quote!(),
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
                    __Option::Some(s) if !s.is_empty() => { #checks }
                    _ => { #absent }
                }
            }
        }
    }
}

/// What rule path number `index` reads in the struct of request type `root`, as the
/// interpreter's reading of the path would: a `fast::Field`.
fn field_read(plan: &Plan, root: usize, index: usize) -> TokenStream {
    let fast = fast();
    let absent = quote!(#fast::Field::Absent);
    let Some(resolved) = plan.path(index).and_then(|p| p.from_root(root)) else {
        return absent;
    };
    if resolved.target == Target::Absent {
        return absent;
    }
    let field = |step: &payermax_spec::plan::Step| {
        plan.types
            .get(step.ty)
            .and_then(|t| t.fields.get(step.field))
    };
    let Some((last, parents)) = resolved.chain.split_last() else {
        return absent;
    };
    let mut cur = quote!(__Option::Some(self));
    for step in parents {
        let Some(f) = field(step) else {
            return absent;
        };
        let id = snake(&f.name);
        cur = if f.required {
            quote!(#cur.map(|x| &x.#id))
        } else {
            quote!(#cur.and_then(|x| x.#id.as_ref()))
        };
    }
    let Some(f) = field(last) else {
        return absent;
    };
    let id = snake(&f.name);
    let present = |there: TokenStream| quote!(#fast::Field::present(#there));
    match resolved.target {
        Target::Object => {
            let obj = if f.required {
                quote!(#cur.map(|x| &x.#id))
            } else {
                quote!(#cur.and_then(|x| x.#id.as_ref()))
            };
            present(quote!(#obj.is_some_and(|o| __doc::Doc::any_present(o))))
        }
        Target::Other if f.list || f.required => present(quote!(#cur.is_some())),
        Target::Other => present(quote!(#cur.is_some_and(|x| x.#id.is_some()))),
        Target::Str => {
            let read = if f.required {
                let v = as_str(&quote!(x.#id));
                quote!(#cur.map(|x| #v))
            } else {
                let v = as_str(&quote!(v));
                quote!(#cur.and_then(|x| x.#id.as_ref().map(|v| #v)))
            };
            quote!(match #read.filter(|s| !s.is_empty()) {
                __Option::Some(s) => #fast::Field::Str(s),
                __Option::None => #fast::Field::Absent,
            })
        }
        Target::Absent => absent,
    }
}

/// `req.__payermax_field(i)`: rule path number `i` of a request.
fn read(index: usize) -> TokenStream {
    quote!(req.__payermax_field(#index))
}

/// `impl __PayermaxRuleFields for` the struct of request type `root`: each rule path of the
/// plan as a `fast::Field`.
fn impl_for(plan: &Plan, root: usize) -> TokenStream {
    let fast = fast();
    let Some(t) = plan.types.get(root) else {
        return TokenStream::new();
    };
    let name = camel(&t.name);
    let arms = (0..plan.paths.len()).map(|i| {
        let read = field_read(plan, root, i);
        quote!(#i => #read,)
    });
    quote! {
        #[automatically_derived]
        impl __PayermaxRuleFields for #name {
            // Always inlined: every call has a constant index, so the `match` folds away.
            #[inline(always)]
            fn __payermax_field(&self, index: usize) -> #fast::Field<'_> {
                match index { #(#arms)* _ => #fast::Field::Absent }
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
fn method_checks(market: &MarketPlan, method: &MethodPlan) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(org) = &method.org {
        let missing = if org.required {
            quote!(if payout {
                return false;
            })
        } else {
            quote!()
        };
        let known = if org.refuse_unlisted {
            let ok = one_of(&quote!(o), org.values.iter().map(String::as_str));
            quote!(if !#ok { return false; })
        } else {
            quote!()
        };
        out.extend(quote! {
            match target_org {
                __Option::None => { #missing }
                __Option::Some(o) => { #known }
            }
        });
    }
    if let Some(types) = &method.payee_types {
        let ok = one_of(
            &quote!(payee_type.unwrap_or("PERSONAL")),
            types.iter().map(String::as_str),
        );
        out.extend(quote!(if !#ok { return false; }));
    }
    out.extend(amount_checks(market, method));
    for rule in &method.rules {
        out.extend(rule_checks(rule));
    }
    quote! {{ #out true }}
}

/// Precision and limits of `trade.amount`, as the interpreter's `amount_rules`.
fn amount_checks(market: &MarketPlan, method: &MethodPlan) -> TokenStream {
    let fast = fast();
    let precisions: Vec<(&str, TokenStream)> = market
        .decimals
        .iter()
        .map(|(code, places)| {
            let places = *places as usize;
            (
                code.as_str(),
                quote!({ if amount.scale() > #places { return false; } }),
            )
        })
        .collect();
    let bound = |limits: &Limits| {
        let mut out = TokenStream::new();
        let digits = |(int, frac): &(String, String)| {
            (
                proc_macro2::Literal::byte_string(int.as_bytes()),
                proc_macro2::Literal::byte_string(frac.as_bytes()),
            )
        };
        if let Some(min) = &limits.min {
            let (int, frac) = digits(&min.digits);
            out.extend(quote! {
                if amount.cmp_digits(#int, #frac) == ::std::cmp::Ordering::Less { return false; }
            });
        }
        if let Some(max) = &limits.max {
            let (int, frac) = digits(&max.digits);
            out.extend(quote! {
                if amount.cmp_digits(#int, #frac) == ::std::cmp::Ordering::Greater { return false; }
            });
        }
        out
    };
    let own = bound(&method.limits);
    let orgs: Vec<TokenStream> = method
        .org_limits
        .iter()
        .map(|(org, limits)| {
            let checks = bound(limits);
            quote!(__Option::Some(#org) => { #checks })
        })
        .collect();
    let org_limits = (!orgs.is_empty()).then(|| quote!(match target_org { #(#orgs)* _ => {} }));
    let currency = method.currency.as_str();
    let precisions = dispatch(&quote!(currency), &precisions, &quote!({}));
    quote! {
        if let (__Option::Some(amount), __Option::Some(currency)) = (amount, currency) {
            // Amounts too long for the interpreter's decimal type make it skip these rules:
            // leave such rare requests to it.
            if let __Option::Some(amount) = #fast::Decimal::parse(amount) {
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
fn rule_checks(rule: &RulePlan) -> TokenStream {
    let missing = if rule.required {
        quote!(if payout {
            return false;
        })
    } else {
        quote!()
    };
    let missing = at_level(rule.level, missing);
    let fast = fast();
    let read = read(rule.path);
    let s = quote!(s);
    let mut checks = string_checks(&s, rule.len, rule.pattern.as_ref(), Level::Enforce);
    if let Some(values) = &rule.one_of {
        let ok = one_of(&s, values.iter().map(String::as_str));
        checks.extend(quote!(if !#ok { return false; }));
    }
    let mut checks = at_level(rule.level, checks);
    if let Some(check) = rule.check {
        let variant = format_ident!("{check:?}");
        checks.extend(at_level(
            rule.check_level,
            quote!(if #fast::NamedCheck::#variant.check(s).is_err() { return false; }),
        ));
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

/// A market's block: picks the method by the plan's selection table, then checks it.
/// `unknown_type` is what a method type the market does not list gets.
fn market_block(market: &MarketPlan, unknown_type: &TokenStream) -> TokenStream {
    let arms: Vec<(&str, TokenStream)> = market
        .by_type
        .iter()
        .map(|choice| {
            let first = choice.first;
            let by_org: Vec<TokenStream> = choice
                .by_org
                .iter()
                .map(|(org, i)| quote!(__Option::Some(#org) => #i,))
                .collect();
            let body = if by_org.is_empty() {
                quote!(#first)
            } else {
                quote!(match target_org { #(#by_org)* _ => #first })
            };
            (choice.method_type.as_str(), body)
        })
        .collect();
    let index = dispatch(&quote!(method_type), &arms, unknown_type);
    let blocks = market.methods.iter().enumerate().map(|(i, m)| {
        let checks = method_checks(market, m);
        quote!(#i => #checks,)
    });
    // As the interpreter's `currency_rule`: `destinationCurrency` when sent, else
    // `trade.currency`, is one the market pays out in.
    let currency = (!market.decimals.is_empty()).then(|| {
        let ok = one_of(&quote!(c), market.decimals.iter().map(|(c, _)| c.as_str()));
        quote! {
            if let __Option::Some(c) = destination_currency.or(currency) {
                if !#ok { return false; }
            }
        }
    });
    quote! {{
        let index: usize = #index;
        #currency
        match index { #(#blocks)* _ => true }
    }}
}

/// `__payermax_org_listed(method_type, target_org)`: some market's method of the type lists the
/// organisation (the interpreter's `Plan::org_listed_by` is not empty).
fn org_listed_fn(plan: &Plan) -> TokenStream {
    let mut by_type: Vec<(&str, Vec<&str>)> = Vec::new();
    for m in plan
        .countries
        .iter()
        .chain(&plan.rails)
        .flat_map(|m| &m.methods)
    {
        let Some(org) = &m.org else { continue };
        let orgs = match by_type.iter_mut().find(|(t, _)| *t == m.method_type) {
            Some((_, orgs)) => orgs,
            None => {
                by_type.push((m.method_type.as_str(), Vec::new()));
                match by_type.last_mut() {
                    Some((_, orgs)) => orgs,
                    None => continue,
                }
            }
        };
        orgs.extend(org.values.iter().map(String::as_str));
    }
    let arms = by_type.iter().map(|(t, orgs)| {
        let ok = one_of(&quote!(o), orgs.iter().copied());
        quote!(#t => #ok,)
    });
    quote! {
        fn __payermax_org_listed(method_type: &str, target_org: __Option<&str>) -> bool {
            let __Option::Some(o) = target_org else { return false; };
            match method_type { #(#arms)* _ => false }
        }
    }
}

/// The country/rail method rules, as the interpreter's `select_by` + `method_rules`.
fn method_body(plan: &Plan) -> TokenStream {
    let k = |i: usize| {
        let read = read(i);
        quote!(#read.text())
    };
    // The plan numbers the selecting keys first (`plan::KEYS`).
    let (country, rail, method_type) = (k(0), k(1), k(2));
    let (target_org, payee_type, amount, currency) = (k(3), k(4), k(5), k(6));
    let destination_currency = k(7);
    let declared = one_of(
        &quote!(method_type),
        plan.method_types.iter().map(String::as_str),
    );
    // A type the country does not list: the API-wide rules only, unless the organisation is
    // another country's (the interpreter's `select_by`).
    let unknown = |market: &MarketPlan| match market.unlisted {
        Unlisted::Refused => quote!(return false),
        Unlisted::DeclaredPass => {
            quote!(return #declared && !__payermax_org_listed(method_type, target_org))
        }
    };
    let org_listed = org_listed_fn(plan);
    // A country the spec knows only as a rail's, sent without `clearingRail`.
    let mut rail_only: Vec<&str> = plan
        .rails
        .iter()
        .flat_map(|r| r.reach.iter().flatten())
        .map(String::as_str)
        .filter(|c| plan.country(c).is_none())
        .collect();
    rail_only.sort_unstable();
    let rail_only = one_of(&quote!(country), rail_only);
    let rails = plan.rails.iter().map(|r| {
        let name = r.key.as_str();
        let reach = r.reach.as_ref().map(|list| {
            let ok = one_of(&quote!(country), list.iter().map(String::as_str));
            quote!(if !#ok { return false; })
        });
        let block = market_block(r, &unknown(r));
        quote!(__Option::Some(#name) => { #reach return #block; })
    });
    let countries: Vec<(&str, TokenStream)> = plan
        .countries
        .iter()
        .map(|c| (c.key.as_str(), market_block(c, &unknown(c))))
        .collect();
    let countries = dispatch(
        &quote!(country),
        &countries,
        &quote!(!(payout && rail.is_none() && #rail_only)),
    );
    quote! {
        #org_listed
        let (__Option::Some(country), __Option::Some(method_type)) = (#country, #method_type) else {
            return true;
        };
        let target_org: __Option<&str> = #target_org;
        let payee_type: __Option<&str> = #payee_type;
        let amount: __Option<&str> = #amount;
        let currency: __Option<&str> = #currency;
        let destination_currency: __Option<&str> = #destination_currency;
        let rail: __Option<&str> = #rail;
        match rail {
            #(#rails)*
            _ => {}
        }
        #countries
    }
}

/// The walks of every request type, and `__payermax_fast_valid()` on each endpoint's request:
/// items for the generated `const _` block (see `crate::generate`), so the helper trait and
/// function stay out of the user's namespace.
pub fn fast_checks(spec: &Spec) -> TokenStream {
    let plan = &spec.plan;
    let walk = walk_fn();
    let mut out = TokenStream::new();
    for t in request_types(spec)
        .into_iter()
        .filter_map(|t| plan.types.get(t))
    {
        let name = camel(&t.name);
        let body = walk_body(t, t).unwrap_or_else(|| quote!(return false;));
        out.extend(quote! {
            impl #name {
                #[inline]
                fn #walk(&self, payout: bool, advisory: bool) -> bool { #body true }
            }
        });
    }
    let fast = fast();
    let rules = method_body(plan);
    out.extend(quote! {
        /// The fields the method rules read, by number (generated; see `__payermax_method_ok`).
        #[doc(hidden)]
        trait __PayermaxRuleFields {
            fn __payermax_field(&self, index: usize) -> #fast::Field<'_>;
        }
        /// The country and method rules of the spec, as straight-line code, for the payout and
        /// element-validation requests alike (`payout`: absent required fields count;
        /// `advisory`: advisory rules count).
        fn __payermax_method_ok<T: __PayermaxRuleFields>(req: &T, payout: bool, advisory: bool) -> bool {
            #rules
        }
    });
    let payout_type = plan.payout.and_then(|p| plan.types.get(p));
    for (api_name, t) in endpoint_types(spec) {
        let Some(def) = plan.types.get(t) else {
            continue;
        };
        let name = camel(&def.name);
        // Whether the generated code answers exactly; when it cannot (element validation on a
        // type whose fields differ from the payout's), it answers `false` and the callers ask
        // the interpreter.
        let mut exact = true;
        let body = match api_name {
            PAYOUT_API => {
                out.extend(impl_for(plan, t));
                quote! {
                    if !self.#walk(true, advisory) { return false; }
                    __payermax_method_ok(self, true, advisory)
                }
            }
            FIELD_VALIDATION_API => {
                let walk_code = match payout_type {
                    Some(p) => walk_body(p, def),
                    None => Some(quote!()),
                };
                match walk_code {
                    Some(walk_code) => {
                        out.extend(impl_for(plan, t));
                        quote! {
                            let payout = false;
                            #walk_code
                            __payermax_method_ok(self, false, advisory)
                        }
                    }
                    None => {
                        exact = false;
                        quote!(false)
                    }
                }
            }
            _ => quote!(self.#walk(true, advisory)),
        };
        out.extend(quote! {
            impl #name {
                /// Whether `validate()` would find nothing (`advisory`: counting advisory
                /// rules; else nothing enforced), answered by straight-line code generated from
                /// the spec (not a stable API; `validate()` and `is_valid()` use it).
                #[doc(hidden)]
                pub fn __payermax_fast_valid(&self, advisory: bool) -> bool { #body }
                /// Whether `__payermax_fast_valid`'s `false` is exact (else: ask the interpreter).
                #[doc(hidden)]
                pub const __PAYERMAX_FAST_EXACT: bool = #exact;
            }
        });
    }
    out
}
