// Absolute paths would tie a crate to one machine: refused on the argument's span.
payermax::generate!(extend = "/etc/payermax/extra.yaml");

fn main() {}
