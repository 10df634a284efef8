//! Lowering a checked model into the [`Plan`]. Runs once, in the semantic checker, after every
//! check: what cannot resolve here was reported there with its `file:line:column`, and lowers
//! to the tolerant reading (a rule path that does not resolve reads nothing).

use super::{
    Bound, EnumPlan, FieldPlan, KEYS, Kind, Lengths, Limits, MarketPlan, MethodPlan, NameTable,
    OrgPlan, PatternClass, PatternPlan, Plan, Resolved, RulePath, RulePlan, Step, Target,
    TypeChoice, TypePlan, Unlisted, fnv,
};
use crate::checks::NamedCheck;
use crate::model::{AmountLimits, ApiFile, FieldDef, MethodDef, RuleDef};
use crate::pattern::Pattern;
use crate::sp::Sp;
use crate::validate::Level;
use crate::{FIELD_VALIDATION_API, METHOD_TYPE_ENUM, Market, PAYOUT_API};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Lowers the API, the countries and the rails; `patterns` are the spec's compiled patterns.
pub(crate) fn lower(
    api: &ApiFile,
    countries: &[Market],
    rails: &[Market],
    patterns: &HashMap<String, Pattern>,
) -> Plan {
    let pattern = |p: &Option<Sp<String>>| {
        let source = p.as_ref()?;
        let compiled = patterns.get(source.as_str())?;
        Some(pattern_plan(&source.value, compiled))
    };
    let types = type_plans(api, &pattern);
    // The request type of the endpoint `api_name`.
    let request_type = |api_name: &str| {
        let endpoint = api
            .endpoints
            .iter()
            .find(|e| e.api_name.value == api_name)?;
        api.types
            .iter()
            .position(|t| t.name.value == endpoint.request.value)
    };
    let payout = request_type(PAYOUT_API);
    let mut texts: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
    for rule in countries
        .iter()
        .chain(rails)
        .flat_map(|m| &m.def.methods)
        .flat_map(|m| &m.rules)
    {
        if !texts.contains(&rule.field.value) {
            texts.push(rule.field.value.clone());
        }
    }
    let field_validation = request_type(FIELD_VALIDATION_API);
    let rule_roots: Vec<usize> = payout.into_iter().chain(field_validation).collect();
    let paths: Vec<RulePath> = texts
        .into_iter()
        .map(|text| RulePath {
            text,
            segments: Vec::new(),
            resolved: Vec::new(),
        })
        .collect();
    let markets = |list: &[Market], rail: bool| -> Vec<MarketPlan> {
        list.iter()
            .map(|m| market(m, rail, &paths, &pattern))
            .collect()
    };
    let mut plan = Plan {
        fingerprint: fingerprint(api),
        enums: api
            .enums
            .iter()
            .map(|e| EnumPlan {
                name: e.name.value.clone(),
                values: e.values.iter().map(|v| v.value.value.clone()).collect(),
                lenient: e.direction.received(),
            })
            .collect(),
        method_types: crate::enum_values(api, METHOD_TYPE_ENUM)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        transitions: api
            .status_transitions
            .iter()
            .map(|t| (t.from.value.clone(), t.to.value.clone()))
            .collect(),
        countries: markets(countries, false),
        rails: markets(rails, true),
        types,
        payout,
        rule_roots,
        paths,
    };
    link(&mut plan);
    plan
}

/// Builds what the plan derives from its own facts, for lowering and for a plan read back
/// from JSON alike (which leaves these out): field numbers by name, each rule path's
/// segments and its field chain from each request type the rules read, and each
/// organisation rule's `allowed` list.
pub(super) fn link(plan: &mut Plan) {
    for ty in &mut plan.types {
        ty.names = NameTable::new(&ty.fields);
    }
    for path in &mut plan.paths {
        path.segments = path.text.split('.').map(str::to_owned).collect();
        path.resolved = plan
            .rule_roots
            .iter()
            .map(|&root| resolve(&plan.types, root, &path.segments))
            .collect();
    }
    for market in plan.countries.iter_mut().chain(&mut plan.rails) {
        // Every organisation of a method type's methods, each once, in the file's order.
        let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
        for method in &market.methods {
            let at = match by_type.iter().position(|(t, _)| *t == method.method_type) {
                Some(at) => at,
                None => {
                    by_type.push((method.method_type.clone(), Vec::new()));
                    by_type.len() - 1
                }
            };
            if let (Some(org), Some((_, all))) = (&method.org, by_type.get_mut(at)) {
                for v in &org.values {
                    if !all.contains(v) {
                        all.push(v.clone());
                    }
                }
            }
        }
        for method in &mut market.methods {
            if let Some(org) = &mut method.org {
                org.allowed = by_type
                    .iter()
                    .find(|(t, _)| *t == method.method_type)
                    .map(|(_, all)| all.clone())
                    .unwrap_or_default();
            }
        }
    }
}

