//! What the signature targets share: the fixture keys and how an input picks a signing mode.
#![allow(dead_code)]

use payermax_runtime::{PrivateKey, PublicKey, keys};
use std::sync::OnceLock;

/// A body that signatures of other bodies are made over.
const OTHER_BODY: &[u8] = br#"{"code":"APPLY_SUCCESS","msg":"Success.","data":{}}"#;

/// PayerMax's key pair, and signatures made once: by another key (a merchant's), and by
/// PayerMax's key over another body. Signing costs milliseconds, so only the valid mode signs
/// each input; any signature the PayerMax public key does not verify for this body is as good
/// as another for the oracle.
pub struct Keys {
    pub payermax_private: PrivateKey,
    pub payermax_public: PublicKey,
    pub other_key_sign: String,
    pub other_body_sign: String,
}

pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let parse_private = |text: &str| PrivateKey::parse(text).expect("fixture private key");
        let payermax_private = parse_private(include_str!(
            "../../../payermax-runtime/tests/fixtures/openssl/payermax_private_dashboard.txt"
        ));
        let other_private = parse_private(include_str!(
            "../../../payermax-runtime/tests/fixtures/openssl/merchant_private_dashboard.txt"
        ));
        Keys {
            payermax_public: PublicKey::parse(include_str!(
                "../../../payermax-runtime/tests/fixtures/openssl/payermax_public_dashboard.txt"
            ))
            .expect("fixture public key"),
            other_key_sign: keys::sign(&other_private, OTHER_BODY),
            other_body_sign: keys::sign(&payermax_private, OTHER_BODY),
            payermax_private,
        }
    })
}

/// How the body of an input is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// No `sign` header.
    Unsigned,
    /// PayerMax's valid signature over the body: the only mode that may decode.
    Valid,
    /// The `sign` header is the input's first line (arbitrary bytes, lossily UTF-8).
    Arbitrary,
    /// A signature by another key.
    OtherKey,
    /// PayerMax's valid signature over a different body.
    OtherBody,
}

/// Splits an input into (signing mode, the `sign` header, the body) from its first byte.
pub fn signed(mode: u8, rest: &[u8]) -> (Signing, Option<String>, Vec<u8>) {
    let k = keys();
    match mode % 5 {
        0 => (Signing::Unsigned, None, rest.to_vec()),
        1 => (
            Signing::Valid,
            Some(keys::sign(&k.payermax_private, rest)),
            rest.to_vec(),
        ),
        2 => {
            let (sign, body) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (
                    rest.get(..i).unwrap_or_default(),
                    rest.get(i + 1..).unwrap_or_default(),
                ),
                None => (rest, &[][..]),
            };
            (
                Signing::Arbitrary,
                Some(String::from_utf8_lossy(sign).into_owned()),
                body.to_vec(),
            )
        }
        3 => (
            Signing::OtherKey,
            Some(k.other_key_sign.clone()),
            rest.to_vec(),
        ),
        // The one body that signature is valid for is the valid mode.
        _ if rest == OTHER_BODY => (
            Signing::Valid,
            Some(k.other_body_sign.clone()),
            rest.to_vec(),
        ),
        _ => (
            Signing::OtherBody,
            Some(k.other_body_sign.clone()),
            rest.to_vec(),
        ),
    }
}

/// Formats an error both ways: neither may panic, whatever the input.
pub fn render(e: &payermax_runtime::Error) {
    let _ = format!("{e} {e:?} {:?} {:?}", e.code(), e.retry_class());
}
