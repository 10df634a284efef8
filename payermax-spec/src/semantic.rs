//! Semantic checks after parsing, all reported together: undefined types, invalid regexes,
//! rules on paths the payout request does not have, duplicates, undeclared enum values,
//! file names that disagree with their country code, methods without currency precision,
//! unknown named checks.

use crate::checks::NamedCheck;
use crate::diag::{Diagnostic, closest};
use crate::model::{AmountLimits, ApiFile, MarketFile, RuleDef, TypeDef};
use crate::pattern::Pattern;
use crate::plan::Target;
use crate::sp::{Pos, Sp};
use crate::validate::Level;
use crate::{Market, Spec};
use regex::Regex;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::str::FromStr;

/// Primitive field types.
pub const PRIMITIVES: [&str; 5] = ["string", "integer", "amount", "boolean", "number"];
/// The enum whose values are `paymentMethodType`s.
pub const METHOD_TYPE_ENUM: &str = "PaymentMethodType";
/// The enum whose values are `clearingRail`s.
pub const CLEARING_RAIL_ENUM: &str = "ClearingRail";
/// The enum whose values are `payeeType`s.
pub const PAYEE_TYPE_ENUM: &str = "PayeeType";
/// The enum whose values are order statuses.
pub const STATUS_ENUM: &str = "PayoutStatus";
/// The api name of the payout call; country rules name paths of its request.
pub const PAYOUT_API: &str = "paymentOrderPay";
/// The api name of element validation: same body as the payout, fields not sent not checked.
pub const FIELD_VALIDATION_API: &str = "paymentFieldValidation";

struct Ctx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    patterns: HashMap<String, Pattern>,
    /// Each currency's decimal places, and the file that first gave them.
    decimals: HashMap<String, (u8, String)>,
    /// The API's types by number (names and kinds only): rule paths are resolved in them as
    /// the plan resolves them (`plan::lower::resolve`), so a path the checker accepts is one
    /// both executors read.
    types: Vec<crate::plan::TypePlan>,
}

impl Ctx<'_> {
    fn err(&mut self, file: &str, pos: Pos, msg: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::new(file, pos, msg);
        self.diags.push(match hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }

    fn pattern(&mut self, file: &str, p: &Sp<String>) {
        if self.patterns.contains_key(p.as_str()) {
            return;
        }
        match Regex::new(p) {
            Ok(re) => {
                if !(p.starts_with('^') && p.ends_with('$')) {
                    self.err(
                        file,
                        p.pos,
                        format!("pattern `{}` is not anchored", p.value),
                        Some("write it as `^...$` so it matches the whole value".into()),
                    );
                }
                self.patterns.insert(p.value.clone(), Pattern::new(re));
            }
            Err(e) => {
                let text = e.to_string();
                let detail = text
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches("error: ")
                    .to_owned();
                self.err(
                    file,
                    p.pos,
                    format!("invalid regex `{}`: {detail}", p.value),
                    Some(
                        "patterns use Rust `regex` syntax (no look-around, no back-references)"
                            .into(),
                    ),
                );
            }
        }
    }
}

fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Runs every check, adds problems to `diags`, and returns the spec (valid only if none were added).
pub(crate) fn check(
    api: ApiFile,
    api_file: String,
    countries: Vec<Market>,
    rails: Vec<Market>,
    disk_files: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Spec {
    let mut cx = Ctx {
        diags,
        patterns: HashMap::new(),
        decimals: HashMap::new(),
        types: crate::plan::lower::type_plans(&api, &|_| None),
    };
    check_api(&mut cx, &api, &api_file);
    let mut seen = HashMap::new();
    for m in &countries {
        check_market(&mut cx, &api, m, false, &mut seen);
    }
    let mut seen_rails = HashMap::new();
    for m in &rails {
        check_market(&mut cx, &api, m, true, &mut seen_rails);
    }
    Spec {
        plan: crate::plan::lower::lower(&api, &countries, &rails, &cx.patterns),
        api,
        api_file,
        countries,
        rails,
        disk_files,
    }
}

/// What generated code names after the spec must compile: every name converts to a Rust
/// identifier, no two collide once converted, none takes a name `generate!()` uses itself, and
/// the shapes codegen relies on hold (one endpoint per request type, no empty enum, the
/// payout's idempotency key is `outTradeNo`).
fn check_rust_names(cx: &mut Ctx, api: &ApiFile, file: &str) {
    use crate::names::{CLIENT_METHODS, GENERATED_ITEMS, camel_name, is_identifier, snake_name};
    let mut items = HashMap::new();
    for name in api
        .types
        .iter()
        .map(|t| &t.name)
        .chain(api.enums.iter().map(|e| &e.name))
    {
        let rust = camel_name(name);
        let unusable =
            (!is_identifier(&rust) || GENERATED_ITEMS.contains(&rust.as_str())).then(|| {
                format!(
                    "use ASCII letters, digits and `_`; `{}` are generated items",
                    GENERATED_ITEMS.join("`, `")
                )
            });
        let scope = Scope {
            noun: "",
            of: String::new(),
            becomes: "the Rust type ",
        };
        rust_name(cx, file, name, rust, unusable, &scope, &mut items);
    }
    for t in &api.types {
        let mut fields = HashMap::new();
        let scope = Scope {
            noun: "field",
            of: format!(" of `{}`", t.name.value),
            becomes: "",
        };
        for f in &t.fields {
            let rust = snake_name(&f.name);
            let unusable = if t.keep_unknown && rust == "extra" {
                Some(
                    "`extra` holds the unknown fields of a `keep_unknown` type; rename the field"
                        .into(),
                )
            } else {
                (!is_identifier(&rust)).then(|| {
                    "use ASCII letters, digits and `_` (not `self`, `super` or `crate`)".into()
                })
            };
            rust_name(cx, file, &f.name, rust, unusable, &scope, &mut fields);
        }
    }
    for e in &api.enums {
        if e.values.is_empty() {
            cx.err(
                file,
                e.name.pos,
                format!("enum `{}` has no values", e.name.value),
                Some("list its values, or use `type: string`".into()),
            );
        }
        let mut values = HashMap::new();
        let scope = Scope {
            noun: "value",
            of: format!(" of `{}`", e.name.value),
            becomes: "the variant ",
        };
        for v in &e.values {
            let rust = camel_name(&v.value);
            let unusable = if e.direction.received() && rust == "Unknown" {
                Some("an enum PayerMax sends has an `Unknown(String)` variant for values not listed; rename the value".into())
            } else {
                (!is_identifier(&rust)).then(|| "use ASCII letters, digits and `_`".into())
            };
            rust_name(cx, file, &v.value, rust, unusable, &scope, &mut values);
        }
    }
    // The generated `Payout` carries the status as this enum, read from what PayerMax sends.
    match api.enums.iter().find(|e| e.name.value == STATUS_ENUM) {
        Some(e) if !e.direction.received() => cx.err(
            file,
            e.name.pos,
            format!("enum `{STATUS_ENUM}` is read from PayerMax's answers, so it cannot be `direction: request`"),
            Some("use `direction: response` or `both`".into()),
        ),
        Some(_) => {}
        None => cx.err(
            file,
            Pos { line: 1, column: 1 },
            format!("no enum `{STATUS_ENUM}`: the generated `Payout` reports the order's status with it"),
            Some("declare it under `enums:` with PENDING, SUCCESS, FAILED, BOUNCEBACK".into()),
        ),
    }
    let mut requests: HashMap<&str, &Sp<String>> = HashMap::new();
    let fn_names: BTreeSet<&str> = api.endpoints.iter().map(|e| e.fn_name.as_str()).collect();
    for ep in &api.endpoints {
        let f = &ep.fn_name;
        let generated = ["_idempotent", "_stream"]
            .iter()
            .map(|suffix| format!("{}{suffix}", f.value))
            .find(|n| fn_names.contains(n.as_str()));
        if snake_name(f) != f.value || !is_identifier(f) || CLIENT_METHODS.contains(&f.as_str()) {
            cx.err(
                file,
                f.pos,
                format!(
                    "fn_name `{}` cannot name a method of the generated Client",
                    f.value
                ),
                Some(format!(
                    "use snake_case (`{}`), not one of `{}`",
                    snake_name(f),
                    CLIENT_METHODS.join("`, `")
                )),
            );
        } else if let Some(n) = generated {
            cx.err(
                file,
                f.pos,
                format!(
                    "fn_name `{}` would generate `{n}`, which another endpoint is called",
                    f.value
                ),
                Some("rename one".into()),
            );
        }
        if let Some(first) = requests.insert(ep.request.as_str(), &ep.api_name) {
            cx.err(
                file,
                ep.request.pos,
                format!(
                    "`{}` is also the request type of `{}`: each endpoint needs a request type of its own",
                    ep.request.value, first.value
                ),
                Some("declare a type for this endpoint (it may have the same fields)".into()),
            );
        }
        // (A key that is no field of the request is reported by `check_api` already.)
        let is_field = |key: &str| {
            api.types
                .iter()
                .find(|t| t.name.value == ep.request.value)
                .is_some_and(|t| t.fields.iter().any(|f| f.name.value == key))
        };
        if let Some(key) = &ep.idempotency_key
            && key.value != "outTradeNo"
            && is_field(key)
        {
            cx.err(
                file,
                key.pos,
                format!(
                    "idempotency_key `{}`: the SDK resolves payouts by `outTradeNo` only",
                    key.value
                ),
                Some("PayerMax's idempotency key is `outTradeNo` (reference §5.3)".into()),
            );
        }
    }
}

/// Where a spec name lives, for messages: "field `a` of `T` becomes `a`".
struct Scope {
    /// `field`, `value`, or empty for a type.
    noun: &'static str,
    /// ` of `T``, or empty.
    of: String,
    /// What the Rust name is, with a trailing space (`the variant `), or empty.
    becomes: &'static str,
}

/// Refuses `name`'s Rust name `rust` when `unusable` (the hint) says it cannot be used, or
/// when another name of the same scope (`seen`) became the same Rust name.
fn rust_name<'a>(
    cx: &mut Ctx,
    file: &str,
    name: &'a Sp<String>,
    rust: String,
    unusable: Option<String>,
    scope: &Scope,
    seen: &mut HashMap<String, &'a Sp<String>>,
) {
    let Scope { noun, of, becomes } = scope;
    let space = if noun.is_empty() { "" } else { " " };
    if let Some(hint) = unusable {
        cx.err(
            file,
            name.pos,
            format!(
                "{noun}{space}`{}`{of} becomes {becomes}`{rust}`, which generated code cannot use",
                name.value
            ),
            Some(hint),
        );
    } else if let Some(first) = seen.insert(rust.clone(), name)
        && first.value != name.value
    {
        let plural = if noun.is_empty() { "" } else { "s" };
        cx.err(
            file,
            name.pos,
            format!(
                "{noun}{plural}{space}`{}` and `{}` (line {}){of} both become {becomes}`{rust}`",
                name.value, first.value, first.pos.line
            ),
            Some("rename one".into()),
        );
    }
}