/// The API's types lowered, with their field numbers by name (`pattern` lowers a field's
/// pattern; the checker, which reads only names and kinds, passes one that lowers none).
pub(crate) fn type_plans(
    api: &ApiFile,
    pattern: &dyn Fn(&Option<Sp<String>>) -> Option<PatternPlan>,
) -> Vec<TypePlan> {
    api.types
        .iter()
        .map(|t| {
            let fields: Vec<FieldPlan> = t
                .fields
                .iter()
                .map(|f| FieldPlan {
                    name: f.name.value.clone(),
                    kind: kind(api, f),
                    list: f.list,
                    required: f.required,
                    len: lengths(f.min_len.as_ref(), f.max_len.as_ref()),
                    pattern: pattern(&f.pattern),
                    pattern_level: level(f.pattern_level.as_ref()).unwrap_or_default(),
                })
                .collect();
            TypePlan {
                name: t.name.value.clone(),
                names: NameTable::new(&fields),
                fields,
            }
        })
        .collect()
}

fn kind(api: &ApiFile, field: &FieldDef) -> Kind {
    let ty = field.ty.as_str();
    if let Some(i) = api.types.iter().position(|t| t.name.value == ty) {
        Kind::Object(i)
    } else if ty == "integer" {
        Kind::Integer
    } else if ty == "boolean" {
        Kind::Boolean
    } else if ty == "number" {
        Kind::Number
    } else if ty == "amount" {
        Kind::Amount
    } else if let Some(i) = api.enums.iter().position(|e| e.name.value == ty) {
        Kind::Enum(i)
    } else {
        Kind::Text
    }
}

fn lengths(min: Option<&Sp<u32>>, max: Option<&Sp<u32>>) -> Lengths {
    Lengths {
        min: min.map(|n| n.value),
        max: max.map(|n| n.value),
    }
}

/// A pattern the checker compiled, classified.
fn pattern_plan(source: &str, compiled: &Pattern) -> PatternPlan {
    let class = if let Some(set) = compiled.finite_set() {
        PatternClass::Set(set)
    } else if let Some((class, min, max)) = compiled.simple_class() {
        PatternClass::Bytes { class, min, max }
    } else {
        PatternClass::Regex
    };
    PatternPlan::new(source.to_owned(), class)
}

/// `segments` from request type `root`, field by field: the one reading of a rule path (the
/// checker reports a path that does not resolve from it, at the rule's line).
pub(crate) fn resolve<S: AsRef<str>>(types: &[TypePlan], root: usize, segments: &[S]) -> Resolved {
    let mut chain = Vec::new();
    let mut target = Target::Absent;
    let mut ty = root;
    for (n, seg) in segments.iter().enumerate() {
        let Some(field) = types.get(ty).and_then(|t| t.field_number(seg.as_ref())) else {
            target = Target::Absent;
            break;
        };
        chain.push(Step { ty, field });
        let Some(def) = types.get(ty).and_then(|t| t.fields.get(field)) else {
            break;
        };
        let last = n + 1 == segments.len();
        match (def.kind, def.list, last) {
            (_, true, true) | (Kind::Integer | Kind::Boolean | Kind::Number, false, true) => {
                target = Target::Other;
            }
            (Kind::Object(_), false, true) => target = Target::Object,
            (_, false, true) => target = Target::Str,
            (Kind::Object(inner), false, false) => ty = inner,
            // A segment under a list or a scalar.
            (_, _, false) => {
                target = Target::Absent;
                break;
            }
        }
    }
    Resolved {
        root,
        chain,
        target,
    }
}

fn market(
    m: &Market,
    rail: bool,
    paths: &[RulePath],
    pattern: &dyn Fn(&Option<Sp<String>>) -> Option<PatternPlan>,
) -> MarketPlan {
    let key = m.key().to_owned();
    let methods = &m.def.methods;
    let mut by_type: Vec<TypeChoice> = Vec::new();
    for (i, method) in methods.iter().enumerate() {
        let t = method.method_type.as_str();
        if by_type.iter().any(|c| c.method_type == t) {
            continue;
        }
        let lists = |j: usize, org: &str| {
            methods
                .get(j)
                .and_then(|m| m.target_org.as_ref())
                .is_some_and(|o| o.values.iter().any(|v| v.value == org))
        };
        let mut by_org: Vec<(String, usize)> = Vec::new();
        for (j, other) in methods.iter().enumerate().skip(i + 1) {
            if other.method_type.value != t {
                continue;
            }
            for org in other.target_org.iter().flat_map(|o| &o.values) {
                if !lists(i, org) && !by_org.iter().any(|(o, _)| o == org.as_str()) {
                    by_org.push((org.value.clone(), j));
                }
            }
        }
        by_type.push(TypeChoice {
            method_type: t.to_owned(),
            first: i,
            by_org,
        });
    }
    MarketPlan {
        rail,
        reach: m
            .def
            .countries
            .as_ref()
            .map(|list| list.iter().map(|c| c.value.clone()).collect()),
        decimals: {
            // A currency given twice counts once, as first given.
            let mut decimals: Vec<(String, u8)> = Vec::new();
            for c in &m.def.currencies {
                if !decimals.iter().any(|(code, _)| *code == c.code.value) {
                    decimals.push((c.code.value.clone(), c.decimals.value));
                }
            }
            decimals
        },
        methods: methods
            .iter()
            .map(|method| method_plan(m, &key, method, paths, pattern))
            .collect(),
        by_type,
        unlisted: if rail {
            Unlisted::Refused
        } else {
            Unlisted::DeclaredPass
        },
        key,
    }
}

