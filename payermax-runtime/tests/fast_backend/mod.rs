//! The tests every fast backend passes, shared by `tests/ring_backend.rs` and
//! `tests/aws_lc_backend.rs` (each names the backend it expects in `super::EXPECTED`).
//!
//! `keys::sign` and `keys::verify` go through the backend; they must agree with the `rsa` crate
//! byte for byte (PKCS#1 v1.5 signatures are deterministic) and refuse what it refuses, with the
//! same error variants.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use payermax_runtime::SignatureError;
use payermax_runtime::keys::{self, PrivateKey, PublicKey};
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use rsa::signature::{SignatureEncoding as _, Signer as _};

const MERCHANT_PRIVATE: &str = include_str!("../fixtures/openssl/merchant_private_dashboard.txt");
const MERCHANT_PUBLIC: &str = include_str!("../fixtures/openssl/merchant_public_dashboard.txt");
const MERCHANT_PUBLIC_PKCS1_PEM: &str =
    include_str!("../fixtures/openssl/merchant_public_pkcs1.pem");
const BODY: &[u8] = include_bytes!("../fixtures/openssl/body.json");
/// OpenSSL's signature of `BODY` with the merchant's key.
const BODY_SIGNATURE: &str = include_str!("../fixtures/openssl/body.sig.b64");

/// The signature the `rsa` crate makes, in base64, for a key in the dashboard format.
fn rsa_crate_sign(dashboard: &str, message: &[u8]) -> String {
    let der = STANDARD.decode(dashboard.trim()).unwrap();
    let key = rsa::PrivateKey::from_pkcs8_der(&der).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key);
    STANDARD.encode(signer.sign(message).to_vec())
}

/// Whether the `rsa` crate accepts a base64 signature, for a key in the dashboard format.
fn rsa_crate_accepts(dashboard: &str, message: &[u8], signature: &str) -> bool {
    let der = STANDARD.decode(dashboard.trim()).unwrap();
    let key = rsa::PublicKey::from_public_key_der(&der).unwrap();
    let signature = STANDARD.decode(signature.trim()).unwrap();
    key.pkcs1v15_verify::<rsa::sha2::Sha256>(message, &signature)
        .is_ok()
}

fn messages() -> Vec<Vec<u8>> {
    vec![
        Vec::new(),
        br#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{"status":"PENDING"}}"#.to_vec(),
        BODY.to_vec(),
        (0..10_000u32).map(|i| (i % 251) as u8).collect(),
    ]
}

#[test]
fn the_backend_is_the_expected_one() {
    assert_eq!(keys::BACKEND, super::EXPECTED);
}

#[test]
fn signs_exactly_like_the_rsa_crate_and_openssl() {
    let key = PrivateKey::parse(MERCHANT_PRIVATE).unwrap();
    for message in messages() {
        assert_eq!(
            keys::sign(&key, &message),
            rsa_crate_sign(MERCHANT_PRIVATE, &message),
            "message of {} bytes",
            message.len()
        );
    }
    assert_eq!(keys::sign(&key, BODY), BODY_SIGNATURE.trim());
}

#[test]
fn signs_generated_keys_like_the_rsa_crate() {
    let (key, public) = keys::generate_keypair().unwrap();
    let dashboard = key.to_dashboard().unwrap();
    for message in messages() {
        let signature = keys::sign(&key, &message);
        assert_eq!(signature, rsa_crate_sign(&dashboard, &message));
        keys::verify(&public, &message, &signature).unwrap();
    }
}

#[test]
fn verifies_rsa_crate_and_openssl_signatures() {
    // SubjectPublicKeyInfo (dashboard) and PKCS#1 PEM give the same key.
    let public = PublicKey::parse(MERCHANT_PUBLIC).unwrap();
    let pkcs1 = PublicKey::parse(MERCHANT_PUBLIC_PKCS1_PEM).unwrap();
    assert_eq!(public, pkcs1);
    for key in [&public, &pkcs1, &public.clone()] {
        for message in messages() {
            let signature = rsa_crate_sign(MERCHANT_PRIVATE, &message);
            keys::verify(key, &message, &signature).unwrap();
        }
        keys::verify(key, BODY, BODY_SIGNATURE).unwrap();
    }
}

#[test]
fn refuses_tampered_messages_and_signatures_as_the_rsa_crate_does() {
    let public = PublicKey::parse(MERCHANT_PUBLIC).unwrap();
    for message in messages() {
        let signature = rsa_crate_sign(MERCHANT_PRIVATE, &message);

        let mut other = message.clone();
        other.push(b' ');
        assert!(!rsa_crate_accepts(MERCHANT_PUBLIC, &other, &signature));
        assert_eq!(
            keys::verify(&public, &other, &signature),
            Err(SignatureError::Invalid)
        );

        // Every 37th byte of the signature flipped in turn, the first and last included.
        let bytes = STANDARD.decode(&signature).unwrap();
        for at in (0..bytes.len()).step_by(37).chain([bytes.len() - 1]) {
            let mut tampered = bytes.clone();
            tampered[at] ^= 0x01;
            let tampered = STANDARD.encode(&tampered);
            assert!(!rsa_crate_accepts(MERCHANT_PUBLIC, &message, &tampered));
            assert_eq!(
                keys::verify(&public, &message, &tampered),
                Err(SignatureError::Invalid),
                "byte {at} flipped"
            );
        }

        // A signature over the modulus, all ones: not a valid RSA value for this key.
        let too_big = STANDARD.encode(vec![0xff; bytes.len()]);
        assert_eq!(
            keys::verify(&public, &message, &too_big),
            Err(SignatureError::Invalid)
        );
        // Shorter than the modulus, empty, not base64: refused before the backend runs.
        let short = STANDARD.encode(&bytes[1..]);
        assert!(matches!(
            keys::verify(&public, &message, &short),
            Err(SignatureError::Malformed(_))
        ));
        assert_eq!(
            keys::verify(&public, &message, " "),
            Err(SignatureError::Missing)
        );
        assert!(matches!(
            keys::verify(&public, &message, "not base64!"),
            Err(SignatureError::Malformed(_))
        ));
    }
}

#[test]
fn another_key_is_refused() {
    let (_, other_public) = keys::generate_keypair().unwrap();
    let signature = rsa_crate_sign(MERCHANT_PRIVATE, BODY);
    assert_eq!(
        keys::verify(&other_public, BODY, &signature),
        Err(SignatureError::Invalid)
    );
}
