//! The sandbox's private key (PayerMax's, in a test setup) never shows: not in `Debug` of its
//! config, its config file or the running sandbox, and not in the errors about a config file,
//! even when the key was pasted under the wrong name or is damaged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use payermax_sandbox::{ConfigFile, MerchantEntry, Sandbox, SandboxConfig};

const PRIVATE: &str = include_str!("fixtures/payermax_private.txt");

/// 16-character pieces of the key's base64, past the ASN.1 header every key shares.
fn assert_no_secret(what: &str, text: &str) {
    let body: Vec<char> = PRIVATE.chars().filter(|c| !c.is_whitespace()).collect();
    let chunks: Vec<String> = body[64..]
        .chunks(16)
        .filter(|c| c.len() == 16)
        .map(|c| c.iter().collect())
        .collect();
    assert!(chunks.len() > 50);
    for chunk in chunks {
        assert!(
            !text.contains(&chunk),
            "{what} shows private key material ({chunk}):\n{text}"
        );
    }
}

#[test]
fn the_checker_finds_the_key() {
    let caught = std::panic::catch_unwind(|| assert_no_secret("the key", PRIVATE));
    assert!(caught.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_of_configs_and_sandbox_hides_the_private_key() {
    let file = ConfigFile {
        private_key: Some(PRIVATE.to_owned()),
        merchants: vec![MerchantEntry {
            app_id: "app".into(),
            merchant_no: "M1".into(),
            public_key: include_str!("fixtures/merchant_public.txt").to_owned(),
            notify_url: None,
            balances: Default::default(),
        }],
        ..ConfigFile::default()
    };
    let shown = format!("{file:?} {file:#?}");
    assert_no_secret("ConfigFile debug", &shown);
    assert!(shown.contains("<redacted>"), "{shown}");

    let config = file.into_config().unwrap();
    assert_no_secret("SandboxConfig debug", &format!("{config:?} {config:#?}"));
    let config = common::config();
    assert_no_secret("SandboxConfig debug", &format!("{config:?}"));
    let sandbox = Sandbox::start(config).await.unwrap();
    assert_no_secret("Sandbox debug", &format!("{sandbox:?} {sandbox:#?}"));
    sandbox.shutdown().await;
}

#[test]
fn config_file_errors_do_not_echo_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = PRIVATE.trim();
    let mut damaged = key.to_owned();
    damaged.replace_range(700..701, "!");
    let cases = [
        // pasted under a field that takes a number, or a list
        format!(r#"{{"settleMs": "{key}"}}"#),
        format!(r#"{{"merchants": "{key}"}}"#),
        format!(r#"{{"notifyScale": "{key}"}}"#),
        // a damaged key, a truncated one, a key where the public key belongs
        format!(r#"{{"privateKey": "{damaged}"}}"#),
        format!(r#"{{"privateKey": "{}"}}"#, &key[..900]),
        format!(r#"{{"merchants": [{{"appId": "a", "merchantNo": "m", "publicKey": "{key}"}}]}}"#),
        // broken JSON around the key
        format!(r#"{{"privateKey": "{key}", }}"#),
        format!(r#"{{"privateKey": "{key}"#),
        // pasted into the fault plan, where names, numbers and api names belong
        format!(r#"{{"faults": {{"rules": [{{"fault": "{key}"}}]}}}}"#),
        format!(r#"{{"faults": {{"rules": [{{"fault": "badSignature", "api": "{key}"}}]}}}}"#),
        format!(r#"{{"faults": {{"rules": [{{"fault": "latency", "latencyMs": "{key}"}}]}}}}"#),
        format!(r#"{{"faults": {{"random": {{"probability": "{key}"}}}}}}"#),
        format!(
            r#"{{"faults": {{"random": {{"probability": 0.5, "faults": [{{"fault": "{key}"}}]}}}}}}"#
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let path = dir.path().join(format!("config{i}.json"));
        std::fs::write(&path, text).unwrap();
        let e = SandboxConfig::from_file(&path).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert_no_secret(&format!("error for config {i}"), &shown);
        assert!(
            shown.contains(&format!("config{i}.json"))
                || shown.contains("privateKey")
                || shown.contains("publicKey"),
            "{shown}"
        );
    }
}
