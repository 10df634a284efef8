//! RSA keys and SHA256withRSA signatures, as PayerMax uses them.
//!
//! PayerMax exchanges keys as one line of standard base64 of the DER bytes ("dashboard format"):
//! PKCS#8 for private keys, X.509 SubjectPublicKeyInfo for public keys. PEM is accepted too
//! (`PRIVATE KEY`, `RSA PRIVATE KEY`, `PUBLIC KEY`, `RSA PUBLIC KEY`), and so is a PKCS#8 body
//! inside `RSA PRIVATE KEY` armour, as PayerMax's PHP SDK writes it. Keys under 2048 bits are
//! refused.
//!
//! Signatures are RSASSA-PKCS1-v1_5 over SHA-256 of the exact bytes, in standard base64.
//!
//! A [`PrivateKey`] is zeroized when dropped (the `rsa` crate clears its secret numbers) and never
//! appears in `Debug` output or in errors: `Debug` shows the size and a fingerprint of the public
//! half only.
//!
//! Backends: the `rsa` crate (pure Rust, constant-time) by default. Two features sign and
//! verify with a faster library instead; PKCS#1 v1.5 is deterministic, so every backend gives
//! the same signatures byte for byte ([`BACKEND`] names the one in use):
//!
//! - `ring-backend`: `ring`, several times faster than the `rsa` crate. `ring` holds its own copy
//!   of the private key, which it does not zeroize on drop.
//! - `aws-lc-backend`: AWS-LC through `aws-lc-rs` (C and assembly), faster still, notably on CPUs
//!   with AVX-512 IFMA. Its copy of the private key is an `EVP_PKEY` in C, freed with
//!   `EVP_PKEY_free`; AWS-LC's allocator overwrites every allocation it frees, so the copy is
//!   cleared unless the program replaces AWS-LC's allocator. Public keys are parsed by AWS-LC
//!   once, when the [`PublicKey`] is made. With both features on (`--all-features`), AWS-LC is
//!   used.
//!
//! The `rsa` copy of the private key is zeroized on drop with either backend, but
//! [`PrivateKey`] implements [`zeroize::ZeroizeOnDrop`] only without them. A key the backend
//! refuses (both take 2048–8192-bit moduli) is used through the `rsa` crate.

use crate::error::SignatureError;
use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use pkcs8::der::pem;
use pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::SigningKey;
use rsa::sha2::{Digest, Sha256};
use rsa::signature::Signer as _;
use rsa::traits::PublicKeyParts as _;
use std::fmt;
use zeroize::Zeroizing;

/// The smallest modulus PayerMax accepts, in bits.
pub const MIN_KEY_BITS: usize = 2048;

/// Decodes base64 with or without `=` padding (keys pasted by hand lose it sometimes).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Which half of a key pair a [`KeyError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An RSA private key (the merchant's signing key).
    Private,
    /// An RSA public key (PayerMax's verification key, or the merchant's own).
    Public,
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyKind::Private => "private key",
            KeyKind::Public => "public key",
        })
    }
}

