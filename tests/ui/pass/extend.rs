//! A merchant adds a country before we ship it: the built-in spec plus one extra file.
payermax::generate!(extend = "../../../../tests/fixtures/extend/extra.yaml");

fn main() {
    let payee = payee::zz::BankTransfer::builder()
        .account_no("000123")
        .document_id("X1")
        .build();
    let trade = Trade::new(
        Currency::Zzd.amount("5").expect("ZZD has no decimals"),
        "ZZD",
    );
    let request = PaymentOrderPayRequest::new("zz_1", "ZZ", trade, payee.into());
    assert_eq!(request.validate(), Ok(()));
    // The built-in countries are still there.
    let _ = payee::br::Pix::builder().account_no("1").build();
}
