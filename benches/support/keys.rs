//! The runtime's test key pairs (made with the `openssl` CLI): the merchant's and PayerMax's.
// Shared by several benches, each of which uses only part of it.
#![allow(dead_code)]

use payermax::runtime::{PrivateKey, PublicKey};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            "../../payermax-runtime/tests/fixtures/openssl/",
            $name
        ))
    };
}

/// The merchant's private key, in the dashboard format.
pub const MERCHANT_PRIVATE: &str = fixture!("merchant_private_dashboard.txt");
/// The merchant's public key, in the dashboard format.
pub const MERCHANT_PUBLIC: &str = fixture!("merchant_public_dashboard.txt");
/// PayerMax's (here: the gateway's) private key.
pub const PAYERMAX_PRIVATE: &str = fixture!("payermax_private_dashboard.txt");
/// PayerMax's public key.
pub const PAYERMAX_PUBLIC: &str = fixture!("payermax_public_dashboard.txt");

/// (private, public) of the merchant.
pub fn merchant() -> (PrivateKey, PublicKey) {
    (
        PrivateKey::parse(MERCHANT_PRIVATE).expect("fixture key"),
        PublicKey::parse(MERCHANT_PUBLIC).expect("fixture key"),
    )
}

/// (private, public) of PayerMax.
pub fn payermax() -> (PrivateKey, PublicKey) {
    (
        PrivateKey::parse(PAYERMAX_PRIVATE).expect("fixture key"),
        PublicKey::parse(PAYERMAX_PUBLIC).expect("fixture key"),
    )
}
