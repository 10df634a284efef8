//! `payermax payout --csv FILE` end to end: the real binary, real files, real RSA, real
//! loopback HTTP to an in-process sandbox. A run is killed (SIGKILL) halfway and run again; every
//! row must end with exactly one order and one results line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use payermax_sandbox::{Fault, FaultPlan, FaultRule, Merchant, Sandbox, SandboxConfig, Timings};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The `payermax` binary, built once per test process.
///
/// `env!("CARGO_BIN_EXE_payermax")` is only set for tests of the package that owns the binary
/// (payermax-cli), not for this root package. `cargo run -p payermax-cli -- payout …` would do
/// for a run that ends by itself, but not for this test: SIGKILL would reach `cargo`, and the
/// `payermax` process it started would go on paying. A path guessed under `target/debug/`
/// may be stale or elsewhere (CARGO_TARGET_DIR, `--release`). So the cargo that runs this test
/// (`env!("CARGO")`) builds the binary with the test's profile, which also makes it current,
/// and its JSON messages give the executable's exact path; the test then spawns and kills that
/// executable itself.
fn payermax_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "--message-format=json"])
            .args(["--package", "payermax-cli", "--bin", "payermax"])
            .arg("--manifest-path")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .stderr(Stdio::inherit());
        if !cfg!(debug_assertions) {
            cargo.arg("--release");
        }
        let output = cargo.output().expect("run cargo build");
        assert!(
            output.status.success(),
            "cargo build -p payermax-cli failed"
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "payermax")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reported no payermax executable")
    })
}

/// A sandbox whose orders stay PENDING (so a results line and the sandbox agree), a merchant
/// with a real key pair, and the environment the CLI reads.
struct Gateway {
    sandbox: Sandbox,
    env: Vec<(&'static str, String)>,
    private_key: String,
    _keys: tempfile::TempDir,
}

async fn gateway() -> Gateway {
    let hour = Duration::from_secs(3600);
    let sandbox = Sandbox::start(SandboxConfig::default().timings(Timings {
        settle: hour,
        pending_rule: hour,
        bounceback: hour,
    }))
    .await
    .unwrap();
    let (merchant, key) = Merchant::generate("app_bulk", "M_BULK").unwrap();
    sandbox.register_merchant(merchant);
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("private_key.txt");
    let private_key = key.to_dashboard().unwrap().to_string();
    std::fs::write(&key_file, &private_key).unwrap();
    let env = vec![
        ("PAYERMAX_MERCHANT_NO", "M_BULK".to_owned()),
        ("PAYERMAX_APP_ID", "app_bulk".to_owned()),
        ("PAYERMAX_PRIVATE_KEY_FILE", key_file.display().to_string()),
        ("PAYERMAX_PUBLIC_KEY", sandbox.public_key_dashboard()),
        ("PAYERMAX_ENV", sandbox.base_url()),
    ];
    Gateway {
        sandbox,
        env,
        private_key,
        _keys: keys,
    }
}

/// A running `payermax`, killed if the test ends early; stdout and stderr go to files.
struct Run {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Run {
    fn start(dir: &Path, tag: &str, env: &[(&str, String)], args: &[&str]) -> Run {
        let stdout = dir.join(format!("{tag}.stdout"));
        let stderr = dir.join(format!("{tag}.stderr"));
        let child = Command::new(payermax_bin())
            .args(args)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Run {
            child,
            stdout,
            stderr,
        }
    }

