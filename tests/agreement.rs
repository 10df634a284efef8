//! Generated validators (typed requests read through their generated `Doc` impls) and the
//! spec interpreter run on the serialized JSON must report the same violations, in the same
//! order, for valid and broken payees alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax::{Amount, PayeeInfo, PayeeName, PaymentOrderPayRequest, Trade, payee};
use proptest::prelude::*;

/// The built-in spec, loaded and lowered here: the interpreter's side of each comparison (the
/// bindings run the plan they embedded as JSON, so the comparison also covers that copy).
fn spec() -> &'static payermax_spec::Spec {
    static SPEC: std::sync::OnceLock<payermax_spec::Spec> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| payermax_spec::builtin().expect("the built-in spec loads"))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{1,20}",
        "[A-Za-z ,.-]{1,70}",
        "[A-Z]{2}[0-9]{2}[A-Z0-9]{8,26}",
        ".{0,140}",
    ]
}

fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}",
        "[0-9]{1,6}\\.[0-9]{1,4}",
        Just("0.001".to_owned()),
        Just("99999999".to_owned())
    ]
}

fn payee_info() -> impl Strategy<Value = (String, String, PayeeInfo)> {
    let pix = text().prop_map(|acc| {
        (
            "BR".to_owned(),
            "BRL".to_owned(),
            payee::br::Pix::builder().account_no(acc).build().into(),
        )
    });
    let kr = text().prop_map(|acc| {
        (
            "KR".to_owned(),
            "KRW".to_owned(),
            payee::kr::BankTransfer::builder()
                .account_no(acc)
                .build()
                .into(),
        )
    });
    let sepa = (text(), text(), text()).prop_map(|(acc, bic, name)| {
        let payee = payee::sepa::Sepa::builder()
            .account_no(acc)
            .bank_code(bic)
            .name(PayeeName {
                full_name: Some(name),
                ..Default::default()
            })
            .address(payermax::Address::default())
            .build();
        ("NO".to_owned(), "EUR".to_owned(), payee.into())
    });
    let fawry = (text(), proptest::option::of(text())).prop_map(|(acc, org)| {
        let mut info: PayeeInfo = payee::eg::Fawry::builder().account_no(acc).build().into();
        if let Some(org) = org {
            info.target_org = Some(org);
        }
        ("EG".to_owned(), "EGP".to_owned(), info)
    });
    let meeza = text().prop_map(|acc| {
        let info: PayeeInfo = payee::eg::MeezaNetwork::builder()
            .account_no(acc)
            .build()
            .into();
        ("EG".to_owned(), "EGP".to_owned(), info)
    });
    prop_oneof![pix, kr, sepa, fawry, meeza]
}