fn names_of(api: &ApiFile) -> BTreeSet<&str> {
    api.types
        .iter()
        .map(|t| t.name.as_str())
        .chain(api.enums.iter().map(|e| e.name.as_str()))
        .collect()
}

fn check_api(cx: &mut Ctx, api: &ApiFile, file: &str) {
    let mut names: HashMap<&str, Pos> = HashMap::new();
    for name in api
        .types
        .iter()
        .map(|t| &t.name)
        .chain(api.enums.iter().map(|e| &e.name))
    {
        if let Some(first) = names.insert(name.as_str(), name.pos) {
            cx.err(
                file,
                name.pos,
                format!(
                    "duplicate type `{}` (first defined at line {})",
                    name.value, first.line
                ),
                Some("type and enum names share one namespace; rename one".into()),
            );
        }
    }
    let known = names_of(api);
    for t in &api.types {
        check_type(cx, api, file, t, &known);
    }
    check_rust_names(cx, api, file);
    for e in &api.enums {
        let mut values = HashMap::new();
        for v in &e.values {
            if let Some(first) = values.insert(v.value.as_str(), v.value.pos) {
                cx.err(
                    file,
                    v.value.pos,
                    format!(
                        "duplicate value `{}` in enum `{}` (first at line {})",
                        v.value.value, e.name.value, first.line
                    ),
                    None,
                );
            }
        }
    }
    let type_ref = |cx: &mut Ctx, name: &Sp<String>, what: &str| {
        if !api.types.iter().any(|t| t.name.value == name.value) {
            let hint = did_you_mean(name, api.types.iter().map(|t| t.name.as_str()));
            cx.err(
                file,
                name.pos,
                format!("{what} `{}` is not a defined type", name.value),
                hint,
            );
        }
    };
    let mut api_names = HashMap::new();
    let mut fn_names = HashMap::new();
    for ep in &api.endpoints {
        if api_names.insert(ep.api_name.as_str(), ()).is_some() {
            cx.err(
                file,
                ep.api_name.pos,
                format!("duplicate endpoint `{}`", ep.api_name.value),
                None,
            );
        }
        if fn_names.insert(ep.fn_name.as_str(), ()).is_some() {
            cx.err(
                file,
                ep.fn_name.pos,
                format!("duplicate fn_name `{}`", ep.fn_name.value),
                None,
            );
        }
        type_ref(cx, &ep.request, "request type");
        match &ep.response {
            // A primitive `data` (putRfiMaterialList answers a boolean).
            Some(r) if PRIMITIVES.contains(&r.as_str()) && r.as_str() != "amount" => {}
            Some(r) => type_ref(cx, r, "response type"),
            None => {}
        }
        if let (Some(key), Some(req)) = (
            &ep.idempotency_key,
            api.types.iter().find(|t| t.name.value == ep.request.value),
        ) {
            if !req.fields.iter().any(|f| f.name.value == key.value) {
                let hint = did_you_mean(key, req.fields.iter().map(|f| f.name.as_str()));
                cx.err(
                    file,
                    key.pos,
                    format!(
                        "idempotency key `{}` is not a field of `{}`",
                        key.value, req.name.value
                    ),
                    hint,
                );
            }
        }
    }
    for ep in &api.endpoints {
        if let Some(other) = &ep.resolve_with {
            if !api
                .endpoints
                .iter()
                .any(|e| e.api_name.value == other.value)
            {
                let hint = did_you_mean(other, api.endpoints.iter().map(|e| e.api_name.as_str()));
                cx.err(
                    file,
                    other.pos,
                    format!("resolve_with `{}` is not an endpoint", other.value),
                    hint,
                );
            }
            if ep.idempotency_key.is_none() {
                cx.err(
                    file,
                    other.pos,
                    "resolve_with needs an idempotency_key to query by",
                    None,
                );
            }
        }
    }
    for t in [&api.envelope.request_type, &api.envelope.response_type]
        .into_iter()
        .flatten()
    {
        type_ref(cx, t, "envelope type");
    }
    type_ref(cx, &api.notification.ty, "notification type");
    let mut kinds = HashMap::from([("Payout".to_owned(), api.notification.ty.pos)]);
    for other in &api.notification.others {
        type_ref(cx, &other.ty, "notification type");
        let variant = crate::names::camel_name(&other.name);
        if !crate::names::is_identifier(&other.name) || variant != other.name.as_str() {
            cx.err(
                file,
                other.name.pos,
                format!(
                    "notification name `{}` must be an UpperCamelCase identifier (it is a variant of the generated `Notice`)",
                    other.name.value
                ),
                Some(format!("write `{variant}`")),
            );
        } else if let Some(first) = kinds.insert(variant, other.name.pos) {
            cx.err(
                file,
                other.name.pos,
                format!(
                    "notification `{}` is defined twice (first at line {}; `Payout` is the payout notification's)",
                    other.name.value, first.line
                ),
                None,
            );
        }
        if let Some(body) = api.types.iter().find(|t| t.name.value == other.ty.value)
            && let Err((segment, hint)) = notice_field(api, body, other.when.field.as_str())
        {
            cx.err(
                file,
                other.when.field.pos,
                format!(
                    "`{}` is not a field of notification type `{}` (no `{segment}`)",
                    other.when.field.value, other.ty.value
                ),
                hint,
            );
        }
    }
    if let Some(t) = &api.notification.ack_type {
        type_ref(cx, t, "acknowledgement type");
    }
    let statuses: Vec<&str> = enum_values(api, STATUS_ENUM);
    for tr in &api.status_transitions {
        for s in [&tr.from, &tr.to] {
            if !statuses.contains(&s.as_str()) {
                let hint = did_you_mean(s, statuses.iter().copied());
                cx.err(
                    file,
                    s.pos,
                    format!("`{}` is not a value of enum `{STATUS_ENUM}`", s.value),
                    hint,
                );
            }
        }
    }
    let mut codes = HashMap::new();
    for c in &api.error_codes {
        if let Some(first) = codes.insert(c.code.as_str(), c.code.pos) {
            cx.err(
                file,
                c.code.pos,
                format!(
                    "duplicate error code `{}` (first at line {})",
                    c.code.value, first.line
                ),
                None,
            );
        }
    }
}

