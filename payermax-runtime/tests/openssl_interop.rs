//! Interoperability with OpenSSL: keys and a signature made by the `openssl` CLI
//! (tests/fixtures/openssl/README.md says how).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use payermax_runtime::keys::{self, KeyKind, KeyProblem, MIN_KEY_BITS, PrivateKey, PublicKey};
use payermax_runtime::{Config, Environment, Error, SignatureError};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/openssl/", $name))
    };
}

const BODY: &[u8] = include_bytes!("fixtures/openssl/body.json");
const SIGNATURE: &str = fixture!("body.sig.b64");

fn private_forms() -> [(&'static str, PrivateKey); 4] {
    [
        (
            "dashboard",
            PrivateKey::from_dashboard(fixture!("merchant_private_dashboard.txt")).unwrap(),
        ),
        (
            "PKCS#8 PEM",
            PrivateKey::from_pem(fixture!("merchant_private_pkcs8.pem")).unwrap(),
        ),
        (
            "PKCS#1 PEM",
            PrivateKey::from_pem(fixture!("merchant_private_pkcs1.pem")).unwrap(),
        ),
        (
            "parse(PKCS#1 PEM)",
            PrivateKey::parse(fixture!("merchant_private_pkcs1.pem")).unwrap(),
        ),
    ]
}

fn public_forms() -> [(&'static str, PublicKey); 3] {
    [
        (
            "dashboard",
            PublicKey::from_dashboard(fixture!("merchant_public_dashboard.txt")).unwrap(),
        ),
        (
            "SPKI PEM",
            PublicKey::from_pem(fixture!("merchant_public_spki.pem")).unwrap(),
        ),
        (
            "PKCS#1 PEM",
            PublicKey::from_pem(fixture!("merchant_public_pkcs1.pem")).unwrap(),
        ),
    ]
}

#[test]
fn our_signature_equals_openssl_signature() {
    assert_eq!(
        SIGNATURE.len(),
        344,
        "a 2048-bit signature is 344 base64 characters"
    );
    for (form, key) in private_forms() {
        assert_eq!(keys::sign(&key, BODY), SIGNATURE, "key loaded from {form}");
    }
}

#[test]
fn our_verifier_accepts_openssl_signature() {
    for (form, key) in public_forms() {
        keys::verify(&key, BODY, SIGNATURE).unwrap_or_else(|e| panic!("{form}: {e}"));
    }
}

#[test]
fn a_flipped_byte_of_body_or_signature_is_rejected() {
    let key = PublicKey::parse(fixture!("merchant_public_dashboard.txt")).unwrap();
    for at in [0, BODY.len() / 2, BODY.len() - 1] {
        let mut body = BODY.to_vec();
        body[at] ^= 0x01;
        assert_eq!(
            keys::verify(&key, &body, SIGNATURE),
            Err(SignatureError::Invalid),
            "body byte {at}"
        );
    }
    let raw = STANDARD.decode(SIGNATURE).unwrap();
    for at in [0, raw.len() / 2, raw.len() - 1] {
        let mut signature = raw.clone();
        signature[at] ^= 0x01;
        assert_eq!(
            keys::verify(&key, BODY, &STANDARD.encode(&signature)),
            Err(SignatureError::Invalid),
            "signature byte {at}"
        );
    }
    // PayerMax's key does not verify the merchant's signature
    let other = PublicKey::parse(fixture!("payermax_public_dashboard.txt")).unwrap();
    assert_eq!(
        keys::verify(&other, BODY, SIGNATURE),
        Err(SignatureError::Invalid)
    );
    assert!(matches!(
        keys::verify(&key, BODY, "not base64!"),
        Err(SignatureError::Malformed(_))
    ));
    assert!(matches!(
        keys::verify(&key, BODY, "AAAA"),
        Err(SignatureError::Malformed(_))
    ));
    assert_eq!(keys::verify(&key, BODY, " "), Err(SignatureError::Missing));
}

#[test]
fn every_format_loads_to_the_same_key() {
    let expected_private = fixture!("merchant_private_dashboard.txt").trim();
    // the fixture really is PKCS#8: the PKCS#8 PEM body without armour and newlines
    assert_eq!(
        pem_body(fixture!("merchant_private_pkcs8.pem")),
        expected_private
    );
    for (form, key) in private_forms() {
        assert_eq!(key.bits(), 2048);
        // re-encoding gives back exactly OpenSSL's PKCS#8 DER
        assert_eq!(
            key.to_dashboard().unwrap().as_str(),
            expected_private,
            "{form}"
        );
    }
    let expected_public = fixture!("merchant_public_dashboard.txt").trim();
    for (form, key) in public_forms() {
        assert_eq!(key.to_dashboard(), expected_public, "{form}");
        for (private_form, private) in private_forms() {
            assert!(private.matches(&key), "{private_form} vs {form}");
            assert_eq!(private.public_key().unwrap(), key);
        }
    }
    let payermax = PublicKey::parse(fixture!("payermax_public_dashboard.txt")).unwrap();
    assert!(!private_forms()[0].1.matches(&payermax));
    // line-wrapped dashboard text (pasted from an e-mail) still loads
    let wrapped: String = expected_private
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_eq!(
        PrivateKey::parse(&wrapped)
            .unwrap()
            .to_dashboard()
            .unwrap()
            .as_str(),
        expected_private
    );
    // PKCS#8 in `RSA PRIVATE KEY` armour, as PayerMax's PHP SDK writes it
    let php_style = fixture!("merchant_private_pkcs8.pem")
        .replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY")
        .replace("END PRIVATE KEY", "END RSA PRIVATE KEY");
    assert_eq!(
        PrivateKey::from_pem(&php_style)
            .unwrap()
            .to_dashboard()
            .unwrap()
            .as_str(),
        expected_private
    );
    // tolerated like PayerMax's Go SDK does: base64 of PKCS#1 DER, without armour
    let pkcs1_base64 = pem_body(fixture!("merchant_private_pkcs1.pem"));
    assert_eq!(
        PrivateKey::parse(&pkcs1_base64)
            .unwrap()
            .to_dashboard()
            .unwrap()
            .as_str(),
        expected_private
    );
}

fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

#[test]
fn a_1024_bit_key_is_refused_with_a_clear_error() {
    let e = PrivateKey::parse(fixture!("weak_1024_private_dashboard.txt")).unwrap_err();
    assert_eq!(
        (e.kind, &e.problem),
        (KeyKind::Private, &KeyProblem::TooSmall { bits: 1024 })
    );
    let text = e.to_string();
    assert!(
        text.contains("1024 bits") && text.contains(&MIN_KEY_BITS.to_string()),
        "{text}"
    );
    let e = PublicKey::parse(fixture!("weak_1024_public_dashboard.txt")).unwrap_err();
    assert_eq!(
        (e.kind, &e.problem),
        (KeyKind::Public, &KeyProblem::TooSmall { bits: 1024 })
    );
}

fn builder() -> payermax_runtime::ConfigBuilder {
    Config::builder()
        .merchant_no("010213834784554")
        .app_id("6666c8b036a24579974497c2f9a33333")
        .merchant_private_key(fixture!("merchant_private_dashboard.txt"))
        .payermax_public_key(fixture!("payermax_public_dashboard.txt"))
        .environment(Environment::Uat)
}

fn config_error(builder: payermax_runtime::ConfigBuilder) -> (&'static str, String) {
    match builder.build() {
        Err(Error::Config { field, message }) => (field, message),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn a_malformed_key_error_names_the_key() {
    let (field, message) = config_error(
        builder().merchant_private_key("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ"),
    );
    assert_eq!(field, "merchant_private_key");
    assert!(
        message.starts_with("the merchant private key does not decode"),
        "{message}"
    );

    let (field, message) = config_error(builder().payermax_public_key("%%% not a key %%%"));
    assert_eq!(field, "payermax_public_key");
    assert!(
        message.contains("PayerMax public key") && message.contains("base64"),
        "{message}"
    );

    let (field, message) =
        config_error(builder().merchant_private_key(fixture!("weak_1024_private_dashboard.txt")));
    assert_eq!(field, "merchant_private_key");
    assert!(message.contains("1024 bits"), "{message}");

    let (field, message) =
        config_error(builder().merchant_private_key(fixture!("merchant_public_dashboard.txt")));
    assert_eq!(field, "merchant_private_key");
    assert!(message.contains("is a public key"), "{message}");

    let (field, message) =
        config_error(builder().payermax_public_key(fixture!("payermax_private_pkcs8.pem")));
    assert_eq!(field, "payermax_public_key");
    assert!(message.contains("is a private key"), "{message}");

    let (field, message) =
        config_error(builder().payermax_public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n"));
    assert_eq!(field, "payermax_public_key");
    assert!(message.contains("PEM"), "{message}");

    let (field, _) = config_error(builder().merchant_private_key("  "));
    assert_eq!(field, "merchant_private_key");

    // the format-specific readers refuse the other outer format
    let e = PrivateKey::from_dashboard(fixture!("merchant_private_pkcs8.pem")).unwrap_err();
    assert!(matches!(e.problem, KeyProblem::Pem(_)), "{e}");
    let e = PublicKey::from_pem(fixture!("merchant_public_dashboard.txt")).unwrap_err();
    assert!(matches!(e.problem, KeyProblem::Pem(_)), "{e}");
}

#[test]
fn config_checks_that_the_merchant_key_pair_belongs_together() {
    builder()
        .merchant_public_key(fixture!("merchant_public_spki.pem"))
        .build()
        .unwrap();
    let (field, message) =
        config_error(builder().merchant_public_key(fixture!("payermax_public_dashboard.txt")));
    assert_eq!(field, "merchant_public_key");
    assert!(
        message.contains("does not belong to the merchant private key"),
        "{message}"
    );
    // PayerMax's key slot holding the merchant's own public key is a classic mix-up
    let (field, _) =
        config_error(builder().payermax_public_key(fixture!("merchant_public_dashboard.txt")));
    assert_eq!(field, "payermax_public_key");
}

#[test]
fn generated_pairs_are_2048_bits_and_round_trip_through_the_dashboard_format() {
    let (private, public) = keys::generate_keypair().unwrap();
    assert_eq!((private.bits(), public.bits()), (2048, 2048));
    assert!(private.matches(&public));
    let private_text = private.to_dashboard().unwrap();
    let public_text = public.to_dashboard();
    assert!(!private_text.contains('\n') && !public_text.contains('\n'));
    let private_again = PrivateKey::from_dashboard(&private_text).unwrap();
    let public_again = PublicKey::from_dashboard(&public_text).unwrap();
    let sign = keys::sign(&private_again, BODY);
    keys::verify(&public_again, BODY, &sign).unwrap();
    assert_ne!(sign, SIGNATURE);
}
