//! Writes `benches/RESULTS.md` from one run of `benches/run.sh`: criterion's estimates
//! (`$CRITERION_HOME`, else `target/criterion`) and the figures the other benches and the script
//! left in `$PAYERMAX_BENCH_OUT` (else `target/bench-results`). Each figure is printed beside
//! the reference measured in the same run, with their ratio. Does nothing unless
//! `PAYERMAX_BENCH_REPORT=1` (so a bare `cargo bench` leaves RESULTS.md alone).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/out.rs"]
mod out;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Criterion's mean time per iteration, in ns, by benchmark id (`validation/typed/br_pix_valid`).
fn criterion_means(dir: &Path) -> BTreeMap<String, f64> {
    let mut means = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "benchmark.json")
                && path.parent().is_some_and(|p| p.ends_with("new"))
            {
                let read = |p: PathBuf| -> Option<serde_json::Value> {
                    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
                };
                let (Some(id), Some(estimates)) = (
                    read(path.clone()),
                    read(path.with_file_name("estimates.json")),
                ) else {
                    continue;
                };
                if let (Some(id), Some(mean)) = (
                    id["full_id"].as_str(),
                    estimates["mean"]["point_estimate"].as_f64(),
                ) {
                    means.insert(id.to_owned(), mean);
                }
            }
        }
    }
    means
}

