fn main() {
    // `name` is the PayeeName object, not a string.
    let _ = payermax::payee::sepa::Sepa::builder().name("Ola Nordmann");
}