fn method_plan(
    m: &Market,
    key: &str,
    method: &MethodDef,
    paths: &[RulePath],
    pattern: &dyn Fn(&Option<Sp<String>>) -> Option<PatternPlan>,
) -> MethodPlan {
    let t = method.method_type.as_str();
    let org = method.target_org.as_ref().map(|o| OrgPlan {
        required: o.required == Some(true),
        values: o.values.iter().map(|v| v.value.clone()).collect(),
        refuse_unlisted: o.complete && m.org_lists_complete(t),
        allowed: Vec::new(),
    });
    MethodPlan {
        id: method.id.value.clone(),
        method_type: t.to_owned(),
        currency: method.currency.value.clone(),
        what: format!("{key} {t} ({})", method.id.value),
        org,
        payee_types: method
            .payee_types
            .as_ref()
            .map(|list| list.iter().map(|p| p.value.clone()).collect()),
        limits: method.amount.as_ref().map(limits).unwrap_or_default(),
        org_limits: method
            .target_org
            .iter()
            .flat_map(|o| &o.limits)
            .map(|(org, l)| (org.clone(), limits(l)))
            .collect(),
        rules: method
            .rules
            .iter()
            .map(|r| rule_plan(r, paths, pattern))
            .collect(),
    }
}

fn limits(l: &AmountLimits) -> Limits {
    let bound = |b: &Option<Sp<String>>| {
        let text = b.as_ref()?;
        crate::fast::Decimal::parse(text)?;
        let value = Decimal::from_str(text).ok()?;
        Some(Bound {
            value,
            digits: crate::fast::normalized_digits(text),
        })
    };
    Limits {
        min: bound(&l.min),
        max: bound(&l.max),
    }
}

fn rule_plan(
    r: &RuleDef,
    paths: &[RulePath],
    pattern: &dyn Fn(&Option<Sp<String>>) -> Option<PatternPlan>,
) -> RulePlan {
    RulePlan {
        path: paths
            .iter()
            .position(|p| p.text == r.field.value)
            .unwrap_or(usize::MAX),
        required: r.required == Some(true),
        len: lengths(r.min_len.as_ref(), r.max_len.as_ref()),
        pattern: pattern(&r.pattern),
        one_of: r
            .one_of
            .as_ref()
            .map(|values| values.iter().map(|v| v.value.clone()).collect()),
        check: r.check.as_ref().and_then(|c| NamedCheck::from_name(c)),
        level: level(r.level.as_ref()).unwrap_or_default(),
        check_level: level(r.check_level.as_ref())
            .or_else(|| level(r.level.as_ref()))
            .unwrap_or_default(),
    }
}

/// A `level:` as written (the checker refused any other name).
fn level(name: Option<&Sp<String>>) -> Option<Level> {
    Level::from_name(name?.as_str())
}

/// FNV-1a over the API-wide field rules, each piece length-prefixed so that no two different
/// specs write the same bytes.
fn fingerprint(api: &ApiFile) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    let mut put = |text: &str| {
        h = fnv(h, &(text.len() as u64).to_le_bytes());
        h = fnv(h, text.as_bytes());
    };
    let number = |n: Option<&Sp<u32>>| n.map_or_else(|| "-".to_owned(), |n| n.value.to_string());
    for t in &api.types {
        put("type");
        put(&t.name);
        for f in &t.fields {
            put(&f.name);
            put(&f.ty);
            put(if f.list { "list" } else { "one" });
            put(if f.required { "required" } else { "optional" });
            put(&number(f.min_len.as_ref()));
            put(&number(f.max_len.as_ref()));
            put(f.pattern.as_ref().map_or("-", |p| p.as_str()));
        }
    }
    for e in &api.enums {
        put("enum");
        put(&e.name);
        put(if e.direction.received() { "in" } else { "out" });
        for v in &e.values {
            put(&v.value);
        }
    }
    h
}
