//! Generated validators (typed requests read through their generated `Doc` impls) and the
//! spec interpreter run on the serialized JSON must report the same violations, in the same
//! order, for valid and broken payees alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use payermax::{Amount, PayeeInfo, PayeeName, PaymentOrderPayRequest, Trade, payee};
use proptest::prelude::*;

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
    prop_oneof![pix, kr, sepa, fawry]
}

fn report(
    v: Result<(), payermax::runtime::ValidationErrors>,
) -> Vec<(String, &'static str, String)> {
    v.err()
        .map(|e| {
            e.violations
                .into_iter()
                .map(|v| (v.path, v.code, v.message))
                .collect()
        })
        .unwrap_or_default()
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
    ) {
        let trade = Trade::new(Amount::new(&amount).unwrap(), currency);
        let mut request = PaymentOrderPayRequest::new(out_trade_no, country, trade, payee);
        if rail && request.country == "NO" {
            request.clearing_rail = Some(payermax::ClearingRail::Sepa);
        }
        request.remark = remark;
        let typed = report(request.validate());
        let json = serde_json::to_value(&request).unwrap();
        let interpreted: Vec<_> = payermax::loaded_spec()
            .validate_payout(&json)
            .into_iter()
            .map(|v| (v.path, v.code, v.message))
            .collect();
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
