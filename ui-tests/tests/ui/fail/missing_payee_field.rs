fn main() {
    let _ = payermax::payee::sepa::Sepa::builder().account_no("NO9386011117947").build();
}
