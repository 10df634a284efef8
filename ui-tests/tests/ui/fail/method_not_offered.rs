fn main() {
    // Brazil offers no cash payouts.
    let _ = payermax::payee::br::Fawry::builder();
}
