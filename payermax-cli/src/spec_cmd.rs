//! `payermax spec …` and `payermax validate`: load, document, diff a spec; validate a request.

use payermax_spec::model::{MethodDef, RuleDef};
use payermax_spec::{LoadOptions, Market, Root, Spec};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Loads the built-in spec, or the one rooted at `root`, plus extension files.
pub fn load(root: Option<&Path>, extend: &[PathBuf]) -> Result<Spec, String> {
    let options = LoadOptions {
        root: root.map_or(Root::Builtin, |p| Root::File(p.to_path_buf())),
        extend: extend.to_vec(),
    };
    payermax_spec::load(&options).map_err(|d| d.to_string())
}

/// `spec check`: a summary, or every diagnostic and exit 1.
pub fn check(root: Option<&Path>, extend: &[PathBuf]) -> ExitCode {
    match load(root, extend) {
        Ok(spec) => {
            let c = spec.counts();
            outln!(
                "spec ok: {} endpoints, {} types, {} fields, {} enums, {} error codes, {} countries, {} rails, {} methods, {} rules\nrule levels: {} enforced, {} advisory (method rules, their named checks and field patterns; advisory ones warn and never block sending)",
                c.endpoints,
                c.types,
                c.fields,
                c.enums,
                c.error_codes,
                c.countries,
                c.rails,
                c.methods,
                c.rules,
                c.enforced,
                c.advisory
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{diags}");
            ExitCode::FAILURE
        }
    }
}

fn rule_text(rule: &RuleDef) -> String {
    let mut parts = Vec::new();
    if rule.required == Some(true) {
        parts.push("required".to_owned());
    }
    if let Some(p) = &rule.pattern {
        parts.push(format!("pattern `{}`", p.value));
    }
    if let Some(n) = &rule.min_len {
        parts.push(format!("min length {}", n.value));
    }
    if let Some(n) = &rule.max_len {
        parts.push(format!("max length {}", n.value));
    }
    if let Some(values) = &rule.one_of {
        let v: Vec<&str> = values.iter().map(|v| v.as_str()).collect();
        parts.push(format!("one of {}", v.join(", ")));
    }
    let advisory = |level: Option<&str>| level == Some("advise");
    let rule_advisory = advisory(rule.level.as_deref().map(String::as_str));
    let mut text = parts.join("; ");
    if rule_advisory && !text.is_empty() {
        text.push_str(" (advisory)");
    }
    if let Some(c) = &rule.check {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&format!("check {}", c.value));
        let check_level = rule.check_level.as_deref().map(String::as_str);
        if check_level.map_or(rule_advisory, |l| advisory(Some(l))) {
            text.push_str(" (advisory)");
        }
    }
    text
}

fn method_text(m: &MethodDef) -> String {
    let mut parts = vec![format!("{} in {}", m.method_type.value, m.currency.value)];
    if let Some(org) = &m.target_org {
        let values: Vec<&str> = org.values.iter().map(|v| v.as_str()).collect();
        let required = if org.required == Some(true) {
            "required "
        } else {
            ""
        };
        let complete = if org.complete {
            ""
        } else {
            " (list incomplete)"
        };
        parts.push(format!(
            "targetOrg {required}{}{complete}",
            values.join(", ")
        ));
    }
    if let Some(a) = &m.amount {
        let min = a.min.as_ref().map_or("-", |s| s.as_str());
        let max = a.max.as_ref().map_or("-", |s| s.as_str());
        parts.push(format!("amount {min}..{max}"));
    }
    parts.join("; ")
}

/// `spec docs`: a Markdown table of countries × methods × fields with their rules.
pub fn docs(spec: &Spec) -> String {
    let mut out =
        String::from("| market | method | field | rules | source |\n|---|---|---|---|---|\n");
    for market in spec.countries.iter().chain(&spec.rails) {
        for m in &market.def.methods {
            let _ = writeln!(
                out,
                "| {} | {} | — | {} | {} |",
                market.key(),
                m.id.value,
                method_text(m).replace('|', "\\|"),
                m.source
            );
            for r in &m.rules {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} |",
                    market.key(),
                    m.id.value,
                    r.field.value,
                    rule_text(r).replace('|', "\\|"),
                    r.source
                );
            }
        }
    }
    out
}

fn entries(spec: &Spec) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let markets: Vec<&Market> = spec.countries.iter().chain(&spec.rails).collect();
    for market in markets {
        map.insert(market.key().to_owned(), market.def.name.clone());
        for m in &market.def.methods {
            map.insert(format!("{}/{}", market.key(), m.id.value), method_text(m));
            for r in &m.rules {
                map.insert(
                    format!("{}/{} {}", market.key(), m.id.value, r.field.value),
                    rule_text(r),
                );
            }
        }
    }
    map
}

/// `spec diff`: what was added, removed or changed between two specs, one line each.
pub fn diff(old: &Spec, new: &Spec) -> Vec<String> {
    let (a, b) = (entries(old), entries(new));
    let mut out: Vec<(&String, String)> = Vec::new();
    for (k, v) in &a {
        match b.get(k) {
            None => out.push((k, format!("- {k}: {v}"))),
            Some(w) if w != v => out.push((k, format!("~ {k}: {v} -> {w}"))),
            Some(_) => {}
        }
    }
    for (k, v) in &b {
        if !a.contains_key(k) {
            out.push((k, format!("+ {k}: {v}")));
        }
    }
    out.sort();
    out.into_iter().map(|(_, line)| line).collect()
}

/// `validate`: one `PATH: message` line per violation (or a JSON array) and the exit code.
pub fn validate(
    spec: &Spec,
    country: &str,
    method: &str,
    file: Option<&Path>,
    json: bool,
) -> Result<ExitCode, String> {
    let text = match file {
        Some(f) => {
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?
        }
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            s
        }
    };
    let mut data: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("the request is not JSON: {e}"))?;
    let Some(obj) = data.as_object_mut() else {
        return Err("the request must be a JSON object (the `data` of paymentOrderPay)".into());
    };
    for (key, want) in [("country", country)] {
        match obj.get(key).and_then(|v| v.as_str()) {
            Some(have) if have != want => {
                return Err(format!(
                    "--country {want} but the request says {key} {have}"
                ));
            }
            _ => {
                obj.insert(key.into(), want.into());
            }
        }
    }
    let payee = obj
        .entry("payeeInfo")
        .or_insert_with(|| serde_json::json!({}));
    if let Some(p) = payee.as_object_mut() {
        match p.get("paymentMethodType").and_then(|v| v.as_str()) {
            Some(have) if have != method => {
                return Err(format!(
                    "--method {method} but the request says paymentMethodType {have}"
                ));
            }
            _ => {
                p.insert("paymentMethodType".into(), method.into());
            }
        }
    }
    let violations = spec.validate_payout(&data);
    if json {
        let arr: Vec<serde_json::Value> = violations.iter().map(|v| v.to_json()).collect();
        outln!("{}", serde_json::Value::Array(arr));
    } else {
        for v in &violations {
            if v.is_advisory() {
                outln!("warning: {v}");
            } else {
                outln!("{v}");
            }
        }
    }
    // Advisory violations are warnings: printed, but the request may be sent.
    Ok(if violations.iter().all(|v| v.is_advisory()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
