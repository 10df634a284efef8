//! The spec model: plain Rust types for the YAML files, as read.
//!
//! The loader fills these from YAML (never through an untyped value) and `semantic` checks them.
//! Names that diagnostics point at are wrapped in [`Sp`] so errors can name `file:line:column`.

use crate::sp::{Source, Sp};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The root file: which API file, rails and countries make up the spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootFile {
    /// The API file, relative to the root file. Absent in an extension file.
    pub api: Option<Sp<String>>,
    /// Rail files.
    #[serde(default)]
    pub rails: Vec<Sp<String>>,
    /// Country files.
    #[serde(default)]
    pub countries: Vec<Sp<String>>,
}

/// The API file: environments, envelope, endpoints, types, enums, error codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    /// Source key → where it comes from.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Standard key → the international standard (`ISO-13616` → its title): an `enforce` rule
    /// must cite a PayerMax source or one of these.
    #[serde(default)]
    pub standards: BTreeMap<String, String>,
    /// UAT, production.
    pub environments: Vec<EnvironmentDef>,
    /// The request/response envelope.
    pub envelope: EnvelopeDef,
    /// The merchant → PayerMax calls.
    pub endpoints: Vec<EndpointDef>,
    /// The PayerMax → merchant notification.
    pub notification: NotificationDef,
    /// Object types.
    pub types: Vec<TypeDef>,
    /// Enumerations.
    pub enums: Vec<EnumDef>,
    /// Allowed order status changes.
    #[serde(default)]
    pub status_transitions: Vec<TransitionDef>,
    /// Documented error codes.
    pub error_codes: Vec<ErrorCodeDef>,
}

/// A PayerMax environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentDef {
    /// Rust-style name (`Uat`).
    pub name: Sp<String>,
    /// Gateway base URL; endpoints are `<base_url>/<api_name>`.
    pub base_url: Sp<String>,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// The common envelope of every call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeDef {
    /// API version sent in `version`.
    pub version: String,
    /// Key version sent in `keyVersion`.
    pub key_version: String,
    /// The `requestTime` format as documented.
    pub request_time_format: String,
    /// How far `requestTime` may be from PayerMax's clock.
    pub request_time_window_secs: u32,
    /// The signature header.
    pub sign_header: String,
    /// The `code` of a successful call.
    pub success_code: String,
    /// The type listing the envelope's request fields.
    pub request_type: Option<Sp<String>>,
    /// The type listing the envelope's response fields.
    pub response_type: Option<Sp<String>>,
    /// ISV (service-provider) mode.
    pub isv: Option<IsvDef>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// ISV mode: a service provider calls on behalf of a sub-merchant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IsvDef {
    /// Envelope field carrying the ISV's merchant number.
    pub sp_merchant_no_field: String,
    /// Header carrying the merchant authorisation token.
    pub auth_token_header: String,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// One merchant → PayerMax call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointDef {
    /// Last path segment (`paymentOrderPay`).
    pub api_name: Sp<String>,
    /// Rust method name (`pay`).
    pub fn_name: Sp<String>,
    /// One line.
    pub doc: Option<String>,
    /// Type of the request's `data`.
    pub request: Sp<String>,
    /// Type of the response's `data`: a type, or a primitive other than `amount` (then
    /// generated as an `Option`, since PayerMax's answers may leave `data` out).
    pub response: Option<Sp<String>>,
    /// A request field that makes resends idempotent.
    pub idempotency_key: Option<Sp<String>>,
    /// The endpoint that answers, by the idempotency key, whether a send went through.
    pub resolve_with: Option<Sp<String>>,
    /// Whether the SDK may resend it blindly.
    #[serde(default)]
    pub retry_safe: bool,
    /// The envelope `version` this endpoint's requests carry (default: the envelope's).
    pub version: Option<Sp<String>>,
    /// False when the reference could not confirm the endpoint.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Free text (what is unconfirmed, for instance).
    pub note: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

fn yes() -> bool {
    true
}

/// The payout result notification.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationDef {
    /// `notifyType` of payout notifications.
    pub notify_type: String,
    /// The notification body type.
    #[serde(rename = "type")]
    pub ty: Sp<String>,
    /// The acknowledgement body type.
    pub ack_type: Option<Sp<String>>,
    /// The exact acknowledgement.
    pub ack: AckDef,
    /// Delivery schedule, seconds.
    #[serde(default)]
    pub retry_schedule_secs: Vec<u64>,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
    /// Other notifications PayerMax POSTs to the merchant (the RFI notification), told apart
    /// from the payout one (`notifyType` = `notify_type`) by a field of their own.
    #[serde(default)]
    pub others: Vec<OtherNotificationDef>,
}