fn check_type(cx: &mut Ctx, api: &ApiFile, file: &str, t: &TypeDef, known: &BTreeSet<&str>) {
    let mut fields = HashMap::new();
    for f in &t.fields {
        if let Some(first) = fields.insert(f.name.as_str(), f.name.pos) {
            cx.err(
                file,
                f.name.pos,
                format!(
                    "duplicate field `{}` in type `{}` (first at line {})",
                    f.name.value, t.name.value, first.line
                ),
                None,
            );
        }
        if !PRIMITIVES.contains(&f.ty.as_str()) && !known.contains(f.ty.as_str()) {
            let hint = did_you_mean(
                &f.ty,
                PRIMITIVES.iter().copied().chain(known.iter().copied()),
            )
            .or_else(|| {
                Some("use string, integer, amount, or a type or enum defined in this file".into())
            });
            cx.err(
                file,
                f.ty.pos,
                format!("field `{}` has unknown type `{}`", f.name.value, f.ty.value),
                hint,
            );
        }
        if let Some(p) = &f.pattern {
            cx.pattern(file, p);
        }
        len_bounds(cx, file, f.min_len.as_ref(), f.max_len.as_ref());
        // A field's level is its pattern's (the schema's lengths are PayerMax's own).
        let level = level_of(cx, file, f.pattern_level.as_ref());
        match (&f.pattern, &f.pattern_level) {
            (Some(_), _) if level == Level::Enforce => {
                let sources = f.source.as_ref().map_or(&[][..], |s| s.as_slice());
                let what = format!("the pattern of field `{}`", f.name.value);
                let at = (file, f.name.pos);
                basis(cx, api, at, &what, sources, (false, "pattern_level"));
            }
            (None, Some(l)) => cx.err(
                file,
                l.pos,
                format!(
                    "field `{}` has a pattern_level but no pattern",
                    f.name.value
                ),
                Some("remove pattern_level, or add `pattern:`".into()),
            ),
            _ => {}
        }
    }
}

