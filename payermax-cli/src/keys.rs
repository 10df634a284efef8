//! `payermax keygen | sign | verify`: key generation and signature checks for debugging, on top of
//! `payermax_runtime::keys`. Errors are plain sentences for the terminal.

use payermax_runtime::SignatureError;
use payermax_runtime::keys::{self, PrivateKey, PublicKey};
use std::fs;
use std::io::Write as _;
use std::path::Path;
use zeroize::Zeroizing;

/// File name of the generated private key inside the output directory.
pub const PRIVATE_KEY_FILE: &str = "private_key.txt";
/// File name of the generated public key inside the output directory.
pub const PUBLIC_KEY_FILE: &str = "public_key.txt";

/// Generates a 2048-bit RSA key pair and writes it in the PayerMax dashboard format (one line of
/// base64 DER: PKCS#8 private, X.509 SubjectPublicKeyInfo public) to `out_dir/private_key.txt`
/// and `out_dir/public_key.txt`.
///
/// The private key file is readable by its owner only (mode 0600 on Unix). Existing files are
/// never overwritten: losing a private key that is registered with PayerMax breaks signing.
/// Upload `public_key.txt` to the PayerMax dashboard; keep `private_key.txt` secret.
pub fn keygen(out_dir: &Path) -> Result<(), String> {
    fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create directory {}: {e}", out_dir.display()))?;
    let private_path = out_dir.join(PRIVATE_KEY_FILE);
    let public_path = out_dir.join(PUBLIC_KEY_FILE);
    for path in [&private_path, &public_path] {
        if path.exists() {
            return Err(format!(
                "{} already exists; move it away first (keys are never overwritten)",
                path.display()
            ));
        }
    }
    let (private, public) =
        keys::generate_keypair().map_err(|e| format!("key generation failed: {e}"))?;
    let private_text = private
        .to_dashboard()
        .map_err(|e| format!("key encoding failed: {e}"))?;
    write_new(&private_path, private_text.as_bytes(), true)?;
    write_new(&public_path, public.to_dashboard().as_bytes(), false)
}

/// Creates `path` (failing if it exists) and writes `contents`; `secret` files get mode 0600 on
/// Unix from the start, so the key is never readable by others, not even briefly.
fn write_new(path: &Path, contents: &[u8], secret: bool) -> Result<(), String> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Signs `body` (the exact bytes, e.g. a request envelope) with the private key in
/// `private_key_file` (dashboard format or PEM) and returns the base64 value of the `sign`
/// header.
pub fn sign(private_key_file: &Path, body: &[u8]) -> Result<String, String> {
    let text = read_key_file(private_key_file)?;
    let key =
        PrivateKey::parse(&text).map_err(|e| format!("{}: {e}", private_key_file.display()))?;
    Ok(keys::sign(&key, body))
}

/// Checks the base64 `sign_b64` value over `body` (the exact bytes received) with the public key
/// in `public_key_file` (dashboard format or PEM).
///
/// `Ok(true)`: the signature matches. `Ok(false)`: a well-formed signature that does not match
/// (wrong key, or the body differs from what was signed). `Err`: the key file or the signature
/// itself is unusable (not base64, wrong length, empty).
pub fn verify(public_key_file: &Path, sign_b64: &str, body: &[u8]) -> Result<bool, String> {
    let text = read_key_file(public_key_file)?;
    let key = PublicKey::parse(&text).map_err(|e| format!("{}: {e}", public_key_file.display()))?;
    match keys::verify(&key, body, sign_b64) {
        Ok(()) => Ok(true),
        Err(SignatureError::Invalid) => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

/// A key file's text, wiped from memory when dropped.
fn read_key_file(path: &Path) -> Result<Zeroizing<String>, String> {
    fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("payermax-cli-keys-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn keygen_sign_verify_round_trip() {
        let dir = temp_dir("roundtrip");
        keygen(&dir).unwrap();
        let private = dir.join(PRIVATE_KEY_FILE);
        let public = dir.join(PUBLIC_KEY_FILE);
        let private_text = fs::read_to_string(&private).unwrap();
        let public_text = fs::read_to_string(&public).unwrap();
        assert!(!private_text.contains('\n') && !private_text.starts_with("-----"));
        assert!(PublicKey::from_dashboard(&public_text).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(
                fs::metadata(&private).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }

        let body = br#"{"version":"1.4","data":{}}"#;
        let signature = sign(&private, body).unwrap();
        assert_eq!(verify(&public, &signature, body), Ok(true));
        assert_eq!(verify(&public, &signature, b"{}"), Ok(false));
        assert!(verify(&public, "not base64!", body).is_err());
        // the private key is not a public key, and the reverse
        assert!(
            verify(&private, &signature, body)
                .unwrap_err()
                .contains("private key")
        );
        assert!(sign(&public, body).unwrap_err().contains("public key"));
        // never overwrite
        assert!(keygen(&dir).unwrap_err().contains("already exists"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_files_are_named() {
        let missing = temp_dir("missing").join("nope.txt");
        assert!(sign(&missing, b"x").unwrap_err().contains("nope.txt"));
        assert!(
            verify(&missing, "AAAA", b"x")
                .unwrap_err()
                .contains("nope.txt")
        );
    }
}
