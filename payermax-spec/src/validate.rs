//! The rule interpreter: validates a payout request's `data` against the API-wide field rules
//! and the rules of its country (or rail) and payment method.
//!
//! Reports are flat, ordered lists of [`Violation`]s (sorted by JSON path; for one path, in rule
//! order), each with a stable code, the rule's parameters and an English message. The sandbox
//! and the CLI use this interpreter; generated validators must produce identical reports.
//!
//! Tolerant choices where the reference is unsure, each documented where it is made:
//! - an empty string counts as absent (PayerMax treats blank fields as not sent);
//! - a `targetOrg` list is only enforced when the spec marks it `complete`;
//! - amount limits and per-organisation limits apply only when `trade.currency` is the method's
//!   currency (limits are stated in the destination currency);
//! - a country the spec does not describe gets the API-wide rules only: PayerMax pays out to
//!   more countries than the public pages document; so does a payment method type the API
//!   declares that a described country's file does not list (a clearing rail refuses it, and
//!   an undeclared type is refused everywhere);
//! - fields the API does not declare are not processed (as PayerMax does for element validation).

use crate::Spec;
use crate::doc::{Doc, Node, lookup_segments};
use crate::plan::{FieldPlan, Kind, Lengths, MarketPlan, MethodPlan, Plan, SELECTORS, Unlisted};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use smallvec::SmallVec;
use std::fmt;
use std::str::FromStr;

/// One violated rule: what both rule executors, the typed API (`ValidationErrors`), the
/// sandbox and the CLI report (one type; `payermax_runtime::Violation` is this one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    /// JSON path relative to the request's `data`, e.g. `payeeInfo.accountInfo.accountNo`.
    pub path: String,
    /// Stable code: `required`, `type`, `max_length`, `min_length`, `pattern`, `enum`, `check`,
    /// `amount_format`, `amount_precision`, `amount_min`, `amount_max`, `method_unavailable`,
    /// `country_not_in_rail`, `payee_type`.
    pub code: &'static str,
    /// The rule's parameters, in rule order (`max` → `64`).
    pub params: Vec<(&'static str, String)>,
    /// What is wrong, in English, without the path.
    pub message: String,
    /// How sure the rule is: an [`Level::Enforce`] violation blocks sending, an
    /// [`Level::Advise`] one is a warning.
    pub level: Level,
}

/// How much a rule can be trusted, from its source: what a violation of it does.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// PayerMax states it, or an international standard every bank applies (IBAN per
    /// ISO 13616, BIC per ISO 9362): a request that breaks it is not sent.
    #[default]
    Enforce,
    /// Derived from an example, an ambiguous page, or a guess: PayerMax may accept what breaks
    /// it, so a violation is a warning (reported with its path) and never blocks sending.
    Advise,
}

impl Level {
    /// `enforce` or `advise`, as the spec writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Enforce => "enforce",
            Level::Advise => "advise",
        }
    }

    /// The level the spec calls `name`.
    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "enforce" => Some(Level::Enforce),
            "advise" => Some(Level::Advise),
            _ => None,
        }
    }

    /// For serde's `skip_serializing_if`: the default is left out of the plan's JSON.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
    pub(crate) fn is_enforce(&self) -> bool {
        *self == Level::Enforce
    }
}

impl Violation {
    /// A violation without parameters, of an enforced rule.
    pub fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Violation {
            path: path.into(),
            code,
            params: Vec::new(),
            message: message.into(),
            level: Level::Enforce,
        }
    }

    /// An advisory violation (a warning) never blocks sending.
    pub fn is_advisory(&self) -> bool {
        self.level == Level::Advise
    }

    /// An `amount_precision` violation that a merchant's agreed precision allows: `agreed`
    /// gives the decimal places agreed for a currency (Jordan's dinar: 3 by arrangement, where
    /// the spec gives the default 2).
    pub fn within_agreed_decimals(&self, agreed: &dyn Fn(&str) -> Option<u8>) -> bool {
        self.code == "amount_precision"
            && self
                .param("currency")
                .and_then(agreed)
                .zip(self.param("scale").and_then(|s| s.parse::<u8>().ok()))
                .is_some_and(|(places, scale)| scale <= places)
    }

    /// Adds a parameter.
    pub fn with_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    /// The value of parameter `name`, if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// As JSON: `{"path", "code", "params": {..}, "message", "level"}`.
    pub fn to_json(&self) -> Value {
        let params: Map<String, Value> = self
            .params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
            .collect();
        serde_json::json!({
            "path": self.path, "code": self.code, "params": params, "message": self.message,
            "level": self.level.name(),
        })
    }
}

