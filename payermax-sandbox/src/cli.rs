//! The command-line entry: the `payermax-sandbox` binary, and `payermax sandbox` in the
//! `payermax` CLI (which flattens [`SandboxArgs`] into its subcommand and calls [`run_cli`]).
//!
//! ```text
//! payermax-sandbox [--port N] [--config FILE] [--state FILE] [--notify-scale F]
//!                  [--fault-rate P] [--fault-kinds KIND,...] [--fault-seed N] [--extend FILE]...
//! ```
//!
//! The first line printed is always `payermax-sandbox listening on <base URL>`; the lines that
//! follow give PayerMax's public key, the inspection API (`inspect: GET <url>/orders`, see the
//! crate documentation), the state file, the faults and the merchants, and the last is
//! `Press Ctrl-C to stop.` Without `--config` a demo merchant is registered and its keys are
//! printed, with a config file that keeps the same keys on the next start, and as `export
//! PAYERMAX_…='…'` lines for `payermax payout` or a service in another shell.
//!
//! ## Faults
//! The fault plan ([`FaultPlan`](crate::FaultPlan)) comes from the config file's `faults`
//! (rules and a seeded random mode; see [`ConfigFile`]) and from three flags, which set the
//! random mode ([`RandomFaults`](crate::RandomFaults)) over what the file says:
//!
//! - `--fault-rate P`: the probability, 0–1, that a request gets a random fault
//!   (`faults.random.probability`);
//! - `--fault-kinds KIND,...` (or repeated): the faults to choose from, each as likely
//!   (`faults.random.faults`); default `drop-after-commit`, `server-error`,
//!   `server-error-after-commit`, `too-many-requests`, `bad-signature`;
//! - `--fault-seed N`: the seed (`faults.random.seed`, default 0). The same seed and the same
//!   sequence of requests give the same faults.
//!
//! | KIND | what happens ([`Fault`](crate::Fault)) |
//! |---|---|
//! | `drop-after-commit` | the request is processed (a payout's order is placed), then the connection is closed without an answer |
//! | `server-error[:STATUS]` | HTTP STATUS (500–599, default 500), an unsigned HTML page; nothing processed |
//! | `server-error-after-commit[:STATUS]` | the same, after processing the request |
//! | `too-many-requests` | `TOO_MANY_REQUEST`; nothing processed |
//! | `bad-signature` | processed and answered, with a `sign` header that does not verify |
//! | `latency:MS` | processed, answered MS milliseconds later |
//! | `duplicate-notification` | every notification of the order delivered twice |
//!
//! Only requests that pass the envelope checks (known merchant, good signature, fresh
//! `requestTime`) get faults. `--fault-kinds` or `--fault-seed` with no rate (flag or file)
//! is an error. For example, every fifth payout or query is lost after commit or throttled:
//!
//! ```text
//! payermax-sandbox --fault-rate 0.2 --fault-kinds drop-after-commit,too-many-requests --fault-seed 7
//! ```

use crate::config::{ConfigFile, FaultEntry, MerchantEntry};
use crate::error::SandboxError;
use crate::{Merchant, Sandbox};
use std::future::Future;
use std::io::Write as _;
use std::path::PathBuf;

/// The demo merchant's app id (no `--config`).
pub const DEMO_APP_ID: &str = "sandbox-demo-app";
/// The demo merchant's number (no `--config`).
pub const DEMO_MERCHANT_NO: &str = "SANDBOX000001";

/// Command-line options.
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 to listen on; 0 picks a free one (printed on start).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// JSON config file: PayerMax's private key, merchants, delays, faults (see `ConfigFile`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keep orders in this append-only journal (JSON lines) and read it back on start.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Multiply the notification retry gaps (0s/30s/300s/600s/3600s/43200s) by this factor.
    #[arg(long, value_name = "F")]
    pub notify_scale: Option<f64>,
    /// Probability (0-1) that a request that passed the envelope checks gets a random fault,
    /// picked from --fault-kinds (overrides faults.random.probability of the config file).
    #[arg(long, value_name = "P", value_parser = parse_rate)]
    pub fault_rate: Option<f64>,
    /// Random faults to pick from, each as likely (comma-separated or repeated):
    /// drop-after-commit, server-error, server-error-after-commit (these two take an optional
    /// :STATUS, 500-599, default 500), too-many-requests, bad-signature, latency:MS,
    /// duplicate-notification. Default: the first five.
    #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = parse_fault_kind)]
    pub fault_kinds: Vec<FaultEntry>,
    /// Seed of the random faults (default 0): the same seed and the same requests give the same
    /// faults.
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
    /// Spec extension files (countries or rails of your own, as `generate!(extend = ...)`
    /// reads them): the sandbox validates with the built-in spec plus these.
    #[arg(long, value_name = "FILE")]
    pub extend: Vec<PathBuf>,
}

