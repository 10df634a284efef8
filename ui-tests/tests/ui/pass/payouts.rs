//@check-pass
//! Full payouts for several countries and methods through the typed builders.
use payermax::{Currency, PayeeInfo, PaymentOrderPayRequest, Trade, payee};

fn request(
    out: &str,
    country: &str,
    currency: Currency,
    amount: &str,
    payee: PayeeInfo,
) -> PaymentOrderPayRequest {
    let trade = Trade::new(
        currency.amount(amount).expect("valid amount"),
        currency.as_str(),
    );
    PaymentOrderPayRequest::new(out, country, trade, payee)
}

pub fn main() {
    let pix = payee::br::Pix::builder().account_no("12345678901").build();
    let br = request("br_1", "BR", Currency::Brl, "10.50", pix.into());
    assert!(br.validate().is_ok_and(|w| w.is_empty()));

    let fawry = payee::eg::Fawry::builder()
        .account_no("01012345678")
        .build();
    let eg = request("eg_1", "EG", Currency::Egp, "150", fawry.into());
    assert!(eg.validate().is_ok_and(|w| w.is_empty()));

    let name = payermax::PayeeName {
        full_name: Some("Ola Nordmann".into()),
        ..Default::default()
    };
    let address = payermax::Address {
        city: Some("Oslo".into()),
        ..Default::default()
    };
    let sepa = payee::sepa::Sepa::builder()
        .account_no("NO9386011117947")
        .bank_code("DNBANOKK")
        .name(name)
        .address(address)
        .build();
    let mut no = request("no_1", "NO", Currency::Eur, "99.99", sepa.into());
    no.clearing_rail = Some(payermax::ClearingRail::Sepa);
    assert!(no.validate().is_ok_and(|w| w.is_empty()));

    // KRW has no decimals: the amount is refused before any request exists.
    assert!(Currency::Krw.amount("10.5").is_err());
}
