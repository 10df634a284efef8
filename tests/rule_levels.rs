//! Rules carry their confidence (#14 §1): an advisory rule (an example, an ambiguous page, a
//! guess) warns and never blocks a payout; an enforced one (PayerMax's word, or a standard
//! every bank applies) blocks as before. Typed validation, the JSON interpreter and the
//! sandbox over loopback agree; IBANs and BICs in print format are converted by the typed
//! builders and refused in raw JSON with a hint.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::env;
use payermax::runtime::Level;
use payermax::{Currency, PayeeName, PaymentOrderPayRequest, PayoutStatus, Trade, payee};
use payermax_sandbox::SandboxConfig;
use serde_json::json;

/// A Mexico bank transfer whose bank code is not three digits: the page never names the
/// field that carries the code, so the rule only advises.
fn mx_payout(out: &str) -> PaymentOrderPayRequest {
    let payee = payee::mx::BankTransfer::builder()
        .account_no("002180700012345678")
        .bank_code("BANAMEX")
        .build();
    PaymentOrderPayRequest::new(
        out,
        "MX",
        Trade::new(Currency::Mxn.amount("150").unwrap(), "MXN"),
        payee.into(),
    )
}

/// A Pix payout to a name with accents and an apostrophe, which the derived name pattern does
/// not allow (whether PayerMax refuses it is unconfirmed).
fn accented_payout(out: &str) -> PaymentOrderPayRequest {
    let mut payee: payermax::PayeeInfo = payee::br::Pix::builder()
        .account_no("12345678901")
        .build()
        .into();
    payee.name = Some(PayeeName {
        full_name: Some("João D'Ávila".into()),
        ..Default::default()
    });
    PaymentOrderPayRequest::new(
        out,
        "BR",
        Trade::new(Currency::Brl.amount("10").unwrap(), "BRL"),
        payee,
    )
}

#[test]
fn advisory_violations_are_warnings_in_both_executors() {
    for (request, path) in [
        (mx_payout("mx_1"), "payeeInfo.bankInfo.bankCode"),
        (accented_payout("br_1"), "payeeInfo.name.fullName"),
    ] {
        assert!(request.is_valid(), "advisory rules never make it invalid");
        let warnings = request.validate().expect("only warnings");
        let paths: Vec<&str> = warnings.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, [path]);
        assert!(warnings.iter().all(|v| v.level == Level::Advise));
        assert!(warnings.to_string().ends_with("(advisory)"), "{warnings}");
        // The interpreter on the JSON says the same.
        let json = serde_json::to_value(&request).unwrap();
        let interpreted = payermax::loaded_plan().validate_payout(&json);
        assert_eq!(interpreted, warnings.violations);
    }
    // An enforced violation still blocks, and the report keeps the warnings beside it.
    let mut both = mx_payout("mx bad");
    both.trade.amount = payermax::Amount::new("150.001").unwrap();
    assert!(!both.is_valid());
    let report = both.validate().unwrap_err();
    let errors: Vec<&str> = report.errors().map(|v| v.path.as_str()).collect();
    let warnings: Vec<&str> = report.warnings().map(|v| v.path.as_str()).collect();
    assert_eq!(errors, ["outTradeNo", "trade.amount"]);
    assert_eq!(warnings, ["payeeInfo.bankInfo.bankCode"]);
}

