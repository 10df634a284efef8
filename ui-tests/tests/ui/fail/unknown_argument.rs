payermax::generate!(specs = "spec/payermax.yaml");

fn main() {}
