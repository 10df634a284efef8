//! A typed payee makes a correct request (#15 §1): `to_payee` and `via_rail` take the country,
//! rail and currency from the payee's method, and the three wrong requests a new user built
//! by hand (a SEPA payee without its rail, a Mexico bank transfer in BRL, an Egyptian wallet
//! sent to Mexico) are refused by `validate()`, by the generated verdict `is_valid()`, and by
//! the sandbox over loopback, with nothing placed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::sepa_payee;
use payermax::{
    ClearingRail, Country, Currency, PaymentOrderPayRequest, PayoutStatus, Trade, payee,
};
use payermax_sandbox::SandboxConfig;

fn mexico() -> payee::mx::BankTransfer {
    payee::mx::BankTransfer::builder()
        .account_no("012180001234567891")
        .build()
}

fn meeza() -> payee::eg::MeezaNetwork {
    payee::eg::MeezaNetwork::builder()
        .account_no("01012345678")
        .build()
}

/// A SWIFT payee (the rail pays USD and EUR).
fn swift_payee() -> payee::swift::Swift {
    payee::swift::Swift::builder()
        .account_no("DE89370400440532013000")
        .bank_code("COBADEFFXXX")
        .name(payermax::PayeeName {
            full_name: Some("Erika Mustermann".into()),
            ..Default::default()
        })
        .build()
}

/// What `validate()` refuses, as `path [code]`.
fn refused(request: &PaymentOrderPayRequest) -> Vec<String> {
    assert!(!request.is_valid(), "the generated verdict refuses it too");
    request
        .validate()
        .unwrap_err()
        .violations
        .iter()
        .map(|v| format!("{} [{}]", v.path, v.code))
        .collect()
}

#[test]
fn typed_constructors_fill_country_rail_and_currency_from_the_method() {
    let br = PaymentOrderPayRequest::to_payee(
        "o_br",
        payee::br::Pix::builder().account_no("12345678901").build(),
        "10.50",
    )
    .unwrap();
    assert_eq!(
        (br.country.as_str(), br.trade.currency.as_str()),
        ("BR", "BRL")
    );
    assert_eq!(br.trade.amount.as_str(), "10.50");
    assert_eq!(br.clearing_rail, None);
    br.validate().unwrap();

    let mx = PaymentOrderPayRequest::to_payee("o_mx", mexico(), "250").unwrap();
    assert_eq!(
        (mx.country.as_str(), mx.trade.currency.as_str()),
        ("MX", "MXN")
    );
    let eg = PaymentOrderPayRequest::to_payee("o_eg", meeza(), "100").unwrap();
    assert_eq!(
        (eg.country.as_str(), eg.trade.currency.as_str()),
        ("EG", "EGP")
    );
    assert_eq!(eg.payee_info.target_org.as_deref(), Some("MEEZA_NETWORK"));
    for request in [&mx, &eg] {
        assert!(request.is_valid(), "{request:?}");
    }

    // A SEPA payee keeps its rail; its country is one the rail reaches, typed.
    let sepa = PaymentOrderPayRequest::via_rail(
        "o_sepa",
        Country::De,
        sepa_payee("DE89 3704 0044 0532 0130 00", "cobadeffxxx"),
        "99.99",
    )
    .unwrap();
    assert_eq!(sepa.clearing_rail, Some(ClearingRail::Sepa));
    assert_eq!(
        (sepa.country.as_str(), sepa.trade.currency.as_str()),
        ("DE", "EUR")
    );
    sepa.validate().unwrap();
    // …so a broken IBAN is caught again.
    let broken = PaymentOrderPayRequest::via_rail(
        "o_sepa_bad",
        Country::De,
        sepa_payee("DE00370400440532013000", "COBADEFFXXX"),
        "99.99",
    )
    .unwrap();
    assert_eq!(
        refused(&broken),
        ["payeeInfo.accountInfo.accountNo [check]"]
    );

    // SWIFT pays USD (its method's currency) and EUR: `via_rail_in` picks one of them.
    let usd =
        PaymentOrderPayRequest::via_rail("o_wire", Country::De, swift_payee(), "500").unwrap();
    let eur = PaymentOrderPayRequest::via_rail_in(
        "o_wire_eur",
        Country::De,
        Currency::Eur,
        swift_payee(),
        "500.25",
    )
    .unwrap();
    assert_eq!(usd.trade.currency, "USD");
    assert_eq!(
        (eur.trade.currency.as_str(), eur.clearing_rail),
        ("EUR", Some(ClearingRail::Swift))
    );
    for mut wire in [usd, eur] {
        wire.charge_option = Some(payermax::ChargeOption::Sha);
        assert!(wire.validate().is_ok_and(|w| w.is_empty()), "{wire:?}");
        assert!(wire.is_valid());
    }
    // A currency the rail does not pay, or SEPA (EUR only) in USD: refused before any request.
    let gbp = PaymentOrderPayRequest::via_rail_in(
        "o_gbp",
        Country::Gb,
        Currency::Gbp,
        swift_payee(),
        "1",
    );
    assert_eq!(
        gbp.unwrap_err().to_string(),
        "the method pays out in USD, EUR, not in GBP"
    );
    let sepa_usd = PaymentOrderPayRequest::via_rail_in(
        "o_sepa_usd",
        Country::De,
        Currency::Usd,
        sepa_payee("DE89370400440532013000", "COBADEFFXXX"),
        "1",
    );
    assert!(matches!(
        sepa_usd,
        Err(payermax::AmountError::Currency { ref paid, .. }) if paid == "EUR"
    ));
    // …and the amount follows the chosen currency's precision.
    assert!(
        PaymentOrderPayRequest::via_rail_in(
            "o_p",
            Country::De,
            Currency::Eur,
            swift_payee(),
            "1.005"
        )
        .is_err()
    );

    // The amount follows the method's currency precision.
    let too_precise = PaymentOrderPayRequest::to_payee("o_krw", mexico(), "10.505");
    assert!(too_precise.is_err());
    assert_eq!(Currency::Mxn.to_string(), "MXN");
    assert_eq!(Country::De.to_string(), "DE");
}