impl SandboxArgs {
    /// Sets the config file's random faults from `--fault-rate`, `--fault-kinds` and
    /// `--fault-seed`, each over the file's value.
    pub fn apply_faults(&self, file: &mut ConfigFile) {
        if self.fault_rate.is_none() && self.fault_kinds.is_empty() && self.fault_seed.is_none() {
            return;
        }
        let random = file
            .faults
            .get_or_insert_default()
            .random
            .get_or_insert_default();
        if let Some(rate) = self.fault_rate {
            random.probability = Some(rate);
        }
        if !self.fault_kinds.is_empty() {
            random.faults = Some(self.fault_kinds.clone());
        }
        if let Some(seed) = self.fault_seed {
            random.seed = Some(seed);
        }
    }
}

/// `--fault-rate`: a number from 0 to 1.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("expected a probability from 0 to 1, such as 0.1".into()),
    }
}

/// The `--fault-kinds` names.
const FAULT_KINDS: &str = "drop-after-commit, server-error[:STATUS], \
    server-error-after-commit[:STATUS], too-many-requests, bad-signature, latency:MS, \
    duplicate-notification";

/// One `--fault-kinds` value, as the config file would say it.
fn parse_fault_kind(text: &str) -> Result<FaultEntry, String> {
    let (kind, parameter) = match text.trim().split_once(':') {
        Some((kind, parameter)) => (kind, Some(parameter)),
        None => (text.trim(), None),
    };
    let no_parameter = |name: &str| match parameter {
        None => Ok(FaultEntry::named(name)),
        Some(_) => Err(format!("`{kind}` takes no parameter")),
    };
    match kind {
        "drop-after-commit" => no_parameter("dropAfterCommit"),
        "too-many-requests" => no_parameter("tooManyRequests"),
        "bad-signature" => no_parameter("badSignature"),
        "duplicate-notification" => no_parameter("duplicateNotification"),
        "latency" => {
            let ms = parameter
                .and_then(|p| p.parse::<u64>().ok())
                .ok_or("latency needs its delay in milliseconds: latency:MS")?;
            Ok(FaultEntry {
                latency_ms: Some(ms),
                ..FaultEntry::named("latency")
            })
        }
        "server-error" | "server-error-after-commit" => {
            let status = match parameter {
                None => None,
                Some(p) => match p.parse::<u16>() {
                    Ok(status @ 500..=599) => Some(status),
                    _ => return Err(format!("{kind}:STATUS takes a status from 500 to 599")),
                },
            };
            Ok(FaultEntry {
                status,
                commit: (kind == "server-error-after-commit").then_some(true),
                ..FaultEntry::named("serverError")
            })
        }
        _ => Err(format!("expected one of {FAULT_KINDS}")),
    }
}

/// Runs the sandbox until Ctrl-C, on a runtime of its own.
pub fn run_cli(args: SandboxArgs) -> Result<(), SandboxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let ctrl_c = async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                eprintln!("payermax-sandbox: cannot wait for Ctrl-C ({e}); stopping");
            }
        };
        run(args, ctrl_c).await
    })
}

