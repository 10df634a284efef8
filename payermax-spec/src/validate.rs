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

use crate::checks::NamedCheck;
use crate::doc::{Doc, Node, lookup};
use crate::model::{ApiFile, FieldDef, MethodDef, TypeDef};
use crate::pattern::Pattern;
use crate::sp::Sp;
use crate::{Market, PAYOUT_API, Spec};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use smallvec::SmallVec;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// One violated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON path relative to `data`, e.g. `payeeInfo.accountInfo.accountNo`.
    pub path: String,
    /// Stable code: `required`, `type`, `max_length`, `min_length`, `pattern`, `enum`, `check`,
    /// `amount_format`, `amount_precision`, `amount_min`, `amount_max`, `method_unavailable`,
    /// `country_not_in_rail`, `payee_type`.
    pub code: &'static str,
    /// The rule's parameters (`max` → `64`).
    pub params: Vec<(&'static str, String)>,
    /// What is wrong, in English, without the path.
    pub message: String,
}

impl Violation {
    fn new(path: impl Into<String>, code: &'static str, message: String) -> Self {
        Violation {
            path: path.into(),
            code,
            params: Vec::new(),
            message,
        }
    }

    fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    /// As JSON: `{"path", "code", "params": {..}, "message"}`.
    pub fn to_json(&self) -> Value {
        let params: Map<String, Value> = self
            .params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
            .collect();
        serde_json::json!({
            "path": self.path, "code": self.code, "params": params, "message": self.message,
        })
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
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
    pub market: &'a Market,
    /// The method.
    pub method: &'a MethodDef,
}

/// Fields that select the rule set: always part of it.
const SELECTORS: [&str; 9] = [
    "country",
    "destinationCurrency",
    "clearingRail",
    "chargeOption",
    "payeeInfo.paymentMethodType",
    "payeeInfo.targetOrg",
    "payeeInfo.accountInfo.accountNo",
    "trade.amount",
    "trade.currency",
];

/// Name lookups done once, when the spec is loaded, so that validating never searches the
/// model by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Per type (in `api.types` order), per field (in order): what the field is.
    fields: Vec<Vec<FieldPlan>>,
    /// Per type: its fields by JSON name (for [`Plan::field_number`]).
    by_name: Vec<NameTable>,
    /// The payment method types the API declares ([`Spec::method_types`]), read once.
    method_types: Vec<String>,
    /// The payout request type.
    payout: Option<usize>,
    /// [`Spec::api_fingerprint`].
    fingerprint: u64,
}

/// A field's type and pattern, resolved.
#[derive(Debug, Clone)]
struct FieldPlan {
    kind: Kind,
    pattern: Option<Pattern>,
}

/// What a field's `type:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An object type (index in `api.types`).
    Object(usize),
    /// An enum (index in `api.enums`).
    Enum(usize),
    /// `integer`.
    Integer,
    /// `amount`.
    Amount,
    /// `string`.
    Text,
}

impl Plan {
    pub(crate) fn new(api: &ApiFile, patterns: &HashMap<String, Pattern>) -> Plan {
        let type_index = |name: &str| api.types.iter().position(|t| t.name.value == name);
        let kind = |field: &FieldDef| {
            if let Some(i) = type_index(&field.ty) {
                Kind::Object(i)
            } else if field.ty.value == "integer" {
                Kind::Integer
            } else if field.ty.value == "amount" {
                Kind::Amount
            } else if let Some(i) = api
                .enums
                .iter()
                .position(|e| e.name.value == field.ty.value)
            {
                Kind::Enum(i)
            } else {
                Kind::Text
            }
        };
        let payout = api
            .endpoints
            .iter()
            .find(|e| e.api_name.value == PAYOUT_API)
            .and_then(|e| type_index(&e.request));
        let plan = |field: &FieldDef| FieldPlan {
            kind: kind(field),
            pattern: field
                .pattern
                .as_ref()
                .and_then(|p| patterns.get(p.as_str()).cloned()),
        };
        let by_name = api.types.iter().map(NameTable::new).collect();
        Plan {
            fingerprint: fingerprint(api),
            by_name,
            method_types: crate::enum_values(api, crate::METHOD_TYPE_ENUM)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            fields: api
                .types
                .iter()
                .map(|t| t.fields.iter().map(plan).collect())
                .collect(),
            payout,
        }
    }
}

