//! Figure 6: what the payout ledger costs. Payouts per second through the typed client and the
//! in-process sandbox over loopback, at concurrency 64, without a ledger (the reference,
//! `Client::pay_idempotent`) and through `Ledger::pay` on an SQLite file and on a real
//! PostgreSQL server (started for the run, `fsync` on), measured in turns in the same run so
//! that all three see the same machine. Every ledger payout commits its intent before the send
//! and its outcome after.
//!
//! Figure 7: peak memory of checking a 200 MB payee file (`bulk::check_file`: every row
//! validated and looked up in the ledger before anything is sent), against the file's size.
//!
//! `PAYERMAX_BENCH_LEDGER_SECS` sets the time per turn (default 4 s, three turns each);
//! `PAYERMAX_BENCH_BULK_MB` the payee file's size (default 200).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/out.rs"]
mod out;

use payermax::ledger::{Intent, Ledger, Origin};
use payermax::runtime::keys::BACKEND;
use payermax::runtime::{Config, Environment};
use payermax::{Client, PaymentOrderPayRequest, Trade, payee};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 64;
const MERCHANT_NO: &str = "M_BENCH";
const APP_ID: &str = "app_bench";

fn request(n: u64) -> PaymentOrderPayRequest {
    let payee = payee::br::Pix::builder()
        .account_no(format!("{:011}", n % 100_000_000_000))
        .build();
    let amount = payermax::Currency::Brl.amount("10.50").unwrap();
    PaymentOrderPayRequest::new(
        format!("lb_{n}"),
        "BR",
        Trade::new(amount, "BRL"),
        payee.into(),
    )
}

#[derive(Clone)]
enum Path {
    Direct,
    Ledger(Ledger),
}

/// Payouts per second over `time`, `CONCURRENCY` at once.
async fn rate(client: &Client, path: &Path, next: &Arc<AtomicU64>, time: Duration) -> f64 {
    let deadline = Instant::now() + time;
    let api = payermax::ledger::payout_api();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, path, next) = (client.clone(), path.clone(), next.clone());
            tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < deadline {
                    let request = request(next.fetch_add(1, Ordering::Relaxed));
                    match &path {
                        Path::Direct => {
                            client.pay_idempotent(&request).await.unwrap();
                        }
                        Path::Ledger(ledger) => {
                            let data = serde_json::to_value(&request).unwrap();
                            let intent = Intent::new(data, Origin::batch("bench")).unwrap();
                            ledger.pay(client.runtime(), &api, &intent).await.unwrap();
                        }
                    }
                    done += 1;
                }
                done
            })
        })
        .collect();
    let started = Instant::now();
    let mut done = 0;
    for worker in workers {
        done += worker.await.unwrap();
    }
    done as f64 / started.elapsed().as_secs_f64()
}

