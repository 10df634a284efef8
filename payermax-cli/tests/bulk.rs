//! `payermax payout --csv FILE --batch NAME` end to end, on the ledger: the real binary, real
//! files, a real SQLite ledger (and a real PostgreSQL server), real RSA, real loopback HTTP to
//! an in-process sandbox. Each scenario of everyday file handling that used to pay someone
//! twice, or record someone as paid who was not, is here; so are kills at random moments and
//! two processes working one file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax::ledger::Ledger;
use payermax_sandbox::{Fault, FaultPlan, FaultRule, Merchant, Sandbox, SandboxConfig, Timings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The `payermax` binary cargo built for this test run. The tests spawn and kill that
/// executable themselves: SIGKILL sent to `cargo run` would reach `cargo`, and the `payermax`
/// process it started would go on paying.
fn payermax_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_payermax"))
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
    gateway_with(Timings {
        settle: hour,
        pending_rule: hour,
        bounceback: hour,
        rfi_deadline: hour,
    })
    .await
}

async fn gateway_with(timings: Timings) -> Gateway {
    gateway_funded(timings, &[]).await
}

/// A gateway whose merchant's payout account holds `balances` (currency, amount); other
/// currencies are not limited.
async fn gateway_funded(timings: Timings, balances: &[(&str, &str)]) -> Gateway {
    let sandbox = Sandbox::start(SandboxConfig::default().timings(timings))
        .await
        .unwrap();
    let (mut merchant, key) = Merchant::generate("app_bulk", "M_BULK").unwrap();
    for (currency, amount) in balances {
        merchant = merchant.balance(*currency, *amount);
    }
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

const HEADER: &str = "country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName";

/// One BR PIX payee row: account `12345678900 + n`, amount `10 + n` (or `amount`).
fn row(n: u64, amount: Option<&str>) -> String {
    let amount = amount.map_or_else(|| format!("{}.50", 10 + n), str::to_owned);
    format!(
        "BR,{amount},BRL,REALTIME_PAYMENT,PIX,{:011},Payee {}\n",
        12_345_678_900u64 + n,
        char::from(b'A' + (n % 26) as u8)
    )
}

fn write_file(path: &Path, rows: &[String]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, format!("{HEADER}\n{}", rows.concat())).unwrap();
}

/// Runs `payermax` to its end.
async fn payermax(
    gw: &Gateway,
    dir: &Path,
    tag: &str,
    args: &[&str],
) -> (ExitStatus, String, String) {
    let mut run = Run::start(dir, tag, &gw.env, args);
    let status = run.wait(Duration::from_secs(120)).await;
    let (stdout, stderr) = run.output();
    assert_no_key_material(&run, &gw.private_key);
    (status, stdout, stderr)
}