/// What is wrong with a key. Never contains key material.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// The text is empty.
    Empty,
    /// Not valid base64 (the dashboard format is one line of standard base64).
    Base64 {
        /// Byte offset of the first invalid character, when known.
        offset: Option<usize>,
    },
    /// Starts like PEM but is not well-formed PEM.
    Pem(String),
    /// Decoded bytes are not an RSA key of the expected kind.
    Der(String),
    /// A public key where a private key belongs.
    PublicKeyGiven,
    /// A private key where a public key belongs.
    PrivateKeyGiven,
    /// The modulus is shorter than [`MIN_KEY_BITS`].
    TooSmall {
        /// The key's modulus size.
        bits: usize,
    },
    /// Generating or encoding a key failed.
    Encoding(String),
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProblem::Empty => f.write_str("is empty"),
            KeyProblem::Base64 { offset: Some(at) } => write!(
                f,
                "is neither PEM nor valid base64 (invalid character at offset {at}); expected one line of base64 as the PayerMax dashboard shows it"
            ),
            KeyProblem::Base64 { offset: None } => f.write_str(
                "is neither PEM nor valid base64; expected one line of base64 as the PayerMax dashboard shows it",
            ),
            KeyProblem::Pem(why) => write!(f, "is not valid PEM ({why})"),
            KeyProblem::Der(why) => write!(f, "does not decode as an RSA key ({why})"),
            KeyProblem::PublicKeyGiven => {
                f.write_str("is a public key; the private key belongs here")
            }
            KeyProblem::PrivateKeyGiven => f.write_str(
                "is a private key; only the public key belongs here (and a private key must never be shared)",
            ),
            KeyProblem::TooSmall { bits } => write!(
                f,
                "is {bits} bits; PayerMax requires RSA keys of at least {MIN_KEY_BITS} bits: generate a new pair"
            ),
            KeyProblem::Encoding(why) => write!(f, "could not be encoded ({why})"),
        }
    }
}

/// A key that could not be read or made. Names which kind of key and what is wrong; the
/// [`Config`](crate::Config) builder adds which setting it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KeyError {
    /// Private or public.
    pub kind: KeyKind,
    /// What is wrong.
    pub problem: KeyProblem,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            KeyProblem::PublicKeyGiven => {
                f.write_str("expected a private key but this is a public key")
            }
            KeyProblem::PrivateKeyGiven => f.write_str(
                "expected a public key but this is a private key (a private key must never be shared)",
            ),
            _ => write!(f, "{} {}", self.kind, self.problem),
        }
    }
}

impl KeyError {
    fn new(kind: KeyKind, problem: KeyProblem) -> Self {
        KeyError { kind, problem }
    }
}

/// The optional fast backend: AWS-LC with `aws-lc-backend` (even when `ring-backend` is on too).
#[cfg(feature = "aws-lc-backend")]
mod fast {
    use aws_lc_rs::signature::{self, ParsedPublicKey, RsaKeyPair};

    /// AWS-LC's copy of a private key: an `EVP_PKEY` in C, freed (and cleared by AWS-LC's
    /// allocator) with `EVP_PKEY_free`.
    pub(super) struct Signer(RsaKeyPair);

    impl Signer {
        /// `None` when AWS-LC refuses the key.
        pub(super) fn new(pkcs8_der: &[u8]) -> Option<Self> {
            RsaKeyPair::from_pkcs8(pkcs8_der).ok().map(Signer)
        }

        pub(super) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
            let mut signature = vec![0; self.0.public_modulus_len()];
            // aws-lc-rs ignores this generator: AWS-LC blinds with its own.
            let rng = aws_lc_rs::rand::SystemRandom::new();
            self.0
                .sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut signature)
                .map_err(|_| "AWS-LC could not sign".to_owned())?;
            Ok(signature)
        }
    }

    /// A public key AWS-LC parsed once; AWS-LC keeps its Montgomery constants between calls.
    #[derive(Clone)]
    pub(super) struct Verifier(ParsedPublicKey);

    impl Verifier {
        /// `None` when AWS-LC refuses the key.
        pub(super) fn new(_key: &rsa::PublicKey, spki_der: &[u8]) -> Option<Self> {
            ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, spki_der)
                .ok()
                .map(Verifier)
        }

        pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
            self.0.verify_sig(message, signature).is_ok()
        }
    }
}

