//! The rule plan: a checked spec lowered once into what both rule executors run.
//!
//! The semantic checker returns it with the spec ([`crate::Spec::plan`]); nothing else derives
//! a rule's meaning from the model. The interpreter ([`crate::validate`]) walks it on JSON and
//! on generated types; the generator (`payermax-codegen`'s `fast` module) lowers the same plan
//! to straight-line code. A rule attribute is one field here and one arm in each executor.
//!
//! What lowering settles, so that no executor does it again:
//! - types and fields by number, each field's kind ([`Kind`]) resolved from its `type:` name;
//! - patterns classified once ([`PatternClass`]: a finite set of strings, one ASCII byte class
//!   between two lengths, or a regex), and compiled once;
//! - per market, which method a request selects ([`TypeChoice`]: by method type, then by
//!   organisation; [`MarketPlan::unlisted`] says what a type the market does not list gets);
//! - per method, its rules with their paths resolved to field chains ([`RulePath`]; a path that
//!   does not resolve is a spec diagnostic at its line, from the checker), the organisation
//!   rule with its verdict on unlisted organisations, and the amount limits as normalized
//!   decimals ([`Bound`]).
//!
//! Where the reference is unsure, the plan encodes the tolerant choice the interpreter's module
//! documentation lists (an unlisted type of a declared method type gets the API-wide rules only;
//! limits apply only in the method's currency; an organisation list is enforced only when every
//! method of the type has a complete one).

pub(crate) mod lower;

use crate::checks::NamedCheck;
use crate::validate::Level;
use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The lowered spec: every rule both executors apply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// The API's object types, in `api.types` order ([`Kind::Object`] holds an index here).
    pub types: Vec<TypePlan>,
    /// The API's enums, in `api.enums` order ([`Kind::Enum`]).
    pub enums: Vec<EnumPlan>,
    /// The payout request type (`paymentOrderPay`'s request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payout: Option<usize>,
    /// The request types the method rules are read from: the payout's, then element
    /// validation's (`paymentFieldValidation`), which is validated with the payout's field
    /// rules and the same method rules.
    pub rule_roots: Vec<usize>,
    /// The payment method types the API declares.
    pub method_types: Vec<String>,
    /// Every path the method rules read, numbered: the selecting keys first ([`KEYS`], in that
    /// order), then each rule's field in the order first met. [`RulePlan::path`] is an index.
    pub paths: Vec<RulePath>,
    /// Countries, in the spec's order.
    pub countries: Vec<MarketPlan>,
    /// Rails (`SWIFT`, `SEPA`), in the spec's order.
    pub rails: Vec<MarketPlan>,
    /// The documented status transitions (from, to): `status_transitions:` of the API file.
    pub transitions: Vec<(String, String)>,
    /// A hash of the API-wide field rules (types, fields, enums), stable across targets and
    /// toolchains (FNV-1a over their text): generated types carry the hash of the plan they
    /// came from, and the interpreter reads them by position only when it matches its own.
    pub fingerprint: u64,
}

/// The fields that select a method and that its amount and currency rules read:
/// [`Plan::paths`] 0 to 7.
pub const KEYS: [&str; 8] = [
    "country",
    "clearingRail",
    "payeeInfo.paymentMethodType",
    "payeeInfo.targetOrg",
    "payeeInfo.payeeType",
    "trade.amount",
    "trade.currency",
    "destinationCurrency",
];

/// Fields that select the rule set: always part of it (element validation reports them as
/// passed whatever the method).
pub const SELECTORS: [&str; 9] = [
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

/// What `paymentFieldValidation` needs to pick a rule set (reference §4: "the caller must send
/// `country`, `destinationCurrency` and `payeeInfo.paymentMethodType`"); the other fields are
/// checked only when sent.
pub const FIELD_VALIDATION_REQUIRED: [&str; 3] = [
    "country",
    "destinationCurrency",
    "payeeInfo.paymentMethodType",
];

/// An object type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TypePlan {
    /// Its name in the spec.
    pub name: String,
    /// Its fields, in declaration order (a generated type's `Doc::field_at` numbers them so).
    pub fields: Vec<FieldPlan>,
    /// Built from `fields` (when lowered, and when read back from JSON: `lower::link`).
    #[serde(skip)]
    names: NameTable,
}