/// The level `name` gives (`enforce` when absent); an unknown name is an error at its place.
fn level_of(cx: &mut Ctx, file: &str, name: Option<&Sp<String>>) -> Level {
    let Some(name) = name else {
        return Level::Enforce;
    };
    Level::from_name(name).unwrap_or_else(|| {
        let names = ["enforce", "advise"];
        let hint = did_you_mean(name, names).or_else(|| {
            Some(
                "`enforce`: PayerMax states it or a standard does; `advise`: an example or a guess"
                    .into(),
            )
        });
        cx.err(
            file,
            name.pos,
            format!("unknown level `{}`", name.value),
            hint,
        );
        Level::Enforce
    })
}

/// Whether a source names PayerMax's own material: a `sources:` entry (or a source written
/// out) pointing at PayerMax's documentation sites or its official repositories.
fn is_payermax(api: &ApiFile, source: &str) -> bool {
    const PAYERMAX: [&str; 3] = [
        "payermax.com",
        "github.com/payermax-all/",
        "github.com/shareit-payermax/",
    ];
    let text = api.sources.get(source).map_or(source, String::as_str);
    PAYERMAX.iter().any(|p| text.contains(p))
}

/// An enforced rule (`what`, at `file`:`pos`) must rest on PayerMax's word or a standard
/// (`standard_only`: on a standard, as a named check's format does); `attr` is the level
/// attribute that would make it advisory.
fn basis(
    cx: &mut Ctx,
    api: &ApiFile,
    (file, pos): (&str, Pos),
    what: &str,
    sources: &[String],
    (standard_only, attr): (bool, &str),
) {
    let standard = sources.iter().any(|s| api.standards.contains_key(s));
    let payermax = sources.iter().any(|s| is_payermax(api, s));
    if standard || (payermax && !standard_only) {
        return;
    }
    let cited = if sources.is_empty() {
        "no source".to_owned()
    } else {
        format!("only {}", sources.join(", "))
    };
    let (needs, hint) = if standard_only {
        (
            "a standard",
            format!(
                "cite the standard the check implements (a `standards:` key of the API file, e.g. ISO-13616), or write `{attr}: advise`"
            ),
        )
    } else {
        (
            "a PayerMax source or a standard",
            format!(
                "cite a PayerMax page or file (a `sources:` key naming docs.payermax.com or PayerMax's repositories) or a `standards:` key; if no such source states it, write `{attr}: advise`"
            ),
        )
    };
    cx.err(
        file,
        pos,
        format!("{what} is enforced but cites {cited}: an enforced rule needs {needs}"),
        Some(hint),
    );
}

/// `min_len` must not exceed `max_len`.
fn len_bounds(cx: &mut Ctx, file: &str, min: Option<&Sp<u32>>, max: Option<&Sp<u32>>) {
    if let (Some(min), Some(max)) = (min, max) {
        if min.value > max.value {
            let message = format!(
                "min_len {} is greater than max_len {}",
                min.value, max.value
            );
            cx.err(file, min.pos, message, None);
        }
    }
}

/// The values of enum `name` (empty when it is not defined).
pub fn enum_values<'a>(api: &'a ApiFile, name: &str) -> Vec<&'a str> {
    api.enums
        .iter()
        .find(|e| e.name.value == name)
        .map(|e| e.values.iter().map(|v| v.value.as_str()).collect())
        .unwrap_or_default()
}

