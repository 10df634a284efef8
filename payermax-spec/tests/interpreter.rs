//! The rule interpreter on the mini spec: every rule kind, every violation at once, in order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax_spec::{Spec, from_root_file};
use serde_json::{Value, json};

fn spec() -> Spec {
    from_root_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini/payermax.yaml"
    ))
    .unwrap()
}

fn pix() -> Value {
    json!({
        "outTradeNo": "order_1",
        "country": "BR",
        "trade": {"amount": "10.50", "currency": "BRL"},
        "payeeInfo": {
            "paymentMethodType": "REALTIME_PAYMENT",
            "targetOrg": "PIX",
            "accountInfo": {"accountNo": "12345678901"}
        }
    })
}

fn report(spec: &Spec, data: &Value) -> Vec<String> {
    spec.validate_payout(data)
        .iter()
        .map(|v| format!("{} [{}]", v, v.code))
        .collect()
}

#[test]
fn a_valid_payout_has_no_violation() {
    assert_eq!(report(&spec(), &pix()), Vec::<String>::new());
}

#[test]
fn every_violation_at_once_sorted_by_path() {
    let mut data = pix();
    data["outTradeNo"] = json!("order-1!");
    data["trade"]["amount"] = json!("10.505");
    data["payeeInfo"]["targetOrg"] = json!("PIKS");
    data["payeeInfo"]["accountInfo"]["accountNo"] = json!("12ab");
    data["payeeInfo"]["name"] = json!({"firstName": "x".repeat(65)});
    assert_eq!(
        report(&spec(), &data),
        [
            "outTradeNo: does not match `^[A-Za-z0-9_]{1,63}$` [pattern]",
            "payeeInfo.accountInfo.accountNo: does not match `^[0-9]+$` for BR REALTIME_PAYMENT (pix) [pattern]",
            "payeeInfo.name.firstName: length 65 is greater than 64 [max_length]",
            "payeeInfo.targetOrg: `PIKS` is not one of: PIX [enum]",
            "trade.amount: has 3 decimal places; BRL allows 2 [amount_precision]",
        ]
    );
}