/// The three requests from the issue, built the loose way.
fn wrong_requests() -> Vec<(&'static str, PaymentOrderPayRequest, Vec<&'static str>)> {
    let sepa = PaymentOrderPayRequest::new(
        "w_sepa",
        "DE",
        Trade::new(Currency::Eur.amount("10").unwrap(), "EUR"),
        sepa_payee("DE00370400440532013000", "COBADEFFXXX").into(),
    );
    let mexico_in_brl = PaymentOrderPayRequest::new(
        "w_mx_brl",
        "MX",
        Trade::new(Currency::Brl.amount("10").unwrap(), "BRL"),
        mexico().into(),
    );
    let meeza_in_mexico = PaymentOrderPayRequest::new(
        "w_meeza_mx",
        "MX",
        Trade::new(Currency::Mxn.amount("100").unwrap(), "MXN"),
        meeza().into(),
    );
    vec![
        ("PARAMS_INVALID", sepa, vec!["clearingRail [required]"]),
        (
            "PARAMS_INVALID",
            mexico_in_brl,
            vec!["trade.currency [currency]"],
        ),
        (
            "PAYMENT_METHOD_NOT_EXIST",
            meeza_in_mexico,
            vec!["payeeInfo.targetOrg [org_elsewhere]"],
        ),
    ]
}

#[test]
fn the_three_wrong_requests_are_refused_by_validate() {
    for (_, request, expected) in wrong_requests() {
        assert_eq!(refused(&request), expected, "{}", request.out_trade_no);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_refuses_them_and_pays_the_typed_ones() {
    let env = common::env(SandboxConfig::default()).await;
    // Sent without the client's own check (`send_unchecked` does not exist: the runtime's raw
    // call sends the JSON as it is), so the sandbox's answer is what is tested.
    for (code, request, _) in wrong_requests() {
        let json = serde_json::to_value(&request).unwrap();
        let err = env
            .client
            .runtime()
            .call::<_, serde_json::Value>("paymentOrderPay", &json, &[])
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(code), "{}: {err}", request.out_trade_no);
        assert_eq!(env.sandbox.order_count(&request.out_trade_no), 0);
    }
    // The typed client refuses them before sending anything.
    let before = env.sandbox.requests().len();
    for (_, request, _) in wrong_requests() {
        let err = env.client.pay_idempotent(&request).await.unwrap_err();
        assert!(
            matches!(err, payermax::runtime::Error::Validation(_)),
            "{err}"
        );
    }
    assert_eq!(env.sandbox.requests().len(), before, "nothing was sent");

    let mut wire_eur = PaymentOrderPayRequest::via_rail_in(
        "t_swift_eur",
        Country::De,
        Currency::Eur,
        swift_payee(),
        "500.25",
    )
    .unwrap();
    wire_eur.charge_option = Some(payermax::ChargeOption::Our);
    let typed = [
        wire_eur,
        PaymentOrderPayRequest::to_payee(
            "t_br",
            payee::br::Pix::builder().account_no("12345678901").build(),
            "10",
        )
        .unwrap(),
        PaymentOrderPayRequest::to_payee("t_mx", mexico(), "250").unwrap(),
        PaymentOrderPayRequest::to_payee("t_eg", meeza(), "100").unwrap(),
        PaymentOrderPayRequest::via_rail(
            "t_sepa",
            Country::De,
            sepa_payee("DE89370400440532013000", "COBADEFFXXX"),
            "99.99",
        )
        .unwrap(),
    ];
    for request in &typed {
        let payout = env.client.pay_idempotent(request).await.unwrap();
        assert_eq!(
            payout.status,
            PayoutStatus::Pending,
            "{}",
            request.out_trade_no
        );
        assert_eq!(env.sandbox.order_count(&request.out_trade_no), 1);
    }
    env.sandbox.shutdown().await;
}