/// Peak resident memory of this process so far (VmHWM), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak (Linux: writing 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn throughput(lines: &mut Vec<(String, String)>) {
    let time = std::env::var("PAYERMAX_BENCH_LEDGER_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(4), Duration::from_secs_f64);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (merchant_key, merchant_public) = keys::merchant();
    let (gateway_key, _) = keys::payermax();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()
        .unwrap();
    let pg = payermax_ledger::testing::TempPostgres::start_with_fsync().unwrap();
    let dir = tempfile::tempdir().unwrap();
    runtime.block_on(async {
        let idle = Duration::from_secs(3600);
        let sandbox = Sandbox::start(
            SandboxConfig::default()
                .private_key(gateway_key)
                .merchant(Merchant::new(APP_ID, MERCHANT_NO, merchant_public))
                .timings(Timings {
                    settle: idle,
                    pending_rule: idle,
                    bounceback: idle,
                    rfi_deadline: idle,
                })
                .request_log_limit(1000),
        )
        .await
        .unwrap();
        let config = Config::builder()
            .merchant_no(MERCHANT_NO)
            .app_id(APP_ID)
            .merchant_private_key_parsed(merchant_key)
            .payermax_public_key_parsed(sandbox.public_key().clone())
            .environment(Environment::Custom(sandbox.base_url()))
            .build()
            .unwrap();
        let client = Client::new(config).unwrap();
        let sqlite = Ledger::open(&dir.path().join("ledger.sqlite").display().to_string())
            .await
            .unwrap();
        let postgres = Ledger::open(&pg.database("bench").unwrap()).await.unwrap();
        let paths = [
            ("direct", Path::Direct),
            ("sqlite", Path::Ledger(sqlite.clone())),
            ("postgres", Path::Ledger(postgres.clone())),
        ];
        // Profiling one path: PAYERMAX_BENCH_LEDGER_ONLY=sqlite (the others still run, briefly).
        let only = std::env::var("PAYERMAX_BENCH_LEDGER_ONLY").ok();
        let time_of = |name: &str| match &only {
            Some(o) if o != name => Duration::from_millis(200),
            _ => time,
        };
        let next = Arc::new(AtomicU64::new(0));
        for (_, path) in &paths {
            rate(&client, path, &next, Duration::from_millis(500)).await;
        }
        let mut sums = [0.0f64; 3];
        for turn in 0..3 {
            for (i, (name, path)) in paths.iter().enumerate() {
                let (cpu, r) = (cpu::cpu_seconds(), rate(&client, path, &next, time_of(name)).await);
                if let (Some(before), Some(after)) = (cpu, cpu::cpu_seconds()) {
                    println!(
                        "ledger/{BACKEND}/turn {turn}/{name}: {:.2} ms of this process's CPU per payout",
                        1e3 * (after - before) / (r * time_of(name).as_secs_f64())
                    );
                }
                println!("ledger/{BACKEND}/turn {turn}/{name}: {r:.0} payouts/s");
                sums[i] += r;
            }
        }
        let [direct, sqlite_rate, pg_rate] = sums.map(|s| s / 3.0);
        println!(
            "ledger/{BACKEND}: direct {direct:.0}/s; SQLite {sqlite_rate:.0}/s ({:.0}%); PostgreSQL {pg_rate:.0}/s ({:.0}%)",
            100.0 * sqlite_rate / direct,
            100.0 * pg_rate / direct
        );
        for (key, value) in [
            ("direct", direct),
            ("sqlite", sqlite_rate),
            ("postgres", pg_rate),
        ] {
            lines.push((format!("{key}.{BACKEND}"), value.to_string()));
        }
        sqlite.close().await;
        postgres.close().await;
        sandbox.shutdown().await;
    });
}

fn bulk_memory(lines: &mut Vec<(String, String)>) {
    let mb: u64 = std::env::var("PAYERMAX_BENCH_BULK_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payees.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.targetOrg,payeeInfo.accountInfo.accountNo,payeeInfo.name.fullName,remark").unwrap();
    let mut written = 0u64;
    let mut n = 0u64;
    while written < mb << 20 {
        n += 1;
        // Names are letters only (the spec's name pattern): the row number in base 26.
        let mut name = String::new();
        let mut k = n;
        while k > 0 {
            name.push(char::from(b'a' + (k % 26) as u8));
            k /= 26;
        }
        let line = format!(
            "BR,{}.{:02},BRL,REALTIME_PAYMENT,PIX,{:011},Payee {name} Silva,June commission {n}\n",
            10 + n % 500,
            n % 100,
            n
        );
        written += line.len() as u64;
        file.write_all(line.as_bytes()).unwrap();
    }
    drop(file);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (rows, peak, base, seconds) = runtime.block_on(async {
        let ledger = Ledger::open(&dir.path().join("ledger.sqlite").display().to_string())
            .await
            .unwrap();
        let options = payermax::bulk::BulkOptions::new(payermax::bulk::RowIds::Batch("mem".into()));
        reset_peak();
        let base = peak_rss().unwrap_or(0);
        let started = Instant::now();
        let checked = payermax::bulk::check_file(&path, &ledger, &options)
            .await
            .unwrap();
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_rss().unwrap_or(0);
        ledger.close().await;
        (checked.rows(), peak, base, seconds)
    });
    println!(
        "bulk check of a {:.0} MB file ({rows} rows, {seconds:.1} s): peak RSS {:.0} MB (at start {:.0} MB)",
        written as f64 / 1e6,
        peak as f64 / 1e6,
        base as f64 / 1e6
    );
    lines.push(("bulk_file_bytes".into(), written.to_string()));
    lines.push(("bulk_rows".into(), rows.to_string()));
    lines.push(("bulk_peak_rss".into(), peak.to_string()));
    lines.push(("bulk_base_rss".into(), base.to_string()));
    lines.push(("bulk_seconds".into(), seconds.to_string()));
}

fn main() {
    if !out::selected("ledger") {
        return;
    }
    let mut lines = Vec::new();
    if std::env::var_os("PAYERMAX_BENCH_SKIP_THROUGHPUT").is_none() {
        throughput(&mut lines);
    }
    if std::env::var_os("PAYERMAX_BENCH_SKIP_BULK").is_none() {
        bulk_memory(&mut lines);
    }
    out::write(&format!("ledger-{BACKEND}.tsv"), &lines);
}