#[test]
fn required_fields_and_types() {
    let data = json!({"country": "BR", "trade": {"amount": 10}, "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "accountInfo": {}}});
    assert_eq!(
        report(&spec(), &data),
        [
            "outTradeNo: is required [required]",
            "payeeInfo.accountInfo.accountNo: is required [required]",
            "payeeInfo.targetOrg: is required for BR REALTIME_PAYMENT (pix) [required]",
            "trade.amount: must be a string [type]",
            "trade.currency: is required [required]",
        ]
    );
}

#[test]
fn amount_limits_and_format() {
    let spec = spec();
    let mut data = pix();
    data["trade"]["amount"] = json!("5000.01");
    assert_eq!(
        report(&spec, &data),
        [
            "trade.amount: 5000.01 is above the maximum 5000 BRL for BR REALTIME_PAYMENT (pix) [amount_max]"
        ]
    );
    data["trade"]["amount"] = json!("0.001");
    assert_eq!(
        report(&spec, &data),
        [
            "trade.amount: has 3 decimal places; BRL allows 2 [amount_precision]",
            "trade.amount: 0.001 is below the minimum 0.01 BRL for BR REALTIME_PAYMENT (pix) [amount_min]",
        ]
    );
    data["trade"]["amount"] = json!("1e3");
    assert_eq!(
        report(&spec, &data),
        ["trade.amount: `1e3` is not a decimal amount such as 10 or 10.50 [amount_format]"]
    );
    // Limits are in the method's currency: a USD trade converted to BRL (destinationCurrency
    // says what the payee receives) is not held to BRL limits.
    data["trade"] = json!({"amount": "9000", "currency": "USD"});
    data["destinationCurrency"] = json!("BRL");
    assert_eq!(report(&spec, &data), Vec::<String>::new());
}

#[test]
fn a_currency_the_country_does_not_pay_out_in_is_refused() {
    let spec = spec();
    // A Brazil PIX payout in MXN, with no destinationCurrency: refused (#15).
    let mut data = pix();
    data["trade"] = json!({"amount": "10", "currency": "MXN"});
    assert_eq!(
        report(&spec, &data),
        [
            "trade.currency: BR pays out in BRL, not MXN (to pay a MXN amount converted by PayerMax, send destinationCurrency BRL) [currency]"
        ]
    );
    // Saying what the payee receives makes it a conversion; a receiving currency the country
    // does not pay in is refused in its turn.
    data["destinationCurrency"] = json!("BRL");
    assert_eq!(report(&spec, &data), Vec::<String>::new());
    data["destinationCurrency"] = json!("MXN");
    assert_eq!(
        report(&spec, &data),
        ["destinationCurrency: BR pays out in BRL, not MXN [currency]"]
    );
}

#[test]
fn a_rail_country_without_its_rail_and_an_organisation_of_another_country_are_refused() {
    let spec = spec();
    // A SEPA payee whose request lost its rail: DE has no file of its own, SEPA reaches it.
    let sepa = json!({
        "outTradeNo": "o_1", "country": "DE",
        "trade": {"amount": "10", "currency": "EUR"},
        "payeeInfo": {"paymentMethodType": "BANK_TRANSFER",
                      "accountInfo": {"accountNo": "DE00 not an iban"}},
    });
    assert_eq!(
        report(&spec, &sepa),
        ["clearingRail: is required for DE: PayerMax pays it through SEPA [required]"]
    );
    // Element validation checks only what was sent: no rail, no rule set, nothing reported
    // (the fuzz target's oracle: element validation never reports `required`).
    assert_eq!(spec.validate_sent_fields(&sepa), Vec::new());
    // A route the spec does not describe (the merchant's contracted LOCAL rail) is not checked.
    let mut local = sepa.clone();
    local["clearingRail"] = json!("LOCAL");
    assert_eq!(report(&spec, &local), Vec::<String>::new());
    // Egypt's Meeza wallet sent with country MX: MX lists no WALLET method (built-in spec).
    let spec = payermax_spec::builtin().unwrap();
    let meeza = json!({
        "outTradeNo": "o_2", "country": "MX",
        "trade": {"amount": "10", "currency": "MXN"},
        "payeeInfo": {"paymentMethodType": "WALLET", "targetOrg": "MEEZA_NETWORK",
                      "accountInfo": {"accountNo": "01012345678"}},
    });
    let found = report(&spec, &meeza);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("payeeInfo.targetOrg: MEEZA_NETWORK is an organisation of EG WALLET")
            && found[0]
                .ends_with("; MX offers no WALLET payouts (is country right?) [org_elsewhere]"),
        "{found:?}"
    );
    // An organisation no country lists keeps the tolerant reading (country lists are not
    // known to be complete).
    let mut unknown_org = meeza.clone();
    unknown_org["payeeInfo"]["targetOrg"] = json!("SOMEWALLET");
    assert_eq!(report(&spec, &unknown_org), Vec::<String>::new());
}

#[test]
fn method_not_offered_and_strict_request_enums() {
    let spec = spec();
    let mut data = pix();
    data["payeeInfo"]["paymentMethodType"] = json!("CASH");
    // PaymentMethodType is received too (`direction: both`): unknown values are not refused
    // by the enum, only by the country's method list.
    assert_eq!(
        report(&spec, &data),
        [
            "payeeInfo.paymentMethodType: BR offers no CASH payouts (offered: REALTIME_PAYMENT, BANK_TRANSFER) [method_unavailable]"
        ]
    );
    // ClearingRail is only sent (`direction: request`): it stays strict.
    let mut data = pix();
    data["clearingRail"] = json!("SWIFTX");
    assert_eq!(
        report(&spec, &data),
        ["clearingRail: `SWIFTX` is not one of: SEPA, LOCAL [enum]"]
    );
}

#[test]
fn object_rule_needs_a_non_empty_member() {
    let spec = spec();
    let mut data = pix();
    data["payeeInfo"]["paymentMethodType"] = json!("BANK_TRANSFER");
    data["payeeInfo"]["name"] = json!({"firstName": ""});
    assert_eq!(
        report(&spec, &data),
        ["payeeInfo.name: is required for BR BANK_TRANSFER (bank_transfer) [required]"]
    );
    data["payeeInfo"]["name"] = json!({"firstName": "Ana"});
    assert_eq!(report(&spec, &data), Vec::<String>::new());
}

#[test]
fn sepa_rail_named_checks_and_reach() {
    let spec = spec();
    let mut data = json!({
        "outTradeNo": "o2", "country": "NO", "clearingRail": "SEPA",
        "trade": {"amount": "10", "currency": "EUR"},
        "payeeInfo": {"paymentMethodType": "BANK_TRANSFER",
                      "accountInfo": {"accountNo": "NO9386011117947"},
                      "bankInfo": {"bankCode": "DNBANOKK"}}
    });
    assert_eq!(report(&spec, &data), Vec::<String>::new());
    data["payeeInfo"]["accountInfo"]["accountNo"] = json!("NO9386011117948");
    // A valid BIC in lower case: print format, refused in JSON with a hint (the typed
    // builders and bulk files convert it).
    data["payeeInfo"]["bankInfo"]["bankCode"] = json!("dnbanokk");
    let violations = spec.validate_payout(&data);
    let codes: Vec<(&str, &str, String)> = violations
        .iter()
        .map(|v| {
            (
                v.path.as_str(),
                v.code,
                v.params
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "payeeInfo.accountInfo.accountNo",
                "check",
                "check=iban,reason=check_digit".to_owned()
            ),
            (
                "payeeInfo.bankInfo.bankCode",
                "check",
                "check=swift_bic,reason=print_format".to_owned()
            ),
        ]
    );
    data["country"] = json!("SE");
    assert_eq!(
        report(&spec, &data)[0],
        "country: SEPA does not reach SE [country_not_in_rail]"
    );
}

#[test]
fn unknown_country_gets_api_wide_rules_only() {
    let mut data = pix();
    data["country"] = json!("ZZ");
    assert_eq!(report(&spec(), &data), Vec::<String>::new());
}

#[test]
fn element_validation_report_shape() {
    let spec = spec();
    let data = json!({
        "country": "BR",
        "payeeInfo": {"paymentMethodType": "REALTIME_PAYMENT", "targetOrg": "PIX",
                      "accountInfo": {"accountNo": "12ab"},
                      "name": {"firstName": "x".repeat(65), "lastName": "Silva"}},
        "notDeclared": "silently not processed"
    });
    let r = spec.field_report(&data);
    assert_eq!(r.validation_code, "PARAMS_INVALID");
    assert_eq!(
        r.passed,
        [
            "country",
            "payeeInfo.paymentMethodType",
            "payeeInfo.targetOrg"
        ]
    );
    // Outside PIX's rule set: ignored whatever the value (reference §4, rules of evaluation;
    // the too-long first name used to be reported as failed).
    assert_eq!(
        r.ignored,
        ["payeeInfo.name.firstName", "payeeInfo.name.lastName"]
    );
    assert_eq!(
        r.failed,
        [(
            "payeeInfo.accountInfo.accountNo".to_owned(),
            "does not match `^[0-9]+$` for BR REALTIME_PAYMENT (pix)".to_owned()
        ),]
    );
    assert!(r.warnings.is_empty());
}

/// The built-in spec's country lists are not known to be complete (payee-rules.md §0, §10).
#[test]
fn declared_method_types_a_country_does_not_list_get_the_api_wide_rules() {
    let spec = payermax_spec::builtin().unwrap();
    let mut data = pix();
    for declared in ["CASH", "CARRIER_BILLING", "ATM_CARD"] {
        data["payeeInfo"]["paymentMethodType"] = json!(declared);
        assert_eq!(report(&spec, &data), Vec::<String>::new(), "{declared}");
    }
    // Not a type the API declares: a typo, refused with what Brazil offers.
    data["payeeInfo"]["paymentMethodType"] = json!("BANK_TRANSFERR");
    let lines = report(&spec, &data);
    assert!(
        lines.len() == 1
            && lines[0].starts_with(
                "payeeInfo.paymentMethodType: BR offers no BANK_TRANSFERR payouts (offered: "
            ),
        "{lines:?}"
    );
    // A rail is a bank-transfer route: another type is refused there.
    let mut sepa = pix();
    sepa["country"] = json!("DE");
    sepa["clearingRail"] = json!("SEPA");
    sepa["payeeInfo"]["paymentMethodType"] = json!("WALLET");
    let lines = report(&spec, &sepa);
    assert!(
        lines.iter().any(|l| l.ends_with("[method_unavailable]")),
        "{lines:?}"
    );
}

#[test]
fn an_organisation_no_method_of_its_type_lists_is_refused_naming_them_all() {
    let spec = payermax_spec::builtin().unwrap();
    let mut data = pix();
    data["payeeInfo"]["paymentMethodType"] = json!("WALLET");
    data["payeeInfo"]["targetOrg"] = json!("PICPAY");
    let lines = report(&spec, &data);
    assert!(
        lines.contains(
            &"payeeInfo.targetOrg: `PICPAY` is not one of: MERCADOPAGO, PAGBANK [enum]".to_owned()
        ),
        "{lines:?}"
    );
    data["payeeInfo"]["targetOrg"] = json!("PAGBANK");
    assert!(
        !report(&spec, &data)
            .iter()
            .any(|l| l.starts_with("payeeInfo.targetOrg")),
        "PAGBANK is Brazil's second WALLET method"
    );
}
