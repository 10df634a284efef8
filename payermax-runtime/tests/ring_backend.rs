//! With the `ring-backend` feature, `keys::sign` and `keys::verify` go through `ring`; they must
//! agree with the `rsa` crate byte for byte (PKCS#1 v1.5 signatures are deterministic).
//! Run with `cargo test -p payermax-runtime --features ring-backend`.
#![cfg(feature = "ring-backend")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use payermax_runtime::SignatureError;
use payermax_runtime::keys::{self, PrivateKey, PublicKey};
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};

const MERCHANT_PRIVATE: &str = include_str!("fixtures/openssl/merchant_private_dashboard.txt");
const MERCHANT_PUBLIC: &str = include_str!("fixtures/openssl/merchant_public_dashboard.txt");

/// The signature the `rsa` crate makes, in base64, for a key in the dashboard format.
fn rsa_crate_sign(dashboard: &str, message: &[u8]) -> String {
    let der = STANDARD.decode(dashboard.trim()).unwrap();
    let key = rsa::PrivateKey::from_pkcs8_der(&der).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key);
    STANDARD.encode(signer.sign(message).to_vec())
}

fn messages() -> Vec<Vec<u8>> {
    vec![
        Vec::new(),
        br#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"status":"PENDING"}}"#.to_vec(),
        include_bytes!("fixtures/openssl/body.json").to_vec(),
        (0..10_000u32).map(|i| (i % 251) as u8).collect(),
    ]
}

#[test]
fn the_backend_is_ring() {
    assert_eq!(keys::BACKEND, "ring");
}

#[test]
fn ring_signs_exactly_like_the_rsa_crate() {
    let key = PrivateKey::parse(MERCHANT_PRIVATE).unwrap();
    for message in messages() {
        assert_eq!(
            keys::sign(&key, &message),
            rsa_crate_sign(MERCHANT_PRIVATE, &message),
            "message of {} bytes",
            message.len()
        );
    }
}

#[test]
fn ring_signs_generated_keys_like_the_rsa_crate() {
    let (key, public) = keys::generate_keypair().unwrap();
    let dashboard = key.to_dashboard().unwrap();
    for message in messages() {
        let signature = keys::sign(&key, &message);
        assert_eq!(signature, rsa_crate_sign(&dashboard, &message));
        keys::verify(&public, &message, &signature).unwrap();
    }
}

#[test]
fn ring_verifies_rsa_crate_signatures_and_refuses_tampering() {
    let public = PublicKey::parse(MERCHANT_PUBLIC).unwrap();
    for message in messages() {
        let signature = rsa_crate_sign(MERCHANT_PRIVATE, &message);
        keys::verify(&public, &message, &signature).unwrap();
        let mut other = message.clone();
        other.push(b' ');
        assert_eq!(
            keys::verify(&public, &other, &signature),
            Err(SignatureError::Invalid)
        );
    }
}