impl fmt::Display for Violation {
    /// `path: message`, and `(advisory)` after a warning's message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if self.is_advisory() {
            f.write_str(" (advisory)")?;
        }
        Ok(())
    }
}

/// The answer in the shape of `paymentFieldValidation`'s response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldReport {
    /// `PASS` when no field failed, else `PARAMS_INVALID`.
    pub validation_code: &'static str,
    /// Sent fields that belong to the method's rule set and passed.
    pub passed: Vec<String>,
    /// Sent fields that the API knows but the method's rule set does not use.
    pub ignored: Vec<String>,
    /// Sent fields that failed: (path, message).
    pub failed: Vec<(String, String)>,
    /// Advisory violations of fields in the rule set: not part of PayerMax's answer (which has
    /// no warnings); the SDK and the sandbox's log show them.
    pub warnings: Vec<Violation>,
}

/// Whether absent required fields are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A payout: every required field must be there.
    Payout,
    /// Element validation: fields not sent are not checked.
    Fields,
}

/// The method a request selects, and the market it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// The country or rail.
    pub market: &'a MarketPlan,
    /// The method.
    pub method: &'a MethodPlan,
}

/// Objects with at most this many declared fields are read in one pass over their sent fields
/// (into slots on the stack), larger ones by name.
const SLOTS: usize = 64;

/// One step of a JSON path: a field, and the item's index inside it for a list.
#[derive(Clone, Copy)]
struct Seg<'a> {
    name: &'a str,
    index: Option<usize>,
}

impl<'a> Seg<'a> {
    fn field(name: &'a str) -> Self {
        Seg { name, index: None }
    }
}

/// The path to the value being checked, rendered only when a violation needs it. Types nest a
/// few levels deep, so it stays on the stack: a valid request is checked without allocating.
struct PathBuf<'a> {
    parts: SmallVec<[Seg<'a>; 8]>,
}

impl PathBuf<'_> {
    fn new() -> Self {
        PathBuf {
            parts: SmallVec::new(),
        }
    }

    fn render(&self, last: Seg<'_>) -> String {
        use std::fmt::Write as _;
        let parts = || self.parts.iter().chain(std::iter::once(&last));
        // One allocation: names, dots, and room for a few list indices.
        let len: usize = parts()
            .map(|p| p.name.len() + 1 + p.index.map_or(0, |_| 8))
            .sum();
        let mut s = String::with_capacity(len);
        for p in parts() {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(p.name);
            if let Some(i) = p.index {
                let _ = write!(s, "[{i}]");
            }
        }
        s
    }
}

/// The fields that select a method and that its rules read, read once per request.
#[derive(Clone, Copy)]
struct Keys<'v> {
    country: Option<&'v str>,
    clearing_rail: Option<&'v str>,
    method_type: Option<&'v str>,
    target_org: Option<&'v str>,
    payee_type: Option<&'v str>,
    amount: Option<&'v str>,
    currency: Option<&'v str>,
    destination_currency: Option<&'v str>,
}

impl<'v> Keys<'v> {
    fn read(data: &'v dyn Doc) -> Self {
        let field = |parent: Node<'v>, name: &str| match parent {
            Node::Obj(d) => d.get(name),
            _ => Node::Absent,
        };
        let text = |node: Node<'v>| match node {
            Node::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        };
        let (payee, trade) = (data.get("payeeInfo"), data.get("trade"));
        Keys {
            country: text(data.get("country")),
            clearing_rail: text(data.get("clearingRail")),
            method_type: text(field(payee, "paymentMethodType")),
            target_org: text(field(payee, "targetOrg")),
            payee_type: text(field(payee, "payeeType")),
            amount: text(field(trade, "amount")),
            currency: text(field(trade, "currency")),
            destination_currency: text(data.get("destinationCurrency")),
        }
    }
}

/// The violation code of a method type the country or rail does not offer (the sandbox
/// answers `PAYMENT_METHOD_NOT_EXIST`).
pub const METHOD_UNAVAILABLE: &str = "method_unavailable";

/// The violation code of an organisation sent with a country that lists no method of its type
/// while another country's method lists it (the sandbox answers `PAYMENT_METHOD_NOT_EXIST`).
pub const ORG_ELSEWHERE: &str = "org_elsewhere";

/// One exactly sized `String` from `&str` pieces: messages are built for every violation, and
/// `format!` costs several times more.
macro_rules! cat {
    // A `match` keeps the pieces' temporaries (number buffers) alive while they are copied.
    ($($part:expr),+ $(,)?) => {
        match [$(<str as AsRef<str>>::as_ref($part)),+] {
            parts => {
                let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
                for p in parts {
                    s.push_str(p);
                }
                s
            }
        }
    };
}

