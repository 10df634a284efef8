//! The `payermax-sandbox` binary: demo mode, `--config`, `--state`, bad configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use payermax_runtime::PrivateKey;
use payermax_runtime::keys::sign;
use serde_json::json;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::SystemTime;

/// The running binary and the lines it printed up to "Press Ctrl-C".
struct Running {
    child: Child,
    lines: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut lines = Vec::new();
        while let Ok(line) = rx.recv_timeout(PATIENCE) {
            let done = line.starts_with("Press Ctrl-C");
            lines.push(line);
            if done {
                return Running { child, lines };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the sandbox did not start: {lines:?}");
    }

    fn value(&self, prefix: &str) -> String {
        let line = self
            .lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .unwrap();
        line.trim().to_owned()
    }

    fn base_url(&self) -> String {
        self.value("payermax-sandbox listening on")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn query_unknown(
    base_url: &str,
    app_id: &str,
    merchant_no: &str,
    key: &PrivateKey,
) -> String {
    let body = json!({
        "version": "1.4", "keyVersion": "1",
        "requestTime": request_time(SystemTime::now()),
        "appId": app_id, "merchantNo": merchant_no, "data": {"outTradeNo": "cli_unknown"},
    })
    .to_string();
    let signature = sign(key, body.as_bytes());
    let answer = post_raw(
        &http(),
        &format!("{base_url}/paymentOrderQry"),
        Some("application/json"),
        Some(&signature),
        body.into_bytes(),
    )
    .await
    .unwrap();
    answer.code().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_prints_working_keys_and_a_config_that_keeps_them() {
    let demo = Running::start(&["--port", "0"]);
    assert!(demo.lines[0].starts_with("payermax-sandbox listening on http://127.0.0.1:"));
    let app_id = demo.value("appId:");
    let merchant_no = demo.value("merchantNo:");
    let key = PrivateKey::parse(&demo.value("merchant private key:")).unwrap();
    assert_eq!(
        query_unknown(&demo.base_url(), &app_id, &merchant_no, &key).await,
        "ORDER_NOT_EXIST"
    );

    // the printed config keeps PayerMax's key and the merchant's
    let config_line = demo
        .lines
        .iter()
        .find(|l| l.starts_with('{'))
        .unwrap()
        .clone();
    let payermax_public = demo.value("PayerMax public key:");
    drop(demo);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sandbox.json");
    std::fs::write(&config, config_line).unwrap();
    let again = Running::start(&["--config", config.to_str().unwrap()]);
    assert_eq!(again.value("PayerMax public key:"), payermax_public);
    assert_eq!(
        query_unknown(&again.base_url(), &app_id, &merchant_no, &key).await,
        "ORDER_NOT_EXIST"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_and_state_files() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sandbox.json");
    let state = dir.path().join("state.jsonl");
    std::fs::write(
        &config,
        json!({
            "privateKey": include_str!("fixtures/payermax_private.txt"),
            "merchants": [{"appId": APP_ID, "merchantNo": MERCHANT_NO,
                           "publicKey": include_str!("fixtures/merchant_public.txt")}],
            "settleMs": 10,
        })
        .to_string(),
    )
    .unwrap();
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--notify-scale",
        "0.001",
    ];
    let running = Running::start(&args);
    assert!(
        running
            .lines
            .iter()
            .any(|l| l.contains(&format!("appId={APP_ID}")))
    );
    let body = envelope(&payout("cli_1", "10"));
    let signature = sign(&merchant_key(), body.as_bytes());
    let url = format!("{}/paymentOrderPay", running.base_url());
    let answer = post_raw(
        &http(),
        &url,
        Some("application/json"),
        Some(&signature),
        body.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(answer.code(), "APPLY_SUCCESS");
    assert!(answer.signed_by(&payermax_key().public_key().unwrap()));
    drop(running);

    let running = Running::start(&args);
    let body = envelope(&payout("cli_1", "10"));
    let signature = sign(&merchant_key(), body.as_bytes());
    let url = format!("{}/paymentOrderPay", running.base_url());
    let answer = post_raw(
        &http(),
        &url,
        Some("application/json"),
        Some(&signature),
        body.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(
        answer.code(),
        "ORDER_REPEAT",
        "the order survived the restart"
    );
}

#[test]
fn bad_configuration_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.json");
    std::fs::write(
        &config,
        r#"{"merchants": [{"appId": "a", "merchantNo": "m", "publicKey": "not a key"}]}"#,
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
        .args(["--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("merchants[0].publicKey"), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
        .args(["--notify-scale=-1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("notify scale"));
}
