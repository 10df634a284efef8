//! Figure 4: payouts per second end to end, through the typed client (`pay_idempotent`, a new
//! `outTradeNo` each time) and the sandbox started in-process, over loopback HTTP, at
//! concurrency 1, 16 and 64, on one multi-thread tokio runtime (a worker per core).
//!
//! Reference, measured in the same run: the bound RSA sets. Each payout costs two signatures
//! and two verifications across both sides (request and answer), so on `cores` cores at most
//! `cores / (2·t_sign + 2·t_verify)` payouts per second. t_sign and t_verify are measured right
//! before each concurrency's run, so that both see the same machine (it is shared).
//!
//! The machine may be shared, so the run also records the CPU time the process used: payouts
//! per CPU-second times (2·t_sign + 2·t_verify) is the share of its CPU that went to RSA, the
//! same ratio as above for a machine that gives the benchmark all its cores.
//!
//! `PAYERMAX_BENCH_E2E_SECS` sets the measuring time per concurrency (default 5 s).
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

use payermax::runtime::keys::{BACKEND, sign, verify};
use payermax::runtime::{Config, Environment};
use payermax::{Client, PaymentOrderPayRequest, PayoutStatus, Trade, payee};
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig, Timings};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CONCURRENCY: [usize; 3] = [1, 16, 64];
const MERCHANT_NO: &str = "M_BENCH";
const APP_ID: &str = "app_bench";

/// Mean seconds per call of `f`, over at least `min` of wall time.
fn seconds_per_call(min: Duration, mut f: impl FnMut()) -> f64 {
    f();
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < min {
        f();
        calls += 1;
    }
    started.elapsed().as_secs_f64() / calls as f64
}

/// One measured run.
struct Run {
    /// Payouts per second of wall time.
    rate: f64,
    /// Payouts per CPU-second of this process (`None` without `/proc`).
    per_cpu_second: Option<f64>,
}

fn request(n: u64) -> PaymentOrderPayRequest {
    let payee = payee::br::Pix::builder().account_no("12345678901").build();
    let amount = payermax::Currency::Brl.amount("10.50").unwrap();
    PaymentOrderPayRequest::new(
        format!("bench_{n}"),
        "BR",
        Trade::new(amount, "BRL"),
        payee.into(),
    )
}

/// Payouts at `concurrency`, over `time` (after a short warm-up).
async fn payouts_per_second(
    client: &Client,
    next: &Arc<AtomicU64>,
    concurrency: usize,
    time: Duration,
) -> Run {
    let run = |time: Duration| {
        let deadline = Instant::now() + time;
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let client = client.clone();
                let next = next.clone();
                tokio::spawn(async move {
                    let mut done = 0u64;
                    while Instant::now() < deadline {
                        let request = request(next.fetch_add(1, Ordering::Relaxed));
                        let payout = client.pay_idempotent(&request).await.unwrap();
                        assert_eq!(payout.status, PayoutStatus::Pending);
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        async move {
            let (started, cpu) = (Instant::now(), cpu::cpu_seconds());
            let mut done = 0;
            for worker in workers {
                done += worker.await.unwrap();
            }
            let cpu = cpu::cpu_seconds()
                .zip(cpu)
                .map(|(after, before)| after - before);
            Run {
                rate: done as f64 / started.elapsed().as_secs_f64(),
                per_cpu_second: cpu.filter(|&c| c > 0.0).map(|c| done as f64 / c),
            }
        }
    };
    run(Duration::from_millis(500)).await;
    run(time).await
}

fn main() {
    if !out::selected("e2e") {
        return;
    }
    let time = std::env::var("PAYERMAX_BENCH_E2E_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(5), Duration::from_secs_f64);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let (merchant_key, merchant_public) = keys::merchant();
    let (gateway_key, _) = keys::payermax();
    // The reference: RSA on this machine, with this build's backend; (t_sign, t_verify).
    let rsa_times = {
        let (key, public) = keys::merchant();
        let message = vec![b'x'; 400];
        let signature = sign(&key, &message);
        move || {
            let t_sign = seconds_per_call(Duration::from_millis(700), || {
                black_box(sign(&key, black_box(&message)));
            });
            let t_verify = seconds_per_call(Duration::from_millis(300), || {
                verify(&public, black_box(&message), &signature).unwrap();
            });
            (t_sign, t_verify)
        }
    };
    let mut lines = vec![("cores".to_owned(), cores.to_string())];

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Orders stay PENDING for the whole run: no settling or notifications compete.
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
                }),
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
        let next = Arc::new(AtomicU64::new(0));
        for concurrency in CONCURRENCY {
            let (t_sign, t_verify) = rsa_times();
            let bound = cores as f64 / (2.0 * t_sign + 2.0 * t_verify);
            let run = payouts_per_second(&client, &next, concurrency, time).await;
            let rate = run.rate;
            let rsa_cpu_share = run.per_cpu_second.map(|p| p * (2.0 * t_sign + 2.0 * t_verify));
            println!(
                "e2e/{BACKEND}/concurrency {concurrency}: {rate:.0} payouts/s; sign {:.1} µs, verify {:.1} µs: bound {bound:.0} on {cores} cores ({:.0}%); RSA share of the CPU used {:.0}%",
                t_sign * 1e6,
                t_verify * 1e6,
                100.0 * rate / bound,
                100.0 * rsa_cpu_share.unwrap_or(f64::NAN)
            );
            for (key, value) in [
                ("t_sign_us", Some(t_sign * 1e6)),
                ("t_verify_us", Some(t_verify * 1e6)),
                ("bound", Some(bound)),
                ("rate", Some(rate)),
                ("per_cpu_second", run.per_cpu_second),
                ("rsa_cpu_share", rsa_cpu_share),
            ] {
                if let Some(value) = value {
                    lines.push((format!("{key}.{concurrency}"), value.to_string()));
                }
            }
        }
        let sent = next.load(Ordering::Relaxed) as usize;
        let requests = sandbox.requests().len();
        println!("{sent} payouts, {requests} requests received by the sandbox");
        lines.push(("requests_per_payout".to_owned(), (requests as f64 / sent as f64).to_string()));
        sandbox.shutdown().await;
    });
    out::write(&format!("e2e-{BACKEND}.tsv"), &lines);
}