/// "{prefix}BR REALTIME_PAYMENT (pix){suffix}" for `method`.
fn around(method: &MethodPlan, prefix: &str, suffix: &str) -> String {
    cat!(prefix, &method.what, suffix)
}

impl Spec {
    /// A hash of the API-wide field rules (types, fields, enums), stable across targets
    /// ([`crate::plan::Plan::fingerprint`]). Types that `generate!()` emitted carry the
    /// fingerprint of the spec they came from ([`Doc::generated_as`]); the interpreter takes
    /// their shortcuts only when it matches its own.
    pub fn api_fingerprint(&self) -> u64 {
        self.plan.fingerprint
    }

    /// Validates a payout request's `data`: every violated rule, in a stable order
    /// ([`Plan::validate_payout`]).
    pub fn validate_payout(&self, data: &dyn Doc) -> Vec<Violation> {
        self.plan.validate_payout(data)
    }

    /// Validates like `paymentFieldValidation` ([`Plan::validate_sent_fields`]).
    pub fn validate_sent_fields(&self, data: &dyn Doc) -> Vec<Violation> {
        self.plan.validate_sent_fields(data)
    }

    /// The API-wide field rules of one type ([`Plan::validate_type`]).
    pub fn validate_type(&self, type_name: &str, data: &dyn Doc) -> Vec<Violation> {
        self.plan.validate_type(type_name, data)
    }

    /// Answers like `paymentFieldValidation` ([`Plan::field_report`]).
    pub fn field_report(&self, data: &dyn Doc) -> FieldReport {
        self.plan.field_report(data)
    }

    /// The country or rail method a request selects ([`Plan::select`]).
    pub fn select(&self, data: &dyn Doc) -> Result<Option<Selection<'_>>, Violation> {
        self.plan.select(data)
    }
}

impl Plan {
    /// Validates a payout request's `data`: every violated rule, in a stable order.
    pub fn validate_payout(&self, data: &dyn Doc) -> Vec<Violation> {
        self.validate_as(data, Mode::Payout)
    }

    /// Validates like `paymentFieldValidation`: fields not sent are not checked.
    pub fn validate_sent_fields(&self, data: &dyn Doc) -> Vec<Violation> {
        self.validate_as(data, Mode::Fields)
    }