fn check_market(
    cx: &mut Ctx,
    api: &ApiFile,
    m: &Market,
    rail: bool,
    seen: &mut HashMap<String, String>,
) {
    let file = m.file.as_str();
    let def = &m.def;
    let Some(code) = check_identity(cx, file, def, rail) else {
        return;
    };
    if let Some(first) = seen.insert(code.value.clone(), file.to_owned()) {
        cx.err(
            file,
            code.pos,
            format!(
                "duplicate {} `{}` (also in {first})",
                if rail { "rail" } else { "country" },
                code.value
            ),
            Some("each country or rail is described by exactly one file".into()),
        );
    }
    if let Some(list) = &def.countries {
        for c in list {
            if !is_country_code(c) {
                cx.err(
                    file,
                    c.pos,
                    format!("`{}` is not an ISO 3166-1 alpha-2 code", c.value),
                    Some("two upper-case letters; quote `'NO'`".into()),
                );
            }
        }
    }
    let mut currencies: HashMap<&str, u8> = HashMap::new();
    for c in &def.currencies {
        if currencies
            .insert(c.code.as_str(), c.decimals.value)
            .is_some()
        {
            cx.err(
                file,
                c.code.pos,
                format!("duplicate currency `{}`", c.code.value),
                None,
            );
        }
        // `Currency::decimals()` has one answer per currency.
        let first = cx
            .decimals
            .entry(c.code.value.clone())
            .or_insert_with(|| (c.decimals.value, file.to_owned()))
            .clone();
        if first.0 != c.decimals.value {
            cx.err(
                file,
                c.decimals.pos,
                format!(
                    "{} has {} decimal places here and {} in {}",
                    c.code.value, c.decimals.value, first.0, first.1
                ),
                Some("a currency has one precision (reference §11); make them agree".into()),
            );
        }
        if c.code.len() != 3 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
            cx.err(
                file,
                c.code.pos,
                format!("`{}` is not an ISO 4217 currency code", c.code.value),
                None,
            );
        }
        if c.decimals.value > 4 {
            cx.err(
                file,
                c.decimals.pos,
                format!("{} decimal places for {}", c.decimals.value, c.code.value),
                Some("currencies use 0 to 3 decimal places".into()),
            );
        }
    }
    let method_types = enum_values(api, METHOD_TYPE_ENUM);
    let rails_enum = enum_values(api, CLEARING_RAIL_ENUM);
    let payee_types = enum_values(api, PAYEE_TYPE_ENUM);
    let payout_type = api
        .endpoints
        .iter()
        .find(|e| e.api_name.value == PAYOUT_API)
        .and_then(|e| {
            api.types
                .iter()
                .position(|t| t.name.value == e.request.value)
        });
    let mut ids = HashMap::new();
    for method in &def.methods {
        if ids.insert(method.id.as_str(), ()).is_some() {
            cx.err(
                file,
                method.id.pos,
                format!("duplicate method `{}`", method.id.value),
                Some("method ids are unique within a file".into()),
            );
        }
        if !is_snake(&method.id) {
            cx.err(
                file,
                method.id.pos,
                format!("method id `{}` is not snake_case", method.id.value),
                Some("use lower-case letters, digits and `_`".into()),
            );
        }
        value_in(
            cx,
            file,
            &method.method_type,
            &method_types,
            METHOD_TYPE_ENUM,
        );
        if let Some(r) = &method.clearing_rail {
            value_in(cx, file, r, &rails_enum, CLEARING_RAIL_ENUM);
        }
        for p in method.payee_types.iter().flatten() {
            value_in(cx, file, p, &payee_types, PAYEE_TYPE_ENUM);
        }
        let decimals = match currencies.get(method.currency.as_str()) {
            Some(d) => Some(*d),
            None => {
                cx.err(
                    file,
                    method.currency.pos,
                    format!(
                        "method `{}` pays in {} but the file gives no precision for it",
                        method.id.value, method.currency.value
                    ),
                    Some(format!(
                        "add `- {{code: {}, decimals: N, source: ...}}` under `currencies:`",
                        method.currency.value
                    )),
                );
                None
            }
        };
        if let Some(limits) = &method.amount {
            check_limits(cx, file, limits, decimals);
        }
        if let Some(org) = &method.target_org {
            for (name, limits) in &org.limits {
                // An entry with neither bound has no position of its own: the method's.
                let pos = limits
                    .min
                    .as_ref()
                    .or(limits.max.as_ref())
                    .map_or(method.id.pos, |s| s.pos);
                if limits.min.is_none() && limits.max.is_none() {
                    cx.err(
                        file,
                        pos,
                        format!("limits for `{name}` give neither `min` nor `max`"),
                        Some("give a bound, or remove the entry".into()),
                    );
                }
                if !org.values.iter().any(|v| v.value == *name) {
                    cx.err(
                        file,
                        pos,
                        format!(
                            "limits for `{name}`, which is not among the method's target_org values"
                        ),
                        None,
                    );
                }
                check_limits(cx, file, limits, decimals);
            }
        }
        let mut rule_fields = HashMap::new();
        for rule in &method.rules {
            if let Some(first) = rule_fields.insert(rule.field.as_str(), rule.field.pos) {
                cx.err(
                    file,
                    rule.field.pos,
                    format!(
                        "duplicate rule for `{}` in method `{}` (first at line {})",
                        rule.field.value, method.id.value, first.line
                    ),
                    Some("merge the two rules into one".into()),
                );
            }
            if let Some(root) = payout_type {
                check_rule(cx, api, file, root, rule);
            }
        }
    }
}