fn assert_no_key_material(run: &Run, private_key: &str) {
    let (stdout, stderr) = run.output();
    for text in [&stdout, &stderr] {
        assert!(!text.contains(&private_key[..40]), "key material in {text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}

/// The sandbox's orders: outTradeNo → (count, amount, status).
fn orders(gw: &Gateway) -> BTreeMap<String, (usize, String, String)> {
    gw.sandbox
        .orders()
        .into_iter()
        .map(|o| {
            let id = o.out_trade_no.clone();
            let count = gw.sandbox.order_count(&id);
            let amount = o.data["trade"]["amount"].as_str().unwrap_or("").to_owned();
            (id, (count, amount, o.status.to_string()))
        })
        .collect()
}

/// Orders per payee account (the account number in the request).
fn orders_per_account(gw: &Gateway) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for o in gw.sandbox.orders() {
        let account = o.data["payeeInfo"]["accountInfo"]["accountNo"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        *out.entry(account).or_default() += 1;
    }
    out
}

fn ledger_arg(dir: &Path) -> String {
    dir.join("ledger.sqlite").display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_under_another_name_pays_nobody_twice() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let june = dir.path().join("june_payouts.csv");
    write_file(&june, &(1..=4).map(|n| row(n, None)).collect::<Vec<_>>());
    let csv = june.display().to_string();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "first",
        &[
            "payout", "--csv", &csv, "--batch", "2026-06", "--ledger", &ledger,
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert_eq!(gw.sandbox.orders().len(), 4);
    // The results file is an export of the ledger, written whole: one line per row.
    let results = std::fs::read_to_string(dir.path().join("june_payouts.results.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(results.as_bytes());
    assert_eq!(reader.records().count(), 4, "{results}");
    // The same file under another name, same batch: every row is already recorded.
    let copy = dir.path().join("june_payouts (1).csv");
    std::fs::copy(&june, &copy).unwrap();
    let copy = copy.display().to_string();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "copy",
        &[
            "payout", "--csv", &copy, "--batch", "2026-06", "--ledger", &ledger,
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 already recorded before this run"),
        "{stdout}"
    );
    assert_eq!(gw.sandbox.orders().len(), 4, "nothing new was placed");
    // Under a new batch name by mistake: every row is held back as a repeat, nothing sent.
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "rebatch",
        &[
            "payout",
            "--csv",
            &copy,
            "--batch",
            "2026-06-again",
            "--ledger",
            &ledger,
        ],
    )
    .await;
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("held back, not sent"), "{stderr}");
    assert!(stderr.contains("in batch 2026-06 on "), "{stderr}");
    assert_eq!(gw.sandbox.orders().len(), 4, "nothing new was placed");
    assert!(orders_per_account(&gw).values().all(|n| *n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_results_file_cut_by_a_power_cut_is_replaced_whole() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    write_file(&file, &(1..=3).map(|n| row(n, None)).collect::<Vec<_>>());
    // A results file of an earlier version, cut inside a quoted error cell.
    let results = dir.path().join("payouts.results.csv");
    std::fs::write(
        &results,
        "outTradeNo,status,tradeNo,error\nx_r1,,,\"TOO_MANY_REQUEST, \"\"la",
    )
    .unwrap();
    let csv = file.display().to_string();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "run",
        &["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    let text = std::fs::read_to_string(&results).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &payermax::bulk::EXPORT_COLUMNS[..]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows.iter().all(|r| &r[7] == "PENDING"), "{text}");
    // No temporary file is left beside it.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inserted_and_sorted_rows_keep_every_payees_number() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    write_file(&file, &[row(1, None), row(2, None), row(3, None)]);
    let csv = file.display().to_string();
    let args = [
        "payout", "--csv", &csv, "--batch", "b1", "--ledger", &ledger,
    ];
    assert!(payermax(&gw, dir.path(), "first", &args).await.0.success());
    // A new payee inserted at the top, and the rows sorted the other way round.
    write_file(
        &file,
        &[row(9, None), row(3, None), row(2, None), row(1, None)],
    );
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "second", &args).await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3 already recorded before this run"),
        "{stdout}"
    );
    let per_account = orders_per_account(&gw);
    assert_eq!(per_account.len(), 4, "{per_account:?}");
    assert!(per_account.values().all(|n| *n == 1), "{per_account:?}");
    // Two payments to one payee in one batch are two payouts (their occurrence differs).
    write_file(
        &file,
        &[
            row(9, None),
            row(3, None),
            row(2, None),
            row(1, None),
            row(1, None),
        ],
    );
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "third", &args).await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert_eq!(orders_per_account(&gw).values().sum::<usize>(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_months_file_with_the_same_name_is_paid_not_taken_for_junes() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let rows: Vec<String> = (1..=3).map(|n| row(n, Some("100.00"))).collect();
    let june = dir.path().join("june/payouts.csv");
    let july = dir.path().join("july/payouts.csv");
    write_file(&june, &rows);
    write_file(&july, &rows);
    let (june, july) = (june.display().to_string(), july.display().to_string());
    assert!(
        payermax(
            &gw,
            dir.path(),
            "june",
            &[
                "payout", "--csv", &june, "--batch", "2026-06", "--ledger", &ledger
            ]
        )
        .await
        .0
        .success()
    );
    // Same payees, same amounts, a few days later in a test: the guard asks first…
    let (status, _, stderr) = payermax(
        &gw,
        dir.path(),
        "july",
        &[
            "payout", "--csv", &july, "--batch", "2026-07", "--ledger", &ledger,
        ],
    )
    .await;
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(gw.sandbox.orders().len(), 3);
    // …and a month later (or when told so) July's payees get their own orders.
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "july2",
        &[
            "payout",
            "--csv",
            &july,
            "--batch",
            "2026-07",
            "--ledger",
            &ledger,
            "--allow-repeat",
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 already recorded before this run"),
        "{stdout}"
    );
    assert_eq!(
        gw.sandbox.orders().len(),
        6,
        "July's payees were paid, not taken for June's"
    );
    assert!(orders_per_account(&gw).values().all(|n| *n == 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_amount_is_refused_with_both_versions_and_never_paid_again() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    write_file(&file, &[row(1, Some("10.00")), row(2, None)]);
    let csv = file.display().to_string();
    let args = ["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger];
    assert!(payermax(&gw, dir.path(), "first", &args).await.0.success());
    // Row 1 "corrected" after it reached PayerMax.
    write_file(&file, &[row(1, Some("12.00")), row(2, None)]);
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "second", &args).await;
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("is recorded for BRL 10 to BR REALTIME_PAYMENT PIX account …8901"),
        "{stderr}"
    );
    assert!(stderr.contains("this request is BRL 12 to"), "{stderr}");
    assert!(stderr.contains("(status PENDING)"), "{stderr}");
    assert!(
        stderr.contains("Do not pay it again under another number"),
        "{stderr}"
    );
    assert!(!stderr.contains("its own outTradeNo"), "{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    assert_eq!(gw.sandbox.orders().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_refreshes_from_payermax_and_fails_while_an_order_failed() {
    let gw = gateway_with(Timings {
        settle: Duration::from_millis(300),
        pending_rule: Duration::from_secs(3600),
        bounceback: Duration::from_millis(300),
        rfi_deadline: Duration::from_millis(300),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    // Amount 110 fails in the sandbox (reference §15).
    write_file(&file, &[row(1, Some("110")), row(2, None)]);
    let csv = file.display().to_string();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "pay",
        &["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger],
    )
    .await;
    assert!(status.success(), "answered PENDING: {stdout}\n{stderr}");
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (status, stdout, _) = payermax(
        &gw,
        dir.path(),
        "status",
        &["payout", "status", "--ledger", &ledger],
    )
    .await;
    assert!(status.success(), "the ledger still says PENDING: {stdout}");
    assert!(stdout.contains("2 payouts: PENDING 2"), "{stdout}");
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "refresh",
        &[
            "payout",
            "status",
            "--ledger",
            &ledger,
            "--refresh",
            "--batch",
            "b",
        ],
    )
    .await;
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("batch b: 2 payouts: FAILED 1, SUCCESS 1"),
        "{stdout}"
    );
    assert!(stderr.contains("refresh: 2 queried: 2 changed"), "{stderr}");
    // The export is the ledger's view, whole.
    let (status, stdout, _) = payermax(
        &gw,
        dir.path(),
        "export",
        &["payout", "export", "--ledger", &ledger],
    )
    .await;
    assert!(status.success());
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &payermax::bulk::EXPORT_COLUMNS[..]
    );
    let statuses: Vec<String> = reader.records().map(|r| r.unwrap()[7].to_owned()).collect();
    assert_eq!(statuses, ["FAILED", "SUCCESS"]);
    // Reconcile: PayerMax's orders of today against the ledger.
    let today = chrono::Utc::now().date_naive();
    let from = today.format("%Y-%m-%d").to_string();
    let to = (today + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "reconcile",
        &[
            "reconcile",
            "--ledger",
            &ledger,
            "--from",
            &from,
            "--to",
            &to,
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("2 PayerMax orders: 2 match the ledger, 0 missing"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_without_a_number_and_no_batch_is_refused_with_what_to_add() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payouts.csv");
    write_file(&file, &[row(1, None)]);
    let csv = file.display().to_string();
    let ledger = ledger_arg(dir.path());
    let (status, _, stderr) = payermax(
        &gw,
        dir.path(),
        "nobatch",
        &["payout", "--csv", &csv, "--ledger", &ledger],
    )
    .await;
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--batch 2026-06-payroll"), "{stderr}");
    assert!(stderr.contains("--legacy-ids"), "{stderr}");
    assert!(gw.sandbox.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_outcomes_wait_as_configured_and_each_waiting_row_is_shown() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    write_file(&file, &(1..=3).map(|n| row(n, None)).collect::<Vec<_>>());
    // Two 503s that never reached the order book: PayerMax then does not know the order.
    gw.sandbox.set_faults(
        FaultPlan::new().rule(
            FaultRule::new(Fault::ServerError {
                status: 503,
                json: false,
                commit: false,
            })
            .api("paymentOrderPay")
            .times(2),
        ),
    );
    let csv = file.display().to_string();
    let started = Instant::now();
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "wait",
        &[
            "payout",
            "--csv",
            &csv,
            "--batch",
            "b",
            "--ledger",
            &ledger,
            "--unknown-outcome-wait",
            "50ms",
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(stderr.contains("outcome unknown and PayerMax does not know the order yet; querying again in 50 ms (1 of 2)"), "{stderr}");
    assert!(
        stderr.contains("sending it again under the same number"),
        "{stderr}"
    );
    assert!(orders(&gw).values().all(|(n, _, _)| *n == 1));
    assert_eq!(gw.sandbox.orders().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_never_stops_a_run() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payouts.csv");
    write_file(&file, &(1..=5).map(|n| row(n, None)).collect::<Vec<_>>());
    let csv = file.display().to_string();
    let ledger = ledger_arg(dir.path());
    let mut child = Command::new(payermax_bin())
        .args(["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger])
        .env_clear()
        .envs(gw.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -0`: both ends closed before anything is written.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(60));
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status.code(), Some(0), "a panic exits 101");
    assert_eq!(gw.sandbox.orders().len(), 5, "the run went to its end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_given_in_the_wrong_place_are_never_echoed() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payouts.csv");
    write_file(&file, &[row(1, None)]);
    let csv = file.display().to_string();
    let ledger = ledger_arg(dir.path());
    // The private key in PAYERMAX_ENV.
    let mut env = gw.env.clone();
    env.retain(|(k, _)| *k != "PAYERMAX_ENV");
    env.push(("PAYERMAX_ENV", gw.private_key.clone()));
    let mut run = Run::start(
        dir.path(),
        "env",
        &env,
        &["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger],
    );
    assert_eq!(run.wait(Duration::from_secs(60)).await.code(), Some(2));
    let (_, stderr) = run.output();
    assert!(stderr.contains("PAYERMAX_ENV ("), "{stderr}");
    assert_no_key_material(&run, &gw.private_key);
    // The key file given as the payee file.
    let key_file = dir.path().join("private_key.txt");
    std::fs::write(
        &key_file,
        format!("{}\n{}\n", gw.private_key, gw.private_key),
    )
    .unwrap();
    let key_csv = key_file.display().to_string();
    let (status, _, stderr) = payermax(
        &gw,
        dir.path(),
        "keyfile",
        &[
            "payout", "--csv", &key_csv, "--batch", "b", "--ledger", &ledger,
        ],
    )
    .await;
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("its name is not shown"), "{stderr}");
    // Credentials in the base URL are never shown.
    let mut env = gw.env.clone();
    env.retain(|(k, _)| *k != "PAYERMAX_ENV");
    env.push((
        "PAYERMAX_ENV",
        gw.sandbox
            .base_url()
            .replace("http://", "http://user:hunter2secret@"),
    ));
    let mut run = Run::start(
        dir.path(),
        "url",
        &env,
        &["payout", "--csv", &csv, "--batch", "b", "--ledger", &ledger],
    );
    run.wait(Duration::from_secs(60)).await;
    let (stdout, stderr) = run.output();
    assert!(stderr.contains("paying up to 1"), "{stderr}");
    assert!(
        !stdout.contains("hunter2secret") && !stderr.contains("hunter2secret"),
        "{stdout}\n{stderr}"
    );
}

/// Kills `payermax` at random moments while the sandbox injects faults, runs it again until it
/// finishes, then checks: every payee exactly one order, none missing, ledger = sandbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_moments_under_faults_every_payee_is_paid_exactly_once() {
    const ROWS: u64 = 120;
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("payouts.csv");
    write_file(&file, &(1..=ROWS).map(|n| row(n, None)).collect::<Vec<_>>());
    gw.sandbox
        .set_faults(FaultPlan::new().random(payermax_sandbox::RandomFaults {
            seed: 7,
            probability: 0.15,
            faults: vec![
                Fault::DropConnection,
                Fault::ServerError {
                    status: 503,
                    json: false,
                    commit: false,
                },
                Fault::ServerError {
                    status: 502,
                    json: false,
                    commit: true,
                },
                Fault::TooManyRequests,
                Fault::Latency(Duration::from_millis(30)),
            ],
        }));
    let csv = file.display().to_string();
    let args = [
        "payout",
        "--csv",
        &csv,
        "--batch",
        "torture",
        "--ledger",
        &ledger,
        "--concurrency",
        "16",
        "--unknown-outcome-wait",
        "20ms",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut kills = 0;
    for attempt in 0..40 {
        let mut run = Run::start(dir.path(), &format!("run{attempt}"), &gw.env, &args);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = Duration::from_millis(100 + seed % 900);
        let start = Instant::now();
        let mut finished = None;
        while start.elapsed() < after {
            if let Some(status) = run.child.try_wait().unwrap() {
                finished = Some(status);
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        match finished {
            Some(status) if status.success() && attempt > 0 => break,
            Some(_) => {}
            None if kills < 12 => {
                run.child.kill().unwrap(); // SIGKILL
                run.child.wait().unwrap();
                kills += 1;
            }
            None => {
                let status = run.wait(Duration::from_secs(120)).await;
                if status.success() {
                    break;
                }
            }
        }
        assert_no_key_material(&run, &gw.private_key);
    }
    gw.sandbox.set_faults(FaultPlan::new());
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "final", &args).await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(kills > 0, "the test killed nothing");
    let per_account = orders_per_account(&gw);
    assert_eq!(per_account.len() as u64, ROWS, "every payee has an order");
    assert!(per_account.values().all(|n| *n == 1), "{per_account:?}");
    assert!(orders(&gw).values().all(|(n, _, _)| *n == 1));
    // The ledger says what the sandbox says.
    let ledger = Ledger::open(&ledger).await.unwrap();
    let (records, _) = ledger.list(Some("torture"), 0, 1000).await.unwrap();
    assert_eq!(records.len() as u64, ROWS);
    for r in &records {
        let order = gw
            .sandbox
            .order(&r.out_trade_no)
            .expect("the ledger's order exists");
        assert_eq!(r.status.as_deref(), Some(order.status.to_string().as_str()));
    }
    ledger.close().await;
}

/// Two processes on one ledger and one file at once: each row paid once, both did work.
async fn two_processes(gw: &Gateway, dir: &Path, ledger: &str) {
    let file = dir.join("payouts.csv");
    write_file(&file, &(1..=60).map(|n| row(n, None)).collect::<Vec<_>>());
    gw.sandbox
        .set_faults(FaultPlan::new().rule(
            FaultRule::new(Fault::Latency(Duration::from_millis(40))).api("paymentOrderPay"),
        ));
    let csv = file.display().to_string();
    let args = [
        "payout",
        "--csv",
        &csv,
        "--batch",
        "shared",
        "--ledger",
        ledger,
        "--concurrency",
        "4",
    ];
    let mut a = Run::start(dir, "a", &gw.env, &args);
    let mut b = Run::start(dir, "b", &gw.env, &args);
    let (sa, sb) = (
        a.wait(Duration::from_secs(120)).await,
        b.wait(Duration::from_secs(120)).await,
    );
    assert!(sa.success(), "{:?}", a.output());
    assert!(sb.success(), "{:?}", b.output());
    let per_account = orders_per_account(gw);
    assert_eq!(per_account.len(), 60);
    assert!(per_account.values().all(|n| *n == 1), "{per_account:?}");
    let ledger = Ledger::open(ledger).await.unwrap();
    let (records, _) = ledger.list(Some("shared"), 0, 1000).await.unwrap();
    let mut senders = std::collections::BTreeSet::new();
    for r in &records {
        for e in ledger.history(&r.out_trade_no).await.unwrap() {
            if e.kind == "send" {
                senders.insert(e.worker.clone().unwrap());
            }
        }
    }
    ledger.close().await;
    assert_eq!(senders.len(), 2, "both processes sent payouts: {senders:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_sqlite_ledger_and_file() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    two_processes(&gw, dir.path(), &ledger).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_postgres_ledger_and_file() {
    let pg = payermax_ledger::testing::TempPostgres::start().unwrap();
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let url = pg.database("bulk").unwrap();
    two_processes(&gw, dir.path(), &url).await;
}

#[tokio::test]
async fn the_check_reports_every_problem_with_row_and_line_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&ledger_arg(dir.path())).await.unwrap();
    let file = dir.path().join("payouts.csv");
    std::fs::write(
        &file,
        format!(
            "outTradeNo,{HEADER}\n\
             a_1,{}\
             a_2,{}\
             a_1,{}\
             a_3,BR,10.505,BRL,REALTIME_PAYMENT,PIX,12345678901,Ana\n\
             \"a_\n4\",{}",
            row(1, None),
            row(2, None),
            row(3, None),
            row(4, None)
        ),
    )
    .unwrap();
    let options = payermax::bulk::BulkOptions::new(payermax::bulk::RowIds::OwnOnly);
    let err = payermax::bulk::check_file(&file, &ledger, &options)
        .await
        .unwrap_err();
    let payermax::bulk::BulkError::Invalid { rows, problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*rows, 5);
    let found: Vec<(usize, u64, &str, &str)> = problems
        .iter()
        .map(|p| (p.row, p.line, p.path.as_str(), p.code))
        .collect();
    assert!(
        found.contains(&(3, 4, "outTradeNo", "duplicate")),
        "{found:?}"
    );
    assert!(
        found.contains(&(4, 5, "trade.amount", "amount_precision")),
        "{found:?}"
    );
    // A quoted cell spanning lines: row 5 starts on line 6.
    assert!(found.iter().any(|p| p.0 == 5 && p.1 == 6), "{found:?}");
    assert!(
        err.to_string().contains("also the order number of row 1"),
        "{err}"
    );
    assert!(
        ledger.list(None, 0, 10).await.unwrap().0.is_empty(),
        "nothing recorded"
    );
    ledger.close().await;
}

/// Rule levels in a payee file (#14 §1): advisory violations are warnings that never hold a
/// row back; an IBAN and a BIC written as printed are paid in their electronic format.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advisory_rules_warn_and_printed_ibans_are_converted() {
    let gw = gateway().await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("mixed.csv");
    std::fs::write(
        &file,
        "country,clearingRail,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.bankInfo.bankCode,payeeInfo.name.fullName,payeeInfo.address.city\n\
         DE,SEPA,20,EUR,BANK_TRANSFER,,de89 3704 0044 0532 0130 00,cobadeffxxx,Max Mustermann,Berlin\n\
         MX,,150,MXN,BANK_TRANSFER,,002180700012345678,BANAMEX,Ana Lopez,\n\
         BR,,10,BRL,REALTIME_PAYMENT,PIX,12345678901,,João D'Ávila,\n",
    )
    .unwrap();
    let csv = file.display().to_string();
    let args = [
        "payout", "--csv", &csv, "--batch", "levels", "--ledger", &ledger,
    ];
    let (status, stdout, stderr) = payermax(
        &gw,
        dir.path(),
        "dry",
        &[&args[..], &["--dry-run"]].concat(),
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("3 rows are valid"), "{stdout}");
    for line in [
        "warning: row 2 (line 3): payeeInfo.bankInfo.bankCode: does not match `^[0-9]{3}$` for MX BANK_TRANSFER (bank_transfer) (advisory)",
        "warning: row 3 (line 4): payeeInfo.name.fullName: does not match `^[A-Za-z ,.\\-]+$` (advisory)",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "pay", &args).await;
    assert!(status.success(), "{stdout}\n{stderr}");
    let orders = gw.sandbox.orders();
    assert_eq!(orders.len(), 3, "every row paid once");
    let sepa = orders.iter().find(|o| o.data["country"] == "DE").unwrap();
    assert_eq!(
        sepa.data["payeeInfo"]["accountInfo"]["accountNo"],
        "DE89370400440532013000"
    );
    assert_eq!(
        sepa.data["payeeInfo"]["bankInfo"]["bankCode"],
        "COBADEFFXXX"
    );
}

/// The payout balance is checked before the first send (#14 §3): a file whose rows to send
/// need more than the account holds is refused whole, naming the shortfall; once it fits
/// (part of it paid), it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_the_balance_cannot_cover_is_refused_before_any_send() {
    let hour = Duration::from_secs(3600);
    let timings = Timings {
        settle: hour,
        pending_rule: hour,
        bounceback: hour,
        rfi_deadline: hour,
    };
    let gw = gateway_funded(timings, &[("BRL", "30.00")]).await;
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_arg(dir.path());
    let file = dir.path().join("june.csv");
    // 11.50 + 12.50 + 13.50 = 37.50 BRL
    write_file(&file, &(1..=3).map(|n| row(n, None)).collect::<Vec<_>>());
    let csv = file.display().to_string();
    let args = [
        "payout", "--csv", &csv, "--batch", "funds", "--ledger", &ledger,
    ];
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "short", &args).await;
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("BRL: the rows to send need 37.5 BRL, the payout account holds 30 BRL"),
        "{stderr}"
    );
    assert!(gw.sandbox.orders().is_empty(), "nothing was sent");
    // Two rows fit: the first two are paid, the third waits for a top-up.
    write_file(&file, &(1..=2).map(|n| row(n, None)).collect::<Vec<_>>());
    let (status, stdout, stderr) = payermax(&gw, dir.path(), "fits", &args).await;
    assert!(status.success(), "{stdout}\n{stderr}");
    assert_eq!(gw.sandbox.orders().len(), 2);
    // The file again with its third row: what is left (6 BRL) does not cover it.
    write_file(&file, &(1..=3).map(|n| row(n, None)).collect::<Vec<_>>());
    let (status, _, stderr) = payermax(&gw, dir.path(), "third", &args).await;
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("need 13.5 BRL, the payout account holds 6 BRL"),
        "{stderr}"
    );
    assert_eq!(gw.sandbox.orders().len(), 2);
}
