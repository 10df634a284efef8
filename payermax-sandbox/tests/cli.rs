//! The `payermax-sandbox` binary: demo mode, `--config`, `--state`, bad configuration.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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

    // …and as export lines for another shell: the same values
    let export = |name: &str| {
        demo.value(&format!("export {name}="))
            .trim_matches('\'')
            .to_owned()
    };
    assert_eq!(export("PAYERMAX_ENV"), demo.base_url());
    assert_eq!(export("PAYERMAX_APP_ID"), app_id);
    assert_eq!(export("PAYERMAX_MERCHANT_NO"), merchant_no);
    assert_eq!(
        export("PAYERMAX_PRIVATE_KEY"),
        demo.value("merchant private key:")
    );
    assert_eq!(
        export("PAYERMAX_PUBLIC_KEY"),
        demo.value("PayerMax public key:")
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

    // fault flags: a usage error, or a configuration error naming the file
    let output = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
        .args(["--fault-rate", "2"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("from 0 to 1"));
    std::fs::write(
        &config,
        r#"{"faults": {"rules": [{"fault": "dropAfterCommit", "api": "paymentOrderPya"}]}}"#,
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
        .args(["--config", config.to_str().unwrap(), "--fault-seed", "1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.json: faults.rules[0].api is not one of"),
        "{stderr}"
    );
    assert!(!stderr.contains("paymentOrderPya"), "{stderr}");
}

/// GET `url`: the status and the JSON body.
async fn get_json(url: &str) -> (u16, serde_json::Value) {
    let response = http().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

/// A signed `paymentOrderPay` for `out` through the running binary.
async fn pay(base_url: &str, out: &str) -> reqwest::Result<Answer> {
    let body = envelope(&payout(out, "10"));
    let signature = sign(&merchant_key(), body.as_bytes());
    post_raw(
        &http(),
        &format!("{base_url}/paymentOrderPay"),
        Some("application/json"),
        Some(&signature),
        body.into_bytes(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_from_flags_and_file_and_orders_read_back_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sandbox.json");
    std::fs::write(
        &config,
        json!({
            "privateKey": include_str!("fixtures/payermax_private.txt"),
            "merchants": [{"appId": APP_ID, "merchantNo": MERCHANT_NO,
                           "publicKey": include_str!("fixtures/merchant_public.txt")}],
            "settleMs": 10,
            // the first payout of cli_drop is committed, then its connection dropped
            "faults": {"rules": [{"fault": "dropAfterCommit", "api": "paymentOrderPay",
                                  "outTradeNo": "cli_drop", "times": 1}]},
        })
        .to_string(),
    )
    .unwrap();
    // every other request: HTTP 502 after committing
    let running = Running::start(&[
        "--config",
        config.to_str().unwrap(),
        "--fault-rate",
        "1",
        "--fault-kinds",
        "server-error-after-commit:502",
        "--fault-seed",
        "5",
    ]);
    let faults = running.value("faults:");
    assert!(
        faults.starts_with("1 rule; random: probability 1, seed 5"),
        "{faults}"
    );
    let orders_url = running.value("inspect: GET");
    assert!(
        orders_url.starts_with("http://127.0.0.1:") && orders_url.ends_with("/__sandbox/orders"),
        "{orders_url}"
    );
    let base_url = running.base_url();
    assert_eq!(get_json(&orders_url).await, (200, json!({"orders": []})));

    // the rule: a connection error, not an HTTP answer
    let error = pay(&base_url, "cli_drop").await.unwrap_err();
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");
    // the flags: 502, unsigned
    let answer = pay(&base_url, "cli_502").await.unwrap();
    assert_eq!(answer.status, 502);
    assert!(answer.sign.is_none());
    // the rule is used up; the resend meets the random fault and pays nothing twice
    let answer = pay(&base_url, "cli_drop").await.unwrap();
    assert_eq!(answer.status, 502);

    // both orders exist, once each, and settle
    let deadline = std::time::Instant::now() + PATIENCE;
    let list = loop {
        let (status, json) = get_json(&orders_url).await;
        assert_eq!(status, 200);
        let list = json["orders"].as_array().unwrap().clone();
        if list.len() == 2 && list.iter().all(|o| o["status"] == "SUCCESS") {
            break list;
        }
        assert!(std::time::Instant::now() < deadline, "{json}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let summary: Vec<(&str, &str, &str, u64)> = list
        .iter()
        .map(|o| {
            (
                o["outTradeNo"].as_str().unwrap(),
                o["amount"].as_str().unwrap(),
                o["currency"].as_str().unwrap(),
                o["orderCount"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("cli_drop", "10", "BRL", 1), ("cli_502", "10", "BRL", 1)]
    );
    let (status, one) = get_json(&format!("{orders_url}/cli_drop")).await;
    assert_eq!(status, 200);
    assert_eq!(one["tradeNo"], list[0]["tradeNo"]);
    assert!(one["tradeNo"].as_str().unwrap().contains("PO"));
    assert_eq!(one["status"], "SUCCESS");
    let (status, _) = get_json(&format!("{orders_url}/cli_never")).await;
    assert_eq!(status, 404);
}

/// `--extend`: the sandbox validates with the built-in spec plus the merchant's own countries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_files_add_countries_to_what_the_sandbox_checks() {
    let extra = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/extend/extra.yaml"
    );
    // Zedland's ZZD has no decimal places: 10.5 ZZD is refused once the sandbox knows ZZ.
    let pay = |running: &Running| {
        let body = json!({
            "version": "1.4", "keyVersion": "1",
            "requestTime": request_time(SystemTime::now()),
            "appId": running.value("appId:"), "merchantNo": running.value("merchantNo:"),
            "data": {"outTradeNo": "cli_zz", "country": "ZZ",
                     "trade": {"amount": "10.5", "currency": "ZZD"},
                     "payeeInfo": {"paymentMethodType": "BANK_TRANSFER",
                                   "accountInfo": {"accountNo": "123"}}},
        })
        .to_string();
        let key = PrivateKey::parse(&running.value("merchant private key:")).unwrap();
        let url = format!("{}/paymentOrderPay", running.base_url());
        async move {
            let signature = sign(&key, body.as_bytes());
            post_raw(
                &http(),
                &url,
                Some("application/json"),
                Some(&signature),
                body.into_bytes(),
            )
            .await
            .unwrap()
        }
    };
    let extended = Running::start(&["--extend", extra]);
    let answer = pay(&extended).await;
    assert_eq!(answer.code(), "PARAMS_INVALID", "{answer:?}");
    assert_eq!(answer.msg(), "The trade.amount is incorrect.");
    drop(extended);
    // Without it, ZZ is a country the spec does not describe: API-wide rules only.
    let plain = Running::start(&[]);
    assert_eq!(pay(&plain).await.code(), "APPLY_SUCCESS");
    // A broken extension is an error at its line, and no sandbox starts.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("extra.yaml"),
        "countries: [countries/missing.yaml]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_payermax-sandbox"))
        .args(["--extend", dir.path().join("extra.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("extra.yaml:1:"), "{stderr}");
}