    /// Validates `data` against the API-wide field rules of type `type_name` only (no country
    /// rules): for requests other than the payout and element validation.
    pub fn validate_type(&self, type_name: &str, data: &dyn Doc) -> Vec<Violation> {
        let mut out = Vec::new();
        if let Some(ty) = self.types.iter().position(|t| t.name == type_name) {
            if !data.is_object() {
                out.push(Violation::new(
                    "",
                    "type",
                    "the request data must be a JSON object",
                ));
                return out;
            }
            self.walk(ty, data, &mut PathBuf::new(), Mode::Payout, &mut out);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Answers like `paymentFieldValidation`: passed, ignored and failed fields. A sent field
    /// outside the selected method's rule set (and not one that selects it) is ignored
    /// whatever its value (reference §4, rules of evaluation); an advisory violation fails
    /// nothing (PayerMax may accept the value) and is kept in [`FieldReport::warnings`].
    pub fn field_report(&self, data: &dyn Doc) -> FieldReport {
        let (warnings, errors): (Vec<Violation>, Vec<Violation>) = self
            .validate_sent_fields(data)
            .into_iter()
            .partition(Violation::is_advisory);
        let selection = self.select(data).ok().flatten();
        let in_set = |path: &str| {
            SELECTORS.contains(&path)
                || selection.is_some_and(|s| {
                    s.method.rules.iter().any(|r| {
                        self.path(r.path)
                            .is_some_and(|p| path.starts_with(p.text.as_str()))
                    })
                })
        };
        let mut report = FieldReport::default();
        let mut sent = Vec::new();
        if let Some(root) = self.payout {
            self.sent_leaves(root, data, &mut PathBuf::new(), &mut sent);
        }
        for path in sent {
            if !in_set(&path) {
                report.ignored.push(path);
            } else if let Some(v) = errors.iter().find(|v| v.path == path) {
                report.failed.push((path, v.message.clone()));
            } else {
                report.passed.push(path);
            }
        }
        for v in &errors {
            if !report.failed.iter().any(|(p, _)| *p == v.path)
                && !report.ignored.contains(&v.path)
                && v.code != "required"
            {
                report.failed.push((v.path.clone(), v.message.clone()));
            }
        }
        report.warnings = warnings
            .into_iter()
            .filter(|v| !report.ignored.contains(&v.path))
            .collect();
        report.validation_code = if report.failed.is_empty() {
            "PASS"
        } else {
            "PARAMS_INVALID"
        };
        report
    }

    fn sent_leaves<'a>(
        &'a self,
        ty: usize,
        value: &dyn Doc,
        path: &mut PathBuf<'a>,
        out: &mut Vec<String>,
    ) {
        let Some(def) = self.types.get(ty) else {
            return;
        };
        for field in &def.fields {
            let v = value.get(field.name.as_str());
            if v.is_absent() {
                continue;
            }
            match (field.kind, v) {
                (Kind::Object(inner), Node::Obj(obj)) if !field.list => {
                    path.parts.push(Seg::field(&field.name));
                    self.sent_leaves(inner, obj, path, out);
                    path.parts.pop();
                }
                _ => out.push(path.render(Seg::field(&field.name))),
            }
        }
    }

    fn validate_as(&self, data: &dyn Doc, mode: Mode) -> Vec<Violation> {
        let mut out = Vec::new();
        if let Some(root) = self.payout {
            if !data.is_object() {
                out.push(Violation::new(
                    "",
                    "type",
                    "the request data must be a JSON object",
                ));
                return out;
            }
            self.walk(root, data, &mut PathBuf::new(), mode, &mut out);
        }
        let keys = Keys::read(data);
        match self.select_by(&keys, mode) {
            Ok(Some(sel)) => self.method_rules(sel, data, &keys, mode, &mut out),
            Ok(None) => {}
            Err(v) => out.push(v),
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Checks the fields of `obj` against type `ty` (an index in the plan's types).
    fn walk<'a>(
        &'a self,
        ty: usize,
        obj: &dyn Doc,
        path: &mut PathBuf<'a>,
        mode: Mode,
        out: &mut Vec<Violation>,
    ) {
        let Some(def) = self.types.get(ty) else {
            return;
        };
        // A struct generated from these very rules, of this very type, is read by position
        // (JSON by name), and has nothing to report when its generated walk passes.
        let indexed = obj.generated_as() == Some((self.fingerprint, def.name.as_str()));
        if indexed && obj.fields_ok(mode == Mode::Payout) == Some(true) {
            return;
        }
        // JSON: one pass over the sent fields (a handful, where the type declares dozens)
        // instead of a lookup by name per declared field; fields the API does not declare are
        // passed over, as ever.
        // (Filled only when read: a generated type is read by position.)
        let mut storage: Option<[Node<'_>; SLOTS]> = None;
        let slots = if !indexed && def.fields.len() <= SLOTS {
            let slots = storage.insert([Node::Absent; SLOTS]);
            obj.each_field(&mut |name, node| {
                if let Some(slot) = def.field_number(name).and_then(|i| slots.get_mut(i)) {
                    *slot = node;
                }
            })
            .then_some(&*slots)
        } else {
            None
        };
        for (i, field) in def.fields.iter().enumerate() {
            let v = if indexed {
                obj.field_at(i)
            } else if let Some(slots) = slots {
                slots.get(i).copied().unwrap_or(Node::Absent)
            } else {
                obj.get(field.name.as_str())
            };
            let name = Seg::field(&field.name);
            if v.is_absent() {
                if field.required && mode == Mode::Payout {
                    out.push(Violation::new(path.render(name), "required", "is required"));
                }
                continue;
            }
            if field.list {
                let Node::List(items) = v else {
                    out.push(Violation::new(
                        path.render(name),
                        "type",
                        "must be an array",
                    ));
                    continue;
                };
                for i in 0..items.len() {
                    let item = Seg {
                        index: Some(i),
                        ..name
                    };
                    self.value(field, items.item(i), item, path, mode, out);
                }
            } else {
                self.value(field, v, name, path, mode, out);
            }
        }
    }

    fn value<'a>(
        &'a self,
        field: &'a FieldPlan,
        v: Node<'_>,
        name: Seg<'a>,
        path: &mut PathBuf<'a>,
        mode: Mode,
        out: &mut Vec<Violation>,
    ) {
        let kind = field.kind;
        match kind {
            Kind::Object(inner) => {
                if let Node::Obj(obj) = v {
                    path.parts.push(name);
                    self.walk(inner, obj, path, mode, out);
                    path.parts.pop();
                } else {
                    out.push(Violation::new(
                        path.render(name),
                        "type",
                        "must be an object",
                    ));
                }
                return;
            }
            // The JSON scalars other than strings: only their type is checked.
            Kind::Integer | Kind::Boolean | Kind::Number => {
                let (ok, message) = match kind {
                    Kind::Integer => (matches!(v, Node::Int(_)), "must be an integer"),
                    Kind::Boolean => (matches!(v, Node::Bool), "must be true or false"),
                    _ => (matches!(v, Node::Int(_) | Node::Num), "must be a number"),
                };
                if !ok {
                    out.push(Violation::new(path.render(name), "type", message));
                }
                return;
            }
            Kind::Enum(_) | Kind::Amount | Kind::Text => {}
        }
        let Node::Str(s) = v else {
            out.push(Violation::new(
                path.render(name),
                "type",
                "must be a string",
            ));
            return;
        };
        if kind == Kind::Amount && !is_decimal(s) {
            out.push(
                Violation::new(
                    path.render(name),
                    "amount_format",
                    cat!("`", s, "` is not a decimal amount such as 10 or 10.50"),
                )
                .with_param("value", s),
            );
        }
        if let Some(e) = match kind {
            Kind::Enum(e) => self.enums.get(e),
            _ => None,
        } {
            if !e.lenient && !e.values.iter().any(|x| x == s) {
                let allowed = e.values.join(", ");
                out.push(
                    Violation::new(
                        path.render(name),
                        "enum",
                        cat!("`", s, "` is not one of: ", &allowed),
                    )
                    .with_param("allowed", e.values.join(",")),
                );
            }
        }
        length_rules(s, field.len, &|| path.render(name), None, out);
        if let Some(p) = &field.pattern {
            if !p.is_match(s) {
                let mut v = Violation::new(
                    path.render(name),
                    "pattern",
                    cat!("does not match `", &p.source, "`"),
                )
                .with_param("pattern", p.source.clone());
                v.level = field.pattern_level;
                out.push(v);
            }
        }
    }

    /// The country or rail method a request selects. `Ok(None)`: the country is not in the
    /// spec (API-wide rules only) or the selecting fields are missing (reported elsewhere).
    pub fn select(&self, data: &dyn Doc) -> Result<Option<Selection<'_>>, Violation> {
        self.select_by(&Keys::read(data), Mode::Payout)
    }

    /// `mode`: element validation (`Mode::Fields`) checks only what was sent, so a rail-only
    /// country's missing `clearingRail` is left to the payout.
    fn select_by(&self, keys: &Keys<'_>, mode: Mode) -> Result<Option<Selection<'_>>, Violation> {
        let Some(country) = keys.country else {
            return Ok(None);
        };
        let Some(method_type) = keys.method_type else {
            return Ok(None);
        };
        let rail = keys.clearing_rail.and_then(|r| self.rail(r));
        let market = match rail {
            Some(rail) => {
                if let Some(list) = &rail.reach {
                    if !list.iter().any(|c| c == country) {
                        return Err(Violation::new(
                            "country",
                            "country_not_in_rail",
                            format!("{} does not reach {country}", rail.key),
                        )
                        .with_param("rail", rail.key.as_str()));
                    }
                }
                rail
            }
            None => match self.country(country) {
                Some(m) => m,
                None => {
                    // A country the spec knows only as a rail's (SEPA's DE) is paid through
                    // that rail: without `clearingRail` no rule set applies and even a broken
                    // IBAN would pass. (A `clearingRail` the spec does not describe, LOCAL, is
                    // the merchant's contracted route: not checked.)
                    let rails = self.rails_reaching(country);
                    if mode == Mode::Payout && keys.clearing_rail.is_none() && !rails.is_empty() {
                        return Err(Violation::new(
                            "clearingRail",
                            "required",
                            cat!(
                                "is required for ",
                                country,
                                ": PayerMax pays it through ",
                                &rails.join(" or ")
                            ),
                        )
                        .with_param("rails", rails.join(",")));
                    }
                    return Ok(None);
                }
            },
        };
        if let Some(method) = market
            .select(method_type, keys.target_org)
            .and_then(|i| market.methods.get(i))
        {
            return Ok(Some(Selection { market, method }));
        }
        // A country's file lists the methods PayerMax documents for it, and that list is not
        // known to be complete (payee-rules.md §0, §10: CARRIER_BILLING and ATM_CARD have
        // rules but no country page lists them): another type the API declares gets the
        // API-wide rules only. A type the API does not declare (a typo: the enum takes unknown
        // values, as PayerMax may add some) and any other type on a rail (a bank-transfer
        // route) are refused.
        //
        // But an organisation the spec knows from another country's method of the type (EG
        // WALLET's MEEZA sent with country MX) says the country is wrong: refused, naming
        // where the organisation belongs.
        if market.unlisted == Unlisted::DeclaredPass && self.declares_method_type(method_type) {
            let elsewhere = keys
                .target_org
                .map(|o| self.org_listed_by(method_type, o))
                .unwrap_or_default();
            if let (Some(org), false) = (keys.target_org, elsewhere.is_empty()) {
                return Err(Violation::new(
                    "payeeInfo.targetOrg",
                    ORG_ELSEWHERE,
                    cat!(
                        org,
                        " is an organisation of ",
                        &elsewhere.join(", "),
                        "; ",
                        &market.key,
                        " offers no ",
                        method_type,
                        " payouts (is country right?)"
                    ),
                )
                .with_param("methods", elsewhere.join(",")));
            }
            return Ok(None);
        }
        let mut offered: Vec<&str> = market
            .methods
            .iter()
            .map(|m| m.method_type.as_str())
            .collect();
        offered.dedup();
        Err(Violation::new(
            "payeeInfo.paymentMethodType",
            METHOD_UNAVAILABLE,
            format!(
                "{} offers no {method_type} payouts (offered: {})",
                market.key,
                offered.join(", ")
            ),
        )
        .with_param("offered", offered.join(",")))
    }

    fn method_rules(
        &self,
        sel: Selection<'_>,
        data: &dyn Doc,
        keys: &Keys<'_>,
        mode: Mode,
        out: &mut Vec<Violation>,
    ) {
        let Selection { market, method } = sel;
        if let Some(org) = &method.org {
            match keys.target_org {
                None if org.required && mode == Mode::Payout => {
                    out.push(Violation::new(
                        "payeeInfo.targetOrg",
                        "required",
                        around(method, "is required for ", ""),
                    ));
                }
                // `select_by` fell back to the first method of the type: no method of it lists
                // `o`. Refused only when every one of them has a complete list, naming all
                // their organisations (BR WALLET: MERCADOPAGO and PAGBANK).
                Some(o) if org.refuse_unlisted && !org.values.iter().any(|v| v == o) => {
                    let allowed = org.allowed.join(", ");
                    out.push(
                        Violation::new(
                            "payeeInfo.targetOrg",
                            "enum",
                            cat!("`", o, "` is not one of: ", &allowed),
                        )
                        .with_param("allowed", org.allowed.join(",")),
                    );
                }
                _ => {}
            }
        }
        if let Some(types) = &method.payee_types {
            let t = keys.payee_type.unwrap_or("PERSONAL");
            if !types.iter().any(|x| x == t) {
                out.push(
                    Violation::new(
                        "payeeInfo.payeeType",
                        "payee_type",
                        format!(
                            "{} does not pay {t} payees (only {})",
                            method.what,
                            types.join(", ")
                        ),
                    )
                    .with_param("allowed", types.join(",")),
                );
            }
        }
        currency_rule(market, keys, out);
        amount_rules(market, method, keys, out);
        for rule in &method.rules {
            let Some(rule_path) = self.path(rule.path) else {
                continue;
            };
            let path = rule_path.text.as_str();
            let v = lookup_segments(data, rule_path.segments.iter().map(String::as_str));
            let missing = match v {
                Node::Obj(d) => !d.any_present(),
                other => other.is_absent(),
            };
            let found = out.len();
            if missing {
                if rule.required && mode == Mode::Payout {
                    out.push(Violation::new(
                        path,
                        "required",
                        around(method, "is required for ", ""),
                    ));
                }
                at_level(out, found, rule.level);
                continue;
            }
            let Node::Str(s) = v else {
                continue;
            };
            length_rules(s, rule.len, &|| path.to_owned(), Some(method), out);
            if let Some(p) = &rule.pattern {
                if !p.is_match(s) {
                    out.push(
                        Violation::new(
                            path,
                            "pattern",
                            around(method, &cat!("does not match `", &p.source, "` for "), ""),
                        )
                        .with_param("pattern", p.source.clone()),
                    );
                }
            }
            if let Some(values) = &rule.one_of {
                if !values.iter().any(|x| x == s) {
                    out.push(
                        Violation::new(
                            path,
                            "enum",
                            cat!("`", s, "` is not one of: ", &values.join(", ")),
                        )
                        .with_param("allowed", values.join(",")),
                    );
                }
            }
            at_level(out, found, rule.level);
            if let Some(check) = rule.check {
                if let Err(failure) = check.check(s) {
                    let mut v = Violation::new(path, "check", failure.message().to_owned())
                        .with_param("check", check.name())
                        .with_param("reason", failure.code());
                    v.level = rule.check_level;
                    out.push(v);
                }
            }
        }
    }
}

/// Gives the violations found since `from` a rule's level (they are made enforced).
fn at_level(out: &mut [Violation], from: usize, level: Level) {
    if level != Level::Enforce {
        for v in out.iter_mut().skip(from) {
            v.level = level;
        }
    }
}

/// The payout's currency is one the market pays out in (its `currencies:`, from PayerMax's
/// supported-currency page and method pages): a Mexico bank transfer in `BRL` is refused.
///
/// Trades in another currency exist (PayerMax converts them: reference §9.1, and its test page
/// speaks of non-local-currency trades), so a request that says what the payee receives,
/// `destinationCurrency`, may trade in any currency; then `destinationCurrency` is the one
/// checked. A market that lists no currencies is not checked.
fn currency_rule(market: &MarketPlan, keys: &Keys<'_>, out: &mut Vec<Violation>) {
    let (path, currency) = match (keys.destination_currency, keys.currency) {
        (Some(d), _) => ("destinationCurrency", d),
        (None, Some(c)) => ("trade.currency", c),
        (None, None) => return,
    };
    if market.pays_in(currency) {
        return;
    }
    let listed: Vec<&str> = market.decimals.iter().map(|(c, _)| c.as_str()).collect();
    let hint = if path == "trade.currency" {
        cat!(
            " (to pay a ",
            currency,
            " amount converted by PayerMax, send destinationCurrency ",
            listed.first().copied().unwrap_or_default(),
            ")"
        )
    } else {
        String::new()
    };
    out.push(
        Violation::new(
            path,
            "currency",
            cat!(
                &market.key,
                " pays out in ",
                &listed.join(", "),
                ", not ",
                currency,
                &hint
            ),
        )
        .with_param("allowed", listed.join(",")),
    );
}

fn amount_rules(
    market: &MarketPlan,
    method: &MethodPlan,
    keys: &Keys<'_>,
    out: &mut Vec<Violation>,
) {
    let (Some(amount), Some(currency)) = (keys.amount, keys.currency) else {
        return;
    };
    if !is_decimal(amount) {
        return; // reported by the API-wide amount format rule
    }
    let Ok(value) = Decimal::from_str(amount) else {
        return;
    };
    if let Some(places) = market.decimals(currency) {
        let scale = amount.split_once('.').map_or(0, |(_, frac)| frac.len());
        if scale > usize::from(places) {
            out.push(
                Violation::new(
                    "trade.amount",
                    "amount_precision",
                    cat!(
                        "has ",
                        itoa::Buffer::new().format(scale),
                        " decimal places; ",
                        currency,
                        " allows ",
                        itoa::Buffer::new().format(places),
                    ),
                )
                .with_param("decimals", places.to_string())
                .with_param("currency", currency)
                .with_param("scale", scale.to_string()),
            );
        }
    }
    if currency != method.currency {
        return;
    }
    let org_limits = keys.target_org.and_then(|o| {
        method
            .org_limits
            .iter()
            .find(|(org, _)| org == o)
            .map(|(_, l)| l)
    });
    for limits in std::iter::once(&method.limits).chain(org_limits) {
        if let Some(min) = limits.min.as_ref().filter(|min| value < min.value) {
            let min = min.value.to_string();
            out.push(
                Violation::new(
                    "trade.amount",
                    "amount_min",
                    around(
                        method,
                        &cat!(
                            amount,
                            " is below the minimum ",
                            &min,
                            " ",
                            currency,
                            " for "
                        ),
                        "",
                    ),
                )
                .with_param("min", min),
            );
        }
        if let Some(max) = limits.max.as_ref().filter(|max| value > max.value) {
            let max = max.value.to_string();
            out.push(
                Violation::new(
                    "trade.amount",
                    "amount_max",
                    around(
                        method,
                        &cat!(
                            amount,
                            " is above the maximum ",
                            &max,
                            " ",
                            currency,
                            " for "
                        ),
                        "",
                    ),
                )
                .with_param("max", max),
            );
        }
    }
}

/// The `min_len`/`max_len` rules of an API field or a country rule (`context`: the method, for
/// a message ending " for BR REALTIME_PAYMENT (pix)"). `path` is only rendered for a violation.
fn length_rules(
    s: &str,
    len: Lengths,
    path: &dyn Fn() -> String,
    context: Option<&MethodPlan>,
    out: &mut Vec<Violation>,
) {
    let count = || s.chars().count();
    // (code, parameter, comparison word) of each rule, built only for a violation.
    let mut violation = |code, param, word, bound: u32| {
        let (mut a, mut b) = (itoa::Buffer::new(), itoa::Buffer::new());
        let (n, bound) = (a.format(count()), b.format(bound));
        let message = cat!("length ", n, " is ", word, " than ", bound);
        out.push(
            Violation::new(path(), code, with_context(message, context)).with_param(param, bound),
        );
    };
    // A string has at most as many characters as bytes: count only when that can matter.
    if let Some(max) = len.max {
        if s.len() > max as usize && count() > max as usize {
            violation("max_length", "max", "greater", max);
        }
    }
    if let Some(min) = len.min {
        if count() < min as usize {
            violation("min_length", "min", "less", min);
        }
    }
}

/// `message`, then " for BR REALTIME_PAYMENT (pix)" when there is a method.
fn with_context(message: String, context: Option<&MethodPlan>) -> String {
    match context {
        Some(method) => around(method, &cat!(&message, " for "), ""),
        None => message,
    }
}

/// Digits, optionally a dot and more digits: the amount format PayerMax documents.
pub fn is_decimal(s: &str) -> bool {
    crate::fast::Decimal::parse(s).is_some()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// JSON that can only be read by name, as documents without `each_field` are (nested
    /// objects too; the wrappers leak, which a test can afford).
    struct ByName<'a>(&'a Value);

    impl Doc for ByName<'_> {
        fn get(&self, name: &str) -> Node<'_> {
            match self.0.get(name) {
                Some(v @ Value::Object(_)) => Node::Obj(Box::leak(Box::new(ByName(v)))),
                Some(v) => crate::doc::ToNode::node(v),
                None => Node::Absent,
            }
        }
        fn any_present(&self) -> bool {
            self.0.any_present()
        }
        fn is_object(&self) -> bool {
            self.0.is_object()
        }
    }