impl TypePlan {
    /// The number of the field called `name` (its JSON name).
    pub fn field_number(&self, name: &str) -> Option<usize> {
        self.names.find(&self.fields, name)
    }
}

/// One field of a type, with its API-wide rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldPlan {
    /// JSON name.
    pub name: String,
    /// What its `type:` names.
    pub kind: Kind,
    /// A list of values of that kind.
    #[serde(default, skip_serializing_if = "is_false")]
    pub list: bool,
    /// Required in a payout.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Length bounds, in characters.
    #[serde(default, skip_serializing_if = "Lengths::is_none")]
    pub len: Lengths,
    /// Its pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<PatternPlan>,
    /// The level of its pattern (its presence, type, enum and lengths are enforced).
    #[serde(default, skip_serializing_if = "Level::is_enforce")]
    pub pattern_level: Level,
}

/// What a field's `type:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// An object type (index in [`Plan::types`]).
    Object(usize),
    /// An enum (index in [`Plan::enums`]).
    Enum(usize),
    /// `integer`.
    Integer,
    /// `boolean`: `true` or `false`.
    Boolean,
    /// `number`: a JSON number that need not be an integer (a balance in PayerMax's answers).
    Number,
    /// `amount`: a decimal string.
    Amount,
    /// `string`.
    Text,
}

/// An enum's values.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumPlan {
    /// Its name.
    pub name: String,
    /// Its values, in order.
    pub values: Vec<String>,
    /// Received from PayerMax (response or both): unknown values are accepted, as PayerMax
    /// may add some; a request-only enum refuses them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lenient: bool,
}

/// For the JSON form: `false` is left out.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

/// Length bounds in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lengths {
    /// At least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// At most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// A pattern: its text and how it is checked. Only [`PatternClass::Regex`] needs the regex
/// engine, compiled on first use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PatternPlan {
    /// As written in the spec (messages quote it).
    pub source: String,
    /// How it can be checked.
    pub class: PatternClass,
    #[serde(skip)]
    regex: OnceLock<Option<Regex>>,
}

impl Lengths {
    /// No bound.
    pub fn is_none(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

impl PatternPlan {
    pub(crate) fn new(source: String, class: PatternClass) -> PatternPlan {
        PatternPlan {
            source,
            class,
            regex: OnceLock::new(),
        }
    }

    /// Whether `s` matches (as the compiled pattern would: the class says how). A pattern that
    /// does not compile matches everything, as the checker refuses such a spec.
    pub fn is_match(&self, s: &str) -> bool {
        match &self.class {
            PatternClass::Set(set) => set.iter().any(|x| x == s),
            &PatternClass::Bytes { class, min, max } => crate::fast::class_match(
                s,
                class,
                min as usize,
                max.map_or(usize::MAX, |m| m as usize),
            ),
            PatternClass::Regex => self
                .regex
                .get_or_init(|| Regex::new(&self.source).ok())
                .as_ref()
                .is_none_or(|r| r.is_match(s)),
        }
    }
}

/// How a pattern can be checked, most specific first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatternClass {
    /// It matches exactly these strings (anchored, at most 64).
    Set(Vec<String>),
    /// One ASCII byte class repeated `min..=max` times, anchored (bit `b` of `class` set: byte
    /// `b` allowed).
    Bytes {
        /// The class.
        class: u128,
        /// At least this many bytes.
        min: u32,
        /// At most (unbounded when `None`).
        max: Option<u32>,
    },
    /// Anything else: the regex engine.
    Regex,
}

/// A dotted path that method rules read, resolved in each request type they are read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulePath {
    /// As written (`payeeInfo.accountInfo.accountNo`): violations name it.
    pub text: String,
    /// Its segments (a document is read by these names, split once here).
    #[serde(skip)]
    pub segments: Vec<String>,
    /// Resolved from each request type the method rules read ([`Plan::rule_roots`], in that
    /// order).
    #[serde(skip)]
    pub resolved: Vec<Resolved>,
}

