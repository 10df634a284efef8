//@check-pass
//! A merchant adds a country before we ship it: the built-in spec plus one extra file.
payermax::generate!(extend = "../tests/fixtures/extend/extra.yaml");

pub fn main() {
    let payee = payee::zz::BankTransfer::builder()
        .account_no("000123")
        .document_id("X1")
        .build();
    let request = PaymentOrderPayRequest::new("zz_1", "ZZ", trade_zz(), payee.into());
    assert!(request.validate().is_ok_and(|w| w.is_empty()));
    // ZZ's document rule is advisory: without it the payout warns and may still be sent.
    let payee = payee::zz::BankTransfer::builder()
        .account_no("000123")
        .build();
    let request = PaymentOrderPayRequest::new("zz_2", "ZZ", trade_zz(), payee.into());
    let warnings = request.validate().expect("advisory rules never block");
    assert_eq!(warnings.len(), 1);
    assert!(request.is_valid());
    // The built-in countries are still there.
    let _ = payee::br::Pix::builder().account_no("1").build();
}

fn trade_zz() -> Trade {
    Trade::new(
        Currency::Zzd.amount("5").expect("ZZD has no decimals"),
        "ZZD",
    )
}