    #[test]
    fn reading_json_in_one_pass_reports_what_reading_by_name_does() {
        let spec = crate::builtin().unwrap();
        let docs = [
            serde_json::json!({
                "outTradeNo": "order_1", "country": "BR",
                "trade": {"amount": "10.50", "currency": "BRL"},
                "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                              "accountInfo": {"accountNo": "12345678901"}}
            }),
            serde_json::json!({
                "outTradeNo": "order-1!", "country": "MX", "unknown": {"x": 1},
                "trade": {"amount": "10.505", "currency": "MXN", "extra": true},
                "payeeInfo": {"paymentMethodType": "BANK_TRANSFER", "targetOrg": 7,
                              "accountInfo": {"accountNo": "", "accountType": "CLABE"},
                              "name": "not an object", "documents": {"a": 1}}
            }),
            serde_json::json!({"country": "GB", "clearingRail": "SEPA",
                               "payeeInfo": {"paymentMethodType": "BANK_TRANSFER",
                                             "accountInfo": {"accountNo": "GB00 BAD"},
                                             "bankInfo": {"bankCode": "NOTABIC"}}}),
            serde_json::json!({}),
            serde_json::json!([1, 2]),
        ];
        for doc in &docs {
            let one_pass = spec.validate_payout(doc);
            assert_eq!(spec.validate_payout(&ByName(doc)), one_pass, "{doc}");
            assert_eq!(
                spec.validate_sent_fields(&ByName(doc)),
                spec.validate_sent_fields(doc),
                "{doc}"
            );
            assert!(doc == &docs[0] || !one_pass.is_empty(), "{doc}");
        }
    }

    #[test]
    fn length_messages_name_the_method_when_there_is_one() {
        let spec = crate::builtin().unwrap();
        let method = &spec.plan.country("BR").unwrap().methods[0];
        let (min, max) = (Some(4), Some(2));
        let mut out = Vec::new();
        let path = || "payeeInfo.accountInfo.accountNo".to_owned();
        length_rules("abc", Lengths { min, max }, &path, Some(method), &mut out);
        length_rules("é", Lengths { min, max: None }, &path, None, &mut out);
        let messages: Vec<&str> = out.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "length 3 is greater than 2 for BR REALTIME_PAYMENT (pix)",
                "length 3 is less than 4 for BR REALTIME_PAYMENT (pix)",
                "length 1 is less than 4",
            ]
        );
        assert_eq!(out[0].params, [("max", "2".to_owned())]);
        assert_eq!(method.what, "BR REALTIME_PAYMENT (pix)");
    }

    #[test]
    fn cat_joins_its_pieces() {
        let n = 42u32;
        assert_eq!(cat!("a", "", itoa::Buffer::new().format(n), "b"), "a42b");
    }
}