/// The optional fast backend: `ring` with `ring-backend` alone.
#[cfg(all(feature = "ring-backend", not(feature = "aws-lc-backend")))]
mod fast {
    use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};

    /// `ring`'s copy of a private key (not zeroized on drop).
    pub(super) struct Signer(RsaKeyPair);

    impl Signer {
        /// `None` when `ring` refuses the key.
        pub(super) fn new(pkcs8_der: &[u8]) -> Option<Self> {
            RsaKeyPair::from_pkcs8(pkcs8_der).ok().map(Signer)
        }

        pub(super) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
            let mut signature = vec![0; self.0.public().modulus_len()];
            let rng = ring::rand::SystemRandom::new();
            self.0
                .sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut signature)
                .map_err(|_| "ring could not sign".to_owned())?;
            Ok(signature)
        }
    }

    /// PKCS#1 `RSAPublicKey` DER, the form `ring` verifies with. `ring` 0.17 has no parsed
    /// public key: every verification parses it again.
    #[derive(Clone)]
    pub(super) struct Verifier(Vec<u8>);

    impl Verifier {
        /// `None` when the key cannot be encoded.
        pub(super) fn new(key: &rsa::PublicKey, _spki_der: &[u8]) -> Option<Self> {
            rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(key)
                .ok()
                .map(|der| Verifier(der.into_vec()))
        }

        pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &self.0)
                .verify(message, signature)
                .is_ok()
        }
    }
}

/// An RSA private key used to sign requests (SHA256withRSA).
///
/// Parsed once; zeroized on drop; `Debug` shows only the size and the public key's fingerprint.
/// Cloning copies the secret (each copy is zeroized on drop): share one through an `Arc` instead.
#[derive(Clone)]
pub struct PrivateKey {
    signer: SigningKey<Sha256>,
    /// The fast backend's copy, when it took the key.
    #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
    fast: Option<std::sync::Arc<fast::Signer>>,
}

/// Which implementation signs and verifies: `"rsa"`, `"ring"` with the `ring-backend` feature,
/// or `"aws-lc"` with the `aws-lc-backend` feature (also when both features are on).
pub const BACKEND: &str = if cfg!(feature = "aws-lc-backend") {
    "aws-lc"
} else if cfg!(feature = "ring-backend") {
    "ring"
} else {
    "rsa"
};

/// An RSA public key used to verify signatures (PayerMax's, or the merchant's own).
#[derive(Clone)]
pub struct PublicKey {
    key: rsa::PublicKey,
    /// SubjectPublicKeyInfo DER, kept for [`PublicKey::to_dashboard`] and the fingerprint.
    spki_der: Vec<u8>,
    /// The fast backend's form of the key, when it takes the key.
    #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
    fast: Option<fast::Verifier>,
}

/// Keys are equal when their modulus and exponent are (the other fields derive from them).
impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for PublicKey {}

/// The DER bytes inside a key text (PEM or base64). The PEM label is not trusted: PayerMax's PHP
/// SDK wraps PKCS#8 in `RSA PRIVATE KEY` armour, so the bytes decide the format.
fn der_bytes(text: &str, kind: KeyKind) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError::new(kind, KeyProblem::Empty));
    }
    if text.starts_with("-----BEGIN") {
        let (_label, der) = pem::decode_vec(text.as_bytes())
            .map_err(|e| KeyError::new(kind, KeyProblem::Pem(e.to_string())))?;
        return Ok(Zeroizing::new(der));
    }
    // The dashboard format; tolerate line breaks and spaces from copy and paste.
    let compact: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    let der = LENIENT_BASE64.decode(&*compact).map_err(|e| {
        let offset = match e {
            base64::DecodeError::InvalidByte(at, _) => Some(at),
            base64::DecodeError::InvalidLastSymbol { offset, .. } => Some(offset),
            _ => None,
        };
        KeyError::new(kind, KeyProblem::Base64 { offset })
    })?;
    Ok(Zeroizing::new(der))
}

fn check_size(kind: KeyKind, key: &rsa::PublicKey) -> Result<(), KeyError> {
    let bits = key.n().bit_width_vartime() as usize;
    if bits < MIN_KEY_BITS {
        return Err(KeyError::new(kind, KeyProblem::TooSmall { bits }));
    }
    Ok(())
}