impl Plan {
    /// The number of `def`'s field called `name` (`def` is type number `ty`).
    fn field_number(&self, ty: usize, def: &TypeDef, name: &str) -> Option<usize> {
        self.by_name.get(ty)?.find(def, name)
    }
}

/// A type's field numbers by JSON name: open addressing over a table at least twice the
/// number of fields, so a lookup hashes the name once and compares it with one or two
/// candidates (a binary search over the names compared five or six strings). Field names are
/// unique within a type (a spec check).
#[derive(Debug, Clone)]
struct NameTable {
    /// Field number + 1, or 0 for an empty slot; the length is a power of two.
    slots: Vec<u16>,
}

impl NameTable {
    fn new(def: &TypeDef) -> Self {
        let size = (def.fields.len() * 2).max(4).next_power_of_two();
        let mut slots = vec![0u16; size];
        for (i, f) in def.fields.iter().enumerate() {
            let mut at = name_hash(&f.name) & (size - 1);
            while slots.get(at).is_some_and(|&s| s != 0) {
                at = (at + 1) & (size - 1);
            }
            if let (Some(slot), Ok(number)) = (slots.get_mut(at), u16::try_from(i + 1)) {
                *slot = number;
            }
        }
        NameTable { slots }
    }

    fn find(&self, def: &TypeDef, name: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = name_hash(name) & mask;
        loop {
            let i = usize::from(*self.slots.get(at)?).checked_sub(1)?;
            if def.fields.get(i)?.name.value == name {
                return Some(i);
            }
            at = (at + 1) & mask;
        }
    }
}

/// FNV-1a over the name's bytes: field names are short.
fn name_hash(name: &str) -> usize {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    // Truncating on 32-bit targets keeps the low bits, which are the ones masked.
    #[allow(clippy::cast_possible_truncation)]
    let h = (h ^ h >> 32) as usize;
    h
}

/// Objects with at most this many declared fields are read in one pass over their sent fields
/// (into slots on the stack), larger ones by name.
const SLOTS: usize = 64;

/// A hash of what the API-wide rules are: every type's fields with their types and rules, and
/// every enum's values. `std`'s hasher is deterministic for one toolchain, and the macro and
/// the code it generates are always built by the same one.
fn fingerprint(api: &ApiFile) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for t in &api.types {
        t.name.value.hash(&mut h);
        for f in &t.fields {
            (&f.name.value, &f.ty.value, f.list, f.required).hash(&mut h);
            let bounds = (f.min_len.as_ref(), f.max_len.as_ref());
            (bounds.0.map(|n| n.value), bounds.1.map(|n| n.value)).hash(&mut h);
            f.pattern.as_ref().map(|p| &p.value).hash(&mut h);
        }
    }
    for e in &api.enums {
        (&e.name.value, e.direction.received()).hash(&mut h);
        e.values.iter().for_each(|v| v.value.value.hash(&mut h));
    }
    h.finish()
}

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
        }
    }
}

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

/// "BR REALTIME_PAYMENT (pix)", formatted only when a message needs it.
struct What<'a>(&'a Market, &'a MethodDef);

impl What<'_> {
    /// "{prefix}BR REALTIME_PAYMENT (pix){suffix}".
    fn around(&self, prefix: &str, suffix: &str) -> String {
        let (key, ty, id) = (
            self.0.key(),
            self.1.method_type.as_str(),
            self.1.id.as_str(),
        );
        cat!(prefix, key, " ", ty, " (", id, ")", suffix)
    }
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({})",
            self.0.key(),
            self.1.method_type.value,
            self.1.id.value
        )
    }
}

