//! The command-line entry: the `payermax-sandbox` binary, and `payermax sandbox` in the
//! `payermax` CLI (which flattens [`SandboxArgs`] into its subcommand and calls [`run_cli`]).
//!
//! ```text
//! payermax-sandbox [--port N] [--config FILE] [--state FILE] [--notify-scale F]
//! ```
//!
//! The first line printed is always `payermax-sandbox listening on <base URL>`. Without
//! `--config` a demo merchant is registered and its keys are printed, with a config file that
//! keeps the same keys on the next start.

use crate::config::{ConfigFile, MerchantEntry, SandboxConfig};
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
    /// JSON config file: PayerMax's private key, merchants, delays (see `ConfigFile`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keep orders in this append-only journal (JSON lines) and read it back on start.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Multiply the notification retry gaps (0s/30s/300s/600s/3600s/43200s) by this factor.
    #[arg(long, value_name = "F")]
    pub notify_scale: Option<f64>,
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
    let mut banner = Vec::new();
    let mut config = match &args.config {
        Some(path) => SandboxConfig::from_file(path)?,
        None => {
            let demo = demo_config()?;
            banner = demo.1;
            demo.0
        }
    };
    config = config.port(args.port);
    if let Some(path) = &args.state {
        config = config.state_file(path);
    }
    if let Some(scale) = args.notify_scale {
        config = config.notify_scale(scale);
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
    let sandbox = Sandbox::start(config).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "payermax-sandbox listening on {}", sandbox.base_url())?;
    writeln!(
        out,
        "PayerMax public key: {}",
        sandbox.public_key_dashboard()
    )?;
    writeln!(out, "{state}")?;
    for line in merchants.iter().chain(&banner) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "Press Ctrl-C to stop.")?;
    out.flush()?;
    drop(out);
    stop.await;
    sandbox.shutdown().await;
    Ok(())
}

/// A demo merchant with fresh keys, and the lines that tell the user about them.
fn demo_config() -> Result<(SandboxConfig, Vec<String>), SandboxError> {
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
        }],
        ..ConfigFile::default()
    };
    let lines = vec![
        "No --config: registered a demo merchant. Configure your client with:".to_owned(),
        format!("  appId:                {DEMO_APP_ID}"),
        format!("  merchantNo:           {DEMO_MERCHANT_NO}"),
        format!(
            "  merchant private key: {}",
            *merchant_key
                .to_dashboard()
                .map_err(key_error("the demo merchant's private key"))?
        ),
        "To keep these keys across restarts, save this JSON to a file and pass --config FILE:"
            .to_owned(),
        serde_json::to_string(&file).map_err(|e| SandboxError::Config(e.to_string()))?,
    ];
    Ok((file.into_config()?, lines))
}