    async fn wait(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "payermax still running after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn output(&self) -> (String, String) {
        (
            std::fs::read_to_string(&self.stdout).unwrap(),
            std::fs::read_to_string(&self.stderr).unwrap(),
        )
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const HEADER: &str = "outTradeNo,country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName";

/// Rows of BR PIX payees; rows 3 and 10 bring their own outTradeNo, the others derive theirs.
fn payee_file(dir: &Path, rows: usize) -> (PathBuf, Vec<String>) {
    let path = dir.join("june_payouts.csv");
    let mut text = format!("{HEADER}\n");
    let mut ids = Vec::new();
    for row in 1..=rows {
        let own = matches!(row, 3 | 10).then(|| format!("own_id_{row}"));
        ids.push(
            own.clone()
                .unwrap_or_else(|| format!("june_payouts_r{row}")),
        );
        text.push_str(&format!(
            "{},BR,{}.50,BRL,REALTIME_PAYMENT,PIX,{:011},Payee {}\n",
            own.unwrap_or_default(),
            10 + row,
            12_345_678_900u64 + row as u64,
            char::from(b'A' + (row % 26) as u8),
        ));
    }
    std::fs::write(&path, text).unwrap();
    (path, ids)
}

/// The results file's complete lines: outTradeNo → (status, tradeNo, error), and how many
/// lines. Read while a run writes it: a file without its header yet counts as empty.
fn results(path: &Path) -> (BTreeMap<String, (String, String, String)>, usize) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records().map(Result::unwrap);
    match records.next() {
        Some(header) => assert_eq!(header, vec!["outTradeNo", "status", "tradeNo", "error"]),
        None => return (BTreeMap::new(), 0),
    }
    let mut lines = 0;
    let mut by_id = BTreeMap::new();
    for record in records.filter(|r| r.len() == 4) {
        lines += 1;
        let cell = |i: usize| record[i].to_owned();
        by_id.insert(cell(0), (cell(1), cell(2), cell(3)));
    }
    (by_id, lines)
}

fn assert_no_key_material(run: &Run, private_key: &str) {
    let (stdout, stderr) = run.output();
    for text in [&stdout, &stderr] {
        assert!(!text.contains(&private_key[..40]), "key material in {text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_halfway_and_run_again_pays_every_row_exactly_once() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    const ROWS: usize = 24;
    let (csv, ids) = payee_file(dir.path(), ROWS);
    let results_path = dir.path().join("results.csv");
    let csv_arg = csv.display().to_string();
    let results_arg = results_path.display().to_string();
    let args = [
        "payout",
        "--csv",
        &csv_arg,
        "--results",
        &results_arg,
        "--concurrency",
        "3",
    ];
    // Slow answers keep the run going; row 12's answer is held for 20 s after its order is
    // committed, so the kill always finds an order the results file does not know about.
    let held = "june_payouts_r12";
    gw.sandbox.set_faults(
        FaultPlan::new()
            .rule(
                FaultRule::new(Fault::Latency(Duration::from_secs(20)))
                    .api("paymentOrderPay")
                    .out_trade_no(held)
                    .times(1),
            )
            .rule(
                FaultRule::new(Fault::Latency(Duration::from_millis(150))).api("paymentOrderPay"),
            ),
    );

    let mut first = Run::start(dir.path(), "first", &gw.env, &args);
    let start = Instant::now();
    loop {
        let (_, lines) = results(&results_path);
        if lines >= ROWS / 3 && gw.sandbox.order_count(held) == 1 {
            break;
        }
        assert!(
            first.child.try_wait().unwrap().is_none(),
            "the first run ended before the kill: {:?}",
            first.output()
        );
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.child.kill().unwrap(); // SIGKILL: no chance to clean up
    let status = first.wait(Duration::from_secs(10)).await;
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }
    #[cfg(not(unix))]
    assert!(!status.success());

    let (recorded, lines) = results(&results_path);
    assert!(
        (ROWS / 3..ROWS).contains(&lines),
        "{lines} lines at the kill"
    );
    assert!(
        recorded
            .values()
            .all(|(status, _, error)| status == "PENDING" && error.is_empty())
    );
    let placed: BTreeSet<String> = gw
        .sandbox
        .orders()
        .into_iter()
        .map(|o| o.out_trade_no)
        .collect();
    let unrecorded: Vec<&String> = placed
        .iter()
        .filter(|id| !recorded.contains_key(*id))
        .collect();
    assert!(unrecorded.contains(&&held.to_owned()), "{unrecorded:?}");
    assert_no_key_material(&first, &gw.private_key);

    // The second run meets rate limiting: the runtime backs off and sends again.
    gw.sandbox.set_faults(
        FaultPlan::new().rule(
            FaultRule::new(Fault::TooManyRequests)
                .api("paymentOrderPay")
                .times(3),
        ),
    );
    let mut second = Run::start(dir.path(), "second", &gw.env, &args);
    let status = second.wait(Duration::from_secs(120)).await;
    let (stdout, stderr) = second.output();
    assert!(status.success(), "{status:?}\n{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "{ROWS} rows: {} orders (PENDING {}), 0 errors, {lines} already recorded",
            ROWS - lines,
            ROWS - lines
        )),
        "{stdout}"
    );
    assert_no_key_material(&second, &gw.private_key);

    let (recorded, final_lines) = results(&results_path);
    assert_eq!(final_lines, ROWS, "one line per row");
    assert_eq!(
        recorded.keys().collect::<BTreeSet<_>>(),
        ids.iter().collect::<BTreeSet<_>>()
    );
    for id in &ids {
        assert_eq!(gw.sandbox.order_count(id), 1, "{id} has one order");
        let order = gw.sandbox.order(id).unwrap();
        let (status, trade_no, error) = &recorded[id];
        assert_eq!(status, &order.status.to_string(), "{id}");
        assert_eq!(trade_no, &order.trade_no, "{id}");
        assert!(error.is_empty(), "{id}: {error}");
    }
    // The rows placed before the kill were resolved by inquiry, not paid again.
    for id in &unrecorded {
        let apis: Vec<(String, Option<String>)> = gw
            .sandbox
            .requests_for(id)
            .into_iter()
            .map(|r| (r.api, r.code))
            .collect();
        assert!(
            apis.contains(&("paymentOrderPay".into(), Some("ORDER_REPEAT".into())))
                && apis.iter().any(|(api, _)| api == "paymentOrderQry"),
            "{id}: {apis:?}"
        );
    }
    let throttled = gw
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.code.as_deref() == Some("TOO_MANY_REQUEST"))
        .count();
    assert_eq!(throttled, 3);