fn looks_public(der: &[u8]) -> bool {
    rsa::PublicKey::from_public_key_der(der).is_ok() || rsa::PublicKey::from_pkcs1_der(der).is_ok()
}

fn looks_private(der: &[u8]) -> bool {
    rsa::PrivateKey::from_pkcs8_der(der).is_ok() || rsa::PrivateKey::from_pkcs1_der(der).is_ok()
}

impl PrivateKey {
    /// Reads a private key in any accepted format: the dashboard's one line of base64 PKCS#8
    /// DER, or PEM (`PRIVATE KEY` or `RSA PRIVATE KEY`). Whitespace around and inside the base64
    /// is ignored.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let der = der_bytes(text, KeyKind::Private)?;
        Self::from_der(&der)
    }

    /// Reads the dashboard format: one line of standard base64 of PKCS#8 DER. Base64 of PKCS#1
    /// DER is accepted too, as PayerMax's Go SDK accepts it; PEM is refused (use
    /// [`from_pem`](Self::from_pem) or [`parse`](Self::parse)).
    pub fn from_dashboard(text: &str) -> Result<Self, KeyError> {
        if text.trim_start().starts_with("-----BEGIN") {
            return Err(KeyError::new(
                KeyKind::Private,
                KeyProblem::Pem("PEM given where the one-line dashboard format was expected; use PrivateKey::from_pem or PrivateKey::parse".into()),
            ));
        }
        Self::parse(text)
    }

    /// Reads PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        if !text.trim_start().starts_with("-----BEGIN") {
            return Err(KeyError::new(
                KeyKind::Private,
                KeyProblem::Pem("no `-----BEGIN` line".into()),
            ));
        }
        Self::parse(text)
    }

    /// Reads DER bytes: PKCS#8, or PKCS#1 `RSAPrivateKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let kind = KeyKind::Private;
        let key = match rsa::PrivateKey::from_pkcs8_der(der) {
            Ok(key) => key,
            Err(pkcs8_err) => match rsa::PrivateKey::from_pkcs1_der(der) {
                Ok(key) => key,
                Err(_) if looks_public(der) => {
                    return Err(KeyError::new(kind, KeyProblem::PublicKeyGiven));
                }
                Err(_) => return Err(KeyError::new(kind, KeyProblem::Der(pkcs8_err.to_string()))),
            },
        };
        check_size(kind, key.as_public_key())?;
        Ok(PrivateKey::from_rsa(key))
    }

    fn from_rsa(key: rsa::PrivateKey) -> Self {
        // The PKCS#8 DER is a `SecretDocument`, zeroized on drop.
        #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
        let fast = key
            .to_pkcs8_der()
            .ok()
            .and_then(|der| fast::Signer::new(der.as_bytes()))
            .map(std::sync::Arc::new);
        PrivateKey {
            signer: SigningKey::new(key),
            #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
            fast,
        }
    }

    /// The signature bytes: by the fast backend when it holds the key, else by the `rsa` crate.
    fn sign_bytes(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
        if let Some(signer) = &self.fast {
            return signer.sign(message);
        }
        let signature = self.signer.try_sign(message).map_err(|e| e.to_string())?;
        Ok(rsa::signature::SignatureEncoding::to_vec(&signature))
    }

    /// The dashboard format: one line of standard base64 of the PKCS#8 DER. Zeroized on drop.
    pub fn to_dashboard(&self) -> Result<Zeroizing<String>, KeyError> {
        let der =
            self.signer.as_ref().to_pkcs8_der().map_err(|e| {
                KeyError::new(KeyKind::Private, KeyProblem::Encoding(e.to_string()))
            })?;
        Ok(Zeroizing::new(STANDARD.encode(der.as_bytes())))
    }

    /// The public half.
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        PublicKey::from_rsa(self.signer.as_ref().to_public_key())
    }

    /// Whether `public` is the public half of this key (compares modulus and exponent).
    pub fn matches(&self, public: &PublicKey) -> bool {
        self.signer.as_ref().as_public_key() == &public.key
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.signer.as_ref().as_public_key().n().bit_width_vartime() as usize
    }

    pub(crate) fn try_sign(&self, message: &[u8]) -> Result<String, SignatureError> {
        let signature = self.sign_bytes(message).map_err(SignatureError::Signing)?;
        Ok(STANDARD.encode(signature))
    }
}