impl RulePath {
    /// The path resolved from request type `root`.
    pub fn from_root(&self, root: usize) -> Option<&Resolved> {
        self.resolved.iter().find(|r| r.root == root)
    }
}

/// A rule path resolved from one request type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// The request type ([`Plan::types`]).
    pub root: usize,
    /// Each segment's type and field number (as far as the path resolves).
    pub chain: Vec<Step>,
    /// What the path ends at.
    pub target: Target,
}

/// One segment of a [`RulePath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The type the segment is read in ([`Plan::types`]).
    pub ty: usize,
    /// The field's number in it.
    pub field: usize,
}

/// What a rule path reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// A string (or an amount or enum): the string rules apply.
    Str,
    /// An object: only `required` applies (some field of it sent).
    Object,
    /// A list or an integer: only `required` applies.
    Other,
    /// Never there: a segment under a list or a scalar, or one the type does not have.
    Absent,
}

/// A country or a rail.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarketPlan {
    /// The country code or the rail name.
    pub key: String,
    /// A rail (`clearingRail` selects it) rather than a country.
    pub rail: bool,
    /// A rail's countries (`None`: every country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<Vec<String>>,
    /// Decimal places per currency, as the file gives them.
    pub decimals: Vec<(String, u8)>,
    /// Its methods, in the file's order.
    pub methods: Vec<MethodPlan>,
    /// Method selection per method type, in the order types first appear.
    pub by_type: Vec<TypeChoice>,
    /// What a method type the market does not list gets.
    pub unlisted: Unlisted,
}

impl MarketPlan {
    /// Decimal places of `currency`, when the file gives them.
    pub fn decimals(&self, currency: &str) -> Option<u8> {
        self.decimals
            .iter()
            .find(|(c, _)| c == currency)
            .map(|&(_, d)| d)
    }

    /// Whether the market pays out in `currency` (its `currencies:`; a market that lists none
    /// is not checked).
    pub fn pays_in(&self, currency: &str) -> bool {
        self.decimals.is_empty() || self.decimals.iter().any(|(c, _)| c == currency)
    }

    /// The method a request of `method_type` (and `target_org`) selects: the first method of
    /// the type that lists the organisation, else the first of the type. `None`: the market
    /// does not list the type.
    pub fn select(&self, method_type: &str, target_org: Option<&str>) -> Option<usize> {
        let choice = self.by_type.iter().find(|c| c.method_type == method_type)?;
        let by_org = target_org.and_then(|o| {
            choice
                .by_org
                .iter()
                .find(|(org, _)| org == o)
                .map(|&(_, i)| i)
        });
        Some(by_org.unwrap_or(choice.first))
    }
}

/// How one method type picks its method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeChoice {
    /// The method type.
    pub method_type: String,
    /// The method when no other is picked by organisation (its first).
    pub first: usize,
    /// Organisations that pick another method of the type (the first that lists them; ones
    /// the first method lists stay with it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_org: Vec<(String, usize)>,
}

/// What a method type the market does not list gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unlisted {
    /// Refused (a rail: a bank-transfer route).
    Refused,
    /// The API-wide rules only when the API declares the type, refused otherwise (a country:
    /// its list of methods is not known to be complete).
    DeclaredPass,
}

