//! The `payermax` command never echoes a key file: a damaged, truncated, mislabelled or
//! misplaced private key gets an error that names the file and the problem, not its content.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

const OPENSSL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../payermax-runtime/tests/fixtures/openssl"
);

fn payermax(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_payermax"))
        .args(args)
        .output()
        .unwrap()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{OPENSSL}/{name}")).unwrap()
}

/// 16-character pieces of every base64 line of `key`, past the ASN.1 header keys share.
fn chunks(key: &str) -> Vec<String> {
    let body: Vec<char> = key
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    body[64..]
        .chunks(16)
        .filter(|c| c.len() == 16)
        .map(|c| c.iter().collect())
        .collect()
}

fn assert_silent_about(key: &str, what: &str, out: &Output) {
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for chunk in chunks(key) {
        assert!(
            !shown.contains(&chunk),
            "{what}: the output shows key material ({chunk}):\n{shown}"
        );
    }
}

#[test]
fn malformed_key_files_are_not_echoed() {
    let dashboard = read("merchant_private_dashboard.txt");
    let pkcs8 = read("merchant_private_pkcs8.pem");
    let pkcs1 = read("merchant_private_pkcs1.pem");
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, "{}").unwrap();

    let mut damaged = dashboard.clone();
    damaged.replace_range(700..701, "!");
    let mut damaged_pem = pkcs8.clone();
    damaged_pem.replace_range(300..301, "*");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a character replaced", damaged.into_bytes()),
        ("truncated", dashboard.as_bytes()[..1000].to_vec()),
        ("PEM with a bad character", damaged_pem.into_bytes()),
        (
            "PEM with a wrong end line",
            pkcs8
                .replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----")
                .into_bytes(),
        ),
        (
            "PKCS#1 body under a PKCS#8 label, cut",
            pkcs1.replace("RSA PRIVATE KEY", "PRIVATE KEY").as_bytes()[..900].to_vec(),
        ),
        ("invalid UTF-8 inside", {
            let mut bytes = dashboard.clone().into_bytes();
            bytes.splice(500..500, [0xff, 0xfe]);
            bytes
        }),
        (
            "two keys in one file",
            format!("{dashboard}\n{dashboard}").into_bytes(),
        ),
        (
            "JSON around the key",
            format!(r#"{{"key": "{}"}}"#, dashboard.trim()).into_bytes(),
        ),
    ];
    for (what, contents) in cases {
        let key = dir.path().join("key.txt");
        std::fs::write(&key, &contents).unwrap();
        let out = payermax(&[
            "sign",
            "--private-key",
            key.to_str().unwrap(),
            body.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: the key must be refused"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("key.txt"), "{what}: {stderr}");
        for key_text in [&dashboard, &pkcs8, &pkcs1] {
            assert_silent_about(key_text, what, &out);
        }
    }

    // The private key where a public key belongs: refused, and not shown.
    let private = format!("{OPENSSL}/merchant_private_dashboard.txt");
    let out = payermax(&[
        "verify",
        "--public-key",
        &private,
        "--sign",
        "AAAA",
        body.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("private key"));
    assert_silent_about(&dashboard, "private key as public key", &out);
}

#[test]
fn a_sandbox_config_with_a_misplaced_key_is_not_echoed() {
    let dashboard = read("payermax_private_dashboard.txt");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sandbox.json");
    std::fs::write(
        &config,
        format!(r#"{{"settleMs": "{}"}}"#, dashboard.trim()),
    )
    .unwrap();
    let out = payermax(&["sandbox", "--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sandbox.json"), "{stderr}");
    assert!(stderr.contains("expected u64"), "{stderr}");
    assert_silent_about(&dashboard, "sandbox config", &out);
}
