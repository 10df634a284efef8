//! The typed client: one async method per endpoint over the runtime's client, the idempotent
//! payout, the batch query as a stream, request validators and the notification verifier.

use crate::names::{camel, snake};
use payermax_spec::model::EndpointDef;
use payermax_spec::{FIELD_VALIDATION_API, PAYOUT_API, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const RT: &str = "::payermax::__private::runtime";

fn rt() -> TokenStream {
    RT.parse().unwrap_or_default()
}

/// `validate()` on every endpoint request type.
pub fn validators(spec: &Spec) -> TokenStream {
    let rt = rt();
    spec.api
        .endpoints
        .iter()
        .map(|ep| {
            let ty = camel(&ep.request);
            let type_name = ep.request.as_str();
            let (check, doc) = match ep.api_name.as_str() {
                PAYOUT_API => (
                    quote!(::payermax::__private::Check::Payout),
                    "Checks every rule of the spec, API-wide and of the request's country (or rail) and method: all violations at once, each with its JSON path, sorted by path.\n\n`Ok` carries the advisory violations (warnings: rules resting on an example or a guess, which never block sending); `Err` means an enforced rule is broken, and the client will not send the request.",
                ),
                FIELD_VALIDATION_API => (
                    quote!(::payermax::__private::Check::SentFields),
                    "Checks the fields that are set, as `paymentFieldValidation` does (fields not sent are not checked), with the rules of the request's country and method.\n\n`Ok` carries the advisory violations (warnings); `Err` means an enforced rule is broken.",
                ),
                _ => (
                    quote!(::payermax::__private::Check::Type(#type_name)),
                    "Checks the API-wide field rules: all violations at once, each with its JSON path.\n\n`Ok` carries the advisory violations (warnings); `Err` means an enforced rule is broken.",
                ),
            };
            quote! {
                impl #ty {
                    #[doc = #doc]
                    pub fn validate(&self) -> ::std::result::Result<#rt::Warnings, #rt::ValidationErrors> {
                        // Straight-line code generated from the spec answers for valid requests;
                        // the interpreter builds the report when there is something to report.
                        if self.__payermax_fast_valid(true) {
                            return ::std::result::Result::Ok(#rt::Warnings::default());
                        }
                        ::payermax::__private::validate(loaded_plan(), #check, self)
                    }

                    /// Whether [`validate`](Self::validate) would return `Ok` (every enforced
                    /// rule holds; advisory ones may not): the same verdict, from the same
                    /// generated code, without building a report. For the payout it never
                    /// allocates; use it to screen many requests (a bulk file, a queue) and call
                    /// `validate()` on the ones that fail, for their violations.
                    #[must_use]
                    pub fn is_valid(&self) -> bool {
                        self.__payermax_fast_valid(false)
                            || (!Self::__PAYERMAX_FAST_EXACT
                                && ::payermax::__private::validate(loaded_plan(), #check, self).is_ok())
                    }
                }
            }
        })
        .collect()
}

fn response_type(ep: &EndpointDef) -> TokenStream {
    let optional = |t: TokenStream| quote!(::std::option::Option<#t>);
    match ep.response.as_ref().map(|r| r.as_str()) {
        // A primitive `data` may be left out of the answer: `None` then.
        Some("boolean") => optional(quote!(bool)),
        Some("string") => optional(quote!(::std::string::String)),
        Some("integer") => optional(quote!(i64)),
        Some("number") => optional(quote!(::payermax::__private::serde_json::Number)),
        Some(r) => {
            let id = camel(r);
            quote!(#id)
        }
        None => quote!(::payermax::__private::serde_json::Value),
    }
}

fn method(spec: &Spec, ep: &EndpointDef) -> TokenStream {
    let rt = rt();
    let name = snake(&ep.fn_name);
    let req = camel(&ep.request);
    let resp = response_type(ep);
    let api = ep.api_name.as_str();
    let mut doc = ep.doc.clone().unwrap_or_default();
    if !ep.confirmed {
        doc.push_str("\n\n**Unconfirmed:** ");
        doc.push_str(
            ep.note
                .as_deref()
                .unwrap_or("the reference could not confirm this endpoint."),
        );
    }
    // The payout's idempotent variant: its key and the query that resolves unclear outcomes.
    let resolvable = match (&ep.idempotency_key, &ep.resolve_with) {
        (Some(key), Some(query)) if spec.endpoint(query).is_some() => Some((key, query)),
        _ => None,
    };
    let send = if ep.retry_safe {
        doc.push_str("\n\nIdempotent: transient failures are retried with back-off, each attempt freshly signed.");
        quote!(self.inner.call_idempotent(#api, request, ERROR_TABLE).await)
    } else {
        doc.push_str(if resolvable.is_some() {
            "\n\nOne attempt, never retried: see the `_idempotent` variant for a safe payout."
        } else {
            "\n\nOne attempt, never retried."
        });
        quote!(self.inner.call(#api, request, ERROR_TABLE).await)
    };
    let idempotent = match resolvable {
        Some((key, query)) => {
            let fname = format_ident!("{}_idempotent", ep.fn_name.value);
            let query = query.as_str();
            let idoc = format!(
                "Places the order so that it exists at most once, whatever the network does: every resend reuses the same `{}`; `ORDER_REPEAT` and unknown outcomes are resolved through `{query}`. Returns where the order stands.",
                key.value
            );
            quote! {
                #[doc = #idoc]
                pub async fn #fname(&self, request: &#req) -> ::std::result::Result<Payout, #rt::Error> {
                    #rt::validation::admit(self.inner.config(), request.validate())?;
                    let calls = #rt::PayoutCalls { pay: #api, query: #query };
                    let outcome = self.inner.pay_idempotent(calls, request, ERROR_TABLE).await?;
                    ::std::result::Result::Ok(Payout::from(outcome))
                }
            }
        }
        None => quote!(),
    };
    // Element validation is PayerMax's own check of the fields: send it as it is, so the
    // answer lists every field result; every other request is checked here first.
    let check = (ep.api_name.as_str() != FIELD_VALIDATION_API)
        .then(|| quote!(#rt::validation::admit(self.inner.config(), request.validate())?;));
    quote! {
        #[doc = #doc]
        pub async fn #name(&self, request: &#req) -> ::std::result::Result<#resp, #rt::Error> {
            #check
            #send
        }
        #idempotent
    }
}

/// The `Client`, `Payout` and the notification entry points.
pub fn client(spec: &Spec) -> TokenStream {
    let rt = rt();
    let methods = spec.api.endpoints.iter().map(|ep| method(spec, ep));
    let stream = batch_stream(spec);
    let filters = batch_filters(spec);
    let notification = camel(&spec.api.notification.ty);
    let status = camel(payermax_spec::STATUS_ENUM);
    let ack = serde_ack(spec);
    let notice = notice(spec);
    let versions = spec.api.endpoints.iter().map(|ep| {
        let api = ep.api_name.as_str();
        let version = ep
            .version
            .as_ref()
            .map_or(spec.api.envelope.version.as_str(), |v| v.as_str());
        quote!((#api, #version))
    });
    quote! {
        /// The envelope `version` of each endpoint's requests, from the spec (PayerMax's pages
        /// disagree; `Config::builder().api_version(..)` overrides them all).
        pub static ENDPOINT_VERSIONS: &[(&str, &str)] = &[#(#versions),*];

        /// A PayerMax payout client for one merchant: typed methods, one per endpoint. Cheap to
        /// clone; clones share the connection pool.
        #[derive(Debug, Clone)]
        pub struct Client { inner: #rt::Client }

        impl Client {
            /// A client for `config`.
            pub fn new(config: #rt::Config) -> ::std::result::Result<Self, #rt::Error> {
                let config = config.with_endpoint_versions(ENDPOINT_VERSIONS);
                ::std::result::Result::Ok(Client { inner: #rt::Client::new(config)? })
            }
            /// Wraps a runtime client.
            pub fn from_runtime(inner: #rt::Client) -> Self { Client { inner } }
            /// The runtime client underneath (raw calls, configuration).
            pub fn runtime(&self) -> &#rt::Client { &self.inner }
            #(#methods)*
            #stream
            /// Verifies a notification's `sign` header over the raw body with this client's
            /// PayerMax public key, decodes it, and refuses one addressed to another merchant
            /// or app, or not a payout notification. Answer PayerMax with [`NOTIFICATION_ACK`].
            pub fn verify_notification(&self, body: &[u8], sign: ::std::option::Option<&str>) -> ::std::result::Result<#notification, #rt::Error> {
                self.inner.verify_notification(body, sign)
            }
            /// Verifies any notification PayerMax POSTs (the `sign` header over the raw body,
            /// with this client's PayerMax public key), refuses one addressed to another
            /// merchant or app, and decodes it as the kind it is: one entry point for one
            /// callback URL. Answer PayerMax with [`NOTIFICATION_ACK`] once it is stored.
            pub fn verify_notice(&self, body: &[u8], sign: ::std::option::Option<&str>) -> ::std::result::Result<Notice, #rt::Error> {
                Notice::decode(self.inner.classify_notice(body, sign, NOTICE_KINDS)?, body)
            }
        }

        /// Where a payout stands after an idempotent send.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Payout {
            /// The merchant's order number, as sent every time.
            pub out_trade_no: ::std::string::String,
            /// The order's status as PayerMax last reported it.
            pub status: #status,
            /// PayerMax's order number, when known.
            pub trade_no: ::std::option::Option<::std::string::String>,
            /// How the status became known.
            pub resolved_by: #rt::ResolvedBy,
            /// How many times the order was sent.
            pub attempts: u32,
            /// The `data` of the last answer.
            pub data: ::payermax::__private::serde_json::Value,
        }

        impl ::std::convert::From<#rt::PayoutOutcome> for Payout {
            fn from(o: #rt::PayoutOutcome) -> Self {
                Payout { status: #status::from(o.status.as_str()), out_trade_no: o.out_trade_no, trade_no: o.trade_no, resolved_by: o.resolved_by, attempts: o.attempts, data: o.data }
            }
        }

        /// Verifies a notification's `sign` header over the raw body with PayerMax's public
        /// key, then decodes it. Framework-agnostic: bytes in, value out.
        pub fn verify_notification(payermax_public_key: &#rt::PublicKey, body: &[u8], sign: ::std::option::Option<&str>) -> ::std::result::Result<#notification, #rt::Error> {
            #rt::verify_notification(payermax_public_key, body, sign)
        }

        #ack
        #notice
        #filters
    }
}

/// The `Notice` enum over the payout notification and the spec's `others`, how each is told
/// apart (`NOTICE_KINDS`, payout first) and the free `verify_notice`.
fn notice(spec: &Spec) -> TokenStream {
    let rt = rt();
    let n = &spec.api.notification;
    let payout = camel(&n.ty);
    let mut variants = vec![quote! {
        /// The payout result (`notifyType` `PAYOUT`).
        Payout(#payout)
    }];
    let notify_type = n.notify_type.as_str();
    let mut kinds = vec![quote!(#rt::NoticeKind { field: "notifyType", value: #notify_type })];
    let mut arms = vec![quote!(Notice::Payout(#rt::decode_notification(body)?))];
    for other in &n.others {
        let variant = camel(&other.name);
        let ty = camel(&other.ty);
        let field = other.when.field.as_str();
        let value = other.when.value.as_str();
        let doc = format!(
            "{} (`{field}` `{value}`)",
            other.doc.as_deref().unwrap_or("A notification")
        );
        variants.push(quote! { #[doc = #doc] #variant(#ty) });
        kinds.push(quote!(#rt::NoticeKind { field: #field, value: #value }));
        arms.push(quote!(Notice::#variant(#rt::decode_notification(body)?)));
    }
    // `classify_notice` answers an index of `NOTICE_KINDS`: the last kind takes the rest.
    let last = arms.len() - 1;
    let arms = arms.iter().enumerate().map(|(i, arm)| {
        if i == last {
            quote!(_ => #arm)
        } else {
            quote!(#i => #arm)
        }
    });
    quote! {
        /// A verified notification, of the kind it turned out to be (see `Client::verify_notice`).
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum Notice { #(#variants),* }

        /// How each kind of notification is told apart, in `Notice`'s order.
        pub static NOTICE_KINDS: &[#rt::NoticeKind] = &[#(#kinds),*];

        impl Notice {
            fn decode(kind: usize, body: &[u8]) -> ::std::result::Result<Notice, #rt::Error> {
                ::std::result::Result::Ok(match kind {
                    #(#arms,)*
                })
            }
        }

        /// Verifies any notification's `sign` header over the raw body with PayerMax's public
        /// key and decodes it as the kind it is. Framework-agnostic: bytes in, value out. (It
        /// does not check the addressee: `Client::verify_notice` does.)
        pub fn verify_notice(payermax_public_key: &#rt::PublicKey, body: &[u8], sign: ::std::option::Option<&str>) -> ::std::result::Result<Notice, #rt::Error> {
            Notice::decode(#rt::classify_notice(payermax_public_key, body, sign, NOTICE_KINDS)?, body)
        }
    }
}

fn serde_ack(spec: &Spec) -> TokenStream {
    let ack = &spec.api.notification.ack;
    // As JSON, so that a quote or backslash in the spec's text stays valid.
    let body =
        serde_json::json!({ "code": ack.code.as_str(), "msg": ack.msg.as_str() }).to_string();
    let doc = format!("The exact body PayerMax expects in answer to a notification: `{body}`.");
    quote! {
        #[doc = #doc]
        pub const NOTIFICATION_ACK: &str = #body;
    }
}

fn batch_stream(spec: &Spec) -> TokenStream {
    let rt = rt();
    let Some(ep) = spec.api.endpoints.iter().find(|e| {
        spec.type_def(&e.request).is_some_and(|t| {
            BATCH_OWN
                .iter()
                .all(|f| t.fields.iter().any(|x| x.name.value == *f))
        })
    }) else {
        return quote!();
    };
    let Some(resp) = ep.response.as_ref().and_then(|r| spec.type_def(r)) else {
        return quote!();
    };
    let Some(list) = resp.fields.iter().find(|f| f.list) else {
        return quote!();
    };
    let Some(item) = spec.type_def(&list.ty) else {
        return quote!();
    };
    let req = camel(&ep.request);
    let filters = filter_name(ep);
    let mut copies: Vec<TokenStream> = spec
        .type_def(&ep.request)
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| !BATCH_OWN.contains(&f.name.as_str()))
                .map(|f| {
                    let id = snake(&f.name);
                    quote!(#id: filters.#id.clone(),)
                })
                .collect()
        })
        .unwrap_or_default();
    if spec.type_def(&ep.request).is_some_and(|t| t.keep_unknown) {
        copies.push(quote!(extra: ::std::default::Default::default(),));
    }
    let fname = snake(&ep.fn_name);
    let sname = format_ident!("{}_stream", ep.fn_name.value);
    let list_id = snake(&list.name);
    let item_ty = camel(&item.name);
    let doc = format!(
        "Every order created between `begin` and `end`, as a stream: the range is split into windows of at most one day and each window is paged ({} rows a page) until exhausted. After an error the stream yields it and, if polled again, retries the same page, so no row is repeated or skipped. `filters` holds the request's other filters (`{}::default()`: none).",
        100,
        filter_name(ep)
    );
    quote! {
        #[doc = #doc]
        pub fn #sname(
            &self,
            begin: ::payermax::__private::chrono::DateTime<::payermax::__private::chrono::Utc>,
            end: ::payermax::__private::chrono::DateTime<::payermax::__private::chrono::Utc>,
            filters: #filters,
        ) -> ::payermax::__private::futures::stream::BoxStream<'static, ::std::result::Result<#item_ty, #rt::Error>> {
            let client = self.clone();
            ::payermax::__private::batch::stream(begin, end, 100, move |from, to, page, size| {
                let client = client.clone();
                let request = #req {
                    query_begin_time: from,
                    query_end_time: to,
                    page_size: ::std::option::Option::Some(size),
                    current_page_index: ::std::option::Option::Some(page),
                    #(#copies)*
                };
                async move { client.#fname(&request).await.map(|r| r.#list_id) }
            })
        }
    }
}

/// The window and paging fields the batch stream fills itself.
const BATCH_OWN: [&str; 4] = [
    "queryBeginTime",
    "queryEndTime",
    "pageSize",
    "currentPageIndex",
];

fn filter_name(ep: &EndpointDef) -> proc_macro2::Ident {
    let req = ep.request.as_str();
    format_ident!("{}Filters", req.strip_suffix("Request").unwrap_or(req))
}

/// The batch request's fields other than its window and paging, as the stream's filters.
fn batch_filters(spec: &Spec) -> TokenStream {
    let Some((ep, ty)) = spec.api.endpoints.iter().find_map(|e| {
        let t = spec.type_def(&e.request)?;
        BATCH_OWN
            .iter()
            .all(|f| t.fields.iter().any(|x| x.name.value == *f))
            .then_some((e, t))
    }) else {
        return quote!();
    };
    let name = filter_name(ep);
    let others: Vec<_> = ty
        .fields
        .iter()
        .filter(|f| !BATCH_OWN.contains(&f.name.as_str()))
        .collect();
    let default = others
        .iter()
        .all(|f| !f.required || f.list)
        .then(|| quote!(Default,));
    let fields = others.iter().map(|f| {
        let id = snake(&f.name);
        let ty = crate::types::field_type(f);
        let doc = crate::types::field_doc(f);
        quote!(#[doc = #doc] pub #id: #ty,)
    });
    let doc = format!(
        "The filters of `{}` other than its time window and paging, which the `_stream` method fills.",
        ep.request.value
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }
    }
}