// The signing key clears its secret numbers when dropped (checked at compile time below), and
// it is this type's only field. No claim with a fast backend: `ring`'s copy is not cleared, and
// AWS-LC's is cleared by C code (its allocator) that this trait cannot vouch for.
#[cfg(not(any(feature = "ring-backend", feature = "aws-lc-backend")))]
impl zeroize::ZeroizeOnDrop for PrivateKey {}
const _: () = {
    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    let _ = zeroized_on_drop::<SigningKey<Sha256>>;
};

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fingerprint = self
            .public_key()
            .map(|p| p.fingerprint())
            .unwrap_or_else(|_| "?".into());
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .field("public_key_sha256", &fingerprint)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    fn from_rsa(key: rsa::PublicKey) -> Result<Self, KeyError> {
        let spki_der = key
            .to_public_key_der()
            .map_err(|e| KeyError::new(KeyKind::Public, KeyProblem::Encoding(e.to_string())))?
            .into_vec();
        // Both fast backends verify with 2048–8192-bit moduli (they check the size when
        // verifying); the `rsa` crate verifies with larger keys.
        #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
        let fast = (key.n().bit_width_vartime() <= 8192)
            .then(|| fast::Verifier::new(&key, &spki_der))
            .flatten();
        Ok(PublicKey {
            key,
            spki_der,
            #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
            fast,
        })
    }

    /// Reads a public key in any accepted format: the dashboard's one line of base64 X.509
    /// SubjectPublicKeyInfo DER, or PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let der = der_bytes(text, KeyKind::Public)?;
        Self::from_der(&der)
    }

    /// Reads the dashboard format: one line of standard base64 of SubjectPublicKeyInfo DER.
    /// Base64 of PKCS#1 `RSAPublicKey` DER is accepted too; PEM is refused (use
    /// [`from_pem`](Self::from_pem) or [`parse`](Self::parse)).
    pub fn from_dashboard(text: &str) -> Result<Self, KeyError> {
        if text.trim_start().starts_with("-----BEGIN") {
            return Err(KeyError::new(
                KeyKind::Public,
                KeyProblem::Pem("PEM given where the one-line dashboard format was expected; use PublicKey::from_pem or PublicKey::parse".into()),
            ));
        }
        Self::parse(text)
    }

    /// Reads PEM: `BEGIN PUBLIC KEY` (X.509 SubjectPublicKeyInfo) or `BEGIN RSA PUBLIC KEY`
    /// (PKCS#1).
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        if !text.trim_start().starts_with("-----BEGIN") {
            return Err(KeyError::new(
                KeyKind::Public,
                KeyProblem::Pem("no `-----BEGIN` line".into()),
            ));
        }
        Self::parse(text)
    }

    /// Reads DER bytes: SubjectPublicKeyInfo, or PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let kind = KeyKind::Public;
        let key = match rsa::PublicKey::from_public_key_der(der) {
            Ok(key) => key,
            Err(spki_err) => match rsa::PublicKey::from_pkcs1_der(der) {
                Ok(key) => key,
                Err(_) if looks_private(der) => {
                    return Err(KeyError::new(kind, KeyProblem::PrivateKeyGiven));
                }
                Err(_) => return Err(KeyError::new(kind, KeyProblem::Der(spki_err.to_string()))),
            },
        };
        check_size(kind, &key)?;
        Self::from_rsa(key)
    }

    /// The dashboard format: one line of standard base64 of the SubjectPublicKeyInfo DER.
    pub fn to_dashboard(&self) -> String {
        STANDARD.encode(&self.spki_der)
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bit_width_vartime() as usize
    }

    /// The first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER, in hex: enough to tell
    /// keys apart in logs and `Debug` output.
    pub fn fingerprint(&self) -> String {
        Sha256::digest(&self.spki_der)
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .field("sha256", &self.fingerprint())
            .finish()
    }
}