/// A payment method of a market, with its rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodPlan {
    /// Its id in the file.
    pub id: String,
    /// Its method type.
    pub method_type: String,
    /// Its currency: amount limits apply only in it.
    pub currency: String,
    /// "BR REALTIME_PAYMENT (pix)": how messages name it.
    pub what: String,
    /// The organisation rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgPlan>,
    /// The payee types it pays (`None`: any); an absent `payeeType` counts as `PERSONAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_types: Option<Vec<String>>,
    /// Its amount limits.
    pub limits: Limits,
    /// Limits per organisation, on top of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_limits: Vec<(String, Limits)>,
    /// Its field rules, in the file's order.
    pub rules: Vec<RulePlan>,
}

/// The `targetOrg` rule of a method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPlan {
    /// Required in a payout.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The organisations it lists.
    pub values: Vec<String>,
    /// An organisation outside `values` is refused: the list is complete, and so is every
    /// other method's of the same type (an organisation no method lists reaches this, the
    /// type's first method, by fallback).
    #[serde(default, skip_serializing_if = "is_false")]
    pub refuse_unlisted: bool,
    /// Every organisation of the type's methods, each once (the refusal names them all).
    #[serde(skip)]
    pub allowed: Vec<String>,
}

/// Amount limits in a method's currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// The minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Bound>,
    /// The maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Bound>,
}

/// One amount limit, parsed and normalized once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// The value.
    pub value: Decimal,
    /// Its integer digits without leading zeros and fraction digits without trailing zeros
    /// (`crate::fast::Decimal::cmp_digits` compares with them).
    pub digits: (String, String),
}

/// One field rule of a method.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RulePlan {
    /// The field it reads: an index in [`Plan::paths`].
    pub path: usize,
    /// Required in a payout.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Length bounds.
    #[serde(default, skip_serializing_if = "Lengths::is_none")]
    pub len: Lengths,
    /// Its pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<PatternPlan>,
    /// The only values allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// A named check (IBAN, CLABE, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<NamedCheck>,
    /// The level of its violations (all but the named check's).
    #[serde(default, skip_serializing_if = "Level::is_enforce")]
    pub level: Level,
    /// The level of the named check's violation.
    #[serde(default, skip_serializing_if = "Level::is_enforce")]
    pub check_level: Level,
}

impl Plan {
    /// The plan as compact JSON: what generated code embeds, so that validating never reads
    /// the spec's YAML again.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A plan from [`Plan::to_json`]'s text. The lookup tables the text leaves out (field
    /// numbers by name, a path's segments) are built again from what it holds.
    pub fn from_json(text: &str) -> Result<Plan, String> {
        let mut plan: Plan =
            serde_json::from_str(text).map_err(|e| format!("not a rule plan: {e}"))?;
        lower::link(&mut plan);
        Ok(plan)
    }

    /// The type called `name`.
    pub fn type_index(&self, name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.name == name)
    }

    /// `path` (dotted JSON names) resolved from type `root`, as rule paths are: what the
    /// generator reads a payee field through.
    pub fn resolve(&self, root: usize, path: &str) -> Resolved {
        let segments: Vec<&str> = path.split('.').collect();
        lower::resolve(&self.types, root, &segments)
    }

    /// The rule path number `index`.
    pub fn path(&self, index: usize) -> Option<&RulePath> {
        self.paths.get(index)
    }

    /// The country `code`.
    pub fn country(&self, code: &str) -> Option<&MarketPlan> {
        self.countries.iter().find(|m| m.key == code)
    }

    /// The rail `name`.
    pub fn rail(&self, name: &str) -> Option<&MarketPlan> {
        self.rails.iter().find(|m| m.key == name)
    }

    /// The methods of `method_type` in any country or rail that list organisation `org`, as
    /// messages name them ("EG WALLET (meeza)").
    pub fn org_listed_by(&self, method_type: &str, org: &str) -> Vec<&str> {
        self.countries
            .iter()
            .chain(&self.rails)
            .flat_map(|m| &m.methods)
            .filter(|m| m.method_type == method_type)
            .filter(|m| {
                m.org
                    .as_ref()
                    .is_some_and(|o| o.values.iter().any(|v| v == org))
            })
            .map(|m| m.what.as_str())
            .collect()
    }

    /// The rails whose list of countries names `country` (SEPA for DE): a country the spec
    /// has no file for is reached through one of them.
    pub fn rails_reaching(&self, country: &str) -> Vec<&str> {
        self.rails
            .iter()
            .filter(|r| {
                r.reach
                    .as_ref()
                    .is_some_and(|l| l.iter().any(|c| c == country))
            })
            .map(|r| r.key.as_str())
            .collect()
    }

    /// Whether the API declares the payment method type `t`.
    pub fn declares_method_type(&self, t: &str) -> bool {
        self.method_types.iter().any(|m| m == t)
    }
}