impl Spec {
    /// A hash of the API-wide field rules (types, fields, enums). Types that `generate!()`
    /// emitted carry the fingerprint of the spec they came from ([`Doc::generated_as`]); the
    /// interpreter takes their shortcuts only when it matches its own.
    pub fn api_fingerprint(&self) -> u64 {
        self.plan.fingerprint
    }

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
        if let Some(ty) = self
            .api
            .types
            .iter()
            .position(|t| t.name.value == type_name)
        {
            if !data.is_object() {
                out.push(Violation::new(
                    "",
                    "type",
                    "the request data must be a JSON object".into(),
                ));
                return out;
            }
            self.walk(ty, data, &mut PathBuf::new(), Mode::Payout, &mut out);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Answers like `paymentFieldValidation`: passed, ignored and failed fields.
    pub fn field_report(&self, data: &dyn Doc) -> FieldReport {
        let violations = self.validate_sent_fields(data);
        let selection = self.select(data).ok();
        let mut report = FieldReport::default();
        let mut sent = Vec::new();
        if let Some(root) = self.payout_request_type() {
            self.sent_leaves(root, data, &mut PathBuf::new(), &mut sent);
        }
        for path in sent {
            if let Some(v) = violations.iter().find(|v| v.path == path) {
                report.failed.push((path, v.message.clone()));
            } else if SELECTORS.contains(&path.as_str())
                || selection.flatten().is_some_and(|s| {
                    s.method
                        .rules
                        .iter()
                        .any(|r| path.starts_with(r.field.as_str()))
                })
            {
                report.passed.push(path);
            } else {
                report.ignored.push(path);
            }
        }
        for v in &violations {
            if !report.failed.iter().any(|(p, _)| *p == v.path) && v.code != "required" {
                report.failed.push((v.path.clone(), v.message.clone()));
            }
        }
        report.validation_code = if report.failed.is_empty() {
            "PASS"
        } else {
            "PARAMS_INVALID"
        };
        report
    }

    fn sent_leaves<'a>(
        &'a self,
        ty: &'a TypeDef,
        value: &dyn Doc,
        path: &mut PathBuf<'a>,
        out: &mut Vec<String>,
    ) {
        for field in &ty.fields {
            let v = value.get(field.name.as_str());
            if v.is_absent() {
                continue;
            }
            match (self.type_def(&field.ty), v) {
                (Some(inner), Node::Obj(obj)) if !field.list => {
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
        if let Some(root) = self.plan.payout {
            if !data.is_object() {
                out.push(Violation::new(
                    "",
                    "type",
                    "the request data must be a JSON object".into(),
                ));
                return out;
            }
            self.walk(root, data, &mut PathBuf::new(), mode, &mut out);
        }
        let keys = Keys::read(data);
        match self.select_by(&keys) {
            Ok(Some(sel)) => self.method_rules(sel, data, &keys, mode, &mut out),
            Ok(None) => {}
            Err(v) => out.push(v),
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// Checks the fields of `obj` against type `ty` (an index in `api.types`).
    fn walk<'a>(
        &'a self,
        ty: usize,
        obj: &dyn Doc,
        path: &mut PathBuf<'a>,
        mode: Mode,
        out: &mut Vec<Violation>,
    ) {
        // The plan is built from this very model, so both lookups always succeed.
        let (Some(def), Some(plans)) = (self.api.types.get(ty), self.plan.fields.get(ty)) else {
            return;
        };
        // A struct generated from these very rules, of this very type, is read by position
        // (JSON by name), and has nothing to report when its generated walk passes.
        let indexed = obj.generated_as() == Some((self.plan.fingerprint, def.name.as_str()));
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
                if let Some(slot) = self
                    .plan
                    .field_number(ty, def, name)
                    .and_then(|i| slots.get_mut(i))
                {
                    *slot = node;
                }
            })
            .then_some(&*slots)
        } else {
            None
        };
        for (i, (field, plan)) in def.fields.iter().zip(plans).enumerate() {
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
                    out.push(Violation::new(
                        path.render(name),
                        "required",
                        "is required".into(),
                    ));
                }
                continue;
            }
            if field.list {
                let Node::List(items) = v else {
                    out.push(Violation::new(
                        path.render(name),
                        "type",
                        "must be an array".into(),
                    ));
                    continue;
                };
                for i in 0..items.len() {
                    let item = Seg {
                        index: Some(i),
                        ..name
                    };
                    self.value(field, plan, items.item(i), item, path, mode, out);
                }
            } else {
                self.value(field, plan, v, name, path, mode, out);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn value<'a>(
        &'a self,
        field: &'a FieldDef,
        plan: &FieldPlan,
        v: Node<'_>,
        name: Seg<'a>,
        path: &mut PathBuf<'a>,
        mode: Mode,
        out: &mut Vec<Violation>,
    ) {
        let kind = plan.kind;
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
                        "must be an object".into(),
                    ));
                }
                return;
            }
            Kind::Integer => {
                if !matches!(v, Node::Int(_)) {
                    out.push(Violation::new(
                        path.render(name),
                        "type",
                        "must be an integer".into(),
                    ));
                }
                return;
            }
            Kind::Enum(_) | Kind::Amount | Kind::Text => {}
        }
        let Node::Str(s) = v else {
            out.push(Violation::new(
                path.render(name),
                "type",
                "must be a string".into(),
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
                .param("value", s),
            );
        }
        if let Some(e) = match kind {
            Kind::Enum(e) => self.api.enums.get(e),
            _ => None,
        } {
            if !e.direction.received() && !e.values.iter().any(|x| x.value.value == s) {
                let allowed: Vec<&str> = e.values.iter().map(|x| x.value.as_str()).collect();
                out.push(
                    Violation::new(
                        path.render(name),
                        "enum",
                        cat!("`", s, "` is not one of: ", &allowed.join(", ")),
                    )
                    .param("allowed", allowed.join(",")),
                );
            }
        }
        let bounds = (field.min_len.as_ref(), field.max_len.as_ref());
        length_rules(s, bounds, &|| path.render(name), None, out);
        if let Some(p) = &field.pattern {
            if plan.pattern.as_ref().is_some_and(|re| !re.is_match(s)) {
                out.push(
                    Violation::new(
                        path.render(name),
                        "pattern",
                        cat!("does not match `", &p.value, "`"),
                    )
                    .param("pattern", p.value.clone()),
                );
            }
        }
    }

    /// The country or rail method a request selects. `Ok(None)`: the country is not in the
    /// spec (API-wide rules only) or the selecting fields are missing (reported elsewhere).
    pub fn select(&self, data: &dyn Doc) -> Result<Option<Selection<'_>>, Violation> {
        self.select_by(&Keys::read(data))
    }

    fn select_by(&self, keys: &Keys<'_>) -> Result<Option<Selection<'_>>, Violation> {
        let Some(country) = keys.country else {
            return Ok(None);
        };
        let Some(method_type) = keys.method_type else {
            return Ok(None);
        };
        let rail = keys.clearing_rail.and_then(|r| self.rail(r));
        let market = match rail {
            Some(rail) => {
                if let Some(list) = &rail.def.countries {
                    if !list.iter().any(|c| c.value == country) {
                        return Err(Violation::new(
                            "country",
                            "country_not_in_rail",
                            format!("{} does not reach {country}", rail.key()),
                        )
                        .param("rail", rail.key()));
                    }
                }
                rail
            }
            None => match self.country(country) {
                Some(m) => m,
                None => return Ok(None),
            },
        };
        let candidates = || {
            market
                .def
                .methods
                .iter()
                .filter(move |m| m.method_type.value == method_type)
        };
        let Some(first) = candidates().next() else {
            // A country's file lists the methods PayerMax documents for it, and that list is
            // not known to be complete (payee-rules.md §0, §10: CARRIER_BILLING and ATM_CARD
            // have rules but no country page lists them): another type the API declares gets
            // the API-wide rules only. A type the API does not declare (a typo: the enum takes
            // unknown values, as PayerMax may add some) and any other type on a rail (a
            // bank-transfer route) are refused.
            if rail.is_none() && self.plan.method_types.iter().any(|t| t == method_type) {
                return Ok(None);
            }
            let mut offered: Vec<&str> = market
                .def
                .methods
                .iter()
                .map(|m| m.method_type.as_str())
                .collect();
            offered.dedup();
            return Err(Violation::new(
                "payeeInfo.paymentMethodType",
                "method_unavailable",
                format!(
                    "{} offers no {method_type} payouts (offered: {})",
                    market.key(),
                    offered.join(", ")
                ),
            )
            .param("offered", offered.join(",")));
        };
        let by_org = keys.target_org.and_then(|o| {
            candidates().find(|m| {
                m.target_org
                    .as_ref()
                    .is_some_and(|t| t.values.iter().any(|v| v.value == o))
            })
        });
        Ok(Some(Selection {
            market,
            method: by_org.unwrap_or(first),
        }))
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
        let what = What(market, method);
        if let Some(org_rule) = &method.target_org {
            let same_type = || {
                market
                    .def
                    .methods
                    .iter()
                    .filter(|m| m.method_type.value == method.method_type.value)
            };
            match keys.target_org {
                None if org_rule.required == Some(true) && mode == Mode::Payout => {
                    out.push(Violation::new(
                        "payeeInfo.targetOrg",
                        "required",
                        what.around("is required for ", ""),
                    ));
                }
                // `select_by` fell back to the first method of the type: no method of it lists
                // `org`. Refused only when every one of them has a complete list, naming all
                // their organisations (BR WALLET: MERCADOPAGO and PAGBANK).
                Some(org)
                    if org_rule.complete
                        && !org_rule.values.iter().any(|v| v.value == org)
                        && market.org_lists_complete(&method.method_type) =>
                {
                    let mut allowed: Vec<&str> = Vec::new();
                    for v in same_type()
                        .filter_map(|m| m.target_org.as_ref())
                        .flat_map(|t| &t.values)
                    {
                        if !allowed.contains(&v.as_str()) {
                            allowed.push(v.as_str());
                        }
                    }
                    out.push(
                        Violation::new(
                            "payeeInfo.targetOrg",
                            "enum",
                            cat!("`", org, "` is not one of: ", &allowed.join(", ")),
                        )
                        .param("allowed", allowed.join(",")),
                    );
                }
                _ => {}
            }
        }
        if let Some(types) = &method.payee_types {
            let t = keys.payee_type.unwrap_or("PERSONAL");
            if !types.iter().any(|x| x.value == t) {
                let allowed: Vec<&str> = types.iter().map(|x| x.as_str()).collect();
                out.push(
                    Violation::new(
                        "payeeInfo.payeeType",
                        "payee_type",
                        format!(
                            "{what} does not pay {t} payees (only {})",
                            allowed.join(", ")
                        ),
                    )
                    .param("allowed", allowed.join(",")),
                );
            }
        }
        self.amount_rules(market, method, keys, &what, out);
        for rule in &method.rules {
            let path = rule.field.as_str();
            let v = lookup(data, path);
            let missing = match v {
                Node::Obj(d) => !d.any_present(),
                other => other.is_absent(),
            };
            if missing {
                if rule.required == Some(true) && mode == Mode::Payout {
                    out.push(Violation::new(
                        path,
                        "required",
                        what.around("is required for ", ""),
                    ));
                }
                continue;
            }
            let Node::Str(s) = v else {
                continue;
            };
            let bounds = (rule.min_len.as_ref(), rule.max_len.as_ref());
            length_rules(s, bounds, &|| path.to_owned(), Some(&what), out);
            if let Some(p) = &rule.pattern {
                if self
                    .patterns
                    .get(p.as_str())
                    .is_some_and(|re| !re.is_match(s))
                {
                    out.push(
                        Violation::new(
                            path,
                            "pattern",
                            what.around(&cat!("does not match `", &p.value, "` for "), ""),
                        )
                        .param("pattern", p.value.clone()),
                    );
                }
            }
            if let Some(values) = &rule.one_of {
                if !values.iter().any(|x| x.value == s) {
                    let allowed: Vec<&str> = values.iter().map(|x| x.as_str()).collect();
                    out.push(
                        Violation::new(
                            path,
                            "enum",
                            cat!("`", s, "` is not one of: ", &allowed.join(", ")),
                        )
                        .param("allowed", allowed.join(",")),
                    );
                }
            }
            if let Some(check) = rule.check.as_ref().and_then(|c| NamedCheck::from_name(c)) {
                if let Err(failure) = check.check(s) {
                    out.push(
                        Violation::new(path, "check", failure.message().to_owned())
                            .param("check", check.name())
                            .param("reason", failure.code()),
                    );
                }
            }
        }
    }

    fn amount_rules(
        &self,
        market: &Market,
        method: &MethodDef,
        keys: &Keys<'_>,
        what: &What<'_>,
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
                    .param("decimals", places.to_string())
                    .param("currency", currency),
                );
            }
        }
        if currency != method.currency.value {
            return;
        }
        let org_limits = method
            .target_org
            .as_ref()
            .and_then(|t| keys.target_org.and_then(|o| t.limits.get(o)));
        for limits in method.amount.iter().chain(org_limits) {
            if let Some(min) = limits.min.as_ref().and_then(|m| Decimal::from_str(m).ok()) {
                if value < min {
                    out.push(
                        Violation::new(
                            "trade.amount",
                            "amount_min",
                            what.around(
                                &cat!(
                                    amount,
                                    " is below the minimum ",
                                    &min.to_string(),
                                    " ",
                                    currency,
                                    " for "
                                ),
                                "",
                            ),
                        )
                        .param("min", min.to_string()),
                    );
                }
            }
            if let Some(max) = limits.max.as_ref().and_then(|m| Decimal::from_str(m).ok()) {
                if value > max {
                    out.push(
                        Violation::new(
                            "trade.amount",
                            "amount_max",
                            what.around(
                                &cat!(
                                    amount,
                                    " is above the maximum ",
                                    &max.to_string(),
                                    " ",
                                    currency,
                                    " for "
                                ),
                                "",
                            ),
                        )
                        .param("max", max.to_string()),
                    );
                }
            }
        }
    }
}