/// Signs `message` with SHA256withRSA (PKCS#1 v1.5) and returns the signature in standard
/// base64: the value of the `sign` header.
///
/// The same key and message always give the same signature.
///
/// # Panics
/// Only if the operating system's random number generator fails (it blinds the private-key
/// operation against timing attacks; blinding does not change the result).
// The one documented panic of the runtime: an infallible signature for tests, the sandbox and
// the CLI, as the `rsa` crate's own `sign` is. The client signs with `try_sign` and reports a
// failure as `Error::NotSent`.
#[allow(clippy::panic)]
pub fn sign(key: &PrivateKey, message: &[u8]) -> String {
    match key.sign_bytes(message) {
        Ok(signature) => STANDARD.encode(signature),
        // What `rsa`'s infallible `sign` does when the random number generator fails.
        Err(e) => panic!("SHA256withRSA signing failed: {e}"),
    }
}

/// Checks a base64 `sign` value over the exact `message` bytes with SHA256withRSA.
///
/// Whitespace around the value is ignored; padding may be omitted.
pub fn verify(key: &PublicKey, message: &[u8], sign_b64: &str) -> Result<(), SignatureError> {
    let sign_b64 = sign_b64.trim();
    if sign_b64.is_empty() {
        return Err(SignatureError::Missing);
    }
    let signature = LENIENT_BASE64
        .decode(sign_b64)
        .map_err(|_| SignatureError::Malformed("the `sign` value is not base64".into()))?;
    if signature.len() != key.key.size() {
        return Err(SignatureError::Malformed(format!(
            "the signature is {} bytes; a {}-bit key signs {} bytes",
            signature.len(),
            key.bits(),
            key.key.size()
        )));
    }
    #[cfg(any(feature = "ring-backend", feature = "aws-lc-backend"))]
    if let Some(verifier) = &key.fast {
        return if verifier.verify(message, &signature) {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        };
    }
    key.key
        .pkcs1v15_verify::<Sha256>(message, &signature)
        .map_err(|_| SignatureError::Invalid)
}

/// Generates a new 2048-bit key pair, as PayerMax expects.
///
/// Write them out with [`PrivateKey::to_dashboard`] and [`PublicKey::to_dashboard`]; upload the
/// public half to the PayerMax dashboard and keep the private half secret.
pub fn generate_keypair() -> Result<(PrivateKey, PublicKey), KeyError> {
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, MIN_KEY_BITS)
        .map_err(|e| KeyError::new(KeyKind::Private, KeyProblem::Encoding(e.to_string())))?;
    let public = PublicKey::from_rsa(key.to_public_key())?;
    Ok((PrivateKey::from_rsa(key), public))
}

#[cfg(all(test, any(feature = "ring-backend", feature = "aws-lc-backend")))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{PrivateKey, PublicKey, generate_keypair};

    /// The fast backend takes the keys PayerMax uses: a silent fallback to the `rsa` crate would
    /// pass the signature tests while losing the speed.
    #[test]
    fn the_fast_backend_holds_2048_bit_keys() {
        let private = PrivateKey::parse(include_str!(
            "../tests/fixtures/openssl/merchant_private_dashboard.txt"
        ))
        .unwrap();
        let public = PublicKey::parse(include_str!(
            "../tests/fixtures/openssl/merchant_public_pkcs1.pem"
        ))
        .unwrap();
        assert!(private.fast.is_some() && public.fast.is_some());
        let (private, public) = generate_keypair().unwrap();
        assert!(private.fast.is_some() && public.fast.is_some());
        assert!(private.public_key().unwrap().fast.is_some());
    }
}