/// A type's field numbers by JSON name: open addressing over a table at least twice the
/// number of fields, so a lookup hashes the name once and compares it with one or two
/// candidates. Field names are unique within a type (a spec check).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct NameTable {
    /// Field number + 1, or 0 for an empty slot; the length is a power of two.
    slots: Vec<u16>,
}

impl NameTable {
    fn new(fields: &[FieldPlan]) -> Self {
        let size = (fields.len() * 2).max(4).next_power_of_two();
        let mut slots = vec![0u16; size];
        for (i, f) in fields.iter().enumerate() {
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

    fn find(&self, fields: &[FieldPlan], name: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = name_hash(name) & mask;
        loop {
            let i = usize::from(*self.slots.get(at)?).checked_sub(1)?;
            if fields.get(i)?.name == name {
                return Some(i);
            }
            at = (at + 1) & mask;
        }
    }
}

/// FNV-1a over the name's bytes: field names are short.
fn name_hash(name: &str) -> usize {
    let h = fnv(0xcbf2_9ce4_8422_2325, name.as_bytes());
    // Truncating on 32-bit targets keeps the low bits, which are the ones masked.
    #[allow(clippy::cast_possible_truncation)]
    let h = (h ^ h >> 32) as usize;
    h
}

/// FNV-1a, 64 bits, continuing from `h`.
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    #[test]
    fn every_field_name_is_found_at_its_number() {
        let spec = crate::builtin().unwrap();
        for ty in &spec.plan.types {
            for (i, f) in ty.fields.iter().enumerate() {
                assert_eq!(ty.field_number(&f.name), Some(i), "{}", f.name);
                // A prefix, an extension, another case: not a field.
                for other in [
                    &f.name[1..],
                    &format!("{}x", f.name),
                    &f.name.to_uppercase(),
                ] {
                    if ty.fields.iter().all(|g| g.name != *other) {
                        assert_eq!(ty.field_number(other), None, "{other}");
                    }
                }
            }
            assert_eq!(ty.field_number(""), None);
        }
    }

    #[test]
    fn rule_paths_resolve_to_field_chains() {
        let spec = crate::builtin().unwrap();
        let plan = &spec.plan;
        for (i, key) in super::KEYS.iter().enumerate() {
            assert_eq!(plan.paths[i].text, *key);
        }
        let account = plan
            .paths
            .iter()
            .find(|p| p.text == "payeeInfo.accountInfo.accountNo")
            .unwrap();
        assert_eq!(
            plan.rule_roots.len(),
            2,
            "the payout and element validation"
        );
        for &root in &plan.rule_roots {
            let resolved = account.from_root(root).unwrap();
            let names: Vec<&str> = resolved
                .chain
                .iter()
                .map(|s| plan.types[s.ty].fields[s.field].name.as_str())
                .collect();
            assert_eq!(names, ["payeeInfo", "accountInfo", "accountNo"]);
            assert_eq!(resolved.target, super::Target::Str);
            assert_eq!(resolved.chain[0].ty, root);
        }
        assert_eq!(plan.rule_roots.first().copied(), plan.payout);
    }

    #[test]
    fn patterns_are_classified_once() {
        let spec = crate::builtin().unwrap();
        let classes: Vec<&super::PatternClass> = spec
            .plan
            .types
            .iter()
            .flat_map(|t| &t.fields)
            .filter_map(|f| f.pattern.as_ref())
            .map(|p| &p.class)
            .collect();
        assert!(
            classes
                .iter()
                .any(|c| matches!(c, super::PatternClass::Bytes { .. }))
        );
    }

    #[test]
    fn selection_goes_by_type_then_organisation() {
        let spec = crate::builtin().unwrap();
        let br = spec.plan.country("BR").unwrap();
        let pix = br.select("REALTIME_PAYMENT", Some("PIX")).unwrap();
        assert_eq!(br.methods[pix].method_type, "REALTIME_PAYMENT");
        assert_eq!(br.select("NO_SUCH_TYPE", None), None);
        assert_eq!(br.unlisted, super::Unlisted::DeclaredPass);
        let sepa = spec.plan.rail("SEPA").unwrap();
        assert_eq!(sepa.unlisted, super::Unlisted::Refused);
    }

    #[test]
    fn a_plan_read_back_from_its_json_validates_alike() {
        let spec = crate::builtin().unwrap();
        let back = super::Plan::from_json(&spec.plan.to_json()).unwrap();
        assert_eq!(back.to_json(), spec.plan.to_json());
        // What the text leaves out is built again alike.
        assert_eq!(back.paths, spec.plan.paths);
        assert!(back.paths.iter().all(|p| !p.resolved.is_empty()));
        for (a, b) in back.countries.iter().zip(&spec.plan.countries) {
            for (m, n) in a.methods.iter().zip(&b.methods) {
                assert_eq!(m.org, n.org, "{}", m.what);
            }
        }
        let mx = back.country("MX").unwrap();
        assert!(
            mx.methods
                .iter()
                .any(|m| m.org.as_ref().is_some_and(|o| !o.allowed.is_empty()))
        );
        for ty in &back.types {
            for (i, f) in ty.fields.iter().enumerate() {
                assert_eq!(ty.field_number(&f.name), Some(i));
            }
        }
        let requests = [
            serde_json::json!({
                "outTradeNo": "order_1", "country": "BR",
                "trade": {"amount": "10.50", "currency": "BRL"},
                "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                              "accountInfo": {"accountNo": "12345678901"}}
            }),
            serde_json::json!({
                "outTradeNo": "o 2", "country": "MX",
                "trade": {"amount": "0.001", "currency": "MXN"},
                "payeeInfo": {"paymentMethodType": "BANK_TRANSFER",
                              "accountInfo": {"accountNo": "12345", "accountType": "X"}}
            }),
        ];
        for request in &requests {
            assert_eq!(back.validate_payout(request), spec.validate_payout(request));
            assert_eq!(back.field_report(request), spec.field_report(request));
        }
        assert!(!spec.validate_payout(&requests[1]).is_empty());
    }

    #[test]
    fn the_built_in_transitions_are_the_specs() {
        let spec = crate::builtin().unwrap();
        let table: Vec<(String, String)> = crate::BUILTIN_STATUS_TRANSITIONS
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(spec.plan.transitions, table);
        assert!(table.contains(&("PENDING".into(), "SUCCESS".into())));
    }

    #[test]
    fn the_plan_holds_no_path_of_the_machine_it_was_made_on() {
        // Generated code embeds the plan: a file path in it would put the build machine's
        // folders into merchants' binaries and make the expansion differ per checkout.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let spec = crate::from_root_file(dir.join("tests/fixtures/mini/payermax.yaml")).unwrap();
        let json = spec.plan.to_json();
        assert!(!json.contains(&*dir.to_string_lossy()), "{json}");
        assert!(!json.contains(".yaml"), "{json}");
    }

    #[test]
    fn the_fingerprint_is_the_same_on_every_load() {
        let a = crate::builtin().unwrap().plan.fingerprint;
        let b = crate::builtin().unwrap().plan.fingerprint;
        assert_eq!(a, b);
        assert_ne!(a, 0);
    }
}