/// The `min_len`/`max_len` rules of an API field or a country rule (`context`: the method, for
/// a message ending " for BR REALTIME_PAYMENT (pix)"). `path` is only rendered for a violation.
fn length_rules(
    s: &str,
    (min, max): (Option<&Sp<u32>>, Option<&Sp<u32>>),
    path: &dyn Fn() -> String,
    context: Option<&What<'_>>,
    out: &mut Vec<Violation>,
) {
    let len = || s.chars().count();
    // (code, parameter, comparison word) of each rule, built only for a violation.
    let mut violation = |code, param, word, bound: u32| {
        let (mut a, mut b) = (itoa::Buffer::new(), itoa::Buffer::new());
        let (len, bound) = (a.format(len()), b.format(bound));
        let message = cat!("length ", len, " is ", word, " than ", bound);
        out.push(Violation::new(path(), code, with_context(message, context)).param(param, bound));
    };
    // A string has at most as many characters as bytes: count only when that can matter.
    if let Some(max) = max {
        if s.len() > max.value as usize && len() > max.value as usize {
            violation("max_length", "max", "greater", max.value);
        }
    }
    if let Some(min) = min {
        if len() < min.value as usize {
            violation("min_length", "min", "less", min.value);
        }
    }
}

/// `message`, then " for BR REALTIME_PAYMENT (pix)" when there is a method.
fn with_context(message: String, context: Option<&What<'_>>) -> String {
    match context {
        Some(what) => what.around(&cat!(&message, " for "), ""),
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

    #[test]
    fn every_field_name_is_found_at_its_number() {
        let spec = crate::builtin().unwrap();
        for (ty, def) in spec.api.types.iter().enumerate() {
            for (i, f) in def.fields.iter().enumerate() {
                assert_eq!(
                    spec.plan.field_number(ty, def, &f.name),
                    Some(i),
                    "{}",
                    f.name.value
                );
                // A prefix, an extension, another case: not a field.
                for other in [
                    &f.name[1..],
                    &format!("{}x", f.name.value),
                    &f.name.to_uppercase(),
                ] {
                    if def.fields.iter().all(|g| g.name.value != *other) {
                        assert_eq!(spec.plan.field_number(ty, def, other), None, "{other}");
                    }
                }
            }
            assert_eq!(spec.plan.field_number(ty, def, ""), None);
        }
    }

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
        let market = spec.country("BR").unwrap();
        let method = &market.def.methods[0];
        let what = What(market, method);
        let (min, max) = (Sp::unplaced(4), Sp::unplaced(2));
        let mut out = Vec::new();
        let path = || "payeeInfo.accountInfo.accountNo".to_owned();
        length_rules(
            "abc",
            (Some(&min), Some(&max)),
            &path,
            Some(&what),
            &mut out,
        );
        length_rules("é", (Some(&min), None), &path, None, &mut out);
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
        assert_eq!(what.to_string(), "BR REALTIME_PAYMENT (pix)");
    }

    #[test]
    fn cat_joins_its_pieces() {
        let n = 42u32;
        assert_eq!(cat!("a", "", itoa::Buffer::new().format(n), "b"), "a42b");
    }
}
