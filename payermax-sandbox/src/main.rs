//! `payermax-sandbox`: a local PayerMax payout gateway. See `payermax_sandbox::cli`.

use clap::Parser;
use std::process::ExitCode;

/// A local PayerMax payout gateway for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "payermax-sandbox", version)]
struct Cli {
    #[command(flatten)]
    args: payermax_sandbox::cli::SandboxArgs,
}

fn main() -> ExitCode {
    match payermax_sandbox::cli::run_cli(Cli::parse().args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("payermax-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
