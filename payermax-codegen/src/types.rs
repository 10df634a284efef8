//! Structs for the spec's object types and enums for its enumerations.

use crate::names::{camel, snake};
use payermax_spec::Spec;
use payermax_spec::model::{EnumDef, FieldDef, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of a field, before `Option`/`Vec`.
pub fn base_type(field: &FieldDef) -> TokenStream {
    match field.ty.as_str() {
        "string" => quote!(::std::string::String),
        "integer" => quote!(i64),
        "boolean" => quote!(bool),
        // Exact for integers; others as the nearest f64 (a balance to the cent below 10^13).
        "number" => quote!(::payermax::__private::serde_json::Number),
        "amount" => quote!(::payermax::Amount),
        other => {
            let id = camel(other);
            quote!(#id)
        }
    }
}

/// The Rust type of a field.
pub fn field_type(field: &FieldDef) -> TokenStream {
    let base = base_type(field);
    let base = if field.list {
        quote!(::std::vec::Vec<#base>)
    } else {
        base
    };
    if field.required || field.list {
        base
    } else {
        quote!(::std::option::Option<#base>)
    }
}

/// A doc string for a field: its doc, then its constraints.
pub fn field_doc(field: &FieldDef) -> String {
    let mut doc = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}`.", field.name.value));
    let mut facts = vec![format!("JSON `{}`", field.name.value)];
    if field.required {
        facts.push("required".into());
    }
    if let Some(n) = &field.max_len {
        facts.push(format!("at most {} characters", n.value));
    }
    if let Some(n) = &field.min_len {
        facts.push(format!("at least {} characters", n.value));
    }
    if let Some(p) = &field.pattern {
        facts.push(format!("pattern `{}`", p.value));
    }
    if let Some(s) = &field.source {
        facts.push(format!("source: {s}"));
    }
    doc.push_str("\n\n");
    doc.push_str(&facts.join("; "));
    doc.push('.');
    doc
}

fn defaultable(spec: &Spec, ty: &TypeDef, depth: usize) -> bool {
    depth < 8
        && ty
            .fields
            .iter()
            .filter(|f| f.required && !f.list)
            .all(|f| match f.ty.as_str() {
                "string" | "integer" | "amount" | "boolean" => true,
                other => spec
                    .type_def(other)
                    .is_some_and(|t| defaultable(spec, t, depth + 1)),
            })
}

/// One struct per object type, and (second) the impls that let the rule interpreter read
/// them: these go inside the generated `const _` block, where `__doc` names
/// `payermax_spec::doc`.
pub fn structs(spec: &Spec) -> (TokenStream, TokenStream) {
    let walked = crate::fast::request_type_names(spec);
    let mut items = TokenStream::new();
    let mut impls = TokenStream::new();
    for t in &spec.api.types {
        items.extend(one_struct(spec, t));
        impls.extend(doc_impl(
            t,
            spec.api_fingerprint(),
            walked.contains(t.name.as_str()),
        ));
    }
    (items, impls)
}

fn one_struct(spec: &Spec, ty: &TypeDef) -> TokenStream {
    let name = camel(&ty.name);
    let mut doc = ty.doc.clone().unwrap_or_default();
    if !ty.confirmed {
        doc.push_str(if ty.keep_unknown {
            "\n\n**Unconfirmed:** the reference does not document this shape; unknown fields are kept."
        } else {
            "\n\n**Unconfirmed:** the reference does not document this shape."
        });
    }
    let sent = !ty.direction.received();
    let fields = ty.fields.iter().map(|f| {
        let id = snake(&f.name);
        let json = f.name.as_str();
        let ty = field_type(f);
        let doc = field_doc(f);
        let skip = if f.list {
            quote!(#[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")])
        } else if !f.required {
            quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
        } else if f.ty.as_str() == "string" && sent {
            // A required text left empty is not sent (PayerMax reads a blank field as not
            // sent, and the validators report it as missing): element validation takes a
            // payee without `accountNo` (reference §4.1). Read back, a missing one is empty.
            quote!(#[serde(default, skip_serializing_if = "::std::string::String::is_empty")])
        } else {
            quote!()
        };
        quote! { #[doc = #doc] #[serde(rename = #json)] #skip pub #id: #ty, }
    });
    let extra = ty.keep_unknown.then(|| {
        quote! {
            /// Fields the spec does not know, kept as received.
            #[serde(flatten)]
            pub extra: ::payermax::__private::serde_json::Map<::std::string::String, ::payermax::__private::serde_json::Value>,
        }
    });
    let default = defaultable(spec, ty, 0).then(|| quote!(Default,));
    let constructor = (!ty.direction.received()).then(|| constructor(ty));
    let non_exhaustive = ty.direction.received().then(|| quote!(#[non_exhaustive]));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default ::payermax::__private::serde::Serialize, ::payermax::__private::serde::Deserialize)]
        #[serde(crate = "::payermax::__private::serde")]
        #non_exhaustive
        pub struct #name { #(#fields)* #extra }
        #constructor
    }
}

/// How the rule interpreter reads the struct: a `match` on JSON names, no serialization; and,
/// for request types (`walk`: it has a generated walk, see `fast::request_type_names`), the
/// generated checks that let it skip a subtree that passes.
fn doc_impl(ty: &TypeDef, fingerprint: u64, walk: bool) -> TokenStream {
    let name = camel(&ty.name);
    let json: Vec<&str> = ty.fields.iter().map(|f| f.name.as_str()).collect();
    let ids: Vec<_> = ty.fields.iter().map(|f| snake(&f.name)).collect();
    let type_name = ty.name.as_str();
    let indices = 0..ty.fields.len();
    let count = ty.fields.len();
    let fields_ok = walk.then(|| {
        let walk = crate::fast::walk_fn();
        quote! {
            fn fields_ok(&self, required: bool) -> __Option<bool> {
                __Option::Some(self.#walk(required, true))
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl __doc::Doc for #name {
            fn get(&self, name: &str) -> __doc::Node<'_> {
                match name {
                    #(#json => __doc::ToNode::node(&self.#ids),)*
                    _ => __doc::Node::Absent,
                }
            }
            fn field_count(&self) -> usize {
                #count
            }
            fn generated_as(&self) -> __Option<(u64, &str)> {
                __Option::Some((#fingerprint, #type_name))
            }
            fn field_at(&self, index: usize) -> __doc::Node<'_> {
                match index {
                    #(#indices => __doc::ToNode::node(&self.#ids),)*
                    _ => __doc::Node::Absent,
                }
            }
            #fields_ok
        }
        #[automatically_derived]
        impl __doc::ToNode for #name {
            fn node(&self) -> __doc::Node<'_> {
                __doc::Node::Obj(self)
            }
        }
    }
}

/// `Type::new(required…)`: every required field as an argument, the rest empty.
fn constructor(ty: &TypeDef) -> TokenStream {
    let name = camel(&ty.name);
    let required: Vec<&FieldDef> = ty.fields.iter().filter(|f| f.required && !f.list).collect();
    let params = required.iter().map(|f| {
        let id = snake(&f.name);
        let base = base_type(f);
        if f.ty.as_str() == "string" {
            quote!(#id: impl ::std::convert::Into<#base>)
        } else {
            quote!(#id: #base)
        }
    });
    let inits = ty.fields.iter().map(|f| {
        let id = snake(&f.name);
        if f.list {
            quote!(#id: ::std::vec::Vec::new(),)
        } else if !f.required {
            quote!(#id: ::std::option::Option::None,)
        } else if f.ty.as_str() == "string" {
            quote!(#id: #id.into(),)
        } else {
            quote!(#id,)
        }
    });
    let extra = ty
        .keep_unknown
        .then(|| quote!(extra: ::std::default::Default::default(),));
    let doc = format!(
        "A `{}` with its required fields; the optional ones are empty.",
        ty.name.value
    );
    quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self { #name { #(#inits)* #extra } }
        }
    }
}

/// One enum per enumeration: strict for what the merchant sends, with `Unknown(String)` for
/// what PayerMax sends; and (second) their `ToNode` impls, for the `const _` block.
pub fn enums(spec: &Spec) -> (TokenStream, TokenStream) {
    let items = spec.api.enums.iter().map(one_enum).collect();
    let impls = spec
        .api
        .enums
        .iter()
        .map(|e| {
            let name = camel(&e.name);
            quote! {
                #[automatically_derived]
                impl __doc::ToNode for #name {
                    fn node(&self) -> __doc::Node<'_> {
                        __doc::Node::Str(self.as_str())
                    }
                }
            }
        })
        .collect();
    (items, impls)
}

fn one_enum(e: &EnumDef) -> TokenStream {
    let name = camel(&e.name);
    let doc = e.doc.clone().unwrap_or_default();
    let variants: Vec<_> = e.values.iter().map(|v| camel(&v.value)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let docs: Vec<String> = e
        .values
        .iter()
        .map(|v| format!("`{}`: {}", v.value.value, v.doc.clone().unwrap_or_default()))
        .collect();
    let values_doc = format!(
        "Every documented value of [`{}`], in spec order.",
        e.name.value
    );
    if !e.direction.received() {
        return quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                     ::payermax::__private::serde::Serialize, ::payermax::__private::serde::Deserialize)]
            #[serde(crate = "::payermax::__private::serde")]
            pub enum #name { #( #[doc = #docs] #[serde(rename = #wires)] #variants, )* }
            impl #name {
                #[doc = #values_doc]
                pub const ALL: &'static [#name] = &[#(#name::#variants),*];
                /// The wire value.
                pub const fn as_str(&self) -> &'static str { match self { #(#name::#variants => #wires,)* } }
            }
            #[automatically_derived]
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
            }
        };
    }
    quote! {
        #[doc = #doc]
        ///
        /// PayerMax may send values this SDK does not know yet: they decode as `Unknown`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
            /// A value the spec does not document, kept as received.
            Unknown(::std::string::String),
        }
        impl #name {
            #[doc = #values_doc]
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];
            /// The wire value.
            pub fn as_str(&self) -> &str { match self { #(#name::#variants => #wires,)* #name::Unknown(s) => s } }
        }
        #[automatically_derived]
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self { match s { #(#wires => #name::#variants,)* other => #name::Unknown(other.to_owned()) } }
        }
        #[automatically_derived]
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
        #[automatically_derived]
        impl ::payermax::__private::serde::Serialize for #name {
            fn serialize<S: ::payermax::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        #[automatically_derived]
        impl<'de> ::payermax::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::payermax::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::payermax::__private::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(#name::from(s.as_ref()))
            }
        }
    }
}

/// `Country` and `Currency` enums from the country files, with each currency's precision.
pub fn markets(spec: &Spec) -> TokenStream {
    let mut countries: Vec<_> = spec
        .countries
        .iter()
        .map(|m| (camel(m.key()), m.key().to_owned(), m.def.name.clone()))
        .collect();
    // Countries reached only through a rail (SEPA's DE): a rail payee's request names one.
    let mut reached: Vec<(String, String)> = Vec::new();
    for rail in &spec.rails {
        for code in rail.def.countries.iter().flatten() {
            let known = countries.iter().any(|c| c.1 == code.value)
                || reached.iter().any(|(c, _)| *c == code.value);
            if !known {
                reached.push((code.value.clone(), rail.key().to_owned()));
            }
        }
    }
    reached.sort();
    countries.extend(reached.into_iter().map(|(code, rail)| {
        let name = format!("reached through {rail}");
        (camel(&code), code, name)
    }));
    let c_ids = countries.iter().map(|c| &c.0);
    let c_ids2 = c_ids.clone();
    let c_codes = countries.iter().map(|c| &c.1);
    let c_docs = countries.iter().map(|c| format!("{} ({}).", c.2, c.1));
    let mut currencies: Vec<(String, u8)> = Vec::new();
    for m in spec.countries.iter().chain(&spec.rails) {
        for c in &m.def.currencies {
            if !currencies.iter().any(|(code, _)| *code == c.code.value) {
                currencies.push((c.code.value.clone(), c.decimals.value));
            }
        }
    }
    currencies.sort();
    let k_ids: Vec<_> = currencies.iter().map(|(c, _)| camel(c)).collect();
    let k_codes: Vec<&str> = currencies.iter().map(|(c, _)| c.as_str()).collect();
    let k_decimals: Vec<u8> = currencies.iter().map(|(_, d)| *d).collect();
    let k_docs = currencies
        .iter()
        .map(|(c, d)| format!("{c}: {d} decimal places."));
    // `match *self`: with no countries (a spec of rails only) the enums are empty, and an
    // empty match is exhaustive on the value, not on a reference.
    quote! {
        /// The countries the spec describes: those with a file of their own, then those its
        /// rails reach.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Country { #( #[doc = #c_docs] #c_ids, )* }
        impl Country {
            /// ISO 3166-1 alpha-2 code.
            pub const fn as_str(&self) -> &'static str { match *self { #(Country::#c_ids2 => #c_codes,)* } }
        }
        impl ::std::fmt::Display for Country {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
        /// The currencies the spec's payout methods pay in, with their precision.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Currency { #( #[doc = #k_docs] #k_ids, )* }
        impl Currency {
            /// ISO 4217 code.
            pub const fn as_str(&self) -> &'static str { match *self { #(Currency::#k_ids => #k_codes,)* } }
            /// Decimal places an amount in this currency may carry.
            pub const fn decimals(&self) -> u8 { match *self { #(Currency::#k_ids => #k_decimals,)* } }
            /// An amount in this currency: refuses more decimal places than the currency has
            /// (`Currency::Krw.amount("10.5")` is an error).
            pub fn amount(&self, value: &str) -> ::std::result::Result<::payermax::Amount, ::payermax::AmountError> {
                ::payermax::Amount::with_decimals(value, self.decimals())
            }
        }
        impl ::std::fmt::Display for Currency {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
    }
}