/// `key<TAB>value` lines of a results file.
fn figures(name: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(out::dir().join(name)).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn num(map: &BTreeMap<String, String>, key: &str) -> Option<f64> {
    map.get(key).and_then(|v| v.parse().ok())
}

/// A number for a table cell, or `–` when it was not measured.
fn cell(v: Option<f64>, decimals: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.decimals$}"))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// The RSA backends `benches/run.sh` measures, as `keys::BACKEND` names them: the default, then
/// the `ring-backend` and `aws-lc-backend` features.
const BACKENDS: [&str; 3] = ["rsa", "ring", "aws-lc"];

/// (countries, generated lines, load+generate ms) of one generated spec.
type Point = (Option<f64>, Option<f64>, Option<f64>);

struct Report {
    means: BTreeMap<String, f64>,
    text: String,
}

impl Report {
    fn mean(&self, id: &str) -> Option<f64> {
        self.means.get(id).copied()
    }

    fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    fn machine(&mut self) {
        let m = figures("machine.tsv");
        let get = |k: &str| m.get(k).cloned().unwrap_or_else(|| "?".into());
        self.line("# Benchmark results");
        self.line("");
        self.line(format!(
            "Written by `benches/run.sh` on {}. Every reference was measured in the same run, on the same machine. Ratios above 1 mean payermax is faster or higher.",
            get("date")
        ));
        self.line("");
        self.line("| nproc | CPU | CPU flags that matter for RSA | rustc | load average before / after the run |");
        self.line("|---|---|---|---|---|");
        self.line(format!(
            "| {} | {} | {} | {} | {} / {} |",
            get("nproc"),
            get("cpu"),
            get("flags"),
            get("rustc"),
            get("loadavg"),
            get("loadavg_after")
        ));
        self.line("");
        self.line("The machine is shared: other builds may have run at the same time, so expect some noise.");
        self.line("");
    }

    fn validation(&mut self) {
        let counts = figures("validation.tsv");
        let allocs = figures("alloc.tsv");
        self.line("## 1. Payee validation");
        self.line("");
        self.line("ns per validated payout request (criterion mean). Reference: the same rules as JSON Schema (`benches/schemas/`), checked by the `jsonschema` crate with a validator compiled once: `is_valid` on valid input, every error iterated on invalid input. Ratio = jsonschema time / payermax time.");
        self.line("");
        self.line("| case | typed `validate()` ns | JSON `validate_payout` ns | jsonschema ns (reference) | typed ratio | JSON ratio | violations (payermax / jsonschema) |");
        self.line("|---|---|---|---|---|---|---|");
        let mut ratios = Vec::new();
        let cases: Vec<String> = counts
            .keys()
            .filter_map(|k| k.strip_prefix("violations."))
            .map(str::to_owned)
            .collect();
        for id in &cases {
            let typed = self.mean(&format!("validation/typed/{id}"));
            let json = self.mean(&format!("validation/json/{id}"));
            let schema = self.mean(&format!("validation/jsonschema/{id}"));
            let (rt, rj) = (ratio(schema, typed), ratio(schema, json));
            ratios.extend(rt.into_iter().chain(rj));
            let violations = format!(
                "{} / {}",
                counts.get(&format!("violations.{id}")).map_or("?", |s| s),
                counts
                    .get(&format!("schema_errors.{id}"))
                    .map_or("?", |s| s)
            );
            self.line(format!(
                "| {id} | {} | {} | {} | {}× | {}× | {violations} |",
                cell(typed, 0),
                cell(json, 0),
                cell(schema, 0),
                cell(rt, 2),
                cell(rj, 2)
            ));
        }
        let worst = ratios.iter().copied().reduce(f64::min);
        self.line("");
        self.line(format!(
            "Target ≥20× faster than jsonschema: {} (lowest ratio {}×, highest {}×).",
            verdict(worst.map(|w| w >= 20.0)),
            cell(worst, 2),
            cell(ratios.iter().copied().reduce(f64::max), 2)
        ));
        self.line("");
        self.line("The verdict alone on the same invalid input, without a report: typed `is_valid()` (the generated code `validate()` starts with; it stops at the first broken rule) against jsonschema's `is_valid` (which also stops early). For screening many requests before reporting on the failures.");
        self.line("");
        self.line(
            "| case | typed `is_valid()` ns | jsonschema `is_valid` ns (reference) | ratio |",
        );
        self.line("|---|---|---|---|");
        let mut verdict_ratios = Vec::new();
        for id in cases.iter().filter(|id| id.ends_with("_invalid")) {
            let typed = self.mean(&format!("validation/typed_verdict/{id}"));
            let schema = self.mean(&format!("validation/jsonschema_verdict/{id}"));
            let r = ratio(schema, typed);
            verdict_ratios.extend(r);
            self.line(format!(
                "| {id} | {} | {} | {}× |",
                cell(typed, 1),
                cell(schema, 0),
                cell(r, 1)
            ));
        }
        let worst_verdict = verdict_ratios.iter().copied().reduce(f64::min);
        self.line("");
        self.line(format!(
            "Verdict alone, ≥20× faster than jsonschema's: {} (lowest ratio {}×).",
            verdict(worst_verdict.map(|w| w >= 20.0)),
            cell(worst_verdict, 1)
        ));
        self.line("");
        self.line("Heap allocations per validated request (`benches/alloc.rs`, a counting global allocator over 1000 runs after a warm-up run):");
        self.line("");
        self.line("| case | typed | JSON |");
        self.line("|---|---|---|");
        let mut valid_allocs = Vec::new();
        for id in &cases {
            let typed = num(&allocs, &format!("typed.{id}"));
            let json = num(&allocs, &format!("json.{id}"));
            if id.ends_with("_valid") {
                valid_allocs.extend(typed.into_iter().chain(json));
            }
            self.line(format!("| {id} | {} | {} |", cell(typed, 1), cell(json, 1)));
        }
        let no_alloc = (!valid_allocs.is_empty()).then(|| valid_allocs.iter().all(|&a| a == 0.0));
        self.line("");
        self.line(format!(
            "Target no heap allocation on the valid path: {}.",
            verdict(no_alloc)
        ));
        self.line("");
    }

    fn signing(&mut self) {
        let openssl = figures("openssl.tsv");
        let (o_sign, o_verify) = (num(&openssl, "sign_per_s"), num(&openssl, "verify_per_s"));
        self.line("## 2. Signing and verification (RSA-2048, SHA256withRSA)");
        self.line("");
        self.line("Per second, one thread, through `payermax::runtime::keys::{sign, verify}` (hashing a 256-byte envelope and base64 included). Reference: `openssl speed -seconds 3 rsa2048` (raw RSA operations) in the same run. Ratio = payermax / OpenSSL.");
        self.line("");
        self.line(
            "| backend | sign/s | OpenSSL sign/s | ratio | verify/s | OpenSSL verify/s | ratio |",
        );
        self.line("|---|---|---|---|---|---|---|");
        // (sign, verify) ratios to OpenSSL, by backend.
        let mut fast = BTreeMap::new();
        for backend in BACKENDS {
            let per_s = |op: &str| {
                self.mean(&format!("signing/{backend}/{op}"))
                    .map(|ns| 1e9 / ns)
            };
            let (sign, verify) = (per_s("sign"), per_s("verify"));
            let (rs, rv) = (ratio(sign, o_sign), ratio(verify, o_verify));
            fast.insert(backend, rs.zip(rv));
            self.line(format!(
                "| {backend} | {} | {} | {} | {} | {} | {} |",
                cell(sign, 0),
                cell(o_sign, 0),
                cell(rs, 2),
                cell(verify, 0),
                cell(o_verify, 0),
                cell(rv, 2)
            ));
        }
        self.line("");
        let within = |backend: &str| {
            let r = fast.get(backend).copied().flatten();
            (
                verdict(r.map(|(s, _)| s >= 0.9)),
                verdict(r.map(|(_, v)| v >= 0.9)),
            )
        };
        let (aws_lc, ring) = (within("aws-lc"), within("ring"));
        self.line(format!(
            "Target, fastest backend (`aws-lc-backend`) within 10% of OpenSSL: signing {}, verification {}. (`ring-backend`: signing {}, verification {}.)",
            aws_lc.0, aws_lc.1, ring.0, ring.1
        ));
        self.line("");
    }

    fn roundtrip(&mut self) {
        self.line("## 3. Request path overhead");
        self.line("");
        self.line("One payout round trip without the network (`benches/roundtrip.rs`): client validate + serialize + sign, gateway verify + decode + validate + answer + sign, client verify + decode. Reference: the 2 signatures + 2 verifications alone, same run.");
        self.line("");
        self.line("| backend | total µs | without RSA µs | RSA alone µs (reference) | non-RSA share of total | total / RSA alone |");
        self.line("|---|---|---|---|---|---|");
        let mut shares = Vec::new();
        for backend in BACKENDS {
            let us = |b: &str| {
                self.mean(&format!("roundtrip/{backend}/{b}"))
                    .map(|ns| ns / 1e3)
            };
            let (total, without, rsa) = (us("total"), us("without_rsa"), us("rsa"));
            let share = ratio(without, total);
            shares.extend(share.map(|s| (backend, s)));
            self.line(format!(
                "| {backend} | {} | {} | {} | {}% | {}× |",
                cell(total, 1),
                cell(without, 2),
                cell(rsa, 1),
                cell(share.map(|s| s * 100.0), 2),
                cell(ratio(total, rsa), 3)
            ));
        }
        self.line("");
        for (backend, share) in shares {
            self.line(format!(
                "Target everything but RSA < 5% of the total ({backend}): {}.",
                verdict(Some(share < 0.05))
            ));
        }
        self.line("");
    }

    fn ledger(&mut self) {
        self.line("## 6. The payout ledger");
        self.line("");
        self.line("Payouts per second at concurrency 64 through the typed client and the sandbox in-process, without a ledger (reference: `Client::pay_idempotent`) and through `Ledger::pay` (intent, claim and `send` committed before the request, outcome and release after) on an SQLite file (WAL, `synchronous=FULL`) and on a PostgreSQL server started for the run (`fsync` on), measured in three interleaved turns of each in the same run. Then the peak resident memory of `bulk::check_file` on a generated payee file of about 200 MB (every row validated and looked up in the ledger), against the file's size.");
        self.line("");
        self.line("| backend | without ledger (payouts/s) | SQLite | ratio | PostgreSQL | ratio |");
        self.line("|---|---|---|---|---|---|");
        let mut bulk = None;
        for backend in BACKENDS {
            let f = figures(&format!("ledger-{backend}.tsv"));
            let direct = num(&f, &format!("direct.{backend}"));
            let sqlite = num(&f, &format!("sqlite.{backend}"));
            let postgres = num(&f, &format!("postgres.{backend}"));
            if direct.is_some() {
                self.line(format!(
                    "| {backend} | {} | {} | {}% | {} | {}% |",
                    cell(direct, 0),
                    cell(sqlite, 0),
                    cell(ratio(sqlite, direct).map(|r| r * 100.0), 0),
                    cell(postgres, 0),
                    cell(ratio(postgres, direct).map(|r| r * 100.0), 0)
                ));
            }
            if num(&f, "bulk_peak_rss").is_some() {
                bulk = Some(f);
            }
        }
        self.line("");
        if let Some(f) = bulk {
            let mb = |key: &str| num(&f, key).map(|b| b / 1e6);
            self.line(format!(
                "Checking a {} MB payee file ({} rows) took {} s with a peak RSS of {} MB (target < 200 MB: {}).",
                cell(mb("bulk_file_bytes"), 0),
                cell(num(&f, "bulk_rows"), 0),
                cell(num(&f, "bulk_seconds"), 1),
                cell(mb("bulk_peak_rss"), 0),
                verdict(mb("bulk_peak_rss").map(|m| m < 200.0))
            ));
            self.line("");
        }
    }

    fn e2e(&mut self) {
        self.line("## 4. End to end");
        self.line("");
        self.line("Payouts per second through the typed client (`pay_idempotent`, a new `outTradeNo` each) and the sandbox in-process over loopback HTTP, one multi-thread tokio runtime with a worker per core. Reference: the bound RSA sets, `cores / (2·t_sign + 2·t_verify)`, with t_sign and t_verify measured right before each row's run. Ratio = payouts/s / bound. At concurrency 1 one payout is in flight at a time, so at most one core signs: 50% is the ceiling there. The machine is shared, so the process's CPU time is recorded too: the RSA share of the CPU it used (payouts per CPU-second × (2·t_sign + 2·t_verify)) is what the ratio would be if the benchmark had every core to itself.");
        self.line("");
        self.line("| backend | t_sign µs | t_verify µs | RSA bound (payouts/s) | concurrency | payouts/s | ratio | payouts per CPU-second | RSA share of the CPU used | requests per payout |");
        self.line("|---|---|---|---|---|---|---|---|---|---|");
        let mut at_64 = Vec::new();
        for backend in BACKENDS {
            let f = figures(&format!("e2e-{backend}.tsv"));
            for concurrency in [1, 16, 64] {
                let bound = num(&f, &format!("bound.{concurrency}"));
                let rate = num(&f, &format!("rate.{concurrency}"));
                let r = ratio(rate, bound);
                if concurrency == 64 {
                    let share = num(&f, "rsa_cpu_share.64");
                    at_64.extend(r.map(|r| (backend, r, share)));
                }
                self.line(format!(
                    "| {backend} | {} | {} | {} | {concurrency} | {} | {}% | {} | {}% | {} |",
                    cell(num(&f, &format!("t_sign_us.{concurrency}")), 1),
                    cell(num(&f, &format!("t_verify_us.{concurrency}")), 1),
                    cell(bound, 0),
                    cell(rate, 0),
                    cell(r.map(|r| r * 100.0), 0),
                    cell(num(&f, &format!("per_cpu_second.{concurrency}")), 0),
                    cell(
                        num(&f, &format!("rsa_cpu_share.{concurrency}")).map(|s| s * 100.0),
                        0
                    ),
                    cell(num(&f, "requests_per_payout"), 2)
                ));
            }
        }
        self.line("");
        for (backend, r, share) in at_64 {
            self.line(format!(
                "Target ≥70% of the bound at concurrency 64 ({backend}): {} on wall-clock time; {} on the CPU the benchmark got ({}% of it was RSA).",
                verdict(Some(r >= 0.7)),
                verdict(share.map(|s| s >= 0.7)),
                cell(share.map(|s| s * 100.0), 0)
            ));
        }
        self.line("");
    }

    fn codegen(&mut self) {
        let f = figures("codegen.tsv");
        let r = figures("rebuild.tsv");
        self.line("## 5. Code generation");
        self.line("");
        self.line("`payermax_spec::load` + `payermax_codegen::generate` (what `generate!()` runs), criterion mean; generated lines once pretty-printed (as `payermax spec expand` prints them). Generated specs: the API file plus N copies of Brazil's file (4 methods) under new codes and currencies.");
        self.line("");
        self.line("| spec | countries | methods | generated lines | lines per country | load+generate ms | ms per country |");
        self.line("|---|---|---|---|---|---|---|");
        let mut points: Vec<Point> = Vec::new();
        for name in ["builtin", "50", "100", "200"] {
            let countries = num(&f, &format!("countries.{name}"));
            let lines = num(&f, &format!("lines.{name}"));
            let ms = self
                .mean(&format!("codegen/load_generate/{name}"))
                .map(|ns| ns / 1e6);
            if name != "builtin" {
                points.push((countries, lines, ms));
            }
            self.line(format!(
                "| {name} | {} | {} | {} | {} | {} | {} |",
                cell(countries, 0),
                cell(num(&f, &format!("methods.{name}")), 0),
                cell(lines, 0),
                cell(ratio(lines, countries), 0),
                cell(ms, 1),
                cell(ratio(ms, countries), 3)
            ));
        }
        // Linear growth: an added country costs no more from 100 to 200 than from 50 to 100
        // (within 25%, for noise); faster growth would show a quadratic step somewhere.
        let slope = |i: usize, j: usize, pick: fn(&Point) -> Option<f64>| {
            let (a, b) = (points.get(i)?, points.get(j)?);
            Some((pick(b)? - pick(a)?) / (b.0? - a.0?))
        };
        let lines_slopes = (slope(0, 1, |p| p.1), slope(1, 2, |p| p.1));
        let time_slopes = (slope(0, 1, |p| p.2), slope(1, 2, |p| p.2));
        let linear = |(a, b): (Option<f64>, Option<f64>)| Some(b? / a? <= 1.25);
        self.line("");
        self.line(format!(
            "Growth per added country, 50→100 vs 100→200: lines {} vs {} ({}), time {} ms vs {} ms ({}).",
            cell(lines_slopes.0, 0),
            cell(lines_slopes.1, 0),
            if linear(lines_slopes) == Some(true) { "linear" } else { "not linear" },
            cell(time_slopes.0, 3),
            cell(time_slopes.1, 3),
            if linear(time_slopes) == Some(true) { "linear" } else { "not linear" },
        ));
        self.line("");
        self.line("| user crate (debug, `benches/run.sh`) | seconds |");
        self.line("|---|---|");
        self.line(format!(
            "| `payermax spec expand \\| wc -l` (built-in spec) | {} lines |",
            r.get("expand_lines").map_or("–", |s| s)
        ));
        self.line(format!(
            "| `cargo build` after touching the country file of `generate!(extend = …)` | {} |",
            cell(num(&r, "rebuild_s"), 2)
        ));
        self.line(format!(
            "| `cargo check` of a crate that only calls `generate!()` (dependencies built) | {} |",
            cell(num(&r, "check_s"), 2)
        ));
        self.line("");
    }
}

fn main() {
    if !out::selected("report") || std::env::var_os("PAYERMAX_BENCH_REPORT").is_none() {
        return;
    }
    let criterion = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/criterion"))
        });
    let mut report = Report {
        means: criterion_means(&criterion),
        text: String::new(),
    };
    report.machine();
    report.validation();
    report.signing();
    report.roundtrip();
    report.e2e();
    report.codegen();
    report.ledger();
    // Beside this file (cargo runs benchmarks in their package's folder, benches/).
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let notes = std::fs::read_to_string(here.join("NOTES.md")).unwrap_or_default();
    let _ = write!(report.text, "{notes}");
    std::fs::write(here.join("RESULTS.md"), &report.text).expect("benches/RESULTS.md is writable");
    println!("wrote benches/RESULTS.md");
}