/// A violation as compared: path, code, message and level (both executors must agree on
/// which rules only advise).
type Seen = (String, &'static str, String, payermax::runtime::Level);

/// Every violation `validate()` reported: the warnings of an `Ok`, or all of an `Err`.
fn report(
    v: Result<payermax::runtime::Warnings, payermax::runtime::ValidationErrors>,
) -> Vec<Seen> {
    let all = match v {
        Ok(warnings) => warnings.violations,
        Err(errors) => errors.violations,
    };
    messages(all)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn typed_and_json_reports_agree(
        (country, currency, payee) in payee_info(),
        amount in amount(),
        out_trade_no in "[A-Za-z0-9_!-]{0,70}",
        rail in proptest::bool::ANY,
        remark in proptest::option::of(text()),
        // #15: another currency (a trade the country does not pay out in), a receiving
        // currency, another country (the payee's method or organisation is not there).
        other_currency in proptest::option::of(prop_oneof![Just("USD"), Just("MXN"), Just("EUR")]),
        destination in proptest::option::of(prop_oneof![Just("BRL"), Just("EUR"), Just("USD")]),
        other_country in proptest::option::of(prop_oneof![Just("MX"), Just("DE"), Just("BR")]),
    ) {
        let currency = other_currency.map_or(currency, str::to_owned);
        let country = other_country.map_or(country, str::to_owned);
        let trade = Trade::new(Amount::new(&amount).unwrap(), currency);
        let mut request = PaymentOrderPayRequest::new(out_trade_no, country, trade, payee);
        if rail && matches!(request.country.as_str(), "NO" | "DE") {
            request.clearing_rail = Some(payermax::ClearingRail::Sepa);
        }
        request.destination_currency = destination.map(str::to_owned);
        request.remark = remark;
        let typed = report(request.validate());
        let json = serde_json::to_value(&request).unwrap();
        let interpreted = messages(spec().validate_payout(&json));
        prop_assert_eq!(request.is_valid(), sendable(&interpreted));
        prop_assert_eq!(typed, interpreted);
    }
}

#[test]
fn a_broken_payee_reports_every_violation() {
    let payee: PayeeInfo = payee::br::Pix::builder()
        .account_no("x".repeat(130))
        .build()
        .into();
    let trade = Trade::new(Amount::new("10.505").unwrap(), "BRL");
    let request = PaymentOrderPayRequest::new("bad order!", "BR", trade, payee);
    assert!(!request.is_valid(), "the verdict without the report");
    let errors = request.validate().unwrap_err();
    let lines: Vec<String> = errors.violations.iter().map(|v| v.to_string()).collect();
    assert_eq!(
        lines,
        [
            "outTradeNo: does not match `^[A-Za-z0-9_]{1,63}$`",
            "payeeInfo.accountInfo.accountNo: length 130 is greater than 128",
            "trade.amount: has 3 decimal places; BRL allows 2",
        ]
    );
}

// Every country and rail method of the built-in spec: requests built from the method's own
// rules (allowed values, pattern-shaped strings, valid identifiers for named checks, amounts
// around the limits), often valid and often broken in one or two places. The generated fast
// path must give the interpreter's verdict, and the typed report must equal the JSON one.

/// Strings a rule's field may get: absent, empty, random, and values made to pass the rule.
fn rule_value(rule: &payermax::__private::spec::model::RuleDef) -> BoxedStrategy<Option<String>> {
    let mut good: Vec<BoxedStrategy<Option<String>>> = Vec::new();
    // An enum-typed field also gets the enum's other values (rules narrow enums: `[OUR, SHA]`).
    if let Some(e) = field_type(&rule.field).and_then(|t| spec().enum_def(t)) {
        let values: Vec<String> = e.values.iter().map(|v| v.value.value.clone()).collect();
        good.push(proptest::sample::select(values).prop_map(Some).boxed());
    }
    if let Some(values) = &rule.one_of {
        let values: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
        good.push(proptest::sample::select(values).prop_map(Some).boxed());
    }
    if let Some(check) = rule.check.as_ref() {
        // The check's own examples, in their electronic (bare) form: punctuated CPFs and
        // spaced IBANs are for the check, not for fields whose pattern wants digits.
        let samples: Vec<&str> = payermax::__private::spec::checks::NamedCheck::from_name(check)
            .map(|c| c.examples().valid)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric()))
            .collect();
        if !samples.is_empty() {
            let samples: Vec<String> = samples.iter().map(|s| (*s).to_owned()).collect();
            good.push(proptest::sample::select(samples).prop_map(Some).boxed());
        }
    } else if let Some(p) = rule.pattern.as_ref() {
        if let Ok(strategy) = proptest::string::string_regex(p.as_str()) {
            good.push(strategy.prop_map(Some).boxed());
        }
    }
    if good.is_empty() {
        let len = rule.min_len.as_ref().map_or(1, |n| n.value as usize).max(1);
        good.push(Just(Some("7".repeat(len))).boxed());
    }
    let good = proptest::strategy::Union::new(good);
    prop_oneof![
        6 => good,
        1 => Just(None),
        1 => Just(Some(String::new())),
        1 => text().prop_map(Some),
    ]
    .boxed()
}

/// The `type:` of the payout request's field at a dotted path.
fn field_type(path: &str) -> Option<&'static str> {
    let spec = spec();
    let mut ty = spec.payout_request_type()?;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        let field = ty.fields.iter().find(|f| f.name.value == seg)?;
        if segs.peek().is_none() {
            return Some(field.ty.as_str());
        }
        ty = spec.type_def(&field.ty)?;
    }
    None
}

/// Sets `value` at a dotted path, creating the objects on the way.
fn set_path(root: &mut serde_json::Value, path: &str, value: serde_json::Value) {
    let mut node = root;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        if !node.is_object() {
            return;
        }
        if segs.peek().is_none() {
            node[seg] = value;
            return;
        }
        if !node[seg].is_object() {
            node[seg] = serde_json::json!({});
        }
        node = &mut node[seg];
    }
}