fn check_identity<'a>(
    cx: &mut Ctx,
    file: &str,
    def: &'a MarketFile,
    rail: bool,
) -> Option<&'a Sp<String>> {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_owned();
    let (key, other) = if rail {
        (&def.rail, &def.code)
    } else {
        (&def.code, &def.rail)
    };
    if let Some(o) = other {
        let msg = if rail {
            "a rail file takes `rail:`, not `code:`"
        } else {
            "a country file takes `code:`, not `rail:`"
        };
        cx.err(file, o.pos, msg, Some("list rail files under `rails:` and country files under `countries:` in the root file".into()));
    }
    let Some(code) = key else {
        let msg = if rail {
            "rail file has no `rail:`"
        } else {
            "country file has no `code:`"
        };
        cx.err(file, Pos { line: 1, column: 1 }, msg, None);
        return None;
    };
    if !rail && !is_country_code(code) {
        cx.err(
            file,
            code.pos,
            format!("`{}` is not an ISO 3166-1 alpha-2 code", code.value),
            Some("two upper-case letters, e.g. `BR`; quote `'NO'`".into()),
        );
    }
    // The rail names a module of `payee` (`payee::sepa`).
    if rail && !crate::names::is_identifier(&code.to_ascii_lowercase()) {
        cx.err(
            file,
            code.pos,
            format!("rail `{}` cannot name a Rust module", code.value),
            Some("use ASCII letters, digits and `_`, e.g. `SEPA_INST`".into()),
        );
    }
    if !stem.eq_ignore_ascii_case(code) {
        cx.err(
            file,
            code.pos,
            format!("file `{stem}.yaml` describes `{}`", code.value),
            Some(format!(
                "name the file `{}.yaml`, or fix the code",
                code.to_ascii_lowercase()
            )),
        );
    }
    Some(code)
}

fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_snake(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn value_in(cx: &mut Ctx, file: &str, v: &Sp<String>, allowed: &[&str], enum_name: &str) {
    if !allowed.contains(&v.as_str()) {
        let hint = did_you_mean(v, allowed.iter().copied())
            .or_else(|| Some(format!("one of: {}", allowed.join(", "))));
        cx.err(
            file,
            v.pos,
            format!("`{}` is not a value of enum `{enum_name}`", v.value),
            hint,
        );
    }
}

fn check_limits(cx: &mut Ctx, file: &str, limits: &AmountLimits, decimals: Option<u8>) {
    let mut parsed = [None, None];
    for (slot, bound) in parsed.iter_mut().zip([&limits.min, &limits.max]) {
        let Some(b) = bound else { continue };
        // Plain non-negative decimals only (`'0.01'`, `'5000'`): the other forms `Decimal`
        // reads (`'+5'`, `'1_000'`, `'.5'`, `'-1'`) are not what PayerMax writes, and generated
        // validators compare the digits as written.
        let value = Some(b.as_str())
            .filter(|v| crate::validate::is_decimal(v))
            .and_then(|v| Decimal::from_str(v).ok());
        match value {
            Some(d) => {
                if let Some(places) = decimals {
                    if d.normalize().scale() > u32::from(places) {
                        cx.err(
                            file,
                            b.pos,
                            format!(
                                "amount `{}` has more decimal places than the currency's {places}",
                                b.value
                            ),
                            None,
                        );
                    }
                }
                *slot = Some(d);
            }
            None => cx.err(
                file,
                b.pos,
                format!("`{}` is not a decimal amount", b.value),
                Some("write amounts as quoted decimals, e.g. '0.01'".into()),
            ),
        }
    }
    if let [Some(min), Some(max)] = parsed {
        if min > max {
            let pos = limits.min.as_ref().map(|s| s.pos).unwrap_or_default();
            cx.err(
                file,
                pos,
                format!("minimum {min} is greater than maximum {max}"),
                None,
            );
        }
    }
}

fn check_rule(cx: &mut Ctx, api: &ApiFile, file: &str, root: usize, rule: &RuleDef) {
    let segments: Vec<&str> = rule.field.split('.').collect();
    let resolved = crate::plan::lower::resolve(&cx.types, root, &segments);
    // The field the path ends at (in the model, by the plan's numbers).
    let model = |step: &crate::plan::Step| api.types.get(step.ty)?.fields.get(step.field);
    let field = resolved.chain.last().and_then(model);
    if resolved.target == Target::Absent {
        // Where it stops: the segment after the last that resolved, and what was there.
        let segment = segments
            .get(resolved.chain.len())
            .copied()
            .unwrap_or_default();
        let last = resolved
            .chain
            .last()
            .and_then(|s| cx.types.get(s.ty)?.fields.get(s.field));
        let names = |ty: usize| -> Vec<String> {
            cx.types
                .get(ty)
                .map(|t| t.fields.iter().map(|f| f.name.clone()).collect())
                .unwrap_or_default()
        };
        let (candidates, under): (Vec<String>, Option<&str>) = match last {
            None => (names(root), None),
            Some(f) if f.list => (
                Vec::new(),
                Some("a list: rules cannot reach into its items"),
            ),
            Some(f) => match f.kind {
                crate::plan::Kind::Object(inner) => (names(inner), None),
                _ => (Vec::new(), None),
            },
        };
        // A type on the way that is not defined is reported on its own.
        let undefined = field.is_some_and(|f| {
            !PRIMITIVES.contains(&f.ty.as_str())
                && !api.types.iter().any(|t| t.name.value == f.ty.value)
                && !api.enums.iter().any(|e| e.name.value == f.ty.value)
        });
        if !undefined {
            let hint = match under {
                Some(what) => Some(format!(
                    "`{}` is {what}",
                    segments.get(..resolved.chain.len()).unwrap_or_default().join(".")
                )),
                None => did_you_mean(segment, candidates.iter().map(String::as_str))
                    .map(|h| format!("{h} (paths are relative to the `data` of `{PAYOUT_API}`)"))
                    .or_else(|| Some(format!("paths are relative to the `data` of `{PAYOUT_API}`, e.g. `payeeInfo.accountInfo.accountNo`"))),
            };
            cx.err(
                file,
                rule.field.pos,
                format!(
                    "rule on `{}`, which the payout request does not have (no `{segment}`)",
                    rule.field.value
                ),
                hint,
            );
        }
    }
    let field = field.filter(|_| resolved.target != Target::Absent);
    if resolved.target == Target::Object {
        let extra = rule.pattern.is_some()
            || rule.min_len.is_some()
            || rule.max_len.is_some()
            || rule.one_of.is_some()
            || rule.check.is_some();
        if extra {
            cx.err(
                file,
                rule.field.pos,
                format!(
                    "`{}` is an object: a rule on it can only say `required`",
                    rule.field.value
                ),
                Some("put format rules on its fields".into()),
            );
        }
    }
    if let Some(p) = &rule.pattern {
        cx.pattern(file, p);
    }
    len_bounds(cx, file, rule.min_len.as_ref(), rule.max_len.as_ref());
    if let (Some(values), Some(field)) = (&rule.one_of, field) {
        let declared = enum_values(api, &field.ty);
        if api.enums.iter().any(|e| e.name.value == field.ty.value) {
            for v in values {
                value_in(cx, file, v, &declared, &field.ty);
            }
        }
    }
    let level = level_of(cx, file, rule.level.as_ref());
    let what = format!("rule on `{}`", rule.field.value);
    if level == Level::Enforce {
        let at = (file, rule.field.pos);
        basis(cx, api, at, &what, rule.source.as_slice(), (false, "level"));
    }
    if let Some(check_level) = &rule.check_level {
        if rule.check.is_none() {
            cx.err(
                file,
                check_level.pos,
                format!("{what} has a check_level but no check"),
                Some("remove check_level, or add `check:`".into()),
            );
        }
    }
    let check_level = match &rule.check_level {
        Some(_) => level_of(cx, file, rule.check_level.as_ref()),
        None => level,
    };
    if rule.check.is_some() && check_level == Level::Enforce {
        let what = format!("the check of the {what}");
        let at = (file, rule.field.pos);
        basis(
            cx,
            api,
            at,
            &what,
            rule.source.as_slice(),
            (true, "check_level"),
        );
    }
    if let Some(check) = &rule.check {
        if NamedCheck::from_name(check).is_none() {
            let names = NamedCheck::ALL.map(NamedCheck::name);
            let hint = did_you_mean(check, names.iter().copied())
                .or_else(|| Some(format!("one of: {}", names.join(", "))));
            cx.err(
                file,
                check.pos,
                format!("unknown check `{}`", check.value),
                hint,
            );
        }
    }
}

/// Walks a dotted path (`data.businessType`) through object types: `Err` names the first
/// segment that is not a field, with a did-you-mean.
fn notice_field(
    api: &ApiFile,
    body: &crate::model::TypeDef,
    path: &str,
) -> Result<(), (String, Option<String>)> {
    let mut ty = Some(body);
    for segment in path.split('.') {
        let Some(t) = ty else {
            return Err((segment.to_owned(), None));
        };
        let Some(field) = t.fields.iter().find(|f| f.name.as_str() == segment) else {
            let hint = did_you_mean(segment, t.fields.iter().map(|f| f.name.as_str()));
            return Err((segment.to_owned(), hint));
        };
        ty = api.types.iter().find(|t| t.name.value == field.ty.value);
    }
    Ok(())
}