/// Runs the sandbox until `stop` completes, printing its address and keys to stdout.
pub async fn run(args: SandboxArgs, stop: impl Future<Output = ()>) -> Result<(), SandboxError> {
    let (mut file, banner, demo_key) = match &args.config {
        Some(path) => (ConfigFile::read(path)?, Vec::new(), None),
        None => {
            let (file, banner, key) = demo_config()?;
            (file, banner, Some(key))
        }
    };
    args.apply_faults(&mut file);
    let config = file.into_config().map_err(|e| match &args.config {
        Some(path) => crate::config::in_file(path, e),
        None => e,
    });
    let mut config = config?.port(args.port).log_requests(true);
    if let Some(path) = &args.state {
        config = config.state_file(path);
    }
    if let Some(scale) = args.notify_scale {
        config = config.notify_scale(scale);
    }
    if !args.extend.is_empty() {
        let options = payermax_spec::LoadOptions {
            root: payermax_spec::Root::Builtin,
            extend: args.extend.clone(),
        };
        let spec =
            payermax_spec::load(&options).map_err(|d| SandboxError::Config(d.to_string()))?;
        config = config.spec(std::sync::Arc::new(spec));
    }
    let merchants: Vec<String> = config
        .merchants
        .iter()
        .map(|m| {
            format!(
                "merchant appId={} merchantNo={} notifyUrl={}",
                m.app_id,
                m.merchant_no,
                m.notify_url.as_deref().unwrap_or("-")
            )
        })
        .collect();
    let state = match &args.state {
        Some(path) => format!("state file: {}", path.display()),
        None => "state: in memory only (use --state FILE to keep orders)".to_owned(),
    };
    let faults = format!("faults: {}", config.faults.describe());
    let sandbox = Sandbox::start(config).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "payermax-sandbox listening on {}", sandbox.base_url())?;
    writeln!(
        out,
        "PayerMax public key: {}",
        sandbox.public_key_dashboard()
    )?;
    writeln!(out, "inspect: GET {}/orders", sandbox.inspect_url())?;
    writeln!(out, "{state}")?;
    writeln!(out, "{faults}")?;
    for line in merchants.iter().chain(&banner) {
        writeln!(out, "{line}")?;
    }
    if let Some(key) = &demo_key {
        // What `payermax payout`, `payermax validate` and a service read (PAYERMAX_*), ready
        // to paste into another shell.
        writeln!(out, "Or, in another shell:")?;
        for (name, value) in [
            ("PAYERMAX_ENV", sandbox.base_url()),
            ("PAYERMAX_MERCHANT_NO", DEMO_MERCHANT_NO.to_owned()),
            ("PAYERMAX_APP_ID", DEMO_APP_ID.to_owned()),
            ("PAYERMAX_PRIVATE_KEY", key.clone()),
            ("PAYERMAX_PUBLIC_KEY", sandbox.public_key_dashboard()),
        ] {
            writeln!(out, "export {name}='{value}'")?;
        }
    }
    writeln!(out, "Press Ctrl-C to stop.")?;
    out.flush()?;
    drop(out);
    stop.await;
    sandbox.shutdown().await;
    Ok(())
}