/// A payout request's JSON for one method of one market.
fn method_request(
    market: &payermax::__private::spec::Market,
    method: &payermax::__private::spec::model::MethodDef,
) -> BoxedStrategy<serde_json::Value> {
    let is_rail = market.def.rail.is_some();
    let country = if is_rail {
        let reach: Vec<String> = market
            .def
            .countries
            .as_ref()
            .map(|l| l.iter().map(|c| c.value.clone()).collect())
            .unwrap_or_default();
        if reach.is_empty() {
            Just("DE".to_owned()).boxed()
        } else {
            prop_oneof![4 => proptest::sample::select(reach), 1 => Just("JP".to_owned())].boxed()
        }
    } else {
        Just(market.key().to_owned()).boxed()
    };
    let rail = market.key().to_owned();
    let method_type = method.method_type.value.clone();
    let currency = prop_oneof![
        6 => Just(method.currency.value.clone()),
        1 => Just("USD".to_owned()),
    ];
    let mut amounts = vec![
        "1".to_owned(),
        "10.5".to_owned(),
        "100".to_owned(),
        "0.001".to_owned(),
        "99999999".to_owned(),
    ];
    for limits in method
        .amount
        .iter()
        .chain(method.target_org.iter().flat_map(|t| t.limits.values()))
    {
        amounts.extend(
            limits
                .min
                .iter()
                .chain(&limits.max)
                .map(|v| v.value.clone()),
        );
    }
    let amount = proptest::sample::select(amounts);
    let orgs: Vec<String> = method
        .target_org
        .as_ref()
        .map(|t| t.values.iter().map(|v| v.value.clone()).collect())
        .unwrap_or_default();
    let org = if orgs.is_empty() {
        proptest::option::of(text()).boxed()
    } else {
        prop_oneof![
            6 => proptest::sample::select(orgs).prop_map(Some),
            1 => Just(None),
            1 => text().prop_map(Some),
        ]
        .boxed()
    };
    let payee_type = proptest::sample::select(vec![None, Some("PERSONAL"), Some("CORPORATION")]);
    let rules: Vec<(String, BoxedStrategy<Option<String>>)> = method
        .rules
        .iter()
        .map(|r| (r.field.value.clone(), rule_value(r)))
        .collect();
    let (paths, values): (Vec<String>, Vec<_>) = rules.into_iter().unzip();
    let out_trade_no = prop_oneof![9 => Just("order_1".to_owned()), 1 => "[A-Za-z0-9_!-]{0,70}"];
    (country, currency, amount, org, payee_type, values, out_trade_no)
        .prop_map(move |(country, currency, amount, org, payee_type, values, out_trade_no)| {
            let mut json = serde_json::json!({
                "outTradeNo": out_trade_no,
                "country": country,
                "trade": {"amount": amount, "currency": currency},
                "payeeInfo": {"paymentMethodType": method_type, "accountInfo": {"accountNo": "12345678"}},
            });
            if is_rail {
                json["clearingRail"] = rail.clone().into();
            }
            if let Some(org) = org {
                json["payeeInfo"]["targetOrg"] = org.into();
            }
            if let Some(t) = payee_type {
                json["payeeInfo"]["payeeType"] = t.into();
            }
            for (path, value) in paths.iter().zip(values) {
                if let Some(value) = value {
                    set_path(&mut json, path, value.into());
                }
            }
            json
        })
        .boxed()
}

fn any_method_request() -> impl Strategy<Value = serde_json::Value> {
    let spec = spec();
    let all: Vec<BoxedStrategy<serde_json::Value>> = spec
        .countries
        .iter()
        .chain(&spec.rails)
        .flat_map(|m| {
            m.def
                .methods
                .iter()
                .map(move |method| method_request(m, method))
        })
        .collect();
    proptest::strategy::Union::new(all)
}

fn messages(v: Vec<payermax::__private::spec::Violation>) -> Vec<Seen> {
    v.into_iter()
        .map(|v| (v.path, v.code, v.message, v.level))
        .collect()
}

/// What `is_valid()` answers for: no enforced violation (advisory ones are warnings).
fn sendable(found: &[Seen]) -> bool {
    found
        .iter()
        .all(|v| v.3 == payermax::runtime::Level::Advise)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn every_method_fast_path_agrees_with_the_interpreter(json in any_method_request()) {
        let spec = spec();
        // Only what the typed API can hold (strict enums refuse unknown values).
        let Ok(request) = serde_json::from_value::<PaymentOrderPayRequest>(json.clone()) else {
            return Ok(());
        };
        let json = serde_json::to_value(&request).unwrap();
        let interpreted = messages(spec.validate_payout(&json));
        prop_assert_eq!(request.is_valid(), sendable(&interpreted), "{:#}", json);
        prop_assert_eq!(report(request.validate()), interpreted);

        // The same payee through element validation (fields not sent are not checked).
        let mut fields = json.clone();
        if let Some(map) = fields.as_object_mut() {
            map.remove("outTradeNo");
            let currency = map.get("trade").and_then(|t| t.get("currency")).cloned();
            map.remove("trade");
            map.insert("destinationCurrency".into(), currency.unwrap_or_default());
        }
        if let Ok(request) = serde_json::from_value::<payermax::PaymentFieldValidationRequest>(fields) {
            let json = serde_json::to_value(&request).unwrap();
            let interpreted = messages(spec.validate_sent_fields(&json));
            prop_assert_eq!(request.is_valid(), sendable(&interpreted), "{:#}", json);
            prop_assert_eq!(report(request.validate()), interpreted);
        }
    }
}