/// A notification other than the payout result, verified and acknowledged the same way.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherNotificationDef {
    /// Its variant name in the generated `Notice` enum (`Rfi`).
    pub name: Sp<String>,
    /// The body type.
    #[serde(rename = "type")]
    pub ty: Sp<String>,
    /// How a body is known to be one: a field (dotted path) and its value.
    pub when: NoticeTellDef,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// `{field: data.businessType, value: PAYMENT}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeTellDef {
    /// A dotted path into the body.
    pub field: Sp<String>,
    /// The value that field has in this kind of notification.
    pub value: String,
}

/// The acknowledgement body a merchant answers a notification with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckDef {
    /// `code`, exactly.
    pub code: String,
    /// `msg`.
    pub msg: String,
}

/// Who sends values of a type or enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The merchant sends it: enums stay strict.
    Request,
    /// PayerMax sends it: unknown values must still decode.
    Response,
    /// Both.
    Both,
}

impl Direction {
    /// True when PayerMax sends values of this kind (so unknown values must be kept).
    pub fn received(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }
}

/// An object type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Rust type name.
    pub name: Sp<String>,
    /// One line.
    pub doc: Option<String>,
    /// Who sends it.
    pub direction: Direction,
    /// Keep unknown JSON fields.
    #[serde(default)]
    pub keep_unknown: bool,
    /// False when the shape is not documented.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Where it comes from.
    pub source: Option<Source>,
    /// The fields.
    pub fields: Vec<FieldDef>,
}

/// A field of an object type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// JSON name.
    pub name: Sp<String>,
    /// `string`, `integer`, `amount`, or a type or enum name.
    #[serde(rename = "type")]
    pub ty: Sp<String>,
    /// A JSON array of `ty`.
    #[serde(default)]
    pub list: bool,
    /// Mandatory.
    #[serde(default)]
    pub required: bool,
    /// Maximum length in characters.
    pub max_len: Option<Sp<u32>>,
    /// Minimum length in characters.
    pub min_len: Option<Sp<u32>>,
    /// Anchored regular expression.
    pub pattern: Option<Sp<String>>,
    /// How sure its pattern is: `enforce` (the default) or `advise` (a pattern derived from
    /// prose or an example). Its presence, type, enum and lengths (the OpenAPI schema's) are
    /// always enforced.
    pub pattern_level: Option<Sp<String>>,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// An enumeration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    /// Rust type name.
    pub name: Sp<String>,
    /// One line.
    pub doc: Option<String>,
    /// Who sends it.
    pub direction: Direction,
    /// Where it comes from.
    pub source: Option<Source>,
    /// The documented values.
    pub values: Vec<EnumValueDef>,
}

/// One documented enum value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueDef {
    /// The wire value.
    pub value: Sp<String>,
    /// One line.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// An allowed order status change.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// From this status.
    pub from: Sp<String>,
    /// To this status.
    pub to: Sp<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// What a merchant should do after an error code: the spec's `retry:` values, and the type
/// the runtime classifies PayerMax's answers with (`payermax_runtime::RetryClass` is this one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryClass {
    /// A temporary condition: resend the same request (same `outTradeNo`) after back-off, with a
    /// fresh `requestTime` and signature. Spec name `transient`.
    Transient,
    /// Fix the data or the account configuration first, then resend with the same `outTradeNo`.
    /// Spec name `fix_then_resend`.
    FixThenResend,
    /// Do not resend: query the order or wait for the notification. Spec name `do_not_resend`.
    DoNotResend,
    /// The order failed for good; another attempt needs a new `outTradeNo`. Spec name
    /// `order_failure`.
    OrderFailure,
    /// The outcome is not known yet: query the order. Spec name `query`.
    Query,
    /// The reference does not say, or the code is not in the table. Spec name `unknown`.
    Unknown,
}

impl RetryClass {
    /// All classes, in declaration order.
    pub const ALL: [RetryClass; 6] = [
        RetryClass::Transient,
        RetryClass::FixThenResend,
        RetryClass::DoNotResend,
        RetryClass::OrderFailure,
        RetryClass::Query,
        RetryClass::Unknown,
    ];

    /// Reads the spec spelling (`transient`, `fix_then_resend`, `do_not_resend`,
    /// `order_failure`, `query`, `unknown`); `None` for anything else.
    pub fn from_spec_name(name: &str) -> Option<RetryClass> {
        RetryClass::ALL.into_iter().find(|c| c.spec_name() == name)
    }

