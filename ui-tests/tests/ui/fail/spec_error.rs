payermax::generate!(spec = "../tests/fixtures/bad/payermax.yaml");

fn main() {}