/// A demo merchant with fresh keys, the lines that tell the user about them, and its private
/// key in the dashboard format (the demo's own, printed for the user's client).
fn demo_config() -> Result<(ConfigFile, Vec<String>, String), SandboxError> {
    let key_error = |what: &str| {
        let what = what.to_owned();
        move |source| SandboxError::Key { what, source }
    };
    let (payermax_key, _) = payermax_runtime::keys::generate_keypair()
        .map_err(key_error("generating PayerMax's key pair"))?;
    let (merchant, merchant_key) = Merchant::generate(DEMO_APP_ID, DEMO_MERCHANT_NO)?;
    let file = ConfigFile {
        private_key: Some(
            payermax_key
                .to_dashboard()
                .map_err(key_error("PayerMax's private key"))?
                .to_string(),
        ),
        merchants: vec![MerchantEntry {
            app_id: merchant.app_id.clone(),
            merchant_no: merchant.merchant_no.clone(),
            public_key: merchant.public_key.to_dashboard(),
            notify_url: None,
            // Not limited: `balances` in a --config file funds the payout account.
            balances: std::collections::BTreeMap::new(),
        }],
        ..ConfigFile::default()
    };
    let private_key = merchant_key
        .to_dashboard()
        .map_err(key_error("the demo merchant's private key"))?
        .to_string();
    let lines = vec![
        "No --config: registered a demo merchant. Configure your client with:".to_owned(),
        format!("  appId:                {DEMO_APP_ID}"),
        format!("  merchantNo:           {DEMO_MERCHANT_NO}"),
        format!("  merchant private key: {private_key}"),
        "To keep these keys across restarts, save this JSON to a file and pass --config FILE:"
            .to_owned(),
        serde_json::to_string(&file).map_err(|e| SandboxError::Config(e.to_string()))?,
    ];
    Ok((file, lines, private_key))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Fault, FaultPlan, FaultRule, RandomFaults};
    use clap::Parser;
    use std::time::Duration;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: SandboxArgs,
    }

    fn parse(args: &[&str]) -> Result<SandboxArgs, String> {
        Cli::try_parse_from(std::iter::once("payermax-sandbox").chain(args.iter().copied()))
            .map(|c| c.args)
            .map_err(|e| e.to_string())
    }

    fn plan(args: &SandboxArgs, file: &str) -> Result<FaultPlan, String> {
        let mut file: ConfigFile = serde_json::from_str(file).unwrap();
        args.apply_faults(&mut file);
        file.into_config()
            .map(|c| c.faults)
            .map_err(|e| e.to_string())
    }

    const FILE: &str = r#"{"faults": {
        "rules": [{"fault": "dropAfterCommit", "api": "paymentOrderPay", "times": 1}],
        "random": {"seed": 1, "probability": 0.5, "faults": [{"fault": "tooManyRequests"}]}
    }}"#;

    fn file_rule() -> FaultRule {
        FaultRule::new(Fault::DropConnection)
            .api("paymentOrderPay")
            .times(1)
    }

    #[test]
    fn fault_flags_set_the_random_mode_over_the_file() {
        let args = parse(&[
            "--fault-rate",
            "0.25",
            "--fault-kinds",
            "drop-after-commit,server-error-after-commit:502",
            "--fault-kinds",
            "latency:1500",
            "--fault-kinds=server-error,too-many-requests,bad-signature,duplicate-notification",
            "--fault-seed",
            "9",
        ])
        .unwrap();
        let expected = RandomFaults {
            seed: 9,
            probability: 0.25,
            faults: vec![
                Fault::DropConnection,
                Fault::ServerError {
                    status: 502,
                    json: false,
                    commit: true,
                },
                Fault::Latency(Duration::from_millis(1500)),
                Fault::ServerError {
                    status: 500,
                    json: false,
                    commit: false,
                },
                Fault::TooManyRequests,
                Fault::BadSignature,
                Fault::DuplicateNotification,
            ],
        };
        // the file's rules stay, its random mode is replaced
        assert_eq!(
            plan(&args, FILE).unwrap(),
            FaultPlan::new().rule(file_rule()).random(expected.clone())
        );
        // without a file's faults, the flags alone
        assert_eq!(
            plan(&args, "{}").unwrap(),
            FaultPlan::new().random(expected)
        );

        // one flag changes only its own part of the file's random mode
        let seed_only = parse(&["--fault-seed", "42"]).unwrap();
        assert_eq!(
            plan(&seed_only, FILE).unwrap(),
            FaultPlan::new().rule(file_rule()).random(RandomFaults {
                seed: 42,
                probability: 0.5,
                faults: vec![Fault::TooManyRequests],
            })
        );
        // a rate alone picks from the default faults with seed 0
        let rate_only = parse(&["--fault-rate", "1"]).unwrap();
        let defaults = crate::config::FaultsEntry::default_random();
        assert_eq!(defaults.len(), 5);
        assert!(defaults.contains(&Fault::DropConnection));
        assert_eq!(
            plan(&rate_only, "{}").unwrap(),
            FaultPlan::new().random(RandomFaults {
                seed: 0,
                probability: 1.0,
                faults: defaults,
            })
        );
        // no flags: the file as it is
        assert_eq!(
            plan(&parse(&[]).unwrap(), FILE).unwrap(),
            FaultPlan::new().rule(file_rule()).random(RandomFaults {
                seed: 1,
                probability: 0.5,
                faults: vec![Fault::TooManyRequests],
            })
        );
        assert_eq!(plan(&parse(&[]).unwrap(), "{}").unwrap(), FaultPlan::new());
    }

    #[test]
    fn bad_fault_flags_are_refused() {
        for (args, expected) in [
            (&["--fault-rate", "1.5"][..], "from 0 to 1"),
            (&["--fault-rate=-0.1"], "from 0 to 1"),
            (&["--fault-rate", "NaN"], "from 0 to 1"),
            (
                &["--fault-kinds", "drop"],
                "expected one of drop-after-commit",
            ),
            (&["--fault-kinds", "latency"], "latency:MS"),
            (&["--fault-kinds", "latency:soon"], "latency:MS"),
            (&["--fault-kinds", "server-error:404"], "from 500 to 599"),
            (&["--fault-kinds", "bad-signature:1"], "takes no parameter"),
            (&["--fault-seed=-1"], "invalid value"),
        ] {
            let error = parse(args).unwrap_err();
            assert!(error.contains(expected), "{args:?}: {error}");
        }
        // kinds or a seed without any rate
        for args in [
            &["--fault-seed", "3"][..],
            &["--fault-kinds", "bad-signature"],
        ] {
            let error = plan(&parse(args).unwrap(), "{}").unwrap_err();
            assert!(error.contains("--fault-rate"), "{args:?}: {error}");
        }
    }
}