    // A third run finds every row recorded and sends nothing.
    let before = gw.sandbox.requests().len();
    let mut third = Run::start(dir.path(), "third", &gw.env, &args);
    assert!(third.wait(Duration::from_secs(30)).await.success());
    assert!(
        third
            .output()
            .0
            .contains(&format!("0 errors, {ROWS} already recorded"))
    );
    assert_eq!(gw.sandbox.requests().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_rows_are_all_reported_and_nothing_is_sent() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\n\
             ,BR,10.00,BRL,REALTIME_PAYMENT,PIX,12345678901,Ana\n\
             ,BR,10.505,BRL,REALTIME_PAYMENT,PIX,12345678901,Ana\n\
             ,BR,10.00,BRL,REALTIME_PAYMENT,PIX,12345678901,Ana\n\
             ,BR,10.00,BRL,REALTIME_PAYMENT,PIX,,Ana\n\
             bad-id,BR,10.00,BRL,REALTIME_PAYMENT,PIX,12345678901,Ana\n"
        ),
    )
    .unwrap();
    let csv_arg = csv.display().to_string();
    let mut run = Run::start(dir.path(), "bad", &gw.env, &["payout", "--csv", &csv_arg]);
    let status = run.wait(Duration::from_secs(30)).await;
    let (stdout, stderr) = run.output();
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    for expected in [
        "bad.csv: 3 of 5 rows are invalid; nothing was sent",
        "row 2 (line 3): trade.amount: ",
        "row 4 (line 5): payeeInfo.accountInfo: is required",
        "row 5 (line 6): outTradeNo: ",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in\n{stderr}");
    }
    assert!(gw.sandbox.requests().is_empty(), "nothing may be sent");
    assert!(!dir.path().join("bad.results.csv").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_are_named() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let (csv, _) = payee_file(dir.path(), 2);
    let csv_arg = csv.display().to_string();
    let env: Vec<(&str, String)> = gw
        .env
        .iter()
        .filter(|(k, _)| *k != "PAYERMAX_APP_ID" && *k != "PAYERMAX_PRIVATE_KEY_FILE")
        .cloned()
        .collect();
    let mut run = Run::start(dir.path(), "noenv", &env, &["payout", "--csv", &csv_arg]);
    let status = run.wait(Duration::from_secs(30)).await;
    let (_, stderr) = run.output();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("PAYERMAX_APP_ID is not set"), "{stderr}");
    assert!(
        stderr.contains("PAYERMAX_PRIVATE_KEY (or PAYERMAX_PRIVATE_KEY_FILE) is not set"),
        "{stderr}"
    );
    assert!(gw.sandbox.requests().is_empty());
}