#[test]
fn an_iban_in_print_format_is_converted_by_the_builder_and_refused_in_json() {
    let payee = common::sepa_payee("no93 8601 1117 947", "dnba nokk");
    assert_eq!(payee.account_no, "NO9386011117947");
    assert_eq!(payee.bank_code, "DNBANOKK");
    let mut request = PaymentOrderPayRequest::new(
        "sepa_1",
        "NO",
        Trade::new(Currency::Eur.amount("20").unwrap(), "EUR"),
        payee.into(),
    );
    request.clearing_rail = Some(payermax::ClearingRail::Sepa);
    assert!(request.validate().unwrap().is_empty());

    // The same IBAN as printed, in raw JSON: refused (it is enforced), saying why.
    let mut json = serde_json::to_value(&request).unwrap();
    json["payeeInfo"]["accountInfo"]["accountNo"] = json!("NO93 8601 1117 947");
    let found = payermax::loaded_plan().validate_payout(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    let v = &found[0];
    assert_eq!(
        (v.path.as_str(), v.code, v.level),
        ("payeeInfo.accountInfo.accountNo", "check", Level::Enforce)
    );
    assert_eq!(v.param("reason"), Some("print_format"));
    assert!(v.message.contains("electronic format"), "{}", v.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_pays_what_only_advisory_rules_question() {
    let env = env(SandboxConfig::default()).await;
    for request in [mx_payout("mx_paid"), accented_payout("br_paid")] {
        let placed = env.client.pay(&request).await.unwrap();
        assert_eq!(placed.status, Some(PayoutStatus::Pending));
        assert_eq!(env.sandbox.order_count(&request.out_trade_no), 1);
    }
    // An enforced rule the sandbox refuses as PayerMax would: an IBAN as printed, sent raw.
    let mut json = serde_json::to_value(mx_payout("unused")).unwrap();
    json["outTradeNo"] = json!("sepa_raw");
    json["country"] = json!("DE");
    json["clearingRail"] = json!("SEPA");
    json["trade"] = json!({"amount": "20", "currency": "EUR"});
    json["payeeInfo"] = json!({
        "paymentMethodType": "BANK_TRANSFER",
        "accountInfo": {"accountNo": "DE89 3704 0044 0532 0130 00"},
        "bankInfo": {"bankCode": "COBADEFFXXX"},
        "name": {"fullName": "Max Mustermann"},
        "address": {"city": "Berlin"}
    });
    // Sent as JSON past the typed client's own check, as a hand-written integration would.
    let err = env
        .client
        .runtime()
        .call::<_, serde_json::Value>("paymentOrderPay", &json, payermax::ERROR_TABLE)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("PARAMS_INVALID"), "{err}");
    assert_eq!(env.sandbox.order_count("sepa_raw"), 0);
    env.sandbox.shutdown().await;
}

/// Jordan's dinar takes 2 decimal places unless PayerMax support has agreed 3 with the
/// merchant ("3 *" in the currency table): the spec gives 2, the configuration the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jod_takes_three_places_only_where_the_merchant_has_agreed_them() {
    use payermax_sandbox::{Merchant, Sandbox};
    let jod = |out: &str| {
        let payee = payee::jo::BankTransfer::builder()
            .account_no("JO94CBJO0010000000000131000302")
            .target_org("BOJ")
            .build();
        PaymentOrderPayRequest::new(
            out,
            "JO",
            Trade::new(payermax::Amount::new("10.125").unwrap(), "JOD"),
            payee.into(),
        )
    };
    assert_eq!(Currency::Jod.decimals(), 2);
    let report = jod("jo_1").validate().unwrap_err();
    assert_eq!(report.errors().next().unwrap().code, "amount_precision");

    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (merchant, key) = Merchant::generate("app_jo", "M_JO").unwrap();
    sandbox.register_merchant(merchant.currency_decimals("JOD", 3));
    let client = |agreed: bool| {
        common::client_of(&sandbox, ("app_jo", "M_JO"), &key, |config| {
            if agreed {
                config.currency_decimals("JOD", 3)
            } else {
                config
            }
        })
    };
    // Without the arrangement in its configuration the client sends nothing.
    let err = client(false).pay(&jod("jo_1")).await.unwrap_err();
    assert!(
        matches!(err, payermax::runtime::Error::Validation(_)),
        "{err}"
    );
    assert!(sandbox.requests_for("jo_1").is_empty());
    // With it, the three places are sent and the sandbox (same arrangement) pays.
    let placed = client(true).pay(&jod("jo_2")).await.unwrap();
    assert_eq!(placed.status, Some(PayoutStatus::Pending));
    assert_eq!(
        sandbox.order("jo_2").unwrap().data["trade"]["amount"],
        "10.125"
    );
    // Four places are more than agreed.
    let mut four = jod("jo_3");
    four.trade.amount = payermax::Amount::new("10.1255").unwrap();
    assert!(client(true).pay(&four).await.is_err());
    sandbox.shutdown().await;
}