    /// The spec spelling, e.g. `fix_then_resend`.
    pub fn spec_name(self) -> &'static str {
        match self {
            RetryClass::Transient => "transient",
            RetryClass::FixThenResend => "fix_then_resend",
            RetryClass::DoNotResend => "do_not_resend",
            RetryClass::OrderFailure => "order_failure",
            RetryClass::Query => "query",
            RetryClass::Unknown => "unknown",
        }
    }

    /// What to do, in a sentence.
    pub fn advice(self) -> &'static str {
        match self {
            RetryClass::Transient => {
                "a temporary condition: send the same request again later (same outTradeNo; the SDK makes a fresh requestTime and signature)"
            }
            RetryClass::FixThenResend => {
                "fix the request data or the account configuration, then send it again with the same outTradeNo"
            }
            RetryClass::DoNotResend => {
                "do not send it again: query the order or wait for its notification"
            }
            RetryClass::OrderFailure => {
                "the order failed for good: a new attempt needs a new order with a new outTradeNo"
            }
            RetryClass::Query => "the outcome is not known yet: query the order by outTradeNo",
            RetryClass::Unknown => {
                "this code is not in the SDK's error table: for a payout, query the order before sending anything again"
            }
        }
    }
}

impl std::fmt::Display for RetryClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.spec_name())
    }
}

/// A documented error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodeDef {
    /// The code.
    pub code: Sp<String>,
    /// What it means.
    pub meaning: String,
    /// What to do.
    pub retry: RetryClass,
    /// The documented `msg`, when given.
    pub message: Option<String>,
    /// Where it comes from.
    pub source: Option<Source>,
}

/// A country file or a rail file: the payout methods of one market.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketFile {
    /// ISO 3166-1 alpha-2 code (country files).
    pub code: Option<Sp<String>>,
    /// Rail name, `SWIFT` or `SEPA` (rail files).
    pub rail: Option<Sp<String>>,
    /// Display name.
    pub name: String,
    /// Region, as PayerMax groups countries.
    pub region: Option<String>,
    /// Rail files: the countries the rail reaches (absent: not published).
    pub countries: Option<Vec<Sp<String>>>,
    /// Currencies paid out, with their precision.
    pub currencies: Vec<CurrencyDef>,
    /// Payout methods.
    pub methods: Vec<MethodDef>,
}

/// A currency and its decimal places.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyDef {
    /// ISO 4217 code.
    pub code: Sp<String>,
    /// Decimal places an amount may carry.
    pub decimals: Sp<u8>,
    /// Where it comes from.
    pub source: Source,
}

/// A payout method of a market.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodDef {
    /// Unique in the file, snake_case.
    pub id: Sp<String>,
    /// `paymentMethodType`.
    #[serde(rename = "type")]
    pub method_type: Sp<String>,
    /// Currency paid out.
    pub currency: Sp<String>,
    /// `clearingRail` this method needs.
    pub clearing_rail: Option<Sp<String>>,
    /// `targetOrg` rules.
    pub target_org: Option<TargetOrgDef>,
    /// Amount limits, in `currency`.
    pub amount: Option<AmountLimits>,
    /// Payee types accepted.
    pub payee_types: Option<Vec<Sp<String>>>,
    /// Arrival time, free text.
    pub arrival: Option<String>,
    /// Free text.
    pub note: Option<String>,
    /// Where it comes from.
    pub source: Source,
    /// Field rules on top of the API-wide ones.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
}

/// `targetOrg` rules of a method.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetOrgDef {
    /// Must be sent (absent: not stated).
    pub required: Option<bool>,
    /// Known organisation codes.
    #[serde(default)]
    pub values: Vec<Sp<String>>,
    /// The list is complete; only then is it enforced.
    #[serde(default)]
    pub complete: bool,
    /// Per-organisation amount limits.
    #[serde(default)]
    pub limits: BTreeMap<String, AmountLimits>,
    /// Free text.
    pub note: Option<String>,
}

/// Amount bounds as decimal strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountLimits {
    /// Inclusive minimum.
    pub min: Option<Sp<String>>,
    /// Inclusive maximum.
    pub max: Option<Sp<String>>,
    /// Free text.
    pub note: Option<String>,
}

/// A field rule of a method.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Path relative to the payout request's `data`.
    pub field: Sp<String>,
    /// Must be sent.
    pub required: Option<bool>,
    /// Anchored regular expression.
    pub pattern: Option<Sp<String>>,
    /// Minimum length in characters.
    pub min_len: Option<Sp<u32>>,
    /// Maximum length in characters.
    pub max_len: Option<Sp<u32>>,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub one_of: Option<Vec<Sp<String>>>,
    /// A named check (`iban`).
    pub check: Option<Sp<String>>,
    /// How sure the rule is: `enforce` (the default) or `advise` (violations are warnings).
    pub level: Option<Sp<String>>,
    /// The named check's own level, when it differs from the rule's (a standard's check on a
    /// field whose other rules are guesses); defaults to `level`.
    pub check_level: Option<Sp<String>>,
    /// Free text.
    pub note: Option<String>,
    /// Where it comes from.
    pub source: Source,
}