/// The random requests above must be valid often enough for the fast path's "yes" to be
/// exercised, and broken often enough for its "no".
#[test]
fn the_generator_makes_valid_and_invalid_requests() {
    use proptest::strategy::ValueTree;
    let spec = spec();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = any_method_request();
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..2000 {
        let json = strategy.new_tree(&mut runner).unwrap().current();
        if spec.validate_payout(&json).is_empty() {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(
        valid >= 200 && invalid >= 200,
        "valid {valid}, invalid {invalid}"
    );
}

/// A typed request validated by a spec other than the one it was generated from (here the
/// built-in spec with a shorter `accountNo`): the interpreter must not take the generated
/// shortcuts, which carry the rules of the spec the types came from.
#[test]
fn another_spec_reads_typed_requests_by_name() {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(std::path::Path::new("payermax-spec/spec"), dir.path());
    let api = dir.path().join("api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    let shorter = text.replacen(
        "      - name: accountNo\n        type: string\n        required: true\n        max_len: 128",
        "      - name: accountNo\n        type: string\n        required: true\n        max_len: 8",
        1,
    );
    assert_ne!(shorter, text, "the accountNo rule moved in api.yaml");
    std::fs::write(&api, shorter).unwrap();
    let other = payermax::__private::spec::from_root_file(dir.path().join("payermax.yaml"))
        .expect("the edited spec loads");
    assert_ne!(other.api_fingerprint(), spec().api_fingerprint());

    let payee: PayeeInfo = payee::br::Pix::builder()
        .account_no("123456789012")
        .build()
        .into();
    let trade = Trade::new(Amount::new("10.50").unwrap(), "BRL");
    let request = PaymentOrderPayRequest::new("order_1", "BR", trade, payee);
    assert!(
        request.validate().is_ok(),
        "valid for the spec it was generated from"
    );
    let json = serde_json::to_value(&request).unwrap();
    let typed = messages(other.validate_payout(&request));
    assert_eq!(typed, messages(other.validate_payout(&json)));
    assert_eq!(
        typed,
        [(
            "payeeInfo.accountInfo.accountNo".to_owned(),
            "max_length",
            "length 12 is greater than 8".to_owned(),
            payermax::runtime::Level::Enforce,
        )]
    );
}

/// Every country and rail with every method type, listed or not, declared or not (a typo), and
/// every organisation some method of the type names: the generated check gives the
/// interpreter's verdict and the typed report is the JSON one.
#[test]
fn every_market_and_method_type_agrees_with_the_interpreter() {
    let spec = spec();
    let mut types: Vec<&str> = spec.method_types();
    types.push("BANK_TRANSFERR");
    let markets = spec
        .countries
        .iter()
        .map(|m| (m, None))
        .chain(spec.rails.iter().map(|r| (r, Some(r.key()))));
    let (mut checked, mut valid) = (0, 0);
    for (market, rail) in markets {
        let country = match rail {
            Some(_) => "DE",
            None => market.key(),
        };
        let currency = market
            .def
            .currencies
            .first()
            .map_or("USD", |c| c.code.as_str());
        let mut orgs: Vec<Option<&str>> = vec![None, Some("NOT_AN_ORG")];
        for m in &market.def.methods {
            orgs.extend(
                m.target_org
                    .iter()
                    .flat_map(|t| t.values.iter().map(|v| Some(v.as_str()))),
            );
        }
        for t in &types {
            for org in &orgs {
                let mut json = serde_json::json!({
                    "outTradeNo": "agree_1", "country": country,
                    "trade": {"amount": "100", "currency": currency},
                    "payeeInfo": {"paymentMethodType": t,
                                  "accountInfo": {"accountNo": "12345678901"},
                                  "name": {"fullName": "Ana Lima"}}
                });
                if let Some(rail) = rail {
                    json["clearingRail"] = serde_json::json!(rail);
                }
                if let Some(org) = org {
                    json["payeeInfo"]["targetOrg"] = serde_json::json!(org);
                }
                let request: PaymentOrderPayRequest = serde_json::from_value(json.clone()).unwrap();
                let json = serde_json::to_value(&request).unwrap();
                let interpreted = messages(spec.validate_payout(&json));
                assert_eq!(request.is_valid(), sendable(&interpreted), "{json:#}");
                assert_eq!(report(request.validate()), interpreted, "{json:#}");
                checked += 1;
                valid += usize::from(interpreted.is_empty());
            }
        }
    }
    assert!(
        checked > 1000 && valid > 0,
        "{checked} requests, {valid} valid"
    );
}
